"""Compare every strategy at the same budget on one task, with a convergence plot.

Tunes an SVC on the digits (bundled with scikit-learn) with random search,
grid search and the three sksearch strategies at the same number of
candidates, prints each one's best cross-validated accuracy and held-out
accuracy, and saves the convergence plot to ``compare_strategies.png``.
``SKSEARCH_EXAMPLE_FAST=1`` (or ``--fast``) shrinks the data and budget.
"""

import os
import sys

import matplotlib

matplotlib.use("Agg")

import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402
from scipy.stats import loguniform  # noqa: E402
from sklearn.datasets import load_digits  # noqa: E402
from sklearn.model_selection import (  # noqa: E402
    GridSearchCV,
    RandomizedSearchCV,
    StratifiedKFold,
    train_test_split,
)
from sklearn.svm import SVC  # noqa: E402

from sksearch import BayesSearchCV, GeneticSearchCV, PSOSearchCV  # noqa: E402
from sksearch.plot import plot_convergence  # noqa: E402

FAST = "--fast" in sys.argv or os.environ.get("SKSEARCH_EXAMPLE_FAST") == "1"
N_ITER = 8 if FAST else 36

X, y = load_digits(return_X_y=True)
if FAST:
    X, y = X[:400], y[:400]
X_train, X_test, y_train, y_test = train_test_split(X, y, stratify=y, random_state=0)
cv = StratifiedKFold(3, shuffle=True, random_state=0)
space = {"C": loguniform(1e-2, 1e3), "gamma": loguniform(1e-5, 1e-1)}
side = int(np.sqrt(N_ITER))
grid = {"C": np.logspace(-2, 3, side).tolist(), "gamma": np.logspace(-5, -1, side).tolist()}

common = dict(cv=cv, n_jobs=-1)
searches = {
    "random": RandomizedSearchCV(SVC(), space, n_iter=N_ITER, random_state=0, **common),
    "grid": GridSearchCV(SVC(), grid, **common),
    "pso": PSOSearchCV(SVC(), space, n_iter=N_ITER, random_state=0, **common),
    "genetic": GeneticSearchCV(SVC(), space, n_iter=N_ITER, random_state=0, **common),
    "bayes-gp": BayesSearchCV(SVC(), space, n_iter=N_ITER, random_state=0, **common),
    "bayes-tpe": BayesSearchCV(SVC(), space, n_iter=N_ITER, surrogate="tpe",
                               random_state=0, **common),
}
print(f"{'strategy':<10} {'candidates':>10} {'best CV acc':>12} {'held-out acc':>13}")
for name, search in searches.items():
    search.fit(X_train, y_train)
    print(f"{name:<10} {len(search.cv_results_['params']):>10} "
          f"{search.best_score_:>12.4f} {search.score(X_test, y_test):>13.4f}")

ax = plot_convergence(*searches.values(), labels=list(searches))
ax.set_title("SVC on digits, every strategy at the same budget")
plt.savefig("compare_strategies.png", dpi=120)
print("convergence plot saved to compare_strategies.png")
