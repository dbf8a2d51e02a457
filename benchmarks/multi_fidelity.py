"""Multi-fidelity benchmark: sksearch's searches with ``resource=`` against
random search at full fidelity, ``HalvingRandomSearchCV``, Optuna's TPE with
``HyperbandPruner`` and BOHB, at the same budget of ``n_iter`` full-resource fits.

Usage (from the repository root, with ``pip install -e ".[bench]"``)::

    python -m benchmarks.multi_fidelity --smoke         # < 1 minute: tiny tasks, one seed
    python -m benchmarks.multi_fidelity --out benchmarks/results/multi_fidelity
    python -m benchmarks.multi_fidelity --report-only --out benchmarks/results/multi_fidelity

Four tasks (:data:`TASKS`), each tuned with 3-fold CV on part of the data,
the rest held out: gradient boosting with ``max_iter`` as the resource, a
random forest on imbalanced data with ``n_estimators``, an MLP on digits
with ``max_iter`` (epochs) and an RBF SVC with ``n_samples``. The data, the
held-out split, the folds and the estimators' own seeds are the same for
every method and seed: seeds change only the search's ``random_state``, so
that medians over seeds and the luckiest seed compare like with like. Every
method gets the same ladder of resources (sksearch's default ``min_resources="auto"`` with ``factor=3``);
the methods are described in :mod:`benchmarks.fidelity_methods`.

Each finished run is one JSON line of ``results.jsonl`` in the output
directory: every evaluation (candidate x resource) in order with its
resource, fit seconds (summed over the folds) and mean CV score, from which
the report draws the anytime curves (best full-resource CV score so far
against cumulative fit seconds and resource units = resource x folds), plus
the held-out score of the chosen candidate. A run already in the file is not
run again, so an interrupted benchmark continues where it stopped; a method
whose library is missing is recorded as unavailable. Searches run one at a
time with ``n_jobs=1`` and one BLAS/OpenMP thread. The full run also
measures, once per task, how well each rung ranks 40 random candidates as
the full resource does (Spearman correlation). The report is ``report.md``
(and ``plots/``) in the output directory, written by
:mod:`benchmarks.fidelity_report`.
"""

import argparse
import json
import sys
import time
import traceback
import warnings
from dataclasses import dataclass
from pathlib import Path

import numpy as np
from scipy.stats import spearmanr
from sklearn.base import is_classifier
from sklearn.datasets import load_digits, make_classification
from sklearn.ensemble import HistGradientBoostingClassifier, RandomForestClassifier
from sklearn.metrics import check_scoring
from sklearn.model_selection import ParameterSampler, StratifiedKFold, train_test_split
from sklearn.neural_network import MLPClassifier
from sklearn.svm import SVC

from sksearch.engine.fidelity._brackets import ladder
from sksearch.engine.fidelity._resources import AUTO_RUNGS
from sksearch.space import Categorical, Integer, Real

from .fidelity_methods import FACTOR, METHODS, Fidelity, RungEvaluator
from .report import environment
from .run import _append, _pick, _read
from .spaces import to_scipy
from .tasks import Instance

#: Full-resource fits each search may spend, folds and seeds of the full run.
N_ITER, N_SPLITS, SEEDS = 30, 3, 5
#: The smoke run: tiny data and resources, one seed.
SMOKE_N_ITER = 6
#: Random candidates whose rung scores measure the rungs' rank agreement.
RUNG_CANDIDATES = 40
#: Draws the data, the held-out split, the folds and the estimators' own seeds:
#: every seed of a method tunes the same problem, only the search's seed changes.
DATA_SEED = 0


@dataclass(frozen=True)
class FidelityTask:
    """A tuning problem with a resource; ``build(smoke)`` returns its
    :class:`~benchmarks.tasks.Instance`, whose estimator holds the full resource."""

    name: str
    resource: str
    build: object
    description: str


def _split(X, y, train_size):
    X_train, X_test, y_train, y_test = train_test_split(X, y, train_size=train_size,
                                                        stratify=y, random_state=DATA_SEED)
    return X_train, y_train, X_test, y_test


def _instance(estimator, space, data, scoring):
    X_train, y_train, X_test, y_test = data
    cv = StratifiedKFold(N_SPLITS, shuffle=True, random_state=DATA_SEED)
    return Instance(estimator, space, X_train, y_train, cv, scoring, X_test, y_test)


def _boosting(smoke):
    X, y = make_classification(n_samples=400 if smoke else 1600, n_features=20, n_informative=8,
                               n_redundant=4, flip_y=0.05, random_state=DATA_SEED)
    space = {"learning_rate": Real(1e-3, 1.0, log=True),
             "max_leaf_nodes": Integer(4, 32, log=True),
             "min_samples_leaf": Integer(2, 100, log=True),
             "l2_regularization": Real(1e-4, 10.0, log=True)}
    estimator = HistGradientBoostingClassifier(max_iter=27 if smoke else 243,
                                               early_stopping=False, random_state=DATA_SEED)
    return _instance(estimator, space, _split(X, y, 0.75), "roc_auc")


def _forest(smoke):
    X, y = make_classification(n_samples=600 if smoke else 2400, n_features=10, n_informative=6,
                               n_redundant=2, weights=[0.95], flip_y=0.01, class_sep=0.8,
                               random_state=DATA_SEED)
    space = {"max_depth": Integer(2, 24),
             "min_samples_leaf": Integer(1, 50, log=True),
             "max_features": Real(0.1, 0.9),
             "class_weight": Categorical([None, "balanced", "balanced_subsample"])}
    estimator = RandomForestClassifier(n_estimators=27 if smoke else 54, n_jobs=1,
                                       random_state=DATA_SEED)
    data = _split(X, y, 300 if smoke else 1200)
    return _instance(estimator, space, data, "average_precision")


def _mlp(smoke):
    X, y = load_digits(return_X_y=True)
    X = X / 16.0
    if smoke:
        X, y = X[:360], y[:360]
    space = {"hidden_layer_sizes": Integer(8, 64, log=True),
             "alpha": Real(1e-6, 1.0, log=True),
             "learning_rate_init": Real(1e-4, 0.3, log=True),
             "batch_size": Integer(32, 256, log=True)}
    estimator = MLPClassifier(max_iter=27 if smoke else 54, random_state=DATA_SEED)
    return _instance(estimator, space, _split(X, y, 0.75), "accuracy")


def _svc(smoke):
    X, y = make_classification(n_samples=720 if smoke else 3600, n_features=20, n_informative=8,
                               n_redundant=4, flip_y=0.05, random_state=DATA_SEED)
    space = {"C": Real(1e-2, 1e3, log=True), "gamma": Real(1e-4, 1.0, log=True)}
    # 2700 = 100 * 27 training samples: every method's rungs land on the same sizes
    data = _split(X, y, 540 if smoke else 2700)
    return _instance(SVC(), space, data, "accuracy")


TASKS = {
    task.name: task
    for task in [
        FidelityTask("boosting", "max_iter", _boosting,
                     "HistGradientBoostingClassifier, max_iter up to 243, ROC AUC; 1200 "
                     "training samples, 20 features"),
        FidelityTask("forest", "n_estimators", _forest,
                     "RandomForestClassifier, n_estimators up to 54, average precision; 1200 "
                     "training samples with 5% positives"),
        FidelityTask("mlp", "max_iter", _mlp,
                     "MLPClassifier on digits, max_iter (epochs) up to 54, accuracy; 1347 "
                     "training samples"),
        FidelityTask("svc", "n_samples", _svc,
                     "RBF SVC, n_samples up to 2700, accuracy; 20 features"),
    ]
}


def fidelity_of(task, instance):
    """The resource ladder of ``instance``, as sksearch's ``min_resources="auto"`` builds it."""
    if task.resource == "n_samples":
        maximum = len(instance.X_train)
        smallest = 2 * N_SPLITS * (len(np.unique(instance.y_train))
                                   if is_classifier(instance.estimator) else 1)
    else:
        maximum, smallest = instance.estimator.get_params()[task.resource], 1
    minimum = min(maximum, max(smallest, round(maximum / FACTOR**AUTO_RUNGS)))
    return Fidelity(task.resource, ladder(minimum, maximum, FACTOR), N_SPLITS)


# ---------------------------------------------------------------- one run
def run_one(task_name, method_name, seed, n_iter, smoke=False):
    """One search: the record of ``method_name`` on ``task_name`` with ``seed``."""
    task = TASKS[task_name]
    instance = task.build(smoke)
    return search_record(METHODS[method_name], instance, fidelity_of(task, instance), seed,
                         n_iter, {"task": task_name, "smoke": smoke})


def search_record(method, instance, fidelity, seed, n_iter, head, costs=None):
    """Run ``method`` on ``instance`` (one thread, warnings off) and return its record.

    ``costs(run, instance)``, if given, rewrites the run's ``fit_time`` and
    ``units`` once the search is over (the final refit included in it).
    """
    from threadpoolctl import threadpool_limits

    record = {**head, "method": method.name, "library": method.library, "seed": seed,
              "n_iter": n_iter, "resource": fidelity.resource, "levels": fidelity.levels,
              "n_splits": N_SPLITS}
    start = time.perf_counter()
    try:
        with threadpool_limits(1), warnings.catch_warnings():
            warnings.simplefilter("ignore")
            run = method.run(instance, fidelity, n_iter, seed)
            wall = time.perf_counter() - start
            if costs is not None:
                costs(run, instance)
            scorer = check_scoring(run.best_estimator, instance.scoring)
            test_score = float(scorer(run.best_estimator, instance.X_test, instance.y_test))
    except Exception as exc:  # a failing method is a result, not a crash
        lines = traceback.format_exception_only(type(exc), exc)
        return {**record, "status": "error", "error": "".join(lines).strip()[-2000:]}
    scores = np.array(run.score, dtype=float)
    full = (np.array(run.n_resources) == fidelity.levels[-1]) & np.isfinite(scores)
    units = run.units or [n * N_SPLITS for n in run.n_resources]
    return {
        **record,
        "status": "ok",
        "rows": {"n_resources": run.n_resources, "fit_time": run.fit_time,
                 "score": [s if np.isfinite(s) else None for s in run.score],
                 "candidate": run.candidate, **({"units": units} if run.units else {})},
        "best_score": float(scores[full].max()) if full.any() else None,
        "test_score": test_score,
        "fit_seconds": float(np.sum(run.fit_time)),
        "resource_units": int(np.sum(units)),
        "budget_units": n_iter * fidelity.levels[-1] * N_SPLITS,
        "n_candidates": len(set(run.candidate)),
        "n_full": int(full.sum()),
        "wall_time": wall,
        "info": run.info,
    }


def rung_correlation(task_name, seed, n_candidates=RUNG_CANDIDATES, smoke=False):
    """Cross-validate ``n_candidates`` random candidates at every rung; the record
    holds their scores and each rung's Spearman correlation with the full resource."""
    from threadpoolctl import threadpool_limits

    task = TASKS[task_name]
    instance = task.build(smoke)
    fidelity = fidelity_of(task, instance)
    record = {"task": task_name, "method": "rung-correlation", "library": "scikit-learn",
              "seed": seed, "n_iter": n_candidates, "smoke": smoke, "levels": fidelity.levels}
    evaluate = RungEvaluator(instance, fidelity, seed)
    with threadpool_limits(1), warnings.catch_warnings():
        warnings.simplefilter("ignore")
        sampler = ParameterSampler(to_scipy(instance.space), n_candidates, random_state=seed)
        scores = [[evaluate(params, level, i) for level in range(len(fidelity.levels))]
                  for i, params in enumerate(sampler)]
    scores = np.array(scores)
    ok = np.all(np.isfinite(scores), axis=1)
    rho = {str(r): float(spearmanr(scores[ok, j], scores[ok, -1])[0])
           for j, r in enumerate(fidelity.levels[:-1])}
    return {**record, "status": "ok", "scores": scores.tolist(), "spearman_with_full": rho,
            "fit_seconds_per_rung": [float(np.sum(evaluate.run.fit_time[j::len(fidelity.levels)]))
                                     for j in range(len(fidelity.levels))]}


# ---------------------------------------------------------------- the whole benchmark
@dataclass(frozen=True)
class Catalog:
    """What a benchmark runs: its tasks and methods (by name), and the function
    ``run_one(task, method, seed, n_iter, smoke)`` that returns one record."""

    command: str
    tasks: dict
    methods: dict
    run_one: object


def run_benchmark(out, *, tasks=None, methods=None, seeds=SEEDS, n_iter=N_ITER, smoke=False,
                  rungs=True, log=print, catalog=None):
    """Run every (task, method, seed) not yet in ``out/results.jsonl``; return all records.

    ``catalog`` (a :class:`Catalog`) names what runs; by default this module's
    tasks and methods."""
    catalog = catalog or Catalog("python -m benchmarks.multi_fidelity", TASKS, METHODS,
                                 run_one)
    out = Path(out)
    out.mkdir(parents=True, exist_ok=True)
    path = out / "results.jsonl"
    kept = [r for r in (_read(path) if path.exists() else [])
            if r["status"] != "error" and r.get("smoke") == smoke
            and (r["method"] == "rung-correlation" or r["n_iter"] == n_iter)]
    path.write_text("".join(json.dumps(r) + "\n" for r in kept))  # errors run again
    done = {(r["task"], r["method"], r["seed"]) for r in kept}
    tasks = list(tasks or catalog.tasks)
    methods = list(methods or catalog.methods)
    todo = [(t, m, s) for s in range(seeds) for t in tasks for m in methods
            if (t, m, s) not in done]
    log(f"{len(todo)} runs to do, {len(done)} already in {path}")
    started = time.time()
    if rungs:
        for task in tasks:
            if (task, "rung-correlation", 0) not in done:
                record = rung_correlation(task, 0, 6 if smoke else RUNG_CANDIDATES, smoke)
                kept.append(_append(path, record))
                log(f"{task} rung correlation with the full resource: "
                    f"{record['spearman_with_full']}")
    for i, (task, method, seed) in enumerate(todo, 1):
        reason = catalog.methods[method].unavailable()
        if reason is not None:
            record = {"task": task, "method": method, "library": catalog.methods[method].library,
                      "seed": seed, "n_iter": n_iter, "smoke": smoke, "status": "unavailable",
                      "reason": reason}
        else:
            record = catalog.run_one(task, method, seed, n_iter, smoke)
        kept.append(_append(path, record))
        log(_describe(record, i, len(todo), time.time() - started))
    meta_path = out / "meta.json"
    meta = json.loads(meta_path.read_text()) if meta_path.exists() else {"seconds": 0.0}
    meta.update(seconds=meta["seconds"] + time.time() - started, environment=environment(),
                n_iter=n_iter, seeds=seeds, smoke=smoke,
                command=" ".join([catalog.command, *sys.argv[1:]]))
    meta_path.write_text(json.dumps(meta, indent=2) + "\n")
    return kept


def _describe(record, i, n, elapsed):
    head = f"[{i}/{n} {elapsed / 60:.1f} min] {record['task']} {record['method']} " \
           f"seed={record['seed']}"
    if record["status"] != "ok":
        return f"{head}: {record['status']}: {record.get('error', record.get('reason'))[-300:]}"
    return (f"{head}: best {record['best_score']:.4f} test {record['test_score']:.4f}, "
            f"{record['fit_seconds']:.1f} fit s, {record['resource_units']} of "
            f"{record['budget_units']} units, {record['n_candidates']} candidates, "
            f"{record['wall_time']:.1f} s wall")


def command_line(catalog, doc, budgets, argv, report_help="rebuild the report",
                 report_file=False):
    """Parse a benchmark's command line: (arguments, output directory, the keyword
    arguments of :func:`run_benchmark`). ``budgets`` = (seeds, n_iter, smoke n_iter);
    ``report_file``: offer ``--report PATH``."""
    seeds, n_iter, smoke_n_iter = budgets
    name = catalog.command.rsplit(".", 1)[-1]
    parser = argparse.ArgumentParser(prog=catalog.command, description=doc,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--smoke", action="store_true",
                        help=f"tiny tasks, n_iter={smoke_n_iter}, one seed")
    parser.add_argument("--out", type=Path, help="output directory (default: "
                        f"benchmarks/out/{name}[_smoke])")
    parser.add_argument("--tasks", help="comma-separated: " + ", ".join(catalog.tasks))
    parser.add_argument("--methods", help="comma-separated: " + ", ".join(catalog.methods))
    parser.add_argument("--seeds", type=int, help=f"seeds 0..k-1 (default {seeds}; smoke 1)")
    parser.add_argument("--n-iter", type=int, help=f"budget in full-resource fits "
                        f"(default {n_iter}; smoke {smoke_n_iter})")
    parser.add_argument("--no-rungs", action="store_true",
                        help="skip the rung correlation measurement")
    parser.add_argument("--report-only", action="store_true", help=report_help)
    if report_file:
        parser.add_argument("--report", type=Path,
                            help="write the report there (default: OUT/report.md)")
    args = parser.parse_args(argv)
    out = args.out or Path(__file__).parent / "out" / (f"{name}_smoke" if args.smoke else name)
    run = {"tasks": _pick(args.tasks, catalog.tasks) if args.tasks else None,
           "methods": _pick(args.methods, catalog.methods) if args.methods else None,
           "seeds": args.seeds or (1 if args.smoke else seeds),
           "n_iter": args.n_iter or (smoke_n_iter if args.smoke else n_iter),
           "smoke": args.smoke, "rungs": not args.no_rungs, "catalog": catalog}
    return args, out, run


def main(argv=None):
    from .fidelity_report import write_report

    catalog = Catalog("python -m benchmarks.multi_fidelity", TASKS, METHODS, run_one)
    args, out, run = command_line(catalog, __doc__, (SEEDS, N_ITER, SMOKE_N_ITER), argv,
                                  "rebuild report.md and the plots from results.jsonl")
    if not args.report_only:
        run_benchmark(out, **run)
    print(write_report(out))


if __name__ == "__main__":
    main()
