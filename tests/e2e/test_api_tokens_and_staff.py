"""Tokens that expire and are listed with their last use; staff accounts deactivated and unlocked
through the API and the CLI; a token's secret never remembered for a replay (ADR 0023)."""

from __future__ import annotations

from datetime import timedelta

import pytest
import sqlalchemy as sa
from api_personas import ApiWorld
from click.testing import CliRunner

from heedful.adapters.storage.tables import idempotency_keys
from heedful.core.access.model import SYSTEM, Role
from heedful.core.staff.handlers import NewStaffMember, NewToken, create_staff_member, create_token
from heedful.core.staff.logins import LoginPolicy, log_in
from heedful.entrypoints.cli.main import cli

pytest_plugins = ["api_personas"]
PASSWORD = "a long staff password"


def test_a_replayed_token_create_answers_the_token_without_its_secret(
    api_world: ApiWorld,
) -> None:
    api = api_world.api(api_world.admin)
    body = {"name": "hotel PMS", "role": "admin"}
    first = api.post("/tokens", json=body, headers={"Idempotency-Key": "pms-1"})
    again = api.post("/tokens", json=body, headers={"Idempotency-Key": "pms-1"})

    assert first.status_code == 201
    secret = first.json()["secret"]
    assert secret.startswith("hdf_")
    assert again.status_code == 201
    assert again.headers["Idempotent-Replayed"] == "true"
    assert again.headers["Heedful-Withheld"] == "secret"
    assert again.json() == {**first.json(), "secret": None}
    with api_world.container.engine.connect() as conn:
        stored = conn.execute(sa.select(idempotency_keys.c.response)).scalars().all()
    assert stored
    assert all(secret not in str(response) for response in stored)
    # The secret itself still works: it was shown once and kept as a hash.
    assert (
        api_world.client.get("/api/v1/me", headers={"Authorization": f"Bearer {secret}"}).json()[
            "label"
        ]
        == "API token hotel PMS"
    )


def test_a_token_stops_at_its_expiry_even_when_remembered_by_the_cache(
    api_world: ApiWorld,
) -> None:
    api = api_world.api(api_world.admin)
    ends = api_world.clock.now() + timedelta(hours=1)
    made = api.post(
        "/tokens",
        json={
            "name": "temp",
            "role": "agent",
            "location_ids": [api_world.location_a.id],
            "expires_at": ends.isoformat(),
        },
    ).json()
    bearer = {"Authorization": f"Bearer {made['secret']}"}
    phone = {"kind": "phone", "value": "+380671234567"}

    assert made["expires_at"] is not None
    assert api_world.client.get("/api/v1/me", headers=bearer).status_code == 200
    assert api_world.client.get(
        "/api/v1/customers/lookup", params=phone, headers=bearer
    ).status_code in (200, 404)
    api_world.clock.advance(timedelta(hours=1))
    refused = api_world.client.get("/api/v1/me", headers=bearer)
    lean = api_world.client.get("/api/v1/customers/lookup", params=phone, headers=bearer)
    event = api_world.client.post(
        "/api/v1/events",
        json={
            "specversion": "1.0",
            "id": "e1",
            "source": "till",
            "type": "stock.arrived",
            "data": {"sku": "x", "quantity": 1},
        },
        headers=bearer,
    )

    assert refused.status_code == 401
    assert refused.headers["content-type"].startswith("application/problem+json")
    assert "expired" in refused.json()["detail"]
    assert lean.status_code == 401
    assert event.status_code == 401
    listed = {t["id"]: t for t in api.get("/tokens").json()}
    assert listed[made["id"]]["expires_at"] is not None


def test_an_expiry_in_the_past_is_refused_naming_the_field(api_world: ApiWorld) -> None:
    api = api_world.api(api_world.admin)
    past = api_world.clock.now() - timedelta(minutes=1)
    answer = api.post(
        "/tokens", json={"name": "old", "role": "admin", "expires_at": past.isoformat()}
    )
    naive = api.post(
        "/tokens", json={"name": "old", "role": "admin", "expires_at": "2030-01-01T00:00"}
    )

    assert answer.status_code == 422
    assert answer.json()["field"] == "expires_at"
    assert naive.status_code == 422


def test_the_token_list_shows_the_last_use_written_at_most_once_a_minute(
    api_world: ApiWorld,
) -> None:
    api = api_world.api(api_world.admin)
    cache = api_world.client.app.state.token_cache  # type: ignore[attr-defined]
    started = api_world.clock.now()
    api_world.api(api_world.agent_a).get("/me")

    def last_use() -> str | None:
        tokens = {t["id"]: t for t in api.get("/tokens").json()}
        used: str | None = tokens[api_world.agent_a.token_id]["last_used_at"]
        return used

    first = last_use()
    api_world.clock.advance(timedelta(seconds=30))
    cache.forget(api_world.agent_a.token_id)  # as if the cache's few seconds had passed
    api_world.api(api_world.agent_a).get("/me")
    within_the_minute = last_use()
    api_world.clock.advance(timedelta(seconds=31))
    cache.forget(api_world.agent_a.token_id)
    api_world.api(api_world.agent_a).get("/me")

    assert first is not None
    assert first.startswith(started.isoformat()[:19])
    assert within_the_minute == first
    assert last_use() != first


def _member(api_world: ApiWorld, login: str, role: Role = Role.AGENT) -> str:
    member = create_staff_member(
        NewStaffMember(
            login=login,
            full_name=login.title(),
            role=role,
            password=PASSWORD,
            location_ids=frozenset({api_world.location_a.id}),
        ),
        api_world.container.uow(),
        api_world.clock,
        SYSTEM,
    )
    return member.id


def _guess(api_world: ApiWorld, login: str, password: str) -> str:
    result = log_in(
        login,
        password,
        "203.0.113.7",
        api_world.container.uow(),
        api_world.clock,
        LoginPolicy(delay_after_failures=1, lockout_failures=2),
    )
    return result.outcome.value


def test_an_admin_unlocks_a_locked_account_through_the_api_and_it_is_logged(
    api_world: ApiWorld,
) -> None:
    staff_id = _member(api_world, "maria")
    api = api_world.api(api_world.admin)
    assert [_guess(api_world, "maria", "x"), _guess(api_world, "maria", "y")] == ["wrong", "wait"]
    api_world.clock.advance(timedelta(seconds=2))
    _guess(api_world, "maria", "z")
    api_world.clock.advance(timedelta(hours=1))

    listed = {m["id"]: m for m in api.get("/staff").json()}
    by_agent = api_world.api(api_world.agent_a).post(f"/staff/{staff_id}/unlock")
    unlocked = api.post(f"/staff/{staff_id}/unlock", headers={"Idempotency-Key": "u-1"})
    events = api.get("/security-events").json()

    assert _guess(api_world, "maria", PASSWORD) == "logged_in"
    assert listed[staff_id]["locked"] is True
    assert by_agent.status_code == 403
    assert unlocked.status_code == 200
    assert unlocked.json()["locked"] is False
    kinds = [e["kind"] for e in events]
    assert "account_locked" in kinds
    assert "account_unlocked" in kinds
    unlock = next(e for e in events if e["kind"] == "account_unlocked")
    assert unlock["actor_id"] == api_world.admin.token_id
    assert unlock["login"] == "maria"
    assert all(PASSWORD not in str(e) and e["address"] for e in events)


def test_deactivation_through_the_api_stops_logins_and_the_tokens_the_member_made(
    api_world: ApiWorld,
) -> None:
    staff_id = _member(api_world, "boris", Role.ADMIN)
    api = api_world.api(api_world.admin)
    with api_world.container.uow() as uow:
        member = uow.staff.get(staff_id)
    assert member is not None
    _, secret = create_token(
        NewToken(name="boris's sheet", role=Role.ADMIN),
        api_world.container.uow(),
        api_world.clock,
        member.as_actor(),
    )
    bearer = {"Authorization": f"Bearer {secret}"}
    assert api_world.client.get("/api/v1/me", headers=bearer).status_code == 200

    done = api.post(f"/staff/{staff_id}/deactivate")

    assert done.status_code == 200
    assert done.json()["active"] is False
    assert api_world.client.get("/api/v1/me", headers=bearer).status_code == 401
    assert _guess(api_world, "boris", PASSWORD) == "wrong"
    kinds = [e["kind"] for e in api.get("/security-events").json()]
    assert "staff_deactivated" in kinds
    [deactivated] = api.get(
        "/security-events", params={"kind": "staff_deactivated", "login": "BORIS"}
    ).json()
    assert deactivated["login"] == "boris"
    assert api.get("/security-events", params={"kind": "teleported"}).status_code == 422


def test_the_cli_makes_expiring_tokens_and_unlocks_and_deactivates_staff(
    api_world: ApiWorld, database_url: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("HEEDFUL_DATABASE_URL", database_url)
    _member(api_world, "vera")
    runner = CliRunner()

    made = runner.invoke(
        cli,
        [
            "token",
            "create",
            "--name",
            "nightly export",
            "--role",
            "admin",
            "--expires",
            "2099-01-31T18:00+02:00",
        ],
        catch_exceptions=False,
    )
    listed = runner.invoke(cli, ["token", "list"], catch_exceptions=False)
    unlocked = runner.invoke(cli, ["staff", "unlock", "vera"], catch_exceptions=False)
    gone = runner.invoke(cli, ["staff", "deactivate", "vera"], catch_exceptions=False)
    nobody = runner.invoke(cli, ["staff", "unlock", "nobody"])

    assert made.exit_code == 0, made.output
    assert "expires 2099-01-31T16:00+00:00" in listed.output
    assert "unlocked" in unlocked.output
    assert "deactivated" in gone.output
    assert nobody.exit_code == 2
    kinds = [e["kind"] for e in api_world.api(api_world.admin).get("/security-events").json()]
    assert {"account_unlocked", "staff_deactivated"} <= set(kinds)


def test_the_staff_api_is_for_admins_only(api_world: ApiWorld) -> None:
    for persona in ("manager_a", "agent_a", "evaluator"):
        api = api_world.api(api_world.persona(persona))
        assert api.get("/staff").status_code == 403
        assert api.get("/security-events").status_code == 403
