"""The dimensions of a search space: Real, Integer and Categorical.

Each dimension decodes its columns of the unit cube to values and encodes
values back, and says which :class:`~sksearch.space._cube.Group` of columns it
takes. Users import them from :mod:`sksearch.space`.
"""

import dataclasses
import math
import numbers

import numpy as np

from . import _priors
from ._choices import check_equal_prior, read_choices, same_choice
from ._cube import CATEGORICAL, INTEGER, MIN_BIN_WIDTH, REAL, Group, one_hot

#: scikit-optimize's names of the two built-in priors.
PRIORS = ("uniform", "log-uniform")


class Dimension:
    """Base class of a searched parameter's range."""

    #: Number of cube columns the dimension takes.
    n_columns = 1

    def problem(self):
        """Why this dimension cannot be searched, or None (checked by the space)."""
        return None

    def __eq__(self, other):
        return type(self) is type(other) and self._key() == other._key()

    def __hash__(self):
        return hash((type(self).__name__, repr(self._key())))

    def _decode_block(self, block):
        """Values of the rows of this dimension's cube columns."""
        return self.decode(block[:, 0])


class _Numeric(Dimension):
    """What Real and Integer share: bounds, a prior and a name, read as written."""

    #: True for Real (a continuous prior), False for Integer (a discrete one).
    _continuous = True

    def __init__(self, low=None, high=None, prior=None, *, log=None, name=None):
        low, high, log, prior = self._read(low, high, prior, log, name)
        self._prior = None
        if prior is not None:
            low, high, log = self._take_prior(prior)
        if self._prior is None:
            self.low, self.high = self._check(low, high, log)
            self.log = bool(log)
            self.prior = "log-uniform" if self.log else "uniform"
        else:
            self.low, self.high, self.log = self._prior.low, self._prior.high, False

    def _read(self, low, high, prior, log, name):
        kind = type(self).__name__
        if name is not None and not isinstance(name, str):
            raise TypeError(f"{kind} name must be a string, got {name!r}")
        self.name = name
        if log is not None and not isinstance(log, (bool, np.bool_)):
            hint = f"prior={log!r}" if log in PRIORS else "log=True or log=False"
            raise TypeError(
                f"{kind} log must be True or False, got {type(log).__name__} {log!r}; "
                f"write {hint}")
        if isinstance(prior, (bool, np.bool_)):
            raise TypeError(
                f"{kind}'s third argument is the prior, 'uniform' or 'log-uniform' as in "
                f"scikit-optimize, got {prior!r}; for a log scale write log={prior!r}")
        if prior is None or isinstance(prior, str):
            if prior is not None and prior not in PRIORS:
                raise ValueError(
                    f"{kind} prior must be 'uniform', 'log-uniform' or a scipy.stats "
                    f"distribution, got {prior!r}")
            if prior is not None and log is not None and log != (prior == "log-uniform"):
                raise ValueError(f"{kind} got prior={prior!r} and log={log!r}; give one")
            return low, high, bool(log) or prior == "log-uniform", None
        if low is not None or high is not None or log:
            raise ValueError(
                f"{kind} takes bounds or a prior distribution, not both (got low={low!r}, "
                f"high={high!r}, log={log!r}); to bound a distribution use a truncated one "
                "such as scipy.stats.truncnorm")
        return None, None, False, prior

    def _take_prior(self, prior):
        """Read a distribution or sampler; return the bounds of a uniform or log-uniform one."""
        if _priors.is_distribution(prior):
            text, continuous = _priors.describe(prior), not _priors.is_discrete(prior)
        else:
            if not isinstance(prior, _priors._Empirical):
                prior = _priors.from_sampler(prior)
            text, continuous = repr(prior), prior.kind == "real"
        if continuous != self._continuous:
            other = "Real" if continuous else "Integer"
            raise TypeError(
                f"{text} is {'continuous' if continuous else 'discrete'}: write "
                f"{other}(prior={text})")
        if isinstance(prior, _priors._Empirical):
            self._prior = self._prior_of(prior)
        else:
            frozen = _priors.freeze(prior)
            linear = _priors.linear_bounds(frozen)
            if linear is not None:
                return linear
            try:
                self._prior = self._prior_of(frozen)
            except ValueError as exc:
                raise ValueError(f"{text}: {exc}") from None
        self.prior = prior
        return None, None, False

    def _key(self):
        if self._prior is None:
            return (self.low, self.high, self.log)
        return (self._prior_text(),)

    def _prior_text(self):
        prior = self.prior
        return repr(prior) if isinstance(prior, _priors._Empirical) else _priors.describe(prior)

    def __repr__(self):
        if self._prior is not None:
            text = f"prior={self._prior_text()}"
        else:
            text = f"{self.low!r}, {self.high!r}{', log=True' if self.log else ''}"
        name = "" if self.name is None else f", name={self.name!r}"
        return f"{type(self).__name__}({text}{name})"


class Real(_Numeric):
    """A real parameter: in ``[low, high]``, uniform or on a log scale, or a prior.

    Parameters
    ----------
    low, high : float, default=None
        Bounds, finite, ``low < high`` (and ``high - low`` finite).
    prior : {"uniform", "log-uniform"}, scipy.stats distribution or sampler, \
default=None
        ``"log-uniform"`` is ``log=True`` (scikit-optimize's spelling, also
        its third positional argument). A continuous ``scipy.stats``
        distribution (without ``low`` and ``high``) is searched in its
        quantile space: the cube's coordinate ``u`` becomes ``ppf(u)``, so
        values are drawn with the distribution's density and the optimizers
        move where it puts its mass; unbounded tails are cut at the 1e-9
        quantiles. An object with only an ``rvs`` method gets the same from
        4,096 seeded draws.
    log : bool, default=None
        Search ``log(value)`` uniformly (for learning rates, ``C``, ``alpha``,
        ...); needs ``low > 0``. None: as ``prior`` says (uniform by default).
    name : str, default=None
        Stored only (scikit-optimize's argument): the parameter's name is
        its key in ``param_distributions``.

    Examples
    --------
    >>> from scipy.stats import expon
    >>> from sksearch.space import Real
    >>> Real(1e-4, 1e-1, log=True).decode([0.0, 0.5, 1.0])
    [0.0001, 0.0031622776601683794, 0.1]
    >>> Real(1e-4, 1e-1, "log-uniform")
    Real(0.0001, 0.1, log=True)
    >>> dim = Real(prior=expon(scale=100))
    >>> [round(v, 2) for v in dim.decode([0.0, 0.5, 0.99])]
    [0.0, 69.31, 460.52]
    """

    def _check(self, low, high, log):
        return _check_bounds(self, low, high, log)

    def _prior_of(self, distribution):
        return _priors.Quantile(distribution)

    def problem(self):
        """Why this dimension cannot be searched, or None (checked by the space)."""
        if self._prior is None and not self.log and not math.isfinite(self.high - self.low):
            return (f"{self!r} spans more than the largest float (high - low overflows): "
                    "narrow it, or use log=True for a positive range")
        return None

    def decode(self, u):
        """Values for cube coordinates ``u`` (one column)."""
        _refuse(self)
        if self._prior is not None:
            return self._prior.decode(u)
        u = np.clip(np.asarray(u, dtype=float), 0.0, 1.0)
        if self.log:
            lo, hi = np.log10(self.low), np.log10(self.high)
            values = 10.0 ** (lo + u * (hi - lo))
        else:
            values = self.low + u * (self.high - self.low)
        return [float(v) for v in np.clip(values, self.low, self.high)]

    def encode(self, values):
        """Cube coordinates of ``values``."""
        if self._prior is not None:
            return self._prior.encode(values)
        values = np.asarray(values, dtype=float)
        lo, hi = self.low, self.high
        if self.log:
            lo, hi, values = np.log10(lo), np.log10(hi), np.log10(values)
        return np.clip((values - lo) / (hi - lo), 0.0, 1.0)

    def contains(self, value):
        return (isinstance(value, numbers.Real) and not isinstance(value, bool)
                and self.low <= value <= self.high)

    def group(self, start, subspace):
        """The cube columns of this dimension."""
        return Group(REAL, start, start + 1, 0, subspace)


class Integer(_Numeric):
    """An integer parameter: in ``[low, high]`` (both included), or a discrete prior.

    Parameters
    ----------
    low, high : int, default=None
        Bounds, ``low <= high`` (``low == high`` is a constant), at most
        ``10**12`` values.
    prior : {"uniform", "log-uniform"}, scipy.stats distribution or sampler, \
default=None
        ``"log-uniform"`` is ``log=True`` (scikit-optimize's spelling, also
        its third positional argument). A discrete ``scipy.stats``
        distribution (``poisson``, ``binom``, ``geom``,
        ``rv_discrete(values=...)``, ...), without ``low`` and ``high``, is
        searched in its quantile space: each value's bin in the cube is as
        wide as its probability. An unbounded support is cut at the 1e-9
        quantiles (at most 100,000 values are searched). An object with only
        an ``rvs`` method drawing integers gets the same from 4,096 seeded
        draws (over the values drawn).
    log : bool, default=None
        Give each order of magnitude the same share of the search (for
        ``n_estimators``, ``max_leaf_nodes``, ...); needs ``low > 0``.
    name : str, default=None
        Stored only (scikit-optimize's argument).

    Examples
    --------
    >>> from scipy.stats import poisson
    >>> from sksearch.space import Integer
    >>> Integer(1, 3).decode([0.0, 0.5, 1.0])
    [1, 2, 3]
    >>> Integer(prior=poisson(3)).decode([0.04, 0.5, 0.96])
    [0, 3, 6]
    """

    _continuous = False

    def __init__(self, low=None, high=None, prior=None, *, log=None, name=None):
        super().__init__(low, high, prior, log=log, name=name)
        self._bins = self._group(0, -1)

    def _check(self, low, high, log):
        for side, value in (("low", low), ("high", high)):
            if isinstance(value, bool) or not isinstance(value, numbers.Integral):
                if not (isinstance(value, numbers.Real) and float(value).is_integer()):
                    raise TypeError(
                        f"Integer {side} must be an integer, got {value!r} "
                        f"({type(value).__name__})")
        _check_bounds(self, low, high, log, equal=True)
        return int(low), int(high)

    def _prior_of(self, distribution):
        if isinstance(distribution, _priors._Empirical):
            return distribution.steps()
        return _priors.steps_of(distribution)

    def problem(self):
        """Why this dimension cannot be searched, or None (checked by the space)."""
        n = self.n_levels
        if self._prior is not None or n == 1:
            return None
        if self.log:
            narrowest = math.log1p(1 / self.high) / math.log((self.high + 1) / self.low)
        else:
            narrowest = 1 / n
        if narrowest >= MIN_BIN_WIDTH:
            return None
        return (f"{self!r} has {n:.3g} values, too many for a search to tell apart (its "
                f"narrowest bin would be {narrowest:.2g} of the range, under "
                f"{MIN_BIN_WIDTH:g}): narrow it to at most 10**12 values")

    @property
    def n_levels(self):
        if self._prior is not None:
            return self._prior.n_levels
        return self.high - self.low + 1

    @property
    def n_columns(self):
        return 1 if self.n_levels > 1 else 0

    def group(self, start, subspace):
        """The cube columns of this dimension (None for a constant)."""
        if self._bins is None:
            return None
        return dataclasses.replace(self._bins, start=start, stop=start + 1, subspace=subspace)

    def _group(self, start, subspace):
        if not self.n_columns:
            return None
        if self._prior is not None:
            return Group(INTEGER, start, start + 1, self.n_levels, subspace,
                         edges=self._prior.edges, truncated=self._prior.truncated)
        return Group(INTEGER, start, start + 1, self.n_levels, subspace,
                     self.low if self.log else 0)

    def _decode_block(self, block):
        if not self.n_columns:
            return [self.decode([0.5])[0]] * len(block)
        return self.decode(block[:, 0])

    def decode(self, u):
        """Values for cube coordinates ``u`` (one column)."""
        _refuse(self)
        if self.n_levels == 1:
            return [self.low] * len(np.atleast_1d(u))
        index = self._bins.index(u)
        if self._prior is not None:
            return [self._prior.value(i) for i in index]
        return [self.low + int(i) for i in index]

    def encode(self, values):
        """Cube coordinates of ``values`` (the centres of their bins)."""
        if self._bins is None:  # a constant
            return np.full(len(values), 0.5)
        if self._prior is not None:
            index = [max(self._prior.index(v), 0) for v in values]
        else:
            index = np.clip(np.round(np.asarray(values, dtype=float)) - self.low,
                            0, self.n_levels - 1)
        return self._bins.center(np.asarray(index, dtype=np.int64))

    def contains(self, value):
        if isinstance(value, bool) or not isinstance(value, numbers.Real):
            return False
        if self._prior is not None:
            return self._prior.index(value) >= 0
        return isinstance(value, numbers.Integral) and self.low <= value <= self.high


class Categorical(Dimension):
    """A parameter that takes one of a list of choices (any Python objects).

    The choices have no order: the cube holds one column per choice and the
    chosen one is the column with the largest value.

    Parameters
    ----------
    choices : list, tuple, range, 1-d array or set
        The values, at least one. ``None``, strings, numbers, estimators and
        functions are all fine. A set (whose own order changes from run to
        run) is searched in a fixed order: numbers ascending, then strings
        alphabetically, then other plain values by type and ``repr``; a set
        of other objects is refused (write a list). A dict is refused: write
        ``list(d)`` for its keys or ``list(d.values())`` for its values. Two
        choices that are the same candidate are refused with their
        positions (a repetition is not a weight): one object, or equal
        values of one kind (equal numbers of one kind, arrays with equal
        elements, estimators of one class with equal parameters, two NaN).
        ``1``, ``1.0`` and ``True`` are three choices, since an estimator
        may tell them apart (``max_features=1`` is one feature, ``1.0`` all).
    name : str, default=None
        Stored only (scikit-optimize's argument).
    prior : sequence of float, default=None
        scikit-optimize's weights of the choices: accepted when they are all
        equal (the search gives every choice the same share), refused
        otherwise.

    Examples
    --------
    >>> from sksearch.space import Categorical
    >>> Categorical(["gini", "entropy", None]).decode([[0.1, 0.2, 0.9]])
    [None]
    >>> Categorical({"rbf", "linear", "poly"})
    Categorical(['linear', 'poly', 'rbf'])
    """

    def __init__(self, choices, name=None, *, prior=None):
        if name is not None and not isinstance(name, str):
            raise TypeError(f"Categorical name must be a string, got {name!r}")
        choices = read_choices(choices)
        if not choices:
            raise ValueError("Categorical needs at least one choice, got none")
        check_equal_prior(prior, choices)
        self.choices, self.name = choices, name

    def __repr__(self):
        name = "" if self.name is None else f", name={self.name!r}"
        return f"Categorical({self.choices!r}{name})"

    def __eq__(self, other):
        return (type(other) is Categorical and len(self.choices) == len(other.choices)
                and all(same_choice(a, b) for a, b in zip(self.choices, other.choices)))

    def __hash__(self):
        return hash(("Categorical", len(self.choices)))

    @property
    def n_levels(self):
        return len(self.choices)

    @property
    def n_columns(self):
        # A single choice is a constant: it needs no column.
        return self.n_levels if self.n_levels > 1 else 0

    def group(self, start, subspace):
        """The cube columns of this dimension (None for a constant)."""
        if not self.n_columns:
            return None
        return Group(CATEGORICAL, start, start + self.n_columns, self.n_levels, subspace)

    def _decode_block(self, block):
        return self.decode(block)

    def decode(self, U):
        if self.n_columns == 0:
            return [self.choices[0]] * len(U)
        return [self.choices[i] for i in np.argmax(np.asarray(U, dtype=float), axis=1)]

    def index_of_same(self, value):
        """Position of the choice that is the same candidate as ``value``, or None."""
        return next((i for i, c in enumerate(self.choices) if same_choice(c, value)), None)

    def index(self, value):
        same = self.index_of_same(value)
        if same is not None:
            return same
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


def _refuse(dim):
    problem = dim.problem()
    if problem is not None:
        raise ValueError(problem)


def _check_bounds(dim, low, high, log, equal=False):
    kind = type(dim).__name__
    for name, value in (("low", low), ("high", high)):
        if isinstance(value, bool) or not isinstance(value, numbers.Real):
            raise TypeError(
                f"{kind} {name} must be a number, got {type(value).__name__} {value!r}"
            )
        if not math.isfinite(value):
            raise ValueError(f"{kind} {name} must be finite, got {value!r}")
    if low > high or (low == high and not equal):
        constant = " (for a constant write a list of one value)" if low == high else ""
        raise ValueError(
            f"{kind} needs low {'<=' if equal else '<'} high, got low={low!r} and "
            f"high={high!r}{constant}")
    if log and low <= 0:
        raise ValueError(f"{kind} with log=True needs low > 0, got low={low!r}")
    return low, high

