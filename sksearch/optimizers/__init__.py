"""Ask/tell optimizers on the unit cube (numpy and scipy only).

Each optimizer maximizes a black-box score over ``[0, 1]^d`` described by a
:class:`~sksearch._cube.CubeLayout`; see :class:`Optimizer` for the contract.
"""

from ._base import Optimizer
from ._random import RandomSampler

__all__ = ["Optimizer", "RandomSampler"]
