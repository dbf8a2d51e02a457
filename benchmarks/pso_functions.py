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

The loop is the search engine's: a candidate already evaluated is answered
from memory and does not count against the budget, and the batch that
crosses the budget is cut.

Run from the repository root::

    python -m benchmarks.pso_functions                  # 25 seeds, budgets 50 and 80
    python -m benchmarks.pso_functions --smoke          # seconds: 3 seeds, 2 functions
    python -m benchmarks.pso_functions --seeds 41 --functions branin mixed
"""

import argparse
import time

import numpy as np

from sksearch._engine import MAX_STALLED_BATCHES
from sksearch._testing import FUNCTIONS, make_function
from sksearch.optimizers._pso import ParticleSwarm
from sksearch.optimizers._random import RandomSampler

TARGET = 0.9  # the swarm's median regret / the better baseline's
# Optimizers are seeded apart from the functions: make_function(name, s)
# draws its shift from default_rng([s, index]), which for "sphere" (index 0)
# is the stream of default_rng(s) itself.
OPTIMIZER_SEED_OFFSET = 10_000


def minimize(optimizer, f, budget):
    """Best value ``optimizer`` finds on ``f`` with ``budget`` distinct evaluations."""
    values, stalled = {}, 0
    while len(values) < budget and stalled < MAX_STALLED_BATCHES:
        X = optimizer.ask()
        y = np.empty(len(X))
        n_before = len(values)
        for i, key in enumerate(f.layout.keys(X)):
            if key not in values:
                if len(values) == budget:
                    return min(values.values())
                values[key] = f.on_cube(X[i : i + 1])[0]
            y[i] = values[key]
        stalled = stalled + 1 if len(values) == n_before else 0
        optimizer.tell(X, -y)
    return min(values.values())


def particle_swarm(layout, seed, budget):
    return ParticleSwarm(layout, n_iter=budget, random_state=seed)


def random_search(layout, seed, budget):
    return RandomSampler(layout, batch_size=10, random_state=seed)


class NevergradPSO:
    """nevergrad's ``PSO`` on the unit cube, asked and told one point at a time."""

    def __init__(self, layout, seed, budget):
        import nevergrad as ng

        cube = ng.p.Array(shape=(layout.n_dims,), lower=0.0, upper=1.0)
        cube.random_state = np.random.RandomState(seed)
        self._optimizer = ng.optimizers.PSO(parametrization=cube, budget=budget)

    def ask(self):
        self._candidate = self._optimizer.ask()
        return np.clip(np.asarray(self._candidate.value, dtype=float), 0.0, 1.0)[None]

    def tell(self, X, y):
        self._optimizer.tell(self._candidate, -float(y[0]))  # nevergrad minimizes


METHODS = {"pso": particle_swarm, "random": random_search, "nevergrad-pso": NevergradPSO}


def median_regret(method, name, budget, seeds):
    regrets = []
    for seed in seeds:
        f = make_function(name, seed)
        optimizer = METHODS[method](f.layout, OPTIMIZER_SEED_OFFSET + seed, budget)
        regrets.append(minimize(optimizer, f, budget) - f.f_min)
    return float(np.median(regrets))


def time_per_candidate(name="mixed", n_iter=200, seed=0):
    """Milliseconds of the swarm's own ask + tell per candidate, over ``n_iter``."""
    f = make_function(name, seed)
    optimizer = ParticleSwarm(f.layout, n_iter=n_iter, random_state=seed)
    spent, n_candidates = 0.0, 0
    while optimizer.n_told_ < n_iter:
        start = time.perf_counter()
        X = optimizer.ask()
        spent += time.perf_counter() - start
        y = -f.on_cube(X)
        start = time.perf_counter()
        optimizer.tell(X, y)
        spent += time.perf_counter() - start
        n_candidates += len(X)
    return 1000 * spent / n_candidates


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
