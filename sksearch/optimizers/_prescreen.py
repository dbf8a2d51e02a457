"""Pre-selection of bred candidates by a Gaussian-process model of the scores told."""

import numpy as np

from ._pareto import greedy_hypervolume, non_dominated_ranks, reference_point
from .surrogates._acquisition import expected_improvement
from .surrogates._gp import GaussianProcess

#: Scores the model is fitted to at most: the most recent ones (a fit costs
#: cubic time in their number; an evolving population lives where it was last).
MAX_POINTS = 256
#: Finite scores needed before the model ranks anything.
MIN_POINTS = 4
#: The model's hyperparameters are fitted again once the scores told have
#: grown by this factor since their last fit; in between it is only
#: conditioned on the new scores (a generation adds few to many).
REFIT_GROWTH = 1.2
#: Standard deviations above the mean of each score: the optimistic scores
#: whose added hypervolume ranks candidates of several objectives.
OPTIMISM = 1.0


class Prescreen:
    """Rank candidates by their expected improvement under a model of the scores told.

    A metamodel-assisted evolutionary algorithm breeds more candidates than
    it evaluates and evaluates those a cheap model of the scores finds most
    promising: pre-selection (Emmerich, Giotis, Özdemir, Bäck & Giannakoglou,
    2002). The model here is a Gaussian process (ARD Matérn 5/2) of the
    last :data:`MAX_POINTS` finite scores told, conditioned on them at each
    ranking, its hyperparameters fitted again (from the last ones) whenever
    the scores told have grown by :data:`REFIT_GROWTH`; candidates are ranked by expected
    improvement over the best score told (Jones et al., 1998), which weighs
    a high predicted score against an uncertain one.

    Parameters
    ----------
    categorical : array-like of bool of shape (n_dims,), default=None
        The cube's one-hot columns (see
        :class:`~sksearch.optimizers.surrogates._gp.GaussianProcess`).
    random_state : int, numpy.random.Generator or None, default=None
        Seed of the model's likelihood restarts.

    Examples
    --------
    >>> import numpy as np
    >>> from sksearch.optimizers._prescreen import Prescreen
    >>> rng = np.random.default_rng(0)
    >>> X = rng.random((12, 2))
    >>> screen = Prescreen(random_state=0)
    >>> screen.add(X, -np.sum((X - 0.3) ** 2, axis=1))  # best at (0.3, 0.3)
    >>> candidates = np.array([[0.9, 0.9], [0.3, 0.3], [0.0, 1.0]])
    >>> screen.rank(candidates).tolist()
    [1, 2, 0]
    """

    def __init__(self, categorical=None, random_state=None):
        self.categorical = categorical
        self.random_state = random_state
        self._X, self._y = [], []
        self._gp = None
        self._fitted_on = 0  # scores told at the last fit of the hyperparameters

    def add(self, X, y):
        """Remember the scores ``y`` of cube points ``X`` (NaN scores are left out)."""
        y = np.asarray(y, dtype=float)
        finite = np.isfinite(y)
        self._X.extend(np.asarray(X, dtype=float)[finite])
        self._y.extend(y[finite])

    @property
    def ready(self):
        """Whether enough distinct scores were told for the model to rank candidates."""
        return len(self._y) >= MIN_POINTS and np.ptp(self._y[-MAX_POINTS:]) > 0

    def rank(self, candidates):
        """Indices of ``candidates``, highest expected improvement first.

        Ties keep the candidates' order; without :attr:`ready` scores the
        order is unchanged.
        """
        candidates = np.atleast_2d(np.asarray(candidates, dtype=float))
        if not self.ready:
            return np.arange(len(candidates))
        mean, std = self.predict(candidates)
        best = max(self._y[-MAX_POINTS:])
        return np.argsort(-expected_improvement(mean, std, best), kind="stable")

    def predict(self, candidates):
        """The model's mean and standard deviation of the score at ``candidates``
        (needs :attr:`ready` scores)."""
        X, y = np.array(self._X[-MAX_POINTS:]), np.array(self._y[-MAX_POINTS:])
        if self._gp is None:
            self._gp = GaussianProcess(categorical=self.categorical,
                                       random_state=self.random_state)
        optimize = len(self._y) >= REFIT_GROWTH * self._fitted_on
        self._gp.fit(X, y, optimize=optimize)
        if optimize:
            self._fitted_on = len(self._y)
        return self._gp.predict(np.atleast_2d(candidates), return_std=True)


class ParetoPrescreen:
    """Rank candidates of several objectives by the hypervolume they may add.

    One :class:`Prescreen` model per objective. A candidate's optimistic
    scores are each model's mean plus :data:`OPTIMISM` standard deviations;
    candidates are taken greedily, each time the one whose optimistic
    scores add the most hypervolume to the front of the scores told and of
    the candidates already taken (believed at their means): a lower
    confidence bound on the hypervolume, as in SMS-EGO (Ponweiser, Wagner,
    Biermann & Vincze, 2008). Candidates that add nothing follow, those
    nearest to the front first (by the least amount all their optimistic
    scores would need to be raised to leave the front's dominated region).

    Parameters
    ----------
    n_objectives : int
        Columns of the scores told.
    categorical, random_state
        As for :class:`Prescreen`.

    Examples
    --------
    >>> import numpy as np
    >>> from sksearch.optimizers._prescreen import ParetoPrescreen
    >>> rng = np.random.default_rng(0)
    >>> X = rng.random((12, 1))
    >>> screen = ParetoPrescreen(2, random_state=0)
    >>> screen.add(X, np.c_[-(X[:, 0] - 0.2) ** 2, -(X[:, 0] - 0.4) ** 2])  # front in [0.2, 0.4]
    >>> int(screen.rank(np.array([[0.9], [0.3], [0.0]]))[0])
    1
    """

    def __init__(self, n_objectives, categorical=None, random_state=None):
        self.screens = [Prescreen(categorical, random_state) for _ in range(n_objectives)]
        self._Y = np.zeros((0, n_objectives))

    def add(self, X, Y):
        """Remember the score rows ``Y`` of cube points ``X`` (rows with NaN are left out)."""
        Y = np.asarray(Y, dtype=float)
        for screen, column in zip(self.screens, Y.T):
            screen.add(X, column)
        self._Y = np.vstack([self._Y, Y[np.all(np.isfinite(Y), axis=1)]])

    @property
    def ready(self):
        """Whether every objective's model can rank candidates."""
        return all(screen.ready for screen in self.screens)

    def rank(self, candidates, n_first=None):
        """Indices of ``candidates``, the ``n_first`` (default: all) taken greedily first."""
        candidates = np.atleast_2d(np.asarray(candidates, dtype=float))
        if not self.ready:
            return np.arange(len(candidates))
        predictions = [screen.predict(candidates) for screen in self.screens]
        mean = np.column_stack([m for m, _ in predictions])
        optimistic = mean + OPTIMISM * np.column_stack([s for _, s in predictions])
        told = self._Y[-MAX_POINTS:]
        front = told[non_dominated_ranks(told) == 1]
        reference = reference_point(np.vstack([told, optimistic]))
        n_first = len(candidates) if n_first is None else int(n_first)
        order = greedy_hypervolume(front, optimistic, n_first, reference, believed=mean)
        front = np.vstack([front, mean[order]])
        rest = np.setdiff1d(np.arange(len(candidates)), order)
        # how far each optimistic row lies inside the region the front dominates
        gap = (front[None, :, :] - optimistic[rest][:, None, :]).max(axis=2).min(axis=1)
        return np.concatenate([order, rest[np.argsort(gap, kind="stable")]]).astype(int)
