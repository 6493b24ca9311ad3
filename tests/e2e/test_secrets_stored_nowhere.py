"""No secret is kept anywhere but as a hash (issue 11, ADR 0023).

Tokens are made through the API (with and without an Idempotency-Key, and replayed), the console
and the CLI; staff get passwords through the core and the CLI, log in right and wrong; mail comes
in signed with the webhook secret. Then every column of every table of the live database (and,
on SQLite, the database and WAL files byte for byte) and every log line are searched for every
one of those secrets: zero hits.
"""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
import sqlalchemy as sa
from api_personas import ApiWorld
from click.testing import CliRunner
from console_world import csrf_of
from structlog.testing import capture_logs

from heedful.adapters.channels.webhook import sign
from heedful.core.access.model import SYSTEM, Role
from heedful.core.staff.handlers import NewStaffMember, create_staff_member
from heedful.entrypoints.cli.main import cli

pytest_plugins = ["api_personas"]


def _log_in(world: ApiWorld, login: str, password: str) -> int:
    client = world.client
    form = client.get("/login")
    answer = client.post(
        "/login",
        data={"login": login, "password": password, "csrf_token": csrf_of(form.text)},
        follow_redirects=False,
    )
    return int(answer.status_code)


def _make_secrets(world: ApiWorld, runner: CliRunner) -> list[str]:
    made: list[str] = [p.secret for p in (world.admin, world.agent_a, world.evaluator)]
    api = world.api(world.admin)
    body = {"name": "hotel PMS", "role": "admin"}
    first = api.post("/tokens", json=body, headers={"Idempotency-Key": "pms"})
    api.post("/tokens", json=body, headers={"Idempotency-Key": "pms"})  # the replay
    scoped = api.post(
        "/tokens", json={"name": "till", "role": "agent", "location_ids": [world.location_a.id]}
    )
    made += [first.json()["secret"], scoped.json()["secret"]]
    for secret in made[-2:]:
        world.client.get("/api/v1/me", headers={"Authorization": f"Bearer {secret}"})

    passwords = ["correct horse battery Ω", "wrong guess one", "wrong guess two"]
    create_staff_member(
        NewStaffMember(login="olena", full_name="Olena", role=Role.ADMIN, password=passwords[0]),
        world.container.uow(),
        world.clock,
        SYSTEM,
    )
    assert _log_in(world, "olena", passwords[1]) == 401
    assert _log_in(world, "olena", passwords[2]) == 401
    assert _log_in(world, "olena", passwords[0]) == 303
    made += passwords

    page = world.client.get("/admin/tokens")
    console = world.client.post(
        "/admin/tokens",
        data={"name": "from the console", "role": "admin", "csrf_token": csrf_of(page.text)},
    )
    shown = re.search(r'id="new-secret" value="([^"]+)"', console.text)
    assert shown, console.text
    made.append(shown.group(1))

    cli_password = "a CLI staff password ✓"
    staff = runner.invoke(
        cli,
        ["staff", "create", "--login", "petro", "--name", "Petro", "--role", "admin"],
        env={"HEEDFUL_NEW_STAFF_PASSWORD": cli_password},
        catch_exceptions=False,
    )
    assert staff.exit_code == 0, staff.output
    token = runner.invoke(cli, ["token", "create", "--name", "cli"], catch_exceptions=False)
    made += [cli_password, token.output.strip().splitlines()[-1]]

    settings = world.container.settings
    world.container.settings.conversations_location = world.location_a.id
    raw = json.dumps(
        {"from": "anna@example.com", "to": ["x@shop.example"], "subject": "Hi", "text": "Hello"}
    ).encode()
    at = int(world.clock.now().timestamp())
    mail = world.api().post(
        "/inbound/email",
        content=raw,
        headers={
            "Heedful-Signature": sign(settings.webhook_secret, at, raw),
            "Content-Type": "application/json",
        },
    )
    assert mail.status_code == 202, mail.text
    made += [settings.webhook_secret, settings.secret_key]
    return made


def _every_value(engine: sa.Engine) -> list[tuple[str, str, str]]:
    """(table, column, value as text) for every column of every row of every table."""
    live = sa.MetaData()
    live.reflect(engine)
    found: list[tuple[str, str, str]] = []
    with engine.connect() as conn:
        for table in live.sorted_tables:
            for row in conn.execute(table.select()).mappings():
                for column, value in row.items():
                    if isinstance(value, bytes | bytearray | memoryview):
                        text = bytes(value).decode("latin-1")
                    elif isinstance(value, dict | list):
                        text = json.dumps(value, ensure_ascii=False)
                    else:
                        text = str(value)
                    found.append((table.name, column, text))
    return found


def test_no_secret_is_stored_in_any_column_of_any_table_nor_logged(
    api_world: ApiWorld,
    database_url: str,
    monkeypatch: pytest.MonkeyPatch,
    caplog: pytest.LogCaptureFixture,
) -> None:
    monkeypatch.setenv("HEEDFUL_DATABASE_URL", database_url)
    monkeypatch.setenv("HEEDFUL_SECRET_KEY", api_world.container.settings.secret_key)
    monkeypatch.setenv("HEEDFUL_WEBHOOK_SECRET", api_world.container.settings.webhook_secret)
    with capture_logs() as logged:
        made = _make_secrets(api_world, CliRunner())

    values = _every_value(api_world.container.engine)
    tables = {table for table, _, _ in values}
    hits = [(table, column) for table, column, text in values for secret in made if secret in text]
    log_text = json.dumps(logged, default=str, ensure_ascii=False) + caplog.text
    logged_secrets = [secret[:6] for secret in made if secret in log_text]

    assert len(made) == 13
    assert all(len(secret) >= 8 for secret in made)
    assert {"api_tokens", "staff", "idempotency_keys", "security_events"} <= tables
    assert hits == []
    assert any(entry.get("event") == "console login" for entry in logged), "logs not captured"
    assert logged_secrets == []
    if database_url.startswith("sqlite:///"):
        path = Path(database_url.removeprefix("sqlite:///"))
        stored = b"".join(p.read_bytes() for p in (path, Path(f"{path}-wal")) if p.exists())
        assert [s[:6] for s in made if s.encode() in stored] == []
