#!/usr/bin/python3
"""Conformance of `curvelab prune` with Optuna 3.1: both run the same random studies and
every decision (each trial's state and the step it was pruned at, or the refusal of the
pruner's parameters) must agree. Prints the first difference in full and exits 1.
Exits 77 (reported as skipped) when Optuna cannot be imported.

    /usr/bin/python3 tests/conformance/run_conformance.py --curvelab build-pruners/curvelab [--count 600] [--seed 1]
"""

import argparse
import collections
import json
import os
import subprocess
import sys
import tempfile
import time

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)

try:
    import optuna  # noqa: F401
except ImportError as error:
    print(f"SKIPPED: Optuna is not importable by {sys.executable} ({error}); install python3-optuna")
    sys.exit(77)

import gen_studies  # noqa: E402
import optuna_oracle  # noqa: E402


def decisions(result):
    if "error" in result:
        return "error"
    return list(zip(result["states"], result["pruned_at"]))


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--curvelab", required=True)
    parser.add_argument("--count", type=int, default=600)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--studies", help="run these studies (a JSON file) instead of generating them")
    args = parser.parse_args()

    if args.studies:
        with open(args.studies) as f:
            batch = json.load(f)
    else:
        batch = gen_studies.generate(args.count, args.seed)
    studies = batch["studies"]

    with tempfile.NamedTemporaryFile("w", suffix=".json", delete=False) as f:
        json.dump(batch, f, ensure_ascii=False)
        path = f.name
    try:
        started = time.perf_counter()
        out = subprocess.run([args.curvelab, "prune", path], capture_output=True, text=True)
        curvelab_seconds = time.perf_counter() - started
        if out.returncode != 0:
            print(f"curvelab prune failed ({out.returncode}): {out.stderr}")
            return 1
        ours = json.loads(out.stdout)["results"]
    finally:
        os.unlink(path)

    optuna_oracle.optuna.logging.set_verbosity(optuna_oracle.optuna.logging.ERROR)
    import warnings
    warnings.simplefilter("ignore")
    started = time.perf_counter()
    theirs = [optuna_oracle.run_study(s) for s in studies]
    optuna_seconds = time.perf_counter() - started

    by_pruner = collections.Counter()
    pruned = errors = differences = 0
    first = None
    for i, (study, a, b) in enumerate(zip(studies, ours, theirs)):
        name = study["pruner"]["name"]
        if name == "patient" and study["pruner"]["params"].get("wrapped"):
            name += "(" + study["pruner"]["params"]["wrapped"]["name"] + ")"
        by_pruner[name] += 1
        if "error" in b:
            errors += 1
        else:
            pruned += b["states"].count("PRUNED")
        if decisions(a) != decisions(b):
            differences += 1
            if first is None:
                first = (i, study, a, b)

    print(f"{len(studies)} studies, {sum(len(s['trials']) for s in studies)} trials, "
          f"{pruned} pruned by Optuna, {errors} refused by Optuna")
    print("studies per pruner: " + ", ".join(f"{k} {v}" for k, v in sorted(by_pruner.items())))
    print(f"time: curvelab {curvelab_seconds:.3f} s (one process, JSON included), Optuna {optuna_seconds:.1f} s")
    if first is None:
        print("conformance: 0 differences")
        return 0
    i, study, a, b = first
    print(f"conformance: {differences} studies differ; the first is study {i}:")
    print("study:   " + json.dumps(study, ensure_ascii=False))
    print("curvelab: " + json.dumps(a, ensure_ascii=False))
    print("optuna:   " + json.dumps(b, ensure_ascii=False))
    if "error" not in a and "error" not in b:
        for t, (x, y) in enumerate(zip(decisions(a), decisions(b))):
            if x != y:
                print(f"first differing trial: {t}: curvelab {x}, optuna {y}")
                break
    return 1


if __name__ == "__main__":
    sys.exit(main())
