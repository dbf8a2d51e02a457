"""Fit reuse across rungs: a promoted candidate continues its fold models.

A candidate promoted from ``n_estimators=30`` to ``90`` pays for 60 more
trees, not for 90 new ones. :func:`how_it_continues` says whether and how an
estimator grows a fitted model along its resource; :class:`Continuation`
keeps the fold models of the last rung (within a memory bound) and tells
the fitting layer, per candidate, what to fit: from zero, on from a kept
model, or, when a resumed search lost the models its journal was written
with, the same chain of fits again, so that the result equals the
uninterrupted run.

The estimators that continue, each by its own ``warm_start`` (a continued
fit equals what the estimator gives when warm-started by hand):

* ``n_estimators`` of the forests, extra trees, gradient boosting and
  bagging: the new total is set, and only the new members are fitted (the
  result is the fresh fit's, member by member);
* ``max_iter`` of ``HistGradientBoostingClassifier``/``Regressor``: the new
  total is set, the boosting goes on from the iterations it has;
* ``max_iter`` of ``MLPClassifier``/``MLPRegressor`` and ``SGDClassifier``/
  ``SGDRegressor``: the difference is trained on from the weights reached
  (as their ``warm_start`` does, the optimizer's step-size state starts
  afresh: a continued network may differ slightly from one trained in one go);
* ``epochs`` of the Keras wrappers: the new total is set and the network
  trains on from its weights and optimizer state (``initial_epoch``);
* a Pipeline whose resource belongs to one of these steps (the steps before
  it are fitted again, on the same data: a transformer is cheap next to
  the model it feeds).

Anything else (``n_samples``, an estimator without ``warm_start``) is
fitted from zero at every rung.
"""

import sys

import numpy as np
from sklearn.ensemble import (
    BaggingClassifier,
    BaggingRegressor,
    ExtraTreesClassifier,
    ExtraTreesRegressor,
    GradientBoostingClassifier,
    GradientBoostingRegressor,
    HistGradientBoostingClassifier,
    HistGradientBoostingRegressor,
    RandomForestClassifier,
    RandomForestRegressor,
)
from sklearn.linear_model import SGDClassifier, SGDRegressor
from sklearn.neural_network import MLPClassifier, MLPRegressor

#: (estimator classes, resource parameter, how the parameter is set to continue):
#: "total" sets the new value, "more" the resource still to train.
CONTINUATIONS = (
    ((RandomForestClassifier, RandomForestRegressor, ExtraTreesClassifier,
      ExtraTreesRegressor, GradientBoostingClassifier, GradientBoostingRegressor,
      BaggingClassifier, BaggingRegressor), "n_estimators", "total"),
    ((HistGradientBoostingClassifier, HistGradientBoostingRegressor), "max_iter", "total"),
    ((MLPClassifier, MLPRegressor, SGDClassifier, SGDRegressor), "max_iter", "more"),
)

#: Share of the machine's memory that kept fold models may take by default.
DEFAULT_MEMORY_SHARE = 0.1


def how_it_continues(estimator, resource):
    """``"total"``, ``"more"`` or None: how ``estimator`` continues along ``resource``.

    Examples
    --------
    >>> from sklearn.ensemble import RandomForestClassifier
    >>> from sklearn.pipeline import make_pipeline
    >>> from sklearn.preprocessing import StandardScaler
    >>> from sklearn.svm import SVC
    >>> how_it_continues(RandomForestClassifier(), "n_estimators")
    'total'
    >>> how_it_continues(make_pipeline(StandardScaler(), RandomForestClassifier()),
    ...                  "randomforestclassifier__n_estimators")
    'total'
    >>> how_it_continues(SVC(), "max_iter") is None
    True
    """
    step, _, name = resource.rpartition("__")
    owner = estimator.get_params(deep=True)[step] if step else estimator
    if "warm_start" not in owner.get_params(deep=False):
        return None
    for classes, parameter, how in CONTINUATIONS:
        if name == parameter and isinstance(owner, classes):
            return how
    if name == "epochs" and any(c.__module__.startswith("sksearch.keras")
                                for c in type(owner).__mro__):  # a wrapper or a subclass
        # imported here: the Keras wrappers need a newer scikit-learn than the engine
        from ...keras._estimator import KerasEstimator

        return "total" if isinstance(owner, KerasEstimator) else None
    return None


def default_memory():
    """Bytes that kept fold models may take: :data:`DEFAULT_MEMORY_SHARE` of the RAM."""
    try:
        import os

        total = os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES")
    except (AttributeError, ValueError, OSError):  # pragma: no cover - not POSIX
        total = 8 * 2**30
    return int(DEFAULT_MEMORY_SHARE * total)


class Continuation:
    """The fold models kept for promotion, and what each candidate fits next.

    Parameters
    ----------
    resource : Resource
        The search's resource (an estimator parameter).
    how : {"total", "more"}
        See :func:`how_it_continues`.
    n_splits : int
    max_bytes : int
        Bound on the kept models' size (:func:`model_bytes`); beyond it the models
        kept longest are dropped, then those of a rung's last candidates, and
        those candidates are fitted from zero if promoted.

    Attributes
    ----------
    history : dict
        Candidate key -> the resources it was evaluated at, in order.
    """

    def __init__(self, resource, how, n_splits, max_bytes):
        self.resource, self.how, self.n_splits, self.max_bytes = resource, how, n_splits, max_bytes
        self.history = {}
        self._kept = {}  # key -> (resource, [fold model or None], bytes), oldest first
        self._dropped = set()  # keys whose models the bound dropped

    @property
    def warm_start(self):
        step, _, _ = self.resource.name.rpartition("__")
        return f"{step}__warm_start" if step else "warm_start"

    def note(self, keys, value):
        """Candidates ``keys`` are evaluated at ``value`` (fitted, replayed or reused)."""
        for key in keys:
            self.history.setdefault(key, []).append(value)

    def plan(self, keys, candidates):
        """For each candidate: ``(fold models to continue or None, the chain of
        parameter dicts to fit, the resource it continues from or 0)``."""
        plans = []
        for key, params in zip(keys, candidates):
            target = params[self.resource.name]
            earlier = [v for v in self.history.get(key, [])[:-1] if v < target]
            kept = self._kept.pop(key, None)  # continued now: no longer kept
            if not earlier or key in self._dropped or (
                    kept is not None and (kept[0] != earlier[-1] or None in kept[1])):
                plans.append((None, [params], 0))
            elif kept is not None:
                plans.append((kept[1], [self._step(params, earlier[-1], target)],
                              earlier[-1]))
            else:  # a resumed search: the chain its journal was written with, again
                chain = [{**params, self.resource.name: earlier[0]}]
                chain += [self._step(params, a, b)
                          for a, b in zip(earlier, earlier[1:] + [target])]
                plans.append((None, chain, earlier[-1]))
        return plans

    def keeps(self, candidates):
        """Whether the fold models of a batch of ``candidates`` may be continued
        (they are below the full resource)."""
        return bool(candidates) and candidates[0][self.resource.name] < self.resource.ladder[-1]

    def keep(self, keys, models):
        """Keep the fold models of the rung just fitted, beside those kept before (a
        bracket's first climb promotes again from rungs fitted before the last one),
        within ``max_bytes``: the models kept longest go first, then the rung's last."""
        for key, folds in zip(keys, models):
            self._kept.pop(key, None)  # re-entered as the newest
            self._kept[key] = (self.history[key][-1], list(folds),
                               sum(model_bytes(m) for m in folds if m is not None))
        size = sum(entry[2] for entry in self._kept.values())
        new = set(keys)
        for key in [k for k in self._kept if k not in new] + list(keys)[::-1]:
            if size <= self.max_bytes:
                break
            size -= self._kept.pop(key)[2]
            self._dropped.add(key)

    def _step(self, params, done, target):
        """The parameters that take a model trained to ``done`` on to ``target``."""
        value = target if self.how == "total" else target - done
        return {**params, self.resource.name: int(value), self.warm_start: True}


def model_bytes(model):
    """About the memory a fitted model holds: its arrays' bytes plus every other
    object's own size, following the state each object would pickle
    (attributes, containers, estimators, compiled trees; each object once).
    Works on any object, picklable or not.

    Examples
    --------
    >>> import numpy as np
    >>> class Model:
    ...     pass
    >>> model = Model()
    >>> model.coef_ = np.zeros(1000)
    >>> model_bytes(model) >= 8000
    True
    """
    seen, stack, total = set(), [model], 0
    states = []  # the states made here stay alive, so that no id is reused
    while stack:
        obj = stack.pop()
        if id(obj) in seen:
            continue
        seen.add(id(obj))
        if isinstance(obj, np.ndarray):
            total += obj.nbytes
            if obj.dtype == object:
                stack.extend(obj.ravel().tolist())
            continue
        total += sys.getsizeof(obj, 64)
        if isinstance(obj, dict):
            stack.extend(obj.values())
        elif isinstance(obj, (list, tuple, set, frozenset)):
            stack.extend(obj)
        elif not isinstance(obj, (type, str, bytes, int, float, complex)) and obj is not None:
            try:  # what pickling would save: also the arrays of compiled objects (trees)
                state = obj.__getstate__()
            except Exception:  # noqa: BLE001 - an object that refuses: its own size only
                state = None
            if state is not None:
                states.append(state)
                stack.append(state)
    return total


def continued_from(records, n_splits):
    """The ``continued_from`` of each candidate of a batch's records (0: from zero)."""
    values = [r.get("continued_from", 0) for r in records[::n_splits]]
    return np.asarray(values, dtype=np.int64)
