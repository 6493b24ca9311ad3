#!/usr/bin/env python3
"""Refresh the console screenshots in docs/screenshots/ (`make screenshots`).

Loads the demo into a fresh SQLite database on a frozen clock (the same demo on every run), serves
the whole application on a free loopback port, logs in as the demo's staff with Debian's Chromium
and saves one PNG per page: five key pages at a desk (1440×900) and one on a phone (390×844).
Each page is shown in the language named below (the staff member's language is set before she
logs in). Not part of `make test`: a unit test only checks that this script imports.
"""

# ruff: noqa: T201  (a script: printing is its output)
from __future__ import annotations

import argparse
import logging
import shutil
import socket
import sys
import tempfile
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
OUT = ROOT / "docs" / "screenshots"
CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", "--no-first-run"]
# A Tuesday morning in Kyiv and Moscow: the demo's history runs up to it.
NOW = datetime(2026, 10, 13, 7, 30, tzinfo=UTC)
SCREENS = {"desk": {"width": 1440, "height": 900}, "phone": {"width": 390, "height": 844}}
LOG_IN = {"ru": "Войти", "uk": "Увійти", "en": "Log in"}


@dataclass(frozen=True)
class Shot:
    name: str  # the file in docs/screenshots/, without ".png"
    login: str  # a demo staff member (entrypoints/demo/data.py)
    language: str
    path: str
    follow: str | None = None  # the first link on the page matching it is opened, then shot
    screen: str = "desk"  # or "phone"


SHOTS: tuple[Shot, ...] = (
    # The handbag client's card: what she is waiting for, her preferences, promises and history.
    Shot("customer-card", "daryna.koval", "en", "/customers?q=%2B380503771209", ".results a"),
    Shot("inbox-thread", "pavel.kuznetsov", "en", "/console/inbox", 'a[href^="/console/inbox/th"]'),
    Shot("promises", "elena.vorontsova", "en", "/console/promises"),
    Shot("experience-dashboard", "oksana.melnyk", "en", "/console/experience"),
    Shot("failure-map", "admin", "en", "/console/reports/failure-map"),
    Shot(
        "phone-customer-card-uk",
        "daryna.koval",
        "uk",
        "/customers?q=%2B380503771209",
        ".results a",
        screen="phone",
    ),
)


@contextmanager
def served(database: Path) -> Iterator[str]:
    """The demo loaded into ``database`` and the application serving it; yields its base URL."""
    import uvicorn

    from heedful.adapters.storage.migrate import upgrade
    from heedful.bootstrap import build
    from heedful.config import Settings
    from heedful.core.shared.clock import FrozenClock
    from heedful.entrypoints.demo.load import load_demo
    from heedful.entrypoints.web import create_app

    url = f"sqlite:///{database}"
    logging.disable(logging.INFO)  # the request log would drown the list of files saved
    upgrade(url)
    settings = Settings(database_url=url, log_format="console", log_level="WARNING")
    container = build(settings, clock=FrozenClock(NOW))
    load_demo(container, customers=60)
    sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    sock.bind(("127.0.0.1", 0))
    config = uvicorn.Config(
        create_app(container), lifespan="off", log_config=None, access_log=False
    )
    server = uvicorn.Server(config)
    thread = threading.Thread(target=server.run, kwargs={"sockets": [sock]}, daemon=True)
    thread.start()
    deadline = time.monotonic() + 15
    while not server.started:
        if not thread.is_alive() or time.monotonic() > deadline:
            raise RuntimeError("the console did not start")
        threading.Event().wait(0.02)  # a poll interval, not a guess at how long start-up takes
    try:
        yield f"http://127.0.0.1:{sock.getsockname()[1]}"
    finally:
        server.should_exit = True
        thread.join(15)
        sock.close()
        container.close()


def set_language(database: Path, login: str, language: str) -> None:
    from heedful.bootstrap import build
    from heedful.config import Settings
    from heedful.core.staff.handlers import set_staff_language

    container = build(Settings(database_url=f"sqlite:///{database}", log_format="console"))
    try:
        with container.uow() as uow:
            member = next(m for m in uow.staff.list() if m.login == login)
        set_staff_language(member.id, language, container.uow())
    finally:
        container.close()


def take(shots: tuple[Shot, ...], out: Path) -> list[Path]:
    from playwright.sync_api import sync_playwright

    from heedful.entrypoints.demo.data import STAFF

    saved: list[Path] = []
    with tempfile.TemporaryDirectory() as tmp:
        database = Path(tmp) / "screenshots.db"
        with served(database) as base, sync_playwright() as playwright:
            browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
            for shot in shots:
                set_language(database, shot.login, shot.language)
                phone = shot.screen == "phone"
                context = browser.new_context(
                    viewport=SCREENS[shot.screen],  # type: ignore[arg-type]
                    is_mobile=phone,
                    has_touch=phone,
                    device_scale_factor=1,
                )
                page = context.new_page()
                page.goto(f"{base}/login?lang={shot.language}")
                page.locator("#login").fill(shot.login)
                password = next(s.password for s in STAFF if s.login == shot.login)
                page.locator("#password").fill(password)
                page.get_by_role("button", name=LOG_IN[shot.language], exact=True).click()
                page.wait_for_url(lambda url: "/login" not in url)
                response = page.goto(base + shot.path)
                if shot.follow:
                    href = page.locator(shot.follow).first.get_attribute("href")
                    if href is None:
                        raise RuntimeError(f"{shot.name}: nothing matches {shot.follow}")
                    response = page.goto(base + href)
                else:
                    response = page.goto(base + shot.path)
                if response is None or response.status != 200:
                    raise RuntimeError(
                        f"{shot.name}: {page.url} answered {response and response.status}"
                    )
                page.wait_for_load_state("networkidle")
                path = out / f"{shot.name}.png"
                page.screenshot(path=str(path))
                saved.append(path)
                print(f"{path.relative_to(ROOT)}  {path.stat().st_size // 1024} KB")
                context.close()
            browser.close()
    return saved


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--out", type=Path, default=OUT, help="where the PNGs go")
    parser.add_argument("--only", action="append", help="take only the shot of this name")
    args = parser.parse_args(argv)
    args.out.mkdir(parents=True, exist_ok=True)
    take(tuple(s for s in SHOTS if not args.only or s.name in args.only), args.out)
    return 0


if __name__ == "__main__":
    sys.exit(main())
