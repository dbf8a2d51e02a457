"""A checkpoint is bound to its search, survives anything, and never mixes two searches."""

import json
import os
import subprocess
import sys
import textwrap
import time
import warnings

import numpy as np
import pytest
from sklearn.datasets import load_iris
from sklearn.linear_model import LogisticRegression
from sklearn.model_selection import KFold

from conftest import SEARCHES, CountingLogistic, RandomSearch
from sksearch import BayesSearchCV, PSOSearchCV
from sksearch.base import read_journal
from sksearch.engine._journal import VERSION, _chained
from sksearch.space import Real

X_IRIS, Y_IRIS = load_iris(return_X_y=True)
SPACE = {"C": Real(1e-3, 1e2, log=True)}


def search(path, **kwargs):
    kwargs = {"n_iter": 8, "cv": 3, "random_state": 0, "checkpoint": str(path),
              "batch_size": 4, **kwargs}
    estimator = kwargs.pop("estimator", LogisticRegression(max_iter=300))
    return RandomSearch(estimator, kwargs.pop("space", SPACE), **kwargs)


def written(path, **kwargs):
    search(path, **kwargs).fit(X_IRIS, Y_IRIS)
    return path.read_bytes()


class _OtherLogistic(LogisticRegression):
    pass


class _Counted(CountingLogistic):
    n_fits = 0


# Each field of the fingerprint: a journal written with one setting is refused
# under another, with an error naming the field, and is left untouched.
VARIANTS = {
    "search": ({}, {"search_class": BayesSearchCV}),
    "search_params": ({"batch_size": 4}, {"batch_size": 2}),
    "estimator": ({}, {"estimator": _OtherLogistic(max_iter=300)}),
    "estimator_params": ({}, {"estimator": LogisticRegression(max_iter=301)}),
    "space": ({}, {"space": {"C": Real(1e-2, 1e2, log=True)}}),
    "scoring": ({}, {"scoring": "balanced_accuracy"}),
    "objective": ({"scoring": ["accuracy", "f1_macro"], "refit": "accuracy"},
                  {"scoring": ["accuracy", "f1_macro"], "refit": "f1_macro"}),
    "error_score": ({}, {"error_score": 0.0}),
    "return_train_score": ({}, {"return_train_score": True}),
    "cv": ({}, {"cv": KFold(3, shuffle=True, random_state=1)}),
    "data": ({}, {"X": X_IRIS * 1.01}),
    "fit_params": ({}, {"sample_weight": np.ones(len(Y_IRIS))}),
}


def fit_variant(path, kwargs):
    kwargs = dict(kwargs)
    X = kwargs.pop("X", X_IRIS)
    fit_params = {"sample_weight": kwargs.pop("sample_weight")} if "sample_weight" in kwargs else {}
    cls = kwargs.pop("search_class", None)
    if cls is not None:
        made = cls(LogisticRegression(max_iter=300), SPACE, n_iter=8, cv=3, random_state=0,
                   checkpoint=str(path))
    else:
        made = search(path, **kwargs)
    return made.fit(X, Y_IRIS, **fit_params)


@pytest.mark.parametrize("field", sorted(VARIANTS))
def test_a_journal_of_another_search_is_refused_naming_the_field(tmp_path, field):
    first, second = VARIANTS[field]
    path = tmp_path / "journal.jsonl"
    fit_variant(path, first)
    before = path.read_bytes()
    match = rf"written by another search: its {field}(\[.*\])? differs"
    with pytest.raises(ValueError, match=match):
        fit_variant(path, second)
    assert path.read_bytes() == before
    fit_variant(path, first)  # the journal still resumes its own search


def test_other_features_with_the_same_shape_are_another_search(tmp_path):
    path = tmp_path / "journal.jsonl"
    search(path).fit(X_IRIS, Y_IRIS)
    with pytest.raises(ValueError, match=r"its data\['X'\] differs"):
        search(path).fit(X_IRIS[:, ::-1], Y_IRIS)
    with pytest.raises(ValueError, match=r"its data\['X'\] differs"):
        search(path).fit(X_IRIS[:, :2], Y_IRIS)


def test_another_random_state_is_refused(tmp_path):
    path = tmp_path / "journal.jsonl"
    before = written(path)
    with pytest.raises(ValueError, match="another random_state"):
        search(path, random_state=1).fit(X_IRIS, Y_IRIS)
    assert path.read_bytes() == before


def test_resume_with_train_scores(make_search, tmp_path):
    path = tmp_path / "journal.jsonl"
    kwargs = dict(n_iter=6, cv=3, random_state=0, return_train_score=True,
                  checkpoint=str(path))
    whole = make_search(LogisticRegression(max_iter=300), SPACE, **kwargs).fit(X_IRIS, Y_IRIS)
    again = make_search(LogisticRegression(max_iter=300), SPACE, **kwargs).fit(X_IRIS, Y_IRIS)
    np.testing.assert_array_equal(again.cv_results_["mean_train_score"],
                                  whole.cv_results_["mean_train_score"])


# ------------------------------------------------------------------ files that are not journals
NOT_JOURNALS = {
    "a number": b"42\n",
    "an empty object": b"{}\n",
    "a list": b"[1, 2, 3]\n",
    "binary": bytes(range(256)) * 4,
    "one line of text": b"my notes about the experiment",
    "csv": b"a,b\n1,2\n",
}


@pytest.mark.parametrize("name", sorted(NOT_JOURNALS))
def test_a_file_that_is_not_a_journal_is_refused_and_left_alone(tmp_path, name):
    path = tmp_path / "file"
    path.write_bytes(NOT_JOURNALS[name])
    with pytest.raises(ValueError, match="is not a sksearch checkpoint journal"):
        search(path).fit(X_IRIS, Y_IRIS)
    assert path.read_bytes() == NOT_JOURNALS[name]


def test_a_directory_or_a_device_is_refused(tmp_path):
    with pytest.raises(ValueError, match="not a regular file"):
        search(tmp_path).fit(X_IRIS, Y_IRIS)
    link = tmp_path / "null"
    link.symlink_to("/dev/null")
    with pytest.raises(ValueError, match="not a regular file"):
        search(link).fit(X_IRIS, Y_IRIS)


def _journal_lines(tmp_path):
    path = tmp_path / "journal.jsonl"
    written(path)
    return path, path.read_text().splitlines()


def _signed(lines):
    """``lines`` with each JSON object's digest chained again: a damage the chain
    does not see (code that wrote a wrong record), for the checks behind it."""
    signed, digest = [], None
    for line in lines:
        try:
            record = json.loads(line)
        except json.JSONDecodeError:
            signed.append(line)
            continue
        record.pop("digest", None)
        digest = _chained(digest, record)
        signed.append(json.dumps({**record, "digest": digest}))
    return signed


@pytest.mark.parametrize("damage, match", [
    (lambda lines: [lines[0].replace('"seed"', '"sed"')] + lines[1:], r"line 1: the header lacks \['seed'\]"),
    (lambda lines: [lines[0].replace(f'"version": {VERSION}', '"version": 9')] + lines[1:],
     "journal version 9"),
    (lambda lines: lines[:1] + ['{"batch": 0, "X": [[0.5]], "rows": [0], "out": []}'] + lines[2:],
     "line 2: out holds 0 records, not 1 candidates x 3 splits"),
    (lambda lines: lines[:1] + ['{"batch": 0, "X": [[0.5, 1]], "rows": [0], "out": []}'],
     "line 2: X is not a list of points of 1 numbers"),
    (lambda lines: lines[:1] + ['{"batch": 0, "X": [[0.5]], "rows": [3], "out": []}'],
     "line 2: rows is not a list of distinct row indices"),
    (lambda lines: lines[:1] + ['{"rows": [1, 2]}'] + lines[2:], "line 2: not a batch record"),
    (lambda lines: lines[:2] + ["not json"] + lines[3:], "line 3: not a JSON journal line"),
])
def test_a_damaged_journal_is_one_clear_error(tmp_path, damage, match):
    path, lines = _journal_lines(tmp_path)
    path.write_text("\n".join(_signed(damage(lines))) + "\n")
    before = path.read_bytes()
    with pytest.raises(ValueError, match=match):
        search(path).fit(X_IRIS, Y_IRIS)
    assert path.read_bytes() == before


def _edit_a_score(lines):
    record = json.loads(lines[1])
    record["out"][0]["test_scores"] = 42.0
    return lines[:1] + [json.dumps(record)] + lines[2:]


@pytest.mark.parametrize("edit, bad_line", [
    (_edit_a_score, 2),
    (lambda lines: [lines[0].replace('"budget": 8', '"budget": 80')] + lines[1:], 1),
    (lambda lines: lines[:1] + lines[2:], 2),  # a batch removed
    (lambda lines: lines[:1] + lines[2:3] + lines[1:2] + lines[3:], 2),  # two batches swapped
    (lambda lines: lines + lines[-1:], -1),  # a batch repeated
    (lambda lines: lines[:1] + [lines[1].replace('"digest": "', '"digest": "0')] + lines[2:],
     2),
])
def test_a_journal_changed_by_hand_is_refused_naming_the_first_bad_line(tmp_path, edit,
                                                                          bad_line):
    path, lines = _journal_lines(tmp_path)
    edited = edit(lines)
    path.write_text("\n".join(edited) + "\n")
    before = path.read_bytes()
    _Counted.n_fits = 0
    counted = search(path, estimator=_Counted())
    match = f"line {bad_line % (len(edited) + 1)}: the line fails its integrity check"
    with pytest.raises(ValueError, match=match):
        counted.fit(X_IRIS, Y_IRIS)
    assert _Counted.n_fits == 0  # refused before any fit
    with pytest.raises(ValueError, match=match):
        read_journal(path)
    assert path.read_bytes() == before


def test_a_torn_last_line_is_cut_without_rewriting_the_rest(tmp_path):
    path, lines = _journal_lines(tmp_path)
    complete = ("\n".join(lines[:-1]) + "\n").encode()
    path.write_bytes(complete + lines[-1][:20].encode())
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        search(path).fit(X_IRIS, Y_IRIS)
    torn = [w for w in caught if "last line is incomplete" in str(w.message)]
    assert len(torn) == 1  # one warning, once
    data = path.read_bytes()
    assert data.startswith(complete)  # the complete lines are the same bytes
    assert data.count(b"\n") == len(lines)


def test_two_searches_cannot_write_one_journal(tmp_path):
    path = tmp_path / "journal.jsonl"
    script = textwrap.dedent(f"""
        import sys, time
        sys.path.insert(0, {os.path.dirname(__file__)!r})
        from sklearn.base import BaseEstimator, ClassifierMixin
        from sklearn.datasets import load_iris
        from conftest import RandomSearch
        from sksearch.space import Real

        class Slow(ClassifierMixin, BaseEstimator):
            def __init__(self, C=1.0):
                self.C = C
            def fit(self, X, y):
                time.sleep(0.5)
                self.classes_ = sorted(set(y))
                return self
            def predict(self, X):
                return [self.classes_[0]] * len(X)

        X, y = load_iris(return_X_y=True)
        RandomSearch(Slow(), {{"C": Real(0.1, 1.0)}}, n_iter=40, cv=2,
                     checkpoint={str(path)!r}, random_state=0).fit(X, y)
    """)
    proc = subprocess.Popen([sys.executable, "-c", script])
    try:
        deadline = time.monotonic() + 120
        while not (path.exists() and path.read_bytes().count(b"\n") >= 1):
            assert proc.poll() is None and time.monotonic() < deadline
            time.sleep(0.05)
        with pytest.raises(ValueError, match="in use by another running search"):
            search(path).fit(X_IRIS, Y_IRIS)
    finally:
        proc.kill()
        proc.wait()
    # the writer is gone: its journal resumes
    header = path.read_text().splitlines()[0]
    assert '"format": "sksearch-journal"' in header


def test_the_fingerprint_is_the_same_in_every_process(tmp_path):
    code = ("from sksearch.engine._fingerprint import canonical; from sksearch.space import Space; "
            "print(canonical(Space({'features': [{'age', 'income', 'zip', 'score'}, {'a'}], "
            "'k': [frozenset({'x', 'y', 'z'})]}).subspaces))")
    outputs = {subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                              env={**os.environ, "PYTHONHASHSEED": str(seed)}, check=True).stdout
               for seed in (1, 2)}
    assert len(outputs) == 1


# ------------------------------------------------------------------ continuation
@pytest.mark.parametrize("name", sorted(SEARCHES))
def test_a_larger_n_iter_continues_the_journal(tmp_path, name):
    cls, extra = SEARCHES[name]
    path = tmp_path / "journal.jsonl"

    def make(n_iter):
        return cls(LogisticRegression(max_iter=300), {"C": Real(1e-3, 1e2, log=True),
                                                      "tol": Real(1e-5, 1e-2, log=True)},
                   n_iter=n_iter, cv=3, random_state=0, checkpoint=str(path), **extra)

    short = make(10).fit(X_IRIS, Y_IRIS)
    longer = make(17).fit(X_IRIS, Y_IRIS)
    assert len(longer.cv_results_["params"]) == 17
    assert longer.cv_results_["params"][:10] == short.cv_results_["params"]
    np.testing.assert_array_equal(longer.cv_results_["mean_test_score"][:10],
                                  short.cv_results_["mean_test_score"])
    again = make(17).fit(X_IRIS, Y_IRIS)  # all of it journaled now
    assert again.cv_results_["params"] == longer.cv_results_["params"]
    smaller = make(6).fit(X_IRIS, Y_IRIS)
    assert smaller.cv_results_["params"] == short.cv_results_["params"][:6]


# ------------------------------------------------------------------ faults
def test_a_batch_callback_that_raises_keeps_every_finished_result(tmp_path):
    path = tmp_path / "journal.jsonl"

    def broken(state):
        if state.n_candidates >= 8:
            raise RuntimeError("the callback broke")

    made = search(path, n_iter=20, batch_callbacks=[broken])
    with pytest.raises(RuntimeError, match="the callback broke"):
        made.fit(X_IRIS, Y_IRIS)
    assert len(made.cv_results_["params"]) == 8
    resumed = search(path, n_iter=20).fit(X_IRIS, Y_IRIS)
    assert resumed.cv_results_["params"][:8] == made.cv_results_["params"]


def test_large_designs_are_cheap_in_the_budget():
    # a swarm of 1,000 for a budget of 5, a batch of 200 for 3 remaining candidates
    pso = PSOSearchCV(LogisticRegression(max_iter=300), SPACE, n_particles=1000, n_iter=5,
                      cv=2, random_state=0)
    bayes = BayesSearchCV(LogisticRegression(max_iter=300), SPACE, batch_size=200,
                          n_initial_points=10, n_iter=13, cv=2, random_state=0)
    for made in (pso, bayes):
        made.fit(X_IRIS, Y_IRIS)
        assert len(made.cv_results_["params"]) == len(set(map(repr, made.cv_results_["params"])))
    assert len(pso.cv_results_["params"]) == 5
    assert list(bayes.cv_results_["iteration"]).count(1) == 3


@pytest.mark.parametrize("name", ["pso", "genetic"])
def test_a_continued_journal_resumes_exactly(tmp_path, name):
    cls, extra = SEARCHES[name]

    def make(path, n_iter, **kwargs):
        return cls(LogisticRegression(max_iter=300), {"C": Real(1e-3, 1e2, log=True),
                                                      "tol": Real(1e-5, 1e-2, log=True)},
                   n_iter=n_iter, cv=3, random_state=0, checkpoint=str(path), **extra,
                   **kwargs)

    straight, cut = tmp_path / "straight.jsonl", tmp_path / "cut.jsonl"
    make(straight, 10).fit(X_IRIS, Y_IRIS)
    expected = make(straight, 30).fit(X_IRIS, Y_IRIS)
    make(cut, 10).fit(X_IRIS, Y_IRIS)
    make(cut, 30, batch_callbacks=[lambda state: state.n_candidates >= 18]).fit(X_IRIS, Y_IRIS)
    assert b'"budget": 30' in cut.read_bytes()
    resumed = make(cut, 30).fit(X_IRIS, Y_IRIS)
    assert resumed.cv_results_["params"] == expected.cv_results_["params"]


def test_a_continued_genetic_search_grows_its_default_population(tmp_path):
    path = tmp_path / "journal.jsonl"
    kwargs = dict(cv=3, random_state=0, checkpoint=str(path))
    space = {"C": Real(1e-3, 1e2, log=True), "tol": Real(1e-5, 1e-2, log=True)}
    from sksearch import GeneticSearchCV

    GeneticSearchCV(LogisticRegression(max_iter=300), space, n_iter=16, **kwargs).fit(X_IRIS,
                                                                                       Y_IRIS)
    longer = GeneticSearchCV(LogisticRegression(max_iter=300), space, n_iter=60,
                             **kwargs).fit(X_IRIS, Y_IRIS)
    sizes = np.bincount(longer.cv_results_["iteration"])
    assert sizes[1] == 4 - 1  # a population of 4 (16 // 4), one elite kept
    assert sizes[-2] > sizes[1]  # the population grew with the budget


def test_two_samplers_of_one_class_are_two_spaces(tmp_path):
    class Sampler:
        def __init__(self, centre):
            self.centre = centre

        def rvs(self, random_state=None, size=None):
            return np.random.RandomState(random_state.randint(2**30)).normal(self.centre, 1)

    from sksearch.engine._fingerprint import canonical
    from sksearch.space import Space

    first = canonical(Space({"C": Sampler(0.0)}).subspaces)
    second = canonical(Space({"C": Sampler(5.0)}).subspaces)
    assert first != second
    assert len(Space([{"C": Sampler(0.0)}, {"C": Sampler(5.0)}]).subspaces) == 2


# ------------------------------------------------------------------ callables
def _accuracy(estimator, X, y):
    return estimator.score(X, y)


def _scaled(k):
    return lambda estimator, X, y: k * estimator.score(X, y)


@pytest.mark.parametrize("first, second", [
    (lambda estimator, X, y: estimator.score(X, y),
     lambda estimator, X, y: estimator.score(X, y) - 1.0),  # one repr, two metrics
    (_scaled(1.0), _scaled(-1.0)),  # one code, two closed-over values
])
def test_a_scoring_callable_of_the_same_repr_but_another_metric_is_refused(tmp_path, first,
                                                                           second):
    path = tmp_path / "journal.jsonl"
    search(path, scoring=first).fit(X_IRIS, Y_IRIS)
    before = path.read_bytes()
    with pytest.raises(ValueError, match="its scoring differs"):
        search(path, scoring=second, n_iter=12).fit(X_IRIS, Y_IRIS)
    assert path.read_bytes() == before
    resumed = search(path, scoring=first, n_iter=12).fit(X_IRIS, Y_IRIS)  # its own: resumes
    assert len(resumed.cv_results_["params"]) == 12


def test_a_function_is_fingerprinted_alike_in_every_process():
    code = ("from sksearch.engine._fingerprint import canonical\n"
            "words = {'age', 'income', 'zip', 'score'}\n"
            "def outer(bonus=0.5):\n"
            "    return lambda x: (x in words) + bonus + len([y for y in {'a', 'b'}])\n"
            "print(canonical(outer()))")
    outputs = {subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                              env={**os.environ, "PYTHONHASHSEED": str(seed)}, check=True).stdout
               for seed in (1, 2, 3)}
    assert len(outputs) == 1 and "0x" not in outputs.pop()


class _Epochs(CountingLogistic):
    """Reports each fit to ``on_epoch``, a fit parameter."""

    def fit(self, X, y, on_epoch=None):
        if on_epoch is not None:
            on_epoch(1)
        return super().fit(X, y)


def _closure_over_a_lock():
    import threading

    lock = threading.Lock()

    def log(epoch):
        with lock:
            pass
    return log


def test_a_fit_parameter_that_cannot_be_identified_never_breaks_a_search(tmp_path):
    _Epochs.n_fits = 0
    log = _closure_over_a_lock()
    plain = search(None, estimator=_Epochs(), checkpoint=None).fit(X_IRIS, Y_IRIS, on_epoch=log)
    assert len(plain.cv_results_["params"]) == 8
    path = tmp_path / "journal.jsonl"
    _Epochs.n_fits = 0
    with pytest.raises(ValueError, match=r"fit_params\['on_epoch'\] cannot be identified.*"
                                         "lock.*checkpoint=None"):
        search(path, estimator=_Epochs()).fit(X_IRIS, Y_IRIS, on_epoch=log)
    assert not path.exists() and _Epochs.n_fits == 0
    reuse = search(None, estimator=_Epochs(), checkpoint=None, initial_candidates=plain)
    with pytest.raises(ValueError, match=r"cannot be reused: its fit_params\['on_epoch'\] "
                                         "cannot be identified"):
        reuse.fit(X_IRIS, Y_IRIS, on_epoch=log)
    assert _Epochs.n_fits == 0


def test_a_lambda_fit_parameter_is_checkpointed_by_its_code(tmp_path):
    path = tmp_path / "journal.jsonl"
    epochs = []
    search(path, estimator=_Epochs()).fit(X_IRIS, Y_IRIS, on_epoch=lambda e: None)
    resumed = search(path, estimator=_Epochs(), n_iter=12).fit(X_IRIS, Y_IRIS,
                                                                on_epoch=lambda e: None)
    assert len(resumed.cv_results_["params"]) == 12
    with pytest.raises(ValueError, match=r"its fit_params\['on_epoch'\] differs"):
        search(path, estimator=_Epochs()).fit(X_IRIS, Y_IRIS, on_epoch=epochs.append)


# ------------------------------------------------------------------ random states
def _forest_search(path, random_state, **kwargs):
    from sklearn.ensemble import RandomForestClassifier

    forest = RandomForestClassifier(n_estimators=3, random_state=random_state)
    return search(path, estimator=forest, space={"max_features": Real(0.1, 1.0)},
                  random_state=random_state, n_iter=12, refit=False, **kwargs)


def test_a_random_state_instance_resumes_as_the_uninterrupted_search(tmp_path):
    path = tmp_path / "journal.jsonl"
    whole = _forest_search(None, np.random.RandomState(0), checkpoint=None).fit(X_IRIS, Y_IRIS)
    _forest_search(path, np.random.RandomState(0),
                   batch_callbacks=[lambda state: state.n_candidates >= 4]).fit(X_IRIS, Y_IRIS)
    resumed = _forest_search(path, np.random.RandomState(0), n_jobs=2).fit(X_IRIS, Y_IRIS)
    assert resumed.cv_results_["params"] == whole.cv_results_["params"]
    np.testing.assert_array_equal(resumed.cv_results_["mean_test_score"],
                                  whole.cv_results_["mean_test_score"])


def test_a_consumed_random_state_of_the_estimator_is_another_search(tmp_path):
    # the search draws its seed from the RandomState it shares with the forest, so a
    # resume in the same process would fit the rest with another random stream
    path = tmp_path / "journal.jsonl"
    shared = np.random.RandomState(0)
    interrupted = _forest_search(path, shared,
                                 batch_callbacks=[lambda state: state.n_candidates >= 4])
    interrupted.fit(X_IRIS, Y_IRIS)
    before = path.read_bytes()
    with pytest.raises(ValueError, match=r"its estimator_params\['random_state'\] differs"):
        interrupted.set_params(batch_callbacks=None, n_jobs=2).fit(X_IRIS, Y_IRIS)
    assert path.read_bytes() == before
