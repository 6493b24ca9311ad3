"""Unit tests: use cases on in-memory fakes. ``fakes`` and ``builders`` live one level up."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).parents[1]))

from builders import Shop, a_shop


@pytest.fixture
def shop() -> Shop:
    return a_shop()
