"""One search space, written once with sksearch's dimensions, in every library's terms.

Each task writes its space with :class:`~sksearch.space.Real`,
:class:`~sksearch.space.Integer` and :class:`~sksearch.space.Categorical`;
the functions here give the same space to the other libraries, keeping
bounds and log scales. Where a library cannot express a dimension exactly
the function says so (sklearn-genetic-opt has no log-scaled integers).
nevergrad needs no translation: it is driven on sksearch's unit cube.
"""

import math

import numpy as np
from scipy import stats

from sksearch.space import Categorical, Integer, Real


def to_scipy(space):
    """``param_distributions`` for ``RandomizedSearchCV`` (scipy.stats and lists)."""
    out = {}
    for name, dim in space.items():
        if isinstance(dim, Real):
            out[name] = (stats.loguniform(dim.low, dim.high) if dim.log
                         else stats.uniform(dim.low, dim.high - dim.low))
        elif isinstance(dim, Integer):
            out[name] = (LogUniformInteger(dim.low, dim.high) if dim.log
                         else stats.randint(dim.low, dim.high + 1))
        else:
            out[name] = list(dim.choices)
    return out


class LogUniformInteger:
    """Integers in ``[low, high]``, each order of magnitude equally likely.

    scipy.stats has no discrete log-uniform law; ``RandomizedSearchCV`` only
    needs ``rvs(random_state=...)``.
    """

    def __init__(self, low, high):
        self.low, self.high = low, high
        self._continuous = stats.loguniform(low, high + 1)

    def rvs(self, size=None, random_state=None):
        values = np.floor(self._continuous.rvs(size=size, random_state=random_state))
        values = np.clip(values, self.low, self.high).astype(int)
        return int(values) if size is None else values


def to_grid(space, n_iter):
    """A ``param_grid`` of at most ``n_iter`` points (``None`` if even 1 level each is too many).

    Categorical parameters get every choice while the product fits (else the
    first choices that fit); then real and integer parameters get levels in
    turn. Levels sit at
    the centres of equal cells of the (linear or log) range, as a user would
    space them, without putting every level on the bounds.
    """
    names = list(space)
    levels = {name: 1 for name in names}
    limit = {name: _n_values(dim) for name, dim in space.items()}

    def size(counts):
        return math.prod(counts.values())

    for name in names:
        if isinstance(space[name], Categorical):
            levels[name] = max(1, min(limit[name], n_iter // size(levels)))
    grown = True
    while grown:
        grown = False
        for name in names:
            if isinstance(space[name], Categorical) or levels[name] >= limit[name]:
                continue
            more = {**levels, name: levels[name] + 1}
            if size(more) <= n_iter:
                levels, grown = more, True
    grid = {}
    for name, dim in space.items():
        if isinstance(dim, Categorical):
            grid[name] = list(dim.choices[: levels[name]])
        else:
            centres = (np.arange(levels[name]) + 0.5) / levels[name]
            grid[name] = list(dict.fromkeys(dim.decode(centres)))
    return grid


def grid_size(grid):
    """Number of points of a ``param_grid`` dict."""
    return math.prod(len(values) for values in grid.values())


def to_skopt(space):
    """``search_spaces`` for scikit-optimize's ``BayesSearchCV`` (log-uniform priors kept)."""
    from skopt import space as sk

    out = {}
    for name, dim in space.items():
        prior = "log-uniform" if getattr(dim, "log", False) else "uniform"
        if isinstance(dim, Real):
            out[name] = sk.Real(dim.low, dim.high, prior=prior, name=name)
        elif isinstance(dim, Integer):
            out[name] = sk.Integer(dim.low, dim.high, prior=prior, name=name)
        else:
            out[name] = sk.Categorical(list(dim.choices), name=name)
    return out


def to_optuna(space):
    """``param_distributions`` for ``OptunaSearchCV`` (log scales kept)."""
    from optuna import distributions as od

    out = {}
    for name, dim in space.items():
        if isinstance(dim, Real):
            out[name] = od.FloatDistribution(dim.low, dim.high, log=dim.log)
        elif isinstance(dim, Integer):
            out[name] = od.IntDistribution(dim.low, dim.high, log=dim.log)
        else:
            out[name] = od.CategoricalDistribution(list(dim.choices))
    return out


def to_configspace(space, seed):
    """A ConfigSpace ``ConfigurationSpace`` for hpbandster's BOHB, and its decoder.

    Categorical choices become the strings ``"0"``, ``"1"``, ... (BOHB's
    workers receive configurations through Pyro, which carries only plain
    values); ``decode(config)`` gives back the estimator's parameters.
    """
    import ConfigSpace as cs
    from ConfigSpace import hyperparameters as hp

    out = cs.ConfigurationSpace(seed=seed)
    for name, dim in space.items():
        if isinstance(dim, Real):
            out.add(hp.UniformFloatHyperparameter(name, dim.low, dim.high, log=dim.log))
        elif isinstance(dim, Integer):
            out.add(hp.UniformIntegerHyperparameter(name, dim.low, dim.high, log=dim.log))
        else:
            out.add(hp.CategoricalHyperparameter(name, [str(i) for i in range(len(dim.choices))]))

    def decode(config):
        params = {}
        for name, dim in space.items():
            value = config[name]
            if isinstance(dim, Categorical):
                params[name] = dim.choices[int(value)]
            elif isinstance(dim, Integer):
                params[name] = int(value)
            else:
                params[name] = float(value)
        return params

    return out, decode


def to_sklearn_genetic(space):
    """``param_grid`` for sklearn-genetic-opt's ``GASearchCV``.

    Its ``Integer`` is uniform only: a log-scaled integer is searched on a
    linear scale there.
    """
    from sklearn_genetic import space as sg

    out = {}
    for name, dim in space.items():
        if isinstance(dim, Real):
            out[name] = sg.Continuous(dim.low, dim.high,
                                      distribution="log-uniform" if dim.log else "uniform")
        elif isinstance(dim, Integer):
            out[name] = sg.Integer(dim.low, dim.high)
        else:
            out[name] = sg.Categorical(list(dim.choices))
    return out


def genetic_schedule(n_iter):
    """(population_size, generations) of ``GASearchCV`` for a budget of ``n_iter`` fits.

    Its default algorithm (eaMuPlusLambda, lambda = 2 * population) evaluates
    ``population * (1 + 2 * generations)`` individuals. The schedule meets
    ``n_iter`` exactly when it can, with the most generations for a
    population of at least 4; otherwise the smallest budget above it.
    """
    fits = [(p, g) for g in range(1, n_iter) for p in range(4, n_iter + 1)
            if p * (1 + 2 * g) == n_iter]
    if fits:
        return max(fits, key=lambda pg: pg[1])
    over = [(p * (1 + 2 * g), -g, p, g) for g in range(1, 4) for p in range(4, n_iter + 1)
            if p * (1 + 2 * g) >= n_iter]
    _, _, p, g = min(over)
    return p, g


def _n_values(dim):
    if isinstance(dim, Categorical):
        return len(dim.choices)
    if isinstance(dim, Integer):
        return dim.high - dim.low + 1
    return math.inf
