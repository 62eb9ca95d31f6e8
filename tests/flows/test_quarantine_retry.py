"""Quarantine as a dead-letter store: a file is quarantined, fixed, retried, and leaves the quarantine."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys

import pytest

from flows.ingest import ingest_files
from flows.retry import retry_quarantine
from pipelines import quarantine
from pipelines.settings import ROOT, get_settings
from tests.conftest import FIXTURES

pytestmark = [pytest.mark.integration, pytest.mark.usefixtures("harness")]


def _cli_list(*args: str) -> subprocess.CompletedProcess:
    """`newsindex quarantine list` as a user runs it (it reads the store only; no Prefect, no cluster)."""
    env = {**os.environ, "NEWSINDEX_CACHE_DIR": str(get_settings().cache_dir), "COLUMNS": "200"}
    return subprocess.run([sys.executable, "-m", "flows.cli", "quarantine", "list", *args], cwd=ROOT, env=env,
                          capture_output=True, text=True, timeout=120, stdin=subprocess.DEVNULL)


def test_fixed_file_leaves_the_quarantine_on_retry(client, index_name, tmp_cache, tmp_path) -> None:
    corpus = tmp_path / "corpus"
    shutil.copytree(FIXTURES / "articles", corpus)
    (corpus / "sub").mkdir()
    (corpus / "sub" / "broken.txt").write_bytes(b"")
    (corpus / "still-bad.html").write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" * 50)
    (corpus / "gone.txt").write_bytes(b"")

    first = ingest_files([str(corpus)], source="retrytest")
    assert first["quarantined"] == 3
    listed = _cli_list("--json")
    assert listed.returncode == 0, listed.stderr
    entries = {e["locator"]: e for e in json.loads(listed.stdout)}
    assert set(entries) == {"corpus/sub/broken.txt", "corpus/still-bad.html", "corpus/gone.txt"}
    assert "empty" in entries["corpus/sub/broken.txt"]["reason"]
    assert entries["corpus/sub/broken.txt"]["source"] == "retrytest"
    assert entries["corpus/sub/broken.txt"]["run_id"] == first["run_id"]
    table = _cli_list("--source", "retrytest")
    assert table.returncode == 0 and "3 quarantined documents" in table.stdout and "still-bad.html" in table.stdout

    # The operator fixes one file; another stays broken; a third was deleted meanwhile.
    (corpus / "sub" / "broken.txt").write_text("Repaired Headline Here\n\n" + "A sentence about the fix. " * 12)
    (corpus / "gone.txt").unlink()
    result = retry_quarantine("retrytest")

    assert result["files"] == 2 and result["left_quarantine"] == 1 and result["still_quarantined"] == 2
    assert [s["locator"] for s in result["skipped"]] == ["corpus/gone.txt"]
    assert "no longer exists" in result["skipped"][0]["why"]
    [run] = result["runs"]
    assert run["indexed"] == 1 and run["quarantined"] == 1
    left = {e["locator"] for e in quarantine.current(get_settings().quarantine_dir)}
    assert left == {"corpus/still-bad.html", "corpus/gone.txt"}
    # The retried file kept its original locator, so it is indexed under the id a normal run gives it.
    hits = client.search(index=index_name, query={"term": {"locator": "corpus/sub/broken.txt"}})["hits"]
    assert hits["total"]["value"] == 1 and hits["hits"][0]["_source"]["title"] == "Repaired Headline Here"

    rerun = ingest_files([str(corpus)], source="retrytest")  # an ordinary run agrees: nothing new to write
    assert rerun["indexed"] == 0 and rerun["unchanged"] == first["indexed"] + first["duplicate"] + 1

    assert retry_quarantine("other-source")["files"] == 0  # --source limits the retry
