"""Every GET route reads in read-only units of work, unless it writes on purpose (issue 18, ADR 74).

On SQLite a writing unit of work waits for the write turn, behind the worker's batch; a read-only
one reads beside it (ADR 70). A GET that opened a writing one by habit made a page slow under load
for nothing. This walks every GET route the application has (the API, the console, the public
pages), as an admin, and counts the writing units of work each opens: a route that opens one and
is not on ``WRITES_ON_PURPOSE`` (each with the reason) fails, so a new route cannot slip back.

Ids in paths are a real customer's and location's where the route takes one, and a missing id
elsewhere: a route opens its unit of work before it knows whether the thing exists, so a 404 still
shows which kind it asked for.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, datetime

import pytest
import sqlalchemy as sa
from console_world import World, log_in
from fastapi import FastAPI
from fastapi.routing import APIRoute
from fastapi.testclient import TestClient

from heedful.bootstrap import Container
from heedful.core.access.model import SYSTEM, Role
from heedful.core.promises.handlers import MakePromise, make_promise
from heedful.core.promises.model import PromiseKind
from heedful.core.shared.clock import FrozenClock
from heedful.core.staff.handlers import NewToken, create_token
from heedful.core.unit_of_work import UnitOfWork
from heedful.entrypoints.token_cache import TokenCache
from heedful.entrypoints.web import create_app

# GET routes that open a writing unit of work on purpose, with the reason. Keep it short: a read
# that writes waits for the worker's batch on SQLite.
WRITES_ON_PURPOSE: dict[str, str] = {
    "/api/v1/customers/{customer_id}/export": "the export is recorded in her audit log",
}

# Values for path and query parameters, by name; any other path parameter gets a missing id.
MISSING = "missing-0000"
DUE = datetime(2026, 3, 3, 12, 0, tzinfo=UTC)
FIXED = {
    "year": "2026",
    "number": "1",
    "wave": "2026-03",
    "name": "heedful.stock.changed",
    "kind": "phone",
    "value": "+380501234567",
    "q": "Olena",
    "arriving": "today",
}


@dataclass
class Counted:
    """How many units of work of each kind the application opened so far."""

    writing: int = 0
    read_only: int = 0


def counting(container: Container) -> Counted:
    counted = Counted()
    writer, reader = container.uow_factory, container.reader_factory
    assert reader is not None

    def write() -> UnitOfWork:
        counted.writing += 1
        return writer()

    def read() -> UnitOfWork:
        counted.read_only += 1
        return reader()

    container.uow_factory, container.reader_factory = write, read
    return counted


def get_routes(app: FastAPI) -> Iterator[tuple[str, list[str]]]:
    """Every GET route, those of included routers too: its path template and the names of the
    query parameters it requires."""
    for route in app.routes:
        contexts = getattr(route, "effective_route_contexts", None)
        found = [route] if isinstance(route, APIRoute) else list(contexts()) if contexts else []
        for one in found:
            if "GET" in (one.methods or ()):
                params = one.dependant.query_params
                yield one.path, [p.name for p in params if p.field_info.is_required()]


@dataclass(frozen=True)
class Site:
    client: TestClient
    api_headers: dict[str, str]
    ids: dict[str, str]
    counted: Counted

    def url(self, template: str) -> str:
        return re.sub(
            r"\{(\w+)(?::\w+)?\}",
            lambda m: self.ids.get(m.group(1), FIXED.get(m.group(1), MISSING)),
            template,
        )

    def writes_of(self, url: str, query: dict[str, str]) -> tuple[int, int]:
        before = self.counted.writing
        headers = self.api_headers if url.startswith("/api/") else {}
        response = self.client.get(url, params=query, headers=headers, follow_redirects=False)
        return self.counted.writing - before, response.status_code


@pytest.fixture
def site(container: Container, clock: FrozenClock) -> Iterator[tuple[FastAPI, Site]]:
    world = World(container)
    hotel = world.location("Hotel Odesa", city="Odesa", country="UA", time_zone="Europe/Kyiv")
    world.staff("ada", "Ada Admin", Role.ADMIN)
    olena = world.customer("Olena Kovalenko", at=hotel, phone="+380501234567")
    _, secret = create_token(NewToken("till", Role.ADMIN), container.uow(), clock, SYSTEM)
    app = create_app(container)
    # A token is checked again once the cache's few seconds of wall clock run out, and that
    # check writes "last used" when it is due (ADR 82): on a loaded machine the walk outlasts
    # them, and a write would land on whichever API route came next. The walk counts the
    # routes' own writes, so the token stays known for all of it.
    app.state.token_cache = TokenCache(ttl_seconds=3600, clock=container.clock)
    with TestClient(app) as client:
        log_in(client, "ada")
        headers = {"Authorization": f"Bearer {secret}"}
        # The token's "last used" is written once, then cached (ADR 70): not a GET's own write.
        assert client.get("/api/v1/me", headers=headers).status_code == 200
        ids = {"customer_id": olena.id, "location_id": hotel.id}
        yield app, Site(client, headers, ids, counting(container))


def test_no_get_route_opens_a_writing_unit_of_work_unless_it_writes_on_purpose(
    site: tuple[FastAPI, Site],
) -> None:
    app, walker = site
    writers: dict[str, tuple[int, int]] = {}
    walked = list(get_routes(app))
    # The walk must reach the routers' routes, not only the application's own few.
    assert sum(t.startswith("/api/v1/") for t, _ in walked) > 50
    assert sum(t.startswith(("/console/", "/admin/")) for t, _ in walked) > 50
    for template, required in walked:
        url = walker.url(template)
        query = {name: walker.ids.get(name, FIXED.get(name, "x")) for name in required}
        writes, status = walker.writes_of(url, query)
        assert status < 500, f"GET {url}: {status}"
        if writes:
            writers[template] = (writes, status)
    slipped = {t: w for t, w in writers.items() if t not in WRITES_ON_PURPOSE}
    assert not slipped, "GET routes that open writing units of work:\n" + "\n".join(
        f"{t}: {w}" for t, w in sorted(slipped.items())
    )


def test_the_customer_card_page_reads_in_one_read_only_unit_of_work(
    container: Container, clock: FrozenClock
) -> None:
    """The card was about ten units of work, each a connection and a transaction (ADR 70);
    now the session check and the card itself: two, and no savepoints inside the card's."""
    world = World(container)
    hotel = world.location("Hotel Odesa", city="Odesa", country="UA", time_zone="Europe/Kyiv")
    world.staff("ada", "Ada Admin", Role.ADMIN)
    olena = world.customer("Olena Kovalenko", at=hotel, phone="+380501234567")
    world.visit(olena, hotel, items=[{"drink": "flat white"}])
    make_promise(
        MakePromise(olena.id, PromiseKind.CALL_BACK, hotel.id, "Call about the room", DUE),
        container.uow(),
        clock,
        SYSTEM,
    )
    statements: list[str] = []
    checkouts: list[object] = []
    sa.event.listen(container.engine, "checkout", lambda *_: checkouts.append(1))
    sa.event.listen(
        container.engine,
        "before_cursor_execute",
        lambda _conn, _cursor, sql, *_: statements.append(sql),
    )
    with TestClient(create_app(container)) as client:
        log_in(client, "ada")
        counted = counting(container)
        checkouts.clear()
        statements.clear()
        page = client.get(f"/customers/{olena.id}")

    assert page.status_code == 200
    assert "Olena Kovalenko" in page.text
    assert "flat white" in page.text
    assert "Call about the room" in page.text
    assert (counted.writing, counted.read_only) == (0, 2)  # the session's check, the card
    assert len(checkouts) == 2
    assert not [sql for sql in statements if "SAVEPOINT" in sql.upper()]
