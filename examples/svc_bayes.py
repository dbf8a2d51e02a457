"""Tune an SVM with Bayesian optimization, against random search.

The accuracy of an RBF support vector machine on the digits data ranges
from chance (``gamma`` too large, or ``C`` and ``gamma`` both too small) to
above 0.98 in a band of ``C`` and ``gamma``, each searched over several
decades on a log scale. Random search samples the whole space evenly.
``BayesSearchCV`` models the cross-validated accuracy as a function of the
parameters with a Gaussian process and spends its budget where the model
expects an improvement. The script prints the best accuracy found after
each number of candidates for both searches (same budget, folds and seed)
and how many of their candidates were near the best.

Runs in about a minute on two cores. ``SKSEARCH_EXAMPLE_FAST=1`` (or
``--fast``) shrinks data and budget to a smoke test of a few seconds.
"""

import os
import sys

import numpy as np
from scipy.stats import loguniform
from sklearn.datasets import load_digits
from sklearn.model_selection import RandomizedSearchCV, train_test_split
from sklearn.svm import SVC

from sksearch import BayesSearchCV

FAST = "--fast" in sys.argv or os.environ.get("SKSEARCH_EXAMPLE_FAST") == "1"

X, y = load_digits(return_X_y=True)
if FAST:
    X, y = X[:400], y[:400]
X = X / 16.0  # pixel intensities in [0, 1]
X_train, X_test, y_train, y_test = train_test_split(X, y, stratify=y, random_state=0)

space = {"C": loguniform(1e-2, 1e4), "gamma": loguniform(1e-5, 1e2)}
n_iter = 10 if FAST else 40
searches = {
    "BayesSearchCV": BayesSearchCV(SVC(), space, n_iter=n_iter, cv=3, n_jobs=-1,
                                   random_state=0),
    "RandomizedSearchCV": RandomizedSearchCV(SVC(), space, n_iter=n_iter, cv=3, n_jobs=-1,
                                             random_state=0),
}
best_so_far = {}
for name, search in searches.items():
    search.fit(X_train, y_train)
    best_so_far[name] = np.maximum.accumulate(search.cv_results_["mean_test_score"])

print("best cross-validated accuracy after n candidates")
print(f"{'n':>4}" + "".join(f"{name:>22}" for name in searches))
for n in range(5, n_iter + 1, 5):
    print(f"{n:>4}" + "".join(f"{best_so_far[name][n - 1]:>22.4f}" for name in searches))
top = max(search.best_score_ for search in searches.values())
for name, search in searches.items():
    params = {k: float(f"{v:.3g}") for k, v in search.best_params_.items()}
    near = np.sum(search.cv_results_["mean_test_score"] >= top - 0.01)
    print(f"{name}: best {params}, held-out accuracy {search.score(X_test, y_test):.4f}, "
          f"{near}/{n_iter} candidates within 0.01 of the best accuracy")
