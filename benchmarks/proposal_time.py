"""Time per proposal of the model-based optimizers as a search grows.

Each optimizer runs from its initial design on a shifted sphere in 5, 10 and
30 dimensions, as a search runs it; every ``ask`` + ``tell`` round is timed
(:func:`sksearch._testing.ask_tell_times`) and the table shows the largest
and the median time of the rounds proposed with 100 (and 300) to
``+ --window`` observations told. Targets: every proposal under 50 ms at 100
observations up to 30 dimensions and under 100 ms at 300; a batch of 16
proposals under 16 times one proposal (the ``batch16/1`` column: largest
time of a 16-point ask over largest time of a 1-point ask at the same number
of observations).

The machine's load average is printed with the table: the times are wall
clock and a busy machine stretches them; ``--cpu`` measures the CPU time of
the process instead (the optimizers limit BLAS to one thread while they
propose).

Run from the repository root::

    python -m benchmarks.proposal_time                     # GP and TPE, 100 and 300
    python -m benchmarks.proposal_time --methods gp --dims 30 --observations 100
"""

import argparse
import os
import time

import numpy as np

from sksearch._testing import ask_tell_times, make_function
from sksearch.optimizers._bayes import BayesianOptimizer
from sksearch.optimizers._tpe import TreeParzenEstimator

OPTIMIZERS = {"gp": BayesianOptimizer, "tpe": TreeParzenEstimator}
BATCH = 16


def round_times(method, dim, observations, window, batch_size=1, seed=0,
                clock=time.perf_counter):
    """``{n: seconds of the rounds proposed with n to n + window told}``."""
    f = make_function("sphere", seed, dim=dim)
    # the initial design is 10 points, or chosen so that a batch starts at n
    n_initial = 10 if batch_size == 1 else (observations[0] % batch_size or batch_size)
    optimizer = OPTIMIZERS[method](f.layout, n_initial_points=n_initial,
                                   batch_size=batch_size, random_state=seed)
    told, seconds, _ = ask_tell_times(optimizer, f, max(observations) + window, clock)
    # the first round is the initial design, not a proposal
    told, seconds = told[1:], seconds[1:]
    return {n: seconds[(told >= n) & (told < n + window)] for n in observations}


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--methods", nargs="+", default=list(OPTIMIZERS), choices=OPTIMIZERS)
    parser.add_argument("--dims", nargs="+", type=int, default=[5, 10, 30])
    parser.add_argument("--observations", nargs="+", type=int, default=[100, 300])
    parser.add_argument("--window", type=int, default=20,
                        help="proposals timed from each number of observations")
    parser.add_argument("--no-batch", action="store_true",
                        help="skip the batches of 16 (at the first number of observations)")
    parser.add_argument("--cpu", action="store_true",
                        help="CPU time of the process instead of wall time")
    args = parser.parse_args(argv)
    observations = sorted(args.observations)
    clock = time.process_time if args.cpu else time.perf_counter

    print(f"{'CPU' if args.cpu else 'wall'} time; load average at start: "
          f"{' '.join(f'{v:.2f}' for v in os.getloadavg())}")
    header = f"{'method':<8}{'dims':>5}{'obs':>6}{'max ms':>9}{'median ms':>11}"
    print(header + ("" if args.no_batch else f"{'batch16/1':>11}"))
    for method in args.methods:
        for dim in args.dims:
            single = round_times(method, dim, observations, args.window, clock=clock)
            batch = None
            if not args.no_batch:
                n = observations[0]
                batch = round_times(method, dim, [n], BATCH * 3, batch_size=BATCH, clock=clock)[n]
            for n in observations:
                t = single[n]
                row = f"{method:<8}{dim:>5}{n:>6}{1000 * t.max():>9.1f}{1000 * np.median(t):>11.1f}"
                if batch is not None and n == observations[0]:
                    row += f"{batch.max() / t.max():>11.1f}"
                print(row, flush=True)
    print(f"load average at end: {' '.join(f'{v:.2f}' for v in os.getloadavg())}")


if __name__ == "__main__":
    main()
