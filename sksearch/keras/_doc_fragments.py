"""Docstring text both Keras wrappers share.

A wrapper's class docstring says ``{model_parameters}``,
``{training_parameters}``, ``{seed_parameters}``, ``{common_attributes}`` and
``{notes}`` where the shared text goes; :func:`complete_docstring` puts it
there when the class is defined.
"""

#: ``model`` to ``optimizer``: the parameters before ``loss``.
MODEL_PARAMETERS_DOC = """\
    model : callable
        Function that builds the Keras model. If the model it returns is not
        compiled, the wrapper compiles it with ``optimizer``, ``loss`` and
        ``metrics``.
    epochs : int, default=10
        Passes over the training data.
    batch_size : int, default=32
        Samples per gradient update, and per batch when predicting.
    optimizer : str, class or keras.optimizers.Optimizer, default="adam"
        Optimizer of an uncompiled model: a Keras name, an optimizer class or
        an instance (copied at each fit). ``learning_rate``, when given, is
        passed to it."""

#: ``metrics`` to ``verbose``: what ``model.fit`` is given.
TRAINING_PARAMETERS_DOC = """\
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
        let them through."""

#: ``random_state`` and the build function's hyperparameters: the last parameters.
SEED_PARAMETERS_DOC = """\
    random_state : int, RandomState instance or None, default=None
        Seeds Python, NumPy and Keras with ``keras.utils.set_random_seed``
        before building, so that two fits on the same data give the same
        model on the CPU. None leaves the global seeds alone.
    warm_start : bool, default=False
        A fit of a fitted wrapper (same data shape) trains its model on from
        the epochs done up to ``epochs`` (the total), as
        ``model.fit(initial_epoch=...)`` does, instead of building a new
        one; ``history_`` holds every epoch. A multi-fidelity search over
        ``resource="epochs"`` continues its promoted networks this way.
    **params : dict
        Hyperparameters of the build function, and ``learning_rate``: the
        optimizer's learning rate when the wrapper compiles the model
        (None: the optimizer's default)."""

#: Fitted attributes of both wrappers.
COMMON_ATTRIBUTES_DOC = """\
    model_ : keras.Model
        The trained model.
    history_ : dict
        Loss and metrics at each epoch (``keras.callbacks.History.history``).
    n_features_in_ : int
        Number of features (columns of ``X``) seen during fit."""

#: Threads, quiet start-up and pickling.
NOTES_DOC = """\
    With ``random_state`` set, ``fit`` reseeds Python's and NumPy's global
    generators too, as ``keras.utils.set_random_seed`` does.

    Searches with ``n_jobs > 1`` run in joblib worker processes, where joblib
    sets ``OMP_NUM_THREADS`` to the worker's share of the cores. Before Keras
    first runs in a process, the wrapper gives TensorFlow the same budget
    (``TF_NUM_INTRAOP_THREADS`` and ``TF_NUM_INTEROP_THREADS``, unless they
    are set already), so that the workers do not oversubscribe the machine.
    Setting these variables yourself limits TensorFlow in any process.

    With ``verbose=0``, the first import of Keras in a process, by ``fit`` or
    when a worker unpickles the wrapper, sets ``TF_CPP_MIN_LOG_LEVEL=2``
    (unless it is set) and sends what TensorFlow writes while it loads to the
    null device. A script that imports Keras itself still shows those lines
    once, for its own process, unless it sets ``TF_CPP_MIN_LOG_LEVEL=1``
    (INFO lines off, warnings kept) before that import.

    A fitted wrapper pickles with its model; unpickling needs the build
    function to be importable, as for any pickled function."""

_FRAGMENTS = {
    "{model_parameters}": MODEL_PARAMETERS_DOC,
    "{training_parameters}": TRAINING_PARAMETERS_DOC,
    "{seed_parameters}": SEED_PARAMETERS_DOC,
    "{common_attributes}": COMMON_ATTRIBUTES_DOC,
    "{notes}": NOTES_DOC,
}


def complete_docstring(cls):
    """Put the shared text where ``cls``'s docstring names it; returns ``cls`` (a decorator)."""
    if cls.__doc__:
        for marker, text in _FRAGMENTS.items():
            cls.__doc__ = cls.__doc__.replace(f"    {marker}", text)
    return cls
