"""Fit reuse across rungs: a promoted candidate's fold models continue."""

import json
import os
import signal
import subprocess
import sys
import textwrap
import time
import warnings
from pathlib import Path

import numpy as np
import pytest
from sklearn.base import clone
from sklearn.datasets import make_classification
from sklearn.ensemble import HistGradientBoostingClassifier, RandomForestClassifier
from sklearn.model_selection import KFold
from sklearn.neural_network import MLPClassifier
from sklearn.pipeline import make_pipeline
from sklearn.preprocessing import StandardScaler
from sklearn.svm import SVC

from sksearch import BayesSearchCV
from sksearch.engine.fidelity._continuation import how_it_continues
from sksearch.space import Integer, Real

X, Y = make_classification(n_samples=240, n_features=8, random_state=0)
CV = KFold(3, shuffle=True, random_state=0)

#: estimator, its space, its resource
TASKS = {
    "forest": (RandomForestClassifier(n_estimators=27, random_state=0),
               {"max_depth": Integer(1, 8)}, "n_estimators"),
    "boosting": (HistGradientBoostingClassifier(max_iter=27, random_state=0),
                 {"max_leaf_nodes": Integer(3, 31)}, "max_iter"),
    "mlp": (MLPClassifier(hidden_layer_sizes=(8,), max_iter=27, random_state=0),
            {"alpha": Real(1e-5, 1e-1, log=True)}, "max_iter"),
}


def _search(task, **kwargs):
    estimator, space, resource = TASKS[task]
    kwargs = {"n_iter": 4, "cv": CV, "resource": resource, "random_state": 0,
              "min_resources": 3, "refit": False, **kwargs}
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # the MLP's convergence warnings
        return BayesSearchCV(estimator, space, **kwargs).fit(X, Y)


def _by_hand(estimator, params, chain, resource, how):
    """Each fold's score of ``params`` trained along ``chain`` with warm_start by hand."""
    scores = []
    for train, test in CV.split(X, Y):
        model = clone(estimator).set_params(**params, **{resource: chain[0]})
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            model.fit(X[train], Y[train])
            for done, target in zip(chain, chain[1:]):
                value = target if how == "total" else target - done
                model.set_params(warm_start=True, **{resource: value})
                model.fit(X[train], Y[train])
        scores.append(model.score(X[test], Y[test]))
    return scores


@pytest.mark.parametrize("task", sorted(TASKS))
def test_a_continued_fit_equals_the_estimators_own_warm_start(task):
    estimator, _, resource = TASKS[task]
    how = how_it_continues(estimator, resource)
    results = _search(task).cv_results_
    continued = np.flatnonzero(results["continued_from"] > 0)
    assert len(continued) >= 2
    without = [{k: v for k, v in p.items() if k != resource} for p in results["params"]]
    for i in continued:
        params = without[i]
        chain = [int(r) for j, r in enumerate(results["n_resources"])
                 if without[j] == params and j <= i]
        assert chain[-2] == results["continued_from"][i]
        got = [results[f"split{k}_test_score"][i] for k in range(3)]
        assert got == pytest.approx(_by_hand(estimator, params, chain, resource, how))


def test_continued_forests_and_boosting_score_as_fresh_fits_and_cost_less():
    for task in ("forest", "boosting"):
        fresh = _search(task, reuse_fits=False).cv_results_
        reused = _search(task).cv_results_
        assert (fresh["continued_from"] == 0).all()
        np.testing.assert_allclose(reused["mean_test_score"], fresh["mean_test_score"])
        assert reused["params"] == fresh["params"]


def test_a_tiny_memory_bound_makes_every_promotion_refit_with_the_same_scores():
    bounded = _search("forest", reuse_memory=1).cv_results_
    unbounded = _search("forest").cv_results_
    assert (bounded["continued_from"] == 0).all() and (unbounded["continued_from"] > 0).any()
    np.testing.assert_allclose(bounded["mean_test_score"], unbounded["mean_test_score"])


def test_a_pipeline_continues_the_step_that_owns_the_resource():
    pipe = make_pipeline(StandardScaler(), RandomForestClassifier(n_estimators=27,
                                                                  random_state=0))
    kwargs = {"n_iter": 4, "cv": CV, "resource": "randomforestclassifier__n_estimators",
              "random_state": 0, "min_resources": 3, "refit": False}
    space = {"randomforestclassifier__max_depth": Integer(1, 8)}
    reused = BayesSearchCV(pipe, space, **kwargs).fit(X, Y).cv_results_
    fresh = BayesSearchCV(pipe, space, reuse_fits=False, **kwargs).fit(X, Y).cv_results_
    assert (reused["continued_from"] > 0).any()
    np.testing.assert_allclose(reused["mean_test_score"], fresh["mean_test_score"])


def test_n_jobs_does_not_change_a_search_with_continued_fits():
    one = _search("mlp", n_jobs=1).cv_results_
    two = _search("mlp", n_jobs=2).cv_results_
    assert one["params"] == two["params"]
    np.testing.assert_array_equal(one["mean_test_score"], two["mean_test_score"])
    np.testing.assert_array_equal(one["continued_from"], two["continued_from"])


def test_an_estimator_without_warm_start_is_fitted_from_zero_at_every_rung():
    assert how_it_continues(SVC(), "max_iter") is None
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # SVC's max_iter convergence warnings
        search = BayesSearchCV(SVC(max_iter=81), {"C": Real(0.1, 10.0, log=True)}, n_iter=3,
                               cv=3, resource="max_iter", min_resources=3,
                               random_state=0).fit(X, Y)
    results = search.cv_results_
    assert (results["continued_from"] == 0).all() and len(set(results["n_resources"])) > 1
    assert np.isfinite(results["mean_test_score"]).all()


SCRIPT = textwrap.dedent("""
    import json, sys, warnings
    sys.path.insert(0, {tests!r})
    warnings.simplefilter("ignore")
    from test_continuation import _search
    search = _search("mlp", n_iter=6, checkpoint=sys.argv[1])
    r = search.cv_results_
    json.dump({{"params": r["params"], "scores": r["mean_test_score"].tolist(),
               "continued_from": r["continued_from"].tolist(),
               "iteration": r["iteration"].tolist()}}, open(sys.argv[2], "w"))
""")


def test_sigkill_mid_bracket_then_resume_equals_the_uninterrupted_run(tmp_path):
    script = tmp_path / "search.py"
    script.write_text(SCRIPT.format(tests=str(Path(__file__).parent)))
    env = {**os.environ, "OPENBLAS_NUM_THREADS": "1", "OMP_NUM_THREADS": "1"}

    def run(journal, out, wait=True):
        proc = subprocess.Popen([sys.executable, str(script), str(journal), str(out)], env=env)
        if wait:
            assert proc.wait(timeout=300) == 0
        return proc

    run(tmp_path / "whole.jsonl", tmp_path / "whole.json")
    whole = json.loads((tmp_path / "whole.json").read_text())
    assert any(whole["continued_from"])
    journal = tmp_path / "killed.jsonl"
    proc = run(journal, tmp_path / "never.json", wait=False)
    deadline = time.monotonic() + 300
    # killed once the first rung is journaled and before the search ends
    while not (journal.exists() and journal.read_text().count('"batch"') >= 1):
        assert proc.poll() is None and time.monotonic() < deadline
        time.sleep(0.01)
    proc.send_signal(signal.SIGKILL)
    assert proc.wait() == -signal.SIGKILL  # killed, not finished
    journaled = {json.loads(line)["batch"] for line in journal.read_text().splitlines()[1:]
                 if '"batch"' in line}
    # the resumed search continues a rung whose models died with the process
    assert any(c and i > max(journaled)
               for c, i in zip(whole["continued_from"], whole["iteration"]))
    run(journal, tmp_path / "resumed.json")
    resumed = json.loads((tmp_path / "resumed.json").read_text())
    assert resumed == whole


def test_the_kept_models_are_measured_whether_they_pickle_or_not():
    import pickle

    from sksearch.engine.fidelity._continuation import model_bytes

    forest = RandomForestClassifier(n_estimators=10, random_state=0).fit(X, Y)
    assert 0.8 < model_bytes(forest) / len(pickle.dumps(forest)) < 1.25
    local = type("LocalForest", (RandomForestClassifier,), {})  # a class pickle cannot find
    model = local(n_estimators=10, random_state=0).fit(X, Y)
    with pytest.raises(Exception):
        pickle.dumps(model)
    assert model_bytes(model) == pytest.approx(model_bytes(forest), rel=0.05)


def test_a_continued_balanced_forest_does_not_warn_about_other_data():
    # the warning is about warm starts on data other than the first fit's; a
    # continued fold model is fitted on its own fold again
    forest = RandomForestClassifier(n_estimators=27, class_weight="balanced", random_state=0)
    with warnings.catch_warnings():
        warnings.filterwarnings("error", 'class_weight presets "balanced"')
        results = BayesSearchCV(forest, {"max_depth": Integer(1, 8)}, n_iter=4, cv=CV,
                                resource="n_estimators", min_resources=3, refit=False,
                                random_state=0).fit(X, Y).cv_results_
    assert (results["continued_from"] > 0).any()


def test_models_of_an_earlier_rung_stay_kept_for_a_later_promotion():
    from sksearch.engine.fidelity._continuation import Continuation, model_bytes
    from sksearch.engine.fidelity._resources import Resource

    small = RandomForestClassifier(n_estimators=3, random_state=0).fit(X, Y)
    size = 3 * model_bytes(small)  # one candidate's three fold models
    kept = Continuation(Resource("n_estimators", [3, 9, 27]), "total", 3,
                        max_bytes=int(2.5 * size))
    kept.note(["a", "b"], 3)
    kept.keep(["a", "b"], [[small] * 3] * 2)  # rung 0 of a narrow first climb
    kept.note(["b"], 9)
    kept.keep(["b"], [[small] * 3])  # b promoted: a's rung-0 models stay
    kept.note(["a"], 9)
    models, chain, start = kept.plan(["a"], [{"n_estimators": 9}])[0]
    assert models == [small] * 3 and start == 3 and chain == [{"n_estimators": 9,
                                                               "warm_start": True}]
    # beyond the bound, the models kept longest go first: fitted from zero if promoted
    kept.note(["c", "d"], 3)
    kept.keep(["c", "d"], [[small] * 3] * 2)
    kept.note(["b"], 27)
    assert kept.plan(["b"], [{"n_estimators": 27}])[0] == (None, [{"n_estimators": 27}], 0)
