"""The quarantine store: latest entry per document wins, and a run reads the file once, not once per batch."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from pipelines import quarantine


def test_resolved_documents_leave_and_others_stay(tmp_path: Path) -> None:
    quarantine.record(tmp_path, [{"source": "s", "locator": "a", "reason": "empty"},
                                 {"source": "s", "locator": "b", "reason": "binary"}])
    quarantine.resolve(tmp_path, [("s", "a"), ("s", "never-quarantined")])
    assert [e["locator"] for e in quarantine.current(tmp_path)] == ["b"]
    assert quarantine.open_keys(tmp_path) == {("s", "b")}
    lines = (tmp_path / quarantine.FILE_NAME).read_text().splitlines()
    assert len(lines) == 3  # nothing written for a document that was never quarantined


def test_batches_do_not_reread_an_unchanged_store(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    quarantine.record(tmp_path, [{"source": "s", "locator": f"f{i}", "reason": "empty"} for i in range(50)])
    reads = []
    real = quarantine.current
    monkeypatch.setattr(quarantine, "current", lambda folder: reads.append(folder) or real(folder))
    for batch in range(20):
        quarantine.resolve(tmp_path, [("s", f"new{batch}")])
    quarantine.resolve(tmp_path, [("s", "f1")])
    quarantine.record(tmp_path, [{"source": "s", "locator": "g", "reason": "binary"}])
    assert len(reads) <= 1
    assert quarantine.open_keys(tmp_path) == {("s", f"f{i}") for i in range(50) if i != 1} | {("s", "g")}


def test_a_write_by_another_process_is_seen(tmp_path: Path) -> None:
    quarantine.record(tmp_path, [{"source": "s", "locator": "a", "reason": "empty"}])
    assert quarantine.open_keys(tmp_path) == {("s", "a")}
    with (tmp_path / quarantine.FILE_NAME).open("a") as fh:  # another run, same store
        fh.write(json.dumps({"source": "s", "locator": "a", "resolved": True}) + "\n")
        fh.write(json.dumps({"source": "s", "locator": "z", "reason": "too large"}) + "\n")
    assert quarantine.open_keys(tmp_path) == {("s", "z")}
