--
-- Full-text search: pg_es_fdw's query/score columns, es_match(), es_search(), es_count(), es_aggregate().
--
\! test/fixtures/load.sh http://127.0.0.1:19200 regress_search test/fixtures/search.bulk test/fixtures/search.mapping.json

CREATE EXTENSION es_fdw;
CREATE SERVER es FOREIGN DATA WRAPPER es_fdw OPTIONS (url 'http://127.0.0.1:19200');

-- pg_es_fdw's query_column and score_column: the query goes to Elasticsearch, never rechecked locally
CREATE FOREIGN TABLE articles (id text, title text, tag text, views bigint, query text, score real)
  SERVER es OPTIONS (index 'regress_search', query_column 'query', score_column 'score');
EXPLAIN (VERBOSE, COSTS OFF)
  SELECT id, score FROM articles WHERE query = 'elasticsearch AND postgresql' ORDER BY score DESC;
SELECT id, query, score > 0 AS scored FROM articles WHERE query = 'elasticsearch AND postgresql';
SELECT id FROM articles WHERE query = 'title:elasticsearch' ORDER BY score DESC, id;
SELECT id FROM articles WHERE query = 'title:elasticsearch' AND tag = 'fdw';
SELECT count(*) FROM articles WHERE query = 'foreign';
-- a condition on the query column that Elasticsearch cannot take (under OR) is refused
SELECT count(*) FROM articles WHERE query = 'foreign' OR views > 100;

-- query_dsl: the query column holds Query DSL JSON
CREATE FOREIGN TABLE articles_dsl (id text, query text, score real)
  SERVER es OPTIONS (index 'regress_search', query_column 'query', query_dsl 'true', score_column 'score');
SELECT id FROM articles_dsl WHERE query = '{"match": {"title": "point in time"}}';
SELECT id FROM articles_dsl WHERE query = 'not json';

-- es_match(column, words): a match query on one field, combined with other pushed clauses
EXPLAIN (VERBOSE, COSTS OFF)
  SELECT id FROM articles WHERE es_match(title, 'foreign data') AND views >= 15;
SELECT id FROM articles WHERE es_match(title, 'foreign data') AND views >= 15;
SELECT id FROM articles WHERE es_match(title, 'foreign data') OR views > 25;

-- default_sort (pg_es_fdw): the order when the query has none
CREATE FOREIGN TABLE by_views (id text, views bigint)
  SERVER es OPTIONS (index 'regress_search', default_sort 'views:desc', fetch_size '2');
SELECT id, views FROM by_views;

-- sort_column (pg_es_fdw): WHERE sort = 'field:dir,…' sorts in Elasticsearch; the column shows it
CREATE FOREIGN TABLE sorted (id text, views bigint, sort text)
  SERVER es OPTIONS (index 'regress_search', sort_column 'sort', fetch_size '2');
SELECT id, views, sort FROM sorted WHERE sort = 'views:asc';
EXPLAIN (VERBOSE, COSTS OFF) SELECT id FROM sorted WHERE sort = 'views:desc' AND views > 1;
SELECT id FROM sorted WHERE sort = 'views:desc' AND views > 1;
SELECT id FROM sorted WHERE sort = 'views:sideways';

-- es_search(): any index through a server; values are JSON strings or jsonb, never spliced
SELECT id, score > 0 AS scored, source->>'tag' AS tag, index
  FROM es_search('es', 'regress_search', query => 'title:(foreign AND data)') ORDER BY id;
SELECT id, highlight
  FROM es_search('es', 'regress_search', dsl => '{"match": {"title": "cast iron"}}',
                 highlight_fields => ARRAY['title']);
SELECT id, source->'views' AS views
  FROM es_search('es', 'regress_search', sort => 'views:desc', size => 3);
SELECT count(*) FROM es_search('es', 'regress_search', query => 'elasticsearch', dsl => '{"term": {"tag": "fdw"}}');
SELECT count(*) FROM es_search('es', 'regress_search', query => '"}}, "match_all": {"');
SELECT count(*) FROM es_search('es', 'regress_search', size => 0);

-- es_search_table(): the same through a foreign table's server and index
SELECT id, source->>'tag' AS tag FROM es_search_table('articles', query => 'title:cooking');
SELECT count(*) FROM es_search_table('pg_class', query => 'x');

-- es_count() and es_aggregate()
SELECT es_count('es', 'regress_search'), es_count('es', 'regress_search', query => 'elasticsearch'),
       es_count('es', 'regress_search', dsl => '{"range": {"views": {"gte": 10}}}');
SELECT es_aggregate('es', 'regress_search', '{"tags": {"terms": {"field": "tag", "order": {"_key": "asc"}}}}')
         -> 'tags' -> 'buckets' AS buckets;
SELECT es_aggregate('es', 'regress_search', '{"total": {"sum": {"field": "views"}}}', query => 'elasticsearch')
         -> 'total' -> 'value' AS total_views;
SELECT es_count('es', 'regress_no_such_index');

DROP EXTENSION es_fdw CASCADE;
