"""A real HTTP server on 127.0.0.1 for the web tests and the fetch benchmark (stdlib ThreadingHTTPServer).

It serves made-up articles, RSS and Atom feeds, a sitemap index with a plain and a gzipped sitemap, and the
awkward cases a crawler meets: 404, 410, 500-then-200, 429 with Retry-After, a response slower than any
sane timeout, redirect chains and loops, an oversized body (with and without Content-Length), a PDF, pages
in legacy encodings, a path robots.txt forbids, and a redirect to another loopback address.
It counts requests per path and the most requests ever in flight at once.
"""

from __future__ import annotations

import gzip
import threading
import time
from collections import Counter
from collections.abc import Iterator
from contextlib import contextmanager
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import parse_qs, urlsplit

ARTICLES = {
    "harbour-ferry": (
        "Harbour ferry returns after winter repairs", "Mara Quillon", "2024-03-14",
        ["The blue ferry that links the two halves of Eastmere harbour returned to service on Thursday after "
         "eleven weeks in dry dock, where engineers replaced its propeller shafts and rebuilt the passenger deck.",
         "Commuters queued from half past six. The harbour board said the crossing would run every twenty "
         "minutes until the evening tide, with an extra boat at weekends through the summer.",
         "Repairs cost the board slightly more than planned because rust had spread into the hull frames, "
         "a finding the chief engineer described as typical for a vessel built in the nineteen-seventies."]),
    "orchard-census": (
        "Volunteers count every apple tree in Lindell valley", "Tobias Renwick", "2024-05-02",
        ["Forty volunteers spent the weekend counting the apple trees of Lindell valley, the first such census "
         "since the cider cooperative closed two decades ago.",
         "They recorded almost three thousand trees in eighty-one orchards, among them nine old varieties the "
         "regional seed library had believed lost, including a russet known locally as Grey Parson.",
         "Grafts from the rare trees will be planted in a public orchard beside the railway station next spring."]),
    "library-robot": (
        "City library tests a shelf-reading robot at night", "Ines Dalmar", "2024-06-20",
        ["The central library of Port Avery has begun testing a small robot that reads the spines of books at "
         "night and reports volumes that sit on the wrong shelf.",
         "In its first month the machine found more than four hundred misplaced books, most of them in the "
         "children's section, where young readers return picture books wherever there is space.",
         "Librarians said the robot will not replace staff but frees them from an hour of shelf checks a day."]),
    "tidal-mill": (
        "Tidal mill grinds flour again after two centuries", "Oskar Bellweather", "2024-08-09",
        ["A tidal mill on the Sallow estuary ground its first sack of flour in two hundred years on Saturday, "
         "after a restoration trust spent six years rebuilding the wheel and the sluice gates.",
         "The mill works only for a few hours around each ebb tide, when water held in the pond behind it is "
         "let out under the wheel, so opening hours will change daily with the tide tables.",
         "The trust plans to sell the flour to bakeries in the village and to run school visits in autumn."]),
}

CP1252_TEXT = ("Café owners in Rivemont say the new “quiet hours” rule, which bans amplified music after nine "
               "o’clock, has cut complaints by half — and that customers stay longer. The council will review "
               "the rule in December after a survey of residents and businesses on both sides of the square.")
KOI8_TEXT = ("В городе Северогорске открылась новая библиотека для детей и подростков. В ней собрано более "
             "двадцати тысяч книг, а по выходным там проходят занятия по рисованию и чтению вслух. "
             "Жители района давно просили открыть такую библиотеку рядом со школой и парком.")


def article_html(slug: str, base: str = "") -> bytes:
    title, author, date, paras = ARTICLES[slug]
    body = "\n".join(f"<p>{p}</p>" for p in paras)
    return (f"<!doctype html><html lang='en'><head><meta charset='utf-8'><title>{title} | Valley Courier</title>"
            f"<meta name='author' content='{author}'><meta property='article:published_time' content='{date}'>"
            f"<link rel='canonical' href='{base}/articles/{slug}.html'></head><body><nav>Home | News</nav>"
            f"<article><h1>{title}</h1><p class='byline'>By {author}</p>{body}</article>"
            f"<footer>© Valley Courier</footer></body></html>").encode()


def legacy_html(text: str, title: str, lang: str, meta_charset: str | None = None) -> str:
    meta = f"<meta charset='{meta_charset}'>" if meta_charset else ""
    paras = "".join(f"<p>{s.strip()}.</p>" for s in text.split(".") if s.strip())
    return (f"<!doctype html><html lang='{lang}'><head>{meta}<title>{title}</title></head>"
            f"<body><article><h1>{title}</h1>{paras}</article></body></html>")


def rss(base: str) -> bytes:
    items = "".join(
        f"<item><title>{ARTICLES[s][0]} (feed title)</title><link>{base}/articles/{s}.html?utm_source=rss</link>"
        f"<pubDate>{d}</pubDate><dc:creator>{a}</dc:creator></item>"
        for s, d, a in (("harbour-ferry", "Thu, 14 Mar 2024 08:30:00 +0000", "Mara Quillon"),
                        ("orchard-census", "Thu, 02 May 2024 10:00:00 +0000", "Tobias Renwick"))
    )
    return (f"<?xml version='1.0' encoding='utf-8'?><rss version='2.0' xmlns:dc='http://purl.org/dc/elements/1.1/'>"
            f"<channel><title>Valley Courier</title><link>{base}/</link>{items}</channel></rss>").encode()


def atom(base: str) -> bytes:
    entries = "".join(
        f"<entry><title>{ARTICLES[s][0]}</title><link rel='alternate' href='{base}/articles/{s}.html'/>"
        f"<id>urn:{s}</id><published>{ARTICLES[s][2]}T09:00:00Z</published><updated>2024-12-01T00:00:00Z</updated>"
        f"<author><name>{ARTICLES[s][1]}</name></author></entry>"
        for s in ("library-robot", "harbour-ferry")
    )
    return (f"<?xml version='1.0' encoding='utf-8'?><feed xmlns='http://www.w3.org/2005/Atom'>"
            f"<title>Valley Courier</title><id>urn:courier</id>{entries}</feed>").encode()


def sitemap_index(base: str) -> bytes:
    return (f"<?xml version='1.0' encoding='UTF-8'?><sitemapindex xmlns='http://www.sitemaps.org/schemas/sitemap/0.9'>"
            f"<sitemap><loc>{base}/sitemap-news.xml</loc></sitemap>"
            f"<sitemap><loc>{base}/sitemap-old.xml.gz</loc></sitemap>"
            f"<sitemap><loc>{base}/sitemap_index.xml</loc></sitemap></sitemapindex>").encode()


def sitemap(base: str, slugs: list[str], news: bool) -> bytes:
    def entry(s: str) -> str:
        extra = (f"<news:news><news:publication><news:name>Valley Courier</news:name></news:publication>"
                 f"<news:publication_date>{ARTICLES[s][2]}</news:publication_date>"
                 f"<news:title>{ARTICLES[s][0]}</news:title></news:news>") if news else ""
        return f"<url><loc>{base}/articles/{s}.html</loc><lastmod>2025-01-01</lastmod>{extra}</url>"

    return (f"<?xml version='1.0' encoding='UTF-8'?><urlset xmlns='http://www.sitemaps.org/schemas/sitemap/0.9' "
            f"xmlns:news='http://www.google.com/schemas/sitemap-news/0.9'>{''.join(entry(s) for s in slugs)}"
            f"</urlset>").encode()


class Handler(BaseHTTPRequestHandler):
    server: LoopbackServer

    def log_message(self, *args: object) -> None:  # keep test output clean
        pass

    def _send(self, status: int, body: bytes = b"", ctype: str = "text/html; charset=utf-8",
              headers: dict[str, str] | None = None, length: bool = True) -> None:
        self.send_response(status)
        self.send_header("Content-Type", ctype)
        for k, v in (headers or {}).items():
            self.send_header(k, v)
        if length:
            self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def do_GET(self) -> None:  # noqa: N802 (the stdlib's name)
        srv = self.server
        with srv.lock:
            srv.hits[urlsplit(self.path).path] += 1
            srv.starts.append(time.monotonic())
        srv.flight.enter()
        try:
            self.route()
        except (BrokenPipeError, ConnectionResetError):
            pass
        finally:
            srv.flight.leave()

    def route(self) -> None:
        srv, parts = self.server, urlsplit(self.path)
        path, query = parts.path, parse_qs(parts.query)
        base = srv.base
        hits = srv.hits[path]
        if "sleep" in query:
            time.sleep(float(query["sleep"][0]))
        if path == "/robots.txt":
            return self._send(200, b"User-agent: *\nDisallow: /private/\n", "text/plain")
        if path.startswith("/articles/") and path.endswith(".html"):
            slug = path[len("/articles/"):-5]
            if slug in ARTICLES:
                return self._send(200, article_html(slug, base))
            if slug.startswith("bench-"):
                return self._send(200, srv.bench_page(slug))
        if path == "/private/secret.html":
            return self._send(200, article_html("tidal-mill", base))
        if path == "/feed.rss":
            return self._send(200, rss(base), "application/rss+xml")
        if path == "/feed.atom":
            return self._send(200, atom(base), "application/atom+xml")
        if path == "/sitemap_index.xml":
            return self._send(200, sitemap_index(base), "application/xml")
        if path == "/sitemap-news.xml":
            return self._send(200, sitemap(base, ["tidal-mill", "library-robot"], news=True), "application/xml")
        if path == "/sitemap-old.xml.gz":
            body = gzip.compress(sitemap(base, ["orchard-census"], news=False), mtime=0)
            return self._send(200, body, "application/gzip")
        if path == "/missing":
            return self._send(404, b"<html><body>Not here</body></html>")
        if path == "/gone":
            return self._send(410, b"<html><body>Gone</body></html>")
        if path == "/flaky":  # 500 the first time, then the page
            return self._send(500, b"oops") if hits == 1 else self._send(200, article_html("orchard-census", base))
        if path == "/busy":  # 429 with Retry-After the first time, then the page
            if hits == 1:
                return self._send(429, b"slow down", "text/plain", {"Retry-After": "1"})
            return self._send(200, article_html("library-robot", base))
        if path == "/always-503":
            return self._send(503, b"down", "text/plain")
        if path == "/slow":
            time.sleep(srv.slow_seconds)
            return self._send(200, article_html("tidal-mill", base))
        if path.startswith("/redirect/"):
            n = int(path.rsplit("/", 1)[1])
            target = f"/redirect/{n - 1}" if n > 1 else "/articles/harbour-ferry.html"
            return self._send(302 if n % 2 else 301, b"", headers={"Location": target})
        if path == "/loop/a":
            return self._send(302, b"", headers={"Location": f"{base}/loop/b"})
        if path == "/loop/b":
            return self._send(302, b"", headers={"Location": "/loop/a"})
        if path == "/to-other-host":
            return self._send(302, b"", headers={"Location": f"http://127.0.0.2:{srv.port}/articles/tidal-mill.html"})
        if path == "/huge":
            return self._send(200, b"<html><body>" + b"<p>filler text</p>" * 200_000 + b"</body></html>")
        if path == "/huge-stream":  # no Content-Length: the limit must hold while streaming
            self._send(200, b"", length=False)
            for _ in range(400):
                self.wfile.write(b"<p>" + b"x" * 8192 + b"</p>")
            return None
        if path == "/paper.pdf":
            return self._send(200, b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n1 0 obj\n<< /Type /Catalog >>\nendobj\n" * 20,
                              "application/pdf")
        if path == "/legacy/cp1252.html":  # declared in the header only
            html = legacy_html(CP1252_TEXT, "Quiet hours in Rivemont", "en")
            return self._send(200, html.encode("cp1252"), "text/html; charset=windows-1252")
        if path == "/legacy/koi8r.html":  # declared nowhere
            html = legacy_html(KOI8_TEXT, "Новая библиотека в Северогорске", "ru")
            return self._send(200, html.encode("koi8-r"), "text/html")
        return self._send(404, b"<html><body>Not found</body></html>")


class InFlight:
    """Requests being served right now, and the most ever at once (shareable between servers)."""

    def __init__(self) -> None:
        self.lock = threading.Lock()
        self.now = 0
        self.peak = 0

    def enter(self) -> None:
        with self.lock:
            self.now += 1
            self.peak = max(self.peak, self.now)

    def leave(self) -> None:
        with self.lock:
            self.now -= 1


class LoopbackServer(ThreadingHTTPServer):
    daemon_threads = True
    allow_reuse_address = True

    def __init__(self, host: str = "127.0.0.1", port: int = 0, slow_seconds: float = 3.0,
                 bench_bytes: int = 20_000, flight: InFlight | None = None) -> None:
        super().__init__((host, port), Handler)
        self.lock = threading.Lock()
        self.flight = flight or InFlight()
        self.hits: Counter[str] = Counter()
        self.starts: list[float] = []  # monotonic time each request arrived
        self.slow_seconds = slow_seconds
        self.bench_bytes = bench_bytes

    @property
    def max_in_flight(self) -> int:
        return self.flight.peak

    @property
    def port(self) -> int:
        return self.server_address[1]

    @property
    def base(self) -> str:
        return f"http://{self.server_address[0]}:{self.port}"

    def url(self, path: str) -> str:
        return self.base + path

    def bench_page(self, slug: str) -> bytes:
        paragraph = f"<p>Benchmark page {slug} carries filler text about harbours and orchards. </p>"
        return (f"<html><head><title>{slug}</title></head><body><article>"
                + paragraph * max(1, self.bench_bytes // len(paragraph)) + "</article></body></html>").encode()

    def reset_counts(self) -> None:
        with self.lock:
            self.hits.clear()
            self.starts.clear()
            self.flight.peak = 0


@contextmanager
def serve(host: str = "127.0.0.1", port: int = 0, **kwargs: Any) -> Iterator[LoopbackServer]:
    server = LoopbackServer(host, port, **kwargs)
    thread = threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True)
    thread.start()
    try:
        yield server
    finally:
        server.shutdown()
        server.server_close()
