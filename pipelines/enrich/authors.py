"""Authors: person names from an HTML page, with organisation bylines kept apart.

Rule order (the first rule that yields a person wins; every candidate is recorded):
JSON-LD author > meta author (author, article:author, parsely-author, sailthru.author, dc.creator, byl)
> byline elements (rel=author, itemprop=author, class author/byline) > trafilatura's author.
Each raw value is cleaned: "By" and labels stripped, emails, handles, URLs, dates and job titles removed
("Keith Barry Senior Autos Reporter" -> "Keith Barry"), credentials dropped ("MD", "Ph.D."), lists split
("A, B and C"). Organisation bylines (AP, Reuters, "Staff", the site's own name) go to `organizations`.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from typing import Any

from pipelines.enrich.metadata_html import PageSignals, jsonld_names, node_text, resolve, squash, types
from pipelines.extract.cleaning import fix_case, unique_names
from pipelines.models import Extraction

AGENCIES = frozenset(
    s.casefold()
    for s in (
        "AP", "The AP", "Associated Press", "The Associated Press", "Reuters", "Thomson Reuters", "AFP",
        "Agence France-Presse", "Agence France Presse", "Bloomberg", "Bloomberg News", "UPI", "dpa", "DPA",
        "Xinhua", "TASS", "PA", "PA Media", "Press Association", "EFE", "ANSA", "Kyodo", "Yonhap", "CNN Wire",
        "Staff", "Staff Reporter", "Staff Writer", "Staff Writers", "Staff Reports", "Staff Report",
        "Editorial Board", "The Editorial Board", "Editors", "The Editors", "Editorial Staff", "Editorial Team",
        "News Desk", "Newsdesk", "Newsroom", "Web Desk", "Wire Services", "Wire Reports", "News Services",
        "Agencies", "News Agencies", "Admin", "Administrator", "Anonymous", "Guest", "Guest Author",
    )
)
_ORG_WORDS = re.compile(
    r"\b(?:press|news|agency|agencies|staff|desk|team|editors|editorial|services|wire|media|newsroom|inc|llc|"
    r"ltd|gmbh|corp|corporation|company|group|institute|university|association|foundation|council|center|"
    r"centre|department|ministry|magazine|network|bureau|society|club|committee)\b\.?",
    re.IGNORECASE,
)
# Job titles and roles written after (or before) a name in a byline.
_ROLE_WORDS = (
    "reporter|writer|editor|correspondent|contributor|contributing|columnist|journalist|producer|author|"
    "senior|chief|deputy|managing|associate|assistant|executive|freelance|freelancer|photographer|"
    "photojournalist|analyst|director|founder|co-founder|cofounder|ceo|cto|cfo|coo|president|manager|"
    "specialist|expert|head|lead|intern|fellow|critic|host|anchor|strategist|consultant|researcher|"
    "scientist|professor|lecturer|student|coordinator|officer|partner|owner|blogger|staff|guest|"
    "contributors|writers|editors|reporters|nutritionist|dietitian|therapist|physician|doctor|nurse|"
    "engineer|developer|designer|marketer|team|member|vp|svp|evp"
)
_ROLE = re.compile(rf"\b(?:{_ROLE_WORDS})\b", re.IGNORECASE)
_LEAD_LABEL = re.compile(
    r"^\s*(?:(?:written|posted|published|reported|reporting|words|story|text|article|compiled|edited|"
    r"reviewed|medically reviewed|fact[- ]checked|updated)\s+)?(?:by|from)\s*[:\-]?\s+|^\s*(?:author|authors|"
    r"byline|writer|posted by|written by)\s*[:\-]\s*",
    re.IGNORECASE,
)
_EMAIL = re.compile(r"\S+@\S+\.\w+")
_HANDLE = re.compile(r"(?<!\w)@\w+")
_URL = re.compile(r"https?://\S+|www\.\S+", re.IGNORECASE)
_MONTHS = r"jan|feb|mar|apr|may|jun|jul|aug|sep|sept|oct|nov|dec|january|february|march|april|june|july|" \
          r"august|september|october|november|december"
_DATE = re.compile(
    rf"(?:\b(?:updated|published|posted|last updated|on)\b\s*:?\s*)?(?:\b(?:{_MONTHS})\.?\s+\d{{1,2}}(?:st|nd|rd|th)?"
    rf",?\s*\d{{2,4}}|\b\d{{1,2}}\s+(?:{_MONTHS})\.?\s+\d{{2,4}}|\b\d{{1,4}}[/.-]\d{{1,2}}[/.-]\d{{1,4}}|"
    r"\b\d{1,2}:\d{2}\s*(?:[ap]\.?m\.?)?(?:\s*[A-Z]{2,4})?)",
    re.IGNORECASE,
)
_SPLIT = re.compile(r"\s*(?:,|;|\||\s&\s|&amp;|\band\b|\bund\b|\bet\b|\by\b|\s/\s|\n| · | • )\s*", re.IGNORECASE)
# Credentials and honorifics after a name: "MD", "Ph.D.", "RD", "CFP®", "Jr." is kept (part of the name).
_CREDENTIAL = re.compile(
    r"^(?:[A-Z]{2,6}(?:-[A-Z]{1,6})?\s*\d*|Ph\.?\s?D\.?|M\.?D\.?|M\.?S\.?|B\.?A\.?|M\.?A\.?|R\.?N\.?|Esq\.?|"
    r"[A-Z][A-Za-z.]{0,6}®|[A-Z]{2,6}®)$"
)
_JUNK = re.compile(
    r"^(?:share|follow|menu|home|search|more|read more|view all posts|all posts|see all|comments?|reply|"
    r"subscribe|sign in|log in|login|facebook|twitter|linkedin|instagram|email|print|about|contact|"
    r"advertisement|loading|unknown|n/?a|none|null|by|posts by|articles by|more from)$|min read|"
    r"\bposts?\b|\barticles?\b|\bview\b|\bclick\b|\bfollow\b|[<>{}=]|^\d+$",
    re.IGNORECASE,
)
_NAME_CHARS = re.compile(r"^[\w .'’\-()]+$")
_BYLINE_XPATH = (
    "//*[@rel='author' or contains(concat(' ', normalize-space(@rel), ' '), ' author ')]"
    " | //*[@itemprop='author']"
    " | //*[contains(translate(@class, 'AUTHORBYLINE', 'authorbyline'), 'author')"
    " or contains(translate(@class, 'BYLINE', 'byline'), 'byline')]"
)
# Class/id tokens of page regions whose names are not the article's authors (comments, related lists).
_SKIP_ANCESTOR = re.compile(
    r"^(?:[\w-]*[-_])?(?:comments?|related|sidebar|footer|widget|recommended|popular|trending|respond|"
    r"more-stories|read-next)(?:[-_][\w-]*)?$",
    re.I,
)


def is_organisation(name: str, site_names: Sequence[str] = ()) -> bool:
    key = name.casefold().strip(" .")
    if key in AGENCIES or key in {s.casefold() for s in site_names}:
        return True
    return bool(_ORG_WORDS.search(name))


def _strip_roles(part: str) -> str:
    """Drop a job title glued after or before a name; keep the name."""
    m = _ROLE.search(part)
    if not m:
        return part
    before, after = part[: m.start()].strip(" ,-–—|:"), part[m.end():]
    if len(before.split()) >= 2 or (before and not after.strip()):
        return before
    if not before:
        # "Staff Writer Jane Doe": a role before the name.
        rest = _ROLE.sub("", part)
        rest = re.sub(r"^\W*(?:of|at|for)\b.*$", "", rest.strip(), flags=re.I)
        return squash(rest.strip(" ,-–—|:"))
    return before


def clean_byline(
    raw: str, site_names: Sequence[str] = (), *, loose: bool = False, single: bool = False
) -> tuple[list[str], list[str]]:
    """(people, organisations) from one raw byline or author value. `loose` marks text scraped from page
    elements, where single words are more likely navigation than names (unless `single`: a labelled byline)."""
    text = squash(raw)
    if not text or len(text) > 300:
        return [], []
    text = _URL.sub(" ", _EMAIL.sub(" ", text))
    text = _HANDLE.sub(" ", text)
    text = _DATE.sub(" ", text)
    text = re.sub(r"\b(?:published|updated|posted|last updated|modified)\b.*$", "", text, flags=re.I)
    text = re.sub(rf"\s+(?:on\s+\S*\d.*|(?:on\s+)?(?:{_MONTHS})\b\.?\s+\d.*)$", "", text, flags=re.I)
    text = re.sub(r"\s*\((?:[^)]*)\)", " ", text)  # "(opens in new tab)", "(Reuters)"
    text = re.sub(r"\s+[-–—|]\s+.*$", "", text) if loose else text
    text = _LEAD_LABEL.sub("", squash(text))
    people: list[str] = []
    orgs: list[str] = []
    for part in _SPLIT.split(text):
        part = _LEAD_LABEL.sub("", squash(part)).strip(" .,:;-–—|·•")
        if not part:
            continue
        if people and (_CREDENTIAL.match(part) or _ROLE.search(part)):
            continue  # "Jane Doe, MD" / "Jane Doe, Staff Writer": a credential or title after a name
        if is_organisation(part, site_names):
            orgs.append(part)
            continue
        part = _strip_roles(part).strip(" .,:;-–—|")
        part = re.sub(r",?\s+(?:Jr|Sr)\.?$", lambda m: m.group(0), part)
        part = re.sub(r"(?:\s+(?:[A-Z]{2,6}|Ph\.?D\.?|M\.?D\.?))+$", "", part) if len(part.split()) > 2 else part
        if not part or _JUNK.search(part) or not _NAME_CHARS.match(part) or len(part) > 60:
            continue
        words = part.split()
        if len(words) > 5 or (loose and not single and len(words) < 2) or not any(c.isalpha() for c in part):
            continue
        if loose and not all(w[0].isupper() or w.lower() in _PARTICLES for w in words):
            continue
        people.append(fix_case(part))
    return unique_names(people), unique_names(orgs)


_PARTICLES = {"van", "von", "de", "der", "den", "da", "del", "della", "di", "du", "la", "le", "bin", "al", "dos", "y"}


def _jsonld_authors(sig: PageSignals) -> list[tuple[str, str]]:
    """(name, kind) for each JSON-LD author of the article; kind is "person", "org" or "" (untyped)."""
    out: list[tuple[str, str]] = []
    for obj in sig.articles():
        value: Any = resolve(sig, obj.get("author") or obj.get("creator"))
        items = value if isinstance(value, list) else [value]
        for item in items:
            kinds = types(item) if isinstance(item, dict) else []
            kind = "person" if "Person" in kinds else "org" if any(t.endswith("Organization") for t in kinds) else ""
            out.extend((name, kind) for name in jsonld_names(item))
        if out:
            break
    return out


def _skipped(el: Any) -> bool:
    for a in el.iterancestors():
        if a.tag in ("footer", "nav"):
            return True
        if any(_SKIP_ANCESTOR.match(t) for t in f"{a.get('class') or ''} {a.get('id') or ''}".split()):
            return True
    return False


def _byline_texts(sig: PageSignals) -> list[str]:
    """Texts of elements marked as author/byline (rel, itemprop, class), outside comments and sidebars."""
    if sig.tree is None:
        return []
    texts: list[str] = []
    for el in sig.tree.xpath(_BYLINE_XPATH):
        if not isinstance(el.tag, str) or el.tag in ("meta", "link", "script", "style", "body", "html", "img"):
            continue
        if _skipped(el):
            continue
        name_el = el.xpath(".//*[@itemprop='name']")
        text = (name_el[0].get("content") or node_text(name_el[0])) if name_el else node_text(el)
        if text and len(text) <= 150 and text not in texts:
            texts.append(text)
        if len(texts) >= 8:
            break
    return texts


def _labelled_bylines(sig: PageSignals) -> list[str]:
    """Bylines written as text: "By Jane Doe", "Written by" + a name in the next element, "Author: Jane Doe"."""
    if sig.tree is None:
        return []
    out: list[str] = []
    body = sig.tree.find(".//body")
    if body is None:
        return out
    for el in body.iter("p", "span", "div", "li", "small", "address", "strong", "em", "h4", "h5", "h6"):
        if len(el) > 6 or len(el.text_content()) > 400:  # containers and paragraphs are not bylines (cheap test)
            continue
        text = node_text(el)
        if not text or len(text) > 90:
            continue
        label = _LABEL_ONLY.match(text)
        if label:
            if _skipped(el):
                continue
            following = el.getnext()
            if following is None and el.getparent() is not None:
                following = el.getparent().getnext()
            name = node_text(following) if following is not None else ""
            if name and len(name) <= 90:
                out.append(name)
        elif _LABEL_START.match(text) and not _skipped(el):
            out.append(text)
        if len(out) >= 4:
            break
    return out


_LABEL_ONLY = re.compile(r"^(?:written by|posted by|by|author|authors|words by|written by:|by:|author:)\s*:?$", re.I)
_LABEL_START = re.compile(r"^(?:written by|posted by|by|author:|authors:|words by)\s+[A-Z]", re.I)


def _weak(name: str) -> bool:
    """A username or a lone first name: accepted only when nothing better is found."""
    return len(name.split()) < 2 or bool(re.search(r"[\d_@]|^[a-z]", name))


def choose_authors(ext: Extraction, sig: PageSignals, *, site_names: list[str],
                   fallback: str | Callable[[], str | None] | None = None) -> None:
    """Set ext.authors / ext.organizations and provenance; record candidates with reasons.

    Structured sources (JSON-LD, meta) are trusted: an organisation there ends the search unless an explicit
    "By …"/"Written by …" line names a person. Text scraped from author/byline elements counts only when it
    yields a person. A username, a lone first name, or the site's own name is kept only if no later rule
    gives a better name (the site's name then counts as a person only when JSON-LD types it Person).
    """
    rules: list[tuple[str, list[str], bool]] = []
    ld = _jsonld_authors(sig)
    persons_ld = {n.casefold() for n, kind in ld if kind == "person"}
    if ld:
        rules.append(("jsonld:author", [n for n, _ in ld], False))
    for key in ("author", "article:author", "parsely-author", "sailthru.author", "dc.creator", "dcterms.creator",
                "byl", "citation_author"):
        values = [v for v in sig.metas.get(key, []) if squash(v) and not _URL.match(squash(v))]
        if values:
            rules.append((f"meta:{key}", values, False))
    bylines = _byline_texts(sig)
    if bylines:
        rules.append(("byline", bylines, True))
    labelled = _labelled_bylines(sig)
    if labelled:
        rules.append(("byline:label", labelled, True))
    if callable(fallback):
        # A costly last resort (trafilatura copies the page to read it): asked only when no rule of ours applies.
        fallback = None if rules else fallback()
    if fallback:
        rules.append(("trafilatura", [a for a in fallback.split(";") if a.strip()], True))

    sites = {n.casefold() for n in site_names}
    weak: tuple[str, list[str]] | None = None
    site_named: tuple[str, list[str]] | None = None
    org_rule: str | None = None
    loose_orgs: tuple[str, list[str]] | None = None
    for rule, values, loose in rules:
        if org_rule and rule != "byline:label":
            ext.propose("authors", values, rule, False, f"{org_rule} names an organisation")
            continue
        people: list[str] = []
        orgs: list[str] = []
        for value in values:
            p, o = clean_byline(value, loose=loose, single=rule == "byline:label")
            people += [x for x in p if x.casefold() not in {y.casefold() for y in people}]
            orgs += [x for x in o if x not in orgs]
        people = _drop_abbreviated(people)
        if people and all(x.casefold() in sites for x in people):
            site_named = site_named or (rule, people)
            ext.propose("authors", people, rule, False, "the site's own name; looking for a person")
            continue
        people = [x for x in people if x.casefold() not in sites]
        if people and all(_weak(x) for x in people):
            weak = weak or (rule, people)
            ext.propose("authors", people, rule, False, "username or single name; looking for a full name")
            continue
        if people:
            _accept(ext, rule, people, [] if org_rule else orgs)
            _reject_rest(ext, rules, rule)
            return
        if orgs and not loose and not org_rule:
            org_rule = rule
            ext.organizations += [o for o in orgs if o not in ext.organizations]
            ext.provenance["authors"] = f"{rule}:organisation"
            ext.propose("authors", orgs, rule, True, "organisation byline: kept in organizations, no person")
            continue
        if orgs and loose:
            loose_orgs = loose_orgs or (rule, orgs)
        ext.propose("authors", values, rule, False, "no person name after cleaning")
    if org_rule:
        return
    if weak:
        _accept(ext, weak[0], weak[1], [])
    elif site_named:
        rule, names = site_named
        if all(n.casefold() in persons_ld for n in names):
            _accept(ext, rule, names, [])
        else:
            ext.organizations += [n for n in names if n not in ext.organizations]
            ext.provenance["authors"] = f"{rule}:organisation"
    elif loose_orgs:
        ext.organizations += [n for n in loose_orgs[1] if n not in ext.organizations]
        ext.provenance["authors"] = f"{loose_orgs[0]}:organisation"


def _drop_abbreviated(people: list[str]) -> list[str]:
    """"Scott P" next to "Scott Pletcher" is the same person, shortened."""
    return [x for x in people if not any(y != x and y.startswith(x) and len(x.split()) > 1 for y in people)]


def _accept(ext: Extraction, rule: str, people: list[str], orgs: list[str]) -> None:
    ext.authors = people
    ext.organizations += [o for o in orgs if o not in ext.organizations]
    ext.provenance["authors"] = rule
    ext.propose("authors", people, rule, True, "first rule with a person name")


def _reject_rest(ext: Extraction, rules: list[tuple[str, list[str], bool]], chosen: str) -> None:
    after = False
    for rule, values, _ in rules:
        if after:
            ext.propose("authors", values, rule, False, f"{chosen} preferred")
        after = after or rule == chosen
