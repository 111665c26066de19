#!/usr/bin/python3
"""curvelab against a numpy vectorised 10-armed testbed, timed in one run.

Both simulate Sutton and Barto's testbed (10 arms, q* ~ Normal(0, 1), rewards
Normal(q*, 1), epsilon-greedy with sample averages, epsilon 0.1) for RUNS runs of STEPS
steps. numpy steps all runs at once (one array operation per step, the usual vectorised
form); curvelab is timed by `curvelab bench`, which reports its best rate on one core.
The two alternate (A B A B ...) so that a change in the machine's speed hits both, and
the ratio is taken pair by pair; the median pair is printed.

usage: bench/numpy_testbed.py [--curvelab build/curvelab] [--runs 2000] [--steps 1000] [--pairs 5]
"""

import argparse
import re
import statistics
import subprocess
import sys
import time

import numpy as np


def numpy_testbed(runs, steps, epsilon, seed):
    """Agent-steps per second of one vectorised testbed, and its mean reward at the end."""
    rng = np.random.default_rng(seed)
    arms = 10
    q_star = rng.normal(0.0, 1.0, (runs, arms))
    estimates = np.zeros((runs, arms))
    counts = np.zeros((runs, arms))
    rows = np.arange(runs)
    last_rewards = []
    start = time.perf_counter()
    for t in range(steps):
        explore = rng.random(runs) < epsilon
        action = np.where(explore, rng.integers(0, arms, runs), np.argmax(estimates, axis=1))
        reward = q_star[rows, action] + rng.normal(0.0, 1.0, runs)
        counts[rows, action] += 1.0
        estimates[rows, action] += (reward - estimates[rows, action]) / counts[rows, action]
        if t >= steps - steps // 10:
            last_rewards.append(reward.mean())
    elapsed = time.perf_counter() - start
    return runs * steps / elapsed, float(np.mean(last_rewards))


def curvelab_rate(cli, runs, steps):
    """`curvelab bench`'s rate in agent-steps per second (best of 3 inside one process)."""
    out = subprocess.run([cli, "bench", "--runs", str(runs), "--steps", str(steps), "--repeat", "3"],
                         check=True, capture_output=True, text=True, timeout=600).stdout
    match = re.match(r"([0-9.]+) million agent-steps per second", out)
    if not match:
        sys.exit(f"numpy_testbed: unexpected output from curvelab bench: {out!r}")
    return float(match.group(1)) * 1e6


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--curvelab", default="build/curvelab")
    parser.add_argument("--runs", type=int, default=2000)
    parser.add_argument("--steps", type=int, default=1000)
    parser.add_argument("--pairs", type=int, default=5)
    args = parser.parse_args()
    if not 1 <= args.pairs <= 50 or not 1 <= args.runs <= 100000 or not 1 <= args.steps <= 100000:
        sys.exit("numpy_testbed: --pairs must be in [1, 50], --runs in [1, 100000], --steps in [1, 100000]")

    ratios, ours, theirs, finals = [], [], [], []
    for pair in range(args.pairs):
        # numpy: best of 3, as curvelab bench takes its best of 3.
        best = 0.0
        for repeat in range(3):
            rate, final = numpy_testbed(args.runs, args.steps, 0.1, seed=pair * 3 + repeat)
            best = max(best, rate)
            finals.append(final)
        rate = curvelab_rate(args.curvelab, args.runs, args.steps)
        theirs.append(best)
        ours.append(rate)
        ratios.append(rate / best)

    print(f"testbed: {args.runs} runs x {args.steps} steps, 10 arms, epsilon 0.1, one core; {args.pairs} pairs")
    print(f"numpy {np.__version__}: {statistics.median(theirs) / 1e6:.1f} M agent-steps/s "
          f"(mean reward over the last 10% of steps: {statistics.mean(finals):.3f})")
    print(f"curvelab:    {statistics.median(ours) / 1e6:.1f} M agent-steps/s")
    print(f"ratio curvelab / numpy: {statistics.median(ratios):.1f}x "
          f"(pairs: {', '.join(f'{r:.1f}' for r in ratios)})")


if __name__ == "__main__":
    main()
