"""Regret and proposal time of the Bayesian optimizers with batches of 16.

A cluster of 16 workers wants 16 candidates at a time. Each optimizer (the
Gaussian process and the TPE of ``BayesSearchCV``) runs on the shifted test
functions of :mod:`benchmarks.bayes_functions` with the same budget of
evaluations, the same initial design and the same seeds, with batches of one
candidate (``BayesSearchCV``'s default at scikit-learn's default 5 folds),
of two (the default before batches were asked ahead) and of 16, through the
search loop (:func:`sksearch._testing.minimize`), which asks a batch of one
while the last one is evaluated and lets larger batches wait, as the
searches do. The table gives per
function the median regret over the seeds of each, and the ratio of the
median regrets with 16 and with the default batch (target: at most 1.5).

It also gives the optimizer's own CPU time (``ask`` + ``tell``) of a batch
of 16 against 16 one-point proposals of the sequential run of the same seed
from the same number of observations on (the mean of its proposals from
``n`` to ``n + 15`` told, times 16; target: at most 1).

Run from the repository root::

    python -m benchmarks.batch_scaling                   # 9 functions, 10 seeds, 80 evaluations
    python -m benchmarks.batch_scaling --seeds 1 --budget 30 --functions branin \
        --methods gp                                     # a smoke test of seconds
"""

import time
import warnings
from concurrent.futures import ProcessPoolExecutor, as_completed

import numpy as np

from benchmarks.bayes_functions import N_INITIAL_POINTS, argument_parser, function
from benchmarks.proposal_time import BATCH, OPTIMIZERS
from sksearch._bayes_search import default_batch_size
from sksearch._testing import ClockedOptimizer, minimize

# BayesSearchCV's batch when nothing is set: scikit-learn's default cv has 5 folds.
DEFAULT_BATCH = default_batch_size(5)


def run(task):
    """One run: the task, the final regret, and the observations told and the
    optimizer's CPU seconds of each proposal round (the initial design left out)."""
    method, spec, seed, batch_size, budget = task
    f = function(spec, seed)
    optimizer = OPTIMIZERS[method](f.layout, n_initial_points=N_INITIAL_POINTS,
                                   batch_size=batch_size, random_state=seed)
    clocked = ClockedOptimizer(optimizer, clock=time.process_time)
    told, seconds = [], []

    def before_ask(loop):
        told.append(len(loop.scores))
        seconds.append(clocked.seconds)

    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        regret = minimize(clocked, f, budget, before_ask=before_ask)
    rounds = np.diff([*seconds, clocked.seconds])
    return task, float(regret[-1]), told[1:], rounds[1:].tolist()


def batch_time_ratio(sequential, batch):
    """CPU time of the batches over that of as many one-point proposals from the
    same observations on: ``(told, seconds)`` of a sequential run and a batch run."""
    single = dict(zip(*sequential))
    spent, reference = 0.0, 0.0
    for n, seconds in zip(*batch):
        window = [single[k] for k in range(n, n + BATCH) if k in single]
        if window:
            spent += seconds
            reference += BATCH * np.mean(window)
    return spent / reference


def main(argv=None):
    args = argument_parser(__doc__.splitlines()[0], 80, OPTIMIZERS).parse_args(argv)

    sizes = sorted({1, DEFAULT_BATCH, 2, BATCH})  # 2: the default before batches were asked ahead
    tasks = [(m, name, seed, q, args.budget) for m in args.methods for name in args.functions
             for seed in range(args.seeds) for q in sizes]
    regrets, rounds = {}, {}
    started = time.perf_counter()
    with ProcessPoolExecutor(args.jobs) as pool:
        for future in as_completed([pool.submit(run, task) for task in tasks]):
            (m, name, seed, q, _), value, told, seconds = future.result()
            regrets.setdefault((m, name, q), []).append(value)
            rounds[m, name, seed, q] = (told, seconds)

    print(f"median regret after {args.budget} evaluations over {args.seeds} seeds "
          f"(initial design: {N_INITIAL_POINTS} points; default batch: {DEFAULT_BATCH}); "
          f"time: CPU time of a batch of {BATCH} over {BATCH} one-point proposals "
          f"from the same observations, median over the seeds")
    for m in args.methods:
        print(f"\n{m}")
        print(f"{'function':<16}" + "".join(f"{f'q={q}':>11}" for q in sizes)
              + f"{f'{BATCH}/{DEFAULT_BATCH}':>8}{'ms/batch':>10}{'time':>7}")
        ratios = []
        for name in args.functions:
            medians = {q: np.median(regrets[m, name, q]) for q in sizes}
            ratio = medians[BATCH] / medians[DEFAULT_BATCH]
            ratios.append(ratio)
            time_ratio = np.median([batch_time_ratio(rounds[m, name, s, 1],
                                                     rounds[m, name, s, BATCH])
                                    for s in range(args.seeds)])
            ms = 1000 * np.median([np.mean(rounds[m, name, s, BATCH][1])
                                   for s in range(args.seeds)])
            print(f"{name:<16}" + "".join(f"{medians[q]:>11.3g}" for q in sizes)
                  + f"{ratio:>8.2f}{ms:>10.1f}{time_ratio:>7.2f}")
        within = sum(r <= 1.5 for r in ratios)
        print(f"{BATCH}/{DEFAULT_BATCH}: median {np.median(ratios):.2f}, geometric mean "
              f"{np.exp(np.mean(np.log(ratios))):.2f}, within 1.5 on {within} of {len(ratios)}")
    print(f"\n{time.perf_counter() - started:.0f} s")


if __name__ == "__main__":
    main()
