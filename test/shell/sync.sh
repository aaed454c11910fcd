#!/usr/bin/env bash
# Table sync against real processes (es_sync_table, the background worker, es_sync_flush).
#   chaos:     two synced tables (one with a composite key) written by concurrent pgbench clients —
#              upserts, hot rows, deletes, re-inserts, key changes, ROLLBACK, ROLLBACK TO SAVEPOINT —
#              while the Elasticsearch they sync to is SIGKILLed and started again (its data kept),
#              and PostgreSQL restarts (fast) between two phases, its worker held in a request by a
#              frozen (SIGSTOP) server. No write may fail; once the outboxes are empty, Elasticsearch
#              must hold exactly the tables' rows (ids and content checksums).
#   ES down:   a synced-table INSERT stays fast; es_sync_status shows the backlog and the error.
#   late:      a transaction that commits after later changes were delivered is delivered too.
#   backfill:  a 200k-row table restarted mid-backfill resumes where it was and, written meanwhile,
#              ends equal to the table; a fast shutdown with the worker delivering takes seconds.
#   no worker: without es_fdw in shared_preload_libraries es_sync_table says so, es_sync_flush()
#              delivers; with it back the worker delivers again.
# Runs in its own database (syncsh) and its own Elasticsearch (8.19.0 on port 19295, killed at will).
# Environment (from scripts/test.sh): PGHOST, PGPORT, PGUSER, ES_FDW_SCRIPTS, ES_FDW_PG_DIR.
set -euo pipefail

ES_VERSION=8.19.0
ES_PORT=19295
ES="http://127.0.0.1:$ES_PORT"
DB=syncsh
PHASE_SECONDS=${SYNC_SH_PHASE_SECONDS:-20}
CLIENTS=4
INDICES=(chaos_a chaos_b syncsh_big syncsh_manual)
work=$(mktemp -d)
touch "$work/start"
preload_changed=0
db_made=0
es_frozen=0
ES_KILLS=0
PG_LOG="$ES_FDW_PG_DIR/server.log"
log_start=$(stat -c %s "$PG_LOG" 2>/dev/null || echo 0)

sql() { psql -X -q -v ON_ERROR_STOP=1 -d "$DB" "$@"; }
val() { psql -X -q -tA -v ON_ERROR_STOP=1 -d "$DB" -c "$1"; }
admin() { psql -X -q -v ON_ERROR_STOP=1 -d postgres "$@"; }
fail() { echo "FAIL: $*" >&2; exit 1; }
say() { printf '[%3ds] %s\n' "$SECONDS" "$*"; }
now_ms() { date +%s%3N; }
restart_pg() { "$ES_FDW_SCRIPTS/pg-cluster.sh" restart "$ES_FDW_PG_DIR" >/dev/null 2>&1 || fail "PostgreSQL did not restart"; }

cleanup() {
    local rc=$? i
    set +e
    [[ -n ${bench:-} ]] && kill "$bench" 2>/dev/null
    ((es_frozen)) && kill -CONT "$(es_pid)" 2>/dev/null
    if ((preload_changed)); then
        admin -c "ALTER SYSTEM RESET shared_preload_libraries" &&
            "$ES_FDW_SCRIPTS/pg-cluster.sh" restart "$ES_FDW_PG_DIR" >/dev/null 2>&1
    fi
    if ((db_made)); then
        # the worker leaves once es_fdw is gone from its database; then the database can go
        sql -c "DROP EXTENSION IF EXISTS es_fdw CASCADE" >/dev/null 2>&1
        for ((i = 0; i < 100; i++)); do
            [[ $(admin -tA -c "SELECT count(*) FROM pg_stat_activity WHERE datname = '$DB'") == 0 ]] && break
            sleep 0.1
        done
        admin -c "DROP DATABASE IF EXISTS $DB WITH (FORCE)"
    fi
    for i in "${INDICES[@]}"; do curl -s -o /dev/null -X DELETE "$ES/$i"; done
    "$ES_FDW_SCRIPTS/es-server.sh" stop "$ES_VERSION" "$ES_PORT" >/dev/null 2>&1
    rm -rf "$work"
    exit "$rc"
}
trap cleanup EXIT
trap 'exit 143' TERM INT

# --- our own Elasticsearch, killed and started again with its data --------------------------------
# A killed server is started again with `es-server.sh resume`, in its runtime directory: its indices
# survive the kill, as a real cluster's do (`start` would make a fresh server).
es_pid() { "$ES_FDW_SCRIPTS/es-server.sh" pid "$ES_VERSION" "$ES_PORT" 2>/dev/null; }
es_kill() {
    local pid i
    pid=$(es_pid) || fail "no Elasticsearch of ours on port $ES_PORT to kill"
    kill -KILL "$pid"
    for ((i = 0; i < 200; i++)); do kill -0 "$pid" 2>/dev/null || break; sleep 0.05; done
    kill -0 "$pid" 2>/dev/null && fail "Elasticsearch (pid $pid) survived SIGKILL"
    ES_KILLS=$((ES_KILLS + 1))
    say "Elasticsearch killed (SIGKILL, kill $ES_KILLS), $(pending) changes pending"
}
es_relaunch() {
    local t0=$SECONDS
    "$ES_FDW_SCRIPTS/es-server.sh" resume "$ES_VERSION" "$ES_PORT" >"$work/es-resume.out" 2>&1 ||
        { cat "$work/es-resume.out" >&2; fail "could not start Elasticsearch again"; }
    say "Elasticsearch started again with its data ($((SECONDS - t0)) s)"
}

"$ES_FDW_SCRIPTS/es-server.sh" start "$ES_VERSION" "$ES_PORT" >"$work/es-start.out" 2>&1 ||
    { cat "$work/es-start.out" >&2; fail "could not start Elasticsearch on port $ES_PORT"; }
say "Elasticsearch $ES_VERSION on port $ES_PORT"

for i in "${INDICES[@]}"; do curl -s -o /dev/null -X DELETE "$ES/$i"; done
make_index() {
    curl -s -f -o /dev/null -X PUT "$ES/$1" -H 'Content-Type: application/json' \
        -d "{\"mappings\":{\"dynamic\":\"strict\",\"properties\":$2}}" || fail "could not create index $1"
}
make_index chaos_a '{"title":{"type":"keyword"},"n":{"type":"integer"},"payload":{"type":"object","enabled":false}}'
make_index chaos_b '{"k1":{"type":"integer"},"k2":{"type":"keyword"},"v":{"type":"keyword"}}'
make_index syncsh_big '{"id":{"type":"integer"},"v":{"type":"keyword"}}'
make_index syncsh_manual '{"id":{"type":"integer"},"v":{"type":"keyword"}}'

admin -c "SET client_min_messages = warning" -c "DROP DATABASE IF EXISTS $DB WITH (FORCE)" -c "CREATE DATABASE $DB"
db_made=1
sql <<SQL
CREATE EXTENSION es_fdw;
CREATE SERVER chaos FOREIGN DATA WRAPPER es_fdw OPTIONS (url '$ES', timeout '5s');
CREATE FOREIGN TABLE chaos_a_es (id text, title text, n int, payload jsonb) SERVER chaos OPTIONS (index 'chaos_a');
CREATE FOREIGN TABLE chaos_b_es (id text, k1 int, k2 text, v text) SERVER chaos OPTIONS (index 'chaos_b');
CREATE TABLE chaos_a (id int PRIMARY KEY, title text, n int, payload jsonb);
CREATE TABLE chaos_b (k1 int, k2 text, v text, PRIMARY KEY (k1, k2));
INSERT INTO chaos_a SELECT g, 'seed', 0, jsonb_build_object('seed', g) FROM generate_series(1, 1500) g;
INSERT INTO chaos_b SELECT g, k, 'seed' FROM generate_series(1, 200) g, unnest(ARRAY['a', 'x']) k;
SELECT es_sync_table('chaos_a', 'chaos_a_es', batch_size => 500) AS backfill_a,
       es_sync_table('chaos_b', 'chaos_b_es', batch_size => 500) AS backfill_b \gset
-- what Elasticsearch must hold: every row, its _id (a composite key as k1|k2, escaped) and its content
CREATE VIEW pg_a AS SELECT id::text AS id, concat_ws(':', id, title, n, payload::text) AS doc FROM chaos_a;
CREATE VIEW pg_b AS
  SELECT concat_ws('|', replace(replace(k1::text, '\\', '\\\\'), '|', '\\|'),
                   replace(replace(k2, '\\', '\\\\'), '|', '\\|')) AS id,
         concat_ws(':', k1, k2, v) AS doc FROM chaos_b;
CREATE VIEW es_a AS SELECT id, concat_ws(':', id, title, n, payload::text) AS doc FROM chaos_a_es;
CREATE VIEW es_b AS SELECT id, concat_ws(':', k1, k2, v) AS doc FROM chaos_b_es;
SQL

[[ $(val "SELECT string_agg(source || ' ' || backfill_total, ', ' ORDER BY source::text) FROM es_sync_status") == \
    "chaos_a 1500, chaos_b 400" ]] || fail "es_sync_table did not count the rows to backfill"

# "rows md5" of a view, in _id order
digest() { val "SELECT count(*) || ' ' || md5(coalesce(string_agg(id || '=' || doc, ',' ORDER BY id COLLATE \"C\"), '')) FROM $1"; }
pending() { val "SELECT coalesce(sum(pending), 0) FROM es_sync_status${1:+ WHERE source IN ($1)}"; }
# until the outboxes are empty and the backfills done
wait_drained() {  # <what> [timeout s]
    local deadline=$((SECONDS + ${2:-120})) p
    while p=$(val "SELECT coalesce(sum(pending), 0) + count(*) FILTER (WHERE backfill <> 'done') FROM es_sync_status");
        [[ $p != 0 ]]; do
        ((SECONDS < deadline)) || { sql -c "SELECT * FROM es_sync_status" >&2; fail "$1: still pending after ${2:-120} s"; }
        sleep 0.5
    done
    say "$1: every change delivered"
}
# Elasticsearch holds exactly the rows of the tables: same ids, same content, nothing else.
compare() {  # <what>
    local t pg es
    curl -s -f -o /dev/null -X POST "$ES/chaos_a,chaos_b/_refresh" || fail "$1: refresh failed"
    for t in a b; do
        pg=$(digest "pg_$t")
        es=$(digest "es_$t")
        [[ $pg == "$es" ]] || {
            sql -c "SELECT coalesce(p.id, e.id) AS id, p.doc AS postgres, e.doc AS elasticsearch
                      FROM pg_$t p FULL JOIN es_$t e ON e.id = p.id
                     WHERE p.doc IS DISTINCT FROM e.doc ORDER BY 1 LIMIT 20" >&2
            fail "$1: chaos_$t differs: PostgreSQL $pg, Elasticsearch $es"
        }
        say "$1: chaos_$t identical in Elasticsearch (rows md5: $pg)"
    done
    [[ $(val "SELECT sum(dead_letters) FROM es_sync_status WHERE source IN ('chaos_a', 'chaos_b')") == 0 ]] ||
        fail "$1: dead letters: $(val 'SELECT doc_id || $$: $$ || error FROM es_sync_dead_letters LIMIT 5')"
}

wait_drained "initial backfill" 90
compare "after the backfill"

# --- chaos -------------------------------------------------------------------------------------------
# Deadlock-free by construction: a transaction that touches several rows takes them in key order (hot
# ids 1..20, then 21..1500, then 1501..3000; a key change takes -x then x under an advisory lock of x).
K2="(ARRAY['\\|', 'a', 'b|c', 'd\\e', 'x'])"
cat >"$work/a_upsert.sql" <<'EOF'
\set id random(1, 3000)
INSERT INTO chaos_a AS t (id, title, n, payload) VALUES (:id, 'ins ' || :client_id, 0, jsonb_build_object('by', :client_id, 'k', :id % 7)) ON CONFLICT (id) DO UPDATE SET n = t.n + 1, title = 'upd ' || :client_id, payload = t.payload || jsonb_build_object('n', t.n + 1);
EOF
cat >"$work/a_hot.sql" <<'EOF'
\set h random(1, 20)
UPDATE chaos_a SET n = n + 1, title = 'hot ' || :client_id, payload = jsonb_build_object('hot', n + 1) WHERE id = :h;
EOF
cat >"$work/a_delete.sql" <<'EOF'
\set id random(1, 3000)
DELETE FROM chaos_a WHERE id = :id;
EOF
cat >"$work/a_reborn.sql" <<'EOF'
\set id random(21, 3000)
BEGIN;
DELETE FROM chaos_a WHERE id = :id;
INSERT INTO chaos_a (id, title, n, payload) VALUES (:id, 'reborn ' || :client_id, 0, '{"reborn": true}') ON CONFLICT (id) DO NOTHING;
COMMIT;
EOF
cat >"$work/a_rollback.sql" <<'EOF'
\set h random(1, 20)
\set b random(21, 1500)
\set c random(1501, 3000)
BEGIN;
UPDATE chaos_a SET title = 'rolled back', n = -1 WHERE id = :h;
DELETE FROM chaos_a WHERE id = :b;
INSERT INTO chaos_a (id, title, n) VALUES (:c, 'rolled back', -1) ON CONFLICT (id) DO UPDATE SET title = 'rolled back';
INSERT INTO chaos_a (id, title, n) VALUES (900000 + :client_id, 'rolled back', -1);
ROLLBACK;
EOF
cat >"$work/a_savepoint.sql" <<'EOF'
\set h random(1, 20)
\set b random(21, 1500)
\set c random(1501, 3000)
BEGIN;
UPDATE chaos_a SET n = n + 100, title = 'sp kept ' || :client_id WHERE id = :h;
SAVEPOINT s;
DELETE FROM chaos_a WHERE id = :b;
INSERT INTO chaos_a (id, title, n) VALUES (:c, 'sp undone', -1) ON CONFLICT (id) DO UPDATE SET title = 'sp undone';
ROLLBACK TO SAVEPOINT s;
INSERT INTO chaos_a (id, title, n) VALUES (:c, 'sp after ' || :client_id, 7) ON CONFLICT (id) DO UPDATE SET title = 'sp after ' || :client_id, n = chaos_a.n + 7;
COMMIT;
EOF
cat >"$work/a_keymove.sql" <<'EOF'
\set x random(21, 3000)
BEGIN;
SELECT pg_advisory_xact_lock(:x);
DELETE FROM chaos_a WHERE id = -:x;
UPDATE chaos_a SET id = -id, title = 'moved ' || :client_id WHERE id = :x;
COMMIT;
EOF
cat >"$work/b_upsert.sql" <<EOF
\\set k1 random(1, 400)
\\set r random(1, 5)
INSERT INTO chaos_b AS t (k1, k2, v) VALUES (:k1, $K2[:r], 'ins ' || :client_id) ON CONFLICT (k1, k2) DO UPDATE SET v = 'upd ' || :client_id || ' ' || length(t.v);
EOF
cat >"$work/b_delete.sql" <<'EOF'
\set k1 random(1, 400)
DELETE FROM chaos_b WHERE k1 = :k1;
EOF
cat >"$work/b_keymove.sql" <<EOF
\\set k1 random(1, 400)
\\set r random(1, 5)
BEGIN;
SELECT pg_advisory_xact_lock(1000000 + :k1 * 10 + :r);
DELETE FROM chaos_b WHERE k1 = :k1 + 1000 AND k2 = $K2[:r];
UPDATE chaos_b SET k1 = k1 + 1000, v = 'moved ' || :client_id WHERE k1 = :k1 AND k2 = $K2[:r];
COMMIT;
EOF
cat >"$work/b_rollback.sql" <<EOF
\\set k1 random(1, 200)
\\set k2 random(201, 400)
\\set r random(1, 5)
BEGIN;
INSERT INTO chaos_b (k1, k2, v) VALUES (:k1, $K2[:r], 'rolled back') ON CONFLICT (k1, k2) DO UPDATE SET v = 'rolled back';
DELETE FROM chaos_b WHERE k1 = :k2 AND k2 = $K2[:r];
ROLLBACK;
EOF
cat >"$work/b_savepoint.sql" <<EOF
\\set k1 random(1, 200)
\\set k2 random(201, 400)
BEGIN;
UPDATE chaos_b SET v = 'sp kept ' || :client_id WHERE k1 = :k1 AND k2 = 'a';
SAVEPOINT s;
DELETE FROM chaos_b WHERE k1 = :k2;
ROLLBACK TO SAVEPOINT s;
INSERT INTO chaos_b (k1, k2, v) VALUES (:k2, 'x', 'sp after ' || :client_id) ON CONFLICT (k1, k2) DO UPDATE SET v = 'sp after ' || :client_id;
COMMIT;
EOF
SCRIPTS=(a_upsert@4 a_hot@4 a_delete@2 a_reborn@1 a_rollback@1 a_savepoint@1 a_keymove@1
    b_upsert@3 b_delete@1 b_keymove@1 b_rollback@1 b_savepoint@1)
bench_args=()
for s in "${SCRIPTS[@]}"; do bench_args+=(-f "$work/${s%@*}.sql@${s#*@}"); done

TXNS=0
start_bench() {  # <phase>
    pgbench -n -c "$CLIENTS" -j 2 -T "$PHASE_SECONDS" --max-tries=10 "${bench_args[@]}" "$DB" \
        >"$work/bench-$1.out" 2>&1 &
    bench=$!
}
end_bench() {  # <phase>
    local rc=0 out n failed
    wait "$bench" || rc=$?
    bench=""
    out="$work/bench-$1.out"
    n=$(sed -n 's/^number of transactions actually processed: \([0-9]*\).*/\1/p' "$out")
    failed=$(sed -n 's/^number of failed transactions: \([0-9]*\).*/\1/p' "$out")
    if ((rc != 0)) || [[ -z $n || $failed != 0 ]] || grep -qiE 'aborted|error' "$out"; then
        cat "$out" >&2
        fail "phase $1: pgbench exit $rc, failed transactions '${failed:-?}' (a write must never fail)"
    fi
    TXNS=$((TXNS + n))
    say "phase $1: $n transactions, 0 failed, $(sed -n 's/^number of transactions retried: \([0-9]*\).*/\1/p' "$out") retried (deadlocks), $(sed -n 's/^tps = \([0-9]*\).*/\1/p' "$out") tps"
}

# phase 1: a kill at a random moment; while Elasticsearch is down a write is fast and the status tells
start_bench 1
sleep $((3 + RANDOM % 6))
kill_epoch=$(date +%s)
es_kill
sleep 1
sql -c "\\timing on" -c "INSERT INTO chaos_a (id, title, n, payload) VALUES (5000, 'written while down', 1, '{}')" \
    >"$work/probe" 2>&1 || { cat "$work/probe" >&2; fail "an INSERT into a synced table failed while Elasticsearch was down"; }
insert_ms=$(awk '/^Time:/ {print $2}' "$work/probe")
say "Elasticsearch down: a one-row INSERT into a synced table took $insert_ms ms (4 pgbench clients running)"
awk -v t="$insert_ms" 'BEGIN { exit !(t < 200) }' || fail "the INSERT took $insert_ms ms with Elasticsearch down"
deadline=$((SECONDS + 30))
until [[ $(val "SELECT pending > 0 AND last_error LIKE '%$ES_PORT%' AND last_error_at >= to_timestamp($kill_epoch)
                  FROM es_sync_status WHERE source = 'chaos_a'::regclass") == t ]]; do
    ((SECONDS < deadline)) || { sql -c "SELECT * FROM es_sync_status" >&2; fail "es_sync_status did not show the backlog and the error"; }
    sleep 0.5
done
say "es_sync_status while down: $(val "SELECT 'pending ' || pending || ', oldest ' || round(extract(epoch FROM oldest_pending_age)::numeric, 1) || ' s, last_error: ' || left(last_error, 160) FROM es_sync_status WHERE source = 'chaos_a'::regclass")"
es_relaunch
end_bench 1

wait_drained "phase 1" 120
compare "phase 1"

# PostgreSQL restarts (fast shutdown) between the phases while the worker waits for the answer of a
# server that does not give one (SIGSTOP; the request timeout raised to 2 minutes)
sql -c "ALTER SERVER chaos OPTIONS (SET timeout '2min')"
kill -STOP "$(es_pid)"
es_frozen=1
sql -c "UPDATE chaos_a SET n = n WHERE id BETWEEN 1 AND 100"
sleep 2
p1=$(pending)
sleep 1
p2=$(pending)
[[ $p1 == "$p2" && $p1 -gt 0 ]] || fail "the worker was not held by the frozen server (pending $p1, then $p2)"
worker=$(val "SELECT coalesce(wait_event_type || '/' || wait_event, 'no wait event') FROM pg_stat_activity
               WHERE backend_type = 'es_fdw sync worker' AND datname = '$DB'")
t0=$(now_ms)
restart_pg
restart_ms=$(($(now_ms) - t0))
kill -CONT "$(es_pid)"
es_frozen=0
sql -c "ALTER SERVER chaos OPTIONS (SET timeout '5s')"
say "PostgreSQL fast restart between the phases, the worker waiting on a frozen server ($worker): $restart_ms ms ($p2 changes pending)"
((restart_ms < 5000)) || fail "a fast restart with the worker in a request took $restart_ms ms"

# phase 2: a kill at a random moment, and another while the worker catches up after the restart
start_bench 2
sleep $((2 + RANDOM % 6))
es_kill
sleep $((1 + RANDOM % 3))
es_relaunch
sleep "0.$((RANDOM % 10))"
es_kill
sleep 1
es_relaunch
end_bench 2

wait_drained "chaos" 120
changes=$(val "SELECT sum(n_tup_ins + n_tup_upd + n_tup_del) FROM pg_stat_user_tables WHERE relname IN ('chaos_a', 'chaos_b')")
compare "chaos"
say "chaos: $TXNS transactions by $CLIENTS clients, $changes row changes, $ES_KILLS Elasticsearch kills, 1 PostgreSQL restart," \
    "$(val "SELECT (SELECT count(*) FROM chaos_a) + (SELECT count(*) FROM chaos_b)") documents compared," \
    "$(val "SELECT sum(delivered) FROM es_sync_status") documents delivered"
[[ $((TXNS)) -ge 20000 ]] || fail "only $TXNS transactions: the chaos workload is too small to mean much"

# --- a transaction that commits late is not skipped ---------------------------------------------------
# Its change is captured (in the outbox) before later ones are delivered; no high-water mark may pass it.
late_id=$(val "SELECT min(id) FROM chaos_a")
early_id=$(val "SELECT max(id) FROM chaos_a")
psql -X -q -v ON_ERROR_STOP=1 -d "$DB" -c "BEGIN" \
    -c "UPDATE chaos_a SET title = 'committed late' WHERE id = $late_id" \
    -c "SELECT pg_sleep(4)" -c "COMMIT" >"$work/late.out" 2>&1 &
late_pid=$!
sleep 0.5
sql -c "UPDATE chaos_a SET title = 'committed early' WHERE id = $early_id"
deadline=$((SECONDS + 3))
until [[ $(pending "'chaos_a'::regclass") == 0 ]]; do
    ((SECONDS < deadline)) || fail "late commit: the early change was not delivered while the late one was open"
    sleep 0.1
done
kill -0 "$late_pid" 2>/dev/null || fail "late commit: the late transaction ended before the early change was delivered"
wait "$late_pid" || { cat "$work/late.out" >&2; fail "late commit: the late transaction failed"; }
wait_drained "late commit" 30
compare "late commit"
curl -s -f -o /dev/null -X POST "$ES/chaos_a/_refresh"
[[ $(val "SELECT title FROM chaos_a_es WHERE id = '$late_id'") == "committed late" ]] ||
    fail "late commit: the change of the transaction that committed late is not in Elasticsearch"

# --- backfill resumes after a restart, with writes going on -------------------------------------------
sql -c "CREATE TABLE syncsh_big (id int PRIMARY KEY, v text)" \
    -c "INSERT INTO syncsh_big SELECT g, md5(g::text) FROM generate_series(1, 200000) g" \
    -c "CREATE FOREIGN TABLE syncsh_big_es (id text, v text) SERVER chaos OPTIONS (index 'syncsh_big')"
[[ $(val "SELECT es_sync_table('syncsh_big', 'chaos', 'syncsh_big', batch_size => 1000)") == 200000 ]] ||
    fail "es_sync_table did not count 200000 rows to backfill"
deadline=$((SECONDS + 60))
while before=$(val "SELECT backfill_done FROM es_sync_status WHERE source = 'syncsh_big'::regclass"); ((before < 5000)); do
    ((SECONDS < deadline)) || fail "the backfill did not start"
    sleep 0.1
done
((before < 150000)) || fail "the backfill ran too fast to be restarted half-way ($before rows when seen)"
t0=$(now_ms)
restart_pg
restart_ms=$(($(now_ms) - t0))
after=$(val "SELECT backfill_done FROM es_sync_status WHERE source = 'syncsh_big'::regclass")
say "backfill: $before of 200000 rows done, a fast restart with the worker delivering took $restart_ms ms, then $after done"
((restart_ms < 5000)) || fail "a fast shutdown and start with the worker delivering took $restart_ms ms"
((after >= before)) || fail "the backfill went back from $before to $after rows after the restart"
# while the backfill goes on: updates, deletes and new rows (the versions decide which state wins)
cat >"$work/big.sql" <<'PGB'
\set u random(1, 210000)
UPDATE syncsh_big SET v = md5(random()::text) WHERE id = :u;
\set d random(1, 210000)
DELETE FROM syncsh_big WHERE id = :d;
\set i random(200001, 210000)
INSERT INTO syncsh_big VALUES (:i, 'new') ON CONFLICT (id) DO UPDATE SET v = 'again';
PGB
pgbench -n -c 2 -T 3 -f "$work/big.sql" "$DB" >"$work/big.out" 2>&1 || { cat "$work/big.out" >&2; fail "writes during the backfill failed"; }
deadline=$((SECONDS + 150))
until [[ $(val "SELECT backfill FROM es_sync_status WHERE source = 'syncsh_big'::regclass") == done ]]; do
    ((SECONDS < deadline)) || { sql -c "SELECT * FROM es_sync_status" >&2; fail "the backfill did not finish"; }
    sleep 0.5
done
wait_drained "backfill" 60
say "backfill: $(val "SELECT backfill_done || ' of ' || backfill_total || ' rows, ' || backfill_rows_per_second || ' rows/s' FROM es_sync_status WHERE source = 'syncsh_big'::regclass"), $(grep -o 'number of transactions actually processed: [0-9]*' "$work/big.out" | grep -o '[0-9]*$') write transactions meanwhile"
# (rows deleted before the backfill reached them are not counted as backfilled)
[[ $(val "SELECT backfill_done BETWEEN 190000 AND 210000 AND backfill_total = 200000 FROM es_sync_status WHERE source = 'syncsh_big'::regclass") == t ]] ||
    fail "backfill_done/backfill_total are not about 200000"
curl -s -f -o /dev/null -X POST "$ES/syncsh_big/_refresh"
pg=$(val "SELECT count(*) || ' ' || md5(string_agg(id || '=' || v, ',' ORDER BY id::text COLLATE \"C\")) FROM syncsh_big")
es=$(val "SELECT count(*) || ' ' || md5(string_agg(id || '=' || v, ',' ORDER BY id COLLATE \"C\")) FROM syncsh_big_es")
[[ $pg == "$es" ]] || fail "backfill: Elasticsearch ($es) differs from PostgreSQL ($pg)"
say "backfill: syncsh_big identical in Elasticsearch (rows md5: $pg)"

# --- no worker: es_fdw not in shared_preload_libraries ----------------------------------------------
# (PostgreSQL 15 writes ALTER SYSTEM SET shared_preload_libraries = '' as the one library "": it
# would not start. plpgsql stands for "anything but es_fdw".)
preload_changed=1
admin -c "ALTER SYSTEM SET shared_preload_libraries = 'plpgsql'"
restart_pg
[[ $(val "SHOW shared_preload_libraries") == plpgsql ]] || fail "shared_preload_libraries is not plpgsql"
sql -c "CREATE TABLE syncsh_manual (id int PRIMARY KEY, v text)" \
    -c "INSERT INTO syncsh_manual SELECT g, 'v' || g FROM generate_series(1, 300) g"
sql -c "SELECT es_sync_table('syncsh_manual', 'chaos', 'syncsh_manual')" >"$work/notice" 2>&1
grep -q "NOTICE:.*shared_preload_libraries" "$work/notice" || fail "no NOTICE about shared_preload_libraries: $(cat "$work/notice")"
say "no worker: $(grep NOTICE "$work/notice")"
sql -c "UPDATE syncsh_manual SET v = 'changed' WHERE id <= 50" -c "DELETE FROM syncsh_manual WHERE id > 280" \
    -c "INSERT INTO syncsh_manual VALUES (1000, 'new')" \
    -c "INSERT INTO chaos_a (id, title, n) VALUES (5001, 'flushed by hand', 1)"
sleep 2
[[ $(val "SELECT count(*) FROM pg_stat_activity WHERE backend_type LIKE 'es_fdw sync%'") == 0 ]] ||
    fail "a sync worker runs without es_fdw in shared_preload_libraries"
[[ $(pending "'chaos_a'::regclass") -ge 1 ]] || fail "a change of chaos_a was delivered without a worker"
flushed=$(val "SELECT es_sync_flush()")
[[ $(pending) == 0 ]] || fail "es_sync_flush() left $(pending) changes pending"
curl -s -f -o /dev/null -X POST "$ES/syncsh_manual/_refresh"
es_count=$(curl -s -f "$ES/syncsh_manual/_count" | sed -n 's/.*"count":\([0-9]*\).*/\1/p')
[[ $es_count == 281 ]] || fail "es_sync_flush(): $es_count documents in syncsh_manual, 281 expected"
[[ $(val "SELECT count(*) FROM syncsh_manual WHERE v = 'changed'") == 50 ]] || fail "unexpected syncsh_manual"
say "no worker: es_sync_flush() delivered $flushed documents; syncsh_manual has $es_count documents in Elasticsearch"
compare "after es_sync_flush()"

# the worker is back with es_fdw preloaded again, and finds the database by itself
admin -c "ALTER SYSTEM RESET shared_preload_libraries"
restart_pg
preload_changed=0
sql -c "INSERT INTO syncsh_manual VALUES (1001, 'worker again')" -c "UPDATE chaos_a SET title = 'worker again' WHERE id = 5001"
wait_drained "worker after the restart" 60
[[ $(val "SELECT count(*) FROM pg_stat_activity WHERE backend_type = 'es_fdw sync worker' AND datname = '$DB'") == 1 ]] ||
    fail "no sync worker for $DB after es_fdw was preloaded again"
compare "final"

# --- no crash ----------------------------------------------------------------------------------------
crash=$(sed -n "s/^CRASH_PATTERN='\(.*\)'$/\1/p" "$ES_FDW_SCRIPTS/pg-cluster.sh")
crash=${crash:-terminated by signal|PANIC:}
if tail -c +"$((log_start + 1))" "$PG_LOG" | grep -E "$crash" >"$work/crash"; then
    fail "the server log shows a crash during this test: $(cat "$work/crash")"
fi
find "$(readlink -f "$ES_FDW_PG_DIR")/data" -maxdepth 2 -name 'hs_err_pid*.log' -newer "$work/start" | grep -q . &&
    fail "a JVM crash report was written in the data directory"
say "sync: OK"
