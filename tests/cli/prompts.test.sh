#!/usr/bin/env bash
# Batch prompts for models show nothing past the point at which their question is asked:
# stop-early prompts end at the cut, onset prompts give the random-policy level, and
# sequential items (a decision at every checkpoint) are left out with a note to use --agent.
# usage: prompts.test.sh path/to/curvelab
# shellcheck source=SCRIPTDIR/harness.sh
source "$(dirname "$0")/harness.sh" "$@"

"$cli" quiz --count 16 --seed 3 >"$tmp/quiz.json" 2>"$tmp/json.err" || fail "quiz json exits 0 (status $?)"
want_empty "$tmp/json.err" stderr
verdict "the json set keeps sequential items without a note"
seq=$(node -e "const q=JSON.parse(require('fs').readFileSync('$tmp/quiz.json','utf8')); console.log(q.items.filter(i=>i.kind==='sequential').length)")
compare "$seq" -ge 2 "the set holds sequential items"

"$cli" quiz --count 16 --seed 3 --format jsonl --data json --downsample 1 --round 12 --with-context \
  >"$tmp/p.jsonl" 2>"$tmp/p.err"; status=$?
status_is 0 "jsonl prompts exit 0" "$status"
want_compare "$(wc -l <"$tmp/p.err")" -eq 1 "stderr lines"
want_match "$(cat "$tmp/p.err")" "^curvelab quiz: left out $seq sequential items from the prompts: .*curvelab quiz --agent 'CMD'" stderr
verdict "one note on stderr names the sequential items left out and points to --agent"
succeeds "no prompt shows a value past its decision point; onset prompts give the random-policy level" node -e "
const fs=require('fs');
const q=JSON.parse(fs.readFileSync('$tmp/quiz.json','utf8'));
const ps=fs.readFileSync('$tmp/p.jsonl','utf8').trim().split('\n').map(JSON.parse);
if (ps.length!==q.items.length-$seq) process.exit(1);
let cut=0, onset=0;
for (const p of ps) {
  const item=q.items.find(i=>i.id===p.id);
  if (!item || item.kind==='sequential') process.exit(2);
  const data=JSON.parse(p.prompt.split('\n').find(l=>l.startsWith('{\"step\":')));
  // Every step up to the decision point, and not one beyond it.
  if (data.step.length!==item.shown_until || data.step[data.step.length-1]!==item.shown_until) process.exit(3);
  data.step.forEach((s,k)=>{ if (s!==k+1) process.exit(4); });
  // The values are the shown curves (as score reads them), step for step.
  for (const l of item.labels) data[l].forEach((v,k)=>{ if (Math.abs(v-item.curves[l][k])>1e-11) process.exit(5); });
  if (item.kind==='stop-early') { if (item.shown_until>=item.horizon || !p.prompt.includes('up to step '+item.shown_until+' of '+item.horizon+' (the cut)')) process.exit(6); cut++; }
  if (item.kind==='onset') {
    const target=item.target;
    const m=p.prompt.match(new RegExp('The random-policy level of run '+target+' \\\\(the expected reward of pulling arms uniformly at random on its bandit\\\\): (-?[0-9.]+)\\\\.'));
    if (!m) process.exit(7);
    // The same level the context line gives for that run.
    const ctx=p.prompt.match(new RegExp('random policy \\\\(the level a run starts from\\\\):.* '+target+' (-?[0-9.]+)[,.]'));
    if (!ctx || ctx[1]!==m[1]) process.exit(8);
    onset++;
  } else if (p.prompt.includes('random-policy level of run')) process.exit(9);
}
if (cut<1 || onset<1) process.exit(10);
"

"$cli" quiz --count 16 --seed 3 --format text --svg "$tmp/svg" >"$tmp/p.txt" 2>"$tmp/text.err"
compare "$(grep -c '^Item ' "$tmp/p.txt")" -eq $((16 - seq)) "text prompts leave the sequential items out"
want_no_match "$(cat "$tmp/p.txt")" '^Item sequential' "text prompts"
verdict "no sequential prompt is written"
matches "$(cat "$tmp/text.err")" "left out $seq sequential items from the prompts and charts" "the note names charts too"
want_compare "$(find "$tmp/svg" -mindepth 1 -maxdepth 1 -name 'sequential-*' | wc -l)" -eq 0 "charts of sequential items"
want_compare "$(find "$tmp/svg" -mindepth 1 -maxdepth 1 | wc -l)" -eq $((16 - seq)) "charts"
verdict "no chart of a sequential item ($(cd "$tmp/svg" && echo *))"
onset_svg=$(cd "$tmp/svg" && printf '%s\n' onset-* | head -n 1)
level=$(node -e "
const ps=require('fs').readFileSync('$tmp/p.jsonl','utf8').trim().split('\n').map(JSON.parse);
const p=ps.find(p=>p.id+'.svg'==='$onset_svg');
console.log(Number(p.prompt.match(/random-policy level of run [A-Z]+ \(.*\): (-?[0-9.]+)\./)[1]).toFixed(3));")
matches "$(grep -F 'random-policy level' "$tmp/svg/$onset_svg")" "random-policy level of [A-Z]*: $level</text>" \
  "the onset chart draws the random-policy level ($onset_svg)"
"$cli" quiz --count 16 --seed 3 --svg "$tmp/svg2" >"$tmp/q2.json" 2>"$tmp/svg.err"
want_files_same "$tmp/q2.json" "$tmp/quiz.json"
want_match "$(cat "$tmp/svg.err")" "left out $seq sequential items from the charts" stderr
verdict "json with --svg: the set is whole, the charts leave sequential items out"

out=$("$cli" quiz --kind sequential --count 3 --format markdown 2>&1 >/dev/null); status=$?
want="curvelab quiz: --format markdown: every item is sequential, and a batch prompt would show each run past its"
want+=" checkpoints; ask them through curvelab quiz --agent 'CMD'"
want_status 2 "$status"
want_lines "$out" 1 stderr
want_same "${out:0:${#want}}" "$want" "stderr's start"
verdict "only sequential items: exit 2 with one line"

finish prompts
