"""The unit cube that every optimizer works in, and what its columns mean.

A :class:`CubeLayout` is the only thing an optimizer learns about the search
space: which columns of the cube ``[0, 1]^d`` are continuous, which hold an
integer (and how many values it takes), which columns form the one-hot block
of a categorical parameter, and, for a union of subspaces, which columns
belong to which subspace. It is plain numpy: optimizers never see parameter
names, estimators or distributions.

Encoding rules (shared by :mod:`sksearch.space` and the optimizers):

* a real parameter is one column, linear or logarithmic in its range;
* an integer (or other discrete) parameter with ``n`` values is one column
  cut into ``n`` bins: equal bins, bins equal on a log scale, or bins with
  given edges (a discrete distribution: each value's bin is as wide as its
  probability); a value sits at the centre of its bin;
* a categorical parameter with ``k >= 2`` choices is ``k`` columns; the
  choice is the column with the largest value (one-hot, no false order);
* a union of ``m >= 2`` subspaces starts with ``m`` selector columns (a
  categorical block); columns of the subspaces that are not selected are
  inactive and :meth:`CubeLayout.snap` sets them to 0.5. Where subspaces
  overlap (``[{"C": [1, 2]}, {"C": [2, 3]}]``), a point is snapped into the
  first subspace that holds its parameters, so that one candidate has one key.
"""

from dataclasses import dataclass, field
from functools import cached_property

import numpy as np
from scipy.spatial.distance import pdist

REAL = "real"
INTEGER = "integer"
CATEGORICAL = "categorical"

_INACTIVE_VALUE = 0.5
#: Narrowest bin of an integer column: its centre stays inside it after any
#: rounding (float64 resolves 1e-16 near 1), so snapping is exact.
MIN_BIN_WIDTH = 1e-12
#: Latin hypercubes of at most this many points are improved by swaps (their
#: cost grows as n^3); larger ones keep the best of fewer random designs.
SWAP_UP_TO = 64
#: Pairwise-distance terms (points^2 x columns) a large design may compute.
MAX_DISTANCE_TERMS = 2_000_000


@dataclass(frozen=True)
class Group:
    """A block of cube columns that encodes one parameter.

    Parameters
    ----------
    kind : {"real", "integer", "categorical"}
        How the columns are decoded.
    start, stop : int
        The block is ``X[:, start:stop]``: one column for real and integer
        parameters, ``n_levels`` columns for categorical ones.
    n_levels : int
        Number of distinct values: choices of a categorical, values of an
        integer; 0 for a real parameter (infinitely many).
    subspace : int
        Index of the subspace the parameter belongs to, or -1 for the
        subspace selector itself.
    log_low : int, default=0
        For an integer on a log scale, its smallest value (> 0): bin ``k``
        then spans ``[log(low + k), log(low + k + 1))`` rescaled to [0, 1].
        0 means equal bins.
    edges : tuple of float or None, default=None
        For bins of any widths (a discrete distribution searched in its
        quantile space): the ``n_levels + 1`` increasing bin edges, from 0
        to 1. Used instead of ``log_low``.
    truncated : bool, default=False
        True when the parameter takes more values than its ``n_levels``
        bins show (a discrete distribution with unbounded support, cut at
        its extreme quantiles): the layout is then not finite.

    Examples
    --------
    >>> from sksearch.space import Space
    >>> group = Space({"n": [3, 5, 8]}).layout.groups[0]
    >>> group.kind, group.columns, group.n_levels
    ('categorical', slice(0, 3, None), 3)
    """

    kind: str
    start: int
    stop: int
    n_levels: int
    subspace: int
    log_low: int = 0
    edges: tuple = None
    truncated: bool = False
    _edges: np.ndarray = field(default=None, init=False, repr=False, compare=False)

    def __post_init__(self):
        if self.edges is not None:
            edges = np.asarray(self.edges, dtype=float)
            if len(edges) != self.n_levels + 1 or np.any(np.diff(edges) <= 0):
                raise ValueError("edges must be n_levels + 1 increasing values")
            edges.flags.writeable = False
            object.__setattr__(self, "_edges", edges)

    @property
    def columns(self):
        return slice(self.start, self.stop)

    def index(self, u):
        """Bin index of cube coordinates ``u`` (an integer group)."""
        return integer_index(u, self.n_levels, self.log_low, self._edges)

    def center(self, index):
        """Cube coordinate of the centre of bin ``index``."""
        return integer_center(index, self.n_levels, self.log_low, self._edges)

    def bounds(self, index):
        """Lower and upper cube edges of bin ``index``."""
        return integer_bounds(index, self.n_levels, self.log_low, self._edges)


class CubeLayout:
    """Column layout of the unit cube for one search space.

    Parameters
    ----------
    groups : sequence of Group
        The parameter blocks of every subspace, in column order (the subspace
        selector, when there is one, comes first).
    n_subspaces : int, default=1
        Number of subspaces in the union.
    home : callable, default=None
        For overlapping subspaces: maps snapped rows to the same
        parameters in the first subspace that holds them (rows it cannot
        move are returned as they are). Given by the space.

    Examples
    --------
    >>> from sksearch.space._cube import CubeLayout, Group
    >>> layout = CubeLayout([Group("real", 0, 1, 0, 0),
    ...                      Group("categorical", 1, 4, 3, 0)])
    >>> layout.n_dims
    4
    >>> layout.snap([[0.3, 0.1, 0.7, 0.2]]).tolist()
    [[0.3, 0.0, 1.0, 0.0]]
    """

    #: A layout with overlapping subspaces counts its distinct points exactly
    #: up to this many points (beyond, :attr:`size` is the sum of the subspaces').
    MAX_COUNTED = 100_000

    def __init__(self, groups, n_subspaces=1, home=None):
        self.groups = tuple(groups)
        self._home = home
        self.n_subspaces = int(n_subspaces)
        self.n_dims = max((g.stop for g in self.groups), default=0)
        self.selector = next((g for g in self.groups if g.subspace < 0), None)
        if self.n_subspaces > 1 and self.selector is None:
            raise ValueError("a union of subspaces needs a selector group")
        kinds = np.full(self.n_dims, REAL, dtype=object)
        for g in self.groups:
            kinds[g.columns] = g.kind
        #: Per column: True where the column is continuous (a real parameter).
        self.continuous = kinds == REAL
        #: Per column: True where the column belongs to a categorical's one-hot block.
        self.categorical = kinds == CATEGORICAL
        #: Per column: number of values of an integer column, else 0.
        self.levels = np.zeros(self.n_dims, dtype=int)
        for g in self.groups:
            if g.kind == INTEGER:
                self.levels[g.start] = g.n_levels

    @property
    def categorical_groups(self):
        """The one-hot blocks, the subspace selector included."""
        return [g for g in self.groups if g.kind == CATEGORICAL]

    # ------------------------------------------------------------------ decode
    def subspace_of(self, X):
        """Index of the subspace each row of ``X`` lies in."""
        X = np.atleast_2d(np.asarray(X, dtype=float))
        if self.selector is None:
            return np.zeros(len(X), dtype=int)
        return np.argmax(X[:, self.selector.columns], axis=1)

    def active(self, X):
        """Boolean mask of the columns that matter for each row of ``X``."""
        X = np.atleast_2d(np.asarray(X, dtype=float))
        sub = self.subspace_of(X)
        mask = np.zeros(X.shape, dtype=bool)
        for g in self.groups:
            mask[:, g.columns] = ((g.subspace < 0) | (sub == g.subspace))[:, None]
        return mask

    def snap(self, X):
        """Canonical cube point of each row: the point that decodes the same.

        Values are clipped to [0, 1], integers moved to the centre of their
        bin, categorical blocks made one-hot and inactive columns set to 0.5.
        Two rows decode to the same parameters exactly when their snapped
        rows are equal.
        """
        X = self._snap(X)
        return X if self._home is None else self._snap(self._home(X))

    def _snap(self, X):
        X = np.clip(np.atleast_2d(np.array(X, dtype=float)), 0.0, 1.0)
        for g in self.groups:
            if g.kind == INTEGER:
                X[:, g.start] = g.center(g.index(X[:, g.start]))
            elif g.kind == CATEGORICAL:
                X[:, g.columns] = one_hot(np.argmax(X[:, g.columns], axis=1), g.n_levels)
        if self.selector is not None:
            X[~self.active(X)] = _INACTIVE_VALUE
        return X

    def keys(self, X):
        """Hashable identity of each row: equal keys, equal parameters."""
        return [row.tobytes() for row in self.snap(X)]

    # ------------------------------------------------------------------ size
    @cached_property
    def size(self):
        """Number of distinct points, or ``inf`` when a real parameter (or a
        discrete one with unboundedly many values) exists."""
        total = self._size_of_subspaces()
        if self._home is not None and total <= self.MAX_COUNTED:
            return float(len(self.enumerate()))
        return total

    def _size_of_subspaces(self):
        total = 0
        for s in range(self.n_subspaces):
            count = 1.0
            for g in self.groups:
                if g.subspace == s:
                    count *= np.inf if g.kind == REAL or g.truncated else g.n_levels
            total += count
        return total

    def enumerate(self):
        """Every distinct point of a finite layout, snapped, one per row."""
        if not np.isfinite(self._size_of_subspaces()):
            raise ValueError("a space with a real parameter cannot be enumerated")
        blocks = []
        for s in range(self.n_subspaces):
            grids = [np.zeros((1, self.n_dims))]
            if self.selector is not None:
                grids[0][0, self.selector.start + s] = 1.0
            for g in self.groups:
                if g.subspace != s:
                    continue
                expanded = []
                for base in grids:
                    block = np.repeat(base, g.n_levels, axis=0)
                    rows = np.tile(np.arange(g.n_levels), len(base))
                    if g.kind == INTEGER:
                        block[:, g.start] = g.center(rows)
                    else:
                        block[:, g.columns] = one_hot(rows, g.n_levels)
                    expanded.append(block)
                grids = expanded
            blocks.extend(grids)
        if not blocks:
            return np.zeros((0, self.n_dims))
        X = self.snap(np.vstack(blocks))
        if self._home is None:
            return X
        _, first = np.unique(X, axis=0, return_index=True)
        return X[np.sort(first)]

    # ------------------------------------------------------------------ designs
    def random(self, n, rng):
        """``n`` points drawn uniformly: uniform parameters after decoding."""
        return np.random.default_rng(rng).random((n, self.n_dims))

    def latin_hypercube(self, n, rng, n_candidates=32):
        """Maximin Latin hypercube design of ``n`` points.

        Each column is a Latin hypercube sample (one point per stratum of
        width 1/n). Among ``n_candidates`` random designs the one whose
        smallest pairwise distance is largest is kept, then, for designs of
        at most ``SWAP_UP_TO`` points, improved by swapping values within a
        column while that increases the smallest distance (Morris &
        Mitchell, 1995). The work is capped for large designs (fewer
        candidates, no swaps): about ``n^2 d`` operations, 1,000 points in
        milliseconds.
        """
        rng = np.random.default_rng(rng)
        if n > SWAP_UP_TO:
            per_design = n * n * max(1, self.n_dims)
            n_candidates = max(1, min(n_candidates, MAX_DISTANCE_TERMS // per_design))
        best, best_score = None, -np.inf
        for _ in range(max(1, n_candidates)):
            design = _lhs(n, self.n_dims, rng)
            score = _min_distance(design)
            if score > best_score:
                best, best_score = design, score
        if 2 < n <= SWAP_UP_TO and self.n_dims > 0:
            for _ in range(4 * n):
                col = rng.integers(self.n_dims)
                i, j = rng.choice(n, 2, replace=False)
                trial = best.copy()
                trial[[i, j], col] = trial[[j, i], col]
                score = _min_distance(trial)
                if score > best_score:
                    best, best_score = trial, score
        return best


def integer_index(u, n_levels, log_low=0, edges=None):
    """Bin index (0..n_levels-1) of cube coordinates ``u``.

    Bins are equal; with ``log_low > 0`` equal on a log scale (bin ``k``
    holds the integer ``log_low + k``); with ``edges`` they are
    ``[edges[k], edges[k + 1])`` (see :class:`Group`).
    """
    u = np.clip(np.asarray(u, dtype=float), 0.0, 1.0)
    if edges is not None:
        index = np.searchsorted(np.asarray(edges, dtype=float), u, side="right") - 1
    elif log_low > 0:
        values = np.floor(log_low * np.exp(u * np.log((log_low + n_levels) / log_low)))
        index = values - log_low
    else:
        index = np.floor(u * n_levels)
    return np.clip(index, 0, n_levels - 1).astype(np.int64)


def integer_bounds(index, n_levels, log_low=0, edges=None):
    """Lower and upper cube edges of bin ``index`` (see :func:`integer_index`)."""
    index = np.asarray(index)
    if edges is not None:
        edges = np.asarray(edges, dtype=float)
        return edges[index], edges[index + 1]
    index = index.astype(float)
    if log_low > 0:
        scale = np.log((log_low + n_levels) / log_low)
        lower = np.log((log_low + index) / log_low) / scale
        upper = np.log((log_low + index + 1) / log_low) / scale
        return lower, upper
    return index / n_levels, (index + 1) / n_levels


def integer_center(index, n_levels, log_low=0, edges=None):
    """Cube coordinate of the centre of bin ``index`` (inverse of :func:`integer_index`)."""
    if edges is None and log_low == 0:
        return (np.asarray(index, dtype=float) + 0.5) / n_levels
    lower, upper = integer_bounds(index, n_levels, log_low, edges)
    return (lower + upper) / 2


def one_hot(index, n_levels):
    """Rows of a one-hot block for integer ``index`` values."""
    out = np.zeros((len(index), n_levels))
    out[np.arange(len(index)), index] = 1.0
    return out


def set_choice(x, group, choice):
    """Make ``choice`` the largest column of a categorical block of ``x`` (in place)."""
    block = x[group.columns]
    current = int(np.argmax(block))
    block[current], block[choice] = block[choice], block[current]
    if choice != current and block[choice] <= block[current]:
        block[choice] = min(1.0, block[current] + 1e-6)
        block[current] = block[choice] - 1e-6


def reflect(X):
    """Values folded back into [0, 1], as by a mirror at each bound."""
    X = np.mod(X, 2.0)
    return np.where(X > 1.0, 2.0 - X, X)


def _lhs(n, d, rng):
    strata = np.argsort(rng.random((n, d)), axis=0)
    return (strata + rng.random((n, d))) / n


def _min_distance(design):
    if len(design) < 2:
        return np.inf
    if len(design) > SWAP_UP_TO:
        return float(pdist(design, "sqeuclidean").min())
    diff = design[:, None, :] - design[None, :, :]
    dist = np.einsum("ijk,ijk->ij", diff, diff)
    dist[np.diag_indices(len(design))] = np.inf
    return dist.min()
