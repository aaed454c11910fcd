/*-------------------------------------------------------------------------
 *
 * scan_desc.c
 *		The neutral JSON description of a scan that C hands to Java
 *		(docs/boundary.md): connection, index, paging, and the columns the
 *		query needs with their field paths and type names.
 *
 * Pure: no I/O, no JVM.  Column types are mapped through a table; a type
 * es_fdw cannot convert is refused here, at plan time.
 *
 *-------------------------------------------------------------------------
 */
#include "es_fdw.h"

#include "catalog/pg_type.h"
#include "mb/pg_wchar.h"
#include "utils/builtins.h"
#include "utils/json.h"
#include "utils/lsyscache.h"
#include "utils/rel.h"

/* PostgreSQL base types and the neutral names Java converts to. */
static const struct
{
	Oid			typid;
	const char *name;
}			es_types[] = {
	{TEXTOID, "text"}, {VARCHAROID, "text"}, {BPCHAROID, "text"},
	{NAMEOID, "text"},
	{INT2OID, "int2"}, {INT4OID, "int4"}, {INT8OID, "int8"},
	{FLOAT4OID, "float4"}, {FLOAT8OID, "float8"}, {NUMERICOID, "numeric"},
	{BOOLOID, "bool"},
	{DATEOID, "date"}, {TIMESTAMPOID, "timestamp"},
	{TIMESTAMPTZOID, "timestamptz"}, {TIMEOID, "time"},
	{UUIDOID, "uuid"}, {BYTEAOID, "bytea"},
	{JSONOID, "json"}, {JSONBOID, "jsonb"}, {INETOID, "inet"},
	{InvalidOid, NULL}
};

static const char *
neutral_type_name(Oid typid)
{
	int			i;

	for (i = 0; es_types[i].name; i++)
	{
		if (es_types[i].typid == typid)
			return es_types[i].name;
	}
	return NULL;
}

/*
 * The neutral type of a PostgreSQL type (domains resolve to their base
 * type), with *is_array set for arrays; NULL for a type es_fdw cannot convert.
 */
const char *
es_neutral_type(Oid typid, bool *is_array)
{
	Oid			base = getBaseType(typid);
	Oid			element = get_element_type(base);

	*is_array = OidIsValid(element);
	return neutral_type_name(*is_array ? getBaseType(element) : base);
}

const char *
es_column_neutral_type(Form_pg_attribute attr, bool *is_array)
{
	return es_neutral_type(attr->atttypid, is_array);
}

/* The neutral type of a column; errors for a type es_fdw cannot convert. */
static const char *
column_type(Relation rel, Form_pg_attribute attr, bool *is_array)
{
	const char *name = es_column_neutral_type(attr, is_array);

	if (name == NULL)
		ereport(ERROR,
				(errcode(ERRCODE_FDW_INVALID_DATA_TYPE),
				 errmsg("column \"%s\" of foreign table \"%s\" has type %s, which es_fdw cannot read",
						NameStr(attr->attname), RelationGetRelationName(rel),
						format_type_be(attr->atttypid)),
				 errhint("Use text, varchar, char, smallint, integer, bigint, real, double precision, "
						 "numeric, boolean, date, timestamp, timestamptz, time, uuid, bytea, json, "
						 "jsonb, inet, or an array of one of them.")));
	return name;
}

/* Append a JSON string (null for NULL), converted from the server encoding to UTF-8. */
void
es_append_json_string(StringInfo buf, const char *value)
{
	if (value == NULL)
	{
		appendStringInfoString(buf, "null");
		return;
	}
	escape_json(buf, pg_server_to_any(value, strlen(value), PG_UTF8));
}

/* The field a column reads: its "field" option, _id for the row-id column, or its name. */
char *
es_column_field_path(Relation rel, Form_pg_attribute attr, EsTableOptions *opts)
{
	char	   *field = es_column_field(RelationGetRelid(rel), attr->attnum);

	if (field != NULL)
		return field;
	if (strcmp(NameStr(attr->attname), opts->rowid_column) == 0)
		return "_id";
	if (opts->score_column && strcmp(NameStr(attr->attname), opts->score_column) == 0)
		return "_score";
	if (opts->query_column && strcmp(NameStr(attr->attname), opts->query_column) == 0)
		return "_query";
	if (opts->sort_column && strcmp(NameStr(attr->attname), opts->sort_column) == 0)
		return "_sort";
	return NameStr(attr->attname);
}

static void
append_columns(StringInfo buf, Relation rel, EsTableOptions *opts,
			   List *retrieved_attrs)
{
	TupleDesc	tupdesc = RelationGetDescr(rel);
	ListCell   *cell;
	bool		first = true;

	appendStringInfoString(buf, "\"columns\":[");
	foreach(cell, retrieved_attrs)
	{
		Form_pg_attribute attr = TupleDescAttr(tupdesc, lfirst_int(cell) - 1);
		bool		is_array;
		const char *type = column_type(rel, attr, &is_array);

		appendStringInfoString(buf, first ? "{\"name\":" : ",{\"name\":");
		es_append_json_string(buf, NameStr(attr->attname));
		appendStringInfoString(buf, ",\"field\":");
		es_append_json_string(buf, es_column_field_path(rel, attr, opts));
		appendStringInfo(buf, ",\"type\":\"%s\",\"array\":%s}",
						 type, is_array ? "true" : "false");
		first = false;
	}
	appendStringInfoChar(buf, ']');
}

static void
append_sort(StringInfo buf, Relation rel, EsTableOptions *opts, List *sort)
{
	ListCell   *cell;

	appendStringInfoString(buf, ",\"sort\":[");
	foreach(cell, sort)
	{
		EsSortKey  *key = lfirst(cell);
		Form_pg_attribute attr = TupleDescAttr(RelationGetDescr(rel), key->attnum - 1);

		appendStringInfoString(buf, cell == list_head(sort) ? "{\"field\":" : ",{\"field\":");
		es_append_json_string(buf, es_column_field_path(rel, attr, opts));
		appendStringInfo(buf, ",\"descending\":%s,\"nulls_first\":%s}",
						 key->descending ? "true" : "false", key->nulls_first ? "true" : "false");
	}
	appendStringInfoChar(buf, ']');
}

/* query, sort, limit and count_only of a scan (docs/boundary.md, "Pushdown"). */
static void
append_request(StringInfo buf, Relation rel, EsTableOptions *opts, EsScanRequest *request)
{
	ListCell   *cell;
	char	   *sort_value = request ? es_sort_column_value(request->remote_conds, rel,
															request->relid, opts,
															request->params) : NULL;
	const char *default_sort = sort_value ? sort_value : opts->default_sort;

	if (default_sort != NULL)
	{
		appendStringInfoString(buf, ",\"default_sort\":");
		es_append_json_string(buf, default_sort);
	}
	if (request == NULL)
		return;
	es_append_query(buf, request->remote_conds, rel, request->relid, opts, request->params);
	if (request->raw_query != NULL)
	{
		appendStringInfoString(buf, ",\"raw_query\":");
		es_append_json_string(buf, request->raw_query);
	}
	if (request->aggs != NULL)
	{
		appendStringInfoString(buf, ",\"aggs\":");
		es_append_json_string(buf, request->aggs);
	}
	if (request->highlight != NIL)
	{
		appendStringInfoString(buf, ",\"highlight\":[");
		foreach(cell, request->highlight)
		{
			if (cell != list_head(request->highlight))
				appendStringInfoChar(buf, ',');
			es_append_json_string(buf, lfirst(cell));
		}
		appendStringInfoChar(buf, ']');
	}
	if (request->sort != NIL)
		append_sort(buf, rel, opts, request->sort);
	if (request->limit > 0)
		appendStringInfo(buf, ",\"limit\":" INT64_FORMAT, request->limit);
	if (request->count_only)
		appendStringInfoString(buf, ",\"count_only\":true");
	if (request->aggregate_json != NULL)
		appendStringInfo(buf, ",\"aggregate\":%s", request->aggregate_json);
}

/* ,"name":"value" (null for NULL) */
static void
append_string_member(StringInfo buf, const char *name, const char *value)
{
	appendStringInfo(buf, ",\"%s\":", name);
	es_append_json_string(buf, value);
}

/* "connection":{…}: the server and credentials; never to be logged or stored in a plan. */
void
es_append_connection(StringInfo buf, EsTableOptions *opts)
{
	appendStringInfoString(buf, "\"connection\":{\"url\":");
	es_append_json_string(buf, opts->url);
	appendStringInfo(buf, ",\"timeout_ms\":" INT64_FORMAT, opts->timeout_ms);
	if (opts->connect_timeout_ms > 0)
		appendStringInfo(buf, ",\"connect_timeout_ms\":" INT64_FORMAT, opts->connect_timeout_ms);
	append_string_member(buf, "username", opts->username);
	append_string_member(buf, "password", opts->password);
	append_string_member(buf, "api_key", opts->api_key);
	append_string_member(buf, "bearer_token", opts->bearer_token);
	append_string_member(buf, "ca_file", opts->ca_file);
	append_string_member(buf, "ca_fingerprint", opts->ca_fingerprint);
	append_string_member(buf, "client_cert", opts->client_cert);
	append_string_member(buf, "client_key", opts->client_key);
	append_string_member(buf, "mapping", opts->mapping);
	appendStringInfo(buf, ",\"tls_verify\":%s}", opts->tls_verify ? "true" : "false");
}

/*
 * The scan description for Java.  It carries credentials: it must never be
 * logged or stored in a plan.
 */
char *
es_scan_description(Relation rel, EsTableOptions *opts, List *retrieved_attrs,
					EsScanRequest *request)
{
	StringInfoData buf;
	int			body_start;
	const char *mode;
	bool		caching;

	if (request != NULL)
		request->cache_key = NULL;
	initStringInfo(&buf);
	appendStringInfoChar(&buf, '{');
	es_append_connection(&buf, opts);
	body_start = buf.len;
	appendStringInfoString(&buf, ",\"index\":");
	es_append_json_string(&buf, opts->index);
	appendStringInfo(&buf, ",\"fetch_size\":%d,\"keep_alive_ms\":" INT64_FORMAT
					 ",\"allow_partial_results\":%s,",
					 opts->fetch_size, opts->keep_alive_ms,
					 opts->allow_partial_results ? "true" : "false");
	if (rel != NULL && (request == NULL || request->columns_json == NULL))
		append_columns(&buf, rel, opts, retrieved_attrs);
	else
		appendStringInfo(&buf, "\"columns\":%s",
						 request && request->columns_json ? request->columns_json : "[]");
	append_request(&buf, rel, opts, request);
	mode = request && request->planning ? "error" : es_effective_offline_mode(opts);
	caching = opts->cache && !(request && request->planning);
	if (request != NULL && (caching || strcmp(mode, "cache") == 0))
	{
		/*
		 * The result cache's key: the server and the request without
		 * connection or offline settings -- the query and the table
		 * definition only.  Java stores under it; offline.c finds it.
		 */
		request->cache_key = psprintf("%s\n%.*s", es_display_url(opts->url), buf.len - body_start,
									  buf.data + body_start);
	}
	appendStringInfo(&buf, ",\"offline\":{\"mode\":\"%s\",\"cache\":%s,\"ttl_ms\":" INT64_FORMAT
					 ",\"max_rows\":%d,\"max_bytes\":" INT64_FORMAT "}",
					 mode, caching ? "true" : "false", opts->cache_ttl_ms, opts->cache_max_rows,
					 opts->cache_max_bytes);
	if (request != NULL && request->cache_key != NULL)
	{
		appendStringInfoString(&buf, ",\"cache_key\":");
		es_append_json_string(&buf, request->cache_key);
	}
	appendStringInfoChar(&buf, '}');
	return buf.data;
}

/* Check at plan time that every column the scan reads has a convertible type. */
void
es_check_column_types(Relation rel, List *retrieved_attrs)
{
	TupleDesc	tupdesc = RelationGetDescr(rel);
	ListCell   *cell;

	foreach(cell, retrieved_attrs)
	{
		bool		is_array;

		(void) column_type(rel, TupleDescAttr(tupdesc, lfirst_int(cell) - 1), &is_array);
	}
}
