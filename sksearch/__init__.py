"""Hyperparameter searches for scikit-learn: particle swarm, genetic algorithm
and Bayesian optimization, as drop-in replacements for ``RandomizedSearchCV``.

>>> from sksearch import PSOSearchCV, GeneticSearchCV, BayesSearchCV
"""

from ._bayes_search import BayesSearchCV
from .engine._callbacks import SearchState
from ._genetic_search import GeneticSearchCV
from ._pso_search import PSOSearchCV

__version__ = "0.1.0"

__all__ = ["BayesSearchCV", "GeneticSearchCV", "PSOSearchCV", "SearchState"]
