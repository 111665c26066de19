// Loads the web build of the wasm module under Node: Emscripten 3.1.6's loader would
// try to fetch() the .wasm by path under Node 20, so the bytes are handed over directly.
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

export const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const generated = path.join(root, 'web/generated');

export async function loadCurvelab() {
  const js = path.join(generated, 'curvelab.js');
  if (!fs.existsSync(js)) {
    throw new Error(`${js} is missing: run scripts/build-wasm.sh first`);
  }
  const { default: createCurvelab } = await import(js);
  return createCurvelab({ wasmBinary: fs.readFileSync(path.join(generated, 'curvelab.wasm')) });
}

/** The native CLI: $CURVELAB_CLI, else build/curvelab. */
export function nativeCli() {
  const cli = process.env.CURVELAB_CLI ?? path.join(root, 'build/curvelab');
  if (!fs.existsSync(cli)) {
    throw new Error(`${cli} is missing: run scripts/build-native.sh first`);
  }
  return cli;
}
