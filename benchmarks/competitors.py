"""Every strategy of the benchmark, run the same way and timed the same way.

A :class:`Strategy` runs one search on one task instance with a budget of
``n_iter`` candidates, ``n_jobs=1``, the instance's ``cv`` and scoring, and
returns a :class:`Trace`: the mean CV score of every evaluation in order,
the time spent in fits and in scoring, the optimizer's own time and the
refit best estimator.

How the optimizer's own time is measured (it is reported with each record):

* sksearch, nevergrad, scikit-optimize: a proxy times every ``ask`` and
  ``tell`` of the optimizer the search builds (``_make_optimizer``).
* Optuna: a proxy sampler times every call to the sampler (TPE or GP).
* sklearn-genetic-opt: the search's time before refit minus the time spent
  in its ``evaluate`` (cross-validation of one individual): the DEAP loop.
* ``RandomizedSearchCV`` / ``GridSearchCV``: the time to draw the same
  candidates again with ``ParameterSampler`` / ``ParameterGrid``.
"""

import functools
import importlib
import random
import time
from dataclasses import dataclass

import numpy as np
from sklearn.base import clone
from sklearn.model_selection import (
    GridSearchCV,
    ParameterGrid,
    ParameterSampler,
    RandomizedSearchCV,
)

from sksearch._testing import ClockedOptimizer

from .spaces import (
    genetic_schedule,
    grid_size,
    to_grid,
    to_optuna,
    to_scipy,
    to_skopt,
    to_sklearn_genetic,
)


@dataclass
class Trace:
    """What one search did, in the same terms for every library."""

    scores: list  # mean CV score of each evaluation, in order (NaN: failed)
    n_distinct: int  # distinct candidates among them
    fit_time: float  # seconds in estimator fits, all folds
    score_time: float  # seconds scoring the test folds
    optimizer_time: float  # the strategy's own proposing and learning
    refit_time: float
    wall_time: float  # the whole fit, refit included
    best_estimator: object
    stop_reason: str = None


@dataclass(frozen=True)
class Strategy:
    """A named way to search; ``run(instance, n_iter, seed)`` returns a :class:`Trace`."""

    name: str
    library: str
    modules: tuple  # what must import for the strategy to run
    run: object
    optimizer_time_how: str

    def unavailable(self):
        """None if the strategy can run here, else why not."""
        for module in self.modules:
            try:
                importlib.import_module(module)
            except Exception as exc:  # not installed, or broken by another version
                return f"{module} cannot be imported ({type(exc).__name__}: {exc})"
        return None


# ---------------------------------------------------------------- sksearch
_SKSEARCH_MODULES = {"PSOSearchCV": "_pso", "GeneticSearchCV": "_genetic",
                     "BayesSearchCV": "_bayes"}


def _sksearch_class(name):
    """The sksearch search class, from the package or (until exported) its module."""
    for module in ("sksearch", f"sksearch.{_SKSEARCH_MODULES.get(name, '')}"):
        try:
            found = getattr(importlib.import_module(module), name, None)
        except ImportError:
            continue
        if found is not None:
            return found
    return None


def _run_sksearch(class_name, params, instance, n_iter, seed):
    search = _clocked(_sksearch_class(class_name))(
        clone(instance.estimator), instance.space, n_iter=n_iter, n_jobs=1,
        **_common(instance), random_state=seed, **params,
    )
    return _trace_from_search(search, instance)


def _run_nevergrad(method, instance, n_iter, seed):
    from .nevergrad_search import NevergradSearchCV

    search = _clocked(NevergradSearchCV)(
        clone(instance.estimator), instance.space, method=method, n_iter=n_iter, n_jobs=1,
        **_common(instance), random_state=seed,
    )
    return _trace_from_search(search, instance)


# ---------------------------------------------------------------- scikit-learn
def _run_random(instance, n_iter, seed):
    distributions = to_scipy(instance.space)
    search = RandomizedSearchCV(clone(instance.estimator), distributions, n_iter=n_iter,
                                n_jobs=1, random_state=seed, **_common(instance))
    trace = _trace_from_search(search, instance)
    start = time.perf_counter()
    list(ParameterSampler(distributions, n_iter, random_state=seed))
    trace.optimizer_time = time.perf_counter() - start
    return trace


def _run_grid(instance, n_iter, seed):
    grid = to_grid(instance.space, n_iter)
    search = GridSearchCV(clone(instance.estimator), grid, n_jobs=1, **_common(instance))
    trace = _trace_from_search(search, instance)
    start = time.perf_counter()
    list(ParameterGrid(grid))
    trace.optimizer_time = time.perf_counter() - start
    assert grid_size(grid) == len(trace.scores)
    return trace


# ---------------------------------------------------------------- competitors
def _run_skopt(instance, n_iter, seed):
    from skopt import BayesSearchCV

    search = _clocked(BayesSearchCV)(clone(instance.estimator), to_skopt(instance.space),
                                     n_iter=n_iter, n_jobs=1, random_state=seed,
                                     **_common(instance))
    return _trace_from_search(search, instance)


def _run_optuna(sampler_name, instance, n_iter, seed):
    import optuna
    from optuna_integration import OptunaSearchCV

    optuna.logging.set_verbosity(optuna.logging.WARNING)
    sampler = _clocked_sampler_class()(getattr(optuna.samplers, sampler_name)(seed=seed))
    study = optuna.create_study(direction="maximize", sampler=sampler)
    search = OptunaSearchCV(clone(instance.estimator), to_optuna(instance.space),
                            n_trials=n_iter, n_jobs=1, random_state=seed, study=study,
                            **_common(instance))
    wall = _timed_fit(search, instance)
    trials = search.trials_
    n_splits = search.n_splits_
    scores = [np.nan if t.value is None else float(t.value) for t in trials]
    fit = sum(t.user_attrs.get("mean_fit_time", 0.0) for t in trials) * n_splits
    score = sum(t.user_attrs.get("mean_score_time", 0.0) for t in trials) * n_splits
    distinct = len({repr(sorted(t.params.items())) for t in trials})
    return Trace(scores, distinct, fit, score, sampler.seconds, search.refit_time_, wall,
                 search.best_estimator_)


def _run_sklearn_genetic(instance, n_iter, seed):
    from sklearn_genetic import GASearchCV

    grid = to_sklearn_genetic(instance.space)  # its Categorical reseeds `random` from the OS
    # GASearchCV has no random_state: it draws from `random` and numpy's global state.
    random.seed(seed)
    np.random.seed(seed)
    population, generations = genetic_schedule(n_iter)
    search = _evaluate_clocked(GASearchCV)(
        clone(instance.estimator), cv=instance.cv, param_grid=grid,
        scoring=instance.scoring, population_size=population, generations=generations,
        n_jobs=1, verbose=False,
    )
    wall = _timed_fit(search, instance)
    records = search.logbook.chapters["parameters"]
    scores = [float(r["score"]) for r in records]
    unique = {r["index"]: r for r in records}  # a cached individual is logged again
    fit = sum(float(np.sum(r["fit_time"])) for r in unique.values())
    score = sum(float(np.sum(r["score_time"])) for r in unique.values())
    own = wall - search.refit_time_ - search.evaluate_seconds
    return Trace(scores, len(unique), fit, score, own, search.refit_time_, wall,
                 search.best_estimator_)


# ---------------------------------------------------------------- shared helpers
def _common(instance):
    return {"scoring": instance.scoring, "cv": instance.cv}


def _timed_fit(search, instance):
    start = time.perf_counter()
    search.fit(instance.X_train, instance.y_train)
    return time.perf_counter() - start


def _trace_from_search(search, instance):
    """Fit a ``BaseSearchCV`` and read its ``cv_results_`` (evaluation order)."""
    wall = _timed_fit(search, instance)
    results, n_splits = search.cv_results_, search.n_splits_
    clocks = getattr(search, "clocks_", [])
    return Trace(
        scores=[float(s) for s in results["mean_test_score"]],
        n_distinct=len({repr(sorted(p.items())) for p in results["params"]}),
        fit_time=float(np.sum(results["mean_fit_time"])) * n_splits,
        score_time=float(np.sum(results["mean_score_time"])) * n_splits,
        optimizer_time=sum(clock.seconds for clock in clocks),
        refit_time=float(getattr(search, "refit_time_", 0.0)),
        wall_time=wall,
        best_estimator=search.best_estimator_,
        stop_reason=getattr(search, "stop_reason_", None),
    )


def _timed(target, method):
    """A method that calls ``self.<target>.<method>`` and adds its duration, by
    ``self.clock``, to ``self.seconds``."""

    def call(self, *args, **kwargs):
        start = self.clock()
        try:
            return getattr(getattr(self, target), method)(*args, **kwargs)
        finally:
            self.seconds += self.clock() - start

    call.__name__ = method
    return call


@functools.cache
def _clocked(search_class):
    """``search_class`` whose optimizers (from ``_make_optimizer``) are timed in ``clocks_``."""

    def _make_optimizer(self, *args, **kwargs):
        clock = ClockedOptimizer(search_class._make_optimizer(self, *args, **kwargs))
        self.clocks_ = [*getattr(self, "clocks_", []), clock]
        return clock

    return type(search_class.__name__, (search_class,), {"_make_optimizer": _make_optimizer,
                                                         "__module__": __name__})


@functools.cache
def _evaluate_clocked(search_class):
    """``GASearchCV`` whose ``evaluate`` (one individual's CV) is timed in ``evaluate_seconds``."""

    def evaluate(self, individual):
        start = time.perf_counter()
        try:
            return search_class.evaluate(self, individual)
        finally:
            self.evaluate_seconds = (getattr(self, "evaluate_seconds", 0.0)
                                     + time.perf_counter() - start)

    return type(search_class.__name__, (search_class,), {"evaluate": evaluate,
                                                         "__module__": __name__})


@functools.cache
def _clocked_sampler_class():
    """An Optuna sampler that times every call to the sampler it wraps."""
    from optuna.samplers import BaseSampler

    methods = ("infer_relative_search_space", "sample_relative", "sample_independent",
               "before_trial", "after_trial", "reseed_rng")

    def __init__(self, sampler):
        self.sampler, self.seconds, self.clock = sampler, 0.0, time.perf_counter

    return type("ClockedSampler", (BaseSampler,),
                {"__init__": __init__, **{m: _timed("sampler", m) for m in methods}})


_PROXY = "ask + tell of the optimizer, timed by a proxy"
STRATEGIES = {
    s.name: s
    for s in [
        Strategy("sksearch-pso", "sksearch", ("sksearch._pso_search",),
                 functools.partial(_run_sksearch, "PSOSearchCV", {}), _PROXY),
        Strategy("sksearch-ga", "sksearch", ("sksearch._genetic_search",),
                 functools.partial(_run_sksearch, "GeneticSearchCV", {}), _PROXY),
        Strategy("sksearch-bayes-gp", "sksearch", ("sksearch._bayes_search",),
                 functools.partial(_run_sksearch, "BayesSearchCV", {"surrogate": "gp"}),
                 _PROXY),
        Strategy("sksearch-bayes-tpe", "sksearch", ("sksearch._bayes_search",),
                 functools.partial(_run_sksearch, "BayesSearchCV", {"surrogate": "tpe"}),
                 _PROXY),
        Strategy("sklearn-random", "scikit-learn", ("sklearn",), _run_random,
                 "drawing the same candidates with ParameterSampler"),
        Strategy("sklearn-grid", "scikit-learn", ("sklearn",), _run_grid,
                 "listing the same grid with ParameterGrid"),
        Strategy("skopt-bayes", "scikit-optimize", ("skopt",), _run_skopt, _PROXY),
        Strategy("optuna-tpe", "optuna", ("optuna", "optuna_integration"),
                 functools.partial(_run_optuna, "TPESampler"),
                 "every call to the TPE sampler, timed by a proxy sampler"),
        Strategy("optuna-gp", "optuna", ("optuna", "optuna_integration", "torch"),
                 functools.partial(_run_optuna, "GPSampler"),
                 "every call to the GP sampler, timed by a proxy sampler"),
        Strategy("sklearn-genetic-opt", "sklearn-genetic-opt", ("sklearn_genetic",),
                 _run_sklearn_genetic, "search time before refit minus time in evaluate"),
        Strategy("nevergrad-pso", "nevergrad", ("nevergrad",),
                 functools.partial(_run_nevergrad, "PSO"), _PROXY),
        Strategy("nevergrad-de", "nevergrad", ("nevergrad",),
                 functools.partial(_run_nevergrad, "TwoPointsDE"), _PROXY),
        Strategy("nevergrad-ngopt", "nevergrad", ("nevergrad",),
                 functools.partial(_run_nevergrad, "NGOpt"), _PROXY),
    ]
}
