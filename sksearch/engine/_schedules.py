"""Schedules: what the loop evaluates next, and what it tells the optimizer.

A schedule is the loop's one plug, as a pruner is Optuna's and an
intensifier SMAC's. Each has the same small interface:

* ``warm_start(loop, X)`` evaluates the known settings ``X`` (batch 0) and
  returns ``(keys, whether any was new)``;
* ``step(loop)`` asks the optimizer, has the loop's evaluator score what is
  new, records and tells it; returns the stop reason or None;
* ``done(loop)`` and ``exhausted(loop)`` say in words how far the search got.

:class:`Batches` evaluates one batch per step. :class:`AskAhead` (an
optimizer that ``asks_ahead``: the GP with batches of one) asks its next
batch once its first batch is told and from then on while the last batch
is evaluated: batch ``k + 1`` is asked knowing the scores of batches up to
``k - 1``, with batch ``k`` pending, so workers never wait for a proposal
or for the slowest fit of a batch. The order of asks and tells is the same
whatever the evaluation's speed, so the results are too. A batch started
when a stopping rule holds for the one before is dropped (its results are
neither waited for nor recorded), so a search stops where it would have
without asking ahead. The brackets of multi-fidelity are
:class:`~sksearch.engine.fidelity._schedule.BracketSchedule`.
"""

from collections import namedtuple

#: A batch asked and started: its rows ``rows`` of ``X`` are new; ``handle.finish()``
#: gives their scores.
_Flight = namedtuple("_Flight", "X keys rows handle iteration")


def default_schedule(optimizer):
    """:class:`AskAhead` for an optimizer that ``asks_ahead``, else :class:`Batches`."""
    return AskAhead() if getattr(optimizer, "asks_ahead", False) else Batches()


class Batches:
    """One batch per step: ask, evaluate what is new, tell."""

    def warm_start(self, loop, X):
        keys = loop.layout.keys(X)
        rows = loop.new_rows(keys)
        if rows:
            loop.record(keys, rows, loop.evaluator.start(loop.iteration, X, rows).finish())
        return keys, bool(rows)

    def step(self, loop):
        X = loop.ask()
        keys, evaluated = self.warm_start(loop, X)
        stop = loop.stop_reason(evaluated)
        if stop is None:
            loop.tell(X, keys)
            loop.iteration += 1
        return stop

    def done(self, loop):
        return f"{len(loop.scores)} of n_iter={loop.n_iter} candidates"

    def progress(self, loop):
        return f"{len(loop.scores)}/{loop.n_iter} candidates"

    def exhausted(self, loop):
        return (f"The space has only {len(loop.scores)} distinct candidates, no more than "
                f"n_iter={loop.n_iter}: all of them were evaluated.")


class AskAhead(Batches):
    """The first batch alone, then each batch asked while the one before is evaluated."""

    def __init__(self):
        self._flight = None  # the batch under way

    def step(self, loop):
        if self._flight is None:
            if not loop.scores:
                return super().step(loop)
            self._flight = self._launch(loop, None)
        flight, following = self._flight, None
        if loop.spent + len(flight.rows) < loop.n_iter and loop.time_left():
            loop.iteration = flight.iteration + 1
            following = self._launch(loop, flight)
        evaluated = self._land(loop, flight)
        stop = loop.stop_reason(evaluated)
        if stop is not None:  # a batch started meanwhile is dropped, never recorded
            return stop
        loop.tell(flight.X, flight.keys)
        self._flight = following
        return None

    @staticmethod
    def _launch(loop, flight):
        """Ask the next batch (``flight`` pending) and start evaluating its new rows."""
        X = loop.ask()
        keys = loop.layout.keys(X)
        rows = loop.new_rows(keys, set() if flight is None else
                             {flight.keys[r] for r in flight.rows})
        handle = loop.evaluator.start(loop.iteration, X, rows) if rows else None
        return _Flight(X, keys, rows, handle, loop.iteration)

    @staticmethod
    def _land(loop, flight):
        """Wait for ``flight``'s scores and record them; return whether it evaluated any."""
        loop.iteration = flight.iteration
        if not flight.rows:
            return False
        loop.record(flight.keys, flight.rows, flight.handle.finish())
        return True
