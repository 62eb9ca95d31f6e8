"""JSON / JSONL export records: news-please dumps and news API responses.

Each field is read from the first key that has a value, in the order written in `KEYS` (news-please
names first, then the common API names). The text goes through the same cleaning as plain text; HTML
inside a text field is flattened to paragraphs. A record with no article text at all is quarantined
with a reason that names the keys it does have.
"""

from __future__ import annotations

import html
import re
from datetime import UTC, datetime
from typing import Any

from pipelines.enrich.byline_names import split_author_field
from pipelines.enrich.dates import plausible
from pipelines.extract.cleaning import clean_summary, normalize_space
from pipelines.extract.mojibake import repair_mojibake
from pipelines.extract.text import clean_body, set_date, set_url
from pipelines.models import Extraction, QuarantineError

KEYS = {
    "title": ("title", "headline"),
    "url": ("url", "link", "canonical_url", "webUrl", "web_url"),
    "published_at": ("date_publish", "publishedAt", "published_at", "published", "datePublished", "pubDate", "date"),
    "updated_at": ("date_modify", "dateModified", "updatedAt", "updated_at", "modified", "lastModified", "updated"),
    "authors": ("authors", "author", "byline", "creator", "creators"),
    "text": ("maintext", "content", "text", "body", "articleBody", "article_body", "full_text", "fulltext"),
    "summary": ("description", "summary", "abstract", "dek", "excerpt"),
    "language_hint": ("language", "lang"),
    "site_name": ("source", "source_name", "site_name", "outlet", "publisher", "source_domain"),
}
_NOT_PUBLISHED = (*KEYS["updated_at"], "date_download")  # a change or a crawl, never the publication
_TRUNCATED = re.compile(r"\s*(?:…|\.\.\.)?\s*\[\+\d+ chars\]\s*$")  # news API "content" previews
_HTML_BREAK = re.compile(r"<\s*(?:br|/p|/div|/h\d|/li|p|div|h\d|li)\b[^>]*>", re.IGNORECASE)
_HTML_TAG = re.compile(r"<[^>]{0,400}>")


def _value(record: dict[str, Any], names: tuple[str, ...]) -> tuple[str, Any] | None:
    """The first key with a non-empty value."""
    for name in names:
        value = record.get(name)
        if value not in (None, "", [], {}):
            return name, value
    return None


def _as_text(value: Any) -> str:
    """A scalar, or the name/text of a nested object ({"name": "CNN"}), as a string, mojibake repaired."""
    if isinstance(value, dict):
        value = value.get("name") or value.get("title") or value.get("text") or value.get("value") or ""
    if isinstance(value, list):
        return "\n\n".join(_as_text(v) for v in value)
    return "" if value is None else repair_mojibake(str(value))


def _flatten_html(text: str) -> str:
    if "<" not in text or not _HTML_TAG.search(text):
        return text
    return html.unescape(_HTML_TAG.sub("", _HTML_BREAK.sub("\n\n", text)))


def extract_record(record: dict[str, Any]) -> Extraction:
    """One export record in, an Extraction (format "json") out; QuarantineError when it has no text."""
    ex = Extraction(text="", format="json")
    if found := _value(record, KEYS["title"]):
        title = normalize_space(_flatten_html(_as_text(found[1])))
        if title:
            ex.accept("title", title, f"json:{found[0]}")
    if found := _value(record, KEYS["url"]):
        set_url(ex, normalize_space(_as_text(found[1])), f"json:{found[0]}")
    if found := _value(record, KEYS["published_at"]):
        _set_date(ex, found[1], f"json:{found[0]}")
    for name in _NOT_PUBLISHED:
        if record.get(name) and not ex.published_at:
            ex.propose("published_at", record[name], f"json:{name}", False, "not a publication date")
    if found := _value(record, KEYS["updated_at"]):
        _set_date(ex, found[1], f"json:{found[0]}", "updated_at")
    if found := _value(record, KEYS["authors"]):
        _set_authors(ex, found[1], f"json:{found[0]}")
    if found := _value(record, KEYS["summary"]):
        ex.summary = clean_summary(_flatten_html(_as_text(found[1])))
    if found := _value(record, KEYS["language_hint"]):
        ex.language_hint = normalize_space(_as_text(found[1])).lower() or None
    if found := _value(record, KEYS["site_name"]):
        ex.site_name = normalize_space(_as_text(found[1])) or None

    found = _value(record, KEYS["text"])
    raw = _flatten_html(_as_text(found[1])) if found else ""
    if found and (marker := _TRUNCATED.search(raw)):
        ex.propose("text", marker.group(0).strip(), f"json:{found[0]}", False, "text is a truncated API preview")
        raw = _TRUNCATED.sub("", raw)
    ex.text = clean_body(raw, ex)
    if not ex.text:
        present = ", ".join(sorted(k for k, v in record.items() if v not in (None, "", [], {}))) or "none"
        wanted = "/".join(KEYS["text"][:4])
        detail = "only a description/summary" if ex.summary else "no text field"
        raise QuarantineError(f"record has no article text ({detail}; looked for {wanted}...; keys present: {present})")
    return ex



def _set_date(ex: Extraction, value: Any, rule: str, field: str = "published_at") -> None:
    """ISO strings, written dates and epoch numbers (seconds or milliseconds)."""
    if isinstance(value, bool):
        ex.propose(field, value, rule, False, "not a date")
        return
    if isinstance(value, (int, float)):
        seconds = value / 1000 if value > 1e11 else value
        try:
            moment = datetime.fromtimestamp(seconds, tz=UTC)
        except (OverflowError, OSError, ValueError):
            moment = None
        if moment is None or not plausible(moment.date()):
            ex.propose(field, value, rule, False, "epoch number is not a plausible date")
            return
        value = moment.isoformat()
    set_date(ex, normalize_space(_as_text(value)), rule, field)


def _set_authors(ex: Extraction, value: Any, rule: str) -> None:
    items = value if isinstance(value, list) else [value]
    people: list[str] = []
    organisations: list[str] = []
    for item in items:
        found_people, found_orgs = split_author_field(_as_text(item))
        people += [p for p in found_people if p not in people]
        organisations += [o for o in found_orgs if o not in organisations]
    if people or organisations:
        ex.authors, ex.organizations = people, organisations
        ex.provenance["authors"] = rule
        ex.propose("authors", people + organisations, rule, True)
