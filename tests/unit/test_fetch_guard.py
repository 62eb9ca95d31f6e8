"""The address guard and the small pure parts of the fetcher: no network beyond resolving names."""

from __future__ import annotations

import asyncio
import ipaddress

import pytest

from pipelines.sources.web.fetch import origin_of, retry_after, status_reason
from pipelines.sources.web.guard import BlockedURL, Guard, check_scheme, is_public


@pytest.mark.parametrize("address", [
    "127.0.0.1", "10.1.2.3", "172.16.0.9", "192.168.1.1", "169.254.169.254", "100.64.0.1", "0.0.0.0",
    "224.0.0.1", "240.0.0.1", "255.255.255.255", "::1", "fe80::1", "fc00::1", "ff02::1", "::ffff:10.0.0.1",
    "::ffff:127.0.0.1", "::",
])
def test_non_public_addresses_are_refused(address: str, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("NEWSINDEX_FETCH_ALLOW_PRIVATE", raising=False)
    assert not is_public(ipaddress.ip_address(address))
    with pytest.raises(BlockedURL, match="non-public address"):
        Guard().check_addresses("example.test", [address])


@pytest.mark.parametrize("address", ["93.184.215.14", "8.8.8.8", "2606:4700:4700::1111", "::ffff:8.8.8.8"])
def test_public_addresses_pass(address: str) -> None:
    assert Guard().check_addresses("example.test", [address]) == [address]


def test_one_private_address_among_public_ones_refuses_the_host(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("NEWSINDEX_FETCH_ALLOW_PRIVATE", raising=False)
    with pytest.raises(BlockedURL):
        Guard().check_addresses("mixed.test", ["8.8.8.8", "10.0.0.5"])


def test_allow_private_by_flag_environment_or_network(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("NEWSINDEX_FETCH_ALLOW_PRIVATE", raising=False)
    assert Guard(allow_private=True).check_addresses("h", ["10.0.0.5"]) == ["10.0.0.5"]
    only_one = Guard(allow_networks=["127.0.0.1/32"])
    assert only_one.check_addresses("h", ["127.0.0.1"]) == ["127.0.0.1"]
    with pytest.raises(BlockedURL):
        only_one.check_addresses("h", ["127.0.0.2"])
    monkeypatch.setenv("NEWSINDEX_FETCH_ALLOW_PRIVATE", "1")
    assert Guard().check_addresses("h", ["192.168.0.1"]) == ["192.168.0.1"]


def test_localhost_is_refused_after_resolution(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("NEWSINDEX_FETCH_ALLOW_PRIVATE", raising=False)
    with pytest.raises(BlockedURL, match="localhost resolves to non-public address"):
        asyncio.run(Guard().resolve("localhost", 80))


@pytest.mark.parametrize("url", ["ftp://example.org/a", "file:///etc/passwd", "gopher://x/", "javascript:alert(1)"])
def test_only_http_and_https(url: str) -> None:
    with pytest.raises(BlockedURL, match="only http and https"):
        check_scheme(url)
    check_scheme("https://example.org/")
    check_scheme("HTTP://example.org/")


def test_retry_after_seconds_and_http_dates() -> None:
    assert retry_after("7") == 7.0
    assert retry_after("Wed, 21 Oct 2015 07:28:10 GMT", now=1445412480.0) == 10.0
    assert retry_after("Wed, 21 Oct 2015 07:28:00 GMT", now=1445412490.0) == 0.0
    assert retry_after("soon") is None and retry_after(None) is None


def test_origin_and_reasons() -> None:
    assert origin_of("https://News.Example.org/a?b") == "https://news.example.org:443"
    assert origin_of("http://127.0.0.1:8080/x") == "http://127.0.0.1:8080"
    assert status_reason(404) == "not found (HTTP 404)" and status_reason(410) == "gone (HTTP 410)"
    assert status_reason(503) == "HTTP 503 Service Unavailable"
