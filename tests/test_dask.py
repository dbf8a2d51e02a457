"""The searches run unchanged on a dask.distributed cluster, with the same results."""

import os

import numpy as np
import pytest
from joblib import parallel_backend
from sklearn.datasets import make_classification
from sklearn.linear_model import LogisticRegression

from sksearch.space import Real

distributed = pytest.importorskip("distributed")


class PidLoggingRegression(LogisticRegression):
    """Logistic regression that writes the id of the process that fits it."""

    def __init__(self, C=1.0, class_weight=None, log_dir=None):
        super().__init__(C=C, class_weight=class_weight)
        self.log_dir = log_dir

    def fit(self, X, y):
        with open(os.path.join(self.log_dir, f"{os.getpid()}.pid"), "a") as f:
            f.write("fit\n")
        return super().fit(X, y)


@pytest.fixture(scope="module")
def client():
    cluster = distributed.LocalCluster(n_workers=2, threads_per_worker=1, processes=True,
                                       host="127.0.0.1", dashboard_address=None)
    with distributed.Client(cluster) as client:
        yield client
    cluster.close()


def test_same_results_on_a_dask_cluster(make_search, client, tmp_path):
    X, y = make_classification(n_samples=150, n_features=8, random_state=0)
    space = {"C": Real(1e-3, 1e2, log=True), "class_weight": [None, "balanced"]}

    def run():
        return make_search(PidLoggingRegression(log_dir=str(tmp_path)), space, n_iter=10, cv=3, random_state=3,
                           n_jobs=-1).fit(X, y)

    local = run()
    for pid_file in tmp_path.iterdir():
        pid_file.unlink()
    with parallel_backend("dask"):
        remote = run()
    worker_pids = set(client.run(os.getpid).values())
    fitted_in = {int(f.stem) for f in tmp_path.iterdir()}
    assert fitted_in - {os.getpid()} <= worker_pids  # fits ran on the workers (refit here)
    assert len(fitted_in & worker_pids) == 2
    assert remote.cv_results_["params"] == local.cv_results_["params"]
    np.testing.assert_array_equal(remote.cv_results_["mean_test_score"],
                                  local.cv_results_["mean_test_score"])
    assert remote.best_params_ == local.best_params_
