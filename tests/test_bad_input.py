"""Malformed input, thrown wholesale at the three searches and the space.

Every case must raise an exception whose message names the culprit, before
the first fit where that is possible (a counting estimator checks it).
"""

import math

import numpy as np
import pytest
from scipy import stats
from numbers import Real as RealNumber

from sklearn.datasets import load_iris
from sklearn.linear_model import LogisticRegression

from conftest import CountingLogistic
from sksearch.engine._sklearn import Interval, StrOptions
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


# ---------------------------------------------------------------- known before any fit (#29)
class Weighted(Counting):
    """Counts its fits (as ``Counting``); takes a ``sample_weight``."""

    def fit(self, X, y, sample_weight=None):
        Counting.n_fits += 1
        self.model_ = LogisticRegression(C=self.C, max_iter=300).fit(
            X, y, sample_weight=sample_weight)
        self.classes_ = self.model_.classes_
        return self


class Constrained(Counting):
    """Counts its fits; declares the constraints LogisticRegression has for C and penalty."""

    _parameter_constraints = {"C": [Interval(RealNumber, 0, None, closed="right")],
                              "penalty": [StrOptions({"l2"}), None],
                              "tol": [Interval(RealNumber, 0, None, closed="left")]}


class Budgeted(Counting):
    """Counts its fits; has integer parameters that are no budget."""

    def __init__(self, C=1.0, penalty="l2", tol=1e-4, n_estimators=27, random_state=0,
                 n_jobs=1, batch_size=32):
        super().__init__(C, penalty, tol)
        self.n_estimators, self.random_state = n_estimators, random_state
        self.n_jobs, self.batch_size = n_jobs, batch_size


class NoGetParams:
    def fit(self, X, y):
        Counting.n_fits += 1
        return self


def _with(X, i, j, value):
    X = X.copy()
    X[i, j] = value
    return X


MASKS = [(np.arange(150) % 3 != k, np.arange(150) % 3 == k) for k in range(3)]

#: (name, estimator, search kwargs, fit arguments, error, message): each refused before any fit.
BEFORE_ANY_FIT = [
    ("sample_weight of the wrong length", Weighted(), {}, dict(sample_weight=np.ones(10)),
     ValueError, r"sample_weight.shape == \(10,\), expected \(150,\)"),
    ("sample_weight with NaN", Weighted(), {},
     dict(sample_weight=np.r_[np.nan, np.ones(149)]), ValueError, "sample_weight contains NaN"),
    ("sample_weight all zero", Weighted(), {}, dict(sample_weight=np.zeros(150)),
     ValueError, "at least one non-zero"),
    ("X with infinity", Counting(), {}, dict(X=_with(X, 3, 1, np.inf)), ValueError,
     r"X contains infinity \(first at index \(3, 1\)\), which Counting does not accept"),
    ("X with NaN", Counting(), {}, dict(X=_with(X, 0, 0, np.nan)), ValueError,
     "X contains NaN"),
    ("1-D X", Counting(), {}, dict(X=X[:, 0]), ValueError,
     r"1-D array of shape \(150,\).*X.reshape\(-1, 1\)"),
    ("a single class", Counting(), {}, dict(X=X[:50], y=Y[:50]), ValueError,
     "single class .*at least 2 classes"),
    ("roc_auc on 3 classes", Counting(), {"scoring": "roc_auc"}, {}, ValueError,
     r"scoring 'roc_auc' cannot score this multiclass target: multi_class must be.*'roc_auc_ovr'"),
    ("binary f1 among metrics on 3 classes", Counting(),
     {"scoring": ["accuracy", "f1"], "refit": "accuracy"}, {}, ValueError,
     "scoring 'f1' cannot score this multiclass target.*average='binary'"),
    ("a prior outside the declared range", Constrained(), {"space": {"C": stats.norm(0, 1)}}, {},
     ValueError, r"\['C'\] = Real\(prior=norm\(0, 1\)\) can propose C=-5.998.*The 'C' parameter"
     r".*range \(0.0, inf\].*loguniform\(1e-3, 1e3\)"),
    ("a choice outside the declared options", Constrained(),
     {"space": {"C": [1.0], "penalty": ["l2", "l3"]}}, {}, ValueError,
     r"can propose penalty='l3'.*The 'penalty' parameter"),
    ("an estimator class", Counting, {}, {}, ValueError,
     r"'estimator' parameter .*estimator instance.*not LogisticRegression;.*Got <class"),
    ("an object without get_params", NoGetParams(), {}, {}, ValueError,
     "'estimator' parameter .*with fit and get_params methods"),
    ("a cv index past the data", Counting(), {"cv": [(np.arange(100), np.arange(100, 151))]}, {},
     ValueError, r"cv split 0 has test index 150, outside 0..149"),
    ("a negative cv index", Counting(), {"cv": [(np.arange(1, 100), np.array([-1, 0]))]}, {},
     ValueError, r"cv split 0 has test index -1, outside 0..149"),
    ("a cv mask of the wrong length", Counting(), {"cv": [(MASKS[0][0][:50], MASKS[0][1])]}, {},
     ValueError, r"cv split 0: the train mask has shape \(50,\), X has 150 samples"),
    ("pre_dispatch=0", Counting(), {"pre_dispatch": 0}, {}, ValueError,
     "pre_dispatch=0 dispatches no task"),
    ("refit naming a metric scoring lacks", Counting(), {"scoring": "accuracy", "refit": "f1"},
     {}, ValueError, r"refit='f1' names a metric, but scoring='accuracy' is a single metric"),
    ("resource random_state", Budgeted(), {"resource": "random_state", "max_resources": 9}, {},
     ValueError, "resource='random_state' is a seed.*'n_estimators'"),
    ("resource n_jobs", Budgeted(), {"resource": "n_jobs", "max_resources": 9}, {},
     ValueError, "resource='n_jobs' is the number of parallel workers"),
    ("resource batch_size", Budgeted(), {"resource": "batch_size"}, {}, ValueError,
     "resource='batch_size' .*larger batch makes a fit cheaper"),
    ("a range with room for one rung", Budgeted(),
     {"resource": "n_estimators", "min_resources": 2, "max_resources": 3, "factor": 3}, {},
     ValueError, r"min_resources=2, max_resources=3 and factor=3 leaves a single rung.*"
     r"max_resources >= 6.*factor <= 1.5"),
    ("a factor that leaves 'auto' one rung", Budgeted(n_estimators=10),
     {"resource": "n_estimators", "factor": 1.01}, {}, ValueError,
     r"factor=1.01 leaves a single rung.*min_resources='auto' gives 10"),
    ("a factor whose rungs round together", Budgeted(n_estimators=100),
     {"resource": "n_estimators", "min_resources": 1, "factor": 1.01}, {}, ValueError,
     r"factor=1.01 makes the rungs n_estimators=\d+ and \d+ round to the same value"),
]


@pytest.mark.parametrize("search_class", SEARCHES, ids=lambda c: c.__name__)
@pytest.mark.parametrize("case", BEFORE_ANY_FIT, ids=lambda c: c[0])
def test_what_no_fit_could_take_is_refused_before_any_fit(search_class, case, tmp_path):
    _, estimator, kwargs, fit_args, error, match = case
    kwargs = dict(kwargs)
    space = kwargs.pop("space", GOOD_SPACE)
    fit_args = {"X": X, "y": Y, **fit_args}
    journal = tmp_path / "journal.jsonl"
    kwargs = {"n_iter": 5, "cv": 3, "checkpoint": str(journal), **kwargs}
    search = search_class(estimator, space, **kwargs)
    with pytest.raises(error, match=match):
        search.fit(fit_args.pop("X"), fit_args.pop("y"), **fit_args)
    assert not journal.exists()  # refused before any side effect, not only before fits


# ---------------------------------------------------------------- accepted as meant (#29)
class WeightRecorder(CountingLogistic):
    """Records the training rows and the weights each fit receives."""

    seen = []

    def fit(self, X, y, sample_weight=None):
        type(self).seen.append((X.shape[0], None if sample_weight is None
                                else float(np.sum(sample_weight))))
        return super().fit(X, y)


@pytest.fixture
def recorder():
    WeightRecorder.seen = []
    return WeightRecorder


@pytest.mark.parametrize("options", [{}, {"resource": "n_samples", "min_resources": 30},
                                     {"checkpoint": True}],
                         ids=["plain", "n_samples", "checkpoint"])
def test_a_sparse_X_is_searched_by_every_strategy(make_search, options, tmp_path):
    from scipy import sparse

    options = dict(options)
    if options.pop("checkpoint", False):
        options["checkpoint"] = str(tmp_path / "journal.jsonl")
    search = make_search(CountingLogistic(), GOOD_SPACE, n_iter=6, cv=3, random_state=0,
                         **options).fit(sparse.csr_matrix(X), Y)
    assert 0 < len(search.cv_results_["params"])
    assert np.isfinite(search.best_score_)
    if "checkpoint" in options:  # the journal of a sparse X is resumed, not refitted
        CountingLogistic.n_fits = 0
        again = make_search(CountingLogistic(), GOOD_SPACE, n_iter=6, cv=3, random_state=0,
                            **options).fit(sparse.csr_matrix(X), Y)
        assert CountingLogistic.n_fits == 1  # the refit only
        assert again.cv_results_["params"] == search.cv_results_["params"]


def test_routing_on_searches_and_routes_sample_weight_to_the_estimator(make_search, recorder):
    import sklearn
    from sklearn.tree import DecisionTreeClassifier

    weights = np.linspace(0.5, 2.0, 150)
    with sklearn.config_context(enable_metadata_routing=True):
        estimator = recorder().set_fit_request(sample_weight=True).set_score_request(
            sample_weight=False)
        search = make_search(estimator, GOOD_SPACE, n_iter=4, cv=3, random_state=0)
        search.fit(X, Y, sample_weight=weights)
        tree = make_search(DecisionTreeClassifier(random_state=0),
                           {"max_depth": Integer(1, 4)}, n_iter=3, cv=3, random_state=0)
        tree.fit(X, Y)
    folds = [(train.size, float(weights[train].sum())) for train, _ in
             __import__("sklearn.model_selection", fromlist=["StratifiedKFold"])
             .StratifiedKFold(3).split(X, Y)]
    assert set(recorder.seen[:-1]) <= set(folds) and recorder.seen[-1] == (150, weights.sum())
    assert np.isfinite(tree.best_score_)


def test_boolean_mask_folds_give_the_results_of_their_indices(make_search):
    indices = [(np.flatnonzero(train), np.flatnonzero(test)) for train, test in MASKS]
    results = [make_search(CountingLogistic(), GOOD_SPACE, n_iter=8, cv=cv, random_state=0,
                           resource="n_samples", min_resources=30).fit(X, Y).cv_results_
               for cv in (MASKS, indices)]
    assert results[0]["params"] == results[1]["params"]
    np.testing.assert_array_equal(results[0]["mean_test_score"], results[1]["mean_test_score"])


def test_the_top_rung_trains_on_max_resources_samples(recorder):
    search = BayesSearchCV(recorder(), GOOD_SPACE, n_iter=4, cv=3, random_state=0,
                           resource="n_samples", min_resources=10, max_resources=50).fit(X, Y)
    assert search.n_resources_ == [17, 50]
    # each fold trains on 100 rows; a rung of 50 of the 150 samples gets a third of them
    sizes = {size for size, _ in recorder.seen[:-1]}
    assert sizes == {math.ceil(100 * 17 / 150), math.ceil(100 * 50 / 150)}


@pytest.mark.parametrize("answer, stops", [(True, True), (np.True_, True), (False, False),
                                           (np.False_, False), (None, False)])
def test_a_batch_callback_answers_with_a_bool_or_none(answer, stops):
    search = PSOSearchCV(CountingLogistic(), GOOD_SPACE, n_iter=12, cv=3, random_state=0,
                         batch_callbacks=[lambda state: answer]).fit(X, Y)
    assert (search.stop_reason_ == "callback") is stops


@pytest.mark.parametrize("answer", ["no", np.array([True, False]), 1, [False]],
                         ids=["string", "array", "int", "list"])
def test_a_batch_callback_answering_anything_else_is_a_type_error(answer):
    def keep_going(state):
        return answer

    search = PSOSearchCV(CountingLogistic(), GOOD_SPACE, n_iter=12, cv=3, random_state=0,
                         batch_callbacks=[keep_going])
    with pytest.raises(TypeError, match=r"batch callback .*keep_going returned .*"
                                        r"True to stop the search, False or None to go on"):
        search.fit(X, Y)
    assert len(search.cv_results_["params"]) > 0  # the first batch is kept


@pytest.mark.parametrize("returned", ["x", None, np.ones(3)], ids=["string", "None", "array"])
def test_a_scorer_returning_no_number_stops_at_its_first_score(returned):
    CountingLogistic.n_fits = 0
    search = PSOSearchCV(CountingLogistic(), GOOD_SPACE, n_iter=12, cv=3, random_state=0,
                         scoring=lambda estimator, X, y: returned)
    with pytest.raises(ValueError, match="scoring must return a number"):
        search.fit(X, Y)
    assert CountingLogistic.n_fits == 1  # known only after a fit: the first one


ACCEPTED = [
    ("NaN in X for an estimator that takes it", "hgb", dict(X=_with(X, 0, 0, np.nan))),
    ("infinity in X for an estimator that takes it", "hgb", dict(X=_with(X, 0, 0, np.inf))),
    ("1-D X of texts for a text pipeline", "text", {}),
    ("refit naming the one metric", "logistic", dict(scoring="accuracy", refit="accuracy")),
    ("negative sample_weight", "weighted", dict(sample_weight=np.r_[-1.0, np.ones(149)])),
    ("a prior inside the declared range", "constrained", {}),
]


@pytest.mark.parametrize("case", ACCEPTED, ids=lambda c: c[0])
def test_inputs_some_estimators_take_are_searched(case):
    from sklearn.ensemble import HistGradientBoostingClassifier
    from sklearn.feature_extraction.text import TfidfVectorizer
    from sklearn.pipeline import make_pipeline

    _, kind, args = case
    args = dict(args)
    data_X, data_y = args.pop("X", X), Y
    search_kwargs = {k: args.pop(k) for k in ("scoring", "refit") if k in args}
    space = GOOD_SPACE
    if kind == "hgb":
        estimator, space = HistGradientBoostingClassifier(max_iter=5), {
            "learning_rate": Real(0.05, 0.5)}
    elif kind == "text":
        words = np.array(["red apple", "green pear", "blue sky"])
        data_X, data_y = words[Y], Y
        estimator = make_pipeline(TfidfVectorizer(), LogisticRegression(max_iter=1000))
        space = {"logisticregression__C": Real(0.1, 10.0)}
    elif kind == "weighted":
        estimator = make_pipeline(LogisticRegression())
        args = {"logisticregression__sample_weight": args["sample_weight"]}
        space = {"logisticregression__C": Real(0.1, 10.0)}
    elif kind == "constrained":
        estimator, space = LogisticRegression(), {"C": stats.loguniform(1e-3, 1e3)}
    else:
        estimator = LogisticRegression()
    search = BayesSearchCV(estimator, space, n_iter=3, cv=3, random_state=0,
                           **search_kwargs).fit(data_X, data_y, **args)
    assert len(search.cv_results_["params"]) == 3


def test_there_are_cases_of_every_kind():
    assert len(BEFORE_ANY_FIT) >= 24 and len(ACCEPTED) >= 6
