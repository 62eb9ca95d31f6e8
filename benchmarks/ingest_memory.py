"""Memory of an ingest as the corpus grows: peak RSS of the whole process tree (CLI, workers) for a small and a
large corpus of replicated real pages. Streaming discovery, batches and small task results keep it flat.
Target: the large run's peak within 20 % of the small run's (the issue asks 50,000 against 5,000 pages).

    python benchmarks/ingest_memory.py --small 5000 --large 50000
"""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
import uuid
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
from benchmarks.corpus import write_corpus  # noqa: E402
from benchmarks.ingest_overhead import delete_corpus, run_ingest  # noqa: E402
from flows.prefect_server import running_api_url  # noqa: E402


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--small", type=int, default=1000)
    ap.add_argument("--large", type=int, default=5000)
    ap.add_argument("--corpus-dir", type=Path, default=Path(tempfile.gettempdir()) / "newsindex-bench")
    args = ap.parse_args()

    api = running_api_url()
    rows = []
    for pages in (args.small, args.large):
        folder = write_corpus(args.corpus_dir / f"pages-{pages}", pages)
        name = f"mem-{uuid.uuid4().hex[:8]}"
        env = {**os.environ, "NEWSINDEX_INDEX": name, "NEWSINDEX_CACHE_DIR": str(args.corpus_dir / "cache")}
        if api:
            env["PREFECT_API_URL"] = api
        run = run_ingest(folder, env)
        rows.append((pages, run.seconds, run.peak_kib / 1024))
        delete_corpus(name)
    for pages, seconds, peak in rows:
        print(f"{pages:7d} pages  {seconds:7.1f} s  peak RSS of the process tree {peak:6.0f} MiB")
    print(f"large / small peak RSS: {rows[1][2] / rows[0][2]:.2f} (target <= 1.20)")


if __name__ == "__main__":
    main()
