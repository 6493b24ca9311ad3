"""Reading CloudEvents 1.0 (structured JSON): what is kept, what is refused and why."""

from __future__ import annotations

import json
from datetime import UTC, datetime
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from unit.events.event_samples import stock_changed, with_data

from heedful.core.events.cloudevents import InvalidEvent, parse_event, storable_text_only
from heedful.core.events.model import BusinessEvent
from heedful.core.events.types import EVENT_TYPES


def refusal(raw: object) -> tuple[str, str]:
    with pytest.raises(InvalidEvent) as caught:
        parse_event(raw)
    return caught.value.reason, caught.value.field or ""


def test_a_stock_change_is_read_with_its_time_in_utc_and_data_as_sent() -> None:
    event = parse_event(stock_changed(subject="bag-noir/M"))
    assert event.key == ("urn:shop:kyiv-stock", "evt-1")
    assert event.type == "heedful.stock.changed"
    assert event.subject == "bag-noir/M"
    assert event.time == datetime(2026, 3, 2, 7, 15, tzinfo=UTC)
    assert event.data["quantity"] == 2
    assert event.data["size"] == "M"


def test_a_time_in_zulu_is_read_and_the_time_may_be_left_out() -> None:
    assert parse_event(stock_changed(time="2026-03-02T07:15:00.5Z")).time == datetime(
        2026, 3, 2, 7, 15, 0, 500000, tzinfo=UTC
    )
    without = stock_changed()
    del without["time"]
    assert parse_event(without).time is None


@pytest.mark.parametrize("missing", ["specversion", "id", "source", "type"])
def test_each_required_attribute_is_named_when_missing(missing: str) -> None:
    event = stock_changed()
    del event[missing]
    assert refusal(event) == (f"{missing} is required", missing)


@pytest.mark.parametrize(
    ("attribute", "value"),
    [("id", ""), ("source", 42), ("type", ["heedful.stock.changed"]), ("subject", "")],
)
def test_attributes_must_be_non_empty_strings(attribute: str, value: Any) -> None:
    assert refusal(stock_changed(**{attribute: value})) == (
        f"{attribute} must be a non-empty string",
        attribute,
    )


def test_only_cloudevents_1_0_is_read() -> None:
    assert refusal(stock_changed(specversion="0.3")) == ('specversion must be "1.0"', "specversion")


def test_an_unknown_type_is_refused_naming_the_type() -> None:
    assert refusal(stock_changed(type="com.example.stock.changed")) == (
        "unknown event type: register it at /api/v1/event-types",
        "type",
    )


@pytest.mark.parametrize(
    "time", ["2026-03-02T09:15:00", "2026-03-02", "yesterday", "2026-13-02T09:15:00Z", 1772435700]
)
def test_a_time_without_an_offset_or_not_rfc_3339_is_refused(time: object) -> None:
    reason, field = refusal(stock_changed(time=time))
    assert field == "time"
    assert "RFC 3339" in reason


def test_data_must_be_json() -> None:
    assert refusal(stock_changed(datacontenttype="application/xml"))[1] == "datacontenttype"
    assert isinstance(
        parse_event(stock_changed(datacontenttype="application/json; charset=utf-8")), BusinessEvent
    )
    assert refusal(stock_changed(data_base64="eyJhIjoxfQ==")) == (
        "heedful.stock.changed events carry data as a JSON object",
        "data_base64",
    )
    assert refusal(stock_changed(data="2 bags"))[1] == "data"


def test_extension_attributes_are_kept_and_their_names_checked() -> None:
    event = parse_event(stock_changed(traceparent="00-abc-01", partition=7, replayed=False))
    assert event.extensions == {"traceparent": "00-abc-01", "partition": 7, "replayed": False}
    assert refusal(stock_changed(TraceParent="x"))[1] == "TraceParent"
    assert refusal(stock_changed(trace_parent="x"))[1] == "trace_parent"
    assert refusal(stock_changed(averyveryverylongname1="x"))[1] == "averyveryverylongname1"
    assert refusal(stock_changed(nested={"a": 1}))[1] == "nested"


def test_quantities_are_whole_non_negative_json_numbers() -> None:
    assert refusal(with_data(stock_changed(), quantity=-1)) == (
        "quantity must not be negative",
        "data.quantity",
    )
    assert refusal(with_data(stock_changed(), quantity="2"))[1] == "data.quantity"
    assert refusal(with_data(stock_changed(), quantity=1.5))[1] == "data.quantity"
    assert refusal(with_data(stock_changed(), quantity=True))[1] == "data.quantity"
    assert parse_event(with_data(stock_changed(), quantity=0)).data["quantity"] == 0


def test_prices_are_json_numbers_not_strings() -> None:
    assert refusal(with_data(stock_changed(), price="1150,00")) == (
        "price must be a JSON number",
        "data.price",
    )
    assert parse_event(with_data(stock_changed(), price=1149.5)).data["price"] == 1149.5


def test_a_required_data_field_is_named_when_missing_and_optional_ones_may_be_left_out() -> None:
    assert refusal(with_data(stock_changed(), location=...)) == (
        "location is required",
        "data.location",
    )
    assert isinstance(
        parse_event(with_data(stock_changed(), variant=..., size=..., price=...)), BusinessEvent
    )


def test_fields_a_type_does_not_list_are_kept() -> None:
    event = parse_event(with_data(stock_changed(), brand="Noir", warehouse_bin="A-17"))
    assert event.data["brand"] == "Noir"


def test_text_postgresql_cannot_store_is_refused_where_it_is() -> None:
    assert refusal(stock_changed(id="evt\x00"))[1] == "id"
    assert refusal(with_data(stock_changed(), note={"lines": ["ok", "bad\x00"]}))[1] == (
        "data.note.lines[1]"
    )
    assert refusal(with_data(stock_changed(), product="\ud800"))[1] == "data.product"


def test_a_purchase_names_its_customer_by_one_identity() -> None:
    purchase: dict[str, Any] = {
        "specversion": "1.0",
        "id": "rcpt-77",
        "source": "urn:till:kyiv-1",
        "type": "heedful.purchase.made",
        "data": {
            "customer": {"phone": "+380671234567"},
            "location": "loc_kyiv",
            "items": [{"product": "flat white", "size": "M"}],
            "total": 95,
            "currency": "UAH",
        },
    }
    assert parse_event(purchase).data["customer"] == {"phone": "+380671234567"}
    nobody = {**purchase, "data": {**purchase["data"], "customer": {"name": "Olena"}}}
    assert refusal(nobody)[1] == "data.customer"
    loose_items = {**purchase, "data": {**purchase["data"], "items": ["flat white"]}}
    assert refusal(loose_items) == ("items must be a list of objects", "data.items")


def test_a_scheduled_charge_needs_a_due_time_with_an_offset() -> None:
    charge: dict[str, Any] = {
        "specversion": "1.0",
        "id": "chg-1",
        "source": "urn:bank:core",
        "type": "heedful.charge.scheduled",
        "data": {
            "customer": {"id": "cus_1"},
            "account": "UA21-0001",
            "amount": 499.0,
            "balance": 120.5,
            "currency": "UAH",
            "due_at": "2026-03-05T00:00:00+02:00",
        },
    }
    assert isinstance(parse_event(charge), BusinessEvent)
    charge["data"]["due_at"] = "2026-03-05"
    assert refusal(charge)[1] == "data.due_at"


def test_every_type_heedful_knows_is_registered() -> None:
    assert set(EVENT_TYPES) == {
        "heedful.stock.changed",
        "heedful.item.upserted",
        "heedful.item.retired",
        "heedful.price.changed",
        "heedful.purchase.made",
        "heedful.visit.recorded",
        "heedful.charge.scheduled",
        "heedful.offer.published",
        "heedful.order.delivered",
        "heedful.refund.requested",
        "heedful.refund.issued",
        "heedful.conversation.resolved",
        "heedful.booking.upserted",
        "heedful.booking.cancelled",
        "heedful.stay.completed",
        "heedful.reservation.upserted",
        "heedful.reservation.cancelled",
        "heedful.order.upserted",
        "heedful.account.upserted",
        "heedful.owner.assigned",
        "heedful.account.at_risk",
    }


def _outcome(raw: object, *, text_checked: bool) -> object:
    try:
        return parse_event(raw, text_checked=text_checked)
    except InvalidEvent as problem:
        return (problem.reason, problem.field)


_ANY_TEXT = st.text(st.characters(codec=None, categories=None), max_size=6)


@settings(max_examples=300, suppress_health_check=[HealthCheck.too_slow])
@given(
    product=_ANY_TEXT,
    note=st.lists(_ANY_TEXT, max_size=3),
    extension=_ANY_TEXT,
    ascii_only=st.booleans(),
)
def test_a_body_judged_free_of_bad_text_reads_the_same_without_checking_each_string(
    product: str, note: list[str], extension: str, ascii_only: bool
) -> None:
    # Whatever text a sender puts in (NUL, lone surrogates, Hangul, escapes), when the body passes
    # storable_text_only, skipping the per-string checks changes no answer.
    event = with_data(stock_changed(traceparent=extension), product=product, note=note)
    body = json.dumps(event, ensure_ascii=ascii_only).encode("utf-8", "surrogatepass")
    raw = json.loads(body)
    checked = _outcome(raw, text_checked=False)
    if storable_text_only(body):
        assert _outcome(raw, text_checked=True) == checked


def test_a_body_with_a_nul_or_a_lone_surrogate_is_never_judged_free_of_bad_text() -> None:
    for bad in ("bag\x00", "\ud800", "ok\udfff"):
        for ascii_only in (True, False):
            body = json.dumps(with_data(stock_changed(), product=bad), ensure_ascii=ascii_only)
            assert not storable_text_only(body.encode("utf-8", "surrogatepass"))
    assert storable_text_only(json.dumps(stock_changed(), ensure_ascii=False).encode())


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"quantity": 10**20}, "data.quantity"),
        ({"quantity": 1_000_000_001}, "data.quantity"),
        ({"quantity": 1e300}, "data.quantity"),
        ({"price": 10**13}, "data.price"),
        ({"price": -1e13}, "data.price"),
        ({"product": "b" * 201}, "data.product"),
        ({"size": "M" * 201}, "data.size"),
    ],
    ids=repr,
)
def test_numbers_and_texts_beyond_their_documented_range_are_refused_naming_the_field(
    changes: dict[str, Any], field: str
) -> None:
    reason, named = refusal(with_data(stock_changed(), **changes))
    assert named == field
    assert field.removeprefix("data.") in reason


def test_the_edges_of_each_range_are_accepted() -> None:
    edge = with_data(stock_changed(), quantity=1_000_000_000, price=10**12, product="b" * 200)
    assert parse_event(edge).data["quantity"] == 1_000_000_000
    assert parse_event(with_data(stock_changed(), price=-(10**12))).data["price"] == -(10**12)


def test_a_customer_named_by_too_long_an_identity_is_refused_naming_that_key() -> None:
    charge: dict[str, Any] = {
        "specversion": "1.0",
        "id": "chg-1",
        "source": "urn:bank:core",
        "type": "heedful.charge.scheduled",
        "data": {
            "customer": {"email": "a" * 300 + "@example.com"},
            "account": "UA-1",
            "amount": 10**15,
            "balance": 10,
            "currency": "UAH",
            "due_at": "2026-03-05T09:00:00+02:00",
        },
    }
    assert refusal(charge)[1] == "data.customer.email"
    charge["data"]["customer"] = {"email": "olena@example.com"}
    assert refusal(charge) == (
        "amount must be between -1,000,000,000,000 and 1,000,000,000,000",
        "data.amount",
    )


def test_an_order_names_a_known_status_and_its_days_as_dates() -> None:
    order: dict[str, Any] = {
        "specversion": "1.0",
        "id": "ord-1",
        "source": "urn:shop:web",
        "type": "heedful.order.upserted",
        "data": {
            "customer": {"email": "anna@example.com"},
            "location": "web",
            "order": "1042",
            "status": "shipped",
            "promised": "2026-02-13",
            "expected": "2026-02-16",
        },
    }
    assert isinstance(parse_event(order), BusinessEvent)
    order["data"]["status"] = "lost"
    assert refusal(order) == (
        "status must be one of new, processing, shipped, at_pickup, delivered, completed, "
        "cancelled, returned",
        "data.status",
    )
    order["data"]["status"] = "new"
    order["data"]["promised"] = "13.02.2026"
    assert refusal(order)[1] == "data.promised"
    order["data"]["promised"] = "2026-02-30"
    assert refusal(order)[1] == "data.promised"


def test_a_stock_change_names_a_code_or_a_product_and_a_level_or_a_delta() -> None:
    by_code = with_data(stock_changed(), product=..., variant=..., size=..., code="SELENE-BLACK")
    assert isinstance(parse_event(by_code), BusinessEvent)
    sold = with_data(by_code, quantity=..., delta=-1)
    assert parse_event(sold).data["delta"] == -1
    assert refusal(with_data(by_code, delta=2))[1] == "data.delta"  # a level and a delta
    assert refusal(with_data(by_code, quantity=...))[1] == "data.quantity"  # neither
    assert refusal(with_data(by_code, quantity=..., delta=1.5))[1] == "data.delta"
    assert refusal(with_data(stock_changed(), product=...))[1] == "data.code"


def test_an_item_upserted_carries_its_code_and_attributes_as_an_object() -> None:
    item: dict[str, Any] = {
        "specversion": "1.0",
        "id": "item-1",
        "source": "urn:shop:catalog",
        "type": "heedful.item.upserted",
        "data": {"code": "SELENE-BLACK", "kind": "variant", "attributes": {"material": "calf"}},
    }
    assert isinstance(parse_event(item), BusinessEvent)
    item["data"]["attributes"] = ["calf"]
    assert refusal(item)[1] == "data.attributes"
