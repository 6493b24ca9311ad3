"""What every benchmark needs: throwaway databases, the real server, timings, the results file."""

from __future__ import annotations

import asyncio
import http.client
import json
import os
import secrets
import socket
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Iterable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any, TypeVar
from urllib.parse import urlencode, urlsplit

import httpx
import psycopg
from psycopg import sql
from sqlalchemy.engine import make_url

DEFAULT_POSTGRES_URL = "postgresql+psycopg://postgres@127.0.0.1:5432/postgres"
T = TypeVar("T")
RESULTS = Path(__file__).parent / "results.json"
HEEDFUL = Path(sys.executable).parent / "heedful"


def postgres_server_url() -> str:
    """The server `make services` started or found (maintenance database `postgres`)."""
    return os.environ.get("HEEDFUL_TEST_POSTGRES_URL") or DEFAULT_POSTGRES_URL


def libpq_url(sqlalchemy_url: str) -> str:
    """``postgresql+psycopg://...`` -> ``postgresql://...`` for psycopg.connect()."""
    return make_url(sqlalchemy_url).set(drivername="postgresql").render_as_string(False)


@contextmanager
def fresh_database(
    server_url: str, *, keep: bool, label: str = "", template: str = ""
) -> Iterator[str]:
    """A new database ``heedful_bench_<label><random>`` (a copy of ``template`` when named; no
    session may be open on it), dropped afterwards unless kept."""
    name = f"heedful_bench_{label}{secrets.token_hex(4)}"
    create = sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name))
    if template:
        create = sql.SQL("CREATE DATABASE {} TEMPLATE {}").format(
            sql.Identifier(name), sql.Identifier(template)
        )
    with psycopg.connect(libpq_url(server_url), autocommit=True) as admin:
        admin.execute(create)
    url = make_url(server_url).set(database=name).render_as_string(False)
    try:
        yield url
    finally:
        if keep:
            print(f"kept database {name}: {url}")
        else:
            with psycopg.connect(libpq_url(server_url), autocommit=True) as admin:
                admin.execute(
                    sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(sql.Identifier(name))
                )


def each_database(
    wanted: set[str], postgres_url: str, *, keep: bool, label: str
) -> Iterator[tuple[str, str]]:
    """``(name, url)`` of a fresh, migrated database for each of ``wanted`` ("sqlite", "pg").

    Each is gone (the SQLite file's folder removed, the PostgreSQL database dropped unless kept)
    once the loop moves on to the next.
    """
    from heedful.adapters.storage.migrate import upgrade

    if "sqlite" in wanted:
        with tempfile.TemporaryDirectory(prefix=f"heedful-{label}-") as folder:
            url = f"sqlite:///{Path(folder) / f'{label}.db'}"
            upgrade(url)
            yield "sqlite", url
    if "pg" in wanted:
        with fresh_database(postgres_url, keep=keep, label=f"{label}_") as url:
            upgrade(url)
            yield "pg", url


def events_post(host: str, token: str, content_type: str, body: bytes) -> bytes:
    """The raw bytes of ``POST /api/v1/events`` on a keep-alive connection."""
    head = (
        f"POST /api/v1/events HTTP/1.1\r\nHost: {host}\r\nAuthorization: Bearer {token}\r\n"
        f"Content-Type: {content_type}\r\nContent-Length: {len(body)}\r\n\r\n"
    )
    return head.encode() + body


async def read_reply(reader: asyncio.StreamReader) -> tuple[bytes, bytes]:
    """One HTTP/1.1 reply's head and body (the server always sends Content-Length)."""
    head = await reader.readuntil(b"\r\n\r\n")
    length = 0
    for line in head.split(b"\r\n"):
        if line[:15].lower() == b"content-length:":
            length = int(line[15:])
    return head, await reader.readexactly(length)


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port: int = probe.getsockname()[1]
        return port


@dataclass
class Server:
    base_url: str
    process: subprocess.Popen[bytes]


@contextmanager
def running_server(
    database_url: str,
    log_path: Path,
    *,
    workers: int = 1,
    startup_s: float = 30.0,
    with_worker: bool = False,
    env: dict[str, str] | None = None,
) -> Iterator[Server]:
    """`heedful serve` as production runs it (one uvicorn process unless told), on a free port;
    ``with_worker``: the embedded default, its worker thread in the server's process."""
    port = free_port()
    environment = {
        **os.environ,
        "HEEDFUL_DATABASE_URL": database_url,
        "HEEDFUL_HOST": "127.0.0.1",
        "HEEDFUL_PORT": str(port),
        **(env or {}),
    }
    worker = [] if with_worker else ["--no-worker"]
    with log_path.open("wb") as log:
        process = subprocess.Popen(
            [str(HEEDFUL), "serve", *worker, "--workers", str(workers)],
            env=environment,
            stdout=log,
            stderr=log,
        )
    server = Server(f"http://127.0.0.1:{port}", process)
    try:
        wait_until_healthy(server.base_url, process, log_path, startup_s)
        yield server
    finally:
        stop_all([process])


def stop_all(processes: Iterable[subprocess.Popen[bytes]]) -> None:
    """Ask each to stop, all at once, then wait; one that will not stop in 10 s is killed."""
    processes = list(processes)
    for process in processes:
        process.terminate()
    for process in processes:
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


def wait_until_healthy(
    base_url: str, process: subprocess.Popen[bytes], log_path: Path, timeout_s: float = 30.0
) -> None:
    deadline = time.monotonic() + timeout_s
    with httpx.Client(base_url=base_url, timeout=2.0) as client:
        while time.monotonic() < deadline:
            try:
                if client.get("/healthz").status_code == 200:
                    return
            except httpx.TransportError:
                pass
            try:
                # Waiting on the process doubles as the pause between polls.
                process.wait(timeout=0.1)
            except subprocess.TimeoutExpired:
                continue
            raise RuntimeError(f"the server exited; see {log_path}")
    raise RuntimeError(f"the server did not answer /healthz in {timeout_s:.0f} s; see {log_path}")


def process_cpu_seconds(pid: int) -> float:
    """User + system CPU a process has used (Linux /proc): unlike wall time, other load on the
    machine barely changes it, so it says what a request costs on a quiet machine."""
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    # After "pid (comm)": utime and stime are fields 14 and 15 of the full line.
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


@dataclass(frozen=True)
class Latencies:
    """Client-side wall times of sequential requests, in milliseconds."""

    samples_ms: list[float]
    elapsed_s: float

    def percentile(self, p: float) -> float:
        # Nearest rank: the smallest sample with at least p % of the samples at or below it.
        ordered = sorted(self.samples_ms)
        rank = max(1, -(-len(ordered) * p // 100))
        return ordered[int(rank) - 1]

    def summary(self, prefix: str) -> dict[str, float]:
        return {
            f"{prefix}_p50_ms": round(self.percentile(50), 3),
            f"{prefix}_p95_ms": round(self.percentile(95), 3),
            f"{prefix}_p99_ms": round(self.percentile(99), 3),
            f"{prefix}_max_ms": round(max(self.samples_ms), 3),
            f"{prefix}_requests_per_s": round(len(self.samples_ms) / self.elapsed_s, 1),
        }

    def line(self, what: str) -> str:
        return (
            f"{what}: n={len(self.samples_ms)} p50={self.percentile(50):.2f} ms "
            f"p95={self.percentile(95):.2f} ms p99={self.percentile(99):.2f} ms "
            f"({len(self.samples_ms) / self.elapsed_s:.0f}/s)"
        )


def time_each(call: Callable[[T], object], inputs: Sequence[T]) -> Latencies:
    """Call once per input, one after another, timing each call."""
    samples: list[float] = []
    started = time.perf_counter()
    for given in inputs:
        before = time.perf_counter()
        call(given)
        samples.append((time.perf_counter() - before) * 1000)
    return Latencies(samples, time.perf_counter() - started)


@dataclass
class Stopwatch:
    seconds: float = 0.0


@contextmanager
def step(what: str) -> Iterator[Stopwatch]:
    """Print how long a step took; the stopwatch holds the seconds once the block is done."""
    print(f"{what} ...", flush=True)
    watch = Stopwatch()
    started = time.perf_counter()
    yield watch
    watch.seconds = time.perf_counter() - started
    print(f"{what}: {watch.seconds:.1f} s", flush=True)


def merge_results(name: str, metrics: dict[str, Any], path: Path = RESULTS) -> None:
    """Update this benchmark's block in the results file; other benchmarks' blocks stay.

    Keys a partial run did not measure (``--skip-import``, ``--database-url``) keep their earlier
    values; each part records when it was measured."""
    results: dict[str, Any] = json.loads(path.read_text()) if path.exists() else {}
    results.setdefault(name, {}).update(metrics)
    path.write_text(json.dumps(results, indent=2, sort_keys=True, ensure_ascii=False) + "\n")


class PlainClient:
    """One keep-alive HTTP/1.1 connection from the standard library, for timing requests.

    httpx costs about a millisecond of the client's CPU per request on this machine, which on two
    cores shared with the server and PostgreSQL shows up in the server's own latency. A till's
    integration is usually leaner than that; this is about as lean as Python gets.
    """

    def __init__(self, base_url: str, headers: dict[str, str] | None = None) -> None:
        parts = urlsplit(base_url)
        self._connection = http.client.HTTPConnection(parts.hostname or "127.0.0.1", parts.port)
        self._headers = headers or {}

    def get(self, path: str, params: dict[str, str] | None = None) -> tuple[int, bytes]:
        target = f"{path}?{urlencode(params)}" if params else path
        self._connection.request("GET", target, headers=self._headers)
        answer = self._connection.getresponse()
        return answer.status, answer.read()

    def close(self) -> None:
        self._connection.close()
