"""What every connection to the embedded database is set to (ADR 73).

Reads go through a memory map; the worker's commits wait for the disk as ingest's do
(``synchronous=FULL`` in WAL). ADR 73 measured the worker blocked (fsync included) for 1-4 % of
its wall time at the issue's size, and kept the fsync rather than let a power cut roll back an
outbox row the relay may already have sent, under a Message-ID the re-run would not give again.
"""

from __future__ import annotations

import pytest

from heedful.adapters.storage.engine import MMAP_BYTES
from heedful.bootstrap import Container
from heedful.core.engine.reactions import process_events


def _settings(container: Container) -> dict[str, object]:
    with container.engine.connect() as conn:
        return {
            name: conn.exec_driver_sql(f"PRAGMA {name}").scalar()
            for name in ("journal_mode", "synchronous", "mmap_size", "foreign_keys")
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


def test_the_workers_batch_leaves_its_connection_as_it_found_it(container: Container) -> None:
    if container.engine.dialect.name != "sqlite":
        pytest.skip("SQLite's connection settings")
    before = _settings(container)
    process_events(container.uow, container.clock)
    assert _settings(container) == before
