"""Batch-level steps of an ingest run, free of any orchestrator: the Prefect flow calls these.

index_results: DocResults (from pipelines.batch) -> bulk writes -> (DocResult, Outcome, reason)
account:       outcomes -> run report + quarantine store
"""

from __future__ import annotations

from elasticsearch import Elasticsearch

from pipelines import quarantine
from pipelines.batch import DocResult
from pipelines.index.lifecycle import write_alias
from pipelines.index.writer import write_batch
from pipelines.models import Outcome
from pipelines.report import RunReport
from pipelines.settings import Settings

Outcomes = list[tuple[DocResult, Outcome, str | None]]


def index_results(client: Elasticsearch, name: str, results: list[DocResult], settings: Settings,
                  refresh: bool = False) -> Outcomes:
    """Write what was extracted; pass through what already has an outcome (unchanged, quarantined)."""
    outcomes: Outcomes = [(r, r.outcome, r.reason) for r in results if r.outcome is not None]
    extracted = [r for r in results if r.outcome is None]
    if extracted:
        written = write_batch(
            client, name, write_alias(name), extracted, max_bytes=settings.bulk_max_bytes,
            max_docs=settings.bulk_max_docs, retries=settings.bulk_retries, refresh=refresh,
        )
        outcomes.extend(written.outcomes)
    return outcomes


def account(report: RunReport, outcomes: Outcomes, quarantine_dir) -> None:
    """Count outcomes into the report and keep the quarantine store in step."""
    bad, good = [], []
    for doc, outcome, reason in outcomes:
        report.count(outcome)
        if outcome is Outcome.QUARANTINED:
            entry = {"source": report.source, "locator": doc.locator, "path": doc.path, "reason": reason,
                     "run_id": report.run_id}
            bad.append(entry)
            report.quarantined.append({"locator": doc.locator, "path": doc.path, "reason": reason})
        else:
            good.append((report.source, doc.locator))
    quarantine.record(quarantine_dir, bad)
    quarantine.resolve(quarantine_dir, good)
