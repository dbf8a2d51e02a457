"""Every private scikit-learn name that sksearch uses, in one place.

The searches are :class:`~sklearn.model_selection.BaseSearchCV` subclasses
that own their ``fit``; what they borrow from scikit-learn's internals goes
through this module and nowhere else, so that a change in scikit-learn
breaks one small file, tested on the oldest and the newest supported
versions (``tests/test_sklearn_adapter.py``). The names and why each is used:

* ``BaseSearchCV`` (``sklearn.model_selection._search``): the base class, for
  ``predict``/``score``/... delegation, ``_format_results`` (the exact
  ``cv_results_`` format), ``_get_scorers`` (scoring and multi-metric
  checks), ``_check_refit_for_multimetric``, ``_get_routed_params_for_fit``
  (metadata routing of fit parameters, groups and scorer parameters).
* ``_fit_and_score`` (``sklearn.model_selection._validation``): fits and
  scores one candidate on one split exactly as ``RandomizedSearchCV`` does
  (error_score, timings, train scores, verbose messages, callbacks).
* ``_check_method_params`` (``sklearn.utils.validation``): indexes fit
  parameters of length n_samples along with ``X``.
* ``_fit_context`` (``sklearn.base``): validates ``_parameter_constraints``
  and, in scikit-learn 1.9+, sets up the callbacks of ``set_callbacks``.
* ``Interval``, ``StrOptions``, ``HasMethods``
  (``sklearn.utils._param_validation``): the declared parameter constraints.
* ``_check_sample_weight`` (``sklearn.utils.validation``): the Keras
  wrappers' sample weights, validated as scikit-learn's estimators do.
* ``_validate_params`` (a method of scikit-learn's estimators): checks a
  multi-fidelity resource value against the estimator's declared
  constraints before any fit.
* ``_init_callback_context`` (scikit-learn 1.9+): the root of the task tree
  that ``set_callbacks(...)`` callbacks (e.g. ``ProgressBar``) follow.
"""

from inspect import signature

from sklearn.base import _fit_context
from sklearn.model_selection._search import BaseSearchCV
from sklearn.model_selection._validation import _fit_and_score
from sklearn.utils._param_validation import HasMethods, Interval, StrOptions
from sklearn.utils.validation import _check_method_params, _check_sample_weight

__all__ = [
    "BaseSearchCV",
    "HasMethods",
    "Interval",
    "StrOptions",
    "check_fit_params",
    "check_refit_for_multimetric",
    "check_sample_weight",
    "estimator_fit_context",
    "evaluation_contexts",
    "fit_and_score",
    "fit_context",
    "format_results",
    "get_scorers",
    "root_callback_context",
    "routed_params",
    "validate_estimator_params",
]

_FIT_AND_SCORE_ARGS = set(signature(_fit_and_score).parameters)

#: Decorator of a search's ``fit``: parameter validation (and callbacks).
fit_context = _fit_context(prefer_skip_nested_validation=False)
#: Decorator of an estimator's ``fit`` (the Keras wrappers): the same, with
#: nested validation skipped as scikit-learn's own estimators do.
estimator_fit_context = _fit_context(prefer_skip_nested_validation=True)


def validate_estimator_params(estimator):
    """Check ``estimator``'s parameters against its declared constraints, when it has them."""
    if hasattr(estimator, "_validate_params") and hasattr(estimator, "_parameter_constraints"):
        estimator._validate_params()


def check_sample_weight(sample_weight, X, **kwargs):
    """``sample_weight`` as an array of n_samples floats (ones for None)."""
    return _check_sample_weight(sample_weight, X, **kwargs)


def check_fit_params(X, params):
    """Fit parameters indexable like ``X`` (arrays of length n_samples are split too)."""
    return _check_method_params(X, params=params)


def get_scorers(search):
    """``(scorers, refit_metric)`` as ``BaseSearchCV.fit`` computes them."""
    return search._get_scorers()


def routed_params(search, params):
    """Fit parameters routed to the estimator's ``fit``, the splitter and the scorer."""
    return search._get_routed_params_for_fit(params)


def check_refit_for_multimetric(search, scores):
    """Raise if ``refit`` names no metric of a callable multi-metric ``scoring``."""
    search._check_refit_for_multimetric(scores)


def format_results(search, candidate_params, n_splits, out, more_results):
    """``cv_results_`` of the per-split records ``out``, in scikit-learn's format."""
    return search._format_results(candidate_params, n_splits, out, more_results)


def fit_and_score(estimator, X, y, *, train, test, parameters, split_progress,
                  candidate_progress, caller, callback_ctx, **kwargs):
    """Fit ``estimator`` with ``parameters`` on ``train``, score it on ``test``.

    ``kwargs`` are ``_fit_and_score``'s own (``scorer``, ``fit_params``,
    ``score_params``, ``return_train_score``, ``error_score``, ``verbose``);
    the record returned has ``test_scores``, ``n_test_samples``,
    ``fit_time``, ``score_time``, ``fit_error`` (and ``train_scores``).
    """
    extra = {}
    if "caller" in _FIT_AND_SCORE_ARGS:
        extra["caller"] = caller
    if "callback_ctx" in _FIT_AND_SCORE_ARGS:
        extra["callback_ctx"] = callback_ctx
    return _fit_and_score(
        estimator, X, y, train=train, test=test, parameters=parameters,
        split_progress=split_progress, candidate_progress=candidate_progress,
        return_n_test_samples=True, return_times=True, return_parameters=False,
        **kwargs, **extra,
    )


def root_callback_context(search, max_subtasks):
    """The root task of ``search``'s callbacks, or a context that does nothing.

    scikit-learn 1.9 added callbacks (``search.set_callbacks(ProgressBar())``);
    with older versions, or before ``fit``, every call is a no-op.
    """
    init = getattr(search, "_init_callback_context", None)
    if init is None:
        return NoCallbacks()
    return init(max_subtasks=max_subtasks)


def evaluation_contexts(search_ctx, first_id, n):
    """Contexts of ``n`` candidate x split evaluations (None without callbacks)."""
    if isinstance(search_ctx, NoCallbacks):
        return [None] * n
    return [search_ctx.subcontext(task_name="candidate-split-evaluation", task_id=first_id + i)
            for i in range(n)]


class NoCallbacks:
    """A callback context that does nothing (scikit-learn < 1.9)."""

    def subcontext(self, *args, **kwargs):
        return self

    def call_on_fit_task_begin(self, *args, **kwargs):
        return self

    def call_on_fit_task_end(self, *args, **kwargs):
        return self

    def propagate_callback_context(self, estimator):
        return _NullScope()


class _NullScope:
    def __enter__(self):
        return self

    def __exit__(self, *exc):
        return False
