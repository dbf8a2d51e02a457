"""Brackets of successive halving, as Hyperband runs them, on a ladder of resources.

Pure arithmetic on scores: :class:`Brackets` plans which candidates are
evaluated at which resource, promotes the best of each rung, says what a
bracket's candidates are worth to an optimizer, and watches whether cheap
rungs rank candidates as the next rung does. The bracket schedule
(:mod:`._schedule`) runs the plans; nothing here fits or knows an estimator.

The ladder has ``L + 1`` rungs, ``resources[k] = max * factor ** (k - L)``
rounded (rung ``L`` is the full resource). Bracket ``s`` starts ``n_s``
candidates at rung ``L - s`` and keeps the best ``1 / factor`` of them at
each rung up to ``L``; the brackets cycle ``s = s_max, ..., 0`` as in
Hyperband (Li et al., JMLR 2018), so that every round hedges the cheap
brackets with one at the full resource. ``n_s`` makes every bracket cost
about ``s_max + 1`` full-resource evaluations.

Rank agreement: a cheap rung is useful only if it ranks candidates as the
next rung does. After each bracket, the Spearman correlation between the
scores of the candidates promoted from rung ``k`` at ``k`` and at ``k + 1``
(pooled over brackets) is corrected for the selection of those candidates
(they are the best of rung ``k``, whose scores therefore spread less:
Thorndike's case 2 correction with the spread ratio measured at ``k``). A
rung is dropped with every rung below it (they rank by it), and later
brackets start above it, on evidence only: its corrected agreement is below
:data:`MIN_AGREEMENT`, measured on at least :data:`MIN_PAIRS` candidates,
*and* their scores at ``k + 1`` are out of rung ``k``'s order by more than
the cross-validation noise of rung ``k + 1`` explains (p-value below
:data:`EVIDENCE_LEVEL`, :func:`~sksearch.engine.fidelity._evidence.disorder_beyond_noise`;
the noise is measured from their per-split scores). Promoted candidates that
differ at the next rung by less than its noise do not drop a rung.

A dropped rung comes back: after a round of brackets without it (as many
brackets as the shortened ladder has rungs), one bracket starts at the
bottom of the ladder again and the dropped rungs are judged afresh on the
candidates it promotes (the optimizer proposes other candidates by then). A
rung dropped again waits twice as long before its next try.
"""

import math

import numpy as np
from scipy.stats import rankdata

from ...optimizers._pareto import crowded_order
from ._costs import RungCosts
from ._evidence import disorder_beyond_noise, split_noise

#: Corrected rank agreement below which a cheap rung is dropped.
MIN_AGREEMENT = 0.5
#: Candidates promoted from a rung before its agreement is judged.
MIN_PAIRS = 8
#: Chance, below which a disagreement is not cross-validation noise.
EVIDENCE_LEVEL = 0.05


def ladder(min_resources, max_resources, factor):
    """The resources of the rungs (values, increasing): ``max * factor ** -j`` down to ``min``, increasing.

    Rounded to integers; the ladder stops at the first rung that rounds below
    ``min_resources`` or to the rung above.

    Examples
    --------
    >>> ladder(10, 300, 3)
    [11, 33, 100, 300]
    >>> ladder(1, 1, 3)
    [1]
    """
    values = [int(max_resources)]
    while True:
        value = int(round(max_resources / factor ** len(values)))
        if value < max(min_resources, 1):
            break
        if value < values[-1]:
            values.append(value)
        else:
            break
    return values[::-1]


class Bracket:
    """One bracket's plan: ``n[j]`` candidates at rung ``rungs[j]``.

    Attributes
    ----------
    rungs : list of int
        The ladder rungs the bracket climbs, increasing, ending at the top.
    n : list of int
        Candidates evaluated at each of them.
    costs : list of float
        What one candidate is charged at each of them, in full-resource
        evaluations, as planned (the entry rung from zero, the others promoted).
    """

    def __init__(self, rungs, n, costs=None):
        self.rungs, self.n = list(rungs), list(n)
        self.costs = list(costs) if costs is not None else [1.0] * len(self.rungs)

    def __repr__(self):
        return f"Bracket(rungs={self.rungs}, n={self.n})"


class Brackets:
    """Plans Hyperband's brackets and decides promotions on a ladder of resources.

    Parameters
    ----------
    resources : list of int
        The ladder (see :func:`ladder`), increasing; the last is the full resource.
    factor : float
        Each rung keeps the best ``1 / factor`` of its candidates.
    costs : RungCosts, default=None
        What a candidate costs at each rung (:mod:`._costs`); None: the
        resource over the full resource.

    Attributes
    ----------
    min_rung : int
        The lowest rung brackets start at (raised when cheap rungs disagree
        with the next one).
    agreement : dict
        Rung -> ``(corrected Spearman correlation, number of pairs, chance
        that the next rung's noise alone explains their disorder)``, as
        last measured.
    dropped : list of dict
        Each decision to drop rungs: the resources dropped, the agreement
        (of the highest of them with the next rung), its number of pairs,
        the noise's chance, and ``back_at_iteration`` (the first iteration
        of the bracket that tried them again; None until then).

    Examples
    --------
    >>> b = Brackets([11, 33, 100, 300], factor=3)
    >>> [b.plan(remaining=100.0) for _ in range(4)]  # doctest: +NORMALIZE_WHITESPACE
    [Bracket(rungs=[0, 1, 2, 3], n=[27, 9, 3, 1]), Bracket(rungs=[1, 2, 3], n=[12, 4, 1]),
     Bracket(rungs=[2, 3], n=[6, 2]), Bracket(rungs=[3], n=[4])]
    >>> b.promote([0.5, 0.9, np.nan, 0.9, 0.1], 2)  # ties: the earlier row first
    [1, 3]
    """

    def __init__(self, resources, factor, costs=None):
        self.resources = [int(r) for r in resources]
        self.factor = float(factor)
        self.costs = RungCosts(self.resources) if costs is None else costs
        self.top = len(self.resources) - 1
        self.min_rung = 0
        self.agreement = {}
        self.dropped = []
        self._pairs = {}  # rung -> list of (score at rung, score at rung + 1)
        self._noise = {}  # rung -> per-split scores at rung + 1 of its pairs
        self._spread = {}  # rung -> scores of every candidate evaluated there
        self._next_s = None
        self._away = None  # brackets left before the dropped rungs are tried again

    def cost(self, rung, promoted=False):
        """A candidate's cost at ``rung``, in full-resource evaluations; ``promoted``:
        it came from the rung below (see :class:`~._costs.RungCosts`)."""
        return self.costs.cost(rung, promoted)

    @staticmethod
    def bracket_cost(bracket):
        return sum(n * cost for n, cost in zip(bracket.n, bracket.costs))

    def floor(self):
        """The lowest rung brackets start at: above every rung dropped for its
        ranks, and above every rung that costs nearly what the next one does."""
        return max(self.min_rung, self.costs.floor(self.factor))

    # ------------------------------------------------------------------ plans
    def plan(self, remaining, n_candidates=None, iteration=None):
        """The next bracket, fitted into ``remaining`` full-resource evaluations.

        Parameters
        ----------
        remaining : float
            Budget left. A bracket that would cost more keeps fewer
            candidates, then starts higher; None when not even one
            full-resource evaluation fits.
        n_candidates : int, default=None
            The number of candidates the optimizer proposes at once (a
            swarm, a population); None when it proposes any number.
            The bracket starts at most ``ceil(log_factor(n_candidates))``
            rungs below the top (each rung keeps at least one candidate).
        iteration : int, default=None
            The bracket's first iteration, recorded when it tries dropped
            rungs again.
        """
        self._count_down(iteration)
        s_max = self.top - self.floor()
        if self._next_s is None or self._next_s > s_max:
            self._next_s = s_max
        s = self._next_s
        self._next_s = s - 1 if s > 0 else s_max
        if n_candidates is not None:
            s = min(s, int(math.ceil(math.log(n_candidates) / math.log(self.factor) - 1e-9)))
        while s >= 0:
            n = n_candidates if n_candidates is not None else self._entrants(s, s_max)
            while n >= 1:
                bracket = self._bracket(s, n)
                if self.bracket_cost(bracket) <= remaining + 1e-9:
                    return bracket
                n -= 1
            s -= 1
        return None

    def _entrants(self, s, s_max):
        """Entrants of bracket ``s`` so that it costs about ``s_max + 1`` full-resource
        evaluations (Hyperband's ``ceil((s_max + 1) / (s + 1) * factor ** s)`` when a rung
        costs its resource)."""
        if not self.costs.measured:
            return math.ceil((s_max + 1) / (s + 1) * self.factor ** s)
        top = self.top
        per_entrant = sum(self.cost(top - s + j, promoted=j > 0) / self.factor ** j
                          for j in range(s + 1))
        return max(1, math.ceil((s_max + 1) / per_entrant - 1e-9))

    def _count_down(self, iteration):
        """One more bracket planned: after a round without them, dropped rungs come back."""
        if self._away is None:
            return
        if self._away > 0:
            self._away -= 1
            return
        self._away = None
        for rung in range(self.min_rung):  # judged afresh on the candidates of now
            for pooled in (self._pairs, self._noise, self.agreement):
                pooled.pop(rung, None)
        self.min_rung, self._next_s = 0, self.top
        self.dropped[-1]["back_at_iteration"] = iteration

    def candidates_per_evaluation(self):
        """Distinct candidates a round of brackets tries per full-resource evaluation
        it costs: what sizes a strategy's defaults (a swarm, a population) for a
        budget counted in full-resource evaluations."""
        s_max = self.top - self.floor()
        plans = [self._bracket(s, math.ceil((s_max + 1) / (s + 1) * self.factor ** s))
                 for s in range(s_max + 1)]
        return sum(p.n[0] for p in plans) / sum(self.bracket_cost(p) for p in plans)

    def resize(self, bracket, n):
        """``bracket`` started with ``n`` candidates (fewer than planned)."""
        return self._bracket(len(bracket.rungs) - 1, n)

    def _bracket(self, s, n):
        rungs = list(range(self.top - s, self.top + 1))
        counts = [max(1, int(n // self.factor ** j)) for j in range(s + 1)]
        return Bracket(rungs, counts, [self.cost(r, promoted=j > 0) for j, r in enumerate(rungs)])

    @staticmethod
    def promote(scores, n):
        """Rows of the ``n`` best ``scores`` (NaN last, ties to the earlier row), in order.

        With several objectives (``scores`` of shape ``(k, m)``), the best by
        non-dominated rank, then crowding (NSGA-II's crowded order).

        Examples
        --------
        >>> Brackets.promote([0.5, np.nan, 0.9, 0.7], 2)
        [2, 3]
        >>> Brackets.promote([[1, 0], [0, 0], [0, 1], [0.5, 0.5]], 2)
        [0, 2]
        """
        scores = np.asarray(scores, dtype=float)
        if scores.ndim == 2:
            finite = np.isfinite(scores).all(axis=1)
            best = np.flatnonzero(finite)[crowded_order(scores[finite])]
            return sorted(np.concatenate([best, np.flatnonzero(~finite)])[:n].tolist())
        key = np.where(np.isfinite(scores), -scores, np.inf)
        return sorted(np.argsort(key, kind="stable")[:n].tolist())

    # ------------------------------------------------------------------ values
    @staticmethod
    def worth(rung_scores):
        """What each candidate of a finished bracket is worth, on the full-resource scale.

        Parameters
        ----------
        rung_scores : list of ndarray
            For each rung of the bracket, the score of every candidate of
            the bracket (NaN where it did not reach the rung, or failed).

        Returns
        -------
        ndarray
            The full-resource score of the candidates that reached the top;
            a candidate stopped lower is worth less than every candidate that
            went further, and among those stopped at one rung the order (and
            differences) of their scores there is kept. Candidates that
            failed everywhere get NaN (the loop tells them as failures).
            With several objectives (each rung's scores of shape ``(k, m)``),
            each objective on its own, so that a candidate stopped lower is
            dominated by every candidate that went further.
        """
        if np.ndim(rung_scores[0]) == 2:
            return np.column_stack([Brackets.worth([np.asarray(s)[:, c] for s in rung_scores])
                                    for c in range(np.shape(rung_scores[0])[1])])
        n = len(rung_scores[0])
        worth = np.full(n, np.nan)
        floor = None
        for scores in reversed(rung_scores):
            scores = np.asarray(scores, dtype=float)
            here = np.isnan(worth) & np.isfinite(scores)
            if here.any():
                values = scores[here]
                if floor is not None:
                    spread = max(values.max() - values.min(), abs(floor) * 1e-6, 1e-12)
                    values = floor - 1e-3 * spread - (values.max() - values)
                worth[here] = values
                floor = np.nanmin(worth)
        return worth

    # ------------------------------------------------------------------ agreement
    def learn(self, bracket, rung_scores, after_iteration=None, split_scores=None):
        """Pool a finished bracket's promotions and drop rungs that rank badly.

        ``after_iteration`` (the bracket's last batch, in ``cv_results_``'
        terms) is recorded in a decision to drop rungs taken now.
        ``split_scores``, for each rung of the bracket, holds the per-split
        scores of its candidates (shape ``(n_candidates, n_splits)``, NaN
        where they did not reach the rung): the cross-validation noise.
        None: unknown, and any disorder counts as evidence. With several
        objectives no rung is judged: agreement is that of one ranking.
        """
        if np.ndim(rung_scores[0]) == 2:
            return
        for j in range(len(bracket.rungs) - 1):
            rung = bracket.rungs[j]
            low = np.asarray(rung_scores[j], dtype=float)
            high = np.asarray(rung_scores[j + 1], dtype=float)
            self._spread.setdefault(rung, []).extend(low[np.isfinite(low)].tolist())
            both = np.isfinite(low) & np.isfinite(high)
            self._pairs.setdefault(rung, []).extend(zip(low[both], high[both]))
            if split_scores is not None:
                self._noise.setdefault(rung, []).extend(np.asarray(split_scores[j + 1])[both])
        for rung in sorted(self._pairs):
            pairs = np.array(self._pairs[rung])
            if len(pairs) < 3 or np.ptp(pairs[:, 0]) == 0 or np.ptp(pairs[:, 1]) == 0:
                continue  # scores that all tie say nothing of the ranking
            noise = split_noise(np.array(self._noise[rung]))[0] if self._noise.get(rung) \
                else float("nan")
            self.agreement[rung] = (self._corrected_agreement(rung, pairs), len(pairs),
                                    disorder_beyond_noise(pairs[:, 0], pairs[:, 1], noise))
        self._drop(after_iteration)

    def _drop(self, after_iteration):
        """Drop the highest rung (and those below it) that ranks unlike the next one
        by more than the noise explains."""
        for rung in sorted(self.agreement, reverse=True):
            rho, n, chance = self.agreement[rung]
            if (rung >= self.min_rung and n >= MIN_PAIRS and rho < MIN_AGREEMENT
                    and chance < EVIDENCE_LEVEL):
                self.dropped.append({"resources": self.resources[self.min_rung:rung + 1],
                                     "agreement": rho, "n_pairs": n, "noise_chance": chance,
                                     "after_iteration": after_iteration,
                                     "back_at_iteration": None})
                self.min_rung = rung + 1
                # a round of brackets on the shorter ladder, longer after each repeat
                self._away = (self.top - self.min_rung + 1) * 2 ** (len(self.dropped) - 1)
                break

    def _corrected_agreement(self, rung, pairs):
        low, high = pairs[:, 0], pairs[:, 1]
        rho = float(np.corrcoef(rankdata(low), rankdata(high))[0, 1])
        everyone = np.asarray(self._spread[rung])
        u = (np.var(low) / np.var(everyone)) if np.var(everyone) > 0 else 1.0
        u = min(max(u, 1e-3), 1.0)
        # Thorndike's case 2: the correlation had everyone been promoted
        return float(rho / math.sqrt(u + rho**2 * (1 - u)))
