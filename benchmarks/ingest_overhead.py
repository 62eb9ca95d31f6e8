"""Ingest overhead: `newsindex ingest` (files -> searchable documents) against a bare trafilatura loop.

Same pages, same number of processes, one command. Prints the ratio (target <= 1.15), the rerun ratio
(target <= 0.05 of the first run), the peak RSS of the ingest process tree, and where the CPU went:
CPU seconds of each side's processes (from rusage, so other load on the machine does not count) and of
the Elasticsearch node (from its process stats), per page.

The node is warmed first by an ingest into a throwaway index: a node just started spends several times
more CPU a page on its first thousands of pages (its JIT compiling the hot paths) than a long-running one,
which made the node's share swing from 9 to 20 ms a page between runs. `--warmup-pages 0` measures cold.

    python benchmarks/ingest_overhead.py --pages 5000
"""

from __future__ import annotations

import argparse
import gzip
import json
import os
import resource
import subprocess
import sys
import tempfile
import threading
import time
import uuid
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
from benchmarks.corpus import drop_corpus, write_corpus  # noqa: E402
from flows.prefect_server import running_api_url  # noqa: E402

ROOT = Path(__file__).resolve().parents[1]


def _bare(path: str, with_metadata: bool) -> int:
    import trafilatura

    with open(path, "rb") as fh:
        html = gzip.decompress(fh.read())
    url = json.loads(Path(path + ".meta.json").read_text())["url"]
    doc = trafilatura.bare_extraction(html, url=url, with_metadata=with_metadata)
    return len(doc.text or "") if doc is not None else 0


def children_cpu() -> float:
    """CPU seconds of every child process this one has waited for (pool workers, ingest runs)."""
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def node_cpu(client: Any = None) -> float | None:
    """CPU seconds the cluster's nodes have used so far (None when their stats are not readable)."""
    from pipelines.index.client import make_client
    from pipelines.settings import get_settings

    try:
        nodes = (client or make_client(get_settings())).nodes.stats(metric="process")["nodes"]
        return sum(n["process"]["cpu"]["total_in_millis"] for n in nodes.values()) / 1000
    except Exception:
        return None


def bare_loop(files: list[str], workers: int, with_metadata: bool) -> tuple[float, float]:
    """Wall and CPU seconds of the bare loop."""
    started, cpu = time.perf_counter(), children_cpu()
    with ProcessPoolExecutor(max_workers=workers) as pool:
        list(pool.map(_bare, files, [with_metadata] * len(files), chunksize=8))
    return time.perf_counter() - started, children_cpu() - cpu


def _tree_rss_kb(pid: int) -> int:
    """RSS of a process and all its descendants, from /proc."""
    total, todo = 0, [pid]
    children: dict[int, list[int]] = {}
    for entry in os.listdir("/proc"):
        if entry.isdigit():
            try:
                with open(f"/proc/{entry}/stat") as fh:
                    ppid = int(fh.read().rsplit(")", 1)[1].split()[1])
                children.setdefault(ppid, []).append(int(entry))
            except (OSError, IndexError, ValueError):
                continue
    while todo:
        p = todo.pop()
        todo += children.get(p, [])
        try:
            with open(f"/proc/{p}/status") as fh:
                total += next((int(line.split()[1]) for line in fh if line.startswith("VmRSS:")), 0)
        except OSError:
            continue
    return total


@dataclass
class IngestRun:
    seconds: float
    peak_kib: int
    output: str
    cpu: float  # the ingest process and its workers
    node_cpu: float | None  # the Elasticsearch node, meanwhile


def run_ingest(folder: Path, env: dict[str, str]) -> IngestRun:
    """Wall seconds, peak tree RSS, CPU and output of one `newsindex ingest`."""
    cpu, node = children_cpu(), node_cpu()
    started = time.perf_counter()
    proc = subprocess.Popen([sys.executable, "-m", "flows.cli", "ingest", str(folder), "--source", "bench"],
                            cwd=ROOT, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    peak = 0

    def sample() -> None:
        nonlocal peak
        while proc.poll() is None:
            peak = max(peak, _tree_rss_kb(proc.pid))
            time.sleep(0.25)

    sampler = threading.Thread(target=sample, daemon=True)
    sampler.start()
    out, _ = proc.communicate()
    sampler.join()
    if proc.returncode != 0:
        raise SystemExit(f"ingest failed ({proc.returncode}):\n{out}")
    seconds = time.perf_counter() - started
    node_after = node_cpu()
    node_used = node_after - node if node is not None and node_after is not None else None
    return IngestRun(seconds, peak, out, children_cpu() - cpu, node_used)


def delete_corpus(name: str) -> None:
    from pipelines.index.client import make_client
    from pipelines.settings import get_settings

    drop_corpus(make_client(get_settings()), name)


def warm_node(folder: Path, env: dict[str, str]) -> None:
    """One ingest into a throwaway corpus, so the measured runs meet a node as warm as a long-running one."""
    name = f"warmup-{uuid.uuid4().hex[:8]}"
    run = run_ingest(folder, {**env, "NEWSINDEX_INDEX": name})
    delete_corpus(name)
    pages = len(list(folder.glob("*.html.gz")))
    node = f", node {1000 * run.node_cpu / pages:.1f} ms CPU a page" if run.node_cpu else ""
    print(f"node warm-up: {folder.name} into a throwaway index in {run.seconds:.1f} s{node}")


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--pages", type=int, default=5000)
    ap.add_argument("--workers", type=int, default=os.cpu_count() or 2)
    ap.add_argument("--corpus-dir", type=Path, default=Path(tempfile.gettempdir()) / "newsindex-bench")
    ap.add_argument("--keep-index", action="store_true")
    ap.add_argument("--warmup-pages", type=int, default=1000, help="pages ingested into a throwaway index first")
    args = ap.parse_args()

    folder = write_corpus(args.corpus_dir / f"pages-{args.pages}", args.pages)
    files = sorted(str(p) for p in folder.glob("*.html.gz"))
    name = f"bench-{uuid.uuid4().hex[:8]}"
    env = {**os.environ, "NEWSINDEX_INDEX": name, "NEWSINDEX_WORKERS": str(args.workers), "COLUMNS": "120",
           "NEWSINDEX_CACHE_DIR": str(args.corpus_dir / "cache")}
    api = running_api_url()  # looked up before the cache folder changes: the server's state lives in ours
    if api:
        env["PREFECT_API_URL"] = api
    else:
        print("no local Prefect server running: each ingest pays for an ephemeral one (newsindex prefect up)")

    if args.warmup_pages:
        warm_node(write_corpus(args.corpus_dir / f"pages-{args.warmup_pages}", args.warmup_pages), env)
    bare_plain, bare_cpu = bare_loop(files, args.workers, with_metadata=False)
    bare_meta, _ = bare_loop(files, args.workers, with_metadata=True)
    run1 = run_ingest(folder, env)
    run2 = run_ingest(folder, env)
    first, second, out_first, out_second = run1.seconds, run2.seconds, run1.output, run2.output
    if not args.keep_index:
        delete_corpus(name)

    print(out_first.strip().splitlines()[-14:] and "\n".join(out_first.strip().splitlines()[-14:]))
    print(f"\npages {len(files)}  processes {args.workers}")
    print(f"{'bare trafilatura (no metadata)':40s} {bare_plain:8.1f} s")
    print(f"{'bare trafilatura (with_metadata=True)':40s} {bare_meta:8.1f} s")
    print(f"{'newsindex ingest, first run':40s} {first:8.1f} s   ratio {first / bare_plain:.2f} x (no metadata) "
          f"/ {first / bare_meta:.2f} x (with metadata)   target <= 1.15")
    print(f"{'newsindex ingest, rerun (unchanged)':40s} {second:8.1f} s   {100 * second / first:.1f} % of first "
          "  target <= 5 %")
    print(f"{'peak RSS of the ingest process tree':40s} {run1.peak_kib / 1024:8.0f} MiB")
    per_page = 1000 / len(files)
    print("\nCPU per page (ms): where the time goes")
    print(f"{'bare trafilatura (no metadata)':40s} {bare_cpu * per_page:8.1f}")
    print(f"{'newsindex ingest: flow + extraction':40s} {run1.cpu * per_page:8.1f}")
    if run1.node_cpu is not None:
        print(f"{'newsindex ingest: Elasticsearch node':40s} {run1.node_cpu * per_page:8.1f}")
        total = run1.cpu + run1.node_cpu
        print(f"{'newsindex ingest: total':40s} {total * per_page:8.1f}   ratio {total / bare_cpu:.2f} x")
    print("rerun summary:", " ".join(line.strip() for line in out_second.splitlines() if "unchanged" in line))


if __name__ == "__main__":
    main()
