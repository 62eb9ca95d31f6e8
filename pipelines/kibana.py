"""Kibana saved objects for researchers: load the NDJSON assets in config/kibana and import them.

The import goes through Kibana's saved-objects `_import` API with `overwrite=true`, so running it again
replaces the same objects (stable ids) instead of adding copies. The data view's title is set to the read
alias in use (NEWSINDEX_INDEX), so a corpus under another name gets a working data view too.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import httpx

from pipelines.settings import CONFIG_DIR

ASSETS_DIR = CONFIG_DIR / "kibana"
DATA_VIEW_TYPE = "index-pattern"


class KibanaError(Exception):
    """Kibana could not be reached, refused the request, or rejected some objects; the message says which."""


@dataclass
class ImportResult:
    success_count: int
    objects: list[dict[str, Any]] = field(default_factory=list)  # type, id, title, overwrite


def load_assets(folder: Path = ASSETS_DIR) -> list[dict[str, Any]]:
    """Every saved object in `folder/*.ndjson`, in file order (data views first, dashboards last)."""
    objects: list[dict[str, Any]] = []
    files = sorted(folder.glob("*.ndjson"))
    if not files:
        raise KibanaError(f"no *.ndjson saved objects in {folder}")
    for path in files:
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
            if not line.strip():
                continue
            try:
                objects.append(json.loads(line))
            except ValueError as exc:
                raise KibanaError(f"{path.name} line {number} is not valid JSON: {exc}") from exc
    return objects


def with_alias(objects: list[dict[str, Any]], alias: str) -> list[dict[str, Any]]:
    """The objects with every data view pointed at `alias` (the corpus' read alias)."""
    out = []
    for obj in objects:
        if obj.get("type") == DATA_VIEW_TYPE:
            obj = {**obj, "attributes": {**obj["attributes"], "title": alias}}
        out.append(obj)
    return out


def to_ndjson(objects: list[dict[str, Any]]) -> bytes:
    return "".join(json.dumps(o, ensure_ascii=False, separators=(",", ":")) + "\n" for o in objects).encode()


def import_objects(url: str, objects: list[dict[str, Any]], *, space: str | None = None,
                   username: str | None = None, password: str | None = None, api_key: str | None = None,
                   timeout: float = 60.0, verify: bool | str = True) -> ImportResult:
    """POST the objects to `<url>[/s/<space>]/api/saved_objects/_import?overwrite=true` as one NDJSON file."""
    base = url.rstrip("/") + (f"/s/{space}" if space and space != "default" else "")
    headers = {"kbn-xsrf": "true"}
    if api_key:
        headers["Authorization"] = f"ApiKey {api_key}"
    auth = (username, password or "") if username and not api_key else None
    files = {"file": ("newsindex.ndjson", to_ndjson(objects), "application/ndjson")}
    try:
        resp = httpx.post(f"{base}/api/saved_objects/_import", params={"overwrite": "true"}, headers=headers,
                          files=files, auth=auth, timeout=timeout, verify=verify)
    except httpx.HTTPError as exc:
        raise KibanaError(f"cannot reach Kibana at {url}: {exc} (is it running? `docker compose up -d kibana`)") \
            from exc
    return _parse(url, resp)


def _parse(url: str, resp: httpx.Response) -> ImportResult:
    try:
        body = resp.json()
    except ValueError:
        body = {}
    if resp.status_code in (401, 403):
        raise KibanaError(f"Kibana at {url} refused the import (HTTP {resp.status_code}): give credentials "
                          "(--username/--password or --api-key) of a user allowed to manage saved objects")
    if resp.status_code == 404:
        raise KibanaError(f"{url} has no saved-objects import API (HTTP 404): is this Kibana 8.x, and the space right?")
    if resp.status_code >= 400 or not isinstance(body, dict):
        detail = body.get("message") if isinstance(body, dict) and body.get("message") else resp.text[:300]
        raise KibanaError(f"Kibana at {url} answered HTTP {resp.status_code}: {detail}")
    if not body.get("success", False):
        problems = [f"{e.get('type')}/{e.get('id')} ({e.get('title', '')}): "
                    f"{(e.get('error') or {}).get('type', 'error')}" for e in body.get("errors", [])]
        raise KibanaError(f"Kibana rejected {len(problems)} object(s): " + "; ".join(problems or ["unknown error"]))
    return ImportResult(body.get("successCount", 0), body.get("successResults", []))


def setup(url: str, alias: str, folder: Path = ASSETS_DIR, **kwargs: Any) -> ImportResult:
    """Import the project's assets, pointed at `alias`; idempotent (overwrite, stable ids)."""
    return import_objects(url, with_alias(load_assets(folder), alias), **kwargs)
