"""The fitting layer of the evaluator stack: candidates x fixed folds through joblib.

:class:`Fits` holds what one ``fit`` of a search needs to score candidates:
the data, the splits (drawn once, so every batch is scored on the same
folds), the scorers and the joblib pools. It is the bottom of the stack
(:mod:`sksearch.engine._stack`): ``start(batch)`` starts the fits of a
batch and returns a handle whose ``finish()`` waits for their per-split
records.
"""

import warnings

from sklearn.base import clone
from sklearn.utils.parallel import Parallel, delayed

from ._sklearn import evaluation_contexts, fit_and_score


#: A forest warns at every warm start with balanced class weights, for data that
#: may differ from the first fit's; a continued fold model gets its own fold again.
CONTINUED_FOREST_WARNING = 'class_weight presets "balanced" or "balanced_subsample"'


class Fits:
    """Fits and scores batches of candidates on fixed splits, in parallel.

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
    continuation : Continuation, default=None
        Keeps the fold models of a rung and says what a promoted candidate
        fits (:mod:`sksearch.engine.fidelity._continuation`).

    Use it as a context manager: its joblib pools live as long as it is open.
    """

    def __init__(self, search, X, y, splits, scorers, routed, callback_ctx,
                 continuation=None):
        self.search, self.X, self.y, self.splits = search, X, y, splits
        self.continuation = continuation
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

    def start(self, batch):
        """Start the fits of ``batch`` (:class:`~sksearch.engine._stack.Batch`);
        return the handle whose ``finish()`` gives their per-split records
        (candidate-major, as scikit-learn makes them).

        ``batch.splits`` replaces the folds for this batch (a multi-fidelity
        rung training on part of each training set); the test sets are the
        same. With a ``continuation``, a promoted candidate's fold models
        continue instead of being fitted from zero. At most two batches are
        in flight: each call must come after the records of the batch
        started two calls before were taken.
        """
        splits = self.splits if batch.splits is None else batch.splits
        plans = self._plans(batch)
        keep = self.continuation is not None and self.continuation.keeps(batch.candidates)
        tasks = [(c, s, split) for c in range(len(batch.candidates))
                 for s, split in enumerate(splits)]
        contexts = evaluation_contexts(self.callback_ctx, self.n_evaluations, len(tasks))
        self.n_evaluations += len(tasks)
        turn = self.n_started % 2
        self.n_started += 1
        records = self.outputs[turn] = self.pools[turn](
            delayed(fit_chain)(
                clone(self.base_estimator) if plans[c][0] is None else plans[c][0][s],
                self.X, self.y, chain=plans[c][1], continued_from=plans[c][2],
                return_estimator=keep, train=train, test=test,
                split_progress=(s, len(self.splits)),
                candidate_progress=(c, len(batch.candidates)), callback_ctx=ctx,
                **self._fit_arguments())
            for (c, s, (train, test)), ctx in zip(tasks, contexts)
        )
        return Pending(records, self.continuation if keep else None, batch, len(splits))

    def _plans(self, batch):
        if self.continuation is None or batch.keys is None:
            return [(None, [params], None) for params in batch.candidates]
        return self.continuation.plan(batch.keys, batch.candidates)

    def _fit_arguments(self):
        search = self.search
        return {"caller": search, "scorer": self.scorers,
                "fit_params": self.routed.estimator.fit,
                "score_params": self.routed.scorer.score,
                "return_train_score": search.return_train_score,
                "error_score": search.error_score, "verbose": search.verbose}


def fit_chain(estimator, X, y, *, chain, continued_from, return_estimator, callback_ctx,
              **kwargs):
    """Fit ``estimator`` with each parameter dict of ``chain`` in turn (a model
    continued rung after rung), score the last: the record of the last fit,
    whose ``fit_time`` is the whole chain's. ``continued_from`` (None: no
    continuation asked for) is written into the record, and the fitted
    model under ``"estimator"`` when ``return_estimator``."""
    with warnings.catch_warnings():
        if continued_from:  # the same fold's data again, which the warning is not about
            warnings.filterwarnings("ignore", CONTINUED_FOREST_WARNING, UserWarning)
        record, fit_time = _chain(estimator, X, y, chain, return_estimator, callback_ctx,
                                  kwargs)
    record["fit_time"] = record["fit_time"] + fit_time
    if continued_from is not None:
        record["continued_from"] = continued_from
    return record


def _chain(estimator, X, y, chain, return_estimator, callback_ctx, kwargs):
    """The last fit's record and the seconds of the fits before it."""
    fit_time = 0.0
    for params in chain[:-1]:  # a resumed search rebuilding what it continues
        record = fit_and_score(estimator, X, y, parameters=params, callback_ctx=None,
                               return_estimator=True, **kwargs)
        if record.get("fit_error") is not None:
            return record, fit_time
        estimator, fit_time = record["estimator"], fit_time + record["fit_time"]
    record = fit_and_score(estimator, X, y, parameters=chain[-1], callback_ctx=callback_ctx,
                           return_estimator=return_estimator, **kwargs)
    return record, fit_time


class Pending:
    """A started batch of fits: ``finish()`` waits for its records (and hands the
    fitted fold models to the ``continuation`` that keeps them)."""

    def __init__(self, records, continuation=None, batch=None, n_splits=None):
        self._records, self.continuation = records, continuation
        self.batch, self.n_splits = batch, n_splits

    def finish(self):
        records = list(self._records)
        if self.continuation is not None:
            models = []
            for record in records:  # a failed fit leaves nothing to continue
                model = record.pop("estimator", None)
                models.append(model if record.get("fit_error") is None else None)
            n = self.n_splits
            self.continuation.keep(self.batch.keys, [models[i * n:(i + 1) * n]
                                                     for i in range(len(self.batch.keys))])
        return records
