"""Fixtures for fault tests: private Elasticsearch nodes on their own ports, a generated corpus, the CLI.

The shared node on 9200 is never stopped: a test that stops or restarts a cluster starts its own
node (one JVM, its own ports and data folder under .cache/reliability-es) and stops it at teardown.
"""

from __future__ import annotations

import os
import shutil
import signal
import subprocess
import sys
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

from pipelines import local_es
from tests.conftest import ROOT

NODE_CACHE = ROOT / ".cache" / "reliability-es"
WORDS = ["council", "harbour", "ferry", "budget", "river", "bridge", "school", "museum", "station", "market", "energy",
         "water", "transport", "housing", "library", "festival", "hospital", "airport", "railway", "garden"]


@dataclass
class OwnNode:
    """An embedded Elasticsearch that belongs to one test module: its ports, its data, its life."""

    port: int
    transport_port: int
    nodes: int = 1
    heap: str = "512m"

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    @property
    def home(self) -> Path:
        return NODE_CACHE / "data" / f"{self.nodes}node-{self.port}"

    def start(self) -> str:
        return local_es.up(cache_dir=NODE_CACHE, port=self.port, nodes=self.nodes, heap=self.heap,
                           transport_port=self.transport_port, cluster_name=f"reliability-{self.port}")

    def stop(self) -> bool:
        return local_es.down(cache_dir=NODE_CACHE, port=self.port)


def _free(port: int) -> bool:
    return not local_es._port_open(port) and not local_es.status(NODE_CACHE, port=port)["running"]


def free_node_ports(nodes: int) -> tuple[int, int]:
    """An HTTP base port and a transport base port where `nodes` consecutive ports are all unused."""
    for base in range(9470, 9700, 10):
        ports = [base + i for i in range(nodes)] + [base + 200 + i for i in range(nodes)]
        if all(_free(p) for p in ports):
            return base, base + 200
    raise RuntimeError("no free port range for a private Elasticsearch node in 9470-9900")


def need_java() -> None:
    if not (shutil.which("java") and shutil.which("mvn")):
        pytest.skip("java and mvn are needed for a private embedded Elasticsearch node")


@pytest.fixture(scope="module")
def own_node() -> Iterator[OwnNode]:
    """A fresh single-node cluster for this module, which its tests may stop and start."""
    need_java()
    port, transport = free_node_ports(1)
    node = OwnNode(port, transport)
    shutil.rmtree(node.home, ignore_errors=True)
    node.start()
    yield node
    node.stop()
    shutil.rmtree(node.home, ignore_errors=True)


def write_articles(folder: Path, n: int) -> Path:
    """`n` distinct plain-text articles (a title line and four paragraphs, about 150 words each)."""
    folder.mkdir(parents=True, exist_ok=True)
    for i in range(n):
        w = [WORDS[(i * 7 + k * 3) % len(WORDS)] for k in range(12)]
        title = f"Article {i}: the {w[0]} and the {w[1]} plan number {i}"
        paras = [f"The {w[k]} committee met on day {i} to discuss the {w[k + 1]} and the {w[k + 2]} in district "
                 f"{i % 17}. Officials said the {w[k + 3]} report number {i * 31 + k} would be published soon, "
                 f"and residents asked questions about the {w[k + 4]} for nearly an hour." for k in range(0, 8, 2)]
        (folder / f"article-{i:04d}.txt").write_text(title + "\n\n" + "\n\n".join(paras) + "\n", encoding="utf-8")
    return folder


def cli_env(es_url: str, index: str, cache: Path, **extra: str) -> dict[str, str]:
    return {**os.environ, "NEWSINDEX_ES_URL": es_url, "NEWSINDEX_INDEX": index, "NEWSINDEX_CACHE_DIR": str(cache),
            "COLUMNS": "200", "NO_COLOR": "1", **extra}


def start_cli(*args: str, env: dict[str, str]) -> subprocess.Popen:
    """`newsindex ARGS` in its own process group, so a test can kill it with all its workers.

    Runs `flows.cli:main` as the installed `newsindex` script does (not `-m flows.cli`, where command
    modules that import `flows.cli` would load it a second time)."""
    argv = [sys.executable, "-c", "from flows.cli import main; main()", *args]
    return subprocess.Popen(argv, cwd=ROOT, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                            stdin=subprocess.DEVNULL, start_new_session=True)


def run_cli(*args: str, env: dict[str, str], timeout: float = 600) -> subprocess.CompletedProcess:
    proc = start_cli(*args, env=env)
    try:
        out, err = proc.communicate(timeout=timeout)
    except subprocess.TimeoutExpired:
        os.killpg(proc.pid, signal.SIGKILL)
        raise
    return subprocess.CompletedProcess(proc.args, proc.returncode, out, err)
