#!/usr/bin/env bash
# Every Catch2 test case is its own ctest entry. A name that CMake's list syntax splits
# or merges (an unbalanced '[' or a ';') would silently drop tests: count them both ways.
# usage: discovery.test.sh path/to/curvelab_tests build-dir
set -euo pipefail
tests=$1
build=$2
# (Catch2 2 exits with the number of tests it listed.)
in_binary=$({ "$tests" --list-test-names-only || true; } | grep -c .)
in_ctest=$(ctest --test-dir "$build" -N -R '^core\.' -E '^core\.discovery$' | grep -c 'Test *#')
if [ "$in_binary" -ne "$in_ctest" ]; then
  echo "discovery: the binary has $in_binary test cases, ctest runs $in_ctest (rename the ones with '[', ']' or ';')" >&2
  exit 1
fi
echo "discovery: $in_ctest test cases, each a ctest entry"
