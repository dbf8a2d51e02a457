"""Checkpoints: a search's journal, bound to the search that wrote it.

The journal is a JSON-lines file. Its first line, the header, fingerprints
everything that decides a candidate's score (see :data:`IDENTITY_FIELDS`):
a journal is resumed only by the same search on the same data, folds and
scoring, and anything else is refused with an error naming the first field
that differs, before any fit and without touching the file. Each further
line holds one batch: the cube points the optimizer asked for, which of
them were evaluated and the per-split results of those fits.

Every line carries a ``digest``: the SHA-256 of the digest of the line
before it and of its own content (the header's starts the chain). A line
changed by hand, or a line removed or moved, breaks the chain, and the
journal is refused with an error naming the file and the first line that
does not follow, before any fit and without touching the file: what a
resume replays is what was measured. (The chain detects edits, not a
forger who recomputes it: it holds no secret.)

The file only grows: lines are appended, flushed and fsync'ed; a resume
never rewrites it (a torn last line, from a process killed while writing
it, is cut off with one ``truncate``, a single system call). One search
writes it at a time (an exclusive lock, held for the whole ``fit``).
Reading uses :mod:`json` only, so opening a journal never runs code, and
every malformed line is a ``ValueError`` that names the file and the line.

On resume the search runs the same ask/tell sequence again and
:meth:`Checkpoint.replay` answers each batch from the journal instead of
fitting it, so the optimizer and its random stream end exactly where they
were; optimizers stay unaware of files.
"""

import hashlib
import json
import os
import warnings

from numbers import Integral, Real

from ._fingerprint import IDENTITY_FIELDS

FORMAT = "sksearch-journal"
VERSION = 3
#: What a journaled per-split record keeps of scikit-learn's.
RECORD_KEYS = ("fit_error", "test_scores", "train_scores", "n_test_samples", "fit_time",
               "score_time", "continued_from")

try:  # an advisory lock: one search writes a journal at a time
    import fcntl
except ImportError:  # pragma: no cover - not POSIX
    fcntl = None


class Checkpoint:
    """The journal of one fit: checked against the search, replayed, appended to.

    Use it as a context manager: the journal stays locked while it is open.

    Parameters
    ----------
    path : str or os.PathLike
        Where the journal lives; created when absent.
    header : dict
        The fingerprint of the search being fitted
        (:func:`sksearch.engine._fingerprint.fingerprint`), with its ``seed``.
    n_dims, n_splits : int
        Shape of the records this search writes, to check those it reads.
    """

    def __init__(self, path, header, *, n_dims, n_splits):
        self.path = os.fspath(path)
        self.header = header
        self.n_dims, self.n_splits = n_dims, n_splits
        self.batches = []  # journaled batches: (X, rows, out), parts of one batch merged
        self.n_replayed = 0
        self.run_with = None  # (seed, budget) of the journal, once open
        self.budget_changes = {}  # iteration -> n_iter it continued with, before that ask
        self._file = None
        self._digest = None  # the digest of the journal's last line, that the next chains to

    # ------------------------------------------------------------------ opening
    def __enter__(self):
        header = self.open()
        self.run_with = (header["seed"], header["budget"])
        return self

    def __exit__(self, *exc):
        self.close()
        return False

    def open(self):
        """Lock the journal, check it against the search and read what it holds.

        Returns
        -------
        header : dict
            The journal's header: this search's for a new journal. A resumed
            search runs with its ``seed`` and ``budget``.
        """
        _check_identifiable(self.header, self.path)
        _check_path(self.path)
        try:
            self._file = open(self.path, "ab+")
        except OSError as exc:
            raise ValueError(f"checkpoint {self.path!r} cannot be written: {exc}") from exc
        try:
            self._lock()
            old, lines, good_size, self._digest = self._read()
            if old is None:
                if good_size:
                    raise _not_a_journal(self.path)
                header = {k: v for k, v in self.header.items() if k != "unidentifiable"}
                self._write({"format": FORMAT, "version": VERSION, **header})
                return header
            self._check_identity(old)
            self.batches = self._batches(lines)
            if good_size < os.fstat(self._file.fileno()).st_size:
                warnings.warn(
                    f"checkpoint {self.path!r}: the last line is incomplete (the process "
                    "stopped while writing it); it is cut off and its batch is evaluated "
                    "again",
                    RuntimeWarning,
                    stacklevel=4,
                )
                self._file.truncate(good_size)
            return old
        except BaseException:
            self.close()
            raise

    @classmethod
    def peek(cls, path, header, *, n_dims, n_splits):
        """``(seed, budget)`` a search runs with, read and checked without changing anything.

        A new journal: the header's own. A journal of this search: the seed
        and budget it was started with. Anything else (another search's
        journal, a file that is not a journal, a malformed line) is refused
        with the error :meth:`open` would give, before any file is created.
        """
        checkpoint = cls(path, header, n_dims=n_dims, n_splits=n_splits)
        _check_identifiable(header, checkpoint.path)
        _check_path(checkpoint.path)
        if not os.path.exists(checkpoint.path):
            return header["seed"], header["budget"]
        with open(checkpoint.path, "rb") as checkpoint._file:
            checkpoint._lock("shared")  # a journal being written is not read
            old, lines, good_size, _ = _parse(checkpoint._file.read(), checkpoint.path)
        checkpoint._file = None
        if old is None:
            if good_size:
                raise _not_a_journal(checkpoint.path)
            return header["seed"], header["budget"]
        checkpoint._check_identity(old)
        checkpoint._batches(lines)
        return old["seed"], old["budget"]

    def close(self):
        if self._file is not None:
            self._file.close()  # releases the lock
            self._file = None

    def _lock(self, kind="exclusive"):
        """Lock the open journal (``"shared"``: to read it), or say who holds it."""
        if fcntl is None:  # pragma: no cover
            return
        mode = fcntl.LOCK_EX if kind == "exclusive" else fcntl.LOCK_SH
        try:
            fcntl.flock(self._file.fileno(), mode | fcntl.LOCK_NB)
        except OSError:
            raise ValueError(
                f"checkpoint {self.path!r} is in use by another running search; two "
                "searches cannot write one journal. Wait for it, or give another path."
            ) from None

    def _check_identity(self, old):
        for field in IDENTITY_FIELDS:
            was, now = old.get(field), self.header.get(field)
            if was != now:
                if isinstance(was, dict) and isinstance(now, dict):  # name the entry
                    key = next(k for k in sorted({*was, *now}) if was.get(k) != now.get(k))
                    field, was, now = f"{field}[{key!r}]", was.get(key), now.get(key)
                raise ValueError(
                    f"checkpoint {self.path!r} was written by another search: its {field} "
                    f"differs ({_short(was)} in the journal, {_short(now)} now). The "
                    "journal is left as it is; use another checkpoint path, or remove it to "
                    "start afresh."
                )
        if self.header["fixed_seed"] and old["seed"] != self.header["seed"]:
            raise ValueError(
                f"checkpoint {self.path!r} was written with another random_state "
                f"(seed {old['seed']}, now {self.header['seed']}); the journal is left as it is"
            )

    # ------------------------------------------------------------------ reading
    def _read(self):
        """``(header, lines, good_size, digest)`` of the open journal (see :func:`_parse`)."""
        self._file.seek(0)
        return _parse(self._file.read(), self.path)

    def _batches(self, lines):
        """The journaled batches as ``(X, rows, out, batch)``, parts of one batch merged."""
        batches = []
        for number, record in lines:
            if isinstance(record, dict) and "budget" in record:
                self.budget_changes[_check_budget(record, self.path, number)] = record["budget"]
                continue
            X, rows, out = check_batch(record, self.path, number, self.n_dims, self.n_splits)
            if batches and record["batch"] == batches[-1][3]:  # the rest of a batch cut short
                prev_X, prev_rows, prev_out, batch = batches[-1]
                if X != prev_X or set(rows) & set(prev_rows):
                    raise ValueError(f"checkpoint {self.path!r}, line {number}: this part of "
                                     f"batch {batch} does not continue the line before")
                batches[-1] = (X, prev_rows + rows, prev_out + out, batch)
            else:
                batches.append((X, rows, out, record["batch"]))
        return batches

    # ------------------------------------------------------------------ replay
    def replay(self, X, rows):
        """The journaled part of the next batch, or None when the journal is done.

        Returns
        -------
        n_rows : int
            How many of ``rows`` the journal answers (all of them, or a
            prefix: the batch was cut short by a smaller ``n_iter``).
        records : list of dict
            Their per-split records.
        """
        if self.n_replayed >= len(self.batches):
            return None
        old_X, old_rows, out, _ = self.batches[self.n_replayed]
        n = min(len(old_rows), len(rows))  # a smaller n_iter may stop within a batch
        if old_X != X.tolist() or old_rows[:n] != list(rows)[:n]:
            raise ValueError(
                f"checkpoint {self.path!r} does not match this search: batch "
                f"{self.n_replayed} asked for other candidates (was the search's code "
                "changed since the journal was written?)"
            )
        self.n_replayed += 1
        return n, out[: n * self.n_splits]

    @property
    def replay_done(self):
        """Whether every journaled batch was replayed."""
        return self.n_replayed >= len(self.batches)

    def append_budget(self, iteration, n_iter):
        """Journal that the search continues with ``n_iter`` from batch ``iteration`` on."""
        self._write({"budget": int(n_iter), "before_iteration": int(iteration)})

    def append(self, iteration, X, rows, records):
        """Journal the records of ``rows`` of batch ``iteration`` (just evaluated)."""
        out = [{k: r[k] for k in RECORD_KEYS if k in r} for r in records]
        self._write({"batch": iteration, "X": X, "rows": list(rows), "out": out})

    def _write(self, record):
        record = _to_json(record)
        self._digest = _chained(self._digest, record)
        line = json.dumps({**record, "digest": self._digest},
                          allow_nan=True).encode("utf-8") + b"\n"
        self._file.seek(0, os.SEEK_END)
        self._file.write(line)
        self._file.flush()
        os.fsync(self._file.fileno())


def read_journal(path):
    """The header and the batch lines of a journal, read without locking or changing it.

    What reporting (MLflow, a notebook) may read of a checkpoint: the
    header identifies the search, each batch line holds the cube points
    asked, the rows evaluated and their per-split records.

    Parameters
    ----------
    path : str or os.PathLike
        A checkpoint written by a search's ``fit``.

    Returns
    -------
    dict
        ``{"header": dict, "lines": list of dict}`` (without their
        digests); ValueError for a file that is not a journal this version
        of sksearch wrote, or one changed since (its chain of digests breaks).

    Examples
    --------
    >>> import os, tempfile
    >>> from sklearn.datasets import load_iris
    >>> from sklearn.svm import SVC
    >>> from sksearch import BayesSearchCV
    >>> from sksearch.base import read_journal
    >>> X, y = load_iris(return_X_y=True)
    >>> path = os.path.join(tempfile.mkdtemp(), "search.jsonl")
    >>> _ = BayesSearchCV(SVC(), {"C": [0.1, 1.0, 10.0]}, n_iter=3, cv=3, random_state=0,
    ...                   checkpoint=path).fit(X, y)
    >>> journal = read_journal(path)
    >>> journal["header"]["search"], sum(len(line["rows"]) for line in journal["lines"])
    ('BayesSearchCV', 3)
    """
    path = os.fspath(path)
    with open(path, "rb") as file:
        header, lines, _, _ = _parse(file.read(), path)
    if header is None:
        raise ValueError(f"{path!r} is not a sksearch checkpoint journal")
    return {"header": header, "lines": [record for _, record in lines]}


def _parse(data, path):
    """``(header, lines, good_size, digest)`` of a journal's bytes: its header (None
    for a file that is not a journal), its other lines as ``(number, record)``, the
    size of its complete lines (a torn last line is left out) and the digest of the
    last complete line. Records come without their digests, each checked."""
    if not data:
        return None, [], 0, None
    lines = data.split(b"\n")
    torn = lines.pop()  # after the last newline: empty unless the last line is torn
    good_size = len(data) - len(torn)
    records = []
    for number, raw in enumerate(lines, start=1):
        try:
            records.append(json.loads(raw.decode("utf-8")))
        except (UnicodeDecodeError, json.JSONDecodeError) as exc:
            if number == 1:
                return None, [], len(data), None
            raise ValueError(
                f"checkpoint {path!r}, line {number}: not a JSON journal line ({exc})"
            ) from None
    if not records:
        # a single line without a newline: a journal's first write never
        # looks like that, so it is someone else's file
        return None, [], len(data), None
    header = records[0]
    if not isinstance(header, dict) or header.get("format") != FORMAT:
        return None, [], len(data), None
    if header.get("version") != VERSION:
        check_header(header, path, VERSION)  # names the version
    digest = None
    for number, record in enumerate(records, start=1):
        digest = _check_chain(record, digest, path, number)
    check_header(records[0], path, VERSION)
    return records[0], list(enumerate(records[1:], start=2)), good_size, digest


def _chained(previous, record):
    """The digest of a line: SHA-256 of the line before's digest and of ``record``."""
    content = json.dumps(record, sort_keys=True, separators=(",", ":"), allow_nan=True)
    return hashlib.sha256(((previous or "") + "\n" + content).encode("utf-8")).hexdigest()


def _check_chain(record, previous, path, number):
    """Take ``record``'s digest out of it; a ValueError unless it follows ``previous``."""
    digest = record.pop("digest", None) if isinstance(record, dict) else None
    if digest is None or digest != _chained(previous, record):
        raise ValueError(
            f"checkpoint {path!r}, line {number}: the line fails its integrity check (it "
            "was changed after the search wrote it, or a line before it was removed or "
            "moved): the journal cannot be trusted from here on and is left as it is. "
            + (f"Remove line {number} and the lines after it to evaluate their batches "
               "again, or give another path." if number > 1 else "Give another path.")
        )
    return digest


def _check_identifiable(header, path):
    """Refuse to checkpoint a search that a resume could not recognise."""
    for name, why in header.get("unidentifiable", {}).items():
        raise ValueError(
            f"checkpoint {path!r}: {name} cannot be identified ({why}), so a resume could "
            "not tell whether it is the one the journal was written with. Make it "
            "identifiable, or fit with checkpoint=None."
        )


def _check_path(path):
    if os.path.lexists(path) and not os.path.isfile(path):
        raise ValueError(f"checkpoint {path!r} exists and is not a regular file")


def _not_a_journal(path):
    return ValueError(
        f"checkpoint {path!r} is not a sksearch checkpoint journal: its first line is not "
        "a journal header. It is left as it is; give another path (or remove the file if "
        "it is a journal whose first write was interrupted)."
    )


def _to_json(value):
    if isinstance(value, dict):
        return {str(k): _to_json(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [_to_json(v) for v in value]
    if hasattr(value, "tolist"):  # numpy arrays and scalars
        return _to_json(value.tolist())
    return value


def _short(value):
    text = repr(value)
    return text if len(text) <= 200 else text[:197] + "..."


def check_header(header, path, version):
    """Raise a ValueError naming the journal if its header is not one this code wrote."""
    if header.get("version") != version:
        raise ValueError(
            f"checkpoint {path!r} has journal version {header.get('version')!r}; this sksearch "
            f"reads version {version} (a journal of another version cannot be resumed: give "
            "another path)"
        )
    missing = [f for f in IDENTITY_FIELDS + ("seed", "budget", "fixed_seed") if f not in header]
    if missing:
        raise ValueError(f"checkpoint {path!r}, line 1: the header lacks {missing}")
    for field, kind in (("seed", Integral), ("budget", Integral), ("fixed_seed", bool)):
        if not isinstance(header[field], kind) or (kind is Integral and
                                                   isinstance(header[field], bool)):
            raise ValueError(f"checkpoint {path!r}, line 1: the header's {field} is "
                             f"{header[field]!r}, not a {kind.__name__}")


def check_batch(record, path, number, n_dims, n_splits):
    """``(X, rows, out)`` of a batch line, or a ValueError naming the line and the fault."""
    where = f"checkpoint {path!r}, line {number}"
    if not isinstance(record, dict) or not {"batch", "X", "rows", "out"} <= set(record):
        raise ValueError(f"{where}: not a batch record (an object with batch, X, rows, out)")
    X, rows, out = record["X"], record["rows"], record["out"]
    if not isinstance(record["batch"], Integral) or isinstance(record["batch"], bool):
        raise ValueError(f"{where}: batch is {record['batch']!r}, not an integer")
    if not (isinstance(X, list) and X and all(
            isinstance(row, list) and len(row) == n_dims
            and all(isinstance(v, Real) and not isinstance(v, bool) for v in row) for row in X)):
        raise ValueError(f"{where}: X is not a list of points of {n_dims} numbers")
    if not (isinstance(rows, list) and rows and len(set(rows)) == len(rows) and all(
            isinstance(r, Integral) and not isinstance(r, bool) and 0 <= r < len(X)
            for r in rows)):
        raise ValueError(f"{where}: rows is not a list of distinct row indices of X")
    if not isinstance(out, list) or len(out) != len(rows) * n_splits:
        raise ValueError(f"{where}: out holds {len(out) if isinstance(out, list) else out!r} "
                         f"records, not {len(rows)} candidates x {n_splits} splits")
    for record_out in out:
        if not (isinstance(record_out, dict)
                and {"test_scores", "n_test_samples", "fit_time", "score_time"} <= set(record_out)
                and _is_score(record_out["test_scores"])):
            raise ValueError(f"{where}: a per-split record lacks its scores, sample count "
                             "or times")
    return X, rows, out


def _check_budget(record, path, number):
    budget, iteration = record.get("budget"), record.get("before_iteration")
    if not all(isinstance(v, Integral) and not isinstance(v, bool) and v >= 0
               for v in (budget, iteration)):
        raise ValueError(f"checkpoint {path!r}, line {number}: a budget record needs a budget "
                         "and a before_iteration, both whole numbers")
    return iteration


def _is_score(value):
    if isinstance(value, dict):
        return bool(value) and all(_is_score(v) for v in value.values())
    return value is None or (isinstance(value, Real) and not isinstance(value, bool))
