"""Every evaluated result survives whatever happens after it: a broken ``refit``,
a refit that fails on the whole data; and the search's warnings point at the
user's line."""

import numpy as np
import pytest
from sklearn.base import BaseEstimator, ClassifierMixin
from sklearn.datasets import load_iris
from sklearn.linear_model import LogisticRegression

from sksearch.space import Real

X, Y = load_iris(return_X_y=True)
SPACE = {"C": Real(0.01, 10.0, log=True)}


def _raises(cv_results):
    raise RuntimeError("a refit callable that breaks")


@pytest.mark.parametrize("refit, error", [
    (lambda cv_results: 10_000, IndexError),
    (lambda cv_results: 1.5, TypeError),
    (_raises, RuntimeError),
], ids=["out-of-range", "float", "raises"])
def test_a_broken_refit_callable_keeps_every_result(make_search, refit, error):
    search = make_search(LogisticRegression(max_iter=300), SPACE, n_iter=8, cv=3,
                         random_state=0, refit=refit)
    with pytest.raises(error):
        search.fit(X, Y)
    assert len(search.cv_results_["params"]) == 8
    assert np.isfinite(search.cv_results_["mean_test_score"]).all()


class FailsOnTheWholeData(ClassifierMixin, BaseEstimator):
    """Fits on a cross-validation fold, fails on all of ``X``."""

    def __init__(self, C=1.0):
        self.C = C

    def fit(self, X, y):
        if len(X) == len(Y):
            raise ValueError("the whole data is too much for this model")
        self.model_ = LogisticRegression(C=self.C, max_iter=300).fit(X, y)
        self.classes_ = self.model_.classes_
        return self

    def predict(self, X):
        return self.model_.predict(X)


def test_a_refit_that_fails_on_the_whole_data_keeps_every_result(make_search):
    search = make_search(FailsOnTheWholeData(), SPACE, n_iter=6, cv=3, random_state=0)
    with pytest.raises(ValueError, match="too much"):
        search.fit(X, Y)
    assert len(search.cv_results_["params"]) == 6
    assert search.best_index_ == int(np.argmin(search.cv_results_["rank_test_score"]))


def test_the_search_warns_at_the_users_line(make_search):
    search = make_search(LogisticRegression(max_iter=300), {"C": [0.1, 1.0, 10.0]}, n_iter=10,
                         cv=3, random_state=0)
    with pytest.warns(UserWarning, match="only 3 distinct candidates") as caught:
        search.fit(X, Y)
    assert [w.filename for w in caught if "distinct" in str(w.message)] == [__file__]
