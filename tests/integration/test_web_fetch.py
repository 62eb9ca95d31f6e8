"""The fetcher, feeds and the WARC store against a real HTTP server on 127.0.0.1 (tests/web_server.py)."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from pipelines.extract.html import declared_charset
from pipelines.sources.web.feeds import FeedError, parse_feed
from pipelines.sources.web.fetch import FetchConfig, WebFetcher
from pipelines.sources.web.guard import Guard
from pipelines.sources.web.pages import page_document
from pipelines.sources.web.resolve import resolve
from pipelines.sources.web.warc import WarcArchive, iter_raw_documents, iter_responses, warc_files
from tests.web_server import InFlight, LoopbackServer, serve

LOOPBACK = Guard(allow_networks=["127.0.0.1/32"])  # the tests' server, and nothing else private


@pytest.fixture
def srv() -> Iterator[LoopbackServer]:
    """A fresh server per test, so per-path counters (500-then-200, 429-then-200) start at zero."""
    with serve() as server:
        yield server


def fetch(srv: LoopbackServer, paths: list[str], archive: WarcArchive | None = None, **cfg):
    guard = cfg.pop("guard", LOOPBACK)
    config = FetchConfig(**{"delay": 0, "retries": 1, "backoff": 0.05, "timeout_read": 0.5, **cfg})
    with WebFetcher(config, archive, guard=guard) as fetcher:
        return fetcher.fetch_many([srv.url(p) for p in paths])


def test_statuses_retries_and_limits(srv) -> None:
    paths = ["/articles/harbour-ferry.html", "/missing", "/gone", "/flaky", "/busy", "/always-503", "/slow",
             "/huge", "/huge-stream", "/paper.pdf"]
    got = dict(zip(paths, fetch(srv, paths, max_bytes=1_000_000), strict=True))
    assert got["/articles/harbour-ferry.html"].ok and got["/articles/harbour-ferry.html"].attempts == 1
    assert got["/missing"].error == "not found (HTTP 404)" and got["/missing"].attempts == 1
    assert got["/gone"].error == "gone (HTTP 410)"
    assert got["/flaky"].ok and got["/flaky"].attempts == 2 and srv.hits["/flaky"] == 2
    assert got["/busy"].ok and got["/busy"].attempts == 2 and got["/always-503"].attempts == 2
    assert got["/always-503"].error == "HTTP 503 Service Unavailable after 2 attempts"
    assert got["/slow"].error.startswith("timeout") and srv.hits["/slow"] == 2
    assert "too large: Content-Length" in got["/huge"].error
    assert "too large: body over 1000000 bytes" in got["/huge-stream"].error
    # A PDF is fetched as it is (the page policy, not the fetcher, refuses it).
    pdf = got["/paper.pdf"]
    assert pdf.ok and pdf.body.startswith(b"%PDF") and pdf.content_type == "application/pdf"


def test_retry_after_is_honoured(srv) -> None:
    [result] = fetch(srv, ["/busy"], backoff=0.01)
    assert result.ok and result.attempts == 2
    first, second = [t for t in srv.starts][-2:]
    assert second - first >= 0.95  # Retry-After: 1, although the backoff alone would be 10 ms


def test_redirect_chain_limit_and_loop(srv) -> None:
    chain, loop = fetch(srv, ["/redirect/3", "/loop/a"])
    assert chain.ok and chain.final_url == srv.url("/articles/harbour-ferry.html") and len(chain.redirects) == 3
    assert loop.error.startswith("redirect loop") and srv.hits["/loop/a"] == 1
    [short] = fetch(srv, ["/redirect/3"], max_redirects=2)
    assert short.error == "too many redirects (more than 2)"


def test_guard_checks_every_hop_and_private_targets_by_default(srv, monkeypatch) -> None:
    [hop] = fetch(srv, ["/to-other-host"])
    assert "127.0.0.2" in hop.error and "non-public" in hop.error and srv.hits["/to-other-host"] == 1
    monkeypatch.delenv("NEWSINDEX_FETCH_ALLOW_PRIVATE", raising=False)
    srv.reset_counts()
    [direct] = fetch(srv, ["/articles/tidal-mill.html"], guard=Guard())
    assert direct.error.startswith("refused") and sum(srv.hits.values()) == 0


def test_robots_txt_is_read_once_per_host_and_obeyed(srv) -> None:
    results = fetch(srv, ["/private/secret.html", "/articles/tidal-mill.html", "/articles/library-robot.html"])
    assert results[0].error == f"blocked by robots.txt of {srv.base}" and srv.hits["/private/secret.html"] == 0
    assert results[1].ok and results[2].ok and srv.hits["/robots.txt"] == 1
    [ignored] = fetch(srv, ["/private/secret.html"], respect_robots=False)
    assert ignored.ok


@pytest.mark.parametrize("limit", [1, 2, 3])
def test_never_more_than_the_per_host_limit_in_flight(srv, limit: int) -> None:
    results = fetch(srv, [f"/articles/bench-{i}.html?sleep=0.2" for i in range(12)], per_host=limit, concurrency=16)
    assert all(r.ok for r in results)
    assert srv.max_in_flight == limit  # reached, never passed


def test_per_host_delay_spaces_request_starts(srv) -> None:
    fetch(srv, [f"/articles/bench-{i}.html" for i in range(5)], per_host=4, delay=0.3, respect_robots=False)
    gaps = [b - a for a, b in zip(srv.starts, srv.starts[1:], strict=False)]
    assert len(gaps) == 4 and min(gaps) >= 0.28


def test_global_limit_holds_across_hosts() -> None:
    both = InFlight()
    with serve(flight=both) as one, serve(flight=both) as two:
        urls = [s.url(f"/articles/bench-{i}.html?sleep=0.2") for s in (one, two) for i in range(6)]
        config = FetchConfig(delay=0, per_host=3, concurrency=2, respect_robots=False)
        with WebFetcher(config, guard=LOOPBACK) as fetcher:
            assert all(r.ok for r in fetcher.fetch_many(urls))
    assert both.peak == 2  # two hosts allowing 3 each, but 2 in flight overall


def test_charsets_declared_in_the_header_and_undeclared(srv) -> None:
    cp, koi = fetch(srv, ["/legacy/cp1252.html", "/legacy/koi8r.html"])
    assert declared_charset(cp.body, cp.content_type) == "windows-1252"
    assert declared_charset(koi.body, koi.content_type) is None
    cp_doc = page_document("web", cp.url, cp.final_url, cp.content_type, cp.body, {})
    koi_doc = page_document("web", koi.url, koi.final_url, koi.content_type, koi.body, {})
    assert "“quiet hours”" in cp_doc.data.decode("utf-8") and "Café" in cp_doc.data.decode("utf-8")
    assert "библиотека" in koi_doc.data.decode("utf-8")


def test_feeds_sitemaps_and_their_metadata(srv) -> None:
    with WebFetcher(FetchConfig(delay=0), guard=LOOPBACK) as fetcher:
        found = resolve(fetcher, [srv.url("/articles/harbour-ferry.html")], [srv.url("/feed.rss"), srv.url("/missing")],
                        [srv.url("/sitemap_index.xml")])
    # Deduplicated by canonical URL: the URL given directly keeps its spelling and takes the feed's values.
    assert [i.url.rsplit("/", 1)[-1] for i in found.items] == [
        "harbour-ferry.html", "orchard-census.html?utm_source=rss", "tidal-mill.html", "library-robot.html"]
    ferry = next(i for i in found.items if "harbour-ferry" in i.url)
    assert ferry.meta()["_rule"] == "feed" and ferry.published_at == "2024-03-14T08:30:00+00:00"
    assert srv.hits["/sitemap_index.xml"] == 1 and srv.hits["/sitemap-old.xml.gz"] == 1  # index lists itself
    assert found.failures == [(srv.url("/missing"), "feed or sitemap not read: not found (HTTP 404)")]
    assert found.feeds_read == 4


def test_atom_and_sitemap_parsing_rules() -> None:
    from tests.web_server import atom, sitemap

    entries = parse_feed(atom("http://x"), "http://x").items
    assert [e.url for e in entries] == ["http://x/articles/library-robot.html", "http://x/articles/harbour-ferry.html"]
    assert entries[0].published_at == "2024-06-20T09:00:00Z" and entries[0].authors == ["Ines Dalmar"]
    assert entries[0].updated_at == "2024-12-01T00:00:00Z" == entries[0].meta()["updated_at"]  # <updated>
    plain = parse_feed(sitemap("http://x", ["orchard-census"], news=False), "http://x").items[0]
    assert plain.published_at is None and plain.meta() == {}  # lastmod is not a publication date
    with pytest.raises(FeedError, match="HTML page"):
        parse_feed(b"<html><body>hi</body></html>", "http://x")
    with pytest.raises(FeedError):
        parse_feed(b"", "http://x")


def test_warc_keeps_every_response_and_gives_pages_back(srv, tmp_path: Path) -> None:
    archive = WarcArchive(tmp_path / "raw", max_file_bytes=4000, source="warctest")
    paths = ["/articles/harbour-ferry.html", "/redirect/3", "/flaky", "/missing", "/huge", "/paper.pdf",
             "/legacy/koi8r.html", "/slow"]
    fetch(srv, paths, archive=archive, max_bytes=1_000_000)
    responses = list(iter_responses(tmp_path / "raw"))
    assert len(responses) == sum(srv.hits.values()) - srv.hits["/slow"]  # a timeout has no response to keep
    assert len(warc_files(tmp_path / "raw")) > 1  # rotated by size
    assert any(r.truncated and r.url.endswith("/huge") for r in responses)
    assert {r.status for r in responses} >= {200, 301, 302, 404, 500}

    docs = {d.locator.rsplit("/", 1)[-1]: d for d in iter_raw_documents(tmp_path / "raw")}
    assert set(docs) == {"harbour-ferry.html", "3", "flaky", "koi8r.html"}  # no 404, PDF, oversize or robots.txt
    assert docs["3"].url == srv.url("/articles/harbour-ferry.html") and docs["3"].source == "warctest"
    assert "библиотека" in docs["koi8r.html"].data.decode("utf-8")
