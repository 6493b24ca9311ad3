"""Bulk loading as pg_restore does it: drop keys and indexes, COPY, put them back exactly.

Keys, foreign keys and secondary indexes are read from PostgreSQL's own catalogue before the load
and rebuilt from its own definitions afterwards; the result is checked against what was there, so
the loaded database has exactly the schema the migrations made.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import psycopg
from psycopg import sql
from psycopg.rows import TupleRow
from tqdm import tqdm


@dataclass(frozen=True)
class KeysAndIndexes:
    """The constraints and indexes on the loaded tables, as PostgreSQL prints them."""

    tables: tuple[str, ...]
    constraints: list[tuple[str, str, str, str]]  # table, name, type, definition
    indexes: list[tuple[str, str]]  # name, CREATE INDEX statement

    def fingerprint(self) -> set[tuple[str, ...]]:
        return set(self.constraints) | set(self.indexes)


def read_keys_and_indexes(
    conn: psycopg.Connection[TupleRow], tables: Sequence[str]
) -> KeysAndIndexes:
    constraints = conn.execute(
        """
        SELECT conrelid::regclass::text, conname, contype::text, pg_get_constraintdef(oid)
        FROM pg_constraint
        WHERE contype IN ('p', 'u', 'f')
          AND (conrelid = ANY(%(t)s::regclass[]) OR confrelid = ANY(%(t)s::regclass[]))
        ORDER BY conname
        """,
        {"t": list(tables)},
    ).fetchall()
    indexes = conn.execute(
        """
        SELECT i.indexrelid::regclass::text, pg_get_indexdef(i.indexrelid)
        FROM pg_index i
        WHERE i.indrelid = ANY(%(t)s::regclass[])
          AND NOT EXISTS (SELECT 1 FROM pg_constraint c
                          WHERE c.conindid = i.indexrelid AND c.contype IN ('p', 'u'))
        ORDER BY 1
        """,
        {"t": list(tables)},
    ).fetchall()
    return KeysAndIndexes(tuple(tables), constraints, indexes)


def drop_keys_and_indexes(conn: psycopg.Connection[TupleRow], schema: KeysAndIndexes) -> None:
    # Foreign keys first: a primary key cannot go while a foreign key still points at it.
    for kinds in (("f",), ("p", "u")):
        for table, name, kind, _ in schema.constraints:
            if kind in kinds:
                conn.execute(
                    sql.SQL("ALTER TABLE {} DROP CONSTRAINT {}").format(
                        sql.Identifier(table), sql.Identifier(name)
                    )
                )
    for name, _ in schema.indexes:
        conn.execute(sql.SQL("DROP INDEX {}").format(sql.Identifier(name)))


def _add_constraint(table: str, name: str, definition: str) -> sql.Composed:
    # The definition is PostgreSQL's own print-out of the constraint the migration made.
    return sql.SQL("ALTER TABLE {} ADD CONSTRAINT {} {}").format(
        sql.Identifier(table), sql.Identifier(name), sql.SQL(definition)
    )


def restore_keys_and_indexes(conn: psycopg.Connection[TupleRow], schema: KeysAndIndexes) -> None:
    keys = [_add_constraint(t, n, d) for t, n, kind, d in schema.constraints if kind != "f"]
    indexes = [sql.SQL(ddl) for _, ddl in schema.indexes]
    foreign = [_add_constraint(t, n, d) for t, n, kind, d in schema.constraints if kind == "f"]
    statements: list[sql.SQL | sql.Composed] = [*keys, *indexes, *foreign]
    for statement in tqdm(statements, desc="indexes, keys", unit="step"):
        conn.execute(statement)
    if read_keys_and_indexes(conn, schema.tables).fingerprint() != schema.fingerprint():
        raise RuntimeError("the indexes and constraints after the load differ from the migrations")
