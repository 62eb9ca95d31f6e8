"""One document from raw bytes to an Article: detect format -> extract -> apply given values -> enrich.

Given values (sidecar, manifest, feed) win over anything read from the document, and every
field says which rule produced it, so a researcher can judge a value before trusting it.
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from pipelines.enrich import outlets
from pipelines.enrich.dates import parse_date
from pipelines.enrich.fingerprints import content_hash, document_id
from pipelines.enrich.html_dates import date_from_url
from pipelines.enrich.language import detect_language
from pipelines.extract.decode import decode
from pipelines.extract.html import extract_html
from pipelines.extract.records import extract_record
from pipelines.extract.tagged import extract_tagged, looks_tagged
from pipelines.extract.text import AMBIGUOUS_ORDER, extract_plain
from pipelines.models import PROVENANCE_FIELDS, Article, Extraction, QuarantineError, RawDocument
from pipelines.sources.files import logical_suffix

HTML_SUFFIXES = {".html", ".htm", ".xhtml"}


def detect_format(doc: RawDocument, text: str | None) -> str:
    if doc.record is not None:
        return "json"
    suffix = logical_suffix(doc.path or doc.locator)
    ctype = (doc.content_type or "").lower()
    if suffix in HTML_SUFFIXES or "html" in ctype:
        return "html"
    head = (text or "")[:1024].lstrip().lower()
    if head.startswith(("<!doctype html", "<html")):
        return "html"
    if text is not None and looks_tagged(text):
        return "tagged"
    return "plain"


def extract(doc: RawDocument) -> Extraction:
    """Run the extractor that fits the document; raises QuarantineError with a reason."""
    if doc.meta.get("error"):
        raise QuarantineError(doc.meta["error"])
    if doc.record is not None:
        return extract_record(doc.record)
    suffix = logical_suffix(doc.path or doc.locator)
    if suffix in HTML_SUFFIXES or "html" in (doc.content_type or "").lower():
        return extract_html(doc.data, url=doc.url or doc.meta.get("url"))
    text = decode(doc.data)
    fmt = detect_format(doc, text)
    if fmt == "html":
        return extract_html(doc.data, url=doc.url or doc.meta.get("url"))
    if fmt == "tagged":
        return extract_tagged(text)
    return extract_plain(text)


def _apply_given(ex: Extraction, meta: dict[str, Any]) -> None:
    """Sidecar / manifest / feed values win; the extractor's value is kept as a rejected candidate."""
    rule = meta.get("_rule", "sidecar")
    for name in ("title", "url", "published_at", "updated_at", "authors"):
        given = meta.get(name)
        if given in (None, "", []):
            continue
        if name == "authors" and isinstance(given, str):
            given = [a.strip() for a in given.split(",") if a.strip()]
        if name in _DATE_FIELDS:
            parsed = parse_date(str(given))
            if parsed is None:
                ex.propose(name, given, rule, False, "given date is not a plausible date")
                continue
            given = parsed.value
        current = getattr(ex, name)
        if current not in (None, "", []) and current != given:
            ex.propose(name, current, ex.provenance.get(name, "extracted"), False, f"overridden by {rule}")
        ex.accept(name, given, rule)


def _date_from_url(ex: Extraction) -> None:
    if ex.published_at or not ex.url:
        return
    found = date_from_url(ex.url)
    if found:
        ex.accept("published_at", found.value, "url-path")


_DATE_FIELDS = ("published_at", "updated_at")


def _resolve_day_month(ex: Extraction, lang: str | None) -> None:
    """A written date whose day/month order was ambiguous is read in the outlet's locale once the URL is known
    (or the language once it is detected)."""
    if ex.published_at and ex.updated_at:
        return
    dayfirst = outlets.dayfirst_for(ex.url, lang)
    if dayfirst is None:
        return
    for cand in list(ex.candidates):
        if cand.field in _DATE_FIELDS and cand.reason == AMBIGUOUS_ORDER and not getattr(ex, cand.field):
            parsed = parse_date(str(cand.value), dayfirst=dayfirst)
            if parsed:
                order = "day first" if dayfirst else "month first"
                rule = f"{cand.rule}+locale"
                ex.accept(cand.field, parsed.value, rule, f"{cand.value!r} read {order} (outlet locale)")


def drop_early_update(ex: Extraction) -> None:
    """An update dated before the publication is a template's or a CMS's slip, not a revision: unknown."""
    if ex.updated_at and ex.published_at and ex.updated_at[:10] < ex.published_at[:10]:
        ex.propose("updated_at", ex.updated_at, ex.provenance.pop("updated_at", ""), False,
                   f"before the publication date ({ex.published_at[:10]})")
        ex.updated_at = None


def build_article(doc: RawDocument, ex: Extraction, *, run_id: str | None, lang_cap: int, lang_min: int) -> Article:
    """Enrich an Extraction into the indexed record.

    A given URL (sidecar, manifest, feed) replaces the extracted one before any URL-based rule runs, so it
    feeds the date in the path, the day/month locale, the outlet and the canonical id for text and HTML alike.
    """
    meta = doc.meta or {}
    _apply_given(ex, meta)
    if doc.url and not ex.url:
        ex.url = doc.url
        ex.provenance.setdefault("url", "fetched")
    _resolve_day_month(ex, ex.language_hint)
    _date_from_url(ex)
    text = ex.text.strip()
    if not text:
        raise QuarantineError("no article text found")

    if meta.get("url") and meta.get("_rule", "sidecar") == "sidecar" and ex.url == meta["url"]:
        # A person's URL beats the page's own <link rel=canonical> (a saved copy may carry a mirror's).
        if ex.canonical_url and outlets.canonical_url(ex.url) != ex.canonical_url:
            ex.propose("canonical_url", ex.canonical_url, ex.provenance.get("canonical_url", "page"), False,
                       "the sidecar URL wins")
        ex.canonical_url = outlets.canonical_url(ex.url)
        ex.propose("canonical_url", ex.canonical_url, "sidecar:url", True, "tracking parameters removed")
    canonical = outlets.canonical_url(ex.canonical_url or ex.url) if (ex.canonical_url or ex.url) else None
    domain = outlets.registered_domain(canonical or ex.url) if (canonical or ex.url) else None
    outlet_name, outlet_rule = _outlet(meta, domain, ex.site_name)
    _propose_outlets(ex, meta, domain, outlet_name, outlet_rule)

    lang = detect_language(text, meta.get("language") or ex.language_hint, cap=lang_cap, min_chars=lang_min)
    _propose_languages(ex, meta, lang)
    language = str(meta["language"]).lower() if meta.get("language") else lang.language
    _resolve_day_month(ex, language)  # no outlet locale known: "12/03/2024" in a French text is 12 March
    drop_early_update(ex)
    provenance = {k: v for k, v in ex.provenance.items() if v and k in PROVENANCE_FIELDS}
    provenance["language"] = meta.get("_rule", "sidecar") if meta.get("language") else lang.rule
    if outlet_rule:
        provenance["outlet"] = outlet_rule
    if not ex.authors:
        provenance.pop("authors", None)

    return Article(
        id=document_id(canonical, doc.source, doc.locator),
        url=ex.url,
        canonical_url=canonical,
        outlet=outlet_name,
        outlet_domain=domain,
        title=ex.title,
        authors=ex.authors,
        organizations=ex.organizations,
        published_at=ex.published_at,
        updated_at=ex.updated_at,
        language=language,
        language_confidence=lang.confidence,
        text=text,
        summary=ex.summary,
        word_count=len(text.split()),
        content_hash=content_hash(text),
        source=doc.source,
        source_path=doc.path or doc.url,
        locator=doc.locator,
        raw_hash=meta.get("_raw_hash"),
        format=ex.format,
        ingested_at=datetime.now(UTC).isoformat(timespec="seconds"),
        run_id=run_id,
        provenance=provenance,
    )


def _propose_outlets(ex: Extraction, meta: dict[str, Any], domain: str | None, name: str | None,
                     rule: str | None) -> None:
    """Record the outlet chosen and the names it beat, for `extract --explain`."""
    if name:
        ex.propose("outlet", name, rule or "", True)
    known = outlets.lookup_outlet(domain) if domain else None
    for value, why in ((known.name if known else None, "registry"), (ex.site_name, "site_name"), (domain, "domain")):
        if value and value != name:
            ex.propose("outlet", value, why, False, f"{rule} preferred")


def _propose_languages(ex: Extraction, meta: dict[str, Any], lang: Any) -> None:
    """The page's declared language and the detector's guess, whichever lost and why."""
    given = str(meta["language"]).lower() if meta.get("language") else None
    hint = ex.language_hint
    if given and lang.detected and lang.detected != given:
        ex.propose("language", lang.detected, "langdetect", False, f"overridden by {meta.get('_rule', 'sidecar')}")
    if hint and not given and lang.language != hint.split("-")[0]:
        ex.propose("language", hint, "hint", False, f"detector says {lang.language} with p={lang.confidence}")
    if lang.rule == "hint-over-langdetect" and lang.detected:
        ex.propose("language", lang.detected, "langdetect", False, f"p={lang.confidence} below the hint threshold")


def _outlet(meta: dict[str, Any], domain: str | None, site_name: str | None) -> tuple[str | None, str | None]:
    if meta.get("outlet"):
        return str(meta["outlet"]), meta.get("_rule", "sidecar")
    known = outlets.lookup_outlet(domain) if domain else None
    if known:
        return known.name, "registry"
    if site_name:
        return site_name, "site_name"
    if domain:
        return domain, "domain:unregistered"
    return None, None
