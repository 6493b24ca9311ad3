"""The catalog at the console, in-process: the plain item search, the picker's choices, a wish
bound to a variant with her place in line on the card and the item's page, and an unlinked wish
linked in her original place."""

from __future__ import annotations

from console_world import World, log_in
from fastapi.testclient import TestClient
from test_console_promises import boutique, post

from heedful.core.access.model import Role
from heedful.core.catalog import CatalogItem, ItemKind, upsert_item
from heedful.core.staff.model import Location


def _selene(world: World) -> None:
    now = world.container.clock.now()
    uow = world.container.uow
    upsert_item(uow(), CatalogItem("SELENE", ItemKind.PRODUCT, now, names={"en": "Selene"}))
    names = {"ru": "Селена, чёрная", "uk": "Селена, чорна", "en": "Selene, black"}
    variant = CatalogItem(
        "SELENE-BLACK", ItemKind.VARIANT, now, names=names, parent_code="selene", brand="Lypky"
    )
    upsert_item(uow(), variant)


def _wish(client: TestClient, csrf: str, customer_id: str, shop: Location, product: str) -> None:
    made = post(
        client,
        f"/customers/{customer_id}/promises",
        csrf,
        kind="tell_when_available",
        location_id=shop.id,
        product=product,
    )
    assert made.status_code == 200, made.text


def test_a_wish_picked_from_the_catalog_shows_her_place_on_the_card_and_the_item_page(
    console_client: TestClient, world: World
) -> None:
    shop = boutique(world)
    _selene(world)
    anna = world.customer("Anna Petrenko", at=shop)
    olha = world.customer("Olha Bondar", at=shop)
    world.staff("iryna", "Iryna Melnyk", Role.AGENT, language="en", at=[shop])
    csrf = log_in(console_client, "iryna")

    choices = console_client.get("/console/items/pick", params={"product": "чорна"})
    assert 'value="SELENE-BLACK"' in choices.text
    for_preference = console_client.get("/console/items/pick", params={"subject": "lypky"})
    assert 'value="SELENE-BLACK"' in for_preference.text
    card_before = console_client.get(f"/customers/{anna.id}").text
    assert 'list="preference-item-choices"' in card_before
    plain = console_client.get("/console/items", params={"q": "selene black"})
    assert "/console/items/selene-black" in plain.text
    _wish(console_client, csrf, anna.id, shop, "SELENE-BLACK")
    _wish(console_client, csrf, olha.id, shop, "selene-black ")

    card = console_client.get(f"/customers/{olha.id}").text
    assert "2nd in line for Selene, black at Podil boutique" in card
    page = console_client.get("/console/items/SELENE-BLACK").text
    assert page.index("Anna Petrenko") < page.index("Olha Bondar")
    assert page.count(">waiting in line<") == 2
    assert console_client.get("/console/items/no-such-bag").status_code == 404


def test_an_unlinked_wish_is_listed_and_linked_keeping_her_first_place(
    console_client: TestClient, world: World
) -> None:
    shop = boutique(world)
    _selene(world)
    anna = world.customer("Anna Petrenko", at=shop)
    olha = world.customer("Olha Bondar", at=shop)
    world.staff("iryna", "Iryna Melnyk", Role.AGENT, language="en", at=[shop])
    csrf = log_in(console_client, "iryna")
    _wish(console_client, csrf, anna.id, shop, "the black bag from the window")
    _wish(console_client, csrf, olha.id, shop, "SELENE-BLACK")
    listed = console_client.get("/console/items").text
    assert "the black bag from the window" in listed

    refused = post(console_client, "/console/wishes/nothing/link", csrf, code="selene-black")
    assert refused.status_code == 404
    wish_id = listed.split('id="wish-', 1)[1].split('"', 1)[0]
    wrong = console_client.post(
        f"/console/wishes/{wish_id}/link", data={"code": "no-such", "csrf_token": csrf}
    )
    assert wrong.status_code == 422
    assert "the catalog has no item no-such" in wrong.text
    linked = console_client.post(
        f"/console/wishes/{wish_id}/link", data={"code": "SELENE-BLACK", "csrf_token": csrf}
    )
    assert linked.status_code == 200  # after the redirect
    assert "No unlinked wishes." in linked.text
    card = console_client.get(f"/customers/{anna.id}").text
    assert "1st in line for Selene, black at Podil boutique" in card


def test_a_preference_naming_attributes_is_recorded_from_the_card_and_shown_there(
    console_client: TestClient, world: World
) -> None:
    shop = boutique(world)
    anna = world.customer("Anna Petrenko", at=shop)
    world.staff("iryna", "Iryna Melnyk", Role.AGENT, language="en", at=[shop])
    csrf = log_in(console_client, "iryna")
    url = f"/customers/{anna.id}/preferences"

    said = {"polarity": "like", "category": "brand", "source": "said"}
    wrong = post(console_client, url, csrf, subject="Lypky", attributes="brand", **said)
    assert wrong.status_code == 422
    assert "write each as name=value: brand" in wrong.text
    made = post(
        console_client,
        url,
        csrf,
        subject="Lypky in size M",
        attributes="Brand=Lypky, size = M",
        **said,
    )
    assert made.status_code == 200, made.text
    card = console_client.get(f"/customers/{anna.id}").text
    assert "brand: lypky · size: m" in card
