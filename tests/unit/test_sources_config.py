"""sources.yaml: the project's file loads, and every kind of mistake fails with the source and field named."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from pipelines.sources.config import SourceConfigError, get_source, load_sources, parse_sources


def test_the_projects_sources_yaml_is_valid() -> None:
    sources = load_sources()
    assert {"folder", "feed", "sitemap", "urls"} <= {s.kind for s in sources.values()}
    inbox = sources["inbox"]
    assert (inbox.kind, inbox.schedule, inbox.timezone, inbox.paths) == ("folder", "0 6 * * *", "Europe/Berlin",
                                                                          ["inbox"])
    assert sources["wire-feeds"].timezone == "UTC"  # the file-level default
    assert all(s.name == key for key, s in sources.items())


def test_file_level_timezone_is_the_default_and_a_source_may_override_it() -> None:
    sources = parse_sources("timezone: Asia/Tokyo\nsources:\n  a: {kind: folder, paths: [x]}\n"
                            "  b: {kind: folder, paths: [x], timezone: UTC}\n")
    assert (sources["a"].timezone, sources["b"].timezone) == ("Asia/Tokyo", "UTC")


@pytest.mark.parametrize(("yaml_text", "message"), [
    ("sources: {a: {kind: folder, paths: [x], schedule: '61 * * * *'}}", "sources.a.schedule: .*invalid cron"),
    ("sources: {a: {kind: folder, paths: [x], schedule: 'every day'}}", "invalid cron"),
    ("sources: {a: {kind: folder, paths: [x], timezone: Mars/Olympus}}", "unknown timezone 'Mars/Olympus'"),
    ("sources: {a: {kind: folder, urls: ['https://x.org']}}", "a folder source needs `paths`"),
    ("sources: {a: {kind: feed, paths: [x]}}", "a feed source needs `urls`"),
    ("sources: {a: {kind: sitemap, urls: ['ftp://x.org/s.xml']}}", "must start with http"),
    ("sources: {a: {kind: rss, urls: ['https://x.org']}}", "sources.a.kind"),
    ("sources: {Bad_Name: {kind: folder, paths: [x]}}", "sources.Bad_Name.name"),
    ("sources: {a: {kind: folder, paths: [x], shedule: '0 * * * *'}}", "sources.a.shedule: Extra inputs"),
    ("sources: [a, b]", "sources"),
    ("feeds: {}", "top-level `sources:`"),
    ("sources: {a: [", "not valid YAML"),
])
def test_mistakes_fail_with_a_clear_message(yaml_text: str, message: str) -> None:
    with pytest.raises(SourceConfigError, match=message):
        parse_sources(yaml_text)


def test_missing_file_and_unknown_source(tmp_path) -> None:
    with pytest.raises(SourceConfigError, match="cannot read"):
        load_sources(tmp_path / "nope.yaml")
    path = tmp_path / "s.yaml"
    path.write_text("sources:\n  a: {kind: folder, paths: [x]}\n")
    with pytest.raises(SourceConfigError, match=r"no source named 'b' .*known: a"):
        get_source("b", path)


def test_next_run_is_computed_in_the_sources_timezone() -> None:
    source = parse_sources("sources: {a: {kind: folder, paths: [x], schedule: '0 6 * * *', "
                           "timezone: Europe/Berlin}}")["a"]
    nxt = source.next_run(datetime(2026, 7, 1, 12, 0, tzinfo=UTC))  # 14:00 in Berlin (summer time)
    assert nxt.isoformat() == "2026-07-02T06:00:00+02:00"
    assert parse_sources("sources: {a: {kind: folder, paths: [x]}}")["a"].next_run() is None
