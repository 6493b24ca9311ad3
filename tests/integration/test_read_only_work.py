"""Read paths read beside the worker's write, and cannot write (issue 18, ADR 70).

With the embedded default the console and the API share one SQLite file with the worker. A card
opened while the worker is mid-batch must show at once, as it was before the batch, not after it;
and a read path that writes by mistake must fail loudly rather than write without its turn.
Threads are ordered by joins and the turns' own queue, never by sleeping.
"""

from __future__ import annotations

import threading
from typing import Any

import pytest
import sqlalchemy as sa
from builders import an_admin
from fastapi.testclient import TestClient
from promise_world import build_world

from heedful.adapters.storage.engine import WriteInReadOnlyWork, write_turns
from heedful.adapters.storage.unit_of_work import SqlUnitOfWork
from heedful.adapters.storage.write_turns import WriteTurns
from heedful.bootstrap import Container
from heedful.core.access.model import SYSTEM, Role
from heedful.core.card import customer_card
from heedful.core.customers import CreateCustomer, create_customer
from heedful.core.customers.model import Customer
from heedful.core.shared.clock import FrozenClock
from heedful.core.staff.handlers import NewToken, create_token
from heedful.entrypoints.web import create_app

WAIT_S = 30.0  # only a bound on a broken run


def _customer(container: Container, clock: FrozenClock, name: str) -> Customer:
    return create_customer(CreateCustomer(full_name=name), container.uow(), clock, an_admin())


def _worker_mid_batch(container: Container, customer_id: str) -> sa.Connection:
    """A transaction holding SQLite's write lock, having renamed her and not yet committed."""
    holder = container.engine.connect()
    holder.begin()
    holder.execute(
        sa.text("UPDATE customers SET full_name = 'Renamed mid-batch' WHERE id = :id"),
        {"id": customer_id},
    )
    return holder


def _card_opened_mid_batch(
    container: Container, clock: FrozenClock, *, read_only: bool
) -> tuple[WriteTurns, sa.Connection, threading.Thread, list[str]]:
    """Olena's card opened on a thread of its own while the worker's batch holds the lock:
    the turns, the batch's connection, the thread and the names the card showed."""
    olena = _customer(container, clock, "Olena Kovalenko")
    turns = write_turns(container.engine)
    assert turns is not None
    holder = _worker_mid_batch(container, olena.id)
    shown: list[str] = []

    def open_card() -> None:
        card = customer_card(olena.id, container.uow(read_only=read_only), clock, an_admin())
        shown.append(card.customer.full_name)

    reader = threading.Thread(target=open_card)
    reader.start()
    return turns, holder, reader, shown


def test_the_card_opens_while_the_worker_holds_the_write_lock(
    container: Container, clock: FrozenClock
) -> None:
    if container.engine.dialect.name != "sqlite":
        pytest.skip("the write lock is SQLite's; PostgreSQL's readers never waited for it")
    turns, holder, reader, shown = _card_opened_mid_batch(container, clock, read_only=True)
    try:
        reader.join(WAIT_S)
        # Answered while the batch is still open: it read the last committed state.
        assert shown == ["Olena Kovalenko"]
        assert not turns.until_waiting(1, 0)  # it never queued for the lock
    finally:
        holder.rollback()
        holder.close()


def test_a_writing_unit_of_work_still_waits_for_its_turn(
    container: Container, clock: FrozenClock
) -> None:
    """The contrast: what the card did before, and what every write still does."""
    if container.engine.dialect.name != "sqlite":
        pytest.skip("the write lock is SQLite's")
    turns, holder, reader, shown = _card_opened_mid_batch(container, clock, read_only=False)
    assert turns.until_waiting(1, WAIT_S)
    assert shown == []
    holder.commit()
    holder.close()
    reader.join(WAIT_S)
    assert shown == ["Renamed mid-batch"]


def test_a_write_in_a_read_only_unit_of_work_fails_and_writes_nothing(
    container: Container, clock: FrozenClock
) -> None:
    with pytest.raises(WriteInReadOnlyWork, match="read-only unit of work tried to write"):
        create_customer(
            CreateCustomer(full_name="Never stored"),
            container.uow(read_only=True),
            clock,
            an_admin(),
        )
    # The connection went back to the pool writable: the next write works, the refused one is not.
    stored = _customer(container, clock, "Stored after")
    with container.engine.connect() as conn:
        found = conn.execute(sa.text("SELECT full_name FROM customers")).scalars().all()
    assert found == [stored.full_name]


def test_a_read_only_unit_of_work_nests_and_reads_again_after_commit(
    container: Container, clock: FrozenClock
) -> None:
    olena = _customer(container, clock, "Olena Kovalenko")
    uow = container.uow(read_only=True)
    assert isinstance(uow, SqlUnitOfWork)
    with uow:
        with uow:  # a savepoint: a use case that calls another
            assert uow.customers.get(olena.id) is not None
        uow.commit()
        assert uow.customers.get(olena.id) is not None
        with pytest.raises(WriteInReadOnlyWork):
            uow.connection.execute(sa.text("DELETE FROM customers"))


@pytest.mark.parametrize("database_url", ["sqlite"], indirect=True)
def test_the_api_answers_reads_while_the_worker_holds_the_write_lock(
    container: Container, clock: FrozenClock
) -> None:
    """The till's look-ups (card, search, her promises) while the embedded worker is mid-batch."""
    world = build_world(container, clock)
    olena = world.customer("Olena Kovalenko", email="olena@example.org")
    _, secret = create_token(NewToken("till", Role.ADMIN), container.uow(), clock, SYSTEM)
    client = TestClient(create_app(container))
    headers = {"Authorization": f"Bearer {secret}"}
    paths = (
        f"/api/v1/customers/{olena.id}/card",
        "/api/v1/customers/search?q=olena@example.org",
        f"/api/v1/customers/{olena.id}/promises",
    )
    assert client.get(paths[0], headers=headers).status_code == 200  # the token is known now
    holder = _worker_mid_batch(container, olena.id)
    answers: list[Any] = []

    def ask() -> None:
        answers.extend(client.get(path, headers=headers) for path in paths)

    try:
        reader = threading.Thread(target=ask)
        reader.start()
        reader.join(WAIT_S)
        assert [a.status_code for a in answers] == [200, 200, 200]
        assert answers[0].json()["customer"]["full_name"] == "Olena Kovalenko"
        assert [c["id"] for c in answers[1].json()] == [olena.id]
    finally:
        holder.rollback()
        holder.close()


@pytest.mark.parametrize("database_url", ["sqlite"], indirect=True)
def test_a_server_that_forgot_the_token_checks_it_while_the_worker_holds_the_write_lock(
    container: Container, clock: FrozenClock
) -> None:
    """Each server keeps a token for a few seconds only: the check after that reads the
    token and, its last use noted a moment ago, writes nothing, so it takes no write turn."""
    world = build_world(container, clock)
    olena = world.customer("Olena Kovalenko", email="olena@example.org")
    _, secret = create_token(NewToken("till", Role.ADMIN), container.uow(), clock, SYSTEM)
    headers = {"Authorization": f"Bearer {secret}"}
    path = f"/api/v1/customers/{olena.id}/card"
    assert TestClient(create_app(container)).get(path, headers=headers).status_code == 200
    forgetful = TestClient(create_app(container))  # a cache of its own, empty
    holder = _worker_mid_batch(container, olena.id)
    answers: list[Any] = []
    try:
        reader = threading.Thread(
            target=lambda: answers.append(forgetful.get(path, headers=headers))
        )
        reader.start()
        reader.join(WAIT_S)
        assert [a.status_code for a in answers] == [200]
    finally:
        holder.rollback()
        holder.close()
