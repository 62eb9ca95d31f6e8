"""Operations commands: serve schedules, run a source now, the quarantine, Kibana assets."""

from __future__ import annotations

import json
import os
import sys
from typing import Annotated

import typer
from elasticsearch import exceptions as es_exc

from flows import render, render_ops
from flows.commands import EXIT_CLUSTER, EXIT_FAILED, EXIT_USAGE, client_or_exit, err, fail, out
from pipelines.index.client import ClusterUnavailable, lost_cluster_message
from pipelines.settings import get_settings
from pipelines.sources.config import SourceConfigError, get_source, load_sources

# Not imported from flows.cli: it imports this module while registering commands (`python -m flows.cli`).

quarantine_app = typer.Typer(help="Documents that could not be indexed, with their reasons (a dead-letter store).")
kibana_app = typer.Typer(help="Kibana saved objects for researchers (data view, saved searches, dashboard).")






def _sources():
    try:
        return load_sources()
    except SourceConfigError as exc:
        fail(str(exc), EXIT_USAGE)


def serve(
    list_only: Annotated[bool, typer.Option("--list", help="print the schedules and exit")] = False,
) -> None:
    """Run every enabled source of config/sources.yaml on its cron schedule (Prefect serve) until Ctrl-C."""
    from flows.deployments import serve_sources

    sources = _sources()
    render_ops.schedules(out, sources)
    if list_only:
        return
    if not any(s.enabled and s.schedule for s in sources.values()):
        fail("no enabled source has a schedule in sources.yaml: nothing to serve", EXIT_USAGE)
    if not os.environ.get("PREFECT_API_URL"):
        err.print("[yellow]warning:[/] PREFECT_API_URL is unset: schedules fire only with a Prefect server "
                  "(`newsindex prefect up`, or PREFECT_API_URL pointing at one)")
    out.print("serving; Ctrl-C stops (runs in progress finish first)")
    serve_sources(sources)


def run(source: Annotated[str, typer.Argument(help="a source name from config/sources.yaml")]) -> None:
    """Run one source now, through the same flow as its schedule, then print the run summary."""
    from flows.deployments import SourceUnavailable, run_source_now

    try:
        src = get_source(source)
    except SourceConfigError as exc:
        fail(str(exc), EXIT_USAGE)
    client_or_exit()
    try:
        with render.live_counts(out) as progress:
            report = run_source_now(src, progress=progress)
    except (SourceConfigError, SourceUnavailable) as exc:
        fail(str(exc), EXIT_USAGE)
    except (ClusterUnavailable, es_exc.ConnectionError, es_exc.ConnectionTimeout) as exc:
        fail(lost_cluster_message(get_settings(), exc), EXIT_CLUSTER)
    render.run_summary(out, report)
    if report["documents"] and report["quarantined"] == report["documents"]:
        raise typer.Exit(EXIT_FAILED)


@quarantine_app.command("list")
def quarantine_list(
    source: Annotated[str | None, typer.Option(help="only this source")] = None,
    as_json: Annotated[bool, typer.Option("--json", help="one JSON array, for scripts")] = False,
) -> None:
    """Documents still in quarantine: source, locator, path, reason, run id, since when."""
    from pipelines import quarantine

    entries = [e for e in quarantine.current(get_settings().quarantine_dir) if source in (None, e.get("source"))]
    if as_json:
        sys.stdout.write(json.dumps(entries, ensure_ascii=False, indent=2) + "\n")
    else:
        render_ops.quarantine_list(out, entries)


@quarantine_app.command("retry")
def quarantine_retry(source: Annotated[str | None, typer.Option(help="only this source")] = None) -> None:
    """Re-run quarantined files through the ingest flow; those that now succeed leave the quarantine."""
    from flows.retry import retry_quarantine

    client_or_exit()
    with render.live_counts(out) as progress:
        result = retry_quarantine(source, progress=progress)
    for report in result["runs"]:
        render.run_summary(out, report)
    render_ops.retry_summary(out, result)
    if result["still_quarantined"] and not result["left_quarantine"] and result["files"]:
        raise typer.Exit(EXIT_FAILED)


@kibana_app.command("setup")
def kibana_setup(
    url: Annotated[str, typer.Option(envvar="NEWSINDEX_KIBANA_URL", help="Kibana base URL")] = "http://127.0.0.1:5601",
    space: Annotated[str | None, typer.Option(help="Kibana space id (default space if omitted)")] = None,
    username: Annotated[str | None, typer.Option(envvar="NEWSINDEX_KIBANA_USERNAME")] = None,
    password: Annotated[str | None, typer.Option(envvar="NEWSINDEX_KIBANA_PASSWORD")] = None,
    api_key: Annotated[str | None, typer.Option(envvar="NEWSINDEX_KIBANA_API_KEY", help="base64 API key")] = None,
) -> None:
    """Import config/kibana/*.ndjson (data view on the read alias, saved searches, Coverage dashboard); idempotent."""
    from pipelines import kibana

    try:
        result = kibana.setup(url, get_settings().index, space=space, username=username, password=password,
                              api_key=api_key)
    except kibana.KibanaError as exc:
        fail(str(exc), EXIT_FAILED)
    render_ops.kibana_import(out, url, result)


def register(app: typer.Typer) -> None:
    app.command()(serve)
    app.command()(run)
    app.add_typer(quarantine_app, name="quarantine")
    app.add_typer(kibana_app, name="kibana")
