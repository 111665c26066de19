#!/usr/bin/env bash
# Formatting is mechanical: every C++ file must be as clang-format (.clang-format) leaves it.
set -euo pipefail
cd "$(dirname "$0")/.."
files=$(git ls-files '*.cpp' '*.hpp')
if ! clang-format --dry-run --Werror $files; then
  echo "check-format: run 'clang-format -i' on the files above" >&2
  exit 1
fi
echo "check-format: $(echo "$files" | wc -w) C++ files formatted"
