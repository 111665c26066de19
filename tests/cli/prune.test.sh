#!/usr/bin/env bash
# curvelab prune as a user runs it: stdin and files, batches, refusals and exit codes.
# usage: prune.test.sh path/to/curvelab
set -uo pipefail
cli=$1
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
failed=0
fail() { failed=$((failed + 1)); echo "FAIL: $*"; }

# check 'python expression over j (the parsed stdout)' description < json
check() {
  python3 -c "import json,sys; j=json.load(sys.stdin); sys.exit(0 if ($1) else 1)" || fail "$2"
}

# expect_error "exact stderr line" args...: exit status 2 and one line on stderr.
expect_error() {
  local want=$1
  shift
  "$cli" prune "$@" >"$tmp/out" 2>"$tmp/err" </dev/null
  local status=$?
  if [ "$status" -ne 2 ] || [ "$(cat "$tmp/err")" != "$want" ] || [ "$(wc -l <"$tmp/err")" -ne 1 ]; then
    fail "prune $* -> status $status, stderr '$(cat "$tmp/err")' (wanted 2 and '$want')"
  fi
}

study='{"study_name": "s", "direction": "maximize", "pruner": {"name": "median", "params": {"n_startup_trials": 1}},
        "trials": [{"values": [0.1, 0.2, 0.3]}, {"values": [0.0, 0.1, 0.1]}, {"values": [0.5, null, "inf"], "final": null}]}'

# One study from stdin, from "-" and from a file: the same answer.
echo "$study" | "$cli" prune >"$tmp/a" || fail "prune from stdin exited $?"
echo "$study" | "$cli" prune - >"$tmp/b" || fail "prune - exited $?"
echo "$study" >"$tmp/study.json"
"$cli" prune "$tmp/study.json" >"$tmp/c" || fail "prune FILE exited $?"
cmp -s "$tmp/a" "$tmp/b" && cmp -s "$tmp/a" "$tmp/c" || fail "stdin, - and FILE differ"
check 'j["pruned_at"] == [None, 0, None] and j["states"] == ["COMPLETE", "PRUNED", "FAIL"]' "decisions" <"$tmp/a"
check 'j["reasons"][1]["rule"] == "worse_than_percentile" and j["reasons"][1]["cutoff"] == 0.1' "reason" <"$tmp/a"
check 'j["summary"]["steps_run"] == 7 and j["summary"]["steps_total"] == 9' "summary" <"$tmp/a"

# A batch: one result per study, a refused study gives its error and the others still run.
echo "{\"studies\": [$study, {\"trials\": [], \"pruner\": {\"name\": \"median\", \"params\": {\"interval_steps\": 0}}}]}" |
  "$cli" prune >"$tmp/batch" || fail "batch exited $?"
check 'len(j["results"]) == 2 and j["results"][0]["states"][1] == "PRUNED"
       and j["results"][1] == {"error": "interval_steps must be >= 1, got 0"}' "batch" <"$tmp/batch"

# A single refused study: its error as JSON on stdout, one line on stderr, status 2.
echo '{"trials": [], "pruner": {"name": "percentile"}}' | "$cli" prune >"$tmp/out" 2>"$tmp/err"
[ $? -eq 2 ] || fail "a refused study should exit 2"
check '"error" in j' "refused study prints its error" <"$tmp/out"

# Generated cohorts.
"$cli" prune --generate 8 --seed 2 --pruner hyperband --param min_resource=2 >"$tmp/gen" || fail "--generate exited $?"
check 'len(j["states"]) == 8 and j["pruner"]["params"]["min_resource"] == 2' "generate" <"$tmp/gen"
"$cli" prune --generate 3 --steps 50 --pruner patient --param patience=2 --param wrapped=percentile \
  --param wrapped.percentile=25 --emit-study >"$tmp/emitted" || fail "--emit-study exited $?"
check 'len(j["trials"]) == 3 and len(j["trials"][0]["values"]) == 50
       and j["pruner"]["params"]["wrapped"]["params"]["percentile"] == 25.0' "emit-study" <"$tmp/emitted"
"$cli" prune "$tmp/emitted" >/dev/null || fail "an emitted study runs"

"$cli" prune --help >/dev/null || fail "--help exits 0"

# curvelab's own extrapolation pruner: stops with the predicted final and its interval.
"$cli" prune --generate 12 --seed 3 --pruner extrapolation --param p=0.1 --param interval_steps=50 >"$tmp/ext" ||
  fail "extrapolation exited $?"
check 'j["pruner"] == {"name": "extrapolation", "params": {"p": 0.1, "n_startup_trials": 1, "n_warmup_steps": 100,
                                                           "interval_steps": 50, "horizon": "auto"}}
       and any(r and r["rule"] == "unlikely_to_beat_best" for r in j["reasons"])
       and all(r["lower"] <= r["predicted"] <= r["upper"] < r["best"] and r["probability"] < 0.1
               and (r["step"] - 100) % 50 == 0 for r in j["reasons"] if r and r["rule"] == "unlikely_to_beat_best")' \
  "extrapolation reasons" <"$tmp/ext"
expect_error 'curvelab prune: --param p must be in (0, 1), got 0' --generate 5 --pruner extrapolation --param p=0
expect_error 'curvelab prune: --param horizon must be "auto" or >= 1, got -3' --generate 5 --pruner extrapolation --param horizon=-3
expect_error 'curvelab prune: --param unknown parameter "patience" for extrapolation (expected p, n_startup_trials, n_warmup_steps, interval_steps, horizon)' --generate 5 --pruner extrapolation --param patience=3

# The benchmark of pruners side by side.
"$cli" prune-bench --studies 2 --trials 5 --steps 200 --format json >"$tmp/bench" || fail "prune-bench exited $?"
check '[r["pruner"] for r in j["generated"]][:2] == ["nop", "median"] and j["generated"][0]["share_saved"] == 0
       and j["generated"][0]["best_kept"] == 1 and all(r["studies"] == 2 for r in j["generated"])
       and len(j["race_preset"]) == len(j["generated"]) + 3
       and all(0 <= r["share_saved"] < 1 and r["regret"] >= 0 for r in j["generated"] + j["race_preset"])' \
  "prune-bench" <"$tmp/bench"
"$cli" prune-bench --studies 0 >/dev/null 2>"$tmp/err"
[ $? -eq 2 ] && grep -q -- "--studies must be in \[1, 100000\], got 0" "$tmp/err" || fail "prune-bench --studies 0 exits 2 naming it"

expect_error 'curvelab prune: --generate must be an integer in [1, 100000], got "0"' --generate 0
expect_error 'curvelab prune: --param n_startup_trials must be >= 0, got -1' --generate 5 --param n_startup_trials=-1
expect_error 'curvelab prune: --param unknown parameter "patience" for median (expected n_startup_trials, n_warmup_steps, interval_steps, n_min_trials)' --generate 5 --param patience=3
expect_error 'curvelab prune: --pruner must be one of nop, median, percentile, successive_halving, hyperband, threshold, patient, extrapolation, got "optuna"' --generate 5 --pruner optuna
expect_error 'curvelab prune: --steps must be in [1, 1000000], got 0' --generate 5 --steps 0
expect_error 'curvelab prune: FILE: cannot read "/nonexistent.json"' /nonexistent.json
expect_error 'curvelab prune: --pruner, --param, --study-name and --emit-study need --generate (a study FILE names its pruner)' --pruner median

if [ "$failed" -ne 0 ]; then
  echo "$failed prune CLI checks failed"
  exit 1
fi
echo "prune CLI: all checks passed"
