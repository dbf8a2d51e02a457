"""Search with grouped cross-validation: ``groups`` and ``GroupKFold``.

When samples come in groups (several measurements per patient, per site, per
user), a model evaluated on folds that mix the groups is rewarded for
recognising a group it has already seen, and a search picks the model that
memorises best. Pass the folds (``cv=GroupKFold(...)``) and the groups
(``fit(X, y, groups=groups)``) as to any scikit-learn search: every candidate
is then scored on groups it never saw. The generated data here has 15 samples
per patient, each patient with its own signature in the features; the
script tunes a k-nearest-neighbours model with grouped and with plain
``KFold`` folds and compares both with the score on held-out patients.

Runs in about 10 seconds. ``SKSEARCH_EXAMPLE_FAST=1`` (or ``--fast``)
shrinks the budget to a smoke test of a few seconds.
"""

import os
import sys

import numpy as np
from sklearn.model_selection import GroupKFold, GroupShuffleSplit, KFold
from sklearn.neighbors import KNeighborsClassifier
from sklearn.pipeline import make_pipeline
from sklearn.preprocessing import StandardScaler

from sksearch import GeneticSearchCV
from sksearch.space import Integer

FAST = "--fast" in sys.argv or os.environ.get("SKSEARCH_EXAMPLE_FAST") == "1"
N_JOBS = 1 if FAST else -1  # in a smoke test, starting workers costs more than the fits

# 60 patients, 15 samples each: a diagnosis per patient that shifts two of the
# ten features, and a patient signature that shifts all ten about as much.
rng = np.random.default_rng(0)
n_patients, per_patient, n_features = 60, 15, 10
groups = np.repeat(np.arange(n_patients), per_patient)
diagnosis = rng.integers(0, 2, n_patients)
signature = rng.normal(0, 1.0, (n_patients, n_features))
X = signature[groups] + rng.normal(0, 0.3, (len(groups), n_features))
X[:, :2] += 1.6 * diagnosis[groups, None]
y = diagnosis[groups]

# held-out patients, never seen by the search
train, test = next(GroupShuffleSplit(test_size=0.25, random_state=0).split(X, y, groups))

model = make_pipeline(StandardScaler(), KNeighborsClassifier())
space = {"kneighborsclassifier__n_neighbors": Integer(1, 300, log=True),
         "kneighborsclassifier__weights": ["uniform", "distance"]}
for name, cv, fit_params in (
    ("GroupKFold", GroupKFold(n_splits=5), {"groups": groups[train]}),
    ("KFold (groups mixed)", KFold(n_splits=5, shuffle=True, random_state=0), {}),
):
    search = GeneticSearchCV(model, space, n_iter=12 if FAST else 40, cv=cv, n_jobs=N_JOBS,
                             random_state=0)
    search.fit(X[train], y[train], **fit_params)
    k = search.best_params_["kneighborsclassifier__n_neighbors"]
    print(f"{name:21s} best k={k:3d}: cross-validated accuracy {search.best_score_:.3f}, "
          f"on held-out patients {search.score(X[test], y[test]):.3f}")
