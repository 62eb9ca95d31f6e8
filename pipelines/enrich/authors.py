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
from typing import Any

from pipelines.enrich.metadata_html import PageSignals, jsonld_names, node_text, squash, types
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
    "engineer|developer|designer|marketer|marketing|team|member|vp|svp|evp"
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
_SKIP_ANCESTOR = re.compile(r"comment|related|sidebar|footer|widget|recommend|popular|trending|respond", re.I)


def is_organisation(name: str, site_names: list[str] = ()) -> bool:  # type: ignore[assignment]
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


def _fix_case(name: str) -> str:
    return name.title() if name.isupper() and len(name.replace(" ", "")) > 3 else name


def clean_byline(raw: str, site_names: list[str] = (), *, loose: bool = False) -> tuple[list[str], list[str]]:  # type: ignore[assignment]
    """(people, organisations) from one raw byline or author value. `loose` marks text scraped from page
    elements, where single words are more likely navigation than names."""
    text = squash(raw)
    if not text or len(text) > 300:
        return [], []
    text = _URL.sub(" ", _EMAIL.sub(" ", text))
    text = _HANDLE.sub(" ", text)
    text = _DATE.sub(" ", text)
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
        if len(words) > 5 or (loose and len(words) < 2) or not any(c.isalpha() for c in part):
            continue
        if loose and not all(w[0].isupper() or w.lower() in _PARTICLES for w in words):
            continue
        people.append(_fix_case(part))
    return _unique(people), _unique(orgs)


_PARTICLES = {"van", "von", "de", "der", "den", "da", "del", "della", "di", "du", "la", "le", "bin", "al", "dos", "y"}


def _unique(items: list[str]) -> list[str]:
    seen: set[str] = set()
    return [x for x in items if not (x.casefold() in seen or seen.add(x.casefold()))]


def _jsonld_authors(sig: PageSignals) -> list[tuple[str, bool]]:
    """(name, is_organisation_type) for each JSON-LD author of the article."""
    out: list[tuple[str, bool]] = []
    for obj in sig.articles():
        value: Any = obj.get("author") or obj.get("creator")
        items = value if isinstance(value, list) else [value]
        for item in items:
            is_org = isinstance(item, dict) and any(t in ("Organization", "NewsMediaOrganization") for t in types(item))
            out.extend((name, is_org) for name in jsonld_names(item))
        if out:
            break
    return out


def _byline_texts(sig: PageSignals) -> list[str]:
    if sig.tree is None:
        return []
    texts: list[str] = []
    for el in sig.tree.xpath(_BYLINE_XPATH):
        if el.tag in ("meta", "link", "script", "style", "body", "html") or not isinstance(el.tag, str):
            continue
        if any(_SKIP_ANCESTOR.search(" ".join((a.get("class") or "", a.get("id") or "")))
               for a in el.iterancestors()):
            continue
        name_el = el.xpath(".//*[@itemprop='name']")
        text = (name_el[0].get("content") or node_text(name_el[0])) if name_el else node_text(el)
        if text and len(text) <= 150 and text not in texts:
            texts.append(text)
        if len(texts) >= 8:
            break
    return texts


def choose_authors(ext: Extraction, sig: PageSignals, *, site_names: list[str], fallback: str | None = None) -> None:
    """Set ext.authors / ext.organizations and provenance; record candidates with reasons."""
    rules: list[tuple[str, list[str], bool]] = []
    ld = _jsonld_authors(sig)
    if ld:
        rules.append(("jsonld:author", [n for n, org in ld if not org], False))
        orgs_typed = [n for n, org in ld if org]
        if orgs_typed:
            ext.organizations.extend(o for o in orgs_typed if o not in ext.organizations)
    for key in ("author", "article:author", "parsely-author", "sailthru.author", "dc.creator", "dcterms.creator",
                "byl", "citation_author"):
        values = [v for v in sig.metas.get(key, []) if squash(v) and not _URL.match(squash(v))]
        if values:
            rules.append((f"meta:{key}", values, False))
    bylines = _byline_texts(sig)
    if bylines:
        rules.append(("byline", bylines, True))
    if fallback:
        rules.append(("trafilatura", [a for a in fallback.split(";") if a.strip()], True))

    chosen: str | None = None
    for rule, values, loose in rules:
        people: list[str] = []
        for value in values:
            p, o = clean_byline(value, site_names, loose=loose)
            people.extend(x for x in p if x.casefold() not in {y.casefold() for y in people})
            for org in o:
                if chosen is None and org not in ext.organizations:
                    ext.organizations.append(org)
        if not people:
            if values:
                ext.propose("authors", values, rule, False, "no person name after cleaning")
            continue
        if chosen is None:
            chosen = rule
            ext.authors = people
            ext.provenance["authors"] = rule
            ext.propose("authors", people, rule, True, "first rule with a person name")
        else:
            ext.propose("authors", people, rule, False, f"{chosen} preferred")
    if chosen is None and ext.organizations:
        ext.provenance["authors"] = "organization"
