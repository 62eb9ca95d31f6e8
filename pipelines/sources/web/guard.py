"""Refuse to fetch from private, loopback, link-local, multicast and reserved addresses.

A corpus tool that fetches any URL it is given must not become a way into the network it runs in
(cloud metadata at 169.254.169.254, admin consoles on 10.x, services on localhost). The check runs on
the addresses a host name resolves to, at connect time, inside the HTTP client's network backend: so
every redirect hop and every robots.txt request is checked, and a name that resolves to a public
address for a pre-check and to a private one for the connection (DNS rebinding) cannot slip through,
because the connection goes to the address that was checked.
"""

from __future__ import annotations

import ipaddress
import os
import socket
from collections.abc import Iterable
from urllib.parse import urlsplit

import anyio
from httpcore import AsyncNetworkBackend, AsyncNetworkStream
from httpcore._backends.auto import AutoBackend

ALLOWED_SCHEMES = ("http", "https")
IPAddress = ipaddress.IPv4Address | ipaddress.IPv6Address


class BlockedURL(Exception):
    """A URL the fetcher refuses to request; the message says why, for the run report."""


def env_allows_private() -> bool:
    return os.environ.get("NEWSINDEX_FETCH_ALLOW_PRIVATE", "").strip().lower() in ("1", "true", "yes")


def check_scheme(url: str) -> None:
    scheme = urlsplit(url).scheme.lower()
    if scheme not in ALLOWED_SCHEMES:
        raise BlockedURL(f"refused: scheme '{scheme or 'none'}' (only http and https are fetched)")


def is_public(ip: IPAddress) -> bool:
    """True for globally routable unicast addresses (IPv4-mapped IPv6 is judged as its IPv4 address)."""
    if isinstance(ip, ipaddress.IPv6Address) and ip.ipv4_mapped is not None:
        ip = ip.ipv4_mapped
    return ip.is_global and not (ip.is_multicast or ip.is_reserved or ip.is_unspecified)


class Guard:
    """Decides which resolved addresses may be connected to.

    `allow_private` opens every address (NEWSINDEX_FETCH_ALLOW_PRIVATE=1); `allow_networks` opens only
    the given networks (tests open 127.0.0.1/32 and show that 127.0.0.2 is still refused on a hop).
    """

    def __init__(self, allow_private: bool = False, allow_networks: Iterable[str] = ()) -> None:
        self.allow_private = allow_private or env_allows_private()
        self.allow_networks = [ipaddress.ip_network(n) for n in allow_networks]

    def permits(self, ip: IPAddress) -> bool:
        return self.allow_private or is_public(ip) or any(ip in net for net in self.allow_networks)

    def check_addresses(self, host: str, addresses: Iterable[str]) -> list[str]:
        """The addresses of `host` to connect to, or BlockedURL if any of them is refused."""
        found = list(dict.fromkeys(addresses))
        if not found:
            raise BlockedURL(f"refused: {host} does not resolve")
        for text in found:
            ip = ipaddress.ip_address(text.split("%", 1)[0])
            if not self.permits(ip):
                raise BlockedURL(f"refused: {host} resolves to non-public address {ip} "
                                 "(set NEWSINDEX_FETCH_ALLOW_PRIVATE=1 to allow)")
        return found

    async def resolve(self, host: str, port: int) -> list[str]:
        try:
            infos = await anyio.getaddrinfo(host, port, type=socket.SOCK_STREAM)
        except OSError as exc:
            raise BlockedURL(f"DNS lookup failed for {host}: {exc}") from exc
        return self.check_addresses(host, [str(info[4][0]) for info in infos])


class GuardedBackend(AsyncNetworkBackend):
    """httpcore network backend that resolves, checks and then connects to the checked address."""

    def __init__(self, guard: Guard, inner: AsyncNetworkBackend | None = None) -> None:
        self.guard = guard
        self.inner = inner or AutoBackend()

    async def connect_tcp(self, host: str, port: int, timeout: float | None = None,
                          local_address: str | None = None, socket_options=None) -> AsyncNetworkStream:
        addresses = await self.guard.resolve(host, port)
        error: Exception | None = None
        for address in addresses:
            try:
                return await self.inner.connect_tcp(address, port, timeout=timeout, local_address=local_address,
                                                    socket_options=socket_options)
            except Exception as exc:  # try the next address of the host, like a browser does
                error = exc
        assert error is not None
        raise error

    async def connect_unix_socket(self, path: str, timeout: float | None = None, socket_options=None):
        raise BlockedURL("refused: unix sockets are not fetched")

    async def sleep(self, seconds: float) -> None:
        await self.inner.sleep(seconds)
