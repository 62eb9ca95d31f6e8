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


def test_htmldate_never_hands_free_text_to_dateparser() -> None:
    from htmldate import extractors

    calls: list[str] = []
    original = extractors._external_date

    def spy(string: str):  # noqa: ANN202 - stands in for htmldate's own helper
        calls.append(string)
        return original(string)

    extractors._external_date = spy
    try:
        # A date line htmldate's own patterns cannot read: its extensive search would hand it to dateparser.
        page = "<div><p>Some text.</p><p class='date'>Thu, 09/25/2025 - 11:38</p></div>"
        dated("", page)
        assert calls == []
        from htmldate import find_date

        find_date(f"<html><body>{page}</body></html>", extensive_search=True)
        assert calls  # the spy sees htmldate's own use of dateparser: the check above can fail
    finally:
        extractors._external_date = original


def test_no_date_rather_than_any_date_in_the_page_text() -> None:
    # htmldate's extensive search would read each of these as the publication date; none of them is.
    for body in (
        "<div><p>A guide with no date.</p></div><footer><p>Copyright © 2024 Example Inc.</p></footer>",
        "<div><p>A guide.</p><p>The rules changed on March 3, 2021, when the board voted again.</p></div>",
    ):
        ext = dated("", body)
        assert ext.published_at is None, body


def test_a_labelled_dated_line_anywhere_in_the_page_is_the_last_rule() -> None:
    body = ("<h1>Tunnel reopens</h1><p>" + "Long story text. " * 60 + "</p>"
            "<div class='meta'><span>Posted on Monday, November 20, 2023</span></div>")
    ext = dated("", body, url=None, htmldate=False)
    assert ext.published_at == "2023-11-20" and ext.provenance["published_at"] == "page:dated-line"
    # The label alone, and the date in the next element.
    ext = dated("", "<p>Text.</p><p><b>Published:</b> <time>12 March 2024</time></p>", url=None, htmldate=False)
    assert ext.published_at == "2024-03-12"
    # Every earlier rule comes first: the URL path here.
    assert dated("", body, url="https://x.com/2022/05/06/story", htmldate=False).published_at == "2022-05-06"
    # An ambiguous numeric date stays unknown, with the reason.
    ext = dated("", "<p>Text.</p><p>Posted on 03/04/2024</p>", url=None, htmldate=False)
    assert ext.published_at is None
    assert any(c.reason == "day/month order ambiguous" for c in ext.candidates if c.rule == "page:dated-line")


def test_dated_lines_of_comments_footers_and_sentences_are_not_publication() -> None:
    def line_date(body: str) -> str | None:
        return dated("", body, url=None, htmldate=False).published_at

    comments = ("<p>Text.</p><div class='comments'><ul><li><p>Nice piece!</p><span>Posted on November 21, 2023"
                "</span></li></ul></div>")
    assert line_date(comments) is None
    assert line_date("<p>Text.</p><footer><p>Published: 2023-01-05</p></footer>") is None
    assert line_date("<p>Text.</p><p>Published in the journal on November 21, 2023, the study found more.</p>") is None
    assert line_date("<p>Text.</p><p>Published on November 21, 2023</p>") == "2023-11-21"  # the same, in the text


def test_a_last_updated_line_is_the_very_last_rule_with_its_own_provenance() -> None:
    # The page gives no date but its last update: that bound, marked as an update so it can be filtered out.
    ext = dated("", "<p>Text.</p><p style='text-align:right'>Last updated: November 13, 2025</p>", url=None,
                htmldate=False)
    assert ext.published_at == "2025-11-13" and ext.provenance["published_at"] == "page:updated-line"
    assert dated("", "<p>Text.</p><p>Updated on November 21, 2023</p>", url=None,
                 htmldate=False).provenance["published_at"] == "page:updated-line"
    # A line giving the publication wins wherever it stands, and footers are still someone else's.
    both = "<p>Last updated: November 13, 2025</p><p>Text.</p><p>Posted on November 20, 2023</p>"
    ext = dated("", both, url=None, htmldate=False)
    assert ext.published_at == "2023-11-20" and ext.provenance["published_at"] == "page:dated-line"
    assert dated("", "<p>Text.</p><footer><p>Last updated: 2023-01-05</p></footer>", url=None,
                 htmldate=False).published_at is None
    # Every earlier rule comes first: the URL path here.
    assert dated("", "<p>Text.</p><p>Last updated: November 13, 2025</p>", url="https://x.com/2022/05/06/story",
                 htmldate=False).published_at == "2022-05-06"
