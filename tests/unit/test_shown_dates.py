"""Dates printed near the headline: labels, updates, metadata disagreement, locale order; golden real pages."""

from __future__ import annotations

import gzip
import json

import pytest
from lxml import etree

from pipelines.enrich.html_dates import choose_date
from pipelines.enrich.metadata_html import gather, parse_tree
from pipelines.enrich.shown_dates import _headlines_and_pubdates, shown_dates
from pipelines.extract.html import extract_html
from pipelines.models import Extraction
from tests.conftest import CORPUS, need_shared

URL = "https://example.com/blog/story"
LD = ('<script type="application/ld+json">{"@type": "BlogPosting", "datePublished": "%s",'
      ' "dateModified": "%s"}</script>')


def dated(head: str, body: str, *, dayfirst: bool | None = None) -> Extraction:
    html = f"<html><head>{head}</head><body>{body}</body></html>"
    ext = Extraction(text="x", url=URL)
    choose_date(ext, gather(parse_tree(html), URL), dayfirst=dayfirst)
    return ext


def test_labels_classify_shown_dates() -> None:
    html = ("<body><nav>Home</nav><h1>Title</h1><p>By Ann Lee</p><p>Published March 2, 2024 · "
            "Updated on April 9, 2024</p><p class='meta'>Recorded on May 1, 2024</p></body>")
    found = shown_dates(gather(parse_tree(html)))
    assert [(d.raw, d.kind, d.labelled) for d in found] == [
        ("March 2, 2024", "published", True), ("April 9, 2024", "updated", True), ("May 1, 2024", "other", True)]


def test_headline_the_parser_moved_out_of_its_h1_still_anchors_the_byline() -> None:
    # "<h1><p>Title</p></h1>" parses as "<h1/><p>Title</p>": the empty <h1> still marks where the headline is.
    ext = dated("", '<h1 class="t"><p>Scaling tests</p></h1><p>By <!-- -->Ann Lee</p><p> <!-- -->Dec 17, 2025</p>')
    assert (ext.published_at, ext.provenance["published_at"]) == ("2025-12-17", "page:shown-date")


def test_shown_date_beats_a_cms_default_in_metadata() -> None:
    # JSON-LD datePublished equal to dateModified on a page that shows another date: a rebuild stamp.
    ext = dated(LD % ("Jun 24, 2025", "Jun 24, 2025"), "<h1>Title</h1><div class='text__date'>August 25, 2024</div>")
    assert ext.published_at == "2024-08-25"
    assert ext.provenance["published_at"] == "page:shown-date"
    assert any(c.rule == "jsonld:datePublished" and not c.accepted and "another date" in c.reason
               for c in ext.candidates)


def test_an_update_shown_on_the_page_is_never_the_publication_date() -> None:
    ext = dated(LD % ("2024-02-01T15:46:14+00:00", "2025-04-19T23:02:46+00:00"),
                "<h1>Title</h1><div><div>Updated on</div><div>April 19, 2025</div></div>")
    assert ext.published_at == "2024-02-01T15:46:14+00:00"
    assert any(c.rule == "page:updated-date" and not c.accepted for c in ext.candidates)


def test_unlabelled_shown_date_equal_to_date_modified_is_an_update() -> None:
    ext = dated(LD % ("2024-09-06", "2025-11-14"), "<h1>Title</h1><span class='blog_dt'>November 14, 2025</span>")
    assert ext.published_at == "2024-09-06"
    assert any(c.rule == "page:shown-date" and c.value == "2025-11-14" and not c.accepted for c in ext.candidates)


def test_metadata_stand_when_any_shown_date_agrees() -> None:
    ext = dated(LD % ("2025-01-16T00:00:27+00:00", "2025-11-24"),
                "<span>January 16, 2025</span><h1>Title</h1><ul><li>Related</li><li>July 15, 2025</li></ul>")
    assert ext.published_at.startswith("2025-01-16")


def test_time_pubdate_anywhere_is_explicit() -> None:
    ext = dated(LD % ("2025-11-29T12:28:31-05:00", "2025-11-29T12:28:31-05:00"),
                "<h1>Title</h1>" + "<p>Body text.</p>" * 80 + "<div>Published <time pubdate datetime='2025-08-13'>"
                "August 13, 2025</time></div>")
    assert ext.published_at == "2025-08-13" and ext.provenance["published_at"] == "page:published-date"


def test_local_day_is_kept_not_converted_to_utc() -> None:
    ext = dated(LD % ("2024-11-19T23:30:00-05:00", "2024-11-19T23:30:00-05:00"), "<h1>Title</h1>")
    assert ext.published_at == "2024-11-19T23:30:00-05:00"


@pytest.mark.parametrize(("dayfirst", "day"), [(True, "2024-04-03"), (False, "2024-03-04"), (None, None)])
def test_ambiguous_shown_date_follows_the_locale(dayfirst: bool | None, day: str | None) -> None:
    ext = dated("", "<h1>Title</h1><p>Posted 03/04/2024</p>", dayfirst=dayfirst)
    assert ext.published_at == day


def test_outlet_locale_orders_an_ambiguous_meta_date() -> None:
    html = ("<html><head><meta name='pubdate' content='03/04/2024'></head><body><h1>T</h1><p>"
            + "Some words of article text here. " * 5 + "</p></body></html>")
    assert extract_html(html, url="https://www.theguardian.com/x").published_at == "2024-04-03"  # GB: day first
    assert extract_html(html, url="https://www.nytimes.com/x").published_at == "2024-03-04"  # US: month first
    iso = html.replace("03/04/2024", "2024-03-04")
    assert extract_html(iso, url="https://www.theguardian.com/x").published_at == "2024-03-04"  # ISO never flips


def test_start_and_end_inside_a_title_are_not_event_labels() -> None:
    html = ("<body><h1>94</h1><p>Scalable End-to-End Interpretability</p><p>by jsteinhardt</p>"
            "<time datetime='2025-12-18T22:37:57.570Z'>18th Dec 2025</time><p>Sale ends: May 3, 2025</p></body>")
    found = shown_dates(gather(parse_tree(html)))
    assert [(d.raw, d.kind) for d in found] == [("18th Dec 2025", ""), ("May 3, 2025", "other")]


def test_dates_told_in_article_sentences_are_not_datelines() -> None:
    body = ("<div>Back to blog</div><div><svg><use href='#calendar'></use></svg> Dec 12, 2025 </div>"
            "<h1>Why Rust for Embedded Systems?</h1><p>Rust has officially graduated. And finally, esp-hal, the first "
            "vendor-backed Rust SDK for embedded development, hit its stable 1.0.0 release on 30 October 2025 "
            "<sup>[3]</sup>.</p>")
    ext = dated("", body)
    assert ext.published_at == "2025-12-12"  # above the headline, after an svg icon; not the release in the text
    assert ext.provenance["published_at"] == "page:shown-date"
    assert not any(c.value == "2025-10-30" for c in ext.candidates)


def test_ambiguous_date_takes_the_reading_the_page_confirms() -> None:
    body = ("<main><h1>Title</h1><p>Bence Kovács</p><time datetime='02-12-2025'>02-12-2025</time>"
            + "<p>These are the extended notes from my talk.</p>" * 20
            + "<aside><h4>Recent posts</h4><time datetime='2025-12-02'>December 2, 2025</time></aside></main>")
    ext = dated("", body)
    assert ext.published_at == "2025-12-02" and ext.provenance["published_at"] == "time-element"
    alone = dated("", body.replace("2025-12-02", "2024-12-11").replace("December 2, 2025", "December 11, 2024"))
    assert alone.published_at == "2025-02-12"  # nothing settles it: US order, flagged
    assert any(c.accepted and c.reason == "ambiguous day/month" for c in alone.candidates)


def test_same_moment_is_kept_in_the_zone_the_page_prints() -> None:
    head = ('<meta property="article:published_time" content="2025-07-05T00:04:00+00:00">'
            '<meta property="article:modified_time" content="2026-02-09T16:17:27+00:00">')
    body = ("<article><h1>Best Mirrorless Cameras</h1><span class='posted-on'>July 4, 2025</span>"
            "<span itemprop='datePublished' content='2025-07-04T20:04:00-04:00'></span></article>")
    ext = dated(head, body)
    assert ext.published_at == "2025-07-04T20:04:00-04:00"
    assert ext.provenance["published_at"] == "itemprop:datePublished"
    assert any(c.rule == "meta:article:published_time" and not c.accepted and "same moment" in c.reason
               for c in ext.candidates)
    # Another moment on the printed day is a disagreement: the printed date wins as before.
    other = dated(head, body.replace("20:04:00-04:00", "08:00:00-04:00"))
    assert other.published_at == "2025-07-04" and other.provenance["published_at"] == "page:published-date"


def test_url_path_day_confirms_the_metadata() -> None:
    head = '<meta property="article:published_time" content="2021-01-18T19:55+01:00">'
    body = ("<h1>Tool choices</h1><ul><li>Updated 2021-08-09: the section on requirements.</li>"
            "<li>2022-04-12 Further arguments for privacy.</li></ul>")
    html = f"<html><head>{head}</head><body>{body}</body></html>"
    for url, day in (("https://example.org/2021/01/18/tool-choices", "2021-01-18T19:55:00+01:00"),
                     ("https://example.org/tool-choices", "2022-04-12")):
        ext = Extraction(text="x", url=url)
        choose_date(ext, gather(parse_tree(html), url))
        assert ext.published_at == day, url


def test_modification_stamp_yields_to_the_date_above_the_headline() -> None:
    head = ('<meta name="DC.date" content="2024-07-05T14:20:08Z">'
            '<meta property="og:updated_time" content="2024-07-05T14:20:08-04:00">')
    body = ("<section><time datetime='2024-03-01 05:00:00'>March 1, 2024</time></section>"
            "<h1>Healthy Eating Tips</h1><p>At a glance</p>")
    ext = dated(head, body)
    assert ext.published_at == "2024-03-01" and ext.provenance["published_at"] == "page:shown-date"
    # Without the modification stamp DC.date is a publication date of its own, and an unlabelled date above
    # the headline (a masthead's) does not replace it; nor does one later than the stamp.
    assert dated(head.split("<meta property")[0], body).published_at == "2024-07-05T14:20:08+00:00"
    assert dated(head, body.replace("March 1, 2024", "July 9, 2024")).published_at == "2024-07-05T14:20:08+00:00"


def test_update_date_only_when_the_page_shows_no_other() -> None:
    body = "<h1>Best MBA Programs</h1><p>Last updated: December 11, 2025</p>"
    ext = dated("", body)
    assert ext.published_at == "2025-12-11" and ext.provenance["published_at"] == "page:updated-date"
    chosen = [c for c in ext.candidates if c.field == "published_at" and c.accepted]
    assert chosen[-1].reason == "the only date the page shows is its update date"
    assert ext.updated_at == "2025-12-11" and ext.provenance["updated_at"] == "page:updated-date"
    # A date in the URL path is an original date: it beats the update.
    ext = Extraction(text="x", url="https://example.com/2019/03/20/mba")
    choose_date(ext, gather(parse_tree(f"<html><body>{body}</body></html>"), ext.url))
    assert ext.published_at == "2019-03-20" and ext.provenance["published_at"] == "url-path"
    # A publication date shown beside it wins.
    ext = dated("", body.replace("<p>Last", "<p>Published June 2, 2020</p><p>Last"))
    assert ext.published_at == "2020-06-02"


# Golden pages from the WCXB development set (../shared): each is a rule family's real-world case.
GOLDEN = [
    ("0151", "2024-08-25", "page:"),  # JSON-LD carries a rebuild date; the page shows the real one
    ("0350", "2022-10-08", "page:"),  # Elementor "On <time>8 Oct 2022</time>" against a later og date
    ("0343", "2025-08-13", "page:"),  # "Published <time pubdate>" below the body, JSON-LD disagrees
    ("0277", "2025-01-16", "jsonld:"),  # metadata confirmed by the date above the h1; related posts ignored
    ("0007", "2025-01-29", "jsonld:"),  # the page shows only its update date: the publication date stands
    ("0429", "2025-12-02", "time-element"),  # <time>02-12-2025</time>, settled by the page's own 2025-12-02
    ("0482", "2021-01-18", "meta:"),  # URL /2021/01/18/ confirms the meta date; changelog dates below ignored
    ("0490", "2025-12-12", "page:shown-date"),  # the date after an svg icon; not a release date in the text
    ("0384", "2025-12-18", "page:shown-date"),  # "End-to-End" in the title is no event label
    ("0074", "2024-03-01", "page:shown-date"),  # DC.date is the modification stamp; the title bar shows the date
    ("0481", "2025-12-18", "time-element"),  # og in UTC, the same moment in the page's zone on the printed day
    ("0312", "2025-12-11", "page:updated-date"),  # shows only "Updated"; no structured or URL date
]


@pytest.mark.parametrize(("file_id", "day", "rule"), GOLDEN)
def test_golden_real_pages(file_id: str, day: str, rule: str) -> None:
    need_shared(CORPUS)
    truth = json.loads((CORPUS / "ground-truth" / f"{file_id}.json").read_text(encoding="utf-8"))
    ext = extract_html(gzip.decompress((CORPUS / "html" / f"{file_id}.html.gz").read_bytes()), url=truth["url"])
    assert (ext.published_at or "")[:10] == day
    assert ext.provenance["published_at"].startswith(rule)


def test_headlines_and_pubdates_are_what_the_two_body_paths_select() -> None:
    html = ("<html><head><title>T</title></head><body><header><h1></h1></header><main><h1>Title</h1>"
            "<time pubdate>no datetime</time><time datetime='2025-01-02'>no pubdate</time><div><time pubdate "
            "datetime='2025-01-03'></time></div><h1>Second</h1><time pubdate datetime='2025-01-04'></time></main>"
            "</body></html>")
    tree = parse_tree(html)
    tree.append(etree.fromstring("<h1>outside the body</h1>"))
    tree.append(etree.fromstring("<time pubdate='' datetime='2025-01-05'/>"))
    expected = (tree.xpath("//body//h1"), tree.xpath("//body//time[@pubdate][@datetime]"))
    assert [len(found) for found in expected] == [3, 2]
    assert _headlines_and_pubdates(tree) == expected
