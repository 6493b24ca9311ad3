"""Who a playbook's audience is, read a page at a time and never silently capped (ADR 34).

An audience of past guests (``history_at``) or of those with a preference (``preference``) is
read in pages of AUDIENCE_PAGE customer ids; a preference audience whose checks the store can
answer is read with them (``member_pages``, ADR 72). A stated cap stops the pages and reports
those it left out.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from datetime import datetime, timedelta
from functools import partial
from operator import attrgetter
from typing import TypeVar

from heedful.core.events import BusinessEvent, location_named
from heedful.core.playbooks.conditions import MISSING, value_at, wanted_text
from heedful.core.playbooks.liking import Asked, Member, asked
from heedful.core.playbooks.model import AUDIENCE_PAGE, PlaybookBody
from heedful.core.unit_of_work import UnitOfWork


def event_location(
    uow: UnitOfWork, event: BusinessEvent, path: str = "data.location"
) -> str | None:
    ref = value_at(event, path)
    if ref is MISSING or not isinstance(ref, str):
        return None
    return location_named(uow, ref, event.sender_locations)


PageReader = Callable[[str | None, int], list[str]]
LEFT_OUT_NAMED = 20  # customer ids named in a report of those a stated cap left out
Row = TypeVar("Row")


def audience_subject(body: PlaybookBody, event: BusinessEvent) -> str:
    """The subject a preference audience is read by: the rule's, or the event's field's."""
    rule = body.audience.preference if body.audience is not None else None
    assert rule is not None
    if rule.subject_of is None:
        return rule.subject
    value = value_at(event, rule.subject_of)
    return "" if value is MISSING else str(value).strip()


def _audience_reader(
    uow: UnitOfWork, body: PlaybookBody, event: BusinessEvent, at: datetime
) -> PageReader | None:
    """Reads the audience one page at a time (after the last id of the page before)."""
    audience = body.audience
    assert audience is not None
    if audience.history_at is not None:
        location_id = event_location(uow, event, audience.history_at)
        if location_id is None:
            return None
        since = at - timedelta(days=audience.within_days)
        return partial(uow.playbooks.customers_with_history_at, location_id, since)
    rule = audience.preference
    assert rule is not None
    subject = audience_subject(body, event)
    if not subject:
        return None
    return partial(uow.playbooks.customers_with_preference, rule.polarity, rule.category, subject)


def audience_pages(
    uow: UnitOfWork,
    body: PlaybookBody,
    event: BusinessEvent,
    at: datetime,
    left_out: list[str] | None = None,
) -> Iterator[list[str]]:
    """Every customer of the audience, a page at a time; never silently fewer.

    Under a stated cap (``limit``) the pages stop there, and the customers after it are counted
    and named (the first LEFT_OUT_NAMED, in the audience's order) into ``left_out``.
    """
    audience = body.audience
    assert audience is not None
    read = _audience_reader(uow, body, event, at)
    if read is None:
        return
    yield from _pages(read, str, audience.limit, left_out)


def member_pages(
    uow: UnitOfWork,
    body: PlaybookBody,
    event: BusinessEvent,
    left_out: list[str] | None = None,
    once: tuple[str, str] | None = None,
) -> Iterator[list[Member]]:
    """As ``audience_pages`` for a preference audience the store can check (``liking``): the
    same customers in the same pages, each with what she holds of the customer conditions'
    preference checks, and as a ``Customer`` if she holds them all and the playbook has not
    fired for her under ``once`` (playbook id, once key)."""
    audience = body.audience
    assert audience is not None
    assert audience.preference is not None
    subject = audience_subject(body, event)
    if not subject:
        return
    rule = audience.preference
    checks = [asked(r, wanted_text(r, event)) for r in body.customer.preferences]
    ask = Asked(rule.polarity, rule.category, subject)
    read = partial(uow.playbooks.members_liking, ask, checks, once=once)
    yield from _pages(read, attrgetter("customer_id"), audience.limit, left_out)


def _pages(
    read: Callable[[str | None, int], list[Row]],
    id_of: Callable[[Row], str],
    cap: int | None,
    left_out: list[str] | None,
) -> Iterator[list[Row]]:
    taken, after = 0, None
    while cap is None or taken < cap:
        size = AUDIENCE_PAGE if cap is None else min(AUDIENCE_PAGE, cap - taken)
        page = read(after, size)
        if page:
            yield page
        if len(page) < size:
            return
        taken, after = taken + len(page), id_of(page[-1])
    named: list[str] = []
    count = 0
    while True:
        page = read(after, AUDIENCE_PAGE)
        count += len(page)
        named.extend(id_of(row) for row in page[: LEFT_OUT_NAMED - len(named)])
        if len(page) < AUDIENCE_PAGE:
            break
        after = id_of(page[-1])
    if count and left_out is not None:
        more = ", ..." if count > len(named) else ""
        left_out.append(
            f"audience capped at {cap}: {count} more left out ({', '.join(named)}{more})"
        )
