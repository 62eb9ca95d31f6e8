"""Author rules: cleaning bylines, rule order, organisations kept apart."""

from __future__ import annotations

import pytest

from pipelines.enrich.authors import choose_authors, clean_byline
from pipelines.enrich.metadata_html import gather, parse_tree
from pipelines.models import Extraction


@pytest.mark.parametrize(
    ("raw", "people", "orgs"),
    [
        ("By Jane Doe", ["Jane Doe"], []),
        ("Keith Barry Senior Autos Reporter", ["Keith Barry"], []),
        ("Jane Doe, John Roe and Ann Lee", ["Jane Doe", "John Roe", "Ann Lee"], []),
        ("Jane Doe & John Roe", ["Jane Doe", "John Roe"], []),
        ("By Jane Doe, Staff Writer", ["Jane Doe"], []),
        ("Vanessa Mendez, MD", ["Vanessa Mendez"], []),
        ("Jane Doe jane.doe@example.com @janedoe", ["Jane Doe"], []),
        ("By Jane Doe | Updated Nov. 19, 2024 10:00 AM", ["Jane Doe"], []),
        ("Jane Doe https://example.com/jane", ["Jane Doe"], []),
        ("The Associated Press", [], ["The Associated Press"]),
        ("Jane Doe and Reuters", ["Jane Doe"], ["Reuters"]),
        ("Staff", [], ["Staff"]),
        ("Tom May", ["Tom May"], []),
        ("JANE DOE", ["Jane Doe"], []),
    ],
)
def test_clean_byline(raw: str, people: list[str], orgs: list[str]) -> None:
    assert clean_byline(raw) == (people, orgs)


@pytest.mark.parametrize("junk", ["Share", "View all posts", "Follow", "5 min read", "Comments"])
def test_navigation_junk_is_not_a_person(junk: str) -> None:
    assert clean_byline(junk, loose=True)[0] == []


def authors_of(head: str, body: str = "", names=(), fallback: str | None = None) -> Extraction:
    sig = gather(parse_tree(f"<html><head>{head}</head><body>{body}</body></html>"), "https://example.com/a")
    ext = Extraction(text="x")
    choose_authors(ext, sig, site_names=list(names), fallback=fallback)
    return ext


def test_jsonld_beats_meta_and_byline() -> None:
    ext = authors_of('<script type="application/ld+json">{"@type": "Article", "author": {"@type": "Person", '
                     '"name": "Jane Doe"}}</script><meta name="author" content="Someone Else">',
                     '<p class="byline">By Third Person</p>')
    assert ext.authors == ["Jane Doe"]
    assert ext.provenance["authors"] == "jsonld:author"
    assert [c.rule for c in ext.candidates if not c.accepted] == ["meta:author", "byline", "byline:label"]


def test_meta_author_variants() -> None:
    assert authors_of('<meta name="parsely-author" content="Ann Lee">').authors == ["Ann Lee"]
    assert authors_of('<meta name="sailthru.author" content="Ann Lee">').authors == ["Ann Lee"]
    assert authors_of('<meta property="article:author" content="https://facebook.com/x">').authors == []


def test_byline_element_and_label() -> None:
    assert authors_of("", '<span itemprop="author"><span itemprop="name">Ann Lee</span></span>').authors == ["Ann Lee"]
    assert authors_of("", '<div><p>Written by</p><p>Ann Lee</p></div>').authors == ["Ann Lee"]
    assert authors_of("", '<a rel="author" href="/a">Ann Lee</a>').provenance["authors"] == "byline"


def test_comment_authors_are_ignored() -> None:
    ext = authors_of("", '<div class="comments"><span class="comment-author">Troll McTroll</span></div>')
    assert ext.authors == []


def test_organisation_author_goes_to_organizations() -> None:
    ext = authors_of('<script type="application/ld+json">{"@type": "NewsArticle", "author": '
                     '{"@type": "Organization", "name": "Reuters"}}</script>', '<span class="author">Share</span>')
    assert ext.authors == []
    assert ext.organizations == ["Reuters"]
    assert ext.provenance["authors"].endswith("organisation")


def test_site_name_as_author_is_an_organisation_unless_typed_person() -> None:
    ext = authors_of('<meta name="author" content="Example Clinic">', names=["Example Clinic"])
    assert ext.authors == [] and ext.organizations == ["Example Clinic"]
    ext = authors_of('<script type="application/ld+json">{"@type": "Article", "author": {"@type": "Person", '
                     '"name": "Rita Stone"}}</script>', names=["Rita Stone"])
    assert ext.authors == ["Rita Stone"]


def test_username_only_used_when_nothing_better() -> None:
    ext = authors_of('<meta name="author" content="jdoe42">', fallback="Jane Doe")
    assert ext.authors == ["Jane Doe"]
    assert authors_of('<meta name="author" content="jdoe42">').authors == ["jdoe42"]
