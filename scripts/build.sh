#!/usr/bin/env bash
# The whole build, written once: set up what is missing, the native CLI (build/curvelab),
# the WebAssembly module (web/generated/) and the static page (dist/).
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/setup.sh
scripts/build-native.sh build
scripts/build-wasm.sh
node_modules/.bin/vite build --logLevel warn
