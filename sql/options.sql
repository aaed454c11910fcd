--
-- Options: validation at CREATE/ALTER time, without Elasticsearch and without
-- starting the JVM.  Valid DDL prints nothing at NOTICE level or above.
--
CREATE EXTENSION es_fdw;

-- a server with no options is valid: it means http://localhost:9200
CREATE SERVER es_default FOREIGN DATA WRAPPER es_fdw;

-- unknown options are refused with the list of valid ones
CREATE SERVER es_bad FOREIGN DATA WRAPPER es_fdw OPTIONS (hots 'localhost');
CREATE FOREIGN DATA WRAPPER es_fdw2 HANDLER es_fdw_handler VALIDATOR es_fdw_validator OPTIONS (url 'x');

-- bad values name the option and say what is valid
CREATE SERVER es_bad FOREIGN DATA WRAPPER es_fdw OPTIONS (url 'localhost:9200');
CREATE SERVER es_bad FOREIGN DATA WRAPPER es_fdw OPTIONS (url 'http://elastic:secret@localhost:9200');
CREATE SERVER es_bad FOREIGN DATA WRAPPER es_fdw OPTIONS (port '70000');
CREATE SERVER es_bad FOREIGN DATA WRAPPER es_fdw OPTIONS (scheme 'ftp');
CREATE SERVER es_bad FOREIGN DATA WRAPPER es_fdw OPTIONS (timeout 'soon');
CREATE SERVER es_bad FOREIGN DATA WRAPPER es_fdw OPTIONS (timeout '-1');
CREATE SERVER es_bad FOREIGN DATA WRAPPER es_fdw OPTIONS (timeout '10 parsecs');
CREATE SERVER es_bad FOREIGN DATA WRAPPER es_fdw OPTIONS (fetch_size '0');
CREATE SERVER es_bad FOREIGN DATA WRAPPER es_fdw OPTIONS (fetch_size '10001');
CREATE SERVER es_bad FOREIGN DATA WRAPPER es_fdw OPTIONS (url '');
SELECT count(*) AS servers_named_es_bad FROM pg_foreign_server WHERE srvname = 'es_bad';

-- time options: a bare number is seconds (as in pg_es_fdw); units are accepted too
CREATE SERVER es FOREIGN DATA WRAPPER es_fdw OPTIONS (url 'http://127.0.0.1:19200', timeout '30');
ALTER SERVER es OPTIONS (SET timeout '500ms');
ALTER SERVER es OPTIONS (SET timeout '2min');
ALTER SERVER es OPTIONS (SET timeout '1.5');
ALTER SERVER es OPTIONS (ADD fetch_size '500', ADD scroll_duration '5m');

-- user mappings hold credentials
CREATE USER MAPPING FOR CURRENT_USER SERVER es OPTIONS (username 'reader', password 'secret');
CREATE USER MAPPING FOR PUBLIC SERVER es OPTIONS (token 'abc');

-- every table option of Multicorn's pg_es_fdw is accepted
CREATE FOREIGN TABLE legacy (id text, title text, query text, score real, sort text)
  SERVER es OPTIONS (host '127.0.0.1', port '19200', scheme 'http', index 'articles',
    rowid_column 'id', query_column 'query', query_dsl 'false',
    score_column 'score', sort_column 'sort', default_sort 'views:desc',
    scroll_size '100', scroll_duration '10m', refresh 'wait_for',
    complete_returning 'true', timeout '10');
ALTER FOREIGN TABLE legacy OPTIONS (SET refresh 'maybe');
ALTER FOREIGN TABLE legacy OPTIONS (SET query_dsl 'perhaps');
ALTER FOREIGN TABLE legacy OPTIONS (ADD shards '3');

-- pg_es_fdw's mapping type is accepted and ignored, with a NOTICE
CREATE FOREIGN TABLE legacy_typed (id text) SERVER es OPTIONS (index 'articles', type 'doc');

-- credentials on a table are accepted for migration, with a warning
ALTER FOREIGN TABLE legacy OPTIONS (ADD username 'elastic');

-- column option "field" maps a column to any field path
CREATE FOREIGN TABLE logs (ts timestamptz OPTIONS (field '@timestamp'),
                           author text OPTIONS (field 'author.name'))
  SERVER es OPTIONS (index 'logs-*');
ALTER FOREIGN TABLE logs ALTER COLUMN author OPTIONS (ADD analyzer 'standard');

-- a column type es_fdw cannot read is refused when a query is planned (no JVM needed)
CREATE FOREIGN TABLE odd (p point) SERVER es OPTIONS (index 'odd');
EXPLAIN (COSTS OFF) SELECT * FROM odd;
-- a plain EXPLAIN needs neither Elasticsearch nor the JVM
EXPLAIN (COSTS OFF) SELECT * FROM logs;

-- JVM options: unsafe or managed options are refused when set
SET es_fdw.jvm_options = '-Xshare:on';
SET es_fdw.jvm_options = '-Xss512k';
SET es_fdw.jvm_options = '-XX:+ExitOnOutOfMemoryError';
SET es_fdw.jvm_options = 'Xmx64m';
SET es_fdw.jvm_options = '-Xmx96m -Dexample=1';
RESET es_fdw.jvm_options;
SET es_fdw.libjvm_path = '/nonexistent/libjvm.so';
SELECT * FROM logs;
RESET es_fdw.libjvm_path;

-- the whole set-up goes away cleanly
DROP EXTENSION es_fdw CASCADE;
