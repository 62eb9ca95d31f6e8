"""JSON / JSONL export records (news-please and news API shapes)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from pipelines.extract.records import extract_record
from pipelines.models import QuarantineError

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures" / "text"


def records() -> list[dict]:
    lines = (FIXTURES / "records.jsonl").read_text(encoding="utf-8").splitlines()
    return [json.loads(line) for line in lines if line.strip()]


def test_news_please_record() -> None:
    ex = extract_record(records()[0])
    assert ex.format == "json"
    assert ex.title == "Westmere Harbor Dredging Begins"
    assert ex.url == "https://news.example.org/2023/05/10/dredging/"
    assert ex.published_at == "2023-05-10"  # a time without a zone keeps the day only
    assert ex.updated_at == "2023-05-11"  # news-please's date_modify: the update, never the publication
    assert ex.authors == ["Jane Doe"] and ex.organizations == ["Reuters"]
    assert ex.summary == "Dredging began on Wednesday."
    assert ex.language_hint == "en" and ex.site_name == "news.example.org"
    assert ex.provenance == {
        "title": "json:title",
        "url": "json:url",
        "published_at": "json:date_publish",
        "updated_at": "json:date_modify",
        "authors": "json:authors",
    }
    assert ex.text.startswith("Dredging of Westmere harbor began")  # repeated title dropped
    assert "reach the U.S. fish market" in ex.text
    assert "comments" not in ex.text


def test_news_api_record_with_html_and_truncation_marker() -> None:
    ex = extract_record(records()[1])
    assert ex.published_at == "2023-04-02T18:45:00+00:00"
    assert ex.provenance["published_at"] == "json:publishedAt"
    assert ex.authors == ["John Roe"] and ex.provenance["authors"] == "json:author"
    assert ex.site_name == "Example Sports"
    assert ex.text == (
        "Westmere won the regional football cup on Sunday with a late goal.\n\n"
        "The winning goal came in the 89th minute. It was the club's first title since 2009."
    )
    assert any(c.field == "text" and "truncated" in c.reason for c in ex.candidates)


def test_record_without_text_is_quarantined_with_reason() -> None:
    with pytest.raises(QuarantineError, match="only a description") as err:
        extract_record(records()[2])
    assert "keys present: description, title, url" in str(err.value)


def test_empty_record_is_quarantined() -> None:
    with pytest.raises(QuarantineError, match="no article text"):
        extract_record({})


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        (1700000000, "2023-11-14T22:13:20+00:00"),
        (1700000000000, "2023-11-14T22:13:20+00:00"),
        ("Nov. 19, 2023", "2023-11-19"),
        ("2999-01-01", None),
        (True, None),
    ],
)
def test_dates(value: object, expected: str | None) -> None:
    ex = extract_record({"date": value, "text": "Some text that is long enough to keep."})
    assert ex.published_at == expected


def test_modified_date_is_not_published() -> None:
    ex = extract_record({"date_modify": "2023-05-11", "maintext": "Some text that is long enough to keep."})
    assert ex.published_at is None
    assert any(c.rule == "json:date_modify" and not c.accepted for c in ex.candidates)


@pytest.mark.parametrize(
    ("authors", "people", "orgs"),
    [
        (["By Jane Doe and John Roe"], ["Jane Doe", "John Roe"], []),
        ("Staff Reporter", [], ["Staff Reporter"]),
        ([{"name": "Jane Doe"}], ["Jane Doe"], []),
        ("https://www.facebook.com/someone", [], []),
        ("bell hooks", ["bell hooks"], []),  # a field named author is trusted even when unusual
    ],
)
def test_authors(authors: object, people: list[str], orgs: list[str]) -> None:
    ex = extract_record({"authors": authors, "text": "Some text that is long enough to keep."})
    assert (ex.authors, ex.organizations) == (people, orgs)
