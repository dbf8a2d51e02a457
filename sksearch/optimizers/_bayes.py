"""Bayesian optimization with a Gaussian-process surrogate, batch by batch."""

from functools import lru_cache

import numpy as np
from threadpoolctl import ThreadpoolController

from .surrogates._acquisition import Acquisition, maximize
from .surrogates._gp import GaussianProcess
from ._model_based import ModelBasedOptimizer
from ._pareto import chebyshev_scores, random_weights
from .surrogates._warping import yeo_johnson

# Points of the global sample that maximizes the acquisition: uniform ones,
# and moves from the N_ANCHORS best points seen (Gaussian steps of these
# fractions of the cube, and uniform redraws of single parameters).
N_RANDOM_CANDIDATES = 1000
N_LOCAL_CANDIDATES = 500
LOCAL_STEPS = (0.01, 0.05, 0.2)
N_ANCHORS = 5
# Fits between two choices of warping or none, and between two restarts of the
# likelihood maximization from random hyperparameters (see _fit_surrogate).
SELECT_EVERY = 5
RESTART_EVERY = 5
# L-BFGS-B iterations of the model not in use when the two are compared: its
# hyperparameters of the last comparison are close, a few steps suffice.
SELECT_ITERATIONS = 4


class BayesianOptimizer(ModelBasedOptimizer):
    """Gaussian-process Bayesian optimization with batches (kriging believer).

    The first :meth:`ask` returns a maximin Latin hypercube of
    ``n_initial_points``. Every later one fits a
    :class:`~sksearch.optimizers.surrogates._gp.GaussianProcess` to the points told so
    far and returns ``batch_size`` points, each the maximizer of the
    acquisition among a global sample (uniform points and moves from the
    best points) polished with L-BFGS-B. After each point of a batch the
    surrogate is told that point with its predicted mean as value (the
    kriging believer of Ginsbourger et al., 2010): the mean does not move,
    but the uncertainty there collapses, so the next point goes elsewhere.
    With ``batch_size=1`` the next point is asked while the last one is
    evaluated (:attr:`asks_ahead`); the pending point is believed the same
    way before the next is chosen.

    Scores are modelled as they are or after a Yeo-Johnson power transform
    (monotone: the best stays the best), whichever the marginal likelihood
    prefers: a transform helps much when scores span decades.

    Several objectives (``n_objectives > 1``; ParEGO, Knowles, 2006): each
    point of a batch draws its own weights, uniform on the simplex, and the
    surrogate is fitted to the augmented Chebyshev scalarization of the
    scores told under them
    (:func:`~sksearch.optimizers._pareto.chebyshev_scores`); the point
    maximizes the acquisition of that one score, the batch's earlier points
    (and pending ones) believed at the model's mean. Every point of the
    front maximizes the scalarization for some weights, so the batches
    spread along it; an ask costs one fit of the model per point.

    The surrogate only sees snapped points (:meth:`CubeLayout.snap`): an
    integer sits at the centre of its bin, a categorical is one-hot and
    inactive columns are constant, so the acquisition is flat within a bin
    and rounding cannot fool it (Garrido-Merchán & Hernández-Lobato, 2020).
    No point already told or already in the batch is proposed.

    Parameters
    ----------
    layout : CubeLayout
        Meaning of the cube's columns.
    n_initial_points : int, default=10
        Size of the initial design.
    batch_size : int, default=1
        Points per :meth:`ask` after the initial design.
    acquisition : {"ei", "pi", "ucb"}, default="ei"
        See :class:`~sksearch.optimizers.surrogates._acquisition.Acquisition`.
    xi : float, default=0.0
        Improvement demanded by ``"ei"`` and ``"pi"``, in units of the score
        as modelled (after the warping, when one is used).
    kappa : float, default=1.96
        Exploration weight of ``"ucb"``.
    random_state : int, numpy.random.Generator or None, default=None
        Seed.
    n_objectives : int, default=1
        Columns of the scores told (see :class:`~sksearch.optimizers.Optimizer`).

    Examples
    --------
    >>> from sksearch._testing import make_function
    >>> from sksearch.optimizers._bayes import BayesianOptimizer
    >>> f = make_function("branin", seed=0)
    >>> opt = BayesianOptimizer(f.layout, n_initial_points=8, random_state=0)
    >>> for _ in range(12):
    ...     X = opt.ask()
    ...     opt.tell(X, -f.on_cube(X))
    >>> bool(-max(opt.y_) - f.f_min < 0.1)
    True
    """

    def __init__(self, layout, *, n_initial_points=10, batch_size=1, acquisition="ei",
                 xi=0.0, kappa=1.96, random_state=None, n_objectives=1):
        super().__init__(layout, n_initial_points=n_initial_points, batch_size=batch_size,
                         random_state=random_state, n_objectives=n_objectives)
        self.acquisition = Acquisition(acquisition, xi=xi, kappa=kappa)
        self._raw_gp = GaussianProcess(categorical=layout.categorical, random_state=self.rng)
        self._warped_gp = GaussianProcess(categorical=layout.categorical, random_state=self.rng)
        self._exponent = None  # of the warping in use; None: no warping
        self._n_fits = 0

    @property
    def asks_ahead(self):
        """Batches of one are asked while the last one is evaluated; larger ones wait.

        Asked ahead, batches of 2 lost to waiting batches of 2 on 7 of 9 test
        functions and batches of 16 far more (``benchmarks.ask_ahead``,
        ``benchmarks.batch_scaling``); a batch of one gained on 6 of 9."""
        return self.batch_size == 1

    def _propose(self, n):
        # the matrices are small: BLAS threads only add synchronization
        with _threadpools().limit(limits=1, user_api="blas"):
            if self.n_objectives == 1:
                return self._kriging_believer_batch(n, self.y_, self.pending)
            batch, taken = np.zeros((0, self.layout.n_dims)), self.known.copy()
            for _ in range(n):  # ParEGO: each point its own weights
                y = chebyshev_scores(self.y_, random_weights(self.n_objectives, self.rng))
                point = self._kriging_believer_batch(1, y, np.vstack([self.pending, batch]))
                if len(batch) and taken.taken(point)[0]:
                    break  # nothing new was found: the space is nearly exhausted
                taken.add(point)
                batch = np.vstack([batch, point])
            return batch

    def _kriging_believer_batch(self, n, y, pending):
        """``n`` points for the scores ``y`` of ``X_``, ``pending`` believed at the model's mean."""
        gp, modelled = self._fit_surrogate(y)
        best = modelled.max()
        exclude = self.known.copy()
        if len(pending):
            exclude.add(pending)
            gp = gp.condition_on(pending, gp.predict(pending))
        batch = []
        for _ in range(n):
            def objective(X, return_grad, gp=gp):
                if not return_grad:
                    mean, std = gp.predict(X, return_std=True)
                    return self.acquisition(mean, np.maximum(std, 1e-9), best)[0]
                mean, std, dmean, dstd = gp.predict(X, return_grad=True)
                value, d_mean, d_std = self.acquisition(mean, np.maximum(std, 1e-9), best)
                return value, d_mean[:, None] * dmean + d_std[:, None] * dstd

            point = maximize(objective, self.layout, self._candidates(y), exclude=exclude)
            if point is None:  # every candidate is known: the space is (nearly) exhausted
                if batch:
                    break
                point = self._fresh(self.layout.snap(self.layout.random(1, self.rng)), exclude)[0]
            batch.append(point)
            exclude.add(point[None])
            if len(batch) < n:
                gp = gp.condition_on(point[None], gp.predict(point[None]))
        return np.array(batch)

    def _fit_surrogate(self, y):
        """The Gaussian process of the scores ``y`` or of their warped values, and those values.

        Every ``SELECT_EVERY`` fits, both are fitted and the one under which
        the scores are more likely is kept: marginal likelihood of the scores
        themselves (the warping's Jacobian included), less one for the
        warping's fitted exponent (Akaike's penalty). In between, only the
        one kept is refitted (with the same exponent), and every
        ``RESTART_EVERY`` fits also from random hyperparameters; restarts
        and selections fall on different fits, so that no proposal pays for
        both.
        """
        n = len(y)
        select = self._n_fits % SELECT_EVERY == 0
        restart = self._n_fits % RESTART_EVERY == RESTART_EVERY // 2
        self._n_fits += 1
        if y.std() == 0:
            return self._raw_gp.fit(self.X_, y, restart=restart), y
        if not select:
            if self._exponent is None:
                return self._raw_gp.fit(self.X_, y, restart=restart), y
            warped = yeo_johnson(y, self._exponent)[0]
            return self._warped_gp.fit(self.X_, warped, restart=restart), warped
        # the model in use is polished fully, the other one (fitted at the last
        # selection) only enough to compare them
        warping = self._exponent is not None
        self._raw_gp.fit(self.X_, y, max_iter=self._select_iterations(self._raw_gp, warping))
        raw = self._raw_gp.log_marginal_likelihood_value_ - n * np.log(y.std())
        warped, log_jacobian, exponent = yeo_johnson(y)
        self._exponent = None
        if not np.all(np.isfinite(warped)) or warped.std() == 0:
            return self._raw_gp, y
        self._warped_gp.fit(self.X_, warped,
                            max_iter=self._select_iterations(self._warped_gp, not warping))
        evidence = (self._warped_gp.log_marginal_likelihood_value_
                    - n * np.log(warped.std()) + log_jacobian - 1.0)
        if evidence <= raw:
            return self._raw_gp, y
        self._exponent = exponent
        return self._warped_gp, warped

    @staticmethod
    def _select_iterations(gp, other):
        """L-BFGS-B iterations of ``gp`` at a selection: few for the ``other``
        model once fitted, else its default."""
        return SELECT_ITERATIONS if other and gp.theta_ is not None else None

    def _candidates(self, y):
        """The global sample: every point of a small finite space, else uniform
        points and moves from the best points told (by their scores ``y``)."""
        layout = self.layout
        if layout.size <= N_RANDOM_CANDIDATES + N_LOCAL_CANDIDATES:
            return layout.enumerate()
        anchors = self.X_[np.argsort(-y, kind="stable")[:N_ANCHORS]]
        local = anchors[self.rng.integers(len(anchors), size=N_LOCAL_CANDIDATES)]
        steps = self.rng.choice(LOCAL_STEPS, size=(N_LOCAL_CANDIDATES, 1))
        # reals and integers (ordered) take Gaussian steps; an integer moves by
        # at least one value half of the time
        ordered = layout.continuous | (layout.levels > 0)
        one_value = np.where(layout.levels > 0, 0.5 / np.maximum(layout.levels, 1), 0.0)
        scale = np.maximum(steps, one_value)
        local = local + scale * self.rng.standard_normal(local.shape) * ordered
        # and each parameter is redrawn uniformly with probability 1 / (number of
        # parameters): a categorical one moves, and a real one may jump to
        # another basin of a multimodal score
        for g in layout.groups:
            redraw = self.rng.random(N_LOCAL_CANDIDATES) < 1.0 / len(layout.groups)
            local[redraw, g.columns] = self.rng.random((redraw.sum(), g.stop - g.start))
        return np.vstack([layout.random(N_RANDOM_CANDIDATES, self.rng), np.clip(local, 0, 1)])


@lru_cache(maxsize=1)
def _threadpools():
    return ThreadpoolController()
