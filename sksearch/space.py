"""Search spaces: what the user writes, mapped to and from the unit cube.

A :class:`Space` accepts everything that
:class:`~sklearn.model_selection.RandomizedSearchCV` accepts as
``param_distributions`` (and therefore every ``GridSearchCV`` ``param_grid``):
a dict or a list of dicts whose values are lists of choices or frozen
``scipy.stats`` distributions with bounded support, plus this module's
:class:`Real`, :class:`Integer` and :class:`Categorical` dimensions. It maps
points of the unit cube ``[0, 1]^d`` to parameter dicts (:meth:`Space.decode`)
and back (:meth:`Space.encode`); the column layout is described by
:attr:`Space.layout`, which is all an optimizer sees.

Examples
--------
>>> from scipy.stats import loguniform
>>> from sksearch.space import Space, Integer
>>> space = Space({"C": loguniform(1e-2, 1e2), "degree": Integer(2, 5),
...                "kernel": ["poly", "rbf"]})
>>> space.layout.n_dims
4
>>> space.decode([[0.5, 0.0, 0.2, 0.9]])
[{'C': 1.0, 'degree': 2, 'kernel': 'rbf'}]
"""

import math
import numbers
from collections.abc import Mapping

import numpy as np

from ._cube import (
    CATEGORICAL,
    INTEGER,
    REAL,
    CubeLayout,
    Group,
    integer_center,
    integer_index,
    one_hot,
)

__all__ = ["Real", "Integer", "Categorical", "Space"]


class Dimension:
    """Base class of a searched parameter's range."""

    #: Number of cube columns the dimension takes.
    n_columns = 1

    def __eq__(self, other):
        return type(self) is type(other) and self._key() == other._key()

    def __hash__(self):
        return hash((type(self).__name__, repr(self._key())))


class Real(Dimension):
    """A real parameter in ``[low, high]``, uniform or on a log scale.

    Parameters
    ----------
    low, high : float
        Bounds, finite, ``low < high``.
    log : bool, default=False
        Search ``log(value)`` uniformly (for learning rates, ``C``, ``alpha``,
        ...); needs ``low > 0``.

    Examples
    --------
    >>> from sksearch.space import Real
    >>> Real(1e-4, 1e-1, log=True).decode([0.0, 0.5, 1.0])
    [0.0001, 0.0031622776601683794, 0.1]
    """

    def __init__(self, low, high, log=False):
        self.low, self.high = _check_bounds(self, low, high, log)
        self.log = bool(log)

    def __repr__(self):
        return f"Real({self.low!r}, {self.high!r}{', log=True' if self.log else ''})"

    def _key(self):
        return (self.low, self.high, self.log)

    def decode(self, u):
        """Values for cube coordinates ``u`` (one column)."""
        u = np.clip(np.asarray(u, dtype=float), 0.0, 1.0)
        if self.log:
            lo, hi = np.log10(self.low), np.log10(self.high)
            values = 10.0 ** (lo + u * (hi - lo))
        else:
            values = self.low + u * (self.high - self.low)
        return [float(v) for v in np.clip(values, self.low, self.high)]

    def encode(self, values):
        """Cube coordinates of ``values``."""
        values = np.asarray(values, dtype=float)
        lo, hi = self.low, self.high
        if self.log:
            lo, hi, values = np.log10(lo), np.log10(hi), np.log10(values)
        return np.clip((values - lo) / (hi - lo), 0.0, 1.0)

    def contains(self, value):
        return isinstance(value, numbers.Real) and self.low <= value <= self.high


class Integer(Dimension):
    """An integer parameter in ``[low, high]`` (both included).

    Parameters
    ----------
    low, high : int
        Bounds, ``low < high``.
    log : bool, default=False
        Give each order of magnitude the same share of the search (for
        ``n_estimators``, ``max_leaf_nodes``, ...); needs ``low > 0``.

    Examples
    --------
    >>> from sksearch.space import Integer
    >>> Integer(1, 3).decode([0.0, 0.5, 1.0])
    [1, 2, 3]
    """

    def __init__(self, low, high, log=False):
        for name, value in (("low", low), ("high", high)):
            if isinstance(value, bool) or not isinstance(value, numbers.Integral):
                if not (isinstance(value, numbers.Real) and float(value).is_integer()):
                    raise TypeError(
                        f"Integer {name} must be an integer, got {value!r} "
                        f"({type(value).__name__})"
                    )
        low, high = _check_bounds(self, low, high, log)
        self.low, self.high, self.log = int(low), int(high), bool(log)

    def __repr__(self):
        return f"Integer({self.low}, {self.high}{', log=True' if self.log else ''})"

    def _key(self):
        return (self.low, self.high, self.log)

    @property
    def n_levels(self):
        return self.high - self.low + 1

    @property
    def _log_low(self):
        return self.low if self.log else 0

    def decode(self, u):
        return [self.low + int(i) for i in integer_index(u, self.n_levels, self._log_low)]

    def encode(self, values):
        index = np.clip(np.asarray(values, dtype=float) - self.low, 0, self.n_levels - 1)
        return integer_center(np.round(index), self.n_levels, self._log_low)

    def contains(self, value):
        return (
            isinstance(value, numbers.Integral)
            and not isinstance(value, bool)
            and self.low <= value <= self.high
        )


class Categorical(Dimension):
    """A parameter that takes one of a list of choices (any Python objects).

    The choices have no order: the cube holds one column per choice and the
    chosen one is the column with the largest value.

    Parameters
    ----------
    choices : sequence
        The values, at least one. ``None``, strings, numbers, estimators and
        functions are all fine.

    Examples
    --------
    >>> from sksearch.space import Categorical
    >>> Categorical(["gini", "entropy", None]).decode([[0.1, 0.2, 0.9]])
    [None]
    """

    def __init__(self, choices):
        if isinstance(choices, (str, bytes)) or not hasattr(choices, "__len__"):
            raise TypeError(
                f"Categorical choices must be a list, tuple or 1-d array, got "
                f"{type(choices).__name__} {choices!r}"
            )
        if isinstance(choices, np.ndarray) and choices.ndim != 1:
            raise ValueError(
                f"Categorical choices must be 1-dimensional, got an array of shape "
                f"{choices.shape}"
            )
        choices = list(choices)
        if not choices:
            raise ValueError("Categorical needs at least one choice, got none")
        self.choices = choices

    def __repr__(self):
        return f"Categorical({self.choices!r})"

    def _key(self):
        return tuple(map(repr, self.choices))

    @property
    def n_levels(self):
        return len(self.choices)

    @property
    def n_columns(self):
        # A single choice is a constant: it needs no column.
        return self.n_levels if self.n_levels > 1 else 0

    def decode(self, U):
        if self.n_columns == 0:
            return [self.choices[0]] * len(U)
        return [self.choices[i] for i in np.argmax(np.asarray(U, dtype=float), axis=1)]

    def index(self, value):
        for i, choice in enumerate(self.choices):
            if choice is value:
                return i
        for i, choice in enumerate(self.choices):
            try:
                if bool(choice == value):
                    return i
            except (TypeError, ValueError):
                continue
        raise ValueError(f"{value!r} is not one of the choices {self.choices!r}")

    def encode(self, values):
        index = np.array([self.index(v) for v in values], dtype=int)
        return one_hot(index, self.n_levels)[:, : self.n_columns]

    def contains(self, value):
        try:
            self.index(value)
        except ValueError:
            return False
        return True


class Space:
    """A search space built from ``param_distributions``.

    Parameters
    ----------
    param_distributions : dict or list of dicts
        Parameter names mapped to a :class:`Real`, :class:`Integer` or
        :class:`Categorical`, a list/tuple/1-d array of choices, or a frozen
        ``scipy.stats`` distribution with bounded support (``uniform`` gives a
        :class:`Real`, ``loguniform`` a log-scale :class:`Real`, ``randint``
        and other discrete distributions an :class:`Integer`, any other
        bounded continuous distribution a :class:`Real` over its support). A
        list of dicts is a union: each candidate comes from one of them.

    Attributes
    ----------
    subspaces : list of dict
        One dict of name -> dimension per subspace.
    layout : CubeLayout
        The cube's columns; the subspace selector (for a union) comes first.

    Examples
    --------
    >>> from sksearch.space import Space
    >>> space = Space([{"kernel": ["linear"], "C": [1, 10]},
    ...                {"kernel": ["rbf"], "C": [1, 10], "gamma": [0.1, 1.0]}])
    >>> space.size
    6.0
    >>> len(space.decode(space.layout.enumerate()))
    6
    """

    def __init__(self, param_distributions):
        self.param_distributions = param_distributions
        self.subspaces = [
            {name: to_dimension(name, value) for name, value in sub.items()}
            for sub in _as_subspaces(param_distributions)
        ]
        groups, start = [], 0
        if len(self.subspaces) > 1:
            n = len(self.subspaces)
            groups.append(Group(CATEGORICAL, 0, n, n, -1))
            start = n
        self._blocks = []  # (subspace, name, dimension, start, stop)
        for s, sub in enumerate(self.subspaces):
            for name, dim in sub.items():
                stop = start + dim.n_columns
                self._blocks.append((s, name, dim, start, stop))
                if isinstance(dim, Real):
                    groups.append(Group(REAL, start, stop, 0, s))
                elif isinstance(dim, Integer):
                    groups.append(Group(INTEGER, start, stop, dim.n_levels, s, dim._log_low))
                elif dim.n_columns:
                    groups.append(Group(CATEGORICAL, start, stop, dim.n_levels, s))
                start = stop
        self.layout = CubeLayout(groups, n_subspaces=len(self.subspaces))

    def __repr__(self):
        return f"Space({self.param_distributions!r})"

    @property
    def names(self):
        """Every parameter name, in the order of first appearance."""
        return list(dict.fromkeys(name for _, name, *_ in self._blocks))

    @property
    def size(self):
        """Number of distinct candidates (``inf`` with a real parameter)."""
        return self.layout.size

    def decode(self, X):
        """Parameter dicts of the cube points ``X`` (shape ``(n, layout.n_dims)``)."""
        X = np.atleast_2d(np.asarray(X, dtype=float))
        if X.shape[1] != self.layout.n_dims:
            raise ValueError(f"X has {X.shape[1]} columns, the space has {self.layout.n_dims}")
        which = self.layout.subspace_of(X)
        out = [{} for _ in range(len(X))]
        for s, name, dim, start, stop in self._blocks:
            rows = np.flatnonzero(which == s)
            if not len(rows):
                continue
            cols = X[rows, start:stop]
            values = dim.decode(cols if isinstance(dim, Categorical) else cols[:, 0])
            for row, value in zip(rows, values):
                out[row][name] = value
        return out

    def encode(self, candidates):
        """Snapped cube points of parameter dicts (inverse of :meth:`decode`)."""
        candidates = list(candidates)
        X = np.full((len(candidates), self.layout.n_dims), 0.5)
        for row, params in enumerate(candidates):
            s = self._subspace_of(params)
            if self.layout.selector is not None:
                X[row, : len(self.subspaces)] = one_hot([s], len(self.subspaces))[0]
            for sub, name, dim, start, stop in self._blocks:
                if sub == s and stop > start:
                    X[row, start:stop] = dim.encode([params[name]])
        return self.layout.snap(X)

    def sample(self, n, random_state=None, method="random"):
        """``n`` cube points: ``"random"`` (uniform) or ``"lhs"`` (maximin Latin hypercube)."""
        rng = np.random.default_rng(random_state)
        if method == "random":
            return self.layout.random(n, rng)
        if method == "lhs":
            return self.layout.latin_hypercube(n, rng)
        raise ValueError(f"method must be 'random' or 'lhs', got {method!r}")

    def check_names(self, estimator):
        """Raise a ValueError naming any parameter that ``estimator`` lacks.

        A name is valid if the estimator has it, or gets it once a choice of
        the same subspace is set: ``{"clf": [SVC()], "clf__C": ...}`` swaps a
        Pipeline step and tunes the new step's parameter.
        """
        base = set(estimator.get_params(deep=True))
        for sub in self.subspaces:
            valid = set(base)
            for name, dim in sub.items():
                if not isinstance(dim, Categorical) or name not in base:
                    continue
                for choice in dim.choices:
                    valid |= _names_with(estimator, name, choice)
            for name in sub:
                if name not in valid:
                    raise ValueError(
                        f"Invalid parameter {name!r} in param_distributions for estimator "
                        f"{estimator!r}. Valid parameters are: {sorted(valid)!r}."
                    )

    def _subspace_of(self, params):
        for s, sub in enumerate(self.subspaces):
            if set(sub) == set(params) and all(
                dim.contains(params[name]) for name, dim in sub.items()
            ):
                return s
        raise ValueError(f"{params!r} lies in none of the subspaces of {self!r}")


def _names_with(estimator, name, value):
    """Parameter names of ``estimator`` once ``name`` is set to ``value``."""
    if not hasattr(value, "get_params") and not callable(value):
        return set()
    from sklearn.base import clone

    try:
        return set(clone(estimator).set_params(**{name: value}).get_params(deep=True))
    except Exception:  # a choice the estimator refuses is reported when it is fitted
        return set()


def to_dimension(name, value):
    """Turn one value of ``param_distributions`` into a :class:`Dimension`."""
    if isinstance(value, Dimension):
        return value
    if hasattr(value, "dist") and hasattr(value, "support") and hasattr(value, "rvs"):
        return _from_scipy(name, value)
    if isinstance(value, (str, bytes)) or isinstance(value, Mapping):
        raise TypeError(
            f"param_distributions[{name!r}] must be a list of choices, a frozen "
            f"scipy.stats distribution or a sksearch dimension; got "
            f"{type(value).__name__} {value!r}"
        )
    if isinstance(value, (list, tuple, np.ndarray)):
        try:
            return Categorical(value)
        except (TypeError, ValueError) as exc:
            raise type(exc)(f"param_distributions[{name!r}]: {exc}") from None
    if hasattr(value, "rvs"):
        raise TypeError(
            f"param_distributions[{name!r}] has only an rvs method; an optimizer needs "
            "its range: use Real, Integer, Categorical or a frozen scipy.stats "
            "distribution with bounded support"
        )
    raise TypeError(
        f"param_distributions[{name!r}] must be a list of choices, a frozen "
        f"scipy.stats distribution or a sksearch dimension; got {type(value).__name__} "
        f"{value!r}"
    )


def _from_scipy(name, dist):
    from scipy import stats

    low, high = (float(b) for b in dist.support())
    dist_name = getattr(dist.dist, "name", type(dist.dist).__name__)
    if not (math.isfinite(low) and math.isfinite(high)):
        raise ValueError(
            f"param_distributions[{name!r}]: the {dist_name} distribution has unbounded "
            f"support [{low}, {high}]; use a bounded one (uniform, loguniform, randint) "
            "or Real(low, high)"
        )
    try:
        if isinstance(dist.dist, stats.rv_discrete):
            return Integer(int(low), int(high))
        return Real(low, high, log=dist_name in ("loguniform", "reciprocal"))
    except (TypeError, ValueError) as exc:
        raise type(exc)(f"param_distributions[{name!r}] ({dist_name}): {exc}") from None


def _as_subspaces(param_distributions):
    if isinstance(param_distributions, Mapping):
        subspaces = [param_distributions]
    elif isinstance(param_distributions, (list, tuple)):
        subspaces = list(param_distributions)
        if not subspaces:
            raise ValueError("param_distributions is an empty list: give at least one dict")
    else:
        raise TypeError(
            "param_distributions must be a dict or a list of dicts, got "
            f"{type(param_distributions).__name__} {param_distributions!r}"
        )
    for i, sub in enumerate(subspaces):
        where = "param_distributions" if len(subspaces) == 1 else f"param_distributions[{i}]"
        if not isinstance(sub, Mapping):
            raise TypeError(f"{where} must be a dict, got {type(sub).__name__} {sub!r}")
        if not sub:
            raise ValueError(f"{where} is empty: give at least one parameter to search")
        for key in sub:
            if not isinstance(key, str):
                raise TypeError(f"{where} keys must be parameter names (str), got {key!r}")
    return subspaces


def _check_bounds(dim, low, high, log):
    kind = type(dim).__name__
    for name, value in (("low", low), ("high", high)):
        if isinstance(value, bool) or not isinstance(value, numbers.Real):
            raise TypeError(
                f"{kind} {name} must be a number, got {type(value).__name__} {value!r}"
            )
        if not math.isfinite(value):
            raise ValueError(f"{kind} {name} must be finite, got {value!r}")
    if low >= high:
        raise ValueError(f"{kind} needs low < high, got low={low!r} and high={high!r}")
    if log and low <= 0:
        raise ValueError(f"{kind} with log=True needs low > 0, got low={low!r}")
    return low, high
