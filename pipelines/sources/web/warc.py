"""The raw store: every fetched response, headers and body, kept in WARC files for re-extraction.

Files are `<cache_dir>/raw/newsindex-<UTC time>-<pid>-<n>.warc.gz` (one gzip member per record), rotated
when a file passes `max_file_bytes`. Response bodies are stored decoded (the Content-Encoding and
Transfer-Encoding headers are dropped and the original encoding kept as X-Newsindex-Original-Content-Encoding),
so any WARC reader sees the page bytes. A body over the size limit is not stored: its record says
`WARC-Truncated: length`. After the final response of a URL comes a `metadata` record (JSON, WARC-Refers-To
the response): why it was fetched (page, feed, robots), the URL requested, the source name, the feed's values
and the fetch error if any. The reader pairs them back into RawDocuments.
"""

from __future__ import annotations

import json
import os
import threading
import zlib
from collections.abc import Callable, Iterator
from contextlib import closing
from dataclasses import dataclass, field
from datetime import UTC, datetime
from io import BytesIO
from pathlib import Path
from typing import Any

from warcio.archiveiterator import ArchiveIterator
from warcio.exceptions import ArchiveLoadFailed
from warcio.statusandheaders import StatusAndHeaders
from warcio.warcwriter import WARCWriter

from pipelines.models import QuarantineError, RawDocument

PREFIX = "newsindex"
MAX_FILE_BYTES = 1_000_000_000  # the conventional WARC file size
_DROPPED = {"content-encoding", "transfer-encoding", "content-length"}


class WarcArchive:
    """Appends response and metadata records; thread-safe, rotates by size."""

    def __init__(self, raw_dir: Path, max_file_bytes: int = MAX_FILE_BYTES, source: str | None = None) -> None:
        self.raw_dir = Path(raw_dir)
        self.max_file_bytes = max_file_bytes
        self.source = source
        self.files: list[Path] = []
        self._lock = threading.Lock()
        self._fh: Any = None
        self._writer: WARCWriter | None = None

    def _current(self) -> WARCWriter:
        if self._writer is None:
            self.raw_dir.mkdir(parents=True, exist_ok=True)
            stamp = datetime.now(UTC).strftime("%Y%m%d%H%M%S%f")
            path = self.raw_dir / f"{PREFIX}-{stamp}-{os.getpid()}-{len(self.files):05d}.warc.gz"
            self._fh = path.open("xb")
            self._writer = WARCWriter(self._fh, gzip=True)
            self.files.append(path)
            info = {"software": "newsindex", "format": "WARC File Format 1.1", "source": self.source or ""}
            self._writer.write_record(self._writer.create_warcinfo_record(path.name, info))
        return self._writer

    def _write(self, record: Any) -> str:
        with self._lock:
            writer = self._current()
            writer.write_record(record)
            self._fh.flush()
            if self._fh.tell() >= self.max_file_bytes:
                self._close_file()
        return record.rec_headers.get_header("WARC-Record-ID")

    def write_response(self, url: str, status: int, reason: str, headers: list[tuple[str, str]], body: bytes,
                       truncated: bool = False) -> str:
        """Archive one HTTP response; returns its WARC-Record-ID."""
        kept = [(k, v) for k, v in headers if k.lower() not in _DROPPED]
        kept += [("X-Newsindex-Original-Content-Encoding", v) for k, v in headers if k.lower() == "content-encoding"]
        kept.append(("Content-Length", str(len(body))))
        http = StatusAndHeaders(f"{status} {reason}".strip(), kept, protocol="HTTP/1.1")
        extra = {"WARC-Truncated": "length"} if truncated else None
        writer = WARCWriter(BytesIO(), gzip=False)  # only builds the record; _write puts it in the file
        record = writer.create_warc_record(url, "response", payload=BytesIO(body), http_headers=http,
                                           warc_headers_dict=extra)
        return self._write(record)

    def write_metadata(self, url: str, refers_to: str, data: dict[str, Any]) -> None:
        payload = json.dumps({"source": self.source, **data}, ensure_ascii=False, sort_keys=True).encode("utf-8")
        writer = WARCWriter(BytesIO(), gzip=False)
        record = writer.create_warc_record(url, "metadata", payload=BytesIO(payload),
                                           warc_content_type="application/json",
                                           warc_headers_dict={"WARC-Refers-To": refers_to})
        self._write(record)

    def _close_file(self) -> None:
        if self._fh is not None:
            self._fh.close()
        self._fh, self._writer = None, None

    def close(self) -> None:
        with self._lock:
            self._close_file()


# ---------------------------------------------------------------------- reading back
@dataclass
class ArchivedResponse:
    record_id: str
    url: str
    status: int
    headers: list[tuple[str, str]]
    body: bytes
    date: str
    truncated: bool
    info: dict[str, Any] = field(default_factory=dict)  # the paired metadata record, {} when none

    @property
    def content_type(self) -> str | None:
        return next((v for k, v in self.headers if k.lower() == "content-type"), None)


def warc_files(raw_dir: Path) -> list[Path]:
    """WARC files in write order (their names start with the UTC time they were opened)."""
    return sorted(Path(raw_dir).glob(f"{PREFIX}-*.warc.gz"))


def _records(path: Path, offset: int = 0) -> Iterator[tuple[int, Any]]:
    """(offset, record) for the records of one file from `offset` on (a record's start, as a lookup keeps it);
    a file cut short by a crash yields what precedes the damage."""
    with path.open("rb") as fh:
        fh.seek(offset)
        records = ArchiveIterator(fh)
        try:
            for rec in records:
                yield records.offset, rec  # where this record starts: reading the one before set it
        except (ArchiveLoadFailed, EOFError, OSError, zlib.error, ValueError):
            return


def _metadata(raw_dir: Path, where: dict[str, tuple[Path, int]] | None = None) -> dict[str, dict[str, Any]]:
    """response record id -> its metadata, in write order.

    With `where`, the same pass also notes the file and offset of every response record, so a lookup can
    read one record later without scanning again.
    """
    found: dict[str, dict[str, Any]] = {}
    for path in warc_files(raw_dir):
        for offset, rec in _records(path):
            if rec.rec_type == "response" and where is not None:
                where[rec.rec_headers.get_header("WARC-Record-ID")] = (path, offset)
            elif rec.rec_type == "metadata" and rec.rec_headers.get_header("WARC-Refers-To"):
                try:
                    found[rec.rec_headers.get_header("WARC-Refers-To")] = json.loads(rec.content_stream().read())
                except ValueError:
                    continue
    return found


def latest_pages(info: dict[str, dict[str, Any]],
                 key: Callable[[str], str] = lambda url: url) -> dict[str, str]:
    """key(requested URL) -> record id of the latest page response that did not end in a fetch error.

    Feeds, robots.txt and failed fetches are left out; `info` is in write order, so the last copy wins.
    """
    latest: dict[str, str] = {}
    for rid, meta in info.items():
        if meta.get("purpose") == "page" and not meta.get("error") and meta.get("requested"):
            latest[key(meta["requested"])] = rid
    return latest


def _response(rec: Any, meta: dict[str, Any]) -> ArchivedResponse:
    return ArchivedResponse(
        record_id=rec.rec_headers.get_header("WARC-Record-ID"), url=rec.rec_headers.get_header("WARC-Target-URI"),
        status=int(rec.http_headers.get_statuscode() or 0), headers=list(rec.http_headers.headers),
        body=rec.content_stream().read(), date=rec.rec_headers.get_header("WARC-Date") or "",
        truncated=bool(rec.rec_headers.get_header("WARC-Truncated")), info=meta,
    )


def iter_responses(raw_dir: Path, only: set[str] | None = None,
                   info: dict[str, dict[str, Any]] | None = None) -> Iterator[ArchivedResponse]:
    """Every archived response (redirect hops, robots.txt and feeds too) with its metadata, in write order."""
    info = _metadata(raw_dir) if info is None else info
    for path in warc_files(raw_dir):
        for _, rec in _records(path):
            if rec.rec_type != "response" or rec.http_headers is None:
                continue
            rid = rec.rec_headers.get_header("WARC-Record-ID")
            if only is not None and rid not in only:
                continue
            yield _response(rec, info.get(rid, {}))


def read_response(path: Path, offset: int, meta: dict[str, Any]) -> ArchivedResponse | None:
    """The response record that starts at `offset` in `path`, read alone; None if it is not one."""
    with closing(_records(path, offset)) as records:
        for _, rec in records:
            if rec.rec_type == "response" and rec.http_headers is not None:
                return _response(rec, meta)
            return None
    return None


def page_from(resp: ArchivedResponse, source: str | None = None) -> RawDocument | None:
    """The RawDocument of an archived page, or None when it is none to extract (truncated, an error status,
    a type the page policy refuses). `source` overrides the source name recorded at fetch time."""
    from pipelines.sources.web.pages import page_document

    if resp.truncated or not 200 <= resp.status < 300:
        return None
    try:
        return page_document(source or resp.info.get("source") or "web", resp.info["requested"], resp.url,
                             resp.content_type, resp.body, resp.info.get("meta") or {})
    except QuarantineError:
        return None


def iter_raw_documents(raw_dir: Path, source: str | None = None) -> Iterator[RawDocument]:
    """The latest fetched copy of every page in the raw store, as RawDocuments ready for extraction.

    Pages only (not feeds, robots.txt or redirect hops); responses that ended in an error (404, too large,
    unsupported type...) are left out. `source` overrides the source name recorded at fetch time.
    The locator, the feed metadata and the content type are those of the original fetch, so a re-extraction
    produces the same document ids as the first ingest.
    """
    info = _metadata(raw_dir)
    latest = latest_pages(info)
    for resp in iter_responses(raw_dir, only=set(latest.values()), info=info):
        if (doc := page_from(resp, source)) is not None:
            yield doc


@dataclass(frozen=True, slots=True)
class PageRef:
    """Where the latest stored copy of a page is: a file, the offset of its response record, its metadata."""

    path: Path
    offset: int
    info: dict[str, Any]


def page_lookup(raw_dir: Path) -> dict[str, PageRef]:
    """locator (canonical URL as requested) -> PageRef of its latest page copy, from one pass over the store.

    Holds no bodies: read one with `read_response(ref.path, ref.offset, ref.info)`.
    """
    from pipelines.enrich.outlets import canonical_url

    where: dict[str, tuple[Path, int]] = {}
    info = _metadata(raw_dir, where)
    latest = latest_pages(info, key=canonical_url)
    return {locator: PageRef(*where[rid], info[rid]) for locator, rid in latest.items() if rid in where}
