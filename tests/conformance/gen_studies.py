#!/usr/bin/python3
"""Random studies for the conformance test, from one seed.

Covers every pruner (patient wrapping each of the others, or nothing), a spread of every
parameter (edge values and, now and then, values Optuna refuses), both directions, NaN
and infinite values, gapped, sparse, offset, out-of-order and repeated steps, trials of different
lengths (empty ones too), given final values (NaN and infinite ones too), and ties.

    /usr/bin/python3 gen_studies.py --count 600 --seed 1 > studies.json
"""

import argparse
import json
import math
import random

PRUNERS = ["nop", "median", "percentile", "successive_halving", "hyperband", "threshold", "patient"]
NAMES = ["s", "study", "研究_ß", "curvelab", "run-7", "a_b_c"]


def to_json_number(x):
    if math.isnan(x):
        return None
    if math.isinf(x):
        return "inf" if x > 0 else "-inf"
    return x


def pick(rng, common, rare=(), p_rare=0.05):
    """A common value, or now and then a rare one (an edge case, or one Optuna refuses)."""
    if rare and rng.random() < p_rare:
        return rng.choice(rare)
    return rng.choice(common)


def pruner_spec(rng, name, depth=0):
    p = {}
    if name in ("median", "percentile"):
        if name == "percentile":
            p["percentile"] = pick(rng, [0, 10, 25, 33.3, 50, 60, 75, 90, 100, rng.uniform(0, 100)], [-1, 100.5])
        p["n_startup_trials"] = pick(rng, [0, 0, 1, 2, 3, 5], [-1])
        p["n_warmup_steps"] = pick(rng, [0, 0, 0, 1, 2, 5, 10], [-1])
        p["interval_steps"] = pick(rng, [1, 1, 1, 2, 3, 5], [0])
        p["n_min_trials"] = pick(rng, [1, 1, 1, 2, 3], [0])
    elif name == "successive_halving":
        p["min_resource"] = pick(rng, ["auto", "auto", 1, 1, 2, 3, 5], [0, -2])
        p["reduction_factor"] = pick(rng, [2, 2, 3, 4, 5], [1])
        p["min_early_stopping_rate"] = pick(rng, [0, 0, 0, 1, 2], [-1])
        if p["min_resource"] != "auto" or rng.random() < 0.05:
            p["bootstrap_count"] = pick(rng, [0, 0, 0, 1, 2], [-1])
    elif name == "hyperband":
        p["min_resource"] = pick(rng, [1, 1, 1, 2, 3, 4], [0, -1, "auto"])
        p["max_resource"] = pick(rng, ["auto", "auto", "auto", 9, 10, 27, 30, 50, 81, 100, 243, 486, 1000],
                                 [0, -10, 1])
        p["reduction_factor"] = pick(rng, [2, 3, 3, 4], [1, 0, 10])
        if p["max_resource"] in (243, 486) and rng.random() < 0.5:
            p["reduction_factor"] = 3  # floor(log(243, 3)) is 4 in Python, not 5
            p["min_resource"] = p["max_resource"] // 243
        if p["max_resource"] != "auto" or rng.random() < 0.05:
            p["bootstrap_count"] = pick(rng, [0, 0, 0, 1, 2], [-1])
    elif name == "threshold":
        lower = rng.choice([None, None, round(rng.uniform(-1, 0.5), 1), rng.uniform(-1, 1), 0.0])
        upper = rng.choice([None, None, round(rng.uniform(0, 1.5), 1), rng.uniform(0, 2), 0.0])
        if lower is None and upper is None and rng.random() > 0.05:
            lower = 0.0
        if lower is not None and upper is not None and lower > upper and rng.random() > 0.05:
            lower, upper = upper, lower
        if rng.random() < 0.05:
            upper = lower
        p["lower"] = lower
        p["upper"] = upper
        p["n_warmup_steps"] = pick(rng, [0, 0, 1, 3, 10], [-1])
        p["interval_steps"] = pick(rng, [1, 1, 2, 3, 5], [0])
    elif name == "patient":
        inner = rng.choice(PRUNERS[:-1] + [None, None] + (["patient"] if depth == 0 else []))
        p["wrapped"] = None if inner is None else pruner_spec(rng, inner, depth + 1)
        p["patience"] = pick(rng, [0, 1, 2, 3, 5], [-1])
        p["min_delta"] = pick(rng, [0.0, 0.0, 0.01, 0.1, 0.5], [-0.1, math.inf])
        p["min_delta"] = to_json_number(p["min_delta"])
    # Leave some parameters out, so that Optuna's defaults are used.
    for key in list(p):
        if key not in ("percentile", "patience") and rng.random() < 0.2:
            del p[key]
    return {"name": name, "params": p}


def curve(rng, length, style, ties):
    base = rng.uniform(-1, 1)
    slope = rng.uniform(-0.05, 0.1)
    noise = rng.choice([0.0, 0.02, 0.1, 0.3])
    values = [base + slope * math.log1p(t) * 5 + rng.gauss(0, noise) for t in range(length)]
    if ties:
        values = [round(v, 1) for v in values]
    p_nan, p_inf = style
    out = []
    for v in values:
        r = rng.random()
        if r < p_nan:
            v = math.nan
        elif r < p_nan + p_inf:
            v = rng.choice([math.inf, -math.inf])
        out.append(v)
    return out


def step_list(rng, length, mode):
    if mode == "gapped":
        steps, s = [], rng.choice([0, 0, 1, 3])
        for _ in range(length):
            steps.append(s)
            s += rng.choice([1, 1, 2, 3, 5, 7])
        return steps
    if mode == "sparse":  # every k-th step, so that 'auto' resources exceed 1 and rungs fall between reports
        k = rng.choice([2, 3, 5, 10, 20])
        start = rng.choice([0, 0, k, 1])
        return [start + k * i for i in range(length)]
    if mode == "messy":  # gaps, some out of order, some repeated
        steps = step_list(rng, length, "gapped")
        for _ in range(max(1, length // 5)):
            if length >= 2:
                i = rng.randrange(length - 1)
                if rng.random() < 0.5:
                    steps[i], steps[i + 1] = steps[i + 1], steps[i]
                else:
                    steps[i + 1] = steps[i]
        return steps
    return None


def study(rng, index):
    name = PRUNERS[index % len(PRUNERS)] if rng.random() < 0.7 else rng.choice(PRUNERS)
    pruner = pruner_spec(rng, name)
    halving = name in ("successive_halving", "hyperband") or (
        name == "patient" and pruner["params"].get("wrapped") and
        pruner["params"]["wrapped"]["name"] in ("successive_halving", "hyperband"))
    max_len = rng.randint(5, 120) if halving else rng.randint(1, 40)
    n_trials = rng.randint(1, 16)
    style = rng.choice([(0, 0), (0, 0), (0.05, 0), (0.3, 0), (0.02, 0.02), (0, 0.05)])
    ties = rng.random() < 0.3
    mode = rng.choice(["default", "default", "gapped", "messy", "sparse"])
    trials = []
    for _ in range(n_trials):
        if trials and rng.random() < 0.1:
            trials.append(dict(trials[rng.randrange(len(trials))]))  # an exact tie with an earlier trial
            continue
        length = max_len if rng.random() < 0.5 else rng.randint(0, max_len)
        t = {"values": [to_json_number(v) for v in curve(rng, length, style, ties)]}
        steps = step_list(rng, length, mode)
        if steps is not None:
            t["steps"] = steps
        if rng.random() < 0.15:
            t["final"] = to_json_number(rng.choice([rng.uniform(-1, 1), math.nan, math.inf, -math.inf, 0.5]))
        trials.append(t)
    return {
        "study_name": rng.choice(NAMES) + ("" if rng.random() < 0.5 else f"_{index}"),
        "direction": rng.choice(["minimize", "maximize"]),
        "pruner": pruner,
        "trials": trials,
    }


def generate(count, seed):
    rng = random.Random(seed)
    return {"studies": [study(rng, i) for i in range(count)]}


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--count", type=int, default=600)
    parser.add_argument("--seed", type=int, default=1)
    args = parser.parse_args()
    print(json.dumps(generate(args.count, args.seed), ensure_ascii=False))
