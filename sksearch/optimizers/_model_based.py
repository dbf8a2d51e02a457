"""What the model-based optimizers share: initial design, memory, new points only."""

from abc import abstractmethod

import numpy as np

from ._distinct import KnownPoints
from ._base import Optimizer, check_tell


class ModelBasedOptimizer(Optimizer):
    """Base class of the optimizers that model the scores told so far.

    The first :meth:`ask` returns a maximin Latin hypercube of
    ``n_initial_points``; later ones return ``batch_size`` points chosen by
    the subclass's :meth:`_propose`. :meth:`tell` keeps each distinct point
    once (a repeat adds nothing to a model), and no proposal repeats a
    point told.

    The next batch may be asked before the last one is told
    (:attr:`asks_ahead`): the points asked and not yet told are *pending*,
    and a proposal treats them as a batch in progress (see :attr:`pending`).

    Multi-fidelity (BOHB's rule, Falkner et al., ICML 2018): once
    :meth:`observe` has been called, the model is fitted to the scores of
    the highest fidelity that has at least ``n_dims + 2`` (and 3) points
    observed, not to the values :meth:`tell` passes; until one has, asks
    return Latin hypercubes of new points.

    Parameters
    ----------
    layout : CubeLayout
        Meaning of the cube's columns.
    n_initial_points : int
        Size of the initial design.
    batch_size : int
        Points per :meth:`ask` after the initial design.
    random_state : int, numpy.random.Generator or None
        Seed.
    n_objectives : int, default=1
        Columns of the scores told (see :class:`~sksearch.optimizers.Optimizer`).

    Attributes
    ----------
    X_ : ndarray of shape (n_told, n_dims)
        The distinct points told, snapped.
    y_ : ndarray of shape (n_told,) or (n_told, n_objectives)
        Their scores (a matrix with several objectives).
    known : KnownPoints
        The distinct points told.
    """

    def __init__(self, layout, *, n_initial_points, batch_size, random_state, n_objectives=1):
        super().__init__(layout, random_state=random_state, n_objectives=n_objectives)
        if n_initial_points < 1 or batch_size < 1:
            raise ValueError("n_initial_points and batch_size must be at least 1")
        self.n_initial_points = int(n_initial_points)
        self.batch_size = int(batch_size)
        self.X_ = np.zeros((0, layout.n_dims))
        self.y_ = np.zeros(0) if self.n_objectives == 1 else np.zeros((0, self.n_objectives))
        self.known = KnownPoints(layout)
        self._design_asked = False
        self._fidelities = {}  # fidelity -> (X, y) observed there
        self._asked = []  # batches asked and not yet told, oldest first

    flexible_batch = True
    asks_ahead = True

    @property
    def pending(self):
        """The points asked and not yet told, shape ``(n_pending, n_dims)``."""
        if not self._asked:
            return np.zeros((0, self.layout.n_dims))
        return np.vstack(self._asked)

    def ask(self, n=None):
        """The next batch: ``n`` points (default: the initial design's size, then
        ``batch_size``)."""
        if not self._design_asked or len(self.y_) == 0:
            self._design_asked = True
            size = self.n_initial_points if n is None else int(n)
            design = self.layout.latin_hypercube(size, self.rng)
            batch = self._fresh(self.layout.snap(design), self.known)
        else:
            batch = self._propose(self.batch_size if n is None else int(n))
        self._asked.append(batch)
        return batch

    def tell(self, X, y):
        X, y = check_tell(X, y, self.layout.n_dims, self.n_objectives)
        if self._asked and np.array_equal(self._asked[0], X):
            del self._asked[0]  # told: no longer pending
        X = self.layout.snap(X)
        new = self.known.add(X)
        if self._fidelities:  # the model follows observe's scores, not these
            return
        self.X_ = np.vstack([self.X_, X[new]])
        self.y_ = np.concatenate([self.y_, y[new]])

    def observe(self, X, y, fidelity):
        """Keep scores measured at ``fidelity``; model the highest one with enough points."""
        if self.n_objectives > 1:
            raise ValueError("multi-fidelity takes one objective: this optimizer has "
                             f"n_objectives={self.n_objectives}")
        X, y = check_tell(X, y, self.layout.n_dims)
        old_X, old_y = self._fidelities.get(fidelity, (np.zeros((0, X.shape[1])), np.zeros(0)))
        self._fidelities[fidelity] = (np.vstack([old_X, self.layout.snap(X)]),
                                      np.append(old_y, y))
        enough = max(3, self.layout.n_dims + 2)
        for level in sorted(self._fidelities, reverse=True):
            if len(self._fidelities[level][1]) >= enough:
                self.X_, self.y_ = self._fidelities[level]
                return
        self.X_, self.y_ = np.zeros((0, X.shape[1])), np.zeros(0)

    def seed(self, X, y):
        """Add points evaluated before the search to the model's data; the
        initial design is still asked first."""
        self.tell(X, y)

    @abstractmethod
    def _propose(self, n):
        """The next batch, once scores are known: up to ``n`` new points.

        Points asked earlier and not yet told (:attr:`pending`) are being
        evaluated: the batch avoids them and models them as a batch in
        progress."""

    def _fresh(self, X, exclude):
        """Rows of ``X`` with those taken in ``exclude`` (a :class:`KnownPoints`)
        moved to free points, and dropped when none is found (a nearly
        exhausted space); all of them dropped, the first row is returned."""
        X, found = exclude.free(X, self.rng)
        return self.layout.snap(X[found]) if found.any() else X[:1]
