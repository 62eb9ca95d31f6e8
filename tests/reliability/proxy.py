"""Loopback HTTP(S) proxies in front of the real Elasticsearch node, for fault and security tests.

Not a mock: every request a proxy does not answer itself is forwarded to the real node and the real
answer is returned. Subclasses decide what to answer themselves:
- `FaultInjector` (a fault injector) answers 429 to the first N bulk requests, as a busy cluster does;
- `SecuredFront` (a stand-in for a secured cluster) terminates TLS with a test CA and requires the
  right `Authorization` header, because the embedded node has no x-pack security.
"""

from __future__ import annotations

import http.client
import json
import ssl
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import urlsplit

Answer = tuple[int, list[tuple[str, str]], bytes]
HOP_BY_HOP = {"connection", "keep-alive", "transfer-encoding", "content-length", "host", "authorization"}
ES_JSON = [("Content-Type", "application/json"), ("X-Elastic-Product", "Elasticsearch")]


class _Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    server: Forwarder

    def log_message(self, format: str, *args: Any) -> None:  # quiet: pytest shows failures, not traffic
        pass

    def _handle(self) -> None:
        length = int(self.headers.get("Content-Length") or 0)
        body = self.rfile.read(length) if length else b""
        status, headers, payload = self.server.intercept(self, body) or self.server.forward(self, body)
        self.send_response(status)
        for key, value in headers:
            if key.lower() not in HOP_BY_HOP:
                self.send_header(key, value)
        self.send_header("Content-Length", "0" if self.command == "HEAD" else str(len(payload)))
        self.end_headers()
        if self.command != "HEAD":
            self.wfile.write(payload)

    do_GET = do_POST = do_PUT = do_DELETE = do_HEAD = _handle


class Forwarder(ThreadingHTTPServer):
    """Forward everything to `upstream`; `intercept` may answer a request itself instead."""

    daemon_threads = True

    def __init__(self, upstream: str, ssl_context: ssl.SSLContext | None = None) -> None:
        super().__init__(("127.0.0.1", 0), _Handler)
        self.upstream = urlsplit(upstream)
        self.scheme = "http"
        if ssl_context is not None:
            self.socket = ssl_context.wrap_socket(self.socket, server_side=True)
            self.scheme = "https"
        self.requests: list[str] = []  # "METHOD /path" of every request received
        self._thread = threading.Thread(target=self.serve_forever, daemon=True)

    @property
    def url(self) -> str:
        return f"{self.scheme}://127.0.0.1:{self.server_address[1]}"

    def intercept(self, handler: _Handler, body: bytes) -> Answer | None:
        return None

    def forward(self, handler: _Handler, body: bytes) -> Answer:
        self.requests.append(f"{handler.command} {handler.path}")
        conn = http.client.HTTPConnection(self.upstream.hostname, self.upstream.port, timeout=120)
        try:
            headers = {k: v for k, v in handler.headers.items() if k.lower() not in HOP_BY_HOP}
            conn.request(handler.command, handler.path, body=body or None, headers=headers)
            resp = conn.getresponse()
            return resp.status, resp.getheaders(), resp.read()
        except OSError as exc:
            return 502, [("Content-Type", "text/plain")], f"upstream unreachable: {exc}".encode()
        finally:
            conn.close()

    def __enter__(self) -> Forwarder:
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.shutdown()
        self.server_close()


def _error(status: int, kind: str, reason: str) -> dict[str, Any]:
    return {"error": {"root_cause": [{"type": kind, "reason": reason}], "type": kind, "reason": reason},
            "status": status}


class FaultInjector(Forwarder):
    """Fault injector: the first `rejections` bulk requests are refused with 429, the rest go through.

    mode "request": the whole request gets HTTP 429 (es_rejected_execution_exception);
    mode "items": HTTP 200 with every item rejected with status 429, what a node with a full write queue returns.
    """

    def __init__(self, upstream: str, rejections: int, mode: str = "request") -> None:
        super().__init__(upstream)
        self.left, self.mode, self.injected = rejections, mode, 0
        self._lock = threading.Lock()

    def intercept(self, handler: _Handler, body: bytes) -> Answer | None:
        if "_bulk" not in handler.path:
            return None
        with self._lock:
            if self.left <= 0:
                return None
            self.left -= 1
            self.injected += 1
        reason = "rejected execution of bulk request (fault injector: write queue full)"
        if self.mode == "request":
            return 429, ES_JSON, json.dumps(_error(429, "es_rejected_execution_exception", reason)).encode()
        items = []
        lines = iter(line for line in body.splitlines() if line.strip())
        for line in lines:
            (op, meta), = json.loads(line).items()
            if op != "delete":
                next(lines, None)  # the document source
            items.append({op: {"_index": meta.get("_index"), "_id": meta.get("_id"), "status": 429,
                               "error": {"type": "es_rejected_execution_exception", "reason": reason}}})
        return 200, ES_JSON, json.dumps({"took": 1, "errors": True, "items": items}).encode()


class SecuredFront(Forwarder):
    """Stand-in for a secured cluster: TLS, and 401 unless `Authorization` is one of `accepted`."""

    def __init__(self, upstream: str, ssl_context: ssl.SSLContext, accepted: set[str]) -> None:
        super().__init__(upstream, ssl_context)
        self.accepted = accepted
        self.refused = 0

    def intercept(self, handler: _Handler, body: bytes) -> Answer | None:
        if handler.headers.get("Authorization") in self.accepted:
            return None
        self.refused += 1
        reason = "unable to authenticate user for REST request [/]"
        headers = [*ES_JSON, ("WWW-Authenticate", 'Basic realm="security", ApiKey')]
        return 401, headers, json.dumps(_error(401, "security_exception", reason)).encode()
