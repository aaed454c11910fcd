#!/usr/bin/env bash
# test.sh — owns the full es_fdw test run; `make test` calls it (so does .ci/run, through make).
# Works as root (CI) or as a developer (installs with sudo then).
#
# Steps, in order; a build or server start failure stops the run, test failures do not:
#   1. build + install:  scripts/install.sh (deps, make, make install; sudo when not root)
#   2. Elasticsearch:    ES 8.19.0 on 19200, a secured 8.19.0 on 19205, HTTPS tls-8.19.0 on 19206
#                        and tls-9.5.0 on 19207 (pg_regress expects them) plus every version in
#                        $ES_FDW_TEST_VERSIONS (default: the whole matrix, 7.10.2 7.17.28 8.19.0
#                        9.5.0 os-2.19.6), each on its default port
#                        (see scripts/es-server.sh). Servers already running there are restarted.
#   3. Java tests:       mvn -B -q -pl pljava-module verify -Desfdw.it.urls=<all URLs, comma-separated>
#                        -Desfdw.it.tls=<url|CA file|user:password of each HTTPS server>
#   4. PostgreSQL:       scripts/pg-cluster.sh start build/test-pg $ES_FDW_TEST_PGPORT (default 55432)
#   5. pg_regress:       make installcheck PGHOST=build/test-pg PGPORT=… PGUSER=postgres
#   6. shell tests:      every test/shell/*.sh (skipped as a step when there are none)
#   7. crash check:      scripts/pg-cluster.sh check-log build/test-pg
#   always (trap):       kill blackholes, stop PostgreSQL and every server this run started
# Logs go to build/test-logs/. The last line is "es_fdw: N passed, N failed, N skipped".
#
# Contract for test/shell/*.sh — each is run as `bash <script>` from the repository root, stdin
# /dev/null, killed after $ES_FDW_SHELL_TIMEOUT seconds (default 600), with this environment:
#   PGHOST, PGPORT, PGUSER   the test cluster (PGHOST is its socket directory, PGUSER=postgres)
#   PGDATABASE               a fresh empty database made for this script (es_fdw is installed in
#                            PostgreSQL but not created there: run CREATE EXTENSION es_fdw yourself)
#   ES_URL                   http://127.0.0.1:19200 (Elasticsearch 8.19.0)
#   ES_FDW_ES_URLS           comma-separated URLs of every server started (the version matrix)
#   ES_FDW_SCRIPTS           absolute path of scripts/ (blackhole.py, pg-cluster.sh, es-server.sh)
#   ES_FDW_PG_DIR            the cluster directory (e.g. "$ES_FDW_SCRIPTS/pg-cluster.sh" psql "$ES_FDW_PG_DIR")
#   ES_FDW_RUN_DIR           scratch directory for this run, deleted at the end; every *.pid file
#                            in it is killed at the end (blackhole.py writes its pid there by itself)
#   ES_FDW_REPO_ROOT         absolute path of the repository
# Exit 0 = passed, 77 = skipped (print why), anything else = failed. Use index names unique to the
# script (e.g. prefixed with its name) and delete them; leave no process running.
set -euo pipefail

SCRIPT_DIR=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
REPO_ROOT=$(cd "$SCRIPT_DIR/.." && pwd)
PRIMARY_VERSION=8.19.0
PRIMARY_PORT=19200
VERSIONS=${ES_FDW_TEST_VERSIONS:-7.10.2 7.17.28 8.19.0 9.5.0 os-2.19.6}
PGPORT_TEST=${ES_FDW_TEST_PGPORT:-55432}
PG_DIR="$REPO_ROOT/build/test-pg"
LOG_DIR="$REPO_ROOT/build/test-logs"
SHELL_TIMEOUT=${ES_FDW_SHELL_TIMEOUT:-600}

RUN_DIR=""
PG_STARTED=0
STARTED_ES=()
ES_URLS=()
TLS_IT=()
SUMMARY=()
N_PASSED=0
N_FAILED=0
N_SKIPPED=0

say() { printf '\n=== test.sh: %s\n' "$*"; }
die() { echo "test.sh: error: $*" >&2; exit 1; }

# record <PASS|FAIL|SKIP> <step> <passed> <failed> [detail]
record() {
    SUMMARY+=("$(printf '%-4s  %-28s %s' "$1" "$2" "${5:-}")")
    N_PASSED=$((N_PASSED + $3))
    N_FAILED=$((N_FAILED + $4))
    [[ $1 == SKIP ]] && N_SKIPPED=$((N_SKIPPED + 1))
    return 0
}

print_summary() {
    local line
    echo
    echo "=== es_fdw test summary ==="
    for line in "${SUMMARY[@]}"; do echo "$line"; done
    echo "es_fdw: $N_PASSED passed, $N_FAILED failed, $N_SKIPPED skipped"
}

cleanup() {
    local rc=$? f pid v
    set +e
    if [[ -n $RUN_DIR && -d $RUN_DIR ]]; then
        for f in "$RUN_DIR"/*.pid; do
            [[ -r $f ]] || continue
            pid=$(cat "$f")
            [[ $pid =~ ^[0-9]+$ ]] && kill "$pid" 2>/dev/null
        done
    fi
    if ((PG_STARTED)); then
        cp -f "$PG_DIR/server.log" "$LOG_DIR/pg-server.log" 2>/dev/null
        "$SCRIPT_DIR/pg-cluster.sh" stop "$PG_DIR"
    fi
    for v in "${STARTED_ES[@]}"; do
        "$SCRIPT_DIR/es-server.sh" stop "${v% *}" "${v#* }"
    done
    [[ -n $RUN_DIR ]] && rm -rf "$RUN_DIR"
    ((${#SUMMARY[@]})) && print_summary
    if ((rc == 0 && N_FAILED > 0)); then rc=1; fi
    exit "$rc"
}

# --- 1. build + install --------------------------------------------------------


build_and_install() {
    say "build + install: scripts/install.sh"
    "$SCRIPT_DIR/install.sh" || { record FAIL "build + install" 0 1 "scripts/install.sh failed"; die "build or install failed"; }
    record PASS "build + install" 0 0
}

# --- 2. Elasticsearch -----------------------------------------------------------

server_list() {
    local v seen=" "
    for v in $PRIMARY_VERSION $VERSIONS; do
        [[ $seen == *" $v "* ]] && continue
        seen+="$v "
        echo "$v"
    done
}

start_servers() {
    local v port versions=()
    mapfile -t versions < <(server_list)
    for v in "${versions[@]}"; do
        port=""
        [[ $v == "$PRIMARY_VERSION" ]] && port=$PRIMARY_PORT
        [[ -n $port ]] || port=$("$SCRIPT_DIR/es-server.sh" url "$v" | sed 's/.*://')
        say "server: $v on port $port"
        "$SCRIPT_DIR/es-server.sh" stop "$v" "$port"
        STARTED_ES+=("$v $port")
        "$SCRIPT_DIR/es-server.sh" start "$v" "$port" ||
            { record FAIL "server $v" 0 1 "could not start"; die "server $v did not start"; }
        ES_URLS+=("http://127.0.0.1:$port")
    done
    # A secured server for the authentication tests (pg_regress expects it on 19205); not in ES_URLS.
    say "server: secure-8.19.0 on port 19205"
    "$SCRIPT_DIR/es-server.sh" stop secure-8.19.0 19205
    STARTED_ES+=("secure-8.19.0 19205")
    "$SCRIPT_DIR/es-server.sh" start secure-8.19.0 19205 ||
        { record FAIL "server secure-8.19.0" 0 1 "could not start"; die "server secure-8.19.0 did not start"; }
    # HTTPS servers with their own CAs for the TLS and credential tests (pg_regress expects them on 19206/19207).
    local tls
    for tls in "tls-8.19.0 19206" "tls-9.5.0 19207"; do
        say "server: $tls"
        # shellcheck disable=SC2086
        "$SCRIPT_DIR/es-server.sh" stop $tls
        STARTED_ES+=("$tls")
        # shellcheck disable=SC2086
        "$SCRIPT_DIR/es-server.sh" start $tls ||
            { record FAIL "server $tls" 0 1 "could not start"; die "server $tls did not start"; }
        # shellcheck disable=SC2086
        TLS_IT+=("$("$SCRIPT_DIR/es-server.sh" url $tls)|$("$SCRIPT_DIR/es-server.sh" ca $tls)|esfdw_admin:admin-secret-1")
    done
    record PASS "servers: ${versions[*]} secure-8.19.0 tls-8.19.0 tls-9.5.0" 0 0
}

# --- 3. Java tests --------------------------------------------------------------

# Sum tests/failures/errors/skipped over the Surefire and Failsafe XML reports.
count_java_reports() {
    python3 - "$REPO_ROOT/pljava-module/target" <<'EOF'
import glob, sys, xml.etree.ElementTree as ET
t = f = s = 0
for d in ("surefire-reports", "failsafe-reports"):
    for p in glob.glob(f"{sys.argv[1]}/{d}/TEST-*.xml"):
        r = ET.parse(p).getroot()
        t += int(r.get("tests", 0)); s += int(r.get("skipped", 0))
        f += int(r.get("failures", 0)) + int(r.get("errors", 0))
print(t - f - s, f, s)
EOF
}

java_tests() {
    local urls tls passed failed skipped rc=0
    urls=$(IFS=,; echo "${ES_URLS[*]}")
    say "Java tests: mvn verify -Desfdw.it.urls=$urls"
    rm -rf "$REPO_ROOT/pljava-module/target/surefire-reports" "$REPO_ROOT/pljava-module/target/failsafe-reports"
    tls=$(IFS=,; echo "${TLS_IT[*]}")
    (cd "$REPO_ROOT" && mvn -B -q -pl pljava-module verify -Desfdw.it.urls="$urls" -Desfdw.it.tls="$tls") 2>&1 |
        tee "$LOG_DIR/java.log" || rc=$?
    read -r passed failed skipped < <(count_java_reports || echo 0 0 0) || true
    passed=${passed:-0} failed=${failed:-0} skipped=${skipped:-0}
    if ((rc != 0)); then
        ((failed > 0)) || failed=1
        record FAIL "Java tests" "$passed" "$failed" "mvn exit $rc; $passed passed, $failed failed, $skipped skipped"
    else
        record PASS "Java tests" "$passed" 0 "$passed passed, $skipped skipped"
    fi
}

# --- 4. PostgreSQL --------------------------------------------------------------

start_pg() {
    say "PostgreSQL: cluster in $PG_DIR on port $PGPORT_TEST"
    "$SCRIPT_DIR/pg-cluster.sh" stop "$PG_DIR" >/dev/null 2>&1 || true
    PG_STARTED=1
    "$SCRIPT_DIR/pg-cluster.sh" start "$PG_DIR" "$PGPORT_TEST" ||
        { record FAIL PostgreSQL 0 1 "could not start"; die "PostgreSQL did not start"; }
}

pg_env() { env PGHOST="$PG_DIR" PGPORT="$PGPORT_TEST" PGUSER=postgres "$@"; }

# --- 5. pg_regress --------------------------------------------------------------

regress() {
    local rc=0 out all n_fail n_total f
    say "pg_regress: make installcheck"
    touch "$RUN_DIR"  # regression.diffs newer than this are from this run
    (cd "$REPO_ROOT" && pg_env make installcheck PGHOST="$PG_DIR" PGPORT="$PGPORT_TEST" PGUSER=postgres) 2>&1 |
        tee "$LOG_DIR/installcheck.log" || rc=$?
    out=$(cat "$LOG_DIR/installcheck.log")
    if [[ $out =~ All\ ([0-9]+)\ tests\ passed ]]; then
        all=${BASH_REMATCH[1]}; n_fail=0
    elif [[ $out =~ ([0-9]+)\ of\ ([0-9]+)\ tests\ failed ]]; then
        n_fail=${BASH_REMATCH[1]}; n_total=${BASH_REMATCH[2]}; all=$((n_total - n_fail))
    else
        all=0; n_fail=1
    fi
    if ((rc == 0 && n_fail == 0)); then
        record PASS "pg_regress" "$all" 0 "$all tests"
        return
    fi
    ((n_fail > 0)) || n_fail=1
    record FAIL "pg_regress" "$all" "$n_fail" "make installcheck exit $rc"
    while IFS= read -r f; do
        echo "----- $f -----"
        cat "$f"
    done < <(find "$REPO_ROOT" \( -path "$REPO_ROOT/build/es" -o -path "$REPO_ROOT/build/test-pg" \) -prune \
        -o -name regression.diffs -newer "$RUN_DIR" -print 2>/dev/null)
}

# --- 6. shell tests -------------------------------------------------------------

run_shell_test() {
    local script=$1 name db rc=0
    name=$(basename "$script" .sh)
    db="esfdw_shell_$(echo "$name" | tr -c 'a-zA-Z0-9\n' '_')"
    "$SCRIPT_DIR/pg-cluster.sh" psql "$PG_DIR" -q -d postgres -v ON_ERROR_STOP=1 \
        -c "DROP DATABASE IF EXISTS $db" -c "CREATE DATABASE $db" || return 1
    say "shell test: $name (database $db)"
    (cd "$REPO_ROOT" && pg_env PGDATABASE="$db" ES_URL="http://127.0.0.1:$PRIMARY_PORT" \
        ES_FDW_ES_URLS="$(IFS=,; echo "${ES_URLS[*]}")" ES_FDW_SCRIPTS="$SCRIPT_DIR" \
        ES_FDW_PG_DIR="$PG_DIR" ES_FDW_RUN_DIR="$RUN_DIR" ES_FDW_REPO_ROOT="$REPO_ROOT" \
        timeout --kill-after=10 "$SHELL_TIMEOUT" bash "$script" </dev/null) 2>&1 |
        tee "$LOG_DIR/shell-$name.log" || rc=$?
    case $rc in
        0) record PASS "shell: $name" 1 0 ;;
        77) record SKIP "shell: $name" 0 0 "skipped (see build/test-logs/shell-$name.log)" ;;
        124) record FAIL "shell: $name" 0 1 "timed out after ${SHELL_TIMEOUT}s" ;;
        *) record FAIL "shell: $name" 0 1 "exit $rc" ;;
    esac
}

shell_tests() {
    local scripts=() s
    if [[ -d $REPO_ROOT/test/shell ]]; then
        mapfile -t scripts < <(find "$REPO_ROOT/test/shell" -maxdepth 1 -name '*.sh' -type f | sort)
    fi
    if ((${#scripts[@]} == 0)); then
        record SKIP "shell tests" 0 0 "no test/shell/*.sh yet"
        return
    fi
    for s in "${scripts[@]}"; do
        run_shell_test "$s" || record FAIL "shell: $(basename "$s" .sh)" 0 1 "could not create its database"
    done
}

# --- 7. crash check -------------------------------------------------------------

check_log() {
    say "crash check: PostgreSQL server log"
    if "$SCRIPT_DIR/pg-cluster.sh" check-log "$PG_DIR"; then
        record PASS "no backend crash" 1 0
    else
        record FAIL "no backend crash" 0 1 "see build/test-logs/pg-server.log"
    fi
}

main() {
    trap cleanup EXIT
    trap 'exit 130' INT TERM
    mkdir -p "$LOG_DIR"
    RUN_DIR=$(mktemp -d "${TMPDIR:-/tmp}/es_fdw-test.XXXXXX")
    chmod 755 "$RUN_DIR"
    build_and_install
    start_servers
    java_tests
    start_pg
    regress
    shell_tests
    check_log
}

main "$@"
