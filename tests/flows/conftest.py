"""One Prefect test harness (a temporary Prefect server) for all flow tests: starting one costs seconds."""

from __future__ import annotations

import pytest
from prefect.testing.utilities import prefect_test_harness


@pytest.fixture(scope="session")
def harness():
    with prefect_test_harness(server_startup_timeout=120):
        yield
