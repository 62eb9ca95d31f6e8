"""Authors: person names from an HTML page, with organisation bylines kept apart.

Rule order (the first rule that yields a person wins; every rule read is recorded as a candidate):
JSON-LD author > meta author (author, article:author, parsely-author, sailthru.author, dc.creator, byl,
citation_author, cXenseParse:author, the twitter:label/data "Written by" pair) > byline elements
(rel/itemprop/class/id author or byline, links to author pages) > written bylines ("By …", "Written by" + the
next element, "Author:") > trafilatura's author. The page is scanned for bylines only when the structured
sources name no person.
Each raw value is cleaned: "By" and labels stripped, emails, handles, URLs, dates and job titles removed
("Keith Barry Senior Autos Reporter" -> "Keith Barry"), credentials kept as written ("Ann Lee, MD, MPH"), lists split
("A, B and C"); reviewers, editors and updaters ("Reviewed by …", "Updated by …") are not authors.
Organisation bylines (AP, Reuters, "Staff", the site's own name) go to `organizations`, and so, when nothing
names a person, does a byline element that names no person ("Kaspersky", "Ask the Doctors", a lower-case handle).
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from typing import Any

from lxml import etree

from pipelines.enrich.dates import MONTH_NAMES
from pipelines.enrich.metadata_html import (
    BLOCK_TAGS,
    NO_TEXT_TAGS,
    PageSignals,
    jsonld_names,
    page_region,
    resolve,
    squash,
    types,
)
from pipelines.enrich.personal_sites import first_names, site_owners
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
    r"centre|department|ministry|magazine|network|bureau|society|club|committee|hotels?|resorts?|"
    r"restaurants?|airlines?|bank|clinic|hospital)\b\.?",
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
    "engineer|developer|designer|marketer|team|member|vp|svp|evp|former|representative|educator|teacher|"
    "instructor|advisor|adviser|attorney|lawyer|pharmacist|psychologist|counselor|"
    "counsellor|horticulturalist|horticulturist|curator"
)
_ROLE = re.compile(rf"\b(?:{_ROLE_WORDS})\b", re.IGNORECASE)
_DESCRIPTION = re.compile(r"^[a-z][a-z-]+(?:\s+[a-z][a-z-]+){0,3}$")  # words in lower case: no name, a description
# Words before "by" in a credit line: "Written by", "Authored by:", "Words by", "Story by" …
_BY_WORDS = r"written|authored|posted|published|reported|compiled|words|story|text|article"
_LEAD_LABEL = re.compile(
    rf"^\s*(?:(?:{_BY_WORDS}|reporting|contributed|"
    r"read more about|more about|more from)\s+)?(?:by|from)\s*[:\-]?\s+|^\s*(?:author|authors|author\(s\)|"
    r"byline|writer|contributors?|posted by|written by)\s*[:\-]\s*|^\s*(?:read more|more|all posts|articles?) "
    r"(?:about|from|by)\s+|^\s*(?:(?:view|see|browse)\s+)?(?:all|more)\s+(?:posts|articles|stories|blogs)\s+by\s+",
    re.IGNORECASE,
)
# People credited for something other than writing: reviewers, editors, photographers are not authors.
_NOT_AUTHOR_WORDS = (
    r"(?:(?:medically|clinically|expertly|legally|financially|technically)\s+)?reviewed|fact[- ]?checked|"
    r"checked|edited|copy[- ]?edited|updated|illustrat(?:ed|ions?)|photos?|photographs?|photography|images?|"
    r"videos?|graphics?|translated|produced|designed|curated|moderated|narrated|verified|approved"
)
_NOT_AUTHOR = re.compile(rf"^(?:{_NOT_AUTHOR_WORDS})(?:\s+(?:and|&)\s+[\w-]+)?\s+by\b", re.IGNORECASE)
_NOT_AUTHOR_MID = re.compile(rf"(?<=\S)\s+((?:{_NOT_AUTHOR_WORDS})(?:\s+(?:and|&)\s+[\w-]+)?\s+by\b)", re.I)
_AUTHOR_LABEL = re.compile(rf"^(?:(?:{_BY_WORDS})\s+)?by\b", re.I)
_EMAIL = re.compile(r"\S+@\S+\.\w+")
_HANDLE = re.compile(r"(?<!\w)@\w+")
_URL = re.compile(r"https?://\S+|www\.\S+", re.IGNORECASE)
_MONTHS = MONTH_NAMES
_DATE = re.compile(
    rf"(?:\b(?:updated|published|posted|last updated|on)\b\s*:?\s*)?(?:\b(?:{_MONTHS})\.?\s+\d{{1,2}}(?:st|nd|rd|th)?"
    rf",?\s*\d{{2,4}}|\b\d{{1,2}}(?:st|nd|rd|th)?\s+(?:of\s+)?(?:{_MONTHS})\.?,?\s+\d{{2,4}}|"
    rf"\b\d{{1,4}}[/.-]\d{{1,2}}[/.-]\d{{1,4}}|"
    r"\b\d{1,2}:\d{2}\s*(?:[ap]\.?m\.?)?(?:\s*[A-Z]{2,4})?)",
    re.IGNORECASE,
)
_SPLIT = re.compile(r"\s*(?:,|;|\||\s&\s|&amp;|\band\b|\bund\b|\bet\b|\by\b|\s/\s|\n|\s[·•⋅∙]\s)\s*", re.I)
_SPLIT_KEEP = re.compile(f"({_SPLIT.pattern})", re.I)  # the same, keeping separators ("and" continues a title)
# "This post was written by …", "This article was contributed by …": a short sentence before the label.
_SENTENCE_LABEL = re.compile(
    r"^(?:\w+\s+){1,5}(?:was|were|is|are)\s+(?:written|authored|contributed|posted)\s+by\s+", re.I
)
_WEEKDAYS = r"(?:mon|tue|tues|wed|thu|thur|thurs|fri|sat|sun)(?:day|nesday|rsday|urday|sday)?"
# "… on Friday December 19, 2025", "… at 11:15 AM", "… on 12/03/2024": the date after a name, to the end.
_ON_DATE = re.compile(rf"\s+(?:on|at)\s+(?:{_WEEKDAYS}\b|(?:{_MONTHS})\b\.?\s*\d|\d).*$", re.I)
_TRAILING = re.compile(
    r"(?<=\S)\s+(?:(?:published|updated|posted|last updated|modified)\b|on behalf of\b|(?:share|follow|copy link|"
    r"view (?:in|all|more|profile|full)|read more|see more|subscribe|min read)\b).*$",
    re.I,
)
_IN_SECTION = re.compile(r"^((?i:by\s+)?\S+(?:\s+\S+){0,3}?)\s+(?i:in)\s+[A-Z].*$")
# Credentials and honorifics after a name: "MD", "Ph.D.", "RD", "CFP®", "Jr." is kept (part of the name).
_CREDENTIAL = re.compile(
    r"^(?:[A-Z]{2,6}(?:-[A-Z]{1,6})?\s*\d*|Ph\.?\s?D\.?|M\.?D\.?|M\.?S\.?|B\.?A\.?|M\.?A\.?|R\.?N\.?|Esq\.?|"
    r"[A-Z][A-Za-z.]{0,6}®|[A-Z]{2,6}®)$"
)
_JUNK = re.compile(
    r"^(?:share|follow|menu|home|search|more|read more|view all posts|all posts|see all|comments?|reply|"
    r"subscribe|sign in|log in|login|facebook|twitter|linkedin|instagram|email|print|about|contact|"
    r"advertisement|loading|unknown|n/?a|none|null|by|posts by|articles by|more from|written by)$|min read|"
    r"^about (?:the )?(?:authors?|writers?|editors?|us|me)\b|\badmin(?:istrator)?\b|^(?:full )?bio$|"
    r"^(?:published|updated|posted|modified|created|last updated)\b|"
    r"^(?:this|that|these|those|the|default|category|categories|manufacturer|brand|date|price|name|type|topic|"
    r"tags?|popularity|relevance|rating|newest|oldest|title|year|month|size|colou?r)$|"  # "Sort by", "Shop by"
    r"\bposts?\b|\barticles?\b|\bview\b|\bclick\b|\bfollow\b|[<>{}=]|^\d+$",
    re.IGNORECASE,
)
_NAME_CHARS = re.compile(r"^[\w .'’\-()]+$")
# One pass over the page's attributes for author/byline marks: class, id, rel, itemprop ("author", "Author",
# "byline", "ByLine") and links to author pages ("/author/jane-doe"). Case variants are spelled out: translate()
# on every attribute costs more than the whole rest of the author step.
_BYLINE_XPATH = etree.XPath(
    "//body//@*[contains(., 'uthor') or contains(., 'yline') or contains(., 'yLine')]/.."
    " | //body//img[contains(@class, 'avatar')][normalize-space(following-sibling::text()[1])]"
)
_BYLINE_ATTRS = ("class", "id", "rel", "itemprop")
_AUTHOR_HREF = re.compile(r"/authors?(?![a-z])")  # "/author/jane-doe", "/authors?id=3"; not "/authorization"
_BYLINE_MARK = re.compile(r"author|byline", re.I)
# Short text nodes that may open a written byline ("By", "Written by", "Author:"); _LABEL_TEXT then decides.
_LABEL_XPATH = etree.XPath(
    "//body//text()[string-length() < 160][contains(., 'by') or contains(., 'By') or contains(., 'BY')"
    " or contains(., 'uthor') or contains(., 'UTHOR') or contains(., 'ontributor') or contains(., 'ONTRIBUTOR')]"
)
# "View all posts by Jane Doe": the link out of an author box names the writer.
_ALL_BY = r"(?:(?:view|see|browse)\s+)?(?:all|more)\s+(?:posts|articles|stories)"
# "This post was written by Jane Doe, MD, gastroenterologist.": a credit line in the article's own words.
_WAS_BY = r"(?:this|the)\s+(?:blog\s+)?(?:post|article|story|piece|column|guide)\s+(?:was|is)\s+(?:written|authored)"
_LABEL_TEXT = re.compile(
    rf"^(?:(?:{_BY_WORDS})\s+|{_ALL_BY}\s+|{_WAS_BY}\s+)?"
    r"by\b\s*:?"
    r"|^(?:authors?|author\(s\)|contributors?|writers?)\s*(?::|$)",
    re.I,
)
_LABEL_ONLY = re.compile(
    rf"^(?:(?:(?:{_BY_WORDS})\s+)?by|authors?|author\(s\)|"
    r"contributors?|writers?)\s*:?$",
    re.I,
)
_LABEL_START = re.compile(
    rf"^(?:(?:{_BY_WORDS})\s+|{_ALL_BY}\s+|{_WAS_BY}\s+)?"
    r"by\s*:?\s+"
    r"(?-i:[A-Z]|[a-z][\w.-]*[a-z0-9_]$)"
    r"|^(?:authors?|author\(s\)|contributors?|writers?)\s*(?::\s*|\n)(?-i:[A-Z])",
    re.I,
)
_BREAK = "\u2029"  # a block boundary while collecting text (source newlines are only spaces)


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
    elements, where single words are more likely navigation than names (unless `single`: a labelled byline,
    where a lone first name or username is kept too). Lines (block elements of a byline) are separate parts;
    people credited for reviewing, editing or photos ("Reviewed by …", "Edited by …") are left out."""
    return clean_bylines([raw], site_names, loose=loose, single=single)


def clean_bylines(
    values: Sequence[str], site_names: Sequence[str] = (), *, loose: bool = False, single: bool = False
) -> tuple[list[str], list[str]]:
    """clean_byline over the values of one rule, read in order: a job title in a later value ("Senior Editor"
    under the name) is known as a title because a name came first."""
    people: list[str] = []
    orgs: list[str] = []
    for raw in values:
        by_line = False  # in page text, the lines after "By Jane Doe" are dates, sections and counts
        for line in raw.split("\n"):  # block lines of page text (and the rare multi-line metadata value)
            line = squash(line)
            if not line or len(line) > 300 or (by_line and not _AUTHOR_LABEL.match(line)):
                continue
            found = len(people)
            _clean_parts(_SPLIT_KEEP.split(_clean_line(line, loose)), people, orgs, site_names, loose, single)
            by_line = loose and len(people) > found and bool(_AUTHOR_LABEL.match(line))
    return unique_names(people), unique_names(orgs)


def _clean_parts(pieces: list[str], people: list[str], orgs: list[str], site_names: Sequence[str], loose: bool,
                 single: bool) -> None:
    """Names from the parts of one byline line (`pieces` alternate part, separator, part …)."""
    skipping = False  # after "Reviewed by": the reviewer and the credentials after them
    title = False  # after a job title: "Head of Marketing and Community Development" is one title
    org_last = False  # after an organisation: "… Evaluation and Research" continues its name
    held = (-1, "")  # (part index, credentials) written after a name without a comma ("Jeff Slotnick CPP, PSP")
    for i in range(0, len(pieces), 2):
        part = squash(pieces[i]).strip(" .,:;-–—|·•⋅")
        joined_by_and = i > 0 and pieces[i - 1].strip().casefold() == "and"
        if _NOT_AUTHOR.match(part):
            skipping = True
            continue
        labelled = bool(_AUTHOR_LABEL.match(part) or _LABEL_ONLY.match(part))
        skipping = skipping and not labelled
        part = _LEAD_LABEL.sub("", part).strip(" .,:;-–—|·•⋅")
        if skipping or not part or _LABEL_ONLY.match(part) or (title and joined_by_and):
            continue
        if org_last and joined_by_and and len(part.split()) == 1 and orgs:
            orgs[-1] = f"{orgs[-1]} and {part}"  # "Center for Drug Evaluation and Research" is one organisation
            continue
        if i > 0 and people and not title and _CREDENTIAL.match(part) and not _ROLE.search(part):
            # "Jane Doe, MD, MPH", "Ann Lee, Ph.D.": the credentials as the byline gives them (the final stop too).
            kept = held[1] if held[0] == i - 2 else ""
            people[-1] = f"{people[-1]}{kept}, {squash(pieces[i]).strip(' ,:;-–—|·•⋅')}"
            held = (i, "")
            continue
        after_title, title, org_last = title, False, False
        if people and (_CREDENTIAL.match(part) or _ROLE.search(part) or _DESCRIPTION.match(part)):
            title = True  # "Jane Doe, Staff Writer", "Jane Doe, gastroenterologist, City Health": a title
            continue
        if after_title and not joined_by_and and part.split()[0] not in first_names():
            continue  # "…, gastroenterologist, Parkview Health": where the title is held, not a second writer
        if is_organisation(part, site_names):
            orgs.append(part)
            org_last = True
            continue
        if _JUNK.search(part):
            continue
        part = _strip_roles(part).strip(" .,:;-–—|")
        title = not part  # the part was only a title
        whole = part
        part = re.sub(r"(?:\s+(?:[A-Z]{2,6}|Ph\.?D\.?|M\.?D\.?))+$", "", part) if len(part.split()) > 2 else part
        if not part or _JUNK.search(part) or not _NAME_CHARS.match(part) or len(part) > 60:
            continue
        if loose and _INNER_BY.search(part):
            continue  # "Category By Manufacturer": sort options, not a name
        words = part.split()
        after_label = single or labelled
        handle = after_label and len(words) == 1 and bool(_HANDLE_NAME.match(part))
        # A lone word is a name only after a label ("By Walter", "Maria & Katerina"), not after a full name.
        lone = len(words) < 2 and (not after_label or any(" " in x for x in people))
        initials = len(words) == 1 and part.isupper() and len(part) <= 3  # an avatar's "CP", not a name
        if len(words) > 5 or (loose and (lone or initials)) or not any(c.isalpha() for c in part):
            continue
        if loose and not handle and not all(w[0].isupper() or w.lower() in _PARTICLES for w in words):
            continue
        people.append(fix_case(part))
        held = (i, whole[len(part):])  # kept only if comma credentials follow: then they are credentials too


_INNER_BY = re.compile(r"\sby\s", re.I)
_HANDLE_NAME = re.compile(r"^[a-z][a-z0-9_.-]{2,30}$")


def _clean_line(text: str, loose: bool) -> str:
    """One line of a byline without e-mails, URLs, handles, dates and what follows them."""
    text = _HANDLE.sub(" ", _URL.sub(" ", _EMAIL.sub(" ", text)))
    text = _ON_DATE.sub("", text)
    text = squash(_DATE.sub(" ", text))
    text = _TRAILING.sub("", text)
    text = re.sub(rf"\s+(?:on\s+\S*\d.*|(?:on\s+)?(?:{_MONTHS})\b\.?\s+\d.*)$", "", text, flags=re.I)
    text = re.sub(r"\s*\((?:[^)]*)\)", " ", text)  # "(opens in new tab)", "(Reuters)"
    if not _NOT_AUTHOR.match(text):
        text = _NOT_AUTHOR_MID.sub(r"|\1", text)  # "Jane Doe Reviewed by …" -> its own part, then skipped
    if loose:
        text = _SENTENCE_LABEL.sub("", text)
        text = re.sub(r"\s+[-–—|]\s+.*$", "", text)
        text = _IN_SECTION.sub(r"\1", text)  # "By jdoe in Workshop": the section the post is filed in
    return squash(text)


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


def _block_text(el: Any, limit: int = 400) -> str:
    """Visible text of an element with one line per block ("Jane Doe" / "Senior Editor" set in two <div>s stay
    two lines); stops collecting past `limit` characters (the caller rejects long texts anyway)."""
    out: list[str] = [el.text or ""] if el.tag not in NO_TEXT_TAGS else []
    size = len(out[0]) if out else 0

    def walk(node: Any) -> None:
        nonlocal size
        for child in node:
            if size > limit:
                return
            tag = child.tag if isinstance(child.tag, str) else ""
            if tag and tag not in NO_TEXT_TAGS:
                block = tag in BLOCK_TAGS
                if block:
                    out.append(_BREAK)
                if child.text:
                    out.append(child.text)
                    size += len(child.text)
                walk(child)
                if block:
                    out.append(_BREAK)
            if child.tail:
                out.append(child.tail)
                size += len(child.tail)

    if out:
        walk(el)
    return "\n".join(line for line in (squash(x) for x in " ".join(out).split(_BREAK)) if line)


def _byline_texts(sig: PageSignals) -> tuple[list[str], list[str], bool]:
    """Texts of elements marked as author/byline (rel, itemprop, class, id, a link to an author page), one line
    per block of the element: those in the article, those in a sidebar, and whether marked elements were left
    out as comments, related lists or navigation."""
    if sig.tree is None:
        return [], [], False
    texts: list[str] = []
    aside: list[str] = []
    left_out = False
    for el in _BYLINE_XPATH(sig.tree)[:60]:
        if el.tag == "img":  # a writer's avatar (Gravatar) followed by the name: "<img class=avatar> Ann Lee in News"
            text = re.sub(r"\s+(?:in|on|at)$", "", squash(el.tail))  # the section or date is the next element
            if text and text not in texts and not page_region(el):
                texts.append(text)
            continue
        if el.tag in ("meta", "link", "script", "style", "img", "svg", "button", "input", "form", "source"):
            continue
        marked = any(_BYLINE_MARK.search(el.get(a) or "") for a in _BYLINE_ATTRS)
        if not (marked or _AUTHOR_HREF.search(el.get("href") or "")):
            continue  # the mark was in another attribute (src, alt, style)
        name_el = el.find(".//*[@itemprop='name']")
        text = _block_text(el, 160) if name_el is None else squash(name_el.get("content")) or _block_text(name_el)
        if len(text) > 150:  # an author box: the name heads it, a bio follows
            head, _, bio = text.partition("\n")
            text = head if len(head) <= 40 and len(bio.split("\n", 1)[0]) > 80 else ""
        if not text or text in texts or text in aside:
            continue
        region = page_region(el)
        if region:
            left_out = True
            if region == "sidebar" and len(aside) < 4:
                aside.append(text)
            continue
        texts.append(text)
        if len(texts) >= 8:
            break
    return texts, aside, left_out


def _labelled_bylines(sig: PageSignals) -> tuple[list[str], list[str]]:
    """Bylines written as text: "By Jane Doe", "Written by" + a name in the next element, "Author: Jane Doe".

    Only short text nodes that start with such a label are looked at (one XPath); the byline is the label's
    line (the text node and the inline elements after it), or the next line or element when the label stands
    alone. Bylines in the article, and those in sidebars."""
    if sig.tree is None:
        return [], []
    out: list[str] = []
    aside: list[str] = []
    for node in _LABEL_XPATH(sig.tree):
        key = squash(node)
        if not _LABEL_TEXT.match(key):
            continue
        el = node.getparent()
        if el is None or (node.is_tail and el.tag == "a"):  # "<a>Photo</a> by …", "<a>this study</a> by …"
            continue
        container = el.getparent() if node.is_tail else el
        if container is None or container.tag in ("body", "html"):
            continue
        region = page_region(el)
        if region == "skip" or (region and len(aside) >= 2):
            continue
        if node.is_tail:
            text = squash(f"{node} {_run_after(el, first=False)}")
        elif el.tag in BLOCK_TAGS:  # "<li>Written by <address>Ann Lee</address></li>": the label's line, or two
            own = _block_text(el, 300).split("\n", 2)
            text = "\n".join(own[:2]) if _LABEL_ONLY.match(own[0]) else own[0]
        else:
            text = squash(f"{_block_text(el, 300)} {_run_after(el)}")
        if _LABEL_ONLY.match(text):
            text = f"{text}\n{_next_text(el if not node.is_tail else container)}"
        lines = text.split("\n")
        if len(lines) <= 6 and max(map(len, lines)) <= 150 and _LABEL_START.match(text) and text not in out:
            (aside if region else out).append(text)
            if len(out) >= 6:
                break
    return out, aside


def _run_after(el: Any, *, first: bool = True) -> str:
    """The rest of a line after `el`: its tail (unless `first` is False: the caller has it) and the inline
    siblings that follow, up to the next block element."""
    parts = [el.tail or ""] if first else []
    size = 0
    for sib in el.itersiblings():
        tag = sib.tag if isinstance(sib.tag, str) else ""
        if tag in BLOCK_TAGS or size > 200:
            break
        text = _block_text(sib, 200) if tag and tag not in NO_TEXT_TAGS else ""
        parts += [text, sib.tail or ""]
        size += len(text) + len(sib.tail or "")
    return squash(" ".join(parts))


def _next_text(el: Any) -> str:
    """What follows a lone label ("Written by", "Authors:"): the inline text after `el` (or after its parent), one
    line per <br>, or else the first line of the next block; every item when that block is a list."""
    for start in (el, el.getparent()):
        if start is None:
            continue
        lines: list[str] = []
        run = [start.tail or ""]
        for sib in start.itersiblings():
            tag = sib.tag if isinstance(sib.tag, str) else ""
            if tag == "br":
                lines.append(" ".join(run))
                run = []
            elif tag in BLOCK_TAGS:
                if not squash(" ".join(lines + run)):
                    text = _block_text(sib, 300)
                    return text if tag in ("ul", "ol") else text.split("\n", 1)[0]
                break
            elif tag and tag not in NO_TEXT_TAGS:
                run.append(_block_text(sib, 200).replace("\n", " "))
            run.append(sib.tail or "")
            if len(lines) >= 5:
                break
        text = "\n".join(line for line in map(squash, [*lines, " ".join(run)]) if line)
        if text:
            return text
    return ""


def _twitter_author(sig: PageSignals) -> list[str]:
    """The "Written by" pair of twitter:labelN / twitter:dataN metas (set by SEO plugins such as Yoast)."""
    for n in range(1, 5):
        label = squash(sig.meta(f"twitter:label{n}") or "").casefold()
        if label in ("written by", "author", "by", "posted by"):
            return sig.metas.get(f"twitter:data{n}", [])[:1]
    return []


def _first_last(value: str) -> str:
    """Citation metas write "Doe, Jane": one person, surname first."""
    parts = [p.strip() for p in value.split(",")]
    return f"{parts[1]} {parts[0]}" if len(parts) == 2 and all(parts) and " " not in parts[0] else value


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
    The page itself is scanned for bylines only when the structured sources name no person. When nothing
    names one (or only the page's own byline names an organisation), a writer's bio ("Jane Doe is a freelance
    writer …") does, and last a personal site's owner.
    """
    rules: list[tuple[str, list[str], bool]] = []
    ld = _jsonld_authors(sig)
    if ld:
        rules.append(("jsonld:author", [n for n, _ in ld], False))
    for key in ("author", "article:author", "parsely-author", "sailthru.author", "dc.creator", "dcterms.creator",
                "byl", "citation_author", "citation_authors", "cxenseparse:author", "twitter:data"):
        values = _twitter_author(sig) if key == "twitter:data" else sig.metas.get(key, [])
        values = [_first_last(v) if key.startswith("citation_") else v for v in values]
        values = [v for v in values if squash(v) and not _URL.match(squash(v))]
        if values:
            rules.append((f"meta:{key}", values, False))
    state = _Search(ext, site_names, {n.casefold() for n, kind in ld if kind == "person"})
    if state.run(rules):
        ext.propose("authors", "", "byline", False, f"page not scanned: {ext.provenance['authors']} names a person")
        return
    page: list[tuple[str, list[str], bool]] = []
    bylines, aside, left_out = _byline_texts(sig)
    if bylines:
        page.append(("byline", bylines, True))
    state.labelled, aside_labelled = _labelled_bylines(sig)
    if state.labelled:
        # After an organisation in structured data the "By …" line is read first: it tells a staff byline
        # from a person in an author element (who may be the reviewer).
        page.insert(0 if state.org_rule else len(page), ("byline:label", state.labelled, True))
    if not (rules or page) and (aside_labelled or aside):
        # Nothing in the article: a sidebar may still carry its author ("Author(s)" in a metadata column).
        page.append(("byline:sidebar", aside_labelled or aside, True))
    if callable(fallback):
        # A costly last resort (trafilatura copies the page to read it): asked only when no rule of ours applies
        # and the page has author marks that were left out as navigation, comments or sidebars (trafilatura
        # reads those regions; on a page without author marks it finds nothing either).
        fallback = fallback() if left_out and not (rules or page) else None
    if fallback:
        page.append(("trafilatura", [a for a in fallback.split(";") if a.strip()], True))
    if not state.run(page):
        state.finish()
    # Nothing in structured data or bylines names a person: the writer's bio under the article may.
    if not ext.authors and not (state.org_rule or "").startswith(("jsonld", "meta")) and (bio := _bio_name(sig)):
        ext.organizations = []
        _accept(ext, "page:bio", [bio], [])
    if not (ext.authors or ext.organizations):
        owners = [name for name in site_owners(sig, site_names) if not is_organisation(name)]
        if owners:
            _accept(ext, "site:personal", owners[:1], [])
    if not (ext.authors or ext.organizations) and state.unread:
        # Last: the byline credits a name that is neither a person's nor a known organisation's ("Kaspersky",
        # "Ask the Doctors", "crazy lennys"). It is who the page credits, kept apart from people, not lost.
        rule, names = state.unread
        _credit_organisations(ext, rule, names)
        ext.propose("authors", names, rule, True, "a byline naming no person: kept in organizations")


# "Jane Doe is a freelance travel writer …": the first sentence of an author's bio.
_BIO = re.compile(
    r"^([A-Z][a-z]+(?:\s+[A-Z]\.)?(?:\s+[A-Z][\w'’-]+){1,2})\s+(?:is|has been)\s+(?:an?|the)\s+"
    r"(?:[\w,&'’-]+\s+){0,8}?(?:writer|journalist|editor|author|contributor|reporter|blogger|columnist|"
    r"content creator|correspondent|freelancer)s?\b"
)
_BIO_XPATH = etree.XPath("//body//text()[contains(., ' is a') or contains(., ' has been a')]")


def _bio_name(sig: PageSignals) -> str | None:
    """The person a bio paragraph presents as a writer, outside comments and navigation; a given name first."""
    if sig.tree is None:
        return None
    for node in _BIO_XPATH(sig.tree):
        m = _BIO.match(squash(node))
        el = node.getparent()
        if m and el is not None and m.group(1).split()[0] in first_names() and page_region(el) != "skip":
            return m.group(1)
    return None


class _Search:
    """The rules' verdicts in order; a person from the first rule that names one ends the search."""

    def __init__(self, ext: Extraction, site_names: list[str], persons_ld: set[str]) -> None:
        self.ext, self.site_names, self.persons_ld = ext, site_names, persons_ld
        self.sites = {n.casefold() for n in site_names}
        self.labelled: list[str] = []
        self.weak: tuple[str, list[str]] | None = None
        self.site_named: tuple[str, list[str]] | None = None
        self.org_rule: str | None = None
        self.org_shown = False
        self.loose_orgs: tuple[str, list[str]] | None = None
        self.unread: tuple[str, list[str]] | None = None  # a byline's name that is no person nor known organisation

    def run(self, rules: list[tuple[str, list[str], bool]]) -> bool:
        ext = self.ext
        for rule, values, loose in rules:
            if self.org_rule and (rule not in ("byline:label", "byline") or self.org_shown):
                # Structured data name an organisation: only the page's own byline may still name a person,
                # and not once its "By …" line has shown that organisation.
                ext.propose("authors", values, rule, False, f"{self.org_rule} names an organisation")
                continue
            people, orgs = self.names(rule, values, loose)
            people = _drop_abbreviated(people)
            if people and all(x.casefold() in self.sites for x in people):
                self.site_named = self.site_named or (rule, people)
                ext.propose("authors", people, rule, False, "the site's own name; looking for a person")
                continue
            people = [x for x in people if x.casefold() not in self.sites]
            if rule == "byline" and self.weak and _shows(values[0], self.weak[1]):
                # "Mazi" in JSON-LD and as the page's first byline: a lone name, but the page confirms it.
                ext.propose("authors", people, rule, False, f"the first byline shows {self.weak[0]}'s name")
                rule, people = self.weak
            if people and all(_weak(x) for x in people):
                self.weak = self.weak or (rule, people)
                ext.propose("authors", people, rule, False, "username or single name; looking for a full name")
                continue
            if people and rule == "byline" and self.labelled:
                # Author elements also mark reviewers and related-article authors; a "By …" line that names some
                # of them says which wrote this article.
                by_line = _drop_abbreviated(_first_by_line(self.labelled, self.site_names)[0])
                if by_line and _narrows(by_line, people):
                    ext.propose("authors", people, rule, False, "more names than the page's \"By …\" line")
                    rule, people = "byline:label", by_line
            if people:
                if not loose and (longer := self.longer_list(rules, rule, people)):
                    ext.propose("authors", people, rule, False, f"only the first of the names in {longer[0]}")
                    rule, people = longer
                _accept(ext, rule, people, [] if self.org_rule else orgs)
                _reject_rest(ext, rules, rule)
                return True
            if orgs and not loose and not self.org_rule:
                self.org_rule = rule
                _credit_organisations(ext, rule, orgs)
                ext.propose("authors", orgs, rule, True, "organisation byline: kept in organizations, no person")
                continue
            if orgs and self.org_rule and rule == "byline:label":
                self.org_shown = True
            if orgs and loose:
                self.loose_orgs = self.loose_orgs or (rule, orgs)
            elif loose and not people and not self.unread and (named := _unread_name(values)):
                self.unread = (rule, [named])
            ext.propose("authors", values, rule, False, "no person name after cleaning")
        return False

    def longer_list(self, rules: list[tuple[str, list[str], bool]], chosen: str,
                    people: list[str]) -> tuple[str, list[str]] | None:
        """A later structured source that lists the chosen names first and more after them (dc.creator gives the
        first author of a paper, citation_author all of them)."""
        after = False
        for rule, values, loose in rules:
            if after and not loose:
                more = _drop_abbreviated(self.names(rule, values, loose)[0])
                if len(more) > len(people) and [x.casefold() for x in more[: len(people)]] == [
                        x.casefold() for x in people]:
                    return rule, more
            after = after or rule == chosen
        return None

    def names(self, rule: str, values: list[str], loose: bool) -> tuple[list[str], list[str]]:
        if rule == "byline:label":
            return _first_by_line(values, self.site_names)
        if loose:
            # Page text naming the site itself ("By Example News") is an organisation byline.
            return clean_bylines(values, self.site_names, loose=True)
        people: list[str] = []
        orgs: list[str] = []
        for value in values:
            p, o = clean_byline(value)
            people += [x for x in p if x.casefold() not in {y.casefold() for y in people}]
            orgs += [x for x in o if x not in orgs]
        return people, orgs

    def finish(self) -> None:
        """No rule named a full person: a username or first name, else the site's name, else an organisation."""
        ext = self.ext
        if self.org_rule:
            return
        if self.weak:
            _accept(ext, self.weak[0], self.weak[1], [])
        elif self.site_named:
            rule, names = self.site_named
            if all(n.casefold() in self.persons_ld for n in names):
                _accept(ext, rule, names, [])
            else:
                _credit_organisations(ext, rule, names)
        elif self.loose_orgs:
            _credit_organisations(ext, *self.loose_orgs)


# A byline that reads as a name: one to four words, no digits, none of them a sentence's.
_BYLINE_NAME = re.compile(r"^[^\W\d_][\w'’.&-]*(?:\s+[\w'’.&-]+){0,3}$")


def _unread_name(values: list[str]) -> str | None:
    """The first byline element's text when it is only a name, though no person's (a column, a brand, a handle
    in lower case): one line, nothing cleaned away (a date, a section), not a label, navigation or a credit
    for something other than writing."""
    if not values or "\n" in values[0].strip():
        return None
    written = _LEAD_LABEL.sub("", squash(values[0])).strip(" .,:;-–—|·•⋅")
    line = _LEAD_LABEL.sub("", _clean_line(values[0], True)).strip(" .,:;-–—|·•⋅")
    if (line != written or not line or len(line) > 40 or not _BYLINE_NAME.match(line) or any(c.isdigit() for c in line)
            or _JUNK.search(line) or _LABEL_ONLY.match(line) or _NOT_AUTHOR.match(line) or _ROLE.fullmatch(line)):
        return None
    return line


def _first_by_line(texts: list[str], site_names: Sequence[str]) -> tuple[list[str], list[str]]:
    """Names from the first written byline that has any: later ones belong to related articles or comments."""
    for text in texts:
        people, orgs = clean_byline(text, site_names, loose=True, single=True)
        if people or orgs:
            return people, orgs
    return [], []


def _shows(text: str, names: list[str]) -> bool:
    """The first line of a byline text is one of `names` ("Mazi" over "December 19, 2025")."""
    first = _LEAD_LABEL.sub("", text.split("\n", 1)[0]).strip(" .,:;-–—|").casefold()
    return first in {n.casefold() for n in names}


def _narrows(names: list[str], wider: list[str]) -> bool:
    """Every name is one of `wider` (or its start: "Ann Lee" in "Ann Lee Gardener") and some of `wider` is left out."""
    keys = [n.casefold() for n in names]
    others = [w.casefold() for w in wider]
    return all(any(o == k or o.startswith(k + " ") for o in others) for k in keys) and set(keys) != set(others)


def _drop_abbreviated(people: list[str]) -> list[str]:
    """One person written twice: "Scott P" next to "Scott Pletcher" is the name shortened (keep the long one);
    "Ann Lee Gardener" next to "Ann Lee" is the name with a title glued on (keep the short one)."""
    def dropped(x: str) -> bool:
        for y in people:
            if y != x and y.startswith(x) and len(x.split()) > 1 and len(x.rstrip(".").split()[-1]) <= 1:
                return True  # x is the abbreviation
            if y != x and x.startswith(y + " ") and len(y.split()) > 1 and len(y.split()[-1].rstrip(".")) > 1:
                return True  # x is y plus a title
        return False

    return [x for x in people if not dropped(x)]


def _credit_organisations(ext: Extraction, rule: str, names: list[str]) -> None:
    """The byline credits organisations and no person: they join `organizations`, provenance `<rule>:organisation`."""
    ext.organizations += [n for n in names if n not in ext.organizations]
    ext.provenance["authors"] = f"{rule}:organisation"


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
