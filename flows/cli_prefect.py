"""`newsindex prefect up|down|status`: the local Prefect server (UI, schedules, artifacts, fast small runs)."""

from __future__ import annotations

import typer
from rich.console import Console

from flows import prefect_server

out = Console()


def register(app: typer.Typer) -> None:
    prefect_app = typer.Typer(help="The local Prefect server on 127.0.0.1:4200 (used automatically when running).")
    app.add_typer(prefect_app, name="prefect")

    @prefect_app.command("up")
    def up(port: int = prefect_server.DEFAULT_PORT) -> None:
        """Start the local Prefect server; idempotent."""
        try:
            with out.status("starting the Prefect server…"):
                url = prefect_server.up(port)
        except prefect_server.PrefectServerError as exc:
            out.print(f"[bold red]error:[/] {exc}")
            raise typer.Exit(1) from exc
        out.print(f"Prefect server is up: API {url}, UI {url.removesuffix('/api')}")

    @prefect_app.command("down")
    def down() -> None:
        """Stop the local Prefect server."""
        out.print("Prefect server stopped" if prefect_server.down() else "Prefect server was not running")

    @prefect_app.command("status")
    def status() -> None:
        """Whether the local server runs, and which Prefect API flow runs will use."""
        url = prefect_server.running_api_url()
        out.print(f"local Prefect server: {url or 'not running (flow runs start an ephemeral server, ~10 s)'}")
