"""A column among a batch's keys, as one statement text whatever the batch's count.

``column IN (:a, :b, …)`` is a new statement text for every count of keys: PostgreSQL plans it
afresh each time and psycopg never prepares it (it prepares a text it has seen a few times).
The relay reads a batch's customers, their identities, consents, preferences, promises and
tasks this way, about ten such reads per batch of e-mails (issue 18). ``= ANY(:keys)`` with
the keys as one array is one text, planned once per connection and then run as prepared, and
PostgreSQL probes the column's index once per key as it does for the list (ADR 71 did the same
for the engine's claims). SQLite has no arrays and plans in microseconds: it keeps the list.
"""

from __future__ import annotations

from typing import Any

import sqlalchemy as sa
from sqlalchemy.dialects.postgresql import ARRAY
from sqlalchemy.ext.compiler import compiles
from sqlalchemy.sql.compiler import SQLCompiler
from sqlalchemy.sql.elements import ColumnElement
from sqlalchemy.sql.visitors import InternalTraversal


class OneOf(ColumnElement[bool]):
    """``column`` is one of the keys bound as ``name`` (a list, given at execution)."""

    type = sa.Boolean()
    # A comparison, as IN and = ANY are: SQLite would otherwise get "… IN (…) = 1", which it
    # cannot answer from the column's index (a scan of the whole table per batch).
    _is_implicitly_boolean = True
    inherit_cache = True
    _traverse_internals = [  # noqa: RUF012 - SQLAlchemy's own declaration, for its cache key
        ("column", InternalTraversal.dp_clauseelement),
        ("name", InternalTraversal.dp_string),
    ]

    def __init__(self, column: sa.ColumnElement[Any], name: str) -> None:
        self.column = column
        self.name = name


def one_of(column: sa.ColumnElement[Any], name: str) -> OneOf:
    return OneOf(column, name)


@compiles(OneOf)
def _as_a_list(element: OneOf, compiler: SQLCompiler, **kw: Any) -> str:
    listed = element.column.in_(sa.bindparam(element.name, expanding=True))
    return compiler.process(listed, **kw)


@compiles(OneOf, "postgresql")
def _as_an_array(element: OneOf, compiler: SQLCompiler, **kw: Any) -> str:
    keys = sa.bindparam(element.name, type_=ARRAY(sa.String))
    return compiler.process(element.column == sa.any_(keys), **kw)
