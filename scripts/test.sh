#!/usr/bin/env bash
# Every test, in order: formatting; the native build with its Catch2, CLI and Optuna
# conformance tests; the same tests under AddressSanitizer and UndefinedBehaviorSanitizer;
# every reader under libFuzzer for a short fixed budget; then the web suites (wasm module, type check, page build, node and Chromium tests).
set -euo pipefail
cd "$(dirname "$0")/.."

scripts/setup.sh

echo "== formatting"
scripts/check-format.sh

echo "== native build and tests"
scripts/build-native.sh build
ctest --test-dir build --output-on-failure -j "$(nproc)"

echo "== tests under AddressSanitizer + UndefinedBehaviorSanitizer"
scripts/build-native.sh build-asan -DCMAKE_BUILD_TYPE=Debug -DCURVELAB_SANITIZE=ON -DCURVELAB_BENCHMARKS=OFF
ASAN_OPTIONS=detect_leaks=1 UBSAN_OPTIONS=print_stacktrace=1 \
  ctest --test-dir build-asan --output-on-failure -j "$(nproc)"

echo "== the readers under libFuzzer (2,000 inputs each, from the corpus in tests/fuzz/corpus)"
scripts/fuzz.sh --runs 2000

echo "== web: wasm build, type check, page build, node and browser tests"
CURVELAB_CLI=build/curvelab scripts/test-web.sh
