"""Rich output for `newsindex stories`: one row per story, then a summary table."""

from __future__ import annotations

from typing import TYPE_CHECKING

from rich.console import Console
from rich.markup import escape
from rich.table import Table

if TYPE_CHECKING:  # importing pipelines.stories loads datasketch and scipy: only when stories are used
    from pipelines.stories import StoryStats
    from pipelines.stories.listing import StoryList


def stories(console: Console, query: str, result: StoryList, min_size: int) -> None:
    table = Table(show_header=True, title=f"stories of {min_size}+ articles matching {query!r}" if query
                  else f"stories of {min_size}+ articles")
    for col in ("story", "size", "outlets", "first", "last", "earliest version"):
        table.add_column(col, justify="right" if col == "size" else "left")
    for s in result.listed:
        named = sum(n for _, n in s.outlets)
        outlets = ", ".join(f"{escape(o)} ({n})" for o, n in s.outlets)
        if s.size > named:
            outlets += f"{', ' if outlets else ''}unknown ({s.size - named})"
        e = s.earliest
        title, outlet = escape(e.get("title") or "(untitled)"), escape(e.get("outlet") or "?")
        date = (e.get("published_at") or "undated")[:10]
        earliest = f"{title}\n[dim]{outlet} · {date} · {e.get('id', '')}[/]"
        table.add_row(s.story_id[:12], str(s.size), outlets, s.first or "undated", s.last or "undated", earliest)
    console.print(table if result.listed else "no story of that size among the matching articles")
    summary = Table(show_header=True)
    summary.add_column("measure")
    summary.add_column("value", justify="right")
    summary.add_row("matching articles", str(result.matched))
    summary.add_row("distinct stories", str(result.stories))
    summary.add_row(f"stories listed ({min_size}+ articles)", str(len(result.listed)))
    summary.add_row("articles in listed stories", str(sum(s.size for s in result.listed)))
    console.print(summary)


def rebuilt(console: Console, stats: StoryStats) -> None:
    table = Table(title="stories rebuilt", show_header=True)
    table.add_column("measure")
    table.add_column("value", justify="right")
    table.add_row("articles", str(stats.articles))
    table.add_row("joined a story", str(stats.joined))
    table.add_row("seconds", f"{stats.seconds:.1f}")
    console.print(table)
