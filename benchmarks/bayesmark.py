"""The Bayesmark-style suite: run it, run some strategies again, report normalized scores.

Usage (from the repository root)::

    python -m benchmarks.bayesmark                   # every strategy; continues a cut run
    python -m benchmarks.bayesmark --redo sksearch   # sksearch's strategies only, again
    python -m benchmarks.bayesmark --report          # the tables from the runs on disk
    python -m benchmarks.bayesmark --seeds 10 --strategies optuna-tpe,sklearn-random
                                                     # more seeds for some strategies

The nine problems are :mod:`benchmarks.bayesmark_tasks`; each (problem,
strategy, seed) run is one record of ``results.jsonl`` in the output
directory (default ``benchmarks/out/bayesmark``), written by
:func:`benchmarks.run.run_suite`. Runs already there are kept, so a cut run
continues where it stopped, and ``--redo NAMES`` drops the runs of those
strategies (``sksearch`` names all of sksearch's) and runs them again, after
their optimizers changed for instance, against the same records of the others.

The normalized score of a strategy on a problem is Bayesmark's: 0 is the
median over seeds of random search's final best CV score, 100 the best final
best CV score of any run on that problem; the strategy's score is that of its
median final best over seeds. ``bayesmark.md`` gives it per problem and the
mean over problems, with the mean rank per (problem, seed) beside it. A
problem is one fixed objective (its data, split, folds and model's
``random_state`` come from :data:`benchmarks.bayesmark_tasks.SPLIT_SEED`; the
run's seed draws only the search), so the score's 0 and 100 and every run
between them are final bests of the same function.
"""

import argparse
import json
import sys
from collections import defaultdict
from pathlib import Path

import numpy as np

from .report import mean_ranks
from .run import _pick, _read, run_suite

#: The strategies of the suite (those of benchmarks/competitors.py).
STRATEGIES = ("sksearch-bayes-gp", "sksearch-bayes-tpe", "sksearch-pso", "sksearch-ga",
              "sklearn-random", "skopt-bayes", "optuna-tpe", "optuna-gp", "nevergrad-ngopt")
#: The strategy whose median final best is the score's 0.
REFERENCE = "sklearn-random"
SUITE = "bayesmark"


def main(argv=None):
    parser = argparse.ArgumentParser(prog="python -m benchmarks.bayesmark", description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--out", type=Path, default=Path(__file__).parent / "out" / SUITE)
    parser.add_argument("--strategies", help="comma-separated names (default: "
                        + ", ".join(STRATEGIES) + ")")
    parser.add_argument("--redo", help="comma-separated strategies whose runs are dropped and "
                        "run again ('sksearch': all of sksearch's)")
    parser.add_argument("--seeds", type=int, help="seeds per problem (default: "
                        "bayesmark_tasks.N_SEEDS); more seeds add runs to those on disk")
    parser.add_argument("--report", action="store_true", help="only write the report")
    args = parser.parse_args(argv)
    strategies = _pick(args.strategies, STRATEGIES)
    if not args.report:
        if args.redo:
            redo = [name for name in STRATEGIES if name.startswith("sksearch-")] \
                if args.redo == "sksearch" else _pick(args.redo, STRATEGIES)
            drop_runs(args.out / "results.jsonl", redo)
        run_suite(SUITE, args.out, strategies, jobs=1, resume=True, seeds=args.seeds)
    records = _read(args.out / "results.jsonl")
    meta_path = args.out / "meta.json"
    meta = json.loads(meta_path.read_text()) if meta_path.exists() else {}
    text = report_markdown(records, meta)
    (args.out / "bayesmark.md").write_text(text)
    print(text)


def drop_runs(path, strategies):
    """Remove the records of ``strategies`` from the results file ``path``."""
    if not path.exists():
        return
    kept = [r for r in _read(path) if r["strategy"] not in strategies]
    path.write_text("".join(json.dumps(r) + "\n" for r in kept))


def normalized_scores(records, reference=REFERENCE):
    """Bayesmark's normalized score of each strategy on each problem.

    Returns ``{problem: {strategy: [median, min, max]}}``: the score of the
    strategy's median final best over seeds, and of its worst and best seed.
    0 is ``reference``'s median final best, 100 the best final best of any
    run on the problem; a problem where no run beats that median is left out.
    """
    best = defaultdict(lambda: defaultdict(list))
    for r in records:
        if r["status"] == "ok" and r["best_score"] is not None:
            best[r["task"]][r["strategy"]].append(r["best_score"])
    scores = {}
    for task, runs in best.items():
        if reference not in runs:
            continue
        zero = float(np.median(runs[reference]))
        top = max(max(values) for values in runs.values())
        if top <= zero:
            continue
        scores[task] = {
            name: [100 * (float(f(values)) - zero) / (top - zero)
                   for f in (np.median, np.min, np.max)]
            for name, values in runs.items()
        }
    return scores


def mean_scores(scores):
    """The mean over problems of each strategy's normalized score (problems it ran on all)."""
    names = {name for by_strategy in scores.values() for name in by_strategy}
    return {name: float(np.mean([by_strategy[name][0] for by_strategy in scores.values()]))
            for name in names if all(name in by_strategy for by_strategy in scores.values())}


def report_markdown(records, meta):
    """The normalized scores as markdown: the mean per strategy, then per problem."""
    scores = normalized_scores(records)
    means = mean_scores(scores)
    order = sorted(means, key=lambda name: -means[name])
    problems = sorted(scores)
    lines = [f"# Bayesmark-style suite: normalized score (0: median of {REFERENCE}, "
             "100: best run seen)", ""]
    unavailable = sorted({r["strategy"] for r in records if r["status"] == "unavailable"})
    failed = defaultdict(int)
    for r in records:
        if r["status"] == "error":
            failed[r["strategy"]] += 1
    seeds = sorted({r["seed"] for r in records if r["status"] == "ok"})
    n_iter = sorted({r["n_iter"] for r in records if r["status"] == "ok"})
    lines += [f"{len(problems)} problems, {len(seeds)} seeds, n_iter={n_iter}; "
              f"suite time {meta.get('seconds', 0) / 60:.1f} min "
              f"(commit {meta.get('environment', {}).get('commit', '?')}).", ""]
    if unavailable:
        lines += ["Unavailable: " + ", ".join(unavailable) + ".", ""]
    if failed:
        lines += ["Failed runs: " + ", ".join(f"{k} {v}" for k, v in sorted(failed.items()))
                  + ".", ""]
    lines += ["| strategy | mean normalized score | mean rank | median wall time per run (s) |",
              "|---|---|---|---|"]
    wall = defaultdict(list)
    for r in records:
        if r["status"] == "ok":
            wall[r["strategy"]].append(r["wall_time"])
    ranks = mean_ranks([r for r in records if r["status"] != "unavailable"])
    for name in order:
        lines.append(f"| {name} | {means[name]:.1f} | {ranks[name]:.2f} | "
                     f"{np.median(wall[name]):.1f} |")
    lines += ["", "*mean rank*: by final best CV score among the strategies, per problem and "
              "seed (ties share their mean rank), averaged."]
    lines += ["", "Per problem: normalized score of the median final best over seeds "
              "[worst seed, best seed].", "",
              "| strategy | " + " | ".join(problems) + " |",
              "|---|" + "---|" * len(problems)]
    for name in order:
        cells = [f"{scores[p][name][0]:.0f} [{scores[p][name][1]:.0f}, {scores[p][name][2]:.0f}]"
                 for p in problems]
        lines.append(f"| {name} | " + " | ".join(cells) + " |")
    lines += ["", "Final best CV score: random search's median (the 0) and the best run "
              "(the 100).", "", "| problem | 0 | 100 |", "|---|---|---|"]
    for p in problems:
        runs = [r["best_score"] for r in records
                if r["status"] == "ok" and r["task"] == p and r["best_score"] is not None]
        zero = np.median([r["best_score"] for r in records if r["status"] == "ok"
                          and r["task"] == p and r["strategy"] == REFERENCE])
        lines.append(f"| {p} | {zero:.5g} | {max(runs):.5g} |")
    return "\n".join(lines) + "\n"


if __name__ == "__main__":
    sys.exit(main())
