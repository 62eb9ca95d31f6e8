"""Titles: pick the headline as written, without the site name glued on.

Candidates: the page's `<h1>`, og:title, JSON-LD headline, twitter:title and `<title>`. Meta titles often
carry the site ("Headline | The Outlet", "Outlet » Headline"); segments around a separator are dropped when
they name the site (og:site_name, JSON-LD publisher, the outlet registry, or the domain). The visible `<h1>`
wins when another source confirms it (it is what readers see); otherwise the cleaned meta titles are
preferred in the order JSON-LD headline, og:title, twitter:title, `<title>`.
"""

from __future__ import annotations

import re
import unicodedata
from typing import Any

from pipelines.enrich.metadata_html import BLOCK_TAGS, NO_TEXT_TAGS, PageSignals, squash
from pipelines.enrich.outlets import lookup_outlet, registered_domain
from pipelines.models import Extraction

SEPARATORS = (" | ", " - ", " – ", " — ", " » ", " :: ", " · ", " • ", " / ", " : ", " ~ ", " — ")
_SEP_RE = re.compile("(" + "|".join(re.escape(s) for s in dict.fromkeys(SEPARATORS)) + ")")


def title_segments(title: str) -> list[str]:
    """The parts of a `<title>` between site-name separators ("Post | Site" -> ["Post", "Site"])."""
    return _SEP_RE.split(title)[0::2]

_ALNUM = re.compile(r"[^0-9a-z]+")
# Section labels outlets append like a site name ("Headline | Opinion").
SECTION_LABELS = frozenset(
    {
        "opinion", "analysis", "editorial", "review", "reviews", "explainer", "commentary", "blog", "news",
        "podcast", "video", "live", "interview", "feature", "features", "column", "letters", "obituary",
    }
)
MAX_TITLE_WORDS = 30
_GENERIC_H1 = re.compile(r"^(menu|search|navigation|home|main menu|related( posts| articles)?|comments?|share)$", re.I)


def _key(text: str) -> str:
    """Comparison key: letters and digits only, accents and a leading "the" dropped."""
    text = unicodedata.normalize("NFKD", text.casefold())
    text = re.sub(r"^\s*the\s+", "", text)
    return _ALNUM.sub("", "".join(c for c in text if not unicodedata.combining(c)))


def _words(text: str) -> list[str]:
    return [w for w in _ALNUM.split(unicodedata.normalize("NFKD", text.casefold())) if w]


def names_site(segment: str, site_names: list[str], domain: str | None) -> bool:
    """True when a title segment is the site's name (or its domain written out)."""
    key = _key(segment)
    if not key or segment.strip().casefold() in SECTION_LABELS:
        return True
    for name in site_names:
        nkey = _key(name)
        if nkey and (key == nkey or (len(nkey) >= 4 and (key.startswith(nkey) or key.endswith(nkey)) and
                                     len(key) - len(nkey) <= 12 and len(_words(segment)) <= 5)):
            return True
    if domain:
        label = _key(domain.split(".")[0])
        dkey = _key(domain)
        if key in (label, dkey) or (len(label) >= 4 and label in key and len(_words(segment)) <= 4):
            return True
        words = _words(segment)
        if words and len(words) <= 4 and len(label) >= 5 and "".join(words) in label:
            return True
    return False


def strip_site(title: str, site_names: list[str], domain: str | None) -> str:
    """Drop leading/trailing segments that name the site; keep inner separators (they are the headline's)."""
    parts = _SEP_RE.split(title)
    segments = parts[0::2]
    seps = parts[1::2]
    if len(segments) < 2:
        return title
    while len(segments) > 1 and names_site(segments[-1], site_names, domain):
        segments.pop(), seps.pop()
    while len(segments) > 1 and names_site(segments[0], site_names, domain):
        segments.pop(0), seps.pop(0)
    out = segments[0]
    for sep, seg in zip(seps, segments[1:], strict=True):
        out += sep + seg
    return squash(out)


_NOT_HEADLINE = NO_TEXT_TAGS | {"time"}  # a dateline inside the headline's link is not the headline
_EDGE = "\x00"  # an element boundary inside the headline, settled when the text around it is known
_IN_WORD = re.compile(rf"(?<=[^\W\d_]){_EDGE}+(?=[a-z])")


def headline_text(el: Any) -> str:
    """A headline as shown: an element boundary inside a word joins ("Planning <span>C</span>ycle" is "Planning
    Cycle"), any other is a space (spans set apart by CSS, "<br>"), and a dateline `<time>` in it is not the
    headline."""
    parts: list[str] = []

    def walk(node: Any) -> None:
        parts.append(node.text or "")
        for child in node:
            if isinstance(child.tag, str) and child.tag not in _NOT_HEADLINE:
                edge = " " if child.tag in BLOCK_TAGS else _EDGE
                parts.append(edge)
                walk(child)
                parts.append(edge)
            parts.append(child.tail or "")

    walk(el)
    return squash(_IN_WORD.sub("", "".join(parts)).replace(_EDGE, " "))


def _h1_candidates(sig: PageSignals, names: list[str], domain: str | None) -> tuple[list[str], bool]:
    """Visible headlines, scoped ones (inside <article>/<main>, itemprop=headline) first; and whether one is scoped
    or the page has a single <h1> (a headline that needs no confirmation)."""
    if sig.tree is None:
        return [], False
    scoped = [headline_text(el) for el in sig.tree.xpath("//article//h1 | //main//h1 | //*[@itemprop='headline']")]
    everywhere = [headline_text(el) for el in sig.tree.iter("h1")]
    out: list[str] = []
    for text in scoped + everywhere:
        if (text and len(_words(text)) <= MAX_TITLE_WORDS and not _GENERIC_H1.match(text) and text not in out
                and not names_site(text, names, domain)):
            out.append(text)
    scoped_ok = bool(out) and (out[0] in scoped or len(set(everywhere)) == 1)
    return out[:6], scoped_ok


def _site_from_title_tag(sig: PageSignals, metas: list[tuple[str, str]]) -> list[str]:
    """An end segment of `<title>` that is also an <h1> is the site's name ("Post :: Blog" + <h1>Blog</h1>)."""
    tag = next((v for r, v in metas if r == "title-tag"), None)
    if not tag or sig.tree is None:
        return []
    segments = title_segments(tag)
    if len(segments) < 2:
        return []
    h1s = {_key(headline_text(el)) for el in sig.tree.iter("h1")}
    longest = max(segments, key=len)
    return [seg for seg in (segments[0], segments[-1])
            if _key(seg) in h1s and seg is not longest and len(_words(seg)) <= 5]


def _agrees(a: str, b: str) -> bool:
    ka, kb = _key(a), _key(b)
    if not ka or not kb:
        return False
    if ka == kb:
        return True
    short, long_ = sorted((ka, kb), key=len)
    return len(short) >= 12 and short in long_ and len(short) / len(long_) >= 0.5


def choose_title(ext: Extraction, sig: PageSignals, *, site_names: list[str], fallback: str | None = None) -> None:
    """Set ext.title and its provenance, proposing every candidate with the reason it won or lost."""
    domain = registered_domain(sig.url or ext.url)
    names = list(site_names)
    outlet = lookup_outlet(sig.url or ext.url or "")
    if outlet:
        names.append(outlet.name)
    metas: list[tuple[str, str]] = []
    for obj in sig.articles():
        for key in ("headline", "name"):
            value = obj.get(key)
            if isinstance(value, str) and squash(value):
                metas.append((f"jsonld:{key}", squash(value)))
                break
    for rule, key in (("og:title", "og:title"), ("twitter:title", "twitter:title"), ("meta:title", "title")):
        value = sig.meta(key)
        if value:
            metas.append((rule, value))
    if sig.tree is not None:
        tag = sig.tree.find(".//title")
        if tag is not None and squash(tag.text_content()):
            metas.append(("title-tag", squash(tag.text_content())))
    if fallback:
        metas.append(("trafilatura", squash(fallback)))
    if not names and domain is None:  # nothing else names the site: a saved page without its URL
        names += _site_from_title_tag(sig, metas)
    cleaned = [(rule, strip_site(value, names, domain), value) for rule, value in metas]
    cleaned = [(r, c, v) for r, c, v in cleaned
               if c and not names_site(c, names, domain) and len(_words(c)) <= MAX_TITLE_WORDS]
    h1s, prominent = _h1_candidates(sig, names, domain)

    chosen: tuple[str, str] | None = None
    for h1 in h1s:
        # trafilatura's title is often read from the <h1> itself, so it cannot confirm one.
        confirm = next((r for r, c, v in cleaned if r != "trafilatura" and (_agrees(h1, c) or _agrees(h1, v))), None)
        if confirm:
            chosen = ("h1", h1)
            ext.propose("title", h1, "h1", True, f"visible headline, confirmed by {confirm}")
            break
        ext.propose("title", h1, "h1", False, "no meta title agrees with this <h1>")
    if chosen is None and prominent and 3 <= len(_words(h1s[0])) <= 20:
        chosen = ("h1", h1s[0])
        ext.propose("title", h1s[0], "h1", True, "the page's one headline (in <article>/<main> or sole <h1>)")
    for rule, value, raw in cleaned:
        if chosen is None:
            chosen = (rule, value)
            reason = "first meta title" + (f" (site name stripped from {raw!r})" if value != raw else "")
            ext.propose("title", value, rule, True, reason)
        else:
            ext.propose("title", value, rule, False, f"{chosen[0]} preferred")
    if chosen is None and h1s:
        chosen = ("h1", h1s[0])
        ext.propose("title", h1s[0], "h1", True, "only candidate")
    if chosen:
        ext.title = chosen[1]
        ext.provenance["title"] = chosen[0]
