"""CLI for stories across outlets: `newsindex stories ["QUERY"] [filters]` and `--rebuild`."""

from __future__ import annotations

import json
import sys
from dataclasses import asdict
from typing import Annotated

import typer

from flows import render_stories as render
from flows.commands import Languages, Many, Since, Stories, Until, client_or_exit, corpus_or_exit, out
from pipelines.settings import get_settings


def stories(
    query: Annotated[str, typer.Argument(help="Lucene syntax, as in `newsindex search`")] = "",
    outlet: Many = None,
    author: Many = None,
    language: Languages = None,
    source: Many = None,
    story: Stories = None,
    since: Since = None,
    until: Until = None,
    size: Annotated[int, typer.Option(min=1, max=1000, help="stories listed")] = 20,
    min_size: Annotated[int, typer.Option(min=1, help="articles a story needs to be listed")] = 2,
    as_json: Annotated[bool, typer.Option("--json", help="machine-readable output")] = False,
    rebuild: Annotated[bool, typer.Option(help="recluster the whole corpus (after a threshold change)")] = False,
) -> None:
    """Stories among the matching articles: size, outlets, first and last publication, earliest version."""
    from pipelines.index.search import SearchRequest
    from pipelines.stories import rebuild as rebuild_stories
    from pipelines.stories.listing import list_stories

    settings = get_settings()
    client = client_or_exit()
    name = corpus_or_exit(client)
    if rebuild:
        with out.status("reclustering…") as status:
            stats = rebuild_stories(client, name, settings, progress=lambda n: status.update(f"reclustering… {n}"))
        render.rebuilt(out, stats)
    req = SearchRequest(query=query, outlets=outlet or [], authors=author or [], languages=language or [],
                        sources=source or [], stories=story or [], since=since, until=until)
    result = list_stories(client, name, req, size=size, min_size=min_size)
    if as_json:
        sys.stdout.write(json.dumps(asdict(result), ensure_ascii=False, indent=2) + "\n")
    else:
        render.stories(out, query, result, min_size)


def register(app: typer.Typer) -> None:
    app.command("stories")(stories)
