"""Repair mojibake: UTF-8 text that was decoded as Latin-1 or Windows-1252 once, and published that way.

Sites that re-encode their own text publish titles like "A DIY Investorâ€™s Guide" in a page that is
otherwise valid UTF-8. No decoder can undo that, so the decoded text is repaired with ftfy, limited to
its encoding fixes (quotes, widths, ligatures and line breaks are left as written). A byte-level check
keeps the cost off clean documents; only the lines that show the pattern are handed to ftfy, which
repairs them only when the result is more plausible than the input.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from functools import cache
from typing import Any

# A UTF-8 lead byte seen as a Latin-1 letter (U+00C2..U+00F4), followed by a continuation byte seen as
# Latin-1 (U+0080..U+00BF) or as one of Windows-1252's printable replacements for 0x80..0x9F,
# matched on the UTF-8 bytes of the decoded text: a fast search, as every match starts with 0xC3.
_SUSPECT_BYTES = re.compile(
    rb"\xc3[\x82-\xb4](?:\xc2[\x80-\xbf]|\xe2\x80[\x93-\xba]|\xe2\x82\xac|\xe2\x84\xa2"
    rb"|\xc5[\x92\x93\xa0\xa1\xb8\xbd\xbe]|\xc6\x92|\xcb[\x86\x9c])"
)
_SUSPECT_LINE = re.compile(
    "[\u00c2-\u00f4][\u0080-\u00bf\u20ac\u201a\u0192\u201e\u2026\u2020\u2021\u02c6\u2030\u0160\u2039"
    "\u0152\u017d\u2018\u2019\u201c\u201d\u2022\u2013\u2014\u02dc\u2122\u0161\u203a\u0153\u017e\u0178]"
)


@cache
def _ftfy() -> tuple[Any, Any]:
    """ftfy and its encoding-only settings, imported at the first suspect text (most runs never need it)."""
    import ftfy

    return ftfy.fix_text, ftfy.TextFixerConfig(
        unescape_html=False, remove_terminal_escapes=False, fix_latin_ligatures=False, fix_character_width=False,
        uncurl_quotes=False, fix_line_breaks=False, fix_surrogates=False, remove_control_chars=False,
        normalization=None, explain=False,
    )


def looks_mojibaked(text: str) -> bool:
    if text.isascii():
        return False
    return _SUSPECT_BYTES.search(text.encode("utf-8", "surrogatepass")) is not None


def repair_mojibake(text: str) -> str:
    """The text with double-decoded UTF-8 undone where ftfy is sure; unchanged when nothing looks wrong."""
    if not looks_mojibaked(text):
        return text
    fix_text, encoding_only = _ftfy()
    lines = text.splitlines(keepends=True)
    for i, line in enumerate(lines):
        if not _SUSPECT_LINE.search(line):
            continue
        if len(line) <= _LONG_LINE:
            lines[i] = fix_text(line, encoding_only)
            continue
        lines[i] = _repair_words(line, lambda word: fix_text(word, encoding_only))
    return "".join(lines)


_LONG_LINE = 2_000
# A word runs to the next ASCII space, tag bracket or quote (a mojibaked no-break space, "Â\xa0", is inside a
# word), 100 characters at most each way (a data URI has no end).
_WORD_TAIL = re.compile(r'[^ \t\r\n\f\v<>"]{0,100}')
_WORD_HEAD = re.compile(r'[^ \t\r\n\f\v<>"]{0,100}$')


def _repair_words(line: str, fix: Callable[[str], str]) -> str:
    """A long line (minified HTML is one line of a whole page) repaired word by word around each suspect pair:
    ftfy took up to 170 ms on such a line, and one clean accent in it could veto the repair of all the rest."""
    out: list[str] = []
    done = 0
    for m in _SUSPECT_LINE.finditer(line):
        if m.start() < done:
            continue
        head = _WORD_HEAD.search(line, max(done, m.start() - 100), m.start())
        start = head.start() if head else m.start()
        end = max(m.end(), _WORD_TAIL.match(line, m.start()).end())
        out += [line[done:start], fix(line[start:end])]
        done = end
    out.append(line[done:])
    return "".join(out)
