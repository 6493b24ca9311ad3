"""The audit log: every change to a customer says who made it, what was before and after."""

from __future__ import annotations

from datetime import timedelta

from builders import Shop, an_agent

from heedful.core.customers.channels import Channel
from heedful.core.customers.commands import NewIdentity, RecordConsent, UpdateCustomer
from heedful.core.customers.consent import Purpose
from heedful.core.customers.handlers import (
    add_identity,
    record_consent,
    remove_identity,
    update_customer,
)
from heedful.core.customers.identities import IdentityKind
from heedful.core.preferences.handlers import retract_preference
from heedful.core.preferences.model import Polarity


def test_every_change_to_a_customer_writes_an_audit_entry_with_actor_before_and_after(
    shop: Shop,
) -> None:
    agent = an_agent(shop.kyiv)
    anna = shop.customer("Anna Kovalenko", at=shop.kyiv, by=agent)
    shop.clock.advance(timedelta(minutes=1))
    update_customer(UpdateCustomer(anna.id, language="uk"), shop.uow, shop.clock, agent)
    phone = add_identity(
        anna.id, NewIdentity(IdentityKind.PHONE, "0671234567"), shop.uow, shop.clock, agent
    )
    water = shop.preference(anna, Polarity.NEVER, "sparkling water", by=agent)
    retract_preference(anna.id, water.id, shop.uow, shop.clock, agent)
    record_consent(
        RecordConsent(anna.id, Channel.EMAIL, Purpose.MARKETING, granted=True, how="web form"),
        shop.uow,
        shop.clock,
        agent,
    )
    remove_identity(anna.id, phone.id, shop.uow, shop.clock, agent)

    log = shop.uow.audit_entries()
    assert [e.action for e in log] == [
        "customer.created",
        "customer.updated",
        "identity.added",
        "preference.recorded",
        "preference.retracted",
        "consent.granted",
        "identity.removed",
    ]
    assert {(e.actor_id, e.actor_label, e.customer_id) for e in log} == {
        (agent.id, agent.label, anna.id)
    }
    created, updated, added, recorded, retracted, consented, removed = log
    assert created.after is not None
    assert created.after["full_name"] == "Anna Kovalenko"
    assert (updated.before, updated.after) == ({"language": "en"}, {"language": "uk"})
    assert updated.at == shop.clock.now()
    assert added.after == {"kind": "phone", "value": "+380671234567"}
    assert recorded.after is not None
    assert recorded.after["subject"] == "sparkling water"
    assert retracted.before is not None
    assert retracted.before["polarity"] == "never"
    assert consented.after == {
        "channel": "email",
        "purpose": "marketing",
        "granted": True,
        "how": "web form",
    }
    assert removed.before == {"kind": "phone", "value": "+380671234567"}


def test_an_update_that_changes_nothing_leaves_no_trace(shop: Shop) -> None:
    anna = shop.customer("Anna Kovalenko")
    entries = len(shop.uow.audit_entries())

    update_customer(
        UpdateCustomer(anna.id, full_name="  Anna   Kovalenko "), shop.uow, shop.clock, shop.admin
    )

    assert len(shop.uow.audit_entries()) == entries
    assert shop.uow.customers.get(anna.id) == anna


def test_clearing_a_field_is_recorded_as_a_change_to_nothing(shop: Shop) -> None:
    anna = shop.customer("Anna Kovalenko", at=shop.kyiv)

    update_customer(
        UpdateCustomer(anna.id, clear=frozenset({"home_location_id"})),
        shop.uow,
        shop.clock,
        shop.admin,
    )

    last = shop.uow.audit_entries()[-1]
    assert (last.before, last.after) == (
        {"home_location_id": shop.kyiv.id},
        {"home_location_id": None},
    )
