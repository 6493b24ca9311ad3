"""Reactions that keep the catalog current and turn stock into kept promises.

``item.upserted`` and ``item.retired`` keep the items; ``stock.changed`` sets a variant's level in
its own time (``catalog.record_stock``) and hands the units that arrived to back in stock, the one
home of who is told (``promises.stock_changed``).
"""

from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING

from heedful.core.catalog import (
    CatalogItem,
    Stale,
    StockMove,
    item_kind,
    names_from,
    record_stock,
    retire_item,
    upsert_item,
)
from heedful.core.engine.stock_report_names import level_of, report_code, uncatalogued_level
from heedful.core.promises import stock_changed
from heedful.core.shared.errors import InvalidInput

if TYPE_CHECKING:
    from heedful.core.engine.reactions import Reacting


def _happened_at(moment: Reacting) -> datetime:
    # The sender's own time orders the changes; an event without one happened when it came.
    return moment.stored.event.time or moment.stored.received_at


def keep_item(moment: Reacting) -> None:
    data = moment.stored.event.data
    attributes = data.get("attributes")
    try:
        item = CatalogItem(
            code=str(data["code"]),
            kind=item_kind(str(data.get("kind") or "")),
            changed_at=_happened_at(moment),
            names=names_from(data),
            parent_code=str(data.get("parent_code") or ""),
            brand=str(data.get("brand") or ""),
            size=str(data.get("size") or ""),
            colour=str(data.get("colour") or ""),
            attributes={str(k): str(v) for k, v in (attributes or {}).items()},
        )
        upsert_item(moment.uow, item)
    except (Stale, InvalidInput) as passed_over:
        moment.report.skipped.append(f"{moment.cause}: {passed_over}")


def retire(moment: Reacting) -> None:
    try:
        retire_item(moment.uow, str(moment.stored.event.data["code"]), _happened_at(moment))
    except (Stale, InvalidInput) as passed_over:
        moment.report.skipped.append(f"{moment.cause}: {passed_over}")


def tell_waiting_customers(moment: Reacting) -> None:
    """Stock changed: the level is set in the event's time, and those waiting are told."""
    event = moment.stored.event
    data = event.data
    # A location-scoped sender's stock lands only at its own locations (ADR 0029).
    location_id = moment.reads.location(moment.uow, str(data["location"]), event.sender_locations)
    if location_id is None:
        moment.report.skipped.append(f"{moment.cause}: no location {data['location']}")
        return
    quantity = None if data.get("quantity") is None else int(data["quantity"])
    code = report_code(data, lambda variant: moment.reads.catalog_item(moment.uow, variant))
    if code is None:
        if quantity is None:
            moment.report.skipped.append(f"{moment.cause}: a delta needs the variant's code")
            return
        wanted = uncatalogued_level(data, location_id)
    else:
        delta = None if quantity is not None else int(data["delta"])
        move = StockMove(code, location_id, moment.cause, _happened_at(moment), quantity, delta)
        change = record_stock(moment.uow, move)
        if change is None:
            moment.report.skipped.append(f"{moment.cause}: this stock report was heard before")
            return
        quantity = change.after
        wanted = level_of(change.item, location_id)
    restock = stock_changed(
        moment.uow,
        moment.now,
        wanted,
        quantity,
        tell_per_unit=moment.tell_per_unit,
        cause=moment.cause,
        nobody_waiting=moment.reads.nobody_waits(wanted.product, wanted.location_id),
        book=moment.reads.waiting_book(),
    )
    moment.report.told += len(restock.told)
