"""What the model-based optimizers share: initial design, memory, new points only."""

from abc import abstractmethod

import numpy as np

from .._distinct import KnownPoints
from ._base import Optimizer, check_tell


class ModelBasedOptimizer(Optimizer):
    """Base class of the optimizers that model the scores told so far.

    The first :meth:`ask` returns a maximin Latin hypercube of
    ``n_initial_points``; later ones return ``batch_size`` points chosen by
    the subclass's :meth:`_propose`. :meth:`tell` keeps each distinct point
    once (a repeat adds nothing to a model), and no proposal repeats a
    point told.

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

    Attributes
    ----------
    X_ : ndarray of shape (n_told, n_dims)
        The distinct points told, snapped.
    y_ : ndarray of shape (n_told,)
        Their scores.
    known : KnownPoints
        The distinct points told.
    """

    def __init__(self, layout, *, n_initial_points, batch_size, random_state):
        super().__init__(layout, random_state=random_state)
        if n_initial_points < 1 or batch_size < 1:
            raise ValueError("n_initial_points and batch_size must be at least 1")
        self.n_initial_points = int(n_initial_points)
        self.batch_size = int(batch_size)
        self.X_ = np.zeros((0, layout.n_dims))
        self.y_ = np.zeros(0)
        self.known = KnownPoints(layout)
        self._design_asked = False

    def ask(self):
        if not self._design_asked or len(self.y_) == 0:
            self._design_asked = True
            design = self.layout.latin_hypercube(self.n_initial_points, self.rng)
            return self._fresh(self.layout.snap(design), self.known)
        return self._propose()

    def tell(self, X, y):
        X, y = check_tell(X, y, self.layout.n_dims)
        X = self.layout.snap(X)
        new = self.known.add(X)
        self.X_ = np.vstack([self.X_, X[new]])
        self.y_ = np.append(self.y_, y[new])

    def seed(self, X, y):
        """Add points evaluated before the search to the model's data; the
        initial design is still asked first."""
        self.tell(X, y)

    @abstractmethod
    def _propose(self):
        """The next batch, once scores are known: up to ``batch_size`` new points."""

    def _fresh(self, X, exclude):
        """Rows of ``X`` with those taken in ``exclude`` (a :class:`KnownPoints`)
        moved to free points, and dropped when none is found (a nearly
        exhausted space); all of them dropped, the first row is returned."""
        X, found = exclude.free(X, self.rng)
        return self.layout.snap(X[found]) if found.any() else X[:1]
