"""Warnings that point at the user's line, not inside sksearch."""

import os
import sys
import warnings

import sklearn

#: Where a warning is never attributed: sksearch, and scikit-learn's wrappers
#: (``fit`` runs inside its ``_fit_context``).
_INSIDE = tuple(os.path.dirname(os.path.abspath(m.__file__)) + os.sep
                for m in (sys.modules[__package__], sklearn))


def warn(message, category=UserWarning):
    """``warnings.warn`` attributed to the first caller outside sksearch and
    scikit-learn (the user's ``search.fit(X, y)``), however deep inside it is raised.

    Examples
    --------
    >>> import warnings
    >>> from sksearch._warnings import warn
    >>> with warnings.catch_warnings(record=True) as caught:
    ...     warnings.simplefilter("always")
    ...     warn("a message")
    >>> "sksearch" in caught[0].filename.split("/")[-2:]
    False
    """
    level, frame = 1, sys._getframe(1)
    while frame is not None and os.path.abspath(frame.f_code.co_filename).startswith(_INSIDE):
        frame, level = frame.f_back, level + 1
    warnings.warn(message, category, stacklevel=level + 1)
