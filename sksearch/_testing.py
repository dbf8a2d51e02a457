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

from ._loop import Loop
from .space import Categorical, Integer, Real, Space

FUNCTIONS = ("sphere", "branin", "rosenbrock", "styblinski_tang", "mixed", "log_scale")


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
        Dimension of ``sphere``, ``rosenbrock`` and ``styblinski_tang``
        (default 4, 4 and 3).
    """
    # A stream of its own: an optimizer seeded with the same integer must not
    # draw the same numbers as the shift (default_rng([s, 0]) == default_rng(s)).
    rng = np.random.default_rng([0x5EED, FUNCTIONS.index(name), seed])
    return _BUILDERS[name](rng, dim)


def minimize(optimizer, function, budget, before_ask=None):
    """Run ``optimizer`` on ``function`` through the search loop; the regret curve.

    The loop is the searches' own (:class:`sksearch._loop.Loop`): the
    optimizer is told ``-function.on_cube(X)`` (optimizers maximize), a
    candidate already evaluated is answered from its known value and costs
    nothing, the batch that reaches ``budget`` is evaluated up to it and not
    told, and the run stops after ``MAX_STALLED_BATCHES`` batches without a
    new candidate. ``before_ask(loop)``, if given, runs before each ask (see
    :class:`~sksearch._loop.Loop`).

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


_BUILDERS = {
    "sphere": _sphere,
    "branin": _branin,
    "rosenbrock": _rosenbrock,
    "styblinski_tang": _styblinski_tang,
    "mixed": _mixed,
    "log_scale": _log_scale,
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

    Drives ``optimizer`` on ``function`` until ``n_candidates`` were asked,
    timing only the optimizer's own calls (not the function).
    """
    spent, asked = 0.0, 0
    while asked < n_candidates:
        start = time.perf_counter()
        X = optimizer.ask()
        spent += time.perf_counter() - start
        y = -function.on_cube(X)
        start = time.perf_counter()
        optimizer.tell(X, y)
        spent += time.perf_counter() - start
        asked += len(X)
    return spent / asked
