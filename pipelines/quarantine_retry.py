"""Turn quarantine entries back into inputs, so a retry re-runs them through the ordinary ingest path.

A retried file keeps its original locator (root folder name + relative path), hence its document id and
its quarantine key: a success overwrites nothing twice and `pipelines.ingest.account` resolves the entry.
Records of a JSONL or JSON file (`dir/file.jsonl#17`) are retried by re-reading their file once.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from pipelines import quarantine
from pipelines.sources.files import FileRef, load_manifest, load_sidecar

RECORD_SUFFIX = re.compile(r"#\d+$")


@dataclass
class RetryPlan:
    """Per source: the files to re-run, and the entries that cannot be retried with the reason why."""

    refs: dict[str, list[FileRef]] = field(default_factory=dict)
    skipped: list[dict[str, Any]] = field(default_factory=list)

    @property
    def files(self) -> int:
        return sum(len(v) for v in self.refs.values())


def file_ref(path: str, locator: str) -> FileRef:
    """The FileRef discovery would have produced for this file, with its sidecar and manifest metadata."""
    p = Path(path)
    meta = dict(load_manifest(p.parent).get(p.name, {}))
    meta.update(load_sidecar(p))
    return FileRef(path, RECORD_SUFFIX.sub("", locator), meta)


def plan_retry(quarantine_dir: Path, source: str | None = None) -> RetryPlan:
    plan = RetryPlan()
    seen: set[tuple[str, str]] = set()
    for entry in quarantine.current(quarantine_dir):
        src, path = entry.get("source", ""), entry.get("path") or ""
        if source is not None and src != source:
            continue
        if path.startswith(("http://", "https://")):
            plan.skipped.append({**entry, "why": "web document: run its source again (`newsindex run SOURCE`)"})
            continue
        if not path or not Path(path).is_file():
            plan.skipped.append({**entry, "why": f"file no longer exists: {path or '(no path recorded)'}"})
            continue
        ref = file_ref(path, entry["locator"])
        if (src, ref.locator) not in seen:
            seen.add((src, ref.locator))
            plan.refs.setdefault(src, []).append(ref)
    return plan
