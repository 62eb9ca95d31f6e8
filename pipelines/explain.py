"""Extraction without a cluster: Articles (and the candidates behind each field) for `newsindex extract`."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

from pipelines.articles import build_article, extract
from pipelines.enrich.fingerprints import raw_hash
from pipelines.models import Article, Candidate, QuarantineError
from pipelines.settings import Settings
from pipelines.sources.files import discover, read_documents


@dataclass
class Explained:
    locator: str
    path: str | None
    article: Article | None = None
    candidates: list[Candidate] = field(default_factory=list)
    error: str | None = None


def explain_paths(paths: list[str | Path], settings: Settings, source: str = "files") -> Iterator[Explained]:
    """Every document under the paths, extracted and enriched; bad input yields an error, never raises."""
    for ref in discover(paths):
        try:
            docs = list(read_documents(ref, source, settings.max_file_bytes))
        except QuarantineError as exc:
            yield Explained(ref.locator, ref.path, error=str(exc))
            continue
        for doc in docs:
            try:
                ex = extract(doc)
                doc.meta["_raw_hash"] = raw_hash(doc.data, doc.meta)
                article = build_article(doc, ex, run_id=None, lang_cap=settings.language_sample_chars,
                                        lang_min=settings.min_language_chars)
            except QuarantineError as exc:
                yield Explained(doc.locator, doc.path, error=str(exc))
                continue
            yield Explained(doc.locator, doc.path, article, ex.candidates)
