"""Give a search a time budget instead of (or as well as) a number of candidates.

``max_time`` is in seconds: once it has passed, no new batch is started (the
running one finishes), the search refits the best candidate found and
``stop_reason_`` says ``"max_time"``. ``n_iter`` stays an upper bound. Here
Bayesian optimization tunes a gradient boosting model for a fixed wall-clock
budget, the way one plans a search overnight or in a CI job.

Runs for about 30 seconds. ``SKSEARCH_EXAMPLE_FAST=1`` (or ``--fast``)
shrinks the budget to a few seconds.
"""

import os
import sys
import time

from scipy.stats import loguniform
from sklearn.datasets import load_breast_cancer
from sklearn.ensemble import HistGradientBoostingClassifier
from sklearn.model_selection import train_test_split

from sksearch import BayesSearchCV
from sksearch.space import Integer

FAST = "--fast" in sys.argv or os.environ.get("SKSEARCH_EXAMPLE_FAST") == "1"
N_JOBS = 1 if FAST else -1  # in a smoke test, starting workers costs more than the fits
SECONDS = 2 if FAST else 30

X, y = load_breast_cancer(return_X_y=True)
X_train, X_test, y_train, y_test = train_test_split(X, y, stratify=y, random_state=0)

search = BayesSearchCV(
    HistGradientBoostingClassifier(max_iter=30 if FAST else 100, random_state=0),
    {"learning_rate": loguniform(1e-3, 0.5), "max_leaf_nodes": Integer(4, 64, log=True),
     "min_samples_leaf": Integer(2, 50), "l2_regularization": loguniform(1e-4, 10.0)},
    n_iter=500,          # an upper bound that the time budget will cut
    max_time=SECONDS,    # seconds; the batch running at that moment finishes
    cv=3,
    scoring="roc_auc",
    n_jobs=N_JOBS,
    random_state=0,
)
start = time.perf_counter()
search.fit(X_train, y_train)
elapsed = time.perf_counter() - start

print(f"stopped because: {search.stop_reason_} (budget {SECONDS} s, fit took {elapsed:.1f} s "
      f"including the refit)")
print(f"candidates evaluated: {len(search.cv_results_['params'])}")
print(f"best cross-validated ROC AUC: {search.best_score_:.4f} with {search.best_params_}")
print(f"held-out ROC AUC of the refit model: {search.score(X_test, y_test):.4f}")
