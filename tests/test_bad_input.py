"""Malformed input, thrown wholesale at the three searches and the space.

Every case must raise an exception whose message names the culprit, before
the first fit where that is possible (a counting estimator checks it).
"""

import numpy as np
import pytest
from scipy import stats
from sklearn.datasets import load_iris

from conftest import CountingLogistic
from sksearch import BayesSearchCV, GeneticSearchCV, PSOSearchCV
from sksearch.space import Categorical, Integer, Real, Space

X, Y = load_iris(return_X_y=True)
SEARCHES = [PSOSearchCV, GeneticSearchCV, BayesSearchCV]
GOOD_SPACE = {"C": Real(0.1, 10.0)}


class Counting(CountingLogistic):
    """Counts its own fits; has a ``penalty`` parameter to name in spaces."""

    n_fits = 0

    def __init__(self, C=1.0, penalty="l2", tol=1e-4):
        self.C, self.penalty, self.tol = C, penalty, tol


@pytest.fixture(autouse=True)
def _reset():
    Counting.n_fits = 0
    yield
    assert Counting.n_fits == 0, "a fit ran before the bad input was refused"


# ---------------------------------------------------------------- spaces (via fit)
BAD_SPACES = [
    ("not a dict", "C=1", TypeError, "param_distributions"),
    ("None", None, (TypeError, ValueError), "param_distributions"),
    ("empty dict", {}, ValueError, "is empty"),
    ("empty list", [], ValueError, "empty list"),
    ("list with a non-dict", [{"C": [1.0]}, "x"], TypeError, r"param_distributions\[1\]"),
    ("empty subspace in a union", [{"C": [1.0]}, {}], ValueError, r"\[1\] is empty"),
    ("unknown parameter", {"Cee": [1.0, 2.0]}, ValueError, "'Cee'"),
    ("unknown parameter in a union", [{"C": [1.0]}, {"gamma": [1.0]}], ValueError, "'gamma'"),
    ("string value", {"C": "1.0"}, TypeError, r"\['C'\] must be a list"),
    ("number value", {"C": 1.0}, TypeError, r"\['C'\] must be a list"),
    ("dict value", {"C": {"low": 1}}, TypeError,
     r"\['C'\]: .*got the dict \{'low': 1\}.*list\(d\).*list\(d.values\(\)\)"),
    ("repeated choices", {"C": [1.0, 2.0, 1.0]}, ValueError,
     r"\['C'\]: Categorical choices 0 and 2 are the same, 1.0.*write \[1.0, 2.0\]"),
    ("equal estimators", {"penalty": [None, "l2"], "C": [Counting(C=2), Counting(C=2)]},
     ValueError, r"\['C'\]: Categorical choices 0 and 1 are the same, Counting\(C=2\)"),
    ("equal arrays", {"C": [np.array([1.0, 2.0]), np.array([1.0, 2.0])]}, ValueError,
     r"\['C'\]: Categorical choices 0 and 1 are the same, array"),
    ("two NaN", {"C": [float("nan"), 1.0, float("nan")]}, ValueError,
     r"\['C'\]: Categorical choices 0 and 2 are the same, nan"),
    ("set of estimators", {"C": {Counting(C=1)}}, TypeError,
     r"\['C'\]: .*the set .*order changes from run to run.*write a list"),
    ("empty choices", {"C": []}, ValueError, r"\['C'\].*at least one choice"),
    ("2-d array of choices", {"C": np.ones((2, 2))}, ValueError, r"\['C'\].*1-dimensional"),
    ("scikit-optimize float range", {"C": (1e-6, 1e6, "log-uniform")}, ValueError,
     r"\['C'\].*Real\(1e-06, 1000000.0, prior='log-uniform'\).*\[1e-06, 1000000.0, "),
    ("scikit-optimize integer range", {"C": (1, 8)}, ValueError,
     r"\['C'\].*Integer\(1, 8\) for the range, or the list \[1, 8\]"),
    ("too heavy a tail", {"C": stats.pareto(0.01)}, ValueError, r"\['C'\].*heavy a tail"),
    ("too many discrete values", {"C": stats.geom(1e-6)}, ValueError,
     r"\['C'\].*more than 100000 values"),
    ("array parameters", {"C": stats.norm(loc=[0, 1])}, ValueError,
     r"\['C'\].*array parameters"),
    ("family without its shapes", {"C": stats.gamma}, ValueError, r"\['C'\].*gamma"),
    ("sampler of strings", {"C": type("S", (), {"rvs": lambda self, random_state: "x"})()},
     ValueError, r"\['C'\].*draws 'x'"),
    ("integer range too wide", {"C": Integer(0, 10**20)}, ValueError,
     r"\['C'\].*too many for a search"),
    ("real span that overflows", {"C": Real(-1e308, 1e308)}, ValueError,
     r"\['C'\].*overflows"),
    ("non-string key", {1: [1.0]}, TypeError, "keys must be parameter names"),
]


@pytest.mark.parametrize("search_class", SEARCHES, ids=lambda c: c.__name__)
@pytest.mark.parametrize("case", BAD_SPACES, ids=lambda c: c[0])
def test_bad_space_is_refused_before_any_fit(search_class, case):
    _, space, error, match = case
    with pytest.raises(error, match=match):
        search_class(Counting(), space, n_iter=5).fit(X, Y)


# ---------------------------------------------------------------- dimensions
BAD_DIMENSIONS = [
    ("inverted Real", lambda: Real(10, 1), ValueError, "low < high"),
    ("empty Real", lambda: Real(1, 1), ValueError, "low < high"),
    ("infinite Real", lambda: Real(0, np.inf), ValueError, "high must be finite"),
    ("NaN Real", lambda: Real(np.nan, 1), ValueError, "low must be finite"),
    ("log Real through zero", lambda: Real(0, 1, log=True), ValueError, "low > 0"),
    ("negative log Real", lambda: Real(-1, 1, log=True), ValueError, "low > 0"),
    ("string Real bound", lambda: Real("0", 1), TypeError, "low must be a number"),
    ("boolean Real bound", lambda: Real(False, 1), TypeError, "low must be a number"),
    ("inverted Integer", lambda: Integer(5, 1), ValueError, "low <= high"),
    ("fractional Integer bound", lambda: Integer(0, 2.5), TypeError, "high must be an integer"),
    ("log Integer from zero", lambda: Integer(0, 10, log=True), ValueError, "low > 0"),
    ("NaN Integer bound", lambda: Integer(0, np.nan), TypeError, "high must be an integer"),
    ("empty Categorical", lambda: Categorical([]), ValueError, "at least one choice"),
    ("string as Categorical", lambda: Categorical("abc"), TypeError, "list, tuple"),
    ("scalar as Categorical", lambda: Categorical(3), TypeError, "list, tuple"),
    ("prior string as log", lambda: Real(0.1, 1, log="log-uniform"), TypeError,
     r"Real log must be True or False.*write prior='log-uniform'"),
    ("other string as log", lambda: Integer(1, 9, log="yes"), TypeError,
     r"Integer log must be True or False.*write log=True or log=False"),
    ("bool as prior", lambda: Real(0.1, 1, True), TypeError,
     r"third argument is the prior.*write log=True"),
    ("unknown prior", lambda: Real(0.1, 1, "normal"), ValueError,
     "prior must be 'uniform', 'log-uniform' or a scipy.stats distribution"),
    ("prior against log", lambda: Real(0.1, 1, "uniform", log=True), ValueError,
     "prior='uniform' and log=True"),
    ("bounds and a distribution", lambda: Real(0, 1, prior=stats.norm()), ValueError,
     "bounds or a prior distribution, not both"),
    ("discrete prior of a Real", lambda: Real(prior=stats.poisson(3)), TypeError,
     r"write Integer\(prior=poisson\(3\)\)"),
    ("continuous prior of an Integer", lambda: Integer(prior=stats.norm(0, 1)), TypeError,
     r"write Real\(prior=norm\(0, 1\)\)"),
    ("number as a name", lambda: Categorical([1, 2], name=3), TypeError, "name must be a string"),
    ("dict as Categorical", lambda: Categorical({"a": 1, "b": 2}), TypeError,
     r"Categorical\(list\(d\)\) for the keys or Categorical\(list\(d.values\(\)\)\)"),
    ("repeated Categorical choices", lambda: Categorical(["a", "b", "a"]), ValueError,
     r"choices 0 and 2 are the same, 'a'.*write \['a', 'b'\]"),
    ("unequal Categorical prior", lambda: Categorical(["a", "b"], prior=[0.2, 0.8]),
     ValueError, r"prior=\[0.2, 0.8\] weights the choices unequally.*"
                 r"write Categorical\(\['a', 'b'\]\) for equal shares"),
    ("prior of the wrong length", lambda: Categorical(["a", "b"], prior=[1.0]), ValueError,
     r"prior=\[1.0\] must give one non-negative weight per choice \(2 choices\)"),
]


@pytest.mark.parametrize("case", BAD_DIMENSIONS, ids=lambda c: c[0])
def test_bad_dimension_names_what_is_wrong(case):
    _, make, error, match = case
    with pytest.raises(error, match=match):
        make()


def test_sampler_that_ignores_its_random_state_is_refused():
    class Unrepeatable:
        def rvs(self, random_state=None):
            return float(np.random.default_rng().random())

    with pytest.raises(ValueError, match=r"\['C'\].*does not repeat its draws"):
        Space({"C": Unrepeatable()})


# ---------------------------------------------------------------- search parameters
COMMON_BAD = [
    ({"n_iter": 0}, "n_iter"),
    ({"n_iter": -3}, "n_iter"),
    ({"n_iter": 2.5}, "n_iter"),
    ({"scoring": "no_such_metric"}, "no_such_metric"),
    ({"scoring": 3}, "scoring"),
    ({"cv": "five"}, "cv"),
    ({"cv": 0}, "cv"),
    ({"random_state": "seed"}, "random_state"),
    ({"error_score": "ignore"}, "error_score"),
    ({"max_time": 0}, "max_time"),
    ({"n_iter_no_change": 0}, "n_iter_no_change"),
    ({"tol": -1.0}, "tol"),
    ({"checkpoint": 42}, "checkpoint"),
    ({"batch_callbacks": ["not callable"]}, "batch_callbacks"),
    ({"verbose": -1}, "verbose"),
    ({"cv": []}, "cv"),
    ({"scoring": ["accuracy", "f1_macro"], "refit": "auc"}, "refit"),
    ({"n_iter": True}, "'n_iter' parameter .*not a bool"),
    ({"n_iter_no_change": True}, "'n_iter_no_change' parameter .*not a bool"),
    ({"n_jobs": True}, "'n_jobs' parameter .*not a bool"),
    ({"max_time": True}, "'max_time' parameter .*not a bool"),
    ({"tol": False}, "'tol' parameter .*not a bool"),
]

OWN_BAD = {
    PSOSearchCV: [
        ({"n_particles": 1}, "n_particles"),
        ({"n_particles": 0}, "n_particles"),
        ({"inertia": -0.1}, "inertia"),
        ({"inertia": 1.5}, "inertia"),
        ({"cognitive": -1.0}, "cognitive"),
        ({"social": "strong"}, "social"),
        ({"n_particles": True}, "'n_particles' parameter .*not a bool"),
        ({"inertia": False}, "'inertia' parameter .*not a bool"),
    ],
    GeneticSearchCV: [
        ({"population_size": 1}, "population_size"),
        ({"crossover_rate": 1.5}, "crossover_rate"),
        ({"crossover_rate": -0.2}, "crossover_rate"),
        ({"mutation_rate": 2.0}, "mutation_rate"),
        ({"selection": "roulette-wheel-of-fortune"}, "selection"),
        ({"tournament_size": 0}, "tournament_size"),
        ({"elitism": -1}, "elitism"),
        ({"crossover": "three-point"}, "crossover"),
        ({"elitism": True}, "'elitism' parameter .*not a bool"),
        ({"population_size": True}, "'population_size' parameter .*not a bool"),
    ],
    BayesSearchCV: [
        ({"surrogate": "random-forest"}, "surrogate"),
        ({"acquisition": "best"}, "acquisition"),
        ({"batch_size": 0}, "batch_size"),
        ({"n_initial_points": 0}, "n_initial_points"),
        ({"xi": -1.0}, "xi"),
        ({"kappa": -2.0}, "kappa"),
        ({"batch_size": True}, "'batch_size' parameter .*not a bool"),
        ({"n_initial_points": True}, "'n_initial_points' parameter .*not a bool"),
        ({"xi": True}, "'xi' parameter .*not a bool"),
    ],
}


@pytest.mark.parametrize("search_class", SEARCHES, ids=lambda c: c.__name__)
@pytest.mark.parametrize("bad, culprit", COMMON_BAD, ids=lambda v: repr(v))
def test_bad_common_parameter_is_named(search_class, bad, culprit):
    with pytest.raises((ValueError, TypeError), match=culprit):
        search_class(Counting(), GOOD_SPACE, **bad).fit(X, Y)


@pytest.mark.parametrize("search_class, bad, culprit",
                         [(cls, bad, culprit) for cls, cases in OWN_BAD.items()
                          for bad, culprit in cases],
                         ids=lambda v: getattr(v, "__name__", repr(v)))
def test_bad_strategy_parameter_is_named(search_class, bad, culprit):
    with pytest.raises((ValueError, TypeError), match=culprit):
        search_class(Counting(), GOOD_SPACE, **bad).fit(X, Y)


# ---------------------------------------------------------------- data and cv
@pytest.mark.parametrize("search_class", SEARCHES, ids=lambda c: c.__name__)
def test_mismatched_X_and_y(search_class):
    with pytest.raises(ValueError, match="inconsistent numbers of samples"):
        search_class(Counting(), GOOD_SPACE).fit(X, Y[:-5])


@pytest.mark.parametrize("search_class", SEARCHES, ids=lambda c: c.__name__)
def test_cv_larger_than_the_data(search_class):
    with pytest.raises(ValueError, match="n_splits"):
        search_class(Counting(), GOOD_SPACE, cv=200).fit(X[:30], Y[:30])


@pytest.mark.parametrize("search_class", SEARCHES, ids=lambda c: c.__name__)
def test_unwritable_checkpoint(search_class, tmp_path):
    path = tmp_path / "no" / "such" / "dir" / "journal.jsonl"
    with pytest.raises(ValueError, match="checkpoint .*journal.jsonl.* cannot be written"):
        search_class(Counting(), GOOD_SPACE, checkpoint=str(path)).fit(X, Y)


@pytest.mark.parametrize("search_class", SEARCHES, ids=lambda c: c.__name__)
def test_checkpoint_that_is_not_a_journal(search_class, tmp_path):
    path = tmp_path / "notes.txt"
    path.write_text('{"hello": "world"}\n')
    with pytest.raises(ValueError, match="not a sksearch checkpoint journal"):
        search_class(Counting(), GOOD_SPACE, checkpoint=str(path)).fit(X, Y)


def test_there_are_at_least_forty_malformed_inputs():
    n_cases = (len(BAD_SPACES) + len(BAD_DIMENSIONS) + 1 + len(COMMON_BAD)
               + sum(map(len, OWN_BAD.values())) + 4)
    assert n_cases >= 40
