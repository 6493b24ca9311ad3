"""The reliability suite's bounded form, run by `make test`; `make reliability` runs it at length.

- The whole API driven statefully (schemathesis's state machine along the links it infers between
  operations): no request may answer 5xx.
- kill -9 of the API and of either of two `heedful worker` processes at random moments on
  PostgreSQL while events arrive: nothing lost, nothing doubled, nothing stuck.

The harness is the `reliability` benchmark's (bench/reliability.py, bench/chaos.py). The sizes
come from the environment so that `make reliability` can run the same tests longer.
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from structlog.testing import capture_logs

from bench.reliability import fuzz_stateful, kill_trials
from heedful.bootstrap import Container

EXAMPLES = int(os.environ.get("HEEDFUL_RELIABILITY_EXAMPLES", "25"))
STEPS = int(os.environ.get("HEEDFUL_RELIABILITY_STEPS", "10"))
TRIALS = int(os.environ.get("HEEDFUL_RELIABILITY_TRIALS", "3"))
SEED = int(os.environ.get("HEEDFUL_RELIABILITY_SEED", "20261206"))


@pytest.mark.reliability
def test_the_whole_api_driven_statefully_never_answers_5xx(container: Container) -> None:
    with capture_logs():  # a log line per request would bury `make reliability`'s summary
        report = fuzz_stateful(container, examples=EXAMPLES, steps=STEPS)
    # `make reliability` shows these (-s): how many requests, by class of answer.
    print(f"stateful fuzz: {report.requests} requests, {dict(report.statuses)}")  # noqa: T201
    assert report.requests >= EXAMPLES  # every run sent at least one request
    assert report.statuses[200] > 0  # chains reached records that exist, not only refusals
    assert report.server_errors == []


@pytest.mark.reliability
@pytest.mark.postgres
@pytest.mark.slow
def test_kill9_of_the_api_or_a_worker_loses_doubles_and_strands_nothing(
    postgres_server_url: str, tmp_path: Path
) -> None:
    from conftest_services import make_postgres_database

    from heedful.adapters.storage.migrate import upgrade

    url, drop = make_postgres_database()
    try:
        upgrade(url)
        trials = kill_trials(url, TRIALS, SEED, tmp_path)
    finally:
        drop()
    assert len(trials) == TRIALS
    assert [t.lost for t in trials] == [0] * TRIALS
    assert [t.doubled for t in trials] == [0] * TRIALS
    assert [t.stuck for t in trials] == [0] * TRIALS
    # A resend under the same Message-ID is possible only in the instant between the SMTP
    # server's "250 OK" and the worker's commit; receiving systems recognise it by its id.
    assert all(t.resent_same_id <= 1 for t in trials)
