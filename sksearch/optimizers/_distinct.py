"""Distinct candidates: what an optimizer has seen, and free points near the others.

Every optimizer keeps one :class:`KnownPoints` and proposes only points it
does not hold, so that no budget is spent twice: not on the same candidate
(equal :meth:`CubeLayout.keys`), and not on a near-duplicate either: a
candidate whose integers and choices are those of a known one and whose
real parameters all lie within :data:`MIN_DISTANCE` of it (in cube units)
would be scored the same, up to noise. The search loop is the last guard
(it never evaluates a key twice); this is how optimizers avoid asking.

With ``constraints=`` the points that break one count as taken too
(:attr:`KnownPoints.feasible`), so that every optimizer that avoids known
points also avoids, and repairs, infeasible ones.
"""

import numpy as np

from ..space._cube import INTEGER, REAL, set_choice

#: Real parameters closer than this (in cube units, on every real column)
#: to a known candidate with the same discrete values make a near-duplicate.
MIN_DISTANCE = 1e-4
#: Nudges of growing size, then uniform draws, before a small space is enumerated.
NUDGE_TRIES = 30
#: A space with at most this many candidates is enumerated to find a free one.
ENUMERATE_UP_TO = 4096


class KnownPoints:
    """Candidates already taken, and free points near a taken one.

    Parameters
    ----------
    layout : CubeLayout
        Meaning of the cube's columns.

    Attributes
    ----------
    rows : ndarray of shape (n_known, n_dims)
        The snapped points taken, in the order added.
    feasible : callable or None
        ``feasible(X) -> bool mask`` of the points a search may evaluate
        (its parameter constraints); a point outside it is taken. None:
        every point may be evaluated.

    Examples
    --------
    >>> import numpy as np
    >>> from sksearch.space import Space, Real
    >>> from sksearch.optimizers._distinct import KnownPoints
    >>> known = KnownPoints(Space({"x": Real(0.0, 1.0)}).layout)
    >>> known.add([[0.5]]).tolist()  # new candidates
    [True]
    >>> known.taken([[0.5], [0.50001], [0.6]]).tolist()
    [True, True, False]
    >>> X, found = known.free([[0.5], [0.6]], np.random.default_rng(0))
    >>> found.tolist(), bool(abs(X[0, 0] - 0.5) > 1e-4), float(X[1, 0])
    ([True, True], True, 0.6)
    """

    def __init__(self, layout):
        self.layout = layout
        self.rows = np.zeros((0, layout.n_dims))
        self._keys = set()
        self._cells = self._cell_keys = None
        self.feasible = None

    def __len__(self):
        return len(self.rows)

    def __contains__(self, key):
        return key in self._keys

    def copy(self):
        """An independent copy (e.g. to hold a batch being built)."""
        other = KnownPoints(self.layout)
        other.rows, other._keys = self.rows.copy(), set(self._keys)
        other.feasible = self.feasible
        other._cells, other._cell_keys = self._cells, self._cell_keys
        return other

    def add(self, X):
        """Take the points ``X``; return a mask of those that were new candidates."""
        X = self.layout.snap(X)
        new = np.zeros(len(X), dtype=bool)
        for i, key in enumerate(self.layout.keys(X)):
            if key not in self._keys:
                self._keys.add(key)
                new[i] = True
        self.rows = np.vstack([self.rows, X[new]])
        return new

    def taken(self, X):
        """Whether each row of ``X`` is a known candidate or a near-duplicate of one
        (or breaks a constraint, see :attr:`feasible`)."""
        X = self.layout.snap(X)
        out = np.array([key in self._keys for key in self.layout.keys(X)], dtype=bool)
        if len(self.rows) and self.layout.continuous.any():
            real = self.layout.continuous
            for i in np.flatnonzero(~out):
                diff = np.abs(self.rows - X[i])
                same_discrete = np.all(diff[:, ~real] == 0, axis=1)
                out[i] = bool(np.any(same_discrete
                                     & (diff[:, real].max(axis=1) < MIN_DISTANCE)))
        if self.feasible is not None and not out.all():
            out[~out] = ~self.feasible(X[~out])
        return out

    def free(self, X, rng):
        """Each row of ``X`` that is taken (or repeats an earlier row) moved to a free point.

        Returns
        -------
        X : ndarray
            The rows: those that were free as they were (not snapped), the
            others replaced by a free snapped point, or left as they were
            when none was found.
        found : ndarray of bool
            False where no free point was found (a finite space nearly
            exhausted). The rows returned are added to nothing: call
            :meth:`add` for those that are used.
        """
        X = np.array(np.atleast_2d(X), dtype=float)
        batch = self.copy()
        found = np.ones(len(X), dtype=bool)
        for i in range(len(X)):
            if batch.taken(X[i:i + 1])[0]:
                point = batch.free_near(X[i], rng)
                if point is None:
                    found[i] = False
                    continue
                X[i] = point
            batch.add(X[i:i + 1])
        return X, found

    def free_near(self, x, rng):
        """A snapped point near ``x`` that is not taken, or None when none is found.

        Tries nudges of growing size (real columns move by a Gaussian step,
        an integer or a choice moves to a neighbouring value), then uniform
        points, then, in a small finite space, the nearest free candidate.
        """
        layout = self.layout
        x = layout.snap(x[None])[0]
        active = layout.active(x[None])[0]
        real = layout.continuous & active
        discrete = [g for g in layout.groups if g.kind != REAL and active[g.start]]
        for attempt in range(1, NUDGE_TRIES + 1):
            y = x.copy()
            y[real] += 0.01 * attempt * rng.normal(size=real.sum())
            if discrete and (not real.any() or rng.random() < 0.5):
                _shift_level(y, discrete[rng.integers(len(discrete))], attempt, rng)
            y = layout.snap(np.clip(y, 0.0, 1.0)[None])
            if not self.taken(y)[0]:
                return y[0]
        for y in layout.snap(layout.random(NUDGE_TRIES, rng)):
            if not self.taken(y[None])[0]:
                return y
        if layout.size <= ENUMERATE_UP_TO:
            if self._cells is None:
                self._cells = layout.enumerate()
                self._cell_keys = layout.keys(self._cells)
            free = [j for j, k in enumerate(self._cell_keys) if k not in self._keys]
            if free and self.feasible is not None:
                free = [j for j, ok in zip(free, self.feasible(self._cells[free])) if ok]
            if free:
                distance = ((self._cells[free] - x) ** 2).sum(axis=1)
                return self._cells[free[int(np.argmin(distance))]].copy()
        return None


def _shift_level(x, group, attempt, rng):
    """Move a discrete parameter of ``x`` (in place) to a nearby other value."""
    if group.kind == INTEGER:
        level = group.index(x[group.start])
        step = rng.choice([-1, 1]) * (1 + attempt // 10)
        x[group.start] = group.center(np.clip(level + step, 0, group.n_levels - 1))
    else:
        current = int(np.argmax(x[group.columns]))
        set_choice(x, group, rng.choice([j for j in range(group.n_levels) if j != current]))


def first_of_each(keys):
    """Indices of the first row of each distinct key of ``keys``, in order.

    Examples
    --------
    >>> first_of_each(["a", "b", "a", "c", "b"]).tolist()
    [0, 1, 3]
    """
    first, seen = [], set()
    for i, key in enumerate(keys):
        if key not in seen:
            seen.add(key)
            first.append(i)
    return np.array(first, dtype=int)
