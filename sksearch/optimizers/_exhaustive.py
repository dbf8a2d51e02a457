"""Every candidate of a finite space, in one batch."""

from ._base import Optimizer


class Exhaustive(Optimizer):
    """Propose every distinct point of a finite layout, in one batch.

    What a search runs when the space has at most ``n_iter`` candidates: it
    is evaluated completely, like a ``GridSearchCV``.

    Examples
    --------
    >>> from sksearch.space import Space
    >>> from sksearch.optimizers import Exhaustive
    >>> space = Space({"kernel": ["rbf", "linear"], "degree": [2, 3, 4]})
    >>> len(space.decode(Exhaustive(space.layout).ask()))
    6
    """

    def ask(self):
        return self.layout.enumerate()

    def tell(self, X, y):
        pass
