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
#include "access/stratnum.h"
#include "access/table.h"
#include "executor/executor.h"
#include "commands/explain.h"
#include "foreign/fdwapi.h"
#include "funcapi.h"
#include "miscadmin.h"
#include "nodes/makefuncs.h"
#include "nodes/nodeFuncs.h"
#include "optimizer/clauses.h"
#include "optimizer/optimizer.h"
#include "optimizer/pathnode.h"
#include "optimizer/planmain.h"
#include "optimizer/paths.h"
#include "optimizer/restrictinfo.h"
#include "optimizer/tlist.h"
#include "utils/fmgroids.h"
#include "utils/jsonb.h"
#include "parser/parsetree.h"
#include "utils/builtins.h"
#include "utils/guc.h"
#include "utils/memutils.h"
#include "utils/timestamp.h"
#include "utils/rel.h"

PG_MODULE_MAGIC;

/* Rows assumed when the index's size is unknown. */
#define DEFAULT_ROWS			1000
#define SORTED_PATH_DISCOUNT	0.99	/* prefer ES's sort over a local one */

/* Items of ForeignScan.fdw_private, by position. */
enum EsScanPrivateIndex
{
	EsScanPrivateRetrievedAttrs,	/* Integer list of attnums Java returns */
	EsScanPrivateRemoteConds,	/* pushed clauses (Expr list) */
	EsScanPrivateSort,			/* Integer triples: attnum, descending, nulls_first */
	EsScanPrivateLimit,			/* Integer: most rows needed, 0 for all */
	EsScanPrivateCountOnly,		/* Integer: 1 when the scan is count(*) */
	EsScanPrivateRelid,			/* Integer: the planner's range table index of the foreign
								 * table, which the Vars of the pushed clauses use (the
								 * executor's may differ: setrefs flattens range tables) */
	EsScanPrivateAggregate,		/* String: the "aggregate" description, "" for none */
	EsScanPrivateOuterVars		/* Vars of other relations in pushed join clauses, whose
								 * values are the last entries of fdw_exprs */
};

/* Execution state of a foreign scan. */
typedef struct EsScanState
{
	Relation	rel;
	List	   *retrieved_attrs;
	AttInMetadata *attinmeta;
	EsTableOptions *opts;		/* resolved once per scan (rescans reuse them) */
	EsScanRequest request;		/* what to push, with live parameter values */
	EsParamValues params;
	int64		handle;			/* Java scan handle; 0 when none is open */
	bool		exhausted;		/* Java returned an empty batch */
	EsRowBatch	batch;
	AttrNumber	sort_attnum;	/* the sort_column, when the query reads it; else 0 */
	char	   *sort_text;		/* the sort it was given, shown as its value */
	bool	   *ratios;			/* aggregation outputs that are integer averages */
	bool		offline;		/* answered by offline.c, without Java */
	List	   *offline_batches; /* its EsOfflineBatch list */
	int			offline_next;
	MemoryContext batch_cxt;	/* holds the current batch */
	MemoryContext row_cxt;		/* holds the current row's values */
	MemoryContextCallback cleanup;	/* releases the scan on error */
} EsScanState;

PG_FUNCTION_INFO_V1(es_fdw_handler);
PG_FUNCTION_INFO_V1(es_fdw_jvm_info);

void		_PG_init(void);

/* es_fdw.enable_aggregate_pushdown */
static bool enable_aggregate_pushdown = true;

/* es_fdw.offline_mode */
char	   *es_offline_mode_guc = NULL;

static bool
check_offline_mode(char **newval, void **extra, GucSource source)
{
	return (*newval)[0] == '\0' || strcmp(*newval, "error") == 0 || strcmp(*newval, "empty") == 0 ||
		strcmp(*newval, "cache") == 0;
}

void
_PG_init(void)
{
	es_jvm_define_gucs();
	es_modify_init();
	es_sync_init();
	DefineCustomBoolVariable("es_fdw.enable_aggregate_pushdown",
							 "Lets Elasticsearch compute count(*), GROUP BY and aggregates.",
							 "Off: PostgreSQL aggregates the rows it reads.",
							 &enable_aggregate_pushdown, true, PGC_USERSET, 0, NULL, NULL, NULL);
	DefineCustomStringVariable("es_fdw.offline_mode",
							   "What queries answer while an Elasticsearch server is unreachable.",
							   "error, empty or cache; empty: the servers' and tables' offline_mode options.",
							   &es_offline_mode_guc, "", PGC_USERSET, 0, check_offline_mode, NULL, NULL);
	MarkGUCPrefixReserved("es_fdw");
}

static Oid
planning_user(PlannerInfo *root, RelOptInfo *baserel)
{
	RangeTblEntry *rte = planner_rt_fetch(baserel->relid, root);

	return OidIsValid(rte->checkAsUser) ? rte->checkAsUser : GetUserId();
}

/*
 * In a PG_CATCH of planning-time I/O that may fail (the scan will report
 * why): give up the error and return it, unless it is a cancel or a
 * termination, which is rethrown.
 */
static ErrorData *
forgo_error_unless_interrupt(MemoryContext cxt)
{
	ErrorData  *edata;

	MemoryContextSwitchTo(cxt);
	edata = CopyErrorData();
	if (edata->sqlerrcode == ERRCODE_QUERY_CANCELED || ProcDiePending)
		PG_RE_THROW();
	FlushErrorState();
	return edata;
}

/*
 * The index mapping, for deciding what to push down; NULL when it cannot be
 * had (the scan will then report why).  A cancel is never swallowed.
 */
static Jsonb *
fetch_mapping(Relation rel, EsTableOptions *opts)
{
	MemoryContext cxt = CurrentMemoryContext;
	Jsonb	   *mapping = NULL;

	/* the server is down and this backend has no JVM: the mapping the Java module kept, without starting one */
	if (!es_bridge_running() && es_breaker_open(opts->url) != NULL)
		return es_stored_mapping(opts->url, opts->index);

	PG_TRY();
	{
		char	   *json = es_bridge_field_types(es_scan_description(rel, opts, NIL, NULL));

		mapping = DatumGetJsonbP(DirectFunctionCall1(jsonb_in, CStringGetDatum(json)));
	}
	PG_CATCH();
	{
		ErrorData  *edata = forgo_error_unless_interrupt(cxt);

		ereport(DEBUG1, (errmsg_internal("es_fdw: no mapping for planning: %s", edata->message)));
	}
	PG_END_TRY();
	return mapping;
}

/*
 * Document counts for row estimates, per server URL, index and pushed
 * clauses (the query's shape, its constants included); at most
 * COUNT_CACHE_ENTRIES, the oldest dropped first.
 */
typedef struct CachedCount
{
	char	   *key;			/* url + " " + index + " " + nodeToString(clauses) */
	double		count;
	TimestampTz fetched;
} CachedCount;

static List *cached_counts = NIL;

#define COUNT_CACHE_SECONDS 60
#define COUNT_CACHE_ENTRIES 256

/*
 * The number of documents matching the pushed clauses (none: the whole
 * index); one _count per shape and minute per backend; -1 when it cannot be
 * had.  A cancel is never swallowed.
 */
static double
document_count(Relation rel, EsTableOptions *opts, List *clauses, Index relid)
{
	char	   *key = psprintf("%s %s %s", opts->url, opts->index, clauses ? nodeToString(clauses) : "");
	ListCell   *cell;
	CachedCount *entry = NULL;
	MemoryContext cxt = CurrentMemoryContext;
	EsScanRequest request = {0};
	volatile int64 handle = 0;

	foreach(cell, cached_counts)
	{
		CachedCount *c = lfirst(cell);

		if (strcmp(c->key, key) == 0)
			entry = c;
	}
	if (entry && !TimestampDifferenceExceeds(entry->fetched, GetCurrentTimestamp(),
											 COUNT_CACHE_SECONDS * 1000))
		return entry->count;
	if (!es_bridge_running() && es_breaker_open(opts->url) != NULL)
		return -1;				/* down: default estimates, no JVM started for them */

	request.count_only = true;
	request.planning = true;
	request.remote_conds = clauses;
	request.relid = relid;
	PG_TRY();
	{
		int			len;
		char	   *data;
		EsRowBatch	batch;

		handle = es_bridge_open_scan(es_scan_description(rel, opts, NIL, &request));
		data = es_bridge_next_batch(handle, &len);
		es_bridge_end_scan(handle);
		handle = 0;
		es_batch_start(&batch, data, len);
		if (entry == NULL)
		{
			MemoryContext old = MemoryContextSwitchTo(TopMemoryContext);

			if (list_length(cached_counts) >= COUNT_CACHE_ENTRIES)
			{
				CachedCount *oldest = linitial(cached_counts);

				pfree(oldest->key);
				pfree(oldest);
				cached_counts = list_delete_first(cached_counts);
			}
			entry = palloc0(sizeof(CachedCount));
			entry->key = pstrdup(key);
			cached_counts = lappend(cached_counts, entry);
			MemoryContextSwitchTo(old);
		}
		entry->count = (double) es_batch_next_count(&batch);
		entry->fetched = GetCurrentTimestamp();
	}
	PG_CATCH();
	{
		ErrorData  *edata = forgo_error_unless_interrupt(cxt);

		ereport(DEBUG1, (errmsg_internal("es_fdw: no document count for planning: %s", edata->message)));
		if (handle != 0)
			es_bridge_end_scan_quietly(handle);
		return -1;
	}
	PG_END_TRY();
	return entry->count;
}

static bool
contains_param_walker(Node *node, void *context)
{
	if (node == NULL)
		return false;
	if (IsA(node, Param))
		return true;
	return expression_tree_walker(node, contains_param_walker, context);
}

/*
 * Row estimate of a scan.  A table joined to others asks Elasticsearch how
 * many documents its pushed clauses match (when they have no parameters:
 * their values are not known yet), as the join order depends on it; other
 * queries apply PostgreSQL's selectivities (column statistics after ANALYZE)
 * to the index's document count.
 */
static void
estimate_rows(PlannerInfo *root, RelOptInfo *baserel, Relation rel, EsRelInfo *info, double documents)
{
	List	   *remote = extract_actual_clauses(info->remote_conds, false);
	List	   *local_only = NIL;
	double		matching = -1;
	ListCell   *cell;

	foreach(cell, info->local_conds)
	{
		if (!list_member_ptr(info->remote_conds, lfirst(cell)))
			local_only = lappend(local_only, ((RestrictInfo *) lfirst(cell))->clause);
	}

	baserel->tuples = documents >= 0 ? documents : DEFAULT_ROWS;
	if (remote != NIL && documents >= 0 && bms_membership(root->all_baserels) == BMS_MULTIPLE &&
		!contains_param_walker((Node *) remote, NULL))
		matching = document_count(rel, info->opts, remote, baserel->relid);
	if (matching >= 0)
		baserel->rows = clamp_row_est(matching *
									  clauselist_selectivity(root, local_only, baserel->relid, JOIN_INNER, NULL));
	else
		baserel->rows = clamp_row_est(baserel->tuples *
									  clauselist_selectivity(root, extract_actual_clauses(baserel->baserestrictinfo, false),
															 baserel->relid, JOIN_INNER, NULL));
}

static void
esGetForeignRelSize(PlannerInfo *root, RelOptInfo *baserel, Oid foreigntableid)
{
	EsRelInfo  *info = palloc0(sizeof(EsRelInfo));
	Relation	rel = table_open(foreigntableid, NoLock);
	double		documents = -1;

	info->opts = es_get_table_options(foreigntableid, planning_user(root, baserel));
	/* the mapping and the size are only needed when there is something to push or to join */
	if (baserel->baserestrictinfo != NIL || root->query_pathkeys != NIL || root->parse->hasAggs ||
		bms_membership(root->all_baserels) == BMS_MULTIPLE)
	{
		info->mapping = fetch_mapping(rel, info->opts);
		documents = document_count(rel, info->opts, NIL, baserel->relid);
	}
	es_classify_conditions(baserel, rel, info);
	baserel->fdw_private = info;
	estimate_rows(root, baserel, rel, info, documents);
	table_close(rel, NoLock);
}

/* The member of an equivalence class that is an expression of this relation alone. */
static EquivalenceMember *
member_of_rel(EquivalenceClass *ec, RelOptInfo *rel)
{
	ListCell   *cell;

	foreach(cell, ec->ec_members)
	{
		EquivalenceMember *em = lfirst(cell);

		if (!em->em_is_child && bms_equal(em->em_relids, rel->relids))
			return em;
	}
	return NULL;
}

/*
 * The query's ORDER BY as pathkeys Elasticsearch can produce, or NIL: every
 * key must be a sortable column of this table.
 */
static List *
pushable_pathkeys(PlannerInfo *root, RelOptInfo *baserel, Relation rel, EsRelInfo *info)
{
	ListCell   *cell;

	foreach(cell, root->query_pathkeys)
	{
		PathKey    *key = lfirst(cell);
		EquivalenceMember *em = member_of_rel(key->pk_eclass, baserel);
		Var		   *var = em ? (Var *) em->em_expr : NULL;

		while (var && IsA(var, RelabelType))
			var = (Var *) ((RelabelType *) var)->arg;
		if (var == NULL || !IsA(var, Var) || var->varattno <= 0 ||
			key->pk_eclass->ec_has_volatile ||
			!es_sortable_column(rel, info, var->varattno, key->pk_eclass->ec_collation))
			return NIL;
	}
	return root->query_pathkeys;
}

/* The attnum of the column that holds _id, or 0. */
static AttrNumber
rowid_attnum(Relation rel, EsTableOptions *opts)
{
	TupleDesc	tupdesc = RelationGetDescr(rel);
	int			attnum;

	for (attnum = 1; attnum <= tupdesc->natts; attnum++)
	{
		Form_pg_attribute attr = TupleDescAttr(tupdesc, attnum - 1);

		if (!attr->attisdropped && strcmp(es_column_field_path(rel, attr, opts), "_id") == 0)
			return attnum;
	}
	return 0;
}

static bool
is_column_member(PlannerInfo *root, RelOptInfo *rel, EquivalenceClass *ec,
				 EquivalenceMember *em, void *arg)
{
	Expr	   *expr = em->em_expr;

	while (IsA(expr, RelabelType))
		expr = ((RelabelType *) expr)->arg;
	return IsA(expr, Var) && ((Var *) expr)->varno == (int) rel->relid &&
		((Var *) expr)->varattno == *(AttrNumber *) arg;
}

/*
 * Joins on the row id: a path parameterized by the other relation, so that
 * each outer row becomes one lookup by _id (a realtime _mget) instead of a
 * scan of the whole index.
 */
static void
add_rowid_join_paths(PlannerInfo *root, RelOptInfo *baserel, Relation rel, EsRelInfo *info)
{
	AttrNumber	attnum = rowid_attnum(rel, info->opts);
	List	   *clauses;
	ListCell   *cell;

	if (attnum == 0)
		return;
	clauses = generate_implied_equalities_for_column(root, baserel, is_column_member, &attnum,
													 baserel->lateral_referencers);
	foreach(cell, clauses)
	{
		RestrictInfo *ri = lfirst(cell);
		Relids		outer = bms_difference(ri->clause_relids, baserel->relids);
		ParamPathInfo *ppi;
		double		rows;

		if (bms_is_empty(outer) || !join_clause_is_movable_to(ri, baserel) ||
			!es_shippable_join_clause(ri->clause, rel, baserel->relid, info))
			continue;
		ppi = get_baserel_parampathinfo(root, baserel, outer);
		rows = Min(ppi->ppi_rows, 1);
		add_path(baserel, (Path *) create_foreignscan_path(root, baserel, NULL, rows,
														   info->opts->startup_cost,
														   info->opts->startup_cost +
														   rows * info->opts->tuple_cost,
														   NIL, outer, NULL, NIL));
	}
}

static void
esGetForeignPaths(PlannerInfo *root, RelOptInfo *baserel, Oid foreigntableid)
{
	EsRelInfo  *info = baserel->fdw_private;
	Cost		startup = info->opts->startup_cost;
	Cost		total = startup + baserel->rows * (cpu_tuple_cost + info->opts->tuple_cost);
	Relation	rel;
	List	   *pathkeys;

	add_path(baserel, (Path *) create_foreignscan_path(root, baserel, NULL, baserel->rows,
													   startup, total, NIL, NULL,
													   NULL, NIL));
	rel = table_open(foreigntableid, NoLock);
	add_rowid_join_paths(root, baserel, rel, info);
	pathkeys = root->query_pathkeys != NIL ? pushable_pathkeys(root, baserel, rel, info) : NIL;
	table_close(rel, NoLock);
	if (pathkeys != NIL)
		add_path(baserel, (Path *) create_foreignscan_path(root, baserel, NULL, baserel->rows,
														   startup,
														   total * SORTED_PATH_DISCOUNT,
														   pathkeys, NULL, NULL, NIL));
}

/* The attnums (ascending) Java must return: target list and local quals. */
static List *
retrieved_attrs(RelOptInfo *baserel, Relation rel, List *local_exprs)
{
	Bitmapset  *attrs = NULL;
	List	   *result = NIL;
	int			attnum;
	bool		whole_row;

	pull_varattnos((Node *) baserel->reltarget->exprs, baserel->relid, &attrs);
	pull_varattnos((Node *) local_exprs, baserel->relid, &attrs);
	whole_row = bms_is_member(0 - FirstLowInvalidHeapAttributeNumber, attrs);
	for (attnum = 1; attnum <= RelationGetDescr(rel)->natts; attnum++)
	{
		if (TupleDescAttr(RelationGetDescr(rel), attnum - 1)->attisdropped)
			continue;
		if (whole_row || bms_is_member(attnum - FirstLowInvalidHeapAttributeNumber, attrs))
			result = lappend_int(result, attnum);
	}
	return result;
}

/* Sort keys of a path as Integer triples (attnum, descending, nulls_first). */
static List *
sort_triples(PlannerInfo *root, RelOptInfo *baserel, List *pathkeys)
{
	List	   *triples = NIL;
	ListCell   *cell;

	foreach(cell, pathkeys)
	{
		PathKey    *key = lfirst(cell);
		Expr	   *expr = member_of_rel(key->pk_eclass, baserel)->em_expr;

		while (IsA(expr, RelabelType))
			expr = ((RelabelType *) expr)->arg;
		triples = lappend(triples, makeInteger(((Var *) expr)->varattno));
		triples = lappend(triples, makeInteger(key->pk_strategy == BTGreaterStrategyNumber));
		triples = lappend(triples, makeInteger(key->pk_nulls_first));
	}
	return triples;
}

/*
 * LIMIT + OFFSET when Elasticsearch can apply it: this table is the whole
 * query's input, nothing is filtered locally, and the rows come in the
 * query's order.  0 otherwise.
 */
static int
pushable_limit(PlannerInfo *root, RelOptInfo *baserel, EsRelInfo *info, Path *path)
{
	if (root->limit_tuples <= 0 || root->limit_tuples > PG_INT32_MAX ||
		bms_membership(root->all_baserels) != BMS_SINGLETON || info->local_conds != NIL ||
		root->parse->hasAggs || root->parse->groupClause || root->parse->distinctClause ||
		(root->query_pathkeys != NIL && !pathkeys_contained_in(root->query_pathkeys, path->pathkeys)))
		return 0;
	return (int) root->limit_tuples;
}

static ForeignScan *esGetForeignUpperPlan(PlannerInfo *root, RelOptInfo *upperrel,
										  ForeignPath *best_path, List *tlist, Plan *outer_plan);

static ForeignScan *
esGetForeignPlan(PlannerInfo *root, RelOptInfo *baserel, Oid foreigntableid,
				 ForeignPath *best_path, List *tlist, List *scan_clauses, Plan *outer_plan)
{
	EsRelInfo  *info;
	Relation	rel;
	List	   *local_exprs = NIL;
	List	   *remote_exprs;
	List	   *outer_vars;
	List	   *attrs;
	ListCell   *cell;

	if (IS_UPPER_REL(baserel))
		return esGetForeignUpperPlan(root, baserel, best_path, tlist, outer_plan);
	info = baserel->fdw_private;
	remote_exprs = extract_actual_clauses(info->remote_conds, false);
	rel = table_open(foreigntableid, NoLock);
	foreach(cell, scan_clauses)
	{
		RestrictInfo *ri = lfirst_node(RestrictInfo, cell);

		if (list_member_ptr(baserel->baserestrictinfo, ri))
		{
			if (!list_member_ptr(info->remote_conds, ri) || list_member_ptr(info->local_conds, ri))
				local_exprs = lappend(local_exprs, ri->clause);
		}
		else if (es_shippable_join_clause(ri->clause, rel, baserel->relid, info))
			remote_exprs = lappend(remote_exprs, ri->clause);	/* a parameterized join */
		else
			local_exprs = lappend(local_exprs, ri->clause);
	}
	outer_vars = es_outer_vars(remote_exprs, baserel->relid);

	attrs = retrieved_attrs(baserel, rel, local_exprs);
	es_check_column_types(rel, attrs);
	table_close(rel, NoLock);

	return make_foreignscan(tlist, local_exprs, baserel->relid,
							list_concat(es_pushed_params(remote_exprs), outer_vars),
							list_concat(list_make5(attrs, remote_exprs,
												   sort_triples(root, baserel, best_path->path.pathkeys),
												   makeInteger(pushable_limit(root, baserel, info,
																			  &best_path->path)),
												   makeInteger(0)),
										list_make3(makeInteger(baserel->relid), makeString(""),
												   copyObject(outer_vars))),
							NIL, NIL, outer_plan);
}

/* ----- count(*), GROUP BY and aggregates as an upper relation ----- */

/* Is every output of the aggregation a plain count(*)? */
static bool
only_count_star(PathTarget *target)
{
	ListCell   *cell;

	foreach(cell, target->exprs)
	{
		Aggref	   *agg = lfirst(cell);

		if (!IsA(agg, Aggref) || agg->aggfnoid != F_COUNT_ || agg->aggfilter != NULL ||
			agg->aggdistinct != NIL || agg->aggorder != NIL || agg->args != NIL)
			return false;
	}
	return target->exprs != NIL;
}

/*
 * The outputs an aggregation computes: the grouping target's expressions,
 * then the aggregates and columns HAVING needs (it is applied to them locally).
 */
static List *
grouped_tlist(PlannerInfo *root, List *having)
{
	List	   *tlist = add_to_flat_tlist(NIL, root->upper_targets[UPPERREL_GROUP_AGG]->exprs);

	return add_to_flat_tlist(tlist, pull_var_clause((Node *) having, PVC_INCLUDE_AGGREGATES));
}

/*
 * count(*) with no GROUP BY becomes one _count; other GROUP BY queries an
 * aggregation, when Elasticsearch computes every output exactly.  Either
 * needs every WHERE clause pushed.  HAVING is applied locally to the groups
 * Elasticsearch returns.
 */
static void
esGetForeignUpperPaths(PlannerInfo *root, UpperRelationKind stage, RelOptInfo *input_rel,
					   RelOptInfo *output_rel, void *extra)
{
	EsRelInfo  *info = input_rel->fdw_private;
	PathTarget *target = root->upper_targets[UPPERREL_GROUP_AGG];
	List	   *having;
	bool		count_only;
	double		rows;

	if (stage != UPPERREL_GROUP_AGG || input_rel->reloptkind != RELOPT_BASEREL ||
		output_rel->fdw_private != NULL || info == NULL || info->local_conds != NIL ||
		root->parse->groupingSets != NIL || !enable_aggregate_pushdown)
		return;
	having = (List *) ((GroupPathExtraData *) extra)->havingQual;
	if (contain_subplans((Node *) having) || contain_volatile_functions((Node *) having))
		return;
	count_only = root->parse->groupClause == NIL && having == NIL && only_count_star(target);
	if (!count_only &&
		es_aggregate_description(root, input_rel, info, get_tlist_exprs(grouped_tlist(root, having), false)) == NULL)
		return;
	output_rel->fdw_private = input_rel;	/* the table aggregated */
	rows = root->parse->groupClause == NIL ? 1 : Max(input_rel->rows / 10, 1);
	if (having != NIL)
		rows = clamp_row_est(rows * clauselist_selectivity(root, having, 0, JOIN_INNER, NULL));
	/* one round trip, cheaper than any scan that aggregates rows locally */
	add_path(output_rel, (Path *) create_foreign_upper_path(root, output_rel, target, rows,
															info->opts->startup_cost,
															info->opts->startup_cost +
															rows * info->opts->tuple_cost,
															NIL, NULL,
															list_make2(makeInteger(count_only), having)));
}

static ForeignScan *
esGetForeignUpperPlan(PlannerInfo *root, RelOptInfo *upperrel, ForeignPath *best_path,
					  List *tlist, Plan *outer_plan)
{
	RelOptInfo *baserel = upperrel->fdw_private;
	EsRelInfo  *info = baserel->fdw_private;
	List	   *remote_exprs = extract_actual_clauses(info->remote_conds, false);
	bool		count_only = intVal(linitial(best_path->fdw_private)) != 0;
	List	   *having = lsecond(best_path->fdw_private);
	List	   *scan_tlist = grouped_tlist(root, having);
	char	   *aggregate = count_only ? ""
		: es_aggregate_description(root, baserel, info, get_tlist_exprs(scan_tlist, false));

	return make_foreignscan(tlist, having, 0, es_pushed_params(remote_exprs),
							list_concat(list_make5(NIL, remote_exprs, NIL, makeInteger(0),
												   makeInteger(count_only)),
										list_make3(makeInteger(baserel->relid), makeString(aggregate),
												   NIL)),
							scan_tlist, NIL, outer_plan);
}

/* ----- execution ----- */

/* Release the Java scan if the query ends in an error (no EndForeignScan then). */
static void
release_scan_on_reset(void *arg)
{
	EsScanState *state = (EsScanState *) arg;

	if (state->handle != 0)
		es_bridge_end_scan_quietly(state->handle);
	state->handle = 0;
}

/* What the plan pushes, from fdw_private. */
static void
read_scan_request(EsScanState *state, ForeignScan *plan)
{
	List	   *private = plan->fdw_private;
	List	   *triples = list_nth(private, EsScanPrivateSort);
	int			i;

	state->retrieved_attrs = list_nth(private, EsScanPrivateRetrievedAttrs);
	state->request.remote_conds = list_nth(private, EsScanPrivateRemoteConds);
	state->request.limit = intVal(list_nth(private, EsScanPrivateLimit));
	state->request.count_only = intVal(list_nth(private, EsScanPrivateCountOnly)) != 0;
	state->request.relid = (Index) intVal(list_nth(private, EsScanPrivateRelid));
	if (strVal(list_nth(private, EsScanPrivateAggregate))[0] != '\0')
	{
		state->request.aggregate_json = strVal(list_nth(private, EsScanPrivateAggregate));
		state->request.columns_json = es_aggregate_columns(plan->fdw_scan_tlist);
		state->ratios = es_aggregate_ratio_outputs(plan->fdw_scan_tlist);
	}
	for (i = 0; i + 2 < list_length(triples); i += 3)
	{
		EsSortKey  *key = palloc(sizeof(EsSortKey));

		key->attnum = intVal(list_nth(triples, i));
		key->descending = intVal(list_nth(triples, i + 1)) != 0;
		key->nulls_first = intVal(list_nth(triples, i + 2)) != 0;
		state->request.sort = lappend(state->request.sort, key);
	}
}

/* The sort_column's attnum when the scan returns it, else 0. */
static AttrNumber
sort_column_attnum(Relation rel, List *retrieved_attrs, EsTableOptions *opts)
{
	ListCell   *cell;

	if (opts->sort_column == NULL)
		return 0;
	foreach(cell, retrieved_attrs)
	{
		Form_pg_attribute attr = TupleDescAttr(RelationGetDescr(rel), lfirst_int(cell) - 1);

		if (strcmp(NameStr(attr->attname), opts->sort_column) == 0)
			return attr->attnum;
	}
	return 0;
}

static void
esBeginForeignScan(ForeignScanState *node, int eflags)
{
	ForeignScan *plan = (ForeignScan *) node->ss.ps.plan;
	EState	   *estate = node->ss.ps.state;
	EsScanState *state = palloc0(sizeof(EsScanState));
	Index		rtindex = plan->scan.scanrelid != 0 ? plan->scan.scanrelid
		: (Index) bms_next_member(plan->fs_relids, -1);
	RangeTblEntry *rte = exec_rt_fetch(rtindex, estate);

	node->fdw_state = state;
	read_scan_request(state, plan);
	state->rel = node->ss.ss_currentRelation;
	if (state->rel == NULL)
		state->rel = ExecOpenScanRelation(estate, rtindex, eflags);
	state->opts = es_get_table_options(RelationGetRelid(state->rel),
									   OidIsValid(rte->checkAsUser) ? rte->checkAsUser : GetUserId());
	if (eflags & EXEC_FLAG_EXPLAIN_ONLY)
		return;

	state->params.param_exprs = plan->fdw_exprs;
	state->params.param_states = ExecInitExprList(plan->fdw_exprs, (PlanState *) node);
	state->params.outer_vars = list_nth(plan->fdw_private, EsScanPrivateOuterVars);
	state->params.outer_offset = list_length(plan->fdw_exprs) - list_length(state->params.outer_vars);
	state->params.econtext = node->ss.ps.ps_ExprContext;
	state->request.params = &state->params;
	state->sort_attnum = sort_column_attnum(state->rel, state->retrieved_attrs, state->opts);
	state->attinmeta = TupleDescGetAttInMetadata(state->request.aggregate_json != NULL
												 ? node->ss.ss_ScanTupleSlot->tts_tupleDescriptor
												 : RelationGetDescr(state->rel));
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
	EsTableOptions *opts = state->opts;
	MemoryContext old = MemoryContextSwitchTo(state->batch_cxt);
	char	   *description;

	es_flush_held_writes();		/* reads by id see this transaction's writes */
	description = es_scan_description(state->rel, opts, state->retrieved_attrs, &state->request);

	if (state->request.aggregate_json == NULL &&
		es_offline_answer(opts, es_effective_offline_mode(opts), state->request.cache_key,
						  state->request.count_only, &state->offline_batches))
	{
		/* the server is down and this backend has no JVM yet: answered from the files */
		state->offline = true;
		state->offline_next = 0;
		MemoryContextSwitchTo(old);
		state->exhausted = false;
		state->batch.rows_left = 0;
		return;
	}
	state->handle = es_bridge_open_scan(description);
	es_bridge_report_warnings();
	state->sort_text = es_sort_column_value(state->request.remote_conds, state->rel,
											state->request.relid, opts, &state->params);
	MemoryContextSwitchTo(old);
	MemoryContextReset(state->batch_cxt);
	state->exhausted = false;
	state->batch.rows_left = 0;
}

/* Fetch the next batch from Java (or the offline answer); false when the scan is done. */
static bool
fetch_batch(EsScanState *state)
{
	if (state->offline)
	{
		EsOfflineBatch *next;

		if (state->offline_next >= list_length(state->offline_batches))
		{
			state->exhausted = true;
			return false;
		}
		next = list_nth(state->offline_batches, state->offline_next++);
		es_batch_start(&state->batch, next->data, next->len);
		return true;
	}
	state->exhausted = !es_batch_fetch(&state->batch, state->handle, state->batch_cxt);
	return !state->exhausted;
}

/* pg_es_fdw's sort_column shows the sort it was given. */
static void
show_sort_text(EsScanState *state, TupleTableSlot *slot)
{
	AttrNumber	attnum = state->sort_attnum;

	slot->tts_values[attnum - 1] = InputFunctionCall(&state->attinmeta->attinfuncs[attnum - 1],
													 state->sort_text,
													 state->attinmeta->attioparams[attnum - 1],
													 state->attinmeta->atttypmods[attnum - 1]);
	slot->tts_isnull[attnum - 1] = false;
}

/* The count(*) row: every output column is the count. */
static void
store_count(EsScanState *state, TupleTableSlot *slot)
{
	int64		count = es_batch_next_count(&state->batch);
	int			i;

	for (i = 0; i < slot->tts_tupleDescriptor->natts; i++)
	{
		slot->tts_values[i] = Int64GetDatum(count);
		slot->tts_isnull[i] = false;
	}
}

static TupleTableSlot *
esIterateForeignScan(ForeignScanState *node)
{
	EsScanState *state = (EsScanState *) node->fdw_state;
	TupleTableSlot *slot = node->ss.ss_ScanTupleSlot;
	MemoryContext old;

	ExecClearTuple(slot);
	if (state->handle == 0 && !state->offline)
		open_scan(state);
	while (state->batch.rows_left == 0)
	{
		if (state->exhausted || !fetch_batch(state))
			return slot;
	}
	MemoryContextReset(state->row_cxt);
	old = MemoryContextSwitchTo(state->row_cxt);
	if (state->request.count_only)
		store_count(state, slot);
	else if (state->request.aggregate_json != NULL)
		es_batch_next_tuple(&state->batch, state->attinmeta, state->ratios, slot->tts_tupleDescriptor->natts,
							slot->tts_values, slot->tts_isnull);
	else
	{
		es_batch_next_row(&state->batch, state->rel, state->retrieved_attrs, state->attinmeta,
						  slot->tts_values, slot->tts_isnull);
		if (state->sort_attnum != 0 && state->sort_text != NULL)
			show_sort_text(state, slot);
	}
	MemoryContextSwitchTo(old);
	return ExecStoreVirtualTuple(slot);
}

/*
 * Start over.  Parameters of pushed clauses may have new values (e.g. the
 * inner side of a nested loop), so the scan is reopened with a new request.
 */
static void
esReScanForeignScan(ForeignScanState *node)
{
	EsScanState *state = (EsScanState *) node->fdw_state;
	int64		handle = state->handle;

	state->offline = false;		/* new parameters: a new request, maybe an answer from the server */
	if (handle == 0)
		return;
	state->handle = 0;
	MemoryContextReset(state->batch_cxt);
	state->batch.rows_left = 0;
	state->exhausted = false;
	es_bridge_end_scan(handle);
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
	EsTableOptions opts;
	EsScanRequest request;

	if (!es->verbose)
		return;
	opts = *state->opts;
	ExplainPropertyText("Elasticsearch server", opts.url, es);
	opts.username = opts.password = opts.api_key = opts.bearer_token = NULL;
	request = state->request;
	request.params = NULL;		/* parameters print as "$n" */
	ExplainPropertyText("Elasticsearch request",
						es_bridge_explain(es_scan_description(state->rel, &opts,
															  state->retrieved_attrs, &request)),
						es);
}

Datum
es_fdw_handler(PG_FUNCTION_ARGS)
{
	FdwRoutine *routine = makeNode(FdwRoutine);

	routine->GetForeignRelSize = esGetForeignRelSize;
	routine->GetForeignPaths = esGetForeignPaths;
	routine->GetForeignPlan = esGetForeignPlan;
	routine->GetForeignUpperPaths = esGetForeignUpperPaths;
	routine->BeginForeignScan = esBeginForeignScan;
	routine->IterateForeignScan = esIterateForeignScan;
	routine->ReScanForeignScan = esReScanForeignScan;
	routine->EndForeignScan = esEndForeignScan;
	routine->ExplainForeignScan = esExplainForeignScan;
	routine->AnalyzeForeignTable = es_analyze_foreign_table;
	routine->AddForeignUpdateTargets = esAddForeignUpdateTargets;
	routine->PlanForeignModify = esPlanForeignModify;
	routine->BeginForeignModify = esBeginForeignModify;
	routine->ExecForeignInsert = esExecForeignInsert;
	routine->ExecForeignBatchInsert = esExecForeignBatchInsert;
	routine->GetForeignModifyBatchSize = esGetForeignModifyBatchSize;
	routine->ExecForeignUpdate = esExecForeignUpdate;
	routine->ExecForeignDelete = esExecForeignDelete;
	routine->EndForeignModify = esEndForeignModify;
	routine->BeginForeignInsert = esBeginForeignInsert;
	routine->EndForeignInsert = esEndForeignInsert;
	routine->IsForeignRelUpdatable = esIsForeignRelUpdatable;
	routine->ExecForeignTruncate = esExecForeignTruncate;
	routine->ImportForeignSchema = esImportForeignSchema;
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
