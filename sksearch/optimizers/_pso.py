"""Particle swarm optimization on the unit cube, built for small budgets."""

import numpy as np

from ..space._cube import reflect, set_choice
from ._distinct import KnownPoints, first_of_each
from ._base import Optimizer, check_tell
from ._pareto import crowded_order, crowding_distance, dominates, non_dominated_ranks

# Velocity clamp, as a fraction of the cube's side: it shrinks linearly from
# the first to the last value as the budget is used (measured in
# benchmarks/pso_functions.py; 0.5 is the usual half-range clamp).
_MAX_VELOCITY = (0.5, 0.1)
# Guaranteed-convergence PSO (van den Bergh & Engelbrecht, 2002): the leader
# samples a box of half-side `rho` around the global best; `rho` doubles after
# _GC_SUCCESSES improvements in a row and halves after _GC_FAILURES misses
# (the paper uses 15 and 5 for runs of thousands of steps).
_GC_RADIUS, _GC_SUCCESSES, _GC_FAILURES = 0.1, 2, 1
# Late exploitation: once this share of the budget is used, this share of the
# swarm (its worst particles) is placed around the global best.
_EXPLOIT_FROM, _EXPLOIT_SHARE = 0.6, 0.3
# A swarm narrower than this (largest spread of a column) has collapsed.
_COLLAPSE_WIDTH = 1e-3
# Most points kept in the archive of a swarm of several objectives (the
# repository of Coello et al., 2004, holds 100 too).
ARCHIVE_SIZE = 100


class ParticleSwarm(Optimizer):
    """Particle swarm optimization (PSO) for small budgets, ask/tell on the cube.

    Each particle ``i`` has a position ``x_i``, a velocity ``v_i`` and the best
    position it has visited, ``p_i``; the swarm shares its best position
    ``g``. One :meth:`ask` moves the whole swarm one step (Kennedy & Eberhart,
    1995; constriction coefficients of Clerc & Kennedy, 2002)::

        v_i <- inertia * v_i + cognitive * r1 * (p_i - x_i) + social * r2 * (g - x_i)
        x_i <- x_i + v_i

    with ``r1``, ``r2`` uniform in [0, 1], drawn per particle and per column.
    The first swarm is a maximin Latin hypercube with zero velocities, in
    which the choices of each categorical parameter appear equally often.

    To do well with tens of evaluations rather than thousands, the swarm is
    small and uses the budget ``n_iter`` when it knows it:

    * the velocity is clamped to a share of the cube's side that shrinks from
      0.5 to 0.1 as the budget is used;
    * a particle leaving the cube is reflected back inside and its velocity
      reversed with a random damping ("reflect" and "random back" of Helwig,
      Branke & Mostaghim, 2013), so particles do not pile up on the walls;
    * the particle holding ``g`` searches a box around it whose size adapts
      to its successes (guaranteed-convergence PSO, van den Bergh &
      Engelbrecht, 2002) instead of standing still;
    * after 60% of the budget, the worst 30% of the particles are placed
      around ``g`` (spread: half the spread of the personal bests);
    * a swarm that has collapsed onto one point re-seeds its worst half at
      fresh points far from every evaluated one;
    * a particle whose position decodes to a candidate already evaluated (or
      already in the batch) moves to a neighbouring unexplored candidate, so
      no ask is wasted on known points.

    **Several objectives** (``n_objectives > 1``; MOPSO, Coello, Pulido &
    Lechuga, 2004): the swarm keeps an external archive of the
    non-dominated points told (at most :data:`ARCHIVE_SIZE`; when it is
    full, the most crowded point leaves, by
    :func:`~sksearch.optimizers._pareto.crowding_distance`). Each particle
    follows, instead of ``g``, a leader drawn from the archive at each step:
    the less crowded of two archive points drawn at random, so leaders come
    from the sparse parts of the front. A particle's own best is replaced
    by a position that dominates it, kept against one it dominates, and
    else replaced with probability 1/2. The late exploitation places its
    particles around their leaders; the leader's box search does not apply
    (there is no single best).

    Integer and log-scale parameters move through the space's encoding
    (bins of the cube); a categorical parameter moves as its block of one
    column per choice (the choice is the largest column), which has no false
    order between the choices. As a choice that was never tried cannot
    attract the swarm, the worst particle takes an untried choice while
    there is one, and in the late phase one of the particles placed around
    ``g`` tries ``g`` with the least tried other choice of a categorical.

    Parameters
    ----------
    layout : CubeLayout
        Meaning of the cube's columns.
    n_particles : int, default=None
        Swarm size, the points per :meth:`ask`. None: about ten swarm steps
        over the budget, ``round(n_iter / 10)``, at least 4 and at most
        ``10 + 2 * sqrt(n_dims)`` (the size of Clerc's standard PSO 2006),
        which is also the size when ``n_iter`` is None.
    n_iter : int, default=None
        Budget of distinct candidates the caller intends to evaluate; the
        swarm size and the schedules above use it. None: no schedule (the
        velocity clamp stays at 0.5 and there is no late exploitation).
    inertia : float, default=0.7298
        Weight of the previous velocity (``w``; Clerc & Kennedy, 2002).
    cognitive : float, default=1.49618
        Pull towards the particle's own best (``c1``).
    social : float, default=1.49618
        Pull towards the swarm's best (``c2``).
    random_state : int, numpy.random.Generator or None, default=None
        Seed.
    n_objectives : int, default=1
        Columns of the scores told (see :class:`~sksearch.optimizers.Optimizer`);
        more than one runs MOPSO (see above).

    Attributes
    ----------
    position_ : ndarray of shape (n_particles, n_dims)
        Positions last told.
    velocity_ : ndarray of shape (n_particles, n_dims)
    best_position_ : ndarray of shape (n_particles, n_dims)
        Best position of each particle.
    best_score_ : ndarray of shape (n_particles,) or (n_particles, n_objectives)
        Score of each particle's best position.
    archive_ : ndarray of shape (n_archived, n_dims)
        With several objectives, the non-dominated positions told (else empty).
    archive_scores_ : ndarray of shape (n_archived, n_objectives)
        Their scores.
    n_steps_ : int
        Swarm steps told.
    n_told_ : int
        Distinct candidates told.

    Examples
    --------
    >>> from sksearch.optimizers._pso import ParticleSwarm
    >>> from sksearch.space import Space, Real
    >>> space = Space({"x": Real(-5.0, 5.0), "y": Real(-5.0, 5.0)})
    >>> opt = ParticleSwarm(space.layout, n_iter=60, random_state=0)
    >>> opt.n_particles
    6
    >>> while opt.n_told_ < 60:  # maximize -(x - 1)^2 - (y + 2)^2
    ...     X = opt.ask()
    ...     opt.tell(X, [-(p["x"] - 1) ** 2 - (p["y"] + 2) ** 2 for p in space.decode(X)])
    >>> best = space.decode(opt.best_position_[[opt.best_score_.argmax()]])[0]
    >>> abs(best["x"] - 1) < 0.1 and abs(best["y"] + 2) < 0.1
    True
    """

    def __init__(
        self,
        layout,
        *,
        n_particles=None,
        n_iter=None,
        inertia=0.7298,
        cognitive=1.49618,
        social=1.49618,
        random_state=None,
        n_objectives=1,
    ):
        super().__init__(layout, random_state=random_state, n_objectives=n_objectives)
        if n_particles is None:
            n_particles = default_n_particles(layout.n_dims, n_iter)
        if int(n_particles) < 2:
            raise ValueError(f"n_particles must be at least 2, got {n_particles!r}")
        self.n_particles = int(n_particles)
        self.n_iter = n_iter
        self.inertia, self.cognitive, self.social = inertia, cognitive, social
        shape = (self.n_particles, layout.n_dims)
        self.position_ = None
        self.velocity_ = np.zeros(shape)
        self.best_position_ = np.zeros(shape)
        self.best_score_ = np.full(self.n_particles if self.n_objectives == 1
                                   else (self.n_particles, self.n_objectives), -np.inf)
        self.archive_ = np.zeros((0, layout.n_dims))
        self.archive_scores_ = np.zeros((0, self.n_objectives))
        self.n_steps_ = 0
        self.n_told_ = 0
        self._asked = None
        self.known = KnownPoints(layout)  # every candidate told
        self._leader = None  # particle that searched around g in the last step
        self._radius = _GC_RADIUS
        self._successes = self._failures = 0
        # candidates told per choice of each categorical parameter
        self._choice_counts = [np.zeros(g.n_levels, int) for g in layout.categorical_groups]

    # ------------------------------------------------------------------ ask/tell
    def ask(self):
        """Return the swarm's next positions, shape ``(n_particles, n_dims)``.

        Asking again before telling returns the same positions.
        """
        if self._asked is None:
            if self.position_ is None:
                X = self.layout.latin_hypercube(self.n_particles, self.rng)
                for group in self.layout.categorical_groups:
                    # every choice as often as the swarm's size allows
                    k = group.n_levels
                    choices = self.rng.permutation(np.resize(self.rng.permutation(k), len(X)))
                    for row, choice in zip(X, choices):
                        set_choice(row, group, choice)
            else:
                X = self._step()
            self._asked = self._avoid_known(X)
        return self._asked.copy()

    def tell(self, X, y):
        """Learn the scores ``y`` of the swarm's positions ``X`` (one row per particle)."""
        X, y = check_tell(X, y, self.layout.n_dims, self.n_objectives)
        if len(X) != self.n_particles:
            raise ValueError(
                f"tell expects the {self.n_particles} positions of the last ask, got {len(X)}"
            )
        previous_best = self.best_score_.max()
        self.position_ = X.copy()
        if self.n_objectives == 1:
            # ">=": on a plateau of equal scores the particle's best follows it.
            improved = y >= self.best_score_
        else:  # by dominance; neither dominating, a coin decides
            improved = (dominates(y, self.best_score_)
                        | (~dominates(self.best_score_, y) & (self.rng.random(len(y)) < 0.5)))
            self._archive(X, y)
        self.best_position_[improved] = X[improved]
        self.best_score_[improved] = y[improved]
        snapped = self.layout.snap(X)
        new = self.known.add(snapped)
        self.n_told_ += int(new.sum())
        for row, mask in zip(snapped[new], self.layout.active(snapped[new])):
            for group, counts in zip(self.layout.categorical_groups, self._choice_counts):
                if mask[group.start]:
                    counts[np.argmax(row[group.columns])] += 1
        if self._leader is not None:
            self._adapt_radius(self.best_score_.max() > previous_best)
        self.n_steps_ += 1
        self._asked = None

    def set_budget(self, n_iter):
        """Stretch the schedule (velocity clamp, late exploitation) to ``n_iter``."""
        if self.n_iter is not None:
            self.n_iter = max(self.n_iter, int(n_iter))

    def seed(self, X, y):
        """Start from points evaluated before the search: the best of them become
        the first particles' own bests (so the swarm is drawn to them from its
        second step), and none is asked again."""
        X, y = check_tell(X, y, self.layout.n_dims, self.n_objectives)
        self.known.add(X)
        if self.n_objectives > 1:
            self._archive(X, y)
        best_first = np.argsort(-y, kind="stable") if self.n_objectives == 1 else crowded_order(y)
        order = best_first[: self.n_particles]
        self.best_position_[: len(order)] = X[order]
        self.best_score_[: len(order)] = y[order]

    # ------------------------------------------------------------------ moves
    def _step(self):
        X, V, P = self.position_, self.velocity_, self.best_position_
        n, d = X.shape
        used = self._budget_used()
        multi = self.n_objectives > 1
        g = None if multi else int(np.argmax(self.best_score_))
        r1, r2 = self.rng.random((n, d)), self.rng.random((n, d))
        guide = self._leaders(n) if multi else P[g]  # whom each particle follows
        V = self.inertia * V + self.cognitive * r1 * (P - X) + self.social * r2 * (guide - X)
        limit = _MAX_VELOCITY[0] + (_MAX_VELOCITY[1] - _MAX_VELOCITY[0]) * used
        V = np.clip(V, -limit, limit)
        X, V = _bounce(X + V, V, self.rng)

        others = self._worst_first(g)
        if d and np.ptp(X, axis=0).max() < _COLLAPSE_WIDTH and used < 1:
            chosen = others[: max(1, n // 2)]
            X[chosen] = self._fresh_points(len(chosen))
            V[chosen] = 0.0
            P[chosen] = X[chosen]  # they forget their old best (P is best_position_)
            self.best_score_[chosen] = -np.inf
        elif self.n_iter and used >= _EXPLOIT_FROM:
            chosen = others[: int(round(_EXPLOIT_SHARE * n))]
            spread = 0.5 * P.std(axis=0) + _COLLAPSE_WIDTH
            center = guide[chosen] if multi else P[g]
            X[chosen] = reflect(center + spread * self.rng.normal(size=(len(chosen), d)))
            V[chosen] = 0.0
            groups = self.layout.categorical_groups
            if chosen and groups and not multi:
                # g with the least tried other choice of one categorical
                j = self.rng.integers(len(groups))
                counts = self._choice_counts[j].astype(float)
                counts[np.argmax(P[g, groups[j].columns])] = np.inf
                set_choice(X[chosen[0]], groups[j], int(np.argmin(counts)))

        untried = [(group, np.flatnonzero(counts == 0))
                   for group, counts in zip(self.layout.categorical_groups, self._choice_counts)
                   if np.any(counts == 0)]
        if untried and others:
            # A choice never tried cannot attract the swarm: the worst particle tries one.
            group, choices = untried[self.rng.integers(len(untried))]
            set_choice(X[others[0]], group, self.rng.choice(choices))

        if multi:
            self.velocity_ = V
            return X
        # The leader would stand still (p_g = g = x_g): it searches around g.
        self._leader = g
        X[g] = reflect(P[g] + self._radius * (1 - 2 * self.rng.random(d)))
        V[g] = np.clip(X[g] - self.position_[g], -limit, limit)
        self.velocity_ = V
        return X

    def _worst_first(self, g):
        """The particles but ``g``, worst own best first (by rank with several objectives)."""
        if self.n_objectives == 1:
            return [i for i in np.argsort(self.best_score_) if i != g]
        return list(np.argsort(-non_dominated_ranks(self.best_score_), kind="stable"))

    def _archive(self, X, Y):
        """Add the told ``(X, Y)`` to the archive; keep its distinct non-dominated
        points, dropping the most crowded while there are more than ``ARCHIVE_SIZE``."""
        X = np.vstack([self.archive_, X])
        Y = np.vstack([self.archive_scores_, Y])
        front = np.flatnonzero(non_dominated_ranks(Y) == 1)
        X, Y = X[front], Y[front]
        first = first_of_each(self.layout.keys(X))
        X, Y = X[first], Y[first]
        while len(Y) > ARCHIVE_SIZE:
            crowded = int(np.argmin(crowding_distance(Y)))
            X, Y = np.delete(X, crowded, axis=0), np.delete(Y, crowded, axis=0)
        self.archive_, self.archive_scores_ = X, Y

    def _leaders(self, n):
        """``n`` archive positions: each the less crowded of two drawn at random."""
        crowding = crowding_distance(self.archive_scores_)
        pairs = self.rng.integers(len(crowding), size=(n, 2))
        wins = np.where(crowding[pairs[:, 0]] >= crowding[pairs[:, 1]], pairs[:, 0], pairs[:, 1])
        return self.archive_[wins]

    def _budget_used(self):
        if not self.n_iter:
            return 0.0
        return min(1.0, self.n_told_ / self.n_iter)

    def _adapt_radius(self, success):
        if success:
            self._successes, self._failures = self._successes + 1, 0
        else:
            self._successes, self._failures = 0, self._failures + 1
        if self._successes >= _GC_SUCCESSES:
            self._radius = min(0.5, 2.0 * self._radius)
        elif self._failures >= _GC_FAILURES:
            self._radius = max(_COLLAPSE_WIDTH, 0.5 * self._radius)

    def _fresh_points(self, m):
        """``m`` points of a Latin hypercube, the farthest from every known point."""
        candidates = self.layout.latin_hypercube(4 * m, self.rng, n_candidates=1)
        known = self.known.rows
        distance = ((candidates[:, None, :] - known[None, :, :]) ** 2).sum(-1).min(axis=1)
        return candidates[np.argsort(-distance, kind="stable")[:m]]

    def _avoid_known(self, X):
        """Move rows that repeat a known candidate (or an earlier row) to free ones.

        A row with no free point left (an exhausted finite space) stays: the
        caller answers it from the scores it knows.
        """
        return self.known.free(X, self.rng)[0]


def default_n_particles(n_dims, n_iter=None):
    """Swarm size for a cube of ``n_dims`` columns and a budget of ``n_iter``.

    About ten swarm steps over the budget (``round(n_iter / 10)``), at least
    4 particles and at most ``10 + 2 * sqrt(n_dims)`` (Clerc's standard PSO
    2006, also the size without a budget).

    Examples
    --------
    >>> from sksearch.optimizers._pso import default_n_particles
    >>> default_n_particles(4, 50), default_n_particles(4, 80), default_n_particles(4)
    (5, 8, 14)
    """
    largest = 10 + 2 * np.sqrt(n_dims)
    if n_iter is None:
        return int(round(largest))
    return int(round(min(largest, max(4, n_iter / 10))))


def _bounce(X, V, rng):
    """Reflect positions that left [0, 1] on the wall; reverse and damp their velocity."""
    outside = (X < 0) | (X > 1)
    V = np.where(outside, -V * rng.random(V.shape), V)
    return reflect(X), V
