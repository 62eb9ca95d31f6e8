"""The web raw store (WARC) as `reindex --re-extract` reads it: indexed web documents -> their stored pages.

A reindex asks for one group of index hits at a time. Scanning the WARC directory per group would read
the whole store once per group, so the first request builds a lookup (locator -> file and offset of the
latest page copy, see warc.page_lookup) and every group then reads only its own records. The lookup holds
no bodies: its size grows with the number of pages, not their bytes.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

from pipelines.models import RawDocument
from pipelines.sources.web.warc import PageRef, page_from, page_lookup, read_response


class WarcRawStore:
    """Implements pipelines.index.reindex.RawStore over `<cache_dir>/raw`, with iter_raw_documents' rules:
    the latest copy of a page whose fetch did not fail, if it is still a page the extractors take."""

    def __init__(self, raw_dir: Path) -> None:
        self.raw_dir = Path(raw_dir)
        self._pages: dict[str, PageRef] | None = None

    def lookup(self) -> dict[str, PageRef]:
        """locator -> where its page is; built on first use (a reindex without web documents never scans)."""
        if self._pages is None:
            self._pages = page_lookup(self.raw_dir)
        return self._pages

    def documents(self, hits: list[dict[str, Any]]) -> Iterator[RawDocument]:
        """RawDocuments for the hits whose page the store holds, under the source name they were indexed with
        (so ids, and the `ok` bookkeeping by locator, match the first ingest)."""
        if not hits:
            return
        pages = self.lookup()
        for hit in hits:
            src = hit["_source"]
            ref = pages.get(src.get("locator") or "")
            if ref is None:
                continue
            resp = read_response(ref.path, ref.offset, ref.info)
            doc = page_from(resp, src.get("source")) if resp is not None else None
            if doc is not None:
                yield doc
