"""A three-node cluster (the embedded runner, three nodes in one JVM) with one replica per shard.

Ingest, search and reindex run through the CLI against it; every index the project creates carries the
replica from NEWSINDEX_REPLICAS, the replica sits on another node than its primary, and health is green.
"""

from __future__ import annotations

import json
import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest
from elasticsearch import Elasticsearch

from tests.e2e.test_cli import _row
from tests.reliability.conftest import OwnNode, cli_env, free_node_ports, need_java, run_cli, write_articles

pytestmark = pytest.mark.integration
N = 40


@pytest.fixture(scope="module")
def cluster() -> Iterator[OwnNode]:
    need_java()
    port, transport = free_node_ports(3)
    node = OwnNode(port, transport, nodes=3, heap="768m")
    shutil.rmtree(node.home, ignore_errors=True)
    node.start()
    yield node
    node.stop()
    shutil.rmtree(node.home, ignore_errors=True)


def _shards(es: Elasticsearch, index: str) -> list[dict]:
    return es.cat.shards(index=index, format="json", h="index,shard,prirep,state,node")


def _assert_replicated(es: Elasticsearch, index: str) -> None:
    """Green: every primary has a started replica, on another node."""
    health = es.cluster.health(index=index, wait_for_status="green", timeout="60s")
    assert health["status"] == "green" and not health["timed_out"]
    assert es.indices.get_settings(index=index)[index]["settings"]["index"]["number_of_replicas"] == "1"
    shards = _shards(es, index)
    assert sorted(s["prirep"] for s in shards) == ["p", "r"]
    assert {s["state"] for s in shards} == {"STARTED"}
    assert len({s["node"] for s in shards}) == 2


def test_ingest_search_and_reindex_on_three_nodes_with_one_replica(cluster: OwnNode, tmp_path: Path) -> None:
    es = Elasticsearch(cluster.url, request_timeout=60)
    nodes = es.nodes.info()["nodes"]
    assert len(nodes) == 3
    env = cli_env(cluster.url, "three", tmp_path / "cache", NEWSINDEX_REPLICAS="1")

    ingest = run_cli("ingest", str(write_articles(tmp_path / "in", N)), env=env)
    assert ingest.returncode == 0, ingest.stderr
    assert _row(ingest.stdout, "indexed") == N
    (first,) = es.indices.get_alias(name="three")
    _assert_replicated(es, first)

    # Search through another node of the cluster than the one the ingest wrote to.
    other = f"http://127.0.0.1:{cluster.port + 1}"
    found = run_cli("search", "harbour", "--json", "--size", "100", env={**env, "NEWSINDEX_ES_URL": other})
    assert found.returncode == 0, found.stderr
    hits = json.loads(found.stdout)
    assert 0 < hits["total"] < N
    assert es.count(index="three", query={"match": {"text": "harbour"}})["count"] == hits["total"]

    reindex = run_cli("reindex", env=env)
    assert reindex.returncode == 0, reindex.stderr
    (second,) = es.indices.get_alias(name="three")
    assert second != first
    _assert_replicated(es, second)
    assert es.count(index="three")["count"] == N
    again = json.loads(run_cli("search", "harbour", "--json", "--size", "100", env=env).stdout)
    assert again["total"] == hits["total"]
