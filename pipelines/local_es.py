"""Run a real, local Elasticsearch 8.x node without Docker or Elastic's download site.

The node is built from Maven Central jars (see ``config/local-es/pom.xml``): the ES server,
the Netty4 transport and a tiny launcher (``newsindex.localnode.LocalNode``) that loads
plugins from the classpath and adds what the unpublished ES modules would normally give
(language analyzers, ``asciifolding``, ``GET /``).

Layout of the cache dir (default ``<repo>/.cache/local-es``, or ``$NEWSINDEX_CACHE_DIR/local-es``)::

    lib/                    launcher jar + all runtime jars (rebuilt when pom/java sources change)
    lib/.build-hash         hash of pom.xml + src/ that lib/ was built from
    build/                  maven's target dir
    data/<N>node-<port>/    node home: config/, logs/, data/node-i/
    local-es-<port>.pid     pid of the JVM serving <port>
    local-es-<port>.json    how it was started (port, nodes, heap, ...)
    logs/local-es-<port>.log  stdout/stderr of that JVM

Manual use::

    python -m pipelines.local_es up [--port 9200] [--nodes 1] [--heap 1g]
    python -m pipelines.local_es status
    python -m pipelines.local_es down
"""

from __future__ import annotations

import argparse
import contextlib
import fcntl
import hashlib
import json
import os
import shlex
import shutil
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from pathlib import Path
from typing import Any

__all__ = [
    "DEFAULT_PORT",
    "LocalESError",
    "default_cache_dir",
    "down",
    "ensure_built",
    "status",
    "up",
]

MAIN_CLASS = "newsindex.localnode.LocalNode"
DEFAULT_PORT = 9200
DEFAULT_CLUSTER_NAME = "newsindex-local"
ENV_PORT = "NEWSINDEX_ES_PORT"
ENV_CACHE_DIR = "NEWSINDEX_CACHE_DIR"
ENV_JAVA_OPTS = "NEWSINDEX_ES_JAVA_OPTS"  # extra JVM options for the node, after ours (as ES_JAVA_OPTS for ES)

REPO_ROOT = Path(__file__).resolve().parents[1]
PROJECT_DIR = REPO_ROOT / "config" / "local-es"

# System properties ES's own launcher sets (see its jvm.options / SystemJvmOptions).
JVM_FLAGS = [
    "-XX:+UseG1GC",
    "-XX:-OmitStackTraceInFastThrow",
    "-Djava.awt.headless=true",
    "-Dfile.encoding=UTF-8",
    "-Djava.locale.providers=SPI,CLDR",
    "-Dio.netty.noUnsafe=true",
    "-Dio.netty.noKeySetOptimization=true",
    "-Dio.netty.recycler.maxCapacityPerThread=0",
    "-Dlog4j.shutdownHookEnabled=false",
    "-Dlog4j2.disable.jmx=true",
    "-Dlog4j2.formatMsgNoLookups=true",
    # The client-grade JIT only. On a small machine the server compiler competes with the extraction workers: in
    # the first 1,000-page ingest after a start it made 10,000 compilations and the node used 31 ms of CPU a page,
    # against 11.5 with C1 alone (9 ms a page in later runs either way), and C1's searches were no slower. On long
    # loads C1's code is not faster (README, The embedded Elasticsearch). A long-lived node that will index
    # millions takes the server compiler back: NEWSINDEX_ES_JAVA_OPTS=-XX:TieredStopAtLevel=4.
    "-XX:TieredStopAtLevel=1",
]


def jvm_options() -> list[str]:
    """Our JVM flags, then the operator's from NEWSINDEX_ES_JAVA_OPTS (the JVM keeps the last of a repeated flag)."""
    return [*JVM_FLAGS, *shlex.split(os.environ.get(ENV_JAVA_OPTS, ""))]


class LocalESError(RuntimeError):
    """The local Elasticsearch could not be built, started or stopped."""


# --------------------------------------------------------------------------- paths


def default_cache_dir() -> Path:
    """``$NEWSINDEX_CACHE_DIR/local-es`` if set, else ``<repo>/.cache/local-es``."""
    base = os.environ.get(ENV_CACHE_DIR)
    return (Path(base) if base else REPO_ROOT / ".cache") / "local-es"


def default_port() -> int:
    return int(os.environ.get(ENV_PORT, DEFAULT_PORT))


def _cache(cache_dir: str | os.PathLike[str] | None) -> Path:
    path = Path(cache_dir) if cache_dir is not None else default_cache_dir()
    path.mkdir(parents=True, exist_ok=True)
    return path.resolve()


def _pid_file(cache: Path, port: int) -> Path:
    return cache / f"local-es-{port}.pid"


def _meta_file(cache: Path, port: int) -> Path:
    return cache / f"local-es-{port}.json"


def _log_file(cache: Path, port: int) -> Path:
    return cache / "logs" / f"local-es-{port}.log"


@contextlib.contextmanager
def _locked(path: Path) -> Iterator[None]:
    """Inter-process lock so parallel test runs don't build/start twice."""
    path.parent.mkdir(parents=True, exist_ok=True)
    with open(path, "a+") as fh:
        fcntl.flock(fh, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(fh, fcntl.LOCK_UN)


def _tail(path: Path, lines: int = 60) -> str:
    try:
        text = path.read_text(errors="replace")
    except OSError:
        return "(no log)"
    return "\n".join(text.splitlines()[-lines:])


# --------------------------------------------------------------------------- build


def _source_hash() -> str:
    h = hashlib.sha256()
    files = [PROJECT_DIR / "pom.xml", *sorted((PROJECT_DIR / "src").rglob("*"))]
    for f in files:
        if f.is_file():
            h.update(f.relative_to(PROJECT_DIR).as_posix().encode())
            h.update(b"\0")
            h.update(f.read_bytes())
            h.update(b"\0")
    return h.hexdigest()


def _require(tool: str) -> str:
    found = shutil.which(tool)
    if not found:
        raise LocalESError(f"`{tool}` not found on PATH; the local Elasticsearch needs Java 17+ and Maven 3.8+")
    return found


def ensure_built(cache_dir: str | os.PathLike[str] | None = None) -> Path:
    """Build the launcher with Maven unless ``lib/`` is already built from the current sources.

    The first build downloads ~40 MB of jars into ~/.m2 (Maven Central); later ones are offline-fast.

    Returns the ``lib`` directory holding all jars.
    """
    cache = _cache(cache_dir)
    lib = cache / "lib"
    stamp = lib / ".build-hash"
    wanted = _source_hash()
    if stamp.is_file() and stamp.read_text().strip() == wanted and any(lib.glob("local-es-*.jar")):
        return lib
    with _locked(cache / "build.lock"):
        if stamp.is_file() and stamp.read_text().strip() == wanted and any(lib.glob("local-es-*.jar")):
            return lib  # built by someone else while we waited
        mvn = _require("mvn")
        _require("java")
        build_dir = cache / "build"
        new_lib = cache / "lib.new"
        shutil.rmtree(new_lib, ignore_errors=True)
        cmd = [
            mvn,
            "-q",
            "-B",
            "-f",
            str(PROJECT_DIR / "pom.xml"),
            f"-Dlocal.es.build.dir={build_dir}",
            "package",
            "dependency:copy-dependencies",
            f"-DoutputDirectory={new_lib}",
        ]
        try:
            proc = subprocess.run(cmd, capture_output=True, text=True, timeout=1800, stdin=subprocess.DEVNULL)
        except subprocess.TimeoutExpired as exc:
            raise LocalESError(f"maven build timed out after {exc.timeout}s") from exc
        if proc.returncode != 0:
            out = (proc.stdout + proc.stderr).splitlines()[-60:]
            raise LocalESError(f"maven build failed (exit {proc.returncode}):\n" + "\n".join(out))
        jars = list(build_dir.glob("local-es-*.jar"))
        if not jars:
            raise LocalESError(f"maven succeeded but no launcher jar in {build_dir}")
        for jar in jars:
            shutil.copy2(jar, new_lib / jar.name)
        (new_lib / ".build-hash").write_text(wanted + "\n")
        # a running JVM keeps its open jars, so swapping the folder under it is safe
        shutil.rmtree(lib, ignore_errors=True)
        new_lib.rename(lib)
    return lib


# --------------------------------------------------------------------------- process helpers


def _read_pid(cache: Path, port: int) -> int | None:
    try:
        return int(_pid_file(cache, port).read_text().strip())
    except (OSError, ValueError):
        return None


def _launcher_args(pid: int) -> dict[str, str] | None:
    """The ``--opt value`` arguments of our launcher running as ``pid``, or None if ``pid`` is not
    a live launcher (gone, a zombie, or a reused pid of some other program)."""
    try:
        with contextlib.suppress(ChildProcessError):
            os.waitpid(pid, os.WNOHANG)  # reap it if it was our child and has exited
        stat = Path(f"/proc/{pid}/stat").read_text()
        if stat.rsplit(")", 1)[1].split()[0] == "Z":
            return None
        argv = Path(f"/proc/{pid}/cmdline").read_bytes().decode(errors="replace").split("\0")
    except (OSError, IndexError):
        return None
    if MAIN_CLASS not in argv:
        return None
    rest = argv[argv.index(MAIN_CLASS) + 1 :]
    return {k.removeprefix("--"): v for k, v in zip(rest[::2], rest[1::2], strict=False) if k.startswith("--")}


def _is_ours(pid: int) -> bool:
    return _launcher_args(pid) is not None


def _running_launchers() -> dict[int, dict[str, str]]:
    """All live launchers on this machine (any cache dir), by pid, from /proc."""
    found: dict[int, dict[str, str]] = {}
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            args = _launcher_args(int(entry.name))
            if args is not None:
                found[int(entry.name)] = args
    return found


def _launcher_on_port(cache: Path, port: int) -> tuple[int, dict[str, str]] | None:
    """Our launcher serving ``port``: from the pid file if valid, else found in /proc."""
    pid = _read_pid(cache, port)
    if pid is not None:
        args = _launcher_args(pid)
        if args is not None and args.get("http-port") == str(port):
            return pid, args
    for pid, args in _running_launchers().items():
        if args.get("http-port") == str(port):
            return pid, args
    return None


def _rss_mb(pid: int) -> float | None:
    try:
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith("VmRSS:"):
                return round(int(line.split()[1]) / 1024, 1)
    except OSError:
        pass
    return None


def _get_json(url: str, timeout: float = 5.0) -> dict[str, Any]:
    req = urllib.request.Request(url, headers={"Accept": "application/json"})
    with urllib.request.urlopen(req, timeout=timeout) as resp:
        return json.loads(resp.read().decode())


def _health(url: str, timeout: float = 5.0) -> dict[str, Any] | None:
    try:
        return _get_json(f"{url}/_cluster/health?timeout=1s", timeout=timeout)
    except urllib.error.HTTPError as exc:
        # 408/503: timed out waiting or no master yet; the body may still be a health document
        with contextlib.suppress(Exception):
            return json.loads(exc.read().decode())
        return None
    except (OSError, ValueError):
        return None


def _healthy(url: str, nodes: int) -> bool:
    health = _health(url)
    return bool(health and health.get("status") in ("yellow", "green") and health.get("number_of_nodes", 0) >= nodes)


def _port_open(port: int) -> bool:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.settimeout(0.5)
        return s.connect_ex(("127.0.0.1", port)) == 0


def _url(port: int) -> str:
    return f"http://127.0.0.1:{port}"


def _mkdir(path: Path) -> Path:
    path.mkdir(parents=True, exist_ok=True)
    return path


def _read_meta(cache: Path, port: int) -> dict[str, Any]:
    try:
        return json.loads(_meta_file(cache, port).read_text())
    except (OSError, ValueError):
        return {}


def _wait_healthy(url: str, nodes: int, pid: int, log: Path | None, timeout: float) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if not _is_ours(pid):
            time.sleep(0.5)  # ask twice: /proc/<pid>/cmdline reads empty for a moment while the java launcher starts
        if not _is_ours(pid):
            where = f"; log {log}:\n{_tail(log)}" if log else ""
            raise LocalESError(f"local ES (pid {pid}) exited during startup{where}")
        if _healthy(url, nodes):
            return
        time.sleep(0.5)
    where = f"; log {log}:\n{_tail(log)}" if log else ""
    raise LocalESError(f"local ES at {url} not healthy after {timeout:.0f}s{where}")


def _stop_pid(pid: int, timeout: float) -> bool:
    """SIGTERM (the JVM closes its nodes in a shutdown hook), SIGKILL after ``timeout``.

    Returns False if ``pid`` was not a running launcher."""
    if not _is_ours(pid):
        return False
    with contextlib.suppress(ProcessLookupError):
        os.kill(pid, signal.SIGTERM)
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if not _is_ours(pid):
            return True
        time.sleep(0.2)
    with contextlib.suppress(ProcessLookupError):
        os.kill(pid, signal.SIGKILL)
    deadline = time.monotonic() + 10
    while time.monotonic() < deadline and _is_ours(pid):
        time.sleep(0.1)
    return True


# --------------------------------------------------------------------------- public API


def up(
    cache_dir: str | os.PathLike[str] | None = None,
    port: int | None = None,
    nodes: int = 1,
    heap: str = "1g",
    timeout: float = 180.0,
    *,
    transport_port: int | None = None,
    cluster_name: str = DEFAULT_CLUSTER_NAME,
) -> str:
    """Start (or reuse) a local ES on 127.0.0.1 and return its URL once health is yellow/green.

    ``port`` defaults to ``$NEWSINDEX_ES_PORT`` or 9200. Node i of ``nodes`` serves HTTP on
    ``port + i - 1`` and transport on ``transport_port + i - 1`` (default ``port + 100``).
    Idempotent: if our launcher already serves ``port`` (started from any cache dir) it is
    reused, after waiting for it to be healthy.
    """
    cache = _cache(cache_dir)
    port = default_port() if port is None else port
    transport_port = port + 100 if transport_port is None else transport_port
    url = _url(port)
    with _locked(cache / f"local-es-{port}.lock"):
        running = _launcher_on_port(cache, port)
        if running is not None:
            pid, args = running
            if args.get("nodes", "1") != str(nodes):
                raise LocalESError(
                    f"local ES on port {port} (pid {pid}) runs {args.get('nodes', '1')} node(s), not {nodes}; "
                    "call down() first"
                )
            own = _read_pid(cache, port) == pid
            _wait_healthy(url, nodes, pid, _log_file(cache, port) if own else None, timeout)
            return url
        _pid_file(cache, port).unlink(missing_ok=True)
        if _port_open(port):
            raise LocalESError(f"port {port} is already in use by a process not started by pipelines.local_es")

        lib = ensure_built(cache)
        home = cache / "data" / f"{nodes}node-{port}"
        log = _log_file(cache, port)
        log.parent.mkdir(parents=True, exist_ok=True)
        cmd = [
            _require("java"),
            f"-Xms{heap}",
            f"-Xmx{heap}",
            *jvm_options(),
            f"-Djava.io.tmpdir={_mkdir(cache / 'tmp')}",
            "-cp",
            f"{lib}/*",
            MAIN_CLASS,
            "--home",
            str(home),
            "--http-port",
            str(port),
            "--transport-port",
            str(transport_port),
            "--nodes",
            str(nodes),
            "--cluster-name",
            cluster_name,
        ]
        with open(log, "wb") as out:
            proc = subprocess.Popen(
                cmd,
                stdin=subprocess.DEVNULL,
                stdout=out,
                stderr=subprocess.STDOUT,
                start_new_session=True,  # outlives the caller; down() stops it
                close_fds=True,
            )
        _pid_file(cache, port).write_text(f"{proc.pid}\n")
        meta = {
            "pid": proc.pid,
            "port": port,
            "transport_port": transport_port,
            "nodes": nodes,
            "heap": heap,
            "cluster_name": cluster_name,
            "home": str(home),
            "log": str(log),
            "started_at": time.time(),
        }
        _meta_file(cache, port).write_text(json.dumps(meta, indent=2) + "\n")
        try:
            _wait_healthy(url, nodes, proc.pid, log, timeout)
        except LocalESError:
            _stop_pid(proc.pid, timeout=20)
            _pid_file(cache, port).unlink(missing_ok=True)
            _meta_file(cache, port).unlink(missing_ok=True)
            raise
        return url


def down(cache_dir: str | os.PathLike[str] | None = None, port: int | None = None, timeout: float = 60.0) -> bool:
    """Stop local ES launchers; idempotent. Returns True if anything was running.

    With ``port``: the launcher serving that port (whatever cache dir it came from).
    Without: every launcher started from this cache dir (pid files, or ``--home`` inside it).
    """
    cache = _cache(cache_dir)
    targets: dict[int, int] = {}  # pid -> port
    if port is not None:
        found = _launcher_on_port(cache, port)
        if found is not None:
            targets[found[0]] = port
        ports = [port]
    else:
        ports = []
        for f in cache.glob("local-es-*.pid"):
            with contextlib.suppress(ValueError):
                ports.append(int(f.stem.removeprefix("local-es-")))
        for p in ports:
            pid = _read_pid(cache, p)
            if pid is not None and _is_ours(pid):
                targets[pid] = p
        for pid, args in _running_launchers().items():
            home = Path(args.get("home", "/nonexistent"))
            if home.is_relative_to(cache) and args.get("http-port", "").isdigit():
                targets[pid] = int(args["http-port"])
    stopped = False
    for pid, p in targets.items():
        with _locked(cache / f"local-es-{p}.lock"):
            stopped |= _stop_pid(pid, timeout)
    for p in {*ports, *targets.values()}:
        _pid_file(cache, p).unlink(missing_ok=True)
        _meta_file(cache, p).unlink(missing_ok=True)
    return stopped


def status(cache_dir: str | os.PathLike[str] | None = None, port: int | None = None) -> dict[str, Any]:
    """Cheap facts about the local ES on ``port``: running, url, pid, version, health, nodes, rss_mb, ..."""
    cache = _cache(cache_dir)
    port = default_port() if port is None else port
    url = _url(port)
    found = _launcher_on_port(cache, port)
    pid, args = found if found is not None else (None, {})
    meta = _read_meta(cache, port) if pid is not None and _meta_pid_matches(cache, port, pid) else {}
    result: dict[str, Any] = {
        "running": pid is not None,
        "url": url,
        "port": port,
        "pid": pid,
        "nodes": int(args["nodes"]) if "nodes" in args else None,
        "home": args.get("home"),
        "heap": meta.get("heap"),
        "log": meta.get("log"),
        "uptime_s": round(time.time() - meta["started_at"], 1) if "started_at" in meta else None,
        "rss_mb": _rss_mb(pid) if pid is not None else None,
        "version": None,
        "cluster_name": None,
        "cluster_uuid": None,
        "health": None,
        "number_of_nodes": None,
        "built": (cache / "lib" / ".build-hash").is_file(),
    }
    if pid is not None:
        with contextlib.suppress(OSError, ValueError):
            info = _get_json(url, timeout=3)
            result["version"] = info.get("version", {}).get("number")
            result["cluster_name"] = info.get("cluster_name")
            result["cluster_uuid"] = info.get("cluster_uuid")
        health = _health(url, timeout=3)
        if health:
            result["health"] = health.get("status")
            result["number_of_nodes"] = health.get("number_of_nodes")
    return result


def _meta_pid_matches(cache: Path, port: int, pid: int) -> bool:
    return _read_meta(cache, port).get("pid") == pid


# --------------------------------------------------------------------------- CLI


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m pipelines.local_es", description=__doc__.split("\n")[0])
    parser.add_argument("command", choices=["up", "down", "status", "build"])
    parser.add_argument("--cache-dir", default=None)
    parser.add_argument("--port", type=int, default=None, help=f"HTTP port (default ${ENV_PORT} or {DEFAULT_PORT})")
    parser.add_argument("--nodes", type=int, default=1)
    parser.add_argument("--heap", default="1g")
    parser.add_argument("--timeout", type=float, default=180.0)
    args = parser.parse_args(argv)
    try:
        if args.command == "build":
            print(ensure_built(args.cache_dir))
        elif args.command == "up":
            print(up(args.cache_dir, port=args.port, nodes=args.nodes, heap=args.heap, timeout=args.timeout))
        elif args.command == "down":
            print("stopped" if down(args.cache_dir, port=args.port) else "not running")
        else:
            print(json.dumps(status(args.cache_dir, port=args.port), indent=2))
    except LocalESError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
