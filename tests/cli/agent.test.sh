#!/usr/bin/env bash
# curvelab prune --agent: an external program as the pruner, and every way it can fail.
# usage: agent.test.sh path/to/curvelab
source "$(dirname "$0")/harness.sh" "$@"
check() { if node -e "const r=JSON.parse(require('fs').readFileSync('$1','utf8')); if(!($2)) process.exit(1)"; then ok; else fail "$3: $(head -c 600 "$1")"; fi; }

# Three trials of 5 steps; the second goes negative from step 2.
cat >"$tmp/study.json" <<'JSON'
{"study_name": "agents", "direction": "maximize", "pruner": {"name": "median"},
 "trials": [{"values": [0.1, 0.2, 0.3, 0.4, 0.5]},
            {"values": [0.1, 0.0, -0.1, -0.2, -0.3]},
            {"values": [0.2, 0.3, 0.4, 0.5, 0.6]}]}
JSON

# A sensible agent: stop a trial whose latest value is negative, and say why.
cat >"$tmp/negative.js" <<'JS'
const rl = require('readline').createInterface({ input: process.stdin });
rl.on('line', (line) => {
  const m = JSON.parse(line);
  if (m.type !== 'checkpoint') return;
  const last = m.values[m.values.length - 1];
  console.log(JSON.stringify(last < 0 ? { id: m.id, prune: true, reason: `value ${last} is below 0 (${m.completed.count} completed)` } : { id: m.id, prune: false }));
});
JS
# Generous time-outs where timing is not the point: node may start slowly on a loaded machine.
"$cli" prune "$tmp/study.json" --agent "node $tmp/negative.js" --timeout-ms 60000 >"$tmp/r1.json"
check "$tmp/r1.json" "JSON.stringify(r.pruned_at)==='[null,2,null]' && r.states[1]==='PRUNED' && r.reasons[1].rule==='external' && r.reasons[1].text==='value -0.1 is below 0 (1 completed) at step 2' && r.agent.asked===13 && r.agent.answered===13 && r.agent.pruned===1" "an agent's decisions and reasons are the study's"
check "$tmp/r1.json" "r.summary.trials===3 && r.summary.pruned===1 && r.summary.best_trial===2 && r.summary.best_trial_completed===true" "the agent gets the same summary as built-in pruners"

# --interval: asked after every 2nd report only (steps 1 and 3 of each 5-step trial).
"$cli" prune "$tmp/study.json" --agent "node $tmp/negative.js" --interval 2 --timeout-ms 60000 >"$tmp/r2.json"
check "$tmp/r2.json" "r.agent.asked===6 && JSON.stringify(r.pruned_at)==='[null,3,null]'" "--interval asks every n-th report"

# A malformed agent: every answer is refused, the study runs on as if nothing was pruned.
printf '#!/bin/sh\nwhile read line; do echo "yes please"; done\n' >"$tmp/garbage.sh"
"$cli" prune "$tmp/study.json" --agent "sh $tmp/garbage.sh" >"$tmp/r3.json"
check "$tmp/r3.json" "r.agent.malformed===15 && r.agent.answered===0 && r.summary.pruned===0 && r.agent.problems[0]==='trial 0, step 0: malformed answer (continued): yes please'" "malformed answers mean continue, and are reported"

# A slow agent: time-outs mean continue; the study never hangs.
# It echoes the checkpoint id, so its late answers are recognised and dropped. (A shell
# script: it starts at once, so the timing holds on a loaded machine.) It answers the
# first checkpoint after 3 s, the others at once.
cat >"$tmp/slow.sh" <<'SH'
while read -r line; do
  id=$(printf '%s' "$line" | sed -n 's/.*"id":\([0-9]*\).*/\1/p')
  [ -z "$id" ] && continue
  [ "$id" = 1 ] && sleep 3
  printf '{"prune": true, "id": %s}\n' "$id"
done
SH
start=$(date +%s)
"$cli" prune "$tmp/study.json" --agent "sh $tmp/slow.sh" --timeout-ms 2000 --interval 5 >"$tmp/r4.json"
elapsed=$(($(date +%s) - start))
# Checkpoint 1 (trial 0) times out after 2 s: continue. Its late answer arrives at 3 s while
# checkpoint 2 waits and is dropped; checkpoint 2's own answer prunes trial 1 at its last step.
check "$tmp/r4.json" "r.agent.timeouts===1 && r.agent.late===1 && r.states[0]==='COMPLETE' && r.states[1]==='PRUNED' && r.states[2]==='PRUNED'" "time-outs mean continue; late answers are dropped"
[ "$elapsed" -lt 10 ] && ok || fail "a slow agent does not hold the study up (took ${elapsed}s)"

# An agent that dies after its first answer: the rest of the study continues without it.
printf '#!/bin/sh\nread line; echo "{\\"prune\\": false}"; exit 3\n' >"$tmp/dies.sh"
"$cli" prune "$tmp/study.json" --agent "sh $tmp/dies.sh" >"$tmp/r5.json"
status=$?
[ $status -eq 0 ] && ok || fail "a dying agent is not an error (status $status)"
check "$tmp/r5.json" "r.agent.exited===true && r.agent.answered===1 && r.agent.exit_note.startsWith('the agent exited') && r.agent.exit_note.includes('at trial 0, step 1') && r.summary.pruned===0 && r.states.every(s=>s==='COMPLETE')" "a dead agent is reported and the study completes"

# A command that does not exist behaves like an agent that died at once.
"$cli" prune "$tmp/study.json" --agent "/nonexistent/agent" >"$tmp/r6.json" 2>/dev/null
check "$tmp/r6.json" "r.agent.exited===true && r.agent.answered===0 && r.summary.pruned===0" "a missing agent program"

# On a generated cohort too.
"$cli" prune --generate 5 --steps 50 --seed 2 --agent "node $tmp/negative.js" --timeout-ms 60000 >"$tmp/r7.json"
check "$tmp/r7.json" "r.states.length===5 && r.agent.asked>0" "--agent with --generate"

out=$("$cli" prune "$tmp/study.json" --agent "node x.js" --interval 0 2>&1 >/dev/null); status=$?
[ $status -eq 2 ] && [ "$out" = "curvelab prune: --interval must be in [1, 1000000], got 0" ] && ok || fail "bad --interval ($out)"
out=$("$cli" prune --generate 3 --pruner median --agent "node x.js" 2>&1 >/dev/null); status=$?
[ $status -eq 2 ] && [ "$out" = "curvelab prune: --agent replaces the pruner: drop --pruner and --param" ] && ok || fail "--agent with --pruner ($out)"

# Hostile agents. Each run is wrapped in `timeout` so that a regression fails instead of
# hanging the suite; the assertions are on what was reported.

# An agent that never reads its stdin: once the pipe is full, writing a checkpoint waits
# only until the checkpoint's deadline, and the study completes (180 checkpoints of up to
# 60 values each are far more than a pipe holds).
timeout 60 "$cli" prune --generate 3 --steps 300 --seed 4 --interval 5 --agent 'tail -f /dev/null' --timeout-ms 20 >"$tmp/h1.json"
status=$?
[ $status -eq 0 ] && ok || fail "an agent that never reads does not block curvelab (status $status)"
check "$tmp/h1.json" "r.agent.asked===180 && r.agent.timeouts===180 && r.agent.answered===0" "a full pipe is a time-out, not a hang"

# A flood of answers to a stale checkpoint: dropped as late, and the deadline still holds.
start=$(date +%s)
timeout 60 "$cli" prune "$tmp/study.json" --agent "yes '{\"id\": 0, \"prune\": true}'" --timeout-ms 100 >"$tmp/h2.json"
status=$?
elapsed=$(($(date +%s) - start))
[ $status -eq 0 ] && [ "$elapsed" -lt 20 ] && ok || fail "a flood of stale answers does not loop (status $status, ${elapsed}s)"
check "$tmp/h2.json" "r.agent.asked===15 && r.agent.timeouts===15 && r.agent.late>=r.agent.asked && r.summary.pruned===0" "stale answers are counted as late and never prune"

# A 100 MB line without a newline: malformed once it passes 1 MiB, the rest is dropped as
# it arrives (each byte scanned once), and the agent's later answers still count.
cat >"$tmp/long.sh" <<'SH'
read -r line
head -c 100000000 /dev/zero | tr '\0' x
echo
while read -r line; do echo '{"prune": false}'; done
SH
start=$(date +%s)
timeout 60 "$cli" prune "$tmp/study.json" --agent "sh $tmp/long.sh" --timeout-ms 10000 >"$tmp/h3.json"
status=$?
elapsed=$(($(date +%s) - start))
[ $status -eq 0 ] && [ "$elapsed" -lt 30 ] && ok || fail "a 100 MB line is read in linear time (status $status, ${elapsed}s)"
check "$tmp/h3.json" "r.agent.malformed===1 && r.agent.answered===14 && r.agent.problems[0]==='trial 0, step 0: malformed answer (continued): a line longer than 1048576 bytes'" "an overlong line is one malformed answer"

# Nothing outlives curvelab: the agent's whole process group ends with it, a child it
# started in the background included. (Unique names, so that other runs are not counted.)
mark="$$$RANDOM"
timeout 60 "$cli" prune "$tmp/study.json" --agent "sleep 101.$mark & sleep 100.$mark" --timeout-ms 50 >"$tmp/h4.json"
check "$tmp/h4.json" "r.agent.timeouts===15 && r.summary.trials===3" "an agent that sleeps is timed out at every checkpoint"
gone() { ! pgrep -f "sleep 10[01]\\.$mark" >/dev/null; }
gone && ok || fail "the agent's processes are gone when curvelab exits: $(pgrep -af "sleep 10[01]\\.$mark")"

# ... and when curvelab is ended by SIGTERM or SIGINT (job control on, so that a
# background job does not start with SIGINT ignored).
set -m
for sig in TERM INT; do
  "$cli" prune "$tmp/study.json" --agent "sleep 103.$mark & sleep 102.$mark" --timeout-ms 600000 >/dev/null &
  pid=$!
  # Wait until both sleeps run (anchored: curvelab's own command line names them too).
  for _ in $(seq 200); do pgrep -f "^sleep 103\\.$mark" >/dev/null && pgrep -f "^sleep 102\\.$mark" >/dev/null && break; sleep 0.05; done
  kill -$sig $pid
  wait $pid
  status=$?
  [ $status -gt 128 ] && ok || fail "SIG$sig ends curvelab (status $status)"
  ! pgrep -f "sleep 10[23]\\.$mark" >/dev/null && ok || fail "SIG$sig to curvelab ends its agent: $(pgrep -af "sleep 10[23]\\.$mark")"
done
set +m

finish agent
