"""Prescreen: the Gaussian-process ranking of bred candidates."""

import numpy as np

from sksearch.optimizers._prescreen import MIN_POINTS, Prescreen


def told(n, seed=0):
    X = np.random.default_rng(seed).random((n, 3))
    return X, -np.sum((X - 0.7) ** 2, axis=1)  # best at (0.7, 0.7, 0.7)


def test_ranks_by_expected_improvement_the_candidate_near_the_best_first():
    screen = Prescreen(random_state=0)
    screen.add(*told(20))
    candidates = np.array([[0.0, 0.0, 0.0], [0.7, 0.7, 0.7], [1.0, 0.2, 0.5]])
    assert screen.rank(candidates)[0] == 1


def test_keeps_the_order_until_enough_distinct_scores_are_told():
    screen = Prescreen(random_state=0)
    X, y = told(MIN_POINTS - 1)
    screen.add(X, y)
    assert not screen.ready
    assert screen.rank(np.random.default_rng(1).random((5, 3))).tolist() == [0, 1, 2, 3, 4]
    flat = Prescreen(random_state=0)
    flat.add(told(10)[0], np.zeros(10))  # a plateau: nothing to rank by
    assert not flat.ready


def test_nan_scores_are_left_out():
    screen = Prescreen(random_state=0)
    X, y = told(MIN_POINTS)
    y[0] = np.nan
    screen.add(X, y)
    assert not screen.ready  # 3 finite scores
    screen.add(*told(1, seed=2))
    assert screen.ready
    assert sorted(screen.rank(X)) == list(range(len(X)))
    assert len(screen._gp.X_train_) == MIN_POINTS  # fitted to the finite scores only
