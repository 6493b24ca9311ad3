"""A page of a preference audience with its members' preference checks, in one statement.

``SqlPlaybooks.members_liking`` (ADR 72): the page is the range of the expression index
``ix_preferences_standing_subject`` that ``customers_with_preference`` reads (the same customers
in the same order); beside each customer, her newest standing preference of the audience's
subject and of each check, as correlated scalar subqueries: each an index look-up on her
preferences (on PostgreSQL the same expression index, by subject and customer; on SQLite her
preferences by customer id, whose subjects are folded by Python, as ``folded`` does), never a
read of her other preferences into Python.

In the same statement (ADR 78): for each member who holds every check and whom the playbook has
not fired for under the once key, her customer row and locations. Each round trip to
PostgreSQL on a busy machine waited for the server's turn on a core several times longer than
the statement ran; a page is one round trip, however many of its members are kept.
"""

from __future__ import annotations

from collections.abc import Sequence
from functools import lru_cache
from typing import Any

import sqlalchemy as sa
from sqlalchemy.engine import Connection

from heedful.adapters.storage.customer_rows import customer_of
from heedful.adapters.storage.playbook_tables import playbook_firings
from heedful.adapters.storage.tables import customer_locations, customers, preferences
from heedful.adapters.storage.text_folding import folded
from heedful.core.customers.model import Customer
from heedful.core.playbooks.liking import Asked, Liked, Member
from heedful.core.preferences.model import Category

# What varies between statements: whether the audience names a category and a page comes after
# another; for each check, whether it names a category, and its subject: none, "lower" or
# "folded" (below); whether a once key's firings are left out. Values are bound.
Shape = tuple[bool, bool, tuple[tuple[bool, str], ...], bool]
_LOWER, _FOLDED = "lower", "folded"


def _subject_kind(asked: Asked) -> str:
    """How a check's subject is compared: an ASCII subject through the expression index
    (lower() and casefold agree on it; a stored subject with "ß" or "K" that casefolds to
    ASCII is missed, as the audience's own read misses it), any other folded as the engine
    folds, on SQLite by Python's casefold (exact), on PostgreSQL by lower()."""
    if asked.subject is None:
        return ""
    return _LOWER if asked.subject.isascii() else _FOLDED


def _audience_page(names_category: bool, after: bool) -> sa.Subquery:
    # As customers_with_preference: lower() folds ASCII on SQLite, everything on PostgreSQL;
    # the engine confirms each member's preference with casefold (can miss, never include).
    p = preferences.c
    # Her preferences in the range: nearly always one, which is then her newest (below).
    query = sa.select(
        p.customer_id,
        sa.func.count().label("in_range"),
        sa.func.min(p.subject).label("subject"),
        sa.func.min(p.category).label("category"),
    ).where(
        sa.func.lower(p.subject) == sa.bindparam("audience_subject"),
        p.polarity == sa.bindparam("audience_polarity"),
        p.retracted_at.is_(None),
    )
    if names_category:
        query = query.where(p.category == sa.bindparam("audience_category"))
    if after:
        query = query.where(p.customer_id > sa.bindparam("after"))
    query = query.group_by(p.customer_id).order_by(p.customer_id)
    return query.limit(sa.bindparam("page_size")).subquery("page")


def _newest(
    name: str,
    customer_id: sa.ColumnElement[Any],
    column: str,
    names: tuple[bool, str],
) -> sa.ScalarSelect[Any]:
    """Her newest standing preference as asked (recorded_at, then id, as her standing list is
    ordered): one column of it. ``names``: whether a category and a subject are asked."""
    mine = preferences.alias()
    where = [
        mine.c.customer_id == customer_id,
        mine.c.polarity == sa.bindparam(f"{name}_polarity"),
        mine.c.retracted_at.is_(None),
    ]
    names_category, names_subject = names
    if names_category:
        where.append(mine.c.category == sa.bindparam(f"{name}_category"))
    if names_subject == _FOLDED:
        # Her subjects folded as the engine folds them (Python's casefold on SQLite), read
        # through her preferences by customer id: each row fetched, several times slower.
        where.append(folded(mine.c.subject) == sa.bindparam(f"{name}_subject"))
    elif names_subject:
        # The expression index: ASCII folds the same in lower() and casefold.
        where.append(sa.func.lower(mine.c.subject) == sa.bindparam(f"{name}_subject"))
    return (
        sa.select(mine.c[column])
        .where(*where)
        .order_by(mine.c.recorded_at.desc(), mine.c.id)
        .limit(1)
        .scalar_subquery()
    )


@lru_cache(maxsize=64)
def _statement(shape: Shape) -> sa.Select[Any]:
    """Built once per shape: building the statement cost more than SQLite's running it."""
    names_category, after, checks, once = shape
    page = _audience_page(names_category, after)
    columns: list[Any] = [page.c.customer_id]
    for name, names in [("audience", (names_category, _LOWER)), *_named(checks)]:
        for column in ("subject", "category") if not names[0] else ("subject",):
            newest: Any = _newest(name, page.c.customer_id, column, names)
            if name == "audience":
                # One preference in the page's range is her newest: the page read it already,
                # and her preferences are looked up again only when she has several there (a
                # third of the statement's buffers at the size).
                newest = sa.case((page.c.in_range == 1, page.c[column]), else_=newest)
            columns.append(newest.label(f"{name}_{column[0]}"))
    # Its own LIMIT keeps the subqueries computed once a member, below the joins (a derived
    # table with a LIMIT is neither flattened by SQLite nor pulled up by PostgreSQL).
    member = (
        sa.select(*columns)
        .order_by(page.c.customer_id)
        .limit(sa.bindparam("page_size"))
        .subquery("member")
    )
    kept: list[sa.ColumnElement[bool]] = [
        member.c[f"{name}_s"].is_not(None) for name, _ in _named(checks)
    ]
    if once:
        f = playbook_firings.c
        kept.append(
            ~sa.exists().where(
                f.playbook_id == sa.bindparam("once_playbook"),
                f.customer_id == member.c.customer_id,
                f.once_key == sa.bindparam("once_key"),
            )
        )
    # Her customer row only for a member kept: the key is NULL for the others, so neither
    # database looks her up (an outer join's condition on the member alone would still probe).
    key = sa.case((sa.and_(*kept), member.c.customer_id)) if kept else member.c.customer_id
    joined = member.outerjoin(customers, customers.c.id == key).outerjoin(
        customer_locations, customer_locations.c.customer_id == customers.c.id
    )
    customer_columns = [c.label(f"her_{c.name}") for c in customers.c]
    return (
        sa.select(*member.c, *customer_columns, customer_locations.c.location_id)
        .select_from(joined)
        .order_by(member.c.customer_id)
    )


def _named(checks: tuple[tuple[bool, str], ...]) -> list[tuple[str, tuple[bool, str]]]:
    return [(f"check{number}", names) for number, names in enumerate(checks)]


def _values(
    audience: Asked,
    checks: Sequence[Asked],
    after: str | None,
    limit: int,
    once: tuple[str, str] | None,
) -> dict[str, Any]:
    values: dict[str, Any] = {
        "audience_subject": (audience.subject or "").lower(),
        "audience_polarity": audience.polarity.value,
        "page_size": limit,
    }
    if audience.category is not None:
        values["audience_category"] = audience.category.value
    if after is not None:
        values["after"] = after
    if once is not None:
        values["once_playbook"], values["once_key"] = once
    for number, asked in enumerate(checks):
        values[f"check{number}_polarity"] = asked.polarity.value
        if asked.category is not None:
            values[f"check{number}_category"] = asked.category.value
        if asked.subject is not None:
            kind = _subject_kind(asked)
            folding = str.lower if kind == _LOWER else str.casefold
            values[f"check{number}_subject"] = folding(asked.subject)
    return values


def _liked(
    asked: Asked, row: Any, at: int, known: dict[tuple[Any, Any], Liked]
) -> tuple[Liked | None, int]:
    """The Liked in the row's columns from ``at`` on, and where the next one starts.

    ``known``: those built for this page and asked, by (subject, category): a page's members
    mostly share a brand and a size, and building one was a tenth of a page's CPU."""
    subject = row[at]
    if asked.category is None:
        category, width = row[at + 1], 2
    else:
        category, width = asked.category.value, 1
    if subject is None:
        return None, at + width
    liked = known.get((subject, category))
    if liked is None:
        liked = known[subject, category] = Liked(asked.polarity, Category(category), subject)
    return liked, at + width


def members_liking(
    conn: Connection,
    audience: Asked,
    checks: Sequence[Asked],
    after: str | None,
    limit: int,
    once: tuple[str, str] | None = None,
) -> list[Member]:
    shape: Shape = (
        audience.category is not None,
        after is not None,
        tuple((c.category is not None, _subject_kind(c)) for c in checks),
        once is not None,
    )
    rows = conn.execute(_statement(shape), _values(audience, checks, after, limit, once))
    # A row per member, or per location of a member kept (in customer id order); by position
    # (the member's columns, hers, then a location id): a page is read for every event.
    firsts: dict[str, Any] = {}
    locations: dict[str, set[str]] = {}
    for row in rows:
        customer_id, location_id = row[0], row[-1]
        if customer_id not in firsts:
            firsts[customer_id], locations[customer_id] = row, set()
        if location_id is not None:
            locations[customer_id].add(location_id)
    known: list[dict[tuple[Any, Any], Liked]] = [{} for _ in range(len(checks) + 1)]
    return [_member(audience, checks, row, locations[i], known) for i, row in firsts.items()]


_HER_COLUMNS = tuple(c.name for c in customers.c)


def _member(
    audience: Asked,
    checks: Sequence[Asked],
    row: Any,
    location_ids: set[str],
    known: list[dict[tuple[Any, Any], Liked]],
) -> Member:
    liked, at = _liked(audience, row, 1, known[0])
    held: list[Liked | None] = []
    for asked, built in zip(checks, known[1:], strict=True):
        found, at = _liked(asked, row, at, built)
        held.append(found)
    # The page holds only customers with such a preference: liked is never None here.
    assert liked is not None
    customer: Customer | None = None
    if row[at] is not None:  # her id: she is kept
        her = dict(zip(_HER_COLUMNS, row[at : at + len(_HER_COLUMNS)], strict=True))
        customer = customer_of(her, location_ids)
    return Member(row[0], liked, tuple(held), customer)
