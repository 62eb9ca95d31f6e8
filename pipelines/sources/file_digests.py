"""Raw hashes of input files remembered by their stat, so a rerun does not read unchanged files to hash them.

The quick check of git's index and rsync: a file whose size, modification time (ns) and inode are what they
were when it was last hashed holds the same bytes, so its documents' raw hashes are taken from here and
compared with the index's as before; any other file is read and hashed. The hashes depend on the sidecar
and manifest values too, so those are part of the key. A file modified less than RACY_SECONDS before it was
hashed is not remembered: a quick second write may leave its size and mtime as they were.
One SQLite file per cache folder; the threads of a run share a connection, processes share the file.
It is only a cache: a file that is not a database is replaced, and a folder that cannot hold it (read-only,
full) costs reruns their speed, never a run.
"""

from __future__ import annotations

import hashlib
import json
import logging
import os
import sqlite3
import threading
import time
from collections.abc import Iterable
from functools import cache
from pathlib import Path

from pipelines.settings import Settings
from pipelines.sources.files import FileRef

logger = logging.getLogger(__name__)
RACY_SECONDS = 2.0
Digests = list[tuple[str, str]]  # (locator, raw hash) of each document in one file
_SCHEMA = "CREATE TABLE IF NOT EXISTS digests (key TEXT PRIMARY KEY, state TEXT NOT NULL, docs TEXT NOT NULL)"


def file_key(ref: FileRef, source: str) -> str:
    """What a file's documents, their locators and their hashes depend on besides its bytes: where it is, the
    root it was found under (the locator), its source, its given values."""
    given = repr(sorted(ref.meta.items()))
    parts = (os.path.abspath(ref.path), ref.locator, source, given)
    return hashlib.sha256("\x1f".join(parts).encode()).hexdigest()


def file_state(path: str) -> tuple[str, float] | None:
    """(size:mtime_ns:inode, mtime) of a regular file; None when it cannot be stat'ed."""
    try:
        st = os.stat(path)
    except OSError:
        return None
    return f"{st.st_size}:{st.st_mtime_ns}:{st.st_ino}", st.st_mtime


class FileDigests:
    """key -> (state, digests) of the files hashed before."""

    def __init__(self, path: Path) -> None:
        path.parent.mkdir(parents=True, exist_ok=True)
        self._lock = threading.Lock()
        try:
            self._db = _connect(path)
        except sqlite3.DatabaseError:  # not a database (a crash mid-write, a stray file): start afresh
            for stale in (path, path.with_name(path.name + "-wal"), path.with_name(path.name + "-shm")):
                stale.unlink(missing_ok=True)
            self._db = _connect(path)

    def lookup(self, wanted: dict[str, str]) -> dict[str, Digests]:
        """Digests of the keys whose stored state equals the wanted state (key -> state)."""
        found: dict[str, Digests] = {}
        keys = list(wanted)
        with self._lock:
            try:
                for i in range(0, len(keys), 500):
                    chunk = keys[i : i + 500]
                    rows = self._db.execute(
                        f"SELECT key, state, docs FROM digests WHERE key IN ({','.join('?' * len(chunk))})", chunk
                    ).fetchall()
                    found.update({key: [tuple(d) for d in json.loads(docs)] for key, state, docs in rows
                                  if wanted[key] == state})
            except sqlite3.Error as exc:  # locked too long, unreadable: these files are read and hashed
                logger.warning("remembered file hashes unavailable (%s); reading the files", exc)
                return {}
        return found

    def remember(self, entries: Iterable[tuple[str, tuple[str, float], Digests]]) -> None:
        """Store (key, file state, digests); files modified within RACY_SECONDS of now are left out."""
        now = time.time()
        rows = [(key, state, json.dumps(docs)) for key, (state, mtime), docs in entries
                if docs and now - mtime > RACY_SECONDS]
        if not rows:
            return
        with self._lock:
            try:
                self._db.execute("BEGIN")
                self._db.executemany("INSERT OR REPLACE INTO digests VALUES (?, ?, ?)", rows)
                self._db.execute("COMMIT")
            except sqlite3.Error as exc:  # a full disk, a lock held too long: the next run reads these files
                if self._db.in_transaction:
                    self._db.execute("ROLLBACK")
                logger.warning("file hashes not remembered (%s)", exc)


class BatchDigests:
    """One batch's view of the memo: each file stat'ed and keyed once, looked up in one query (only when asked),
    and what the batch hashed saved in one transaction."""

    def __init__(self, memo: FileDigests, refs: Iterable[FileRef], source: str) -> None:
        self._memo = memo
        self._entries = {ref.path: (file_key(ref, source), state) for ref in refs
                         if (state := file_state(ref.path)) is not None}
        self._found: dict[str, Digests] | None = None
        self._new: list[tuple[str, tuple[str, float], Digests]] = []

    def remembered(self, ref: FileRef) -> Digests | None:
        """The file's digests if its stat is as it was when they were remembered."""
        if self._found is None:
            self._found = self._memo.lookup({key: state for key, (state, _) in self._entries.values()})
        entry = self._entries.get(ref.path)
        return self._found.get(entry[0]) if entry else None

    def note(self, ref: FileRef, digests: Digests) -> None:
        if entry := self._entries.get(ref.path):
            self._new.append((entry[0], entry[1], digests))

    def save(self) -> None:
        self._memo.remember(self._new)
        self._new = []


def _connect(path: Path) -> sqlite3.Connection:
    db = sqlite3.connect(path, check_same_thread=False, timeout=60, isolation_level=None)
    db.execute("PRAGMA journal_mode=WAL")
    db.execute(_SCHEMA)
    return db


def digests_for(settings: Settings) -> FileDigests | None:
    """The memo a run uses: None when `remember_file_digests` is off or the cache folder cannot hold it."""
    return open_digests(str(settings.cache_dir)) if settings.remember_file_digests else None


@cache
def open_digests(folder: str) -> FileDigests | None:
    """The cache of one folder, opened once per process; None (every file is hashed) when it cannot be."""
    try:
        return FileDigests(Path(folder) / "file-digests.sqlite")
    except (OSError, sqlite3.Error) as exc:
        logger.warning("file hashes are not remembered (%s: %s); every input file is read on reruns",
                       type(exc).__name__, exc)
        return None
