"""Acquisition functions and their maximization over the unit cube.

An acquisition turns the surrogate's posterior mean and standard deviation
at a point into how desirable it is to evaluate that point next; the next
candidate maximizes it. All of them are written for a score to **maximize**.
Expected improvement is computed in log space (Ament et al., 2023,
"Unexpected Improvements to Expected Improvement for Bayesian
Optimization"), so that it keeps a useful gradient far from the incumbent,
where the plain formula underflows to zero.
"""

import numpy as np
from scipy.optimize import minimize
from scipy.special import erfcx, log_ndtr, ndtr

ACQUISITIONS = ("ei", "pi", "ucb")

_LOG_SQRT_2PI = 0.5 * np.log(2 * np.pi)
_LOG_SQRT_PI_2 = 0.5 * np.log(np.pi / 2)
# Below -1/sqrt(machine epsilon) the asymptotic form of log h is exact in
# floating point (Ament et al., 2023, eq. 9).
_Z_ASYMPTOTIC = -1.0 / np.sqrt(np.finfo(float).eps)
# Evaluations of the acquisition (and its gradient) polishing the best candidates:
# where the improvement expected is tiny its log is flat, and L-BFGS-B wanders
# for hundreds of evaluations that change no proposal; 40 gave the same regret
# on the shifted functions as 200, at a fifth of the cost.
POLISH_EVALUATIONS = 40


class Acquisition:
    """An acquisition function of the posterior mean and standard deviation.

    Parameters
    ----------
    name : {"ei", "pi", "ucb"}
        ``"ei"``: expected improvement over the best score seen,
        ``E[max(f(x) - best - xi, 0)]`` (Jones et al., 1998), in log space.
        ``"pi"``: probability of improvement ``P(f(x) > best + xi)``
        (Kushner, 1964), in log space. ``"ucb"``: upper confidence bound
        ``mean + kappa * std`` (Srinivas et al., 2010); on a loss to minimize
        it is the lower confidence bound.
    xi : float, default=0.0
        Improvement demanded by ``"ei"`` and ``"pi"``, in units of the score.
    kappa : float, default=1.96
        Weight of the standard deviation in ``"ucb"`` (a 95% bound).

    Examples
    --------
    >>> import numpy as np
    >>> from sksearch.optimizers.surrogates._acquisition import Acquisition
    >>> ei = Acquisition("ei")
    >>> value, _, _ = ei(np.array([0.0]), np.array([1.0]), best=0.0)
    >>> float(np.exp(value[0]))  # phi(0): the EI of a standard normal at the incumbent
    0.3989422804014327
    """

    def __init__(self, name="ei", *, xi=0.0, kappa=1.96):
        if name not in ACQUISITIONS:
            raise ValueError(f"acquisition must be one of {ACQUISITIONS}, got {name!r}")
        self.name, self.xi, self.kappa = name, float(xi), float(kappa)

    def __call__(self, mean, std, best):
        """Value to maximize and its derivatives in ``mean`` and in ``std``."""
        if self.name == "ucb":
            return mean + self.kappa * std, np.ones_like(mean), np.full_like(std, self.kappa)
        z = (mean - best - self.xi) / std
        if self.name == "ei":
            value = np.log(std) + log_h(z)
            ratio = np.exp(log_ndtr(z) - log_h(z))  # d log h / dz = Phi(z) / h(z)
            return value, ratio / std, (1.0 - ratio * z) / std
        value = log_ndtr(z)
        ratio = np.exp(-0.5 * z**2 - _LOG_SQRT_2PI - value)  # phi(z) / Phi(z)
        return value, ratio / std, -ratio * z / std


def expected_improvement(mean, std, best, xi=0.0):
    """Closed-form expected improvement ``std * (phi(z) + z Phi(z))``.

    ``z = (mean - best - xi) / std`` (Jones et al., 1998, eq. 15).
    """
    z = (np.asarray(mean, dtype=float) - best - xi) / std
    return std * (np.exp(-0.5 * z**2 - _LOG_SQRT_2PI) + z * ndtr(z))


def log_h(z):
    """``log(phi(z) + z Phi(z))`` without underflow (Ament et al., 2023, eq. 9)."""
    z = np.asarray(z, dtype=float)
    out = np.empty_like(z)
    upper = z > -1.0
    zu = z[upper]
    out[upper] = np.log(np.exp(-0.5 * zu**2 - _LOG_SQRT_2PI) + zu * ndtr(zu))
    middle = ~upper & (z > _Z_ASYMPTOTIC)
    zm = z[middle]
    inner = np.log(erfcx(-zm / np.sqrt(2)) * np.abs(zm)) + _LOG_SQRT_PI_2
    out[middle] = -0.5 * zm**2 - _LOG_SQRT_2PI + _log1mexp(inner)
    tail = ~upper & ~middle
    out[tail] = -0.5 * z[tail] ** 2 - _LOG_SQRT_2PI - 2.0 * np.log(np.abs(z[tail]))
    return out


def _log1mexp(x):
    """``log(1 - exp(x))`` for ``x < 0``, accurate on both sides of -log 2 (Mächler, 2012)."""
    return np.where(x > -np.log(2), np.log(-np.expm1(x)), np.log1p(-np.exp(x)))


def maximize(objective, layout, candidates, *, exclude, n_polish=5):
    """The candidates' best point after local polishing, skipping the points ``exclude`` takes.

    Parameters
    ----------
    objective : callable
        ``objective(X, return_grad)`` gives the acquisition at snapped rows
        ``X`` and, with ``return_grad``, its gradient in ``X``.
    layout : CubeLayout
    candidates : ndarray of shape (n, n_dims)
        The global sample (random and local points); snapped here.
    exclude : KnownPoints
        Points that must not be proposed (known candidates and their
        near-duplicates).
    n_polish : int, default=5
        Best distinct candidates polished with L-BFGS-B over their active
        continuous columns (integer and categorical columns stay fixed:
        the surrogate sees snapped inputs, so those are piecewise constant).

    Returns
    -------
    point : ndarray of shape (n_dims,) or None
        None when every candidate is excluded.
    """
    X = layout.snap(candidates)
    keys = layout.keys(X)
    # known keys out now; near-duplicates (rare, costlier to find) when picking
    fresh = np.array([k not in exclude for k in keys], dtype=bool)
    _, first = np.unique(np.array(keys, dtype=object), return_index=True)
    distinct = np.zeros(len(X), dtype=bool)
    distinct[first] = True
    X = X[fresh & distinct]
    if len(X) == 0:
        return None
    values = objective(X, False)
    order = np.argsort(-values, kind="stable")
    starts, start_values = X[order[:n_polish]], values[order[:n_polish]]
    polished, polished_values = _polish(objective, layout, starts)
    pool = np.vstack([polished, starts])
    pool_values = np.r_[polished_values, start_values]
    for i in np.argsort(-pool_values, kind="stable"):
        if not exclude.taken(pool[i : i + 1])[0]:
            return pool[i]
    for i in np.argsort(-values, kind="stable")[n_polish:]:
        if not exclude.taken(X[i : i + 1])[0]:
            return X[i]
    return None


def _polish(objective, layout, starts):
    """L-BFGS-B from each start at once: the starts are independent, so the
    sum of their acquisitions has a separable gradient."""
    free = layout.active(starts) & layout.continuous[None, :]
    if not free.any():
        return starts, objective(starts, False)

    def negative(flat):
        X = starts.copy()
        X[free] = flat
        value, grad = objective(X, True)
        return -value.sum(), -grad[free]

    options = {"maxiter": POLISH_EVALUATIONS, "maxfun": POLISH_EVALUATIONS}
    result = minimize(negative, starts[free], jac=True, method="L-BFGS-B",
                      bounds=[(0.0, 1.0)] * int(free.sum()), options=options)
    X = starts.copy()
    X[free] = result.x
    X = layout.snap(X)
    return X, objective(X, False)
