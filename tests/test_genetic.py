"""GeneticAlgorithm (ask/tell on the unit cube) and GeneticSearchCV."""

import functools
import warnings

import numpy as np
import pytest
from sklearn.base import clone
from sklearn.datasets import load_iris
from sklearn.linear_model import LogisticRegression
from sklearn.svm import SVC

from sksearch.space._cube import CubeLayout, Group
from sksearch._genetic_search import GeneticSearchCV
from sksearch._testing import FunctionEstimator, make_function, minimize
from sksearch.optimizers import RandomSampler
from sksearch.optimizers._genes import Genes, stochastic_universal_sampling, tournament_selection
from sksearch.optimizers._genetic import GeneticAlgorithm, default_population_size
from sksearch.space import Categorical, Integer, Real, Space

# Optimizer seeds are offset from the functions' seeds so that the two
# random streams are unrelated.
SEED_OFFSET = 10_000
SEEDS = range(20)


@functools.lru_cache
def random_median_regret(name, budget):
    """Median regret of uniform random sampling, the baseline."""
    return median_regret(lambda layout, seed: RandomSampler(layout, random_state=seed),
                         name, budget)


def median_regret(make_optimizer, name, budget):
    regrets = []
    for seed in SEEDS:
        f = make_function(name, seed)
        regrets.append(minimize(make_optimizer(f.layout, SEED_OFFSET + seed), f, budget)[-1])
    return float(np.median(regrets))


def run(ga, f, generations):
    """Ask and tell ``generations`` whole generations."""
    for _ in range(generations):
        X = ga.ask()
        ga.tell(X, -f.on_cube(X))


def mixed_layout():
    """A real, an integer with 5 values and a categorical with 4 choices."""
    return CubeLayout([Group("real", 0, 1, 0, 0), Group("integer", 1, 2, 5, 0),
                       Group("categorical", 2, 6, 4, 0)])


# ---------------------------------------------------------------- solving functions
# Median regret (best value - f_min) over 20 seeds at 80 evaluations. Uniform
# random sampling reaches about 5.8, 0.51, 660, 1.5, 20 and 0.11 there; the
# algorithm about 0.33, 0.016, 19, 0.23, 0.53 and 0.0002.
@pytest.mark.parametrize("name, tolerance", [
    ("sphere", 1.0),
    ("branin", 0.2),
    ("rosenbrock", 60.0),
    ("mixed", 0.5),
    ("styblinski_tang", 10.0),
    ("log_scale", 0.01),
])
def test_solves_test_functions_within_tolerance(name, tolerance):
    regret = median_regret(lambda layout, seed: GeneticAlgorithm(layout, random_state=seed),
                           name, budget=80)
    assert regret < tolerance


@pytest.mark.parametrize("name", ["sphere", "branin", "rosenbrock", "mixed"])
@pytest.mark.parametrize("budget", [50, 80])
def test_beats_random_sampling_by_half(name, budget):
    ga = median_regret(lambda layout, seed: GeneticAlgorithm(layout, random_state=seed),
                       name, budget)
    assert ga < 0.5 * random_median_regret(name, budget)


@pytest.mark.parametrize("name, budget", [("sphere", 50), ("branin", 50), ("rosenbrock", 50),
                                          ("ackley", 50), ("styblinski_tang", 80)])
def test_prescreening_lowers_the_median_regret(name, budget):
    # plain (1) against the default pre-selection (8), 20 seeds
    plain, screened = (
        median_regret(lambda layout, seed: GeneticAlgorithm(layout, prescreening=k,
                                                            random_state=seed), name, budget)
        for k in (1, 8))
    assert screened < 0.8 * plain


def ask_and_rewind(ga):
    """``ga.ask()``, then its random stream and its probes' turn set back to before it."""
    state, n_probes = ga.rng.bit_generator.state, ga._n_probes
    X = ga.ask()
    ga.rng.bit_generator.state, ga._n_probes = state, n_probes
    return X


def test_prescreened_children_are_the_models_first_among_those_bred():
    f = make_function("sphere", 0)
    ga = GeneticAlgorithm(f.layout, prescreening=8, random_state=3)
    run(ga, f, 2)
    X = ask_and_rewind(ga)
    # the same draws again: the probe, then 8 times the children bred
    n_children = len(X) - 1
    ga._probe(1)
    bred = f.layout.snap(ga._breed(8 * n_children))
    assert len(bred) == 8 * n_children
    ranked = bred[ga._screen.rank(bred)]
    np.testing.assert_array_equal(X[1:], ranked[:n_children])
    assert not ga.known.taken(X).any()


def test_prescreening_of_one_breeds_only_the_children_asked():
    f = make_function("sphere", 0)
    a = GeneticAlgorithm(f.layout, prescreening=1, random_state=3)
    run(a, f, 1)
    X = ask_and_rewind(a)
    probe = a._probe(1)
    bred = a._breed(len(X))[: len(X) - 1]
    np.testing.assert_array_equal(X, a._make_unique(a.layout.snap(np.vstack([probe, bred]))))


def test_mixed_function_finds_best_integer_and_choice():
    hits = 0
    for seed in SEEDS:
        f = make_function("mixed", seed)
        ga = GeneticAlgorithm(f.layout, random_state=SEED_OFFSET + seed)
        run(ga, f, 11)  # 10 + 10 * 7 = 80 candidates, all told
        best = Space(f.space).decode(ga.population_[:1])[0]
        hits += best["kind"] == f.argmin["kind"] and abs(best["n"] - f.argmin["n"]) <= 1
    assert hits >= 16


# ---------------------------------------------------------------- selection
def test_sus_selects_in_proportion_to_fitness():
    scores = np.array([0.0, 1.0, 2.0, 3.0, 4.0])  # fitness = score - worst
    expected = 100 * scores / scores.sum()
    for seed in range(20):
        chosen = stochastic_universal_sampling(scores, 100, np.random.default_rng(seed))
        counts = np.bincount(chosen, minlength=5)
        # SUS's minimal spread: floor or ceil of the expected count, never more off.
        assert np.all(counts >= np.floor(expected)) and np.all(counts <= np.ceil(expected))


def test_sus_handles_negative_and_nan_scores():
    rng = np.random.default_rng(0)
    negative = stochastic_universal_sampling(np.array([-40.0, -30.0, -20.0, np.nan, -10.0]),
                                             60, rng)
    counts = np.bincount(negative, minlength=5)
    assert counts.tolist() == [0, 10, 20, 0, 30]  # shift-invariant; NaN gets no share
    assert stochastic_universal_sampling(np.array([-1e9, 5.0]), 4, rng).tolist() == [1] * 4


@pytest.mark.parametrize("scores", [[2.0, 2.0, 2.0, 2.0], [np.nan] * 4])
def test_sus_with_equal_or_only_nan_scores_shares_evenly(scores):
    chosen = stochastic_universal_sampling(np.array(scores), 8, np.random.default_rng(1))
    assert np.bincount(chosen, minlength=4).tolist() == [2, 2, 2, 2]


def test_sus_returns_shuffled_indices():
    chosen = stochastic_universal_sampling(np.arange(10.0), 40, np.random.default_rng(0))
    assert not np.all(np.diff(chosen) >= 0)


def test_tournament_winner_is_the_best_entrant_and_nan_loses():
    scores = np.array([np.nan, 1.0, 3.0, 2.0])
    counts = np.bincount(tournament_selection(scores, 4000, 2, np.random.default_rng(0)),
                         minlength=4) / 4000
    # Two entrants drawn with replacement: index 2 wins whenever drawn, P = 1 - (3/4)^2;
    # NaN wins only against itself, P = (1/4)^2.
    assert counts[2] == pytest.approx(1 - 0.75**2, abs=0.03)
    assert counts[0] == pytest.approx(1 / 16, abs=0.015)


def test_tournament_of_size_one_is_uniform():
    winners = tournament_selection(np.arange(5.0), 5000, 1, np.random.default_rng(0))
    assert np.allclose(np.bincount(winners) / 5000, 0.2, atol=0.02)


# ---------------------------------------------------------------- crossover
def _parents(layout, rng, n=200):
    A = layout.snap(rng.random((n, layout.n_dims)))
    B = layout.snap(rng.random((n, layout.n_dims)))
    return A, B


@pytest.mark.parametrize("operator", ["uniform", "one_point", "sbx"])
def test_crossover_never_splits_a_one_hot_block(operator):
    layout = mixed_layout()
    genes, rng = Genes(layout), np.random.default_rng(0)
    A, B = _parents(layout, rng)
    args = (10.0, rng) if operator == "sbx" else (rng,)
    child = getattr(genes, operator)(A, B, *args)
    block = child[:, 2:6]
    assert np.all(block.sum(axis=1) == 1) and np.all(np.isin(block, [0.0, 1.0]))
    from_a = np.all(block == A[:, 2:6], axis=1)
    from_b = np.all(block == B[:, 2:6], axis=1)
    assert np.all(from_a | from_b)
    assert from_a.any() and (from_b & ~from_a).any()  # both parents contribute


def test_uniform_and_one_point_copy_whole_genes_from_the_parents():
    layout = mixed_layout()
    genes, rng = Genes(layout), np.random.default_rng(1)
    A, B = _parents(layout, rng)
    for child in (genes.uniform(A, B, rng), genes.one_point(A, B, rng)):
        assert np.all((child == A) | (child == B))


def test_one_point_keeps_genes_before_the_cut_from_the_first_parent():
    layout = CubeLayout([Group("real", i, i + 1, 0, 0) for i in range(5)])
    genes, rng = Genes(layout), np.random.default_rng(2)
    A, B = np.zeros((300, 5)), np.ones((300, 5))
    child = genes.one_point(A, B, rng)
    # A prefix of zeros then ones, with the cut strictly inside.
    assert np.all(np.diff(child, axis=1) >= 0)
    assert np.all(child[:, 0] == 0) and np.all(child[:, -1] == 1)


def test_sbx_stays_in_bounds_and_near_the_parents():
    layout = CubeLayout([Group("real", i, i + 1, 0, 0) for i in range(3)])
    genes, rng = Genes(layout), np.random.default_rng(3)
    A, B = rng.random((5000, 3)), rng.random((5000, 3))
    child = genes.sbx(A, B, 10.0, rng)
    assert child.min() >= 0 and child.max() <= 1
    low, high, gap = np.minimum(A, B), np.maximum(A, B), np.abs(A - B)
    changed = (child != A) & (child != B)
    assert 0.3 < changed.mean() < 0.6  # each gene recombined with probability 1/2
    # eta = 10: children rarely leave the parents' interval by more than its width.
    outside = np.maximum(low - child, child - high)[changed] / gap[changed]
    assert np.mean(outside > 1.0) < 0.01


def test_sbx_leans_toward_the_first_parent_when_asked():
    layout = CubeLayout([Group("real", 0, 1, 0, 0)])
    genes, rng = Genes(layout), np.random.default_rng(4)
    A, B = np.full((4000, 1), 0.3), np.full((4000, 1), 0.7)
    child = genes.sbx(A, B, 10.0, rng, toward_a=0.75)[:, 0]
    moved = (child != 0.3) & (child != 0.7)
    assert np.mean(child[moved] < 0.5) == pytest.approx(0.75, abs=0.04)


def test_sbx_of_identical_parents_is_the_parent():
    layout = mixed_layout()
    genes, rng = Genes(layout), np.random.default_rng(5)
    A = layout.snap(rng.random((50, layout.n_dims)))
    assert np.array_equal(genes.sbx(A, A.copy(), 10.0, rng), A)


# ---------------------------------------------------------------- mutation
def test_mutation_never_leaves_the_bounds_even_with_huge_steps():
    layout = mixed_layout()
    genes, rng = Genes(layout), np.random.default_rng(6)
    X = layout.snap(rng.random((500, layout.n_dims)))
    for step in (0.01, 0.5, 5.0, 100.0):
        Y = genes.mutate(X, np.ones(len(genes)), step, rng)
        assert Y.min() >= 0.0 and Y.max() <= 1.0
        assert np.all(Y[:, 2:6].sum(axis=1) == 1)  # still one-hot
        assert np.array_equal(layout.snap(Y)[:, 2:6], Y[:, 2:6])


def test_mutation_moves_integers_by_at_least_about_one_bin():
    layout = mixed_layout()  # the integer has 5 values: bins of width 0.2
    genes, rng = Genes(layout), np.random.default_rng(7)
    X = layout.snap(np.full((2000, layout.n_dims), 0.5))
    Y = layout.snap(genes.mutate(X, np.ones(len(genes)), 1e-6, rng))
    left_bin = np.mean(Y[:, 1] != X[:, 1])
    assert left_bin > 0.5  # a 1e-6 step alone would never leave the bin
    assert np.all(np.abs(Y[:, 0] - X[:, 0]) < 0.1)  # the real one moves by ~1% steps


def test_categorical_mutation_resets_to_another_choice_uniformly():
    layout = mixed_layout()
    genes, rng = Genes(layout), np.random.default_rng(8)
    X = layout.snap(np.tile([0.5, 0.5, 1.0, 0.0, 0.0, 0.0], (3000, 1)))
    Y = genes.mutate(X, np.array([0.0, 0.0, 1.0]), 0.1, rng)
    choices = np.argmax(Y[:, 2:6], axis=1)
    assert np.all(choices != 0)
    assert np.allclose(np.bincount(choices, minlength=4)[1:] / 3000, 1 / 3, atol=0.03)
    assert np.array_equal(Y[:, :2], X[:, :2])  # rate 0 for the numeric genes


def test_mutation_rate_is_the_probability_per_gene():
    layout = CubeLayout([Group("real", i, i + 1, 0, 0) for i in range(4)])
    genes, rng = Genes(layout), np.random.default_rng(9)
    X = np.full((5000, 4), 0.5)
    Y = genes.mutate(X, np.full(4, 0.3), 0.1, rng)
    assert np.mean(Y != X) == pytest.approx(0.3, abs=0.02)


def test_log_dimensions_mutate_uniformly_in_the_cube():
    # The cube already makes a log range uniform: a step is a factor, not an offset.
    space = Space({"C": Real(1e-3, 1e3, log=True)})
    genes, rng = Genes(space.layout), np.random.default_rng(10)
    X = space.encode([{"C": 1e-2}] * 2000)
    up = np.array([p["C"] for p in space.decode(genes.mutate(X, [1.0], 0.1, rng))])
    X = space.encode([{"C": 1e2}] * 2000)
    down = np.array([p["C"] for p in space.decode(genes.mutate(X, [1.0], 0.1, rng))])
    assert np.median(np.abs(np.log10(up) + 2)) == pytest.approx(
        np.median(np.abs(np.log10(down) - 2)), rel=0.1)


# ---------------------------------------------------------------- the algorithm
def test_first_population_is_the_maximin_latin_hypercube():
    f = make_function("sphere", 0)
    ga = GeneticAlgorithm(f.layout, population_size=10, random_state=3)
    X = ga.ask()
    expected = f.layout.snap(f.layout.latin_hypercube(10, np.random.default_rng(3)))
    assert np.array_equal(X, expected)
    strata = np.sort(np.floor(X * 10), axis=0)
    assert np.array_equal(strata, np.tile(np.arange(10.0)[:, None], (1, 4)))


def test_generation_sizes_elites_are_not_asked_again():
    f = make_function("mixed", 0)
    ga = GeneticAlgorithm(f.layout, population_size=9, elitism=3, random_state=0)
    sizes = []
    for _ in range(5):
        X = ga.ask()
        sizes.append(len(X))
        ga.tell(X, -f.on_cube(X))
    assert sizes == [9, 6, 6, 6, 6]


def test_elitism_keeps_the_best_candidates():
    f = make_function("rosenbrock", 1)
    ga = GeneticAlgorithm(f.layout, population_size=8, elitism=2, random_state=0)
    told_X, told_y = [], []
    for _ in range(8):
        X = ga.ask()
        y = -f.on_cube(X)
        ga.tell(X, y)
        told_X.append(X)
        told_y.append(y)
        # The population's best two are the best two candidates ever told, unchanged.
        all_X, all_y = np.vstack(told_X), np.concatenate(told_y)
        best_two = np.argsort(-all_y)[:2]
        assert np.array_equal(ga.population_[:2], all_X[best_two])
        assert np.array_equal(ga.population_scores_[:2], all_y[best_two])
    assert np.all(np.diff(ga.population_scores_) <= 0)  # sorted best first


def test_no_candidate_is_asked_twice():
    space = Space({"n": Integer(1, 6), "kind": Categorical(["a", "b", "c"]),
                   "m": Integer(1, 4)})
    layout = space.layout  # 72 distinct candidates
    ga = GeneticAlgorithm(layout, population_size=8, random_state=0)
    asked = []
    for _ in range(9):
        X = ga.ask()
        asked.extend(layout.keys(X))
        scores = [p["n"] - p["m"] + (p["kind"] == "b") for p in space.decode(X)]
        ga.tell(X, scores)
    assert len(asked) == len(set(asked)) == 8 + 8 * 6  # elites excluded
    assert len(asked) <= layout.size


def test_union_of_subspaces_finds_the_best_subspace():
    space = Space([
        {"kernel": ["rbf"], "C": Real(1e-2, 1e2, log=True), "gamma": Real(1e-3, 1, log=True)},
        {"kernel": ["linear"], "C": Real(1e-2, 1e2, log=True)},
        {"kernel": ["poly"], "degree": Integer(2, 5), "coef0": Categorical([0.0, 1.0])},
    ])
    layout = space.layout
    ga = GeneticAlgorithm(layout, random_state=0)
    asked = []
    for _ in range(10):
        X = ga.ask()
        assert np.array_equal(layout.snap(X), X)  # canonical rows, inactive columns at 0.5
        asked.extend(layout.keys(X))
        params = space.decode(X)
        ga.tell(X, [-np.log10(p.get("C", 1e-2) / 10) ** 2 - (p["kernel"] != "linear")
                    for p in params])
    assert len(asked) == len(set(asked))
    best = space.decode(ga.population_[:1])[0]
    assert best["kernel"] == "linear" and 5 < best["C"] < 20


def test_exhausted_finite_space_is_finished_then_answered_from_known():
    space = Space({"n": Integer(1, 3), "kind": Categorical(["a", "b"])})  # 6 candidates
    layout = space.layout
    ga = GeneticAlgorithm(layout, population_size=4, elitism=1, random_state=0)
    asked = set()
    for _ in range(4):
        X = ga.ask()
        keys = layout.keys(X)
        assert len(X) >= 1
        if asked >= set(layout.keys(layout.enumerate())):
            assert set(keys) <= asked  # nothing new exists
        else:
            assert not set(keys) & asked
        asked.update(keys)
        ga.tell(X, [p["n"] for p in space.decode(X)])
    assert len(asked) == 6


@pytest.mark.parametrize("population_size, n_immigrants", [(10, 1), (14, 2)])
def test_immigrants_enter_when_diversity_is_low(population_size, n_immigrants):
    # A quarter of the children explore: the probe and n_immigrants random rows.
    f = make_function("sphere", 2)

    def next_batch(threshold):
        ga = GeneticAlgorithm(f.layout, population_size=population_size, elitism=2,
                              diversity_threshold=0.0, random_state=5)
        run(ga, f, 3)
        ga.diversity_threshold = threshold
        return ga.ask()

    plain, with_immigrants = next_batch(0.0), next_batch(2.0)  # 2.0: always "too low"
    assert np.array_equal(plain[:-n_immigrants], with_immigrants[:-n_immigrants])
    assert np.all(plain[-n_immigrants:] != with_immigrants[-n_immigrants:])


# ---------------------------------------------------------------- the probe
def test_probe_is_the_best_with_one_gene_drawn_anew_in_turn():
    f = make_function("mixed", 0)  # genes x0, x1, n, kind
    ga = GeneticAlgorithm(f.layout, random_state=0)
    run(ga, f, 1)
    groups = Genes(f.layout).groups
    changed = []
    for _ in range(8):
        best = ga.population_[0].copy()
        X = ga.ask()
        differs = [not np.array_equal(X[0, g.columns], best[g.columns]) for g in groups]
        assert sum(differs) == 1
        changed.append(differs.index(True))
        ga.tell(X, -f.on_cube(X))
    assert changed == [0, 1, 2, 3, 0, 1, 2, 3]


@pytest.mark.parametrize("margin, joins", [(-1e-6, False), (1e-6, True)])
def test_a_probe_joins_the_population_only_as_an_elite(margin, joins):
    f = make_function("sphere", 0)
    ga = GeneticAlgorithm(f.layout, population_size=8, elitism=2, random_state=0)
    run(ga, f, 2)
    X = ga.ask()
    y = -f.on_cube(X)
    y[0] = ga.population_scores_[1] + margin  # just below or above the second elite
    ga.tell(X, y)
    assert any(np.array_equal(row, X[0]) for row in ga.population_) == joins
    assert len(ga.population_) == 8 - (not joins)


def test_no_probe_with_a_single_child():
    f = make_function("sphere", 0)
    ga = GeneticAlgorithm(f.layout, population_size=2, elitism=1, random_state=0)
    run(ga, f, 1)
    X = ga.ask()
    assert len(X) == 1 and ga._n_probes == 0


def test_redraw_moves_one_gene_far_or_anywhere():
    layout = mixed_layout()
    genes, rng = Genes(layout), np.random.default_rng(11)
    X = layout.snap(np.tile([0.5, 0.5, 1.0, 0.0, 0.0, 0.0], (4000, 1)))
    far = genes.redraw(X, np.zeros(4000, int), 0.0, 1 / 3, rng)[:, 0]
    assert np.all(np.abs(far - 0.5) >= 1 / 3)
    assert np.mean(far < 0.5) == pytest.approx(0.5, abs=0.03)  # both sides of the range
    half = genes.redraw(X, np.zeros(4000, int), 0.5, 1 / 3, rng)[:, 0]
    # Half anywhere (a third of them land within 1/3 of 0.5), half far.
    assert np.mean(np.abs(half - 0.5) < 1 / 3) == pytest.approx(0.5 * 2 / 3, abs=0.03)
    Y = genes.redraw(X, np.full(4000, 2), 0.5, 1 / 3, rng)  # the categorical gene
    assert np.all(np.argmax(Y[:, 2:6], axis=1) != 0) and np.array_equal(Y[:, :2], X[:, :2])


def test_diversity_is_one_for_uniform_draws_and_zero_for_clones():
    layout = mixed_layout()
    ga = GeneticAlgorithm(layout, random_state=0)
    uniform = layout.snap(np.random.default_rng(0).random((20000, layout.n_dims)))
    assert ga.diversity(uniform) == pytest.approx(1.0, abs=0.02)
    assert ga.diversity(np.repeat(uniform[:1], 10, axis=0)) == pytest.approx(0.0, abs=1e-12)


def test_step_size_shrinks_as_the_population_converges():
    f = make_function("sphere", 4)
    ga = GeneticAlgorithm(f.layout, diversity_threshold=0.0, random_state=0)
    run(ga, f, 1)
    first = ga._step_size().mean()
    run(ga, f, 15)
    assert ga._step_size().mean() < first / 4


def test_same_seed_same_proposals():
    f = make_function("mixed", 3)
    batches = []
    for _ in range(2):
        ga = GeneticAlgorithm(f.layout, random_state=42)
        out = []
        for _ in range(5):
            X = ga.ask()
            out.append(X)
            ga.tell(X, -f.on_cube(X))
        batches.append(np.vstack(out))
    assert np.array_equal(*batches)


@pytest.mark.parametrize("selection", ["tournament", "sus"])
@pytest.mark.parametrize("crossover", ["sbx", "uniform", "one_point"])
def test_every_operator_combination_beats_random_on_the_mixed_function(selection, crossover):
    def make(layout, seed):
        return GeneticAlgorithm(layout, selection=selection, crossover=crossover,
                                random_state=seed)

    assert median_regret(make, "mixed", 80) < random_median_regret("mixed", 80)


def test_default_population_size_follows_the_number_of_genes():
    assert default_population_size(mixed_layout()) == 8  # 3 genes: at least 8
    assert default_population_size(make_function("mixed").layout) == 10
    many = CubeLayout([Group("real", i, i + 1, 0, 0) for i in range(30)])
    assert default_population_size(many) == 12


@pytest.mark.parametrize("kwargs, message", [
    ({"selection": "roulette"}, "selection must be one of"),
    ({"crossover": "two_point"}, "crossover must be one of"),
    ({"population_size": 1}, "population_size must be at least 2"),
    ({"population_size": 6, "elitism": 6}, "elitism must be in"),
    ({"mutation_rate": 1.5}, "mutation_rate must be in"),
    ({"prescreening": 0}, "prescreening must be an integer of at least 1, got 0"),
    ({"prescreening": 2.5}, "prescreening must be an integer of at least 1, got 2.5"),
])
def test_invalid_parameters_raise(kwargs, message):
    with pytest.raises(ValueError, match=message):
        GeneticAlgorithm(mixed_layout(), **kwargs)


# ---------------------------------------------------------------- GeneticSearchCV
X_FN = np.zeros((12, 1))  # FunctionEstimator ignores the data


def test_search_finds_the_mixed_optimum():
    est = FunctionEstimator("mixed", seed=1)
    f = est._function()
    search = GeneticSearchCV(est, f.space, n_iter=80, cv=2, random_state=0).fit(X_FN)
    assert -search.best_score_ - f.f_min < 0.5
    assert search.best_params_["kind"] == f.argmin["kind"]


def test_search_iteration_is_the_generation():
    est = FunctionEstimator("sphere", seed=0)
    search = GeneticSearchCV(est, est._function().space, n_iter=30, population_size=8,
                             elitism=2, cv=2, random_state=0).fit(X_FN)
    iterations = search.cv_results_["iteration"].tolist()
    assert iterations == [0] * 8 + [1] * 6 + [2] * 6 + [3] * 6 + [4] * 4
    assert len({repr(p) for p in search.cv_results_["params"]}) == 30


def test_search_default_population_is_sized_for_the_budget():
    est = FunctionEstimator("sphere", seed=0)
    search = GeneticSearchCV(est, est._function().space, n_iter=20, cv=2, random_state=0)
    iterations = search.fit(X_FN).cv_results_["iteration"]
    assert np.sum(iterations == 0) == 5  # n_iter // 4, below the default 10


def test_search_same_seed_same_results():
    est = FunctionEstimator("mixed", seed=2)
    space = est._function().space
    a = GeneticSearchCV(est, space, n_iter=25, cv=2, random_state=7).fit(X_FN)
    b = GeneticSearchCV(est, space, n_iter=25, cv=2, random_state=7).fit(X_FN)
    assert a.cv_results_["params"] == b.cv_results_["params"]


def test_search_params_round_trip_through_clone():
    search = GeneticSearchCV(LogisticRegression(), {"C": Real(0.01, 10, log=True)},
                             population_size=6, crossover="uniform", crossover_rate=0.7,
                             mutation_rate=0.3, selection="sus", tournament_size=4,
                             elitism=1, n_iter=12)
    params = clone(search).get_params(deep=False)
    for name, value in [("population_size", 6), ("crossover", "uniform"),
                        ("crossover_rate", 0.7), ("mutation_rate", 0.3),
                        ("selection", "sus"), ("tournament_size", 4), ("elitism", 1),
                        ("n_iter", 12)]:
        assert params[name] == value


@pytest.mark.parametrize("kwargs, message", [
    ({"selection": "roulette"}, "'selection' parameter"),
    ({"crossover": "two_point"}, "'crossover' parameter"),
    ({"crossover_rate": 1.5}, "'crossover_rate' parameter"),
    ({"mutation_rate": -0.1}, "'mutation_rate' parameter"),
    ({"population_size": 1}, "'population_size' parameter"),
    ({"tournament_size": 0}, "'tournament_size' parameter"),
    ({"elitism": -1}, "'elitism' parameter"),
    ({"elitism": True}, "'elitism' parameter .*not a bool.* Got True"),
    ({"population_size": True}, "'population_size' parameter .*not a bool"),
    ({"tournament_size": np.True_}, "'tournament_size' parameter .*not a bool"),
    ({"mutation_rate": False}, "'mutation_rate' parameter .*not a bool"),
    ({"prescreening": 0}, "'prescreening' parameter .* int in the range \\[1, inf\\) .*Got 0"),
    ({"prescreening": True}, "'prescreening' parameter .*not a bool"),
    ({"population_size": 4, "elitism": 4}, "elitism=4 must be smaller"),
])
def test_search_invalid_parameters_raise(kwargs, message):
    X, y = load_iris(return_X_y=True)
    search = GeneticSearchCV(LogisticRegression(), {"C": Real(0.01, 10, log=True)},
                             n_iter=8, cv=2, **kwargs)
    with pytest.raises(ValueError, match=message):
        search.fit(X, y)


@pytest.mark.parametrize("population_size, n_iter, elitism, message", [
    (20, 8, None, r"population_size=20 is too large for n_iter=8: two generations need 34 "
                  r"candidates \(20, then 14 children\), so the search stops before any "
                  r"genetic step .*; use population_size=4 or less, or n_iter=34 or more"),
    (8, 12, 3, r"need 13 candidates .* second generation is cut to 4 of its 5 children; "
               r"use population_size=7 or less"),
])
def test_search_warns_when_the_population_leaves_no_room_to_evolve(
        population_size, n_iter, elitism, message):
    est = FunctionEstimator("sphere", seed=0)
    search = GeneticSearchCV(est, est._function().space, n_iter=n_iter, cv=2, random_state=0,
                             population_size=population_size, elitism=elitism)
    with pytest.warns(UserWarning, match=message):
        search.fit(X_FN)
    assert search.population_size == population_size  # kept as given
    assert np.sum(search.cv_results_["iteration"] == 0) == min(population_size, n_iter)


def test_search_is_silent_when_two_generations_fit_or_the_size_is_the_default():
    est = FunctionEstimator("sphere", seed=0)
    space = est._function().space
    with warnings.catch_warnings():
        warnings.simplefilter("error", UserWarning)
        GeneticSearchCV(est, space, n_iter=14, population_size=8, elitism=2, cv=2,
                        random_state=0).fit(X_FN)
        GeneticSearchCV(est, space, n_iter=9, cv=2, random_state=0).fit(X_FN)


def test_search_works_untouched_on_a_classifier():
    X, y = load_iris(return_X_y=True)
    space = {"C": Real(1e-2, 1e2, log=True), "kernel": ["rbf", "linear"]}
    search = GeneticSearchCV(SVC(), space, n_iter=12, random_state=0).fit(X, y)
    assert search.best_score_ > 0.95
    assert search.best_estimator_.score(X, y) > 0.95
