--
-- Writes: INSERT/UPDATE/DELETE/COPY/TRUNCATE through foreign tables, batched with _bulk and sent at
-- COMMIT (write_mode 'transaction', the default) or per statement (write_mode 'immediate').
-- \! curl shows what Elasticsearch itself holds.
--
CREATE EXTENSION es_fdw;
CREATE SERVER es FOREIGN DATA WRAPPER es_fdw OPTIONS (url 'http://127.0.0.1:19200');
SET timezone = 'UTC';
SET datestyle = 'ISO, YMD';
\! curl -s -o /dev/null -X DELETE http://127.0.0.1:19200/regress_writes
\! curl -s -f -o /dev/null -X PUT http://127.0.0.1:19200/regress_writes -H 'Content-Type: application/json' --data-binary @test/fixtures/writes.mapping.json && echo created regress_writes
CREATE FOREIGN TABLE w (id text, title text, n bigint, f float8, b boolean, ts timestamptz, d date,
                        author text OPTIONS (field 'author.name'), tags text[], price numeric, meta jsonb,
                        blob bytea, u uuid)
  SERVER es OPTIONS (index 'regress_writes');
-- what a document looks like in Elasticsearch (realtime GET, sorted keys)
CREATE FUNCTION es_doc(id text) RETURNS jsonb LANGUAGE plpgsql AS $$
DECLARE out text;
BEGIN
  EXECUTE format('COPY (SELECT 1) TO PROGRAM %L',
                 'curl -s http://127.0.0.1:19200/regress_writes/_doc/' || id || ' > /tmp/es_fdw_regress_doc.json');
  SELECT pg_read_file('/tmp/es_fdw_regress_doc.json') INTO out;
  RETURN CASE WHEN out::jsonb ->> 'found' = 'true' THEN out::jsonb -> '_source' ELSE NULL END;
END $$;

-- every type round-trips exactly, RETURNING shows the row as written
CREATE TABLE expected (LIKE w);
INSERT INTO expected VALUES
  ('1', 'héllo "quoted"', 9007199254740993, 0.1, true, '2024-02-29 23:00:00.123456+02', '2024-02-29', 'ann',
   '{red,"with space"}', 12345678901234567890.000000000123, '{"a": [1, {"b": null}], "c": "ü"}', '\x00ff10',
   'a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a11'),
  ('2', NULL, -1, -1.5e-300, false, '1970-01-01 00:00:00+00', '0001-01-01', NULL, '{}', -0.5, '{}', '\x', NULL),
  ('3', E'line\nbreak\ttab', 0, 3.4028234663852886e+38, NULL, NULL, NULL, 'bob', NULL, NULL, '[]', NULL, NULL);
INSERT INTO w SELECT * FROM expected RETURNING id, title, n, price;
SELECT es_doc('1');
SELECT es_doc('2');
SELECT count(*) AS differences FROM ((SELECT * FROM w WHERE id IN ('1', '2', '3')) EXCEPT ALL (SELECT * FROM expected)) d;
SELECT * FROM w WHERE id = '3';
-- JSON null is how Elasticsearch says "no value": a jsonb 'null' reads back as SQL NULL
INSERT INTO w (id, meta) VALUES ('4', 'null');
SELECT meta IS NULL AS sql_null FROM w WHERE id = '4';

-- a row without an id gets one as Elasticsearch makes them, which RETURNING shows
INSERT INTO w (title) VALUES ('no id') RETURNING length(id) AS id_length, title;

-- inside a transaction: nothing reaches Elasticsearch before COMMIT; reads by id see the pending writes
-- (a search by anything else sees Elasticsearch's state); UPDATE/DELETE by id of a pending document work
BEGIN;
INSERT INTO w (id, title, n) VALUES ('10', 'ten', 10), ('11', 'eleven', 11);
SELECT es_doc('10') AS in_es_before_commit;
SELECT id, title, n FROM w WHERE id IN ('10', '11') ORDER BY id;
UPDATE w SET n = n + 100, title = upper(title) WHERE id = '10' RETURNING id, title, n, b;
DELETE FROM w WHERE id = '11' RETURNING id, title;
SELECT id, title, n FROM w WHERE id IN ('10', '11') ORDER BY id;
COMMIT;
SELECT es_doc('10'), es_doc('11');

-- ROLLBACK and savepoints: rolled-back writes never reach Elasticsearch
BEGIN;
INSERT INTO w (id, title) VALUES ('20', 'rolled back');
ROLLBACK;
BEGIN;
INSERT INTO w (id, title) VALUES ('21', 'kept');
SAVEPOINT s1;
INSERT INTO w (id, title) VALUES ('22', 'undone');
UPDATE w SET title = 'undone too' WHERE id = '21';
SELECT id, title FROM w WHERE id IN ('21', '22') ORDER BY id;
ROLLBACK TO SAVEPOINT s1;
SAVEPOINT s2;
INSERT INTO w (id, title) VALUES ('23', 'released');
RELEASE SAVEPOINT s2;
SELECT id, title FROM w WHERE id IN ('21', '22', '23') ORDER BY id;
COMMIT;
SELECT es_doc('20') AS r20, es_doc('21') AS r21, es_doc('22') AS r22, es_doc('23') AS r23;
-- PL/pgSQL exception blocks (a subtransaction per iteration)
DO $$
BEGIN
  FOR i IN 30..35 LOOP
    BEGIN
      INSERT INTO w (id, n) VALUES (i::text, i);
      IF i % 2 = 1 THEN RAISE EXCEPTION 'odd'; END IF;
    EXCEPTION WHEN raise_exception THEN NULL;
    END;
  END LOOP;
END $$;
SELECT string_agg(id, ',' ORDER BY id) AS written FROM w WHERE id IN ('30', '31', '32', '33', '34', '35');

-- a statement's UPDATE reads the row through the scan: partial update of the changed columns
UPDATE w SET tags = ARRAY['x'] WHERE id = '1';
SELECT es_doc('1') -> 'tags' AS tags, es_doc('1') -> 'title' AS title_kept;
-- update_mode 'full' reindexes the whole row
CREATE FOREIGN TABLE w_full (id text, title text, n bigint) SERVER es
  OPTIONS (index 'regress_writes', update_mode 'full');
UPDATE w_full SET n = 7 WHERE id = '3';
SELECT es_doc('3');

-- write_mode 'immediate': sent at the end of each statement, so a ROLLBACK cannot undo it
CREATE FOREIGN TABLE w_now (id text, title text) SERVER es OPTIONS (index 'regress_writes', write_mode 'immediate');
BEGIN;
INSERT INTO w_now VALUES ('40', 'immediate');
SELECT es_doc('40') AS in_es_before_commit;
ROLLBACK;
SELECT es_doc('40') AS after_rollback;

-- write_nulls 'omit' leaves NULL columns out of the document
CREATE FOREIGN TABLE w_omit (id text, title text, n bigint) SERVER es OPTIONS (index 'regress_writes', write_nulls 'omit');
INSERT INTO w_omit VALUES ('41', NULL, 1);
SELECT es_doc('41');

-- COPY uses the same bulk path
COPY w (id, title, n) FROM STDIN;
50	copied	50
51	copied	51
\.
SELECT id, title, n FROM w WHERE id IN ('50', '51') ORDER BY id;

-- op_type 'create' refuses to overwrite: the COMMIT fails naming the document, and PostgreSQL's own
-- writes of that transaction are rolled back with it
CREATE FOREIGN TABLE w_create (id text, title text) SERVER es OPTIONS (index 'regress_writes', op_type 'create');
CREATE TABLE local_log (msg text);
BEGIN;
INSERT INTO local_log VALUES ('should vanish');
INSERT INTO w_create VALUES ('1', 'overwrite?');
COMMIT;
SELECT count(*) AS local_rows FROM local_log;
SELECT es_doc('1') ->> 'title' AS title_unchanged;

-- a value the mapping refuses (strict mapping, wrong type): a clear error at COMMIT, nothing applied
CREATE FOREIGN TABLE w_bad (id text, n text, extra text) SERVER es
  OPTIONS (index 'regress_writes', write_nulls 'omit');
INSERT INTO w_bad (id, n) VALUES ('60', 'not a number');
INSERT INTO w_bad (id, extra) VALUES ('61', 'field not in a strict mapping');
SELECT es_doc('60') AS r60, es_doc('61') AS r61;
-- a lookup by id written as an expression of parameters (a trigger's generic plan) is still a realtime _mget
SET plan_cache_mode = force_generic_plan;
PREPARE by_number(int) AS SELECT id, title FROM w WHERE id = $1::text;
EXPLAIN (VERBOSE, COSTS OFF) EXECUTE by_number(3);
EXECUTE by_number(3);
RESET plan_cache_mode;

-- a document larger than bulk_max_mb is refused before anything is sent
ALTER FOREIGN TABLE w OPTIONS (ADD bulk_max_mb '1');
INSERT INTO w (id, title) VALUES ('62', repeat('x', 1100000));
ALTER FOREIGN TABLE w OPTIONS (DROP bulk_max_mb);

-- an index that does not exist is not created by a write, unless the table allows it
CREATE FOREIGN TABLE w_missing (id text, title text) SERVER es OPTIONS (index 'regress_writes_missing');
INSERT INTO w_missing VALUES ('1', 'x');
ALTER FOREIGN TABLE w_missing OPTIONS (ADD auto_create 'true');
INSERT INTO w_missing VALUES ('1', 'x');
\! curl -s -o /dev/null -w '%{http_code}\n' http://127.0.0.1:19200/regress_writes_missing/_doc/1
\! curl -s -o /dev/null -X DELETE http://127.0.0.1:19200/regress_writes_missing

-- a read-only index (what Elasticsearch does at its disk flood stage) answers 429: reported, not retried forever
\! curl -s -o /dev/null -X PUT http://127.0.0.1:19200/regress_writes/_settings -H 'Content-Type: application/json' -d '{"index.blocks.read_only_allow_delete": true}'
INSERT INTO w (id, title) VALUES ('63', 'blocked');
\! curl -s -o /dev/null -X PUT http://127.0.0.1:19200/regress_writes/_settings -H 'Content-Type: application/json' -d '{"index.blocks.read_only_allow_delete": null}'

-- UPDATE/DELETE need the row id column; changing it is refused
CREATE FOREIGN TABLE w_noid (title text) SERVER es OPTIONS (index 'regress_writes');
DELETE FROM w_noid WHERE title = 'x';
UPDATE w SET id = 'new' WHERE id = '1';

-- routing, refresh and an (empty) ingest pipeline
\! curl -s -o /dev/null -X PUT http://127.0.0.1:19200/_ingest/pipeline/regress_empty -H 'Content-Type: application/json' -d '{"processors": []}'
CREATE FOREIGN TABLE w_routed (id text, title text) SERVER es
  OPTIONS (index 'regress_writes', routing 'r1', refresh 'wait_for', pipeline 'regress_empty');
INSERT INTO w_routed VALUES ('70', 'routed');
\! curl -s 'http://127.0.0.1:19200/regress_writes/_doc/70?routing=r1&filter_path=_routing,found'; echo
SELECT count(*) AS searchable_at_once FROM w WHERE title = 'routed';

-- TRUNCATE only for tables marked truncatable; the index and its mapping stay
TRUNCATE w;
ALTER FOREIGN TABLE w OPTIONS (ADD truncatable 'true');
BEGIN;
TRUNCATE w;
SELECT es_doc('1') IS NOT NULL AS still_there_before_commit;
INSERT INTO w (id, title) VALUES ('80', 'after truncate');
SELECT id FROM w WHERE id IN ('1', '80');
COMMIT;
SELECT es_doc('1') AS r1, es_doc('80') ->> 'title' AS r80;
\! curl -s 'http://127.0.0.1:19200/regress_writes/_mapping?filter_path=*.mappings.dynamic'; echo

-- optimistic concurrency: with _seq_no and _primary_term columns, an UPDATE or DELETE applies only to the
-- version it read; a change by another writer in between fails the COMMIT instead of being overwritten
CREATE FOREIGN TABLE w_versioned (id text, title text, seq bigint OPTIONS (field '_seq_no'),
                                  term bigint OPTIONS (field '_primary_term')) SERVER es
  OPTIONS (index 'regress_writes');
SELECT id, title, seq >= 0 AS has_seq, term >= 1 AS has_term FROM w_versioned WHERE id = '80';
BEGIN;
UPDATE w_versioned SET title = 'mine' WHERE id = '80';
UPDATE w_versioned SET title = 'mine again' WHERE id = '80';
\! curl -s -o /dev/null -X POST http://127.0.0.1:19200/regress_writes/_update/80 -H 'Content-Type: application/json' -d '{"doc": {"title": "theirs"}}'
-- (the message quotes Elasticsearch's sequence numbers, which vary: only the SQLSTATE is shown)
\set VERBOSITY sqlstate
COMMIT;
\set VERBOSITY default
SELECT title FROM w_versioned WHERE id = '80';
BEGIN;
UPDATE w_versioned SET title = 'mine' WHERE id = '80';
UPDATE w_versioned SET title = 'mine again' WHERE id = '80';
COMMIT;
SELECT title FROM w_versioned WHERE id = '80';
BEGIN;
DELETE FROM w_versioned WHERE id = '80';
\! curl -s -o /dev/null -X POST http://127.0.0.1:19200/regress_writes/_update/80 -H 'Content-Type: application/json' -d '{"doc": {"title": "theirs again"}}'
\set VERBOSITY sqlstate
COMMIT;
\set VERBOSITY default
SELECT title FROM w_versioned WHERE id = '80';

-- the seed's scenario: a table mirrored by AFTER INSERT / AFTER UPDATE / BEFORE DELETE row triggers;
-- updates and deletes right after the inserts (before any refresh) still reach Elasticsearch
CREATE TABLE articles (id int PRIMARY KEY, title text, views bigint);
CREATE FOREIGN TABLE articles_es (id text, title text, n bigint OPTIONS (field 'n')) SERVER es
  OPTIONS (index 'regress_writes');
CREATE FUNCTION mirror() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF TG_OP = 'INSERT' THEN
    INSERT INTO articles_es VALUES (NEW.id::text, NEW.title, NEW.views);
  ELSIF TG_OP = 'UPDATE' THEN
    UPDATE articles_es SET title = NEW.title, n = NEW.views WHERE id = NEW.id::text;
  ELSE
    DELETE FROM articles_es WHERE id = OLD.id::text;
    RETURN OLD;
  END IF;
  RETURN NEW;
END $$;
CREATE TRIGGER articles_ins AFTER INSERT ON articles FOR EACH ROW EXECUTE FUNCTION mirror();
CREATE TRIGGER articles_upd AFTER UPDATE ON articles FOR EACH ROW EXECUTE FUNCTION mirror();
CREATE TRIGGER articles_del BEFORE DELETE ON articles FOR EACH ROW EXECUTE FUNCTION mirror();
INSERT INTO articles SELECT i, 'article ' || i, i FROM generate_series(1000, 1999) AS i;
UPDATE articles SET views = views * 2 WHERE id % 10 = 0;
DELETE FROM articles WHERE id % 7 = 0;
BEGIN;
INSERT INTO articles VALUES (5000, 'in one transaction', 1);
UPDATE articles SET title = 'updated in the same transaction' WHERE id = 5000;
COMMIT;
\! curl -s -o /dev/null -X POST http://127.0.0.1:19200/regress_writes/_refresh
SELECT count(*) AS in_es FROM articles_es WHERE n IS NOT NULL;
SELECT count(*) AS in_postgres FROM articles;
SELECT count(*) AS differences FROM (
  (SELECT id::text, title, views FROM articles EXCEPT SELECT id, title, n FROM articles_es WHERE n IS NOT NULL)
  UNION ALL
  (SELECT id, title, n FROM articles_es WHERE n IS NOT NULL EXCEPT SELECT id::text, title, views FROM articles)) d;

DROP TABLE articles, expected, local_log;
DROP FUNCTION mirror();
DROP FUNCTION es_doc(text);
DROP EXTENSION es_fdw CASCADE;
