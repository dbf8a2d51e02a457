"""Hypervolume of sksearch's strategies on real tunings of two objectives, against Optuna's.

Every method gets the same budget of evaluations of the tasks of
:mod:`benchmarks.pareto_tasks` (the same data, folds and scorers) and is
judged by the hypervolume of the (score, size) pairs it evaluated, at the
budget and at half of it (higher is better; the task's normalization and
reference point). Compared: uniform random sampling, sksearch's genetic
algorithm (NSGA-II), particle swarm (MOPSO), Gaussian process (ParEGO) and
TPE (MOTPE), and Optuna's ``NSGAIISampler``, ``TPESampler`` (MOTPE) and
``GPSampler`` (needs torch), each with ``directions=["maximize",
"minimize"]``, when Optuna is installed. sksearch's strategies run as
public searches (``GeneticSearchCV``, ``PSOSearchCV``, ``BayesSearchCV``
with ``surrogate="gp"`` and ``"tpe"``, and the random baseline: a
``BaseOptimizerSearch`` of sksearch's ``RandomSampler``), each with its
defaults, ``scoring`` of the task's two scorers, ``objectives=`` and
``refit=False``; Optuna's samplers through ``study.ask`` / ``study.tell``
over the same space (:func:`benchmarks.spaces.to_optuna`), scored by
``cross_validate`` on the same folds with the same scorers. The
``ask-tell-`` methods (not run by default) drive the same optimizers with
the settings of :mod:`benchmarks.pareto_functions` through
:func:`benchmarks.pareto_problems.run`.

Run from the repository root (single thread)::

    OMP_NUM_THREADS=1 OPENBLAS_NUM_THREADS=1 python -m benchmarks.pareto_tuning
    python -m benchmarks.pareto_tuning --smoke      # seconds, writes nothing
"""

import json
import time
import warnings

import numpy as np
from sklearn.exceptions import ConvergenceWarning

from sksearch import BayesSearchCV, GeneticSearchCV, PSOSearchCV
from sksearch.base import BaseOptimizerSearch
from sksearch.optimizers import RandomSampler

from .pareto_functions import OPTIMIZERS, argument_parser, available, optuna_sampler
from .pareto_problems import run
from .pareto_tasks import TASKS, make_task
from .spaces import to_optuna

RECORDS = "benchmarks/results/pareto_tuning.jsonl"
REPORT = "benchmarks/results/pareto_tuning.md"
SKSEARCH = ("sksearch-ga", "sksearch-pso", "sksearch-gp", "sksearch-tpe")
OPTUNA = ("optuna-nsga2", "optuna-tpe", "optuna-gp")


class RandomSearch(BaseOptimizerSearch):
    """The random baseline as a search: sksearch's ``RandomSampler``, with ``objectives``."""

    def __init__(self, estimator, param_distributions, **common):
        super().__init__(estimator, param_distributions, **common)

    def _make_optimizer(self, layout, random_state, budget):
        return RandomSampler(layout, random_state=random_state,
                             n_objectives=self._n_objectives())


#: method -> the public search and its own parameters (every default kept).
SEARCHES = {
    "random": (RandomSearch, {}),
    "sksearch-ga": (GeneticSearchCV, {}),
    "sksearch-pso": (PSOSearchCV, {}),
    "sksearch-gp": (BayesSearchCV, {"surrogate": "gp"}),
    "sksearch-tpe": (BayesSearchCV, {"surrogate": "tpe"}),
}


def _search(name):
    def method(task, seed, budget):
        search_class, params = SEARCHES[name]
        search = search_class(task.estimator, task.space, scoring=task.scoring,
                              objectives=task.objectives, refit=False, n_iter=budget,
                              cv=task.cv, n_jobs=1, random_state=seed, **params)
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", ConvergenceWarning)
            search.fit(task.X, task.y)
        results = search.cv_results_  # rows in the order evaluated
        return np.c_[results[f"mean_test_{task.score}"], results[f"mean_test_{task.size}"]]
    return method


def _ask_tell(name):
    def method(task, seed, budget):
        problem = task.cube_problem()
        F = run(OPTIMIZERS[name](problem.layout, 2, seed, budget), problem, budget)
        return np.c_[-F[:, 0], F[:, 1]]
    return method


def _optuna(name):
    def method(task, seed, budget):
        import optuna

        study = optuna.create_study(directions=["maximize", "minimize"],
                                    sampler=optuna_sampler(name, seed))
        distributions, values = to_optuna(task.space), []
        for _ in range(budget):
            trial = study.ask(distributions)
            values.append(task.evaluate(trial.params))
            study.tell(trial, values[-1])
        return np.array(values)
    return method


#: method -> ``method(task, seed, budget)``: the (score, size) of each evaluation, in order.
#: The ``ask-tell-`` methods drive the same optimizers with the settings of
#: :mod:`benchmarks.pareto_functions` (10 initial points for GP and TPE, batches of one).
METHODS = {
    **{name: _search(name) for name in SEARCHES},
    **{name: _optuna(name.removeprefix("optuna-")) for name in OPTUNA},
    **{f"ask-tell-{name.removeprefix('sksearch-')}": _ask_tell(name)
       for name in ("random", *SKSEARCH)},
}
DEFAULT_METHODS = (*SEARCHES, *OPTUNA)


def benchmark(tasks, methods, seeds, budget):
    """One record per task, method and seed: the values evaluated and the seconds."""
    records = []
    for name in tasks:
        task = make_task(name)
        for method in methods:
            for seed in seeds:
                start = time.perf_counter()
                values = METHODS[method](task, seed, budget)
                records.append({"task": name, "method": method, "seed": seed,
                                "budget": budget, "values": values.tolist(),
                                "seconds": time.perf_counter() - start})
            volumes = [task.hypervolume(r["values"]) for r in records[-len(seeds):]]
            print(f"{name:8s} {method:13s} median hypervolume {np.median(volumes):.4f} "
                  f"({sum(r['seconds'] for r in records[-len(seeds):]):.0f} s)", flush=True)
    return records


def median_hypervolumes(records, budget):
    """``{(task, method): median over the seeds of the hypervolume of the first
    ``budget`` evaluations}``."""
    volumes = {}
    for r in records:
        task = make_task(r["task"])
        volumes.setdefault((r["task"], r["method"]), []).append(
            task.hypervolume(r["values"][:budget]))
    return {key: float(np.median(v)) for key, v in volumes.items()}


def targets(final, tasks, methods):
    """Lines saying, per task, whether every sksearch strategy reaches Optuna's best sampler."""
    lines = []
    for task in tasks:
        ours = {m: final[task, m] for m in methods
                if m in SKSEARCH or m.startswith("ask-tell-") and m != "ask-tell-random"}
        theirs = {m: final[task, m] for m in methods if m in OPTUNA}
        if not ours or not theirs:
            continue
        best = max(theirs, key=theirs.get)
        short = [f"{m} {v:.4f}" for m, v in ours.items() if v < theirs[best]]
        verdict = "met" if not short else "missed (" + ", ".join(short) + ")"
        lines.append(f"- {task}: every sksearch strategy at or above {best} "
                     f"({theirs[best]:.4f}): {verdict}.")
    return lines


def report(records, command):
    """The markdown report of ``records``: medians at the budget and at half of it."""
    tasks = list(dict.fromkeys(r["task"] for r in records))
    methods = list(dict.fromkeys(r["method"] for r in records))
    budget = records[0]["budget"]
    seeds = sorted({r["seed"] for r in records})
    final, half = median_hypervolumes(records, budget), median_hypervolumes(records, budget // 2)
    seconds = {}
    for r in records:
        seconds.setdefault((r["task"], r["method"]), []).append(r["seconds"])
    lines = [f"Median hypervolume (higher is better) over {len(seeds)} seeds at {budget} "
             f"evaluations, and at {budget // 2} in parentheses; seconds per run after the "
             "slash; best per task in bold.", "",
             "| method | " + " | ".join(tasks) + " |", "|---" * (len(tasks) + 1) + "|"]
    best = {t: max(final[t, m] for m in methods) for t in tasks}
    for method in methods:
        cells = []
        for t in tasks:
            value = f"{final[t, method]:.4f}"
            value = f"**{value}**" if final[t, method] == best[t] else value
            cells.append(f"{value} ({half[t, method]:.4f}) / "
                         f"{np.mean(seconds[t, method]):.0f}")
        lines.append(f"| {method} | " + " | ".join(cells) + " |")
    lines += ["", "Target of issue 28 on the real tasks:", "", *targets(final, tasks, methods),
              "", f"Reproduce: `{command}`."]
    return "\n".join(lines) + "\n"


def main(argv=None):
    parser = argument_parser(__doc__, 3, 40, {"tasks": TASKS}, METHODS,
                             "one seed, 12 evaluations, one task, no Optuna GP: seconds")
    parser.set_defaults(methods=list(DEFAULT_METHODS))
    parser.add_argument("--records", help=f"JSON lines of every run (default: {RECORDS})")
    parser.add_argument("--out", help=f"the markdown report (default: {REPORT})")
    parser.add_argument("--report-from", metavar="RECORDS",
                        help="run nothing: print the report of these records")
    args = parser.parse_args(argv)
    if args.report_from:
        with open(args.report_from) as f:
            records = [json.loads(line) for line in f]
        print(report(records, f"python -m benchmarks.pareto_tuning --report-from "
                              f"{args.report_from}"))
        return records
    if args.smoke:  # writes only where it is told to
        args.seeds, args.budget, args.tasks = 1, 12, ["boosting"]
        args.methods = [m for m in args.methods if m != "optuna-gp"]
    else:
        args.records, args.out = args.records or RECORDS, args.out or REPORT
    records = benchmark(args.tasks, available(args.methods), range(args.seeds), args.budget)
    command = ("OMP_NUM_THREADS=1 OPENBLAS_NUM_THREADS=1 python -m benchmarks.pareto_tuning "
               f"--seeds {args.seeds} --budget {args.budget}")
    if args.methods != list(DEFAULT_METHODS):
        command += " --methods " + " ".join(args.methods)
    text = report(records, command)
    print(text)
    if args.records:
        with open(args.records, "w") as f:
            f.writelines(json.dumps(r) + "\n" for r in records)
    if args.out:
        with open(args.out, "w") as f:
            f.write("# Several objectives: real tunings, score against model size\n\n" + text)
    return records

if __name__ == "__main__":
    main()
