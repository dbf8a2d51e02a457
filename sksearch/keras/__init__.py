"""Keras models as scikit-learn estimators: :class:`KerasClassifier`, :class:`KerasRegressor`."""

from ._wrappers import KerasClassifier, KerasRegressor

__all__ = ["KerasClassifier", "KerasRegressor"]
