"""Multi-fidelity searches: brackets of successive halving on every strategy."""

import numpy as np
import pytest
from scipy.stats import loguniform
from sklearn.base import BaseEstimator, ClassifierMixin, RegressorMixin
from sklearn.datasets import load_breast_cancer
from sklearn.ensemble import RandomForestClassifier
from sklearn.experimental import enable_halving_search_cv  # noqa: F401
from sklearn.linear_model import LogisticRegression
from sklearn.model_selection import HalvingRandomSearchCV
from sklearn.pipeline import Pipeline
from sklearn.preprocessing import StandardScaler

from sksearch import BayesSearchCV
from sksearch.engine.fidelity._brackets import Brackets, ladder
from sksearch.space import Integer, Real

# cheap rungs of max_iter stop solvers early, on purpose
pytestmark = pytest.mark.filterwarnings("ignore::sklearn.exceptions.ConvergenceWarning")


@pytest.fixture(scope="module")
def data():
    X, y = load_breast_cancer(return_X_y=True)
    return X[:240] / X[:240].max(axis=0), y[:240]


class Staircase(RegressorMixin, BaseEstimator):
    """A made-up model whose score is ``x`` at every resource (``lie``: ``-x``
    below ``n_estimators=9``), so that promotions can be checked by hand."""

    def __init__(self, x=0.0, n_estimators=27, lie=False):
        self.x, self.n_estimators, self.lie = x, n_estimators, lie

    def fit(self, X, y):
        self.fitted_ = True
        return self

    def predict(self, X):
        return np.zeros(len(X))

    def score(self, X, y):
        return -self.x if self.lie and self.n_estimators < 9 else self.x


def spent(search):
    """Resources spent over all rungs, in full-resource fits."""
    return np.sum(search.cv_results_["n_resources"]) / search.max_resources_


# ---------------------------------------------------------------- the schedule
def test_the_ladder_and_hyperbands_brackets():
    assert ladder(10, 300, 3) == [11, 33, 100, 300]
    assert ladder(4, 100, 3) == [4, 11, 33, 100]
    assert ladder(50, 100, 3) == [100]
    b = Brackets([1, 3, 9, 27], factor=3)
    plans = [b.plan(remaining=1000.0) for _ in range(5)]
    assert [p.rungs[0] for p in plans] == [0, 1, 2, 3, 0]
    assert [p.n for p in plans[:4]] == [[27, 9, 3, 1], [12, 4, 1], [6, 2], [4]]
    for p in plans[:4]:  # every bracket costs about s_max + 1 = 4 full-resource fits
        assert 3.5 <= b.bracket_cost(p) <= 4.0


def test_a_bracket_that_would_overrun_the_budget_is_shortened():
    b = Brackets([1, 3, 9, 27], factor=3)
    plan = b.plan(remaining=2.5)
    assert b.bracket_cost(plan) <= 2.5
    assert plan.rungs[-1] == 3  # it still reaches the full resource
    assert b.plan(remaining=0.9) is None


def test_a_population_bracket_starts_no_lower_than_its_size_reaches():
    b = Brackets([1, 3, 9, 27], factor=3)
    plan = b.plan(remaining=1000.0, n_candidates=5)
    assert plan.rungs == [1, 2, 3] and plan.n == [5, 1, 1]


def test_worth_puts_candidates_stopped_early_below_those_that_went_further():
    worth = Brackets.worth([np.array([0.5, 0.6, 0.7, 0.8, np.nan]),
                            np.array([np.nan, np.nan, 0.9, 0.85, np.nan]),
                            np.array([np.nan, np.nan, np.nan, 0.95, np.nan])])
    assert worth[3] == 0.95
    assert worth[0] < worth[1] < worth[2] < worth[3]
    assert np.isnan(worth[4])


def test_rungs_that_rank_backwards_are_dropped():
    b = Brackets([1, 3, 9, 27], factor=3)
    plan = b.plan(remaining=100.0)
    low = np.arange(27.0)
    promoted = np.full(27, np.nan)
    promoted[18:] = -low[18:]  # the best at rung 0 are the worst at rung 1
    b.learn(plan, [low, promoted, np.full(27, np.nan), np.full(27, np.nan)])
    assert b.agreement[0][0] < 0 and b.agreement[0][1] == 9
    assert b.min_rung == 1 and b.dropped[0]["resources"] == [1]
    assert b.plan(remaining=100.0).rungs[0] == 1


def test_promoted_candidates_that_all_tie_do_not_drop_a_rung():
    b = Brackets([1, 3, 9, 27], factor=3)
    plan = b.plan(remaining=100.0)
    low = np.arange(27.0)
    tied = np.full(27, np.nan)
    tied[18:] = 0.5  # every promoted candidate scores the same at rung 1
    b.learn(plan, [low, tied, np.full(27, np.nan), np.full(27, np.nan)])
    assert 0 not in b.agreement and b.min_rung == 0


# ---------------------------------------------------------------- searches
@pytest.mark.parametrize("resource, estimator, space", [
    ("n_samples", LogisticRegression(max_iter=500), {"C": Real(1e-2, 1e2, log=True)}),
    ("n_estimators", RandomForestClassifier(n_estimators=27, random_state=0),
     {"max_depth": Integer(1, 8), "max_features": Real(0.1, 1.0)}),
    ("clf__n_estimators",
     Pipeline([("scale", StandardScaler()),
               ("clf", RandomForestClassifier(n_estimators=27, random_state=0))]),
     {"clf__max_depth": Integer(1, 8), "clf__max_features": Real(0.1, 1.0)}),
])
def test_every_strategy_with_every_kind_of_resource(make_search, data, resource, estimator,
                                                    space):
    X, y = data
    search = make_search(estimator, space, n_iter=6, cv=3, random_state=0,
                         resource=resource).fit(X, y)
    results = search.cv_results_
    full = search.max_resources_
    assert full == (len(X) if resource == "n_samples" else 27)
    assert search.n_resources_[-1] == full and len(search.n_resources_) >= 2
    assert sum(search.n_candidates_) == len(results["params"])
    assert set(results["n_resources"]) <= set(search.n_resources_)
    assert results["n_resources"][search.best_index_] == full
    assert search.stop_reason_ == "n_iter"
    assert spent(search) <= 6 + 1e-9
    if resource != "n_samples":  # the resource is a parameter of every row
        assert [p[resource] for p in results["params"]] == list(results["n_resources"])
        assert search.best_params_[resource] == full
        assert search.best_estimator_.get_params()[resource] == full
    assert search.score(X, y) > 0.8


def test_promotions_are_the_best_of_each_rung_ties_to_the_earlier(make_search):
    X, y = np.zeros((30, 1)), np.zeros(30)
    search = make_search(Staircase(), {"x": Real(0.0, 1.0)}, n_iter=12, cv=3,
                         random_state=0, resource="n_estimators", refit=False).fit(X, y)
    results = search.cv_results_
    iteration, level = results["iteration"], results["iter"]
    x = np.array([p["x"] for p in results["params"]])
    n_checked = 0
    for t in np.unique(iteration):
        rows = np.flatnonzero(iteration == t)
        before = np.flatnonzero(iteration == t - 1)
        if len(before) and level[rows[0]] == level[before[0]] + 1:  # promoted from t - 1
            order = np.argsort(-results["mean_test_score"][before], kind="stable")
            assert sorted(x[rows]) == sorted(x[before][order[:len(rows)]])
            n_checked += 1
    assert n_checked >= 2
    assert results["params"][search.best_index_]["x"] == x[level == level.max()].max()


def test_rungs_that_lie_are_noticed_and_dropped():
    X, y = np.zeros((30, 1)), np.zeros(30)
    search = BayesSearchCV(Staircase(lie=True), {"x": Real(0.0, 1.0)}, n_iter=40, cv=3,
                           random_state=0, resource="n_estimators", refit=False).fit(X, y)
    assert search.n_resources_ == [1, 3, 9, 27]
    assert search.rung_agreement_[3][0] < 0  # 3 and 9 rank backwards
    assert search.rung_agreement_[1][0] > 0.5  # 1 and 3 agree (both lie)
    drop = search.dropped_rungs_[0]
    assert drop["resources"] == [1, 3] and drop["noise_chance"] < 0.05
    # after the drop no bracket starts at the lying rungs until a round later they are
    # tried again (and, still lying, dropped again: see test_bracket_rules)
    iteration = search.cv_results_["iteration"]
    between = (iteration > drop["after_iteration"]) & (iteration < drop["back_at_iteration"])
    assert between.sum() >= 3
    assert search.cv_results_["n_resources"][between].min() >= 9
    assert search.cv_results_["n_resources"][iteration == drop["back_at_iteration"]][0] == 1


def test_cv_results_have_the_keys_of_halving_random_search(data):
    X, y = data
    halving = HalvingRandomSearchCV(LogisticRegression(max_iter=500),
                                    {"C": loguniform(1e-2, 1e2)}, n_candidates=6, cv=3,
                                    random_state=0).fit(X, y)
    ours = BayesSearchCV(LogisticRegression(max_iter=500), {"C": loguniform(1e-2, 1e2)},
                         n_iter=4, cv=3, random_state=0, resource="n_samples",
                         return_train_score=True).fit(X, y)  # Halving's default
    assert set(halving.cv_results_) <= set(ours.cv_results_)
    for key in ("iter", "n_resources"):
        assert ours.cv_results_[key].dtype.kind == halving.cv_results_[key].dtype.kind == "i"
    for name in ("n_resources_", "n_candidates_", "min_resources_", "max_resources_"):
        assert hasattr(ours, name)


def test_one_seed_one_result_whatever_n_jobs(make_search, data):
    X, y = data
    runs = [make_search(LogisticRegression(max_iter=500), {"C": Real(1e-2, 1e2, log=True)},
                        n_iter=5, cv=3, random_state=3, n_jobs=n_jobs,
                        resource="n_samples").fit(X, y).cv_results_
            for n_jobs in (1, 2)]
    assert runs[0]["params"] == runs[1]["params"]
    np.testing.assert_array_equal(runs[0]["n_resources"], runs[1]["n_resources"])
    np.testing.assert_array_equal(runs[0]["mean_test_score"], runs[1]["mean_test_score"])


def test_n_samples_rungs_train_on_nested_stratified_parts(data):
    X, y = data
    seen = {}

    class Recording(LogisticRegression):
        def fit(self, X, y, sample_weight=None):
            seen.setdefault(len(X), []).append(np.bincount(y, minlength=2) / len(y))
            return super().fit(X, y)

    search = BayesSearchCV(Recording(max_iter=500), {"C": Real(1e-2, 1e2, log=True)},
                           n_iter=4, cv=3, random_state=0, resource="n_samples",
                           refit=False).fit(X, y)
    share = np.bincount(y) / len(y)
    assert len(seen) >= 3  # the rungs train on more and more samples
    for shares in seen.values():
        np.testing.assert_allclose(np.mean(shares, axis=0), share, atol=0.05)
    assert search.cv_results_["n_resources"].max() == len(X)


@pytest.mark.parametrize("kwargs, message", [
    ({"resource": "n_estimators", "param_distributions": {"n_estimators": Integer(5, 50)}},
     "resource='n_estimators' is also in param_distributions"),
    ({"resource": "n_trees"}, "resource='n_trees' is not a parameter"),
    ({"resource": "max_depth"}, "the estimator's max_depth is None"),
    ({"resource": "n_estimators", "min_resources": 50, "max_resources": 20},
     "min_resources=50 is more than max_resources=20"),
    ({"resource": "n_samples", "max_resources": 10_000}, "more than the 240 samples"),
    ({"min_resources": 5}, "min_resources=5 needs a resource"),
    ({"resource": "n_estimators", "min_resources": 0}, "min_resources"),
    ({"resource": "n_estimators", "factor": 1}, "factor"),
    ({"resource": "n_estimators", "factor": True}, "factor"),
])
def test_bad_resource_settings_are_refused_before_any_fit(data, kwargs, message):
    X, y = data
    n_fits = []

    class Counting(RandomForestClassifier):
        def fit(self, X, y, sample_weight=None):
            n_fits.append(1)
            return super().fit(X, y)

    kwargs = {"param_distributions": {"max_features": Real(0.1, 1.0)}, **kwargs}
    search = BayesSearchCV(Counting(n_estimators=30), n_iter=4, cv=3, **kwargs)
    with pytest.raises((ValueError, TypeError), match=message):
        search.fit(X, y)
    assert not n_fits


def test_a_resource_value_the_estimator_rejects_is_refused(data):
    X, y = data
    search = BayesSearchCV(LogisticRegression(), {"C": Real(1e-2, 1e2)}, n_iter=4, cv=3,
                           resource="max_iter", min_resources=1, max_resources=100)
    search.fit(X, y)  # accepted values
    search = BayesSearchCV(RandomForestClassifier(), {"max_depth": Integer(1, 5)}, n_iter=4,
                           cv=3, resource="min_samples_split", min_resources=1,
                           max_resources=9)
    with pytest.raises(ValueError, match="the estimator rejects min_samples_split=1"):
        search.fit(X, y)


def test_a_classifier_of_its_own_gets_a_resource_parameter(data):
    X, y = data

    class Boosted(ClassifierMixin, BaseEstimator):
        def __init__(self, rounds=9, C=1.0):
            self.rounds, self.C = rounds, C

        def fit(self, X, y):
            self.model_ = LogisticRegression(C=self.C, max_iter=self.rounds).fit(X, y)
            self.classes_ = self.model_.classes_
            return self

        def predict(self, X):
            return self.model_.predict(X)

    search = BayesSearchCV(Boosted(rounds=27), {"C": Real(1e-2, 1e2, log=True)}, n_iter=4,
                           cv=3, random_state=0, resource="rounds").fit(X, y)
    assert search.n_resources_ == [1, 3, 9, 27]
    assert search.best_params_["rounds"] == 27


# ---------------------------------------------------------------- long searches
def test_a_search_stopped_mid_bracket_resumes_to_the_uninterrupted_result(make_search, data,
                                                                        tmp_path):
    X, y = data
    space = {"C": Real(1e-2, 1e2, log=True), "tol": Real(1e-5, 1e-2, log=True)}

    def search(**kwargs):
        return make_search(LogisticRegression(max_iter=500), space, n_iter=6, cv=3,
                           random_state=0, resource="n_samples", refit=False, **kwargs)

    whole = search().fit(X, y)
    journal = tmp_path / "journal.jsonl"
    with pytest.warns(UserWarning, match="before any candidate was evaluated at the full"):
        stopped = search(checkpoint=journal,
                         batch_callbacks=[lambda state: state.iteration >= 1]).fit(X, y)
    assert stopped.stop_reason_ == "callback"
    assert stopped.cv_results_["n_resources"].max() < whole.max_resources_  # mid-bracket
    resumed = search(checkpoint=journal).fit(X, y)
    assert resumed.cv_results_["params"] == whole.cv_results_["params"]
    np.testing.assert_array_equal(resumed.cv_results_["n_resources"],
                                  whole.cv_results_["n_resources"])
    np.testing.assert_array_equal(resumed.cv_results_["mean_test_score"],
                                  whole.cv_results_["mean_test_score"])


def test_a_multi_fidelity_search_reused_gives_only_its_full_resource_results(data):
    X, y = data
    space = {"max_depth": Integer(1, 8), "max_features": Real(0.1, 1.0)}
    forest = RandomForestClassifier(n_estimators=27, random_state=0)
    first = BayesSearchCV(forest, space, n_iter=5, cv=3, random_state=0,
                          resource="n_estimators").fit(X, y)
    full = first.cv_results_["n_resources"] == 27
    assert 0 < full.sum() < len(full)
    again = BayesSearchCV(forest, space, n_iter=3, cv=3, random_state=1,
                          initial_candidates=first).fit(X, y)  # full fidelity
    reused = again.cv_results_["iteration"] == 0
    assert reused.sum() == full.sum()
    np.testing.assert_array_equal(again.cv_results_["mean_test_score"][reused],
                                  first.cv_results_["mean_test_score"][full])
    assert "n_estimators" not in again.cv_results_["params"][0]

    cheaper = BayesSearchCV(forest, space, n_iter=5, cv=3, random_state=0,
                            resource="n_estimators", max_resources=9).fit(X, y)
    with pytest.raises(ValueError, match="evaluated at most at n_estimators=9"):
        BayesSearchCV(forest, space, n_iter=3, cv=3, initial_candidates=cheaper).fit(X, y)


# ---------------------------------------------------------------- what a user sees
def test_best_so_far_and_callbacks_count_only_full_resource_scores(data, capsys):
    from sksearch.plot import best_so_far

    X, y = data
    states = []
    search = BayesSearchCV(Staircase(lie=True), {"x": Real(0.0, 1.0)}, n_iter=8, cv=3,
                           random_state=0, resource="n_estimators", refit=False, verbose=1,
                           batch_callbacks=[states.append]).fit(X, y)
    results = search.cv_results_
    full = results["n_resources"] == 27
    best = best_so_far(search)
    assert np.isnan(best[np.argmax(full) - 1])  # nothing at 27 yet: no best
    assert np.nanmax(best) == results["mean_test_score"][full].max()
    for state in states:  # the lying rungs score -x: never a best score
        assert np.isnan(state.best_score) or state.best_score >= 0
    assert "full-resource fits" in capsys.readouterr().out


def test_halving_searches_plot_their_last_rung_only(data):
    from sksearch.plot import best_so_far

    X, y = data
    halving = HalvingRandomSearchCV(LogisticRegression(max_iter=500),
                                    {"C": loguniform(1e-2, 1e2)}, n_candidates=6, cv=3,
                                    random_state=0).fit(X, y)
    top = halving.cv_results_["n_resources"] == halving.cv_results_["n_resources"].max()
    assert np.nanmax(best_so_far(halving)) == halving.cv_results_["mean_test_score"][top].max()


def test_n_iter_no_change_counts_full_resource_evaluations(data):
    X, y = data
    search = BayesSearchCV(Staircase(), {"x": Real(0.0, 1.0)}, n_iter=60, cv=3,
                           random_state=0, resource="n_estimators", refit=False,
                           n_iter_no_change=3, tol=1.0).fit(X, y)  # no gain is ever > 1
    assert search.stop_reason_ == "no_change"
    full = search.cv_results_["n_resources"] == 27
    last = search.cv_results_["iteration"] == search.cv_results_["iteration"].max()
    # it stops after the first batch that makes 3 full-resource evaluations without gain
    assert full[last].all() and full.sum() >= 4 > full[~last].sum()


# ---------------------------------------------------------------- on numpy functions
def _minimize_with_rungs(optimizer, f, budget, seed):
    """Brackets on a shifted function whose cheap evaluations carry an error that
    shrinks with the resource (a smooth bias of its own, drawn per seed)."""
    from sksearch.engine._loop import Loop
    from sksearch.engine.fidelity._schedule import BracketSchedule

    resources = [1, 3, 9, 27]
    bias = np.random.default_rng(seed).normal(size=f.layout.n_dims)

    def evaluate(iteration, X, rows, rung):
        values = f.on_cube(X[rows])
        error = (1 - resources[rung] / 27) * np.abs(values).mean() * np.sin(X[rows] @ bias)
        return -(values + 0.3 * error)

    loop = Loop(optimizer, f.layout, evaluate, n_iter=budget,
                schedule=BracketSchedule(Brackets(resources, factor=3)))
    loop.run()
    return -max(loop.best_history) - f.f_min


@pytest.mark.parametrize("name", ["sphere", "branin"])
def test_brackets_beat_full_fidelity_at_the_same_budget(name):
    from sksearch._testing import make_function, minimize
    from sksearch.optimizers import RandomSampler
    from sksearch.optimizers._bayes import BayesianOptimizer

    rungs, full, random_rungs = [], [], []
    for seed in range(5):
        f = make_function(name, seed=seed)
        full.append(minimize(BayesianOptimizer(f.layout, random_state=seed), f, budget=12)[-1])
        rungs.append(_minimize_with_rungs(BayesianOptimizer(f.layout, random_state=seed), f,
                                          12, seed))
        random_rungs.append(_minimize_with_rungs(RandomSampler(f.layout, random_state=seed),
                                                 f, 12, seed))
    assert np.median(rungs) < np.median(full)
    assert np.median(rungs) < np.median(random_rungs)


def test_a_space_the_budget_covers_is_evaluated_at_the_full_resource_with_a_warning():
    X, y = load_breast_cancer(return_X_y=True)
    search = BayesSearchCV(RandomForestClassifier(n_estimators=27, random_state=0),
                           {"max_depth": [1, 2, 3, 4, 5, 6]}, n_iter=10, cv=3,
                           resource="n_estimators", random_state=0)
    with pytest.warns(UserWarning, match="only 6 distinct candidates.*saves nothing") as caught:
        search.fit(X, y)
    assert sum("distinct candidates" in str(w.message) for w in caught) == 1
    assert list(search.cv_results_["n_resources"]) == [27] * 6
    assert search.n_resources_ == [27]
