#!/usr/bin/env bash
# The native build: the core library, the curvelab CLI (build/curvelab), tests and benchmarks.
# usage: scripts/build-native.sh [build-dir] [extra cmake args...]
set -euo pipefail
cd "$(dirname "$0")/.."
dir=${1:-build}
shift || true
cmake -S . -B "$dir" -DCMAKE_BUILD_TYPE=Release "$@" >/dev/null
cmake --build "$dir" -j "$(nproc)"
