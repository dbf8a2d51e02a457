"""Hyperparameter searches for scikit-learn: particle swarm, genetic algorithm
and Bayesian optimization, as drop-in replacements for ``RandomizedSearchCV``.

>>> from sksearch import PSOSearchCV, GeneticSearchCV, BayesSearchCV
"""

from ._bayes import BayesSearchCV
from ._callbacks import SearchState
from ._genetic import GeneticSearchCV
from ._pso import PSOSearchCV

__version__ = "0.1.0"

__all__ = ["BayesSearchCV", "GeneticSearchCV", "PSOSearchCV", "SearchState"]
