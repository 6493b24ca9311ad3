"""`heedful demo` on a laptop where the default ports are taken: free ones, said so, no traceback;
and the banner gives a survey link and an unsubscribe link that work."""

from __future__ import annotations

import re
import socket
from collections.abc import Iterator
from pathlib import Path

import pytest
from click.testing import CliRunner
from fastapi.testclient import TestClient

from heedful.bootstrap import build
from heedful.config import Settings
from heedful.entrypoints.cli.run import demo, port_or_free
from heedful.entrypoints.web import create_app


@pytest.fixture
def taken() -> Iterator[int]:
    """A port something else listens on."""
    with socket.socket() as other:
        other.bind(("127.0.0.1", 0))
        other.listen()
        yield other.getsockname()[1]


def test_a_free_port_is_kept_and_a_taken_one_replaced_by_one_that_can_be_listened_on(
    taken: int,
) -> None:
    free = port_or_free("127.0.0.1", 0)  # the system's pick, then asked for by number
    assert port_or_free("127.0.0.1", free) == free
    instead = port_or_free("127.0.0.1", taken)
    assert instead != taken
    with socket.socket() as server:
        server.bind(("127.0.0.1", instead))


def test_the_demo_moves_off_taken_ports_and_prints_a_survey_and_an_unsubscribe_link_that_open(
    taken: int, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    database = f"sqlite:///{tmp_path / 'demo.db'}"
    monkeypatch.setenv("HEEDFUL_DATABASE_URL", database)
    monkeypatch.setenv("HEEDFUL_PORT", str(taken))
    monkeypatch.setenv("HEEDFUL_INBOUND_SMTP_PORT", str(taken))
    monkeypatch.setenv("HEEDFUL_LOG_FORMAT", "console")
    # Set, then removed: the demo's own setting is undone after the test, whatever it was.
    monkeypatch.setenv("HEEDFUL_PUBLIC_URL", "")
    monkeypatch.delenv("HEEDFUL_PUBLIC_URL")

    result = CliRunner().invoke(demo, ["--load-only", "--customers", "20"])

    assert result.exit_code == 0, result.output
    assert "Traceback" not in result.output
    served = re.search(rf"Port {taken} is taken: the demo serves on (\d+)\.", result.output)
    assert served, result.output
    assert f"Port {taken} is taken: the demo takes e-mail in on" in result.output
    port = served.group(1)
    assert f"Heedful demo: open http://127.0.0.1:{port}/" in result.output
    survey = re.search(rf"A survey: +http://127\.0\.0\.1:{port}(/s/\S+)", result.output)
    unsubscribe = re.search(rf"Unsubscribe: +http://127\.0\.0\.1:{port}(/u/\S+)", result.output)
    assert survey, result.output
    assert unsubscribe, result.output

    # The links the banner printed open the customer's pages on the demo's own data.
    container = build(Settings())
    try:
        with TestClient(create_app(container)) as client:
            assert client.get(survey.group(1)).status_code == 200
            assert client.get(unsubscribe.group(1)).status_code == 200
    finally:
        container.close()
