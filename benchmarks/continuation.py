"""A continued search against a fresh one with the whole budget.

A search fitted with ``n_iter=N1`` and then fitted again with the same
checkpoint and ``n_iter=N2`` goes on from where it stopped, with the sizes
its defaults took for ``N1`` (initial design, swarm, batches): that is what
keeps the journaled batches exactly reproducible; from then on the strategy
knows the larger budget (``Optimizer.set_budget``: the swarm's schedule
stretches, a default population grows). This
benchmark measures what that costs against a fresh search with
``n_iter=N2`` from the start, on the shifted test functions, through the
searches' own loop (:func:`sksearch._testing.minimize`) and each search
class's own ``_make_optimizer`` (so the defaults are the searches').

Run from the repository root::

    python -m benchmarks.continuation                    # 10 seeds, 20 -> 40
    python -m benchmarks.continuation --seeds 3 --first 10 --total 20
"""

import argparse

import numpy as np

from sksearch import BayesSearchCV, GeneticSearchCV, PSOSearchCV
from sksearch._testing import FUNCTIONS, FunctionEstimator, make_function, minimize

STRATEGIES = {
    "pso": (PSOSearchCV, {}),
    "genetic": (GeneticSearchCV, {}),
    "bayes-gp": (BayesSearchCV, {"surrogate": "gp"}),
    "bayes-tpe": (BayesSearchCV, {"surrogate": "tpe"}),
}
N_SPLITS = 5  # as a 5-fold search: it sizes BayesSearchCV's default batches
SEED_OFFSET = 10_000  # optimizers' seeds apart from the instances'


def optimizer(strategy, function, seed, budget):
    cls, extra = STRATEGIES[strategy]
    search = cls(FunctionEstimator(function.name), function.space, **extra)
    search.n_splits_ = N_SPLITS
    return search._make_optimizer(function.layout, SEED_OFFSET + seed, budget)


def regrets(strategy, name, seeds, first, total):
    fresh, continued = [], []
    for seed in seeds:
        f = make_function(name, seed)
        fresh.append(minimize(optimizer(strategy, f, seed, total), f, total)[-1])
        opt = optimizer(strategy, f, seed, first)

        def extend(loop, opt=opt):
            # as the search does: the first fit's last batch is completed, then
            # the optimizer learns the larger budget before its next ask
            if len(loop.scores) >= first:
                opt.set_budget(total)

        continued.append(minimize(opt, f, total, before_ask=extend)[-1])
    return float(np.median(fresh)), float(np.median(continued))


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seeds", type=int, default=10)
    parser.add_argument("--first", type=int, default=20, help="n_iter of the first fit")
    parser.add_argument("--total", type=int, default=40, help="n_iter of the continued fit")
    parser.add_argument("--functions", nargs="+", default=list(FUNCTIONS))
    parser.add_argument("--strategies", nargs="+", default=list(STRATEGIES))
    args = parser.parse_args(argv)
    seeds = range(args.seeds)
    print(f"median regret over {args.seeds} seeds: fresh n_iter={args.total} | continued "
          f"{args.first} -> {args.total} | continued / fresh")
    for strategy in args.strategies:
        for name in args.functions:
            fresh, continued = regrets(strategy, name, seeds, args.first, args.total)
            ratio = continued / fresh if fresh > 0 else float("nan")
            print(f"{strategy:10s} {name:16s} {fresh:10.4g} {continued:10.4g} {ratio:8.2f}",
                  flush=True)


if __name__ == "__main__":
    main()
