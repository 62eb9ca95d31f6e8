"""How far the WCXB truth lets any rule go, for the two metadata targets not met: publication day and author.

Dates. For every page of the split with a truth day it counts: the truth's day written anywhere in the page (ISO,
numeric or with an English month name, in markup or text); the pages newsindex gets right; and the conflict
pages, where the structured publication day differs from the update day the page shows and no publication date
is shown, split by which of the two the truth took and by how the truth was made (WCXB's `_internal.source`:
pages drafted by rs-trafilatura and then verified, or the others). A rule that reads only the page picks the
same date on every conflict page, so the best such rule still misses the smaller of the two groups there; the
printed ceiling is the pages whose truth day is written in the page, less that group. Figures only: it lists
no page of the holdout.

Authors. Every page whose author newsindex misses is put in one class: the same names joined otherwise ("A and
B" for our "A, B"); the truth adds words to our names (a job title or a description: "Mike Marshall, Shipping
Expert", which the issue asks to strip); no author found; other names. Figures only, as for dates.

    .venv/bin/python benchmarks/truth_audit.py --split dev      # --split holdout | all
"""

from __future__ import annotations

import argparse
import re
import sys
from collections import Counter
from datetime import date
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

from benchmarks.quality import DEFAULT_CORPUS, Page, load_pages, name_set, norm  # noqa: E402
from pipelines.articles import drop_early_update  # noqa: E402
from pipelines.extract.html import extract_html  # noqa: E402
from pipelines.models import Extraction, QuarantineError  # noqa: E402

_STRUCTURED = ("jsonld:", "meta:", "itemprop:", "time-element")
_SHOWN_PUBLISHED = ("page:shown-date", "page:published-date")


def spellings(day: date) -> list[str]:
    """The ways a page commonly writes a day: ISO, slashes and dots both orders, month names long and short."""
    months = {day.strftime("%B"), day.strftime("%b"), day.strftime("%b") + ".", "Sept" if day.month == 9 else "Sep"}
    suffix = {1: "st", 2: "nd", 3: "rd", 21: "st", 22: "nd", 23: "rd", 31: "st"}.get(day.day, "th")
    numeric = [day.isoformat(), f"{day:%Y/%m/%d}", f"{day.month}/{day.day}/{day.year}", f"{day:%m/%d/%Y}",
               f"{day:%d/%m/%Y}", f"{day.day}/{day.month}/{day.year}", f"{day:%d.%m.%Y}", f"{day:%Y%m%d}",
               f"{day.year}-{day.month}-{day.day}"]
    named = [form for month in months for d in (str(day.day), f"{day:%d}", f"{day.day}{suffix}")
             for form in (f"{month} {d}, {day.year}", f"{month} {d} {day.year}", f"{d} {month} {day.year}",
                          f"{d} {month}, {day.year}")]
    return numeric + named


def written_in(page: Page, day: date) -> bool:
    html = page.html.decode("utf-8", "replace")
    return any(re.search(re.escape(s), html, re.IGNORECASE) for s in spellings(day))


def days_by_rule(ext: Extraction) -> dict[str, list[str]]:
    """Every day proposed for published_at, accepted or not, grouped as structured / shown-published / update."""
    out: dict[str, list[str]] = {"structured": [], "shown": [], "update": []}
    for cand in ext.candidates:
        if cand.field != "published_at" or not isinstance(cand.value, str):
            continue
        group = ("structured" if cand.rule.startswith(_STRUCTURED) else "shown" if cand.rule in _SHOWN_PUBLISHED
                 else "update" if cand.rule == "page:updated-date" else None)
        if group:
            out[group].append(cand.value[:10])
    return out


def author_miss(names: list[str], truth: str) -> str | None:
    """The class of an author miss (None when right), by comparing as quality.py does."""
    joined = ", ".join(names)
    ours, theirs = norm(joined), norm(truth)
    if ours == theirs:
        return None
    if not names:
        return "none found"
    if name_set(joined) == name_set(truth):
        return "same names, joined otherwise"
    if theirs.startswith(ours) and theirs[len(ours):len(ours) + 2].strip()[:1] in {",", "(", "-", "/", "|"}:
        return "truth adds a title or description"
    return "other names"


def audit(pages: list[Page]) -> Counter[str]:
    counts: Counter[str] = Counter()
    for page in pages:
        try:
            ext = extract_html(page.html, url=page.url or None)
        except QuarantineError:
            ext = None
        if page.truth.get("author"):
            counts["authored"] += 1
            names = (ext.authors or ext.organizations) if ext else []
            counts[f"author {author_miss(names, page.truth['author'])}"] += 1
        raw = str(page.truth.get("publish_date") or "")[:10]
        try:
            truth = date.fromisoformat(raw)
        except ValueError:
            continue  # no truth day, or only a month ("2003-11")
        counts["pages"] += 1
        counts["written"] += written_in(page, truth)
        if ext is None:
            continue
        drop_early_update(ext)
        counts["right"] += (ext.published_at or "")[:10] == raw
        counts["updated"] += ext.updated_at is not None
        counts["miss is updated_at"] += (ext.published_at or "")[:10] != raw and (ext.updated_at or "")[:10] == raw
        days = days_by_rule(ext)
        if not days["structured"] or not days["update"] or days["shown"]:
            continue
        published, update = days["structured"][0], days["update"][0]
        if published == update:
            continue
        made = "drafted" if page.annotation == "rs-trafilatura-draft" else "other"
        took = "metadata" if raw == published else "update" if raw == update else "neither"
        counts[f"conflict {took} {made}"] += 1
        counts[f"conflict {took}"] += 1
    return counts


def report(counts: Counter[str], split: str) -> None:
    n = counts["pages"]
    print(f"\nsplit={split}  pages with a truth day: {n}")
    print(f"{'truth day written in the page':<48}{counts['written']:>5}  ({counts['written'] / n:.3f})")
    print(f"{'newsindex right':<48}{counts['right']:>5}  ({counts['right'] / n:.3f})")
    print(f"{'the record has an updated_at':<48}{counts['updated']:>5}")
    print(f"{'missed, and the truth day is the updated_at':<48}{counts['miss is updated_at']:>5}")
    print("conflict pages (structured publication day != shown update day, no shown publication date):")
    print(f"  {'truth took':<20}{'drafted by rs-trafilatura':>28}{'other':>8}{'all':>6}")
    for took in ("metadata", "update", "neither"):
        row = [counts[f"conflict {took} drafted"], counts[f"conflict {took} other"], counts[f"conflict {took}"]]
        print(f"  {took:<20}{row[0]:>28}{row[1]:>8}{row[2]:>6}")
    lost = min(counts["conflict metadata"], counts["conflict update"])
    ceiling = counts["written"] - lost
    print(f"{'ceiling for a rule that reads only the page':<48}{ceiling:>5}  ({ceiling / n:.3f})"
          f"  = written - {lost} conflict pages whose truth took the other date")
    n = counts["authored"]
    print(f"\npages with a truth author: {n}")
    for label in ("None", "same names, joined otherwise", "truth adds a title or description", "none found",
                  "other names"):
        shown = "newsindex right" if label == "None" else f"missed: {label}"
        print(f"{shown:<48}{counts[f'author {label}']:>5}  ({counts[f'author {label}'] / n:.3f})")


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--corpus", type=Path, default=DEFAULT_CORPUS)
    ap.add_argument("--split", choices=("dev", "holdout", "all"), default="dev")
    args = ap.parse_args(argv)
    if not (args.corpus / "ground-truth").is_dir():
        print(f"corpus not found at {args.corpus}: expected ground-truth/ and html/ (pass --corpus)", file=sys.stderr)
        return 2
    report(audit(list(load_pages(args.corpus, args.split, None))), args.split)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
