#!/usr/bin/env bash
# curvelab quiz and score as a model evaluator uses them: prompts out, answers in, scores.
# usage: quiz.test.sh path/to/curvelab
# shellcheck source=SCRIPTDIR/harness.sh
source "$(dirname "$0")/harness.sh" "$@"

"$cli" quiz --count 16 --seed 3 >"$tmp/quiz.json" || fail "quiz exits 0 (status $?)"
"$cli" quiz --count 16 --seed 3 >"$tmp/quiz-again.json"
want_status 0
want_files_same "$tmp/quiz-again.json" "$tmp/quiz.json"
verdict "quiz is deterministic"
succeeds "quiz json: every kind, curves per label, swapped pairs" node -e "
const q=JSON.parse(require('fs').readFileSync('$tmp/quiz.json','utf8'));
if (q.schema!=='curvelab.quiz/1' || q.items.length!==16) process.exit(1);
const kinds=new Set(q.items.map(i=>i.kind)); if (kinds.size!==8) process.exit(2);
for (const i of q.items) {
  if (!i.question || !i.answer_format || i.runs.length!==i.labels.length) process.exit(3);
  for (const l of i.labels) if (i.curves[l].length!==i.shown_until) process.exit(4);
  if (i.kind==='stop-early' && i.shown_until>=i.horizon) process.exit(5);
}
const swapped=q.items.filter(i=>i.swapped); if (swapped.length<1) process.exit(6);
for (const s of swapped) { const o=q.items.find(i=>i.id+'-swapped'===s.id); if(!o || o.runs[0].seed!==s.runs[1].seed) process.exit(7); }
"

# The answer key scores 1 on every item, and the pruners sit on the same board.
"$cli" score --quiz "$tmp/quiz.json" --key >"$tmp/key.jsonl"
compare "$(wc -l <"$tmp/key.jsonl")" -eq 16 "score --key gives one answer per item"
"$cli" score --quiz "$tmp/quiz.json" --answers "$tmp/key.jsonl" --format json >"$tmp/perfect.json"
succeeds "the answer key scores 1 everywhere; pruners appear on stop kinds only, the curve model on every kind, reference rows below chance" node -e "
const r=JSON.parse(require('fs').readFileSync('$tmp/perfect.json','utf8'));
if (r.answered!==16 || r.unparseable.length!==0) process.exit(1);
for (const [kind, whos] of Object.entries(r.by_kind)) if (whos.model.score!==1) process.exit(2);
if (!r.by_kind['stop-early'].median || !r.by_kind['sequential'].hyperband) process.exit(3);
if (r.by_kind['rank-max'].median) process.exit(4);
for (const whos of Object.values(r.by_kind)) if (whos.random.score!==0) process.exit(5);
if (!(r.by_kind['stop-early']['stop all'].score<0) || !(r.by_kind['sequential']['stop none'].score<0)) process.exit(6);
if (r.by_kind['rank-max']['stop all']) process.exit(7);
for (const whos of Object.values(r.by_kind)) { const c=whos['curve model']; if (!c || c.items<1 || (c.answered>0 && !(c.score<=1))) process.exit(8); }
"
"$cli" score --quiz "$tmp/quiz.json" --answers "$tmp/key.jsonl" >"$tmp/perfect.txt"
want_compare "$(grep -c '^[a-z-]* *curve model ' "$tmp/perfect.txt")" -eq 8 "curve model rows"
want_no_match "$(cat "$tmp/perfect.txt")" '\[curve model\]' "the text report"
verdict "the text report has a curve model row per kind, not bracketed as a reference"

# Replies with text around the JSON are read; broken ones are counted and listed, never crash.
node -e "
const fs=require('fs'); const key=fs.readFileSync('$tmp/key.jsonl','utf8').trim().split('\n').map(JSON.parse);
const out=[];
key.forEach((k,i)=>{
  const a=JSON.stringify(k.answer);
  if (i===0) out.push(JSON.stringify({id:k.id, response:'Let me think. The format is {\"stop\": []}. Final answer: '+a+' Thanks.'}));
  else if (i===1) out.push(JSON.stringify({id:k.id, response:'I cannot tell.'}));
  else if (i===2) out.push('this line is not JSON');
  else if (i===3) out.push(JSON.stringify({id:'no-such-item', answer:k.answer}));
  else out.push(JSON.stringify({id:k.id, answer:k.answer}));
});
fs.writeFileSync('$tmp/messy.jsonl', out.join('\n')+'\n');"
"$cli" score --quiz "$tmp/quiz.json" --answers "$tmp/messy.jsonl" --format json >"$tmp/messy.json"
status=$?
status_is 0 "score exits 0 on messy answers" "$status"
succeeds "text around the answer is tolerated; unparseable answers are counted and listed" node -e "
const r=JSON.parse(require('fs').readFileSync('$tmp/messy.json','utf8'));
if (r.unparseable.length!==3) process.exit(1);
if (r.unparseable[0].error!=='no JSON object in the reply') process.exit(2);
if (r.unparseable[1].line!==3 || r.unparseable[2].error!=='no item with this id in the quiz') process.exit(3);
if (r.answered!==13 || r.missing.length!==3) process.exit(4);
if (r.per_item[0].score.score!==1) process.exit(5);
"

# A wrong ranking scores below 1 exactly as the core computes it: reversed = tau -1.
node -e "
const fs=require('fs'); const key=fs.readFileSync('$tmp/key.jsonl','utf8').trim().split('\n').map(JSON.parse);
const out=key.filter(k=>k.answer.ranking).map(k=>JSON.stringify({id:k.id, answer:{ranking:[...k.answer.ranking].reverse()}}));
fs.writeFileSync('$tmp/reversed.jsonl', out.join('\n')+'\n');"
"$cli" score --quiz "$tmp/quiz.json" --answers "$tmp/reversed.jsonl" --format json >"$tmp/reversed.json"
succeeds "reversed rankings score tau -1" node -e "
const r=JSON.parse(require('fs').readFileSync('$tmp/reversed.json','utf8'));
for (const k of ['rank-max','rank-fastest','rank-slowest']) { const m=r.by_kind[k].model; if (m.kendall_tau!==-1 || m.top1!==0 || m.score!==-1) process.exit(1); }
"

# A random answerer (seeded): every answer valid, scoring about the chance level 0, well below the key's 1.
node -e "
const fs=require('fs'); const q=JSON.parse(fs.readFileSync('$tmp/quiz.json','utf8'));
let x=12345; const rand=()=>((x=(x*1103515245+12345)%2147483648)/2147483648);
const pick=(a)=>a[Math.floor(rand()*a.length)];
const shuffle=(a)=>{a=[...a]; for(let i=a.length-1;i>0;i--){const j=Math.floor(rand()*(i+1)); [a[i],a[j]]=[a[j],a[i]];} return a;};
const out=q.items.map(i=>{ let a;
  if (i.kind==='stop-early') a={stop:i.labels.filter(()=>rand()<0.5)};
  else if (i.kind.startsWith('rank')) a={ranking:shuffle(i.labels)};
  else if (i.kind==='onset'||i.kind==='stop-point') a={step:1+Math.floor(rand()*i.horizon)};
  else if (i.kind==='pairwise') a={better:pick(i.labels)};
  else a={stops:i.labels.map(()=>rand()<0.5?null:pick(i.checkpoints))};
  return JSON.stringify({id:i.id, answer:a}); });
fs.writeFileSync('$tmp/random.jsonl', out.join('\\n')+'\\n');"
"$cli" score --quiz "$tmp/quiz.json" --answers "$tmp/random.jsonl" --format json >"$tmp/random.json"
succeeds "random answers are all valid and score about 0, well below the key" node -e "
const r=JSON.parse(require('fs').readFileSync('$tmp/random.json','utf8'));
if (r.answered!==16 || r.unparseable.length!==0) process.exit(1);
const scores=r.per_item.map(p=>p.score.score);
if (scores.some(s=>!(s<=1))) process.exit(2);
const mean=scores.reduce((a,b)=>a+b,0)/scores.length; if (!(Math.abs(mean)<0.4)) process.exit(3);
"

# Invalid answers are refused with the reason.
first_rank=$(node -e "const k=require('fs').readFileSync('$tmp/key.jsonl','utf8').trim().split('\n').map(JSON.parse).find(k=>k.answer.ranking); console.log(k.id)")
echo "{\"id\": \"$first_rank\", \"answer\": {\"ranking\": [\"A\", \"A\", \"B\", \"C\"]}}" >"$tmp/bad.jsonl"
"$cli" score --quiz "$tmp/quiz.json" --answers "$tmp/bad.jsonl" >"$tmp/bad.txt"
contains "$(cat "$tmp/bad.txt")" "ranking must name each of the 4 runs (A..D) exactly once" \
  "a ranking with a repeated run is refused with the reason"

# Prompts: every format names the item and the answer format; SVG charts are written.
for format in text csv markdown; do
  "$cli" quiz --count 4 --seed 3 --format $format --svg "$tmp/svg" >"$tmp/prompts.$format"
  compare "$(grep -c '^Item ' "$tmp/prompts.$format")" -eq 4 "$format prompts: one per item"
  compare "$(grep -c 'Answer with one line of JSON' "$tmp/prompts.$format")" -eq 4 "$format prompts state the answer format"
done
matches "$(cat "$tmp/prompts.markdown")" '^\| step \| A \| B \| C \| D \| E \| F \|' "markdown prompts carry a table"
matches "$(cat "$tmp/prompts.csv")" '^step,A,B,C,D,E,F' "csv prompts carry a CSV table"
matches "$(cat "$tmp/prompts.text")" '^Run A: 10: ' "text prompts carry step: value lists"
compare "$(find "$tmp/svg" -mindepth 1 -maxdepth 1 -name '*.svg' | wc -l)" -eq 4 "one SVG per item"
contains "$(cat "$tmp/svg/stop-early-3-0.svg")" '<polyline' "the SVG draws the curves"
if command -v rsvg-convert >/dev/null; then
  "$cli" quiz --count 2 --seed 3 --svg "$tmp/png dir" --png >/dev/null
  same "$(head -c 8 "$tmp/png dir/stop-early-3-0.png" | od -An -tx1 | tr -d ' \n')" "89504e470d0a1a0a" "--png writes PNG files"
fi
"$cli" quiz --count 2 --seed 3 --format jsonl --data json --sparkline --with-context >"$tmp/p.jsonl"
succeeds "jsonl prompts with JSON data, sparklines and context" node -e "
const ls=require('fs').readFileSync('$tmp/p.jsonl','utf8').trim().split('\n').map(JSON.parse);
if (ls.length!==2 || !ls[0].prompt.includes('Sparklines') || !ls[0].prompt.includes('random policy') || !ls[0].prompt.includes('{\"step\":[10,20')) process.exit(1);
"

expect_refusal_has '--kind must be one of' quiz --kind ranking
expect_refusal "curvelab score: --quiz: cannot read \"$tmp/missing.json\"" score --quiz "$tmp/missing.json" --answers "$tmp/key.jsonl"
echo '{"items": [{"kind": "onset"}]}' >"$tmp/broken.json"
expect_refusal_has "item 1: item.id must be a non-empty string" score --quiz "$tmp/broken.json" --answers "$tmp/key.jsonl"

# Labels as the page writes them, from two annotators: one gives the key, one reverses rankings.
node -e "
const fs=require('fs');
const q=JSON.parse(fs.readFileSync('$tmp/quiz.json','utf8'));
const key=new Map(fs.readFileSync('$tmp/key.jsonl','utf8').trim().split('\\n').map(JSON.parse).map(k=>[k.id,k.answer]));
const lines=[];
for (const who of ['ann-1','ann-2']) for (const item of q.items) {
  let answer=key.get(item.id);
  if (who==='ann-2' && answer.ranking) answer={ranking:[...answer.ranking].reverse()};
  lines.push(JSON.stringify({schema:'curvelab.label/1', id:who+'-'+item.id, annotator:who, session:'s', created_at:'2026-11-29T12:00:00Z',
    app_version:'test', quiz_kind:item.kind, item, display:{}, answer, skipped:false, latency_ms:1000, score:{}}));
}
fs.writeFileSync('$tmp/labels.jsonl', lines.join('\\n')+'\\n');"
"$cli" labels summary "$tmp/labels.jsonl" --format json >"$tmp/summary.json"
succeeds "labels summary: agreement per kind from two annotators" node -e "
const s=JSON.parse(require('fs').readFileSync('$tmp/summary.json','utf8'));
if (s.labels!==32 || s.annotators!==2) process.exit(1);
if (s.by_kind['rank-max'].mean_agreement!==0) process.exit(2);   // reversed rankings of 4 cancel out: W = 0
if (s.by_kind['onset'].mean_agreement!==0) process.exit(3);      // same clicks: distance 0
if (s.by_kind['stop-early'].mean_agreement!==1) process.exit(4); // same stops: kappa 1
"
out=$("$cli" labels summary "$tmp/labels.jsonl" "$tmp/labels.jsonl")
want_status 0
want_has "$out" "32 labels from 2 annotators (32 duplicates ignored)" stdout
verdict "labels merge de-duplicates by id"
compare "$("$cli" labels csv "$tmp/labels.jsonl" | wc -l)" -eq 33 "labels csv: a header and one row per label"
"$cli" score --quiz "$tmp/quiz.json" --answers "$tmp/key.jsonl" --labels "$tmp/labels.jsonl" --format json >"$tmp/people.json"
succeeds "score --labels puts people on the board" node -e "
const r=JSON.parse(require('fs').readFileSync('$tmp/people.json','utf8'));
if (r.labels_used!==32) process.exit(1);
if (r.by_kind['rank-max'].people.score!==0 || r.by_kind['rank-max'].people.answered!==4) process.exit(2);
if (r.by_kind['onset'].people.score!==1) process.exit(3);
"
head -n 3 "$tmp/labels.jsonl" >"$tmp/broken.jsonl"
echo '{"schema": "someone-else/2"}' >>"$tmp/broken.jsonl"
expect_refusal "curvelab labels: $tmp/broken.jsonl: line 4: not a curvelab label: schema must be \"curvelab.label/2\" or \"curvelab.label/1\", got \"someone-else/2\"" \
  labels merge "$tmp/broken.jsonl"

# --min-answerability: only the items the shown data supports (the curve model's score on
# them), drawn deterministically from each kind's stream; bad values and an unreachable
# threshold are refused in one line, exit 2.
"$cli" quiz --kind stop-early,pairwise --count 6 --seed 1 --min-answerability 0.4 >"$tmp/kept.json" ||
  fail "--min-answerability exits 0 (status $?)"
"$cli" quiz --kind stop-early,pairwise --count 6 --seed 1 --min-answerability 0.4 >"$tmp/kept-again.json"
want_status 0
want_files_same "$tmp/kept-again.json" "$tmp/kept.json"
verdict "--min-answerability is deterministic"
succeeds "--min-answerability 0.4 keeps stop-early-1-0 and 1-2, drops pairwise-1-3 for pairwise-1-5, and gives each item's figure" node -e "
const q=JSON.parse(require('fs').readFileSync('$tmp/kept.json','utf8'));
const ids=q.items.map(i=>i.id).join(' ');
if (ids!=='stop-early-1-0 pairwise-1-1 stop-early-1-2 pairwise-1-5 pairwise-1-1-swapped pairwise-1-5-swapped') { console.error(ids); process.exit(1); }
if (q.min_answerability!==0.4 || q.candidates!==5) process.exit(2);
for (const i of q.items) if (!(i.answerability>=0.4)) process.exit(3);
"
"$cli" quiz --kind stop-early,pairwise --count 6 --seed 1 --min-answerability -1 --answerability --format json >"$tmp/spread.json"
succeeds "--answerability reports the spread per kind" node -e "
const r=JSON.parse(require('fs').readFileSync('$tmp/spread.json','utf8'));
const s=r.by_kind['stop-early'], p=r.by_kind['pairwise'];
if (!s || !p || s.n+p.n!==6 || r.items!==6 || r.min_answerability!==-1) process.exit(1);
if (!(s.min<=s.p25 && s.p25<=s.median && s.median<=s.p75 && s.p75<=s.max && s.max<=1)) process.exit(2);
"
"$cli" score --quiz "$tmp/kept.json" --key >"$tmp/kept-key.jsonl"
"$cli" score --quiz "$tmp/kept.json" --answers "$tmp/kept-key.jsonl" --format json >"$tmp/kept-score.json"
succeeds "a kept item's answerability is the curve model's score on it in curvelab score" node -e "
const q=JSON.parse(require('fs').readFileSync('$tmp/kept.json','utf8'));
const r=JSON.parse(require('fs').readFileSync('$tmp/kept-score.json','utf8'));
const mean=(k)=>{const a=q.items.filter(i=>i.kind===k).map(i=>i.answerability); return a.reduce((x,y)=>x+y,0)/a.length;};
for (const k of ['stop-early','pairwise']) if (Math.abs(r.by_kind[k]['curve model'].score-mean(k))>1e-12) process.exit(1);
"
expect_refusal 'curvelab quiz: --min-answerability must be in [-1, 1], got 1.5' quiz --count 2 --min-answerability 1.5
expect_refusal 'curvelab quiz: --min-answerability must be in [-1, 1], got -2' quiz --count 2 --min-answerability -2
expect_refusal 'curvelab quiz: --min-answerability must be a number in [-1, 1], got "nan"' \
  quiz --count 2 --min-answerability nan
expect_refusal 'curvelab quiz: --min-answerability must be a number in [-1, 1], got ""' quiz --count 2 --min-answerability ''
expect_refusal 'curvelab quiz: --min-answerability must be a number in [-1, 1], got "0x1"' \
  quiz --count 2 --min-answerability 0x1
# A threshold not reached within the bound is refused naming the kind and the indices.
expect_refusal "curvelab quiz: --min-answerability 0.3: no onset item reaches it among the 50 candidates (indices 56 to 105 of seed 1); lower it" \
  quiz --kind onset --count 4 --seed 1 --min-answerability 0.3
out=$("$cli" quiz --count 2 --answerability --svg "$tmp/svg" 2>&1 >/dev/null); status=$?
want_status 2 "$status"
want_lines "$out" 1 stderr
verdict "--answerability with --svg is refused"

finish quiz
