"""Deterministic ids and hashes, seeded language detection, and the date parser's refusals."""

from __future__ import annotations

from datetime import UTC, datetime

from pipelines.enrich.dates import parse_date
from pipelines.enrich.fingerprints import content_hash, document_id
from pipelines.enrich.language import detect_language

EN = "The council voted on Wednesday to approve a new ferry route linking the harbour with the northern suburbs."
DE = "Die Stadtwerke senken zum ersten Januar den Strompreis für Haushaltskunden um durchschnittlich acht Prozent."


def test_ids_prefer_the_canonical_url_and_are_stable() -> None:
    assert document_id("https://a.example/x", "s1", "p1") == document_id("https://a.example/x", "s2", "p2")
    assert document_id(None, "s", "p") == document_id(None, "s", "p") != document_id(None, "s", "q")


def test_content_hash_ignores_case_and_spacing() -> None:
    assert content_hash("Hello  World\n") == content_hash("hello world")
    assert content_hash("hello world") != content_hash("hello there")


def test_content_hash_is_stable_across_versions() -> None:
    """Indexed documents carry this hash: any whitespace (no-break, em space, tabs) reads as one space."""
    import hashlib

    assert content_hash(" Hello\u00a0\u2003World\t\n") == hashlib.sha256(b"hello world").hexdigest()


def test_language_is_detected_and_deterministic() -> None:
    guesses = {detect_language(EN).language for _ in range(5)}
    assert guesses == {"en"}
    de = detect_language(DE)
    assert de.language == "de" and de.confidence and de.confidence > 0.9 and de.rule == "langdetect"


def test_too_short_text_gives_no_language_unless_hinted() -> None:
    assert detect_language("Short text.").language is None
    assert detect_language("Short text.", hint="en-GB").language == "en"


def test_dates_refuse_future_and_ancient_and_flag_ambiguity() -> None:
    now = datetime(2025, 1, 1, tzinfo=UTC)
    assert parse_date("11/20/2024", now=now).value == "2024-11-20"
    assert parse_date("2031-01-01", now=now) is None
    assert parse_date("1850-01-01", now=now) is None
    assert parse_date("03/04/2024", now=now).ambiguous
    assert parse_date("03/04/2024", dayfirst=True, now=now).value == "2024-04-03"
    assert parse_date("2024-11-19T10:00:00-05:00", now=now).value == "2024-11-19T10:00:00-05:00"
    assert parse_date("no date here") is None
