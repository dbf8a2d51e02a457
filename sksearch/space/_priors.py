"""Priors of numeric dimensions: distributions searched in their quantile space.

A dimension with a prior maps its cube coordinate ``u`` to a quantile of the
distribution, so a uniform point of the cube decodes to a draw of the
distribution, exactly what ``RandomizedSearchCV`` samples:

* a continuous distribution gives ``ppf(q)`` with ``q = q_low + u (q_high -
  q_low)``; ``q_low`` is 0 on a bounded side and :data:`TAIL` on an
  unbounded one (``q_high`` is 1 or ``1 - TAIL``), so every value is
  finite;
* a discrete distribution is a list of values whose bins in the cube are
  as wide as their probabilities (the steps of its CDF). Values beyond the
  ``TAIL`` quantiles are cut when the support is unbounded or has more than
  :data:`MAX_DISCRETE_VALUES` values;
* an object with only an ``rvs`` method gets the same from
  :data:`N_DRAWS` seeded draws (its empirical distribution; see
  :func:`from_sampler`).

This module knows scipy.stats and nothing of the cube's layout or of
estimators.
"""

import hashlib
import numbers

import numpy as np
from scipy import stats

from ._cube import MIN_BIN_WIDTH

#: Quantile kept away from 0 and 1 on an unbounded side (a mass of 1e-9 is cut).
TAIL = 1e-9
#: Most values a discrete distribution's bins may hold.
MAX_DISCRETE_VALUES = 100_000
#: Draws taken from an object with only an ``rvs`` method: the empirical CDF
#: is then within a Kolmogorov-Smirnov distance of about 0.012 of the sampler's
#: (median over seeds for a lognormal; 0.02 at most).
N_DRAWS = 4096
#: Seed of those draws: the same object always gives the same dimension.
DRAWS_SEED = 0


def is_distribution(value):
    """True for a scipy.stats distribution, frozen or not (``norm(0, 1)``, ``norm``)."""
    families = (stats.rv_continuous, stats.rv_discrete)
    return isinstance(value, families) or isinstance(getattr(value, "dist", None), families)


def is_discrete(dist):
    """True for a discrete scipy.stats distribution (frozen or not)."""
    return isinstance(getattr(dist, "dist", dist), stats.rv_discrete)


def freeze(dist):
    """The frozen form of a scipy.stats distribution (defaults for an unfrozen one)."""
    try:  # an unfrozen family without shape parameters freezes with its defaults
        frozen = dist.freeze() if dist is getattr(dist, "dist", dist) else dist
        median = frozen.ppf(0.5)
    except (TypeError, ValueError, OverflowError) as exc:
        raise ValueError(f"{describe(dist)} cannot be evaluated: {exc}") from None
    if np.shape(median) != ():
        raise ValueError(
            f"{describe(dist)} has array parameters and draws arrays; give scalar ones")
    if not np.isfinite(median):
        raise ValueError(f"{describe(dist)} has invalid parameters (its median is {median})")
    return frozen


def describe(dist):
    """Readable text of a distribution, as it was written: ``norm(0, 1)``."""
    gen = getattr(dist, "dist", dist)
    args, kwds = getattr(dist, "args", ()), getattr(dist, "kwds", {})
    if hasattr(gen, "xk") and hasattr(gen, "pk"):
        name = f"rv_discrete(values=({_text(gen.xk)}, {_text(gen.pk)}))"
    elif getattr(gen, "_histogram", None) is not None:  # rv_histogram keeps its data only there
        hist, bins = gen._histogram
        name = f"rv_histogram(({_text(hist)}, {_text(bins)}))"
    elif type(gen).__module__.startswith("scipy."):
        name = gen.name
    else:
        name = type(gen).__name__
    inner = ", ".join([_text(a) for a in args] + [f"{k}={_text(v)}" for k, v in kwds.items()])
    if name.endswith(")"):  # an instance built from data: its parameters come from freeze
        return f"{name}.freeze({inner})" if inner else name
    return f"{name}({inner})"


def linear_bounds(frozen):
    """``(low, high, log)`` when the distribution is uniform or log-uniform, else None.

    Their quantile functions are linear in the value or its log, which a
    plain :class:`~sksearch.space.Real` decodes exactly.
    """
    name = getattr(frozen.dist, "name", None)
    if not type(frozen.dist).__module__.startswith("scipy.") or name not in (
            "uniform", "loguniform", "reciprocal", "randint"):
        return None
    low, high = (float(b) for b in frozen.support())
    if name == "uniform":
        return low, high, False
    if name == "randint":
        return (int(low), int(high), False) if low.is_integer() else None
    loc = _loc(frozen)
    return (low, high, True) if loc == 0 else None


class Quantile:
    """A continuous prior: cube coordinate -> quantile -> value, and back.

    Parameters
    ----------
    frozen : frozen scipy.stats distribution or _Empirical
        Anything with ``ppf``, ``cdf`` and ``support``.
    """

    def __init__(self, frozen):
        self.frozen = frozen
        low, high = (float(b) for b in frozen.support())
        self.q_low = TAIL if np.isneginf(low) else 0.0
        self.q_high = 1.0 - TAIL if np.isposinf(high) else 1.0
        with np.errstate(all="ignore"):
            self.low, self.high = (float(v) for v in frozen.ppf([self.q_low, self.q_high]))
        for side, q, v in (("low", self.q_low, self.low), ("high", self.q_high, self.high)):
            if not np.isfinite(v):
                raise ValueError(
                    f"its {q:.10g} quantile (the {side} end searched) is {v}: too heavy a "
                    "tail to search; bound it, e.g. Real(low, high) or a truncated "
                    "distribution")
        if not self.low < self.high:
            raise ValueError(f"it takes only the value {self.low}: use a list [{self.low!r}]")

    def decode(self, u):
        """Values of cube coordinates ``u``."""
        q = self.q_low + np.clip(np.asarray(u, dtype=float), 0, 1) * (self.q_high - self.q_low)
        return [float(v) for v in np.clip(self.frozen.ppf(q), self.low, self.high)]

    def encode(self, values):
        """Cube coordinates of ``values``."""
        q = self.frozen.cdf(np.asarray(values, dtype=float))
        return np.clip((q - self.q_low) / (self.q_high - self.q_low), 0.0, 1.0)


class Steps:
    """A discrete prior: values and their bins in the cube (the CDF's steps).

    Parameters
    ----------
    values : array of shape (n,)
        The values, increasing.
    probabilities : array of shape (n,)
        Their probabilities (positive; normalized here). Each bin is at
        least ``MIN_BIN_WIDTH`` wide so that every value can be reached.
    truncated : bool
        True when the distribution has more values than these.
    as_int : bool
        Decode to ``int`` (else ``float``).
    """

    def __init__(self, values, probabilities, truncated=False, as_int=True):
        self.values = np.asarray(values, dtype=float)
        widths = np.asarray(probabilities, dtype=float)
        widths = np.maximum(widths / widths.sum(), MIN_BIN_WIDTH)
        edges = np.r_[0.0, np.cumsum(widths / widths.sum())]
        edges[-1] = 1.0
        self.edges = tuple(edges.tolist())
        self.truncated = bool(truncated)
        self.as_int = bool(as_int)

    @property
    def n_levels(self):
        return len(self.values)

    @property
    def low(self):
        return self.value(0)

    @property
    def high(self):
        return self.value(-1)

    def value(self, index):
        value = self.values[index]
        return int(value) if self.as_int else float(value)

    def index(self, value):
        """Index of ``value`` among the values, or -1."""
        i = int(np.searchsorted(self.values, value))
        return i if i < len(self.values) and self.values[i] == value else -1


def steps_of(frozen):
    """The :class:`Steps` of a frozen discrete scipy.stats distribution."""
    gen = frozen.dist
    if hasattr(gen, "xk") and hasattr(gen, "pk"):  # rv_discrete(values=(xk, pk))
        xk, pk = np.asarray(gen.xk), np.asarray(gen.pk, dtype=float)
        keep = pk > 0
        return Steps(xk[keep] + _loc(frozen), pk[keep],
                     as_int=xk.dtype.kind in "iu" and float(_loc(frozen)).is_integer())
    low, high = (float(b) for b in frozen.support())
    if high - low < MAX_DISCRETE_VALUES:
        values = np.arange(low, high + 1)
        truncated = False
    else:  # cut at the TAIL quantiles, from the probabilities (never ppf: it can
        # search astronomically far for heavy tails)
        start = float(frozen.ppf(TAIL))
        values = np.arange(start, min(high, start + MAX_DISCRETE_VALUES - 1) + 1)
        cdf = (frozen.cdf(start - 1) if start > low else 0.0) + np.cumsum(frozen.pmf(values))
        n = int(np.searchsorted(cdf, 1.0 - TAIL)) + 1
        if n > len(values):
            raise ValueError(
                f"it has more than {MAX_DISCRETE_VALUES} values between its {TAIL:g} and "
                f"{1 - TAIL:.9f} quantiles, more than a search can tell apart; use "
                f"Integer(low, high, log=True) over the range that matters")
        values, truncated = values[:n], True
    probabilities = frozen.pmf(values)
    keep = probabilities > 0
    as_int = bool(np.all(values == np.round(values)))
    return Steps(values[keep], probabilities[keep], truncated=truncated, as_int=as_int)


class _Empirical:
    """The distribution of an object's draws: continuous (interpolated) or discrete."""

    def __init__(self, source, draws):
        self.source = source
        self.draws = np.sort(np.asarray(draws, dtype=float))
        if all(isinstance(d, numbers.Integral) for d in draws):
            self.kind = "integer"
        elif len(np.unique(self.draws)) == len(self.draws):
            self.kind = "real"
        else:
            self.kind = "float"
        self._q = np.linspace(0.0, 1.0, len(self.draws))

    def __repr__(self):
        # the draws' digest tells two samplers of one class apart (the
        # checkpoint fingerprint and the duplicate-subspace check read it)
        digest = hashlib.sha256(self.draws.tobytes()).hexdigest()[:12]
        return f"empirical({self.source!r}, n_draws={len(self.draws)}, draws={digest})"

    def support(self):
        return self.draws[0], self.draws[-1]

    def ppf(self, q):
        return np.interp(q, self._q, self.draws)

    def cdf(self, x):
        return np.interp(x, self.draws, self._q)

    def steps(self):
        values, counts = np.unique(self.draws, return_counts=True)
        return Steps(values, counts, as_int=self.kind == "integer")


def from_sampler(sampler):
    """The empirical distribution of ``N_DRAWS`` seeded draws of ``sampler.rvs``.

    Draws are taken one at a time with ``rvs(random_state=RandomState(0))``,
    as ``ParameterSampler`` calls it. Its ``kind`` is ``"real"`` (every draw
    a distinct float: a continuous distribution, its quantile function
    interpolated between the draws), ``"integer"`` (integer draws) or
    ``"float"`` (repeated floats): a discrete distribution over the values
    drawn.

    Raises a ValueError when the draws are not numbers or when ``rvs``
    ignores ``random_state`` (the search could then not be repeated).
    """
    def draw(n):
        rng = np.random.RandomState(DRAWS_SEED)
        draws = [sampler.rvs(random_state=rng) for _ in range(n)]
        return [d.item() if isinstance(d, np.generic) else d for d in draws]

    try:
        draws = draw(N_DRAWS)
    except Exception as exc:
        raise ValueError(f"its rvs(random_state=...) failed: {exc!r}") from exc
    for d in draws:
        if isinstance(d, bool) or not isinstance(d, numbers.Real) or not np.isfinite(d):
            raise ValueError(
                f"its rvs draws {d!r}, not a finite number; give choices as a list")
    if draw(16) != draws[:16]:
        raise ValueError(
            "its rvs does not repeat its draws for the same random_state, so the search "
            "could not be repeated; make it draw from the random_state it is given")
    return _Empirical(sampler, draws)


def _loc(frozen):
    gen = frozen.dist
    if "loc" in frozen.kwds:
        return frozen.kwds["loc"]
    return frozen.args[gen.numargs] if len(frozen.args) > gen.numargs else 0


def _text(value):
    if isinstance(value, np.ndarray):
        value = value.tolist()
    elif isinstance(value, np.generic):
        value = value.item()
    return repr(value)
