"""The interest index, told as the stories it serves: waiting lists, preferences, price watches."""

from __future__ import annotations

import itertools

import pytest

from heedful.core.interests import Bound, Interest, InterestIndex, naive_match
from heedful.core.shared.errors import Conflict, InvalidInput, NotFound

STOCK = "heedful.stock.changed"
PRICE = "heedful.price.changed"
_seq = itertools.count(1)

HANDBAG_M_KYIV = {"product": "bag-noir", "variant": "black", "size": "M", "location": "loc_kyiv"}


def waiter(name: str, **equals: str | int) -> Interest:
    """A customer on a back-in-stock waiting list, in the order they asked."""
    return Interest(
        id=f"int_{name}",
        event_type=STOCK,
        equals=equals or HANDBAG_M_KYIV,
        owner=f"promise:prm_{name}",
        created_seq=next(_seq),
    )


def watcher(name: str, *bounds: Bound, **equals: str | int) -> Interest:
    return Interest(
        id=f"int_{name}",
        event_type=PRICE,
        equals=equals,
        ranges=bounds,
        owner=f"preference:prf_{name}",
        created_seq=next(_seq),
    )


def restock(**changes: object) -> dict[str, object]:
    return {**HANDBAG_M_KYIV, "quantity": 2, "brand": "maison", **changes}


def owners(found: list[Interest]) -> list[str]:
    return [interest.owner for interest in found]


def test_the_handbag_waiting_list_is_answered_in_order_of_asking() -> None:
    index = InterestIndex()
    # Added out of order (say, reloaded from storage by id): the answer still follows asking.
    anna, boris, vera = waiter("anna"), waiter("boris"), waiter("vera")
    for interest in (vera, anna, boris):
        index.add(interest)

    assert owners(index.match(STOCK, restock())) == [
        "promise:prm_anna",
        "promise:prm_boris",
        "promise:prm_vera",
    ]


def test_a_size_s_restock_does_not_wake_the_size_m_waiters() -> None:
    index = InterestIndex([waiter("anna"), waiter("boris")])

    assert index.match(STOCK, restock(size="S")) == []
    assert index.match(STOCK, restock(location="loc_lviv")) == []


def test_a_restock_that_does_not_say_the_size_wakes_nobody_who_asked_for_one() -> None:
    index = InterestIndex([waiter("anna")])
    event = restock()
    del event["size"]

    assert index.match(STOCK, event) == []


def test_a_brand_preference_matches_every_size_and_product_of_the_brand() -> None:
    likes_maison = Interest(
        id="int_olga",
        event_type=STOCK,
        equals={"brand": "maison"},
        owner="preference:prf_olga",
        created_seq=next(_seq),
    )
    anna = waiter("anna")
    index = InterestIndex([likes_maison, anna])

    assert index.match(STOCK, restock(size="S", product="coat-12")) == [likes_maison]
    assert index.match(STOCK, restock()) == [likes_maison, anna]
    assert index.match(STOCK, restock(brand="other")) == [anna]


def test_a_price_watch_is_met_at_its_threshold_and_below_not_above() -> None:
    at_most_1200 = watcher("anna", Bound("price", "<=", 1200), product="p1", location="loc_kyiv")
    index = InterestIndex([at_most_1200])

    def meets(price: object) -> bool:
        return index.match(PRICE, {"product": "p1", "location": "loc_kyiv", "price": price}) != []

    assert meets(1200)
    assert meets(1199.99)
    assert meets(0)
    assert not meets(1200.01)
    assert not meets(1201)
    assert not meets("1100")  # a price sent as text is not a price
    assert not meets(float("nan"))
    assert not meets(None)


def test_strict_and_inclusive_thresholds_differ_only_at_the_threshold() -> None:
    below = watcher("below", Bound("price", "<", 1000))
    at_most = watcher("at_most", Bound("price", "<=", 1000))
    above = watcher("above", Bound("price", ">", 1000))
    at_least = watcher("at_least", Bound("price", ">=", 1000))
    index = InterestIndex([below, at_most, above, at_least])

    assert index.match(PRICE, {"price": 1000}) == [at_most, at_least]
    assert index.match(PRICE, {"price": 999}) == [below, at_most]
    assert index.match(PRICE, {"price": 1000.5}) == [above, at_least]


def test_a_price_band_needs_both_of_its_bounds() -> None:
    band = watcher("band", Bound("price", ">=", 500), Bound("price", "<=", 800), product="p1")
    cheap_and_in_stock = watcher("mixed", Bound("price", "<", 900), Bound("quantity", ">", 0))
    index = InterestIndex([band, cheap_and_in_stock])

    assert index.match(PRICE, {"product": "p1", "price": 650}) == [band]
    assert index.match(PRICE, {"product": "p1", "price": 850}) == []
    assert index.match(PRICE, {"product": "p1", "price": 450, "quantity": 3}) == [
        cheap_and_in_stock
    ]


def test_a_removed_waiter_is_not_told_and_the_others_keep_their_place() -> None:
    anna, boris, vera = waiter("anna"), waiter("boris"), waiter("vera")
    watch = watcher("olga", Bound("price", "<=", 1200), product="p1")
    index = InterestIndex([anna, boris, vera, watch])

    assert index.remove(boris.id) == boris
    assert index.remove(watch.id) == watch

    assert index.match(STOCK, restock()) == [anna, vera]
    assert index.match(PRICE, {"product": "p1", "price": 100}) == []
    assert len(index) == 2
    assert boris.id not in index


def test_when_the_last_interest_of_a_kind_goes_its_shape_costs_nothing_more() -> None:
    anna = waiter("anna")
    index = InterestIndex([anna])
    assert index.shapes_watching(STOCK) == 1

    index.remove(anna.id)

    assert index.shapes_watching(STOCK) == 0


def test_an_event_type_nobody_watches_costs_no_shapes() -> None:
    index = InterestIndex([waiter("anna"), watcher("olga", Bound("price", "<", 5))])

    assert index.shapes_watching("heedful.order.placed") == 0
    assert index.match("heedful.order.placed", restock()) == []


def test_the_number_of_shapes_does_not_grow_with_the_number_of_waiters() -> None:
    index = InterestIndex(
        waiter(f"w{n}", product=f"p{n % 50}", size="M", location=f"loc_{n % 7}") for n in range(500)
    )

    assert index.shapes_watching(STOCK) == 1
    assert len(index) == 500


def test_removing_an_unknown_interest_says_so() -> None:
    index = InterestIndex()

    with pytest.raises(NotFound):
        index.remove("int_nobody")


def test_the_same_interest_cannot_be_registered_twice() -> None:
    anna = waiter("anna")
    index = InterestIndex([anna])

    with pytest.raises(Conflict):
        index.add(anna)
    assert len(index) == 1


def test_an_interest_does_not_change_when_the_callers_dict_does() -> None:
    equals: dict[str, str | int] = {"product": "bag-noir"}
    anna = Interest(id="int_a", event_type=STOCK, equals=equals, owner="promise:a", created_seq=1)
    index = InterestIndex([anna])

    equals["product"] = "something-else"

    assert index.match(STOCK, {"product": "bag-noir"}) == [anna]


@pytest.mark.parametrize(
    ("build", "field"),
    [
        (lambda: Bound("price", "=<", 10), "ranges"),  # type: ignore[arg-type]
        (lambda: Bound("price", "<", float("nan")), "ranges"),
        (lambda: Bound("price", "<", "10"), "ranges"),  # type: ignore[arg-type]
        (lambda: Interest(id="", event_type=STOCK, owner="o", created_seq=1), "id"),
        (lambda: Interest(id="i", event_type=STOCK, owner="o", created_seq=True), "created_seq"),
        (
            lambda: Interest(
                id="i", event_type=STOCK, owner="o", created_seq=1, equals={"flag": True}
            ),
            "equals",
        ),
    ],
)
def test_a_malformed_interest_is_refused_with_the_field_to_fix(build: object, field: str) -> None:
    assert callable(build)
    with pytest.raises(InvalidInput) as refused:
        build()
    assert refused.value.field == field


def test_naive_match_gives_the_same_answer_in_the_same_order() -> None:
    interests = [
        waiter("anna"),
        waiter("boris"),
        Interest(id="int_x", event_type=STOCK, equals={"size": "M"}, owner="o", created_seq=0),
    ]
    index = InterestIndex(interests)

    assert index.match(STOCK, restock()) == naive_match(interests, STOCK, restock())


def test_thousands_watching_one_product_get_the_same_answers_as_a_one_by_one_check() -> None:
    # Past a couple of thousand interests a bucket changes how it keeps them sorted; the answers
    # (and their order) must not change with it, while watchers come and go.
    watches = [
        watcher(
            f"fan{n}",
            Bound("price", "<=" if n % 2 else "<", 500 + n % 700),
            *([Bound("quantity", ">", 0)] if n % 5 == 0 else []),
            product="sneaker-1",
        )
        for n in range(5_000)
    ]
    index = InterestIndex(watches)
    for gone in watches[::3]:
        index.remove(gone.id)
    standing = [w for n, w in enumerate(watches) if n % 3]

    for price, quantity in [(499, 1), (500, 0), (850, 2), (850.5, 1), (1199, 0), (1200, 3)]:
        event = {"product": "sneaker-1", "price": price, "quantity": quantity}
        assert index.match(PRICE, event) == naive_match(standing, PRICE, event)
    assert len(index.match(PRICE, {"product": "sneaker-1", "price": 1300})) == 0
    assert len(index) == len(standing)
