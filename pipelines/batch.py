"""Process a batch of inputs in a pool of worker processes: read, skip the unchanged, extract, enrich.

Extraction is CPU-bound, so it runs in processes; each worker reads its own files so that bytes
never cross process boundaries. A result is small: an Article as a dict, or a quarantine reason.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import Executor, ProcessPoolExecutor
from dataclasses import dataclass
from typing import Any, TypeVar

from pipelines.articles import build_article, extract
from pipelines.enrich.fingerprints import raw_hash
from pipelines.models import Outcome, QuarantineError, RawDocument
from pipelines.sources.file_digests import BatchDigests, Digests, FileDigests
from pipelines.sources.files import FileRef, read_documents


@dataclass
class DocResult:
    """What became of one input document in the processing stage."""

    locator: str
    path: str | None
    outcome: Outcome | None  # None: extracted, still to be indexed
    article: dict[str, Any] | None = None
    reason: str | None = None
    raw_hash: str | None = None


T = TypeVar("T")
INLINE_BELOW = 10  # fewer files than this are extracted in-process


@dataclass(frozen=True)
class Options:
    source: str
    run_id: str | None
    max_bytes: int
    lang_cap: int
    lang_min: int


def process_document(doc: RawDocument, opts: Options, known: dict[str, str]) -> DocResult:
    """One RawDocument to a DocResult. Never raises for bad input: that is a quarantine."""
    digest = raw_hash(doc.data, doc.meta)
    if known.get(doc.locator) == digest:
        return DocResult(doc.locator, doc.path, Outcome.UNCHANGED, raw_hash=digest)
    try:
        extraction = extract(doc)
        doc.meta["_raw_hash"] = digest
        article = build_article(doc, extraction, run_id=opts.run_id, lang_cap=opts.lang_cap, lang_min=opts.lang_min)
    except QuarantineError as exc:
        return DocResult(doc.locator, doc.path, Outcome.QUARANTINED, reason=str(exc), raw_hash=digest)
    except RecursionError:
        return DocResult(doc.locator, doc.path, Outcome.QUARANTINED, reason="document nested too deeply to parse")
    except Exception as exc:  # an extractor bug must cost one document, not the run
        reason = f"extractor failed: {type(exc).__name__}: {exc}"[:500]
        return DocResult(doc.locator, doc.path, Outcome.QUARANTINED, reason=reason, raw_hash=digest)
    return DocResult(doc.locator, doc.path, None, article=article.to_index(), raw_hash=digest)


def process_file(ref: FileRef, opts: Options, known: dict[str, str]) -> list[DocResult]:
    try:
        docs = list(read_documents(ref, opts.source, opts.max_bytes))
    except QuarantineError as exc:
        return [DocResult(ref.locator, ref.path, Outcome.QUARANTINED, reason=str(exc))]
    return [process_document(doc, opts, known) for doc in docs]


def _process_chunk(refs: list[FileRef], opts: Options, known: dict[str, str]) -> list[DocResult]:
    out: list[DocResult] = []
    for ref in refs:
        out.extend(process_file(ref, opts, known))
    return out


def unchanged_files(refs: list[FileRef], opts: Options, known: dict[str, str],
                    memo: BatchDigests | None = None) -> tuple[list[DocResult], list[FileRef]]:
    """Split off files whose every document hashes as already indexed: a rerun never starts an extractor.

    With `memo`, a file whose stat is as it was when last hashed is not even read (pipelines.sources.file_digests).
    """
    if not known:
        return [], refs
    same: list[DocResult] = []
    todo: list[FileRef] = []
    for ref in refs:
        digests = memo.remembered(ref) if memo else None
        if digests is None:
            try:
                digests = [(d.locator, raw_hash(d.data, d.meta))
                           for d in read_documents(ref, opts.source, opts.max_bytes)]
            except QuarantineError:
                todo.append(ref)  # the worker reports it
                continue
            if memo:
                memo.note(ref, digests)
        if digests and all(known.get(locator) == h for locator, h in digests):
            same += [DocResult(locator, ref.path, Outcome.UNCHANGED, raw_hash=h) for locator, h in digests]
        else:
            todo.append(ref)
    return same, todo


def _digests_by_file(refs: list[FileRef], results: list[DocResult]) -> Iterator[tuple[FileRef, Digests]]:
    """The raw hashes the workers computed, per file (a file that could not be read has none)."""
    by_path: dict[str | None, list[DocResult]] = {}
    for result in results:
        by_path.setdefault(result.path, []).append(result)
    for ref in refs:
        mine = by_path.get(ref.path)
        if mine and all(r.raw_hash for r in mine):
            yield ref, [(r.locator, r.raw_hash) for r in mine if r.raw_hash]


def _in_pool(work: Callable[[list[T], Options, dict[str, str]], list[DocResult]], items: list[T], opts: Options,
             known: dict[str, str], pool: Executor, key: Callable[[T], str]) -> list[DocResult]:
    """Run `work` over chunks of a few items per worker call (amortises pickling), results in input order.

    Each chunk carries only the known hashes it can need; `key` gives an item's locator (a JSONL file's
    records share its locator as their prefix)."""
    workers = getattr(pool, "_max_workers", 2)
    size = max(1, min(16, len(items) // (workers * 4) or 1))
    futures = []
    for i in range(0, len(items), size):
        chunk = items[i : i + size]
        keys = {key(item) for item in chunk}
        mine = {k: v for k, v in known.items() if k in keys or k.split("#", 1)[0] in keys}
        futures.append(pool.submit(work, chunk, opts, mine))
    return [result for future in futures for result in future.result()]


def process_batch(
    refs: list[FileRef], opts: Options, known: dict[str, str], pool: Executor | None = None,
    memo: FileDigests | None = None,
) -> list[DocResult]:
    """Process refs, in `pool` when given.

    Unchanged files are recognised here by hash (remembered in `memo` when given, by file stat); a handful of
    changed files is cheaper to extract inline than to wake the pool's processes for.
    """
    batch = BatchDigests(memo, refs, opts.source) if memo else None
    results, refs = unchanged_files(refs, opts, known, batch)
    if pool is None or len(refs) < INLINE_BELOW:
        done = _process_chunk(refs, opts, known)
    else:
        done = _in_pool(_process_chunk, refs, opts, known, pool, key=lambda ref: ref.locator)
    if batch:
        for ref, digests in _digests_by_file(refs, done):
            batch.note(ref, digests)
        batch.save()
    return results + done


def _process_docs(docs: list[RawDocument], opts: Options, known: dict[str, str]) -> list[DocResult]:
    return [process_document(doc, opts, known) for doc in docs]


def process_documents(
    docs: list[RawDocument], opts: Options, known: dict[str, str], pool: Executor | None = None
) -> list[DocResult]:
    """Process documents already read (fetched pages, WARC records), in `pool` when given, in input order.

    Unlike files, their bytes are in hand, so they travel to the workers in the chunks.
    """
    if pool is None or len(docs) < 4:
        return _process_docs(docs, opts, known)
    return _in_pool(_process_docs, docs, opts, known, pool, key=lambda doc: doc.locator)


class LazyPool(Executor):
    """A process pool whose workers start on the first submit: small runs and reruns never pay for them."""

    def __init__(self, max_workers: int) -> None:
        self._max_workers = max_workers
        self._pool: ProcessPoolExecutor | None = None

    def submit(self, fn, /, *args, **kwargs):  # type: ignore[no-untyped-def,override]
        if self._pool is None:
            self._pool = ProcessPoolExecutor(max_workers=self._max_workers, initializer=_warm)
        return self._pool.submit(fn, *args, **kwargs)

    def shutdown(self, wait: bool = True, *, cancel_futures: bool = False) -> None:
        if self._pool is not None:
            self._pool.shutdown(wait=wait, cancel_futures=cancel_futures)


def make_pool(workers: int) -> Executor | None:
    """A process pool for extraction, or None to run inline (one worker)."""
    if workers <= 1:
        return None
    return LazyPool(workers)


def _warm() -> None:
    # Import the heavy extractors once per worker, not once per task.
    import trafilatura  # noqa: F401

    os.environ.setdefault("PYTHONHASHSEED", "0")


def chunked(items: Iterable[Any], size: int) -> Iterator[list[Any]]:
    batch: list[Any] = []
    for item in items:
        batch.append(item)
        if len(batch) >= size:
            yield batch
            batch = []
    if batch:
        yield batch
