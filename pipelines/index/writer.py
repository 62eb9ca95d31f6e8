"""Write a batch of Articles: skip what is unchanged, flag exact duplicates, bulk index the rest.

Bulk requests are cut by bytes and by count, 429s are retried with backoff by the client helper,
and a document the cluster rejects is reported with the server's reason instead of failing the batch.
A cluster that cannot be reached raises: the run must fail loudly, and a rerun converges because ids
are deterministic.
"""

from __future__ import annotations

import threading
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from elasticsearch import Elasticsearch, helpers

from pipelines.batch import DocResult
from pipelines.index.language_fields import with_language_fields
from pipelines.models import Outcome
from pipelines.sources.files import holds_records

# Fields that change on every run and say nothing about the article itself.
VOLATILE = ("ingested_at", "run_id", "raw_hash", "locator", "source_path", "duplicate_of")


@dataclass
class WriteResult:
    outcomes: list[tuple[DocResult, Outcome, str | None]] = field(default_factory=list)

    def add(self, doc: DocResult, outcome: Outcome, reason: str | None = None) -> None:
        self.outcomes.append((doc, outcome, reason))


def known_hashes(client: Elasticsearch, alias: str, source: str, locators: Iterable[str]) -> dict[str, str]:
    """locator -> raw_hash of what this source has indexed, for the given file locators (and their records)."""
    locators = list(locators)
    if not locators or not client.indices.exists(index=alias):
        return {}
    should: list[dict[str, Any]] = [{"terms": {"locator": locators}}]
    # Record files (JSON, JSONL, gzipped or not) give their records locators `file#n`; a prefix query per
    # such file finds them. Pages (`.html.gz`) never have records, and 200 needless prefix queries a batch
    # were most of a rerun's time.
    should += [{"prefix": {"locator": f"{loc}#"}} for loc in locators if holds_records(loc)]
    query = {"bool": {"should": should, "minimum_should_match": 1, "filter": [{"term": {"source": source}}]}}
    found: dict[str, str] = {}
    for hit in helpers.scan(client, index=alias, query={"query": query, "_source": ["locator", "raw_hash"]}, size=1000):
        src = hit["_source"]
        if src.get("locator") and src.get("raw_hash"):
            found[src["locator"]] = src["raw_hash"]
    return found


def _stable(src: dict[str, Any]) -> dict[str, Any]:
    return {k: v for k, v in src.items() if k not in VOLATILE}


def _existing(client: Elasticsearch, alias: str, ids: list[str]) -> dict[str, dict[str, Any]]:
    """The indexed versions of these ids, in one request: on a missing index (the first batch) every id comes back
    with an error instead of `found`, so no existence check is needed first."""
    if not ids:
        return {}
    resp = client.mget(index=alias, ids=ids)
    return {d["_id"]: d["_source"] for d in resp["docs"] if d.get("found")}


def _first_with_hash(client: Elasticsearch, alias: str, hashes: list[str]) -> dict[str, str]:
    """content_hash -> id of the earliest indexed document with that exact clean text."""
    if not hashes:
        return {}
    resp = client.search(
        index=alias,
        size=0,
        query={"terms": {"content_hash": hashes}},
        aggs={"h": {"terms": {"field": "content_hash", "size": len(hashes)}, "aggs": {
            "first": {"top_hits": {"size": 1, "sort": [{"ingested_at": "asc"}, {"id": "asc"}], "_source": False}}}}},
    )
    return {b["key"]: b["first"]["hits"]["hits"][0]["_id"] for b in resp["aggregations"]["h"]["buckets"]}


_GUARD = threading.Lock()
_WRITERS: dict[str, threading.Lock] = {}


def _writer_lock(alias: str) -> threading.Lock:
    """One batch at a time writes a corpus from this process: the flow keeps two batches in flight, and a batch
    that looked up stories and content hashes while the other was still writing missed the other's articles
    (two copies of one text both "indexed", one story split in two)."""
    with _GUARD:
        return _WRITERS.setdefault(alias, threading.Lock())


def write_batch(
    client: Elasticsearch, alias: str, write_alias: str, docs: list[DocResult], *,
    max_bytes: int, max_docs: int, retries: int, refresh: bool = False,
) -> WriteResult:
    """Index the extracted documents of one batch; every doc gets exactly one outcome."""
    with _writer_lock(alias):
        return _write_batch(client, alias, write_alias, docs, max_bytes=max_bytes, max_docs=max_docs,
                            retries=retries, refresh=refresh)


def _write_batch(
    client: Elasticsearch, alias: str, write_alias: str, docs: list[DocResult], *,
    max_bytes: int, max_docs: int, retries: int, refresh: bool,
) -> WriteResult:
    result = WriteResult()
    pending: dict[str, tuple[DocResult, dict[str, Any]]] = {}
    for doc in docs:
        art = doc.article
        assert art is not None
        with_language_fields(art)
        if art["id"] in pending:  # the same article twice in one batch (same canonical URL)
            result.add(doc, Outcome.DUPLICATE, f"same document as {pending[art['id']][0].locator}")
            continue
        pending[art["id"]] = (doc, art)

    # story_id first: the unchanged check below then compares it too (pipelines/stories).
    from pipelines.stories import assign_stories

    assign_stories(client, alias, [art for _, art in pending.values()])
    existing = _existing(client, alias, list(pending))
    to_write: dict[str, tuple[DocResult, dict[str, Any]]] = {}
    for doc_id, (doc, art) in pending.items():
        old = existing.get(doc_id)
        if old is not None and _stable(old) == _stable(art):
            if old.get("raw_hash") == art.get("raw_hash") and old.get("locator") == art.get("locator"):
                result.add(doc, Outcome.UNCHANGED)
                continue
            art["ingested_at"], art["run_id"] = old.get("ingested_at"), old.get("run_id")
            to_write[doc_id] = (doc, art)
            continue
        to_write[doc_id] = (doc, art)

    firsts = _first_with_hash(client, alias, sorted({a["content_hash"] for _, a in to_write.values()}))
    seen_in_batch: dict[str, str] = {}
    outcome_of: dict[str, Outcome] = {}
    for doc_id, (_, art) in to_write.items():
        first = firsts.get(art["content_hash"]) or seen_in_batch.setdefault(art["content_hash"], doc_id)
        art["duplicate_of"] = first if first != doc_id else None
        unchanged = doc_id in existing and _stable(existing[doc_id]) == _stable(art)
        outcome_of[doc_id] = (
            Outcome.DUPLICATE if art["duplicate_of"] else Outcome.UNCHANGED if unchanged else Outcome.INDEXED
        )

    actions = ({"_index": write_alias, "_id": i, "_source": a} for i, (_, a) in to_write.items())
    for ok, item in helpers.streaming_bulk(
        client, actions, chunk_size=max_docs, max_chunk_bytes=max_bytes, raise_on_error=False,
        raise_on_exception=True, max_retries=retries, initial_backoff=1, max_backoff=30,
    ):
        info = item.get("index", {})
        doc, _ = to_write[info["_id"]]
        if ok:
            result.add(doc, outcome_of[info["_id"]])
        else:
            error = info.get("error", {})
            reason = error.get("reason", str(error)) if isinstance(error, dict) else str(error)
            # capped: the server quotes the offending value, which can be the whole 40 KB field
            result.add(doc, Outcome.QUARANTINED, f"rejected by Elasticsearch ({info.get('status')}): {reason}"[:500])
    if refresh and to_write:
        # Later batches look up content hashes by search, which sees only refreshed documents.
        client.indices.refresh(index=write_alias)
    return result
