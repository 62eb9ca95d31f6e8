"""Zero-downtime reindex: build a new index beside the live one, fill it, check it, swap both aliases at once.

The order of operations, and why:
1. A lock index `<name>-reindex-lock` is created. Creating an index is atomic, so a second reindex fails at
   once with the first one's details.
2. The new index is created from today's template and the *write* alias moves to it first (one `_aliases`
   call), after which we wait for bulk requests already under way. An ingest running during the reindex
   therefore writes into the new index and no document it writes can be missed by the copy; nobody waits.
   Reads stay on the live index, so searches never see a half-built one.
3. Fill: copy (point in time + search_after + bulk `create`, so a document an ingest wrote meanwhile is newer
   and is kept), or re-extract from the raw inputs through today's extractor.
4. Refresh, count parity, then the read and write aliases move to the new index in one `_aliases` call.
   The old index is kept for `rollback`.
On any failure the aliases go back, documents ingested meanwhile are copied back, the partial index is deleted.
"""

from __future__ import annotations

import os
import socket
import time
import warnings
from collections.abc import Callable, Iterable, Iterator
from contextlib import closing
from dataclasses import dataclass, field
from datetime import UTC, datetime
from functools import lru_cache
from pathlib import Path
from typing import Any, Literal, Protocol
from urllib.parse import urlsplit

from elasticsearch import BadRequestError, Elasticsearch, NotFoundError, helpers
from elasticsearch.exceptions import GeneralAvailabilityWarning

from pipelines.batch import DocResult, Options, make_pool, process_batch, process_documents
from pipelines.index.language_fields import with_language_fields
from pipelines.index.lifecycle import (
    REINDEX_RUN_PREFIX,
    LifecycleError,
    alias_targets,
    create_index,
    finish_bulk_load,
    live_index,
    move_write_alias,
    point_aliases,
    write_alias,
)
from pipelines.index.search import scan
from pipelines.index.writer import write_batch
from pipelines.models import Outcome, RawDocument
from pipelines.settings import Settings, get_settings
from pipelines.sources.files import FileRef, load_manifest, load_sidecar

Progress = Callable[[int, int], None]  # (documents done, documents in the live index)
Mode = Literal["copy", "re-extract"]
COPY_BACK_MARGIN_MS = 3_600_000  # documents extracted up to an hour before the reindex may be written during it
ACCEPTED = (Outcome.INDEXED, Outcome.DUPLICATE, Outcome.UNCHANGED)


class ReindexError(Exception):
    """The reindex could not finish; the aliases are where they were and no document is lost."""


class ReindexRunning(ReindexError):
    """Another reindex of the same corpus holds the lock."""


class RawStore(Protocol):
    """Where documents that did not come from a file on disk keep their raw bytes (the web's WARC store)."""

    def documents(self, hits: list[dict[str, Any]]) -> Iterator[RawDocument]:
        """RawDocuments (same `source` and `locator` as indexed) for the hits the store holds bytes for."""
        ...


class NoRawStore:
    """No raw store given (a library caller's default): web documents are carried over as indexed.

    The CLI passes pipelines.sources.web.raw_store.WarcRawStore, which reads the web fetcher's WARC files.
    """

    def documents(self, hits: list[dict[str, Any]]) -> Iterator[RawDocument]:
        return iter(())


@dataclass
class ReindexReport:
    name: str
    source: str
    target: str
    mode: Mode
    source_docs: int = 0  # in the live index when the fill started
    target_docs: int = 0
    copied: int = 0
    superseded: int = 0  # already written to the new index by an ingest during the reindex (newer, kept)
    reextracted: int = 0  # documents of the live index whose raw input went through today's extractor
    carried: int = 0  # re-extract: kept as indexed (input gone, page not in the raw store, extractor rejects it)
    carried_why: dict[str, int] = field(default_factory=dict)
    seconds: float = 0.0

    @property
    def docs_per_second(self) -> float:
        return self.source_docs / self.seconds if self.seconds > 0 else 0.0

    def rows(self) -> list[tuple[str, str]]:
        rows = [("mode", self.mode), ("from", self.source), ("to", self.target),
                ("documents before", str(self.source_docs)), ("documents after", str(self.target_docs))]
        if self.mode == "copy":
            rows += [("copied", str(self.copied))]
        else:
            rows += [("re-extracted", str(self.reextracted)), ("carried over as indexed", str(self.carried))]
            rows += [(f"  {why}", str(n)) for why, n in sorted(self.carried_why.items())]
        rows += [("written by ingest meanwhile", str(self.superseded)), ("seconds", f"{self.seconds:.2f}"),
                 ("docs/s", f"{self.docs_per_second:.0f}")]
        return rows


# ---------------------------------------------------------------- the lock
def lock_index(name: str) -> str:
    return f"{name}-reindex-lock"


def read_lock(client: Elasticsearch, name: str) -> dict[str, Any] | None:
    """Who is reindexing this corpus (source, target, started, host, pid), or None."""
    try:
        return client.indices.get_mapping(index=lock_index(name))[lock_index(name)]["mappings"].get("_meta", {})
    except NotFoundError:
        return None


def describe_lock(lock: dict[str, Any]) -> str:
    return (f"a reindex of {lock.get('source')} into {lock.get('target')} has been running since "
            f"{lock.get('started')} (pid {lock.get('pid')} on {lock.get('host')})")


def _acquire(client: Elasticsearch, name: str, meta: dict[str, Any]) -> None:
    try:
        client.indices.create(index=lock_index(name), mappings={"dynamic": False, "_meta": meta},
                              settings={"number_of_shards": 1, "number_of_replicas": 0})
    except BadRequestError as exc:
        if "resource_already_exists" not in str(exc):
            raise
        lock = read_lock(client, name) or {}
        raise ReindexRunning(f"{describe_lock(lock)}; if that process died, run `newsindex index abort`") from exc


def _release(client: Elasticsearch, name: str) -> None:
    client.options(ignore_status=404).indices.delete(index=lock_index(name))


# ---------------------------------------------------------------- the reindex
def reindex(client: Elasticsearch, name: str, *, re_extract: bool = False, settings: Settings | None = None,
            raw_store: RawStore | None = None, progress: Progress | None = None,
            page_size: int = 1000) -> ReindexReport:
    """Rebuild the corpus `name` into a new index from today's template and swap the aliases to it."""
    settings = settings or get_settings()
    if lock := read_lock(client, name):
        raise ReindexRunning(f"{describe_lock(lock)}; if that process died, run `newsindex index abort`")
    source = _check_aliases(client, name)
    started = time.perf_counter()
    started_ms = int(time.time() * 1000)
    run_id = f"{REINDEX_RUN_PREFIX}{datetime.now(UTC).strftime('%Y%m%dt%H%M%S')}"
    meta = {"source": source, "target": None, "started": datetime.now(UTC).isoformat(timespec="seconds"),
            "started_ms": started_ms, "run_id": run_id, "host": socket.gethostname(), "pid": os.getpid(),
            "mode": "re-extract" if re_extract else "copy"}
    _acquire(client, name, meta)
    target = None
    try:
        target = create_index(client, name, bulk_load=True)
        client.indices.put_mapping(index=lock_index(name), meta={**meta, "target": target})
        report = ReindexReport(name, source, target, "re-extract" if re_extract else "copy")
        move_write_alias(client, name, target)
        _wait_for_bulk_in_flight(client, int(time.time() * 1000))
        client.indices.refresh(index=source)
        report.source_docs = client.count(index=source)["count"]
        if re_extract:
            _re_extract(client, source, target, report, settings, raw_store or NoRawStore(), run_id, progress)
        else:
            _copy_all(client, source, target, report, settings, progress, page_size)
        finish_bulk_load(client, target)
        _verify(client, source, target, report)
        point_aliases(client, name, target)
    except BaseException:
        if target is not None:
            _restore(client, name, source, target, started_ms, run_id)
        _release(client, name)
        raise
    _release(client, name)
    report.seconds = time.perf_counter() - started
    return report


def _check_aliases(client: Elasticsearch, name: str) -> str:
    """The live index, when both aliases point to it alone."""
    try:
        source = live_index(client, name)
    except LifecycleError as exc:
        raise ReindexError(str(exc)) from exc
    if alias_targets(client, write_alias(name)) != [source]:
        raise ReindexError(f"the write alias {write_alias(name)} is not on {source}: an earlier reindex did not "
                           "finish; run `newsindex index abort` first")
    return source


def abort(client: Elasticsearch, name: str) -> dict[str, Any] | None:
    """Undo a reindex that died (its lock remains): aliases back, meanwhile-ingested documents kept, lock gone."""
    lock = read_lock(client, name)
    if lock is None:
        return None
    if lock.get("target"):
        _restore(client, name, lock["source"], lock["target"], int(lock["started_ms"]), lock.get("run_id"))
    _release(client, name)
    return lock


def _restore(client: Elasticsearch, name: str, source: str, target: str, started_ms: int,
             run_id: str | None) -> None:
    """Aliases back on `source`; what an ingest wrote into `target` meanwhile is copied back; `target` deleted."""
    if not client.indices.exists(index=target):
        point_aliases(client, name, source)
        return
    point_aliases(client, name, source)
    _wait_for_bulk_in_flight(client, int(time.time() * 1000))
    client.indices.refresh(index=target)
    query: dict[str, Any] = {"bool": {
        "filter": [{"range": {"ingested_at": {"gte": started_ms - COPY_BACK_MARGIN_MS, "format": "epoch_millis"}}}],
        "must_not": [{"term": {"run_id": run_id}}] if run_id else []}}
    with closing(scan(client, target, query)) as hits:
        _, _, errors = _bulk(client, hits, source, "index", get_settings())
    if errors:
        raise ReindexError(f"could not copy {len(errors)} documents back into {source}; {target} is kept: "
                           f"{errors[0]}")
    client.indices.refresh(index=source)
    client.indices.delete(index=target)


def _wait_for_bulk_in_flight(client: Elasticsearch, since_ms: int, timeout: float = 120.0) -> None:
    """Wait for bulk requests that started before `since_ms` (they may still write through the old alias)."""
    deadline = time.monotonic() + timeout
    while True:
        with warnings.catch_warnings():  # the tasks API is "technical preview"; listing tasks is all we do
            warnings.simplefilter("ignore", GeneralAvailabilityWarning)
            nodes = client.tasks.list(actions="indices:data/write/bulk*")["nodes"]
        running = [t for n in nodes.values() for t in n.get("tasks", {}).values()
                   if t["start_time_in_millis"] < since_ms]
        if not running:
            return
        if time.monotonic() > deadline:
            raise ReindexError(f"{len(running)} bulk requests still running after {timeout:.0f}s; try again")
        time.sleep(0.2)


def _bulk(client: Elasticsearch, hits: Iterable[dict[str, Any]], index: str, op: str, settings: Settings,
          progress: Callable[[], None] | None = None) -> tuple[int, int, list[str]]:
    """Write hits into `index` as `op` (create or index): (written, already there and newer, error reasons)."""
    # Copies written by an older mapping get the per-language fields of this one.
    actions = ({"_op_type": op, "_index": index, "_id": h["_id"], "_source": with_language_fields(h["_source"])}
               for h in hits)
    written = conflicts = 0
    errors: list[str] = []
    for ok, item in helpers.streaming_bulk(
        client, actions, chunk_size=settings.bulk_max_docs, max_chunk_bytes=settings.bulk_max_bytes,
        raise_on_error=False, raise_on_exception=True, max_retries=settings.bulk_retries, initial_backoff=1,
        max_backoff=30,
    ):
        info = item.get(op, {})
        if ok:
            written += 1
        elif info.get("status") == 409:
            conflicts += 1
        else:
            error = info.get("error", {})
            errors.append(f"{info.get('_id')}: {error.get('reason', error) if isinstance(error, dict) else error}")
        if progress:
            progress()
    return written, conflicts, errors


def _ticker(progress: Progress | None, total: int, every: int) -> Callable[[], None]:
    done = 0

    def tick() -> None:
        nonlocal done
        done += 1
        if progress and (done % every == 0 or done == total):
            progress(done, total)
    return tick


def _copy_all(client: Elasticsearch, source: str, target: str, report: ReindexReport, settings: Settings,
              progress: Progress | None, page_size: int) -> None:
    with closing(scan(client, source, page_size=page_size)) as hits:
        report.copied, report.superseded, errors = _bulk(client, hits, target, "create", settings,
                                                         _ticker(progress, report.source_docs, page_size))
    if errors:
        raise ReindexError(f"{len(errors)} documents were rejected by the new index (a mapping change they do not "
                           f"fit? then use --re-extract), e.g. {errors[0]}")


def _verify(client: Elasticsearch, source: str, target: str, report: ReindexReport) -> None:
    """Count parity: every document of the live index is in the new one (copied, re-extracted or newer)."""
    client.indices.refresh(index=source)
    now = client.count(index=source)["count"]
    accounted = report.copied + report.superseded if report.mode == "copy" else report.reextracted + report.carried
    if now != report.source_docs or accounted != now:
        raise ReindexError(f"count parity failed: {source} holds {now} documents ({report.source_docs} at the "
                           f"start), {accounted} are accounted for in {target}; the aliases were not moved")
    report.target_docs = client.count(index=target)["count"]
    if report.mode == "copy" and report.target_docs < now:
        raise ReindexError(f"count parity failed: {target} holds {report.target_docs} documents, {source} {now}")


# ---------------------------------------------------------------- re-extract
def _file_locator(locator: str) -> str:
    """`corpus/a.jsonl` for the record locator `corpus/a.jsonl#12`."""
    head, sep, tail = locator.rpartition("#")
    return head if sep and tail.isdigit() else locator


@lru_cache(maxsize=256)
def _manifest(folder: str) -> dict[str, dict[str, Any]]:
    return load_manifest(Path(folder))


def _file_ref(path: str, locator: str) -> FileRef:
    """The FileRef discovery would have made: sidecar and manifest values a person gave still win."""
    meta = dict(_manifest(str(Path(path).parent)).get(Path(path).name, {}))
    meta.update(load_sidecar(Path(path)))
    return FileRef(path, _file_locator(locator), meta)


def _groups(hits: Iterator[dict[str, Any]], files_per_group: int) -> Iterator[list[dict[str, Any]]]:
    """Hits sorted by source_path, cut between files: every record of one file lands in the same group.

    A hit without a source_path counts as its own input, so such hits cannot pile up in one group.
    """
    group: list[dict[str, Any]] = []
    paths: set[str] = set()
    for hit in hits:
        path = hit["_source"].get("source_path") or f"id:{hit['_id']}"
        if path not in paths and len(paths) >= files_per_group:
            yield group
            group, paths = [], set()
        group.append(hit)
        paths.add(path)
    if group:
        yield group


def _re_extract(client: Elasticsearch, source: str, target: str, report: ReindexReport, settings: Settings,
                raw_store: RawStore, run_id: str, progress: Progress | None) -> None:
    """Files on disk (the `source_path`s in the index) and the raw store through today's extractor.

    A document whose input is gone, which the raw store does not hold, or which today's extractor rejects,
    is carried over as indexed: a reindex never loses a document.
    """
    pool = make_pool(settings.workers)
    done = 0
    hits = scan(client, source, sort=[{"source_path": {"order": "asc", "missing": "_last"}}],
                page_size=settings.bulk_max_docs)
    try:
        for group in _groups(hits, settings.batch_size):
            results = _extract_group(group, settings, raw_store, run_id, pool)
            extracted = [r for r in results if r.outcome is None]
            # A document entered the corpus when it was first ingested; a re-extract does not move that.
            first_in = {h["_source"].get("locator"): h["_source"].get("ingested_at") for h in group}
            for r in extracted:
                if r.article is not None and first_in.get(r.locator):
                    r.article["ingested_at"] = first_in[r.locator]
            written = write_batch(client, target, target, extracted, max_bytes=settings.bulk_max_bytes,
                                  max_docs=settings.bulk_max_docs, retries=settings.bulk_retries, refresh=True)
            ok = {doc.locator for doc, outcome, _ in written.outcomes if outcome in ACCEPTED}
            why = {r.locator: r.reason for r in results if r.outcome is Outcome.QUARANTINED}
            why.update({doc.locator: reason for doc, outcome, reason in written.outcomes if outcome not in ACCEPTED})
            carry = [h for h in group if h["_source"].get("locator") not in ok]
            report.reextracted += len(group) - len(carry)
            for hit in carry:
                reason = _carry_reason(hit, why)
                report.carried_why[reason] = report.carried_why.get(reason, 0) + 1
            n, newer, errors = _bulk(client, carry, target, "create", settings)
            if errors:
                raise ReindexError(f"{len(errors)} documents could not be carried over, e.g. {errors[0]}")
            report.carried += n + newer
            done += len(group)
            if progress:
                progress(done, report.source_docs)
    finally:
        hits.close()
        if pool is not None:
            pool.shutdown(cancel_futures=True)


def _extract_group(group: list[dict[str, Any]], settings: Settings, raw_store: RawStore, run_id: str,
                   pool: Any) -> list[DocResult]:
    def opts(source_name: str) -> Options:
        return Options(source_name, run_id, settings.max_file_bytes, settings.language_sample_chars,
                       settings.min_language_chars)

    by_source: dict[str, dict[str, FileRef]] = {}
    stored: list[dict[str, Any]] = []
    for hit in group:
        src = hit["_source"]
        path, locator = src.get("source_path"), src.get("locator")
        if not locator:
            continue  # nothing to find its input by: carried over
        if _is_web(src):
            stored.append(hit)
        elif os.path.isfile(path):
            by_source.setdefault(src.get("source") or "files", {}).setdefault(path, _file_ref(path, locator))
    results: list[DocResult] = []
    for source_name, refs in by_source.items():
        results += process_batch(list(refs.values()), opts(source_name), {}, pool)
    # Stored pages carry their bytes, so they travel to the workers in chunks (pipelines.batch.process_documents).
    docs: dict[str, list[RawDocument]] = {}
    for doc in raw_store.documents(stored):
        docs.setdefault(doc.source, []).append(doc)
    for source_name, batch in docs.items():
        results += process_documents(batch, opts(source_name), {}, pool)
    return results


def _is_web(src: dict[str, Any]) -> bool:
    """A fetched page: its source_path is the URL it came from (or absent), not a file on disk."""
    path = src.get("source_path")
    return not path or urlsplit(path).scheme in ("http", "https")


def _carry_reason(hit: dict[str, Any], why: dict[str, str | None]) -> str:
    src = hit["_source"]
    if not src.get("locator"):
        return "no locator to find its raw input by"
    if src["locator"] in why:
        return "today's extractor rejects it: " + (why[src["locator"]] or "")[:60]
    if _is_web(src):
        return "raw page not in the raw store"
    if not os.path.isfile(src["source_path"]):
        return "input file gone"
    return "record no longer in its file"
