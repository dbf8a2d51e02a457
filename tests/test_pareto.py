"""Pareto fronts by hand, and every strategy with several objectives on shifted ZDT1."""

import numpy as np
import pytest

from benchmarks.pareto_problems import make_problem, run
from sksearch.optimizers import (BayesianOptimizer, GeneticAlgorithm, ParticleSwarm,
                                 RandomSampler, TreeParzenEstimator)
from sksearch.optimizers._pareto import (chebyshev_scores, crowded_order, crowding_distance,
                                         hypervolume, hypervolume_contributions,
                                         non_dominated_ranks, random_weights,
                                         select_by_hypervolume)
from sksearch.space import Real, Space


def test_ranks_of_two_objectives_by_hand():
    Y = [[3, 1], [1, 3], [2, 2], [2, 1], [1, 1], [0, 0], [2, 0.5]]
    assert non_dominated_ranks(Y).tolist() == [1, 1, 1, 2, 3, 4, 3]


def test_duplicates_share_a_rank_and_do_not_dominate_each_other():
    Y = [[1, 1], [1, 1], [0, 2], [0, 1]]
    assert non_dominated_ranks(Y).tolist() == [1, 1, 1, 2]


def test_a_tie_in_one_column_is_decided_by_the_other():
    assert non_dominated_ranks([[1, 2], [1, 3], [1, 3]]).tolist() == [2, 1, 1]


def test_one_objective_ranks_distinct_values_best_first():
    assert non_dominated_ranks([[0.2], [0.9], [0.2], [0.5]]).tolist() == [3, 1, 3, 2]


def test_three_objectives_by_hand():
    Y = [[1, 0, 0], [0, 1, 0], [0, 0, 1], [0, 0, 0], [1, 1, 0]]
    assert non_dominated_ranks(Y).tolist() == [2, 2, 1, 3, 1]


def test_crowding_of_a_front_by_hand():
    # columns span 4 and 4; the middle points see gaps 3/4 + 3/4 and 3/4 + 2/4
    assert crowding_distance([[0, 4], [1, 2], [3, 1], [4, 0]]).tolist() == [
        np.inf, 1.5, 1.25, np.inf]


def test_crowding_ignores_the_order_of_tied_values_and_zeroes_repeats():
    Y = np.array([[0, 2, 0], [1, 1, 0], [1, 0, 1], [2, 0, 0], [1, 1, 0]])
    d = crowding_distance(Y)
    assert d[4] == 0.0 and d[1] > 0
    reordered = crowding_distance(Y[[3, 2, 1, 0]])
    np.testing.assert_array_equal(reordered, d[[3, 2, 1, 0]])


def test_crowded_order_takes_ranks_first_then_the_sparse_ends():
    Y = [[0, 0], [1, 3], [2, 2.5], [3, 1], [2.9, 1.1]]
    order = crowded_order(Y).tolist()
    assert order[-1] == 0 and set(order[:2]) == {1, 3}


def test_hypervolume_by_hand_in_two_and_three_objectives():
    assert hypervolume([[1, 3], [2, 2], [3, 1], [1, 1]], [0, 0]) == 6.0
    assert hypervolume([[1, 3], [3, 1]], [0.5, 0.5]) == pytest.approx(2.5 * 0.5 * 2 - 0.5 * 0.5)
    # two boxes of 1 x 1 x 2 and 2 x 1 x 1 overlapping in a 1 x 1 x 1 cube
    assert hypervolume([[1, 1, 2], [2, 1, 1]], [0, 0, 0]) == 3.0
    assert hypervolume([[1, 1, 1]], [1, 0, 0]) == 0.0  # not beyond the reference


def test_hypervolume_in_four_objectives_matches_inclusion_exclusion():
    Y = np.array([[2, 1, 1, 1], [1, 2, 1, 1], [1, 1, 2, 1]])
    # each box has volume 2; every pair and the triple overlap in the unit box
    assert hypervolume(Y, np.zeros(4)) == pytest.approx(3 * 2 - 3 * 1 + 1)


def test_hypervolume_matches_a_monte_carlo_estimate():
    rng = np.random.default_rng(0)
    Y = rng.random((8, 3))
    samples = rng.random((200_000, 3))
    inside = (samples[:, None, :] <= Y[None]).all(axis=2).any(axis=1)
    assert hypervolume(Y, np.zeros(3)) == pytest.approx(inside.mean(), abs=0.005)


def test_contributions_by_hand_with_a_repeat():
    contributions = hypervolume_contributions([[1, 3], [2, 2], [3, 1], [3, 1]], [0, 0])
    assert contributions.tolist() == [1.0, 1.0, 0.0, 0.0]


def test_subset_selection_keeps_the_spread_points():
    Y = [[1, 4], [2, 2], [4, 1], [1.9, 1.9]]
    assert select_by_hypervolume(Y, 2, [0, 0]).tolist() == [0, 2]
    assert select_by_hypervolume(Y, 4, [0, 0]).tolist() == [0, 1, 2, 3]


def test_chebyshev_scores_prefer_the_front_point_of_the_weights():
    Y = np.array([[1.0, 0.0], [0.0, 1.0], [0.6, 0.6], [0.2, 0.2]])
    assert np.argmax(chebyshev_scores(Y, [0.9, 0.1])) == 0
    assert np.argmax(chebyshev_scores(Y, [0.5, 0.5])) == 2
    w = random_weights(3, np.random.default_rng(0), size=50)
    assert np.all(w > 0) and np.allclose(w.sum(axis=1), 1.0)


STRATEGIES = {
    "ga": lambda layout, seed, budget: GeneticAlgorithm(
        layout, n_iter=budget, random_state=seed, n_objectives=2),
    "pso": lambda layout, seed, budget: ParticleSwarm(
        layout, n_iter=budget, random_state=seed, n_objectives=2),
    "gp": lambda layout, seed, budget: BayesianOptimizer(
        layout, n_initial_points=10, random_state=seed, n_objectives=2),
    "tpe": lambda layout, seed, budget: TreeParzenEstimator(
        layout, n_initial_points=10, random_state=seed, n_objectives=2),
}


@pytest.mark.parametrize("strategy", sorted(STRATEGIES))
def test_strategy_beats_random_sampling_on_zdt1(strategy):
    budget, seeds = 40, range(3)
    found, baseline = [], []
    for seed in seeds:
        problem = make_problem("zdt1", seed)
        F = run(STRATEGIES[strategy](problem.layout, seed, budget), problem, budget)
        found.append(problem.hypervolume(F))
        random = RandomSampler(problem.layout, random_state=seed, n_objectives=2)
        baseline.append(problem.hypervolume(run(random, problem, budget)))
    assert np.median(found) > np.median(baseline)


@pytest.mark.parametrize("strategy", sorted(STRATEGIES))
def test_tell_refuses_scores_of_the_wrong_shape(strategy):
    layout = Space({"x": Real(0.0, 1.0), "y": Real(0.0, 1.0)}).layout
    optimizer = STRATEGIES[strategy](layout, 0, 20)
    X = optimizer.ask()
    with pytest.raises(ValueError, match=r"y must have shape \(n, n_objectives\)"):
        optimizer.tell(X, np.zeros(len(X)))


def test_n_objectives_must_be_a_positive_integer():
    layout = Space({"x": Real(0.0, 1.0)}).layout
    with pytest.raises(ValueError, match="n_objectives must be an integer of at least 1"):
        RandomSampler(layout, n_objectives=0)
