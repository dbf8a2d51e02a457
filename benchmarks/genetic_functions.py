"""Regret of sksearch's genetic algorithm on the shifted test functions.

Each method gets the same number of distinct evaluations on the same shifted
instances of :mod:`sksearch._testing` (one instance per seed); the table
shows its median regret (best value found minus the optimum) over the seeds.
All methods are ask/tell on the same unit cube: sksearch's
``GeneticAlgorithm`` with its defaults, uniform random sampling, and
nevergrad's differential evolution ``nevergrad.optimizers.TwoPointsDE``
(left out when nevergrad is not installed). Target: the genetic algorithm's
median regret below 0.9 times the better of the other two, on every function
and budget. Last, the algorithm's own time (``ask`` + ``tell``) per candidate
over searches of 200 candidates.

Evaluations are counted as the search engine counts them
(:func:`sksearch._testing.minimize`): a candidate already evaluated is
answered from memory and costs nothing, and the batch that crosses the
budget is cut.

Run from the repository root::

    python -m benchmarks.genetic_functions                # 25 seeds, budgets 50 and 80
    python -m benchmarks.genetic_functions --smoke        # a few seconds
    python -m benchmarks.genetic_functions --seeds 51 --functions sphere mixed
"""

import argparse
import time

import numpy as np

from benchmarks.nevergrad_search import NevergradOptimizer
from sksearch._testing import FUNCTIONS, ask_tell_seconds, make_function, minimize
from sksearch.optimizers._genetic import GeneticAlgorithm
from sksearch.optimizers._random import RandomSampler

TARGET = 0.9  # median regret of the genetic algorithm / that of the better baseline
# Optimizers get seeds apart from the instances' (as in tests/test_genetic.py).
OPTIMIZER_SEED_OFFSET = 10_000


METHODS = {
    "genetic": lambda layout, seed, budget: GeneticAlgorithm(layout, random_state=seed),
    "random": lambda layout, seed, budget: RandomSampler(layout, random_state=seed),
    "TwoPointsDE": lambda layout, seed, budget: NevergradOptimizer(
        layout, method="TwoPointsDE", budget=budget, random_state=seed),
}


def median_regrets(functions, budgets, seeds, methods):
    """``{(function, budget): {method: median regret}}``."""
    table = {}
    for name in functions:
        for budget in budgets:
            row = {}
            for method in methods:
                regrets = []
                for seed in seeds:
                    f = make_function(name, seed)
                    optimizer = METHODS[method](f.layout, OPTIMIZER_SEED_OFFSET + seed, budget)
                    regrets.append(minimize(optimizer, f, budget)[-1])
                row[method] = float(np.median(regrets))
            table[name, budget] = row
    return table


def own_time_per_candidate(functions, n_candidates=200, seeds=range(5)):
    """Median over runs of the seconds of ``ask`` + ``tell`` per candidate asked."""
    per_candidate = []
    for name in functions:
        for seed in seeds:
            f = make_function(name, seed)
            ga = GeneticAlgorithm(f.layout, random_state=seed)
            per_candidate.append(ask_tell_seconds(ga, f, n_candidates))
    return float(np.median(per_candidate)), float(np.max(per_candidate))


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seeds", type=int, default=25, help="instances per function")
    parser.add_argument("--budgets", type=int, nargs="+", default=[50, 80])
    parser.add_argument("--functions", nargs="+", default=list(FUNCTIONS), choices=FUNCTIONS)
    parser.add_argument("--smoke", action="store_true", help="3 seeds, 2 functions")
    args = parser.parse_args(argv)
    if args.smoke:
        args.seeds, args.functions = 3, ["branin", "mixed"]
    try:
        import nevergrad  # noqa: F401

        methods = ["genetic", "random", "TwoPointsDE"]
    except ImportError:
        methods = ["genetic", "random"]
        print("nevergrad is not installed: TwoPointsDE is left out")

    start = time.perf_counter()
    table = median_regrets(args.functions, args.budgets, range(args.seeds), methods)
    print(f"median regret over {args.seeds} seeds (best value - f_min; lower is better)\n")
    header = f"{'function':16s} {'budget':>6s} " + " ".join(f"{m:>12s}" for m in methods)
    print(header + f" {'ratio':>7s}  target < {TARGET}")
    misses = 0
    for (name, budget), row in table.items():
        best_baseline = min(row[m] for m in methods if m != "genetic")
        ratio = row["genetic"] / best_baseline if best_baseline > 0 else np.inf
        met = ratio < TARGET
        misses += not met
        cells = " ".join(f"{row[m]:12.4g}" for m in methods)
        print(f"{name:16s} {budget:6d} {cells} {ratio:7.3f}  {'met' if met else 'MISSED'}")
    print(f"\ntarget met on {len(table) - misses} of {len(table)} (function, budget) pairs "
          f"[{time.perf_counter() - start:.0f} s]")
    if args.seeds < 10:
        print(f"({args.seeds} seeds are too few to judge the target: use at least 10)")

    median, worst = own_time_per_candidate(args.functions, seeds=range(2 if args.smoke else 5))
    print(f"own time (ask + tell) per candidate over 200 candidates: "
          f"median {median * 1e3:.3f} ms, worst run {worst * 1e3:.3f} ms (target < 1 ms)")


if __name__ == "__main__":
    main()
