"""A message quotes what Heedful knows of her (ADR 0049): her "never" and her place in line are
filled in by the relay from state, never left blank."""

from __future__ import annotations

from unit.ledger_world import a_ledger_world

from heedful.adapters.channels.composer import JinjaComposer
from heedful.adapters.channels.rendering import JinjaTemplateChecker
from heedful.core.catalog import CatalogItem, ItemKind, upsert_item
from heedful.core.engine.relay import Relay
from heedful.core.outreach import DEFAULT_TEMPLATES, MessageTemplate
from heedful.core.outreach.own_templates import save_template
from heedful.core.preferences.handlers import RecordPreference, record_preference
from heedful.core.preferences.model import Category, Polarity, Source
from heedful.core.promises.handlers import MakePromise, make_promise
from heedful.core.promises.model import PromiseKind, WantedItem


def test_her_never_and_her_place_are_filled_in_from_state() -> None:
    world = a_ledger_world()
    shop = world.shop
    upsert_item(
        world.uow,
        CatalogItem("LB-205", ItemKind.PRODUCT, shop.clock.now(), names={"uk": "Сумка LB-205"}),
    )
    own = MessageTemplate(
        "waiting_line_joined",
        "uk",
        "Місце {{ line.position }}",
        "Ви {{ line.position }}-і в черзі за «{{ line.item }}». "
        "Пам'ятаємо: жодних {{ customer.preferences.never | join(', ') }}.",
    )
    save_template(own, DEFAULT_TEMPLATES, JinjaTemplateChecker(), world.uow, shop.clock, shop.admin)
    olena = world.customer("Олена", email="olena@example.com")
    record_preference(
        RecordPreference(olena.id, Polarity.NEVER, "горіхи", Category.FOOD, source=Source.SAID),
        world.uow,
        shop.clock,
        shop.admin,
    )
    kyiv = shop.kyiv.id
    item = WantedItem("lb-205", kyiv)
    cmd = MakePromise(olena.id, PromiseKind.TELL_WHEN_AVAILABLE, kyiv, item=item)
    make_promise(cmd, world.uow, shop.clock, world.assistant)

    relay = Relay(senders={"email": world.mailbox}, composer=JinjaComposer(DEFAULT_TEMPLATES))
    assert relay.run(lambda: world.uow, shop.clock).sent == 1

    [mail] = world.mailbox.received
    assert mail.subject == "Місце 1"
    assert mail.text == "Ви 1-і в черзі за «Сумка LB-205». Пам'ятаємо: жодних горіхи."
