#!/usr/bin/env bash
# npm start: set up, build, then run the main job.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/setup.sh
scripts/build-native.sh build
echo "curvelab is built: build/curvelab. Sutton and Barto's testbed, epsilon 0.1, last steps:"
build/curvelab simulate --epsilon 0.1 --runs 2000 | tail -n 5
