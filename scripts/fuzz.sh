#!/usr/bin/env bash
# The readers under libFuzzer: builds every fuzz target with clang 14, AddressSanitizer and
# UndefinedBehaviorSanitizer into build-fuzz/, then runs each from its seeds in
# tests/fuzz/corpus/<reader>/ for a fixed number of inputs. New inputs the fuzzer finds go
# to build-fuzz/corpus/<reader>/ (the seeds in the repository are not changed); an input
# that breaks the contract is kept as build-fuzz/artifacts/<reader>-crash-... and the
# script fails.
# usage: scripts/fuzz.sh [--runs N] [--long] [READER...]
#   --runs N   inputs per reader (default 2000: the short stage of scripts/test.sh)
#   --long     ten minutes per reader instead (-max_total_time=600)
set -euo pipefail
cd "$(dirname "$0")/.."

runs=2000
budget=()
readers=()
while [ $# -gt 0 ]; do
  case "$1" in
    --runs)
      [ $# -ge 2 ] && [[ $2 =~ ^[0-9]+$ ]] || { echo "fuzz.sh: --runs needs a whole number" >&2; exit 2; }
      runs=$2
      shift 2
      ;;
    --long)
      budget=(-max_total_time=600)
      shift
      ;;
    -h | --help)
      sed -n '2,11p' "$0" | sed 's/^# \{0,1\}//'
      exit 0
      ;;
    -*)
      echo "fuzz.sh: unknown option $1 (expected --runs N, --long, reader names)" >&2
      exit 2
      ;;
    *)
      readers+=("$1")
      shift
      ;;
  esac
done
if [ ${#readers[@]} -eq 0 ]; then
  for dir in tests/fuzz/corpus/*/; do
    readers+=("$(basename "$dir")")
  done
fi
if [ ${#budget[@]} -eq 0 ]; then
  budget=(-runs="$runs")
fi

export CMAKE_CXX_COMPILER_LAUNCHER=${CMAKE_CXX_COMPILER_LAUNCHER:-$(command -v ccache || true)}
CXX=clang++-14 cmake -S . -B build-fuzz -DCMAKE_BUILD_TYPE=RelWithDebInfo -DCURVELAB_FUZZ=ON -DCURVELAB_TESTS=OFF \
  -DCURVELAB_BENCHMARKS=OFF >/dev/null
targets=()
for reader in "${readers[@]}"; do
  targets+=(--target "fuzz_$reader")
done
cmake --build build-fuzz -j "$(nproc)" "${targets[@]}"

mkdir -p build-fuzz/artifacts
export ASAN_OPTIONS=detect_leaks=1:allocator_may_return_null=0
export UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1
for reader in "${readers[@]}"; do
  mkdir -p "build-fuzz/corpus/$reader"
  echo "fuzz: $reader (${budget[*]})"
  # -seed fixes the inputs of a short run; the first folder receives what is new.
  build-fuzz/tests/fuzz/fuzz_"$reader" "${budget[@]}" -seed=1 -max_len=65536 -timeout=10 -rss_limit_mb=2048 \
    -artifact_prefix="build-fuzz/artifacts/$reader-" -print_final_stats=0 \
    "build-fuzz/corpus/$reader" "tests/fuzz/corpus/$reader" 2>"build-fuzz/$reader.log" ||
    { tail -n 40 "build-fuzz/$reader.log" >&2; echo "fuzz: $reader broke the contract (see above)" >&2; exit 1; }
  tail -n 1 "build-fuzz/$reader.log"
done
