--
-- Every column type, arrays, metadata fields, and the errors of conversion.
--
\! test/fixtures/load.sh http://127.0.0.1:19200 regress_more_types test/fixtures/more_types.bulk test/fixtures/more_types.mapping.json

CREATE EXTENSION es_fdw;
CREATE SERVER es FOREIGN DATA WRAPPER es_fdw OPTIONS (url 'http://127.0.0.1:19200');
SET timezone = 'UTC';
SET datestyle = 'ISO, YMD';
SET bytea_output = 'escape';

CREATE FOREIGN TABLE more_types (
  id text, code char(3), at time, uid uuid, blob bytea, doc json, docb jsonb OPTIONS (field 'doc'),
  tags text[], counts bigint[], ip inet)
  SERVER es OPTIONS (index 'regress_more_types');
-- a scalar in ES is a one-element array; a NULL inside an array stays NULL; an empty array is empty
SELECT * FROM more_types ORDER BY id;
SELECT id, array_length(tags, 1) AS n_tags, tags[1] AS first_tag, counts[3] AS third_count
  FROM more_types ORDER BY id;
SELECT id, uid = 'a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a11' AS same_uuid, ip << '192.168.0.0/16' AS in_lan,
       length(blob) AS blob_bytes, jsonb_typeof(docb) AS doc_type
  FROM more_types ORDER BY id;

-- metadata fields as columns
CREATE FOREIGN TABLE more_meta (
  id text, idx text OPTIONS (field '_index'), routing text OPTIONS (field '_routing'),
  version bigint OPTIONS (field '_version'), score real OPTIONS (field '_score'))
  SERVER es OPTIONS (index 'regress_more_types');
SELECT * FROM more_meta ORDER BY id;

-- an array in ES in a scalar column: an error naming column and document, with a hint
CREATE FOREIGN TABLE tags_scalar (id text, tags text) SERVER es OPTIONS (index 'regress_more_types');
SELECT * FROM tags_scalar ORDER BY id;

-- a value that does not fit its column: the column, document and value are named
CREATE FOREIGN TABLE code_int (id text, code smallint) SERVER es OPTIONS (index 'regress_more_types');
SELECT * FROM code_int;
CREATE FOREIGN TABLE ip_as_uuid (id text, ip uuid) SERVER es OPTIONS (index 'regress_more_types');
SELECT * FROM ip_as_uuid;

DROP EXTENSION es_fdw CASCADE;
