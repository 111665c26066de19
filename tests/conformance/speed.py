#!/usr/bin/python3
"""Speed of the pruners: Optuna 3.1 against curvelab on the same studies.

For each pruner, one study of --trials x --steps (default 100 x 1000) from curvelab's
generator (`curvelab prune --generate ... --emit-study`: true-value curves, maximize) is run
  * through Optuna, as the conformance oracle runs it (ask / report / should_prune / tell);
  * through `curvelab prune` (a whole process: reading the JSON, running, writing; best of 5);
  * through the core alone, if --bench gives curvelab_pruners_bench (Google Benchmark).
The decisions are compared too. Times are CPU times (Optuna's process time, the CLI child's
user + system time, the median of 5; Google Benchmark's cpu_time, the median of 5), which a
busy machine disturbs less than wall-clock times. Prints a Markdown table with the ratios.

    /usr/bin/python3 tests/conformance/speed.py --curvelab build-pruners/curvelab \
        --bench build-pruners/curvelab_pruners_bench
"""

import argparse
import json
import os
import resource
import statistics
import subprocess
import sys
import tempfile
import time
import warnings

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)

import optuna  # noqa: E402
import optuna_oracle  # noqa: E402

# name, --param flags, the Google Benchmark case of bench/pruners.bench.cpp
PRUNERS = [
    ("nop", [], "nop"),
    ("median", [], "median"),
    ("percentile", ["percentile=25"], "percentile"),
    ("successive_halving", [], "successive_halving"),
    ("hyperband", [], "hyperband"),
    ("threshold", ["lower=0.0"], "threshold"),
    ("patient", ["patience=10", "wrapped=median"], "patient_median"),
]


def core_times(bench, trials, steps):
    """CPU seconds per study of each Google Benchmark case: the median of 5 repetitions."""
    out = subprocess.run([bench, "--benchmark_format=json", "--benchmark_min_time=0.2", "--benchmark_repetitions=5"],
                         capture_output=True, text=True, check=True)
    samples = {}
    scale = {"ns": 1e-9, "us": 1e-6, "ms": 1e-3, "s": 1.0}
    for b in json.loads(out.stdout)["benchmarks"]:
        parts = b["run_name"].split("/")  # run/<case>/<trials>/<steps>
        if b.get("run_type") == "iteration" and parts[2:] == [str(trials), str(steps)]:
            samples.setdefault(parts[1], []).append(b["cpu_time"] * scale[b["time_unit"]])
    return {name: statistics.median(values) for name, values in samples.items()}


def child_cpu():
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--curvelab", required=True)
    parser.add_argument("--bench", help="curvelab_pruners_bench, for the core-only times")
    parser.add_argument("--trials", type=int, default=100)
    parser.add_argument("--steps", type=int, default=1000)
    parser.add_argument("--only", help="comma-separated pruner names")
    args = parser.parse_args()
    optuna.logging.set_verbosity(optuna.logging.ERROR)
    warnings.simplefilter("ignore")

    core = core_times(args.bench, args.trials, args.steps) if args.bench else {}
    rows = []
    for name, params, bench_name in PRUNERS:
        if args.only and name not in args.only.split(","):
            continue
        command = [args.curvelab, "prune", "--generate", str(args.trials), "--seed", "1", "--steps", str(args.steps),
                   "--pruner", name, "--study-name", "bench"]
        for p in params:
            command += ["--param", p]
        study = json.loads(subprocess.run(command + ["--emit-study"], capture_output=True, text=True,
                                          check=True).stdout)
        with tempfile.NamedTemporaryFile("w", suffix=".json", delete=False) as f:
            json.dump(study, f)
            path = f.name
        try:
            runs = []
            for _ in range(5):
                started = child_cpu()
                out = subprocess.run([args.curvelab, "prune", path], capture_output=True, text=True, check=True)
                runs.append(child_cpu() - started)
            cli = statistics.median(runs)
            ours = json.loads(out.stdout)
        finally:
            os.unlink(path)
        started = time.process_time()
        theirs = optuna_oracle.run_study(study)
        optuna_seconds = time.process_time() - started
        same = ours["states"] == theirs["states"] and ours["pruned_at"] == theirs["pruned_at"]
        rows.append((name + (" (" + ", ".join(params) + ")" if params else ""), optuna_seconds, cli,
                     core.get(bench_name), ours["summary"]["pruned"], same))
        print(f"{rows[-1][0]}: Optuna {optuna_seconds:.2f} s, curvelab prune {cli * 1000:.1f} ms", file=sys.stderr)

    print(f"| pruner ({args.trials} trials x {args.steps} steps) | pruned | Optuna 3.1 | curvelab prune "
          f"(process) | ratio | core alone | ratio | same decisions |")  # CPU time per study
    print("|---|---:|---:|---:|---:|---:|---:|---|")
    for name, optuna_s, cli_s, core_s, pruned, same in rows:
        core_cells = f"{core_s * 1000:.2f} ms | {optuna_s / core_s:,.0f}x" if core_s else "- | -"
        print(f"| {name} | {pruned} | {optuna_s:.2f} s | {cli_s * 1000:.1f} ms | {optuna_s / cli_s:,.0f}x | "
              f"{core_cells} | {'yes' if same else 'NO'} |")
    return 0 if all(r[-1] for r in rows) else 1


if __name__ == "__main__":
    sys.exit(main())
