#!/usr/bin/env bash
# bench-writes.sh — the write part of `make bench` (sourced by scripts/bench.sh, which owns the servers):
#   10k-row INSERT … SELECT into a plain table, into a foreign table, and into a table mirrored to
#   Elasticsearch by the seed's three row triggers (COMMIT included: that is when es_fdw sends), next to a
#   standalone Java client's single _bulk of the same 10k documents (bench/DirectBulk.java); then 10k
#   single-row INSERT statements with pgbench, plain and mirrored. Each timed run starts from a freshly
#   created index; psql \timing in one new session per measure: the first run (it starts the session's
#   JVM) is reported on its own, the next $WRITE_WARMUP warm it up, the median of the $WRITE_RUNS after
#   them is the result. The standalone client skips as many warm-up runs in its JVM.

WRITE_DOCS=10000
WRITE_RUNS=${BENCH_WRITE_RUNS:-7}
WRITE_WARMUP=2

recreate_index() {
    echo "\\! curl -sS -o /dev/null -X DELETE $ES_URL/$1"
    echo "\\! curl -sS -f -o /dev/null -X PUT $ES_URL/$1 -H 'Content-Type: application/json' -d '{\"mappings\":{\"properties\":{\"title\":{\"type\":\"keyword\"},\"views\":{\"type\":\"long\"}}}}'"
}

# "median first": milliseconds of the timed statement $2, each run after the statement(s) $1, in one new
# session: the median of the WRITE_RUNS runs after 1 + WRITE_WARMUP, and the session's first run.
timed_write() {
    local prepare=$1 statement=$2 times
    times=$({
        for _ in $(seq $((1 + WRITE_WARMUP + WRITE_RUNS))); do
            eval "$prepare"
            echo '\timing on'
            echo "$statement"
            echo '\timing off'
        done
    } | sql | awk '/^Time:/ {print $2}')
    echo "$(tail -n +$((2 + WRITE_WARMUP)) <<<"$times" | median) $(head -1 <<<"$times")"
}

write_setup() {
    sql <<SQL
CREATE TABLE wb_plain (id int PRIMARY KEY, title text, views bigint);
CREATE FOREIGN TABLE wb_es (id text, title text, views bigint) SERVER es OPTIONS (index 'wb_es');
CREATE TABLE wb_articles (id int PRIMARY KEY, title text, views bigint);
CREATE FOREIGN TABLE wb_articles_es (id text, title text, views bigint) SERVER es OPTIONS (index 'wb_articles');
CREATE FUNCTION wb_mirror() RETURNS trigger LANGUAGE plpgsql AS \$\$
BEGIN
  IF TG_OP = 'INSERT' THEN
    INSERT INTO wb_articles_es VALUES (NEW.id::text, NEW.title, NEW.views);
  ELSIF TG_OP = 'UPDATE' THEN
    UPDATE wb_articles_es SET title = NEW.title, views = NEW.views WHERE id = NEW.id::text;
  ELSE
    DELETE FROM wb_articles_es WHERE id = OLD.id::text;
    RETURN OLD;
  END IF;
  RETURN NEW;
END \$\$;
CREATE TRIGGER wb_ins AFTER INSERT ON wb_articles FOR EACH ROW EXECUTE FUNCTION wb_mirror();
CREATE TRIGGER wb_upd AFTER UPDATE ON wb_articles FOR EACH ROW EXECUTE FUNCTION wb_mirror();
CREATE TRIGGER wb_del BEFORE DELETE ON wb_articles FOR EACH ROW EXECUTE FUNCTION wb_mirror();
CREATE SEQUENCE wb_ids;
SQL
}

pgbench_latency() {
    PGHOST="$PG_DIR" PGPORT=$PG_PORT PGUSER=postgres pgbench -n -c 1 -t "$WRITE_DOCS" -f "$1" postgres 2>&1 |
        awk '/latency average/ {print $4}'
}

write_bench() {
    say "writes: $WRITE_DOCS-row INSERT … SELECT ($WRITE_RUNS runs each)"
    write_setup
    # Elasticsearch just started: warm it up (its JIT) with the standalone client's _bulk of the same
    # documents, so that neither side below pays for a cold server
    java "$REPO_ROOT/bench/DirectBulk.java" "$ES_URL" wb_warmup "$WRITE_DOCS" 30 >/dev/null
    curl -sS -o /dev/null -X DELETE "$ES_URL/wb_warmup"
    local rows="SELECT i, 'article ' || i, i FROM generate_series(1, $WRITE_DOCS) AS i"
    local plain fdw mirrored direct first_fdw first_mirrored
    read -r plain _ < <(timed_write "echo 'TRUNCATE wb_plain;'" "INSERT INTO wb_plain $rows;")
    echo "  plain table: $plain ms"
    read -r fdw first_fdw < <(timed_write "recreate_index wb_es" \
        "INSERT INTO wb_es SELECT i::text, 'article ' || i, i FROM generate_series(1, $WRITE_DOCS) AS i;")
    echo "  foreign table: $fdw ms (first run of the session: $first_fdw ms)"
    read -r mirrored first_mirrored < <(timed_write "recreate_index wb_articles; echo 'TRUNCATE wb_articles;'" \
        "INSERT INTO wb_articles $rows;")
    echo "  mirrored by the seed's triggers: $mirrored ms (first run of the session: $first_mirrored ms)"
    direct=$(java "$REPO_ROOT/bench/DirectBulk.java" "$ES_URL" wb_direct "$WRITE_DOCS" "$WRITE_RUNS" "$WRITE_WARMUP")
    echo "  standalone client, one _bulk: $direct ms"
    curl -sS -o /dev/null -X POST "$ES_URL/wb_articles/_refresh"
    local count
    count=$(curl -sS "$ES_URL/wb_articles/_count" | sed 's/.*"count":\([0-9]*\).*/\1/')
    echo "  documents in Elasticsearch after the mirrored runs: $count"
    [[ $count == "$WRITE_DOCS" ]] || { echo "bench-writes: expected $WRITE_DOCS documents, found $count" >&2; exit 1; }

    say "writes: $WRITE_DOCS single-row INSERT statements (pgbench, one client)"
    local script plain_lat mirrored_lat
    script=$(mktemp)
    echo "INSERT INTO wb_plain VALUES (nextval('wb_ids') + 100000, 'one row', 1);" >"$script"
    plain_lat=$(pgbench_latency "$script")
    echo "INSERT INTO wb_articles VALUES (nextval('wb_ids') + 100000, 'one row', 1);" >"$script"
    mirrored_lat=$(pgbench_latency "$script")
    rm -f "$script"
    echo "  latency: plain $plain_lat ms, mirrored $mirrored_lat ms"
    append_write_results "$plain" "$fdw" "$mirrored" "$direct" "$plain_lat" "$mirrored_lat" "$first_fdw" "$first_mirrored"
}

append_write_results() {
    local plain=$1 fdw=$2 mirrored=$3 direct=$4 plain_lat=$5 mirrored_lat=$6 first_fdw=$7 first_mirrored=$8
    # replace the writes table of an earlier run (BENCH_ONLY=writes keeps the rest of the file)
    python3 - "$RESULTS" <<'PY'
import re, sys
path = sys.argv[1]
text = open(path).read()
text = re.sub(r"\n\| writes, .*?(?=\n\n|\Z)", "", text, flags=re.S)
open(path, "w").write(text.rstrip("\n") + "\n")
PY
    awk -v p="$plain" -v f="$fdw" -v m="$mirrored" -v d="$direct" -v pl="$plain_lat" -v ml="$mirrored_lat" \
        -v ff="$first_fdw" -v fm="$first_mirrored" -v n="$WRITE_DOCS" -v runs="$WRITE_RUNS" -v warm="$WRITE_WARMUP" 'BEGIN {
        printf "\n| writes, %d rows (COMMIT included; median of %d runs after %d warm-up runs in one new session) | time | ratio | goal |\n|---|---|---|---|\n", n, runs, 1 + warm
        printf "| INSERT … SELECT into a plain table | %.1f ms | | |\n", p
        printf "| standalone Java client, one _bulk of the same documents | %.1f ms | | |\n", d
        printf "| INSERT … SELECT into a foreign table | %.1f ms | %.0f docs/s = %.2f× the standalone client | ≥ 0.8× |\n", f, n / (f / 1000), d / f
        printf "| INSERT … SELECT into a table mirrored by the seed'"'"'s 3 row triggers | %.1f ms | %.2f× (plain + standalone _bulk) | ≤ 1.5× must, ≤ 1.2× stretch (Multicorn: 434× plain) |\n", m, m / (p + d)
        printf "| the first run of a new session (its JVM started): foreign table / mirrored | %.1f ms / %.1f ms | | |\n", ff, fm
        printf "| single-row INSERT, pgbench latency: plain / mirrored | %.3f ms / %.3f ms | %.1f× | |\n", pl, ml, ml / pl
    }' >>"$RESULTS"
}
