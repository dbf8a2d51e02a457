"""Feasible proposals only: any optimizer, under parameter constraints."""

from collections import deque

import numpy as np

from ._base import Optimizer
from ._distinct import KnownPoints

#: Uniform points drawn per round of rejection sampling, and at most in all per ask.
DRAWS_PER_ROUND = 256
MAX_DRAWS = 20_000


class Constrained(Optimizer):
    """An optimizer whose every asked point meets the search's parameter constraints.

    ``feasible(X) -> bool mask`` says which points of the cube may be
    evaluated. Infeasible points are avoided in three ways:

    * **inside the optimizer**, for those that keep a
      :class:`~sksearch.optimizers._distinct.KnownPoints` (the swarm, the
      population, the GP and the TPE): an infeasible point counts as taken,
      so the acquisition's global sample and a population's prescreened
      children skip it (rejection among the candidates a proposal is chosen
      from), and a point asked anyway (an initial design, a particle's
      move, a child, the TPE's best candidate: see its
      ``repairs_proposals``) is *repaired*: moved to the nearest free point
      found among nudges of growing size, then uniform draws
      (:meth:`KnownPoints.free_near`). The optimizer's own
      batches, its pending ones included, are then feasible as it knows them;
    * **rejection** for what is still infeasible (a sampler that keeps no
      points, or a repair that found nothing): the row is replaced by a
      uniform feasible draw of this wrapper's own random stream;
    * **dropped**: with ``drop=True`` (the exhaustive optimizer's one
      batch, the whole space) and when no feasible draw is found.

    The wrapped optimizer is told its own rows, in the order it asked
    them, with the scores of those evaluated; a row this wrapper replaced
    or dropped (it broke a constraint) is told the worst score seen, as a
    failure would be. Everything else (``seed``, ``observe``,
    ``set_budget``, ``flexible_batch``, ``asks_ahead``, the optimizer's
    attributes) is the wrapped optimizer's.

    Parameters
    ----------
    optimizer : Optimizer
        The optimizer to constrain.
    feasible : callable
        ``feasible(X)`` for rows of the cube: a bool mask.
    random_state : int, numpy.random.Generator or None, default=None
        Seed of the rejection draws.
    drop : bool, default=False
        Drop infeasible rows instead of replacing them.

    Examples
    --------
    >>> import numpy as np
    >>> from sksearch.optimizers import RandomSampler
    >>> from sksearch.optimizers._constrained import Constrained
    >>> from sksearch.space import Space, Real
    >>> space = Space({"x": Real(0.0, 1.0), "y": Real(0.0, 1.0)})
    >>> below = lambda X: np.array([p["x"] + p["y"] <= 1 for p in space.decode(X)])
    >>> opt = Constrained(RandomSampler(space.layout, batch_size=50, random_state=0), below,
    ...                   random_state=0)
    >>> X = opt.ask()
    >>> X.shape, bool(below(X).all())
    ((50, 2), True)
    >>> opt.tell(X, -X.sum(axis=1))
    """

    def __init__(self, optimizer, feasible, *, random_state=None, drop=False):
        super().__init__(optimizer.layout, random_state=random_state,
                         n_objectives=getattr(optimizer, "n_objectives", 1))
        self.optimizer, self.feasible, self.drop = optimizer, feasible, drop
        known = getattr(optimizer, "known", None)
        if isinstance(known, KnownPoints):
            known.feasible = feasible
        self._asked = deque()  # per batch asked and not told: (its X, rows kept, rows replaced)
        self._worst = None  # the worst score told so far (per objective)

    def __getattr__(self, name):
        if name == "optimizer":  # not set yet (unpickling): no recursion
            raise AttributeError(name)
        return getattr(self.optimizer, name)

    @property
    def flexible_batch(self):
        return getattr(self.optimizer, "flexible_batch", False)

    @property
    def asks_ahead(self):
        return getattr(self.optimizer, "asks_ahead", False)

    def ask(self, n=None):
        X = np.atleast_2d(np.asarray(self.optimizer.ask() if n is None
                                     else self.optimizer.ask(n), dtype=float))
        ok = self.feasible(X) if len(X) else np.zeros(0, dtype=bool)
        out, kept = X.copy(), ok.copy()
        bad = np.flatnonzero(~ok)
        if len(bad) and not self.drop:
            draws = self._feasible_draws(len(bad), self.layout.keys(X[ok]))
            out[bad[:len(draws)]] = draws
            kept[bad[:len(draws)]] = True
        self._asked.append((X, np.flatnonzero(kept), ~ok))
        return out[kept]

    def tell(self, X, y):
        inner_X, kept, replaced = self._asked.popleft()
        y = np.asarray(y, dtype=float)
        if len(y):
            low = y.min(axis=0)
            self._worst = low if self._worst is None else np.minimum(self._worst, low)
        worst = 0.0 if self._worst is None else self._worst
        shape = (len(inner_X),) if self.n_objectives == 1 else (len(inner_X), self.n_objectives)
        told = np.empty(shape)
        told[...] = worst
        told[kept] = y
        told[replaced] = worst  # the optimizer's own point there broke a constraint
        self.optimizer.tell(inner_X, told)

    def seed(self, X, y):
        self.optimizer.seed(X, y)

    def observe(self, X, y, fidelity):
        self.optimizer.observe(X, y, fidelity)

    def set_budget(self, n_iter):
        self.optimizer.set_budget(n_iter)

    def _feasible_draws(self, n, taken_keys):
        """Up to ``n`` distinct snapped uniform points that are feasible and not in
        ``taken_keys``, in rounds of :data:`DRAWS_PER_ROUND`, at most :data:`MAX_DRAWS`."""
        found, seen = [], set(taken_keys)
        for _ in range(MAX_DRAWS // DRAWS_PER_ROUND):
            P = self.layout.snap(self.layout.random(DRAWS_PER_ROUND, self.rng))
            for point, key, ok in zip(P, self.layout.keys(P), self.feasible(P)):
                if ok and key not in seen:
                    seen.add(key)
                    found.append(point)
                    if len(found) == n:
                        return np.array(found)
        return np.array(found).reshape(-1, self.layout.n_dims)
