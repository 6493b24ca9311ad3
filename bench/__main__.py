"""`python -m bench [name ...]`: run the named benchmarks (default: all), merge bench/results.json.

python -m bench                     # everything at full size: what `make bench` runs
python -m bench customer_card --customers 20000 --import-rows 2000    # a quick run
"""

from __future__ import annotations

import argparse
import importlib
import json
import sys
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
    for name in BENCHMARKS:
        _module(name).add_arguments(parser)
    return parser


def main(argv: list[str] | None = None) -> int:
    args = _parser().parse_args(argv)
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


if __name__ == "__main__":
    sys.exit(main())
