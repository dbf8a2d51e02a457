"""Experiment logging to MLflow (needs ``pip install sksearch[mlflow]``).

:class:`MLflowLogger` goes in a search's ``batch_callbacks``: each search becomes an
MLflow run, each candidate a nested run with its parameters and scores, and
the refit best estimator is logged as a model at the end. MLflow is imported
when the first batch is logged, never by ``import sksearch``.
"""

import hashlib
import json
import math
import os
import re
import time
import urllib.parse

from .base import read_journal

__all__ = ["MLflowLogger"]

#: ``cv_results_`` columns logged as metrics of each candidate's run (ranks
#: change as the search goes on, so they are left out).
METRIC_COLUMNS = re.compile(r"(split\d+|mean|std)_(test|train)_\w+|(mean|std)_(fit|score)_time")
#: Name of the logged best estimator in the search's run.
MODEL_NAME = "best_estimator"
#: Tags by which the logger finds its runs again.
CANDIDATE_TAG = "sksearch.candidate"
JOURNAL_TAG = "sksearch.journal"
PARENT_TAG = "mlflow.parentRunId"
#: With several objectives: the candidates on the Pareto front (the search's
#: run lists them, each of their runs is tagged ``"true"``).
FRONT_TAG = "sksearch.pareto_front"
# Search parameters that do not change what is found, or that may change
# between the fits of one checkpointed search (MLflow keeps a parameter's
# first value), are not logged on the search's run.
_UNLOGGED = {"estimator", "param_distributions", "batch_callbacks", "initial_candidates",
             "checkpoint", "n_iter", "n_jobs", "pre_dispatch", "verbose"}


class MLflowLogger:
    """Log a search to MLflow: a run per search, a nested run per candidate, the best model.

    Pass it in the search's ``batch_callbacks``; it never stops the search. The
    search's run holds the search's settings (class, estimator, strategy
    parameters) and, at the end, ``best_score``, the number of candidates,
    why the search stopped, the id of the best candidate's run, with
    ``objectives`` the candidates of the Pareto front (tag
    ``sksearch.pareto_front``, also set to ``"true"`` on each of their runs)
    and the refit best estimator (``mlflow.sklearn``, cloudpickle format, under the
    name ``"best_estimator"``). Each candidate's run, nested in it, holds the
    candidate's parameters and its ``cv_results_`` scores and times:
    ``split{k}_test_{metric}``, ``mean_test_{metric}``, ``std_test_{metric}``
    (and train scores with ``return_train_score``), ``mean_fit_time``,
    ``std_fit_time``, ``mean_score_time``, ``std_score_time``; a candidate
    whose fits failed is marked FAILED.

    Runs go to MLflow's tracking URI (``mlflow.set_tracking_uri`` or
    ``MLFLOW_TRACKING_URI``): a database such as ``"sqlite:///mlflow.db"``
    (what ``sksearch[mlflow]`` installs) or a tracking server. The store and
    the experiment are opened when ``fit`` starts (:meth:`on_search_begin`),
    before anything is fitted: a store that does not open stops the search
    there. Inside an active MLflow run, the search's run is nested in it.

    With a ``checkpoint``, ``fit`` again continues the same run: the search's
    run is found by its checkpoint (absolute path and journal header, in the
    tag ``sksearch.journal``) and the candidates it already holds are not
    logged twice, also from a new process.

    Parameters
    ----------
    experiment_name : str, default=None
        Experiment of the runs, created if needed. None: the experiment of
        the active run, else MLflow's current one (``mlflow.set_experiment``,
        ``MLFLOW_EXPERIMENT_NAME``, or the default experiment).
    run_name : str, default=None
        Name of the search's run. None: the search's class name.
    log_model : bool, default=True
        Log the refit best estimator at the end (when the search refits).

    Attributes
    ----------
    run_id_ : str
        Id of the search's run, once the first batch is logged.

    Examples
    --------
    >>> import os, tempfile, mlflow
    >>> from sklearn.datasets import load_iris
    >>> from sklearn.linear_model import LogisticRegression
    >>> from sksearch import BayesSearchCV
    >>> from sksearch.mlflow import MLflowLogger
    >>> from sksearch.space import Real
    >>> store = os.path.join(tempfile.mkdtemp(), "mlflow.db")  # a server works the same
    >>> previous = mlflow.get_tracking_uri()
    >>> mlflow.set_tracking_uri(f"sqlite:///{store}")
    >>> X, y = load_iris(return_X_y=True)
    >>> logger = MLflowLogger(experiment_name="iris", log_model=False)
    >>> search = BayesSearchCV(LogisticRegression(max_iter=500), {"C": Real(1e-2, 1e2, log=True)},
    ...                        n_iter=4, cv=3, random_state=0, batch_callbacks=[logger]).fit(X, y)
    >>> client = mlflow.MlflowClient()
    >>> experiment = client.get_experiment_by_name("iris").experiment_id
    >>> runs = client.search_runs([experiment], f"tags.mlflow.parentRunId = '{logger.run_id_}'")
    >>> len(runs), sorted(runs[0].data.params)
    (4, ['C'])
    >>> mlflow.set_tracking_uri(previous)
    """

    def __init__(self, experiment_name=None, run_name=None, log_model=True):
        self.experiment_name = experiment_name
        self.run_name = run_name
        self.log_model = log_model

    def on_search_begin(self, search):
        """Open the tracking store and the experiment, before the search fits anything.

        Raises
        ------
        RuntimeError
            If the store cannot be opened (or, with ``log_model``, models
            cannot be logged): the message names the tracking URI and what to
            install or set.
        """
        import mlflow

        uri = mlflow.get_tracking_uri()
        try:
            client = mlflow.MlflowClient()
            client.get_experiment(self._experiment_id(client))  # reads the store
            if self.log_model:
                import mlflow.sklearn  # noqa: F401
        except Exception as error:
            lines = str(error).strip().splitlines() or [type(error).__name__]
            raise RuntimeError(f"MLflowLogger cannot open the MLflow tracking store {uri!r}: "
                               f"{lines[0].strip()} {_store_advice(uri)}") from error

    def __call__(self, state):
        """Log the candidates of ``state.cv_results`` not logged yet (a ``SearchState``)."""
        if (self._search != id(state.search) or getattr(self, "run_id_", None) is None
                or state.iteration <= self._iteration):
            self._open(state.search)
        self._iteration = state.iteration
        self._log_candidates(state.cv_results)
        return False

    def on_search_end(self, search):
        """Log the last candidates, the search's results and its best model; end the run."""
        import mlflow
        from mlflow.entities import Metric, RunTag

        if self._search != id(search) or getattr(self, "run_id_", None) is None:
            self._open(search)
        results = search.cv_results_
        runs = self._log_candidates(results)
        client = mlflow.MlflowClient()
        metrics = {"n_candidates": len(results["params"])}
        tags = {}
        best = getattr(search, "best_index_", None)
        if best is not None:
            tags["sksearch.best_run_id"] = runs.get(int(best), "")
            tags["sksearch.best_candidate"] = str(int(best))
        if getattr(search, "best_score_", None) is not None:
            metrics["best_score"] = float(search.best_score_)
        if getattr(search, "stop_reason_", None) is not None:
            tags["sksearch.stop_reason"] = search.stop_reason_
        front = getattr(search, "pareto_front_", None)
        if front is not None:  # several objectives: the front's candidates, once known
            tags[FRONT_TAG] = ",".join(str(int(i)) for i in front)
            for i in front:
                client.set_tag(runs[int(i)], FRONT_TAG, "true")
        now = _milliseconds()
        client.log_batch(self.run_id_, metrics=[Metric(k, v, now, 0) for k, v in metrics.items()],
                         tags=[RunTag(k, v) for k, v in tags.items() if v])
        if self.log_model and hasattr(search, "best_estimator_"):
            import mlflow.sklearn

            # created here, so that it lands in the run's experiment, not the active one
            model = client.create_logged_model(self._experiment, name=MODEL_NAME,
                                               source_run_id=self.run_id_)
            mlflow.sklearn.log_model(search.best_estimator_, name=MODEL_NAME, run_id=self.run_id_,
                                     model_id=model.model_id, serialization_format="cloudpickle")
        client.set_terminated(self.run_id_, "FINISHED")
        self._search = None

    # ------------------------------------------------------------------ runs
    _search = None  # id() of the search being logged (not the search: it holds this logger)
    _iteration = -1

    def _open(self, search):
        """Start the search's run, or with a checkpoint find the one it has already."""
        import mlflow

        client = mlflow.MlflowClient()
        experiment = self._experiment_id(client)
        self._search, self._iteration, self._runs = id(search), -1, {}
        self._experiment = experiment
        journal = _journal_key(search)
        if journal is not None:
            found = client.search_runs([experiment], f"tags.`{JOURNAL_TAG}` = '{journal}'",
                                       order_by=["attributes.start_time DESC"], max_results=1)
            if found:
                self.run_id_ = found[0].info.run_id
                client.update_run(self.run_id_, status="RUNNING")
                self._runs = self._logged_candidates(client, experiment)
                return
        tags = {"sksearch.search": type(search).__name__,
                "sksearch.estimator": type(search.estimator).__name__}
        if journal is not None:
            tags[JOURNAL_TAG] = journal
            tags["sksearch.checkpoint"] = os.path.abspath(os.fspath(search.checkpoint))
        active = mlflow.active_run()
        if active is not None:
            tags[PARENT_TAG] = active.info.run_id
        run = client.create_run(experiment, run_name=self.run_name or type(search).__name__,
                                tags=tags)
        self.run_id_ = run.info.run_id
        settings = {"search": type(search).__name__, "estimator": repr(search.estimator)}
        for name, value in search.get_params(deep=False).items():
            if name not in _UNLOGGED:
                settings[name] = value
        _log(client, self.run_id_, params=settings)

    def _experiment_id(self, client):
        import mlflow

        if self.experiment_name is not None:
            experiment = client.get_experiment_by_name(self.experiment_name)
            if experiment is not None:
                return experiment.experiment_id
            return client.create_experiment(self.experiment_name)
        active = mlflow.active_run()
        if active is not None:
            return active.info.experiment_id
        from mlflow.tracking.fluent import _get_experiment_id

        return _get_experiment_id()

    def _logged_candidates(self, client, experiment):
        """Candidate index -> run id of the candidates the search's run already has."""
        runs, token = {}, None
        while True:
            page = client.search_runs([experiment], f"tags.`{PARENT_TAG}` = '{self.run_id_}'",
                                      max_results=1000, page_token=token)
            for run in page:
                if CANDIDATE_TAG in run.data.tags:
                    runs[int(run.data.tags[CANDIDATE_TAG])] = run.info.run_id
            token = page.token
            if not token:
                return runs

    def _log_candidates(self, results):
        """Log the candidates of ``results`` not logged yet; return index -> run id of all."""
        import mlflow

        client = mlflow.MlflowClient()
        columns = [key for key in results if METRIC_COLUMNS.fullmatch(key)]
        objective = next((k for k in columns if k.startswith("mean_test_")), None)
        for i, params in enumerate(results["params"]):
            if i in self._runs:
                continue
            tags = {PARENT_TAG: self.run_id_, CANDIDATE_TAG: str(i)}
            if "iteration" in results:
                tags["sksearch.iteration"] = str(int(results["iteration"][i]))
            name = f"candidate {i}"
            if "n_resources" in results:  # a multi-fidelity rung
                tags["sksearch.n_resources"] = str(int(results["n_resources"][i]))
                name += f" at {int(results['n_resources'][i])}"
            run = client.create_run(self._experiment, run_name=name, tags=tags)
            metrics = {key: float(results[key][i]) for key in columns}
            _log(client, run.info.run_id, params=params, metrics=metrics)
            failed = objective is not None and math.isnan(metrics[objective])
            client.set_terminated(run.info.run_id, "FAILED" if failed else "FINISHED")
            self._runs[i] = run.info.run_id
        return self._runs


def _log(client, run_id, params=(), metrics=()):
    """Log parameters (as text) and metrics in batches of MLflow's size limits."""
    from mlflow.entities import Metric, Param

    now = _milliseconds()
    params = [Param(str(k), str(v)) for k, v in dict(params).items()]
    metrics = [Metric(k, v, now, 0) for k, v in dict(metrics).items()]
    for start in range(0, max(len(params), len(metrics)), 100):
        client.log_batch(run_id, params=params[start:start + 100],
                         metrics=metrics[start:start + 100])


def _journal_key(search):
    """What identifies a checkpointed search's run: its journal's path and header line."""
    checkpoint = getattr(search, "checkpoint", None)
    if checkpoint is None:
        return None
    path = os.path.abspath(os.fspath(checkpoint))
    header = json.dumps(read_journal(path)["header"], sort_keys=True)
    return hashlib.sha256(f"{path}\n{header}".encode()).hexdigest()


def _store_advice(uri):
    """What to install or set so that the store at ``uri`` opens."""
    from importlib.util import find_spec

    import mlflow
    from mlflow.store.db.db_types import DATABASE_ENGINES

    scheme = urllib.parse.urlparse(uri).scheme
    if scheme in ("", "file") and os.environ.get("MLFLOW_ALLOW_FILE_STORE", "").lower() not in (
            "true", "1"):
        return (f"MLflow {mlflow.__version__} keeps its file store in maintenance mode: use a "
                'database, e.g. mlflow.set_tracking_uri("sqlite:///mlflow.db") (what '
                'pip install "sksearch[mlflow]" installs), or set MLFLOW_ALLOW_FILE_STORE=true '
                "to keep the file store.")
    if scheme.split("+")[0] in DATABASE_ENGINES:
        missing = [name for name in ("sqlalchemy", "alembic") if find_spec(name) is None]
        if missing:
            return (f"A database store needs {' and '.join(missing)}: "
                    'pip install "sksearch[mlflow]"'
                    + ("." if scheme == "sqlite" else ", and the database's driver."))
    if scheme in ("http", "https"):
        return "Is the tracking server running, and reachable at that address?"
    return ("Set the store with mlflow.set_tracking_uri(...) or MLFLOW_TRACKING_URI, "
            'e.g. "sqlite:///mlflow.db".')


def _milliseconds():
    return int(time.time() * 1000)
