#!/usr/bin/env bash
# curvelab prune --agent: an external program as the pruner, and every way it can fail.
# usage: agent.test.sh path/to/curvelab
# shellcheck source=SCRIPTDIR/harness.sh
source "$(dirname "$0")/harness.sh" "$@"

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
json_check "$tmp/r1.json" "JSON.stringify(j.pruned_at)==='[null,2,null]' && j.states[1]==='PRUNED' && j.reasons[1].rule==='external' && j.reasons[1].text==='value -0.1 is below 0 (1 completed) at step 2' && j.agent.asked===13 && j.agent.answered===13 && j.agent.pruned===1" "an agent's decisions and reasons are the study's"
json_check "$tmp/r1.json" "j.summary.trials===3 && j.summary.pruned===1 && j.summary.best_trial===2 && j.summary.best_trial_completed===true" "the agent gets the same summary as built-in pruners"

# --interval: asked after every 2nd report only (steps 1 and 3 of each 5-step trial).
"$cli" prune "$tmp/study.json" --agent "node $tmp/negative.js" --interval 2 --timeout-ms 60000 >"$tmp/r2.json"
json_check "$tmp/r2.json" "j.agent.asked===6 && JSON.stringify(j.pruned_at)==='[null,3,null]'" "--interval asks every n-th report"

# A malformed agent: every answer is refused, the study runs on as if nothing was pruned.
printf '#!/bin/sh\nwhile read line; do echo "yes please"; done\n' >"$tmp/garbage.sh"
"$cli" prune "$tmp/study.json" --agent "sh $tmp/garbage.sh" >"$tmp/r3.json"
json_check "$tmp/r3.json" "j.agent.malformed===15 && j.agent.answered===0 && j.summary.pruned===0 && j.agent.problems[0]==='trial 0, step 0: malformed answer (continued): yes please'" "malformed answers mean continue, and are reported"

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
json_check "$tmp/r4.json" "j.agent.timeouts===1 && j.agent.late===1 && j.states[0]==='COMPLETE' && j.states[1]==='PRUNED' && j.states[2]==='PRUNED'" "time-outs mean continue; late answers are dropped"
want_compare "$elapsed" -lt 10 "seconds taken"
verdict "a slow agent does not hold the study up"

# An agent that dies after its first answer: the rest of the study continues without it.
printf '#!/bin/sh\nread line; echo "{\\"prune\\": false}"; exit 3\n' >"$tmp/dies.sh"
"$cli" prune "$tmp/study.json" --agent "sh $tmp/dies.sh" >"$tmp/r5.json"
status=$?
status_is 0 "a dying agent is not an error" "$status"
json_check "$tmp/r5.json" "j.agent.exited===true && j.agent.answered===1 && j.agent.exit_note.startsWith('the agent exited') && j.agent.exit_note.includes('at trial 0, step 1') && j.summary.pruned===0 && j.states.every(s=>s==='COMPLETE')" "a dead agent is reported and the study completes"

# A command that does not exist behaves like an agent that died at once.
"$cli" prune "$tmp/study.json" --agent "/nonexistent/agent" >"$tmp/r6.json" 2>/dev/null
json_check "$tmp/r6.json" "j.agent.exited===true && j.agent.answered===0 && j.summary.pruned===0" "a missing agent program"

# On a generated cohort too.
"$cli" prune --generate 5 --steps 50 --seed 2 --agent "node $tmp/negative.js" --timeout-ms 60000 >"$tmp/r7.json"
json_check "$tmp/r7.json" "j.states.length===5 && j.agent.asked>0" "--agent with --generate"

expect_refusal "curvelab prune: --interval must be in [1, 1000000], got 0" \
  prune "$tmp/study.json" --agent "node x.js" --interval 0
expect_refusal "curvelab prune: --agent replaces the pruner: drop --pruner and --param" \
  prune --generate 3 --pruner median --agent "node x.js"

# Hostile agents. Each run is wrapped in `timeout` so that a regression fails instead of
# hanging the suite; the assertions are on what was reported.

# An agent that never reads its stdin: once the pipe is full, writing a checkpoint waits
# only until the checkpoint's deadline, and the study completes (180 checkpoints of up to
# 60 values each are far more than a pipe holds).
timeout 60 "$cli" prune --generate 3 --steps 300 --seed 4 --interval 5 --agent 'tail -f /dev/null' --timeout-ms 20 >"$tmp/h1.json"
status=$?
status_is 0 "an agent that never reads does not block curvelab" "$status"
json_check "$tmp/h1.json" "j.agent.asked===180 && j.agent.timeouts===180 && j.agent.answered===0" "a full pipe is a time-out, not a hang"

# A flood of answers to a stale checkpoint: dropped as late, and the deadline still holds.
start=$(date +%s)
timeout 60 "$cli" prune "$tmp/study.json" --agent "yes '{\"id\": 0, \"prune\": true}'" --timeout-ms 100 >"$tmp/h2.json"
status=$?
elapsed=$(($(date +%s) - start))
want_status 0 "$status"
want_compare "$elapsed" -lt 20 "seconds taken"
verdict "a flood of stale answers does not loop"
json_check "$tmp/h2.json" "j.agent.asked===15 && j.agent.timeouts===15 && j.agent.late>=j.agent.asked && j.summary.pruned===0" "stale answers are counted as late and never prune"

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
want_status 0 "$status"
want_compare "$elapsed" -lt 30 "seconds taken"
verdict "a 100 MB line is read in linear time"
json_check "$tmp/h3.json" "j.agent.malformed===1 && j.agent.answered===14 && j.agent.problems[0]==='trial 0, step 0: malformed answer (continued): a line longer than 1048576 bytes'" "an overlong line is one malformed answer"

# Nothing outlives curvelab: the agent's whole process group ends with it, a child it
# started in the background included. (Unique names, so that other runs are not counted.)
mark="$$$RANDOM"
timeout 60 "$cli" prune "$tmp/study.json" --agent "sleep 101.$mark & sleep 100.$mark" --timeout-ms 50 >"$tmp/h4.json"
json_check "$tmp/h4.json" "j.agent.timeouts===15 && j.summary.trials===3" "an agent that sleeps is timed out at every checkpoint"
same "$(pgrep -af "sleep 10[01]\\.$mark")" "" "the agent's processes are gone when curvelab exits"

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
  want_compare "$status" -gt 128 "exit status"
  verdict "SIG$sig ends curvelab"
  same "$(pgrep -af "sleep 10[23]\\.$mark")" "" "SIG$sig to curvelab ends its agent"
done
set +m

finish agent
