"""The scikit-learn search that every strategy shares: :class:`BaseOptimizerSearch`.

A strategy (``PSOSearchCV``, ``GeneticSearchCV``, ``BayesSearchCV``, or one
of your own) subclasses it, declares its own parameters and builds its
optimizer in ``_make_optimizer``. ``fit`` does the rest, in this order:

1. validate the parameters and the space (before any fit);
2. draw the cross-validation splits once;
3. open the checkpoint, if any (its journal must come from this search);
4. run :class:`~sksearch.engine._loop.Loop`: the optimizer asks, each batch of new
   candidates is answered from the journal or cross-validated on the fixed
   splits (:class:`~sksearch.engine._fitting.Evaluation`), the optimizer is told
   the scores, the stopping rules are checked;
5. pick the best candidate and refit it (one place, whether the results
   were fitted, replayed or interrupted).
"""

import contextlib
import os
import time
from abc import abstractmethod
from numbers import Integral, Real

import numpy as np
from sklearn.base import clone, is_classifier
from sklearn.model_selection import check_cv
from sklearn.utils import check_random_state
from sklearn.utils.validation import indexable

from ._docs import complete_class, unknown_keyword_error
from .fidelity._brackets import Brackets
from ._callbacks import batch_callback_runner, check_batch_callbacks
from ._checks import check_fit_inputs
from ._journal import Checkpoint
from ._fitting import Evaluation, Results
from ._fingerprint import fingerprint
from ._loop import Loop
from .fidelity._resources import check_resource
from ._sklearn import (
    ESTIMATOR_INSTANCE,
    BaseSearchCV,
    Interval,
    StrOptions,
    check_fit_params,
    check_refit_for_multimetric,
    fit_context,
    get_scorers,
    num_samples,
    root_callback_context,
    routed_params,
)
from ._warm_start import initial_batch
from ..optimizers import Exhaustive
from ..space import Space


class BaseOptimizerSearch(BaseSearchCV):
    """Base class of the searches that drive an ask/tell optimizer.

    A subclass implements ``_make_optimizer(layout, random_state, budget)``
    (it may read fitted attributes such as ``n_splits_``) and may implement
    ``_extra_results(optimizer, rows)`` (more ``cv_results_`` columns); its
    ``__init__`` takes its own parameters plus ``**common`` for the ones
    below, which are merged into its signature so that ``get_params`` and
    ``clone`` see them.

    Examples
    --------
    A search that draws uniform candidates, 4 per batch (:mod:`sksearch.base`
    shows a strategy of its own):

    >>> from scipy.stats import loguniform
    >>> from sklearn.datasets import load_iris
    >>> from sklearn.svm import SVC
    >>> from sksearch.base import BaseOptimizerSearch
    >>> from sksearch.optimizers import RandomSampler
    >>> class UniformSearchCV(BaseOptimizerSearch):
    ...     def __init__(self, estimator, param_distributions, **common):
    ...         super().__init__(estimator, param_distributions, **common)
    ...     def _make_optimizer(self, layout, random_state, budget):
    ...         return RandomSampler(layout, batch_size=4, random_state=random_state)
    >>> X, y = load_iris(return_X_y=True)
    >>> search = UniformSearchCV(SVC(), {"C": loguniform(1e-2, 1e2)}, n_iter=8, cv=3,
    ...                          random_state=0).fit(X, y)
    >>> search.cv_results_["iteration"].tolist()
    [0, 0, 0, 0, 1, 1, 1, 1]
    """

    _parameter_constraints = {
        **BaseSearchCV._parameter_constraints,
        "estimator": [ESTIMATOR_INSTANCE],
        "param_distributions": [dict, list],
        "n_iter": [Interval(Integral, 1, None, closed="left")],
        "random_state": ["random_state"],
        "max_time": [Interval(Real, 0, None, closed="neither"), None],
        "n_iter_no_change": [Interval(Integral, 1, None, closed="left"), None],
        "tol": [Interval(Real, 0, None, closed="left")],
        "checkpoint": [str, os.PathLike, None],
        "batch_callbacks": [list, tuple, callable, None],
        "initial_candidates": [list, tuple, BaseSearchCV, None],
        "resource": [str, None],
        "min_resources": [Interval(Integral, 1, None, closed="left"), StrOptions({"auto"})],
        "max_resources": [Interval(Integral, 1, None, closed="left"), StrOptions({"auto"})],
        "factor": [Interval(Real, 1, None, closed="neither")],
    }

    @abstractmethod
    def __init__(
        self,
        estimator,
        param_distributions=None,
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
        batch_callbacks=None,
        initial_candidates=None,
        resource=None,
        min_resources="auto",
        max_resources="auto",
        factor=3,
        **unknown,
    ):
        if unknown:
            raise unknown_keyword_error(self, unknown)
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
        self.batch_callbacks = batch_callbacks
        self.initial_candidates = initial_candidates
        self.resource = resource
        self.min_resources = min_resources
        self.max_resources = max_resources
        self.factor = factor

    def __init_subclass__(cls, **kwargs):
        super().__init_subclass__(**kwargs)
        complete_class(cls, BaseOptimizerSearch.__init__)

    # -------------------------------------------------------------- strategy
    @abstractmethod
    def _make_optimizer(self, layout, random_state, budget):
        """Return the :class:`~sksearch.optimizers.Optimizer` for this fit.

        Parameters
        ----------
        layout : CubeLayout
            The cube of the space being searched.
        random_state : int
            The optimizer's seed.
        budget : int
            The number of candidates that defaults sized by the budget (an
            initial design, a swarm, a population) are sized for: ``n_iter``,
            or, when a checkpoint is continued with another ``n_iter``, the
            ``n_iter`` of the fit that started its journal, so that the
            journaled batches are asked again exactly.
        """

    def _extra_results(self, optimizer, rows):
        """Extra ``cv_results_`` columns for the evaluated ``rows`` of the last ask.

        ``optimizer`` is None for the batch of ``initial_candidates``.
        """
        return {}

    # -------------------------------------------------------------- fit
    @fit_context
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
        space = Space(self.param_distributions)
        callbacks = check_batch_callbacks(self.batch_callbacks)
        scorers, refit_metric = get_scorers(self)
        X, y = indexable(X, y)
        params = check_fit_params(X, params)
        routed = routed_params(self, params)
        cv = check_cv(self.cv, y, classifier=is_classifier(self.estimator))
        splits = list(cv.split(X, y, **routed.splitter.split))
        if not splits:
            raise ValueError(f"cv={self.cv!r} gives no split: the search needs at least one")
        self.n_splits_ = len(splits)
        splits = check_fit_inputs(self, space, X, y, params, splits, scorers)
        seed = int(check_random_state(self.random_state).randint(np.iinfo(np.int32).max))
        resource = check_resource(self, space, X, y, splits)

        header = fingerprint(self, space, splits, X, y, params, seed=seed, budget=self.n_iter)
        full = {**self.estimator.get_params(deep=True), "n_samples": num_samples(X)}
        if resource is not None:  # what a full-resource evaluation sets
            full[resource.name] = resource.levels[-1]
        initial = initial_batch(self.initial_candidates, space, header, splits, full)
        checkpoint = contextlib.nullcontext()
        if self.checkpoint is not None:
            checkpoint = Checkpoint(self.checkpoint, header, n_dims=space.layout.n_dims,
                                    n_splits=len(splits))

        metadata = {"sample_weight": params["sample_weight"]} if params.get(
            "sample_weight") is not None else None
        root = root_callback_context(self, max_subtasks=1 + (self.refit is not False))
        root.call_on_fit_task_begin(estimator=self, X=X, y=y, metadata=metadata)
        results = Results(self, len(splits))
        try:
            with checkpoint as journal:  # locked, checked against this search
                seed, budget = (seed, self.n_iter) if journal is None else journal.run_with
                if resource is not None:
                    resource.draw_training_orders(splits, y, seed)
                n_tasks = None if resource else self.n_iter * len(splits)
                evaluation = Evaluation(self, X, y, splits, scorers, routed,
                                        root.subcontext(task_name="search",
                                                        max_subtasks=n_tasks,
                                                        sequential_subtasks=False))
                self.stop_reason_ = self._search(space, seed, budget, evaluation, results,
                                                 checkpoint, callbacks, initial, resource)
        except BaseException:
            if len(results):  # what was evaluated is kept (and journaled)
                self.cv_results_ = results.cv_results
            raise

        self._set_best(results, refit_metric, resource)
        if self.refit:
            self._refit(X, y, routed.estimator.fit, root, metadata)
        self.scorer_ = getattr(scorers, "_scorers", scorers)
        self.cv_results_ = results.cv_results
        self._fingerprint = header  # what an initial_candidates reuse checks
        root.call_on_fit_task_end(estimator=self, X=X, y=y, metadata=metadata)
        for callback in callbacks:
            if hasattr(callback, "on_search_end"):
                callback.on_search_end(self)
        return self

    def _search(self, space, seed, budget, evaluation, results, checkpoint, callbacks,
                initial, resource):
        """Run the loop; return why it stopped."""
        layout = space.layout
        initial_X, initial_candidates, reused = initial
        brackets = None if resource is None else Brackets(resource.levels, self.factor)
        # with a resource, defaults are sized for the candidates the budget tries
        per_evaluation = 1.0 if brackets is None else brackets.candidates_per_evaluation()
        exhaustive = layout.size <= self.n_iter * per_evaluation
        optimizer = (Exhaustive(layout) if exhaustive
                     else self._make_optimizer(layout, seed, round(budget * per_evaluation)))
        replay = getattr(checkpoint, "replay", None)


        def start(iteration, X, rows, level=None):
            """Start evaluating ``rows`` of ``X``; return the call that gives their scores."""
            warm = initial_X is not None and iteration == 0
            candidates = ([initial_candidates[i] for i in rows] if warm
                          else space.decode(X[rows]))
            more = {"iteration": [iteration] * len(rows),
                    **self._extra_results(None if warm else optimizer, rows)}
            splits = None
            if resource is not None:
                more = {"iter": [level] * len(rows),
                        "n_resources": [resource.levels[level]] * len(rows), **more}
                candidates = resource.candidates(candidates, level)
                splits = resource.splits(evaluation.splits, level)
            n_done, records = (replay(X, rows) if replay else None) or (0, [])
            fitting = None
            if n_done < len(rows) and not (warm and reused is not None):
                fitting = evaluation.start(candidates[n_done:], splits)

            def finish():
                fitted = []
                if fitting is not None:
                    fitted = fitting()
                elif n_done < len(rows):  # an earlier search's records, reused
                    n = len(evaluation.splits)
                    fitted = [r for i in rows[n_done:] for r in reused[i * n:(i + 1) * n]]
                if replay and fitted:
                    checkpoint.append(iteration, X, rows[n_done:], fitted)
                return results.add(candidates, records + fitted, more)
            return finish

        def evaluate(iteration, X, rows, level=None):
            return start(iteration, X, rows, level)()

        def before_ask(loop):
            # a continued journal: the optimizer learns the larger n_iter where it
            # did when the journal was extended (replayed), or now
            nonlocal budget
            change = getattr(checkpoint, "budget_changes", {}).get(loop.iteration)
            if change is None and replay and checkpoint.replay_done and self.n_iter > budget:
                change = self.n_iter
                checkpoint.append_budget(loop.iteration, change)
            if change is not None and change > budget:
                budget = change
                optimizer.set_budget(round(change * per_evaluation))

        evaluation.callback_ctx.call_on_fit_task_begin(estimator=self)
        with evaluation:
            loop = Loop(optimizer, layout, evaluate, n_iter=self.n_iter,
                        max_time=self.max_time, n_iter_no_change=self.n_iter_no_change,
                        tol=self.tol, exhaustive=exhaustive,
                        on_batch=self._print_batch if self.verbose >= 1 else None,
                        after_batch=batch_callback_runner(self, callbacks, results),
                        initial=initial_X, before_ask=before_ask, brackets=brackets,
                        start=start)
            stop = loop.run()
        evaluation.callback_ctx.call_on_fit_task_end(estimator=self)
        if resource is not None:
            for name, value in resource.fitted_attributes(brackets, results.cv_results).items():
                setattr(self, name, value)
        return stop

    def _print_batch(self, loop):
        done = (f"{len(loop.scores)}/{self.n_iter} candidates" if loop.brackets is None else
                f"{len(loop.scores)} candidates, {loop.spent:.1f}/{self.n_iter} full-resource "
                "fits")
        best = f"{loop.best_history[-1]:.6g}" if loop.best_history else "none at full resource"
        print(f"[{type(self).__name__}] batch {loop.iteration}: {done}, best {best}, "
              f"{loop.elapsed:.1f}s")

    def _set_best(self, results, refit_metric, resource):
        """``multimetric_``, ``best_index_``, ``best_score_``, ``best_params_``.

        With a resource, only candidates evaluated at the full resource are
        eligible (at the most evaluated there, if none was).
        """
        first = results.first_scores
        self.multimetric_ = isinstance(first, dict)
        if callable(self.scoring) and self.multimetric_:
            check_refit_for_multimetric(self, first)
            refit_metric = self.refit
        if not (self.refit or not self.multimetric_):
            return
        cv_results = results.cv_results
        if callable(self.refit):
            index = self.refit(cv_results)
            if not isinstance(index, Integral):
                raise TypeError("best_index_ returned is not an integer")
            if index < 0 or index >= len(cv_results["params"]):
                raise IndexError("best_index_ index out of range")
        else:
            ranks = np.asarray(cv_results[f"rank_test_{refit_metric}"], dtype=float)
            if resource is not None:
                ranks = np.where(resource.best_rows(cv_results), ranks, np.inf)
            index = int(ranks.argmin())
            self.best_score_ = cv_results[f"mean_test_{refit_metric}"][index]
        self.best_index_ = index
        self.best_params_ = cv_results["params"][index]

    def _refit(self, X, y, fit_params, root, metadata):
        """Fit the best candidate on the whole data: ``best_estimator_``, ``refit_time_``."""
        self.best_estimator_ = clone(self.estimator).set_params(
            **clone(self.best_params_, safe=False))
        ctx = root.subcontext(task_name="refit-with-best-params")
        with ctx.propagate_callback_context(self.best_estimator_):
            ctx.call_on_fit_task_begin(estimator=self, X=X, y=y, metadata=metadata)
            start = time.time()
            if y is not None:
                self.best_estimator_.fit(X, y, **fit_params)
            else:
                self.best_estimator_.fit(X, **fit_params)
            self.refit_time_ = time.time() - start
        if hasattr(self.best_estimator_, "feature_names_in_"):
            self.feature_names_in_ = self.best_estimator_.feature_names_in_
        ctx.call_on_fit_task_end(estimator=self, X=X, y=y, metadata=metadata)
