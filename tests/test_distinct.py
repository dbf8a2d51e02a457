"""The one duplicate check that every optimizer uses: KnownPoints."""

import numpy as np
import pytest

from sksearch.optimizers._distinct import MIN_DISTANCE, KnownPoints
from sksearch.space import Categorical, Integer, Real, Space


def test_a_known_candidate_and_its_near_duplicates_are_taken():
    layout = Space({"x": Real(0.0, 1.0), "n": Integer(1, 5)}).layout
    known = KnownPoints(layout)
    known.add([[0.3, 0.5]])
    X = [[0.3, 0.5], [0.3 + MIN_DISTANCE / 2, 0.55], [0.3 + 2 * MIN_DISTANCE, 0.5],
         [0.3, 0.9]]
    # same point; near and same integer; far enough; another integer
    assert known.taken(X).tolist() == [True, True, False, False]


def test_integers_and_choices_are_compared_exactly_whatever_their_number():
    layout = Space({"n": Integer(0, 10**9), "kind": ["a", "b"]}).layout
    known = KnownPoints(layout)
    known.add(layout.snap([[0.5, 1.0, 0.0]]))
    next_integer = layout.snap([[0.5 + 1.5e-9, 1.0, 0.0]])
    assert not known.taken(next_integer)[0]
    assert known.taken(layout.snap([[0.5, 1.0, 0.0]]))[0]


def test_repeats_in_a_large_discrete_space_move_to_a_neighbouring_cell():
    space = Space({"a": Integer(1, 100), "b": Integer(1, 100)})
    rng = np.random.default_rng(0)
    known = KnownPoints(space.layout)
    X = space.layout.latin_hypercube(4, rng)
    known.add(X)
    y = known.free_near(X[0], rng)
    assert not known.taken(y[None])[0]
    a, b = space.decode(X[:1])[0], space.decode(y[None])[0]
    assert abs(a["a"] - b["a"]) + abs(a["b"] - b["b"]) <= 3


def test_free_moves_taken_rows_and_keeps_free_ones_as_they_are():
    layout = Space({"x": Real(0.0, 1.0), "kind": Categorical(["a", "b", "c"])}).layout
    known = KnownPoints(layout)
    known.add([[0.2, 1.0, 0.0, 0.0]])
    X = np.array([[0.2, 0.9, 0.1, 0.0],     # decodes to the known candidate
                  [0.7, 0.2, 0.3, 0.4],     # free, not snapped on the way out
                  [0.7, 0.2, 0.3, 0.4]])    # repeats the row before
    out, found = known.free(X, np.random.default_rng(0))
    assert found.all()
    np.testing.assert_array_equal(out[1], X[1])
    assert not known.taken(out[:1])[0]
    keys = layout.keys(out)
    assert len(set(keys)) == 3
    assert len(known) == 1  # free() takes nothing


def test_an_exhausted_space_has_no_free_point():
    layout = Space({"kind": ["a", "b", "c"]}).layout
    known = KnownPoints(layout)
    known.add(layout.enumerate())
    assert known.free_near(layout.enumerate()[0], np.random.default_rng(0)) is None
    _, found = known.free(layout.enumerate()[:2], np.random.default_rng(0))
    assert not found.any()


@pytest.mark.parametrize("strategy", ["pso", "genetic", "bayes-gp", "bayes-tpe"])
def test_no_optimizer_proposes_a_near_duplicate(strategy):
    from sksearch._testing import make_function, minimize
    from sksearch.optimizers import (BayesianOptimizer, GeneticAlgorithm, ParticleSwarm,
                                     TreeParzenEstimator)

    class Recording:
        """Wraps an optimizer and keeps every row it proposes."""

        def __init__(self, optimizer):
            self.optimizer, self.asked = optimizer, []

        def ask(self):
            X = self.optimizer.ask()
            self.asked.append(np.array(X))
            return X

        def tell(self, X, y):
            self.optimizer.tell(X, y)

    f = make_function("log_scale", seed=0)
    make = {"pso": lambda: ParticleSwarm(f.layout, n_iter=60, random_state=0),
            "genetic": lambda: GeneticAlgorithm(f.layout, random_state=0),
            "bayes-gp": lambda: BayesianOptimizer(f.layout, n_initial_points=6,
                                                  batch_size=3, random_state=0),
            "bayes-tpe": lambda: TreeParzenEstimator(f.layout, n_initial_points=6,
                                                     batch_size=3, random_state=0)}[strategy]
    recording = Recording(make())
    minimize(recording, f, budget=60)
    known = KnownPoints(f.layout)
    for X in recording.asked:
        snapped = f.layout.snap(X)
        assert not known.taken(snapped).any()
        assert len(set(f.layout.keys(snapped))) == len(snapped)
        known.add(snapped)
