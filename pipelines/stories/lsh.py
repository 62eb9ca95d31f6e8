"""MinHash LSH band keys: which stored articles are worth comparing with a new one.

Two signatures per article (datasketch's MinHash, "affine32" scheme, fixed seed, so keys are stable across
runs and machines): one over the shingles, banded for the near-duplicate threshold, and one over the keyword
set, banded for the lower keyword threshold of the same-event route. datasketch picks bands x rows for each
threshold (weighted towards recall: the rules, not the bands, decide).

The signature is datasketch's arithmetic written out with numpy (tests/unit/test_lsh.py compares the two),
and the shapes of the default thresholds are known: importing datasketch pulls in scipy and redis, about
0.45 s of every run, for values that never change. It is still asked for any other threshold.
The keys are stored as keywords in the sidecar index, so a lookup is one terms query, however large
the corpus: a new article is compared only with the articles that share a band.
"""

from __future__ import annotations

import hashlib
import zlib
from functools import lru_cache

import numpy as np

from pipelines.stories.features import Features
from pipelines.stories.rules import MIN_SHINGLES, StoryRules

NUM_PERM = 128
SEED = 20241119
# False-positive vs false-negative weights for datasketch's choice of bands x rows: a missed candidate is a
# missed join, while a needless candidate costs one comparison, so recall is weighted heavily.
WEIGHTS = (0.05, 0.95)
# datasketch's (bands, rows) for the default thresholds (config/newsindex.toml), checked by the tests.
KNOWN_SHAPES = {0.5: (26, 3), 0.15: (28, 1)}
_FMIX32 = (np.uint32(16), np.uint32(0x85EBCA6B), np.uint32(13), np.uint32(0xC2B2AE35), np.uint32(16))


@lru_cache(maxsize=1)
def _permutations() -> tuple[np.ndarray, np.ndarray]:
    """datasketch's affine32 permutations: odd multipliers a and offsets b, drawn from RandomState(SEED)."""
    gen = np.random.RandomState(SEED)
    a = gen.randint(0, 1 << 31, NUM_PERM, dtype=np.uint32) * np.uint32(2) + np.uint32(1)
    b = gen.randint(0, 1 << 32, NUM_PERM, dtype=np.uint32)
    return a, b


@lru_cache(maxsize=8)
def band_shape(threshold: float) -> tuple[int, int]:
    """(bands, rows) datasketch chooses for a Jaccard threshold."""
    threshold = min(max(threshold, 0.01), 0.99)
    if threshold in KNOWN_SHAPES:
        return KNOWN_SHAPES[threshold]
    from datasketch import MinHashLSH

    lsh = MinHashLSH(threshold=threshold, num_perm=NUM_PERM, weights=WEIGHTS)
    return lsh.b, lsh.r


def signature(hashes: np.ndarray) -> np.ndarray:
    """MinHash values of 32-bit hashes: MurmurHash3's finaliser, then min over a*h+b (mod 2^32) per permutation."""
    if len(hashes) == 0:
        return np.full(NUM_PERM, np.uint32(0xFFFFFFFF), dtype=np.uint32)
    s1, m1, s2, m2, s3 = _FMIX32
    hv = np.asarray(hashes, dtype=np.uint32).reshape(-1, 1)
    hv = hv ^ (hv >> s1)
    hv = hv * m1
    hv = hv ^ (hv >> s2)
    hv = hv * m2
    hv = hv ^ (hv >> s3)
    a, b = _permutations()
    with np.errstate(over="ignore"):
        return (hv * a + b).min(axis=0)


def _bands(sig: np.ndarray, threshold: float, prefix: str) -> list[str]:
    b, r = band_shape(threshold)
    return [f"{prefix}{i}:{hashlib.blake2b(sig[i * r : (i + 1) * r].tobytes(), digest_size=6).hexdigest()}"
            for i in range(b)]


def band_keys(f: Features, rules: StoryRules) -> list[str]:
    """LSH keys of an article; none for texts too short to ever join a story."""
    if len(f.shingles) < MIN_SHINGLES:
        return []
    words = np.array(sorted({zlib.crc32(k.encode("utf-8")) for k in f.keywords}), dtype=np.uint32)
    return (_bands(signature(f.shingles), rules.near_duplicate, "s")
            + _bands(signature(words), rules.min_keywords, "k"))
