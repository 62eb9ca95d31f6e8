"""`reindex --re-extract` with the web raw store: pages fetched from a real 127.0.0.1 server, stored in WARC
files, indexed into the real Elasticsearch, then re-extracted from the WARC files without fetching again."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

from pipelines.batch import Options, process_documents
from pipelines.enrich.outlets import canonical_url
from pipelines.index.lifecycle import alias_targets, ensure_index
from pipelines.index.reindex import reindex
from pipelines.ingest import index_results
from pipelines.models import Outcome
from pipelines.settings import get_settings, reload_settings
from pipelines.sources.web.feeds import FeedItem
from pipelines.sources.web.fetch import FetchConfig, WebFetcher
from pipelines.sources.web.raw_store import WarcRawStore
from pipelines.sources.web.steps import extract_pages, to_documents
from pipelines.sources.web.warc import WarcArchive, iter_raw_documents
from tests.conftest import ROOT
from tests.integration.test_index_and_search import ARTICLES, load
from tests.web_server import LoopbackServer, serve

pytestmark = pytest.mark.integration

SOURCE = "webtest"
STORED = ["/articles/harbour-ferry.html", "/articles/orchard-census.html", "/articles/library-robot.html",
          "/legacy/cp1252.html", "/legacy/koi8r.html"]
NOT_STORED = "/articles/tidal-mill.html"  # fetched and indexed, but by a fetcher without a raw store
STALE = "text written by an older extractor"


@pytest.fixture
def srv() -> Iterator[LoopbackServer]:
    with serve() as server:
        yield server


@pytest.fixture
def web_settings(index_name: str, tmp_cache: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """Loopback fetching allowed, no politeness delay, two workers (so stored pages go through the pool)."""
    for key, value in {"FETCH_ALLOW_PRIVATE": "1", "FETCH_DELAY": "0", "FETCH_RETRIES": "1", "WORKERS": "2"}.items():
        monkeypatch.setenv(f"NEWSINDEX_{key}", value)
    reload_settings()
    return tmp_cache / "raw"


def ingest_pages(client, name: str, srv: LoopbackServer, items: list[FeedItem], archive: WarcArchive | None,
                 run_id: str) -> None:
    """What the ingest-web flow does for one batch (fetch, WARC, extract, index), without Prefect."""
    settings = get_settings()
    ensure_index(client, name)
    with WebFetcher(FetchConfig.from_settings(settings), archive) as fetcher:
        fetched = fetcher.fetch_many([i.url for i in items], purpose="page", meta={i.url: i.meta() for i in items})
    docs, bad = to_documents(fetched, items, SOURCE)
    assert not bad, [(b.locator, b.reason) for b in bad]
    opts = Options(SOURCE, run_id, settings.fetch_max_bytes, settings.language_sample_chars,
                   settings.min_language_chars)
    outcomes = index_results(client, name, extract_pages(client, name, docs, opts, None), settings, refresh=True)
    assert {o for _, o, _ in outcomes} == {Outcome.INDEXED}, outcomes


def corpus(client, index: str) -> dict[str, dict]:
    resp = client.search(index=index, size=100, query={"match_all": {}},
                         source=["locator", "text", "ingested_at", "run_id", "title", "provenance", "source"])
    return {h["_id"]: h["_source"] for h in resp["hits"]["hits"]}


def make_stale(client, name: str, ids: list[str]) -> None:
    """Overwrite the indexed text, as an older extractor would have left it."""
    for doc_id in ids:
        client.update(index=name, id=doc_id, doc={"text": STALE}, refresh=True)


def test_re_extract_rebuilds_web_pages_from_the_raw_store(client, index_name, web_settings, srv, tmp_path) -> None:
    raw = web_settings
    files = tmp_path / "corpus"
    shutil.copytree(ARTICLES, files)
    load(client, index_name, [files])  # files and web pages side by side in one corpus
    items = [FeedItem(srv.url(p)) for p in STORED]
    items[0].title = "Ferry back in service (feed title)"  # feed values are kept in the WARC metadata
    ingest_pages(client, index_name, srv, items, WarcArchive(raw, source=SOURCE), "web-run-1")
    ingest_pages(client, index_name, srv, [FeedItem(srv.url(NOT_STORED))], None, "web-run-2")

    before = corpus(client, index_name)
    n = len(before)
    web = {i: d for i, d in before.items() if d["source"] == SOURCE}
    assert len(web) == len(STORED) + 1
    make_stale(client, index_name, list(web))
    srv.reset_counts()

    settings = get_settings()
    opts = Options(SOURCE, "expected", settings.fetch_max_bytes, settings.language_sample_chars,
                   settings.min_language_chars)
    todays = {r.locator: r.article["text"] for r in process_documents(list(iter_raw_documents(raw)), opts, {})}
    assert len(todays) == len(STORED)

    report = reindex(client, index_name, re_extract=True, raw_store=WarcRawStore(raw))

    assert report.mode == "re-extract" and report.source_docs == n
    assert (report.reextracted, report.carried) == (n - 1, 1)
    assert report.carried_why == {"raw page not in the raw store": 1}
    assert report.target_docs == n == client.count(index=index_name)["count"]  # nothing lost
    assert alias_targets(client, index_name) == [report.target]
    assert not srv.hits  # re-extracted from the WARC files, not fetched again

    after = corpus(client, index_name)
    assert set(after) == set(before)  # same ids
    assert {i: d["ingested_at"] for i, d in after.items()} == {i: d["ingested_at"] for i, d in before.items()}
    missing = canonical_url(srv.url(NOT_STORED))
    for doc_id, doc in web.items():
        now = after[doc_id]
        if doc["locator"] == missing:  # carried over as indexed
            assert now["text"] == STALE and now["run_id"] == "web-run-2"
        else:
            assert now["run_id"].startswith("reindex-") and now["text"] == todays[doc["locator"]] != STALE
    ferry = next(d for d in after.values() if d["locator"] == canonical_url(srv.url(STORED[0])))
    assert ferry["title"] == "Ferry back in service (feed title)" and ferry["provenance"]["title"] == "feed"
    koi8 = next(d for d in after.values() if d["locator"].endswith("koi8r.html"))
    assert "библиотека" in koi8["text"]  # the charset from the stored HTTP headers still applies


def test_the_cli_re_extracts_web_pages_from_the_cache_dir_raw_store(client, index_name, web_settings, srv,
                                                                      es_url) -> None:
    raw = web_settings  # <cache_dir>/raw, where the ingest-web flow writes
    ingest_pages(client, index_name, srv, [FeedItem(srv.url(STORED[0]))], WarcArchive(raw, source=SOURCE), "r1")
    ingest_pages(client, index_name, srv, [FeedItem(srv.url(NOT_STORED))], None, "r2")
    make_stale(client, index_name, list(corpus(client, index_name)))

    env = {**os.environ, "NEWSINDEX_ES_URL": os.environ.get("NEWSINDEX_ES_URL") or es_url, "COLUMNS": "200",
           "NO_COLOR": "1"}
    run = subprocess.run([sys.executable, "-c", "from flows.cli import main; main()", "reindex", "--re-extract"],
                         cwd=ROOT, env=env, capture_output=True, text=True, timeout=300, stdin=subprocess.DEVNULL)
    assert run.returncode == 0, run.stdout + run.stderr
    assert "raw page not in the raw store" in run.stdout

    after = {d["locator"]: d for d in corpus(client, index_name).values()}
    stored = after[canonical_url(srv.url(STORED[0]))]
    assert stored["run_id"].startswith("reindex-") and "ferry" in stored["text"] and stored["text"] != STALE
    assert after[canonical_url(srv.url(NOT_STORED))]["text"] == STALE
