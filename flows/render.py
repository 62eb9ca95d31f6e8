"""Rich output for the CLI: live counts during runs, a summary table at the end, search results."""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from typing import Any

from rich.columns import Columns
from rich.console import Console
from rich.live import Live
from rich.markup import escape
from rich.table import Table
from rich.text import Text

from pipelines.explain import Explained
from pipelines.index.search import SearchResult
from pipelines.report import RunReport


@contextmanager
def live_counts(console: Console) -> Iterator[Any]:
    """A callback that redraws one line of counts each time a batch finishes."""
    with Live(console=console, refresh_per_second=4, transient=True) as live:
        def update(report: RunReport) -> None:
            counts = "  ".join(f"{k} {v}" for k, v in report.counts.items() if v)
            live.update(f"[cyan]ingesting[/] {report.discovered_unit} {report.discovered}  docs {report.documents}  "
                        f"{counts}  {report.docs_per_second:.1f} docs/s")
        yield update


def run_summary(console: Console, report: dict[str, Any]) -> None:
    table = Table(title=f"ingest run {report['run_id']}", caption=f"into {report['index']}", show_header=True)
    table.add_column("measure")
    table.add_column("value", justify="right")
    for key in ("discovered", "documents", "indexed", "unchanged", "duplicate", "skipped", "quarantined"):
        label = f"{report.get('discovered_unit', 'files')} discovered" if key == "discovered" else key
        table.add_row(label, str(report.get(key, 0)))
    table.add_row("seconds", f"{report['seconds']:.2f}")
    table.add_row("docs/s", f"{report['docs_per_second']:.1f}")
    console.print(table)
    if report["quarantine"]:
        q = Table(title="quarantined", show_header=True)
        q.add_column("document")
        q.add_column("reason")
        for item in report["quarantine"][:50]:
            q.add_row(escape(item["locator"]), escape(item["reason"] or ""))
        console.print(q)
        if len(report["quarantine"]) > 50:
            console.print(f"… {len(report['quarantine']) - 50} more: `newsindex quarantine list`")


def _highlight(snippet: str) -> str:
    return re.sub(r"<em>(.*?)</em>", r"[bold yellow]\1[/]", escape(snippet))


def search_result(console: Console, query: str, result: SearchResult) -> None:
    console.print(f"[bold]{result.total}[/] articles match {query!r}")
    for hit in result.hits:
        date = (hit.published_at or "undated")[:10]
        if hit.updated_at and hit.updated_at[:10] != date:
            date += f" (updated {hit.updated_at[:10]})"
        authors = ", ".join(hit.authors) or "no author"
        console.print(f"\n[bold]{escape(hit.title or '(untitled)')}[/]")
        console.print(f"  {escape(hit.outlet or '?')} · {date} · {escape(authors)} · {hit.language or '?'}")
        if hit.snippet:
            console.print(f"  {_highlight(hit.snippet)}")
    tables = []
    for name, buckets in result.facets.items():
        if name in ("source", "story_id"):
            continue
        t = Table(show_header=True, box=None, header_style="bold")
        t.add_column(name)
        t.add_column("", justify="right")
        for key, count in buckets:
            t.add_row(escape(str(key)), str(count))
        tables.append(t)
    console.print()
    console.print(Columns(tables, padding=(0, 4)))
    hist = Table(title=f"published ({result.missing_date} undated)", show_header=False, box=None)
    peak = max((c for _, c in result.histogram), default=1)
    for key, count in result.histogram:
        hist.add_row(key, str(count), "█" * max(1, round(20 * count / peak)))
    console.print(hist)


def status(console: Console, url: str, info: dict, health: dict, indices: list[dict[str, Any]]) -> None:
    console.print(f"[bold]{url}[/]  Elasticsearch {info['version']['number']}  cluster {info['cluster_name']}  "
                  f"health [bold]{health['status']}[/]  nodes {health['number_of_nodes']}")
    indices_table(console, indices)


def indices(console: Console, rows: list[dict[str, Any]]) -> None:
    indices_table(console, rows)


def indices_table(console: Console, rows: list[dict[str, Any]]) -> None:
    table = Table(show_header=True)
    for col in ("index", "aliases", "docs", "mapping"):
        table.add_column(col)
    for r in rows:
        table.add_row(r["index"], ", ".join(r["aliases"]), str(r["docs"]), str(r["mapping_version"]))
    console.print(table if rows else "no indices yet")


def articles_table(console: Console, items: Iterable[Explained]) -> None:
    table = Table(show_header=True)
    for col in ("document", "title", "date", "authors", "lang", "outlet", "words"):
        table.add_column(col)
    for it in items:
        a = it.article
        if a is None:
            table.add_row(escape(it.locator), f"[red]{escape(it.error or '')}[/]", "", "", "", "", "")
            continue
        table.add_row(escape(it.locator), escape(a.title or "—"), a.published_at or "—", escape(", ".join(a.authors)),
                      a.language or "—", escape(a.outlet or "—"), str(a.word_count))
    console.print(table)


def explain(console: Console, items: Iterable[Explained]) -> None:
    for it in items:
        console.rule(escape(it.locator))
        if it.article is None:
            console.print(f"[red]quarantined:[/] {escape(it.error or '')}")
            continue
        a = it.article
        table = Table(show_header=True)
        for col in ("field", "value", "rule", "rejected candidates"):
            table.add_column(col)
        for fld in ("title", "authors", "organizations", "published_at", "updated_at", "url", "canonical_url", "outlet",
                    "outlet_domain", "language"):
            value = getattr(a, fld)
            accepted = [c.rule for c in it.candidates if c.field == fld and c.accepted]
            rule = a.provenance.get(fld) or (accepted[-1] if accepted else _derived_rule(fld, value))
            rejected = [f"{str(c.value)[:60]} ({c.rule}: {c.reason or 'not chosen'})"
                        for c in it.candidates if c.field == fld and not c.accepted]
            shown = "—" if value in (None, "", []) else str(value)
            # Text cells: page values and rule names ("byline:label") are never read as markup or emoji codes.
            table.add_row(Text(fld), Text(shown), Text(rule), Text("\n".join(rejected)))
        console.print(table)


def _derived_rule(field: str, value: object) -> str:
    """Fields computed from others rather than chosen among candidates."""
    if value in (None, "", []):
        return "unknown"
    return {"canonical_url": "url, tracking parameters removed", "outlet_domain": "registered domain of the URL",
            "organizations": "byline organisations"}.get(field, "—")
