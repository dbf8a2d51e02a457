"""MLflowLogger against a real MLflow store in a temporary folder, read back with MlflowClient."""

import mlflow
import numpy as np
import pytest
from conftest import RandomSearch
from sklearn.datasets import load_iris
from sklearn.linear_model import LogisticRegression

from sksearch.mlflow import MLflowLogger
from sksearch.space import Real

X, Y = load_iris(return_X_y=True)
SPACE = {"C": Real(1e-2, 1e2, log=True), "class_weight": [None, "balanced"]}
PARENT = "mlflow.parentRunId"


@pytest.fixture
def client(tmp_path, monkeypatch):
    """A local MLflow store as the tracking URI for the test, and a client on it."""
    monkeypatch.setenv("MLFLOW_ALLOW_FILE_STORE", "true")
    previous = mlflow.get_tracking_uri()
    uri = (tmp_path / "mlruns").as_uri()
    mlflow.set_tracking_uri(uri)
    yield mlflow.MlflowClient(uri)
    mlflow.set_tracking_uri(previous)


def search(callbacks, **kwargs):
    kwargs = {"n_iter": 7, "batch_size": 3, "cv": 3, "random_state": 0, **kwargs}
    return RandomSearch(LogisticRegression(max_iter=300), SPACE, batch_callbacks=callbacks, **kwargs)


def runs_of(client, experiment="sksearch"):
    """(parent runs, {candidate index: run}) of the experiment."""
    experiment_id = client.get_experiment_by_name(experiment).experiment_id
    runs = client.search_runs([experiment_id], max_results=1000)
    parents = [r for r in runs if "sksearch.candidate" not in r.data.tags]
    children = [r for r in runs if "sksearch.candidate" in r.data.tags]
    by_index = {int(r.data.tags["sksearch.candidate"]): r for r in children}
    assert len(by_index) == len(children), "a candidate was logged twice"
    return parents, by_index


def check_candidates(candidates, parent, results):
    assert sorted(candidates) == list(range(len(results["params"])))
    for i, run in candidates.items():
        assert run.data.tags[PARENT] == parent.info.run_id
        assert run.data.params == {k: str(v) for k, v in results["params"][i].items()}
        assert run.data.tags["sksearch.iteration"] == str(results["iteration"][i])
        for key in ("split0_test_score", "split2_test_score", "mean_test_score",
                    "std_test_score", "mean_fit_time", "std_score_time"):
            assert run.data.metrics[key] == pytest.approx(results[key][i])
        assert not any(key.startswith("rank_") for key in run.data.metrics)
        assert run.info.status == "FINISHED"


def test_one_run_per_search_a_nested_run_per_candidate_and_the_best_model(client):
    logger = MLflowLogger(experiment_name="sksearch")
    fitted = search([logger]).fit(X, Y)
    (parent,), candidates = runs_of(client)
    assert parent.info.run_id == logger.run_id_
    assert parent.info.run_name == "RandomSearch" and parent.info.status == "FINISHED"
    assert PARENT not in parent.data.tags
    # every candidate, including the last batch, that ends the search
    check_candidates(candidates, parent, fitted.cv_results_)
    assert parent.data.params["search"] == "RandomSearch"
    assert parent.data.params["batch_size"] == "3" and parent.data.params["random_state"] == "0"
    assert parent.data.metrics["best_score"] == pytest.approx(fitted.best_score_)
    assert parent.data.metrics["n_candidates"] == 7
    assert parent.data.tags["sksearch.stop_reason"] == "n_iter"
    best_run = candidates[fitted.best_index_].info.run_id
    assert parent.data.tags["sksearch.best_run_id"] == best_run

    experiment_id = parent.info.experiment_id
    (model,) = client.search_logged_models(
        [experiment_id], filter_string=f"source_run_id = '{parent.info.run_id}'")
    assert model.name == "best_estimator"
    loaded = mlflow.sklearn.load_model(f"models:/{model.model_id}")
    assert loaded.get_params() == fitted.best_estimator_.get_params()
    np.testing.assert_array_equal(loaded.predict(X), fitted.best_estimator_.predict(X))


def test_a_resumed_search_continues_its_run_without_duplicates(client, tmp_path):
    checkpoint = tmp_path / "search.jsonl"

    def stop_after_two_batches(state):
        return state.iteration >= 1

    first = search([MLflowLogger(experiment_name="sksearch", log_model=False),
                    stop_after_two_batches], n_iter=12, checkpoint=checkpoint).fit(X, Y)
    assert first.stop_reason_ == "callback"
    (parent,), before = runs_of(client)
    assert sorted(before) == list(range(6))

    # As from a new process: a new logger; the journal replays the first two
    # batches (the logger sees them again), then two more are fitted.
    logger = MLflowLogger(experiment_name="sksearch", log_model=False)
    second = search([logger], n_iter=12, checkpoint=checkpoint).fit(X, Y)
    assert second.stop_reason_ == "n_iter"
    (resumed,), candidates = runs_of(client)
    assert resumed.info.run_id == parent.info.run_id == logger.run_id_
    assert resumed.info.status == "FINISHED"
    check_candidates(candidates, resumed, second.cv_results_)
    assert all(candidates[i].info.run_id == run.info.run_id for i, run in before.items())
    assert resumed.data.metrics["n_candidates"] == 12
    assert resumed.data.tags["sksearch.checkpoint"] == str(checkpoint.resolve())


def test_each_fit_without_checkpoint_is_a_new_run_nested_in_the_active_one(client):
    logger = MLflowLogger(experiment_name="sksearch", log_model=False)
    first = search([logger], n_iter=4).fit(X, Y)
    first_run = logger.run_id_
    with mlflow.start_run(experiment_id=client.get_experiment_by_name("sksearch").experiment_id,
                          run_name="study") as study:
        search([logger], n_iter=4).fit(X, Y)
    assert logger.run_id_ != first_run
    experiment_id = client.get_experiment_by_name("sksearch").experiment_id
    searches = {r.info.run_id: r for r in client.search_runs([experiment_id])
                if r.info.run_name == "RandomSearch"}
    assert set(searches) == {first_run, logger.run_id_}
    assert searches[logger.run_id_].data.tags[PARENT] == study.info.run_id
    assert PARENT not in searches[first_run].data.tags
    nested = client.search_runs([experiment_id], f"tags.{PARENT} = '{first_run}'")
    assert len(nested) == len(first.cv_results_["params"]) == 4


def test_a_multi_fidelity_search_logs_each_rung_with_its_resource(client):
    logger = MLflowLogger(experiment_name="sksearch")
    fitted = search([logger], n_iter=4, resource="n_samples").fit(X, Y)
    (parent,), candidates = runs_of(client)
    results = fitted.cv_results_
    assert len(set(results["n_resources"])) >= 2
    check_candidates(candidates, parent, results)
    for i, run in candidates.items():
        assert run.data.tags["sksearch.n_resources"] == str(results["n_resources"][i])
        assert run.info.run_name == f"candidate {i} at {results['n_resources'][i]}"
