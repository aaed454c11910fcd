--
-- A secured Elasticsearch (the test suite starts one at 127.0.0.1:19205 with users in its file realm).
-- Credentials live in user mappings and never appear in EXPLAIN, errors or logs.
--
\! curl -s -o /dev/null -u esfdw_admin:admin-secret-1 -X DELETE http://127.0.0.1:19205/regress_secured
\! curl -s -o /dev/null -u esfdw_admin:admin-secret-1 -X POST 'http://127.0.0.1:19205/regress_secured/_doc/s1?refresh=true' -H 'Content-Type: application/json' -d '{"title":"secret document"}' && echo loaded regress_secured
\! curl -s -o /dev/null -u esfdw_admin:admin-secret-1 -X POST 'http://127.0.0.1:19205/regress_secured/_doc/s2?refresh=true' -H 'Content-Type: application/json' -d '{"title":"another secret"}' && echo loaded a second document

CREATE EXTENSION es_fdw;
-- log everything es_fdw logs, Java stack traces (DEBUG1) included, to check them for credentials below
SET log_min_messages = debug1;
CREATE SERVER secured FOREIGN DATA WRAPPER es_fdw OPTIONS (url 'http://127.0.0.1:19205');
-- a page of one document: two documents need paging, and so the server's version
CREATE FOREIGN TABLE secured_docs (id text, title text) SERVER secured
  OPTIONS (index 'regress_secured', fetch_size '1');

-- no credentials: refused, with a hint to create a user mapping
SELECT * FROM secured_docs;

-- a wrong password: refused, and the password is not echoed
CREATE USER MAPPING FOR CURRENT_USER SERVER secured
  OPTIONS (username 'esfdw_reader', password 'wrong-password-xyz');
SELECT * FROM secured_docs;

-- the right password, for a user without the monitor privilege (es_fdw falls back from
-- GET /_nodes/_local to GET / to learn the version)
ALTER USER MAPPING FOR CURRENT_USER SERVER secured OPTIONS (SET password 'reader-secret-1');
SELECT * FROM secured_docs ORDER BY id;
EXPLAIN (VERBOSE, COSTS OFF) SELECT * FROM secured_docs;

-- an index the user may not read: permission denied, not "missing"
CREATE FOREIGN TABLE forbidden (id text) SERVER secured OPTIONS (index 'other_index');
SELECT * FROM forbidden;

-- the server log (scripts/pg-cluster.sh keeps it next to the data directory) has the errors above
-- and the Java stack traces, but no password
SELECT count(*) > 0 AS log_has_es_fdw_errors,
       count(*) FILTER (WHERE line LIKE '%reader-' || 'secret-1%' OR line LIKE '%wrong-' || 'password-xyz%')
         AS log_lines_with_password
  FROM regexp_split_to_table(pg_read_file(current_setting('data_directory') || '/../server.log'), E'\n') AS line
  WHERE line LIKE '%Elasticsearch%' OR line LIKE '%secret%' OR line LIKE '%password%';
RESET log_min_messages;

DROP EXTENSION es_fdw CASCADE;
