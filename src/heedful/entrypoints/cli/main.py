"""`heedful`: serve, migrate, manage tokens, staff and locations, import, demo."""

from __future__ import annotations

import sys
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, datetime

import click
from pydantic import ValidationError

from heedful.bootstrap import Container, build
from heedful.config import Settings
from heedful.core.access.model import SYSTEM, Role
from heedful.core.shared.errors import HeedfulError
from heedful.core.staff.handlers import (
    NewLocation,
    NewStaffMember,
    NewToken,
    create_location,
    create_staff_member,
    create_token,
    revoke_token,
)
from heedful.core.staff.logins import deactivate_staff_member, unlock_staff_member
from heedful.core.staff.model import LocationKind
from heedful.entrypoints.cli.audits import audits
from heedful.entrypoints.cli.db import db
from heedful.entrypoints.cli.feedback import feedback
from heedful.entrypoints.cli.imports import import_command
from heedful.entrypoints.cli.ingest import ingest
from heedful.entrypoints.cli.run import demo, serve, worker


@contextmanager
def container() -> Iterator[Container]:
    built = build(Settings())
    try:
        yield built
    except HeedfulError as exc:
        where = f" ({exc.field})" if exc.field else ""
        click.echo(f"error{where}: {exc.message}", err=True)
        sys.exit(2)
    finally:
        built.close()


@click.group()
@click.version_option(package_name="heedful")
def cli() -> None:
    """Heedful: customer memory, kept promises, proactive service."""
    # Refuse at once, in one line naming the variable, when a secret is unset or weak outside
    # development, rather than with a traceback from whichever command built Settings first.
    try:
        Settings()
    except ValidationError as exc:
        for error in exc.errors():
            click.echo(f"error: {error['msg'].removeprefix('Value error, ')}", err=True)
        sys.exit(2)


cli.add_command(audits)
cli.add_command(db)
cli.add_command(feedback)
cli.add_command(serve)
cli.add_command(worker)
cli.add_command(demo)
cli.add_command(import_command)
cli.add_command(ingest)


@cli.group()
def token() -> None:
    """API tokens for integrators."""


@token.command("create")
@click.option("--name", required=True, help="The system that will use it, e.g. 'opera-pms'.")
@click.option(
    "--role",
    type=click.Choice([r.value for r in Role]),
    default=Role.AGENT.value,
    show_default=True,
)
@click.option(
    "--location", "locations", multiple=True, help="Location id (repeat); needed for manager/agent."
)
@click.option(
    "--expires",
    default=None,
    help="When it stops working: ISO 8601 (2027-01-31 or 2027-01-31T18:00+02:00; UTC if no zone).",
)
def token_create(name: str, role: str, locations: tuple[str, ...], expires: str | None) -> None:
    """Create a token and print its secret once."""
    expires_at = _moment(expires) if expires else None
    with container() as c:
        made, secret = create_token(
            NewToken(
                name=name,
                role=Role(role),
                location_ids=frozenset(locations) or None,
                expires_at=expires_at,
            ),
            c.uow(),
            c.clock,
            SYSTEM,
        )
    click.echo(f"token {made.id} ({made.role.value}) created; its secret is shown only now:")
    click.echo(secret)


@token.command("list")
def token_list() -> None:
    with container() as c, c.uow() as uow:
        now = c.clock.now()
        for t in uow.tokens.list():
            state = "revoked" if t.revoked_at else "active" if t.works_at(now) else "expired"
            used = t.last_used_at.isoformat(timespec="minutes") if t.last_used_at else "never"
            ends = t.expires_at.isoformat(timespec="minutes") if t.expires_at else "never"
            click.echo(
                f"{t.id}  {t.prefix}…  {t.role.value:9} {state:8} used {used:22} "
                f"expires {ends:22} {t.name}"
            )


def _moment(text: str) -> datetime:
    try:
        moment = datetime.fromisoformat(text)
    except ValueError as exc:
        raise click.BadParameter("an ISO 8601 date or time", param_hint="--expires") from exc
    return moment if moment.tzinfo is not None else moment.replace(tzinfo=UTC)


@token.command("revoke")
@click.argument("token_id")
def token_revoke(token_id: str) -> None:
    with container() as c:
        revoke_token(token_id, c.uow(), c.clock, SYSTEM)
    click.echo(f"token {token_id} revoked")


@cli.group()
def staff() -> None:
    """Staff accounts for the console."""


@staff.command("create")
@click.option("--login", required=True)
@click.option("--name", "full_name", required=True)
@click.option("--role", type=click.Choice([r.value for r in Role]), required=True)
@click.option("--language", type=click.Choice(["ru", "uk", "en"]), default="en", show_default=True)
@click.option("--location", "locations", multiple=True, help="Location id (repeat).")
@click.password_option(envvar="HEEDFUL_NEW_STAFF_PASSWORD")
def staff_create(
    login: str, full_name: str, role: str, language: str, locations: tuple[str, ...], password: str
) -> None:
    with container() as c:
        member = create_staff_member(
            NewStaffMember(
                login=login,
                full_name=full_name,
                role=Role(role),
                password=password,
                language=language,
                location_ids=frozenset(locations) or None,
            ),
            c.uow(),
            c.clock,
            SYSTEM,
        )
    click.echo(f"staff member {member.login} ({member.role.value}) created: {member.id}")


@staff.command("deactivate")
@click.argument("login")
def staff_deactivate(login: str) -> None:
    """No more logins; the member's sessions end and the API tokens they made are revoked."""
    with container() as c:
        member, revoked = deactivate_staff_member(
            _staff_id(c, login), "cli", c.uow(), c.clock, SYSTEM
        )
    click.echo(f"staff member {member.login} deactivated; {len(revoked)} API tokens revoked")


@staff.command("unlock")
@click.argument("login")
def staff_unlock(login: str) -> None:
    """Let a member locked out after failed logins try again (recorded as a security event)."""
    with container() as c:
        member = unlock_staff_member(_staff_id(c, login), "cli", c.uow(), c.clock, SYSTEM)
    click.echo(f"staff member {member.login} unlocked")


def _staff_id(c: Container, login: str) -> str:
    with c.uow() as uow:
        member = uow.staff.get_by_login(login.strip().lower()) or uow.staff.get(login)
    if member is None:
        click.echo(f"error: no staff member {login}", err=True)
        sys.exit(2)
    return member.id


@cli.group()
def location() -> None:
    """Shops, hotels, restaurants and branches."""


@location.command("create")
@click.option("--name", required=True)
@click.option("--kind", type=click.Choice([k.value for k in LocationKind]), required=True)
@click.option("--city", default="")
@click.option("--country", required=True, help="ISO 3166 code, e.g. UA")
@click.option("--time-zone", required=True, help="IANA zone, e.g. Europe/Kyiv")
def location_create(name: str, kind: str, city: str, country: str, time_zone: str) -> None:
    with container() as c:
        made = create_location(
            NewLocation(
                name=name, kind=LocationKind(kind), city=city, country=country, time_zone=time_zone
            ),
            c.uow(),
            c.clock,
            SYSTEM,
        )
    click.echo(f"location {made.name}: {made.id}")


@location.command("list")
def location_list() -> None:
    with container() as c, c.uow() as uow:
        for loc in uow.locations.list():
            click.echo(f"{loc.id}  {loc.kind.value:11} {loc.country} {loc.time_zone:16} {loc.name}")
