"""Settings are checked when they load: a bad value is one clear line naming the variable, before any work."""

from __future__ import annotations

import os

import pytest
from pydantic import ValidationError

from pipelines.settings import Settings, config_errors, effective


@pytest.fixture(autouse=True)
def shipped_configuration(monkeypatch: pytest.MonkeyPatch) -> None:
    """The settings of config/newsindex.toml alone, whatever the shell running the tests has set."""
    for key in [k for k in os.environ if k.startswith("NEWSINDEX_")]:
        monkeypatch.delenv(key)


def errors_for(monkeypatch: pytest.MonkeyPatch, **env: str) -> list[str]:
    for key, value in env.items():
        monkeypatch.setenv(f"NEWSINDEX_{key.upper()}", value)
    with pytest.raises(ValidationError) as info:
        Settings()
    return config_errors(info.value)


def test_the_shipped_configuration_loads() -> None:
    settings = Settings()
    assert settings.index == "news" and settings.batch_size >= 1 and settings.executor in ("pool", "dask")


@pytest.mark.parametrize(
    ("key", "value", "says"),
    [
        ("batch_size", "abc", "valid integer"),
        ("batch_size", "0", "greater than or equal to 1"),
        ("workers", "-2", "greater than or equal to 1"),
        ("executor", "ray", "'pool' or 'dask'"),
        ("story_min_title", "2", "less than or equal to 1"),
        ("es_port", "70000", "less than or equal to 65535"),
        ("fetch_timeout_read", "0", "greater than 0"),
        ("stories_enabled", "perhaps", "valid boolean"),
    ],
)
def test_a_bad_value_names_the_variable_the_key_and_the_value(monkeypatch: pytest.MonkeyPatch, key: str, value: str,
                                                               says: str) -> None:
    [line] = errors_for(monkeypatch, **{key: value})
    assert line.startswith(f"NEWSINDEX_{key.upper()} / {key} in ")
    assert says in line and repr(value) in line


def test_every_bad_value_is_listed_at_once(monkeypatch: pytest.MonkeyPatch) -> None:
    lines = errors_for(monkeypatch, batch_size="0", executor="ray")
    assert [line.split(" /")[0] for line in lines] == ["NEWSINDEX_EXECUTOR", "NEWSINDEX_BATCH_SIZE"]


@pytest.mark.parametrize("name", ["news", "t1a2b3", "my-corpus.v1", "corpus_2024", "9lives", "a" * 200])
def test_corpus_names_elasticsearch_accepts(monkeypatch: pytest.MonkeyPatch, name: str) -> None:
    monkeypatch.setenv("NEWSINDEX_INDEX", name)
    assert Settings().index == name


@pytest.mark.parametrize("name", ["News", "-news", "_news", "+news", "my corpus", "a*b", "a/b", "a:b", "a,b", "a#b",
                                  ".", "a" * 201])
def test_corpus_names_elasticsearch_refuses(monkeypatch: pytest.MonkeyPatch, name: str) -> None:
    [line] = errors_for(monkeypatch, index=name)
    assert "not a valid corpus name" in line


def test_an_empty_variable_counts_as_unset(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("NEWSINDEX_INDEX", "")
    monkeypatch.setenv("NEWSINDEX_BATCH_SIZE", "")
    settings = Settings()
    assert (settings.index, settings.batch_size) == ("news", 200)


def test_effective_settings_say_where_each_value_came_from(monkeypatch: pytest.MonkeyPatch, tmp_path) -> None:
    config = tmp_path / "site.toml"
    config.write_text('index = "archive"\nbatch_size = 50\n', encoding="utf-8")
    monkeypatch.setenv("NEWSINDEX_CONFIG", str(config))
    monkeypatch.setenv("NEWSINDEX_BATCH_SIZE", "20")
    monkeypatch.setenv("NEWSINDEX_ES_URL", "https://reader:s3cret@es.example.org:9200")
    monkeypatch.setenv("NEWSINDEX_ES_PASSWORD", "s3cret")
    rows = {key: (value, origin) for key, value, origin in effective(Settings())}
    assert rows["batch_size"] == ("20", "NEWSINDEX_BATCH_SIZE")  # the variable wins over the file
    assert rows["index"] == ("archive", "site.toml")
    assert rows["bulk_retries"] == ("5", "default")
    assert rows["es_password"] == ("(set)", "NEWSINDEX_ES_PASSWORD")
    assert rows["es_url"] == ("https://***@es.example.org:9200", "NEWSINDEX_ES_URL")
    assert rows["es_api_key"] == ("unset", "default")
    assert not any("s3cret" in value for value, _ in rows.values())
