"""The search engine shared by every strategy: ask -> evaluate -> tell.

:class:`BaseOptimizerSearch` is a :class:`~sklearn.model_selection.BaseSearchCV`
whose ``_run_search`` drives an ask/tell optimizer in batches. A strategy
(``PSOSearchCV``, ``GeneticSearchCV``, ``BayesSearchCV``) only declares its own
parameters and builds its optimizer in ``_make_optimizer``.

The engine's rules:

* ``n_iter`` counts distinct candidates. A candidate proposed again (equal
  snapped cube point) is answered with the score already known and is not
  fitted again; a finite space with at most ``n_iter`` candidates is
  evaluated completely (one batch), then the search stops with a warning.
* The optimizer maximizes the mean test score of one metric: the only one,
  or the one ``refit`` names; with several metrics and ``refit`` not a
  metric name (``False`` or a callable), the first metric of ``scoring``.
* Failed fits and non-finite scores are told to the optimizer as the worst
  finite score seen so far. If every candidate of the first batch fails,
  the search stops with an error.
* One batch is one call to ``evaluate_candidates``, so joblib runs
  candidates x folds in parallel.
* Stopping: budget, ``max_time``, ``n_iter_no_change``/``tol``,
  ``callbacks``, or a ``KeyboardInterrupt`` (the candidates already
  evaluated are kept and the best is refit).
* With ``checkpoint``, every finished batch is journaled; ``fit`` with the
  same journal replays it into the optimizer without fitting and goes on.
"""

import hashlib
import inspect
import os
import re
import time
import warnings
from abc import abstractmethod
from dataclasses import dataclass
from numbers import Integral, Real

import numpy as np
from sklearn.base import clone, is_classifier
from sklearn.exceptions import FitFailedWarning
from sklearn.model_selection import check_cv
from sklearn.model_selection._search import BaseSearchCV
from sklearn.utils import check_random_state
from sklearn.utils._param_validation import Interval
from sklearn.utils.validation import indexable

from ._journal import Journal
from .optimizers import Optimizer
from .space import Space

#: Docstring text of the first two parameters of every search
#: (``{search_parameters}`` in a class docstring).
SEARCH_PARAMETERS_DOC = """\
    estimator : estimator object
        Estimator (or Pipeline) to tune; it implements ``fit`` and either
        ``score`` or is used with ``scoring``.

    param_distributions : dict or list of dicts
        Parameter names mapped to lists of choices, frozen ``scipy.stats``
        distributions with bounded support (``uniform``, ``loguniform``,
        ``randint``, ...) or :class:`~sksearch.space.Real`,
        :class:`~sksearch.space.Integer`,
        :class:`~sksearch.space.Categorical`. A list of dicts is a union of
        subspaces. Everything ``RandomizedSearchCV`` accepts is accepted, and
        a ``GridSearchCV`` ``param_grid`` as is."""

#: Docstring text of the parameters every search shares; a search's class
#: docstring says ``{common_parameters}`` where it goes.
COMMON_PARAMETERS_DOC = """\
    n_iter : int, default=50
        Number of distinct candidates evaluated, as in ``RandomizedSearchCV``:
        a candidate proposed again is answered with its known score and not
        fitted twice. A finite space with at most ``n_iter`` candidates is
        evaluated completely (with a warning).

    scoring : str, callable, list, tuple or dict, default=None
        Metric(s) evaluated on the test folds, as in ``RandomizedSearchCV``;
        None: the estimator's ``score``. The search maximizes the only metric,
        or the one ``refit`` names; with several metrics and ``refit`` False
        or a callable, the first metric of ``scoring``.

    n_jobs : int, default=None
        Jobs run in parallel over the candidates x folds of one batch. None
        means 1 unless in a ``joblib.parallel_backend`` context (loky, dask,
        ray, ...); -1 means all processors. Results do not depend on it.

    refit : bool, str or callable, default=True
        Refit the best candidate on the whole data, as in
        ``RandomizedSearchCV`` (with several metrics, the name of the one
        that selects it).

    cv : int, cross-validation generator or iterable, default=None
        Splitting strategy, as in ``RandomizedSearchCV`` (None: 5-fold,
        stratified for classifiers).

    verbose : int, default=0
        0: silent; 1: one line per batch (candidates done, best score so far,
        elapsed time); 2 and more: also scikit-learn's messages per batch and
        per fit.

    pre_dispatch : int or str, default="2*n_jobs"
        Number of jobs dispatched ahead, as in ``RandomizedSearchCV``.

    random_state : int, RandomState instance or None, default=None
        Seeds the whole search: the same seed gives the same ``cv_results_``
        whatever ``n_jobs`` or joblib backend.

    error_score : "raise" or float, default=np.nan
        Score of a failed fit, as in ``RandomizedSearchCV``. The optimizer
        is told the worst score seen instead, so it learns to avoid the
        failing region; the search stops with an error only if every
        candidate of the first batch fails.

    return_train_score : bool, default=False
        Add training scores to ``cv_results_``.

    max_time : float, default=None
        Seconds after which no new batch is started (the running batch
        finishes). None: no limit.

    n_iter_no_change : int, default=None
        Stop when the best score has not improved by more than ``tol`` over
        the last ``n_iter_no_change`` candidates. None: never.

    tol : float, default=0.0
        Improvement that counts for ``n_iter_no_change``.

    checkpoint : str or path-like, default=None
        JSON-lines journal of every finished batch. ``fit`` with an existing
        journal replays it without fitting and continues where it stopped;
        with the same ``random_state`` the result equals an uninterrupted
        search. A journal of another search is refused.

    callbacks : callable or list of callables, default=None
        Called after each batch with a :class:`~sksearch.SearchState`; a
        callback that returns True stops the search. A callback object with
        an ``on_search_end(search)`` method also has it called when ``fit``
        has finished (after the refit), e.g.
        :class:`~sksearch.mlflow.MLflowLogger`."""

#: Docstring text of the fitted attributes every search shares
#: (``{common_attributes}`` in a class docstring).
COMMON_ATTRIBUTES_DOC = """\
    cv_results_ : dict of numpy (masked) ndarrays
        Every key of ``RandomizedSearchCV.cv_results_``, in the same format,
        plus ``iteration`` (the batch a candidate came from).

    best_estimator_ : estimator
        The best candidate refit on the whole data (with ``refit``).

    best_score_ : float
        Mean cross-validated score of the best candidate.

    best_params_ : dict
        Parameters of the best candidate.

    best_index_ : int
        Index of the best candidate in ``cv_results_``.

    scorer_ : function or dict
        Scorer(s) used on the held-out data.

    n_splits_ : int
        Number of cross-validation splits.

    refit_time_ : float
        Seconds spent refitting the best candidate.

    multimetric_ : bool
        Whether several metrics were evaluated.

    stop_reason_ : str
        Why the search stopped: ``"n_iter"``, ``"space_exhausted"``,
        ``"max_time"``, ``"no_change"``, ``"callback"``, ``"stalled"`` (the
        optimizer proposed only known candidates for a long time) or
        ``"interrupted"`` (KeyboardInterrupt)."""

#: Consecutive batches without a new candidate after which the search stops.
MAX_STALLED_BATCHES = 20


@dataclass
class SearchState:
    """What a stopping callback sees after each batch.

    Attributes
    ----------
    search : BaseOptimizerSearch
        The search being fitted.
    iteration : int
        Index of the batch just finished.
    n_candidates : int
        Distinct candidates evaluated so far.
    best_score : float
        Best mean test score of the optimized metric so far.
    best_params : dict
        Parameters of that candidate.
    elapsed : float
        Seconds since the search started.
    cv_results : dict
        Results so far, formatted like ``cv_results_``.
    """

    search: object
    iteration: int
    n_candidates: int
    best_score: float
    best_params: dict
    elapsed: float
    cv_results: dict


class BaseOptimizerSearch(BaseSearchCV):
    """Base class of the sksearch searches (do not use directly).

    Subclasses implement ``_make_optimizer(layout, random_state)`` and may
    implement ``_extra_results(optimizer, rows)``; their ``__init__`` takes
    their own parameters plus ``**common`` for the ones below, which are
    merged into its signature so that ``get_params`` and ``clone`` see them.
    """

    _parameter_constraints = {
        **BaseSearchCV._parameter_constraints,
        "param_distributions": [dict, list],
        "n_iter": [Interval(Integral, 1, None, closed="left")],
        "random_state": ["random_state"],
        "max_time": [Interval(Real, 0, None, closed="neither"), None],
        "n_iter_no_change": [Interval(Integral, 1, None, closed="left"), None],
        "tol": [Interval(Real, 0, None, closed="left")],
        "checkpoint": [str, os.PathLike, None],
        "callbacks": [list, tuple, callable, None],
    }

    @abstractmethod
    def __init__(
        self,
        estimator,
        param_distributions,
        *,
        n_iter=50,
        scoring=None,
        n_jobs=None,
        refit=True,
        cv=None,
        verbose=0,
        pre_dispatch="2*n_jobs",
        random_state=None,
        error_score=np.nan,
        return_train_score=False,
        max_time=None,
        n_iter_no_change=None,
        tol=0.0,
        checkpoint=None,
        callbacks=None,
    ):
        super().__init__(
            estimator=estimator,
            scoring=scoring,
            n_jobs=n_jobs,
            refit=refit,
            cv=cv,
            verbose=verbose,
            pre_dispatch=pre_dispatch,
            error_score=error_score,
            return_train_score=return_train_score,
        )
        self.param_distributions = param_distributions
        self.n_iter = n_iter
        self.random_state = random_state
        self.max_time = max_time
        self.n_iter_no_change = n_iter_no_change
        self.tol = tol
        self.checkpoint = checkpoint
        self.callbacks = callbacks

    def __init_subclass__(cls, **kwargs):
        super().__init_subclass__(**kwargs)
        if cls.__doc__:
            for marker, text in (("{search_parameters}", SEARCH_PARAMETERS_DOC),
                                 ("{common_parameters}", COMMON_PARAMETERS_DOC),
                                 ("{common_attributes}", COMMON_ATTRIBUTES_DOC)):
                cls.__doc__ = cls.__doc__.replace(f"    {marker}", text)
        init = cls.__dict__.get("__init__")
        if init is None:
            return
        own = inspect.signature(init)
        if not any(p.kind is p.VAR_KEYWORD for p in own.parameters.values()):
            return
        kept = [p for p in own.parameters.values() if p.kind is not p.VAR_KEYWORD]
        names = {p.name for p in kept}
        common = inspect.signature(BaseOptimizerSearch.__init__).parameters.values()
        extra = [p for p in common if p.kind is p.KEYWORD_ONLY and p.name not in names]
        init.__signature__ = own.replace(parameters=kept + extra)

    # -------------------------------------------------------------- strategy
    @abstractmethod
    def _make_optimizer(self, layout, random_state):
        """Return the :class:`~sksearch.optimizers.Optimizer` for this fit."""

    def _extra_results(self, optimizer, rows):
        """Extra ``cv_results_`` columns for the evaluated ``rows`` of the last ask."""
        return {}

    # -------------------------------------------------------------- fit
    def fit(self, X, y=None, **params):
        """Run the search: evaluate up to ``n_iter`` candidates chosen by the optimizer.

        Parameters
        ----------
        X : array-like of shape (n_samples, n_features)
            Training data.
        y : array-like of shape (n_samples,) or (n_samples, n_outputs), default=None
            Target; None for unsupervised learning.
        **params : dict of str -> object
            Parameters passed to the estimator's ``fit``, the scorer and the
            CV splitter, as for ``RandomizedSearchCV.fit``.

        Returns
        -------
        self : object
            The fitted search.
        """
        # scikit-learn prints "Fitting N folds ..." per batch at verbose >= 1;
        # the engine prints its own line per batch there, so it is shifted by one.
        user_verbose = self.verbose
        self._fit_inputs = (X, y, params)
        try:
            if isinstance(user_verbose, Integral) and not isinstance(user_verbose, bool):
                self.verbose = max(0, user_verbose - 1)
            self._user_verbose = user_verbose
            super().fit(X, y, **params)
            if len(self._store.params) > len(self.cv_results_["params"]):
                # batches that failed entirely after scikit-learn's last record
                self._finish_from_store(X, y, params)
        except _AllReplayed:
            self.verbose = user_verbose
            self._finish_from_store(X, y, params)
        finally:
            self.verbose = user_verbose
            for name in ("_fit_inputs", "_user_verbose", "_store"):
                self.__dict__.pop(name, None)
        for callback in _check_callbacks(self.callbacks):
            if hasattr(callback, "on_search_end"):
                callback.on_search_end(self)
        return self

    def _format_results(self, candidate_params, n_splits, out, more_results=None):
        # The engine keeps every batch in order in its own store: batches
        # answered from the journal, batches whose fits all failed (which
        # scikit-learn does not record) and fitted ones. The arguments hold
        # scikit-learn's own record; what it holds beyond the store is the
        # batch being evaluated now.
        store = getattr(self, "_store", None)
        if store is None:
            return super()._format_results(candidate_params, n_splits, out, more_results)
        store.pending = (
            list(candidate_params)[store.n_from_sklearn:],
            list(out)[store.n_from_sklearn * n_splits:],
            {k: list(v)[store.n_from_sklearn:] for k, v in (more_results or {}).items()},
        )
        params, outs, more = store.merged()
        return super()._format_results(params, n_splits, outs, more)

    def _run_search(self, evaluate_candidates, *, callback_ctx=None):
        run = _Run(self, evaluate_candidates, callback_ctx)
        run.execute()

    def _finish_from_store(self, X, y, params):
        """Complete ``fit`` from the engine's store of results.

        Used when scikit-learn's own record is short: the journal answered
        the whole search, or the last batches failed entirely. The best
        estimator is refit only if the best candidate is not the one already
        refit.
        """
        X, y = indexable(X, y)
        previous = getattr(self, "best_params_", None)
        with warnings.catch_warnings():
            warnings.filterwarnings("ignore", "One or more of the", UserWarning)
            results = self._format_results([], self.n_splits_, [])
        first = self._store.out[0]["test_scores"]
        self.multimetric_ = isinstance(first, dict)
        scorers, refit_metric = self._get_scorers()
        if self.refit or not self.multimetric_:
            self.best_index_ = self._select_best_index(self.refit, refit_metric, results)
            if not callable(self.refit):
                self.best_score_ = results[f"mean_test_{refit_metric}"][self.best_index_]
            self.best_params_ = results["params"][self.best_index_]
        if self.refit and not (
            hasattr(self, "best_estimator_") and _same_params(previous, self.best_params_)
        ):
            routed = self._get_routed_params_for_fit(params)
            self.best_estimator_ = clone(self.estimator).set_params(
                **clone(self.best_params_, safe=False)
            )
            start = time.time()
            if y is not None:
                self.best_estimator_.fit(X, y, **routed.estimator.fit)
            else:
                self.best_estimator_.fit(X, **routed.estimator.fit)
            self.refit_time_ = time.time() - start
            if hasattr(self.best_estimator_, "feature_names_in_"):
                self.feature_names_in_ = self.best_estimator_.feature_names_in_
        self.scorer_ = getattr(scorers, "_scorers", scorers)
        self.cv_results_ = results


class _AllReplayed(Exception):
    """The journal answered the whole search: nothing is left to fit."""


class _Store:
    """Every evaluated batch of one fit, in order, as ``_format_results`` wants it."""

    def __init__(self):
        self.params, self.out, self.more = [], [], {}
        self.n_from_sklearn = 0  # candidates that scikit-learn's own record holds
        self.pending = ([], [], {})

    def add(self, params, out, more, from_sklearn=False):
        self.params.extend(params)
        self.out.extend(out)
        for key, values in more.items():
            self.more.setdefault(key, [None] * (len(self.params) - len(params))).extend(values)
        if from_sklearn:
            self.n_from_sklearn += len(params)

    def merged(self):
        params, out, more = self.pending
        merged_more = {k: list(v) for k, v in self.more.items()}
        for key, values in more.items():
            merged_more.setdefault(key, []).extend(values)
        return self.params + params, self.out + out, merged_more


class _Exhaustive(Optimizer):
    """Every point of a finite space, in one batch."""

    def ask(self):
        return self.layout.enumerate()

    def tell(self, X, y):
        pass


class _Run:
    """One execution of the ask/evaluate/tell loop (the state of one ``fit``)."""

    def __init__(self, search, evaluate_candidates, callback_ctx):
        self.search = search
        self.evaluate_candidates = evaluate_candidates
        self.callback_ctx = callback_ctx
        self.verbose = getattr(search, "_user_verbose", search.verbose)
        self.space = Space(search.param_distributions)
        self.space.check_names(search.estimator)
        X, y, params = search._fit_inputs
        self.cv = check_cv(search.cv, y, classifier=is_classifier(search.estimator))
        self.splits = list(self.cv.split(X, y, params.get("groups")))
        search.n_splits_ = len(self.splits)  # scikit-learn < 1.6 sets it only at the end
        self.callbacks = _check_callbacks(search.callbacks)
        self.journal = Journal(search.checkpoint) if search.checkpoint is not None else None
        self.scores = {}  # candidate key -> mean test score of the objective
        self.best_history = []  # best score after each candidate
        self.n_fitted_batches = 0  # batches that scikit-learn's own record holds
        self.n_replayed = 0  # batches answered from the journal
        self.results = None
        self.objective = None

    # ------------------------------------------------------------------ main
    def execute(self):
        search, layout = self.search, self.space.layout
        seed, self.replay = self._open_journal()
        search._store = _Store()
        exhaustive = layout.size <= search.n_iter
        if exhaustive:
            optimizer = _Exhaustive(layout)
        else:
            optimizer = search._make_optimizer(layout, seed)
        self.start = time.monotonic()
        search_ctx = None
        if self.callback_ctx is not None:
            search_ctx = self.callback_ctx.subcontext(
                task_name="search", max_subtasks=None
            ).call_on_fit_task_begin(estimator=search)
        stop, stalled, iteration = None, 0, 0
        try:
            while stop is None:
                X = np.atleast_2d(optimizer.ask())
                keys = layout.keys(X)
                rows = self._new_rows(keys)
                if rows:
                    stalled = 0
                    self._evaluate(iteration, optimizer, X, rows, search_ctx)
                else:
                    stalled += 1
                stop = self._stop_reason(iteration, exhaustive, stalled)
                if stop is None:
                    optimizer.tell(X, self._told_scores(keys))
                iteration += 1
        except KeyboardInterrupt:
            if not self.scores:
                raise
            stop = "interrupted"
            warnings.warn(
                f"The search was interrupted after {len(self.scores)} candidates; "
                "it keeps their results and refits the best of them.",
                UserWarning,
                stacklevel=4,
            )
        if search_ctx is not None:
            search_ctx.call_on_fit_task_end(estimator=search)
        search.stop_reason_ = stop
        self._warn_stop(stop)
        if self.n_fitted_batches == 0:
            raise _AllReplayed()

    # ------------------------------------------------------------------ batches
    def _new_rows(self, keys):
        """Rows of the batch that are new candidates, within the remaining budget."""
        remaining = self.search.n_iter - len(self.scores)
        rows, seen = [], set()
        for i, key in enumerate(keys):
            if key not in self.scores and key not in seen:
                seen.add(key)
                rows.append(i)
        return rows[:remaining]

    def _evaluate(self, iteration, optimizer, X, rows, search_ctx):
        search, store = self.search, self.search._store
        candidates = self.space.decode(X[rows])
        more = {"iteration": [iteration] * len(rows)}
        more.update(search._extra_results(optimizer, rows))
        if self.n_replayed < len(self.replay):
            record = self.replay[self.n_replayed]
            if record["X"] != X.tolist() or record["rows"] != list(rows):
                raise ValueError(
                    f"checkpoint {search.checkpoint!r} does not match this search: batch "
                    f"{self.n_replayed} asked for other candidates (were random_state, the "
                    "space or the estimator changed?)"
                )
            self.n_replayed += 1
            store.add(candidates, record["out"], more)
        else:
            out, from_sklearn = self._fit(candidates, more, search_ctx)
            store.add(candidates, out, more, from_sklearn=from_sklearn)
            if self.journal is not None:
                self.journal.append({"batch": iteration, "X": X, "rows": rows,
                                     "out": [_out_record(o) for o in out]})
        store.pending = ([], [], {})
        with warnings.catch_warnings():
            # scikit-learn already warned about non-finite scores for this batch
            warnings.filterwarnings("ignore", "One or more of the", UserWarning)
            self.results = search._format_results([], search.n_splits_, [])
        self._record(self.results, X, rows, iteration)

    def _fit(self, candidates, more, search_ctx):
        """Fit a batch through scikit-learn; return its per-split records."""
        search, store = self.search, self.search._store
        kwargs = {}
        if search_ctx is not None:
            kwargs["callback_ctx"] = search_ctx.subcontext(
                task_name="batch",
                max_subtasks=len(candidates) * search.n_splits_,
                sequential_subtasks=False,
            ).call_on_fit_task_begin(estimator=search)
        try:
            self.evaluate_candidates(candidates, more_results=more, **kwargs)
        except ValueError as exc:
            # scikit-learn raises when every fit of a call fails; a later batch
            # that fails entirely is recorded with error_score and the search goes on.
            if "fits failed" not in str(exc):
                raise
            if not store.out:
                raise ValueError(
                    f"All {len(candidates)} candidates of the first batch failed to "
                    "fit; the search stops instead of searching blindly. Check the "
                    "estimator and param_distributions; the errors follow."
                ) from exc
            warnings.warn(str(exc), FitFailedWarning, stacklevel=6)
            return self._failed_records(len(candidates), str(exc)), False
        finally:
            if search_ctx is not None:
                kwargs["callback_ctx"].call_on_fit_task_end(estimator=search)
        self.n_fitted_batches += 1
        return store.pending[1], True

    def _failed_records(self, n_candidates, error):
        search = self.search
        template = self.search._store.out[0]["test_scores"]
        score = search.error_score
        scores = {k: score for k in template} if isinstance(template, dict) else score
        sizes = [len(test) for _, test in self.splits]
        records = []
        for _ in range(n_candidates):
            for size in sizes:
                record = {"fit_error": error, "test_scores": scores, "n_test_samples": size,
                          "fit_time": 0.0, "score_time": 0.0}
                if search.return_train_score:
                    record["train_scores"] = scores
                records.append(record)
        return records

    def _record(self, results, X, rows, iteration):
        if self.objective is None:
            self.objective = _objective_key(results, self.search)
        batch_scores = np.asarray(results[self.objective][-len(rows):], dtype=float)
        if len(self.scores) == 0 and not np.any(np.isfinite(batch_scores)):
            raise ValueError(
                f"All {len(rows)} candidates of the first batch failed to fit or score; "
                "the search stops instead of searching blindly. Check the estimator "
                "and param_distributions (the warnings above show the errors)."
            )
        for key, score in zip(self.space.layout.keys(X[rows]), batch_scores):
            self.scores[key] = score
            previous = self.best_history[-1] if self.best_history else -np.inf
            self.best_history.append(max(previous, score) if np.isfinite(score) else previous)
        if self.verbose >= 1:
            print(
                f"[{type(self.search).__name__}] batch {iteration}: "
                f"{len(self.scores)}/{self.search.n_iter} candidates, best "
                f"{self.best_history[-1]:.6g}, {time.monotonic() - self.start:.1f}s"
            )

    def _told_scores(self, keys):
        values = np.array([self.scores[k] for k in keys], dtype=float)
        finite = np.array([v for v in self.scores.values() if np.isfinite(v)])
        worst = finite.min() if len(finite) else 0.0
        return np.where(np.isfinite(values), values, worst)

    # ------------------------------------------------------------------ stopping
    def _stop_reason(self, iteration, exhaustive, stalled):
        search = self.search
        if exhaustive:
            return "space_exhausted"
        if len(self.scores) >= search.n_iter:
            return "n_iter"
        if stalled >= MAX_STALLED_BATCHES:
            return "stalled"
        if search.max_time is not None and time.monotonic() - self.start >= search.max_time:
            return "max_time"
        k = search.n_iter_no_change
        if k is not None and len(self.best_history) > k:
            if self.best_history[-1] <= self.best_history[-1 - k] + search.tol:
                return "no_change"
        if self.callbacks and self.results is not None:
            state = self._state(iteration)
            if any(bool(callback(state)) for callback in self.callbacks):
                return "callback"
        return None

    def _state(self, iteration):
        scores = np.asarray(self.results[self.objective], dtype=float)
        best = int(np.nanargmax(scores)) if np.any(np.isfinite(scores)) else 0
        return SearchState(
            search=self.search,
            iteration=iteration,
            n_candidates=len(self.scores),
            best_score=float(scores[best]),
            best_params=self.results["params"][best],
            elapsed=time.monotonic() - self.start,
            cv_results=self.results,
        )

    def _warn_stop(self, stop):
        n, n_iter = len(self.scores), self.search.n_iter
        if stop == "space_exhausted":
            warnings.warn(
                f"The space has only {n} distinct candidates, no more than "
                f"n_iter={n_iter}: all of them were evaluated.",
                UserWarning,
                stacklevel=5,
            )
        elif stop == "stalled":
            warnings.warn(
                f"The optimizer proposed no new candidate in {MAX_STALLED_BATCHES} "
                f"consecutive batches; the search stops after {n} of n_iter={n_iter} "
                "candidates.",
                UserWarning,
                stacklevel=5,
            )

    # ------------------------------------------------------------------ journal
    def _open_journal(self):
        """Return the optimizer's seed and the journaled batches to replay."""
        search = self.search
        derived = int(check_random_state(search.random_state).randint(np.iinfo(np.int32).max))
        if self.journal is None:
            return derived, []
        header = self._journal_header(derived)
        old_header, batches = self.journal.read()
        if old_header is None:
            self.journal.check_writable()
            self.journal.write_header(header)
            return derived, []
        for field in ("search", "estimator", "space", "cv", "objective_hint"):
            if old_header.get(field) != header[field]:
                raise ValueError(
                    f"checkpoint {search.checkpoint!r} was written by another search: its "
                    f"{field} differs ({old_header.get(field)!r} in the journal, "
                    f"{header[field]!r} now). Use another checkpoint path or remove it."
                )
        seed = old_header["seed"]
        if isinstance(search.random_state, Integral) and seed != derived:
            raise ValueError(
                f"checkpoint {search.checkpoint!r} was written with another random_state "
                f"(seed {seed}, now {derived})"
            )
        self.journal.check_writable()
        self.journal.truncate_to(len(batches))
        return seed, batches

    def _journal_header(self, seed):
        search = self.search
        X = search._fit_inputs[0]
        digest = hashlib.sha256()
        for _, test in self.splits:
            digest.update(np.asarray(test, dtype=np.int64).tobytes())
            digest.update(b"|")
        estimator = type(search.estimator)
        return {
            "search": type(search).__name__,
            "estimator": f"{estimator.__module__}.{estimator.__qualname__}",
            "space": _strip_addresses(repr(self.space.subspaces)),
            "cv": f"{search.n_splits_} splits of {len(X)} samples, {digest.hexdigest()}",
            "objective_hint": repr(search.refit) if isinstance(search.refit, str) else "",
            "seed": seed,
        }


def _objective_key(results, search):
    if "mean_test_score" in results:
        return "mean_test_score"
    if isinstance(search.refit, str) and f"mean_test_{search.refit}" in results:
        return f"mean_test_{search.refit}"
    return next(key for key in results if key.startswith("mean_test_"))


def _check_callbacks(callbacks):
    if callbacks is None:
        return []
    callbacks = [callbacks] if callable(callbacks) else list(callbacks)
    for i, callback in enumerate(callbacks):
        if not callable(callback):
            raise TypeError(f"callbacks[{i}] must be callable, got {callback!r}")
    return callbacks


def _out_record(out):
    keep = ("fit_error", "test_scores", "train_scores", "n_test_samples", "fit_time",
            "score_time")
    return {k: out[k] for k in keep if k in out}


def _same_params(a, b):
    if a is None or b is None or a.keys() != b.keys():
        return False
    return all(a[k] is b[k] or repr(a[k]) == repr(b[k]) for k in a)


def _strip_addresses(text):
    return re.sub(r" at 0x[0-9a-fA-F]+", "", text)
