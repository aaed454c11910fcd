#!/usr/bin/env bash
# Offline mode against real processes: a real Elasticsearch reached through a TCP proxy that is killed
# (the server "goes away": connection refused) and started again, and a server that accepts connections
# and never answers. Checks each offline_mode's rows and WARNING, the circuit breaker (fast answers, shared
# by backends, closed by a probe once the server is back), the result cache across backends and across a
# PostgreSQL restart, its per-entry and total bounds, a corrupted cache file, a server lost mid-scan, and
# writes while the server is down. Timing bounds are generous here; bench/RESULTS.md has the figures.
# Environment (from scripts/test.sh): PGHOST, PGPORT, PGUSER, PGDATABASE, ES_URL, ES_FDW_SCRIPTS,
# ES_FDW_PG_DIR.
set -euo pipefail

PROXY_PORT=19291
HUNG_PORT=19292
ES_PORT=${ES_URL##*:}
work=$(mktemp -d)
proxy=""
blackhole=""
KILLED_PORT=19294
cleanup() {
    "$ES_FDW_SCRIPTS/es-server.sh" stop 8.19.0 "$KILLED_PORT" >/dev/null 2>&1 || true
    [[ -n $proxy ]] && kill "$proxy" 2>/dev/null || true
    [[ -n $blackhole ]] && kill "$blackhole" 2>/dev/null || true
    rm -rf "$work"
}
trap cleanup EXIT

sql() { psql -X -q -v ON_ERROR_STOP=1 "$@"; }
fail() { echo "FAIL: $*" >&2; exit 1; }
now_ms() { date +%s%3N; }
expect() { grep -q -- "$2" "$1" || fail "expected '$2' in: $(cat "$1")"; }
start_proxy() { proxy=$(python3 "$ES_FDW_SCRIPTS/tcp-proxy.py" "$PROXY_PORT" "$ES_PORT" --daemon); }
stop_proxy() { kill "$proxy"; proxy=""; sleep 0.2; }

curl -s -o /dev/null -X DELETE "$ES_URL/offline_docs"
for i in 1 2 3; do
    curl -s -f -o /dev/null -X PUT "$ES_URL/offline_docs/_doc/$i" -H 'Content-Type: application/json' \
        -d "{\"title\":\"document $i\",\"n\":$i,\"body\":\"$(head -c 30000 /dev/zero | tr '\0' "$i")\"}"
done
curl -s -f -o /dev/null -X POST "$ES_URL/offline_docs/_refresh"
start_proxy

sql <<SQL
CREATE EXTENSION es_fdw;
SELECT es_cache_clear() >= 0, es_breaker_reset() >= 0;
CREATE SERVER away FOREIGN DATA WRAPPER es_fdw OPTIONS (url 'http://127.0.0.1:$PROXY_PORT', cache_max_mb '1');
CREATE FOREIGN TABLE docs (id text, title text, n bigint) SERVER away
  OPTIONS (index 'offline_docs', cache 'on', fetch_size '1');
CREATE FOREIGN TABLE docs_bodies (id text, body text, n bigint) SERVER away OPTIONS (index 'offline_docs', cache 'on');
CREATE FOREIGN TABLE docs_small_cache (id text, n bigint) SERVER away
  OPTIONS (index 'offline_docs', cache 'on', cache_max_rows '2');
CREATE SERVER hung FOREIGN DATA WRAPPER es_fdw OPTIONS (url 'http://127.0.0.1:$HUNG_PORT', timeout '2');
CREATE FOREIGN TABLE hung_docs (id text) SERVER hung OPTIONS (index 'offline_docs');
SQL

# While the server is up, the results of tables with cache 'on' are kept.
sql -tA -c "SELECT string_agg(id || ':' || title, ',' ORDER BY id) FROM docs WHERE n > 0" >"$work/up"
expect "$work/up" "1:document 1,2:document 2,3:document 3"
sql -tA -c "SELECT count(*) FROM docs WHERE n > 1" >"$work/up"; expect "$work/up" "^2$"
sql -tA -c "SELECT string_agg(id, ',' ORDER BY id) FROM docs_small_cache" >/dev/null
sql -tA -c "SELECT cache_entries FROM es_status() WHERE server = 'away'" >"$work/entries"
[[ $(cat "$work/entries") -ge 2 ]] || fail "expected cached results, es_status says $(cat "$work/entries")"

stop_proxy

# offline_mode 'error' (the default): an ERROR naming the server
if sql -c "SELECT * FROM docs WHERE n > 0" >"$work/err" 2>&1; then fail "a query of an unreachable server succeeded"; fi
expect "$work/err" "http://127.0.0.1:$PROXY_PORT"
# 'empty': no rows and a WARNING
sql -tA -c "SET es_fdw.offline_mode = 'empty'" -c "SELECT count(*) FROM (SELECT * FROM docs WHERE n > 0) q" >"$work/empty" 2>&1
expect "$work/empty" "offline_mode 'empty': returning no rows"
expect "$work/empty" "^0$"
# 'cache': the last good result, from another backend than the one that cached it, with a WARNING saying when
sql -tA -c "SET es_fdw.offline_mode = 'cache'" \
    -c "SELECT string_agg(id || ':' || title, ',' ORDER BY id) FROM docs WHERE n > 0" \
    -c "SELECT count(*) FROM docs WHERE n > 1" >"$work/cache" 2>&1
expect "$work/cache" "returning the result cached at"
expect "$work/cache" "^1:document 1,2:document 2,3:document 3$"
expect "$work/cache" "^2$"
# a query never cached, and a result over the table's cache_max_rows: no rows, and a WARNING saying so
sql -tA -c "SET es_fdw.offline_mode = 'cache'" -c "SELECT count(*) FROM (SELECT * FROM docs WHERE n > 2) q" \
    -c "SELECT string_agg(id, ',' ORDER BY id) FROM docs_small_cache" >"$work/miss" 2>&1
expect "$work/miss" "no cached result of this query"
[[ $(grep -c "no cached result" "$work/miss") == 2 ]] || fail "cache_max_rows: $(cat "$work/miss")"

# the circuit breaker is open: offline answers come at once, in every backend (a cache entry is keyed by the
# query's request: the same query finds it, another one does not)
# a new connection answers from the files without starting a JVM at all (the server is down)
t0=$(now_ms)
sql -tA -c "SET es_fdw.offline_mode = 'cache'" -c "SELECT count(*) FROM docs WHERE n > 1" \
    -c "SELECT 'jvm ' || (position('libjvm' IN pg_read_file('/proc/self/maps')) > 0)" >"$work/nojvm" 2>&1
t1=$(now_ms)
expect "$work/nojvm" "^2$"
expect "$work/nojvm" "^jvm false$"
expect "$work/nojvm" "returning the result cached at"
echo "offline answer with the breaker open, new connection, no JVM started: $((t1 - t0)) ms (psql start included)"
[[ $((t1 - t0)) -lt 1000 ]] || fail "an offline answer in a new connection took $((t1 - t0)) ms"
sql -tA -c "SELECT breaker, failures > 0, last_error LIKE '%connection refused%' FROM es_status() WHERE server = 'away'" \
    >"$work/status"
expect "$work/status" "|t|t"

# the result cache survives a PostgreSQL restart (files under the data directory)
"$ES_FDW_SCRIPTS/pg-cluster.sh" restart "$ES_FDW_PG_DIR" >/dev/null 2>&1
sql -tA -c "SET es_fdw.offline_mode = 'cache'" \
    -c "SELECT string_agg(id || ':' || title, ',' ORDER BY id) FROM docs WHERE n > 0" >"$work/restart" 2>&1
expect "$work/restart" "^1:document 1,2:document 2,3:document 3$"
expect "$work/restart" "returning the result cached at"

# a corrupted cache file is ignored (and removed), never a crash
state_dir=$(sql -tA -c "SELECT current_setting('data_directory') || '/es_fdw/cache'")
for f in "$state_dir"/*; do printf 'garbage' >"$f"; done
sql -tA -c "SET es_fdw.offline_mode = 'cache'" \
    -c "SELECT string_agg(id || ':' || title, ',' ORDER BY id) FROM docs WHERE n > 0" >"$work/corrupt" 2>&1
expect "$work/corrupt" "no cached result of this query"
grep -q "document" "$work/corrupt" && fail "a corrupted cache entry was used: $(cat "$work/corrupt")"

# writes while the server is down: a clear ERROR naming it, nothing silently lost
if sql -c "INSERT INTO docs (id, title) VALUES ('9', 'lost?')" >"$work/write" 2>&1; then
    fail "a write to an unreachable server succeeded"
fi
expect "$work/write" "127.0.0.1:$PROXY_PORT"

# the server comes back: after the breaker's interval a query probes it and closes the breaker
start_proxy
wait_s=$(sql -tA -c "SELECT ceil(greatest(0, extract(epoch FROM retry_after - clock_timestamp())))::int
                      FROM es_status() WHERE server = 'away'")
sleep "$((${wait_s:-0} + 1))"
sql -tA -c "SELECT count(*) FROM docs WHERE n > 0" >"$work/back"; expect "$work/back" "^3$"
sql -tA -c "SELECT reachable, breaker FROM es_status() WHERE server = 'away'" >"$work/status"
expect "$work/status" "t|closed"

# the total bound: results of ~30 kB each, 1 MB at most (least recently used first out)
for k in $(seq 0 40); do
    echo "SELECT length(string_agg(body, '')) FROM docs_bodies WHERE n > $((k % 3)) AND id <> 'x$k';"
done | sql >/dev/null
sql -tA -c "SELECT cache_bytes FROM es_status() WHERE server = 'away'" >"$work/bytes"
[[ $(cat "$work/bytes") -le 1048576 ]] || fail "the cache holds $(cat "$work/bytes") bytes, over cache_max_mb 1"
[[ $(cat "$work/bytes") -ge 500000 ]] || fail "the cache holds only $(cat "$work/bytes") bytes: nothing was evicted?"
echo "cache after 41 results of up to 90 kB: $(cat "$work/bytes") bytes"

# lost in the middle of a scan: an ERROR in every mode (rows already returned cannot be taken back)
{
    echo "SET es_fdw.offline_mode = 'cache';"
    echo "BEGIN; DECLARE c CURSOR FOR SELECT id FROM docs WHERE n > 0 ORDER BY n; FETCH 1 FROM c;"
    echo "\\! kill $proxy"
    echo "FETCH 2 FROM c;"
    echo "ROLLBACK;"
} | psql -X -q >"$work/midscan" 2>&1 || true
proxy=""
expect "$work/midscan" "ERROR"
expect "$work/midscan" "127.0.0.1:$PROXY_PORT"

# a server that accepts connections and never answers: the first query waits for its timeout (2 s),
# then the breaker answers at once, also in other backends
blackhole=$(python3 "$ES_FDW_SCRIPTS/blackhole.py" "$HUNG_PORT" --daemon)
sql -tA -c "SELECT es_breaker_reset() >= 0" >/dev/null   # es_status() above probed the port before it listened
t0=$(now_ms)
sql -tA -c "SET es_fdw.offline_mode = 'empty'" -c "SELECT count(*) FROM (SELECT * FROM hung_docs) q" >"$work/hung1" 2>&1
t1=$(now_ms)
expect "$work/hung1" "offline_mode 'empty'"
sql -tA -c "SET es_fdw.offline_mode = 'empty'" -c "SELECT count(*) FROM docs WHERE n > 1" -c "\\timing on" \
    -c "SELECT count(*) FROM (SELECT * FROM hung_docs) q" >"$work/hung2" 2>&1
t2=$(now_ms)
expect "$work/hung2" "offline_mode 'empty'"
answer_ms=$(awk '/^Time:/ {print int($2)}' "$work/hung2")
echo "hung server: first query $((t1 - t0)) ms (timeout 2 s); then, breaker open, another backend: ${answer_ms} ms"
[[ $((t1 - t0)) -ge 1500 ]] || fail "the first query of the hung server did not wait for its timeout"
[[ $answer_ms -le 500 ]] || fail "with the breaker open an offline answer took $answer_ms ms"
# statement_timeout still ends a hung request in the offline modes (a cancel is never an offline answer)
sql -c "SELECT es_breaker_reset()" >/dev/null
t0=$(now_ms)
sql -c "SET es_fdw.offline_mode = 'cache'" -c "SET statement_timeout = '500ms'" \
    -c "SELECT * FROM hung_docs" >"$work/timeout" 2>&1 || true
t1=$(now_ms)
expect "$work/timeout" "canceling statement due to statement timeout"
echo "statement_timeout 500 ms on a hung server in offline_mode 'cache': $((t1 - t0)) ms (psql and JVM start included)"
[[ $((t1 - t0)) -lt 2500 ]] || fail "statement_timeout took $((t1 - t0)) ms"

# a real Elasticsearch killed (SIGKILL) mid-session: the same query is answered from the cache
"$ES_FDW_SCRIPTS/es-server.sh" start 8.19.0 "$KILLED_PORT" >/dev/null 2>&1 || fail "could not start a server to kill"
curl -s -f -o /dev/null -X PUT "http://127.0.0.1:$KILLED_PORT/victim/_doc/1?refresh=true" \
    -H 'Content-Type: application/json' -d '{"title":"survives its server"}'
sql -c "CREATE SERVER victim FOREIGN DATA WRAPPER es_fdw OPTIONS (url 'http://127.0.0.1:$KILLED_PORT')" \
    -c "CREATE FOREIGN TABLE victim_docs (id text, title text) SERVER victim OPTIONS (index 'victim', cache 'on')"
sql -tA -c "SELECT id || ':' || title FROM victim_docs" >"$work/victim"
expect "$work/victim" "^1:survives its server$"
kill -KILL "$("$ES_FDW_SCRIPTS/es-server.sh" pid 8.19.0 "$KILLED_PORT")"
sleep 0.5
sql -tA -c "SET es_fdw.offline_mode = 'cache'" -c "SELECT id || ':' || title FROM victim_docs" >"$work/victim" 2>&1
expect "$work/victim" "^1:survives its server$"
expect "$work/victim" "returning the result cached at"

# connect_timeout: a host whose accept queue is full never completes the handshake; the connection attempt
# gives up after connect_timeout, not after the request timeout
python3 - <<'PY' >"$work/fullq.log" 2>&1 &
import socket, time
s = socket.socket(); s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
s.bind(("127.0.0.1", 19293)); s.listen(0)
held = []
for _ in range(4):
    c = socket.socket(); c.setblocking(False)
    try: c.connect(("127.0.0.1", 19293))
    except BlockingIOError: pass
    held.append(c)
print("ready", flush=True)
time.sleep(30)
PY
fullq=$!
for _ in $(seq 50); do grep -q ready "$work/fullq.log" && break; sleep 0.1; done
sql -c "CREATE SERVER slow_connect FOREIGN DATA WRAPPER es_fdw
          OPTIONS (url 'http://127.0.0.1:19293', connect_timeout '300ms', timeout '20s')" \
    -c "CREATE FOREIGN TABLE slow_connect_docs (id text) SERVER slow_connect OPTIONS (index 'x')"
t0=$(now_ms)
sql -c "SELECT * FROM slow_connect_docs" >"$work/connect" 2>&1 || true
t1=$(now_ms)
kill "$fullq" 2>/dev/null || true
expect "$work/connect" "connection timed out after 300 ms"
echo "connect_timeout 300 ms: gave up after $((t1 - t0)) ms (request timeout 20 s; psql and JVM start included)"
[[ $((t1 - t0)) -lt 5000 ]] || fail "connect_timeout did not cut the wait: $((t1 - t0)) ms"
echo "offline: OK"
