"""``max_time``: the last batch is sized to the time left, and an overrun is said."""

import numpy as np
import pytest

from sksearch.engine._loop import Loop, Stopping
from sksearch.optimizers import RandomSampler
from sksearch.space import Real, Space

LAYOUT = Space({"x": Real(0.0, 1.0), "y": Real(0.0, 1.0)}).layout


class Batches(RandomSampler):
    """Uniform batches evaluated one after the other (as a swarm's or a population's)."""

    asks_ahead = False


class Clock:
    """A clock that each evaluated candidate advances by ``seconds``."""

    def __init__(self, seconds):
        self.now, self.seconds = 0.0, seconds

    def __call__(self):
        return self.now

    def evaluate(self, iteration, X, rows):
        self.now += self.seconds * len(rows)
        return -np.sum((X[rows] - 0.3) ** 2, axis=1)


def _run(max_time, seconds, batch_size=10, n_iter=1000):
    clock = Clock(seconds)
    loop = Loop(Batches(LAYOUT, batch_size=batch_size, random_state=0), LAYOUT,
                clock.evaluate, n_iter=n_iter, stopping=Stopping(max_time=max_time))
    loop.clock = clock
    return loop, loop.run()


def test_the_last_batch_is_cut_to_what_ends_in_time():
    # 10 candidates a batch, 1 s each: 30 done at 30 s; 5 s left fit 5 more, not 10
    loop, stop = _run(max_time=35.0, seconds=1.0)
    assert stop == "max_time" and len(loop.scores) == 35 and loop.cut == (5, 10)
    assert loop.elapsed == pytest.approx(35.0)


def test_an_overrun_is_said_with_its_seconds():
    # a batch of one runs whole: 3 candidates of 20 s against max_time=50
    with pytest.warns(UserWarning, match=r"max_time=50 s: .* at 60\.0 s, 10\.0 s over"):
        loop, stop = _run(max_time=50.0, seconds=20.0, batch_size=1)
    assert stop == "max_time" and len(loop.scores) == 3


def test_without_max_time_nothing_is_cut():
    loop, stop = _run(max_time=None, seconds=1.0, n_iter=40)
    assert stop == "n_iter" and len(loop.scores) == 40 and loop.cut is None
