"""Pytest plugin: PostgreSQL and NATS endpoints for integration tests.

Load it from tests/conftest.py with ``pytest_plugins = ["conftest_services"]``
(tests/ on sys.path) or ``["tests.conftest_services"]``; it uses no relative imports.

The servers come from ``scripts/services.sh up`` (run by ``make test``), which exports
``HEEDFUL_TEST_POSTGRES_URL`` and ``HEEDFUL_TEST_NATS_URL``. Without them the defaults
point at 127.0.0.1:5432 and :4222.

A PostgreSQL that does not answer fails the session loudly, so CI can never go green by
silently skipping the database tests. Set ``HEEDFUL_ALLOW_SKIP_PG=1`` (or
``HEEDFUL_ALLOW_SKIP_NATS=1``) to skip those tests instead, e.g. on a laptop.
"""

from __future__ import annotations

import os
import socket
import uuid
from collections.abc import Callable, Iterator
from urllib.parse import urlsplit

import psycopg
import pytest
from psycopg import sql
from psycopg.rows import TupleRow
from sqlalchemy.engine import make_url

DEFAULT_POSTGRES_URL = "postgresql+psycopg://postgres@127.0.0.1:5432/postgres"
DEFAULT_NATS_URL = "nats://127.0.0.1:4222"
TEST_DB_PREFIX = "heedful_test_"


def _env_flag(name: str) -> bool:
    return os.environ.get(name, "") == "1"


def postgres_server_url_from_env() -> str:
    """SQLAlchemy URL of the PostgreSQL server (maintenance database ``postgres``)."""
    return os.environ.get("HEEDFUL_TEST_POSTGRES_URL") or DEFAULT_POSTGRES_URL


def nats_url_from_env() -> str:
    return os.environ.get("HEEDFUL_TEST_NATS_URL") or DEFAULT_NATS_URL


def to_libpq_url(sqlalchemy_url: str) -> str:
    """``postgresql+psycopg://...`` -> ``postgresql://...`` for psycopg.connect()."""
    url = make_url(sqlalchemy_url).set(drivername="postgresql")
    return url.render_as_string(hide_password=False)


def _connect_admin(server_url: str, timeout: int = 5) -> psycopg.Connection[TupleRow]:
    conninfo = to_libpq_url(server_url)
    return psycopg.connect(conninfo, autocommit=True, connect_timeout=timeout)


def make_postgres_database(
    server_url: str | None = None, template: str | None = None
) -> tuple[str, Callable[[], None]]:
    """Create a fresh database ``heedful_test_<8 hex>`` on the server.

    Returns ``(sqlalchemy_url, drop)``; ``drop()`` removes the database with
    ``DROP DATABASE ... WITH (FORCE)`` (disconnecting leftover sessions) and may be
    called more than once. One database per session/worker keeps xdist workers apart.
    With ``template``, the new database is a copy of that one (which must have no open sessions).
    """
    server_url = server_url or postgres_server_url_from_env()
    name = f"{TEST_DB_PREFIX}{uuid.uuid4().hex[:8]}"
    ident = sql.Identifier(name)
    drop_stmt = sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(ident)
    with _connect_admin(server_url) as conn:
        if template is None:
            conn.execute(sql.SQL("CREATE DATABASE {}").format(ident))
        else:
            conn.execute(
                sql.SQL("CREATE DATABASE {} TEMPLATE {}").format(ident, sql.Identifier(template))
            )
    db_url = make_url(server_url).set(database=name)

    def drop() -> None:
        with _connect_admin(server_url) as conn:
            conn.execute(drop_stmt)

    return db_url.render_as_string(hide_password=False), drop


def _postgres_problem(server_url: str) -> str | None:
    try:
        with _connect_admin(server_url, timeout=3) as conn:
            conn.execute("SELECT 1")
    except psycopg.Error as exc:
        return f"{type(exc).__name__}: {exc}".strip()
    return None


def _nats_problem(nats_url: str) -> str | None:
    parts = urlsplit(nats_url)
    host, port = parts.hostname or "127.0.0.1", parts.port or 4222
    try:
        with socket.create_connection((host, port), timeout=3) as sock:
            sock.settimeout(3)
            greeting = sock.recv(4096)
    except OSError as exc:
        return f"{type(exc).__name__}: {exc}"
    if not greeting.startswith(b"INFO"):
        return f"unexpected greeting {greeting[:40]!r}"
    return None


def _unavailable(what: str, url: str, problem: str, allow_flag: str) -> None:
    message = (
        f"{what} at {url} is not usable ({problem}). Run the tests through `make test` "
        f"(it starts the services), or set {allow_flag}=1 to skip these tests."
    )
    if _env_flag(allow_flag):
        pytest.skip(message)
    pytest.fail(message, pytrace=False)


@pytest.fixture(scope="session")
def postgres_server_url() -> str:
    """SQLAlchemy URL of a reachable PostgreSQL server (maintenance database)."""
    url = postgres_server_url_from_env()
    problem = _postgres_problem(url)
    if problem is not None:
        _unavailable("PostgreSQL", url, problem, "HEEDFUL_ALLOW_SKIP_PG")
    return url


@pytest.fixture(scope="session")
def postgres_database_url(postgres_server_url: str) -> Iterator[str]:
    """SQLAlchemy URL of a throwaway database, created per session, dropped after."""
    url, drop = make_postgres_database(postgres_server_url)
    try:
        yield url
    finally:
        drop()


@pytest.fixture(scope="session")
def nats_url() -> str:
    """URL of a reachable NATS server with JetStream (use unique stream names)."""
    url = nats_url_from_env()
    problem = _nats_problem(url)
    if problem is not None:
        _unavailable("NATS", url, problem, "HEEDFUL_ALLOW_SKIP_NATS")
    return url
