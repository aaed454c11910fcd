/*-------------------------------------------------------------------------
 *
 * es_fdw.c
 *		Foreign-data wrapper handler of es_fdw and its scan callbacks.
 *
 * The callbacks only orchestrate: options come from option.c, the scan
 * description from scan_desc.c, every Java call goes through jni_bridge.c,
 * rows are decoded by row_decode.c.
 *
 *-------------------------------------------------------------------------
 */
#include "es_fdw.h"

#include "access/sysattr.h"
#include "access/table.h"
#include "commands/explain.h"
#include "foreign/fdwapi.h"
#include "funcapi.h"
#include "miscadmin.h"
#include "nodes/makefuncs.h"
#include "optimizer/optimizer.h"
#include "optimizer/pathnode.h"
#include "optimizer/planmain.h"
#include "optimizer/restrictinfo.h"
#include "parser/parsetree.h"
#include "utils/builtins.h"
#include "utils/guc.h"
#include "utils/memutils.h"
#include "utils/rel.h"

PG_MODULE_MAGIC;

/* Planner estimates until remote estimates exist. */
#define DEFAULT_ROWS			1000
#define STARTUP_COST			25.0	/* an HTTP round trip */
#define PER_ROW_COST			0.01

/* Items of ForeignScan.fdw_private, by position. */
enum EsScanPrivateIndex
{
	EsScanPrivateRetrievedAttrs		/* Integer list of attnums Java returns */
};

/* Execution state of a foreign scan. */
typedef struct EsScanState
{
	Relation	rel;
	List	   *retrieved_attrs;
	AttInMetadata *attinmeta;
	Oid			userid;
	int64		handle;			/* Java scan handle; 0 when none is open */
	bool		exhausted;		/* Java returned an empty batch */
	EsRowBatch	batch;
	MemoryContext batch_cxt;	/* holds the current batch */
	MemoryContext row_cxt;		/* holds the current row's values */
	MemoryContextCallback cleanup;	/* releases the scan on error */
} EsScanState;

PG_FUNCTION_INFO_V1(es_fdw_handler);
PG_FUNCTION_INFO_V1(es_fdw_jvm_info);

void		_PG_init(void);

void
_PG_init(void)
{
	es_jvm_define_gucs();
	MarkGUCPrefixReserved("es_fdw");
}

static void
esGetForeignRelSize(PlannerInfo *root, RelOptInfo *baserel, Oid foreigntableid)
{
	baserel->rows = DEFAULT_ROWS;
}

static void
esGetForeignPaths(PlannerInfo *root, RelOptInfo *baserel, Oid foreigntableid)
{
	Cost		total = STARTUP_COST + baserel->rows * (cpu_tuple_cost + PER_ROW_COST);

	add_path(baserel, (Path *) create_foreignscan_path(root, baserel, NULL, baserel->rows,
													   STARTUP_COST, total, NIL, NULL,
													   NULL, NIL));
}

/*
 * The attnums (ascending) the query reads: from the target list and the
 * local quals.  A whole-row reference needs every column.
 */
static List *
retrieved_attrs(RelOptInfo *baserel, Relation rel)
{
	Bitmapset  *attrs = NULL;
	List	   *result = NIL;
	ListCell   *cell;
	int			attnum;

	pull_varattnos((Node *) baserel->reltarget->exprs, baserel->relid, &attrs);
	foreach(cell, baserel->baserestrictinfo)
		pull_varattnos((Node *) lfirst_node(RestrictInfo, cell)->clause, baserel->relid, &attrs);

	for (attnum = 1; attnum <= RelationGetDescr(rel)->natts; attnum++)
	{
		bool		whole_row = bms_is_member(0 - FirstLowInvalidHeapAttributeNumber, attrs);

		if (TupleDescAttr(RelationGetDescr(rel), attnum - 1)->attisdropped)
			continue;
		if (whole_row || bms_is_member(attnum - FirstLowInvalidHeapAttributeNumber, attrs))
			result = lappend_int(result, attnum);
	}
	return result;
}

static ForeignScan *
esGetForeignPlan(PlannerInfo *root, RelOptInfo *baserel, Oid foreigntableid,
				 ForeignPath *best_path, List *tlist, List *scan_clauses, Plan *outer_plan)
{
	Relation	rel = table_open(foreigntableid, NoLock);
	List	   *attrs = retrieved_attrs(baserel, rel);

	es_check_column_types(rel, attrs);
	table_close(rel, NoLock);

	return make_foreignscan(tlist, extract_actual_clauses(scan_clauses, false),
							baserel->relid, NIL, list_make1(attrs), NIL, NIL, outer_plan);
}

/* Release the Java scan if the query ends in an error (no EndForeignScan then). */
static void
release_scan_on_reset(void *arg)
{
	EsScanState *state = (EsScanState *) arg;

	if (state->handle != 0)
		es_bridge_end_scan_quietly(state->handle);
	state->handle = 0;
}

static void
esBeginForeignScan(ForeignScanState *node, int eflags)
{
	ForeignScan *plan = (ForeignScan *) node->ss.ps.plan;
	EState	   *estate = node->ss.ps.state;
	EsScanState *state = palloc0(sizeof(EsScanState));

	node->fdw_state = state;
	state->rel = node->ss.ss_currentRelation;
	state->retrieved_attrs = list_nth(plan->fdw_private, EsScanPrivateRetrievedAttrs);
	{
		RangeTblEntry *rte = exec_rt_fetch(plan->scan.scanrelid, estate);

		state->userid = OidIsValid(rte->checkAsUser) ? rte->checkAsUser : GetUserId();
	}
	if (eflags & EXEC_FLAG_EXPLAIN_ONLY)
		return;

	state->attinmeta = TupleDescGetAttInMetadata(RelationGetDescr(state->rel));
	state->batch_cxt = AllocSetContextCreate(estate->es_query_cxt, "es_fdw batch",
											 ALLOCSET_DEFAULT_SIZES);
	state->row_cxt = AllocSetContextCreate(estate->es_query_cxt, "es_fdw row",
										   ALLOCSET_DEFAULT_SIZES);
	state->cleanup.func = release_scan_on_reset;
	state->cleanup.arg = state;
	MemoryContextRegisterResetCallback(estate->es_query_cxt, &state->cleanup);
}

static void
open_scan(EsScanState *state)
{
	EsTableOptions *opts = es_get_table_options(RelationGetRelid(state->rel), state->userid);
	MemoryContext old = MemoryContextSwitchTo(state->batch_cxt);
	char	   *description = es_scan_description(state->rel, opts, state->retrieved_attrs);

	state->handle = es_bridge_open_scan(description);
	MemoryContextSwitchTo(old);
	MemoryContextReset(state->batch_cxt);
	state->exhausted = false;
	state->batch.rows_left = 0;
}

/* Fetch the next batch from Java; false when the scan is done. */
static bool
fetch_batch(EsScanState *state)
{
	MemoryContext old;
	char	   *data;
	int			len;

	MemoryContextReset(state->batch_cxt);
	old = MemoryContextSwitchTo(state->batch_cxt);
	data = es_bridge_next_batch(state->handle, &len);
	MemoryContextSwitchTo(old);
	es_batch_start(&state->batch, data, len);
	if (state->batch.rows_left == 0)
		state->exhausted = true;
	return !state->exhausted;
}

static TupleTableSlot *
esIterateForeignScan(ForeignScanState *node)
{
	EsScanState *state = (EsScanState *) node->fdw_state;
	TupleTableSlot *slot = node->ss.ss_ScanTupleSlot;
	MemoryContext old;

	ExecClearTuple(slot);
	if (state->handle == 0)
		open_scan(state);
	while (state->batch.rows_left == 0)
	{
		if (state->exhausted || !fetch_batch(state))
			return slot;
	}
	MemoryContextReset(state->row_cxt);
	old = MemoryContextSwitchTo(state->row_cxt);
	es_batch_next_row(&state->batch, state->rel, state->retrieved_attrs, state->attinmeta,
					  slot->tts_values, slot->tts_isnull);
	MemoryContextSwitchTo(old);
	return ExecStoreVirtualTuple(slot);
}

static void
esReScanForeignScan(ForeignScanState *node)
{
	EsScanState *state = (EsScanState *) node->fdw_state;

	if (state->handle == 0)
		return;
	es_bridge_rescan(state->handle);
	MemoryContextReset(state->batch_cxt);
	state->batch.rows_left = 0;
	state->exhausted = false;
}

static void
esEndForeignScan(ForeignScanState *node)
{
	EsScanState *state = (EsScanState *) node->fdw_state;
	int64		handle = state ? state->handle : 0;

	if (handle == 0)
		return;
	state->handle = 0;
	es_bridge_end_scan(handle);
}

/* EXPLAIN VERBOSE shows the request Elasticsearch receives (never credentials). */
static void
esExplainForeignScan(ForeignScanState *node, ExplainState *es)
{
	EsScanState *state = (EsScanState *) node->fdw_state;
	EsTableOptions *opts;

	if (!es->verbose)
		return;
	opts = es_get_table_options(RelationGetRelid(state->rel), state->userid);
	ExplainPropertyText("Elasticsearch server", opts->url, es);
	opts->username = opts->password = NULL;
	ExplainPropertyText("Elasticsearch request",
						es_bridge_explain(es_scan_description(state->rel, opts,
															  state->retrieved_attrs)),
						es);
}

Datum
es_fdw_handler(PG_FUNCTION_ARGS)
{
	FdwRoutine *routine = makeNode(FdwRoutine);

	routine->GetForeignRelSize = esGetForeignRelSize;
	routine->GetForeignPaths = esGetForeignPaths;
	routine->GetForeignPlan = esGetForeignPlan;
	routine->BeginForeignScan = esBeginForeignScan;
	routine->IterateForeignScan = esIterateForeignScan;
	routine->ReScanForeignScan = esReScanForeignScan;
	routine->EndForeignScan = esEndForeignScan;
	routine->ExplainForeignScan = esExplainForeignScan;
	PG_RETURN_POINTER(routine);
}

/*
 * es_fdw_jvm_info(): the libjvm this backend runs and the Java module's
 * version, booting the JVM if needed.  A smoke test for an installation.
 */
Datum
es_fdw_jvm_info(PG_FUNCTION_ARGS)
{
	char	   *java_version = es_bridge_version();

	PG_RETURN_TEXT_P(cstring_to_text(psprintf("es_fdw %s, Java module %s, libjvm %s",
											  ES_FDW_VERSION, java_version,
											  es_jvm_libjvm_path())));
}
