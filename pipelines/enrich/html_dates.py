"""Publication dates of HTML pages: ordered rules, each recorded with its provenance.

Order: JSON-LD datePublished > article meta tags (article:published_time, og, parsely-pub-date,
sailthru.date, DC.date, itemprop datePublished, `<time datetime>` in the article), checked against the
date printed near the headline (shown_dates; it wins when they disagree, see choose_date) > that printed
date alone > htmldate's original date (its own heuristics, no extensive search) >
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
from pipelines.enrich.shown_dates import ShownDate, shown_dates
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


MODIFIED_KEYS = (
    "article:modified_time", "og:updated_time", "article:modified", "modified", "updated", "datemodified",
    "dc.date.modified", "dcterms.modified", "last-modified", "lastmod",
)


def _modified_days(sig: PageSignals) -> set[str]:
    """Days the page's metadata give as its last modification: a shown date equal to one is an update."""
    raws = [v for key in MODIFIED_KEYS for v in sig.metas.get(key, [])]
    raws += [o["dateModified"] for o in sig.jsonld if isinstance(o.get("dateModified"), str)]
    return {p.value[:10] for raw in raws if (p := parse_date(raw))}


def _structured(ext: Extraction, sig: PageSignals, dayfirst: bool | None) -> list[tuple[str, str, str]]:
    """(rule, ISO value, note) for every plausible JSON-LD or meta date, in rule order; others rejected."""
    out: list[tuple[str, str, str]] = []
    for rule, raw in _jsonld_dates(sig) + _meta_dates(sig):
        parsed = parse_date(raw, dayfirst=dayfirst)
        if parsed is None:
            ext.propose("published_at", raw, rule, False, "not a plausible date (unparsable, future or pre-1990)")
        else:
            out.append((rule, parsed.value, "ambiguous day/month" if parsed.ambiguous else ""))
    return out


def _shown(ext: Extraction, sig: PageSignals, dayfirst: bool | None) -> list[tuple[ShownDate, str]]:
    """Publication dates printed near the headline, parsed, nearest first; updates and events rejected."""
    out: list[tuple[ShownDate, str]] = []
    for shown in shown_dates(sig):
        parsed = parse_date(shown.raw, dayfirst=dayfirst)
        if parsed is None:
            continue
        if shown.kind in ("updated", "other"):
            why = "an update date shown on the page" if shown.kind == "updated" else "the date of another event"
            ext.propose("published_at", parsed.value, _shown_rule(shown), False, f"{why}, not publication")
        elif parsed.ambiguous:
            ext.propose("published_at", shown.raw, _shown_rule(shown), False, "day/month order ambiguous")
        else:
            out.append((shown, parsed.value))
    return out


def _shown_rule(shown: ShownDate) -> str:
    return f"page:{shown.kind or 'shown'}-date"


def _overriding(shown: list[tuple[ShownDate, str]], structured: str, modified: set[str]) -> tuple[str, str] | None:
    """The shown date that should replace the structured one, or None when the metadata stand.

    Metadata stand when any shown date agrees with them, or when the nearest one is the page's dateModified
    without a "Published" label (an update shown in its place). A date above the headline must be labelled.
    """
    if any(value[:10] == structured[:10] for _, value in shown):
        return None
    for item, value in shown:
        if item.place == "before-h1" and not item.labelled:
            continue
        if value[:10] in modified and not (item.labelled and item.kind == "published"):
            return None
        return _shown_rule(item), value
    return None


def _accept(ext: Extraction, rule: str, value: str, note: str = "") -> None:
    ext.published_at, ext.provenance["published_at"] = value, rule
    ext.propose("published_at", value, rule, True, note)


def choose_date(ext: Extraction, sig: PageSignals, *, html: str | None = None, dayfirst: bool | None = None) -> None:
    """Set ext.published_at and its provenance from the first plausible rule.

    The date printed near the headline is checked against the structured one: when they disagree it wins
    (metadata are often a CMS default), unless it equals the page's dateModified while unlabelled: then it
    is the update shown in place of the publication date, and the structured datePublished stands.
    """
    structured = _structured(ext, sig, dayfirst)
    shown = _shown(ext, sig, dayfirst)
    if structured:
        rule, value, note = structured[0]
        override = _overriding(shown, value, _modified_days(sig))
        if override:
            ext.propose("published_at", value, rule, False, f"the page shows another date ({override[0]})")
            rule, value, note = override[0], override[1], "printed near the headline; metadata disagree"
        _accept(ext, rule, value, note)
        for item, other in shown:
            if (_shown_rule(item), other) != (rule, value):
                ext.propose("published_at", other, _shown_rule(item), False, f"{rule} preferred")
        for other_rule, other, _ in structured[1:]:
            ext.propose("published_at", other, other_rule, False, f"{rule} preferred")
        return
    if shown:
        _accept(ext, _shown_rule(shown[0][0]), shown[0][1], "printed near the headline; no structured date")
        return
    for rule, raw in _htmldate(sig, html):
        parsed = parse_date(raw)
        if parsed:
            _accept(ext, rule, parsed.value, "no structured date; htmldate original date")
            return
    parsed = date_from_url(sig.url or ext.url)
    if parsed:
        _accept(ext, "url-path", parsed.value, "date written in the URL path")
        return
    # Last resort, labelled as such: a date htmldate finds anywhere in the page text.
    for rule, raw in _htmldate(sig, html, extensive=True):
        parsed = parse_date(raw)
        if parsed:
            _accept(ext, rule, parsed.value, "only a date found in the page text")
            return
