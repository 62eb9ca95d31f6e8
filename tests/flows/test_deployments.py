"""Scheduled deployments from sources.yaml, and `run SOURCE` through the flow, against the real Elasticsearch."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from flows.deployments import ENTRYPOINT, WORK_POOL, build_deployments, prefect_yaml, render_prefect_yaml, run_source
from pipelines.settings import ROOT
from pipelines.sources.config import SourceConfigError, load_sources, parse_sources
from tests.conftest import FIXTURES

SOURCES = """
timezone: America/New_York
sources:
  morning:
    kind: folder
    paths: [inbox]
    schedule: "0 6 * * 1-5"
    timezone: Europe/Berlin
    tags: [files]
  nightly-feeds:
    kind: feed
    urls: [https://news.example.org/rss.xml]
    schedule: "30 2 * * *"
    options: {refetch: true}
  manual:
    kind: folder
    paths: [/data/manual]
  paused:
    kind: urls
    urls: [https://news.example.org/a.html]
    schedule: "0 0 * * *"
    enabled: false
"""


def test_deployments_have_cron_timezone_and_parameters_from_sources_yaml() -> None:
    deployments = {d.name: d for d in build_deployments(parse_sources(SOURCES))}
    assert set(deployments) == {"morning", "nightly-feeds", "manual"}  # disabled sources are not deployed
    morning = deployments["morning"].schedules[0].schedule
    assert (morning.cron, morning.timezone) == ("0 6 * * 1-5", "Europe/Berlin")
    nightly = deployments["nightly-feeds"].schedules[0].schedule
    assert (nightly.cron, nightly.timezone) == ("30 2 * * *", "America/New_York")  # the file-level default
    assert deployments["manual"].schedules == []
    for name, d in deployments.items():
        assert d.parameters == {"source": name}
        assert d.entrypoint == ENTRYPOINT
    assert deployments["morning"].tags == ["newsindex", "folder", "files"]


def test_prefect_yaml_matches_sources_yaml() -> None:
    """prefect.yaml is generated; regenerate it with `python -m flows.deployments > prefect.yaml`."""
    assert (ROOT / "prefect.yaml").read_text(encoding="utf-8") == render_prefect_yaml()
    generated = prefect_yaml(parse_sources(SOURCES))
    entries = {d["name"]: d for d in generated["deployments"]}
    assert entries["morning"]["schedules"] == [{"cron": "0 6 * * 1-5", "timezone": "Europe/Berlin", "active": True}]
    assert entries["morning"]["work_pool"]["name"] == WORK_POOL
    assert entries["manual"]["schedules"] == [] and "paused" not in entries
    # The checked-in file deploys exactly the enabled sources of config/sources.yaml.
    enabled = [s.name for s in load_sources().values() if s.enabled]
    assert [d["name"] for d in prefect_yaml()["deployments"]] == enabled


@pytest.mark.integration
def test_run_source_ingests_a_folder_source_through_the_flow(harness, client, index_name, tmp_cache, tmp_path,
                                                              monkeypatch) -> None:
    folder = tmp_path / "drop"
    shutil.copytree(FIXTURES / "articles", folder)
    expected = sum(1 for p in folder.rglob("*") if p.is_file() and not p.name.endswith(".meta.json")
                   and p.name not in ("manifest.csv", "manifest.jsonl"))
    config = tmp_path / "sources.yaml"
    config.write_text(f"sources:\n  drop:\n    kind: folder\n    paths: [{folder}]\n    schedule: '0 * * * *'\n"
                      "    options: {refresh: true}\n  broken:\n    kind: folder\n    paths: [x]\n"
                      "    options: {no_such_option: 1}\n")
    monkeypatch.setenv("NEWSINDEX_SOURCES", str(config))

    report = run_source("drop")
    assert report["source"] == "drop" and report["discovered"] == expected
    assert report["indexed"] > 0 and report["indexed"] + report["duplicate"] + report["quarantined"] == \
        report["documents"]
    hits = client.search(index=index_name, query={"term": {"source": "drop"}}, size=0)
    assert hits["hits"]["total"]["value"] == report["indexed"] + report["duplicate"]

    again = run_source("drop")  # a scheduled rerun writes nothing new
    assert again["unchanged"] == report["indexed"] + report["duplicate"] and again["indexed"] == 0

    with pytest.raises(SourceConfigError, match="no_such_option"):
        run_source("broken")
    with pytest.raises(SourceConfigError, match="no source named 'missing'"):
        run_source("missing")


def test_relative_folder_paths_resolve_against_the_project_root() -> None:
    source = parse_sources(SOURCES)["morning"]
    assert source.resolved_paths() == [str(ROOT / "inbox")]
    assert parse_sources(SOURCES)["manual"].resolved_paths(Path("/elsewhere")) == ["/data/manual"]
