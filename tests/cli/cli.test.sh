#!/usr/bin/env bash
# The curvelab CLI as a user runs it: formats, exit codes and one-line refusals.
# usage: cli.test.sh path/to/curvelab
# shellcheck source=SCRIPTDIR/harness.sh
source "$(dirname "$0")/harness.sh" "$@"

# --- simulate ----------------------------------------------------------------
"$cli" simulate --runs 20 --steps 50 --seed 3 >"$tmp/sim.csv"
same "$(head -n 1 "$tmp/sim.csv")" "step,mean_reward,optimal_share,mean_true_value" "simulate csv header"
compare "$(wc -l <"$tmp/sim.csv")" -eq 51 "simulate csv has one line per step"
same "$(sed -n 2p "$tmp/sim.csv" | cut -d, -f1)" "1" "simulate steps count from 1"
"$cli" simulate --runs 20 --steps 50 --seed 3 >"$tmp/sim-again.csv"
want_status 0
want_files_same "$tmp/sim-again.csv" "$tmp/sim.csv"
verdict "simulate is deterministic"
"$cli" simulate --runs 20 --steps 50 --seed 4 >"$tmp/sim-seed4.csv"
files_differ "$tmp/sim-seed4.csv" "$tmp/sim.csv" "another seed gives other output"

"$cli" simulate --runs 20 --steps 50 --seed 3 --format json >"$tmp/sim.json"
json_check "$tmp/sim.json" "j.steps.length===50 && j.mean_reward.length===50 && j.optimal_share.length===50 && j.mean_true_value.length===50 && j.config.epsilon===0.1 && j.runs===20" "simulate json shape"
# The JSON and CSV carry the same numbers.
first_csv=$(sed -n 2p "$tmp/sim.csv" | cut -d, -f2)
json_check "$tmp/sim.json" "j.mean_reward[0]===Number('$first_csv')" "simulate json and csv agree"

"$cli" simulate --agent random --runs 50 --steps 20 --format json >"$tmp/rand.json"
json_check "$tmp/rand.json" "j.config.agent==='random'" "simulate --agent random"

expect_error "curvelab simulate: --epsilon must be in [0, 1], got 1.5" simulate --epsilon 1.5
expect_error "curvelab simulate: --epsilon must be in [0, 1], got nan" simulate --epsilon nan
expect_error "curvelab simulate: --arms must be in [2, 100], got 101" simulate --arms 101
expect_error "curvelab simulate: --arms must be an integer, got \"ten\"" simulate --arms ten
expect_error "curvelab simulate: --noise must be in [0, 100], got -1" simulate --noise -1
expect_error "curvelab simulate: --arm-spread must be in [0, 100], got 1000" simulate --arm-spread 1000
expect_error "curvelab simulate: --steps must be in [1, 1000000], got 0" simulate --steps 0
expect_error "curvelab simulate: --runs must be in [1, 100000], got 0" simulate --runs 0
expect_error "curvelab simulate: --epsilon needs a value" simulate --epsilon
expect_error "curvelab simulate: --format must be one of csv, json, got \"xml\"" simulate --format xml
expect_error "curvelab simulate: --agent must be one of epsilon-greedy, ucb, gradient, random, got \"softmax\"" simulate --agent softmax
expect_error "curvelab simulate: unknown option \"--epsilom\" (see --help)" simulate --epsilom 0.1
expect_error "curvelab simulate: --seed must be an integer in [0, 2^53 - 1], got \"-3\"" simulate --seed -3
expect_error "curvelab: unknown command \"simulat\" (see curvelab --help)" simulat

"$cli" simulate --help >"$tmp/help"
want_status 0
want_has "$(cat "$tmp/help")" "--epsilon" stdout
verdict "simulate --help"
help=$("$cli" --help)
want_status 0
want_has "$help" "generate" stdout
verdict "curvelab --help lists the commands"

# --- agents, drift and the parameter study -------------------------------------
for agent in epsilon-greedy ucb gradient random; do
  "$cli" simulate --agent "$agent" --runs 20 --steps 30 --walk 0.01 --format json >"$tmp/agent.json"
  json_check "$tmp/agent.json" "j.config.agent==='$agent' && j.config.walk===0.01 && j.mean_reward.length===30" "simulate --agent $agent --walk"
done
"$cli" simulate --agent gradient --step-size 0.4 --baseline off --runs 5 --steps 10 --format json >"$tmp/grad.json"
json_check "$tmp/grad.json" "j.config.step_size===0.4 && j.config.baseline===false" "simulate --step-size --baseline off"
"$cli" simulate --runs 5 --steps 10 --format json >"$tmp/avg.json"
json_check "$tmp/avg.json" "j.config.step_size===null && j.config.ucb_c===2 && j.config.baseline===true" "sample averages are step_size null"
# Figure 2.4's spike: UCB's mean reward at step 11 is far above steps 1-10.
"$cli" simulate --agent ucb --ucb-c 2 --runs 500 --steps 20 >"$tmp/ucb.csv"
# shellcheck disable=SC2016 # awk's own fields
succeeds "ucb spikes at step 11" awk -F, '
  NR>=2 && NR<=11 && ($2>0.2 || $2<-0.2) {print "step " NR-1 ": " $2 ", wanted within 0.2 of 0"; bad=1}
  NR==12 && $2<0.8 {print "step 11: " $2 ", wanted at least 0.8"; bad=1}
  END {exit bad}' "$tmp/ucb.csv"
# A constant step size differs from sample averages; the optimistic start tries every arm.
"$cli" simulate --step-size 0.1 --runs 5 --steps 10 >"$tmp/step-size.csv"
"$cli" simulate --runs 5 --steps 10 >"$tmp/averages.csv"
files_differ "$tmp/step-size.csv" "$tmp/averages.csv" "--step-size changes the output"

expect_error "curvelab simulate: --step-size must be in (0, 1] for epsilon-greedy, got 0" simulate --step-size 0
expect_error "curvelab simulate: --step-size must be in (0, 1] for ucb, got 1.5" simulate --agent ucb --step-size 1.5
expect_error "curvelab simulate: --step-size must be in (0, 100] for gradient, got 200" simulate --agent gradient --step-size 200
expect_error "curvelab simulate: --step-size must be a number, got \"fast\"" simulate --step-size fast
expect_error "curvelab simulate: --step-size needs a value" simulate --step-size
expect_error "curvelab simulate: --ucb-c must be in [0, 100], got -1" simulate --agent ucb --ucb-c -1
expect_error "curvelab simulate: --ucb-c must be in [0, 100], got inf" simulate --ucb-c inf
expect_error "curvelab simulate: --baseline must be one of on, off, got \"yes\"" simulate --baseline yes
expect_error "curvelab simulate: --walk must be in [0, 10], got 11" simulate --walk 11
expect_error "curvelab simulate: --walk must be in [0, 10], got nan" simulate --walk nan
expect_error "curvelab simulate: --walk must be in [0, 10], got -0.01" simulate --walk -0.01

"$cli" sweep --runs 20 --steps 50 >"$tmp/sweep.csv"
same "$(head -n 1 "$tmp/sweep.csv")" "method,parameter,log2,value,average_reward,optimal_share" "sweep csv header"
compare "$(wc -l <"$tmp/sweep.csv")" -eq 26 "sweep has 25 settings"
same "$(cut -d, -f1 "$tmp/sweep.csv" | tail -n +2 | uniq | tr '\n' ' ')" "epsilon-greedy gradient ucb optimistic " \
  "sweep lists the four methods"
want_match "$(cat "$tmp/sweep.csv")" "^ucb,c,-4,0.0625," sweep.csv
want_match "$(cat "$tmp/sweep.csv")" "^gradient,alpha,1,2," sweep.csv
verdict "sweep's powers of 2"
"$cli" sweep --runs 20 --steps 50 --methods ucb,optimistic --format json >"$tmp/sweep.json"
json_check "$tmp/sweep.json" "j.methods.length===2 && j.methods[0].method==='ucb' && j.methods[0].points.length===7 && j.methods[1].points.length===5 && j.runs===20 && j.methods[0].best.average_reward===Math.max(...j.methods[0].points.map(p=>p.average_reward))" "sweep json"
ucb_csv=$(grep "^ucb,c,0," "$tmp/sweep.csv" | cut -d, -f5)
json_check "$tmp/sweep.json" "j.methods[0].points[4].average_reward===Number('$ucb_csv')" "sweep json and csv agree"
expect_error "curvelab sweep: --methods must list epsilon-greedy, gradient, ucb, optimistic, got \"softmax\"" sweep --methods ucb,softmax
expect_error "curvelab sweep: --methods names ucb twice" sweep --methods ucb,ucb
expect_error "curvelab sweep: --runs must be in [1, 100000], got 0" sweep --runs 0
expect_error "curvelab sweep: --format must be one of csv, json, got \"xml\"" sweep --format xml
help=$("$cli" sweep --help)
want_status 0
want_has "$help" "--methods" stdout
verdict "sweep --help"

# --- generate ----------------------------------------------------------------
"$cli" generate --count 30 --seed 7 >"$tmp/gen.jsonl"
compare "$(wc -l <"$tmp/gen.jsonl")" -eq 30 "generate writes one line per experiment"
succeeds "generate jsonl records" node -e "
const lines=require('fs').readFileSync('$tmp/gen.jsonl','utf8').trim().split('\n').map(JSON.parse);
for (const [i,l] of lines.entries()) {
  if (l.id!==i || l.dataset_seed!==7) process.exit(1);
  if (l.rewards.length!==l.config.steps || l.true_values.length!==l.config.steps) process.exit(2);
  if (typeof l.truth.final_performance!=='number' || typeof l.truth.learns!=='boolean') process.exit(3);
}
const kinds=new Set(lines.map(l=>l.config.agent)); if(!kinds.has('random')||!kinds.has('epsilon-greedy')) process.exit(4);
if(!lines.some(l=>l.truth.learns) || !lines.some(l=>!l.truth.learns)) process.exit(5);
"

"$cli" generate --count 3 --seed 7 --format csv >"$tmp/gen.csv"
same "$(head -n 1 "$tmp/gen.csv")" "run_id,step,reward,true_value" "generate csv header"
compare "$(wc -l <"$tmp/gen.csv")" -eq 3001 "generate csv has one row per run and step"
"$cli" generate --count 3 --seed 7 --format metrics-csv >"$tmp/metrics.csv"
compare "$(wc -l <"$tmp/metrics.csv")" -eq 4 "generate metrics-csv has one row per run"
compare "$(sed -n 2p "$tmp/metrics.csv" | tr ',' '\n' | wc -l)" -eq "$(head -n 1 "$tmp/metrics.csv" | tr ',' '\n' | wc -l)" \
  "metrics-csv rows match the header"

# The CSV and JSONL of one seed hold the same numbers.
r_csv=$(sed -n 2p "$tmp/gen.csv" | cut -d, -f3)
succeeds "generate csv and jsonl agree" node -e "const l=JSON.parse(require('fs').readFileSync('$tmp/gen.jsonl','utf8').split('\n')[0]);
if (l.rewards[0]!==Number('$r_csv')) { console.error('jsonl', l.rewards[0], 'csv', '$r_csv'); process.exit(1); }"

echo '{"arms": [3, 3], "noise": [0, 0], "random_share": 0, "ucb_share": 0, "gradient_share": 0}' >"$tmp/ranges.json"
"$cli" generate --count 5 --ranges "$tmp/ranges.json" >"$tmp/narrow.jsonl"
succeeds "generate --ranges narrows the draws" node -e "const ls=require('fs').readFileSync('$tmp/narrow.jsonl','utf8').trim().split('\n').map(JSON.parse);
const off=ls.filter(l=>!(l.config.arms===3&&l.config.noise===0&&l.config.agent==='epsilon-greedy'));
if (off.length) { console.error(JSON.stringify(off[0].config)); process.exit(1); }"

echo '{"arms": [3, ' >"$tmp/broken.json"
expect_error "curvelab generate: --ranges $tmp/broken.json: not valid JSON" generate --ranges "$tmp/broken.json"
echo '{"noise": [0, 500]}' >"$tmp/wide.json"
expect_error "curvelab generate: --ranges $tmp/wide.json: noise.hi must be in [0, 100], got 500" generate --ranges "$tmp/wide.json"
expect_error "curvelab generate: --ranges: cannot read \"$tmp/missing.json\"" generate --ranges "$tmp/missing.json"
expect_error "curvelab generate: --count must be in [1, 1000000], got 0" generate --count 0

finish cli
