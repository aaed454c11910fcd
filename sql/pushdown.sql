--
-- Pushdown: what Elasticsearch evaluates (EXPLAIN VERBOSE shows the request; no Filter line means
-- nothing is rechecked) and proof that results equal PostgreSQL's own semantics on the same rows.
--
CREATE EXTENSION es_fdw;
CREATE SERVER es FOREIGN DATA WRAPPER es_fdw OPTIONS (url 'http://127.0.0.1:19200');
SET timezone = 'UTC';
SET datestyle = 'ISO, YMD';

-- The same rows in a heap table and in Elasticsearch: NULLs, unicode, edge numbers, dates, arrays.
CREATE TABLE push_local (id text, k text COLLATE "C", t text, n bigint, f float8, b boolean,
                         d date, ts timestamp, tags text[]);
INSERT INTO push_local
SELECT i::text,
       CASE WHEN i % 7 = 0 THEN NULL ELSE (ARRAY['alpha','Beta','gamma','δέλτα','alp%ha','a_b'])[1 + i % 6] END,
       CASE WHEN i % 5 = 0 THEN NULL ELSE 'Some Text ' || i END,
       CASE WHEN i % 11 = 0 THEN NULL WHEN i % 13 = 0 THEN 9007199254740993 ELSE (i * 37) % 101 - 50 END,
       CASE WHEN i % 9 = 0 THEN NULL ELSE (i % 17) / 4.0 - 2 END,
       CASE WHEN i % 4 = 0 THEN NULL ELSE i % 3 = 0 END,
       CASE WHEN i % 10 = 0 THEN NULL ELSE date '2024-02-20' + (i % 20) END,
       CASE WHEN i % 8 = 0 THEN NULL ELSE timestamp '2024-02-29 23:00:00' + (i * interval '17 minutes') END,
       CASE WHEN i % 6 = 0 THEN NULL WHEN i % 6 = 1 THEN ARRAY[]::text[]
            ELSE (ARRAY[ARRAY['red','green'],ARRAY['blue','red'],ARRAY['green','green'],ARRAY['x','y']])[1 + i % 4:1 + i % 4][1:2] END
FROM generate_series(1, 60) AS i;
UPDATE push_local SET tags = ARRAY(SELECT unnest(tags)) WHERE tags IS NOT NULL;

\! curl -s -o /dev/null -X DELETE http://127.0.0.1:19200/regress_push
\! curl -s -f -o /dev/null -X PUT http://127.0.0.1:19200/regress_push -H 'Content-Type: application/json' --data-binary @test/fixtures/push.mapping.json && echo created regress_push
COPY (SELECT line FROM push_local,
        LATERAL (VALUES (1, json_build_object('index', json_build_object('_id', id))::text),
                        (2, json_strip_nulls(json_build_object('k', k, 't', t, 'n', n, 'f', f, 'b', b,
                              'd', d, 'ts', ts, 'tags', tags))::text)) AS v(ord, line)
      ORDER BY id, ord)
  TO PROGRAM 'curl -s -o /dev/null -H "Content-Type: application/x-ndjson" -X POST "http://127.0.0.1:19200/regress_push/_bulk?refresh=true" --data-binary @-'
  WITH (FORMAT csv, QUOTE E'\x01', DELIMITER E'\x02');

CREATE FOREIGN TABLE push (id text, k text COLLATE "C", t text, n bigint, f float8, b boolean,
                           d date, ts timestamp, tags text[])
  SERVER es OPTIONS (index 'regress_push');
SELECT count(*) FROM push;

-- equal(predicate): the ids matching in ES and in the heap table are the same, as are their counts
CREATE FUNCTION equal(predicate text) RETURNS text LANGUAGE plpgsql AS $$
DECLARE remote text[]; local text[];
BEGIN
  EXECUTE format('SELECT coalesce(array_agg(id ORDER BY id), ''{}'') FROM push WHERE %s', predicate) INTO remote;
  EXECUTE format('SELECT coalesce(array_agg(id ORDER BY id), ''{}'') FROM push_local WHERE %s', predicate) INTO local;
  RETURN CASE WHEN remote = local THEN 'same ' || cardinality(local) ELSE
    format('DIFFERENT: es %s, heap %s', remote, local) END;
END $$;

-- each rule: the request, then the results against the heap table
EXPLAIN (VERBOSE, COSTS OFF) SELECT id FROM push WHERE n = 5;
EXPLAIN (VERBOSE, COSTS OFF) SELECT id FROM push WHERE k <> 'alpha' AND n >= -3 AND f < 1.25;
EXPLAIN (VERBOSE, COSTS OFF) SELECT id FROM push WHERE k IN ('alpha', 'gamma') OR n = ANY(ARRAY[1, 2, 3]);
EXPLAIN (VERBOSE, COSTS OFF) SELECT id FROM push WHERE 'red' = ANY(tags);
EXPLAIN (VERBOSE, COSTS OFF) SELECT id FROM push WHERE k LIKE 'al%' AND k NOT LIKE '%a\_b%';
EXPLAIN (VERBOSE, COSTS OFF) SELECT id FROM push WHERE k ILIKE 'BETA';
EXPLAIN (VERBOSE, COSTS OFF) SELECT id FROM push WHERE NOT b AND d BETWEEN '2024-02-22' AND '2024-02-25';
EXPLAIN (VERBOSE, COSTS OFF) SELECT id FROM push WHERE ts > '2024-03-01 05:00' AND n IS NOT NULL AND f IS NULL;
EXPLAIN (VERBOSE, COSTS OFF) SELECT id FROM push WHERE id = '7';
EXPLAIN (VERBOSE, COSTS OFF) SELECT id FROM push WHERE id IN ('7', '8', 'nope');
SELECT p, equal(p) FROM unnest(ARRAY[
  'n = -13', 'n = 5', 'n <> 5', 'n < 0', 'n <= 0', 'n > 10', 'n >= 10', 'n = 9007199254740993', 'n::numeric = 7',
  'n = 7::int4', 'n > 7::int2', 'f > 1.5', 'f <= -0.25', 'f = 0', 'b', 'NOT b', 'b = false', 'b IS NULL',
  'k = ''alpha''', 'k <> ''alpha''', 'k > ''beta''', 'k <= ''alpha''', 'k = ''δέλτα''',
  'k IN (''alpha'', ''gamma'')', 'k NOT IN (''alpha'', ''gamma'')', 'n = ANY(ARRAY[1, 2, 3])',
  'n <> ALL(ARRAY[1, 2, 3])', 'n IN (1, NULL)', 'n NOT IN (1, NULL)', '''red'' = ANY(tags)',
  'k LIKE ''al%''', 'k LIKE ''%a''', 'k LIKE ''alp\%ha''', 'k LIKE ''a\_b''', 'k LIKE ''a_b''',
  'k NOT LIKE ''al%''', 'k ILIKE ''BETA''', 'k ILIKE ''%ET%''',
  'd = ''2024-02-25''', 'd < ''2024-02-25''', 'd <= ''2024-02-25''', 'd > ''2024-03-05''', 'd >= ''2024-03-05''',
  'd BETWEEN ''2024-02-22'' AND ''2024-02-25''', 'ts > ''2024-03-01 05:00''', 'ts = ''2024-03-01 00:42:00''',
  'ts <= ''2024-03-01 00:42:00.5''', 'n IS NULL', 'n IS NOT NULL', 'f IS NULL',
  'NOT (n > 0 OR k = ''alpha'')', 'NOT (n > 0 AND f < 1)', 'n > 0 OR f IS NULL', 'NOT (b OR NOT b)',
  'NOT (k <> ''alpha'')', 'id = ''7''', 'id <> ''7''', 'id IN (''7'', ''8'', ''nope'')',
  't = ''Some Text 3''', 'lower(k) = ''beta''', 'tags = ARRAY[''red'', ''green'']'
]) AS p;

-- differential test: 300 random predicates (NOT/OR/AND over nullable and array columns), a fixed seed;
-- every one must give the same ids from Elasticsearch as from the heap table
CREATE FUNCTION random_atom() RETURNS text LANGUAGE sql AS $$
  SELECT (ARRAY[
    format('n %s %s', (ARRAY['=','<>','<','<=','>','>='])[1 + floor(random() * 6)::int], floor(random() * 120 - 60)::int),
    format('f %s %s', (ARRAY['=','<>','<','>='])[1 + floor(random() * 4)::int], round((random() * 6 - 3)::numeric, 2)),
    format('k %s %L', (ARRAY['=','<>','<','>='])[1 + floor(random() * 4)::int],
           (ARRAY['alpha','Beta','gamma','δέλτα','a_b','zz'])[1 + floor(random() * 6)::int]),
    format('d %s %L', (ARRAY['=','<','>='])[1 + floor(random() * 3)::int], date '2024-02-18' + floor(random() * 24)::int),
    format('ts %s %L', (ARRAY['<','>'])[1 + floor(random() * 2)::int],
           timestamp '2024-03-01 00:00' + floor(random() * 1200) * interval '1 minute'),
    (ARRAY['b', 'NOT b', 'b IS NULL', 'n IS NULL', 'k IS NOT NULL', 'f IS NULL', 'd IS NULL'])[1 + floor(random() * 7)::int],
    format('%L = ANY(tags)', (ARRAY['red','green','blue','x'])[1 + floor(random() * 4)::int]),
    format('n IN (%s, %s, %s)', floor(random() * 100 - 50)::int, floor(random() * 100 - 50)::int, floor(random() * 100 - 50)::int),
    format('k LIKE %L', (ARRAY['al%','%a','_eta','%l%','a\_b'])[1 + floor(random() * 5)::int]),
    format('id IN (%L, %L)', floor(random() * 70)::int, floor(random() * 70)::int)
  ])[1 + floor(random() * 10)::int]
$$;
CREATE FUNCTION random_predicate(depth int) RETURNS text LANGUAGE sql AS $$
  SELECT CASE WHEN depth = 0 OR random() < 0.35 THEN random_atom()
              WHEN random() < 0.3 THEN format('NOT (%s)', random_predicate(depth - 1))
              ELSE format('(%s) %s (%s)', random_predicate(depth - 1),
                          (ARRAY['AND','OR'])[1 + floor(random() * 2)::int], random_predicate(depth - 1)) END
$$;
SELECT setseed(0.42);
CREATE TEMP TABLE differential AS
  SELECT p, equal(p) AS result FROM (SELECT random_predicate(3) AS p FROM generate_series(1, 300)) AS runs;
SELECT count(*) AS predicates, count(*) FILTER (WHERE result LIKE 'same%') AS same,
       count(*) FILTER (WHERE result NOT IN ('same 0', 'same 60')) AS selective
  FROM differential;
SELECT p, result FROM differential WHERE result NOT LIKE 'same%';

-- analyzed text, functions and array equality stay local (a Filter line)
EXPLAIN (VERBOSE, COSTS OFF) SELECT id FROM push WHERE t = 'Some Text 3' AND lower(k) = 'beta';

-- parameters: a prepared statement and the inner side of a nested loop
PREPARE by_n(bigint) AS SELECT id FROM push WHERE n = $1 ORDER BY id;
EXPLAIN (VERBOSE, COSTS OFF) EXECUTE by_n(-13);
EXECUTE by_n(-13);
EXECUTE by_n(NULL);
SELECT w.n, (SELECT count(*) FROM push p WHERE p.n = w.n) AS matches
  FROM (VALUES (-13::bigint), (-50), (NULL)) AS w(n) ORDER BY w.n;

-- ORDER BY and LIMIT go to Elasticsearch when it sorts as PostgreSQL does
EXPLAIN (VERBOSE, COSTS OFF) SELECT id, n FROM push ORDER BY n DESC NULLS LAST, id LIMIT 5;
EXPLAIN (VERBOSE, COSTS OFF) SELECT id, n FROM push ORDER BY n, d DESC LIMIT 5;
SELECT id, n, d FROM push ORDER BY n, d DESC LIMIT 5;
SELECT id, n, d FROM push_local ORDER BY n, d DESC LIMIT 5;
SELECT id, k FROM push WHERE k IS NOT NULL ORDER BY k DESC, n NULLS FIRST LIMIT 4 OFFSET 2;
SELECT id, k FROM push_local WHERE k IS NOT NULL ORDER BY k DESC, n NULLS FIRST LIMIT 4 OFFSET 2;
-- a text column with a linguistic collation is sorted locally
EXPLAIN (VERBOSE, COSTS OFF) SELECT id FROM push ORDER BY t LIMIT 3;

-- count(*) is answered by _count
EXPLAIN (VERBOSE, COSTS OFF) SELECT count(*) FROM push WHERE n > 0;
SELECT count(*) FROM push WHERE n > 0;
SELECT count(*) FROM push_local WHERE n > 0;
SELECT count(*), count(*) FROM push;
-- a count with a local filter counts locally
EXPLAIN (VERBOSE, COSTS OFF) SELECT count(*) FROM push WHERE lower(k) = 'beta';
SELECT count(*) FROM push WHERE lower(k) = 'beta';

-- GROUP BY with count(*), count(col), min/max of dates and timestamps: a composite aggregation
EXPLAIN (VERBOSE, COSTS OFF)
  SELECT k, count(*), count(n), min(d), max(ts) FROM push WHERE n > -20 GROUP BY k;
CREATE FUNCTION same_groups(query text) RETURNS text LANGUAGE plpgsql AS $$
DECLARE remote bigint; local bigint; differ bigint;
BEGIN
  EXECUTE format('SELECT count(*) FROM (%s) q', query) INTO remote;
  EXECUTE format('SELECT count(*) FROM (%s) q', replace(query, 'FROM push', 'FROM push_local')) INTO local;
  EXECUTE format('SELECT count(*) FROM ((%s) EXCEPT ALL (%s)) d', query,
                 replace(query, 'FROM push', 'FROM push_local')) INTO differ;
  RETURN format('%s groups, %s in the heap table, %s different', remote, local, differ);
END $$;
SELECT q, same_groups(q) FROM unnest(ARRAY[
  'SELECT k, count(*), count(n), min(d), max(ts) FROM push WHERE n > -20 GROUP BY k',
  'SELECT d, count(*), max(d) FROM push GROUP BY d',
  'SELECT b, n, count(*) FROM push GROUP BY b, n',
  'SELECT count(*) AS c, k FROM push WHERE k LIKE ''a%'' GROUP BY k',
  'SELECT count(n), min(ts), max(d) FROM push',
  'SELECT ts, count(*) FROM push GROUP BY ts'
]) AS q;
SELECT k, count(*), count(n), min(d), max(ts) FROM push WHERE n > -20 GROUP BY k ORDER BY k;
-- sum/avg (stats: count and extremes prove an integer sum exact), bigint min/max (an exact sort value),
-- float min/max; avg of integers is PostgreSQL's numeric division of the exact sum
EXPLAIN (VERBOSE, COSTS OFF)
  SELECT k, sum(n), avg(n), min(n), max(f) FROM push WHERE n < 1000 GROUP BY k;
SELECT k, sum(n), avg(n), min(n), max(n), sum(f), avg(f), min(f), max(f)
  FROM push WHERE n < 1000 GROUP BY k ORDER BY k;
SELECT k, sum(n), avg(n), min(n), max(n), sum(f), avg(f), min(f), max(f)
  FROM push_local WHERE n < 1000 GROUP BY k ORDER BY k;
-- a bigint beyond 2^53: min/max stay exact; a sum Elasticsearch cannot add exactly fails, never rounds
SELECT min(n), max(n), count(n) FROM push;
SELECT min(n), max(n), count(n) FROM push_local;
SELECT sum(n) FROM push;
SET es_fdw.enable_aggregate_pushdown = off;
EXPLAIN (VERBOSE, COSTS OFF) SELECT sum(n) FROM push;
SELECT sum(n) FROM push;
RESET es_fdw.enable_aggregate_pushdown;
-- HAVING is applied locally to the groups Elasticsearch computes, with the aggregates it needs
EXPLAIN (VERBOSE, COSTS OFF) SELECT k, count(*) FROM push GROUP BY k HAVING count(*) > 8 AND min(d) > '2024-01-01';
SELECT k, count(*) FROM push GROUP BY k HAVING count(*) > 8 AND min(d) > '2024-01-01' ORDER BY k;
SELECT k, count(*) FROM push_local GROUP BY k HAVING count(*) > 8 AND min(d) > '2024-01-01' ORDER BY k;
-- sum of real columns (PostgreSQL adds in single precision) and FILTER stay local
EXPLAIN (VERBOSE, COSTS OFF) SELECT sum(f::real) FROM push;
EXPLAIN (VERBOSE, COSTS OFF) SELECT count(*) FILTER (WHERE n > 0) FROM push;

-- differential test of aggregates and of sorts with LIMIT/OFFSET: random queries, a fixed seed, each
-- compared with the heap table; pushed counts those with no local Aggregate or Sort in their plan
CREATE FUNCTION pushed(query text) RETURNS boolean LANGUAGE plpgsql AS $$
DECLARE line text; local_work boolean := false;
BEGIN
  FOR line IN EXECUTE 'EXPLAIN (COSTS OFF) ' || query LOOP
    local_work := local_work OR line ~ '(Aggregate|Sort)';
  END LOOP;
  RETURN NOT local_work;
END $$;
CREATE FUNCTION random_aggregate_query() RETURNS text LANGUAGE sql AS $$
  SELECT format('SELECT %s FROM push WHERE (n < 1000 OR n IS NULL) AND (%s)%s',
                array_to_string(keys || aggs, ', '), random_predicate(2),
                CASE WHEN cardinality(keys) > 0 THEN ' GROUP BY ' || array_to_string(keys, ', ') ELSE '' END)
  FROM (SELECT ARRAY(SELECT c FROM unnest(ARRAY['k', 'b', 'd', 'n', 'ts']) AS c
                     WHERE random() < 0.3) AS keys,
               ARRAY(SELECT a FROM unnest(ARRAY['count(*)', 'count(n)', 'count(k)', 'min(n)', 'max(n)', 'sum(n)',
                                                'avg(n)', 'min(f)', 'max(f)', 'sum(f)', 'avg(f)', 'min(d)',
                                                'max(ts)', 'min(ts)']) AS a
                     WHERE random() < 0.25) || ARRAY['count(*)'] AS aggs) AS choice
$$;
CREATE FUNCTION random_sort_query() RETURNS text LANGUAGE sql AS $$
  SELECT format('SELECT %s FROM push WHERE %s ORDER BY %s LIMIT %s OFFSET %s',
                array_to_string(ARRAY(SELECT split_part(o, ' ', 1) FROM unnest(keys) AS o), ', '),
                random_predicate(1), array_to_string(keys, ', '),
                1 + floor(random() * 20)::int, floor(random() * 8)::int)
  FROM (SELECT ARRAY(SELECT format('%s %s NULLS %s', c, (ARRAY['ASC','DESC'])[1 + floor(random() * 2)::int],
                                   (ARRAY['FIRST','LAST'])[1 + floor(random() * 2)::int])
                     FROM unnest(ARRAY['n', 'k', 'd', 'f', 'b', 'ts']) AS c
                     ORDER BY random() LIMIT 1 + floor(random() * 3)::int) AS keys) AS choice
$$;
-- same_rows(query): the rows, in order when the query orders them, equal the heap table's
CREATE FUNCTION same_rows(query text, ordered boolean) RETURNS text LANGUAGE plpgsql AS $$
DECLARE remote text[]; local text[];
BEGIN
  EXECUTE format('SELECT coalesce(array_agg(r::text %s), ''{}'') FROM (%s) r',
                 CASE WHEN ordered THEN '' ELSE 'ORDER BY r::text' END, query) INTO remote;
  EXECUTE format('SELECT coalesce(array_agg(r::text %s), ''{}'') FROM (%s) r',
                 CASE WHEN ordered THEN '' ELSE 'ORDER BY r::text' END,
                 replace(query, 'FROM push', 'FROM push_local')) INTO local;
  RETURN CASE WHEN remote = local THEN 'same ' || cardinality(local) ELSE
    format('DIFFERENT: es %s, heap %s', remote, local) END;
END $$;
SELECT setseed(0.17);
CREATE TEMP TABLE differential_agg AS
  SELECT q, same_rows(q, false) AS result, pushed(q) AS pushed
  FROM (SELECT random_aggregate_query() AS q FROM generate_series(1, 150)) AS runs;
CREATE TEMP TABLE differential_sort AS
  SELECT q, same_rows(q, true) AS result, pushed(q) AS pushed
  FROM (SELECT random_sort_query() AS q FROM generate_series(1, 150)) AS runs;
SELECT kind, count(*) AS queries, count(*) FILTER (WHERE result LIKE 'same%') AS same,
       count(*) FILTER (WHERE pushed) AS pushed, count(*) FILTER (WHERE result NOT IN ('same 0', 'same 1')) AS several_rows
  FROM (SELECT 'aggregate' AS kind, * FROM differential_agg UNION ALL SELECT 'sort', * FROM differential_sort) d
  GROUP BY kind ORDER BY kind;
SELECT q, result FROM differential_agg WHERE result NOT LIKE 'same%'
UNION ALL SELECT q, result FROM differential_sort WHERE result NOT LIKE 'same%';

-- a join on the row id: each outer row becomes one lookup by _id (realtime _mget), not a scan
CREATE TABLE wanted (wid text);
INSERT INTO wanted VALUES ('1'), ('7'), ('7'), (NULL), ('no such id'), ('42');
ANALYZE wanted;
ALTER FOREIGN TABLE push OPTIONS (ADD fdw_startup_cost '1', ADD fdw_tuple_cost '10');
EXPLAIN (VERBOSE, COSTS OFF) SELECT w.wid, p.k, p.n FROM wanted w JOIN push p ON p.id = w.wid;
SELECT w.wid, p.k, p.n FROM wanted w JOIN push p ON p.id = w.wid ORDER BY 1, 2;
SELECT w.wid, p.k, p.n FROM wanted w JOIN push_local p ON p.id = w.wid ORDER BY 1, 2;
SELECT w.wid, p.n FROM wanted w LEFT JOIN push p ON p.id = w.wid ORDER BY 1, 2;
ALTER FOREIGN TABLE push OPTIONS (DROP fdw_startup_cost, DROP fdw_tuple_cost);
DROP TABLE wanted;

-- row estimates of a joined table: Elasticsearch counts what its pushed clauses match (cached per shape)
CREATE FUNCTION scan_rows(query text) RETURNS text LANGUAGE plpgsql AS $$
DECLARE line text;
BEGIN
  FOR line IN EXECUTE 'EXPLAIN ' || query LOOP
    IF line ~ 'Foreign Scan on push' THEN RETURN substring(line FROM 'rows=([0-9]+)'); END IF;
  END LOOP;
  RETURN NULL;
END $$;
CREATE TABLE few (n bigint);
INSERT INTO few VALUES (-13), (5);
SELECT scan_rows('SELECT * FROM push p JOIN few f ON p.n = f.n WHERE p.k = ''alpha'' AND p.d > ''2024-02-25''') AS estimate,
       (SELECT count(*) FROM push_local WHERE k = 'alpha' AND d > '2024-02-25') AS actual;
SELECT scan_rows('SELECT * FROM push p JOIN few f ON p.n = f.n WHERE p.b') AS estimate,
       (SELECT count(*) FROM push_local WHERE b) AS actual;
DROP TABLE few;
DROP FUNCTION scan_rows(text);

-- ANALYZE: the document count, and statistics from a random sample of documents
ANALYZE push;
SELECT reltuples FROM pg_class WHERE relname = 'push';
SELECT attname, null_frac > 0 AS has_nulls, n_distinct <> 0 AS has_distinct
  FROM pg_stats WHERE tablename = 'push' AND attname IN ('k', 'n', 'd', 'b') ORDER BY attname;
-- planner cost options
ALTER FOREIGN TABLE push OPTIONS (ADD fdw_startup_cost '1000', ADD fdw_tuple_cost '0.5');
EXPLAIN SELECT id FROM push WHERE n = -13;
ALTER FOREIGN TABLE push OPTIONS (SET fdw_tuple_cost 'lots');

DROP TABLE push_local;
DROP FUNCTION same_rows(text, boolean);
DROP FUNCTION random_sort_query();
DROP FUNCTION random_aggregate_query();
DROP FUNCTION pushed(text);
DROP FUNCTION same_groups(text);
DROP FUNCTION equal(text);
DROP FUNCTION random_predicate(int);
DROP FUNCTION random_atom();
DROP EXTENSION es_fdw CASCADE;
