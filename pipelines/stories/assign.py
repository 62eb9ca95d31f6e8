"""The hook the bulk writer calls: give a batch's articles their `story_id` before they are written.

Members of existing stories whose id changed (a newcomer published earlier, or two stories merged) are
updated in place with bulk partial updates (this cluster has no update-by-query), wherever they live
behind the corpus alias. `rebuild` recomputes every story from scratch, for a threshold change or a corpus
indexed before stories existed.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from elasticsearch import Elasticsearch, helpers

from pipelines.settings import Settings, get_settings
from pipelines.stories.cluster import assign
from pipelines.stories.rules import StoryRules
from pipelines.stories.store import EsStore, sidecar


@dataclass
class StoryStats:
    articles: int = 0
    joined: int = 0  # articles that joined a story of more than one article
    relabelled: int = 0  # stored articles whose story id changed
    seconds: float = 0.0


def assign_stories(client: Elasticsearch, name: str, articles: list[dict[str, Any]],
                   settings: Settings | None = None) -> StoryStats:
    """Set `story_id` on each article dict (in place) and persist the story state; no-op when disabled."""
    settings = settings or get_settings()
    stats = StoryStats(articles=len(articles))
    if not settings.stories_enabled or not articles:
        return stats
    started = time.perf_counter()
    store = EsStore(client, name)
    result = assign(store, articles, StoryRules.from_settings(settings))
    for art in articles:
        art["story_id"] = result.story_of[art["id"]]
    store.flush()
    update_members(client, name, result.relabelled)
    stats.joined, stats.relabelled = result.joined, len(result.relabelled)
    stats.seconds = time.perf_counter() - started
    return stats


def update_members(client: Elasticsearch, name: str, story_of: dict[str, str]) -> int:
    """Write new story ids onto indexed articles (partial updates); returns how many were updated."""
    if not story_of or not client.indices.exists(index=name):
        return 0
    ids = sorted(story_of)
    located: list[tuple[str, str]] = []
    for i in range(0, len(ids), 1000):
        resp = client.search(index=name, query={"ids": {"values": ids[i : i + 1000]}}, size=1000, _source=False)
        located += [(h["_index"], h["_id"]) for h in resp["hits"]["hits"]]
    actions = ({"_op_type": "update", "_index": index, "_id": doc_id, "doc": {"story_id": story_of[doc_id]}}
               for index, doc_id in located)
    ok, _ = helpers.bulk(client, actions, chunk_size=500, max_retries=5, initial_backoff=1, raise_on_error=False)
    return ok


def rebuild(client: Elasticsearch, name: str, settings: Settings | None = None, batch: int = 500,
            progress: Callable[[int], None] | None = None) -> StoryStats:
    """Forget the story state and cluster the whole corpus again (the result does not depend on the order)."""
    settings = settings or get_settings()
    client.options(ignore_status=404).indices.delete(index=sidecar(name))
    total = StoryStats()
    started = time.perf_counter()
    fields = ["id", "title", "text", "published_at", "story_id"]
    hits = helpers.scan(client, index=name, query={"_source": fields}, size=batch, preserve_order=False)
    chunk: list[dict[str, Any]] = []

    def run(docs: list[dict[str, Any]]) -> None:
        before = {d["id"]: d.get("story_id") for d in docs}
        stats = assign_stories(client, name, docs, settings)
        update_members(client, name, {d["id"]: d["story_id"] for d in docs if d["story_id"] != before[d["id"]]})
        total.articles += stats.articles
        total.joined += stats.joined
        total.relabelled += stats.relabelled
        if progress:
            progress(total.articles)

    for hit in hits:
        chunk.append({**hit["_source"], "id": hit["_id"]})
        if len(chunk) >= batch:
            run(chunk)
            chunk = []
    if chunk:
        run(chunk)
    client.indices.refresh(index=name)
    total.seconds = time.perf_counter() - started
    return total
