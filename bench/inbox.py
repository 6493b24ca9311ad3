"""inbox: the inbox's API (``GET /api/v1/conversations``) with 100,000 open threads on PostgreSQL.

The threads (and, by default, as many resolved ones: an inbox table keeps its history) are
bulk-loaded with COPY onto 100,000 customers at the four bench locations, with the keys and
indexes put back afterwards exactly as the migrations made them. Each open thread has a next due
time spread over the coming two days (a tenth with no running clock), a channel, a status (a
fifth waiting on the customer) and, for half of them, an agent or a team.

Timed over HTTP against ``heedful serve`` (one uvicorn process), from a plain keep-alive client,
each request one after another, in the mix the console asks:

- an agent's first page at one location (``limit=50``), the page every agent opens;
- a manager's first page over every location;
- filtered pages: mine (``assignee=<id>``), unassigned, chat only;
- the next pages, following the cursor up to the fifth page.

Beside it, not in the target: the console's inbox page itself (HTML with customers' and staff
names), logged in as an agent at one location (``console_page_p95_ms``).

Target (the issue): the inbox page's API p95 under 50 ms (``inbox.p95_ms``, over the whole mix).
"""

from __future__ import annotations

import argparse
import json
import os
import random
import re
import tempfile
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

import httpx
import psycopg
from tqdm import tqdm

from bench.bulk_load import drop_keys_and_indexes, read_keys_and_indexes, restore_keys_and_indexes
from bench.customer_data import LOCATION_IDS, customer_ids
from bench.customer_data import load as load_customers
from bench.support import (
    Latencies,
    PlainClient,
    fresh_database,
    libpq_url,
    process_cpu_seconds,
    running_server,
    step,
    time_each,
)
from heedful.adapters.clock import SystemClock
from heedful.adapters.storage.conversation_rows import NOTHING_DUE  # no clock runs: last
from heedful.adapters.storage.migrate import upgrade
from heedful.bootstrap import build
from heedful.config import Settings
from heedful.core.access.model import SYSTEM, Role
from heedful.core.staff.handlers import (
    NewStaffMember,
    NewToken,
    create_staff_member,
    create_token,
)

NAME = "inbox"
TARGET_MS = 50.0
CHUNK = 50_000
THREAD_COLUMNS = (
    "id, customer_id, location_id, channel, subject, status, priority, language, segment,"
    " created_at, updated_at, assignee_id, team_id, next_due_at, next_due_kind, due_order,"
    " warned, breached, awaiting_reply_since, resolved_at, visitor_token, last_message_preview,"
    " reply_promise_id"
)
AGENTS = tuple(f"stf_bench_agent_{n:02d}" for n in range(20))
TEAMS = ("tm_bench_front", "tm_bench_returns")
CONSOLE_LOGIN, CONSOLE_PASSWORD = "bench-agent", "bench agent password"
_SUBJECTS = (
    "Де моє замовлення?",
    "Возврат товара",
    "Booking for Friday",
    "Розмір M ще є?",
    "Счёт за номер",
    "Card blocked abroad",
)


def add_arguments(parser: argparse.ArgumentParser) -> None:
    group = parser.add_argument_group(NAME)
    group.add_argument("--inbox-threads", type=int, default=100_000, help="open threads")
    group.add_argument(
        "--inbox-resolved", type=int, default=100_000, help="resolved threads beside them"
    )
    group.add_argument("--inbox-customers", type=int, default=100_000)
    group.add_argument("--inbox-requests", type=int, default=2_000, help="timed requests")
    group.add_argument("--inbox-warmup", type=int, default=200)


def run(args: argparse.Namespace) -> dict[str, Any]:
    metrics: dict[str, Any] = {
        "open_threads": args.inbox_threads,
        "resolved_threads": args.inbox_resolved,
        "customers": args.inbox_customers,
        "requests": args.inbox_requests,
        "load_average_1m_at_start": round(os.getloadavg()[0], 2),
    }
    with (
        tempfile.TemporaryDirectory(prefix="heedful-bench-") as tmp,
        fresh_database(args.postgres_url, keep=args.keep, label="inbox_") as url,
    ):
        with step("migrate"):
            upgrade(url)
        with step("load") as timer:
            rows = _load(libpq_url(url), args)
        metrics["load_s"] = round(timer.seconds, 1)
        metrics["load_rows"] = rows
        metrics |= _measure(url, args, Path(tmp))
        metrics |= _explain(libpq_url(url))
    metrics["measured_at"] = SystemClock().now().isoformat(timespec="seconds")
    verdict = "met" if metrics["p95_ms"] < TARGET_MS else "MISSED"
    print(f"target p95_ms < {TARGET_MS} ms: {metrics['p95_ms']} ms, {verdict}")
    return metrics


def _ts(at: datetime | None) -> str:
    return "\\N" if at is None else at.isoformat()


def _thread_line(rng: random.Random, index: int, ids: list[str], now: datetime, open_: bool) -> str:
    tid = f"thr_bench_{'o' if open_ else 'r'}{index:09d}"
    created = now - timedelta(seconds=rng.random() * 3 * 86400)
    channel = "chat" if rng.random() < 0.4 else "email"
    owner = rng.random()
    assignee = rng.choice(AGENTS) if owner < 0.35 else "\\N"
    team = rng.choice(TEAMS) if 0.35 <= owner < 0.5 else "\\N"
    subject = rng.choice(_SUBJECTS)
    if open_:
        status = "waiting_on_customer" if rng.random() < 0.2 else "open"
        running = status == "open" and rng.random() < 0.9
        due = now + timedelta(seconds=(rng.random() * 50 - 2) * 3600) if running else None
        kind = rng.choice(("first_response", "next_response", "resolution")) if due else "\\N"
        warned = "t" if due is not None and due - now < timedelta(minutes=30) else "f"
        breached = "t" if due is not None and due < now else "f"
        resolved = None
    else:
        status, due, kind, warned, breached = "resolved", None, "\\N", "f", "f"
        resolved = created + timedelta(hours=rng.random() * 30)
    return (
        f"{tid}\t{rng.choice(ids)}\t{rng.choice(LOCATION_IDS)}\t{channel}\t{subject}\t{status}\t"
        f"{rng.choice(('normal', 'normal', 'normal', 'high', 'low'))}\t"
        f"{rng.choice(('uk', 'ru', 'en'))}\tregular\t{_ts(created)}\t{_ts(created)}\t"
        f"{assignee}\t{team}\t{_ts(due)}\t{kind}\t{_ts(due or NOTHING_DUE)}\t{warned}\t"
        f"{breached}\t{_ts(created if open_ else None)}\t{_ts(resolved)}\t\\N\t"
        f"{subject} …\t\\N\n"
    )


def _load(conninfo: str, args: argparse.Namespace) -> int:
    population = load_customers(conninfo, args.inbox_customers, 0, 0, args.seed)
    ids = customer_ids(args.seed, args.inbox_customers)
    rng = random.Random(args.seed + 5)
    now = SystemClock().now().replace(microsecond=0)
    rows = sum(population.rows.values())
    with psycopg.connect(conninfo) as conn:
        conn.execute("SET maintenance_work_mem = '512MB'")
        conn.execute("SET synchronous_commit = off")
        schema = read_keys_and_indexes(conn, ("threads",))
        drop_keys_and_indexes(conn, schema)
        for open_, count in ((True, args.inbox_threads), (False, args.inbox_resolved)):
            label = "open threads" if open_ else "resolved threads"
            with tqdm(total=count, desc=label, unit="row", unit_scale=True) as bar:
                for start in range(0, count, CHUNK):
                    stop = min(start + CHUNK, count)
                    lines = [_thread_line(rng, i, ids, now, open_) for i in range(start, stop)]
                    with (
                        conn.cursor() as cur,
                        cur.copy(f"COPY threads ({THREAD_COLUMNS}) FROM STDIN") as copy,
                    ):
                        copy.write("".join(lines))
                    bar.update(len(lines))
            rows += count
        with step("keys and indexes back"):
            restore_keys_and_indexes(conn, schema)
        conn.commit()
    with psycopg.connect(conninfo, autocommit=True) as conn:
        conn.execute("VACUUM ANALYZE threads")
    return rows


def _measure(url: str, args: argparse.Namespace, work: Path) -> dict[str, Any]:
    container = build(Settings(database_url=url))
    location = LOCATION_IDS[0]
    secrets = {
        who: create_token(
            NewToken(name=f"bench {who}", role=role, location_ids=places),
            container.uow(),
            container.clock,
            SYSTEM,
        )[1]
        for who, role, places in (
            ("agent", Role.AGENT, frozenset({location})),
            ("manager", Role.MANAGER, frozenset(LOCATION_IDS)),
        )
    }
    create_staff_member(
        NewStaffMember(
            login=CONSOLE_LOGIN,
            full_name="Bench Agent",
            role=Role.AGENT,
            password=CONSOLE_PASSWORD,
            location_ids=frozenset({location}),
        ),
        container.uow(),
        container.clock,
        SYSTEM,
    )
    container.close()
    asks: list[tuple[str, str, dict[str, str]]] = [
        ("agent_first_page", "agent", {"limit": "50"}),
        ("manager_first_page", "manager", {"limit": "50"}),
        ("mine", "agent", {"limit": "50", "assignee": AGENTS[0]}),
        ("unassigned", "agent", {"limit": "50", "assignee": "none"}),
        ("chat_only", "manager", {"limit": "50", "channel": "chat"}),
    ]
    metrics: dict[str, Any] = {}
    with running_server(url, work / "server.log") as server:
        clients = {
            who: PlainClient(server.base_url, {"Authorization": f"Bearer {secret}"})
            for who, secret in secrets.items()
        }
        cursors = _cursors(clients["agent"], pages=5)
        plan = [(name, who, params) for name, who, params in asks]
        plan += [
            (f"page_{n + 2}", "agent", {"limit": "50", "cursor": c}) for n, c in enumerate(cursors)
        ]
        rng = random.Random(args.seed + 6)
        picks = [rng.randrange(len(plan)) for _ in range(args.inbox_warmup + args.inbox_requests)]
        by_kind: dict[str, list[float]] = {name: [] for name, _, _ in plan}

        def ask(index: int) -> None:
            name, who, params = plan[index]
            status, body = clients[who].get("/api/v1/conversations", params)
            if status != 200:
                raise RuntimeError(f"{name}: {status} {body[:300]!r}")
            if not json.loads(body)["items"]:
                raise RuntimeError(f"{name}: an empty page; the data is not what was loaded")

        time_each(ask, picks[: args.inbox_warmup])
        cpu_before = process_cpu_seconds(server.process.pid)
        timed = time_each(ask, picks[args.inbox_warmup :])
        cpu_ms = (
            (process_cpu_seconds(server.process.pid) - cpu_before) * 1000 / len(timed.samples_ms)
        )
        for index, sample in zip(picks[args.inbox_warmup :], timed.samples_ms, strict=True):
            by_kind[plan[index][0]].append(sample)
        for client in clients.values():
            client.close()
        console = _console_page(server.base_url, args)
    print(timed.line("inbox API via HTTP, the whole mix") + f", server CPU {cpu_ms:.2f} ms/request")
    metrics |= {key.removeprefix("all_"): value for key, value in timed.summary("all").items()}
    metrics["server_cpu_ms_per_request"] = round(cpu_ms, 3)
    for name, samples in by_kind.items():
        if samples:
            part = Latencies(samples, sum(samples) / 1000)
            print(part.line(f"  {name}"))
            metrics[f"{name}_p50_ms"] = round(part.percentile(50), 3)
            metrics[f"{name}_p95_ms"] = round(part.percentile(95), 3)
    metrics |= console
    return metrics


def _console_page(base_url: str, args: argparse.Namespace) -> dict[str, Any]:
    """The agent's inbox page in the console (HTML, names of customers and staff), logged in."""
    count = max(args.inbox_requests // 4, 50)
    with httpx.Client(base_url=base_url, timeout=30) as client:
        form = client.get("/login").text
        found = re.search(r'name="csrf_token" value="([^"]+)"', form)
        if found is None:
            raise RuntimeError("the login page has no CSRF token")
        client.post(
            "/login",
            data={"login": CONSOLE_LOGIN, "password": CONSOLE_PASSWORD, "csrf_token": found[1]},
        )

        def page(_: int) -> None:
            answer = client.get("/console/inbox")
            if answer.status_code != 200 or "data-thread=" not in answer.text:
                raise RuntimeError(f"console inbox: {answer.status_code} {answer.text[:300]}")

        time_each(page, range(min(args.inbox_warmup, 50)))
        timed = time_each(page, range(count))
    print(timed.line("console inbox page (HTML) via HTTP"))
    return {
        "console_page_p50_ms": round(timed.percentile(50), 3),
        "console_page_p95_ms": round(timed.percentile(95), 3),
    }


def _cursors(client: PlainClient, pages: int) -> list[str]:
    """The cursors of the agent's pages 2..pages, as the console follows them."""
    found: list[str] = []
    params = {"limit": "50"}
    for _ in range(pages - 1):
        status, body = client.get("/api/v1/conversations", params)
        if status != 200:
            raise RuntimeError(f"cursor walk: {status} {body[:300]!r}")
        cursor = json.loads(body)["next_cursor"]
        if not cursor:
            break
        found.append(cursor)
        params = {"limit": "50", "cursor": cursor}
    return found


def _explain(conninfo: str) -> dict[str, Any]:
    """How PostgreSQL answers the agent's first page: an index range, not a scan and sort."""
    query = (
        "SELECT id FROM threads WHERE status <> 'resolved' AND location_id = %s"
        " ORDER BY due_order, id LIMIT 51"
    )
    with psycopg.connect(conninfo) as conn:
        plan = conn.execute("EXPLAIN (ANALYZE, FORMAT JSON) " + query, (LOCATION_IDS[0],))
        row = plan.fetchone()
    assert row is not None
    top = row[0][0]
    nodes = json.dumps(top["Plan"])
    print(f"agent's first page in SQL: {top['Execution Time']:.3f} ms")
    return {
        "agent_page_sql_ms": round(top["Execution Time"], 3),
        "agent_page_sql_uses_inbox_index": "ix_threads_location_inbox" in nodes,
    }
