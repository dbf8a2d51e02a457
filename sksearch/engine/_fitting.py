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

    Use it as a context manager: its joblib pools live as long as it is open.
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

    def start(self, batch):
        """Start the fits of ``batch`` (:class:`~sksearch.engine._stack.Batch`);
        return the handle whose ``finish()`` gives their per-split records
        (candidate-major, as scikit-learn makes them).

        ``batch.splits`` replaces the folds for this batch (a multi-fidelity
        rung training on part of each training set); the test sets are the
        same. At most two batches are in flight: each call must come after
        the records of the batch started two calls before were taken.
        """
        search, n_splits = self.search, len(self.splits)
        candidates = batch.candidates
        tasks = [(c, params, s, split) for c, params in enumerate(candidates)
                 for s, split in enumerate(self.splits if batch.splits is None
                                           else batch.splits)]
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
        return Pending(records)


class Pending:
    """A started batch of fits: ``finish()`` waits for its records."""

    def __init__(self, records):
        self._records = records

    def finish(self):
        return list(self._records)
