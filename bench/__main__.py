"""`python -m bench [name ...]`: run the named benchmarks (default: all), merge bench/results.json.

python -m bench                     # everything at full size: what `make bench` runs
python -m bench customer_card --customers 20000 --import-rows 2000    # a quick run
python -m bench --small             # every benchmark to the end on toy sizes (`make bench-small`)
"""

from __future__ import annotations

import argparse
import importlib
import json
import sys
import tempfile
from pathlib import Path
from types import ModuleType

from bench.support import RESULTS, merge_results, postgres_server_url

BENCHMARKS = (
    "customer_card",
    "ingest_http",
    "crash",
    "timers",
    "restock_to_smtp",
    "restock_under_load",
    "relay_throughput",
    "playbook_audience",
    "match",
    "dashboard",
    "sla_clocks",
    "inbox",
    "text_model",
    "poison",
    "reliability",
    "catalog_import",
    "lookahead",
    "promises_in_bulk",
    "audit_report",
    "worker_throughput",
    "ingest_under_load",
)


# `--small`: every benchmark on sizes that run in seconds to minutes, to show that `python -m bench`
# goes to the end on this machine (issue 18) without the hour a full run takes. Figures from such
# a run say nothing about speed, so it never writes results; its plans are of a toy database, so
# they go to a temporary directory instead of over the stored ones. Flags given still win.
SMALL = {
    "no_results": True,
    "customers": 2000, "import_rows": 500, "requests": 50, "warmup": 5, "naive_queries": 2,
    "batch_events": 2000, "batch_clients": 2, "single_events": 200, "single_clients": 2,
    "crash_trials": 1, "crash_messages": 30,
    "timer_customers": 1000, "timer_promises": 5000, "timers_due": 50, "due_scans": 3,
    "naive_scans": 1,
    "restock_customers": 2000, "restock_promises": 5000, "restock_items": 1000,
    "restock_trials": 5, "restock_warmup": 1,
    "under_load_trials": 5, "under_load_warmup": 1, "under_load_rate_events": 200,
    "relay_messages": 200, "relay_notices": 200,
    "audience_customers": 2000, "audience_preferences": 10000, "audience_runs": 2,
    "audience_naive_runs": 1,
    "interests": 10000, "events": 2000, "match_warmup": 200, "naive_events": 2,
    "dashboard_answers": 5000, "dashboard_runs": 2, "dashboard_raw_runs": 1,
    "sla_threads": 2000, "sla_due_soon": 50, "sla_scans": 3, "sla_naive_scans": 1,
    "sla_computations": 200, "sla_naive_computations": 20,
    "inbox_threads": 1000, "inbox_resolved": 1000, "inbox_customers": 500,
    "inbox_requests": 20, "inbox_warmup": 2,
    "poison_rounds": 3, "poison_per_round": 2,
    "reliability_trials": 1, "reliability_examples": 5, "reliability_steps": 3,
    "catalog_variants": 2000, "catalog_locations": 3, "catalog_baseline_rows": 100,
    "lookahead_rows": 2000, "lookahead_customers": 500, "lookahead_changes": 20,
    "bulk_promises": 500, "bulk_window": 100,
    "audit_visits": 500, "audit_locations": 5,
    "throughput_events": 200, "throughput_workers": "1,2",
    "under_load_requests": 10, "under_load_rate": 5.0, "under_load_alone_s": 2.0,
    "under_load_backlog": 500, "under_load_reads": 10,
}  # fmt: skip
EXPLAIN_ATTRIBUTES = ("EXPLAIN_DIR", "EXPLAINED")  # where modules keep their stored plans


def _module(name: str) -> ModuleType:
    return importlib.import_module(f"bench.{name}")


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="python -m bench",
        description=__doc__,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument("names", nargs="*", metavar="NAME", help=f"of {', '.join(BENCHMARKS)}")
    parser.add_argument(
        "--postgres-url",
        default=postgres_server_url(),
        help="server for throwaway databases (default: HEEDFUL_TEST_POSTGRES_URL or local 5432)",
    )
    parser.add_argument("--seed", type=int, default=20261123)
    parser.add_argument("--keep", action="store_true", help="keep the benchmark databases")
    parser.add_argument("--results", type=Path, default=RESULTS, help="the JSON file to merge into")
    parser.add_argument(
        "--no-results", action="store_true", help="print only; leave the results file alone"
    )
    parser.add_argument(
        "--small", action="store_true", help="every benchmark on toy sizes; writes no results"
    )
    for name in BENCHMARKS:
        _module(name).add_arguments(parser)
    return parser


def arguments(argv: list[str] | None = None) -> argparse.Namespace:
    parser = _parser()
    args = parser.parse_args(argv)
    if args.small:
        parser.set_defaults(**SMALL)
        args = parser.parse_args(argv)
    return args


def main(argv: list[str] | None = None) -> int:
    args = arguments(argv)
    if args.small:
        plans_aside()
    unknown = sorted(set(args.names) - set(BENCHMARKS))
    if unknown:
        print(f"no benchmark called {', '.join(unknown)}; there are {', '.join(BENCHMARKS)}")
        return 2
    for name in args.names or BENCHMARKS:
        print(f"== {name}", flush=True)
        metrics = _module(name).run(args)
        print(json.dumps({name: metrics}, indent=2, ensure_ascii=False))
        if not args.no_results:
            # A module may file its figures under a shared key (issue 11's "reliability").
            merge_results(getattr(_module(name), "RESULTS_KEY", name), metrics, args.results)
            print(f"merged into {args.results}")
    return 0


def plans_aside() -> Path:
    aside = Path(tempfile.mkdtemp(prefix="heedful-bench-small-plans-"))
    print(f"a small run: no results written; plans go to {aside}")
    for name in BENCHMARKS:
        _module(name)
    # Their helpers too (customer_card's plans are written by bench.card_state).
    for name, module in list(sys.modules.items()):
        if not name.startswith("bench."):
            continue
        for attribute in EXPLAIN_ATTRIBUTES:
            if hasattr(module, attribute):
                setattr(module, attribute, aside)
    return aside


if __name__ == "__main__":
    sys.exit(main())
