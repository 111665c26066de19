#!/usr/bin/env bash
# The web suites: the wasm build, the TypeScript type check, the static page build, then
# node's test runner on tests/web (wasm-vs-native curves, the URL state, the facade, and
# the page in Debian's Chromium). Needs the native CLI: $CURVELAB_CLI or build/curvelab.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/build-wasm.sh
node_modules/.bin/tsc --noEmit -p .
node_modules/.bin/vite build --logLevel warn
node --test tests/web/*.test.mjs
