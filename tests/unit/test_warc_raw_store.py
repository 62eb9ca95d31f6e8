"""The WARC raw store's lookup for reindex: one scan of the store, then only the records asked for are read.

The WARC files are written by the project's own WarcArchive, as the fetcher writes them.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from pipelines.sources.web import warc
from pipelines.sources.web.raw_store import WarcRawStore
from pipelines.sources.web.warc import WarcArchive, iter_raw_documents

HTML = [("Content-Type", "text/html; charset=utf-8")]


def page(title: str) -> bytes:
    return (f"<!doctype html><html lang='en'><head><title>{title}</title></head><body><article><h1>{title}</h1>"
            f"<p>{title} is the story of the day, told at length so that the extractor keeps it.</p>"
            "</article></body></html>").encode()


def fetched(archive: WarcArchive, url: str, body: bytes, status: int = 200, purpose: str = "page",
            error: str | None = None, headers: list[tuple[str, str]] = HTML) -> None:
    """What the fetcher writes for one URL: the response, then its metadata record."""
    rid = archive.write_response(url, status, "OK" if status == 200 else "Error", headers, body)
    meta: dict[str, Any] = {"purpose": purpose, "requested": url, "meta": {}}
    if error:
        meta["error"] = error
    archive.write_metadata(url, rid, meta)


@pytest.fixture
def raw(tmp_path: Path) -> Path:
    archive = WarcArchive(tmp_path / "raw", max_file_bytes=2500, source="webtest")  # small: several files
    fetched(archive, "http://news.test/a?utm_source=rss", page("Alpha first copy"))
    fetched(archive, "http://news.test/b", page("Bravo"))
    fetched(archive, "http://news.test/feed.xml", b"<rss/>", purpose="feed",
            headers=[("Content-Type", "application/rss+xml")])
    fetched(archive, "http://news.test/c", page("Charlie"))
    fetched(archive, "http://news.test/gone", b"not here", status=404, error="not found (HTTP 404)")
    fetched(archive, "http://news.test/a", page("Alpha second copy"))  # a refetch: the latest copy wins
    fetched(archive, "http://news.test/b", b"", status=500, error="HTTP 500 after 2 attempts")  # keeps the 200
    fetched(archive, "http://news.test/paper.pdf", b"%PDF-1.4", headers=[("Content-Type", "application/pdf")])
    archive.close()
    assert len(warc.warc_files(tmp_path / "raw")) > 2
    return tmp_path / "raw"


def hit(locator: str, source: str = "webtest") -> dict[str, Any]:
    return {"_id": locator, "_source": {"source": source, "locator": locator, "source_path": locator}}


@pytest.fixture
def reads(monkeypatch: pytest.MonkeyPatch) -> list[tuple[str, int, int]]:
    """Every pass over WARC records: (file, starting offset, records parsed), through the real reader."""
    seen: list[tuple[str, int, int]] = []
    real = warc._records

    def counting(path: Path, offset: int = 0) -> Iterator[tuple[int, Any]]:
        entry = [path.name, offset, 0]
        seen.append(entry)  # type: ignore[arg-type]
        for item in real(path, offset):
            entry[2] += 1
            yield item

    monkeypatch.setattr(warc, "_records", counting)
    return seen  # type: ignore[return-value]


def test_the_lookup_is_built_once_and_each_group_reads_only_its_records(raw: Path, reads) -> None:
    store = WarcRawStore(raw)
    assert list(store.documents([])) == [] and reads == []  # nothing asked, nothing read
    files = [p.name for p in warc.warc_files(raw)]

    first = list(store.documents([hit("http://news.test/a"), hit("http://news.test/missing")]))
    scans = [r for r in reads if r[1] == 0]
    assert [r[0] for r in scans] == files  # one pass over the store, file by file
    assert [(r[1] > 0, r[2]) for r in reads[len(scans):]] == [(True, 1)]  # then one record, read alone

    reads.clear()
    second = list(store.documents([hit("http://news.test/b", source="other"), hit("http://news.test/c")]))
    assert [(r[1] > 0, r[2]) for r in reads] == [(True, 1), (True, 1)]  # no second scan: two records, two reads

    assert [d.locator for d in first] == ["http://news.test/a"]
    assert b"Alpha second copy" in first[0].data and first[0].source == "webtest"
    assert [(d.locator, d.source) for d in second] == [("http://news.test/b", "other"), ("http://news.test/c",
                                                                                         "webtest")]
    assert b"Bravo" in second[0].data  # the failed refetch did not replace the stored page


def test_the_lookup_follows_the_rules_of_iter_raw_documents_and_holds_no_bodies(raw: Path) -> None:
    store = WarcRawStore(raw)
    lookup = store.lookup()
    # Pages only, keyed by the locator an ingest gives them (canonical URL: utm_source dropped); the PDF is
    # there but is not a page the extractors take, the 404 and the feed are not pages at all.
    assert set(lookup) == {"http://news.test/a", "http://news.test/b", "http://news.test/c",
                           "http://news.test/paper.pdf"}
    # A reference per page (file, offset, fetch metadata), never a body.
    assert all(isinstance(ref.offset, int) and ref.offset > 0 for ref in lookup.values())
    assert not any(isinstance(v, bytes) for ref in lookup.values() for v in ref.info.values())

    expected = {d.locator: d.data for d in iter_raw_documents(raw)}
    got = {d.locator: d.data for d in store.documents([hit(loc) for loc in lookup])}
    assert got == expected and set(got) == {"http://news.test/a", "http://news.test/b", "http://news.test/c"}
