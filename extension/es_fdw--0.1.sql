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
