// The Emscripten glue that scripts/build-wasm.sh writes to web/generated/ (git-ignored).
declare module '*/generated/curvelab.js' {
  const createCurvelab: import('./curvelab-wasm').CurvelabFactory;
  export default createCurvelab;
}
