#!/usr/bin/env bash
# Install the Debian packages that `make test` / `make e2e` / `make bench` need, but only
# the ones that are missing. When everything is present this is a fast no-op (no apt-get
# update, no network), so `make test` can call it on every run.
#
#   chromium     - browser tests drive Debian's Chromium (never `playwright install`).
#   libatomic1   - Playwright's bundled node driver needs libatomic.so.1; without it the
#                  error is a confusing "Connection closed while reading from the driver".
#   postgresql   - only the binaries (initdb, pg_ctl, psql) are needed: scripts/services.sh
#                  starts its own throwaway cluster when nothing answers on 5432.
#   nats-server  - JetStream server for the integration tests (same reuse-or-start logic).
#   python3-venv - only when `python3 -m venv` cannot work (Debian splits out ensurepip).
#
# Usage: scripts/system-deps.sh            check everything
#        scripts/system-deps.sh --venv     check only what `make venv` needs (python3-venv)
set -euo pipefail

PYTHON3="${PYTHON3:-python3}"
missing=()

have_pkg() {
    # dpkg-query prints "install ok installed" for a fully installed package.
    [ "$(dpkg-query -W -f='${Status}' "$1" 2>/dev/null || true)" = "install ok installed" ]
}

have_pg_binaries() {
    # Any installed major version will do; services.sh picks the newest.
    compgen -G '/usr/lib/postgresql/*/bin/initdb' >/dev/null &&
        compgen -G '/usr/lib/postgresql/*/bin/pg_ctl' >/dev/null
}

if ! command -v dpkg-query >/dev/null 2>&1; then
    echo "system-deps: not a Debian system (no dpkg-query); install chromium, libatomic," \
        "PostgreSQL server binaries and nats-server yourself" >&2
    exit 0
fi

# ensurepip is missing from Debian's python3 unless python3-venv is installed.
if ! "$PYTHON3" -c 'import ensurepip' >/dev/null 2>&1; then
    missing+=(python3-venv)
fi

if [ "${1:-}" != "--venv" ]; then
    have_pkg chromium || missing+=(chromium)
    have_pkg libatomic1 || missing+=(libatomic1)
    have_pg_binaries || missing+=(postgresql)
    # nats-server lives in /usr/sbin, which a non-root PATH may not include.
    if ! command -v nats-server >/dev/null 2>&1 && [ ! -x /usr/sbin/nats-server ]; then
        missing+=(nats-server)
    fi
fi

if [ "${#missing[@]}" -eq 0 ]; then
    exit 0
fi

echo "system-deps: installing missing Debian packages: ${missing[*]}" >&2

SUDO=()
if [ "$(id -u)" -ne 0 ]; then
    if command -v sudo >/dev/null 2>&1; then
        SUDO=(sudo)
    else
        echo "system-deps: not root and no sudo; run as root:" >&2
        echo "  apt-get update && apt-get install -y ${missing[*]}" >&2
        exit 1
    fi
fi

# Keep package postinst scripts from starting services (the postgresql package would
# otherwise create and try to start a "main" cluster, which fails without systemd in a
# container and, when it works, grabs 5432 with peer/scram auth that tests cannot use).
# This is the standard policy-rc.d mechanism; we only add one when none exists and remove
# it again afterwards. services.sh starts what the tests need.
policy=/usr/sbin/policy-rc.d
added_policy=0
cleanup() {
    if [ "$added_policy" -eq 1 ]; then
        "${SUDO[@]}" rm -f "$policy"
    fi
}
trap cleanup EXIT
if [ ! -e "$policy" ]; then
    printf '#!/bin/sh\nexit 101\n' | "${SUDO[@]}" tee "$policy" >/dev/null
    "${SUDO[@]}" chmod 755 "$policy"
    added_policy=1
fi

export DEBIAN_FRONTEND=noninteractive
"${SUDO[@]}" apt-get update -q
if ! "${SUDO[@]}" apt-get install -y -q "${missing[@]}"; then
    # A postgresql postinst that fails to start its cluster must not break the build:
    # we only need the binaries. Anything else missing is a real failure.
    echo "system-deps: apt-get install reported an error; checking what we need" >&2
    ok=1
    for pkg in "${missing[@]}"; do
        case "$pkg" in
        postgresql) have_pg_binaries || ok=0 ;;
        *) have_pkg "$pkg" || ok=0 ;;
        esac
    done
    if [ "$ok" -ne 1 ]; then
        echo "system-deps: required packages are still missing" >&2
        exit 1
    fi
    echo "system-deps: required binaries are present; continuing" >&2
fi
