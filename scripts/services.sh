#!/usr/bin/env bash
# PostgreSQL and NATS JetStream for the test suite and benchmarks.
#
#   scripts/services.sh up     reuse 127.0.0.1:5432 / :4222 when they answer (and are usable),
#                              otherwise start throwaway instances from the Debian binaries in
#                              temp dirs; write .services.env (URLs) and .services.pids.
#   scripts/services.sh down   stop exactly the processes recorded in .services.pids and remove
#                              their temp dirs. Never touches servers it did not start.
#   scripts/services.sh status print .services.env and whether the recorded PIDs are alive.
#
# Environment:
#   HEEDFUL_SERVICES_FORCE_OWN=1   always start our own instances (ignore 5432/4222)
#   HEEDFUL_PG_PORT / HEEDFUL_NATS_PORT   first port to try for our own instances
#                                          (default 55432 / 54222; the next free one is used)
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
ENV_FILE="$ROOT/.services.env"
PIDS_FILE="$ROOT/.services.pids"
FORCE_OWN="${HEEDFUL_SERVICES_FORCE_OWN:-0}"
PG_PORT_START="${HEEDFUL_PG_PORT:-55432}"
NATS_PORT_START="${HEEDFUL_NATS_PORT:-54222}"

log() { echo "services: $*" >&2; }

# --- helpers ---------------------------------------------------------------------------

# True when something accepts TCP connections on 127.0.0.1:$1 (bash /dev/tcp: no extra tools).
port_open() {
    timeout 2 bash -c "exec 3<>/dev/tcp/127.0.0.1/$1" 2>/dev/null
}

first_free_port() {
    local port=$1
    while port_open "$port"; do
        port=$((port + 1))
        if [ "$port" -gt $(($1 + 100)) ]; then
            log "no free port in $1..$port"
            return 1
        fi
    done
    echo "$port"
}

# A process counts as running unless it is gone or a zombie. PID 1 on these machines reaps
# orphans lazily (~2 s), and `kill -0` keeps succeeding on a zombie.
alive() {
    local pid=$1 state
    [ -r "/proc/$pid/stat" ] || return 1
    # Field 3 of /proc/PID/stat is the state; strip "pid (comm) " first (comm may have spaces).
    state="$(sed -e 's/^.*) //' "/proc/$pid/stat" 2>/dev/null | cut -d' ' -f1)" || return 1
    [ -n "$state" ] && [ "$state" != "Z" ] && [ "$state" != "X" ]
}

# Guard against PID reuse: only signal a PID whose command line still mentions $2.
is_ours() {
    local pid=$1 what=$2
    alive "$pid" && tr '\0' ' ' <"/proc/$pid/cmdline" 2>/dev/null | grep -q -- "$what"
}

wait_gone() {
    local pid=$1 tries=$2
    while [ "$tries" -gt 0 ] && alive "$pid"; do
        sleep 0.1
        tries=$((tries - 1))
    done
    ! alive "$pid"
}

# Reuse a PostgreSQL on 5432 only if we can actually log in as postgres without a password
# (a stock Debian cluster uses peer/scram auth and would fail every test).
pg_reusable() {
    port_open 5432 || return 1
    command -v psql >/dev/null 2>&1 || return 1
    PGCONNECT_TIMEOUT=3 psql -w -X -q -h 127.0.0.1 -p 5432 -U postgres -d postgres \
        -Atc 'select 1' >/dev/null 2>&1
}

# Reuse a NATS on 4222 only if it greets with INFO and has JetStream enabled.
nats_reusable() {
    timeout 3 bash -c '
        exec 3<>/dev/tcp/127.0.0.1/4222 || exit 1
        IFS= read -r -t 2 line <&3 || exit 1
        case "$line" in INFO*"\"jetstream\":true"*) exit 0 ;; *) exit 1 ;; esac
    ' 2>/dev/null
}

pg_bindir() {
    # Newest installed major version of the Debian server binaries.
    local dir
    dir="$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -1)"
    if [ -z "$dir" ] || [ ! -x "$dir/initdb" ]; then
        log "PostgreSQL server binaries not found under /usr/lib/postgresql (run: make system-deps)"
        return 1
    fi
    echo "$dir"
}

nats_bin() {
    if command -v nats-server >/dev/null 2>&1; then
        command -v nats-server
    elif [ -x /usr/sbin/nats-server ]; then
        echo /usr/sbin/nats-server
    else
        log "nats-server not found (run: make system-deps)"
        return 1
    fi
}

# --- start our own instances -----------------------------------------------------------

start_postgres() {
    local bindir port tmp pid
    bindir="$(pg_bindir)"
    port="$(first_free_port "$PG_PORT_START")"
    # System temp dir, not the repo: the postgres user cannot traverse root's home (0700).
    tmp="$(mktemp -d -t heedful-pg.XXXX)"
    # Record the dir at once so `down` can clean up even if a later step fails.
    echo "postgres - $tmp" >>"$PIDS_FILE"
    local run=()
    if [ "$(id -u)" -eq 0 ]; then
        # initdb refuses to run as root; run the server as the postgres system user.
        chown postgres: "$tmp"
        run=(runuser -u postgres --)
    fi
    "${run[@]}" "$bindir/initdb" -D "$tmp/data" -U postgres -A trust -E UTF8 \
        --locale=C.UTF-8 --no-sync >"$tmp/initdb.log" 2>&1 || {
        log "initdb failed:"
        cat "$tmp/initdb.log" >&2
        return 1
    }
    # Tests only: no durability, socket in the temp dir (the default /var/run/postgresql may
    # be missing or owned by another cluster).
    "${run[@]}" "$bindir/pg_ctl" -D "$tmp/data" -l "$tmp/server.log" -w -t 30 \
        -o "-c listen_addresses=127.0.0.1 -p $port -c unix_socket_directories=$tmp" \
        -o "-c fsync=off -c synchronous_commit=off -c full_page_writes=off" \
        start >/dev/null || {
        log "pg_ctl start failed:"
        cat "$tmp/server.log" >&2
        return 1
    }
    pid="$(head -1 "$tmp/data/postmaster.pid")"
    sed -i "s|^postgres - $tmp\$|postgres $pid $tmp|" "$PIDS_FILE"
    PG_URL="postgresql+psycopg://postgres@127.0.0.1:$port/postgres"
    log "started PostgreSQL (pid $pid) on 127.0.0.1:$port in $tmp"
}

start_nats() {
    local bin port tmp pid
    bin="$(nats_bin)"
    port="$(first_free_port "$NATS_PORT_START")"
    tmp="$(mktemp -d -t heedful-nats.XXXX)"
    echo "nats - $tmp" >>"$PIDS_FILE"
    # Detach fully (own session, no inherited stdout) so make/CI do not wait on it.
    setsid "$bin" -a 127.0.0.1 -p "$port" -js -sd "$tmp/js" \
        >"$tmp/nats.log" 2>&1 </dev/null &
    pid=$!
    sed -i "s|^nats - $tmp\$|nats $pid $tmp|" "$PIDS_FILE"
    local tries=100
    until port_open "$port"; do
        if ! alive "$pid" || [ "$tries" -le 0 ]; then
            log "nats-server did not come up:"
            cat "$tmp/nats.log" >&2
            return 1
        fi
        sleep 0.1
        tries=$((tries - 1))
    done
    NATS_URL="nats://127.0.0.1:$port"
    log "started nats-server (pid $pid) on 127.0.0.1:$port in $tmp"
}

# --- commands --------------------------------------------------------------------------

recorded_alive() {
    # True when .services.pids exists and every recorded process is still running.
    [ -s "$PIDS_FILE" ] && [ -s "$ENV_FILE" ] || return 1
    local kind pid dir
    while read -r kind pid dir; do
        [ -n "$kind" ] || continue
        [ "$pid" != "-" ] && alive "$pid" || return 1
    done <"$PIDS_FILE"
}

cmd_up() {
    if recorded_alive; then
        log "already up (see .services.env); reusing"
        return 0
    fi
    # Leftovers from an interrupted run: stop/clean them first.
    if [ -e "$PIDS_FILE" ]; then
        cmd_down
    fi
    : >"$PIDS_FILE"
    rm -f "$ENV_FILE"
    # If anything below fails, stop whatever was already started.
    trap 'rc=$?; if [ "$rc" -ne 0 ]; then log "up failed; cleaning up"; cmd_down; fi' EXIT

    PG_URL=""
    NATS_URL=""
    if [ "$FORCE_OWN" != "1" ] && pg_reusable; then
        PG_URL="postgresql+psycopg://postgres@127.0.0.1:5432/postgres"
        log "reusing PostgreSQL on 127.0.0.1:5432"
    else
        start_postgres
    fi
    if [ "$FORCE_OWN" != "1" ] && nats_reusable; then
        NATS_URL="nats://127.0.0.1:4222"
        log "reusing NATS on 127.0.0.1:4222"
    else
        start_nats
    fi
    trap - EXIT

    cat >"$ENV_FILE" <<EOF
# written by scripts/services.sh up; source it before running tests
export HEEDFUL_TEST_POSTGRES_URL=$PG_URL
export HEEDFUL_TEST_NATS_URL=$NATS_URL
EOF
    # Nothing started: keep no pids file so `down` is trivially a no-op.
    [ -s "$PIDS_FILE" ] || rm -f "$PIDS_FILE"
}

cmd_down() {
    if [ ! -e "$PIDS_FILE" ]; then
        rm -f "$ENV_FILE"
        return 0
    fi
    local kind pid dir
    while read -r kind pid dir; do
        [ -n "$kind" ] || continue
        if [ "$pid" != "-" ]; then
            case "$kind" in
            postgres)
                # SIGINT = "fast" shutdown: disconnect clients, stop cleanly.
                if is_ours "$pid" postgres; then
                    kill -INT "$pid" 2>/dev/null || true
                fi
                ;;
            nats)
                if is_ours "$pid" nats-server; then
                    kill -TERM "$pid" 2>/dev/null || true
                fi
                ;;
            esac
            if ! wait_gone "$pid" 100; then
                log "$kind (pid $pid) did not stop in 10 s; killing"
                kill -KILL "$pid" 2>/dev/null || true
                wait_gone "$pid" 50 || log "$kind (pid $pid) is still running"
            fi
        fi
        case "$dir" in
        "${TMPDIR:-/tmp}"/heedful-*|/tmp/heedful-*) rm -rf -- "$dir" ;;
        *) [ -z "$dir" ] || log "not removing unexpected dir '$dir'" ;;
        esac
    done <"$PIDS_FILE"
    rm -f "$PIDS_FILE" "$ENV_FILE"
}

cmd_status() {
    [ -e "$ENV_FILE" ] && cat "$ENV_FILE" || echo "(no .services.env)"
    if [ -e "$PIDS_FILE" ]; then
        local kind pid dir
        while read -r kind pid dir; do
            if [ "$pid" != "-" ] && alive "$pid"; then
                echo "$kind pid $pid running ($dir)"
            else
                echo "$kind pid $pid not running ($dir)"
            fi
        done <"$PIDS_FILE"
    fi
}

case "${1:-}" in
up) cmd_up ;;
down) cmd_down ;;
status) cmd_status ;;
*)
    echo "usage: $0 up|down|status" >&2
    exit 2
    ;;
esac
