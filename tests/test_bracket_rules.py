"""The rules of the bracket schedule: a rung is dropped on evidence beyond the CV noise and
comes back later; the next bracket's entry rung runs beside the last rung of the one before."""

import numpy as np
import pytest
from sklearn.base import BaseEstimator, RegressorMixin

from sksearch import BayesSearchCV
from sksearch.engine._loop import Loop, Stopping
from sksearch.engine.fidelity._brackets import EVIDENCE_LEVEL, MIN_AGREEMENT, Brackets
from sksearch.engine.fidelity._schedule import BracketSchedule
from sksearch.optimizers import RandomSampler
from sksearch.space import Integer, Real, Space

#: Rung-1 scores of the 9 candidates promoted from rung 0 (rows 18-26, best last), in an
#: order unrelated to theirs there (Spearman 0.07).
SHUFFLED = np.array([0.7, 0.9, 0.5, 0.8, 0.6, 0.55, 0.85, 0.65, 0.75])


def with_folds(means, sd, seed=0):
    """Per-split scores (3 folds) whose row means are ``means`` and that move ``sd``
    from fold to fold (NaN rows stay NaN)."""
    means = np.asarray(means, dtype=float)
    noise = np.random.default_rng(seed).normal(0.0, sd, (len(means), 3))
    return means[:, None] + noise - noise.mean(axis=1, keepdims=True)


def first_bracket(b, promoted, plan=None):
    """A bracket of 27 at rung 0 (the next one planned, or ``plan``) whose 9 best
    (rows 18-26) score ``promoted`` at rung 1: ``(plan, each rung's scores)``."""
    plan = b.plan(remaining=100.0) if plan is None else plan
    assert plan.rungs == [0, 1, 2, 3] and plan.n[0] == 27
    low, high = np.arange(27.0) / 100, np.full(27, np.nan)
    high[18:] = promoted
    return plan, [low, high, np.full(27, np.nan), np.full(27, np.nan)]


def learn_with_noise(b, promoted, sd, plan=None):
    plan, scores = first_bracket(b, promoted, plan)
    splits = [with_folds(s, sd, seed=j) for j, s in enumerate(scores)]
    b.learn(plan, scores, after_iteration=3, split_scores=splits)


# ---------------------------------------------------------------- evidence
def test_a_rung_that_ranks_by_noise_only_is_dropped():
    b = Brackets([1, 3, 9, 27], factor=3)
    learn_with_noise(b, SHUFFLED, sd=0.005)  # rung 1 tells them apart far beyond its noise
    rho, n, chance = b.agreement[0]
    assert rho < MIN_AGREEMENT and n == 9 and chance < EVIDENCE_LEVEL
    assert b.min_rung == 1 and b.dropped[0]["resources"] == [1]
    assert b.dropped[0]["noise_chance"] == chance


def test_a_disagreement_within_the_noise_keeps_the_rung():
    b = Brackets([1, 3, 9, 27], factor=3)
    # the same order, but rung 1's differences are a fifth of its fold-to-fold noise
    learn_with_noise(b, 0.8 + (SHUFFLED - 0.7) * 0.02, sd=0.02)
    rho, n, chance = b.agreement[0]
    assert rho < MIN_AGREEMENT and n == 9  # the old rule, rank agreement alone, dropped it
    assert chance > 0.5
    assert b.min_rung == 0 and not b.dropped


def test_without_per_split_scores_any_disorder_is_evidence():
    b = Brackets([1, 3, 9, 27], factor=3)
    plan, scores = first_bracket(b, 0.8 + (SHUFFLED - 0.7) * 0.02)
    b.learn(plan, scores)
    assert b.agreement[0][2] == 0.0 and b.min_rung == 1


# ---------------------------------------------------------------- comeback
def test_a_dropped_rung_comes_back_after_a_round_without_it():
    b = Brackets([1, 3, 9, 27], factor=3)
    learn_with_noise(b, SHUFFLED, sd=0.005)
    assert b.min_rung == 1
    # a round on the shorter ladder (3 brackets), then one from the bottom again
    plans = [b.plan(remaining=100.0, iteration=10 + i) for i in range(4)]
    assert [p.rungs[0] for p in plans] == [1, 2, 3, 0]
    comeback = plans[-1]
    assert b.dropped[0]["back_at_iteration"] == 13 and b.min_rung == 0
    assert 0 not in b.agreement  # judged afresh on the candidates it promotes now
    # it ranks well now: it stays, and the cycle goes on over the whole ladder
    learn_with_noise(b, np.sort(SHUFFLED), sd=0.005, plan=comeback)
    assert b.agreement[0][0] > MIN_AGREEMENT and b.min_rung == 0 and len(b.dropped) == 1
    assert b.plan(remaining=100.0).rungs[0] == 1


def test_a_rung_dropped_again_waits_twice_as_long():
    b = Brackets([1, 3, 9, 27], factor=3)
    learn_with_noise(b, SHUFFLED, sd=0.005)
    plans = [b.plan(remaining=100.0) for _ in range(4)]
    assert b.min_rung == 0  # back, and still lying
    learn_with_noise(b, SHUFFLED, sd=0.005, plan=plans[-1])
    assert b.min_rung == 1 and len(b.dropped) == 2
    starts = [b.plan(remaining=100.0).rungs[0] for _ in range(7)]
    assert starts == [1, 2, 3, 1, 2, 3, 0]


class NoisyStaircase(RegressorMixin, BaseEstimator):
    """Scores ``x / 100`` from ``n_estimators=9`` on and ``-x / 100`` below, plus a
    fold-to-fold noise of about 0.05 (each test fold is told apart by its first row):
    the cheap rungs rank backwards, but by far less than the noise of the next rung."""

    def __init__(self, x=0.0, n_estimators=27):
        self.x, self.n_estimators = x, n_estimators

    def fit(self, X, y):
        return self

    def predict(self, X):
        return np.zeros(len(X))

    def score(self, X, y):
        sign = 1.0 if self.n_estimators >= 9 else -1.0
        return sign * self.x / 100 + 0.05 * np.sin(1e3 * self.x + 7.0 * X[0, 0])


def test_a_search_keeps_rungs_whose_disagreement_is_cv_noise():
    X, y = np.arange(30.0)[:, None], np.zeros(30)
    search = BayesSearchCV(NoisyStaircase(), {"x": Real(0.0, 1.0)}, n_iter=40, cv=3,
                           random_state=0, resource="n_estimators", refit=False).fit(X, y)
    judged = {r: v for r, v in search.rung_agreement_.items() if v[1] >= 8}
    assert any(rho < MIN_AGREEMENT for rho, _, _ in judged.values())  # once a reason to drop
    assert all(chance >= EVIDENCE_LEVEL for _, _, chance in judged.values())
    assert search.dropped_rungs_ == [] and search.min_resources_ == 1


# ---------------------------------------------------------------- the next bracket beside
class Recording:
    """An evaluator on a numpy function that records each start and finish."""

    def __init__(self):
        self.events = []

    def start(self, iteration, X, rows, rung):
        self.events.append(("start", iteration, rung, len(rows)))
        return _Handle(self, iteration, -(X[rows, 0] - 0.3) ** 2)


class _Handle:
    def __init__(self, evaluator, iteration, scores):
        self.evaluator, self.iteration, self.scores = evaluator, iteration, scores

    def finish(self):
        self.evaluator.events.append(("finish", self.iteration))
        return self.scores


def _loop(evaluator, n_iter=12, stopping=None):
    layout = Space({"x": Real(0.0, 1.0)}).layout
    return Loop(RandomSampler(layout, random_state=0), layout, evaluator, n_iter=n_iter,
                schedule=BracketSchedule(Brackets([1, 3, 9, 27], factor=3)),
                stopping=stopping)


def test_the_next_brackets_entry_rung_runs_beside_the_last_rung():
    evaluator = Recording()
    _loop(evaluator).run()
    events = evaluator.events
    top = events.index(("start", 8, 1, 12))  # bracket 2: 12 entrants at rung 1
    # in flight together: bracket 1's last rung (1 candidate) and bracket 2's entry rung
    assert events[top - 1:top + 3] == [("start", 7, 3, 1), ("start", 8, 1, 12),
                                       ("finish", 7), ("finish", 8)]
    starts = [e for e in events if e[0] == "start"]
    assert [e[1] for e in starts] == list(range(len(starts)))  # one iteration per rung


def test_the_first_bracket_reaches_the_full_resource_with_a_third_of_its_entrants_first():
    evaluator = Recording()
    loop = _loop(evaluator)
    loop.run()
    starts = [e[2:] for e in evaluator.events if e[0] == "start"]
    # 9 of the 27 climb alone (9, 3, 1, 1), then the wide climb fits only what they did
    # not: 18 more at rung 0, and the promoted not evaluated at each rung yet
    assert starts[:4] == [(0, 9), (1, 3), (2, 1), (3, 1)]
    assert starts[4] == (0, 18)
    assert sum(n for rung, n in starts[4:7]) + 9 + 3 + 1 == 27 + 9 + 3
    assert len(loop.scores) == len(set(loop.scores))


def test_a_stop_after_the_narrow_climb_ends_the_search_there():
    evaluator = Recording()
    loop = _loop(evaluator, stopping=Stopping(callback=lambda loop: bool(loop.best_history)))
    assert loop.run() == "callback"
    assert evaluator.events[-1] == ("finish", 3) and len(loop.scores) == 9


def test_a_stop_after_the_last_rung_drops_the_bracket_started_beside_it():
    evaluator = Recording()
    stop = Stopping(callback=lambda loop: len(loop.best_history) >= 2)
    loop = _loop(evaluator, stopping=stop)
    assert loop.run() == "callback"
    assert ("start", 8, 1, 12) in evaluator.events and ("finish", 8) not in evaluator.events
    assert len(loop.scores) == 27  # bracket 1 only


@pytest.mark.parametrize("surrogate", ["gp", "tpe"])
def test_brackets_beside_each_other_give_one_result_whatever_n_jobs(surrogate):
    from sklearn.datasets import load_breast_cancer
    from sklearn.ensemble import RandomForestClassifier

    X, y = load_breast_cancer(return_X_y=True)
    runs = [BayesSearchCV(RandomForestClassifier(n_estimators=27, random_state=0),
                          {"max_depth": Integer(1, 8), "max_features": Real(0.1, 1.0)},
                          surrogate=surrogate, n_iter=8, cv=3, random_state=1, n_jobs=n_jobs,
                          resource="n_estimators").fit(X[:200], y[:200]).cv_results_
            for n_jobs in (1, 2)]
    assert runs[0]["params"] == runs[1]["params"]
    for key in ("iteration", "n_resources", "mean_test_score", "continued_from"):
        np.testing.assert_array_equal(runs[0][key], runs[1][key])
