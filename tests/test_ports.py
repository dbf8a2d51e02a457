"""What a script written for another tuner meets: its space objects, keywords, fit
arguments and fitted attributes are read as meant, or refused with the sksearch spelling."""

import pickle
import re

import numpy as np
import pytest
from sklearn.base import clone
from sklearn.datasets import load_iris
from sklearn.pipeline import make_pipeline
from sklearn.preprocessing import StandardScaler
from sklearn.svm import SVC

from conftest import CountingLogistic, RandomSearch
from sksearch import BayesSearchCV, GeneticSearchCV, PSOSearchCV
from sksearch.engine.inputs._other_tuners import OTHER_TUNERS_NAMES
from sksearch.space import Categorical, Integer, Real, Space

X, Y = load_iris(return_X_y=True)
GENETIC_OPT = "sklearn_genetic.space.space"
#: A private name (a leading underscore) in a message: never shown to a user.
PRIVATE = re.compile(r"(?<![\w'])_[A-Za-z]\w*")


class Counting(CountingLogistic):
    n_fits = 0


@pytest.fixture(autouse=True)
def _reset():
    Counting.n_fits = 0


# ---------------------------------------------------------------- sklearn-genetic-opt's space
# Stand-ins with the module and names of sklearn_genetic.space's classes (the package
# need not be installed); they hold what the real ones hold.
class Continuous:
    def __init__(self, lower=None, upper=None, distribution="uniform", random_state=None):
        self.lower, self.upper, self.distribution = lower, upper, distribution


class GeneticInteger:
    def __init__(self, lower=None, upper=None, distribution="uniform", random_state=None):
        self.lower, self.upper, self.distribution = lower, upper, distribution

    def rvs(self, *args, **kwargs):  # the real one holds scipy's randint.rvs, unbound
        raise TypeError("_parse_args_rvs() missing 2 required positional arguments")


class GeneticCategorical:
    def __init__(self, choices=None, priors=None, distribution="choice", random_state=None):
        self.choices, self.priors, self.distribution = choices, priors, distribution


for _cls, _name in ((Continuous, "Continuous"), (GeneticInteger, "Integer"),
                    (GeneticCategorical, "Categorical")):
    _cls.__module__, _cls.__name__, _cls.__qualname__ = GENETIC_OPT, _name, _name


@pytest.mark.parametrize("theirs, ours", [
    (Continuous(0.0, 100.0), Real(0.0, 100.0)),
    (Continuous(1e-3, 10.0, "log-uniform"), Real(1e-3, 10.0, log=True)),
    (GeneticInteger(2, 9), Integer(2, 9)),
    (GeneticInteger(1, 1000, distribution="log-uniform"), Integer(1, 1000, log=True)),
    (GeneticCategorical(["linear", "rbf"]), Categorical(["linear", "rbf"])),
    (GeneticCategorical(["linear", "rbf"], priors=[0.5, 0.5]), Categorical(["linear", "rbf"])),
], ids=["uniform", "log-uniform", "integer", "log-integer", "categorical", "equal-priors"])
def test_a_genetic_opt_dimension_is_searched_as_its_author_meant(theirs, ours):
    assert Space({"p": theirs}).subspaces[0]["p"] == ours


@pytest.mark.parametrize("theirs, match", [
    (GeneticCategorical(["a", "b", "c"], priors=[0.2, 0.3, 0.5]),
     r"\['p'\]: Categorical priors=\[0.2, 0.3, 0.5\] weights the choices unequally.*"
     r"write Categorical\(\['a', 'b', 'c'\]\) for equal shares"),
    (GeneticCategorical([1, 2], priors=[0.25, 0.75]),
     r"Integer\(prior=scipy.stats.rv_discrete\(values=\(\[1, 2\], \[0.25, 0.75\]\)\)\)"),
    (Continuous(0.0, 1.0, "normal"),
     r"\['p'\]: .*distribution='normal'.*write Real\(0.0, 1.0\) or Real\(0.0, 1.0, log=True\)"),
    (Continuous(0.0, 1.0, "log-uniform"), r"\['p'\]: Real with log=True needs low > 0"),
    (GeneticInteger(3, 3.5), r"\['p'\]: Integer high must be an integer"),
], ids=["unequal-priors", "integer-priors", "unknown-distribution", "log-from-zero", "float"])
def test_a_genetic_opt_dimension_sksearch_cannot_search_is_refused(theirs, match):
    with pytest.raises((TypeError, ValueError), match=match) as info:
        Space({"p": theirs})
    assert not PRIVATE.search(str(info.value)), str(info.value)


def test_a_search_runs_on_a_genetic_opt_space():
    space = {"C": Continuous(1e-2, 1e2, "log-uniform"), "tol": GeneticCategorical([1e-3, 1e-4])}
    search = GeneticSearchCV(Counting(), space, n_iter=6, cv=2, random_state=0).fit(X, Y)
    Cs = [p["C"] for p in search.cv_results_["params"]]
    assert len(Cs) == 6 and all(1e-2 <= c <= 1e2 for c in Cs)
    assert max(Cs) > 1.0  # not read as a draw of uniform(0, 1)


def test_scikit_optimize_categorical_prior():
    assert Categorical(["a", "b", "c"], prior=[1 / 3] * 3) == Categorical(["a", "b", "c"])
    with pytest.raises(ValueError, match=r"prior=\[0.9, 0.1\] weights the choices unequally"):
        Categorical(["a", "b"], prior=[0.9, 0.1])


# ---------------------------------------------------------------- keywords
def test_every_unknown_keyword_is_named_with_its_equivalent():
    with pytest.raises(TypeError) as info:
        BayesSearchCV(SVC(), {"C": [1.0, 2.0]}, n_trials=20, enable_pruning=True,
                      study=None, colour="red", acqusition="ei")
    message = str(info.value)
    assert message.startswith("BayesSearchCV() got unexpected keyword arguments 'n_trials', "
                              "'enable_pruning', 'study', 'colour' and 'acqusition'.")
    assert "'n_trials' is n_iter" in message
    assert "'enable_pruning' is resource='n_samples' or resource='<estimator parameter>'" \
        in message
    assert "'study' is checkpoint=" in message
    assert "'acqusition' looks like 'acquisition'" in message
    assert "BayesSearchCV takes: " in message and not PRIVATE.search(message)


@pytest.mark.parametrize("keyword, hint", [
    ("enable_pruning", "resource="), ("max_iter", "max_resources, with resource="),
    ("timeout", "max_time"), ("study", "checkpoint="), ("n_points", "batch_size"),
    ("subsample", "resource='n_samples'"), ("catch", "error_score"), ("iid", "not needed"),
    ("fit_params", r"search.fit\(X, y, \*\*fit_params\)"), ("time_budget_s", "max_time"),
    ("keep_top_k", "cv_results_"), ("criteria", "'neg_...' scorer"),
])
def test_another_tuners_keyword_names_what_to_write(keyword, hint):
    with pytest.raises(TypeError, match=rf"PSOSearchCV\(\) got an unexpected keyword "
                                        rf"argument '{keyword}'. In sksearch '{keyword}' "
                                        rf"is .*{hint}"):
        PSOSearchCV(SVC(), {"C": [1.0, 2.0]}, **{keyword: 1})


def test_no_hint_renames_a_keyword_every_search_takes():
    from sksearch.engine._base_search import BaseOptimizerSearch
    import inspect

    common = set(inspect.signature(BaseOptimizerSearch.__init__).parameters)
    assert not common & set(OTHER_TUNERS_NAMES)


# ---------------------------------------------------------------- fit(callback=...)
def test_scikit_optimize_fit_callback_is_refused_before_any_fit(tmp_path):
    journal = tmp_path / "journal.jsonl"
    with pytest.raises(TypeError, match=r"BayesSearchCV.fit\(\) got callback=.*Counting.fit "
                                        r"does not take.*batch_callbacks"):
        BayesSearchCV(Counting(), {"C": [1.0, 2.0]}, checkpoint=journal).fit(
            X, Y, callback=print)
    assert Counting.n_fits == 0 and not journal.exists()
    with pytest.raises(TypeError, match="batch_callbacks"):  # a Pipeline does not take it
        BayesSearchCV(make_pipeline(StandardScaler(), Counting()),
                      {"counting__C": [1.0, 2.0]}).fit(X, Y, callback=print)
    assert Counting.n_fits == 0


class TakesCallback(Counting):
    def fit(self, X, y, callback=None):
        callback(self)
        return super().fit(X, y)


def test_a_fit_callback_the_estimator_takes_is_the_estimators():
    seen = []
    RandomSearch(TakesCallback(), {"C": [1.0, 2.0, 3.0]}, n_iter=2, cv=2, refit=False).fit(
        X, Y, callback=seen.append)
    assert len(seen) == 4 and TakesCallback.n_fits == 4


# ---------------------------------------------------------------- fitted attributes
@pytest.fixture(scope="module")
def fitted():
    return RandomSearch(CountingLogistic(), {"C": [0.1, 1.0, 10.0]}, n_iter=2, cv=2,
                        random_state=0).fit(X, Y)


@pytest.mark.parametrize("name, hint", [
    ("optimizer_results_", r"scikit-optimize's; every candidate .* is in cv_results_"),
    ("total_iterations", r"n_iter is the number of distinct candidates, and "
                         r"len\(search.cv_results_\['params'\]\) the number evaluated"),
    ("study_", "Optuna's.*cv_results_"), ("n_trials_", r"len\(search.cv_results_"),
    ("best_trial_", "best_params_"), ("trials_dataframe", r"pandas.DataFrame\(search"),
    ("logbook", "sklearn-genetic-opt's.*cv_results_"),
])
def test_another_tuners_attribute_says_what_to_read(fitted, name, hint):
    with pytest.raises(AttributeError, match=rf"'RandomSearch' object has no attribute "
                                             rf"'{name}': that is .*{hint}"):
        getattr(fitted, name)
    assert not hasattr(fitted, name)


def test_other_attributes_keep_their_own_errors(fitted):
    with pytest.raises(AttributeError, match=r"^'RandomSearch' object has no attribute "
                                             r"'no_such_thing'$"):
        fitted.no_such_thing
    # an unavailable method keeps scikit-learn's message
    with pytest.raises(AttributeError, match="has no attribute 'predict_proba'") as info:
        fitted.predict_proba
    assert "scikit-optimize" not in str(info.value) and "Optuna" not in str(info.value)
    copy = pickle.loads(pickle.dumps(fitted))
    assert copy.cv_results_["params"] == fitted.cv_results_["params"]
    assert clone(fitted).get_params()["param_distributions"] == {"C": [0.1, 1.0, 10.0]}


def test_a_search_may_set_an_attribute_of_that_name(fitted):
    search = clone(fitted)
    search.history = [1, 2]
    assert search.history == [1, 2]
    del search.history
    assert not hasattr(search, "history")


def test_unfitted_search_says_the_same(fitted):
    with pytest.raises(AttributeError, match="cv_results_"):
        BayesSearchCV(SVC(), {"C": [1.0]}).optimizer_results_
    assert np.isfinite(fitted.best_score_)
