"""Batch-level steps of a web ingest, free of any orchestrator (flows/web.py calls them in order).

split_known:   item URLs -> to fetch, and `skipped` for those the corpus already holds (one query per batch)
to_documents:  fetch results -> RawDocuments, and `quarantined` with the fetch's or the page policy's reason
extract_pages: RawDocuments -> DocResults in the process pool (`unchanged` when the raw bytes are the same)
"""

from __future__ import annotations

from concurrent.futures import Executor

from elasticsearch import Elasticsearch

from pipelines.batch import DocResult, Options, process_documents
from pipelines.enrich.outlets import canonical_url
from pipelines.index.writer import known_hashes
from pipelines.models import Outcome, QuarantineError, RawDocument
from pipelines.sources.web.feeds import FeedItem
from pipelines.sources.web.fetch import FetchResult
from pipelines.sources.web.known import indexed_urls
from pipelines.sources.web.pages import page_document


def quarantined(url: str, reason: str) -> DocResult:
    return DocResult(canonical_url(url), url, Outcome.QUARANTINED, reason=reason)


def split_known(client: Elasticsearch, alias: str, items: list[FeedItem],
                refetch: bool = False) -> tuple[list[FeedItem], list[DocResult]]:
    """Items to fetch, and DocResults `skipped` for URLs already indexed (unless `refetch`)."""
    if refetch:
        return items, []
    known = indexed_urls(client, alias, [canonical_url(i.url) for i in items])
    todo = [i for i in items if canonical_url(i.url) not in known]
    skipped = [DocResult(canonical_url(i.url), i.url, Outcome.SKIPPED, reason="already indexed")
               for i in items if canonical_url(i.url) in known]
    return todo, skipped


def to_documents(results: list[FetchResult], items: list[FeedItem],
                 source: str) -> tuple[list[RawDocument], list[DocResult]]:
    """Pages that can be extracted, and the quarantined rest (404, 410, robots, too large, timeout, PDF...)."""
    docs: list[RawDocument] = []
    bad: list[DocResult] = []
    for result, item in zip(results, items, strict=True):
        if not result.ok:
            bad.append(quarantined(result.url, result.error or f"HTTP {result.status}"))
            continue
        try:
            docs.append(page_document(source, result.url, result.final_url, result.content_type, result.body,
                                      item.meta()))
        except QuarantineError as exc:
            bad.append(quarantined(result.url, str(exc)))
    return docs, bad


def extract_pages(client: Elasticsearch | None, alias: str, docs: list[RawDocument], opts: Options,
                  pool: Executor | None) -> list[DocResult]:
    known = known_hashes(client, alias, opts.source, [d.locator for d in docs]) if client is not None and docs else {}
    return process_documents(docs, opts, known, pool)
