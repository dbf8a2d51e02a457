"""Warping of the scores before a Gaussian process models them.

Scores are often far from Gaussian: a loss spans decades, an accuracy piles
up below its ceiling. A monotone power transform makes them closer to
Gaussian, which a stationary Gaussian process models better (HEBO, Cowen-Rivers
et al., 2022, "HEBO: Pushing the limits of sample-efficient hyperparameter
optimisation", JAIR 74). Monotone, it keeps the order of the scores, so the
best point is the same before and after.
"""

import numpy as np
from scipy.stats import yeojohnson


def yeo_johnson(y, exponent=None):
    """Standardize ``y``, then apply the Yeo-Johnson transform.

    ``psi(u) = ((u + 1)^lambda - 1) / lambda`` for ``u >= 0`` and
    ``-((1 - u)^(2 - lambda) - 1) / (2 - lambda)`` for ``u < 0`` (Yeo &
    Johnson, 2000, "A new family of power transformations to improve
    normality or symmetry", Biometrika 87(4)).

    Parameters
    ----------
    y : ndarray of shape (n,)
        Scores, not all equal.
    exponent : float, default=None
        ``lambda``; None: the one that makes the transformed scores most
        likely under a normal distribution (maximum likelihood).

    Returns
    -------
    warped : ndarray of shape (n,)
    log_jacobian : float
        ``sum_i log(d warped_i / d y_i)``: what the transform adds to the
        log density of ``y`` (standardization included).
    exponent : float

    Examples
    --------
    >>> import numpy as np
    >>> from sksearch.optimizers.surrogates._warping import yeo_johnson
    >>> y = -np.logspace(0, 3, 6)  # minus a loss spanning three decades
    >>> warped, _, _ = yeo_johnson(y)
    >>> bool(np.all(np.diff(warped) < 0))  # the order is kept
    True
    """
    y = np.asarray(y, dtype=float)
    std = y.std()
    u = (y - y.mean()) / std
    if exponent is None:
        warped, lam = yeojohnson(u)
    else:
        warped, lam = yeojohnson(u, lmbda=exponent), exponent
    # d psi / du = (u + 1)^(lambda - 1) for u >= 0, (1 - u)^(1 - lambda) below
    positive = u >= 0
    log_slope = np.empty_like(u)
    log_slope[positive] = (lam - 1.0) * np.log1p(u[positive])
    log_slope[~positive] = (1.0 - lam) * np.log1p(-u[~positive])
    return warped, float(log_slope.sum() - len(y) * np.log(std)), float(lam)
