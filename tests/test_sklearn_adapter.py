"""The one module that touches scikit-learn's private names works with the
installed scikit-learn (CI runs this file on the oldest and newest supported)."""

import numpy as np
from sklearn.datasets import load_iris
from sklearn.linear_model import LogisticRegression
from sklearn.model_selection import KFold

from sksearch.engine import _sklearn
from sksearch.space import Real

X, Y = load_iris(return_X_y=True)


def test_fit_and_score_returns_the_record_the_search_reads(make_search):
    search = make_search(LogisticRegression(max_iter=300), {"C": Real(0.1, 1.0)},
                         scoring=["accuracy", "f1_macro"], refit="accuracy",
                         return_train_score=True)
    scorers, refit_metric = _sklearn.get_scorers(search)
    assert refit_metric == "accuracy"
    train, test = next(KFold(3).split(X))
    params = _sklearn.check_fit_params(X, {})
    routed = _sklearn.routed_params(search, params)
    record = _sklearn.fit_and_score(
        LogisticRegression(max_iter=300), X, Y, train=train, test=test,
        parameters={"C": 0.5}, split_progress=(0, 3), candidate_progress=(0, 1),
        caller=search, callback_ctx=None, scorer=scorers,
        fit_params=routed.estimator.fit, score_params=routed.scorer.score,
        return_train_score=True, error_score=np.nan, verbose=0)
    assert set(record["test_scores"]) == {"accuracy", "f1_macro"}
    assert {"train_scores", "n_test_samples", "fit_time", "score_time", "fit_error"} <= set(record)
    assert record["fit_error"] is None and record["n_test_samples"] == len(test)
    results = _sklearn.format_results(search, [{"C": 0.5}], 1, [record], {"iteration": [0]})
    assert results["mean_test_accuracy"][0] == record["test_scores"]["accuracy"]
    assert results["rank_test_accuracy"][0] == 1


def test_callback_context_or_a_null_one(make_search):
    search = make_search(LogisticRegression(), {"C": Real(0.1, 1.0)})
    root = _sklearn.root_callback_context(search, max_subtasks=2)
    search_ctx = root.subcontext(task_name="search", max_subtasks=4, sequential_subtasks=False)
    contexts = _sklearn.evaluation_contexts(search_ctx, 0, 4)
    assert len(contexts) == 4
    if isinstance(root, _sklearn.NoCallbacks):
        assert contexts == [None] * 4
    else:
        assert [c.task_id for c in contexts] == [0, 1, 2, 3]
