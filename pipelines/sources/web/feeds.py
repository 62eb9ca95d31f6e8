"""RSS 2.0, RSS 1.0 (RDF), Atom, sitemaps and sitemap indexes -> item URLs with feed metadata.

A feed's title, date and author become metadata candidates with provenance `feed` (pipelines.articles
applies them when `meta["_rule"] == "feed"`). A sitemap's `<lastmod>` is when the page last changed, not
when it was published, so it is never taken as a publication date; a Google News sitemap's
`<news:publication_date>` is. XML is parsed with entity resolution and network access off (no XXE).
"""

from __future__ import annotations

import gzip
import zlib
from dataclasses import dataclass, field
from email.utils import parsedate_to_datetime
from typing import Any
from urllib.parse import urljoin

from lxml import etree

_PARSER = etree.XMLParser(resolve_entities=False, no_network=True, huge_tree=False, recover=True)
MAX_XML_BYTES = 50_000_000  # a gzipped sitemap may inflate to this much, no further (50 MB is the protocol cap)


class FeedError(Exception):
    """A feed or sitemap that cannot be read; the message goes to the run report."""


@dataclass
class FeedItem:
    url: str
    title: str | None = None
    published_at: str | None = None
    authors: list[str] = field(default_factory=list)
    updated_at: str | None = None  # Atom's <updated>: the last change the publisher counts as significant

    def meta(self) -> dict[str, Any]:
        """Given values for pipelines.articles, with provenance rule `feed`; empty when the feed said nothing."""
        values = {"title": self.title, "published_at": self.published_at, "updated_at": self.updated_at,
                  "authors": self.authors}
        values = {k: v for k, v in values.items() if v}
        return {**values, "_rule": "feed"} if values else {}


@dataclass
class ParsedFeed:
    kind: str  # rss | rdf | atom | sitemap | sitemapindex
    items: list[FeedItem] = field(default_factory=list)
    sitemaps: list[str] = field(default_factory=list)  # child sitemaps of a sitemap index


def _local(tag: Any) -> str:
    return etree.QName(tag).localname.lower() if isinstance(tag, str) else ""


def _children(node: Any, name: str) -> list[Any]:
    return [c for c in node if _local(c.tag) == name]


def _text(node: Any, *names: str) -> str | None:
    """Text of the first child with one of these local names (namespace-blind: dc:creator, media:title...)."""
    for name in names:
        for child in _children(node, name):
            text = " ".join("".join(child.itertext()).split())
            if text:
                return text
    return None


def _date(text: str | None) -> str | None:
    """RFC 822 (RSS) or ISO 8601 (Atom, sitemaps) to ISO 8601; the plausibility check happens downstream."""
    if not text:
        return None
    try:
        return parsedate_to_datetime(text).isoformat()
    except (TypeError, ValueError, IndexError):
        return text.strip()


def _authors(text: str | None) -> list[str]:
    if not text:
        return []
    # RSS <author> is "email (Name)" by the spec; keep the name.
    if "(" in text and text.endswith(")") and "@" in text.split("(", 1)[0]:
        text = text.split("(", 1)[1][:-1]
    return [a.strip() for a in text.replace(" and ", ",").split(",") if a.strip() and "@" not in a]


def unpack(data: bytes) -> bytes:
    """Gunzip `.xml.gz` sitemaps (served as application/gzip or with the gzip magic), bounded."""
    if data[:2] != b"\x1f\x8b":
        return data
    try:
        inflater = zlib.decompressobj(16 + zlib.MAX_WBITS)
        out = inflater.decompress(data, MAX_XML_BYTES + 1)
    except (zlib.error, gzip.BadGzipFile) as exc:
        raise FeedError(f"corrupt gzip in feed: {exc}") from exc
    if len(out) > MAX_XML_BYTES:
        raise FeedError(f"gzipped feed inflates beyond {MAX_XML_BYTES} bytes")
    return out


def parse_feed(data: bytes, base_url: str) -> ParsedFeed:
    """Any of the supported shapes; relative links are resolved against `base_url`."""
    try:
        root = etree.fromstring(unpack(data), parser=_PARSER)
    except etree.XMLSyntaxError as exc:
        raise FeedError(f"not XML: {exc}") from exc
    if root is None:
        raise FeedError("not XML: empty document")
    kind = _local(root.tag)
    if kind == "rss":
        channel = next(iter(_children(root, "channel")), root)
        return ParsedFeed("rss", _keep([_rss_item(i, base_url) for i in _children(channel, "item")]))
    if kind == "rdf":
        return ParsedFeed("rdf", _keep([_rss_item(i, base_url) for i in _children(root, "item")]))
    if kind == "feed":
        return ParsedFeed("atom", _keep([_atom_entry(e, base_url) for e in _children(root, "entry")]))
    if kind == "urlset":
        return ParsedFeed("sitemap", _keep([_sitemap_url(u, base_url) for u in _children(root, "url")]))
    if kind == "sitemapindex":
        locs = [_text(s, "loc") for s in _children(root, "sitemap")]
        return ParsedFeed("sitemapindex", sitemaps=[urljoin(base_url, loc) for loc in locs if loc])
    if kind == "html":
        raise FeedError("an HTML page, not a feed or sitemap")
    raise FeedError(f"unknown feed format (root element <{kind}>)")


def _keep(items: list[FeedItem]) -> list[FeedItem]:
    return [i for i in items if i.url]


def _rss_item(item: Any, base: str) -> FeedItem:
    link = _text(item, "link")
    if not link:
        guid = next(iter(_children(item, "guid")), None)
        if guid is not None and guid.get("isPermaLink", "true").lower() == "true" and guid.text:
            link = guid.text.strip()
    return FeedItem(
        url=urljoin(base, link) if link else "",
        title=_text(item, "title"),
        published_at=_date(_text(item, "pubdate", "date", "published")),
        authors=_authors(_text(item, "creator", "author")),
    )


def _atom_entry(entry: Any, base: str) -> FeedItem:
    links = _children(entry, "link")
    chosen = next((lk for lk in links if lk.get("rel", "alternate") == "alternate" and lk.get("href")), None)
    href = chosen.get("href") if chosen is not None else None
    authors = [name for a in _children(entry, "author") if (name := _text(a, "name"))]
    return FeedItem(
        url=urljoin(base, href.strip()) if href else "",
        title=_text(entry, "title"),
        published_at=_date(_text(entry, "published", "issued")),  # <updated> is a change, not publication
        authors=authors,
        updated_at=_date(_text(entry, "updated", "modified")),
    )


def _sitemap_url(node: Any, base: str) -> FeedItem:
    loc = _text(node, "loc")
    news = next(iter(_children(node, "news")), None)
    title = date = None
    if news is not None:
        title = _text(news, "title")
        date = _date(_text(news, "publication_date"))
    return FeedItem(url=urljoin(base, loc) if loc else "", title=title, published_at=date)
