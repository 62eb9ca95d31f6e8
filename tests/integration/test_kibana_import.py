"""`newsindex kibana setup`: the saved-objects import request, checked by a local HTTP server.

STAND-IN: no Kibana runs on this machine, so a small HTTP server on 127.0.0.1 plays Kibana's
`POST /api/saved_objects/_import` endpoint. It checks what Kibana 8.x requires (path, `overwrite=true`,
the `kbn-xsrf` header, a multipart/form-data body whose `file` part is an .ndjson file) and answers with
Kibana's response shapes, including its error bodies.
"""

from __future__ import annotations

import email
import email.policy
import json
import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import parse_qs, urlsplit

import pytest

from pipelines import kibana


class StandIn:
    """What the fake Kibana saw, and what it should answer next."""

    def __init__(self) -> None:
        self.requests: list[dict[str, Any]] = []
        self.reply: tuple[int, bytes] | None = None  # forced answer, for the error cases


def _handler(state: StandIn) -> type[BaseHTTPRequestHandler]:
    class Handler(BaseHTTPRequestHandler):
        def log_message(self, *args: Any) -> None:
            pass

        def do_POST(self) -> None:  # noqa: N802 (http.server's naming)
            body = self.rfile.read(int(self.headers.get("Content-Length", 0)))
            url = urlsplit(self.path)
            seen = {"path": url.path, "query": parse_qs(url.query), "headers": dict(self.headers), "body": body}
            state.requests.append(seen)
            status, payload = state.reply or self._check(seen)
            self.send_response(status)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(payload)))
            self.end_headers()
            self.wfile.write(payload)

        def _check(self, seen: dict[str, Any]) -> tuple[int, bytes]:
            """Kibana's own checks, in its order, with its error bodies."""
            if not seen["path"].endswith("/api/saved_objects/_import"):
                return 404, b'{"statusCode":404,"error":"Not Found","message":"Not Found"}'
            if "kbn-xsrf" not in {k.lower() for k in seen["headers"]}:
                return 400, b'{"statusCode":400,"message":"Request must contain a kbn-xsrf header."}'
            ctype = seen["headers"].get("Content-Type", "")
            if not ctype.startswith("multipart/form-data; boundary="):
                return 415, b'{"statusCode":415,"error":"Unsupported Media Type"}'
            msg = email.message_from_bytes(b"Content-Type: " + ctype.encode() + b"\r\n\r\n" + seen["body"],
                                           policy=email.policy.HTTP)
            parts = {p.get_param("name", header="content-disposition"): p for p in msg.iter_parts()}
            part = parts.get("file")
            if part is None or not (part.get_filename() or "").endswith(".ndjson"):
                return 400, b'{"statusCode":400,"error":"Bad Request","message":"Invalid file extension .txt"}'
            objects = [json.loads(line) for line in part.get_payload(decode=True).decode().splitlines()]
            seen["objects"] = objects
            overwrite = seen["query"].get("overwrite") == ["true"]
            results = [{"type": o["type"], "id": o["id"], "meta": {"title": o["attributes"]["title"]},
                        **({"overwrite": True} if overwrite and len(state.requests) > 1 else {})} for o in objects]
            return 200, json.dumps({"success": True, "successCount": len(objects), "successResults": results,
                                    "warnings": []}).encode()

    return Handler


@pytest.fixture
def stand_in() -> Iterator[tuple[str, StandIn]]:
    state = StandIn()
    server = ThreadingHTTPServer(("127.0.0.1", 0), _handler(state))
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}", state
    server.shutdown()
    server.server_close()


def test_setup_posts_every_asset_as_multipart_ndjson_with_overwrite_and_xsrf(stand_in) -> None:
    url, state = stand_in
    assets = kibana.load_assets()
    first = kibana.setup(url, "news")
    assert first.success_count == len(assets)
    [req] = state.requests
    assert req["path"] == "/api/saved_objects/_import" and req["query"] == {"overwrite": ["true"]}
    assert req["headers"]["kbn-xsrf"] == "true" and "Authorization" not in req["headers"]
    assert [(o["type"], o["id"]) for o in req["objects"]] == [(o["type"], o["id"]) for o in assets]

    again = kibana.setup(url, "corpus2", space="research", api_key="c2VjcmV0")  # idempotent: same ids replaced
    assert again.success_count == first.success_count and all(o.get("overwrite") for o in again.objects)
    second = state.requests[1]
    assert second["path"] == "/s/research/api/saved_objects/_import"
    assert second["headers"]["Authorization"] == "ApiKey c2VjcmV0"
    [view] = [o for o in second["objects"] if o["type"] == "index-pattern"]
    assert view["attributes"]["title"] == "corpus2"  # the data view follows NEWSINDEX_INDEX


def test_basic_auth_is_sent_when_a_username_is_given(stand_in) -> None:
    url, state = stand_in
    kibana.setup(url, "news", username="elastic", password="changeme")
    assert state.requests[0]["headers"]["Authorization"] == "Basic ZWxhc3RpYzpjaGFuZ2VtZQ=="


@pytest.mark.parametrize(("status", "body", "message"), [
    (401, b'{"statusCode":401,"error":"Unauthorized","message":"[security_exception]"}', "refused the import"),
    (403, b'{"statusCode":403,"error":"Forbidden"}', "HTTP 403.*credentials"),
    (404, b'{"statusCode":404,"error":"Not Found"}', "no saved-objects import API"),
    (400, b'{"statusCode":400,"error":"Bad Request","message":"Invalid file extension .txt"}',
     "HTTP 400: Invalid file extension"),
    (503, b"upstream unavailable", "HTTP 503: upstream unavailable"),
    (200, json.dumps({"success": False, "successCount": 1, "errors": [
        {"id": "newsindex-coverage", "type": "dashboard", "title": "Coverage",
         "error": {"type": "missing_references", "references": [{"type": "lens", "id": "x"}]}}]}).encode(),
     r"rejected 1 object\(s\): dashboard/newsindex-coverage \(Coverage\): missing_references"),
])
def test_kibana_errors_become_clear_messages(stand_in, status: int, body: bytes, message: str) -> None:
    url, state = stand_in
    state.reply = (status, body)
    with pytest.raises(kibana.KibanaError, match=message):
        kibana.setup(url, "news")


def test_unreachable_kibana_names_the_url(stand_in) -> None:
    _, state = stand_in
    dead = "http://127.0.0.1:9"  # discard port: nothing listens
    with pytest.raises(kibana.KibanaError, match=f"cannot reach Kibana at {dead}"):
        kibana.setup(dead, "news", timeout=5)
    assert state.requests == []
