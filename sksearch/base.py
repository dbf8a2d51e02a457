"""Build your own search strategy on sksearch's engine.

Three pieces make a strategy:

* :class:`Optimizer`, the ask/tell contract: an optimizer proposes points of
  the unit cube ``[0, 1]^d`` (``ask``) and learns their scores (``tell``);
  it maximizes and never fits anything.
* :class:`CubeLayout`, what the cube's columns mean (real, integer,
  categorical, union of subspaces): all an optimizer knows of the space.
* :class:`BaseOptimizerSearch`, the scikit-learn search: a subclass declares
  its own parameters and builds its optimizer in ``_make_optimizer``; the
  engine does the rest (space, folds, duplicates, parallel evaluation,
  checkpoints, stopping rules, refit, ``cv_results_``).

:func:`read_journal` reads a checkpoint's journal without changing it, and
:func:`at_full_resource` says which rows of ``cv_results_`` may be best, for
reporting.

Examples
--------
A search that samples around the best candidate so far:

>>> import numpy as np
>>> from sksearch.base import BaseOptimizerSearch, Optimizer
>>> class LocalSampler(Optimizer):
...     def __init__(self, layout, *, width, random_state=None):
...         super().__init__(layout, random_state=random_state)
...         self.width, self.best, self.best_score = width, None, -np.inf
...     def ask(self):
...         if self.best is None:
...             return self.layout.latin_hypercube(4, self.rng)
...         steps = self.width * self.rng.standard_normal((4, self.layout.n_dims))
...         return np.clip(self.best + steps, 0, 1)
...     def tell(self, X, y):
...         i = int(np.argmax(y))
...         if y[i] > self.best_score:
...             self.best, self.best_score = np.asarray(X)[i], y[i]
>>> class LocalSearchCV(BaseOptimizerSearch):
...     def __init__(self, estimator, param_distributions, *, width=0.1, **common):
...         super().__init__(estimator, param_distributions, **common)
...         self.width = width
...     def _make_optimizer(self, layout, random_state, budget):
...         return LocalSampler(layout, width=self.width, random_state=random_state)
>>> from scipy.stats import loguniform
>>> from sklearn.datasets import load_iris
>>> from sklearn.svm import SVC
>>> X, y = load_iris(return_X_y=True)
>>> search = LocalSearchCV(SVC(), {"C": loguniform(1e-2, 1e2)}, n_iter=12, cv=3,
...                        random_state=0).fit(X, y)
>>> len(search.cv_results_["params"]), bool(search.best_score_ > 0.9)
(12, True)
"""

from .space._cube import CubeLayout, Group
from .engine._callbacks import SearchState
from .engine._base_search import BaseOptimizerSearch
from .engine._journal import read_journal
from .engine._results import at_full_resource
from .optimizers import Optimizer

__all__ = ["BaseOptimizerSearch", "CubeLayout", "Group", "Optimizer", "SearchState",
           "at_full_resource", "read_journal"]
