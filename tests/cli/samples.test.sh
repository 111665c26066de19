#!/usr/bin/env bash
# The sample files of public/samples/ are what scripts/make-samples.sh makes now, byte for
# byte; and `curvelab labels make`, which makes the label file: a label per answer line,
# refusals naming the line or the flag.
# usage: samples.test.sh path/to/curvelab
source "$(dirname "$0")/harness.sh" "$@"
root="$(dirname "$0")/../.."

"$root/scripts/make-samples.sh" "$cli" "$tmp/samples" || fail "make-samples.sh exits 0"
for f in study.json quiz.json labels.jsonl; do
  cmp -s "$tmp/samples/$f" "$root/public/samples/$f" && ok ||
    fail "public/samples/$f is stale: run scripts/make-samples.sh"
done

# The key's labels: one per item, each scoring 1, with the given annotator, session and time.
quiz="$tmp/samples/quiz.json"
"$cli" score --quiz "$quiz" --key >"$tmp/key.jsonl" || fail "score --key exits 0"
"$cli" labels make "$quiz" "$tmp/key.jsonl" --annotator ann --created-at 2026-02-03T04:05:06Z >"$tmp/labels.jsonl"
status=$?
[ $status -eq 0 ] && ok || fail "labels make exits 0 ($status)"
node -e "
const fs=require('fs');
const items=JSON.parse(fs.readFileSync('$quiz','utf8')).items;
const labels=fs.readFileSync('$tmp/labels.jsonl','utf8').trim().split('\n').map(JSON.parse);
if (labels.length!==items.length) throw new Error(labels.length+' labels for '+items.length+' items');
labels.forEach((l,i)=>{
  const want={id:'ann-'+items[i].id, annotator:'ann', session:'ann', created_at:'2026-02-03T04:05:06Z', quiz_kind:items[i].kind};
  for (const [k,v] of Object.entries(want)) if (l[k]!==v) throw new Error(k+': '+l[k]+' != '+v);
  if (l.score.score!==1) throw new Error(l.id+' scores '+l.score.score);
});" && ok || fail "labels make: one label per answer, the key scoring 1"
"$cli" labels merge "$tmp/labels.jsonl" | cmp -s - "$tmp/labels.jsonl" && ok || fail "labels merge reads them back unchanged"

refused() {  # refused WANT ARGS...: exit 2 and WANT on stderr
  local want=$1
  shift
  "$cli" labels "$@" >/dev/null 2>"$tmp/err"
  local status=$?
  [ $status -eq 2 ] && grep -qF -- "$want" "$tmp/err" && ok || fail "labels $* ($status: $(cat "$tmp/err"))"
}
head -1 "$tmp/key.jsonl" | sed 's/"id":"[^"]*"/"id":"nope"/' >"$tmp/unknown.jsonl"
printf '{"id": "%s", "answer": {"ranking": "A"}}\n' "$(node -e "console.log(JSON.parse(require('fs').readFileSync('$quiz','utf8')).items[1].id)")" >"$tmp/bad.jsonl"
refused 'line 1: no item with id "nope"' make "$quiz" "$tmp/unknown.jsonl"
cat "$tmp/key.jsonl" "$tmp/key.jsonl" >"$tmp/twice.jsonl"
refused "line $(($(wc -l <"$tmp/key.jsonl") + 1)): item \"$(head -1 "$tmp/key.jsonl" | node -e "process.stdout.write(JSON.parse(require('fs').readFileSync(0,'utf8')).id)")\" is answered on line 1 already" make "$quiz" "$tmp/twice.jsonl"
refused 'line 1: ranking must be a list of run labels, got "A"' make "$quiz" "$tmp/bad.jsonl"
refused '--created-at must be a UTC time YYYY-MM-DDTHH:MM:SSZ, got "yesterday"' make "$quiz" "$tmp/key.jsonl" --created-at yesterday
refused '--annotator must be 1..100 characters, got 0' make "$quiz" "$tmp/key.jsonl" --annotator ''
refused 'make takes 2 files, a quiz and its answers, got 1' make "$quiz"
refused '--annotator and --created-at go with make' merge "$tmp/labels.jsonl" --annotator x
finish samples
