"""The estimator both Keras wrappers are: parameters, building, training, predicting.

:class:`KerasEstimator` holds the wrapper's own parameters and the build
function's hyperparameters (as public attributes), builds and compiles the
model at ``fit`` and predicts through it. The public classes add what a task
needs: the target's encoding, the data facts and the default loss.
"""

import copy
import inspect
from numbers import Integral, Real

import numpy as np
from sklearn.base import BaseEstimator
from sklearn.utils.validation import check_is_fitted, validate_data

from ._build_function import (
    OPTIMIZER_PARAMETER,
    function_name,
    inspectable,
    is_routed,
    keras_seed,
    make_optimizer,
    routing_hint,
    signature,
    takes,
    takes_any_keyword,
)
from ._process import import_keras, quiet_tensorflow, unpickle
from ..engine._sklearn import HasMethods, Interval, check_sample_weight, estimator_fit_context


class KerasEstimator(BaseEstimator):
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
        "warm_start": ["boolean"],
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
        warm_start=False,
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
        self.warm_start = warm_start
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
        params = self._build_defaults(self.model)
        params.update(super().get_params(deep=deep))
        params.update(self._given_hyperparameters())
        return params

    def set_params(self, **params):
        """Set parameters of the wrapper or of its build function.

        Parameters
        ----------
        **params : dict
            Parameter names and values. With a new ``model`` the other names
            are checked against the new build function, and the
            hyperparameters of the old build function that the new one does
            not take are dropped. A ``model`` that is not a function is
            refused by ``fit``, with its parameters. Nothing is changed if a
            name is refused.

        Returns
        -------
        self : estimator
            This estimator.
        """
        model = params.get("model", self.model)
        dropped = self._dropped_by(model) if "model" in params else set()
        valid = self._valid_names(model, dropped)
        # Any name goes with **kwargs, and with a model that is not a function
        # (fit refuses the model itself: validation waits for fit).
        open_ended = takes_any_keyword(model) or not inspectable(model)
        unknown = [name for name in params
                   if is_routed(name) or (name not in valid and not open_ended)]
        if unknown:
            raise ValueError(self._unknown_message(unknown, model, valid))
        for name in dropped:
            delattr(self, name)
        for name, value in params.items():
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
        done = self._epochs_done(X)
        if self.random_state is not None:
            keras.utils.set_random_seed(keras_seed(self.random_state))
        with quiet_tensorflow(self.verbose):
            if not done:
                self.model_ = self._build(keras, X)
            history = self.model_.fit(
                X,
                target,
                sample_weight=weight,
                initial_epoch=done,
                epochs=self.epochs,
                batch_size=self.batch_size,
                validation_split=self.validation_split,
                # Callbacks keep state (their model, the best score so far): each
                # fit gets its own copies so that the parameters stay untouched.
                callbacks=copy.deepcopy(list(self.callbacks or [])),
                verbose=self.verbose,
            )
        self.history_ = ({k: self.history_.get(k, []) + v for k, v in history.history.items()}
                         if done else history.history)
        return self

    def _epochs_done(self, X):
        """Epochs a ``warm_start`` fit continues from: those of the trained model, 0 for
        a new one (no ``warm_start``, not fitted, or other data shapes)."""
        model = getattr(self, "model_", None)
        if not self.warm_start or model is None:
            return 0
        if tuple(model.input_shape[1:]) != tuple(X.shape[1:]):
            return 0
        done = len(next(iter(self.history_.values()), []))
        if self.epochs <= done:
            raise ValueError(
                f"warm_start=True continues the {done} epochs trained so far up to epochs="
                f"{self.epochs}: give epochs above {done}, or warm_start=False for a new model"
            )
        return done

    def _build(self, keras, X):
        """Call the build function and compile its model if it did not."""
        params = self.get_params(deep=False)
        model = self.model(**self._build_arguments(params, self._facts(X)))
        if not isinstance(model, keras.Model):
            raise TypeError(
                f"The build function {function_name(self.model)} must return a "
                f"keras.Model, got {type(model).__name__}."
            )
        # One forward pass builds any kind of model and reveals its output.
        n_outputs = model(X[:1], training=False).shape[-1]
        default_loss = self._check_outputs(n_outputs)
        learning_rate = params[OPTIMIZER_PARAMETER]
        if not model.compiled:
            model.compile(
                optimizer=make_optimizer(keras, self.optimizer, learning_rate),
                loss=default_loss if self.loss is None else self.loss,
                metrics=self.metrics,
            )
        elif learning_rate is not None and not self._takes(OPTIMIZER_PARAMETER):
            raise ValueError(
                f"learning_rate={learning_rate!r} would be unused: the build "
                f"function {function_name(self.model)} compiles its model and does not "
                "take learning_rate."
            )
        if model.optimizer is not None and not model.optimizer.built:
            # Built inside fit's first traced step, the optimizer's slot variables
            # keep their initializers' graphs alive for the whole process (26 per
            # fit of a small network, about 5 MB): a worker that fits many
            # networks then grows until joblib restarts it. Built here, eagerly,
            # they leave nothing behind.
            model.optimizer.build(model.trainable_variables)
        return model

    def _build_arguments(self, params, facts):
        """What the build function names: data facts and parameter values."""
        given = self._given_hyperparameters()
        unknown = [
            name
            for name in given
            if is_routed(name) or (name != OPTIMIZER_PARAMETER and not self._takes(name))
        ]
        if unknown:
            raise ValueError(self._unknown_message(unknown))
        kwargs = dict(given) if takes_any_keyword(self.model) else {}
        for name, parameter in signature(self.model).items():
            if name in facts:
                kwargs[name] = facts[name]
            elif params[name] is None and parameter.default is inspect.Parameter.empty:
                raise ValueError(
                    f"The build function {function_name(self.model)} needs {name!r}: pass "
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
        return takes(self.model, name)

    def _build_defaults(self, model):
        """``learning_rate`` and the build function's hyperparameters with their defaults."""
        params = {OPTIMIZER_PARAMETER: None}
        for name, parameter in signature(model).items():
            if name not in self._data_facts:
                empty = parameter.default is inspect.Parameter.empty
                params[name] = None if empty else parameter.default
        return params

    def _given_hyperparameters(self):
        """Public attributes that are neither wrapper parameters nor fitted."""
        own = set(self._get_param_names())
        return {
            name: value
            for name, value in vars(self).items()
            if name not in own and not name.startswith("_") and not name.endswith("_")
        }

    def _dropped_by(self, model):
        """The given hyperparameters of the current build function that ``model`` does not take."""
        if not inspectable(model):  # not a function: fit refuses it, nothing to drop yet
            return set()
        old = set(signature(self.model)) - {OPTIMIZER_PARAMETER}
        return {name for name in self._given_hyperparameters()
                if name in old and not takes(model, name)}

    def _valid_names(self, model, dropped=()):
        """The parameter names of this wrapper with build function ``model``."""
        names = set(self._get_param_names()) | set(self._build_defaults(model))
        return names | (set(self._given_hyperparameters()) - set(dropped))

    def _unknown_message(self, names, model=None, valid=None):
        model = self.model if model is None else model
        valid = self._valid_names(model) if valid is None else valid
        hints = "".join(f" {routing_hint(name, model)}" for name in sorted(names)
                        if is_routed(name))
        return (
            f"Unknown parameter(s) {sorted(names)} for {type(self).__name__} "
            f"with build function {function_name(model)}.{hints} Valid names are: "
            f"{sorted(n for n in valid if not is_routed(n))}."
        )

    def __reduce__(self):
        # A worker process unpickles the estimator before its build function,
        # whose module imports Keras: the import is made quiet first.
        return (unpickle, (type(self), self.verbose), self.__getstate__())

    def __sklearn_tags__(self):
        tags = super().__sklearn_tags__()
        tags.input_tags.three_d_array = True
        return tags
