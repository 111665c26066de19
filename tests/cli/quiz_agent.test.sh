#!/usr/bin/env bash
# curvelab quiz --agent: a program answers the quiz over JSON lines, sees what a person
# sees and nothing more, and no way it can fail holds curvelab up or outlives it.
# usage: quiz_agent.test.sh path/to/curvelab
# shellcheck source=SCRIPTDIR/harness.sh
source "$(dirname "$0")/harness.sh" "$@"

# An agent that answers from what it is shown: rank-max by the highest shown value (the
# definition of the answer, so it is right), pairwise by the later values, stop-early by
# the shown median, onset at the first step clearly above the random-policy level;
# sequential: stop run B at its second checkpoint. Every line it gets is kept in a file.
cat >"$tmp/agent.js" <<'JS'
const fs = require('fs');
const seen = process.argv[2];
const rl = require('readline').createInterface({ input: process.stdin });
const last = (r) => r.values[r.values.length - 1];
const mean = (xs) => xs.reduce((a, b) => a + b, 0) / xs.length;
const median = (xs) => { const s = [...xs].sort((a, b) => a - b); const m = s.length >> 1; return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2; };
rl.on('line', (line) => {
  fs.appendFileSync(seen, line + '\n');
  const m = JSON.parse(line);
  if (m.type === 'done') return;
  if (m.type === 'checkpoint') {
    const stop = m.run === 'B' && m.step === m.checkpoints[1];
    console.log(JSON.stringify({ id: m.id, decision: stop ? 'stop' : 'continue' }));
    return;
  }
  let answer;
  switch (m.kind) {
    case 'rank-max': answer = { ranking: [...m.runs].sort((a, b) => Math.max(...b.values) - Math.max(...a.values)).map((r) => r.label) }; break;
    case 'pairwise': { const tail = (r) => mean(r.values.slice(-100)); answer = { better: tail(m.runs[0]) >= tail(m.runs[1]) ? 'A' : 'B' }; break; }
    case 'stop-early': { const med = median(m.runs.map(last)); answer = { stop: m.runs.filter((r) => last(r) < med).map((r) => r.label) }; break; }
    case 'onset': { const v = m.runs.find((r) => r.label === m.target).values; const i = v.findIndex((x) => x > m.random_policy_level + 0.2); answer = { step: i < 0 ? 1 : i + 1 }; break; }
    case 'stop-point': answer = { step: null }; break;
    default: answer = { ranking: m.runs.map((r) => r.label) };
  }
  console.log(JSON.stringify({ id: m.id, answer }));
});
JS

# A mixed quiz with every kind: the agent's answers, its report, and the same answers
# scored by `curvelab score` give the same numbers.
"$cli" quiz --count 10 --seed 5 --kind mixed >"$tmp/quiz.json"
"$cli" quiz --count 10 --seed 5 --kind mixed --agent "node $tmp/agent.js $tmp/seen.jsonl" --timeout-ms 60000 \
  --out "$tmp/answers.jsonl" --format json >"$tmp/report.json"
status=$?
status_is 0 "quiz --agent exits 0" "$status"
json_check "$tmp/report.json" "j.items===10 && j.agent.skipped===0 && j.agent.timeouts===0 && j.agent.malformed===0 && j.by_kind['rank-max'].agent.score===1 && j.by_kind['rank-max'].median===undefined && j.by_kind['stop-early'].median.items===j.by_kind['stop-early'].agent.items" "the agent's row and the pruners' rows on one board"
"$cli" score --quiz "$tmp/quiz.json" --answers "$tmp/answers.jsonl" --format json >"$tmp/rescored.json"
succeeds "--out scored by curvelab score gives the report of quiz --agent" node -e "
const fs=require('fs'); const a=JSON.parse(fs.readFileSync('$tmp/report.json','utf8')); const b=JSON.parse(fs.readFileSync('$tmp/rescored.json','utf8'));
for (const [kind, rows] of Object.entries(a.by_kind)) {
  if (JSON.stringify(rows.agent)!==JSON.stringify(b.by_kind[kind].model)) process.exit(1);
  for (const [who, row] of Object.entries(rows)) if (who!=='agent' && JSON.stringify(row)!==JSON.stringify(b.by_kind[kind][who])) process.exit(2);
}
if (JSON.stringify(a.per_item)!==JSON.stringify(b.per_item)) process.exit(3);
"
# rank-max: the same answer as the key.
"$cli" score --quiz "$tmp/quiz.json" --key >"$tmp/key.jsonl"
succeeds "an agent reading the shown curves answers rank-max as the key does" node -e "
const fs=require('fs'); const rows=(f)=>fs.readFileSync(f,'utf8').trim().split('\n').map(JSON.parse);
const key=rows('$tmp/key.jsonl'); const mine=rows('$tmp/answers.jsonl');
const ids=key.filter(k=>k.id.startsWith('rank-max')).map(k=>k.id); if (!ids.length) process.exit(1);
for (const id of ids) if (JSON.stringify(key.find(k=>k.id===id).answer)!==JSON.stringify(mine.find(k=>k.id===id).answer)) process.exit(2);
"

# What it saw: exactly the page's view. Whole items show the curves up to shown_until
# (stop-early: the cut) and onset the random-policy level; a sequential checkpoint shows
# the decided runs up to their stop (or the horizon), the growing run up to the
# checkpoint and nothing of the runs after it. Every value is the quiz's shown curve.
succeeds "the agent sees what the page shows, never a value past the checkpoint" node -e "
const fs=require('fs');
const quiz=JSON.parse(fs.readFileSync('$tmp/quiz.json','utf8'));
const seen=fs.readFileSync('$tmp/seen.jsonl','utf8').trim().split('\n').map(JSON.parse);
const fail=(why)=>{ console.error(why); process.exit(1); };
const prefix=(a,b)=>a.every((v,i)=>v===b[i]);
let checkpoints=0, questions=0;
for (const m of seen) {
  if (m.type==='done') continue;
  const item=quiz.items.find(i=>i.id===(m.type==='checkpoint'?m.item:m.id)); if(!item) fail('unknown item '+m.id);
  if (m.type==='question') {
    questions++;
    if (item.kind==='sequential') fail('a sequential item asked whole');
    for (const r of m.runs) { if (r.values.length!==item.shown_until || !prefix(r.values,item.curves[r.label])) fail('wrong values '+m.id); }
    if (item.kind==='onset' && typeof m.random_policy_level!=='number') fail('onset without the level');
    if (m.question!==item.question || m.answer_format!==item.answer_format) fail('not the item question');
    continue;
  }
  checkpoints++;
  const run=item.labels.indexOf(m.run);
  if (m.runs.length!==run+1) fail('runs after the growing one were sent: '+m.id);
  m.runs.forEach((r,k)=>{
    const want=k<run ? (r.stopped_at===null ? item.horizon : r.stopped_at) : m.step;
    if (r.values.length!==want) fail('run '+r.label+' shows '+r.values.length+' steps at '+m.id+', not '+want);
    if (!prefix(r.values,item.curves[r.label])) fail('not the shown curve '+m.id);
  });
  if (m.id!==m.item+':'+m.run+':'+m.step) fail('id '+m.id);
}
const seq=quiz.items.filter(i=>i.kind==='sequential');
// Every run goes through every checkpoint but B, stopped at its second.
const expected=seq.reduce((n,i)=>n+(i.labels.length-1)*i.checkpoints.length+2,0);
if (checkpoints!==expected || questions!==quiz.items.length-seq.length) fail('asked '+checkpoints+'/'+questions);
const stopped=seen.filter(m=>m.type==='checkpoint' && m.run==='C')[0].runs[1];
if (stopped.stopped_at!==seq[0].checkpoints[1]) fail('B not shown as stopped');
"
contains "$(head -1 "$tmp/answers.jsonl")" '"id":"stop-early-5-0"' "--out: one line per item"
contains "$(cat "$tmp/answers.jsonl")" '"stops":[null,' "--out: sequential stops assembled from the decisions"

# With context (the page's option): the growing run's random-policy level and the best
# run so far among those that ran to the end (none before the first has finished).
"$cli" quiz --count 1 --seed 5 --kind sequential --with-context --agent "node $tmp/agent.js $tmp/seen3.jsonl" --timeout-ms 60000 >/dev/null
"$cli" quiz --count 1 --seed 5 --kind sequential >"$tmp/seq.json"
"$cli" quiz --count 1 --seed 5 --kind sequential --agent "node $tmp/agent.js $tmp/seen4.jsonl" --timeout-ms 60000 >/dev/null
succeeds "--with-context: the random-policy level and the best run so far, as the page draws them" node -e "
const fs=require('fs'); const rows=(f)=>fs.readFileSync(f,'utf8').trim().split('\n').map(JSON.parse).filter(m=>m.type==='checkpoint');
const item=JSON.parse(fs.readFileSync('$tmp/seq.json','utf8')).items[0];
const withContext=rows('$tmp/seen3.jsonl'), without=rows('$tmp/seen4.jsonl');
if (without.some(m=>'best_so_far' in m || 'random_policy_level' in m)) process.exit(1);
for (const m of withContext) {
  if (typeof m.random_policy_level!=='number') process.exit(2);
  const finished=m.runs.slice(0,-1).filter(r=>r.stopped_at===null);
  if (!finished.length) { if (m.best_so_far!==null) process.exit(3); continue; }
  const best=finished.reduce((a,b)=>b.values[b.values.length-1]>a.values[a.values.length-1]?b:a);
  if (m.best_so_far.label!==best.label || m.best_so_far.value!==item.curves[best.label][item.horizon-1]) process.exit(4);
}
if (!withContext.some(m=>m.best_so_far!==null)) process.exit(5);
"

# The text report: score's table with the agent's row, then how the exchange went.
"$cli" quiz --count 3 --seed 5 --kind rank-max --agent "node $tmp/agent.js $tmp/seen2.jsonl" --timeout-ms 60000 >"$tmp/report.txt"
want_match "$(cat "$tmp/report.txt")" '^rank-max      agent                    3  1.000' report
want_match "$(cat "$tmp/report.txt")" \
  '^agent: 3 questions, 3 answered, 0 timed out, 0 malformed, 0 late answers dropped; 0 of 3 items skipped$' report
verdict "text report: the agent's row and the exchange"

# Garbage: every item a skip, each line reported.
"$cli" quiz --count 3 --seed 5 --kind rank-max --agent 'while read -r l; do echo "yes please"; done' --format json >"$tmp/g.json"
json_check "$tmp/g.json" "j.agent.malformed===3 && j.agent.skipped===3 && j.by_kind['rank-max'].agent.skipped===3 && j.agent.problems[0]==='rank-max-5-0: malformed answer (skipped): not JSON: yes please'" "garbage answers are skips"
# A valid line that is not a valid answer for the item.
"$cli" quiz --count 1 --seed 5 --kind rank-max --agent 'while read -r l; do echo "{\"answer\": {\"ranking\": [\"A\"]}}"; done' --format json >"$tmp/g2.json"
json_check "$tmp/g2.json" "j.agent.malformed===1 && j.agent.skipped===1 && j.agent.problems[0].startsWith('rank-max-5-0: malformed answer (skipped): ')" "an invalid answer is a skip"

# Slow: the first item times out and is a skip. The agent answers it only once the second
# question has come (so the answer is late, whatever the machine's load), then answers
# the others at once: the late answer is dropped, the others count.
cat >"$tmp/slow.js" <<'JS'
let first = null;
require('readline').createInterface({ input: process.stdin }).on('line', (line) => {
  const m = JSON.parse(line);
  if (m.type !== 'question') return;
  if (first === null) { first = m.id; return; }
  if (first !== 'answered') { console.log(JSON.stringify({ id: first, answer: { skipped: true } })); first = 'answered'; }
  console.log(JSON.stringify({ id: m.id, answer: { skipped: true } }));
});
JS
start=$(date +%s)
"$cli" quiz --count 3 --seed 5 --kind rank-max --agent "node $tmp/slow.js" --timeout-ms 3000 --format json >"$tmp/s.json"
elapsed=$(($(date +%s) - start))
json_check "$tmp/s.json" "j.agent.timeouts===1 && j.agent.late===1 && j.agent.answered===2 && j.agent.problems[0]==='rank-max-5-0: no answer within 3000 ms (skipped)'" "a slow answer is a skip, its late reply dropped"
want_compare "$elapsed" -lt 20 "seconds taken"
verdict "a slow agent does not hold the quiz up"

# Dies after the first answer: the rest are skips, the exit is reported, exit status 0.
"$cli" quiz --count 3 --seed 5 --kind rank-max --agent 'read -r l; echo "{\"answer\": {\"skipped\": true}}"; exit 3' --format json >"$tmp/d.json"
status=$?
status_is 0 "a dying agent is not an error" "$status"
json_check "$tmp/d.json" "j.agent.exited===true && j.agent.answered===1 && j.agent.skipped===3 && j.agent.exit_note==='the agent exited with status 3 at rank-max-5-1; the remaining items were skipped'" "a dead agent skips the rest"
"$cli" quiz --count 2 --seed 5 --kind sequential --agent /nonexistent/agent --format json >"$tmp/d2.json" 2>/dev/null
json_check "$tmp/d2.json" "j.agent.exited===true && j.agent.answered===0 && j.agent.skipped===2 && j.agent.exit_note.startsWith('the agent exited with status 127')" "a missing program"

# Never reads its stdin: each question (more than a pipe holds) waits only until its deadline.
timeout 60 "$cli" quiz --count 6 --seed 5 --kind rank-max --agent 'tail -f /dev/null' --timeout-ms 20 --format json >"$tmp/n.json"
status=$?
status_is 0 "an agent that never reads does not block the quiz" "$status"
json_check "$tmp/n.json" "j.agent.timeouts===6 && j.agent.skipped===6 && j.agent.problems[0]==='rank-max-5-0: the question could not be written within 20 ms (the agent is not reading; skipped)'" "unwritten questions are time-outs"

# A flood of stale answers: dropped, and each question's deadline still holds.
start=$(date +%s)
timeout 60 "$cli" quiz --count 4 --seed 5 --kind sequential --agent "yes '{\"id\": \"old\", \"decision\": \"stop\"}'" --timeout-ms 100 --format json >"$tmp/f.json"
status=$?
elapsed=$(($(date +%s) - start))
want_status 0 "$status"
want_compare "$elapsed" -lt 20 "seconds taken"
verdict "a flood of stale answers does not loop"
json_check "$tmp/f.json" "j.agent.asked===4 && j.agent.timeouts===4 && j.agent.late>=j.agent.asked && j.agent.skipped===4" "stale answers are late, never decisions"

# A 100 MB line without a newline: malformed once it passes 1 MiB, read in linear time.
cat >"$tmp/long.sh" <<'SH'
read -r line
head -c 100000000 /dev/zero | tr '\0' x
printf '\n{"answer": {"skipped": true}}\n{"answer": {"skipped": true}}\n'
cat >/dev/null
SH
start=$(date +%s)
timeout 60 "$cli" quiz --count 3 --seed 5 --kind rank-max --agent "sh $tmp/long.sh" --timeout-ms 10000 --format json >"$tmp/l.json"
status=$?
elapsed=$(($(date +%s) - start))
want_status 0 "$status"
want_compare "$elapsed" -lt 30 "seconds taken"
verdict "a 100 MB line is read in linear time"
json_check "$tmp/l.json" "j.agent.malformed===1 && j.agent.answered===2 && j.agent.problems[0]==='rank-max-5-0: malformed answer (skipped): a line longer than 1048576 bytes'" "an overlong line is one malformed answer"

# Nothing outlives curvelab: not the agent, not what it started in the background.
mark="$$$RANDOM"
timeout 60 "$cli" quiz --count 2 --seed 5 --kind rank-max --agent "sleep 101.$mark & sleep 100.$mark" --timeout-ms 50 --format json >"$tmp/z.json"
json_check "$tmp/z.json" "j.agent.timeouts===2" "a sleeping agent times out"
same "$(pgrep -af "sleep 10[01]\\.$mark")" "" "the agent's processes end with curvelab"
set -m
"$cli" quiz --count 2 --seed 5 --kind rank-max --agent "sleep 103.$mark & sleep 102.$mark" --timeout-ms 600000 >/dev/null &
pid=$!
# Wait until both sleeps run (anchored: curvelab's own command line names them too).
for _ in $(seq 200); do pgrep -f "^sleep 103\\.$mark" >/dev/null && pgrep -f "^sleep 102\\.$mark" >/dev/null && break; sleep 0.05; done
kill -TERM $pid
wait $pid 2>/dev/null
status=$?
set +m
status_is 143 "SIGTERM ends curvelab as SIGTERM does" "$status"
same "$(pgrep -af "sleep 10[23]\\.$mark")" "" "SIGTERM to curvelab ends its agent"

# Bad flags: exit 2 and one line.
expect_refusal "curvelab quiz: --timeout-ms must be in [1, 600000], got 0" quiz --agent cat --timeout-ms 0
expect_refusal "curvelab quiz: --agent needs a command" quiz --agent ''
expect_refusal "curvelab quiz: --out is the answers of --agent; without it the quiz is written to stdout" \
  quiz --out "$tmp/x.jsonl"
expect_refusal "curvelab quiz: --agent sends the curves as JSON: drop --data, --svg, --png and --sparkline" \
  quiz --agent cat --svg "$tmp/svg"
expect_refusal "curvelab quiz: --out: cannot write \"$tmp/no/such/dir/a.jsonl\"" \
  quiz --agent cat --out "$tmp/no/such/dir/a.jsonl"

finish quiz-agent
