"""`heedful import` on SQLite and PostgreSQL: files as Excel writes them, rejects beside them."""

from __future__ import annotations

import csv
from pathlib import Path

import pytest
from click.testing import CliRunner, Result

from heedful.bootstrap import Container
from heedful.core.access.model import SYSTEM
from heedful.core.customers.handlers import look_up
from heedful.core.customers.identities import IdentityKind
from heedful.core.customers.model import Customer
from heedful.core.preferences.model import Polarity
from heedful.core.shared.scope import CustomerScope
from heedful.core.staff.handlers import NewLocation, create_location
from heedful.core.staff.model import LocationKind
from heedful.entrypoints.cli.main import cli

HEADER = "full_name,language,phone,email,location,consent_email_marketing,birthday\n"
GOOD_AND_BAD = (
    HEADER
    + "Anna Kovalenko,uk,067 123 45 67,anna@example.com,Podil boutique,yes,1990-04-03\n"
    + "Boris Smirnov,ru,+7 916 123-45-67,,,,\n"
    + "Dmytro Bondar,uk,12,dmytro@example.com,,,\n"
    + '"Vera Melnyk, jr.",uk,+380501112233,,,no,\n'
    + "Galyna Shevchenko,de,+380631112233,,,,\n"
    + "Oksana Lysenko,,,oksana@example.com,,,\n"
    + "Taras Hrytsenko,en,+380991112233,,,,\n"
)


@pytest.fixture
def run(database_url: str, monkeypatch: pytest.MonkeyPatch) -> CliRunner:
    # The command builds its own container from Settings(), as it does for an operator.
    monkeypatch.setenv("HEEDFUL_DATABASE_URL", database_url)
    return CliRunner()


def _import(runner: CliRunner, *args: str | Path) -> Result:
    return runner.invoke(cli, ["import", *map(str, args)], catch_exceptions=False)


def _everyone(container: Container) -> list[Customer]:
    with container.uow() as uow:
        return uow.customers.list(CustomerScope(None), 1000, None).items


def _write(path: Path, text: str, encoding: str = "utf-8") -> Path:
    path.write_text(text, encoding=encoding, newline="")
    return path


def test_good_rows_land_and_bad_rows_are_written_beside_the_file_with_the_reason(
    run: CliRunner, container: Container, tmp_path: Path
) -> None:
    create_location(
        NewLocation(
            name="Podil boutique",
            kind=LocationKind.BOUTIQUE,
            city="Kyiv",
            country="UA",
            time_zone="Europe/Kyiv",
        ),
        container.uow(),
        container.clock,
        SYSTEM,
    )
    source = _write(tmp_path / "customers.csv", GOOD_AND_BAD)

    result = _import(run, source)

    assert result.exit_code == 1, result.output
    assert len(_everyone(container)) == 5
    with (tmp_path / "customers.rejected.csv").open(encoding="utf-8-sig", newline="") as rejects:
        rows = list(csv.DictReader(rejects))
    assert [(r["row"], r["field"], r["full_name"]) for r in rows] == [
        ("4", "phone", "Dmytro Bondar"),
        ("6", "language", "Galyna Shevchenko"),
    ]
    assert "not a phone number" in rows[0]["reason"]
    assert "row 4, phone:" in result.stdout
    assert "accepted 5 (created 5" in result.stdout
    anna = look_up(IdentityKind.EMAIL, "anna@example.com", container.uow(), SYSTEM)
    assert anna.home_location_id is not None


def test_a_semicolon_file_with_a_byte_order_mark_from_excel_is_read(
    run: CliRunner, container: Container, tmp_path: Path
) -> None:
    text = (
        "Full Name;Language;Phone;Consent_SMS_Marketing\n"
        "Анна Коваленко;uk;+38 (067) 123-45-67;так\n"
        "Борис Смирнов;ru;8 916 123 45 67;нет\n"
        ";;;\n"
    )
    source = _write(tmp_path / "customers-march.csv", text, encoding="utf-8-sig")

    result = _import(run, source)

    assert result.exit_code == 0, result.output
    assert sorted(c.full_name for c in _everyone(container)) == ["Анна Коваленко", "Борис Смирнов"]
    assert not (tmp_path / "customers-march.rejected.csv").exists()


def test_importing_a_file_again_updates_and_never_duplicates(
    run: CliRunner, container: Container, tmp_path: Path
) -> None:
    source = _write(tmp_path / "customers.csv", GOOD_AND_BAD.replace(",Podil boutique,", ",,"))
    assert _import(run, source).exit_code == 1

    again = _import(run, source)
    fixed = _import(
        run,
        _write(
            source,
            GOOD_AND_BAD.replace(",Podil boutique,", ",,")
            .replace(",12,", ",+380671110000,")
            .replace(",de,", ",uk,")
            .replace("Taras Hrytsenko,en", "Taras Hrytsenko,uk"),
        ),
    )

    assert again.exit_code == 1
    assert "created 0, updated 0, unchanged 5" in again.stdout
    assert fixed.exit_code == 0, fixed.output
    assert "created 2, updated 1, unchanged 4" in fixed.stdout
    assert len(_everyone(container)) == 7
    taras = look_up(IdentityKind.PHONE, "+380991112233", container.uow(), SYSTEM)
    assert taras.language == "uk"
    assert not (tmp_path / "customers.rejected.csv").exists()


def test_preferences_attach_to_customers_found_by_phone_or_e_mail(
    run: CliRunner, container: Container, tmp_path: Path
) -> None:
    customers = HEADER + "Anna Kovalenko,uk,067 123 45 67,anna@example.com,,,\n"
    assert _import(run, _write(tmp_path / "customers.csv", customers)).exit_code == 0
    preferences = (
        "customer;polarity;subject;category;note;source;location\n"
        "+380671234567;никогда;sparkling water;drink;;said;\n"
        "ANNA@example.com;подобається;window seat;seating;by the fireplace;;\n"
        "nobody@example.com;like;green tea;drink;;;\n"
    )

    result = _import(run, _write(tmp_path / "preferences.csv", preferences))

    assert result.exit_code == 1, result.output
    anna = look_up(IdentityKind.EMAIL, "anna@example.com", container.uow(), SYSTEM)
    with container.uow() as uow:
        stored = {(p.polarity, p.subject) for p in uow.preferences.list_for(anna.id)}
    assert stored == {(Polarity.NEVER, "sparkling water"), (Polarity.LIKE, "window seat")}
    with (tmp_path / "preferences.rejected.csv").open(encoding="utf-8-sig", newline="") as rejects:
        rows = list(csv.DictReader(rejects, delimiter=";"))
    assert [(r["row"], r["field"], r["customer"]) for r in rows] == [
        ("4", "customer", "nobody@example.com")
    ]


def test_a_file_without_a_required_column_is_refused_whole(
    run: CliRunner, container: Container, tmp_path: Path
) -> None:
    source = _write(tmp_path / "customers.csv", "name,phone\nAnna,+380671234567\n")

    result = _import(run, source)

    assert result.exit_code == 2
    assert "has no column full_name" in result.stderr
    assert _everyone(container) == []


def test_what_a_file_holds_is_told_by_its_columns_when_its_name_does_not(
    run: CliRunner, container: Container, tmp_path: Path
) -> None:
    source = _write(tmp_path / "export.csv", "full_name,external_id\nAnna,PMS-1\n")

    assert _import(run, source).exit_code == 0
    assert _import(run, "--kind", "preferences", source).exit_code == 2
    assert [c.full_name for c in _everyone(container)] == ["Anna"]


def test_a_file_that_is_not_utf8_is_refused_before_anything_is_stored(
    run: CliRunner, container: Container, tmp_path: Path
) -> None:
    source = _write(tmp_path / "customers.csv", HEADER + "Анна,uk,+380671234567,,,,\n", "cp1251")

    result = _import(run, source)

    assert result.exit_code == 2
    assert "not UTF-8" in result.stderr
    assert _everyone(container) == []
