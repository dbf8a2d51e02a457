"""Hyperparameter searches for scikit-learn: particle swarm, genetic algorithm
and Bayesian optimization, as drop-in replacements for ``RandomizedSearchCV``."""

__version__ = "0.1.0"
