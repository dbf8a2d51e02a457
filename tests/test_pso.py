"""ParticleSwarm on shifted test functions, and PSOSearchCV on top of the engine."""

import numpy as np
import pytest
from sklearn.datasets import make_classification
from sklearn.linear_model import LogisticRegression
from sklearn.model_selection import cross_val_score

from sksearch._pso_search import PSOSearchCV
from sksearch._testing import FunctionEstimator, make_function, minimize
from sksearch.optimizers import RandomSampler
from sksearch.optimizers._pso import (
    _COLLAPSE_WIDTH,
    _MAX_VELOCITY,
    ParticleSwarm,
    default_n_particles,
)
from sksearch.space import Categorical, Integer, Real, Space

SEEDS = range(10)


def optimizer_seed(seed):
    return 1000 + seed  # apart from the instances' seeds


def regrets(name, budget, make_optimizer, dim=None):
    out = []
    for seed in SEEDS:
        f = make_function(name, seed, dim)
        optimizer = make_optimizer(f.layout, optimizer_seed(seed), budget)
        out.append(minimize(optimizer, f, budget)[-1])
    return np.array(out)


def pso(layout, seed, budget):
    return ParticleSwarm(layout, n_iter=budget, random_state=seed)


def random_search(layout, seed, budget):
    return RandomSampler(layout, batch_size=10, random_state=seed)


# ------------------------------------------------------------------ finds minima
@pytest.mark.parametrize(
    "name, dim, budget, median_tol, max_tol",
    [
        # regret = best value found - f_min, over 10 shifted instances
        ("sphere", 4, 200, 0.05, 0.5),
        ("branin", None, 200, 0.005, 0.05),
        ("rosenbrock", 2, 200, 0.5, 10.0),  # a seed may still crawl along the valley
        ("log_scale", None, 60, 0.005, 0.1),
        ("mixed", None, 150, 0.1, 2.5),  # a seed may end in the second-best category
    ],
)
def test_finds_the_minimum_within_tolerance(name, dim, budget, median_tol, max_tol):
    r = regrets(name, budget, pso, dim)
    assert np.median(r) < median_tol, r
    assert r.max() < max_tol, r


@pytest.mark.parametrize("name", ["sphere", "branin", "rosenbrock", "log_scale", "mixed"])
def test_beats_random_search_at_fifty_evaluations(name):
    ours, baseline = regrets(name, 50, pso), regrets(name, 50, random_search)
    assert np.median(ours) < 0.5 * np.median(baseline), (ours, baseline)


def test_finds_the_best_choice_wherever_it_is_in_the_list():
    # Six choices with random costs 0..5 plus a real in [-0.5, 0.5]: the
    # choices have no order to exploit, and 30 candidates must find cost 0.
    for seed in SEEDS:
        cost = np.random.default_rng(seed).permutation(6).astype(float)
        space = Space({"kind": Categorical(list("abcdef")), "x": Real(-0.5, 0.5)})
        opt = ParticleSwarm(space.layout, n_iter=30, random_state=optimizer_seed(seed))
        best = np.inf
        while opt.n_told_ < 30:
            X = opt.ask()
            values = [cost["abcdef".index(p["kind"])] + p["x"] ** 2 for p in space.decode(X)]
            best = min(best, min(values))
            opt.tell(X, -np.array(values))
        assert best < 0.25, (seed, best)


# ------------------------------------------------------------------ the swarm's rules
def test_first_swarm_is_a_latin_hypercube():
    layout = make_function("sphere", 0).layout
    X = ParticleSwarm(layout, n_particles=8, random_state=0).ask()
    assert X.shape == (8, 4)
    for column in X.T:  # one point in each eighth of every column
        assert sorted(np.floor(column * 8).astype(int)) == list(range(8))


def test_same_seed_same_proposals_and_other_seed_other_proposals():
    f = make_function("mixed", 0)

    def trace(seed):
        opt, batches = ParticleSwarm(f.layout, n_iter=60, random_state=seed), []
        for _ in range(6):
            X = opt.ask()
            batches.append(X)
            opt.tell(X, -f.on_cube(X))
        return np.vstack(batches)

    np.testing.assert_array_equal(trace(3), trace(3))
    assert not np.array_equal(trace(3), trace(4))


def test_particles_stay_inside_without_piling_on_the_walls():
    # The optimum is the corner (1, 1, 1): particles overshoot it all the time.
    space = Space({f"x{i}": Real(0.0, 1.0) for i in range(3)})
    opt = ParticleSwarm(space.layout, n_iter=120, n_particles=8, random_state=0)
    batches = []
    for _ in range(15):
        X = opt.ask()
        batches.append(X)
        assert np.all(np.abs(opt.velocity_) <= _MAX_VELOCITY[0])
        opt.tell(X, X.sum(axis=1))
    X = np.vstack(batches)
    assert X.min() >= 0.0 and X.max() <= 1.0
    assert np.mean((X == 0.0) | (X == 1.0)) < 0.01
    assert opt.best_score_.max() > 2.98


def test_velocity_clamp_shrinks_as_the_budget_is_used():
    f = make_function("sphere", 0)
    opt = ParticleSwarm(f.layout, n_iter=80, random_state=0)
    while opt.n_told_ < 72:
        X = opt.ask()
        opt.tell(X, -f.on_cube(X))
    opt.ask()
    limit = _MAX_VELOCITY[0] + (_MAX_VELOCITY[1] - _MAX_VELOCITY[0]) * 72 / 80
    assert np.abs(opt.velocity_).max() <= limit + 1e-12


def test_a_collapsed_swarm_reseeds_its_worst_half_far_away():
    layout = make_function("sphere", 0).layout
    opt = ParticleSwarm(layout, n_particles=6, random_state=0)
    X = opt.ask()
    collapsed = np.tile(X[:1], (6, 1))
    opt.tell(collapsed, np.arange(6.0))
    X = opt.ask()
    moved = np.linalg.norm(X - collapsed[0], axis=1) > 10 * _COLLAPSE_WIDTH
    assert moved.sum() >= 3
    assert np.isneginf(opt.best_score_).sum() >= 3  # they forget their old best


def test_no_known_candidate_is_asked_again_while_others_remain():
    # 60 candidates; the swarm converges fast on a discrete optimum.
    space = Space({"n": Integer(1, 10), "kind": Categorical(["a", "b", "c"]),
                   "depth": Integer(1, 2)})
    opt = ParticleSwarm(space.layout, n_iter=60, n_particles=5, random_state=0)
    known = set()
    while len(known) < 60:
        X = opt.ask()
        keys = space.layout.keys(X)
        assert len(set(keys)) == len(keys)
        assert not (set(keys) & known)
        known |= set(keys)
        params = space.decode(X)
        opt.tell(X, [-abs(p["n"] - 7) - (p["kind"] != "b") for p in params])
    assert len(known) == 60


def test_ask_twice_returns_the_same_swarm():
    opt = ParticleSwarm(make_function("branin", 0).layout, random_state=0)
    np.testing.assert_array_equal(opt.ask(), opt.ask())


def test_tell_refuses_rows_that_are_not_the_swarm():
    opt = ParticleSwarm(make_function("branin", 0).layout, n_particles=4, random_state=0)
    X = opt.ask()
    with pytest.raises(ValueError, match="expects the 4 positions"):
        opt.tell(X[:3], np.zeros(3))


@pytest.mark.parametrize(
    "n_dims, n_iter, expected", [(2, 10, 4), (4, 50, 5), (4, 80, 8), (4, 1000, 14), (9, None, 16)]
)
def test_default_swarm_size(n_dims, n_iter, expected):
    assert default_n_particles(n_dims, n_iter) == expected


# ------------------------------------------------------------------ PSOSearchCV
def test_search_finds_the_minimum_of_a_function_estimator():
    est = FunctionEstimator("branin", seed=1)
    search = PSOSearchCV(est, est._function().space, n_iter=80, cv=2, random_state=0)
    search.fit(np.zeros((4, 1)))
    assert -search.best_score_ - est._function().f_min < 0.05
    assert search.stop_reason_ == "n_iter"
    assert len(search.cv_results_["params"]) == 80


def test_cv_results_record_swarm_step_and_particle():
    est = FunctionEstimator("sphere", seed=0)
    search = PSOSearchCV(est, est._function().space, n_iter=23, n_particles=5, cv=2,
                         random_state=0).fit(np.zeros((4, 1)))
    iteration, particle = search.cv_results_["iteration"], search.cv_results_["particle"]
    assert iteration.tolist() == [i // 5 for i in range(23)]
    assert particle.tolist() == [i % 5 for i in range(23)]
    assert particle.dtype.kind == "i"


def test_discrete_space_reaches_the_budget_without_stalling():
    X, y = make_classification(n_samples=60, random_state=0)
    space = {"C": [0.01, 0.1, 1.0, 10.0], "fit_intercept": [True, False],
             "class_weight": [None, "balanced"], "tol": [1e-4, 1e-3]}
    search = PSOSearchCV(LogisticRegression(), space, n_iter=28, cv=2, random_state=0)
    search.fit(X, y)
    assert search.stop_reason_ == "n_iter"
    assert len({repr(sorted(p.items())) for p in search.cv_results_["params"]}) == 28


@pytest.mark.parametrize("n_particles, n_iter, message", [
    (20, 8, r"n_particles=20 is too large for n_iter=8: the first swarm and one step of it "
            r"need 40 candidates, so the particles never move .*; use n_particles=4 or less, "
            r"or n_iter=40 or more"),
    (6, 9, r"only 3 of the 6 particles move once"),
])
def test_search_warns_when_the_swarm_leaves_no_room_to_move(n_particles, n_iter, message):
    est = FunctionEstimator("sphere", seed=0)
    search = PSOSearchCV(est, est._function().space, n_iter=n_iter, n_particles=n_particles,
                         cv=2, random_state=0)
    with pytest.warns(UserWarning, match=message):
        search.fit(np.zeros((12, 1)))
    assert np.sum(search.cv_results_["iteration"] == 0) == min(n_particles, n_iter)


def test_search_passes_its_parameters_to_the_swarm():
    search = PSOSearchCV(LogisticRegression(), {"C": Real(0.1, 10.0)}, n_iter=30,
                         n_particles=3, inertia=0.5, cognitive=1.0, social=2.0)
    opt = search._make_optimizer(Space(search.param_distributions).layout, 0, search.n_iter)
    assert (opt.n_particles, opt.n_iter) == (3, 30)
    assert (opt.inertia, opt.cognitive, opt.social) == (0.5, 1.0, 2.0)
    params = search.get_params()
    assert params["n_particles"] == 3 and params["n_iter"] == 30 and "cv" in params


@pytest.mark.parametrize(
    "bad, match",
    [
        ({"n_particles": 1}, "n_particles"),
        ({"inertia": 1.5}, "inertia"),
        ({"cognitive": -1.0}, "cognitive"),
        ({"social": "high"}, "social"),
    ],
)
def test_bad_swarm_parameters_are_refused(bad, match):
    X, y = make_classification(n_samples=30, random_state=0)
    search = PSOSearchCV(LogisticRegression(), {"C": Real(0.1, 10.0)}, n_iter=4, **bad)
    with pytest.raises(ValueError, match=match):
        search.fit(X, y)


def test_default_search_beats_default_logistic_regression():
    # Untouched defaults on a real estimator do at least as well as the default.
    X, y = make_classification(n_samples=200, n_informative=4, flip_y=0.1, random_state=0)
    search = PSOSearchCV(LogisticRegression(), {"C": Real(1e-3, 1e2, log=True)},
                         n_iter=12, cv=3, random_state=0).fit(X, y)
    default = cross_val_score(LogisticRegression(), X, y, cv=3).mean()
    assert search.best_score_ >= default
