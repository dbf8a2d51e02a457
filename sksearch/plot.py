"""Plots of fitted searches (needs matplotlib: ``pip install sksearch[plot]``).

Every function reads a fitted search's ``cv_results_`` only, so it works for
``GridSearchCV`` and ``RandomizedSearchCV`` as well as for the searches of
this package.

Examples
--------
>>> import matplotlib
>>> matplotlib.use("Agg")
>>> from sklearn.datasets import load_iris
>>> from sklearn.model_selection import RandomizedSearchCV
>>> from sklearn.svm import SVC
>>> from scipy.stats import loguniform
>>> from sksearch.plot import plot_convergence
>>> X, y = load_iris(return_X_y=True)
>>> search = RandomizedSearchCV(SVC(), {"C": loguniform(1e-2, 1e2)}, n_iter=5,
...                             random_state=0).fit(X, y)
>>> ax = plot_convergence(search)
>>> ax.get_xlabel()
'candidates evaluated'
"""

import numpy as np

import numbers

from .space import Categorical, Integer, Real, to_dimension

__all__ = ["plot_convergence", "plot_scores", "plot_pair", "best_so_far"]


def best_so_far(search):
    """Best mean test score after each candidate, in evaluation order.

    The score is the one the search ranks by: ``mean_test_score``, or with
    several metrics the one ``refit`` names (else the first). Failed
    candidates (NaN) do not count.
    """
    scores = np.asarray(search.cv_results_[_score_key(search)], dtype=float)
    filled = np.where(np.isfinite(scores), scores, -np.inf)
    best = np.maximum.accumulate(filled)
    return np.where(np.isfinite(best), best, np.nan)


def plot_convergence(*searches, labels=None, ax=None):
    """Best score against candidates evaluated, one line per fitted search.

    Parameters
    ----------
    *searches : fitted search estimators
        Any mix of sksearch searches, ``GridSearchCV`` and ``RandomizedSearchCV``.
    labels : list of str, optional
        Legend entries; default: the class names.
    ax : matplotlib Axes, optional

    Returns
    -------
    ax : matplotlib Axes
    """
    ax = _axes(ax)
    labels = labels or [type(s).__name__ for s in searches]
    if len(labels) != len(searches):
        raise ValueError(f"{len(labels)} labels for {len(searches)} searches")
    for search, label in zip(searches, labels):
        best = best_so_far(search)
        ax.plot(np.arange(1, len(best) + 1), best, drawstyle="steps-post", label=label)
    ax.set_xlabel("candidates evaluated")
    ax.set_ylabel(f"best {_score_key(searches[0]).replace('mean_test_', '')}")
    ax.legend()
    return ax


def plot_scores(search, params=None, axes=None):
    """Mean test score against each hyperparameter (log axes for log dimensions).

    Parameters
    ----------
    search : fitted search estimator
    params : list of str, optional
        Which parameters; default every searched one.
    axes : array of matplotlib Axes, optional
        One per parameter.

    Returns
    -------
    axes : list of matplotlib Axes
    """
    dims = _dimensions(search)
    params = list(params or dims)
    for name in params:
        if name not in dims:
            raise ValueError(f"{name!r} is not a searched parameter; choose from {list(dims)}")
    if axes is None:
        import matplotlib.pyplot as plt

        _, axes = plt.subplots(1, len(params), figsize=(4 * len(params), 3.5), squeeze=False)
        axes = axes[0]
    scores = np.asarray(search.cv_results_[_score_key(search)], dtype=float)
    for ax, name in zip(axes, params):
        keep = _has(search, name)
        values = _values(search, name, keep)
        _place(ax, "x", dims[name])
        ax.scatter(_positions(dims[name], values), scores[keep], s=18, alpha=0.8)
        ax.set_xlabel(name)
        ax.set_ylabel(_score_key(search).replace("mean_", ""))
    return list(axes)


def plot_pair(search, x, y, ax=None):
    """Two hyperparameters against each other, each candidate colored by its score.

    Parameters
    ----------
    search : fitted search estimator
    x, y : str
        Parameter names.
    ax : matplotlib Axes, optional

    Returns
    -------
    ax : matplotlib Axes
    """
    dims = _dimensions(search)
    for name in (x, y):
        if name not in dims:
            raise ValueError(f"{name!r} is not a searched parameter; choose from {list(dims)}")
    ax = _axes(ax)
    scores = np.asarray(search.cv_results_[_score_key(search)], dtype=float)
    keep = _has(search, x) & _has(search, y)
    xs, ys = _values(search, x, keep), _values(search, y, keep)
    _place(ax, "x", dims[x])
    _place(ax, "y", dims[y])
    points = ax.scatter(_positions(dims[x], xs), _positions(dims[y], ys), c=scores[keep],
                        cmap="viridis", s=24)
    ax.figure.colorbar(points, ax=ax, label=_score_key(search).replace("mean_", ""))
    ax.set_xlabel(x)
    ax.set_ylabel(y)
    return ax


# ---------------------------------------------------------------------- helpers
def _axes(ax):
    if ax is None:
        import matplotlib.pyplot as plt

        _, ax = plt.subplots(figsize=(6, 4))
    return ax


def _score_key(search):
    results = search.cv_results_
    if "mean_test_score" in results:
        return "mean_test_score"
    if isinstance(search.refit, str):
        return f"mean_test_{search.refit}"
    return next(k for k in results if k.startswith("mean_test_"))


def _dimensions(search):
    """Parameter name -> dimension (the first subspace that has it)."""
    source = getattr(search, "param_distributions", None)
    if source is None:
        source = search.param_grid
    dims = {}
    for sub in [source] if isinstance(source, dict) else source:
        for name, value in sub.items():
            if name not in dims:
                try:
                    dims[name] = to_dimension(name, value)
                except (TypeError, ValueError):
                    dims[name] = Categorical(sorted({repr(v) for v in _seen(search, name)}))
    return dims


def _seen(search, name):
    return [p[name] for p in search.cv_results_["params"] if name in p]


def _has(search, name):
    """Mask of the candidates that have parameter ``name`` (unions lack some)."""
    return np.array([name in p for p in search.cv_results_["params"]], dtype=bool)


def _values(search, name, keep):
    return [p[name] for p, k in zip(search.cv_results_["params"], keep) if k]


def _numeric(dim):
    """True for a list of plain numbers, drawn on a numeric axis."""
    return isinstance(dim, Categorical) and all(
        isinstance(c, numbers.Real) and not isinstance(c, bool) for c in dim.choices)


def _place(ax, axis, dim):
    set_scale = ax.set_xscale if axis == "x" else ax.set_yscale
    if isinstance(dim, (Real, Integer)):
        log = dim.log
    elif _numeric(dim):
        low, high = min(dim.choices), max(dim.choices)
        log = low > 0 and high / low >= 100  # a grid over decades, e.g. C in 1e-2..1e2
    else:
        labels = [c if isinstance(c, str) else repr(c) for c in dim.choices]
        (ax.set_xticks if axis == "x" else ax.set_yticks)(range(len(labels)), labels)
        return
    if log:
        set_scale("log")


def _positions(dim, values):
    if isinstance(dim, Categorical) and not _numeric(dim):
        return [dim.index(v) if dim.contains(v) else np.nan for v in values]
    return np.asarray(values, dtype=float)

