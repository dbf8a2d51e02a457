"""Plots of fitted searches (needs matplotlib: ``pip install sksearch[plot]``).

Every function reads a fitted search's ``cv_results_`` (and the name of its
metric) only, so it works for ``GridSearchCV``, ``RandomizedSearchCV`` and
any other scikit-learn search as well as for the searches of this package.
How a parameter is drawn is read from the values its candidates took: numbers
on a numeric axis (logarithmic when they span two decades or more), anything
else as categories.

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

import math
import numbers
import re
import textwrap

import numpy as np

from .engine._results import objective_key

__all__ = ["plot_convergence", "plot_scores", "plot_pair", "best_so_far"]

#: Category labels longer than this many characters are wrapped ...
LABEL_WIDTH = 24
#: ... on at most this many lines (the rest is cut, with an ellipsis).
LABEL_LINES = 3
#: Positive numbers spanning this ratio or more are drawn on a log axis.
LOG_RATIO = 100


def best_so_far(search):
    """Best mean test score after each candidate, in evaluation order.

    The score is the one the search ranks by: ``mean_test_score``, or with
    several metrics the one ``refit`` names (else the first). Failed
    candidates (NaN) do not count, nor do the rows of a multi-fidelity
    search (``resource=``, or a Halving search) at less than the full
    resource.

    Parameters
    ----------
    search : fitted search estimator
        Any scikit-learn search (it has ``cv_results_``).

    Returns
    -------
    best : ndarray of shape (n_candidates,)
        The running maximum; NaN until a candidate has a finite score.

    Examples
    --------
    >>> from sklearn.datasets import load_iris
    >>> from sklearn.model_selection import GridSearchCV
    >>> from sklearn.tree import DecisionTreeClassifier
    >>> from sksearch.plot import best_so_far
    >>> X, y = load_iris(return_X_y=True)
    >>> grid = GridSearchCV(DecisionTreeClassifier(random_state=0),
    ...                     {"max_depth": [2, 1, 3]}, cv=3).fit(X, y)
    >>> grid.cv_results_["mean_test_score"].round(3).tolist()
    [0.933, 0.66, 0.96]
    >>> best_so_far(grid).round(3).tolist()
    [0.933, 0.933, 0.96]
    """
    scores = _scores(search)
    filled = np.where(np.isfinite(scores), scores, -np.inf)
    best = np.maximum.accumulate(filled)
    return np.where(np.isfinite(best), best, np.nan)


def plot_convergence(*searches, labels=None, scale="regret", ax=None):
    """How fast each search found its best candidate: one line per fitted search.

    With ``scale="regret"`` (the default) each line is the gap between the
    best score any of the plotted searches reached (with the same metric)
    and the search's best score so far, on a symmetric log axis that is
    linear near 0: a search that starts far below the others (a grid that
    begins with a poor corner, say) does not flatten their lines, and 0 means
    the search has found the best score seen. ``scale="score"`` draws the
    best score so far itself on a linear axis.

    Parameters
    ----------
    *searches : fitted search estimators
        Any mix of sksearch searches, ``GridSearchCV`` and ``RandomizedSearchCV``.
    labels : list of str, default=None
        Legend entries; default: the class names. When the searches use
        different metrics, each entry also names its metric.
    scale : {"regret", "score"}, default="regret"
        What the y axis shows (see above).
    ax : matplotlib Axes, default=None
        Where to draw; default: a new figure.

    Returns
    -------
    ax : matplotlib Axes

    Examples
    --------
    >>> from scipy.stats import loguniform
    >>> from sklearn.datasets import load_iris
    >>> from sklearn.model_selection import GridSearchCV
    >>> from sklearn.svm import SVC
    >>> from sksearch import BayesSearchCV
    >>> from sksearch.plot import plot_convergence
    >>> X, y = load_iris(return_X_y=True)
    >>> bayes = BayesSearchCV(SVC(), {"C": loguniform(1e-3, 1e3)}, n_iter=6, cv=3,
    ...                       scoring="accuracy", random_state=0).fit(X, y)
    >>> grid = GridSearchCV(SVC(), {"C": [1e-3, 1e-1, 1e1, 1e3]}, cv=3,
    ...                     scoring="accuracy").fit(X, y)
    >>> ax = plot_convergence(bayes, grid, labels=["bayes", "grid"])
    >>> ax.get_ylabel(), ax.get_yscale()
    ('gap to the best accuracy seen', 'symlog')
    >>> [line.get_label() for line in ax.lines]
    ['bayes', 'grid']
    """
    if not searches:
        raise ValueError("plot_convergence needs at least one fitted search")
    if scale not in ("regret", "score"):
        raise ValueError(f"scale must be 'regret' or 'score', got {scale!r}")
    labels = [type(s).__name__ for s in searches] if labels is None else list(labels)
    if len(labels) != len(searches):
        raise ValueError(f"{len(labels)} labels for {len(searches)} searches")
    ax = _axes(ax)
    metrics = [_metric(search) for search in searches]
    curves = [best_so_far(search) for search in searches]
    one_metric = len(set(metrics)) == 1
    if not one_metric:
        labels = [f"{label} ({metric})" for label, metric in zip(labels, metrics)]
    if scale == "regret":
        best = {m: _finite_max(np.concatenate([c for c, n in zip(curves, metrics) if n == m]))
                for m in set(metrics)}
        curves = [best[metric] - curve for curve, metric in zip(curves, metrics)]
        what = f"the best {metrics[0]}" if one_metric else "the best score"
        ylabel = f"gap to {what} seen" + ("" if one_metric else " (same metric)")
    else:
        ylabel = f"best {metrics[0] if one_metric else 'score'} so far"
    for curve, label in zip(curves, labels):
        ax.plot(np.arange(1, len(curve) + 1), curve, drawstyle="steps-post", label=label)
    if scale == "regret":
        gaps = np.concatenate([c[np.isfinite(c) & (c > 0)] for c in curves])
        if len(gaps):
            # linear below the decade of the smallest gap, so that 0 is drawn too
            linear = 10.0 ** math.floor(math.log10(gaps.min()))
            ax.set_yscale("symlog", linthresh=linear)
            ax.set_ylim(bottom=-linear / 10)  # lines at 0 stay clear of the frame
    from matplotlib.ticker import MaxNLocator

    ax.xaxis.set_major_locator(MaxNLocator(integer=True))
    ax.set_xlabel("candidates evaluated")
    ax.set_ylabel(ylabel)
    ax.legend()
    return ax


def plot_scores(search, params=None, axes=None):
    """Mean test score against each hyperparameter, one panel per parameter.

    Every candidate that has the parameter is drawn in its panel; with a
    union of subspaces, a panel whose parameter only some candidates have
    says how many in its label. The panels share the score axis.

    Parameters
    ----------
    search : fitted search estimator
    params : list of str, default=None
        Which parameters; default: every one that ``cv_results_`` holds.
    axes : array of matplotlib Axes, default=None
        One per parameter; default: a new figure with one row of panels.

    Returns
    -------
    axes : list of matplotlib Axes

    Examples
    --------
    >>> from sklearn.datasets import load_iris
    >>> from sklearn.svm import SVC
    >>> from sksearch import GeneticSearchCV
    >>> from sksearch.plot import plot_scores
    >>> from sksearch.space import Real
    >>> X, y = load_iris(return_X_y=True)
    >>> space = {"C": Real(1e-2, 1e2, log=True), "kernel": ["rbf", "linear"]}
    >>> search = GeneticSearchCV(SVC(), space, n_iter=8, cv=3, random_state=0).fit(X, y)
    >>> axes = plot_scores(search)
    >>> [(ax.get_xlabel(), ax.get_xscale()) for ax in axes]
    [('C', 'log'), ('kernel', 'linear')]
    >>> [label.get_text() for label in axes[1].get_xticklabels()]
    ['linear', 'rbf']
    """
    names = _parameter_names(search)
    params = names if params is None else list(params)
    for name in params:
        _check_name(name, names)
    created = axes is None
    if created:
        import matplotlib.pyplot as plt

        _, axes = plt.subplots(1, len(params), figsize=(1 + 3.5 * len(params), 3.5),
                               sharey=True, squeeze=False, layout="constrained")
    axes = list(np.ravel(axes))
    if len(axes) < len(params):
        raise ValueError(f"{len(axes)} axes for {len(params)} parameters")
    scores = _scores(search)
    n_candidates = len(scores)
    categorical = []
    for i, (ax, name) in enumerate(zip(axes, params)):
        keep = _has(search, name)
        positions, is_category = _place(ax, "x", _values(search, name))
        ax.scatter(positions, scores[keep], s=18, alpha=0.8)
        if is_category:
            categorical.append(ax)
        n = int(keep.sum())
        ax.set_xlabel(name if n == n_candidates else f"{name} ({n} of {n_candidates} candidates)")
        if i == 0 or not created:
            ax.set_ylabel(f"mean test {_metric(search)}")
    _separate_category_labels(categorical, grow=created)
    return axes[:len(params)]


def plot_pair(search, x, y, ax=None):
    """Two hyperparameters against each other, each candidate colored by its score.

    Parameters
    ----------
    search : fitted search estimator
    x, y : str
        Parameter names; the candidates that have both are drawn.
    ax : matplotlib Axes, default=None
        Where to draw; default: a new figure.

    Returns
    -------
    ax : matplotlib Axes

    Examples
    --------
    >>> from scipy.stats import loguniform
    >>> from sklearn.datasets import load_iris
    >>> from sklearn.svm import SVC
    >>> from sksearch import PSOSearchCV
    >>> from sksearch.plot import plot_pair
    >>> X, y = load_iris(return_X_y=True)
    >>> space = {"C": loguniform(1e-2, 1e2), "gamma": loguniform(1e-3, 1e1)}
    >>> search = PSOSearchCV(SVC(), space, n_iter=8, cv=3, random_state=0).fit(X, y)
    >>> ax = plot_pair(search, "C", "gamma")
    >>> ax.get_xscale(), ax.get_yscale(), len(ax.collections[0].get_offsets())
    ('log', 'log', 8)
    """
    names = _parameter_names(search)
    for name in (x, y):
        _check_name(name, names)
    created = ax is None
    ax = _axes(ax)
    keep = _has(search, x) & _has(search, y)
    xs, x_category = _place(ax, "x", _values(search, x, keep))
    ys, _ = _place(ax, "y", _values(search, y, keep))
    points = ax.scatter(xs, ys, c=_scores(search)[keep], cmap="viridis", s=24)
    ax.figure.colorbar(points, ax=ax, label=f"mean test {_metric(search)}")
    ax.set_xlabel(x)
    ax.set_ylabel(y)
    _separate_category_labels([ax] if x_category else [], grow=created)
    return ax


# ---------------------------------------------------------------------- helpers
def _axes(ax):
    if ax is None:
        import matplotlib.pyplot as plt

        _, ax = plt.subplots(figsize=(6, 4), layout="constrained")
    return ax


def _score_key(search):
    """The score a search maximized (as the search itself names it)."""
    return objective_key(search.cv_results_, getattr(search, "refit", True))


def _metric(search):
    """Name of the metric drawn: the refit metric, the scoring string or "score"."""
    key = _score_key(search)
    if key != "mean_test_score":
        return key[len("mean_test_"):]
    scoring = getattr(search, "scoring", None)
    return scoring if isinstance(scoring, str) else "score"


def _scores(search):
    """The maximized score of each row; NaN for rows evaluated at less than the
    largest resource (multi-fidelity rungs, as in the Halving searches)."""
    scores = np.asarray(search.cv_results_[_score_key(search)], dtype=float)
    if "n_resources" in search.cv_results_:
        n_resources = np.asarray(search.cv_results_["n_resources"])
        scores = np.where(n_resources == n_resources.max(), scores, np.nan)
    return scores


def _finite_max(values):
    finite = values[np.isfinite(values)]
    return finite.max() if len(finite) else np.nan


def _parameter_names(search):
    """Every parameter of ``cv_results_["params"]``, in order of first appearance."""
    names = {}
    for params in search.cv_results_["params"]:
        names.update(dict.fromkeys(params))
    names.pop(getattr(search, "resource", None), None)  # set by the schedule, not searched
    return list(names)


def _check_name(name, names):
    if name not in names:
        raise ValueError(f"{name!r} is not a searched parameter; choose from {names}")


def _has(search, name):
    """Mask of the candidates that have parameter ``name`` (unions lack some)."""
    return np.array([name in p for p in search.cv_results_["params"]], dtype=bool)


def _values(search, name, keep=None):
    if keep is None:
        keep = _has(search, name)
    return [p[name] for p, k in zip(search.cv_results_["params"], keep) if k]


def _is_number(value):
    return isinstance(value, numbers.Real) and not isinstance(value, bool)


def _place(ax, axis, values):
    """Set up ``axis`` of ``ax`` for ``values``; return their positions and if categorical.

    Numbers go on a numeric axis (log when positive and spanning ``LOG_RATIO``);
    anything else becomes categories: numbers first in order, then the others
    by label.
    """
    if values and all(_is_number(v) for v in values):
        positions = np.asarray(values, dtype=float)
        low, high = positions.min(), positions.max()
        if low > 0 and high / low >= LOG_RATIO:
            (ax.set_xscale if axis == "x" else ax.set_yscale)("log")
        return positions, False
    labels = [v if isinstance(v, str) else repr(v) for v in values]
    order = {}
    for value, label in zip(values, labels):
        order.setdefault(label, (0, float(value), "") if _is_number(value) else (1, 0.0, label))
    categories = sorted(order, key=order.get)
    index = {label: i for i, label in enumerate(categories)}
    ticks = range(len(categories))
    shown = [_shorten(label) for label in categories]
    if axis == "x":
        ax.set_xticks(ticks, shown)
        ax.set_xlim(-0.5, len(categories) - 0.5)
    else:
        ax.set_yticks(ticks, shown)
        ax.set_ylim(-0.5, len(categories) - 0.5)
    return np.array([index[label] for label in labels], dtype=float), True


def _shorten(label):
    """``label`` on lines of ``LABEL_WIDTH`` characters, broken after ``(``, ``,`` or a space."""
    if len(label) <= LABEL_WIDTH:
        return label
    lines = [""]
    for piece in re.findall(r"[^(,\s]*[(,\s]*", label):
        if lines[-1] and len(lines[-1]) + len(piece.rstrip()) > LABEL_WIDTH:
            lines.append("")
        lines[-1] += piece
    # a piece longer than a line is cut where it must be
    lines = [part for line in lines for part in textwrap.wrap(line, LABEL_WIDTH) or [""]]
    if len(lines) > LABEL_LINES:
        lines = lines[:LABEL_LINES - 1] + [lines[LABEL_LINES - 1][:LABEL_WIDTH - 1] + "…"]
    return "\n".join(line.rstrip() for line in lines)


def _separate_category_labels(axes, grow=False):
    """Turn the category labels of ``axes`` upright where they would collide.

    With ``grow``, the figure grows by the height the upright labels take.
    """
    if not axes:
        return
    figure = axes[0].figure
    figure.draw_without_rendering()
    renderer = figure.canvas.get_renderer()
    height = 0.0
    for ax in axes:
        labels = [t for t in ax.get_xticklabels() if t.get_visible() and t.get_text()]
        boxes = [t.get_window_extent(renderer) for t in labels]
        if any(a.x1 + 2 > b.x0 for a, b in zip(boxes, boxes[1:])):
            ax.tick_params(axis="x", labelrotation=90)
            height = max(height, max(box.width for box in boxes))
    if grow and height:
        figure.set_figheight(figure.get_figheight() + height / figure.dpi)
