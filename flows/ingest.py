"""The ingest flow: discover files -> extract batches in a process pool -> bulk index -> run report.

Tasks work on batches (hundreds of documents): a Prefect task run costs milliseconds of bookkeeping,
so one task per document would cost more than the work. Indexing batch N overlaps extracting N+1.
"""

from __future__ import annotations

import time
import uuid
from collections.abc import Callable
from concurrent.futures import Executor
from pathlib import Path

from elasticsearch import Elasticsearch
from prefect import flow, get_run_logger, task
from prefect.artifacts import create_markdown_artifact, create_table_artifact
from prefect.cache_policies import NO_CACHE
from prefect.futures import PrefectFuture

from pipelines.batch import DocResult, Options, chunked, make_pool
from pipelines.index.client import connect
from pipelines.index.lifecycle import ensure_index
from pipelines.ingest import Outcomes, account, extract_refs, index_results
from pipelines.report import RunReport
from pipelines.settings import Settings, get_settings
from pipelines.sources.files import FileRef, check_paths, discover

Progress = Callable[[RunReport], None]


@task(name="extract-batch", cache_policy=NO_CACHE)
def extract_batch(client: Elasticsearch, name: str, refs: list[FileRef], opts: Options,
                  pool: Executor | None) -> list[DocResult]:
    return extract_refs(client, name, refs, opts, pool)


@task(name="index-batch", cache_policy=NO_CACHE, retries=3, retry_delay_seconds=[2, 10, 30])
def index_batch(client: Elasticsearch, name: str, results: list[DocResult], settings: Settings,
                refresh: bool) -> Outcomes:
    return index_results(client, name, results, settings, refresh=refresh)


def publish_report(report: RunReport) -> None:
    """Prefect artifacts: a table of outcomes and a markdown list of quarantined documents."""
    create_table_artifact(
        key=f"ingest-{report.source}".lower().replace("_", "-"),
        table=[{"measure": k, "value": v} for k, v in report.rows()],
        description=f"Outcomes of ingest run {report.run_id} into `{report.index}`",
    )
    if report.quarantined:
        lines = [f"| `{q['locator']}` | {q['reason']} |" for q in report.quarantined[:500]]
        more = len(report.quarantined) - len(lines)
        md = "| document | reason |\n|---|---|\n" + "\n".join(lines) + (f"\n\n…and {more} more" if more > 0 else "")
        create_markdown_artifact(key="quarantine", markdown=md, description="Quarantined documents")


@flow(name="ingest-files", log_prints=False)
def ingest_files(paths: list[str], source: str = "files", run_id: str | None = None,
                 progress: Progress | None = None, refresh: bool = True, refs: list[FileRef] | None = None) -> dict:
    """Ingest files and folders into the corpus named by NEWSINDEX_INDEX; returns the run report.

    `refs` replaces discovery with files already known by locator (a quarantine retry keeps their ids)."""
    settings = get_settings()
    logger = get_run_logger()
    check_paths(paths)
    client = connect(settings)
    name = settings.index
    report = RunReport(run_id=run_id or uuid.uuid4().hex[:12], source=source, index=ensure_index(client, name))
    opts = Options(source, report.run_id, settings.max_file_bytes, settings.language_sample_chars,
                   settings.min_language_chars)
    started = time.perf_counter()
    pool = make_pool(settings.workers)
    pending: PrefectFuture | None = None
    try:
        found = discover([Path(p) for p in paths]) if refs is None else refs
        for batch in chunked(found, settings.batch_size):
            report.discovered += len(batch)
            results = extract_batch(client, name, batch, opts, pool)
            if pending is not None:
                _finish(pending, report, settings, progress, started)
            pending = index_batch.submit(client, name, results, settings, refresh)
        if pending is not None:
            _finish(pending, report, settings, progress, started)
    finally:
        if pool is not None:
            pool.shutdown(cancel_futures=True)
    report.seconds = time.perf_counter() - started
    logger.info("ingest %s: %s", report.run_id, dict(report.rows()))
    publish_report(report)
    return report.to_dict()


def _finish(future: PrefectFuture, report: RunReport, settings: Settings, progress: Progress | None,
            started: float) -> None:
    account(report, future.result(), settings.quarantine_dir)
    report.seconds = time.perf_counter() - started
    if progress:
        progress(report)
