"""Tune a Pipeline with a ColumnTransformer on mixed numeric and categorical data.

The data are generated (no download): numeric columns with a few missing
values and two categorical string columns, in a pandas-free object array. The
search tunes the preprocessing (imputation strategy, scaling, one-hot
encoding's rare-category handling) together with the classifier, using the
``step__param`` names GridSearchCV users know. ``SKSEARCH_EXAMPLE_FAST=1`` (or
``--fast``) shrinks the budget.
"""

import os
import sys

import numpy as np
from sklearn.compose import ColumnTransformer
from sklearn.datasets import make_classification
from sklearn.impute import SimpleImputer
from sklearn.linear_model import LogisticRegression
from sklearn.model_selection import train_test_split
from sklearn.pipeline import Pipeline
from sklearn.preprocessing import OneHotEncoder, StandardScaler

from sksearch import GeneticSearchCV
from sksearch.space import Integer, Real

FAST = "--fast" in sys.argv or os.environ.get("SKSEARCH_EXAMPLE_FAST") == "1"
rng = np.random.default_rng(0)

# Six numeric columns (5% missing) and two categorical columns derived from
# informative features, so the categories carry signal.
X_num, y = make_classification(n_samples=1500, n_features=8, n_informative=5,
                               random_state=0)
city = np.array(["north", "south", "east", "west", "rare"])[
    np.digitize(X_num[:, 6], [-1.0, 0.0, 1.0, 2.5])]
plan = np.where(X_num[:, 7] > 0.3, "premium", "basic")
numeric = X_num[:, :6].copy()
numeric[rng.random(numeric.shape) < 0.05] = np.nan
X = np.empty((len(y), 8), dtype=object)
X[:, :6] = numeric
X[:, 6], X[:, 7] = city, plan

preprocess = ColumnTransformer([
    ("num", Pipeline([("impute", SimpleImputer()), ("scale", StandardScaler())]),
     list(range(6))),
    ("cat", OneHotEncoder(handle_unknown="infrequent_if_exist"), [6, 7]),
])
model = Pipeline([("prep", preprocess), ("clf", LogisticRegression(max_iter=2000))])
space = {
    "prep__num__impute__strategy": ["mean", "median", "most_frequent"],
    "prep__num__scale": [StandardScaler(), "passthrough"],
    "prep__cat__min_frequency": Integer(1, 200, log=True),
    "clf__C": Real(1e-4, 1e2, log=True),
    "clf__class_weight": [None, "balanced"],
}

X_train, X_test, y_train, y_test = train_test_split(X, y, stratify=y, random_state=0)
search = GeneticSearchCV(model, space, n_iter=8 if FAST else 40, cv=3, scoring="roc_auc",
                         n_jobs=-1, random_state=0)
search.fit(X_train, y_train)

print("best parameters:")
for name, value in search.best_params_.items():
    print(f"  {name} = {value!r}")
print(f"best cross-validated ROC AUC: {search.best_score_:.4f}")
print(f"held-out ROC AUC: {search.score(X_test, y_test):.4f}")
