"""Uniform random sampling: the baseline every other optimizer must beat."""

from ._base import Optimizer, check_tell


class RandomSampler(Optimizer):
    """Propose independent uniform points of the cube, ``batch_size`` at a time.

    The same candidates as :class:`~sklearn.model_selection.RandomizedSearchCV`
    draws for uniform, log-uniform and integer ranges and for lists. It
    serves as the baseline in tests and benchmarks.

    Parameters
    ----------
    layout : CubeLayout
        Meaning of the cube's columns.
    batch_size : int, default=10
        Points per :meth:`ask`.
    random_state : int, numpy.random.Generator or None, default=None
        Seed.
    n_objectives : int, default=1
        Columns of the scores told (see :class:`~sksearch.optimizers.Optimizer`);
        the draws never depend on them.

    Examples
    --------
    >>> from sksearch.space import Space, Real
    >>> from sksearch.optimizers import RandomSampler
    >>> space = Space({"x": Real(-1.0, 1.0)})
    >>> opt = RandomSampler(space.layout, batch_size=4, random_state=0)
    >>> X = opt.ask()
    >>> X.shape
    (4, 1)
    >>> opt.tell(X, -X[:, 0] ** 2)
    """

    def __init__(self, layout, *, batch_size=10, random_state=None, n_objectives=1):
        super().__init__(layout, random_state=random_state, n_objectives=n_objectives)
        self.batch_size = int(batch_size)

    flexible_batch = True
    asks_ahead = True  # its draws never depend on the scores

    def ask(self, n=None):
        return self.layout.random(self.batch_size if n is None else int(n), self.rng)

    def tell(self, X, y):
        check_tell(X, y, self.layout.n_dims, self.n_objectives)
