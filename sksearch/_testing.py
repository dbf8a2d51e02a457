"""Shifted test functions for proving optimizers (tests and benchmarks).

Each function is minimized over a sksearch space. Its optimum moves at random
with the seed (shifted instances, as the BBOB/COCO suites do), so no method is
flattered by an optimum at the centre of the space or at zero; the optimal
value stays known.

Examples
--------
>>> from sksearch._testing import make_function
>>> f = make_function("branin", seed=3)
>>> f.space
{'x0': Real(-5.0, 10.0), 'x1': Real(0.0, 15.0)}
>>> round(f.f_min, 6)
0.397887
>>> f(f.argmin) - f.f_min < 1e-9
True
"""

import time
import warnings

import numpy as np
from sklearn.base import BaseEstimator

from .engine._loop import Loop
from .space import Categorical, Integer, Real, Space

FUNCTIONS = ("sphere", "branin", "rosenbrock", "styblinski_tang", "mixed", "log_scale",
             "ackley", "levy", "hartmann6")


class TestFunction:
    """A function of a parameter dict to minimize, with its space and optimum.

    Attributes
    ----------
    name : str
    space : dict
        ``param_distributions`` of the function.
    f_min : float
        The smallest value over the space.
    argmin : dict
        One parameter dict where ``f_min`` is reached.
    """

    __test__ = False  # not a pytest test class

    def __init__(self, name, space, func, f_min, argmin):
        self.name, self.space, self._func = name, space, func
        self.f_min, self.argmin = float(f_min), argmin
        self._space = Space(space)

    def __repr__(self):
        return f"TestFunction({self.name!r})"

    def __call__(self, params):
        return float(self._func(params))

    @property
    def layout(self):
        return self._space.layout

    def on_cube(self, X):
        """Values at cube points ``X`` (rows decoded by the function's space)."""
        return np.array([self(p) for p in self._space.decode(X)])


def make_function(name, seed=0, dim=None):
    """A shifted instance of test function ``name`` (one of :data:`FUNCTIONS`).

    Parameters
    ----------
    name : str
    seed : int
        Picks the shift: the optimum's location.
    dim : int, optional
        Dimension of ``sphere``, ``rosenbrock``, ``styblinski_tang``,
        ``ackley`` and ``levy`` (default 4, 4, 3, 5 and 10).
    """
    # A stream of its own: an optimizer seeded with the same integer must not
    # draw the same numbers as the shift (default_rng([s, 0]) == default_rng(s)).
    rng = np.random.default_rng([0x5EED, FUNCTIONS.index(name), seed])
    return _BUILDERS[name](rng, dim)


def minimize(optimizer, function, budget, before_ask=None):
    """Run ``optimizer`` on ``function`` through the search loop; the regret curve.

    The loop is the searches' own (:class:`sksearch.engine._loop.Loop`): the
    optimizer is told ``-function.on_cube(X)`` (optimizers maximize), a
    candidate already evaluated is answered from its known value and costs
    nothing, the batch that reaches ``budget`` is evaluated up to it and not
    told, and the run stops after ``MAX_STALLED_BATCHES`` batches without a
    new candidate. ``before_ask(loop)``, if given, runs before each ask (see
    :class:`~sksearch.engine._loop.Loop`).

    Returns
    -------
    regret : ndarray of shape (n_evaluated,)
        ``regret[i]``: the best value among the first ``i + 1`` distinct
        candidates minus ``function.f_min``. ``n_evaluated`` is ``budget``
        unless the run stalled.

    Examples
    --------
    >>> from sksearch._testing import make_function, minimize
    >>> from sksearch.optimizers import RandomSampler
    >>> f = make_function("sphere", seed=0)
    >>> regret = minimize(RandomSampler(f.layout, random_state=0), f, budget=30)
    >>> len(regret), bool(regret[-1] <= regret[0])
    (30, True)
    """
    def evaluate(iteration, X, rows):
        return -function.on_cube(X[rows])

    loop = Loop(optimizer, function.layout, evaluate, n_iter=budget, before_ask=before_ask)
    with warnings.catch_warnings():
        warnings.filterwarnings("ignore", "The optimizer proposed no new candidate")
        loop.run()
    values = -np.fromiter(loop.scores.values(), float)
    return np.minimum.accumulate(values) - function.f_min


def _reals(values):
    return {f"x{i}": float(v) for i, v in enumerate(values)}


def _vector(params, d):
    return np.array([params[f"x{i}"] for i in range(d)], dtype=float)


def _sphere(rng, dim):
    d = dim or 4
    shift = rng.uniform(-4, 4, d)
    space = {f"x{i}": Real(-5.0, 5.0) for i in range(d)}
    return TestFunction(
        "sphere", space, lambda p: np.sum((_vector(p, d) - shift) ** 2), 0.0, _reals(shift)
    )


def _branin(rng, dim):
    # Branin-Hoo moved by up to 2 in each direction; the minimum at
    # (pi, 2.275) stays inside the domain, so f_min is unchanged.
    shift = rng.uniform(-2, 2, 2)
    a, b, c, r, s, t = 1.0, 5.1 / (4 * np.pi**2), 5 / np.pi, 6.0, 10.0, 1 / (8 * np.pi)

    def f(p):
        x0, x1 = _vector(p, 2) - shift
        return a * (x1 - b * x0**2 + c * x0 - r) ** 2 + s * (1 - t) * np.cos(x0) + s

    space = {"x0": Real(-5.0, 10.0), "x1": Real(0.0, 15.0)}
    return TestFunction("branin", space, f, 0.39788735772973816,
                        _reals(np.array([np.pi, 2.275]) + shift))


def _rosenbrock(rng, dim):
    d = dim or 4
    shift = rng.uniform(-3, 3, d)

    def f(p):
        z = _vector(p, d) - shift + 1.0
        return np.sum(100.0 * (z[1:] - z[:-1] ** 2) ** 2 + (1.0 - z[:-1]) ** 2)

    space = {f"x{i}": Real(-5.0, 5.0) for i in range(d)}
    return TestFunction("rosenbrock", space, f, 0.0, _reals(shift))


def _styblinski_tang(rng, dim):
    # Multimodal: 2^d local minima; the global one at z = -2.903534 per axis.
    d = dim or 3
    shift = rng.uniform(-1.5, 1.5, d)
    z_opt = -2.903534

    def f(p):
        z = _vector(p, d) - shift
        return 0.5 * np.sum(z**4 - 16 * z**2 + 5 * z) - d * -39.16616570377142

    space = {f"x{i}": Real(-5.0, 5.0) for i in range(d)}
    return TestFunction("styblinski_tang", space, f, 0.0, _reals(z_opt + shift))


def _mixed(rng, dim):
    # Two reals, an integer in 1..20 and a categorical of four choices whose
    # penalty is drawn per seed (the best choice moves too).
    shift = rng.uniform(-3, 3, 2)
    n_best = int(rng.integers(1, 21))
    penalty = dict(zip(["a", "b", "c", "d"], rng.permutation([0.0, 1.0, 2.0, 4.0])))

    def f(p):
        x = np.array([p["x0"], p["x1"]])
        return np.sum((x - shift) ** 2) + 0.05 * (p["n"] - n_best) ** 2 + penalty[p["kind"]]

    space = {"x0": Real(-5.0, 5.0), "x1": Real(-5.0, 5.0), "n": Integer(1, 20),
             "kind": Categorical(["a", "b", "c", "d"])}
    best_kind = min(penalty, key=penalty.get)
    argmin = {**_reals(shift), "n": n_best, "kind": best_kind}
    return TestFunction("mixed", space, f, 0.0, argmin)


def _log_scale(rng, dim):
    # A valley in log10(C) and log10(gamma), as an SVC's score surface:
    # the optimum sits anywhere across six decades.
    centre = rng.uniform(-2.5, 2.5, 2)

    def f(p):
        u = np.log10([p["C"], p["gamma"]]) - centre
        return u[0] ** 2 + u[1] ** 2 + 0.5 * u[0] * u[1]

    space = {"C": Real(1e-3, 1e3, log=True), "gamma": Real(1e-3, 1e3, log=True)}
    argmin = {"C": float(10 ** centre[0]), "gamma": float(10 ** centre[1])}
    return TestFunction("log_scale", space, f, 0.0, argmin)


def _ackley(rng, dim):
    # Multimodal: a ripple of period 1 on a bowl; the minimum moves anywhere
    # in the middle half of the domain.
    d = dim or 5
    shift = rng.uniform(-16.0, 16.0, d)

    def f(p):
        z = _vector(p, d) - shift
        return (-20.0 * np.exp(-0.2 * np.sqrt(np.mean(z**2)))
                - np.exp(np.mean(np.cos(2 * np.pi * z))) + 20.0 + np.e)

    space = {f"x{i}": Real(-32.768, 32.768) for i in range(d)}
    return TestFunction("ackley", space, f, 0.0, _reals(shift))


def _levy(rng, dim):
    # Multimodal: a ripple of period 4 on a valley; the minimum at x = 1 + shift.
    d = dim or 10
    shift = rng.uniform(-4.0, 4.0, d)

    def f(p):
        w = 1.0 + (_vector(p, d) - shift - 1.0) / 4.0
        return (np.sin(np.pi * w[0]) ** 2
                + np.sum((w[:-1] - 1) ** 2 * (1 + 10 * np.sin(np.pi * w[:-1] + 1) ** 2))
                + (w[-1] - 1) ** 2 * (1 + np.sin(2 * np.pi * w[-1]) ** 2))

    space = {f"x{i}": Real(-10.0, 10.0) for i in range(d)}
    return TestFunction("levy", space, f, 0.0, _reals(1.0 + shift))


# Hartmann 6-D (Dixon & Szegő, 1978), on [0, 1]^6: six local minima.
_HARTMANN_ALPHA = np.array([1.0, 1.2, 3.0, 3.2])
_HARTMANN_A = np.array([[10, 3, 17, 3.5, 1.7, 8], [0.05, 10, 17, 0.1, 8, 14],
                        [3, 3.5, 1.7, 10, 17, 8], [17, 8, 0.05, 10, 0.1, 14]])
_HARTMANN_P = 1e-4 * np.array([[1312, 1696, 5569, 124, 8283, 5886],
                               [2329, 4135, 8307, 3736, 1004, 9991],
                               [2348, 1451, 3522, 2883, 3047, 6650],
                               [4047, 8828, 8732, 5743, 1091, 381]])
_HARTMANN_ARGMIN = np.array([0.20169, 0.150011, 0.476874, 0.275332, 0.311652, 0.6573])


def _hartmann6(rng, dim):
    # The domain is the unit cube, so the instance moves its optimum by
    # permuting and mirroring the axes: the same landscape, elsewhere.
    order = rng.permutation(6)
    mirror = rng.random(6) < 0.5

    def original(u):
        return -_HARTMANN_ALPHA @ np.exp(-np.sum(_HARTMANN_A * (u - _HARTMANN_P) ** 2, axis=1))

    def to_original(x):
        u = np.empty(6)
        u[order] = np.where(mirror, 1.0 - x, x)
        return u

    argmin = np.where(mirror, 1.0 - _HARTMANN_ARGMIN[order], _HARTMANN_ARGMIN[order])
    space = {f"x{i}": Real(0.0, 1.0) for i in range(6)}
    return TestFunction("hartmann6", space, lambda p: original(to_original(_vector(p, 6))),
                        original(_HARTMANN_ARGMIN), _reals(argmin))


_BUILDERS = {
    "sphere": _sphere,
    "branin": _branin,
    "rosenbrock": _rosenbrock,
    "styblinski_tang": _styblinski_tang,
    "mixed": _mixed,
    "log_scale": _log_scale,
    "ackley": _ackley,
    "levy": _levy,
    "hartmann6": _hartmann6,
}


class FunctionEstimator(BaseEstimator):
    """A scikit-learn estimator whose score is minus a test function's value.

    Its parameters are those of the function's space, so any search can tune
    it; ``fit`` does nothing and ``score`` ignores the data, so a search's
    best CV score is minus the best function value it found.

    Parameters
    ----------
    function : str, default="sphere"
        Name of the function (one of :data:`FUNCTIONS`).
    seed : int, default=0
        The shifted instance.
    **params
        Values of the function's parameters (``x0``, ``x1``, ...).

    Examples
    --------
    >>> from sksearch._testing import FunctionEstimator
    >>> est = FunctionEstimator("branin", seed=0, x0=1.0, x1=2.0)
    >>> est.fit([[0], [1]]).score([[0]]) < 0
    True
    """

    def __init__(self, function="sphere", seed=0, **params):
        self.function = function
        self.seed = seed
        for key, value in params.items():
            setattr(self, key, value)

    def _function(self):
        return make_function(self.function, self.seed)

    def get_params(self, deep=True):
        names = self._function().space
        return {"function": self.function, "seed": self.seed,
                **{name: getattr(self, name, None) for name in names}}

    def fit(self, X, y=None):
        missing = [k for k, v in self.get_params().items() if v is None]
        if missing:
            raise ValueError(f"FunctionEstimator needs values for {missing}")
        self.n_features_in_ = np.asarray(X).shape[1]
        return self

    def score(self, X, y=None):
        params = self.get_params()
        return -self._function()(params)


def ask_tell_seconds(optimizer, function, n_candidates):
    """Seconds the optimizer spends in ``ask`` + ``tell`` per candidate asked.

    Drives ``optimizer`` on ``function`` until ``n_candidates`` were
    evaluated, timing only the optimizer's own calls (not the function).
    """
    told, seconds, asked = ask_tell_times(optimizer, function, n_candidates)
    return seconds.sum() / asked.sum()


def ask_tell_times(optimizer, function, n_candidates, clock=time.perf_counter):
    """Seconds of each ``ask`` + ``tell`` round of :func:`minimize` on ``function``.

    ``clock`` measures them: wall time by default, ``time.process_time`` for
    the CPU time of the process (less sensitive to a busy machine).

    Returns
    -------
    told : ndarray of int
        Candidates told before each round's ask (the observations the
        optimizer had when it proposed).
    seconds : ndarray
        The optimizer's own time in the round: its ask, and the tell of the
        batch it asked (not the function's).
    asked : ndarray of int
        Candidates asked in the round.
    """
    clocked = ClockedOptimizer(optimizer, clock=clock)
    minimize(clocked, function, n_candidates)
    told, seconds, asked = zip(*clocked.rounds)
    return np.array(told), np.array(seconds), np.array(asked)


class ClockedOptimizer:
    """An optimizer whose ``ask`` and ``tell`` are timed by ``clock`` (wall time by
    default); everything else passes through.

    Attributes
    ----------
    seconds : float
        The optimizer's own time so far.
    rounds : list of [int, float, int]
        For each ask: the candidates told before it, the seconds of the ask
        and of the tell of its batch, the candidates asked.
    """

    def __init__(self, optimizer, clock=time.perf_counter):
        self.optimizer, self.clock = optimizer, clock
        self.seconds, self.rounds, self._n_told, self._n_tells = 0.0, [], 0, 0

    def ask(self, *args):
        start = self.clock()
        X = self.optimizer.ask(*args)
        spent = self.clock() - start
        self.seconds += spent
        self.rounds.append([self._n_told, spent, len(X)])
        return X

    def tell(self, X, y):
        start = self.clock()
        self.optimizer.tell(X, y)
        spent = self.clock() - start
        self.seconds += spent
        if self._n_tells < len(self.rounds):  # tells come in the order of the asks
            self.rounds[self._n_tells][1] += spent
        self._n_tells += 1
        self._n_told += len(X)

    def __getattr__(self, name):
        return getattr(self.optimizer, name)
