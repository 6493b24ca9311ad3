"""worker_throughput: business events turned into promise changes and outbox rows, end to end.

The product's own path, not the in-memory index (``match``): events stored in the inbox as ingest
stores them, then claimed by the worker's own job (``react_to_events``, what ``heedful worker``
and the worker thread of ``heedful serve`` run), matched against the waiting lines and the
preference playbook in the database, promises and outbox rows written, the events marked.

Standing (``bench/worker_data.py``): open back-in-stock promises over variants, brand and size
preferences, the demo's "your brand, in your size" playbook enabled. Sizes by setting; the
issue's full size is ``--throughput-promises 1000000 --throughput-variants 100000
--throughput-preferences 1000000 --throughput-customers 100000 --throughput-brands 5000``.

Each configuration gets a fresh database and the same three mixes of events (``MIXES``); the
clock starts when the workers are ready and every event is already in the inbox, and stops when
the last one is marked. Measured: SQLite with the in-process worker; PostgreSQL with 1, 2 and 4
``react_to_events`` processes (the other prompt jobs, timers and relay, are left out: this
measures the engine). Also the preference audience of each brand (``playbook_audience_p99_ms``:
the reads of the whole audience for one event), the CPU split, the statements one event costs,
their ``EXPLAIN`` (bench/explain/worker_throughput.txt) and a profile of the SQLite worker
(bench/explain/worker_throughput_profile.txt).
"""

from __future__ import annotations

import argparse
import asyncio
import cProfile
import io
import itertools
import json
import multiprocessing
import os
import pstats
import re
import secrets
import shutil
import tempfile
import threading
import time
from collections import Counter
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import nats
import psycopg
import sqlalchemy as sa
from sqlalchemy.engine import make_url

from bench.support import fresh_database, libpq_url, process_cpu_seconds, step
from bench.worker_data import MIXES, Feed, Shape, brand, load
from heedful.adapters.clock import SystemClock
from heedful.adapters.storage.migrate import upgrade
from heedful.adapters.storage.tables import events as events_table
from heedful.adapters.storage.tables import stream_positions
from heedful.adapters.stream.jetstream import StreamSettings, ensure_stream, start_consumer
from heedful.bootstrap import Container, build
from heedful.config import Settings
from heedful.core.access.model import SYSTEM
from heedful.core.events.handlers import accept_events, read_events
from heedful.core.playbooks.demo import BRAND_IN_YOUR_SIZE
from heedful.core.playbooks.firing import concerned_pages
from heedful.core.playbooks.handlers import create_playbook, set_enabled
from heedful.core.playbooks.model import AUDIENCE_PAGE
from heedful.core.preferences.model import Category, Polarity
from heedful.entrypoints.worker.jobs import (
    react_to_events,
    set_aside_startup_heap,
    store_streamed_events,
)

NAME = "worker_throughput"
EXPLAIN_DIR = Path(__file__).parent / "explain"
TARGETS = {"sqlite_events_per_s": 5000, "pg_1w_events_per_s": 3000, "scaleout_2w_ratio": 1.6,
           "playbook_audience_p99_ms": 20.0}  # fmt: skip
INGEST_BATCH = 500


def add_arguments(parser: argparse.ArgumentParser) -> None:
    group = parser.add_argument_group(NAME)
    shape = Shape()
    group.add_argument("--throughput-promises", type=int, default=shape.promises)
    group.add_argument("--throughput-variants", type=int, default=shape.variants)
    group.add_argument("--throughput-preferences", type=int, default=shape.preferences)
    group.add_argument("--throughput-customers", type=int, default=shape.customers)
    group.add_argument("--throughput-brands", type=int, default=shape.brands)
    group.add_argument("--throughput-events", type=int, default=1000, help="events per mix")
    group.add_argument("--throughput-workers", default="1,2,4", help="PostgreSQL worker counts")
    group.add_argument(
        "--throughput-batch",
        type=int,
        default=Settings.model_fields["worker_event_batch"].default,
        help="events per worker transaction (HEEDFUL_WORKER_EVENT_BATCH); 4 workers need at "
        "least 4 batches of events per mix to all have work",
    )
    group.add_argument("--throughput-backends", default="sqlite,postgresql")
    group.add_argument(
        "--throughput-feed",
        default="inbox",
        help="how the PostgreSQL workers get their events: inbox (stored before the clock "
        "starts), jetstream (published to a NATS JetStream stream before the clock starts; each "
        "worker runs the intake of `heedful worker` beside its engine), or both: inbox,jetstream",
    )
    group.add_argument(
        "--throughput-mixes",
        default=",".join(MIXES),
        help="which mixes the runs measure (the quarter mix takes the longest)",
    )
    group.add_argument(
        "--throughput-sqlite-file",
        default="",
        help="a SQLite database loaded by an earlier run, to start from instead of loading one: "
        "copied, never changed; loaded and kept there the first time (the "
        "issue's size takes minutes to load; runs compared from one file start alike)",
    )
    group.add_argument(
        "--throughput-figures-only",
        action="store_true",
        help="only each mix's figures: no statements, plans, profile or audience afterwards",
    )
    group.add_argument(
        "--throughput-audience-only",
        action="store_true",
        help="only the preference audience's figures and plans: no mixes, statements or profile",
    )
    group.add_argument(
        "--throughput-pg-database",
        default="",
        help="a PostgreSQL database kept (--keep) by an earlier run of the same shape and seed, "
        "measured instead of loading a new one (the issue's size takes minutes to load) and "
        "never dropped; the mixes write to it, the audience only reads it",
    )
    group.add_argument(
        "--throughput-pg-template",
        default="",
        help="a PostgreSQL database loaded (and kept with --keep) by an earlier run of the same"
        " shape and seed, named in its output as wt_template_…: each run measures a copy of it"
        " instead of loading one; it is never written to nor dropped",
    )
    group.add_argument(
        "--throughput-nats-url",
        default=os.environ.get("HEEDFUL_TEST_NATS_URL") or "nats://127.0.0.1:4222",
    )


def _shape(args: argparse.Namespace) -> Shape:
    return Shape(
        promises=args.throughput_promises,
        variants=args.throughput_variants,
        preferences=args.throughput_preferences,
        customers=args.throughput_customers,
        brands=args.throughput_brands,
    )


def _container(url: str, batch: int | None = None) -> Container:
    settings = Settings(database_url=url, environment="development")
    if batch is not None:
        settings = settings.model_copy(update={"worker_event_batch": batch})
    built = build(settings)
    # As ``heedful worker`` does once built: what lives from startup on is never walked again.
    set_aside_startup_heap()
    return built


def _prepare(url: str, shape: Shape, seed: int) -> dict[str, int]:
    upgrade(url)
    now = SystemClock().now()
    with step(f"load {shape.promises:,} promises, {shape.preferences:,} preferences"):
        written = load(url, shape, seed, now)
    container = _container(url)
    try:
        with container.uow() as uow:
            playbook = create_playbook(BRAND_IN_YOUR_SIZE, uow, container.clock, SYSTEM)
            set_enabled(playbook.id, True, uow, container.clock, SYSTEM)
            uow.commit()
    finally:
        container.engine.dispose()
    return written


def _store(container: Container, events: list[dict[str, Any]]) -> None:
    for start in range(0, len(events), INGEST_BATCH):
        report = accept_events(
            container.uow(), container.clock, events[start : start + INGEST_BATCH]
        )
        if report.rejected:
            raise RuntimeError(f"events refused: {report.rejected[:3]}")


def _effects(engine: sa.Engine) -> dict[str, int]:
    with engine.connect() as conn:
        told = conn.exec_driver_sql(
            "SELECT count(*) FROM promises WHERE notice_message_id IS NOT NULL"
        ).scalar_one()
        messages = conn.exec_driver_sql("SELECT count(*) FROM messages").scalar_one()
        waiting = conn.exec_driver_sql(
            "SELECT count(*) FROM events WHERE processed_at IS NULL"
        ).scalar_one()
    return {"told": int(told), "outbox_rows": int(messages), "unprocessed": int(waiting)}


def _drain(container: Container, more_to_come: Callable[[], bool] = lambda: False) -> int:
    """Handles events until none is left and ``more_to_come`` says none will be.

    One of several workers may find nothing it may take while events still wait: each behind
    an earlier event of its customer or item that another worker holds (ADR 61); a worker fed
    by a stream may find nothing stored yet. It then waits its poll, as ``heedful worker``
    does, and looks again.
    """
    done = 0
    while True:
        handled = react_to_events(container)
        done += handled
        if handled > 0:
            continue
        if not more_to_come():
            return done
        container.wake.wait(container.settings.worker_poll_seconds)
        container.wake.clear()


def _events_due(engine: sa.Engine) -> bool:
    """Waiting events a worker could take now or once another commits (not those in backoff)."""
    with engine.connect() as conn:
        return bool(
            conn.exec_driver_sql(
                "SELECT EXISTS (SELECT 1 FROM events WHERE processed_at IS NULL"
                " AND dead_at IS NULL AND (retry_at IS NULL OR retry_at <= now()))"
            ).scalar_one()
        )


# --- SQLite: the in-process worker -------------------------------------------------------------


def _sqlite_runs(args: argparse.Namespace, shape: Shape, report: dict[str, Any]) -> None:
    with tempfile.TemporaryDirectory(prefix="heedful-wt-") as folder:
        url = f"sqlite:///{folder}/throughput.db"
        report["sqlite_rows"] = _sqlite_database(args, shape, Path(folder) / "throughput.db")
        container = _container(url)
        feed = Feed(shape, args.seed, container.clock.now())
        try:
            if args.throughput_audience_only:
                report["sqlite_audience"] = _audience(container, shape)
                return
            for mix in [m for m in args.throughput_mixes.split(",") if m in MIXES]:
                _store(container, feed.events(mix, args.throughput_events))
                before = _effects(container.engine)
                cpu, started = time.process_time(), time.perf_counter()
                handled = _drain(container)
                seconds = time.perf_counter() - started
                cpu = time.process_time() - cpu
                after = _effects(container.engine)
                report[f"sqlite_{mix}_events_per_s"] = round(handled / seconds, 1)
                report[f"sqlite_{mix}_cpu_ms_per_event"] = round(cpu * 1000 / handled, 3)
                report[f"sqlite_{mix}_outbox_rows"] = after["outbox_rows"] - before["outbox_rows"]
                print(f"sqlite {mix}: {handled} events in {seconds:.1f} s", flush=True)
            if args.throughput_figures_only:
                return
            report["sqlite_statements"] = _statements(container, feed, args.throughput_events)
            report["sqlite_profile"] = _profile(container, feed, args.throughput_events)
            report["sqlite_explain"] = _explain_all(container.engine, report["sqlite_statements"])
            report["sqlite_audience"] = _audience(container, shape)
        finally:
            container.engine.dispose()


def _sqlite_database(args: argparse.Namespace, shape: Shape, path: Path) -> dict[str, int]:
    """Loads the database at ``path``, or copies the one ``--throughput-sqlite-file`` names
    (loading and keeping it there first when it was never loaded), of the same shape and seed."""
    kept = Path(args.throughput_sqlite_file) if args.throughput_sqlite_file else None
    if kept is None:
        return _prepare(f"sqlite:///{path}", shape, args.seed)
    shape_file = kept.with_suffix(".json")
    if not shape_file.exists():  # never loaded, or a load that did not finish
        for leftover in (kept, Path(f"{kept}-wal"), Path(f"{kept}-shm")):
            leftover.unlink(missing_ok=True)
        written = _prepare(f"sqlite:///{kept}", shape, args.seed)
        engine = sa.create_engine(f"sqlite:///{kept}")
        try:
            with engine.connect() as conn:
                # The whole file in one piece: a copy taken without its WAL misses nothing.
                conn.exec_driver_sql("PRAGMA wal_checkpoint(TRUNCATE)")
        finally:
            engine.dispose()
        made = {"shape": vars(shape), "seed": args.seed, "rows": written}
        shape_file.write_text(json.dumps(made))
    loaded = json.loads(shape_file.read_text())
    if (loaded["shape"], loaded["seed"]) != (vars(shape), args.seed):
        raise SystemExit(f"{kept} holds {loaded['shape']}, seed {loaded['seed']}, not these")
    with step(f"copy {kept}"):
        shutil.copyfile(kept, path)
    return {name: int(rows) for name, rows in loaded["rows"].items()}


# --- PostgreSQL: worker processes --------------------------------------------------------------


def _worker(
    url: str,
    batch: int,
    ready: Any,
    go: Any,
    results: Any,
    read: Any,
    stream: StreamSettings | None = None,
    through: int = 0,
) -> None:
    """One worker process: build as ``heedful worker`` does, wait for the start, drain.

    With ``stream``, the worker also runs the JetStream intake, as ``heedful worker`` does with
    HEEDFUL_NATS_URL set, and is done once the stream is stored ``through`` its last message and
    no event waits.
    """
    container = _container(url, batch)
    with container.engine.connect() as conn:  # the pool's connection, and its backend's pid
        backend = int(conn.exec_driver_sql("SELECT pg_backend_pid()").scalar_one())
    ready.wait()
    go.wait()
    cpu = time.process_time()
    if stream is None:
        handled = _drain(container, lambda: _events_due(container.engine))
    else:
        stop = threading.Event()
        intake = start_consumer(stream, store_streamed_events(container, stream.stream), stop)
        handled = _drain(
            container,
            lambda: (
                _stored_through(container.engine, stream.stream) < through
                or _events_due(container.engine)
            ),
        )
        stop.set()
        intake.join(10)
    finished = time.perf_counter()
    results.put((os.getpid(), backend, handled, finished, time.process_time() - cpu))
    read.wait()  # the backends live until their CPU has been read
    container.engine.dispose()


def _stored_through(engine: sa.Engine, stream: str) -> int:
    with engine.connect() as conn:
        position = conn.execute(
            sa.select(stream_positions.c.stored_through).where(stream_positions.c.stream == stream)
        ).scalar_one_or_none()
    return int(position or 0)


def _pg_run(
    url: str, workers: int, batch: int, stream: StreamSettings | None = None, through: int = 0
) -> dict[str, Any]:
    context = multiprocessing.get_context("spawn")
    ready, go = context.Barrier(workers + 1), context.Barrier(workers + 1)
    read = context.Barrier(workers + 1)
    results = context.Queue()
    given = (url, batch, ready, go, results, read, stream, through)
    processes = [context.Process(target=_worker, args=given) for _ in range(workers)]
    for process in processes:
        process.start()
    ready.wait()
    backends = _backends(url)
    database_cpu = sum(process_cpu_seconds(pid) for pid in backends)
    go.wait()
    started = time.perf_counter()
    finished = [results.get(timeout=3600) for _ in processes]
    database_cpu = sum(_cpu_or_zero(pid) for pid in backends) - database_cpu
    read.wait()
    for process in processes:
        process.join()
    handled = sum(item[2] for item in finished)
    seconds = max(item[3] for item in finished) - started
    return {
        "events": handled,
        "seconds": seconds,
        # How long the first worker done waited for the last: a worker that finds only events
        # another holds waits its poll (0.1 s), which a short run shows as lost scale-out.
        "finish_spread_s": round(seconds - (min(item[3] for item in finished) - started), 3),
        "handled_by_each": [item[2] for item in finished],
        "worker_cpu_s": sum(item[4] for item in finished),
        "database_cpu_s": max(database_cpu, 0.0),
    }


# --- JetStream as the feed ---------------------------------------------------------------------


def _publish(stream: StreamSettings, events: list[dict[str, Any]]) -> int:
    """Publish as a source does (each acknowledged by JetStream); the stream's last sequence."""

    async def send() -> int:
        connection = await nats.connect(stream.url)
        try:
            js = connection.jetstream()
            await ensure_stream(js, stream)
            subject = stream.subject.replace(">", "bench")
            last = 0
            # Up to 500 in flight at once: publishing is not what is measured.
            for start in range(0, len(events), 500):
                acks = await asyncio.gather(
                    *(
                        js.publish(subject, json.dumps(e).encode())
                        for e in events[start : start + 500]
                    )
                )
                last = max([last, *(ack.seq for ack in acks)])
            return last
        finally:
            await connection.drain()

    return asyncio.run(send())


def _drop_stream(stream: StreamSettings) -> None:
    async def drop() -> None:
        connection = await nats.connect(stream.url)
        try:
            await connection.jetstream().delete_stream(stream.stream)
        finally:
            await connection.drain()

    asyncio.run(drop())


def _check_stream_run(engine: sa.Engine, events: list[dict[str, Any]]) -> dict[str, int]:
    """Each published event once in the inbox, in the stream's order, each handled; and within
    each ordering key (her, a bag), handled no earlier than the event before it."""
    published = {event["id"]: index for index, event in enumerate(events)}
    with engine.connect() as conn:
        rows = conn.execute(
            sa.select(
                events_table.c.event_id,
                events_table.c.ordering_key,
                events_table.c.processed_at,
            )
            .where(events_table.c.event_id.in_(list(published)))
            .order_by(events_table.c.sequence)
        ).all()
    order = [published[row.event_id] for row in rows]
    last_handled: dict[str, Any] = {}
    handled_out_of_order = 0
    for row in rows:
        if row.ordering_key is None or row.processed_at is None:
            continue
        before = last_handled.get(row.ordering_key)
        if before is not None and row.processed_at < before:
            handled_out_of_order += 1
        last_handled[row.ordering_key] = row.processed_at
    return {
        "stored": len(rows),
        "missing": len(set(published) - {row.event_id for row in rows}),
        "stored_out_of_stream_order": sum(1 for a, b in itertools.pairwise(order) if b < a),
        "unhandled": sum(1 for row in rows if row.processed_at is None),
        "handled_out_of_key_order": handled_out_of_order,
    }


def _give_up_retries(engine: sa.Engine) -> None:
    """Events waiting out a backoff are taken out, so the next mix starts from an empty inbox."""
    with engine.begin() as conn:
        conn.exec_driver_sql(
            "UPDATE events SET processed_at = received_at WHERE processed_at IS NULL"
        )


def _backends(url: str) -> list[int]:
    engine = sa.create_engine(url)
    try:
        with engine.connect() as conn:
            rows = conn.exec_driver_sql(
                "SELECT pid FROM pg_stat_activity WHERE datname = current_database()"
                " AND pid <> pg_backend_pid()"
            )
            return [int(pid) for (pid,) in rows]
    finally:
        engine.dispose()


def _cpu_or_zero(pid: int) -> float:
    try:
        return process_cpu_seconds(pid)
    except OSError:
        return 0.0


def _pg_runs(args: argparse.Namespace, shape: Shape, report: dict[str, Any]) -> None:
    if args.throughput_audience_only:
        with _pg_database(args, shape, report) as url:
            container = _container(url)
            try:
                report["pg_audience"] = _audience(container, shape)
            finally:
                container.engine.dispose()
        return
    feeds = [f for f in args.throughput_feed.split(",") if f]
    for feed in feeds:
        if feed not in ("inbox", "jetstream"):
            raise SystemExit(f"--throughput-feed: inbox or jetstream, not {feed!r}")
    with _pg_loaded(args, shape, report) as template:
        for feed in feeds:
            for workers in [int(n) for n in args.throughput_workers.split(",") if n]:
                _pg_feed_runs(args, shape, report, feed, workers, template)


@contextmanager
def _pg_loaded(args: argparse.Namespace, shape: Shape, report: dict[str, Any]) -> Iterator[str]:
    """The database every run starts from, loaded once (the issue's size takes minutes):
    ``--throughput-pg-template``'s, or a new one, dropped afterwards unless kept. Only copies
    of it are written to."""
    if args.throughput_pg_template:
        yield args.throughput_pg_template
        return
    with fresh_database(args.postgres_url, keep=args.keep, label="wt_template_") as url:
        report["pg_rows"] = _prepare(url, shape, args.seed)
        with psycopg.connect(libpq_url(url), autocommit=True) as db:
            db.execute("CHECKPOINT")  # the copies start from the loaded files, not its log
        yield str(make_url(url).database)


@contextmanager
def _pg_database(
    args: argparse.Namespace, shape: Shape, report: dict[str, Any], template: str = ""
) -> Iterator[str]:
    """A loaded database: a copy of ``template`` (its rows, indexes and statistics, in
    seconds), or the one ``--throughput-pg-database`` names, or a new one."""
    if args.throughput_pg_database:
        kept = make_url(args.postgres_url).set(database=args.throughput_pg_database)
        yield kept.render_as_string(False)
        return
    with fresh_database(args.postgres_url, keep=args.keep, label="wt_", template=template) as url:
        if not template:
            report["pg_rows"] = _prepare(url, shape, args.seed)
        yield url


def _pg_feed_runs(
    args: argparse.Namespace,
    shape: Shape,
    report: dict[str, Any],
    feed: str,
    workers: int,
    template: str,
) -> None:
    prefix = "pg" if feed == "inbox" else "jetstream_pg"
    with _pg_database(args, shape, report, template) as url:
        container = _container(url)
        feed_events = Feed(shape, args.seed, container.clock.now())
        tag = secrets.token_hex(4)
        stream = StreamSettings(
            args.throughput_nats_url,
            stream=f"HEEDFUL_BENCH_{tag}",
            subject=f"heedful.bench{tag}.events.in.>",
            batch=args.throughput_batch,
        )
        try:
            for mix in [m for m in args.throughput_mixes.split(",") if m in MIXES]:
                events = feed_events.events(mix, args.throughput_events)
                before = _effects(container.engine)
                if feed == "inbox":
                    _store(container, events)
                    run = _pg_run(url, workers, args.throughput_batch)
                else:
                    through = _publish(stream, events)
                    run = _pg_run(url, workers, args.throughput_batch, stream, through)
                after = _effects(container.engine)
                key = f"{prefix}_{workers}w_{mix}"
                if feed == "jetstream":
                    # Checked before retries are given up: a retry is handled, not skipped.
                    for name, value in _check_stream_run(container.engine, events).items():
                        report[f"{key}_{name}"] = value
                # Events that failed (a deadlock between workers) wait out their backoff: the
                # figure counts only those done, and says how many were left for a retry.
                report[f"{key}_left_for_retry"] = after["unprocessed"]
                _give_up_retries(container.engine)
                done = run["events"] - report[f"{key}_left_for_retry"]
                report[f"{key}_events_per_s"] = round(done / run["seconds"], 1)
                report[f"{key}_worker_cpu_ms_per_event"] = round(
                    run["worker_cpu_s"] * 1000 / run["events"], 3
                )
                report[f"{key}_database_cpu_ms_per_event"] = round(
                    run["database_cpu_s"] * 1000 / run["events"], 3
                )
                report[f"{key}_outbox_rows"] = after["outbox_rows"] - before["outbox_rows"]
                print(f"{prefix} {workers}w {mix}: {run}", flush=True)
            if workers == 1 and feed == "inbox" and not args.throughput_figures_only:
                report["pg_statements"] = _statements(
                    container, feed_events, args.throughput_events
                )
                report["pg_explain"] = _explain_all(container.engine, report["pg_statements"])
                report["pg_audience"] = _audience(container, shape)
        finally:
            container.engine.dispose()
            if feed == "jetstream":
                _drop_stream(stream)


# --- what one event costs: statements, plans, profile, the audience ----------------------------


@contextmanager
def _recording(engine: sa.Engine) -> Iterator[dict[str, tuple[int, Any]]]:
    """Each distinct statement the engine runs, with how often and its first parameters."""
    seen: dict[str, tuple[int, Any]] = {}

    def note(conn: Any, cursor: Any, statement: str, parameters: Any, *rest: Any) -> None:
        del conn, cursor, rest
        shape = re.sub(r"\s+", " ", statement).strip()
        # One shape for every length of an IN list and every savepoint's name.
        shape = re.sub(r"\((?:\?|%\(\w+\)s)(?:, (?:\?|%\(\w+\)s))+\)", "(...)", shape)
        shape = re.sub(r"sa_savepoint_\d+", "sa_savepoint_N", shape)
        count, first = seen.get(shape, (0, parameters))
        seen[shape] = (count + 1, first)

    sa.event.listen(engine, "before_cursor_execute", note)
    try:
        yield seen
    finally:
        sa.event.remove(engine, "before_cursor_execute", note)


def _statements(container: Container, feed: Feed, count: int) -> list[dict[str, Any]]:
    """The statements of the quarter mix's events, per event, most frequent first."""
    _store(container, feed.events("quarter", count))
    with _recording(container.engine) as seen:
        handled = _drain(container)
    rows = [
        {"statement": statement, "per_event": round(n / handled, 3), "parameters": parameters}
        for statement, (n, parameters) in seen.items()
    ]
    rows.sort(key=lambda row: -row["per_event"])
    return rows


def _explain_all(engine: sa.Engine, statements: list[dict[str, Any]]) -> str:
    """The plan of every SELECT and UPDATE the events ran (EXPLAIN only: nothing is changed)."""
    postgres = engine.dialect.name == "postgresql"
    prefix = "EXPLAIN (COSTS OFF) " if postgres else "EXPLAIN QUERY PLAN "
    out: list[str] = []
    with engine.connect() as conn:
        for row in statements:
            statement = row["statement"]
            if not statement.startswith(("SELECT", "UPDATE", "DELETE", "WITH")):
                continue
            params = row["parameters"]
            if "(...)" in statement:
                out.append(
                    f"-- {row['per_event']}/event\n{statement}\n   (an IN list: see above)\n"
                )
                continue
            try:
                plan = conn.exec_driver_sql(prefix + statement, params).all()
            except Exception as error:  # a statement whose parameters cannot be replayed
                conn.rollback()
                out.append(f"-- {row['per_event']}/event\n{statement}\n   (no plan: {error})\n")
                continue
            lines = [" | ".join(str(v) for v in line[-1:]) for line in plan]
            out.append(f"-- {row['per_event']}/event\n{statement}\n   " + "\n   ".join(lines))
    return "\n\n".join(out)


def _profile(container: Container, feed: Feed, count: int) -> dict[str, Any]:
    """cProfile of the half mix: where an event's time goes, by layer and by function."""
    _store(container, feed.events("half", count))
    profiler = cProfile.Profile()
    profiler.enable()
    handled = _drain(container)
    profiler.disable()
    stats = pstats.Stats(profiler)
    by_layer: Counter[str] = Counter()
    total = 0.0
    for (path, _line, function), (_cc, _nc, own, _cum, _callers) in stats.stats.items():  # type: ignore[attr-defined]
        total += own
        by_layer[_layer(path, function)] += own
    text = io.StringIO()
    pstats.Stats(profiler, stream=text).sort_stats("cumulative").print_stats(40)
    return {
        "events": handled,
        "ms_per_event_profiled": round(total * 1000 / handled, 3),
        "share_by_layer": {k: round(v / total, 3) for k, v in by_layer.most_common()},
        "top_cumulative": text.getvalue(),
    }


def _layer(path: str, function: str) -> str:
    if "sqlite3" in function or ("execute" in function and path == "~"):
        return "database driver (C)"
    for needle, layer in (
        ("/sqlalchemy/", "SQLAlchemy"),
        ("/psycopg/", "database driver (Python)"),
        ("/heedful/adapters/", "heedful adapters"),
        ("/heedful/core/", "heedful core"),
        ("/heedful/", "heedful entry points"),
    ):
        if needle in path:
            return layer
    return "Python and other libraries"


def _audience(container: Container, shape: Shape) -> dict[str, Any]:
    """One event's whole preference audience chosen, for every brand: ms each.

    What the firing does before it claims anything (``concerned_pages``): the audience read a
    page at a time with what the rule needs of each customer, and the rule checked; the plans
    of those statements for the brand with the median audience go beside the benchmark's
    others (bench/explain/worker_throughput_audience_<backend>.txt, ADR 72).
    """
    with container.uow() as uow:
        (playbook,) = [p for p in uow.playbooks.enabled() if p.body.audience]
    timings, cpu, sizes, chosen = [], [], [], []
    sample = Feed(shape, 0, container.clock.now())
    events = []
    # PostgreSQL's own CPU for the timed reads (its backend's, summed over the events: the
    # kernel counts it in ticks, so only the sum means anything): load-independent, as this
    # process's CPU is, where the wall clock also counts waiting for a core.
    postgres = container.engine.dialect.name == "postgresql"
    backends = _backends(container.engine.url.render_as_string(False)) if postgres else []
    database_cpu = 0.0
    for index in range(shape.brands):
        event = sample.events("quarter", 1)[0]
        event["data"]["brand"] = brand(index)
        (business,), _ = read_events([event])
        events.append(business)
        with container.uow() as uow:
            served = sum(_cpu_or_zero(pid) for pid in backends)
            started, used = time.perf_counter(), time.process_time()
            told = 0
            for page in concerned_pages(uow, playbook.body, business, container.clock.now()):
                told += len(page)
            timings.append((time.perf_counter() - started) * 1000)
            # This process's CPU (SQLite's work included): on a loaded machine the wall clock
            # also counts the time other processes held the cores.
            cpu.append((time.process_time() - used) * 1000)
            database_cpu += sum(_cpu_or_zero(pid) for pid in backends) - served
            # Nothing was written: committed as the worker commits its batch, because psycopg
            # forgets its prepared statements at every rollback, and the worker's are kept.
            uow.commit()
        sizes.append(_audience_size(container, brand(index)))
        chosen.append(told)
    timings.sort()
    cpu.sort()
    at_99 = min(len(timings) - 1, int(len(timings) * 0.99))
    by_size = sorted(range(len(sizes)), key=lambda i: sizes[i])
    median, large = by_size[len(sizes) // 2], by_size[at_99]
    ran = _explain_audience(container, playbook, [events[median], events[large]])
    return {
        "p50_ms": round(timings[len(timings) // 2], 3),
        "p99_ms": round(timings[at_99], 3),
        "cpu_p50_ms": round(cpu[len(cpu) // 2], 3),
        "cpu_p99_ms": round(cpu[at_99], 3),
        "database_cpu_ms_per_event": round(database_cpu * 1000 / len(timings), 3),
        "cpu_mean_ms": round(sum(cpu) / len(cpu), 3),
        "audience_median": sorted(sizes)[len(sizes) // 2],
        "chosen_total": sum(chosen),
        "audience_p99": sizes[large],
        # Statements one event's audience sends (the median brand's, then the p99 size's).
        "statements_per_event": ran,
        "page": AUDIENCE_PAGE,
    }


def _audience_size(container: Container, name: str) -> int:
    """Those who like the brand, chosen or not (the rule's size check left aside)."""
    size, after = 0, None
    with container.uow() as uow:
        while True:
            read = uow.playbooks.customers_with_preference
            page = read(Polarity.LIKE, Category.BRAND, name, after, AUDIENCE_PAGE)
            size += len(page)
            if len(page) < AUDIENCE_PAGE:
                return size
            after = page[-1]


def _explain_audience(container: Container, playbook: Any, events: list[Any]) -> list[int]:
    """The plan of each statement each event's audience runs, with its own parameters; how many
    statements each ran."""
    engine = container.engine
    postgres = engine.dialect.name == "postgresql"
    prefix = "EXPLAIN (ANALYZE, BUFFERS, COSTS OFF) " if postgres else "EXPLAIN QUERY PLAN "
    out, counts = [], []
    for event in events:
        ran: list[tuple[str, Any]] = []

        def note(conn: Any, cursor: Any, statement: str, parameters: Any, *rest: Any) -> None:
            del conn, cursor, rest
            ran.append((statement, parameters))  # noqa: B023 (listened to in this loop only)

        sa.event.listen(engine, "before_cursor_execute", note)
        try:
            with container.uow() as uow:
                for _ in concerned_pages(uow, playbook.body, event, container.clock.now()):
                    pass
        finally:
            sa.event.remove(engine, "before_cursor_execute", note)
        counts.append(len(ran))
        out.append(
            f"# worker_throughput: one event's preference audience ({event.data['brand']}): "
            f"{len(ran)} statements\n"
        )
        with engine.connect() as conn:
            for statement, parameters in ran:
                if not statement.lstrip().startswith(("SELECT", "WITH")):
                    continue
                plan = conn.exec_driver_sql(prefix + statement, parameters).all()
                out.append(statement.strip() + "\n\n   " + "\n   ".join(str(r[-1]) for r in plan))
    backend = "postgresql" if postgres else "sqlite"
    (EXPLAIN_DIR / f"worker_throughput_audience_{backend}.txt").write_text("\n\n".join(out) + "\n")
    return counts


# --- the run -----------------------------------------------------------------------------------


def run(args: argparse.Namespace) -> dict[str, Any]:
    shape = _shape(args)
    backends = set(args.throughput_backends.split(","))
    report: dict[str, Any] = {}
    if "sqlite" in backends:
        _sqlite_runs(args, shape, report)
    if "postgresql" in backends:
        _pg_runs(args, shape, report)
    return _summary(args, shape, report)


def _summary(args: argparse.Namespace, shape: Shape, report: dict[str, Any]) -> dict[str, Any]:
    EXPLAIN_DIR.mkdir(exist_ok=True)
    explain = [f"# worker_throughput: {shape}\n"]
    for backend in ("sqlite", "pg"):
        if f"{backend}_statements" not in report:
            continue
        statements = report.pop(f"{backend}_statements")
        explain.append(f"## {backend}: statements per event (quarter mix), most frequent first\n")
        explain.extend(f"{row['per_event']:>7}  {row['statement'][:160]}" for row in statements)
        explain.append(f"\n## {backend}: plans\n\n{report.pop(f'{backend}_explain')}\n")
        report[f"{backend}_statements_per_event"] = round(
            sum(r["per_event"] for r in statements), 2
        )
    if "sqlite_profile" in report:
        profile = report["sqlite_profile"]
        (EXPLAIN_DIR / "worker_throughput_profile.txt").write_text(profile.pop("top_cumulative"))
    if len(explain) > 1:  # not after --throughput-figures-only: the last plans stay
        (EXPLAIN_DIR / "worker_throughput.txt").write_text("\n".join(explain))
    metrics: dict[str, Any] = {
        "shape": vars(shape) | {"events_per_mix": args.throughput_events},
        "mixes": MIXES,
        "targets": TARGETS,
        "explain": "bench/explain/worker_throughput.txt",
        "load_average_1m_at_end": round(os.getloadavg()[0], 2),
        "cpus": os.cpu_count(),
        "measured_at": SystemClock().now().isoformat(timespec="seconds"),
        **report,
    }
    # The headline figures are the half-waking mix, as the issue states its targets.
    headline = {"sqlite_events_per_s": "sqlite_half"}
    headline |= {f"pg_{n}w_events_per_s": f"pg_{n}w_half" for n in (1, 2, 4)}
    for key, source in headline.items():
        if f"{source}_events_per_s" in report:
            metrics[key] = report[f"{source}_events_per_s"]
    for n in (2, 4):
        if "pg_1w_events_per_s" in metrics and f"pg_{n}w_events_per_s" in metrics:
            metrics[f"scaleout_{n}w_ratio"] = round(
                metrics[f"pg_{n}w_events_per_s"] / metrics["pg_1w_events_per_s"], 2
            )
    for n in (1, 2, 4):
        inbox, stream = f"pg_{n}w_half_events_per_s", f"jetstream_pg_{n}w_half_events_per_s"
        if inbox in report and stream in report:
            metrics[f"jetstream_pg_{n}w_vs_inbox_ratio"] = round(report[stream] / report[inbox], 2)
    if (
        "jetstream_pg_1w_half_events_per_s" in report
        and "jetstream_pg_2w_half_events_per_s" in report
    ):
        metrics["jetstream_scaleout_2w_ratio"] = round(
            report["jetstream_pg_2w_half_events_per_s"]
            / report["jetstream_pg_1w_half_events_per_s"],
            2,
        )
    metrics["worker_event_batch"] = args.throughput_batch
    audience = report.get("pg_audience") or report.get("sqlite_audience")
    if audience:
        metrics["playbook_audience_p99_ms"] = audience["p99_ms"]
    return metrics
