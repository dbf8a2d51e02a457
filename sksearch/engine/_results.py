"""The record of a search's evaluations: every batch's per-split results, and ``cv_results_``.

:class:`Results` keeps every batch's per-split records in order (fitted,
replayed from a checkpoint or reused) and formats them into ``cv_results_``
once per batch. :func:`objective_key` names the score a search maximizes
and :func:`at_full_resource` the rows that may be best: one definition each,
used by the search, its callbacks and its plots.
"""

import warnings

import numpy as np
from scipy.stats import rankdata
from sklearn.exceptions import FitFailedWarning

from ._sklearn import format_results
from .inputs._objectives import check_objective_columns
from ..optimizers._pareto import non_dominated_ranks


class Results:
    """Every evaluated batch of one fit, in order, and its ``cv_results_``.

    Parameters
    ----------
    search : BaseOptimizerSearch
        For ``_format_results``, ``refit`` and ``error_score``.
    n_splits : int
    objectives : Objectives, default=None
        Several objectives (:mod:`sksearch.engine.inputs._objectives`): the
        scores returned are their columns, and ``cv_results_`` gains
        ``rank_pareto``, over the rows at ``max_resources``.
    max_resources : int, default=None
        With a resource, the full one.
    constraints : Constraints, default=None
        Its outcome constraints mark each row (``cv_results_["feasible"]``);
        the rows that break one score NaN for the optimizer.
    """

    def __init__(self, search, n_splits, objectives=None, max_resources=None, constraints=None):
        self.search, self.n_splits, self.objectives = search, n_splits, objectives
        self.max_resources, self.constraints = max_resources, constraints
        self.params, self.records, self.more = [], [], {}
        self.cv_results = None
        self.objective = None  # the cv_results_ key of the refit metric (or the first)

    def __len__(self):
        return len(self.params)

    @property
    def first_scores(self):
        """``test_scores`` of the first successful record (a dict with several metrics)."""
        for record in self.records:
            if record.get("fit_error") is None:
                return record["test_scores"]
        return None

    def add(self, candidates, records, more):
        """Record a batch; return the objective score of each of its candidates."""
        records = [dict(r) for r in records]
        failed = [r for r in records if r.get("fit_error") is not None]
        template = self.first_scores
        if template is None and len(failed) == len(records):
            raise _all_failed(len(candidates), failed[0]["fit_error"])
        if failed:
            self._fill_error_scores(failed)
            _warn_failures(failed, len(records), self.search.error_score)
        self.params.extend(candidates)
        self.records.extend(records)
        for key, values in more.items():
            self.more.setdefault(key, [None] * (len(self.params) - len(candidates)))
            self.more[key].extend(values)
        with warnings.catch_warnings():
            # non-finite scores are reported per batch below, not for every batch again
            warnings.filterwarnings("ignore", "One or more of the", UserWarning)
            self.cv_results = format_results(self.search, list(self.params), self.n_splits,
                                             self.records, self.more)
        _rank_finite_first(self.cv_results)
        if self.objective is None:
            self.objective = objective_key(self.cv_results, self.search.refit)
        scores = self._scores(len(candidates))
        if len(self.params) == len(candidates) and not _finite_rows(scores).any():
            raise ValueError(
                f"All {len(candidates)} candidates of the first batch failed to score (their "
                f"{self.objective} is not finite); the search stops instead of searching "
                "blindly. Check the scoring, the estimator and param_distributions."
            )
        fit_failed = np.array([any(r.get("fit_error") is not None for r in
                                   records[i * self.n_splits:(i + 1) * self.n_splits])
                               for i in range(len(candidates))], dtype=bool)
        if not np.isfinite(scores[~fit_failed]).all():  # failed fits were warned about
            warnings.warn(f"One or more of the test scores are non-finite: {scores}",
                          UserWarning, stacklevel=4)
        if self.constraints is not None:
            scores = self.constraints.mark(self.cv_results, scores)
        if self.objectives is not None:  # feasible rows at the full resource
            eligible = at_full_resource(self.cv_results, self.max_resources)
            if "feasible" in self.cv_results:
                eligible &= np.asarray(self.cv_results["feasible"], dtype=bool)
            self.cv_results["rank_pareto"] = pareto_ranks(
                self.objectives.scores(self.cv_results, len(self.params)), eligible)
        return scores

    def _scores(self, n):
        """What the optimizer maximizes for the last ``n`` rows (``(n, m)`` with
        several objectives)."""
        if self.objectives is None:
            return np.asarray(self.cv_results[self.objective][-n:], dtype=float)
        if len(self.params) == n:
            check_objective_columns(self.objectives, self.cv_results, self.search.scoring)
        return self.objectives.scores(self.cv_results, n)

    def _fill_error_scores(self, failed):
        # with a callable scoring, a failed fit's score is error_score alone
        # where the other records hold a dict of metrics
        template = self.first_scores
        if not isinstance(template, dict):
            return
        for record in failed:
            for key in ("test_scores", "train_scores"):
                if key in record and not isinstance(record[key], dict):
                    record[key] = {name: record[key] for name in template}


def objective_key(cv_results, refit):
    """The ``cv_results_`` key of the score a search maximizes.

    The only metric's, or the one ``refit`` names; with several metrics and
    ``refit`` not a metric name, the first metric's.
    """
    if "mean_test_score" in cv_results:
        return "mean_test_score"
    if isinstance(refit, str) and f"mean_test_{refit}" in cv_results:
        return f"mean_test_{refit}"
    return next(key for key in cv_results if key.startswith("mean_test_"))


def pareto_ranks(scores, feasible=None):
    """``rank_pareto``: 1 for the rows on the front of ``scores`` (maximized
    columns), 2 for the front once those are removed, and so on.

    Rows with a non-finite score, or not ``feasible`` (infeasible, or below
    the full resource), rank after all the others, together (2 when there is
    no other: then no row is on the front).

    Examples
    --------
    >>> pareto_ranks(np.array([[1, 2], [2, 1], [0, 0], [np.nan, 3]])).tolist()
    [1, 1, 2, 3]
    """
    good = _finite_rows(scores)
    if feasible is not None:
        good &= np.asarray(feasible, dtype=bool)
    ranks = np.full(len(scores), 2, dtype=np.int32)  # without a good row, none is on the front
    if good.any():
        ranks[good] = non_dominated_ranks(scores[good])
        ranks[~good] = ranks[good].max() + 1
    return ranks


def _finite_rows(scores):
    """Rows whose every score is finite (a vector: its finite entries)."""
    finite = np.isfinite(scores)
    return finite if finite.ndim == 1 else finite.all(axis=1)


def at_full_resource(cv_results, max_resources=None):
    """Rows of ``cv_results`` evaluated at the full resource: the rows that may be best.

    Every row of a search without a resource; with one (an
    ``n_resources`` column), the rows whose ``n_resources`` is
    ``max_resources`` (the search's ``max_resources_``).

    Examples
    --------
    >>> at_full_resource({"params": [{}, {}], "n_resources": [30, 90]}, 90).tolist()
    [False, True]
    >>> at_full_resource({"params": [{}, {}]}).tolist()
    [True, True]
    """
    if "n_resources" not in cv_results:
        return np.ones(len(cv_results["params"]), dtype=bool)
    return np.asarray(cv_results["n_resources"]) == max_resources


def _rank_finite_first(cv_results):
    """Ranks in which every non-finite mean score (NaN, +inf, -inf) ties for last.

    scikit-learn ranks NaN last but +inf first; a score of +inf is a broken
    scorer, not a best candidate, and the optimizer is told it as a failure,
    so ``best_*`` never picks it either.
    """
    for key in [k for k in cv_results if k.startswith("rank_test_")]:
        means = np.asarray(cv_results["mean_test_" + key[len("rank_test_"):]], dtype=float)
        finite = np.isfinite(means)
        if finite.all():
            continue
        fill = means[finite].min() - 1 if finite.any() else 0.0
        cv_results[key] = rankdata(-np.where(finite, means, fill),
                                   method="min").astype(np.int32)


def _first_line(error):
    """``Type: message`` of a formatted traceback (its last non-empty line)."""
    lines = [line for line in str(error).strip().splitlines() if line.strip()]
    return lines[-1].strip() if lines else str(error)


def _all_failed(n_candidates, error):
    return ValueError(
        f"All {n_candidates} candidates of the first batch failed to fit; the search "
        f"stops instead of searching blindly. The first error was: {_first_line(error)}. "
        "Check the estimator, param_distributions and the fit parameters; the full "
        f"traceback of the first failure follows.\n\n{error}"
    )


def _warn_failures(failed, n_fits, error_score):
    errors = {}
    for record in failed:
        errors[record["fit_error"]] = errors.get(record["fit_error"], 0) + 1
    details = "\n".join(f"{count} fits failed with the following error:\n{error}"
                        for error, count in errors.items())
    warnings.warn(
        f"\n{len(failed)} fits failed out of a total of {n_fits} in this batch; their "
        f"score is error_score={error_score!r}. The first error was: "
        f"{_first_line(failed[0]['fit_error'])}\nIf these failures are not expected, set "
        f"error_score='raise' to debug them.\n\nBelow are more details about the "
        f"failures:\n{details}",
        FitFailedWarning,
        stacklevel=4,
    )
