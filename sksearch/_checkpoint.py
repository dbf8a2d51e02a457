"""Checkpoints: a search's journal, bound to the search that wrote it.

The journal is a JSON-lines file. The first line is a header that
fingerprints the search (class, estimator, space, cross-validation splits,
seed); each further line holds one batch: the cube points the optimizer
asked for, which of them were evaluated and the per-split results of those
fits. Lines are flushed and fsync'ed as they are written, and reading uses
:mod:`json` only, so opening a journal never runs code.

On resume the search runs the same ask/tell sequence again and
:meth:`Checkpoint.replay` answers each batch from the journal instead of
fitting it, so the optimizer and its random stream end exactly where they
were; optimizers stay unaware of files.
"""

import hashlib
import json
import os
import re
import warnings
from numbers import Integral

import numpy as np

FORMAT = "sksearch-journal"
VERSION = 1
#: Header fields that must be equal for a journal to be resumed.
IDENTITY_FIELDS = ("search", "estimator", "space", "cv", "objective_hint")
#: What a journaled per-split record keeps of scikit-learn's.
RECORD_KEYS = ("fit_error", "test_scores", "train_scores", "n_test_samples", "fit_time",
               "score_time")


def fingerprint(search, space, splits, n_samples, seed):
    """The header fields that identify ``search``'s fit (see :data:`IDENTITY_FIELDS`)."""
    digest = hashlib.sha256()
    for _, test in splits:
        digest.update(np.asarray(test, dtype=np.int64).tobytes())
        digest.update(b"|")
    estimator = type(search.estimator)
    return {
        "search": type(search).__name__,
        "estimator": f"{estimator.__module__}.{estimator.__qualname__}",
        "space": _strip_addresses(repr(space.subspaces)),
        "cv": f"{len(splits)} splits of {n_samples} samples, {digest.hexdigest()}",
        "objective_hint": repr(search.refit) if isinstance(search.refit, str) else "",
        "seed": seed,
    }


class Checkpoint:
    """The journal of one fit: checked against the search, replayed, appended to.

    Parameters
    ----------
    path : str or os.PathLike
        Where the journal lives; created by :meth:`open` when absent.
    header : dict
        :func:`fingerprint` of the search being fitted.
    """

    def __init__(self, path, header):
        self.journal = Journal(path)
        self.header = header
        self.batches = []
        self.n_replayed = 0

    @property
    def path(self):
        return self.journal.path

    def open(self, fixed_seed):
        """Check the journal against the search; return the seed to run with.

        A new journal gets the header. An existing one must have been
        written by the same search; its batches are then replayed and its
        seed is used (with ``fixed_seed`` False, i.e. ``random_state=None``
        or a RandomState instance, the journal's seed wins).
        """
        old, batches = self.journal.read()
        self.journal.check_writable()
        if old is None:
            self.journal.write_header(self.header)
            return self.header["seed"]
        for field in IDENTITY_FIELDS:
            if old.get(field) != self.header[field]:
                raise ValueError(
                    f"checkpoint {self.path!r} was written by another search: its "
                    f"{field} differs ({old.get(field)!r} in the journal, "
                    f"{self.header[field]!r} now). Use another checkpoint path or remove it."
                )
        if fixed_seed and old["seed"] != self.header["seed"]:
            raise ValueError(
                f"checkpoint {self.path!r} was written with another random_state "
                f"(seed {old['seed']}, now {self.header['seed']})"
            )
        self.journal.truncate_to(len(batches))
        self.batches = batches
        return old["seed"]

    def replay(self, X, rows):
        """The journaled records of the next batch, or None when the journal is done."""
        if self.n_replayed >= len(self.batches):
            return None
        record = self.batches[self.n_replayed]
        if record["X"] != X.tolist() or record["rows"] != list(rows):
            raise ValueError(
                f"checkpoint {self.path!r} does not match this search: batch "
                f"{self.n_replayed} asked for other candidates (were random_state, the "
                "space or the estimator changed?)"
            )
        self.n_replayed += 1
        return record["out"]

    def append(self, iteration, X, rows, records):
        """Journal a batch that was just evaluated."""
        out = [{k: r[k] for k in RECORD_KEYS if k in r} for r in records]
        self.journal.append({"batch": iteration, "X": X, "rows": list(rows), "out": out})


class Journal:
    """Append-only JSON-lines file of a search's batches.

    Parameters
    ----------
    path : str or os.PathLike
        Where the journal lives. It is created on the first write.
    """

    def __init__(self, path):
        self.path = os.fspath(path)

    def read(self):
        """Return ``(header, batches)``; ``(None, [])`` when there is no journal yet.

        A torn last line (the process died while writing it) is skipped with
        a warning.
        """
        if not os.path.exists(self.path) or os.path.getsize(self.path) == 0:
            return None, []
        with open(self.path, encoding="utf-8") as f:
            lines = f.read().split("\n")
        records = []
        for number, line in enumerate(lines, start=1):
            if not line.strip():
                continue
            try:
                records.append(json.loads(line))
            except json.JSONDecodeError:
                if any(rest.strip() for rest in lines[number:]):
                    raise ValueError(
                        f"checkpoint {self.path!r} is corrupt at line {number}"
                    ) from None
                warnings.warn(
                    f"checkpoint {self.path!r}: the last line is incomplete (the "
                    "process stopped while writing it); it is ignored and its batch "
                    "will be evaluated again",
                    RuntimeWarning,
                    stacklevel=3,
                )
        if not records:
            return None, []
        header = records[0]
        if not isinstance(header, dict) or header.get("format") != FORMAT:
            raise ValueError(f"{self.path!r} is not a sksearch checkpoint journal")
        if header.get("version") != VERSION:
            raise ValueError(
                f"checkpoint {self.path!r} has journal version {header.get('version')!r}; "
                f"this sksearch reads version {VERSION}"
            )
        return header, records[1:]

    def check_writable(self):
        """Raise a ValueError naming the path if the journal cannot be written."""
        try:
            with open(self.path, "a", encoding="utf-8"):
                pass
        except OSError as exc:
            raise ValueError(f"checkpoint {self.path!r} cannot be written: {exc}") from exc

    def write_header(self, header):
        self._append({"format": FORMAT, "version": VERSION, **header}, mode="w")

    def append(self, record):
        self._append(record, mode="a")

    def truncate_to(self, n_batches):
        """Rewrite the file keeping the header and the first ``n_batches`` batches.

        Used when a torn last line was skipped, so that the next append starts
        on a clean line.
        """
        header, batches = self.read()
        self.write_header({k: v for k, v in header.items() if k not in ("format", "version")})
        for record in batches[:n_batches]:
            self.append(record)

    def _append(self, record, mode):
        line = json.dumps(_to_json(record), allow_nan=True)
        with open(self.path, mode, encoding="utf-8") as f:
            f.write(line + "\n")
            f.flush()
            os.fsync(f.fileno())


def is_fixed_seed(random_state):
    """Whether ``random_state`` names one seed (an int), as a journal's seed must match."""
    return isinstance(random_state, Integral)


def _to_json(value):
    if isinstance(value, dict):
        return {str(k): _to_json(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [_to_json(v) for v in value]
    if isinstance(value, np.ndarray):
        return _to_json(value.tolist())
    if isinstance(value, np.generic):
        return value.item()
    return value


def _strip_addresses(text):
    return re.sub(r" at 0x[0-9a-fA-F]+", "", text)
