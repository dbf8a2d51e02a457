"""Every strategy's results on two small tasks, fixed: a change of structure
that changes no algorithm leaves them identical.

The expected values were recorded with ``python tests/test_regression.py``
(which rewrites ``tests/data/regression.json``); record them again only in a
commit that changes what a strategy proposes, and say so there.
"""

import json
import sys
from pathlib import Path

import numpy as np
import pytest
from scipy.stats import loguniform
from sklearn.datasets import make_classification
from sklearn.linear_model import LogisticRegression

from sksearch._testing import FunctionEstimator

sys.path.insert(0, str(Path(__file__).parent))
from conftest import SEARCHES  # noqa: E402

DATA = Path(__file__).parent / "data" / "regression.json"
COLUMNS = ("mean_test_score", "split0_test_score", "iteration", "particle", "iter",
           "n_resources")


def _function_task():
    est = FunctionEstimator("mixed", seed=0)
    return est, est._function().space, np.zeros((20, 1)), None, {"n_iter": 20, "cv": 2}


def _classifier_task():
    X, y = make_classification(n_samples=150, n_features=6, random_state=0)
    space = {"C": loguniform(1e-3, 1e2), "fit_intercept": [True, False],
             "class_weight": [None, "balanced"]}
    return LogisticRegression(), space, X, y, {"n_iter": 12, "cv": 3}


def _resource_task():
    """Multi-fidelity: brackets of successive halving on n_samples."""
    X, y = make_classification(n_samples=300, n_features=6, random_state=1)
    space = {"C": loguniform(1e-3, 1e2), "class_weight": [None, "balanced"]}
    return LogisticRegression(), space, X, y, {"n_iter": 6, "cv": 3, "resource": "n_samples"}


TASKS = {"mixed_function": _function_task, "logistic": _classifier_task,
         "logistic_n_samples": _resource_task}


def run(strategy, task):
    cls, extra = SEARCHES[strategy]
    estimator, space, X, y, kwargs = TASKS[task]()
    search = cls(estimator, space, random_state=0, **extra, **kwargs).fit(X, y)
    results = search.cv_results_
    record = {"params": [{k: p[k] for k in sorted(p)} for p in results["params"]]}
    for column in COLUMNS:
        if column in results:
            record[column] = np.asarray(results[column]).tolist()
    return record


@pytest.mark.parametrize("task", sorted(TASKS))
@pytest.mark.parametrize("strategy", sorted(SEARCHES))
def test_results_are_as_recorded(strategy, task):
    expected = json.loads(DATA.read_text())[f"{strategy}/{task}"]
    got = run(strategy, task)
    assert len(got["params"]) == len(expected["params"])
    for i, (params, recorded) in enumerate(zip(got["params"], expected["params"])):
        assert params.keys() == recorded.keys(), i
        for name, value in params.items():
            if isinstance(value, float):  # numpy versions may round a decoded value apart
                assert value == pytest.approx(recorded[name], rel=1e-12), (i, name)
            else:
                assert value == recorded[name], (i, name)
    assert set(got) == set(expected)
    for column in set(expected) - {"params"}:
        np.testing.assert_allclose(got[column], expected[column], rtol=1e-9, atol=1e-12,
                                   err_msg=column)


if __name__ == "__main__":
    records = {f"{s}/{t}": run(s, t) for s in sorted(SEARCHES) for t in sorted(TASKS)}
    DATA.write_text(json.dumps(records, indent=1) + "\n")
    print(f"wrote {len(records)} records to {DATA}")
