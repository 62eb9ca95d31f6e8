"""Export every hit of a search as CSV or JSONL, for pandas or R, in flat memory.

Hits stream through a point in time and search_after (`search.scan`), one page at a time, straight
into the output file, so a million-hit export costs no more memory than a thousand-hit one.
CSV cells hold lists joined with "; " and objects (provenance) as JSON; JSONL keeps the types.
"""

from __future__ import annotations

import csv
import json
import time
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from typing import Any, Literal, TextIO

from elasticsearch import Elasticsearch

from pipelines.index.lifecycle import mapping_properties
from pipelines.index.search import SearchRequest, count, scan

Format = Literal["csv", "jsonl"]
DEFAULT_FIELDS = ("id", "title", "outlet", "outlet_domain", "authors", "published_at", "updated_at", "language", "url",
                  "source", "story_id", "duplicate_of", "word_count", "ingested_at")
LIST_SEPARATOR = "; "
Progress = Callable[[int, int], None]  # (written so far, total)


@dataclass
class ExportStats:
    total: int
    written: int
    seconds: float
    fields: list[str]

    @property
    def docs_per_second(self) -> float:
        return self.written / self.seconds if self.seconds > 0 else 0.0


def known_fields() -> list[str]:
    """Top-level fields of the mapping, in the template's order: what `--fields` may name."""
    return list(mapping_properties())


def check_fields(fields: Iterable[str] | None) -> list[str]:
    chosen = [f.strip() for f in (fields or DEFAULT_FIELDS) if f.strip()]
    unknown = [f for f in chosen if f not in known_fields()]
    if unknown:
        raise ValueError(f"unknown field(s) {', '.join(unknown)}; known: {', '.join(known_fields())}")
    if not chosen:
        raise ValueError("no fields to export")
    return chosen


def cell(value: Any) -> str:
    """One CSV cell: empty for unknown, lists joined, objects as JSON."""
    if value is None:
        return ""
    if isinstance(value, list):
        return LIST_SEPARATOR.join(str(v) for v in value)
    if isinstance(value, dict):
        return json.dumps(value, ensure_ascii=False, sort_keys=True)
    return str(value)


def rows(client: Elasticsearch, index: str, query: dict[str, Any], fields: list[str],
         page_size: int = 1000) -> Iterator[dict[str, Any]]:
    """Records with exactly the chosen fields (`id` comes from the hit id when it is not stored)."""
    for hit in scan(client, index, query, source=fields, page_size=page_size):
        src = hit.get("_source", {})
        yield {f: (hit["_id"] if f == "id" and src.get("id") is None else src.get(f)) for f in fields}


def export(client: Elasticsearch, index: str, req: SearchRequest, out: TextIO, *, fmt: Format = "jsonl",
           fields: Iterable[str] | None = None, page_size: int = 1000,
           progress: Progress | None = None) -> ExportStats:
    """Write every hit of `req` (its size, offset and sort are ignored) to `out`; returns the counts."""
    if fmt not in ("csv", "jsonl"):
        raise ValueError("format must be csv or jsonl")
    chosen = check_fields(fields)
    total, query = count(client, index, req)
    started = time.perf_counter()
    writer = csv.writer(out, lineterminator="\n") if fmt == "csv" else None
    if writer:
        writer.writerow(chosen)
    written = 0
    for record in rows(client, index, query, chosen, page_size):
        if writer:
            writer.writerow([cell(record[f]) for f in chosen])
        else:
            out.write(json.dumps(record, ensure_ascii=False) + "\n")
        written += 1
        if progress and written % page_size == 0:
            progress(written, total)
    if progress:
        progress(written, total)
    return ExportStats(total, written, time.perf_counter() - started, chosen)
