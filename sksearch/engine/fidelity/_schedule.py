"""The schedule of a multi-fidelity search: one bracket of successive halving per step.

Each step asks the optimizer for a bracket's entrants, evaluates them at
the bracket's cheapest rung, promotes the best of each rung to the next
(one batch per rung) and tells the optimizer the whole ask once the
bracket is over, with what each candidate is worth on the full-resource
scale (:meth:`Brackets.worth`); ``optimizer.observe`` sees every rung's raw
scores first. The arithmetic (plans, promotions, worth, rank agreement) is
:class:`~sksearch.engine.fidelity._brackets.Brackets`'; this module only
runs it through the loop.
"""

import numpy as np


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

    def warm_start(self, loop, X):
        """Known settings are evaluated at the full resource."""
        keys = loop.layout.keys(X)
        rows = loop.new_rows(keys)
        if rows:
            top = self.brackets.top
            scores = np.asarray(loop.evaluator.start(loop.iteration, X, rows, top).finish(),
                                dtype=float)
            self._record(loop, X, keys, np.array(rows), scores, top)
            self._worth.update({keys[r]: v for r, v in zip(rows, scores)})
        return keys, bool(rows)

    def step(self, loop):
        """Run one bracket; return the stop reason or None."""
        brackets, remaining = self.brackets, loop.n_iter - loop.spent
        flexible = getattr(loop.optimizer, "flexible_batch", False)
        plan = brackets.plan(remaining) if flexible else None
        if flexible and plan is None:
            return "n_iter"
        X = loop.ask(plan.n[0]) if flexible else loop.ask()
        keys = loop.layout.keys(X)
        rows = self._new_rows(keys)
        if not rows:
            loop.tell(X, keys, self._worth)
            loop.iteration += 1
            return loop.stop_reason(False, optimizer_asked=False)
        if flexible:  # the ask may hold fewer new candidates than planned
            plan = brackets.resize(plan, min(len(rows), plan.n[0]))
        else:
            plan = brackets.plan(remaining, n_candidates=len(rows))
            if plan is None:
                return "n_iter"
        members = np.array(rows[: plan.n[0]])  # rows of X in the bracket
        stop, rung_scores = self._climb(loop, plan, X, keys, members)
        if len(rung_scores) < len(plan.rungs):  # stopped below the top
            return stop
        brackets.learn(plan, rung_scores, after_iteration=loop.iteration - 1)
        for row, worth in zip(members, brackets.worth(rung_scores)):
            self._worth[keys[row]] = worth
        if stop is not None:
            return stop
        if plan.n[0] < len(rows):  # the budget ends within this ask
            return "n_iter"
        if loop.stopping.exhaustive:  # the whole space was the bracket
            return "space_exhausted"
        loop.tell(X, keys, self._worth)
        return None

    def _new_rows(self, keys):
        """Rows of an ask not entered in a bracket yet (the first of equal ones)."""
        rows, seen = [], set()
        for i, key in enumerate(keys):
            if key not in self._worth and key not in seen:
                seen.add(key)
                rows.append(i)
        return rows

    def _climb(self, loop, plan, X, keys, members):
        """Evaluate the bracket rung by rung; ``(stop reason, each rung's scores)``."""
        alive = np.arange(len(members))  # indices into members
        rung_scores, stop = [], None
        for j, rung in enumerate(plan.rungs):
            handle = loop.evaluator.start(loop.iteration, X, members[alive].tolist(), rung)
            values = np.asarray(handle.finish(), dtype=float)  # (n,) or (n, objectives)
            scores = np.full((len(members),) + values.shape[1:], np.nan)
            scores[alive] = values
            rung_scores.append(scores)
            self._record(loop, X, keys, members[alive], scores[alive], rung)
            stop = loop.stop_reason(True, optimizer_asked=False)
            loop.iteration += 1
            if j + 1 == len(plan.rungs) or stop is not None:
                break
            alive = alive[self.brackets.promote(scores[alive], plan.n[j + 1])]
        return stop, rung_scores

    def _record(self, loop, X, keys, rows, scores, rung):
        """Record a rung's scores (full-resource ones as best scores) and let the
        optimizer ``observe`` them, failures as the worst score seen at the rung
        (with several objectives it learns only what candidates are worth, in ``tell``)."""
        seen = self._rung_scores.setdefault(rung, [])
        seen.extend(scores[np.isfinite(scores)].tolist() if scores.ndim == 1 else [])
        if seen:
            told = np.where(np.isfinite(scores), scores, min(seen))
            loop.optimizer.observe(X[rows], told, self.brackets.cost(rung))
        loop.record(keys, rows, scores, cost=self.brackets.cost(rung),
                    full=rung == self.brackets.top)

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
