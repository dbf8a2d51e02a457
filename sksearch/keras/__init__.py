"""scikit-learn estimators around a function that builds a Keras model.

:class:`KerasClassifier` and :class:`KerasRegressor` turn a *build function*
into an estimator. The keyword arguments of the build function become
parameters of the estimator, so that ``GridSearchCV``, ``RandomizedSearchCV``
and sksearch's own searches tune a network by plain names, as they tune a
random forest::

    search = BayesSearchCV(KerasClassifier(build), {"units": [32, 64]})

Keras is imported by ``fit`` and ``predict``, never by ``import sksearch``,
and only Keras 3's public API is used, so any Keras backend works. With
``verbose=0`` (the default) a search is quiet: TensorFlow's start-up lines and
its retracing warnings are silenced, in joblib's worker processes too.
"""

from ._wrappers import KerasClassifier, KerasRegressor

__all__ = ["KerasClassifier", "KerasRegressor"]
