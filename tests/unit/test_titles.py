"""Title rules: h1 vs meta titles, site-name stripping, candidates with reasons."""

from __future__ import annotations

from pipelines.enrich.metadata_html import gather, parse_tree
from pipelines.enrich.titles import choose_title, names_site, strip_site
from pipelines.models import Extraction


def titled(head: str, body: str = "", url: str | None = "https://www.example-news.com/a", names=()) -> Extraction:
    sig = gather(parse_tree(f"<html><head>{head}</head><body>{body}</body></html>"), url)
    ext = Extraction(text="x", url=url)
    choose_title(ext, sig, site_names=list(names))
    return ext


def test_strip_suffix_and_prefix_site_names() -> None:
    names = ["The Daily Example"]
    assert strip_site("Budget vote delayed | The Daily Example", names, None) == "Budget vote delayed"
    assert strip_site("The Daily Example » Budget vote delayed", names, None) == "Budget vote delayed"
    assert strip_site("Budget vote delayed – Daily Example", names, None) == "Budget vote delayed"


def test_strip_domain_written_out() -> None:
    assert strip_site("Ten tips for tomatoes - GreenCorner.com", [], "greencorner.com") == "Ten tips for tomatoes"
    assert strip_site("Ten tips for tomatoes :: Greencorner", [], "greencorner.com") == "Ten tips for tomatoes"


def test_inner_separators_of_the_headline_are_kept() -> None:
    title = "Election 2024 - what happens next | The Daily Example"
    assert strip_site(title, ["The Daily Example"], None) == "Election 2024 - what happens next"


def test_section_label_is_stripped() -> None:
    assert strip_site("Why we should all meditate | Opinion", [], None) == "Why we should all meditate"


def test_names_site_does_not_eat_a_headline() -> None:
    assert not names_site("Storm closes ports along the coast", ["Coast News"], "coastnews.com")


def test_h1_confirmed_by_og_title_wins() -> None:
    head = '<meta property="og:title" content="Budget vote delayed - Example News"><title>Budget | Example</title>'
    ext = titled(head, "<h1>Budget vote delayed</h1>")
    assert ext.title == "Budget vote delayed"
    assert ext.provenance["title"] == "h1"


def test_sole_h1_wins_over_different_meta_title() -> None:
    ext = titled("<title>SEO title for search engines</title>", "<article><h1>The headline readers see</h1></article>")
    assert ext.title == "The headline readers see"


def test_logo_h1_is_not_a_title() -> None:
    head = '<meta property="og:site_name" content="Example News"><title>Real headline here | Example News</title>'
    ext = titled(head, "<h1>Example News</h1><h1>Something else entirely here</h1>", names=["Example News"])
    assert ext.title == "Real headline here"
    assert ext.provenance["title"] == "title-tag"


def test_jsonld_headline_and_entities() -> None:
    head = '<script type="application/ld+json">{"@type": "NewsArticle", "headline": "Full &#038; Part Time"}</script>'
    ext = titled(head)
    assert ext.title == "Full & Part Time"
    assert ext.provenance["title"] == "jsonld:headline"


def test_no_title_candidates_leaves_none() -> None:
    ext = titled("", "<p>text</p>", url=None)
    assert ext.title is None


def test_headline_text_is_read_as_shown() -> None:
    from pipelines.enrich.titles import headline_text

    cases = [
        # A drop cap or hand-lettered initial in its own element is part of the word.
        ('<h1><a>Cut Your Planning <span class="hand">C</span>ycle in Two</a></h1>', "Cut Your Planning Cycle in Two"),
        # A dateline <time> inside the headline link is not the headline.
        ('<h1><a><time datetime="2025-12-18">Dec <span>18</span> 2025</time> Preparing a transition</a></h1>',
         "Preparing a transition"),
        # Spans set apart by CSS, a line break, a label: separate words.
        ("<h1><span>The Best Notion Alternatives</span><span>Top Tools</span></h1>",
         "The Best Notion Alternatives Top Tools"),
        ("<h1>First line<br>second line</h1>", "First line second line"),
        ("<h1><a>jdoe</a><span>/</span><b>notes.md</b></h1>", "jdoe / notes.md"),
    ]
    for html, text in cases:
        assert headline_text(parse_tree(f"<html><body>{html}</body></html>").find(".//h1")) == text, html


def test_headline_with_a_drop_cap_is_the_title() -> None:
    body = '<h1><a>How AI Can Cut Your Planning <span class="hand">C</span>ycle From Two Weeks</a></h1>'
    ext = titled('<meta property="og:title" content="How AI Can Cut Your Planning Cycle From Two Weeks">', body)
    assert ext.title == "How AI Can Cut Your Planning Cycle From Two Weeks"
