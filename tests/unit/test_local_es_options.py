"""The embedded node's JVM options: ours, then the operator's (no node needed to check the order)."""

from __future__ import annotations

import pytest

from pipelines import local_es


def test_operator_jvm_options_come_after_ours(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv(local_es.ENV_JAVA_OPTS, "-XX:TieredStopAtLevel=4  -Dnote='two words'")
    options = local_es.jvm_options()
    assert options[-2:] == ["-XX:TieredStopAtLevel=4", "-Dnote=two words"]
    assert options.index("-XX:TieredStopAtLevel=1") < options.index("-XX:TieredStopAtLevel=4")
    monkeypatch.delenv(local_es.ENV_JAVA_OPTS)
    assert local_es.jvm_options() == local_es.JVM_FLAGS
