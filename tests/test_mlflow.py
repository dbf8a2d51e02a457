"""MLflowLogger against a real MLflow store in a temporary folder, read back with MlflowClient.

Most tests use MLflow's file store (opted in with MLFLOW_ALLOW_FILE_STORE: it
opens in milliseconds); the store the README documents is run as documented,
in an environment that holds exactly what ``pip install "sksearch[mlflow]"``
installs.
"""

import json
import os
import re
import subprocess
import venv
from importlib import metadata
from pathlib import Path

import mlflow
import numpy as np
import pytest
from conftest import CountingLogistic, RandomSearch
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


def test_a_search_of_several_objectives_tags_its_front(client):
    logger = MLflowLogger(experiment_name="sksearch", log_model=False)
    fitted = search([logger], n_iter=9, scoring={"accuracy": "accuracy", "size": weights_size},
                    objectives={"accuracy": "maximize", "size": "minimize"},
                    refit=False).fit(X, Y)
    (parent,), candidates = runs_of(client)
    front = fitted.pareto_front_
    assert 0 < len(front) < 9
    assert parent.data.tags["sksearch.pareto_front"] == ",".join(map(str, front))
    tagged = sorted(i for i, run in candidates.items()
                    if run.data.tags.get("sksearch.pareto_front") == "true")
    assert tagged == front.tolist()


def weights_size(model, X, y):
    return float(np.abs(model.coef_).sum())


def test_a_broken_store_is_refused_before_any_fit(tmp_path, monkeypatch):
    monkeypatch.delenv("MLFLOW_ALLOW_FILE_STORE", raising=False)
    previous = mlflow.get_tracking_uri()
    uri = (tmp_path / "mlruns").as_uri()
    mlflow.set_tracking_uri(uri)
    checkpoint = tmp_path / "search.jsonl"
    CountingLogistic.n_fits = 0
    logger = MLflowLogger(experiment_name="sksearch")
    searching = RandomSearch(CountingLogistic(), {"C": SPACE["C"]}, n_iter=4, cv=3, random_state=0,
                             checkpoint=checkpoint, batch_callbacks=[logger])
    try:
        with pytest.raises(RuntimeError, match=re.escape(
                f"MLflowLogger cannot open the MLflow tracking store {uri!r}: ")
                + ".*maintenance mode.*" + re.escape('sqlite:///mlflow.db')
                + ".*MLFLOW_ALLOW_FILE_STORE=true"):
            searching.fit(X, Y)
    finally:
        mlflow.set_tracking_uri(previous)
    assert CountingLogistic.n_fits == 0
    assert not checkpoint.exists()
    assert not hasattr(searching, "cv_results_")


# ------------------------------------------------- the documented store, as installed
ROOT = Path(__file__).resolve().parents[1]

#: Fits a search as the README does, on its store, and says what the store holds.
DOCUMENTED = """
import json, sys
import mlflow
from sklearn.datasets import load_iris
from sklearn.linear_model import LogisticRegression
from sksearch import BayesSearchCV
from sksearch.mlflow import MLflowLogger
from sksearch.space import Real

class Counting(LogisticRegression):
    n_fits = 0
    def fit(self, X, y):
        type(self).n_fits += 1
        return super().fit(X, y)

X, y = load_iris(return_X_y=True)
mlflow.set_tracking_uri(sys.argv[1])
logger = MLflowLogger(experiment_name="svc")
search = BayesSearchCV(Counting(max_iter=300), {"C": Real(1e-2, 1e2, log=True)}, n_iter=4, cv=3,
                       random_state=0, batch_callbacks=[logger])
try:
    search.fit(X, y)
except RuntimeError as error:
    print(json.dumps({"error": str(error), "n_fits": Counting.n_fits}))
    sys.exit()
client = mlflow.MlflowClient()
experiment = client.get_experiment_by_name("svc").experiment_id
runs = client.search_runs([experiment], f"tags.mlflow.parentRunId = '{logger.run_id_}'")
(model,) = client.search_logged_models([experiment],
                                       filter_string=f"source_run_id = '{logger.run_id_}'")
loaded = mlflow.sklearn.load_model(f"models:/{model.model_id}")
print(json.dumps({"uri": mlflow.get_tracking_uri(), "n_candidates": len(runs),
                  "same_predictions": bool((loaded.predict(X) == search.predict(X)).all())}))
"""


def documented_store():
    """The tracking URI that the example of the README's MLflow section sets."""
    readme = (ROOT / "README.md").read_text()
    section = readme[readme.index("## Experiment logging with MLflow"):]
    example = re.search(r"```python\n(.*?)```", section, re.DOTALL).group(1)
    (uri,) = re.findall(r'mlflow\.set_tracking_uri\("([^"]+)"\)', example)
    return uri


def requirements_of_extra(extra):
    """The requirements that ``pip install "sksearch[<extra>]"`` starts from (pyproject.toml)."""
    tomllib = pytest.importorskip("tomllib")
    project = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]
    return project["dependencies"] + project["optional-dependencies"][extra]


def installed_closure(requirements):
    """The installed distributions that ``requirements`` bring in, with theirs."""
    from packaging.requirements import Requirement
    from packaging.utils import canonicalize_name

    extras, todo = {}, [Requirement(r) for r in requirements]
    while todo:
        requirement = todo.pop()
        name = canonicalize_name(requirement.name)
        wanted = set(requirement.extras) | {""}
        if name in extras and wanted <= extras[name]:
            continue
        try:
            requires = metadata.distribution(name).requires or []
        except metadata.PackageNotFoundError:
            continue  # not for this platform or Python
        extras[name] = extras.get(name, set()) | wanted
        for line in map(Requirement, requires):
            if line.marker is None or any(line.marker.evaluate({"extra": e})
                                          for e in extras[name]):
                todo.append(line)
    return {metadata.distribution(name) for name in extras}


def environment_with(distributions, folder):
    """A virtual environment in ``folder`` holding only ``distributions``; its python.

    Each distribution's files are linked from where they are installed: a
    folder whole, unless a distribution outside the set has files in it too
    (a namespace package), then what is inside it, and so on down.
    """
    venv.EnvBuilder(symlinks=True, with_pip=False).create(folder)
    python = folder / ("Scripts/python.exe" if os.name == "nt" else "bin/python")
    site = subprocess.run([python, "-c", "import sysconfig; print(sysconfig.get_path('purelib'))"],
                          capture_output=True, text=True, check=True).stdout.strip()
    shared = set()  # folders that a distribution outside the set has files in
    for dist in metadata.distributions():
        if dist not in distributions:
            for file in dist.files or []:
                shared.update(file.parts[:depth] for depth in range(1, len(file.parts)))
    for dist in distributions:
        for file in dist.files or []:
            if not file.parts or file.parts[0] == "..":  # a script, outside site-packages
                continue
            depth = next(d for d in range(1, len(file.parts) + 1)
                         if file.parts[:d] not in shared)
            link = Path(site).joinpath(*file.parts[:depth])
            if not link.is_symlink():
                link.parent.mkdir(parents=True, exist_ok=True)
                link.symlink_to(Path(dist.locate_file("")).joinpath(*file.parts[:depth]))
    return python


def run_documented(tmp_path, distributions):
    python = environment_with(distributions, tmp_path / "env")
    env = {k: v for k, v in os.environ.items() if not k.startswith(("MLFLOW_", "PYTHON"))}
    env.update(PYTHONPATH=str(ROOT), PYTHONNOUSERSITE="1")
    work = tmp_path / "work"
    work.mkdir()
    done = subprocess.run([python, "-c", DOCUMENTED, documented_store()], cwd=work, env=env,
                          capture_output=True, text=True, timeout=900)
    assert done.returncode == 0, done.stderr[-3000:]
    return json.loads(done.stdout.strip().splitlines()[-1])


def test_the_documented_store_works_with_what_the_extra_installs(tmp_path):
    uri = documented_store()
    assert uri == "sqlite:///mlflow.db"
    extra = installed_closure(requirements_of_extra("mlflow"))
    names = {dist.metadata["Name"].lower() for dist in extra}
    assert "mlflow-skinny" in names and "pytest" not in names and "matplotlib" not in names
    found = run_documented(tmp_path, extra)
    assert found == {"uri": uri, "n_candidates": 4, "same_predictions": True}
    assert (tmp_path / "work" / "mlflow.db").is_file()


def test_the_documented_store_without_its_database_packages_is_refused_before_any_fit(tmp_path):
    from packaging.requirements import Requirement

    requirements = [r for r in requirements_of_extra("mlflow")
                    if Requirement(r).name.lower() not in ("sqlalchemy", "alembic")]
    found = run_documented(tmp_path, installed_closure(requirements))
    assert found["n_fits"] == 0
    assert found["error"].startswith(
        f"MLflowLogger cannot open the MLflow tracking store {documented_store()!r}: ")
    assert found["error"].endswith('needs sqlalchemy and alembic: pip install "sksearch[mlflow]".')
