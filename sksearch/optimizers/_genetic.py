"""A genetic algorithm on the unit cube, built for small evaluation budgets."""

import numpy as np

from ._distinct import KnownPoints, first_of_each
from ._base import Optimizer, check_tell
from ._genes import Genes, stochastic_universal_sampling, tournament_selection
from ._pareto import crowded_order
from ._prescreen import ParetoPrescreen, Prescreen

SELECTIONS = ("tournament", "sus")
CROSSOVERS = ("sbx", "uniform", "one_point")

# An SBX child falls on its better parent's side 3 times out of 4 (rather
# than 1 in 2): recombination leans toward good parents.
_TOWARD_BETTER = 0.75
# Smallest Gaussian step, as a fraction of a dimension's range.
_MIN_STEP = 0.01
# A probe's gene is drawn anywhere in its range half of the time, else at
# least a third of the range away, where another basin may lie (measured on
# the shifted test functions against always anywhere and always far).
_PROBE_ANYWHERE, _PROBE_DISTANCE = 0.5, 1 / 3


class GeneticAlgorithm(Optimizer):
    """Evolve a population of candidates: select, recombine, mutate, keep the best.

    Each candidate is a chromosome whose genes are the parameters of the
    space: one gene per :class:`~sksearch.space._cube.Group` of the layout (a real,
    an integer, or the whole one-hot block of a categorical, never split).
    The first population is a maximin Latin hypercube. Each later generation
    is one batch of ``population_size - elitism`` children:

    1. **selection** of parents by tournament, or by stochastic universal
       sampling on the fitness ``score - worst score``;
    2. **crossover**, with probability ``crossover_rate``: simulated binary
       crossover (SBX) of the numeric genes with the child on its better
       parent's side 3 times out of 4, categorical genes from either parent;
       or uniform or one-point crossover of whole genes;
    3. **mutation**: a Gaussian step for a real or integer gene, reflected at
       the bounds, of standard deviation ``mutation_scale`` times the spread
       of the population along that gene (so steps shrink as the population
       converges; never below 1% of the range, nor below one bin of an
       integer); a uniformly drawn other choice for a categorical gene;
    4. **replacement**: the ``elitism`` best candidates carry over unchanged
       (they are not asked again: their scores are known) and the children
       fill the rest. When the population's :meth:`diversity` falls below
       ``diversity_threshold``, a quarter of the children explore: the probe
       below and random immigrants.

    One child per generation (when there are two or more) is a **probe**:
    the best candidate with one gene drawn anew, the genes taking turns;
    half of the time anywhere in its range, otherwise at least a third of
    the range away from the best's value. It searches along one parameter
    for another basin, which selection and small steps cannot reach once
    the population has gathered in one (on Styblinski-Tang, with two minima
    per axis, it cuts the median regret at 80 evaluations from 14 to 0.6).
    A probe joins the population only if it ranks among the elites, so a
    miss does not widen the mutation steps. It takes the place of the child
    of the worst parents.

    **Pre-selection** (``prescreening > 1``): each generation breeds
    ``prescreening`` times as many children as it asks, and asks those of
    highest expected improvement under a Gaussian process of every score
    told (:class:`~sksearch.optimizers._prescreen.Prescreen`; a
    metamodel-assisted evolutionary algorithm, Emmerich et al., 2002).
    Operators still decide where children may lie, near good parents; the
    model decides which of them are worth a fit. On the shifted test
    functions (25 seeds, 50 and 80 evaluations) it cut the median regret of
    every function at both budgets: 1.3x to 2.1x on Levy, Ackley,
    Rosenbrock and Styblinski-Tang at 50, 4x on Hartmann-6, 80x to 250x on
    the sphere, Branin, the mixed and the log-scale functions.

    **Several objectives** (``n_objectives > 1``; NSGA-II, Deb, Pratap,
    Agarwal & Meyarivan, 2002): candidates are compared by non-dominated
    rank, then by crowding distance within a rank
    (:func:`~sksearch.optimizers._pareto.crowded_order`); the population is
    kept in that order, best first, and parents are selected on it. Survival
    is elitist, ``(mu + lambda)``: the whole population and the children
    compete, the first ``population_size`` in that order survive. The probe
    is bred from the first candidate (an end of the front) and survives
    like any child. Pre-selection ranks the bred children by the
    hypervolume their optimistic scores add to the front
    (:class:`~sksearch.optimizers._prescreen.ParetoPrescreen`), one Gaussian
    process per objective.

    A child identical to a candidate already told (same ``layout.keys``) or
    to a sibling is mutated again, so no budget is spent twice on the same
    parameters. The probe comes first, then the children, best parents
    first (or, pre-selected, the model's first), so a batch cut short by the
    budget keeps the most promising ones.

    Parameters
    ----------
    layout : CubeLayout
        Meaning of the cube's columns.
    population_size : int or None, default=None
        Candidates per generation. ``None`` means ``2 * n_genes + 2`` bounded
        to [8, 12]: a small population leaves a small budget (50 to 150
        candidates) enough generations to converge; larger ones did worse
        at these budgets on the shifted test functions in 2 to 8 dimensions.
    crossover : {"sbx", "uniform", "one_point"}, default="sbx"
        Recombination of two parents (see above).
    crossover_rate : float, default=0.9
        Probability that a child is recombined rather than copied from its
        better parent.
    mutation_rate : float or None, default=None
        Probability that each gene mutates. ``None`` moves every numeric gene
        (the step size, which follows the population, sets how far children
        go, as in evolution strategies) and resets each categorical gene with
        probability ``1 / n_genes`` (one gene per child on average, Bäck 1993).
    selection : {"tournament", "sus"}, default="tournament"
        How parents are chosen.
    tournament_size : int, default=3
        Candidates drawn, with replacement, per tournament; the best wins.
    elitism : int or None, default=None
        Number of best candidates kept unchanged in the next population.
        ``None`` keeps a third of the population: strong enough to exploit
        a small budget, while two thirds of each population are new children.
    mutation_scale : float, default=0.5
        Standard deviation of a Gaussian step, as a fraction of the
        population's standard deviation along the gene.
    sbx_eta : float, default=10.0
        Distribution index of SBX: larger keeps children closer to their
        parents (Deb & Agrawal, 1995).
    diversity_threshold : float, default=0.05
        Immigrants enter when :meth:`diversity` of the population falls
        below this value (1 for uniform draws, 0 for clones).
    prescreening : int, default=8
        Children bred per child asked, the model choosing (see above); 1
        asks every child bred, a plain genetic algorithm. 8 did better than
        4 and 16 on the shifted test functions.
    n_iter : int or None, default=None
        The budget in candidates, which bounds the default population size
        (see :func:`default_population_size`).
    random_state : int, numpy.random.Generator or None, default=None
        Seed of the optimizer's random stream.
    n_objectives : int, default=1
        Columns of the scores told (see :class:`~sksearch.optimizers.Optimizer`);
        more than one runs NSGA-II (see above).

    Attributes
    ----------
    population_ : ndarray of shape (n, n_dims) or None
        The current population (snapped cube points), best first (in
        crowded order with several objectives).
    population_scores_ : ndarray of shape (n,) or (n, n_objectives), or None
        Their scores.
    generation_ : int
        Number of generations told so far.

    Examples
    --------
    >>> from sksearch.space import Space, Real, Categorical
    >>> from sksearch.optimizers._genetic import GeneticAlgorithm
    >>> space = Space({"x": Real(-2.0, 2.0), "kind": Categorical(["a", "b"])})
    >>> ga = GeneticAlgorithm(space.layout, population_size=8, random_state=0)
    >>> for _ in range(8):
    ...     X = ga.ask()
    ...     scores = [-(p["x"] - 1) ** 2 - (p["kind"] == "a") for p in space.decode(X)]
    ...     ga.tell(X, scores)
    >>> best = space.decode(ga.population_[:1])[0]
    >>> best["kind"], round(best["x"], 1)
    ('b', 1.0)
    """

    def __init__(self, layout, *, population_size=None, crossover="sbx",
                 crossover_rate=0.9, mutation_rate=None, selection="tournament",
                 tournament_size=3, elitism=None, mutation_scale=0.5, sbx_eta=10.0,
                 diversity_threshold=0.05, prescreening=8, n_iter=None, random_state=None,
                 n_objectives=1):
        super().__init__(layout, random_state=random_state, n_objectives=n_objectives)
        if selection not in SELECTIONS:
            raise ValueError(f"selection must be one of {SELECTIONS}, got {selection!r}")
        if crossover not in CROSSOVERS:
            raise ValueError(f"crossover must be one of {CROSSOVERS}, got {crossover!r}")
        self.genes = Genes(layout)
        n_genes = max(1, len(self.genes))
        self._sized_by_budget = (population_size is None, elitism is None)
        if population_size is None:
            population_size = default_population_size(layout, n_iter)
        if population_size < 2:
            raise ValueError(f"population_size must be at least 2, got {population_size}")
        if elitism is None:
            elitism = max(1, population_size // 3)
        if not 0 <= elitism < population_size:
            raise ValueError(f"elitism must be in [0, population_size), got {elitism}")
        if int(prescreening) != prescreening or prescreening < 1:
            raise ValueError(f"prescreening must be an integer of at least 1, got {prescreening!r}")
        if mutation_rate is None:
            rates = np.where(self.genes.numeric, 1.0, 1.0 / n_genes)
        elif 0.0 <= mutation_rate <= 1.0:
            rates = np.full(len(self.genes), float(mutation_rate))
        else:
            raise ValueError(f"mutation_rate must be in [0, 1], got {mutation_rate}")
        self.population_size = int(population_size)
        self.crossover = crossover
        self.crossover_rate = float(crossover_rate)
        self.mutation_rate = mutation_rate
        self.selection = selection
        self.tournament_size = int(tournament_size)
        self.elitism = int(elitism)
        self.mutation_scale = float(mutation_scale)
        self.sbx_eta = float(sbx_eta)
        self.diversity_threshold = float(diversity_threshold)
        self.prescreening = int(prescreening)
        self.population_ = None
        self.population_scores_ = None
        self.generation_ = 0
        self._gene_rates = rates
        self.known = KnownPoints(layout)  # every candidate told
        self._seeds = None  # (X, y) evaluated before the search, best first
        self._probe_keys = set()  # the probes of the batch last asked
        self._n_probes = 0
        # a model of every score told
        self._screen = (Prescreen(layout.categorical, random_state=self.rng)
                        if self.n_objectives == 1 else
                        ParetoPrescreen(self.n_objectives, layout.categorical, self.rng))

    def ask(self):
        """The next generation: a Latin hypercube first, then children."""
        if self.population_ is None:
            design = self.layout.latin_hypercube(self.population_size, self.rng)
            return self._make_unique(self.layout.snap(design))
        n_children = self.population_size - min(self.elitism, len(self.population_) - 1)
        n_probes = int(n_children >= 2)
        probes = self._probe(n_probes)  # the probe comes first
        if self.prescreening > 1 and self._screen.ready:
            bred = self._prescreened(n_children - n_probes)
        else:  # the child of the worst parents makes room for the probe
            bred = self._breed(n_children)[: n_children - n_probes]
        children = np.vstack([probes, bred])
        if self.diversity(self.population_) < self.diversity_threshold:
            # A quarter of the children explore: the probe and random immigrants.
            n_immigrants = max(1, n_children // 4) - n_probes
            if n_immigrants > 0:
                children[-n_immigrants:] = self.layout.random(n_immigrants, self.rng)
        X = self._make_unique(self.layout.snap(children))
        self._probe_keys = set(self.layout.keys(X[:n_probes]))
        return X

    def tell(self, X, y):
        """Learn the scores of the batch just asked; form the next population."""
        X, y = check_tell(X, y, self.layout.n_dims, self.n_objectives)
        X = self.layout.snap(X)
        keys = self.layout.keys(X)
        self.known.add(X)
        self._screen.add(X, y)
        if self.n_objectives > 1:
            self._survive(X, y, keys)
            return
        if self._probe_keys:
            # A probe joins the population only as an elite: a far-off miss
            # would widen the mutation steps, which follow the population.
            bar = self.population_scores_[max(self.elitism, 1) - 1]
            keep = np.array([k not in self._probe_keys or v > bar for k, v in zip(keys, y)])
            X, y, keys = X[keep], y[keep], [k for k, kept in zip(keys, keep) if kept]
            self._probe_keys = set()
        if self.population_ is not None:
            elites = slice(0, self.elitism)
            keys = self.layout.keys(self.population_[elites]) + keys
            X = np.vstack([self.population_[elites], X])
            y = np.concatenate([self.population_scores_[elites], y])
        elif self._seeds is not None:  # the first generation meets the seeds
            keys = self.layout.keys(self._seeds[0]) + keys
            X = np.vstack([self._seeds[0], X])
            y = np.concatenate([self._seeds[1], y])
        first = first_of_each(keys)
        order = first[np.argsort(-y[first], kind="stable")][: self.population_size]
        self.population_, self.population_scores_ = X[order], y[order]
        self.generation_ += 1

    def _survive(self, X, Y, keys):
        """NSGA-II's elitist survival: the population and the children compete,
        the first ``population_size`` in crowded order stay."""
        self._probe_keys = set()
        if self.population_ is not None:
            earlier = (self.population_, self.population_scores_)
        else:
            earlier = self._seeds or (X[:0], Y[:0])
        keys = self.layout.keys(earlier[0]) + keys
        X, Y = np.vstack([earlier[0], X]), np.vstack([earlier[1], Y])
        first = first_of_each(keys)
        order = first[crowded_order(Y[first])][: self.population_size]
        self.population_, self.population_scores_ = X[order], Y[order]
        self.generation_ += 1

    def set_budget(self, n_iter):
        """Grow a default-sized population (and its elite) to the size for ``n_iter``."""
        default_size, default_elitism = self._sized_by_budget
        if default_size:
            self.population_size = max(self.population_size,
                                       default_population_size(self.layout, n_iter))
            if default_elitism:
                self.elitism = max(1, self.population_size // 3)

    def seed(self, X, y):
        """Start from points evaluated before the search: they compete with the
        first generation for a place in the population, and none is asked again."""
        X, y = check_tell(X, y, self.layout.n_dims, self.n_objectives)
        X = self.layout.snap(X)
        self.known.add(X)
        self._screen.add(X, y)
        best_first = np.argsort(-y, kind="stable") if self.n_objectives == 1 else crowded_order(y)
        order = best_first[: self.population_size]
        self._seeds = (X[order], y[order])

    def diversity(self, X):
        """Mean spread of the genes of ``X``: about 1 for uniform draws, 0 for clones.

        A numeric gene's spread is its standard deviation over that of the
        uniform distribution (``1 / sqrt(12)``); a categorical gene's is the
        share of rows away from its most common choice, over that share for
        uniform choices.
        """
        return self.genes.diversity(np.atleast_2d(X))

    # ------------------------------------------------------------------ breeding
    def _breed(self, n):
        scores = self.population_scores_
        if self.n_objectives > 1:  # the population is in crowded order, best first
            scores = -np.arange(len(scores), dtype=float)
        if self.selection == "tournament":
            parents = tournament_selection(scores, 2 * n, self.tournament_size, self.rng)
        else:
            parents = stochastic_universal_sampling(scores, 2 * n, self.rng)
        # The population is sorted best first: the smaller index is the better parent.
        better, worse = np.minimum(parents[:n], parents[n:]), np.maximum(parents[:n], parents[n:])
        order = np.lexsort((worse, better))  # best parents first
        A, B = self.population_[better[order]], self.population_[worse[order]]
        children = A.copy()
        recombine = self.rng.random(n) < self.crossover_rate
        if recombine.any():
            children[recombine] = self._recombine(A[recombine], B[recombine])
        return self.genes.mutate(children, self._gene_rates, self._step_size(), self.rng)

    def _prescreened(self, n):
        """``n`` children: of ``prescreening * n`` bred, the new ones the model ranks first.

        Bred children already told, near-duplicates of one, or repeated are
        ranked last (:meth:`_make_unique` replaces any that is kept).
        """
        bred = self.layout.snap(self._breed(self.prescreening * n))
        # first of its key in the batch, and neither told nor near a told one
        new = self.known.copy().add(bred) & ~self.known.taken(bred)
        rows = np.flatnonzero(new)
        if len(rows):
            rows = rows[self._screen.rank(bred[rows]) if self.n_objectives == 1
                        else self._screen.rank(bred[rows], n_first=n)]
        order = np.concatenate([rows, np.flatnonzero(~new)])
        return bred[order[:n]]

    def _probe(self, n):
        """``n`` copies of the best candidate, each with one gene drawn anew.

        The genes active in the best candidate's subspace take turns.
        """
        best = np.repeat(self.population_[:1], n, axis=0)
        if n == 0 or len(self.genes) == 0:
            return best
        active = np.flatnonzero(self.layout.active(best[:1])[0][self.genes.starts])
        turns = np.arange(self._n_probes, self._n_probes + n)
        self._n_probes += n
        return self.genes.redraw(best, active[turns % len(active)], _PROBE_ANYWHERE,
                                 _PROBE_DISTANCE, self.rng)

    def _recombine(self, A, B):
        if self.crossover == "sbx":
            return self.genes.sbx(A, B, self.sbx_eta, self.rng, toward_a=_TOWARD_BETTER)
        if self.crossover == "uniform":
            return self.genes.uniform(A, B, self.rng)
        return self.genes.one_point(A, B, self.rng)

    def _step_size(self):
        spread = np.std(self.population_, axis=0)
        return np.maximum(self.mutation_scale * spread, _MIN_STEP)

    def _make_unique(self, X):
        """Replace each row already told or repeated in the batch by a free one.

        Rows that cannot be replaced (a finite space is exhausted) are
        dropped; an empty batch becomes the best known candidate, which the
        caller answers from the scores it already has.
        """
        X, found = self.known.free(X, self.rng)
        if not found.any():
            return self.population_[:1].copy()
        return self.layout.snap(X[found])


def default_population_size(layout, n_iter=None):
    """Population size for ``layout`` and a budget of ``n_iter`` candidates.

    ``2 * n_genes + 2`` bounded to [8, 12] (one gene per layout group), and
    with a budget at most ``n_iter // 4`` (at least 4), so that even a small
    budget sees four generations.

    Examples
    --------
    >>> from sksearch.space import Space
    >>> from sksearch.optimizers._genetic import default_population_size
    >>> layout = Space({"a": [1, 2], "b": [3, 4], "c": [5, 6], "d": [7, 8]}).layout
    >>> default_population_size(layout), default_population_size(layout, n_iter=24)
    (10, 6)
    """
    size = int(np.clip(2 * len(layout.groups) + 2, 8, 12))
    if n_iter is None:
        return size
    return min(size, max(4, n_iter // 4))
