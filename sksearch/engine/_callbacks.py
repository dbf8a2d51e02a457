"""Batch callbacks: what they see after each batch (:class:`SearchState`), and their runner."""

from dataclasses import dataclass

import numpy as np

from ._results import at_full_resource


@dataclass
class SearchState:
    """What a batch callback sees after each batch.

    Attributes
    ----------
    search : BaseOptimizerSearch
        The search being fitted.
    iteration : int
        Index of the batch just finished.
    n_candidates : int
        Distinct candidates evaluated so far.
    best_score : float
        Best mean test score of the optimized metric so far (with a
        ``resource``: at the full resource; NaN before any candidate
        reached it).
    best_params : dict
        Parameters of that candidate.
    elapsed : float
        Seconds since the search started.
    cv_results : dict
        Results so far, formatted like ``cv_results_``.

    Examples
    --------
    >>> from scipy.stats import loguniform
    >>> from sklearn.datasets import load_iris
    >>> from sklearn.svm import SVC
    >>> from sksearch import BayesSearchCV
    >>> X, y = load_iris(return_X_y=True)
    >>> def good_enough(state):
    ...     return state.best_score >= 0.95
    >>> search = BayesSearchCV(SVC(), {"C": loguniform(1e-2, 1e2)}, n_iter=30, cv=3,
    ...                        batch_callbacks=[good_enough], random_state=0).fit(X, y)
    >>> search.stop_reason_, len(search.cv_results_["params"]) < 30
    ('callback', True)
    """

    search: object
    iteration: int
    n_candidates: int
    best_score: float
    best_params: dict
    elapsed: float
    cv_results: dict


def check_batch_callbacks(callbacks):
    """``batch_callbacks`` as a list, each checked to be a plain callable."""
    if callbacks is None:
        return []
    callbacks = [callbacks] if callable(callbacks) else list(callbacks)
    for i, callback in enumerate(callbacks):
        if hasattr(callback, "on_fit_task_begin") or not callable(callback):
            hint = ""
            if hasattr(callback, "on_fit_task_begin"):
                hint = (" It is a scikit-learn callback: pass it with "
                        "search.set_callbacks(...) instead.")
            raise TypeError(
                f"batch_callbacks[{i}] must be a callable that takes a SearchState, got "
                f"{callback!r}.{hint}"
            )
    return callbacks


def batch_callback_runner(search, callbacks, results, resource=None):
    """The loop's stopping callback: call every callback with a :class:`SearchState`."""
    if not callbacks:
        return None
    max_resources = None if resource is None else resource.ladder[-1]

    def run(loop):
        cv_results = results.cv_results
        scores = np.asarray(cv_results[results.objective], dtype=float)
        scores = np.where(at_full_resource(cv_results, max_resources), scores, np.nan)
        finite = np.isfinite(scores)
        best = int(np.argmax(np.where(finite, scores, -np.inf))) if finite.any() else 0
        state = SearchState(search=search, iteration=loop.iteration,
                            n_candidates=len(loop.scores), best_score=float(scores[best]),
                            best_params=cv_results["params"][best],
                            elapsed=loop.elapsed, cv_results=cv_results)
        return any([_stop_request(callback, callback(state)) for callback in callbacks])

    return run


def _stop_request(callback, answer):
    """Whether ``answer`` (True, False, None or a numpy bool) asks the search to stop."""
    if answer is None or isinstance(answer, (bool, np.bool_)):
        return bool(answer)
    name = getattr(callback, "__qualname__", None) or repr(callback)
    raise TypeError(
        f"batch callback {name} returned {answer!r} ({type(answer).__name__}); a batch "
        "callback returns True to stop the search, False or None to go on"
    )
