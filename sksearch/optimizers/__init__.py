"""Ask/tell optimizers on the unit cube (numpy and scipy only).

Each optimizer maximizes a black-box score over ``[0, 1]^d`` described by a
:class:`~sksearch.space._cube.CubeLayout`; see :class:`Optimizer` for the contract.
They never fit anything, so they can be driven by any loop.
"""

from ._base import Optimizer
from ._bayes import BayesianOptimizer
from ._exhaustive import Exhaustive
from ._genetic import GeneticAlgorithm
from ._pso import ParticleSwarm
from ._random import RandomSampler
from ._tpe import TreeParzenEstimator

__all__ = [
    "BayesianOptimizer",
    "Exhaustive",
    "GeneticAlgorithm",
    "Optimizer",
    "ParticleSwarm",
    "RandomSampler",
    "TreeParzenEstimator",
]
