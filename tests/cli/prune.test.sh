#!/usr/bin/env bash
# curvelab prune as a user runs it: stdin and files, batches, refusals and exit codes.
# usage: prune.test.sh path/to/curvelab
# shellcheck source=SCRIPTDIR/harness.sh
source "$(dirname "$0")/harness.sh" "$@"
# Every command reads an empty stdin unless it is given a pipe: a refusal never waits on it.
exec </dev/null

study='{"study_name": "s", "direction": "maximize", "pruner": {"name": "median", "params": {"n_startup_trials": 1}},
        "trials": [{"values": [0.1, 0.2, 0.3]}, {"values": [0.0, 0.1, 0.1]}, {"values": [0.5, null, "inf"], "final": null}]}'

# One study from stdin, from "-" and from a file: the same answer.
echo "$study" | "$cli" prune >"$tmp/a"
status_is 0 "prune from stdin"
echo "$study" | "$cli" prune - >"$tmp/b"
status_is 0 "prune -"
echo "$study" >"$tmp/study.json"
"$cli" prune "$tmp/study.json" >"$tmp/c"
status_is 0 "prune FILE"
want_files_same "$tmp/a" "$tmp/b"
want_files_same "$tmp/a" "$tmp/c"
verdict "stdin, - and FILE give the same answer"
json_check_py "$tmp/a" 'j["pruned_at"] == [None, 0, None] and j["states"] == ["COMPLETE", "PRUNED", "FAIL"]' "decisions"
json_check_py "$tmp/a" 'j["reasons"][1]["rule"] == "worse_than_percentile" and j["reasons"][1]["cutoff"] == 0.1' "reason"
json_check_py "$tmp/a" 'j["summary"]["steps_run"] == 7 and j["summary"]["steps_total"] == 9' "summary"

# A batch: one result per study, a refused study gives its error and the others still run.
echo "{\"studies\": [$study, {\"trials\": [], \"pruner\": {\"name\": \"median\", \"params\": {\"interval_steps\": 0}}}]}" |
  "$cli" prune >"$tmp/batch"
status_is 0 "a batch"
json_check_py "$tmp/batch" 'len(j["results"]) == 2 and j["results"][0]["states"][1] == "PRUNED"
       and j["results"][1] == {"error": "interval_steps must be >= 1, got 0"}' "batch"

# A single refused study: its error as JSON on stdout, one line on stderr, status 2.
echo '{"trials": [], "pruner": {"name": "percentile"}}' | "$cli" prune >"$tmp/out" 2>"$tmp/err"
status_is 2 "a refused study exits 2"
json_check_py "$tmp/out" '"error" in j' "refused study prints its error"

# Generated cohorts.
"$cli" prune --generate 8 --seed 2 --pruner hyperband --param min_resource=2 >"$tmp/gen"
status_is 0 "--generate"
json_check_py "$tmp/gen" 'len(j["states"]) == 8 and j["pruner"]["params"]["min_resource"] == 2' "generate"
"$cli" prune --generate 3 --steps 50 --pruner patient --param patience=2 --param wrapped=percentile \
  --param wrapped.percentile=25 --emit-study >"$tmp/emitted"
status_is 0 "--emit-study"
json_check_py "$tmp/emitted" 'len(j["trials"]) == 3 and len(j["trials"][0]["values"]) == 50
       and j["pruner"]["params"]["wrapped"]["params"]["percentile"] == 25.0' "emit-study"
"$cli" prune "$tmp/emitted" >/dev/null
status_is 0 "an emitted study runs"

"$cli" prune --help >/dev/null
status_is 0 "--help"

# curvelab's own extrapolation pruner: stops with the predicted final and its interval.
"$cli" prune --generate 12 --seed 3 --pruner extrapolation --param p=0.1 --param interval_steps=50 >"$tmp/ext"
status_is 0 "extrapolation"
json_check_py "$tmp/ext" 'j["pruner"] == {"name": "extrapolation", "params": {"p": 0.1, "n_startup_trials": 1, "n_warmup_steps": 100,
                                                           "interval_steps": 50, "horizon": "auto", "max_checks": 200}}
       and any(r and r["rule"] == "unlikely_to_beat_best" for r in j["reasons"])
       and all(r["lower"] <= r["predicted"] <= r["upper"] < r["best"] and r["probability"] < 0.1
               and (r["step"] - 100) % 50 == 0 for r in j["reasons"] if r and r["rule"] == "unlikely_to_beat_best")' \
  "extrapolation reasons"
expect_refusal 'curvelab prune: --param p must be in (0, 1), got 0' prune --generate 5 --pruner extrapolation --param p=0
expect_refusal 'curvelab prune: --param horizon must be "auto" or >= 1, got -3' prune --generate 5 --pruner extrapolation --param horizon=-3
expect_refusal 'curvelab prune: --param unknown parameter "patience" for extrapolation (expected p, n_startup_trials, n_warmup_steps, interval_steps, horizon, max_checks)' prune --generate 5 --pruner extrapolation --param patience=3

# The benchmark of pruners side by side.
"$cli" prune-bench --studies 2 --trials 5 --steps 200 --format json >"$tmp/bench"
status_is 0 "prune-bench"
json_check_py "$tmp/bench" '[r["pruner"] for r in j["generated"]][:2] == ["nop", "median"] and j["generated"][0]["share_saved"] == 0
       and j["generated"][0]["best_kept"] == 1 and all(r["studies"] == 2 for r in j["generated"])
       and len(j["race_preset"]) == len(j["generated"]) + 3
       and all(0 <= r["share_saved"] < 1 and r["regret"] >= 0 for r in j["generated"] + j["race_preset"])' \
  "prune-bench"
"$cli" prune-bench --studies 0 >/dev/null 2>"$tmp/err"
want_status 2
want_match "$(cat "$tmp/err")" "--studies must be in \[1, 100000\], got 0" stderr
verdict "prune-bench --studies 0 exits 2 naming it"

expect_refusal 'curvelab prune: --generate must be an integer in [1, 100000], got "0"' prune --generate 0
expect_refusal 'curvelab prune: --param n_startup_trials must be >= 0, got -1' prune --generate 5 --param n_startup_trials=-1
expect_refusal 'curvelab prune: --param unknown parameter "patience" for median (expected n_startup_trials, n_warmup_steps, interval_steps, n_min_trials)' prune --generate 5 --param patience=3
expect_refusal 'curvelab prune: --pruner must be one of nop, median, percentile, successive_halving, hyperband, threshold, patient, extrapolation, got "optuna"' prune --generate 5 --pruner optuna
expect_refusal 'curvelab prune: --steps must be in [1, 1000000], got 0' prune --generate 5 --steps 0
expect_refusal 'curvelab prune: FILE: cannot read "/nonexistent.json"' prune /nonexistent.json
expect_refusal 'curvelab prune: --pruner, --param, --study-name and --emit-study need --generate (a study FILE names its pruner)' prune --pruner median

finish prune
