# The shared harness of the CLI test scripts (sourced): the binary under test, a scratch
# folder removed on exit, and the pass/fail counters with the closing line ctest reads.
# usage in a script: source "$(dirname "$0")/harness.sh" "$@"; ...; finish NAME
set -uo pipefail
cli=$1
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
passed=0
failed=0
ok() { passed=$((passed + 1)); }
fail() { failed=$((failed + 1)); echo "FAIL: $*"; }
# finish NAME: "NAME: N passed, N failed", and the exit status.
finish() {
  echo "$1: $passed passed, $failed failed"
  [ "$failed" -eq 0 ]
}
