"""Paragraph cleaning shared by the plain, tagged, JSON and HTML extractors.

Rule order of `clean_paragraphs` (repeated until nothing changes, so cleaning is idempotent):
1. normalise each paragraph: invisible characters out, whitespace collapsed, "word ," -> "word,",
   a leading media credit "(Video: AP)" removed;
2. drop a comment invitation and the reader comments after it (short lines, less text than above it);
   drop page furniture anywhere: UI labels ("Comments( 0 )", "AI Chat", "Advertisement"), date stamps
   ("Posted on 11/20/2024"), engagement prompts ("Share your thoughts in the comments below"),
   paragraphs without a letter or digit;
3. join sentences broken into two paragraphs ("the U.S." + "officials said" -> one paragraph);
4. trim the tail: trailing chatter (greetings, emoji, "!!!", one- or two-word lines).
Only whole paragraphs (and media credits) are removed and only spaces are inserted: cleaning never invents a word.
Middle paragraphs are only removed by the explicit patterns of rule 2, never for being short.
"""

from __future__ import annotations

import re
import unicodedata

from pipelines.enrich.dates import CJK_DATE, HAS_DIGIT, MONTH_NAMES, ON_ABROAD, PUBLISHED_ABROAD, UPDATED_ABROAD

# Abbreviations after which a paragraph break is a bug of the source, not the end of a sentence.
_ABBREVIATION_LIST = """U.S. U.K. U.N. E.U. D.C. N.Y. L.A. Jan. Feb. Mar. Apr. Jun. Jul. Aug. Sep. Sept. Oct. Nov. Dec.
    Mr. Mrs. Ms. Dr. St. Gen. Sen. Rep. Gov. Lt. Col. Capt. Sgt. Maj. Adm. Cmdr. Prof. Rev. Hon. Pres.
    Inc. Co. Corp. Ltd. Jr. Sr. No. Nos. vs. etc. e.g. i.e. approx. Ft. Mt. Ave. Dept. Univ. a.m. p.m."""
ABBREVIATIONS = frozenset(_ABBREVIATION_LIST.split())
_DOTTED_ACRONYM = re.compile(r"^(?:[A-Za-z]\.){2,}$")  # any "X.Y." acronym counts as an abbreviation

_WS = re.compile(r"\s+")
_SPACE_BEFORE_PUNCT = re.compile(r"(?<=\w) +([,;:!?]|\.(?!\.))(?=\s|$)")
# A media credit left at the start of a paragraph by a removed player or image: "(Video: AP) Austin said ...".
_MEDIA_CREDIT = re.compile(r"^\((?:video|photo|image|graphic|audio|watch)s?\s*:[^()]{1,60}\)\s*", re.IGNORECASE)
_HAS_ALNUM = re.compile(r"[^\W_]")
_MONTH = rf"(?:{MONTH_NAMES})[a-z]*\.?"
_CJK = "\u3040-\u9fff\uac00-\ud7af"  # kana, CJK ideographs, hangul
_CJK_CHAR = re.compile(f"[{_CJK}]")
_CJK_LABEL_CHARS = 6  # "星期二" (Tuesday), "发布时间" (published): what may stand beside a CJK date
# Something that reads as a calendar date or a clock time, not just any number.
_DATEISH = re.compile(
    rf"\d{{1,4}}[/.-]\d{{1,2}}[/.-]\d{{1,4}}|\b{_MONTH}\s+\d{{1,2}}\b|"
    rf"\b\d{{1,2}}(?:st|nd|rd|th|er|º)?\.?\s+(?:de\s+)?{_MONTH}|"
    rf"\b\d{{1,2}}:\d{{2}}\b|{CJK_DATE}",
    re.IGNORECASE,
)

# Whole-paragraph UI labels (case-insensitive, full match).
_UI_LABEL = re.compile(
    r"(?:comments?\s*\(\s*\d+\s*\)|\d+\s+comments?|no comments(?: yet)?|ai chat|print(?: this)?(?: article)?|"
    r"share(?: this)?(?: article| story| on \w+)?|advertisement|advert|sponsored(?: content)?|tweet|email|"
    r"facebook|twitter|whatsapp|linkedin|copy link|listen(?: to this article)?|skip to (?:main )?content|"
    r"back to top|(?:read|see) more|related(?: articles| stories| content| posts)?:?|see also:?|loading\W*|"
    r"sign (?:in|up)|log ?in|subscribe(?: now)?|newsletter|reply|report(?: abuse)?|like|follow|"
    # The same furniture in German, French, Spanish, Italian, Portuguese and Dutch.
    r"teilen|artikel teilen|partager|compartir|condividi|compartilhar|delen|drucken|imprimer|imprimir|stampa|"
    r"\d+\s+(?:kommentare?|commentaires?|comentarios?|commenti|comentários|reacties)|kommentare|commentaires|"
    r"comentarios|commenti|comentários|reacties|anzeige|werbung|publicité|publicidad|pubblicità|publicidade|"
    r"advertentie|abonnieren|s'abonner|abonnez-vous|suscríbete|abbonati|assine|zum seitenanfang|mehr zum thema|"
    r"lesen sie auch|à lire aussi|lire aussi|voir aussi|lee también|leer más|leggi anche|leia também|lees ook)",
    re.IGNORECASE,
)
# Short furniture lines with a label and something after it ("Related: ...", "Lesen Sie auch: ...").
_LABELLED = re.compile(
    r"(?:related|read more|read also|see also|more from \w+|recommended|lesen sie auch|mehr zum thema|à lire aussi|"
    r"lire aussi|voir aussi|lee también|leer más|te puede interesar|leggi anche|leia também|lees ook|meer over)\s*:",
    re.IGNORECASE,
)
# A dateline's label, in English and abroad; the group `updated` marks an update, never the publication. A
# Chinese, Japanese or Korean label may run into its date, with a full-width colon ("发布时间：2024年3月12日").
DATE_LABEL = re.compile(
    r"(?P<label>posted|published|first published|(?P<updated>updated|last updated|last modified|modified|"
    rf"{UPDATED_ABROAD}|stand)|date|datum|fecha|{PUBLISHED_ABROAD})"
    rf"(?:(?<=[{_CJK}])(?:时间|時間|日時|日|于|於)?\s*[:：]?\s*"
    rf"|(?:\s+(?:on|at|{ON_ABROAD}))?\s*:?\s+)",
    re.IGNORECASE,
)
# Engagement prompts: invitations addressed to the reader, never reporting.
_PROMPT_ANYWHERE = re.compile(
    r"share your (?:thoughts|views|opinion)|(?:in|to) the comments?(?: section)? below|comments? below|"
    r"leave (?:a|your) comment|let us know (?:what you think|your thoughts|in the comments)|"
    r"join the (?:conversation|discussion)|follow us on (?:twitter|facebook|instagram|x|social media|telegram)|"
    r"sign up for our (?:\w+ )?newsletter|subscribe to our (?:\w+ )?(?:newsletter|channel)|"
    r"like us on facebook|click here to (?:read|subscribe|sign|share|follow|download)|"
    # The same invitations in German, French, Spanish, Italian, Portuguese and Dutch.
    r"schreiben sie (?:uns )?(?:einen|ihren) kommentar|kommentar schreiben|was (?:denken|meinen) sie\b|"
    r"diskutieren sie mit|folgen sie uns auf|laiss(?:ez|er) un commentaire|qu'en pensez-vous|donnez votre avis|"
    r"suivez-nous sur|deja (?:tu|un) comentario|dejar un comentario|qué (?:opinas|opina usted|te parece)|"
    r"síguenos en|lascia(?:te)? un commento|cosa ne pens(?:i|ate)|seguici su|deixe (?:seu|um|o seu) comentário|"
    r"o que (?:você|voce) acha|siga-nos|laat een reactie achter|plaats een reactie|wat vind (?:jij|u|jullie)|"
    r"volg ons op",
    re.IGNORECASE,
)
_PROMPT_START = re.compile(
    r"(?:what do you think\b|what are your thoughts\b|share this (?:article|story)|click here\b|read more\s*:|"
    r"don'?t forget to (?:like|share|subscribe|follow)|subscribe\b|follow us\b)",
    re.IGNORECASE,
)
_COMMENT_INVITE = re.compile(
    r"comment|what do you think|your thoughts|let us know|kommentar|comentario|comentário|reactie|"
    r"was (?:denken|meinen) sie|qu'en pensez|qué (?:opinas|opina usted|te parece)|cosa ne pens|"
    r"o que (?:você|voce) acha|wat vind",
    re.IGNORECASE,
)
# A greeting on its own ("Hello.", "Good luck to all!", "Thanks everyone") - not "Thanks to the volunteers, ...".
_GREETING = re.compile(
    r"(?:hello|hi|hey|thanks|thank you|good luck|good cheer|cheers|congrats|congratulations|lol|amen|god bless|"
    r"great (?:article|post|read|news)|nice (?:article|post)|well said|first)"
    r"(?:,?\s+(?:to\s+)?(?:all|everyone|everybody|you|you all|guys|folks|friends|y'all))?[\s.!?,]*",
    re.IGNORECASE,
)
_EMOJI = re.compile("[\U0001f000-\U0001faff\u2600-\u27bf\u2b50\u2764]")
_KEEP_TAIL = re.compile(r"^[(\u2014\u2013-]|reporting|contribut|editing|writing by", re.IGNORECASE)
_PROMPT_MAX_WORDS = 60
_COMMENT_MAX_WORDS = 40
_CHATTER_MAX_WORDS = 8
_CHATTER_MAX_CHARS = 80  # scripts written without spaces (Japanese, Chinese) are one "word" per sentence


def normalize_space(text: str) -> str:
    """One paragraph on one line: invisible format characters removed, controls and runs of space -> one space."""
    text = "".join(" " if unicodedata.category(ch) == "Cc" else ch for ch in text if unicodedata.category(ch) != "Cf")
    text = _WS.sub(" ", text).strip()
    return _SPACE_BEFORE_PUNCT.sub(r"\1", text)


def split_paragraphs(text: str) -> list[str]:
    """Split raw text into normalised paragraphs.

    Blank lines separate blocks; inside a block every line is a paragraph (many dumps put one paragraph
    per line), except that a hard-wrapped line (no end punctuation, next line starts lowercase) is joined.
    """
    paragraphs: list[str] = []
    for block in re.split(r"\n[^\S\n]*\n", text.replace("\r\n", "\n").replace("\r", "\n")):
        current = ""
        for line in block.split("\n"):
            line = normalize_space(line)
            if not line:
                continue
            if current and _is_soft_wrap(current, line):
                current = f"{current} {line}"
                continue
            if current:
                paragraphs.append(current)
            current = line
        if current:
            paragraphs.append(current)
    return paragraphs


def _is_soft_wrap(previous: str, line: str) -> bool:
    return previous[-1] not in '.!?:;"”’)]' and line[0].islower()


def ends_with_abbreviation(paragraph: str) -> bool:
    """True when the last token is a known abbreviation ("U.S.", "Nov.") or a dotted acronym."""
    last = paragraph.rsplit(" ", 1)[-1].lstrip("(\"“‘'")
    return last in ABBREVIATIONS or bool(_DOTTED_ACRONYM.match(last))


def should_join(previous: str, following: str) -> bool:
    """A paragraph break inside a sentence: after an abbreviation or without end punctuation, before lowercase."""
    if not previous or not following:
        return False
    starts_low = following[0].islower() or (following[0].isdigit() and ends_with_abbreviation(previous))
    if not starts_low:
        return False
    return ends_with_abbreviation(previous) or previous[-1].isalnum() or previous[-1] == ","


def join_broken_sentences(paragraphs: list[str]) -> list[str]:
    """Join "One of the U.S." + "officials said ..." and "on Nov." + "20 explained ..." back together."""
    out: list[str] = []
    for paragraph in paragraphs:
        if out and should_join(out[-1], paragraph):
            out[-1] = f"{out[-1]} {paragraph}"
        else:
            out.append(paragraph)
    return out


def is_furniture(paragraph: str) -> bool:
    """Page furniture that is never article text wherever it stands: labels, date stamps, prompts, symbols."""
    if not _HAS_ALNUM.search(paragraph):
        return True
    if _UI_LABEL.fullmatch(paragraph.rstrip(" .!:|")):
        return True
    if len(paragraph.split()) <= 15 and _LABELLED.match(paragraph):
        return True
    return is_date_stamp(paragraph) or is_engagement_prompt(paragraph)


def looks_like_date(text: str) -> bool:
    """A short string made of a calendar date (and maybe a weekday or time), like "Nov. 19, 2024" or "11/20/2024".

    Chinese and Japanese write without spaces, so a whole sentence is one "word": there the date must be nearly
    all of it ("2024年3月12日 星期二"), not a date inside a sentence ("组委会2024年3月12日宣布了新的安排。")."""
    if len(text.split()) > 8 or HAS_DIGIT.search(text) is None or not _DATEISH.search(text):
        return False
    return len(_CJK_CHAR.findall(_DATEISH.sub("", text))) <= _CJK_LABEL_CHARS


def is_date_stamp(paragraph: str) -> bool:
    """A "Posted on 11/20/2024" / "Updated: Nov. 19, 2024 3:05 PM" line, or a line that is only a date."""
    label = DATE_LABEL.match(paragraph)
    rest = paragraph[label.end() :] if label else paragraph
    rest = re.split(r"\s+(?:by|\|)\s+|\s+[|•·]\s*", rest, maxsplit=1, flags=re.IGNORECASE)[0]
    return looks_like_date(rest) and (label is not None or len(paragraph.split()) <= 8)


def is_engagement_prompt(paragraph: str) -> bool:
    """An invitation to the reader ("What do you think? ... Share your thoughts in the comments below.")."""
    if len(paragraph.split()) > _PROMPT_MAX_WORDS:
        return False
    return bool(_PROMPT_ANYWHERE.search(paragraph) or _PROMPT_START.match(paragraph))


def is_chatter(paragraph: str) -> bool:
    """A short line that reads like a reader comment or greeting; only ever removed at the end of a text."""
    words = paragraph.split()
    if len(words) > _CHATTER_MAX_WORDS or len(paragraph) > _CHATTER_MAX_CHARS or _KEEP_TAIL.search(paragraph):
        return False
    if len(words) <= 2 or _EMOJI.search(paragraph) or "!!" in paragraph:
        return True
    return bool(_GREETING.fullmatch(paragraph))


def cut_comments(paragraphs: list[str]) -> list[str]:
    """Drop a comment invitation and the short lines after it (reader comments), when the article is above it."""
    sizes = [len(p.split()) for p in paragraphs]
    for i, paragraph in enumerate(paragraphs):
        if (
            is_engagement_prompt(paragraph)
            and _COMMENT_INVITE.search(paragraph)
            and sum(sizes[:i]) >= sum(sizes[i + 1 :])
            and all(size <= _COMMENT_MAX_WORDS for size in sizes[i + 1 :])
        ):
            return paragraphs[:i]
    return list(paragraphs)


def trim_chatter(paragraphs: list[str]) -> list[str]:
    """Drop trailing chatter lines (greetings, emoji, "!!!", one- or two-word lines) after the last real paragraph."""
    out = list(paragraphs)
    while len(out) > 1 and is_chatter(out[-1]):  # a text made of one short line is left alone
        out.pop()
    return out


def _clean_once(paragraphs: list[str]) -> list[str]:
    kept = [p for p in (_MEDIA_CREDIT.sub("", normalize_space(p)) for p in paragraphs) if p]
    kept = cut_comments(kept)  # before furniture removal: the invitation marks where the comments start
    kept = [p for p in kept if not is_furniture(p)]
    return trim_chatter(join_broken_sentences(kept))


def clean_paragraphs(paragraphs: list[str]) -> list[str]:
    """Clean a list of paragraphs (see the module docstring for the rule order). Idempotent."""
    current = list(paragraphs)
    while True:
        cleaned = _clean_once(current)
        if cleaned == current:
            return cleaned
        current = cleaned


def clean_text(text: str) -> str:
    """Raw text in, clean blank-line separated paragraphs out."""
    return "\n\n".join(clean_paragraphs(split_paragraphs(text)))


_LIST_MARK = re.compile(r"^\s*(?:[-*•–—]|\d{1,2}[.)])\s+")


def clean_summary(text: str) -> str | None:
    """A bulleted or line-broken summary as one readable paragraph ("- U.S." + "- officials say" joined).

    Short lines are kept (a one-line summary is normal); only furniture goes.
    """
    lines = [normalize_space(_LIST_MARK.sub("", line)) for line in text.replace("\r", "\n").split("\n")]
    kept = [line for line in lines if line and not is_furniture(line)]
    return " ".join(join_broken_sentences(kept)) or None
