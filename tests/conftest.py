"""Shared fixtures: every search class of the package, built the same way."""

import pytest
from sklearn.base import BaseEstimator, ClassifierMixin
from sklearn.linear_model import LogisticRegression
from threadpoolctl import threadpool_limits

from sksearch import BayesSearchCV, GeneticSearchCV, PSOSearchCV
from sksearch.base import BaseOptimizerSearch
from sksearch.optimizers import RandomSampler


# Tests fit thousands of tiny models: one BLAS thread each avoids the threads
# spinning against each other (and against joblib's workers) on two cores.
_BLAS_LIMIT = threadpool_limits(limits=1)


class CountingLogistic(ClassifierMixin, BaseEstimator):
    """Logistic regression that counts its fits (per class: ``type(self).n_fits``)."""

    n_fits = 0

    def __init__(self, C=1.0, tol=1e-4):
        self.C, self.tol = C, tol

    def fit(self, X, y):
        type(self).n_fits += 1
        self.model_ = LogisticRegression(C=self.C, tol=self.tol, max_iter=300).fit(X, y)
        self.classes_ = self.model_.classes_
        return self

    def predict(self, X):
        return self.model_.predict(X)


class RandomSearch(BaseOptimizerSearch):
    """The engine driving uniform random sampling: the engine's own test subject."""

    def __init__(self, estimator, param_distributions, *, batch_size=4, **common):
        super().__init__(estimator, param_distributions, **common)
        self.batch_size = batch_size

    def _make_optimizer(self, layout, random_state, budget):
        return RandomSampler(layout, batch_size=self.batch_size, random_state=random_state,
                             n_objectives=self._n_objectives())


#: name -> (class, extra keyword arguments) of every search on the engine.
SEARCHES = {
    "random": (RandomSearch, {}),
    "pso": (PSOSearchCV, {}),
    "genetic": (GeneticSearchCV, {}),
    "bayes-gp": (BayesSearchCV, {"surrogate": "gp"}),
    "bayes-tpe": (BayesSearchCV, {"surrogate": "tpe"}),
}


@pytest.fixture(params=sorted(SEARCHES))
def make_search(request):
    """Build a search of each class: ``make_search(estimator, space, **kwargs)``."""
    cls, extra = SEARCHES[request.param]

    def make(estimator, param_distributions, **kwargs):
        return cls(estimator, param_distributions, **{**extra, **kwargs})

    make.cls = cls
    return make
