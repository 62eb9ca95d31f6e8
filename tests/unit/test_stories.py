"""Story clustering without Elasticsearch: the rules, LSH candidates and incremental assignment in memory."""

from __future__ import annotations

import itertools
from pathlib import Path

import pytest

from pipelines.batch import Options, process_batch
from pipelines.sources.files import discover
from pipelines.stories.cluster import MemoryStore, assign
from pipelines.stories.features import features, fold, title_terms
from pipelines.stories.rules import StoryRules, same_story, within_window
from tests.conftest import FIXTURES

STORIES = FIXTURES / "stories"
RULES = StoryRules()


def extract(paths: list[Path]) -> dict[str, dict]:
    """Article records by file name, through the real extraction stage."""
    results = process_batch(list(discover(paths)), Options("test", None, 20_000_000, 2000, 40), {}, None)
    return {Path(r.path).name: r.article for r in results if r.article}


@pytest.fixture(scope="module")
def tunnel() -> dict[str, dict]:
    return extract([STORIES])


@pytest.fixture(scope="module")
def others() -> list[dict]:
    return list(extract([FIXTURES / "articles"]).values())


def f(article: dict, **changes):
    return features({**article, **changes}, RULES.shingle_words)


def test_features_fold_case_accents_and_hyphens() -> None:
    assert fold("Café MÜNCHEN") == "cafe munchen"
    assert title_terms("Anti-personnel Mines sent") == title_terms("antipersonnel mine sent")


def test_light_rewrite_is_a_near_duplicate(tunnel) -> None:
    wire, rewrite = f(tunnel["wire-tunnel-reopens.txt"]), f(tunnel["rewrite-tunnel-reopens.txt"])
    assert same_story(wire, rewrite, RULES) == "near-duplicate"


def test_independent_write_up_of_the_same_event_joins(tunnel) -> None:
    wire, other = f(tunnel["wire-tunnel-reopens.txt"]), f(tunnel["independent-tunnel-reopens.txt"])
    assert same_story(wire, other, RULES) == "same event"


def test_same_event_needs_a_trusted_date_on_one_side(tunnel) -> None:
    wire, other = tunnel["wire-tunnel-reopens.txt"], tunnel["independent-tunnel-reopens.txt"]
    guessed = {"published_at": wire["published_at"], "provenance": {"published_at": "htmldate:extensive"}}
    both_guessed = same_story(f(wire, **guessed), f(other, **guessed), RULES)
    undated = same_story(f(wire, published_at=None), f(other, published_at=None), RULES)
    assert both_guessed is None and undated is None  # evergreen pages on one topic look like this
    assert same_story(f(wire), f(other, **guessed), RULES) == "same event"
    # A guessed date still separates: far apart, even near-duplicates stay apart.
    far = {"published_at": "2020-01-01", "provenance": {"published_at": "htmldate"}}
    assert same_story(f(wire, **far), f(tunnel["rewrite-tunnel-reopens.txt"]), RULES) is None


def test_unrelated_articles_do_not_join(tunnel, others) -> None:
    for story in tunnel.values():
        for article in others:
            assert same_story(f(story), f(article), RULES) is None, (story["title"], article["title"])
    for a, b in itertools.combinations(others, 2):
        assert same_story(f(a), f(b), RULES) is None, (a["title"], b["title"])


def test_date_window_keeps_a_later_follow_up_out(tunnel) -> None:
    wire, later = f(tunnel["wire-tunnel-reopens.txt"]), f(tunnel["budget-tunnel-later.txt"])
    assert same_story(wire, later, RULES) is None  # 55 days apart
    assert same_story(wire, later, StoryRules(date_window_days=60)) == "same event"
    assert same_story(wire, f(tunnel["budget-tunnel-later.txt"], published_at=None), RULES) == "same event"
    assert within_window("2025-05-06", "2025-05-09T10:00:00+00:00", 3)
    assert not within_window("2025-05-06", "2025-05-10", 3)


def test_title_check_for_write_ups_skipped_when_a_title_is_unknown(tunnel) -> None:
    wire = f(tunnel["wire-tunnel-reopens.txt"])
    other = tunnel["independent-tunnel-reopens.txt"]
    assert same_story(wire, f(other, title="Quarterly results of a paper mill"), RULES) is None
    assert same_story(wire, f(other, title=None), RULES) == "same event"
    rewrite = tunnel["rewrite-tunnel-reopens.txt"]  # near-duplicates need no title agreement
    assert same_story(wire, f(rewrite, title="Quarterly results of a paper mill"), RULES) == "near-duplicate"


def test_short_texts_never_join(tunnel) -> None:
    short = {**tunnel["wire-tunnel-reopens.txt"], "id": "short", "text": "Brennick Pass tunnel reopens to trains."}
    assert same_story(f(tunnel["wire-tunnel-reopens.txt"]), f(short), RULES) is None


def test_batch_clusters_the_event_and_leaves_the_rest_alone(tunnel, others) -> None:
    arts = list(tunnel.values()) + others
    story = assign(MemoryStore(), arts, RULES).story_of
    event = [tunnel[n]["id"] for n in ("wire-tunnel-reopens.txt", "rewrite-tunnel-reopens.txt",
                                       "independent-tunnel-reopens.txt")]
    assert len({story[i] for i in event}) == 1
    earliest = min(event, key=lambda i: (next(a["published_at"] for a in arts if a["id"] == i), i))
    assert story[event[0]] == earliest  # the id of the earliest member (by date, then id)
    for a in others + [tunnel["budget-tunnel-later.txt"]]:
        assert story[a["id"]] == a["id"]


def test_incremental_join_and_relabel_when_an_earlier_member_arrives(tunnel) -> None:
    store = MemoryStore()
    rewrite, wire = tunnel["rewrite-tunnel-reopens.txt"], tunnel["wire-tunnel-reopens.txt"]
    first = assign(store, [rewrite], RULES)
    assert first.story_of == {rewrite["id"]: rewrite["id"]}
    second = assign(store, [wire], RULES)  # published a day earlier: the story takes its id
    assert second.story_of == {wire["id"]: wire["id"]}
    assert second.relabelled == {rewrite["id"]: wire["id"]}
    third = assign(store, [tunnel["independent-tunnel-reopens.txt"]], RULES)
    assert set(third.story_of.values()) <= {wire["id"], tunnel["independent-tunnel-reopens.txt"]["id"]}
    assert len({d.story_id for d in store.docs.values()}) == 1


def test_a_bridging_article_merges_two_stories(tunnel) -> None:
    wire, rewrite = tunnel["wire-tunnel-reopens.txt"], tunnel["rewrite-tunnel-reopens.txt"]  # May 6, May 7
    other = {**tunnel["independent-tunnel-reopens.txt"], "published_at": "2025-05-03"}  # 4 days before the rewrite
    assert same_story(f(rewrite), f(other), RULES) is None
    store = MemoryStore()
    assign(store, [rewrite], RULES)
    assign(store, [other], RULES)
    assert len({d.story_id for d in store.docs.values()}) == 2
    result = assign(store, [wire], RULES)  # within 3 days of both: one story, named after the earliest
    assert result.story_of == {wire["id"]: other["id"]}
    assert result.relabelled == {rewrite["id"]: other["id"]}
    assert {d.story_id for d in store.docs.values()} == {other["id"]}


def test_story_ids_do_not_depend_on_ingest_order(tunnel, others) -> None:
    arts = list(tunnel.values()) + others[:2]
    expected = assign(MemoryStore(), arts, RULES).story_of
    for order in itertools.islice(itertools.permutations(arts), 0, None, 97):
        assert assign(MemoryStore(), list(order), RULES).story_of == expected
    one_by_one = MemoryStore()
    for a in reversed(arts):
        assign(one_by_one, [a], RULES)
    assert {i: d.story_id for i, d in one_by_one.docs.items()} == expected
