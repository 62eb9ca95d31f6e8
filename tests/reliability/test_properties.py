"""Properties (hypothesis) of the text cleaner, the date rules and the decoder, on any input at all.

tests/unit/test_text_cleaner.py already checks idempotence and "no new words" on a news-flavoured
alphabet; these extend it to the whole of Unicode, to scripts written without spaces, to summaries,
bylines and tagged exports, and to the date rules and the byte decoder the pipeline runs before them.
"""

from __future__ import annotations

import re
from datetime import UTC, date, datetime, timedelta

from hypothesis import HealthCheck, assume, example, given, settings
from hypothesis import strategies as st

from pipelines.batch import Options, process_document
from pipelines.enrich.byline_names import split_author_field, split_byline
from pipelines.enrich.dates import EARLIEST, parse_date
from pipelines.enrich.html_dates import date_from_url
from pipelines.extract.cleaning import clean_summary, clean_text
from pipelines.extract.decode import decode
from pipelines.extract.mojibake import looks_mojibaked
from pipelines.extract.tagged import extract_tagged
from pipelines.models import Outcome, QuarantineError, RawDocument
from tests.unit.test_text_cleaner import visible, words

SLOW = settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])
any_text = st.text(max_size=400)  # every code point hypothesis can draw, surrogates excepted
lines = st.lists(st.text(max_size=60), max_size=12).map("\n".join)
cjk = st.text(alphabet=st.characters(min_codepoint=0x4E00, max_codepoint=0x9FFF), min_size=81, max_size=300)
TODAY = datetime.now(UTC).date()


def folded(text: str) -> set[str]:
    return {w.casefold() for w in words(visible(text))}


# --- cleaner -----------------------------------------------------------------------------------------------

@SLOW
@given(st.one_of(any_text, lines))
def test_clean_text_on_any_unicode_is_idempotent_and_adds_no_words(text: str) -> None:
    once = clean_text(text)
    assert clean_text(once) == once
    assert words(once) <= words(visible(text))


@SLOW
@given(st.text(max_size=30), cjk)
def test_a_long_paragraph_in_a_script_without_spaces_is_kept(title: str, paragraph: str) -> None:
    """Japanese or Chinese text is one "word" per sentence to str.split: it must not be trimmed as chatter."""
    assert paragraph in clean_text(f"{title}\n\n{paragraph}")


@SLOW
@given(st.one_of(any_text, lines))
def test_clean_summary_never_raises_and_adds_no_words(text: str) -> None:
    summary = clean_summary(text)
    assert summary is None or (summary.strip() and words(summary) <= words(visible(text)))


@SLOW
@given(st.one_of(any_text, st.lists(st.sampled_from(["By", "Jane Doe", "and", "AP", ",", "JOHN ROE", " ", "with",
                                                       "Staff Reporter", ";", "Dr.", "O'Brien"]), max_size=10)
                 .map(" ".join)))
def test_bylines_never_raise_and_name_only_people_in_the_input(byline: str) -> None:
    for split in (split_byline, split_author_field):
        people, organisations = split(byline)
        assert folded(" ".join(people + organisations)) <= folded(byline)  # case may be fixed, not words


@SLOW
@given(st.lists(st.one_of(st.sampled_from(["TITLE:", "PUBLISHED_DATE:", "URL:", "AUTHOR:", "SUMMARY:", "CONTENT:",
                                           "HIGHLIGHTS:", "\n", " 2024-11-20", " https://example.org/a/b"]),
                          st.text(max_size=20)), max_size=30).map("".join))
def test_tagged_export_never_raises_except_to_quarantine_and_adds_no_text_words(text: str) -> None:
    try:
        ex = extract_tagged(text)
    except QuarantineError:
        return
    assert words(ex.text) <= words(visible(text))


# --- dates ---------------------------------------------------------------------------------------------

@SLOW
@given(st.one_of(any_text, st.from_regex(r"\d{1,4}[/.\- ]\d{1,2}[/.\- ]\d{1,4}( \d{1,2}:\d{2}( ?[+-]\d{2}:?\d{2})?)?",
                                         fullmatch=True)))
@example("31/02/2024")
@example("2024-02-30T25:61:00+99:00")
@example("9" * 80)
def test_parse_date_never_raises_and_keeps_only_plausible_iso_dates(text: str) -> None:
    parsed = parse_date(text)
    if parsed is None:
        return
    value = datetime.fromisoformat(parsed.value)
    assert EARLIEST <= value.date() <= TODAY + timedelta(days=2)  # +1 day of skew, +1 for a timezone ahead
    assert parse_date(parsed.value).value == parsed.value  # the ISO form is a fixed point


@SLOW
@given(st.dates(min_value=EARLIEST, max_value=TODAY),
       st.sampled_from(["%Y-%m-%d", "%B %d, %Y", "%d %B %Y", "%b. %d, %Y", "%m/%d/%Y", "%A, %d %B %Y"]))
def test_a_written_plausible_date_reads_back_as_itself(day: date, fmt: str) -> None:
    parsed = parse_date(day.strftime(fmt))
    assert parsed is not None and parsed.value == day.isoformat()
    # "03/04/2024" could be 4 March: flagged, never silently guessed
    assert parsed.ambiguous == (fmt == "%m/%d/%Y" and day.day <= 12 and day.day != day.month)


@SLOW
@given(st.dates(min_value=date(1000, 1, 1), max_value=date(9999, 12, 31)))
def test_implausible_dates_are_refused(day: date) -> None:
    assume(not (EARLIEST <= day <= TODAY + timedelta(days=1)))
    assert parse_date(day.isoformat()) is None


@SLOW
@given(st.one_of(st.none(), any_text, st.from_regex(r"https?://[a-z.]{1,12}/(\d{1,4}/){0,3}[a-z\-]{0,12}",
                                                     fullmatch=True)))
def test_date_from_url_never_raises(url: str | None) -> None:
    found = date_from_url(url)
    assert found is None or EARLIEST <= date.fromisoformat(found.value[:10]) <= TODAY + timedelta(days=1)


# --- bytes in ------------------------------------------------------------------------------------------

@SLOW
@given(st.binary(max_size=2000))
def test_decode_returns_text_or_a_quarantine_reason(data: bytes) -> None:
    try:
        assert isinstance(decode(data), str)
    except QuarantineError as exc:
        assert str(exc)


@SLOW
@given(st.text(max_size=400))
def test_utf8_text_decodes_to_itself(text: str) -> None:
    assume(not text.startswith("\ufeff") and not re.search(r"[\x00-\x08\x0b\x0e-\x1a\x1c-\x1f]", text))
    assume(not looks_mojibaked(text))  # "Â\x80" is UTF-8 decoded twice: repaired on purpose (test_mojibake.py)
    assert decode(text.encode("utf-8")) == text


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.one_of(st.binary(max_size=3000), any_text.map(str.encode)), st.sampled_from(["a.txt", "a.html", "a.json"]))
def test_any_bytes_become_an_article_or_a_quarantine_never_an_exception(data: bytes, name: str) -> None:
    doc = RawDocument("prop", f"prop/{name}", data, path=name)
    result = process_document(doc, Options("prop", None, 1_000_000, 2000, 40), {})
    assert (result.outcome is None and result.article) or (result.outcome is Outcome.QUARANTINED and result.reason)
