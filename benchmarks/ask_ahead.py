"""What asking ahead costs in regret: batches asked while the last one is evaluated.

``BayesSearchCV`` asks its next batch while the last one is still being
cross-validated, so that the workers never wait (the model treats the
candidates in flight as pending). A proposal then knows the scores of all
batches but the last, so each batch is small: the default is one candidate
at 5 folds (two batches in flight hold ten fits). This compares, on the
shifted test functions and with the same budget, the default with the way
the searches ran before (batches of 2 at 5 folds, each asked once the last
one was scored) and with batches of 2 asked ahead.

Run from the repository root::

    python -m benchmarks.ask_ahead [--seeds 10] [--methods gp tpe] [--jobs 2]
"""

import time
import warnings
from concurrent.futures import ProcessPoolExecutor, as_completed

import numpy as np

from benchmarks.bayes_functions import N_INITIAL_POINTS, argument_parser, function
from benchmarks.proposal_time import OPTIMIZERS
from sksearch._bayes_search import default_batch_size
from sksearch._testing import minimize

#: name -> (batch size, asked ahead?)
VARIANTS = {
    "default": (default_batch_size(5), True),
    "2 waiting": (2, False),
    "2 ahead": (2, True),
}


class Asked:
    """An optimizer asked ahead or not as the variant says, whatever its own rule
    (the GP asks ahead only with batches of one)."""

    def __init__(self, optimizer, ahead):
        self.optimizer, self.asks_ahead = optimizer, ahead

    def __getattr__(self, name):
        return getattr(self.optimizer, name)


def run(task):
    method, spec, seed, variant, budget = task
    batch_size, ahead = VARIANTS[variant]
    f = function(spec, seed)
    optimizer = OPTIMIZERS[method](f.layout, n_initial_points=N_INITIAL_POINTS,
                                   batch_size=batch_size, random_state=seed)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        regret = minimize(Asked(optimizer, ahead), f, budget)
    return task, float(regret[-1])


def main(argv=None):
    args = argument_parser(__doc__.splitlines()[0], 50, OPTIMIZERS).parse_args(argv)
    tasks = [(m, name, seed, v, args.budget) for m in args.methods for name in args.functions
             for seed in range(args.seeds) for v in VARIANTS]
    regrets = {}
    started = time.perf_counter()
    with ProcessPoolExecutor(args.jobs) as pool:
        for future in as_completed([pool.submit(run, task) for task in tasks]):
            (m, name, _, v, _), value = future.result()
            regrets.setdefault((m, name, v), []).append(value)

    print(f"median regret after {args.budget} evaluations over {args.seeds} seeds "
          f"(initial design: {N_INITIAL_POINTS} points); default: batches of "
          f"{VARIANTS['default'][0]} asked ahead")
    for m in args.methods:
        print(f"\n{m}")
        print(f"{'function':<16}" + "".join(f"{v:>12}" for v in VARIANTS)
              + f"{'default/2 waiting':>19}")
        ratios = []
        for name in args.functions:
            medians = {v: np.median(regrets[m, name, v]) for v in VARIANTS}
            ratio = medians["default"] / max(medians["2 waiting"], 1e-300)
            ratios.append(ratio)
            print(f"{name:<16}" + "".join(f"{medians[v]:>12.3g}" for v in VARIANTS)
                  + f"{ratio:>19.2f}")
        ratios = np.maximum(ratios, 1e-300)
        print(f"default/2 waiting: median {np.median(ratios):.2f}, geometric mean "
              f"{np.exp(np.mean(np.log(ratios))):.2f}, lower on "
              f"{sum(r < 1 for r in ratios)} of {len(ratios)}")
    print(f"\n{time.perf_counter() - started:.0f} s")


if __name__ == "__main__":
    main()
