"""The persistent story store: a sidecar index `<name>-stories` beside the corpus, one entry per article.

Why an Elasticsearch index and not a file under the cache folder: it lives where the corpus lives, so every
machine and every run that writes the corpus sees the same state; it survives restarts; it is keyed by the
article ids, which a reindex keeps, and it matches neither `<name>-v*` (the versioned indices a reindex
builds and drops) nor the corpus aliases, so a reindex leaves it alone. Deleting the corpus (`<name>-*`)
deletes it too, so the two cannot drift apart. Entries hold LSH band keys (indexed, for candidate lookup)
and the features the rules compare (stored only): about 2 KB for a typical article.

Writes are buffered in an in-memory overlay during a batch and flushed in one bulk request, then refreshed,
so the next batch finds them. One writer per corpus at a time, as the ingest flow does.
"""

from __future__ import annotations

import base64
import json
import re
from collections.abc import Iterable
from functools import lru_cache
from typing import Any

import numpy as np
from elasticsearch import Elasticsearch, helpers

from pipelines.index.lifecycle import add_new_fields
from pipelines.settings import CONFIG_DIR
from pipelines.stories.cluster import MemoryStore, StoryDoc
from pipelines.stories.features import Features

INDEX_FILE = CONFIG_DIR / "elasticsearch" / "stories-index.json"


_VERSIONED = re.compile(r"-v\d+-\d{8}t\d+$")  # lifecycle.new_index_name: <name>-v<version>-<stamp>


def sidecar(name: str) -> str:
    """`<name>-stories` for a corpus name, or for a concrete index of it (a reindex writes into one)."""
    return f"{_VERSIONED.sub('', name)}-stories"


@lru_cache(maxsize=1)
def _index_body() -> dict[str, Any]:
    body = json.loads(INDEX_FILE.read_text(encoding="utf-8"))
    body.pop("_comment", None)
    return body


def ensure_sidecar(client: Elasticsearch, name: str) -> str:
    index = sidecar(name)
    body = _index_body()
    if not client.indices.exists(index=index):
        client.options(ignore_status=400).indices.create(index=index, **body)  # 400: created meanwhile
    else:
        add_new_fields(client, index, body["mappings"]["properties"])
    # Created a moment ago, here or by another process (Dask workers): a search before its shard is allocated
    # fails the batch.
    client.cluster.health(index=index, wait_for_status="yellow", timeout="30s")
    return index


def to_source(doc: StoryDoc) -> dict[str, Any]:
    f = doc.features
    return {"id": f.id, "story_id": doc.story_id, "story_key": doc.story_key, "bands": doc.bands,
            "published": f.published, "trusted_date": f.trusted_date, "title": list(f.title),
            "keywords": list(f.keywords), "names": list(f.names),
            "shingles": base64.b64encode(f.shingles.astype("<u4").tobytes()).decode("ascii")}


def from_source(src: dict[str, Any]) -> StoryDoc:
    shingles = np.frombuffer(base64.b64decode(src.get("shingles") or ""), dtype="<u4").astype(np.uint32)
    f = Features(id=src["id"], published=src.get("published"), title=tuple(src.get("title") or ()),
                 keywords=tuple(src.get("keywords") or ()), names=tuple(src.get("names") or ()), shingles=shingles,
                 trusted_date=src.get("trusted_date", True))
    return StoryDoc(f, list(src.get("bands") or []), src["story_key"])


class EsStore:
    """Story store in the sidecar index, with this batch's changes in `overlay` until `flush`."""

    def __init__(self, client: Elasticsearch, name: str) -> None:
        self.client, self.index = client, ensure_sidecar(client, name)
        self.overlay = MemoryStore()
        self._found: dict[str, list[StoryDoc]] = {}

    def prefetch(self, docs: list[StoryDoc]) -> None:
        """Stored candidates of every article of the batch: ids by one multi-search, features by one mget.

        One candidate per stored story (collapsed on story_id): the member sharing the most LSH bands
        with the newcomer. Joining one member joins the story, so a wire story reprinted by hundreds of
        outlets costs one comparison, not hundreds, and its members' features are not fetched.
        Articles of a batch often share candidates, so each stored entry is fetched and decoded once."""
        from pipelines.stories.cluster import CANDIDATES

        asked = [d for d in docs if d.bands]
        if not asked:
            return
        body: list[dict[str, Any]] = []
        for d in asked:
            body += [{"index": self.index}, {
                "size": CANDIDATES, "stored_fields": "_none_", "docvalue_fields": ["id"],
                "collapse": {"field": "story_id"}, "query": {"bool": {
                    "should": [{"term": {"bands": b}} for b in d.bands], "minimum_should_match": 1,
                    "must_not": [{"ids": {"values": [d.id]}}]}},
                "sort": ["_score", {"id": "asc"}]}]
        # Only the ids come back: a batch's 200 answers of 100 hits, with scores, sort values and collapse
        # fields, were megabytes of JSON for the flow to decode. They come from doc values, not stored fields:
        # reading a hit's `_id` decompresses the stored block around it (entries hold about 7.5 KB of bands and
        # shingles), which made each lookup cost the node 20-30 % more CPU.
        # "status" keeps an entry for every search, so the answers stay aligned with the questions.
        responses = self.client.msearch(
            searches=body, filter_path="responses.status,responses.hits.hits.fields.id,responses.error")["responses"]
        ranked: dict[str, list[str]] = {}
        for d, resp in zip(asked, responses, strict=True):
            if "error" in resp:
                raise RuntimeError(f"story candidate lookup failed: {resp['error']}")
            ranked[d.id] = [h["fields"]["id"][0] for h in (resp.get("hits") or {}).get("hits", [])]
        wanted = sorted({i for ids in ranked.values() for i in ids})
        stored: dict[str, StoryDoc] = {}
        for start in range(0, len(wanted), 1000):
            resp = self.client.mget(index=self.index, ids=wanted[start : start + 1000])
            stored.update((h["_id"], from_source(h["_source"])) for h in resp["docs"] if h.get("found"))
        for doc_id, ids in ranked.items():
            self._found[doc_id] = [stored[i] for i in ids if i in stored]

    def candidates(self, doc: StoryDoc, limit: int) -> list[StoryDoc]:
        mine = self.overlay.candidates(doc, limit)
        seen = {d.id for d in mine}
        stored = [self.overlay.docs.get(d.id, d) for d in self._found.get(doc.id, []) if d.id not in seen]
        return mine + [d for d in stored if d.id != doc.id][: max(0, limit - len(mine))]

    def members(self, story_ids: list[str]) -> list[StoryDoc]:
        if not story_ids:  # the common case: the newcomer changed no story's first member
            return []
        wanted = set(story_ids)
        found = {d.id: d for d in self.overlay.members(story_ids)}
        for hit in self._hits({"terms": {"story_id": sorted(wanted)}}):
            doc = self.overlay.docs.get(hit["_id"]) or from_source(hit["_source"])
            if doc.story_id in wanted:
                found.setdefault(doc.id, doc)
        return [found[i] for i in sorted(found)]

    def _hits(self, query: dict[str, Any], size: int = 1000) -> Iterable[dict[str, Any]]:
        """Every stored entry matching `query`: one search for the usual few, a scroll for a story of thousands
        (a scroll costs the node a search context and two more requests)."""
        resp = self.client.search(index=self.index, query=query, size=size, track_total_hits=size + 1)
        if resp["hits"]["total"]["value"] <= size:
            return resp["hits"]["hits"]
        return helpers.scan(self.client, index=self.index, query={"query": query}, size=size)

    def put(self, doc: StoryDoc) -> None:
        self.overlay.put(doc)

    def get(self, doc_id: str) -> StoryDoc:
        return self.overlay.docs[doc_id]

    def flush(self) -> None:
        if not self.overlay.docs:
            return
        actions = ({"_index": self.index, "_id": d.id, "_source": to_source(d)} for d in self.overlay.docs.values())
        # raise_on_error=False: with True the helper raises on a per-item 429 before it can retry it
        _, errors = helpers.bulk(self.client, actions, chunk_size=500, max_retries=5, initial_backoff=1,
                                 raise_on_error=False)
        if errors:
            raise helpers.BulkIndexError(f"{len(errors)} story record(s) failed to index", errors)
        self.client.indices.refresh(index=self.index)
        self.overlay, self._found = MemoryStore(), {}
