"""How Keras runs in a process: its thread budget and a quiet TensorFlow.

The Keras wrappers import Keras through :func:`import_keras` and wrap their
training and predictions in :func:`quiet_tensorflow`. A wrapper unpickled in a
worker process goes through :func:`unpickle`, which imports Keras before the
build function's module does.
"""

import contextlib
import logging
import os
import sys
import threading


def import_keras(verbose=0):
    """Import Keras, first giving TensorFlow this process's thread budget.

    joblib's process workers, and dask's, get ``OMP_NUM_THREADS``: their
    share of the cores. TensorFlow reads its own variables when its runtime
    starts (at the first operation, after ``import keras`` too), so setting
    them here is early enough in a worker that has not trained yet.

    Unless ``verbose``, a first import is quiet: TensorFlow's C++ logs below
    errors are off (``TF_CPP_MIN_LOG_LEVEL=2`` unless it is set), and the
    start-up lines it writes before its logging starts (oneDNN, CPU
    instructions), which no log setting silences, go to the null device.
    """
    budget = os.environ.get("OMP_NUM_THREADS", "")
    if budget.isdigit() and int(budget) > 0:
        os.environ.setdefault("TF_NUM_INTRAOP_THREADS", budget)
        os.environ.setdefault("TF_NUM_INTEROP_THREADS", budget)
    if not verbose and "keras" not in sys.modules:
        os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "2")
        with _stderr_to_null():
            import keras  # noqa: F401 (the first import, muted; bound below)
    import keras

    return keras


def unpickle(cls, verbose):
    """Make an estimator to unpickle into; Keras is imported first, quietly unless ``verbose``."""
    if not verbose:
        import_keras(verbose)
    return cls.__new__(cls)


@contextlib.contextmanager
def _stderr_to_null():
    """Send the process's file descriptor 2 (C++ code writes there) to the null device."""
    sys.stderr.flush()
    try:
        saved = os.dup(2)
    except OSError:  # no descriptor 2: nothing to silence
        yield
        return
    try:
        with open(os.devnull, "w") as null:
            os.dup2(null.fileno(), 2)
        yield
    finally:
        os.dup2(saved, 2)
        os.close(saved)


class _QuietFilter(logging.Filter):
    """Drops TensorFlow's Python warnings (retracing notices) in quiet fits and predictions.

    The logger is process-wide; the filter acts only in the threads that are
    inside a quiet call, so a thread that trains with ``verbose`` still sees them.
    """

    def __init__(self):
        super().__init__()
        self.local = threading.local()

    def filter(self, record):
        return record.levelno >= logging.ERROR or not getattr(self.local, "depth", 0)


_QUIET = _QuietFilter()


@contextlib.contextmanager
def quiet_tensorflow(verbose):
    """Silence TensorFlow's Python warnings in this thread unless ``verbose``."""
    if verbose:
        yield
        return
    logger = logging.getLogger("tensorflow")
    if _QUIET not in logger.filters:
        logger.addFilter(_QUIET)
    _QUIET.local.depth = getattr(_QUIET.local, "depth", 0) + 1
    try:
        yield
    finally:
        _QUIET.local.depth -= 1
