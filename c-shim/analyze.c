/*-------------------------------------------------------------------------
 *
 * analyze.c
 *		ANALYZE of an es_fdw foreign table: the index's document count, and a
 *		random sample of documents (a random_score query, best scores first)
 *		from which PostgreSQL computes column statistics for the planner.
 *
 *-------------------------------------------------------------------------
 */
#include "es_fdw.h"

#include "access/htup_details.h"
#include "miscadmin.h"
#include "utils/memutils.h"
#include "utils/rel.h"

/* A random order of the documents: Elasticsearch scores each at random. */
#define RANDOM_ORDER_QUERY "{\"function_score\":{\"random_score\":{}}}"

/* Every column ANALYZE can read (of a type es_fdw converts). */
static List *
readable_columns(Relation rel)
{
	TupleDesc	tupdesc = RelationGetDescr(rel);
	List	   *attrs = NIL;
	int			attnum;

	for (attnum = 1; attnum <= tupdesc->natts; attnum++)
	{
		Form_pg_attribute attr = TupleDescAttr(tupdesc, attnum - 1);
		bool		is_array;

		if (!attr->attisdropped && es_column_neutral_type(attr, &is_array) != NULL)
			attrs = lappend_int(attrs, attnum);
	}
	return attrs;
}

/* The number of documents in the index: a _count. */
static double
document_count(Relation rel, EsTableOptions *opts)
{
	EsScanRequest request = {.planning = true};
	EsRowBatch	batch;
	int64		handle;
	char	   *data;
	int			len;

	request.count_only = true;
	handle = es_bridge_open_scan(es_scan_description(rel, opts, NIL, &request));
	data = es_bridge_next_batch(handle, &len);
	es_bridge_end_scan(handle);
	es_batch_start(&batch, data, len);
	return (double) es_batch_next_count(&batch);
}

/* Ends the sampling scan if ANALYZE fails before it is done. */
static void
end_sample_scan(void *arg)
{
	int64	   *handle = arg;

	if (*handle != 0)
		es_bridge_end_scan_quietly(*handle);
	*handle = 0;
}

static int
es_acquire_sample_rows(Relation rel, int elevel, HeapTuple *rows, int targrows,
					   double *totalrows, double *totaldeadrows)
{
	EsTableOptions *opts = es_get_table_options(RelationGetRelid(rel), GetUserId());
	List	   *attrs = readable_columns(rel);
	TupleDesc	tupdesc = RelationGetDescr(rel);
	AttInMetadata *attinmeta = TupleDescGetAttInMetadata(tupdesc);
	MemoryContext scan_cxt = AllocSetContextCreate(CurrentMemoryContext, "es_fdw analyze",
												   ALLOCSET_SMALL_SIZES);
	MemoryContext batch_cxt = AllocSetContextCreate(scan_cxt, "es_fdw analyze batch",
													ALLOCSET_DEFAULT_SIZES);
	MemoryContext row_cxt = AllocSetContextCreate(scan_cxt, "es_fdw analyze row",
												  ALLOCSET_DEFAULT_SIZES);
	MemoryContextCallback *cleanup = MemoryContextAlloc(scan_cxt, sizeof(MemoryContextCallback));
	int64	   *handle = MemoryContextAllocZero(scan_cxt, sizeof(int64));
	Datum	   *values = palloc(sizeof(Datum) * tupdesc->natts);
	bool	   *nulls = palloc(sizeof(bool) * tupdesc->natts);
	EsScanRequest request = {.planning = true};
	EsRowBatch	batch = {0};
	int			n = 0;

	*totalrows = document_count(rel, opts);
	*totaldeadrows = 0;
	request.raw_query = RANDOM_ORDER_QUERY;
	request.limit = targrows;
	cleanup->func = end_sample_scan;
	cleanup->arg = handle;
	MemoryContextRegisterResetCallback(scan_cxt, cleanup);
	*handle = es_bridge_open_scan(es_scan_description(rel, opts, attrs, &request));
	while (n < targrows && (batch.rows_left > 0 || es_batch_fetch(&batch, *handle, batch_cxt)))
	{
		MemoryContext old = MemoryContextSwitchTo(row_cxt);

		CHECK_FOR_INTERRUPTS();
		es_batch_next_row(&batch, rel, attrs, attinmeta, values, nulls);
		MemoryContextSwitchTo(old);
		rows[n++] = heap_form_tuple(tupdesc, values, nulls);
		MemoryContextReset(row_cxt);
	}
	es_bridge_end_scan(*handle);
	*handle = 0;
	MemoryContextDelete(scan_cxt);

	ereport(elevel,
			(errmsg("\"%s\": Elasticsearch index \"%s\" has %.0f documents; %d sampled at random",
					RelationGetRelationName(rel), opts->index, *totalrows, n)));
	return n;
}

bool
es_analyze_foreign_table(Relation relation, AcquireSampleRowsFunc *func, BlockNumber *totalpages)
{
	*func = es_acquire_sample_rows;
	*totalpages = 1;
	return true;
}
