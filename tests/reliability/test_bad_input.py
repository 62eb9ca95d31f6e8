"""A hostile input corpus, generated here: every file is extracted correctly or quarantined with a reason,
the run finishes, and the extraction worker's memory stays bounded.

Unreadable files: the tests run as root, for whom `chmod 0` changes nothing, so unreadable inputs are
made the ways root cannot read either: a FIFO (opening it would block forever), a dangling symlink,
a symlink loop, and a directory named like a page.
"""

from __future__ import annotations

import gzip
import json
import os
import subprocess
import sys
import zlib
from pathlib import Path

import pytest

from tests.e2e.test_cli import _row
from tests.reliability.conftest import ROOT, cli_env, run_cli

MEMORY_BOUND_MB = 1536  # a generous bound on the peak RSS of the process that extracts, not a timing
ARTICLE = ("The city council approved the new budget on Tuesday after a long debate about schools and "
           "transport. The mayor said the plan would be published next week, and residents welcomed it. ")

# Legacy encodings: (codec, words a correct decoding must give, text). Declared in a page, undeclared in a .txt.
LEGACY = {
    "cp1252": (["Café", "résumé", "naïve", "€"],
               "Le Café du Marché\n\n" + "Notre résumé naïve du marché coûte 5 € — «très» cher, dit-il. " * 6),
    "koi8_r": (["Городской", "бюджет", "школ"],
               "Городской совет\n\n" + "Городской совет утвердил бюджет на следующий год после долгих споров о "
               "ремонте школ и дорог. " * 4),
    "shift_jis": (["東京都議会", "予算"],
                  "東京都議会のニュース\n\n" + "東京都議会は来年度の予算を承認しました。学校と交通の改善が"
                  "含まれています。" * 4),
}


def _html(body: str, charset: str | None = None) -> str:
    meta = f'<meta charset="{charset}">' if charset else ""
    return (f"<!doctype html><html><head>{meta}<title>{body.splitlines()[0]}</title></head><body><article>"
            + "".join(f"<p>{p}</p>" for p in body.splitlines()[2:]) + "</article></body></html>")


def _gzip_bomb(path: Path, expanded_mb: int = 512) -> None:
    """About half a megabyte of gzip that would expand to `expanded_mb` MB of text."""
    squeeze = zlib.compressobj(9, zlib.DEFLATED, 16 + zlib.MAX_WBITS)
    chunk = b"a " * (1 << 19)
    with path.open("wb") as fh:
        for _ in range(expanded_mb):
            fh.write(squeeze.compress(chunk))
        fh.write(squeeze.flush())


def build_corpus(root: Path) -> dict[str, tuple[str, list[str] | str]]:
    """Write the corpus; return locator name -> ("quarantined", reason fragment) or ("extracted", words)."""
    root.mkdir()
    expect: dict[str, tuple[str, list[str] | str]] = {}

    def put(name: str, data: bytes, outcome: str, what: list[str] | str) -> None:
        (root / name).write_bytes(data)
        expect[name] = (outcome, what)

    put("zero.txt", b"", "quarantined", "empty file")
    put("png-disguised.html", b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + os.urandom(4000), "quarantined", "binary")
    put("truncated.txt.gz", gzip.compress(("Title line\n\n" + ARTICLE * 40).encode())[:-40], "quarantined",
        "truncated gzip")
    put("corrupt.html.gz", b"\x1f\x8b\x08\x00" + os.urandom(3000), "quarantined", "corrupt gzip")
    _gzip_bomb(root / "bomb.txt.gz")
    expect["bomb.txt.gz"] = ("quarantined", "gzip bomb")
    with (root / "fifty-mb.html").open("w") as fh:
        fh.write("<html><body>")
        while fh.tell() < 50 * 1024 * 1024:
            fh.write("<p>" + ARTICLE * 20 + "</p>\n")
    expect["fifty-mb.html"] = ("quarantined", "file too large")
    nested = "<div>" * 100_000 + "<p>" + ARTICLE + "</p>" + "</div>" * 100_000
    put("nested.html", f"<html><body>{nested}</body></html>".encode(), "either", ["budget"])
    put("invalid-utf8.txt", ("Budget approved\n\n" + ARTICLE * 3).encode() + b"\xff\xfe\xc3(" + ARTICLE.encode(),
        "extracted", ["council", "budget", "residents"])
    for codec, (words, text) in LEGACY.items():
        put(f"{codec}-declared.html", _html(text, codec.replace("_", "-")).encode(codec), "extracted", words)
        put(f"{codec}-undeclared.txt", text.encode(codec), "extracted", words)
    os.mkfifo(root / "fifo.html")
    expect["fifo.html"] = ("quarantined", "not a regular file")
    (root / "dangling.html").symlink_to(root / "gone.html")
    expect["gone.html"] = ("quarantined", "unreadable file")  # a symlink is located by what it points to
    (root / "loop-a.html").symlink_to(root / "loop-b.html")
    (root / "loop-b.html").symlink_to(root / "loop-a.html")
    expect["loop-a.html"] = expect["loop-b.html"] = ("quarantined", "unreadable file")
    (root / "folder.html").mkdir()  # a directory named like a page: walked into, holds nothing
    (root / "folder.html" / "up").symlink_to(root, target_is_directory=True)  # a folder loop: never followed
    lines = [json.dumps({"title": f"Record {i}", "maintext": f"Record {i}. " + ARTICLE * 2}) for i in (1, 3)]
    put("records.jsonl", f"{lines[0]}\n{{\"title\": \"broken\", \"maintext\": \n{lines[1]}\n".encode(), "extracted",
        ["Record"])
    expect["records.jsonl#2"] = ("quarantined", "invalid JSON on line 2")
    return expect


WORKER = """
import json, resource, sys
from pipelines.batch import Options, process_batch
from pipelines.sources.files import discover
opts = Options("bad", None, 20_000_000, 2000, 40)
for r in process_batch(list(discover([sys.argv[1]])), opts, {}, None):
    a = r.article or {}
    print(json.dumps({"locator": r.locator, "outcome": r.outcome and r.outcome.value, "reason": r.reason,
                      "text": (a.get("title") or "") + "\\n" + (a.get("text") or "")}))
print(json.dumps({"peak_rss_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024}))
"""


@pytest.fixture(scope="module")
def corpus(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, dict[str, tuple[str, list[str] | str]]]:
    root = tmp_path_factory.mktemp("bad") / "bad"
    return root, build_corpus(root)


def test_every_bad_input_is_extracted_or_quarantined_and_memory_stays_bounded(corpus) -> None:
    root, expect = corpus
    run = subprocess.run([sys.executable, "-c", WORKER, str(root)], cwd=ROOT, capture_output=True, text=True,
                         timeout=900, stdin=subprocess.DEVNULL)
    assert run.returncode == 0, run.stderr
    *rows, peak = [json.loads(line) for line in run.stdout.splitlines()]
    got = {r["locator"].removeprefix("bad/").removesuffix("#1").removesuffix("#3"): r for r in rows}
    assert sorted(got) == sorted(expect), "every input has exactly one result, the folder loop none"
    assert len(rows) == len(expect) + 1  # records.jsonl#1 and #3 share a key above
    for name, (outcome, what) in expect.items():
        r = got[name]
        if outcome == "quarantined" or (outcome == "either" and r["outcome"] == "quarantined"):
            assert r["outcome"] == "quarantined", (name, r)
            assert isinstance(what, list) or what in r["reason"], (name, r["reason"])
            assert r["reason"], name
        else:
            assert r["outcome"] is None, (name, r["reason"])  # extracted, waiting to be indexed
            missing = [w for w in what if w not in r["text"]]
            assert not missing, (name, missing, r["text"][:300])
    assert peak["peak_rss_mb"] < MEMORY_BOUND_MB


def test_the_cli_run_over_the_bad_corpus_finishes(corpus, index_name: str, tmp_path: Path) -> None:
    root, expect = corpus
    run = run_cli("ingest", str(root), "--source", "bad",
                  env=cli_env(os.environ["NEWSINDEX_ES_URL"], index_name, tmp_path / "cache"))
    assert run.returncode == 0, run.stderr
    assert _row(run.stdout, "documents") == len(expect) + 1
    assert _row(run.stdout, "quarantined") >= sum(1 for o, _ in expect.values() if o == "quarantined")
