#!/usr/bin/env bash
# The sample files of public/samples/, made by the CLI: a study (for `curvelab prune` and
# the pruner page's format), a quiz set (for `curvelab score`) and a label file (for the
# quiz page's Import JSONL and `curvelab labels`): the answer key's labels to that quiz.
# tests/cli/samples.test.sh regenerates them and compares the bytes.
# usage: scripts/make-samples.sh [curvelab binary] [output dir]
set -euo pipefail
cd "$(dirname "$0")/.."
cli=${1:-build/curvelab}
out=${2:-public/samples}
mkdir -p "$out"
"$cli" prune --generate 12 --steps 200 --seed 1 --pruner median --emit-study >"$out/study.json"
"$cli" quiz --kind stop-early,rank-max,onset,pairwise,sequential --count 6 --seed 1 >"$out/quiz.json"
"$cli" score --quiz "$out/quiz.json" --key |
  "$cli" labels make "$out/quiz.json" - --annotator answer-key --created-at 2026-01-01T00:00:00Z >"$out/labels.jsonl"
