"""MinHash LSH band keys: which stored articles are worth comparing with a new one.

Two signatures per article (datasketch MinHash, fixed seed, so keys are stable across runs and machines):
one over the shingles, banded for the near-duplicate threshold, and one over the keyword set, banded for
the lower keyword threshold of the same-event route. datasketch picks bands x rows for each threshold
(weighted towards recall: the rules, not the bands, decide).
The keys are stored as keywords in the sidecar index, so a lookup is one terms query, however large
the corpus: a new article is compared only with the articles that share a band.
"""

from __future__ import annotations

import hashlib
import zlib
from functools import lru_cache

import numpy as np
from datasketch import MinHash, MinHashLSH

from pipelines.stories.features import Features
from pipelines.stories.rules import MIN_SHINGLES, StoryRules

NUM_PERM = 128
SEED = 20241119
# False-positive vs false-negative weights for datasketch's choice of bands x rows: a missed candidate is a
# missed join, while a needless candidate costs one comparison, so recall is weighted heavily.
WEIGHTS = (0.05, 0.95)


def _identity(value: int) -> int:
    return value


@lru_cache(maxsize=1)
def _permutations() -> tuple[np.ndarray, np.ndarray]:
    return MinHash(num_perm=NUM_PERM, seed=SEED, scheme="affine32").permutations


@lru_cache(maxsize=8)
def band_shape(threshold: float) -> tuple[int, int]:
    """(bands, rows) datasketch chooses for a Jaccard threshold."""
    lsh = MinHashLSH(threshold=min(max(threshold, 0.01), 0.99), num_perm=NUM_PERM, weights=WEIGHTS)
    return lsh.b, lsh.r


def signature(hashes: np.ndarray) -> np.ndarray:
    mh = MinHash(num_perm=NUM_PERM, seed=SEED, hashfunc=_identity, permutations=_permutations(), scheme="affine32")
    mh.update_batch([int(h) for h in hashes])
    return mh.hashvalues


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
