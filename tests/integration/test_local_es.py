"""The embedded Elasticsearch from pipelines.local_es: real ES 8.x features newsindex relies on.

Talks to the node on $NEWSINDEX_ES_PORT (default 9200), starting it if needed; it is left
running for the rest of the session (stop it with `python -m pipelines.local_es down`).
"""

from __future__ import annotations

import json
import shutil
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest
from elasticsearch import ApiError, Elasticsearch, helpers

from pipelines import local_es

pytestmark = pytest.mark.integration

TEMPLATE = Path(__file__).resolve().parents[2] / "config" / "elasticsearch" / "news-template.json"

DOCS = [
    {"outlet": "Café", "title": "The runners jumped over fences", "published": "2024-01-01T10:00:00Z"},
    {"outlet": "cafe", "title": "A quiet morning in the café", "published": "2024-01-01T12:00:00Z"},
    {"outlet": "CAFÉ", "title": "Running is good for you", "published": "2024-01-02T08:00:00Z"},
    {"outlet": "Le Monde", "title": "Élections et résultats", "published": "2024-01-02T09:00:00Z"},
    {"outlet": "le monde", "title": "Fences and borders", "published": "2024-01-03T09:00:00Z"},
]


@pytest.fixture(scope="module")
def local_url() -> str:
    if not (shutil.which("java") and shutil.which("mvn")):
        pytest.skip("java and mvn are needed for the embedded Elasticsearch")
    return local_es.up()


@pytest.fixture(scope="module")
def es(local_url: str) -> Elasticsearch:
    return Elasticsearch(local_url, request_timeout=60)


@pytest.fixture(scope="module")
def news(es: Elasticsearch) -> Iterator[str]:
    """An index with a folding normalizer and the english analyzer, holding DOCS."""
    name = f"test-local-es-{uuid.uuid4().hex[:8]}"
    es.indices.create(
        index=name,
        settings={
            "number_of_shards": 2,
            "number_of_replicas": 0,
            "analysis": {"normalizer": {"folding": {"type": "custom", "filter": ["lowercase", "asciifolding"]}}},
        },
        mappings={
            "properties": {
                "outlet": {"type": "keyword", "normalizer": "folding", "fields": {"raw": {"type": "keyword"}}},
                "title": {"type": "text", "analyzer": "english"},
                "published": {"type": "date"},
            }
        },
    )
    ok, errors = helpers.bulk(es, ({"_index": name, "_id": str(i), **d} for i, d in enumerate(DOCS)), refresh=True)
    assert ok == len(DOCS) and not errors
    yield name
    es.indices.delete(index=f"{name}*", ignore_unavailable=True, allow_no_indices=True)


def test_up_is_idempotent(local_url: str) -> None:
    pid = local_es.status()["pid"]
    assert pid is not None
    assert local_es.up() == local_url
    again = local_es.status()
    assert again["pid"] == pid
    assert again["running"] and again["health"] in ("yellow", "green")
    assert again["version"].startswith("8.")


def test_the_node_runs_with_our_jvm_options(es: Elasticsearch) -> None:
    # The client-grade JIT only (see local_es.JVM_FLAGS): the flags reach the real node's JVM.
    nodes = es.nodes.info(metric="jvm")["nodes"].values()
    assert all("-XX:TieredStopAtLevel=1" in node["jvm"]["input_arguments"] for node in nodes)


def test_info_and_ping(es: Elasticsearch) -> None:
    info = es.info()
    assert info["version"]["number"].startswith("8.")
    assert info["tagline"] == "You Know, for Search"
    assert es.ping()


def test_language_analyzers(es: Elasticsearch) -> None:
    def tokens(analyzer: str, text: str) -> list[str]:
        return [t["token"] for t in es.indices.analyze(analyzer=analyzer, text=text)["tokens"]]

    assert tokens("english", "The runners jumped") == ["runner", "jump"]
    for lang in ("german", "french", "spanish", "russian"):
        assert tokens(lang, "Zeitungen journaux periódicos газеты")  # exists and produces tokens
    assert tokens("standard", "Café") == ["café"]
    folded = es.indices.analyze(tokenizer="standard", filter=["lowercase", "asciifolding"], text="Café ÉLAN")
    assert [t["token"] for t in folded["tokens"]] == ["cafe", "elan"]


def test_terms_aggregation_counts_folded_values_together(es: Elasticsearch, news: str) -> None:
    resp = es.search(index=news, size=0, aggs={"outlets": {"terms": {"field": "outlet"}}})
    buckets = {b["key"]: b["doc_count"] for b in resp["aggregations"]["outlets"]["buckets"]}
    assert buckets == {"cafe": 3, "le monde": 2}
    # and a term query is normalized the same way
    assert es.count(index=news, query={"term": {"outlet": "CAFE"}})["count"] == 3


def test_english_stemming_and_highlight(es: Elasticsearch, news: str) -> None:
    resp = es.search(index=news, query={"match": {"title": "jumping fence"}}, highlight={"fields": {"title": {}}})
    hits = resp["hits"]["hits"]
    assert {h["_id"] for h in hits} == {"0", "4"}
    assert hits[0]["_id"] == "0"  # matches both terms
    assert hits[0]["highlight"]["title"] == ["The runners <em>jumped</em> over <em>fences</em>"]
    assert es.count(index=news, query={"match": {"title": "run"}})["count"] == 1  # "Running"; "runners" -> "runner"


def test_date_histogram(es: Elasticsearch, news: str) -> None:
    resp = es.search(
        index=news,
        size=0,
        aggs={"per_day": {"date_histogram": {"field": "published", "calendar_interval": "day"}}},
    )
    counts = [b["doc_count"] for b in resp["aggregations"]["per_day"]["buckets"]]
    assert counts == [2, 2, 1]


def test_query_string(es: Elasticsearch, news: str) -> None:
    resp = es.search(index=news, query={"query_string": {"query": "title:fence AND outlet:CAFE"}})
    assert [h["_id"] for h in resp["hits"]["hits"]] == ["0"]


def test_point_in_time_with_search_after(es: Elasticsearch, news: str) -> None:
    pit = es.open_point_in_time(index=news, keep_alive="1m")["id"]
    try:
        seen: list[str] = []
        after = None
        while True:
            resp = es.search(
                pit={"id": pit, "keep_alive": "1m"},
                size=2,
                sort=[{"published": "asc"}, {"_shard_doc": "asc"}],
                search_after=after,
            )
            hits = resp["hits"]["hits"]
            if not hits:
                break
            seen += [h["_id"] for h in hits]
            after = hits[-1]["sort"]
            pit = resp["pit_id"]
        assert seen == ["0", "1", "2", "3", "4"]
    finally:
        es.close_point_in_time(id=pit)


def test_client_side_reindex_works(es: Elasticsearch, news: str) -> None:
    """The server-side _reindex is missing (see below); elasticsearch.helpers.reindex works instead."""
    dest = f"{news}-copy"
    helpers.reindex(es, source_index=news, target_index=dest)
    es.indices.refresh(index=dest)
    assert es.count(index=dest)["count"] == len(DOCS)


def test_reindex_module_apis_are_absent(es: Elasticsearch, news: str) -> None:
    """_reindex, _update_by_query and _delete_by_query live in the unpublished `reindex` module."""
    calls = {
        "reindex": lambda: es.reindex(source={"index": news}, dest={"index": f"{news}-r"}),
        "update_by_query": lambda: es.update_by_query(index=news),
        "delete_by_query": lambda: es.delete_by_query(index=news, query={"match_none": {}}),
    }
    for name, call in calls.items():
        with pytest.raises(ApiError) as err:
            call()
        assert err.value.meta.status in (400, 404, 405), name


def test_news_template_is_accepted(es: Elasticsearch) -> None:
    """The project's index template (strict mapping, folding normalizer, per-language fields) works here."""
    if not TEMPLATE.exists():
        pytest.skip("config/elasticsearch/news-template.json not present")
    body = json.loads(TEMPLATE.read_text())
    body.pop("_comment", None)
    prefix = f"test-local-es-tpl-{uuid.uuid4().hex[:8]}"
    es.indices.put_index_template(name=prefix, index_patterns=[f"{prefix}-v*"], **body)
    try:
        index = f"{prefix}-v1"
        es.index(
            index=index,
            id="a",
            document={"title": "Élection présidentielle", "title_fr": "Élection présidentielle", "outlet": "Le Café",
                      "published_at": "2024-05-01"},
            refresh=True,
        )
        assert es.count(index=index, query={"term": {"outlet": "le cafe"}})["count"] == 1
        assert es.count(index=index, query={"match": {"title_fr": "election"}})["count"] == 1
    finally:
        es.indices.delete(index=f"{prefix}-*", ignore_unavailable=True, allow_no_indices=True)
        es.indices.delete_index_template(name=prefix)
