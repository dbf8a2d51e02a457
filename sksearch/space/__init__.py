"""Search spaces: what the user writes, mapped to and from the unit cube.

A :class:`Space` accepts everything that
:class:`~sklearn.model_selection.RandomizedSearchCV` accepts as
``param_distributions`` (and therefore every ``GridSearchCV`` ``param_grid``):
a dict or a list of dicts whose values are lists (or ranges, 1-d arrays) of
choices, ``scipy.stats`` distributions (frozen or not, bounded or not,
continuous or discrete) or objects with an ``rvs`` method, plus this
module's :class:`Real`, :class:`Integer` and :class:`Categorical`
dimensions. A distribution is searched in its quantile space, so its prior
is honoured: a uniform point of the cube decodes to a draw of the
distribution. The space maps points of the unit cube ``[0, 1]^d`` to
parameter dicts (:meth:`Space.decode`) and back (:meth:`Space.encode`); the
column layout is described by :attr:`Space.layout`, which is all an
optimizer sees.

Examples
--------
>>> from scipy.stats import loguniform, norm
>>> from sksearch.space import Space, Integer
>>> space = Space({"C": loguniform(1e-2, 1e2), "degree": Integer(2, 5),
...                "kernel": ["poly", "rbf"], "shift": norm(0, 1)})
>>> space.layout.n_dims
5
>>> space.decode([[0.5, 0.0, 0.2, 0.9, 0.5]])
[{'C': 1.0, 'degree': 2, 'kernel': 'rbf', 'shift': 0.0}]
>>> space.subspaces[0]["shift"]
Real(prior=norm(0, 1))
"""

import numbers
import warnings
from collections.abc import Mapping, Sequence, Set

import numpy as np

from . import _priors
from ._cube import CATEGORICAL, CubeLayout, Group, one_hot
from ._dimensions import PRIORS, Categorical, Dimension, Integer, Real
from ._choices import same_choice
from ._other_spaces import other_dimension

__all__ = ["Real", "Integer", "Categorical", "Space"]


class Space:
    """A search space built from ``param_distributions``.

    Parameters
    ----------
    param_distributions : dict or list of dicts
        Parameter names mapped to a :class:`Real`, :class:`Integer` or
        :class:`Categorical`; a list, range or 1-d array of choices (a
        :class:`Categorical`); a ``scipy.stats`` distribution (``uniform``
        gives a :class:`Real`, ``loguniform`` a log-scale :class:`Real`,
        ``randint`` an :class:`Integer`; any other continuous one
        ``Real(prior=dist)`` and any other discrete one
        ``Integer(prior=dist)``, searched in its quantile space); or an
        object with an ``rvs`` method (its empirical distribution from
        seeded draws). A tuple of two numbers, optionally with
        ``"uniform"``/``"log-uniform"`` (scikit-optimize's range), is refused
        with the two spellings that say what it means. A set is searched in
        a fixed order and a dict refused (see :class:`Categorical`). A list
        of dicts is a union: each candidate comes from one of them;
        identical dicts collapse into one, and a candidate that several
        dicts hold is one candidate (it belongs to the first of them).

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
        self.subspaces = []
        for i, sub in enumerate(_as_subspaces(param_distributions)):
            dims = {name: to_dimension(name, value) for name, value in sub.items()}
            if dims in self.subspaces:
                warnings.warn(
                    f"param_distributions[{i}] is the same as "
                    f"param_distributions[{self.subspaces.index(dims)}]; it is searched once",
                    UserWarning, stacklevel=2)
            else:
                self.subspaces.append(dims)
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
                if stop > start:
                    groups.append(dim.group(start, s))
                start = stop
        self._earlier = _overlapping(self.subspaces)
        self.layout = CubeLayout(groups, n_subspaces=len(self.subspaces),
                                 home=self._first_home if any(self._earlier) else None)

    def __repr__(self):
        return f"Space({self.param_distributions!r})"

    @property
    def names(self):
        """Every parameter name, in the order of first appearance."""
        return list(dict.fromkeys(name for _, name, *_ in self._blocks))

    @property
    def size(self):
        """Number of distinct candidates (``inf`` with a real parameter, or a
        discrete distribution with unboundedly many values)."""
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
            values = dim._decode_block(X[rows, start:stop])
            for row, value in zip(rows, values):
                out[row][name] = value
        return out

    def encode(self, candidates):
        """Snapped cube points of parameter dicts (inverse of :meth:`decode`)."""
        candidates = list(candidates)
        X = np.full((len(candidates), self.layout.n_dims), 0.5)
        for row, params in enumerate(candidates):
            X[row] = self._encode_into(self._subspace_of(params), params)[0]
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
                    plain = name.rsplit("__", 1)[-1]
                    hint = (f" Did you mean {plain!r}? (A prefix such as model__ or "
                            "optimizer__ is not needed.)" if plain != name and plain in valid
                            else "")
                    raise ValueError(
                        f"Invalid parameter {name!r} in param_distributions for estimator "
                        f"{estimator!r}.{hint} Valid parameters are: {sorted(valid)!r}."
                    )

    def _first_home(self, X):
        """Rows of snapped ``X`` moved into the first subspace holding the same parameters."""
        X = np.array(X, dtype=float)
        which = self.layout.subspace_of(X)
        for row in np.flatnonzero([bool(self._earlier[s]) for s in which]):
            params = self.decode(X[row:row + 1])[0]
            for s in self._earlier[which[row]]:
                if not self._holds(s, params):
                    continue
                moved = self.layout._snap(self._encode_into(s, params))
                if same_choice(self.decode(moved)[0], params):
                    X[row] = moved[0]
                    break
        return X

    def _encode_into(self, s, params):
        """The (unsnapped) cube point of ``params`` in subspace ``s``."""
        x = np.full((1, self.layout.n_dims), 0.5)
        if self.layout.selector is not None:
            x[0, : len(self.subspaces)] = one_hot([s], len(self.subspaces))[0]
        for sub, name, dim, start, stop in self._blocks:
            if sub == s and stop > start:
                x[0, start:stop] = dim.encode([params[name]])
        return x

    def _holds(self, s, params):
        sub = self.subspaces[s]
        return set(sub) == set(params) and all(
            dim.contains(params[name]) for name, dim in sub.items())

    def _subspace_of(self, params):
        for s in range(len(self.subspaces)):
            if self._holds(s, params):
                return s
        raise ValueError(f"{params!r} lies in none of the subspaces of {self!r}")


def _overlapping(subspaces):
    """For each subspace, the earlier ones that may hold some of its candidates.

    They have the same names, and no Categorical of one shares no choice
    with the other's (then no candidate is in both).
    """
    def may_share(a, b):
        if set(a) != set(b):
            return False
        return not any(
            isinstance(a[n], Categorical) and isinstance(b[n], Categorical)
            and not any(b[n].index_of_same(c) is not None for c in a[n].choices)
            for n in a)

    return [[t for t in range(s) if may_share(subspaces[t], sub)]
            for s, sub in enumerate(subspaces)]


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
    """Turn one value of ``param_distributions`` into a :class:`Dimension`.

    Errors name the parameter: ``param_distributions['C']: ...``.
    """
    where = f"param_distributions[{name!r}]"
    dim = _dimension(where, value)
    problem = dim.problem()
    if problem is not None:
        raise ValueError(f"{where}: {problem}")
    return dim


def _dimension(where, value):
    if isinstance(value, Dimension):
        return value
    if isinstance(value, tuple) and _looks_like_a_range(value):
        raise ValueError(_range_message(where, value))
    try:
        if _priors.is_distribution(value):
            return Integer(prior=value) if _priors.is_discrete(value) else Real(prior=value)
        if isinstance(value, (Sequence, np.ndarray, Set, Mapping)) and not isinstance(
                value, (str, bytes)):
            return Categorical(value)
        translated = other_dimension(value)
        if translated is not None:
            return translated
        if hasattr(value, "rvs"):
            empirical = _priors.from_sampler(value)
            return (Real if empirical.kind == "real" else Integer)(prior=empirical)
    except (TypeError, ValueError) as exc:
        raise type(exc)(f"{where}: {exc}") from None
    raise TypeError(
        f"{where} must be a list of choices, a scipy.stats distribution or a sksearch "
        f"dimension; got {type(value).__name__} {value!r}"
    )


def _looks_like_a_range(value):
    """True for scikit-optimize's ``(low, high)``, ``(low, high, prior)``, ``(..., base)``."""
    def number(x):
        return isinstance(x, numbers.Real) and not isinstance(x, (bool, np.bool_))

    return (
        2 <= len(value) <= 4 and number(value[0]) and number(value[1])
        and (len(value) < 3 or (isinstance(value[2], str) and value[2] in PRIORS))
        and (len(value) < 4 or number(value[3]))
    )


def _range_message(where, value):
    low, high = value[0], value[1]
    kind = "Integer" if all(isinstance(v, numbers.Integral) for v in (low, high)) else "Real"
    prior = f", prior={value[2]!r}" if len(value) >= 3 and value[2] != "uniform" else ""
    return (
        f"{where} is the tuple {value!r}: scikit-optimize reads it as a range, "
        f"scikit-learn as a set of choices. Write {kind}({low!r}, {high!r}{prior}) for the "
        f"range, or the list {list(value)!r} for the choices."
    )


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
