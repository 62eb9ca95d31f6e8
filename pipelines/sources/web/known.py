"""Which URLs the corpus already holds, so a feed run fetches only what is new."""

from __future__ import annotations

from elasticsearch import Elasticsearch

FIELDS = ("canonical_url", "url", "locator")


def indexed_urls(client: Elasticsearch, alias: str, urls: list[str]) -> set[str]:
    """The given (canonical) URLs found as canonical_url, url or locator of an indexed article: one query."""
    wanted = set(urls)
    if not wanted or not client.indices.exists(index=alias):
        return set()
    query = {"bool": {"should": [{"terms": {f: sorted(wanted)}} for f in FIELDS], "minimum_should_match": 1}}
    resp = client.search(index=alias, query=query, size=min(10_000, 2 * len(wanted)), source=list(FIELDS))
    found: set[str] = set()
    for hit in resp["hits"]["hits"]:
        found.update(v for f in FIELDS if (v := hit["_source"].get(f)) in wanted)
    return found
