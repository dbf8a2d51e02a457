"""Run a search on a dask cluster, with the same results as on one machine.

Parallelism is joblib's: inside ``joblib.parallel_backend("dask")`` the
candidates x folds of each batch run on the cluster's workers. Here the
"cluster" is a ``LocalCluster`` of two worker processes on this machine
(loopback only); for a real one, connect with
``Client("scheduler-address:8786")`` instead. The script runs the same
search on the cluster and with ``n_jobs=1`` and checks that the results are
identical: one seed, one result, whatever runs the fits.

Needs ``pip install "sksearch[dask]"``. Runs in about 20 seconds on two
cores. ``SKSEARCH_EXAMPLE_FAST=1`` (or ``--fast``) shrinks the budget to a
smoke test of a few seconds.
"""

import os
import sys
import time

import numpy as np
from distributed import Client, LocalCluster
from joblib import parallel_backend
from scipy.stats import loguniform
from sklearn.datasets import load_digits
from sklearn.svm import SVC

from sksearch import BayesSearchCV

FAST = "--fast" in sys.argv or os.environ.get("SKSEARCH_EXAMPLE_FAST") == "1"


def make_search(**kwargs):
    return BayesSearchCV(SVC(), {"C": loguniform(1e-2, 1e3), "gamma": loguniform(1e-5, 1e-1)},
                         n_iter=4 if FAST else 30, cv=3, random_state=0, **kwargs)


def main():
    X, y = load_digits(return_X_y=True)
    if FAST:
        X, y = X[:500], y[:500]
    cluster = LocalCluster(n_workers=2, threads_per_worker=1, processes=True,
                           host="127.0.0.1", dashboard_address=None)
    with cluster, Client(cluster) as client:
        print(f"cluster: {len(client.scheduler_info()['workers'])} workers")
        start = time.perf_counter()
        with parallel_backend("dask"):
            remote = make_search(n_jobs=-1).fit(X, y)
        print(f"on the cluster: {time.perf_counter() - start:.1f} s, "
              f"best accuracy {remote.best_score_:.4f} with {remote.best_params_}")

    start = time.perf_counter()
    local = make_search(n_jobs=1).fit(X, y)
    print(f"here, n_jobs=1:  {time.perf_counter() - start:.1f} s")
    same = (remote.cv_results_["params"] == local.cv_results_["params"]
            and np.array_equal(remote.cv_results_["mean_test_score"],
                               local.cv_results_["mean_test_score"]))
    print(f"identical results: {same}")


if __name__ == "__main__":  # dask starts worker processes: keep the work under this guard
    main()
