"""The schedule of a multi-fidelity search: one bracket of successive halving per step.

Each step asks the optimizer for a bracket's entrants, evaluates them at
the bracket's cheapest rung, promotes the best of each rung to the next
(one batch per rung) and tells the optimizer the whole ask once the
bracket is over, with what each candidate is worth on the full-resource
scale (:meth:`Brackets.worth`); ``optimizer.observe`` sees every rung's raw
scores first. The arithmetic (plans, promotions, worth, rank agreement) is
:class:`~sksearch.engine.fidelity._brackets.Brackets`'; this module only
runs it through the loop.

The search's first bracket, of 27 entrants or more (four rungs), first climbs
with a ``factor``-th of them (9, then 3, 1 and 1 at the full resource), so that a
full-resource score comes after a few full-resource fits' worth of CPU;
then the whole bracket climbs as planned, fitting at each rung only the
candidates not evaluated there yet. What the narrow climb costs beyond the
bracket is the few it promoted that the wide climb would not have.

The last rung of a bracket holds one or two candidates: a few fits, while
the workers could take many. For an optimizer that may be asked before its
last batch is told (``asks_ahead``, the GP), the next bracket is therefore
asked and its entry rung started while that last rung is evaluated, both in
flight at once. The rule is fixed (the last rung of every bracket of more
than one rung), never a function of ``n_jobs`` or of timing: the asks, the
tells and what the optimizer knows at each ask are the same in every run,
and so are the results. When a stopping rule holds after the last rung, the
entry rung started beside it is dropped, neither waited for nor recorded.
"""

from collections import namedtuple

import numpy as np

#: A bracket asked: its ask ``X`` (keys ``keys``, new rows ``rows``), its plan, the rows
#: in it (``members``) and, when started beside the last rung of the bracket before,
#: the handle of its entry rung.
_Entry = namedtuple("_Entry", "X keys rows plan members handle")


class BracketSchedule:
    """Runs :class:`Brackets` through the loop (see :mod:`sksearch.engine._schedules`).

    Parameters
    ----------
    brackets : Brackets
        The ladder and its plans; rungs are indices into ``brackets.resources``.
    """

    def __init__(self, brackets):
        self.brackets = brackets
        self._worth = {}  # candidate key -> value told
        self._rung_scores = {}  # rung -> finite scores seen there
        self._entry = None  # the next bracket, started beside the last rung of this one
        self._first = True  # no bracket run yet
        self._evaluated = {}  # (rung, promoted) -> candidates evaluated so far

    def warm_start(self, loop, X):
        """Known settings are evaluated at the full resource."""
        keys = loop.layout.keys(X)
        rows = loop.new_rows(keys)
        if rows:
            top = self.brackets.top
            handle = loop.evaluator.start(loop.iteration, X, rows, top)
            scores = np.asarray(handle.finish(), dtype=float)
            self._measure(handle)
            self._record(loop, X, keys, np.array(rows), scores, top, 1.0)
            self._worth.update({keys[r]: v for r, v in zip(rows, scores)})
        return keys, bool(rows)

    def step(self, loop):
        """Run one bracket; return the stop reason or None."""
        entry, self._entry = self._entry, None
        if entry is None:
            entry = self._ask(loop, loop.n_iter - loop.spent)
            if isinstance(entry, str):
                return entry
        X, keys, rows, plan, members = entry[:5]
        if not rows:
            loop.tell(X, keys, self._worth)
            loop.iteration += 1
            return loop.stop_reason(False, optimizer_asked=False)
        known = {}
        if self._narrow_first(loop, plan):  # a full-resource score early, nearly free
            counts = [max(1, plan.n[0] // int(self.brackets.factor) ** (j + 1))
                      for j in range(len(plan.rungs))]
            stop, rung_scores, _ = self._climb(loop, entry, counts, known)
            if stop is not None:
                return stop
            entry = entry._replace(handle=None)
        stop, rung_scores, split_scores = self._climb(loop, entry, None, known)
        if len(rung_scores) < len(plan.rungs):  # stopped below the top
            return stop
        self._charge_again(loop)
        self.brackets.learn(plan, rung_scores, after_iteration=loop.iteration - 1,
                            split_scores=split_scores)
        for row, worth in zip(members, self.brackets.worth(rung_scores)):
            self._worth[keys[row]] = worth
        if stop is None and plan.n[0] < len(rows):  # the budget ends within this ask
            stop = "n_iter"
        if stop is None and loop.stopping.exhaustive:  # the whole space was the bracket
            stop = "space_exhausted"
        if stop is not None:
            self._entry = None  # a bracket started meanwhile is dropped
            return stop
        loop.tell(X, keys, self._worth)
        return None

    def _narrow_first(self, loop, plan):
        """Whether the search's first bracket first climbs with a ``factor``-th of its
        entrants (9 of 27): they reach the full resource after a fraction of the
        bracket, and the wide climb that follows reuses every score they got. Only
        when that is ``factor ** 2`` entrants or more: 1 of 3 (a ladder of three
        rungs) lost later on the forest of ``benchmarks.fidelity_time``."""
        first, self._first = self._first, False
        return (first and getattr(loop.optimizer, "flexible_batch", False)
                and plan.n[0] // self.brackets.factor >= self.brackets.factor ** 2)

    def _ask(self, loop, remaining, pending=frozenset()):
        """Ask the next bracket's entrants and plan it within ``remaining``: an
        :class:`_Entry` (not started), or the stop reason when no bracket fits.
        ``pending``: the keys of the bracket under way, which are not new."""
        brackets = self.brackets
        flexible = getattr(loop.optimizer, "flexible_batch", False)
        plan = brackets.plan(remaining, iteration=loop.iteration) if flexible else None
        if flexible and plan is None:
            return "n_iter"
        X = loop.ask(plan.n[0]) if flexible else loop.ask()
        keys = loop.layout.keys(X)
        rows = self._new_rows(keys, pending)
        if not rows:
            return _Entry(X, keys, rows, None, None, None)
        if flexible:  # the ask may hold fewer new candidates than planned
            plan = brackets.resize(plan, min(len(rows), plan.n[0]))
        else:
            plan = brackets.plan(remaining, n_candidates=len(rows), iteration=loop.iteration)
            if plan is None:
                return "n_iter"
        return _Entry(X, keys, rows, plan, np.array(rows[: plan.n[0]]), None)

    def _ask_beside(self, loop, pending_cost, pending):
        """The next bracket, asked and its entry rung started while the last rung of this
        one (costing ``pending_cost``; its bracket's keys ``pending``) is evaluated;
        None when none fits or time is up."""
        if not loop.time_left():
            return None
        loop.iteration += 1  # the batch about to be asked
        entry = self._ask(loop, loop.n_iter - loop.spent - pending_cost, pending)
        if not isinstance(entry, str) and entry.rows:
            handle = loop.evaluator.start(loop.iteration, entry.X, entry.members.tolist(),
                                          entry.plan.rungs[0])
            entry = entry._replace(handle=handle)
        loop.iteration -= 1
        return None if isinstance(entry, str) else entry

    def _new_rows(self, keys, pending=frozenset()):
        """Rows of an ask not entered in a bracket yet (the first of equal ones)."""
        rows, seen = [], set()
        for i, key in enumerate(keys):
            if key not in self._worth and key not in pending and key not in seen:
                seen.add(key)
                rows.append(i)
        return rows

    def _climb(self, loop, entry, counts=None, known=None):
        """Evaluate the bracket rung by rung; ``(stop reason, each rung's scores, each
        rung's per-split scores or None)``.

        ``counts``: the candidates at each rung (default: the plan's; the first of the
        bracket's members enter). ``known``: rung index -> (scores, per-split scores,
        evaluated) over the members, filled as rungs are evaluated; a candidate
        evaluated at a rung already is not evaluated there again.
        """
        X, keys, _, plan, members, handle = entry
        counts, known = (plan.n if counts is None else counts), ({} if known is None else known)
        beside = (getattr(loop.optimizer, "asks_ahead", False) and len(plan.rungs) > 1
                  and getattr(loop.optimizer, "flexible_batch", False) and counts is plan.n)
        alive, n = np.arange(counts[0]), len(members)  # indices into members
        rung_scores, split_scores, stop = [], [], None
        for j, rung in enumerate(plan.rungs):
            scores, splits, done = known.setdefault(j, [None, [None], np.zeros(n, dtype=bool)])
            todo = alive[~done[alive]]
            if len(todo):
                if handle is None:
                    handle = loop.evaluator.start(loop.iteration, X, members[todo].tolist(),
                                                  rung)
                if beside and j + 1 == len(plan.rungs):
                        self._entry = self._ask_beside(loop, len(todo) * plan.costs[j],
                                                   {keys[r] for r in members})
                values = np.asarray(handle.finish(), dtype=float)  # (n,) or (n, objectives)
                if scores is None:
                    scores = known[j][0] = np.full((n,) + values.shape[1:], np.nan)
                scores[todo], done[todo] = values, True
                splits[0] = self._split_scores(handle, todo, n, splits[0])
                self._measure(handle)
                handle = None
                self._record(loop, X, keys, members[todo], scores[todo], rung, plan.costs[j],
                             promoted=j > 0)
                stop = loop.stop_reason(True, optimizer_asked=False)
                loop.iteration += 1
            rung_scores.append(scores.copy())
            split_scores.append(splits[0])
            if j + 1 == len(plan.rungs) or stop is not None:
                break
            alive = alive[self.brackets.promote(scores[alive], counts[j + 1])]
        if any(s is None for s in split_scores):
            split_scores = None
        return stop, rung_scores, split_scores

    @staticmethod
    def _split_scores(handle, rows, n, splits=None):
        """``splits`` (NaN rows where not evaluated; new when None) with the per-split
        scores of the ``rows`` just evaluated, or None when the evaluator gives none."""
        found = getattr(handle, "split_scores", None)
        if found is None:
            return None
        if splits is None:
            splits = np.full((n, found.shape[1]), np.nan)
        splits[rows] = found
        return splits

    def _measure(self, handle):
        """Tell the rung costs what the fits just finished trained and took."""
        if getattr(handle, "fit_seconds", None) is not None:
            self.brackets.costs.add(handle.trained, handle.fit_seconds)

    def _record(self, loop, X, keys, rows, scores, rung, cost, promoted=False):
        """Record a rung's scores (full-resource ones as best scores), each costing
        ``cost`` of the budget (``promoted``: from the rung below), and let the
        optimizer ``observe`` them, failures as the worst score seen at the rung
        (with several objectives it learns only what candidates are worth, in ``tell``)."""
        seen = self._rung_scores.setdefault(rung, [])
        seen.extend(scores[np.isfinite(scores)].tolist() if scores.ndim == 1 else [])
        if seen:
            told = np.where(np.isfinite(scores), scores, min(seen))
            loop.optimizer.observe(X[rows], told, self.brackets.resources[rung]
                                   / self.brackets.resources[-1])
        self._evaluated[rung, promoted] = self._evaluated.get((rung, promoted), 0) + len(rows)
        loop.record(keys, rows, scores, cost=cost, full=rung == self.brackets.top)

    def _charge_again(self, loop):
        """With costs by seconds, once a bracket is over: the budget spent is every
        evaluation so far at the costs measured now (a bracket is charged as planned
        while it runs, so that it always reaches the full resource)."""
        if self.brackets.costs.measure:
            loop.spent = sum(n * self.brackets.cost(*how) for how, n in self._evaluated.items())

    def done(self, loop):
        return (f"{len(loop.scores)} candidates ({loop.spent:.1f} of n_iter={loop.n_iter} "
                "full-resource fits)")

    def progress(self, loop):
        return (f"{len(loop.scores)} candidates, {loop.spent:.1f}/{loop.n_iter} "
                "full-resource fits")

    def exhausted(self, loop):
        if len(self.brackets.resources) == 1:  # fit said so before any fit
            return None
        return (f"The space has only {len(loop.scores)} distinct candidates, no more than "
                f"the budget of n_iter={loop.n_iter} full-resource fits tries: all of them "
                "were evaluated, in one bracket of successive halving.")
