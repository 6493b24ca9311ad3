#!/usr/bin/env bash
# Run the test suite with PostgreSQL and NATS available.
#
#   scripts/test.sh [--no-lint] [pytest args...]
#
# Brings services up (reusing 5432/4222 or starting throwaway ones), always tears down what
# it started on exit (also on failure or Ctrl-C), runs `make lint` unless --no-lint, then
# pytest. pytest's exit code is propagated, except 5 ("no tests collected"), which is
# reported loudly but counted as success so an empty selection (e.g. -k postgres before
# such tests exist) does not fail CI.
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"

lint=1
if [ "${1:-}" = "--no-lint" ]; then
    lint=0
    shift
fi

# If services were already up (e.g. `make services` for a benchmark in another terminal),
# `up` reuses them and we leave them running; otherwise stop exactly what `up` started,
# whatever happens below (test failure, Ctrl-C).
before="$(cat .services.pids 2>/dev/null || true)"
scripts/services.sh up
after="$(cat .services.pids 2>/dev/null || true)"
if [ -z "$before" ] || [ "$before" != "$after" ]; then
    trap 'scripts/services.sh down' EXIT
fi
# shellcheck source=/dev/null
. ./.services.env

if [ "$lint" -eq 1 ]; then
    "${MAKE:-make}" --no-print-directory lint
fi

rc=0
.venv/bin/python -m pytest "$@" || rc=$?
if [ "$rc" -eq 5 ]; then
    echo "WARNING: pytest collected no tests (exit code 5); treating as success" >&2
    rc=0
fi
exit "$rc"
