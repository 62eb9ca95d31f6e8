"""docker-compose.yml and its secure override validate, and pin one Elasticsearch/Kibana version.

No Docker engine runs here: `docker-compose config` validates the files (schema, interpolation, merge of the
override) without one. Skipped with the reason when the docker-compose binary is absent.
"""

from __future__ import annotations

import os
import shutil
import subprocess

import prefect
import pytest
import yaml

from pipelines.settings import ROOT

BASE, SECURE = ROOT / "docker-compose.yml", ROOT / "docker-compose.secure.yml"
SECRETS = {"ELASTIC_PASSWORD": "pw-elastic", "KIBANA_PASSWORD": "pw-kibana", "NEWSINDEX_INGEST_PASSWORD": "pw-ingest",
           "RESEARCHER_PASSWORD": "pw-research", "KIBANA_ENCRYPTION_KEY": "k" * 32}


def _compose(*files, env: dict[str, str]) -> subprocess.CompletedProcess:
    binary = shutil.which("docker-compose")
    if binary is None:
        pytest.skip("the docker-compose binary is not installed (`make system-deps` installs it)")
    args = [binary, "--project-directory", str(ROOT)]
    for f in files:
        args += ["-f", str(f)]
    clean = {k: v for k, v in os.environ.items() if k not in SECRETS}
    return subprocess.run([*args, "config"], env={**clean, **env}, capture_output=True, text=True, timeout=60)


def _image_tags(services: dict) -> dict[str, tuple[str, str]]:
    return {name: tuple(s["image"].split(":", 1)) for name, s in services.items() if "image" in s and "build" not in s}


def test_local_profile_validates_with_security_off() -> None:
    result = _compose(BASE, env={})
    assert result.returncode == 0, result.stderr
    config = yaml.safe_load(result.stdout)
    assert config["services"]["elasticsearch"]["environment"]["xpack.security.enabled"] == "false"
    assert set(config["volumes"]) >= {"es-data", "prefect-data", "newsindex-cache"}


def test_secure_profile_needs_its_secrets_and_turns_security_on() -> None:
    missing = _compose(BASE, SECURE, env={})
    assert missing.returncode != 0 and "ELASTIC_PASSWORD" in missing.stderr
    result = _compose(BASE, SECURE, env=SECRETS)
    assert result.returncode == 0, result.stderr
    services = yaml.safe_load(result.stdout)["services"]
    assert services["elasticsearch"]["environment"]["xpack.security.enabled"] == "true"
    assert services["kibana"]["environment"]["ELASTICSEARCH_USERNAME"] == "kibana_system"
    assert services["worker"]["environment"]["NEWSINDEX_ES_USERNAME"] == "newsindex_ingest"
    assert "newsindex_researcher" in " ".join(services["security-setup"]["command"])


def test_elasticsearch_and_kibana_share_one_pinned_8x_version_without_registry_host() -> None:
    services = {**yaml.safe_load(BASE.read_text())["services"]}
    services |= {f"secure-{k}": v for k, v in yaml.safe_load(SECURE.read_text())["services"].items()}
    tags = _image_tags(services)
    es, kibana = tags["elasticsearch"], tags["kibana"]
    assert (es[0], kibana[0]) == ("elasticsearch", "kibana")
    assert es[1] == kibana[1] and es[1].startswith("8.") and es[1].count(".") == 2  # pinned patch release
    assert tags["secure-security-setup"] == es
    assert tags["prefect-server"][1].startswith(prefect.__version__)  # the server speaks the workers' Prefect
    for repo, _ in tags.values():
        assert "." not in repo.split("/")[0], f"{repo}: name images without a registry host"


def test_worker_and_deploy_are_built_from_the_project_dockerfile() -> None:
    services = yaml.safe_load(BASE.read_text())["services"]
    assert services["worker"]["build"] == services["deploy"]["build"] == "."
    dockerfile = (ROOT / "Dockerfile").read_text()
    assert "constraints.txt" in dockerfile and "prefect.yaml" in dockerfile
    for name in ("elasticsearch", "kibana", "prefect-server"):
        assert services[name]["healthcheck"]["test"] and services[name]["mem_limit"]
