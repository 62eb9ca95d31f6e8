"""Reindex, rollback, prune, the reindex lock and the typed search API against the real Elasticsearch."""

from __future__ import annotations

import shutil

import pytest

from pipelines.index.lifecycle import (
    LifecycleError,
    alias_targets,
    corpus_indices,
    list_indices,
    prune,
    rollback,
    write_alias,
)
from pipelines.index.reindex import ReindexError, ReindexRunning, lock_index, read_lock, reindex
from pipelines.index.search import SearchRequest, search
from pipelines.settings import get_settings
from tests.integration.test_index_and_search import ARTICLES, REVISED, load

pytestmark = pytest.mark.integration


def aliases(client, name: str) -> tuple[list[str], list[str]]:
    return alias_targets(client, name), alias_targets(client, write_alias(name))


def titles(client, index: str) -> dict[str, str]:
    resp = client.search(index=index, size=100, source=["title"], query={"match_all": {}})
    return {h["_id"]: h["_source"]["title"] for h in resp["hits"]["hits"]}


def test_reindex_copies_everything_swaps_both_aliases_and_keeps_the_old_index(client, index_name: str) -> None:
    load(client, index_name, [ARTICLES])
    old = alias_targets(client, index_name)[0]
    before = client.count(index=index_name)["count"]
    report = reindex(client, index_name)
    assert report.source == old and report.target != old
    assert aliases(client, index_name) == ([report.target], [report.target])
    assert report.copied == report.source_docs == report.target_docs == before
    assert client.count(index=index_name)["count"] == before
    assert titles(client, old) == titles(client, report.target)
    assert client.indices.exists(index=old) and read_lock(client, index_name) is None
    rows = list_indices(client, index_name)
    assert [r["index"] for r in rows] == [old, report.target]  # oldest first
    assert rows[1]["aliases"] == sorted([index_name, write_alias(index_name)]) and rows[0]["aliases"] == []
    settings = client.indices.get_settings(index=report.target)[report.target]["settings"]["index"]
    assert settings["refresh_interval"] == "1s"  # bulk-load setting undone
    assert search(client, index_name, SearchRequest(query="ferry")).total == 1


def test_rollback_restores_the_previous_index_in_one_call_and_prune_keeps_the_newest(client, index_name) -> None:
    load(client, index_name, [ARTICLES])
    first = alias_targets(client, index_name)[0]
    with pytest.raises(LifecycleError, match="nothing to roll back"):
        rollback(client, index_name)
    second = reindex(client, index_name).target
    third = reindex(client, index_name).target
    swap = rollback(client, index_name)
    assert (swap.previous, swap.current, swap.only_in_previous) == (third, second, 0)
    assert aliases(client, index_name) == ([second], [second])
    assert rollback(client, index_name, to=third).current == third
    with pytest.raises(LifecycleError, match="not an index"):
        rollback(client, index_name, to="elsewhere")

    rollback(client, index_name, to=first)  # the live index is the oldest: prune must never delete it
    assert prune(client, index_name, keep=1) == [second]
    assert corpus_indices(client, index_name) == [first, third]
    assert aliases(client, index_name) == ([first], [first])


def test_writes_during_a_reindex_go_to_the_new_index_and_win_over_the_copy(client, index_name: str) -> None:
    load(client, index_name, [ARTICLES])
    old = alias_targets(client, index_name)[0]
    n = client.count(index=index_name)["count"]
    settings = get_settings().model_copy(update={"bulk_max_docs": 2})
    seen: list[int] = []

    def ingest_meanwhile(done: int, total: int) -> None:
        seen.append(done)
        if len(seen) > 1:
            return
        # What an ingest does mid-reindex: write through the write alias (new and changed documents).
        with pytest.raises(ReindexRunning, match="index abort"):
            reindex(client, index_name)
        for doc_id in titles(client, old):
            client.index(index=write_alias(index_name), id=doc_id, document={**client.get(
                index=old, id=doc_id)["_source"], "title": "changed meanwhile"})
        client.index(index=write_alias(index_name), id="new-doc", document={**client.get(
            index=old, id=doc_id)["_source"], "id": "new-doc", "title": "new meanwhile"})
        assert search(client, index_name, SearchRequest()).total == n  # readers still see the live index

    report = reindex(client, index_name, settings=settings, page_size=2, progress=ingest_meanwhile)
    assert report.copied == 2 and report.superseded == n - 2  # the copy did not overwrite newer documents
    assert report.target_docs == n + 1 == client.count(index=index_name)["count"]
    after = titles(client, index_name)
    assert after.pop("new-doc") == "new meanwhile"
    assert set(after.values()) == {"changed meanwhile"}
    assert client.count(index=old)["count"] == n  # the old index was not written to


def test_a_failed_reindex_puts_everything_back_and_loses_nothing(client, index_name: str) -> None:
    load(client, index_name, [ARTICLES])
    old = alias_targets(client, index_name)[0]
    n = client.count(index=index_name)["count"]
    settings = get_settings().model_copy(update={"bulk_max_docs": 2})

    def ingest_then_fail(done: int, total: int) -> None:
        any_id = next(iter(titles(client, old)))
        client.index(index=write_alias(index_name), id="late", document={**client.get(
            index=old, id=any_id)["_source"], "id": "late", "title": "ingested during a failed reindex"})
        raise RuntimeError("the cluster went away")

    with pytest.raises(RuntimeError, match="went away"):
        reindex(client, index_name, settings=settings, page_size=2, progress=ingest_then_fail)
    assert aliases(client, index_name) == ([old], [old])
    assert corpus_indices(client, index_name) == [old]  # the partial index is gone
    assert not client.indices.exists(index=lock_index(index_name))
    assert client.count(index=index_name)["count"] == n + 1  # the document ingested meanwhile was copied back
    assert client.get(index=index_name, id="late")["_source"]["title"] == "ingested during a failed reindex"


def test_reindex_refuses_a_corpus_that_does_not_exist(client, index_name: str) -> None:
    with pytest.raises(ReindexError, match="points to 0 indices"):
        reindex(client, index_name)


def test_re_extract_rebuilds_from_the_files_and_carries_over_what_is_gone(client, index_name, tmp_path) -> None:
    corpus = tmp_path / "corpus"
    shutil.copytree(ARTICLES, corpus)
    load(client, index_name, [corpus])
    n = client.count(index=index_name)["count"]
    first_in = {h["_id"]: h["_source"]["ingested_at"]
                for h in client.search(index=index_name, size=100, source=["ingested_at"])["hits"]["hits"]}
    (corpus / "harbour-ferry.txt").unlink()
    records = sum(1 for line in (corpus / "api-export.jsonl").read_text().splitlines() if line.strip())
    report = reindex(client, index_name, re_extract=True)
    assert report.mode == "re-extract" and report.source_docs == n
    assert (report.reextracted, report.carried) == (n - 1, 1)
    assert report.carried_why == {"input file gone": 1}
    assert report.target_docs == n == client.count(index=index_name)["count"]
    hits = client.search(index=index_name, size=100, source=["run_id", "source_path"])["hits"]["hits"]
    rerun = [h for h in hits if h["_source"]["run_id"].startswith("reindex-")]
    assert len(rerun) == n - 1 and records >= 2  # every JSONL record was re-extracted from its one file
    assert [h["_source"]["source_path"] for h in hits if h not in rerun] == [str(corpus / "harbour-ferry.txt")]
    # Re-extracted documents keep the time they first entered the corpus.
    kept = client.search(index=index_name, size=100, source=["ingested_at"])["hits"]["hits"]
    assert {h["_id"]: h["_source"]["ingested_at"] for h in kept} == first_in


def test_re_extract_fills_a_field_the_older_extractor_did_not_give(client, index_name, tmp_path) -> None:
    (tmp_path / "revised.txt").write_text(REVISED)
    load(client, index_name, [tmp_path])
    # What an older version indexed: the same document without updated_at (written back whole: the embedded
    # node has no update-by-query).
    hit = client.search(index=index_name)["hits"]["hits"][0]
    older = {k: v for k, v in hit["_source"].items() if k != "updated_at"}
    older["provenance"].pop("updated_at")
    client.index(index=hit["_index"], id=hit["_id"], document=older, refresh=True)
    assert "updated_at" not in client.get(index=index_name, id=hit["_id"])["_source"]
    report = reindex(client, index_name, re_extract=True)
    assert report.reextracted == 1
    after = client.search(index=index_name, source=["updated_at", "provenance"])["hits"]["hits"][0]["_source"]
    assert after["updated_at"] == "2024-03-05" and after["provenance"]["updated_at"] == "line:Updated"


def test_search_pages_with_search_after_and_filters_by_domain_and_ingest_time(client, index_name: str) -> None:
    load(client, index_name, [ARTICLES])
    n = client.count(index=index_name)["count"]
    seen, after = [], None
    while True:
        page = search(client, index_name, SearchRequest(size=2, search_after=after, sort="date", facets=False))
        seen += [h.id for h in page.hits]
        if not page.hits:
            break
        after = page.next_after
    assert len(seen) == len(set(seen)) == n and page.facets == {name: [] for name in page.facets}
    offsets = [h.id for o in range(0, n, 3) for h in search(client, index_name, SearchRequest(
        size=3, offset=o, sort="date")).hits]
    assert offsets == seen  # offset pages and search_after pages agree: the sort has a tie-breaker
    guardian = search(client, index_name, SearchRequest(outlet_domains=["theguardian.com"], highlight=False))
    assert guardian.total >= 1 and all(h.outlet == "The Guardian" for h in guardian.hits)
    assert search(client, index_name, SearchRequest(ingested_since="now-1h")).total == n
    assert search(client, index_name, SearchRequest(ingested_since="now+1h")).total == 0


@pytest.fixture(autouse=True)
def _no_leftover_lock(client, index_name: str):
    yield
    assert not client.indices.exists(index=lock_index(index_name)), "a reindex left its lock behind"


def test_writing_into_a_concrete_index_sees_what_it_already_holds(client, index_name: str) -> None:
    # A re-extract writes into the new concrete index, not through an alias: a document written there
    # twice is unchanged the second time (the lookup used to ask for an alias and found nothing).
    from pipelines.batch import Options, process_batch
    from pipelines.index.lifecycle import create_index
    from pipelines.index.writer import write_batch
    from pipelines.sources.files import discover

    settings = get_settings()
    target = create_index(client, index_name)
    opts = Options("test", "run1", settings.max_file_bytes, 2000, 40)
    results = [r for r in process_batch(list(discover([ARTICLES])), opts, {}, None) if r.outcome is None]

    def write() -> set:
        done = write_batch(client, target, target, results, max_bytes=settings.bulk_max_bytes,
                           max_docs=settings.bulk_max_docs, retries=1, refresh=True)
        return {outcome for _, outcome, _ in done.outcomes}

    assert "indexed" in {o.value for o in write()}
    assert {o.value for o in write()} == {"unchanged"}
