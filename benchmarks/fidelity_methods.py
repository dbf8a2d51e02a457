"""The methods of the multi-fidelity benchmark, each run the same way.

A :class:`Method` runs one search on one task instance and returns a
:class:`Run`: every evaluation (a candidate at a resource, cross-validated on
all folds) in the order it happened, with its resource, its fit seconds
summed over the folds and its mean CV score, plus the estimator the search
chose, refitted on the whole training set at the full resource.

The budget is ``n_iter`` full-resource fits per fold, for every method:

* ``sklearn-random``: ``RandomizedSearchCV(n_iter=n_iter)``, every candidate
  at the full resource (the reference).
* ``sklearn-halving``: ``HalvingRandomSearchCV`` with sksearch's ladder of
  resources (same ``min_resources``, ``max_resources``, ``factor``) and the
  most ``n_candidates`` whose rungs cost at most ``n_iter`` full-resource
  fits (:func:`halving_candidates`).
* ``optuna-hyperband``: Optuna's TPE sampler with its ``HyperbandPruner`` on
  the same ladder, driven by ask/tell: a trial is cross-validated at each
  rung of its bracket from the first one where the pruner can stop it,
  reports each rung's mean CV score and stops when pruned. Every rung is a
  fit from scratch, as in the other methods. The study stops before an
  evaluation that would spend more than the budget.
* ``hpbandster-bohb``: BOHB (hpbandster) on the same ladder with ``eta`` =
  the factor, as many Hyperband iterations as the budget needs; evaluations
  past the budget are not run. hpbandster-sklearn does not import with
  scikit-learn >= 1.6, so hpbandster is driven directly (one worker thread).
* ``sksearch-*``: the searches with ``resource=`` set, and
  ``sksearch-bayes-gp-full`` without (full fidelity, for reference).
"""

import functools
import logging
import math
import os
import time
from dataclasses import dataclass, field

import numpy as np
from sklearn.base import clone
from sklearn.experimental import enable_halving_search_cv  # noqa: F401
from sklearn.model_selection import HalvingRandomSearchCV, RandomizedSearchCV, cross_validate
from threadpoolctl import threadpool_limits

from sksearch import BayesSearchCV, GeneticSearchCV, PSOSearchCV
from sksearch.engine.fidelity._resources import Resource

from .competitors import Strategy
from .spaces import to_configspace, to_optuna, to_scipy

#: Each rung keeps the best 1/FACTOR of its candidates, in every method.
FACTOR = 3


@dataclass(frozen=True)
class Fidelity:
    """What the resource of a task instance is: its name and the ladder of values."""

    resource: str  # "n_samples" or an estimator parameter
    levels: list  # increasing; the last is the full resource
    n_splits: int

    def cost(self, level):
        """An evaluation's cost at ``level``, in full-resource fits."""
        return self.levels[level] / self.levels[-1]


@dataclass
class Run:
    """What one search evaluated, in order, and what it chose."""

    n_resources: list = field(default_factory=list)
    fit_time: list = field(default_factory=list)  # seconds, summed over the folds
    score: list = field(default_factory=list)  # mean CV score (NaN: failed)
    candidate: list = field(default_factory=list)  # 0, 1, ... in order of first evaluation
    best_estimator: object = None
    info: dict = field(default_factory=dict)
    params: object = None  # candidate number -> its parameters, when the run knows them
    units: list = field(default_factory=list)  # resource units trained (continuing evaluators)

    def add(self, n_resources, fit_time, score, candidate, units=None):
        self.n_resources.append(int(n_resources))
        self.fit_time.append(float(fit_time))
        self.score.append(float(score))
        self.candidate.append(int(candidate))
        if units is not None:
            self.units.append(int(units))


@dataclass(frozen=True)
class Method:
    """A named way to search; ``run(instance, fidelity, n_iter, seed)`` returns a :class:`Run`."""

    name: str
    library: str
    modules: tuple
    run: object

    unavailable = Strategy.unavailable


# ---------------------------------------------------------------- scikit-learn and sksearch
def _run_random(instance, fidelity, n_iter, seed):
    search = RandomizedSearchCV(clone(instance.estimator), to_scipy(instance.space),
                                n_iter=n_iter, random_state=seed, **_common(instance))
    return _run_from_search(search, instance, fidelity)


def halving_candidates(levels, n_iter, factor=FACTOR):
    """``n_candidates`` of ``HalvingRandomSearchCV`` for a budget of ``n_iter`` full fits.

    The largest number whose rungs (each keeping ``ceil(n / factor)``, as
    scikit-learn does) cost at most ``n_iter * levels[-1]`` and still reach
    the last level.

    >>> halving_candidates([9, 27, 81, 243], 30)
    198
    """
    def cost(n):
        total = 0
        for resource in levels:
            total += n * resource
            n = math.ceil(n / factor)
        return total

    n = factor ** (len(levels) - 1)  # the fewest that climb the whole ladder
    if cost(n) > n_iter * levels[-1]:
        return n
    while cost(n + 1) <= n_iter * levels[-1]:
        n += 1
    return n


def _run_halving(instance, fidelity, n_iter, seed):
    n_candidates = halving_candidates(fidelity.levels, n_iter)
    search = HalvingRandomSearchCV(
        clone(instance.estimator), to_scipy(instance.space), n_candidates=n_candidates,
        factor=FACTOR, resource=fidelity.resource, min_resources=fidelity.levels[0],
        max_resources=fidelity.levels[-1], random_state=seed, **_common(instance),
    )
    run = _run_from_search(search, instance, fidelity)
    if search.n_resources_[-1] != fidelity.levels[-1]:
        raise RuntimeError(f"HalvingRandomSearchCV ended at {search.n_resources_[-1]}, "
                           f"not at the full resource {fidelity.levels[-1]}")
    run.info = {"n_candidates": n_candidates, "n_resources_": list(search.n_resources_),
                "n_candidates_": list(search.n_candidates_)}
    return run


def _run_sksearch(search_class, params, with_resource, instance, fidelity, n_iter, seed):
    more = {"resource": fidelity.resource, "min_resources": fidelity.levels[0],
            "max_resources": fidelity.levels[-1]} if with_resource else {}
    search = search_class(clone(instance.estimator), instance.space, n_iter=n_iter,
                          random_state=seed, **_common(instance), **params, **more)
    run = _run_from_search(search, instance, fidelity)
    run.info = {"stop_reason": getattr(search, "stop_reason_", None)}
    if with_resource:
        if list(search.n_resources_) != list(fidelity.levels):
            raise RuntimeError(f"sksearch's ladder {search.n_resources_} is not the "
                               f"benchmark's {fidelity.levels}")
        run.info.update(
            n_candidates_=list(search.n_candidates_),
            min_resources_=int(search.min_resources_),
            rung_agreement_={str(k): [float(v[0]), int(v[1])] + [float(x) for x in v[2:]]
                             for k, v in search.rung_agreement_.items()},
            dropped_rungs_=[{"resources": [int(r) for r in d["resources"]],
                             "agreement": float(d["agreement"]), "n_pairs": int(d["n_pairs"]),
                             "noise_chance": float(d.get("noise_chance", 0.0)),
                             "after_iteration": int(d.get("after_iteration", -1)),
                             "back_at_iteration": d.get("back_at_iteration")}
                            for d in search.dropped_rungs_],
        )
    return run


def _run_from_search(search, instance, fidelity):
    """Fit a ``BaseSearchCV`` and read its ``cv_results_`` rows, in evaluation order."""
    search.fit(instance.X_train, instance.y_train)
    results, n_splits = search.cv_results_, search.n_splits_
    top = fidelity.levels[-1]
    n_resources = results.get("n_resources", [top] * len(results["params"]))
    ids = _Ids()
    run = Run(best_estimator=search.best_estimator_)
    for params, r, fit, score in zip(results["params"], n_resources, results["mean_fit_time"],
                                     results["mean_test_score"]):
        key = {k: v for k, v in params.items() if k != fidelity.resource}
        run.add(r, fit * n_splits, score, ids(key))
    run.params = ids.params
    return run


# ---------------------------------------------------------------- Optuna and BOHB
class RungEvaluator:
    """Cross-validates a candidate at a rung of the ladder, as the sksearch
    searches do (``n_samples``: each training fold cut to the rung's share,
    the test folds whole), and records it in a :class:`Run`."""

    def __init__(self, instance, fidelity, seed):
        self.instance, self.fidelity = instance, fidelity
        self.splits = list(instance.cv.split(instance.X_train, instance.y_train))
        self.samples = None
        if fidelity.resource == "n_samples":
            self.samples = Resource("n_samples", fidelity.levels, stratify=True,
                                    n_samples=len(instance.X_train))
            self.samples.draw_training_orders(self.splits, instance.y_train, seed)
        self.run, self.spent = Run(), 0.0

    def __call__(self, params, level, candidate):
        estimator = clone(self.instance.estimator).set_params(**params)
        splits = self.splits
        if self.samples is not None:
            splits = self.samples.splits(self.splits, level)
        else:
            estimator.set_params(**{self.fidelity.resource: self.fidelity.levels[level]})
        # one thread here too: BOHB calls from its worker thread, which OpenMP
        # does not limit when the main thread is limited
        with threadpool_limits(1):
            out = cross_validate(estimator, self.instance.X_train, self.instance.y_train,
                                 cv=splits, scoring=self.instance.scoring, error_score=np.nan)
        score = float(np.mean(out["test_score"]))
        self.run.add(self.fidelity.levels[level], np.sum(out["fit_time"]), score, candidate)
        self.spent += self.fidelity.cost(level)
        return score

    def fits(self, level, n_iter, candidate=None):
        """Whether an evaluation at ``level`` stays within the budget."""
        return self.spent + self.fidelity.cost(level) <= n_iter + 1e-9

    def finish(self, decode=dict):
        """The run, with the best full-resource candidate refitted on all the training data."""
        run = self.run
        full = [i for i, r in enumerate(run.n_resources) if r == self.fidelity.levels[-1]
                and np.isfinite(run.score[i])]
        if full:
            best = max(full, key=lambda i: run.score[i])
            estimator = clone(self.instance.estimator).set_params(**decode(run.candidate[best]))
            run.best_estimator = estimator.fit(self.instance.X_train, self.instance.y_train)
        return run


def _run_optuna_hyperband(instance, fidelity, n_iter, seed, evaluator=RungEvaluator):
    """Optuna's TPE with its HyperbandPruner; ``evaluator(instance, fidelity, seed)``
    cross-validates a trial at a rung (by default from scratch)."""
    import optuna

    optuna.logging.set_verbosity(optuna.logging.WARNING)
    levels = fidelity.levels
    pruner = optuna.pruners.HyperbandPruner(min_resource=levels[0], max_resource=levels[-1],
                                            reduction_factor=FACTOR)
    study = optuna.create_study(direction="maximize", pruner=pruner,
                                sampler=optuna.samplers.TPESampler(seed=seed))
    distributions = to_optuna(instance.space)
    evaluate, params = evaluator(instance, fidelity, seed), {}
    while True:
        trial = study.ask(distributions)
        params[trial.number] = trial.params
        # The pruner first judges a trial of bracket b at levels[b] (its
        # min_early_stopping_rate is b): no rung below it is evaluated.
        if not pruner._pruners:
            pruner._try_initialization(study)
        first = pruner._get_bracket_id(study, trial)
        for level in range(first, len(levels)):
            if not evaluate.fits(level, n_iter, trial.number):
                return evaluate.finish(params.__getitem__)
            score = evaluate(trial.params, level, trial.number)
            if not np.isfinite(score):
                study.tell(trial, state=optuna.trial.TrialState.FAIL)
                break
            trial.report(score, levels[level])
            if level < len(levels) - 1 and trial.should_prune():
                study.tell(trial, state=optuna.trial.TrialState.PRUNED)
                break
        else:
            study.tell(trial, score)


def bohb_iterations(levels, n_iter, eta=FACTOR):
    """Hyperband iterations of hpbandster's BOHB whose planned cost first
    reaches ``n_iter`` full-resource fits (its schedule: iteration ``i``
    runs bracket ``s = s_max - i % (s_max + 1)`` with ``n_0 = floor((s_max + 1)
    / (s + 1)) * eta ** s`` configurations)."""
    s_max = len(levels) - 1
    spent, iterations = 0.0, 0
    while spent < n_iter:
        s = s_max - iterations % (s_max + 1)
        n0 = int(math.floor((s_max + 1) / (s + 1)) * eta**s)
        spent += sum(max(int(n0 * eta ** (-i)), 1) * levels[len(levels) - 1 - s + i]
                     / levels[-1] for i in range(s + 1))
        iterations += 1
    return iterations


def _run_bohb(instance, fidelity, n_iter, seed):
    import hpbandster.core.nameserver as hpns
    from hpbandster.core.worker import Worker
    from hpbandster.optimizers import BOHB

    for name in ("hpbandster", "Pyro4"):
        logging.getLogger(name).setLevel(logging.ERROR)
    space, decode = to_configspace(instance.space, seed)
    np.random.seed(seed)  # BOHB's model draws from numpy's global random state
    evaluate, ids = RungEvaluator(instance, fidelity, seed), _Ids()

    class CrossValidation(Worker):
        def compute(self, config_id, config, budget, **kwargs):
            level = fidelity.levels.index(int(round(budget)))
            if not evaluate.fits(level, n_iter):  # past the budget: not run, not counted
                return {"loss": 1e9, "info": {}}
            params = decode(config)
            score = evaluate(params, level, ids(params))
            return {"loss": -score if np.isfinite(score) else 1e9, "info": {}}

    run_id = f"mf-{os.getpid()}-{time.monotonic_ns()}"
    server = hpns.NameServer(run_id=run_id, host="127.0.0.1", port=0)
    host, port = server.start()
    try:
        worker = CrossValidation(run_id=run_id, nameserver=host, nameserver_port=port,
                                 host="127.0.0.1", logger=logging.getLogger("hpbandster"))
        worker.run(background=True)
        bohb = BOHB(configspace=space, run_id=run_id, nameserver=host, nameserver_port=port,
                    host="127.0.0.1", min_budget=fidelity.levels[0],
                    max_budget=fidelity.levels[-1], eta=FACTOR,
                    logger=logging.getLogger("hpbandster"))
        _plain_values(bohb)
        try:
            bohb.run(n_iterations=bohb_iterations(fidelity.levels, n_iter))
        finally:
            bohb.shutdown(shutdown_workers=True)
    finally:
        server.shutdown()
    return evaluate.finish(ids.params)


def _plain_values(bohb):
    """hpbandster sends budgets and configurations through Pyro's serializer,
    which refuses numpy scalars (numpy >= 2 and ConfigSpace >= 1 produce them):
    hand it Python floats and values instead."""
    bohb.budgets = [float(b) for b in bohb.budgets]
    get_config = bohb.config_generator.get_config

    def plain(budget):
        config, info = get_config(budget)
        return {k: v.item() if isinstance(v, np.generic) else v for k, v in config.items()}, info

    bohb.config_generator.get_config = plain


# ---------------------------------------------------------------- helpers
def _common(instance):
    return {"scoring": instance.scoring, "cv": instance.cv, "n_jobs": 1}


class _Ids:
    """Numbers candidates (parameter dicts) 0, 1, ... in order of first sight."""

    def __init__(self):
        self._ids, self._params = {}, []

    def __call__(self, params):
        key = repr(sorted(params.items()))
        if key not in self._ids:
            self._ids[key] = len(self._params)
            self._params.append(dict(params))
        return self._ids[key]

    def params(self, candidate):
        return self._params[candidate]


def _sksearch(name, search_class, **params):
    with_resource = not name.endswith("-full")
    return Method(name, "sksearch", ("sksearch",),
                  functools.partial(_run_sksearch, search_class, params, with_resource))


METHODS = {
    m.name: m
    for m in [
        Method("sklearn-random", "scikit-learn", ("sklearn",), _run_random),
        Method("sklearn-halving", "scikit-learn", ("sklearn",), _run_halving),
        Method("optuna-hyperband", "optuna", ("optuna",), _run_optuna_hyperband),
        Method("hpbandster-bohb", "hpbandster", ("hpbandster", "ConfigSpace"), _run_bohb),
        _sksearch("sksearch-bayes-gp", BayesSearchCV),
        _sksearch("sksearch-bayes-tpe", BayesSearchCV, surrogate="tpe"),
        _sksearch("sksearch-pso", PSOSearchCV),
        _sksearch("sksearch-ga", GeneticSearchCV),
        _sksearch("sksearch-bayes-gp-full", BayesSearchCV),
    ]
}

#: Multi-fidelity methods that are not sksearch's: what target (c) compares against.
COMPETITORS = ("sklearn-halving", "optuna-hyperband", "hpbandster-bohb")
#: sksearch's multi-fidelity searches; the first is the default search.
SKSEARCH_MF = ("sksearch-bayes-gp", "sksearch-bayes-tpe", "sksearch-pso", "sksearch-ga")
REFERENCE = "sklearn-random"
