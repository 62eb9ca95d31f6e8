"""What the story rules compare, read once from an article: shingles, keywords, names, title terms, date.

Words are case- and accent-folded and hyphens inside words dropped ("anti-personnel" = "antipersonnel"),
so spelling variants across outlets do not hide a shared phrase. Stopwords and short words are left out
of shingles: a rewrite changes the glue words first and keeps the content words in order.
Every choice here is deterministic (ties break alphabetically), so the same text gives the same features.
"""

from __future__ import annotations

import re
import unicodedata
import zlib
from collections import Counter
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from itertools import compress, filterfalse
from operator import itemgetter

import numpy as np

# Glue words of the languages the index analyses (en, de, fr, es) that survive the length filter.
_STOPWORDS = """
the and for with from that this these those have has had was were are been being will would could should
can may might also after before over about into than more most said says say not but which who whom whose
what when where while they them their there then its his her our your you she him out all any each other
such only own same just very now new one two three first last year years time like make made many much
some how why because during between under again further once here both few nor off too upon via per
der die das und mit von dem den des ein eine einer eines ist sind wird wurde nicht auch auf aus bei
les des une est pour par avec sur dans pas que qui sont ete aux ces
los las una por con para del que como mas sus
"""
STOPWORDS = frozenset(_STOPWORDS.split())
KEYWORDS = 40  # most frequent content words kept as an article's keyword set
NAMES = 30  # most frequent capitalised names kept as its name set
MAX_SHINGLES = 5000  # bottom-k sample of a very long text's shingle hashes (exact below ~10,000 words)

# The hyphen comes first in the pattern so the regex engine can jump between hyphens instead of trying
# the lookbehind at every character; it matches exactly the hyphens between two word characters.
_HYPHEN = re.compile(r"[-\u2010\u2011\u00ad](?<=\w.)(?=\w)")
_WORD = re.compile(r"\w+")
_LONG_WORD = re.compile(r"\w{3,}")  # the words of _WORD longer than two characters, without the short ones
_COMBINING = re.compile(r"[\u0300-\u036f]")
# Sentence breaks: whitespace after . ! ? or a run of newlines. Each alternative starts with a literal, so the
# engine scans for those characters; the punctuation it swallows never belongs to a _NAME_WORD token.
_SENTENCE = re.compile(r"\.\s+|!\s+|\?\s+|\n\n*")
_NAME_WORD = re.compile(r"[^\W\d_][\w'’\-]*")
_FIRST = itemgetter(0)


def fold(text: str) -> str:
    """Lowercase without accents ("Café" = "cafe"); ASCII text skips the Unicode work."""
    if text.isascii():
        return text.lower()
    return _COMBINING.sub("", unicodedata.normalize("NFKD", text.lower()))


def words(text: str) -> list[str]:
    """Folded word tokens, hyphenated compounds joined."""
    return _WORD.findall(_HYPHEN.sub("", fold(text)))


def content_words(text: str) -> list[str]:
    """The words() longer than two characters that are neither numbers nor stopwords, in text order."""
    tokens = _LONG_WORD.findall(_HYPHEN.sub("", fold(text)))
    # Decide once per distinct word, then filter in C: articles repeat most of their words.
    distinct = set(tokens)
    drop = distinct & STOPWORDS
    drop.update(filter(str.isdigit, distinct))
    return list(filterfalse(drop.__contains__, tokens)) if drop else tokens


def shingle_hashes(tokens: list[str], size: int) -> np.ndarray:
    """Sorted unique 32-bit hashes of the `size`-word shingles (the bottom MAX_SHINGLES when longer)."""
    if size < 1 or len(tokens) < size:
        grams = [" ".join(tokens[i : i + size]).encode("utf-8") for i in range(len(tokens) - size + 1)]
    else:
        # Encode all words in one call and join bytes: b"a b" is "a b".encode("utf-8"), so the CRCs agree.
        encoded = " ".join(tokens).encode("utf-8").split(b" ")
        if len(encoded) != len(tokens):  # a word held a space: encode the words one by one
            encoded = [w.encode("utf-8") for w in tokens]
        # Repeated shingles are hashed again rather than put in a set: dropping repeated hashes is cheaper.
        grams = list(map(b" ".join, zip(*(encoded[k:] for k in range(size)), strict=False)))
    hashes = np.fromiter(map(zlib.crc32, grams), dtype=np.uint32, count=len(grams))
    # Sort and drop repeats by hand: the same result as np.unique, which costs several times more here.
    hashes.sort()
    if len(hashes) > 1:
        hashes = hashes[np.concatenate(([True], hashes[1:] != hashes[:-1]))]
    return hashes[:MAX_SHINGLES]


def _top(counts: Mapping[str, int], n: int) -> tuple[str, ...]:
    """The n words with the highest counts (ties to the alphabetically first), sorted alphabetically."""
    if n >= len(counts):
        return tuple(sorted(counts))
    if n <= 0:
        return tuple(sorted(w for w, _ in sorted(counts.items(), key=lambda kv: (-kv[1], kv[0]))[:n]))
    # Sorting plain counts is cheaper than sorting (count, word) pairs: everything above the n-th count
    # is in, and the alphabetically first of the words at exactly that count fill the rest.
    cut = sorted(counts.values(), reverse=True)[n - 1]
    above = [w for w, c in counts.items() if c > cut]
    tied = sorted([w for w, c in counts.items() if c == cut])[: n - len(above)]
    return tuple(sorted(above + tied))


def keywords(tokens: Iterable[str], n: int = KEYWORDS) -> tuple[str, ...]:
    counts = Counter(tokens)
    return _top({w: c for w, c in counts.items() if len(w) > 3}, n)


def names(text: str, n: int = NAMES) -> tuple[str, ...]:
    """Capitalised words inside running prose: people, places, organisations.

    Only sentences of six words or more count, and not those where most words are capitalised
    (headings and Title Case lists name products and sections, not the actors of a story).
    """
    candidates: list[str] = []
    for sentence in _SENTENCE.split(text):
        # Only capitalised words after a sentence's first one count; with no capital letter past its first
        # character a sentence has none, which is far cheaper to see than to tokenise it.
        if sentence[1:].islower():
            continue
        tokens = _NAME_WORD.findall(sentence)
        if len(tokens) < 6:
            continue
        capitalised = list(map(str.isupper, map(_FIRST, tokens)))
        if sum(capitalised) * 2 > len(tokens):
            continue
        candidates.extend(compress(tokens[1:], capitalised[1:]))
    # Fold each distinct word once: names repeat through an article.
    counts: Counter[str] = Counter()
    for tok, count in Counter(candidates).items():
        if not tok.isupper() and len(tok) > 2:
            folded = _HYPHEN.sub("", fold(tok)).replace("’s", "").replace("'s", "")
            if folded not in STOPWORDS:
                counts[folded] += count
    return _top(counts, n)


def title_terms(title: str | None) -> tuple[str, ...]:
    """Content words of a title, plural s dropped ("mines" = "mine")."""
    if not title:
        return ()
    return tuple(sorted({w[:-1] if len(w) > 3 and w.endswith("s") else w for w in content_words(title)}))


@dataclass
class Features:
    """One article as the story rules see it."""

    id: str
    published: str | None  # ISO date or datetime, as indexed
    title: tuple[str, ...]
    keywords: tuple[str, ...]
    names: tuple[str, ...]
    shingles: np.ndarray = field(repr=False)  # sorted unique uint32 hashes
    trusted_date: bool = True  # False when only htmldate's page-text heuristics found the date (see trusted)

    @property
    def event_day(self) -> str | None:
        """The day, when a rule we trust gave it: what may confirm that two write-ups tell one event."""
        return self.day if self.trusted_date else None

    @property
    def day(self) -> str | None:
        return self.published[:10] if self.published else None


def trusted(article: dict) -> bool:
    """Whether the publication date came from a rule other than htmldate's page-text heuristics.

    Any known date still separates stories (the window), but only a trusted one may confirm that two
    independent write-ups tell one event: a date guessed from a guide's text ("2026 Guide", a copyright
    line) would confirm the wrong thing."""
    rule = (article.get("provenance") or {}).get("published_at") or ""
    return not rule.startswith("htmldate")


def features(article: dict, shingle_words: int) -> Features:
    """Features of an Article record (the dict that is indexed)."""
    text = article.get("text") or ""
    tokens = content_words(text)
    return Features(
        id=article["id"],
        published=article.get("published_at"),
        title=title_terms(article.get("title")),
        keywords=keywords(tokens),
        names=names(text),
        shingles=shingle_hashes(tokens, shingle_words),
        trusted_date=trusted(article),
    )
