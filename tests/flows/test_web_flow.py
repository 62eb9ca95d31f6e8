"""The ingest-web flow in a Prefect test harness, against the loopback web server and the real Elasticsearch."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from flows.web import ingest_web
from pipelines import quarantine
from pipelines.settings import get_settings, reload_settings
from pipelines.sources.web.warc import iter_raw_documents, warc_files
from tests.web_server import LoopbackServer, serve

pytestmark = [pytest.mark.integration, pytest.mark.usefixtures("harness")]


@pytest.fixture
def srv() -> Iterator[LoopbackServer]:
    """A fresh server per test, so per-path counters (500-then-200, 429-then-200) start at zero."""
    with serve() as server:
        yield server


@pytest.fixture
def fast_fetch(monkeypatch: pytest.MonkeyPatch, tmp_cache) -> None:
    for key, value in {"FETCH_ALLOW_PRIVATE": "1", "FETCH_DELAY": "0", "FETCH_TIMEOUT_READ": "1",
                       "FETCH_RETRIES": "1", "FETCH_MAX_BYTES": "1000000", "WORKERS": "2"}.items():
        monkeypatch.setenv(f"NEWSINDEX_{key}", value)
    reload_settings()


def _reasons(report: dict) -> dict[str, str]:
    return {q["locator"].rsplit("/", 1)[-1]: q["reason"] for q in report["quarantine"]}


def test_feeds_and_sitemaps_are_fetched_once_with_feed_metadata(client, index_name, fast_fetch, srv) -> None:
    first = ingest_web(feeds=[srv.url("/feed.rss"), srv.url("/feed.atom")], sitemaps=[srv.url("/sitemap_index.xml")],
                       source="webtest")
    # rss: ferry, orchard; atom: robot, ferry (again); sitemaps: mill, robot, orchard -> four distinct pages
    assert first["discovered"] == 4 and first["indexed"] == 4 and first["quarantined"] == 0
    assert first["discovered_unit"] == "URLs"
    assert srv.hits["/articles/harbour-ferry.html"] == 1 and srv.hits["/sitemap_index.xml"] == 1

    hits = {h["_source"]["locator"].rsplit("/", 1)[-1]: h["_source"]
            for h in client.search(index=index_name, size=10)["hits"]["hits"]}
    ferry = hits["harbour-ferry.html"]  # the RSS item won: its title, date and author, with provenance `feed`
    assert ferry["title"].endswith("(feed title)") and ferry["provenance"]["title"] == "feed"
    assert ferry["published_at"].startswith("2024-03-14") and ferry["provenance"]["published_at"] == "feed"
    assert ferry["authors"] == ["Mara Quillon"] and ferry["provenance"]["authors"] == "feed"
    mill = hits["tidal-mill.html"]  # news sitemap: publication date with provenance feed, lastmod ignored
    assert mill["published_at"].startswith("2024-08-09") and mill["provenance"]["published_at"] == "feed"
    assert ferry["canonical_url"] == srv.url("/articles/harbour-ferry.html")  # utm_source dropped

    # A second run fetches nothing: every item is already indexed.
    srv.reset_counts()
    second = ingest_web(feeds=[srv.url("/feed.rss"), srv.url("/feed.atom")],
                        sitemaps=[srv.url("/sitemap_index.xml")], source="webtest")
    assert second["skipped"] == 4 and second["indexed"] == 0
    assert not any(path.startswith("/articles/") for path in srv.hits)

    # The raw store gives the pages back for re-extraction, with the feed values.
    docs = {d.locator.rsplit("/", 1)[-1]: d for d in iter_raw_documents(get_settings().cache_dir / "raw")}
    assert set(docs) == {"harbour-ferry.html", "orchard-census.html", "library-robot.html", "tidal-mill.html"}
    assert docs["harbour-ferry.html"].meta["_rule"] == "feed"


def test_urls_end_in_one_outcome_each_with_reasons(client, index_name, fast_fetch, srv) -> None:
    paths = ["/articles/harbour-ferry.html", "/missing", "/gone", "/flaky", "/busy", "/slow", "/redirect/3",
             "/loop/a", "/huge", "/paper.pdf", "/legacy/cp1252.html", "/legacy/koi8r.html", "/private/secret.html"]
    report = ingest_web(urls=[srv.url(p) for p in paths], source="webtest")
    assert report["documents"] == len(paths)
    reasons = _reasons(report)
    assert "404" in reasons["missing"] and "410" in reasons["gone"]
    assert "timeout" in reasons["slow"] and "after 2 attempts" in reasons["slow"]
    assert "loop" in reasons["a"] and "too large" in reasons["huge"]
    assert "unsupported content type application/pdf" in reasons["paper.pdf"]
    assert "robots.txt" in reasons["secret.html"]
    assert set(reasons) == {"missing", "gone", "slow", "a", "huge", "paper.pdf", "secret.html"}
    # /redirect/3 lands on the ferry page fetched directly: the same article, counted as its duplicate.
    assert report["indexed"] + report["duplicate"] == 6 and report["duplicate"] == 1
    stored = {e["locator"].rsplit("/", 1)[-1] for e in quarantine.current(get_settings().quarantine_dir)}
    assert stored == set(reasons)

    texts = {h["_source"]["locator"].rsplit("/", 1)[-1]: h["_source"]["text"]
             for h in client.search(index=index_name, size=20)["hits"]["hits"]}
    assert "“quiet hours”" in texts["cp1252.html"] and "Café" in texts["cp1252.html"]
    assert "библиотека" in texts["koi8r.html"]

    # Named again with --refetch semantics: fetched, and nothing changed.
    again = ingest_web(urls=[srv.url("/articles/harbour-ferry.html")], source="webtest", refetch=True)
    assert again["unchanged"] == 1
    assert warc_files(get_settings().cache_dir / "raw")
