#!/usr/bin/python3
"""The oracle: runs curvelab study JSON through Optuna itself.

Each study is run the way `curvelab prune` runs it: a fresh in-memory storage, a fresh
pruner, RandomSampler(seed=0) and no parameters suggested (so the sampler cannot influence anything), trials strictly
one after another (ask; report + should_prune per step; tell). The first True from
should_prune stops the trial (told PRUNED, pruned_at = the step just reported); otherwise
it is told its final value (default: its last value; NaN gives FAIL).

A study whose pruner Optuna refuses, at construction or later while pruning, gives
{"error": "<exception>"}.

    /usr/bin/python3 optuna_oracle.py studies.json > optuna.json
"""

import json
import math
import sys
import warnings

import optuna
from optuna.trial import TrialState


def number(x):
    """JSON value -> float: null is NaN, infinities are strings."""
    if x is None:
        return math.nan
    if isinstance(x, str):
        return {"inf": math.inf, "+inf": math.inf, "-inf": -math.inf, "nan": math.nan}[x]
    return float(x)


def make_pruner(spec):
    name = spec["name"]
    params = dict(spec.get("params", {}))
    pruners = optuna.pruners
    if name == "nop":
        return pruners.NopPruner(**params)
    if name == "median":
        return pruners.MedianPruner(**params)
    if name == "percentile":
        params["percentile"] = number(params["percentile"])
        return pruners.PercentilePruner(**params)
    if name == "successive_halving":
        return pruners.SuccessiveHalvingPruner(**params)
    if name == "hyperband":
        return pruners.HyperbandPruner(**params)
    if name == "threshold":
        for bound in ("lower", "upper"):
            if params.get(bound) is not None:
                params[bound] = number(params[bound])
        return pruners.ThresholdPruner(**params)
    if name == "patient":
        wrapped = params.pop("wrapped", None)
        if "min_delta" in params:
            params["min_delta"] = number(params["min_delta"])
        return pruners.PatientPruner(None if wrapped is None else make_pruner(wrapped), **params)
    raise ValueError(f"unknown pruner {name!r}")


def run_study(study):
    try:
        pruner = make_pruner(study.get("pruner", {"name": "median"}))
        optuna_study = optuna.create_study(
            storage=optuna.storages.InMemoryStorage(),
            study_name=study.get("study_name", "curvelab"),
            direction=study.get("direction", "minimize"),
            sampler=optuna.samplers.RandomSampler(seed=0),
            pruner=pruner,
        )
        pruned_at = []
        for spec in study["trials"]:
            values = [number(v) for v in spec["values"]]
            steps = spec.get("steps") or range(len(values))
            trial = optuna_study.ask()
            stopped = None
            for step, value in zip(steps, values):
                trial.report(value, step)
                if trial.should_prune():
                    stopped = step
                    break
            pruned_at.append(stopped)
            if stopped is not None:
                optuna_study.tell(trial, state=TrialState.PRUNED)
            else:
                final = number(spec["final"]) if "final" in spec else (values[-1] if values else math.nan)
                optuna_study.tell(trial, final)  # NaN makes it FAIL
        states = [t.state.name for t in optuna_study.get_trials(deepcopy=False)]
        return {"pruned_at": pruned_at, "states": states}
    except Exception as error:  # the refusal, whatever Optuna raised
        return {"error": f"{type(error).__name__}: {error}"}


def main():
    optuna.logging.set_verbosity(optuna.logging.ERROR)
    warnings.simplefilter("ignore")
    with open(sys.argv[1]) as f:
        data = json.load(f)
    studies = data["studies"] if "studies" in data else [data]
    json.dump({"results": [run_study(s) for s in studies]}, sys.stdout)
    sys.stdout.write("\n")


if __name__ == "__main__":
    main()
