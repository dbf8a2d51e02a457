"""scikit-learn's callback API (1.9+) sees every candidate x fold of a search."""

import warnings

import pytest
from sklearn.datasets import load_iris
from sklearn.svm import SVC

from sksearch.space import Real

callback = pytest.importorskip("sklearn.callback")

X, Y = load_iris(return_X_y=True)


class TaskRecorder:
    """A FitCallback that records every task that ends: its name, its parent's
    name and how many subtasks it announced."""

    def __init__(self):
        self.ended = []
        self.tree = []

    def setup(self, estimator, context):
        pass

    def teardown(self, estimator, context):
        pass

    def on_fit_task_begin(self, estimator, context, **kwargs):
        pass

    def on_fit_task_end(self, estimator, context, **kwargs):
        self.ended.append(context.task_name)
        parent = context.parent.task_name if context.parent is not None else None
        self.tree.append((context.task_name, parent, context.max_subtasks))


def test_callbacks_see_one_task_per_candidate_and_fold(make_search):
    recorder = TaskRecorder()
    search = make_search(SVC(), {"C": Real(0.01, 10.0)}, n_iter=7, cv=3, random_state=0)
    search.set_callbacks(recorder)
    with warnings.catch_warnings():
        warnings.filterwarnings("ignore", "The estimator SVC does not support callbacks")
        search.fit(X, Y)
    assert recorder.ended.count("candidate-split-evaluation") == 7 * 3
    # one progress task for the whole search: every candidate x fold is its
    # direct subtask, out of the n_iter x n_splits it announced
    evaluations = [t for t in recorder.tree if t[0] == "candidate-split-evaluation"]
    assert {parent for _, parent, _ in evaluations} == {"search"}
    assert ("search", "fit", 7 * 3) in recorder.tree
    assert recorder.ended.count("search") == 1
    assert recorder.ended.count("refit-with-best-params") == 1
    assert recorder.ended[-1] == "fit"


def test_progress_bar_runs_through_a_whole_search(make_search, capsys):
    search = make_search(SVC(), {"C": Real(0.01, 10.0)}, n_iter=6, cv=2, random_state=0)
    search.set_callbacks(callback.ProgressBar())
    with warnings.catch_warnings():
        warnings.filterwarnings("ignore", "The estimator SVC does not support callbacks")
        search.fit(X, Y)
    assert len(search.cv_results_["params"]) == 6


def test_a_scikit_learn_callback_in_batch_callbacks_points_to_set_callbacks(make_search):
    search = make_search(SVC(), {"C": Real(0.01, 10.0)}, n_iter=4,
                         batch_callbacks=[TaskRecorder()])
    with pytest.raises(TypeError, match=r"scikit-learn callback: pass it with "
                                        r"search.set_callbacks\(...\)"):
        search.fit(X, Y)


def test_callbacks_keyword_points_to_both_kinds(make_search):
    with pytest.raises(TypeError, match=r"batch_callbacks .*set_callbacks"):
        make_search(SVC(), {"C": Real(0.01, 10.0)}, callbacks=[TaskRecorder()])


def test_callbacks_see_every_rung_of_a_multi_fidelity_search(make_search, capsys):
    recorder = TaskRecorder()
    search = make_search(SVC(), {"C": Real(0.01, 10.0)}, n_iter=4, cv=3, random_state=0,
                         resource="n_samples")
    search.set_callbacks(recorder, callback.ProgressBar())
    with warnings.catch_warnings():
        warnings.filterwarnings("ignore", "The estimator SVC does not support callbacks")
        search.fit(X, Y)
    n_rows = len(search.cv_results_["params"])
    assert n_rows > 4  # candidates at several rungs
    assert recorder.ended.count("candidate-split-evaluation") == n_rows * 3
    assert ("search", "fit", None) in recorder.tree  # how many rungs: not known ahead
