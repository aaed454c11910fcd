/*-------------------------------------------------------------------------
 *
 * search.c
 *		SQL functions that search Elasticsearch directly: es_search(),
 *		es_count(), es_aggregate(), and es_match(), which only has a meaning
 *		when the planner pushes it down.
 *
 * User values become JSON strings (escaped) or are passed as jsonb: nothing
 * is ever spliced into a query string.
 *
 *-------------------------------------------------------------------------
 */
#include "es_fdw.h"

#include "funcapi.h"
#include "mb/pg_wchar.h"
#include "miscadmin.h"
#include "utils/array.h"
#include "utils/builtins.h"
#include "utils/json.h"
#include "utils/lsyscache.h"
#include "utils/memutils.h"

PG_FUNCTION_INFO_V1(es_search);
PG_FUNCTION_INFO_V1(es_count);
PG_FUNCTION_INFO_V1(es_aggregate);
PG_FUNCTION_INFO_V1(es_match);

/* The columns of es_search()'s rows, in its RETURNS TABLE order. */
#define SEARCH_COLUMNS \
	"[{\"name\":\"id\",\"field\":\"_id\",\"type\":\"text\",\"array\":false}," \
	"{\"name\":\"score\",\"field\":\"_score\",\"type\":\"float4\",\"array\":false}," \
	"{\"name\":\"source\",\"field\":\"_source\",\"type\":\"jsonb\",\"array\":false}," \
	"{\"name\":\"highlight\",\"field\":\"_highlight\",\"type\":\"jsonb\",\"array\":false}," \
	"{\"name\":\"index\",\"field\":\"_index\",\"type\":\"text\",\"array\":false}]"
#define SEARCH_NCOLUMNS 5

/* Argument positions shared by es_search, es_count and es_aggregate. */
#define ARG_SERVER	0
#define ARG_INDEX	1

static char *
text_arg(FunctionCallInfo fcinfo, int n)
{
	if (PG_ARGISNULL(n))
		return NULL;
	return text_to_cstring(PG_GETARG_TEXT_PP(n));
}

/*
 * The scan's Query DSL as JSON text: the query string (as a query_string
 * query; the text goes in as an escaped JSON string) and/or the DSL, ANDed.
 */
static char *
raw_query(FunctionCallInfo fcinfo, int query_arg, int dsl_arg)
{
	char	   *query = text_arg(fcinfo, query_arg);
	char	   *dsl = NULL;
	StringInfoData buf;

	if (!PG_ARGISNULL(dsl_arg))
		dsl = DatumGetCString(DirectFunctionCall1(jsonb_out, PG_GETARG_DATUM(dsl_arg)));
	if (query == NULL)
		return dsl;
	initStringInfo(&buf);
	appendStringInfoString(&buf, "{\"query_string\":{\"query\":");
	escape_json(&buf, query);
	appendStringInfoString(&buf, "}}");
	if (dsl == NULL)
		return buf.data;
	return psprintf("{\"bool\":{\"must\":[%s,%s]}}", buf.data, dsl);
}

static EsTableOptions *
server_options(FunctionCallInfo fcinfo)
{
	char	   *server = text_arg(fcinfo, ARG_SERVER);
	char	   *index = text_arg(fcinfo, ARG_INDEX);

	if (server == NULL || index == NULL)
		ereport(ERROR,
				(errcode(ERRCODE_NULL_VALUE_NOT_ALLOWED),
				 errmsg("server and index must not be NULL")));
	return es_get_server_options(server, index, GetUserId());
}

/* The elements of a text[] argument as a list of C strings. */
static List *
text_array_arg(FunctionCallInfo fcinfo, int n)
{
	Datum	   *values;
	bool	   *nulls;
	int			count;
	int			i;
	List	   *result = NIL;

	if (PG_ARGISNULL(n))
		return NIL;
	deconstruct_array(PG_GETARG_ARRAYTYPE_P(n), TEXTOID, -1, false, TYPALIGN_INT,
					  &values, &nulls, &count);
	for (i = 0; i < count; i++)
	{
		if (!nulls[i])
			result = lappend(result, TextDatumGetCString(values[i]));
	}
	return result;
}

/* State of one es_search() call across its rows. */
typedef struct SearchState
{
	int64		handle;
	bool		exhausted;
	EsRowBatch	batch;
	MemoryContext batch_cxt;
	AttInMetadata *attinmeta;
	MemoryContextCallback cleanup;
} SearchState;

static void
end_search_quietly(void *arg)
{
	SearchState *state = arg;

	if (state->handle != 0)
		es_bridge_end_scan_quietly(state->handle);
	state->handle = 0;
}

static SearchState *
start_search(FunctionCallInfo fcinfo, FuncCallContext *funcctx)
{
	SearchState *state = palloc0(sizeof(SearchState));
	EsTableOptions *opts = server_options(fcinfo);
	EsScanRequest request = {.planning = true};
	TupleDesc	tupdesc;

	if (get_call_result_type(fcinfo, NULL, &tupdesc) != TYPEFUNC_COMPOSITE ||
		tupdesc->natts != SEARCH_NCOLUMNS)
		elog(ERROR, "es_search: unexpected result type");
	state->attinmeta = TupleDescGetAttInMetadata(tupdesc);
	state->batch_cxt = AllocSetContextCreate(funcctx->multi_call_memory_ctx, "es_search batch",
											 ALLOCSET_DEFAULT_SIZES);
	request.raw_query = raw_query(fcinfo, 2, 3);
	if (!PG_ARGISNULL(4) && PG_GETARG_INT32(4) <= 0)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("size must be positive"),
				 errhint("Leave size NULL for every hit.")));
	request.limit = PG_ARGISNULL(4) ? 0 : PG_GETARG_INT32(4);
	opts->default_sort = text_arg(fcinfo, 5);
	request.highlight = text_array_arg(fcinfo, 6);
	request.columns_json = SEARCH_COLUMNS;
	state->handle = es_bridge_open_scan(es_scan_description(NULL, opts, NIL, &request));
	state->cleanup.func = end_search_quietly;
	state->cleanup.arg = state;
	MemoryContextRegisterResetCallback(funcctx->multi_call_memory_ctx, &state->cleanup);
	return state;
}

/* The next hit as a tuple, or NULL when the search is done (and closed). */
static HeapTuple
next_hit(SearchState *state)
{
	char	   *texts[SEARCH_NCOLUMNS];

	while (state->batch.rows_left == 0 && !state->exhausted)
		state->exhausted = !es_batch_fetch(&state->batch, state->handle, state->batch_cxt);
	if (!es_batch_next_texts(&state->batch, SEARCH_NCOLUMNS, texts))
	{
		int64		handle = state->handle;

		state->handle = 0;
		es_bridge_end_scan(handle);
		return NULL;
	}
	return BuildTupleFromCStrings(state->attinmeta, texts);
}

/*
 * es_search(server, index, query, dsl, size, sort, highlight)
 *		RETURNS TABLE (id, score, source, highlight, index)
 */
Datum
es_search(PG_FUNCTION_ARGS)
{
	FuncCallContext *funcctx;
	SearchState *state;
	HeapTuple	tuple;

	if (SRF_IS_FIRSTCALL())
	{
		MemoryContext old;

		funcctx = SRF_FIRSTCALL_INIT();
		old = MemoryContextSwitchTo(funcctx->multi_call_memory_ctx);
		funcctx->user_fctx = start_search(fcinfo, funcctx);
		MemoryContextSwitchTo(old);
	}
	funcctx = SRF_PERCALL_SETUP();
	state = funcctx->user_fctx;
	tuple = next_hit(state);
	if (tuple == NULL)
		SRF_RETURN_DONE(funcctx);
	SRF_RETURN_NEXT(funcctx, HeapTupleGetDatum(tuple));
}

/* es_count(server, index, query, dsl) RETURNS bigint: Elasticsearch's _count. */
Datum
es_count(PG_FUNCTION_ARGS)
{
	EsTableOptions *opts = server_options(fcinfo);
	EsScanRequest request = {.planning = true};
	EsRowBatch	batch;
	int64		handle;
	char	   *data;
	int			len;
	int64		count;

	request.raw_query = raw_query(fcinfo, 2, 3);
	request.count_only = true;
	handle = es_bridge_open_scan(es_scan_description(NULL, opts, NIL, &request));
	data = es_bridge_next_batch(handle, &len);
	es_bridge_end_scan(handle);
	es_batch_start(&batch, data, len);
	count = es_batch_next_count(&batch);
	PG_RETURN_INT64(count);
}

/* es_aggregate(server, index, aggs, query, dsl) RETURNS jsonb: the aggregations object. */
Datum
es_aggregate(PG_FUNCTION_ARGS)
{
	EsTableOptions *opts = server_options(fcinfo);
	EsScanRequest request = {.planning = true};
	char	   *json;

	if (PG_ARGISNULL(2))
		ereport(ERROR,
				(errcode(ERRCODE_NULL_VALUE_NOT_ALLOWED),
				 errmsg("aggs must not be NULL")));
	request.aggs = DatumGetCString(DirectFunctionCall1(jsonb_out, PG_GETARG_DATUM(2)));
	request.raw_query = raw_query(fcinfo, 3, 4);
	json = es_bridge_aggregate(es_scan_description(NULL, opts, NIL, &request));
	PG_RETURN_DATUM(DirectFunctionCall1(jsonb_in, CStringGetDatum(json)));
}

/*
 * es_match(column, words): true where Elasticsearch's match query on the
 * column matches.  Only Elasticsearch can answer it: evaluated here, it was
 * not pushed down (e.g. under OR or NOT, or on a table that is not es_fdw's).
 */
Datum
es_match(PG_FUNCTION_ARGS)
{
	ereport(ERROR,
			(errcode(ERRCODE_FEATURE_NOT_SUPPORTED),
			 errmsg("es_match() must be evaluated by Elasticsearch"),
			 errdetail("It was not pushed down to an es_fdw foreign table scan."),
			 errhint("Use es_match(column, text) on a column of an es_fdw foreign table, "
					 "ANDed with the rest of the WHERE clause (not under OR or NOT).")));
	PG_RETURN_BOOL(false);
}

/* ----- es_status() and es_cache_clear() ----- */

PG_FUNCTION_INFO_V1(es_server_status);
PG_FUNCTION_INFO_V1(es_cache_clear);
PG_FUNCTION_INFO_V1(es_breaker_reset);

/*
 * es_server_status(server name) → jsonb: reachable now (one request, none
 * while the circuit breaker is open), version, breaker, result cache counts.
 */
Datum
es_server_status(PG_FUNCTION_ARGS)
{
	char	   *server = NameStr(*PG_GETARG_NAME(0));
	EsTableOptions *opts = es_get_server_options(server, "_all", GetUserId());
	StringInfoData buf;
	char	   *json;

	initStringInfo(&buf);
	appendStringInfoChar(&buf, '{');
	es_append_connection(&buf, opts);
	appendStringInfoString(&buf, ",\"index\":\"_all\"}");
	json = es_bridge_status(buf.data);
	memset(buf.data, 0, buf.len);	/* it held credentials */
	PG_RETURN_DATUM(DirectFunctionCall1(jsonb_in, CStringGetDatum(json)));
}

/* es_cache_clear() → the number of cached results removed (every server's). */
Datum
es_cache_clear(PG_FUNCTION_ARGS)
{
	PG_RETURN_INT64(es_bridge_clear_cache(0));
}

/* es_breaker_reset() → how many circuit breakers were closed (every server's). */
Datum
es_breaker_reset(PG_FUNCTION_ARGS)
{
	PG_RETURN_INT64(es_bridge_clear_cache(1));
}
