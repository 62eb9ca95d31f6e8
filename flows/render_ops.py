"""Rich output for the operations commands: schedules, quarantine, retry results, Kibana import."""

from __future__ import annotations

from typing import Any

from rich.console import Console
from rich.markup import escape
from rich.table import Table

from pipelines.kibana import ImportResult
from pipelines.sources.config import Source, sources_path


def _table(title: str | None, columns: tuple[str, ...], rows: list[tuple[Any, ...]]) -> Table:
    table = Table(title=title, show_header=True)
    for col in columns:
        table.add_column(col)
    for row in rows:
        table.add_row(*(escape(str(v)) if v is not None else "—" for v in row))
    return table


def schedules(console: Console, sources: dict[str, Source]) -> None:
    rows = []
    for s in sources.values():
        nxt = s.next_run() if s.enabled else None
        where = ", ".join(s.paths or s.urls)
        rows.append((s.name, s.kind, s.schedule or "manual", s.timezone, "yes" if s.enabled else "no",
                     nxt.strftime("%Y-%m-%d %H:%M %Z") if nxt else None, where[:60]))
    console.print(_table(f"sources ({sources_path()})", ("source", "kind", "cron", "timezone", "enabled", "next run",
                                                        "inputs"), rows))


def quarantine_list(console: Console, entries: list[dict[str, Any]]) -> None:
    if not entries:
        console.print("the quarantine is empty")
        return
    rows = [(e.get("source"), e.get("locator"), e.get("reason"), e.get("run_id"), e.get("at")) for e in entries]
    console.print(_table(f"{len(entries)} quarantined documents", ("source", "document", "reason", "run", "since"),
                         rows))


def retry_summary(console: Console, result: dict[str, Any]) -> None:
    rows = [("files retried", result["files"]), ("left the quarantine", result["left_quarantine"]),
            ("still quarantined", result["still_quarantined"]), ("not retriable", len(result["skipped"]))]
    console.print(_table("quarantine retry", ("measure", "value"), rows))
    if result["skipped"]:
        console.print(_table("not retried", ("source", "document", "why"),
                             [(e.get("source"), e.get("locator"), e["why"]) for e in result["skipped"][:50]]))


def kibana_import(console: Console, url: str, result: ImportResult) -> None:
    rows = [(o.get("type"), o.get("id"), (o.get("meta") or {}).get("title", ""),
             "replaced" if o.get("overwrite") else "created") for o in result.objects]
    console.print(_table(f"Kibana {url}: {result.success_count} saved objects imported",
                         ("type", "id", "title", "action"), rows))
