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
