"""Searches of several objectives (``objectives=``): the front, the refit choice, the refusals."""

import numpy as np
import pytest
from sklearn.datasets import load_iris
from sklearn.tree import DecisionTreeClassifier

from conftest import SEARCHES
from sksearch import GeneticSearchCV
from sksearch.engine._loop import Loop, Stopping
from sksearch.engine._results import pareto_ranks
from sksearch.engine.inputs._objectives import check_objectives
from sksearch.optimizers import RandomSampler
from sksearch.space import Integer, Real, Space

X, y = load_iris(return_X_y=True)
SPACE = {"max_depth": Integer(1, 8), "min_samples_leaf": Integer(1, 30),
         "ccp_alpha": Real(1e-4, 0.1, log=True)}


def n_leaves(model, X, y):
    """A second objective read from the fitted model: its size."""
    return float(model.get_n_leaves())


SCORING = {"accuracy": "accuracy", "n_leaves": n_leaves}
OBJECTIVES = {"accuracy": "maximize", "n_leaves": "minimize"}


class CountingTree(DecisionTreeClassifier):
    fits = 0

    def fit(self, X, y, **kwargs):
        type(self).fits += 1
        return super().fit(X, y, **kwargs)


def search(name, **kwargs):
    cls, extra = SEARCHES[name]
    estimator = kwargs.pop("estimator", DecisionTreeClassifier(random_state=0))
    kwargs = {"scoring": SCORING, "objectives": OBJECTIVES, "refit": "accuracy",
              "n_iter": 14, "cv": 3, "random_state": 0, **extra, **kwargs}
    return cls(estimator, SPACE, **kwargs)


# ----------------------------------------------------------------------- the front by hand
def test_ranks_of_made_up_scores_by_hand():
    scores = np.array([[0.9, -10], [0.8, -2], [0.9, -10], [0.7, -2], [0.95, -30],
                       [0.6, -1], [0.5, -50]])
    # duplicates share their rank; (0.7, -2) is dominated by (0.8, -2) only, and
    # (0.5, -50) by (0.7, -2) too
    assert pareto_ranks(scores).tolist() == [1, 1, 1, 2, 1, 1, 3]


def test_ranks_with_one_objective_are_the_ranks_of_distinct_values():
    assert pareto_ranks(np.array([[0.5], [0.9], [0.5], [0.1]])).tolist() == [2, 1, 2, 3]


def test_non_finite_and_infeasible_rows_rank_last_together():
    scores = np.array([[1.0, 1.0], [np.nan, 5.0], [0.0, 0.0], [3.0, 3.0]])
    assert pareto_ranks(scores).tolist() == [2, 4, 3, 1]
    assert pareto_ranks(scores, feasible=[True, True, True, False]).tolist() == [1, 3, 2, 3]


def test_minimized_and_maximized_objectives_mixed():
    objectives = check_objectives({"n_leaves": "minimize", "accuracy": "maximize"},
                                  ["accuracy", "n_leaves"])
    cv_results = {"mean_test_accuracy": [0.9, 0.9, 0.8], "mean_test_n_leaves": [5, 3, 3]}
    scores = objectives.scores(cv_results, 3)
    np.testing.assert_array_equal(scores, [[-5, 0.9], [-3, 0.9], [-3, 0.8]])
    assert pareto_ranks(scores).tolist() == [2, 1, 2]  # fewer leaves, same accuracy wins


# ----------------------------------------------------------------------- every strategy
@pytest.mark.parametrize("name", sorted(SEARCHES))
def test_every_strategy_searches_a_front(name):
    fitted = search(name).fit(X, y)
    results = fitted.cv_results_
    assert len(results["params"]) == 14
    scores = np.column_stack([results["mean_test_accuracy"], -results["mean_test_n_leaves"]])
    np.testing.assert_array_equal(results["rank_pareto"], pareto_ranks(scores))
    np.testing.assert_array_equal(fitted.pareto_front_,
                                  np.flatnonzero(results["rank_pareto"] == 1))
    front = scores[fitted.pareto_front_]
    for point in scores:  # nothing dominates a point of the front
        assert not np.any(np.all(point >= front, axis=1) & np.any(point > front, axis=1))
    assert fitted.best_index_ == int(np.argmin(results["rank_test_accuracy"]))
    assert fitted.best_estimator_.get_params()["max_depth"] == \
        results["params"][fitted.best_index_]["max_depth"]


def test_the_optimizer_is_told_every_objective_oriented_to_be_maximized(monkeypatch):
    told = []
    original = RandomSampler.tell

    def tell(self, X, y):
        told.append(np.array(y))
        return original(self, X, y)

    monkeypatch.setattr(RandomSampler, "tell", tell)
    fitted = search("random", n_iter=20).fit(X, y)
    told = np.vstack(told)
    assert told.shape[1] == 2
    results = fitted.cv_results_
    expected = np.column_stack([results["mean_test_accuracy"], -results["mean_test_n_leaves"]])
    np.testing.assert_array_equal(told, expected[:len(told)])


def test_objectives_none_changes_nothing():
    plain = search("genetic", objectives=None).fit(X, y)
    assert "rank_pareto" not in plain.cv_results_
    assert not hasattr(plain, "pareto_front_")


def test_refit_false_keeps_only_the_front_and_a_callable_refit_sees_the_ranks():
    front_only = search("bayes-tpe", refit=False).fit(X, y)
    assert not hasattr(front_only, "best_estimator_")
    assert not hasattr(front_only, "best_index_")
    assert len(front_only.pareto_front_) >= 1

    def smallest_on_the_front(cv_results):
        on_front = np.flatnonzero(cv_results["rank_pareto"] == 1)
        return int(on_front[np.argmin(cv_results["mean_test_n_leaves"][on_front])])

    chosen = search("bayes-tpe", refit=smallest_on_the_front).fit(X, y)
    assert chosen.best_index_ in chosen.pareto_front_
    leaves = chosen.cv_results_["mean_test_n_leaves"]
    assert leaves[chosen.best_index_] == leaves[chosen.pareto_front_].min()


def test_a_measured_time_is_an_objective():
    fitted = search("random", scoring="accuracy", refit=True,
                    objectives={"score": "maximize", "fit_time": "minimize"}).fit(X, y)
    results = fitted.cv_results_
    scores = np.column_stack([results["mean_test_score"], -results["mean_fit_time"]])
    np.testing.assert_array_equal(results["rank_pareto"], pareto_ranks(scores))


def test_n_jobs_does_not_change_the_search():
    one = search("genetic", n_jobs=1).fit(X, y).cv_results_
    two = search("genetic", n_jobs=2).fit(X, y).cv_results_
    assert one["params"] == two["params"]
    for key in ("mean_test_accuracy", "mean_test_n_leaves", "rank_pareto"):
        np.testing.assert_array_equal(one[key], two[key])


def test_a_checkpoint_replays_the_same_search(tmp_path):
    """(A search killed mid-way resumes exactly: tests/test_kill_resume.py.)"""
    path = tmp_path / "journal.jsonl"
    whole = search("bayes-gp", n_iter=12, checkpoint=path,
                   estimator=CountingTree(random_state=0)).fit(X, y).cv_results_
    CountingTree.fits = 0
    resumed = search("bayes-gp", n_iter=12, checkpoint=path,
                     estimator=CountingTree(random_state=0)).fit(X, y)
    assert CountingTree.fits == 1  # the refit: every candidate is replayed
    assert resumed.cv_results_["params"] == whole["params"]
    np.testing.assert_array_equal(resumed.cv_results_["rank_pareto"], whole["rank_pareto"])


def test_a_journal_of_other_objectives_is_refused(tmp_path):
    path = tmp_path / "journal.jsonl"
    search("random", n_iter=6, checkpoint=path).fit(X, y)
    other = search("random", n_iter=8, checkpoint=path,
                   objectives={"accuracy": "maximize", "n_leaves": "maximize"})
    with pytest.raises(ValueError, match="objectives"):
        other.fit(X, y)


def test_a_warm_start_from_an_earlier_search_of_the_same_objectives():
    earlier = search("random", n_iter=6).fit(X, y)
    later = search("pso", n_iter=12, initial_candidates=earlier).fit(X, y)
    assert later.cv_results_["params"][:6] == earlier.cv_results_["params"]
    np.testing.assert_array_equal(later.cv_results_["mean_test_n_leaves"][:6],
                                  earlier.cv_results_["mean_test_n_leaves"])


def test_n_iter_no_change_reads_the_hypervolume():
    layout = Space({"x": Real(0.0, 1.0), "z": Real(0.0, 1.0)}).layout

    def flat_after_first(iteration, X, rows):
        # the first batch sets the front; later ones are dominated by it
        value = 1.0 if iteration == 0 else 0.0
        return np.column_stack([np.full(len(rows), value), np.full(len(rows), value)])

    loop = Loop(RandomSampler(layout, batch_size=4, random_state=0, n_objectives=2), layout,
                flat_after_first, n_iter=40, stopping=Stopping(n_iter_no_change=6))
    assert loop.run() == "no_change"
    assert len(loop.scores) == 8  # one batch after the best volume, and 2 more candidates
    assert loop.best_history[-1] == loop.best_history[3] > 0


# ----------------------------------------------------------------------- refused before any fit
@pytest.mark.parametrize("objectives, match", [
    (["accuracy", "n_leaves"], "must be a non-empty dict"),
    ({}, "must be a non-empty dict"),
    ({"accuracy": "maximize", "leaves": "minimize"}, "'leaves', which is not a metric"),
    ({"accuracy": "max", "n_leaves": "minimize"}, "write 'maximize' or 'minimize'"),
    ({"accuracy": "maximize", 3: "minimize"}, "must be metric names"),
])
def test_bad_objectives_are_refused_before_any_fit(tmp_path, objectives, match):
    CountingTree.fits = 0
    bad = search("random", objectives=objectives, checkpoint=tmp_path / "journal.jsonl")
    with pytest.raises(ValueError, match=match):
        bad.set_params(estimator=CountingTree()).fit(X, y)
    assert CountingTree.fits == 0
    assert list(tmp_path.iterdir()) == []


def test_a_list_of_directions_and_refit_true_are_refused_with_what_to_write():
    with pytest.raises(ValueError, match="as Optuna's directions= takes"):
        search("random", objectives=["maximize", "minimize"]).fit(X, y)
    with pytest.raises(ValueError, match="or is False to keep only the Pareto front"):
        search("random", refit=True).fit(X, y)


def test_a_single_metric_is_named_score():
    with pytest.raises(ValueError, match="A single-metric scoring is named 'score'"):
        search("random", scoring="accuracy",
               objectives={"accuracy": "maximize", "fit_time": "minimize"}).fit(X, y)



def test_a_strategy_of_ones_own_must_build_its_optimizer_for_the_objectives():
    cls, _ = SEARCHES["random"]

    class OneObjective(cls):
        def _make_optimizer(self, layout, random_state, budget):
            return RandomSampler(layout, random_state=random_state)

    bad = OneObjective(DecisionTreeClassifier(), SPACE, scoring=SCORING,
                       objectives=OBJECTIVES, refit="accuracy", n_iter=4)
    with pytest.raises(ValueError, match=r"n_objectives=self._n_objectives\(\)"):
        bad.fit(X, y)


def test_a_callable_scoring_must_return_the_objectives():
    def scores(model, X, y):
        return {"accuracy": model.score(X, y)}

    with pytest.raises(ValueError, match="does not return"):
        search("random", scoring=scores, objectives=OBJECTIVES).fit(X, y)


def test_a_genetic_search_of_three_objectives():
    scoring = {**SCORING, "depth": lambda m, X, y: float(m.get_depth())}
    fitted = GeneticSearchCV(DecisionTreeClassifier(random_state=0), SPACE, scoring=scoring,
                             objectives={**OBJECTIVES, "depth": "minimize"}, refit=False,
                             n_iter=12, cv=3, random_state=1).fit(X, y)
    results = fitted.cv_results_
    scores = np.column_stack([results["mean_test_accuracy"], -results["mean_test_n_leaves"],
                              -results["mean_test_depth"]])
    np.testing.assert_array_equal(results["rank_pareto"], pareto_ranks(scores))



def test_the_front_of_a_fitted_search_is_plotted():
    matplotlib = pytest.importorskip("matplotlib")
    matplotlib.use("Agg")
    from sksearch.plot import plot_pareto

    fitted = search("pso", n_iter=16).fit(X, y)
    ax = plot_pareto(fitted)
    drawn = ax.lines[0].get_xydata()
    results = fitted.cv_results_
    front = fitted.pareto_front_
    expected = np.column_stack([results["mean_test_accuracy"][front],
                                results["mean_test_n_leaves"][front]])
    np.testing.assert_array_equal(drawn, expected[np.argsort(expected[:, 0], kind="stable")])
    assert ax.get_xlabel() == "mean test accuracy (maximized)"
    import matplotlib.pyplot as plt
    plt.close("all")


def test_without_an_eligible_row_nothing_is_on_the_front():
    assert pareto_ranks(np.array([[1.0, 2.0], [np.nan, 1.0]]), [False, True]).tolist() == [2, 2]


def test_a_rung_promotes_by_rank_then_crowding_and_stopped_candidates_are_dominated():
    from sksearch.engine.fidelity._brackets import Brackets

    low = np.array([[0.9, -5.0], [0.5, -50.0], [0.6, -1.0], [0.8, -3.0], [np.nan, np.nan]])
    assert Brackets.promote(low, 2) == [0, 2]  # the front's two ends before its middle
    high = np.full_like(low, np.nan)
    high[[0, 2]] = [[0.95, -6.0], [0.7, -1.0]]
    worth = Brackets.worth([low, high])
    np.testing.assert_array_equal(worth[[0, 2]], high[[0, 2]])
    for stopped in (1, 3):
        assert np.all(worth[stopped] < worth[[0, 2]].min(axis=0))
    assert np.isnan(worth[4]).all()


@pytest.mark.parametrize("name", ["genetic", "bayes-tpe"])
def test_multi_fidelity_with_objectives_ranks_the_full_resource_rows(name):
    fitted = search(name, n_iter=6, resource="n_samples").fit(X, y)
    results = fitted.cv_results_
    full = results["n_resources"] == fitted.max_resources_
    assert len(set(results["n_resources"])) >= 2 and full.any()
    assert set(fitted.pareto_front_) <= set(np.flatnonzero(full))
    scores = np.column_stack([results["mean_test_accuracy"], -results["mean_test_n_leaves"]])
    np.testing.assert_array_equal(results["rank_pareto"][full], pareto_ranks(scores[full]))
    assert (results["rank_pareto"][~full] > results["rank_pareto"][full].max()).all()
    assert full[fitted.best_index_]


def test_objectives_with_constraints_of_both_kinds():
    fitted = search("genetic", n_iter=14,
                    constraints=[lambda p: p["min_samples_leaf"] <= 4 * p["max_depth"],
                                 "n_leaves <= 4"]).fit(X, y)
    results = fitted.cv_results_
    assert all(p["min_samples_leaf"] <= 4 * p["max_depth"] for p in results["params"])
    feasible = results["feasible"]
    np.testing.assert_array_equal(feasible, results["mean_test_n_leaves"] <= 4)
    assert feasible.any() and not feasible.all()
    scores = np.column_stack([results["mean_test_accuracy"], -results["mean_test_n_leaves"]])
    np.testing.assert_array_equal(results["rank_pareto"], pareto_ranks(scores, feasible))
    assert feasible[fitted.pareto_front_].all()
    assert feasible[fitted.best_index_]
