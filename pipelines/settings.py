"""Configuration: environment variables NEWSINDEX_* win over config/newsindex.toml, which wins over defaults."""

from __future__ import annotations

import os
import re
from functools import lru_cache
from pathlib import Path
from typing import Any

from pydantic import Field, SecretStr
from pydantic_settings import BaseSettings, PydanticBaseSettingsSource, SettingsConfigDict, TomlConfigSettingsSource

ROOT = Path(__file__).resolve().parents[1]
CONFIG_DIR = ROOT / "config"


def _config_file() -> Path:
    return Path(os.environ.get("NEWSINDEX_CONFIG", CONFIG_DIR / "newsindex.toml"))


class Settings(BaseSettings):
    model_config = SettingsConfigDict(env_prefix="NEWSINDEX_", extra="ignore")

    # Elasticsearch. When es_url is unset the embedded node on es_port is used (and started by `es up`).
    es_url: str | None = None
    es_port: int = 9200
    es_username: str | None = None
    es_password: SecretStr | None = None
    es_api_key: SecretStr | None = None
    es_ca_certs: str | None = None
    es_timeout: float = 30.0
    replicas: int = 0  # number_of_replicas of the indices the project creates; 1 on a cluster of 2+ nodes
    index: str = Field("news", description="read alias, and prefix of the concrete versioned indices")

    # Working folders (raw store, quarantine, local services) live under cache_dir.
    cache_dir: Path = ROOT / ".cache"

    # Processing. executor "pool": a local process pool; "dask": Prefect tasks on a Dask cluster (dask_address,
    # or a local cluster of `workers` processes when unset).
    executor: str = "pool"
    dask_address: str | None = None
    batch_size: int = 200
    workers: int = Field(default_factory=lambda: os.cpu_count() or 1)
    max_file_bytes: int = 20_000_000
    # Reruns take a file's raw hash from cache_dir when its size, mtime and inode are unchanged (no read);
    # false hashes every file on every run (filesystems whose mtimes cannot be trusted).
    remember_file_digests: bool = True
    language_sample_chars: int = 1000
    min_language_chars: int = 40

    # Web fetching (politeness, limits, safety). See config/newsindex.toml "Web fetching".
    fetch_user_agent: str = "newsindex/0.1 (+research corpus builder; respects robots.txt)"
    fetch_concurrency: int = 16  # requests in flight across all hosts
    fetch_per_host: int = 2  # requests in flight against one host (scheme://host:port)
    fetch_delay: float = 1.0  # seconds between request starts against one host
    fetch_timeout_connect: float = 10.0
    fetch_timeout_read: float = 30.0
    fetch_max_bytes: int = 10_000_000  # larger bodies are quarantined, never read whole
    fetch_max_redirects: int = 10
    fetch_retries: int = 3  # on timeouts, 429 and 5xx, with backoff (Retry-After honoured)
    fetch_allow_private: bool = False  # allow private/loopback/link-local targets (tests: 127.0.0.1)
    respect_robots: bool = True

    # Bulk indexing.
    bulk_max_bytes: int = 5_000_000
    bulk_max_docs: int = 500
    bulk_retries: int = 5

    # Stories across outlets (pipelines/stories). See config/newsindex.toml "Stories" for what each means.
    stories_enabled: bool = True
    story_shingle_words: int = 2
    story_near_duplicate: float = 0.5
    story_min_title: float = 0.25
    story_min_keywords: float = 0.15
    story_min_names: float = 0.15
    story_min_phrases: float = 0.08
    story_date_window_days: int = 3

    @property
    def embedded(self) -> bool:
        return not self.es_url

    @property
    def url(self) -> str:
        return self.es_url or f"http://127.0.0.1:{self.es_port}"

    @property
    def display_url(self) -> str:
        """The cluster URL for messages: credentials written into the URL (user:pass@) are masked."""
        return re.sub(r"//[^/@]*@", "//***@", self.url)

    @property
    def quarantine_dir(self) -> Path:
        return self.cache_dir / "quarantine"

    @classmethod
    def settings_customise_sources(
        cls,
        settings_cls: type[BaseSettings],
        init_settings: PydanticBaseSettingsSource,
        env_settings: PydanticBaseSettingsSource,
        dotenv_settings: PydanticBaseSettingsSource,
        file_secret_settings: PydanticBaseSettingsSource,
    ) -> tuple[PydanticBaseSettingsSource, ...]:
        toml = TomlConfigSettingsSource(settings_cls, toml_file=_config_file())
        return (init_settings, env_settings, toml, file_secret_settings)


def default(name: str) -> Any:
    """A setting's built-in default: the one place component configs (fetching, stories) take theirs from."""
    return Settings.model_fields[name].default


@lru_cache(maxsize=1)
def get_settings() -> Settings:
    return Settings()


def reload_settings() -> Settings:
    """Drop the cached settings (tests change the environment between cases)."""
    get_settings.cache_clear()
    return get_settings()
