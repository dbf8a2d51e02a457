"""What the plots read from a fitted search: its public results only.

``cv_results_``, ``refit``, ``scoring``, ``best_index_`` and, for a search with
several objectives, ``objectives`` and ``pareto_front_``; never a private
attribute, so any scikit-learn search can be drawn.
"""

import numpy as np

from ..base import at_full_resource as rows_at_full_resource

def score_key(search):
    """The ``cv_results_`` key of the score the search ranks by, from its public results.

    ``mean_test_score`` with one metric; with several, the metric that
    ``refit`` names, else (``refit`` a callable, or False) the first metric
    of ``cv_results_``, the order of ``scoring``.
    """
    results = search.cv_results_
    if "mean_test_score" in results:
        return "mean_test_score"
    names = [key[len("mean_test_"):] for key in results if key.startswith("mean_test_")]
    refit = getattr(search, "refit", True)
    return "mean_test_" + (refit if isinstance(refit, str) and refit in names else names[0])


def metric_name(search):
    """Name of the metric drawn: the refit metric, the scoring string or "score"."""
    key = score_key(search)
    if key != "mean_test_score":
        return key[len("mean_test_"):]
    scoring = getattr(search, "scoring", None)
    return scoring if isinstance(scoring, str) else "score"


def ranked_scores(search):
    """The maximized score of each row; NaN for rows evaluated at less than the
    largest resource (multi-fidelity rungs, as in the Halving searches)."""
    scores = np.asarray(search.cv_results_[score_key(search)], dtype=float)
    return np.where(at_full_resource(search), scores, np.nan)


def at_full_resource(search):
    """Mask of the rows that may be best (:func:`sksearch.base.at_full_resource`);
    True without a resource. A search stopped before any row reached its
    ``max_resources_`` shows the rows of the largest resource evaluated."""
    results = search.cv_results_
    if "n_resources" not in results:
        return True
    n_resources = np.asarray(results["n_resources"])
    full = rows_at_full_resource(results, getattr(search, "max_resources_", n_resources.max()))
    return full if full.any() else n_resources == n_resources.max()


def finite_max(values):
    finite = values[np.isfinite(values)]
    return finite.max() if len(finite) else np.nan


def parameter_names(search):
    """Every parameter of ``cv_results_["params"]``, in order of first appearance."""
    names = {}
    for params in search.cv_results_["params"]:
        names.update(dict.fromkeys(params))
    names.pop(getattr(search, "resource", None), None)  # set by the schedule, not searched
    return list(names)


def check_name(name, names):
    if name not in names:
        raise ValueError(f"{name!r} is not a searched parameter; choose from {names}")


def has_parameter(search, name):
    """Mask of the candidates that have parameter ``name`` (unions lack some)."""
    return np.array([name in p for p in search.cv_results_["params"]], dtype=bool)


def parameter_values(search, name, keep=None):
    if keep is None:
        keep = has_parameter(search, name)
    return [p[name] for p, k in zip(search.cv_results_["params"], keep) if k]


def pareto_objectives(search, objectives):
    """The two objectives to draw and their senses; refuse a search without several."""
    declared = getattr(search, "objectives", None)
    if not isinstance(declared, dict) or len(declared) < 2:
        raise ValueError(
            f"plot_pareto needs a search with several objectives (objectives= naming two or "
            f"more metrics); this {type(search).__name__} has objectives={declared!r}. "
            "For one objective, use plot_convergence or plot_scores.")
    if "rank_pareto" not in search.cv_results_:
        raise ValueError(f"this {type(search).__name__} has objectives={declared!r} but no "
                         "cv_results_['rank_pareto']: it was not fitted with them")
    if objectives is None:
        if len(declared) > 2:
            raise ValueError(f"the search has {len(declared)} objectives {list(declared)}: "
                             "pass objectives=[x, y] naming the two to draw")
        objectives = list(declared)
    objectives = list(objectives)
    if len(objectives) != 2 or len(set(objectives)) != 2 or not set(objectives) <= set(declared):
        raise ValueError(f"objectives must name two of the search's objectives "
                         f"{list(declared)}, got {objectives!r}")
    senses = [declared[name] for name in objectives]
    for name, sense in zip(objectives, senses):
        if sense not in ("maximize", "minimize"):
            raise ValueError(f"objective {name!r} is {sense!r}, not 'maximize' or 'minimize'")
    return objectives, senses


def objective_column(results, name):
    """The ``cv_results_`` column of an objective: ``mean_fit_time``, or ``mean_test_<name>``."""
    column = f"mean_{name}" if name in ("fit_time", "score_time") else f"mean_test_{name}"
    if column not in results:
        raise ValueError(f"cv_results_ has no {column!r} for objective {name!r}")
    return column


def objective_label(name, sense):
    what = f"mean {name.replace('_', ' ')} in s" if name in ("fit_time", "score_time") else (
        f"mean test {name}")
    return f"{what} ({sense}d)"
