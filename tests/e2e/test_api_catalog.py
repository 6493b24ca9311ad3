"""The catalog through the HTTP API, on SQLite and PostgreSQL: the picker's search, an item's
stock at your locations, unlinked wishes, and linking one with an Idempotency-Key."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from heedful.core.catalog import CatalogItem, ItemKind, StockMove, record_stock, upsert_item

if TYPE_CHECKING:
    from api_personas import ApiWorld

pytest_plugins = ["api_personas"]
PROBLEM = "application/problem+json"


def _selene(world: ApiWorld) -> None:
    now = world.clock.now()
    uow = world.container.uow
    upsert_item(uow(), CatalogItem("SELENE", ItemKind.PRODUCT, now, names={"en": "Selene"}))
    names = {"ru": "Селена, чёрная", "uk": "Селена, чорна", "en": "Selene, black"}
    variant = CatalogItem(
        "SELENE-BLACK", ItemKind.VARIANT, now, names=names, parent_code="selene", brand="Lypky"
    )
    upsert_item(uow(), variant)
    for location in (world.location_a, world.location_b):
        record_stock(uow(), StockMove("selene-black", location.id, f"count-{location.id}", now, 0))


def test_the_picker_finds_items_in_any_language_and_shows_stock_only_at_your_locations(
    api_world: ApiWorld,
) -> None:
    _selene(api_world)
    agent = api_world.api(api_world.agent_a)
    found = agent.get("/items", params={"q": "ЧОРНА"}).json()
    assert [item["code"] for item in found] == ["selene-black"]
    assert found[0]["shown_code"] == "SELENE-BLACK"
    assert agent.get("/items", params={"q": ""}).json() == []
    item = agent.get("/items/Selene-Black").json()
    assert [level["location_id"] for level in item["stock"]] == [api_world.location_a.id]
    everywhere = api_world.api(api_world.admin).get("/items/selene-black").json()
    assert len(everywhere["stock"]) == 2


def test_a_wish_for_an_unknown_item_is_listed_and_linked_once_whatever_the_retries(
    api_world: ApiWorld,
) -> None:
    _selene(api_world)
    admin, agent = api_world.api(api_world.admin), api_world.api(api_world.agent_a)
    anna = admin.create_customer("Anna", home_location_id=api_world.location_a.id)["id"]
    body: dict[str, Any] = {
        "kind": "tell_when_available",
        "location_id": api_world.location_a.id,
        "item": {"product": "The black Selene she saw in the window"},
    }
    wish = agent.post(f"/customers/{anna}/promises", json=body).json()
    unlinked = agent.get("/wishes/unlinked").json()
    assert [w["id"] for w in unlinked] == [wish["id"]]
    assert api_world.api(api_world.agent_b).get("/wishes/unlinked").json() == []

    key = {"Idempotency-Key": "link-anna-selene"}
    answers = [
        agent.post(f"/promises/{wish['id']}/link", json={"code": "SELENE-BLACK"}, headers=key)
        for _ in range(2)
    ]
    assert [a.status_code for a in answers] == [200, 200]
    assert answers[0].json() == answers[1].json()
    assert answers[0].json()["item"] == {
        "product": "selene",
        "variant": "selene-black",
        "size": "",
    }
    assert agent.get("/wishes/unlinked").json() == []

    refused = agent.post(f"/promises/{wish['id']}/link", json={"code": "no-such-bag"})
    assert refused.status_code == 422
    assert refused.headers["content-type"] == PROBLEM
    assert refused.json()["field"] == "code"
    empty = agent.post(f"/promises/{wish['id']}/link", json={"code": ""})
    assert empty.status_code == 422
    assert empty.headers["content-type"] == PROBLEM
    assert "code" in empty.text
