"""Reference values of Optuna 3.1's TPE internals for test/core/sweep/tpe.spec.ts.

Run with Debian's python3-optuna 3.1 (MIT licence):
    /usr/bin/python3 test/core/sweep/optuna_reference.py > test/core/sweep/fixtures/optuna-3.1-tpe.json

For fixed histories (built here from formulas, no randomness), prints what
Optuna's TPESampler computes before it draws: the split of the trials into
below/above, and per parameter (or jointly) the Parzen estimators' weights,
centres and bandwidths, and their log densities (`log_pdf`, as 3.1 scores
candidates) at fixed points.
"""
import json
import math
import sys
import warnings

import numpy as np
import optuna
from optuna.distributions import (
    CategoricalDistribution,
    FloatDistribution,
    IntDistribution,
)
from optuna.samplers._tpe.parzen_estimator import _ParzenEstimator
from optuna.samplers._tpe.sampler import (
    _get_observation_pairs,
    _split_observation_pairs,
)
from optuna.trial import TrialState, create_trial

warnings.simplefilter("ignore")
optuna.logging.set_verbosity(optuna.logging.ERROR)


def to_json(x):
    if isinstance(x, np.ndarray):
        return [to_json(v) for v in x.tolist()]
    if isinstance(x, float) and not math.isfinite(x):
        return repr(x)  # 'inf', '-inf', 'nan'
    if isinstance(x, list):
        return [to_json(v) for v in x]
    return x


def make_case(name, space, params_of, value_of, n, goal="minimize", states=None,
              points=None, options=None, joint=False):
    """space: {param: (labbook param spec, optuna distribution)}."""
    options = options or {}
    study = optuna.create_study(direction=goal)
    trials = []
    for i in range(n):
        params = params_of(i)
        state = states(i) if states else "complete"
        dists = {k: space[k][1] for k in params}
        rec = {"params": params, "state": state}
        if state == "complete":
            v = value_of(i, params)
            rec["value"] = v
            t = create_trial(params=params, distributions=dists, value=v)
        elif state == "stopped":
            steps = {s: value_of(i, params) + 1.0 / (s + 1) for s in range(i % 4)}
            rec["intermediate"] = [[s, v] for s, v in steps.items()]
            t = create_trial(params=params, distributions=dists, state=TrialState.PRUNED,
                             intermediate_values=steps)
        elif state == "running":
            t = create_trial(params=params, distributions=dists, state=TrialState.RUNNING)
        else:  # failed
            t = create_trial(params=params, distributions=dists, state=TrialState.FAIL)
        study.add_trial(t)
        trials.append(rec)

    sampler = optuna.samplers.TPESampler(
        consider_magic_clip=options.get("considerMagicClip", True),
        consider_endpoints=options.get("considerEndpoints", False),
        prior_weight=options.get("priorWeight", 1.0),
        multivariate=options.get("multivariate", False),
        constant_liar=options.get("constantLiar", True),
    )
    groups = [list(space)] if joint else [[k] for k in space]
    out = {"name": name, "goal": goal, "options": options, "trials": trials,
           "space": {k: v[0] for k, v in space.items()}, "groups": []}
    for names in groups:
        values, scores, _ = _get_observation_pairs(
            study, names, options.get("constantLiar", True), False
        )
        n_fin = sum(s < float("inf") for s, v in scores)
        n_below = sampler._gamma(n_fin)
        below_idx, above_idx = _split_observation_pairs(scores, n_below, None)
        cv = {k: np.asarray(v, dtype=float) for k, v in values.items()}
        mask = np.all([~np.isnan(v) for v in cv.values()], axis=0)
        below = {k: v[below_idx[mask[below_idx]]] for k, v in cv.items()}
        above = {k: v[above_idx[mask[above_idx]]] for k, v in cv.items()}
        sub = {k: space[k][1] for k in names}
        mb = _ParzenEstimator(below, sub, sampler._parzen_estimator_parameters)
        ma = _ParzenEstimator(above, sub, sampler._parzen_estimator_parameters)
        internal = {}
        for k in names:
            d = sub[k]
            if isinstance(d, CategoricalDistribution):
                internal[k] = np.asarray([int(d.to_internal_repr(c)) for c in points[k]])
            else:
                internal[k] = np.asarray(points[k], dtype=float)
        g = {"names": names, "nFinished": n_fin, "nBelow": n_below,
             "below": to_json(np.asarray(below_idx)), "above": to_json(np.asarray(above_idx)),
             "points": {k: points[k] for k in names}}
        for label, m in (("l", mb), ("g", ma)):
            est = {"weights": to_json(m._weights), "params": {}}
            for k in names:
                if isinstance(sub[k], CategoricalDistribution):
                    est["params"][k] = {"probs": to_json(m._categorical_weights[k])}
                else:
                    est["params"][k] = {"mus": to_json(m._mus[k]), "sigmas": to_json(m._sigmas[k]),
                                        "low": m._low[k], "high": m._high[k]}
            est["logPdf"] = to_json(m.log_pdf(internal))
            g[label] = est
        out["groups"].append(g)
    return out


def frac(i, a):
    return (i * a) % 1.0


cases = []
# A float range, 30 complete trials (below 3, above 27: the ramped weights).
cases.append(make_case(
    "uniform", {"x": ({"distribution": "uniform", "min": -5, "max": 10}, FloatDistribution(-5, 10))},
    lambda i: {"x": -5 + 15 * frac(i, 0.618034)}, lambda i, p: (p["x"] - 2.5) ** 2, 30,
    points={"x": [-5, -2.2, 0, 2.5, 3.1, 7.75, 10]}))
# Log-uniform, maximised, 40 trials.
cases.append(make_case(
    "log_uniform",
    {"lr": ({"distribution": "log_uniform", "min": 1e-5, "max": 0.1}, FloatDistribution(1e-5, 0.1, log=True))},
    lambda i: {"lr": 10 ** (-5 + 4 * frac(i, 0.414214))},
    lambda i, p: -abs(math.log10(p["lr"]) + 3), 40, goal="maximize",
    points={"lr": [1e-5, 3e-5, 1e-3, 0.05, 0.1]}))
# Stepped integers and log-spaced integers together (one estimator each).
cases.append(make_case(
    "ints",
    {"batch": ({"distribution": "int_uniform", "min": 16, "max": 128, "q": 16}, IntDistribution(16, 128, step=16)),
     "width": ({"distribution": "int_uniform", "min": 1, "max": 1024, "log": True}, IntDistribution(1, 1024, log=True))},
    lambda i: {"batch": 16 * (1 + (i * 5) % 8), "width": int(round(2 ** (10 * frac(i, 0.7548777))))},
    lambda i, p: abs(p["batch"] - 64) / 16 + abs(math.log2(p["width"]) - 5), 26,
    points={"batch": [16, 48, 64, 128], "width": [1, 7, 32, 1000]}))
# A stepped float, with running, stopped and failed trials (constant liar).
cases.append(make_case(
    "states",
    {"d": ({"distribution": "uniform", "min": 0, "max": 2, "q": 0.25}, FloatDistribution(0, 2, step=0.25))},
    lambda i: {"d": 0.25 * ((i * 3) % 9)}, lambda i, p: (p["d"] - 1.25) ** 2 + 0.01 * i, 24,
    states=lambda i: ["complete", "complete", "stopped", "running", "complete", "failed"][i % 6],
    points={"d": [0, 0.5, 1.25, 2]}))
# Categorical.
cases.append(make_case(
    "categorical",
    {"opt": ({"values": ["adam", "sgd", "rmsprop", "adamw"]}, CategoricalDistribution(["adam", "sgd", "rmsprop", "adamw"]))},
    lambda i: {"opt": ["adam", "sgd", "rmsprop", "adamw"][(i * 7) % 4]},
    lambda i, p: {"adam": 1.0, "sgd": 2.0, "rmsprop": 1.5, "adamw": 0.5}[p["opt"]] + 0.1 * frac(i, 0.3), 15,
    points={"opt": ["adam", "sgd", "rmsprop", "adamw"]}))
# Options: endpoints considered, no magic clip, prior weight 2.
cases.append(make_case(
    "options",
    {"x": ({"distribution": "uniform", "min": 0, "max": 1}, FloatDistribution(0, 1))},
    lambda i: {"x": frac(i, 0.618034) ** 2}, lambda i, p: p["x"], 12,
    options={"considerEndpoints": True, "considerMagicClip": False, "priorWeight": 2.0},
    points={"x": [0, 0.01, 0.3, 0.99]}))
# Multivariate: one joint estimator over a float and a categorical.
cases.append(make_case(
    "multivariate",
    {"x": ({"distribution": "uniform", "min": -1, "max": 1}, FloatDistribution(-1, 1)),
     "c": ({"values": ["a", "b", "c"]}, CategoricalDistribution(["a", "b", "c"]))},
    lambda i: {"x": -1 + 2 * frac(i, 0.618034), "c": ["a", "b", "c"][i % 3]},
    lambda i, p: p["x"] ** 2 + (0 if p["c"] == "b" else 0.5), 20,
    options={"multivariate": True}, joint=True,
    points={"x": [-1, -0.1, 0.0, 0.4], "c": ["a", "b", "c", "b"]}))
# No running trials counted when constant liar is off.
cases.append(make_case(
    "no_liar",
    {"x": ({"distribution": "uniform", "min": 0, "max": 10}, FloatDistribution(0, 10))},
    lambda i: {"x": 10 * frac(i, 0.618034)}, lambda i, p: abs(p["x"] - 7), 14,
    states=lambda i: "running" if i % 3 == 0 else "complete",
    options={"constantLiar": False}, points={"x": [0, 7, 9.5]}))

json.dump({"optuna": optuna.__version__, "cases": cases}, sys.stdout, indent=1)
sys.stdout.write("\n")
