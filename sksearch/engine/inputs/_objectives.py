"""``objectives=``: which ``cv_results_`` columns a search of several objectives trades off.

:func:`check_objectives` reads what the user wrote, before any fit, into
:class:`Objectives`: for each objective the ``cv_results_`` column it is
read from and whether it is maximized or minimized. The optimizer is told
the columns oriented so that it maximizes every one of them.

Names are those of the search's ``scoring`` (the keys of a multi-metric
``scoring``, or ``"score"`` for a single metric) and the two measured
times, ``"fit_time"`` and ``"score_time"`` (``mean_fit_time``,
``mean_score_time``).
"""

from dataclasses import dataclass

import numpy as np

#: The directions an objective may take.
DIRECTIONS = ("maximize", "minimize")
#: Names of the measured times and their ``cv_results_`` columns.
TIMES = {"fit_time": "mean_fit_time", "score_time": "mean_score_time"}
_EXAMPLE = "objectives={'accuracy': 'maximize', 'n_leaves': 'minimize'}"


@dataclass(frozen=True)
class Objectives:
    """The objectives of a search, in the order written.

    Attributes
    ----------
    names : tuple of str
        As written (a metric name, ``"fit_time"`` or ``"score_time"``).
    keys : tuple of str
        The ``cv_results_`` column of each.
    signs : ndarray of shape (n_objectives,)
        +1 for a maximized objective, -1 for a minimized one.

    Examples
    --------
    >>> objectives = Objectives(("accuracy", "fit_time"),
    ...                         ("mean_test_accuracy", "mean_fit_time"), np.array([1, -1]))
    >>> objectives.scores({"mean_test_accuracy": [0.9, 0.8], "mean_fit_time": [2.0, 1.0]}, 2)
    array([[ 0.9, -2. ],
           [ 0.8, -1. ]])
    """

    names: tuple
    keys: tuple
    signs: np.ndarray

    def __len__(self):
        return len(self.names)

    def scores(self, cv_results, n):
        """The last ``n`` rows' objectives, each oriented to be maximized: shape ``(n, m)``."""
        columns = [np.asarray(cv_results[key][len(cv_results[key]) - n:], dtype=float)
                   for key in self.keys]
        return np.column_stack(columns) * self.signs


def metric_names(scoring):
    """Names of the metrics a ``scoring`` gives, or None when only its results say
    (a callable, which may return a dict)."""
    if callable(scoring):
        return None
    if scoring is None or isinstance(scoring, str):
        return ("score",)
    return tuple(scoring)


def check_objectives(objectives, scoring, refit=False):
    """Refuse an ``objectives`` value that is not what it must be; return
    :class:`Objectives`, or None for ``objectives=None``.

    Examples
    --------
    >>> check_objectives({"accuracy": "maximize", "fit_time": "minimize"},
    ...                  ["accuracy", "f1"]).keys
    ('mean_test_accuracy', 'mean_fit_time')
    >>> check_objectives({"score": "maximize", "n_leaves": "minimize"}, None)
    Traceback (most recent call last):
    ...
    ValueError: objectives names 'n_leaves', which is not a metric of scoring=None ...
    """
    if objectives is None:
        return None
    if not isinstance(objectives, dict) or not objectives:
        hint = ""
        if isinstance(objectives, (list, tuple)) and set(objectives) <= set(DIRECTIONS):
            hint = (" (a list of directions, as Optuna's directions= takes, is written here "
                    "as a dict that names the metric of each)")
        raise ValueError(f"objectives must be a non-empty dict from metric names to "
                         f"'maximize' or 'minimize', e.g. {_EXAMPLE}; got {objectives!r}{hint}")
    names = metric_names(scoring)
    multimetric = names is not None and names != ("score",)
    keys, signs = [], []
    for name, direction in objectives.items():
        if not isinstance(name, str):
            raise ValueError(f"objectives keys must be metric names (str), got {name!r}: "
                             f"e.g. {_EXAMPLE}")
        if direction not in DIRECTIONS:
            raise ValueError(f"objectives[{name!r}]={direction!r}: write 'maximize' or "
                             f"'minimize', e.g. {_EXAMPLE}")
        if name in TIMES:
            keys.append(TIMES[name])
        elif names is None or name in names:
            keys.append(f"mean_test_{name}" if multimetric or names is None
                        else "mean_test_score")
        else:
            raise ValueError(_unknown(name, names, scoring))
        signs.append(1.0 if direction == "maximize" else -1.0)
    if refit is True and multimetric:
        raise ValueError(
            f"refit=True: with several metrics, refit names the metric whose best candidate "
            f"is refit (one of {list(names)}), or is a callable that picks a row of "
            "cv_results_ (e.g. the most accurate candidate of the Pareto front under a size), "
            "or is False to keep only the Pareto front (pareto_front_)")
    return Objectives(tuple(objectives), tuple(keys), np.array(signs))


def check_objective_columns(objectives, cv_results, scoring):
    """Refuse objectives that the first results of a callable ``scoring`` do not hold."""
    missing = [name for name, key in zip(objectives.names, objectives.keys)
               if key not in cv_results]
    if missing:
        found = sorted(k[len("mean_test_"):] for k in cv_results if k.startswith("mean_test_"))
        raise ValueError(f"objectives names {missing[0]!r}, which the callable "
                         f"scoring={scoring!r} does not return: its metrics are {found} "
                         f"(and {sorted(TIMES)})")


def _unknown(name, names, scoring):
    hint = ("" if names != ("score",) else
            f" A single-metric scoring is named 'score'; for a metric of its own, give "
            f"scoring={{'score': {scoring!r}, {name!r}: <scorer>}} and use its names.")
    return (f"objectives names {name!r}, which is not a metric of scoring={scoring!r} "
            f"(its metrics: {list(names)}; the times: {sorted(TIMES)}).{hint}")


def check_optimizer_objectives(search, optimizer):
    """Refuse an optimizer built for another number of objectives than the search has."""
    n = getattr(optimizer, "n_objectives", 1)
    if n != search._n_objectives():
        raise ValueError(
            f"{type(search).__name__}._make_optimizer built a {type(optimizer).__name__} of "
            f"n_objectives={n}, but the search has {search._n_objectives()} "
            f"(objectives={search.objectives!r}): build it with "
            "n_objectives=self._n_objectives()")
