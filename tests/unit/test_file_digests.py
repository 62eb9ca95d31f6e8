"""Raw hashes remembered by file stat: a rerun does not read unchanged files, and any change is still seen."""

from __future__ import annotations

import json
import os
import time
from pathlib import Path

import pytest

import pipelines.batch as batch
from pipelines.batch import DocResult, Options, process_batch
from pipelines.models import Outcome
from pipelines.sources.file_digests import FileDigests, open_digests
from pipelines.sources.files import discover

OPTS = Options("test", "run", 1_000_000, 2000, 40)
TEXT = "Harbour Ferry Returns\n\n" + "The ferry across the harbour runs again from Monday, the council said. " * 8


def write_old(path: Path, text: str, age: float = 60.0) -> None:
    """A file last modified `age` seconds ago (a file written just now is never remembered)."""
    path.write_text(text, encoding="utf-8")
    then = time.time() - age
    os.utime(path, (then, then))


def known_of(results: list[DocResult]) -> dict[str, str]:
    return {r.locator: r.raw_hash for r in results if r.raw_hash}


@pytest.fixture
def reads(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """The files the batch opens (the real reader, counted)."""
    seen: list[str] = []
    real = batch.read_documents

    def counted(ref, source, max_bytes):  # type: ignore[no-untyped-def]
        seen.append(Path(ref.path).name)
        return real(ref, source, max_bytes)

    monkeypatch.setattr(batch, "read_documents", counted)
    return seen


def test_a_rerun_takes_hashes_from_the_memo_without_reading(tmp_path: Path, reads: list[str]) -> None:
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    for name in ("a.txt", "b.txt"):
        write_old(corpus / name, TEXT.replace("Monday", name))
    memo = FileDigests(tmp_path / "digests.sqlite")
    first = process_batch(list(discover([corpus])), OPTS, {}, None, memo)
    assert all(r.outcome is None for r in first) and sorted(reads) == ["a.txt", "b.txt"]
    reads.clear()
    again = process_batch(list(discover([corpus])), OPTS, known_of(first), None, memo)
    assert [r.outcome for r in again] == [Outcome.UNCHANGED] * 2
    assert known_of(again) == known_of(first)
    assert reads == []  # not opened at all
    # A new connection (the next run) finds the same.
    fresh = process_batch(list(discover([corpus])), OPTS, known_of(first), None,
                          FileDigests(tmp_path / "digests.sqlite"))
    assert [r.outcome for r in fresh] == [Outcome.UNCHANGED] * 2 and reads == []


def test_changed_bytes_or_given_values_are_read_and_extracted_again(tmp_path: Path, reads: list[str]) -> None:
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    write_old(corpus / "a.txt", TEXT)
    write_old(corpus / "b.txt", TEXT.replace("Monday", "Friday"))
    memo = FileDigests(tmp_path / "digests.sqlite")
    known = known_of(process_batch(list(discover([corpus])), OPTS, {}, None, memo))
    reads.clear()
    write_old(corpus / "a.txt", TEXT.replace("Monday", "Sunday"), age=30)  # same size, another mtime
    (corpus / "b.txt.meta.json").write_text(json.dumps({"url": "https://news.example/b"}))  # a sidecar added
    results = {Path(r.path).name: r for r in process_batch(list(discover([corpus])), OPTS, known, None, memo)}
    assert results["a.txt"].outcome is None and "Sunday" in results["a.txt"].article["text"]
    assert results["b.txt"].outcome is None and results["b.txt"].article["url"] == "https://news.example/b"
    assert sorted(reads) == ["a.txt", "a.txt", "b.txt", "b.txt"]  # hashed in the flow, then extracted


def test_a_file_written_just_now_is_not_remembered(tmp_path: Path, reads: list[str]) -> None:
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    (corpus / "a.txt").write_text(TEXT, encoding="utf-8")  # mtime now: a second write may keep size and mtime
    memo = FileDigests(tmp_path / "digests.sqlite")
    known = known_of(process_batch(list(discover([corpus])), OPTS, {}, None, memo))
    reads.clear()
    assert [r.outcome for r in process_batch(list(discover([corpus])), OPTS, known, None, memo)] == [
        Outcome.UNCHANGED]
    assert reads == ["a.txt"]  # read and hashed again


def test_without_a_memo_every_file_is_hashed(tmp_path: Path, reads: list[str]) -> None:
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    write_old(corpus / "a.txt", TEXT)
    known = known_of(process_batch(list(discover([corpus])), OPTS, {}, None))
    reads.clear()
    assert [r.outcome for r in process_batch(list(discover([corpus])), OPTS, known, None)] == [Outcome.UNCHANGED]
    assert reads == ["a.txt"]


def test_a_file_that_is_not_a_database_is_replaced(tmp_path: Path, reads: list[str]) -> None:
    (tmp_path / "file-digests.sqlite").write_bytes(b"this is not a database, a crash left it half written" * 40)
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    write_old(corpus / "a.txt", TEXT)
    memo = open_digests(str(tmp_path))
    assert memo is not None
    known = known_of(process_batch(list(discover([corpus])), OPTS, {}, None, memo))
    reads.clear()
    assert [r.outcome for r in process_batch(list(discover([corpus])), OPTS, known, None, memo)] == [
        Outcome.UNCHANGED]
    assert reads == []


@pytest.mark.skipif(os.geteuid() == 0, reason="root writes into read-only folders")
def test_a_folder_that_cannot_hold_the_cache_costs_speed_not_the_run(tmp_path: Path) -> None:
    locked = tmp_path / "locked"
    locked.mkdir()
    locked.chmod(0o500)
    try:
        assert open_digests(str(locked)) is None
    finally:
        locked.chmod(0o700)


def test_a_cache_path_that_is_a_folder_costs_speed_not_the_run(tmp_path: Path) -> None:
    (tmp_path / "file-digests.sqlite").mkdir()  # what a careless copy or mount can leave
    assert open_digests(str(tmp_path)) is None


def test_the_same_file_under_two_roots_is_remembered_for_each(tmp_path: Path, reads: list[str]) -> None:
    corpus = tmp_path / "corpus" / "sub"
    corpus.mkdir(parents=True)
    write_old(corpus / "a.txt", TEXT)
    memo = FileDigests(tmp_path / "digests.sqlite")
    inner = known_of(process_batch(list(discover([corpus])), OPTS, {}, None, memo))  # locator sub/a.txt
    outer = known_of(process_batch(list(discover([tmp_path / "corpus"])), OPTS, {}, None, memo))  # corpus/sub/a.txt
    assert list(inner) != list(outer)
    reads.clear()
    for root, known in ((corpus, inner), (tmp_path / "corpus", outer)):
        again = process_batch(list(discover([root])), OPTS, known, None, memo)
        assert [(r.locator, r.outcome) for r in again] == [(next(iter(known)), Outcome.UNCHANGED)]
    assert reads == []
