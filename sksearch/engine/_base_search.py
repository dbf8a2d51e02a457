"""The scikit-learn search that every strategy shares: :class:`BaseOptimizerSearch`.

A strategy (``PSOSearchCV``, ``GeneticSearchCV``, ``BayesSearchCV``, or one
of your own) subclasses it, declares its own parameters and builds its
optimizer in ``_make_optimizer``. ``fit`` does the rest, in this order:

1. check every parameter and input, the strategy's included, draw the
   cross-validation splits once and build the optimizer, before any side
   effect (``_plan``: a refused parameter leaves no file and fits nothing);
2. compose the evaluator stack (:mod:`sksearch.engine._stack`): the
   checkpoint's journal, if any (it must come from this search), an earlier
   search's reused records, the fits through joblib;
3. run :class:`~sksearch.engine._loop.Loop` with its schedule (plain
   batches, the ask-ahead pair, or the brackets of a resource): the
   optimizer asks, the stack answers each batch of new candidates, the
   optimizer is told the scores, the stopping rules are checked;
4. keep ``cv_results_``, pick the best candidate and refit it (one place,
   whether the results were fitted, replayed or interrupted).
"""

import contextlib
import os
import time
from abc import abstractmethod
from dataclasses import dataclass
from numbers import Integral, Real

import numpy as np
from sklearn.base import clone, is_classifier
from sklearn.model_selection import check_cv
from sklearn.utils import check_random_state
from sklearn.utils.validation import indexable

from ._callbacks import batch_callback_runner, check_batch_callbacks
from .inputs._docs import complete_class
from .inputs._checks import check_fit_inputs
from .inputs._objectives import check_objectives, check_optimizer_objectives
from .inputs._constraints import check_constraints, eligible_rows
from ._fingerprint import fingerprint
from ._fitting import Fits
from ._journal import Checkpoint
from ._loop import Loop, Stopping
from .inputs._other_tuners import OtherTunersAttributes, check_fit_keywords, unknown_keyword_error
from ._results import Results
from ._stack import BudgetChanges, Evaluator, JournalLayer, ReusedRecords
from .fidelity._brackets import Brackets
from .fidelity._continuation import Continuation, default_memory, how_it_continues
from .fidelity._costs import RungCosts
from .fidelity._resources import check_resource
from .fidelity._schedule import BracketSchedule
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
from .._warnings import warn
from ..optimizers import Exhaustive
from ..optimizers._constrained import Constrained
from ..space import Space


class BaseOptimizerSearch(OtherTunersAttributes, BaseSearchCV):
    """Base class of the searches that drive an ask/tell optimizer.

    A subclass implements ``_make_optimizer(layout, random_state, budget)``
    (it may read fitted attributes such as ``n_splits_``; with ``objectives``
    the optimizer takes ``n_objectives=self._n_objectives()``) and may implement
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
        "reuse_fits": ["boolean"],
        "reuse_memory": [Interval(Integral, 0, None, closed="left"), StrOptions({"auto"})],
        "rung_cost": [StrOptions({"units", "seconds"})],
        "objectives": "no_validation",  # checked in fit, with the spelling that works
        "constraints": [list, tuple, str, callable, None],  # a lone one: fit says what to write
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
        reuse_fits=True,
        reuse_memory="auto",
        rung_cost="units",
        objectives=None,
        constraints=None,
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
        self.reuse_fits = reuse_fits
        self.reuse_memory = reuse_memory
        self.rung_cost = rung_cost
        self.objectives = objectives
        self.constraints = constraints

    def __init_subclass__(cls, **kwargs):
        super().__init_subclass__(**kwargs)
        complete_class(cls, BaseOptimizerSearch.__init__)

    # -------------------------------------------------------------- strategy
    def _n_objectives(self):
        """How many objectives the optimizer of ``_make_optimizer`` must take
        (its ``n_objectives``): 1, or the entries of ``objectives``."""
        return 1 if not isinstance(self.objectives, dict) else max(1, len(self.objectives))

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
        plan = self._plan(X, y, params)  # everything checked; nothing written or fitted yet
        for callback in [c for c in plan.callbacks if hasattr(c, "on_search_begin")]:
            callback.on_search_begin(self)  # before any file or fit: a logger opens its store
        metadata = ({"sample_weight": plan.params["sample_weight"]}
                    if plan.params.get("sample_weight") is not None else None)
        root = root_callback_context(self, max_subtasks=1 + (self.refit is not False))
        root.call_on_fit_task_begin(estimator=self, X=plan.X, y=plan.y, metadata=metadata)
        results = Results(self, len(plan.splits), plan.objectives,
                          None if plan.resource is None else plan.resource.ladder[-1],
                          plan.constraints)
        try:
            self.stop_reason_ = self._search(plan, results, root)
        except BaseException:
            if len(results):  # what was evaluated is kept (and journaled)
                self.cv_results_ = results.cv_results
            raise
        self.cv_results_ = results.cv_results  # kept whatever the refit does
        self.scorer_ = getattr(plan.scorers, "_scorers", plan.scorers)
        self._fingerprint = plan.header  # what an initial_candidates reuse checks
        self._set_best(results, plan.refit_metric, plan.resource)
        if plan.objectives is not None:  # (rank 1 is only ever at the full resource)
            self.pareto_front_ = np.flatnonzero(self.cv_results_["rank_pareto"] == 1)
        if self.refit:
            self._refit(plan.X, plan.y, plan.routed.estimator.fit, root, metadata)
        root.call_on_fit_task_end(estimator=self, X=plan.X, y=plan.y, metadata=metadata)
        for callback in plan.callbacks:
            if hasattr(callback, "on_search_end"):
                callback.on_search_end(self)
        return self

    def _plan(self, X, y, params):
        """Check every parameter and input and build what the search runs with,
        before any side effect (no file is opened, nothing is fitted)."""
        space = Space(self.param_distributions)
        callbacks = check_batch_callbacks(self.batch_callbacks)
        objectives = check_objectives(self.objectives, self.scoring, self.refit)
        scorers, refit_metric = get_scorers(self)
        X, y = indexable(X, y)
        params = check_fit_params(X, params)
        check_fit_keywords(self, params)
        routed = routed_params(self, params)
        cv = check_cv(self.cv, y, classifier=is_classifier(self.estimator))
        splits = list(cv.split(X, y, **routed.splitter.split))
        if not splits:
            raise ValueError(f"cv={self.cv!r} gives no split: the search needs at least one")
        self.n_splits_ = len(splits)
        splits = check_fit_inputs(self, space, X, y, params, splits, scorers)
        seed = int(check_random_state(self.random_state).randint(np.iinfo(np.int32).max))
        resource = check_resource(self, space, X, y, splits)
        if resource is not None and space.layout.size <= self.n_iter:
            n = int(space.layout.size)
            warn(f"param_distributions has only {n} distinct candidates, no "
                 f"more than n_iter={self.n_iter} full-resource fits: each is evaluated at "
                 f"the full resource ({resource.name}={resource.ladder[-1]}) and "
                 f"resource={resource.name!r} saves nothing. Give n_iter below "
                 f"{n} for brackets of successive halving, or no resource.")
            resource = resource.full_only()
        constraints = check_constraints(self.constraints, space, scorers, seed=seed,
                                        scoring=self.scoring, resource=resource)
        header = fingerprint(self, space, splits, X, y, params, seed=seed, budget=self.n_iter)
        full = {**self.estimator.get_params(deep=True), "n_samples": num_samples(X)}
        if resource is not None:  # what a full-resource evaluation sets
            full[resource.name] = resource.ladder[-1]
        initial = initial_batch(self.initial_candidates, space, header, splits, full)
        if constraints is not None:
            constraints.check_initial(initial[1])
        seed, budget = (seed, self.n_iter) if self.checkpoint is None else Checkpoint.peek(
            self.checkpoint, header, n_dims=space.layout.n_dims, n_splits=len(splits))
        if resource is not None:
            resource.draw_training_orders(splits, y, seed)
        brackets = None if resource is None else Brackets(
            resource.ladder, self.factor,
            RungCosts(resource.ladder, measure=self.rung_cost == "seconds",
                      continues=self._how_it_continues(resource) is not None))
        # with a resource, defaults are sized for the candidates the budget tries
        per_evaluation = 1.0 if brackets is None else brackets.candidates_per_evaluation()
        n_feasible = getattr(constraints, "n_feasible", None)  # counted in a small finite space
        size = space.layout.size if n_feasible is None else n_feasible
        exhaustive = size <= self.n_iter * per_evaluation
        optimizer = (Exhaustive(space.layout, n_objectives=self._n_objectives()) if exhaustive
                     else self._make_optimizer(space.layout, seed, round(budget * per_evaluation)))
        check_optimizer_objectives(self, optimizer)
        if constraints is not None and constraints.parameter:
            optimizer = Constrained(optimizer, constraints.feasible, random_state=[seed, 1],
                                    drop=exhaustive)
        return _Plan(space, X, y, params, routed, scorers, refit_metric, splits, callbacks,
                     resource, brackets, header, initial, budget, per_evaluation, exhaustive,
                     optimizer, objectives, constraints)

    def _search(self, plan, results, root):
        """Open the journal, compose the evaluator stack, run the loop; why it stopped."""
        n_tasks = None if plan.resource else self.n_iter * len(plan.splits)
        context = root.subcontext(task_name="search", max_subtasks=n_tasks,
                                  sequential_subtasks=False)
        continuation = self._continuation(plan)
        fits = Fits(self, plan.X, plan.y, plan.splits, plan.scorers, plan.routed, context,
                    continuation)
        initial_X, initial_candidates, reused = plan.initial
        stack = fits if reused is None else ReusedRecords(initial_X, reused, len(plan.splits),
                                                          fits)
        with contextlib.ExitStack() as opened:
            before_ask = None
            if self.checkpoint is not None:  # locked, checked against this search
                journal = opened.enter_context(Checkpoint(
                    self.checkpoint, plan.header, n_dims=plan.space.layout.n_dims,
                    n_splits=len(plan.splits)))
                stack = JournalLayer(journal, stack)
                before_ask = BudgetChanges(journal, plan.optimizer, self.n_iter, plan.budget,
                                           plan.per_evaluation)
            evaluator = Evaluator(plan.space, stack, results, plan.splits,
                                  resource=plan.resource, initial_candidates=initial_candidates,
                                  extra_results=self._extra_results, optimizer=plan.optimizer,
                                  continuation=continuation)
            schedule = (None if plan.brackets is None else BracketSchedule(plan.brackets))
            stopping = Stopping(max_time=self.max_time, n_iter_no_change=self.n_iter_no_change,
                                tol=self.tol, exhaustive=plan.exhaustive,
                                callback=batch_callback_runner(self, plan.callbacks, results,
                                                               plan.resource))
            loop = Loop(plan.optimizer, plan.space.layout, evaluator, n_iter=self.n_iter,
                        schedule=schedule, initial=initial_X, stopping=stopping,
                        before_ask=before_ask,
                        on_batch=self._print_batch if self.verbose >= 1 else None)
            context.call_on_fit_task_begin(estimator=self)
            with fits:
                stop = loop.run()
            context.call_on_fit_task_end(estimator=self)
        if plan.resource is not None:
            for name, value in plan.resource.fitted_attributes(
                    plan.brackets, results.cv_results).items():
                setattr(self, name, value)
        return stop

    def _continuation(self, plan):
        """Fit reuse across rungs, where the resource and the estimator allow it."""
        how = self._how_it_continues(plan.resource)
        if how is None:
            return None
        resource = plan.resource
        memory = default_memory() if self.reuse_memory == "auto" else self.reuse_memory
        return Continuation(resource, how, len(plan.splits), memory)

    def _how_it_continues(self, resource):
        """How a promoted fit continues its model (None: it is fitted from zero)."""
        if resource is None or not self.reuse_fits or resource.name == "n_samples":
            return None
        return how_it_continues(self.estimator, resource.name)

    def _print_batch(self, loop):
        best = f"{loop.best_history[-1]:.6g}" if loop.best_history else "none at full resource"
        what = "best" if self.objectives is None else "hypervolume"
        print(f"[{type(self).__name__}] batch {loop.iteration}: "
              f"{loop.schedule.progress(loop)}, {what} {best}, {loop.elapsed:.1f}s")

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
            ranks = np.where(eligible_rows(cv_results), ranks, np.inf)  # outcome constraints
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


@dataclass(frozen=True)
class _Plan:
    """What ``fit`` checked and built before anything is written or fitted."""

    space: Space
    X: object
    y: object
    params: dict
    routed: object
    scorers: object
    refit_metric: object
    splits: list
    callbacks: list
    resource: object
    brackets: object
    header: dict
    initial: tuple
    budget: int
    per_evaluation: float
    exhaustive: bool
    optimizer: object
    objectives: object
    constraints: object
