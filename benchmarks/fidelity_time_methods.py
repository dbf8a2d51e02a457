"""The methods of the time-to-result benchmark (:mod:`benchmarks.fidelity_time`).

The scikit-learn searches and sksearch's come from
:mod:`benchmarks.fidelity_methods` unchanged; this module adds the two
competitors that continue a model instead of refitting it, both through a
:class:`ContinuingEvaluator`:

* ``optuna-hyperband-warm``: Optuna's TPE with its ``HyperbandPruner``, run
  as in ``optuna-hyperband``, but a trial's fold models are kept and grown
  from one rung to the next (``warm_start`` with a larger ``max_iter`` or
  ``n_estimators``, one ``partial_fit`` per epoch, more Keras epochs): a
  trial that reaches the full resource costs one full fit per fold.
* ``smac-multifidelity``: SMAC3's ``MultiFidelityFacade`` (random forest
  surrogate, Hyperband intensifier, ``eta`` = the factor) through its
  ask/tell interface, on the same ladder and with the same continuation
  of the configurations it promotes.

Both stop before an evaluation whose units would overrun the budget of
``n_iter`` full-resource fits per fold. ``n_samples`` cannot be continued:
there every rung is a fit from scratch, for every method.
Each sksearch strategy also runs with ``reuse_fits=True`` (``+reuse``) once
the search takes that parameter (:func:`takes_reuse_fits`), and with
``rung_cost="seconds"`` too (``+reuse+seconds``) once it takes that one.
"""

import inspect
import logging
import tempfile
import time
from collections import OrderedDict
from pathlib import Path

import numpy as np
from sklearn.base import clone
from sklearn.metrics import check_scoring
from sklearn.utils import _safe_indexing

from sksearch import BayesSearchCV, GeneticSearchCV, PSOSearchCV

from . import fidelity_methods as base
from .fidelity_methods import FACTOR, Method, RungEvaluator, _Ids, _sksearch
from .fit_timing import LEDGER, record
from .spaces import to_configspace

#: Candidates whose fold models a continuing evaluator keeps (the least recent go first).
MAX_KEPT = 32


# ---------------------------------------------------------------- continuing a fold model
def grow_warm_start(model, resource, value, held, X, y):
    """Add iterations or trees: ``warm_start`` with the larger resource."""
    model.set_params(warm_start=True, **{resource: value}).fit(X, y)


def grow_partial_fit(model, resource, value, held, X, y):
    """One ``partial_fit`` per further epoch (the optimizer's state is kept)."""
    for _ in range(value - held):
        model.partial_fit(X, y)
    model.set_params(**{resource: value})


def grow_keras(model, resource, value, held, X, y):
    """More epochs of the same Keras network."""
    target, weight = model._encode_target(np.asarray(y))
    start = time.process_time()
    model.model_.fit(np.asarray(X, dtype=np.float32), target, sample_weight=weight,
                     initial_epoch=held, epochs=value, batch_size=model.batch_size,
                     verbose=0)
    model.set_params(**{resource: value})
    model.timed_units_ = value
    record(model, time.process_time() - start, value - held, len(X))


class ContinuingEvaluator(RungEvaluator):
    """A :class:`~benchmarks.fidelity_methods.RungEvaluator` that keeps each
    candidate's fold models and ``grow`` s them to a higher rung instead of
    fitting new ones; the run's costs are the CPU seconds and units of the
    timed fits (:mod:`benchmarks.fit_timing`)."""

    def __init__(self, instance, fidelity, seed, grow=None):
        super().__init__(instance, fidelity, seed)
        self.grow = None if fidelity.resource == "n_samples" else grow
        self.kept = OrderedDict()  # candidate -> (resource held, fold models)
        self.scorer = check_scoring(instance.estimator, instance.scoring)
        self.units = 0

    def _held(self, candidate, level):
        held, _ = self.kept.get(candidate, (0, None))
        return held if self.grow and held < self.fidelity.levels[level] else 0

    def fits(self, level, n_iter, candidate=None):
        levels, k = self.fidelity.levels, self.fidelity.n_splits
        cost = (levels[level] - self._held(candidate, level)) * k
        return self.units + cost <= n_iter * levels[-1] * k + 1e-9

    def __call__(self, params, level, candidate):
        value, name = self.fidelity.levels[level], self.fidelity.resource
        held = self._held(candidate, level)
        models = self.kept.pop(candidate)[1] if held else [None] * len(self.splits)
        splits = self.samples.splits(self.splits, level) if self.samples else self.splits
        X, y, mark = self.instance.X_train, self.instance.y_train, len(LEDGER)
        scores = []
        for f, (train, test) in enumerate(splits):
            X_fit, y_fit = _safe_indexing(X, train), _safe_indexing(y, train)
            try:
                if models[f] is None:
                    models[f] = clone(self.instance.estimator).set_params(**params)
                    if name != "n_samples":
                        models[f].set_params(**{name: value})
                    models[f].fit(X_fit, y_fit)
                else:
                    self.grow(models[f], name, value, held, X_fit, y_fit)
                scores.append(self.scorer(models[f], _safe_indexing(X, test),
                                          _safe_indexing(y, test)))
            except Exception:  # a failed fit scores NaN, as error_score=np.nan does
                models[f] = None
                scores.append(np.nan)
        fits = LEDGER[mark:]
        units = sum(value if f.units is None else f.units for f in fits)
        if all(m is not None for m in models):
            self.kept[candidate] = (value, models)
            while len(self.kept) > MAX_KEPT:
                self.kept.popitem(last=False)
        score = float(np.mean(scores))
        self.run.add(value, sum(f.cpu for f in fits), score, candidate, units)
        self.units += units
        return score


# ---------------------------------------------------------------- the competitors
def run_optuna_warm(grow, instance, fidelity, n_iter, seed):
    def evaluator(instance, fidelity, seed):
        return ContinuingEvaluator(instance, fidelity, seed, grow)

    return base._run_optuna_hyperband(instance, fidelity, n_iter, seed, evaluator)


def run_smac(grow, instance, fidelity, n_iter, seed):
    from smac import MultiFidelityFacade, Scenario
    from smac.runhistory.dataclasses import TrialValue
    from smac.runhistory.enumerations import StatusType

    logging.getLogger("smac").setLevel(logging.ERROR)
    levels = fidelity.levels
    space, decode = to_configspace(instance.space, seed)
    evaluate, ids = ContinuingEvaluator(instance, fidelity, seed, grow), _Ids()
    with tempfile.TemporaryDirectory() as tmp:
        scenario = Scenario(space, deterministic=True, n_trials=100_000, seed=seed,
                            min_budget=levels[0], max_budget=levels[-1],
                            output_directory=Path(tmp) / "smac")
        smac = MultiFidelityFacade(
            scenario, lambda config, seed=0, budget=None: 0.0,  # ask/tell: never called
            intensifier=MultiFidelityFacade.get_intensifier(scenario, eta=FACTOR),
            overwrite=True, logging_level=logging.ERROR)
        while True:
            trial = smac.ask()
            level = int(np.argmin([abs(np.log(trial.budget / r)) for r in levels]))
            params = decode(trial.config)
            candidate = ids(params)
            if not evaluate.fits(level, n_iter, candidate):
                break
            score = evaluate(params, level, candidate)
            smac.tell(trial, TrialValue(cost=-score) if np.isfinite(score)
                      else TrialValue(cost=np.inf, status=StatusType.CRASHED))
    return evaluate.finish(ids.params)


def takes_reuse_fits(search_class):
    """Whether the sksearch search has a ``reuse_fits`` parameter (a newer engine)."""
    return "reuse_fits" in inspect.signature(search_class.__init__).parameters


def methods(grow):
    """Every method of the benchmark for a task whose models continue with ``grow``."""
    out = {name: base.METHODS[name] for name in ("sklearn-random", "sklearn-halving")}
    out["optuna-hyperband-warm"] = Method(
        "optuna-hyperband-warm", "optuna", ("optuna",),
        lambda *args: run_optuna_warm(grow, *args))
    out["smac-multifidelity"] = Method("smac-multifidelity", "smac", ("smac",),
                                       lambda *args: run_smac(grow, *args))
    for name, (cls, params) in SKSEARCH.items():
        if not takes_reuse_fits(cls):
            out[name] = _sksearch(name, cls, **params)
            continue
        # the plain name refits every rung from zero, as the engine did before reuse
        out[name] = _sksearch(name, cls, reuse_fits=False, **params)
        out[f"{name}+reuse"] = _sksearch(f"{name}+reuse", cls, reuse_fits=True, **params)
        if "rung_cost" in inspect.signature(cls.__init__).parameters:
            out[f"{name}+reuse+seconds"] = _sksearch(f"{name}+reuse+seconds", cls,
                                                     reuse_fits=True, rung_cost="seconds",
                                                     **params)
    return out


#: sksearch's multi-fidelity searches; the first is the default.
SKSEARCH = {"sksearch-bayes-gp": (BayesSearchCV, {}),
            "sksearch-bayes-tpe": (BayesSearchCV, {"surrogate": "tpe"}),
            "sksearch-pso": (PSOSearchCV, {}),
            "sksearch-ga": (GeneticSearchCV, {})}
DEFAULT = "sksearch-bayes-gp"
REFERENCE = base.REFERENCE
