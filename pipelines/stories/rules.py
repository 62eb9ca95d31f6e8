"""When two articles tell the same story: the confirmation rules, with the thresholds from settings.

Two routes, both inside the publication-date window when both dates are known:

- near-duplicate: the shingle sets overlap by Jaccard >= `near_duplicate` (wire copies, light rewrites).
- same event: an independent write-up shares little wording, so it must agree on every signal at once:
  title terms (skipped when a title is unknown), keywords, names in running prose, and a share of the
  shorter text's shingles. Topic pages ("best drip coffee makers") agree on keywords and titles but rarely
  repeat each other's phrases and names together; reports of one event do.

A pair is compared the same way whichever came first, so clusters do not depend on ingest order.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

import numpy as np

from pipelines.settings import default
from pipelines.stories.features import Features

MIN_SHINGLES = 20  # texts shorter than this (about 20 content words) never join a story: too little to compare


@dataclass(frozen=True)
class StoryRules:
    """The thresholds (meanings in config/newsindex.toml); defaults are the settings' `story_*` values."""

    shingle_words: int = default("story_shingle_words")
    near_duplicate: float = default("story_near_duplicate")
    min_title: float = default("story_min_title")
    min_keywords: float = default("story_min_keywords")
    min_names: float = default("story_min_names")
    min_phrases: float = default("story_min_phrases")
    date_window_days: int = default("story_date_window_days")

    @classmethod
    def from_settings(cls, settings: object) -> StoryRules:
        return cls(**{name: getattr(settings, f"story_{name}") for name in cls.__dataclass_fields__})


def jaccard(a: tuple[str, ...] | frozenset[str], b: tuple[str, ...] | frozenset[str]) -> float:
    sa, sb = set(a), set(b)
    union = len(sa | sb)
    return len(sa & sb) / union if union else 0.0


def overlap(a: np.ndarray, b: np.ndarray) -> tuple[float, float]:
    """(Jaccard, containment in the smaller set) of two sorted unique hash arrays."""
    if not len(a) or not len(b):
        return 0.0, 0.0
    common = len(np.intersect1d(a, b, assume_unique=True))
    return common / (len(a) + len(b) - common), common / min(len(a), len(b))


def within_window(a: str | None, b: str | None, days: int) -> bool:
    """True unless both dates are known and further apart than the window."""
    if not a or not b:
        return True
    try:
        return abs((date.fromisoformat(a[:10]) - date.fromisoformat(b[:10])).days) <= days
    except ValueError:
        return True


def same_story(a: Features, b: Features, rules: StoryRules) -> str | None:
    """The route by which a and b are one story ("near-duplicate" or "same event"), or None."""
    if len(a.shingles) < MIN_SHINGLES or len(b.shingles) < MIN_SHINGLES:
        return None
    if not within_window(a.day, b.day, rules.date_window_days):
        return None
    jac, contained = overlap(a.shingles, b.shingles)
    if jac >= rules.near_duplicate:
        return "near-duplicate"
    if not (a.event_day or b.event_day):
        return None  # independent write-ups are one event only when at least one has a trusted date
    if a.title and b.title and jaccard(a.title, b.title) < rules.min_title:
        return None
    if jaccard(a.keywords, b.keywords) < rules.min_keywords or jaccard(a.names, b.names) < rules.min_names:
        return None
    return "same event" if contained >= rules.min_phrases else None
