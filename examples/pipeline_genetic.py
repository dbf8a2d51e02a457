"""Tune a whole Pipeline (scaling, PCA, SVM) with a genetic algorithm.

The searched parameters mix an integer (the number of PCA components), reals
on a log scale (the SVM's ``C`` and ``gamma``) and categoricals (PCA
whitening, the SVM kernel): each is one gene of a candidate's chromosome.
Each generation is cross-validated as one batch, in parallel.

Runs in under a minute on two cores. ``SKSEARCH_EXAMPLE_FAST=1`` (or
``--fast``) shrinks the budget to a smoke test of a few seconds.
"""

import os
import sys

import numpy as np
from sklearn.datasets import load_digits
from sklearn.decomposition import PCA
from sklearn.model_selection import train_test_split
from sklearn.pipeline import Pipeline
from sklearn.preprocessing import StandardScaler
from sklearn.svm import SVC

from sksearch import GeneticSearchCV
from sksearch.space import Categorical, Integer, Real

FAST = "--fast" in sys.argv or os.environ.get("SKSEARCH_EXAMPLE_FAST") == "1"

X, y = load_digits(return_X_y=True)
X_train, X_test, y_train, y_test = train_test_split(X, y, stratify=y, random_state=0)

pipeline = Pipeline([
    ("scale", StandardScaler()),
    ("pca", PCA(random_state=0)),
    ("svm", SVC()),
])
space = {
    "pca__n_components": Integer(5, 60),
    "pca__whiten": Categorical([False, True]),
    "svm__C": Real(1e-2, 1e3, log=True),
    "svm__gamma": Real(1e-5, 1e0, log=True),
    "svm__kernel": Categorical(["rbf", "poly", "sigmoid"]),
}
search = GeneticSearchCV(
    pipeline,
    space,
    n_iter=8 if FAST else 40,
    cv=3,
    n_jobs=-1,
    random_state=0,
    verbose=1,
)
search.fit(X_train, y_train)

results = search.cv_results_
print("\nbest cross-validated accuracy per generation:")
best_so_far = -np.inf
for generation in np.unique(results["iteration"]):
    born = results["iteration"] == generation
    best_so_far = max(best_so_far, np.max(results["mean_test_score"][born]))
    print(f"  generation {generation}: {born.sum():2d} new candidates, best so far "
          f"{best_so_far:.4f}")
print("best parameters:", search.best_params_)
print(f"best cross-validated accuracy: {search.best_score_:.4f}")
print(f"held-out accuracy of the refit pipeline: {search.score(X_test, y_test):.4f}")
