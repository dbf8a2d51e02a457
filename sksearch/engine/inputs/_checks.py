"""What a search can know is wrong before its first fit, and says then.

:func:`check_fit_inputs` is called once by ``BaseOptimizerSearch.fit``, after
the folds are drawn and before anything is written or fitted. It refuses,
with scikit-learn's own words where it has them and the spelling that works:

* the space against the estimator: unknown names, and values that the
  estimator's declared ``_parameter_constraints`` forbid (a prior with mass
  where the parameter may not go);
* the data: a numeric 1-D ``X``, NaN or infinity in ``X`` for an estimator
  that does not take them (as its input tags say), a single class for a
  classifier;
* the fit parameters: a ``sample_weight`` of the wrong length, not finite, or
  all zero;
* the scoring: a metric that cannot score this target (each scorer's metric
  is tried on ``y`` itself), a ``refit`` metric name that a single-metric
  ``scoring`` does not have;
* the folds: indices out of range (boolean masks become the indices they
  select, so that every later step reads one kind of fold);
* ``pre_dispatch`` below one.
"""

import warnings
from numbers import Integral

import numpy as np
from scipy import sparse
from sklearn.base import clone, is_classifier
from sklearn.utils.multiclass import type_of_target

from ...space import Categorical, Real
from .._sklearn import (
    check_sample_weight,
    constraint_intervals,
    first_reader_tags,
    metric_of_scorer,
    num_samples,
    validate_estimator_params,
)

#: Scoring to suggest for each kind of target (``type_of_target``).
SCORING_FOR = {"binary": "'roc_auc', 'f1' or 'accuracy'",
               "multiclass": "'roc_auc_ovr', 'f1_macro' or 'accuracy'",
               "continuous": "'r2' or 'neg_mean_squared_error'"}


def check_fit_inputs(search, space, X, y, params, splits, scorers):
    """Refuse what no fit of ``search`` could take; return ``splits`` as index arrays.

    Parameters
    ----------
    search : BaseOptimizerSearch
    space : Space
    X, y : the data passed to ``fit`` (made indexable).
    params : dict
        The fit parameters.
    splits : list of (train, test)
        The folds drawn for this fit: index arrays or boolean masks.
    scorers : scorer or dict
        As ``get_scorers`` returns them.
    """
    estimator = search.estimator
    space.check_names(estimator)
    check_space_against_constraints(space, estimator)
    _check_pre_dispatch(search.pre_dispatch)
    _check_refit_names_a_metric(search)
    _check_X(X, estimator)
    _check_y(y, estimator)
    if params.get("sample_weight") is not None:
        _check_sample_weight(params["sample_weight"], X)
    _check_scorers_read_the_target(search, scorers, y)
    return [_fold_indices(i, train, test, num_samples(X)) for i, (train, test) in
            enumerate(splits)]


# ------------------------------------------------------------------ the space
#: Where a real dimension is probed: just inside its cube, since a continuous prior
#: puts no mass on the end of its support (``expon`` at 0, scikit-learn's own
#: example for SVC's ``C``).
ENDS_REAL = [1e-9, 1.0 - 1e-9]


def check_space_against_constraints(space, estimator):
    """Refuse a value the space can propose that the estimator's constraints forbid.

    Numeric dimensions are checked at the two ends of their range (the
    smallest and largest values the search can propose; just inside them for
    a real one), a list at each of
    its plain choices; a parameter of a step that is itself searched is left
    to the fit (its owner is a choice).

    Examples
    --------
    >>> from scipy.stats import norm
    >>> from sklearn.linear_model import LogisticRegression
    >>> from sksearch.space import Space
    >>> check_space_against_constraints(Space({"C": norm(0, 1)}), LogisticRegression())
    Traceback (most recent call last):
    ...
    ValueError: param_distributions['C'] = Real(prior=norm(0, 1)) can propose C=-5.998, ...
    """
    for sub in space.subspaces:
        for name, dim in sub.items():
            if any(name.startswith(other + "__") for other in sub):
                continue
            if isinstance(dim, Categorical):
                values = shown_values = dim.choices
            else:  # a real end is probed inside, and shown where the search can go
                shown_values = dim.decode([0.0, 1.0])
                values = dim.decode(ENDS_REAL) if isinstance(dim, Real) else shown_values
            for value, end in zip(values, shown_values):
                if hasattr(value, "get_params") or callable(value):
                    continue  # an estimator or a function: not a declared value
                problem = _rejection(estimator, name, value)
                if problem is not None:
                    problem = problem.replace(f"Got {value!r}", f"Got {end!r}")
                    shown = f"{end:.4g}" if isinstance(end, float) else repr(end)
                    raise ValueError(
                        f"param_distributions[{name!r}] = {dim!r} can propose {name}={shown}, "
                        f"which the estimator refuses: {problem}{_spelling(estimator, name)}"
                    )


def _rejection(estimator, name, value):
    """The estimator's message refusing ``name=value``, or None."""
    try:
        owner = clone(estimator).set_params(**{name: value})
    except Exception:  # not settable alone: check_names and the fit report it
        return None
    if "__" in name:  # the step that owns the parameter
        owner = owner.get_params(deep=True)[name.rsplit("__", 1)[0]]
    try:
        validate_estimator_params(owner)
    except (ValueError, TypeError) as exc:
        return str(exc).rstrip(".")
    return None


def _spelling(estimator, name):
    """`` Search inside it, e.g. ...`` for a parameter with a declared range."""
    owner = estimator
    if "__" in name:
        owner = estimator.get_params(deep=True)[name.rsplit("__", 1)[0]]
    for kind, low, high, closed in constraint_intervals(owner, name.rsplit("__", 1)[-1]):
        if kind is Integral:
            low = 1 if low is None else low + (closed in ("right", "neither"))
            high = low + 100 if high is None else high - (closed in ("left", "neither"))
            return f". Search inside its range, e.g. Integer({low}, {high})"
        if high is None and (low is None or low <= 0):
            return ". Search inside its range, e.g. scipy.stats.loguniform(1e-3, 1e3)"
        if high is None:
            return f". Search inside its range, e.g. scipy.stats.loguniform({low:g}, {low * 1e6:g})"
        if low is None:
            return f". Search inside its range, e.g. Real({high - 100:g}, {high:g})"
        margin = 0.0 if closed == "both" else 1e-3 * (high - low)
        return f". Search inside its range, e.g. Real({low + margin:g}, {high - margin:g})"
    return ""


# ------------------------------------------------------------------ data
def _check_X(X, estimator):
    tags = first_reader_tags(estimator)
    if tags is None:  # the first step is a function or a column router: it decides
        return
    values = X.data if sparse.issparse(X) else X
    if not sparse.issparse(X) and isinstance(X, (list, tuple, np.ndarray)):
        values = np.asarray(X)
    if not isinstance(values, np.ndarray) or values.dtype.kind not in "biufc":
        return  # strings, objects, frames: the estimator reads them
    if values.ndim == 1 and not sparse.issparse(X) and not (tags.one_d_array or tags.string):
        raise ValueError(
            f"X is a 1-D array of shape {values.shape}, but {estimator!r} expects a 2D array. "
            "Reshape your data either using X.reshape(-1, 1) if your data has a single "
            "feature or X.reshape(1, -1) if it contains a single sample."
        )
    if tags.allow_nan or values.dtype.kind not in "fc":
        return
    for bad, what in ((np.isinf, "infinity"), (np.isnan, "NaN")):
        where = np.argwhere(bad(values))
        if len(where):
            at = "" if sparse.issparse(X) else f" (first at index {tuple(where[0].tolist())})"
            raise ValueError(
                f"Input X contains {what}{at}, which {type(estimator).__name__} does not "
                "accept. Replace those values before searching (e.g. a SimpleImputer in a "
                "Pipeline for NaN), or use an estimator that takes them, such as "
                "HistGradientBoostingClassifier."
            )


def _check_y(y, estimator):
    if y is None or not is_classifier(estimator) or np.ndim(y) != 1:
        return
    classes = np.unique(np.asarray(y))
    if len(classes) < 2:
        raise ValueError(
            f"y has a single class ({classes[0]} for all {len(y)} samples): the "
            f"classifier {type(estimator).__name__} needs samples of at least 2 classes in "
            "the data to be fitted and scored"
        )


def _check_sample_weight(sample_weight, X):
    weights = check_sample_weight(sample_weight, X)
    if not np.any(weights):
        raise ValueError("Sample weights must contain at least one non-zero number "
                         "(sample_weight is zero for every sample).")


def _fold_indices(i, train, test, n_samples):
    """A fold as two index arrays, after checking its indices are samples of X."""
    fold = []
    for part, indices in (("train", train), ("test", test)):
        indices = np.asarray(indices)
        if indices.dtype == bool:
            if indices.shape != (n_samples,):
                raise ValueError(
                    f"cv split {i}: the {part} mask has shape {indices.shape}, X has "
                    f"{n_samples} samples; a boolean mask needs one value per sample")
            indices = np.flatnonzero(indices)
        elif indices.dtype.kind not in "iu":
            raise ValueError(f"cv split {i}: the {part} indices must be integers or a "
                             f"boolean mask, got dtype {indices.dtype}")
        if len(indices) == 0:
            raise ValueError(f"cv split {i} has an empty {part} set")
        outside = indices[(indices < 0) | (indices >= n_samples)]
        if len(outside):
            raise ValueError(
                f"cv split {i} has {part} index {int(outside[0])}, outside 0..{n_samples - 1} "
                f"for the {n_samples} samples of X: give indices of X's rows")
        fold.append(indices)
    return tuple(fold)


# ------------------------------------------------------------------ search parameters
def _check_pre_dispatch(pre_dispatch):
    if isinstance(pre_dispatch, Integral) and pre_dispatch < 1:
        raise ValueError(f"pre_dispatch={pre_dispatch!r} dispatches no task: give a positive "
                         "integer, 'all' or an expression of n_jobs such as '2*n_jobs'")


def _check_refit_names_a_metric(search):
    scoring, refit = search.scoring, search.refit
    if not isinstance(refit, str) or not (scoring is None or isinstance(scoring, str)):
        return  # several metrics: scikit-learn checks the name; a callable: after its scores
    if refit != scoring:
        raise ValueError(
            f"refit={refit!r} names a metric, but scoring={scoring!r} is a single metric, so "
            f"the best candidate would be chosen by {scoring or 'the estimator score'!r}, not "
            f"{refit!r}. Write refit=True, or scoring={refit!r}, or name both metrics: "
            f"scoring=[{scoring or 'accuracy'!r}, {refit!r}], refit={refit!r}"
        )


def _check_scorers_read_the_target(search, scorers, y):
    """Try each scorer's metric on ``y`` itself (a perfect prediction of it)."""
    if y is None or np.ndim(y) != 1:
        return
    target = type_of_target(y)
    if target not in SCORING_FOR:
        return
    named = getattr(scorers, "_scorers", None)
    named = named if isinstance(named, dict) else {search.scoring: scorers}
    for name, scorer in named.items():
        metric = metric_of_scorer(scorer)
        if metric is None:
            continue  # the estimator's own score or a function of the user's
        func, kwargs, response = metric
        prediction = _perfect_prediction(y, target, response, kwargs.get("pos_label"))
        if prediction is None:
            continue
        try:
            with warnings.catch_warnings():
                warnings.simplefilter("ignore")
                func(y, prediction, **kwargs)
        except (ValueError, TypeError) as exc:
            raise ValueError(
                f"scoring {name!r} cannot score this {target} target: {str(exc).rstrip('.')}. "
                f"Use a scoring "
                f"for a {target} target, such as {SCORING_FOR[target]}."
            ) from None


def _perfect_prediction(y, target, response, pos_label):
    """What a perfect estimator's ``response`` method returns for ``y``."""
    methods = (response,) if isinstance(response, str) else tuple(response)
    if "predict" in methods:
        return np.asarray(y)
    if target == "continuous":
        return None
    classes = np.unique(np.asarray(y))
    if target == "binary":
        positive = classes[-1] if pos_label is None else pos_label
        return (np.asarray(y) == positive).astype(float)
    return (np.asarray(y)[:, None] == classes[None, :]).astype(float)
