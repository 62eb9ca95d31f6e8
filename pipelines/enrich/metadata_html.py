"""Signals read once from an HTML page, shared by the title, author and date rules.

Pages describe themselves in several overlapping vocabularies (OpenGraph, Twitter cards, Dublin Core,
parse.ly, sailthru, schema.org JSON-LD and microdata). They are gathered here into one `PageSignals` so each
rule module reads plain values and stays small.
"""

from __future__ import annotations

import html as htmllib
import json
import re
from dataclasses import dataclass, field
from typing import Any

from lxml import html as lxml_html

# schema.org types that describe the article itself (JSON-LD or microdata).
ARTICLE_TYPES = re.compile(r"(Article|BlogPosting|Posting|Report|Review|Recipe|HowTo|Story)$", re.I)
PAGE_TYPES = re.compile(r"(WebPage|ItemPage|AboutPage|QAPage|FAQPage)$", re.I)
_WS = re.compile(r"\s+")


_ENTITY = re.compile(r"&(?:#\d+|#x[0-9a-f]+|[a-z]+\d*);", re.I)


def squash(text: str | None) -> str:
    """Collapse whitespace; decode entities left escaped in meta values ("Full &#038; Part Time")."""
    text = text or ""
    if "&" in text and _ENTITY.search(text):
        text = htmllib.unescape(text)
    return _WS.sub(" ", text).strip()


# Elements that start a new line of text, and elements whose text readers never see.
BLOCK_TAGS = frozenset((
    "address", "article", "aside", "blockquote", "br", "dd", "div", "dl", "dt", "figcaption", "footer", "h1", "h2",
    "h3", "h4", "h5", "h6", "header", "hr", "li", "main", "nav", "ol", "p", "section", "table", "tbody", "td", "th",
    "tr", "ul",
))
NO_TEXT_TAGS = frozenset(("script", "style", "noscript", "svg", "template", "select", "option"))


@dataclass
class PageSignals:
    tree: Any
    url: str | None = None
    metas: dict[str, list[str]] = field(default_factory=dict)  # lowercased name/property -> contents in order
    jsonld: list[dict[str, Any]] = field(default_factory=list)  # every typed JSON-LD object, flattened
    ids: dict[str, dict[str, Any]] = field(default_factory=dict)  # JSON-LD "@id" -> object, for references
    lang: str | None = None
    canonical: str | None = None

    def meta(self, *keys: str) -> str | None:
        """First non-empty content among the given meta keys, in the order given."""
        for key in keys:
            for value in self.metas.get(key.lower(), []):
                if squash(value):
                    return squash(value)
        return None

    def articles(self) -> list[dict[str, Any]]:
        """JSON-LD objects that describe an article, falling back to the web page object."""
        arts = [o for o in self.jsonld if any(ARTICLE_TYPES.search(t) for t in types(o))]
        if arts:
            return arts
        return [o for o in self.jsonld if any(PAGE_TYPES.search(t) for t in types(o))]


# Class/id tokens of page regions that are not the article's own (comments, related lists, widgets): their bylines
# and dates belong to other texts.
# Layout flags ("has-sidebar", "content-sidebar" on a wrapper, BEM modifiers "article--sidebar-right") and page
# builders' widget wrappers ("elementor-widget-container") do not count: only the region itself.
_SKIP_ANCESTOR = re.compile(
    r"^(?!(?:has|no|is|with|show|hide|layout|page|template)[-_])(?!.*--)"
    r"(?:(?:[\w-]*[-_])?(?:comments?|related|sidebar|footer|recommended|popular|trending|respond|more-stories|"
    r"read-next)(?:[-_][\w-]*)?|widgets?|widget-area|widget_[\w-]+)$",
    re.I,
)


def page_region(el: Any) -> str:
    """"skip" inside comments, related-article lists, a footer or navigation; "sidebar" inside a sidebar only
    (where a page may also list its own author); "" elsewhere."""
    found = ""
    for a in el.iterancestors():
        tag = a.tag
        if tag in ("body", "html"):
            break
        if tag in ("footer", "nav"):
            return "skip"
        names = f"{a.get('class') or ''} {a.get('id') or ''}"
        for token in names.split() if len(names) > 1 else ():
            if _SKIP_ANCESTOR.match(token):
                if "sidebar" not in token.lower():
                    return "skip"
                found = "sidebar"
    return found


def types(obj: dict[str, Any]) -> list[str]:
    t = obj.get("@type")
    if isinstance(t, str):
        return [t]
    if isinstance(t, list):
        return [x for x in t if isinstance(x, str)]
    return []


def _flatten(node: Any, out: list[dict[str, Any]], depth: int = 0) -> None:
    if depth > 6:
        return
    if isinstance(node, list):
        for item in node:
            _flatten(item, out, depth + 1)
    elif isinstance(node, dict):
        if "@type" in node:
            out.append(node)
        for key in ("@graph", "mainEntity", "itemListElement", "hasPart"):
            if key in node:
                _flatten(node[key], out, depth + 1)


def _load_json(text: str) -> Any:
    text = text.strip().removeprefix("<!--").removesuffix("-->").strip()
    if text.startswith("//<![CDATA["):
        text = text[len("//<![CDATA[") :].removesuffix("//]]>")
    try:
        return json.loads(text, strict=False)
    except ValueError:
        # Trailing commas are the commonest hand-written JSON-LD error.
        try:
            return json.loads(re.sub(r",\s*([}\]])", r"\1", text), strict=False)
        except ValueError:
            return None


def parse_tree(text: str) -> Any:
    """An lxml tree for the page, or None when lxml cannot make one."""
    try:
        return lxml_html.document_fromstring(text.encode("utf-8"), parser=lxml_html.HTMLParser(encoding="utf-8"))
    except (ValueError, TypeError, Exception):  # lxml raises ParserError/XMLSyntaxError on empty or odd input
        return None


def gather(tree: Any, url: str | None = None) -> PageSignals:
    sig = PageSignals(tree=tree, url=url)
    if tree is None:
        return sig
    for el in tree.iter("meta"):
        key = el.get("property") or el.get("name") or el.get("itemprop") or el.get("http-equiv")
        content = el.get("content")
        if key and content is not None:
            sig.metas.setdefault(key.strip().lower(), []).append(content)
    for script in tree.xpath('//script[contains(translate(@type, "LDJSON", "ldjson"), "ld+json")]'):
        data = _load_json(script.text or "")
        if data is not None:
            _flatten(data, sig.jsonld)
    sig.ids = {o["@id"]: o for o in sig.jsonld if isinstance(o.get("@id"), str)}
    lang = tree.get("lang") or tree.get("xml:lang")
    sig.lang = squash(lang) or sig.meta("content-language", "og:locale", "language", "dc.language") or None
    for link in tree.xpath('//link[@href][contains(concat(" ", translate(@rel, "CANONICAL", "canonical"), " "),'
                           ' " canonical ")]'):
        sig.canonical = link.get("href").strip() or None
        break
    return sig


def resolve(sig: PageSignals, value: Any) -> Any:
    """Replace {"@id": ...} references (Yoast-style graphs) by the objects they point to."""
    if isinstance(value, list):
        return [resolve(sig, v) for v in value]
    if isinstance(value, dict) and "name" not in value and isinstance(value.get("@id"), str):
        return sig.ids.get(value["@id"], value)
    return value


def jsonld_names(value: Any) -> list[str]:
    """Names from a JSON-LD person/organisation value: a string, an object, or a list of either."""
    if isinstance(value, str):
        return [squash(value)] if squash(value) else []
    if isinstance(value, dict):
        name = value.get("name")
        if isinstance(name, list):
            return [squash(n) for n in name if isinstance(n, str) and squash(n)]
        if isinstance(name, str) and squash(name):
            return [squash(name)]
        given, family = value.get("givenName"), value.get("familyName")
        if isinstance(given, str) and isinstance(family, str):
            return [squash(f"{given} {family}")]
        return []
    if isinstance(value, list):
        return [n for item in value for n in jsonld_names(item)]
    return []


def site_names(sig: PageSignals) -> list[str]:
    """Names the page gives its own site: og:site_name, JSON-LD publisher, application-name."""
    names: list[str] = []
    for key in ("og:site_name", "application-name", "apple-mobile-web-app-title", "twitter:site", "publisher"):
        value = sig.meta(key)
        if value:
            names.append(value.lstrip("@"))
    for obj in sig.articles():
        names.extend(jsonld_names(resolve(sig, obj.get("publisher"))))
    for obj in sig.jsonld:
        if "WebSite" in types(obj):
            names.extend(jsonld_names(obj))
    seen: set[str] = set()
    return [n for n in names if not (n.casefold() in seen or seen.add(n.casefold()))]
