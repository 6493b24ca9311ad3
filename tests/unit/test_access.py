"""Who may see and change which customers: roles, and the locations staff work at."""

from __future__ import annotations

from collections.abc import Callable
from datetime import timedelta

import pytest
from builders import Shop, a_manager, an_agent, an_evaluator

from heedful.core.access.model import Actor, Role
from heedful.core.card import customer_card
from heedful.core.customers.commands import IdentifyCustomer, NewIdentity
from heedful.core.customers.handlers import (
    link_to_location,
    list_customers,
    look_up,
    search_customers,
)
from heedful.core.customers.identities import IdentityKind
from heedful.core.customers.merging import identify_customer, merge_customers, undo_merge
from heedful.core.customers.model import Customer
from heedful.core.history.handlers import RecordHistory, record_history
from heedful.core.history.model import HistoryKind
from heedful.core.preferences.model import Polarity
from heedful.core.privacy import erase_customer, export_customer
from heedful.core.shared.errors import Conflict, Forbidden, InvalidInput, NotFound
from heedful.core.staff.handlers import NewToken, create_token


def test_an_evaluator_cannot_view_customers(shop: Shop) -> None:
    anna = shop.customer(phone="+380671234567", at=shop.kyiv)
    evaluator = an_evaluator()

    with pytest.raises(Forbidden):
        customer_card(anna.id, shop.uow, shop.clock, evaluator)
    with pytest.raises(Forbidden):
        look_up(IdentityKind.PHONE, "+380671234567", shop.uow, evaluator)
    with pytest.raises(Forbidden):
        search_customers("Anna", shop.uow, evaluator)
    with pytest.raises(Forbidden):
        shop.customer("Boris", at=shop.kyiv, by=evaluator)


def test_an_agent_cannot_see_a_customer_known_only_at_another_location(shop: Shop) -> None:
    anna = shop.customer("Anna Kovalenko", phone="+380671234567", at=shop.lviv)
    kyiv_agent = an_agent(shop.kyiv)

    # "Not found", not "forbidden": staff must not learn that a guest of another shop exists.
    with pytest.raises(NotFound):
        customer_card(anna.id, shop.uow, shop.clock, kyiv_agent)
    with pytest.raises(NotFound):
        look_up(IdentityKind.PHONE, "+380671234567", shop.uow, kyiv_agent)
    with pytest.raises(NotFound):
        shop.preference(anna, Polarity.LIKE, "window table", by=kyiv_agent)
    assert search_customers("Anna", shop.uow, kyiv_agent) == []
    assert search_customers("+380671234567", shop.uow, kyiv_agent) == []
    assert list_customers(shop.uow, kyiv_agent, 10, None).items == []


def test_an_agent_sees_a_customer_once_they_have_visited_the_agents_location(shop: Shop) -> None:
    anna = shop.customer("Anna Kovalenko", at=shop.lviv)
    kyiv_agent = an_agent(shop.kyiv)
    till = Actor(id="tok_till", label="API token Kyiv till", role=Role.ADMIN)

    shop.clock.advance(timedelta(hours=1))
    record_history(
        RecordHistory(anna.id, HistoryKind.VISIT, shop.clock.now(), location_id=shop.kyiv.id),
        shop.uow,
        shop.clock,
        till,
    )

    assert customer_card(anna.id, shop.uow, shop.clock, kyiv_agent).customer.id == anna.id
    assert search_customers("Anna", shop.uow, kyiv_agent) == [shop.uow.customers.get(anna.id)]


def test_an_agent_cannot_record_a_visit_at_a_location_they_do_not_work_at(shop: Shop) -> None:
    anna = shop.customer("Anna Kovalenko", at=shop.kyiv)
    kyiv_agent = an_agent(shop.kyiv)

    with pytest.raises(Forbidden) as raised:
        record_history(
            RecordHistory(anna.id, HistoryKind.VISIT, shop.clock.now(), location_id=shop.lviv.id),
            shop.uow,
            shop.clock,
            kyiv_agent,
        )

    assert raised.value.field == "location_id"
    assert shop.uow.history.count_for(anna.id) == 0


def _identify(shop: Shop, actor: Actor, location_id: str | None, phone: str) -> Customer:
    return identify_customer(
        IdentifyCustomer(
            identities=(NewIdentity(IdentityKind.PHONE, phone),), location_id=location_id
        ),
        shop.uow,
        shop.clock,
        actor,
    )


def test_an_agent_who_identifies_a_guest_known_elsewhere_learns_nothing_and_links_nothing(
    shop: Shop,
) -> None:
    anna = shop.customer("Anna Kovalenko", phone="+380671234567", at=shop.lviv)
    kyiv_agent = an_agent(shop.kyiv)
    audit_before = shop.uow.audit.list_for(anna.id, 100)
    customers_before = len(list_customers(shop.uow, shop.admin, 100, None).items)

    with pytest.raises(Conflict) as raised:
        _identify(shop, kyiv_agent, shop.kyiv.id, "0671234567")

    # The answer a taken identity always gets, without her id or her name.
    assert raised.value.field == "identities[0].value"
    assert raised.value.existing_id is None
    assert "Anna" not in raised.value.message
    assert shop.uow.customers.get(anna.id).location_ids == {shop.lviv.id}  # type: ignore[union-attr]
    assert shop.uow.audit.list_for(anna.id, 100) == audit_before
    assert len(list_customers(shop.uow, shop.admin, 100, None).items) == customers_before
    with pytest.raises(NotFound):
        customer_card(anna.id, shop.uow, shop.clock, kyiv_agent)


def test_identities_of_a_guest_here_and_a_guest_elsewhere_merge_nothing(shop: Shop) -> None:
    anna = shop.customer("Anna Kovalenko", phone="+380671234567", at=shop.kyiv)
    zora = shop.customer("Zora Lysenko", email="zora@example.com", at=shop.lviv)
    cmd = IdentifyCustomer(
        identities=(
            NewIdentity(IdentityKind.PHONE, "+380671234567"),
            NewIdentity(IdentityKind.EMAIL, "zora@example.com"),
        ),
        location_id=shop.kyiv.id,
    )

    with pytest.raises(Conflict) as raised:
        identify_customer(cmd, shop.uow, shop.clock, an_agent(shop.kyiv))

    assert (raised.value.field, raised.value.existing_id) == ("identities[1].value", None)
    assert shop.uow.merges.list_for(anna.id) == []
    assert shop.uow.customers.get(zora.id).is_active  # type: ignore[union-attr]


def test_a_guest_known_elsewhere_reaches_an_agent_once_an_admin_links_her_on_the_record(
    shop: Shop,
) -> None:
    anna = shop.customer("Anna Kovalenko", phone="+380671234567", at=shop.lviv)
    kyiv_agent = an_agent(shop.kyiv)
    admin = Actor(id="stf_olena", label="Olena (admin)", role=Role.ADMIN)

    link_to_location(anna.id, shop.kyiv.id, "she moved to Kyiv", shop.uow, shop.clock, admin)

    assert _identify(shop, kyiv_agent, shop.kyiv.id, "0671234567").id == anna.id
    linked = [
        e for e in shop.uow.audit.list_for(anna.id, 100) if e.action == "customer.location_linked"
    ]
    assert [(e.actor_id, e.after, e.at) for e in linked] == [
        (
            "stf_olena",
            {"location_id": shop.kyiv.id, "reason": "she moved to Kyiv"},
            shop.clock.now(),
        )
    ]


def test_scoped_staff_cannot_link_a_customer_they_cannot_see(shop: Shop) -> None:
    anna = shop.customer("Anna Kovalenko", at=shop.lviv)

    with pytest.raises(NotFound):
        link_to_location(anna.id, shop.kyiv.id, "", shop.uow, shop.clock, a_manager(shop.kyiv))
    with pytest.raises(Forbidden):
        link_to_location(anna.id, shop.kyiv.id, "", shop.uow, shop.clock, a_manager(shop.lviv))


def test_an_admins_identify_across_locations_is_written_to_her_audit_log(shop: Shop) -> None:
    anna = shop.customer("Anna Kovalenko", phone="+380671234567", at=shop.lviv)
    till = Actor(id="tok_till", label="API token Kyiv till", role=Role.ADMIN)

    assert _identify(shop, till, shop.kyiv.id, "0671234567").id == anna.id

    linked = [
        e for e in shop.uow.audit.list_for(anna.id, 100) if e.action == "customer.location_linked"
    ]
    assert [(e.actor_id, e.after) for e in linked] == [("tok_till", {"location_id": shop.kyiv.id})]


def test_an_agent_must_say_at_which_of_their_locations_they_identify_a_guest(shop: Shop) -> None:
    shop.customer("Anna Kovalenko", phone="+380671234567", at=shop.lviv)
    kyiv_agent = an_agent(shop.kyiv)
    identities = (NewIdentity(IdentityKind.PHONE, "0671234567"),)

    with pytest.raises(InvalidInput) as raised:
        identify_customer(IdentifyCustomer(identities=identities), shop.uow, shop.clock, kyiv_agent)
    assert raised.value.field == "location_id"

    with pytest.raises(Forbidden) as forbidden:
        identify_customer(
            IdentifyCustomer(identities=identities, location_id=shop.lviv.id),
            shop.uow,
            shop.clock,
            kyiv_agent,
        )
    assert forbidden.value.field == "location_id"


def test_an_agent_creates_customers_only_at_their_own_locations(shop: Shop) -> None:
    kyiv_agent = an_agent(shop.kyiv)

    with pytest.raises(InvalidInput) as nowhere:
        shop.customer("Boris", by=kyiv_agent)
    with pytest.raises(Forbidden) as elsewhere:
        shop.customer("Boris", at=shop.lviv, by=kyiv_agent)

    assert nowhere.value.field == elsewhere.value.field == "home_location_id"
    assert shop.customer("Boris", at=shop.kyiv, by=kyiv_agent).location_ids == {shop.kyiv.id}


# Who may do what, persona by persona (healthchecks' hc/test.py). Every customer is at Kyiv, and
# every persona except the admin and the evaluator works there.
_PERSONAS: dict[str, Callable[[Shop], Actor]] = {
    "admin": lambda shop: shop.admin,
    "manager": lambda shop: a_manager(shop.kyiv),
    "agent": lambda shop: an_agent(shop.kyiv),
    "evaluator": lambda _shop: an_evaluator(),
}


def _merge(shop: Shop, actor: Actor) -> None:
    anna, twin = shop.customer("Anna", at=shop.kyiv), shop.customer("Anna K.", at=shop.kyiv)
    merge_customers(anna.id, twin.id, "same guest", shop.uow, shop.clock, actor)


def _undo_merge(shop: Shop, actor: Actor) -> None:
    anna, twin = shop.customer("Anna", at=shop.kyiv), shop.customer("Anna K.", at=shop.kyiv)
    merge = merge_customers(anna.id, twin.id, "same guest", shop.uow, shop.clock, shop.admin)
    undo_merge(merge.id, shop.uow, shop.clock, actor)


def _export(shop: Shop, actor: Actor) -> None:
    export_customer(shop.customer(at=shop.kyiv).id, shop.uow, shop.clock, actor)


def _erase(shop: Shop, actor: Actor) -> None:
    erase_customer(shop.customer(at=shop.kyiv).id, "her request", shop.uow, shop.clock, actor)


def _create_token(shop: Shop, actor: Actor) -> None:
    create_token(
        NewToken("Kyiv till", Role.AGENT, frozenset({shop.kyiv.id})), shop.uow, shop.clock, actor
    )


_ALLOWED: dict[Callable[[Shop, Actor], None], set[str]] = {
    _merge: {"admin", "manager"},
    _undo_merge: {"admin"},
    _export: {"admin"},
    _erase: {"admin"},
    _create_token: {"admin"},
}


@pytest.mark.parametrize("persona", list(_PERSONAS))
@pytest.mark.parametrize("use_case", list(_ALLOWED), ids=lambda f: f.__name__.strip("_"))
def test_each_role_may_do_exactly_what_it_is_granted(
    shop: Shop, persona: str, use_case: Callable[[Shop, Actor], None]
) -> None:
    actor = _PERSONAS[persona](shop)
    if persona in _ALLOWED[use_case]:
        use_case(shop, actor)
        return
    with pytest.raises(Forbidden):
        use_case(shop, actor)
