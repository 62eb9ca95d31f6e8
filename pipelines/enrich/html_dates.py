"""Publication dates of HTML pages: ordered rules, each recorded with its provenance.

Order: JSON-LD datePublished > article meta tags (article:published_time, og, parsely-pub-date,
sailthru.date, DC.date, itemprop datePublished, `<time datetime>` in the article) > htmldate's original
date (its own heuristics, no extensive search) >
the URL path (/2024/11/19/) > htmldate's extensive search of the page text (provenance
`htmldate:extensive`, so a researcher can filter these weaker dates out). The first plausible value wins;
time and zone are kept when the page gives them. Future and pre-1990 dates are refused by `parse_date`.
Never a file mtime or the ingest time.
"""

from __future__ import annotations

import re
from typing import Any

from pipelines.enrich.dates import ParsedDate, parse_date
from pipelines.enrich.metadata_html import PageSignals
from pipelines.models import Extraction

META_KEYS = (
    "article:published_time", "og:article:published_time", "og:published_time", "article:published",
    "parsely-pub-date", "sailthru.date", "dc.date.issued", "dc.date", "dcterms.issued", "dcterms.date",
    "dcterms.created", "citation_publication_date", "citation_date", "publication_date", "publish-date",
    "publishdate", "pubdate", "datepublished", "article.published", "published_time", "published-date",
    "release_date", "cxenseparse:recs:publishtime",
)
_URL_DATE = re.compile(r"/((?:19|20)\d{2})[/-](0?[1-9]|1[0-2])[/-](0?[1-9]|[12]\d|3[01])(?:[/_.-]|$)")
_URL_COMPACT = re.compile(r"[/_-]((?:19|20)\d{2})(0[1-9]|1[0-2])(0[1-9]|[12]\d|3[01])(?:[/_.-]|$)")
_TIME_XPATH = (
    "(//article//time[@datetime] | //main//time[@datetime] | //time[@pubdate][@datetime]"
    " | //time[@datetime][contains(translate(@class, 'PUBLISHED', 'published'), 'publish')]"
    " | //*[@itemprop='datePublished'][@datetime or @content])"
)


def date_from_url(url: str | None) -> ParsedDate | None:
    """`/2024/11/19/` or `/20241119/` in the path; never the host or the query."""
    if not url:
        return None
    path = re.sub(r"^[a-z]+://[^/]+", "", url, flags=re.I).split("?")[0]
    m = _URL_DATE.search(path) or _URL_COMPACT.search(path)
    if not m:
        return None
    return parse_date(f"{m.group(1)}-{int(m.group(2)):02d}-{int(m.group(3)):02d}")


def _jsonld_dates(sig: PageSignals) -> list[tuple[str, str]]:
    out: list[tuple[str, str]] = []
    for key in ("datePublished", "dateCreated", "uploadDate"):
        for obj in sig.articles():
            value: Any = obj.get(key)
            if isinstance(value, list) and value:
                value = value[0]
            if isinstance(value, str) and value.strip():
                out.append((f"jsonld:{key}", value.strip()))
                break
    return out


def _meta_dates(sig: PageSignals) -> list[tuple[str, str]]:
    out = [(f"meta:{key}", value) for key in META_KEYS if (value := sig.meta(key))]
    if sig.tree is not None:
        for el in sig.tree.xpath(_TIME_XPATH)[:3]:
            value = el.get("datetime") or el.get("content")
            rule = "itemprop:datePublished" if el.get("itemprop") == "datePublished" else "time-element"
            if value and value.strip():
                out.append((rule, value.strip()))
    return out


def _htmldate(sig: PageSignals, html: str | None, *, extensive: bool = False) -> list[tuple[str, str]]:
    if not html:
        return []
    try:
        from htmldate import find_date

        value = find_date(html, url=sig.url, original_date=True, extensive_search=extensive, outputformat="%Y-%m-%d")
    except Exception:  # htmldate is a heuristic; its failures must not fail the document
        return []
    return [("htmldate:extensive" if extensive else "htmldate", value)] if value else []


def choose_date(ext: Extraction, sig: PageSignals, *, html: str | None = None, dayfirst: bool | None = None) -> None:
    """Set ext.published_at and its provenance from the first plausible rule."""
    chosen: str | None = None
    for rule, raw in _jsonld_dates(sig) + _meta_dates(sig):
        parsed = parse_date(raw, dayfirst=dayfirst)
        if parsed is None:
            ext.propose("published_at", raw, rule, False, "not a plausible date (unparsable, future or pre-1990)")
        elif chosen is None:
            chosen = rule
            ext.published_at, ext.provenance["published_at"] = parsed.value, rule
            ext.propose("published_at", parsed.value, rule, True, "ambiguous day/month" if parsed.ambiguous else "")
        else:
            ext.propose("published_at", parsed.value, rule, False, f"{chosen} preferred")
    if chosen:
        return
    for rule, raw in _htmldate(sig, html):
        parsed = parse_date(raw)
        if parsed:
            ext.published_at, ext.provenance["published_at"] = parsed.value, rule
            ext.propose("published_at", parsed.value, rule, True, "no structured date; htmldate original date")
            return
    parsed = date_from_url(sig.url or ext.url)
    if parsed:
        ext.published_at, ext.provenance["published_at"] = parsed.value, "url-path"
        ext.propose("published_at", parsed.value, "url-path", True, "date written in the URL path")
        return
    # Last resort, labelled as such: a date written in the page text near the headline ("Dec 26, 2025").
    for rule, raw in _htmldate(sig, html, extensive=True):
        parsed = parse_date(raw)
        if parsed:
            ext.published_at, ext.provenance["published_at"] = parsed.value, rule
            ext.propose("published_at", parsed.value, rule, True, "only a date found in the page text")

