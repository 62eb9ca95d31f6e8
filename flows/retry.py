"""Quarantine retry: after a fix (a repaired file, a better extractor), re-run quarantined documents.

Each source's files go through the ordinary ingest flow with their original locators, so successes leave the
quarantine (`pipelines.ingest.account` resolves them) and failures stay with their new reason.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from prefect import flow

from flows.ingest import ingest_files
from pipelines import quarantine
from pipelines.quarantine_retry import plan_retry
from pipelines.settings import get_settings


@flow(name="retry-quarantine")
def retry_quarantine(source: str | None = None, progress: Callable[..., None] | None = None) -> dict[str, Any]:
    """Retry every retriable quarantined document (of one source, or all); returns runs, skipped and counts."""
    folder = get_settings().quarantine_dir
    plan = plan_retry(folder, source)
    before = {(e["source"], e["locator"]) for e in quarantine.current(folder)}
    runs = [ingest_files([], source=name, refs=refs, progress=progress) for name, refs in plan.refs.items()]
    after = {(e["source"], e["locator"]) for e in quarantine.current(folder)}
    in_scope = {k for k in before if source is None or k[0] == source}
    return {"runs": runs, "skipped": plan.skipped, "files": plan.files,
            "left_quarantine": len(in_scope - after), "still_quarantined": len(in_scope & after)}
