--
-- SELECT from a real Elasticsearch (the test suite starts one at 127.0.0.1:19200).
--
\! test/fixtures/load.sh http://127.0.0.1:19200 regress_articles test/fixtures/articles.bulk
\! test/fixtures/load.sh http://127.0.0.1:19200 regress_types test/fixtures/types.bulk test/fixtures/types.mapping.json
\! test/fixtures/load.sh http://127.0.0.1:19200 regress_bad_int test/fixtures/bad_int.bulk test/fixtures/bad_int.mapping.json

CREATE EXTENSION es_fdw;
CREATE SERVER es FOREIGN DATA WRAPPER es_fdw OPTIONS (url 'http://127.0.0.1:19200');
SET timezone = 'UTC';
SET datestyle = 'ISO, YMD';

-- every document, _id in the id column; a missing field is NULL; UTF-8 (an emoji too) round-trips
CREATE FOREIGN TABLE articles_es (id text, title text, views bigint, published date)
  SERVER es OPTIONS (index 'regress_articles');
SELECT * FROM articles_es ORDER BY id;

-- only the columns a query needs are fetched; EXPLAIN VERBOSE shows the request
EXPLAIN (VERBOSE, COSTS OFF) SELECT title FROM articles_es WHERE views > 100;
SELECT title FROM articles_es WHERE views > 100 ORDER BY title;
SELECT count(*) FROM articles_es;

-- paging: a page of 2 documents still returns every document exactly once
ALTER FOREIGN TABLE articles_es OPTIONS (ADD fetch_size '2');
SELECT count(*), count(DISTINCT id) FROM articles_es;
-- pg_es_fdw's scroll_size means the same
ALTER FOREIGN TABLE articles_es OPTIONS (DROP fetch_size, ADD scroll_size '1');
SELECT string_agg(id, ',' ORDER BY id) FROM articles_es;

-- rescan: a correlated subquery rescans the foreign scan once per outer row
CREATE TABLE wanted (id text);
INSERT INTO wanted VALUES ('1'), ('3'), ('4'), ('no such id');
EXPLAIN (COSTS OFF)
SELECT w.id, (SELECT a.title FROM articles_es a WHERE a.id = w.id) FROM wanted w;
SELECT w.id, (SELECT a.title FROM articles_es a WHERE a.id = w.id) FROM wanted w ORDER BY w.id;

-- the types of this release, a column mapped to a nested field
CREATE FOREIGN TABLE types_es (
  id text, t varchar(10), i2 smallint, i4 integer, i8 bigint, f4 real, f8 double precision,
  n numeric, b boolean, d date, ts timestamp, tstz timestamptz, j jsonb,
  author text OPTIONS (field 'author.name'), missing text)
  SERVER es OPTIONS (index 'regress_types');
SELECT * FROM types_es ORDER BY id;

-- a rowid_column other than id
CREATE FOREIGN TABLE articles_key (doc_key text, title text)
  SERVER es OPTIONS (index 'regress_articles', rowid_column 'doc_key');
SELECT doc_key FROM articles_key ORDER BY doc_key;

-- conversion errors name the column, the document and the value
CREATE FOREIGN TABLE bad_int (id text, views bigint) SERVER es OPTIONS (index 'regress_bad_int');
SELECT * FROM bad_int ORDER BY id;

-- errors a user can act on: a missing index, an unreachable server
CREATE FOREIGN TABLE nowhere (id text) SERVER es OPTIONS (index 'regress_no_such_index');
SELECT * FROM nowhere;
-- (earlier failures may have opened the server's circuit breaker: the first try is what is shown)
SELECT es_breaker_reset() >= 0 AS breakers_closed;
CREATE SERVER es_down FOREIGN DATA WRAPPER es_fdw OPTIONS (url 'http://127.0.0.1:1', timeout '2');
CREATE FOREIGN TABLE down (id text) SERVER es_down OPTIONS (index 'articles');
SELECT * FROM down;

-- the backend itself hosts the JVM
SELECT count(*) > 0 AS backend_maps_libjvm
  FROM regexp_split_to_table(pg_read_file('/proc/self/maps'), E'\n') AS line
  WHERE line LIKE '%/libjvm.so';
SELECT es_fdw_jvm_info() ~ '^es_fdw 0\.1\.0, Java module 0\.1\.0, libjvm /.*/libjvm\.so$' AS jvm_info;
-- JVM settings are frozen once it runs
SET es_fdw.jvm_options = '-Xmx64m';

-- with the JVM running, deep recursion still ends in an error, not a crash (-Xss is managed)
CREATE FUNCTION recurse(n int) RETURNS int LANGUAGE plpgsql AS
  $$ BEGIN RETURN recurse(n + 1); END $$;
\set VERBOSITY terse
SELECT recurse(1);
\set VERBOSITY default
SELECT count(*) FROM articles_es;

DROP TABLE wanted;
DROP FUNCTION recurse(int);
DROP EXTENSION es_fdw CASCADE;
