"""Authors: person names from an HTML page, with organisation bylines kept apart.

Rule order (the first rule that yields a person wins; every rule read is recorded as a candidate):
JSON-LD author > meta author (author, article:author, parsely-author, sailthru.author, dc.creator, byl,
citation_author, cXenseParse:author, the twitter:label/data "Written by" pair) > byline elements
(rel/itemprop/class/id author or byline, links to author pages) > written bylines ("By …", "Written by" + the
next element, "Author:") > trafilatura's author. The page is scanned for bylines only when the structured
sources name no person.
Each raw value is cleaned by `byline_names`; the page's byline texts are found by `byline_elements`.
Organisation bylines (AP, Reuters, "Staff", the site's own name) go to `organizations`, and so, when nothing
names a person, does a byline element that names no person ("Kaspersky", "Ask the Doctors", a lower-case handle).
The very last rule is the posting account's name in a WordPress dataLayer (`pagePostAuthor`).
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable, Sequence
from typing import Any

from lxml import etree

from pipelines.enrich.byline_elements import bio_name, byline_texts, labelled_bylines
from pipelines.enrich.byline_names import LEAD_LABEL, URL, clean_byline, clean_bylines, is_organisation, unread_name
from pipelines.enrich.metadata_html import PageSignals, jsonld_names, resolve, squash, types
from pipelines.enrich.personal_sites import site_owners
from pipelines.models import Extraction


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


_USERNAME = re.compile(r"[\d_@]|^[a-z]|^[^ ]*\.[^ ]*$")  # "web_team2", "admin", "andrew.keaveney"; not "Ann B. Lee"


def _weak(name: str) -> bool:
    """A username or a lone first name: accepted only when nothing better is found."""
    return len(name.split()) < 2 or bool(_USERNAME.search(name))


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
        values = [v for v in values if squash(v) and not URL.match(squash(v))]
        if values:
            rules.append((f"meta:{key}", values, False))
    state = _Search(ext, site_names, {n.casefold() for n, kind in ld if kind == "person"})
    if state.run(rules):
        ext.propose("authors", "", "byline", False, f"page not scanned: {ext.provenance['authors']} names a person")
        return
    page: list[tuple[str, list[str], bool]] = []
    bylines, aside, left_out = byline_texts(sig)
    if bylines:
        page.append(("byline", bylines, True))
    state.labelled, aside_labelled = labelled_bylines(sig)
    if state.labelled:
        # After an organisation in structured data the "By …" line is read first: it tells a staff byline
        # from a person in an author element (who may be the reviewer).
        page.insert(0 if state.org_rule else len(page), ("byline:label", state.labelled, True))
    if not page and (aside_labelled or aside):
        # Nothing in the article, and structured data named no person: a sidebar may still carry the author
        # ("Author(s)" in a metadata column).
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
    if not ext.authors and not (state.org_rule or "").startswith(("jsonld", "meta")) and (bio := bio_name(sig)):
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
    if not (ext.authors or ext.organizations) and (account := _datalayer_author(sig, site_names)):
        # Very last: the name of the account that posted, as WordPress's Google Tag Manager plugin writes it
        # into the page's dataLayer. It is sometimes a colleague's account, so any byline comes first.
        _accept(ext, "datalayer:pagePostAuthor", [account], [])


_DATALAYER_XPATH = etree.XPath("//script[not(@src)][contains(., 'pagePostAuthor')]")
_DATALAYER_AUTHOR = re.compile(r'"pagePostAuthor"\s*:\s*"((?:[^"\\]|\\.){1,80})"')


def _datalayer_author(sig: PageSignals, site_names: list[str]) -> str | None:
    """The `pagePostAuthor` of a GTM4WP dataLayer when it reads as a person's name (a username does not)."""
    if sig.tree is None:
        return None
    for script in _DATALAYER_XPATH(sig.tree)[:2]:
        m = _DATALAYER_AUTHOR.search(script.text or "")
        if not m:
            continue
        try:
            value = json.loads(f'"{m.group(1)}"')
        except ValueError:
            return None
        people = [p for p in clean_byline(value, site_names, single=True)[0] if not _USERNAME.search(p)]
        return people[0] if len(people) == 1 else None
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
            elif loose and not people and not self.unread and (named := unread_name(values)):
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


def _first_by_line(texts: list[str], site_names: Sequence[str]) -> tuple[list[str], list[str]]:
    """Names from the first written byline that has any: later ones belong to related articles or comments."""
    for text in texts:
        people, orgs = clean_byline(text, site_names, loose=True, single=True)
        if people or orgs:
            return people, orgs
    return [], []


def _shows(text: str, names: list[str]) -> bool:
    """The first line of a byline text is one of `names` ("Mazi" over "December 19, 2025")."""
    first = LEAD_LABEL.sub("", text.split("\n", 1)[0]).strip(" .,:;-–—|").casefold()
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
