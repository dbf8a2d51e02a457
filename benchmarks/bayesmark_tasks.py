"""The nine problems of the Bayesmark-style suite: scikit-learn models on scikit-learn data.

Each problem tunes one model of the Bayesmark benchmark (the NeurIPS 2020
black-box optimization challenge) over Bayesmark's search space for it, on a
data set that ships with scikit-learn, with 5-fold cross-validation:

=================  ===========================  ==============  =====================
problem            model                        data            scoring
=================  ===========================  ==============  =====================
bm_knn_digits      k-nearest neighbours         digits (300)    accuracy
bm_svm_breast      RBF SVC                      breast cancer   accuracy
bm_dt_wine         decision tree                wine            accuracy
bm_rf_breast       random forest (10 trees)     breast cancer   accuracy
bm_ada_wine        AdaBoost                     wine            accuracy
bm_lr_breast       logistic regression (l2)     breast cancer   accuracy
bm_mlp_adam_wine   MLP, adam                    wine            accuracy
bm_mlp_sgd_breast  MLP, sgd                     breast cancer   accuracy
bm_rf_diabetes     random forest regressor      diabetes        neg. mean sq. error
=================  ===========================  ==============  =====================

Choices made so that every strategy runs the whole suite (64 evaluations,
3 seeds) in about an hour on one core, stated here once:

* The features are standardized (as Bayesmark's loader does), then 20% of
  the rows are held out (stratified for classifiers). Digits is subsampled
  to 300 rows.
* Every problem is one fixed objective: its digits subsample, its held-out
  rows, its shuffled folds and its model's ``random_state`` are all drawn
  from :data:`SPLIT_SEED`, whatever the run's seed; the run's seed draws only
  the search. So the runs of every strategy and seed on a problem tune the
  same function, and their final best CV scores are comparable with each
  other.
* Bayesmark searches some reals on a logit scale; sksearch's dimensions have
  linear and log scales only, so those are searched linearly over the same
  bounds.
* The MLPs keep Bayesmark's fixed settings (``early_stopping=True``; sgd
  with invscaling and Nesterov momentum) with ``max_iter=20`` epochs; the
  SVC is fitted without ``probability=True`` (accuracy does not use it).
* Logistic regression keeps Bayesmark's liblinear solver, which scikit-learn
  no longer runs on more than two classes: it is tuned on breast cancer.

Nothing here imports :mod:`benchmarks.tasks`: :data:`PROBLEMS` maps each name
to its description and to a function of the run's seed returning the keyword
arguments of a :class:`benchmarks.tasks.Instance` (the same ones for every
seed: the search's seed is given to the strategy apart).
"""

from sklearn.datasets import load_breast_cancer, load_diabetes, load_digits, load_wine
from sklearn.ensemble import AdaBoostClassifier, RandomForestClassifier, RandomForestRegressor
from sklearn.linear_model import LogisticRegression
from sklearn.model_selection import KFold, StratifiedKFold, train_test_split
from sklearn.neighbors import KNeighborsClassifier
from sklearn.neural_network import MLPClassifier
from sklearn.preprocessing import StandardScaler
from sklearn.svm import SVC
from sklearn.tree import DecisionTreeClassifier

from sksearch.space import Integer, Real

#: The seed of every problem's data: its subsample, held-out rows, folds and model's
#: ``random_state`` (the run's seed draws only the search).
SPLIT_SEED = 0
#: Folds of every problem, as in Bayesmark.
N_SPLITS = 5
#: Rows of digits kept (of 1,797).
DIGITS_ROWS = 300
#: Epochs at most of the MLPs.
MLP_MAX_ITER = 20

_LOADERS = {"digits": load_digits, "breast": load_breast_cancer, "wine": load_wine,
            "diabetes": load_diabetes}

# Bayesmark's spaces (bayesmark/sklearn_funcs.py); logit-scaled reals searched linearly.
_KNN = {"n_neighbors": Integer(1, 25), "p": Integer(1, 4)}
_SVM = {"C": Real(1.0, 1e3, log=True), "gamma": Real(1e-4, 1e-3, log=True),
        "tol": Real(1e-5, 1e-1, log=True)}
_TREE = {
    "max_depth": Integer(1, 15),
    "max_features": Real(0.01, 0.99),
    "min_samples_split": Real(0.01, 0.99),
    "min_samples_leaf": Real(0.01, 0.49),
    "min_weight_fraction_leaf": Real(0.01, 0.49),
    "min_impurity_decrease": Real(0.0, 0.5),
}
_ADA = {"n_estimators": Integer(10, 100), "learning_rate": Real(1e-4, 1e1, log=True)}
_LINEAR = {"C": Real(1e-2, 1e2, log=True), "intercept_scaling": Real(1e-2, 1e2, log=True)}
_MLP = {
    "hidden_layer_sizes": Integer(50, 200),
    "alpha": Real(1e-5, 1e1, log=True),
    "batch_size": Integer(10, 250),
    "learning_rate_init": Real(1e-5, 1e-1, log=True),
    "tol": Real(1e-5, 1e-1, log=True),
    "validation_fraction": Real(0.1, 0.9),
}
_MLP_ADAM = {**_MLP, "beta_1": Real(0.5, 0.99), "beta_2": Real(0.9, 1.0 - 1e-6),
             "epsilon": Real(1e-9, 1e-6, log=True)}
_MLP_SGD = {**_MLP, "power_t": Real(0.1, 0.9), "momentum": Real(0.001, 0.999)}


def _problem(estimator, space, data, scoring="accuracy"):
    """A function of the run's seed: the keyword arguments of the problem's instance.

    The seed is not used: the data, the folds and the model's ``random_state``
    are drawn from :data:`SPLIT_SEED`, so every seed gets the same objective.
    """
    def build(seed):
        del seed  # the search's seed: the strategy gets it, not the problem
        X, y = _LOADERS[data](return_X_y=True)
        classify = data != "diabetes"
        if data == "digits":
            X, _, y, _ = train_test_split(X, y, train_size=DIGITS_ROWS, stratify=y,
                                          random_state=SPLIT_SEED)
        X = StandardScaler().fit_transform(X)
        X_train, X_test, y_train, y_test = train_test_split(
            X, y, test_size=0.2, stratify=y if classify else None, random_state=SPLIT_SEED)
        folds = StratifiedKFold if classify else KFold
        model = estimator()
        if "random_state" in model.get_params():
            model.set_params(random_state=SPLIT_SEED)
        return {"estimator": model, "space": dict(space), "X_train": X_train,
                "y_train": y_train, "cv": folds(N_SPLITS, shuffle=True, random_state=SPLIT_SEED),
                "scoring": scoring, "X_test": X_test, "y_test": y_test}

    return build


def _mlp(solver):
    if solver == "adam":
        return lambda: MLPClassifier(solver="adam", early_stopping=True,
                                     max_iter=MLP_MAX_ITER)
    return lambda: MLPClassifier(solver="sgd", early_stopping=True, learning_rate="invscaling",
                                 nesterovs_momentum=True, max_iter=MLP_MAX_ITER)


#: name -> (description, build(seed) -> Instance keyword arguments)
PROBLEMS = {
    "bm_knn_digits": ("k-NN (n_neighbors, p) on digits (300 rows), accuracy",
                      _problem(KNeighborsClassifier, _KNN, "digits")),
    "bm_svm_breast": ("RBF SVC (C, gamma, tol) on breast cancer, accuracy",
                      _problem(SVC, _SVM, "breast")),
    "bm_dt_wine": ("decision tree (6 parameters) on wine, accuracy",
                   _problem(DecisionTreeClassifier, _TREE, "wine")),
    "bm_rf_breast": ("random forest of 10 trees (6 parameters) on breast cancer, accuracy",
                     _problem(lambda: RandomForestClassifier(n_estimators=10, n_jobs=1),
                              _TREE, "breast")),
    "bm_ada_wine": ("AdaBoost (n_estimators, learning_rate) on wine, accuracy",
                    _problem(AdaBoostClassifier, _ADA, "wine")),
    "bm_lr_breast": ("logistic regression, l2, liblinear (C, intercept_scaling) on breast "
                     "cancer, accuracy",
                     _problem(lambda: LogisticRegression(solver="liblinear"), _LINEAR,
                              "breast")),
    "bm_mlp_adam_wine": ("MLP with adam (9 parameters) on wine, accuracy",
                         _problem(_mlp("adam"), _MLP_ADAM, "wine")),
    "bm_mlp_sgd_breast": ("MLP with sgd (8 parameters) on breast cancer, accuracy",
                          _problem(_mlp("sgd"), _MLP_SGD, "breast")),
    "bm_rf_diabetes": ("random forest regressor of 10 trees (6 parameters) on diabetes, "
                       "negative mean squared error",
                       _problem(lambda: RandomForestRegressor(n_estimators=10, n_jobs=1),
                                _TREE, "diabetes", "neg_mean_squared_error")),
}

#: Evaluations per search, and seeds per problem.
N_ITER, N_SEEDS = 64, 3
