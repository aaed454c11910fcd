--
-- IMPORT FOREIGN SCHEMA: one foreign table per index, alias or data stream, columns from the live mapping
--
CREATE EXTENSION es_fdw;
CREATE SERVER es FOREIGN DATA WRAPPER es_fdw OPTIONS (url 'http://127.0.0.1:19200');
SET timezone = 'UTC';
SET datestyle = 'ISO, YMD';
\! for i in regress_logs-a regress_logs-b; do curl -s -o /dev/null -X DELETE http://127.0.0.1:19200/$i; done
\! curl -s -f -o /dev/null -X PUT http://127.0.0.1:19200/regress_logs-a -H 'Content-Type: application/json' --data-binary @test/fixtures/logs.mapping.json && echo created regress_logs-a
\! curl -s -f -o /dev/null -X PUT http://127.0.0.1:19200/regress_logs-b -H 'Content-Type: application/json' --data-binary @test/fixtures/logs_b.mapping.json && echo created regress_logs-b
\! curl -s -f -o /dev/null -X POST http://127.0.0.1:19200/_aliases -H 'Content-Type: application/json' -d '{"actions":[{"add":{"index":"regress_logs-*","alias":"regress_logs_all"}}]}' && echo alias regress_logs_all
\! curl -s -f -o /dev/null -X PUT 'http://127.0.0.1:19200/regress_logs-a/_doc/1?refresh=true' -H 'Content-Type: application/json' -d '{"@timestamp":"2024-03-01T10:00:00Z","host":{"name":"web-1","ip":"10.0.0.1"},"http":{"response":{"status_code":404,"bytes":512},"request":{"method":"GET"}},"message":"not found","tags":"edge","user":{"id":"u1"},"geo":{"lat":1.5,"lon":2.5},"labels":{"env":"prod"}}' && echo indexed

CREATE SCHEMA logs;
IMPORT FOREIGN SCHEMA "regress_logs-a" FROM SERVER es INTO logs;
SELECT c.relname, a.attname, format_type(a.atttypid, a.atttypmod) AS type, a.attfdwoptions
  FROM pg_attribute a JOIN pg_class c ON c.oid = a.attrelid JOIN pg_namespace n ON n.oid = c.relnamespace
 WHERE n.nspname = 'logs' AND a.attnum > 0 ORDER BY c.relname, a.attnum;
SELECT relname, ftoptions FROM pg_foreign_table JOIN pg_class ON oid = ftrelid
  JOIN pg_namespace n ON n.oid = relnamespace WHERE nspname = 'logs';
-- the imported table reads the document
SELECT id, timestamp, host_name, host_ip, http_response_status_code, message, tags, user_id, geo, labels
  FROM logs.regress_logs_a;

-- a pattern and an alias spanning indices that disagree: widened where lossless, else jsonb with a WARNING
CREATE SCHEMA logs_all;
IMPORT FOREIGN SCHEMA "regress_logs_all" FROM SERVER es INTO logs_all;
SELECT a.attname, format_type(a.atttypid, a.atttypmod) AS type
  FROM pg_attribute a JOIN pg_class c ON c.oid = a.attrelid
 WHERE c.relname = 'regress_logs_all' AND a.attnum > 0 AND a.attname IN ('http_response_status_code', 'user_id')
 ORDER BY 1;

-- LIMIT TO / EXCEPT name the generated tables; objects kept whole with flatten 'false'
CREATE SCHEMA logs_some;
IMPORT FOREIGN SCHEMA "regress_logs-*" LIMIT TO (regress_logs_b) FROM SERVER es INTO logs_some;
IMPORT FOREIGN SCHEMA "regress_logs-*" EXCEPT (regress_logs_b) FROM SERVER es INTO logs_some OPTIONS (flatten 'false');
SELECT c.relname, string_agg(a.attname || ' ' || format_type(a.atttypid, a.atttypmod), ', ' ORDER BY a.attnum)
  FROM pg_attribute a JOIN pg_class c ON c.oid = a.attrelid JOIN pg_namespace n ON n.oid = c.relnamespace
 WHERE n.nspname = 'logs_some' AND a.attnum > 0 GROUP BY c.relname ORDER BY 1;
SELECT host, http FROM logs_some.regress_logs_a;

-- nothing matched, a bad option: clear errors
IMPORT FOREIGN SCHEMA "regress_nothing_here*" FROM SERVER es INTO logs;
IMPORT FOREIGN SCHEMA "regress_logs-a" FROM SERVER es INTO logs OPTIONS (flaten 'false');

\! curl -s -o /dev/null -X DELETE 'http://127.0.0.1:19200/regress_logs-a,regress_logs-b'
DROP SCHEMA logs, logs_all, logs_some CASCADE;
DROP EXTENSION es_fdw CASCADE;
