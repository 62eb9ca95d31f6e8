"""The quarantine: a dead-letter store of documents that could not be indexed, each with its reason.

An append-only JSONL file; the latest entry for a locator wins, and an entry with `resolved` set
(written when a later run indexes the document) takes it out of the list.
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

FILE_NAME = "quarantine.jsonl"
# Open (source, locator) keys per store, with the file size they were read at: every batch of a run asks,
# and re-reading a large store each time would make per-batch work grow with the store.
_OPEN: dict[Path, tuple[int, set[tuple[str, str]]]] = {}


def _path(folder: Path) -> Path:
    return folder / FILE_NAME


def record(folder: Path, entries: Iterable[dict[str, Any]]) -> None:
    entries = list(entries)
    if not entries:
        return
    folder.mkdir(parents=True, exist_ok=True)
    now = datetime.now(UTC).isoformat(timespec="seconds")
    path = _path(folder)
    before = _size(path)
    with path.open("a", encoding="utf-8") as fh:
        for entry in entries:
            fh.write(json.dumps({"at": now, **entry}, ensure_ascii=False) + "\n")
    cached = _OPEN.get(path)
    if cached and cached[0] == before:  # nobody else wrote meanwhile: keep the cache in step
        keys = cached[1]
        for entry in entries:
            key = (entry.get("source", ""), entry.get("locator", ""))
            (keys.discard if entry.get("resolved") else keys.add)(key)
        _OPEN[path] = (_size(path), keys)


def _size(path: Path) -> int:
    try:
        return path.stat().st_size
    except OSError:
        return 0


def open_keys(folder: Path) -> set[tuple[str, str]]:
    """(source, locator) of every document still in quarantine; read again only when the file changed."""
    path = _path(folder)
    size = _size(path)
    cached = _OPEN.get(path)
    if cached is None or cached[0] != size:
        cached = (size, {(e.get("source", ""), e.get("locator", "")) for e in current(folder)})
        _OPEN[path] = cached
    return cached[1]


def resolve(folder: Path, keys: Iterable[tuple[str, str]]) -> None:
    """Mark (source, locator) pairs as no longer quarantined (they were indexed since)."""
    still = open_keys(folder)
    record(folder, ({"source": s, "locator": loc, "resolved": True} for s, loc in keys if (s, loc) in still))


def current(folder: Path) -> list[dict[str, Any]]:
    """The documents still in quarantine, latest reason per (source, locator)."""
    path = _path(folder)
    if not path.exists():
        return []
    latest: dict[tuple[str, str], dict[str, Any]] = {}
    with path.open(encoding="utf-8") as fh:
        for line in fh:
            try:
                entry = json.loads(line)
            except ValueError:
                continue
            latest[(entry.get("source", ""), entry.get("locator", ""))] = entry
    return [e for e in latest.values() if not e.get("resolved")]
