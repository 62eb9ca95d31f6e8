"""updated_at: the last update a document gives, beside (never instead of) its publication date."""

from __future__ import annotations

from pipelines.articles import build_article, extract
from pipelines.enrich.html_dates import choose_date
from pipelines.enrich.metadata_html import gather, parse_tree
from pipelines.extract.tagged import extract_tagged
from pipelines.extract.text import extract_plain
from pipelines.models import Article, Extraction, RawDocument

URL = "https://news.example.com/ferry-timetable"
LD = ('<script type="application/ld+json">{"@type": "NewsArticle", "headline": "Ferry Timetable",'
      ' "datePublished": "2024-03-01T08:00:00Z", "dateModified": "2024-03-09T10:00:00Z"}</script>')
BODY = "The winter timetable adds two early sailings on weekdays and drops the late one. " * 6


def dated(head: str, body: str) -> Extraction:
    ext = Extraction(text="x", url=URL)
    choose_date(ext, gather(parse_tree(f"<html><head>{head}</head><body>{body}</body></html>"), URL))
    return ext


def article(name: str, data: str, meta: dict | None = None) -> Article:
    doc = RawDocument(source="files", locator=f"files/{name}", data=data.encode(), path=name, meta=meta or {})
    return build_article(doc, extract(doc), run_id=None, lang_cap=2000, lang_min=40)


def test_the_update_shown_under_the_headline_is_updated_at_and_the_publication_stands() -> None:
    ext = dated(LD, "<h1>Ferry Timetable</h1><p>Updated March 5, 2024</p>")
    assert ext.published_at == "2024-03-01T08:00:00+00:00" and ext.provenance["published_at"] == "jsonld:datePublished"
    assert ext.updated_at == "2024-03-05" and ext.provenance["updated_at"] == "page:updated-date"


def test_structured_modification_dates_in_rule_order() -> None:
    ext = dated(LD, "<h1>Ferry Timetable</h1>")
    assert ext.updated_at == "2024-03-09T10:00:00+00:00" and ext.provenance["updated_at"] == "jsonld:dateModified"
    meta = '<meta property="article:modified_time" content="2024-03-07T10:00:00+00:00">'
    ext = dated(meta, "<h1>Ferry Timetable</h1>")
    assert ext.updated_at == "2024-03-07T10:00:00+00:00"
    assert ext.provenance["updated_at"] == "meta:article:modified_time"
    assert dated("", "<h1>Ferry Timetable</h1><p>March 1, 2024</p>").updated_at is None  # none given: unknown


def test_an_implausible_update_is_refused_with_its_reason() -> None:
    ext = dated('<meta property="article:modified_time" content="2999-01-01">', "<h1>Ferry Timetable</h1>")
    assert ext.updated_at is None
    refused = [c for c in ext.candidates if c.field == "updated_at"]
    assert refused and not refused[0].accepted and "plausible" in refused[0].reason


def test_an_update_before_the_publication_is_dropped_by_build_article() -> None:
    html = ('<html><head><script type="application/ld+json">{"@type": "NewsArticle", "headline": "Ferry",'
            ' "datePublished": "2024-03-09", "dateModified": "2023-01-01"}</script></head><body><article>'
            f"<h1>Ferry Timetable</h1><p>{BODY}</p><p>{BODY}</p></article></body></html>")
    a = article("ferry.html", html)
    assert a.published_at == "2024-03-09" and a.updated_at is None and "updated_at" not in a.provenance


def test_plain_text_updated_line_and_tagged_export() -> None:
    ex = extract_plain(f"Ferry Timetable Revised\nPublished: March 1, 2024\nUpdated: March 5, 2024\n\n{BODY}")
    assert (ex.published_at, ex.updated_at) == ("2024-03-01", "2024-03-05")
    assert ex.provenance["updated_at"] == "line:Updated" and "Updated" not in ex.text
    ex = extract_plain(f"Ferry Timetable Revised\nLast updated: March 5, 2024\n\n{BODY}")
    assert ex.published_at is None and ex.updated_at == "2024-03-05"  # an update is never the publication
    ex = extract_tagged("<TITLE>Ferry Timetable</TITLE>\n<DATE>2024-03-01</DATE>\n"
                        f"<LAST_UPDATED>2024-03-05</LAST_UPDATED>\n<CONTENT>{BODY}</CONTENT>")
    assert (ex.published_at, ex.updated_at) == ("2024-03-01", "2024-03-05")
    assert ex.provenance["updated_at"] == "tag:LAST_UPDATED"


def test_an_ambiguous_update_is_read_in_the_texts_language() -> None:
    text = ("Neuer Winterfahrplan für die Fähre\nVeröffentlicht am 01.03.2024\nAktualisiert am 05.03.2024\n\n"
            + "Der Winterfahrplan bringt an Werktagen zwei frühe Fahrten und streicht die letzte am Abend. " * 6)
    a = article("faehre.txt", text)
    assert a.language == "de"
    assert (a.published_at, a.updated_at) == ("2024-03-01", "2024-03-05")
    assert a.provenance["updated_at"].endswith("+locale")


def test_a_given_update_wins_with_provenance_sidecar() -> None:
    a = article("ferry.txt", f"Ferry Timetable Revised\nUpdated: March 5, 2024\n\n{BODY}",
                {"updated_at": "2024-03-06", "published_at": "2024-03-01"})
    assert (a.published_at, a.updated_at) == ("2024-03-01", "2024-03-06")
    assert a.provenance["updated_at"] == "sidecar"


def test_search_results_show_a_later_update_beside_the_publication_day() -> None:
    from io import StringIO

    from rich.console import Console

    from flows.render import search_result
    from pipelines.index.search import Hit, SearchResult

    def shown(updated: str | None) -> str:
        hit = Hit(id="a", score=1.0, title="Ferry Timetable", outlet="Harbour News", published_at="2024-03-01",
                  authors=[], language="en", url=None, source_path=None, snippet="", updated_at=updated)
        out = StringIO()
        search_result(Console(file=out, width=120), "ferry", SearchResult(1, [hit], {}, []))
        return out.getvalue()

    assert "2024-03-01 (updated 2024-03-05)" in shown("2024-03-05T10:00:00+00:00")
    assert "updated" not in shown("2024-03-01T18:00:00+00:00")  # a same-day edit is not worth a mention
