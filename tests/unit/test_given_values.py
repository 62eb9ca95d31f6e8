"""Sidecar values through build_article: a given URL feeds every URL-based rule for text and HTML alike."""

from __future__ import annotations

from pathlib import Path

from pipelines.articles import build_article, extract
from pipelines.enrich.fingerprints import document_id
from pipelines.enrich.language import detect_language
from pipelines.models import RawDocument

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures" / "html"
GIVEN = "https://www.theguardian.com/world/2024/11/19/harbour-lamp?utm_source=feed#top"
CANONICAL = "https://www.theguardian.com/world/2024/11/19/harbour-lamp"
TEXT = ("Harbour Lamp Relit After Forty Years\n\n"
        + "The old harbour lamp was lit again on Tuesday evening after decades in the dark. " * 6).encode()


def article(name: str, data: bytes, meta: dict) -> object:
    doc = RawDocument(source="files", locator=f"files/{name}", data=data, path=name, meta=meta)
    return build_article(doc, extract(doc), run_id=None, lang_cap=2000, lang_min=40)


def test_sidecar_url_feeds_date_outlet_and_id_for_plain_text() -> None:
    a = article("lamp.txt", TEXT, {"url": GIVEN})
    assert a.url == GIVEN and a.provenance["url"] == "sidecar"
    assert a.published_at == "2024-11-19" and a.provenance["published_at"] == "url-path"
    assert (a.outlet, a.outlet_domain, a.provenance["outlet"]) == ("The Guardian", "theguardian.com", "registry")
    assert a.canonical_url == CANONICAL
    assert a.id == document_id(CANONICAL, "files", "files/lamp.txt")


def test_sidecar_url_beats_the_pages_own_canonical_for_html() -> None:
    a = article("news.html", (FIXTURES / "news_jsonld.html").read_bytes(), {"url": GIVEN})
    assert a.canonical_url == CANONICAL and a.outlet == "The Guardian"
    assert a.id == document_id(CANONICAL, "files", "files/news.html")


def test_given_values_win_with_provenance_sidecar() -> None:
    meta = {"url": GIVEN, "title": "Given Title", "published_at": "2024-11-18", "authors": ["Ann Lee"],
            "outlet": "Harbour Weekly", "language": "en"}
    a = article("lamp.txt", TEXT, meta)
    assert (a.title, a.published_at, a.authors, a.outlet, a.language) == (
        "Given Title", "2024-11-18", ["Ann Lee"], "Harbour Weekly", "en")
    assert all(a.provenance[f] == "sidecar" for f in ("title", "published_at", "authors", "outlet", "language"))


def test_ambiguous_text_date_is_read_in_the_sidecar_outlets_locale() -> None:
    data = b"Harbour Lamp Relit\nPosted on 03/04/2023\n\n" + TEXT.split(b"\n\n", 1)[1]
    assert article("a.txt", data, {}).published_at is None  # no locale: stays unknown
    gb = article("a.txt", data, {"url": "https://www.theguardian.com/world/lamp"})
    us = article("a.txt", data, {"url": "https://www.nytimes.com/lamp"})
    assert gb.published_at == "2023-04-03" and gb.provenance["published_at"] == "line:Posted on+locale"
    assert us.published_at == "2023-03-04"


def test_language_hint_reconciled_with_the_detector() -> None:
    german = "Der alte Hafenleuchtturm wurde am Dienstagabend nach Jahrzehnten wieder eingeschaltet. " * 5
    overruled = detect_language(german, "en")
    assert (overruled.language, overruled.rule, overruled.detected) == ("de", "langdetect-over-hint", "de")
    assert detect_language("Short text.", "fr").rule == "hint"
    assert detect_language("Short text.").language is None
