"""Genetic algorithm hyperparameter search."""

import warnings
from numbers import Integral, Real

from .engine.inputs._no_bools import no_bools
from .engine._base_search import BaseOptimizerSearch
from .engine._sklearn import Interval, StrOptions
from .optimizers._genetic import (
    CROSSOVERS,
    SELECTIONS,
    GeneticAlgorithm,
    default_population_size,
)


class GeneticSearchCV(BaseOptimizerSearch):
    """Genetic algorithm search over hyperparameters, a drop-in ``RandomizedSearchCV``.

    A population of candidate settings evolves: each candidate is a
    chromosome whose genes are the hyperparameters. Each generation, parents
    are selected by their cross-validated score, recombined (crossover) and
    mutated; the best few candidates carry over unchanged (elitism) and
    random immigrants restore diversity when the population has converged;
    each generation one probe redraws one parameter of the best candidate,
    to find another basin along it. Each generation breeds more children
    than it evaluates; a Gaussian-process model of the scores so far picks
    the ones worth a fit (``prescreening``). One generation is one batch: its candidates are cross-validated
    together, in parallel. The first population is a maximin Latin
    hypercube. Integer and log-scale parameters mutate on their own scale,
    a categorical parameter is one gene (recombined whole, mutated by a
    random reset). The defaults are sized for budgets of tens of
    candidates; see :class:`~sksearch.optimizers.GeneticAlgorithm`
    for the algorithm.

    ``n_iter`` counts distinct candidates, as in ``RandomizedSearchCV``: a
    candidate is never fitted twice. A child identical to a candidate
    already evaluated is mutated again, and the elites, whose scores are
    known, are not refitted.

    With ``resource`` (multi-fidelity), each generation enters a bracket of
    successive halving: all its children are evaluated at a small resource
    and the best are promoted up to the full one. Once the bracket is over
    the population is told, for each child, its full-resource score if it
    got there, else a value below every child that went further (ordered as
    their scores where they stopped): selection and elitism never compare a
    cheap score with a full one. A bracket starts at most
    ``ceil(log_factor(population_size))`` rungs below the full resource.

    Parameters
    ----------
    {search_parameters}

    population_size : int, default=None
        Candidates per generation. None: ``2 * n_genes + 2`` bounded to
        [8, 12] (``n_genes`` is the number of parameters), and at most
        ``n_iter // 4`` (at least 4) so that even a small budget sees four
        generations. It never depends on ``n_jobs``, so results do not
        either. A population too large for ``n_iter`` to reach the second
        generation is kept as given, with a warning at ``fit``: the search
        is then a Latin hypercube sample that never evolves.

    crossover : {"sbx", "uniform", "one_point"}, default="sbx"
        How two parents are recombined. ``"sbx"``: simulated binary
        crossover of numeric parameters (children near the parents, more
        often near the better one), categorical parameters from either
        parent. ``"uniform"``: each parameter from either parent.
        ``"one_point"``: the parameters before a random cut from one parent,
        the rest from the other.

    crossover_rate : float, default=0.9
        Probability that a child is recombined from two parents rather than
        copied from the better one (then only mutated).

    mutation_rate : float, default=None
        Probability that each parameter mutates. None: every numeric
        parameter takes a Gaussian step whose size follows the spread of
        the population (it shrinks as the population converges), and each
        categorical parameter is reset with probability ``1 / n_genes``.

    selection : {"tournament", "sus"}, default="tournament"
        How parents are chosen: the best of ``tournament_size`` random
        candidates, or stochastic universal sampling (fitness proportionate,
        on the score minus the population's worst score).

    tournament_size : int, default=3
        Candidates per tournament (with ``selection="tournament"``); larger
        favours the best candidates more.

    elitism : int, default=None
        Number of best candidates carried over unchanged to the next
        generation. None: a third of the population. Each generation asks
        ``population_size - elitism`` new candidates.

    prescreening : int, default=8
        Children bred per child evaluated: each generation breeds
        ``prescreening`` times the children it needs and evaluates those
        of highest expected improvement under a Gaussian-process model of
        the scores so far (pre-selection, as in metamodel-assisted
        evolution strategies); the others cost nothing. 1 evaluates every
        child bred (a plain genetic algorithm).

    {common_parameters}

    Attributes
    ----------
    {common_attributes}

    See Also
    --------
    PSOSearchCV : Particle swarm search with the same interface.
    BayesSearchCV : Bayesian optimization search with the same interface.
    sklearn.model_selection.RandomizedSearchCV : Random search.

    References
    ----------
    D. E. Goldberg, "Genetic Algorithms in Search, Optimization and Machine
    Learning", Addison-Wesley, 1989.
    K. Deb and R. B. Agrawal, "Simulated binary crossover for continuous
    search space", Complex Systems 9(2), 1995.
    J. E. Baker, "Reducing bias and inefficiency in the selection algorithm",
    Proc. ICGA, 1987.
    M. Emmerich, A. Giotis, M. Özdemir, T. Bäck and K. Giannakoglou,
    "Metamodel-assisted evolution strategies", PPSN VII, 2002.

    Examples
    --------
    >>> from scipy.stats import loguniform
    >>> from sklearn.datasets import load_iris
    >>> from sklearn.svm import SVC
    >>> from sksearch import GeneticSearchCV
    >>> X, y = load_iris(return_X_y=True)
    >>> space = {"C": loguniform(1e-2, 1e2), "gamma": loguniform(1e-3, 1e1),
    ...          "kernel": ["rbf", "sigmoid"]}
    >>> search = GeneticSearchCV(SVC(), space, n_iter=24, cv=3, random_state=0)
    >>> search.fit(X, y).best_params_["kernel"]
    'rbf'
    >>> round(float(search.best_score_), 2)
    0.99
    >>> search.cv_results_["iteration"].tolist()  # generation: 6 + 4 + 4 + ...
    [0, 0, 0, 0, 0, 0, 1, 1, 1, 1, 2, 2, 2, 2, 3, 3, 3, 3, 4, 4, 4, 4, 5, 5]
    """

    _parameter_constraints = no_bools({
        **BaseOptimizerSearch._parameter_constraints,
        "population_size": [Interval(Integral, 2, None, closed="left"), None],
        "crossover": [StrOptions(set(CROSSOVERS))],
        "crossover_rate": [Interval(Real, 0, 1, closed="both")],
        "mutation_rate": [Interval(Real, 0, 1, closed="both"), None],
        "selection": [StrOptions(set(SELECTIONS))],
        "tournament_size": [Interval(Integral, 1, None, closed="left")],
        "elitism": [Interval(Integral, 0, None, closed="left"), None],
        "prescreening": [Interval(Integral, 1, None, closed="left")],
    })

    def __init__(
        self,
        estimator,
        param_distributions=None,
        *,
        population_size=None,
        crossover="sbx",
        crossover_rate=0.9,
        mutation_rate=None,
        selection="tournament",
        tournament_size=3,
        elitism=None,
        prescreening=8,
        **common,
    ):
        super().__init__(estimator, param_distributions, **common)
        self.population_size = population_size
        self.crossover = crossover
        self.crossover_rate = crossover_rate
        self.mutation_rate = mutation_rate
        self.selection = selection
        self.tournament_size = tournament_size
        self.elitism = elitism
        self.prescreening = prescreening

    def _make_optimizer(self, layout, random_state, budget):
        population_size = self.population_size
        if population_size is None:
            population_size = default_population_size(layout, budget)
        if self.elitism is not None and self.elitism >= population_size:
            raise ValueError(
                f"elitism={self.elitism} must be smaller than the population size "
                f"({population_size}): each generation needs new children."
            )
        if self.population_size is not None:
            self._warn_if_it_never_evolves(population_size)
        return GeneticAlgorithm(
            layout,
            population_size=self.population_size,
            n_iter=budget,
            crossover=self.crossover,
            crossover_rate=self.crossover_rate,
            mutation_rate=self.mutation_rate,
            selection=self.selection,
            tournament_size=self.tournament_size,
            elitism=self.elitism,
            prescreening=self.prescreening,
            random_state=random_state,
            n_objectives=self._n_objectives(),
        )

    def _warn_if_it_never_evolves(self, population_size):
        def two_generations(size):  # the first population, then its children
            elitism = max(1, size // 3) if self.elitism is None else self.elitism
            return size + size - min(elitism, size - 1)

        needed = two_generations(population_size)
        if needed <= self.n_iter:
            return
        children = needed - population_size
        if self.n_iter <= population_size:
            outcome = "the search stops before any genetic step (a Latin hypercube sample)"
        else:
            outcome = (f"the second generation is cut to {self.n_iter - population_size} of "
                       f"its {children} children")
        fitting = [size for size in range(2, population_size)
                   if two_generations(size) <= self.n_iter
                   and (self.elitism is None or self.elitism < size)]
        advice = f"population_size={fitting[-1]} or less, or " if fitting else ""
        warnings.warn(
            f"population_size={population_size} is too large for n_iter={self.n_iter}: two "
            f"generations need {needed} candidates ({population_size}, then {children} "
            f"children), so {outcome}; use {advice}n_iter={needed} or more.",
            UserWarning,
            stacklevel=2,
        )
