"""`python -m bench --small` (`make bench-small`): every benchmark on toy sizes, nothing stored."""

from __future__ import annotations

import sys

import pytest

from bench import card_state, worker_throughput
from bench.__main__ import SMALL, arguments, plans_aside


def test_a_small_run_takes_toy_sizes_and_writes_no_results() -> None:
    args = arguments(["--small"])
    assert args.no_results
    assert (args.customers, args.throughput_events, args.restock_promises) == (2000, 200, 5000)


def test_a_size_given_on_the_command_line_wins_over_the_small_one() -> None:
    args = arguments(["--small", "--customers", "5000", "worker_throughput"])
    assert args.customers == 5000
    assert args.names == ["worker_throughput"]
    assert args.throughput_events == SMALL["throughput_events"]  # the others stay small


def test_without_small_a_run_keeps_its_full_sizes_and_its_results() -> None:
    args = arguments([])
    assert not args.no_results
    assert args.customers == 1_000_000


def test_a_small_runs_plans_go_aside_never_over_the_stored_ones(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    stored = (worker_throughput.EXPLAIN_DIR, card_state.EXPLAINED)
    # Put them back after the test: the redirection is meant for the rest of a small run.
    monkeypatch.setattr(worker_throughput, "EXPLAIN_DIR", stored[0])
    monkeypatch.setattr(card_state, "EXPLAINED", stored[1])

    aside = plans_aside()

    assert aside == worker_throughput.EXPLAIN_DIR
    assert aside == card_state.EXPLAINED  # a helper module, not a benchmark of its own
    assert aside not in stored
    assert aside.is_dir()
    assert all(
        getattr(module, "EXPLAIN_DIR", aside) == aside
        for name, module in sys.modules.items()
        if name.startswith("bench.")
    )
    aside.rmdir()
