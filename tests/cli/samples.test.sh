#!/usr/bin/env bash
# The sample files of public/samples/ are what scripts/make-samples.sh makes now, byte for
# byte; and `curvelab labels make`, which makes the label file: a label per answer line,
# refusals naming the line or the flag.
# usage: samples.test.sh path/to/curvelab
# shellcheck source=SCRIPTDIR/harness.sh
source "$(dirname "$0")/harness.sh" "$@"
root="$(dirname "$0")/../.."

"$root/scripts/make-samples.sh" "$cli" "$tmp/samples" || fail "make-samples.sh exits 0 (status $?)"
for f in study.json quiz.json labels.jsonl; do
  files_same "$tmp/samples/$f" "$root/public/samples/$f" "public/samples/$f is stale: run scripts/make-samples.sh"
done

# The key's labels: one per item, each scoring 1, with the given annotator, session and time.
quiz="$tmp/samples/quiz.json"
"$cli" score --quiz "$quiz" --key >"$tmp/key.jsonl" || fail "score --key exits 0 (status $?)"
"$cli" labels make "$quiz" "$tmp/key.jsonl" --annotator ann --created-at 2026-02-03T04:05:06Z >"$tmp/labels.jsonl"
status=$?
status_is 0 "labels make exits 0" "$status"
succeeds "labels make: one label per answer, the key scoring 1" node -e "
const fs=require('fs');
const items=JSON.parse(fs.readFileSync('$quiz','utf8')).items;
const labels=fs.readFileSync('$tmp/labels.jsonl','utf8').trim().split('\n').map(JSON.parse);
if (labels.length!==items.length) throw new Error(labels.length+' labels for '+items.length+' items');
labels.forEach((l,i)=>{
  const want={id:'ann-'+items[i].id, annotator:'ann', session:'ann', created_at:'2026-02-03T04:05:06Z', quiz_kind:items[i].kind};
  for (const [k,v] of Object.entries(want)) if (l[k]!==v) throw new Error(k+': '+l[k]+' != '+v);
  if (l.score.score!==1) throw new Error(l.id+' scores '+l.score.score);
});"
"$cli" labels merge "$tmp/labels.jsonl" >"$tmp/merged.jsonl"
want_status 0
want_files_same "$tmp/merged.jsonl" "$tmp/labels.jsonl"
verdict "labels merge reads them back unchanged"

head -1 "$tmp/key.jsonl" | sed 's/"id":"[^"]*"/"id":"nope"/' >"$tmp/unknown.jsonl"
printf '{"id": "%s", "answer": {"ranking": "A"}}\n' "$(node -e "console.log(JSON.parse(require('fs').readFileSync('$quiz','utf8')).items[1].id)")" >"$tmp/bad.jsonl"
expect_refusal_has 'line 1: no item with id "nope"' labels make "$quiz" "$tmp/unknown.jsonl"
cat "$tmp/key.jsonl" "$tmp/key.jsonl" >"$tmp/twice.jsonl"
expect_refusal_has "line $(($(wc -l <"$tmp/key.jsonl") + 1)): item \"$(head -1 "$tmp/key.jsonl" | node -e "process.stdout.write(JSON.parse(require('fs').readFileSync(0,'utf8')).id)")\" is answered on line 1 already" labels make "$quiz" "$tmp/twice.jsonl"
expect_refusal_has 'line 1: ranking must be a list of run labels, got "A"' labels make "$quiz" "$tmp/bad.jsonl"
expect_refusal_has '--created-at must be a UTC time YYYY-MM-DDTHH:MM:SSZ, got "yesterday"' labels make "$quiz" "$tmp/key.jsonl" --created-at yesterday
expect_refusal_has '--annotator must be 1..100 characters, got 0' labels make "$quiz" "$tmp/key.jsonl" --annotator ''
expect_refusal_has 'make takes 2 files, a quiz and its answers, got 1' labels make "$quiz"
expect_refusal_has '--annotator and --created-at go with make' labels merge "$tmp/labels.jsonl" --annotator x
finish samples
