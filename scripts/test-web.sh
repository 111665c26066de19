#!/usr/bin/env bash
# The web suites: the wasm build, the TypeScript type check, the static page build, then
# node's test runner on tests/web (wasm-vs-native curves, the URL state, the facade, the
# study bindings against `curvelab prune`, and the page and its pruners in Debian's
# Chromium). Needs the native CLI: $CURVELAB_CLI or build/curvelab.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/build-wasm.sh
node_modules/.bin/tsc --noEmit -p .
node_modules/.bin/vite build --logLevel warn
node --test tests/web/*.test.mjs

# --- quiz page (issue 6, owner: quiz-web) ---------------------------------------------
# The quiz bindings against the native CLI (same items, curves and ground truth), then the
# answer state per key, and the quiz page in Chromium: every kind by keyboard, reload,
# export/clear/import, refusal.
node --test tests/web/quiz-wasm.spec.mjs tests/web/quiz-state.spec.mjs tests/web/quiz-page.spec.mjs
# --- end quiz page ----------------------------------------------------------------------
