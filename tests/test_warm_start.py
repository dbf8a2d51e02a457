"""Warm starts: known settings first, an earlier search's results reused without refitting."""

import numpy as np
import pytest
from sklearn.datasets import load_iris

from conftest import CountingLogistic
from sksearch._testing import FunctionEstimator, make_function
from sksearch.optimizers import (BayesianOptimizer, GeneticAlgorithm, ParticleSwarm,
                                 TreeParzenEstimator)
from sksearch.space import Real

X_IRIS, Y_IRIS = load_iris(return_X_y=True)
SPACE = {"C": Real(1e-3, 1e2, log=True), "tol": Real(1e-5, 1e-2, log=True)}


class Counted(CountingLogistic):
    """Counts its own fits."""

    n_fits = 0


@pytest.fixture(autouse=True)
def _reset():
    Counted.n_fits = 0


def test_initial_candidates_are_evaluated_first_and_count_in_n_iter(make_search):
    known = [{"C": 1.0, "tol": 1e-4}, {"C": 10.0, "tol": 1e-3}]
    search = make_search(Counted(), SPACE, n_iter=10, cv=3, random_state=0,
                         initial_candidates=known).fit(X_IRIS, Y_IRIS)
    results = search.cv_results_
    assert results["params"][:2] == known
    assert results["iteration"][:2].tolist() == [0, 0]
    assert results["iteration"][2] == 1
    assert len(results["params"]) == 10
    assert Counted.n_fits == 10 * 3 + 1


def test_the_strategy_starts_from_the_best_initial_candidate(make_search):
    f = make_function("sphere", seed=3)
    estimator = FunctionEstimator("sphere", seed=3)
    search = make_search(estimator, f.space, n_iter=12, cv=2, random_state=0,
                         initial_candidates=[f.argmin]).fit(np.zeros((10, 1)))
    assert search.best_params_ == f.argmin
    assert search.best_score_ == pytest.approx(-f.f_min)


@pytest.mark.parametrize("bad, match", [
    ([{"C": 1e6, "tol": 1e-4}], r"initial_candidates\[0\] = .* is not a candidate"),
    ([{"C": 1.0}], r"initial_candidates\[0\]"),
    ([{"C": 1.0, "tol": 1e-4}, "C=1"], r"initial_candidates\[1\] must be a dict"),
    ([], "initial_candidates is empty"),
])
def test_initial_candidates_outside_the_space_are_refused_before_any_fit(make_search, bad,
                                                                         match):
    search = make_search(Counted(), SPACE, n_iter=6, initial_candidates=bad)
    with pytest.raises((ValueError, TypeError), match=match):
        search.fit(X_IRIS, Y_IRIS)
    assert Counted.n_fits == 0


def test_a_fitted_search_is_reused_without_refitting(make_search):
    first = make_search(Counted(), SPACE, n_iter=6, cv=3, random_state=0).fit(X_IRIS, Y_IRIS)
    Counted.n_fits = 0
    second = make_search(Counted(), SPACE, n_iter=10, cv=3, random_state=1,
                         initial_candidates=first).fit(X_IRIS, Y_IRIS)
    assert Counted.n_fits == 4 * 3 + 1  # only the new candidates, and the refit
    assert second.cv_results_["params"][:6] == first.cv_results_["params"]
    np.testing.assert_array_equal(second.cv_results_["split2_test_score"][:6],
                                  first.cv_results_["split2_test_score"])


@pytest.mark.parametrize("change, field", [
    ({"X": X_IRIS + 1.0}, "data"),
    ({"scoring": "balanced_accuracy"}, "scoring"),
    ({"cv": 4}, "cv"),
])
def test_results_of_another_setting_are_not_reused(make_search, change, field):
    first = make_search(Counted(), SPACE, n_iter=4, cv=3, random_state=0).fit(X_IRIS, Y_IRIS)
    change = dict(change)
    X = change.pop("X", X_IRIS)
    second = make_search(Counted(), SPACE, n_iter=8, random_state=0,
                         **{"cv": 3, **change}, initial_candidates=first)
    Counted.n_fits = 0
    with pytest.raises(ValueError, match=f"cannot be reused: its {field} differs"):
        second.fit(X, Y_IRIS)
    assert Counted.n_fits == 0


def test_an_unfitted_search_cannot_be_reused(make_search):
    unfitted = make_search(Counted(), SPACE, n_iter=4)
    search = make_search(Counted(), SPACE, n_iter=6, initial_candidates=unfitted)
    with pytest.raises(ValueError, match="can be reused only once it is fitted"):
        search.fit(X_IRIS, Y_IRIS)


def test_a_warm_started_search_resumes_from_its_checkpoint(make_search, tmp_path):
    path = tmp_path / "journal.jsonl"
    kwargs = dict(n_iter=8, cv=3, random_state=0, checkpoint=str(path),
                  initial_candidates=[{"C": 1.0, "tol": 1e-4}])
    whole = make_search(Counted(), SPACE, **kwargs).fit(X_IRIS, Y_IRIS)
    Counted.n_fits = 0
    again = make_search(Counted(), SPACE, **kwargs).fit(X_IRIS, Y_IRIS)
    assert Counted.n_fits == 1  # the refit only
    assert again.cv_results_["params"] == whole.cv_results_["params"]


# ------------------------------------------------------------------ optimizers
@pytest.mark.parametrize("make", [
    lambda layout: ParticleSwarm(layout, n_particles=6, random_state=0),
    lambda layout: GeneticAlgorithm(layout, population_size=6, random_state=0),
    lambda layout: BayesianOptimizer(layout, n_initial_points=4, random_state=0),
    lambda layout: TreeParzenEstimator(layout, n_initial_points=4, random_state=0),
], ids=["pso", "genetic", "gp", "tpe"])
def test_an_optimizer_keeps_a_seed_as_its_best_and_never_asks_it_again(make):
    f = make_function("branin", seed=1)
    opt = make(f.layout)
    seed = f._space.encode([f.argmin])
    opt.seed(seed, [-f.f_min])
    keys = {f.layout.keys(seed)[0]}
    for _ in range(4):
        X = opt.ask()
        assert not keys & set(f.layout.keys(X))
        opt.tell(X, -f.on_cube(X))
    if isinstance(opt, ParticleSwarm):
        best = opt.best_score_.max()
    elif isinstance(opt, GeneticAlgorithm):
        best = opt.population_scores_[0]
    else:
        best = opt.y_.max()
    assert best == pytest.approx(-f.f_min)
