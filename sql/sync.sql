--
-- Table sync: es_sync_table() captures a table's changes in an outbox, and deliveries send each changed
-- row's committed state to Elasticsearch with versioned _bulk. The background worker (es_fdw is in
-- shared_preload_libraries here) may deliver at any moment; es_sync_flush() delivers what is left now, so
-- every check below is of a final state, whoever delivered it.
--
-- the upgrade chain: 0.1 (no sync) to 0.2
CREATE EXTENSION es_fdw VERSION '0.1';
SELECT count(*) FROM pg_proc WHERE proname = 'es_sync_table';
ALTER EXTENSION es_fdw UPDATE TO '0.2';
SELECT extversion FROM pg_extension WHERE extname = 'es_fdw';
CREATE SERVER es FOREIGN DATA WRAPPER es_fdw OPTIONS (url 'http://127.0.0.1:19200');
SET timezone = 'UTC';
SET datestyle = 'ISO, YMD';
\! curl -s -o /dev/null -X DELETE http://127.0.0.1:19200/regress_sync
\! curl -s -o /dev/null -X DELETE http://127.0.0.1:19200/regress_sync_docs
\! curl -s -f -o /dev/null -X PUT http://127.0.0.1:19200/regress_sync -H 'Content-Type: application/json' --data-binary @test/fixtures/sync.mapping.json && echo created regress_sync
CREATE FOREIGN TABLE articles_es (id text, title text, n bigint, at timestamptz, tags text[], code text,
                                  body text)
  SERVER es OPTIONS (index 'regress_sync', refresh 'true');
CREATE TABLE articles (id int PRIMARY KEY, title text, n bigint, at timestamptz, tags text[], code text,
                       body text, local_only text);
INSERT INTO articles
  SELECT g, 'article ' || g, g * 10, timestamptz '2024-01-01 00:00:00+00' + g * interval '1 hour',
         ARRAY['t' || (g % 3)], NULL, NULL, 'not in Elasticsearch'
  FROM generate_series(1, 25) g;
-- ES and PostgreSQL hold the same documents (id, and every synced column)
CREATE FUNCTION same_as_es() RETURNS text LANGUAGE sql AS $$
  SELECT CASE WHEN pg IS NOT DISTINCT FROM es THEN 'same (' || n || ' rows)' ELSE 'DIFFERENT: ' || pg || ' / ' || es END
  FROM (SELECT string_agg(concat_ws(':', id, title, n, at, tags, code, length(body)), ',' ORDER BY id::text) AS pg,
               count(*) AS n FROM articles) p,
       (SELECT string_agg(concat_ws(':', id, title, n, at, tags, code, length(body)), ',' ORDER BY id) AS es
          FROM articles_es) e
$$;

-- bad requests change nothing
CREATE TABLE no_key (a int);
SELECT es_sync_table('no_key', 'articles_es');
SELECT es_sync_table('articles', 'no_key');
CREATE VIEW a_view AS SELECT * FROM articles;
SELECT es_sync_table('a_view', 'articles_es');
DROP VIEW a_view;
CREATE TABLE narrow (id int PRIMARY KEY, title text);
SELECT es_sync_table('narrow', 'articles_es');
SELECT es_sync_table('articles', 'articles_es', batch_size => 0);
SELECT es_sync_table('articles', 'articles_es', document => 'jsonb_build_object(''x'', src.no_such_column)');
SELECT es_unsync_table('articles');
SELECT count(*) FROM es_sync_tables;
SELECT count(*) FROM pg_trigger WHERE tgrelid = 'articles'::regclass;

-- sync: the existing rows are backfilled in pages of batch_size, by key
SELECT es_sync_table('articles', 'articles_es', batch_size => 10);
SELECT es_sync_table('articles', 'articles_es');
SELECT tgname FROM pg_trigger WHERE tgrelid = 'articles'::regclass ORDER BY tgname;
SELECT es_sync_flush() >= 0 AS flushed;
SELECT source, target, pending, dead_letters, backfill_done, backfill_total, backfill, delivered >= 25 AS delivered
  FROM es_sync_status;
SELECT same_as_es();

-- changes: only what commits reaches Elasticsearch, in its last committed state
INSERT INTO articles (id, title, n) VALUES (26, 'new', 1), (27, 'new too', 2);
UPDATE articles SET title = 'changed', n = n + 1 WHERE id IN (1, 2, 26);
UPDATE articles SET title = 'changed twice' WHERE id = 1;
DELETE FROM articles WHERE id IN (3, 27);
UPDATE articles SET id = 103 WHERE id = 4;                      -- a key change: delete 4, index 103
INSERT INTO articles (id, title) VALUES (3, 're-inserted');      -- a deleted id comes back
BEGIN;
INSERT INTO articles (id, title) VALUES (900, 'rolled back');
UPDATE articles SET title = 'rolled back' WHERE id = 5;
DELETE FROM articles WHERE id = 6;
ROLLBACK;
BEGIN;
UPDATE articles SET title = 'kept' WHERE id = 7;
SAVEPOINT s;
UPDATE articles SET title = 'undone' WHERE id = 7;
DELETE FROM articles WHERE id = 8;
ROLLBACK TO SAVEPOINT s;
INSERT INTO articles (id, title) VALUES (901, 'after the savepoint');
COMMIT;
INSERT INTO articles (id, title) VALUES (9, 'conflict') ON CONFLICT (id) DO UPDATE SET title = excluded.title;
SELECT pending > 0 OR delivered > 25 AS captured FROM es_sync_status;
-- a flush in a transaction that wrote would send uncommitted changes
BEGIN;
UPDATE articles SET title = 'not yet' WHERE id = 10;
SELECT es_sync_flush();
ROLLBACK;
SELECT es_sync_flush() >= 0 AS flushed;
SELECT same_as_es();
SELECT id, title FROM articles_es WHERE id IN ('1', '3', '4', '5', '6', '7', '8', '27', '103', '900', '901', '9')
  ORDER BY id;

-- a replay: a delivery Elasticsearch acknowledged but whose transaction did not commit (as after a crash)
-- is sent again, with a higher version; the newest state wins either way. (The session holds the lock
-- that serializes the table's deliveries, so the worker waits.)
SELECT pg_advisory_lock(1702061683, 'articles'::regclass::oid::bigint::int);
UPDATE articles SET title = 'replayed' WHERE id = 10;
BEGIN;
SELECT es_sync_flush() >= 0 AS flushed;
SELECT id, title FROM articles_es WHERE id = '10';
ROLLBACK;
SELECT pending FROM es_sync_status;
DELETE FROM articles WHERE id = 10;
SELECT es_sync_flush() >= 0 AS flushed;
SELECT pg_advisory_unlock(1702061683, 'articles'::regclass::oid::bigint::int);
SELECT count(*) AS deleted_stays_deleted FROM articles_es WHERE id = '10';

-- poison documents go to the dead letters and block nothing else
INSERT INTO articles (id, title, code) VALUES (200, 'bad code', 'not a number'), (201, 'good', '7');
ALTER FOREIGN TABLE articles_es OPTIONS (ADD bulk_max_mb '1');
INSERT INTO articles (id, title, body) VALUES (202, 'too large', repeat('x', 1100000));
SELECT es_sync_flush() >= 0 AS flushed;
SELECT pending, dead_letters FROM es_sync_status;
SELECT source, doc_id, key, status, split_part(error, ':', 1) AS error, length(document) > 0 AS has_document
  FROM es_sync_dead_letters ORDER BY doc_id;
SELECT id, title, code FROM articles_es WHERE id IN ('200', '201', '202') ORDER BY id;
-- the cause fixed (a larger cap; the bad value corrected), the dead letters are sent again, as rows are now
ALTER FOREIGN TABLE articles_es OPTIONS (SET bulk_max_mb '5');
UPDATE articles SET code = '8' WHERE id = 200;
SELECT es_sync_redrive();
SELECT count(*) FROM es_sync_dead_letters;
SELECT es_sync_flush() >= 0 AS flushed;
SELECT pending, dead_letters FROM es_sync_status;
SELECT same_as_es();

-- the key columns cannot change under the capture (every write would fail); other columns can
ALTER TABLE articles RENAME COLUMN id TO article_id;
ALTER TABLE articles ALTER COLUMN id TYPE bigint;
ALTER TABLE articles RENAME COLUMN local_only TO local_note;
ALTER TABLE articles RENAME COLUMN local_note TO local_only;

-- TRUNCATE deletes every document (of a renamed table too)
ALTER TABLE articles RENAME TO articles_renamed;
TRUNCATE articles_renamed;
ALTER TABLE articles_renamed RENAME TO articles;
SELECT es_sync_flush() >= 0 AS flushed;
SELECT count(*) FROM articles_es;

-- a server and an index, with a document expression; a NULL document keeps a row out of the index
CREATE TABLE tags (k1 int, k2 text, name text, hidden boolean DEFAULT false, PRIMARY KEY (k1, k2));
INSERT INTO tags VALUES (1, 'a', 'first', false), (1, 'b|c', 'pipe', false), (2, 'back\slash', 'slash', false),
                        (3, 'x', 'hidden', true);
\! curl -s -f -o /dev/null -X PUT http://127.0.0.1:19200/regress_sync_docs && echo created regress_sync_docs
SELECT es_sync_table('tags', 'es', 'regress_sync_docs',
                     document => $$CASE WHEN NOT src.hidden THEN jsonb_build_object('name', src.name, 'len', length(src.k2)) END$$);
SELECT es_sync_flush() >= 0 AS flushed;
\! curl -s -X POST http://127.0.0.1:19200/regress_sync_docs/_refresh -o /dev/null
CREATE FOREIGN TABLE tags_es (id text, name text, len int) SERVER es OPTIONS (index 'regress_sync_docs');
SELECT * FROM tags_es ORDER BY id;
UPDATE tags SET hidden = true WHERE k2 = 'a';
UPDATE tags SET hidden = false WHERE k2 = 'x';
SELECT es_sync_flush() >= 0 AS flushed;
\! curl -s -X POST http://127.0.0.1:19200/regress_sync_docs/_refresh -o /dev/null
SELECT * FROM tags_es ORDER BY id;
-- Elasticsearch already holding a newer version (another writer): the item's version conflict means done
\! curl -s -o /dev/null -w '%{http_code}\n' -X PUT 'http://127.0.0.1:19200/regress_sync_docs/_doc/3%7Cx?version=9000000000000000000&version_type=external&refresh=true' -H 'Content-Type: application/json' -d '{"name":"newer elsewhere"}'
UPDATE tags SET name = 'older' WHERE k1 = 3;
SELECT es_sync_flush() >= 0 AS flushed;
SELECT * FROM tags_es WHERE id = '3|x';
SELECT source, target, pending, dead_letters, backfill FROM es_sync_status ORDER BY source::text;

-- unsync: the capture is gone; pending changes are discarded (with a NOTICE)
SELECT es_unsync_table('articles');
BEGIN;
INSERT INTO tags VALUES (4, 'y', 'pending');
SELECT es_unsync_table('tags');
COMMIT;
INSERT INTO tags VALUES (5, 'z', 'not captured');
SELECT count(*) FROM es_sync_tables;
SELECT count(*) FROM pg_trigger WHERE tgrelid IN ('articles'::regclass, 'tags'::regclass);
SELECT count(*) FROM pg_class WHERE relnamespace = 'es_fdw_sync'::regnamespace;

-- the capture depends on the extension: DROP EXTENSION names it, CASCADE drops it
SELECT es_sync_table('tags', 'es', 'regress_sync_docs') AS backfill;
SELECT classid::regclass, count(*) FROM pg_depend
  WHERE refobjid = (SELECT oid FROM pg_extension WHERE extname = 'es_fdw') AND deptype = 'n'
  GROUP BY 1 ORDER BY 1::text;
\set VERBOSITY terse
DROP EXTENSION es_fdw;
\set VERBOSITY default
DROP TABLE articles, no_key, narrow, tags CASCADE;
DROP FUNCTION same_as_es();
\set VERBOSITY terse
DROP EXTENSION es_fdw CASCADE;
\set VERBOSITY default
SELECT count(*) FROM pg_namespace WHERE nspname = 'es_fdw_sync';
