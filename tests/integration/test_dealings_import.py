"""`heedful import bookings|orders|accounts|history FILE` on SQLite and PostgreSQL.

Rows become the events their systems would send; the engine applies them like the live feed.
"""

from __future__ import annotations

import json
from datetime import UTC, datetime
from pathlib import Path

import pytest
from click.testing import CliRunner, Result
from promise_world import PromiseWorld, build_world

from heedful.bootstrap import Container
from heedful.core.dealings import BookingKind, bookings_starting, customer_dealings
from heedful.core.engine.reactions import process_events
from heedful.core.history.model import HistoryKind
from heedful.core.shared.clock import FrozenClock
from heedful.entrypoints.cli.main import cli

NOW = datetime(2026, 3, 2, 9, 0, tzinfo=UTC)


@pytest.fixture
def world(container: Container, clock: FrozenClock) -> PromiseWorld:
    return build_world(container, clock)


@pytest.fixture
def run(database_url: str, monkeypatch: pytest.MonkeyPatch) -> CliRunner:
    monkeypatch.setenv("HEEDFUL_DATABASE_URL", database_url)
    return CliRunner()


def _import(runner: CliRunner, *args: str | Path) -> Result:
    return runner.invoke(cli, ["import", *map(str, args)], catch_exceptions=False)


def test_a_pms_export_lands_its_good_rows_and_names_every_reason_of_a_bad_one(
    run: CliRunner, world: PromiseWorld, tmp_path: Path
) -> None:
    anna = world.customer("Anna Koval", email="anna@example.com")
    kyiv = world.kyiv.name
    source = tmp_path / "pms.csv"
    source.write_text(
        "customer;location;booking;arrival;departure;room;guests;status\n"
        f"anna@example.com;{kyiv};B-1;2026-03-03 14:00;2026-03-05 12:00;512;2;booked\n"
        f"anna@example.com;{kyiv};B-2;tomorrow;2026-03-05 12:00;;two;booked\n"
        f"nobody@example.com;Atlantis;B-3;2026-03-03 14:00;2026-03-04 12:00;;;booked\n",
        encoding="utf-8",
    )
    result = _import(run, "bookings", source)
    assert result.exit_code == 1, result.output
    assert "accepted 1" in result.output
    rejects = (tmp_path / "pms.rejected.csv").read_text(encoding="utf-8-sig")
    assert "arrival: must be a time" in rejects
    assert "guests: must be a whole number" in rejects
    assert "customer: no customer" in rejects
    assert "location: no location" in rejects

    process_events(world.container.uow, world.clock)
    arrivals = bookings_starting(world.uow, world.admin, BookingKind.STAY, "tomorrow", NOW)
    assert [(b.reference, b.room, b.starts_at) for b in arrivals] == [
        ("B-1", "512", datetime(2026, 3, 3, 12, 0, tzinfo=UTC))  # 14:00 in Kyiv
    ]
    assert arrivals[0].customer_id == anna.id

    again = _import(run, "bookings", source)  # the same file: nothing new
    assert "created 0" in again.output
    assert "unchanged 1" in again.output


def test_orders_and_accounts_from_json_lines(
    run: CliRunner, world: PromiseWorld, tmp_path: Path
) -> None:
    anna = world.customer("Anna Koval", email="anna@example.com")
    orders = tmp_path / "shop.jsonl"
    line = {
        "customer": "anna@example.com",
        "location": world.kyiv.id,
        "order": "1042",
        "status": "shipped",
        "promised": "2026-03-06",
        "expected": "2026-03-09",
        "carrier": "Nova Poshta",
        "lines": [{"item": "Selene bag", "quantity": 1, "amount": 900}],
        "total": 900,
        "currency": "EUR",
        "updated_at": "2026-03-01T10:00:00+02:00",
    }
    orders.write_text(
        json.dumps(line) + "\n" + json.dumps({**line, "order": "1043", "status": "lost"}) + "\n",
        encoding="utf-8",
    )
    result = _import(run, "orders", orders)
    assert result.exit_code == 1, result.output
    [rejected] = [
        json.loads(text)
        for text in (tmp_path / "shop.rejected.jsonl").read_text(encoding="utf-8").splitlines()
    ]
    assert rejected["order"] == "1043"
    assert "status" in rejected["_rejected"]["field"]

    accounts = tmp_path / "bank.jsonl"
    accounts.write_text(
        json.dumps(
            {
                "customer": anna.id,
                "location": world.kyiv.id,
                "account": "UA-0001",
                "balance": "120,50",
                "currency": "uah",
                "next_charge_at": "2026-03-03T09:00:00+02:00",
                "next_charge_amount": 499,
                "card_expires": "2026-03-31",
            }
        )
        + "\n",
        encoding="utf-8",
    )
    assert _import(run, "accounts", accounts).exit_code == 0
    process_events(world.container.uow, world.clock)

    mine = customer_dealings(world.uow, world.admin, anna.id, NOW)
    assert [(o.reference, o.carrier) for o in mine.orders] == [("1042", "Nova Poshta")]
    assert [(a.balance_minor, a.currency, a.charge_uncovered) for a in mine.accounts] == [
        (12050, "UAH", True)
    ]


def test_history_from_a_till_export(run: CliRunner, world: PromiseWorld, tmp_path: Path) -> None:
    anna = world.customer("Anna Koval", email="anna@example.com")
    source = tmp_path / "history.csv"
    source.write_text(
        "customer,location,kind,occurred_at,items,total,currency,external_ref\n"
        f'anna@example.com,{world.kyiv.id},purchase,2026-02-20 10:00,"[{{""drink"": ""latte""}}]",'
        "95,UAH,R-1\n"
        f"anna@example.com,{world.kyiv.id},visit,2026-02-21 19:00,,,,\n"
        f"anna@example.com,{world.kyiv.id},refund,2026-02-21 19:00,[oops,,,\n",
        encoding="utf-8",
    )
    result = _import(run, source)  # the kind from the file's name
    assert result.exit_code == 1, result.output
    assert "kind: must be one of purchase, visit; items: must be a JSON list" in result.output
    process_events(world.container.uow, world.clock)
    with world.uow as uow:
        history = uow.history.list_for(anna.id, 10)
    assert [(h.kind, h.external_ref) for h in history] == [
        (HistoryKind.VISIT, None),
        (HistoryKind.PURCHASE, "R-1"),
    ]
