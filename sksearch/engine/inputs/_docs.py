"""The public surface every search shares: docstring text and signature.

A search class's docstring says ``{search_parameters}``, ``{common_parameters}``
and ``{common_attributes}`` where the shared text goes; its ``__init__`` takes
its own parameters and ``**common``, and :func:`complete_class` merges the
common ones into its signature so that ``get_params``, ``clone`` and ``help``
see them. (A keyword that no search takes: :mod:`._other_tuners`.)
"""

import inspect

#: Docstring text of the first two parameters of every search
#: (``{search_parameters}`` in a class docstring).
SEARCH_PARAMETERS_DOC = """\
    estimator : estimator object
        Estimator (or Pipeline) to tune; it implements ``fit`` and either
        ``score`` or is used with ``scoring``.

    param_distributions : dict or list of dicts
        Parameter names mapped to lists of choices, ``scipy.stats``
        distributions (bounded or not, continuous or discrete: each is
        searched in its quantile space, so its prior is honoured), objects
        with an ``rvs`` method, or :class:`~sksearch.space.Real`,
        :class:`~sksearch.space.Integer`,
        :class:`~sksearch.space.Categorical`. A list of dicts is a union of
        subspaces. Everything ``RandomizedSearchCV`` accepts is accepted, and
        a ``GridSearchCV`` ``param_grid`` as is; see :class:`~sksearch.space.Space`."""

#: Docstring text of the parameters every search shares; a search's class
#: docstring says ``{common_parameters}`` where it goes.
COMMON_PARAMETERS_DOC = """\
    n_iter : int, default=50
        Number of distinct candidates evaluated, as in ``RandomizedSearchCV``:
        a candidate proposed again is answered with its known score and not
        fitted twice. A finite space with at most ``n_iter`` candidates is
        evaluated completely (with a warning). With ``resource``, the budget
        counts full-resource fits instead (see ``resource``).

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
        stratified for classifiers). The splits are drawn once per ``fit``:
        every candidate is scored on the same folds, even with a splitter
        that shuffles without a seed (calling ``RandomizedSearchCV`` batch
        by batch would draw new folds each time).

    verbose : int, default=0
        As in ``RandomizedSearchCV``: 0 silent; 1 one line per batch
        (candidates done, best score so far, elapsed time); 2 also one line
        per fit with its time; 3 also its scores.

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
        finishes). A batch asked when time is short keeps only the new
        candidates that the pace of the batches before says will end in
        time, and the search stops after it; an overrun of more than a
        second (and a twentieth of ``max_time``) is said in a warning.
        None: no limit.

    n_iter_no_change : int, default=None
        Stop when the best score has not improved by more than ``tol`` over
        the last ``n_iter_no_change`` candidates. None: never.

    tol : float, default=0.0
        Improvement that counts for ``n_iter_no_change``.

    checkpoint : str or path-like, default=None
        JSON-lines journal of every finished batch. ``fit`` with an existing
        journal replays it without fitting and continues where it stopped
        (with a larger ``n_iter``, beyond); with the same ``random_state``
        the result equals an uninterrupted search. A journal is bound to its
        search: the estimator and its parameters, the space, scoring, folds,
        data and fit parameters must be the same, else it is refused (and
        left untouched); one search writes it at a time.

    batch_callbacks : callable or list of callables, default=None
        Called after each batch with a :class:`~sksearch.SearchState`; one
        that returns True stops the search. An object that also has an
        ``on_search_begin(search)`` method is called with the search once
        the parameters are checked, before a checkpoint is opened or
        anything is fitted (so that it can refuse to start: what it raises
        stops ``fit``); one with an ``on_search_end(search)`` method is
        called once more after the refit. (scikit-learn's own callbacks,
        such as ``ProgressBar``, go to ``search.set_callbacks(...)``.)

    initial_candidates : list of dicts or fitted search, default=None
        Known settings evaluated first (the first batch, ``iteration`` 0)
        and told to the strategy before it proposes anything: a swarm or a
        population starts from the best of them, a model adds them to its
        data. Each must be a candidate of ``param_distributions``. A fitted
        sksearch search instead gives its candidates with their scores,
        reused without fitting anything, if it was fitted on the same data,
        folds, estimator and scoring (else it is refused). They count in
        ``n_iter``.

    resource : str, default=None
        Multi-fidelity: what makes a fit cheaper when smaller, as in
        ``HalvingRandomSearchCV``: ``"n_samples"`` (each training fold is
        cut to a share of it; the test folds stay whole) or the name of an
        integer estimator parameter (``"n_estimators"``, ``"max_iter"``,
        the Keras wrappers' ``"epochs"``, ``"clf__n_estimators"`` in a
        Pipeline), which must not be in ``param_distributions``; a seed,
        ``n_jobs``, ``verbose`` or ``batch_size`` is no budget and is
        refused. The search
        then runs Hyperband's brackets of successive halving: the strategy
        proposes the candidates that enter each bracket, they are evaluated
        at a small resource and the best ``1 / factor`` of each rung are
        promoted to ``factor`` times more, up to ``max_resources``. Cheap
        rungs that rank candidates unlike the next rung, by more than the
        cross-validation noise explains, are dropped as the search runs
        (``dropped_rungs_``) and tried again later. ``n_iter`` then counts
        full-resource fits: the resources spent over all rungs add up to
        about ``n_iter x max_resources`` per fold, so the search costs about
        what ``RandomizedSearchCV(n_iter=n_iter)`` costs. Only candidates
        evaluated at ``max_resources`` can be ``best_*``. None: every
        candidate is evaluated at full cost.

    min_resources : int or "auto", default="auto"
        The smallest resource of a rung. "auto": ``max_resources / factor**3``
        rounded (and for ``"n_samples"`` at least ``2 x n_splits``, times
        the number of classes for a classifier).

    max_resources : int or "auto", default="auto"
        The full resource. "auto": all samples for ``"n_samples"``, else the
        parameter's value in ``estimator``. For ``"n_samples"``, a rung of
        ``r`` samples trains each fold on ``r / n_samples`` of its training
        set, the top rung too when ``max_resources`` is below ``n_samples``
        (as ``HalvingRandomSearchCV`` subsamples).

    factor : float, default=3
        Each rung keeps ``1 / factor`` of its candidates and gives them
        ``factor`` times the resource. Settings that leave a single rung
        (``min_resources`` to ``max_resources`` too narrow for ``factor``),
        or a factor so small that neighbouring rungs round to the same
        value, are refused with the values that would work.

    reuse_fits : bool, default=True
        With a resource that grows a fitted model, a promoted candidate's
        fold models continue to the next rung (the estimator's own
        ``warm_start``) instead of being fitted from zero: ``n_estimators``
        of forests, extra trees, gradient boosting and bagging, ``max_iter``
        of ``HistGradientBoosting*`` (a continued fit equals a fresh one),
        ``max_iter`` of ``MLP*`` and ``SGD*`` (trained on from the
        weights reached, their step-size state afresh) and ``epochs`` of the
        Keras wrappers (trained on from the weights reached), also as a
        Pipeline step. ``cv_results_["continued_from"]`` gives the resource each fit
        continued from (0: from zero) and ``mean_fit_time`` what it really
        cost. Other estimators, and ``"n_samples"``, are fitted from zero.
        False: every rung fits from zero.

    reuse_memory : int or "auto", default="auto"
        Bytes (pickled) that the fold models kept for promotion may take;
        beyond it the models kept longest are dropped, then those of a
        rung's last candidates, and those candidates are fitted from zero if
        promoted. "auto": a tenth of the machine's memory.

    rung_cost : {"units", "seconds"}, default="units"
        What ``n_iter`` charges a candidate at a rung, and so how many
        candidates a bracket takes and which rungs it starts at. "units":
        the rung's resource over ``max_resources``, whatever the fit took.
        "seconds": what the fits take, in full-resource fits from zero. Each
        fit's ``mean_fit_time`` is modelled as a fixed part (data binning,
        set-up) plus a part per resource unit trained (what a continued fit
        adds), fitted to the fits seen so far; a promotion that continues
        its model is charged only what it adds, and a rung whose fits from
        zero cost more than ``1 / sqrt(factor)`` of the next rung's is not
        entered (``min_resources_`` rises; ``rung_costs_`` gives the costs).
        The first bracket is planned in units (no fit is timed yet) and
        charged its measured seconds once over. Plans then follow the
        machine's speed: two fresh runs may differ, as with ``max_time``;
        a resumed checkpoint replays what it recorded exactly (its plans
        use the recorded times).

    objectives : dict, default=None
        Several objectives to trade off: metric name -> ``"maximize"`` or
        ``"minimize"``. Names are the keys of a multi-metric ``scoring`` (a
        single metric is ``"score"``) and ``"fit_time"``, ``"score_time"``
        (``mean_fit_time``, ``mean_score_time``; with a time, results follow
        the machine's speed). The search then looks for the Pareto front:
        ``cv_results_["rank_pareto"]`` and ``pareto_front_``; ``refit``
        chooses the best as in scikit-learn (a metric name or a callable of
        ``cv_results_``; False: only the front), and ``n_iter_no_change``
        watches the front's hypervolume. With ``resource``, rungs promote by
        non-dominated rank, then crowding, and the front is that of the
        full-resource rows. None: the one score that ``scoring`` and
        ``refit`` name.

    constraints : list, default=None
        What a candidate must meet. Each item is either

        - a **parameter constraint**, a callable ``params -> bool`` (True:
          the candidate may be fitted), e.g. ``lambda p: p["max_leaf_nodes"]
          <= 2 ** p["max_depth"]``. A candidate that breaks one is never
          fitted and does not count in ``n_iter``: every strategy proposes
          feasible candidates only (the GP and the population reject
          infeasible ones among the candidates they choose from; the TPE's
          best candidate, a particle's move and an initial design's points
          are moved to the nearest feasible point found, or drawn again).
          Before any fit the feasible part of the space is estimated on
          2,000 uniform points (the whole space when it is finite and
          small): an empty or tiny one (below 0.1%) is refused, naming the
          constraint that rejects most; a finite space with at most
          ``n_iter`` feasible candidates is evaluated completely. A callable
          that raises, or returns anything but a bool, is refused with the
          candidate; ``initial_candidates`` that break one are refused. For
          a union of dicts, read a parameter that may be absent with
          ``p.get(name)``.
        - an **outcome constraint**, a string ``"<name> <= <number>"`` (or
          ``>=``, ``<``, ``>``), judged once a candidate is evaluated:
          ``<name>`` is a metric of ``scoring`` (its key with several,
          ``score`` with one), compared with ``mean_test_<name>``, or
          ``fit_time`` / ``score_time``, compared with ``mean_fit_time`` /
          ``mean_score_time`` (e.g. ``"fit_time <= 2"``). A candidate that
          breaks one is marked False in ``cv_results_["feasible"]`` (a
          column present with outcome constraints), is told to the strategy
          as a failure (so a model learns to avoid the region), and is
          never ``best_*``, unless none meets them (then a warning says so
          and the best of all is chosen). Not with ``resource``: a cheap
          rung's scores and times are not the full resource's.

        The constraints are part of a checkpoint's identity. See the
        example of :class:`~sksearch.BayesSearchCV`. None: no constraint."""

#: Docstring text of the fitted attributes every search shares
#: (``{common_attributes}`` in a class docstring).
COMMON_ATTRIBUTES_DOC = """\
    cv_results_ : dict of numpy (masked) ndarrays
        Every key of ``RandomizedSearchCV.cv_results_``, in the same format,
        plus ``iteration`` (the batch a candidate came from) and, with
        outcome ``constraints``, ``feasible`` (whether the row meets them).

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

    pareto_front_ : ndarray of int
        With ``objectives``: the rows of ``cv_results_`` on the Pareto front
        (``rank_pareto`` 1: no other candidate is at least as good in every
        objective and better in one).

    stop_reason_ : str
        Why the search stopped: ``"n_iter"``, ``"space_exhausted"``,
        ``"max_time"``, ``"no_change"``, ``"callback"``, ``"stalled"`` (the
        optimizer proposed only known candidates for a long time) or
        ``"interrupted"`` (KeyboardInterrupt).

    n_resources_, n_candidates_ : list of int
        With ``resource``: the resource of each rung, and how many
        candidates were evaluated at it (``cv_results_`` has a row per
        candidate and rung, with ``iter``, the rung, and ``n_resources``).

    min_resources_, max_resources_ : int
        With ``resource``: the smallest rung still used at the end, and the
        full resource.

    rung_agreement_ : dict
        With ``resource``: rung resource -> (rank correlation of the
        candidates promoted from it with their scores at the next rung,
        corrected for their selection; number of them; the chance that the
        next rung's cross-validation noise alone puts them that far out of
        order, from their per-split scores).

    dropped_rungs_ : list of dict
        With ``resource``: each decision to stop using a rung whose ranks
        disagreed with the next one beyond the noise: ``resources``
        dropped, ``agreement``, ``n_pairs`` and ``noise_chance`` that
        decided it, ``after_iteration`` (the last ``cv_results_["iteration"]``
        before it) and ``back_at_iteration`` (the first iteration of the
        bracket that tried them again, a round of brackets later; None if
        none did).

    rung_costs_ : dict
        With ``resource``: rung resource -> what a candidate's fit from zero
        there costs in full-resource fits, as last estimated (the resource
        over ``max_resources`` with ``rung_cost="units"``)."""


def complete_class(cls, base_init):
    """Fill ``cls``'s docstring and merge ``base_init``'s keywords into its signature."""
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
    common = inspect.signature(base_init).parameters.values()
    extra = [p for p in common if p.kind is p.KEYWORD_ONLY and p.name not in names]
    init.__signature__ = own.replace(parameters=kept + extra)
