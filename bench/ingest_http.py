"""ingest_http: business events per second into durable storage through the real HTTP API.

`heedful serve --no-worker` on a throwaway PostgreSQL database, driven by a lean asyncio HTTP/1.1
client on the same machine (it competes with the server for the two cores: the figures are what
one small box does with its own load generator, not what the server alone could do). Every 202
means committed; at the end the rows are counted and must equal what the answers accepted.

Targets (the issue): 20,000 events/s in batches of 100 and 3,000 events/s sent one by one.
Server CPU per event and per request (its processes' own CPU time, from /proc) are the figures to
compare across runs: the rates move with whatever else the machine is doing.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import psycopg

from bench.support import (
    events_post,
    fresh_database,
    libpq_url,
    process_cpu_seconds,
    read_reply,
    running_server,
    step,
)
from heedful.adapters.clock import SystemClock
from heedful.adapters.storage.migrate import upgrade
from heedful.bootstrap import build
from heedful.config import Settings
from heedful.core.access.model import SYSTEM, Role
from heedful.core.staff.handlers import NewToken, create_token

NAME = "ingest_http"
TARGETS = {"events_per_s": 20_000, "single_events_per_s": 3_000}
SIZES = ("S", "M", "L", "XL")


def add_arguments(parser: argparse.ArgumentParser) -> None:
    group = parser.add_argument_group(NAME)
    group.add_argument("--batch-events", type=int, default=200_000, help="events sent in batches")
    group.add_argument("--batch-size", type=int, default=100, help="events per batch request")
    group.add_argument("--batch-clients", type=int, default=8, help="concurrent batch senders")
    group.add_argument("--single-events", type=int, default=30_000, help="events sent one by one")
    group.add_argument("--single-clients", type=int, default=32, help="concurrent single senders")
    group.add_argument("--server-workers", type=int, default=2, help="`heedful serve --workers`")


def _event(run: str, n: int) -> dict[str, Any]:
    return {
        "specversion": "1.0",
        "id": f"{run}-{n}",
        "source": "urn:shop:kyiv-stock",
        "type": "heedful.stock.changed",
        "time": "2026-03-02T09:15:00+02:00",
        "datacontenttype": "application/json",
        "data": {
            "product": f"bag-{n % 5000}",
            "variant": "black",
            "size": SIZES[n % 4],
            "location": f"loc_{n % 40}",
            "quantity": n % 7,
            "price": 1150 + n % 300,
            "currency": "UAH",
        },
    }


@dataclass
class Tally:
    accepted: int = 0
    requests: int = 0
    latencies_ms: list[float] = field(default_factory=list)
    failures: list[str] = field(default_factory=list)


async def _sender(host: str, port: int, requests: list[bytes], tally: Tally) -> None:
    """One keep-alive connection sending its requests in turn: a client that waits for each 202."""
    reader, writer = await asyncio.open_connection(host, port)
    try:
        for request in requests:
            started = time.perf_counter()
            writer.write(request)
            head, body = await read_reply(reader)
            tally.latencies_ms.append((time.perf_counter() - started) * 1000)
            tally.requests += 1
            if not head.startswith(b"HTTP/1.1 202"):
                tally.failures.append(
                    head.split(b"\r\n", 1)[0].decode() + " " + body[:200].decode()
                )
                continue
            tally.accepted += json.loads(body)["accepted"]
    finally:
        writer.close()


async def _send_all(base_url: str, per_client: list[list[bytes]]) -> tuple[Tally, float]:
    url = urlsplit(base_url)
    if url.hostname is None or url.port is None:
        raise ValueError(f"no host and port in {base_url}")
    tally = Tally()
    started = time.perf_counter()
    await asyncio.gather(*(_sender(url.hostname, url.port, reqs, tally) for reqs in per_client))
    return tally, time.perf_counter() - started


def _percentile(samples: list[float], p: float) -> float:
    ordered = sorted(samples)
    return ordered[max(0, min(len(ordered) - 1, round(len(ordered) * p / 100) - 1))]


def _measure(
    what: str,
    server: Any,
    base_url: str,
    requests: list[bytes],
    events: int,
    clients: int,
) -> tuple[Tally, dict[str, Any]]:
    per_client = [requests[i::clients] for i in range(clients)]
    cpu_before = process_cpu_seconds(server.process.pid) + _children_cpu(server.process.pid)
    with step(f"{what}: {events:,} events in {len(requests):,} requests, {clients} clients"):
        tally, seconds = asyncio.run(_send_all(base_url, per_client))
    cpu = process_cpu_seconds(server.process.pid) + _children_cpu(server.process.pid) - cpu_before
    if tally.failures:
        raise RuntimeError(f"{what}: {len(tally.failures)} failures, e.g. {tally.failures[0]}")
    rate = tally.accepted / seconds
    print(
        f"{what}: {rate:,.0f} events/s, {tally.requests / seconds:,.0f} requests/s, "
        f"p50 {_percentile(tally.latencies_ms, 50):.1f} ms, "
        f"p99 {_percentile(tally.latencies_ms, 99):.1f} ms, "
        f"server CPU {cpu * 1e6 / max(events, 1):.0f} µs per event, "
        f"{cpu * 1e6 / max(len(requests), 1):.0f} µs per request"
    )
    return tally, {
        "events_per_s": round(rate),
        "requests_per_s": round(tally.requests / seconds),
        "p50_ms": round(_percentile(tally.latencies_ms, 50), 2),
        "p99_ms": round(_percentile(tally.latencies_ms, 99), 2),
        "server_cpu_us_per_event": round(cpu * 1e6 / max(events, 1), 1),
        # Robust to other load on the machine, unlike the rates: what the server itself spent.
        "server_cpu_us_per_request": round(cpu * 1e6 / max(len(requests), 1), 1),
        "seconds": round(seconds, 2),
    }


def _children_cpu(pid: int) -> float:
    """CPU of the server's worker processes (``--workers N`` forks them)."""
    total = 0.0
    for task in Path("/proc").glob("[0-9]*"):
        try:
            stat = (task / "stat").read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        if int(stat[1]) == pid:
            total += process_cpu_seconds(int(task.name))
    return total


def _count(url: str) -> int:
    with psycopg.connect(libpq_url(url)) as db:
        row = db.execute("SELECT count(*) FROM events").fetchone()
    return int(row[0]) if row else 0


def run(args: argparse.Namespace) -> dict[str, Any]:
    metrics: dict[str, Any] = {
        "batch_size": args.batch_size,
        "batch_clients": args.batch_clients,
        "single_clients": args.single_clients,
        "server_workers": args.server_workers,
        "client": "asyncio HTTP/1.1 keep-alive, same machine",
        "cpus": os.cpu_count(),
        "load_average_1m_at_start": round(os.getloadavg()[0], 2),
    }
    with (
        tempfile.TemporaryDirectory(prefix="heedful-bench-") as tmp,
        fresh_database(args.postgres_url, keep=args.keep, label="ingest_") as url,
    ):
        upgrade(url)
        container = build(Settings(database_url=url))
        _, token = create_token(
            NewToken(name="bench", role=Role.ADMIN), container.uow(), container.clock, SYSTEM
        )
        container.close()
        # Worker processes import the app afresh after the parent has: slow on a busy machine.
        with running_server(
            url, Path(tmp) / "server.log", workers=args.server_workers, startup_s=180.0
        ) as server:
            host = server.base_url.removeprefix("http://")
            batch_type = "application/cloudevents-batch+json"
            warmup = [
                events_post(host, token, batch_type, json.dumps([_event("warm", n)]).encode())
                for n in range(200)
            ]
            _measure("warm-up", server, server.base_url, warmup, 200, 8)

            size = args.batch_size
            batches = [
                events_post(
                    host,
                    token,
                    batch_type,
                    json.dumps([_event("b", n) for n in range(i, i + size)]).encode(),
                )
                for i in range(0, args.batch_events, size)
            ]
            tally, batched = _measure(
                "batched", server, server.base_url, batches, args.batch_events, args.batch_clients
            )
            metrics |= batched
            singles = [
                events_post(
                    host, token, "application/cloudevents+json", json.dumps(_event("s", n)).encode()
                )
                for n in range(args.single_events)
            ]
            single_tally, single = _measure(
                "single", server, server.base_url, singles, args.single_events, args.single_clients
            )
            metrics |= {f"single_{key}": value for key, value in single.items()}
        stored = _count(url)
    expected = 200 + tally.accepted + single_tally.accepted
    if stored != expected or tally.accepted != args.batch_events:
        raise RuntimeError(f"{stored} rows stored, {expected} accepted, {args.batch_events} sent")
    print(f"verified: {stored:,} rows in events, as many as the 202s accepted")
    metrics["rows_verified"] = stored
    metrics["load_average_1m_at_end"] = round(os.getloadavg()[0], 2)
    metrics["measured_at"] = SystemClock().now().isoformat(timespec="seconds")
    for key, target in TARGETS.items():
        verdict = "met" if metrics[key] >= target else "MISSED"
        print(f"target {key} >= {target:,}: {metrics[key]:,}, {verdict}")
    return metrics
