"""reliability: the whole API driven statefully by schemathesis, and kill -9 trials on PostgreSQL.

Two halves, each also run in a bounded form by `make test` (tests/e2e/test_reliability.py) and at
full size by `make reliability`:

- ``fuzz_requests`` / ``fuzz_5xx``: schemathesis's state machine over the OpenAPI document, with
  the links it infers between operations (a customer created, then read, changed, merged,
  erased…), as an admin, in-process. Every answer is counted; a 5xx is a failure.
- ``kill9_trials`` / ``lost`` / ``doubled`` / ``stuck``: ``chaos.py``'s trials, each killing the
  API or one of two workers at a random moment while events arrive (see there for the counts).

``poison_events_blocking`` in the same block is written by ``poison.py``.
"""

from __future__ import annotations

import argparse
import os
import random
import tempfile
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import schemathesis
from hypothesis import HealthCheck, Phase, settings

from bench.chaos import KillTrial, admin_secret, run_kill_trial, running_cluster, wait_in_line
from bench.crash import smtp_sink
from bench.support import fresh_database
from heedful.adapters.clock import SystemClock
from heedful.adapters.storage.migrate import upgrade
from heedful.bootstrap import Container, build
from heedful.config import Settings
from heedful.entrypoints.observability import configure_logging
from heedful.entrypoints.web import create_app

NAME = "reliability"


@dataclass
class FuzzReport:
    requests: int = 0
    statuses: Counter[int] = field(default_factory=Counter)
    server_errors: list[str] = field(default_factory=list)  # "POST /api/v1/x -> 500: detail"

    def count(self, label: str, status: int, text: str) -> None:
        self.requests += 1
        self.statuses[status // 100 * 100] += 1
        if status >= 500:
            self.server_errors.append(f"{label} -> {status}: {text[:300]}")


def fuzz_stateful(container: Container, *, examples: int, steps: int) -> FuzzReport:
    """Chains of requests along the document's inferred links, as an admin; never raises on a 5xx
    so that every one is counted and listed."""
    secret = admin_secret(container)
    for _ in range(2):  # records for the chains to start from: list answers feed the links
        wait_in_line(container, 3)
    schema = schemathesis.openapi.from_asgi("/api/v1/openapi.json", create_app(container))
    report = FuzzReport()

    class Chains(schema.as_state_machine()):  # type: ignore[misc]
        def before_call(self, case: Any) -> None:
            # The document's bearer scheme makes schemathesis generate an Authorization header
            # of its own; the admin's replaces it, or most requests would only meet the 401.
            case.headers = {**(case.headers or {}), "Authorization": f"Bearer {secret}"}

        def validate_response(self, response: Any, case: Any, **kwargs: Any) -> None:
            del kwargs
            report.count(case.operation.label, response.status_code, response.text)

    Chains.run(
        settings=settings(
            max_examples=examples,
            stateful_step_count=steps,
            deadline=None,
            derandomize=True,  # the same chains every run: a 5xx found once is found again
            database=None,
            suppress_health_check=list(HealthCheck),
            phases=[Phase.generate],
        )
    )
    return report


def kill_trials(
    database_url: str, trials: int, seed: int, log_dir: Path, *, customers: int = 8
) -> list[KillTrial]:
    """``trials`` kills against the API and two workers on ``database_url`` (PostgreSQL)."""
    rng = random.Random(seed)
    container = build(Settings(database_url=database_url, log_level="WARNING"))
    done: list[KillTrial] = []
    try:
        secret = admin_secret(container)
        with smtp_sink() as (port, sink), running_cluster(database_url, port, log_dir) as cluster:
            for number in range(trials):
                trial = run_kill_trial(cluster, container, sink, secret, rng, customers=customers)
                done.append(trial)
                print(
                    f"trial {number + 1}: killed {trial.victim} at {trial.killed_at_s} s "
                    f"({trial.accepted_before_kill}/{trial.events} events in, "
                    f"{trial.mailed_before_kill} e-mails out); "
                    f"lost {trial.lost}, doubled {trial.doubled}, stuck {trial.stuck}, "
                    f"resent {trial.resent_same_id}",
                    flush=True,
                )
    finally:
        container.close()
    return done


def add_arguments(parser: argparse.ArgumentParser) -> None:
    group = parser.add_argument_group(NAME)
    group.add_argument("--reliability-trials", type=int, default=20, help="kill -9 trials")
    group.add_argument(
        "--reliability-examples", type=int, default=200, help="state machine runs of the API"
    )
    group.add_argument(
        "--reliability-steps", type=int, default=10, help="requests per run, at most"
    )


def run(args: argparse.Namespace) -> dict[str, float | str]:
    configure_logging("WARNING")  # the in-process fuzz would log each of its requests
    load_at_start = round(os.getloadavg()[0], 2)
    log_dir = Path(tempfile.mkdtemp(prefix="heedful-reliability-"))
    with fresh_database(args.postgres_url, keep=args.keep, label="reliability_") as url:
        upgrade(url)
        trials = kill_trials(url, args.reliability_trials, args.seed, log_dir)
    with fresh_database(args.postgres_url, keep=args.keep, label="fuzz_") as url:
        upgrade(url)
        container = build(Settings(database_url=url, log_level="WARNING"))
        try:
            fuzz = fuzz_stateful(
                container, examples=args.reliability_examples, steps=args.reliability_steps
            )
        finally:
            container.close()
    for line in fuzz.server_errors:
        print(line)
    victims = Counter(t.victim for t in trials)
    return {
        "kill9_trials": len(trials),
        "kill9_api": victims["api"],
        "kill9_workers": victims["worker-1"] + victims["worker-2"],
        "lost": sum(t.lost for t in trials),
        "doubled": sum(t.doubled for t in trials),
        "stuck": sum(t.stuck for t in trials),
        "resent_same_id": sum(t.resent_same_id for t in trials),
        "fuzz_requests": fuzz.requests,
        "fuzz_5xx": len(fuzz.server_errors),
        "fuzz_2xx": fuzz.statuses[200],
        "fuzz_4xx": fuzz.statuses[400],
        "load_average_1m_at_start": load_at_start,
        "measured_at": SystemClock().now().replace(microsecond=0).isoformat(),
    }
