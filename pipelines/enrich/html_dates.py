"""Publication dates of HTML pages: ordered rules, each recorded with its provenance.

Order: JSON-LD datePublished > article meta tags (article:published_time, og, parsely-pub-date,
sailthru.date, DC.date, itemprop datePublished, `<time datetime>` in the article) > htmldate's original
date (its own heuristics, no extensive search: a guess from page furniture is worse than nothing) >
the URL path (/2024/11/19/). The first plausible value wins; time and zone are kept when the page gives
them. Future and pre-1990 dates are refused by `parse_date`. Never a file mtime or the ingest time.
"""

from __future__ import annotations

import re
from datetime import date, timedelta
from typing import Any

from pipelines.enrich.dates import ParsedDate, parse_date
from pipelines.enrich.metadata_html import PageSignals
from pipelines.models import Extraction

META_KEYS = (
    "article:published_time", "og:article:published_time", "og:published_time", "article:published",
    "parsely-pub-date", "sailthru.date", "dc.date.issued", "dc.date", "dcterms.issued", "dcterms.date",
    "dcterms.created", "citation_publication_date", "citation_date", "publication_date", "publish-date",
    "publishdate", "pubdate", "date", "datepublished", "article.published", "published_time", "published-date",
    "release_date", "cxenseparse:recs:publishtime",
)
MODIFIED_META_KEYS = (
    "article:modified_time", "og:updated_time", "og:article:modified_time", "article:modified", "dcterms.modified",
    "dc.date.modified", "last-modified", "parsely-updated", "datemodified",
)
_MONTH_NAMES = ("January", "February", "March", "April", "May", "June", "July", "August", "September", "October",
                "November", "December")
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


def _modified_dates(sig: PageSignals) -> list[tuple[str, str]]:
    out: list[tuple[str, str]] = []
    for obj in sig.articles():
        value = obj.get("dateModified")
        if isinstance(value, str) and value.strip():
            out.append(("jsonld:dateModified", value.strip()))
            break
    out += [(f"meta:{key}", value) for key in MODIFIED_META_KEYS if (value := sig.meta(key))]
    if sig.tree is not None:
        for el in sig.tree.xpath("//*[@itemprop='dateModified'][@datetime or @content]")[:1]:
            out.append(("itemprop:dateModified", (el.get("datetime") or el.get("content") or "").strip()))
    return out


def shown_on_page(day: date, text: str) -> bool:
    """True when the day is written in the page's visible text in a common format."""
    if not text:
        return False
    full = _MONTH_NAMES[day.month - 1]
    sept = r"|Sept\.?" if day.month == 9 else ""
    month = rf"(?:{full}|{full[:3]}\.?{sept})"
    d, m, y = day.day, day.month, day.year
    patterns = (
        rf"\b{month}\s+0?{d}(?:st|nd|rd|th)?,?\s+{y}\b",
        rf"\b0?{d}(?:st|nd|rd|th)?\.?\s+(?:of\s+)?{month},?\s+{y}\b",
        rf"\b0?{m}[/.-]0?{d}[/.-](?:{y}|{y % 100:02d})\b",
        rf"\b0?{d}[/.-]0?{m}[/.-](?:{y}|{y % 100:02d})\b",
        rf"\b{y}[/.-]0?{m}[/.-]0?{d}\b",
    )
    return any(re.search(p, text, re.I) for p in patterns)


def _day(value: str) -> date | None:
    try:
        return date.fromisoformat(value[:10])
    except ValueError:
        return None


def _htmldate(sig: PageSignals, html: str | None) -> list[tuple[str, str]]:
    if not html:
        return []
    try:
        from htmldate import find_date

        value = find_date(html, url=sig.url, original_date=True, extensive_search=False, outputformat="%Y-%m-%d")
    except Exception:  # htmldate is a heuristic; its failures must not fail the document
        return []
    return [("htmldate", value)] if value else []


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
        _prefer_shown_update(ext, sig, dayfirst)
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


def _prefer_shown_update(ext: Extraction, sig: PageSignals, dayfirst: bool | None) -> None:
    """A page that displays only its update date ("Updated Aug 14, 2025") presents that as its date:
    evergreen pages re-published under a new date. Used only when the structured publication day is not
    displayed anywhere and the modification day is."""
    pub_day = _day(ext.published_at or "")
    if pub_day is None:
        return
    text = sig.visible_text()
    if re.search(r"(?:Z|[+-]00:?00)$", ext.published_at or "") and not shown_on_page(pub_day, text):
        # A UTC timestamp of an evening publication in the Americas: the page shows the local day before.
        before = pub_day - timedelta(days=1)
        if shown_on_page(before, text) and int((ext.published_at or "T00")[11:13] or 0) < 12:
            rule = ext.provenance["published_at"]
            ext.propose("published_at", ext.published_at, rule, False, "UTC day differs from the day shown")
            ext.published_at, ext.provenance["published_at"] = before.isoformat(), f"shown:{rule}"
            ext.propose("published_at", before.isoformat(), f"shown:{rule}", True, "local day shown on the page")
            return
    for rule, raw in _modified_dates(sig):
        parsed = parse_date(raw, dayfirst=dayfirst)
        mod_day = _day(parsed.value) if parsed else None
        if mod_day is None or mod_day <= pub_day:
            continue
        if not shown_on_page(pub_day, text) and shown_on_page(mod_day, text):
            ext.propose("published_at", ext.published_at, ext.provenance["published_at"], False,
                        "publication day not displayed on the page; the page shows its update date")
            ext.published_at, ext.provenance["published_at"] = parsed.value, f"shown:{rule}"
            ext.propose("published_at", parsed.value, f"shown:{rule}", True, "the only date the page displays")
        return
