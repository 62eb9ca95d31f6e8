"""A fetched response -> a RawDocument for the extractors, or the reason it is not one.

Only HTML, XHTML and plain text are pages; a PDF, an image or a feed fetched as a page is quarantined as
unsupported rather than mangled into text. HTML is decoded here, where the HTTP charset is known (header,
then `<meta>`, then detection; see pipelines.extract.html.decode_html), and handed on as UTF-8, so the
extractor never has to guess an encoding the server declared. The WARC keeps the original bytes.
"""

from __future__ import annotations

from typing import Any

from pipelines.enrich.outlets import canonical_url
from pipelines.extract.decode import decode, looks_binary
from pipelines.extract.html import decode_html
from pipelines.models import QuarantineError, RawDocument

HTML_TYPES = frozenset({"text/html", "application/xhtml+xml"})
TEXT_TYPES = frozenset({"text/plain"})
_SNIFF_HTML = (b"<!doctype html", b"<html", b"<head", b"<body")


def media_type(content_type: str | None) -> str:
    return (content_type or "").split(";", 1)[0].strip().lower()


def _sniff(body: bytes) -> str:
    head = body[:1024].lstrip().lower()
    if head.startswith(b"%pdf"):
        return "application/pdf"
    if head.startswith(_SNIFF_HTML):
        return "text/html"
    return "application/octet-stream" if looks_binary(body) else "text/plain"


def page_document(source: str, requested: str, url: str, content_type: str | None, body: bytes,
                  meta: dict[str, Any]) -> RawDocument:
    """RawDocument for a fetched page; QuarantineError (unsupported type, binary, undecodable) otherwise.

    The locator is the canonical form of the URL as requested (a feed item's link), so a later feed run
    finds it whether or not the page redirected.
    """
    kind = media_type(content_type) or _sniff(body)
    if kind not in HTML_TYPES | TEXT_TYPES:
        raise QuarantineError(f"unsupported content type {kind} (only HTML and plain text pages are extracted)")
    if kind in HTML_TYPES:
        data = decode_html(body, content_type).encode("utf-8")
        ctype = "text/html; charset=utf-8"
    else:
        data = decode(body, (content_type or "").partition("charset=")[2].strip(' "\'') or None).encode("utf-8")
        ctype = "text/plain; charset=utf-8"
    return RawDocument(source=source, locator=canonical_url(requested), data=data, url=url, content_type=ctype,
                       meta=dict(meta))
