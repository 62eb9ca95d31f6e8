"""The web ingest flow: feeds and sitemaps -> new item URLs -> polite fetch (WARC) -> extract -> index -> report.

One fetcher lives for the whole run, so per-host politeness (slots, delays, robots.txt) holds across
batches. Per batch: one query skips what is already indexed, the fetcher fetches the rest concurrently
(single URLs are retried inside it), extraction runs in the process pool, and the indexing task of batch N
overlaps fetching and extracting batch N+1.
"""

from __future__ import annotations

import time
from concurrent.futures import Executor

from elasticsearch import Elasticsearch
from prefect import flow, get_run_logger, task
from prefect.cache_policies import NO_CACHE
from prefect.futures import PrefectFuture

from flows.ingest import Progress, finish_batch, index_batch, publish_report, start_run
from pipelines.batch import DocResult, Options, chunked, make_pool
from pipelines.ingest import account
from pipelines.models import Outcome
from pipelines.settings import get_settings
from pipelines.sources.web.feeds import FeedItem
from pipelines.sources.web.fetch import FetchConfig, FetchResult, WebFetcher
from pipelines.sources.web.resolve import Resolved, resolve
from pipelines.sources.web.steps import extract_pages, quarantined, split_known, to_documents
from pipelines.sources.web.warc import WarcArchive


@task(name="resolve-feeds", cache_policy=NO_CACHE)
def resolve_sources(fetcher: WebFetcher, urls: list[str], feeds: list[str], sitemaps: list[str]) -> Resolved:
    return resolve(fetcher, urls, feeds, sitemaps)


# Fetching and extraction are plain calls, not tasks: Prefect keeps every task's result for the whole run,
# and these carry page bodies and articles. The fetcher retries per request; indexing is the batch task.
def fetch_batch(fetcher: WebFetcher, items: list[FeedItem]) -> list[FetchResult]:
    return fetcher.fetch_many([i.url for i in items], purpose="page", meta={i.url: i.meta() for i in items})


def extract_batch(client: Elasticsearch, name: str, items: list[FeedItem], results: list[FetchResult],
                  opts: Options, pool: Executor | None) -> list[DocResult]:
    docs, bad = to_documents(results, items, opts.source)
    return bad + extract_pages(client, name, docs, opts, pool)


@flow(name="ingest-web", log_prints=False)
def ingest_web(urls: list[str] | None = None, feeds: list[str] | None = None, sitemaps: list[str] | None = None,
               source: str = "web", run_id: str | None = None, progress: Progress | None = None,
               refresh: bool = True, refetch: bool = False) -> dict:
    """Ingest web pages named directly or by feeds and sitemaps; returns the run report.

    URLs already in the corpus are `skipped` without fetching unless `refetch` (then a page whose bytes did
    not change is `unchanged`).
    """
    logger = get_run_logger()
    run = start_run(source, run_id, get_settings().fetch_max_bytes)
    settings, client, name, report, opts = run.settings, run.client, run.name, run.report, run.opts
    started = time.perf_counter()
    fetcher = WebFetcher(FetchConfig.from_settings(settings), WarcArchive(settings.cache_dir / "raw", source=source))
    pool = None
    pending: PrefectFuture | None = None
    try:
        resolved = resolve_sources(fetcher, list(urls or []), list(feeds or []), list(sitemaps or []))
        report.discovered, report.discovered_unit = len(resolved.items), "URLs"
        failed = [quarantined(url, reason) for url, reason in resolved.failures]
        account(report, [(r, Outcome.QUARANTINED, r.reason) for r in failed], settings.quarantine_dir)
        pool = make_pool(settings.workers) if resolved.items else None
        for items in chunked(resolved.items, settings.batch_size):
            todo, skipped = split_known(client, name, items, refetch)
            fetched = fetch_batch(fetcher, todo) if todo else []
            results = skipped + extract_batch(client, name, todo, fetched, opts, pool)
            if pending is not None:
                finish_batch(pending, report, settings, progress, started)
            pending = index_batch.submit(name, results, settings, refresh)
        if pending is not None:
            finish_batch(pending, report, settings, progress, started)
    finally:
        fetcher.close()
        if pool is not None:
            pool.shutdown(cancel_futures=True)
    report.seconds = time.perf_counter() - started
    logger.info("ingest-web %s: %s", report.run_id, dict(report.rows()))
    publish_report(report)
    return report.to_dict()
