"""Resume an interrupted search from its checkpoint.

With ``checkpoint="...jsonl"`` a search appends every finished batch to a
journal. If the process stops (a crash, a closed laptop, Ctrl-C), calling
``fit`` again with the same checkpoint replays the journal into the
optimizer without fitting anything again, and the search goes on. Here a
stopping callback stands in for the interruption after two generations of a
genetic search; the resumed search then gives exactly the results of a
search that was never interrupted, which the script checks.

Runs in about 10 seconds on two cores. ``SKSEARCH_EXAMPLE_FAST=1`` (or
``--fast``) shrinks the budget to a smoke test of a few seconds.
"""

import os
import sys
import tempfile
import time

import numpy as np
from sklearn.datasets import load_breast_cancer
from sklearn.pipeline import make_pipeline
from sklearn.preprocessing import StandardScaler
from sklearn.svm import SVC

from sksearch import GeneticSearchCV
from sksearch.space import Real

FAST = "--fast" in sys.argv or os.environ.get("SKSEARCH_EXAMPLE_FAST") == "1"
N_JOBS = 1 if FAST else -1  # in a smoke test, starting workers costs more than the fits

X, y = load_breast_cancer(return_X_y=True)
model = make_pipeline(StandardScaler(), SVC())
space = {"svc__C": Real(1e-2, 1e3, log=True), "svc__gamma": Real(1e-5, 1e0, log=True),
         "svc__kernel": ["rbf", "sigmoid"]}
n_iter = 16 if FAST else 40


def make_search(**kwargs):
    return GeneticSearchCV(model, space, n_iter=n_iter, cv=3, n_jobs=N_JOBS, random_state=0,
                           **kwargs)


def interrupted_after_two_generations(state):
    """A stopping callback: it receives a SearchState after each batch."""
    return state.iteration == 1


with tempfile.TemporaryDirectory() as folder:
    checkpoint = os.path.join(folder, "svc_search.jsonl")  # any path you like

    first = make_search(checkpoint=checkpoint, batch_callbacks=[interrupted_after_two_generations])
    first.fit(X, y)
    print(f"first run: {len(first.cv_results_['params'])} of {n_iter} candidates, "
          f"then stopped ({first.stop_reason_})")

    start = time.perf_counter()
    resumed = make_search(checkpoint=checkpoint).fit(X, y)
    replayed = len(first.cv_results_["params"])
    print(f"resumed:   {len(resumed.cv_results_['params'])} candidates "
          f"({replayed} read back from the journal, not refitted) "
          f"in {time.perf_counter() - start:.1f} s")

uninterrupted = make_search().fit(X, y)
same = (resumed.cv_results_["params"] == uninterrupted.cv_results_["params"]
        and np.array_equal(resumed.cv_results_["mean_test_score"],
                           uninterrupted.cv_results_["mean_test_score"]))
print(f"best: {resumed.best_params_} (accuracy {resumed.best_score_:.4f})")
print(f"same results as a search that was never interrupted: {same}")
