"""Speedup of ``n_jobs=2`` over ``n_jobs=1`` for every sksearch search.

On an estimator whose fits dominate (an RBF SVC on 3,000 samples, 5-fold CV,
20 candidates), each search is fitted ``--repeats`` times with ``n_jobs=1``
and with ``n_jobs=2`` (alternating, so both see the same machine load); the
speedup is the ratio of the median wall times. The two settings must find
the same candidates (``random_state`` fixes the search whatever ``n_jobs``);
the table says whether they did. ``RandomizedSearchCV``, which hands every
candidate to joblib at once, is measured too: the best the machine allows.
Run from the repository root::

    python -m benchmarks.speedup [--repeats 3] [--n-iter 20] [--out FILE]

Run it on a quiet machine: other processes on the two cores take their share
from the parallel runs.
"""

import argparse
import os
import statistics
import time
import warnings
from pathlib import Path

import numpy as np
from scipy.stats import loguniform
from sklearn.datasets import make_classification
from sklearn.model_selection import RandomizedSearchCV, StratifiedKFold
from sklearn.svm import SVC
from sklearn.utils.parallel import Parallel, delayed

from .competitors import STRATEGIES, _sksearch_class

#: The reference: all candidates in one batch, the most parallel work a search can offer.
REFERENCE = "sklearn-random"

#: strategy name -> (search class name, its own parameters), as in the benchmark.
SEARCHES = {
    "sksearch-pso": ("PSOSearchCV", {}),
    "sksearch-ga": ("GeneticSearchCV", {}),
    "sksearch-bayes-gp": ("BayesSearchCV", {"surrogate": "gp"}),
    "sksearch-bayes-tpe": ("BayesSearchCV", {"surrogate": "tpe"}),
}


def main(argv=None):
    parser = argparse.ArgumentParser(prog="python -m benchmarks.speedup", description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--repeats", type=int, default=3)
    parser.add_argument("--n-iter", type=int, default=20)
    parser.add_argument("--n-samples", type=int, default=3000)
    parser.add_argument("--out", type=Path, help="also write the markdown table here")
    args = parser.parse_args(argv)
    load = os.getloadavg()
    table = speedup_table(measure(args.repeats, args.n_iter, args.n_samples), args, load)
    print(table)
    if args.out:
        args.out.parent.mkdir(parents=True, exist_ok=True)
        args.out.write_text(table + "\n")


def measure(repeats=3, n_iter=20, n_samples=3000, log=print):
    """Strategy name -> {"times": {1: [...], 2: [...]}, "same": bool} or {"unavailable": why}."""
    X, y = make_classification(n_samples=n_samples, n_features=20, n_informative=8,
                               flip_y=0.05, random_state=0)
    space = {"C": loguniform(1e-2, 1e2), "gamma": loguniform(1e-4, 1e0)}
    cv = StratifiedKFold(5, shuffle=True, random_state=0)
    # start the workers once, as the searches' own Parallel starts them (joblib's
    # Parallel configures its workers otherwise, and the first search would restart them)
    Parallel(n_jobs=2)(delayed(np.sqrt)(i) for i in range(4))
    results = {}
    for name, (class_name, params) in {**SEARCHES, REFERENCE: (None, {})}.items():
        reason = STRATEGIES[name].unavailable()
        if reason is not None:
            results[name] = {"unavailable": reason}
            log(f"{name}: unavailable: {reason}")
            continue
        cls = RandomizedSearchCV if name == REFERENCE else _sksearch_class(class_name)
        times, found = {1: [], 2: []}, {}
        for repeat in range(repeats):
            for n_jobs in (1, 2):
                search = cls(SVC(), space, n_iter=n_iter, cv=cv, n_jobs=n_jobs,
                             random_state=0, **params)
                with warnings.catch_warnings():
                    warnings.simplefilter("ignore")
                    start = time.perf_counter()
                    search.fit(X, y)
                    times[n_jobs].append(time.perf_counter() - start)
                found[n_jobs] = [repr(p) for p in search.cv_results_["params"]]
                log(f"{name} n_jobs={n_jobs} run {repeat + 1}: {times[n_jobs][-1]:.1f}s")
        results[name] = {"times": times, "same": found[1] == found[2]}
    return results


def speedup_table(results, args=None, load=None):
    """Markdown table of median wall times and speedups."""
    lines = []
    if args is not None:
        loads = [", ".join(f"{v:.1f}" for v in values) for values in (load, os.getloadavg())]
        lines += [f"RBF SVC on {args.n_samples} samples x 20 features, 5-fold CV, "
                  f"n_iter={args.n_iter}; median of {args.repeats} runs each; "
                  f"{os.cpu_count()} CPUs; load average {loads[0]} at the start, {loads[1]} "
                  f"at the end. `{REFERENCE}` (RandomizedSearchCV: every candidate in one "
                  "batch) shows what the machine gives at best.", ""]
    lines += ["| search | n_jobs=1 (s) | n_jobs=2 (s) | speedup | same candidates |",
              "|---|---|---|---|---|"]
    for name, result in results.items():
        if "unavailable" in result:
            lines.append(f"| {name} | - | - | - | unavailable: {result['unavailable']} |")
            continue
        one, two = (statistics.median(result["times"][n]) for n in (1, 2))
        lines.append(f"| {name} | {one:.1f} | {two:.1f} | {one / two:.2f}x | "
                     f"{'yes' if result['same'] else 'NO'} |")
    return "\n".join(lines)


if __name__ == "__main__":
    main()
