"""The benchmark tasks and suites: what is tuned, on which data, with which budget.

A :class:`Task` builds, for one seed, an :class:`Instance`: the estimator to
tune, its search space (written with sksearch's ``Real``, ``Integer`` and
``Categorical``, which :mod:`benchmarks.spaces` translates for every other
library), training and held-out data, the ``cv`` splitter and the scoring.
Every strategy of a run gets the same instance.

Two kinds of task:

* ``function``: a shifted test function of :mod:`sksearch._testing` wrapped
  as an estimator whose score is minus the function's value, so a search's
  best CV score is minus the best value it found. The seed moves the
  optimum. Fits take microseconds: these tasks measure search quality and
  the optimizer's own cost.
* ``real``: small, real tunings on data that ships with scikit-learn or is
  generated; the seed draws the data (or its split) and the search's seed.
"""

from dataclasses import dataclass

import numpy as np
from sklearn.base import RegressorMixin
from sklearn.datasets import load_digits, make_classification, make_friedman1
from sklearn.decomposition import PCA
from sklearn.ensemble import RandomForestClassifier
from sklearn.linear_model import Ridge
from sklearn.model_selection import KFold, StratifiedKFold, train_test_split
from sklearn.neighbors import KNeighborsClassifier
from sklearn.pipeline import Pipeline
from sklearn.preprocessing import PolynomialFeatures, StandardScaler
from sklearn.svm import SVC

from sksearch._testing import FunctionEstimator, make_function

from .bayesmark_tasks import N_ITER as _BAYESMARK_N_ITER
from .bayesmark_tasks import N_SEEDS as _BAYESMARK_SEEDS
from .bayesmark_tasks import PROBLEMS as _BAYESMARK_PROBLEMS
from sksearch.space import Categorical, Integer, Real


@dataclass
class Instance:
    """One seeded instance of a task: everything a search is given."""

    estimator: object
    space: dict
    X_train: object
    y_train: object
    cv: object
    scoring: object = None
    X_test: object = None
    y_test: object = None
    f_min: float = None  # function tasks: the best value reachable


@dataclass(frozen=True)
class Task:
    """A named tuning problem; ``build(seed)`` returns its :class:`Instance`."""

    name: str
    kind: str  # "function" or "real"
    build: object
    description: str


@dataclass(frozen=True)
class Suite:
    """Which tasks, how many seeds and which budget (``n_iter``) for each kind."""

    name: str
    functions: tuple
    reals: tuple
    function_seeds: int
    real_seeds: int
    function_n_iter: int
    real_n_iter: int

    def jobs(self):
        """(task name, seed, n_iter) of every run of the suite, real tasks first."""
        jobs = [(t, s, self.real_n_iter) for t in self.reals for s in range(self.real_seeds)]
        jobs += [(t, s, self.function_n_iter) for t in self.functions
                 for s in range(self.function_seeds)]
        return jobs


class FunctionRegressor(RegressorMixin, FunctionEstimator):
    """:class:`~sksearch._testing.FunctionEstimator` declared a regressor.

    sklearn-genetic-opt refuses estimators that are neither classifiers nor
    regressors; the score stays minus the function's value.
    """

    score = FunctionEstimator.score


# Four identical rows, two folds: the function ignores the data, so every
# fold gives the same score and a fit costs almost nothing.
_FUNCTION_X = np.zeros((4, 1))
_FUNCTION_Y = np.zeros(4)


def _function_task(name, description):
    def build(seed):
        f = make_function(name, seed)
        return Instance(
            estimator=FunctionRegressor(name, seed),
            space=f.space,
            X_train=_FUNCTION_X,
            y_train=_FUNCTION_Y,
            cv=KFold(n_splits=2),
            f_min=f.f_min,
        )

    return Task(name, "function", build, description)


def _fraud_forest(seed):
    # Fraud-like data: 1.5% positives, scored by average precision.
    X, y = make_classification(
        n_samples=2400, n_features=10, n_informative=6, n_redundant=2,
        weights=[0.985], flip_y=0.005, class_sep=0.8, random_state=seed,
    )
    X_train, X_test, y_train, y_test = train_test_split(
        X, y, test_size=0.33, stratify=y, random_state=seed
    )
    space = {
        "n_estimators": Integer(10, 50, log=True),
        "max_depth": Integer(2, 16),
        "min_samples_leaf": Integer(1, 40, log=True),
        "max_features": Real(0.1, 0.8),
        "class_weight": Categorical([None, "balanced", "balanced_subsample"]),
    }
    return Instance(
        RandomForestClassifier(n_jobs=1, random_state=seed), space, X_train, y_train,
        StratifiedKFold(3, shuffle=True, random_state=seed), "average_precision",
        X_test, y_test,
    )


def _svc_digits(seed):
    X, y = load_digits(return_X_y=True)
    X_train, X_test, y_train, y_test = train_test_split(
        X / 16.0, y, train_size=900, stratify=y, random_state=seed
    )
    space = {"C": Real(1e-2, 1e3, log=True), "gamma": Real(1e-4, 1e1, log=True)}
    return Instance(
        SVC(), space, X_train, y_train, StratifiedKFold(3, shuffle=True, random_state=seed),
        "accuracy", X_test, y_test,
    )


def _knn_pipeline(seed):
    X, y = load_digits(return_X_y=True)
    X_train, X_test, y_train, y_test = train_test_split(
        X, y, train_size=900, stratify=y, random_state=seed
    )
    pipeline = Pipeline([
        ("scale", StandardScaler()),
        ("pca", PCA(random_state=seed)),
        ("knn", KNeighborsClassifier()),
    ])
    space = {
        "pca__n_components": Integer(2, 40),
        "pca__whiten": Categorical([False, True]),
        "knn__n_neighbors": Integer(1, 50, log=True),
        "knn__weights": Categorical(["uniform", "distance"]),
        "knn__p": Categorical([1, 2]),
    }
    return Instance(
        pipeline, space, X_train, y_train, StratifiedKFold(3, shuffle=True, random_state=seed),
        "balanced_accuracy", X_test, y_test,
    )


def _ridge_pipeline(seed):
    X, y = make_friedman1(n_samples=900, n_features=8, noise=1.0, random_state=seed)
    X_train, X_test, y_train, y_test = train_test_split(X, y, test_size=0.33,
                                                        random_state=seed)
    pipeline = Pipeline([
        ("poly", PolynomialFeatures(include_bias=False)),
        ("scale", StandardScaler()),
        ("ridge", Ridge()),
    ])
    space = {
        "poly__degree": Integer(1, 4),
        "poly__interaction_only": Categorical([False, True]),
        "ridge__alpha": Real(1e-4, 1e3, log=True),
    }
    return Instance(
        pipeline, space, X_train, y_train, KFold(3, shuffle=True, random_state=seed),
        "neg_root_mean_squared_error", X_test, y_test,
    )


def _bayesmark_task(build):
    return lambda seed: Instance(**build(seed))


TASKS = {
    task.name: task
    for task in [
        _function_task("sphere", "4-d sphere, shifted"),
        _function_task("branin", "Branin-Hoo, shifted"),
        _function_task("rosenbrock", "4-d Rosenbrock valley, shifted"),
        _function_task("styblinski_tang", "3-d Styblinski-Tang, multimodal"),
        _function_task("mixed", "2 reals + an integer (1..20) + a 4-way categorical"),
        _function_task("log_scale", "2 log-scaled reals over six decades (an SVC-like valley)"),
        Task("fraud_forest", "real", _fraud_forest,
             "RandomForest on fraud-like data (1.5% positives), average precision"),
        Task("svc_digits", "real", _svc_digits, "RBF SVC (C, gamma) on digits, accuracy"),
        Task("knn_pipeline", "real", _knn_pipeline,
             "Pipeline scaler + PCA + k-NN on digits, balanced accuracy"),
        Task("ridge_pipeline", "real", _ridge_pipeline,
             "Pipeline polynomial features + scaler + ridge on Friedman #1, RMSE"),
        *[Task(name, "real", _bayesmark_task(build), description)
          for name, (description, build) in _BAYESMARK_PROBLEMS.items()],
    ]
}

_FUNCTIONS = ("sphere", "branin", "rosenbrock", "styblinski_tang", "mixed", "log_scale")
_REALS = ("fraud_forest", "svc_digits", "knn_pipeline", "ridge_pipeline")

SUITES = {
    "smoke": Suite("smoke", ("branin", "mixed"), (), 1, 0, 12, 0),
    "quick": Suite("quick", _FUNCTIONS, ("svc_digits", "ridge_pipeline"), 3, 1, 30, 20),
    "full": Suite("full", _FUNCTIONS, _REALS, 10, 3, 40, 30),
    # benchmarks/bayesmark.py runs it and normalizes its scores
    "bayesmark": Suite("bayesmark", (), tuple(_BAYESMARK_PROBLEMS), 0, _BAYESMARK_SEEDS, 0,
                       _BAYESMARK_N_ITER),
}
