"""The resource of a multi-fidelity search: what makes a fit cheaper, and its ladder.

``resource="n_samples"`` trains each fold on a part of its training set
(the test folds stay whole); any other name is an estimator parameter
(``n_estimators``, ``max_iter``, the Keras wrappers' ``epochs``,
``clf__n_estimators`` in a Pipeline) set to the rung's value. Everything is
checked before any fit, and a value that cannot be read as meant is refused
with the spelling that works.
"""

import math
from numbers import Integral

import numpy as np
from sklearn.base import clone, is_classifier

from ._brackets import ladder
from ..._warnings import warn
from .._results import at_full_resource
from .._sklearn import num_samples, validate_estimator_params

#: Rungs below the full resource when ``min_resources="auto"``: the cheapest
#: rung gets ``factor ** -AUTO_RUNGS`` of the full resource.
AUTO_RUNGS = 3
#: Integer parameters that are no budget: their value does not trade the
#: cost of a fit against its quality as a rung's resource must.
NOT_A_BUDGET = {
    "random_state": "a seed: another value is another fit, not a cheaper one",
    "seed": "a seed: another value is another fit, not a cheaper one",
    "n_jobs": "the number of parallel workers: it changes the speed, not what is fitted",
    "verbose": "the amount printed: it changes nothing that is fitted",
    "batch_size": ("the number of samples per gradient step: a larger batch makes a fit "
                   "cheaper, not better, so the rungs would be upside down"),
    "n_iter_no_change": "a stopping patience: it does not bound the cost of a fit",
}


class Resource:
    """A search's resource and its ladder of values.

    Attributes
    ----------
    name : str
        ``"n_samples"`` or the estimator parameter.
    ladder : list of int
        The ladder, increasing; the last is ``max_resources``.
    """

    def __init__(self, name, ladder, stratify=False, n_samples=None):
        self.name, self.ladder, self.stratify = name, ladder, stratify
        self.n_samples = n_samples  # n_samples: the rows of X (a rung's share is of them)
        self._train_orders = None  # n_samples: each fold's training set, in random order

    def draw_training_orders(self, splits, y, seed):
        """For n_samples: order each training set at random (from ``seed``) so
        that every rung trains on a prefix, the larger rungs on more of it."""
        if self.name == "n_samples":
            rng = np.random.default_rng(seed)
            self._train_orders = [_training_order(np.asarray(train), y, self.stratify, rng)
                                  for train, _ in splits]

    def full_only(self):
        """This resource with one rung, the full resource."""
        return Resource(self.name, self.ladder[-1:], self.stratify, self.n_samples)

    def candidates(self, candidates, rung):
        """The parameters fitted at ``rung``: with the resource set, for a parameter."""
        if self.name == "n_samples":
            return candidates
        return [{**c, self.name: self.ladder[rung]} for c in candidates]

    def best_rows(self, cv_results):
        """Rows that may be best: at the full resource (at the largest one
        evaluated, with a warning, if none was)."""
        full = at_full_resource(cv_results, self.ladder[-1])
        if full.any():
            return full
        n_resources = np.asarray(cv_results["n_resources"])
        warn(f"The search stopped before any candidate was evaluated at the full resource "
             f"({self.name}={self.ladder[-1]}); best_params_ is the best at "
             f"{self.name}={n_resources.max()}.")
        return n_resources == n_resources.max()

    def fitted_attributes(self, brackets, cv_results):
        """``n_resources_``, ``n_candidates_``, ``min_resources_``, ``max_resources_``,
        ``rung_agreement_``, ``dropped_rungs_``, ``rung_costs_`` of a search that ran
        ``brackets``."""
        evaluated = list(cv_results["n_resources"]) if cv_results is not None else []
        return {
            "n_resources_": list(self.ladder),
            "n_candidates_": [evaluated.count(r) for r in self.ladder],
            "min_resources_": self.ladder[brackets.floor()],
            "max_resources_": self.ladder[-1],
            "rung_agreement_": {self.ladder[rung]: value
                                for rung, value in sorted(brackets.agreement.items())},
            "dropped_rungs_": list(brackets.dropped),
            "rung_costs_": {r: brackets.cost(rung) for rung, r in enumerate(self.ladder)},
        }

    def splits(self, splits, rung):
        """The folds at ``rung``: training sets cut to the rung's share, for n_samples.

        The share is of X's rows: a rung of ``ladder[rung]`` samples trains
        each fold on that share of its training set, the top rung included
        when ``max_resources`` is less than X has.
        """
        if self.name == "n_samples" and self.ladder[rung] < self.n_samples:
            share = self.ladder[rung] / self.n_samples
            return [(order[: max(1, math.ceil(share * len(order)))], test)
                    for order, (_, test) in zip(self._train_orders, splits)]
        return splits


def check_resource(search, space, X, y, splits):
    """The :class:`Resource` of ``search`` for this fit, or None without ``resource``.

    Raises a ValueError naming the parameter, the value and the spelling
    that works for: a resource the estimator lacks, that is also searched or
    that is no budget (:data:`NOT_A_BUDGET`), ``min_resources`` above
    ``max_resources``, an ``"auto"`` maximum that the estimator's value
    cannot give, a ladder of a single rung or whose rungs round together,
    and a resource value the estimator rejects.
    """
    name = search.resource
    if name is None:
        for param in ("min_resources", "max_resources"):
            if getattr(search, param) != "auto":
                raise ValueError(f"{param}={getattr(search, param)!r} needs a resource: set "
                                 "resource='n_samples' or the name of an estimator parameter")
        return None
    estimator = search.estimator
    if name.rsplit("__", 1)[-1] in NOT_A_BUDGET:
        raise ValueError(
            f"resource={name!r} is {NOT_A_BUDGET[name.rsplit('__', 1)[-1]]}. A resource is "
            "what makes a fit cheaper and worse when smaller: use 'n_samples' or a parameter "
            "such as 'n_estimators', 'max_iter' or 'epochs'"
        )
    searched = sorted({n for sub in space.subspaces for n in sub})
    if name in searched:
        raise ValueError(
            f"resource={name!r} is also in param_distributions; the resource is set by the "
            f"schedule at each rung. Remove {name!r} from param_distributions, or use another "
            "resource."
        )
    n_samples = num_samples(X)
    minimum, maximum = _bounds(search, name, X, y, splits)
    values = ladder(minimum, maximum, search.factor)
    _check_rungs(search, name, values, minimum, maximum)
    if name != "n_samples":
        _check_accepted(estimator, name, (values[0], values[-1]))
        return Resource(name, values)
    return Resource(name, values,
                    stratify=is_classifier(estimator) and y is not None and np.ndim(y) == 1,
                    n_samples=n_samples)


def _bounds(search, name, X, y, splits):
    """``(min_resources, max_resources)`` as this fit reads them, or a ValueError."""
    estimator, n_samples = search.estimator, num_samples(X)
    if name == "n_samples":
        maximum = n_samples
        smallest = 2 * len(splits)
        if is_classifier(estimator) and y is not None and np.ndim(y) == 1:
            smallest *= len(np.unique(y))
    else:
        valid = estimator.get_params(deep=True)
        if name not in valid:
            raise ValueError(
                f"resource={name!r} is not a parameter of {estimator!r}: use 'n_samples' or "
                f"one of its integer parameters, such as {_integer_params(valid)!r}"
            )
        maximum, smallest = valid[name], 1
        if search.max_resources == "auto" and not _is_count(maximum):
            raise ValueError(
                f"resource={name!r}: the estimator's {name} is {maximum!r}, not a positive "
                f"integer, so max_resources='auto' cannot take it; give max_resources=<int> "
                f"or set {name} in the estimator"
            )
    maximum = maximum if search.max_resources == "auto" else search.max_resources
    if name == "n_samples" and maximum > n_samples:
        raise ValueError(f"max_resources={maximum} is more than the {n_samples} samples of X; "
                         "use max_resources='auto' for all of them")
    if search.min_resources == "auto":
        minimum = min(maximum, max(smallest, round(maximum / search.factor**AUTO_RUNGS)))
    else:
        minimum = search.min_resources
    if minimum > maximum:
        raise ValueError(f"min_resources={minimum} is more than max_resources={maximum}; "
                         "give min_resources <= max_resources (or 'auto')")
    return minimum, maximum


def _check_accepted(estimator, name, values):
    """Refuse resource values the estimator's declared constraints reject."""
    for value in values:
        try:
            owner = clone(estimator).set_params(**{name: value})
            if "__" in name:  # the step that owns the parameter
                owner = owner.get_params(deep=True)[name.rsplit("__", 1)[0]]
            validate_estimator_params(owner)
        except (ValueError, TypeError) as exc:
            raise ValueError(f"resource={name!r}: the estimator rejects {name}={value} "
                             f"({exc}); give min_resources and max_resources it "
                             "accepts") from None


def _check_rungs(search, name, ladder, minimum, maximum):
    """Refuse a ladder that is not the one written: a single rung where a range
    was given (or left to 'auto'), or rungs that stop above ``min_resources``
    because the factor makes neighbours round to the same value."""
    factor = search.factor
    below = int(round(maximum / factor ** len(ladder)))  # where the ladder stopped
    if below >= max(minimum, 1) and ladder[0] > minimum:  # the next rung rounds the same
        raise ValueError(
            f"factor={factor!r} makes the rungs {name}={below} and {ladder[0]} round to the "
            f"same value, so the ladder {ladder} stops above min_resources={minimum}: give "
            f"factor >= {(minimum + 1) / minimum:.3g} (2 or 3 are usual)"
        )
    if len(ladder) > 1 or (minimum == maximum and search.min_resources != "auto"):
        return  # several rungs, or the single one that was written
    if search.min_resources == "auto":
        fix = (f"min_resources='auto' gives {minimum}: give a larger factor (3 is the "
               f"default) or min_resources below {maximum}")
    else:
        fix = (f"give max_resources >= {math.ceil(minimum * factor)}, a smaller min_resources, "
               f"or factor <= {maximum / minimum:.3g}")
    raise ValueError(
        f"resource={name!r} with min_resources={minimum}, max_resources={maximum} and "
        f"factor={factor!r} leaves a single rung ({name}={ladder[0]}), so no candidate is "
        f"tried cheaply; {fix}. Or drop resource for a search at the full resource."
    )


def _training_order(train, y, stratify, rng):
    """``train`` in an order whose every prefix is a random sample of it,
    keeping the classes' shares when ``stratify``."""
    order = train[rng.permutation(len(train))]
    if not stratify:
        return order
    labels = np.asarray(y)[order]
    _, inverse, counts = np.unique(labels, return_inverse=True, return_counts=True)
    position = np.zeros(len(order))
    seen = np.zeros(len(counts))
    for i, c in enumerate(inverse):  # the i-th member of its class, as a share of it
        position[i] = (seen[c] + 0.5) / counts[c]
        seen[c] += 1
    return order[np.argsort(position, kind="stable")]


def _is_count(value):
    return isinstance(value, Integral) and not isinstance(value, bool) and value >= 1


def _integer_params(params):
    return sorted(k for k, v in params.items() if _is_count(v))[:6]
