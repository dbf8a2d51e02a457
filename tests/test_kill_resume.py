"""A search killed with SIGKILL resumes from its checkpoint as if never stopped."""

import json
import os
import signal
import subprocess
import sys
import textwrap
import time
from pathlib import Path

import pytest

from conftest import SEARCHES

SCRIPT = textwrap.dedent(
    """
    import json, os, sys, time
    sys.path.insert(0, {tests!r})
    from sklearn.base import BaseEstimator, ClassifierMixin
    from sklearn.datasets import load_breast_cancer
    from sklearn.linear_model import LogisticRegression
    from conftest import SEARCHES
    from sksearch.space import Real

    class LoggedClassifier(ClassifierMixin, BaseEstimator):
        def __init__(self, C=1.0, tol=1e-4):
            self.C, self.tol = C, tol

        def fit(self, X, y):
            with open(os.environ["FIT_LOG"], "a") as f:
                f.write(json.dumps([self.C, self.tol]) + "\\n")
            time.sleep(float(os.environ.get("FIT_DELAY", "0")))
            self.model_ = LogisticRegression(C=self.C, tol=self.tol, max_iter=300).fit(X, y)
            self.classes_ = self.model_.classes_
            return self

        def predict(self, X):
            return self.model_.predict(X)

    cls, extra = SEARCHES[sys.argv[1]]
    X, y = load_breast_cancer(return_X_y=True)
    X = X[:200] / X[:200].max(axis=0)
    y = y[:200]
    checkpoint = sys.argv[2] if sys.argv[2] != "-" else None
    resource = os.environ.get("RESOURCE") or None  # multi-fidelity: brackets of rungs
    # CONSTRAINED: the parameter constraint of tests/test_constraints.py
    constraints = [lambda p: p["C"] * p["tol"] < 0.01] if os.environ.get("CONSTRAINED") else None
    if os.environ.get("OBJECTIVES"):  # accuracy against the weights' size
        extra = {{**extra, "objectives": {{"score": "maximize", "size": "minimize"}},
                 "scoring": {{"score": "accuracy",
                             "size": lambda m, X, y: float(abs(m.model_.coef_).sum())}}}}
    search = cls(LoggedClassifier(), {{"C": Real(1e-3, 1e3, log=True),
                                       "tol": Real(1e-5, 1e-2, log=True)}},
                 n_iter=24, cv=3, random_state=11, refit=False, checkpoint=checkpoint,
                 resource=resource, constraints=constraints, **extra)
    search.fit(X, y)
    json.dump({{"params": search.cv_results_["params"],
               "scores": search.cv_results_["mean_test_score"].tolist(),
               "iteration": search.cv_results_["iteration"].tolist(),
               "n_resources": [int(n) for n in search.cv_results_.get("n_resources", [])]}},
              open(sys.argv[3], "w"))
    """
)


def run(tmp_path, name, checkpoint, result, fit_log, delay, wait=True, resource="",
        objectives=""):
    script = tmp_path / "search.py"
    script.write_text(SCRIPT.format(tests=str(Path(__file__).parent)))
    env = {**os.environ, "FIT_LOG": str(fit_log), "FIT_DELAY": str(delay),
           "OPENBLAS_NUM_THREADS": "1", "OMP_NUM_THREADS": "1", "RESOURCE": resource,
           "OBJECTIVES": objectives}
    proc = subprocess.Popen([sys.executable, str(script), name, str(checkpoint), str(result)],
                            env=env)
    if wait:
        assert proc.wait(timeout=300) == 0
    return proc


def batches_in(journal):
    if not journal.exists():
        return 0
    return sum(1 for line in journal.read_text().splitlines() if '"batch"' in line)


@pytest.mark.parametrize("name, objectives", [(name, "") for name in sorted(SEARCHES)]
                         + [("genetic", "yes"), ("bayes-gp", "yes")])
def test_sigkill_then_resume_equals_an_uninterrupted_run(tmp_path, name, objectives):
    """Also with two objectives (accuracy, named "score", against the weights' size)."""
    whole = tmp_path / "whole.json"
    run(tmp_path, name, "-", whole, tmp_path / "whole.log", delay=0, objectives=objectives)

    journal, fit_log, result = tmp_path / "journal.jsonl", tmp_path / "fits.log", tmp_path / "r.json"
    proc = run(tmp_path, name, journal, result, fit_log, delay=0.05, wait=False,
               objectives=objectives)
    deadline = time.monotonic() + 240
    while batches_in(journal) < 2:
        assert proc.poll() is None, "the search ended before it could be killed"
        assert time.monotonic() < deadline
        time.sleep(0.02)
    proc.send_signal(signal.SIGKILL)
    proc.wait()
    assert not result.exists()

    # what the journal holds was fitted before the kill; nothing of it is fitted again
    n_journaled = 0
    for line in journal.read_text().splitlines()[1:]:
        try:
            n_journaled += len(json.loads(line)["rows"])
        except json.JSONDecodeError:
            pass  # a line torn by the kill
    assert n_journaled >= 2
    n_fits_before = len(fit_log.read_text().splitlines())

    run(tmp_path, name, journal, result, fit_log, delay=0, objectives=objectives)
    expected, resumed = json.loads(whole.read_text()), json.loads(result.read_text())
    assert resumed == expected

    kept = {(p["C"], p["tol"]) for p in expected["params"][:n_journaled]}
    refitted = [tuple(json.loads(line)) for line in
                fit_log.read_text().splitlines()[n_fits_before:]]
    assert not kept & set(refitted), "a journaled batch was fitted again"
    assert len(refitted) == 3 * (len(expected["params"]) - n_journaled)


@pytest.mark.parametrize("name", ["bayes-gp", "pso"])
def test_sigkill_mid_bracket_then_resume_equals_an_uninterrupted_run(tmp_path, name):
    whole = tmp_path / "whole.json"
    run(tmp_path, name, "-", whole, tmp_path / "whole.log", delay=0, resource="n_samples")
    expected = json.loads(whole.read_text())
    assert len(set(expected["n_resources"])) >= 3  # rungs of several resources

    journal, fit_log, result = tmp_path / "journal.jsonl", tmp_path / "fits.log", tmp_path / "r.json"
    proc = run(tmp_path, name, journal, result, fit_log, delay=0.05, wait=False,
               resource="n_samples")
    deadline = time.monotonic() + 240
    while batches_in(journal) < 2:  # the first bracket has three rungs: this is within it
        assert proc.poll() is None, "the search ended before it could be killed"
        assert time.monotonic() < deadline
        time.sleep(0.02)
    proc.send_signal(signal.SIGKILL)
    proc.wait()
    n_journaled = 0
    for line in journal.read_text().splitlines()[1:]:
        try:
            n_journaled += len(json.loads(line)["rows"])
        except json.JSONDecodeError:
            pass
    n_fits_before = len(fit_log.read_text().splitlines())

    run(tmp_path, name, journal, result, fit_log, delay=0, resource="n_samples")
    assert json.loads(result.read_text()) == expected
    refitted = len(fit_log.read_text().splitlines()) - n_fits_before
    assert refitted == 3 * (len(expected["params"]) - n_journaled)  # journaled rungs are not


def test_sigkill_at_any_moment_of_a_resume_leaves_a_journal_that_resumes(tmp_path):
    name = "pso"
    whole = tmp_path / "whole.json"
    run(tmp_path, name, "-", whole, tmp_path / "whole.log", delay=0)
    journal, fit_log, result = tmp_path / "journal.jsonl", tmp_path / "fits.log", tmp_path / "r.json"
    proc = run(tmp_path, name, journal, result, fit_log, delay=0.05, wait=False)
    while batches_in(journal) < 2:
        assert proc.poll() is None, "the search ended before it could be killed"
        time.sleep(0.02)
    proc.send_signal(signal.SIGKILL)
    proc.wait()
    with open(journal, "ab") as f:  # and a torn line, as a kill while writing leaves
        f.write(b'{"batch": 7, "X": [[0.1')
    # resumes killed while importing, cutting the torn line, replaying, fitting
    for delay in (0.3, 0.8, 1.3, 1.8, 2.5, 3.5):
        proc = run(tmp_path, name, journal, result, fit_log, delay=0.05, wait=False)
        time.sleep(delay)
        proc.send_signal(signal.SIGKILL)
        proc.wait()
        lines = journal.read_bytes().split(b"\n")
        for line in lines[:-1]:
            json.loads(line)  # every complete line is whole
    run(tmp_path, name, journal, result, fit_log, delay=0)
    assert json.loads(result.read_text()) == json.loads(whole.read_text())
