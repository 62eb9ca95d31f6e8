"""Web inputs of `newsindex ingest`: tell URLs from paths and read --urls-file (the command lives in flows/cli.py)."""

from __future__ import annotations

import re
from pathlib import Path

import typer

from pipelines.sources.files import InputError

_SCHEME = re.compile(r"^([a-zA-Z][a-zA-Z0-9+.-]*)://")


def split_inputs(args: list[str]) -> tuple[list[str], list[str]]:
    """(paths, urls): anything written `scheme://...` is a URL, and only http and https are accepted."""
    paths, urls = [], []
    for arg in args:
        m = _SCHEME.match(arg)
        if not m:
            paths.append(arg)
        elif m.group(1).lower() in ("http", "https"):
            urls.append(arg)
        else:
            raise InputError(f"only http and https URLs are fetched, not {m.group(1)}: {arg}")
    return paths, urls


def read_urls_file(path: Path | None) -> list[str]:
    """One URL a line; blank lines and `#` comments are ignored."""
    if path is None:
        return []
    try:
        lines = path.read_text(encoding="utf-8").splitlines()
    except OSError as exc:
        raise InputError(f"cannot read --urls-file {path}: {exc.strerror or exc}") from exc
    urls = [line.strip() for line in lines if line.strip() and not line.lstrip().startswith("#")]
    paths, good = split_inputs(urls)
    if paths:
        raise InputError(f"--urls-file {path} holds lines that are not URLs, such as {paths[0]!r}")
    return good


def register(app: typer.Typer) -> None:
    """Nothing to add: URLs, --urls-file, --feed and --sitemap are options of `newsindex ingest`."""
