"""Extraction quality: plain trafilatura vs newsindex on the WCXB article pages, side by side.

Scores body text by bag-of-words precision/recall/F1 and title, author and publish day by exact match
after whitespace and case normalisation (author also by a lenient set match). The page URL comes from the
ground truth, as a sidecar would provide it. `--split holdout` is a fixed 30% of pages (by hash of the file
id) that rules are never tuned on; `--split dev` is the rest; `--split all` is both.

    .venv/bin/python benchmarks/quality.py --split dev --limit 100
"""

from __future__ import annotations

import argparse
import gzip
import hashlib
import json
import re
import sys
import time
import unicodedata
from collections import Counter
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

DEFAULT_CORPUS = REPO.parent / "shared" / "corpora" / "wcxb-dev-articles"
HOLDOUT_PERCENT = 30
_WORD = re.compile(r"\w+", re.UNICODE)


def in_holdout(file_id: str) -> bool:
    """Deterministic split: the same pages are held out on every machine and every run."""
    return int(hashlib.sha256(file_id.encode()).hexdigest(), 16) % 100 < HOLDOUT_PERCENT


@dataclass
class Page:
    file_id: str
    url: str
    html: bytes
    truth: dict[str, Any]
    annotation: str = ""  # how the truth was made: WCXB's `_internal.source` ("rs-trafilatura-draft"), or ""


def load_pages(corpus: Path, split: str, limit: int | None) -> Iterator[Page]:
    gt_dir, html_dir = corpus / "ground-truth", corpus / "html"
    count = 0
    for gt_path in sorted(gt_dir.glob("*.json")):
        record = json.loads(gt_path.read_text(encoding="utf-8"))
        file_id = str(record.get("file_id") or gt_path.stem)
        if split != "all" and in_holdout(file_id) != (split == "holdout"):
            continue
        html_path = html_dir / f"{gt_path.stem}.html.gz"
        if not html_path.exists():
            continue
        annotation = str((record.get("_internal") or {}).get("source") or "")
        yield Page(file_id, record.get("url") or "", gzip.decompress(html_path.read_bytes()), record["ground_truth"],
                   annotation)
        count += 1
        if limit and count >= limit:
            return


def words(text: str | None) -> Counter[str]:
    return Counter(w.lower() for w in _WORD.findall(text or ""))


def prf(predicted: str | None, truth: str | None) -> tuple[float, float, float]:
    p, t = words(predicted), words(truth)
    overlap = sum((p & t).values())
    precision = overlap / sum(p.values()) if p else 0.0
    recall = overlap / sum(t.values()) if t else 0.0
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    return precision, recall, f1


_QUOTES = str.maketrans({"\u2018": "'", "\u2019": "'", "\u201a": "'", "\u201c": '"', "\u201d": '"', "\u201e": '"'})


def norm(text: str | None) -> str:
    """Whitespace and case normalised; typographic quotes read as straight ones (the ground truth mixes both)."""
    text = unicodedata.normalize("NFKC", text or "").translate(_QUOTES)
    return " ".join(text.split()).casefold()


def name_set(text: str | None) -> set[str]:
    parts = re.split(r",|;|\band\b|&", norm(text))
    return {p.strip() for p in parts if p.strip()}


@dataclass
class Result:
    title: str | None
    authors: list[str]
    date: str | None
    text: str | None
    error: str | None = None


@dataclass
class Score:
    name: str
    p: list[float] = field(default_factory=list)
    r: list[float] = field(default_factory=list)
    f: list[float] = field(default_factory=list)
    title: list[bool] = field(default_factory=list)
    author: list[bool] = field(default_factory=list)
    author_set: list[bool] = field(default_factory=list)
    day: list[bool] = field(default_factory=list)
    errors: int = 0
    seconds: float = 0.0
    misses: list[str] = field(default_factory=list)

    def add(self, page: Page, res: Result, verbose: bool) -> None:
        gt = page.truth
        if res.error:
            self.errors += 1
        if gt.get("main_content"):
            p, r, f = prf(res.text, gt["main_content"])
            self.p.append(p), self.r.append(r), self.f.append(f)
        if gt.get("title"):
            ok = norm(res.title) == norm(gt["title"])
            self.title.append(ok)
            if not ok and verbose:
                self.misses.append(f"{page.file_id} title  {res.title!r} != {gt['title']!r}")
        if gt.get("author"):
            joined = ", ".join(res.authors)
            ok = norm(joined) == norm(gt["author"])
            self.author.append(ok)
            self.author_set.append(name_set(joined) == name_set(gt["author"]))
            if not ok and verbose:
                self.misses.append(f"{page.file_id} author {res.authors!r} != {gt['author']!r}")
        if gt.get("publish_date"):
            ok = (res.date or "")[:10] == str(gt["publish_date"])[:10]
            self.day.append(ok)
            if not ok and verbose:
                self.misses.append(f"{page.file_id} date   {res.date!r} != {gt['publish_date']!r}")


def run_trafilatura(page: Page) -> Result:
    from trafilatura import bare_extraction

    doc = bare_extraction(page.html.decode("utf-8", "replace"), url=page.url or None, with_metadata=True)
    if doc is None:
        return Result(None, [], None, None, "no extraction")
    authors = [a.strip() for a in (doc.author or "").split(";") if a.strip()]
    return Result(doc.title, authors, doc.date, doc.text)


def run_newsindex(page: Page) -> Result:
    from pipelines.extract.html import extract_html
    from pipelines.models import QuarantineError

    try:
        ext = extract_html(page.html, url=page.url or None)
    except QuarantineError as exc:
        return Result(None, [], None, None, str(exc))
    # An organisation byline ("The Investopedia Team", "AP") is the page's author when it names no person.
    return Result(ext.title, ext.authors or ext.organizations, ext.published_at, ext.text)


def mean(xs: list[float] | list[bool]) -> str:
    return f"{sum(xs) / len(xs):.3f}" if xs else "  -  "


def report(scores: list[Score], pages: int, split: str) -> None:
    print(f"\nsplit={split}  pages={pages}")
    print(f"{'metric':<26}" + "".join(f"{s.name:>14}" for s in scores))
    rows: list[tuple[str, Callable[[Score], str]]] = [
        ("body word precision", lambda s: mean(s.p)),
        ("body word recall", lambda s: mean(s.r)),
        ("body word F1", lambda s: mean(s.f)),
        (f"title exact (n={len(scores[0].title)})", lambda s: mean(s.title)),
        (f"author exact (n={len(scores[0].author)})", lambda s: mean(s.author)),
        ("author set-match", lambda s: mean(s.author_set)),
        (f"publish day (n={len(scores[0].day)})", lambda s: mean(s.day)),
        ("no result / quarantined", lambda s: str(s.errors)),
        ("seconds", lambda s: f"{s.seconds:.1f}"),
    ]
    for label, get in rows:
        print(f"{label:<26}" + "".join(f"{get(s):>14}" for s in scores))


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--corpus", type=Path, default=DEFAULT_CORPUS)
    ap.add_argument("--split", choices=("dev", "holdout", "all"), default="dev")
    ap.add_argument("--limit", type=int, default=None)
    ap.add_argument("--only", choices=("trafilatura", "newsindex"), default=None, help="run one extractor")
    ap.add_argument("--misses", action="store_true", help="list metadata mismatches (dev split only)")
    args = ap.parse_args(argv)
    if not (args.corpus / "ground-truth").is_dir():
        print(f"corpus not found at {args.corpus}: expected ground-truth/ and html/ (pass --corpus)", file=sys.stderr)
        return 2
    runners = {"trafilatura": run_trafilatura, "newsindex": run_newsindex}
    if args.only:
        runners = {args.only: runners[args.only]}
    scores = [Score(name) for name in runners]
    verbose = args.misses and args.split == "dev"
    pages = 0
    for page in load_pages(args.corpus, args.split, args.limit):
        pages += 1
        for score, run in zip(scores, runners.values(), strict=True):
            start = time.perf_counter()
            try:
                res = run(page)
            except Exception as exc:  # a crash is a result to count, not a reason to stop measuring
                res = Result(None, [], None, None, f"crash: {exc!r}")
            score.seconds += time.perf_counter() - start
            score.add(page, res, verbose)
    report(scores, pages, args.split)
    if verbose:
        for s in scores:
            if s.name == "newsindex" or len(scores) == 1:
                print("\n".join(s.misses))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
