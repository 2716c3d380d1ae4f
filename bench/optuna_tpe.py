"""Optuna 3.1's TPESampler on the bench's test functions, for bench/tpe.bench.ts.

Reads a JSON job on stdin: {"trials": 50, "seeds": 20, "functions": [...],
"timing": [100, 1000]}; prints JSON: per function the best value of each
seed (noisy functions: the true value of the trial with the best observed
value), and the time of one suggestion after N past trials. The functions
and their noise are defined here and in bench/tpe.bench.ts identically.
Needs Debian's python3-optuna (a benchmark anchor, never a dependency).
"""
import json
import math
import sys
import time
import warnings

import optuna

warnings.simplefilter("ignore")
optuna.logging.set_verbosity(optuna.logging.ERROR)

ALPHA = [1.0, 1.2, 3.0, 3.2]
A = [[10, 3, 17, 3.5, 1.7, 8], [0.05, 10, 17, 0.1, 8, 14],
     [3, 3.5, 1.7, 10, 17, 8], [17, 8, 0.05, 10, 0.1, 14]]
P = [[0.1312, 0.1696, 0.5569, 0.0124, 0.8283, 0.5886],
     [0.2329, 0.4135, 0.8307, 0.3736, 0.1004, 0.9991],
     [0.2348, 0.1451, 0.3522, 0.2883, 0.3047, 0.6650],
     [0.4047, 0.8828, 0.8732, 0.5743, 0.1091, 0.0381]]


def branin(x):
    b = 5.1 / (4 * math.pi ** 2)
    return (x[1] - b * x[0] ** 2 + 5 / math.pi * x[0] - 6) ** 2 + 10 * (1 - 1 / (8 * math.pi)) * math.cos(x[0]) + 10


def hartmann6(x):
    return -sum(ALPHA[i] * math.exp(-sum(A[i][j] * (x[j] - P[i][j]) ** 2 for j in range(6))) for i in range(4))


def quadratic(x):
    return sum((v - 0.3) ** 2 for v in x)


def noise(seed, k):
    # Uniform, sd 0.1, the same in both languages: frac(k * phi * (seed + 1)).
    u = (k * 0.6180339887498949 * (seed + 1)) % 1.0
    return (u - 0.5) * math.sqrt(12) * 0.1


FUNCTIONS = {
    "branin": ([(-5, 10), (0, 15)], branin, False),
    "hartmann6": ([(0, 1)] * 6, hartmann6, False),
    "noisy-quadratic": ([(-1, 1)] * 4, quadratic, True),
}


def run(name, seed, n):
    bounds, f, noisy = FUNCTIONS[name]
    sampler = optuna.samplers.TPESampler(seed=seed)
    study = optuna.create_study(sampler=sampler)
    best_seen, best_true = math.inf, math.inf
    for k in range(n):
        t = study.ask()
        x = [t.suggest_float(f"x{i}", lo, hi) for i, (lo, hi) in enumerate(bounds)]
        true = f(x)
        seen = true + noise(seed, k) if noisy else true
        study.tell(t, seen)
        if seen < best_seen:
            best_seen, best_true = seen, true
    return best_true


def suggest_time(n_past):
    bounds, f, _ = FUNCTIONS["hartmann6"]
    study = optuna.create_study(sampler=optuna.samplers.TPESampler(seed=0))
    dists = {f"x{i}": optuna.distributions.FloatDistribution(lo, hi) for i, (lo, hi) in enumerate(bounds)}
    for k in range(n_past):
        params = {f"x{i}": lo + (hi - lo) * ((k * 0.754877666 * (i + 1)) % 1.0) for i, (lo, hi) in enumerate(bounds)}
        study.add_trial(optuna.trial.create_trial(params=params, distributions=dists, value=f(list(params.values()))))
    times = []
    for _ in range(5):
        t0 = time.perf_counter()
        t = study.ask()
        for i, (lo, hi) in enumerate(bounds):
            t.suggest_float(f"x{i}", lo, hi)
        times.append((time.perf_counter() - t0) * 1000)
        study.tell(t, state=optuna.trial.TrialState.FAIL)
    times.sort()
    return times[len(times) // 2]


job = json.load(sys.stdin)
out = {"optuna": optuna.__version__, "best": {}, "suggestMs": {}}
for name in job["functions"]:
    out["best"][name] = [run(name, s, job["trials"]) for s in range(job["seeds"])]
for n in job.get("timing", []):
    out["suggestMs"][str(n)] = suggest_time(n)
json.dump(out, sys.stdout)
