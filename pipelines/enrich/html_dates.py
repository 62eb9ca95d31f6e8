"""Publication dates of HTML pages: ordered rules, each recorded with its provenance.

Order: JSON-LD datePublished > article meta tags (article:published_time, og, parsely-pub-date,
sailthru.date, DC.date, itemprop datePublished, `<time datetime>` in the article), checked against the
date printed near the headline (shown_dates; it wins when they disagree, see choose_date) > that printed
date alone > the page's "Updated <date>" when it shows no other date and the URL has none (provenance
`page:updated-date`) > htmldate's original date (its own heuristics, no extensive search) >
the URL path (/2024/11/19/) > a line elsewhere in the page that labels its date as the publication
("Posted on 11/20/2024", provenance `page:dated-line`) > one that labels it the last update ("Last updated:
November 13, 2025", `page:updated-line`). No date at all rather than any date found in the
text: htmldate's extensive search was right on 2 of 12 dev pages where it was the last rule (a copyright
year, a footer's "last updated", a date in a sentence). The first plausible value wins;
time and zone are kept when the page gives them, in the zone of the day the page prints. Future and
pre-1990 dates are refused by `parse_date`; an ambiguous 02-12-2025 takes the reading another date on the
same page confirms. Never a file mtime or the ingest time.

The page's last update goes to `updated_at`, by its own rules (`_update_candidates`): a record holds both
the day an article first appeared and the day it says it was revised, whichever a reader would cite.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from datetime import datetime
from itertools import islice
from typing import Any

from lxml import etree

from pipelines.enrich.dates import ParsedDate, is_day, parse_date
from pipelines.enrich.metadata_html import PageSignals
from pipelines.enrich.shown_dates import ShownDate, dated_lines, shown_dates
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
# `<time datetime>` elements and itemprop="datePublished" holders, in page order; _dated_element keeps those the
# rules name. Two cheap paths over the tree, where one path per rule walked it five times.
_TIME_CANDIDATES = etree.XPath("//time[@datetime] | //@itemprop[. = 'datePublished']/..")
_UPPER_PUBLISHED = str.maketrans("PUBLISHED", "published")


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


def _dated_element(el: Any) -> bool:
    """An itemprop="datePublished" with a datetime or content, or a `<time datetime>` in the article or main
    content, marked pubdate, or whose class says "publish" (in any case of those letters)."""
    if el.get("itemprop") == "datePublished" and (el.get("datetime") is not None or el.get("content") is not None):
        return True
    if el.tag != "time" or el.get("datetime") is None:
        return False
    return (el.get("pubdate") is not None or "publish" in (el.get("class") or "").translate(_UPPER_PUBLISHED)
            or next(el.iterancestors("article", "main"), None) is not None)


def _meta_dates(sig: PageSignals) -> list[tuple[str, str]]:
    out = [(f"meta:{key}", value) for key in META_KEYS if (value := sig.meta(key))]
    if sig.tree is not None:
        for el in islice(filter(_dated_element, _TIME_CANDIDATES(sig.tree)), 3):
            value = el.get("datetime") or el.get("content")
            rule = "itemprop:datePublished" if el.get("itemprop") == "datePublished" else "time-element"
            if value and value.strip():
                out.append((rule, value.strip()))
    return out


def _htmldate(sig: PageSignals, html: str | None) -> str | None:
    """htmldate's original date of the page (YYYY-MM-DD), or None."""
    if not html:
        return None
    try:
        from htmldate import find_date

        # The tree already parsed (htmldate copies it before pruning) spares a second parse of the page.
        page = sig.tree if sig.tree is not None else html
        # Without the extensive search, which reads any date in the page text (a copyright year, a footer's
        # "last updated", a date in a sentence) and hands free text to dateparser: see dated_lines instead.
        value = find_date(page, url=sig.url, original_date=True, extensive_search=False, outputformat="%Y-%m-%d")
    except Exception:  # htmldate is a heuristic; its failures must not fail the document
        return None
    return value or None


MODIFIED_KEYS = (
    "article:modified_time", "og:updated_time", "article:modified", "modified", "updated", "datemodified",
    "dc.date.modified", "dcterms.modified", "last-modified", "lastmod",
)


def _modifications(sig: PageSignals) -> Iterator[tuple[str, str]]:
    """(rule, raw) for every modification stamp in the page's metadata: JSON-LD dateModified (the article's
    first, in the zone it writes), then the metas."""
    articles = sig.articles()
    objects = articles + [o for o in sig.jsonld if not any(o is a for a in articles)]
    yield from (("jsonld:dateModified", o["dateModified"].strip()) for o in objects
                if isinstance(o.get("dateModified"), str) and o["dateModified"].strip())
    yield from ((f"meta:{key}", v) for key in MODIFIED_KEYS for v in sig.metas.get(key, []))


def _modified_days(sig: PageSignals) -> set[str]:
    """Days the page's metadata give as its last modification: a shown date equal to one is an update."""
    return {p.value[:10] for _, raw in _modifications(sig) if (p := parse_date(raw))}


def _settled(raw: str, dayfirst: bool | None, known: set[str]) -> ParsedDate | None:
    """Parse `raw`; an ambiguous 02-12-2025 takes the reading that another date on the page writes unambiguously
    (the same page gives "2025-12-02" in a `<time>` or its metadata), and stays ambiguous when none does."""
    parsed = parse_date(raw, dayfirst=dayfirst)
    if parsed is None or not parsed.ambiguous:
        return parsed
    other = parse_date(raw, dayfirst=True)
    readings = [p for p in (parsed, other) if p is not None and p.value[:10] in known]
    return ParsedDate(readings[0].value) if len(readings) == 1 else parsed


def _known_days(raws: list[str], dayfirst: bool | None) -> set[str]:
    """Days the page writes unambiguously (ISO, month names, or DD/MM with a day above 12)."""
    return {p.value[:10] for raw in raws if (p := parse_date(raw, dayfirst=dayfirst)) and not p.ambiguous}


def _structured(ext: Extraction, raws: list[tuple[str, str]], dayfirst: bool | None,
                known: set[str]) -> list[tuple[str, str, str]]:
    """(rule, ISO value, note) for every plausible JSON-LD or meta date, in rule order; others rejected."""
    out: list[tuple[str, str, str]] = []
    for rule, raw in raws:
        parsed = _settled(raw, dayfirst, known)
        if parsed is None:
            ext.propose("published_at", raw, rule, False, "not a plausible date (unparsable, future or pre-1990)")
        else:
            out.append((rule, parsed.value, "ambiguous day/month" if parsed.ambiguous else ""))
    return out


def _shown(ext: Extraction, found: list[ShownDate], dayfirst: bool | None,
           known: set[str]) -> tuple[list[tuple[ShownDate, str]], list[tuple[ShownDate, str]]]:
    """Publication dates printed near the headline, parsed, nearest first, and the update dates shown there;
    dates of other events rejected."""
    out: list[tuple[ShownDate, str]] = []
    updates: list[tuple[ShownDate, str]] = []
    for shown in found:
        parsed = _settled(shown.raw, dayfirst, known)
        if parsed is None:
            continue
        if shown.kind == "other":
            ext.propose("published_at", parsed.value, _shown_rule(shown), False,
                        "the date of another event, not publication")
        elif parsed.ambiguous:
            ext.propose("published_at", shown.raw, _shown_rule(shown), False, "day/month order ambiguous")
        elif shown.kind == "updated":
            updates.append((shown, parsed.value))
        else:
            out.append((shown, parsed.value))
    return out, updates


def _shown_rule(shown: ShownDate) -> str:
    return f"page:{shown.kind or 'shown'}-date"


def _instant(value: str) -> datetime | None:
    """The moment an ISO value names, when it carries a time and a zone."""
    if is_day(value):
        return None
    try:
        moment = datetime.fromisoformat(value)
    except ValueError:
        return None
    return moment if moment.tzinfo is not None else None


def _days_of(value: str, structured: list[tuple[str, str, str]]) -> set[str]:
    """The days a structured date is written as on this page: its own, and that of any other candidate naming
    the same moment in another zone (og 2025-07-05T00:04Z is itemprop 2025-07-04T20:04-04:00)."""
    days = {value[:10]}
    moment = _instant(value)
    if moment is not None:
        days |= {other[:10] for _, other, _ in structured if _instant(other) == moment}
    return days


def _local_form(shown: list[tuple[ShownDate, str]], structured: list[tuple[str, str, str]]) -> tuple[str, str] | None:
    """The structured candidate naming the first one's moment on the day the page prints, when the first is
    written in another zone (og 2025-07-05T00:04Z, itemprop 2025-07-04T20:04-04:00, "July 4, 2025" shown)."""
    first = structured[0][1]
    moment = _instant(first)
    if moment is None or any(value[:10] == first[:10] for _, value in shown):
        return None
    printed = {value[:10] for _, value in shown}
    for rule, value, _ in structured[1:]:
        if value[:10] in printed and _instant(value) == moment:
            return rule, value
    return None


def _overriding(shown: list[tuple[ShownDate, str]], structured: list[tuple[str, str, str]], modified: set[str],
                url_day: str | None = None) -> tuple[str, str] | None:
    """The shown date that should replace the first structured one, or None when the metadata stand.

    Metadata stand when any shown date agrees with them (in any zone the page writes that moment in), when the
    URL path carries the same day, or when the nearest shown date is the page's dateModified without a
    "Published" label (an update shown in its place). A date above the headline must be labelled, unless the
    structured date is only the modification stamp and the shown date is earlier than it (a masthead's
    "today" never is).
    """
    first = structured[0][1]
    days = _days_of(first, structured)
    if any(value[:10] in days for _, value in shown) or url_day in days:
        return None
    for item, value in shown:
        above = item.place == "before-h1" and not item.labelled
        if above and not (first[:10] in modified and value[:10] < first[:10]):
            continue
        if value[:10] in modified and not (item.labelled and item.kind == "published"):
            return None
        return _shown_rule(item), value
    return None


def _reject_updates(ext: Extraction, updates: list[tuple[ShownDate, str]]) -> None:
    for item, value in updates:
        ext.propose("published_at", value, _shown_rule(item), False, "an update date shown on the page, "
                    "not publication")


def choose_date(ext: Extraction, sig: PageSignals, *, html: str | None = None, dayfirst: bool | None = None) -> None:
    """Set ext.published_at and ext.updated_at, with their provenance, each from its first plausible rule."""
    raws = _jsonld_dates(sig) + _meta_dates(sig)
    found = shown_dates(sig)
    known = _known_days([raw for _, raw in raws] + [item.raw for item in found], dayfirst)
    _choose_published(ext, sig, raws, found, known, html=html, dayfirst=dayfirst)
    _choose_updated(ext, sig, found, known, dayfirst)


def _update_candidates(sig: PageSignals, found: list[ShownDate]) -> Iterator[tuple[str, str]]:
    """(rule, raw) for the page's last update, in rule order, read lazily: the "Updated <date>" shown near the
    headline (what readers are told) > JSON-LD dateModified > modification metas. An "Updated:" line elsewhere
    in the page is not read for it: that scan of the whole page cost 3 ms a page to date 3 of 479 dev pages."""
    yield from ((_shown_rule(item), item.raw) for item in found if item.kind == "updated")
    yield from _modifications(sig)


def _choose_updated(ext: Extraction, sig: PageSignals, found: list[ShownDate], known: set[str],
                    dayfirst: bool | None) -> None:
    """Set ext.updated_at from the first plausible update the page gives (build_article drops one dated before
    the publication): a researcher sees that an article was revised, and when, beside when it first appeared."""
    for rule, raw in _update_candidates(sig, found):
        parsed = _settled(raw, dayfirst, known)
        if parsed is None or parsed.ambiguous:
            reason = "day/month order ambiguous" if parsed else "not a plausible date (unparsable, future or pre-1990)"
            ext.propose("updated_at", raw, rule, False, reason)
            continue
        ext.accept("updated_at", parsed.value, rule)
        return
    if ext.published_at and ext.provenance.get("published_at") == "page:updated-line":
        # The publication date itself is the "Last updated:" line, the only date the page gives.
        ext.accept("updated_at", ext.published_at, "page:updated-line")


def _choose_published(ext: Extraction, sig: PageSignals, raws: list[tuple[str, str]], found: list[ShownDate],
                      known: set[str], *, html: str | None, dayfirst: bool | None) -> None:
    """Set ext.published_at and its provenance from the first plausible rule.

    The date printed near the headline is checked against the structured one: when they disagree it wins
    (metadata are often a CMS default), unless it equals the page's dateModified while unlabelled: then it
    is the update shown in place of the publication date, and the structured datePublished stands. They
    agree when the printed day is the structured moment in another zone the page writes it in (then that
    local form is kept) or when the URL path carries the structured day.
    """
    structured = _structured(ext, raws, dayfirst, known)
    shown, updates = _shown(ext, found, dayfirst, known)
    url_date = date_from_url(sig.url or ext.url)
    if structured:
        rule, value, note = structured[0]
        override = _overriding(shown, structured, _modified_days(sig), url_date.value if url_date else None)
        local = None if override else _local_form(shown, structured)
        if override:
            ext.propose("published_at", value, rule, False, f"the page shows another date ({override[0]})")
            rule, value, note = override[0], override[1], "printed near the headline; metadata disagree"
        elif local:
            ext.propose("published_at", value, rule, False, f"the same moment in the zone the page shows ({local[0]})")
            rule, value, note = local[0], local[1], "the day printed near the headline, in the page's own zone"
        ext.accept("published_at", value, rule, note)
        for item, other in shown:
            if (_shown_rule(item), other) != (rule, value):
                ext.propose("published_at", other, _shown_rule(item), False, f"{rule} preferred")
        for other_rule, other, _ in structured[1:]:
            if (other_rule, other) != (rule, value):
                ext.propose("published_at", other, other_rule, False, f"{rule} preferred")
        _reject_updates(ext, updates)
        return
    if shown:
        ext.accept("published_at", shown[0][1], _shown_rule(shown[0][0]),
                   "printed near the headline; no structured date")
        _reject_updates(ext, updates)
        return
    if updates and url_date is None:
        # The page gives no publication date, only "Updated <date>": the best bound there is (htmldate would
        # return the same date from the same line, more slowly). Its own provenance lets it be filtered out.
        ext.accept("published_at", updates[0][1], _shown_rule(updates[0][0]),
                   "the only date the page shows is its update date")
        _reject_updates(ext, updates[1:])
        return
    _reject_updates(ext, updates)
    if (parsed := parse_date(_htmldate(sig, html))) is not None:
        ext.accept("published_at", parsed.value, "htmldate", "no structured date; htmldate original date")
        return
    if url_date:
        ext.accept("published_at", url_date.value, "url-path", "date written in the URL path")
        return
    # Last: a line elsewhere in the page that says it gives the publication date ("Posted on 11/20/2024"), and
    # failing that one that gives its last update ("Last updated: November 13, 2025"), the only date there is.
    lines = dated_lines(sig)
    for kind, rule, note in (("published", "page:dated-line", "a line of the page labels it the publication date"),
                             ("updated", "page:updated-line", "the page gives no date but its last update")):
        for item in (line for line in lines if line.kind == kind):
            parsed = _settled(item.raw, dayfirst, known)
            if parsed and parsed.ambiguous:
                ext.propose("published_at", item.raw, rule, False, "day/month order ambiguous")
            elif parsed:
                ext.accept("published_at", parsed.value, rule, note)
                return
