"""What the choices of a categorical parameter are: read, ordered and told apart.

A :class:`~sksearch.space.Categorical` takes its choices through
:func:`read_choices`: a list, tuple, range, 1-d array or dict view as
written; a set or frozenset in a fixed order (:func:`set_order`), so that a
seed gives the same search in every run; a dict is refused, since it is not
clear whether its keys or its values are meant. Two choices that are the
same candidate (:func:`same_choice`) are refused with their positions: one
would be fitted twice, or merged without the author knowing.
"""

import math
import numbers
from collections.abc import Mapping, Set

import numpy as np

#: Text repeated choices are refused with (after their positions and value).
REPEAT_HINT = ("each candidate is fitted once, and a repetition is not a weight; remove "
               "the repeat")


def read_choices(choices):
    """The list of choices of ``choices``; raises naming what to write instead."""
    if isinstance(choices, Mapping):
        raise TypeError(
            f"Categorical choices must be a list; got the dict {_short(choices)}, which "
            "does not say whether its keys or its values are the choices: write "
            "Categorical(list(d)) for the keys or Categorical(list(d.values())) for the values")
    if isinstance(choices, Set):
        return set_order(choices)
    if isinstance(choices, (str, bytes)) or not hasattr(choices, "__len__"):
        raise TypeError(
            f"Categorical choices must be a list, tuple or 1-d array, got "
            f"{type(choices).__name__} {choices!r}")
    if isinstance(choices, np.ndarray) and choices.ndim != 1:
        raise ValueError(
            f"Categorical choices must be 1-dimensional, got an array of shape {choices.shape}")
    choices = list(choices)
    check_distinct(choices)
    return choices


def set_order(choices):
    """The elements of a set in a fixed order: numbers ascending, then strings
    alphabetically, then other plain values by type name and ``repr``.

    A set's own order changes with ``PYTHONHASHSEED``; a set of objects whose
    ``repr`` may change from run to run (estimators, functions) has no fixed
    order and is refused.
    """
    plain = [c for c in choices if not _plain(c)]
    if plain:
        raise TypeError(
            f"Categorical choices are the set {_short(choices)}, whose order changes from run "
            f"to run, and {plain[0]!r} cannot be sorted: write a list in the order you want, "
            "e.g. Categorical([...])")
    return sorted(choices, key=_set_key)


def check_distinct(choices):
    """Raise a ValueError naming the first two positions that hold the same choice."""
    seen, others = {}, []
    for j, choice in enumerate(choices):
        key = _value_key(choice)
        if key is not None:
            i = seen.setdefault(key, j)
        else:
            i = next((i for i, other in others if same_choice(other, choice)), j)
            if i == j:
                others.append((j, choice))
        if i != j:
            kept = [c for k, c in enumerate(choices)
                    if not any(same_choice(c, d) for d in choices[:k])]
            fix = f": write {kept!r}" if len(repr(kept)) <= 200 else f" at position {j}"
            raise ValueError(
                f"Categorical choices {i} and {j} are the same, {choice!r}: {REPEAT_HINT}{fix}")


def same_choice(a, b):
    """True when choices ``a`` and ``b`` are the same candidate.

    One object, or equal values of one kind: numbers of the same kind
    (bool, integer, real, complex; NumPy scalars included) that are equal
    or both NaN; arrays of the same shape and dtype kind with equal
    elements; lists, tuples and dicts of the same choices; estimators of
    one class with the same ``get_params(deep=False)``; other objects of
    one type that compare equal. ``1``, ``1.0`` and ``True`` are three
    choices, since an estimator may tell them apart (``max_features=1`` is
    one feature, ``max_features=1.0`` all of them).
    """
    if a is b:
        return True
    kind = _number_kind(a)
    if kind is not None:
        return kind == _number_kind(b) and (a == b or (_is_nan(a) and _is_nan(b)))
    if isinstance(a, np.ndarray) or isinstance(b, np.ndarray):
        return _same_array(a, b)
    if type(a) is not type(b):
        return False
    if isinstance(a, (list, tuple)):
        return len(a) == len(b) and all(same_choice(x, y) for x, y in zip(a, b))
    if isinstance(a, Mapping):
        return a.keys() == b.keys() and all(same_choice(a[k], b[k]) for k in a)
    if hasattr(a, "get_params") and not isinstance(a, type):
        try:
            return same_choice(a.get_params(deep=False), b.get_params(deep=False))
        except Exception:  # an object whose get_params needs more than itself
            return False
    try:
        return bool(a == b)
    except (TypeError, ValueError):  # objects without a plain ==
        return False


def _number_kind(value):
    if isinstance(value, (bool, np.bool_)):
        return "bool"
    if isinstance(value, numbers.Integral):
        return "integer"
    if isinstance(value, numbers.Real):
        return "real"
    if isinstance(value, numbers.Complex):
        return "complex"
    return None


def _is_nan(value):
    return isinstance(value, numbers.Real) and math.isnan(value)


def _same_array(a, b):
    if not (isinstance(a, np.ndarray) and isinstance(b, np.ndarray)):
        return False
    if a.shape != b.shape or a.dtype.kind != b.dtype.kind:
        return False
    if a.dtype.kind == "O":
        return all(same_choice(x, y) for x, y in zip(a.ravel(), b.ravel()))
    return bool(np.array_equal(a, b, equal_nan=a.dtype.kind in "fc"))


def _value_key(choice):
    """A hashable key equal for the same plain values, None for other objects."""
    kind = _number_kind(choice)
    if kind is not None:
        return (kind, "nan") if _is_nan(choice) else (kind, choice)
    if choice is None or isinstance(choice, (str, bytes)):
        return (type(choice), choice)
    return None


def _plain(value):
    """True for values whose ``repr`` is the same in every run."""
    if value is None or isinstance(value, (str, bytes)) or _number_kind(value) is not None:
        return True
    return isinstance(value, tuple) and all(_plain(v) for v in value)


def _set_key(value):
    kind = _number_kind(value)
    if kind in ("integer", "real"):
        return (0, 0.0, "") if _is_nan(value) else (0, -1.0, float(value), kind)
    if isinstance(value, str):
        return (1, value)
    return (2, type(value).__name__, repr(value))


def _short(value):
    text = repr(value)
    return text if len(text) <= 80 else text[:77] + "..."


def check_equal_prior(prior, choices, spelled="prior"):
    """Accept a prior over the choices only when it gives each the same weight.

    sksearch's optimizers give every choice the same share of the search (one
    cube column each), so equal weights are searched exactly; other weights
    are refused with what can be written instead.
    """
    if prior is None:
        return
    try:
        weights = np.asarray(prior, dtype=float)
    except (TypeError, ValueError):
        weights = None
    if weights is None or weights.ndim != 1 or len(weights) != len(choices) or not (
            np.all(np.isfinite(weights)) and np.all(weights >= 0) and weights.sum() > 0):
        raise ValueError(
            f"Categorical {spelled}={_short(prior)} must give one non-negative weight per "
            f"choice ({len(choices)} choices)")
    if np.allclose(weights, weights[0], rtol=1e-12, atol=0):
        return
    hint = ""
    if all(_number_kind(c) == "integer" for c in choices):
        hint = (f"; for integer choices a weighted search is "
                f"Integer(prior=scipy.stats.rv_discrete(values=({list(choices)!r}, "
                f"{(weights / weights.sum()).tolist()!r})))")
    raise ValueError(
        f"Categorical {spelled}={_short(prior)} weights the choices unequally, and sksearch "
        "gives every choice of a Categorical the same share of the search: write "
        f"Categorical({_short(list(choices))}) for equal shares{hint}")
