#!/usr/bin/env bash
# pg-cluster.sh — owns throw-away PostgreSQL clusters for es_fdw's tests and demo.
#
#   scripts/pg-cluster.sh start     <dir> [port]   initdb (fresh) + start; no-op if already running
#   scripts/pg-cluster.sh stop      <dir>          stop (fast shutdown); keeps <dir> for inspection
#   scripts/pg-cluster.sh restart   <dir>          fast shutdown and start again, data kept
#   scripts/pg-cluster.sh check-log <dir>          exit 1 if server.log shows a crash, else print OK
#   scripts/pg-cluster.sh psql      <dir> [args…]  psql as database user postgres on that cluster
#   scripts/pg-cluster.sh env       <dir>          print PGHOST=… PGPORT=… PGUSER=… lines
#
# Layout of <dir>: data/ (PGDATA), the unix socket (PGHOST=<dir>), server.log, port.
# The server listens on 127.0.0.1:<port> (default 55432) and on the socket; auth is trust for all;
# PGUSER is postgres. Binaries come from `pg_config --bindir` ($PG_CONFIG overrides pg_config).
#
# As root the server runs as the OS user postgres (PostgreSQL refuses root). That user must be able
# to reach <dir>; if it cannot (say the repository is under /root), <dir> is made a symlink to a
# directory from `mktemp -d`, so callers can keep using <dir> (the server is given the real path).
# The server's environment has JAVA_HOME removed: the extension must find a JVM by itself.
set -euo pipefail

DEFAULT_PORT=55432
PG_OS_USER=postgres

die() { echo "pg-cluster.sh: error: $*" >&2; exit 1; }
say() { echo "pg-cluster.sh: $*" >&2; }

usage() {
    sed -n '2,9p' "${BASH_SOURCE[0]}" | sed 's/^# \{0,1\}//' >&2
    exit 2
}

bindir() {
    local pgc=${PG_CONFIG:-pg_config} dir
    command -v "$pgc" >/dev/null || die "pg_config not found (apt-get install postgresql-server-dev-15, or set PG_CONFIG)"
    dir=$("$pgc" --bindir)
    [[ -x $dir/initdb && -x $dir/pg_ctl && -x $dir/postgres ]] ||
        die "no PostgreSQL server binaries in $dir (apt-get install postgresql-15)"
    echo "$dir"
}

is_root() { [[ $(id -u) -eq 0 ]]; }

# Run a server-side command as the OS user that owns the cluster, from /, without JAVA_HOME.
as_pg() {
    if is_root; then
        (cd / && runuser -u "$PG_OS_USER" -- env -u JAVA_HOME "$@")
    else
        (cd / && env -u JAVA_HOME "$@")
    fi
}

# Absolute path without resolving symlinks (the caller's name for the cluster).
abspath() { realpath -m -s -- "$1"; }

# The real directory behind <dir> (what the server user is given).
real_of() { readlink -f -- "$1"; }

port_of() {
    [[ -r $1/port ]] || die "$1 has no cluster (run: scripts/pg-cluster.sh start $1)"
    cat "$1/port"
}

port_in_use() { (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }

is_running() {
    [[ -d $1/data ]] && as_pg "$(bindir)/pg_ctl" -D "$(real_of "$1")/data" status >/dev/null 2>&1
}

# Make <dir> exist and be usable by the server user; print its real (symlink-free) path.
prepare_dir() {
    local dir=$1 real
    if [[ ! -e $dir ]]; then
        mkdir -p "$(dirname "$dir")"
        if is_root && ! runuser -u "$PG_OS_USER" -- test -x "$(dirname "$dir")" 2>/dev/null; then
            real=$(mktemp -d "${TMPDIR:-/tmp}/es_fdw-pg.XXXXXX")
            ln -s "$real" "$dir"
            say "user $PG_OS_USER cannot reach $(dirname "$dir"); $dir -> $real"
        else
            mkdir "$dir"
        fi
    fi
    real=$(real_of "$dir")
    [[ -d $real ]] || die "$dir is not a directory"
    rm -rf "${real:?}/data" "$real/server.log" "$real/port"
    if is_root; then
        chown "$PG_OS_USER:" "$real"
        runuser -u "$PG_OS_USER" -- test -w "$real" || die "user $PG_OS_USER cannot write $real"
    fi
    echo "$real"
}

write_conf() {
    local real=$1 port=$2
    cat >>"$real/data/postgresql.conf" <<EOF

# --- es_fdw test settings (scripts/pg-cluster.sh) ---
listen_addresses = '127.0.0.1'
port = $port
unix_socket_directories = '$real'
max_connections = 40
shared_buffers = 64MB
fsync = off
synchronous_commit = off
full_page_writes = off
jit = off
lc_messages = 'C'
log_line_prefix = '%m [%p] %q%u@%d '
log_min_messages = warning
log_checkpoints = off
log_connections = off
restart_after_crash = on
max_prepared_transactions = 0
shared_preload_libraries = 'es_fdw'
EOF
}

cmd_start() {
    local dir=$1 port=$2 bin real
    bin=$(bindir)
    if is_running "$dir"; then
        say "cluster in $dir already running on port $(port_of "$dir")"
        return 0
    fi
    port_in_use "$port" && die "port $port is already in use (pass another port)"
    real=$(prepare_dir "$dir")
    as_pg "$bin/initdb" -D "$real/data" -U postgres --auth=trust --encoding=UTF8 --locale=C \
        --no-sync >"$real/initdb.log" 2>&1 || { cat "$real/initdb.log" >&2; die "initdb failed"; }
    write_conf "$real" "$port"
    echo "$port" >"$real/port"
    is_root && chown "$PG_OS_USER:" "$real/port"
    if ! as_pg "$bin/pg_ctl" -D "$real/data" -l "$real/server.log" -w -t 60 start >/dev/null; then
        tail -n 40 "$real/server.log" >&2 2>/dev/null || true
        die "PostgreSQL failed to start in $dir on port $port"
    fi
    say "PostgreSQL $("$bin/postgres" --version | awk '{print $3}') running: PGHOST=$dir PGPORT=$port PGUSER=postgres"
}

# Restart a running cluster with its data (fast shutdown), e.g. to test what survives a restart.
cmd_restart() {
    local dir=$1
    is_running "$dir" || die "no cluster running in $dir"
    as_pg "$(bindir)/pg_ctl" -D "$(real_of "$dir")/data" -l "$(real_of "$dir")/server.log" -m fast -w -t 60 \
        restart >/dev/null || die "could not restart the cluster in $dir"
    say "restarted cluster in $dir"
}

cmd_stop() {
    local dir=$1
    [[ -d $dir/data ]] || { say "no cluster in $dir"; return 0; }
    if is_running "$dir"; then
        as_pg "$(bindir)/pg_ctl" -D "$(real_of "$dir")/data" -m fast -w -t 60 stop >/dev/null ||
            die "could not stop the cluster in $dir"
        say "stopped cluster in $dir"
    fi
}

CRASH_PATTERN='terminated by signal|was terminated by exception|terminating any other active server processes|all server processes terminated; reinitializing|PANIC:|hs_err_pid|A fatal error has been detected by the Java Runtime Environment'

cmd_check_log() {
    local dir=$1 log=$1/server.log bad hs
    [[ -r $log ]] || die "no server log at $log"
    bad=$(grep -nE "$CRASH_PATTERN" "$log" || true)
    hs=$(find "$dir/data" -maxdepth 2 -name 'hs_err_pid*.log' 2>/dev/null || true)
    if [[ -n $bad || -n $hs ]]; then
        echo "pg-cluster.sh: FAIL: the server log shows a crash ($log):" >&2
        [[ -n $bad ]] && echo "$bad" >&2
        [[ -n $hs ]] && echo "JVM crash reports: $hs" >&2
        return 1
    fi
    echo "pg-cluster.sh: OK: no backend crash in $log"
}

cmd_psql() {
    local dir=$1 port
    shift
    port=$(port_of "$dir")
    PGHOST=$dir PGPORT=$port PGUSER=postgres "$(bindir)/psql" -X "$@"
}

cmd_env() {
    printf 'PGHOST=%s\nPGPORT=%s\nPGUSER=postgres\n' "$1" "$(port_of "$1")"
}

main() {
    [[ $# -ge 2 ]] || usage
    local cmd=$1 dir
    dir=$(abspath "$2")
    shift 2
    case "$cmd" in
        start)
            [[ $# -le 1 ]] || usage
            local port=${1:-$DEFAULT_PORT}
            [[ $port =~ ^[0-9]+$ ]] || die "port must be a number, got '$port'"
            cmd_start "$dir" "$port" ;;
        stop) cmd_stop "$dir" ;;
        restart) cmd_restart "$dir" ;;
        check-log) cmd_check_log "$dir" ;;
        psql) cmd_psql "$dir" "$@" ;;
        env) cmd_env "$dir" ;;
        *) usage ;;
    esac
}

main "$@"
