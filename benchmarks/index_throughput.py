"""Indexing throughput on the cluster in use (the embedded node by default), extraction excluded.

Articles are extracted once from the project's sample files, then replicated with distinct ids and text.
Prints docs/s for: plain bulk with the default refresh, plain bulk with refresh relaxed (-1) and restored,
and the pipeline's own write path (unchanged check, exact duplicates, stories, per-batch refresh).

    python benchmarks/index_throughput.py --docs 5000
"""

from __future__ import annotations

import argparse
import copy
import sys
import time
import uuid
from pathlib import Path

from elasticsearch import helpers

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
from benchmarks.corpus import drop_corpus  # noqa: E402
from pipelines.batch import DocResult, Options, process_batch  # noqa: E402
from pipelines.index.client import connect  # noqa: E402
from pipelines.index.lifecycle import bulk_load, ensure_index, write_alias  # noqa: E402
from pipelines.index.writer import write_batch  # noqa: E402
from pipelines.settings import get_settings  # noqa: E402
from pipelines.sources.files import discover  # noqa: E402

SAMPLES = Path(__file__).resolve().parents[1] / "tests" / "fixtures" / "articles"


def replicate(articles: list[dict], n: int, tag: str) -> list[dict]:
    out = []
    for i in range(n):
        art = copy.deepcopy(articles[i % len(articles)])
        art["id"], art["content_hash"] = f"{tag}-{i}", f"{tag}-{i}"
        art["text"] += f"\n\nReplica {tag} {i}."
        out.append(art)
    return out


def plain_bulk(client, index: str, docs: list[dict], chunk: int) -> float:
    started = time.perf_counter()
    helpers.bulk(client, ({"_index": index, "_id": d["id"], "_source": d} for d in docs), chunk_size=chunk)
    client.indices.refresh(index=index)
    return len(docs) / (time.perf_counter() - started)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--docs", type=int, default=5000)
    ap.add_argument("--pipeline-docs", type=int, default=1000, help="docs through the full write path")
    ap.add_argument("--chunk", type=int, default=500)
    args = ap.parse_args()

    settings = get_settings()
    client = connect(settings)
    name = f"tput-{uuid.uuid4().hex[:8]}"
    concrete = ensure_index(client, name)
    opts = Options("bench", None, settings.max_file_bytes, 2000, 40)
    articles = [r.article for r in process_batch(list(discover([SAMPLES])), opts, {}, None) if r.article]
    try:
        default = plain_bulk(client, write_alias(name), replicate(articles, args.docs, "a"), args.chunk)
        with bulk_load(client, concrete):
            relaxed = plain_bulk(client, write_alias(name), replicate(articles, args.docs, "b"), args.chunk)
        docs = replicate(articles, args.pipeline_docs, "c")
        started = time.perf_counter()
        for i in range(0, len(docs), settings.batch_size):
            results = [DocResult(d["id"], None, None, article=d) for d in docs[i : i + settings.batch_size]]
            write_batch(client, name, write_alias(name), results, max_bytes=settings.bulk_max_bytes,
                        max_docs=settings.bulk_max_docs, retries=settings.bulk_retries, refresh=True)
        pipeline = len(docs) / (time.perf_counter() - started)
    finally:
        drop_corpus(client, name)
    print(f"cluster {settings.url}  bulk chunk {args.chunk}  batch {settings.batch_size}")
    print(f"{'plain bulk, refresh 1s':44s} {default:8.0f} docs/s  ({args.docs} docs)")
    print(f"{'plain bulk, refresh relaxed then restored':44s} {relaxed:8.0f} docs/s  ({args.docs} docs)")
    print(f"{'pipeline write path (checks, stories)':44s} {pipeline:8.0f} docs/s  ({args.pipeline_docs} docs)")


if __name__ == "__main__":
    main()
