#!/usr/bin/env bash
# Cancel, statement_timeout and terminate reach a request in flight: a scan of an "Elasticsearch" that
# accepts connections and never answers must stop promptly, and the session (or the next one) must work.
# Environment (from scripts/test.sh): PGHOST, PGPORT, PGUSER, ES_URL, ES_FDW_SCRIPTS.
set -euo pipefail

HUNG_PORT=19290
APP=es_fdw_cancel_test
work=$(mktemp -d)
python3 "$ES_FDW_SCRIPTS/blackhole.py" "$HUNG_PORT" >"$work/blackhole.log" 2>&1 &
blackhole=$!
trap 'kill "$blackhole" 2>/dev/null || true; rm -rf "$work"' EXIT

sql() { psql -X -q -v ON_ERROR_STOP=1 -d postgres "$@"; }
fail() { echo "FAIL: $*" >&2; exit 1; }
now_ms() { date +%s%3N; }

here=$(cd "$(dirname "$0")" && pwd)
"$here/../fixtures/load.sh" "$ES_URL" cancel_docs "$here/../fixtures/articles.bulk"

sql <<SQL
DROP EXTENSION IF EXISTS es_fdw CASCADE;
CREATE EXTENSION es_fdw;
CREATE SERVER hung FOREIGN DATA WRAPPER es_fdw OPTIONS (url 'http://127.0.0.1:$HUNG_PORT', timeout '1h');
CREATE FOREIGN TABLE hung_docs (id text) SERVER hung OPTIONS (index 'docs');
CREATE SERVER es FOREIGN DATA WRAPPER es_fdw OPTIONS (url '$ES_URL');
CREATE FOREIGN TABLE any_docs (id text) SERVER es OPTIONS (index 'cancel_docs');
SQL

# Start a hung scan in the background; wait until it has been running for a while.
start_hung_scan() {
  PGAPPNAME=$APP psql -X -d postgres -c "SELECT * FROM hung_docs" >"$work/out" 2>&1 &
  scan=$!
  for _ in $(seq 100); do
    running=$(sql -tA -c "SELECT count(*) FROM pg_stat_activity WHERE application_name = '$APP'
                            AND state = 'active' AND now() - query_start > interval '1 second'")
    [ "$running" = 1 ] && return 0
    sleep 0.1
  done
  fail "the scan of the hung server never showed up as running"
}

# Send a signal function to the scan; it must end within 5 s. Prints the latency.
stop_hung_scan() {
  local func=$1 t0 t1
  t0=$(now_ms)
  sql -tA -c "SELECT $func(pid) FROM pg_stat_activity WHERE application_name = '$APP'" >/dev/null
  for _ in $(seq 50); do
    kill -0 "$scan" 2>/dev/null || break
    sleep 0.1
  done
  kill -0 "$scan" 2>/dev/null && fail "$func did not stop the scan within 5 s"
  wait "$scan" || true
  t1=$(now_ms)
  echo "$func stopped the hung scan in $((t1 - t0)) ms"
}

start_hung_scan
stop_hung_scan pg_cancel_backend
grep -q "canceling statement due to user request" "$work/out" || fail "cancel: $(cat "$work/out")"

# statement_timeout, then the same session goes on working with the real server
out=$(sql -c "SET statement_timeout = '700ms'" -c "SELECT * FROM hung_docs" 2>&1 || true)
echo "$out" | grep -q "canceling statement due to statement timeout" || fail "statement_timeout: $out"
out=$(psql -X -d postgres -tA -c "SET statement_timeout = '700ms'" -c "SELECT * FROM hung_docs" \
          -c "RESET statement_timeout" -c "SELECT count(*) FROM any_docs" 2>&1 || true)
echo "$out" | grep -qx "5" || fail "session after a timeout: $out"
echo "statement_timeout stopped the hung scan; the session then read 5 documents"

start_hung_scan
stop_hung_scan pg_terminate_backend
grep -q "terminating connection due to administrator command" "$work/out" || fail "terminate: $(cat "$work/out")"

sql -c "DROP EXTENSION es_fdw CASCADE" 2>/dev/null
echo "cancel.sh: OK"
