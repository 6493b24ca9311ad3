"""The import's reader thread: batches arrive in order, a reader's error reaches the import at
the batch where it happened, and an import that stops early stops the reader."""

from __future__ import annotations

import threading
from collections.abc import Iterator

import pytest

from heedful.entrypoints.cli.read_ahead import read_ahead


def test_batches_arrive_in_the_order_they_were_read() -> None:
    assert list(read_ahead(iter(range(50)))) == list(range(50))


def test_an_error_while_reading_stops_the_import_after_the_batches_before_it() -> None:
    def batches() -> Iterator[int]:
        yield 1
        yield 2
        raise ValueError("line 7: not CSV")

    seen: list[int] = []
    with pytest.raises(ValueError, match="line 7"):
        seen.extend(read_ahead(batches()))
    assert seen == [1, 2]


def test_an_import_that_stops_early_stops_the_reader() -> None:
    finished = threading.Event()

    def batches() -> Iterator[int]:
        try:
            yield from range(1_000_000)
        finally:
            finished.set()

    ahead = read_ahead(batches())
    assert next(ahead) == 0
    ahead.close()  # the writer failed: the reader must not read the rest of the file
    assert finished.wait(timeout=5)
