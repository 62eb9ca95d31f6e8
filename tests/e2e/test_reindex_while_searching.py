"""A researcher searches while an operator runs `newsindex reindex`: no search fails or comes back empty."""

from __future__ import annotations

import os
import subprocess
import sys
import threading
from pathlib import Path

import pytest
from elasticsearch import helpers

from pipelines.index.lifecycle import alias_targets, write_alias
from pipelines.index.search import SearchRequest, search
from tests.conftest import ROOT
from tests.integration.test_index_and_search import ARTICLES, load

pytestmark = pytest.mark.e2e
COPIES = 400  # each fixture article this many times, so the copy takes long enough to search during it


def newsindex(*args: str, env: dict[str, str]) -> subprocess.CompletedProcess:
    """The installed `newsindex` command, as an operator runs it."""
    exe = Path(sys.executable).with_name("newsindex")
    return subprocess.run([str(exe), *args], cwd=ROOT, env={**os.environ, **env, "COLUMNS": "200", "NO_COLOR": "1"},
                          capture_output=True, text=True, timeout=600, stdin=subprocess.DEVNULL)


def replicate(client, name: str) -> int:
    originals = list(helpers.scan(client, index=name, query={"query": {"match_all": {}}}))
    actions = ({"_index": write_alias(name), "_id": f"{h['_id']}-{i}",
                "_source": {**h["_source"], "id": f"{h['_id']}-{i}"}} for i in range(COPIES) for h in originals)
    helpers.bulk(client, actions, chunk_size=500)
    client.indices.refresh(index=name)
    return client.count(index=name)["count"]


def test_searches_never_fail_or_come_back_empty_during_a_reindex(client, index_name: str) -> None:
    load(client, index_name, [ARTICLES])
    total = replicate(client, index_name)
    before = alias_targets(client, index_name)
    req = SearchRequest(query="the OR der OR le OR city", size=5)
    expected = search(client, index_name, req).total
    assert expected > 0
    results: list[int] = []
    errors: list[BaseException] = []
    done = threading.Event()

    def searching() -> None:
        while not done.is_set():
            try:
                results.append(search(client, index_name, req).total)
            except Exception as exc:  # noqa: BLE001 - every failure is a finding
                errors.append(exc)

    thread = threading.Thread(target=searching)
    thread.start()
    env = {"NEWSINDEX_INDEX": index_name, "NEWSINDEX_ES_URL": os.environ["NEWSINDEX_ES_URL"]}
    try:
        run = newsindex("reindex", env=env)
    finally:
        done.set()
        thread.join()
    assert run.returncode == 0, run.stderr
    assert "documents after" in run.stdout and "Traceback" not in run.stderr
    assert not errors, errors[:3]
    assert len(results) > 10 and set(results) == {expected}  # never empty, never partial
    assert client.count(index=index_name)["count"] == total
    after = alias_targets(client, index_name)
    assert after != before and after == alias_targets(client, write_alias(index_name))
    assert after[0] in run.stdout

    back = newsindex("index", "rollback", env=env)
    assert back.returncode == 0, back.stderr
    assert alias_targets(client, index_name) == before == alias_targets(client, write_alias(index_name))
    assert client.count(index=index_name)["count"] == total
