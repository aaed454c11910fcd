/* es_fdw 0.1: the foreign-data wrapper and its helpers */

\echo Use "CREATE EXTENSION es_fdw" to load this file. \quit

CREATE FUNCTION es_fdw_handler()
RETURNS fdw_handler
AS 'MODULE_PATHNAME'
LANGUAGE C STRICT;

CREATE FUNCTION es_fdw_validator(text[], oid)
RETURNS void
AS 'MODULE_PATHNAME'
LANGUAGE C STRICT;

CREATE FOREIGN DATA WRAPPER es_fdw
  HANDLER es_fdw_handler
  VALIDATOR es_fdw_validator;

COMMENT ON FOREIGN DATA WRAPPER es_fdw IS 'Elasticsearch foreign-data wrapper';

-- The libjvm this session runs and the Java module's version; boots the JVM.
CREATE FUNCTION es_fdw_jvm_info()
RETURNS text
AS 'MODULE_PATHNAME'
LANGUAGE C STRICT VOLATILE;

REVOKE ALL ON FUNCTION es_fdw_jvm_info() FROM PUBLIC;

-- Full-text match of a column, evaluated by Elasticsearch: es_match(title, 'postgres fdw') in the WHERE
-- clause of a query on an es_fdw foreign table (ANDed with the rest; not under OR or NOT).
CREATE FUNCTION es_match(text, text)
RETURNS boolean
AS 'MODULE_PATHNAME'
LANGUAGE C STRICT STABLE;

-- Search an index through a server: a query string and/or a Query DSL object, at most size hits (NULL:
-- all, streamed), sorted by "field[:asc|desc],…" (NULL: by relevance), with highlights of some fields.
CREATE FUNCTION es_search(server text, index_name text, query text DEFAULT NULL, dsl jsonb DEFAULT NULL,
                          size integer DEFAULT NULL, sort text DEFAULT NULL,
                          highlight_fields text[] DEFAULT NULL)
RETURNS TABLE (id text, score real, source jsonb, highlight jsonb, index text)
AS 'MODULE_PATHNAME'
LANGUAGE C CALLED ON NULL INPUT VOLATILE ROWS 100;

-- es_search() through a foreign table: its server and index (the table's host/port/scheme overrides
-- and table-level credentials are not used; the user mapping of the server is).
CREATE FUNCTION es_search_table(foreign_table regclass, query text DEFAULT NULL, dsl jsonb DEFAULT NULL,
                                size integer DEFAULT NULL, sort text DEFAULT NULL,
                                highlight_fields text[] DEFAULT NULL)
RETURNS TABLE (id text, score real, source jsonb, highlight jsonb, index text)
LANGUAGE plpgsql VOLATILE ROWS 100
AS $$
DECLARE
  server_name text;
  index_name text;
BEGIN
  SELECT srv.srvname,
         coalesce((SELECT option_value FROM pg_options_to_table(ft.ftoptions) WHERE option_name = 'index'),
                  c.relname)
    INTO server_name, index_name
    FROM pg_foreign_table ft
    JOIN pg_foreign_server srv ON srv.oid = ft.ftserver
    JOIN pg_foreign_data_wrapper w ON w.oid = srv.srvfdw AND w.fdwname = 'es_fdw'
    JOIN pg_class c ON c.oid = ft.ftrelid
   WHERE ft.ftrelid = foreign_table;
  IF server_name IS NULL THEN
    RAISE EXCEPTION '"%" is not an es_fdw foreign table', foreign_table
      USING ERRCODE = 'wrong_object_type';
  END IF;
  RETURN QUERY SELECT * FROM es_search(server_name, index_name, query, dsl, size, sort, highlight_fields);
END
$$;

-- The number of documents matching a query string and/or a Query DSL object (all when both are NULL).
CREATE FUNCTION es_count(server text, index_name text, query text DEFAULT NULL, dsl jsonb DEFAULT NULL)
RETURNS bigint
AS 'MODULE_PATHNAME'
LANGUAGE C CALLED ON NULL INPUT VOLATILE;

-- Elasticsearch aggregations over the documents matching a query: returns the "aggregations" object.
CREATE FUNCTION es_aggregate(server text, index_name text, aggs jsonb, query text DEFAULT NULL,
                             dsl jsonb DEFAULT NULL)
RETURNS jsonb
AS 'MODULE_PATHNAME'
LANGUAGE C CALLED ON NULL INPUT VOLATILE;

-- One server's state: reachable now (one request; none while its circuit breaker is open), version,
-- circuit breaker, result cache counts (shared by all servers; hits and misses of this session).
CREATE FUNCTION es_server_status(server name)
RETURNS jsonb
AS 'MODULE_PATHNAME'
LANGUAGE C STRICT VOLATILE;

-- Every es_fdw server the current role may use, with es_server_status()'s fields as columns.
CREATE FUNCTION es_status()
RETURNS TABLE (server name, url text, reachable boolean, version text, breaker text, failures int,
               since timestamptz, retry_after timestamptz, last_error text, cache_entries bigint,
               cache_bytes bigint, cache_hits bigint, cache_misses bigint)
LANGUAGE sql VOLATILE
AS $$
  SELECT s.srvname, st->>'url', (st->>'reachable')::boolean, st->>'version', st->>'breaker',
         (st->>'failures')::int, (st->>'since')::timestamptz, (st->>'retry_after')::timestamptz,
         coalesce(st->>'last_error', st->>'error'), (st->>'cache_entries')::bigint,
         (st->>'cache_bytes')::bigint, (st->>'cache_hits')::bigint, (st->>'cache_misses')::bigint
    FROM pg_foreign_server s
    JOIN pg_foreign_data_wrapper w ON w.oid = s.srvfdw AND w.fdwname = 'es_fdw',
         LATERAL es_server_status(s.srvname) AS st
   WHERE has_server_privilege(s.oid, 'USAGE')
   ORDER BY s.srvname
$$;

-- Removes every cached result (offline_mode 'cache'); returns how many.
CREATE FUNCTION es_cache_clear()
RETURNS bigint
AS 'MODULE_PATHNAME'
LANGUAGE C STRICT VOLATILE;
REVOKE ALL ON FUNCTION es_cache_clear() FROM PUBLIC;

-- Closes every circuit breaker (say, once the servers are known to be back); returns how many.
CREATE FUNCTION es_breaker_reset()
RETURNS bigint
AS 'MODULE_PATHNAME'
LANGUAGE C STRICT VOLATILE;
REVOKE ALL ON FUNCTION es_breaker_reset() FROM PUBLIC;
