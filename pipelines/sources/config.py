"""Named sources from `config/sources.yaml`: what to ingest, from where, on which schedule.

Validated once with pydantic so a typo fails at load time with the source name and field in the message,
not at 6 a.m. inside a scheduled run. Relative folder paths resolve against the project root, so the same
file works on a laptop and in the worker image (which mounts the inbox at `<project>/inbox`).
"""

from __future__ import annotations

import os
from datetime import datetime
from pathlib import Path
from typing import Annotated, Any, Literal
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

import yaml
from cronsim import CronSim, CronSimError
from pydantic import AfterValidator, BaseModel, ConfigDict, Field, ValidationError, model_validator

from pipelines.settings import CONFIG_DIR, ROOT

Kind = Literal["folder", "feed", "sitemap", "urls"]
NAME_PATTERN = r"^[a-z0-9][a-z0-9-]{0,62}$"  # also a valid Prefect deployment name and artifact key


class SourceConfigError(Exception):
    """sources.yaml is missing, unreadable or invalid; the message names the source and the field."""


def _check_cron(value: str) -> str:
    try:
        CronSim(value, datetime(2026, 1, 1))
    except (CronSimError, ValueError) as exc:
        raise ValueError(f"invalid cron expression {value!r}: {exc}") from exc
    return value


def _check_timezone(value: str) -> str:
    try:
        ZoneInfo(value)
    except (ZoneInfoNotFoundError, ValueError) as exc:
        raise ValueError(f"unknown timezone {value!r} (use an IANA name such as Europe/Berlin or UTC)") from exc
    return value


CronExpr = Annotated[str, AfterValidator(_check_cron)]
TimeZone = Annotated[str, AfterValidator(_check_timezone)]


class Source(BaseModel):
    """One named source. `paths` for a folder source; `urls` for feeds, sitemaps and URL lists."""

    model_config = ConfigDict(extra="forbid")

    name: str = Field(pattern=NAME_PATTERN)
    kind: Kind
    description: str = ""
    paths: list[str] = Field(default_factory=list)
    urls: list[str] = Field(default_factory=list)
    schedule: CronExpr | None = None
    timezone: TimeZone = "UTC"
    enabled: bool = True
    tags: list[str] = Field(default_factory=list)
    options: dict[str, Any] = Field(default_factory=dict)


    @model_validator(mode="after")
    def _inputs_match_kind(self) -> Source:
        if self.kind == "folder":
            if not self.paths or self.urls:
                raise ValueError("a folder source needs `paths` (and no `urls`)")
        elif not self.urls or self.paths:
            raise ValueError(f"a {self.kind} source needs `urls` (and no `paths`)")
        bad = [u for u in self.urls if not u.startswith(("http://", "https://"))]
        if bad:
            raise ValueError(f"urls must start with http:// or https://: {', '.join(bad)}")
        return self

    def next_run(self, now: datetime | None = None) -> datetime | None:
        """When the schedule fires next, in the source's timezone (None without a schedule)."""
        if self.schedule is None:
            return None
        tz = ZoneInfo(self.timezone)
        return next(CronSim(self.schedule, (now or datetime.now(tz)).astimezone(tz)))

    def resolved_paths(self, root: Path = ROOT) -> list[str]:
        return [str(p if (p := Path(os.path.expanduser(raw))).is_absolute() else root / p) for raw in self.paths]


class SourcesFile(BaseModel):
    model_config = ConfigDict(extra="forbid")

    timezone: TimeZone = "UTC"
    sources: dict[str, Source]

    @model_validator(mode="before")
    @classmethod
    def _names_and_defaults(cls, data: Any) -> Any:
        """Source names are the mapping keys; a file-level timezone is the default for every source."""
        if isinstance(data, dict) and isinstance(data.get("sources"), dict):
            tz = data.get("timezone", "UTC")
            data = {**data, "sources": {
                name: {"timezone": tz, **(body or {}), "name": name} if isinstance(body, dict | None) else body
                for name, body in data["sources"].items()}}
        return data


def sources_path() -> Path:
    return Path(os.environ.get("NEWSINDEX_SOURCES", CONFIG_DIR / "sources.yaml"))


def parse_sources(text: str, origin: str = "sources.yaml") -> dict[str, Source]:
    try:
        data = yaml.safe_load(text)
    except yaml.YAMLError as exc:
        raise SourceConfigError(f"{origin} is not valid YAML: {exc}") from exc
    if not isinstance(data, dict) or "sources" not in data:
        raise SourceConfigError(f"{origin} must be a mapping with a top-level `sources:` mapping")
    try:
        return SourcesFile.model_validate(data).sources
    except ValidationError as exc:
        problems = "; ".join(f"{'.'.join(str(p) for p in e['loc'])}: {e['msg']}" for e in exc.errors())
        raise SourceConfigError(f"{origin} is invalid: {problems}") from exc


def load_sources(path: Path | None = None) -> dict[str, Source]:
    """All sources in sources.yaml (NEWSINDEX_SOURCES overrides the path), keyed by name, in file order."""
    path = path or sources_path()
    try:
        text = path.read_text(encoding="utf-8")
    except OSError as exc:
        raise SourceConfigError(f"cannot read {path}: {exc.strerror or exc}") from exc
    return parse_sources(text, str(path))


def get_source(name: str, path: Path | None = None) -> Source:
    sources = load_sources(path)
    if name not in sources:
        raise SourceConfigError(f"no source named {name!r} in {path or sources_path()} "
                                f"(known: {', '.join(sources) or 'none'})")
    return sources[name]
