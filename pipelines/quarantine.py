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


def _path(folder: Path) -> Path:
    return folder / FILE_NAME


def record(folder: Path, entries: Iterable[dict[str, Any]]) -> None:
    entries = list(entries)
    if not entries:
        return
    folder.mkdir(parents=True, exist_ok=True)
    now = datetime.now(UTC).isoformat(timespec="seconds")
    with _path(folder).open("a", encoding="utf-8") as fh:
        for entry in entries:
            fh.write(json.dumps({"at": now, **entry}, ensure_ascii=False) + "\n")


def resolve(folder: Path, keys: Iterable[tuple[str, str]]) -> None:
    """Mark (source, locator) pairs as no longer quarantined (they were indexed since)."""
    open_keys = {(e["source"], e["locator"]) for e in current(folder)}
    record(folder, ({"source": s, "locator": loc, "resolved": True} for s, loc in keys if (s, loc) in open_keys))


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
