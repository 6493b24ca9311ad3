"""A worker killed with SIGKILL in the middle of sending loses nothing and doubles nothing.

The real command (`heedful worker`) runs in its own process against a real SMTP server; the
harness is the one the `crash` benchmark runs twenty times (bench/crash.py).
"""

from __future__ import annotations

from pathlib import Path

import pytest

from bench.crash import run_trial, smtp_sink


@pytest.mark.slow
def test_a_worker_killed_mid_batch_and_restarted_sends_every_message_once(
    database_url: str, tmp_path: Path
) -> None:
    with smtp_sink() as (port, sink):
        trial = run_trial(
            database_url,
            port,
            sink,
            customers=60,
            kill_after=15,
            log=tmp_path / "worker.log",
            jitter_s=0.03,
        )
    assert trial.killed_after < trial.messages  # the kill did land in the middle
    assert trial.lost == 0
    assert trial.doubled == 0
    # A resend under the same Message-ID is possible only in the instant between the server's
    # "250 OK" and the commit; the receiving side recognises it. It is at most one per kill.
    assert trial.resent_same_id <= 1
