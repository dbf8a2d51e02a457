"""Pareto fronts of several scores: ranks, crowding, hypervolume, scalarization.

Every function here takes a score matrix ``Y`` of shape ``(n, m)``, one row
per point and one column per objective, and every column is **maximized**
(the caller flips the objectives it minimizes). Point ``a`` dominates ``b``
when ``a`` is at least as good in every column and better in one; equal
rows do not dominate each other.
"""

import numpy as np

#: Weight of the sum in the augmented Chebyshev scalarization (ParEGO, Knowles 2006).
CHEBYSHEV_RHO = 0.05
#: The reference point of :func:`reference_point` lies this share of each
#: column's range below its worst value, so the extreme points count.
REFERENCE_MARGIN = 0.1


def dominates(a, b):
    """Whether row(s) ``a`` dominate row(s) ``b`` (broadcast over leading axes).

    Examples
    --------
    >>> dominates([[2, 1], [1, 1], [2, 0]], [1, 1]).tolist()
    [True, False, False]
    """
    a, b = np.asarray(a, dtype=float), np.asarray(b, dtype=float)
    return np.all(a >= b, axis=-1) & np.any(a > b, axis=-1)


def non_dominated_ranks(Y):
    """Rank of each row: 1 for the front, 2 for the front once rank 1 is removed...

    Equal rows share their rank; with one column the ranks are those of
    the distinct values, best first. Fast non-dominated sorting (Deb et al.,
    2002): ``O(m n^2)`` comparisons.

    Examples
    --------
    >>> Y = [[1, 3], [3, 1], [2, 2], [1, 1], [1, 3], [0, 0]]
    >>> non_dominated_ranks(Y).tolist()
    [1, 1, 1, 2, 1, 3]
    >>> non_dominated_ranks([[0.5], [0.9], [0.5]]).tolist()
    [2, 1, 2]
    """
    Y = _matrix(Y)
    n = len(Y)
    beats = dominates(Y[:, None, :], Y[None, :, :])  # beats[i, j]: i dominates j
    n_dominating = beats.sum(axis=0)
    ranks = np.zeros(n, dtype=int)
    front = np.flatnonzero(n_dominating == 0)
    rank = 1
    while len(front):
        ranks[front] = rank
        n_dominating = n_dominating - beats[front].sum(axis=0)
        n_dominating[front] = -1  # ranked: never again in a front
        front = np.flatnonzero(n_dominating == 0)
        rank += 1
    return ranks


def crowding_distance(Y):
    """Crowding distance of each row of one front (Deb et al., 2002).

    For each column, a point scores the gap between the nearest distinct
    values above and below its own, over the column's range; a point
    holding a column's best or worst value scores infinity. Tied values
    score alike whatever their order. A repeated row counts once: its first
    occurrence gets the distance, the repeats 0 (they add nothing to the
    spread). Columns with a single value are left out.

    Examples
    --------
    >>> crowding_distance([[0, 4], [1, 2], [3, 1], [4, 0], [1, 2]]).tolist()
    [inf, 1.5, 1.25, inf, 0.0]
    """
    Y = _matrix(Y)
    first = np.unique(Y, axis=0, return_index=True)[1]
    unique = Y[np.sort(first)]  # distinct rows, in order of first occurrence
    distance = np.zeros(len(unique))
    for column in unique.T:
        values = np.unique(column)
        if len(values) < 2:
            continue
        position = np.searchsorted(values, column)
        below = values[np.maximum(position - 1, 0)]
        above = values[np.minimum(position + 1, len(values) - 1)]
        extreme = (position == 0) | (position == len(values) - 1)
        gap = (above - below) / (values[-1] - values[0])
        distance += np.where(extreme, np.inf, gap)
    result = np.zeros(len(Y))
    result[np.sort(first)] = distance
    return result


def crowded_order(Y):
    """Indices of the rows, best first: by rank, then by crowding within a rank.

    NSGA-II's crowded comparison (Deb et al., 2002); ties keep the rows' order.

    Examples
    --------
    >>> crowded_order([[0, 0], [1, 3], [2, 2], [3, 1]]).tolist()
    [1, 3, 2, 0]
    """
    Y = _matrix(Y)
    ranks = non_dominated_ranks(Y)
    crowding = np.zeros(len(Y))
    for rank in np.unique(ranks):
        members = ranks == rank
        crowding[members] = crowding_distance(Y[members])
    return np.lexsort((np.arange(len(Y)), -crowding, ranks))


def hypervolume(Y, reference):
    """Exact volume dominated by the rows of ``Y`` and dominating ``reference``.

    Rows not better than ``reference`` in every column add nothing. Two
    columns: a sweep in ``O(n log n)``; more: slices along the last column,
    each a hypervolume of one column less (exact for any number of columns,
    ``O(n^(m-1) log n)``, fine for the fronts of a search).

    Examples
    --------
    >>> hypervolume([[1, 3], [2, 2], [3, 1]], reference=[0, 0])
    6.0
    >>> hypervolume([[1, 1, 1], [2, 1, 1]], reference=[0, 0, 0])
    2.0
    """
    Y = _matrix(Y)
    reference = np.asarray(reference, dtype=float).ravel()
    if len(reference) != Y.shape[1]:
        raise ValueError(f"reference has {len(reference)} values, Y has {Y.shape[1]} columns")
    # as a minimization towards 0: the volume of the union of boxes [p, 0]
    P = reference - Y[np.all(Y > reference, axis=1)]
    return float(_volume(-P))


def hypervolume_contributions(Y, reference):
    """Volume each row alone dominates: the hypervolume lost without it.

    A repeated row contributes 0 (its copy keeps the volume).

    Examples
    --------
    >>> hypervolume_contributions([[1, 3], [2, 2], [3, 1], [2, 2]], [0, 0]).tolist()
    [1.0, 0.0, 1.0, 0.0]
    """
    Y = _matrix(Y)
    total = hypervolume(Y, reference)
    keep = np.ones(len(Y), dtype=bool)
    contributions = np.zeros(len(Y))
    for i in range(len(Y)):
        keep[i] = False
        contributions[i] = total - hypervolume(Y[keep], reference)
        keep[i] = True
    return np.maximum(contributions, 0.0)


def hypervolume_improvement(front, candidates, reference):
    """Volume each candidate row would add to the rows of ``front``, alone.

    Examples
    --------
    >>> hypervolume_improvement([[2, 2]], [[3, 1], [1, 1], [3, 3]], [0, 0]).tolist()
    [1.0, 0.0, 5.0]
    """
    front, candidates = _matrix(front), _matrix(candidates)
    base = hypervolume(front, reference)
    return np.array([hypervolume(np.vstack([front, c]), reference) - base
                     for c in candidates])


def select_by_hypervolume(Y, k, reference):
    """Indices of ``k`` rows chosen greedily for the largest hypervolume.

    Each step adds the row that adds the most volume (the greedy answer to
    the hypervolume subset selection problem, within ``1 - 1/e`` of the
    best subset); ties go to the earlier row. Once no row adds volume
    (repeats, or rows the chosen ones dominate), the earliest rows left
    complete the ``k``.

    Examples
    --------
    >>> select_by_hypervolume([[1, 4], [2, 2], [4, 1]], 2, [0, 0]).tolist()
    [0, 2]
    """
    Y = _matrix(Y)
    k = min(int(k), len(Y))
    chosen = greedy_hypervolume(Y[:0], Y, k, reference)
    rest = [i for i in range(len(Y)) if i not in set(chosen)]
    return np.array(sorted(chosen + rest[: k - len(chosen)]), dtype=int)


def greedy_hypervolume(front, candidates, k, reference, believed=None):
    """Up to ``k`` indices of ``candidates``, each adding the most volume to ``front``.

    After each choice the front grows by that candidate's row of
    ``believed`` (default: the candidate itself). It stops early once no
    candidate adds volume. Lazy greedy: a candidate's gain can only shrink
    as the front grows, so only the candidate whose stale gain leads is
    computed again (Minoux, 1978).

    Examples
    --------
    >>> greedy_hypervolume([[2, 2]], [[4, 1], [1, 1], [3, 3]], 3, [0, 0])  # [3, 3] first
    [2, 0]
    """
    front, candidates = _matrix(front), _matrix(candidates)
    believed = candidates if believed is None else _matrix(believed)
    gains = hypervolume_improvement(front, candidates, reference)
    fresh = np.ones(len(candidates), dtype=bool)
    chosen = []
    while len(chosen) < k:
        best = int(np.argmax(gains))
        if not gains[best] > 0:
            break
        if not fresh[best]:
            gains[best] = hypervolume_improvement(front, candidates[[best]], reference)[0]
            fresh[best] = True
            continue
        chosen.append(best)
        gains[best] = -np.inf
        front = np.vstack([front, believed[best]])
        fresh[:] = False
    return chosen


def reference_point(Y):
    """A reference point just below the worst value of each column.

    ``REFERENCE_MARGIN`` of the column's range below it (1 when the column
    holds one value), so that every point of a front adds volume.

    Examples
    --------
    >>> reference_point([[0, 10], [1, 20]]).tolist()
    [-0.1, 9.0]
    """
    Y = _matrix(Y)
    span = np.ptp(Y, axis=0)
    return Y.min(axis=0) - REFERENCE_MARGIN * np.where(span > 0, span, 1.0)


def random_weights(n_objectives, rng, size=None):
    """Weights drawn uniformly from the simplex (they are positive and sum to 1).

    ``size`` rows of weights, or one vector when it is None.

    Examples
    --------
    >>> w = random_weights(3, np.random.default_rng(0))
    >>> w.shape, bool(np.isclose(w.sum(), 1.0))
    ((3,), True)
    """
    return rng.dirichlet(np.ones(int(n_objectives)), size=size)


def chebyshev_scores(Y, weights, rho=CHEBYSHEV_RHO):
    """One score per row (to maximize): the augmented Chebyshev scalarization.

    ParEGO (Knowles, 2006): each column is normalized to [0, 1] over the
    rows given (1 the best), ``d = 1 - normalized`` is the distance to the
    ideal, and the score is ``-(max_j w_j d_j + rho * sum_j w_j d_j)``. Every
    point of the front maximizes it for some ``weights``, also where the
    front is not convex.

    Examples
    --------
    >>> chebyshev_scores([[0, 1], [1, 0], [0.5, 0.5]], [0.5, 0.5]).round(3).tolist()
    [-0.525, -0.525, -0.275]
    """
    Y = _matrix(Y)
    low, span = Y.min(axis=0), np.ptp(Y, axis=0)
    distance = 1.0 - (Y - low) / np.where(span > 0, span, 1.0)
    weighted = distance * np.asarray(weights, dtype=float)
    return -(weighted.max(axis=1) + rho * weighted.sum(axis=1))


def _matrix(Y):
    Y = np.asarray(Y, dtype=float)
    if Y.ndim == 1:
        Y = Y[:, None]
    if Y.ndim != 2:
        raise ValueError(f"scores must be a matrix of shape (n, n_objectives), got {Y.shape}")
    return Y


def _volume(Y):
    """Volume of the union of boxes ``[0, y]`` for the rows of ``Y`` (all positive)."""
    if len(Y) == 0:
        return 0.0
    if Y.shape[1] == 1:
        return Y.max()
    if Y.shape[1] == 2:
        Y = Y[np.lexsort((-Y[:, 1], -Y[:, 0]))]  # by the first column, best first
        heights = np.maximum.accumulate(Y[:, 1])
        widths = Y[:, 0] - np.r_[Y[1:, 0], 0.0]
        return float(np.sum(widths * heights))
    # slices of the last column, highest first: each adds the points that reach it
    Y = Y[np.argsort(-Y[:, -1], kind="stable")]
    levels = np.r_[Y[:, -1], 0.0]
    volume = 0.0
    for i in range(len(Y)):
        thickness = levels[i] - levels[i + 1]
        if thickness > 0:
            head = Y[: i + 1, :-1]
            if head.shape[1] > 2:  # fewer points for the slices below (the sweep needs none)
                head = head[non_dominated_ranks(head) == 1]
            volume += thickness * _volume(head)
    return volume
