--
-- Errors a user can act on; each names the server, index, document or option at fault.
--
\! test/fixtures/load.sh http://127.0.0.1:19200 regress_conflict_a test/fixtures/conflict_a.bulk test/fixtures/conflict_a.mapping.json
\! test/fixtures/load.sh http://127.0.0.1:19200 regress_conflict_b test/fixtures/conflict_b.bulk test/fixtures/conflict_b.mapping.json
\! curl -s -o /dev/null -X PUT http://127.0.0.1:19200/regress_closed && curl -s -o /dev/null -X POST http://127.0.0.1:19200/regress_closed/_close && echo closed regress_closed
\! curl -s -o /dev/null -X PUT http://127.0.0.1:19200/regress_conflict_a/_alias/regress_alias && echo alias regress_alias

CREATE EXTENSION es_fdw;
CREATE SERVER es FOREIGN DATA WRAPPER es_fdw OPTIONS (url 'http://127.0.0.1:19200');

-- an index, an alias, a pattern that do not exist
CREATE FOREIGN TABLE no_index (id text) SERVER es OPTIONS (index 'regress_none');
SELECT * FROM no_index;
CREATE FOREIGN TABLE no_alias (id text) SERVER es OPTIONS (index 'regress_no_alias');
SELECT * FROM no_alias;
CREATE FOREIGN TABLE no_pattern (id text) SERVER es OPTIONS (index 'regress_none_*');
SELECT * FROM no_pattern;

-- aliases and patterns that exist are read like an index
CREATE FOREIGN TABLE via_alias (id text, code bigint) SERVER es OPTIONS (index 'regress_alias');
SELECT * FROM via_alias;
CREATE FOREIGN TABLE via_pattern (id text, idx text OPTIONS (field '_index'))
  SERVER es OPTIONS (index 'regress_conflict_*');
SELECT * FROM via_pattern ORDER BY id;

-- a field mapped differently across the indices of a pattern: the document and index are named
CREATE FOREIGN TABLE conflicting (id text, code bigint) SERVER es OPTIONS (index 'regress_conflict_*');
SELECT * FROM conflicting ORDER BY id;

-- an HTTP error from Elasticsearch: its error type and reason in DETAIL
CREATE FOREIGN TABLE closed (id text) SERVER es OPTIONS (index 'regress_closed');
SELECT * FROM closed;

-- a server that does not answer HTTP at all
-- (earlier failures may have opened the server's circuit breaker: the first try is what is shown)
SELECT es_breaker_reset() >= 0 AS breakers_closed;
CREATE SERVER not_es FOREIGN DATA WRAPPER es_fdw OPTIONS (url 'http://127.0.0.1:1', timeout '1');
CREATE FOREIGN TABLE not_es_docs (id text) SERVER not_es OPTIONS (index 'x');
SELECT * FROM not_es_docs;

-- a server with several hosts: each tried in order until one answers; none answering, each is named
CREATE SERVER es_two_hosts FOREIGN DATA WRAPPER es_fdw OPTIONS (url 'http://127.0.0.1:1, http://127.0.0.1:19200');
CREATE FOREIGN TABLE two_hosts (id text) SERVER es_two_hosts OPTIONS (index 'regress_conflict_a');
SELECT count(*) > 0 AS answered FROM (SELECT id FROM two_hosts OFFSET 0) q;
CREATE SERVER es_no_host FOREIGN DATA WRAPPER es_fdw OPTIONS (url 'http://127.0.0.1:1,http://127.0.0.1:2');
CREATE FOREIGN TABLE no_host (id text) SERVER es_no_host OPTIONS (index 'x');
SELECT * FROM no_host;
CREATE SERVER es_bad_host FOREIGN DATA WRAPPER es_fdw OPTIONS (url 'http://127.0.0.1:1,ftp://x');

-- table-level host/port/scheme override the server's url (pg_es_fdw compatibility)
CREATE SERVER es_elsewhere FOREIGN DATA WRAPPER es_fdw OPTIONS (url 'http://127.0.0.1:1');
CREATE FOREIGN TABLE redirected (id text) SERVER es_elsewhere
  OPTIONS (host '127.0.0.1', port '19200', scheme 'http', index 'regress_conflict_a');
SELECT * FROM redirected;
EXPLAIN (VERBOSE, COSTS OFF) SELECT * FROM redirected;
-- a server with no options means http://localhost:9200; the table's port redirects it
CREATE SERVER es_defaults FOREIGN DATA WRAPPER es_fdw;
CREATE FOREIGN TABLE default_host (id text) SERVER es_defaults
  OPTIONS (port '19200', index 'regress_conflict_b');
SELECT * FROM default_host;

DROP EXTENSION es_fdw CASCADE;
