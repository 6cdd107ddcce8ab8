"""Shared test setup: the fast tier and the shared fixtures.

Fast tier: `pytest -m "not slow"` (README: `bash scripts/test.sh -m "not slow"`) must run
in under two minutes on a small machine. A test is slow when it starts real LibreOffice,
Celery workers, Redis/PostgreSQL, a browser or an `evrak` process; tests that use those
through the fixtures below are marked slow here, in one place, so a new test cannot forget
it; other slow tests carry @pytest.mark.slow themselves.

Shared fixtures: the public test files (DSS e-signature samples, real documents) live in
../shared/fixtures next to the repository and are never copied into it. A newcomer with
the repository alone has no ../shared: tests that need it skip and say why (`shared_path`).
"""

from __future__ import annotations

from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
SHARED = ROOT.parent / "shared"
SHARED_FIXTURES = SHARED / "fixtures"

# Fixtures that start real servers or processes: every test using one is slow.
SLOW_FIXTURES = {
    "pool",  # LibreOffice instances (tests/docgen/conftest.py)
    "make_service",  # watcher + Celery worker processes (tests/service/conftest.py)
    "redis_url",  # a redis-server
    "pg_url",  # a PostgreSQL cluster
    "stack",  # web server + worker + Chromium (tests/web/test_browser.py)
}


def shared_path(*parts: str) -> Path:
    """A path under ../shared/fixtures, or a skip naming what is missing and why."""
    path = SHARED_FIXTURES.joinpath(*parts)
    if not path.exists():
        pytest.skip(f"{path} yok: bu test depo yanındaki ../shared/fixtures dosyalarını ister "
                    "(CI'da vardır; yalnız depoyla çalışırken atlanır)")
    return path


@pytest.fixture(scope="session")
def shared_fixtures() -> Path:
    """../shared/fixtures, or a clear skip when the repository is used alone."""
    return shared_path()


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    slow = pytest.mark.slow
    for item in items:
        if SLOW_FIXTURES & set(getattr(item, "fixturenames", ())):
            item.add_marker(slow)
