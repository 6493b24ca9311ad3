"""Privacy rights: a person may see everything held on them, and have themselves erased."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from builders import Shop

from heedful.core.card import customer_card
from heedful.core.customers.channels import Channel
from heedful.core.customers.commands import NewIdentity, RecordConsent, UpdateCustomer
from heedful.core.customers.consent import Purpose
from heedful.core.customers.handlers import (
    add_identity,
    look_up,
    record_consent,
    search_customers,
    update_customer,
)
from heedful.core.customers.identities import IdentityKind
from heedful.core.customers.merging import merge_customers, undo_merge
from heedful.core.customers.model import Customer, CustomerStatus
from heedful.core.customers.redaction import ERASED_NAME
from heedful.core.history.handlers import RecordHistory, record_history
from heedful.core.history.model import HistoryKind, Item
from heedful.core.preferences.model import Polarity
from heedful.core.privacy import erase_customer, export_customer
from heedful.core.shared.errors import Conflict, InvalidInput, NotFound


def _anna_with_a_past(shop: Shop) -> Customer:
    anna = shop.customer(
        "Anna Kovalenko",
        phone="+380671234567",
        email="anna@example.com",
        at=shop.kyiv,
        birthday=date(1990, 5, 17),
    )
    shop.preference(anna, Polarity.NEVER, "sparkling water")
    record_consent(
        RecordConsent(anna.id, Channel.EMAIL, Purpose.MARKETING, granted=True, how="web form"),
        shop.uow,
        shop.clock,
        shop.admin,
    )
    shop.purchase(anna, at=shop.kyiv, ref="R-1", amount_minor=9000, drink="flat white")
    record_history(
        RecordHistory(
            anna.id,
            HistoryKind.VISIT,
            shop.clock.now(),
            location_id=shop.kyiv.id,
            note="Anna mentioned her daughter's wedding",
        ),
        shop.uow,
        shop.clock,
        shop.admin,
    )
    shop.clock.advance(timedelta(days=1))
    return anna


def test_an_export_contains_everything_held_on_the_person(shop: Shop) -> None:
    anna = _anna_with_a_past(shop)

    document = export_customer(anna.id, shop.uow, shop.clock, shop.admin)

    assert document["customer"]["full_name"] == "Anna Kovalenko"
    assert document["customer"]["birthday"] == "1990-05-17"
    assert {i["value"] for i in document["identities"]} == {"+380671234567", "anna@example.com"}
    assert [p["subject"] for p in document["preferences"]] == ["sparkling water"]
    assert [(c["channel"], c["granted"]) for c in document["consent"]] == [("email", True)]
    assert sorted(h["kind"] for h in document["history"]) == ["purchase", "visit"]
    assert "customer.created" in {a["action"] for a in document["audit_log"]}
    # Exporting is itself on the record.
    assert shop.uow.audit.list_for(anna.id, 1)[0].action == "customer.exported"


def test_erasure_removes_the_person_and_keeps_the_numbers(shop: Shop) -> None:
    anna = _anna_with_a_past(shop)

    erasure = erase_customer(anna.id, "her request of 1 March", shop.uow, shop.clock, shop.admin)

    stored = shop.uow.customers.get(anna.id)
    assert stored is not None
    assert (stored.full_name, stored.birthday, stored.status) == (
        ERASED_NAME,
        None,
        CustomerStatus.ERASED,
    )
    assert shop.uow.identities.list_for(anna.id) == []
    assert shop.uow.preferences.list_for(anna.id, include_retracted=True) == []
    assert shop.uow.consents.list_for(anna.id) == []
    history = shop.uow.history.list_for(anna.id, 10)
    assert sorted((h.kind, h.amount_minor, h.location_id) for h in history) == [
        (HistoryKind.PURCHASE, 9000, shop.kyiv.id),
        (HistoryKind.VISIT, None, shop.kyiv.id),
    ]
    assert all(h.note == "" for h in history)
    assert shop.uow.erasures.list() == [erasure]
    assert (erasure.erased_by, erasure.reason) == (shop.admin.id, "her request of 1 March")
    with pytest.raises(NotFound):
        look_up(IdentityKind.PHONE, "067 123 45 67", shop.uow, shop.admin)
    assert search_customers("Kovalenko", shop.uow, shop.admin) == []
    logged = repr(shop.uow.audit_entries())
    assert "Kovalenko" not in logged
    assert "+380671234567" not in logged
    assert shop.uow.audit_entries()[-1].action == "customer.erased"


def test_erasure_also_removes_the_records_merged_into_the_person(shop: Shop) -> None:
    anna = _anna_with_a_past(shop)
    old_card = shop.customer("Anna K.", email="anna.k@old-mail.example", birthday=date(1990, 5, 17))
    merge = merge_customers(anna.id, old_card.id, "same guest", shop.uow, shop.clock, shop.admin)

    # Asked by the old record's id: it still names the same person.
    erase_customer(old_card.id, "her request", shop.uow, shop.clock, shop.admin)

    for customer_id in (anna.id, old_card.id):
        stored = shop.uow.customers.get(customer_id)
        assert stored is not None
        assert (stored.full_name, stored.birthday) == (ERASED_NAME, None)
    with pytest.raises(NotFound):
        look_up(IdentityKind.EMAIL, "anna.k@old-mail.example", shop.uow, shop.admin)
    everything = repr(shop.uow.state)
    assert "Anna" not in everything
    assert "1990-05-17" not in everything
    with pytest.raises(Conflict):
        undo_merge(merge.id, shop.uow, shop.clock, shop.admin)


def test_a_reason_that_names_her_is_kept_without_her_values(shop: Shop) -> None:
    anna = _anna_with_a_past(shop)

    erasure = erase_customer(
        anna.id,
        "letter from Anna Kovalenko (ANNA@example.com) of 1 March",
        shop.uow,
        shop.clock,
        shop.admin,
    )

    assert erasure.reason == f"letter from {ERASED_NAME} ({ERASED_NAME}) of 1 March"
    assert shop.uow.erasures.list()[0].reason == erasure.reason


def test_her_purchases_keep_their_counts_and_ratings_but_lose_their_words(shop: Shop) -> None:
    anna = _anna_with_a_past(shop)
    record_history(
        RecordHistory(
            anna.id,
            HistoryKind.VISIT,
            shop.clock.now(),
            location_id=shop.kyiv.id,
            items=(Item({"table": "by the window, for Anna", "rating": "4"}, quantity=2),),
        ),
        shop.uow,
        shop.clock,
        shop.admin,
    )

    erase_customer(anna.id, "her request", shop.uow, shop.clock, shop.admin)

    items = [item for entry in shop.uow.history.list_for(anna.id, 10) for item in entry.items]
    assert Item({"rating": "4"}, quantity=2) in items
    assert all(set(item.attributes) <= {"rating", "returned"} for item in items)


def test_an_erased_customer_cannot_be_erased_again_nor_edited(shop: Shop) -> None:
    anna = _anna_with_a_past(shop)
    erase_customer(anna.id, "her request", shop.uow, shop.clock, shop.admin)

    with pytest.raises(Conflict) as raised:
        erase_customer(anna.id, "her request", shop.uow, shop.clock, shop.admin)

    assert raised.value.field == "customer_id"
    assert len(shop.uow.erasures.list()) == 1
    with pytest.raises(Conflict):
        update_customer(
            UpdateCustomer(anna.id, full_name="Anna Kovalenko"), shop.uow, shop.clock, shop.admin
        )
    with pytest.raises(Conflict):
        add_identity(
            anna.id,
            NewIdentity(IdentityKind.PHONE, "+380671234567"),
            shop.uow,
            shop.clock,
            shop.admin,
        )
    with pytest.raises(Conflict):
        shop.preference(anna, Polarity.LIKE, "flat white")
    assert shop.uow.identities.list_for(anna.id) == []


def test_an_erasure_must_say_why(shop: Shop) -> None:
    anna = _anna_with_a_past(shop)

    with pytest.raises(InvalidInput) as raised:
        erase_customer(anna.id, "  ", shop.uow, shop.clock, shop.admin)

    assert raised.value.field == "reason"
    assert (
        customer_card(anna.id, shop.uow, shop.clock, shop.admin).customer.full_name
        == "Anna Kovalenko"
    )
