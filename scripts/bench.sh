#!/usr/bin/env bash
# bench.sh — owns `make bench`: measures es_fdw against real servers and writes bench/RESULTS.md.
#   1. cold: the first query in a new connection (JVM start included), client-side time, and the
#      backend's RSS before and after it (median of $BENCH_COLD_RUNS connections);
#   2. warm: SELECT of a 10-document index, median over 200 in one session (server-side time),
#      next to the same _search sent by a standalone Java client in one warm JVM (bench/DirectSearch.java);
#   3. full scans of $BENCH_SCAN_SIZES documents (default "100000 1000000"): rows/s and the backend's
#      peak RSS (VmHWM) in a new connection, next to the same PIT loop run by a standalone Java client
#      (bench/DirectScan.java);
#   4. on the same indices, with psql \timing in one warmed-up session (median of 100): WHERE id = N
#      (a different N each time) and a filtered count(*);
#   5. writes (scripts/bench-writes.sh): 10k-row INSERT … SELECT plain / foreign / through the seed's
#      triggers vs a standalone client's _bulk, and single-row INSERT latency with pgbench.
#   6. offline answers (scripts/bench-offline.sh): a query of a server that is down, per offline_mode,
#      with the circuit breaker open and closed.
#   7. table sync (scripts/bench-sync.sh): 100k-row INSERT … SELECT and single-row INSERT into a synced
#      table vs a plain one, catch-up of a backlog (40k and $BENCH_SYNC_BACKLOG, default 1M) vs a standalone
#      client's _bulk, and delivery lag at a steady 2k writes/s.
# BENCH_ONLY=writes (or offline, or sync) runs only 5 (or 6, or 7) and replaces its table in bench/RESULTS.md.
# BENCH_SKIP_INSTALL=1 skips scripts/install.sh (make and make install): es_fdw is already installed.
# Servers: Elasticsearch 8.19.0 on 19210, PostgreSQL on 55434 (build/bench-pg); both stopped at the end.
set -euo pipefail

SCRIPT_DIR=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
REPO_ROOT=$(cd "$SCRIPT_DIR/.." && pwd)
ES_VERSION=8.19.0
ES_PORT=19210
ES_URL="http://127.0.0.1:$ES_PORT"
PG_PORT=55434
PG_DIR="$REPO_ROOT/build/bench-pg"
RESULTS="$REPO_ROOT/bench/RESULTS.md"
COLD_RUNS=${BENCH_COLD_RUNS:-7}
SCAN_SIZES=${BENCH_SCAN_SIZES:-100000 200000 1000000}
export ES_FDW_ES_HEAP=${ES_FDW_ES_HEAP:-1g}
WARM_RUNS=200

say() { printf '\n=== bench.sh: %s\n' "$*"; }

cleanup() {
    set +e
    "$SCRIPT_DIR/pg-cluster.sh" stop "$PG_DIR" >/dev/null 2>&1
    "$SCRIPT_DIR/es-server.sh" stop "$ES_VERSION" "$ES_PORT" >/dev/null 2>&1
}

sql() { PGHOST="$PG_DIR" PGPORT=$PG_PORT PGUSER=postgres psql -X -q -tA -v ON_ERROR_STOP=1 -d postgres "$@"; }

median() { sort -n | awk '{v[NR]=$1} END {print (NR % 2) ? v[(NR+1)/2] : (v[NR/2] + v[NR/2+1]) / 2}'; }

setup() {
    if [[ ${BENCH_SKIP_INSTALL:-} == 1 ]]; then
        say "build and install skipped (BENCH_SKIP_INSTALL=1)"
    else
        say "build and install"
        "$SCRIPT_DIR/install.sh" >/dev/null
    fi
    "$SCRIPT_DIR/es-server.sh" start "$ES_VERSION" "$ES_PORT"
    rm -rf "$PG_DIR"
    "$SCRIPT_DIR/pg-cluster.sh" start "$PG_DIR" "$PG_PORT"
    local bulk
    bulk=$(mktemp)
    for i in $(seq 1 10); do
        printf '{"index":{"_id":"%d"}}\n{"title":"document number %d","views":%d,"published":"2024-01-%02d"}\n' \
            "$i" "$i" "$((i * 10))" "$i"
    done >"$bulk"
    "$REPO_ROOT/test/fixtures/load.sh" "$ES_URL" bench_small "$bulk"
    rm -f "$bulk"
    sql <<SQL
CREATE EXTENSION es_fdw;
CREATE SERVER es FOREIGN DATA WRAPPER es_fdw OPTIONS (url '$ES_URL');
CREATE FOREIGN TABLE bench_small (id text, title text, views bigint, published date)
  SERVER es OPTIONS (index 'bench_small');
SQL
}

# Index $1 documents into bench_<n> in bulk requests of 5000 (generated, never stored on disk).
load_big() {
    local n=$1
    curl -sS -o /dev/null -X DELETE "$ES_URL/bench_$n"
    curl -sS -f -o /dev/null -X PUT "$ES_URL/bench_$n" -H 'Content-Type: application/json' \
        -d '{"settings":{"number_of_shards":2,"refresh_interval":"-1"}}'
    python3 - "$n" "$ES_URL/bench_$n/_bulk" <<'PY'
import json, sys, urllib.request
n, url = int(sys.argv[1]), sys.argv[2]
for start in range(0, n, 5000):
    lines = []
    for i in range(start, min(n, start + 5000)):
        lines.append(json.dumps({"index": {"_id": str(i)}}))
        lines.append(json.dumps({"title": "document number %d" % i, "views": i % 100000,
                                 "published": "2024-%02d-%02d" % (1 + i % 12, 1 + i % 28), "score": i / 7.0}))
    req = urllib.request.Request(url, ("\n".join(lines) + "\n").encode(), {"Content-Type": "application/x-ndjson"})
    if b'"errors":true' in urllib.request.urlopen(req).read():
        sys.exit("bulk load failed")
PY
    curl -sS -f -o /dev/null -X POST "$ES_URL/bench_$n/_refresh"
    sql <<SQL
CREATE FOREIGN TABLE bench_$n (id text, title text, views bigint, published date, score float8)
  SERVER es OPTIONS (index 'bench_$n');
CREATE FOREIGN TABLE bench_${n}_search (id text, title text, q text, relevance real)
  SERVER es OPTIONS (index 'bench_$n', query_column 'q', score_column 'relevance');
SQL
}

# A full scan of bench_<n> in a new connection: seconds (client side) and the backend's peak RSS in kB.
big_scan() {
    local n=$1
    sql -c '\timing on' -c "SELECT count(b.*) FROM bench_$n b" -c '\timing off' \
        -c "SELECT (regexp_match(pg_read_file('/proc/self/status'), 'VmHWM:\s+(\d+)'))[1]" |
        awk '/^Time:/ {t=$2 / 1000} /^[0-9]+$/ {v[++k]=$1} END {print t, v[2]}'
}

# Median client-side milliseconds (psql \timing) of 100 statements made by $2 from i, in a session
# warmed up by 300 of them first (the JVM compiles its hot paths meanwhile).
timed_median() {
    local n=$1 make_statement=$2
    {
        for i in $(seq 1 300); do "$make_statement" "$n" "$((i + 1000))"; done
        echo '\timing on'
        for i in $(seq 1 100); do "$make_statement" "$n" "$i"; done
    } | sql | awk '/^Time:/ {print $2}' | median
}
id_lookup() { echo "SELECT * FROM bench_$1 WHERE id = '$(($2 * 7919 % $1))';"; }
filtered_count() { echo "SELECT count(*) FROM bench_$1 WHERE views > $(($2 * 613 % 100000));"; }
top10_fulltext() {
    echo "SELECT id, title FROM bench_$1_search WHERE q = 'title:(number OR $(($2 * 7919 % $1)))' ORDER BY relevance DESC LIMIT 10;"
}
group_by_day() { echo "SELECT published, count(*) FROM bench_$1 WHERE views > $(($2 % 1000)) GROUP BY published;"; }

rss_kb() { echo "(regexp_match(pg_read_file('/proc/self/status'), 'VmRSS:\s+(\d+)'))[1]::int"; }

# One new connection: RSS before, time of the first SELECT (psql \timing), RSS after.
cold_run() {
    sql -c "SELECT $(rss_kb)" -c '\timing on' -c 'SELECT count(*) FROM (SELECT * FROM bench_small) s' \
        -c '\timing off' -c "SELECT $(rss_kb)" |
        awk '/^Time:/ {t=$2} /^[0-9]+$/ {v[++n]=$1} END {print v[1], t, v[3]}'
}

warm_median_ms() {
    sql <<SQL
CREATE TEMP TABLE timings (ms float8);
DO \$\$
DECLARE t0 timestamptz;
BEGIN
  FOR i IN 1..50 LOOP PERFORM * FROM bench_small; END LOOP;
  FOR i IN 1..$WARM_RUNS LOOP
    t0 := clock_timestamp();
    PERFORM * FROM bench_small;
    INSERT INTO timings VALUES (extract(epoch FROM clock_timestamp() - t0) * 1000);
  END LOOP;
END
\$\$;
SELECT round(percentile_cont(0.5) WITHIN GROUP (ORDER BY ms)::numeric, 3) FROM timings;
SQL
}

direct_median_ms() {
    local body
    body=$(sql -c "EXPLAIN (VERBOSE, COSTS OFF) SELECT * FROM bench_small" |
        sed -n 's/^ *Elasticsearch request: POST \/bench_small\/_search //p')
    java -cp "$REPO_ROOT/pljava-module/target/es_fdw.jar" "$REPO_ROOT/bench/DirectSearch.java" \
        "$ES_URL" bench_small "$body" "$WARM_RUNS"
}

main() {
    trap cleanup EXIT
    setup
    if [[ ${BENCH_ONLY:-} == writes ]]; then
        write_bench
        return
    fi
    if [[ ${BENCH_ONLY:-} == offline ]]; then
        offline_bench
        return
    fi
    if [[ ${BENCH_ONLY:-} == sync ]]; then
        sync_bench
        return
    fi
    say "cold first query ($COLD_RUNS new connections)"
    local runs=() line
    for _ in $(seq "$COLD_RUNS"); do
        line=$(cold_run); runs+=("$line"); echo "  rss_before_kB first_query_ms rss_after_kB: $line"
    done
    local cold_ms rss_before rss_after
    cold_ms=$(printf '%s\n' "${runs[@]}" | awk '{print $2}' | median)
    rss_before=$(printf '%s\n' "${runs[@]}" | awk '{print $1}' | median)
    rss_after=$(printf '%s\n' "${runs[@]}" | awk '{print $3}' | median)
    say "warm SELECT of 10 documents, median of $WARM_RUNS"
    local warm direct
    warm=$(warm_median_ms); echo "  es_fdw: $warm ms"
    direct=$(direct_median_ms); echo "  standalone Java client: $direct ms"
    write_results "$cold_ms" "$rss_before" "$rss_after" "$warm" "$direct"
    local n scan direct_scan lookups=()
    for n in $SCAN_SIZES; do
        say "full scan of $n documents"
        load_big "$n"
        scan=$(big_scan "$n"); echo "  es_fdw: seconds peak_rss_kB: $scan"
        direct_scan=$(java -cp "$REPO_ROOT/pljava-module/target/es_fdw.jar" "$REPO_ROOT/bench/DirectScan.java" \
            "$ES_URL" "bench_$n" 1000); echo "  standalone Java client: documents seconds docs/s: $direct_scan"
        append_scan_result "$n" "$scan" "$direct_scan"
        lookups+=("$n $(timed_median "$n" id_lookup) $(timed_median "$n" filtered_count) $(timed_median "$n" top10_fulltext) $(timed_median "$n" group_by_day)")
        echo "  documents, WHERE id = N ms, filtered count(*) ms, full-text top 10 ms, GROUP BY day ms: ${lookups[-1]}"
        curl -sS -o /dev/null -X DELETE "$ES_URL/bench_$n"
    done
    printf '\n| documents | WHERE id = N | filtered count(*) | full-text top 10 by score | GROUP BY day (336 groups), count(*) |\n|---|---|---|---|---|\n' >>"$RESULTS"
    printf '%s\n' "${lookups[@]}" | awk '{printf "| %d | %.2f ms | %.2f ms | %.2f ms | %.2f ms |\n", $1, $2, $3, $4, $5}' >>"$RESULTS"
    echo "(medians of 100 statements, psql \\timing, in one session warmed up by 300 of them)" >>"$RESULTS"
    write_bench
    offline_bench
    sync_bench
    cat "$RESULTS"
}

append_scan_result() {
    local n=$1 seconds rss direct_rate
    read -r seconds rss <<<"$2"
    direct_rate=$(awk '{print $3}' <<<"$3")
    if ! grep -q '^| full scan' "$RESULTS"; then
        printf '\n| full scan (fetch_size 1000) | es_fdw rows/s | backend peak RSS | standalone client rows/s | ratio (goal ≥ 0.8×) |\n|---|---|---|---|---|\n' >>"$RESULTS"
    fi
    awk -v n="$n" -v s="$seconds" -v r="$rss" -v d="$direct_rate" 'BEGIN {
        printf "| full scan of %d documents | %.0f | %d MB | %.0f | %.2f× |\n", n, n / s, r / 1024, d, (n / s) / d }' >>"$RESULTS"
}

write_results() {
    local cold_ms=$1 rss_before=$2 rss_after=$3 warm=$4 direct=$5
    local java_version
    java_version=$(java -version 2>&1 | head -n1)
    cat >"$RESULTS" <<MD
# es_fdw benchmark results

Written by \`make bench\` (scripts/bench.sh) on $(date -u +%Y-%m-%d), $(nproc) cores, Elasticsearch $ES_VERSION
(test distribution, heap $ES_FDW_ES_HEAP) and PostgreSQL on the same machine, $java_version in the backend.
Times are medians; the machine is shared, so expect noise of ±20%.

| measure | result | goal |
|---|---|---|
| first query in a new connection (JVM start included, client-side) | $cold_ms ms | ≤ 150 ms (stretch) |
| backend RSS before the first query | $((rss_before / 1024)) MB | |
| backend RSS after the first query | $((rss_after / 1024)) MB (+$(((rss_after - rss_before) / 1024)) MB) | JVM ≤ 60 MB extra (stretch) |
| warm SELECT of 10 documents, es_fdw (server-side, median of $WARM_RUNS) | $warm ms | |
| the same _search from a standalone Java client (median of $WARM_RUNS) | $direct ms | |
| ratio es_fdw / standalone client | $(awk -v a="$warm" -v b="$direct" 'BEGIN {printf "%.2f", a / b}')× | ≤ 1.2× (stretch) |
MD
}

# shellcheck source=scripts/bench-writes.sh
. "$SCRIPT_DIR/bench-writes.sh"
# shellcheck source=scripts/bench-offline.sh
. "$SCRIPT_DIR/bench-offline.sh"
# shellcheck source=scripts/bench-sync.sh
. "$SCRIPT_DIR/bench-sync.sh"
main "$@"
