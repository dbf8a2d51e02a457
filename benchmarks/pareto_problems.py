"""Shifted test problems of several objectives, and an ask/tell run on them.

ZDT1 and ZDT2 (Zitzler, Deb & Thiele, 2000; two objectives) and DTLZ2
(Deb, Thiele, Laumanns & Zitzler, 2002; three objectives), all minimized,
on ``[0, 1]^d``. The first one (ZDT) or two (DTLZ2) variables place a
point along the front; the others, the distance variables, must take the
values of a shift drawn per seed (the originals want 0 for ZDT, 0.5 for
DTLZ2), so that no method gains from a guess at the usual optimum. The
front itself, and so the ideal hypervolume for the fixed reference point,
is that of the original problem:

* ZDT1: ``f2 = 1 - sqrt(f1)``, hypervolume ``r1 r2 - 1/3``;
* ZDT2: ``f2 = 1 - f1^2``, hypervolume ``r1 r2 - 2/3``;
* DTLZ2: the unit sphere's positive octant, hypervolume ``r1 r2 r3 - pi / 6``.

The reference points (:data:`REFERENCES`) lie far enough out that random
points of a budget of tens dominate them too, so that every method's
volume counts; the benchmarks report the regret, ideal minus found.

Examples
--------
>>> from benchmarks.pareto_problems import make_problem, run
>>> from sksearch.optimizers import RandomSampler
>>> problem = make_problem("zdt1", seed=0)
>>> opt = RandomSampler(problem.layout, random_state=0, n_objectives=2)
>>> F = run(opt, problem, budget=30)
>>> F.shape, 0 < problem.hypervolume(F) < problem.ideal_hypervolume
((30, 2), True)
"""

import numpy as np

from sksearch.optimizers._pareto import hypervolume
from sksearch.space import Real, Space

PROBLEMS = ("zdt1", "zdt2", "dtlz2")
#: Variables of each problem (2 objectives for ZDT, 3 for DTLZ2).
N_DIMS = {"zdt1": 6, "zdt2": 6, "dtlz2": 6}
N_OBJECTIVES = {"zdt1": 2, "zdt2": 2, "dtlz2": 3}
#: Reference points (minimized objectives): far enough that random points
#: of a budget of tens dominate them, so every method's volume counts.
REFERENCES = {"zdt1": (1.1, 5.0), "zdt2": (1.1, 5.0), "dtlz2": (2.0, 2.0, 2.0)}
#: Volume under the front that each problem's reference point does not see.
_UNDER_FRONT = {"zdt1": 1 / 3, "zdt2": 2 / 3, "dtlz2": np.pi / 6}


class ParetoProblem:
    """One shifted instance of a problem: objectives to minimize on the cube.

    Attributes
    ----------
    name : str
    shift : ndarray
        The optimal values of the distance variables.
    reference : ndarray
        Reference point of the hypervolume (minimized objectives).
    ideal_hypervolume : float
        Hypervolume of the true front for ``reference``.
    """

    def __init__(self, name, shift):
        self.name, self.shift = name, np.asarray(shift, dtype=float)
        self.n_dims, self.n_objectives = N_DIMS[name], N_OBJECTIVES[name]
        self.space = Space({f"x{i}": Real(0.0, 1.0) for i in range(self.n_dims)})
        self.reference = np.array(REFERENCES[name], dtype=float)
        self.ideal_hypervolume = float(np.prod(self.reference) - _UNDER_FRONT[name])

    @property
    def layout(self):
        return self.space.layout

    def on_cube(self, X):
        """The objectives (minimized) of the cube rows ``X``, shape ``(n, n_objectives)``."""
        X = np.atleast_2d(np.asarray(X, dtype=float))
        if self.name == "dtlz2":
            g = np.sum((X[:, 2:] - self.shift) ** 2, axis=1)
            a, b = X[:, 0] * np.pi / 2, X[:, 1] * np.pi / 2
            return (1 + g)[:, None] * np.c_[np.cos(a) * np.cos(b), np.cos(a) * np.sin(b),
                                             np.sin(a)]
        # |x - s| scaled to [0, 1], 0 at the shift: ZDT's linear g, moved
        distance = np.abs(X[:, 1:] - self.shift) / np.maximum(self.shift, 1 - self.shift)
        g = 1 + 9 * distance.mean(axis=1)
        f1 = X[:, 0]
        f2 = g * (1 - np.sqrt(f1 / g)) if self.name == "zdt1" else g * (1 - (f1 / g) ** 2)
        return np.c_[f1, f2]

    def hypervolume(self, F):
        """Hypervolume of the minimized objectives ``F`` for :attr:`reference`."""
        return hypervolume(-np.asarray(F, dtype=float), -self.reference)


def make_problem(name, seed=0):
    """The instance of problem ``name`` shifted by ``seed``."""
    if name not in PROBLEMS:
        raise ValueError(f"name must be one of {PROBLEMS}, got {name!r}")
    rng = np.random.default_rng([seed, PROBLEMS.index(name)])
    n_distance = N_DIMS[name] - (2 if name == "dtlz2" else 1)
    return ParetoProblem(name, rng.uniform(0.1, 0.9, size=n_distance))


def run(optimizer, problem, budget):
    """Drive ``optimizer`` (built with ``problem.n_objectives``) on ``problem``.

    The rules of the search loop: ``budget`` distinct candidates (equal
    ``layout.keys``) are evaluated; a repeated one is told its known scores;
    the batch that reaches the budget is not told; the optimizer is told
    the negated objectives (it maximizes). Returns the objectives of the
    candidates evaluated, in order, shape ``(n, n_objectives)``.
    """
    known, evaluated = {}, []
    for _ in range(10 * budget):  # a stalled optimizer ends the run
        X = np.atleast_2d(optimizer.ask())
        keys = problem.layout.keys(X)
        for key, row in zip(keys, X):
            if key not in known and len(known) < budget:
                known[key] = problem.on_cube(row)[0]
                evaluated.append(known[key])
        if len(known) >= budget:
            break
        optimizer.tell(X, -np.array([known[key] for key in keys]))
    return np.array(evaluated)
