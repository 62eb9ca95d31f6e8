"""Date rules: order, provenance, plausibility, URL path."""

from __future__ import annotations

from pipelines.enrich.html_dates import choose_date, date_from_url
from pipelines.enrich.metadata_html import gather, parse_tree
from pipelines.models import Extraction

URL = "https://example.com/story"


def dated(head: str, body: str = "", url: str | None = URL, *, htmldate: bool = True) -> Extraction:
    html = f"<html><head>{head}</head><body>{body}</body></html>"
    sig = gather(parse_tree(html), url)
    ext = Extraction(text="x", url=url)
    choose_date(ext, sig, html=html if htmldate else None)
    return ext


LD = '<script type="application/ld+json">{"@type": "NewsArticle", "datePublished": "%s"}</script>'


def test_jsonld_beats_meta() -> None:
    ext = dated(LD % "2024-11-19T09:15:00+01:00" + '<meta property="article:published_time" content="2024-11-18">')
    assert ext.published_at == "2024-11-19T09:15:00+01:00"
    assert ext.provenance["published_at"] == "jsonld:datePublished"
    rejected = [c for c in ext.candidates if not c.accepted]
    assert rejected[0].rule == "meta:article:published_time"


def test_meta_variants_in_order() -> None:
    for tag in ('<meta property="article:published_time" content="2023-06-02T14:00:00Z">',
                '<meta name="parsely-pub-date" content="2023-06-02T14:00:00Z">',
                '<meta name="sailthru.date" content="2023-06-02 14:00:00 +0000">',
                '<meta name="DC.date.issued" content="2023-06-02">'):
        assert dated(tag).published_at.startswith("2023-06-02"), tag


def test_time_element_in_article() -> None:
    ext = dated("", '<article><time datetime="2022-03-04">4 March</time><p>x</p></article>')
    assert ext.published_at == "2022-03-04"
    assert ext.provenance["published_at"] == "time-element"


def test_future_and_implausible_dates_rejected_then_url_path() -> None:
    ext = dated(LD % "2999-01-01", url="https://example.com/2021/05/06/story", htmldate=False)
    assert ext.published_at == "2021-05-06"
    assert ext.provenance["published_at"] == "url-path"
    assert any(not c.accepted and "plausible" in c.reason for c in ext.candidates)


def test_time_without_zone_keeps_the_day() -> None:
    assert dated(LD % "2024-11-19T09:15:00").published_at == "2024-11-19"


def test_no_date_stays_unknown() -> None:
    assert dated("", "<p>No dates here at all.</p>", url=None).published_at is None


def test_date_from_url_variants() -> None:
    assert date_from_url("https://x.com/2024/11/19/a").value == "2024-11-19"
    assert date_from_url("https://x.com/news/2024-1-9/a").value == "2024-01-09"
    assert date_from_url("https://x.com/a-20241119.html").value == "2024-11-19"
    assert date_from_url("https://x.com/2024/13/40/a") is None
    assert date_from_url("https://2024.example.com/a?d=2024/11/19") is None


def test_htmldate_fallback_has_its_own_provenance() -> None:
    ext = dated("", "<p>Published on 2021-05-06 by the desk.</p><p>Body text of the story.</p>", url=None)
    assert ext.published_at == "2021-05-06"
    assert ext.provenance["published_at"].startswith("htmldate")


def test_htmldate_runs_without_dateparser_and_puts_it_back() -> None:
    from htmldate import extractors

    calls: list[str] = []
    original = extractors._external_date

    def spy(string: str):  # noqa: ANN202 - stands in for htmldate's own helper
        calls.append(string)
        return original(string)

    extractors._external_date = spy
    try:
        # A date line htmldate's own patterns cannot read: its extensive search would hand it to dateparser.
        dated("", "<div><p>Some text.</p><p class='date'>Thu, 09/25/2025 - 11:38</p></div>")
        assert calls == []
        assert extractors._external_date is spy  # restored after our call
    finally:
        extractors._external_date = original
    from htmldate import find_date

    calls.clear()
    extractors._external_date = spy
    try:
        find_date("<html><body><p class='date'>Thu, 09/25/2025 - 11:38</p></body></html>", extensive_search=True)
        assert calls  # the spy sees htmldate's own use of dateparser: the check above can fail
    finally:
        extractors._external_date = original


def test_a_bare_year_in_the_page_text_is_not_a_publication_day() -> None:
    # Only a copyright year: htmldate's text search would give 2024-01-01, a day nobody wrote.
    ext = dated("", "<div><p>A guide with no date.</p></div><footer><p>Copyright © 2024 Example Inc.</p></footer>")
    assert ext.published_at is None
    assert any(c.reason.startswith("a year alone") for c in ext.candidates if c.field == "published_at")
    # A whole day in the page text still counts, labelled as htmldate's.
    ext = dated("", "<div><p>A guide.</p><p>Last reviewed 2023-10-05 by our staff writers today</p></div>")
    assert ext.published_at == "2023-10-05" and ext.provenance["published_at"].startswith("htmldate")
