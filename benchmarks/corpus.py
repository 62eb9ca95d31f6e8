"""Build a benchmark corpus: real article pages replicated with distinct ids and a distinct paragraph per copy.

The pages are the development corpus in ../shared (or any folder of *.html / *.html.gz). Each copy gets its
own URL (a sidecar), a rewritten canonical link and a sentence of its own, so every copy is a distinct
document to the pipeline, and extraction does the same work on it as on the original. The sentence goes
into the page's paragraph with the most text, where the extractor keeps it: written as a paragraph of its
own after the page's first `</p>` (a cookie banner, a navigation blurb), it was dropped with that region and
2,205 of 5,000 copies came out as exact duplicates of another copy.
"""

from __future__ import annotations

import gzip
import json
import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
DEV_CORPUS = ROOT.parent / "shared" / "corpora" / "wcxb-dev-articles"
_CANONICAL = re.compile(rb"""<link[^>]+rel=["']?canonical["']?[^>]*>|<meta[^>]+property=["']og:url["'][^>]*>""", re.I)
_BODY_END = re.compile(rb"</body>", re.I)
_PARAGRAPH = re.compile(rb"<p[\s>][^<]*(?:<(?!/p>)[^<]*)*</p>", re.I)
_TAG = re.compile(rb"<[^>]+>")
VERSION = "2"  # of the way copies are made: a corpus written by another version is written again
WORDS = ["harbour", "ledger", "meadow", "quarry", "lantern", "orchard", "summit", "tributary", "vessel", "granary"]


def source_pages(folder: Path = DEV_CORPUS) -> list[tuple[bytes, str | None]]:
    """(html bytes, page url) for every page of the corpus, in file order."""
    html_dir = folder / "html" if (folder / "html").is_dir() else folder
    pages = []
    for path in sorted(html_dir.glob("*.htm*")):
        data = gzip.decompress(path.read_bytes()) if path.suffix == ".gz" else path.read_bytes()
        truth = folder / "ground-truth" / (path.name.split(".")[0] + ".json")
        url = json.loads(truth.read_text())["url"] if truth.exists() else None
        pages.append((data, url))
    if not pages:
        raise SystemExit(f"no pages under {folder}: the benchmark corpus lives in ../shared beside the checkout")
    return pages


def _distinct_sentence(n: int) -> bytes:
    words = " ".join(WORDS[(n // 10**i) % 10] for i in range(6))
    return f" Replica {n} of this page carries its own sentence: {words}.".encode()


def _with_sentence(html: bytes, sentence: bytes) -> bytes:
    """`sentence` at the end of the paragraph with the most text (markup not counted), else before `</body>`."""
    best = max(_PARAGRAPH.finditer(html), key=lambda m: len(_TAG.sub(b"", m.group(0)).strip()), default=None)
    if best is None:
        return _BODY_END.sub(b"<p>" + sentence + b"</p></body>", html, count=1)
    at = best.end() - len(b"</p>")
    return html[:at] + sentence + html[at:]


def replicas(pages: list[tuple[bytes, str | None]], count: int) -> Iterator[tuple[str, bytes, str]]:
    """(file name, html, url) for `count` distinct copies."""
    for n in range(count):
        html, url = pages[n % len(pages)]
        html = _with_sentence(_CANONICAL.sub(b"", html), _distinct_sentence(n))
        base = (url or "https://bench.example/page").rstrip("/")
        yield f"page-{n:06d}.html.gz", html, f"{base}/replica-{n}"


def write_corpus(target: Path, count: int, pages: list[tuple[bytes, str | None]] | None = None) -> Path:
    """Write `count` replicas as gzipped pages with sidecars; reuses the folder when it already holds them."""
    marker = target / ".complete"
    if marker.exists() and marker.read_text() == f"{count} v{VERSION}":
        return target
    target.mkdir(parents=True, exist_ok=True)
    for name, html, url in replicas(pages or source_pages(), count):
        (target / name).write_bytes(gzip.compress(html, compresslevel=1, mtime=0))
        (target / f"{name}.meta.json").write_text(json.dumps({"url": url}))
    marker.write_text(f"{count} v{VERSION}")
    return target


def drop_corpus(client: Any, name: str) -> None:
    """Everything a benchmark's throwaway corpus left on the cluster: its indices (the stories sidecar too,
    `<name>-stories`) and its index template."""
    client.indices.delete(index=f"{name}-*", ignore_unavailable=True, allow_no_indices=True)
    client.options(ignore_status=404).indices.delete_index_template(name=f"{name}-template")
