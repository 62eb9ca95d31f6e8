"""Mojibake (UTF-8 decoded as Latin-1 or Windows-1252 before publishing) is repaired; clean text is not touched."""

from __future__ import annotations

import json

import pytest

from pipelines.extract.decode import decode
from pipelines.extract.html import extract_html
from pipelines.extract.mojibake import looks_mojibaked, repair_mojibake
from pipelines.extract.records import extract_record


def _mangled(text: str, codec: str) -> str:
    return text.encode("utf-8").decode(codec, errors="ignore" if codec == "cp1252" else "strict")


# Seen in the wild: a WordPress page that declares UTF-8 and carries its title re-encoded once.
PAGE = """<!DOCTYPE html><html lang="en"><head><meta charset="UTF-8"/>
<title>A DIY Investor\u00e2\u0080\u0099s Guide to Retirement Calculators | White Coat Investor</title>
</head><body><article><h1>A DIY Investor\u00e2\u0080\u0099s Guide to Retirement Calculators</h1>
<p>Retirement calculators are everywhere, and most of them are built to sell you something. Here is how
to read one without being misled by its assumptions about returns, inflation and spending.</p>
<p>The first thing to check is the return it assumes \u00e2\u0080\u0094 most use a nominal figure that
flatters the result \u00e2\u0080\u0094 and whether fees are taken out before or after it.</p>
<p>\u201cA calculator is only as honest as its inputs,\u201d one planner told us, and that is the whole
point of this guide for the do-it-yourself investor who wants a second opinion.</p>
</article></body></html>"""


def test_a_page_with_double_encoded_text_gives_clean_title_and_body() -> None:
    ex = extract_html(PAGE.encode("utf-8"))
    assert ex.title == "A DIY Investor\u2019s Guide to Retirement Calculators"
    assert "assumes \u2014 most use" in ex.text and "\u00e2\u0080" not in ex.text
    # Text that was right is kept as written: curly quotes stay curly.
    assert "\u201cA calculator is only as honest as its inputs,\u201d" in ex.text


@pytest.mark.parametrize("codec", ["latin-1", "cp1252"])
def test_both_usual_mis_decodings_are_undone(codec: str) -> None:
    original = "Caf\u00e9 owners say the new \u2018rules\u2019 cost them \u20ac2,000 \u2013 a year"
    broken = _mangled(original, codec)
    assert broken != original and looks_mojibaked(broken)
    assert repair_mojibake(broken) == original


@pytest.mark.parametrize("text", [
    "Rosa\u00a0\u00d7\u00a0medioccidentis (Midwestern rose)",  # "×" after a no-break space
    "NESCAF\u00c9\u00ae Classic",  # a capital accent before a registered sign
    "Soul\u00e9\u2019s restaurant",  # an accent before a curly apostrophe
    "a dance lesson with your fianc\u00e9\u2014a good way to break the ice",
    "the \u2018K\u2019/\u2018\u00df\u2019/\u2018\u0130\u2019 masks",
    "S\u00e3o Paulo, Z\u00fcrich, \u0141\u00f3d\u017a, \u041c\u043e\u0441\u043a\u0432\u0430, \u6771\u4eac",
    "plain ASCII text",
])
def test_clean_text_is_left_exactly_as_it_is(text: str) -> None:
    assert repair_mojibake(text) == text


def test_only_the_broken_line_changes() -> None:
    text = "Fianc\u00e9\u2014ok\n" + _mangled("It\u2019s broken", "cp1252") + "\nlast line \u00d7 2"
    assert repair_mojibake(text) == "Fianc\u00e9\u2014ok\nIt\u2019s broken\nlast line \u00d7 2"


@pytest.mark.parametrize("text", [
    "Rosa\u00a0\u00d7\u00a0medioccidentis (Midwestern rose)",
    "a dance lesson with your fianc\u00e9\u2014a good way to break the ice",
    "NESCAF\u00c9\u00ae Classic",
])
def test_a_minified_page_is_repaired_word_by_word(text: str) -> None:
    # A whole page on one line: one clean accent no longer vetoes the repair of the rest, and the clean text
    # and every tag around the broken words stay exactly as they were.
    filler = '<div class="x">' + "word " * 500 + "</div>"
    broken = _mangled("It\u2019s \u20ac2,000\u00a0a year", "cp1252")
    page = '<p title="{t}">{t}</p>{f}<p>{b}</p>{f}<p data-x="{b}">{t}</p>'
    line = page.format(t=text, f=filler, b=broken)
    assert len(line) > 2_000 and "\n" not in line
    assert repair_mojibake(line) == page.format(t=text, f=filler, b="It\u2019s \u20ac2,000\u00a0a year")


def test_plain_text_and_export_records_are_repaired_too() -> None:
    assert decode(_mangled("Mar\u00eda\u2019s story", "cp1252").encode("utf-8")) == "Mar\u00eda\u2019s story"
    record = json.loads(json.dumps({
        "title": _mangled("Z\u00fcrich\u2019s tram strike", "latin-1"),
        "authors": [_mangled("Ren\u00e9e M\u00fcller", "cp1252")],
        "text": "The strike began on Monday. " * 20,
    }))
    ex = extract_record(record)
    assert ex.title == "Z\u00fcrich\u2019s tram strike"
    assert ex.authors == ["Ren\u00e9e M\u00fcller"]
