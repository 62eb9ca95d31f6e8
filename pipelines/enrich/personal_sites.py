"""Personal sites: a blog named after its author is that author's byline when the page names none.

Researchers count one-person sites by their owner; the page often says who only in its name and address.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from functools import cache
from pathlib import Path
from urllib.parse import urljoin, urlsplit

from pipelines.enrich.metadata_html import PageSignals, squash
from pipelines.enrich.titles import title_segments

_OWNED = re.compile(r"(?:['’]s?)\s+(?:blog|site|website|homepage|home page|notes|journal|weblog)$", re.I)
# Words that name what a site is about, not who owns it ("Ironhack Blog", "Parkview Health").
_SITE_WORDS = re.compile(
    r"\b(?:blog|blogs|health|tech|lab|labs|digital|online|studio|studios|shop|store|daily|times|post|journal|"
    r"review|weekly|guide|guides|hub|academy|school|college|clinic|hospital|care|solutions|systems|software|"
    r"insights|marketing|travel|home|homes|life|living|world|global|official|app|apps|cloud|data|ai|finance|"
    r"money|law|legal|partners|consulting|design|learning|resources|support|help|kitchen|garden|books)\b",
    re.IGNORECASE,
)
_PERSON_WORD = re.compile(r"^[A-Z][a-z]+(?:[-'’][A-Z]?[a-z]+)?$")
FIRST_NAMES_PATH = Path(__file__).resolve().parents[2] / "config" / "first_names.txt"


@cache
def first_names() -> frozenset[str]:
    """Given names, read once per process (data, not a rule: any name list of this kind would do)."""
    lines = FIRST_NAMES_PATH.read_text(encoding="utf-8").splitlines()
    return frozenset(line for line in lines if line and not line.startswith("#"))


def site_owners(sig: PageSignals, site_names: Sequence[str]) -> list[str]:
    """The person the site is named after, if it is a personal site (the callers ask when no author is named).

    A given name and a surname ("Jane Doe") as og:site_name, the title's last segment ("Post | Jane Doe",
    "Post (Jane Doe)") or the text of a link home (a blog's header), or "Jane Doe's blog",
    counts only when the address spells the name too (janedoe.com, jane.dev, ~jdoe): a site named like a
    person whose address says so is that person's own site, while "Harvard Health" on another address is an
    outlet. The given names (config/first_names.txt) keep brands spelled by their domain out ("Menlo Coaching"
    on menlocoaching.com).
    """
    owners: list[str] = []
    if not sig.url:
        return owners
    parts = urlsplit(sig.url)
    host = (parts.hostname or "").removeprefix("www.")
    labels = [host.split(".")[0]] + [seg.lstrip("~") for seg in parts.path.split("/")[1:2] if seg.startswith("~")]
    title = sig.tree.findtext(".//title") if sig.tree is not None else None
    last = title_segments(squash(title or ""))[-1]
    candidates = [*site_names, last.rstrip(")").rsplit(" (", 1)[-1], *_home_link_texts(sig, host)]
    for raw in candidates:
        name = _OWNED.sub("", squash(raw)).strip()
        words = name.split()
        if not (2 <= len(words) <= 3 and all(_PERSON_WORD.match(w) for w in words)):
            continue
        if not all(w in first_names() for w in words[:-1]):  # "Mary Ann Lee": all but the surname are given names
            continue
        if _SITE_WORDS.search(name):
            continue
        keys = [w.casefold().replace("-", "").replace("'", "").replace("’", "") for w in words]
        for label in labels:
            label = label.casefold().replace("-", "")
            if label == "".join(keys) or label == keys[0] or (len(keys[-1]) >= 4 and keys[-1] in label):
                owners.append(name)
                break
    return owners


def _home_link_texts(sig: PageSignals, host: str) -> list[str]:
    """What the first links to the site's root say (a personal blog's header shows its owner's name there)."""
    if sig.tree is None or not sig.url:
        return []
    texts: list[str] = []
    for link in sig.tree.xpath("//body//a[@href]")[:200]:
        target = urlsplit(urljoin(sig.url, link.get("href")))
        if (target.hostname or "").removeprefix("www.") == host and target.path in ("", "/") and not target.query:
            texts.append(squash(link.text_content()))
    return texts[:3]
