#!/usr/bin/env bash
# bench-sync.sh — the table-sync part of `make bench` (sourced by scripts/bench.sh, which owns the servers;
# es_fdw is in shared_preload_libraries there, so the sync worker runs). Tables synced with es_sync_table()
# (batch_size $BENCH_SYNC_BATCH, default 5000 as the function's) to foreign tables (id text, title text,
# views bigint), the documents bench/DirectBulk.java sends ({"title":"article N","views":N}):
#   a. a 100k-row INSERT … SELECT into a plain table and into a synced one (COMMIT included, the capture
#      into the outbox is all the writer pays), median of $BENCH_SYNC_RUNS (5) pairs, psql \timing in one
#      warm session; before each pair es_sync_flush() delivers the previous pair's changes (timed as well:
#      the worker runs too and takes batches in turns), so the worker is idle when the INSERTs run;
#   b. single-row INSERT latency, plain and synced, pgbench -c 1 of 10k transactions, median of 3 pairs after a
#      warm-up of 1000 each (the worker delivers meanwhile, as it would);
#   c. catch-up: a backlog of $BENCH_SYNC_BACKLOG (default 1000000) changes and one of 40000, each built while
#      the target's server points at a closed port (so the worker fails and backs off), then ALTER SERVER to
#      the real URL. The big backlog: es_breaker_reset() and pg_reload_conf() (SIGHUP sets the worker's
#      latch) wake the worker at once. 40k: nothing else is done, and the time from ALTER SERVER to the last
#      document delivered is the must-hold figure (the worker's backoff after its failures included; the URL
#      changed, so no circuit breaker is open). Throughput = documents delivered after the first poll that
#      saw one, over the time from that poll to the entry's last_delivery (server clock; polls every 50 ms):
#      the background worker's rate, not es_sync_flush()'s. Compared with bench/DirectBulk.java sending the
#      same documents in one _bulk (at most 100000: a 1M-document body is near ES' 100 MB limit), median of
#      5, and in one _bulk of the batch size (median of 11);
#   d. lag at a steady $BENCH_SYNC_RATE (2000) single-row INSERTs/s for $BENCH_SYNC_LAG_SECONDS (20) s
#      (pgbench --rate, 2 clients): a statement trigger on the outbox records, for every change the
#      delivery deletes (after Elasticsearch acknowledged it), clock_timestamp() - es_captured_at (the
#      writer's transaction start); median, p99, max. es_sync_status (pending, oldest_pending_age) is also
#      sampled every second. Search visibility adds Elasticsearch's refresh (1 s by default).
# Every table stays synced (idle) to the end (see sync_retire); so the database's worker, which exits when
# nothing is synced, keeps its warm JVM: a new worker's first seconds are several times slower.
# The gate port $SYNC_GATE_PORT (19298) must be closed. The run fails if the server log shows a crash; the
# worker's other delivery failures (they distort the figures) are counted in the results.
# Results: the block between the bench-sync markers of bench/RESULTS.md, replaced by each run
# (BENCH_ONLY=sync runs only this part).

SYNC_ROWS=100000
SYNC_RUNS=${BENCH_SYNC_RUNS:-5}
SYNC_SINGLE=10000
SYNC_BATCH=${BENCH_SYNC_BATCH:-5000}
SYNC_BACKLOG=${BENCH_SYNC_BACKLOG:-1000000}
SYNC_MUST_BACKLOG=40000
SYNC_RATE=${BENCH_SYNC_RATE:-2000}
SYNC_LAG_SECONDS=${BENCH_SYNC_LAG_SECONDS:-20}
SYNC_GATE_PORT=19298
SYNC_MAPPING='{"mappings":{"properties":{"title":{"type":"keyword"},"views":{"type":"long"}}}}'

sync_index() {
    curl -sS -o /dev/null -X DELETE "$ES_URL/$1"
    curl -sS -f -o /dev/null -X PUT "$ES_URL/$1" -H 'Content-Type: application/json' -d "$SYNC_MAPPING"
}

sync_es_count() {
    curl -sS -f -o /dev/null -X POST "$ES_URL/$1/_refresh"
    curl -sS "$ES_URL/$1/_count" | sed 's/.*"count":\([0-9]*\).*/\1/'
}

# A table sb_$1 synced to the index sb_$1 through the foreign table sb_$1_es of server $2; returns once its
# backfill (nothing: the table is empty) is done, so that later rows are delivered once, from the outbox.
sync_make_table() {
    local name=sb_$1 server=$2 state
    sync_index "$name"
    sql >/dev/null <<SQL
SET client_min_messages = warning;
CREATE TABLE $name (id int PRIMARY KEY, title text, views bigint);
CREATE FOREIGN TABLE ${name}_es (id text, title text, views bigint) SERVER $server OPTIONS (index '$name');
SELECT es_sync_table('$name', '${name}_es', batch_size => $SYNC_BATCH);
SQL
    for _ in $(seq 300); do
        state=$(sql -c "SELECT backfill FROM es_sync_status WHERE source = '$name'::regclass")
        [[ $state == "done" ]] && return
        sleep 0.1
    done
    echo "bench-sync: the backfill of the empty table $name did not finish" >&2
    exit 1
}

# Once its changes are delivered, a table stays synced (idle) to the end: es_unsync_table() can crash the
# worker when the worker is about to deliver that table (see the report of es_sync_deliver's "unsynced
# meanwhile" check). Its outbox is vacuumed (the worker scans it every round) and its index deleted.
sync_retire() {
    sql -c "VACUUM $(sql -c "SELECT outbox FROM es_sync_tables WHERE source = 'sb_$1'::regclass")"
    curl -sS -o /dev/null -X DELETE "$ES_URL/sb_$1"
}

sync_pending() { sql -c "SELECT pending FROM es_sync_status WHERE source = '$1'::regclass"; }

sync_pgbench_latency() {
    PGHOST="$PG_DIR" PGPORT=$PG_PORT PGUSER=postgres pgbench -n -c 1 -t "$SYNC_SINGLE" -f "$1" postgres 2>&1 |
        awk '/latency average/ {print $4}'
}

# Polls the delivered count of table $1 every 50 ms until $2 documents were delivered; prints
# "t_first d_first t_last" (epoch seconds, server clock): the first poll that saw a document delivered,
# the count then, and the entry's last_delivery once all are. The polls go to $PG_DIR/sync-drain-$1.txt.
sync_watch_drain() {
    local src=$1 n=$2 deadline=$((SECONDS + 900)) t d last first="" trace=$PG_DIR/sync-drain-$1.txt
    : >"$trace"
    while :; do
        read -r t d last < <(sql -F ' ' -c "SELECT extract(epoch FROM clock_timestamp()), delivered,
            coalesce(extract(epoch FROM last_delivery), 0) FROM es_sync_tables WHERE source = '$src'::regclass")
        echo "$t $d" >>"$trace"
        [[ -z $first && $d -gt 0 ]] && first="$t $d"
        if ((d >= n)); then
            echo "$first $last"
            return
        fi
        ((SECONDS < deadline)) || { echo "bench-sync: $src: $d of $n delivered after 900 s" >&2; exit 1; }
        sleep 0.05
    done
}

# Catch-up of an $1-change backlog built while the server sb_gate points at a closed port; $2 = wake:
# reset the breakers and SIGHUP the worker right after ALTER SERVER. Prints
# "seconds_from_alter_to_drained docs_per_second insert_ms".
sync_catch_up() {
    set -e # (in a command substitution)
    local n=$1 wake=$2 name=sb_c$1 insert_ms t_alter t_first d_first t_last count
    sql -c "ALTER SERVER sb_gate OPTIONS (SET url 'http://127.0.0.1:$SYNC_GATE_PORT')"
    sync_make_table "c$n" sb_gate
    insert_ms=$(sql -c '\timing on' -c "INSERT INTO $name SELECT i, 'article ' || i, i FROM generate_series(1, $n) AS i" |
        awk '/^Time:/ {print $2}')
    # the worker has tried and failed (it backs off now)
    for _ in $(seq 600); do
        [[ $(sql -c "SELECT last_error_at IS NOT NULL FROM es_sync_tables WHERE source = '$name'::regclass") == t ]] && break
        sleep 0.1
    done
    [[ $(sync_pending "$name") == "$n" ]] || { echo "bench-sync: $name: the backlog is not $n changes" >&2; exit 1; }
    if [[ $wake == wake ]]; then
        t_alter=$(sql -c "ALTER SERVER sb_gate OPTIONS (SET url '$ES_URL')" -c "SELECT es_breaker_reset()" \
            -c "SELECT pg_reload_conf()" -c "SELECT extract(epoch FROM clock_timestamp())" | tail -n1)
    else
        t_alter=$(sql -c "ALTER SERVER sb_gate OPTIONS (SET url '$ES_URL')" -c "SELECT extract(epoch FROM clock_timestamp())")
    fi
    read -r t_first d_first t_last < <(sync_watch_drain "$name" "$n")
    [[ $(sync_pending "$name") == 0 ]] || { echo "bench-sync: $name: changes still pending after delivery" >&2; exit 1; }
    count=$(sync_es_count "$name")
    [[ $count == "$n" ]] || { echo "bench-sync: $name: expected $n documents in Elasticsearch, found $count" >&2; exit 1; }
    sync_retire "c$n"
    awk -v a="$t_alter" -v f="$t_first" -v d="$d_first" -v l="$t_last" -v n="$n" -v i="$insert_ms" \
        'BEGIN {printf "%.2f %.0f %.1f\n", l - a, (n - d) / (l - f), i}'
}

# Median ms of a one-_bulk run of bench/DirectBulk.java: $1 documents, $2 runs.
sync_direct_bulk() { java "$REPO_ROOT/bench/DirectBulk.java" "$ES_URL" sb_direct "$1" "$2"; }

sync_bench() {
    local log_start
    log_start=$(wc -l <"$PG_DIR/server.log")
    if (exec 3<>"/dev/tcp/127.0.0.1/$SYNC_GATE_PORT") 2>/dev/null; then
        echo "bench-sync: port $SYNC_GATE_PORT must be closed (it stands for an unreachable Elasticsearch)" >&2
        exit 1
    fi

    say "sync: $SYNC_ROWS-row INSERT … SELECT, plain and synced ($SYNC_RUNS runs each)"
    sql -c "CREATE TABLE sb_plain (id int PRIMARY KEY, title text, views bigint)"
    # the alternative capture, for comparison: a row trigger inserting each key into an outbox of the same shape
    sql -c "CREATE TABLE sb_rowcap (id int PRIMARY KEY, title text, views bigint)" \
        -c "CREATE TABLE sb_rowcap_outbox (id int NOT NULL, es_captured_at timestamptz NOT NULL DEFAULT now())" \
        -c "CREATE FUNCTION sb_rowcap() RETURNS trigger LANGUAGE plpgsql AS \$\$ BEGIN INSERT INTO sb_rowcap_outbox (id) VALUES (NEW.id); RETURN NULL; END \$\$" \
        -c "CREATE TRIGGER sb_rowcap AFTER INSERT ON sb_rowcap FOR EACH ROW EXECUTE FUNCTION sb_rowcap()"
    sync_make_table synced es
    local timings plain synced flush
    timings=$({
        # warm-up (JVM start and compilation of the delivery in this session), keys outside the timed runs
        echo "INSERT INTO sb_plain SELECT -i, 'article ' || i, i FROM generate_series(1, 10000) AS i;"
        echo "INSERT INTO sb_synced SELECT -i, 'article ' || i, i FROM generate_series(1, 10000) AS i;"
        echo "SELECT es_sync_flush('sb_synced') >= 0;"
        for r in $(seq "$SYNC_RUNS"); do
            local rows="SELECT i, 'article ' || i, i FROM generate_series($(((r - 1) * SYNC_ROWS + 1)), $((r * SYNC_ROWS))) AS i"
            echo '\echo plain'; echo '\timing on'; echo "INSERT INTO sb_plain $rows;"; echo '\timing off'
            echo '\echo synced'; echo '\timing on'; echo "INSERT INTO sb_synced $rows;"; echo '\timing off'
            echo '\echo rowcap'; echo '\timing on'; echo "INSERT INTO sb_rowcap $rows;"; echo '\timing off'
            echo '\echo flush'; echo '\timing on'; echo "SELECT es_sync_flush('sb_synced') >= 0;"; echo '\timing off'
        done
    } | sql | awk '/^(plain|synced|flush|rowcap)$/ {k = $1} /^Time:/ {print k, $2}')
    plain=$(awk '$1 == "plain" {print $2}' <<<"$timings" | median)
    synced=$(awk '$1 == "synced" {print $2}' <<<"$timings" | median)
    flush=$(awk '$1 == "flush" {print $2}' <<<"$timings" | median)
    SYNC_ROWCAP_MS=$(awk '$1 == "rowcap" {print $2}' <<<"$timings" | median)
    sql -c "DROP TABLE sb_rowcap, sb_rowcap_outbox" -c "DROP FUNCTION sb_rowcap()"
    echo "  plain $plain ms, synced $synced ms; delivery of each run's changes (es_sync_flush): $flush ms"
    local count expected=$((SYNC_RUNS * SYNC_ROWS + 10000))
    count=$(sync_es_count sb_synced)
    [[ $count == "$expected" ]] || { echo "bench-sync: expected $expected documents in sb_synced, found $count" >&2; exit 1; }

    say "sync: $SYNC_SINGLE single-row INSERT statements (pgbench, one client, 3 runs each)"
    local script_plain script_synced lat_plain=() lat_synced=()
    script_plain=$(mktemp)
    script_synced=$(mktemp)
    sql -c "CREATE SEQUENCE sb_ids START 10000001"
    echo "INSERT INTO sb_plain VALUES (nextval('sb_ids'), 'one row', 1);" >"$script_plain"
    echo "INSERT INTO sb_synced VALUES (nextval('sb_ids'), 'one row', 1);" >"$script_synced"
    # warm-up: 1000 of each
    PGHOST="$PG_DIR" PGPORT=$PG_PORT PGUSER=postgres pgbench -n -c 1 -t 1000 -f "$script_plain" postgres >/dev/null 2>&1
    PGHOST="$PG_DIR" PGPORT=$PG_PORT PGUSER=postgres pgbench -n -c 1 -t 1000 -f "$script_synced" postgres >/dev/null 2>&1
    sql -c "SELECT es_sync_flush('sb_synced')" >/dev/null
    for _ in 1 2 3; do
        lat_plain+=("$(sync_pgbench_latency "$script_plain")")
        lat_synced+=("$(sync_pgbench_latency "$script_synced")")
        sql -c "SELECT es_sync_flush('sb_synced')" >/dev/null
    done
    rm -f "$script_plain" "$script_synced"
    local single_plain single_synced
    single_plain=$(printf '%s\n' "${lat_plain[@]}" | median)
    single_synced=$(printf '%s\n' "${lat_synced[@]}" | median)
    echo "  latency: plain ${lat_plain[*]} ms, synced ${lat_synced[*]} ms"
    # sb_synced stays synced (idle) until the end: the worker of a database with nothing to sync exits, and a
    # new one would start with a cold JVM (its first seconds are several times slower)
    sql -c "DROP TABLE sb_plain"

    say "sync: catch-up of backlogs of $SYNC_MUST_BACKLOG and $SYNC_BACKLOG changes"
    sql -c "CREATE SERVER sb_gate FOREIGN DATA WRAPPER es_fdw OPTIONS (url 'http://127.0.0.1:$SYNC_GATE_PORT')"
    local must big="" direct_must direct_big direct_batch big_docs
    if ((SYNC_BACKLOG != SYNC_MUST_BACKLOG)); then
        big=$(sync_catch_up "$SYNC_BACKLOG" wake)
        echo "  $SYNC_BACKLOG changes: seconds from ALTER SERVER to delivered, docs/s, INSERT ms: $big"
    fi
    must=$(sync_catch_up "$SYNC_MUST_BACKLOG" nowake)
    echo "  $SYNC_MUST_BACKLOG changes: seconds from ALTER SERVER to delivered, docs/s, INSERT ms: $must"
    direct_must=$(sync_direct_bulk "$SYNC_MUST_BACKLOG" 5)
    echo "  standalone client, one _bulk of $SYNC_MUST_BACKLOG: $direct_must ms"
    big_docs=$((SYNC_BACKLOG < 100000 ? SYNC_BACKLOG : 100000))
    direct_big=$(sync_direct_bulk "$big_docs" 5)
    echo "  standalone client, one _bulk of $big_docs: $direct_big ms"
    direct_batch=$(sync_direct_bulk "$SYNC_BATCH" 11)
    echo "  standalone client, one _bulk of $SYNC_BATCH: $direct_batch ms"
    curl -sS -o /dev/null -X DELETE "$ES_URL/sb_direct"

    say "sync: lag at $SYNC_RATE single-row INSERTs/s for $SYNC_LAG_SECONDS s"
    local lag
    lag=$(sync_lag)
    echo "  achieved tps, changes, lag median/p99/max s, samples: max pending, median/max oldest_pending_age s: $lag"

    sync_retire synced

    "$SCRIPT_DIR/pg-cluster.sh" check-log "$PG_DIR" >/dev/null ||
        { echo "bench-sync: the server log shows a crash ($PG_DIR/server.log)" >&2; exit 1; }
    # the worker's failures other than the gate's closed port (expected) would distort the figures
    local failures
    failures=$(tail -n +"$((log_start + 1))" "$PG_DIR/server.log" | grep 'es_fdw sync: delivery failed' |
        grep -v "127.0.0.1:$SYNC_GATE_PORT" | sed 's/.*retrying (at most every [0-9]* s): //' || true)
    echo "  unexpected delivery failures of the worker: $(grep -c . <<<"$failures" || true)"
    append_sync_results "$plain" "$synced" "$flush" "$single_plain" "$single_synced" "$must" "$big" \
        "$direct_must" "$direct_big" "$big_docs" "$direct_batch" "$lag" "$(grep -c . <<<"$failures" || true)" \
        "$(head -n1 <<<"$failures")"
}

# Prints "tps changes lag_median lag_p99 lag_max max_pending median_oldest max_oldest".
sync_lag() {
    set -e # (in a command substitution)
    local outbox script samples tps n stats
    sync_make_table lag es
    outbox=$(sql -c "SELECT outbox FROM es_sync_tables WHERE source = 'sb_lag'::regclass")
    sql <<SQL
CREATE SEQUENCE sb_lag_ids;
CREATE TABLE sb_lag_acks (captured timestamptz, acked timestamptz);
CREATE FUNCTION sb_lag_ack() RETURNS trigger LANGUAGE plpgsql AS \$\$
BEGIN
  INSERT INTO sb_lag_acks SELECT es_captured_at, clock_timestamp() FROM acked;
  RETURN NULL;
END \$\$;
CREATE TRIGGER sb_lag_ack AFTER DELETE ON $outbox REFERENCING OLD TABLE AS acked
  FOR EACH STATEMENT EXECUTE FUNCTION sb_lag_ack();
SQL
    script=$(mktemp)
    samples=$(mktemp)
    echo "INSERT INTO sb_lag VALUES (nextval('sb_lag_ids'), 'one row', 1);" >"$script"
    (
        for _ in $(seq "$SYNC_LAG_SECONDS"); do
            sleep 1
            sql -F ' ' -c "SELECT pending, extract(epoch FROM oldest_pending_age) FROM es_sync_status
                           WHERE source = 'sb_lag'::regclass"
        done >"$samples"
    ) &
    tps=$(PGHOST="$PG_DIR" PGPORT=$PG_PORT PGUSER=postgres pgbench -n -c 2 -j 2 -R "$SYNC_RATE" \
        -T "$SYNC_LAG_SECONDS" -f "$script" postgres 2>&1 | awk '/^tps/ {print $3}')
    wait
    n=$(sql -c "SELECT last_value FROM sb_lag_ids")
    sync_watch_drain sb_lag "$n" >/dev/null
    stats=$(sql -F ' ' -c "SELECT count(*), percentile_cont(0.5) WITHIN GROUP (ORDER BY s), percentile_cont(0.99)
        WITHIN GROUP (ORDER BY s), max(s) FROM (SELECT extract(epoch FROM acked - captured) AS s FROM sb_lag_acks) l")
    [[ ${stats%% *} == "$n" ]] || { echo "bench-sync: $n changes, $stats acknowledged" >&2; exit 1; }
    local count
    count=$(sync_es_count sb_lag)
    [[ $count == "$n" ]] || { echo "bench-sync: expected $n documents in sb_lag, found $count" >&2; exit 1; }
    rm -f "$script"
    sync_retire lag
    echo "$tps $stats $(awk '$1 > m {m = $1} END {print m + 0}' "$samples") \
        $(awk '{print $2}' "$samples" | median) $(awk '$2 > m {m = $2} END {print m + 0}' "$samples")"
    rm -f "$samples"
}

append_sync_results() {
    local plain=$1 synced=$2 flush=$3 single_plain=$4 single_synced=$5 must=$6 big=$7 direct_must=$8
    local direct_big=$9 big_docs=${10} direct_batch=${11} lag=${12} failures=${13} first_failure=${14} block
    block=$(awk -v p="$plain" -v s="$synced" -v f="$flush" -v sp="$single_plain" -v ss="$single_synced" \
        -v must="$must" -v big="$big" -v dm="$direct_must" -v db="$direct_big" -v bd="$big_docs" \
        -v dbt="$direct_batch" -v lag="$lag" -v fails="$failures" -v first="$first_failure" -v rows="$SYNC_ROWS" -v runs="$SYNC_RUNS" \
        -v single="$SYNC_SINGLE" -v batch="$SYNC_BATCH" -v mb="$SYNC_MUST_BACKLOG" -v bb="$SYNC_BACKLOG" \
        -v rate="$SYNC_RATE" -v secs="$SYNC_LAG_SECONDS" -v rc="$SYNC_ROWCAP_MS" 'BEGIN {
        split(must, m, " "); split(big, b, " "); split(lag, l, " ")
        printf "| table sync (es_sync_table, batch_size %d, worker naptime 200 ms) | result | ratio | goal |\n", batch
        printf "|---|---|---|---|\n"
        printf "| %d-row INSERT … SELECT into a plain table (COMMIT included, median of %d) | %.1f ms | | |\n", rows, runs, p
        printf "| the same into a synced table (changes captured in the outbox) | %.1f ms | %.2f× plain | ≤ 2× |\n", s, s / p
        printf "| the same with a row trigger capturing each key instead (the alternative, not used) | %.1f ms | %.2f× plain | |\n", rc, rc / p
        printf "| delivery of those %d changes by es_sync_flush() (worker running too) | %.0f ms | %.0f docs/s | |\n", rows, f, rows / (f / 1000)
        printf "| single-row INSERT, pgbench latency (1 client, median of 3 × %d): plain / synced | %.3f ms / %.3f ms | %.2f× | |\n", single, sp, ss, ss / sp
        printf "| backlog of %d changes: from ALTER SERVER (Elasticsearch reachable) to all delivered, worker backoff included | %.1f s | | < 60 s (must) |\n", mb, m[1]
        printf "| catch-up of %d changes by the worker | %.0f docs/s | %.2f× one _bulk of %d (%.0f docs/s) | ≥ 0.8× |\n", mb, m[2], m[2] / (mb / (dm / 1000)), mb, mb / (dm / 1000)
        if (big != "")
            printf "| catch-up of %d changes by the worker (woken at once; %.1f s in all) | %.0f docs/s | %.2f× one _bulk of %d (%.0f docs/s) | ≥ 0.8× |\n", bb, b[1], b[2], b[2] / (bd / (db / 1000)), bd, bd / (db / 1000)
        printf "| standalone Java client, one _bulk of %d documents (the batch size; median of 11) | %.1f ms = %.0f docs/s | catch-up %.2f× this | |\n", batch, dbt, batch / (dbt / 1000), (big != "" ? b[2] : m[2]) / (batch / (dbt / 1000))
        printf "| lag at %d INSERTs/s for %d s (achieved %.0f/s, %d changes): capture → acknowledged by Elasticsearch, per change | median %.3f s, p99 %.3f s, max %.3f s | | |\n", rate, secs, l[1], l[2], l[3], l[4], l[5]
        printf "| the same, es_sync_status sampled every second | pending max %d; oldest_pending_age median %.3f s, max %.3f s | | |\n", l[6], l[7], l[8]
        printf "\nCatch-up: the backlog is built while the foreign table'"'"'s server points at a closed port (the worker fails and\n"
        printf "backs off), then ALTER SERVER sets the real URL; the worker is warm (it delivered the rows above). The\n"
        printf "%d-change time counts from ALTER SERVER, with nothing else done: it includes the backoff the worker was in\n", mb
        printf "after failing once or twice. After a long outage the wait before the first delivery is longer: up to the\n"
        printf "worker'"'"'s 15 s backoff (deliveries are not held back by an open circuit breaker, docs/sync.md), so at worst\n"
        printf "~15 s + the drain. For the %d changes the worker is woken at once (es_breaker_reset(),\n", bb
        printf "pg_reload_conf()). docs/s: documents delivered after the first poll (every 50 ms) that saw one, over the\n"
        printf "time from that poll to the last delivery (the background worker'"'"'s rate). The standalone client is\n"
        printf "bench/DirectBulk.java (the same documents, at most 100000 in one request). Lag: a statement trigger on the\n"
        printf "outbox records clock_timestamp() - es_captured_at for each change the delivery deletes (after\n"
        printf "Elasticsearch acknowledged it); search visibility adds the index refresh (1 s by default).\n"
        if (fails > 0)
            printf "\nThe worker failed %d deliveries during this run (besides the closed port'"'"'s), the first: %s\n", fails, first
    }')
    python3 - "$RESULTS" "$block" <<'PY'
import re, sys
path, block = sys.argv[1], sys.argv[2]
begin, end = "<!-- bench-sync: begin (scripts/bench-sync.sh) -->", "<!-- bench-sync: end -->"
text = open(path).read()
section = begin + "\n" + block.strip("\n") + "\n" + end
pattern = re.compile(re.escape(begin) + ".*?" + re.escape(end), re.S)
if pattern.search(text):
    text = pattern.sub(lambda _: section, text)
else:
    text = text.rstrip("\n") + "\n\n" + section
open(path, "w").write(text.rstrip("\n") + "\n")
PY
}
