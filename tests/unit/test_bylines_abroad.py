"""Bylines in other languages ("Von", "Par", "Por", "Door", "di", and "Author:" in fifteen), read on pages in that
language only."""

from __future__ import annotations

import pytest

from pipelines.enrich.byline_names import split_byline
from pipelines.extract.html import extract_html
from pipelines.extract.text import extract_plain

BODY = ("<p>" + "The harbour authority closed three ports on Monday as a strong storm moved along the coast. " * 4
        + "</p>")


def page(lang: str, byline: str) -> str:
    return (f'<html lang="{lang}"><head><title>Sturm</title></head><body><article><h1>Sturm schließt Häfen</h1>'
            f'<p class="meta">{byline}</p>{BODY}</article></body></html>')


@pytest.mark.parametrize(
    ("lang", "byline", "authors"),
    [
        ("de", "Von Anna Schmidt · 12. März 2024", ["Anna Schmidt"]),
        ("de-AT", "Von Anna Schmidt und Jan Berg", ["Anna Schmidt", "Jan Berg"]),
        ("fr", "Par Marie Dupont, publié le 12 mars 2024", ["Marie Dupont"]),
        ("es", "Por María García y Luis Pérez", ["María García", "Luis Pérez"]),
        ("pt-BR", "Por João Silva", ["João Silva"]),
        ("pt", "Por João Silva e Maria Santos", ["João Silva", "Maria Santos"]),
        ("nl", "Door Jan de Vries en Eva Bos", ["Jan de Vries", "Eva Bos"]),
        ("nl", "Door Jan de Vries", ["Jan de Vries"]),
        ("de", "Autor: Anna Schmidt", ["Anna Schmidt"]),
        ("fr", "Auteur : Marie Dupont", ["Marie Dupont"]),
        ("de", "\n   Von Anna Schmidt\n", ["Anna Schmidt"]),  # the source's own line breaks around the label
        ("de", "<span>\n Von </span><a href='/autor/as'>Anna Schmidt</a>", ["Anna Schmidt"]),
        ("it", "di Mario Rossi", ["Mario Rossi"]),
        ("it", "\n Di Mario Rossi e Luca Bianchi | 12 marzo 2024", ["Mario Rossi", "Luca Bianchi"]),
        ("it", "<span>di</span> <a href='/autori/mr'>Mario Rossi</a>", ["Mario Rossi"]),
        # "Author:" in Polish, Czech, Russian, Ukrainian and Turkish, names in their own letters.
        ("pl", "Autor: Łukasz Nowak", ["Łukasz Nowak"]),
        ("pl", "Autorka: Anna Kowalska", ["Anna Kowalska"]),
        ("cs", "Autor: Jan Novák", ["Jan Novák"]),
        ("ru", "Автор: Иван Петров", ["Иван Петров"]),
        ("uk", "Автор: Олена Шевченко", ["Олена Шевченко"]),
        ("tr", "Yazar: Ayşe Yılmaz", ["Ayşe Yılmaz"]),
        # and in Indonesian, Hungarian, Vietnamese and Greek.
        ("id", "Penulis: Budi Santoso", ["Budi Santoso"]),
        ("hu", "Szerző: Kovács Anna", ["Kovács Anna"]),
        ("hu", "Szerző: Őri Zoltán", ["Őri Zoltán"]),
        ("vi", "Tác giả: Nguyễn Văn An", ["Nguyễn Văn An"]),
        ("vi", "Tác giả: Đỗ Minh Tuấn", ["Đỗ Minh Tuấn"]),
        ("el", "Συντάκτης: Γιάννης Παπαδόπουλος", ["Γιάννης Παπαδόπουλος"]),
    ],
)
def test_bylines_abroad_name_the_author(lang: str, byline: str, authors: list[str]) -> None:
    ext = extract_html(page(lang, byline), url="https://example.org/a")
    assert (ext.authors, ext.provenance.get("authors")) == (authors, "byline:label")


@pytest.mark.parametrize(("lang", "line"), [("en", "Door Locks and Handles"), ("en", "Par Marie Dupont"),
                                            ("", "Von Anna Schmidt"), ("fr", "Von Anna Schmidt"),
                                            ("en", "di Mario Rossi"), ("it", "<a href='/tag/dimaio'>Di Maio</a>"),
                                            ("it", "di seguito le notizie"), ("en", "Автор: Иван Петров"),
                                            ("en", "Penulis: Budi Santoso")])
def test_a_label_abroad_on_a_page_in_another_language_is_no_byline(lang: str, line: str) -> None:
    ext = extract_html(page(lang, line), url="https://example.org/a")
    assert ext.authors == []


@pytest.mark.parametrize(
    ("line", "people"),
    [("Von Anna Schmidt und Jan Berg", ["Anna Schmidt", "Jan Berg"]), ("Par Marie Dupont et Paul Roy",
                                                                       ["Marie Dupont", "Paul Roy"]),
     ("Por Ana García y Luis Pérez", ["Ana García", "Luis Pérez"]), ("By Jane Doe et al.", ["Jane Doe"]),
     ("Von der Leyen trifft Macron", [])],
)
def test_plain_text_bylines_abroad(line: str, people: list[str]) -> None:
    assert split_byline(line)[0] == people


def test_a_german_text_header_gives_its_author_and_date() -> None:
    text = ("Sturm schließt Häfen an der Nordküste\n\nVon Anna Schmidt\n\nVeröffentlicht am 12. März 2024\n\n"
            + "Die Behörden haben am Montag drei Häfen geschlossen, als ein Sturm entlang der Küste zog. " * 3)
    ext = extract_plain(text)
    assert (ext.authors, ext.published_at) == (["Anna Schmidt"], "2024-03-12")
    assert "Von Anna Schmidt" not in ext.text
