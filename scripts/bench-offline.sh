#!/usr/bin/env bash
# bench-offline.sh — the offline part of `make bench` (sourced by scripts/bench.sh, which owns the servers):
# latency of a query while its server is down (a closed port), with offline_mode 'empty' and 'cache', with
# the circuit breaker open (the usual case once one query failed) and closed (reset before each query: the
# failed connection is paid), psql \timing medians in one warm session.

OFFLINE_RUNS=${BENCH_OFFLINE_RUNS:-21}
DOWN_PORT=19296

offline_median() {
    local before=$1 statement=$2
    {
        echo "SET client_min_messages = error;"
        for _ in $(seq 3); do echo "$before"; echo "$statement"; done
        for _ in $(seq "$OFFLINE_RUNS"); do
            echo "$before"
            echo '\timing on'
            echo "$statement"
            echo '\timing off'
        done
    } | sql | awk '/^Time:/ {print $2}' | median
}

offline_bench() {
    say "offline answers (server on a closed port, $OFFLINE_RUNS runs each)"
    local proxy query="SELECT count(*) FROM (SELECT id, title FROM small_down WHERE views > 0 OFFSET 0) q;"
    proxy=$(python3 "$SCRIPT_DIR/tcp-proxy.py" "$DOWN_PORT" "$ES_PORT" --daemon)
    sql <<SQL
CREATE SERVER es_down FOREIGN DATA WRAPPER es_fdw OPTIONS (url 'http://127.0.0.1:$DOWN_PORT');
CREATE FOREIGN TABLE small_down (id text, title text, views bigint) SERVER es_down
  OPTIONS (index 'bench_small', cache 'on');
$query
SQL
    kill "$proxy"
    sleep 0.3
    local empty_open cache_open empty_closed cache_closed
    empty_open=$(offline_median "SET es_fdw.offline_mode = 'empty';" "$query")
    cache_open=$(offline_median "SET es_fdw.offline_mode = 'cache';" "$query")
    empty_closed=$(offline_median "SET es_fdw.offline_mode = 'empty'; SELECT es_breaker_reset();" "$query")
    cache_closed=$(offline_median "SET es_fdw.offline_mode = 'cache'; SELECT es_breaker_reset();" "$query")
    echo "  breaker open: empty $empty_open ms, cache $cache_open ms; closed: empty $empty_closed ms, cache $cache_closed ms"
    local cancel
    cancel=$(cancel_latency)
    echo "  cancel of a request to a server that never answers: $cancel ms"
    python3 - "$RESULTS" <<'PY'
import re, sys
path = sys.argv[1]
text = open(path).read()
text = re.sub(r"\n\| offline answers.*?(?=\n\n|\Z)", "", text, flags=re.S)
open(path, "w").write(text.rstrip("\n") + "\n")
PY
    awk -v eo="$empty_open" -v co="$cache_open" -v ec="$empty_closed" -v cc="$cache_closed" -v ca="$cancel" 'BEGIN {
        printf "\n| offline answers, server down (median, psql \\timing) | empty | cache (hit) | goal |\n|---|---|---|---|\n"
        printf "| circuit breaker open | %.2f ms | %.2f ms | ≤ 20 ms (stretch), ≤ 100 ms (must) |\n", eo, co
        printf "| circuit breaker closed (connection refused paid) | %.2f ms | %.2f ms | |\n", ec, cc
        printf "\npg_cancel_backend of a request to a server that never answers, until the backend is idle: "
        printf "median %.1f ms (goal ≤ 100 ms)\n", ca
    }' >>"$RESULTS"
}

# Median ms from pg_cancel_backend() to the cancelled backend being idle again, over 11 scans of a server
# that accepts connections and never answers (scripts/blackhole.py), each in a warm session.
cancel_latency() {
    local hole port=19297 runs=() i pid t0 t1
    hole=$(python3 "$SCRIPT_DIR/blackhole.py" "$port" --daemon)
    sql -c "CREATE SERVER es_hung FOREIGN DATA WRAPPER es_fdw OPTIONS (url 'http://127.0.0.1:$port', timeout '1h')" \
        -c "CREATE FOREIGN TABLE hung_small (id text) SERVER es_hung OPTIONS (index 'x')" >/dev/null
    for i in $(seq 11); do
        sql -c "SET application_name = 'bench_cancel'" -c "SELECT count(*) FROM bench_small" \
            -c "SELECT es_breaker_reset()" -c "SELECT * FROM hung_small" >/dev/null 2>&1 &
        pid=""
        for _ in $(seq 100); do
            pid=$(sql -c "SELECT pid FROM pg_stat_activity WHERE application_name = 'bench_cancel'
                            AND state = 'active' AND query LIKE '%hung_small%'")
            [[ -n $pid ]] && break
            sleep 0.05
        done
        sleep 0.3
        t0=$(date +%s%N)
        sql -c "SELECT pg_cancel_backend($pid)" >/dev/null
        while [[ -n $(sql -c "SELECT 1 FROM pg_stat_activity WHERE pid = $pid AND state = 'active'") ]]; do :; done
        t1=$(date +%s%N)
        runs+=("$(( (t1 - t0) / 1000 ))")
        wait || true
    done
    kill "$hole" 2>/dev/null || true
    printf '%s\n' "${runs[@]}" | median | awk '{printf "%.1f", $1 / 1000}'
}
