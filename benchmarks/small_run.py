"""Small runs: wall time of `newsindex ingest` on five files, against the running local Prefect server and in
Prefect's ephemeral mode (a temporary server started for the one run). Target: under 5 s with a server.

    newsindex prefect up && python benchmarks/small_run.py
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import tempfile
import time
import uuid
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
from flows.prefect_server import running_api_url  # noqa: E402

SAMPLES = ROOT / "tests" / "fixtures" / "articles"


def timed_ingest(folder: Path, env: dict[str, str]) -> float:
    started = time.perf_counter()
    run = subprocess.run([sys.executable, "-m", "flows.cli", "ingest", str(folder)], cwd=ROOT, env=env,
                         capture_output=True, text=True)
    if run.returncode != 0:
        raise SystemExit(run.stdout + run.stderr)
    return time.perf_counter() - started


def main() -> None:
    api = running_api_url()
    if not api:
        raise SystemExit("start the local Prefect server first: newsindex prefect up")
    folder = Path(tempfile.mkdtemp()) / "five"
    folder.mkdir()
    for path in sorted(p for p in SAMPLES.iterdir() if p.suffix in (".txt", ".html"))[:5]:
        shutil.copy(path, folder / path.name)
    rows = []
    for label, prefect_env in (("running Prefect server", {"PREFECT_API_URL": api}),
                               ("ephemeral Prefect (no server)",
                                {"PREFECT_API_URL": "", "NEWSINDEX_PREFECT": "ephemeral"})):
        name = f"small-{uuid.uuid4().hex[:8]}"
        env = {**os.environ, **prefect_env, "NEWSINDEX_INDEX": name}
        if not prefect_env["PREFECT_API_URL"]:
            env.pop("PREFECT_API_URL")
        first = timed_ingest(folder, env)
        rerun = timed_ingest(folder, env)
        rows.append((label, first, rerun))
        from pipelines.index.client import make_client
        from pipelines.settings import get_settings

        make_client(get_settings()).indices.delete(index=f"{name}-*", allow_no_indices=True)
    print(f"{'five files, whole command':32s} {'new index':>10s} {'rerun':>8s}")
    for label, first, rerun in rows:
        print(f"{label:32s} {first:9.1f}s {rerun:7.1f}s")


if __name__ == "__main__":
    main()
