"""Bayesian optimization hyperparameter search."""

import math
from numbers import Integral, Real

from .engine.inputs._no_bools import no_bools
from .engine._base_search import BaseOptimizerSearch
from .engine._sklearn import Interval, StrOptions
from .optimizers.surrogates._acquisition import ACQUISITIONS
from .optimizers._bayes import BayesianOptimizer
from .optimizers._tpe import TreeParzenEstimator

SURROGATES = ("gp", "tpe")
# Initial design: ten points (scikit-optimize's and Optuna's default), and at
# most a quarter of the budget so that a small budget is mostly guided.
MAX_INITIAL_POINTS = 10
# By default the batches in flight hold at least this many fits (candidates x
# folds): enough to keep a workstation's workers busy, and never a function of
# n_jobs, so that results do not depend on it.
MIN_FITS_IN_FLIGHT = 8


def default_batch_size(n_splits, surrogate="gp"):
    """Candidates per batch when ``batch_size`` is None, for ``n_splits`` folds.

    The GP asks a batch of one while the last one is evaluated (two in
    flight) when that holds :data:`MIN_FITS_IN_FLIGHT` fits; otherwise, and
    for the TPE, each batch waits for the last one and holds them alone.
    """
    if surrogate == "gp" and 2 * n_splits >= MIN_FITS_IN_FLIGHT:
        return 1
    return math.ceil(MIN_FITS_IN_FLIGHT / n_splits)


class BayesSearchCV(BaseOptimizerSearch):
    """Bayesian optimization over hyperparameters, a drop-in ``RandomizedSearchCV``.

    A probabilistic model of the cross-validated score as a function of the
    hyperparameters (the surrogate) is fitted to the candidates evaluated so
    far; the next candidates are those where it predicts the largest
    expected improvement over the best score. It needs far fewer candidates
    than random search to find a good one, which pays when each fit is
    expensive. The first batch is a maximin Latin hypercube of
    ``n_initial_points`` candidates; every later batch holds ``batch_size``
    candidates, cross-validated together, in parallel. With the GP and
    batches of one (the default from 4 folds on), once the design is
    scored, each candidate is asked while the one before is still evaluated
    (the model treats it as pending), so the workers never wait for a
    proposal or for the slowest fit of a batch; the order of asks and tells
    never depends on ``n_jobs`` or on how fast fits run. Larger batches,
    and the TPE, wait for each batch's scores (asked ahead, they lose more
    candidates than the workers gain time).

    Two surrogates: a Gaussian process (``"gp"``, the default: Matérn 5/2
    kernel with one length scale per parameter, fitted by maximum
    likelihood; best for budgets up to a few hundred candidates and mostly
    numeric spaces, see :class:`~sksearch.optimizers.BayesianOptimizer`)
    and a tree-structured Parzen estimator (``"tpe"``: much cheaper per
    proposal, suited to large budgets and large, mostly categorical spaces,
    see :class:`~sksearch.optimizers.TreeParzenEstimator`). Integer
    parameters are modelled on their own values (no rounding error fools
    the model), a categorical one as its choices without false order.

    ``n_iter`` counts distinct candidates, as in ``RandomizedSearchCV``: a
    candidate already evaluated is never proposed again.

    With ``resource`` (multi-fidelity), each batch of proposals enters a
    bracket of successive halving (as many proposals as the bracket takes,
    not ``batch_size``) and the surrogate learns every rung's scores: it
    models the scores of the highest resource that has at least ``d + 2``
    of them (BOHB's rule, Falkner et al., 2018), so cheap rungs guide the
    proposals until enough full-resource scores exist; until any resource
    has that many, the brackets start from Latin hypercubes.

    Parameters
    ----------
    {search_parameters}

    n_initial_points : int, default=None
        Candidates of the initial Latin hypercube, before the surrogate is
        used. None: ``min(10, n_iter // 4)``, at least 2. At most ``n_iter``.

    surrogate : {"gp", "tpe"}, default="gp"
        The model of the score: Gaussian process or tree-structured Parzen
        estimator.

    acquisition : {"ei", "pi", "ucb"}, default="ei"
        What the Gaussian process maximizes to choose a candidate: expected
        improvement, probability of improvement, or upper confidence bound
        ``mean + kappa * std``. Ignored with ``surrogate="tpe"`` (it ranks
        candidates by its density ratio, which plays the part of expected
        improvement).

    xi : float, default=0.0
        Improvement over the best score that ``"ei"`` and ``"pi"`` demand, in
        units of the score as modelled (the scores may be warped by a power
        transform when that fits them better); larger values explore more.

    kappa : float, default=1.96
        Weight of the uncertainty in ``"ucb"``; larger values explore more.

    batch_size : int, default=None
        Candidates per batch after the initial design. Batches are built
        with a kriging believer (GP) or a constant liar (TPE) so that their
        candidates differ. None: enough for eight cross-validation fits in
        flight, which keeps a workstation's workers busy: for the GP with 4
        folds or more, 1 (two candidates in flight, the next asked while the
        last is evaluated); otherwise ``ceil(8 / n_splits)`` (3 with 3
        folds; the TPE: 2 with 5 folds). The default never depends on
        ``n_jobs``, so neither do the results; with many more workers (a
        cluster), set about ``n_workers / n_splits``: larger batches fill
        the workers at a small cost in candidates per improvement. At
        most the budget left after the initial design (``n_iter -
        n_initial_points``).

    {common_parameters}

    Attributes
    ----------
    {common_attributes}

    See Also
    --------
    PSOSearchCV : Particle swarm search with the same interface.
    GeneticSearchCV : Genetic algorithm search with the same interface.
    sklearn.model_selection.RandomizedSearchCV : Random search.

    References
    ----------
    D. R. Jones, M. Schonlau and W. J. Welch, "Efficient global optimization
    of expensive black-box functions", J. Global Optim. 13, 1998.
    J. Snoek, H. Larochelle and R. P. Adams, "Practical Bayesian optimization
    of machine learning algorithms", NeurIPS 2012.
    J. Bergstra, R. Bardenet, Y. Bengio and B. Kégl, "Algorithms for
    hyper-parameter optimization", NeurIPS 2011.
    D. Ginsbourger, R. Le Riche and L. Carraro, "Kriging is well-suited to
    parallelize optimization", in Computational Intelligence in Expensive
    Optimization Problems, Springer, 2010.

    Examples
    --------
    >>> from scipy.stats import loguniform
    >>> from sklearn.datasets import load_iris
    >>> from sklearn.svm import SVC
    >>> from sksearch import BayesSearchCV
    >>> X, y = load_iris(return_X_y=True)
    >>> search = BayesSearchCV(SVC(), {"C": loguniform(1e-2, 1e3),
    ...                                "gamma": loguniform(1e-4, 1e1)},
    ...                        n_iter=15, cv=3, random_state=0)
    >>> bool(search.fit(X, y).best_score_ > 0.95)
    True
    >>> search.cv_results_["iteration"][:9].tolist()  # initial design, then batches of 3
    [0, 0, 0, 1, 1, 1, 2, 2, 2]

    Candidates that break a parameter constraint are never fitted; an
    outcome constraint marks the rows it rejects, which are never best:

    >>> from sklearn.tree import DecisionTreeClassifier
    >>> from sksearch.space import Integer
    >>> shallow = lambda p: p["max_leaf_nodes"] <= 2 ** p["max_depth"]
    >>> search = BayesSearchCV(DecisionTreeClassifier(random_state=0),
    ...                        {"max_depth": Integer(1, 6), "max_leaf_nodes": Integer(2, 40)},
    ...                        constraints=[shallow, "score <= 0.96"], surrogate="tpe",
    ...                        n_iter=12, cv=3, random_state=0).fit(X, y)
    >>> all(shallow(p) for p in search.cv_results_["params"])
    True
    >>> bool(search.cv_results_["feasible"][search.best_index_]), bool(search.best_score_ <= 0.96)
    (True, True)
    """

    _parameter_constraints = no_bools({
        **BaseOptimizerSearch._parameter_constraints,
        "n_initial_points": [Interval(Integral, 1, None, closed="left"), None],
        "surrogate": [StrOptions(set(SURROGATES))],
        "acquisition": [StrOptions(set(ACQUISITIONS))],
        "xi": [Interval(Real, 0, None, closed="left")],
        "kappa": [Interval(Real, 0, None, closed="left")],
        "batch_size": [Interval(Integral, 1, None, closed="left"), None],
    })

    def __init__(self, estimator, param_distributions=None, *, n_initial_points=None,
                 surrogate="gp", acquisition="ei", xi=0.0, kappa=1.96, batch_size=None,
                 **common):
        super().__init__(estimator, param_distributions, **common)
        self.n_initial_points = n_initial_points
        self.surrogate = surrogate
        self.acquisition = acquisition
        self.xi = xi
        self.kappa = kappa
        self.batch_size = batch_size

    def _make_optimizer(self, layout, random_state, budget):
        n_initial = self.n_initial_points
        if n_initial is None:
            n_initial = max(2, min(MAX_INITIAL_POINTS, budget // 4))
        cls = TreeParzenEstimator if self.surrogate == "tpe" else BayesianOptimizer
        batch_size = self.batch_size
        if batch_size is None:
            batch_size = default_batch_size(self.n_splits_, self.surrogate)
        # no work on candidates the budget cannot evaluate
        n_initial = min(n_initial, budget)
        batch_size = min(batch_size, max(1, budget - n_initial))
        if cls is TreeParzenEstimator:
            return TreeParzenEstimator(layout, n_initial_points=n_initial,
                                       batch_size=batch_size, random_state=random_state,
                                       n_objectives=self._n_objectives())
        return BayesianOptimizer(layout, n_initial_points=n_initial, batch_size=batch_size,
                                 acquisition=self.acquisition, xi=self.xi, kappa=self.kappa,
                                 random_state=random_state, n_objectives=self._n_objectives())
