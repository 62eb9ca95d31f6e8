"""The ingest flow: discover files -> extract batches in a process pool -> bulk index -> run report.

Tasks work on batches (hundreds of documents): a Prefect task run costs milliseconds of bookkeeping,
so one task per document would cost more than the work. Indexing batch N overlaps extracting N+1.
"""

from __future__ import annotations

import time
import uuid
from collections import deque
from collections.abc import Callable
from concurrent.futures import Executor
from contextlib import ExitStack
from contextvars import ContextVar
from dataclasses import dataclass, replace
from pathlib import Path

from elasticsearch import Elasticsearch
from prefect import flow, get_run_logger, task
from prefect.artifacts import create_markdown_artifact, create_table_artifact
from prefect.cache_policies import NO_CACHE
from prefect.futures import PrefectFuture

from pipelines.batch import DocResult, Options, chunked, make_pool, process_batch
from pipelines.index.client import client_for, connect
from pipelines.index.lifecycle import bulk_load, ensure_index
from pipelines.index.writer import known_hashes
from pipelines.ingest import Outcomes, account, index_results
from pipelines.report import RunReport
from pipelines.settings import Settings, get_settings
from pipelines.sources.file_digests import digests_for
from pipelines.sources.files import FileRef, check_paths, discover

Progress = Callable[[RunReport], None]


def _ingest(refs: list[FileRef], opts: Options, known: dict[str, str], pool: Executor | None, name: str,
            settings: Settings, refresh: bool) -> Outcomes:
    """Extract one batch and index it; only the small outcomes leave the task.

    Prefect keeps every task's result for the whole flow run, so returning the articles would grow memory
    with the corpus. The client is made where the task runs (a thread here, or a Dask worker)."""
    results = process_batch(refs, opts, known, pool, digests_for(settings))
    outcomes = index_results(client_for(settings), name, results, settings, refresh=refresh)
    return [(replace(doc, article=None), outcome, reason) for doc, outcome, reason in outcomes]


def _index(name: str, results: list[DocResult], settings: Settings, refresh: bool) -> Outcomes:
    outcomes = index_results(client_for(settings), name, results, settings, refresh=refresh)
    return [(replace(doc, article=None), outcome, reason) for doc, outcome, reason in outcomes]


# Tasks wrap module-level functions so that Dask workers can import them by name instead of pickling code.
# A batch that fails on a lost cluster is retried whole: ids are deterministic, so nothing is written twice.
ingest_batch = task(_ingest, name="ingest-batch", cache_policy=NO_CACHE, retries=3, retry_delay_seconds=[2, 10, 30])
index_batch = task(_index, name="index-batch", cache_policy=NO_CACHE, retries=3, retry_delay_seconds=[2, 10, 30])


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


@dataclass
class Run:
    """What every ingest flow sets up first: the connected client, the corpus, its report and options."""

    settings: Settings
    client: Elasticsearch
    name: str
    report: RunReport
    opts: Options


def start_run(source: str, run_id: str | None, max_bytes: int) -> Run:
    """Connect, make sure the corpus exists, and open the run report; `max_bytes` caps one input."""
    settings = get_settings()
    client = connect(settings)
    name = settings.index
    report = RunReport(run_id=run_id or uuid.uuid4().hex[:12], source=source, index=ensure_index(client, name))
    opts = Options(source, report.run_id, max_bytes, settings.language_sample_chars, settings.min_language_chars)
    return Run(settings, client, name, report, opts)


@flow(name="ingest-files", log_prints=False)
def ingest_files(paths: list[str], source: str = "files", run_id: str | None = None,
                 progress: Progress | None = None, refresh: bool = True, refs: list[FileRef] | None = None) -> dict:
    """Ingest files and folders into the corpus named by NEWSINDEX_INDEX; returns the run report.

    `refs` replaces discovery with files already known by locator (a quarantine retry keeps their ids)."""
    logger = get_run_logger()
    check_paths(paths)
    run = start_run(source, run_id, get_settings().max_file_bytes)
    settings, client, name, report, opts = run.settings, run.client, run.name, run.report, run.opts
    started = time.perf_counter()
    # Two batches in flight share the local process pool, so one is extracted while the other is indexed;
    # with Dask, each batch task extracts on its own worker and several are in flight.
    distributed = settings.executor == "dask"
    pool = None if distributed else make_pool(settings.workers)
    in_flight = max(2, 2 * settings.workers) if distributed else 2
    running: deque[PrefectFuture] = deque()
    with ExitStack() as stack:
        if pool is not None:
            stack.callback(pool.shutdown, cancel_futures=True)
        stack.enter_context(bulk_load(client, report.index))  # no periodic refresh mid-load
        found = discover([Path(p) for p in paths]) if refs is None else refs
        batches = chunked(found, settings.batch_size)
        while True:
            while len(running) < in_flight and (batch := next(batches, None)) is not None:
                report.discovered += len(batch)
                known = known_hashes(client, name, source, [r.locator for r in batch])
                running.append(ingest_batch.submit(batch, opts, known, pool, name, settings, refresh))
            if not running:
                break
            finish_batch(running.popleft(), report, settings, progress, started)
    report.seconds = time.perf_counter() - started
    logger.info("ingest %s: %s", report.run_id, dict(report.rows()))
    publish_report(report)
    return report.to_dict()


_PROGRESS: ContextVar[Progress | None] = ContextVar("ingest_progress", default=None)


def finish_batch(future: PrefectFuture, report: RunReport, settings: Settings, progress: Progress | None,
            started: float) -> None:
    progress = progress or _PROGRESS.get()
    account(report, future.result(), settings.quarantine_dir)
    report.seconds = time.perf_counter() - started
    if progress:
        progress(report)


def task_runner(settings: Settings):
    """The Prefect task runner for the configured executor: threads here, or a Dask cluster."""
    if settings.executor != "dask":
        return None
    from prefect_dask import DaskTaskRunner

    if settings.dask_address:
        return DaskTaskRunner(address=settings.dask_address)
    return DaskTaskRunner(cluster_kwargs={"n_workers": settings.workers, "threads_per_worker": 1,
                                          "processes": True, "dashboard_address": None})


def run_ingest_files(paths: list[str], progress: Progress | None = None, **kwargs) -> dict:
    """Run the ingest flow with the task runner the settings ask for (the CLI and schedules call this).

    On Dask, flow parameters travel with every task, so a live-display callback (which holds locks) is
    called here from the flow's own process instead of being passed in."""
    runner = task_runner(get_settings())
    if runner is None:
        return ingest_files(paths, progress=progress, **kwargs)
    token = _PROGRESS.set(progress)
    try:
        return ingest_files.with_options(task_runner=runner)(paths, **kwargs)
    finally:
        _PROGRESS.reset(token)
