"""Watch a search batch by batch and stop it with your own rule.

``batch_callbacks`` takes functions (or callable objects) that receive a
``sksearch.SearchState`` after each batch: the batch index, the number of
candidates so far, the best score and parameters, the elapsed time and the
results so far (formatted like ``cv_results_``). A callback that returns True
stops the search; the best candidate is still refit and ``stop_reason_``
says ``"callback"``. Here one callback prints progress and another stops a
particle swarm once it is good enough: at a target accuracy, or when
several swarm steps in a row have not improved it.

Runs in about 20 seconds on two cores. ``SKSEARCH_EXAMPLE_FAST=1`` (or
``--fast``) shrinks data and budget to a smoke test of a few seconds.
"""

import os
import sys

from scipy.stats import loguniform
from sklearn.datasets import load_digits
from sklearn.svm import SVC

from sksearch import PSOSearchCV

FAST = "--fast" in sys.argv or os.environ.get("SKSEARCH_EXAMPLE_FAST") == "1"
N_JOBS = 1 if FAST else -1  # in a smoke test, starting workers costs more than the fits

X, y = load_digits(return_X_y=True)
if FAST:
    X, y = X[:600], y[:600]


def report(state):
    """Print one line per batch; returning None never stops the search."""
    print(f"step {state.iteration:2d}: {state.n_candidates:3d} candidates, "
          f"best accuracy {state.best_score:.4f}, {state.elapsed:5.1f} s")


class GoodEnough:
    """Stop at a target score, or after ``patience`` batches without improvement."""

    def __init__(self, target, patience):
        self.target, self.patience = target, patience
        self.best, self.waited = float("-inf"), 0

    def __call__(self, state):
        if state.best_score > self.best:
            self.best, self.waited = state.best_score, 0
        else:
            self.waited += 1
        return state.best_score >= self.target or self.waited >= self.patience


search = PSOSearchCV(
    SVC(),
    {"C": loguniform(1e-2, 1e3), "gamma": loguniform(1e-5, 1e-1)},
    n_iter=20 if FAST else 100,
    cv=3,
    n_jobs=N_JOBS,
    random_state=0,
    batch_callbacks=[report, GoodEnough(target=0.99, patience=3)],
)
search.fit(X, y)
print(f"stopped because: {search.stop_reason_}, after {len(search.cv_results_['params'])} "
      "candidates")
print(f"best: {search.best_params_} (accuracy {search.best_score_:.4f})")
