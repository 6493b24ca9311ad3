"""`heedful serve`, `heedful worker` and `heedful demo`: the long-running commands."""

from __future__ import annotations

import os
import signal
import socket
import sys
import threading
from collections.abc import Callable
from pathlib import Path

import click
import uvicorn
from aiosmtpd.controller import Controller
from fastapi import FastAPI

from heedful.adapters.channels.demo_mailbox import start_demo_mailbox
from heedful.adapters.channels.inbound_smtp import InboundHandler, start_inbound_smtp
from heedful.adapters.storage import migrate
from heedful.adapters.storage.wakeup import EVENTS_CHANNEL, MESSAGES_CHANNEL, start_listener
from heedful.adapters.stream.jetstream import StreamSettings, start_consumer
from heedful.bootstrap import Container, build
from heedful.config import Settings
from heedful.entrypoints.observability import configure_logging
from heedful.entrypoints.web import create_app
from heedful.entrypoints.worker.jobs import (
    WORK,
    prompt_jobs_for,
    run_forever,
    start_in_background,
    store_streamed_events,
)

DEMO_DATABASE = "sqlite:///heedful-demo.db"
DEMO_INBOUND_SMTP_PORT = 2525


def port_or_free(host: str, wanted: int) -> int:
    """``wanted`` when it can be listened on, else a free port the system picks.

    The demo must start on any laptop: another Heedful, a mail catcher or a dev server already
    on 8000 or 2525 gets a free port instead of a traceback. (A port may still be taken between
    this check and the server's bind; for a demo, a rare race beats a certain failure.)
    """
    family = socket.AF_INET6 if ":" in host else socket.AF_INET
    with socket.socket(family, socket.SOCK_STREAM) as probe:
        # As uvicorn and asyncio bind: a port in TIME_WAIT after a restart is not "taken".
        probe.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            probe.bind((host, wanted))
            return wanted
        except OSError:
            pass
    with socket.socket(family, socket.SOCK_STREAM) as probe:
        probe.bind((host, 0))
        return int(probe.getsockname()[1])


def _demo_ports(port: int | None) -> int:
    """The demo's HTTP and inbound SMTP ports, free ones when the defaults are taken (said so).

    Chosen before the settings are read, so the links the demo prints and sends (survey,
    unsubscribe) name the port it really serves on.
    """
    wanted = Settings()
    http = port_or_free(wanted.host, port or wanted.port)
    if http != (port or wanted.port):
        click.secho(f"Port {port or wanted.port} is taken: the demo serves on {http}.", fg="yellow")
    os.environ.setdefault("HEEDFUL_PUBLIC_URL", f"http://{wanted.host}:{http}")
    smtp = int(os.environ.get("HEEDFUL_INBOUND_SMTP_PORT", DEMO_INBOUND_SMTP_PORT))
    if smtp:
        free = port_or_free(wanted.inbound_smtp_host, smtp)
        if free != smtp:
            click.secho(f"Port {smtp} is taken: the demo takes e-mail in on {free}.", fg="yellow")
        os.environ["HEEDFUL_INBOUND_SMTP_PORT"] = str(free)
    return http


def _inbound_smtp(container: Container) -> Controller | None:
    """Customers' e-mail over SMTP, when HEEDFUL_INBOUND_SMTP_PORT is set."""
    settings = container.settings
    if not settings.inbound_smtp_port:
        return None
    handler = InboundHandler(
        container.uow,
        container.clock,
        settings.conversations_location or None,
        trusted_authserv_id=settings.inbound_authserv_id,
    )
    listener = start_inbound_smtp(handler, settings.inbound_smtp_host, settings.inbound_smtp_port)
    click.echo(f"Inbound e-mail: SMTP on {listener.hostname}:{listener.port}")
    return listener


# How long a thread may hold the GIL while another waits for it. A web process is an event loop
# handing short database calls to worker threads; with Python's default of 5 ms, the loop, woken
# by a finished call, could wait that long for a thread still holding the GIL. Measured on the
# identity look-up at a million customers (2026-11-24, same run): p95 5.7 ms at 5 ms, 2.6 ms at
# 0.5 ms; the card's p95 9.0 ms and 5.8 ms. ADR 21.
SERVER_SWITCH_INTERVAL_S = 0.0005


def _tune_for_serving() -> None:
    sys.setswitchinterval(SERVER_SWITCH_INTERVAL_S)


def _serve(
    container: Container,
    host: str,
    port: int,
    *,
    with_worker: bool,
    beside: Callable[[Container], tuple[threading.Thread, threading.Event]] | None = None,
) -> None:
    """Serve until interrupted; ``beside`` starts a thread (the demo's feeds) stopped first."""
    _tune_for_serving()
    stop: threading.Event | None = None
    if with_worker:
        _, stop = start_in_background(container)
    extra = beside(container) if beside is not None else None
    listener = _inbound_smtp(container)
    try:
        uvicorn.run(
            create_app(container),
            host=host,
            port=port,
            log_config=None,
            access_log=False,
            proxy_headers=True,
        )
    finally:
        if extra is not None:
            thread, extra_stop = extra
            extra_stop.set()
            thread.join(timeout=10)  # before the container's engine is closed under it
        if listener is not None:
            listener.stop()
        if stop is not None:
            stop.set()
        container.close()


@click.command()
@click.option("--host", default=None, help="Default: HEEDFUL_HOST or 127.0.0.1")
@click.option("--port", type=int, default=None, help="Default: HEEDFUL_PORT or 8000")
@click.option("--no-worker", is_flag=True, help="Run the worker elsewhere (`heedful worker`).")
@click.option(
    "--workers",
    "processes",
    type=click.IntRange(min=1),
    default=1,
    show_default=True,
    help="Server processes sharing the port (one per core); needs --no-worker when above 1.",
)
def serve(host: str | None, port: int | None, no_worker: bool, processes: int) -> None:
    """Run the API, the console and the in-process worker."""
    settings = Settings()
    configure_logging(settings.log_level, settings.log_format)
    if processes > 1:
        if not no_worker:
            raise click.UsageError("--workers above 1 needs --no-worker and `heedful worker`")
        if settings.is_sqlite:
            migrate.upgrade(settings.database_url)
        # Each process builds its own container: engines and pools must not cross a fork.
        uvicorn.run(
            "heedful.entrypoints.cli.run:app_from_environment",
            factory=True,
            workers=processes,
            # A spawned process imports the whole app before it can answer the supervisor's
            # ping; on a busy two-core box that takes over uvicorn's 5 s, and it was killed and
            # respawned forever.
            timeout_worker_healthcheck=60,
            host=host or settings.host,
            port=port or settings.port,
            log_config=None,
            access_log=False,
            proxy_headers=True,
        )
        return
    container = build(settings, migrate=settings.is_sqlite)
    _serve(container, host or settings.host, port or settings.port, with_worker=not no_worker)


def app_from_environment() -> FastAPI:
    """The application of one `serve --workers N` process, built from HEEDFUL_* in that process."""
    settings = Settings()
    configure_logging(settings.log_level, settings.log_format)
    _tune_for_serving()
    return create_app(build(settings))


@click.command()
@click.option(
    "--only",
    "work",
    multiple=True,
    type=click.Choice(sorted(WORK)),
    help="The work this process takes (repeat for more): business events, timers, or the"
    " messages to send. Default: all of it. A busy shop runs `--only events` and `--only"
    " messages --only timers` side by side, so e-mails never wait for a batch of events.",
)
def worker(work: tuple[str, ...]) -> None:
    """Run the background worker on its own (production: next to `serve --no-worker`).

    With HEEDFUL_NATS_URL set, a worker that takes events also pulls them from NATS
    JetStream; run as many as the load needs, they share the work.
    """
    settings = Settings()
    configure_logging(settings.log_level, settings.log_format)
    container = build(settings)
    prompt = prompt_jobs_for(work)
    stop = threading.Event()
    if settings.nats_url and "react_to_events" in prompt:
        stream = StreamSettings(
            settings.nats_url, stream=settings.nats_stream, subject=settings.nats_subject
        )
        start_consumer(stream, store_streamed_events(container, stream.stream), stop)

    # Events stored by the API (another process), and messages queued anywhere, wake the
    # worker that takes them at once on PostgreSQL.
    channels = {"react_to_events": EVENTS_CHANNEL, "relay_messages": MESSAGES_CHANNEL}
    heard = [channel for job, channel in channels.items() if job in prompt]
    start_listener(settings.database_url, container.wake, stop, heard)

    # SIGTERM (systemd, Docker, Kubernetes) stops the loop between passes, never mid-message.
    def finish(*_: object) -> None:
        stop.set()
        container.wake.set()

    signal.signal(signal.SIGTERM, finish)
    # What arrives (the stream above, customers' e-mail here) comes in where events are taken:
    # a second process binding the same port would fail, and the relay has no use for it.
    listener = _inbound_smtp(container) if "react_to_events" in prompt else None
    try:
        run_forever(container, stop, prompt)
    except KeyboardInterrupt:
        stop.set()
    finally:
        if listener is not None:
            listener.stop()
        container.close()


def _echo_where_customers_write(settings: Settings, port: int) -> None:
    from heedful.entrypoints.demo.data import LOCATION_CODES

    codes = list(LOCATION_CODES.values())
    click.echo(f"Chat page:    http://{settings.host}:{port}/chat/{codes[0]}?lang=uk")
    if settings.inbound_smtp_port:
        # The part before "@" names the location; any domain will do.
        click.echo(
            f"Write in:     e-mail {codes[0]}@{settings.mail_domain} over SMTP "
            f"{settings.inbound_smtp_host}:{settings.inbound_smtp_port} "
            f"(or {', '.join(codes[1:])} @ the same)"
        )


def _echo_links_to_try(container: Container) -> None:
    from heedful.entrypoints.demo.try_links import links_to_try

    links = links_to_try(container)
    if links.survey:
        click.echo(f"A survey:     {links.survey}  (as a customer received it by e-mail)")
    if links.unsubscribe:
        click.echo(f"Unsubscribe:  {links.unsubscribe}  (the link at the foot of that e-mail)")


@click.command()
@click.option("--port", type=int, default=None)
@click.option("--customers", type=int, default=300, show_default=True)
@click.option("--reset", is_flag=True, help="Start from an empty demo database.")
@click.option("--load-only", is_flag=True, help="Load the data and exit without serving.")
@click.option(
    "--feeds/--no-feeds",
    default=True,
    show_default=True,
    help="The businesses' systems keep sending events (stock, bookings, orders, charges).",
)
def demo(port: int | None, customers: int, reset: bool, load_only: bool, feeds: bool) -> None:
    """Heedful on SQLite with demo data: a boutique, a hotel, a restaurant and a bank."""
    from heedful.entrypoints.demo.feed_runner import start_feeds
    from heedful.entrypoints.demo.load import is_loaded, load_demo

    os.environ.setdefault("HEEDFUL_DATABASE_URL", DEMO_DATABASE)
    os.environ.setdefault("HEEDFUL_LOG_FORMAT", "console")
    # Write to the demo shop: `swaks --server 127.0.0.1:2525 --to kyiv@shop.example`.
    port = _demo_ports(port)
    settings = Settings()
    if reset and settings.is_sqlite:
        db_file = Path(settings.database_url.removeprefix("sqlite:///"))
        for path in (db_file, Path(f"{db_file}-wal"), Path(f"{db_file}-shm")):
            path.unlink(missing_ok=True)
    configure_logging(settings.log_level, settings.log_format)
    migrate.upgrade(settings.database_url)
    container = build(settings)
    if is_loaded(container):
        logins = load_demo(container)
    else:
        with click.progressbar(length=customers, label="Loading demo customers") as bar:
            loaded = 0

            def advance(done: int) -> None:
                nonlocal loaded
                bar.update(done - loaded)  # the loader reports a running total
                loaded = done

            logins = load_demo(container, customers=customers, progress=advance)
    click.echo("")
    click.secho(f"Heedful demo: open http://{settings.host}:{port}/", bold=True)
    click.echo(f"API docs:     http://{settings.host}:{port}/api/v1/docs")
    _echo_where_customers_write(settings, port)
    _echo_links_to_try(container)
    click.echo("Log in as:")
    for login in logins:
        click.echo(f"  {login.login:16} {login.password:22} {login.role:10} {login.note}")
    if load_only:
        container.close()
        return
    mailbox = start_demo_mailbox(settings.smtp_host, settings.smtp_port)
    if mailbox is not None:
        click.echo(
            f"E-mail goes to a demo mail server on {settings.smtp_host}:{settings.smtp_port}; "
            "each message is written to this log."
        )
    if feeds:
        click.echo(
            "Live feeds:   the stock system, PMS, restaurant book, web shop and core banking "
            "send events every few seconds to minutes (the Selene bag is back every few "
            "minutes); --no-feeds turns them off"
        )
    try:
        _serve(
            container, settings.host, port, with_worker=True, beside=start_feeds if feeds else None
        )
    finally:
        if mailbox is not None:
            mailbox.stop()
