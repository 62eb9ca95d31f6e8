"""The index lifecycle, bulk writer and search against the real Elasticsearch (no mocks)."""

from __future__ import annotations

from pathlib import Path

import pytest

from pipelines.batch import Options, process_batch
from pipelines.index.lifecycle import alias_targets, ensure_index, list_indices, mapping_version, write_alias
from pipelines.index.search import SearchRequest, search
from pipelines.ingest import index_results
from pipelines.models import Outcome
from pipelines.settings import get_settings
from pipelines.sources.files import discover
from tests.conftest import FIXTURES

pytestmark = pytest.mark.integration
ARTICLES = FIXTURES / "articles"


# A text that gives its last update: older versions of newsindex indexed it without `updated_at`.
REVISED = ("Ferry Timetable Revised for Winter\nPublished: March 1, 2024\nUpdated: March 5, 2024\n\n"
           + "The winter timetable adds two early sailings on weekdays and drops the late one. " * 5)


def load(client, name: str, paths: list[Path]):
    settings = get_settings()
    ensure_index(client, name)
    opts = Options("test", "run1", settings.max_file_bytes, 2000, 40)
    results = process_batch(list(discover(paths)), opts, {}, None)
    return index_results(client, name, results, settings, refresh=True)


def test_first_index_is_versioned_behind_read_and_write_aliases(client, index_name: str) -> None:
    concrete = ensure_index(client, index_name)
    assert concrete.startswith(f"{index_name}-v{mapping_version()}-")
    assert alias_targets(client, index_name) == [concrete] == alias_targets(client, write_alias(index_name))
    assert ensure_index(client, index_name) == concrete  # idempotent
    mapping = client.indices.get_mapping(index=concrete)[concrete]["mappings"]
    assert mapping["dynamic"] == "strict"
    assert list_indices(client, index_name)[0]["mapping_version"] == mapping_version()


def test_ingest_search_facets_and_histogram(client, index_name: str) -> None:
    outcomes = load(client, index_name, [ARTICLES])
    counts = {o for _, o, _ in outcomes}
    assert counts == {Outcome.INDEXED}, outcomes
    n = len(outcomes)
    assert client.count(index=index_name)["count"] == n

    everything = search(client, index_name, SearchRequest(size=0))
    assert everything.total == n
    languages = dict(everything.facets["language"])
    assert languages.get("en", 0) >= 3 and languages.get("de") == 1 and languages.get("fr") == 1
    assert sum(c for _, c in everything.histogram) + everything.missing_date == n

    ferry = search(client, index_name, SearchRequest(query='"harbour district" AND ferry'))
    assert ferry.total == 1 and "<em>" in ferry.hits[0].snippet
    assert search(client, index_name, SearchRequest(query="ferry NOT harbour")).total == 0
    assert search(client, index_name, SearchRequest(query="ferry OR Strompreis")).total == 2
    # English stemming: "turbine" finds "turbines".
    assert search(client, index_name, SearchRequest(query="turbine")).total == 1


def test_each_article_is_stemmed_in_its_own_language_only(client, index_name: str) -> None:
    load(client, index_name, [ARTICLES])
    german = client.search(index=index_name, query={"term": {"language": "de"}})["hits"]["hits"][0]["_source"]
    assert german["text_de"] == german["text"] and german["title_de"] == german["title"]
    others = client.search(index=index_name, query={"bool": {"must_not": {"term": {"language": "de"}}}})
    for hit in others["hits"]["hits"]:
        assert not {k for k in hit["_source"] if k.startswith(("text_de", "title_de"))}, hit["_id"]
    # "Kundinnen"/"Haushaltskunden" only match other inflections through the German analyser.
    assert client.count(index=index_name, query={"match": {"text": "Haushaltskunde"}})["count"] == 0
    found = search(client, index_name, SearchRequest(query="Haushaltskunde"))
    assert found.total == 1 and found.hits[0].language == "de"
    assert not any(k.startswith(("text_", "title_")) for k in vars(found.hits[0]))


def test_an_index_made_by_an_older_mapping_gains_the_new_fields(client, index_name: str, tmp_path: Path) -> None:
    from pipelines.index.lifecycle import mapping_properties, template_body

    # Older mappings had no per-language fields and no updated_at, at the top or inside the strict provenance.
    old = {k: v for k, v in mapping_properties().items() if not k.startswith(("text_", "title_", "updated_at"))}
    old["provenance"]["properties"].pop("updated_at")
    client.indices.create(index=f"{index_name}-v1-old", mappings={"dynamic": "strict", "properties": old},
                          settings={"analysis": template_body(index_name)["template"]["settings"]["analysis"]},
                          aliases={index_name: {}, write_alias(index_name): {"is_write_index": True}})
    assert ensure_index(client, index_name) == f"{index_name}-v1-old"
    mapping = client.indices.get_mapping(index=f"{index_name}-v1-old")[f"{index_name}-v1-old"]["mappings"]
    assert "updated_at" in mapping["properties"] and "updated_at" in mapping["properties"]["provenance"]["properties"]
    revised = tmp_path / "revised.txt"
    revised.write_text(REVISED)
    outcomes = load(client, index_name, [ARTICLES, revised])
    assert {o for _, o, _ in outcomes} == {Outcome.INDEXED}, outcomes
    assert search(client, index_name, SearchRequest(query="Haushaltskunde")).total == 1
    hit = search(client, index_name, SearchRequest(query="winter timetable")).hits[0]
    assert (hit.published_at, hit.updated_at) == ("2024-03-01", "2024-03-05")


def test_facet_filters_fold_case_and_accents(client, index_name: str) -> None:
    load(client, index_name, [ARTICLES])
    by_outlet = search(client, index_name, SearchRequest(outlets=["le courrier du rhone"]))
    assert by_outlet.total == 1 and by_outlet.hits[0].outlet == "Le Courrier du Rhône"
    assert search(client, index_name, SearchRequest(languages=["DE"])).total == 1
    dated = search(client, index_name, SearchRequest(since="2024-06-01", until="2024-12-31"))
    assert {h.published_at[:10] for h in dated.hits} <= {"2024-06-03", "2024-08-21", "2024-12-18"}
    assert dated.total == 3


def test_rerun_is_unchanged_and_count_is_identical(client, index_name: str) -> None:
    first = load(client, index_name, [ARTICLES])
    count = client.count(index=index_name)["count"]
    second = load(client, index_name, [ARTICLES])
    assert {o for _, o, _ in second} == {Outcome.UNCHANGED}
    assert len(second) == len(first)
    assert client.count(index=index_name)["count"] == count


def test_exact_duplicate_is_flagged_and_still_findable(client, index_name: str, tmp_path: Path) -> None:
    text = (ARTICLES / "harbour-ferry.txt").read_text()
    (tmp_path / "copy-of-ferry.txt").write_text(text)
    load(client, index_name, [ARTICLES / "harbour-ferry.txt"])
    outcomes = load(client, index_name, [tmp_path / "copy-of-ferry.txt"])
    assert [o for _, o, _ in outcomes] == [Outcome.DUPLICATE]
    hits = search(client, index_name, SearchRequest(query="ferry")).hits
    assert len(hits) == 2 and sum(1 for h in hits if h.duplicate_of) == 1
    assert search(client, index_name, SearchRequest(query="ferry", include_duplicates=False)).total == 1


def test_two_batches_in_flight_see_each_others_copies_and_stories(client, index_name: str, tmp_path: Path) -> None:
    """The flow keeps two batches in flight (threads); the second must not look up hashes and stories before the
    first has written, or both copies of one text come out "indexed" and one story splits in two."""
    import threading

    text = (ARTICLES / "harbour-ferry.txt").read_text()
    settings = get_settings()
    opts = Options("test", "run1", settings.max_file_bytes, 2000, 40)
    batches = []
    for i in range(2):
        folder = tmp_path / f"batch{i}"
        folder.mkdir()
        (folder / f"ferry-{i}.txt").write_text(text)
        batches.append(process_batch(list(discover([folder])), opts, {}, None))
    start = threading.Barrier(2)
    outcomes: list = []

    def write(name: str, results) -> None:  # type: ignore[no-untyped-def]
        start.wait()
        outcomes.extend(index_results(client, name, results, settings, refresh=True))

    from pipelines.stories.store import ensure_sidecar

    for round_ in range(3):  # each round writes both copies into a new corpus, racing
        name = f"{index_name}-r{round_}"  # deleted with the test's indices
        ensure_index(client, name)
        if round_:  # the first round also races to create the stories sidecar; the others find it there
            ensure_sidecar(client, name)
            client.cluster.health(index=f"{name}-stories", wait_for_status="yellow")
        outcomes.clear()
        threads = [threading.Thread(target=write, args=(name, b)) for b in batches]
        for t in threads:
            t.start()
        for t in threads:
            t.join()
        assert sorted(o.value for _, o, _ in outcomes) == ["duplicate", "indexed"]
        stories = {h["_source"]["story_id"] for h in client.search(index=name, size=10)["hits"]["hits"]}
        assert len(stories) == 1


def test_a_document_the_cluster_rejects_is_quarantined_and_the_rest_indexed(client, index_name: str) -> None:
    settings = get_settings()
    ensure_index(client, index_name)
    opts = Options("test", "run1", settings.max_file_bytes, 2000, 40)
    results = process_batch(list(discover([ARTICLES])), opts, {}, None)
    results[0].article["published_at"] = "not-a-date"  # the mapping refuses it
    outcomes = index_results(client, index_name, results, settings, refresh=True)
    rejected = [(d, r) for d, o, r in outcomes if o is Outcome.QUARANTINED]
    assert len(rejected) == 1 and "rejected by Elasticsearch (400)" in rejected[0][1]
    assert "published_at" in rejected[0][1]
    assert client.count(index=index_name)["count"] == len(results) - 1


def test_rerun_skips_unchanged_inputs_before_extraction_per_source(client, index_name: str) -> None:
    from pipelines.batch import process_batch
    from pipelines.index.writer import known_hashes

    settings = get_settings()
    ensure_index(client, index_name)
    refs = list(discover([ARTICLES]))

    def run(source: str):
        opts = Options(source, "r", settings.max_file_bytes, 2000, 40)
        results = process_batch(refs, opts, known_hashes(client, index_name, source, [r.locator for r in refs]), None)
        return results, index_results(client, index_name, results, settings, refresh=True)

    _, first = run("alpha")
    skipped, again = run("alpha")
    assert all(r.outcome is Outcome.UNCHANGED and r.article is None for r in skipped)  # not re-extracted
    assert {o for _, o, _ in again} == {Outcome.UNCHANGED}
    _, other = run("beta")  # re-extracted: another source's documents are not this source's
    assert {o for _, o, _ in other} <= {Outcome.INDEXED, Outcome.DUPLICATE}
    # Ids come from the canonical URL when there is one, so only URL-less documents are new under "beta".
    without_url = sum(1 for d, _, _ in first if not d.article["canonical_url"])
    assert client.count(index=index_name)["count"] == len(first) + without_url


def test_known_hashes_finds_pages_and_the_records_of_record_files(client, index_name: str, tmp_path: Path) -> None:
    import gzip
    import shutil

    from pipelines.index.writer import known_hashes

    for name in ("api-export.jsonl", "marche-velos.html.gz", "marche-velos.html.gz.meta.json", "harbour-ferry.txt"):
        shutil.copy(ARTICLES / name, tmp_path / name)
    moved = (ARTICLES / "api-export.jsonl").read_text(encoding="utf-8").replace("https://", "https://mirror.")
    (tmp_path / "export.jsonl.gz").write_bytes(gzip.compress(moved.encode("utf-8")))  # other URLs: other ids
    refs = list(discover([tmp_path]))
    settings = get_settings()
    ensure_index(client, index_name)
    results = process_batch(refs, Options("test", "run1", settings.max_file_bytes, 2000, 40), {}, None)
    index_results(client, index_name, results, settings, refresh=True)
    found = known_hashes(client, index_name, "test", [r.locator for r in refs])
    assert sorted(found) == sorted(r.locator for r in results if r.raw_hash), found
    names = {locator.split("/")[-1] for locator in found}
    assert {"api-export.jsonl#1", "export.jsonl.gz#2", "marche-velos.html.gz", "harbour-ferry.txt"} <= names
    assert known_hashes(client, index_name, "another-source", [r.locator for r in refs]) == {}
