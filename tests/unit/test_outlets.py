"""Outlet registry, registered domains and canonical URLs."""

from __future__ import annotations

import pytest

from pipelines.articles import build_article, extract
from pipelines.enrich.outlets import canonical_url, load_registry, lookup_outlet, registered_domain
from pipelines.models import RawDocument


@pytest.mark.parametrize(
    ("url", "domain"),
    [
        ("https://www.bbc.co.uk/news/uk-1", "bbc.co.uk"),
        ("https://m.theguardian.com/world", "theguardian.com"),
        ("https://amp.cnn.com/x", "cnn.com"),
        ("news.example.com.au/story", "example.com.au"),
        ("http://127.0.0.1:8000/x", None),
        ("not a url", None),
        ("", None),
    ],
)
def test_registered_domain(url: str, domain: str | None) -> None:
    assert registered_domain(url) == domain


def test_registry_size_and_entries() -> None:
    reg = load_registry()
    assert sum(o.language == "en" for o in reg.values()) >= 150
    assert sum(o.language != "en" for o in reg.values()) >= 50
    assert reg["nytimes.com"].name == "The New York Times"
    assert reg["bbc.com"].name == reg["bbc.co.uk"].name == "BBC"
    assert reg["spiegel.de"].language == "de"


def test_lookup_outlet_unwraps_and_prefers_longest_listed_host() -> None:
    assert lookup_outlet("https://www.nytimes.com/2024/x.html").name == "The New York Times"
    assert lookup_outlet("amp.theguardian.com").name == "The Guardian"
    assert lookup_outlet("https://abcnews.go.com/US/x").name == "ABC News"
    assert lookup_outlet("https://other.go.com/x") is None
    assert lookup_outlet(None) is None


def _outlet(url: str, site_name: str | None = None) -> tuple[str | None, str | None, str | None]:
    head = f'<meta property="og:site_name" content="{site_name}">' if site_name else ""
    body = "The old harbour lamp was lit again on Tuesday evening after decades in the dark. " * 5
    html = (f"<html><head><title>Lamp</title>{head}</head>"
            f"<body><article><h1>Lamp</h1><p>{body}</p></article></body></html>")
    doc = RawDocument(source="files", locator="files/a.html", data=html.encode(), path="a.html", meta={"url": url})
    a = build_article(doc, extract(doc), run_id=None, lang_cap=2000, lang_min=40)
    return a.outlet, a.outlet_domain, a.provenance.get("outlet")


def test_outlet_provenance_registry_then_site_name_then_the_bare_domain() -> None:
    assert _outlet("https://www.reuters.com/world/x", "Reuters.com") == ("Reuters", "reuters.com", "registry")
    assert _outlet("https://smallpaper.co.uk/x", "Small Paper") == ("Small Paper", "smallpaper.co.uk", "site_name")
    unknown = ("unknown-site.org", "unknown-site.org", "domain:unregistered")
    assert _outlet("https://blog.unknown-site.org/x") == unknown


def test_canonical_url_drops_tracking_and_fragment() -> None:
    url = "HTTPS://WWW.Example.COM:443/Path/Story?id=7&utm_source=tw&fbclid=1&gclid=2&mc_cid=3&ref_src=x#top"
    assert canonical_url(url) == "https://www.example.com/Path/Story?id=7"
    assert canonical_url("http://example.com:8080/a?igshid=1") == "http://example.com:8080/a"
    assert canonical_url("https://example.com") == "https://example.com/"
