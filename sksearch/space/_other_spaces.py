"""Dimensions of another tuner's space, read as their authors meant them.

sklearn-genetic-opt's ``Integer``, ``Continuous`` and ``Categorical`` (from
``sklearn_genetic.space``) are recognised by their class (module and name,
so that sksearch does not import that package) and become the sksearch
dimension that searches the same values with the same distribution; what
sksearch cannot search exactly is refused with the spelling that it can.

Examples
--------
>>> class Continuous:  # a stand-in of sklearn_genetic.space.Continuous
...     __module__ = "sklearn_genetic.space.space"
...     def __init__(self, lower, upper, distribution="uniform"):
...         self.lower, self.upper, self.distribution = lower, upper, distribution
>>> other_dimension(Continuous(1e-3, 10.0, "log-uniform"))
Real(0.001, 10.0, log=True)
"""

from ._choices import check_equal_prior
from ._dimensions import Categorical, Integer, Real

#: The package whose dimension classes are read.
GENETIC_OPT_MODULE = "sklearn_genetic.space"


def other_dimension(value):
    """The sksearch dimension of another tuner's dimension ``value``, or None."""
    cls = type(value)
    module = cls.__module__ or ""
    if module != GENETIC_OPT_MODULE and not module.startswith(GENETIC_OPT_MODULE + "."):
        return None
    reader = _GENETIC_OPT.get(cls.__name__)
    return None if reader is None else reader(value)


def _numeric(value, dimension):
    kind = type(value).__name__
    lower, upper = getattr(value, "lower", None), getattr(value, "upper", None)
    distribution = getattr(value, "distribution", "uniform")
    if distribution not in ("uniform", "log-uniform"):
        raise ValueError(
            f"sklearn_genetic's {kind}(lower={lower!r}, upper={upper!r}, "
            f"distribution={distribution!r}) has a distribution sksearch does not know: write "
            f"{dimension.__name__}({lower!r}, {upper!r}) or "
            f"{dimension.__name__}({lower!r}, {upper!r}, log=True)")
    return dimension(lower, upper, log=distribution == "log-uniform")


def _continuous(value):
    return _numeric(value, Real)


def _integer(value):
    return _numeric(value, Integer)


def _categorical(value):
    distribution = getattr(value, "distribution", "choice")
    if distribution != "choice":
        raise ValueError(
            f"sklearn_genetic's Categorical(distribution={distribution!r}) is not known to "
            "sksearch: write Categorical(choices)")
    choices = getattr(value, "choices", None)
    dim = Categorical(choices if choices is not None else [])
    check_equal_prior(getattr(value, "priors", None), dim.choices, spelled="priors")
    return dim


_GENETIC_OPT = {"Continuous": _continuous, "Integer": _integer, "Categorical": _categorical}
