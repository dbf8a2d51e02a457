"""What a candidate costs at a rung, in full-resource fits: by resource units, or by seconds.

The budget ``n_iter`` of a multi-fidelity search counts full-resource fits;
:class:`RungCosts` says what one candidate's evaluation at a rung is charged
in that currency, and what a bracket's plan must fit into.

``"units"`` (the default of the searches): a rung costs its resource over the
full resource (``10 / 270`` for 10 of 270 boosting iterations), whether the
fit started from zero or continued a model.

``"seconds"``: what fits really take. A fit that trains ``u`` resource units
(the rung's resource from zero, or what it adds to a continued model) is
modelled as taking ``a + b * u`` seconds, ``a`` the fixed part of every fit
(data binning, set-up, Python) and ``b`` the part per unit. ``a`` and ``b``
are fitted, non-negative, to the median fit time of each size of fit seen so
far (weighted by how many there were), so the first bracket's fits tell it.
One candidate then costs ``(a + b * r_j) / (a + b * r_max)`` full-resource
fits when it enters at rung ``j`` and ``(a + b * (r_j - r_{j-1})) / (a + b *
r_max)`` when it is promoted there and continues its model. Until fits of
two sizes are seen, ``a`` is 0: the same as units.

A rung whose fits from zero cost more than ``1 / sqrt(factor)`` of the next
rung's (halfway, on a log scale, between the ``1 / factor`` that successive
halving assumes and the next rung's own cost) screens candidates for
nearly what evaluating fewer of them higher would cost: :meth:`floor` is the
lowest rung worth entering, and brackets start there or above. The fixed
part weighs most at the cheapest rungs, so only the bottom of the ladder is
ever cut.

Seconds come from ``cv_results_["mean_fit_time"]``, which a checkpoint keeps:
a resumed search replays its journal exactly, its plans made from the
recorded times. Two fresh runs may plan differently, as their fits take
different times.
"""

import math

import numpy as np
from scipy.optimize import nnls


class RungCosts:
    """Costs of a ladder's rungs, in full-resource fits from zero.

    Parameters
    ----------
    resources : list of int
        The ladder, increasing; the last is the full resource.
    measure : bool, default=False
        True: by the seconds fits take (see the module); False: by units.
    continues : bool, default=False
        Whether a promoted candidate continues its model (fit reuse), so that
        its fit trains only the units the rung adds.

    Examples
    --------
    >>> costs = RungCosts([10, 30, 90], measure=True)
    >>> costs.cost(0)  # nothing measured yet: units
    0.1111...
    >>> costs.add([10] * 9, [1.2] * 9)
    >>> costs.add([30] * 3, [1.6] * 3)  # 1 s of set-up, 0.02 s per unit
    >>> round(costs.cost(0), 3), costs.floor(factor=3)
    (0.429, 1)
    """

    def __init__(self, resources, measure=False, continues=False):
        self.resources = [int(r) for r in resources]
        self.measure, self.continues = bool(measure), bool(continues)
        self._seconds = {}  # units trained -> fit seconds seen
        self.fixed, self.per_unit = 0.0, None  # a and b of the model, in seconds

    def add(self, units, seconds):
        """Record fits that trained ``units`` resource units and took ``seconds``."""
        if not self.measure:
            return
        for u, t in zip(units, seconds):
            if u > 0 and np.isfinite(t) and t >= 0:
                self._seconds.setdefault(int(u), []).append(float(t))
        self._fit()

    def _fit(self):
        sizes = sorted(self._seconds)
        if not sizes:
            return
        medians = np.array([np.median(self._seconds[u]) for u in sizes])
        weights = np.sqrt([len(self._seconds[u]) for u in sizes])
        if len(sizes) == 1:
            self.fixed, self.per_unit = 0.0, float(medians[0]) / sizes[0]
            return
        design = np.column_stack([np.ones(len(sizes)), np.asarray(sizes, dtype=float)])
        (fixed, per_unit), _ = nnls(design * weights[:, None], medians * weights)
        if fixed + per_unit * self.resources[-1] <= 0:  # every fit took no time
            fixed, per_unit = 0.0, 1.0
        self.fixed, self.per_unit = float(fixed), float(per_unit)

    @property
    def measured(self):
        """Whether costs follow measured seconds (by seconds, once a fit is seen)."""
        return self.measure and self.per_unit is not None

    def _seconds_for(self, units):
        return self.fixed + self.per_unit * units

    def cost(self, rung, promoted=False):
        """One candidate's cost at ``rung`` (an index into ``resources``), in
        full-resource fits from zero; ``promoted``: it reached the rung from the
        one below (and continues its model when fits continue)."""
        resource = self.resources[rung]
        if not self.measured:
            return resource / self.resources[-1]
        units = resource
        if promoted and self.continues and rung > 0:
            units = resource - self.resources[rung - 1]
        return self._seconds_for(units) / self._seconds_for(self.resources[-1])

    def floor(self, factor):
        """The lowest rung worth entering: every rung below it costs, from zero,
        more than ``1 / sqrt(factor)`` of the next rung's cost."""
        rung = 0
        while (rung + 1 < len(self.resources)
               and self.cost(rung) > self.cost(rung + 1) / math.sqrt(factor)):
            rung += 1
        return rung

    def seconds(self):
        """Rung resource -> modelled seconds of a fit from zero there; empty
        while nothing is measured (or with units)."""
        if not self.measured:
            return {}
        return {r: self._seconds_for(r) for r in self.resources}
