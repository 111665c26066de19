#!/usr/bin/env bash
# The WebAssembly module: the core and web/bindings.cpp, built by CMake under emcmake
# into build-wasm/, then copied to web/generated/ (git-ignored) where the page and the
# Node tests import it.
# usage: scripts/build-wasm.sh [build-dir]
set -euo pipefail
cd "$(dirname "$0")/.."
dir=${1:-build-wasm}
# Debian's Emscripten 3.1.6 runs its JavaScript optimizer on Debian's acorn.
export NODE_PATH=/usr/share/nodejs${NODE_PATH:+:$NODE_PATH}
emcmake cmake -S . -B "$dir" -DCMAKE_BUILD_TYPE=Release >/dev/null
cmake --build "$dir" -j "$(nproc)"
mkdir -p web/generated
cp "$dir/web/curvelab.js" "$dir/web/curvelab.wasm" web/generated/
echo "build-wasm: web/generated/curvelab.js, web/generated/curvelab.wasm ($(wc -c <web/generated/curvelab.wasm) bytes)"
