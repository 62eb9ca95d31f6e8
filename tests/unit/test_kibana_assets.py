"""config/kibana/*.ndjson: parses, stable ids, internal references resolve, every field exists in the mapping."""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from typing import Any

import pytest

from pipelines.kibana import ASSETS_DIR, DATA_VIEW_TYPE, KibanaError, load_assets, to_ndjson, with_alias
from pipelines.settings import CONFIG_DIR

DATA_VIEW = "newsindex-news"
STABLE_IDS = {  # dashboards and links in the README point at these: never rename them
    ("index-pattern", DATA_VIEW), ("search", "newsindex-articles"), ("search", "newsindex-articles-first-copies"),
    ("lens", "newsindex-coverage-articles-count"), ("lens", "newsindex-coverage-over-time"),
    ("lens", "newsindex-coverage-outlets"), ("lens", "newsindex-coverage-authors"),
    ("lens", "newsindex-coverage-languages"), ("lens", "newsindex-coverage-missing-date"),
    ("lens", "newsindex-coverage-missing-author"), ("dashboard", "newsindex-coverage"),
}
KQL_FIELD = re.compile(r"([A-Za-z_][\w.]*)\s*:")


def _mapping_fields() -> set[str]:
    template = json.loads((CONFIG_DIR / "elasticsearch" / "news-template.json").read_text(encoding="utf-8"))

    def walk(props: dict[str, Any], prefix: str) -> Iterator[str]:
        for name, spec in props.items():
            yield prefix + name
            yield from walk(spec.get("properties", {}), f"{prefix}{name}.")
            yield from (f"{prefix}{name}.{sub}" for sub in spec.get("fields", {}))

    return set(walk(template["template"]["mappings"]["properties"], ""))


@pytest.fixture(scope="module")
def objects() -> list[dict[str, Any]]:
    return load_assets()


def _kql_fields(query: dict[str, Any] | None) -> set[str]:
    return set(KQL_FIELD.findall((query or {}).get("query", "")))


def _referenced_fields(obj: dict[str, Any]) -> set[str]:
    attrs, kind = obj["attributes"], obj["type"]
    fields: set[str] = set()
    if kind == DATA_VIEW_TYPE:
        fields |= {attrs["timeFieldName"], *json.loads(attrs["fieldFormatMap"]), *json.loads(attrs["fieldAttrs"])}
    elif kind == "search":
        source = json.loads(attrs["kibanaSavedObjectMeta"]["searchSourceJSON"])
        fields |= set(attrs["columns"]) | {f for f, _ in attrs["sort"]} | _kql_fields(source["query"])
    elif kind == "lens":
        fields |= _kql_fields(attrs["state"]["query"])
        for layer in attrs["state"]["datasourceStates"]["formBased"]["layers"].values():
            for col in layer["columns"].values():
                if col.get("sourceField") not in (None, "___records___"):
                    fields.add(col["sourceField"])
                for f in col.get("params", {}).get("filters", []):
                    fields |= _kql_fields(f["input"])
    return fields


def test_ndjson_parses_and_ids_are_stable_and_unique(objects) -> None:
    keys = [(o["type"], o["id"]) for o in objects]
    assert len(keys) == len(set(keys))
    assert set(keys) == STABLE_IDS
    for path in ASSETS_DIR.glob("*.ndjson"):
        for line in path.read_text(encoding="utf-8").splitlines():
            assert line.strip() and json.loads(line)  # one object per line, no blank lines


def test_every_referenced_field_exists_in_the_index_mapping(objects) -> None:
    mapping = _mapping_fields()
    referenced = {f: o["id"] for o in objects for f in _referenced_fields(o)}
    assert {"published_at", "outlet.raw", "authors.raw", "language", "authors", "duplicate_of"} <= set(referenced)
    missing = {f: obj_id for f, obj_id in referenced.items() if f not in mapping}
    assert not missing, f"fields not in config/elasticsearch/news-template.json: {missing}"


def test_data_view_is_on_the_read_alias_with_published_at_as_time_field(objects) -> None:
    [view] = [o for o in objects if o["type"] == DATA_VIEW_TYPE]
    assert view["attributes"]["title"] == "news" and view["attributes"]["timeFieldName"] == "published_at"
    [renamed] = [o for o in with_alias(objects, "corpus2") if o["type"] == DATA_VIEW_TYPE]
    assert renamed["attributes"]["title"] == "corpus2" and view["attributes"]["title"] == "news"


def test_references_resolve_within_the_assets(objects) -> None:
    known = {(o["type"], o["id"]) for o in objects}
    for obj in objects:
        for ref in obj["references"]:
            assert (ref["type"], ref["id"]) in known, f"{obj['id']} points at a missing {ref}"
        assert obj["coreMigrationVersion"].startswith("8.") and obj["typeMigrationVersion"]


def test_lens_layers_are_consistent(objects) -> None:
    for lens in (o for o in objects if o["type"] == "lens"):
        state = lens["attributes"]["state"]
        layers = state["datasourceStates"]["formBased"]["layers"]
        ref_names = {r["name"] for r in lens["references"]}
        for layer_id, layer in layers.items():
            assert f"indexpattern-datasource-layer-{layer_id}" in ref_names
            assert sorted(layer["columnOrder"]) == sorted(layer["columns"])
            for col in layer["columns"].values():
                order_by = col.get("params", {}).get("orderBy", {})
                assert order_by.get("type") != "column" or order_by["columnId"] in layer["columns"]
        text = json.dumps(state["visualization"])
        used = set(re.findall(r'"(?:xAccessor|splitAccessor|metricAccessor|columnId)": "([^"]+)"', text))
        used |= {a for layer in state["visualization"].get("layers", [])
                 for key in ("accessors", "primaryGroups", "metrics") for a in layer.get(key, [])}
        columns = {c for layer in layers.values() for c in layer["columns"]}
        assert used and used <= columns, f"{lens['id']}: visualization uses unknown columns {used - columns}"


def test_dashboard_panels_match_references_and_cover_the_coverage_questions(objects) -> None:
    [dash] = [o for o in objects if o["type"] == "dashboard"]
    assert dash["attributes"]["title"] == "Coverage"
    panels = json.loads(dash["attributes"]["panelsJSON"])
    refs = {r["name"]: r for r in dash["references"]}
    for panel in panels:
        ref = refs[f"{panel['panelIndex']}:{panel['panelRefName']}"]
        assert ref["type"] == panel["type"]
    titles = {o["attributes"]["title"] for o in objects for r in refs.values() if (o["type"], o["id"]) ==
              (r["type"], r["id"])}
    assert {"Articles over time by outlet", "Top authors", "Languages", "Outlets",
            "Share of articles missing a date", "Share of articles missing an author"} <= titles


def test_to_ndjson_round_trips_and_bad_files_fail_clearly(objects, tmp_path) -> None:
    lines = to_ndjson(objects).decode().splitlines()
    assert [json.loads(line) for line in lines] == objects
    with pytest.raises(KibanaError, match="no \\*.ndjson"):
        load_assets(tmp_path)
    (tmp_path / "bad.ndjson").write_text('{"type": "search"}\n{not json\n')
    with pytest.raises(KibanaError, match="bad.ndjson line 2"):
        load_assets(tmp_path)
