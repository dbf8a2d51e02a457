import math

import numpy as np
import pytest
from scipy import stats
from sklearn.datasets import load_iris
from sklearn.pipeline import Pipeline
from sklearn.preprocessing import StandardScaler
from sklearn.svm import SVC

from conftest import CountingLogistic
from sksearch.space._cube import CubeLayout, Group, integer_bounds, integer_center, integer_index
from sksearch.space import Categorical, Integer, Real, Space

IRIS_X, IRIS_Y = load_iris(return_X_y=True)


def test_real_decodes_linear_and_log_scale():
    assert Real(-1.0, 3.0).decode([0.0, 0.25, 1.0]) == [-1.0, 0.0, 3.0]
    values = Real(1e-4, 1e0, log=True).decode([0.0, 0.5, 1.0])
    np.testing.assert_allclose(values, [1e-4, 1e-2, 1.0])


@pytest.mark.parametrize("log", [False, True])
def test_real_round_trip(log):
    dim = Real(0.01, 100.0, log=log)
    u = np.linspace(0, 1, 11)
    np.testing.assert_allclose(dim.encode(dim.decode(u)), u, atol=1e-12)


def test_integer_bins_are_equal_and_cover_every_value():
    dim = Integer(3, 7)
    values = dim.decode(np.linspace(0, 1, 5001))
    counts = np.bincount(np.array(values) - 3)
    assert set(values) == {3, 4, 5, 6, 7}
    assert counts.min() >= 0.95 * counts.max()
    assert all(type(v) is int for v in values)


def test_log_integer_gives_each_decade_the_same_share():
    dim = Integer(1, 999, log=True)
    values = np.array(dim.decode(np.linspace(0, 1, 30001)))
    shares = [np.mean((values >= 10**k) & (values < 10 ** (k + 1))) for k in range(3)]
    np.testing.assert_allclose(shares, [1 / 3] * 3, atol=0.01)


EDGES = tuple(np.r_[0.0, np.cumsum(np.linspace(1, 3, 40) / np.linspace(1, 3, 40).sum())])


@pytest.mark.parametrize("log_low, edges", [(0, None), (1, None), (5, None), (0, EDGES)])
def test_integer_bin_centres_decode_to_their_bin(log_low, edges):
    index = np.arange(40)
    centres = integer_center(index, 40, log_low, edges)
    assert np.array_equal(integer_index(centres, 40, log_low, edges), index)
    lower, upper = integer_bounds(index, 40, log_low, edges)
    assert lower[0] == 0.0 and upper[-1] == pytest.approx(1.0)
    np.testing.assert_allclose(lower[1:], upper[:-1])
    assert np.all((lower < centres) & (centres < upper))


def test_integer_bins_with_edges_snap_enumerate_and_count():
    group = Group("integer", 0, 1, 3, 0, edges=(0.0, 0.2, 0.5, 1.0))
    layout = CubeLayout([group])
    np.testing.assert_allclose(layout.snap([[0.1], [0.3], [0.49], [0.9]]).ravel(),
                               [0.1, 0.35, 0.35, 0.75])
    np.testing.assert_allclose(layout.enumerate().ravel(), [0.1, 0.35, 0.75])
    assert layout.size == 3
    assert CubeLayout([Group("integer", 0, 1, 3, 0, edges=group.edges, truncated=True)]).size \
        == np.inf
    with pytest.raises(ValueError, match="increasing"):
        Group("integer", 0, 1, 3, 0, edges=(0.0, 0.5, 0.5, 1.0))


def test_integer_round_trip():
    for dim in (Integer(-5, 5), Integer(1, 1000, log=True)):
        values = list(range(dim.low, dim.high + 1))
        assert dim.decode(dim.encode(values)) == values


def test_categorical_is_one_hot_with_any_objects():
    svc = SVC()
    dim = Categorical([None, "a", svc, 3])
    assert dim.n_columns == 4
    assert dim.decode(np.eye(4)) == [None, "a", svc, 3]
    np.testing.assert_array_equal(dim.encode(["a"]), [[0, 1, 0, 0]])


def test_single_choice_takes_no_column():
    space = Space({"kernel": ["rbf"], "C": Real(0.1, 10.0)})
    assert space.layout.n_dims == 1
    assert space.decode([[0.0]]) == [{"kernel": "rbf", "C": 0.1}]


def test_scipy_distributions_map_to_dimensions():
    space = Space({
        "a": stats.uniform(1, 4),
        "b": stats.loguniform(1e-3, 1e1),
        "c": stats.randint(2, 9),
        "d": stats.beta(2, 3),
    })
    a, b, c, d = (space.subspaces[0][k] for k in "abcd")
    assert a == Real(1.0, 5.0)
    assert b == Real(1e-3, 1e1, log=True)
    assert c == Integer(2, 8)
    assert d == Real(prior=stats.beta(2, 3)) != Real(0.0, 1.0)
    assert (d.low, d.high) == (0.0, 1.0)


def test_lists_tuples_and_arrays_are_categorical():
    space = Space({"a": [1, 2], "b": ("x", "y", "z"), "c": np.array([0.1, 0.2])})
    assert [type(d) for d in space.subspaces[0].values()] == [Categorical] * 3
    assert space.size == 12


def test_decode_encode_round_trip_of_a_union():
    space = Space([
        {"kernel": ["linear"], "C": Real(0.1, 10.0, log=True)},
        {"kernel": ["rbf", "sigmoid"], "C": Real(0.1, 10.0, log=True), "gamma": Integer(1, 9)},
    ])
    X = space.sample(200, random_state=0)
    params = space.decode(X)
    assert {frozenset(p) for p in params} == {
        frozenset({"kernel", "C"}), frozenset({"kernel", "C", "gamma"})}
    again = space.decode(space.encode(params))
    for p, q in zip(params, again):
        assert p.keys() == q.keys()
        for key in p:
            if isinstance(p[key], float):
                assert math.isclose(p[key], q[key], rel_tol=1e-12)
            else:
                assert p[key] == q[key]


def test_each_candidate_of_a_union_comes_from_one_subspace():
    space = Space([{"a": [1, 2]}, {"b": [3, 4, 5]}])
    assert space.size == 5
    params = space.decode(space.layout.enumerate())
    assert sorted(map(str, params)) == sorted(
        map(str, [{"a": 1}, {"a": 2}, {"b": 3}, {"b": 4}, {"b": 5}]))


def test_snap_identifies_equal_candidates():
    space = Space({"n": Integer(1, 4), "k": ["a", "b"], "x": Real(0, 1)})
    X = np.array([[0.26, 0.9, 0.1, 0.3], [0.49, 0.7, 0.2, 0.3], [0.51, 0.7, 0.2, 0.3]])
    keys = space.layout.keys(X)
    assert keys[0] == keys[1] != keys[2]
    assert space.decode(X[:1]) == space.decode(X[1:2])


def test_latin_hypercube_has_one_point_per_stratum_and_beats_random_spread():
    space = Space({f"x{i}": Real(0, 1) for i in range(3)})
    X = space.sample(10, random_state=1, method="lhs")
    for column in X.T:
        assert sorted(np.floor(column * 10).astype(int)) == list(range(10))

    def min_dist(Z):
        d = np.linalg.norm(Z[:, None] - Z[None], axis=-1)
        return d[np.triu_indices(len(Z), 1)].min()

    random_spreads = [min_dist(space.sample(10, random_state=s)) for s in range(20)]
    assert min_dist(X) > np.median(random_spreads)


def test_sampling_is_reproducible():
    space = Space({"x": Real(0, 1), "k": ["a", "b", "c"]})
    for method in ("random", "lhs"):
        np.testing.assert_array_equal(space.sample(7, 3, method), space.sample(7, 3, method))


def test_check_names_accepts_pipeline_step_params():
    pipe = Pipeline([("scale", StandardScaler()), ("svc", SVC())])
    Space({"svc__C": Real(0.1, 1.0), "scale__with_mean": [True, False]}).check_names(pipe)
    with pytest.raises(ValueError, match="'svc__Cee'"):
        Space({"svc__Cee": Real(0.1, 1.0)}).check_names(pipe)


@pytest.mark.parametrize(
    "make, error, match",
    [
        (lambda: Real(5, 1), ValueError, "low < high"),
        (lambda: Real(1, 1), ValueError, "low < high"),
        (lambda: Real(0, 1, log=True), ValueError, "log=True needs low > 0"),
        (lambda: Real(-np.inf, 1), ValueError, "low must be finite"),
        (lambda: Real(0, np.nan), ValueError, "high must be finite"),
        (lambda: Real("a", 1), TypeError, "low must be a number"),
        (lambda: Integer(1.5, 3), TypeError, "low must be an integer"),
        (lambda: Integer(3, 2), ValueError, "low <= high"),
        (lambda: Integer(0, 10, log=True), ValueError, "log=True needs low > 0"),
        (lambda: Categorical([]), ValueError, "at least one choice"),
        (lambda: Categorical("abc"), TypeError, "list, tuple or 1-d array"),
        (lambda: Categorical(np.zeros((2, 2))), ValueError, "1-dimensional"),
        (lambda: Space({"C": stats.pareto(0.01)}), ValueError, r"\['C'\].*pareto.*heavy"),
        (lambda: Space({"C": stats.geom(1e-6)}), ValueError, r"\['C'\].*more than 100000"),
        (lambda: Space({"C": (1, 8)}), ValueError, r"\['C'\].*Integer\(1, 8\)"),
        (lambda: Space({"C": []}), ValueError, r"\['C'\].*at least one choice"),
        (lambda: Space({"C": "rbf"}), TypeError, r"\['C'\] must be a list"),
        (lambda: Space({"C": 1.0}), TypeError, r"\['C'\] must be a list"),
        (lambda: Space("C"), TypeError, "dict or a list of dicts"),
        (lambda: Space([]), ValueError, "empty list"),
        (lambda: Space({}), ValueError, "is empty"),
        (lambda: Space([{"a": [1]}, 3]), TypeError, r"param_distributions\[1\] must be a dict"),
        (lambda: Space({1: [1, 2]}), TypeError, "keys must be parameter names"),
    ],
)
def test_bad_input_names_the_culprit(make, error, match):
    with pytest.raises(error, match=match):
        make()


def test_scikit_optimize_priors_are_read_as_written():
    assert Real(0.1, 1, "uniform") == Real(0.1, 1) != Real(0.1, 1, log=True)
    assert Real(0.1, 1, "log-uniform") == Real(0.1, 1, prior="log-uniform") == \
        Real(0.1, 1, log=True)
    assert Integer(1, 100, "log-uniform") == Integer(1, 100, log=True)
    assert Real(0.1, 1, "uniform").prior == "uniform"
    named = Real(0.1, 1, "log-uniform", name="C")
    assert named.name == "C" and repr(named) == "Real(0.1, 1, log=True, name='C')"
    assert named == Real(0.1, 1, log=True)  # the name is stored only
    assert Categorical(["a", "b"], name="kernel").name == "kernel"


@pytest.mark.parametrize("choices, positions", [
    ([1.0, 1.0, 2.0], (0, 1)),
    ([np.array([1, 2]), None, np.array([1, 2])], (0, 2)),
    ([SVC(C=1), SVC(C=1)], (0, 1)),
    ([float("nan"), float("nan")], (0, 1)),
    ([np.float64(0.5), 0.5], (0, 1)),  # one kind of number: a NumPy scalar or not
    ([(1, "a"), [1], (1, "a")], (0, 2)),
    ([{"a": 1}, {"a": 1}], (0, 1)),
], ids=["floats", "arrays", "estimators", "nan", "numpy-scalar", "tuples", "dicts"])
def test_repeated_choices_are_refused_with_their_positions(choices, positions):
    i, j = positions
    with pytest.raises(ValueError, match=rf"choices {i} and {j} are the same.*"
                                         "a repetition is not a weight"):
        Categorical(choices)
    with pytest.raises(ValueError, match=rf"\['C'\]: Categorical choices {i} and {j}"):
        Space({"C": choices})


def test_choices_an_estimator_tells_apart_stay_apart():
    # 1, 1.0 and True are three values to an estimator (max_features=1 is one feature,
    # 1.0 all of them), so they are three choices
    assert Categorical([1, 1.0, True]).choices == [1, 1.0, True]
    assert Categorical([1, 1.0, True]).decode(np.eye(3)) == [1, 1.0, True]
    assert len(Categorical([SVC(C=1), SVC(C=2), SVC(C=1, kernel="linear")]).choices) == 3
    assert len(Categorical([np.array([1, 2]), np.array([1.0, 2.0]), np.array([1, 3])]
                           ).choices) == 3
    assert Categorical([[1], [1.0], None]).choices == [[1], [1.0], None]
    svc = SVC(C=1)
    assert Categorical([svc, None]).index(SVC(C=1)) == 0  # an equal estimator is the choice


def test_a_set_of_choices_is_searched_in_sorted_order():
    assert Categorical({"rbf", "poly", "linear"}).choices == ["linear", "poly", "rbf"]
    assert Categorical(frozenset({3, 0.5, 2})).choices == [0.5, 2, 3]
    assert Categorical({None, "a", 1}).choices == [1, "a", None]
    space = Space({"kernel": {"sigmoid", "rbf", "poly", "linear"}})
    assert space.subspaces[0]["kernel"] == Categorical(["linear", "poly", "rbf", "sigmoid"])
    with pytest.raises(TypeError, match=r"order changes from run to run.*write a list"):
        Categorical({SVC(), None})


_HASH_SEED_RUN = """
import json
from sklearn.datasets import load_iris
from sklearn.tree import DecisionTreeClassifier
from sksearch import PSOSearchCV
from sksearch.space import Categorical
X, y = load_iris(return_X_y=True)
space = {"criterion": Categorical({"gini", "entropy", "log_loss"}),
         "splitter": {"best", "random"}, "max_features": {"sqrt", "log2", None},
         "max_depth": [1, 2, 3]}
search = PSOSearchCV(DecisionTreeClassifier(random_state=0), space, n_iter=8, cv=2,
                     random_state=0).fit(X, y)
print(json.dumps([search.cv_results_["params"],
                  search.cv_results_["mean_test_score"].tolist()]))
"""


def test_a_set_of_choices_gives_one_search_whatever_the_hash_seed():
    import os
    import subprocess
    import sys

    root = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))

    def run(seed):
        env = {**os.environ, "PYTHONHASHSEED": str(seed), "PYTHONPATH": root}
        out = subprocess.run([sys.executable, "-c", _HASH_SEED_RUN], env=env, check=True,
                             capture_output=True, text=True)
        return out.stdout

    assert run(1) == run(2) == run(3)


def test_overlapping_subspaces_share_their_candidates():
    space = Space([{"C": [1, 2]}, {"C": [2, 3]}])
    assert space.size == 3
    assert space.decode(space.layout.enumerate()) == [{"C": 1}, {"C": 2}, {"C": 3}]
    # C=2 proposed in the second subspace is the candidate of the first
    second = np.array([[0.0, 1.0, 0.5, 0.5, 1.0, 0.0]])
    assert space.decode(second) == [{"C": 2}]
    assert space.layout.keys(second) == space.layout.keys(space.encode([{"C": 2}]))
    assert space.layout.keys([[0.0, 1.0, 0.5, 0.5, 0.0, 1.0]]) != \
        space.layout.keys(second)  # C=3 stays where it is
    # values of two kinds, or subspaces with other names, do not overlap
    assert Space([{"C": [1, 2]}, {"C": [2.0, 3.0]}]).size == 4
    assert Space([{"C": [1, 2], "k": ["a"]}, {"C": [2, 3], "k": ["b"]}]).size == 4
    assert Space([{"C": [1, 2]}, {"C": [2, 3], "k": ["b"]}]).size == 4


@pytest.mark.parametrize("space, n_iter", [
    ([{"C": [0.5, 1.0]}, {"C": [1.0, 2.0]}], 5),  # all of it: 3 candidates
    ([{"C": [0.1, 0.2, 0.5, 1.0, 2.0]}, {"C": [0.5, 1.0, 2.0, 5.0, 10.0]}], 5),
], ids=["exhaustive", "searched"])
def test_no_candidate_of_overlapping_subspaces_is_fitted_twice(make_search, space, n_iter):
    import warnings

    class Counting(CountingLogistic):
        n_fits = 0

    with warnings.catch_warnings():
        warnings.simplefilter("ignore", UserWarning)  # "all candidates were evaluated"
        search = make_search(Counting(), space, n_iter=n_iter, cv=2, random_state=0,
                             refit=False).fit(IRIS_X, IRIS_Y)
    params = search.cv_results_["params"]
    assert len(params) == min(n_iter, Space(space).size)
    assert len({p["C"] for p in params}) == len(params)
    assert Counting.n_fits == 2 * len(params)


def test_identical_subspaces_collapse_with_a_warning():
    with pytest.warns(UserWarning, match=r"param_distributions\[1\] is the same as "
                                         r"param_distributions\[0\]"):
        space = Space([{"C": [1, 2], "k": stats.norm(0, 1)},
                       {"k": stats.norm(0, 1), "C": [1, 2]},
                       {"C": [1, 3]}])
    assert len(space.subspaces) == 2
    assert space.layout.n_subspaces == 2


def test_huge_or_degenerate_bounds_name_the_parameter():
    with pytest.raises(ValueError, match=r"\['n'\]: Integer\(0, 100000000000000000000\) has "
                                         r"1e\+20 values.*at most 10\*\*12"):
        Space({"n": Integer(0, 10**20)})
    with pytest.raises(ValueError, match=r"\['x'\]: Real\(-1e\+308, 1e\+308\).*overflows"):
        Space({"x": Real(-1e308, 1e308)})
    with pytest.raises(ValueError, match="overflows"):
        Real(-1e308, 1e308).decode([0.5])
    assert Space({"x": Real(0.0, 1e308)}).decode([[1.0]]) == [{"x": 1e308}]
    assert Space({"x": Real(1e-300, 1e300, log=True)}).decode([[0.5]]) == [{"x": 1.0}]
    assert Space({"n": Integer(0, 10**12 - 1)}).size == 10**12


def test_check_names_knows_the_parameters_of_a_swapped_step():
    from sklearn.ensemble import RandomForestClassifier

    pipe = Pipeline([("scale", StandardScaler()), ("clf", SVC())])
    space = Space([{"clf": [SVC()], "clf__C": Real(0.1, 1.0)},
                   {"clf": [RandomForestClassifier()], "clf__max_depth": Integer(2, 9)}])
    space.check_names(pipe)
    with pytest.raises(ValueError, match="'clf__max_depth'"):
        Space({"clf__max_depth": Integer(2, 9)}).check_names(pipe)
    with pytest.raises(ValueError, match="'clf__max_depth'"):  # only where RF is chosen
        Space([{"clf": [SVC()], "clf__max_depth": Integer(2, 9)},
               {"clf": [RandomForestClassifier()]}]).check_names(pipe)


def test_a_prefixed_name_gets_the_plain_name_as_a_hint():
    from sklearn.svm import SVC

    with pytest.raises(ValueError, match=r"Did you mean 'C'\?"):
        Space({"model__C": [1.0, 2.0]}).check_names(SVC())
