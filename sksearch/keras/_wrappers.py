"""The public Keras wrappers: :class:`KerasClassifier` and :class:`KerasRegressor`."""

import numpy as np
from sklearn.base import ClassifierMixin, RegressorMixin
from sklearn.utils.class_weight import compute_sample_weight
from sklearn.utils.multiclass import check_classification_targets, type_of_target

from ._doc_fragments import complete_docstring
from ._estimator import KerasEstimator
from ..engine._sklearn import StrOptions

__all__ = ["KerasClassifier", "KerasRegressor"]


@complete_docstring
class KerasClassifier(ClassifierMixin, KerasEstimator):
    """A Keras classifier built by a function and tuned like any estimator.

    ``model`` is a function that returns a Keras model. Its keyword
    arguments are hyperparameters of the classifier: pass them to the
    constructor, read them with ``get_params``, change them with
    ``set_params``, tune them with any search; a keyword without a default
    is None until it is set. A build function may also ask for facts of the
    training data by name: ``n_features_in`` (columns of ``X``),
    ``input_shape`` (``X.shape[1:]``) and ``n_classes``, and for any
    parameter of the classifier (e.g. ``learning_rate`` or ``optimizer``).

    The model's last layer gives class probabilities: ``n_classes`` units
    with a softmax, or, for two classes, one unit with a sigmoid. It is
    trained on the classes encoded as ``0 .. n_classes - 1`` (in the order of
    ``classes_``).

    Parameters
    ----------
    {model_parameters}
    loss : str, callable or None, default=None
        Loss of an uncompiled model. None chooses from the output:
        ``"binary_crossentropy"`` for one sigmoid unit,
        ``"sparse_categorical_crossentropy"`` otherwise.
    {training_parameters}
    class_weight : dict, "balanced" or None, default=None
        Weights of the classes, keyed by label, multiplied into the sample
        weights; "balanced" weighs classes inversely to their frequency.
    {seed_parameters}

    Attributes
    ----------
    classes_ : ndarray of shape (n_classes,)
        The class labels.
    {common_attributes}

    See Also
    --------
    KerasRegressor : The same wrapper for regression.
    sksearch.PSOSearchCV, sksearch.GeneticSearchCV, sksearch.BayesSearchCV :
        Searches that tune the hyperparameters.

    Notes
    -----
    {notes}

    Examples
    --------
    >>> import keras
    >>> from sklearn.datasets import load_iris
    >>> from sksearch.keras import KerasClassifier
    >>> def build(n_features_in, n_classes, units=8):
    ...     return keras.Sequential([
    ...         keras.Input((n_features_in,)),
    ...         keras.layers.Dense(units, activation="relu"),
    ...         keras.layers.Dense(n_classes, activation="softmax"),
    ...     ])
    >>> X, y = load_iris(return_X_y=True)
    >>> clf = KerasClassifier(build, units=4, epochs=1, random_state=0)
    >>> clf.get_params()["units"]
    4
    >>> clf.fit(X, y).classes_
    array([0, 1, 2])
    >>> clf.predict_proba(X[:2]).shape
    (2, 3)
    """

    _parameter_constraints = {
        **KerasEstimator._parameter_constraints,
        "class_weight": [dict, StrOptions({"balanced"}), None],
    }
    _data_facts = (*KerasEstimator._data_facts, "n_classes")
    _target_checks = {"multi_output": False}

    def __init__(
        self,
        model,
        *,
        epochs=10,
        batch_size=32,
        optimizer="adam",
        loss=None,
        metrics=None,
        validation_split=0.0,
        callbacks=None,
        verbose=0,
        class_weight=None,
        random_state=None,
        warm_start=False,
        **params,
    ):
        super().__init__(
            model,
            epochs=epochs,
            batch_size=batch_size,
            optimizer=optimizer,
            loss=loss,
            metrics=metrics,
            validation_split=validation_split,
            callbacks=callbacks,
            verbose=verbose,
            random_state=random_state,
            warm_start=warm_start,
            **params,
        )
        self.class_weight = class_weight

    def predict_proba(self, X):
        """Probability of each class.

        Parameters
        ----------
        X : array-like of shape (n_samples, n_features) or (n_samples, ...)
            Samples.

        Returns
        -------
        proba : ndarray of shape (n_samples, n_classes)
            Probabilities, columns in the order of ``classes_``.
        """
        proba = self._raw_predict(X)
        if proba.shape[1] == 1:
            proba = np.hstack([1 - proba, proba])
        return proba

    def predict(self, X):
        """Most probable class of each sample.

        Parameters
        ----------
        X : array-like of shape (n_samples, n_features) or (n_samples, ...)
            Samples.

        Returns
        -------
        y : ndarray of shape (n_samples,)
            Predicted labels, taken from ``classes_``.
        """
        proba = self.predict_proba(X)
        return self.classes_[np.argmax(proba, axis=1)]

    def _encode_target(self, y):
        check_classification_targets(y)
        if type_of_target(y) not in ("binary", "multiclass"):
            raise ValueError(
                "KerasClassifier supports binary and multiclass targets, "
                f"got {type_of_target(y)!r}."
            )
        self.classes_, codes = np.unique(y, return_inverse=True)
        if len(self.classes_) < 2:
            raise ValueError(
                "KerasClassifier needs samples of at least 2 classes, got 1 class."
            )
        weight = None
        if self.class_weight is not None:
            weight = compute_sample_weight(self.class_weight, y).astype(np.float32)
        return codes.astype(np.float32), weight

    def _facts(self, X):
        return {
            "input_shape": X.shape[1:],
            "n_features_in": X.shape[1],
            "n_classes": len(self.classes_),
        }

    def _check_outputs(self, n_outputs):
        n_classes = len(self.classes_)
        if n_outputs == n_classes:
            return "sparse_categorical_crossentropy"
        if n_outputs == 1 and n_classes == 2:
            return "binary_crossentropy"
        raise ValueError(
            f"The model has {n_outputs} outputs for {n_classes} classes: its last "
            "layer needs n_classes units (softmax), or 1 unit (sigmoid) for 2 "
            "classes."
        )

    def __sklearn_tags__(self):
        tags = super().__sklearn_tags__()
        # How well a network does depends on its training budget (epochs).
        tags.classifier_tags.poor_score = True
        return tags


@complete_docstring
class KerasRegressor(RegressorMixin, KerasEstimator):
    """A Keras regressor built by a function and tuned like any estimator.

    The same wrapper as :class:`KerasClassifier`, for real-valued targets:
    the build function may ask for ``n_features_in``, ``input_shape`` and
    ``n_outputs`` (columns of ``y``), and its model's last layer has
    ``n_outputs`` units. An uncompiled model is compiled with the mean
    squared error unless ``loss`` says otherwise. ``score`` is R².

    Parameters
    ----------
    {model_parameters}
    loss : str, callable or None, default=None
        Loss of an uncompiled model. None means ``"mean_squared_error"``.
    {training_parameters}
    {seed_parameters}

    Attributes
    ----------
    n_outputs_ : int
        Number of targets.
    {common_attributes}

    See Also
    --------
    KerasClassifier : The same wrapper for classification.
    sksearch.PSOSearchCV, sksearch.GeneticSearchCV, sksearch.BayesSearchCV :
        Searches that tune the hyperparameters.

    Notes
    -----
    {notes}

    Examples
    --------
    >>> import keras
    >>> from sklearn.datasets import make_regression
    >>> from sksearch.keras import KerasRegressor
    >>> def build(n_features_in, n_outputs, units=8):
    ...     return keras.Sequential([
    ...         keras.Input((n_features_in,)),
    ...         keras.layers.Dense(units, activation="relu"),
    ...         keras.layers.Dense(n_outputs),
    ...     ])
    >>> X, y = make_regression(n_samples=40, n_features=3, random_state=0)
    >>> reg = KerasRegressor(build, learning_rate=0.01, epochs=1, random_state=0)
    >>> reg.fit(X, y).predict(X[:2]).shape
    (2,)
    """

    _data_facts = (*KerasEstimator._data_facts, "n_outputs")
    _target_checks = {"multi_output": True, "y_numeric": True}

    def predict(self, X):
        """Predicted targets.

        Parameters
        ----------
        X : array-like of shape (n_samples, n_features) or (n_samples, ...)
            Samples.

        Returns
        -------
        y : ndarray of shape (n_samples,) or (n_samples, n_outputs)
            Predictions, of the shape of the training target.
        """
        predictions = self._raw_predict(X)
        return predictions.ravel() if self._target_1d else predictions

    def _encode_target(self, y):
        self._target_1d = y.ndim == 1
        target = np.asarray(y, dtype=np.float32).reshape(len(y), -1)
        self.n_outputs_ = target.shape[1]
        return target, None

    def _facts(self, X):
        return {
            "input_shape": X.shape[1:],
            "n_features_in": X.shape[1],
            "n_outputs": self.n_outputs_,
        }

    def _check_outputs(self, n_outputs):
        if n_outputs != self.n_outputs_:
            raise ValueError(
                f"The model has {n_outputs} outputs for {self.n_outputs_} targets: "
                "its last layer needs n_outputs units."
            )
        return "mean_squared_error"

    def __sklearn_tags__(self):
        tags = super().__sklearn_tags__()
        tags.target_tags.multi_output = True
        tags.regressor_tags.poor_score = True
        return tags
