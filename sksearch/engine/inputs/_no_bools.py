"""Parameter constraints of the searches that refuse a bool where a number belongs.

scikit-learn's ``Interval(Integral, ...)`` and ``Interval(Real, ...)``
accept ``True`` and ``False`` (a bool is an int in Python), so
``elitism=True`` would silently mean 1. :func:`no_bools` rewrites a
``_parameter_constraints`` dict so that every numeric constraint refuses
them, with scikit-learn's usual message.
"""

from numbers import Integral, Real

import numpy as np

from .._sklearn import Interval


class _Number(Interval):
    """An :class:`Interval` that a bool does not satisfy."""

    def is_satisfied_by(self, val):
        return not isinstance(val, (bool, np.bool_)) and super().is_satisfied_by(val)

    def __str__(self):
        return f"{super().__str__()} (not a bool)"


def no_bools(constraints):
    """Copy of ``constraints`` whose numeric intervals and int types refuse bools.

    Examples
    --------
    >>> from numbers import Integral
    >>> from sksearch.engine._sklearn import Interval
    >>> from sksearch.engine.inputs._no_bools import no_bools
    >>> strict = no_bools({"n": [Interval(Integral, 0, None, closed="left"), None]})
    >>> strict["n"][0].is_satisfied_by(True), strict["n"][0].is_satisfied_by(3)
    (False, True)
    """
    return {name: options if options == "no_validation" else [_strict(c) for c in options]
            for name, options in constraints.items()}


def _strict(constraint):
    if isinstance(constraint, Interval) and constraint.type in (Integral, Real):
        return _Number(constraint.type, constraint.left, constraint.right,
                       closed=constraint.closed)
    if constraint is Integral:  # a plain int type, e.g. n_jobs
        return _Number(Integral, None, None, closed="neither")
    return constraint
