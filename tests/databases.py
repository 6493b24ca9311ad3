"""Copies of a migrated (or loaded) database, so that tests start from it without rebuilding it."""

from __future__ import annotations

import sqlite3
from collections.abc import Callable
from pathlib import Path

from sqlalchemy.engine import make_url


def copy_sqlite(template: Path, path: Path) -> str:
    """A copy of a SQLite database; the backup API copies it consistently whatever its journal."""
    source, target = sqlite3.connect(template), sqlite3.connect(path)
    try:
        source.backup(target)
    finally:
        source.close()
        target.close()
    return f"sqlite:///{path}"


def copy_postgres(template_url: str) -> tuple[str, Callable[[], None]]:
    """A copy of a PostgreSQL database (no session may be open on it); returns (url, drop)."""
    from conftest_services import make_postgres_database

    return make_postgres_database(template=make_url(template_url).database)
