"""The record types that flow through the pipeline, one per stage.

RawDocument (bytes + origin) -> Extraction (what one extractor read from it)
-> Article (the indexed record). Every input ends in exactly one Outcome.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import StrEnum
from typing import Any

from pydantic import BaseModel, Field

# Fields whose origin is recorded in Article.provenance.
PROVENANCE_FIELDS = ("title", "authors", "published_at", "updated_at", "outlet", "language", "url", "summary")


class Outcome(StrEnum):
    """The one end every input document reaches, counted in the run report."""

    INDEXED = "indexed"
    UNCHANGED = "unchanged"
    DUPLICATE = "duplicate"
    SKIPPED = "skipped"
    QUARANTINED = "quarantined"


@dataclass
class RawDocument:
    """Bytes as read, plus where they came from. Nothing is interpreted yet."""

    source: str  # configured source name ("files" by default)
    locator: str  # stable identity inside the source: relative path (or path::line for JSONL)
    data: bytes
    path: str | None = None  # path on disk as given by the user, for reports
    url: str | None = None  # fetched URL, when the document came from the web
    meta: dict[str, Any] = field(default_factory=dict)  # sidecar / manifest / feed values
    content_type: str | None = None  # HTTP Content-Type, when known
    record: dict[str, Any] | None = None  # a parsed JSON record (JSON/JSONL exports)


@dataclass
class Candidate:
    """One proposed value for a field, kept so `extract --explain` can show what lost and why."""

    field: str
    value: Any
    rule: str
    accepted: bool = False
    reason: str = ""


@dataclass
class Extraction:
    """What an extractor read out of one document, before enrichment."""

    text: str
    title: str | None = None
    summary: str | None = None
    authors: list[str] = field(default_factory=list)
    published_at: str | None = None
    updated_at: str | None = None  # the last update the document gives ("Updated …", dateModified)
    url: str | None = None
    canonical_url: str | None = None
    site_name: str | None = None
    language_hint: str | None = None
    format: str = "plain"  # plain | tagged | html | json
    organizations: list[str] = field(default_factory=list)  # organisation bylines (AP, Reuters, Staff)
    provenance: dict[str, str] = field(default_factory=dict)
    candidates: list[Candidate] = field(default_factory=list)

    def propose(self, name: str, value: Any, rule: str, accepted: bool, reason: str = "") -> None:
        self.candidates.append(Candidate(name, value, rule, accepted, reason))

    def accept(self, name: str, value: Any, rule: str, reason: str = "") -> None:
        """Set a field from the rule that won: its value, its provenance, and the accepted candidate `--explain`
        shows."""
        setattr(self, name, value)
        self.provenance[name] = rule
        self.propose(name, value, rule, True, reason)


class QuarantineError(Exception):
    """A document that cannot be turned into an Article; the message is shown to people."""


class Article(BaseModel):
    """The indexed record. Unknown is None, never a guess dressed as a fact."""

    id: str
    url: str | None = None
    canonical_url: str | None = None
    outlet: str | None = None
    outlet_domain: str | None = None
    title: str | None = None
    authors: list[str] = Field(default_factory=list)
    organizations: list[str] = Field(default_factory=list)
    published_at: str | None = None
    updated_at: str | None = None  # never before published_at; not the ingest time
    language: str | None = None
    language_confidence: float | None = None
    text: str
    summary: str | None = None
    word_count: int = 0
    content_hash: str
    story_id: str | None = None
    duplicate_of: str | None = None
    source: str
    source_path: str | None = None
    locator: str | None = None  # stable identity inside the source (relative path, or path#line)
    raw_hash: str | None = None  # hash of the input as read: equal on a rerun means nothing to re-extract
    format: str
    ingested_at: str
    run_id: str | None = None
    provenance: dict[str, str] = Field(default_factory=dict)

    def to_index(self) -> dict[str, Any]:
        """The document body sent to Elasticsearch (the id travels as _id too)."""
        return self.model_dump(mode="json")
