"""Stories among the articles a search matches: size, outlets, first and last publication, earliest version.

One terms aggregation on story_id under the search's own query (build_query from search.py, so every
search filter applies), with the earliest member as a top hit.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from elasticsearch import Elasticsearch

from pipelines.index.search import SearchRequest, build_query


@dataclass
class Story:
    story_id: str
    size: int
    outlets: list[tuple[str, int]]
    first: str | None
    last: str | None
    earliest: dict[str, Any] = field(default_factory=dict)  # id, title, outlet, published_at, url


@dataclass
class StoryList:
    matched: int  # articles matching the search
    stories: int  # distinct stories among them (approximate above 40,000)
    listed: list[Story]


def list_stories(client: Elasticsearch, name: str, req: SearchRequest, size: int = 20, min_size: int = 2) -> StoryList:
    """The largest stories among the matching articles (at least `min_size` articles each)."""
    earliest = {"top_hits": {"size": 1, "_source": ["id", "title", "outlet", "published_at", "url"],
                             "sort": [{"published_at": {"order": "asc", "missing": "_last"}}, {"id": "asc"}]}}
    aggs = {
        "count": {"cardinality": {"field": "story_id", "precision_threshold": 40000}},
        "stories": {"terms": {"field": "story_id", "size": size, "min_doc_count": min_size,
                              "order": [{"_count": "desc"}, {"_key": "asc"}]},
                    "aggs": {"outlets": {"terms": {"field": "outlet.raw", "size": 10}},
                             "first": {"min": {"field": "published_at", "format": "yyyy-MM-dd"}},
                             "last": {"max": {"field": "published_at", "format": "yyyy-MM-dd"}},
                             "earliest": earliest}},
    }
    resp = client.search(index=name, query=build_query(req), size=0, aggs=aggs, track_total_hits=True)
    listed = []
    for b in resp["aggregations"]["stories"]["buckets"]:
        hits = b["earliest"]["hits"]["hits"]
        listed.append(Story(
            story_id=b["key"], size=b["doc_count"],
            outlets=[(o["key"], o["doc_count"]) for o in b["outlets"]["buckets"]],
            first=b["first"].get("value_as_string"), last=b["last"].get("value_as_string"),
            earliest={"id": hits[0]["_id"], **hits[0]["_source"]} if hits else {},
        ))
    return StoryList(resp["hits"]["total"]["value"], resp["aggregations"]["count"]["value"], listed)
