"""The one loop that drives an optimizer: ask -> drop known -> evaluate -> tell -> stop?

The searches, the tests and the benchmarks all run optimizers through
:class:`Loop`; only what ``evaluate`` does differs (cross-validate
candidates, read a journal, or compute a numpy test function).

The rules:

* ``n_iter`` counts distinct candidates. A row of a batch that decodes to a
  candidate already evaluated (equal :meth:`CubeLayout.keys`), or repeats an
  earlier row of the batch, is not evaluated: it is told the score already
  known. Rows beyond the remaining budget are not evaluated either, and the
  batch that reaches the budget is not told.
* Failed evaluations (NaN) and non-finite scores are told to the optimizer
  as the worst finite score seen so far.
* With ``brackets`` (multi-fidelity), each ask enters a bracket of
  successive halving (:mod:`sksearch.engine.fidelity._brackets`): the loop evaluates its
  candidates at the bracket's cheapest resource, promotes the best of each
  rung to the next, one batch per rung, and tells the optimizer the whole
  ask once the bracket is over, with what each candidate is worth on the
  full-resource scale (:meth:`Brackets.worth`); ``optimizer.observe`` sees
  every rung's raw scores first. ``n_iter`` then counts full-resource
  evaluations: a candidate evaluated at a tenth of the resource costs a
  tenth. Only full-resource scores are best scores.
* An optimizer that ``asks_ahead`` (the GP with batches of one) is asked its
  next batch once its first batch is told and from then on while the
  last batch is evaluated: batch ``k + 1`` is asked knowing the scores of
  batches up to ``k - 1``, with batch ``k`` pending. Evaluations started
  with ``start`` run side by side, so workers never wait for a proposal or
  for the slowest fit of a batch. The order of asks and tells is the same
  whatever the evaluation's speed, so the results are too. A batch
  started when a stopping rule holds for the one before is dropped (its
  results are neither waited for nor recorded), so a search stops where it
  would have without asking ahead.
* Stopping: the budget, an exhausted space (the exhaustive optimizer's one
  batch), ``max_time``, ``n_iter_no_change``/``tol``, ``after_batch``
  returning True, ``MAX_STALLED_BATCHES`` batches without a new candidate,
  or a ``KeyboardInterrupt`` once something was evaluated.
"""

import time
import warnings
from collections import namedtuple

import numpy as np

#: A batch asked and started: its rows ``rows`` of ``X`` are new; ``finish()`` gives their scores.
_Flight = namedtuple("_Flight", "X keys rows finish iteration")

#: Consecutive batches without a new candidate after which a search stops.
MAX_STALLED_BATCHES = 20

#: Why a loop stopped, as ``stop_reason_`` reports it.
STOP_REASONS = ("n_iter", "space_exhausted", "max_time", "no_change", "callback", "stalled",
                "interrupted")


class Loop:
    """Drive ``optimizer`` over ``layout`` until a stopping rule holds.

    Parameters
    ----------
    optimizer : Optimizer
        Proposes batches (``ask``) and learns their scores (``tell``); it
        maximizes.
    layout : CubeLayout
        The cube the optimizer works in; its keys identify candidates.
    evaluate : callable
        ``evaluate(iteration, X, rows)`` evaluates the rows ``rows`` of the
        batch ``X`` (new, distinct candidates) and returns their scores, to
        maximize (NaN for a failure).
    n_iter : int
        Number of distinct candidates to evaluate.
    max_time : float, default=None
        Seconds after which no new batch is started.
    n_iter_no_change : int, default=None
        Stop when the best score has not improved by more than ``tol`` over
        the last ``n_iter_no_change`` candidates.
    tol : float, default=0.0
    exhaustive : bool, default=False
        The optimizer's first batch is the whole space: stop after it.
    before_ask : callable, default=None
        ``before_ask(loop)`` before each ask of the optimizer.
    initial : ndarray of shape (n, n_dims), default=None
        Known settings to evaluate first, as batch 0 (a warm start): the
        optimizer learns their scores through ``seed`` before its first ask.
    on_batch : callable, default=None
        ``on_batch(loop)`` after each batch that evaluated something, once
        its scores are recorded (a progress report).
    after_batch : callable, default=None
        ``after_batch(loop)`` after each batch that evaluated something and
        did not meet another stopping rule; True stops the loop (reason
        ``"callback"``).
    brackets : Brackets, default=None
        Run brackets of successive halving on its ladder of resources; then
        ``evaluate(iteration, X, rows, level)`` evaluates at the ladder's
        ``level`` and ``n_iter`` counts full-resource evaluations.
    start : callable, default=None
        ``start(iteration, X, rows)`` starts what ``evaluate`` does and
        returns a callable that waits for it and returns the scores; the
        loop then starts a batch while the previous one finishes (see
        above). By default the evaluation is deferred to that call.

    Attributes
    ----------
    scores : dict
        Candidate key -> score, in the order evaluated (with ``brackets``: at
        the highest resource it reached).
    best_history : list of float
        Best finite score after each candidate (``-inf`` before the first);
        with ``brackets``, after each full-resource evaluation.
    spent : float
        With ``brackets``, the budget spent, in full-resource evaluations.
    iteration : int
        Index of the batch about to be asked (in ``before_ask``) or just
        evaluated (in ``on_batch`` and ``after_batch``).
    start : float
        ``time.monotonic()`` when :meth:`run` started.

    Examples
    --------
    >>> import numpy as np
    >>> from sksearch.engine._loop import Loop
    >>> from sksearch.optimizers import RandomSampler
    >>> from sksearch.space import Space, Real
    >>> layout = Space({"x": Real(-1.0, 1.0)}).layout
    >>> loop = Loop(RandomSampler(layout, batch_size=4, random_state=0), layout,
    ...             lambda iteration, X, rows: -(2 * X[rows, 0] - 1) ** 2, n_iter=10)
    >>> loop.run(), len(loop.scores)
    ('n_iter', 10)
    """

    def __init__(self, optimizer, layout, evaluate, *, n_iter, max_time=None,
                 n_iter_no_change=None, tol=0.0, exhaustive=False, on_batch=None,
                 after_batch=None, initial=None, before_ask=None, brackets=None, start=None):
        self.optimizer, self.layout, self.evaluate = optimizer, layout, evaluate
        self.start_batch = start if start is not None else (
            lambda iteration, X, rows: lambda: evaluate(iteration, X, rows))
        self.n_iter = n_iter
        self.max_time, self.n_iter_no_change, self.tol = max_time, n_iter_no_change, tol
        self.exhaustive = exhaustive
        self.on_batch, self.after_batch = on_batch, after_batch
        self.before_ask = before_ask
        self.brackets = brackets
        self.spent = 0.0
        self._worth = {}  # with brackets: candidate key -> value told
        self._rung_scores = {}  # with brackets: level -> scores seen there
        self.initial = None if initial is None else np.atleast_2d(initial)
        self.scores = {}
        self.best_history = []
        self.iteration = 0
        self.start = None

    def run(self):
        """Run until a stopping rule holds; return its name (see :data:`STOP_REASONS`)."""
        self.start = time.monotonic()
        stop, stalled = None, 0
        try:
            if self.initial is not None:
                keys, evaluated = self._batch(self.initial)
                stop = self._stop_reason(0, evaluated, optimizer_asked=False)
                if stop is None:
                    self.optimizer.seed(self.initial, self.told_scores(keys))
                    self.iteration += 1
            while stop is None:
                if self.before_ask is not None:
                    self.before_ask(self)
                if self.brackets is not None:
                    stop, evaluated = self._bracket()
                    stalled = 0 if evaluated else stalled + 1
                    if stop is None and stalled >= MAX_STALLED_BATCHES:
                        stop = "stalled"
                    continue
                if getattr(self.optimizer, "asks_ahead", False) and self.scores:
                    stop = self._run_ahead(stalled)
                    break
                X = np.atleast_2d(self.optimizer.ask())
                keys, evaluated = self._batch(X)
                stalled = 0 if evaluated else stalled + 1
                stop = self._stop_reason(stalled, evaluated)
                if stop is None:
                    self.optimizer.tell(X, self.told_scores(keys))
                    self.iteration += 1
        except KeyboardInterrupt:
            if not self.scores:
                raise
            stop = "interrupted"
            warnings.warn(
                f"The search was interrupted after {len(self.scores)} candidates; "
                "it keeps their results and refits the best of them.",
                UserWarning,
                stacklevel=2,
            )
        self._warn_stop(stop)
        return stop

    # ------------------------------------------------------------------ batches
    def _batch(self, X):
        """Evaluate the new candidates of ``X``; return its keys and whether any was new."""
        keys = self.layout.keys(X)
        rows = self.new_rows(keys)
        if rows and self.brackets is not None:  # a warm start: at the full resource
            top = self.brackets.top
            scores = np.asarray(self.evaluate(self.iteration, X, rows, top), dtype=float)
            self.spent += len(rows)
            self._record_rung(X, keys, np.array(rows), scores, top)
            self._worth.update({keys[r]: v for r, v in zip(rows, scores)})
            if self.on_batch is not None:
                self.on_batch(self)
        elif rows:
            self._record(keys, rows, self.start_batch(self.iteration, X, rows)())
            if self.on_batch is not None:
                self.on_batch(self)
        return keys, bool(rows)

    def _run_ahead(self, stalled):
        """Run the remaining batches, each asked while the previous one is evaluated."""
        flight = self._launch(None)  # before_ask was called for it
        while True:
            following = None
            if (len(self.scores) + len(flight.rows) < self.n_iter
                    and (self.max_time is None or self.elapsed < self.max_time)):
                self.iteration = flight.iteration + 1
                if self.before_ask is not None:
                    self.before_ask(self)
                following = self._launch(flight)
            evaluated = self._land(flight)
            stalled = 0 if evaluated else stalled + 1
            stop = self._stop_reason(stalled, evaluated)
            if stop is not None:  # a batch started meanwhile is dropped, never recorded
                return stop
            self.optimizer.tell(flight.X, self.told_scores(flight.keys))
            flight = following

    def _launch(self, flight):
        """Ask the next batch (``flight`` pending) and start evaluating its new rows."""
        X = np.atleast_2d(self.optimizer.ask())
        keys = self.layout.keys(X)
        rows = self.new_rows(keys, set() if flight is None else
                             {flight.keys[r] for r in flight.rows})
        finish = self.start_batch(self.iteration, X, rows) if rows else None
        return _Flight(X, keys, rows, finish, self.iteration)

    def _land(self, flight):
        """Wait for ``flight``'s scores and record them; return whether it evaluated any."""
        self.iteration = flight.iteration
        if not flight.rows:
            return False
        self._record(flight.keys, flight.rows, flight.finish())
        if self.on_batch is not None:
            self.on_batch(self)
        return True

    def _bracket(self):
        """Run one bracket; return ``(stop reason or None, whether it evaluated anything)``."""
        brackets, optimizer = self.brackets, self.optimizer
        remaining = self.n_iter - self.spent
        flexible = getattr(optimizer, "flexible_batch", False)
        if flexible:
            plan = brackets.plan(remaining)
            if plan is None:
                return "n_iter", False
            X = np.atleast_2d(optimizer.ask(plan.n[0]))
        else:
            X = np.atleast_2d(optimizer.ask())
        keys = self.layout.keys(X)
        rows, seen = [], set()
        for i, key in enumerate(keys):
            if key not in self._worth and key not in seen:
                seen.add(key)
                rows.append(i)
        if not rows:
            optimizer.tell(X, self.told_scores(keys, self._worth))
            self.iteration += 1
            return None, False
        if flexible:  # the ask may hold fewer new candidates than planned
            plan = brackets.resize(plan, min(len(rows), plan.n[0]))
        else:
            plan = brackets.plan(remaining, n_candidates=len(rows))
            if plan is None:
                return "n_iter", False
        cut = plan.n[0] < len(rows)  # the budget ends within this ask
        members = np.array(rows[: plan.n[0]])  # rows of X in the bracket
        alive = np.arange(len(members))  # indices into members
        level_scores = []
        for j, level in enumerate(plan.levels):
            scores = np.full(len(members), np.nan)
            scores[alive] = self.evaluate(self.iteration, X, members[alive].tolist(), level)
            level_scores.append(scores)
            self.spent += len(alive) * brackets.cost(level)
            self._record_rung(X, keys, members[alive], scores[alive], level)
            if self.on_batch is not None:
                self.on_batch(self)
            stop = self._stop_reason(0, True, optimizer_asked=False)
            self.iteration += 1
            if j + 1 == len(plan.levels):
                break
            if stop is not None:
                return stop, True
            alive = alive[brackets.promote(scores[alive], plan.n[j + 1])]
        brackets.learn(plan, level_scores)
        for decision in brackets.dropped:  # when it was taken, in cv_results_' terms
            decision.setdefault("after_iteration", self.iteration - 1)
        for row, worth in zip(members, brackets.worth(level_scores)):
            self._worth[keys[row]] = worth
        if stop is not None:
            return stop, True
        if cut:
            return "n_iter", True
        if self.exhaustive:  # the whole space was the bracket
            return "space_exhausted", True
        optimizer.tell(X, self.told_scores(keys, self._worth))
        return None, True

    def _record_rung(self, X, keys, rows, scores, level):
        """Record a rung's scores: full-resource ones as best scores, all for ``observe``."""
        seen = self._rung_scores.setdefault(level, [])
        seen.extend(scores[np.isfinite(scores)].tolist())
        for row, score in zip(rows, scores):
            self.scores[keys[row]] = score
            if level == self.brackets.top:
                previous = self.best_history[-1] if self.best_history else -np.inf
                self.best_history.append(max(previous, score) if np.isfinite(score)
                                         else previous)
        if seen:  # failures are told as the worst score seen at this level
            told = np.where(np.isfinite(scores), scores, min(seen))
            self.optimizer.observe(X[rows], told, self.brackets.cost(level))

    def new_rows(self, keys, pending=frozenset()):
        """Rows of a batch that are new candidates (neither evaluated nor among the
        ``pending`` keys, whose evaluation is under way), within the remaining budget."""
        remaining = self.n_iter - len(pending) - (
            int(np.ceil(self.spent - 1e-9)) if self.brackets is not None else len(self.scores))
        rows, seen = [], set()
        for i, key in enumerate(keys):
            if key not in self.scores and key not in pending and key not in seen:
                seen.add(key)
                rows.append(i)
        return rows[:remaining]

    def _record(self, keys, rows, batch_scores):
        for row, score in zip(rows, np.asarray(batch_scores, dtype=float)):
            self.scores[keys[row]] = score
            previous = self.best_history[-1] if self.best_history else -np.inf
            self.best_history.append(max(previous, score) if np.isfinite(score) else previous)

    def told_scores(self, keys, known=None):
        """Values of ``keys`` in ``known`` (default: :attr:`scores`), the non-finite
        ones replaced by the worst finite one."""
        known = self.scores if known is None else known
        values = np.array([known[k] for k in keys], dtype=float)
        finite = np.array([v for v in known.values() if np.isfinite(v)])
        worst = finite.min() if len(finite) else 0.0
        return np.where(np.isfinite(values), values, worst)

    @property
    def elapsed(self):
        """Seconds since :meth:`run` started."""
        return time.monotonic() - self.start

    # ------------------------------------------------------------------ stopping
    def _stop_reason(self, stalled, evaluated, optimizer_asked=True):
        if self.exhaustive and optimizer_asked:
            return "space_exhausted"
        if (self.spent if self.brackets is not None else len(self.scores)) >= self.n_iter:
            return "n_iter"
        if stalled >= MAX_STALLED_BATCHES:
            return "stalled"
        if self.max_time is not None and self.elapsed >= self.max_time:
            return "max_time"
        k = self.n_iter_no_change
        if k is not None and len(self.best_history) > k:
            if self.best_history[-1] <= self.best_history[-1 - k] + self.tol:
                return "no_change"
        if evaluated and self.after_batch is not None and self.after_batch(self):
            return "callback"
        return None

    def _warn_stop(self, stop):
        n, n_iter = len(self.scores), self.n_iter
        done = (f"{n} of n_iter={n_iter} candidates" if self.brackets is None else
                f"{n} candidates ({self.spent:.1f} of n_iter={n_iter} full-resource fits)")
        if stop == "space_exhausted":
            warnings.warn(
                f"The space has only {n} distinct candidates, no more than "
                + (f"n_iter={n_iter}: all of them were evaluated." if self.brackets is None
                   else f"the budget of n_iter={n_iter} full-resource fits tries: all of "
                   "them were evaluated, in one bracket of successive halving."),
                UserWarning,
                stacklevel=3,
            )
        elif stop == "stalled":
            warnings.warn(
                f"The optimizer proposed no new candidate in {MAX_STALLED_BATCHES} "
                f"consecutive batches; the search stops after {done}.",
                UserWarning,
                stacklevel=3,
            )
