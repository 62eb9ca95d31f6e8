"""Scale-out: the same ingest flow with its batch tasks on a (local) Dask cluster via prefect-dask."""

from __future__ import annotations

import pytest

from flows.ingest import run_ingest_files, task_runner
from pipelines.settings import reload_settings
from tests.conftest import FIXTURES

pytestmark = [pytest.mark.integration, pytest.mark.usefixtures("harness")]


def test_ingest_on_a_local_dask_cluster_matches_the_process_pool(client, index_name, tmp_cache, monkeypatch) -> None:
    monkeypatch.setenv("NEWSINDEX_EXECUTOR", "dask")
    monkeypatch.setenv("NEWSINDEX_WORKERS", "2")
    monkeypatch.setenv("NEWSINDEX_BATCH_SIZE", "2")  # several batch tasks in flight on the cluster
    settings = reload_settings()
    assert type(task_runner(settings)).__name__ == "DaskTaskRunner"

    seen: list[int] = []
    first = run_ingest_files([str(FIXTURES / "articles")], source="dask", progress=lambda r: seen.append(r.documents))
    assert first["indexed"] == first["documents"] == 7 and first["quarantined"] == 0
    assert seen and seen[-1] == 7  # live counts still reach the caller
    assert client.count(index=index_name)["count"] == 7

    second = run_ingest_files([str(FIXTURES / "articles")], source="dask")
    assert second["unchanged"] == 7 and second["indexed"] == 0
    assert client.count(index=index_name)["count"] == 7
