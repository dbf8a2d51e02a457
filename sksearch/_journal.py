"""The checkpoint journal: one JSON line per finished batch.

The first line is a header that identifies the search (class, estimator,
space, cross-validation splits, seed); each further line holds one batch: the
cube points the optimizer asked for, which of them were evaluated and the
per-split results of those fits. Lines are flushed and fsync'ed as they are
written, and reading uses :mod:`json` only, so opening a journal never runs
code. A torn last line (the process died while writing it) is skipped with
a warning.
"""

import json
import os
import warnings

import numpy as np

FORMAT = "sksearch-journal"
VERSION = 1


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
        """Return ``(header, batches)``; ``(None, [])`` when there is no journal yet."""
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
