"""Turn what a person gave (URLs, feeds, sitemaps) into one list of page URLs to fetch, each once.

Sitemap indexes are followed level by level (each level fetched concurrently) down to MAX_DEPTH, at most
MAX_SITEMAPS files in all, each sitemap once. URLs are deduplicated by their canonical form
(pipelines.enrich.outlets.canonical_url: tracking parameters and fragments dropped); a URL given directly
and also listed in a feed keeps the feed's metadata.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from pipelines.enrich.outlets import canonical_url
from pipelines.sources.web.feeds import FeedError, FeedItem, parse_feed
from pipelines.sources.web.fetch import WebFetcher

MAX_DEPTH = 3
MAX_SITEMAPS = 1000


@dataclass
class Resolved:
    items: list[FeedItem] = field(default_factory=list)
    failures: list[tuple[str, str]] = field(default_factory=list)  # (feed or sitemap URL, reason)
    feeds_read: int = 0


def resolve(fetcher: WebFetcher, urls: list[str], feeds: list[str], sitemaps: list[str]) -> Resolved:
    out = Resolved()
    by_canon: dict[str, FeedItem] = {}

    def add(item: FeedItem) -> None:
        key = canonical_url(item.url)
        known = by_canon.get(key)
        if known is None:
            by_canon[key] = item
        elif not known.meta() and item.meta():
            by_canon[key] = FeedItem(known.url, item.title, item.published_at, item.authors)

    for url in urls:
        add(FeedItem(url.strip()))
    pending, seen, depth = list(dict.fromkeys(feeds + sitemaps)), set(), 0
    while pending and depth <= MAX_DEPTH:
        batch = [u for u in pending if u not in seen][: max(0, MAX_SITEMAPS - len(seen))]
        seen.update(batch)
        pending = []
        for result in fetcher.fetch_many(batch, purpose="feed"):
            if not result.ok:
                out.failures.append((result.url, f"feed or sitemap not read: {result.error}"))
                continue
            try:
                parsed = parse_feed(result.body, result.final_url)
            except FeedError as exc:
                out.failures.append((result.url, f"feed or sitemap not read: {exc}"))
                continue
            out.feeds_read += 1
            for item in parsed.items:
                add(item)
            pending.extend(parsed.sitemaps)
        depth += 1
    out.items = list(by_canon.values())
    return out
