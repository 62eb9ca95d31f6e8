"""Fetch throughput against loopback servers: pages/s and MB/s for a per-host limit and a number of hosts.

Each "host" is a server on its own loopback address (127.0.0.1, 127.0.0.2, ...), so per-host politeness
applies as it would to separate sites. Pages are made-up HTML of --page-kb; robots.txt is read once per
host as in real runs; --warc also writes every response to a throwaway WARC store. This measures the
fetcher's own overhead (no network latency): real sites are bounded by their latency and fetch_delay.

    python benchmarks/fetch_throughput.py --hosts 4 --per-host 2 --pages 400
"""

from __future__ import annotations

import argparse
import sys
import tempfile
import time
from contextlib import ExitStack
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
from pipelines.sources.web.fetch import FetchConfig, WebFetcher  # noqa: E402
from pipelines.sources.web.guard import Guard  # noqa: E402
from pipelines.sources.web.warc import WarcArchive  # noqa: E402
from tests.web_server import serve  # noqa: E402


def run(hosts: int, per_host: int, concurrency: int, pages: int, page_kb: int, delay: float, warc: bool,
        latency: float) -> dict[str, float]:
    with ExitStack() as stack:
        servers = [stack.enter_context(serve(f"127.0.0.{i + 1}", bench_bytes=page_kb * 1024)) for i in range(hosts)]
        suffix = f"?sleep={latency}" if latency else ""
        urls = [servers[i % hosts].url(f"/articles/bench-{i}.html{suffix}") for i in range(pages)]
        raw = Path(stack.enter_context(tempfile.TemporaryDirectory())) / "raw"
        config = FetchConfig(per_host=per_host, concurrency=concurrency, delay=delay, retries=0)
        archive = WarcArchive(raw) if warc else None
        with WebFetcher(config, archive, guard=Guard(allow_networks=["127.0.0.0/8"])) as fetcher:
            fetcher.fetch_many([urls[0]])  # warm-up: robots.txt of one host, event loop, imports
            started = time.perf_counter()
            results = fetcher.fetch_many(urls[1:])
            seconds = time.perf_counter() - started
        ok = [r for r in results if r.ok]
        peak = max(s.max_in_flight for s in servers)
    mb = sum(len(r.body) for r in ok) / 1e6
    return {"pages": len(ok), "failed": len(results) - len(ok), "seconds": seconds, "pages_s": len(ok) / seconds,
            "mb_s": mb / seconds, "peak_per_host": peak}


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--hosts", type=int, nargs="+", default=[1, 4])
    ap.add_argument("--per-host", type=int, nargs="+", default=[1, 2, 4])
    ap.add_argument("--concurrency", type=int, default=16)
    ap.add_argument("--pages", type=int, default=400)
    ap.add_argument("--page-kb", type=int, default=30)
    ap.add_argument("--delay", type=float, default=0.0, help="per-host delay (fetch_delay)")
    ap.add_argument("--latency", type=float, default=0.0, help="seconds each response takes on the server")
    ap.add_argument("--warc", action="store_true", help="archive every response (as ingest does)")
    args = ap.parse_args()
    print(f"{'hosts':>5} {'per-host':>8} {'pages':>6} {'failed':>6} {'seconds':>8} {'pages/s':>8} {'MB/s':>7} "
          f"{'peak in flight/host':>19}")
    for hosts in args.hosts:
        for per_host in args.per_host:
            r = run(hosts, per_host, args.concurrency, args.pages, args.page_kb, args.delay, args.warc, args.latency)
            print(f"{hosts:>5} {per_host:>8} {r['pages']:>6} {r['failed']:>6} {r['seconds']:>8.2f} "
                  f"{r['pages_s']:>8.1f} {r['mb_s']:>7.2f} {r['peak_per_host']:>19}")


if __name__ == "__main__":
    main()
