"""The shared paragraph cleaner and the plain-text extractor, on the project's own made-up articles."""

from __future__ import annotations

import re
import unicodedata
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from pipelines.enrich.byline_names import split_byline
from pipelines.extract.cleaning import (
    clean_paragraphs,
    clean_summary,
    clean_text,
    is_chatter,
    is_date_stamp,
    is_engagement_prompt,
    is_furniture,
    join_broken_sentences,
    normalize_space,
    split_paragraphs,
)
from pipelines.extract.text import extract_plain, title_problem

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures" / "text"


def read(name: str) -> str:
    return (FIXTURES / name).read_text(encoding="utf-8")


# --- paragraphs ----------------------------------------------------------------------------------------


def body(ex) -> str:
    """The text after the title line, which heads plain-text articles once."""
    return ex.text.split("\n\n", 1)[1] if ex.title else ex.text


def test_normalize_space_collapses_and_fixes_space_before_punctuation() -> None:
    assert normalize_space("\u00a0 a  b\u200bc\td , e .") == "a bc d, e."
    assert normalize_space("wait ... what") == "wait ... what"


def test_split_paragraphs_one_per_line_or_blank_separated() -> None:
    assert split_paragraphs("A.\nB.\n\nC.") == ["A.", "B.", "C."]


def test_split_paragraphs_joins_hard_wrapped_lines() -> None:
    text = "The council met on Tuesday and\nvoted to build the lanes.\nIt passed."
    assert split_paragraphs(text) == ["The council met on Tuesday and voted to build the lanes.", "It passed."]


@pytest.mark.parametrize(
    ("paragraphs", "joined"),
    [
        (["One of the U.S.", "officials said so."], ["One of the U.S. officials said so."]),
        (["Austin on Nov.", "20 explained it."], ["Austin on Nov. 20 explained it."]),
        (["He met Sen.", "smith's staff."], ["He met Sen. smith's staff."]),
        (["It began at 9 a.m.", "on Friday."], ["It began at 9 a.m. on Friday."]),
        (["Funds from the E.U.", "arrived."], ["Funds from the E.U. arrived."]),
        (["The mayor said,", "the lanes will help."], ["The mayor said, the lanes will help."]),
    ],
)
def test_broken_sentences_are_joined(paragraphs: list[str], joined: list[str]) -> None:
    assert join_broken_sentences(paragraphs) == joined


@pytest.mark.parametrize(
    "paragraphs",
    [
        ["He said it in the U.S.", "Defense officials agreed."],  # next starts uppercase: a new sentence
        ["It ended.", "officials said so."],  # a real full stop
        ["Work starts in 2024.", "2025 will be busier."],  # a number after a real stop
    ],
)
def test_real_paragraph_breaks_are_kept(paragraphs: list[str]) -> None:
    assert join_broken_sentences(paragraphs) == paragraphs


@pytest.mark.parametrize(
    "line",
    ["Comments( 0 )", "12 comments", "AI Chat", "Advertisement", "Share", "Print", "Related: Budget approved",
     "Read more: Town budget approved", "Posted on 11/20/2024", "Published: Nov. 19, 2024", "Updated 3:05 p.m.",
     "November 19, 2024", "* * *", "Share your thoughts in the comments below.", "Leave a comment",
     "Subscribe to our newsletter for more local news.", "Follow us on Twitter", "Click here to read more",
     "What do you think? Tell us.", "Teilen", "12 Kommentare", "Anzeige", "Lesen Sie auch: Sturm über Hamburg",
     "À lire aussi : La tempête", "Partager", "Leer más: La tormenta", "Veröffentlicht am 12.03.2024",
     "Publié le 12 mars 2024", "Aktualisiert: 14. März 2024", "Was denken Sie? Schreiben Sie uns einen Kommentar.",
     "Laissez un commentaire ci-dessous.", "¿Qué opinas? Deja tu comentario.", "Lascia un commento qui sotto.",
     "Deixe seu comentário abaixo.", "Laat een reactie achter.", "Folgen Sie uns auf Instagram."],
)  # fmt: skip
def test_furniture_lines(line: str) -> None:
    assert is_furniture(line)


@pytest.mark.parametrize(
    "line",
    ["It passed.", "Why It Matters", "Key Points:", "She printed the report and shared it with the board.",
     "Readers who subscribe to the paper get a discount, the publisher said.",
     "Posted on Tuesday, the video showed 3 people were hurt.", "The vote was 7 to 2.",
     "Die Behörden teilen mit, dass drei Häfen geschlossen sind.", "Publié par le ministère, le rapport est long."],
)  # fmt: skip
def test_article_lines_are_not_furniture(line: str) -> None:
    assert not is_furniture(line)


def test_long_paragraph_mentioning_comments_is_not_a_prompt() -> None:
    long = "The mayor said " + "the lanes will help cyclists and " * 15 + "she would read the comments below her post."
    assert not is_engagement_prompt(long)


@pytest.mark.parametrize("line", ["Hello.", "Good luck 🙂", "Great news for everyone!!!", "Thanks", "AI Chat"])
def test_chatter(line: str) -> None:
    assert is_chatter(line)


@pytest.mark.parametrize("line", ["This story has been updated.", "(Reuters)", "Reporting by Jane Doe"])
def test_not_chatter(line: str) -> None:
    assert not is_chatter(line)


def test_comments_after_invitation_are_cut_but_short_middle_paragraphs_kept() -> None:
    body = ["The council voted on Tuesday to build the lanes along the harbour road. " * 3, "It passed."]
    body += ["Why It Matters", "Work will start in spring and end in the autumn, the council said on Tuesday evening."]
    tail = ["What do you think? Share your thoughts in the comments below.", "Hello."]
    tail += ["Good cheer to all!!!!!", "Ok 🙂"]
    assert clean_paragraphs(body + tail) == [normalize_space(p) for p in body]


def test_reader_comments_after_an_invitation_abroad_are_cut() -> None:
    body = ["Der Stadtrat hat am Dienstag beschlossen, die Radwege entlang der Hafenstraße zu bauen. " * 3,
            "Die Arbeiten beginnen im Frühjahr und enden im Herbst, sagte die Stadt am Dienstagabend."]
    tail = ["Was denken Sie? Schreiben Sie uns einen Kommentar.", "Super Sache!", "Endlich 👍"]
    assert clean_paragraphs(body + tail) == [normalize_space(p) for p in body]


def test_invitation_is_not_a_cut_when_most_text_is_below_it() -> None:
    paragraphs = ["Short intro here.", "Leave a comment if you like.", "A body paragraph with some words in it. " * 4]
    assert clean_paragraphs(paragraphs) == ["Short intro here.", normalize_space(paragraphs[2])]


def test_single_short_paragraph_is_kept() -> None:
    assert clean_paragraphs(["Hello."]) == ["Hello."]


def test_media_credit_is_removed() -> None:
    assert clean_paragraphs(["(Video: AP) Austin and other officials spoke."]) == ["Austin and other officials spoke."]


def test_clean_summary_joins_bullets_and_broken_abbreviations() -> None:
    summary = "First point.\n-  The grant came from the U.S.\n- government.\n\n"
    assert clean_summary(summary) == "First point. The grant came from the U.S. government."


def test_date_stamps() -> None:
    assert is_date_stamp("Posted on 11/20/2024")
    assert is_date_stamp("Posted on 11/20/2024 by Jane Doe")
    assert not is_date_stamp("Posted on Tuesday, the video showed 3 people were hurt")


# --- bylines -------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("byline", "people", "orgs"),
    [
        ("By Jane Doe and John Roe", ["Jane Doe", "John Roe"], []),
        ("By A. B. Smith, Mary O'Neil and Jan van der Berg", ["A. B. Smith", "Mary O'Neil", "Jan van der Berg"], []),
        ("Michael Birnbaum, Alex Horton", ["Michael Birnbaum", "Alex Horton"], []),
        ("By JANE DOE, Associated Press", ["Jane Doe"], ["Associated Press"]),
        ("By Jane Doe | AP", ["Jane Doe"], ["AP"]),
        ("By Staff Reporter", [], ["Staff Reporter"]),
        ("Reuters", [], ["Reuters"]),
        ("By The Editorial Board", [], ["The Editorial Board"]),
        # The page byline cleaner's organisation words count in plain text too (one list, byline_names).
        ("By Jane Doe, Harvard University", ["Jane Doe"], ["Harvard University"]),
        ("By Ann Lee, Mayo Clinic", ["Ann Lee"], ["Mayo Clinic"]),
        ("By Washington Post Staff", [], ["Washington Post Staff"]),
        ("By the time he arrived, the shop had closed", [], []),
    ],
)
def test_split_byline(byline: str, people: list[str], orgs: list[str]) -> None:
    assert split_byline(byline) == (people, orgs)


# --- extract_plain -------------------------------------------------------------------------------------


def test_headline_first_line_and_comments_removed() -> None:
    ex = extract_plain(read("headline_first.txt"))
    assert ex.format == "plain"
    assert ex.title == "City Council Approves New Bike Lanes Along Harbor Road"
    assert ex.provenance["title"] == "line:first"
    assert ex.published_at is None and ex.authors == []
    assert body(ex).startswith("The city council voted 7 to 2")
    assert ex.text.endswith("Work is expected to start in the spring.")
    for kept in ("\n\nIt passed.\n\n", "\n\nWhy It Matters\n\n", "\n\nKey Points:\n\n"):
        assert kept in ex.text
    for junk in ("What Do You Think", "comments below", "Hello.", "Great news", "🚲"):
        assert junk not in ex.text


def test_repeated_title_posted_on_and_page_labels() -> None:
    ex = extract_plain(read("posted_on_repeat.txt"))
    assert ex.title == "Museum Reopens After Two-Year Restoration"
    assert ex.published_at == "2023-03-14"
    assert ex.provenance["published_at"] == "line:Posted on"
    assert ex.text.count(ex.title) == 1 and "Posted on" not in ex.text
    assert any(c.reason == "duplicate of title" and not c.accepted for c in ex.candidates)
    for junk in ("Advertisement", "Comments( 0 )", "AI Chat"):
        assert junk not in ex.text
    assert "trained in the U.K. and Canada, thanked" in ex.text
    assert "on Mar. 13 in the museum calendar" in ex.text
    assert ex.text.endswith("This story has been updated with a comment from the director.")


def test_leading_notes_before_the_title_are_dropped() -> None:
    ex = extract_plain(read("leading_notes.txt"))
    assert ex.title == "Island Ferry Suspended After Engine Failure"
    assert ex.provenance["title"] == "line:first-title-like"
    assert body(ex).startswith("The only ferry between Westmere")
    assert "thin the island's transport links" not in ex.text
    rejected = [c for c in ex.candidates if c.field == "title" and not c.accepted]
    assert len(rejected) == 3 and all("period" in c.reason for c in rejected)


def test_no_title_line_gives_no_title_and_says_why() -> None:
    ex = extract_plain(read("no_title.txt"))
    assert ex.title is None and "title" not in ex.provenance
    rejected = [c for c in ex.candidates if c.field == "title"]
    assert rejected and not rejected[0].accepted and "too long" in rejected[0].reason
    assert body(ex).startswith("Westmere's school board has postponed")


def test_byline_published_and_updated_lines() -> None:
    ex = extract_plain(read("byline_published.txt"))
    assert ex.title == "Harbor Lighthouse Gets a New Lamp"
    assert ex.authors == ["Jane Doe", "John Roe"] and ex.provenance["authors"] == "line:By"
    assert ex.published_at == "2023-11-19" and ex.provenance["published_at"] == "line:Published"
    updated = [c for c in ex.candidates if c.rule == "line:Updated"]
    assert updated and not updated[0].accepted
    assert body(ex).startswith("The Harbor Lighthouse was lit")
    assert "paid for by the U.S. coast guard" in ex.text and "on Jan. 5 and again" in ex.text
    for junk in ("By Jane", "Published", "Updated", "Subscribe", "Read more"):
        assert junk not in ex.text


def test_ambiguous_date_line_is_not_taken() -> None:
    ex = extract_plain("A Quiet Week in Westmere\nPosted on 03/04/2023\nNothing much happened this week in town.")
    assert ex.published_at is None
    assert any("ambiguous" in c.reason for c in ex.candidates)


@pytest.mark.parametrize(
    ("line", "ok"),
    [
        ("Biden Administration Approves Shipment of Mines", True),
        ("Biden administration approves sending mines in another policy shift", True),
        ("Is the harbour too shallow?", True),
        ("The decision indicates a significant escalation in support.", False),
        ("Key Points:", False),
        ("Hello", False),
        ("- a bullet point here", False),
        ("It rained. Then it stopped", False),
    ],
)
def test_title_problem(line: str, ok: bool) -> None:
    assert (title_problem(line) is None) is ok


def test_empty_and_blank_input() -> None:
    assert extract_plain("").text == ""
    assert extract_plain(" \n\n \u00a0\n").title is None


# --- properties ----------------------------------------------------------------------------------------

PIECES = ["U.S.", "Nov.", "officials", "said", "\n", "\n\n", " ", " , ", ".", "Hello.", "!!!", "🙂", "Comments( 0 )",
          "AI Chat", "Share your thoughts in the comments below.", "What do you think?", "Posted on 11/20/2024",
          "\u00a0", "\u200b", "\x00", "By Jane Doe", "(Video: AP)", "Advertisement", "the", "Mines", "- ",
          "2024"]  # fmt: skip
texts = st.lists(st.one_of(st.sampled_from(PIECES), st.text(max_size=12)), max_size=40).map("".join)


def words(text: str) -> set[str]:
    return set(re.findall(r"\w+", text))


def visible(text: str) -> str:
    return "".join(ch for ch in text if unicodedata.category(ch) != "Cf")


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(texts)
def test_clean_text_is_idempotent_and_adds_no_words(text: str) -> None:
    once = clean_text(text)
    assert clean_text(once) == once
    assert words(once) <= words(visible(text))


@settings(max_examples=300, deadline=None)
@given(st.lists(texts, max_size=8))
def test_clean_paragraphs_is_idempotent(paragraphs: list[str]) -> None:
    once = clean_paragraphs(paragraphs)
    assert clean_paragraphs(once) == once
    assert words(" ".join(once)) <= words(visible(" ".join(paragraphs)))


@settings(max_examples=200, deadline=None)
@given(texts)
def test_extract_plain_never_raises_or_invents_words(text: str) -> None:
    ex = extract_plain(text)
    assert words(ex.text) <= words(visible(text))
