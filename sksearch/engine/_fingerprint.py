"""The identity of a search's fit: everything that decides a candidate's score.

A checkpoint's header holds :func:`fingerprint`; a journal is resumed only
when every field of :data:`IDENTITY_FIELDS` is equal. The text of each field
is canonical (no memory addresses, sets in sorted order, estimators by their
parameters), so it is the same in every process and under every
``PYTHONHASHSEED``; data are hashed with :func:`joblib.hash`.
"""

import functools
import hashlib
import re
import types
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


class Unidentifiable(Exception):
    """A value whose identity cannot be written down (an unpicklable object, say)."""


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

    Returns
    -------
    dict
        The header. Its ``unidentifiable`` maps each parameter whose identity
        cannot be written down (``"fit_params['on_epoch']"``) to why: such a
        search cannot be checkpointed nor reused, and computing the header
        never fails on it.
    """
    strategy = {k: v for k, v in search.get_params(deep=False).items()
                if k not in RUNTIME_PARAMS + OWN_FIELDS}
    estimator = type(search.estimator)
    digest = hashlib.sha256()
    for train, test in splits:
        digest.update(np.asarray(train, dtype=np.int64).tobytes() + b"/")
        digest.update(np.asarray(test, dtype=np.int64).tobytes() + b"|")
    unidentifiable = {}

    def each(field, values, text=canonical):
        return {k: _identified(f"{field}[{k!r}]", v, text, unidentifiable)
                for k, v in sorted(values.items())}

    return {
        "search": type(search).__name__,
        "search_params": each("search_params", strategy),
        "estimator": f"{estimator.__module__}.{estimator.__qualname__}",
        "estimator_params": each("estimator_params", search.estimator.get_params(deep=True)),
        "space": _identified("param_distributions", space.subspaces, canonical,
                             unidentifiable),
        "scoring": _identified("scoring", search.scoring, canonical, unidentifiable),
        "objective": search.refit if isinstance(search.refit, str) else "",
        "error_score": canonical(search.error_score),
        "return_train_score": bool(search.return_train_score),
        "cv": f"{len(splits)} splits of {_n_samples(X)} samples, {digest.hexdigest()[:32]}",
        "data": each("data", {"X": X, "y": y}, _describe),
        "fit_params": each("fit_params", params, _describe),
        "budget": int(budget),
        "seed": int(seed),
        "fixed_seed": isinstance(search.random_state, Integral),
        "unidentifiable": unidentifiable,
    }


def _identified(name, value, text, unidentifiable):
    """``text(value)``, or a mark (and ``unidentifiable[name]``, why) if it has none."""
    try:
        return text(value)
    except Unidentifiable as exc:
        unidentifiable[name] = str(exc)
        return f"<unidentifiable: {exc}>"


def canonical(value, _open=()):
    """A text of ``value`` that is the same in every process.

    Functions are written as what decides their behaviour: their module and
    qualified name, their code (recursively for nested code), the values
    they close over and their defaults; two lambdas of one ``repr`` that
    compute different things have different texts. A value that cannot be
    written down (an object without a readable ``repr`` that cannot be
    pickled either) raises :class:`Unidentifiable`.

    Examples
    --------
    >>> from sklearn.svm import SVC
    >>> from sksearch.engine._fingerprint import canonical
    >>> canonical({"kernel": {"rbf", "linear"}, "model": SVC(C=2.0), "f": len})
    "{'kernel': {'linear', 'rbf'}, 'model': SVC(C=2.0, ...), 'f': <built-in function len>}"
    >>> canonical(lambda x: x + 1) == canonical(lambda x: x + 2)
    False
    """
    if id(value) in _open:  # a function that refers to itself (a recursive closure)
        return "<recursive>"
    inner = _open + (id(value),)
    if isinstance(value, dict):
        return "{" + ", ".join(f"{canonical(k, inner)}: {canonical(v, inner)}"
                               for k, v in value.items()) + "}"
    if isinstance(value, (set, frozenset)):
        return "{" + ", ".join(sorted(canonical(v, inner) for v in value)) + "}"
    if isinstance(value, list):
        return "[" + ", ".join(canonical(v, inner) for v in value) + "]"
    if isinstance(value, tuple):
        return ("(" + ", ".join(canonical(v, inner) for v in value)
                + ("," if len(value) == 1 else "") + ")")
    if isinstance(value, np.ndarray):
        return f"array({canonical(value.tolist())}, dtype={value.dtype})"
    if isinstance(value, Categorical):
        return f"Categorical({canonical(value.choices, inner)})"
    if isinstance(value, BaseEstimator):
        params = ", ".join(f"{k}={canonical(v, inner)}"
                           for k, v in sorted(value.get_params(deep=False).items()))
        return f"{type(value).__name__}({params})"
    if isinstance(value, (np.random.RandomState, np.random.Generator)):
        # its state decides what it draws next: a consumed one is another value
        return f"{type(value).__name__}({_pickled_hash(value)})"
    if callable(value) and not isinstance(value, type):
        return _canonical_callable(value, inner)
    text = repr(value)
    if re.search(r" at 0x[0-9a-fA-F]+", text):  # the default repr: no identity of its own
        return _object_text(value, inner)
    return text


def _canonical_callable(value, inner):
    """What decides a callable's behaviour, as text (see :func:`canonical`)."""
    if isinstance(value, types.FunctionType):
        closure = [_cell(cell, inner) for cell in value.__closure__ or ()]
        return (f"function {value.__module__}.{value.__qualname__} "
                f"code={_code_hash(value.__code__)} closure={canonical(closure, inner)} "
                f"defaults={canonical(value.__defaults__, inner)} "
                f"kwdefaults={canonical(value.__kwdefaults__, inner)}")
    if isinstance(value, functools.partial):
        return (f"partial({canonical(value.func, inner)}, args={canonical(value.args, inner)},"
                f" keywords={canonical(value.keywords, inner)})")
    if isinstance(value, types.MethodType):
        return (f"method {canonical(value.__func__, inner)} of "
                f"{canonical(value.__self__, inner)}")
    if isinstance(value, (types.BuiltinFunctionType, np.ufunc)):
        owner = getattr(value, "__self__", None)
        if owner is None or isinstance(owner, types.ModuleType):
            return re.sub(r" at 0x[0-9a-fA-F]+", "", repr(value))
        return f"builtin method {value.__qualname__} of {canonical(owner, inner)}"
    return _object_text(value, inner)  # an object called as a function (a scorer, say)


def _object_text(value, inner):
    """An object whose ``repr`` does not identify it: its class and its state."""
    state = getattr(value, "__dict__", None)
    name = f"{type(value).__module__}.{type(value).__qualname__}"
    if state is None:
        return f"{name}({_pickled_hash(value)})"
    return f"{name}({canonical(dict(sorted(state.items())), inner)})"


def _cell(cell, inner):
    try:
        contents = cell.cell_contents
    except ValueError:  # a cell not yet filled
        return "<empty cell>"
    return canonical(contents, inner)


def _code_hash(code):
    """SHA-256 of what a code object executes, nested code objects included."""
    digest = hashlib.sha256()
    for part in (code.co_code, code.co_names, code.co_varnames, code.co_freevars,
                 code.co_cellvars, code.co_argcount, code.co_kwonlyargcount, code.co_flags):
        digest.update(repr(part).encode() + b"|")
    for const in code.co_consts:
        text = _code_hash(const) if isinstance(const, types.CodeType) else canonical(const)
        digest.update(text.encode() + b",")
    return digest.hexdigest()[:32]


def _pickled_hash(value):
    """joblib's content hash of ``value``, or Unidentifiable when it cannot be pickled."""
    try:
        return joblib_hash(value)
    except Exception as exc:  # pickling fails in many ways (PicklingError, TypeError, ...)
        raise Unidentifiable(
            f"a {type(value).__qualname__} that cannot be pickled "
            f"({type(exc).__name__}: {exc}); give it as a module-level function or class "
            "whose behaviour is set by picklable values"
        ) from None


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
    if callable(value):  # a callback passed to fit: identified by its code
        return canonical(value)
    return f"{shape} {dtype} {_pickled_hash(value)}"
