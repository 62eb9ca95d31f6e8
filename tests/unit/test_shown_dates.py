"""Dates printed near the headline: labels, updates, metadata disagreement, locale order; golden real pages."""

from __future__ import annotations

import gzip
import json

import pytest

from pipelines.enrich.html_dates import choose_date
from pipelines.enrich.metadata_html import gather, parse_tree
from pipelines.enrich.shown_dates import shown_dates
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


# Golden pages from the WCXB development set (../shared): each is a rule family's real-world case.
GOLDEN = [
    ("0151", "2024-08-25", "page:"),  # JSON-LD carries a rebuild date; the page shows the real one
    ("0350", "2022-10-08", "page:"),  # Elementor "On <time>8 Oct 2022</time>" against a later og date
    ("0343", "2025-08-13", "page:"),  # "Published <time pubdate>" below the body, JSON-LD disagrees
    ("0277", "2025-01-16", "jsonld:"),  # metadata confirmed by the date above the h1; related posts ignored
    ("0007", "2025-01-29", "jsonld:"),  # the page shows only its update date: the publication date stands
]


@pytest.mark.parametrize(("file_id", "day", "rule"), GOLDEN)
def test_golden_real_pages(file_id: str, day: str, rule: str) -> None:
    need_shared(CORPUS)
    truth = json.loads((CORPUS / "ground-truth" / f"{file_id}.json").read_text(encoding="utf-8"))
    ext = extract_html(gzip.decompress((CORPUS / "html" / f"{file_id}.html.gz").read_bytes()), url=truth["url"])
    assert (ext.published_at or "")[:10] == day
    assert ext.provenance["published_at"].startswith(rule)
