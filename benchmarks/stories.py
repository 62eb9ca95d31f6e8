"""Stories: (a) which stories form among the 711 WCXB article pages ingested with the five seeds,
(b) the cost of clustering per document as the story store grows (synthetic texts).

(a) runs the real ingest path (process_batch in a pool of workers + index_results, which calls the story
hook) into a throwaway corpus, then prints the seeds' story, whether any corpus page joined it, and every
multi-page story among the corpus pages with its titles, for a person to judge. Extraction takes 1-2 min.
(b) feeds synthetic articles (made-up everyday and topic words, one in ten a light rewrite of an earlier one)
through assign_stories against the sidecar index, and times a batch of 200 new articles at each size.

    .venv/bin/python benchmarks/stories.py corpus
    .venv/bin/python benchmarks/stories.py scale --sizes 1000 5000 20000
"""

from __future__ import annotations

import argparse
import random
import sys
import time
import uuid
from collections import defaultdict
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

from benchmarks.corpus import drop_corpus  # noqa: E402
from pipelines.batch import Options, chunked, make_pool, process_batch  # noqa: E402
from pipelines.index.client import connect  # noqa: E402
from pipelines.index.lifecycle import ensure_index  # noqa: E402
from pipelines.ingest import index_results  # noqa: E402
from pipelines.settings import get_settings  # noqa: E402
from pipelines.sources.files import discover  # noqa: E402
from pipelines.stories import assign_stories  # noqa: E402

SHARED = REPO.parent / "shared"
CORPUS = SHARED / "corpora" / "wcxb-dev-articles" / "html"
SEEDS = SHARED / "seeds"


def corpus(keep: bool) -> None:
    if not CORPUS.exists() or not SEEDS.exists():
        sys.exit("needs ../shared/corpora/wcxb-dev-articles and ../shared/seeds beside the checkout")
    settings = get_settings()
    client, name = connect(settings), f"bench-stories-{uuid.uuid4().hex[:6]}"
    ensure_index(client, name)
    opts = Options("bench", "bench", settings.max_file_bytes, settings.language_sample_chars,
                   settings.min_language_chars)
    pool = make_pool(settings.workers)
    started, story_seconds, docs = time.perf_counter(), 0.0, 0
    try:
        for refs in chunked(discover([CORPUS, SEEDS]), settings.batch_size):
            results = process_batch(refs, opts, {}, pool)
            t = time.perf_counter()
            index_results(client, name, results, settings, refresh=True)
            story_seconds += time.perf_counter() - t
            docs += sum(r.article is not None for r in results)
            print(f"  {docs} articles indexed", file=sys.stderr)
    finally:
        if pool is not None:
            pool.shutdown()
    print(f"ingested {docs} articles into {name} in {time.perf_counter() - started:.0f} s "
          f"(index step incl. stories {story_seconds:.1f} s)")
    members: dict[str, list[dict]] = defaultdict(list)
    from elasticsearch import helpers

    fields = ["story_id", "title", "source_path", "published_at"]
    for hit in helpers.scan(client, index=name, query={"_source": fields}):
        members[hit["_source"]["story_id"]].append(hit["_source"])
    seed_stories = {s for s, ms in members.items() for m in ms if "/seeds/" in (m["source_path"] or "")}
    print(f"\nseeds' stories: {len(seed_stories)}")
    for s in seed_stories:
        ms = members[s]
        intruders = [m for m in ms if "/seeds/" not in (m["source_path"] or "")]
        print(f"  story {s}: {len(ms)} articles, corpus pages in it: {len(intruders)}")
        for m in ms:
            print(f"    {m['published_at'] or 'undated':10}  {m['title']}")
    multi = [ms for s, ms in members.items() if s not in seed_stories and len(ms) > 1]
    print(f"\nmulti-page stories among corpus pages: {len(multi)} (of {len(members) - len(seed_stories)} stories)")
    for ms in sorted(multi, key=lambda ms: ms[0]["source_path"]):
        print("  --")
        for m in ms:
            print(f"    {Path(m['source_path']).name:14} {m['published_at'] or 'undated':10}  {m['title']}")
    if not keep:
        drop_corpus(client, name)


SYLLABLES = ["ka", "lo", "mi", "ne", "su", "tra", "vel", "or", "bri", "den", "ra", "mo", "ti", "ven", "sa",
             "lu", "gor", "pe", "dra", "fi", "nor", "ash", "ke", "ul", "zo"]
COMMON = [a + b for a in SYLLABLES for b in SYLLABLES]  # 625 everyday words, Zipf-distributed
ZIPF = [1 / (i + 1) for i in range(len(COMMON))]


def _word(rng: random.Random) -> str:
    return "".join(rng.choices(SYLLABLES, k=rng.randint(3, 4)))


def synthetic(rng: random.Random, n: int, start: int, pool: list[dict]) -> list[dict]:
    """Articles of 300-600 words: 70% everyday words, 30% words of the article's own topic (names, terms);
    one in ten is a light rewrite (5% of words changed, new title, published the next day) of an earlier one."""
    out = []
    for i in range(start, start + n):
        if pool and rng.random() < 0.1:
            base = rng.choice(pool)
            words = base["text"].split()
            for _ in range(len(words) // 20):
                words[rng.randrange(len(words))] = rng.choice(COMMON)
            title, text = base["title"] + " " + rng.choice(COMMON), " ".join(words)
            day = base["published_at"][:8] + f"{min(28, int(base['published_at'][8:]) + 1):02d}"
        else:
            topic = [_word(rng) for _ in range(25)]
            words = [rng.choice(topic) if rng.random() < 0.3 else rng.choices(COMMON, ZIPF)[0]
                     for _ in range(rng.randint(300, 600))]
            title, text = " ".join(rng.sample(topic, 6)).capitalize(), " ".join(words)
            day = f"2025-{1 + i % 12:02d}-{1 + i % 28:02d}"
        out.append({"id": f"syn{i:07d}", "title": title, "text": text, "published_at": day})
    pool.extend(out[:: max(1, n // 50)])
    return out


def scale(sizes: list[int], probe: int, keep: bool) -> None:
    settings = get_settings()
    client, name = connect(settings), f"bench-scale-{uuid.uuid4().hex[:6]}"
    rng, pool, have = random.Random(7), [], 0
    print(f"{'store size':>10}  {'ms/doc':>7}  {'joined':>6}  (batch of {probe} new articles, sidecar {name}-stories)")
    try:
        for size in sorted(sizes):
            while have < size:
                batch = synthetic(rng, min(500, size - have), have, pool)
                assign_stories(client, name, batch, settings)
                have += len(batch)
            batch = synthetic(rng, probe, have, pool)
            t = time.perf_counter()
            stats = assign_stories(client, name, batch, settings)
            ms = (time.perf_counter() - t) * 1000 / probe
            have += probe
            print(f"{size:>10}  {ms:7.2f}  {stats.joined:>6}")
    finally:
        if not keep:
            drop_corpus(client, name)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    sub = parser.add_subparsers(dest="what", required=True)
    c = sub.add_parser("corpus")
    c.add_argument("--keep", action="store_true", help="keep the throwaway corpus for inspection")
    s = sub.add_parser("scale")
    s.add_argument("--sizes", type=int, nargs="+", default=[1000, 5000, 20000])
    s.add_argument("--probe", type=int, default=200)
    s.add_argument("--keep", action="store_true")
    args = parser.parse_args()
    if args.what == "corpus":
        corpus(args.keep)
    else:
        scale(args.sizes, args.probe, args.keep)


if __name__ == "__main__":
    main()
