"""HTML pages -> Extraction: main text via trafilatura, metadata via ordered rules with provenance.

Bytes are decoded by BOM, then valid UTF-8, then the declared charset (HTTP header or `<meta charset>`),
then detection: a page that is valid UTF-8 is UTF-8 whatever its stale meta tag says, and latin-1 labels
mean windows-1252 as browsers read them. Title, authors and date come from pipelines.enrich (titles,
authors, html_dates); trafilatura's own metadata is only their last fallback.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any

from trafilatura import bare_extraction
from trafilatura.metadata import extract_author, extract_sitename, extract_title
from trafilatura.utils import load_html

from pipelines.enrich.authors import choose_authors
from pipelines.enrich.html_dates import choose_date
from pipelines.enrich.metadata_html import PageSignals, gather, parse_tree, site_names, squash
from pipelines.enrich.outlets import canonical_url, dayfirst_for, lookup_outlet
from pipelines.enrich.titles import choose_title
from pipelines.extract.decode import decode
from pipelines.extract.mojibake import repair_mojibake
from pipelines.models import Extraction, QuarantineError

# Settings measured on the WCXB dev split with benchmarks/quality.py (see the README figures).
TRAFILATURA_OPTIONS: dict[str, Any] = {
    "include_comments": False,
    "include_tables": True,
    "favor_precision": False,
    "favor_recall": False,
    "deduplicate": False,
}
MIN_TEXT_CHARS = 40
_META_CHARSET = re.compile(rb"""<meta[^>]+charset\s*=\s*["']?\s*([A-Za-z0-9_.:-]+)""", re.I)
_HEADER_CHARSET = re.compile(r"charset\s*=\s*[\"']?([A-Za-z0-9_.:-]+)", re.I)
_CHARSET_ALIASES = {
    "iso-8859-1": "cp1252", "latin-1": "cp1252", "latin1": "cp1252", "us-ascii": "cp1252", "ascii": "cp1252",
    "x-sjis": "shift_jis", "sjis": "shift_jis", "windows-31j": "cp932", "gb2312": "gb18030", "gbk": "gb18030",
    "x-mac-roman": "mac_roman", "utf8": "utf-8", "unicode": "utf-8",
}


def declared_charset(data: bytes, content_type: str | None = None) -> str | None:
    """Charset from the HTTP Content-Type, else from a `<meta>` in the first 4 KiB; None when absent."""
    m = _HEADER_CHARSET.search(content_type or "") or _META_CHARSET.search(data[:4096])
    if not m:
        return None
    name = (m.group(1).decode("ascii", "replace") if isinstance(m.group(1), bytes) else m.group(1)).lower()
    return _CHARSET_ALIASES.get(name, name)


def decode_html(data: bytes, content_type: str | None = None) -> str:
    if not data.startswith((b"\xef\xbb\xbf", b"\xff\xfe", b"\xfe\xff")):
        try:
            return repair_mojibake(data.decode("utf-8"))
        except UnicodeDecodeError:
            pass
    return decode(data, declared_charset(data, content_type))


def _bare(page: Any, url: str | None, **overrides: bool) -> Any:
    """trafilatura's main-text extraction with our settings; its bugs on odd markup quarantine one page."""
    try:
        return bare_extraction(page, url=url, with_metadata=False, **{**TRAFILATURA_OPTIONS, **overrides})
    except Exception as exc:  # a crash must quarantine one page, not stop a batch
        raise QuarantineError(f"HTML could not be parsed for text ({type(exc).__name__}); check the file") from exc


def _text_of(doc: Any) -> str:
    return (getattr(doc, "text", None) or "").strip() if doc is not None else ""


def extract_html(html: str | bytes, *, url: str | None = None, content_type: str | None = None) -> Extraction:
    """Main text and metadata of one HTML page; QuarantineError when there is no article text."""
    text = decode_html(html, content_type) if isinstance(html, bytes) else html
    if not text.strip():
        raise QuarantineError("empty HTML document: nothing to extract")
    tree = _parse(text)
    sig: PageSignals = gather(tree, url)
    # Metadata are ours (below); trafilatura's would run htmldate and dateparser on every page.
    # It gets the tree already parsed (it works on a copy), so each page is parsed once.
    page = tree if tree is not None else text
    body = _text_of(_bare(page, url))
    if len(body) < MIN_TEXT_CHARS:
        # Precision mode finds nothing in some templates whose article is wrapped in unusual containers;
        # recall mode reads them. Asked only here, so it costs nothing on the pages that already have text.
        body = _text_of(_bare(page, url, favor_recall=True))
    if len(body) < MIN_TEXT_CHARS:
        raise QuarantineError(
            "no article text found in the HTML (a navigation, index, login or error page?); "
            "if it is an article, save the full page or give its text as a plain file"
        )
    ext = Extraction(text=body, format="html", url=url)
    ext.summary = sig.meta("description", "og:description") or None
    ext.language_hint = (sig.lang or "").split("-")[0].split("_")[0].lower() or None

    canon = sig.canonical or sig.meta("og:url")
    if canon and canon.startswith("/") and url:
        from urllib.parse import urljoin

        canon = urljoin(url, canon)
    if canon and re.match(r"https?://", canon, re.I):
        ext.canonical_url = canonical_url(canon)
        ext.provenance["canonical_url"] = "link:canonical" if sig.canonical else "og:url"
    elif url:
        ext.canonical_url = canonical_url(url)
        ext.provenance["canonical_url"] = "url"
    if ext.canonical_url:
        ext.propose("canonical_url", ext.canonical_url, ext.provenance["canonical_url"], True)
    if not ext.url and ext.canonical_url:
        ext.url = ext.canonical_url
        sig.url = ext.canonical_url
        ext.provenance["url"] = ext.provenance["canonical_url"]

    names = site_names(sig)
    outlet = lookup_outlet(ext.url) if ext.url else None
    if outlet:
        ext.site_name, ext.provenance["outlet"] = outlet.name, "registry"
    elif names:
        ext.site_name, ext.provenance["outlet"] = names[0], "site_name"
    elif (fallback_site := _trafilatura(extract_sitename, tree)) and len(fallback_site.split()) <= 4:
        ext.site_name, ext.provenance["outlet"] = squash(fallback_site), "trafilatura"  # longer: it took a title
    if ext.site_name and ext.site_name not in names:
        names.append(ext.site_name)

    choose_title(ext, sig, site_names=names, fallback=_trafilatura(extract_title, tree))
    choose_authors(ext, sig, site_names=names, fallback=lambda: _trafilatura(extract_author, tree))
    choose_date(ext, sig, html=text, dayfirst=dayfirst_for(ext.url, sig.lang))
    return ext


def _parse(text: str) -> Any:
    """The page's tree as trafilatura parses it (so its text is the same as from the string), else ours."""
    try:
        tree = load_html(text)
    except Exception:
        tree = None
    return tree if tree is not None and tree.tag == "html" else parse_tree(text)


def _trafilatura(rule: Callable[[Any], str | None], tree: Any) -> str | None:
    """One of trafilatura's own metadata rules, as a last fallback; it must never fail a page."""
    if tree is None:
        return None
    try:
        return rule(tree)
    except Exception:
        return None
