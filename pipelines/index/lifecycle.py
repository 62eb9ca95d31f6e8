"""Versioned indices behind aliases: `<name>` is the read alias, `<name>-write` the write alias.

Concrete indices are `<name>-v<mapping_version>-<UTC timestamp>`, created from the JSON template
in config/elasticsearch/, so a reindex can build a new one beside the live one and swap atomically.
"""

from __future__ import annotations

import copy
import json
from collections.abc import Iterator
from contextlib import contextmanager, suppress
from dataclasses import dataclass
from datetime import UTC, datetime
from functools import lru_cache
from typing import Any

from elasticsearch import Elasticsearch, NotFoundError
from elasticsearch import exceptions as es_exc

from pipelines.settings import CONFIG_DIR, get_settings

TEMPLATE_FILE = CONFIG_DIR / "elasticsearch" / "news-template.json"


@lru_cache(maxsize=1)
def _template_file() -> dict[str, Any]:
    data = json.loads(TEMPLATE_FILE.read_text(encoding="utf-8"))
    data.pop("_comment", None)
    return data


def mapping_version() -> int:
    return int(_template_file()["template"]["mappings"]["_meta"]["mapping_version"])


def mapping_properties() -> dict[str, Any]:
    """Top-level fields of the mapping, in the template's order."""
    return copy.deepcopy(_template_file()["template"]["mappings"]["properties"])


def template_body(name: str) -> dict[str, Any]:
    body = copy.deepcopy(_template_file())
    body["index_patterns"] = [f"{name}-v*"]
    return body


def write_alias(name: str) -> str:
    return f"{name}-write"


def ensure_template(client: Elasticsearch, name: str) -> None:
    client.indices.put_index_template(name=f"{name}-template", **template_body(name))


def new_index_name(name: str, now: datetime | None = None) -> str:
    stamp = (now or datetime.now(UTC)).strftime("%Y%m%dt%H%M%S%f")[:-3]
    return f"{name}-v{mapping_version()}-{stamp}"


def alias_targets(client: Elasticsearch, alias: str) -> list[str]:
    try:
        return sorted(client.indices.get_alias(name=alias).keys())
    except NotFoundError:
        return []


def replica_settings() -> dict[str, Any]:
    """Replicas from settings (NEWSINDEX_REPLICAS), not the template: 0 suits one node, 1 a real cluster."""
    return {"number_of_replicas": get_settings().replicas}


def ensure_index(client: Elasticsearch, name: str) -> str:
    """The concrete index behind the write alias, creating the first version (and its aliases) if none."""
    targets = alias_targets(client, write_alias(name))
    if targets:
        add_new_fields(client, targets[0])
        return targets[0]
    ensure_template(client, name)
    index = new_index_name(name)
    client.indices.create(
        index=index,
        settings={"index": replica_settings()},
        aliases={name: {}, write_alias(name): {"is_write_index": True}},
        wait_for_active_shards="1",
    )
    client.cluster.health(index=index, wait_for_status="yellow", timeout="30s")
    return index


def add_new_fields(client: Elasticsearch, index: str, properties: dict[str, Any] | None = None) -> list[str]:
    """Fields the mapping (the article template's by default) gained since `index` was made, added to it.

    A mapping may grow, never change: documents written by this version then fit an index made by an older
    one; `newsindex reindex` still brings the rest of the article mapping up to date.
    """
    have = client.indices.get_mapping(index=index)[index]["mappings"].get("properties", {})
    missing = _missing(properties or mapping_properties(), have)
    if missing:
        client.indices.put_mapping(index=index, properties=missing)
    return sorted(_dotted(missing))


def _missing(want: dict[str, Any], have: dict[str, Any]) -> dict[str, Any]:
    """The fields of `want` that `have` lacks, inside objects too (provenance.updated_at in an older index)."""
    out: dict[str, Any] = {}
    for name, spec in want.items():
        if name not in have:
            out[name] = spec
        elif "properties" in spec and (inner := _missing(spec["properties"], have[name].get("properties", {}))):
            out[name] = {**spec, "properties": inner}
    return out


def _dotted(fields: dict[str, Any], prefix: str = "") -> list[str]:
    """Names of the leaves in a mapping fragment: "updated_at", "provenance.updated_at"."""
    return [leaf for name, spec in fields.items()
            for leaf in (_dotted(spec["properties"], f"{prefix}{name}.") if "properties" in spec
                         else [f"{prefix}{name}"])]


def index_created(client: Elasticsearch, index: str) -> int:
    """Creation time of a concrete index in epoch milliseconds (names sort by version first, not by age)."""
    settings = client.indices.get_settings(index=index, name="index.creation_date")
    return int(settings[index]["settings"]["index"]["creation_date"])


def corpus_indices(client: Elasticsearch, name: str) -> list[str]:
    """The concrete indices of a corpus, oldest first."""
    try:
        settings = client.indices.get_settings(index=f"{name}-v*", name="index.creation_date")
    except NotFoundError:
        return []
    return sorted(settings, key=lambda i: int(settings[i]["settings"]["index"]["creation_date"]))


def create_index(client: Elasticsearch, name: str, *, bulk_load: bool = False) -> str:
    """A new concrete index from today's template, behind no alias yet (a reindex target).

    bulk_load turns refresh off while it is filled; `finish_bulk_load` puts the template's value back.
    """
    ensure_template(client, name)
    index = new_index_name(name)
    settings = {"index": {**replica_settings(), **({"refresh_interval": "-1"} if bulk_load else {})}}
    client.indices.create(index=index, settings=settings, wait_for_active_shards="1")
    client.cluster.health(index=index, wait_for_status="yellow", timeout="30s")
    return index


@contextmanager
def bulk_load(client: Elasticsearch, index: str) -> Iterator[None]:
    """Refresh off while a large load writes into an existing index (explicit refreshes still work).

    At the end the template's interval comes back; if the cluster is gone by then, the run fails on its own
    error and the next load puts the interval back."""
    client.indices.put_settings(index=index, settings={"index": {"refresh_interval": "-1"}})
    try:
        yield
    finally:
        with suppress(es_exc.ConnectionError):
            finish_bulk_load(client, index)


def finish_bulk_load(client: Elasticsearch, index: str) -> None:
    refresh = _template_file()["template"]["settings"]["index"].get("refresh_interval", "1s")
    client.indices.put_settings(index=index, settings={"index": {"refresh_interval": refresh}})
    client.indices.refresh(index=index)


def _alias_actions(client: Elasticsearch, alias: str, index: str, **add: Any) -> list[dict[str, Any]]:
    actions: list[dict[str, Any]] = [{"remove": {"index": old, "alias": alias}}
                                     for old in alias_targets(client, alias) if old != index]
    return actions + [{"add": {"index": index, "alias": alias, **add}}]


def point_aliases(client: Elasticsearch, name: str, index: str) -> None:
    """Read and write alias onto `index`, off every other index, in one atomic `_aliases` call."""
    actions = _alias_actions(client, name, index) + _alias_actions(
        client, write_alias(name), index, is_write_index=True)
    client.indices.update_aliases(actions=actions)


def move_write_alias(client: Elasticsearch, name: str, index: str) -> None:
    """Only the write alias onto `index` (one call): new documents land there while reads stay put."""
    client.indices.update_aliases(actions=_alias_actions(client, write_alias(name), index, is_write_index=True))


REINDEX_RUN_PREFIX = "reindex-"  # run_id of documents a `reindex --re-extract` wrote


class LifecycleError(Exception):
    """An alias operation that cannot be done as asked; the message says what to do instead."""


@dataclass
class Swap:
    """An alias swap: where the aliases were, where they are now, and what only the old target holds."""

    previous: str
    current: str
    only_in_previous: int = 0  # documents ingested into `previous` after `current` was built


def live_index(client: Elasticsearch, name: str) -> str:
    targets = alias_targets(client, name)
    if len(targets) != 1:
        raise LifecycleError(f"the alias '{name}' points to {len(targets)} indices ({', '.join(targets) or 'none'})"
                             "; nothing to do")
    return targets[0]


def rollback(client: Elasticsearch, name: str, to: str | None = None) -> Swap:
    """Point both aliases back at the index built before the live one (or at `to`), in one call.

    Documents ingested into the live index after it was built are not in the older one; their count is
    reported so that a rerun of the ingest can bring them back.
    """
    live = live_index(client, name)
    indices = corpus_indices(client, name)
    if to is None:
        older = indices[: indices.index(live)] if live in indices else []
        if not older:
            raise LifecycleError(f"{live} is the oldest index of '{name}': there is nothing to roll back to")
        to = older[-1]
    elif to not in indices:
        raise LifecycleError(f"{to} is not an index of '{name}' (see `newsindex index list`)")
    if to == live:
        raise LifecycleError(f"the aliases already point to {to}")
    since = index_created(client, live)
    newer = client.count(index=live, query={"bool": {
        "filter": [{"range": {"ingested_at": {"gte": since, "format": "epoch_millis"}}}],
        "must_not": [{"prefix": {"run_id": REINDEX_RUN_PREFIX}}]}})  # re-extracted copies are not new documents
    point_aliases(client, name, to)
    return Swap(previous=live, current=to, only_in_previous=int(newer["count"]))


def prune(client: Elasticsearch, name: str, keep: int) -> list[str]:
    """Delete all but the `keep` newest indices; an index behind an alias is never deleted."""
    if keep < 1:
        raise LifecycleError("--keep must be at least 1")
    aliased = set(alias_targets(client, name)) | set(alias_targets(client, write_alias(name)))
    indices = corpus_indices(client, name)
    doomed = [i for i in indices[: max(0, len(indices) - keep)] if i not in aliased]
    if doomed:
        client.indices.delete(index=",".join(doomed))
    return doomed


def list_indices(client: Elasticsearch, name: str) -> list[dict[str, Any]]:
    """Concrete indices of this corpus, oldest first, with aliases, document counts and mapping versions."""
    try:
        found = client.indices.get(index=f"{name}-v*")
    except NotFoundError:
        return []
    stats = client.indices.stats(index=f"{name}-v*", metric="docs")["indices"]
    rows = []
    for index, info in found.items():
        meta = info.get("mappings", {}).get("_meta", {})
        created = int(info.get("settings", {}).get("index", {}).get("creation_date", 0))
        rows.append(
            {
                "index": index,
                "aliases": sorted(info.get("aliases", {}).keys()),
                "docs": stats.get(index, {}).get("primaries", {}).get("docs", {}).get("count", 0),
                "mapping_version": meta.get("mapping_version"),
                "created": datetime.fromtimestamp(created / 1000, UTC).isoformat(timespec="seconds"),
            }
        )
    return sorted(rows, key=lambda r: (r["created"], r["index"]))
