#!/usr/bin/env bash
# demo.sh — owns the local demo; `make demo` calls it.
#
#   scripts/demo.sh [start]   build + install es_fdw, start Elasticsearch 8.19.0 on 127.0.0.1:19200 and
#                             PostgreSQL on port 55433 (cluster in build/demo/pg), load an `articles`
#                             index (20 documents), create the foreign table and run a few queries,
#                             mirror a table into a `notes` index with row triggers, import a schema.
#                             Leaves both servers running. Re-runnable: servers already running are
#                             reused, the index and the extension are recreated.
#   scripts/demo.sh stop      stop both servers
set -euo pipefail

SCRIPT_DIR=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
REPO_ROOT=$(cd "$SCRIPT_DIR/.." && pwd)
ES_VERSION=8.19.0
ES_PORT=19200
ES_URL="http://127.0.0.1:$ES_PORT"
PG_PORT=55433
PG_DIR="$REPO_ROOT/build/demo/pg"

die() { echo "demo.sh: error: $*" >&2; exit 1; }
say() { printf '\n=== demo.sh: %s\n' "$*"; }


build_and_install() {
    say "building and installing es_fdw"
    "$SCRIPT_DIR/install.sh" || die "build or install failed"
}

articles_bulk() {
    cat <<'EOF'
{"index":{"_id":"a01"}}
{"title":"Getting started with Elasticsearch","views":1520,"published":"2024-01-08","tags":["search","intro"],"author":{"name":"Ada Lovelace","country":"GB"}}
{"index":{"_id":"a02"}}
{"title":"PostgreSQL foreign data wrappers explained","views":980,"published":"2024-01-15","tags":["postgres","fdw"],"author":{"name":"Edgar Codd","country":"GB"}}
{"index":{"_id":"a03"}}
{"title":"Point-in-time paging without tears","views":430,"published":"2024-02-02","tags":["search","paging"],"author":{"name":"Grace Hopper","country":"US"}}
{"index":{"_id":"a04"}}
{"title":"Why your mapping matters","views":75,"published":"2024-02-11","tags":["mapping"],"author":{"name":"Ada Lovelace","country":"GB"}}
{"index":{"_id":"a05"}}
{"title":"Tuning bulk indexing","views":610,"published":"2024-02-29","tags":["bulk","performance"],"author":{"name":"Linus Torvalds","country":"FI"}}
{"index":{"_id":"a06"}}
{"title":"JSON, JSONB and the documents in between","views":120,"published":"2024-03-05","tags":["postgres","json"],"author":{"name":"Edgar Codd","country":"GB"}}
{"index":{"_id":"a07"}}
{"title":"Shards, replicas and you","views":44,"published":"2024-03-19","tags":["cluster"],"author":{"name":"Grace Hopper","country":"US"}}
{"index":{"_id":"a08"}}
{"title":"Rocket-fast analytics 🚀 with aggregations","views":2210,"published":"2024-04-01","tags":["aggregations","performance"],"author":{"name":"Katherine Johnson","country":"US"}}
{"index":{"_id":"a09"}}
{"title":"Cancelling long queries politely","views":99,"published":"2024-04-14","tags":["postgres"],"author":{"name":"Barbara Liskov","country":"US"}}
{"index":{"_id":"a10"}}
{"title":"Dates, time zones and other traps","views":305,"published":"2024-05-02","tags":["dates"],"author":{"name":"Ada Lovelace","country":"GB"}}
{"index":{"_id":"a11"}}
{"title":"Text versus keyword fields","views":260,"published":"2024-05-20","tags":["mapping","search"],"author":{"name":"Karen Spärck Jones","country":"GB"}}
{"index":{"_id":"a12"}}
{"title":"Scroll is dead, long live PIT","views":150,"published":"2024-06-03","tags":["paging"],"author":{"name":"Grace Hopper","country":"US"}}
{"index":{"_id":"a13"}}
{"title":"Joining a foreign table with a local one","views":88,"published":"2024-06-21","tags":["postgres","fdw"],"author":{"name":"Edgar Codd","country":"GB"}}
{"index":{"_id":"a14"}}
{"title":"Observability for search clusters","views":17,"published":"2024-07-09","tags":["cluster","monitoring"],"author":{"name":"Margaret Hamilton","country":"US"}}
{"index":{"_id":"a15"}}
{"title":"Relevance scoring in five minutes","views":720,"published":"2024-08-12","tags":["search","scoring"],"author":{"name":"Karen Spärck Jones","country":"GB"}}
{"index":{"_id":"a16"}}
{"title":"Arrays in documents, arrays in SQL","views":140,"published":"2024-09-01","tags":["postgres","arrays"],"author":{"name":"Barbara Liskov","country":"US"}}
{"index":{"_id":"a17"}}
{"title":"A draft nobody has read yet","views":0,"published":"2024-10-10","tags":[],"author":{"name":"Anonymous","country":"ZZ"}}
{"index":{"_id":"a18"}}
{"title":"Backups and snapshots","views":101,"published":"2024-10-30","tags":["cluster","operations"],"author":{"name":"Margaret Hamilton","country":"US"}}
{"index":{"_id":"a19"}}
{"title":"Upgrading from 7.x to 8.x","views":555,"published":"2024-11-18","tags":["operations"],"author":{"name":"Linus Torvalds","country":"FI"}}
{"index":{"_id":"a20"}}
{"title":"What is new in es_fdw","views":1000,"published":"2024-12-24","tags":["fdw","news"],"author":{"name":"Katherine Johnson","country":"US"}}
EOF
}

articles_mapping() {
    cat <<'EOF'
{"mappings":{"properties":{
  "title":{"type":"text","fields":{"raw":{"type":"keyword"}}},
  "views":{"type":"long"},
  "published":{"type":"date","format":"yyyy-MM-dd"},
  "tags":{"type":"keyword"},
  "author":{"properties":{"name":{"type":"keyword"},"country":{"type":"keyword"}}}
}}}
EOF
}

load_articles() {
    local answer
    say "loading 20 documents into index 'articles' on $ES_URL"
    curl -sS -o /dev/null -X DELETE "$ES_URL/articles"
    articles_mapping | curl -sS -f -o /dev/null -X PUT "$ES_URL/articles" \
        -H 'Content-Type: application/json' --data-binary @- || die "could not create index articles"
    answer=$(articles_bulk | curl -sS -f -X POST "$ES_URL/articles/_bulk?refresh=true" \
        -H 'Content-Type: application/x-ndjson' --data-binary @-) || die "bulk load failed"
    [[ $answer == *'"errors":false'* ]] || die "bulk load reported errors: $answer"
}

run_queries() {
    say "querying Elasticsearch from PostgreSQL"
    curl -sS -o /dev/null -X DELETE "$ES_URL/notes"
    curl -sS -o /dev/null -X DELETE "$ES_URL/posts"
    "$SCRIPT_DIR/pg-cluster.sh" psql "$PG_DIR" -d postgres -e -v ON_ERROR_STOP=1 <<SQL
\\echo '--- setup'
DROP EXTENSION IF EXISTS es_fdw CASCADE;
CREATE EXTENSION es_fdw;
CREATE SERVER es FOREIGN DATA WRAPPER es_fdw OPTIONS (url '$ES_URL');
CREATE FOREIGN TABLE articles_es (id text, title text, views bigint, published date)
  SERVER es OPTIONS (index 'articles');
\\echo '--- the five most read articles'
SELECT * FROM articles_es ORDER BY views DESC LIMIT 5;
\\echo '--- how many articles'
SELECT count(*) FROM articles_es;
\\echo '--- articles with more than 100 views, oldest first'
SELECT title, published FROM articles_es WHERE views > 100 ORDER BY published;
\\echo '--- what Elasticsearch is asked to do (filter, sort and limit run there)'
EXPLAIN (VERBOSE, COSTS OFF) SELECT title FROM articles_es WHERE views > 100 ORDER BY views DESC LIMIT 3;
\\echo '--- full-text search, pg_es_fdw style: a query column and a score column'
CREATE FOREIGN TABLE articles_search (id text, title text, query text, score real)
  SERVER es OPTIONS (index 'articles', query_column 'query', score_column 'score');
SELECT id, title, round(score::numeric, 2) AS score FROM articles_search
  WHERE query = 'postgres OR elasticsearch' ORDER BY score DESC LIMIT 5;
\\echo '--- es_search() and es_aggregate() on any index'
SELECT id, source->>'title' AS title, highlight
  FROM es_search('es', 'articles', query => 'title:paging', highlight_fields => ARRAY['title']);
SELECT jsonb_pretty(es_aggregate('es', 'articles', '{"authors": {"terms": {"field": "author.name", "size": 3}}}'));
\echo '--- GROUP BY runs in Elasticsearch too (a composite aggregation)'
SELECT date_trunc('year', published)::date AS year, count(*), sum(views), max(views)
  FROM articles_es GROUP BY 1 ORDER BY 1;
SELECT published, count(*), avg(views) FROM articles_es GROUP BY published ORDER BY published LIMIT 3;
\echo '--- writes: a table mirrored to Elasticsearch by row triggers, sent with _bulk at COMMIT'
DROP TABLE IF EXISTS notes;
CREATE TABLE notes (id int PRIMARY KEY, body text, views bigint);
CREATE FOREIGN TABLE notes_es (id text, body text, views bigint) SERVER es
  OPTIONS (index 'notes', auto_create 'true', refresh 'wait_for');
CREATE OR REPLACE FUNCTION notes_mirror() RETURNS trigger LANGUAGE plpgsql AS \$\$
BEGIN
  IF TG_OP = 'DELETE' THEN DELETE FROM notes_es WHERE id = OLD.id::text; RETURN OLD; END IF;
  IF TG_OP = 'INSERT' THEN INSERT INTO notes_es VALUES (NEW.id::text, NEW.body, NEW.views);
  ELSE UPDATE notes_es SET body = NEW.body, views = NEW.views WHERE id = NEW.id::text; END IF;
  RETURN NEW;
END \$\$;
CREATE TRIGGER notes_ins AFTER INSERT ON notes FOR EACH ROW EXECUTE FUNCTION notes_mirror();
CREATE TRIGGER notes_upd AFTER UPDATE ON notes FOR EACH ROW EXECUTE FUNCTION notes_mirror();
CREATE TRIGGER notes_del BEFORE DELETE ON notes FOR EACH ROW EXECUTE FUNCTION notes_mirror();
INSERT INTO notes SELECT i, 'note ' || i, i * 10 FROM generate_series(1, 1000) AS i;
UPDATE notes SET views = views + 1 WHERE id <= 10;
DELETE FROM notes WHERE id > 990;
BEGIN;
INSERT INTO notes VALUES (5000, 'rolled back', 0);
ROLLBACK;
SELECT count(*) AS notes_in_elasticsearch FROM notes_es;
SELECT * FROM notes_es WHERE id IN ('1', '991', '5000') ORDER BY id;
\echo '--- table sync: one call instead of triggers; writes never wait for (or fail with) Elasticsearch'
DROP TABLE IF EXISTS posts;
CREATE TABLE posts (id int PRIMARY KEY, title text, views bigint);
INSERT INTO posts SELECT i, 'post ' || i, i FROM generate_series(1, 5000) AS i;
CREATE FOREIGN TABLE posts_es (id text, title text, views bigint) SERVER es
  OPTIONS (index 'posts', auto_create 'true', refresh 'wait_for');
SELECT es_sync_table('posts', 'posts_es') AS rows_to_backfill;
UPDATE posts SET views = views * 2 WHERE id <= 100;
DELETE FROM posts WHERE id > 4990;
SELECT es_sync_flush() >= 0 AS delivered;  -- the background worker delivers too; this waits for it
SELECT source, target, pending, dead_letters, backfill_done, backfill_total, backfill FROM es_sync_status;
SELECT count(*) AS posts_in_elasticsearch FROM posts_es;
SELECT * FROM posts_es WHERE id IN ('1', '4991') ORDER BY id;
\echo '--- IMPORT FOREIGN SCHEMA: foreign tables from the live mappings'
DROP SCHEMA IF EXISTS imported CASCADE;
CREATE SCHEMA imported;
IMPORT FOREIGN SCHEMA "articles" FROM SERVER es INTO imported;
\d imported.articles
SQL
}

cmd_start() {
    build_and_install
    say "starting Elasticsearch $ES_VERSION on port $ES_PORT"
    "$SCRIPT_DIR/es-server.sh" start "$ES_VERSION" "$ES_PORT"
    say "starting PostgreSQL on port $PG_PORT (cluster in $PG_DIR)"
    "$SCRIPT_DIR/pg-cluster.sh" start "$PG_DIR" "$PG_PORT"
    load_articles
    run_queries
    cat <<EOF

=== demo.sh: the servers are still running
  Elasticsearch: $ES_URL   (try: curl '$ES_URL/articles/_search?q=tags:postgres&pretty')
  PostgreSQL:    psql -h $PG_DIR -p $PG_PORT -U postgres postgres
                 (or: scripts/pg-cluster.sh psql build/demo/pg)
  Stop both:     scripts/demo.sh stop
EOF
}

cmd_stop() {
    "$SCRIPT_DIR/pg-cluster.sh" stop "$PG_DIR"
    "$SCRIPT_DIR/es-server.sh" stop "$ES_VERSION" "$ES_PORT"
}

case "${1:-start}" in
    start) cmd_start ;;
    stop) cmd_stop ;;
    *) echo "usage: scripts/demo.sh [start|stop]" >&2; exit 2 ;;
esac
