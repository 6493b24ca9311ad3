"""`heedful db`: schema migrations."""

from __future__ import annotations

import click

from heedful.adapters.storage import migrate
from heedful.config import Settings


@click.group()
def db() -> None:
    """Database schema: upgrade, downgrade, current."""


@db.command()
@click.argument("revision", default="head")
def upgrade(revision: str) -> None:
    """Bring the schema up to REVISION (default: the newest)."""
    settings = Settings()
    migrate.upgrade(settings.database_url, revision)
    click.echo(f"database at {migrate.current(settings.database_url)}")


@db.command()
@click.argument("revision")
def downgrade(revision: str) -> None:
    """Step the schema back to REVISION ('base' empties it)."""
    settings = Settings()
    migrate.downgrade(settings.database_url, revision)
    click.echo(f"database at {migrate.current(settings.database_url)}")


@db.command()
def current() -> None:
    """Print the schema revision."""
    click.echo(migrate.current(Settings().database_url) or "empty")
