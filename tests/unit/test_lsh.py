"""LSH signatures without importing datasketch: the same values and band shapes as datasketch gives."""

from __future__ import annotations

import subprocess
import sys

import numpy as np
import pytest
from datasketch import MinHash, MinHashLSH

from pipelines.settings import get_settings
from pipelines.stories import lsh


def datasketch_signature(hashes: np.ndarray) -> np.ndarray:
    perms = MinHash(num_perm=lsh.NUM_PERM, seed=lsh.SEED, scheme="affine32").permutations
    mh = MinHash(num_perm=lsh.NUM_PERM, seed=lsh.SEED, hashfunc=lambda v: v, permutations=perms, scheme="affine32")
    mh.update_batch([int(h) for h in hashes])
    return mh.hashvalues


@pytest.mark.parametrize("size", [0, 1, 2, 7, 100, 5000])
def test_signature_equals_datasketch(size: int) -> None:
    rng = np.random.default_rng(size)
    for _ in range(10):
        hashes = np.unique(rng.integers(0, 2**32, size, dtype=np.uint64).astype(np.uint32))
        ours, theirs = lsh.signature(hashes), datasketch_signature(hashes)
        assert ours.dtype == theirs.dtype and np.array_equal(ours, theirs)


def test_extreme_hashes_equal_datasketch() -> None:
    hashes = np.array([0, 1, 2**31, 2**32 - 1], dtype=np.uint32)
    assert np.array_equal(lsh.signature(hashes), datasketch_signature(hashes))


@pytest.mark.parametrize("threshold", [*lsh.KNOWN_SHAPES, 0.3, 0.8])
def test_band_shapes_equal_datasketch(threshold: float) -> None:
    expected = MinHashLSH(threshold=threshold, num_perm=lsh.NUM_PERM, weights=lsh.WEIGHTS)
    assert lsh.band_shape(threshold) == (expected.b, expected.r)


def test_default_thresholds_are_known_shapes() -> None:
    settings = get_settings()
    assert {settings.story_near_duplicate, settings.story_min_keywords} <= set(lsh.KNOWN_SHAPES)


def test_story_keys_do_not_import_datasketch() -> None:
    code = ("import sys; from pipelines.stories import lsh; lsh.band_shape(0.5); lsh.band_shape(0.15);"
            "import numpy as np; lsh.signature(np.arange(10, dtype=np.uint32));"
            "print('datasketch' in sys.modules, 'scipy' in sys.modules)")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    assert out.split() == ["False", "False"]
