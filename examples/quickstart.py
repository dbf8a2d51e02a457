"""Quickstart: tune a gradient boosting classifier with Bayesian optimization.

Runs in well under a minute on two cores. ``SKSEARCH_EXAMPLE_FAST=1`` (or
``--fast``) shrinks the budget for a smoke test.
"""

import os
import sys

from scipy.stats import loguniform
from sklearn.datasets import load_breast_cancer
from sklearn.ensemble import HistGradientBoostingClassifier
from sklearn.model_selection import train_test_split

from sksearch import BayesSearchCV
from sksearch.space import Integer, Real

FAST = "--fast" in sys.argv or os.environ.get("SKSEARCH_EXAMPLE_FAST") == "1"

X, y = load_breast_cancer(return_X_y=True)
X_train, X_test, y_train, y_test = train_test_split(X, y, stratify=y, random_state=0)

space = {
    "learning_rate": loguniform(1e-3, 0.5),
    "max_leaf_nodes": Integer(4, 64, log=True),
    "min_samples_leaf": Integer(2, 50),
    "l2_regularization": Real(1e-4, 10.0, log=True),
    "max_iter": [50, 100, 200],
}
search = BayesSearchCV(
    HistGradientBoostingClassifier(random_state=0),
    space,
    n_iter=6 if FAST else 30,
    cv=3,
    scoring="roc_auc",
    n_jobs=-1,
    random_state=0,
    verbose=1,
)
search.fit(X_train, y_train)

print("best parameters:", search.best_params_)
print(f"best cross-validated ROC AUC: {search.best_score_:.4f}")
print(f"held-out ROC AUC of the refit model: {search.score(X_test, y_test):.4f}")
