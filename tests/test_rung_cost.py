"""Rungs charged by the seconds fits take (``rung_cost="seconds"``): the cost model, the
plans it makes, and a search whose cheap rungs are not cheap in seconds."""

import time

import numpy as np
import pytest
from sklearn.base import BaseEstimator, ClassifierMixin
from sklearn.datasets import make_classification
from sklearn.utils._param_validation import InvalidParameterError

from sksearch import BayesSearchCV, GeneticSearchCV
from sksearch.engine.fidelity._brackets import Brackets
from sksearch.engine.fidelity._costs import RungCosts
from sksearch.space import Real

LADDER = [1, 3, 9, 27]


def timed(costs, fixed, per_unit, sizes):
    """Fits of ``sizes`` units that took ``fixed + per_unit * size`` seconds."""
    costs.add(sizes, [fixed + per_unit * u for u in sizes])


# ---------------------------------------------------------------- the cost model
def test_the_fixed_and_per_unit_parts_are_recovered():
    costs = RungCosts(LADDER, measure=True)
    timed(costs, 0.5, 0.1, [1] * 9 + [3] * 3 + [27])
    assert costs.fixed == pytest.approx(0.5) and costs.per_unit == pytest.approx(0.1)
    assert costs.cost(0) == pytest.approx(0.6 / 3.2)
    assert costs.cost(3) == pytest.approx(1.0)
    assert costs.seconds()[27] == pytest.approx(3.2)


def test_one_size_of_fit_seen_is_units():
    costs = RungCosts(LADDER, measure=True)
    timed(costs, 0.5, 0.1, [1] * 9)  # nothing tells the fixed part from the rest
    assert [costs.cost(j) for j in range(4)] == pytest.approx([1 / 27, 3 / 27, 9 / 27, 1.0])


def test_units_ignore_what_fits_take():
    costs = RungCosts(LADDER)
    timed(costs, 5.0, 0.0, [1, 3, 9, 27])
    assert [costs.cost(j) for j in range(4)] == [1 / 27, 3 / 27, 9 / 27, 1.0]
    assert not costs.measured and costs.seconds() == {} and costs.floor(3) == 0


def test_failed_or_empty_fits_are_not_measured():
    costs = RungCosts(LADDER, measure=True)
    costs.add([1, 3, 0], [np.nan, -1.0, 2.0])
    assert not costs.measured


def test_a_continued_promotion_costs_what_it_adds():
    kwargs = dict(measure=True)
    going_on, from_zero = RungCosts(LADDER, continues=True, **kwargs), RungCosts(LADDER, **kwargs)
    for costs in (going_on, from_zero):
        timed(costs, 0.0, 1.0, [1, 2, 6, 27])
    assert going_on.cost(2, promoted=True) == pytest.approx(6 / 27)  # 9 - 3 units
    assert from_zero.cost(2, promoted=True) == pytest.approx(9 / 27)
    assert going_on.cost(2) == pytest.approx(9 / 27)  # entering there: from zero
    assert going_on.cost(0, promoted=True) == pytest.approx(1 / 27)


@pytest.mark.parametrize("fixed, floor", [(0.0, 0), (0.3, 1), (3.0, 3)])
def test_rungs_that_cost_nearly_the_next_are_not_entered(fixed, floor):
    costs = RungCosts(LADDER, measure=True)
    timed(costs, fixed, 0.1, [1, 3, 9, 27])
    assert costs.floor(factor=3) == floor
    for rung in range(floor):  # every rung below costs more than 1/sqrt(3) of the next
        assert costs.cost(rung) > costs.cost(rung + 1) / np.sqrt(3)
    if floor < 3:
        assert costs.cost(floor) <= costs.cost(floor + 1) / np.sqrt(3)


# ---------------------------------------------------------------- plans
def test_plans_fit_the_budget_at_measured_costs():
    costs = RungCosts(LADDER, measure=True, continues=True)
    timed(costs, 0.05, 0.1, [1, 2, 6, 18, 27])  # some fixed part, not enough to cut a rung
    b = Brackets(LADDER, factor=3, costs=costs)
    assert b.floor() == 0
    for _ in range(4):
        plan = b.plan(remaining=4.0)
        assert 3.5 <= b.bracket_cost(plan) <= 4.0 + 1e-9  # each about s_max + 1
        assert plan.costs == pytest.approx([costs.cost(r, promoted=j > 0)
                                            for j, r in enumerate(plan.rungs)])

    def first_plan(fixed, continues):
        costs = RungCosts(LADDER, measure=True, continues=continues)
        timed(costs, fixed, 0.1, [1, 2, 6, 18, 27])
        return Brackets(LADDER, factor=3, costs=costs).plan(remaining=100.0)

    units = Brackets(LADDER, factor=3).plan(remaining=100.0)
    assert units.rungs == first_plan(0.05, False).rungs == [0, 1, 2, 3]
    assert first_plan(0.0, False).n == units.n  # seconds in proportion to units
    assert first_plan(0.05, False).n[0] < units.n[0]  # the fixed part makes rungs dearer
    assert first_plan(0.0, True).n[0] > units.n[0]  # continuing makes promotions cheaper


def test_brackets_start_above_rungs_too_dear_to_screen_with():
    costs = RungCosts(LADDER, measure=True)
    timed(costs, 3.0, 0.1, [1, 3, 9, 27])
    b = Brackets(LADDER, factor=3, costs=costs)
    assert b.floor() == 3
    assert [b.plan(remaining=100.0).rungs for _ in range(3)] == [[3]] * 3
    assert b.candidates_per_evaluation() == pytest.approx(1.0)


# ---------------------------------------------------------------- the search
class SlowToStart(ClassifierMixin, BaseEstimator):
    """Every fit takes ``SET_UP`` seconds whatever ``n_rounds`` is (the rounds cost
    nothing); predicts class 1 where the first feature exceeds ``threshold``."""

    SET_UP = 0.02
    fits = 0

    def __init__(self, threshold=0.0, n_rounds=1):
        self.threshold, self.n_rounds = threshold, n_rounds

    def fit(self, X, y):
        type(self).fits += 1
        time.sleep(self.SET_UP)
        self.classes_ = np.unique(y)
        return self

    def predict(self, X):
        return (np.asarray(X)[:, 0] > self.threshold).astype(int)


def _data():
    return make_classification(120, 4, n_informative=2, random_state=0)


def _search(cls=BayesSearchCV, **kwargs):
    kwargs = {"n_iter": 5, "cv": 3, "resource": "n_rounds", "min_resources": 1,
              "max_resources": 27, "random_state": 0, **kwargs}
    return cls(SlowToStart(), {"threshold": Real(-2.0, 2.0)}, **kwargs)


@pytest.mark.parametrize("cls", [BayesSearchCV, GeneticSearchCV])
def test_rungs_that_cost_a_full_fit_are_left_once_measured(cls):
    X, y = _data()
    units = _search(cls).fit(X, y)
    assert units.min_resources_ == 1 and units.rung_costs_[1] == pytest.approx(1 / 27)
    seconds = _search(cls, rung_cost="seconds", n_iter=50).fit(X, y)
    # every fit takes the set-up time: a rung costs about a full-resource fit
    assert seconds.min_resources_ == 27
    assert seconds.rung_costs_[1] > 0.5
    results = seconds.cv_results_
    cheap = results["n_resources"] < 27
    assert cheap.sum() >= 8  # the first bracket, planned before any fit was timed
    later = results["iteration"] > results["iteration"][cheap].max()
    assert later.sum() >= 5 and not cheap[later].any()  # then full-resource brackets only
    assert results["n_resources"][seconds.best_index_] == 27
    # the budget is charged in seconds: full-resource fits add up to about n_iter of them
    full_fits = (seconds.cv_results_["mean_fit_time"].sum()
                 / np.median(results["mean_fit_time"][results["n_resources"] == 27]))
    assert 40 <= full_fits <= 50 + 5


def test_a_checkpoint_replays_a_search_by_seconds_without_fitting(tmp_path):
    X, y = _data()
    journal = tmp_path / "search.journal"
    first = _search(rung_cost="seconds", checkpoint=journal).fit(X, y)
    SlowToStart.fits = 0
    again = _search(rung_cost="seconds", checkpoint=journal).fit(X, y)
    assert SlowToStart.fits == 1  # the refit of the best only: every evaluation replayed
    for key in ("params", "n_resources", "mean_fit_time", "mean_test_score"):
        assert list(again.cv_results_[key]) == list(first.cv_results_[key])
    assert again.rung_costs_ == first.rung_costs_


def test_a_journal_of_the_other_rung_cost_is_refused(tmp_path):
    X, y = _data()
    journal = tmp_path / "search.journal"
    _search(checkpoint=journal).fit(X, y)
    with pytest.raises(ValueError, match="rung_cost"):
        _search(rung_cost="seconds", checkpoint=journal).fit(X, y)


def test_an_unknown_rung_cost_is_refused_before_any_fit():
    SlowToStart.fits = 0
    with pytest.raises(InvalidParameterError, match="rung_cost.*'seconds'"):
        _search(rung_cost="time").fit(*_data())
    assert SlowToStart.fits == 0


def test_a_search_by_seconds_stopped_and_resumed_replays_what_it_recorded(tmp_path):
    X, y = _data()
    journal = tmp_path / "search.journal"
    stopped = _search(rung_cost="seconds", n_iter=30, checkpoint=journal,
                      batch_callbacks=lambda state: state.iteration >= 5).fit(X, y)
    resumed = _search(rung_cost="seconds", n_iter=30, checkpoint=journal).fit(X, y)
    n = len(stopped.cv_results_["params"])
    assert len(resumed.cv_results_["params"]) > n
    for key in ("params", "n_resources", "mean_fit_time", "iteration"):
        assert list(resumed.cv_results_[key][:n]) == list(stopped.cv_results_[key])


def test_a_search_by_seconds_runs_on_two_workers():
    X, y = _data()
    search = _search(rung_cost="seconds", n_iter=30, n_jobs=2).fit(X, y)
    assert search.min_resources_ == 27 and search.rung_costs_[1] > 0.5
    assert search.cv_results_["n_resources"][search.best_index_] == 27
