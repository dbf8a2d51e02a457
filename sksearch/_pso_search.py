"""Particle swarm hyperparameter search."""

import warnings
from numbers import Integral, Real

from .engine.inputs._no_bools import no_bools
from .engine._base_search import BaseOptimizerSearch
from .engine._sklearn import Interval
from .optimizers._pso import ParticleSwarm


class PSOSearchCV(BaseOptimizerSearch):
    """Particle swarm search over hyperparameters, a drop-in ``RandomizedSearchCV``.

    A swarm of candidates moves through the search space: each particle is
    pulled towards the best parameters it has found and the best the swarm
    has found (Kennedy & Eberhart, 1995). One swarm step is one batch: all
    the particles are cross-validated together, in parallel. Integer and
    log-scale parameters move on their own scale, categorical ones without
    any false order between the choices. The swarm is sized and scheduled
    for budgets of tens of candidates; see
    :class:`~sksearch.optimizers.ParticleSwarm` for the algorithm.

    ``n_iter`` counts distinct candidates, as in ``RandomizedSearchCV``: a
    candidate is never fitted twice, and a particle that lands on known
    parameters is moved to a neighbouring unexplored candidate. Besides
    ``iteration`` (the swarm step), ``cv_results_`` records ``particle``,
    the index of the particle that proposed each candidate (-1 for
    ``initial_candidates``).

    With ``resource`` (multi-fidelity), each swarm step enters a bracket of
    successive halving: all its particles are evaluated at a small
    resource and the best are promoted up to the full one. Once the bracket
    is over the swarm is told, for each particle, its full-resource score if
    it got there, else a value below every particle that went further
    (ordered as their scores where they stopped): personal and swarm bests
    never compare a cheap score with a full one. A bracket starts at most
    ``ceil(log_factor(n_particles))`` rungs below the full resource.

    Parameters
    ----------
    {search_parameters}

    n_particles : int, default=None
        Swarm size: candidates per swarm step. None: ``round(n_iter / 10)``
        (about ten steps over the budget), at least 4 and at most
        ``10 + 2 * sqrt(d)``, ``d`` being the number of columns of the
        encoded space (one per real or integer parameter, one per choice of a
        categorical one). It never depends on ``n_jobs``, so results do not
        either. A swarm too large for ``n_iter`` to take a second step is
        kept as given, with a warning at ``fit``: the search is then a Latin
        hypercube sample whose particles never move.

    inertia : float, default=0.7298
        Weight of a particle's previous velocity. With the defaults of
        ``cognitive`` and ``social`` it is the constriction-factor setting
        of Clerc & Kennedy (2002), which converges without a velocity limit.

    cognitive : float, default=1.49618
        Pull towards the particle's own best parameters.

    social : float, default=1.49618
        Pull towards the swarm's best parameters.

    {common_parameters}

    Attributes
    ----------
    {common_attributes}

    See Also
    --------
    GeneticSearchCV : Genetic algorithm search with the same interface.
    BayesSearchCV : Bayesian optimization search with the same interface.
    sklearn.model_selection.RandomizedSearchCV : Random search.

    References
    ----------
    J. Kennedy and R. Eberhart, "Particle swarm optimization", Proc. ICNN, 1995.
    M. Clerc and J. Kennedy, "The particle swarm - explosion, stability, and
    convergence in a multidimensional complex space", IEEE TEVC 6(1), 2002.

    Examples
    --------
    >>> from scipy.stats import loguniform
    >>> from sklearn.datasets import load_iris
    >>> from sklearn.svm import SVC
    >>> from sksearch import PSOSearchCV
    >>> X, y = load_iris(return_X_y=True)
    >>> space = {"C": loguniform(1e-2, 1e2), "gamma": loguniform(1e-3, 1e1)}
    >>> search = PSOSearchCV(SVC(), space, n_iter=20, cv=3, random_state=0).fit(X, y)
    >>> round(float(search.best_score_), 3)
    0.987
    >>> search.cv_results_["iteration"][:6].tolist()  # swarm step
    [0, 0, 0, 0, 1, 1]
    >>> search.cv_results_["particle"][:6].tolist()
    [0, 1, 2, 3, 0, 1]
    """

    _parameter_constraints = no_bools({
        **BaseOptimizerSearch._parameter_constraints,
        "n_particles": [Interval(Integral, 2, None, closed="left"), None],
        "inertia": [Interval(Real, 0, 1, closed="both")],
        "cognitive": [Interval(Real, 0, None, closed="left")],
        "social": [Interval(Real, 0, None, closed="left")],
    })

    def __init__(
        self,
        estimator,
        param_distributions=None,
        *,
        n_particles=None,
        inertia=0.7298,
        cognitive=1.49618,
        social=1.49618,
        **common,
    ):
        super().__init__(estimator, param_distributions, **common)
        self.n_particles = n_particles
        self.inertia = inertia
        self.cognitive = cognitive
        self.social = social

    def _make_optimizer(self, layout, random_state, budget):
        n = self.n_particles
        if n is not None and 2 * n > self.n_iter:
            if self.n_iter <= n:
                outcome = "the particles never move (a Latin hypercube sample)"
            else:
                outcome = f"only {self.n_iter - n} of the {n} particles move once"
            advice = f"n_particles={self.n_iter // 2} or less, or " if self.n_iter >= 4 else ""
            warnings.warn(
                f"n_particles={n} is too large for n_iter={self.n_iter}: the first swarm "
                f"and one step of it need {2 * n} candidates, so {outcome}; use {advice}"
                f"n_iter={2 * n} or more.",
                UserWarning,
                stacklevel=2,
            )
        return ParticleSwarm(
            layout,
            n_particles=self.n_particles,
            n_iter=budget,
            inertia=self.inertia,
            cognitive=self.cognitive,
            social=self.social,
            random_state=random_state,
            n_objectives=self._n_objectives(),
        )

    def _extra_results(self, optimizer, rows):
        if optimizer is None:  # initial_candidates: no particle proposed them
            return {"particle": [-1] * len(rows)}
        return {"particle": list(rows)}
