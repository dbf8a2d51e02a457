"""Batches asked ahead: the next batch is evaluated while the last one finishes."""

import threading

import numpy as np
import pytest
from joblib import parallel_config
from scipy.stats import loguniform
from sklearn.base import BaseEstimator, RegressorMixin
from sklearn.model_selection import KFold

from sksearch.engine._loop import Loop
from sksearch.base import BaseOptimizerSearch
from sksearch.optimizers import (
    BayesianOptimizer,
    GeneticAlgorithm,
    ParticleSwarm,
    RandomSampler,
    TreeParzenEstimator,
)
from sksearch.space import Real, Space

LAYOUT = Space({"x": Real(-1.0, 1.0), "y": Real(-1.0, 1.0)}).layout


class Logged:
    """Wrap an optimizer, logging its asks and tells into ``log``."""

    def __init__(self, optimizer, log):
        self.optimizer, self.log, self.n_asked, self.n_told = optimizer, log, 0, 0
        self.asks_ahead = optimizer.asks_ahead

    def ask(self):
        self.log.append(("ask", self.n_asked))
        self.n_asked += 1
        return self.optimizer.ask()

    def tell(self, X, y):
        self.log.append(("tell", self.n_told))
        self.n_told += 1
        self.optimizer.tell(X, y)


def run_logged(optimizer, n_iter=16):
    log = []

    class Evaluator:
        def start(self, iteration, X, rows, rung=None):
            log.append(("start", iteration))
            return Finish(iteration, X, rows)

    class Finish:
        def __init__(self, iteration, X, rows):
            self.iteration, self.X, self.rows = iteration, X, rows

        def finish(self):
            log.append(("finish", self.iteration))
            return -np.sum((self.X[self.rows] - 0.3) ** 2, axis=1)

    logged = Logged(optimizer, log)
    Loop(logged, LAYOUT, Evaluator(), n_iter=n_iter).run()
    return log


@pytest.mark.parametrize("make", [
    lambda: BayesianOptimizer(LAYOUT, n_initial_points=4, batch_size=1, random_state=0),
    lambda: RandomSampler(LAYOUT, batch_size=2, random_state=0),
], ids=["gp", "random"])
def test_the_next_batch_is_asked_and_started_before_the_last_one_is_told(make):
    log = run_logged(make())
    # the first batch alone, then each ask comes with the one before it pending
    assert log[:8] == [("ask", 0), ("start", 0), ("finish", 0), ("tell", 0),
                       ("ask", 1), ("start", 1), ("ask", 2), ("start", 2)]
    assert log[8:12] == [("finish", 1), ("tell", 1), ("ask", 3), ("start", 3)]
    # every batch is finished and told in order, once
    finished = [i for event, i in log if event == "finish"]
    told = [i for event, i in log if event == "tell"]
    assert finished == sorted(set(finished))
    assert told == list(range(len(told)))
    # a batch is asked only while at most one other batch is untold
    for k, event in enumerate(log):
        if event[0] == "ask":
            n_told = sum(e == "tell" for e, _ in log[:k])
            assert event[1] - n_told <= 1


@pytest.mark.parametrize("make", [
    lambda: ParticleSwarm(LAYOUT, n_particles=4, random_state=0),
    lambda: GeneticAlgorithm(LAYOUT, population_size=4, random_state=0),
    lambda: TreeParzenEstimator(LAYOUT, n_initial_points=4, batch_size=2, random_state=0),
    lambda: BayesianOptimizer(LAYOUT, n_initial_points=4, batch_size=2, random_state=0),
], ids=["pso", "ga", "tpe", "gp-batches-of-2"])
def test_optimizers_that_wait_for_every_score_are_never_asked_ahead(make):
    log = run_logged(make())
    cycle = ["ask", "start", "finish", "tell"]
    assert [event for event, _ in log] == cycle * (len(log) // 4) + cycle[:len(log) % 4]


@pytest.mark.parametrize("cls", [BayesianOptimizer, TreeParzenEstimator])
def test_pending_points_are_avoided_until_told(cls):
    opt = cls(LAYOUT, n_initial_points=5, batch_size=3, random_state=1)
    design = opt.ask()
    opt.tell(design, -np.sum((design - 0.3) ** 2, axis=1))
    assert len(opt.pending) == 0
    first = opt.ask()
    np.testing.assert_array_equal(opt.pending, first)
    second = opt.ask()  # first is still being evaluated
    assert not set(LAYOUT.keys(second)) & set(LAYOUT.keys(first))
    np.testing.assert_array_equal(opt.pending, np.vstack([first, second]))
    opt.tell(first, -np.sum((first - 0.3) ** 2, axis=1))
    np.testing.assert_array_equal(opt.pending, second)
    opt.tell(second, -np.sum((second - 0.3) ** 2, axis=1))
    assert len(opt.pending) == 0


def test_a_pending_batch_moves_the_gp_proposal_away_from_it():
    # the same data and seed: with a batch pending, the next proposal keeps
    # away from it (believed at the model's mean, its uncertainty is gone)
    def told_optimizer():
        opt = BayesianOptimizer(LAYOUT, n_initial_points=6, batch_size=1, random_state=3)
        design = opt.ask()
        opt.tell(design, -np.sum((design - 0.3) ** 2, axis=1))
        return opt

    alone = told_optimizer().ask()
    opt = told_optimizer()
    pending = opt.ask()
    np.testing.assert_array_equal(pending, alone)  # nothing pending: the same proposal
    ahead = opt.ask()
    assert np.linalg.norm(ahead - pending) > 0.05


# ---------------------------------------------------------------- through the search
class Gate:
    """Counts fits as they start; the ``block``-th fit waits for the next one to start."""

    def __init__(self, block):
        self.block, self.started, self.waited = block, 0, None
        self.lock, self.next_started = threading.Lock(), threading.Event()

    def enter(self):
        with self.lock:
            self.started += 1
            number = self.started
        if number == self.block + 1:
            self.next_started.set()
        if number == self.block:
            self.waited = self.next_started.wait(timeout=30)


class GatedRegressor(RegressorMixin, BaseEstimator):
    """A quadratic score; one fit waits until another fit has started (threads only)."""

    gate = None

    def __init__(self, c=1.0):
        self.c = c

    def fit(self, X, y):
        type(self).gate.enter()
        return self

    def predict(self, X):
        return np.full(len(X), np.log10(self.c))

    def score(self, X, y):
        return -(np.log10(self.c) - 1.0) ** 2


class RandomSearch(BaseOptimizerSearch):
    def __init__(self, estimator, param_distributions, **common):
        super().__init__(estimator, param_distributions, **common)

    def _make_optimizer(self, layout, random_state, budget):
        return RandomSampler(layout, batch_size=2, random_state=random_state)


def test_fits_of_the_next_batch_run_while_the_last_batch_finishes():
    # batch 0 alone (4 fits), then batches 1 and 2 side by side: the last fit
    # of batch 1 returns only once a fit of batch 2 has started, which cannot
    # happen if batch 2 waits for batch 1's scores (the wait would time out)
    X, y = np.zeros((20, 1)), np.zeros(20)
    GatedRegressor.gate = gate = Gate(block=8)
    search = RandomSearch(GatedRegressor(), {"c": loguniform(1e-2, 1e2)}, n_iter=8,
                          cv=KFold(2), n_jobs=2, pre_dispatch="all", random_state=0,
                          refit=False)
    with parallel_config("threading"):
        search.fit(X, y)
    assert gate.waited is True  # the next batch started before this one ended
    assert gate.started == 8 * 2
    assert list(search.cv_results_["iteration"]) == [0, 0, 1, 1, 2, 2, 3, 3]


def test_a_stop_drops_the_batch_started_meanwhile_whatever_n_jobs():
    X, y = np.zeros((20, 1)), np.zeros(20)
    seen = []

    def stop_after_batch_one(state):
        seen.append(state.n_candidates)
        return state.n_candidates >= 4

    results = {}
    for n_jobs in (1, 2):
        GatedRegressor.gate = Gate(block=0)  # no fit waits
        search = RandomSearch(GatedRegressor(), {"c": loguniform(1e-2, 1e2)}, n_iter=20,
                              cv=KFold(2), n_jobs=n_jobs, random_state=0, refit=False,
                              batch_callbacks=[stop_after_batch_one])
        with parallel_config("threading"):
            search.fit(X, y)
        assert search.stop_reason_ == "callback"
        assert len(search.cv_results_["params"]) == seen[-1] == 4
        results[n_jobs] = search.cv_results_["params"]
    assert results[1] == results[2]
