"""Incremental story clustering: a new article joins the stories of the stored articles it matches.

Stories are the connected groups of the pairwise rule (single link): an article that matches members of
two stories merges them. The story id is the id of the earliest member, by publication date, then id
(undated members come after dated ones), so the same corpus gives the same ids whatever the ingest order.
When a newcomer is earlier than a story's first member, or merges stories, the members are relabelled;
the caller writes those changes back. Storage is behind `Store`: in memory here, Elasticsearch in store.py.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from typing import Protocol

from pipelines.stories.features import Features, features
from pipelines.stories.lsh import band_keys
from pipelines.stories.rules import StoryRules, same_story

CANDIDATES = 100  # stored stories compared with a newcomer at most (a member sharing the most LSH bands each)
UNDATED = "~"  # sorts after every ISO date


def story_key(f: Features) -> str:
    """Ordering key of a member: earliest publication first, then id. The story id is the id of the min."""
    return f"{f.published or UNDATED}|{f.id}"


def key_id(key: str) -> str:
    return key.rsplit("|", 1)[1]


@dataclass
class StoryDoc:
    """An article's entry in the story store: its features, LSH keys and current story."""

    features: Features
    bands: list[str]
    story_key: str = ""

    @property
    def id(self) -> str:
        return self.features.id

    @property
    def story_id(self) -> str:
        return key_id(self.story_key)


class Store(Protocol):
    def prefetch(self, docs: list[StoryDoc]) -> None: ...
    def candidates(self, doc: StoryDoc, limit: int) -> list[StoryDoc]: ...
    def members(self, story_ids: list[str]) -> list[StoryDoc]: ...
    def put(self, doc: StoryDoc) -> None: ...
    def get(self, doc_id: str) -> StoryDoc: ...


@dataclass
class MemoryStore:
    """Story store in a dict, with an inverted index of band keys (tests, and the batch overlay)."""

    docs: dict[str, StoryDoc] = field(default_factory=dict)
    by_band: dict[str, set[str]] = field(default_factory=lambda: defaultdict(set))
    by_story: dict[str, set[str]] = field(default_factory=lambda: defaultdict(set))

    def prefetch(self, docs: list[StoryDoc]) -> None:
        return None

    def candidates(self, doc: StoryDoc, limit: int) -> list[StoryDoc]:
        shared: dict[str, int] = defaultdict(int)
        for band in doc.bands:
            for other in self.by_band.get(band, ()):
                if other != doc.id:
                    shared[other] += 1
        best = sorted(shared, key=lambda i: (-shared[i], i))[:limit]
        return [self.docs[i] for i in best]

    def members(self, story_ids: list[str]) -> list[StoryDoc]:
        return [self.docs[i] for s in story_ids for i in sorted(self.by_story.get(s, ()))]

    def put(self, doc: StoryDoc) -> None:
        old = self.docs.get(doc.id)
        if old is not None:
            for band in old.bands:
                self.by_band[band].discard(doc.id)
            self.by_story[old.story_id].discard(doc.id)
        self.docs[doc.id] = doc
        for band in doc.bands:
            self.by_band[band].add(doc.id)
        self.by_story[doc.story_id].add(doc.id)

    def get(self, doc_id: str) -> StoryDoc:
        return self.docs[doc_id]


@dataclass
class Assignment:
    story_of: dict[str, str] = field(default_factory=dict)  # article id of the batch -> story id
    relabelled: dict[str, str] = field(default_factory=dict)  # stored article outside the batch -> new story id
    joined: int = 0  # batch articles that joined a story of more than one article


def assign(store: Store, articles: list[dict], rules: StoryRules) -> Assignment:
    """Give every article a story, in order; stored members whose story changed are in `relabelled`."""
    docs = []
    for art in articles:
        f = features(art, rules.shingle_words)
        docs.append(StoryDoc(f, band_keys(f, rules), story_key(f)))
    store.prefetch(docs)
    result = Assignment()
    batch = {d.id for d in docs}
    for doc in docs:
        matched = [c for c in store.candidates(doc, CANDIDATES) if same_story(doc.features, c.features, rules)]
        stories = {c.story_id: c.story_key for c in matched}
        doc.story_key = min([doc.story_key, *stories.values()])
        stale = sorted(s for s, k in stories.items() if k != doc.story_key)
        for member in store.members(stale):
            store.put(StoryDoc(member.features, member.bands, doc.story_key))
            if member.id not in batch:
                result.relabelled[member.id] = doc.story_id
        store.put(doc)
        result.joined += bool(matched)
    for doc in docs:  # a later article of the batch may have relabelled an earlier one
        result.story_of[doc.id] = store.get(doc.id).story_id
    return result
