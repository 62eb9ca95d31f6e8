"""Dates in other languages: parsed (month names of 22 languages, CJK and Vietnamese dates), labelled, ordered."""

from __future__ import annotations

import pytest

from pipelines.articles import build_article, extract
from pipelines.enrich.dates import ParsedDate, parse_date
from pipelines.enrich.html_dates import choose_date
from pipelines.enrich.metadata_html import gather, parse_tree
from pipelines.enrich.outlets import dayfirst_for
from pipelines.enrich.shown_dates import dated_lines, shown_dates
from pipelines.extract.text import extract_plain
from pipelines.models import Extraction, RawDocument

NOW_SAFE = "2024-03-12"


@pytest.mark.parametrize(
    ("written", "value"),
    [
        ("Dienstag, 12. März 2024, 14:30 Uhr", NOW_SAFE),
        ("12 mars 2024 à 14h30", NOW_SAFE),
        ("mardi 12 mars 2024", NOW_SAFE),
        ("12 de marzo de 2024", NOW_SAFE),
        ("sábado, 2 de noviembre de 2024", "2024-11-02"),
        ("12 marzo 2024 alle ore 14:30", NOW_SAFE),
        ("12 de março de 2024 às 14h30", NOW_SAFE),
        ("12 maart 2024", NOW_SAFE),
        ("3 déc. 2023", "2023-12-03"),
        ("1er février 2024", "2024-02-01"),
        ("1º de março de 2024", "2024-03-01"),
        ("March 12, 2024", NOW_SAFE),  # English is read as before
        # Swedish, Danish, Norwegian, Finnish, Polish, Czech, Russian, Ukrainian, Turkish: the form a date uses.
        ("tisdag 12 mars 2024", NOW_SAFE),
        ("3 augusti 2023", "2023-08-03"),
        ("12. marts 2024 kl. 14.30", NOW_SAFE),
        ("12. desember 2023", "2023-12-12"),
        ("12. maaliskuuta 2024 klo 14.30", NOW_SAFE),
        ("12 marca 2024 r.", NOW_SAFE),
        ("1 grudnia 2023, 10:15", "2023-12-01"),
        ("12. března 2024", NOW_SAFE),
        ("12 марта 2024 г.", NOW_SAFE),
        ("5 июня 2024 года", "2024-06-05"),
        ("12 березня 2024", NOW_SAFE),
        ("12 Mart 2024", NOW_SAFE),
        # Chinese, Japanese, Korean.
        ("2024年3月12日", NOW_SAFE),
        ("2024年3月12日 14:30", NOW_SAFE),
        ("2024년 3월 12일", NOW_SAFE),
        ("2024年3月12日(火) 14:30", NOW_SAFE),  # their weekdays
        ("2024年3月12日 星期二", NOW_SAFE),
        ("2024년 3월 12일 화요일", NOW_SAFE),
        # Indonesian, Hungarian (year first), Vietnamese (the month by its number), Greek, Arabic (also in
        # Arabic-Indic digits, and the Levantine names), Hebrew (with the prefix ב), Hindi (also in Devanagari digits).
        ("Selasa, 12 Maret 2024 pukul 14:30", NOW_SAFE),
        ("12 Agustus 2024 14:30 WIB", "2024-08-12T14:30:00+07:00"),
        ("2024. március 12.", NOW_SAFE),
        ("2024. márc. 12. 14:30", NOW_SAFE),
        ("12 tháng 3, 2024", NOW_SAFE),
        ("Thứ ba, ngày 12 tháng 3 năm 2024", NOW_SAFE),
        ("Τρίτη 12 Μαρτίου 2024", NOW_SAFE),
        ("الثلاثاء 12 مارس 2024", NOW_SAFE),
        ("١٢ مارس ٢٠٢٤", NOW_SAFE),
        ("12 آذار 2024", NOW_SAFE),
        ("יום שלישי, 12 במרץ 2024", NOW_SAFE),
        ("12 मार्च 2024, 10:30 बजे", NOW_SAFE),
        ("१२ मार्च २०२४", NOW_SAFE),
    ],
)
def test_month_names_abroad_are_parsed(written: str, value: str) -> None:
    parsed = parse_date(written)
    assert parsed is not None and (parsed.value, parsed.ambiguous) == (value, False)


def test_each_month_name_abroad_is_listed_once() -> None:
    from pipelines.enrich.dates import _MONTHS_ABROAD

    names = [name for _, written in _MONTHS_ABROAD for name in written.split()]
    assert len(names) == len(set(names))  # a name listed for two months would read one of them wrong


def test_a_numeric_date_abroad_is_still_ambiguous_without_a_locale() -> None:
    # Dotted dates are not always day first: a US template prints 09.10.2024 for September 10.
    assert parse_date("09.10.2024") == ParsedDate("2024-09-10", ambiguous=True)
    assert parse_date("09.10.2024", dayfirst=True) == ParsedDate("2024-10-09")


@pytest.mark.parametrize(("lang", "dayfirst"), [("de", True), ("fr", True), ("pt-BR", True), ("he", True), ("en", None),
                                                ("en-US", False), ("en-GB", True), ("ja", None), (None, None)])
def test_languages_written_day_first_order_numeric_dates(lang: str | None, dayfirst: bool | None) -> None:
    assert dayfirst_for(None, lang) is dayfirst


def _page(body: str, lang: str = "de") -> str:
    return f'<html lang="{lang}"><head><title>T</title></head><body>{body}</body></html>'


@pytest.mark.parametrize(
    ("line", "kind"),
    [
        ("Veröffentlicht am 12. März 2024", "published"),
        ("Publié le 12 mars 2024", "published"),
        ("Publicado el 12 de marzo de 2024", "published"),
        ("Pubblicato il 12 marzo 2024", "published"),
        ("Gepubliceerd op 12 maart 2024", "published"),
        ("Aktualisiert am 12. März 2024", "updated"),
        ("Mis à jour le 12 mars 2024", "updated"),
        ("Stand: 12.03.2024", "updated"),
        ("Publicerad 12 mars 2024", "published"),
        ("Publiceret den 12. marts 2024", "published"),
        ("Opublikowano: 12 marca 2024", "published"),
        ("Опубликовано 12 марта 2024", "published"),
        ("Uppdaterad 12 mars 2024", "updated"),
        ("Zaktualizowano 12 marca 2024", "updated"),
        ("Обновлено 12 марта 2024", "updated"),
        ("Güncellendi 12 Mart 2024", "updated"),
        ("Diterbitkan 12 Maret 2024", "published"),
        ("Diperbarui 12 Maret 2024", "updated"),
        ("Közzétéve: 2024. március 12.", "published"),
        ("Frissítve: 2024. március 12.", "updated"),
        ("Cập nhật 12 tháng 3, 2024", "updated"),
        ("Δημοσιεύθηκε 12 Μαρτίου 2024", "published"),
        ("Ενημερώθηκε 12 Μαρτίου 2024", "updated"),
        ("تاريخ النشر: 12 مارس 2024", "published"),
        ("آخر تحديث: 12 مارس 2024", "updated"),
        ("פורסם 12 במרץ 2024", "published"),
        ("עודכן 12 במרץ 2024", "updated"),
        ("प्रकाशित: 12 मार्च 2024", "published"),
        ("अपडेट: 12 मार्च 2024", "updated"),
    ],
)
def test_labels_abroad_classify_the_date_under_the_headline(line: str, kind: str) -> None:
    found = shown_dates(gather(parse_tree(_page(f"<h1>Sturm schließt Häfen</h1><p>{line}</p>"))))
    assert [(d.kind, d.labelled) for d in found] == [(kind, True)]


@pytest.mark.parametrize(
    ("line", "kind"),
    [("Veröffentlicht am: 12. März 2024", "published"), ("Publicado el 12 de marzo de 2024", "published"),
     ("Zuletzt aktualisiert am 14. März 2024", "updated"), ("Mise à jour le 14 mars 2024", "updated"),
     ("Opublikowano: 12 marca 2024", "published"), ("Oppdatert 14. mars 2024", "updated"),
     ("Diterbitkan pada 12 Maret 2024", "published"), ("Frissítve: 2024. március 14.", "updated"),
     ("تاريخ النشر: 12 مارس 2024", "published"), ("עודכן 14 במרץ 2024", "updated")],
)
def test_dated_lines_abroad_anywhere_in_the_page(line: str, kind: str) -> None:
    found = dated_lines(gather(parse_tree(_page(f"<main><p>Text.</p><p>{line}</p></main>"))))
    assert [d.kind for d in found] == [kind]


def test_a_german_page_gets_its_shown_publication_day_not_the_update() -> None:
    body = ("<article><h1>Sturm schließt Häfen</h1><p>Von Anna Schmidt · Aktualisiert am 14. März 2024</p>"
            "<p>Veröffentlicht am 12. März 2024, 14:30 Uhr</p><p>Die Behörden haben drei Häfen geschlossen.</p>"
            "</article>")
    ext = Extraction(text="x", url="https://example.de/sturm")
    choose_date(ext, gather(parse_tree(_page(body)), ext.url), dayfirst=True)
    assert ext.published_at == NOW_SAFE and ext.provenance["published_at"] == "page:published-date"


@pytest.mark.parametrize(
    ("lang", "h1", "line"),
    [
        ("zh", "东京奥运会开幕", "2024年3月12日 14:30 发布"),
        ("ja", "東京で大雪", "2024年3月12日 14時30分"),
        ("ko", "서울에 폭설", "입력 2024년 3월 12일"),
        ("ru", "Правительство представило бюджет", "12 марта 2024 г., 14:30"),
        ("pl", "Rząd przedstawił budżet", "12 marca 2024 r."),
        ("sv", "Regeringen presenterar budgeten", "Publicerad 12 mars 2024 kl. 14.30"),
        ("id", "Pemerintah umumkan anggaran", "Selasa, 12 Maret 2024 14:30 WIB"),
        ("hu", "A kormány bemutatta a költségvetést", "2024. március 12. 14:30"),
        ("vi", "Chính phủ công bố ngân sách", "Thứ ba, 12/3/2024 14:30"),
        ("el", "Η κυβέρνηση παρουσίασε τον προϋπολογισμό", "12 Μαρτίου 2024, 14:30"),
        ("ar", "الحكومة تعلن الميزانية", "الثلاثاء 12 مارس 2024"),
        ("he", "הממשלה הציגה את התקציב", "12 במרץ 2024"),
        ("hi", "सरकार ने बजट पेश किया", "12 मार्च 2024"),
    ],
)
def test_the_date_under_the_headline_in_more_languages(lang: str, h1: str, line: str) -> None:
    body = f"<article><h1>{h1}</h1><p>{line}</p><p>{h1}。{h1}。</p></article>"
    ext = Extraction(text="x", url="https://example.org/a")
    choose_date(ext, gather(parse_tree(_page(body, lang)), ext.url), dayfirst=True)
    assert ext.published_at == NOW_SAFE and ext.provenance["published_at"].startswith("page:")


@pytest.mark.parametrize(
    ("lang", "line"),
    [
        ("zh", "发布时间：2024年3月12日 · 更新时间：2024年3月14日"),
        ("ja", "公開日 2024年3月12日 更新日 2024年3月14日"),
        ("ko", "입력 2024.03.12 14:30 수정 2024.03.14 09:10"),
    ],
)
def test_cjk_labels_tell_publication_from_update(lang: str, line: str) -> None:
    body = f"<article><h1>見出し</h1><p>{line}</p><p>本文。本文。</p></article>"
    ext = Extraction(text="x", url="https://example.org/a")
    choose_date(ext, gather(parse_tree(_page(body, lang)), ext.url))
    assert ext.published_at == NOW_SAFE and ext.provenance["published_at"] == "page:published-date"
    assert ext.updated_at == "2024-03-14" and ext.provenance["updated_at"] == "page:updated-date"


GERMAN = ("Die Behörden haben am Montag drei Häfen geschlossen, als ein heftiger Sturm entlang der Nordküste zog "
          "und Winde von mehr als 120 Kilometern pro Stunde brachte. Fähren blieben in den Häfen. ")


def _text_article(header: str, body: str = GERMAN * 3, meta: dict | None = None) -> object:
    data = f"Sturm schließt Häfen an der Nordküste\n\n{header}\n\n{body}".encode()
    doc = RawDocument(source="files", locator="files/sturm.txt", data=data, path="sturm.txt", meta=meta or {})
    return build_article(doc, extract(doc), run_id=None, lang_cap=2000, lang_min=40)


def test_a_numeric_date_in_a_german_text_is_read_day_first_by_its_language() -> None:
    a = _text_article("Veröffentlicht am 03.04.2024")
    assert (a.language, a.published_at) == ("de", "2024-04-03")
    assert a.provenance["published_at"] == "line:Veröffentlicht am+locale"


POLISH = ("Władze zamknęły w poniedziałek trzy porty, gdy silny sztorm przeszedł wzdłuż północnego wybrzeża "
          "i przyniósł wiatr o prędkości ponad 120 kilometrów na godzinę. Promy pozostały w portach. ")


def test_a_polish_text_header_is_read_with_its_label_and_month_name() -> None:
    a = _text_article("Opublikowano: 12 marca 2024 r.", body=POLISH * 3)
    assert (a.language, a.published_at) == ("pl", NOW_SAFE)
    numeric = _text_article("Opublikowano: 03.04.2024", body=POLISH * 3)
    assert numeric.published_at == "2024-04-03"  # Polish is written day first


def test_an_english_text_keeps_an_ambiguous_numeric_date_unknown() -> None:
    english = "The authorities closed three ports on Monday as a storm moved along the northern coast. " * 4
    assert _text_article("Posted on 03/04/2024", english).published_at is None


def test_a_text_date_abroad_with_a_month_name_and_an_update_line() -> None:
    a = _text_article("Veröffentlicht am 12. März 2024\n\nAktualisiert am 14. März 2024")
    assert (a.published_at, a.provenance["published_at"]) == (NOW_SAFE, "line:Veröffentlicht am")


CHINESE = "东京奥运会开幕式将于七月举行，组委会周二宣布了最新的安排和计划。" * 8


@pytest.mark.parametrize(
    ("header", "field", "rule"),
    [
        ("发布时间：2024年3月12日", "published_at", "line:发布时间"),
        ("发布时间: 2024年3月12日 14:30", "published_at", "line:发布时间"),
        ("公開日：2024年3月12日", "published_at", "line:公開日"),
        ("2024年3月12日 星期二", "published_at", "line:date"),
        ("更新时间：2024年3月12日", "updated_at", "line:更新时间"),
    ],
)
def test_a_cjk_text_header_runs_into_its_date_with_a_full_width_colon(header: str, field: str, rule: str) -> None:
    ex = extract_plain(f"东京奥运会开幕\n{header}\n\n{CHINESE}")
    assert (getattr(ex, field), ex.provenance[field]) == (NOW_SAFE, rule)
    assert header not in ex.text


def test_a_chinese_sentence_with_a_date_in_it_stays_in_the_text() -> None:
    sentence = "组委会2024年3月12日宣布了最新的安排。"
    ex = extract_plain(f"东京奥运会开幕\n\n{sentence}\n\n{CHINESE}")
    assert sentence in ex.text and ex.published_at is None
