"""Node CPU per article for the index mapping against the version-1 mapping (five language multi-fields).

The same real articles (extracted once from the development corpus in ../shared) are bulk loaded into an
index with each mapping, refresh off; the node's own process stats give its CPU time for each load.

    python benchmarks/analysis_cost.py --docs 1500
"""

from __future__ import annotations

import argparse
import copy
import sys
import time
import uuid
from pathlib import Path
from typing import Any

from elasticsearch import Elasticsearch, helpers

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
from benchmarks.corpus import replicas, source_pages  # noqa: E402
from benchmarks.ingest_overhead import node_cpu  # noqa: E402
from pipelines.batch import Options, process_document  # noqa: E402
from pipelines.index.client import make_client  # noqa: E402
from pipelines.index.language_fields import with_language_fields  # noqa: E402
from pipelines.index.lifecycle import template_body  # noqa: E402
from pipelines.models import RawDocument  # noqa: E402
from pipelines.settings import get_settings  # noqa: E402

V1_LANGUAGES = ("german", "french", "spanish", "russian")


def articles(pages: int) -> list[dict[str, Any]]:
    opts = Options("bench", None, 50_000_000, 1000, 40)
    out = []
    for name, html, url in replicas(source_pages()[:pages], pages):
        result = process_document(RawDocument("bench", name, html, name, meta={"url": url}), opts, {})
        if result.article:
            out.append(result.article)
    return out


def version_1(template: dict[str, Any]) -> dict[str, Any]:
    """Today's template as version 1 had it: every language a multi-field of title and text."""
    old = copy.deepcopy(template)
    props = old["mappings"]["properties"]
    for field in ("title", "text"):
        for lang in V1_LANGUAGES:
            props[field]["fields"][lang] = {"type": "text", "analyzer": lang}
    for name in [k for k in props if k.startswith(("title_", "text_"))]:
        del props[name]
    return old


def load(client: Elasticsearch, template: dict[str, Any], docs: list[dict[str, Any]], count: int,
         per_language: bool) -> tuple[float, float]:
    """(wall seconds, node CPU seconds) to bulk load `count` copies into a fresh index of `template`."""
    index = f"bench-analysis-{uuid.uuid4().hex[:8]}"
    settings = {**template["settings"], "index": {**template["settings"].get("index", {}), "refresh_interval": "-1"}}
    client.indices.create(index=index, settings=settings, mappings=template["mappings"])
    try:
        def actions():
            for i in range(count):
                doc = {**docs[i % len(docs)], "id": str(i), "story_id": None}
                yield {"_index": index, "_id": str(i), "_source": with_language_fields(doc) if per_language else doc}

        cpu, started = node_cpu(client), time.perf_counter()
        helpers.bulk(client, actions(), chunk_size=200, max_chunk_bytes=8_000_000)
        client.indices.refresh(index=index)
        return time.perf_counter() - started, node_cpu(client) - cpu
    finally:
        client.indices.delete(index=index)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--docs", type=int, default=1500)
    ap.add_argument("--pages", type=int, default=300, help="distinct corpus pages to extract")
    args = ap.parse_args()
    client = make_client(get_settings())
    docs = articles(args.pages)
    current = template_body("bench")["template"]
    runs = [("version 1 (five language multi-fields)", version_1(current), False),
            ("current (standard + English, own language)", current, True)]
    print(f"{args.docs} copies of {len(docs)} real articles")
    base = None
    for label, template, per_language in runs:
        wall, cpu = load(client, template, docs, args.docs, per_language)
        base = base or cpu
        print(f"{label:45s} {args.docs / wall:7.0f} docs/s   node CPU {1000 * cpu / args.docs:5.2f} ms/doc"
              f"   ({cpu / base:.2f} x)")


if __name__ == "__main__":
    main()
