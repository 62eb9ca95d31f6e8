"""Plain-text articles: find the title, date and byline lines at the top, then clean the body.

Rule order (`extract_plain`):
1. split into paragraphs (one per line, or blank-line separated; hard wraps joined);
2. header lines among the first paragraphs: "Posted on 11/20/2024" / "Published: ..." / a line that is
   only a date -> published_at; "Updated ..." is never the publication date (-> updated_at); "By A and B" ->
   authors.
   These lines leave the text;
3. title: the first line when it is title-like (3-25 words, no final period, not a list item or label);
   otherwise the first title-like line right after a leading block of one-sentence notes (the notes are
   dropped); otherwise none (the rejected first line is recorded with its reason). Repeats of the title
   in the first lines are dropped, and the title line, being part of the written article, heads `text`
   exactly once;
4. the rest goes through `cleaning.clean_paragraphs`.
"""

from __future__ import annotations

import re

from pipelines.enrich.byline_names import BY_LABEL, split_byline
from pipelines.enrich.dates import parse_date
from pipelines.extract.cleaning import (
    DATE_LABEL,
    clean_paragraphs,
    ends_with_abbreviation,
    is_date_stamp,
    normalize_space,
    split_paragraphs,
)
from pipelines.models import Extraction

HEAD_ZONE = 8  # header lines (title, dateline, byline) are looked for among the first paragraphs only
_BODY_WORDS = 40  # a paragraph this long is article body: the header is over after two of them
_NOTE_MAX_WORDS = 60
_BYLINE_MAX_WORDS = 16
_TITLE_MIN_WORDS, _TITLE_MAX_WORDS, _TITLE_MAX_CHARS = 3, 25, 200
_SENTENCE_BREAK = re.compile(r"[.!?]+[\"”’)]*\s+(?=[\"“‘(]*[A-Z0-9])")
_FINAL_STOP = re.compile(r"[.!?][\"”’)]*$")
_BULLET = re.compile(r"^(?:[-*•–—]|\d{1,2}[.)])\s")
_PIECES = re.compile(r"\s+[|•·]\s+")
_URLISH = re.compile(r"^(?:https?://|www\.)\S+$", re.IGNORECASE)


def extract_plain(text: str) -> Extraction:
    """Plain text in, an Extraction (format "plain") out; never raises on odd input."""
    ex = Extraction(text="", format="plain")
    paragraphs = read_header(split_paragraphs(text), ex)
    paragraphs = choose_title(paragraphs, ex)
    body = clean_paragraphs(paragraphs)
    if ex.title and body:
        body.insert(0, ex.title)
    ex.text = "\n\n".join(body)
    return ex


# --- header lines --------------------------------------------------------------------------------------


def read_header(paragraphs: list[str], ex: Extraction) -> list[str]:
    """Take dateline and byline lines from the top; returns the paragraphs without them.

    A field already set (for example from a tag) is not overwritten: the line's value is a rejected candidate.
    """
    out: list[str] = []
    long_seen = 0
    for i, paragraph in enumerate(paragraphs):
        if i >= HEAD_ZONE or long_seen >= 2 or not _header_line(paragraph, ex):
            out.append(paragraph)
            long_seen += len(paragraph.split()) >= _BODY_WORDS
    return out


def _header_line(paragraph: str, ex: Extraction) -> bool:
    """Handle a dateline / byline (or "By X | Nov. 19, 2024"); False when the line is something else."""
    pieces = _PIECES.split(paragraph)
    kinds = [_piece_kind(p) for p in pieces]
    if None in kinds:
        return False
    for piece, kind in zip(pieces, kinds, strict=True):
        if kind == "date":
            _take_date(piece, ex)
        else:
            _take_byline(piece, ex)
    return True


def _piece_kind(piece: str) -> str | None:
    if is_date_stamp(piece):
        return "date"
    short = len(piece.split()) <= _BYLINE_MAX_WORDS and not inner_breaks(piece)
    if short and re.match(rf"{BY_LABEL}\s", piece, re.IGNORECASE) and any(split_byline(piece)):
        return "byline"
    return None


def _take_date(line: str, ex: Extraction) -> None:
    label = DATE_LABEL.match(line)
    name = normalize_space(label.group(0)).rstrip(":：").strip() if label else ""
    rule = f"line:{name[:1].upper()}{name[1:]}" if name else "line:date"
    rest = line[label.end() :] if label else line
    date_part, *by_part = re.split(r"\s+by\s+", rest, maxsplit=1, flags=re.IGNORECASE)
    if by_part:
        _take_byline(f"By {by_part[0]}", ex)
    field = "updated_at" if label and label.group("updated") else "published_at"
    if field == "updated_at":
        ex.propose("published_at", date_part, rule, False, "an update time is not the publication date")
    set_date(ex, re.sub(r"\s+at\s+", " ", date_part).strip(" ,."), rule, field)


AMBIGUOUS_ORDER = "day/month order is ambiguous and the outlet's locale is unknown"


def set_date(ex: Extraction, raw: str, rule: str, field: str = "published_at") -> None:
    """Accept a written publication (or update) date unless it is implausible, ambiguous or already known."""
    parsed = parse_date(raw)
    if parsed is None:
        ex.propose(field, raw, rule, False, "not a plausible date")
    elif parsed.ambiguous:  # the raw text is kept: build_article resolves it once the outlet's locale is known
        ex.propose(field, raw, rule, False, AMBIGUOUS_ORDER)
    elif getattr(ex, field):
        ex.propose(field, parsed.value, rule, False, f"already set by {ex.provenance.get(field)}")
    else:
        ex.accept(field, parsed.value, rule)


def _take_byline(line: str, ex: Extraction) -> None:
    people, organisations = split_byline(line)
    if ex.authors or ex.organizations:
        reason = f"already set by {ex.provenance.get('authors')}"
        ex.propose("authors", people + organisations, "line:By", False, reason)
        return
    ex.authors = people
    ex.organizations = organisations
    ex.provenance["authors"] = "line:By"
    ex.propose("authors", people + organisations, "line:By", True)


# --- title ---------------------------------------------------------------------------------------------


def inner_breaks(paragraph: str) -> int:
    """Sentence ends inside a paragraph, not counting the stop after an abbreviation ("U.S. officials")."""
    return sum(1 for m in _SENTENCE_BREAK.finditer(paragraph) if not ends_with_abbreviation(paragraph[: m.start() + 1]))


def sentence_count(paragraph: str) -> int:
    return inner_breaks(paragraph) + (1 if _FINAL_STOP.search(paragraph) else 0)


def title_problem(line: str) -> str | None:
    """Why a line is not a headline ("too long (31 words); line ends with a period"), or None when it is."""
    words = len(line.split())
    problems = []
    if words < _TITLE_MIN_WORDS:
        problems.append(f"too short ({words} words)")
    if words > _TITLE_MAX_WORDS or len(line) > _TITLE_MAX_CHARS:
        problems.append(f"too long ({words} words)")
    if _BULLET.match(line):
        problems.append("a list item")
    if _URLISH.match(line) or is_date_stamp(line):
        problems.append("a URL or a date")
    if line[:1].islower():
        problems.append("starts lowercase")
    stripped = line.rstrip('"”’)')
    if stripped.endswith(".") and not ends_with_abbreviation(stripped):
        problems.append("line ends with a period (sentence-like)")
    elif stripped.endswith((":", ",", ";")):
        problems.append("ends like a label or a clause")
    if inner_breaks(line):
        problems.append("several sentences")
    return "; ".join(problems) or None


def is_note(paragraph: str) -> bool:
    """A one-sentence line ending with a period: an analysis bullet or kicker, not a headline."""
    return (
        len(paragraph.split()) <= _NOTE_MAX_WORDS
        and paragraph.rstrip('"”’)').endswith((".", "!"))
        and sentence_count(paragraph) == 1
    )


def same_text(a: str, b: str) -> bool:
    return normalize_space(a).casefold().strip(" .") == normalize_space(b).casefold().strip(" .")


def choose_title(paragraphs: list[str], ex: Extraction) -> list[str]:
    """Set ex.title from the first lines (see the module docstring); returns the paragraphs left for the body."""
    if not paragraphs:
        return paragraphs
    first_problem = title_problem(paragraphs[0])
    if first_problem is None:
        ex.accept("title", paragraphs[0], "line:first")
        return drop_title_repeats(paragraphs[1:], ex)
    for j in range(1, min(len(paragraphs) - 1, HEAD_ZONE)):
        if not is_note(paragraphs[j - 1]):
            break
        if title_problem(paragraphs[j]) is None and len(paragraphs[j].split()) >= 5:
            for note in paragraphs[:j]:
                ex.propose("title", note, "line:leading-note", False, title_problem(note) or "before the title line")
                ex.propose("text", note, "line:leading-note", False, "one-sentence note before the title: not body")
            ex.accept("title", paragraphs[j], "line:first-title-like")
            return drop_title_repeats(paragraphs[j + 1 :], ex)
    ex.propose("title", paragraphs[0], "line:first", False, first_problem)
    return paragraphs


def set_url(ex: Extraction, url: str, rule: str) -> None:
    """Accept an http(s) URL given by a tag or a record field; anything else is a rejected candidate."""
    if re.match(r"https?://\S+$", url):
        ex.accept("url", url, rule)
    elif url:
        ex.propose("url", url, rule, False, "not an http(s) URL")


def clean_body(raw: str, ex: Extraction) -> str:
    """The body of an export (tag or record field): title copies and header lines out, paragraphs cleaned."""
    paragraphs = read_header(drop_title_repeats(split_paragraphs(raw), ex), ex)
    return "\n\n".join(clean_paragraphs(paragraphs))


def drop_title_repeats(paragraphs: list[str], ex: Extraction) -> list[str]:
    """Remove copies of the title among the first paragraphs (pages often print it twice)."""
    if not ex.title:
        return paragraphs
    out = []
    for i, paragraph in enumerate(paragraphs):
        if i < HEAD_ZONE and same_text(paragraph, ex.title):
            ex.propose("title", paragraph, "line:repeat", False, "duplicate of title")
        else:
            out.append(paragraph)
    return out
