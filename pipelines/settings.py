"""Configuration: environment variables NEWSINDEX_* win over config/newsindex.toml, which wins over defaults.

Every value is checked when the settings load (types, ranges, the corpus name as Elasticsearch allows it), so a
typo in the environment or the TOML file is one clear error before any work starts (`config_errors`), not a
failure halfway through a run.
"""

from __future__ import annotations

import os
import re
from functools import lru_cache
from pathlib import Path
from typing import Any, Literal

from pydantic import Field, SecretStr, ValidationError, field_validator
from pydantic_settings import BaseSettings, PydanticBaseSettingsSource, SettingsConfigDict, TomlConfigSettingsSource

ROOT = Path(__file__).resolve().parents[1]
CONFIG_DIR = ROOT / "config"


def _config_file() -> Path:
    return Path(os.environ.get("NEWSINDEX_CONFIG", CONFIG_DIR / "newsindex.toml"))


def _mask_credentials(url: str) -> str:
    return re.sub(r"//[^/@]*@", "//***@", url)


ENV_PREFIX = "NEWSINDEX_"


def variable(key: str) -> str:
    """The environment variable that sets a setting: NEWSINDEX_<KEY>."""
    return f"{ENV_PREFIX}{key.upper()}"


# Elasticsearch refuses upper case, spaces, \\ / * ? " < > | , # : and a leading - _ +; names stay under 255 bytes
# with the "-v2-<timestamp>" and "-stories" suffixes the corpus adds.
_INDEX_NAME = re.compile(r"[a-z0-9][a-z0-9._-]{0,199}")


class Settings(BaseSettings):
    # An empty variable counts as unset (compose files pass `NEWSINDEX_X: ${NEWSINDEX_X:-}` through).
    model_config = SettingsConfigDict(env_prefix=ENV_PREFIX, extra="ignore", env_ignore_empty=True)

    # Elasticsearch. When es_url is unset the embedded node on es_port is used (and started by `es up`).
    es_url: str | None = None
    es_port: int = Field(9200, ge=1, le=65535)
    es_username: str | None = None
    es_password: SecretStr | None = None
    es_api_key: SecretStr | None = None
    es_ca_certs: str | None = None
    es_timeout: float = Field(30.0, gt=0)
    replicas: int = Field(0, ge=0)  # number_of_replicas of the indices the project creates; 1 on a cluster of 2+ nodes
    index: str = Field("news", description="read alias, and prefix of the concrete versioned indices")

    # Working folders (raw store, quarantine, local services) live under cache_dir.
    cache_dir: Path = ROOT / ".cache"

    # Processing. executor "pool": a local process pool; "dask": Prefect tasks on a Dask cluster (dask_address,
    # or a local cluster of `workers` processes when unset).
    executor: Literal["pool", "dask"] = "pool"
    dask_address: str | None = None
    batch_size: int = Field(200, ge=1)
    workers: int = Field(default_factory=lambda: os.cpu_count() or 1, ge=1)
    max_file_bytes: int = Field(20_000_000, ge=1)
    # Reruns take a file's raw hash from cache_dir when its size, mtime and inode are unchanged (no read);
    # false hashes every file on every run (filesystems whose mtimes cannot be trusted).
    remember_file_digests: bool = True
    language_sample_chars: int = Field(1000, ge=1)
    min_language_chars: int = Field(40, ge=0)

    # Web fetching (politeness, limits, safety). See config/newsindex.toml "Web fetching".
    fetch_user_agent: str = "newsindex/0.1 (+research corpus builder; respects robots.txt)"
    fetch_concurrency: int = Field(16, ge=1)  # requests in flight across all hosts
    fetch_per_host: int = Field(2, ge=1)  # requests in flight against one host (scheme://host:port)
    fetch_delay: float = Field(1.0, ge=0)  # seconds between request starts against one host
    fetch_timeout_connect: float = Field(10.0, gt=0)
    fetch_timeout_read: float = Field(30.0, gt=0)
    fetch_max_bytes: int = Field(10_000_000, ge=1)  # larger bodies are quarantined, never read whole
    fetch_max_redirects: int = Field(10, ge=0)
    fetch_retries: int = Field(3, ge=0)  # on timeouts, 429 and 5xx, with backoff (Retry-After honoured)
    fetch_allow_private: bool = False  # allow private/loopback/link-local targets (tests: 127.0.0.1)
    respect_robots: bool = True

    # Bulk indexing.
    bulk_max_bytes: int = Field(5_000_000, ge=1)
    bulk_max_docs: int = Field(500, ge=1)
    bulk_retries: int = Field(5, ge=0)

    # Stories across outlets (pipelines/stories). See config/newsindex.toml "Stories" for what each means.
    stories_enabled: bool = True
    story_shingle_words: int = Field(2, ge=1)
    story_near_duplicate: float = Field(0.5, ge=0, le=1)
    story_min_title: float = Field(0.25, ge=0, le=1)
    story_min_keywords: float = Field(0.15, ge=0, le=1)
    story_min_names: float = Field(0.15, ge=0, le=1)
    story_min_phrases: float = Field(0.08, ge=0, le=1)
    story_date_window_days: int = Field(3, ge=0)

    @field_validator("index")
    @classmethod
    def _index_name(cls, name: str) -> str:
        """The corpus name as Elasticsearch accepts index names, with room for the versioned indices' suffix."""
        if not _INDEX_NAME.fullmatch(name):
            raise ValueError(
                "not a valid corpus name: lower case letters, digits, '.', '_' and '-', starting with a letter or "
                "digit, at most 200 characters")
        return name

    @property
    def embedded(self) -> bool:
        return not self.es_url

    @property
    def url(self) -> str:
        return self.es_url or f"http://127.0.0.1:{self.es_port}"

    @property
    def display_url(self) -> str:
        """The cluster URL for messages: credentials written into the URL (user:pass@) are masked."""
        return _mask_credentials(self.url)

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


def config_errors(exc: ValidationError) -> list[str]:
    """One line per invalid setting, named as an operator sets it: the variable and the TOML key."""
    lines = []
    for error in exc.errors():
        key = ".".join(str(part) for part in error["loc"]) or "settings"
        value = error.get("input")
        given = f" (got {value!r})" if isinstance(value, (str, int, float)) else ""
        message = str(error["msg"]).removeprefix("Value error, ")
        lines.append(f"{variable(key)} / {key} in {_config_file().name}: {message}{given}")
    return lines


def effective(settings: Settings) -> list[tuple[str, str, str]]:
    """(key, value, where it came from) for every setting: the NEWSINDEX_ variable, the config file or the default.
    Secrets show only whether they are set."""
    path = _config_file()
    in_file = TomlConfigSettingsSource(Settings, toml_file=path).toml_data  # read as the settings were loaded
    rows = []
    for key in Settings.model_fields:
        value = getattr(settings, key)
        if os.environ.get(variable(key)):
            origin = variable(key)
        elif key in in_file:
            origin = path.name
        else:
            origin = "default"
        if value is None:
            shown = "unset"
        elif isinstance(value, SecretStr):
            shown = "(set)"
        else:
            shown = _mask_credentials(str(value)) if key == "es_url" else str(value)
        rows.append((key, shown, origin))
    return rows


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
