"""The Prefect ingest flow end to end, in a Prefect test harness, against the real Elasticsearch."""

from __future__ import annotations

import gzip

import pytest

from flows.ingest import ingest_files
from pipelines import quarantine
from pipelines.settings import get_settings
from tests.conftest import FIXTURES

pytestmark = [pytest.mark.integration, pytest.mark.usefixtures("harness")]


def test_flow_ingests_reruns_unchanged_and_quarantines_bad_input(client, index_name, tmp_cache, tmp_path) -> None:
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    for f in (FIXTURES / "articles").iterdir():
        (corpus / f.name).write_bytes(f.read_bytes())
    (corpus / "empty.txt").write_bytes(b"")
    (corpus / "binary.html").write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" * 50)
    (corpus / "broken.txt.gz").write_bytes(gzip.compress(b"some text " * 500)[:-30])

    first = ingest_files([str(corpus)], source="flowtest")
    assert first["quarantined"] == 3
    assert first["indexed"] == first["documents"] - 3
    reasons = {q["locator"].split("/")[-1]: q["reason"] for q in first["quarantine"]}
    assert "empty" in reasons["empty.txt"] and "binary" in reasons["binary.html"]
    assert "truncated gzip" in reasons["broken.txt.gz"]
    stored = quarantine.current(get_settings().quarantine_dir)
    assert {e["locator"].split("/")[-1] for e in stored} == set(reasons)
    count = client.count(index=index_name)["count"]
    assert count == first["indexed"]

    second = ingest_files([str(corpus)], source="flowtest")
    assert second["unchanged"] == first["indexed"] and second["indexed"] == 0
    assert client.count(index=index_name)["count"] == count

    # After a fix, the document leaves the quarantine on the next run.
    (corpus / "empty.txt").write_text("Repaired Headline Here\n\n" + "A sentence about the repaired file. " * 10)
    third = ingest_files([str(corpus)], source="flowtest")
    assert third["indexed"] == 1
    assert "empty.txt" not in {e["locator"].split("/")[-1] for e in quarantine.current(get_settings().quarantine_dir)}
