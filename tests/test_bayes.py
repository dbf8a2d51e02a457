"""Acquisition functions and the Gaussian-process Bayesian optimizer."""

import numpy as np
import pytest
from scipy.stats import norm

from sksearch import BayesSearchCV
from sksearch._testing import FunctionEstimator, make_function, minimize
from sksearch.optimizers.surrogates._acquisition import Acquisition, expected_improvement, log_h
from sksearch.optimizers._bayes import BayesianOptimizer
from sksearch.optimizers._tpe import TreeParzenEstimator
from sksearch.space import Categorical, Integer, Real, Space


# ---------------------------------------------------------------- acquisitions
def test_log_expected_improvement_is_the_closed_form():
    mean = np.linspace(-3.0, 3.0, 25)
    std = np.linspace(0.1, 2.0, 25)
    value, _, _ = Acquisition("ei")(mean, std, best=0.5)
    z = (mean - 0.5) / std
    closed_form = (mean - 0.5) * norm.cdf(z) + std * norm.pdf(z)
    np.testing.assert_allclose(np.exp(value), closed_form, rtol=1e-10)
    np.testing.assert_allclose(expected_improvement(mean, std, 0.5), closed_form, rtol=1e-10)


def test_expected_improvement_matches_monte_carlo():
    rng = np.random.default_rng(0)
    for mean, std, best in [(0.0, 1.0, 0.0), (1.0, 0.5, 1.3), (-1.0, 2.0, 0.5)]:
        samples = np.maximum(rng.normal(mean, std, 400_000) - best, 0.0)
        standard_error = samples.std() / np.sqrt(len(samples))
        ei = expected_improvement(mean, std, best)
        assert abs(ei - samples.mean()) < 4 * standard_error


def test_log_h_far_in_the_tail():
    # h(z) = phi(z) / z^2 (1 - 3/z^2 + 15/z^4 - ...) for z -> -inf (Mills ratio series)
    for z in (-40.0, -1e3, -1e9):
        series = 1 - 3 / z**2 + 15 / z**4 - 105 / z**6
        expected = norm.logpdf(z) - 2 * np.log(-z) + np.log(series)
        assert log_h(np.array([z]))[0] == pytest.approx(expected, rel=1e-10)
    # continuous where the formula changes branch
    assert log_h(np.array([-1.0 - 1e-12]))[0] == pytest.approx(log_h(np.array([-1.0]))[0])


@pytest.mark.parametrize("name", ["ei", "pi", "ucb"])
def test_acquisition_derivatives(name):
    acquisition = Acquisition(name, xi=0.1)
    mean, std = np.array([-2.0, 0.0, 0.4, 3.0]), np.array([0.3, 1.0, 0.05, 2.0])
    _, d_mean, d_std = acquisition(mean, std, best=0.5)
    step = 1e-6
    numeric_mean = (acquisition(mean + step, std, 0.5)[0] - acquisition(mean - step, std, 0.5)[0])
    numeric_std = (acquisition(mean, std + step, 0.5)[0] - acquisition(mean, std - step, 0.5)[0])
    np.testing.assert_allclose(d_mean, numeric_mean / (2 * step), rtol=1e-5)
    np.testing.assert_allclose(d_std, numeric_std / (2 * step), rtol=1e-5, atol=1e-8)


def test_probability_of_improvement():
    value, _, _ = Acquisition("pi")(np.array([1.0]), np.array([2.0]), best=0.0)
    assert np.exp(value[0]) == pytest.approx(norm.cdf(0.5))


def test_unknown_acquisition():
    with pytest.raises(ValueError, match="acquisition must be one of"):
        Acquisition("lcb")


# ---------------------------------------------------------------- optimizer
def run(opt, f, budget):
    """Drive ``opt`` on ``f`` for ``budget`` evaluations as the engine does; the regret."""
    return minimize(opt, f, budget)[-1]


@pytest.mark.parametrize("batch_size", [1, 4])
def test_finds_branin_minimum_within_40_evaluations(batch_size):
    for seed in range(2):
        f = make_function("branin", seed)
        opt = BayesianOptimizer(f.layout, n_initial_points=10, batch_size=batch_size,
                                random_state=seed)
        assert run(opt, f, 40) < 5e-3


@pytest.mark.parametrize("acquisition", ["pi", "ucb"])
def test_other_acquisitions_optimize(acquisition):
    f = make_function("branin", 0)
    opt = BayesianOptimizer(f.layout, n_initial_points=10, acquisition=acquisition,
                            random_state=0)
    assert run(opt, f, 40) < 0.05


def test_mixed_space_finds_integer_and_categorical():
    f = make_function("mixed", 1)
    # batches of one, each asked while the last is evaluated (the search's default at 5 folds)
    opt = BayesianOptimizer(f.layout, n_initial_points=10, batch_size=1, random_state=1)
    # random search needs thousands of points for this (4 choices, 20 integers, 2 reals)
    assert run(opt, f, 50) < 0.05


def test_first_ask_is_a_latin_hypercube():
    f = make_function("sphere", 0)
    X = BayesianOptimizer(f.layout, n_initial_points=8, random_state=0).ask()
    assert X.shape == (8, 4)
    for column in X.T:  # one point per stratum of width 1/8
        np.testing.assert_array_equal(np.sort(np.floor(column * 8)), np.arange(8))


@pytest.mark.parametrize("cls", [BayesianOptimizer, TreeParzenEstimator])
def test_batches_are_distinct_and_new(cls):
    space = Space({"x": Real(0, 1), "n": Integer(1, 4), "kind": Categorical(["a", "b", "c"])})
    layout = space.layout
    opt = cls(layout, n_initial_points=5, batch_size=6, random_state=0)
    known = set()
    for _ in range(6):
        X = opt.ask()
        keys = layout.keys(X)
        assert len(set(keys)) == len(keys)
        assert not known & set(keys)
        known.update(keys)
        # a flat score: the model alone cannot separate the points
        opt.tell(X, np.zeros(len(X)))


@pytest.mark.parametrize("cls", [BayesianOptimizer, TreeParzenEstimator])
def test_small_finite_space_is_covered_without_repeats(cls):
    space = Space({"n": Integer(1, 5), "kind": Categorical(["a", "b", "c"])})
    layout = space.layout
    opt = cls(layout, n_initial_points=4, batch_size=3, random_state=0)
    seen = []
    while len(seen) < layout.size:
        X = opt.ask()
        seen.extend(layout.keys(X))
        opt.tell(X, [-p["n"] for p in space.decode(X)])
    assert len(seen) == len(set(seen)) == layout.size


def test_union_of_subspaces_gives_canonical_points():
    space = Space([{"C": Real(1e-3, 1e3, log=True)},
                   {"n": Integer(1, 30), "kind": ["x", "y"]}])
    layout = space.layout
    opt = BayesianOptimizer(layout, n_initial_points=5, batch_size=3, random_state=0)
    for _ in range(4):
        X = opt.ask()
        np.testing.assert_array_equal(layout.snap(X), X)
        opt.tell(X, [np.log10(p["C"]) if "C" in p else p["n"] / 10 for p in space.decode(X)])


@pytest.mark.parametrize("cls", [BayesianOptimizer, TreeParzenEstimator])
def test_same_seed_same_proposals(cls):
    f = make_function("mixed", 0)
    runs = []
    for _ in range(2):
        opt = cls(f.layout, n_initial_points=5, batch_size=2, random_state=7)
        proposals = []
        for _ in range(4):
            X = opt.ask()
            opt.tell(X, -f.on_cube(X))
            proposals.append(X)
        runs.append(np.vstack(proposals))
    np.testing.assert_array_equal(runs[0], runs[1])


@pytest.mark.parametrize("cls", [BayesianOptimizer, TreeParzenEstimator])
def test_invalid_sizes(cls):
    f = make_function("sphere", 0)
    with pytest.raises(ValueError, match="at least 1"):
        cls(f.layout, batch_size=0)


# ---------------------------------------------------------------- search
def _function_search(name, seed, **kwargs):
    estimator = FunctionEstimator(name, seed=seed)
    return BayesSearchCV(estimator, estimator._function().space, cv=2, **kwargs)


def test_search_finds_branin_minimum_within_40_candidates():
    X = np.zeros((10, 1))  # FunctionEstimator ignores the data
    search = _function_search("branin", 3, n_iter=40, random_state=3).fit(X)
    assert len(search.cv_results_["params"]) == 40
    assert np.bincount(search.cv_results_["iteration"])[0] == 10  # the initial design
    assert -search.best_score_ - make_function("branin", 3).f_min < 5e-3


def test_search_with_tpe():
    search = _function_search("mixed", 0, n_iter=30, surrogate="tpe", batch_size=5,
                              random_state=0).fit(np.zeros((10, 1)))
    iterations = search.cv_results_["iteration"]
    assert np.bincount(iterations).tolist() == [7, 5, 5, 5, 5, 3]  # initial: 30 // 4
    random_best = -make_function("mixed", 0).on_cube(
        np.random.default_rng(0).random((30, 7))).min()
    assert search.best_score_ > random_best


@pytest.mark.parametrize("cv, expected, ahead", [(2, 4, False), (3, 3, False), (4, 1, True),
                                                 (5, 1, True), (10, 1, True), (100, 1, True)])
@pytest.mark.parametrize("n_jobs", [None, 1, 4, -1])
def test_default_batches_in_flight_hold_eight_fits_whatever_n_jobs(n_jobs, cv, expected, ahead):
    estimator = FunctionEstimator("sphere", seed=0)
    search = BayesSearchCV(estimator, estimator._function().space, n_jobs=n_jobs, cv=cv)
    search.n_splits_ = cv
    optimizer = search._make_optimizer(Space(estimator._function().space).layout, 0, search.n_iter)
    assert optimizer.batch_size == expected
    assert optimizer.asks_ahead is ahead  # one candidate at a time, asked while the last runs
    assert optimizer.n_initial_points == 10


@pytest.mark.parametrize("cv, expected", [(2, 4), (3, 3), (5, 2), (10, 1)])
def test_the_tpe_waits_for_each_batch_and_one_default_batch_holds_eight_fits(cv, expected):
    estimator = FunctionEstimator("sphere", seed=0)
    search = BayesSearchCV(estimator, estimator._function().space, surrogate="tpe", cv=cv)
    search.n_splits_ = cv
    optimizer = search._make_optimizer(Space(estimator._function().space).layout, 0, search.n_iter)
    assert not optimizer.asks_ahead
    assert optimizer.batch_size == expected


@pytest.mark.parametrize("surrogate", ["gp", "tpe"])
def test_results_do_not_depend_on_n_jobs_beyond_the_folds(surrogate):
    estimator = FunctionEstimator("branin", seed=0)
    runs = [BayesSearchCV(estimator, estimator._function().space, n_iter=16, cv=2,
                          surrogate=surrogate, n_jobs=n_jobs, random_state=0)
            .fit(np.zeros((8, 1))) for n_jobs in (1, 4)]
    assert runs[0].cv_results_["params"] == runs[1].cv_results_["params"]


def test_search_parameters_are_validated():
    search = _function_search("sphere", 0, surrogate="forest")
    with pytest.raises(ValueError, match="surrogate"):
        search.fit(np.zeros((4, 1)))
    assert {"n_initial_points", "surrogate", "acquisition", "batch_size", "n_iter",
            "cv", "random_state"} <= set(search.get_params())
