"""Tune a random forest for fraud detection with PSOSearchCV and BayesSearchCV.

Fraud data sets are very imbalanced: here about 1% of the transactions are
positives, so accuracy says nothing and the forest is scored by average
precision (the area under the precision-recall curve). The same parameter
dict is searched by PSOSearchCV and by scikit-learn's RandomizedSearchCV
with the same budget of candidates. A third search, BayesSearchCV with
``resource="n_estimators"``, looks at every candidate with a few trees
first and grows only the promising ones to 150 trees (brackets of successive
halving); its budget counts forests of 150 trees, where the other two
draw 20 to 150 trees (85 on average), so the table shows the trees each
search grew beside its time. The best forests are then scored on a held-out
test set.

On this task multi-fidelity does not save: measured on two cores, the
bracketed search grew 8,952 trees in 89 s (167 s on a busier run) for a CV
average precision of 0.279, random search 6,066 trees in 34 s (58 s) for
0.278 and the swarm 5,613 trees for 0.294. Its budget is larger in trees,
and each of its 109 fits (against 20) pays the fixed cost of a fit
(dispatch, predicting the test fold), most of them for a few trees. It is
shown for how the brackets run; for a forest, fixing or searching
``n_estimators`` is the cheaper choice.

Run::

    python examples/fraud_random_forest.py          # two to four minutes on 2 cores
    python examples/fraud_random_forest.py --fast   # ~15 s (or SKSEARCH_EXAMPLE_FAST=1)
"""

import argparse
import os
import time

from scipy.stats import randint, uniform
from sklearn.datasets import make_classification
from sklearn.ensemble import RandomForestClassifier
from sklearn.metrics import average_precision_score
from sklearn.model_selection import RandomizedSearchCV, StratifiedKFold, train_test_split

from sksearch import BayesSearchCV, PSOSearchCV

# Both searches take this dict as is: scipy.stats distributions and lists.
PARAM_DISTRIBUTIONS = {
    "n_estimators": randint(20, 151),
    "max_depth": randint(3, 31),
    "min_samples_leaf": randint(1, 51),
    "max_features": uniform(0.05, 0.95),  # share of the features, 0.05 to 1.0
    "class_weight": [None, "balanced", "balanced_subsample"],
}
# With resource="n_estimators" the number of trees is the schedule's to set.
FIDELITY_DISTRIBUTIONS = {k: v for k, v in PARAM_DISTRIBUTIONS.items() if k != "n_estimators"}


def make_fraud_data(n_samples, random_state=0):
    """Transactions with about 1% fraud: a few informative, noisy features."""
    return make_classification(
        n_samples=n_samples,
        n_features=20,
        n_informative=6,
        n_redundant=4,
        weights=[0.99],
        flip_y=0.005,
        class_sep=0.8,
        random_state=random_state,
    )


def main(fast=False):
    n_samples, n_iter = (2_500, 6) if fast else (6_000, 20)
    X, y = make_fraud_data(n_samples)
    X_train, X_test, y_train, y_test = train_test_split(
        X, y, test_size=0.3, stratify=y, random_state=0
    )
    print(f"{len(y_train)} training transactions, {y_train.sum()} frauds "
          f"({100 * y_train.mean():.1f}%); {n_iter} candidates per search\n")

    common = dict(
        n_iter=n_iter,
        scoring="average_precision",
        cv=StratifiedKFold(n_splits=3, shuffle=True, random_state=0),
        n_jobs=-1,
        random_state=0,
    )
    # Each tree sees half the rows: twice as fast, and as good on this data.
    forest = RandomForestClassifier(max_samples=0.5, random_state=0)
    full_size = RandomForestClassifier(n_estimators=150, max_samples=0.5, random_state=0)
    searches = {
        "PSOSearchCV": PSOSearchCV(forest, PARAM_DISTRIBUTIONS, **common),
        "RandomizedSearchCV": RandomizedSearchCV(forest, PARAM_DISTRIBUTIONS, **common),
        # at most 150 trees, 6 to 150 along the way
        "BayesSearchCV+rungs": BayesSearchCV(
            full_size, FIDELITY_DISTRIBUTIONS,
            resource="n_estimators", **common
        ),
    }
    rows = []
    for name, search in searches.items():
        start = time.perf_counter()
        search.fit(X_train, y_train)
        seconds = time.perf_counter() - start
        test_ap = average_precision_score(y_test, search.predict_proba(X_test)[:, 1])
        results = search.cv_results_
        trees = (results["n_resources"] if "n_resources" in results
                 else [p["n_estimators"] for p in results["params"]])
        rows.append((name, search.best_score_, test_ap, seconds,
                     int(sum(trees)) * search.n_splits_))
        print(f"{name} best parameters: {search.best_params_}")
        if hasattr(search, "n_resources_"):
            print(f"  trees per rung {search.n_resources_}, candidates per rung "
                  f"{search.n_candidates_}")

    print(f"\n{'search':<22}{'CV avg. precision':>19}{'test avg. precision':>21}"
          f"{'seconds':>9}{'trees grown':>13}")
    for name, cv_ap, test_ap, seconds, trees in rows:
        print(f"{name:<22}{cv_ap:>19.3f}{test_ap:>21.3f}{seconds:>9.1f}{trees:>13}")
    print(f"(a classifier that guesses scores {y_test.mean():.3f})")


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--fast", action="store_true", help="a small run for CI")
    args = parser.parse_args()
    main(fast=args.fast or os.environ.get("SKSEARCH_EXAMPLE_FAST") == "1")
