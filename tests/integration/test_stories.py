"""Stories through the real ingest path (process_batch + index_results) against the real Elasticsearch."""

from __future__ import annotations

from pathlib import Path

import pytest

from pipelines.batch import Options, process_batch
from pipelines.index.client import connect
from pipelines.index.lifecycle import ensure_index
from pipelines.index.search import SearchRequest
from pipelines.ingest import index_results
from pipelines.models import Outcome
from pipelines.settings import get_settings
from pipelines.sources.files import discover
from pipelines.stories import rebuild
from pipelines.stories.listing import list_stories
from pipelines.stories.store import sidecar
from tests.conftest import FIXTURES, SEEDS, need_shared

pytestmark = pytest.mark.integration
STORIES = FIXTURES / "stories"
EVENT = ("wire-tunnel-reopens.txt", "rewrite-tunnel-reopens.txt", "independent-tunnel-reopens.txt")


def ingest(client, name: str, paths: list[Path]):
    settings = get_settings()
    ensure_index(client, name)
    results = process_batch(list(discover(paths)), Options("test", "run", settings.max_file_bytes, 2000, 40), {}, None)
    return index_results(client, name, results, settings, refresh=True)


def indexed(client, name: str) -> dict[str, dict]:
    """Indexed articles by file name."""
    resp = client.search(index=name, size=1000, _source=["id", "source_path", "story_id", "published_at", "title"])
    return {Path(h["_source"]["source_path"]).name: h["_source"] for h in resp["hits"]["hits"]}


def test_event_forms_one_story_named_after_its_earliest_member(client, index_name: str) -> None:
    ingest(client, index_name, [STORIES, FIXTURES / "articles"])
    docs = indexed(client, index_name)
    event = [docs[n] for n in EVENT]
    earliest = min(event, key=lambda d: (d["published_at"], d["id"]))
    assert {d["story_id"] for d in event} == {earliest["id"]}
    for file, doc in docs.items():
        if file not in EVENT:
            assert doc["story_id"] == doc["id"], file  # the follow-up 55 days later, and the unrelated fixtures
    listed = list_stories(client, index_name, SearchRequest())
    assert [(s.story_id, s.size) for s in listed.listed] == [(earliest["id"], 3)]
    assert listed.listed[0].earliest["id"] == earliest["id"] and listed.listed[0].first == "2025-05-06"
    assert list_stories(client, index_name, SearchRequest(query="audit")).listed == []


def test_rerun_is_unchanged(client, index_name: str) -> None:
    ingest(client, index_name, [STORIES])
    again = ingest(client, index_name, [STORIES])
    assert {outcome for _, outcome, _ in again} == {Outcome.UNCHANGED}


def test_later_runs_join_incrementally_and_relabel_stored_members(client, index_name: str) -> None:
    ingest(client, index_name, [STORIES / "rewrite-tunnel-reopens.txt"])  # May 7
    rewrite = indexed(client, index_name)["rewrite-tunnel-reopens.txt"]
    assert rewrite["story_id"] == rewrite["id"]
    fresh = connect(get_settings())  # a later run: new client, state only in the cluster
    ingest(fresh, index_name, [STORIES / "wire-tunnel-reopens.txt"])  # May 6: the story takes its id
    docs = indexed(fresh, index_name)
    wire = docs["wire-tunnel-reopens.txt"]
    assert docs["rewrite-tunnel-reopens.txt"]["story_id"] == wire["story_id"] == wire["id"]
    assert fresh.count(index=sidecar(index_name))["count"] == 2
    sidecars = [i for i in fresh.indices.get(index=f"{index_name}-*") if i.endswith("-stories")]
    assert sidecars == [sidecar(index_name)]


def test_rebuild_gives_the_same_stories(client, index_name: str) -> None:
    ingest(client, index_name, [STORIES, FIXTURES / "articles"])
    before = {f: d["story_id"] for f, d in indexed(client, index_name).items()}
    stats = rebuild(client, index_name, batch=3)
    assert stats.articles == client.count(index=index_name)["count"]
    assert {f: d["story_id"] for f, d in indexed(client, index_name).items()} == before


def test_the_five_seeds_are_one_story_and_the_fixtures_stay_out(client, index_name: str) -> None:
    need_shared(SEEDS)
    ingest(client, index_name, [SEEDS, FIXTURES / "articles"])
    docs = indexed(client, index_name)
    seeds = {d["story_id"] for f, d in docs.items() if (SEEDS / f).exists()}
    assert len(seeds) == 1
    others = [d for f, d in docs.items() if not (SEEDS / f).exists()]
    assert others and all(d["story_id"] == d["id"] for d in others)
    top = list_stories(client, index_name, SearchRequest()).listed
    assert [(s.story_id, s.size) for s in top] == [(seeds.pop(), 5)]


def test_a_widely_reprinted_story_costs_one_candidate(client, index_name: str, tmp_path: Path) -> None:
    """Thirty outlets reprint one wire story: a newcomer compares with one member of it, and joins it."""
    wire = (STORIES / "wire-tunnel-reopens.txt").read_text(encoding="utf-8")
    for n in range(30):
        reprint = wire + f"\n\nReprinted by outlet number {n}.\n"
        (tmp_path / f"reprint-{n:02d}.txt").write_text(reprint, encoding="utf-8")
    ingest(client, index_name, [tmp_path])
    stories = {d["story_id"] for d in indexed(client, index_name).values()}
    assert len(stories) == 1

    from pipelines.stories.cluster import StoryDoc, story_key
    from pipelines.stories.features import features
    from pipelines.stories.lsh import band_keys
    from pipelines.stories.rules import StoryRules
    from pipelines.stories.store import EsStore

    rules = StoryRules.from_settings(get_settings())
    f = features({"id": "newcomer", "title": None, "text": wire + "\n\nA late reprint.", "published_at": None},
                 rules.shingle_words)
    newcomer = StoryDoc(f, band_keys(f, rules), story_key(f))
    store = EsStore(client, index_name)
    store.prefetch([newcomer])
    candidates = store.candidates(newcomer, 100)
    assert [c.story_id for c in candidates] == list(stories)
    # All thirty members are read back, by one search or, past the page size, by a scroll.
    assert len(store.members(list(stories))) == 30
    assert len(list(store._hits({"terms": {"story_id": list(stories)}}, size=7))) == 30
    extra = tmp_path / "late"
    extra.mkdir()
    (extra / "late-reprint.txt").write_text(wire + "\n\nA late reprint.\n", encoding="utf-8")
    ingest(client, index_name, [extra])
    assert {d["story_id"] for d in indexed(client, index_name).values()} == stories
