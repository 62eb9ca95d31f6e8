"""Parsing a written date (cached, checked against each call's today) and the page's dated elements."""

from __future__ import annotations

from datetime import UTC, datetime

from pipelines.enrich.dates import ParsedDate, parse_date
from pipelines.enrich.html_dates import _TIME_CANDIDATES, _dated_element, _meta_dates
from pipelines.enrich.metadata_html import gather, parse_tree


def test_a_cached_parse_is_still_checked_against_the_callers_today() -> None:
    before, after = datetime(2030, 12, 1, tzinfo=UTC), datetime(2031, 1, 1, tzinfo=UTC)
    assert parse_date("2031-01-01", now=before) is None  # in the future then
    assert parse_date("2031-01-01", now=after) == ParsedDate("2031-01-01")
    assert parse_date(" 2031-01-01 ", now=before) is None


def test_the_day_month_order_is_part_of_what_is_cached() -> None:
    assert parse_date("03/04/2024") == ParsedDate("2024-03-04", ambiguous=True)
    assert parse_date("03/04/2024", dayfirst=True) == ParsedDate("2024-04-03")
    assert parse_date("03/04/2024", dayfirst=False) == ParsedDate("2024-03-04")
    assert parse_date("03/04/2024") == ParsedDate("2024-03-04", ambiguous=True)


# The dated elements as they were read before: one XPath path per rule, which walked the tree five times.
FIVE_PATHS = (
    "(//article//time[@datetime] | //main//time[@datetime] | //time[@pubdate][@datetime]"
    " | //time[@datetime][contains(translate(@class, 'PUBLISHED', 'published'), 'publish')]"
    " | //*[@itemprop='datePublished'][@datetime or @content])"
)


def test_dated_elements_are_those_the_five_paths_gave_in_page_order() -> None:
    body = ("<time datetime='2024-01-01'>not in the article</time>"
            "<p><time class='x PuBLiSHed' datetime='2024-01-02'></time></p>"
            "<div itemprop='datePublished' content='2024-01-03'></div>"
            "<main><span><time datetime='2024-01-04'></time></span></main>"
            "<time pubdate datetime='2024-01-05'></time><time pubdate>no datetime</time>"
            "<span itemprop='datepublished' content='2024-01-06'></span><time class='PUBLISH'>no datetime</time>"
            "<article><time itemprop='datePublished'>no value</time><time itemprop='datePublished' datetime=''></time>"
            "<article><time datetime='2024-01-07'></time></article></article>")
    tree = parse_tree(f"<html><body>{body}</body></html>")
    expected = tree.xpath(FIVE_PATHS)
    assert len(expected) == 6
    assert [el for el in _TIME_CANDIDATES(tree) if _dated_element(el)] == expected
    assert [value for _, value in _meta_dates(gather(tree))] == ["2024-01-02", "2024-01-03", "2024-01-04"]
