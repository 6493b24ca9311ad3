"""Case-folded text in SQL on both databases: `folded(column)`.

PostgreSQL's `lower()` folds every alphabet; SQLite's folds only ASCII, so "Доставка" would not
match "доставка". On SQLite `folded()` calls Python's own folding, registered on each connection
(`register`); on PostgreSQL it is `lower()`.
"""

from __future__ import annotations

from typing import Any

import sqlalchemy as sa
from sqlalchemy.ext.compiler import compiles
from sqlalchemy.sql.functions import GenericFunction


class folded(GenericFunction[str]):  # noqa: N801 - an SQL function, named as SQL names them
    type = sa.String()
    inherit_cache = True


@compiles(folded)
def _lower(element: folded, compiler: Any, **kw: Any) -> str:
    return f"lower({compiler.process(element.clauses, **kw)})"


@compiles(folded, "sqlite")
def _python_fold(element: folded, compiler: Any, **kw: Any) -> str:
    return f"heedful_fold({compiler.process(element.clauses, **kw)})"


def _fold(value: str | None) -> str | None:
    return value.casefold() if isinstance(value, str) else value


def register(dbapi_connection: Any) -> None:
    """Give a new SQLite connection the folding `folded()` compiles to."""
    dbapi_connection.create_function("heedful_fold", 1, _fold, deterministic=True)
