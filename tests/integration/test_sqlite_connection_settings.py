"""What every connection to the embedded database is set to (ADR 73).

Reads go through a memory map; the worker's commits wait for the disk as ingest's do
(``synchronous=FULL`` in WAL). ADR 73 measured the worker blocked (fsync included) for 1-4 % of
its wall time at the issue's size, and kept the fsync rather than let a power cut roll back an
outbox row the relay may already have sent, under a Message-ID the re-run would not give again.
The log is copied into the file by a thread of its own, not inside a writer's commit (ADR 80).
"""

from __future__ import annotations

from pathlib import Path

import pytest

from heedful.adapters.storage.checkpoints import BACKSTOP_PAGES
from heedful.adapters.storage.engine import MMAP_BYTES, checkpoints
from heedful.bootstrap import Container
from heedful.core.engine.reactions import process_events


def _settings(container: Container) -> dict[str, object]:
    with container.engine.connect() as conn:
        return {
            name: conn.exec_driver_sql(f"PRAGMA {name}").scalar()
            for name in (
                "journal_mode",
                "synchronous",
                "mmap_size",
                "foreign_keys",
                "wal_autocheckpoint",
            )
        }


def test_every_sqlite_connection_maps_the_file_and_waits_for_the_disk(
    container: Container,
) -> None:
    if container.engine.dialect.name != "sqlite":
        pytest.skip("SQLite's connection settings")
    settings = _settings(container)
    assert settings["journal_mode"] == "wal"
    assert settings["synchronous"] == 2  # FULL
    assert 0 < int(str(settings["mmap_size"])) <= MMAP_BYTES
    assert settings["foreign_keys"] == 1
    assert settings["wal_autocheckpoint"] == BACKSTOP_PAGES


def test_the_workers_batch_leaves_its_connection_as_it_found_it(container: Container) -> None:
    if container.engine.dialect.name != "sqlite":
        pytest.skip("SQLite's connection settings")
    before = _settings(container)
    process_events(container.uow, container.clock)
    assert _settings(container) == before


def test_a_writers_commit_leaves_the_copy_into_the_file_to_the_checkpoints_thread(
    container: Container,
) -> None:
    """A commit of 8 MB (2,000 pages, past SQLite's own 1,000-page checkpoint) returns with
    its pages in the log only; the thread then copies them into the file, and the commit is as
    durable either way (``synchronous=FULL``: the log reached the disk before it returned)."""
    if container.engine.dialect.name != "sqlite":
        pytest.skip("SQLite's checkpoints")
    copier = checkpoints(container.engine)
    assert copier is not None
    database = Path(str(container.engine.url.database))
    with container.engine.begin() as conn:
        conn.exec_driver_sql("CREATE TABLE scratch (filler BLOB)")
    assert copier.until_done(10)
    before = database.stat().st_size
    with container.engine.begin() as conn:
        for _ in range(8):
            conn.exec_driver_sql("INSERT INTO scratch VALUES (zeroblob(1024 * 1024))")
    assert database.stat().st_size - before < 1024 * 1024  # still in the log only
    assert copier.until_done(10)
    assert database.stat().st_size - before >= 8 * 1024 * 1024  # copied into the file
