/*-------------------------------------------------------------------------
 *
 * aggregate.c
 *		Which GROUP BY queries Elasticsearch computes exactly, and their
 *		neutral description (docs/boundary.md, "Aggregations").
 *
 * Only what Elasticsearch answers as PostgreSQL would is pushed: count(*),
 * count(col), min/max of numbers and dates (a bigint's from a sort value,
 * exact), sum/avg of integers (Java proves each sum exact, else fails the
 * query; avg is PostgreSQL's own numeric division of that sum, done here)
 * and of double precision columns (Elasticsearch adds them in another order,
 * as a parallel plan does), avg of real columns, grouped by columns the
 * pushdown rules accept (keyword text, integers, booleans, dates).  sum of
 * real columns stays local (PostgreSQL adds in single precision).  A
 * plan-time string: no parameters, no credentials.
 *
 *-------------------------------------------------------------------------
 */
#include "es_fdw.h"

#include "access/table.h"
#include "catalog/pg_aggregate.h"
#include "nodes/nodeFuncs.h"
#include "parser/parsetree.h"
#include "optimizer/optimizer.h"
#include "optimizer/tlist.h"
#include "utils/fmgroids.h"
#include "utils/json.h"
#include "utils/lsyscache.h"
#include "utils/numeric.h"
#include "utils/fmgrprotos.h"
#include "utils/rel.h"

/* Aggregate functions pushed, and what Elasticsearch computes for them. */
static const struct
{
	Oid			fnoid;
	const char *kind;
}			es_aggregates[] = {
	{F_COUNT_, "count"}, {F_COUNT_ANY, "count_field"},
	{F_MIN_INT2, "min"}, {F_MIN_INT4, "min"}, {F_MIN_DATE, "min"},
	{F_MIN_TIMESTAMP, "min"}, {F_MIN_TIMESTAMPTZ, "min"},
	{F_MAX_INT2, "max"}, {F_MAX_INT4, "max"}, {F_MAX_DATE, "max"},
	{F_MAX_TIMESTAMP, "max"}, {F_MAX_TIMESTAMPTZ, "max"},
	{F_MIN_INT8, "min"}, {F_MIN_FLOAT4, "min"}, {F_MIN_FLOAT8, "min"},
	{F_MAX_INT8, "max"}, {F_MAX_FLOAT4, "max"}, {F_MAX_FLOAT8, "max"},
	{F_SUM_INT2, "sum"}, {F_SUM_INT4, "sum"}, {F_SUM_INT8, "sum"}, {F_SUM_FLOAT8, "sum"},
	{F_AVG_INT2, "avg"}, {F_AVG_INT4, "avg"}, {F_AVG_INT8, "avg"},
	{F_AVG_FLOAT4, "avg"}, {F_AVG_FLOAT8, "avg"},
	{InvalidOid, NULL}
};

static const char *
aggregate_kind(Aggref *agg)
{
	int			i;

	if (agg->aggfilter != NULL || agg->aggdistinct != NIL || agg->aggorder != NIL ||
		agg->aggvariadic || agg->aggkind != AGGKIND_NORMAL)
		return NULL;
	for (i = 0; es_aggregates[i].kind; i++)
	{
		if (es_aggregates[i].fnoid == agg->aggfnoid)
			return es_aggregates[i].kind;
	}
	return NULL;
}

/* The column (an attnum of the base relation) an expression is, or 0. */
static AttrNumber
plain_column(Expr *expr, Index relid)
{
	while (IsA(expr, RelabelType))
		expr = ((RelabelType *) expr)->arg;
	if (IsA(expr, Var) && ((Var *) expr)->varno == (int) relid &&
		((Var *) expr)->varattno > 0 && ((Var *) expr)->varlevelsup == 0)
		return ((Var *) expr)->varattno;
	return 0;
}

static void
append_field_and_type(StringInfo buf, Relation rel, EsTableOptions *opts, AttrNumber attnum)
{
	Form_pg_attribute attr = TupleDescAttr(RelationGetDescr(rel), attnum - 1);
	bool		is_array;

	appendStringInfoString(buf, "\"field\":");
	escape_json(buf, es_column_field_path(rel, attr, opts));
	appendStringInfo(buf, ",\"type\":\"%s\"", es_column_neutral_type(attr, &is_array));
}

/* "group_by":[…] for the GROUP BY columns; false when one cannot be pushed. */
static bool
append_group_by(StringInfo buf, PlannerInfo *root, RelOptInfo *baserel, Relation rel,
				EsRelInfo *info)
{
	ListCell   *cell;

	appendStringInfoString(buf, "\"group_by\":[");
	foreach(cell, root->parse->groupClause)
	{
		SortGroupClause *group = lfirst(cell);
		TargetEntry *tle = get_sortgroupclause_tle(group, root->parse->targetList);
		AttrNumber	attnum = plain_column(tle->expr, baserel->relid);

		if (attnum == 0 || !es_groupable_column(rel, info, attnum, exprCollation((Node *) tle->expr)))
			return false;
		appendStringInfoString(buf, cell == list_head(root->parse->groupClause) ? "{" : ",{");
		append_field_and_type(buf, rel, info->opts, attnum);
		appendStringInfoChar(buf, '}');
	}
	appendStringInfoChar(buf, ']');
	return true;
}

/* The position of a grouping expression in GROUP BY, or -1. */
static int
group_position(PlannerInfo *root, Expr *expr, Index relid)
{
	ListCell   *cell;
	int			position = 0;
	AttrNumber	attnum = plain_column(expr, relid);

	foreach(cell, root->parse->groupClause)
	{
		TargetEntry *tle = get_sortgroupclause_tle(lfirst(cell), root->parse->targetList);

		if (attnum != 0 && plain_column(tle->expr, relid) == attnum)
			return position;
		position++;
	}
	return -1;
}

/* One output: a GROUP BY column or a pushed aggregate; false when it is neither. */
static bool
append_output(StringInfo buf, Expr *expr, int n, PlannerInfo *root, RelOptInfo *baserel,
			  Relation rel, EsRelInfo *info)
{
	int			group = group_position(root, expr, baserel->relid);
	Aggref	   *agg = IsA(expr, Aggref) ? (Aggref *) expr : NULL;
	const char *kind = agg ? aggregate_kind(agg) : NULL;
	AttrNumber	attnum = 0;

	appendStringInfo(buf, "%s{\"name\":\"o%d\",", n == 0 ? "" : ",", n);
	if (group >= 0)
	{
		appendStringInfo(buf, "\"kind\":\"group\",\"group\":%d}", group);
		return true;
	}
	if (kind == NULL)
		return false;
	appendStringInfo(buf, "\"kind\":\"%s\"", kind);
	if (strcmp(kind, "count") != 0)
	{
		TargetEntry *arg;

		if (list_length(agg->args) != 1)
			return false;
		arg = linitial_node(TargetEntry, agg->args);
		attnum = plain_column(arg->expr, baserel->relid);
		if (attnum == 0 || !es_groupable_column(rel, info, attnum, InvalidOid))
			return false;
		appendStringInfoChar(buf, ',');
		append_field_and_type(buf, rel, info->opts, attnum);
	}
	appendStringInfoChar(buf, '}');
	return true;
}

/*
 * The "aggregate" object of a GROUP BY query on this foreign table, or NULL
 * when Elasticsearch cannot compute every output exactly.
 */
char *
es_aggregate_description(PlannerInfo *root, RelOptInfo *baserel, EsRelInfo *info, List *outputs)
{
	StringInfoData buf;
	Relation	rel = table_open(planner_rt_fetch(baserel->relid, root)->relid, NoLock);
	ListCell   *cell;
	int			n = 0;
	bool		ok;

	initStringInfo(&buf);
	appendStringInfoChar(&buf, '{');
	ok = append_group_by(&buf, root, baserel, rel, info);
	appendStringInfoString(&buf, ",\"outputs\":[");
	foreach(cell, outputs)
		ok = ok && append_output(&buf, lfirst(cell), n++, root, baserel, rel, info);
	appendStringInfoString(&buf, "]}");
	table_close(rel, NoLock);
	return ok ? buf.data : NULL;
}

/* Is this output the avg of an integer column, which Java answers as "sum/count"? */
static bool
is_integer_avg(Expr *expr)
{
	Oid			fn = IsA(expr, Aggref) ? ((Aggref *) expr)->aggfnoid : InvalidOid;

	return fn == F_AVG_INT2 || fn == F_AVG_INT4 || fn == F_AVG_INT8;
}

/*
 * The description's columns for the outputs of a scan target list: fields
 * "o<n>", their types ("text" for an integer avg: its "sum/count").
 */
char *
es_aggregate_columns(List *scan_tlist)
{
	StringInfoData buf;
	ListCell   *cell;
	int			n = 0;

	initStringInfo(&buf);
	appendStringInfoChar(&buf, '[');
	foreach(cell, scan_tlist)
	{
		TargetEntry *tle = lfirst_node(TargetEntry, cell);
		bool		is_array;
		const char *type = is_integer_avg(tle->expr) ? "text"
			: es_neutral_type(exprType((Node *) tle->expr), &is_array);

		appendStringInfo(&buf, "%s{\"name\":\"o%d\",\"field\":\"o%d\",\"type\":\"%s\",\"array\":false}",
						 n == 0 ? "" : ",", n, n, type ? type : "text");
		n++;
	}
	appendStringInfoChar(&buf, ']');
	return buf.data;
}

/* Which outputs of a scan target list are integer averages (palloc'd, one flag per output). */
bool *
es_aggregate_ratio_outputs(List *scan_tlist)
{
	bool	   *ratios = palloc0(sizeof(bool) * Max(list_length(scan_tlist), 1));
	ListCell   *cell;
	int			n = 0;

	foreach(cell, scan_tlist)
		ratios[n++] = is_integer_avg(lfirst_node(TargetEntry, cell)->expr);
	return ratios;
}

/*
 * avg of integers from Java's exact "sum/count", as PostgreSQL's int8_avg and
 * numeric_poly_avg compute it: numeric_div of the two.
 */
Datum
es_integer_avg(const char *text)
{
	const char *slash = strchr(text, '/');
	char	   *end;
	int64		sum;
	int64		count;

	errno = 0;
	sum = strtoi64(text, &end, 10);
	if (slash == NULL || end != slash || errno != 0)
		elog(ERROR, "es_fdw: malformed average \"%s\" from the Java module", text);
	count = strtoi64(slash + 1, &end, 10);
	if (*end != '\0' || errno != 0 || count <= 0)
		elog(ERROR, "es_fdw: malformed average \"%s\" from the Java module", text);
	return DirectFunctionCall2(numeric_div, NumericGetDatum(int64_to_numeric(sum)),
							   NumericGetDatum(int64_to_numeric(count)));
}
