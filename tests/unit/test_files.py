"""Discovery and reading of input files: formats, compression, sidecars, manifests and bad input."""

from __future__ import annotations

import gzip
import json
import os
from pathlib import Path

import pytest

from pipelines.models import QuarantineError
from pipelines.sources.files import InputError, discover, read_bytes, read_documents

MAX = 1_000_000


def write(path: Path, data: bytes | str) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(data.encode() if isinstance(data, str) else data)
    return path


def test_discover_is_recursive_sorted_and_skips_hidden_and_sidecars(tmp_path: Path) -> None:
    write(tmp_path / "b.txt", "b")
    write(tmp_path / "a" / "c.html", "<p>c</p>")
    write(tmp_path / ".hidden.txt", "x")
    write(tmp_path / "b.txt.meta.json", "{}")
    write(tmp_path / "manifest.csv", "file,url\n")
    refs = list(discover([tmp_path]))
    assert [r.locator for r in refs] == [f"{tmp_path.name}/b.txt", f"{tmp_path.name}/a/c.html"]


def test_locator_is_the_same_for_a_file_and_its_folder(tmp_path: Path) -> None:
    f = write(tmp_path / "seeds" / "x.txt", "x")
    assert next(discover([f])).locator == next(discover([tmp_path / "seeds"])).locator == "seeds/x.txt"


def test_nonexistent_path_is_an_input_error(tmp_path: Path) -> None:
    with pytest.raises(InputError, match="no such file"):
        list(discover([tmp_path / "missing"]))


def test_symlink_loop_does_not_trap_discovery(tmp_path: Path) -> None:
    write(tmp_path / "d" / "a.txt", "a")
    os.symlink(tmp_path / "d", tmp_path / "d" / "loop")
    assert [r.locator for r in discover([tmp_path / "d"])] == ["d/a.txt"]


def test_symlinked_files_are_located_by_their_target(tmp_path: Path) -> None:
    write(tmp_path / "d" / "real.txt", "a")
    write(tmp_path / "outside.txt", "b")
    os.symlink(tmp_path / "d" / "real.txt", tmp_path / "d" / "alias.txt")
    os.symlink(tmp_path / "outside.txt", tmp_path / "d" / "link.txt")
    assert [r.locator for r in discover([tmp_path / "d"])] == ["d/real.txt", "d/link.txt", "d/real.txt"]


def test_sidecar_of_a_gzipped_file_may_drop_the_gz(tmp_path: Path) -> None:
    write(tmp_path / "a.html.gz", gzip.compress(b"<p>a</p>"))
    write(tmp_path / "a.html.meta.json", json.dumps({"url": "https://x.example/a"}))
    write(tmp_path / "b.html.gz", gzip.compress(b"<p>b</p>"))
    write(tmp_path / "b.html.gz.meta.json", json.dumps({"url": "https://x.example/b"}))
    assert [r.meta for r in discover([tmp_path])] == [{"url": "https://x.example/a"}, {"url": "https://x.example/b"}]


def test_sidecar_and_manifest_values_are_attached(tmp_path: Path) -> None:
    write(tmp_path / "a.txt", "a")
    write(tmp_path / "a.txt.meta.json", json.dumps({"url": "https://x.example/1", "secret": "ignored"}))
    write(tmp_path / "b.txt", "b")
    write(tmp_path / "manifest.csv", "file,outlet,authors\nb.txt,Daily Example,Ann Lee; Bo Chen\n")
    refs = {r.locator.split("/")[-1]: r for r in discover([tmp_path])}
    assert refs["a.txt"].meta == {"url": "https://x.example/1"}
    assert refs["b.txt"].meta == {"outlet": "Daily Example", "authors": ["Ann Lee", "Bo Chen"]}


def test_gzip_is_read_transparently(tmp_path: Path) -> None:
    f = write(tmp_path / "a.txt.gz", gzip.compress(b"hello world"))
    assert read_bytes(str(f), MAX) == b"hello world"


@pytest.mark.parametrize(
    ("data", "reason"),
    [
        (b"", "empty file"),
        (gzip.compress(b"x" * 5000)[:-20], "truncated gzip"),
        (b"\x1f\x8b\x08\x00garbage-garbage", "corrupt gzip"),
        (gzip.compress(b"\0" * (MAX * 4)), "gzip bomb"),
    ],
)
def test_bad_files_are_quarantined_with_a_reason(tmp_path: Path, data: bytes, reason: str) -> None:
    f = write(tmp_path / "bad.txt.gz", data)
    with pytest.raises(QuarantineError, match=reason):
        read_bytes(str(f), MAX)


def test_too_large_file_is_refused_before_reading(tmp_path: Path) -> None:
    f = write(tmp_path / "big.html", b"a" * 2000)
    with pytest.raises(QuarantineError, match="too large"):
        read_bytes(str(f), 1000)


@pytest.mark.skipif(os.geteuid() == 0, reason="root reads files whatever their mode")
def test_unreadable_file(tmp_path: Path) -> None:
    f = write(tmp_path / "locked.txt", "x")
    f.chmod(0)
    with pytest.raises(QuarantineError, match="unreadable"):
        read_bytes(str(f), MAX)


def test_jsonl_broken_line_is_isolated(tmp_path: Path) -> None:
    f = write(tmp_path / "x.jsonl", '{"title": "a", "text": "one"}\n{broken\n\n{"title": "b", "text": "two"}\n')
    ref = next(discover([f]))
    docs = list(read_documents(ref, "files", MAX))
    assert [d.locator.split("#")[1] for d in docs] == ["1", "2", "4"]
    assert docs[0].record == {"title": "a", "text": "one"}
    assert "invalid JSON on line 2" in docs[1].meta["error"]


def test_unsupported_type_is_quarantined(tmp_path: Path) -> None:
    f = write(tmp_path / "report.pdf", b"%PDF-1.4")
    with pytest.raises(QuarantineError, match="unsupported file type"):
        list(read_documents(next(discover([f])), "files", MAX))
