"""Byline elements: where a page writes its author, read as text for the name cleaner.

Elements marked as author or byline (rel, itemprop, class, id, links to author pages, avatars), written
bylines ("By Jane Doe", "Written by" + the next element, "Author: Jane Doe"; "Von", "Par", "Por", "di", "Door"
on pages in German, French, Spanish or Portuguese, Italian, Dutch) and a writer's bio ("Jane Doe is a freelance
writer …"); each found in the article, or set aside when it sits in a sidebar, comments or navigation.
"""

from __future__ import annotations

import re
from functools import cache
from typing import Any

from lxml import etree

from pipelines.enrich.byline_names import AUTHOR_WORDS, BY, BY_ABROAD, BY_WORDS, LABEL_ONLY
from pipelines.enrich.language import language_code
from pipelines.enrich.metadata_html import BLOCK_TAGS, NO_TEXT_TAGS, PageSignals, page_region, squash
from pipelines.enrich.personal_sites import first_names

# One pass over the page's attributes for author/byline marks: class, id, rel, itemprop ("author", "Author",
# "byline", "ByLine") and links to author pages ("/author/jane-doe"). Case variants are spelled out: translate()
# on every attribute costs more than the whole rest of the author step.
_BYLINE_XPATH = etree.XPath(
    "//body//@*[contains(., 'uthor') or contains(., 'yline') or contains(., 'yLine')]/.."
    " | //body//img[contains(@class, 'avatar')][normalize-space(following-sibling::text()[1])]"
)
_BYLINE_ATTRS = ("class", "id", "rel", "itemprop")
_AUTHOR_HREF = re.compile(r"/authors?(?![a-z])")  # "/author/jane-doe", "/authors?id=3"; not "/authorization"
_BYLINE_MARK = re.compile(r"author|byline", re.I)
# Short text nodes that may open a written byline ("By", "Written by", "Author:"); _LABEL_TEXT then decides.
_LABELS = (
    "contains(., 'by') or contains(., 'By') or contains(., 'BY') or contains(., 'uthor') or contains(., 'UTHOR')"
    " or contains(., 'ontributor') or contains(., 'ONTRIBUTOR')"
)
# What else may open a byline on a page in these languages: its "By" (BY_ABROAD: "Von", "Par" …), its "Author"
# ("Autor", "Autore", "Auteur") and Italian "di". They are looked for only there (`_label_xpath`), so an English
# page pays nothing for them ("Par" is in "Paris" and "Party").
_MORE_LABELS_ABROAD = {"de": ("utor",), "es": ("utor",), "pt": ("utor",), "fr": ("uteur",), "nl": ("uteur",),
                       "it": ("di", "Di", "utor"), "pl": ("utor",), "cs": ("utor",), "ru": ("втор",), "uk": ("втор",),
                       "tr": ("azar",), "id": ("enulis",), "hu": ("zerző",), "vi": ("ác giả",), "el": ("υντάκτ",)}
_CAPITAL = "A-ZÀ-ÖØ-ÞŁŚŻŹĆŃŠČŘŽĞİŐŰĐА-ЯЁІЇЄҐΑ-ΩΆΈΉΊΌΎΏ"  # a name's first letter, in the scripts of the labels read
# Italian writes "di Mario Rossi". "di" is also a surname particle ("Di Maio") and the commonest Italian word, so
# it is read on Italian pages only, as the label opening a line: a lower-case "di", or "Di" before two capitalised
# words at least; it is never stripped from other author values.
_DI = re.compile(rf"^(?:di(?=\s+[{_CAPITAL}]|\s*:?\s*$)|Di(?=\s+[{_CAPITAL}][\w'’.-]*\s+[{_CAPITAL}]))")
# "View all posts by Jane Doe": the link out of an author box names the writer.
_ALL_BY = r"(?:(?:view|see|browse)\s+)?(?:all|more)\s+(?:posts|articles|stories)"
# "This post was written by Jane Doe, MD, gastroenterologist.": a credit line in the article's own words.
_WAS_BY = r"(?:this|the)\s+(?:blog\s+)?(?:post|article|story|piece|column|guide)\s+(?:was|is)\s+(?:written|authored)"
_LABEL_TEXT = re.compile(
    rf"^(?:(?:{BY_WORDS})\s+|{_ALL_BY}\s+|{_WAS_BY}\s+)?"
    rf"{BY}\b\s*:?"
    rf"|^(?:{AUTHOR_WORDS})\s*(?::|$)",
    re.I,
)
_LABEL_START = re.compile(
    rf"^(?:(?:{BY_WORDS})\s+|{_ALL_BY}\s+|{_WAS_BY}\s+)?"
    rf"{BY}\s*:?\s+"
    rf"(?-i:[{_CAPITAL}]|[a-z][\w.-]*[a-z0-9_]$)"
    rf"|^(?:{AUTHOR_WORDS})\s*(?::\s*|\n)(?-i:[{_CAPITAL}])",
    re.I,
)
_BREAK = "\u2029"  # a block boundary while collecting text (source newlines are only spaces)


def _block_text(el: Any, limit: int = 400) -> str:
    """Visible text of an element with one line per block ("Jane Doe" / "Senior Editor" set in two <div>s stay
    two lines); stops collecting past `limit` characters (the caller rejects long texts anyway)."""
    out: list[str] = [el.text or ""] if el.tag not in NO_TEXT_TAGS else []
    size = len(out[0]) if out else 0

    def walk(node: Any) -> None:
        nonlocal size
        for child in node:
            if size > limit:
                return
            tag = child.tag if isinstance(child.tag, str) else ""
            if tag and tag not in NO_TEXT_TAGS:
                block = tag in BLOCK_TAGS
                if block:
                    out.append(_BREAK)
                if child.text:
                    out.append(child.text)
                    size += len(child.text)
                walk(child)
                if block:
                    out.append(_BREAK)
            if child.tail:
                out.append(child.tail)
                size += len(child.tail)

    if out:
        walk(el)
    return "\n".join(line for line in (squash(x) for x in " ".join(out).split(_BREAK)) if line)


def byline_texts(sig: PageSignals) -> tuple[list[str], list[str], bool]:
    """Texts of elements marked as author/byline (rel, itemprop, class, id, a link to an author page), one line
    per block of the element: those in the article, those in a sidebar, and whether marked elements were left
    out as comments, related lists or navigation."""
    if sig.tree is None:
        return [], [], False
    texts: list[str] = []
    aside: list[str] = []
    left_out = False
    for el in _BYLINE_XPATH(sig.tree)[:60]:
        if el.tag == "img":  # a writer's avatar (Gravatar) followed by the name: "<img class=avatar> Ann Lee in News"
            text = re.sub(r"\s+(?:in|on|at)$", "", squash(el.tail))  # the section or date is the next element
            if text and text not in texts and not page_region(el):
                texts.append(text)
            continue
        if el.tag in ("meta", "link", "script", "style", "img", "svg", "button", "input", "form", "source"):
            continue
        marked = any(_BYLINE_MARK.search(el.get(a) or "") for a in _BYLINE_ATTRS)
        if not (marked or _AUTHOR_HREF.search(el.get("href") or "")):
            continue  # the mark was in another attribute (src, alt, style)
        name_el = el.find(".//*[@itemprop='name']")
        text = _block_text(el, 160) if name_el is None else squash(name_el.get("content")) or _block_text(name_el)
        if len(text) > 150:  # an author box: the name heads it, a bio follows
            head, _, bio = text.partition("\n")
            text = head if len(head) <= 40 and len(bio.split("\n", 1)[0]) > 80 else ""
        if not text or text in texts or text in aside:
            continue
        region = page_region(el)
        if region:
            left_out = True
            if region == "sidebar" and len(aside) < 4:
                aside.append(text)
            continue
        texts.append(text)
        if len(texts) >= 8:
            break
    return texts, aside, left_out


def labelled_bylines(sig: PageSignals) -> tuple[list[str], list[str]]:
    """Bylines written as text: "By Jane Doe", "Written by" + a name in the next element, "Author: Jane Doe".

    Only short text nodes that start with such a label are looked at (one XPath); the byline is the label's
    line (the text node and the inline elements after it), or the next line or element when the label stands
    alone. Bylines in the article, and those in sidebars."""
    if sig.tree is None:
        return [], []
    out: list[str] = []
    aside: list[str] = []
    lang = language_code(sig.lang) or ""
    for node in _label_xpath(lang)(sig.tree):
        key = squash(node)
        italian = lang == "it" and _DI.match(key) is not None
        if not (italian or _LABEL_TEXT.match(key)) or not _in_page_language(key, lang):
            continue
        el = node.getparent()
        if el is None or (node.is_tail and el.tag == "a"):  # "<a>Photo</a> by …", "<a>this study</a> by …"
            continue
        container = el.getparent() if node.is_tail else el
        if container is None or container.tag in ("body", "html"):
            continue
        region = page_region(el)
        if region == "skip" or (region and len(aside) >= 2):
            continue
        if node.is_tail:
            text = squash(f"{node} {_run_after(el, first=False)}")
        elif el.tag in BLOCK_TAGS:  # "<li>Written by <address>Ann Lee</address></li>": the label's line, or two
            own = _block_text(el, 300).split("\n", 2)
            text = "\n".join(own[:2]) if LABEL_ONLY.match(own[0]) else own[0]
        else:
            text = squash(f"{_block_text(el, 300)} {_run_after(el)}")
        if italian:  # read as the English label the name cleaner knows
            text = _DI.sub("By", text, count=1)
        if lang in _AND_ABROAD:  # "Mario Rossi e Luca Bianchi", "Jan de Vries en Eva Bos": two people
            text = _AND_ABROAD[lang].sub(" and ", text)
        if LABEL_ONLY.match(text):
            text = f"{text}\n{_next_text(el if not node.is_tail else container)}"
        lines = text.split("\n")
        if len(lines) <= 8 and max(map(len, lines)) <= 150 and _LABEL_START.match(text) and text not in out:
            (aside if region else out).append(text)
            if len(out) >= 6:
                break
    return out, aside


# "e" (Italian, Portuguese) and "en" (Dutch) between two names; the cleaner splits on "and", "und", "et", "y".
_AND_ABROAD = {lang: re.compile(rf"\s+{word}\s+(?=[{_CAPITAL}])") for lang, word in (("it", "e"), ("pt", "e"),
                                                                                   ("nl", "en"))}


@cache
def _label_xpath(lang: str) -> etree.XPath:
    """The text nodes that may open a written byline on a page in `lang` (a two-letter code, or "")."""
    words = [by.capitalize() for by, langs in BY_ABROAD.items() if lang in langs]
    extra = "".join(f" or contains(., '{w}')" for w in words + list(_MORE_LABELS_ABROAD.get(lang, ())))
    return etree.XPath(f"//body//text()[string-length() < 160][{_LABELS}{extra}]")


_BY_ABROAD = re.compile(rf"^({'|'.join(BY_ABROAD)})\b", re.I)


def _in_page_language(label: str, lang: str) -> bool:
    """An English label anywhere; "Von", "Par", "Por" or "Door" only on a page in that language (`lang`, a primary
    subtag: in an English page "Door Locks" is a product, not a byline)."""
    m = _BY_ABROAD.match(label)
    return m is None or lang in BY_ABROAD[m.group(1).lower()]


def _run_after(el: Any, *, first: bool = True) -> str:
    """The rest of a line after `el`: its tail (unless `first` is False: the caller has it) and the inline
    siblings that follow, up to the next block element."""
    parts = [el.tail or ""] if first else []
    size = 0
    for sib in el.itersiblings():
        tag = sib.tag if isinstance(sib.tag, str) else ""
        if tag in BLOCK_TAGS or size > 200:
            break
        text = _block_text(sib, 200) if tag and tag not in NO_TEXT_TAGS else ""
        parts += [text, sib.tail or ""]
        size += len(text) + len(sib.tail or "")
    return squash(" ".join(parts))


# An avatar's initials ("CP") opening the block after a lone label: the names follow, one card each.
_INITIALS = re.compile(r"^[A-Z]{1,3}\n")


def _next_text(el: Any) -> str:
    """What follows a lone label ("Written by", "Authors:"): the inline text after `el` (or after its parent), one
    line per <br>, or else the first line of the next block; every item when that block is a list."""
    for start in (el, el.getparent()):
        if start is None:
            continue
        lines: list[str] = []
        run = [start.tail or ""]
        for sib in start.itersiblings():
            tag = sib.tag if isinstance(sib.tag, str) else ""
            if tag == "br":
                lines.append(" ".join(run))
                run = []
            elif tag in BLOCK_TAGS:
                if not squash(" ".join(lines + run)):
                    text = _block_text(sib, 300)
                    if tag in ("ul", "ol") or _INITIALS.match(text):  # a list; avatar cards: "CP", name, title …
                        return text
                    return text.split("\n", 1)[0]
                break
            elif tag and tag not in NO_TEXT_TAGS:
                run.append(_block_text(sib, 200).replace("\n", " "))
            run.append(sib.tail or "")
            if len(lines) >= 5:
                break
        text = "\n".join(line for line in map(squash, [*lines, " ".join(run)]) if line)
        if text:
            return text
    return ""



# "Jane Doe is a freelance travel writer …": the first sentence of an author's bio.
_WRITING_ROLE = (r"writer|journalist|editor|author|contributor|reporter|blogger|columnist|content creator|"
                 r"correspondent|freelancer")
_PERSON = r"[A-Z][a-z]+(?:\s+[A-Z]\.)?(?:\s+[A-Z][\w'’-]+){1,2}?"  # "Jane Doe", "Ann B. Lee", "Mary Ann Lee"
_BIO = re.compile(rf"^({_PERSON})\s+(?:is|has been)\s+(?:an?|the)\s+(?:[\w,&'’-]+\s+){{0,8}}?(?:{_WRITING_ROLE})s?\b")
_BIO_XPATH = etree.XPath("//body//text()[contains(., ' is a') or contains(., ' has been a')]")
# An author card's line: the name, then the writer's role ("Tim Green UK-based Systems Theorist & Independent
# Technology Writer"), the whole paragraph.
_CARD = re.compile(rf"^({_PERSON})\s*[,|–—-]?\s+(?:[\w&'’-]+\s+){{0,8}}(?i:{_WRITING_ROLE})$")
_CARD_XPATH = etree.XPath("//body//p[string-length() < 120][contains(., 'riter') or contains(., 'ournalist')]")


def bio_name(sig: PageSignals) -> str | None:
    """The person a bio paragraph presents as a writer, or an author card's name-and-role line, outside comments
    and navigation; a given name first."""
    if sig.tree is None:
        return None
    for node in _BIO_XPATH(sig.tree):
        m = _BIO.match(squash(node))
        el = node.getparent()
        if m and el is not None and m.group(1).split()[0] in first_names() and page_region(el) != "skip":
            return m.group(1)
    for el in _CARD_XPATH(sig.tree):
        m = _CARD.match(squash(el.text_content()))
        if m and m.group(1).split()[0] in first_names() and page_region(el) != "skip":
            return m.group(1)
    return None
