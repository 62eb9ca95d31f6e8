"""Discover and read input files: folders (recursive), single files, .gz, JSON/JSONL exports, sidecars, manifests.

Discovery only yields references (cheap, picklable); reading happens in the worker that extracts,
so bytes never travel between processes and memory stays bounded by the batch size.
"""

from __future__ import annotations

import csv
import json
import os
import stat
import zlib
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from pipelines.models import QuarantineError, RawDocument

TEXT_SUFFIXES = {".txt", ".text", ".html", ".htm", ".xhtml", ".json", ".jsonl", ".ndjson"}
MANIFEST_NAMES = ("manifest.csv", "manifest.jsonl")
JSONL_SUFFIXES = (".jsonl", ".ndjson")
RECORD_SUFFIXES = (".json", *JSONL_SUFFIXES)  # files of records: each record's locator is `file#n`
SIDECAR_SUFFIX = ".meta.json"
MANIFEST_KEYS = ("url", "outlet", "published_at", "updated_at", "authors", "title", "language")


@dataclass(frozen=True)
class FileRef:
    """One discovered input file. `locator` is stable across machines: root folder name + relative path."""

    path: str
    locator: str
    meta: dict[str, Any] = field(default_factory=dict, hash=False, compare=False)


class InputError(Exception):
    """A path the user gave does not exist or cannot be listed: the run must not start."""


def logical_suffix(path: str) -> str:
    """`.html` for `page.html.gz`: the format of the content inside any compression."""
    name = path.lower()
    if name.endswith(".gz"):
        name = name[:-3]
    return os.path.splitext(name)[1]


def _is_input(name: str) -> bool:
    return not name.startswith(".") and not name.endswith(SIDECAR_SUFFIX) and name not in MANIFEST_NAMES


def check_paths(paths: list[str | Path]) -> None:
    missing = [str(p) for p in paths if not Path(p).exists()]
    if missing:
        raise InputError("no such file or folder: " + ", ".join(missing))


def discover(paths: list[str | Path]) -> Iterator[FileRef]:
    """Yield every input file under the given paths in a stable order, with sidecar/manifest metadata."""
    check_paths(paths)
    for given in paths:
        root = Path(given)
        if root.is_file():
            manifest = load_manifest(root.parent)
            yield _ref(root, root.parent, root.parent.resolve(), manifest)
            continue
        real_root = root.resolve()
        # os.walk does not follow symlinked folders, so symlink loops cannot trap discovery.
        for folder, dirs, files in os.walk(root, onerror=None):
            dirs[:] = sorted(d for d in dirs if not d.startswith("."))
            manifest = load_manifest(Path(folder))
            listed = set(files)  # sidecars are looked up in the listing: no stat per input file
            for name in sorted(files):
                if _is_input(name):
                    yield _ref(Path(folder) / name, root, real_root, manifest, listed)


def _ref(path: Path, root: Path, real_root: Path, manifest: dict[str, dict[str, Any]],
         listed: set[str] | None = None) -> FileRef:
    """A file's locator is its path under the root; a symlinked file's is its target's (one document, one id)."""
    base = real_root.name or "root"
    try:
        # Only a symlink needs resolving: folders under the root are walked, never followed through links.
        rel = (path.resolve().relative_to(real_root) if path.is_symlink() else path.relative_to(root)).as_posix()
    except ValueError:  # a symlinked file pointing outside the root keeps its own name
        rel = path.name
    except (RuntimeError, OSError):  # a symlink loop (RuntimeError before Python 3.13): reading quarantines it
        rel = path.relative_to(root).as_posix() if path.is_relative_to(root) else path.name
    meta = dict(manifest.get(path.name, {}))
    meta.update(load_sidecar(path, listed))
    return FileRef(str(path), f"{base}/{rel}", meta)


def load_sidecar(path: Path, listed: set[str] | None = None) -> dict[str, Any]:
    """`NAME.meta.json` beside `NAME` (or beside `NAME` without .gz): values a person gave, which win.

    `listed`, the names in the file's folder when the caller has them, saves a stat per candidate."""
    for candidate in (Path(str(path) + SIDECAR_SUFFIX), path.with_suffix(SIDECAR_SUFFIX)):
        if listed is not None and candidate.name not in listed:
            continue
        if candidate.is_file():
            try:
                data = json.loads(candidate.read_text(encoding="utf-8"))
            except (OSError, ValueError):
                return {}
            return {k: v for k, v in data.items() if k in MANIFEST_KEYS} if isinstance(data, dict) else {}
    return {}


def load_manifest(folder: Path) -> dict[str, dict[str, Any]]:
    """`manifest.csv` or `manifest.jsonl` in a folder: file name -> metadata."""
    rows: list[dict[str, Any]] = []
    csv_path, jsonl_path = folder / "manifest.csv", folder / "manifest.jsonl"
    try:
        if csv_path.is_file():
            with csv_path.open(encoding="utf-8", newline="") as fh:
                rows = list(csv.DictReader(fh))
        elif jsonl_path.is_file():
            with jsonl_path.open(encoding="utf-8") as fh:
                rows = [json.loads(line) for line in fh if line.strip()]
    except (OSError, ValueError):
        return {}
    out: dict[str, dict[str, Any]] = {}
    for row in rows:
        name = row.get("file") or row.get("path")
        if not name:
            continue
        meta = {k: v for k, v in row.items() if k in MANIFEST_KEYS and v not in (None, "")}
        if isinstance(meta.get("authors"), str):
            meta["authors"] = [a.strip() for a in meta["authors"].split(";") if a.strip()]
        out[Path(name).name] = meta
    return out


def read_bytes(path: str, max_bytes: int) -> bytes:
    """Read a file, transparently gunzipping, never holding more than max_bytes (gzip bombs stop early)."""
    try:
        info = os.stat(path)
        if not stat.S_ISREG(info.st_mode):  # opening a FIFO would block the worker forever
            raise QuarantineError("not a regular file (a FIFO, socket or device); not read")
        size = info.st_size
        if size == 0:
            raise QuarantineError("empty file (0 bytes)")
        if size > max_bytes and not path.lower().endswith(".gz"):
            raise QuarantineError(f"file too large: {size} bytes (limit {max_bytes}, setting max_file_bytes)")
        with open(path, "rb") as fh:
            raw = fh.read(max_bytes + 1)
    except PermissionError as exc:
        raise QuarantineError(f"unreadable file: permission denied ({exc.strerror})") from exc
    except OSError as exc:
        raise QuarantineError(f"unreadable file: {exc.strerror or exc}") from exc
    if raw[:2] == b"\x1f\x8b":
        return _gunzip(raw, max_bytes)
    if len(raw) > max_bytes:
        raise QuarantineError(f"file too large: over {max_bytes} bytes (setting max_file_bytes)")
    return raw


def _gunzip(raw: bytes, max_bytes: int) -> bytes:
    inflater = zlib.decompressobj(16 + zlib.MAX_WBITS)
    try:
        data = inflater.decompress(raw, max_bytes + 1)
    except zlib.error as exc:
        raise QuarantineError(f"corrupt gzip data: {exc}") from exc
    if len(data) > max_bytes:
        raise QuarantineError(f"gzip expands beyond {max_bytes} bytes (possible gzip bomb); not read")
    if not inflater.eof:
        raise QuarantineError("truncated gzip file: the compressed stream ends early")
    if not data:
        raise QuarantineError("empty file (gzip holds 0 bytes)")
    return data


def holds_records(path: str) -> bool:
    """Whether a file (gzipped or not) is read as records, with locators `file#n`, rather than as one document."""
    return logical_suffix(path) in RECORD_SUFFIXES


def read_documents(ref: FileRef, source: str, max_bytes: int) -> Iterator[RawDocument]:
    """RawDocuments in one file: one for a page or text, one per record for JSON arrays and JSONL."""
    data = read_bytes(ref.path, max_bytes)
    suffix = logical_suffix(ref.path)
    if suffix in JSONL_SUFFIXES:
        yield from _jsonl_records(ref, source, data)
        return
    if suffix == ".json":
        yield from _json_records(ref, source, data)
        return
    if suffix not in TEXT_SUFFIXES:
        supported = ".txt, .html, .json, .jsonl, and these gzipped"
        raise QuarantineError(f"unsupported file type '{suffix or 'none'}' (supported: {supported})")
    yield RawDocument(source=source, locator=ref.locator, data=data, path=ref.path, meta=dict(ref.meta))


def _json_records(ref: FileRef, source: str, data: bytes) -> Iterator[RawDocument]:
    try:
        parsed = json.loads(data)
    except ValueError as exc:
        raise QuarantineError(f"invalid JSON: {exc}") from exc
    records = parsed if isinstance(parsed, list) else [parsed]
    for i, record in enumerate(records):
        locator = ref.locator if len(records) == 1 else f"{ref.locator}#{i + 1}"
        yield _record_doc(ref, source, locator, record)


def _jsonl_records(ref: FileRef, source: str, data: bytes) -> Iterator[RawDocument]:
    for number, line in enumerate(data.splitlines(), start=1):
        if not line.strip():
            continue
        locator = f"{ref.locator}#{number}"
        try:
            record = json.loads(line)
        except ValueError as exc:
            # One broken line is quarantined by itself; the other lines go on.
            error = f"invalid JSON on line {number}: {exc}"
            yield RawDocument(source, locator, line, path=ref.path, meta={"error": error})
            continue
        yield _record_doc(ref, source, locator, record)


def _record_doc(ref: FileRef, source: str, locator: str, record: Any) -> RawDocument:
    meta = dict(ref.meta)
    if not isinstance(record, dict):
        meta["error"] = f"JSON record is a {type(record).__name__}, not an object"
        record = None
    payload = json.dumps(record, sort_keys=True, ensure_ascii=False).encode() if record else b""
    return RawDocument(source, locator, payload, path=ref.path, meta=meta, record=record)
