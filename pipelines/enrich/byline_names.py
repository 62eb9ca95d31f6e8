"""Byline names: people and organisations from one raw author value or byline line.

Each raw value is cleaned: "By" and labels stripped, emails, handles, URLs, dates and job titles removed
("Keith Barry Senior Autos Reporter" -> "Keith Barry"), credentials kept as written ("Ann Lee, MD, MPH"), lists split
("A, B and C"); reviewers, editors and updaters ("Reviewed by …", "Updated by …") are not authors.
Organisation bylines (AP, Reuters, "Staff", the site's own name) are returned apart from people.

Page values are known to be bylines and are cleaned leniently (clean_byline). A plain text's "By …" line and an
export's author field are not: split_byline takes one only when every part reads as a name or an organisation.
Both read the same agencies, organisation words and name particles.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from pipelines.enrich.dates import HAS_DIGIT, MONTH_NAMES
from pipelines.enrich.metadata_html import squash
from pipelines.enrich.personal_sites import first_names
from pipelines.extract.cleaning import normalize_space

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
# Lower-case words inside a person's name ("Ludwig van Beethoven", "Juan García y López").
_PARTICLES = {"van", "von", "de", "der", "den", "da", "del", "della", "di", "du", "la", "le", "bin", "al", "dos", "y"}
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
# Words before "by" in a credit line: "Written by", "Authored by:", "Words by", "Story by", "Article written by" …
BY_WORDS = r"(?:article|post|story)\s+(?:written|authored)|written|authored|posted|published|reported|compiled|words|" \
    r"story|text|article"
# "By" and "Author:" in German, French, Spanish, Portuguese and Dutch bylines ("Von Anna Schmidt", "Par Marie
# Dupont", "Autor: …"). Page scanning reads "Von"/"Par"/"Por"/"Door" only on pages in their language (BY_ABROAD).
BY_ABROAD = {"von": ("de",), "par": ("fr",), "por": ("es", "pt"), "door": ("nl",)}
BY = rf"(?:by|{'|'.join(BY_ABROAD)})"
AUTHOR_WORDS = (r"authors?|author\(s\)|contributors?|writers?|autor(?:in|a|es|as|ka|zy)?|auteure?s?|autrice|"
                r"автор(?:ка|ы)?|yazar|penulis|szerző|tác\s+giả|συντάκτ(?:ης|ρια)")
LEAD_LABEL = re.compile(
    rf"^\s*(?:(?:{BY_WORDS}|reporting|contributed|"
    rf"read more about|more about|more from)\s+)?(?:{BY}|from)\s*[:\-]?\s+|^\s*(?:{AUTHOR_WORDS}|"
    r"byline|writer|posted by|written by)\s*[:\-]\s*|^\s*(?:read more|more|all posts|articles?) "
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
_AUTHOR_LABEL = re.compile(rf"^(?:(?:{BY_WORDS})\s+)?{BY}\b", re.I)
_EMAIL = re.compile(r"\S+@\S+\.\w+")
_HANDLE = re.compile(r"(?<!\w)@\w+")
URL = re.compile(r"https?://\S+|www\.\S+", re.IGNORECASE)
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
_DATE_TAIL = re.compile(rf"\s+(?:on\s+\S*\d.*|(?:on\s+)?(?:{_MONTHS})\b\.?\s+\d.*)$", re.I)
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
# A label with no name after it: "By", "Written by:", "Authors" (the name is on the next line or element).
LABEL_ONLY = re.compile(
    rf"^(?:(?:(?:{BY_WORDS})\s+)?{BY}|{AUTHOR_WORDS})\s*:?$",
    re.I,
)


def fix_case(name: str) -> str:
    """Upper-case names ("JANE DOE") in title case; names already in mixed case are kept as written."""
    return name.title() if name.isupper() and len(name.replace(" ", "")) > 3 else name


def unique_names(items: list[str]) -> list[str]:
    """First spelling of each name, case-insensitively, in order."""
    seen: set[str] = set()
    return [x for x in items if not (x.casefold() in seen or seen.add(x.casefold()))]


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
    for i in range(0, len(pieces), 2):
        part = squash(pieces[i]).strip(" .,:;-–—|·•⋅")
        joined_by_and = i > 0 and pieces[i - 1].strip().casefold() == "and"
        if _NOT_AUTHOR.match(part):
            skipping = True
            continue
        labelled = bool(_AUTHOR_LABEL.match(part) or LABEL_ONLY.match(part))
        skipping = skipping and not labelled
        part = LEAD_LABEL.sub("", part).strip(" .,:;-–—|·•⋅")
        if skipping or not part or LABEL_ONLY.match(part) or (title and joined_by_and):
            continue
        if org_last and joined_by_and and len(part.split()) == 1 and orgs:
            orgs[-1] = f"{orgs[-1]} and {part}"  # "Center for Drug Evaluation and Research" is one organisation
            continue
        if i > 0 and people and not title and _CREDENTIAL.match(part) and not _ROLE.search(part):
            # "Jane Doe, MD, MPH", "Ann Lee, Ph.D.": the credentials as the byline gives them (the final stop too).
            people[-1] = f"{people[-1]}, {squash(pieces[i]).strip(' ,:;-–—|·•⋅')}"
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
        # Letters after the name without a comma ("Jeff Slotnick CPP, PSP") are credentials when credentials follow.
        people.append(fix_case(part) + (whole[len(part):] if _is_credential(pieces[i + 2: i + 3]) else ""))


def _is_credential(pieces: list[str]) -> bool:
    """Whether the next part of a byline (a list of one, or none at the end) is credentials: "MD", "Ph.D."."""
    part = LEAD_LABEL.sub("", squash(pieces[0]).strip(" .,:;-–—|·•⋅")).strip(" .,:;-–—|·•⋅") if pieces else ""
    return bool(_CREDENTIAL.match(part)) and not _ROLE.search(part)


_INNER_BY = re.compile(r"\sby\s", re.I)
_HANDLE_NAME = re.compile(r"^[a-z][a-z0-9_.-]{2,30}$")


def _clean_line(text: str, loose: bool) -> str:
    """One line of a byline without e-mails, URLs, handles, dates and what follows them."""
    text = _HANDLE.sub(" ", URL.sub(" ", _EMAIL.sub(" ", text)))
    dated = HAS_DIGIT.search(text) is not None  # every date pattern below but "on Monday" needs a digit
    text = _ON_DATE.sub("", text)
    text = squash(_DATE.sub(" ", text) if dated else text)
    text = _TRAILING.sub("", text)
    if dated:
        text = _DATE_TAIL.sub("", text)
    text = re.sub(r"\s*\((?:[^)]*)\)", " ", text)  # "(opens in new tab)", "(Reuters)"
    if not _NOT_AUTHOR.match(text):
        text = _NOT_AUTHOR_MID.sub(r"|\1", text)  # "Jane Doe Reviewed by …" -> its own part, then skipped
    if loose:
        text = _SENTENCE_LABEL.sub("", text)
        text = re.sub(r"\s+[-–—|]\s+.*$", "", text)
        text = _IN_SECTION.sub(r"\1", text)  # "By jdoe in Workshop": the section the post is filed in
    return squash(text)


# A byline that reads as a name: one to four words, no digits, none of them a sentence's.
_BYLINE_NAME = re.compile(r"^[^\W\d_][\w'’.&-]*(?:\s+[\w'’.&-]+){0,3}$")


def unread_name(values: list[str]) -> str | None:
    """The first byline element's text when it is only a name, though no person's (a column, a brand, a handle
    in lower case): one line, nothing cleaned away (a date, a section), not a label, navigation or a credit
    for something other than writing."""
    if not values or "\n" in values[0].strip():
        return None
    written = LEAD_LABEL.sub("", squash(values[0])).strip(" .,:;-–—|·•⋅")
    line = LEAD_LABEL.sub("", _clean_line(values[0], True)).strip(" .,:;-–—|·•⋅")
    if (line != written or not line or len(line) > 40 or not _BYLINE_NAME.match(line) or any(c.isdigit() for c in line)
            or _JUNK.search(line) or LABEL_ONLY.match(line) or _NOT_AUTHOR.match(line) or _ROLE.fullmatch(line)):
        return None
    return line


# --- plain text and export fields -----------------------------------------------------------------------
# A text's "By …" line must be told from a sentence ("By the time he arrived …"), and no page element or
# site name says it is a byline: so every part must read as a name or an organisation, or none is taken.

# "By", and the German, French, Spanish and Portuguese "Von", "Par", "Por": every foreign "By" but the Dutch
# "Door", which opens English sentences (no language is known when a text's header is read).
BY_LABEL = rf"(?:by|{'|'.join(by for by in BY_ABROAD if by != 'door')})"
_BY_PREFIX = re.compile(rf"^\s*(?:(?:{BY_WORDS}|reporting)\s+)?{BY_LABEL}\s*:?\s+", re.IGNORECASE)
_ET_AL = re.compile(r",?\s+et\s+al\b\.?$", re.IGNORECASE)  # "By Jane Doe et al.": the others are not named
_BYLINE_SPLIT = re.compile(r"\s*(?:,|;|&|\||\band\b|\bwith\b|\bund\b|\bet\b|\by\b)\s*", re.IGNORECASE)
# With no site name to compare, a newspaper's own words mark an organisation too ("Washington Post Staff").
_PRESS_WORDS = re.compile(r"\b(?:board|editor|service|wires|reports?|times|post|journal|herald|tribune|daily)\b", re.I)
_NOT_A_NAME = re.compile(r"://|www\.|@|\d")  # profile URLs and e-mail addresses in API author fields
_NOT_A_PERSON = re.compile(
    r"\b(?:monday|tuesday|wednesday|thursday|friday|saturday|sunday|today|yesterday|january|february|march|april|"
    r"june|july|august|september|october|november|december|the|this|that|officials?|said|says)\b",
    re.IGNORECASE,
)
_NAME_WORD = re.compile(r"^(?:[A-Z]\.|[A-Z][\w'’.-]*[\w.]|[A-Z]|O['’][A-Z]\w*)$")


def _looks_like_person(name: str) -> bool:
    words = name.split()
    if not 2 <= len(words) <= 5:
        return False
    if _NOT_A_PERSON.search(name):
        return False
    return all(_NAME_WORD.match(w) or w.lower() in _PARTICLES for w in words) and bool(_NAME_WORD.match(words[0]))


def _looks_like_org(name: str) -> bool:
    """A known agency or desk, a name with an organisation word, or an acronym ("CNN", "BBC")."""
    if is_organisation(name) or _PRESS_WORDS.search(name):
        return True
    return bool(re.fullmatch(r"[A-Z][A-Z&]{1,5}", name))


def split_byline(byline: str) -> tuple[list[str], list[str]]:
    """Split "By Jane Doe, John Roe and AP" ("Von Anna Schmidt und Jan Berg") into (people, organisations);
    ([], []) when it is not a byline.

    Every comma/"and"/"&"/";" separated part must be a plausible name (2-5 capitalised words) or an
    organisation ("AP", "Reuters", "Staff Reporter", "Editorial Board"); otherwise the string is not a
    byline ("By the time he arrived ...") and nothing is returned.
    """
    text = _ET_AL.sub("", _BY_PREFIX.sub("", normalize_space(byline))).strip(" .")
    if not text or len(text) > 200:
        return [], []
    people: list[str] = []
    organisations: list[str] = []
    for part in _BYLINE_SPLIT.split(text):
        part = _BY_PREFIX.sub("", part).strip(" .")
        if not part:
            continue
        if _looks_like_org(part):
            organisations.append(part)
        elif _looks_like_person(fix_case(part)):
            people.append(fix_case(part))
        else:
            return [], []
    return unique_names(people), unique_names(organisations)


def split_author_field(value: str) -> tuple[list[str], list[str]]:
    """An author field given as such (tag, JSON): parsed like a byline, else split on commas and "and"."""
    people, organisations = split_byline(value)
    if people or organisations:
        return people, organisations
    parts = [_BY_PREFIX.sub("", p).strip(" .") for p in _BYLINE_SPLIT.split(normalize_space(value))]
    return unique_names([p for p in parts if p and len(p.split()) <= 6 and not _NOT_A_NAME.search(p)]), []
