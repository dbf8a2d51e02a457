"""The identity of a search's fit: everything that decides a candidate's score.

A checkpoint's header holds :func:`fingerprint`; a journal is resumed only
when every field of :data:`IDENTITY_FIELDS` is equal. The text of each field
is canonical (no memory addresses, sets in sorted order, estimators by their
parameters), so it is the same in every process and under every
``PYTHONHASHSEED``; data are hashed with :func:`joblib.hash`.
"""

import hashlib
import re
from numbers import Integral

import numpy as np
from joblib import hash as joblib_hash
from sklearn.base import BaseEstimator

from ..space import Categorical

#: Header fields that must be equal for a journal to be resumed, in the
#: order they are compared (the error names the first that differs).
IDENTITY_FIELDS = ("search", "search_params", "estimator", "estimator_params", "space",
                   "scoring", "objective", "error_score", "return_train_score", "cv",
                   "data", "fit_params")
#: Search parameters that change how a search runs, not what it scores:
#: a journal can be resumed with other values (a larger n_iter continues it).
RUNTIME_PARAMS = ("n_iter", "n_jobs", "pre_dispatch", "verbose", "max_time",
                  "n_iter_no_change", "tol", "checkpoint", "batch_callbacks", "refit")
#: Search parameters that have fields of their own.
OWN_FIELDS = ("estimator", "param_distributions", "scoring", "error_score",
              "return_train_score", "cv", "random_state")


def fingerprint(search, space, splits, X, y, params, *, seed, budget):
    """The header of ``search``'s journal for this fit.

    Parameters
    ----------
    search : BaseOptimizerSearch
    space : Space
        The space being searched.
    splits : list of (train, test)
        The folds drawn for this fit.
    X, y : the data passed to ``fit``.
    params : dict
        The fit parameters passed to ``fit`` (``sample_weight``, ``groups``, ...).
    seed : int
        The optimizer's seed.
    budget : int
        The ``n_iter`` that the strategy's defaults are sized for.
    """
    strategy = {k: v for k, v in search.get_params(deep=False).items()
                if k not in RUNTIME_PARAMS + OWN_FIELDS}
    estimator = type(search.estimator)
    digest = hashlib.sha256()
    for train, test in splits:
        digest.update(np.asarray(train, dtype=np.int64).tobytes() + b"/")
        digest.update(np.asarray(test, dtype=np.int64).tobytes() + b"|")
    return {
        "search": type(search).__name__,
        "search_params": {k: canonical(v) for k, v in sorted(strategy.items())},
        "estimator": f"{estimator.__module__}.{estimator.__qualname__}",
        "estimator_params": {k: canonical(v)
                             for k, v in sorted(search.estimator.get_params(deep=True).items())},
        "space": canonical(space.subspaces),
        "scoring": canonical(search.scoring),
        "objective": search.refit if isinstance(search.refit, str) else "",
        "error_score": canonical(search.error_score),
        "return_train_score": bool(search.return_train_score),
        "cv": f"{len(splits)} splits of {_n_samples(X)} samples, {digest.hexdigest()[:32]}",
        "data": {"X": _describe(X), "y": _describe(y)},
        "fit_params": {k: _describe(v) for k, v in sorted(params.items())},
        "budget": int(budget),
        "seed": int(seed),
        "fixed_seed": isinstance(search.random_state, Integral),
    }


def canonical(value):
    """A text of ``value`` that is the same in every process.

    Examples
    --------
    >>> from sklearn.svm import SVC
    >>> from sksearch.engine._fingerprint import canonical
    >>> canonical({"kernel": {"rbf", "linear"}, "model": SVC(C=2.0), "f": len})
    "{'kernel': {'linear', 'rbf'}, 'model': SVC(C=2.0, ...), 'f': <built-in function len>}"
    """
    if isinstance(value, dict):
        return "{" + ", ".join(f"{canonical(k)}: {canonical(v)}" for k, v in value.items()) + "}"
    if isinstance(value, (set, frozenset)):
        return "{" + ", ".join(sorted(canonical(v) for v in value)) + "}"
    if isinstance(value, list):
        return "[" + ", ".join(canonical(v) for v in value) + "]"
    if isinstance(value, tuple):
        return "(" + ", ".join(canonical(v) for v in value) + ("," if len(value) == 1 else "") + ")"
    if isinstance(value, np.ndarray):
        return f"array({canonical(value.tolist())}, dtype={value.dtype})"
    if isinstance(value, Categorical):
        return f"Categorical({canonical(value.choices)})"
    if isinstance(value, BaseEstimator):
        params = ", ".join(f"{k}={canonical(v)}"
                           for k, v in sorted(value.get_params(deep=False).items()))
        return f"{type(value).__name__}({params})"
    return re.sub(r" at 0x[0-9a-fA-F]+", "", repr(value))


def _n_samples(X):
    return X.shape[0] if hasattr(X, "shape") else len(X)


def _describe(value):
    """Shape, type and content hash of a data argument."""
    if value is None:
        return "None"
    shape = getattr(value, "shape", None)
    if shape is None and hasattr(value, "__len__"):
        shape = (len(value),)
    dtype = getattr(value, "dtype", None)
    dtype = type(value).__name__ if dtype is None else dtype
    return f"{shape} {dtype} {joblib_hash(value)}"
