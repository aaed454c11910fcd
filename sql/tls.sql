--
-- HTTPS and every credential kind against real secured servers: Elasticsearch 8.19 (127.0.0.1:19206) and
-- 9.5 (19207), each with its own CA made by scripts/tls-certs.sh, the users of the file realm, a trial
-- license for access tokens. Secrets never appear in EXPLAIN, errors or the server log.
--
\set ca8 `scripts/es-server.sh ca tls-8.19.0`
\set ca9 `scripts/es-server.sh ca tls-9.5.0`
\set token `scripts/es-server.sh token tls-8.19.0`
\set fingerprint `openssl x509 -in "$(scripts/es-server.sh ca tls-8.19.0)" -noout -fingerprint -sha256 | cut -d= -f2`
\! for p in 19206 19207; do curl -s -o /dev/null --cacert "$(scripts/es-server.sh ca tls-8.19.0 $p 2>/dev/null || scripts/es-server.sh ca tls-9.5.0 $p)" -u esfdw_admin:admin-secret-1 -X PUT "https://127.0.0.1:$p/regress_tls/_doc/1?refresh=true" -H 'Content-Type: application/json' -d '{"title":"over https"}' && echo loaded $p; done

CREATE EXTENSION es_fdw;
SET log_min_messages = debug1;
-- verified against the server's CA file
CREATE SERVER tls8 FOREIGN DATA WRAPPER es_fdw OPTIONS (url 'https://127.0.0.1:19206', ca_file :'ca8');
CREATE USER MAPPING FOR CURRENT_USER SERVER tls8 OPTIONS (username 'esfdw_admin', password 'admin-secret-1');
CREATE FOREIGN TABLE t8 (id text, title text) SERVER tls8 OPTIONS (index 'regress_tls');
SELECT * FROM t8;
CREATE SERVER tls9 FOREIGN DATA WRAPPER es_fdw OPTIONS (url 'https://127.0.0.1:19207', ca_file :'ca9');
CREATE USER MAPPING FOR CURRENT_USER SERVER tls9 OPTIONS (username 'esfdw_admin', password 'admin-secret-1');
CREATE FOREIGN TABLE t9 (id text, title text) SERVER tls9 OPTIONS (index 'regress_tls');
SELECT * FROM t9;

-- the CA pinned by its SHA-256 fingerprint, as Elasticsearch prints it
CREATE SERVER tls8_pinned FOREIGN DATA WRAPPER es_fdw
  OPTIONS (url 'https://127.0.0.1:19206', ca_fingerprint :'fingerprint');
CREATE USER MAPPING FOR CURRENT_USER SERVER tls8_pinned OPTIONS (username 'esfdw_admin', password 'admin-secret-1');
CREATE FOREIGN TABLE t8_pinned (id text, title text) SERVER tls8_pinned OPTIONS (index 'regress_tls');
SELECT * FROM t8_pinned;
ALTER SERVER tls8_pinned OPTIONS (SET ca_fingerprint 'not a fingerprint');

-- a server whose CA is not trusted: the check that failed is named, with a hint (terse: the details quote
-- the certificate made for this run)
\set VERBOSITY terse
CREATE SERVER tls8_untrusted FOREIGN DATA WRAPPER es_fdw OPTIONS (url 'https://127.0.0.1:19206');
CREATE USER MAPPING FOR CURRENT_USER SERVER tls8_untrusted OPTIONS (username 'esfdw_admin', password 'admin-secret-1');
CREATE FOREIGN TABLE t8_untrusted (id text, title text) SERVER tls8_untrusted OPTIONS (index 'regress_tls');
SELECT * FROM t8_untrusted;
-- the wrong CA (9.5's for 8.19's server)
ALTER SERVER tls8_untrusted OPTIONS (ADD ca_file :'ca9');
SELECT * FROM t8_untrusted;
\set VERBOSITY default
-- tls_verify 'off' trusts anything: superusers only, with a WARNING
ALTER SERVER tls8_untrusted OPTIONS (DROP ca_file, ADD tls_verify 'off');
SELECT * FROM t8_untrusted;

-- a bearer access token from the token API instead of a password
CREATE SERVER tls8_token FOREIGN DATA WRAPPER es_fdw OPTIONS (url 'https://127.0.0.1:19206', ca_file :'ca8');
CREATE USER MAPPING FOR CURRENT_USER SERVER tls8_token OPTIONS (bearer_token :'token');
CREATE FOREIGN TABLE t8_token (id text, title text) SERVER tls8_token OPTIONS (index 'regress_tls');
SELECT * FROM t8_token;
-- a token Elasticsearch does not know, and an API key (these test builds cannot create API keys, so any
-- key is refused: the unit tests check the exact header): 401, the secret not echoed
ALTER USER MAPPING FOR CURRENT_USER SERVER tls8_token OPTIONS (SET bearer_token 'regress-bogus-token-123');
SELECT * FROM t8_token;
ALTER USER MAPPING FOR CURRENT_USER SERVER tls8_token OPTIONS (DROP bearer_token, ADD api_key 'regress-key-id:regress-api-key-secret');
SELECT * FROM t8_token;
-- two kinds of credentials at once are refused
ALTER USER MAPPING FOR CURRENT_USER SERVER tls8_token OPTIONS (ADD username 'esfdw_admin');
SELECT * FROM t8_token;

-- a role that is not a superuser must bring its own credentials; user mapping options stay private
CREATE ROLE regress_tls_user;
GRANT USAGE ON FOREIGN SERVER tls8 TO regress_tls_user;
GRANT SELECT ON t8 TO regress_tls_user;
SET ROLE regress_tls_user;
SELECT * FROM t8;
SELECT srvname, umoptions FROM pg_user_mappings WHERE srvname = 'tls8';
RESET ROLE;
CREATE USER MAPPING FOR regress_tls_user SERVER tls8 OPTIONS (bearer_token :'token');
SET ROLE regress_tls_user;
SELECT * FROM t8;
ALTER USER MAPPING FOR regress_tls_user SERVER tls8 OPTIONS (ADD password_required 'false');
RESET ROLE;
-- a PUBLIC mapping serves roles without their own (and counts as their credentials)
CREATE ROLE regress_tls_other;
GRANT USAGE ON FOREIGN SERVER tls9 TO regress_tls_other;
GRANT SELECT ON t9 TO regress_tls_other;
CREATE USER MAPPING FOR PUBLIC SERVER tls9 OPTIONS (username 'esfdw_reader', password 'reader-secret-1');
SET ROLE regress_tls_other;
SELECT * FROM t9;
RESET ROLE;

-- no secret in EXPLAIN, nor in the server log
CREATE FUNCTION explain_text(query text) RETURNS text LANGUAGE plpgsql AS $$
DECLARE line text; result text := '';
BEGIN
  FOR line IN EXECUTE 'EXPLAIN (VERBOSE, COSTS OFF) ' || query LOOP result := result || line || E'\n'; END LOOP;
  RETURN result;
END $$;
SELECT position('admin-secret' IN explain_text('SELECT * FROM t8')) AS password_in_explain,
       position(:'token' IN explain_text('SELECT * FROM t8_token')) AS token_in_explain;
SELECT count(*) FILTER (WHERE line LIKE '%admin-' || 'secret-1%' OR line LIKE '%regress-api-' || 'key-secret%'
                          OR line LIKE '%regress-bogus-' || 'token%' OR position(:'token' IN line) > 0)
         AS log_lines_with_secrets
  FROM regexp_split_to_table(pg_read_file(current_setting('data_directory') || '/../server.log'), E'\n') AS line;

DROP FUNCTION explain_text(text);
DROP OWNED BY regress_tls_user;
DROP OWNED BY regress_tls_other;
DROP ROLE regress_tls_user, regress_tls_other;
DROP EXTENSION es_fdw CASCADE;
