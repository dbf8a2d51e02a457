"""Time to result of the multi-fidelity searches, in CPU seconds inside ``fit``.

Usage (from the repository root, with ``pip install -e ".[bench]"``, plus
``optuna`` and ``smac`` for the competitors that continue their models)::

    python -m benchmarks.fidelity_time --smoke           # seconds: tiny tasks, one seed
    python -m benchmarks.fidelity_time --tasks boosting --seeds 3 \\
        --out benchmarks/results/fidelity_time             # one task at a time
    python -m benchmarks.fidelity_time --report-only --out benchmarks/results/fidelity_time \\
        --report benchmarks/results/fidelity_time.md

The question: how soon does each search hold a good full-resource score,
counted in the CPU seconds its fits took, now and once sksearch's engine
continues the models it promotes instead of refitting them? Every
estimator is timed from inside its ``fit`` (:mod:`benchmarks.fit_timing`:
process CPU seconds, one BLAS/OpenMP thread, so the machine's load does not
count) and the resource units each fit actually trained are counted (a
continued model counts only what it added).

Five tasks (:data:`TASKS`), 3-fold CV, a budget of :data:`N_ITER`
full-resource fits per fold: ``HistGradientBoostingClassifier`` with
``max_iter`` 10 -> 270, a random forest on imbalanced data with
``n_estimators`` 10 -> 90, an MLP on digits with ``max_iter`` (epochs)
3 -> 81, a small Keras network with ``epochs`` 3 -> 27 and an RBF SVC with
``n_samples``; the problems are those of :mod:`benchmarks.multi_fidelity`
with these ladders. The methods (:mod:`benchmarks.fidelity_time_methods`):
full-fidelity ``RandomizedSearchCV`` (the reference), ``HalvingRandomSearchCV``,
Optuna's TPE + ``HyperbandPruner`` and SMAC3's ``MultiFidelityFacade``, both
continuing their models, and every sksearch strategy with ``resource=``
(and with ``reuse_fits=True`` when the engine has it). Records go to
``results.jsonl`` (one line per run, every evaluation with its CPU seconds
and units), the report to ``report.md`` there or to ``--report PATH``
(:mod:`benchmarks.fidelity_time_report`).
"""

from dataclasses import dataclass

from sklearn.datasets import load_digits

from sksearch.engine.fidelity._brackets import ladder
from sksearch.space import Integer, Real

from . import multi_fidelity as mf
from .fidelity_methods import FACTOR, Fidelity
from .fidelity_time_methods import grow_keras, grow_partial_fit, grow_warm_start, methods
from .fit_timing import LEDGER, attribute, params_key, timed

#: Full-resource fits per fold each search may spend, and seeds of a full run.
N_ITER, SEEDS = 24, 3
SMOKE_N_ITER = 4
N_SPLITS = mf.N_SPLITS


@dataclass(frozen=True)
class TimeTask:
    """A problem of :mod:`benchmarks.multi_fidelity` (or ``build``) with its ladder:
    ``(low, high)`` of the full run and of the smoke run (``None``: sksearch's
    ``"auto"`` ladder), and how a model continues to a higher rung (``grow``)."""

    name: str
    resource: str
    build: object
    ladder: tuple
    smoke_ladder: tuple
    grow: object
    description: str

    def instance(self, smoke):
        """The timed :class:`~benchmarks.tasks.Instance` and its :class:`Fidelity`."""
        instance = self.build(smoke)
        low_high = self.smoke_ladder if smoke else self.ladder
        if low_high is None:
            levels = mf.fidelity_of(self, instance).levels
        else:
            instance.estimator.set_params(**{self.resource: low_high[1]})
            levels = ladder(*low_high, FACTOR)
        instance.estimator = timed(instance.estimator, list(instance.space), self.resource)
        return instance, Fidelity(self.resource, levels, N_SPLITS)


def _keras(smoke):
    from sksearch.keras import KerasClassifier

    _one_thread_tensorflow()
    X, y = load_digits(return_X_y=True)
    X = (X / 16.0).astype("float32")
    if smoke:
        X, y = X[:240], y[:240]
    space = {"units": Integer(8, 128, log=True), "dropout": Real(0.0, 0.5),
             "learning_rate": Real(1e-4, 3e-2, log=True),
             "batch_size": Integer(16, 128, log=True)}
    estimator = KerasClassifier(dense_network, epochs=27, random_state=mf.DATA_SEED)
    return mf._instance(estimator, space, mf._split(X, y, 0.75), "accuracy")


def dense_network(n_features_in, n_classes, units=32, dropout=0.1):
    """One hidden layer with dropout; the classifier compiles it."""
    import keras

    return keras.Sequential([keras.Input((n_features_in,)),
                             keras.layers.Dense(units, activation="relu"),
                             keras.layers.Dropout(dropout),
                             keras.layers.Dense(n_classes, activation="softmax")])


def _one_thread_tensorflow():
    import tensorflow as tf

    try:
        tf.config.threading.set_intra_op_parallelism_threads(1)
        tf.config.threading.set_inter_op_parallelism_threads(1)
    except RuntimeError:  # already initialised in this process: its setting stays
        pass


TASKS = {
    task.name: task
    for task in [
        TimeTask("boosting", "max_iter", mf._boosting, (10, 270), (3, 27), grow_warm_start,
                 "HistGradientBoostingClassifier, max_iter 10 -> 270, ROC AUC"),
        TimeTask("forest", "n_estimators", mf._forest, (10, 90), (3, 27), grow_warm_start,
                 "RandomForestClassifier on 5% positives, n_estimators 10 -> 90, "
                 "average precision"),
        TimeTask("mlp", "max_iter", mf._mlp, (3, 81), (1, 9), grow_partial_fit,
                 "MLPClassifier on digits, max_iter (epochs) 3 -> 81, accuracy"),
        TimeTask("keras", "epochs", _keras, (3, 27), (1, 3), grow_keras,
                 "KerasClassifier (one dense layer) on digits, epochs 3 -> 27, accuracy"),
        TimeTask("svc", "n_samples", mf._svc, None, None, None,
                 "RBF SVC, n_samples up to all 2700 training samples, accuracy"),
    ]
}
#: Every method, by name (the competitors' continuation depends on the task).
METHODS = methods(None)


def run_one(task_name, method_name, seed, n_iter, smoke=False):
    """One search of ``method_name`` on ``task_name``, its costs in CPU seconds
    and units trained from inside every ``fit``."""
    task = TASKS[task_name]
    instance, fidelity = task.instance(smoke)
    LEDGER.clear()
    record = mf.search_record(methods(task.grow)[method_name], instance, fidelity, seed,
                              n_iter, {"task": task_name, "smoke": smoke},
                              costs=_ledger_costs)
    record["nominal_units"] = sum(record.get("rows", {}).get("n_resources", [])) * N_SPLITS
    LEDGER.clear()
    return record


def _ledger_costs(run, instance):
    """A library search's rows get the CPU seconds and units of their own fold fits;
    ``info["cpu_unclaimed"]``: the CPU of fits no row claimed (the final refit aside)."""
    if run.units:  # a continuing evaluator counted them as it went
        run.info["cpu_unclaimed"] = 0.0
        return
    names = list(instance.space)
    rows = [(params_key(run.params(c), names), n * N_SPLITS)
            for c, n in zip(run.candidate, run.n_resources)]
    run.fit_time, run.units, run.info["cpu_unclaimed"] = attribute(
        rows, N_SPLITS, len(instance.X_train))


CATALOG = mf.Catalog("python -m benchmarks.fidelity_time", TASKS, METHODS, run_one)


def main(argv=None):
    from .fidelity_time_report import write_report

    args, out, run = mf.command_line(CATALOG, __doc__, (SEEDS, N_ITER, SMOKE_N_ITER), argv,
                                     "rebuild the report from results.jsonl",
                                     report_file=True)
    if not args.report_only:
        if args.smoke and run["tasks"] is None:  # seconds: one task unless told
            run["tasks"] = ["boosting"]
        mf.run_benchmark(out, **{**run, "rungs": False})
    print(write_report(out, args.report).read_text())


if __name__ == "__main__":
    main()
