"""Tagged text exports (TITLE, PUBLISHED_DATE, URL, AUTHOR, SUMMARY, HIGHLIGHTS, CONTENT)."""

from __future__ import annotations

import contextlib
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from pipelines.extract.tagged import extract_tagged, looks_tagged, parse_tags
from pipelines.models import QuarantineError

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures" / "text"


def read(name: str) -> str:
    return (FIXTURES / name).read_text(encoding="utf-8")


def test_full_export() -> None:
    ex = extract_tagged(read("tagged_export.txt"))
    assert ex.format == "tagged"
    assert ex.title == "Westmere Opens Its First Public Library Branch in Decades"
    assert ex.published_at == "2023-06-02"
    assert ex.url == "https://news.example.org/westmere/2023/06/02/library-branch/"
    assert ex.authors == ["Jane Doe"] and ex.organizations == ["Associated Press"]
    assert ex.provenance == {
        "title": "tag:TITLE",
        "published_at": "tag:PUBLISHED_DATE",
        "url": "tag:URL",
        "authors": "tag:AUTHOR",
    }
    assert ex.summary == (
        "Westmere opened a new library branch on Friday. The branch was paid for with a grant from the "
        "U.S. government and a local bond. It will open six days a week."
    )


def test_content_is_cleaned_and_last_unclosed_tag_is_read() -> None:
    ex = extract_tagged(read("tagged_export.txt"))
    assert ex.text.startswith("The town of Westmere opened a library branch")  # title repeat in CONTENT dropped
    assert "<" not in ex.text and "CONTENT" not in ex.text
    assert "grant from the U.S. government and a local bond" in ex.text
    assert "U.S.\n\n" not in ex.text
    assert ex.text.endswith("hold about 20,000 books, the librarian said.")
    assert ex.text.count('"We have waited a long time," the mayor said.') == 1  # HIGHLIGHTS are not text
    assert any(c.value == "SECTION" and c.reason == "unknown tag ignored" for c in ex.candidates)


def test_missing_tags_and_untagged_text_as_content() -> None:
    ex = extract_tagged(read("tagged_minimal.txt"))
    assert ex.title == "Storm Closes Westmere Schools"
    assert ex.published_at is None and ex.url is None and ex.authors == []
    assert ex.text.startswith("All schools in Westmere were closed")
    assert "from the morning bulletin" not in ex.text


def test_updated_tag_is_not_published() -> None:
    ex = extract_tagged("<TITLE>Storm Report</TITLE>\n<UPDATED>2023-01-05</UPDATED>\n<CONTENT>Snow fell all day.")
    assert ex.published_at is None
    assert any(c.rule == "tag:UPDATED" and not c.accepted for c in ex.candidates)


def test_bad_url_and_date_are_rejected_with_reasons() -> None:
    ex = extract_tagged("<URL>not a url</URL>\n<PUBLISHED_DATE>someday</PUBLISHED_DATE>\n<CONTENT>Text here.</CONTENT>")
    assert ex.url is None and ex.published_at is None
    reasons = {c.field: c.reason for c in ex.candidates if not c.accepted}
    assert reasons == {"url": "not an http(s) URL", "published_at": "not a plausible date"}


def test_no_text_is_quarantined() -> None:
    with pytest.raises(QuarantineError, match="no article text"):
        extract_tagged("<TITLE>Only a title</TITLE>\n<URL>https://example.org/a</URL>\n")


def test_parse_tags_tolerates_unclosed_tags_and_inline_uppercase() -> None:
    fields, outside = parse_tags("<TITLE>A title\n<CONTENT>The <NATO> summit met.\n</CONTENT>\nafter")
    assert fields["TITLE"].strip() == "A title"
    assert fields["CONTENT"].strip() == "The <NATO> summit met."
    assert outside.strip() == "after"


@pytest.mark.parametrize(
    ("text", "tagged"),
    [
        ("<TITLE>A</TITLE>\nbody", True),
        ("<HEADLINE>A</HEADLINE>\n<BODY_TEXT>b</BODY_TEXT>", True),
        ("<HTML>\n<HEAD>\n<TITLE>Old page</TITLE>\n</HEAD>\n<BODY>Hi</BODY>", False),
        ("Plain text about the <NATO> summit.\nMore text.", False),
        ("", False),
    ],
)
def test_looks_tagged(text: str, tagged: bool) -> None:
    assert looks_tagged(text) is tagged


@settings(max_examples=200, deadline=None)
@given(st.lists(st.one_of(st.sampled_from(["<TITLE>", "</TITLE>", "<CONTENT>", "</CONTENT>", "\n", "<X>"]),
                          st.text(max_size=15)), max_size=30).map("".join))  # fmt: skip
def test_extract_tagged_never_fails_except_by_quarantine(text: str) -> None:
    with contextlib.suppress(QuarantineError):
        extract_tagged(text)
