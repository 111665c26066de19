#!/usr/bin/env bash
# curvelab labels rescore: labels of the previous schema (curvelab.label/1) get their score
# recomputed from the item and answer they store, as the current schema; nothing else moves.
# usage: labels.test.sh path/to/curvelab
# shellcheck source=SCRIPTDIR/harness.sh
source "$(dirname "$0")/harness.sh" "$@"

"$cli" quiz --count 16 --seed 5 >"$tmp/quiz.json" || fail "quiz exits 0 (status $?)"
"$cli" score --quiz "$tmp/quiz.json" --key >"$tmp/key.jsonl" || fail "score --key exits 0 (status $?)"
# Old labels: the key's answers (ground truth scores 1 under any rules) and reversed
# rankings, each with a made-up score as an older rule could have given.
node -e "
const fs=require('fs');
const q=JSON.parse(fs.readFileSync('$tmp/quiz.json','utf8'));
const key=new Map(fs.readFileSync('$tmp/key.jsonl','utf8').trim().split('\\n').map(JSON.parse).map(k=>[k.id,k.answer]));
const lines=[];
for (const who of ['ann-1','ann-2']) for (const raw of q.items) {
  const {curves, ...item}=raw;
  let answer=key.get(item.id);
  if (who==='ann-2' && answer.ranking) answer={ranking:[...answer.ranking].reverse()};
  if (who==='ann-2' && item.kind==='stop-point') answer={step:null};
  lines.push(JSON.stringify({schema:'curvelab.label/1', id:who+'-'+item.id, annotator:who, session:'s', created_at:'2026-11-29T12:00:00Z',
    app_version:'old', quiz_kind:item.kind, item, display:{order:item.labels}, answer, skipped:false, latency_ms:1000.5, score:{score:0.123, skipped:false}}));
}
fs.writeFileSync('$tmp/old.jsonl', lines.join('\\n')+'\\n');"

"$cli" labels rescore "$tmp/old.jsonl" >"$tmp/new.jsonl" 2>"$tmp/err"; status=$?
want_status 0 "$status"
want_empty "$tmp/err" stderr
verdict "rescore exits 0 quietly"
# The answers as score reads them: the rescored labels must agree with score, item by item.
node -e "
const fs=require('fs');
for (const who of ['ann-1','ann-2']) {
  const ls=fs.readFileSync('$tmp/old.jsonl','utf8').trim().split('\\n').map(JSON.parse).filter(l=>l.annotator===who);
  fs.writeFileSync('$tmp/answers-'+who+'.jsonl', ls.map(l=>JSON.stringify({id:l.item.id, answer:l.answer})).join('\\n')+'\\n');
}"
"$cli" score --quiz "$tmp/quiz.json" --answers "$tmp/answers-ann-2.jsonl" --format json >"$tmp/score2.json"
succeeds "rescore: schema 2, the score recomputed as score computes it, every other field unchanged" node -e "
const fs=require('fs');
const read=(f)=>fs.readFileSync(f,'utf8').trim().split('\n').map(JSON.parse);
const old=read('$tmp/old.jsonl'), now=read('$tmp/new.jsonl');
if (now.length!==old.length) process.exit(1);
const report=JSON.parse(fs.readFileSync('$tmp/score2.json','utf8'));
const byKind={};
const canon=(v)=>Array.isArray(v)?v.map(canon):v&&typeof v==='object'?Object.fromEntries(Object.keys(v).sort().map(k=>[k,canon(v[k])])):v;
now.forEach((l,i)=>{
  if (l.schema!=='curvelab.label/2') process.exit(2);
  // Nothing but the schema and the score changes.
  const a={...l}, b={...old[i]};
  for (const o of [a,b]) { delete o.schema; delete o.score; }
  if (JSON.stringify(canon(a))!==JSON.stringify(canon(b))) process.exit(3);
  if (typeof l.score.score!=='number' || l.score.score===0.123) process.exit(4);
  if (l.annotator==='ann-1' && l.score.score!==1) process.exit(5);   // ground truth's own answer
  if (l.annotator==='ann-2') (byKind[l.quiz_kind] ??= []).push(l.score.score);
});
// ann-2's mean rescored score per kind is what score reports for the same answers.
for (const [kind, scores] of Object.entries(byKind)) {
  const mean=scores.reduce((s,x)=>s+x,0)/scores.length;
  if (Math.abs(mean-report.by_kind[kind].model.score)>1e-9) { console.error(kind, mean, report.by_kind[kind].model.score); process.exit(6); }
}
if (!now.some(l=>l.quiz_kind==='stop-point' && l.answer.step===null)) process.exit(7);
"
"$cli" labels rescore "$tmp/new.jsonl" >"$tmp/again.jsonl"
want_status 0
want_files_same "$tmp/again.jsonl" "$tmp/new.jsonl"
verdict "rescoring current labels changes nothing"
out=$("$cli" labels summary "$tmp/old.jsonl" "$tmp/new.jsonl")
want_status 0
want_match "$out" "^32 labels from 2 annotators \(32 duplicates ignored\)" stdout
verdict "both schemas are read together"

head -n 2 "$tmp/old.jsonl" >"$tmp/broken.jsonl"
echo '{"schema": "curvelab.label/1", "id": ' >>"$tmp/broken.jsonl"
out=$("$cli" labels rescore "$tmp/broken.jsonl" 2>&1 >"$tmp/partial.jsonl"); status=$?
want_status 2 "$status"
want_same "$out" "curvelab labels: $tmp/broken.jsonl: line 3: not valid JSON" stderr
want_empty "$tmp/partial.jsonl" stdout
verdict "a broken file: exit 2, one line naming the line, nothing written"
expect_refusal "curvelab labels: rescore takes one label file, got 2" labels rescore "$tmp/old.jsonl" "$tmp/new.jsonl"
out=$("$cli" labels rescore "$tmp/missing.jsonl" 2>&1 >/dev/null); status=$?
want_status 2 "$status"
want_lines "$out" 1 stderr
want_has "$out" missing.jsonl stderr
verdict "a missing file"
finish labels
