"""CPU seconds and resource units of every fit, whoever calls it.

:func:`timed` turns an estimator into an instance of a subclass of its own
class whose ``fit`` (and ``partial_fit``) measure the process's CPU time
(``time.process_time``: every thread of the process, not the wall clock, so
that other work on the machine does not count) and the resource units the
call trained, and append a :class:`Fit` to :data:`LEDGER`. The subclass
keeps the class's parameters, so searches clone, set and fit it as the
original; :func:`attribute` then gives each row of a search's results the
CPU and units of its own fold fits.

Units trained by one call: a warm-started ``HistGradientBoosting*`` or
forest counts only the iterations or trees it added; an MLP counts the
epochs it ran (``n_iter_``: fewer than ``max_iter`` when it converged; one
per ``partial_fit``); a Keras wrapper the epochs of its history; any other
estimator the value of its resource parameter, and ``None`` for the
``n_samples`` resource (the run counts the rung's nominal value).
"""

import time
from collections import defaultdict, deque
from dataclasses import dataclass

import numpy as np

#: Every timed fit since the last ``LEDGER.clear()``, in order.
LEDGER = []


@dataclass(frozen=True)
class Fit:
    key: str  # the searched parameters' values (:func:`params_key`), the resource left out
    cpu: float  # CPU seconds of the process inside the call
    units: object  # resource units trained by the call (None: the rung's nominal value)
    n_samples: int


def params_key(params, names):
    """A canonical string of ``params`` restricted to ``names``."""
    return repr(sorted((n, _plain(params[n])) for n in names))


def record(model, cpu, units, n_samples):
    """Append one call's costs to :data:`LEDGER` (continuations that bypass ``fit``)."""
    params = model.get_params(deep=False)
    LEDGER.append(Fit(params_key(params, model.timed_names), float(cpu), units, int(n_samples)))


class _TimedFit:
    """Mixin of the timed subclasses; ``timed_names`` and ``timed_resource`` are set
    on each subclass by :func:`timed`."""

    timed_names = ()
    timed_resource = None

    def fit(self, X, y=None, **params):
        return self._timed_call(super().fit, False, X, y, params)

    def _timed_call(self, call, incremental, X, y, params):
        continues = hasattr(self, "n_features_in_") and (incremental or _warm(self))
        held = _held(self) if continues else 0
        start, done = time.process_time(), False
        try:
            fitted = call(X, y, **params)
            done = True
            return fitted
        finally:  # a failed fit costs its seconds and trains nothing
            cpu = time.process_time() - start
            record(self, cpu, _trained(self, held, incremental) if done else 0, len(X))


class _TimedPartialFit(_TimedFit):
    def partial_fit(self, X, y=None, **params):
        return self._timed_call(super().partial_fit, True, X, y, params)


_CLASSES = {}


def timed(estimator, names, resource):
    """``estimator`` as an instance of its timed subclass, with the same parameters.

    ``names`` are the searched parameters (they identify a candidate in the
    ledger), ``resource`` the task's resource.
    """
    cls = type(estimator)
    key = (cls, tuple(names), resource)
    if key not in _CLASSES:
        mixin = _TimedPartialFit if hasattr(cls, "partial_fit") else _TimedFit
        _CLASSES[key] = type(f"Timed{cls.__name__}", (mixin, cls),
                             {"timed_names": tuple(names), "timed_resource": resource,
                              "__module__": __name__})
    return _CLASSES[key](**estimator.get_params(deep=False))


def attribute(rows, n_splits, refit_samples):
    """CPU seconds and units of each row's fold fits, from :data:`LEDGER`.

    ``rows`` are (candidate key, nominal units of the row) in evaluation
    order; each takes the first ``n_splits`` unclaimed fits of its candidate
    (fewer if the search answered some folds without fitting). Returns the
    per-row CPU and units and the CPU of fits no row claimed, the final
    refit (a fit on ``refit_samples`` samples) left out.
    """
    queues = defaultdict(deque)
    for i, fit in enumerate(LEDGER):
        queues[fit.key].append(i)
    claimed, cpu, units = set(), [], []
    for key, nominal in rows:
        mine = [queues[key].popleft() for _ in range(min(n_splits, len(queues[key])))]
        claimed.update(mine)
        cpu.append(sum(LEDGER[i].cpu for i in mine))
        trained = [LEDGER[i].units for i in mine]
        units.append(nominal if None in trained else int(sum(trained)))
    rest = [f for i, f in enumerate(LEDGER) if i not in claimed]
    if rest and rest[-1].n_samples == refit_samples:
        rest = rest[:-1]
    return cpu, units, float(sum(f.cpu for f in rest))


# ---------------------------------------------------------------- units held by a model
def _warm(model):
    return bool(getattr(model, "warm_start", False))


def _held(model):
    """Units a fitted model holds: iterations, trees or epochs (0 when unknown)."""
    if hasattr(model, "estimators_") and isinstance(model.estimators_, list):
        return len(model.estimators_)
    return int(getattr(model, "timed_units_", 0))


def _trained(model, held, incremental):
    if model.timed_resource == "n_samples":
        return None
    if hasattr(model, "estimators_") and isinstance(model.estimators_, list):  # a forest
        return len(model.estimators_) - held
    if hasattr(model, "history_"):  # a Keras wrapper: the epochs of this call
        done = len(next(iter(model.history_.values()), []))
    elif hasattr(model, "loss_curve_") or incremental:  # an MLP: n_iter_ counts this call
        done = int(getattr(model, "n_iter_", 1))
    elif hasattr(model, "n_iter_"):  # boosting: n_iter_ counts every iteration it holds
        done = int(np.max(model.n_iter_)) - held
    else:
        done = int(model.get_params()[model.timed_resource])
    model.timed_units_ = held + done
    return done


def _plain(value):
    return value.item() if isinstance(value, np.generic) else value
