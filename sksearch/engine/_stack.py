"""The evaluator stack: where a batch's per-fold results come from.

A *layer* has one method, ``start(batch) -> handle``, and the handle one,
``finish() -> records``: the per-split records of the batch's candidates
(candidate-major, as scikit-learn's ``_fit_and_score`` makes them). A
layer answers what it can and passes the rest to the layer below it. From
the top:

* :class:`JournalLayer`: a checkpoint's journal answers the batches it
  holds (a resumed search replays them) and records what the layers below
  computed;
* :class:`ReusedRecords`: an earlier search's records answer the warm
  start's candidates (``initial_candidates=<fitted search>``);
* :class:`~sksearch.engine._fitting.Fits`: the rest is fitted through joblib.

``fit`` composes the layers it needs. :class:`Evaluator` is what the loop
calls: it turns cube points into the parameters fitted (a rung's resource
set), asks the stack, and records the batch in
:class:`~sksearch.engine._results.Results`, which gives the scores the
optimizer is told.
"""

from dataclasses import dataclass, replace

import numpy as np

from .fidelity._continuation import continued_from


@dataclass(frozen=True)
class Batch:
    """What a layer is asked to evaluate.

    Attributes
    ----------
    iteration : int
        The batch's index (``cv_results_["iteration"]``).
    X : ndarray of shape (n, n_dims)
        The whole ask, in the cube.
    rows : list of int
        The rows of ``X`` to evaluate.
    candidates : list of dict
        The parameters fitted for each of ``rows``.
    splits : list of (train, test) or None
        The folds of this batch (a rung training on part of each training
        set), None for the search's.
    keys : list or None
        The candidates' keys (:meth:`CubeLayout.keys`), for a layer that
        keeps something per candidate (fit reuse).
    """

    iteration: int
    X: np.ndarray
    rows: list
    candidates: list
    splits: list = None
    keys: list = None

    def after(self, n):
        """The batch without its first ``n`` rows."""
        keys = None if self.keys is None else self.keys[n:]
        return replace(self, rows=self.rows[n:], candidates=self.candidates[n:], keys=keys)


class JournalLayer:
    """A checkpoint's journal on top of ``below``: replays what it holds, journals the rest.

    Parameters
    ----------
    journal : Checkpoint
        Open (locked and checked against this search).
    below : layer
    """

    def __init__(self, journal, below):
        self.journal, self.below = journal, below

    def start(self, batch):
        n_done, records = self.journal.replay(batch.X, batch.rows) or (0, [])
        pending = self.below.start(batch.after(n_done)) if n_done < len(batch.rows) else None
        return _Journaled(self.journal, batch, n_done, records, pending)


class _Journaled:
    def __init__(self, journal, batch, n_done, records, pending):
        self.journal, self.batch, self.n_done = journal, batch, n_done
        self.records, self.pending = records, pending

    def finish(self):
        computed = [] if self.pending is None else self.pending.finish()
        if computed:
            batch = self.batch
            self.journal.append(batch.iteration, batch.X, batch.rows[self.n_done:], computed)
        return self.records + computed


class ReusedRecords:
    """An earlier search's per-split records for the warm start's points, on top of ``below``.

    Parameters
    ----------
    X : ndarray of shape (n, n_dims)
        The warm start's points (batch 0).
    records : list of dict
        Their records, ``n_splits`` per point, point-major.
    n_splits : int
    below : layer
    """

    def __init__(self, X, records, n_splits, below):
        self.X, self.records, self.n_splits, self.below = X, records, n_splits, below

    def start(self, batch):
        if batch.iteration != 0 or not np.array_equal(batch.X, self.X):
            return self.below.start(batch)
        n = self.n_splits
        return _Known([r for i in batch.rows for r in self.records[i * n:(i + 1) * n]])


class _Known:
    def __init__(self, records):
        self.records = records

    def finish(self):
        return self.records


class Evaluator:
    """What the loop calls: a batch's cube points -> the stack -> its scores.

    Parameters
    ----------
    space : Space
    stack : layer
        The top layer.
    results : Results
        Where each batch is recorded (it gives the scores the optimizer is told).
    splits : list of (train, test)
        The search's folds.
    resource : Resource, default=None
        With multi-fidelity: sets each rung's resource.
    initial_candidates : list of dict, default=None
        The warm start's parameters, fitted as given (batch 0).
    extra_results : callable, default=None
        ``extra_results(optimizer or None, rows)``: more ``cv_results_``
        columns for a batch (None for the warm start's).
    optimizer : Optimizer, default=None
        Passed to ``extra_results``.
    continuation : Continuation, default=None
        Fit reuse: told the resource of every candidate evaluated (fitted,
        replayed or reused), so that a promotion continues the chain.
    """

    def __init__(self, space, stack, results, splits, *, resource=None,
                 initial_candidates=None, extra_results=None, optimizer=None,
                 continuation=None):
        self.space, self.stack, self.results, self.splits = space, stack, results, splits
        self.continuation = continuation
        self.resource, self.initial_candidates = resource, initial_candidates
        self.extra_results, self.optimizer = extra_results, optimizer

    def start(self, iteration, X, rows, rung=None):
        """Start evaluating ``rows`` of ``X`` (at ``rung``); the handle gives their scores."""
        warm = self.initial_candidates is not None and iteration == 0
        candidates = ([self.initial_candidates[i] for i in rows] if warm
                      else self.space.decode(X[rows]))
        more = {"iteration": [iteration] * len(rows)}
        if self.extra_results is not None:
            more.update(self.extra_results(None if warm else self.optimizer, rows))
        splits = keys = None
        if self.resource is not None:
            more = {"iter": [rung] * len(rows),
                    "n_resources": [self.resource.ladder[rung]] * len(rows), **more}
            candidates = self.resource.candidates(candidates, rung)
            splits = self.resource.splits(self.splits, rung)
        if self.continuation is not None:
            keys = self.space.layout.keys(X[rows])
            self.continuation.note(keys, self.resource.ladder[rung])
        handle = self.stack.start(Batch(iteration, X, list(rows), candidates, splits, keys))
        n_splits = None if self.resource is None else len(self.splits)
        return _Scored(handle, self.results, candidates, more, n_splits)


class _Scored:
    """``finish()`` gives the scores; then ``split_scores`` holds the per-split ones,
    shape ``(n_candidates, n_splits)`` (the noise a bracket's drop rule weighs), and,
    with a resource, ``fit_seconds`` each candidate's ``mean_fit_time`` and ``trained``
    the resource units its fits trained (what they continued from not counted)."""

    def __init__(self, handle, results, candidates, more, n_splits):
        self.handle, self.results, self.candidates, self.more = handle, results, candidates, more
        self.n_splits = n_splits  # with a resource: cv_results_ say what each fit continued
        self.split_scores = self.fit_seconds = self.trained = None

    def finish(self):
        records, more = self.handle.finish(), self.more
        if self.n_splits is not None:
            more = {**more, "continued_from": continued_from(records, self.n_splits)}
        scores = self.results.add(self.candidates, records, more)
        metric = self.results.objective[len("mean_"):]  # "test_score", "test_<name>"
        cv_results, n = self.results.cv_results, len(scores)
        if self.n_splits is not None:
            self.trained = np.asarray(more["n_resources"]) - more["continued_from"]
            self.fit_seconds = np.asarray(cv_results["mean_fit_time"][-n:], dtype=float)
        self.split_scores = np.column_stack(
            [np.asarray(cv_results[f"split{k}_{metric}"][len(cv_results["params"]) - n:],
                        dtype=float) for k in range(self.results.n_splits)])
        return scores


class BudgetChanges:
    """``before_ask`` of a checkpointed search: a continued journal's larger ``n_iter``.

    The optimizer learns the larger budget where it did when the journal
    was extended (replayed), or, once the journal is replayed, now (and the
    journal records it).

    Parameters
    ----------
    journal : Checkpoint
    optimizer : Optimizer
    n_iter : int
        This fit's ``n_iter``.
    budget : int
        The budget the optimizer was built for (the journal's first ``n_iter``).
    per_evaluation : float
        Candidates per unit of budget (with brackets, more than one).
    """

    def __init__(self, journal, optimizer, n_iter, budget, per_evaluation):
        self.journal, self.optimizer = journal, optimizer
        self.n_iter, self.budget, self.per_evaluation = n_iter, budget, per_evaluation

    def __call__(self, loop):
        change = self.journal.budget_changes.get(loop.iteration)
        if change is None and self.journal.replay_done and self.n_iter > self.budget:
            change = self.n_iter
            self.journal.append_budget(loop.iteration, change)
        if change is not None and change > self.budget:
            self.budget = change
            self.optimizer.set_budget(round(change * self.per_evaluation))
