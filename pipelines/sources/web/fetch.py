"""A polite, bounded HTTP fetcher: the one way newsindex reads the web.

Politeness: at most `per_host` requests in flight against one origin (scheme://host:port), request starts
spaced by `delay` seconds per origin (a longer robots.txt Crawl-delay wins, and a 429's Retry-After pushes
every request to that origin back), `concurrency` in flight overall, robots.txt obeyed by default.
Bounds: connect/read timeouts and a whole-request deadline, a redirect limit with loop detection, bodies
streamed and cut at `max_bytes`, http and https only, non-public addresses refused on every hop (guard.py).
Retries: timeouts, connection errors, 429 and 5xx, with exponential backoff, honouring Retry-After.
Every response (each redirect hop too) goes to the WARC archive when one is given.

The async Fetcher does the work; WebFetcher runs it on a private event-loop thread so a synchronous caller
(the Prefect flow) keeps per-host timers, the robots cache and open connections across batches.
"""

from __future__ import annotations

import asyncio
import random
import threading
import time
from collections.abc import AsyncIterator, Coroutine
from contextlib import asynccontextmanager
from dataclasses import dataclass, field
from email.utils import parsedate_to_datetime
from typing import Any, TypeVar
from urllib.parse import urljoin, urlsplit
from urllib.robotparser import RobotFileParser

import httpx

from pipelines.settings import Settings, default
from pipelines.sources.web.guard import BlockedURL, Guard, GuardedBackend, check_scheme
from pipelines.sources.web.warc import WarcArchive

RETRY_STATUSES = frozenset({429, 500, 502, 503, 504})
REDIRECT_STATUSES = frozenset({301, 302, 303, 307, 308})
MAX_RETRY_AFTER = 120.0  # seconds; a server asking for longer is treated as refusing
MAX_CRAWL_DELAY = 60.0
ROBOTS_MAX_BYTES = 512_000  # RFC 9309 asks crawlers to parse at least 500 KiB
ACCEPT = "text/html,application/xhtml+xml;q=0.9,application/xml;q=0.8,text/plain;q=0.5,*/*;q=0.1"
T = TypeVar("T")


@dataclass(frozen=True)
class FetchConfig:
    """Fetching limits; the defaults are the settings' (pipelines/settings.py), tests override single values."""

    user_agent: str = default("fetch_user_agent")
    concurrency: int = default("fetch_concurrency")
    per_host: int = default("fetch_per_host")
    delay: float = default("fetch_delay")
    timeout_connect: float = default("fetch_timeout_connect")
    timeout_read: float = default("fetch_timeout_read")
    max_bytes: int = default("fetch_max_bytes")
    max_redirects: int = default("fetch_max_redirects")
    retries: int = default("fetch_retries")
    backoff: float = 1.0  # first retry waits this long, then doubles (plus jitter)
    respect_robots: bool = default("respect_robots")
    allow_private: bool = default("fetch_allow_private")

    @classmethod
    def from_settings(cls, s: Settings, **overrides: Any) -> FetchConfig:
        values = dict(
            user_agent=s.fetch_user_agent, concurrency=s.fetch_concurrency, per_host=s.fetch_per_host,
            delay=s.fetch_delay, timeout_connect=s.fetch_timeout_connect, timeout_read=s.fetch_timeout_read,
            max_bytes=s.fetch_max_bytes, max_redirects=s.fetch_max_redirects, retries=s.fetch_retries,
            respect_robots=s.respect_robots, allow_private=s.fetch_allow_private,
        )
        values.update(overrides)
        return cls(**values)

    @property
    def deadline(self) -> float:
        """Whole-request limit, so a server trickling one byte per read timeout cannot hold a slot forever."""
        return self.timeout_connect + 4 * self.timeout_read


@dataclass
class FetchResult:
    """The end of one URL's fetch: a final response, or the reason there is none (a quarantine reason)."""

    url: str  # as requested
    final_url: str
    status: int | None = None
    content_type: str | None = None
    body: bytes = b""
    error: str | None = None
    redirects: list[str] = field(default_factory=list)
    attempts: int = 0
    retryable: bool = False
    wait_hint: float | None = None  # Retry-After of the last response, in seconds
    blocked: bool = False  # refused by the address or scheme guard
    record_id: str | None = None  # WARC record of the final response

    @property
    def ok(self) -> bool:
        return self.error is None and self.status is not None and 200 <= self.status < 300


class _TooLarge(Exception):
    pass


@dataclass
class _Origin:
    """Politeness state of one origin."""

    slots: asyncio.Semaphore
    delay: float
    start_lock: asyncio.Lock = field(default_factory=asyncio.Lock)
    robots_lock: asyncio.Lock = field(default_factory=asyncio.Lock)
    next_start: float = 0.0
    robots_known: bool = False
    robots: RobotFileParser | None = None  # None: everything allowed
    robots_error: str | None = None  # robots.txt unreachable: nothing on this origin is fetched


def origin_of(url: str) -> str:
    parts = urlsplit(url)
    port = parts.port or (443 if parts.scheme == "https" else 80)
    return f"{parts.scheme}://{(parts.hostname or '').lower()}:{port}"


def retry_after(value: str | None, now: float | None = None) -> float | None:
    """Seconds from a Retry-After header (delta-seconds or HTTP date); None when absent or unreadable."""
    if not value:
        return None
    value = value.strip()
    if value.isdigit():
        return float(value)
    try:
        when = parsedate_to_datetime(value)
    except (TypeError, ValueError):
        return None
    return max(0.0, when.timestamp() - (now if now is not None else time.time()))


def status_reason(status: int) -> str:
    if status == 404:
        return "not found (HTTP 404)"
    if status == 410:
        return "gone (HTTP 410)"
    phrase = httpx.codes.get_reason_phrase(status)
    return f"HTTP {status} {phrase}".strip()


class Fetcher:
    """Async fetcher; one per event loop. Use `async with Fetcher(config) as f: await f.fetch_many(urls)`."""

    def __init__(self, config: FetchConfig, archive: WarcArchive | None = None, guard: Guard | None = None) -> None:
        self.config = config
        self.archive = archive
        self.guard = guard or Guard(config.allow_private)
        self._origins: dict[str, _Origin] = {}
        self._global = asyncio.Semaphore(config.concurrency)
        transport = httpx.AsyncHTTPTransport(
            trust_env=False,  # an environment proxy would connect on our behalf, around the address guard
            limits=httpx.Limits(max_connections=config.concurrency + 4, max_keepalive_connections=config.concurrency),
        )
        # httpx takes no network backend argument; the pool is rebuilt with the guarded one (httpx 0.28).
        transport._pool._network_backend = GuardedBackend(self.guard)
        timeout = httpx.Timeout(connect=config.timeout_connect, read=config.timeout_read,
                                write=config.timeout_read, pool=None)
        self.client = httpx.AsyncClient(transport=transport, timeout=timeout, follow_redirects=False,
                                        headers={"User-Agent": config.user_agent, "Accept": ACCEPT})

    async def __aenter__(self) -> Fetcher:
        return self

    async def __aexit__(self, *exc: object) -> None:
        await self.client.aclose()

    # ------------------------------------------------------------------ public
    async def fetch_many(self, urls: list[str], purpose: str = "page",
                         meta: dict[str, dict[str, Any]] | None = None) -> list[FetchResult]:
        """Fetch all URLs concurrently within the limits; results in the order of `urls`."""
        meta = meta or {}
        return list(await asyncio.gather(*(self.fetch(u, purpose, meta.get(u)) for u in urls)))

    async def fetch(self, url: str, purpose: str = "page", meta: dict[str, Any] | None = None) -> FetchResult:
        """One URL with retries; never raises for a network or server problem (that is `error`)."""
        result = FetchResult(url, url)
        for attempt in range(self.config.retries + 1):
            result = await self._follow(url)
            result.attempts = attempt + 1
            if not result.retryable or attempt == self.config.retries:
                break
            await asyncio.sleep(self._backoff(attempt, result))
        if result.retryable:
            result.error = f"{result.error} after {result.attempts} attempts"
        if self.archive is not None and result.record_id is not None:
            info = {"purpose": purpose, "requested": url, "meta": meta or {}, "error": result.error}
            self.archive.write_metadata(result.final_url, result.record_id, info)
        return result

    # ------------------------------------------------------------------ internals
    def _backoff(self, attempt: int, result: FetchResult) -> float:
        wait = self.config.backoff * (2**attempt) * (1 + random.random() / 4)
        return max(wait, result.wait_hint) if result.wait_hint is not None else wait

    def _origin(self, url: str) -> _Origin:
        key = origin_of(url)
        state = self._origins.get(key)
        if state is None:
            state = self._origins[key] = _Origin(asyncio.Semaphore(self.config.per_host), self.config.delay)
        return state

    @asynccontextmanager
    async def _slot(self, url: str) -> AsyncIterator[None]:
        """Wait for a per-origin slot, the origin's next start time, then a global slot (in that order, so a
        busy origin never holds global slots that other origins could use)."""
        state = self._origin(url)
        loop = asyncio.get_running_loop()
        async with state.slots:
            async with state.start_lock:
                wait = state.next_start - loop.time()
                if wait > 0:
                    await asyncio.sleep(wait)
                state.next_start = loop.time() + state.delay
            async with self._global:
                yield

    async def _follow(self, url: str, check_robots: bool = True) -> FetchResult:
        """GET `url`, following redirects by hand so every hop is checked (scheme, robots, loop, address)."""
        result = FetchResult(url, url)
        seen = {url}
        current = url
        while True:
            try:
                check_scheme(current)
                if check_robots and self.config.respect_robots:
                    refusal = await self._robots_refusal(current)
                    if refusal:
                        result.error = refusal
                        return result
                response = await self._get(current, result)
            except BlockedURL as exc:
                result.error, result.blocked = str(exc), True
                return result
            if result.error or response is None:
                return result
            if response.status_code not in REDIRECT_STATUSES:
                return self._judge(result, response)
            location = response.headers.get("location")
            if not location:
                result.error = f"redirect ({response.status_code}) without a Location header"
                return result
            nxt = urljoin(current, location.strip())
            if nxt in seen:
                result.error = f"redirect loop: {nxt} again after {len(result.redirects)} hops"
                return result
            if len(result.redirects) >= self.config.max_redirects:
                result.error = f"too many redirects (more than {self.config.max_redirects})"
                return result
            result.redirects.append(nxt)
            seen.add(nxt)
            current = result.final_url = nxt

    def _judge(self, result: FetchResult, response: httpx.Response) -> FetchResult:
        status = response.status_code
        result.status = status
        result.content_type = response.headers.get("content-type")
        if 200 <= status < 300:
            if status == 204 or not result.body:
                result.error = f"empty response (HTTP {status})"
            return result
        result.error = status_reason(status)
        if status in RETRY_STATUSES:
            result.retryable = True
            hinted = retry_after(response.headers.get("retry-after"))
            if hinted is not None:
                if hinted > MAX_RETRY_AFTER:
                    result.retryable = False
                    result.error += f", Retry-After {hinted:.0f}s is beyond {MAX_RETRY_AFTER:.0f}s"
                else:
                    result.wait_hint = hinted
                    state = self._origin(result.final_url)
                    state.next_start = max(state.next_start, asyncio.get_running_loop().time() + hinted)
        return result

    async def _get(self, url: str, result: FetchResult) -> httpx.Response | None:
        """One request inside the politeness slots; the body lands in result.body, the response in the WARC."""
        limit = self.config.max_bytes
        result.body, result.error, result.retryable, result.wait_hint, result.record_id = b"", None, False, None, None
        try:
            # Entered in order: the deadline starts once the slot is ours, not while queueing for it.
            async with (self._slot(url), asyncio.timeout(self.config.deadline),
                        self.client.stream("GET", url) as response):
                try:
                    result.body = await self._read(response, limit)
                except _TooLarge as exc:
                    result.error = str(exc)
                    result.record_id = self._archive(response, b"", truncated=True)
                    return None
                result.record_id = self._archive(response, result.body)
                return response
        except BlockedURL:
            raise
        except (httpx.TimeoutException, TimeoutError):
            result.error = f"timeout (connect {self.config.timeout_connect:g}s, read {self.config.timeout_read:g}s)"
        except httpx.TransportError as exc:
            result.error = f"connection failed: {type(exc).__name__}: {exc}"[:300]
        except httpx.InvalidURL as exc:
            result.error = f"invalid URL: {exc}"
            return None
        result.retryable = True
        return None

    async def _read(self, response: httpx.Response, limit: int) -> bytes:
        declared = response.headers.get("content-length", "")
        if declared.isdigit() and int(declared) > limit:
            raise _TooLarge(f"too large: Content-Length {int(declared)} bytes (limit {limit}, setting fetch_max_bytes)")
        chunks: list[bytes] = []
        size = 0
        async for chunk in response.aiter_bytes():  # decoded (gzip/deflate): the limit holds after inflation
            size += len(chunk)
            if size > limit:
                raise _TooLarge(f"too large: body over {limit} bytes (setting fetch_max_bytes)")
            chunks.append(chunk)
        return b"".join(chunks)

    def _archive(self, response: httpx.Response, body: bytes, truncated: bool = False) -> str | None:
        if self.archive is None:
            return None
        return self.archive.write_response(str(response.url), response.status_code, response.reason_phrase,
                                    list(response.headers.multi_items()), body, truncated=truncated)

    async def _robots_refusal(self, url: str) -> str | None:
        """A quarantine reason when robots.txt forbids `url` (or cannot be read), else None."""
        state = self._origin(url)
        async with state.robots_lock:
            if not state.robots_known:
                await self._load_robots(url, state)
        if state.robots_error:
            return state.robots_error
        if state.robots is not None and not state.robots.can_fetch(self.config.user_agent, url):
            return f"blocked by robots.txt of {origin_of(url)}"
        return None

    async def _load_robots(self, url: str, state: _Origin) -> None:
        """RFC 9309: 4xx means no rules; 5xx or unreachable means assume everything is disallowed."""
        parts = urlsplit(url)
        robots_url = f"{parts.scheme}://{parts.netloc}/robots.txt"
        got = await self._follow(robots_url, check_robots=False)
        state.robots_known = True
        if got.status is not None and 400 <= got.status < 500:
            return
        if got.blocked:  # the host itself is refused: say so, not that its robots.txt is unreachable
            state.robots_error = got.error
            return
        if got.status is None or not 200 <= got.status < 300:
            state.robots_error = f"robots.txt of {origin_of(url)} unreachable ({got.error}): nothing fetched there"
            return
        parser = RobotFileParser(robots_url)
        parser.parse(got.body[:ROBOTS_MAX_BYTES].decode("utf-8", errors="replace").splitlines())
        state.robots = parser
        crawl_delay = parser.crawl_delay(self.config.user_agent)
        if crawl_delay:
            state.delay = max(state.delay, min(float(crawl_delay), MAX_CRAWL_DELAY))
        if self.archive is not None and got.record_id is not None:
            self.archive.write_metadata(got.final_url, got.record_id,
                                        {"purpose": "robots", "requested": robots_url, "meta": {}, "error": None})


class WebFetcher:
    """Synchronous face of Fetcher: a private event loop on a daemon thread, alive until close()."""

    def __init__(self, config: FetchConfig, archive: WarcArchive | None = None, guard: Guard | None = None) -> None:
        self._loop = asyncio.new_event_loop()
        self._thread = threading.Thread(target=self._loop.run_forever, name="newsindex-fetch", daemon=True)
        self._thread.start()
        self.archive = archive

        async def make() -> Fetcher:
            return Fetcher(config, archive, guard)

        self.fetcher = self._run(make())

    def _run(self, coro: Coroutine[Any, Any, T]) -> T:
        return asyncio.run_coroutine_threadsafe(coro, self._loop).result()

    def fetch_many(self, urls: list[str], purpose: str = "page",
                   meta: dict[str, dict[str, Any]] | None = None) -> list[FetchResult]:
        return self._run(self.fetcher.fetch_many(urls, purpose, meta))

    def close(self) -> None:
        if self._loop.is_closed():
            return
        self._run(self.fetcher.client.aclose())
        self._loop.call_soon_threadsafe(self._loop.stop)
        self._thread.join(timeout=10)
        self._loop.close()
        if self.archive is not None:
            self.archive.close()

    def __enter__(self) -> WebFetcher:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()
