"""Outlet registry, registered domains and canonical URLs."""

from __future__ import annotations

import pytest

from pipelines.enrich.outlets import canonical_url, load_registry, lookup_outlet, registered_domain, resolve_outlet


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


def test_resolve_outlet_provenance() -> None:
    assert resolve_outlet("https://www.reuters.com/world/x") == ("Reuters", "reuters.com", "registry")
    expected = ("Small Paper", "smallpaper.co.uk", "site_name")
    assert resolve_outlet("https://smallpaper.co.uk/x", "Small Paper") == expected
    assert resolve_outlet("https://blog.unknown-site.org/x") == (None, "unknown-site.org", "domain")


def test_canonical_url_drops_tracking_and_fragment() -> None:
    url = "HTTPS://WWW.Example.COM:443/Path/Story?id=7&utm_source=tw&fbclid=1&gclid=2&mc_cid=3&ref_src=x#top"
    assert canonical_url(url) == "https://www.example.com/Path/Story?id=7"
    assert canonical_url("http://example.com:8080/a?igshid=1") == "http://example.com:8080/a"
    assert canonical_url("https://example.com") == "https://example.com/"
