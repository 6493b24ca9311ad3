"""A worker killed with SIGKILL in the middle of sending loses nothing and doubles nothing.

The real command (`heedful worker`) runs in its own process against a real SMTP server; the
harness is the one the `crash` benchmark runs twenty times (bench/crash.py).
"""

from __future__ import annotations

from pathlib import Path

import pytest

from bench.crash import run_trial, smtp_sink
from heedful.core.engine.relay import RELAY_BATCH


@pytest.mark.slow
def test_a_worker_killed_mid_batch_and_restarted_sends_every_message_once(
    database_url: str, tmp_path: Path
) -> None:
    with smtp_sink() as (port, sink):
        trial = run_trial(
            database_url,
            port,
            sink,
            # More than one batch (RELAY_BATCH), so the kill lands before the last one is sent.
            customers=150,
            kill_after=40,
            log=tmp_path / "worker.log",
            jitter_s=0.03,
        )
    assert trial.killed_after < trial.messages  # the kill did land in the middle
    assert trial.lost == 0
    assert trial.doubled == 0
    # A resend under the same Message-ID is possible only between the servers' "250 OK" and the
    # batch's commit; the receiving side recognises it. It is at most one batch per kill (ADR 52).
    assert trial.resent_same_id <= RELAY_BATCH
