/* es_fdw 0.1 → 0.2: table sync (docs/sync.md) */
\echo Use "ALTER EXTENSION es_fdw UPDATE TO '0.2'" to load this file. \quit

-- The synced tables: where their documents go, and the delivery's figures.
CREATE TABLE es_sync_tables (
    source regclass PRIMARY KEY,
    target regclass,            -- a foreign table of es_fdw …
    server text,                -- … or a server and an index
    index text,
    document text,              -- a jsonb expression over the row (alias src), or NULL
    key_columns name[] NOT NULL,
    outbox regclass NOT NULL,
    owner regrole NOT NULL,
    batch_size integer NOT NULL,
    created timestamptz NOT NULL DEFAULT now(),
    backfill_after text[],      -- the key of the last row backfilled
    backfill_done bigint NOT NULL DEFAULT 0,
    backfill_total bigint NOT NULL DEFAULT 0,
    backfill_started timestamptz,
    backfill_finished timestamptz,
    delivered bigint NOT NULL DEFAULT 0,
    last_delivery timestamptz,
    rate_docs bigint NOT NULL DEFAULT 0,
    rate_since timestamptz,
    last_error text,
    last_error_at timestamptz,
    CHECK ((target IS NULL) <> (server IS NULL))
);

-- Documents Elasticsearch refused for themselves (mapping errors, too large): es_sync_redrive() queues them again.
CREATE TABLE es_sync_dead_letters (
    id bigserial PRIMARY KEY,
    source regclass NOT NULL,
    doc_id text NOT NULL,
    key text[] NOT NULL,
    document text,              -- the document refused (NULL: a delete)
    status integer,
    error text NOT NULL,
    failed_at timestamptz NOT NULL DEFAULT now()
);
CREATE UNIQUE INDEX ON es_sync_dead_letters (source, doc_id);  -- the last refusal of each document

SELECT pg_catalog.pg_extension_config_dump('es_sync_tables', '');
SELECT pg_catalog.pg_extension_config_dump('es_sync_dead_letters', '');

-- External versions of delivered documents: each delivery takes a higher one than any before it.
CREATE SEQUENCE es_sync_version;

CREATE FUNCTION es_sync_table(source regclass, target regclass, document text DEFAULT NULL,
                              batch_size integer DEFAULT 5000)
RETURNS bigint
AS 'MODULE_PATHNAME', 'es_sync_table'
LANGUAGE C;

CREATE FUNCTION es_sync_table(source regclass, server name, index text, document text DEFAULT NULL,
                              batch_size integer DEFAULT 5000)
RETURNS bigint
AS 'MODULE_PATHNAME', 'es_sync_table_index'
LANGUAGE C;

CREATE FUNCTION es_unsync_table(source regclass)
RETURNS bigint
AS 'MODULE_PATHNAME', 'es_unsync_table'
LANGUAGE C STRICT;

CREATE FUNCTION es_sync_flush(source regclass DEFAULT NULL)
RETURNS bigint
AS 'MODULE_PATHNAME', 'es_sync_flush'
LANGUAGE C;

CREATE FUNCTION es_sync_redrive(source regclass DEFAULT NULL)
RETURNS bigint
AS 'MODULE_PATHNAME', 'es_sync_redrive'
LANGUAGE C;

REVOKE ALL ON FUNCTION es_sync_table(regclass, regclass, text, integer) FROM PUBLIC;
REVOKE ALL ON FUNCTION es_sync_table(regclass, name, text, text, integer) FROM PUBLIC;
REVOKE ALL ON FUNCTION es_unsync_table(regclass) FROM PUBLIC;
REVOKE ALL ON FUNCTION es_sync_flush(regclass) FROM PUBLIC;
REVOKE ALL ON FUNCTION es_sync_redrive(regclass) FROM PUBLIC;

-- Changes waiting in an outbox, and the oldest one's capture time.
CREATE FUNCTION es_sync_pending(outbox regclass, OUT pending bigint, OUT oldest timestamptz)
LANGUAGE plpgsql STABLE
AS $$
BEGIN
    EXECUTE format('SELECT count(*), min(es_captured_at) FROM %s', outbox) INTO pending, oldest;
END
$$;

CREATE VIEW es_sync_status AS
SELECT t.source,
       coalesce(t.target::text, t.server || '/' || t.index) AS target,
       p.pending,
       CASE WHEN p.oldest IS NULL THEN interval '0' ELSE clock_timestamp() - p.oldest END AS oldest_pending_age,
       t.delivered,
       t.last_delivery,
       CASE WHEN t.last_delivery IS NULL OR t.last_delivery < clock_timestamp() - interval '1 minute' THEN 0
            ELSE round(t.rate_docs / greatest(extract(epoch FROM t.last_delivery - t.rate_since), 0.001))
       END AS docs_per_second,
       t.last_error,
       t.last_error_at,
       (SELECT count(*) FROM es_sync_dead_letters d WHERE d.source = t.source) AS dead_letters,
       t.backfill_done,
       t.backfill_total,
       CASE WHEN t.backfill_finished IS NOT NULL THEN 'done' ELSE 'running' END AS backfill,
       round(t.backfill_done / greatest(extract(epoch FROM coalesce(t.backfill_finished, clock_timestamp())
                                                     - t.backfill_started), 0.001)) AS backfill_rows_per_second
FROM es_sync_tables t, LATERAL es_sync_pending(t.outbox) p;

-- The capture names the key columns: renaming, dropping or retyping one would make every write of the
-- table fail. Refused, with the way out.
CREATE FUNCTION es_sync_check_keys() RETURNS event_trigger
LANGUAGE plpgsql
AS $$
DECLARE
    r record;
BEGIN
    FOR r IN
        SELECT t.source, k.name, format_type(oa.atttypid, oa.atttypmod) AS captured,
               format_type(sa.atttypid, sa.atttypmod) AS now
          FROM es_sync_tables t
         CROSS JOIN LATERAL unnest(t.key_columns) AS k(name)
          JOIN pg_attribute oa ON oa.attrelid = t.outbox AND oa.attname = k.name
          LEFT JOIN pg_attribute sa ON sa.attrelid = t.source AND sa.attname = k.name AND NOT sa.attisdropped
         WHERE EXISTS (SELECT 1 FROM pg_class c WHERE c.oid = t.source)   -- a dropped table's entry goes soon
           AND (sa.attname IS NULL OR (sa.atttypid, sa.atttypmod) <> (oa.atttypid, oa.atttypmod))
    LOOP
        RAISE EXCEPTION 'cannot change key column "%" of table % while it is synced to Elasticsearch', r.name, r.source
            USING DETAIL = CASE WHEN r.now IS NULL THEN 'The column is gone (renamed or dropped).'
                                ELSE format('Its type would change from %s to %s.', r.captured, r.now) END,
                  HINT = 'Call es_unsync_table() first, and es_sync_table() again after the change.';
    END LOOP;
END
$$;

CREATE EVENT TRIGGER es_sync_check_keys ON ddl_command_end WHEN TAG IN ('ALTER TABLE')
    EXECUTE FUNCTION es_sync_check_keys();
