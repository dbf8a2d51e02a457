"""Cross-validation of batches: candidates x fixed folds through joblib, and their record.

:class:`Evaluation` holds what one ``fit`` of a search needs to score
candidates: the data, the splits (drawn once, so every batch is scored on
the same folds), the scorers and the joblib pool. :class:`Results` keeps
every batch's per-split records in order (fitted or replayed from a
checkpoint) and formats them into ``cv_results_`` once per batch.
"""

import warnings

import numpy as np
from scipy.stats import rankdata
from sklearn.base import clone
from sklearn.exceptions import FitFailedWarning
from sklearn.utils.parallel import Parallel, delayed

from ._sklearn import evaluation_contexts, fit_and_score, format_results


class Evaluation:
    """Scores batches of candidates on fixed splits, in parallel.

    Parameters
    ----------
    search : BaseOptimizerSearch
        The search being fitted (its ``estimator``, ``n_jobs``,
        ``pre_dispatch``, ``error_score``, ``return_train_score``,
        ``verbose``).
    X, y : indexable
        The data.
    splits : list of (train, test)
        The folds, drawn once.
    scorers : scorer or dict
        As ``BaseSearchCV._get_scorers`` returns them.
    routed : Bunch
        Routed fit parameters (``routed.estimator.fit``, ``routed.scorer.score``).
    callback_ctx : CallbackContext
        The search task whose subtasks are the candidate x split evaluations.
    """

    def __init__(self, search, X, y, splits, scorers, routed, callback_ctx):
        self.search, self.X, self.y, self.splits = search, X, y, splits
        self.scorers, self.routed, self.callback_ctx = scorers, routed, callback_ctx
        self.base_estimator = clone(search.estimator)
        # two pools on the same workers, taking turns: a batch starts on one
        # while the last batch finishes on the other
        self.pools = [Parallel(n_jobs=search.n_jobs, pre_dispatch=search.pre_dispatch,
                               return_as="generator") for _ in range(2)]
        self.n_started = 0  # batches started so far
        self.outputs = [None, None]  # each pool's last output (a generator of records)
        self.n_evaluations = 0  # candidate x split tasks started so far

    def __enter__(self):
        for pool in self.pools:
            pool.__enter__()
        return self

    def __exit__(self, *exc):
        with warnings.catch_warnings():
            # a batch dropped by a stopping rule: its fits are cancelled on purpose
            warnings.simplefilter("ignore")
            for output in self.outputs:
                if output is not None:
                    output.close()
        for pool in self.pools:
            pool.__exit__(*exc)

    def run(self, candidates, splits=None):
        """Per-split records of ``candidates`` (candidate-major), as scikit-learn makes them.

        ``splits`` replaces the folds for this batch (a multi-fidelity rung
        training on part of each training set); the test sets are the same.
        """
        return self.start(candidates, splits)()

    def start(self, candidates, splits=None):
        """Start :meth:`run`'s fits; return the call that waits for their records.

        At most two batches are in flight: each call must come after the
        records of the batch started two calls before were taken.
        """
        search, n_splits = self.search, len(self.splits)
        tasks = [(c, params, s, split) for c, params in enumerate(candidates)
                 for s, split in enumerate(self.splits if splits is None else splits)]
        contexts = evaluation_contexts(self.callback_ctx, self.n_evaluations, len(tasks))
        self.n_evaluations += len(tasks)
        turn = self.n_started % 2
        self.n_started += 1
        records = self.outputs[turn] = self.pools[turn](
            delayed(fit_and_score)(
                clone(self.base_estimator), self.X, self.y, train=train, test=test,
                parameters=params, split_progress=(s, n_splits),
                candidate_progress=(c, len(candidates)), caller=search, callback_ctx=ctx,
                scorer=self.scorers, fit_params=self.routed.estimator.fit,
                score_params=self.routed.scorer.score,
                return_train_score=search.return_train_score,
                error_score=search.error_score, verbose=search.verbose,
            )
            for (c, params, s, (train, test)), ctx in zip(tasks, contexts)
        )
        return lambda: list(records)


class Results:
    """Every evaluated batch of one fit, in order, and its ``cv_results_``.

    Parameters
    ----------
    search : BaseOptimizerSearch
        For ``_format_results``, ``refit`` and ``error_score``.
    n_splits : int
    """

    def __init__(self, search, n_splits):
        self.search, self.n_splits = search, n_splits
        self.params, self.records, self.more = [], [], {}
        self.cv_results = None
        self.objective = None  # the cv_results_ key the optimizer maximizes

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
        scores = np.asarray(self.cv_results[self.objective][-len(candidates):], dtype=float)
        if len(self.params) == len(candidates) and not np.isfinite(scores).any():
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
        return scores

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
