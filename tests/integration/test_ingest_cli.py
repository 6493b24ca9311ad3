"""`heedful ingest FILE.jsonl` on SQLite and PostgreSQL: events stored once, bad lines listed."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner, Result

from heedful.bootstrap import Container
from heedful.entrypoints.cli.main import cli


def stock(event_id: str, quantity: int = 2) -> dict[str, Any]:
    return {
        "specversion": "1.0",
        "id": event_id,
        "source": "urn:shop:kyiv-stock",
        "type": "heedful.stock.changed",
        "data": {"product": "bag-noir", "size": "M", "location": "loc_kyiv", "quantity": quantity},
    }


@pytest.fixture
def run(database_url: str, monkeypatch: pytest.MonkeyPatch) -> CliRunner:
    # The command builds its own container from Settings(), as it does for an operator.
    monkeypatch.setenv("HEEDFUL_DATABASE_URL", database_url)
    return CliRunner()


def ingest(runner: CliRunner, *args: str | Path) -> Result:
    return runner.invoke(cli, ["ingest", *map(str, args)], catch_exceptions=False)


def stored(container: Container) -> list[str]:
    with container.uow() as uow:
        return [s.event.id for s in uow.events.unprocessed(limit=10_000)]


def test_a_file_is_stored_and_running_it_again_stores_nothing_twice(
    run: CliRunner, container: Container, tmp_path: Path
) -> None:
    path = tmp_path / "stock-2026-03-02.jsonl"
    path.write_text("".join(json.dumps(stock(f"e-{n}")) + "\n" for n in range(1200)))

    first = ingest(run, path, "--batch", "500")
    assert first.exit_code == 0, first.output
    assert "stored 1,200, 0 duplicates" in first.output
    again = ingest(run, path)
    assert again.exit_code == 0, again.output
    assert "stored 0, 1,200 duplicates" in again.output
    assert stored(container) == [f"e-{n}" for n in range(1200)]


def test_rejected_lines_are_listed_with_their_numbers_and_the_exit_code_says_so(
    run: CliRunner, container: Container, tmp_path: Path
) -> None:
    unknown = {**stock("e-3"), "type": "com.example.weather"}
    lines = [
        json.dumps(stock("e-1")),
        "",  # blank lines are not events
        "{this is not json",
        json.dumps(unknown),
        json.dumps(stock("e-5", quantity=-1)),
        json.dumps(stock("e-6")),
    ]
    path = tmp_path / "events.jsonl"
    path.write_text("\n".join(lines) + "\n")

    result = ingest(run, path, "--batch", "2")
    assert result.exit_code == 1, result.output
    assert "stored 2, 0 duplicates" in result.output
    assert "rejected 3" in result.output
    assert "line 3, line: the line is not valid JSON" in result.output
    assert "line 4, type: unknown event type" in result.output
    assert "line 5, data.quantity: quantity must not be negative" in result.output
    assert stored(container) == ["e-1", "e-6"]


def test_a_missing_file_is_an_error_of_its_own(run: CliRunner, tmp_path: Path) -> None:
    result = ingest(run, tmp_path / "nowhere.jsonl")
    assert result.exit_code == 2
    assert "cannot read" in result.output


def test_a_quantity_beyond_its_range_is_refused_on_its_line(
    run: CliRunner, container: Container, tmp_path: Path
) -> None:
    path = tmp_path / "events.jsonl"
    path.write_text(json.dumps(stock("e-1", quantity=10**20)) + "\n" + json.dumps(stock("e-2")))

    result = ingest(run, path)

    assert result.exit_code == 1, result.output
    assert "line 1, data.quantity: quantity must be at most 1,000,000,000" in result.output
    assert stored(container) == ["e-2"]
