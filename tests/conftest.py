"""Fixtures shared by every test: a database per backend, a frozen clock, a built container."""

from __future__ import annotations

import os
import sys
import tempfile
import uuid
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).parent))

from databases import copy_postgres, copy_sqlite

from heedful.adapters.storage.migrate import upgrade
from heedful.bootstrap import Container, build
from heedful.config import Settings
from heedful.core.shared.clock import FrozenClock

# Development secrets left unset are generated into the data directory: in tests, a throwaway one,
# never the checkout (an operator's HEEDFUL_DATA_DIR is not the tests' business either).
os.environ["HEEDFUL_DATA_DIR"] = tempfile.mkdtemp(prefix="heedful-tests-")

pytest_plugins = ["conftest_services", "smtp_mailbox", "webhook_receiver"]

# A Monday morning in Kyiv; tests move time with clock.advance(), never sleep.
START = datetime(2026, 3, 2, 7, 0, tzinfo=UTC)


@pytest.fixture
def clock() -> FrozenClock:
    return FrozenClock(START)


@pytest.fixture(scope="session")
def _sqlite_template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """One SQLite file migrated to head per session; each test starts from a copy of it.

    Running every migration for each of thousands of tests cost a quarter of a second apiece:
    a copy costs a millisecond and gives the same schema.
    """
    path = tmp_path_factory.mktemp("template") / "heedful-template.db"
    upgrade(f"sqlite:///{path}")
    return path


@pytest.fixture(scope="session")
def _postgres_template(postgres_server_url: str) -> Iterator[str]:
    """One PostgreSQL database migrated to head per session, cloned with CREATE ... TEMPLATE."""
    from conftest_services import make_postgres_database

    url, drop = make_postgres_database(postgres_server_url)
    try:
        upgrade(url)
        yield url
    finally:
        drop()


@pytest.fixture(params=["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)])
def database_url(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[str]:
    """A fresh, migrated database on each backend: the whole suite runs on both."""
    if request.param == "sqlite":
        template: Path = request.getfixturevalue("_sqlite_template")
        yield copy_sqlite(template, tmp_path / f"heedful-{uuid.uuid4().hex[:6]}.db")
        return
    url, drop = copy_postgres(request.getfixturevalue("_postgres_template"))
    try:
        yield url
    finally:
        drop()


@pytest.fixture
def container(database_url: str, clock: FrozenClock) -> Iterator[Container]:
    built = build(Settings(database_url=database_url, log_format="console"), clock=clock)
    yield built
    built.close()
