"""What an admin sets up in the console, kept on SQLite and PostgreSQL (ADR 0043): contact rules
per purpose and a customer's own, the business's own templates, a location's address, and the
audit entries of each; her own rules go when she is erased."""

from __future__ import annotations

from datetime import time

from builders import a_location

from heedful.adapters.channels.rendering import JinjaTemplateChecker
from heedful.bootstrap import Container
from heedful.core.access.model import SYSTEM
from heedful.core.customers import Channel, CreateCustomer, Purpose, create_customer
from heedful.core.outreach import DEFAULT_TEMPLATES, MessageTemplate
from heedful.core.outreach.contact_settings import (
    PurposeRules,
    customer_rules,
    list_business_rules,
    set_business_rules,
    set_customer_rules,
)
from heedful.core.outreach.own_templates import remove_template, save_template, templates_in_use
from heedful.core.privacy.erasure import erase_customer
from heedful.core.staff.accounts import LocationDetails, change_location


def test_contact_rules_are_kept_and_replaced(container: Container) -> None:
    uow, clock = container.uow(), container.clock
    rules = PurposeRules(Purpose.MARKETING, time(20, 30), time(10, 0), 1, 14)
    set_business_rules(rules, uow, clock, SYSTEM)
    set_business_rules(
        PurposeRules(Purpose.MARKETING, time(20, 0), time(10, 0), None, 7), uow, clock, SYSTEM
    )

    kept = list_business_rules(container.uow(), SYSTEM)
    assert kept[Purpose.MARKETING] == PurposeRules(
        Purpose.MARKETING, time(20, 0), time(10, 0), None, 7
    )
    assert kept[Purpose.SERVICE].cap is None  # still the built-in


def test_her_own_rules_are_kept_and_go_when_she_is_erased(container: Container) -> None:
    uow, clock = container.uow(), container.clock
    anna = create_customer(CreateCustomer(full_name="Anna"), uow, clock, SYSTEM)
    set_customer_rules(
        anna.id, time(23, 0), time(7, 0), (Channel.SMS, Channel.EMAIL), uow, clock, SYSTEM
    )
    own = customer_rules(anna.id, container.uow())
    assert own is not None
    assert (own.quiet_from, own.channels) == (time(23, 0), (Channel.SMS, Channel.EMAIL))

    erase_customer(anna.id, "her request", container.uow(), clock, SYSTEM)

    assert customer_rules(anna.id, container.uow()) is None


def test_own_templates_are_kept_replaced_and_removed(container: Container) -> None:
    uow, clock, checker = container.uow(), container.clock, JinjaTemplateChecker()
    for subject in ("Є! {{ item.product }}", "Знову є: {{ item.product }}"):
        mine = MessageTemplate("back_in_stock", "uk", subject, "{{ item.product }} чекає.")
        save_template(mine, DEFAULT_TEMPLATES, checker, uow, clock, SYSTEM)

    in_use = templates_in_use("back_in_stock", DEFAULT_TEMPLATES, container.uow())
    assert in_use["uk"] == (mine, True)
    remove_template("back_in_stock", "uk", container.uow(), clock, SYSTEM)
    assert templates_in_use("back_in_stock", DEFAULT_TEMPLATES, container.uow())["uk"][1] is False


def test_a_location_keeps_its_address_and_the_change_is_audited(container: Container) -> None:
    kyiv = a_location("Kyiv")
    with container.uow() as uow:
        uow.locations.add(kyiv)
        uow.commit()
    details = LocationDetails("Podil", "Kyiv", "Sahaidachnoho 1", "UA", "Europe/Kyiv")
    change_location(kyiv.id, details, container.uow(), container.clock, SYSTEM)

    with container.uow() as uow:
        location = uow.locations.get(kyiv.id)
        assert location is not None
        assert location.address == "Sahaidachnoho 1"
        assert "location.changed" in {e.action for e in uow.audit.list_for(None, 10)}
