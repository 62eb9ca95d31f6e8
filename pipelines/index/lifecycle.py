"""Versioned indices behind aliases: `<name>` is the read alias, `<name>-write` the write alias.

Concrete indices are `<name>-v<mapping_version>-<UTC timestamp>`, created from the JSON template
in config/elasticsearch/, so a reindex can build a new one beside the live one and swap atomically.
"""

from __future__ import annotations

import copy
import json
from datetime import UTC, datetime
from functools import lru_cache
from typing import Any

from elasticsearch import Elasticsearch, NotFoundError

from pipelines.settings import CONFIG_DIR

TEMPLATE_FILE = CONFIG_DIR / "elasticsearch" / "news-template.json"


@lru_cache(maxsize=1)
def _template_file() -> dict[str, Any]:
    data = json.loads(TEMPLATE_FILE.read_text(encoding="utf-8"))
    data.pop("_comment", None)
    return data


def mapping_version() -> int:
    return int(_template_file()["template"]["mappings"]["_meta"]["mapping_version"])


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


def ensure_index(client: Elasticsearch, name: str) -> str:
    """The concrete index behind the write alias, creating the first version (and its aliases) if none."""
    targets = alias_targets(client, write_alias(name))
    if targets:
        return targets[0]
    ensure_template(client, name)
    index = new_index_name(name)
    client.indices.create(
        index=index,
        aliases={name: {}, write_alias(name): {"is_write_index": True}},
        wait_for_active_shards="1",
    )
    client.cluster.health(index=index, wait_for_status="yellow", timeout="30s")
    return index


def list_indices(client: Elasticsearch, name: str) -> list[dict[str, Any]]:
    """Concrete indices of this corpus with their aliases, document counts and mapping versions."""
    try:
        found = client.indices.get(index=f"{name}-v*")
    except NotFoundError:
        return []
    stats = client.indices.stats(index=f"{name}-v*", metric="docs")["indices"]
    rows = []
    for index, info in sorted(found.items()):
        meta = info.get("mappings", {}).get("_meta", {})
        rows.append(
            {
                "index": index,
                "aliases": sorted(info.get("aliases", {}).keys()),
                "docs": stats.get(index, {}).get("primaries", {}).get("docs", {}).get("count", 0),
                "mapping_version": meta.get("mapping_version"),
            }
        )
    return rows
