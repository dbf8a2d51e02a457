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
  (``sklearn.utils._param_validation``): the declared parameter constraints
  (``HasMethods`` is also the base of :data:`ESTIMATOR_INSTANCE`).
* ``_check_sample_weight`` (``sklearn.utils.validation``): the Keras
  wrappers' sample weights, validated as scikit-learn's estimators do.
* ``_validate_params`` (a method of scikit-learn's estimators): checks a
  multi-fidelity resource value against the estimator's declared
  constraints before any fit.
* ``_init_callback_context`` (scikit-learn 1.9+): the root of the task tree
  that ``set_callbacks(...)`` callbacks (e.g. ``ProgressBar``) follow.
* ``_num_samples`` (``sklearn.utils.validation``): the number of samples of
  any ``X`` (a sparse matrix has no ``len``).
* ``_score_func``, ``_kwargs``, ``_response_method`` (attributes of
  scikit-learn's scorers): a scorer's metric, tried on the target before any
  fit.
* ``_parameter_constraints`` (of scikit-learn's estimators): the declared
  ranges, to spell a range that the estimator accepts.
"""

from inspect import signature

from sklearn.base import _fit_context
from sklearn.model_selection._search import BaseSearchCV
from sklearn.model_selection._validation import _fit_and_score
from sklearn.utils._param_validation import HasMethods, Interval, StrOptions
from sklearn.utils.validation import _check_method_params, _check_sample_weight, _num_samples

__all__ = [
    "ESTIMATOR_INSTANCE",
    "BaseSearchCV",
    "HasMethods",
    "Interval",
    "StrOptions",
    "check_fit_params",
    "check_refit_for_multimetric",
    "check_sample_weight",
    "constraint_intervals",
    "estimator_fit_context",
    "evaluation_contexts",
    "first_reader_tags",
    "fit_and_score",
    "fit_context",
    "format_results",
    "get_scorers",
    "metric_of_scorer",
    "num_samples",
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


class _EstimatorInstance(HasMethods):
    """An estimator object (with ``fit`` and ``get_params``), not a class."""

    def __init__(self):
        super().__init__(["fit", "get_params"])

    def is_satisfied_by(self, val):
        return not isinstance(val, type) and super().is_satisfied_by(val)

    def __str__(self):
        return ("an estimator instance with fit and get_params methods (write "
                "LogisticRegression(), not LogisticRegression; a class of your own derives "
                "from sklearn.base.BaseEstimator)")


#: The constraint of a search's ``estimator``: scikit-learn's ``HasMethods(["fit"])``
#: takes a class (it has a ``fit`` attribute) and objects that ``clone`` refuses.
ESTIMATOR_INSTANCE = _EstimatorInstance()


def num_samples(X):
    """The number of samples of ``X`` (array, sparse matrix, frame, list)."""
    return _num_samples(X)


def metric_of_scorer(scorer):
    """``(metric, kwargs, response_method)`` of a scikit-learn scorer, else None."""
    if not all(hasattr(scorer, a) for a in ("_score_func", "_kwargs", "_response_method")):
        return None
    return scorer._score_func, dict(scorer._kwargs), scorer._response_method


def constraint_intervals(estimator, name):
    """``(type, left, right, closed)`` of each interval that ``estimator`` declares for ``name``."""
    constraints = getattr(type(estimator), "_parameter_constraints", {}).get(name, [])
    return [(c.type, c.left, c.right, c.closed) for c in constraints if isinstance(c, Interval)]


def first_reader_tags(estimator):
    """Input tags of the estimator that first reads ``X`` (a Pipeline's first step).

    None when that is a function or a column router (its tags do not say what
    it takes) or the tags cannot be read.
    """
    from sklearn.compose import ColumnTransformer
    from sklearn.pipeline import FeatureUnion, Pipeline
    from sklearn.preprocessing import FunctionTransformer

    while isinstance(estimator, Pipeline):
        steps = [s for _, s in estimator.steps if s is not None and s != "passthrough"]
        if not steps:
            return None
        estimator = steps[0]
    if isinstance(estimator, (ColumnTransformer, FeatureUnion, FunctionTransformer)):
        return None
    try:
        from sklearn.utils import get_tags
    except ImportError:  # scikit-learn < 1.6: the tags are a dict
        try:
            tags = estimator._get_tags()
        except Exception:
            return None
        kinds = tags.get("X_types", ["2darray"])
        return _InputTags(one_d_array="1darray" in kinds, string="string" in kinds,
                          allow_nan=bool(tags.get("allow_nan")))
    try:
        return get_tags(estimator).input_tags
    except Exception:
        return None


class _InputTags:
    def __init__(self, one_d_array, string, allow_nan):
        self.one_d_array, self.string, self.allow_nan = one_d_array, string, allow_nan


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
