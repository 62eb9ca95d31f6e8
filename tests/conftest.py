"""Shared fixtures: paths, the real Elasticsearch (embedded unless NEWSINDEX_ES_URL), a unique index per test."""

from __future__ import annotations

import os
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
FIXTURES = ROOT / "tests" / "fixtures"
SHARED = ROOT.parent / "shared"
SEEDS = SHARED / "seeds"
CORPUS = SHARED / "corpora" / "wcxb-dev-articles"


def need_shared(path: Path) -> None:
    if not path.exists():
        pytest.skip(f"{path.name} lives in ../shared beside the checkout, which this clone does not have")


@pytest.fixture(scope="session")
def es_url() -> str:
    """The URL of a running Elasticsearch: NEWSINDEX_ES_URL, or the embedded node (started if needed)."""
    from pipelines import local_es
    from pipelines.settings import reload_settings

    settings = reload_settings()
    if settings.embedded:
        return local_es.up(port=settings.es_port)
    return settings.url


@pytest.fixture
def index_name(es_url: str, monkeypatch: pytest.MonkeyPatch) -> Iterator[str]:
    """A corpus name unique to this test (NEWSINDEX_INDEX); its indices are deleted afterwards."""
    from pipelines.index.client import make_client
    from pipelines.settings import reload_settings

    name = f"t{uuid.uuid4().hex[:10]}"
    monkeypatch.setenv("NEWSINDEX_INDEX", name)
    if not os.environ.get("NEWSINDEX_ES_URL"):
        monkeypatch.setenv("NEWSINDEX_ES_URL", es_url)
    settings = reload_settings()
    yield name
    client = make_client(settings)
    client.indices.delete(index=f"{name}-*", ignore_unavailable=True, allow_no_indices=True)
    client.options(ignore_status=404).indices.delete_index_template(name=f"{name}-template")
    monkeypatch.undo()
    reload_settings()


@pytest.fixture
def client(index_name: str):
    from pipelines.index.client import connect
    from pipelines.settings import get_settings

    return connect(get_settings())


@pytest.fixture
def tmp_cache(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A private cache folder (quarantine store, raw store) for one test."""
    from pipelines.settings import reload_settings

    cache = tmp_path / "cache"
    monkeypatch.setenv("NEWSINDEX_CACHE_DIR", str(cache))
    reload_settings()
    return cache
