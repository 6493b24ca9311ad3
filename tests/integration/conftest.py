"""The integration tests' shared fixtures."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from smtp_mailbox import Mailbox

from heedful.bootstrap import Container, build
from heedful.config import Settings
from heedful.core.shared.clock import FrozenClock


@pytest.fixture
def shop_container(database_url: str, clock: FrozenClock, mailbox: Mailbox) -> Iterator[Container]:
    """The shop's container whose mail goes to the test mailbox."""
    settings = Settings(
        database_url=database_url,
        log_format="console",
        smtp_host=mailbox.host,
        smtp_port=mailbox.port,
        mail_domain="lypky.example",
    )
    container = build(settings, clock=clock)
    yield container
    container.close()
