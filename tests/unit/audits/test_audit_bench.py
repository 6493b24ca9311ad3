"""The audit_report benchmark runs (small), so `make bench` never finds it broken."""

from __future__ import annotations

import argparse

from bench import audit_report


def test_the_benchmark_scores_and_reports_a_small_wave() -> None:
    metrics = audit_report.run(argparse.Namespace(audit_visits=200, audit_locations=5, seed=7))
    assert metrics["visits"] == 200
    assert metrics["items_per_visit"] == 60
    assert metrics["csv_rows"] > 5
    assert metrics["pdf_seconds"] > 0
    assert metrics["pdf_bytes"] > 1000
