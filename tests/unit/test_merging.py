"""Merging two records of one person, and undoing it exactly."""

from __future__ import annotations

from dataclasses import asdict
from datetime import date, timedelta
from typing import Any

import pytest
from builders import Shop

from heedful.core.card import customer_card
from heedful.core.customers.channels import Channel
from heedful.core.customers.commands import (
    IdentifyCustomer,
    NewIdentity,
    RecordConsent,
    UpdateCustomer,
)
from heedful.core.customers.consent import Purpose
from heedful.core.customers.handlers import look_up, record_consent, update_customer
from heedful.core.customers.identities import IdentityKind
from heedful.core.customers.merging import identify_customer, merge_customers, undo_merge
from heedful.core.customers.model import CustomerStatus, Segment
from heedful.core.preferences.model import Polarity
from heedful.core.shared.errors import Conflict, InvalidInput


def _everything_about(shop: Shop, customer_id: str) -> dict[str, Any]:
    """What staff would see of one record, row for row, apart from when it was last touched."""
    customer = shop.uow.customers.get(customer_id)
    assert customer is not None
    profile = customer.snapshot()
    del profile["updated_at"]
    uow = shop.uow
    return {
        "customer": profile,
        "identities": [asdict(i) for i in uow.identities.list_for(customer_id)],
        "preferences": [
            asdict(p) for p in uow.preferences.list_for(customer_id, include_retracted=True)
        ],
        "consent": [asdict(d) for d in uow.consents.list_for(customer_id)],
        "history": [asdict(e) for e in uow.history.list_for(customer_id, 1000)],
    }


def _two_records_of_anna(shop: Shop) -> tuple[str, str]:
    """The shop's record (phone, a habit) and, a week later, the web shop's (e-mail, a birthday)."""
    till = shop.customer("Anna Kovalenko", phone="+380671234567", at=shop.kyiv)
    shop.preference(till, Polarity.LIKE, "flat white")
    shop.purchase(till, at=shop.kyiv, ref="R-1", amount_minor=9000, drink="flat white")
    shop.clock.advance(timedelta(days=7))
    web = shop.customer(
        "Anna K.", email="anna@example.com", at=shop.lviv, birthday=date(1990, 5, 17)
    )
    shop.preference(web, Polarity.NEVER, "sparkling water")
    update_customer(UpdateCustomer(web.id, segment=Segment.VIP), shop.uow, shop.clock, shop.admin)
    record_consent(
        RecordConsent(web.id, Channel.EMAIL, Purpose.MARKETING, granted=True, how="web form"),
        shop.uow,
        shop.clock,
        shop.admin,
    )
    shop.purchase(web, at=shop.lviv, ref="W-7", amount_minor=120000, size="38")
    shop.clock.advance(timedelta(days=1))
    return till.id, web.id


def test_identify_merges_two_records_that_share_a_phone_and_an_email(shop: Shop) -> None:
    till_id, web_id = _two_records_of_anna(shop)

    anna = identify_customer(
        IdentifyCustomer(
            identities=(
                NewIdentity(IdentityKind.EMAIL, "Anna@Example.com"),
                NewIdentity(IdentityKind.PHONE, "067 123 45 67"),
            )
        ),
        shop.uow,
        shop.clock,
        shop.admin,
    )

    # The older record survives and now holds both identities, both habits and the birthday.
    assert anna.id == till_id
    assert look_up(IdentityKind.EMAIL, "anna@example.com", shop.uow, shop.admin).id == till_id
    assert look_up(IdentityKind.PHONE, "+380671234567", shop.uow, shop.admin).id == till_id
    card = customer_card(web_id, shop.uow, shop.clock, shop.admin)  # the old link still opens her
    assert card.customer.id == till_id
    assert card.customer.full_name == "Anna Kovalenko"
    assert card.customer.birthday == date(1990, 5, 17)
    assert card.customer.segment is Segment.VIP
    assert card.customer.location_ids == {shop.kyiv.id, shop.lviv.id}
    assert [p.subject for p in card.preferences[Polarity.NEVER]] == ["sparkling water"]
    assert card.history_count == 2
    assert card.consent[(Channel.EMAIL, Purpose.MARKETING)].granted
    absorbed = shop.uow.customers.get(web_id)
    assert absorbed is not None
    assert (absorbed.status, absorbed.merged_into_id) == (CustomerStatus.MERGED, till_id)
    assert [m.absorbed_id for m in card.merges] == [web_id]


def test_identify_creates_a_customer_nobody_knows_yet(shop: Shop) -> None:
    anna = identify_customer(
        IdentifyCustomer(
            identities=(NewIdentity(IdentityKind.EMAIL, "anna@example.com"),),
            location_id=shop.kyiv.id,
        ),
        shop.uow,
        shop.clock,
        shop.admin,
    )

    assert anna.full_name == "anna"
    assert anna.location_ids == {shop.kyiv.id}
    assert look_up(IdentityKind.EMAIL, "anna@example.com", shop.uow, shop.admin).id == anna.id


def test_identify_adds_a_new_identity_to_the_one_customer_who_has_the_other(shop: Shop) -> None:
    anna = shop.customer(phone="+380671234567")

    found = identify_customer(
        IdentifyCustomer(
            identities=(
                NewIdentity(IdentityKind.PHONE, "0671234567"),
                NewIdentity(IdentityKind.MESSENGER, "@anna_k"),
            ),
            location_id=shop.lviv.id,
        ),
        shop.uow,
        shop.clock,
        shop.admin,
    )

    assert found.id == anna.id
    assert look_up(IdentityKind.MESSENGER, "@anna_k", shop.uow, shop.admin).id == anna.id
    assert shop.uow.merges.list_for(anna.id) == []
    stored = shop.uow.customers.get(anna.id)
    assert stored is not None
    assert shop.lviv.id in stored.location_ids


def test_identify_at_an_unknown_location_is_invalid_and_changes_nothing(shop: Shop) -> None:
    anna = shop.customer(phone="+380671234567")

    with pytest.raises(InvalidInput) as raised:
        identify_customer(
            IdentifyCustomer(
                identities=(NewIdentity(IdentityKind.PHONE, "0671234567"),),
                location_id="loc_nowhere",
            ),
            shop.uow,
            shop.clock,
            shop.admin,
        )

    assert raised.value.field == "location_id"
    assert shop.uow.customers.get(anna.id) == anna


def test_an_undone_merge_restores_both_customers_attribute_for_attribute(shop: Shop) -> None:
    till_id, web_id = _two_records_of_anna(shop)
    before = {cid: _everything_about(shop, cid) for cid in (till_id, web_id)}
    merge = merge_customers(till_id, web_id, "same guest", shop.uow, shop.clock, shop.admin)
    assert _everything_about(shop, till_id) != before[till_id]
    shop.clock.advance(timedelta(hours=2))

    undone = undo_merge(merge.id, shop.uow, shop.clock, shop.admin)

    assert undone.undone_at == shop.clock.now()
    assert {cid: _everything_about(shop, cid) for cid in (till_id, web_id)} == before
    assert look_up(IdentityKind.EMAIL, "anna@example.com", shop.uow, shop.admin).id == web_id
    assert look_up(IdentityKind.PHONE, "+380671234567", shop.uow, shop.admin).id == till_id


def test_a_preference_added_after_a_merge_stays_with_the_survivor_on_undo(shop: Shop) -> None:
    till_id, web_id = _two_records_of_anna(shop)
    merge = merge_customers(till_id, web_id, "same guest", shop.uow, shop.clock, shop.admin)
    survivor = shop.uow.customers.get(till_id)
    assert survivor is not None
    window_seat = shop.preference(survivor, Polarity.LIKE, "window table")

    undo_merge(merge.id, shop.uow, shop.clock, shop.admin)

    assert window_seat.id in {p.id for p in shop.uow.preferences.list_for(till_id)}
    assert window_seat.id not in {p.id for p in shop.uow.preferences.list_for(web_id)}


def test_a_survivor_field_changed_after_the_merge_keeps_its_new_value_on_undo(shop: Shop) -> None:
    till_id, web_id = _two_records_of_anna(shop)
    merge = merge_customers(till_id, web_id, "same guest", shop.uow, shop.clock, shop.admin)
    update_customer(
        UpdateCustomer(till_id, birthday=date(1990, 5, 18)), shop.uow, shop.clock, shop.admin
    )

    undone = undo_merge(merge.id, shop.uow, shop.clock, shop.admin)

    survivor = shop.uow.customers.get(till_id)
    assert survivor is not None
    assert survivor.birthday == date(1990, 5, 18)
    assert survivor.segment is Segment.NEW  # taken from the merge, untouched since: given back
    assert any("birthday" in note for note in undone.notes)


def test_undo_is_refused_when_the_survivor_was_merged_again(shop: Shop) -> None:
    till_id, web_id = _two_records_of_anna(shop)
    first = merge_customers(till_id, web_id, "same guest", shop.uow, shop.clock, shop.admin)
    newest = shop.customer("Anna Kovalenko (loyalty)")
    second = merge_customers(
        newest.id, till_id, "same guest again", shop.uow, shop.clock, shop.admin
    )

    with pytest.raises(Conflict) as raised:
        undo_merge(first.id, shop.uow, shop.clock, shop.admin)

    assert raised.value.field == "merge_id"
    stored = shop.uow.merges.get(first.id)
    assert stored is not None
    assert not stored.is_undone
    # Undoing the later merge first makes the earlier one undoable again.
    undo_merge(second.id, shop.uow, shop.clock, shop.admin)
    undo_merge(first.id, shop.uow, shop.clock, shop.admin)
    assert look_up(IdentityKind.EMAIL, "anna@example.com", shop.uow, shop.admin).id == web_id


def test_a_merge_is_undone_only_once(shop: Shop) -> None:
    till_id, web_id = _two_records_of_anna(shop)
    merge = merge_customers(till_id, web_id, "same guest", shop.uow, shop.clock, shop.admin)
    undo_merge(merge.id, shop.uow, shop.clock, shop.admin)

    with pytest.raises(Conflict):
        undo_merge(merge.id, shop.uow, shop.clock, shop.admin)


def test_a_customer_cannot_be_merged_with_itself_or_into_a_merged_record(shop: Shop) -> None:
    till_id, web_id = _two_records_of_anna(shop)
    merge_customers(till_id, web_id, "same guest", shop.uow, shop.clock, shop.admin)
    other = shop.customer("Boris Smirnov")

    with pytest.raises(InvalidInput):
        merge_customers(till_id, till_id, "", shop.uow, shop.clock, shop.admin)
    with pytest.raises(Conflict) as raised:
        merge_customers(other.id, web_id, "", shop.uow, shop.clock, shop.admin)
    assert raised.value.field == "absorbed_id"


def test_both_records_log_the_merge_and_its_undo(shop: Shop) -> None:
    till_id, web_id = _two_records_of_anna(shop)
    merge = merge_customers(till_id, web_id, "same guest", shop.uow, shop.clock, shop.admin)
    undo_merge(merge.id, shop.uow, shop.clock, shop.admin)

    for customer_id in (till_id, web_id):
        actions = [e.action for e in shop.uow.audit.list_for(customer_id, 2)]
        assert actions == ["customers.merge_undone", "customers.merged"]
