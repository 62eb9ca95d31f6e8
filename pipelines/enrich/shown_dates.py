"""Dates a page shows its readers next to the headline, with the label that says what they are.

Structured metadata are often a CMS default or a rebuild stamp (a JSON-LD `datePublished` equal to its
`dateModified` on every page of a site), while the date printed under the `<h1>` is the one readers and
citations use. This module reads that printed date: text near the first `<h1>` (a short window after it,
a shorter one before it), in numeric formats or with month names in English, German, French, Spanish, Italian,
Portuguese or Dutch, or a `<time datetime>` there.
Each date is classified by the nearest label word before it ("Published", "Posted", "Updated",
"Last reviewed") and by the class names of its elements ("post-date", "the-updated-at"): an update is
never a publication date, and html_dates keeps it out of `published_at` unless the page shows no other.
Dates inside a sentence of the article ("hit its 1.0 release on 30 October 2025") are not datelines.
`dated_lines` reads, anywhere else in the page, a line that says it gives the publication date
("Posted on 11/20/2024", "Published: March 3, 2024") or the last update ("Last updated: …"), outside comments,
related lists and footers.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

from lxml import etree

from pipelines.enrich.dates import (
    CJK_DATE,
    HAS_DIGIT,
    MONTH_NAMES,
    ON_ABROAD,
    PUBLISHED_ABROAD,
    UPDATED_ABROAD,
    VI_DATE,
)
from pipelines.enrich.metadata_html import PageSignals, page_region, squash

_MONTH = rf"(?:{MONTH_NAMES})\.?"
_DATE_IN_TEXT = re.compile(
    rf"\b(?:{_MONTH}\s+\d{{1,2}}(?:st|nd|rd|th)?,?\s+(?:19|20)\d{{2}}"
    rf"|\d{{1,2}}(?:st|nd|rd|th|er|º)?\.?\s+(?:of\s+|de\s+)?{_MONTH},?\s+(?:de\s+|del\s+)?(?:19|20)\d{{2}}"
    r"|(?:19|20)\d{2}-\d{2}-\d{2}"
    r"|\d{1,2}[/.]\d{1,2}[/.](?:19|20)\d{2}"
    r"|(?:19|20)\d{2}[/.]\d{1,2}[/.]\d{1,2}"  # "2024.03.12", "2024/03/12": year first (Korea, Hungary, Japan)
    rf"|(?:19|20)\d{{2}}\.\s+{_MONTH}\s+\d{{1,2}}\.?"  # Hungarian: "2024. március 12."
    rf"|{VI_DATE})\b"  # Vietnamese: "12 tháng 3, 2024"
    rf"|{CJK_DATE}",  # no \b after it: in Chinese and Japanese the next word follows without a space
    re.IGNORECASE,
)
# Label words, in English and abroad ("Veröffentlicht", "Publié", "Aktualisiert", "Mis à jour", "Stand:").
_UPDATED = rf"updat|modif|revis|review|edit|refresh|fact[- ]?check|{UPDATED_ABROAD}|gewijzigd|\bstand:"
_PUBLISHED = rf"publi|posted|pubdate|released|created|written|{PUBLISHED_ABROAD}"
# Dates of other events printed near a headline: a podcast recording, an event, a deadline, a copyright.
# "Starts"/"Ends" count only right before the date ("Ends: May 3"), not inside a title ("End-to-End").
_OTHER = (r"record|aired|event|\b(?:starts?|ends?)(?:\s+(?:on|at))?\s*:?\s*$|expir|deadline|due\b|born|died"
          r"|copyright|©")
_LABEL = re.compile(rf"(?P<updated>{_UPDATED})|(?P<published>{_PUBLISHED})|(?P<other>{_OTHER})", re.IGNORECASE)
_SKIP = {"script", "style", "noscript", "template", "option", "svg", "title"}  # <title> is the head's, not shown
AFTER_H1_CHARS = 700  # the byline block; past this the body has started
PROSE_CHARS = 120  # a text node this long is a sentence of the article, not a byline: its dates are events
BEFORE_H1_CHARS = 250  # a date above the headline (kicker line), not the masthead's "today"


# "Posted on", "Published:", "First published", "Date published", "Publication date", "Released" (and abroad:
# "Veröffentlicht am", "Publié le", "Publicado el", "Pubblicato il", "Gepubliceerd op"); and, in the group
# `updated`, "Last updated:" / "Modified on" / "Aktualisiert am" / "Mis à jour le" / "Stand:", an update read
# only when no line gives the publication.
_ON = rf"(?:\s+(?:on|at|{ON_ABROAD}))?\s*:?\s*"
_LINE_LABEL = re.compile(
    rf"^(?:(?:first|originally)\s+)?(?:published|posted|released){_ON}"
    r"|^(?:date\s+published|publication\s+date|published\s+date)\s*:?\s*"
    rf"|^(?:{PUBLISHED_ABROAD}){_ON}"
    rf"|^(?:last\s+)?(?P<updated>updated|modified|{UPDATED_ABROAD}|stand(?=\s*:)){_ON}",
    re.IGNORECASE,
)
_LINE_XPATH = etree.XPath(
    "//body//text()[string-length() < 120][contains(., 'ublish') or contains(., 'UBLISH') or contains(., 'osted')"
    " or contains(., 'OSTED') or contains(., 'eleased') or contains(., 'ELEASED') or contains(., 'pdated')"
    " or contains(., 'PDATED') or contains(., 'odified') or contains(., 'ODIFIED') or contains(., 'ffentlicht')"
    " or contains(., 'rschienen') or contains(., 'ublié') or contains(., 'ublicad') or contains(., 'ubblicat')"
    " or contains(., 'ubliceerd') or contains(., 'ktualisiert') or contains(., ' à jour') or contains(., 'tualizad')"
    " or contains(., 'ggiornat') or contains(., 'ijgewerkt') or contains(., 'Stand') or contains(., 'ublicer')"
    " or contains(., 'ublisert') or contains(., 'ulkaistu') or contains(., 'ublikow') or contains(., 'ublikováno')"
    " or contains(., 'публіковано') or contains(., 'публиковано') or contains(., 'ayınlan') or contains(., 'ayımlan')"
    " or contains(., 'ppdater') or contains(., 'pdateret') or contains(., 'äivitetty') or contains(., 'ktualizow')"
    " or contains(., 'ktualizováno') or contains(., 'новлено') or contains(., 'üncelle') or contains(., 'iterbitkan')"
    " or contains(., 'ublikasikan') or contains(., 'iperbarui') or contains(., 'özzétéve') or contains(., 'ublikálva')"
    " or contains(., 'rissítve') or contains(., 'ódosítva') or contains(., 'ập nhật') or contains(., 'gày đăng')"
    " or contains(., 'ημοσιε') or contains(., 'νημερ') or contains(., 'نشر') or contains(., 'تحديث')"
    " or contains(., 'פורסם') or contains(., 'עודכן') or contains(., 'प्रकाशित') or contains(., 'अपडेट')]"
)
_DATE_OPENS_WITHIN = 16  # "Posted on Monday, March 3, 2024": the date follows the label, a weekday at most between


@dataclass(frozen=True)
class ShownDate:
    raw: str  # as written, or a <time datetime> value
    kind: str  # "published", "updated", "other" (an event, a recording) or "" (unlabelled)
    place: str  # "after-h1" or "before-h1"
    labelled: bool = False  # the kind comes from a label word readers see, not from class names


def _visible(nodes: list[Any]) -> list[Any]:
    # All owner lists are built before any is read: nearby text nodes share ancestors, and lxml hands back the
    # Python object of an element while one is alive instead of making another (the slow part of `getparent`).
    owners = [_owners(n, 6) for n in nodes]
    return [n for n, held in zip(nodes, owners, strict=True)
            if not any(isinstance(a.tag, str) and a.tag in _SKIP for a in held)]


def _owners(node: Any, depth: int) -> list[Any]:
    """The element holding a text node and its ancestors, nearest first (text after `</svg>` is the svg's
    tail in lxml, but it is held by the svg's parent)."""
    out: list[Any] = []
    el = node.getparent()
    if el is not None and getattr(node, "is_tail", False):
        el = el.getparent()
    while el is not None and len(out) < depth:
        out.append(el)
        el = el.getparent()
    return out


def _class_kind(node: Any) -> str:
    for el in _owners(node, 4):
        names = f"{el.get('class') or ''} {el.get('id') or ''} {el.get('itemprop') or ''}"
        if re.search(_UPDATED, names, re.I):
            return "updated"
        if el.get("pubdate") is not None or re.search(r"publish|posted|pubdate|post-date|post_date", names, re.I):
            return "published"
    return ""


def _label_kind(context: str) -> str:
    """The nearest label word before the date wins ("Published May 2 · Updated May 9" has one of each)."""
    matches = list(_LABEL.finditer(context[-48:]))
    last = matches[-1] if matches else None
    if last is None:
        return "published" if re.search(r"\bon\s*:?\s*$", context, re.I) else ""
    return last.lastgroup or ""


def _time_attr(node: Any) -> str | None:
    for el in _owners(node, 2):
        if el.tag == "time" and el.get("datetime"):
            return el.get("datetime").strip()
    return None


def _shown(raw: str, context: str, node: Any, place: str) -> ShownDate:
    label = _label_kind(context)
    return ShownDate(raw, label or _class_kind(node), place, bool(label))


def _scan(nodes: list[Any], place: str, budget: int) -> list[ShownDate]:
    found: list[ShownDate] = []
    context, used = "", 0
    for node in nodes:
        text = squash(str(node))
        if used > budget:
            break
        used += len(text)
        start = 0
        if len(text) > PROSE_CHARS:  # "... hit its 1.0 release on 30 October 2025": told, not a dateline
            context = ""
            continue
        # Most text nodes near a headline hold no digit (names, labels, links): skip the month-name scan for them.
        matches = list(_DATE_IN_TEXT.finditer(text)) if HAS_DIGIT.search(text) else []
        attr = _time_attr(node)
        if not matches and attr:
            found.append(_shown(attr, context + " " + text, node, place))
            context = ""
            continue
        for m in matches:
            context += " " + text[start : m.start()]
            found.append(_shown(m.group(0), context, node, place))
            context, start = "", m.end()
        context += " " + text[start:]
    return found


def _headlines_and_pubdates(tree: Any) -> tuple[list[Any], list[Any]]:
    """The body's `<h1>`s and its `<time pubdate datetime>`s, in page order: what `//body//h1` and
    `//body//time[@pubdate][@datetime]` select, found in one walk of the tree instead of two XPath walks."""
    h1s: list[Any] = []
    pubdates: list[Any] = []
    for el in tree.getroottree().getroot().iter("h1", "time"):
        if next(el.iterancestors("body"), None) is None:
            continue
        if el.tag == "h1":
            h1s.append(el)
        elif el.get("pubdate") is not None and el.get("datetime") is not None:
            pubdates.append(el)
    return h1s, pubdates


def shown_dates(sig: PageSignals) -> list[ShownDate]:
    """Dates printed near the first `<h1>`, nearest after it first; empty when the page has no `<h1>`."""
    h1s, pubdates = _headlines_and_pubdates(sig.tree) if sig.tree is not None else ([], [])
    if not h1s:
        return []
    # An empty <h1> stands where the headline is when the parser moved it out ("<h1><p>Title</p></h1>" is
    # read as "<h1/><p>Title</p>"), so its following text is still the byline block.
    h1 = next((h for h in h1s if squash(h.text_content())), h1s[0])
    # XPath picks the few text nodes around the headline, so the cost does not grow with the page.
    after = _visible(h1.xpath("following::text()[normalize-space()][position() <= 60]"))
    before = _visible(h1.xpath("preceding::text()[normalize-space()][position() <= 12]"))
    # HTML's `<time pubdate>` marks the publication date explicitly, wherever the template puts it.
    pubdate = [ShownDate(t.get("datetime").strip(), "published", "time-pubdate", True)
               for t in pubdates[:1]]
    return (_scan(after, "after-h1", AFTER_H1_CHARS)
            + _scan(_tail_within(before, BEFORE_H1_CHARS), "before-h1", BEFORE_H1_CHARS) + pubdate)


def dated_lines(sig: PageSignals) -> list[ShownDate]:
    """Lines anywhere in the page that label a date as its publication or its last update ("Last updated:
    …", kind "updated"), in page order (place "line").

    The label opens the line, and the date follows it at once or in the next element ("<b>Published:</b>
    <time>…</time>"); lines in comments ("Posted on … at 5:12 pm" under each reply), related lists,
    footers and navigation are someone else's."""
    found: list[ShownDate] = []
    if sig.tree is None:
        return found
    for node in _LINE_XPATH(sig.tree):
        text = squash(str(node))
        label = _LINE_LABEL.match(text)
        el = node.getparent()
        if not label or el is None or el.tag in _SKIP or page_region(el) == "skip":
            continue
        rest = text[label.end():]
        if not rest:  # the label alone: the date is the next text on the page
            following = el.xpath("following::text()[normalize-space()][position() <= 2]")
            rest = squash(str(following[1 if node.is_tail else 0])) if len(following) > node.is_tail else ""
        date = _DATE_IN_TEXT.search(rest)
        if date and date.start() <= _DATE_OPENS_WITHIN:
            found.append(ShownDate(date.group(0), "updated" if label.group("updated") else "published", "line", True))
    return found


def _tail_within(nodes: list[Any], budget: int) -> list[Any]:
    """The last text nodes before the headline, up to `budget` characters."""
    kept: list[Any] = []
    used = 0
    for node in reversed(nodes):
        used += len(node.strip())
        if used > budget:
            break
        kept.append(node)
    return kept[::-1]
