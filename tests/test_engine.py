"""The shared engine's promises, checked on every search class of the package."""

import io
import pickle
import warnings
from contextlib import redirect_stdout

import numpy as np
import pytest
from scipy.stats import loguniform, rv_discrete
from sklearn.base import BaseEstimator, ClassifierMixin, clone
from sklearn.datasets import load_iris, make_classification
from sklearn.exceptions import FitFailedWarning
from sklearn.linear_model import LogisticRegression
from sklearn.model_selection import KFold, RandomizedSearchCV
from sklearn.pipeline import Pipeline
from sklearn.preprocessing import StandardScaler
from sklearn.svm import SVC

from sksearch.engine._loop import MAX_STALLED_BATCHES
from sksearch.base import BaseOptimizerSearch
from sksearch._testing import FunctionEstimator
from sksearch.optimizers import Optimizer
from sksearch.space import Integer, Real

X_IRIS, Y_IRIS = load_iris(return_X_y=True)
X_FN = np.zeros((20, 1))  # FunctionEstimator ignores the data


class CountingClassifier(ClassifierMixin, BaseEstimator):
    """Logistic regression that counts its fits and fails where told to."""

    n_fits = 0

    def __init__(self, C=1.0, fail=False, interrupt=False):
        self.C = C
        self.fail = fail
        self.interrupt = interrupt

    def fit(self, X, y):
        type(self).n_fits += 1
        if self.interrupt:
            raise KeyboardInterrupt
        if self.fail:
            raise RuntimeError("this setting always fails")
        self._model = LogisticRegression(C=self.C, max_iter=200).fit(X, y)
        self.classes_ = self._model.classes_
        return self

    def predict(self, X):
        return self._model.predict(X)


@pytest.fixture(autouse=True)
def _reset_counter():
    CountingClassifier.n_fits = 0


def fn_search(make_search, function="sphere", **kwargs):
    est = FunctionEstimator(function, seed=0)
    space = est._function().space
    return make_search(est, space, cv=2, **kwargs)


# ------------------------------------------------------------------ drop-in
def test_cv_results_match_randomized_search_key_by_key(make_search):
    space = {"C": loguniform(1e-2, 1e2), "kernel": ["rbf", "linear"]}
    ours = make_search(SVC(), space, n_iter=8, random_state=0, return_train_score=True)
    ours.fit(X_IRIS, Y_IRIS)
    ref = RandomizedSearchCV(SVC(), space, n_iter=8, random_state=0, return_train_score=True)
    ref.fit(X_IRIS, Y_IRIS)
    assert set(ref.cv_results_) | {"iteration"} <= set(ours.cv_results_)
    for key in set(ours.cv_results_) - set(ref.cv_results_):  # iteration, particle, ...
        assert len(ours.cv_results_[key]) == 8, key
    for key, ref_value in ref.cv_results_.items():
        value = ours.cv_results_[key]
        assert type(value) is type(ref_value), key
        assert len(value) == len(ref_value) == 8, key
        if isinstance(ref_value, np.ndarray) and key != "params":
            assert value.dtype.kind == ref_value.dtype.kind, key
    assert ours.cv_results_["iteration"].dtype.kind == "i"
    for attr in ("best_estimator_", "best_params_", "best_score_", "best_index_", "scorer_",
                 "n_splits_", "refit_time_", "multimetric_"):
        assert hasattr(ours, attr), attr
    assert ours.predict(X_IRIS[:3]).shape == (3,)
    assert ours.score(X_IRIS, Y_IRIS) > 0.9


def test_n_iter_counts_distinct_candidates(make_search):
    search = fn_search(make_search, "mixed", n_iter=15, random_state=0).fit(X_FN)
    params = search.cv_results_["params"]
    assert len(params) == 15
    assert len({repr(sorted(p.items())) for p in params}) == 15


def test_finite_space_smaller_than_n_iter_is_evaluated_completely(make_search):
    search = make_search(CountingClassifier(), {"C": [0.1, 1.0, 10.0]}, n_iter=10, cv=3)
    with pytest.warns(UserWarning, match="only 3 distinct candidates"):
        search.fit(X_IRIS, Y_IRIS)
    assert sorted(p["C"] for p in search.cv_results_["params"]) == [0.1, 1.0, 10.0]
    assert search.stop_reason_ == "space_exhausted"
    assert CountingClassifier.n_fits == 3 * 3 + 1  # candidates x folds + refit


def test_union_of_subspaces(make_search):
    space = [{"kernel": ["linear"], "C": Real(0.01, 10, log=True)},
             {"kernel": ["rbf"], "C": Real(0.01, 10, log=True), "gamma": Real(1e-3, 1, log=True)}]
    search = make_search(SVC(), space, n_iter=16, random_state=1, cv=3).fit(X_IRIS, Y_IRIS)
    for params in search.cv_results_["params"]:
        expected = {"kernel", "C"} if params["kernel"] == "linear" else {"kernel", "C", "gamma"}
        assert set(params) == expected
    assert {p["kernel"] for p in search.cv_results_["params"]} == {"linear", "rbf"}
    gamma = search.cv_results_["param_gamma"]
    assert np.ma.isMaskedArray(gamma)
    kernels = np.array([p["kernel"] for p in search.cv_results_["params"]])
    assert np.array_equal(gamma.mask, kernels == "linear")


def test_pipeline_step_parameters(make_search):
    pipe = Pipeline([("scale", StandardScaler()), ("clf", LogisticRegression(max_iter=500))])
    space = {"clf__C": Real(1e-3, 1e2, log=True), "scale__with_mean": [True, False]}
    search = make_search(pipe, space, n_iter=6, random_state=0, cv=3).fit(X_IRIS, Y_IRIS)
    assert set(search.best_params_) == {"clf__C", "scale__with_mean"}
    assert search.best_estimator_.named_steps["clf"].C == search.best_params_["clf__C"]


# ------------------------------------------------------------------ determinism
def test_same_seed_same_results_whatever_n_jobs(make_search):
    X, y = make_classification(n_samples=120, random_state=0)
    space = {"C": Real(1e-3, 1e2, log=True), "fit_intercept": [True, False]}
    runs = [make_search(LogisticRegression(), space, n_iter=10, random_state=7, cv=3,
                        n_jobs=n_jobs).fit(X, y) for n_jobs in (1, 2)]
    assert runs[0].cv_results_["params"] == runs[1].cv_results_["params"]
    np.testing.assert_array_equal(runs[0].cv_results_["mean_test_score"],
                                  runs[1].cv_results_["mean_test_score"])


def test_seed_forms(make_search):
    a = fn_search(make_search, n_iter=8, random_state=3).fit(X_FN)
    b = fn_search(make_search, n_iter=8, random_state=np.random.RandomState(3)).fit(X_FN)
    c = fn_search(make_search, n_iter=8, random_state=4).fit(X_FN)
    assert a.cv_results_["params"] == b.cv_results_["params"]
    assert a.cv_results_["params"] != c.cv_results_["params"]
    fn_search(make_search, n_iter=4, random_state=None).fit(X_FN)


# ------------------------------------------------------------------ objective
class Recorder(Optimizer):
    """Random proposals that remember every tell."""

    def __init__(self, layout, *, random_state=None, batch_size=3, repeat=False):
        super().__init__(layout, random_state=random_state)
        self.batch_size, self.repeat, self.told = batch_size, repeat, []
        self._first = None

    def ask(self):
        if self.repeat and self._first is not None:
            # the first batch again, plus one new point
            return np.vstack([self._first, self.layout.random(1, self.rng)])
        X = self.layout.random(self.batch_size, self.rng)
        if self._first is None:
            self._first = X
        return X

    def tell(self, X, y):
        self.told.append((np.array(X), np.array(y)))


class RecordingSearch(BaseOptimizerSearch):
    def __init__(self, estimator, param_distributions, *, repeat=False, **common):
        super().__init__(estimator, param_distributions, **common)
        self.repeat = repeat

    def _make_optimizer(self, layout, random_state, budget):
        self.optimizer_ = Recorder(layout, random_state=random_state, repeat=self.repeat)
        return self.optimizer_


def test_duplicate_proposals_are_answered_without_refitting():
    search = RecordingSearch(CountingClassifier(), {"C": Real(0.01, 10.0)}, repeat=True,
                             n_iter=6, cv=3, refit=False, random_state=0)
    search.fit(X_IRIS, Y_IRIS)
    assert len(search.cv_results_["params"]) == 6
    assert CountingClassifier.n_fits == 6 * 3
    first_X, first_y = search.optimizer_.told[0]
    again_X, again_y = search.optimizer_.told[1]
    np.testing.assert_array_equal(again_X[:3], first_X)
    np.testing.assert_array_equal(again_y[:3], first_y)


def test_optimizer_sees_the_refit_metric_with_multi_metric_scoring():
    X, y = make_classification(n_samples=100, random_state=0)
    search = RecordingSearch(LogisticRegression(), {"C": Real(1e-4, 1e2, log=True)},
                             scoring=["accuracy", "neg_log_loss"], refit="neg_log_loss",
                             n_iter=6, cv=3, random_state=0).fit(X, y)
    told = np.concatenate([t[1] for t in search.optimizer_.told])
    np.testing.assert_allclose(told, search.cv_results_["mean_test_neg_log_loss"][:len(told)])
    assert search.best_index_ == np.argmax(search.cv_results_["mean_test_neg_log_loss"])


def test_first_metric_is_optimized_when_refit_is_false():
    X, y = make_classification(n_samples=100, random_state=0)
    search = RecordingSearch(LogisticRegression(), {"C": Real(1e-4, 1e2, log=True)},
                             scoring={"nll": "neg_log_loss", "acc": "accuracy"}, refit=False,
                             n_iter=6, cv=3, random_state=0).fit(X, y)
    told = np.concatenate([t[1] for t in search.optimizer_.told])
    np.testing.assert_allclose(told, search.cv_results_["mean_test_nll"][:len(told)])
    assert not hasattr(search, "best_estimator_")


# ------------------------------------------------------------------ failures
def test_failed_fits_are_told_as_the_worst_score_seen():
    space = {"C": Real(0.01, 10.0), "fail": [False, True]}
    search = RecordingSearch(CountingClassifier(), space, n_iter=9, cv=3, random_state=0)
    with pytest.warns(FitFailedWarning, match="fits failed"):
        search.fit(X_IRIS, Y_IRIS)
    scores = search.cv_results_["mean_test_score"]
    failed = np.array([p["fail"] for p in search.cv_results_["params"]])
    assert failed.any() and (~failed).any()
    assert np.isnan(scores[failed]).all()
    assert not search.best_params_["fail"]
    seen_finite = []
    for X, y in search.optimizer_.told:
        assert np.isfinite(y).all()
        n = len(seen_finite) + len(y)
        batch_scores = scores[len(seen_finite):n]
        seen_finite.extend(batch_scores)
        worst = np.nanmin(scores[:n])
        np.testing.assert_allclose(y[np.isnan(batch_scores)], worst)


def test_error_score_raise_raises(make_search):
    search = make_search(CountingClassifier(fail=True), {"C": Real(0.01, 10.0)}, n_iter=4,
                         error_score="raise")
    with pytest.raises(RuntimeError, match="always fails"):
        search.fit(X_IRIS, Y_IRIS)


def test_first_batch_failing_entirely_is_an_error(make_search):
    search = make_search(CountingClassifier(fail=True), {"C": Real(0.01, 10.0)}, n_iter=20, cv=2)
    with pytest.raises(ValueError, match="All .* candidates of the first batch failed"):
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            search.fit(X_IRIS, Y_IRIS)
    assert CountingClassifier.n_fits < 20 * 2


def test_unknown_parameter_is_refused_before_any_fit(make_search):
    search = make_search(CountingClassifier(), {"C": [1.0, 2.0], "penalty_typo": [1, 2]})
    with pytest.raises(ValueError, match="'penalty_typo'"):
        search.fit(X_IRIS, Y_IRIS)
    assert CountingClassifier.n_fits == 0


# ------------------------------------------------------------------ stopping
def test_max_time_stops_after_the_running_batch(make_search):
    search = fn_search(make_search, n_iter=1000, max_time=1e-9, random_state=0).fit(X_FN)
    assert search.stop_reason_ == "max_time"
    assert len(search.cv_results_["params"]) == len(
        search.cv_results_["iteration"][search.cv_results_["iteration"] == 0])


def test_n_iter_no_change_stops_a_stagnating_search(make_search):
    search = fn_search(make_search, n_iter=500, n_iter_no_change=5, tol=1e9,
                       random_state=0).fit(X_FN)
    assert search.stop_reason_ == "no_change"
    assert len(search.cv_results_["params"]) < 30


def test_callbacks_receive_the_state_and_may_stop(make_search):
    states = []

    def stop_after_ten(state):
        states.append((state.n_candidates, state.best_score, state.iteration))
        return state.n_candidates >= 10

    search = fn_search(make_search, n_iter=200, batch_callbacks=[stop_after_ten],
                       random_state=0).fit(X_FN)
    assert search.stop_reason_ == "callback"
    assert 10 <= len(search.cv_results_["params"]) < 200
    assert states[-1][0] == len(search.cv_results_["params"])
    assert states[-1][1] == search.best_score_
    assert [s[2] for s in states] == list(range(len(states)))


def test_callback_objects_hear_when_the_search_has_ended(make_search):
    class Recorder:
        def __init__(self):
            self.batches, self.ended = [], []

        def __call__(self, state):
            self.batches.append(state.n_candidates)

        def on_search_end(self, search):
            # after the refit: the search is complete
            self.ended.append((len(search.cv_results_["params"]), search.best_estimator_))

    recorder = Recorder()
    search = fn_search(make_search, n_iter=12, batch_callbacks=[recorder], random_state=0).fit(X_FN)
    assert recorder.ended == [(12, search.best_estimator_)]
    assert recorder.batches  # and it saw the batches before


def test_callback_objects_hear_the_search_begin_before_any_file_or_fit(tmp_path):
    from conftest import RandomSearch

    checkpoint = tmp_path / "search.jsonl"

    class Refuser:
        began = []

        def __call__(self, state):
            return False

        def on_search_begin(self, search):
            type(self).began.append((CountingClassifier.n_fits, checkpoint.exists()))
            raise RuntimeError("store closed")

    def search(n_iter=4):
        return RandomSearch(CountingClassifier(), {"C": Real(0.1, 10.0)}, n_iter=n_iter, cv=3,
                            checkpoint=checkpoint, batch_callbacks=[Refuser()])

    with pytest.raises(ValueError, match="n_iter"):  # the parameters are checked first
        search(n_iter=0).fit(X_IRIS, Y_IRIS)
    assert Refuser.began == []
    with pytest.raises(RuntimeError, match="store closed"):
        search().fit(X_IRIS, Y_IRIS)
    assert Refuser.began == [(0, False)]
    assert CountingClassifier.n_fits == 0 and not checkpoint.exists()


def test_keyboard_interrupt_keeps_what_was_evaluated():
    # one candidate in ten interrupts (a prior: repeated choices are not weights)
    space = {"C": Real(0.01, 10.0), "interrupt": rv_discrete(values=([0, 1], [0.9, 0.1]))}
    search = RecordingSearch(CountingClassifier(), space, n_iter=60, cv=2, random_state=0)
    with pytest.warns(UserWarning, match="interrupted after"):
        search.fit(X_IRIS, Y_IRIS)
    assert search.stop_reason_ == "interrupted"
    n = len(search.cv_results_["params"])
    assert 0 < n < 60
    assert not any(p["interrupt"] for p in search.cv_results_["params"])
    assert hasattr(search, "best_estimator_")


def test_stalled_optimizer_stops_with_a_warning():
    class Stuck(RecordingSearch):
        def _make_optimizer(self, layout, random_state, budget):
            class Same(Recorder):
                def ask(self):
                    return np.full((2, layout.n_dims), 0.3)
            return Same(layout, random_state=random_state)

    search = Stuck(FunctionEstimator("sphere"), FunctionEstimator("sphere")._function().space,
                   n_iter=10, cv=2)
    with pytest.warns(UserWarning, match=f"no new candidate in {MAX_STALLED_BATCHES}"):
        search.fit(X_FN)
    assert search.stop_reason_ == "stalled"
    assert len(search.cv_results_["params"]) == 1


# ------------------------------------------------------------------ verbosity, API
def test_verbose_one_prints_one_line_per_batch(make_search):
    out = io.StringIO()
    with redirect_stdout(out):
        search = fn_search(make_search, n_iter=9, verbose=1, random_state=0).fit(X_FN)
    lines = out.getvalue().strip().splitlines()
    assert len(lines) == search.cv_results_["iteration"].max() + 1
    assert lines[-1].startswith(f"[{type(search).__name__}] batch")
    assert "9/9 candidates" in lines[-1]
    assert "Fitting" not in out.getvalue()
    out = io.StringIO()
    with redirect_stdout(out):
        fn_search(make_search, n_iter=9, verbose=0, random_state=0).fit(X_FN)
    assert out.getvalue() == ""
    assert search.verbose == 1


def test_clone_get_params_and_pickle(make_search):
    search = fn_search(make_search, n_iter=5, random_state=0)
    cloned = clone(search)
    assert cloned.get_params(deep=False).keys() == search.get_params(deep=False).keys()
    assert {"n_iter", "random_state", "checkpoint", "max_time"} <= set(search.get_params())
    search.fit(X_FN)
    again = pickle.loads(pickle.dumps(search))
    assert again.best_params_ == search.best_params_
    assert "<div" in search._repr_html_()


@pytest.mark.parametrize("bad, match", [
    ({"n_iter": 0}, "n_iter"),
    ({"n_iter": "ten"}, "n_iter"),
    ({"max_time": -1}, "max_time"),
    ({"n_iter_no_change": 0}, "n_iter_no_change"),
    ({"tol": -0.1}, "tol"),
    ({"checkpoint": 3}, "checkpoint"),
    ({"batch_callbacks": [1]}, "batch_callbacks"),
    ({"scoring": "not_a_metric"}, "not_a_metric"),
    ({"random_state": "seed"}, "random_state"),
])
def test_bad_common_parameters_are_refused_before_any_fit(make_search, bad, match):
    search = make_search(CountingClassifier(), {"C": Real(0.1, 1.0)}, **bad)
    with pytest.raises((ValueError, TypeError), match=match):
        search.fit(X_IRIS, Y_IRIS)
    assert CountingClassifier.n_fits == 0


def test_nested_cross_validation(make_search):
    from sklearn.model_selection import cross_val_score

    search = make_search(LogisticRegression(max_iter=500), {"C": Real(1e-3, 1e2, log=True)},
                         n_iter=4, cv=KFold(3), random_state=0)
    scores = cross_val_score(search, X_IRIS, Y_IRIS, cv=3)
    assert scores.shape == (3,) and (scores > 0.8).all()


def test_a_later_batch_that_fails_entirely_is_recorded_and_the_search_goes_on():
    class FailSecond(Recorder):
        def ask(self):
            X = self.layout.random(2, self.rng)
            X[:, 1:] = [1, 0] if not self.told else [0, 1]  # fail=False, then fail=True
            return X

    class Search(RecordingSearch):
        def _make_optimizer(self, layout, random_state, budget):
            self.optimizer_ = FailSecond(layout, random_state=random_state)
            return self.optimizer_

    search = Search(CountingClassifier(), {"C": Real(0.01, 10.0), "fail": [False, True]},
                    n_iter=6, cv=2, random_state=0)
    with pytest.warns(FitFailedWarning, match="fits failed"):
        search.fit(X_IRIS, Y_IRIS)
    failed = np.array([p["fail"] for p in search.cv_results_["params"]])
    assert len(failed) == 6 and failed[2:].all() and not failed[:2].any()
    assert np.isnan(search.cv_results_["mean_test_score"][2:]).all()
    assert search.best_params_["fail"] is False


# ------------------------------------------------------------------ checkpoints
def checkpoint_search(make_search, path, **kwargs):
    kwargs = {"n_iter": 12, "cv": 3, "random_state": 5, "checkpoint": str(path), **kwargs}
    return make_search(CountingClassifier(), {"C": Real(1e-3, 1e2, log=True)}, **kwargs)


def test_resumed_search_equals_an_uninterrupted_one(make_search, tmp_path):
    whole = checkpoint_search(make_search, tmp_path / "whole.jsonl").fit(X_IRIS, Y_IRIS)
    CountingClassifier.n_fits = 0
    path = tmp_path / "cut.jsonl"
    cut = checkpoint_search(make_search, path, batch_callbacks=lambda s: s.n_candidates >= 5)
    cut.fit(X_IRIS, Y_IRIS)
    n_cut = len(cut.cv_results_["params"])
    assert 5 <= n_cut < 12
    CountingClassifier.n_fits = 0
    resumed = checkpoint_search(make_search, path).fit(X_IRIS, Y_IRIS)
    assert CountingClassifier.n_fits == (12 - n_cut) * 3 + 1  # the rest, and the refit
    assert resumed.cv_results_["params"] == whole.cv_results_["params"]
    for key in ("mean_test_score", "split0_test_score", "iteration", "rank_test_score"):
        np.testing.assert_array_equal(resumed.cv_results_[key], whole.cv_results_[key])
    # a finished journal answers everything: only the refit is fitted
    CountingClassifier.n_fits = 0
    again = checkpoint_search(make_search, path).fit(X_IRIS, Y_IRIS)
    assert CountingClassifier.n_fits == 1
    assert again.cv_results_["params"] == whole.cv_results_["params"]
    assert again.best_params_ == whole.best_params_
    np.testing.assert_array_equal(again.cv_results_["mean_test_score"],
                                  whole.cv_results_["mean_test_score"])


def test_checkpoint_of_another_search_is_refused(make_search, tmp_path):
    path = tmp_path / "journal.jsonl"
    checkpoint_search(make_search, path).fit(X_IRIS, Y_IRIS)
    other = make_search(CountingClassifier(), {"C": Real(1e-2, 1e2, log=True)}, n_iter=12,
                        cv=3, random_state=5, checkpoint=str(path))
    with pytest.raises(ValueError, match="written by another search: its space differs"):
        other.fit(X_IRIS, Y_IRIS)
    other_cv = checkpoint_search(make_search, path, cv=4)
    with pytest.raises(ValueError, match="its cv differs"):
        other_cv.fit(X_IRIS, Y_IRIS)
    other_estimator = make_search(SVC(), {"C": Real(1e-3, 1e2, log=True)}, n_iter=12, cv=3,
                                  random_state=5, checkpoint=str(path))
    with pytest.raises(ValueError, match="its estimator differs"):
        other_estimator.fit(X_IRIS, Y_IRIS)


def test_torn_last_line_is_skipped_with_a_warning(make_search, tmp_path):
    path = tmp_path / "journal.jsonl"
    whole = checkpoint_search(make_search, path).fit(X_IRIS, Y_IRIS)
    lines = path.read_text().splitlines()
    path.write_text("\n".join(lines[:-1]) + "\n" + lines[-1][: len(lines[-1]) // 2])
    with pytest.warns(RuntimeWarning, match="last line is incomplete"):
        resumed = checkpoint_search(make_search, path).fit(X_IRIS, Y_IRIS)
    assert resumed.cv_results_["params"] == whole.cv_results_["params"]
    assert len(path.read_text().splitlines()) == len(lines)


def test_unwritable_checkpoint_is_refused_before_any_fit(make_search, tmp_path):
    search = checkpoint_search(make_search, tmp_path / "missing-dir" / "journal.jsonl")
    with pytest.raises(ValueError, match="cannot be written"):
        search.fit(X_IRIS, Y_IRIS)
    assert CountingClassifier.n_fits == 0


def test_union_that_swaps_a_pipeline_step(make_search):
    from sklearn.tree import DecisionTreeClassifier

    pipe = Pipeline([("scale", StandardScaler()), ("clf", LogisticRegression(max_iter=500))])
    space = [{"clf": [LogisticRegression(max_iter=500)], "clf__C": Real(1e-2, 1e2, log=True)},
             {"clf": [DecisionTreeClassifier(random_state=0)], "clf__max_depth": Integer(1, 8)}]
    search = make_search(pipe, space, n_iter=10, cv=3, random_state=0).fit(X_IRIS, Y_IRIS)
    kinds = {type(p["clf"]).__name__ for p in search.cv_results_["params"]}
    assert kinds == {"LogisticRegression", "DecisionTreeClassifier"}
    for params in search.cv_results_["params"]:
        expected = "clf__C" if isinstance(params["clf"], LogisticRegression) else "clf__max_depth"
        assert set(params) == {"clf", expected}


# ------------------------------------------------------------------ folds
class FoldRecorder(ClassifierMixin, BaseEstimator):
    """A classifier whose score is the first index of its test fold: which fold it got."""

    def __init__(self, C=1.0):
        self.C = C

    def fit(self, X, y):
        self.classes_ = np.unique(y)
        return self

    def predict(self, X):
        return np.zeros(len(X))

    def score(self, X, y):
        return float(X[0, 0])


def test_every_batch_is_scored_on_the_same_folds_even_with_an_unseeded_shuffle(make_search):
    X = np.arange(60, dtype=float)[:, None]
    y = np.tile([0, 1], 30)
    search = make_search(FoldRecorder(), {"C": Real(0.1, 10.0)}, n_iter=12,
                         cv=KFold(3, shuffle=True), random_state=0).fit(X, y)
    assert search.cv_results_["iteration"].max() >= 1  # several batches
    for k in range(3):
        first_sample_of_fold = search.cv_results_[f"split{k}_test_score"]
        assert len(set(first_sample_of_fold)) == 1, k


def test_a_resumed_journal_checks_the_folds(make_search, tmp_path):
    X = np.arange(60, dtype=float)[:, None]
    y = np.tile([0, 1], 30)
    path = tmp_path / "journal.jsonl"
    make_search(FoldRecorder(), {"C": Real(0.1, 10.0)}, n_iter=6, cv=KFold(3, shuffle=True,
                random_state=0), random_state=0, checkpoint=str(path)).fit(X, y)
    import json
    header = json.loads(path.read_text().splitlines()[0])
    assert header["cv"].startswith("3 splits of 60 samples")
    other_folds = make_search(FoldRecorder(), {"C": Real(0.1, 10.0)}, n_iter=6,
                              cv=KFold(3, shuffle=True, random_state=1), random_state=0,
                              checkpoint=str(path))
    with pytest.raises(ValueError, match="its cv differs"):
        other_folds.fit(X, y)
    same = make_search(FoldRecorder(), {"C": Real(0.1, 10.0)}, n_iter=6,
                       cv=KFold(3, shuffle=True, random_state=0), random_state=0,
                       checkpoint=str(path)).fit(X, y)
    assert len(same.cv_results_["params"]) == 6


def test_a_generator_of_splits_is_a_valid_cv(make_search):
    splits = ((np.arange(150) % 3 != k, np.arange(150) % 3 == k) for k in range(3))
    splits = ((np.flatnonzero(train), np.flatnonzero(test)) for train, test in splits)
    search = make_search(LogisticRegression(max_iter=300), {"C": Real(0.1, 10.0)}, n_iter=6,
                         cv=splits, random_state=0).fit(X_IRIS, Y_IRIS)
    assert search.n_splits_ == 3 and len(search.cv_results_["params"]) == 6


class InfiniteScorer(FoldRecorder):
    """Scores +inf, -inf or a number by its parameter ``kind``."""

    def __init__(self, kind="finite", C=1.0):
        self.kind, self.C = kind, C

    def score(self, X, y):
        return {"plus": np.inf, "minus": -np.inf}.get(self.kind, -abs(self.C - 3.0))


def test_infinite_scores_are_failures_for_the_optimizer_and_for_best():
    space = {"kind": ["finite", "plus", "minus"], "C": Real(0.1, 10.0)}
    with warnings.catch_warnings():
        warnings.filterwarnings("ignore", "One or more of the")
        search = RecordingSearch(InfiniteScorer(), space, n_iter=12, cv=2,
                                 random_state=0).fit(X_IRIS, Y_IRIS)
    kinds = np.array([p["kind"] for p in search.cv_results_["params"]])
    assert {"plus", "minus", "finite"} <= set(kinds)
    assert search.best_params_["kind"] == "finite"
    assert np.isfinite(search.best_score_)
    ranks = search.cv_results_["rank_test_score"]
    assert ranks[search.best_index_] == 1
    assert (ranks[kinds != "finite"] == ranks.max()).all()
    scores = search.cv_results_["mean_test_score"]
    for X, told in search.optimizer_.told:
        assert np.isfinite(told).all()
    n = len(search.optimizer_.told[0][1])
    worst = np.min(scores[:n][np.isfinite(scores[:n])])
    first_kinds = kinds[:n]
    np.testing.assert_array_equal(search.optimizer_.told[0][1][first_kinds != "finite"], worst)


def test_verbose_levels_mean_what_they_mean_in_randomized_search(make_search):
    outputs = {}
    for level in (1, 2, 3):
        out = io.StringIO()
        with redirect_stdout(out):
            make_search(LogisticRegression(max_iter=300), {"C": Real(0.1, 10.0)}, n_iter=4,
                        cv=2, verbose=level, random_state=0).fit(X_IRIS, Y_IRIS)
        outputs[level] = out.getvalue()
    assert "[CV] END" not in outputs[1] and "batch 0" in outputs[1]
    assert "[CV] END" in outputs[2] and "score=" not in outputs[2]
    assert "score=" in outputs[3]


def test_a_fit_parameter_the_estimator_lacks_is_quoted_in_the_error(make_search):
    search = make_search(LogisticRegression(), {"C": Real(0.1, 10.0)}, n_iter=4, cv=2)
    with pytest.raises(ValueError, match=r"The first error was: TypeError: .*callbacks"):
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            search.fit(X_IRIS, Y_IRIS, callbacks=[print])
