"""``constraints=``: what a candidate must meet, checked before any fit.

Two kinds of constraints, given in one list:

* a **parameter constraint** is a callable ``params -> bool``, judged on a
  candidate's parameters before it is fitted: a candidate that breaks one is
  never fitted and does not count in ``n_iter``; the optimizers propose
  feasible candidates only (:class:`~sksearch.optimizers._constrained.Constrained`);
* an **outcome constraint** is a string ``"<name> <= <number>"`` (or
  ``>=``, ``<``, ``>``), judged on a row of ``cv_results_`` once evaluated:
  ``<name>`` is a metric of ``scoring`` (``score`` for a single one),
  compared with ``mean_test_<name>``, or ``fit_time`` / ``score_time``,
  compared with ``mean_fit_time`` / ``mean_score_time``. A row that breaks
  one is marked in ``cv_results_["feasible"]``, told to the optimizer as a
  failure and never chosen as ``best_*`` (unless no row meets them).

:func:`check_constraints` refuses what is not one of these, and a space
whose feasible part, estimated on a seeded sample of the cube (the whole
space when it is small and finite), is empty or tiny.
"""

import re
from dataclasses import dataclass

import numpy as np

from ..._warnings import warn

#: Uniform points of the cube on which the feasible fraction is estimated;
#: a finite space of at most ``ENUMERATE_UP_TO`` candidates is counted exactly.
N_SAMPLES = 2000
ENUMERATE_UP_TO = 4096
#: A feasible fraction below this (an infinite space) is refused: fewer than
#: 2 of the 2,000 points sampled, where every proposal would cost hundreds of draws.
MIN_FEASIBLE_FRACTION = 1e-3

_OUTCOME = re.compile(r"\s*([A-Za-z_][A-Za-z0-9_]*)\s*(<=|>=|<|>)\s*"
                      r"([-+]?(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][-+]?\d+)?)\s*")
_TIMES = {"fit_time": "mean_fit_time", "score_time": "mean_score_time"}
_SPELLINGS = ("a callable params -> bool (lambda p: p['max_leaf_nodes'] < 2 ** p['max_depth']) "
              "or an outcome constraint such as 'score >= 0.8', 'fit_time <= 2' or "
              "'accuracy > 0.9' (<name> <=, >=, < or > <number>)")
_COMPARE = {"<=": np.less_equal, ">=": np.greater_equal, "<": np.less, ">": np.greater}


@dataclass(frozen=True)
class Outcome:
    """An outcome constraint: ``cv_results_[column] <op> threshold``."""

    text: str
    name: str
    op: str
    threshold: float

    @property
    def column(self):
        return _TIMES.get(self.name, f"mean_test_{self.name}")

    def holds(self, cv_results):
        """Per row of ``cv_results``: whether it meets this constraint (NaN does not)."""
        values = np.asarray(cv_results[self.column], dtype=float)
        with np.errstate(invalid="ignore"):
            return _COMPARE[self.op](values, self.threshold)


class Constraints:
    """The constraints of one fit, checked; see :func:`check_constraints`.

    Attributes
    ----------
    parameter : list of (str, callable)
        The parameter constraints, each with the name errors give it.
    outcome : list of Outcome
    n_feasible : int or None
        The number of feasible candidates of a finite space counted exactly
        (at most ``ENUMERATE_UP_TO`` candidates), else None.
    """

    def __init__(self, parameter, outcome, space):
        self.parameter, self.outcome, self.space = parameter, outcome, space
        self.n_feasible = None

    def judge(self, params):
        """Per parameter constraint, whether ``params`` (a dict) meets it."""
        verdicts = []
        for name, constraint in self.parameter:
            try:
                verdict = constraint(dict(params))
            except Exception as exc:
                raise ValueError(f"{name} raised {type(exc).__name__}: {exc} on the "
                                 f"candidate {params!r}; a constraint must return True or "
                                 "False for every candidate of param_distributions (for a "
                                 "union of dicts, read a parameter that may be absent with "
                                 "p.get(name))") from exc
            if not isinstance(verdict, (bool, np.bool_)):
                raise ValueError(f"{name} returned {verdict!r} ({type(verdict).__name__}) on "
                                 f"the candidate {params!r}; it must return a bool: True "
                                 "where the candidate may be fitted, e.g. "
                                 "lambda p: bool(...)")
            verdicts.append(bool(verdict))
        return verdicts

    def feasible(self, X):
        """Whether each row of the cube points ``X`` meets every parameter constraint."""
        X = np.atleast_2d(X)
        return np.array([all(self.judge(p)) for p in self.space.decode(X)], dtype=bool)

    def check_initial(self, candidates):
        """Refuse a warm-start candidate (a dict, fitted as given) that breaks one."""
        for i, params in enumerate(candidates or []):
            for (name, _), ok in zip(self.parameter, self.judge(params)):
                if not ok:
                    raise ValueError(
                        f"initial_candidates[{i}] = {params!r} breaks {name}: a candidate "
                        "that breaks a constraint is never fitted. Leave it out of "
                        "initial_candidates (of a fitted search's results, pass the "
                        "feasible ones as a list: [p for p in search.cv_results_['params'] "
                        "if ...]).")

    def mark(self, cv_results, scores):
        """Add ``cv_results["feasible"]`` (the outcome constraints met, per row) and
        return ``scores`` (the last rows' objective) with NaN where one is broken."""
        if not self.outcome:
            return scores
        feasible = np.ones(len(cv_results["params"]), dtype=bool)
        for outcome in self.outcome:
            if outcome.column not in cv_results:
                raise ValueError(f"constraints: {outcome.text!r} names {outcome.name!r}, "
                                 f"which cv_results_ has no {outcome.column!r} for; the "
                                 f"names are {_names(cv_results)}")
            feasible &= outcome.holds(cv_results)
        cv_results["feasible"] = feasible
        last = feasible[len(feasible) - len(scores):]
        return np.where(last if np.ndim(scores) == 1 else last[:, None], scores, np.nan)


def check_constraints(constraints, space, scorers, *, seed, scoring=None, resource=None):
    """The checked :class:`Constraints` of a fit, or None without any.

    Parameters
    ----------
    constraints : list, tuple or None
        The search's ``constraints``.
    space : Space
    scorers : scorer or dict
        As ``get_scorers`` gives them: a dict names the metrics.
    seed : int
        The search's seed: the sample the feasible fraction is estimated on.
    scoring : object, default=None
        The search's ``scoring``; a callable may return metrics of any name.
    resource : Resource, default=None
        Outcome constraints are refused with a resource.
    """
    if isinstance(constraints, str) or callable(constraints):
        spelled = getattr(constraints, "__name__", None) or repr(constraints)
        raise ValueError(f"constraints={constraints!r} is not a list; write "
                         f"constraints=[{spelled}] (a list of {_SPELLINGS})")
    if constraints is None or len(constraints) == 0:
        return None
    parameter, outcome = [], []
    scorers = getattr(scorers, "_scorers", scorers)  # a multi-metric scorer holds a dict
    names = list(scorers) if isinstance(scorers, dict) else ["score"]
    for i, item in enumerate(constraints):
        if isinstance(item, str):
            outcome.append(_parse_outcome(i, item, names, callable(scoring)))
        elif callable(item):
            label = getattr(item, "__name__", None) or repr(item)
            parameter.append((f"constraints[{i}] ({label})", item))
        else:
            raise ValueError(f"constraints[{i}] = {item!r} is neither a parameter nor an "
                             f"outcome constraint; write {_SPELLINGS}")
    if outcome and resource is not None:
        raise ValueError(
            f"constraints: the outcome constraint {outcome[0].text!r} cannot be judged with "
            f"resource={resource.name!r}: the cheap rungs' scores and times are not the full "
            "resource's, so they would drop candidates that meet it. Give outcome "
            "constraints without a resource, or parameter constraints only.")
    checked = Constraints(parameter, outcome, space)
    if parameter:
        _check_feasible_fraction(checked, space, seed)
    return checked


def _parse_outcome(i, text, names, any_name):
    match = _OUTCOME.fullmatch(text)
    if match is None:
        raise ValueError(f"constraints[{i}] = {text!r} is not an outcome constraint; write "
                         f"{_SPELLINGS}")
    name, op, number = match.groups()
    known = names + list(_TIMES)
    if name not in known and not any_name:
        raise ValueError(f"constraints[{i}] = {text!r}: {name!r} is neither a metric of "
                         f"scoring nor a time; the names are {known} "
                         f"(e.g. '{known[0]} {op} {number}')")
    return Outcome(text, name, op, float(number))


def _check_feasible_fraction(constraints, space, seed):
    """Refuse a space whose feasible part is empty or tiny, naming what rejects most."""
    layout = space.layout
    exact = layout.size <= ENUMERATE_UP_TO
    if exact:
        X = layout.enumerate()
    else:
        X = layout.snap(layout.random(N_SAMPLES, np.random.default_rng(seed)))
    verdicts = np.array([constraints.judge(p) for p in space.decode(X)], dtype=bool)
    feasible = verdicts.all(axis=1)
    if exact:
        constraints.n_feasible = int(feasible.sum())
    fraction = feasible.mean()
    if feasible.any() and (exact or fraction >= MIN_FEASIBLE_FRACTION):
        if not exact and fraction < 0.01:
            warn(f"constraints: about {fraction:.2%} of the space is feasible (of "
                 f"{len(X)} points sampled); each proposal is repaired or drawn again "
                 "many times. Narrow param_distributions to the feasible region.")
        return
    rejected = 1.0 - verdicts.mean(axis=0)
    order = np.argsort(-rejected, kind="stable")
    each = ", ".join(f"{constraints.parameter[j][0]} rejects {rejected[j]:.1%}" for j in order)
    where = (f"of the {len(X)} candidates of param_distributions" if exact else
             f"of {len(X)} points sampled uniformly from param_distributions")
    raise ValueError(
        f"constraints: {int(feasible.sum())} {where} meet every constraint "
        f"({fraction:.2%}; {each}). The feasible region is empty or too small to search: "
        f"loosen {constraints.parameter[order[0]][0]} or narrow param_distributions to "
        "where the constraints hold.")


def eligible_rows(cv_results):
    """Rows that may be ``best_*``: those ``cv_results["feasible"]`` marks, all of them
    (with a warning) when none is, every row without outcome constraints."""
    n = len(cv_results["params"])
    if "feasible" not in cv_results:
        return np.ones(n, dtype=bool)
    feasible = np.asarray(cv_results["feasible"], dtype=bool)
    if feasible.any():
        return feasible
    warn(f"constraints: none of the {n} candidates evaluated meets the outcome "
         "constraints (cv_results_['feasible'] is False everywhere); best_* is chosen "
         "among all of them.")
    return np.ones(n, dtype=bool)


def _names(cv_results):
    return sorted([k[len("mean_test_"):] for k in cv_results if k.startswith("mean_test_")]
                  + list(_TIMES))
