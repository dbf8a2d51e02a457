"""Regret of sksearch's particle swarm on the shifted test functions.

Every method gets the same budget of distinct evaluations on the same
shifted instances of :mod:`sksearch._testing` (one instance per seed) and
reports its median regret (best value found minus the optimum) over the
seeds. Compared, all ask/tell on the same unit cube: sksearch's
``ParticleSwarm`` (defaults, told the budget as ``n_iter``), uniform random
sampling and nevergrad's particle swarm ``nevergrad.optimizers.PSO`` (skipped
when nevergrad is not installed). The target: the swarm's median regret
below 0.9 times the better of the two others, on every function and budget.
It then times the swarm's own work (``ask`` + ``tell``) per candidate over a
search of 200 candidates.

The loop is the search engine's (:func:`sksearch._testing.minimize`): a
candidate already evaluated is answered from memory and does not count
against the budget, and the batch that crosses the budget is cut.

Run from the repository root::

    python -m benchmarks.pso_functions                  # 25 seeds, budgets 50 and 80
    python -m benchmarks.pso_functions --smoke          # seconds: 3 seeds, 2 functions
    python -m benchmarks.pso_functions --seeds 41 --functions branin mixed
"""

import argparse

import numpy as np

from benchmarks.nevergrad_search import NevergradOptimizer
from sksearch._testing import FUNCTIONS, ask_tell_seconds, make_function, minimize
from sksearch.optimizers._pso import ParticleSwarm
from sksearch.optimizers._random import RandomSampler

TARGET = 0.9  # the swarm's median regret / the better baseline's
# Optimizers get seeds apart from the instances'.
OPTIMIZER_SEED_OFFSET = 10_000


def particle_swarm(layout, seed, budget):
    return ParticleSwarm(layout, n_iter=budget, random_state=seed)


def random_search(layout, seed, budget):
    return RandomSampler(layout, batch_size=10, random_state=seed)


def nevergrad_pso(layout, seed, budget):
    return NevergradOptimizer(layout, method="PSO", budget=budget, random_state=seed)


METHODS = {"pso": particle_swarm, "random": random_search, "nevergrad-pso": nevergrad_pso}


def median_regret(method, name, budget, seeds):
    regrets = []
    for seed in seeds:
        f = make_function(name, seed)
        optimizer = METHODS[method](f.layout, OPTIMIZER_SEED_OFFSET + seed, budget)
        regrets.append(minimize(optimizer, f, budget)[-1])
    return float(np.median(regrets))


def time_per_candidate(name="mixed", n_iter=200, seed=0):
    """Milliseconds of the swarm's own ask + tell per candidate, over ``n_iter``."""
    f = make_function(name, seed)
    optimizer = ParticleSwarm(f.layout, n_iter=n_iter, random_state=seed)
    return 1000 * ask_tell_seconds(optimizer, f, n_iter)


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--seeds", type=int, default=25)
    parser.add_argument("--budgets", type=int, nargs="+", default=[50, 80])
    parser.add_argument("--functions", nargs="+", default=list(FUNCTIONS), choices=FUNCTIONS)
    parser.add_argument("--smoke", action="store_true", help="3 seeds, branin and mixed, 50")
    args = parser.parse_args(argv)
    if args.smoke:
        args.seeds, args.budgets, args.functions = 3, [50], ["branin", "mixed"]
    methods = list(METHODS)
    try:
        import nevergrad  # noqa: F401
    except ImportError:
        methods.remove("nevergrad-pso")
        print("nevergrad is not installed: its PSO is skipped")

    seeds = range(args.seeds)
    print(f"Median regret over {args.seeds} seeds (best value found - f_min)\n")
    header = ["function", "budget", *methods, "pso / best other", "target"]
    print("| " + " | ".join(header) + " |")
    print("|" + "---|" * len(header))
    all_met = True
    for name in args.functions:
        for budget in args.budgets:
            medians = {m: median_regret(m, name, budget, seeds) for m in methods}
            best_other = min(v for m, v in medians.items() if m != "pso")
            ratio = medians["pso"] / best_other if best_other > 0 else np.inf
            met = ratio < TARGET
            all_met &= met
            cells = [name, str(budget), *(f"{medians[m]:.4g}" for m in methods),
                     f"{ratio:.3f}", "met" if met else "MISSED"]
            print("| " + " | ".join(cells) + " |")
    print(f"\nTarget (pso < {TARGET} x the better other, everywhere): "
          f"{'met' if all_met else 'missed'}")
    for name in ("sphere", "mixed"):
        print(f"ParticleSwarm ask + tell on {name}, n_iter=200: "
              f"{time_per_candidate(name):.3f} ms per candidate")


if __name__ == "__main__":
    main()
