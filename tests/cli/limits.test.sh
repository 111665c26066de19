#!/usr/bin/env bash
# Bad flags and oversized inputs, as a hostile or careless user gives them: each is refused
# with exit 2 and one short, escaped line naming the flag; the tool's own output reads back.
# usage: limits.test.sh path/to/curvelab
# shellcheck source=SCRIPTDIR/harness.sh
source "$(dirname "$0")/harness.sh" "$@"
# Every command reads an empty stdin unless it is given a pipe: a refusal never waits on it.
exec </dev/null

max=9007199254740991       # 2^53 - 1
range='[-(2^53 - 1), 2^53 - 1]'

# --- one integer limit for --param and study JSON ---------------------------------------
expect_error "curvelab prune: --param max_resource must be an integer in $range, got 4611686018427387904" \
  prune --generate 1 --steps 1 --pruner hyperband --param max_resource=4611686018427387904
expect_error "curvelab prune: --param n_startup_trials must be an integer in $range, got 9007199254740992" \
  prune --generate 2 --param n_startup_trials=9007199254740992
expect_error "curvelab prune: --param n_warmup_steps must be an integer in $range, got \"99999999999999999999\"" \
  prune --generate 2 --param n_warmup_steps=99999999999999999999
echo '{"pruner": {"name": "median", "params": {"n_startup_trials": 9007199254740992}}, "trials": []}' >"$tmp/big.json"
expect_refusal "curvelab prune: n_startup_trials must be an integer in $range, got 9007199254740992" prune "$tmp/big.json"
expect_error "curvelab prune: --study-name must not be empty (Optuna would replace it by a random name)" \
  prune --generate 2 --study-name ''

# Every study the tool emits at the limits reads back, with the same decisions.
round_trip() {
  local name=$1
  shift
  local direct piped
  direct=$("$cli" prune --generate 6 --steps 40 --seed 5 "$@" 2>&1)
  local status=$?
  piped=$("$cli" prune --generate 6 --steps 40 --seed 5 "$@" --emit-study | "$cli" prune - 2>&1)
  local piped_status=$?
  if [ $status -ne 0 ] || [ $piped_status -ne 0 ]; then
    fail "round trip $name: wanted status 0 / 0, got $status / $piped_status: ${direct:0:200} / ${piped:0:200}"
    return
  fi
  local a b
  a=$(node -e 'const j=JSON.parse(process.argv[1]); console.log(JSON.stringify([j.pruned_at, j.states]))' "$direct")
  b=$(node -e 'const j=JSON.parse(process.argv[1]); console.log(JSON.stringify([j.pruned_at, j.states]))' "$piped")
  same "$b" "$a" "round trip $name: decisions"
}
round_trip median --pruner median --param n_startup_trials=$max --param n_warmup_steps=$max --param interval_steps=$max \
  --param n_min_trials=$max
round_trip median-warmup --pruner median --param n_startup_trials=1 --param interval_steps=$max
round_trip percentile --pruner percentile --param percentile=25 --param n_startup_trials=0
round_trip hyperband-rf2 --pruner hyperband --param max_resource=$max --param reduction_factor=2
round_trip hyperband-rf-max --pruner hyperband --param max_resource=$max --param reduction_factor=$max
round_trip hyperband-min-max --pruner hyperband --param min_resource=$max --param max_resource=$max
round_trip halving --pruner successive_halving --param min_resource=$max --param min_early_stopping_rate=$max \
  --param reduction_factor=$max --param bootstrap_count=$max
round_trip threshold --pruner threshold --param lower=-$max --param n_warmup_steps=$max --param interval_steps=$max
round_trip patient --pruner patient --param patience=$max --param wrapped=hyperband --param wrapped.max_resource=$max
round_trip patient-short --pruner patient --param patience=2 --param wrapped=hyperband \
  --param wrapped.max_resource=$max --param wrapped.reduction_factor=2
round_trip extrapolation --pruner extrapolation --param horizon=$max --param n_warmup_steps=$max

# --- a median study of many short trials finishes (it was quadratic) ---------------------
"$cli" prune --generate 100000 --steps 4 --seed 3 >"$tmp/many.json" 2>"$tmp/err"
status=$?
want_status 0 "$status"
# shellcheck disable=SC2016 # a JavaScript template string
want_run node -e '
  const j = JSON.parse(require("fs").readFileSync(process.argv[1], "utf8"));
  const count = (s) => j.states.filter((x) => x === s).length;
  if (j.states.length !== 100000 || !j.states.includes("PRUNED") || !j.states.includes("COMPLETE")) {
    console.error(`${j.states.length} states, ${count("PRUNED")} PRUNED, ${count("COMPLETE")} COMPLETE`);
    process.exit(1);
  }
' "$tmp/many.json"
verdict "a median study of 100000 trials: $(head -c 200 "$tmp/err")"

# --- memory and input size are bounded before anything is allocated --------------------
expect_error "curvelab prune: --generate 1000 with --steps 1000000 is 1000000000 values, more than the 33554432 that fit the memory budget of 2048 MiB: lower --generate or --steps" \
  prune --generate 1000 --steps 1000000
mkdir "$tmp/dir"
expect_error "curvelab labels: FILE: \"$tmp/dir\" is a directory, not a file" labels summary "$tmp/dir"
expect_error "curvelab prune: FILE: \"$tmp/dir\" is a directory, not a file" prune "$tmp/dir"
expect_error "curvelab score: --quiz: \"$tmp/dir\" is a directory, not a file" score --quiz "$tmp/dir" --answers "$tmp/dir"
expect_error "curvelab generate: --ranges: \"$tmp/dir\" is a directory, not a file" generate --ranges "$tmp/dir"
truncate -s 300M "$tmp/huge.json"
expect_error "curvelab prune: FILE: \"$tmp/huge.json\" is larger than the input limit of 67108864 bytes (314572800 bytes)" \
  prune "$tmp/huge.json"
head -c 100000000 /dev/zero | "$cli" prune - >"$tmp/out" 2>"$tmp/err"
status=$?
want_status 2 "$status"
want_same "$(cat "$tmp/err")" "curvelab prune: FILE: stdin is larger than the input limit of 67108864 bytes" stderr
verdict "stdin beyond the input limit"

# --- tokens and numbers ------------------------------------------------------------------
expect_error 'curvelab simulate: unknown option "-steps" (options are spelled --name; see --help)' \
  simulate --steps 2 --runs 1 -steps 9
expect_error 'curvelab simulate: unexpected argument "extra" (this command takes only options; see --help)' \
  simulate --steps 2 --runs 1 extra
expect_error 'curvelab quiz: unexpected argument "rank-max" (this command takes only options; see --help)' \
  quiz rank-max
expect_error 'curvelab prune: expected one study FILE (or - for stdin), got 2' prune a.json b.json
expect_error 'curvelab simulate: --arm-mean must be a number, got "0x10"' simulate --arm-mean 0x10
expect_error 'curvelab simulate: --epsilon must be a number, got " 0.1"' simulate --epsilon ' 0.1'
expect_error 'curvelab simulate: --epsilon must be a number, got "0.1 "' simulate --epsilon '0.1 '
expect_error 'curvelab simulate: --epsilon must be a number, got "infinity"' simulate --epsilon infinity
expect_error 'curvelab simulate: --runs must be an integer in [1, 100000], got " 5"' simulate --runs ' 5'
expect_error 'curvelab simulate: --arms must be an integer, got "0x10"' simulate --arms 0x10
expect_error 'curvelab prune: --param n_warmup_steps must be an integer, a number, auto, inf, -inf, nan or null, got "0x10"' \
  prune --generate 2 --param n_warmup_steps=0x10
expect_error 'curvelab prune: --param lower must be an integer, a number, auto, inf, -inf, nan or null, got " 1"' \
  prune --generate 2 --pruner threshold --param 'lower= 1'
expect_error 'curvelab quiz: --sparkline is a switch and takes no value, got "--sparkline=1"' quiz --sparkline=1
same "$("$cli" simulate --runs=3 --steps=5 --epsilon=0.2 --seed=4)" \
  "$("$cli" simulate --runs 3 --steps 5 --epsilon 0.2 --seed 4)" "--flag=value is --flag value"
same "$("$cli" prune --generate=3 --steps=20 --param=n_startup_trials=1)" \
  "$("$cli" prune --generate 3 --steps 20 --param n_startup_trials=1)" "--generate=N is --generate N"

# --- messages: short, escaped, clear -----------------------------------------------------
long=$(head -c 100000 /dev/zero | tr '\0' x)
expect_error "curvelab simulate: --agent must be one of epsilon-greedy, ucb, gradient, random, got \"$(head -c 60 /dev/zero | tr '\0' x)\"... (100000 bytes)" \
  simulate --agent "$long"
expect_error 'curvelab simulate: --format must be one of csv, json, got "\x1b[31mred\u202eder\x07"' \
  simulate --format $'\e[31mred\xe2\x80\xaeder\a'
expect_error 'curvelab: unknown command "\x1b]0;title\x07" (see curvelab --help)' $'\e]0;title\a'
expect_error 'curvelab prune: --param wrapped: unknown parameter "bogus" for median (expected n_startup_trials, n_warmup_steps, interval_steps, n_min_trials)' \
  prune --generate 2 --pruner patient --param patience=1 --param wrapped=median --param wrapped.bogus=1
expect_error 'curvelab prune: --param wrapped must be one of nop, median, percentile, successive_halving, hyperband, threshold, patient, extrapolation, got "medain"' \
  prune --generate 2 --pruner patient --param patience=1 --param wrapped=medain
expect_error 'curvelab prune: --param wrapped.n_min_trials must be >= 1, got 0' \
  prune --generate 2 --pruner patient --param patience=1 --param wrapped=median --param wrapped.n_min_trials=0
echo '{"pruner": {"name": "patient", "params": {"patience": 1, "wrapped": {"name": "median", "params": {"bogus": 1}}}}, "trials": []}' >"$tmp/wrapped.json"
expect_refusal 'curvelab prune: wrapped: unknown parameter "bogus" for median (expected n_startup_trials, n_warmup_steps, interval_steps, n_min_trials)' \
  prune "$tmp/wrapped.json"

"$cli" >"$tmp/out" 2>"$tmp/err"
status=$?
want_status 2 "$status"
want_empty "$tmp/out" stdout
want_match "$(cat "$tmp/err")" '^usage: curvelab <command>' stderr
verdict "bare curvelab: exit 2, the usage on stderr only"
help=$("$cli" --help)
want_status 0
want_has "$help" 'Without a command,' stdout
want_has "$help" 'prints this usage on stderr and exits with status 2' stdout
verdict "--help says what bare curvelab does"

finish cli.limits
