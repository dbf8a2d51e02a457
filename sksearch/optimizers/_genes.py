"""Genes of a cube layout, their operators, and parent selection for the genetic algorithm."""

import numpy as np

from ..space._cube import CATEGORICAL, INTEGER, reflect


class Genes:
    """The genes of a layout and the operators that act on whole genes.

    One gene per layout group: a numeric gene is one column (a real or an
    integer), a categorical gene is its one-hot block.
    """

    def __init__(self, layout):
        self.layout = layout
        self.groups = layout.groups
        self.column_gene = np.zeros(layout.n_dims, dtype=int)
        for i, g in enumerate(self.groups):
            self.column_gene[g.columns] = i
        self.numeric = np.array([g.kind != CATEGORICAL for g in self.groups], dtype=bool)
        self.numeric_columns = np.array(
            [g.start for g in self.groups if g.kind != CATEGORICAL], dtype=int)
        self.starts = np.array([g.start for g in self.groups], dtype=int)
        # Smallest step that can leave an integer's bin (its bins are 1/n wide).
        self.min_step = np.zeros(layout.n_dims)
        for g in self.groups:
            if g.kind == INTEGER:
                self.min_step[g.start] = 1.0 / g.n_levels

    def __len__(self):
        return len(self.groups)

    def uniform(self, A, B, rng):
        """Each gene from either parent with probability 1/2."""
        from_b = rng.random((len(A), len(self))) < 0.5
        return np.where(from_b[:, self.column_gene], B, A)

    def one_point(self, A, B, rng):
        """Genes before a random cut from ``A``, the rest from ``B``."""
        if len(self) < 2:
            return self.uniform(A, B, rng)
        cut = rng.integers(1, len(self), size=len(A))
        from_b = np.arange(len(self))[None, :] >= cut[:, None]
        return np.where(from_b[:, self.column_gene], B, A)

    def sbx(self, A, B, eta, rng, toward_a=0.5):
        """Simulated binary crossover of numeric genes, uniform for categorical ones.

        Bounded SBX of Deb & Agrawal (1995), as in NSGA-II: each numeric gene
        is recombined with probability 1/2, the spread factor's distribution
        truncated so the child stays in [0, 1]; the child lies on ``A``'s
        side of the parents' midpoint with probability ``toward_a``.
        """
        child = self.uniform(A, B, rng)
        cols = self.numeric_columns
        if len(cols) == 0:
            return child
        a, b = A[:, cols], B[:, cols]
        low, high = np.minimum(a, b), np.maximum(a, b)
        gap = high - low
        active = (rng.random(a.shape) < 0.5) & (gap > 1e-12)
        gap = np.where(active, gap, 1.0)
        u = rng.random(a.shape)
        middle = (low + high) / 2.0
        c_low = middle - _sbx_spread(low, gap, u, eta) * gap / 2.0
        c_high = middle + _sbx_spread(1.0 - high, gap, u, eta) * gap / 2.0
        near_a = rng.random(a.shape) < toward_a
        values = np.where(near_a == (a <= b), c_low, c_high)
        child[:, cols] = np.where(active, np.clip(values, 0.0, 1.0), child[:, cols])
        return child

    def redraw(self, X, genes, anywhere, distance, rng):
        """Gene ``genes[i]`` of row ``i`` drawn anew, the other genes kept.

        A numeric gene is drawn uniformly over its range with probability
        ``anywhere``, else uniformly over the part of its range at least
        ``distance`` (a fraction of the range) from its value. A categorical
        gene takes another choice, as in :meth:`mutate`.
        """
        X = np.array(X, dtype=float)
        genes = np.asarray(genes, dtype=int)
        numeric = self.numeric[genes]
        rows, cols = np.flatnonzero(numeric), self.starts[genes[numeric]]
        low = np.maximum(X[rows, cols] - distance, 0.0)
        high = np.minimum(X[rows, cols] + distance, 1.0)
        far = rng.random(len(rows)) * (1.0 - (high - low))  # the range less (low, high)
        far = np.where(far < low, far, far + high - low)
        X[rows, cols] = np.where(rng.random(len(rows)) < anywhere, rng.random(len(rows)), far)
        if not numeric.all():
            rates = np.zeros((len(X), len(self)))
            rates[np.arange(len(X)), genes] = 1.0
            X[~numeric] = self.mutate(X[~numeric], rates[~numeric], 0.0, rng)
        return X

    def mutate(self, X, rates, step, rng, at_least_one=False):
        """Mutate each gene with its probability in ``rates``.

        Numeric genes take a Gaussian step of standard deviation ``step``
        (per column, at least one integer bin), reflected into [0, 1];
        categorical genes switch to another choice drawn uniformly.
        ``at_least_one`` forces one random gene per row to mutate.
        """
        X = np.array(X, dtype=float)
        mutate = rng.random((len(X), len(self))) < np.asarray(rates)
        if at_least_one:
            mutate[np.arange(len(X)), rng.integers(len(self), size=len(X))] = True
        cols = self.numeric_columns
        if len(cols):
            sigma = np.maximum(np.broadcast_to(step, (self.layout.n_dims,))[cols],
                               self.min_step[cols])
            moved = reflect(X[:, cols] + sigma * rng.standard_normal((len(X), len(cols))))
            X[:, cols] = np.where(mutate[:, self.numeric], moved, X[:, cols])
        for i, g in enumerate(self.groups):
            if g.kind != CATEGORICAL:
                continue
            rows = np.flatnonzero(mutate[:, i])
            if len(rows) == 0:
                continue
            current = np.argmax(X[rows, g.columns], axis=1)
            # Another choice, uniform among the n_levels - 1 others.
            new = (current + rng.integers(1, g.n_levels, size=len(rows))) % g.n_levels
            block = np.zeros((len(rows), g.n_levels))
            block[np.arange(len(rows)), new] = 1.0
            X[rows, g.columns] = block
        return X

    def diversity(self, X):
        """Mean spread of the genes of ``X`` (see :meth:`~sksearch.optimizers.GeneticAlgorithm.diversity`)."""
        if len(X) < 2 or len(self) == 0:
            return 1.0
        spreads = []
        for g in self.groups:
            if g.kind == CATEGORICAL:
                counts = np.bincount(np.argmax(X[:, g.columns], axis=1), minlength=g.n_levels)
                spreads.append((1 - counts.max() / len(X)) / (1 - 1 / g.n_levels))
            else:
                spreads.append(np.std(X[:, g.start]) * np.sqrt(12.0))
        return float(np.mean(spreads))


def tournament_selection(scores, n, size, rng):
    """Indices of ``n`` winners of tournaments among ``size`` random candidates.

    Candidates are drawn with replacement; the highest score wins (NaN scores
    lose to every finite score).

    Examples
    --------
    >>> import numpy as np
    >>> winners = tournament_selection(np.array([0.1, 0.9, 0.5]), 900, 3,
    ...                                np.random.default_rng(0))
    >>> np.bincount(winners).tolist()  # expected 33, 633, 233
    [29, 631, 240]
    """
    scores = np.where(np.isnan(scores), -np.inf, np.asarray(scores, dtype=float))
    entrants = rng.integers(len(scores), size=(n, max(1, size)))
    return entrants[np.arange(n), np.argmax(scores[entrants], axis=1)]


def stochastic_universal_sampling(scores, n, rng):
    """Indices of ``n`` parents drawn by stochastic universal sampling.

    Fitness proportionate selection with ``n`` equally spaced pointers on one
    spin of the roulette (Baker, 1987): each candidate is selected
    ``floor(e)`` or ``ceil(e)`` times, ``e = n * fitness / total``. Fitness is
    the score minus the worst finite score (windowing), so negative scores
    work; NaN scores get no share; equal scores share evenly. The selected
    indices are returned shuffled.

    Examples
    --------
    >>> import numpy as np
    >>> idx = stochastic_universal_sampling(np.array([-3.0, -2.0, -1.0, np.nan]), 6,
    ...                                     np.random.default_rng(0))
    >>> np.bincount(idx, minlength=4).tolist()
    [0, 2, 4, 0]
    """
    scores = np.asarray(scores, dtype=float)
    finite = np.isfinite(scores)
    if not finite.any():
        fitness = np.ones(len(scores))
    else:
        fitness = np.where(finite, scores - scores[finite].min(), 0.0)
        if fitness.sum() <= 0:
            fitness = finite.astype(float)
    cumulative = np.cumsum(fitness)
    pointers = (rng.random() + np.arange(n)) * (cumulative[-1] / n)
    chosen = np.searchsorted(cumulative, pointers, side="right")
    return rng.permutation(np.minimum(chosen, len(scores) - 1))


def _sbx_spread(room, gap, u, eta):
    """SBX spread factor ``beta_q``, truncated so the child keeps ``room`` to its bound.

    Deb & Agrawal (1995), bounded form of NSGA-II: ``beta = 1 + 2 room / gap``,
    ``alpha = 2 - beta^-(eta + 1)``.
    """
    alpha = 2.0 - (1.0 + 2.0 * room / gap) ** -(eta + 1.0)
    ua = u * alpha
    inverse = np.where(u <= 1.0 / alpha, ua, 1.0 / np.maximum(2.0 - ua, 1e-12))
    return inverse ** (1.0 / (eta + 1.0))
