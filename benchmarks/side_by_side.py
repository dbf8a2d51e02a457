"""The side-by-side suite of shifted functions: each at its own dimension and budget.

Every method of :mod:`benchmarks.bayes_functions` (sksearch's GP and TPE,
random search, scikit-optimize's GP, Optuna's TPE, multivariate TPE and
GPSampler, nevergrad's NGOpt) runs on every entry of :data:`SUITE`, one
shifted instance per seed; the table is the median regret over the seeds.
Finished runs are kept in ``--cache`` (one JSON line per run), so that a
second invocation only runs what is missing (every method's, unless
``--methods`` says which). After a change of sksearch's optimizers, redo
only their runs (the competitors' are kept), then print the whole table::

    python -m benchmarks.side_by_side --redo gp tpe --methods gp tpe
    python -m benchmarks.side_by_side --report

Run from the repository root, one process (``--jobs 1``) unless the machine is free.
"""

import argparse
import json
from concurrent.futures import ProcessPoolExecutor, as_completed
from pathlib import Path

import numpy as np

from benchmarks.bayes_functions import METHODS, _read_cache, available, regret

# (function[:dimension], budget): the default dimensions at 50 evaluations,
# then the harder instances at larger budgets.
SUITE = (("branin", 50), ("sphere", 50), ("log_scale", 50), ("mixed", 50),
         ("styblinski_tang", 50), ("rosenbrock", 50), ("hartmann6", 50), ("ackley", 50),
         ("levy", 50), ("ackley:5", 80), ("levy:10", 120), ("rosenbrock:4", 100),
         ("styblinski_tang:10", 120), ("ackley:10", 120), ("levy:20", 120))
CACHE = Path(__file__).parent / "results" / "side_by_side.jsonl"


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seeds", type=int, default=5)
    parser.add_argument("--methods", nargs="+", default=list(METHODS), choices=list(METHODS))
    parser.add_argument("--functions", nargs="+", default=[s for s, _ in SUITE],
                        choices=[s for s, _ in SUITE], help="entries of the suite")
    parser.add_argument("--cache", type=Path, default=CACHE)
    parser.add_argument("--redo", nargs="+", default=[], choices=list(METHODS),
                        help="methods whose cached runs are dropped and run again")
    parser.add_argument("--jobs", type=int, default=1)
    parser.add_argument("--report", action="store_true",
                        help="only print the table of the cached runs")
    args = parser.parse_args(argv)

    if args.redo and args.cache.exists():
        kept = [line for line in args.cache.read_text().splitlines()
                if line.strip() and json.loads(line)["task"][0] not in args.redo]
        args.cache.write_text("".join(line + "\n" for line in kept))
    methods = [m for m in args.methods if available(m)]
    suite = [(spec, budget) for spec, budget in SUITE if spec in args.functions]
    cached = _read_cache(args.cache)
    todo = [] if args.report else [
        (m, spec, seed, budget) for spec, budget in suite for m in methods
        for seed in range(args.seeds) if (m, spec, seed, budget) not in cached]
    args.cache.parent.mkdir(parents=True, exist_ok=True)
    with ProcessPoolExecutor(args.jobs) as pool:
        for future in as_completed([pool.submit(regret, task) for task in todo]):
            task, value = future.result()
            cached[task] = value
            with args.cache.open("a") as f:
                f.write(json.dumps({"task": task, "regret": value}) + "\n")
    print(table(cached, suite, methods, args.seeds))


def table(cached, suite, methods, n_seeds):
    """Markdown table of median regret (with the number of seeds run when short)."""
    lines = ["| function | budget | " + " | ".join(methods) + " |",
             "|---|---:|" + "---:|" * len(methods)]
    for spec, budget in suite:
        cells = []
        for m in methods:
            values = [cached[m, spec, s, budget] for s in range(n_seeds)
                      if (m, spec, s, budget) in cached]
            cell = f"{np.median(values):.3g}" if values else "-"
            cells.append(cell + (f" ({len(values)})" if values and len(values) < n_seeds else ""))
        lines.append(f"| {spec} | {budget} | " + " | ".join(cells) + " |")
    return "\n".join(lines)


if __name__ == "__main__":
    main()
