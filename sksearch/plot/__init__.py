"""Plots of fitted searches (needs matplotlib: ``pip install sksearch[plot]``).

Every function reads a fitted search's public results only (``cv_results_``,
``refit``, ``scoring``, ``best_index_``; ``objectives`` and ``pareto_front_`` for
the Pareto front), so it works for ``GridSearchCV``, ``RandomizedSearchCV`` and
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

import numpy as np

from ._axes import line_style, place, separate_category_labels, zoomed_limits
from ._reading import (
    at_full_resource,
    check_name,
    finite_max,
    has_parameter,
    metric_name,
    objective_column,
    objective_label,
    parameter_names,
    parameter_values,
    pareto_objectives,
    ranked_scores,
)

__all__ = ["plot_convergence", "plot_scores", "plot_pair", "plot_pareto", "best_so_far"]



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
    scores = ranked_scores(search)
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
    ('gap to the best mean test accuracy seen', 'symlog')
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
    metrics = [metric_name(search) for search in searches]
    curves = [best_so_far(search) for search in searches]
    one_metric = len(set(metrics)) == 1
    what = f"mean test {metrics[0]}" if one_metric else "score"
    if not one_metric:
        labels = [f"{label} ({metric})" for label, metric in zip(labels, metrics)]
    if scale == "regret":
        curves = _gaps_to_best(curves, metrics)
        ylabel = f"gap to the best {what} seen" + ("" if one_metric else " (same metric)")
    else:
        ylabel = f"best {what} so far"
    for i, (curve, label) in enumerate(zip(curves, labels)):
        ax.plot(np.arange(1, len(curve) + 1), curve, drawstyle="steps-post", label=label,
                **line_style(i, len(curves), len(curve)))
    if scale == "regret":
        gaps = np.concatenate([c[np.isfinite(c) & (c > 0)] for c in curves])
        if len(gaps):
            # linear below the decade of the smallest gap, so that 0 is drawn too
            linear = 10.0 ** math.floor(math.log10(gaps.min()))
            ax.set_yscale("symlog", linthresh=linear)
            ax.set_ylim(bottom=-linear / 10)  # lines at 0 stay clear of the frame
    elif (limits := zoomed_limits(curves)) is not None:
        ax.set_ylim(*limits)
    from matplotlib.ticker import MaxNLocator

    ax.xaxis.set_major_locator(MaxNLocator(integer=True))
    ax.set_xlabel("candidates evaluated")
    ax.set_ylabel(ylabel)
    n = len(searches)
    ax.set_title(f"Convergence of {n} search{'es' if n > 1 else ''}"
                 + (f" ({what})" if one_metric else ""))
    ax.legend()
    return ax


def _gaps_to_best(curves, metrics):
    """Each curve's gap to the best value of any curve with the same metric."""
    best = {m: finite_max(np.concatenate([c for c, n in zip(curves, metrics) if n == m]))
            for m in set(metrics)}
    return [best[metric] - curve for curve, metric in zip(curves, metrics)]


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
    names = parameter_names(search)
    params = names if params is None else list(params)
    for name in params:
        check_name(name, names)
    created = axes is None
    if created:
        import matplotlib.pyplot as plt

        _, axes = plt.subplots(1, len(params), figsize=(1 + 3.5 * len(params), 3.5),
                               sharey=True, squeeze=False, layout="constrained")
    axes = list(np.ravel(axes))
    if len(axes) < len(params):
        raise ValueError(f"{len(axes)} axes for {len(params)} parameters")
    scores = ranked_scores(search)
    n_candidates = len(scores)
    categorical = []
    for i, (ax, name) in enumerate(zip(axes, params)):
        keep = has_parameter(search, name)
        positions, is_category = place(ax, "x", parameter_values(search, name))
        ax.scatter(positions, scores[keep], s=18, alpha=0.8)
        if is_category:
            categorical.append(ax)
        n = int(keep.sum())
        ax.set_xlabel(name if n == n_candidates else f"{name} ({n} of {n_candidates} candidates)")
        if i == 0 or not created:
            ax.set_ylabel(f"mean test {metric_name(search)}")
    separate_category_labels(categorical, grow=created)
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
    names = parameter_names(search)
    for name in (x, y):
        check_name(name, names)
    created = ax is None
    ax = _axes(ax)
    keep = has_parameter(search, x) & has_parameter(search, y)
    xs, x_category = place(ax, "x", parameter_values(search, x, keep))
    ys, _ = place(ax, "y", parameter_values(search, y, keep))
    points = ax.scatter(xs, ys, c=ranked_scores(search)[keep], cmap="viridis", s=24)
    ax.figure.colorbar(points, ax=ax, label=f"mean test {metric_name(search)}")
    ax.set_xlabel(x)
    ax.set_ylabel(y)
    separate_category_labels([ax] if x_category else [], grow=created)
    return ax


def plot_pareto(search, objectives=None, ax=None):
    """The candidates of a search with several objectives, and its Pareto front.

    Each candidate evaluated at the full resource (all of them, without
    multi-fidelity) is a point; the Pareto front (``rank_pareto`` 1: no other
    candidate is as good in every objective and better in one) is
    highlighted, connected in the order of the x axis; the candidate that the
    search refit (``best_index_``), if any, is marked. Candidates that failed
    (NaN) are left out.

    Parameters
    ----------
    search : fitted search with several objectives
        It has ``objectives`` (metric name -> ``"maximize"`` or
        ``"minimize"``; ``"fit_time"`` and ``"score_time"`` are the mean fit
        and score times) and ``cv_results_["rank_pareto"]``; its
        ``pareto_front_`` (row indices), when it has one, is the front.
    objectives : pair of str, default=None
        The objectives on the x and the y axis; default: the search's two
        objectives (with more, name the two to draw).
    ax : matplotlib Axes, default=None
        Where to draw; default: a new figure.

    Returns
    -------
    ax : matplotlib Axes

    Examples
    --------
    Any fitted search with these public results works; here one written by hand:

    >>> from types import SimpleNamespace
    >>> import numpy as np
    >>> from sksearch.plot import plot_pareto
    >>> search = SimpleNamespace(
    ...     objectives={"accuracy": "maximize", "fit_time": "minimize"}, best_index_=1,
    ...     cv_results_={"mean_test_accuracy": np.array([0.90, 0.95, 0.97, 0.93]),
    ...                  "mean_fit_time": np.array([0.1, 0.2, 0.5, 0.4]),
    ...                  "rank_pareto": np.array([1, 1, 1, 2]), "params": [{}] * 4})
    >>> ax = plot_pareto(search)
    >>> ax.get_xlabel(), ax.get_ylabel()
    ('mean test accuracy (maximized)', 'mean fit time in s (minimized)')
    >>> ax.lines[0].get_xydata().tolist()  # the front, in the order of x
    [[0.9, 0.1], [0.95, 0.2], [0.97, 0.5]]
    """
    names, senses = pareto_objectives(search, objectives)
    results = search.cv_results_
    values = np.column_stack([np.asarray(results[objective_column(results, name)], dtype=float)
                              for name in names])
    drawn = at_full_resource(search) & np.isfinite(values).all(axis=1)
    front = np.zeros(len(values), dtype=bool)
    if hasattr(search, "pareto_front_"):
        front[np.asarray(search.pareto_front_, dtype=int)] = True
    else:
        front = np.asarray(results["rank_pareto"]) == 1
    front &= drawn
    ax = _axes(ax)
    order = np.flatnonzero(front)[np.argsort(values[front, 0], kind="stable")]
    ax.plot(*values[order].T, marker="o", color="tab:red", zorder=2,
            label=f"Pareto front ({len(order)})")
    others = drawn & ~front
    ax.scatter(*values[others].T, s=18, color="0.55", zorder=1,
               label=f"other candidates ({int(others.sum())})")
    best = getattr(search, "best_index_", None)
    if best is not None and drawn[best]:
        ax.scatter(*values[best], marker="*", s=240, color="gold", edgecolors="black",
                   zorder=3, label=f"refit choice (candidate {int(best)})")
    ax.set_xlabel(objective_label(names[0], senses[0]))
    ax.set_ylabel(objective_label(names[1], senses[1]))
    ax.set_title(f"Pareto front: {len(order)} of {int(drawn.sum())} candidates")
    ax.legend()
    return ax


# ---------------------------------------------------------------------- helpers
def _axes(ax):
    if ax is None:
        import matplotlib.pyplot as plt

        _, ax = plt.subplots(figsize=(6, 4), layout="constrained")
    return ax
