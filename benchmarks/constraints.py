"""Parameter constraints in the model-based strategies: rejection among the candidates, or repair.

Each test function gets a linear constraint in the cube that cuts off its
optimum (``sum(u) <= sum(u*) - margin``, ``u*`` the optimum's cube point),
so the constrained optimum lies on the boundary. Two ways for the GP and the
TPE to propose feasible points are compared, through the searches' loop:

* ``reject`` (what the GP does): an infeasible point counts as taken, so the
  acquisition's global sample (GP) and the candidates drawn from the good
  density (TPE, with ``repairs_proposals=False``) skip it; the proposal is the
  best feasible candidate;
* ``repair`` (what the TPE does): the model proposes as if unconstrained, and
  the proposal is then moved to the nearest feasible point found by nudges of
  growing size (the initial design is repaired the same way in both; for the
  GP this variant is a subclass made here).

The table gives, per function and strategy, the median over seeds (shifted
instances) of the best feasible value found minus the constrained optimum's
estimate (the best of 50,000 uniform feasible points and of every run on that
instance; lower is better), and on how many seeds ``reject`` beat ``repair``.

Run from the repository root::

    OMP_NUM_THREADS=1 python -m benchmarks.constraints [--seeds 10] [--budget 40]
        [--margin 0.05] [--strategies gp tpe]
"""

import argparse

import numpy as np

from sksearch._testing import make_function, minimize
from sksearch.optimizers import BayesianOptimizer, TreeParzenEstimator
from sksearch.optimizers._constrained import Constrained

MARGIN = 0.05
FUNCTIONS = ("branin", "sphere", "hartmann6")
STRATEGIES = {"gp": BayesianOptimizer, "tpe": TreeParzenEstimator}


def linear_cut(function, margin=MARGIN):
    """``feasible(X)`` of the cube: the coordinates' sum below the optimum's, less ``margin``."""
    optimum = function._space.encode([function.argmin])[0]
    bound = optimum.sum() - margin

    def feasible(X):
        return np.atleast_2d(X).sum(axis=1) <= bound

    return feasible


def repairing(cls):
    """``cls`` proposing as if unconstrained, its proposals then repaired."""

    class Repairing(cls):
        feasible = None

        def _checker(self, exclude):
            checker = exclude.copy()
            checker.feasible = self.feasible
            return checker

        def _propose(self, n):
            return self._checker(self.known).free(super()._propose(n), self.rng)[0]

        def _fresh(self, X, exclude):
            return super()._fresh(X, self._checker(exclude))

    return Repairing


def run(name, strategy, variant, seed, budget, margin=MARGIN):
    function = make_function(name, seed=seed)
    feasible = linear_cut(function, margin)
    cls = STRATEGIES[strategy]
    if variant == "repair" and cls is BayesianOptimizer:
        cls = repairing(cls)  # the TPE repairs by itself
    inner = cls(function.layout, n_initial_points=10, random_state=seed)
    if variant == "reject":
        inner.repairs_proposals = False  # the TPE's choice; the GP always rejects
    optimizer = Constrained(inner, feasible, random_state=[seed, 1])
    if cls is not STRATEGIES[strategy]:
        inner.known.feasible, inner.feasible = None, feasible  # blind sampling, then repair
    regret = minimize(optimizer, function, budget)
    return regret[-1] + function.f_min


def reference(name, seed, margin=MARGIN, n=50_000):
    """The best value of ``n`` uniform points of the cube that meet the constraint."""
    function = make_function(name, seed=seed)
    X = np.random.default_rng(seed).random((n, function.layout.n_dims))
    return function.on_cube(X[linear_cut(function, margin)(X)]).min()


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seeds", type=int, default=10)
    parser.add_argument("--budget", type=int, default=40)
    parser.add_argument("--margin", type=float, default=MARGIN,
                        help="how far the cut passes below the optimum (negative: above it, "
                             "the optimum is feasible)")
    parser.add_argument("--strategies", nargs="+", default=list(STRATEGIES),
                        choices=list(STRATEGIES))
    args = parser.parse_args(argv)
    print("| function | strategy | reject: median gap | repair: median gap | reject better |")
    print("|---|---|---|---|---|")
    for name in FUNCTIONS:
        for strategy in args.strategies:
            best = {v: np.array([run(name, strategy, v, s, args.budget, args.margin)
                                 for s in range(args.seeds)]) for v in ("reject", "repair")}
            floor = np.minimum(np.minimum(best["reject"], best["repair"]),
                               [reference(name, s, args.margin) for s in range(args.seeds)])
            wins = int((best["reject"] < best["repair"]).sum())
            print(f"| {name} | {strategy} | {np.median(best['reject'] - floor):.4g} | "
                  f"{np.median(best['repair'] - floor):.4g} | {wins} of {args.seeds} |",
                  flush=True)


if __name__ == "__main__":
    main()
