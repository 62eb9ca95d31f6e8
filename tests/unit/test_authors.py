"""Author rules: cleaning bylines, rule order, organisations kept apart."""

from __future__ import annotations

import pytest

from pipelines.enrich.authors import _drop_abbreviated, choose_authors
from pipelines.enrich.byline_names import clean_byline
from pipelines.enrich.metadata_html import gather, parse_tree, site_names
from pipelines.models import Extraction


@pytest.mark.parametrize(
    ("raw", "people", "orgs"),
    [
        ("By Jane Doe", ["Jane Doe"], []),
        ("Keith Barry Senior Autos Reporter", ["Keith Barry"], []),
        ("Jane Doe, John Roe and Ann Lee", ["Jane Doe", "John Roe", "Ann Lee"], []),
        ("Jane Doe & John Roe", ["Jane Doe", "John Roe"], []),
        ("By Jane Doe, Staff Writer", ["Jane Doe"], []),
        # Credentials stay as the byline writes them; a job title goes.
        ("Vanessa Mendez, MD", ["Vanessa Mendez, MD"], []),
        ("Dylan Bailey, MS, RD, FAND", ["Dylan Bailey, MS, RD, FAND"], []),
        ("By Genevieve Carlton, Ph.D.", ["Genevieve Carlton, Ph.D."], []),
        ("Rebecca Lake, CEPF®", ["Rebecca Lake, CEPF®"], []),
        ("Jeffrey A. Slotnick CPP, PSP", ["Jeffrey A. Slotnick CPP, PSP"], []),
        ("Ann Lee, MD and Bo Chen, PhD", ["Ann Lee, MD", "Bo Chen, PhD"], []),
        ("Jane Doe, Staff Writer, MD", ["Jane Doe"], []),
        ("Jane Doe, gastroenterologist, Parkview Health", ["Jane Doe"], []),
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
    rejected = [(c.rule, c.reason) for c in ext.candidates if not c.accepted]
    # A person in JSON-LD ends the search before the page is scanned for bylines (the costly part).
    assert rejected == [("meta:author", "jsonld:author preferred"),
                        ("byline", "page not scanned: jsonld:author names a person")]


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


_ORG_LD = (
    '<script type="application/ld+json">{"@type": "Article", "author": {"@type": "Organization", '
    '"name": "Acme Media"}}</script>'
)


def test_author_element_names_the_person_behind_an_organisation_in_structured_data() -> None:
    ext = authors_of(_ORG_LD, '<article><div class="post-author-name">Liza Burke</div><p>Text.</p></article>')
    assert ext.authors == ["Liza Burke"] and ext.provenance["authors"] == "byline"


def test_by_line_showing_the_organisation_keeps_the_author_element_out() -> None:
    # "By Acme Media" on the page confirms the staff byline; the named element is the reviewer.
    body = ('<article><p>By Acme Media</p><div class="author">Rita Stone</div><p>Text.</p></article>')
    ext = authors_of(_ORG_LD, body)
    assert ext.authors == [] and ext.organizations == ["Acme Media"]


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


# --- cleaning: reviewers, titles, dates, page furniture -------------------------------------------------------


@pytest.mark.parametrize(
    ("raw", "people"),
    [
        # Reviewers, editors and updaters are credited, but they did not write the piece.
        ("By Jane Doe | Reviewed by John Roe, MD", ["Jane Doe"]),
        ("Medically reviewed by Ann Lee, MD", []),
        ("Written by Jane Doe Fact-checked by Bo Chen", ["Jane Doe"]),
        ("Updated by Jon Link", []),
        # Separators, titles and dates after the name.
        ("By Chris Moe ⋅ Founder and Editor-in-Chief ⋅ Updated May 6, 2025", ["Chris Moe"]),
        ("by Jane Doe 18th Dec 2025", ["Jane Doe"]),
        ("Ann Lee Former Consultant", ["Ann Lee"]),
        ("Jane Doe\nSenior Editor", ["Jane Doe"]),
        ("Nina Park\nRN, BSN, Certified Pediatric Sleep Consultant", ["Nina Park"]),
        # Job titles joined by "&" are not more people.
        ("Nicole Forbes, Master Horticulturalist & Garden Educator", ["Nicole Forbes"]),
        ("By Ada Ruiz, Family Law Attorney", ["Ada Ruiz"]),
    ],
)
def test_clean_byline_drops_reviewers_titles_and_dates(raw: str, people: list[str]) -> None:
    assert clean_byline(raw)[0] == people


@pytest.mark.parametrize(
    ("raw", "people", "orgs"),
    [
        ("Posted by BeauHD on Friday December 19, 2025 @08:00PM from the job-market dept.", ["BeauHD"], []),
        ("Posted by David at December 16, 2025 11:15 AM", ["David"], []),
        ("by jdoe42", ["jdoe42"], []),
        ("By MixmasterFred in Workshop Woodworking", ["MixmasterFred"], []),
        ("Dec. 19, 2025 · Niko Mattson on behalf of the Vision Doc group", ["Niko Mattson"], []),
        ("By A. J. Neal View In Digital Edition", ["A. J. Neal"], []),
        ("WRITTEN BY Acme Orbi Team Share Article Copy link", [], ["Acme Orbi Team"]),
        ("Read more about The Example Team", [], ["The Example Team"]),
        ("This post was written by Dana Poe, Head of Marketing and Community Development", ["Dana Poe"], []),
        ("By Brett Cole, Privacy and Digital Security Expert", ["Brett Cole"], []),
        # Labels and sort options are not names.
        ("Written By", [], []),
        ("By Category", [], []),
        ("by this.", [], []),
    ],
)
def test_clean_page_byline(raw: str, people: list[str], orgs: list[str]) -> None:
    assert clean_byline(raw, loose=True, single=True) == (people, orgs)


def test_admin_accounts_are_not_people() -> None:
    assert authors_of('<meta name="author" content="NOC Admin">').authors == []


def test_drop_abbreviated_keeps_the_plain_name() -> None:
    assert _drop_abbreviated(["Scott P", "Scott Pletcher"]) == ["Scott Pletcher"]
    assert _drop_abbreviated(["Ann Lee Gardener", "Ann Lee"]) == ["Ann Lee"]


# --- structured sources ----------------------------------------------------------------------------------------


def test_twitter_written_by_pair() -> None:
    ext = authors_of('<meta name="twitter:label1" content="Written by"><meta name="twitter:data1" content="Ann Lee">'
                     '<meta name="twitter:label2" content="Time to read"><meta name="twitter:data2" content="4 min">')
    assert ext.authors == ["Ann Lee"]
    assert ext.provenance["authors"] == "meta:twitter:data"


def test_citation_author_is_surname_first() -> None:
    ext = authors_of('<meta name="citation_author" content="Roy, Aniruddha">'
                     '<meta name="citation_author" content="Patel, Jyoti">')
    assert ext.authors == ["Aniruddha Roy", "Jyoti Patel"]


def test_lone_structured_name_confirmed_by_first_byline() -> None:
    ext = authors_of('<script type="application/ld+json">{"@type": "Article", "author": {"@type": "Person", '
                     '"name": "Mazi"}}</script>',
                     '<span class="author">Mazi<br>December 19, 2025</span>'
                     '<div class="more"><span class="author">David Shields<br>November 6, 2025</span></div>')
    assert ext.authors == ["Mazi"]
    assert ext.provenance["authors"] == "jsonld:author"


# --- page bylines ----------------------------------------------------------------------------------------------


def page_authors(html: str, names=(), fallback=None) -> Extraction:
    sig = gather(parse_tree(html), "https://example.com/a")
    ext = Extraction(text="x")
    choose_authors(ext, sig, site_names=list(names), fallback=fallback)
    return ext


def test_layout_flags_do_not_hide_the_byline() -> None:
    html = ('<html><body class="single has-sidebar content-sidebar"><main class="has-content-sidebar">'
            '<div class="elementor-widget-container"><a rel="author" href="/author/ann">Ann Lee</a></div>'
            '<section class="m-article--sidebar-right"><p>x</p></section></main></body></html>')
    assert page_authors(html).authors == ["Ann Lee"]
    sidebar = ('<html><body><p class="byline">By Ann Lee</p>'
               '<aside class="sidebar"><a rel="author" href="/author/bo">Bo Chen</a></aside></body></html>')
    assert page_authors(sidebar).authors == ["Ann Lee"]


def test_byline_element_lines_keep_name_and_title_apart() -> None:
    html = ('<html><body><div class="author-box"><div class="name">Written by <span>Meg Neville</span></div>'
            '<div class="position">Content Marketing Coordinator</div></div></body></html>')
    assert page_authors(html).authors == ["Meg Neville"]


def test_link_to_author_page_is_a_byline() -> None:
    html = '<html><body><a href="/blog/authors/emma-oyibo"><span>Emma Oyibo</span></a></body></html>'
    assert page_authors(html).authors == ["Emma Oyibo"]


@pytest.mark.parametrize(
    ("body", "people"),
    [
        ('<div class="meta">by <span>Ann Lee</span> on <span>Jan 22, 2025</span></div>', ["Ann Lee"]),
        ("<p>by: <!-- -->Ziyi Xu<!-- -->,<!-- --> <!-- -->Dec 17, 2025</p>", ["Ziyi Xu"]),
        ('<div class="tags"><strong>Contributors:</strong> Janet Lowry</div>', ["Janet Lowry"]),
        ("<h2>Article by</h2><div>Matias Heikkinen</div>", ["Matias Heikkinen"]),
        ('<p class="x">Authored by: Dr. Ehsan Jazini</p>', ["Dr. Ehsan Jazini"]),
        ("<h3>Written by Cass Horton</h3><p>Cass Horton is a finance writer.</p>", ["Cass Horton"]),
        ("<h6>Author(s)</h6><ul><li><a>John A. Alic</a></li><li><a>David C. Mowery</a></li></ul>",
         ["John A. Alic", "David C. Mowery"]),
        ("<div><strong>Written by</strong> <br><strong><a>Ann Lee</a></strong>, 4+ years covering hardware<br>"
         "<strong><a>Bo Chen</a></strong>, senior editor and E Ink enthusiast</div>", ["Ann Lee", "Bo Chen"]),
        ('<div class="node__meta"><time>03/01/2017</time> by Agatha Caleo, Candidate Representative</div>',
         ["Agatha Caleo"]),
        # A credit in the article's own words; the employer after a lower-case job title is not a writer.
        ('<p><em>This post was written by <a href="/p/1">Vanessa Mendez, MD</a>, gastroenterologist, Parkview '
         "Health.</em></p>", ["Vanessa Mendez, MD"]),
        ("<p>This article was authored by Ann Lee, professor of history, Lakeside University.</p>", ["Ann Lee"]),
        ('<p>Read <a href="/x">this study</a> by Jane Doe and others.</p>', []),
        ("<p>The study was written by Jane Doe in 1999 and is still read.</p>", []),
        ("<p>By batching, we can have better latency during spikes.</p>", []),
        ('<h2>Article written by:</h2><div><img src="a.webp" alt="Headshot"><div><h3>Doris Munoz-Mantilla, MD, FOMA'
         "</h3><p>Doris is an obesity medicine physician.</p></div></div>", ["Doris Munoz-Mantilla, MD, FOMA"]),
        # Avatar cards after a lone label: initials, name, job title for each writer.
        ("<aside><div><span>Author</span></div><div><div><div><span>CP</span></div><div><div>Chengcheng Pei</div>"
         "<span>Staff Software Engineer, MongoDB</span></div></div><div><div><span>YL</span></div><div><div>Yuan Lin"
         "</div><span>Director of Engineering, MongoDB</span></div></div></div></aside>",
         ["Chengcheng Pei", "Yuan Lin"]),
    ],
)
def test_written_bylines(body: str, people: list[str]) -> None:
    assert authors_of("", body).authors == people


def test_label_then_name_in_address() -> None:
    ext = authors_of("", '<ul><li>Written by <address>The Team</address></li><li>Published on <time>2025-12-19</time>'
                         "</li></ul>")
    assert ext.authors == [] and ext.organizations == ["The Team"]


def test_by_line_narrows_author_elements_to_the_writer() -> None:
    # Author elements mark the writer and an expert reviewer; the "By …" line names the writer only.
    body = ('<div class="byline"><span class="mobile">By</span> <span class="author-name"><a href="/author/bc">'
            'Brett Cole</a><span>, Privacy Expert</span></span></div>'
            '<div class="expert"><span class="author-name"><a href="/author/gp">Gene Pratt</a></span></div>')
    ext = authors_of("", body)
    assert ext.authors == ["Brett Cole"]
    assert ext.provenance["authors"] == "byline:label"


def test_updated_by_in_an_author_element_is_not_an_author() -> None:
    body = ('<span class="byline-author">By <a href="/people/bp">Ben Preston</a></span>'
            '<span itemprop="author">Updated by <a href="/people/jl">Jon Linkov</a></span>')
    assert authors_of("", body).authors == ["Ben Preston"]


def test_site_name_in_page_byline_is_an_organisation() -> None:
    ext = authors_of("", '<span class="author">whova</span>', names=["Whova"])
    assert ext.authors == [] and ext.organizations == ["whova"]


def test_trafilatura_fallback_only_for_author_marks_in_left_out_regions() -> None:
    calls: list[int] = []

    def fallback() -> str:
        calls.append(1)
        return "Emma Ryan"

    assert authors_of("", "<p>No byline here.</p>", fallback=fallback).authors == []
    assert calls == []
    ext = authors_of("", '<nav><div class="article-author">Written by Emma Ryan</div></nav>', fallback=fallback)
    assert (ext.authors, calls) == (["Emma Ryan"], [1])


def test_organisation_name_with_and_stays_whole() -> None:
    ext = authors_of('<script type="application/ld+json">{"@type": "Article", "author": {"@type": "Organization", '
                     '"name": "Center for Drug Evaluation and Research"}}</script>')
    assert ext.authors == [] and ext.organizations == ["Center for Drug Evaluation and Research"]
    assert clean_byline("Jane Doe and Reuters") == (["Jane Doe"], ["Reuters"])


def test_author_box_name_heads_a_long_bio() -> None:
    bio = "Bence is a software developer specialising in audio plugins and game engines, based in Budapest. " * 2
    body = f'<div class="blog-author"><h4>Bence Kovac</h4><p>{bio}</p></div>'
    assert authors_of("", body).authors == ["Bence Kovac"]


def test_avatar_initials_are_not_a_name() -> None:
    assert authors_of("", '<div><span>Author</span></div><div><span>CP</span></div>').authors == []


def test_first_written_byline_wins_over_later_ones() -> None:
    body = ("<p>By Ann Lee</p><article><h2>Open Access</h2><ul><li>By Rose Potter and Betsy Arnold</li></ul>"
            "</article>")
    assert authors_of("", body).authors == ["Ann Lee"]
    assert authors_of("", "<ul><li>Shop By Category By Manufacturer</li><li>By Category</li></ul>").authors == []


def test_sidebar_author_only_when_the_article_has_none() -> None:
    sidebar = ('<div class="l-grid__sidebar"><h6>Author(s)</h6><ul><li><a>John A. Alic</a></li>'
               "<li><a>David C. Mowery</a></li></ul></div>")
    ext = authors_of("", f"<div>{sidebar}<p>Text.</p></div>")
    assert ext.authors == ["John A. Alic", "David C. Mowery"]
    assert ext.provenance["authors"] == "byline:sidebar"
    assert authors_of("", f'<p>By Ann Lee</p>{sidebar}').authors == ["Ann Lee"]
    comments = '<div class="comments"><p>Author: Troll McTroll</p></div>'
    assert authors_of("", comments).authors == []


def test_sidebar_author_when_structured_data_name_only_the_site() -> None:
    head = '<script type="application/ld+json">{"@type": "Article", "author": {"name": "Corti"}}</script>'
    sidebar = ('<div class="sidebar"><div class="post_author-name">Corti</div><div class="post_author-title">AI '
               'platform</div><div class="post_author-name">Joakim Edin</div></div>')
    ext = authors_of(head, f"<div>{sidebar}<p>Text.</p></div>", names=["Corti"])
    assert ext.authors == ["Joakim Edin"]
    assert ext.provenance["authors"] == "byline:sidebar"
    # An organisation in structured data still ends the search: a sidebar is no "By …" line.
    org = '<script type="application/ld+json">{"@type": "Article", "author": {"name": "Acme Clinic"}}</script>'
    ext = authors_of(org, f"<div>{sidebar}<p>Text.</p></div>", names=["Corti"])
    assert (ext.authors, ext.organizations) == ([], ["Acme Clinic"])


def site_owner(head: str, url: str) -> list[str]:
    sig = gather(parse_tree(f"<html><head>{head}</head><body><p>Text.</p></body></html>"), url)
    ext = Extraction(text="x")
    choose_authors(ext, sig, site_names=site_names(sig))
    return ext.authors


@pytest.mark.parametrize(
    ("head", "url", "authors"),
    [
        ("<title>Self-host Postgres | Pierce Freeman</title>", "https://pierce.dev/notes/pg", ["Pierce Freeman"]),
        ('<meta property="og:site_name" content="Polly Barks">', "https://pollybarks.com/blog/a", ["Polly Barks"]),
        ("<title>A transition | Colin Watson's blog</title>", "https://example.org/~cjwatson/blog/a",
         ["Colin Watson"]),
        ("<title>The Fold-and-Cut Problem (Erik Demaine)</title>", "https://erikdemaine.org/foldcut", ["Erik Demaine"]),
        # A brand spelled by its domain is not a person: no given name, or a word that names the subject.
        ('<meta property="og:site_name" content="Menlo Coaching">', "https://menlocoaching.com/mba", []),
        ('<meta property="og:site_name" content="Ironhack Blog">', "https://www.ironhack.com/us/blog/a", []),
        # A person's name on an address that does not spell it names the outlet's subject, not its owner.
        ("<title>Remembering the senator | Colin Watson</title>", "https://example-news.com/a", []),
    ],
)
def test_personal_site_owner_is_the_author_when_the_page_names_none(head: str, url: str, authors: list[str]) -> None:
    assert site_owner(head, url) == authors


@pytest.mark.parametrize(
    ("href", "url", "authors"),
    [
        ("/", "https://www.artmann.co/articles/br-tags", ["Christoffer Artmann"]),
        ("https://artmann.co/", "https://artmann.co/articles/br-tags", ["Christoffer Artmann"]),
        ("/about", "https://artmann.co/articles/br-tags", []),  # not the site's root: any page's link
        ("/", "https://example-news.com/a", []),  # the address does not spell the name
    ],
)
def test_blog_header_link_home_names_the_owner(href: str, url: str, authors: list[str]) -> None:
    page = f'<html><body><header><a href="{href}">Christoffer Artmann</a></header><p>Text.</p></body></html>'
    sig = gather(parse_tree(page), url)
    ext = Extraction(text="x")
    choose_authors(ext, sig, site_names=site_names(sig))
    assert ext.authors == authors


def test_personal_site_owner_does_not_override_a_byline() -> None:
    head = '<meta property="og:site_name" content="Polly Barks"><meta name="author" content="Jane Doe">'
    assert site_owner(head, "https://pollybarks.com/blog/a") == ["Jane Doe"]


def test_name_after_the_writers_avatar_is_a_byline() -> None:
    body = (
        "<article><h1>Pricing guide</h1><p>Dec 26, 2025 <span>&bull;</span> "
        "<img src='/a.png' class='avatar avatar-xs'/> Mahua Das in <a href='/pm'>Project Management</a></p>"
        "<p>Text.</p></article>"
    )
    assert authors_of("", body).authors == ["Mahua Das"]
    comment = "<div class='comments'><img class='avatar'/> Troll McTroll says:</div>"
    assert authors_of("", f"<article><p>Text.</p></article>{comment}").authors == []


def test_view_all_posts_by_names_the_writer() -> None:
    # The link out of an author box at the foot of the article ("All articles by", "View all posts by").
    box = ('<div class="w-full"><p class="title_medium_bold">{name}</p><h6>Enterprise Sales Executive</h6>'
           '<p>{name} has ten years in HR services.</p><button aria-label="All articles by {name}">'
           "<span>{label} {name}</span></button></div>")
    for label in ("All articles by", "View all posts by", "More articles by", "See all stories by"):
        footer = box.format(name="Elliot Raba", label=label)
        body = f"<article><h1>HR shared services</h1><p>Text.</p></article>{footer}"
        assert authors_of("", body).authors == ["Elliot Raba"], label
    # "More posts from this author" names no one; "View all posts by category" is navigation.
    assert authors_of("", "<p>Text.</p><a>More posts from this author</a>").authors == []
    assert authors_of("", "<p>Text.</p><a>View all posts by category</a>").authors == []


BIO = "<p>Text of the article.</p><p>Juliette Carreiro is a skilled content creator and tech writer.</p>"


def test_writer_bio_names_the_author_when_nothing_else_does() -> None:
    ext = authors_of("", BIO)
    assert (ext.authors, ext.provenance["authors"]) == (["Juliette Carreiro"], "page:bio")
    # An organisation on the page's own "By" line gives way to the person the bio presents.
    assert authors_of("", f"<p>By Ovolo Collective Hotels</p>{BIO}").authors == ["Juliette Carreiro"]


@pytest.mark.parametrize(
    ("card", "people"),
    [
        ('<p><img src="tim.png" alt="Tim Green"></p><p><strong>Tim Green</strong> <em>UK-based Systems Theorist &amp; '
         "Independent Technology Writer</em></p>", ["Tim Green"]),
        ("<p>Ann Lee, Senior Staff Writer</p>", ["Ann Lee"]),
        # No writing role, no given name, a long paragraph, the comments: no card.
        ("<p><strong>Tim Green</strong> <em>Systems Theorist</em></p>", []),
        ("<p>Acme Widgets Technology Writer</p>", []),
        ("<p>Tim Green met a writer in Leeds and they talked for a long while about books, places and the weather"
         " that summer, then went home to his journalist friends.</p>", []),
        ('<div class="comments"><p>Tim Green, freelance writer</p></div>', []),
    ],
)
def test_an_author_card_names_the_author_when_nothing_else_does(card: str, people: list[str]) -> None:
    ext = authors_of("", f"<p>Text of the article.</p>{card}")
    assert ext.authors == people


@pytest.mark.parametrize(
    ("head", "body"),
    [
        # A byline, or an organisation named in structured data, is not overruled by a bio.
        ("", f"<p>By Ann Lee</p>{BIO}"),
        ('<script type="application/ld+json">{"@type": "Article", "author": {"@type": "Organization", '
         '"name": "The Example Team"}}</script>', BIO),
        # A bio in the comments, a sentence about someone who is no writer, a name that is no given name.
        ("", '<div class="comments"><p>Juliette Carreiro is a skilled content creator.</p></div>'),
        ("", "<p>Juliette Carreiro is a skilled carpenter from Lyon.</p>"),
        ("", "<p>Acme Widgets is a leading content creator.</p>"),
    ],
)
def test_bio_is_a_last_resort(head: str, body: str) -> None:
    assert "Juliette Carreiro" not in authors_of(head, body).authors
    assert "Acme Widgets" not in authors_of(head, body).authors


def test_a_later_source_listing_more_authors_after_the_first_wins() -> None:
    paper = '<meta name="DC.Creator" content="Jennifer Huberty">' + "".join(
        f'<meta name="citation_authors" content="{n}">' for n in ("Huberty, Jennifer", "Jeni Green", "Chong Lee"))
    ext = authors_of(paper)
    assert (ext.authors, ext.provenance["authors"]) == (
        ["Jennifer Huberty", "Jeni Green", "Chong Lee"], "meta:citation_authors")
    # A later list that does not start with the chosen name is another credit, not the full list.
    other = '<meta name="author" content="Ann Lee"><meta name="citation_author" content="Bo Chen">' \
            '<meta name="citation_author" content="Ann Lee">'
    assert authors_of(other).authors == ["Ann Lee"]


@pytest.mark.parametrize(
    ("byline", "credited"),
    [
        ('<span class="author">Kaspersky</span>', ["Kaspersky"]),  # a brand, named in a byline element
        ('<p class="byline">By crazy lennys</p>', ["crazy lennys"]),  # a handle in lower case
        ('<div class="post-author"><a href="/author/atd">Ask the Doctors</a></div>', ["Ask the Doctors"]),
        # Not a name: a date and a section, navigation, a label, a multi-line block, a link to "/authorization".
        ('<section class="byline"><time>March 20, 2023</time> | <a href="/w">Wellness &amp; Prevention</a>'
         '</section>', []),
        ('<div class="author-hidden"><a>Skip to content</a><p>Search for:</p></div>', []),
        ('<span class="author">Written by</span>', []),
        ('<a href="https://support.example.com/authorization">Authorization tool</a>', []),
    ],
)
def test_a_byline_naming_no_person_is_kept_as_an_organisation(byline: str, credited: list[str]) -> None:
    """A credit that is neither a person's nor a known organisation's name is who the page credits: it is kept
    in organizations (apart from people), as the last resort, rather than lost."""
    ext = page_authors(f"<html><body><article><h1>Title</h1>{byline}<p>Text of the article.</p></article>"
                       "</body></html>")
    assert ext.authors == []
    assert ext.organizations == credited
    if credited:
        assert ext.provenance["authors"].endswith(":organisation")


def test_a_person_anywhere_beats_a_byline_naming_no_person() -> None:
    html = ('<html><body><article><span class="author">Kaspersky</span><p>By Jane Doe</p>'
            '<p>Text of the article.</p></article></body></html>')
    ext = page_authors(html)
    assert ext.authors == ["Jane Doe"] and ext.organizations == []


def test_an_empty_fallback_byline_is_no_name() -> None:
    # trafilatura's author fallback can be only separators: no values to read, and no crash.
    from pipelines.enrich.byline_names import unread_name

    assert unread_name([]) is None
    html = ('<html><body><article><h1>Title</h1><p>Text of the article.</p></article>'
            '<div class="comments"><span class="author">Commenter</span></div></body></html>')
    ext = page_authors(html, fallback=lambda: ";")
    assert ext.authors == [] and ext.organizations == []


def _datalayer(author: str) -> str:
    return ('<script data-cfasync="false">var dataLayer_content = {"pagePostType":"post",'
            f'"pagePostAuthor":"{author}"}}; dataLayer.push( dataLayer_content );</script>')


def test_the_posting_account_of_a_wordpress_datalayer_is_the_very_last_rule() -> None:
    ext = authors_of(_datalayer("Krystyna"), "<p>Nothing here names a writer.</p>")
    assert (ext.authors, ext.provenance["authors"]) == (["Krystyna"], "datalayer:pagePostAuthor")
    assert authors_of(_datalayer("Zo\\u00eb Kim"), "").authors == ["Zoë Kim"]
    assert authors_of(_datalayer("Ann B. Lee"), "").authors == ["Ann B. Lee"]
    # Any byline comes first: the account may be a colleague's.
    assert authors_of(_datalayer("Emily Reynolds"), "<p>By Liz Kenny</p>").authors == ["Liz Kenny"]


@pytest.mark.parametrize("account", ["andrew.keaveney", "admin", "web_team2", "Jane Doe, Ann Lee"])
def test_a_datalayer_username_is_no_author(account: str) -> None:
    assert authors_of(_datalayer(account), "<p>Nothing here names a writer.</p>").authors == []
