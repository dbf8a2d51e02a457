"""The engine: what runs a search between the optimizer and ``cv_results_``.

Rooms, in the order data flows through them:

* :mod:`._base_search`: :class:`BaseOptimizerSearch`, whose ``fit``
  validates everything, draws the folds once, composes the evaluator stack
  and runs the loop, then picks the best candidate and refits it;
* :mod:`._loop`: the one loop, ask -> drop known candidates -> evaluate ->
  tell -> stop?, driven by a schedule;
* :mod:`._schedules`: what the loop evaluates next (a plain batch, the
  ask-ahead pair); :mod:`.fidelity._schedule` runs the brackets of
  successive halving;
* the evaluator stack, layers with one interface, ``start(batch)`` -> a
  handle whose ``finish()`` gives the batch's per-fold records, composed in
  :mod:`._stack`: the journal (its file in :mod:`._journal`), an earlier
  search's records (found by :mod:`._warm_start`) and the fits through
  joblib (:mod:`._fitting`);
  :mod:`._results` keeps the records and formats ``cv_results_``;
* :mod:`._fingerprint` (what binds a journal or a reuse to its search),
  :mod:`._callbacks` (batch callbacks), :mod:`.inputs` (the shared
  parameters' docstring text and signature, other tuners' keywords, the
  checks of what a user passes in) and :mod:`._sklearn`, the only module
  that touches scikit-learn's private names;
* :mod:`.fidelity`: the resource, its brackets and their schedule, and fit
  reuse across rungs (:mod:`.fidelity._continuation`).
"""
