"""Every performance table of the Bayesian, genetic and swarm searches, in one run.

One command gives, side by side: the median regret of every optimizer on the
shifted test functions (with sksearch's GP against the best competitor and
its TPE against Optuna's TPE), the normalized scores of the Bayesmark-style
suite (the genetic algorithm's among them), the optimizers' time per proposal
(max over a window, not the median), the near-duplicate count of every
strategy, the regret of batches of 16 against the default batch, and the
speedup of ``n_jobs=2`` beside ``RandomizedSearchCV``'s::

    python -m benchmarks.performance                 # about 12 minutes, quiet machine
    python -m benchmarks.performance --smoke         # seconds: every section, tiny settings

The two long suites (hours) are read from their records
(``benchmarks/results/side_by_side.jsonl`` and ``benchmarks/results/bayesmark/``);
``python -m benchmarks.side_by_side`` and ``python -m benchmarks.bayesmark``
run them. Everything else is measured in this run. The report is printed and
written to ``--out`` (default ``benchmarks/out/performance.md``). Run it on a
quiet machine: the proposal times and the speedup are wall-clock times.
"""

import argparse
import contextlib
import io
import json
import os
import time
from pathlib import Path

import numpy as np

from benchmarks import batch_scaling, near_duplicates, proposal_time, speedup
from benchmarks.bayes_functions import METHODS, _read_cache
from benchmarks.bayesmark import report_markdown
from benchmarks.run import _read
from benchmarks.side_by_side import CACHE, SUITE, table

RESULTS = Path(__file__).parent / "results"
#: The other libraries' methods of the side-by-side table (not sksearch's, not random search).
COMPETITORS = tuple(m for m in METHODS if m not in ("gp", "tpe", "random"))
SIDE_BY_SIDE_SEEDS = 5

#: (section title, benchmark, arguments, arguments with --smoke)
MEASURED = (
    ("Time per proposal (max and median over a window of proposals, ms)", proposal_time.main,
     ["--methods", "gp", "tpe"],
     ["--methods", "gp", "--dims", "5", "--observations", "30", "--window", "2"]),
    ("Near-duplicate candidates", near_duplicates.main, ["--seeds", "5"], ["--seeds", "1"]),
    ("Batches of 16 against the default batch", batch_scaling.main,
     ["--seeds", "10", "--methods", "gp", "tpe"],
     ["--seeds", "1", "--budget", "30", "--functions", "branin", "--methods", "gp"]),
    ("Speedup of n_jobs=2 over n_jobs=1", speedup.main, ["--repeats", "3"],
     ["--repeats", "1", "--n-iter", "4", "--n-samples", "300"]),
)


def main(argv=None):
    parser = argparse.ArgumentParser(prog="python -m benchmarks.performance", description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--smoke", action="store_true", help="tiny settings: a test of seconds")
    parser.add_argument("--out", type=Path,
                        default=Path(__file__).parent / "out" / "performance.md")
    args = parser.parse_args(argv)
    started = time.perf_counter()
    sections = ["# Performance report\n\nLoad average at the start: "
                + ", ".join(f"{v:.1f}" for v in os.getloadavg())]
    sections.append(functions_section(_read_cache(CACHE)))
    bayesmark = RESULTS / "bayesmark"
    meta = json.loads((bayesmark / "meta.json").read_text())
    sections.append("## Bayesmark-style suite (from `benchmarks/results/bayesmark/`)\n\n"
                    + report_markdown(_read(bayesmark / "results.jsonl"), meta)
                    .split("\n", 1)[1].strip())
    for title, run, arguments, smoke_arguments in MEASURED:
        text = _captured(run, smoke_arguments if args.smoke else arguments)
        sections.append(f"## {title}\n\n```\n{text.strip()}\n```")
    sections.append(f"Report made in {time.perf_counter() - started:.0f} s.")
    report = "\n\n".join(sections) + "\n"
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(report)
    print(report)


def functions_section(cached, n_seeds=SIDE_BY_SIDE_SEEDS):
    """The side-by-side regret table and what it says of sksearch's GP and TPE."""
    lines = ["## Shifted functions: median regret (from `benchmarks/results/side_by_side.jsonl`)",
             "", table(cached, SUITE, METHODS, n_seeds), ""]
    medians = {(m, spec, budget): np.median(values)
               for m in METHODS for spec, budget in SUITE
               if (values := [cached[m, spec, s, budget] for s in range(n_seeds)
                              if (m, spec, s, budget) in cached])}
    ratios, tpe_uni, tpe_multi = [], 0, 0
    for spec, budget in SUITE:
        others = {m: medians[m, spec, budget] for m in COMPETITORS
                  if (m, spec, budget) in medians}
        if ("gp", spec, budget) not in medians or not others:
            continue
        best = min(others, key=others.get)
        ratios.append((f"{spec}@{budget}", medians["gp", spec, budget] / others[best], best))
        tpe = medians.get(("tpe", spec, budget), np.inf)
        tpe_uni += tpe <= others.get("optuna-tpe", np.inf)
        tpe_multi += tpe <= others.get("optuna-tpe-mv", np.inf)
    first = sum(ratio <= 1 for _, ratio, _ in ratios)
    lines += [f"sksearch GP / best competitor (at or below 1 on {first} of {len(ratios)}): "
              + "; ".join(f"{entry}: {ratio:.3g} ({best})" for entry, ratio, best in ratios)
              + ".", "",
              f"sksearch TPE at or below Optuna's TPE on {tpe_uni} of {len(ratios)} entries, "
              f"at or below its multivariate TPE on {tpe_multi} of {len(ratios)}."]
    return "\n".join(lines)


def _captured(run, arguments):
    """What ``run(arguments)`` prints."""
    buffer = io.StringIO()
    with contextlib.redirect_stdout(buffer):
        run(arguments)
    return buffer.getvalue()


if __name__ == "__main__":
    main()
