"""CloudEvents as business systems send them, for the event tests."""

from __future__ import annotations

from typing import Any


def stock_changed(event_id: str = "evt-1", **overrides: Any) -> dict[str, Any]:
    """The Kyiv store's stock system: two black handbags, size M, on hand."""
    event: dict[str, Any] = {
        "specversion": "1.0",
        "id": event_id,
        "source": "urn:shop:kyiv-stock",
        "type": "heedful.stock.changed",
        "time": "2026-03-02T09:15:00+02:00",
        "datacontenttype": "application/json",
        "data": {
            "product": "bag-noir",
            "variant": "black",
            "size": "M",
            "location": "loc_kyiv",
            "quantity": 2,
            "price": 1150,
            "currency": "UAH",
        },
    }
    event.update(overrides)
    return event


def with_data(event: dict[str, Any], **changes: Any) -> dict[str, Any]:
    data = {**event["data"], **changes}
    return {**event, "data": {k: v for k, v in data.items() if v is not ...}}
