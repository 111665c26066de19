#!/usr/bin/env bash
# npm start: set up, build (native CLI, WebAssembly module, static page), then serve the
# page on localhost and print its URL. PORT=8080 npm start picks another port.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/build.sh
port=${PORT:-4173}
echo "curvelab is built: build/curvelab (the CLI) and dist/ (the page, a static site)."
echo "curvelab playground: http://127.0.0.1:${port}/"
echo "curvelab quiz:       http://127.0.0.1:${port}/quiz.html   (Ctrl-C stops the server)"
exec node_modules/.bin/vite preview --host 127.0.0.1 --port "$port" --strictPort
