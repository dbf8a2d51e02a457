"""What the Keras wrappers read from a build function, and what they build around it.

A build function's keyword parameters are the wrapper's hyperparameters;
``learning_rate`` is routed to the optimizer; scikeras-style prefixed names
(``model__units``) are refused with the name to use.
"""

import inspect
from numbers import Integral

import numpy as np
from sklearn.utils import check_random_state

# A parameter that is not the build function's own, but that the wrapper
# routes to the optimizer when it compiles the model itself.
OPTIMIZER_PARAMETER = "learning_rate"

# Prefixes by which scikeras routes parameters (``model__units``); here every
# parameter goes by its plain name, so a prefixed one is refused with the name
# to use.
ROUTING_PREFIXES = ("model", "optimizer", "loss", "metrics", "callbacks", "fit",
                    "predict", "compile")


def signature(function):
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


def inspectable(function):
    """True if ``function``'s parameters can be read (a function, not ``None`` or a number)."""
    try:
        inspect.signature(function)
    except (TypeError, ValueError):
        return False
    return True


def takes_any_keyword(function):
    """True if ``function`` has a ``**kwargs`` parameter."""
    try:
        parameters = inspect.signature(function).parameters.values()
    except (TypeError, ValueError):
        return False
    return any(p.kind is inspect.Parameter.VAR_KEYWORD for p in parameters)


def takes(function, name):
    """True if ``function`` accepts the keyword ``name``."""
    return name in signature(function) or takes_any_keyword(function)


def is_routed(name):
    """True for a scikeras-style routed name, ``prefix__name``."""
    prefix, separator, plain = name.partition("__")
    return bool(separator and plain) and prefix in ROUTING_PREFIXES


def function_name(function):
    return getattr(function, "__qualname__", repr(function))


def routing_hint(name, model):
    """What to write instead of a scikeras-style ``prefix__name``."""
    prefix, _, plain = name.partition("__")
    if prefix in ("model", "optimizer") and (
        plain == OPTIMIZER_PARAMETER or takes(model, plain)
    ):
        return (
            f"{name!r}: parameters have no routing prefix here, use the plain "
            f"name {plain!r} ({plain}=... or {{{plain!r}: [...]}} in a search)."
        )
    if prefix == "model":
        return f"{name!r}: the build function {function_name(model)} has no keyword {plain!r}."
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


def make_optimizer(keras, optimizer, learning_rate):
    """A new optimizer from a name, a class or an instance."""
    config = {} if learning_rate is None else {"learning_rate": learning_rate}
    if isinstance(optimizer, str):
        return keras.optimizers.get({"class_name": optimizer, "config": config})
    if isinstance(optimizer, type):
        return optimizer(**config)
    return type(optimizer).from_config({**optimizer.get_config(), **config})


def keras_seed(random_state):
    """An int seed for Keras from an int or a RandomState instance."""
    if isinstance(random_state, Integral):
        return int(random_state)
    return int(check_random_state(random_state).randint(np.iinfo(np.int32).max))
