#!/usr/bin/env bash
# The web suites, on top of the native CLI ($CURVELAB_CLI or build/curvelab):
#   the WebAssembly module, the TypeScript type check and the static page build, then
#   node's test runner on tests/web/*.test.mjs: wasm against native curves, the URL state,
#   the facade, study and quiz bindings against the CLI, and both pages in Chromium.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/build-wasm.sh
node_modules/.bin/tsc --noEmit -p .
node_modules/.bin/vite build --logLevel warn
node --test tests/web/*.test.mjs
