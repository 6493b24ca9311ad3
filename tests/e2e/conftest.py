"""Fixtures for the console tests: the app served for real by uvicorn on a free loopback port,
driven by Debian's Chromium, with the frozen clock of tests/conftest.py.

(The API tests bring their own personas and fixtures from api_personas.py.)
"""

from __future__ import annotations

import shutil
import socket
import threading
import time
from collections.abc import Iterator
from typing import Any

import pytest
import uvicorn
from console_world import World
from fastapi.testclient import TestClient

from heedful.bootstrap import Container
from heedful.entrypoints.web import create_app

CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-dev-shm-usage",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
STARTUP_SECONDS = 15.0


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args: dict[str, Any]) -> dict[str, Any]:
    # Drive Debian's Chromium; never `playwright install` (no browser downloads on these machines).
    return {**browser_type_launch_args, "executable_path": CHROMIUM, "args": CHROMIUM_ARGS}


@pytest.fixture
def world(container: Container) -> World:
    return World(container)


@pytest.fixture
def live_server(container: Container) -> Iterator[str]:
    """The whole application (API and console) on a free 127.0.0.1 port, in a background thread."""
    # Binding here and handing uvicorn the socket leaves no window for another process to take
    # the port between choosing it and listening on it.
    sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    sock.bind(("127.0.0.1", 0))
    port = sock.getsockname()[1]
    config = uvicorn.Config(
        create_app(container), lifespan="off", log_config=None, access_log=False
    )
    server = uvicorn.Server(config)
    thread = threading.Thread(target=server.run, kwargs={"sockets": [sock]}, daemon=True)
    thread.start()
    poll = threading.Event()
    deadline = time.monotonic() + STARTUP_SECONDS
    while not server.started:
        if not thread.is_alive() or time.monotonic() > deadline:
            raise RuntimeError("the console did not start")
        poll.wait(0.02)  # a poll interval, not a guess at how long start-up takes
    try:
        yield f"http://127.0.0.1:{port}"
    finally:
        server.should_exit = True
        thread.join(STARTUP_SECONDS)
        sock.close()


@pytest.fixture
def console_client(container: Container) -> Iterator[TestClient]:
    """The console in-process, for the checks that need no browser."""
    with TestClient(create_app(container)) as client:
        yield client
