/*-------------------------------------------------------------------------
 *
 * deparse.c
 *		Which WHERE clauses and sort keys Elasticsearch can evaluate with
 *		exactly PostgreSQL's semantics, and their neutral JSON description
 *		(docs/boundary.md, "Pushdown").
 *
 * Shippability is decided at plan time from the operator, the column's
 * type and collation, and the field's type in the index mapping: a rule
 * table (es_field_rules) says which column types may be compared with which
 * mapping types.  The JSON is built at execution (and for EXPLAIN), when
 * parameters have values.  No I/O here.
 *
 *-------------------------------------------------------------------------
 */
#include "es_fdw.h"

#include "optimizer/clauses.h"

#include "access/sysattr.h"
#include "catalog/pg_collation.h"
#include "catalog/pg_operator.h"
#include "catalog/pg_proc.h"
#include "catalog/pg_type.h"
#include "executor/executor.h"
#include "mb/pg_wchar.h"
#include "nodes/nodeFuncs.h"
#include "optimizer/optimizer.h"
#include "utils/array.h"
#include "utils/builtins.h"
#include "utils/date.h"
#include "utils/datetime.h"
#include "utils/timestamp.h"
#include "utils/json.h"
#include "utils/jsonb.h"
#include "utils/lsyscache.h"
#include "utils/numeric.h"
#include "utils/pg_locale.h"
#include "utils/rel.h"
#include "utils/syscache.h"

/* What a pushed operator means. */
typedef enum EsCmp
{
	CMP_EQ, CMP_NE, CMP_LT, CMP_LE, CMP_GT, CMP_GE, CMP_LIKE, CMP_ILIKE,
	CMP_NOT_LIKE, CMP_NOT_ILIKE, CMP_NONE
} EsCmp;

static const struct
{
	const char *opname;
	EsCmp		cmp;
	const char *json;			/* "cmp" value, or NULL for LIKE forms */
	EsCmp		commuted;		/* the meaning with the operands swapped */
}			es_operators[] = {
	{"=", CMP_EQ, "eq", CMP_EQ}, {"<>", CMP_NE, "ne", CMP_NE},
	{"<", CMP_LT, "lt", CMP_GT}, {"<=", CMP_LE, "le", CMP_GE},
	{">", CMP_GT, "gt", CMP_LT}, {">=", CMP_GE, "ge", CMP_LE},
	{"~~", CMP_LIKE, NULL, CMP_NONE}, {"~~*", CMP_ILIKE, NULL, CMP_NONE},
	{"!~~", CMP_NOT_LIKE, NULL, CMP_NONE}, {"!~~*", CMP_NOT_ILIKE, NULL, CMP_NONE},
	{NULL, CMP_NONE, NULL, CMP_NONE}
};

/*
 * Which neutral column types may be compared with which mapping types, and
 * whether ranges/sorts are allowed (text needs the C collation for those:
 * Elasticsearch orders keywords by bytes).
 */
static const struct
{
	const char *column_type;
	const char *es_types;		/* space-separated mapping types */
}			es_field_rules[] = {
	{"int2", " long integer short byte "},
	{"int4", " long integer short byte "},
	{"int8", " long integer short byte "},
	{"numeric", " long integer short byte "},
	{"float4", " float "},
	{"float8", " double "},
	{"bool", " boolean "},
	{"text", " keyword constant_keyword "},
	{"date", " date date_nanos "},
	{"timestamp", " date date_nanos "},
	{"timestamptz", " date date_nanos "},
	{NULL, NULL}
};

/* Mapping types on which "exists" (IS [NOT] NULL) agrees with a NULL column. */
static const char *const es_exists_types =
" long integer short byte double float half_float scaled_float boolean keyword constant_keyword"
" date date_nanos ip text ";

static EsCmp
operator_cmp(Oid opno, EsCmp *commuted, const char **json)
{
	char	   *name;
	int			i;

	if (opno >= FirstNormalObjectId)
		return CMP_NONE;		/* only built-in operators */
	name = get_opname(opno);
	for (i = 0; name && es_operators[i].opname; i++)
	{
		if (strcmp(name, es_operators[i].opname) == 0)
		{
			*commuted = es_operators[i].commuted;
			*json = es_operators[i].json;
			return es_operators[i].cmp;
		}
	}
	return CMP_NONE;
}

static bool
type_in_list(const char *es_type, const char *list)
{
	char	   *needle;

	if (es_type == NULL)
		return false;
	needle = psprintf(" %s ", es_type);
	return strstr(list, needle) != NULL;
}

static bool
rule_allows(const char *column_type, const char *es_type)
{
	int			i;

	for (i = 0; es_field_rules[i].column_type; i++)
	{
		if (strcmp(es_field_rules[i].column_type, column_type) == 0)
			return type_in_list(es_type, es_field_rules[i].es_types);
	}
	return false;
}

/* The mapping type of a field path, or NULL when unknown. */
static const char *
mapping_type(Jsonb *mapping, const char *field)
{
	JsonbValue	value;

	if (mapping == NULL ||
		getKeyJsonValueFromContainer(&mapping->root, field, strlen(field), &value) == NULL ||
		value.type != jbvString)
		return NULL;
	return pnstrdup(value.val.string.val, value.val.string.len);
}

/* A column reference of this relation, under any binary-compatible relabeling. */
static Var *
column_var(Expr *expr, Index relid)
{
	while (IsA(expr, RelabelType))
		expr = ((RelabelType *) expr)->arg;
	if (IsA(expr, Var) && ((Var *) expr)->varno == (int) relid &&
		((Var *) expr)->varattno > 0 && ((Var *) expr)->varlevelsup == 0)
		return (Var *) expr;
	return NULL;
}

/*
 * An expression of parameters (say $1::text, NEW.id::text in a trigger
 * function's generic plan): no column, nothing volatile, no subquery; so
 * one value for the whole scan, computed when it starts, like a parameter.
 * Without this a lookup by id written that way would be a search, which
 * does not see documents before Elasticsearch's refresh.
 */
static bool runtime_value(Expr *expr);

static bool
runtime_value(Expr *expr)
{
	return !IsA(expr, Const) && !IsA(expr, Param) && !IsA(expr, Var) && !IsA(expr, RelabelType) &&
		!IsA(expr, List) && !IsA(expr, RestrictInfo) &&
		!contain_var_clause((Node *) expr) && !contain_volatile_functions((Node *) expr) &&
		!contain_subplans((Node *) expr) && !contain_agg_clause((Node *) expr) &&
		!contain_window_function((Node *) expr);
}

/*
 * A constant, a parameter (or an expression of parameters), or a column of
 * another relation (the outer side of a parameterized join): a value known
 * by execution time.
 */
static Expr *
value_expr(Expr *expr)
{
	while (IsA(expr, RelabelType))
		expr = ((RelabelType *) expr)->arg;
	if (IsA(expr, Const) || IsA(expr, Param) ||
		(IsA(expr, Var) && ((Var *) expr)->varlevelsup == 0 && ((Var *) expr)->varattno > 0) ||
		runtime_value(expr))
		return expr;
	return NULL;
}

/* What the planner knows about one column of the foreign table. */
typedef struct ColumnInfo
{
	const char *type;			/* neutral type */
	bool		is_array;
	char	   *field;			/* ES field path */
	const char *es_type;		/* its mapping type, NULL if unknown */
} ColumnInfo;

static bool
column_info(Relation rel, EsRelInfo *info, AttrNumber attnum, ColumnInfo *col)
{
	Form_pg_attribute attr = TupleDescAttr(RelationGetDescr(rel), attnum - 1);

	col->type = es_column_neutral_type(attr, &col->is_array);
	if (col->type == NULL)
		return false;
	col->field = es_column_field_path(rel, attr, info->opts);
	col->es_type = mapping_type(info->mapping, col->field);
	return true;
}

/* Is the value's type one a column of neutral type "column_type" may be compared with? */
static bool
value_type_fits(const char *column_type, Expr *value)
{
	Oid			type = exprType((Node *) value);
	const char *value_type;
	bool		is_array;

	if (type == UNKNOWNOID)
		return strcmp(column_type, "text") == 0;
	value_type = es_neutral_type(type, &is_array);
	if (value_type == NULL || is_array)
		return false;
	if (strcmp(column_type, value_type) == 0)
		return true;
	/* integers compare with integers (cross-type operators are built in) */
	return strstr("int2 int4 int8", column_type) && strstr("int2 int4 int8", value_type);
}

/* Context of the shippability walk. */
typedef struct ShipContext
{
	Relation	rel;
	Index		relid;
	EsRelInfo  *info;
	bool		under_not;
	bool		top_level;		/* the clause itself, not inside AND/OR/NOT */
	bool		recheck;		/* set: also evaluate the clause locally */
} ShipContext;

static bool shippable(Expr *expr, ShipContext *ctx);
static bool value_pushable(Expr *value);
static bool const_renderable(Const *value);
static bool append_json_array(StringInfo buf, Const *array, bool as_strings);
typedef struct DeparseContext DeparseContext;
static List *without_sort_column(List *remote_conds, DeparseContext *ctx);

static bool
id_column(const ColumnInfo *col)
{
	return strcmp(col->field, "_id") == 0;
}

/*
 * The query_column and sort_column: pseudo-columns, only "column = 'text'"
 * at the top level (a full-text query; pg_es_fdw's "field:dir,…" sort).
 */
static bool
query_column(const ColumnInfo *col)
{
	return strcmp(col->field, "_query") == 0 || strcmp(col->field, "_sort") == 0;
}

/* Is this a call of es_fdw's es_match(column, text) (its C function, not a namesake)? */
static bool
is_es_match(FuncExpr *func)
{
	HeapTuple	tuple;
	bool		isnull;
	Datum		prosrc;
	Datum		probin;
	bool		ours = false;

	if (func->funcid < FirstNormalObjectId || list_length(func->args) != 2)
		return false;
	tuple = SearchSysCache1(PROCOID, ObjectIdGetDatum(func->funcid));
	if (!HeapTupleIsValid(tuple))
		return false;
	prosrc = SysCacheGetAttr(PROCOID, tuple, Anum_pg_proc_prosrc, &isnull);
	if (!isnull && strcmp(TextDatumGetCString(prosrc), "es_match") == 0)
	{
		probin = SysCacheGetAttr(PROCOID, tuple, Anum_pg_proc_probin, &isnull);
		ours = !isnull && strstr(TextDatumGetCString(probin), "es_fdw") != NULL;
	}
	ReleaseSysCache(tuple);
	return ours;
}

/* es_match(column, 'words'): a match query on the column's field; top level only. */
static bool
shippable_match(FuncExpr *func, ShipContext *ctx)
{
	Var		   *var = column_var(linitial(func->args), ctx->relid);
	Expr	   *value = value_expr(lsecond(func->args));
	ColumnInfo	col;

	return ctx->top_level && var && value &&
		column_info(ctx->rel, ctx->info, var->varattno, &col) && !id_column(&col) &&
		col.es_type != NULL && value_pushable(value);
}

/* A binary operator clause as column, meaning and value (the column on either side). */
typedef struct Comparison
{
	Var		   *var;
	EsCmp		cmp;
	const char *json;			/* the "cmp" name, NULL for LIKE forms */
	Expr	   *value;
} Comparison;

static bool
split_comparison(OpExpr *op, Index relid, Comparison *c)
{
	EsCmp		commuted;

	if (list_length(op->args) != 2)
		return false;
	c->cmp = operator_cmp(op->opno, &commuted, &c->json);
	c->var = column_var(linitial(op->args), relid);
	c->value = value_expr(lsecond(op->args));
	if (c->var == NULL && commuted != CMP_NONE)
	{
		c->var = column_var(lsecond(op->args), relid);
		c->value = value_expr(linitial(op->args));
		c->cmp = commuted;
		c->json = es_operators[commuted].json;
	}
	return c->cmp != CMP_NONE && c->var != NULL && c->value != NULL;
}

static bool
shippable_comparison(OpExpr *op, ShipContext *ctx)
{
	Comparison	c;
	EsCmp		cmp;
	Expr	   *value;
	ColumnInfo	col;

	if (!split_comparison(op, ctx->relid, &c) ||
		!column_info(ctx->rel, ctx->info, c.var->varattno, &col) || col.is_array)
		return false;
	cmp = c.cmp;
	value = c.value;
	if (!value_type_fits(col.type, value))
		return false;
	/* another relation's column: only an equality on the row id (a parameterized join) */
	if (IsA(value, Var))
		return ((Var *) value)->varno != (int) ctx->relid && id_column(&col) && cmp == CMP_EQ;
	if (query_column(&col))
		return ctx->top_level && cmp == CMP_EQ && value_pushable(value);
	if (id_column(&col))
		return cmp == CMP_EQ || cmp == CMP_NE;
	if (!rule_allows(col.type, col.es_type))
		return false;
	if (strcmp(col.type, "text") == 0)
	{
		if (!OidIsValid(op->inputcollid) || !get_collation_isdeterministic(op->inputcollid))
			return false;
		if (cmp != CMP_EQ && cmp != CMP_NE && cmp < CMP_LIKE && !lc_collate_is_c(op->inputcollid))
			return false;
		if (cmp == CMP_ILIKE || cmp == CMP_NOT_ILIKE)
			ctx->recheck = true;	/* ES's case folding is not lower()'s */
	}
	else if (cmp >= CMP_LIKE)
		return false;
	return value_pushable(value);
}

/* x = ANY('{…}') / x <> ALL('{…}') with a constant array, or 'v' = ANY(array_column). */
static bool
shippable_array_op(ScalarArrayOpExpr *op, ShipContext *ctx)
{
	EsCmp		commuted;
	const char *json;
	EsCmp		cmp = operator_cmp(op->opno, &commuted, &json);
	Var		   *var = column_var(linitial(op->args), ctx->relid);
	Expr	   *array = value_expr(lsecond(op->args));
	ColumnInfo	col;

	if (var == NULL)
	{
		/* 'v' = ANY(array_column): membership, never under NOT (NULL elements) */
		var = column_var(lsecond(op->args), ctx->relid);
		array = value_expr(linitial(op->args));
		return var && array && op->useOr && cmp == CMP_EQ && !ctx->under_not &&
			IsA(array, Const) && const_renderable((Const *) array) &&
			column_info(ctx->rel, ctx->info, var->varattno, &col) && col.is_array &&
			rule_allows(col.type, col.es_type) && value_type_fits(col.type, array) &&
			(strcmp(col.type, "text") != 0 || get_collation_isdeterministic(op->inputcollid));
	}
	if (array == NULL || !IsA(array, Const) || ((Const *) array)->constisnull ||
		!(op->useOr ? cmp == CMP_EQ : cmp == CMP_NE) ||
		!column_info(ctx->rel, ctx->info, var->varattno, &col) || col.is_array)
		return false;
	if (!const_renderable((Const *) array))
		return false;
	if (!id_column(&col) && !rule_allows(col.type, col.es_type))
		return false;
	if (strcmp(col.type, "text") == 0 && !get_collation_isdeterministic(op->inputcollid))
		return false;
	return es_neutral_type(get_element_type(exprType((Node *) array)), &col.is_array) != NULL;
}

static bool
shippable_null_test(NullTest *test, ShipContext *ctx)
{
	Var		   *var = column_var(test->arg, ctx->relid);
	ColumnInfo	col;

	return var && !test->argisrow &&
		column_info(ctx->rel, ctx->info, var->varattno, &col) && !col.is_array &&
		!id_column(&col) && type_in_list(col.es_type, es_exists_types);
}

static bool
shippable(Expr *expr, ShipContext *ctx)
{
	ListCell   *cell;
	Var		   *var;
	ColumnInfo	col;

	switch (nodeTag(expr))
	{
		case T_BoolExpr:
			{
				BoolExpr   *b = (BoolExpr *) expr;
				bool		saved = ctx->under_not;
				bool		saved_top = ctx->top_level;
				bool		ok = true;

				if (b->boolop == NOT_EXPR)
					ctx->under_not = !ctx->under_not;
				ctx->top_level = false;
				foreach(cell, b->args)
					ok = ok && shippable(lfirst(cell), ctx);
				ctx->under_not = saved;
				ctx->top_level = saved_top;
				return ok;
			}
		case T_FuncExpr:
			return is_es_match((FuncExpr *) expr) && shippable_match((FuncExpr *) expr, ctx);
		case T_OpExpr:
			return shippable_comparison((OpExpr *) expr, ctx);
		case T_ScalarArrayOpExpr:
			return shippable_array_op((ScalarArrayOpExpr *) expr, ctx);
		case T_NullTest:
			return shippable_null_test((NullTest *) expr, ctx);
		case T_Var:
			var = column_var(expr, ctx->relid);
			return var && column_info(ctx->rel, ctx->info, var->varattno, &col) &&
				strcmp(col.type, "bool") == 0 && !col.is_array &&
				rule_allows(col.type, col.es_type);
		default:
			return false;
	}
}

/*
 * The query_column has no value PostgreSQL could compare: a clause on it that
 * Elasticsearch cannot take (under OR or NOT) is refused rather than
 * silently matching nothing.
 */
static void
check_query_column_pushed(Expr *clause, Relation rel, Index relid, EsRelInfo *info)
{
	Bitmapset  *attrs = NULL;
	int			attnum = -1;

	if (info->opts->query_column == NULL && info->opts->sort_column == NULL)
		return;
	pull_varattnos((Node *) clause, relid, &attrs);
	while ((attnum = bms_next_member(attrs, attnum)) >= 0)
	{
		AttrNumber	col = attnum + FirstLowInvalidHeapAttributeNumber;
		ColumnInfo	info_col;

		if (col > 0 && column_info(rel, info, col, &info_col) && query_column(&info_col))
			ereport(ERROR,
					(errcode(ERRCODE_FEATURE_NOT_SUPPORTED),
					 errmsg("a condition on column \"%s\" must be sent to Elasticsearch",
							NameStr(TupleDescAttr(RelationGetDescr(rel), col - 1)->attname)),
					 errhint("Write it as %s = '...', ANDed with the rest of the WHERE clause "
							 "(not under OR or NOT).",
							 NameStr(TupleDescAttr(RelationGetDescr(rel), col - 1)->attname))));
	}
}

/* Is this join clause ("row id = other.column") one Elasticsearch can take, with a value per outer row? */
bool
es_shippable_join_clause(Expr *clause, Relation rel, Index relid, EsRelInfo *info)
{
	ShipContext ctx = {rel, relid, info, false, true, false};

	return IsA(clause, OpExpr) && shippable(clause, &ctx) && !ctx.recheck;
}

/* The Vars of other relations in pushed clauses, each once, in order. */
List *
es_outer_vars(List *remote_conds, Index relid)
{
	List	   *vars = pull_var_clause((Node *) remote_conds, PVC_RECURSE_PLACEHOLDERS);
	List	   *outer = NIL;
	ListCell   *cell;

	foreach(cell, vars)
	{
		Var		   *var = lfirst(cell);

		if (var->varno != (int) relid && !list_member(outer, var))
			outer = lappend(outer, var);
	}
	return outer;
}

/*
 * Sort the base relation's restriction clauses into those Elasticsearch
 * evaluates (info->remote_conds) and those PostgreSQL evaluates
 * (info->local_conds; a clause may be in both when it needs a recheck).
 */
void
es_classify_conditions(RelOptInfo *baserel, Relation rel, EsRelInfo *info)
{
	ListCell   *cell;

	info->remote_conds = NIL;
	info->local_conds = NIL;
	foreach(cell, baserel->baserestrictinfo)
	{
		RestrictInfo *ri = lfirst_node(RestrictInfo, cell);
		ShipContext ctx = {rel, baserel->relid, info, false, true, false};

		if (shippable(ri->clause, &ctx))
		{
			info->remote_conds = lappend(info->remote_conds, ri);
			if (ctx.recheck)
				info->local_conds = lappend(info->local_conds, ri);
		}
		else
		{
			check_query_column_pushed(ri->clause, rel, baserel->relid, info);
			info->local_conds = lappend(info->local_conds, ri);
		}
	}
}

/* Can Elasticsearch sort by this column the way PostgreSQL would? */
bool
es_sortable_column(Relation rel, EsRelInfo *info, AttrNumber attnum, Oid collation)
{
	ColumnInfo	col;

	if (!column_info(rel, info, attnum, &col) || col.is_array || id_column(&col))
		return false;
	if (strcmp(col.field, "_score") == 0)
		return true;
	if (!rule_allows(col.type, col.es_type))
		return false;
	return strcmp(col.type, "text") != 0 || (OidIsValid(collation) && lc_collate_is_c(collation));
}

/*
 * Can Elasticsearch group by (or aggregate) this column with PostgreSQL's
 * equality?  Text needs a deterministic collation.
 */
bool
es_groupable_column(Relation rel, EsRelInfo *info, AttrNumber attnum, Oid collation)
{
	ColumnInfo	col;

	if (!column_info(rel, info, attnum, &col) || col.is_array || id_column(&col) ||
		!rule_allows(col.type, col.es_type))
		return false;
	return strcmp(col.type, "text") != 0 ||
		(OidIsValid(collation) && get_collation_isdeterministic(collation));
}

/* ---------- JSON, at execution or EXPLAIN time ---------- */

struct DeparseContext
{
	StringInfo	buf;
	Relation	rel;
	Index		relid;
	EsTableOptions *opts;
	EsParamValues *params;		/* NULL for EXPLAIN: parameters print as "$n" */
};

static void deparse_expr(Expr *expr, DeparseContext *ctx);

/*
 * The current value of a Param or expression of parameters (runtime_value);
 * false when it is not available (EXPLAIN).
 */
static bool
param_value(Expr *param, DeparseContext *ctx, Datum *value, bool *isnull)
{
	ListCell   *pc;
	ListCell   *sc;

	if (ctx->params == NULL)
		return false;
	forboth(pc, ctx->params->param_exprs, sc, ctx->params->param_states)
	{
		if (equal(lfirst(pc), param))
		{
			*value = ExecEvalExpr(lfirst(sc), ctx->params->econtext, isnull);
			return true;
		}
	}
	elog(ERROR, "es_fdw: a parameter of a pushed clause has no value");
	return false;
}

/* The current value of an outer relation's column; false when not available (EXPLAIN). */
static bool
outer_value(Var *var, DeparseContext *ctx, Datum *value, bool *isnull)
{
	ListCell   *cell;
	int			i = 0;

	if (ctx->params == NULL)
		return false;
	foreach(cell, ctx->params->outer_vars)
	{
		if (equal(lfirst(cell), var))
		{
			*value = ExecEvalExpr(list_nth(ctx->params->param_states, ctx->params->outer_offset + i),
								  ctx->params->econtext, isnull);
			return true;
		}
		i++;
	}
	elog(ERROR, "es_fdw: a pushed join clause refers to a column with no value");
	return false;
}

/*
 * A datum as a JSON value in the form docs/boundary.md gives per type; false
 * (and JSON null) for NaN and infinities, which have no JSON form.
 */
static bool
append_json_datum(StringInfo buf, Datum value, Oid type)
{
	char		datebuf[MAXDATELEN + 1];
	char	   *text;
	Oid			out;
	bool		varlena;
	const int	utc = 0;

	switch (type)
	{
		case BOOLOID:
			appendStringInfoString(buf, DatumGetBool(value) ? "true" : "false");
			return true;
		case INT2OID:
		case INT4OID:
		case INT8OID:
		case FLOAT4OID:
		case FLOAT8OID:
		case NUMERICOID:
			getTypeOutputInfo(type, &out, &varlena);
			text = OidOutputFunctionCall(out, value);
			if (strspn(text, "0123456789.-+eE") != strlen(text))
				break;
			appendStringInfoString(buf, text);
			return true;
		case DATEOID:
		case TIMESTAMPOID:
		case TIMESTAMPTZOID:
			if ((type == DATEOID && DATE_NOT_FINITE(DatumGetDateADT(value))) ||
				(type != DATEOID && TIMESTAMP_NOT_FINITE(DatumGetTimestamp(value))))
				break;
			text = JsonEncodeDateTime(datebuf, value, type, type == TIMESTAMPTZOID ? &utc : NULL);
			if (type == TIMESTAMPTZOID && strcmp(text + strlen(text) - 6, "+00:00") == 0)
				strcpy(text + strlen(text) - 6, "Z");
			escape_json(buf, text);
			return true;
		default:
			getTypeOutputInfo(type, &out, &varlena);
			text = OidOutputFunctionCall(out, value);
			escape_json(buf, pg_server_to_any(text, strlen(text), PG_UTF8));
			return true;
	}
	appendStringInfoString(buf, "null");
	return false;
}

/* Has this constant (or every element of this constant array) a JSON form? */
static bool
const_renderable(Const *value)
{
	StringInfoData scratch;
	Oid			element = get_element_type(value->consttype);

	initStringInfo(&scratch);
	if (value->constisnull)
		return false;
	if (OidIsValid(element))
		return append_json_array(&scratch, value, false);
	return append_json_datum(&scratch, value->constvalue, value->consttype);
}

/*
 * Can this value operand be pushed?  Constants must have a JSON form;
 * parameters only of types that always have one (a NaN or infinite
 * parameter would otherwise turn a comparison into UNKNOWN).
 */
static bool
value_pushable(Expr *value)
{
	Oid			type = exprType((Node *) value);

	if (IsA(value, Var))
		return type == TEXTOID || type == VARCHAROID || type == INT2OID || type == INT4OID ||
			type == INT8OID;

	if (IsA(value, Const))
		return const_renderable((Const *) value);
	return type == BOOLOID || type == INT2OID || type == INT4OID || type == INT8OID ||
		type == TEXTOID || type == VARCHAROID || type == UNKNOWNOID;
}

/*
 * A value operand as JSON into buf; false when it is SQL NULL (the clause is
 * then UNKNOWN).  In EXPLAIN a parameter prints as "$n".
 */
static bool
deparse_value(Expr *expr, DeparseContext *ctx, StringInfo buf)
{
	Datum		value;
	bool		isnull = false;

	if (IsA(expr, Const))
	{
		value = ((Const *) expr)->constvalue;
		isnull = ((Const *) expr)->constisnull;
	}
	else if (IsA(expr, Var))
	{
		if (!outer_value((Var *) expr, ctx, &value, &isnull))
		{
			appendStringInfoString(buf, "\"$outer\"");
			return true;
		}
	}
	else if (!param_value(expr, ctx, &value, &isnull))
	{
		if (IsA(expr, Param))
			appendStringInfo(buf, "\"$%d\"", ((Param *) expr)->paramid);
		else
			appendStringInfoString(buf, "\"$expression\"");
		return true;
	}
	return !isnull && append_json_datum(buf, value, exprType((Node *) expr));
}

/* "field":"…"[,"type":"…"] of a column. */
static void
append_field(DeparseContext *ctx, AttrNumber attnum, bool with_type)
{
	Form_pg_attribute attr = TupleDescAttr(RelationGetDescr(ctx->rel), attnum - 1);
	bool		is_array;

	appendStringInfoString(ctx->buf, "\"field\":");
	escape_json(ctx->buf, es_column_field_path(ctx->rel, attr, ctx->opts));
	if (with_type)
		appendStringInfo(ctx->buf, ",\"type\":\"%s\"", es_column_neutral_type(attr, &is_array));
}

static bool
field_is(DeparseContext *ctx, AttrNumber attnum, const char *field)
{
	Form_pg_attribute attr = TupleDescAttr(RelationGetDescr(ctx->rel), attnum - 1);

	return strcmp(es_column_field_path(ctx->rel, attr, ctx->opts), field) == 0;
}

static bool
is_id_column(DeparseContext *ctx, AttrNumber attnum)
{
	return field_is(ctx, attnum, "_id");
}

static void
deparse_match(FuncExpr *func, DeparseContext *ctx)
{
	StringInfoData value;

	initStringInfo(&value);
	if (!deparse_value(value_expr(lsecond(func->args)), ctx, &value))
	{
		appendStringInfoString(ctx->buf, "{\"op\":\"unknown\"}");
		return;
	}
	appendStringInfoString(ctx->buf, "{\"op\":\"match\",");
	append_field(ctx, column_var(linitial(func->args), ctx->relid)->varattno, false);
	appendStringInfo(ctx->buf, ",\"query\":%s}", value.data);
}

static void
deparse_comparison(OpExpr *op, DeparseContext *ctx)
{
	Comparison	c;
	StringInfoData value;
	bool		negated;

	if (!split_comparison(op, ctx->relid, &c))
		elog(ERROR, "es_fdw: a pushed clause is not a comparison");
	initStringInfo(&value);
	if (!deparse_value(c.value, ctx, &value))
	{
		appendStringInfoString(ctx->buf, "{\"op\":\"unknown\"}");
		return;
	}
	negated = (c.cmp == CMP_NE || c.cmp == CMP_NOT_LIKE || c.cmp == CMP_NOT_ILIKE);
	if (field_is(ctx, c.var->varattno, "_query"))
		appendStringInfo(ctx->buf, "{\"op\":\"%s\",\"query\":%s}",
						 ctx->opts->query_dsl ? "dsl" : "query_string", value.data);
	else if (is_id_column(ctx, c.var->varattno))
	{
		/* _id is a string in Elasticsearch, whatever the column's type */
		appendStringInfo(ctx->buf, "%s{\"op\":\"ids\",\"values\":[", negated ? "{\"op\":\"not\",\"arg\":" : "");
		if (value.data[0] == '"')
			appendStringInfoString(ctx->buf, value.data);
		else
			escape_json(ctx->buf, value.data);
		appendStringInfo(ctx->buf, "]}%s", negated ? "}" : "");
	}
	else if (c.cmp >= CMP_LIKE)
	{
		appendStringInfo(ctx->buf, "%s{\"op\":\"like\",", negated ? "{\"op\":\"not\",\"arg\":" : "");
		append_field(ctx, c.var->varattno, false);
		appendStringInfo(ctx->buf, ",\"pattern\":%s,\"case_insensitive\":%s}%s", value.data,
						 (c.cmp == CMP_ILIKE || c.cmp == CMP_NOT_ILIKE) ? "true" : "false",
						 negated ? "}" : "");
	}
	else
	{
		appendStringInfo(ctx->buf, "{\"op\":\"cmp\",\"cmp\":\"%s\",", c.json);
		append_field(ctx, c.var->varattno, true);
		appendStringInfo(ctx->buf, ",\"value\":%s}", value.data);
	}
}

/*
 * The elements of a constant array as a JSON array (of strings, for _id);
 * false when an element is NULL or has no JSON form.
 */
static bool
append_json_array(StringInfo buf, Const *array, bool as_strings)
{
	ArrayType  *arr = DatumGetArrayTypeP(array->constvalue);
	Oid			element = ARR_ELEMTYPE(arr);
	int16		typlen;
	bool		typbyval;
	char		typalign;
	Datum	   *values;
	bool	   *nulls;
	int			n;
	int			i;

	get_typlenbyvalalign(element, &typlen, &typbyval, &typalign);
	deconstruct_array(arr, element, typlen, typbyval, typalign, &values, &nulls, &n);
	appendStringInfoChar(buf, '[');
	for (i = 0; i < n; i++)
	{
		StringInfoData item;

		initStringInfo(&item);
		if (nulls[i] || !append_json_datum(&item, values[i], element))
			return false;
		if (i > 0)
			appendStringInfoChar(buf, ',');
		if (as_strings && item.data[0] != '"')
			escape_json(buf, item.data);
		else
			appendStringInfoString(buf, item.data);
	}
	appendStringInfoChar(buf, ']');
	return true;
}

static void
deparse_array_op(ScalarArrayOpExpr *op, DeparseContext *ctx)
{
	Var		   *var = column_var(linitial(op->args), ctx->relid);
	Const	   *array;

	if (var == NULL)
	{
		/* 'v' = ANY(array_column) */
		StringInfoData value;

		var = column_var(lsecond(op->args), ctx->relid);
		initStringInfo(&value);
		deparse_value(value_expr(linitial(op->args)), ctx, &value);
		appendStringInfoString(ctx->buf, "{\"op\":\"array_contains\",");
		append_field(ctx, var->varattno, true);
		appendStringInfo(ctx->buf, ",\"value\":%s}", value.data);
		return;
	}
	array = (Const *) value_expr(lsecond(op->args));
	if (!op->useOr)
		appendStringInfoString(ctx->buf, "{\"op\":\"not\",\"arg\":");
	if (is_id_column(ctx, var->varattno))
		appendStringInfoString(ctx->buf, "{\"op\":\"ids\",\"values\":");
	else
	{
		appendStringInfoString(ctx->buf, "{\"op\":\"in\",");
		append_field(ctx, var->varattno, true);
		appendStringInfoString(ctx->buf, ",\"values\":");
	}
	(void) append_json_array(ctx->buf, array, is_id_column(ctx, var->varattno));	/* checked at plan time */
	appendStringInfoString(ctx->buf, op->useOr ? "}" : "}}");
}

static void
deparse_bool_expr(BoolExpr *b, DeparseContext *ctx)
{
	ListCell   *cell;

	if (b->boolop == NOT_EXPR)
	{
		appendStringInfoString(ctx->buf, "{\"op\":\"not\",\"arg\":");
		deparse_expr(linitial(b->args), ctx);
		appendStringInfoChar(ctx->buf, '}');
		return;
	}
	appendStringInfo(ctx->buf, "{\"op\":\"%s\",\"args\":[", b->boolop == AND_EXPR ? "and" : "or");
	foreach(cell, b->args)
	{
		if (cell != list_head(b->args))
			appendStringInfoChar(ctx->buf, ',');
		deparse_expr(lfirst(cell), ctx);
	}
	appendStringInfoString(ctx->buf, "]}");
}

static void
deparse_expr(Expr *expr, DeparseContext *ctx)
{
	switch (nodeTag(expr))
	{
		case T_BoolExpr:
			deparse_bool_expr((BoolExpr *) expr, ctx);
			break;
		case T_OpExpr:
			deparse_comparison((OpExpr *) expr, ctx);
			break;
		case T_FuncExpr:
			deparse_match((FuncExpr *) expr, ctx);
			break;
		case T_ScalarArrayOpExpr:
			deparse_array_op((ScalarArrayOpExpr *) expr, ctx);
			break;
		case T_NullTest:
			appendStringInfo(ctx->buf, "{\"op\":\"%s\",",
							 ((NullTest *) expr)->nulltesttype == IS_NULL ? "is_null" : "is_not_null");
			append_field(ctx, column_var(((NullTest *) expr)->arg, ctx->relid)->varattno, false);
			appendStringInfoChar(ctx->buf, '}');
			break;
		case T_Var:
			appendStringInfoString(ctx->buf, "{\"op\":\"cmp\",\"cmp\":\"eq\",");
			append_field(ctx, ((Var *) expr)->varattno, true);
			appendStringInfoString(ctx->buf, ",\"value\":true}");
			break;
		default:
			elog(ERROR, "es_fdw: cannot describe pushed clause of node type %d", (int) nodeTag(expr));
	}
}

/*
 * "query":{…} for the pushed clauses (a list of RestrictInfo or Expr,
 * ANDed), or nothing when there are none.
 */
void
es_append_query(StringInfo buf, List *remote_conds, Relation rel, Index relid,
				EsTableOptions *opts, EsParamValues *params)
{
	DeparseContext ctx = {buf, rel, relid, opts, params};
	ListCell   *cell;

	remote_conds = without_sort_column(remote_conds, &ctx);
	if (remote_conds == NIL)
		return;
	appendStringInfoString(buf, ",\"query\":");
	if (list_length(remote_conds) > 1)
		appendStringInfoString(buf, "{\"op\":\"and\",\"args\":[");
	foreach(cell, remote_conds)
	{
		Expr	   *clause = lfirst(cell);

		if (IsA(clause, RestrictInfo))
			clause = ((RestrictInfo *) clause)->clause;
		if (cell != list_head(remote_conds))
			appendStringInfoChar(buf, ',');
		deparse_expr(clause, &ctx);
	}
	if (list_length(remote_conds) > 1)
		appendStringInfoString(buf, "]}");
}

/* A datum of any type as text, through its type's output function. */
static char *
datum_text(Datum value, Oid type)
{
	Oid			out;
	bool		varlena;

	getTypeOutputInfo(type, &out, &varlena);
	return OidOutputFunctionCall(out, value);
}

/*
 * The value of the pushed "sort_column = 'field:dir,…'" clause, as a C
 * string (NULL when there is none, when it is NULL, or in EXPLAIN before a
 * parameter has a value).
 */
char *
es_sort_column_value(List *remote_conds, Relation rel, Index relid, EsTableOptions *opts,
					 EsParamValues *params)
{
	DeparseContext ctx = {NULL, rel, relid, opts, params};
	ListCell   *cell;

	foreach(cell, remote_conds)
	{
		Expr	   *clause = lfirst(cell);
		Comparison	c;
		Datum		value;
		bool		isnull = false;

		if (IsA(clause, RestrictInfo))
			clause = ((RestrictInfo *) clause)->clause;
		if (!IsA(clause, OpExpr) || !split_comparison((OpExpr *) clause, relid, &c) ||
			!field_is(&ctx, c.var->varattno, "_sort"))
			continue;
		if (IsA(c.value, Const))
		{
			value = ((Const *) c.value)->constvalue;
			isnull = ((Const *) c.value)->constisnull;
		}
		else if (IsA(c.value, Var) || !param_value(c.value, &ctx, &value, &isnull))
			return NULL;		/* EXPLAIN of a generic plan: the value is not known yet */
		return isnull ? NULL : datum_text(value, exprType((Node *) c.value));
	}
	return NULL;
}

/* The pushed clauses that filter: all but the sort_column's. */
static List *
without_sort_column(List *remote_conds, DeparseContext *ctx)
{
	List	   *filters = NIL;
	ListCell   *cell;

	foreach(cell, remote_conds)
	{
		Expr	   *clause = lfirst(cell);
		Comparison	c;

		if (IsA(clause, RestrictInfo))
			clause = ((RestrictInfo *) clause)->clause;
		if (IsA(clause, OpExpr) && split_comparison((OpExpr *) clause, ctx->relid, &c) &&
			field_is(ctx, c.var->varattno, "_sort"))
			continue;
		filters = lappend(filters, lfirst(cell));
	}
	return filters;
}

/* Collect the Params and expressions of parameters of the pushed clauses (they go into fdw_exprs). */
static bool
collect_params(Node *node, List **params)
{
	if (node == NULL)
		return false;
	if (IsA(node, Param) || runtime_value((Expr *) node))
	{
		*params = list_append_unique(*params, node);
		return false;
	}
	return expression_tree_walker(node, collect_params, params);
}

List *
es_pushed_params(List *remote_conds)
{
	List	   *params = NIL;

	(void) collect_params((Node *) remote_conds, &params);
	return params;
}
