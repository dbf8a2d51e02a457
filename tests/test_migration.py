"""Scripts written for scikit-optimize, Optuna, sklearn-genetic-opt and hyperopt port
to sksearch by renaming; their own keywords get an error that names the sksearch one."""

import numpy as np
import pytest
from scipy.stats import loguniform
from sklearn.datasets import load_breast_cancer
from sklearn.linear_model import LogisticRegression
from sklearn.pipeline import make_pipeline
from sklearn.preprocessing import StandardScaler
from sklearn.svm import SVC

from sksearch import BayesSearchCV, GeneticSearchCV, PSOSearchCV
from sksearch.space import Categorical, Integer, Real

X, Y = load_breast_cancer(return_X_y=True)
X, Y = X[::3], Y[::3]


@pytest.mark.parametrize("cls, keyword, value, hint", [
    (BayesSearchCV, "search_spaces", {"C": [1.0]}, "param_distributions"),
    (BayesSearchCV, "n_points", 2, "batch_size"),
    (BayesSearchCV, "optimizer_kwargs", {"base_estimator": "GP"}, "n_initial_points"),
    (BayesSearchCV, "n_trials", 20, "n_iter"),
    (BayesSearchCV, "timeout", 60, "max_time"),
    (BayesSearchCV, "max_evals", 50, "n_iter"),
    (BayesSearchCV, "points_to_evaluate", [{"C": 1.0}], "initial_candidates"),
    (BayesSearchCV, "callbacks", [print], "batch_callbacks"),
    (GeneticSearchCV, "generations", 5, "n_iter"),
    (GeneticSearchCV, "param_grid", {"C": [1.0]}, "param_distributions"),
    (GeneticSearchCV, "warm_start_configs", [{"C": 1.0}], "initial_candidates"),
    (GeneticSearchCV, "mutation_probability", 0.1, "mutation_rate"),
    (PSOSearchCV, "population_size", 10, "n_particles"),
])
def test_another_tuners_keyword_names_the_sksearch_one(cls, keyword, value, hint):
    space = {"C": [1.0, 2.0]} if keyword not in ("search_spaces", "param_grid") else None
    args = (SVC(),) if space is None else (SVC(), space)  # skopt: search_spaces by keyword
    with pytest.raises(TypeError, match=rf"{cls.__name__}\(\) got an unexpected keyword "
                                        rf"argument '{keyword}'.*{hint}"):
        cls(*args, **{keyword: value})


def test_a_missing_space_is_named_at_fit():
    with pytest.raises(ValueError, match="param_distributions"):
        BayesSearchCV(SVC()).fit(X, Y)


def test_an_unknown_keyword_lists_the_valid_ones():
    with pytest.raises(TypeError, match=r"BayesSearchCV takes: .*acquisition.*batch_size"):
        BayesSearchCV(SVC(), {"C": [1.0]}, acqusition="ei")


def test_port_of_a_scikit_optimize_script():
    # skopt.BayesSearchCV(SVC(), search_spaces={"C": (1e-3, 1e3, "log-uniform"),
    #     "gamma": (1e-4, 1e0, "log-uniform"), "kernel": ["rbf", "sigmoid"]},
    #     n_iter=12, cv=3, n_points=2, random_state=0)
    search = BayesSearchCV(
        SVC(), {"C": Real(1e-3, 1e3, log=True), "gamma": Real(1e-4, 1e0, log=True),
                "kernel": ["rbf", "sigmoid"]},
        n_iter=12, cv=3, batch_size=2, random_state=0,
    )
    search.fit(StandardScaler().fit_transform(X), Y)
    assert search.best_score_ > 0.9 and len(search.cv_results_["params"]) == 12


def test_port_of_an_optuna_script():
    # optuna.integration.OptunaSearchCV(LogisticRegression(), {"C":
    #     FloatDistribution(1e-4, 1e2, log=True)}, n_trials=10, timeout=600, cv=3,
    #     callbacks=[stop_when_good], random_state=0)
    def stop_when_good(state):
        return state.best_score > 0.99

    search = BayesSearchCV(
        make_pipeline(StandardScaler(), LogisticRegression(max_iter=500)),
        {"logisticregression__C": Real(1e-4, 1e2, log=True)},
        surrogate="tpe", n_iter=10, max_time=600, cv=3, batch_callbacks=[stop_when_good],
        random_state=0,
    ).fit(X, Y)
    assert search.best_score_ > 0.9
    assert search.stop_reason_ in ("n_iter", "callback")


def test_port_of_a_sklearn_genetic_opt_script():
    # sklearn_genetic.GASearchCV(SVC(), cv=3, param_grid={"C": Continuous(1e-2, 1e2,
    #     distribution="log-uniform"), "kernel": Categorical(["rbf", "linear"]),
    #     "degree": Integer(2, 4)}, population_size=6, generations=3, elitism=True,
    #     warm_start_configs=[{"C": 1.0, "kernel": "rbf", "degree": 3}])
    search = GeneticSearchCV(
        SVC(), {"C": Real(1e-2, 1e2, log=True), "kernel": Categorical(["rbf", "linear"]),
                "degree": Integer(2, 4)},
        population_size=6, n_iter=6 * 3, elitism=1, cv=3, random_state=0,
        initial_candidates=[{"C": 1.0, "kernel": "rbf", "degree": 3}],
    )
    search.fit(StandardScaler().fit_transform(X), Y)
    assert search.cv_results_["params"][0] == {"C": 1.0, "kernel": "rbf", "degree": 3}
    assert len(search.cv_results_["params"]) == 18


def test_port_of_a_hyperopt_script():
    # fmin(lambda p: -cross_val_score(SVC(**p), X, y, cv=3).mean(),
    #      {"C": hp.loguniform("C", log(1e-2), log(1e2))}, algo=tpe.suggest,
    #      max_evals=10, points_to_evaluate=[{"C": 1.0}], rstate=default_rng(0))
    search = BayesSearchCV(
        SVC(), {"C": loguniform(1e-2, 1e2)}, surrogate="tpe", n_iter=10, cv=3,
        initial_candidates=[{"C": 1.0}], random_state=0,
    )
    search.fit(StandardScaler().fit_transform(X), Y)
    assert search.cv_results_["params"][0] == {"C": 1.0}
    assert np.isfinite(search.best_score_)
