"""Language of the clean text: langdetect on a capped sample, seeded, reconciled with page hints.

langdetect is random unless seeded, and costs about 5 ms per 2,000 characters here, so it reads a
sample from the middle of the text, and runs through ``ngrams.FastDetector``: the same profiles, seed
and answers at about a third of the cost. Too-short text gives None: a guess on twenty words is noise.
"""

from __future__ import annotations

from dataclasses import dataclass

from langdetect import DetectorFactory, LangDetectException

from pipelines.enrich.ngrams import detect_langs

DetectorFactory.seed = 0

# Below this detector probability, a page's own declaration (html lang, meta, sidecar) is preferred.
HINT_WINS_BELOW = 0.90


@dataclass(frozen=True)
class LanguageGuess:
    language: str | None
    confidence: float | None
    rule: str
    detected: str | None = None  # the detector's own answer, kept when a hint overrides it


def language_code(code: str | None) -> str | None:
    """The primary language subtag of a declared or detected code ("pt-BR", "en_US" -> "pt", "en"), or None."""
    if not code:
        return None
    code = code.strip().lower().replace("_", "-").split("-")[0]
    return code if 2 <= len(code) <= 3 and code.isalpha() else None


def _sample(text: str, cap: int) -> str:
    if len(text) <= cap:
        return text
    start = (len(text) - cap) // 2  # the middle avoids bylines, datelines and trailing furniture
    return text[start : start + cap]


def detect_language(text: str, hint: str | None = None, *, cap: int = 2000, min_chars: int = 40) -> LanguageGuess:
    hint = language_code(hint)
    if len(text.strip()) < min_chars:
        if hint:
            return LanguageGuess(hint, None, "hint")
        return LanguageGuess(None, None, "too-short")
    DetectorFactory.seed = 0
    try:
        ranked = detect_langs(_sample(text, cap))
    except LangDetectException:
        return LanguageGuess(hint, None, "hint") if hint else LanguageGuess(None, None, "undetectable")
    best = ranked[0]
    code = language_code(best.lang.split("-")[0])
    prob = round(float(best.prob), 4)
    if hint and code != hint and prob < HINT_WINS_BELOW:
        return LanguageGuess(hint, prob, "hint-over-langdetect", code)
    if hint and code == hint:
        return LanguageGuess(code, prob, "langdetect+hint", code)
    if hint:  # a confident detector overrules a stale template declaration (an English theme on a German site)
        return LanguageGuess(code, prob, "langdetect-over-hint", code)
    return LanguageGuess(code, prob, "langdetect", code)
