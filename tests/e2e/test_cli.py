"""The CLI as a user runs it: a real process, the real Elasticsearch, the Prefect flow."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from tests.conftest import FIXTURES, ROOT, SEEDS, need_shared

pytestmark = pytest.mark.e2e


def cli(*args: str, env: dict[str, str] | None = None, timeout: int = 300) -> subprocess.CompletedProcess:
    full_env = {**os.environ, **(env or {}), "COLUMNS": "200", "NO_COLOR": "1"}
    return subprocess.run([sys.executable, "-m", "flows.cli", *args], cwd=ROOT, env=full_env, capture_output=True,
                          text=True, timeout=timeout, stdin=subprocess.DEVNULL)


@pytest.fixture
def env(index_name: str, tmp_cache: Path) -> dict[str, str]:
    return {"NEWSINDEX_INDEX": index_name, "NEWSINDEX_ES_URL": os.environ["NEWSINDEX_ES_URL"],
            "NEWSINDEX_CACHE_DIR": str(tmp_cache)}


def test_nonexistent_path_exits_2_and_starts_nothing(tmp_path: Path) -> None:
    run = cli("ingest", str(tmp_path / "nope"), env={"NEWSINDEX_ES_URL": "http://127.0.0.1:9"})
    assert run.returncode == 2
    assert "no such file or folder" in run.stderr


def test_unreachable_cluster_names_the_url_and_exits_nonzero() -> None:
    run = cli("ingest", str(FIXTURES / "articles"), env={"NEWSINDEX_ES_URL": "http://127.0.0.1:9"})
    assert run.returncode == 3
    assert "cannot reach Elasticsearch at http://127.0.0.1:9" in run.stderr
    assert "Traceback" not in run.stderr


@pytest.mark.parametrize(("command", "option"), [("search", "--since"), ("search", "--until"), ("stories", "--since"),
                                               ("export", "--ingested-since")])
def test_a_date_bound_that_is_no_date_is_a_usage_error_before_any_cluster(command: str, option: str) -> None:
    run = cli(command, option, "2024-13-01", env={"NEWSINDEX_ES_URL": "http://127.0.0.1:9"})
    assert run.returncode == 2
    assert "'2024-13-01' is not a date" in run.stderr and "Traceback" not in run.stderr


def test_an_invalid_setting_is_a_usage_error_naming_it_before_any_cluster() -> None:
    run = cli("ingest", str(FIXTURES / "articles"),
              env={"NEWSINDEX_ES_URL": "http://127.0.0.1:9", "NEWSINDEX_BATCH_SIZE": "0", "NEWSINDEX_INDEX": "My News"})
    assert run.returncode == 2
    assert "invalid configuration" in run.stderr and "Traceback" not in run.stderr
    assert "NEWSINDEX_BATCH_SIZE / batch_size" in run.stderr and "NEWSINDEX_INDEX / index" in run.stderr
    assert "cannot reach Elasticsearch" not in run.stderr


def test_config_shows_each_setting_and_its_origin_without_a_cluster() -> None:
    run = cli("config", env={"NEWSINDEX_ES_URL": "http://127.0.0.1:9", "NEWSINDEX_BATCH_SIZE": "7"})
    assert run.returncode == 0, run.stderr
    rows = [line.replace("│", " ").split() for line in run.stdout.splitlines()]
    assert ["batch_size", "7", "NEWSINDEX_BATCH_SIZE"] in rows
    assert ["bulk_retries", "5", "default"] in rows


def test_extract_prints_the_documented_fields_without_a_cluster() -> None:
    run = cli("extract", str(FIXTURES / "articles"), "--format", "jsonl", env={"NEWSINDEX_ES_URL": "http://127.0.0.1:9"})
    assert run.returncode == 0, run.stderr
    records = [json.loads(line) for line in run.stdout.splitlines()]
    assert len(records) == 7
    for rec in records:
        for key in ("source_path", "title", "authors", "published_at", "language", "outlet", "outlet_domain", "url",
                    "text", "provenance"):
            assert key in rec
    wind = next(r for r in records if "wind-farm" in r["source_path"])
    assert wind["url"].startswith("https://www.theguardian.com/") and "utm_" not in (wind["canonical_url"] or "")
    assert wind["outlet"] == "The Guardian" and wind["provenance"]["outlet"] == "registry"


def test_ingest_search_facets_and_rerun_on_the_seeds(env: dict[str, str]) -> None:
    need_shared(SEEDS)
    first = cli("ingest", str(SEEDS), "--source", "seeds", env=env)
    assert first.returncode == 0, first.stderr
    assert "indexed" in first.stdout and "5" in first.stdout

    found = cli("search", "mines AND Ukraine", "--json", env=env)
    assert found.returncode == 0, found.stderr
    result = json.loads(found.stdout)
    assert result["total"] == 5
    assert dict(map(tuple, result["facets"]["language"])) == {"en": 5}
    assert ["The Washington Post", 1] in result["facets"]["outlet"]
    assert sorted(result["facets"]["authors"]) == [["Alex Horton", 1], ["Michael Birnbaum", 1]]
    assert {b[0][:7] for b in result["histogram"]} == {"2024-11"}

    phrase = json.loads(cli("search", 'text:"Posted on" OR text:"AI Chat"', "--json", env=env).stdout)
    assert phrase["total"] == 0  # page furniture never reaches the index
    wapo = json.loads(cli("search", "mines", "--outlet", "the washington post", "--json", env=env).stdout)
    assert wapo["total"] == 1 and wapo["hits"][0]["authors"] == ["Michael Birnbaum", "Alex Horton"]

    human = cli("search", "landmines OR mines", "--size", "2", env=env)
    assert human.returncode == 0 and "outlet" in human.stdout and "language" in human.stdout

    rerun = cli("ingest", str(SEEDS), "--source", "seeds", env=env)
    assert rerun.returncode == 0
    assert _row(rerun.stdout, "unchanged") == 5 and _row(rerun.stdout, "indexed") == 0


def test_ingest_of_the_project_samples(env: dict[str, str]) -> None:
    run = cli("ingest", str(FIXTURES / "articles"), "--source", "demo", env=env)
    assert run.returncode == 0, run.stderr
    assert _row(run.stdout, "indexed") == 7 and _row(run.stdout, "quarantined") == 0
    status = cli("es", "status", env=env)
    assert status.returncode == 0 and "health" in status.stdout


def _row(table: str, label: str) -> int:
    for line in table.splitlines():
        cells = [c.strip() for c in line.replace("│", "|").split("|") if c.strip()]
        if len(cells) == 2 and cells[0] == label:
            return int(cells[1])
    raise AssertionError(f"no row {label!r} in:\n{table}")
