"""Three real tunings of two objectives: a score, and the size of the fitted model.

Each task is one fixed function of the hyperparameters: its data, its
folds (3, stratified, shuffled with seed 0) and its model's ``random_state``
do not depend on the run's seed, which draws only the search. The second
objective is a scorer ``scorer(estimator, X, y)`` that reads the fitted
fold model (deterministic, no timing); like the score it is averaged over
the folds.

==========  ===============================  ======================  ===================
task        model                            data                    objectives
==========  ===============================  ======================  ===================
boosting    HistGradientBoostingClassifier   breast cancer (569)     accuracy, leaves
forest      RandomForestClassifier           imbalanced (600, 10%)   average precision,
                                                                     nodes
linear      SGDClassifier, elastic net       digits (1000)           accuracy, non-zero
                                                                     coefficients
==========  ===============================  ======================  ===================

Hypervolume (:meth:`ParetoTask.hypervolume`) is taken on both objectives
normalized to ``[0, 1]`` by fixed bounds, stated in :data:`TASKS`, and
minimized: the error ``(best - score) / (best - worst)`` for the score's
``(worst, best)`` bounds; ``log(size / smallest) / log(largest / smallest)``
for the size's ``(smallest, largest)`` bounds (a log scale: halving a small
model counts as much as halving a large one). Values beyond a bound are
clipped to it, and the reference
point is ``(1, 1)``: a model worse than the worst score or larger than the
largest size adds nothing.

Examples
--------
>>> from benchmarks.pareto_tasks import make_task
>>> task = make_task("boosting")
>>> score, size = task.evaluate({"max_iter": 10, "max_leaf_nodes": 4})
>>> 0.9 < score <= 1.0, size
(True, 40.0)
>>> 0.0 < task.hypervolume([[score, size]]) < 1.0
True
"""

import warnings
from dataclasses import dataclass

import numpy as np
from sklearn.base import clone
from sklearn.datasets import load_breast_cancer, load_digits, make_classification
from sklearn.ensemble import HistGradientBoostingClassifier, RandomForestClassifier
from sklearn.exceptions import ConvergenceWarning
from sklearn.linear_model import SGDClassifier
from sklearn.model_selection import StratifiedKFold, cross_validate, train_test_split

from sksearch.optimizers._pareto import hypervolume
from sksearch.space import Categorical, Integer, Real, Space

#: Folds, data and models are drawn from this seed, whatever the run's seed.
SPLIT_SEED = 0
N_SPLITS = 3
#: Rows of digits kept (stratified), for evaluations well under a second.
DIGITS_ROWS = 1000


def total_leaves(estimator, X, y):
    """Leaves of every tree of a fitted ``HistGradientBoostingClassifier``."""
    return float(sum(tree.get_n_leaf_nodes() for trees in estimator._predictors
                     for tree in trees))


def total_nodes(estimator, X, y):
    """Nodes of every tree of a fitted forest."""
    return float(sum(tree.tree_.node_count for tree in estimator.estimators_))


def nonzero_coefficients(estimator, X, y):
    """Non-zero coefficients of a fitted linear model."""
    return float(np.count_nonzero(estimator.coef_))


@dataclass(frozen=True)
class ParetoTask:
    """One tuning: maximize ``score``, minimize ``size``, on fixed data and folds.

    ``score_bounds`` (worst, best) and ``size_bounds`` (smallest, largest)
    frame the normalized square the hypervolume is taken in.
    """

    name: str
    estimator: object
    space: dict
    X: object
    y: object
    score: str
    size: str
    size_scorer: object
    score_bounds: tuple
    size_bounds: tuple

    @property
    def cv(self):
        return StratifiedKFold(N_SPLITS, shuffle=True, random_state=SPLIT_SEED)

    @property
    def scoring(self):
        """The ``scoring`` dict of a search: the score and the size scorer."""
        return {self.score: self.score, self.size: self.size_scorer}

    @property
    def objectives(self):
        """The ``objectives`` of a search: maximize the score, minimize the size."""
        return {self.score: "maximize", self.size: "minimize"}

    def evaluate(self, params):
        """Mean ``(score, size)`` over the folds of the model with ``params``."""
        model = clone(self.estimator).set_params(**params)
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", ConvergenceWarning)
            result = cross_validate(model, self.X, self.y, cv=self.cv, scoring=self.scoring,
                                    error_score="raise")
        return (float(np.mean(result[f"test_{self.score}"])),
                float(np.mean(result[f"test_{self.size}"])))

    def normalized(self, values):
        """``(score, size)`` rows as minimized objectives in ``[0, 1]`` (see the module)."""
        values = np.atleast_2d(np.asarray(values, dtype=float))
        worst, best = self.score_bounds
        error = (best - values[:, 0]) / (best - worst)
        smallest, largest = self.size_bounds
        size = np.log(np.maximum(values[:, 1], smallest) / smallest) / np.log(largest / smallest)
        return np.clip(np.c_[error, size], 0.0, 1.0)

    def hypervolume(self, values):
        """Hypervolume of ``(score, size)`` rows, normalized, for the reference ``(1, 1)``."""
        return hypervolume(-self.normalized(values), -np.ones(2))

    def cube_problem(self):
        """The task as :func:`benchmarks.pareto_problems.run` drives an optimizer on it."""
        return _CubeProblem(self)


class _CubeProblem:
    """A task on the unit cube: rows decoded to parameters, objectives ``(-score, size)``."""

    n_objectives = 2

    def __init__(self, task):
        self.task, self.space = task, Space(task.space)
        self.layout = self.space.layout

    def on_cube(self, X):
        rows = [self.task.evaluate(params) for params in self.space.decode(np.atleast_2d(X))]
        return np.array([(-score, size) for score, size in rows])


def _boosting():
    X, y = load_breast_cancer(return_X_y=True)
    space = {"max_iter": Integer(5, 60, log=True), "max_leaf_nodes": Integer(2, 31, log=True),
             "max_depth": Integer(1, 8), "learning_rate": Real(0.01, 1.0, log=True),
             "l2_regularization": Real(1e-3, 10.0, log=True)}
    model = HistGradientBoostingClassifier(early_stopping=False, random_state=SPLIT_SEED)
    return ParetoTask("boosting", model, space, X, y, "accuracy", "n_leaves", total_leaves,
                      score_bounds=(0.9, 1.0), size_bounds=(10, 2000))


def _forest():
    X, y = make_classification(n_samples=600, n_features=20, n_informative=6,
                               weights=[0.9], flip_y=0.02, random_state=SPLIT_SEED)
    space = {"n_estimators": Integer(2, 40, log=True), "max_depth": Integer(1, 16),
             "min_samples_leaf": Integer(1, 32, log=True), "max_features": Real(0.1, 1.0),
             "criterion": Categorical(["gini", "entropy"]),
             "class_weight": Categorical([None, "balanced"])}
    model = RandomForestClassifier(n_jobs=1, random_state=SPLIT_SEED)
    return ParetoTask("forest", model, space, X, y, "average_precision", "n_nodes",
                      total_nodes, score_bounds=(0.3, 1.0), size_bounds=(10, 10000))


def _linear():
    X, y = load_digits(return_X_y=True)
    X, _, y, _ = train_test_split(X, y, train_size=DIGITS_ROWS, stratify=y,
                                  random_state=SPLIT_SEED)
    space = {"alpha": Real(1e-6, 1e-1, log=True), "l1_ratio": Real(0.0, 1.0),
             "loss": Categorical(["hinge", "log_loss", "modified_huber"]),
             "max_iter": Integer(3, 20)}
    model = SGDClassifier(penalty="elasticnet", tol=None, random_state=SPLIT_SEED)
    return ParetoTask("linear", model, space, X / 16.0, y, "accuracy", "n_nonzero",
                      nonzero_coefficients, score_bounds=(0.8, 1.0), size_bounds=(10, 640))


#: name -> the function building the task (the bounds are stated there).
TASKS = {"boosting": _boosting, "forest": _forest, "linear": _linear}


def make_task(name):
    """The task ``name`` (one of :data:`TASKS`)."""
    if name not in TASKS:
        raise ValueError(f"name must be one of {tuple(TASKS)}, got {name!r}")
    return TASKS[name]()
