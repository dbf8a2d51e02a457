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

import copy
import inspect
from numbers import Integral, Real

import numpy as np
from sklearn.base import BaseEstimator, ClassifierMixin, RegressorMixin
from sklearn.utils import check_random_state
from sklearn.utils.class_weight import compute_sample_weight
from sklearn.utils.multiclass import check_classification_targets, type_of_target
from sklearn.utils.validation import check_is_fitted, validate_data

from ._process import import_keras, quiet_tensorflow, unpickle
from ..engine._sklearn import HasMethods, Interval, StrOptions, check_sample_weight, estimator_fit_context

__all__ = ["KerasClassifier", "KerasRegressor"]

# A parameter that is not the build function's own, but that the wrapper
# routes to the optimizer when it compiles the model itself.
_OPTIMIZER_PARAMETER = "learning_rate"

# Prefixes by which scikeras routes parameters (``model__units``); here every
# parameter goes by its plain name, so a prefixed one is refused with the name
# to use.
_ROUTING_PREFIXES = ("model", "optimizer", "loss", "metrics", "callbacks", "fit",
                     "predict", "compile")


class _KerasEstimator(BaseEstimator):
    """Build, compile and train a Keras model; shared by both wrappers.

    The parameters of the estimator are those of ``__init__`` plus the
    hyperparameters of the build function: its keyword arguments other than
    the data facts (``_data_facts``) and the wrapper's own parameters.
    Hyperparameters are stored as public attributes; the wrapper tells them
    from fitted attributes by the trailing underscore of the latter.
    """

    _parameter_constraints = {
        "model": [callable],
        "epochs": [Interval(Integral, 1, None, closed="left")],
        "batch_size": [Interval(Integral, 1, None, closed="left")],
        "optimizer": [str, type, HasMethods(["get_config"])],
        "loss": [None, str, callable],
        "metrics": [None, list, tuple],
        "validation_split": [Interval(Real, 0, 1, closed="left")],
        "callbacks": [None, list, tuple],
        "verbose": ["verbose"],
        "random_state": ["random_state"],
    }

    # Names a build function may ask for to learn the shape of the data.
    _data_facts = ("input_shape", "n_features_in")
    # How validate_data checks the target.
    _target_checks = {}

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
        random_state=None,
        **params,
    ):
        self.model = model
        self.epochs = epochs
        self.batch_size = batch_size
        self.optimizer = optimizer
        self.loss = loss
        self.metrics = metrics
        self.validation_split = validation_split
        self.callbacks = callbacks
        self.verbose = verbose
        self.random_state = random_state
        for name, value in params.items():
            setattr(self, name, value)

    def get_params(self, deep=True):
        """Get the parameters of the wrapper and of its build function.

        Parameters
        ----------
        deep : bool, default=True
            Kept for scikit-learn compatibility; no parameter is an estimator.

        Returns
        -------
        params : dict
            The wrapper's own parameters, ``learning_rate`` and every
            hyperparameter of the build function: the value given to the
            wrapper, or else the build function's default, or else None.
        """
        params = {_OPTIMIZER_PARAMETER: None}
        for name, parameter in _signature(self.model).items():
            if name not in self._data_facts:
                empty = parameter.default is inspect.Parameter.empty
                params[name] = None if empty else parameter.default
        params.update(super().get_params(deep=deep))
        params.update(self._given_hyperparameters())
        return params

    def set_params(self, **params):
        """Set parameters of the wrapper or of its build function.

        Parameters
        ----------
        **params : dict
            Parameter names and values. A new ``model`` is set first, so that
            the other names are checked against the new build function; the
            hyperparameters of the old build function that the new one does
            not take are dropped.

        Returns
        -------
        self : estimator
            This estimator.
        """
        if "model" in params:
            old = set(_signature(self.model)) - {_OPTIMIZER_PARAMETER}
            self.model = params.pop("model")
            for name in self._given_hyperparameters():
                if name in old and not self._takes(name):
                    delattr(self, name)
        valid = self.get_params(deep=False)
        for name, value in params.items():
            if _is_routed(name) or (name not in valid and not _takes_any_keyword(self.model)):
                raise ValueError(self._unknown_message([name]))
            setattr(self, name, value)
        return self

    @estimator_fit_context
    def fit(self, X, y, sample_weight=None):
        """Build a new Keras model and train it on ``X`` and ``y``.

        Parameters
        ----------
        X : array-like of shape (n_samples, n_features) or (n_samples, ...)
            Training data; arrays of more dimensions (images) are passed to
            the model as they are.
        y : array-like of shape (n_samples,) or (n_samples, n_outputs)
            Target values.
        sample_weight : array-like of shape (n_samples,), default=None
            Weights of the samples in the loss.

        Returns
        -------
        self : estimator
            The fitted estimator.
        """
        X, y = validate_data(
            self, X, y, dtype=np.float32, allow_nd=True, **self._target_checks
        )
        target, weight = self._encode_target(y)
        if sample_weight is not None:
            sample_weight = check_sample_weight(sample_weight, X, dtype=np.float32)
            weight = sample_weight if weight is None else weight * sample_weight
        keras = import_keras(self.verbose)
        if self.random_state is not None:
            keras.utils.set_random_seed(_seed(self.random_state))
        with quiet_tensorflow(self.verbose):
            self.model_ = self._build(keras, X)
            history = self.model_.fit(
                X,
                target,
                sample_weight=weight,
                epochs=self.epochs,
                batch_size=self.batch_size,
                validation_split=self.validation_split,
                # Callbacks keep state (their model, the best score so far): each
                # fit gets its own copies so that the parameters stay untouched.
                callbacks=copy.deepcopy(list(self.callbacks or [])),
                verbose=self.verbose,
            )
        self.history_ = history.history
        return self

    def _build(self, keras, X):
        """Call the build function and compile its model if it did not."""
        params = self.get_params(deep=False)
        model = self.model(**self._build_arguments(params, self._facts(X)))
        if not isinstance(model, keras.Model):
            raise TypeError(
                f"The build function {_name(self.model)} must return a "
                f"keras.Model, got {type(model).__name__}."
            )
        # One forward pass builds any kind of model and reveals its output.
        n_outputs = model(X[:1], training=False).shape[-1]
        default_loss = self._check_outputs(n_outputs)
        learning_rate = params[_OPTIMIZER_PARAMETER]
        if not model.compiled:
            model.compile(
                optimizer=_make_optimizer(keras, self.optimizer, learning_rate),
                loss=default_loss if self.loss is None else self.loss,
                metrics=self.metrics,
            )
        elif learning_rate is not None and not self._takes(_OPTIMIZER_PARAMETER):
            raise ValueError(
                f"learning_rate={learning_rate!r} would be unused: the build "
                f"function {_name(self.model)} compiles its model and does not "
                "take learning_rate."
            )
        return model

    def _build_arguments(self, params, facts):
        """What the build function names: data facts and parameter values."""
        given = self._given_hyperparameters()
        unknown = [
            name
            for name in given
            if _is_routed(name) or (name != _OPTIMIZER_PARAMETER and not self._takes(name))
        ]
        if unknown:
            raise ValueError(self._unknown_message(unknown))
        kwargs = dict(given) if _takes_any_keyword(self.model) else {}
        for name, parameter in _signature(self.model).items():
            if name in facts:
                kwargs[name] = facts[name]
            elif params[name] is None and parameter.default is inspect.Parameter.empty:
                raise ValueError(
                    f"The build function {_name(self.model)} needs {name!r}: pass "
                    f"{name}=... to {type(self).__name__}."
                )
            else:
                kwargs[name] = params[name]
        return kwargs

    def _raw_predict(self, X):
        """Validate ``X`` and return the model's outputs as a numpy array."""
        check_is_fitted(self)
        X = validate_data(self, X, reset=False, dtype=np.float32, allow_nd=True)
        with quiet_tensorflow(self.verbose):
            outputs = self.model_.predict(X, batch_size=self.batch_size, verbose=0)
        return np.asarray(outputs, dtype=np.float64)

    def _takes(self, name):
        return name in _signature(self.model) or _takes_any_keyword(self.model)

    def _given_hyperparameters(self):
        """Public attributes that are neither wrapper parameters nor fitted."""
        own = set(self._get_param_names())
        return {
            name: value
            for name, value in vars(self).items()
            if name not in own and not name.startswith("_") and not name.endswith("_")
        }

    def _unknown_message(self, names):
        hints = "".join(f" {self._routing_hint(name)}" for name in sorted(names)
                        if _is_routed(name))
        return (
            f"Unknown parameter(s) {sorted(names)} for {type(self).__name__} "
            f"with build function {_name(self.model)}.{hints} Valid names are: "
            f"{sorted(n for n in self.get_params(deep=False) if not _is_routed(n))}."
        )

    def _routing_hint(self, name):
        """What to write instead of a scikeras-style ``prefix__name``."""
        prefix, _, plain = name.partition("__")
        if prefix in ("model", "optimizer") and (
            plain == _OPTIMIZER_PARAMETER or self._takes(plain)
        ):
            return (
                f"{name!r}: parameters have no routing prefix here, use the plain "
                f"name {plain!r} ({plain}=... or {{{plain!r}: [...]}} in a search)."
            )
        if prefix == "model":
            return f"{name!r}: the build function {_name(self.model)} has no keyword {plain!r}."
        if prefix == "optimizer":
            return (
                f"{name!r}: only learning_rate is passed to the optimizer; give a "
                f"configured one (optimizer=keras.optimizers.SGD({plain}=...)), or "
                f"compile the model in the build function with a {plain!r} keyword."
            )
        return (
            f"{name!r}: parameters are not routed by prefix here; set {prefix} "
            f"itself, or add a {plain!r} keyword to the build function."
        )

    def __reduce__(self):
        # A worker process unpickles the estimator before its build function,
        # whose module imports Keras: the import is made quiet first.
        return (unpickle, (type(self), self.verbose), self.__getstate__())

    def __sklearn_tags__(self):
        tags = super().__sklearn_tags__()
        tags.input_tags.three_d_array = True
        return tags


class KerasClassifier(ClassifierMixin, _KerasEstimator):
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
    model : callable
        Function that builds the Keras model. If the model it returns is not
        compiled, the classifier compiles it with ``optimizer``, ``loss`` and
        ``metrics``.
    epochs : int, default=10
        Passes over the training data.
    batch_size : int, default=32
        Samples per gradient update, and per batch when predicting.
    optimizer : str, class or keras.optimizers.Optimizer, default="adam"
        Optimizer of an uncompiled model: a Keras name, an optimizer class or
        an instance (copied at each fit). ``learning_rate``, when given, is
        passed to it.
    loss : str, callable or None, default=None
        Loss of an uncompiled model. None chooses from the output:
        ``"binary_crossentropy"`` for one sigmoid unit,
        ``"sparse_categorical_crossentropy"`` otherwise.
    metrics : list or None, default=None
        Metrics of an uncompiled model, reported in ``history_``.
    validation_split : float, default=0.0
        Fraction of the training data, taken from its end, held out to
        compute the validation loss and metrics at each epoch (what
        ``EarlyStopping(monitor="val_loss")`` watches).
    callbacks : list of keras.callbacks.Callback or None, default=None
        Callbacks of ``model.fit``; each fit uses copies of them.
    verbose : int, default=0
        Verbosity of ``model.fit``. With 0, TensorFlow is quiet too: its
        start-up lines, C++ logs below errors and retracing warnings are
        silenced, also in the worker processes of a parallel search; 1 or 2
        let them through.
    class_weight : dict, "balanced" or None, default=None
        Weights of the classes, keyed by label, multiplied into the sample
        weights; "balanced" weighs classes inversely to their frequency.
    random_state : int, RandomState instance or None, default=None
        Seeds Python, NumPy and Keras with ``keras.utils.set_random_seed``
        before building, so that two fits on the same data give the same
        model on the CPU. None leaves the global seeds alone.
    **params : dict
        Hyperparameters of the build function, and ``learning_rate``: the
        optimizer's learning rate when the classifier compiles the model
        (None: the optimizer's default).

    Attributes
    ----------
    model_ : keras.Model
        The trained model.
    classes_ : ndarray of shape (n_classes,)
        The class labels.
    history_ : dict
        Loss and metrics at each epoch (``keras.callbacks.History.history``).
    n_features_in_ : int
        Number of features (columns of ``X``) seen during fit.

    See Also
    --------
    KerasRegressor : The same wrapper for regression.
    sksearch.PSOSearchCV, sksearch.GeneticSearchCV, sksearch.BayesSearchCV :
        Searches that tune the hyperparameters.

    Notes
    -----
    With ``random_state`` set, ``fit`` reseeds Python's and NumPy's global
    generators too, as ``keras.utils.set_random_seed`` does.

    Searches with ``n_jobs > 1`` run in joblib worker processes, where joblib
    sets ``OMP_NUM_THREADS`` to the worker's share of the cores. Before Keras
    first runs in a process, the wrapper gives TensorFlow the same budget
    (``TF_NUM_INTRAOP_THREADS`` and ``TF_NUM_INTEROP_THREADS``, unless they
    are set already), so that the workers do not oversubscribe the machine.
    Setting these variables yourself limits TensorFlow in any process.

    With ``verbose=0``, the first import of Keras in a process, by ``fit`` or
    when a worker unpickles the classifier, sets ``TF_CPP_MIN_LOG_LEVEL=2``
    (unless it is set) and sends what TensorFlow writes while it loads to the
    null device. A script that imports Keras itself still shows those lines
    once, for its own process.

    A fitted classifier pickles with its model; unpickling needs the build
    function to be importable, as for any pickled function.

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
        **_KerasEstimator._parameter_constraints,
        "class_weight": [dict, StrOptions({"balanced"}), None],
    }
    _data_facts = (*_KerasEstimator._data_facts, "n_classes")
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


class KerasRegressor(RegressorMixin, _KerasEstimator):
    """A Keras regressor built by a function and tuned like any estimator.

    The same wrapper as :class:`KerasClassifier`, for real-valued targets:
    the build function may ask for ``n_features_in``, ``input_shape`` and
    ``n_outputs`` (columns of ``y``), and its model's last layer has
    ``n_outputs`` units. An uncompiled model is compiled with the mean
    squared error unless ``loss`` says otherwise. ``score`` is R².

    Parameters
    ----------
    model : callable
        Function that builds the Keras model. If the model it returns is not
        compiled, the regressor compiles it with ``optimizer``, ``loss`` and
        ``metrics``.
    epochs : int, default=10
        Passes over the training data.
    batch_size : int, default=32
        Samples per gradient update, and per batch when predicting.
    optimizer : str, class or keras.optimizers.Optimizer, default="adam"
        Optimizer of an uncompiled model: a Keras name, an optimizer class or
        an instance (copied at each fit). ``learning_rate``, when given, is
        passed to it.
    loss : str, callable or None, default=None
        Loss of an uncompiled model. None means ``"mean_squared_error"``.
    metrics : list or None, default=None
        Metrics of an uncompiled model, reported in ``history_``.
    validation_split : float, default=0.0
        Fraction of the training data, taken from its end, held out to
        compute the validation loss and metrics at each epoch.
    callbacks : list of keras.callbacks.Callback or None, default=None
        Callbacks of ``model.fit``; each fit uses copies of them.
    verbose : int, default=0
        Verbosity of ``model.fit``. With 0, TensorFlow is quiet too: its
        start-up lines, C++ logs below errors and retracing warnings are
        silenced, also in the worker processes of a parallel search; 1 or 2
        let them through.
    random_state : int, RandomState instance or None, default=None
        Seeds Python, NumPy and Keras with ``keras.utils.set_random_seed``
        before building. None leaves the global seeds alone.
    **params : dict
        Hyperparameters of the build function, and ``learning_rate``: the
        optimizer's learning rate when the regressor compiles the model
        (None: the optimizer's default).

    Attributes
    ----------
    model_ : keras.Model
        The trained model.
    n_outputs_ : int
        Number of targets.
    history_ : dict
        Loss and metrics at each epoch (``keras.callbacks.History.history``).
    n_features_in_ : int
        Number of features (columns of ``X``) seen during fit.

    See Also
    --------
    KerasClassifier : The same wrapper for classification, with its notes on
        threads, seeding and pickling.

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

    _data_facts = (*_KerasEstimator._data_facts, "n_outputs")
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


def _make_optimizer(keras, optimizer, learning_rate):
    """A new optimizer from a name, a class or an instance."""
    config = {} if learning_rate is None else {"learning_rate": learning_rate}
    if isinstance(optimizer, str):
        return keras.optimizers.get({"class_name": optimizer, "config": config})
    if isinstance(optimizer, type):
        return optimizer(**config)
    return type(optimizer).from_config({**optimizer.get_config(), **config})


def _signature(function):
    """Keyword parameters of ``function``; empty if it is not a function."""
    try:
        parameters = inspect.signature(function).parameters
    except (TypeError, ValueError):
        return {}
    return {
        name: parameter
        for name, parameter in parameters.items()
        if parameter.kind
        in (inspect.Parameter.POSITIONAL_OR_KEYWORD, inspect.Parameter.KEYWORD_ONLY)
    }


def _is_routed(name):
    """True for a scikeras-style routed name, ``prefix__name``."""
    prefix, separator, plain = name.partition("__")
    return bool(separator and plain) and prefix in _ROUTING_PREFIXES


def _takes_any_keyword(function):
    try:
        parameters = inspect.signature(function).parameters.values()
    except (TypeError, ValueError):
        return False
    return any(p.kind is inspect.Parameter.VAR_KEYWORD for p in parameters)


def _name(function):
    return getattr(function, "__qualname__", repr(function))


def _seed(random_state):
    """An int seed for Keras from an int or a RandomState instance."""
    if isinstance(random_state, Integral):
        return int(random_state)
    return int(check_random_state(random_state).randint(np.iinfo(np.int32).max))
