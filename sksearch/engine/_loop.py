"""The one loop that drives an optimizer: ask -> drop known -> evaluate -> tell -> stop?

The searches, the tests and the benchmarks all run optimizers through
:class:`Loop`. What it evaluates next is its schedule's choice
(:mod:`sksearch.engine._schedules`: a plain batch, the ask-ahead pair, a
rung of a bracket); how a batch is evaluated is its evaluator's (the
search's evaluator stack, or a numpy test function).

The rules, whatever the schedule:

* ``n_iter`` is the budget: distinct candidates, or, with brackets,
  full-resource evaluations (a candidate evaluated at a tenth of the
  resource costs a tenth). A row of a batch that decodes to a candidate
  already evaluated (equal :meth:`CubeLayout.keys`), or repeats an earlier
  row of the batch, is not evaluated: it is told the score already known.
  Rows beyond the remaining budget are not evaluated either, and the batch
  that reaches the budget is not told.
* Failed evaluations (NaN) and non-finite scores are told to the optimizer
  as the worst finite score seen so far.
* Only full-resource scores are best scores (:attr:`Loop.best_history`).
* Stopping: the budget, an exhausted space (the exhaustive optimizer's one
  batch), ``max_time``, ``n_iter_no_change``/``tol``, the ``callback``
  returning True, ``MAX_STALLED_BATCHES`` batches without a new candidate,
  or a ``KeyboardInterrupt`` once something was evaluated.
"""

import time
from dataclasses import dataclass

import numpy as np

from .._warnings import warn
from ..optimizers._pareto import hypervolume, reference_point

#: Consecutive batches without a new candidate after which a search stops.
MAX_STALLED_BATCHES = 20

#: Why a loop stopped, as ``stop_reason_`` reports it.
STOP_REASONS = ("n_iter", "space_exhausted", "max_time", "no_change", "callback", "stalled",
                "interrupted")


@dataclass
class Stopping:
    """The stopping rules besides the budget.

    Attributes
    ----------
    max_time : float or None
        Seconds after which no new batch is started.
    n_iter_no_change : int or None
        Stop when the best score has not improved by more than ``tol`` over
        the last ``n_iter_no_change`` full-resource evaluations.
    tol : float
    exhaustive : bool
        The optimizer's first batch is the whole space: stop after it.
    callback : callable or None
        ``callback(loop)`` after each batch that evaluated something and met
        no other rule; True stops the loop (reason ``"callback"``).
    """

    max_time: float = None
    n_iter_no_change: int = None
    tol: float = 0.0
    exhaustive: bool = False
    callback: object = None


class Loop:
    """Drive ``optimizer`` over ``layout`` until a stopping rule holds.

    ``clock`` (a class attribute, ``time.monotonic``) measures ``max_time``.

    Parameters
    ----------
    optimizer : Optimizer
        Proposes batches (``ask``) and learns their scores (``tell``); it
        maximizes.
    layout : CubeLayout
        The cube the optimizer works in; its keys identify candidates.
    evaluator : object or callable
        ``evaluator.start(iteration, X, rows, rung)`` starts evaluating the
        rows ``rows`` of the batch ``X`` (new, distinct candidates; ``rung``
        None without brackets) and returns a handle whose ``finish()``
        gives their scores, to maximize (NaN for a failure): shape ``(n,)``,
        or ``(n, m)`` for an optimizer of ``m`` objectives. A plain
        callable ``evaluate(iteration, X, rows)`` (``..., rows, rung)``
        with brackets) is evaluated when the loop waits for it.
    n_iter : int
        The budget.
    schedule : Schedule, default=None
        What to evaluate next (:mod:`sksearch.engine._schedules`); None:
        :func:`~sksearch.engine._schedules.default_schedule` of the optimizer.
    initial : ndarray of shape (n, n_dims), default=None
        Known settings to evaluate first, as batch 0 (a warm start): the
        optimizer learns their scores through ``seed`` before its first ask.
    stopping : Stopping, default=None
        The other stopping rules; None: none.
    before_ask : callable, default=None
        ``before_ask(loop)`` right before each ask of the optimizer.
    on_batch : callable, default=None
        ``on_batch(loop)`` after each batch (or rung) that evaluated
        something, once its scores are recorded (a progress report).

    Attributes
    ----------
    scores : dict
        Candidate key -> score, in the order evaluated (with brackets: at
        the highest resource it reached).
    best_history : list of float
        Best finite full-resource score after each full-resource evaluation;
        with several objectives (scores of shape ``(m,)``), the hypervolume
        of the full-resource scores so far, for a reference point set by the
        first batch with finite scores.
    spent : float
        The budget spent.
    iteration : int
        Index of the batch about to be asked (in ``before_ask``) or just
        evaluated (in ``on_batch`` and the stopping callback).
    start : float
        ``time.monotonic()`` when :meth:`run` started.

    Notes
    -----
    With ``max_time``, a batch asked when time is short keeps only the new
    candidates that the pace of the batches before says will end in time
    (a batch of one always runs), and the search stops after it; how much
    it overran is said in a warning.

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

    clock = staticmethod(time.monotonic)

    def __init__(self, optimizer, layout, evaluator, *, n_iter, schedule=None, initial=None,
                 stopping=None, before_ask=None, on_batch=None):
        from ._schedules import default_schedule

        self.optimizer, self.layout, self.n_iter = optimizer, layout, n_iter
        self.evaluator = evaluator if hasattr(evaluator, "start") else _Immediate(evaluator)
        self.schedule = default_schedule(optimizer) if schedule is None else schedule
        self.initial = None if initial is None else np.atleast_2d(initial)
        self.stopping = Stopping() if stopping is None else stopping
        self.before_ask, self.on_batch = before_ask, on_batch
        self.scores, self.best_history = {}, []
        self._front = _FrontVolume()
        self.spent, self.stalled, self.iteration, self.start = 0.0, 0, 0, None
        self.cut = None  # (rows kept, rows asked) of a batch cut to end within max_time

    def run(self):
        """Run until a stopping rule holds; return its name (see :data:`STOP_REASONS`)."""
        self.start = self.clock()
        stop = None
        try:
            if self.initial is not None:
                keys, evaluated = self.schedule.warm_start(self, self.initial)
                stop = self.stop_reason(evaluated, optimizer_asked=False)
                if stop is None:
                    self.optimizer.seed(self.initial, self.told_scores(keys))
                    self.iteration += 1
            while stop is None:
                stop = self.schedule.step(self)
        except KeyboardInterrupt:
            if not self.scores:
                raise
            stop = "interrupted"
            warn(f"The search was interrupted after {len(self.scores)} candidates; "
                 "it keeps their results and refits the best of them.")
        self._warn_stop(stop)
        return stop

    # ------------------------------------------------------------------ what schedules use
    def ask(self, n=None):
        """The optimizer's next batch (``n`` points, for an optimizer with a flexible batch)."""
        if self.before_ask is not None:
            self.before_ask(self)
        return np.atleast_2d(self.optimizer.ask() if n is None else self.optimizer.ask(n))

    def tell(self, X, keys, known=None):
        """Tell the optimizer the batch ``X`` (see :meth:`told_scores`)."""
        self.optimizer.tell(X, self.told_scores(keys, known))

    def new_rows(self, keys, pending=frozenset()):
        """Rows of a batch that are new candidates (neither evaluated nor among the
        ``pending`` keys, whose evaluation is under way), within the remaining budget."""
        remaining = self.n_iter - len(pending) - int(np.ceil(self.spent - 1e-9))
        rows, seen = [], set()
        for i, key in enumerate(keys):
            if key not in self.scores and key not in pending and key not in seen:
                seen.add(key)
                rows.append(i)
        rows = rows[:remaining]
        return rows if pending else self._in_time(rows)

    def record(self, keys, rows, scores, *, cost=1.0, full=True):
        """Record the scores of ``rows``, each costing ``cost`` of the budget
        (``full``: at the full resource, so best scores), then report the batch."""
        scores = np.asarray(scores, dtype=float)
        if full and scores.ndim == 2:
            self.best_history.extend(self._front.add(scores))
        for row, score in zip(rows, scores):
            self.scores[keys[row]] = score
            if full and scores.ndim == 1:
                previous = self.best_history[-1] if self.best_history else -np.inf
                self.best_history.append(max(previous, score) if np.isfinite(score)
                                         else previous)
        self.spent += cost * len(rows)
        if self.on_batch is not None:
            self.on_batch(self)

    def told_scores(self, keys, known=None):
        """Values of ``keys`` in ``known`` (default: :attr:`scores`), the non-finite
        ones replaced by the worst finite one."""
        known = self.scores if known is None else known
        values = np.array([known[k] for k in keys], dtype=float)
        seen = np.array(list(known.values()), dtype=float)
        worst = np.where(np.isfinite(seen), seen, np.inf).min(axis=0)  # per objective
        worst = np.where(np.isfinite(worst), worst, 0.0)
        return np.where(np.isfinite(values), values, worst)

    @property
    def elapsed(self):
        """Seconds since :meth:`run` started."""
        return self.clock() - self.start

    def time_left(self):
        """Whether ``max_time`` allows starting another batch."""
        max_time = self.stopping.max_time
        return max_time is None or (self.elapsed < max_time and self.cut is None)

    def _in_time(self, rows):
        """``rows`` cut to what ends within ``max_time`` at the pace so far (the
        seconds per candidate of the batches before); :attr:`cut` records a cut."""
        max_time = self.stopping.max_time
        if max_time is None or not self.spent or len(rows) < 2:
            return rows
        pace = self.elapsed / self.spent  # seconds per candidate, workers included
        fits = max(1, int((max_time - self.elapsed) / pace))
        if fits < len(rows):
            self.cut = (fits, len(rows))
            return rows[:fits]
        return rows

    def stop_reason(self, evaluated, optimizer_asked=True):
        """The rule that holds after a batch (None if none does); ``evaluated``:
        whether it evaluated a new candidate (else it counts as stalled)."""
        self.stalled = 0 if evaluated else self.stalled + 1
        rules = self.stopping
        if rules.exhaustive and optimizer_asked:
            return "space_exhausted"
        if self.spent >= self.n_iter:
            return "n_iter"
        if self.stalled >= MAX_STALLED_BATCHES:
            return "stalled"
        if not self.time_left():
            return "max_time"
        k = rules.n_iter_no_change
        if k is not None and len(self.best_history) > k:
            if self.best_history[-1] <= self.best_history[-1 - k] + rules.tol:
                return "no_change"
        if evaluated and rules.callback is not None and rules.callback(self):
            return "callback"
        return None

    def _warn_stop(self, stop):
        done = self.schedule.done(self)
        if stop == "max_time":
            self._warn_overrun(done)
        if stop == "space_exhausted" and self.schedule.exhausted(self) is not None:
            warn(self.schedule.exhausted(self))
        elif stop == "stalled":
            warn(f"The optimizer proposed no new candidate in {MAX_STALLED_BATCHES} "
                 f"consecutive batches; the search stops after {done}.")


    def _warn_overrun(self, done):
        """Say how far past ``max_time`` the search went, when that is more than a
        second and a twentieth of it (a batch under way finishes)."""
        max_time = self.stopping.max_time
        over = self.elapsed - max_time
        if over <= max(1.0, 0.05 * max_time):
            return
        cut = ("" if self.cut is None else f"; its last batch was cut to {self.cut[0]} of "
               f"its {self.cut[1]} new candidates by the pace so far")
        warn(f"max_time={max_time:g} s: the search stopped after {done} at "
             f"{self.elapsed:.1f} s, {over:.1f} s over, for the batch under way to "
             f"finish{cut}. Give a smaller max_time to end sooner.")


class _FrontVolume:
    """The hypervolume of the full-resource scores of several objectives so far.

    Its reference point is set by the first batch with finite scores
    (:func:`~sksearch.optimizers._pareto.reference_point`) and then kept, so
    that the volume only grows: what :attr:`Loop.best_history` holds with
    several objectives (``n_iter_no_change`` and ``tol`` read it).
    """

    def __init__(self):
        self.points, self.reference = [], None

    def add(self, scores):
        """Add a batch's scores (rows, maximized); return the volume after each row."""
        finite = np.isfinite(scores).all(axis=1)
        if self.reference is None and finite.any():
            self.reference = reference_point(scores[finite])
        volumes = []
        for score, ok in zip(scores, finite):
            if ok:
                self.points.append(score)
            volumes.append(hypervolume(np.array(self.points), self.reference) if self.points
                           else 0.0)
        return volumes


class _Immediate:
    """An evaluator made of a function: evaluated when the loop waits for it."""

    def __init__(self, evaluate):
        self.evaluate = evaluate

    def start(self, iteration, X, rows, rung=None):
        args = (iteration, X, rows) if rung is None else (iteration, X, rows, rung)
        return _Later(self.evaluate, args)


class _Later:
    def __init__(self, function, args):
        self.function, self.args = function, args

    def finish(self):
        return self.function(*self.args)
