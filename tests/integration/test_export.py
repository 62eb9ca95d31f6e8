"""Export streams every hit as CSV or JSONL through a point in time, across many pages."""

from __future__ import annotations

import csv
import io
import json

import pytest

from pipelines.index.export import DEFAULT_FIELDS, cell, check_fields, export
from pipelines.index.search import SearchRequest, search
from tests.integration.test_index_and_search import ARTICLES, load

pytestmark = pytest.mark.integration


def test_jsonl_export_streams_every_hit_across_pages(client, index_name: str) -> None:
    load(client, index_name, [ARTICLES])
    n = client.count(index=index_name)["count"]
    buf, calls = io.StringIO(), []
    stats = export(client, index_name, SearchRequest(), buf, page_size=2, progress=lambda d, t: calls.append((d, t)))
    records = [json.loads(line) for line in buf.getvalue().splitlines()]
    assert stats.total == stats.written == len(records) == n
    assert len({r["id"] for r in records}) == n  # no hit repeated or skipped across the pages
    assert all(list(r) == list(DEFAULT_FIELDS) for r in records)
    assert calls[-1] == (n, n) and len(calls) > 2


def test_csv_export_of_a_query_with_chosen_fields(client, index_name: str) -> None:
    load(client, index_name, [ARTICLES])
    req = SearchRequest(query="ferry OR Strompreis")
    buf = io.StringIO()
    stats = export(client, index_name, req, buf, fmt="csv", fields=["id", "title", "authors", "provenance"])
    rows = list(csv.DictReader(io.StringIO(buf.getvalue())))
    assert stats.written == len(rows) == search(client, index_name, req).total == 2
    ferry = next(r for r in rows if "Ferry" in r["title"])
    assert ferry["authors"] == "Dana Whitfield; Marco Ruiz"
    assert json.loads(ferry["provenance"])["authors"] == "line:By"


def test_a_query_that_does_not_parse_exports_like_search_finds(client, index_name: str) -> None:
    load(client, index_name, [ARTICLES])
    req = SearchRequest(query='"harbour ferry')  # unbalanced quote: the lenient fallback
    buf = io.StringIO()
    assert export(client, index_name, req, buf).written == search(client, index_name, req).total >= 1


def test_unknown_fields_and_cells() -> None:
    with pytest.raises(ValueError, match="unknown field"):
        check_fields(["title", "nope"])
    assert check_fields(None) == list(DEFAULT_FIELDS)
    assert (cell(None), cell(["a", "b"]), cell({"b": 1, "a": 2}), cell(3)) == ("", "a; b", '{"a": 2, "b": 1}', "3")
