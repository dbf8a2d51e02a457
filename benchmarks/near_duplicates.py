"""Near-duplicate candidates: pairs of one search's candidates that are the same setting in all but name.

Every sksearch search is run on a few tasks over several seeds and each pair
of its candidates is compared parameter by parameter: a pair is a near
duplicate when every float parameter is within ``--rtol`` (relative, 1e-5 by
default) of the other's and every other parameter is equal. Such a pair
spends a fit on a result the search already had (two SVCs with C = 1.000001
and C = 1.000002 score the same). The target is zero for every strategy
while the space is not exhausted. The table also gives, over all pairs
whose non-float parameters are equal, the smallest largest relative
difference of their floats (how close the search ever came).

Run from the repository root::

    python -m benchmarks.near_duplicates [--seeds 5] [--out FILE]
"""

import argparse
import itertools
import math
import warnings
from pathlib import Path

from scipy.stats import loguniform
from sklearn.datasets import load_digits
from sklearn.svm import SVC

from sksearch import BayesSearchCV, GeneticSearchCV, PSOSearchCV
from sksearch._testing import FunctionEstimator

SEARCHES = {
    "bayes-gp": (BayesSearchCV, {"surrogate": "gp"}),
    "bayes-tpe": (BayesSearchCV, {"surrogate": "tpe"}),
    "pso": (PSOSearchCV, {}),
    "ga": (GeneticSearchCV, {}),
}


def svc_digits():
    """The case the issue measured: an RBF SVC on 600 digits, 20 candidates, 3 folds."""
    X, y = load_digits(return_X_y=True)
    space = {"C": loguniform(1e-3, 1e3), "gamma": loguniform(1e-5, 1e-1)}
    return SVC(), space, X[:600], y[:600], 20, 3


def function_task(name, n_iter):
    def build():
        estimator = FunctionEstimator(name, seed=0)
        X = [[0.0]] * 4  # the estimator ignores its data
        return estimator, estimator._function().space, X, None, n_iter, 2
    return build


TASKS = {
    "svc-digits (20)": svc_digits,
    "mixed function (80)": function_task("mixed", 80),
    "log-scale function (80)": function_task("log_scale", 80),
}


def relative_gap(a, b):
    """Largest relative difference of the float parameters of two candidates, or
    None when another parameter differs."""
    if a.keys() != b.keys():
        return None
    gap = 0.0
    for key in a:
        u, v = a[key], b[key]
        if isinstance(u, float) and isinstance(v, float):
            scale = max(abs(u), abs(v))
            gap = max(gap, abs(u - v) / scale if scale > 0 else 0.0)
        elif u != v or type(u) is not type(v):
            return None
    return gap


def count(params, rtol):
    """``(near-duplicate pairs, smallest gap of any pair equal but for floats)``."""
    pairs, smallest = 0, math.inf
    for a, b in itertools.combinations(params, 2):
        gap = relative_gap(a, b)
        if gap is None:
            continue
        smallest = min(smallest, gap)
        pairs += gap <= rtol
    return pairs, smallest


def measure(seeds, rtol, log=print):
    """``{(task, search): (pairs summed over seeds, smallest gap, candidates)}``."""
    results = {}
    for task, build in TASKS.items():
        estimator, space, X, y, n_iter, cv = build()
        for name, (cls, params) in SEARCHES.items():
            pairs, smallest, n = 0, math.inf, 0
            for seed in range(seeds):
                search = cls(estimator, space, n_iter=n_iter, cv=cv, random_state=seed,
                             refit=False, **params)
                with warnings.catch_warnings():
                    warnings.simplefilter("ignore")
                    search.fit(X, y)
                found, gap = count(search.cv_results_["params"], rtol)
                pairs, smallest, n = pairs + found, min(smallest, gap), n + len(
                    search.cv_results_["params"])
            results[task, name] = (pairs, smallest, n)
            log(f"{task} {name}: {pairs} near-duplicate pairs among {n} candidates")
    return results


def table(results, seeds, rtol):
    lines = [f"Near-duplicate pairs (every float within {rtol:g} relative, everything "
             f"else equal), summed over {seeds} seeds; in brackets the smallest relative "
             "gap of any pair equal but for its floats.", "",
             "| task | " + " | ".join(SEARCHES) + " |",
             "|---|" + "---|" * len(SEARCHES)]
    for task in TASKS:
        cells = []
        for name in SEARCHES:
            pairs, smallest, _ = results[task, name]
            cells.append(f"{pairs} ({smallest:.1e})" if math.isfinite(smallest)
                         else f"{pairs} (-)")
        lines.append(f"| {task} | " + " | ".join(cells) + " |")
    return "\n".join(lines)


def main(argv=None):
    parser = argparse.ArgumentParser(prog="python -m benchmarks.near_duplicates",
                                     description=__doc__.splitlines()[0])
    parser.add_argument("--seeds", type=int, default=5)
    parser.add_argument("--rtol", type=float, default=1e-5)
    parser.add_argument("--out", type=Path, help="also write the markdown table here")
    args = parser.parse_args(argv)
    text = table(measure(args.seeds, args.rtol), args.seeds, args.rtol)
    print(text)
    if args.out:
        args.out.parent.mkdir(parents=True, exist_ok=True)
        args.out.write_text(text + "\n")


if __name__ == "__main__":
    main()
