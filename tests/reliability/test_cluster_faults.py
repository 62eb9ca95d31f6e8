"""Cluster faults during ingest: unreachable at start, stopped mid-run, the ingest killed, rejections, 429.

Each test runs the CLI as a user does and then checks the corpus: the count equals the number of distinct
inputs, no id or locator twice, and every document has exactly one outcome.
"""

from __future__ import annotations

import json
import os
import signal
import subprocess
import time
from pathlib import Path

import pytest
from elasticsearch import Elasticsearch

from pipelines import quarantine
from tests.e2e.test_cli import _row
from tests.reliability.conftest import OwnNode, cli_env, free_node_ports, run_cli, start_cli, write_articles
from tests.reliability.proxy import FaultInjector

pytestmark = pytest.mark.integration

N = 300  # long enough to stop the run after its first batch (10 files per batch)


def _count(es: Elasticsearch, index: str) -> int:
    if not es.indices.exists_alias(name=index):
        return 0
    es.indices.refresh(index=index)
    return int(es.count(index=index)["count"])


def _assert_complete(es: Elasticsearch, index: str, distinct: int) -> None:
    """Exactly one document per distinct input: no loss, no duplicate (by id and by source locator)."""
    es.indices.refresh(index=index)
    aggs = {"ids": {"cardinality": {"field": "id", "precision_threshold": 40000}},
            "locators": {"cardinality": {"field": "locator", "precision_threshold": 40000}}}
    resp = es.search(index=index, size=0, track_total_hits=True, aggs=aggs)
    assert resp["hits"]["total"]["value"] == distinct
    assert resp["aggregations"]["ids"]["value"] == distinct
    assert resp["aggregations"]["locators"]["value"] == distinct


def _wait_for_first_batch(es: Elasticsearch, index: str, proc: subprocess.Popen) -> int:
    """Block until some documents have landed (the run is in the middle), return that count."""
    while proc.poll() is None:
        try:
            landed = _count(es, index)
        except Exception:  # the alias may be created between the two calls
            landed = 0
        if landed > 0:
            return landed
        time.sleep(0.05)
    raise AssertionError(f"the run ended before it could be interrupted:\n{proc.stdout.read()}{proc.stderr.read()}")


def test_unreachable_cluster_at_start_is_exit_3_with_the_url_and_writes_nothing(tmp_path: Path) -> None:
    port, _ = free_node_ports(1)  # nothing listens there
    url = f"http://127.0.0.1:{port}"
    cache = tmp_path / "cache"
    run = run_cli("ingest", str(write_articles(tmp_path / "in", 5)), env=cli_env(url, "unreach", cache))
    assert run.returncode == 3
    assert f"cannot reach Elasticsearch at {url}" in run.stderr
    assert "Traceback" not in run.stderr + run.stdout
    assert "indexed" not in run.stdout  # no summary: no document got an outcome
    assert not (cache / "quarantine").exists()  # and none was quarantined for a cluster fault


def test_cluster_stopped_mid_run_fails_loudly_and_a_rerun_completes(own_node: OwnNode, tmp_path: Path) -> None:
    corpus, cache = write_articles(tmp_path / "in", N), tmp_path / "cache"
    env = cli_env(own_node.url, "midrun", cache, NEWSINDEX_BATCH_SIZE="10", NEWSINDEX_WORKERS="1")
    es = Elasticsearch(own_node.url, request_timeout=30)
    proc = start_cli("ingest", str(corpus), env=env)
    landed = _wait_for_first_batch(es, "midrun", proc)
    own_node.stop()
    out, err = proc.communicate(timeout=600)
    assert proc.returncode == 3, out + err
    # Prefect logs the failed task's retries above it; the last word is one clear line with the URL.
    assert err.rfind(f"error: lost Elasticsearch at {own_node.url} during the run") > err.rfind("Traceback")

    # While it is down, a new run refuses to start and changes nothing.
    down = run_cli("ingest", str(corpus), env=env)
    assert down.returncode == 3 and f"cannot reach Elasticsearch at {own_node.url}" in down.stderr

    own_node.start()
    before_rerun = _count(es, "midrun")
    assert landed <= before_rerun < N  # what was acknowledged survived the stop; the run was really cut short
    rerun = run_cli("ingest", str(corpus), env=env)
    assert rerun.returncode == 0, rerun.stderr
    assert _row(rerun.stdout, "documents") == N
    assert _row(rerun.stdout, "unchanged") == before_rerun  # not rewritten
    assert _row(rerun.stdout, "indexed") == N - before_rerun, rerun.stdout
    assert _row(rerun.stdout, "quarantined") == 0
    _assert_complete(es, "midrun", N)
    assert quarantine.current(cache / "quarantine") == []


def test_ingest_killed_with_sigkill_then_rerun(index_name: str, client: Elasticsearch, tmp_path: Path) -> None:
    corpus, cache = write_articles(tmp_path / "in", N), tmp_path / "cache"
    env = cli_env(os.environ["NEWSINDEX_ES_URL"], index_name, cache, NEWSINDEX_BATCH_SIZE="10")
    proc = start_cli("ingest", str(corpus), env=env)
    _wait_for_first_batch(client, index_name, proc)
    os.killpg(proc.pid, signal.SIGKILL)  # the CLI, its Prefect server and its extraction workers
    proc.communicate(timeout=60)
    assert proc.returncode == -signal.SIGKILL
    killed_at = _count(client, index_name)
    assert 0 < killed_at < N

    rerun = run_cli("ingest", str(corpus), env=env)
    assert rerun.returncode == 0, rerun.stderr
    assert _row(rerun.stdout, "unchanged") + _row(rerun.stdout, "indexed") == N
    assert _row(rerun.stdout, "unchanged") >= killed_at
    _assert_complete(client, index_name, N)


def test_rejected_documents_are_quarantined_with_the_servers_reason(index_name: str, client: Elasticsearch,
                                                                    tmp_path: Path) -> None:
    """A record whose outlet is longer than Lucene's 32 KiB term limit is refused by Elasticsearch alone."""
    folder = tmp_path / "in"
    write_articles(folder, 8)
    records = [{"title": f"Record {i} about the harbour", "url": f"https://example.org/news/{i}",
                "maintext": f"Record {i}. " + "The harbour ferry timetable changes next week for all routes. " * 8,
                "source_domain": "example.org"} for i in range(4)]
    records[2]["outlet"] = "X" * 40_000
    (folder / "export.jsonl").write_text("\n".join(json.dumps(r) for r in records) + "\n")
    cache = tmp_path / "cache"
    run = run_cli("ingest", str(folder), env=cli_env(os.environ["NEWSINDEX_ES_URL"], index_name, cache))
    assert run.returncode == 0, run.stderr
    assert _row(run.stdout, "indexed") == 11 and _row(run.stdout, "quarantined") == 1
    (entry,) = quarantine.current(cache / "quarantine")
    assert entry["locator"].endswith("export.jsonl#3")
    assert entry["reason"].startswith("rejected by Elasticsearch (400)")
    assert "failed to parse field [outlet] of type [keyword]" in entry["reason"]  # the server's own words
    assert len(entry["reason"]) <= 500  # not the 40 KB value itself
    _assert_complete(client, index_name, 11)


@pytest.mark.parametrize("mode", ["request", "items"])
def test_429_from_the_cluster_is_retried_with_backoff_and_nothing_is_lost(
        mode: str, es_url: str, index_name: str, client: Elasticsearch, tmp_path: Path) -> None:
    corpus = write_articles(tmp_path / "in", 60)
    with FaultInjector(es_url, rejections=4, mode=mode) as injector:
        env = cli_env(injector.url, index_name, tmp_path / "cache", NEWSINDEX_BATCH_SIZE="20")
        run = run_cli("ingest", str(corpus), env=env)
    assert injector.injected == 4 and injector.left == 0  # the cluster really said 429 four times
    assert run.returncode == 0, run.stderr
    assert _row(run.stdout, "indexed") == 60 and _row(run.stdout, "quarantined") == 0
    _assert_complete(client, index_name, 60)
