"""Deterministic identities: document ids and content hashes.

The id comes from the canonical URL when one is known (the same article fetched twice, or saved
under two names, is one document), otherwise from source + locator, so reruns overwrite.
The content hash is over normalised clean text, so whitespace or case changes are not "new".
"""

from __future__ import annotations

import hashlib


def _digest(*parts: str) -> str:
    return hashlib.sha256("\x1f".join(parts).encode("utf-8")).hexdigest()


def document_id(canonical_url: str | None, source: str, locator: str) -> str:
    if canonical_url:
        return _digest("url", canonical_url)[:32]
    return _digest("path", source, locator)[:32]


def content_hash(text: str) -> str:
    # str.split() splits on exactly the characters `\s` matches, so this equals re.sub(r"\s+", " ", text)
    # .strip() (hashes of indexed documents stay valid) at a third of the cost.
    return _digest(" ".join(text.split()).lower())


def raw_hash(data: bytes, meta: dict | None = None) -> str:
    """Hash of the input as read (plus its sidecar values): equal means nothing to re-extract."""
    h = hashlib.sha256(data)
    if meta:
        h.update(repr(sorted(meta.items())).encode("utf-8"))
    return h.hexdigest()
