"""Alembic environment: the URL comes from the caller (``heedful db upgrade``), not a file."""

from __future__ import annotations

from alembic import context

from heedful.adapters.storage import (
    audit_tables,  # noqa: F401 - registers its tables
    canned_reply_tables,  # noqa: F401 - registers its tables
    capacity_tables,  # noqa: F401 - registers its tables
    catalog_tables,  # noqa: F401 - registers its tables
    conversation_tables,  # noqa: F401 - registers its tables
    dashboard_tables,  # noqa: F401 - registers its tables
    dealing_tables,  # noqa: F401 - registers its tables
    feedback_tables,  # noqa: F401 - registers its tables
    goodwill_tables,  # noqa: F401 - registers its tables
    playbook_tables,  # noqa: F401 - registers its tables
    promise_tables,  # noqa: F401 - registers its tables
    security_tables,  # noqa: F401 - registers its tables
    setup_tables,  # noqa: F401 - registers its tables
    throttle_rows,  # noqa: F401 - registers its tables
)
from heedful.adapters.storage.engine import make_engine
from heedful.adapters.storage.tables import metadata

config = context.config


def run_migrations() -> None:
    url = config.get_main_option("sqlalchemy.url")
    assert url, "the migration needs sqlalchemy.url"
    connection = config.attributes.get("connection")
    if connection is not None:
        _run(connection, url)
        return
    engine = make_engine(url)
    with engine.connect() as conn:
        _run(conn, url)
    engine.dispose()


def _run(connection: object, url: str) -> None:
    context.configure(
        connection=connection,  # type: ignore[arg-type]
        target_metadata=metadata,
        # SQLite alters a table by copying it; Alembic's batch mode does that for us.
        render_as_batch=url.startswith("sqlite"),
        compare_type=True,
    )
    with context.begin_transaction():
        context.run_migrations()


run_migrations()
