"""Whether two rungs' rankings differ by more than cross-validation noise explains.

Pure arithmetic on scores, for the drop rule of
:class:`~sksearch.engine.fidelity._brackets.Brackets`. The noise of a rung
is measured from the per-split scores of its candidates: every candidate is
scored on the same folds, so a fold that is easy for everyone is no noise;
what is left once each candidate's mean and each fold's mean are taken out
(the residual of a two-way analysis of variance) is how far a candidate's
mean score could move had other folds been drawn.

The question asked of a cheap rung ``k``: could the candidates promoted from
it have the order it gave them at rung ``k + 1``, up to rung ``k + 1``'s
noise? The closest scores in that order are the isotonic regression of
their rung ``k + 1`` scores on their rung ``k`` ranks; the squared distance
to them in noise units is, under that hypothesis, at most a chi-squared
variable of ``n - 1`` degrees of freedom (a conservative p-value: the
evidence asked for is never less than that). The rung's own noise is no
excuse: a rung whose differences are noise ranks by noise, which is what the
rule is there to drop.
"""

import numpy as np
from scipy.stats import chi2


def split_noise(split_scores):
    """Variance of one candidate's mean score from fold to fold draws, and its degrees of freedom.

    Parameters
    ----------
    split_scores : ndarray of shape (n_candidates, n_splits)
        The per-split scores of candidates evaluated on the same folds at
        one rung (rows with a NaN are left out).

    Returns
    -------
    (float, int)
        The residual variance of a two-way analysis of variance divided by
        ``n_splits`` (the variance of a mean over the folds), and its degrees
        of freedom ``(n - 1) * (n_splits - 1)``; ``(nan, 0)`` when the scores
        cannot measure it (fewer than two candidates or folds).

    Examples
    --------
    >>> s = np.array([[0.8, 0.7, 0.9], [0.6, 0.5, 0.7]])  # fold effects only
    >>> variance, df = split_noise(s)
    >>> round(variance, 12), df
    (0.0, 2)
    >>> variance, df = split_noise(np.array([[0.8, 0.6], [0.6, 0.8]]))  # they swap places
    >>> round(variance, 12), df
    (0.02, 1)
    """
    s = np.asarray(split_scores, dtype=float)
    s = s[np.isfinite(s).all(axis=1)] if s.ndim == 2 else s[:0].reshape(0, 1)
    n, k = s.shape
    if n < 2 or k < 2:
        return float("nan"), 0
    residual = s - s.mean(axis=1, keepdims=True) - s.mean(axis=0, keepdims=True) + s.mean()
    df = (n - 1) * (k - 1)
    return float(np.sum(residual**2) / df / k), df


def isotonic(y):
    """The non-decreasing sequence closest to ``y`` in least squares (pool adjacent violators).

    Examples
    --------
    >>> isotonic([1.0, 3.0, 2.0, 4.0]).tolist()
    [1.0, 2.5, 2.5, 4.0]
    """
    blocks = []  # [sum, count] of each block of pooled values
    for value in np.asarray(y, dtype=float):
        blocks.append([value, 1])
        while len(blocks) > 1 and blocks[-2][0] / blocks[-2][1] > blocks[-1][0] / blocks[-1][1]:
            total, count = blocks.pop()
            blocks[-1][0] += total
            blocks[-1][1] += count
    return np.concatenate([np.full(count, total / count) for total, count in blocks])


def disorder_beyond_noise(low, high, noise):
    """The chance that ``high``'s disorder in ``low``'s order is noise alone.

    Parameters
    ----------
    low, high : ndarray of shape (n,)
        The scores of the same candidates at a rung and at the next one.
    noise : float
        The variance of a candidate's mean score at the next rung
        (:func:`split_noise`); NaN when unknown (one fold, a function), then
        any disorder counts as evidence.

    Returns
    -------
    float
        The chi-squared p-value of the distance from ``high`` to the closest
        scores in ``low``'s order, in noise units: small when the rankings
        differ beyond the noise; 1 when ``high`` is in ``low``'s order.

    Examples
    --------
    >>> low = np.arange(8.0)
    >>> disorder_beyond_noise(low, -low, noise=0.01) < 1e-6  # backwards, far beyond the noise
    True
    >>> disorder_beyond_noise(low, -low * 0.01, noise=0.01) > 0.5  # backwards within the noise
    True
    """
    low, high = np.asarray(low, dtype=float), np.asarray(high, dtype=float)
    order = np.lexsort((np.arange(len(low)), low))
    distance = float(np.sum((high[order] - isotonic(high[order])) ** 2))
    if distance <= 1e-12 * max(1.0, float(np.sum(high**2))):
        return 1.0
    if not np.isfinite(noise) or noise <= 0:
        return 0.0
    return float(chi2.sf(distance / noise, df=max(len(low) - 1, 1)))
