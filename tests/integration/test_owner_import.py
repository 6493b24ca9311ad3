"""`heedful import owners FILE` on SQLite and PostgreSQL: the bank's CRM names each client's
relationship manager per branch; a bad row is set aside with the column to fix (ADR 0040)."""

from __future__ import annotations

import csv
from pathlib import Path

import pytest
from click.testing import CliRunner
from promise_world import PromiseWorld, build_world

from heedful.bootstrap import Container
from heedful.core.customers.commands import CreateCustomer
from heedful.core.customers.handlers import create_customer
from heedful.core.shared.clock import FrozenClock
from heedful.entrypoints.cli.main import cli


@pytest.fixture
def world(container: Container, clock: FrozenClock) -> PromiseWorld:
    return build_world(container, clock)


@pytest.fixture
def run(database_url: str, monkeypatch: pytest.MonkeyPatch) -> CliRunner:
    monkeypatch.setenv("HEEDFUL_DATABASE_URL", database_url)
    return CliRunner()


def test_owners_are_set_by_login_per_location_and_a_second_import_changes_nothing(
    world: PromiseWorld, run: CliRunner, tmp_path: Path
) -> None:
    anna = create_customer(
        CreateCustomer(full_name="Anna Kovalenko"),
        world.uow,
        world.clock,
        world.admin,
    )
    with world.uow as uow:
        iryna = uow.staff.get(world.assistant.id)
    assert iryna is not None
    source = tmp_path / "managers.csv"
    source.write_text(
        "customer,location,owner\n"
        f"{anna.id},{world.kyiv.name},{iryna.login}\n"
        f"{anna.id},{world.lviv.id},{iryna.login}\n"  # she does not work in Lviv
        f"cus_nobody,{world.kyiv.id},{iryna.login}\n",
        encoding="utf-8",
    )

    first = run.invoke(cli, ["import", "owners", str(source)], catch_exceptions=False)

    assert first.exit_code == 1, first.output
    assert "(created 1, updated 0, unchanged 0)" in first.output
    with world.uow as uow:
        assert [(o.location_id, o.staff_id) for o in uow.owners.list_for(anna.id)] == [
            (world.kyiv.id, iryna.id)
        ]
    rejects = tmp_path / "managers.rejected.csv"
    with rejects.open(encoding="utf-8-sig", newline="") as rejected:
        assert [(r["row"], r["field"]) for r in csv.DictReader(rejected)] == [
            ("3", "owner"),
            ("4", "customer"),
        ]

    source.write_text(
        f"customer,location,owner\n{anna.id},{world.kyiv.id},{iryna.login}\n",
        encoding="utf-8",
    )
    again = run.invoke(cli, ["import", "owners", str(source)], catch_exceptions=False)
    assert again.exit_code == 0, again.output
    assert "(created 0, updated 0, unchanged 1)" in again.output
