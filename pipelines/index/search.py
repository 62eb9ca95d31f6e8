"""The search API shared by the CLI, tests and notebooks: query + filters -> hits, facets, histogram.

Query syntax is Lucene's query_string (phrases, AND/OR/NOT, prefix*, field:value); a query that
does not parse falls back to simple_query_string, so a stray quote gives results, not an error.
Facets count on folded keywords ("Café" and "cafe" are one bucket) and show the most common spelling.
Pages go by offset up to 10,000 hits and by `search_after` (SearchResult.next_after) beyond; `scan`
streams every hit of a query through a point in time, for export and reindex, in flat memory.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any, Literal

from elasticsearch import BadRequestError, Elasticsearch

from pipelines.index.language_fields import language_field_names

# Standard and English analysis for every article, plus the article's own language where it has fields.
QUERY_FIELDS = (
    ["title^3", "title.english^2"] + [f"{f}^2" for f in language_field_names() if f.startswith("title_")]
    + ["text", "text.english"] + [f for f in language_field_names() if f.startswith("text_")]
    + ["summary^1.5", "authors.text", "outlet.text"]
)
FACETS = {"outlet": "outlet", "authors": "authors", "language": "language", "source": "source", "story_id": "story_id"}
DISPLAY = {"outlet": "outlet.raw", "authors": "authors.raw"}
Interval = Literal["day", "week", "month", "quarter", "year"]


def check_date_bound(value: str) -> str:
    """`value` when it can bound a date range (YYYY-MM-DD or an ISO 8601 time); ValueError otherwise. The cluster
    reads "2024-13-01" or "yesterday" its own way and quietly returns nothing, so callers check first."""
    try:
        (date if len(value) == 10 else datetime).fromisoformat(value)
    except ValueError:
        raise ValueError(f"{value!r} is not a date: write YYYY-MM-DD (or an ISO 8601 time)") from None
    return value


@dataclass
class SearchRequest:
    query: str = ""
    outlets: list[str] = field(default_factory=list)
    authors: list[str] = field(default_factory=list)
    languages: list[str] = field(default_factory=list)
    sources: list[str] = field(default_factory=list)
    stories: list[str] = field(default_factory=list)
    since: str | None = None  # published_at, inclusive (YYYY-MM-DD or ISO 8601)
    until: str | None = None
    sort: Literal["relevance", "date", "date_asc"] = "relevance"
    size: int = 10
    offset: int = 0
    facet_size: int = 10
    interval: Interval = "month"
    include_duplicates: bool = True
    outlet_domains: list[str] = field(default_factory=list)
    ingested_since: str | None = None  # ingested_at, inclusive: incremental export of what is new
    search_after: list[Any] | None = None  # SearchResult.next_after of the previous page (offset is then ignored)
    facets: bool = True
    highlight: bool = True


@dataclass
class Hit:
    id: str
    score: float | None
    title: str | None
    outlet: str | None
    published_at: str | None
    authors: list[str]
    language: str | None
    url: str | None
    source_path: str | None
    snippet: str
    story_id: str | None = None
    duplicate_of: str | None = None
    sort: list[Any] | None = None
    updated_at: str | None = None


@dataclass
class SearchResult:
    total: int
    hits: list[Hit]
    facets: dict[str, list[tuple[str, int]]]
    histogram: list[tuple[str, int]]
    missing_date: int = 0
    next_after: list[Any] | None = None  # pass as SearchRequest.search_after for the next page


def build_query(req: SearchRequest, *, simple: bool = False) -> dict[str, Any]:
    """The bool query for a request (also used by export and stories)."""
    must: list[dict[str, Any]] = []
    if req.query.strip():
        if simple:
            must.append({"simple_query_string": {"query": req.query, "fields": QUERY_FIELDS,
                                                 "default_operator": "and", "lenient": True}})
        else:
            must.append({"query_string": {"query": req.query, "fields": QUERY_FIELDS, "default_operator": "AND",
                                          "lenient": True, "type": "best_fields"}})
    filters: list[dict[str, Any]] = []
    for values, name in ((req.outlets, "outlet"), (req.authors, "authors"), (req.languages, "language"),
                         (req.sources, "source"), (req.stories, "story_id"), (req.outlet_domains, "outlet_domain")):
        if values:
            filters.append({"terms": {name: values}})
    if req.since or req.until:
        rng = {k: v for k, v in (("gte", req.since), ("lte", req.until)) if v}
        filters.append({"range": {"published_at": rng}})
    if req.ingested_since:
        filters.append({"range": {"ingested_at": {"gte": req.ingested_since}}})
    must_not = [] if req.include_duplicates else [{"exists": {"field": "duplicate_of"}}]
    return {"bool": {"must": must or [{"match_all": {}}], "filter": filters, "must_not": must_not}}


def _aggs(req: SearchRequest) -> dict[str, Any]:
    aggs: dict[str, Any] = {}
    for name, fld in FACETS.items():
        aggs[name] = {"terms": {"field": fld, "size": req.facet_size}}
        if name in DISPLAY:
            # Spellings as written, to label the folded buckets (a sub-aggregation cannot: authors are multi-valued).
            aggs[f"{name}_display"] = {"terms": {"field": DISPLAY[name], "size": req.facet_size * 5}}
    aggs["published"] = {"date_histogram": {"field": "published_at", "calendar_interval": req.interval,
                                            "min_doc_count": 1, "format": "yyyy-MM-dd"}}
    aggs["missing_date"] = {"missing": {"field": "published_at"}}
    return aggs


def _sort(req: SearchRequest) -> list[Any]:
    """The sort, always ending in the id so that pages (offset or search_after) neither skip nor repeat."""
    tie = {"id": "asc"}
    if req.sort == "date":
        return [{"published_at": {"order": "desc", "missing": "_last"}}, "_score", tie]
    if req.sort == "date_asc":
        return [{"published_at": {"order": "asc", "missing": "_last"}}, "_score", tie]
    return ["_score", tie]


HIGHLIGHT = {"fields": {"text": {"fragment_size": 180, "number_of_fragments": 1}, "title": {"number_of_fragments": 0}},
             "pre_tags": ["<em>"], "post_tags": ["</em>"], "require_field_match": False}


def search(client: Elasticsearch, index: str, req: SearchRequest) -> SearchResult:
    body: dict[str, Any] = {
        "query": build_query(req), "size": req.size, "track_total_hits": True, "sort": _sort(req),
        "_source": {"excludes": ["text", *language_field_names()]},
    }
    if req.search_after:
        body["search_after"] = req.search_after
    else:
        body["from"] = req.offset
    if req.facets:
        body["aggs"] = _aggs(req)
    if req.highlight:
        body["highlight"] = HIGHLIGHT
    try:
        resp = client.search(index=index, **body)
    except BadRequestError:
        body["query"] = build_query(req, simple=True)
        resp = client.search(index=index, **body)
    return _result(resp)


def fold(value: str) -> str:
    """What the index's `folding` normalizer does: lowercase and strip accents."""
    decomposed = unicodedata.normalize("NFKD", value.lower())
    return "".join(c for c in decomposed if not unicodedata.combining(c))


def _labels(aggs: dict[str, Any], name: str) -> dict[str, str]:
    labels: dict[str, str] = {}
    for bucket in aggs.get(f"{name}_display", {}).get("buckets", []):
        labels.setdefault(fold(bucket["key"]), bucket["key"])  # most common spelling first
    return labels


def _result(resp: dict[str, Any]) -> SearchResult:
    hits = []
    for h in resp["hits"]["hits"]:
        src, hl = h["_source"], h.get("highlight", {})
        snippet = (hl.get("text") or [src.get("summary") or ""])[0]
        hits.append(Hit(
            id=h["_id"], score=h.get("_score"), title=src.get("title"), outlet=src.get("outlet"),
            published_at=src.get("published_at"), authors=src.get("authors") or [], language=src.get("language"),
            url=src.get("url"), source_path=src.get("source_path"), snippet=" ".join(snippet.split()),
            story_id=src.get("story_id"), duplicate_of=src.get("duplicate_of"), sort=h.get("sort"),
            updated_at=src.get("updated_at"),
        ))
    aggs = resp.get("aggregations", {})
    facets = {}
    for name in FACETS:
        labels = _labels(aggs, name)
        facets[name] = [(labels.get(b["key"], b["key"]), b["doc_count"]) for b in aggs.get(name, {}).get("buckets", [])]
    histogram = [(b["key_as_string"], b["doc_count"]) for b in aggs.get("published", {}).get("buckets", [])]
    return SearchResult(resp["hits"]["total"]["value"], hits, facets, histogram,
                        aggs.get("missing_date", {}).get("doc_count", 0), next_after=hits[-1].sort if hits else None)


def count(client: Elasticsearch, index: str, req: SearchRequest) -> tuple[int, dict[str, Any]]:
    """Number of hits and the query that parsed (Lucene syntax, or the lenient fallback)."""
    query = build_query(req)
    try:
        return client.count(index=index, query=query)["count"], query
    except BadRequestError:
        query = build_query(req, simple=True)
        return client.count(index=index, query=query)["count"], query


def scan(client: Elasticsearch, index: str, query: dict[str, Any] | None = None, *, source: Any = True,
         page_size: int = 1000, sort: list[Any] | None = None, keep_alive: str = "5m") -> Iterator[dict[str, Any]]:
    """Every hit of a query, page by page, through a point in time and search_after.

    The point in time freezes what is read, so writes during a long export or reindex neither shift
    nor repeat hits, and only one page is held in memory. The default order (`_shard_doc`) is the cheapest.
    """
    pit = client.open_point_in_time(index=index, keep_alive=keep_alive)["id"]
    after: list[Any] | None = None
    try:
        while True:
            kwargs: dict[str, Any] = {"search_after": after} if after else {}
            resp = client.search(pit={"id": pit, "keep_alive": keep_alive}, query=query or {"match_all": {}},
                                 sort=(sort or []) + ["_shard_doc"], size=page_size, source=source,
                                 track_total_hits=False, **kwargs)
            pit = resp.get("pit_id", pit)
            hits = resp["hits"]["hits"]
            yield from hits
            if len(hits) < page_size:
                return
            after = hits[-1]["sort"]
    finally:
        client.close_point_in_time(id=pit)
