"""Scheduled ingestion: one Prefect deployment per enabled source in sources.yaml, all running `run-source`.

Deployments carry only the source name; the flow reads sources.yaml when it runs, so paths, URLs and options
change without redeploying (a schedule change needs `serve` restarted, or `prefect deploy --all` after
regenerating prefect.yaml with `python -m flows.deployments > prefect.yaml`).
"""

from __future__ import annotations

import inspect
import sys
from collections.abc import Callable
from typing import Any

import yaml
from prefect import flow, serve
from prefect.deployments.runner import RunnerDeployment
from prefect.schedules import Cron

from pipelines.sources.config import Source, SourceConfigError, get_source, load_sources

WORK_POOL = "newsindex"
ENTRYPOINT = "flows/deployments.py:run_source"
WORKDIR = "/app"  # the project folder inside the worker image (Dockerfile WORKDIR)


class SourceUnavailable(Exception):
    """The source's kind needs a flow this installation does not have (yet)."""


def _call(fn: Callable[..., Any], source: Source, given: dict[str, Any]) -> dict:
    """Call a source's flow with the source's options, refusing options the flow does not accept."""
    allowed = sorted(set(inspect.signature(fn).parameters) - set(given))  # `given` comes from the source itself
    unknown = sorted(set(source.options) - set(allowed))
    if unknown:
        raise SourceConfigError(f"source {source.name!r}: option(s) {', '.join(unknown)} not accepted by "
                                f"flow {getattr(fn, 'name', fn.__name__)!r} (accepts: {', '.join(allowed)})")
    return fn(**{**source.options, **given})


def _web_flow(kind: str) -> Callable[..., Any]:
    """The web ingestion flow, imported only when a web source runs."""
    try:
        from flows.web import ingest_web
    except ImportError as exc:
        raise SourceUnavailable(f"{kind} sources need the web ingestion flow (flows/web.py), which is not "
                                f"available in this installation ({exc})") from exc
    return ingest_web


WEB_ARGUMENT = {"feed": "feeds", "sitemap": "sitemaps", "urls": "urls"}  # source kind -> ingest_web parameter


def run_source_now(source: Source, progress: Callable[..., None] | None = None) -> dict:
    """Run one source through its flow and return the run report (a dict, as `ingest_files` returns)."""
    given: dict[str, Any] = {"source": source.name, "progress": progress}
    if source.kind == "folder":
        from flows.ingest import ingest_files

        return _call(ingest_files, source, {**given, "paths": source.resolved_paths()})
    return _call(_web_flow(source.kind), source, {**given, WEB_ARGUMENT[source.kind]: source.urls})


@flow(name="run-source")
def run_source(source: str) -> dict:
    """Run the named source from sources.yaml (what every scheduled deployment runs)."""
    return run_source_now(get_source(source))


def build_deployments(sources: dict[str, Source] | None = None) -> list[RunnerDeployment]:
    """One deployment per enabled source: cron schedule in the source's timezone, parameter `source`."""
    return [run_source.to_deployment(**_fields(s), schedules=[Cron(s.schedule, timezone=s.timezone)]
                                     if s.schedule else None)
            for s in _enabled(sources)]


def _enabled(sources: dict[str, Source] | None) -> list[Source]:
    return [s for s in (load_sources() if sources is None else sources).values() if s.enabled]


def _fields(s: Source) -> dict[str, Any]:
    """What a deployment says about its source, shared by `serve` and prefect.yaml."""
    return {"name": s.name, "description": s.description or f"{s.kind} source {s.name}",
            "parameters": {"source": s.name}, "tags": ["newsindex", s.kind, *s.tags]}


def serve_sources(sources: dict[str, Source] | None = None) -> None:
    """Serve every enabled source on its schedule until interrupted (needs a Prefect server: PREFECT_API_URL)."""
    serve(*build_deployments(sources), print_starting_message=False)


def prefect_yaml(sources: dict[str, Source] | None = None) -> dict[str, Any]:
    """The same deployments as `build_deployments`, for `prefect deploy --all` and a process worker."""
    deployments = [{
        **_fields(s), "entrypoint": ENTRYPOINT,
        "schedules": [{"cron": s.schedule, "timezone": s.timezone, "active": True}] if s.schedule else [],
        "work_pool": {"name": WORK_POOL, "work_queue_name": "default", "job_variables": {}},
    } for s in _enabled(sources)]
    return {
        "name": "newsindex",
        "prefect-version": "3.8.8",
        "build": None,
        "push": None,
        "pull": [{"prefect.deployments.steps.set_working_directory": {"directory": WORKDIR}}],
        "deployments": deployments,
    }


HEADER = """\
# Generated from config/sources.yaml by `python -m flows.deployments > prefect.yaml`; do not edit by hand
# (tests/flows/test_deployments.py fails when the two drift apart).
# In docker-compose the `deploy` service runs `prefect deploy --all` against the Prefect server and the
# `worker` service (work pool `newsindex`, type process) runs the scheduled flows.
"""


def render_prefect_yaml(sources: dict[str, Source] | None = None) -> str:
    return HEADER + yaml.safe_dump(prefect_yaml(sources), sort_keys=False, width=120)


if __name__ == "__main__":
    sys.stdout.write(render_prefect_yaml())
