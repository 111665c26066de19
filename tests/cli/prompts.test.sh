#!/usr/bin/env bash
# Batch prompts for models show nothing past the point at which their question is asked:
# stop-early prompts end at the cut, onset prompts give the random-policy level, and
# sequential items (a decision at every checkpoint) are left out with a note to use --agent.
# usage: prompts.test.sh path/to/curvelab
source "$(dirname "$0")/harness.sh" "$@"
check() { if node -e "$1"; then ok; else fail "$2"; fi; }

"$cli" quiz --count 16 --seed 3 >"$tmp/quiz.json" 2>"$tmp/json.err" || fail "quiz json exits 0"
[ ! -s "$tmp/json.err" ] && ok || fail "the json set keeps sequential items without a note ($(cat "$tmp/json.err"))"
seq=$(node -e "const q=JSON.parse(require('fs').readFileSync('$tmp/quiz.json','utf8')); console.log(q.items.filter(i=>i.kind==='sequential').length)")
[ "$seq" -ge 2 ] && ok || fail "the set holds sequential items ($seq)"

"$cli" quiz --count 16 --seed 3 --format jsonl --data json --downsample 1 --round 12 --with-context \
  >"$tmp/p.jsonl" 2>"$tmp/p.err"; status=$?
[ $status -eq 0 ] && ok || fail "jsonl prompts exit 0 ($status)"
[ "$(wc -l <"$tmp/p.err")" -eq 1 ] && grep -q "^curvelab quiz: left out $seq sequential items from the prompts: .*curvelab quiz --agent 'CMD'" "$tmp/p.err" &&
  ok || fail "one note on stderr names the sequential items left out and points to --agent ($(cat "$tmp/p.err"))"
check "
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
" "no prompt shows a value past its decision point; onset prompts give the random-policy level"

"$cli" quiz --count 16 --seed 3 --format text --svg "$tmp/svg" >"$tmp/p.txt" 2>"$tmp/text.err"
[ "$(grep -c '^Item ' "$tmp/p.txt")" -eq $((16 - seq)) ] && ok || fail "text prompts leave the sequential items out"
grep -q '^Item sequential' "$tmp/p.txt" && fail "a sequential prompt was written" || ok
grep -q "left out $seq sequential items from the prompts and charts" "$tmp/text.err" && ok || fail "the note names charts too ($(cat "$tmp/text.err"))"
[ "$(ls "$tmp/svg" | grep -c '^sequential-')" -eq 0 ] && [ "$(ls "$tmp/svg" | wc -l)" -eq $((16 - seq)) ] && ok ||
  fail "no chart of a sequential item ($(ls "$tmp/svg" | tr '\n' ' '))"
onset_svg=$(ls "$tmp/svg" | grep '^onset-' | head -n 1)
level=$(node -e "
const ps=require('fs').readFileSync('$tmp/p.jsonl','utf8').trim().split('\n').map(JSON.parse);
const p=ps.find(p=>p.id+'.svg'==='$onset_svg');
console.log(Number(p.prompt.match(/random-policy level of run [A-Z]+ \(.*\): (-?[0-9.]+)\./)[1]).toFixed(3));")
grep -q "random-policy level of [A-Z]*: $level</text>" "$tmp/svg/$onset_svg" && ok || fail "the onset chart draws the random-policy level ($onset_svg, $level)"
"$cli" quiz --count 16 --seed 3 --svg "$tmp/svg2" >"$tmp/q2.json" 2>"$tmp/svg.err"
cmp -s "$tmp/q2.json" "$tmp/quiz.json" && grep -q "left out $seq sequential items from the charts" "$tmp/svg.err" && ok ||
  fail "json with --svg: the set is whole, the charts leave sequential items out ($(cat "$tmp/svg.err"))"

out=$("$cli" quiz --kind sequential --count 3 --format markdown 2>&1 >/dev/null); status=$?
[ $status -eq 2 ] && [ "$(printf '%s\n' "$out" | wc -l)" -eq 1 ] && [[ "$out" == "curvelab quiz: --format markdown: every item is sequential, and a batch prompt would show each run past its checkpoints; ask them through curvelab quiz --agent 'CMD'"* ]] &&
  ok || fail "only sequential items: exit 2 with one line ($status: $out)"

finish prompts
