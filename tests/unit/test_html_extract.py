"""extract_html on small made-up pages: text, decoding, canonical URL, site name, quarantine."""

from __future__ import annotations

from pathlib import Path

import pytest

from pipelines.extract.html import declared_charset, decode_html, extract_html
from pipelines.models import QuarantineError

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures" / "html"
URL = "https://www.dailyexample.co.uk/news/2024/11/19/cycle-lanes?utm_source=x"


def page(name: str) -> bytes:
    return (FIXTURES / name).read_bytes()


def test_news_page_fields_and_provenance() -> None:
    ext = extract_html(page("news_jsonld.html"), url=URL)
    assert ext.format == "html"
    assert "protected cycle lanes" in ext.text
    assert "Somebody Else" not in ext.text
    assert ext.title == "Council approves new cycle lanes for city centre"
    assert ext.authors == ["Jane Whitfield", "Tom Baker"]
    assert ext.published_at == "2024-11-19T09:15:00+01:00"
    assert ext.canonical_url == "https://www.dailyexample.co.uk/news/2024/11/19/cycle-lanes"
    assert ext.site_name == "The Daily Example"
    assert ext.language_hint == "en"
    assert ext.provenance["title"] == "h1"
    assert ext.provenance["authors"] == "jsonld:author"
    assert ext.provenance["published_at"] == "jsonld:datePublished"
    assert any(c.field == "title" and not c.accepted for c in ext.candidates)


def test_cp1252_page_decodes_from_meta_charset() -> None:
    data = page("cp1252.html")
    assert declared_charset(data) == "windows-1252"
    ext = extract_html(data)
    assert ext.title == "Café culture returns to the old town"
    assert "\u201cbusiness is back\u201d" in ext.text


@pytest.mark.parametrize("encoding", ["koi8-r", "shift_jis", "cp1252"])
def test_legacy_encodings_round_trip(encoding: str) -> None:
    text = {"koi8-r": "Новости дня", "shift_jis": "今日のニュース", "cp1252": "Déjà vu – à Paris"}[encoding]
    html = f'<html><head><meta charset="{encoding}"><title>{text}</title></head><body><p>{text}</p></body></html>'
    assert text in decode_html(html.encode(encoding))


def test_valid_utf8_wins_over_a_stale_latin1_label() -> None:
    html = '<meta charset="iso-8859-1"><p>naïve café</p>'.encode()
    assert "naïve café" in decode_html(html)


def test_latin1_label_reads_as_windows_1252() -> None:
    assert declared_charset(b'<meta charset="ISO-8859-1">') == "cp1252"
    assert declared_charset(b"", "text/html; charset=Shift_JIS") == "shift_jis"


def test_page_without_article_is_quarantined_with_a_reason() -> None:
    with pytest.raises(QuarantineError, match="no article text"):
        extract_html(page("no_article.html"))


def test_article_inside_an_unclosed_aside_is_read_not_quarantined() -> None:
    """A template that never closes its off-canvas `<aside>` puts the whole article inside it: trafilatura's
    default mode drops asides and finds nothing, so the page must be read again in recall mode."""
    paras = "".join(
        f"<p>Paragraph {i} of the guide says the shops sell sturdy clothes at fair prices.</p>" for i in range(6)
    )
    page = (
        "<html><head><title>Where to buy</title></head><body><aside class='menu'><div>"
        f"<article><h1>Where to buy</h1><div class='entry'>{paras}</div></article></div></aside></body></html>"
    )
    ext = extract_html(page)
    assert "Paragraph 5 of the guide" in ext.text


@pytest.mark.parametrize("data", [b"", b"   ", "<html><body></body></html>", b"<<<>>>\xff\xfe"])
def test_empty_or_malformed_input_quarantines_never_crashes(data: bytes | str) -> None:
    with pytest.raises(QuarantineError):
        extract_html(data)


def test_canonical_url_from_page_when_no_url_given() -> None:
    ext = extract_html(page("news_jsonld.html"))
    assert ext.url == "https://www.dailyexample.co.uk/news/2024/11/19/cycle-lanes"
    assert ext.provenance["url"] == "link:canonical"
