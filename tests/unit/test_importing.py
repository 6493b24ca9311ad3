"""Imports: good rows land, bad rows are rejected alone with their column, nobody is duplicated."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import timedelta
from typing import Any

import pytest
from builders import Shop, a_location, a_manager, an_agent

from heedful.core.customers.channels import Channel
from heedful.core.customers.consent import Purpose, may_contact
from heedful.core.customers.handlers import look_up, search_customers
from heedful.core.customers.identities import IdentityKind
from heedful.core.customers.importing import import_customers
from heedful.core.preferences.importing import import_preferences
from heedful.core.preferences.model import Category, Polarity
from heedful.core.shared.errors import Forbidden
from heedful.core.shared.importing import ImportReport, Rejection, Row


def _rows(*rows: Mapping[str, str]) -> list[Row]:
    """Numbered as a spreadsheet shows them: the header is row 1."""
    return [(number, row) for number, row in enumerate(rows, start=2)]


def _customers(shop: Shop, *rows: Mapping[str, str], **options: Any) -> ImportReport:
    return import_customers(
        _rows(*rows), shop.uow, shop.clock, shop.admin, how="import customers.csv", **options
    )


def _preferences(shop: Shop, *rows: Mapping[str, str]) -> ImportReport:
    return import_preferences(_rows(*rows), shop.uow, shop.clock, shop.admin)


def _everyone(shop: Shop) -> int:
    return len(shop.uow.state.customers)


ANNA = {"full_name": "Anna Kovalenko", "phone": "067 123 45 67", "email": "anna@example.com"}
BORIS = {"full_name": "Boris Smirnov", "language": "ru", "phone": "+7 916 123-45-67"}
VERA = {
    "full_name": "Vera Melnyk",
    "language": "uk",
    "time_zone": "Europe/Kyiv",
    "external_id": "V-1",
}


def test_good_rows_are_stored_and_each_bad_row_is_rejected_naming_its_column(shop: Shop) -> None:
    report = _customers(
        shop,
        ANNA,
        {"full_name": "Dmytro", "phone": "12"},
        BORIS,
        {"full_name": "Galyna", "language": "de"},
        VERA,
    )

    assert (report.created, report.accepted) == (3, 3)
    assert [(r.row, r.field) for r in report.rejected] == [(3, "phone"), (5, "language")]
    assert "not a phone number" in report.rejected[0].reason
    assert _everyone(shop) == 3
    assert look_up(IdentityKind.PHONE, "+380671234567", shop.uow, shop.admin).full_name == (
        "Anna Kovalenko"
    )


def test_importing_the_same_file_again_duplicates_nobody(shop: Shop) -> None:
    rows = (
        ANNA | {"consent_email_marketing": "yes", "loyalty_card": "AB 1234", "external_id": "P-7"},
        BORIS,
        VERA,
    )
    first = _customers(shop, *rows)
    consents = len(shop.uow.state.consents)

    again = _customers(shop, *rows)

    assert (first.created, again.created, again.updated, again.unchanged) == (3, 0, 0, 3)
    assert again.rejected == []
    assert _everyone(shop) == 3
    assert len(shop.uow.state.consents) == consents


def test_a_row_without_any_identity_is_refused_as_it_could_not_be_found_again(shop: Shop) -> None:
    report = _customers(shop, {"full_name": "Vera Melnyk", "language": "uk"})

    assert report.rejected[0].field == ""
    assert "importing the file again would create this customer again" in report.rejected[0].reason
    assert _everyone(shop) == 0


def test_a_row_known_by_any_identity_updates_that_customer(shop: Shop) -> None:
    anna = shop.customer("Anna Kovalenko", phone="+380671234567")

    report = _customers(
        shop,
        {
            "full_name": "Anna Kovalenko-Shevchuk",
            "phone": "0671234567",
            "language": "uk",
            "email": "anna@example.com",
            "birthday": "1990-04-03",
        },
    )

    assert (report.created, report.updated) == (0, 1)
    assert look_up(IdentityKind.EMAIL, "anna@example.com", shop.uow, shop.admin).id == anna.id
    stored = shop.uow.customers.get(anna.id)
    assert stored is not None
    assert (stored.full_name, stored.language, str(stored.birthday)) == (
        "Anna Kovalenko-Shevchuk",
        "uk",
        "1990-04-03",
    )


def test_a_row_that_names_two_customers_changes_neither(shop: Shop) -> None:
    anna = shop.customer("Anna Kovalenko", email="anna@example.com")
    boris = shop.customer("Boris Smirnov", phone="+79161234567")

    report = _customers(
        shop,
        {"full_name": "Anna Renamed", "email": "anna@example.com", "phone": "89161234567"},
        VERA,
    )

    # Anna's rename ran before Boris's phone refused the row; the savepoint took it back.
    assert (report.rejected[0].row, report.rejected[0].field) == (2, "phone")
    assert "belongs to another customer" in report.rejected[0].reason
    assert report.created == 1
    assert [c.full_name for c in search_customers("Anna", shop.uow, shop.admin)] == [anna.full_name]
    assert shop.uow.identities.list_for(boris.id)[0].value == "+79161234567"


def test_rows_are_committed_a_batch_at_a_time_and_progress_is_told_per_batch(shop: Shop) -> None:
    told: list[int] = []
    rows = [{"full_name": f"Guest {n}", "email": f"guest{n}@example.com"} for n in range(5)]

    import_customers(
        _rows(*rows), shop.uow, shop.clock, shop.admin, batch_size=2, on_progress=told.append
    )

    assert told == [2, 2, 1]
    assert shop.uow.committed == 3


def test_a_location_is_named_by_id_or_exact_name(shop: Shop) -> None:
    report = _customers(
        shop,
        ANNA | {"location": "Podil boutique"},
        BORIS | {"location": shop.lviv.id},
        VERA | {"location": "Podil"},
    )

    assert report.rejected == [Rejection(4, "location", "no location has the id or name 'Podil'")]
    anna = look_up(IdentityKind.EMAIL, "anna@example.com", shop.uow, shop.admin)
    assert (anna.home_location_id, anna.location_ids) == (shop.kyiv.id, {shop.kyiv.id})


def test_two_locations_with_one_name_must_be_named_by_id(shop: Shop) -> None:
    shop.uow.seed(a_location("Podil boutique"))

    report = _customers(shop, ANNA | {"location": "Podil boutique"})

    assert report.rejected[0].field == "location"
    assert "give the id" in report.rejected[0].reason


def test_cells_are_checked_before_anything_is_written(shop: Shop) -> None:
    report = _customers(
        shop,
        {"full_name": "  "},
        VERA | {"birthday": "03.04.1990"},
        VERA | {"segment": "gold"},
        VERA | {"time_zone": "Kyiv"},
        VERA | {"consent_sms_marketing": "maybe"},
        VERA | {"loyalty_card": " - "},
    )

    assert [r.field for r in report.rejected] == [
        "full_name",
        "birthday",
        "segment",
        "time_zone",
        "consent_sms_marketing",
        "loyalty_card",
    ]
    assert _everyone(shop) == 0


def test_consent_says_it_came_from_the_import_and_a_changed_answer_is_recorded(shop: Shop) -> None:
    _customers(shop, ANNA | {"consent_email_marketing": "так", "consent_sms_marketing": "no"})
    anna = look_up(IdentityKind.EMAIL, "anna@example.com", shop.uow, shop.admin)
    decisions = shop.uow.consents.list_for(anna.id)
    assert {d.how for d in decisions} == {"import customers.csv"}
    assert may_contact(decisions, Channel.EMAIL, Purpose.MARKETING)
    assert not may_contact(decisions, Channel.SMS, Purpose.MARKETING)

    shop.clock.advance(timedelta(days=1))
    report = _customers(shop, ANNA | {"consent_email_marketing": "нет"})

    assert report.updated == 1
    assert not may_contact(shop.uow.consents.list_for(anna.id), Channel.EMAIL, Purpose.MARKETING)


def test_an_external_id_is_kept_as_an_external_identity(shop: Shop) -> None:
    _customers(shop, VERA | {"external_id": "OPERA-00017"})

    vera = look_up(IdentityKind.EXTERNAL, "OPERA-00017", shop.uow, shop.admin)
    assert vera.full_name == "Vera Melnyk"


def test_only_those_allowed_to_import_may(shop: Shop) -> None:
    with pytest.raises(Forbidden):
        import_customers(_rows(ANNA), shop.uow, shop.clock, an_agent(shop.kyiv))


def test_preferences_attach_to_customers_found_by_any_identity(shop: Shop) -> None:
    anna = shop.customer("Anna Kovalenko", phone="+380671234567", email="anna@example.com")
    _customers(shop, BORIS | {"loyalty_card": "ab-77", "external_id": "P-9"})
    boris = look_up(IdentityKind.PHONE, "+79161234567", shop.uow, shop.admin)

    report = _preferences(
        shop,
        {
            "customer": "067 123 45 67",
            "polarity": "никогда",
            "subject": "sparkling water",
            "category": "drink",
        },
        {"customer": "Anna@Example.com", "polarity": "подобається", "subject": "window seat"},
        {"customer": "AB77", "polarity": "Не нравится", "subject": "jazz"},
        {"customer": "P-9", "polarity": "like", "subject": "green tea", "source": "observed"},
        {
            "customer": anna.id,
            "polarity": "dislike",
            "subject": "lilies",
            "location": "Rynok square",
        },
        {"customer": "nobody@example.com", "polarity": "like", "subject": "tea"},
    )

    assert report.created == 5
    assert [(r.row, r.field) for r in report.rejected] == [(7, "customer")]
    annas = {(p.polarity, p.subject) for p in shop.uow.preferences.list_for(anna.id)}
    assert annas == {
        (Polarity.NEVER, "sparkling water"),
        (Polarity.LIKE, "window seat"),
        (Polarity.DISLIKE, "lilies"),
    }
    borises = {
        (p.polarity, p.subject, p.confidence) for p in shop.uow.preferences.list_for(boris.id)
    }
    assert borises == {(Polarity.DISLIKE, "jazz", 1.0), (Polarity.LIKE, "green tea", 0.8)}
    water = next(
        p for p in shop.uow.preferences.list_for(anna.id) if p.subject == "sparkling water"
    )
    assert water.category is Category.DRINK


def test_a_preference_imported_again_is_not_recorded_twice(shop: Shop) -> None:
    shop.customer("Anna Kovalenko", phone="+380671234567")
    row = {"customer": "+380671234567", "polarity": "never", "subject": "Sparkling water"}
    _preferences(shop, row)

    again = _preferences(shop, row | {"subject": "sparkling  WATER"})

    assert (again.created, again.unchanged) == (0, 1)
    assert len(shop.uow.state.preferences) == 1


def test_preference_cells_that_break_a_rule_name_their_column(shop: Shop) -> None:
    shop.customer("Anna Kovalenko", phone="+380671234567")
    anna = "+380671234567"

    report = _preferences(
        shop,
        {"customer": anna, "polarity": "adore", "subject": "tea"},
        {"customer": anna, "polarity": "like", "subject": ""},
        {"customer": anna, "polarity": "like", "subject": "tea", "category": "beverage"},
        {"customer": anna, "polarity": "like", "subject": "tea", "source": "gossip"},
        {"customer": anna, "polarity": "like", "subject": "tea", "location": "Odesa"},
        {"customer": "", "polarity": "like", "subject": "tea"},
    )

    assert [r.field for r in report.rejected] == [
        "polarity",
        "subject",
        "category",
        "source",
        "location",
        "customer",
    ]
    assert shop.uow.state.preferences == {}


def test_a_scoped_import_refuses_a_row_naming_another_locations_guest_without_naming_her(
    shop: Shop,
) -> None:
    zora = shop.customer("Zora Lysenko", email="zora@example.com", at=shop.lviv)
    kyiv_manager = a_manager(shop.kyiv)

    report = import_customers(
        _rows({"full_name": "Z. L.", "email": "zora@example.com", "location": shop.kyiv.id}),
        shop.uow,
        shop.clock,
        kyiv_manager,
        how="import customers.csv",
    )

    assert [(r.row, r.field) for r in report.rejected] == [(2, "email")]
    assert zora.id not in report.rejected[0].reason
    assert "belongs to another customer" in report.rejected[0].reason
    kept = shop.uow.customers.get(zora.id)
    assert kept is not None
    assert (kept.full_name, kept.location_ids) == ("Zora Lysenko", {shop.lviv.id})


def test_a_name_with_a_direction_override_is_rejected_naming_its_column(shop: Shop) -> None:
    report = _customers(shop, VERA | {"full_name": "Vera\u202etxt.exe"})

    assert [(r.row, r.field) for r in report.rejected] == [(2, "full_name")]
    assert "U+202E" in report.rejected[0].reason


def test_a_scoped_preference_import_finds_no_guest_of_another_location_by_id_or_identity(
    shop: Shop,
) -> None:
    zora = shop.customer("Zora Lysenko", email="zora@example.com", at=shop.lviv)
    kyiv_manager = a_manager(shop.kyiv)
    rows = _rows(
        {"customer": "zora@example.com", "polarity": "like", "subject": "tea"},
        {"customer": zora.id, "polarity": "like", "subject": "tea"},
        {"customer": "nora@example.com", "polarity": "like", "subject": "tea"},
    )

    report = import_preferences(rows, shop.uow, shop.clock, kyiv_manager)

    reasons = [
        r.reason.replace(v, "")
        for r, v in zip(
            report.rejected, ("zora@example.com", zora.id, "nora@example.com"), strict=True
        )
    ]
    assert [(r.row, r.field) for r in report.rejected] == [
        (2, "customer"),
        (3, "customer"),
        (4, "customer"),
    ]
    assert len(set(reasons)) == 1  # the same words for her and for nobody
    assert shop.uow.preferences.list_for(zora.id) == []
