"""Tagged text exports: `<TITLE>...</TITLE>`, PUBLISHED_DATE, URL, AUTHOR, SUMMARY, HIGHLIGHTS, CONTENT.

Tolerant by design: an opening tag counts only at the start of a line (so "<NATO>" inside prose is text),
a tag left open ends at the next opening tag or at the end of the file, unknown UPPERCASE tags are
skipped (and listed as candidates), and a missing tag just leaves its field unknown. CONTENT goes through
the same header reading and paragraph cleaning as plain text; without CONTENT, untagged text is used.
"""

from __future__ import annotations

import re

from pipelines.enrich.byline_names import split_author_field
from pipelines.extract.cleaning import clean_summary, normalize_space
from pipelines.extract.text import clean_body, set_date, set_url
from pipelines.models import Extraction, QuarantineError

_TAG = re.compile(r"<(/?)([A-Z][A-Z0-9_]{0,40})>")
_LINE_START_TAG = re.compile(r"^[ \t]*<([A-Z][A-Z0-9_]{0,40})>", re.MULTILINE)
# Uppercase HTML from the 1990s is HTML, not a tagged export.
_HTML_LIST = """HTML HEAD BODY P DIV BR META SCRIPT STYLE A B I U TABLE TR TD TH SPAN H1 H2 H3 H4 H5 H6 FONT CENTER
LINK UL OL LI FORM IMG HR PRE EM STRONG NOSCRIPT IFRAME"""
_HTML_TAGS = frozenset(_HTML_LIST.split())
FIELD_TAGS = {
    "title": ("TITLE", "HEADLINE"),
    "published_at": ("PUBLISHED_DATE", "DATE_PUBLISHED", "PUBLICATION_DATE", "PUBLISHED", "PUBDATE", "DATE"),
    "updated_at": ("UPDATED", "UPDATED_DATE", "LAST_UPDATED", "MODIFIED", "MODIFIED_DATE", "DATE_MODIFIED"),
    "url": ("URL", "LINK", "SOURCE_URL", "CANONICAL_URL"),
    "authors": ("AUTHOR", "AUTHORS", "BYLINE"),
    "summary": ("SUMMARY", "DESCRIPTION", "ABSTRACT", "DEK"),
    "text": ("CONTENT", "TEXT", "BODY_TEXT", "MAINTEXT", "ARTICLE"),
    "language_hint": ("LANGUAGE", "LANG"),
    "site_name": ("SOURCE", "SITE", "SITE_NAME", "OUTLET", "PUBLISHER"),
}
_IGNORED = ("HIGHLIGHTS",)  # quotes lifted from the body: indexing them would count them twice
KNOWN_TAGS = frozenset(t for tags in FIELD_TAGS.values() for t in tags) | set(_IGNORED)


def looks_tagged(text: str) -> bool:
    """Two or more different line-start UPPERCASE tags, or one known tag; never uppercase HTML."""
    names = [m.group(1) for m in _LINE_START_TAG.finditer(text[:20000])]
    if not names or _HTML_TAGS.intersection(names):
        return False
    return len(set(names)) >= 2 or names[0] in KNOWN_TAGS


def parse_tags(text: str) -> tuple[dict[str, str], str]:
    """Split a tagged export into {TAG: value} (repeated tags joined by a blank line) and the untagged text."""
    fields: dict[str, str] = {}
    outside: list[str] = []
    current: str | None = None
    start = 0

    def close(name: str, end: int) -> None:
        value = text[start:end]
        fields[name] = f"{fields[name]}\n\n{value}" if name in fields else value

    for m in _TAG.finditer(text):
        closing, name = m.group(1) == "/", m.group(2)
        at_line_start = not text[text.rfind("\n", 0, m.start()) + 1 : m.start()].strip()
        if closing and name == current:
            close(current, m.start())
            current, start = None, m.end()
        elif not closing and at_line_start:
            if current is None:
                outside.append(text[start : m.start()])
            else:
                close(current, m.start())  # the previous tag was never closed
            current, start = name, m.end()
    if current is None:
        outside.append(text[start:])
    else:
        close(current, len(text))
    return fields, "\n".join(outside)


def _first(fields: dict[str, str], names: tuple[str, ...]) -> tuple[str, str] | None:
    for name in names:
        if normalize_space(fields.get(name, "")):
            return name, fields[name]
    return None


def extract_tagged(text: str) -> Extraction:
    """A tagged export in, an Extraction (format "tagged") out; QuarantineError when there is no text at all."""
    fields, outside = parse_tags(text)
    ex = Extraction(text="", format="tagged")
    for name in fields:
        if name not in KNOWN_TAGS:
            ex.propose("tag", name, f"tag:{name}", False, "unknown tag ignored")
    if found := _first(fields, FIELD_TAGS["title"]):
        ex.accept("title", normalize_space(found[1]), f"tag:{found[0]}")
    if found := _first(fields, FIELD_TAGS["published_at"]):
        set_date(ex, normalize_space(found[1]), f"tag:{found[0]}")
    if found := _first(fields, FIELD_TAGS["updated_at"]):
        reason = "an update time is not the publication date"
        ex.propose("published_at", normalize_space(found[1]), f"tag:{found[0]}", False, reason)
        set_date(ex, normalize_space(found[1]), f"tag:{found[0]}", "updated_at")
    if found := _first(fields, FIELD_TAGS["url"]):
        set_url(ex, normalize_space(found[1]), f"tag:{found[0]}")
    if found := _first(fields, FIELD_TAGS["authors"]):
        ex.authors, ex.organizations = split_author_field(found[1])
        ex.provenance["authors"] = f"tag:{found[0]}"
        ex.propose("authors", ex.authors + ex.organizations, f"tag:{found[0]}", True)
    if found := _first(fields, FIELD_TAGS["summary"]):
        ex.summary = clean_summary(found[1])
    if found := _first(fields, FIELD_TAGS["language_hint"]):
        ex.language_hint = normalize_space(found[1]).lower()
    if found := _first(fields, FIELD_TAGS["site_name"]):
        ex.site_name = normalize_space(found[1])

    found = _first(fields, FIELD_TAGS["text"])
    body = found[1] if found else outside
    ex.text = clean_body(body, ex)
    if not ex.text:
        tags = ", ".join(sorted(fields)) or "none"
        raise QuarantineError(f"tagged export has no article text (no CONTENT and no untagged text; tags: {tags})")
    return ex

