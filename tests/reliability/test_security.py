"""Connecting to a secured cluster (basic auth, API key, TLS with a CA certificate) by settings alone,
and secrets never leaking into output, logs, run reports, Prefect artifacts or exception messages.

The embedded node has no x-pack security, so a `SecuredFront` (tests/reliability/proxy.py) stands in
for a secured cluster: TLS with a CA and server certificate generated here, 401 unless the request
carries the right `Authorization` header, everything else forwarded to the real node.
"""

from __future__ import annotations

import base64
import datetime as dt
import ipaddress
import json
import os
import secrets
import ssl
from collections.abc import Iterator
from pathlib import Path

import pytest
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.x509.oid import NameOID

from tests.conftest import FIXTURES
from tests.e2e.test_cli import _row
from tests.reliability.conftest import cli_env, run_cli
from tests.reliability.proxy import SecuredFront

pytestmark = pytest.mark.integration

USER = "researcher"
PASSWORD = f"pw-{secrets.token_hex(12)}"
API_KEY = base64.b64encode(f"{secrets.token_hex(8)}:{secrets.token_hex(16)}".encode()).decode()
WRONG = f"wrong-{secrets.token_hex(12)}"
WRONG_KEY = base64.b64encode(f"id:{WRONG}".encode()).decode()
SECRETS = (PASSWORD, API_KEY, WRONG, WRONG_KEY)


def _name(common: str) -> x509.Name:
    return x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, common)])


def _cert(subject: str, key: ec.EllipticCurvePrivateKey, issuer: str, signer: ec.EllipticCurvePrivateKey,
          ca: bool) -> x509.Certificate:
    now = dt.datetime.now(dt.UTC)
    builder = (x509.CertificateBuilder().subject_name(_name(subject)).issuer_name(_name(issuer))
               .public_key(key.public_key()).serial_number(x509.random_serial_number())
               .not_valid_before(now - dt.timedelta(minutes=5)).not_valid_after(now + dt.timedelta(days=1))
               .add_extension(x509.BasicConstraints(ca=ca, path_length=None), critical=True))
    if not ca:
        alt = [x509.IPAddress(ipaddress.ip_address("127.0.0.1")), x509.DNSName("localhost")]
        builder = builder.add_extension(x509.SubjectAlternativeName(alt), critical=False)
    return builder.sign(signer, hashes.SHA256())


@pytest.fixture(scope="module")
def tls(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, ssl.SSLContext]:
    """A test CA (its certificate file is what users give as NEWSINDEX_ES_CA_CERTS) and a server context."""
    folder = tmp_path_factory.mktemp("tls")
    ca_key, server_key = ec.generate_private_key(ec.SECP256R1()), ec.generate_private_key(ec.SECP256R1())
    ca = _cert("newsindex test CA", ca_key, "newsindex test CA", ca_key, ca=True)
    server = _cert("127.0.0.1", server_key, "newsindex test CA", ca_key, ca=False)
    pem = serialization.Encoding.PEM
    (folder / "ca.pem").write_bytes(ca.public_bytes(pem))
    (folder / "server.pem").write_bytes(server.public_bytes(pem) + ca.public_bytes(pem))
    (folder / "server.key").write_bytes(server_key.private_bytes(
        pem, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()))
    context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
    context.load_cert_chain(folder / "server.pem", folder / "server.key")
    return folder / "ca.pem", context


@pytest.fixture(scope="module")
def secured(es_url: str, tls: tuple[Path, ssl.SSLContext]) -> Iterator[SecuredFront]:
    basic = "Basic " + base64.b64encode(f"{USER}:{PASSWORD}".encode()).decode()
    with SecuredFront(es_url, tls[1], accepted={basic, f"ApiKey {API_KEY}"}) as front:
        yield front


def _env(front: SecuredFront, ca: Path, index: str, cache: Path, **credentials: str) -> dict[str, str]:
    env = cli_env(front.url, index, cache, NEWSINDEX_ES_CA_CERTS=str(ca))
    for key in ("NEWSINDEX_ES_USERNAME", "NEWSINDEX_ES_PASSWORD", "NEWSINDEX_ES_API_KEY"):
        env.pop(key, None)  # only what the test gives
    return {**env, **credentials}


def _assert_no_secret(*texts: str) -> None:
    for text in texts:
        for secret in SECRETS:
            assert secret not in text, f"a secret leaked into: {text[:200]!r}"


@pytest.mark.parametrize("credentials", [
    {"NEWSINDEX_ES_USERNAME": USER, "NEWSINDEX_ES_PASSWORD": PASSWORD},
    {"NEWSINDEX_ES_API_KEY": API_KEY},
], ids=["basic-auth", "api-key"])
def test_ingest_and_search_over_tls_with_credentials_from_env(
        credentials: dict[str, str], secured: SecuredFront, tls, index_name: str, tmp_path: Path) -> None:
    env = _env(secured, tls[0], index_name, tmp_path / "cache", **credentials)
    before = len(secured.requests)
    run = run_cli("ingest", str(FIXTURES / "articles"), env=env)
    assert run.returncode == 0, run.stderr
    assert _row(run.stdout, "indexed") == 7
    found = run_cli("search", "wind", "--json", env=env)
    assert found.returncode == 0 and json.loads(found.stdout)["total"] >= 1
    assert len(secured.requests) > before  # the traffic went through the secured front, not around it
    _assert_no_secret(run.stdout, run.stderr, found.stdout, found.stderr)


@pytest.mark.parametrize("credentials", [
    {"NEWSINDEX_ES_USERNAME": USER, "NEWSINDEX_ES_PASSWORD": WRONG},
    {"NEWSINDEX_ES_API_KEY": WRONG_KEY},
    {},
], ids=["wrong-password", "wrong-api-key", "no-credentials"])
def test_wrong_credentials_exit_3_naming_the_url_not_the_secret(
        credentials: dict[str, str], secured: SecuredFront, tls, tmp_path: Path) -> None:
    refused = secured.refused
    run = run_cli("ingest", str(FIXTURES / "articles"), env=_env(secured, tls[0], "nope", tmp_path, **credentials))
    assert run.returncode == 3
    assert f"Elasticsearch at {secured.url} refused the credentials (HTTP 401)" in run.stderr
    assert "Traceback" not in run.stderr and secured.refused > refused
    _assert_no_secret(run.stdout, run.stderr)


def test_tls_is_verified_against_the_given_ca(secured: SecuredFront, tmp_path: Path) -> None:
    """Without NEWSINDEX_ES_CA_CERTS the test CA is unknown: the connection is refused, clearly."""
    env = {k: v for k, v in _env(secured, Path("unused"), "nope", tmp_path, NEWSINDEX_ES_API_KEY=API_KEY).items()
           if k != "NEWSINDEX_ES_CA_CERTS"}
    run = run_cli("ingest", str(FIXTURES / "articles"), env=env)
    assert run.returncode == 3
    assert f"cannot reach Elasticsearch at {secured.url}" in run.stderr
    _assert_no_secret(run.stdout, run.stderr)


def test_secrets_stay_out_of_exceptions_logs_reports_and_prefect_artifacts(
        secured: SecuredFront, tls, index_name: str, tmp_cache: Path, monkeypatch: pytest.MonkeyPatch,
        caplog: pytest.LogCaptureFixture, capfd: pytest.CaptureFixture[str]) -> None:
    from prefect.client.orchestration import get_client
    from prefect.logging.handlers import APILogHandler
    from prefect.testing.utilities import prefect_test_harness

    from flows.ingest import ingest_files
    from pipelines.index.client import ClusterUnavailable, connect
    from pipelines.settings import reload_settings

    monkeypatch.setenv("NEWSINDEX_ES_URL", secured.url)
    monkeypatch.setenv("NEWSINDEX_ES_CA_CERTS", str(tls[0]))
    monkeypatch.setenv("NEWSINDEX_ES_USERNAME", USER)
    monkeypatch.setenv("NEWSINDEX_ES_PASSWORD", WRONG)
    settings = reload_settings()
    with pytest.raises(ClusterUnavailable) as failed:
        connect(settings)
    chain, exc = [], failed.value
    while exc is not None:
        chain += [str(exc), repr(exc)]
        exc = exc.__cause__ or exc.__context__
    _assert_no_secret(*chain, repr(settings), str(settings.model_dump()))

    monkeypatch.setenv("NEWSINDEX_ES_PASSWORD", PASSWORD)
    reload_settings()
    with prefect_test_harness(server_startup_timeout=120):
        report = ingest_files([str(FIXTURES / "articles"), str(FIXTURES / "text")], source="secured")
        APILogHandler().flush()
        with get_client(sync_client=True) as prefect:
            artifacts = [a.model_dump_json() for a in prefect.read_artifacts()]
            logs = [log.model_dump_json() for log in prefect.read_logs()]
            runs = [r.model_dump_json() for r in prefect.read_flow_runs()]
    assert report["indexed"] >= 7 and artifacts and logs and runs  # there was something to search
    out, err = capfd.readouterr()
    _assert_no_secret(json.dumps(report), *artifacts, *logs, *runs, out, err, caplog.text)
    quarantine = tmp_cache / "quarantine" / "quarantine.jsonl"
    _assert_no_secret(quarantine.read_text() if quarantine.exists() else "")
    assert os.environ["NEWSINDEX_ES_PASSWORD"] == PASSWORD  # the checks above really ran with the secret set
