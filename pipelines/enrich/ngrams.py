"""A drop-in langdetect Detector that gives the same answers several times cheaper.

langdetect spends most of its time feeding characters one by one through ``NGram.add_char`` and
multiplying 55 probabilities in a Python loop. This subclass keeps its profiles, seeding and trial
loop, but normalises characters through a cached table, reuses the n-grams of words it has seen,
and does the per-language products with numpy. Each step repeats the library's arithmetic and
random draws in the same order, so results are bit-identical (tests/unit/test_language_ngrams.py
checks this against langdetect itself).
"""

from __future__ import annotations

import json
import os
import re
import threading
import weakref
from collections.abc import Container, Iterator, Mapping
from functools import lru_cache
from operator import add

import numpy as np
from langdetect import detector_factory
from langdetect.detector import Detector
from langdetect.detector_factory import DetectorFactory
from langdetect.lang_detect_exception import ErrorCode, LangDetectException
from langdetect.language import Language
from langdetect.utils.ngram import NGram

# Filled lazily, one entry per distinct character seen: ord(ch) -> NGram.normalize(ch), and for each
# normalised character ord(ch) -> "U" if upper case else "l" (to find langdetect's capitalised words).
_NORM: dict[int, str] = {}
_CASE: dict[int, str] = {}
_SPACES = re.compile(" {2,}")
_WORDS = re.compile("[^ ]+ ?")  # a word and the space that ends it, if any
_LATIN = re.compile("[A-z]+")  # langdetect's own 'A' <= ch <= 'z' test, brackets and all
_NON_LATIN = re.compile("[\u0300-\U0010ffff]+")
# Cache bounds per factory. Only words up to _LONG_WORD characters are cached: CJK text has no spaces,
# so a "word" there can be a whole sample, and its tuple would be large and never reused.
_MAX_WORDS = 1 << 14  # about 10 MB of n-gram tuples
_LONG_WORD = 24
_MAX_ROWS = 1 << 14  # about 9 MB of probability rows
_PROFILES = len(os.listdir(detector_factory.PROFILES_DIRECTORY))  # 55 languages


def normalise(text: str) -> str:
    """``NGram.normalize`` applied to every character, via a lazily filled translation table."""
    for code in {ord(ch) for ch in set(text)}.difference(_NORM):
        norm = NGram.normalize(chr(code))
        _CASE[ord(norm)] = "U" if norm.isupper() else "l"
        _NORM[code] = norm
    return text.translate(_NORM)


def word_ngrams(word: str, known: Container[str]) -> tuple[str, ...]:
    """What ``Detector._extract_ngrams`` yields for one normalised word (plus its closing space).

    NGram's window restarts after every space, so a word's n-grams do not depend on its neighbours.
    At each character of " " + word it yields the 1-, 2- and 3-gram ending there (no lone space, no
    3-gram before the third character), none while two upper-case letters are in a row, and only
    those with a profile.
    """
    bigrams = list(map(add, " " + word, word))
    slots: list[str | None] = [None] * (3 * len(word))
    slots[0::3] = word
    slots[1::3] = bigrams
    slots[5::3] = map(add, bigrams, word[1:])
    if word[-1] == " ":
        slots[-3] = None
    case = word.translate(_CASE)
    j = case.find("UU")
    while j != -1:
        slots[3 * j + 3 : 3 * j + 6] = (None, None, None)
        j = case.find("UU", j + 1)
    return tuple(filter(known.__contains__, slots))


class _Tables:
    """Per-factory caches: n-grams per word, and each n-gram's profile row as a numpy array."""

    def __init__(self, known: Mapping[str, list[float]]) -> None:
        self.known = known
        # Membership is asked for every n-gram of every new word: a set answers it in C.
        self.vocabulary: Container[str] = known.words if isinstance(known, LazyProfiles) else known
        self.word_ngrams = lru_cache(maxsize=_MAX_WORDS)(lambda word: word_ngrams(word, self.vocabulary))
        self.rows: dict[str, np.ndarray] = {}

    def extract(self, text: str) -> list[str]:
        """The list ``Detector._extract_ngrams`` returns for ``text``: same n-grams, same order."""
        result: list[str] = []
        for word in _WORDS.findall(normalise(text)):
            result += self.word_ngrams(word) if len(word) <= _LONG_WORD else word_ngrams(word, self.vocabulary)
        return result

    def row(self, ngram: str) -> np.ndarray:
        if len(self.rows) >= _MAX_ROWS:
            self.rows.clear()
        row = self.rows[ngram] = np.array(self.known[ngram], dtype=np.float64)
        return row


_TABLES: weakref.WeakKeyDictionary[DetectorFactory, _Tables] = weakref.WeakKeyDictionary()


def _tables(factory: DetectorFactory) -> _Tables:
    tables = _TABLES.get(factory)
    if tables is None or tables.known is not factory.word_lang_prob_map:
        tables = _TABLES[factory] = _Tables(factory.word_lang_prob_map)
    return tables


class FastDetector(Detector):
    """langdetect's Detector with the hot paths rewritten; same inputs, same outputs."""

    def __init__(self, factory: DetectorFactory) -> None:
        super().__init__(factory)
        self._tables = _tables(factory)

    def append(self, text: str) -> None:
        # Each guard only skips a substitution that cannot match (URL_RE needs "://", MAIL_RE "@",
        # the Vietnamese pattern a combining mark).
        if "://" in text:
            text = self.URL_RE.sub(" ", text)
        if "@" in text:
            text = self.MAIL_RE.sub(" ", text)
        if not text.isascii():
            text = NGram.normalize_vi(text)
        self.text += _SPACES.sub(" ", text[: self.max_text_length])

    def cleaning_text(self) -> None:
        # langdetect compares unicode_block()'s int with a block *name*, so every char >= U+0300 counts.
        non_latin = sum(map(len, _NON_LATIN.findall(self.text)))
        if non_latin and sum(map(len, _LATIN.findall(self.text))) * 2 < non_latin:
            self.text = _LATIN.sub("", self.text)

    def _extract_ngrams(self) -> list[str]:
        return self._tables.extract(self.text)

    def _detect_block(self) -> None:
        """``Detector._detect_block`` with numpy products; draws and float operations in the same order."""
        self.cleaning_text()
        ngrams = self._extract_ngrams()
        if not ngrams:
            raise LangDetectException(ErrorCode.CantDetectError, "No features in text.")
        rows, new_row = self._tables.rows, self._tables.row
        langprob = np.zeros(len(self.langlist))
        factor = np.empty(len(self.langlist))
        self.random.seed(self.seed)
        choice = self.random.choice
        for _ in range(self.n_trial):
            prob = np.array(self._init_probability(), dtype=np.float64)
            weight = np.float64((self.alpha + self.random.gauss(0.0, 1.0) * self.ALPHA_WIDTH) / self.BASE_FREQ)
            i = 0
            while True:
                ngram = choice(ngrams)
                row = rows.get(ngram)
                np.add(new_row(ngram) if row is None else row, weight, out=factor)
                np.multiply(prob, factor, out=prob)
                if i % 5 == 0:
                    values = prob.tolist()
                    total = sum(values)  # the builtin adds in langdetect's order; numpy's sum does not
                    prob /= total
                    # x -> x / total is monotonic, so this is exactly the largest normalised value
                    if max(values) / total > self.CONV_THRESHOLD or i >= self.ITERATION_LIMIT:
                        break
                i += 1
            langprob += prob / self.n_trial
        self.langprob = langprob.tolist()


class LazyProfiles(Mapping[str, list[float]]):
    """langdetect's n-gram -> probability-per-language map, each row built the first time it is read.

    ``DetectorFactory.load_profile`` builds all 87,598 rows of 55 floats up front: 0.3-0.6 s, most of the
    language step of a small run, when a document reads a few hundred rows. Rows here come from the same
    profiles by the same expression, so they equal the library's (tests/unit/test_language_ngrams.py)."""

    def __init__(self, profiles: list[tuple[dict[str, int], list[int]]], size: int) -> None:
        self._profiles = profiles  # (freq, n_words) per language, in langlist order
        self._size = size  # langdetect sizes rows by the files in the folder, not by the profiles loaded
        self.words = frozenset().union(*(freq for freq, _ in profiles))  # every n-gram with a row
        self._rows: dict[str, list[float]] = {}

    def __contains__(self, word: object) -> bool:
        return word in self.words

    def __getitem__(self, word: str) -> list[float]:
        row = self._rows.get(word)
        if row is None:
            if word not in self.words:
                raise KeyError(word)
            row = [0.0] * self._size
            length = len(word)
            if 1 <= length <= 3:  # add_profile's rule: longer n-grams keep a row of zeros
                for index, (freq, n_words) in enumerate(self._profiles):
                    count = freq.get(word)
                    if count is not None:
                        row[index] = 1.0 * count / n_words[length - 1]
            self._rows[word] = row
        return row

    def __iter__(self) -> Iterator[str]:
        return iter(self.words)

    def __len__(self) -> int:
        return len(self.words)


def _read_profile(path: str) -> dict:
    with open(path, encoding="utf-8") as f:
        return json.load(f)


def load_profiles(factory: DetectorFactory, folder: str) -> None:
    """``DetectorFactory.load_profile`` with rows built on demand: same languages, same order, same rows."""
    names = os.listdir(folder)
    profiles = []
    for name in names:
        path = os.path.join(folder, name)
        if name.startswith(".") or not os.path.isfile(path):
            continue
        data = _read_profile(path)
        factory.langlist.append(data["name"])
        profiles.append((data["freq"], data["n_words"]))
    factory.word_lang_prob_map = LazyProfiles(profiles, len(names))


_LOADING = threading.Lock()


def shared_factory() -> DetectorFactory:
    """langdetect's shared factory, whole before any thread sees it, its rows built on demand.

    ``init_factory`` publishes the global first and loads the 55 profiles after, so a thread detecting
    meanwhile (Prefect runs small batches in threads) got a half-loaded factory: probability rows of 9 or
    13 languages, cached, then a crash on every later text."""
    factory = detector_factory._factory
    if factory is None or len(factory.langlist) < _PROFILES:
        with _LOADING:
            factory = detector_factory._factory
            if factory is None or len(factory.langlist) < _PROFILES:
                factory = DetectorFactory()
                load_profiles(factory, detector_factory.PROFILES_DIRECTORY)
                detector_factory._factory = factory
    return factory


def detect_langs(text: str) -> list[Language]:
    """``langdetect.detect_langs`` on the shared factory, with the fast detector."""
    detector = FastDetector(shared_factory())
    detector.append(text)
    return detector.get_probabilities()
