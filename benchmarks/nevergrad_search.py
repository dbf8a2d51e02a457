"""nevergrad's optimizers as a scikit-learn search, on sksearch's unit cube.

nevergrad is not a scikit-learn search. :class:`NevergradSearchCV` drives one
of its optimizers through sksearch's own search engine, so it gets exactly
what the sksearch searches get: the same space (the cube decoded by
:class:`~sksearch.space.Space`), the same ``cv`` and scoring, the same
budget (``n_iter`` distinct candidates, a repeat answered from the known
score) and a uniform ``cv_results_``. nevergrad proposes one candidate per
batch (``num_workers=1``), its natural sequential mode.
"""

import numpy as np

from sksearch.base import BaseOptimizerSearch
from sksearch.optimizers import Optimizer


class NevergradSearchCV(BaseOptimizerSearch):
    """Search with a nevergrad optimizer (``"PSO"``, ``"TwoPointsDE"``, ``"NGOpt"``, ...).

    Parameters
    ----------
    estimator, param_distributions
        As for the sksearch searches.
    method : str, default="NGOpt"
        Name of the optimizer in ``nevergrad.optimizers.registry``.
    **common
        ``n_iter``, ``scoring``, ``cv``, ``n_jobs``, ``random_state``, ... as
        for the sksearch searches.
    """

    def __init__(self, estimator, param_distributions, *, method="NGOpt", **common):
        super().__init__(estimator, param_distributions, **common)
        self.method = method

    def _make_optimizer(self, layout, random_state, budget):
        return NevergradOptimizer(layout, method=self.method, budget=self.n_iter,
                                  random_state=random_state)


class NevergradOptimizer(Optimizer):
    """A nevergrad optimizer behind the ask/tell contract of sksearch (maximizing).

    Parameters
    ----------
    layout : CubeLayout
        Meaning of the cube's columns; nevergrad sees a box ``[0, 1]^d``.
    method : str
        Name in ``nevergrad.optimizers.registry``.
    budget : int
        Evaluations announced to nevergrad (it picks its schedule from it).
    random_state : int
        Seed of nevergrad's parametrization.
    """

    def __init__(self, layout, *, method, budget, random_state):
        super().__init__(layout, random_state=random_state)
        import nevergrad as ng

        box = ng.p.Array(shape=(layout.n_dims,), lower=0.0, upper=1.0)
        box.random_state = np.random.RandomState(random_state)
        self.optimizer = ng.optimizers.registry[method](
            parametrization=box, budget=budget, num_workers=1
        )
        self._candidate = None

    def ask(self):
        self._candidate = self.optimizer.ask()
        return np.clip(np.asarray(self._candidate.value, dtype=float), 0.0, 1.0)[None, :]

    def tell(self, X, y):
        # nevergrad minimizes
        self.optimizer.tell(self._candidate, -float(np.asarray(y, dtype=float)[0]))
