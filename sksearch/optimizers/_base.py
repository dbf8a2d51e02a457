"""The ask/tell contract shared by every optimizer."""

from abc import ABC, abstractmethod

import numpy as np


class Optimizer(ABC):
    """Base class of the ask/tell optimizers on the unit cube.

    An optimizer proposes points of ``[0, 1]^d`` (:meth:`ask`) and learns their
    scores (:meth:`tell`). It **maximizes**. It knows the space only through a
    :class:`~sksearch.space._cube.CubeLayout` and never fits anything, so it can be
    driven by any loop: the searches of this package, or a numpy function.

    The contract:

    * ``ask()`` returns the optimizer's next batch, an array of shape
      ``(n, layout.n_dims)`` with values in [0, 1] and ``n >= 1`` (a swarm, a
      generation, a batch of Bayesian proposals).
    * ``tell(X, y)`` is then called once with the rows of that batch, in
      order, and their finite scores ``y`` (the caller replaces failed
      evaluations by a finite penalty). The caller may stop early and never
      tell the last batch.
    * Several objectives: an optimizer built with ``n_objectives=m > 1`` is
      told a matrix ``y`` of shape ``(n, m)``, every column maximized (the
      caller flips the objectives it minimizes), in :meth:`tell` and
      :meth:`seed`; it then searches for the Pareto front (see
      :mod:`sksearch.optimizers._pareto`). ``ask`` is unchanged. With
      ``n_objectives=1`` (the default) ``y`` is a vector, as it always was.
      Multi-fidelity (:meth:`observe`) takes one objective only.
    * Rows that decode to the same parameters (equal ``layout.snap`` rows)
      are the same candidate; the caller answers a repeated candidate with
      the score it already knows.
    * ``seed(X, y)`` may be called once before the first ask with points
      evaluated before the search (a warm start); ``set_budget(n_iter)``
      between a tell and an ask when a finished search is continued.
    * Multi-fidelity (a search with ``resource=``): ``observe(X, y,
      fidelity)`` is called after each rung of a bracket with the scores
      measured there, at ``fidelity`` (the fraction of the full resource,
      in (0, 1]); the ask is then told, once its bracket is over, what
      each of its candidates is worth on the full-resource scale (see
      :meth:`sksearch.engine.fidelity._brackets.Brackets.worth`). An optimizer whose
      ``flexible_batch`` is True takes ``ask(n)``: the bracket's size.
    * An optimizer whose ``asks_ahead`` is True may be asked its next batch
      before the last one is told: the loop then evaluates the next batch
      while the last one finishes (workers never wait for a proposal). Its
      batches are still told in the order asked, each once.
    * All randomness comes from ``random_state``: the same seed and the same
      scores give the same proposals.

    Parameters
    ----------
    layout : CubeLayout
        Meaning of the cube's columns.
    random_state : int, numpy.random.Generator or None, default=None
        Seed of the optimizer's own random stream.
    n_objectives : int, default=1
        Number of scores told per point (the columns of ``y``).

    Examples
    --------
    Any optimizer, driven by hand on a numpy function (the searches run the
    same ask/tell sequence, see :class:`sksearch.engine._loop.Loop`):

    >>> import numpy as np
    >>> from sksearch.optimizers import ParticleSwarm
    >>> from sksearch.space import Space, Real
    >>> space = Space({"x": Real(-2.0, 2.0)})
    >>> opt = ParticleSwarm(space.layout, n_particles=4, random_state=0)
    >>> for _ in range(10):
    ...     X = opt.ask()
    ...     opt.tell(X, [-(p["x"] - 1.0) ** 2 for p in space.decode(X)])
    >>> round(space.decode(opt.best_position_[[np.argmax(opt.best_score_)]])[0]["x"], 1)
    1.0
    """

    #: Whether ``ask(n)`` returns ``n`` points (else the batch has the optimizer's size).
    flexible_batch = False

    #: Whether the next batch may be asked before the last one is told.
    asks_ahead = False

    def __init__(self, layout, *, random_state=None, n_objectives=1):
        self.layout = layout
        self.rng = np.random.default_rng(random_state)
        self.n_objectives = check_n_objectives(n_objectives)

    @abstractmethod
    def ask(self):
        """Return the next batch of points, shape ``(n, layout.n_dims)``."""

    @abstractmethod
    def tell(self, X, y):
        """Learn the scores ``y`` (to maximize) of the rows ``X`` last asked.

        ``y`` has shape ``(n,)``, or ``(n, n_objectives)`` with several objectives."""

    def set_budget(self, n_iter):
        """Learn that the search now has ``n_iter`` candidates in all (more than before).

        Called between a tell and the next ask when a finished search is
        continued with a larger ``n_iter``. Sizes fixed at construction stay
        (the batches already asked are replayed exactly); schedules and sizes
        that may grow use the new budget from now on. This default ignores it.
        """

    def observe(self, X, y, fidelity):
        """Learn the scores ``y`` of ``X`` measured at ``fidelity`` of the full resource.

        Called in multi-fidelity searches after every rung (``fidelity`` 1.0
        at the full resource), before the bracket's :meth:`tell`. This
        default ignores them: the optimizer learns only what the bracket's
        candidates are worth, through :meth:`tell`.
        """

    def seed(self, X, y):
        """Learn the scores of points evaluated before the search (a warm start).

        Called at most once, before the first :meth:`ask`, with points the
        optimizer did not propose (known good settings, or the results of
        an earlier search) and their finite scores. This default ignores
        them; the optimizers of this package learn from them (a model adds
        them to its data, a swarm or a population starts from the best).
        """


def check_tell(X, y, n_dims, n_objectives=1):
    """Validate a tell: ``X`` of shape (n, n_dims) in [0, 1], ``y`` finite.

    ``y`` has length n with one objective, shape (n, n_objectives) with more.
    """
    X = np.atleast_2d(np.asarray(X, dtype=float))
    if X.shape[1] != n_dims:
        raise ValueError(f"X has {X.shape[1]} columns, the layout has {n_dims}")
    if n_objectives == 1:
        y = np.asarray(y, dtype=float).ravel()
        if len(X) != len(y):
            raise ValueError(f"X has {len(X)} rows but y has {len(y)} values")
    else:
        y = np.asarray(y, dtype=float)
        if y.shape != (len(X), n_objectives):
            raise ValueError(f"y must have shape (n, n_objectives) = ({len(X)}, {n_objectives}) "
                             f"for X of {len(X)} rows, got {y.shape}")
    if not np.all(np.isfinite(y)):
        raise ValueError("y must be finite: replace failed evaluations by a penalty")
    return X, y


def check_n_objectives(n_objectives):
    """``n_objectives`` as an int, refused unless an integer of at least 1."""
    if isinstance(n_objectives, bool) or int(n_objectives) != n_objectives or n_objectives < 1:
        raise ValueError(f"n_objectives must be an integer of at least 1, got {n_objectives!r}")
    return int(n_objectives)
