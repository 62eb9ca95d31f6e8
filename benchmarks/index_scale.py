"""Index scale: build an N-document corpus, then time faceted search, reindex and export on it.

Real pages (the project's fixture articles, plus WCXB article pages from ../shared when present) are extracted
once and replicated with distinct ids and spread publication dates, then bulk-loaded straight into a
versioned index behind the aliases (this measures the index, not extraction). It prints:
- p50/p95 latency of a full-text query with every facet and the date histogram (client wall time);
- reindex throughput (docs/s) through `pipelines.index.reindex`, the same code as `newsindex reindex`;
- export throughput and peak RSS of `newsindex export` (a separate process), beside the same command
  exporting nothing, so the memory an export adds is visible.
The corpus has its own name and is deleted afterwards (unless --keep).

    .venv/bin/python benchmarks/index_scale.py --docs 100000
"""

from __future__ import annotations

import argparse
import os
import random
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

from elasticsearch import helpers  # noqa: E402

from pipelines.batch import Options, process_batch  # noqa: E402
from pipelines.index.client import connect  # noqa: E402
from pipelines.index.lifecycle import bulk_load, ensure_index, write_alias  # noqa: E402
from pipelines.index.reindex import reindex  # noqa: E402
from pipelines.index.search import SearchRequest, search  # noqa: E402
from pipelines.settings import get_settings  # noqa: E402
from pipelines.sources.files import discover  # noqa: E402

CORPUS = REPO.parent / "shared" / "corpora" / "wcxb-dev-articles" / "html"
FIXTURES = REPO / "tests" / "fixtures" / "articles"
QUERIES = ["government", "climate OR energy", '"according to"', "market AND price*", "police NOT football",
           "city council", "research", "election", "water", "school OR university"]


def base_articles(pages: int) -> list[dict[str, Any]]:
    paths = [FIXTURES] + (sorted(CORPUS.glob("*.html.gz"))[:pages] if CORPUS.is_dir() else [])
    s = get_settings()
    results = process_batch(list(discover(paths)), Options("bench", "bench", s.max_file_bytes, 2000, 40), {}, None)
    return [r.article for r in results if r.article]


def replicas(base: list[dict[str, Any]], n: int, index: str) -> Iterator[dict[str, Any]]:
    rnd = random.Random(7)
    for i in range(n):
        doc = dict(base[i % len(base)])
        doc["id"] = f"bench-{i}"
        doc["published_at"] = f"{2020 + rnd.randrange(5)}-{rnd.randrange(1, 13):02d}-{rnd.randrange(1, 29):02d}"
        doc["locator"] = f"bench/{i}"
        yield {"_index": index, "_id": doc["id"], "_source": doc}


def build(client, name: str, n: int, pages: int) -> float:
    index = ensure_index(client, name)
    base = base_articles(pages)
    print(f"base: {len(base)} extracted articles, replicated to {n} documents")
    started = time.perf_counter()
    with bulk_load(client, index):
        for ok, item in helpers.streaming_bulk(client, replicas(base, n, write_alias(name)), chunk_size=1000,
                                               max_chunk_bytes=10_000_000, raise_on_error=True):
            assert ok, item
    seconds = time.perf_counter() - started
    client.options(request_timeout=600).indices.forcemerge(index=index, max_num_segments=5)
    return seconds


def latencies(client, name: str, rounds: int) -> tuple[float, float, int]:
    times, total = [], 0
    for q in QUERIES[:3]:  # warm-up
        search(client, name, SearchRequest(query=q))
    for i in range(rounds):
        started = time.perf_counter()
        result = search(client, name, SearchRequest(query=QUERIES[i % len(QUERIES)], size=10, facet_size=10))
        times.append((time.perf_counter() - started) * 1000)
        total += result.total
    q = statistics.quantiles(times, n=100)
    return q[49], q[94], total // rounds


def export_run(name: str, query: str, out: Path) -> tuple[float, float]:
    """Seconds and peak RSS (MiB) of one `newsindex export` process."""
    exe = Path(sys.executable).with_name("newsindex")
    env = {**os.environ, "NEWSINDEX_INDEX": name, "COLUMNS": "120"}
    started = time.perf_counter()
    before = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    subprocess.run([str(exe), "export", query, "--format", "jsonl", "--out", str(out)], env=env, check=True,
                   stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    peak = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    return time.perf_counter() - started, max(peak, before) / 1024


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--docs", type=int, default=100_000)
    ap.add_argument("--pages", type=int, default=120, help="WCXB pages to extract as the base set")
    ap.add_argument("--queries", type=int, default=100)
    ap.add_argument("--name", default=f"bench-scale-{os.getpid()}", help="corpus name (deleted afterwards)")
    ap.add_argument("--keep", action="store_true", help="keep the corpus for inspection")
    args = ap.parse_args()
    os.environ["NEWSINDEX_INDEX"] = args.name
    client = connect(get_settings())
    client = client.options(request_timeout=300)
    try:
        load_s = build(client, args.name, args.docs, args.pages)
        print(f"bulk load: {args.docs} docs in {load_s:.1f} s = {args.docs / load_s:,.0f} docs/s")
        p50, p95, hits = latencies(client, args.name, args.queries)
        print(f"full-text query + 5 facets + date histogram: p50 {p50:.1f} ms, p95 {p95:.1f} ms "
              f"({args.queries} queries, {hits:,} hits on average)")
        report = reindex(client, args.name)
        print(f"reindex (copy): {report.source_docs} docs in {report.seconds:.1f} s = {report.docs_per_second:,.0f} "
              f"docs/s, count {report.source_docs} -> {report.target_docs}")
        with tempfile.TemporaryDirectory() as tmp:
            _, idle_mib = export_run(args.name, "zzzznotaword", Path(tmp) / "none.jsonl")
            seconds, peak_mib = export_run(args.name, "", Path(tmp) / "all.jsonl")
            lines = sum(1 for _ in (Path(tmp) / "all.jsonl").open(encoding="utf-8"))
            size = (Path(tmp) / "all.jsonl").stat().st_size / 2**20
        print(f"export (jsonl, default fields): {lines} docs, {size:.0f} MiB in {seconds:.1f} s = "
              f"{lines / seconds:,.0f} docs/s (whole command incl. start-up); peak RSS {peak_mib:.0f} MiB "
              f"(the same command exporting 0 docs: {idle_mib:.0f} MiB)")
    finally:
        if not args.keep:
            client.indices.delete(index=f"{args.name}-*", ignore_unavailable=True, allow_no_indices=True)
            client.options(ignore_status=404).indices.delete_index_template(name=f"{args.name}-template")


if __name__ == "__main__":
    main()
