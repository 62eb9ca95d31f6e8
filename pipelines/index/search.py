"""The search API shared by the CLI, tests and notebooks: query + filters -> hits, facets, histogram.

Query syntax is Lucene's query_string (phrases, AND/OR/NOT, prefix*, field:value); a query that
does not parse falls back to simple_query_string, so a stray quote gives results, not an error.
Facets count on folded keywords ("Café" and "cafe" are one bucket) and show the most common spelling.
"""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass, field
from typing import Any, Literal

from elasticsearch import BadRequestError, Elasticsearch

LANG_FIELDS = ("english", "german", "french", "spanish", "russian")
QUERY_FIELDS = (
    ["title^3"] + [f"title.{lang}^2" for lang in LANG_FIELDS]
    + ["text"] + [f"text.{lang}" for lang in LANG_FIELDS]
    + ["summary^1.5", "authors.text", "outlet.text"]
)
FACETS = {"outlet": "outlet", "authors": "authors", "language": "language", "source": "source", "story_id": "story_id"}
DISPLAY = {"outlet": "outlet.raw", "authors": "authors.raw"}
Interval = Literal["day", "week", "month", "quarter", "year"]


@dataclass
class SearchRequest:
    query: str = ""
    outlets: list[str] = field(default_factory=list)
    authors: list[str] = field(default_factory=list)
    languages: list[str] = field(default_factory=list)
    sources: list[str] = field(default_factory=list)
    stories: list[str] = field(default_factory=list)
    since: str | None = None
    until: str | None = None
    sort: Literal["relevance", "date", "date_asc"] = "relevance"
    size: int = 10
    offset: int = 0
    facet_size: int = 10
    interval: Interval = "month"
    include_duplicates: bool = True


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


@dataclass
class SearchResult:
    total: int
    hits: list[Hit]
    facets: dict[str, list[tuple[str, int]]]
    histogram: list[tuple[str, int]]
    missing_date: int = 0


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
                         (req.sources, "source"), (req.stories, "story_id")):
        if values:
            filters.append({"terms": {name: values}})
    if req.since or req.until:
        rng = {k: v for k, v in (("gte", req.since), ("lte", req.until)) if v}
        filters.append({"range": {"published_at": rng}})
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


def _sort(req: SearchRequest) -> list[Any] | None:
    if req.sort == "date":
        return [{"published_at": {"order": "desc", "missing": "_last"}}, "_score"]
    if req.sort == "date_asc":
        return [{"published_at": {"order": "asc", "missing": "_last"}}, "_score"]
    return None


def search(client: Elasticsearch, index: str, req: SearchRequest) -> SearchResult:
    body: dict[str, Any] = {
        "query": build_query(req), "size": req.size, "from": req.offset, "aggs": _aggs(req),
        "track_total_hits": True,
        "highlight": {"fields": {"text": {"fragment_size": 180, "number_of_fragments": 1},
                                 "title": {"number_of_fragments": 0}},
                      "pre_tags": ["<em>"], "post_tags": ["</em>"], "require_field_match": False},
        "_source": {"excludes": ["text"]},
    }
    if (sort := _sort(req)) is not None:
        body["sort"] = sort
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
            story_id=src.get("story_id"), duplicate_of=src.get("duplicate_of"),
        ))
    aggs = resp.get("aggregations", {})
    facets = {}
    for name in FACETS:
        labels = _labels(aggs, name)
        facets[name] = [(labels.get(b["key"], b["key"]), b["doc_count"]) for b in aggs.get(name, {}).get("buckets", [])]
    histogram = [(b["key_as_string"], b["doc_count"]) for b in aggs.get("published", {}).get("buckets", [])]
    return SearchResult(resp["hits"]["total"]["value"], hits, facets, histogram,
                        aggs.get("missing_date", {}).get("doc_count", 0))
