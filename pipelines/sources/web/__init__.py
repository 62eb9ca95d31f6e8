"""Web sources: polite fetching (fetch, guard), feeds and sitemaps (feeds, resolve), the WARC raw store (warc)."""
