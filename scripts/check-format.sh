#!/usr/bin/env bash
# Formatting is mechanical: every C++ file must be as clang-format (.clang-format) leaves it,
# and the page's TypeScript and tests as Prettier (.prettierrc.json, 120 columns) leaves them,
# with no TypeScript line longer than 120 characters.
set -euo pipefail
cd "$(dirname "$0")/.."
files=$(git ls-files '*.cpp' '*.hpp')
if ! clang-format --dry-run --Werror $files; then
  echo "check-format: run 'clang-format -i' on the files above" >&2
  exit 1
fi
echo "check-format: $(echo "$files" | wc -w) C++ files formatted"
if ! node_modules/.bin/prettier --check web/src vite.config.ts tests/web >/dev/null; then
  node_modules/.bin/prettier --list-different web/src vite.config.ts tests/web >&2 || true
  echo "check-format: run 'node_modules/.bin/prettier --write web/src vite.config.ts tests/web'" >&2
  exit 1
fi
ts=$(git ls-files 'web/src/*.ts' 'vite.config.ts')
# Characters, not bytes: the page's strings hold '·', '–' and 'ε'.
if ! node -e '
  const fs = require("fs");
  let bad = 0;
  for (const f of process.argv.slice(1))
    fs.readFileSync(f, "utf8").split("\n").forEach((l, i) => {
      if ([...l].length > 120) { console.error(`${f}:${i + 1}: ${[...l].length} characters`); bad++; }
    });
  process.exit(bad ? 1 : 0);
' $ts; then
  echo "check-format: wrap the TypeScript lines above at 120 characters" >&2
  exit 1
fi
echo "check-format: $(echo "$ts" | wc -w) TypeScript files formatted, none wider than 120"
