"""A local Prefect server the project starts like the embedded Elasticsearch (UI on 127.0.0.1:4200).

Without one, every CLI flow run starts an ephemeral server (about 10 s here) that competes for the two
cores; with one, a small run takes a second or two and people can watch runs, schedules and artifacts.
The CLI uses a running local server automatically unless PREFECT_API_URL is set.
"""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

from pipelines.settings import get_settings

DEFAULT_PORT = 4200


class PrefectServerError(RuntimeError):
    pass


def _home() -> Path:
    home = get_settings().cache_dir / "prefect"
    home.mkdir(parents=True, exist_ok=True)
    return home


def _state_file() -> Path:
    return _home() / "server.json"


def _healthy(api_url: str, timeout: float = 1.0) -> bool:
    try:
        with urllib.request.urlopen(f"{api_url}/health", timeout=timeout) as resp:
            return resp.status == 200
    except OSError:
        return False


def _state() -> dict | None:
    try:
        return json.loads(_state_file().read_text())
    except (OSError, ValueError):
        return None


def running_api_url() -> str | None:
    """The API URL of our running local server, or None."""
    state = _state()
    if state and _healthy(state["api_url"], timeout=0.5):
        return state["api_url"]
    return None


def up(port: int = DEFAULT_PORT, timeout: float = 90.0) -> str:
    """Start the server (idempotent) and return its API URL."""
    if url := running_api_url():
        return url
    home = _home()
    api_url = f"http://127.0.0.1:{port}/api"
    if _healthy(api_url):
        raise PrefectServerError(f"port {port} already serves a Prefect API we did not start; set PREFECT_API_URL")
    env = {**os.environ, "PREFECT_HOME": str(home), "PREFECT_SERVER_ANALYTICS_ENABLED": "false",
           "PREFECT_API_URL": "", "PREFECT_UI_API_URL": api_url}
    log = (home / "server.log").open("ab")
    proc = subprocess.Popen(
        [sys.executable, "-m", "prefect", "server", "start", "--host", "127.0.0.1", "--port", str(port)],
        stdout=log, stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL, env=env, start_new_session=True,
    )
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise PrefectServerError(f"Prefect server exited with {proc.returncode}; see {home / 'server.log'}")
        if _healthy(api_url):
            _state_file().write_text(json.dumps({"api_url": api_url, "pid": proc.pid}))
            return api_url
        time.sleep(0.5)
    proc.kill()
    raise PrefectServerError(f"Prefect server did not answer within {timeout:.0f} s; see {home / 'server.log'}")


def down(timeout: float = 30.0) -> bool:
    """Stop our server; True if one was running."""
    state = _state()
    if not state:
        return False
    pid = int(state["pid"])
    try:
        os.killpg(pid, signal.SIGTERM)
    except ProcessLookupError:
        _state_file().unlink(missing_ok=True)
        return False
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            os.kill(pid, 0)
        except ProcessLookupError:
            break
        time.sleep(0.3)
    else:
        os.killpg(pid, signal.SIGKILL)
    _state_file().unlink(missing_ok=True)
    return True


def use_running_server() -> None:
    """Point this process at our running local server, unless the user chose a Prefect API already
    (PREFECT_API_URL) or asked for ephemeral mode (NEWSINDEX_PREFECT=ephemeral)."""
    if os.environ.get("PREFECT_API_URL") or os.environ.get("NEWSINDEX_PREFECT") == "ephemeral":
        return
    if url := running_api_url():
        os.environ["PREFECT_API_URL"] = url
