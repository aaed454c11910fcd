/*-------------------------------------------------------------------------
 *
 * modify.c
 *		INSERT, UPDATE, DELETE, COPY and TRUNCATE through a foreign table, and
 *		the transaction hooks that make them transactional.
 *
 * Each written row becomes one action (index, create, update or delete of a
 * document, docs/boundary.md "Writes") encoded here as its JSON document;
 * the actions of a statement go to Java in batches, which sends them with
 * _bulk: at PRE_COMMIT by default (so a rolled-back transaction or
 * savepoint never reaches Elasticsearch), or during the statement with
 * write_mode 'immediate'.
 *
 * The row identity is the rowid column (_id).  UPDATE and DELETE read it
 * as a junk column of the scan; UPDATE also gets the whole old row from
 * PostgreSQL, so RETURNING and triggers see every column.
 *
 *-------------------------------------------------------------------------
 */
#include "es_fdw.h"

#include <math.h>

#include "access/table.h"
#include "access/xact.h"
#include "catalog/pg_type.h"
#include "commands/defrem.h"
#include "common/base64.h"
#include "common/shortest_dec.h"
#include "executor/executor.h"
#include "mb/pg_wchar.h"
#include "miscadmin.h"
#include "nodes/makefuncs.h"
#include "optimizer/appendinfo.h"
#include "parser/parse_coerce.h"
#include "parser/parsetree.h"
#include "utils/builtins.h"
#include "utils/date.h"
#include "utils/datetime.h"
#include "utils/inval.h"
#include "utils/json.h"
#include "utils/jsonb.h"
#include "utils/lsyscache.h"
#include "utils/memutils.h"
#include "utils/rel.h"
#include "utils/syscache.h"

/* Transaction events of Bridge.transactionEvent. */
#define TX_PRE_COMMIT	0
#define TX_END			1
#define TX_SUB_COMMIT	2
#define TX_SUB_ABORT	3

/* Actions handed to Java at once at most, bounding the C buffer. */
#define ACTIONS_PER_CALL 1000

/* Indexes into the fdw_private list of PlanForeignModify. */
enum EsModifyPrivate
{
	EsModifyPrivateTargetAttrs,	/* IntList: UPDATE's changed columns */
};

/* A column written into documents: its attnum and its field path split at dots. */
typedef struct DocColumn
{
	AttrNumber	attnum;
	int			depth;			/* path segments */
	char	  **segments;
	const char *type;			/* neutral type (docs/boundary.md) */
	bool		is_array;
	Oid			typid;
} DocColumn;

typedef struct EsModifyState
{
	Relation	rel;
	EsTableOptions *opts;
	CmdType		operation;
	int64		writer;			/* Java writer handle */
	bool		cached_writer;	/* kept for the transaction (write_mode 'transaction') */
	AttrNumber	rowid_attnum;	/* the rowid column, 0 if the table has none */
	AttrNumber	routing_attnum; /* a column with field _routing, or 0 */
	AttrNumber	seq_no_attnum;	/* columns with fields _seq_no and _primary_term (both or neither), or 0 */
	AttrNumber	primary_term_attnum;
	int			rowid_junk;		/* UPDATE/DELETE: resno of the row id in the plan's output */
	int			oldrow_junk;	/* DELETE … RETURNING: resno of the whole old row, or 0 */
	bool		one_row;		/* INSERT … VALUES of one row (a trigger's): nothing to batch */
	DocColumn  *columns;		/* document columns, sorted by field path */
	int			ncolumns;
	Bitmapset  *changed;		/* UPDATE in partial mode: the changed attnums */
	FmgrInfo   *out_funcs;		/* output functions, by attnum - 1 */
	StringInfoData actions;		/* encoded actions not yet handed to Java */
	int			nactions;
	MemoryContext row_cxt;		/* per-row encoding memory */
	MemoryContextCallback cleanup;
} EsModifyState;

/* Writers of write_mode 'transaction' kept for the transaction, by table and user. */
/*
 * What the statements of a transaction that write one table (as one user)
 * share: options, document columns, the Java writer.  A row trigger that
 * writes to a foreign table starts a statement per row, which then costs no
 * catalog lookups and no JNI call to open a writer.
 */
typedef struct CachedTarget
{
	Oid			relid;
	Oid			userid;
	EsModifyState proto;		/* the per-table fields filled */
} CachedTarget;

static List *cached_targets = NIL;	/* in writes_cxt */
static MemoryContext writes_cxt = NULL; /* reset at the end of each transaction */
static bool xact_has_writes = false;	/* actions went to Java's pending writes */

/*
 * Actions of write_mode 'transaction' held in C between statements, so a
 * row trigger's one-row statements cost no JNI call each: handed to Java
 * (one writer's at a time) every ACTIONS_PER_CALL actions, before a scan
 * (whose reads by id must see them), a TRUNCATE, and at PRE_COMMIT.  A
 * rolled-back savepoint cuts its actions off here; a released one relabels
 * them (their nesting level is in each action, at offset + 1).
 */
typedef struct HeldActions
{
	StringInfoData data;		/* encoded actions, in TopMemoryContext */
	int			count;
	int64		writer;			/* the Java writer they belong to */
	int			complete_len;	/* bytes of whole actions (an error may leave a part) */
	int		   *offsets;		/* where each action starts in data */
	int			capacity;
} HeldActions;

static HeldActions held = {{NULL, 0, 0, 0}, 0, 0, 0, NULL, 0};

/* ----- transaction hooks ----- */

static void
discard_held_actions(void)
{
	if (held.data.data != NULL)
		resetStringInfo(&held.data);
	held.count = 0;
	held.complete_len = 0;
	held.writer = 0;
}

static int32
held_nest(int i)
{
	uint32		n;

	memcpy(&n, held.data.data + held.offsets[i] + 1, 4);
	return (int32) pg_ntoh32(n);
}

static void
set_held_nest(int i, int32 nest)
{
	uint32		n = pg_hton32((uint32) nest);

	memcpy(held.data.data + held.offsets[i] + 1, &n, 4);
}

/* Hand count encoded actions to a Java writer as one batch: the count, then the actions (may raise). */
static void
write_batch(int64 writer, int count, const char *actions, int len, bool statement_end)
{
	StringInfoData batch;
	uint32		n = pg_hton32((uint32) count);

	initStringInfo(&batch);
	appendBinaryStringInfo(&batch, (char *) &n, 4);
	appendBinaryStringInfo(&batch, actions, len);
	es_bridge_write(writer, batch.data, batch.len, statement_end);
	pfree(batch.data);
}

/* Hand the held actions to Java (may raise). */
void
es_flush_held_writes(void)
{
	if (held.count == 0)
		return;
	write_batch(held.writer, held.count, held.data.data, held.complete_len, false);
	xact_has_writes = true;
	discard_held_actions();
}

static void
forget_cached_writers(void)
{
	cached_targets = NIL;
	if (writes_cxt != NULL)
		MemoryContextReset(writes_cxt);
}

static void
es_xact_callback(XactEvent event, void *arg)
{
	switch (event)
	{
		case XACT_EVENT_PRE_COMMIT:
			es_flush_held_writes();
			if (xact_has_writes)
				es_bridge_transaction_event(TX_PRE_COMMIT, 0);
			break;
		case XACT_EVENT_PRE_PREPARE:
			if (xact_has_writes || held.count > 0)
				ereport(ERROR,
						(errcode(ERRCODE_FEATURE_NOT_SUPPORTED),
						 errmsg("cannot PREPARE a transaction that has written to Elasticsearch"),
						 errhint("Elasticsearch has no two-phase commit; use write_mode 'immediate' or commit normally.")));
			break;
		case XACT_EVENT_COMMIT:
		case XACT_EVENT_ABORT:
		case XACT_EVENT_PARALLEL_COMMIT:
		case XACT_EVENT_PARALLEL_ABORT:
			if (es_bridge_running() && (xact_has_writes || cached_targets != NIL))
				es_bridge_quietly(false, 0, TX_END, 0);
			xact_has_writes = false;
			discard_held_actions();
			forget_cached_writers();
			break;
		default:
			break;
	}
}

static void
es_subxact_callback(SubXactEvent event, SubTransactionId mySubid, SubTransactionId parentSubid, void *arg)
{
	int			level = GetCurrentTransactionNestLevel();
	int			i;

	if (event == SUBXACT_EVENT_COMMIT_SUB)
	{
		for (i = 0; i < held.count; i++)
		{
			if (held_nest(i) >= level)
				set_held_nest(i, level - 1);
		}
		if (xact_has_writes)
			es_bridge_transaction_event(TX_SUB_COMMIT, level);
	}
	else if (event == SUBXACT_EVENT_ABORT_SUB)
	{
		/* held actions only ever go deeper between flushes: the aborted ones are a suffix */
		for (i = 0; i < held.count; i++)
		{
			if (held_nest(i) >= level)
			{
				held.complete_len = held.offsets[i];
				held.count = i;
				break;
			}
		}
		if (held.data.data != NULL)
		{
			held.data.len = held.complete_len;	/* and a part an error left */
			held.data.data[held.data.len] = '\0';
		}
		if (xact_has_writes)
			es_bridge_quietly(false, 0, TX_SUB_ABORT, level);
	}
}

/*
 * Options, columns or user mappings changed: later statements make their
 * targets anew.  The memory stays until the transaction ends, as a running
 * statement may still point into it (invalidations arrive mid-statement).
 */
static void
es_options_invalidated(Datum arg, int cacheid, uint32 hashvalue)
{
	cached_targets = NIL;
}

void
es_modify_init(void)
{
	RegisterXactCallback(es_xact_callback, NULL);
	RegisterSubXactCallback(es_subxact_callback, NULL);
	CacheRegisterSyscacheCallback(FOREIGNSERVEROID, es_options_invalidated, (Datum) 0);
	CacheRegisterSyscacheCallback(FOREIGNTABLEREL, es_options_invalidated, (Datum) 0);
	CacheRegisterSyscacheCallback(USERMAPPINGOID, es_options_invalidated, (Datum) 0);
	CacheRegisterSyscacheCallback(ATTNUM, es_options_invalidated, (Datum) 0);
}

/* ----- the row identity ----- */

/* The rowid column's attnum, or 0. */
static AttrNumber
rowid_attnum(Relation rel, EsTableOptions *opts)
{
	TupleDesc	tupdesc = RelationGetDescr(rel);
	int			i;

	for (i = 0; i < tupdesc->natts; i++)
	{
		Form_pg_attribute attr = TupleDescAttr(tupdesc, i);

		if (!attr->attisdropped && strcmp(es_column_field_path(rel, attr, opts), "_id") == 0)
			return attr->attnum;
	}
	return 0;
}

/* Does the table have _seq_no and _primary_term columns (optimistic concurrency)? */
static bool
has_version_columns(Relation rel, EsTableOptions *opts)
{
	TupleDesc	tupdesc = RelationGetDescr(rel);
	int			found = 0;
	int			i;

	for (i = 0; i < tupdesc->natts; i++)
	{
		Form_pg_attribute attr = TupleDescAttr(tupdesc, i);
		char	   *field;

		if (attr->attisdropped || attr->atttypid != INT8OID)
			continue;
		field = es_column_field_path(rel, attr, opts);
		if (strcmp(field, "_seq_no") == 0 || strcmp(field, "_primary_term") == 0)
			found++;
	}
	return found == 2;
}

void
esAddForeignUpdateTargets(PlannerInfo *root, Index rtindex, RangeTblEntry *target_rte,
						  Relation target_relation)
{
	EsTableOptions *opts = es_get_table_options(RelationGetRelid(target_relation), GetUserId());
	AttrNumber	attnum = rowid_attnum(target_relation, opts);
	Form_pg_attribute attr;

	if (attnum == 0)
		ereport(ERROR,
				(errcode(ERRCODE_FDW_COLUMN_NAME_NOT_FOUND),
				 errmsg("foreign table \"%s\" has no row id column, so its rows cannot be updated or deleted",
						RelationGetRelationName(target_relation)),
				 errhint("Add a column named \"%s\" (the table's rowid_column option), or give a column the option field '_id'.",
						 opts->rowid_column)));
	attr = TupleDescAttr(RelationGetDescr(target_relation), attnum - 1);
	add_row_identity_var(root, makeVar(rtindex, attnum, attr->atttypid, attr->atttypmod, attr->attcollation, 0),
						 rtindex, "es_rowid");
	/* DELETE … RETURNING returns the row as the scan read it; a versioned table's DELETE needs its version */
	if (root->parse->commandType == CMD_DELETE &&
		(root->parse->returningList != NIL || has_version_columns(target_relation, opts)))
		add_row_identity_var(root, (Var *) makeWholeRowVar(target_rte, rtindex, 0, false), rtindex, "es_oldrow");
}

List *
esPlanForeignModify(PlannerInfo *root, ModifyTable *plan, Index resultRelation, int subplan_index)
{
	RangeTblEntry *rte = planner_rt_fetch(resultRelation, root);
	List	   *changed = NIL;

	if (plan->operation == CMD_UPDATE)
	{
		Relation	rel = table_open(rte->relid, NoLock);
		EsTableOptions *opts = es_get_table_options(rte->relid, GetUserId());
		Bitmapset  *cols = bms_union(rte->updatedCols, rte->extraUpdatedCols);
		int			col = -1;

		while ((col = bms_next_member(cols, col)) >= 0)
		{
			AttrNumber	attnum = col + FirstLowInvalidHeapAttributeNumber;
			char	   *field;

			if (attnum <= InvalidAttrNumber)
				continue;
			field = es_column_field_path(rel, TupleDescAttr(RelationGetDescr(rel), attnum - 1), opts);
			if (strcmp(field, "_id") == 0)
				ereport(ERROR,
						(errcode(ERRCODE_FEATURE_NOT_SUPPORTED),
						 errmsg("cannot change the row id column \"%s\" of foreign table \"%s\"",
								get_attname(rte->relid, attnum, false), RelationGetRelationName(rel)),
						 errhint("An Elasticsearch document keeps its _id: DELETE it and INSERT it with the new id.")));
			changed = lappend_int(changed, attnum);
		}
		table_close(rel, NoLock);
	}
	return list_make1(changed);
}

/* ----- the documents ----- */

/* Is the column written into documents? (_id, _routing and other metadata fields are not.) */
static bool
document_field(const char *field)
{
	return field[0] != '_';
}

static int
compare_columns(const void *a, const void *b)
{
	const DocColumn *x = a;
	const DocColumn *y = b;
	int			i;

	for (i = 0; i < x->depth && i < y->depth; i++)
	{
		int			c = strcmp(x->segments[i], y->segments[i]);

		if (c != 0)
			return c;
	}
	return x->depth - y->depth;
}

/* The document columns, sorted by path so that objects nest; a path used twice or as both value and object is refused. */
static void
prepare_columns(EsModifyState *state)
{
	TupleDesc	tupdesc = RelationGetDescr(state->rel);
	int			i;

	state->columns = palloc0(sizeof(DocColumn) * Max(tupdesc->natts, 1));
	state->out_funcs = palloc0(sizeof(FmgrInfo) * Max(tupdesc->natts, 1));
	for (i = 0; i < tupdesc->natts; i++)
	{
		Form_pg_attribute attr = TupleDescAttr(tupdesc, i);
		char	   *field;
		DocColumn  *col;
		Oid			outfunc;
		bool		varlena;
		List	   *parts = NIL;
		char	   *copy;
		char	   *part;
		ListCell   *cell;
		int			n = 0;

		if (attr->attisdropped)
			continue;
		getTypeOutputInfo(attr->atttypid, &outfunc, &varlena);
		fmgr_info(outfunc, &state->out_funcs[i]);
		field = es_column_field_path(state->rel, attr, state->opts);
		if (strcmp(field, "_routing") == 0)
			state->routing_attnum = attr->attnum;
		else if (strcmp(field, "_seq_no") == 0 && attr->atttypid == INT8OID)
			state->seq_no_attnum = attr->attnum;
		else if (strcmp(field, "_primary_term") == 0 && attr->atttypid == INT8OID)
			state->primary_term_attnum = attr->attnum;
		if (!document_field(field))
			continue;
		col = &state->columns[state->ncolumns++];
		col->attnum = attr->attnum;
		col->typid = attr->atttypid;
		col->type = es_column_neutral_type(attr, &col->is_array);
		if (col->type == NULL)
			col->type = "text"; /* any other type is written as its text */
		copy = pstrdup(field);
		for (part = strtok(copy, "."); part; part = strtok(NULL, "."))
			parts = lappend(parts, part);
		col->depth = list_length(parts);
		col->segments = palloc(sizeof(char *) * Max(col->depth, 1));
		foreach(cell, parts)
			col->segments[n++] = lfirst(cell);
		if (col->depth == 0)
			ereport(ERROR,
					(errcode(ERRCODE_FDW_INVALID_OPTION_NAME),
					 errmsg("column \"%s\" of foreign table \"%s\" has an empty field path",
							NameStr(attr->attname), RelationGetRelationName(state->rel))));
	}
	if (state->seq_no_attnum == 0 || state->primary_term_attnum == 0)
		state->seq_no_attnum = state->primary_term_attnum = 0;
	qsort(state->columns, state->ncolumns, sizeof(DocColumn), compare_columns);
	for (i = 1; i < state->ncolumns; i++)
	{
		DocColumn  *a = &state->columns[i - 1];
		DocColumn  *b = &state->columns[i];
		int			d;

		for (d = 0; d < a->depth && d < b->depth && strcmp(a->segments[d], b->segments[d]) == 0; d++)
			;
		if (d == a->depth)
			ereport(ERROR,
					(errcode(ERRCODE_FDW_INVALID_OPTION_NAME),
					 errmsg("columns \"%s\" and \"%s\" of foreign table \"%s\" both write field \"%s\"",
							get_attname(RelationGetRelid(state->rel), a->attnum, false),
							get_attname(RelationGetRelid(state->rel), b->attnum, false),
							RelationGetRelationName(state->rel),
							es_column_field_path(state->rel, TupleDescAttr(tupdesc, a->attnum - 1), state->opts)),
					 errhint("Give each written column its own field; a field cannot be a value and an object.")));
	}
}

static void
value_error(EsModifyState *state, AttrNumber attnum, const char *why)
{
	ereport(ERROR,
			(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
			 errmsg("cannot write column \"%s\" of foreign table \"%s\" to Elasticsearch: %s",
					get_attname(RelationGetRelid(state->rel), attnum, false),
					RelationGetRelationName(state->rel), why)));
}

/* One scalar value as JSON, the way the read path reads it back. */
static void
append_scalar(StringInfo buf, EsModifyState *state, AttrNumber attnum, const char *type, Oid typid,
			  Datum value)
{
	char		number[128];

	if (strcmp(type, "bool") == 0)
		appendStringInfoString(buf, DatumGetBool(value) ? "true" : "false");
	else if (strcmp(type, "int2") == 0)
		appendStringInfo(buf, "%d", (int) DatumGetInt16(value));
	else if (strcmp(type, "int4") == 0)
		appendStringInfo(buf, "%d", DatumGetInt32(value));
	else if (strcmp(type, "int8") == 0)
		appendStringInfo(buf, INT64_FORMAT, DatumGetInt64(value));
	else if (strcmp(type, "float4") == 0 || strcmp(type, "float8") == 0)
	{
		double		d = strcmp(type, "float4") == 0 ? DatumGetFloat4(value) : DatumGetFloat8(value);

		if (isnan(d) || isinf(d))
			value_error(state, attnum, "Elasticsearch stores no NaN or infinity");
		if (strcmp(type, "float4") == 0)
			float_to_shortest_decimal_buf(DatumGetFloat4(value), number);
		else
			double_to_shortest_decimal_buf(d, number);
		appendStringInfoString(buf, number);
	}
	else if (strcmp(type, "numeric") == 0)
	{
		char	   *text = OutputFunctionCall(&state->out_funcs[attnum - 1], value);

		if (!isdigit((unsigned char) text[text[0] == '-' ? 1 : 0]))
			value_error(state, attnum, "Elasticsearch stores no NaN or infinity");
		appendStringInfoString(buf, text);
	}
	else if (strcmp(type, "date") == 0 || strcmp(type, "timestamp") == 0 ||
			 strcmp(type, "timestamptz") == 0)
	{
		char		text[MAXDATELEN + 1];

		if ((strcmp(type, "date") == 0 && DATE_NOT_FINITE(DatumGetDateADT(value))) ||
			(strcmp(type, "date") != 0 && TIMESTAMP_NOT_FINITE(DatumGetTimestamp(value))))
			value_error(state, attnum, "Elasticsearch dates cannot be infinite");
		JsonEncodeDateTime(text, value, typid, NULL);
		appendStringInfo(buf, "\"%s\"", text);
	}
	else if (strcmp(type, "json") == 0 || strcmp(type, "jsonb") == 0)
	{
		Jsonb	   *jb = typid == JSONBOID ? DatumGetJsonbP(value)
			: DatumGetJsonbP(DirectFunctionCall1(jsonb_in, CStringGetDatum(TextDatumGetCString(value))));

		/* through jsonb: one line, as _bulk needs */
		appendStringInfoString(buf, JsonbToCString(NULL, &jb->root, VARSIZE(jb)));
	}
	else if (strcmp(type, "bytea") == 0)
	{
		bytea	   *data = DatumGetByteaPP(value);
		int			len = VARSIZE_ANY_EXHDR(data);
		char	   *encoded = palloc(pg_b64_enc_len(len) + 1);
		int			n = pg_b64_encode(VARDATA_ANY(data), len, encoded, pg_b64_enc_len(len));

		if (n < 0)
			value_error(state, attnum, "its bytes could not be base64-encoded");
		encoded[n] = '\0';
		appendStringInfo(buf, "\"%s\"", encoded);
	}
	else
	{
		char	   *text = OutputFunctionCall(&state->out_funcs[attnum - 1], value);

		es_append_json_string(buf, text);
	}
}

static void
append_value(StringInfo buf, EsModifyState *state, DocColumn *col, Datum value)
{
	ArrayType  *array;
	Datum	   *elems;
	bool	   *nulls;
	int			n;
	int			i;
	int16		elmlen;
	bool		elmbyval;
	char		elmalign;
	Oid			elmtype;

	if (!col->is_array)
	{
		append_scalar(buf, state, col->attnum, col->type, col->typid, value);
		return;
	}
	array = DatumGetArrayTypeP(value);
	if (ARR_NDIM(array) > 1)
		value_error(state, col->attnum, "only one-dimensional arrays become JSON arrays");
	elmtype = ARR_ELEMTYPE(array);
	get_typlenbyvalalign(elmtype, &elmlen, &elmbyval, &elmalign);
	deconstruct_array(array, elmtype, elmlen, elmbyval, elmalign, &elems, &nulls, &n);
	appendStringInfoChar(buf, '[');
	for (i = 0; i < n; i++)
	{
		if (i > 0)
			appendStringInfoChar(buf, ',');
		if (nulls[i])
			appendStringInfoString(buf, "null");
		else if (strcmp(col->type, "text") == 0 || strcmp(col->type, "uuid") == 0 ||
				 strcmp(col->type, "inet") == 0)
		{
			Oid			out;
			bool		varlena;
			char	   *text;

			getTypeOutputInfo(elmtype, &out, &varlena);
			text = OidOutputFunctionCall(out, elems[i]);
			es_append_json_string(buf, text);
		}
		else
			append_scalar(buf, state, col->attnum, col->type, elmtype, elems[i]);
	}
	appendStringInfoChar(buf, ']');
}

/*
 * The document of a row: its columns (all, or the changed ones when only
 * is given), nested by field path.  NULL is null, or left out with
 * write_nulls 'omit' (never in a partial update, where leaving a column out
 * would keep its old value).
 */
static void
append_document(StringInfo buf, EsModifyState *state, TupleTableSlot *slot, Bitmapset *only)
{
	char	  **open = palloc(sizeof(char *) * (state->ncolumns + 1));
	bool	   *has_member = palloc0(sizeof(bool) * (state->ncolumns + 2));
	int			depth = 0;
	int			i;

	appendStringInfoChar(buf, '{');
	for (i = 0; i < state->ncolumns; i++)
	{
		DocColumn  *col = &state->columns[i];
		bool		isnull;
		Datum		value;
		int			common = 0;
		int			d;

		if (only != NULL && !bms_is_member(col->attnum, only))
			continue;
		value = slot_getattr(slot, col->attnum, &isnull);
		if (isnull && state->opts->omit_nulls && only == NULL)
			continue;
		while (common < depth && common < col->depth - 1 && strcmp(open[common], col->segments[common]) == 0)
			common++;
		for (; depth > common; depth--)
			appendStringInfoChar(buf, '}');
		for (d = depth; d < col->depth; d++)
		{
			if (has_member[d])
				appendStringInfoChar(buf, ',');
			has_member[d] = true;
			es_append_json_string(buf, col->segments[d]);
			appendStringInfoChar(buf, ':');
			if (d < col->depth - 1)
			{
				appendStringInfoChar(buf, '{');
				open[d] = col->segments[d];
				has_member[d + 1] = false;
				depth = d + 1;
			}
		}
		if (isnull)
			appendStringInfoString(buf, "null");
		else
			append_value(buf, state, col, value);
	}
	for (; depth > 0; depth--)
		appendStringInfoChar(buf, '}');
	appendStringInfoChar(buf, '}');
}

/* ----- actions ----- */

static void
append_int32(StringInfo buf, int32 value)
{
	uint32		n = pg_hton32((uint32) value);

	appendBinaryStringInfo(buf, (char *) &n, 4);
}

/* A length-prefixed UTF-8 text (NULL: length -1). */
static void
append_text(StringInfo buf, const char *text, bool to_utf8)
{
	if (text == NULL)
	{
		append_int32(buf, -1);
		return;
	}
	if (to_utf8)
		text = pg_server_to_any(text, strlen(text), PG_UTF8);
	append_int32(buf, (int32) strlen(text));
	appendBinaryStringInfo(buf, text, strlen(text));
}

/* The text of a column value for _id or _routing, or NULL. */
static char *
key_text(EsModifyState *state, TupleTableSlot *slot, AttrNumber attnum)
{
	bool		isnull;
	Datum		value;

	if (attnum == 0)
		return NULL;
	value = slot_getattr(slot, attnum, &isnull);
	return isnull ? NULL : OutputFunctionCall(&state->out_funcs[attnum - 1], value);
}

/* An immediate writer's buffered actions to Java; at statement_end, Java sends them. */
static void
send_actions(EsModifyState *state, bool statement_end)
{
	if (state->nactions == 0 && !statement_end)
		return;
	write_batch(state->writer, state->nactions, state->actions.data, state->actions.len, statement_end);
	resetStringInfo(&state->actions);
	state->nactions = 0;
}

static void
append_int64(StringInfo buf, int64 value)
{
	append_int32(buf, (int32) (value >> 32));
	append_int32(buf, (int32) (value & 0xFFFFFFFF));
}

/* The _seq_no and _primary_term the row was read with (-1: none), for an update or delete. */
static void
row_version(EsModifyState *state, TupleTableSlot *slot, int64 *seq_no, int64 *primary_term)
{
	bool		null_seq;
	bool		null_term;
	Datum		seq;
	Datum		term;

	*seq_no = *primary_term = -1;
	if (state->seq_no_attnum == 0 || TTS_EMPTY(slot))
		return;
	seq = slot_getattr(slot, state->seq_no_attnum, &null_seq);
	term = slot_getattr(slot, state->primary_term_attnum, &null_term);
	if (!null_seq && !null_term)
	{
		*seq_no = DatumGetInt64(seq);
		*primary_term = DatumGetInt64(term);
	}
}

/*
 * Queue one action: op, the document's id and routing, the document JSON
 * (or NULL), and the version it must still have (-1: any).
 */
static void
add_action(EsModifyState *state, char op, const char *id, const char *routing, StringInfo doc,
		   int64 if_seq_no, int64 if_primary_term)
{
	StringInfo	out = &state->actions;

	if (!state->opts->write_immediate)
	{
		if (held.count > 0 && held.writer != state->writer)
			es_flush_held_writes();
		if (held.data.data == NULL)
		{
			MemoryContext old = MemoryContextSwitchTo(TopMemoryContext);

			initStringInfo(&held.data);
			held.capacity = ACTIONS_PER_CALL;
			held.offsets = palloc(sizeof(int) * held.capacity);
			MemoryContextSwitchTo(old);
		}
		held.writer = state->writer;
		held.data.len = held.complete_len;	/* drop a part an error left */
		held.offsets[held.count] = held.data.len;
		out = &held.data;
	}
	appendStringInfoChar(out, op);
	append_int32(out, GetCurrentTransactionNestLevel());
	append_text(out, id, true);
	append_text(out, routing, true);
	if (doc == NULL)
		append_int32(out, -1);
	else
	{
		append_int32(out, doc->len);
		appendBinaryStringInfo(out, doc->data, doc->len);
	}
	append_int64(out, if_seq_no);
	append_int64(out, if_primary_term);
	if (!state->opts->write_immediate)
	{
		held.complete_len = held.data.len;
		if (++held.count >= Min(ACTIONS_PER_CALL, state->opts->batch_size))
			es_flush_held_writes();
	}
	else if (++state->nactions >= Min(ACTIONS_PER_CALL, state->opts->batch_size))
		send_actions(state, false);
}

/* A new id, as Elasticsearch makes them: 15 random bytes, URL-safe base64. */
static char *
new_document_id(void)
{
	uint8		bytes[15];
	char	   *id = palloc(21);
	int			n;
	int			i;

	if (!pg_strong_random(bytes, sizeof(bytes)))
		ereport(ERROR, (errmsg("could not generate a random document id")));
	n = pg_b64_encode((char *) bytes, sizeof(bytes), id, 20);
	for (i = 0; i < n; i++)
	{
		if (id[i] == '+')
			id[i] = '-';
		else if (id[i] == '/')
			id[i] = '_';
	}
	id[n] = '\0';
	return id;
}

/* ----- executor callbacks ----- */

static void
release_writer_on_reset(void *arg)
{
	EsModifyState *state = arg;

	if (state->writer != 0 && !state->cached_writer)
		es_bridge_quietly(true, state->writer, 0, 0);
	state->writer = 0;
}

/* The description of a writer of a table's options (docs/boundary.md "Writes"); it holds credentials. */
char *
es_writer_description(EsTableOptions *opts)
{
	StringInfoData buf;

	initStringInfo(&buf);
	appendStringInfoChar(&buf, '{');
	es_append_connection(&buf, opts);
	appendStringInfoString(&buf, ",\"index\":");
	es_append_json_string(&buf, opts->index);
	appendStringInfo(&buf, ",\"immediate\":%s,\"refresh\":\"%s\",\"batch_size\":%d,\"max_bulk_bytes\":" INT64_FORMAT
					 ",\"auto_create\":%s",
					 opts->write_immediate ? "true" : "false", opts->refresh,
					 opts->batch_size, opts->max_bulk_bytes,
					 opts->auto_create ? "true" : "false");
	if (opts->routing)
	{
		appendStringInfoString(&buf, ",\"routing\":");
		es_append_json_string(&buf, opts->routing);
	}
	if (opts->pipeline)
	{
		appendStringInfoString(&buf, ",\"pipeline\":");
		es_append_json_string(&buf, opts->pipeline);
	}
	appendStringInfoChar(&buf, '}');
	return buf.data;
}

static int64
open_writer(EsModifyState *state)
{
	char	   *description = es_writer_description(state->opts);
	int64		handle;

	handle = es_bridge_open_writer(description);
	memset(description, 0, strlen(description));	/* it held credentials */
	pfree(description);
	return handle;
}

/* A table's options, row id column and (with_columns) document columns into state. */
static void
describe_target(EsModifyState *state, EsTableOptions *opts, bool with_columns)
{
	state->opts = opts;
	state->rowid_attnum = rowid_attnum(state->rel, opts);
	if (with_columns)
		prepare_columns(state);
}

/* ----- documents for table sync (sync.c) ----- */

/* A foreign table's document columns and options, as its writes use them; no writer. */
EsDocTarget *
es_doc_target(Relation rel, Oid userid)
{
	EsModifyState *state = palloc0(sizeof(EsModifyState));

	state->rel = rel;
	state->operation = CMD_INSERT;
	describe_target(state, es_get_table_options(RelationGetRelid(rel), userid), true);
	return (EsDocTarget *) state;
}

EsTableOptions *
es_doc_target_options(EsDocTarget *target)
{
	return ((EsModifyState *) target)->opts;
}

/* The document of a row of the foreign table (slot), as an INSERT would write it. */
void
es_doc_encode(EsDocTarget *target, StringInfo buf, TupleTableSlot *slot)
{
	append_document(buf, (EsModifyState *) target, slot, NULL);
}

/* The row's _routing column value, or NULL. */
char *
es_doc_routing(EsDocTarget *target, TupleTableSlot *slot)
{
	EsModifyState *state = (EsModifyState *) target;

	return key_text(state, slot, state->routing_attnum);
}

/*
 * One externally versioned action of table sync: index (a document) or
 * delete (doc NULL); see ActionDecoder.  A batch is an int32 count, then
 * its actions.
 */
void
es_append_sync_action(StringInfo out, const char *id, const char *routing, const char *doc, int doclen,
					  int64 version)
{
	appendStringInfoChar(out, doc != NULL ? 'e' : 'r');
	append_int32(out, 0);
	append_text(out, id, true);
	append_text(out, routing, true);
	if (doc == NULL)
		append_int32(out, -1);
	else
	{
		append_int32(out, doclen);
		appendBinaryStringInfo(out, doc, doclen);
	}
	append_int64(out, version);
	append_int64(out, -1);
}

/*
 * Fill the per-table fields of state (options, columns, writer): from the
 * transaction's cache, or made anew -- and cached, in write_mode
 * 'transaction'.
 */
static void
resolve_target(EsModifyState *state, Oid userid, bool with_columns)
{
	Oid			relid = RelationGetRelid(state->rel);
	ListCell   *cell;
	MemoryContext old;
	CachedTarget *entry;

	foreach(cell, cached_targets)
	{
		entry = lfirst(cell);
		if (entry->relid == relid && entry->userid == userid &&
			(entry->proto.columns != NULL || !with_columns))
		{
			state->opts = entry->proto.opts;
			state->rowid_attnum = entry->proto.rowid_attnum;
			state->routing_attnum = entry->proto.routing_attnum;
			state->seq_no_attnum = entry->proto.seq_no_attnum;
			state->primary_term_attnum = entry->proto.primary_term_attnum;
			state->columns = entry->proto.columns;
			state->ncolumns = entry->proto.ncolumns;
			state->out_funcs = entry->proto.out_funcs;
			state->writer = entry->proto.writer;
			state->cached_writer = true;
			return;
		}
	}
	state->opts = es_get_table_options(relid, userid);
	if (state->opts->write_immediate)
	{
		describe_target(state, state->opts, with_columns);
		state->writer = open_writer(state);
		return;
	}
	if (writes_cxt == NULL)
		writes_cxt = AllocSetContextCreate(TopMemoryContext, "es_fdw writes", ALLOCSET_DEFAULT_SIZES);
	old = MemoryContextSwitchTo(writes_cxt);
	/* the options again, to live as long as the cached target */
	describe_target(state, es_get_table_options(relid, userid), with_columns);
	state->writer = open_writer(state);
	state->cached_writer = true;
	entry = palloc0(sizeof(CachedTarget));
	entry->relid = relid;
	entry->userid = userid;
	entry->proto = *state;
	cached_targets = lappend(cached_targets, entry);
	MemoryContextSwitchTo(old);
}

static void
begin_modify(EsModifyState *state, EState *estate, ResultRelInfo *rinfo, CmdType operation, Oid userid)
{
	state->rel = rinfo->ri_RelationDesc;
	state->operation = operation;
	resolve_target(state, userid, true);
	initStringInfo(&state->actions);
	state->row_cxt = AllocSetContextCreate(estate->es_query_cxt, "es_fdw write row", ALLOCSET_DEFAULT_SIZES);
	state->cleanup.func = release_writer_on_reset;
	state->cleanup.arg = state;
	MemoryContextRegisterResetCallback(estate->es_query_cxt, &state->cleanup);
	rinfo->ri_FdwState = state;
}

static Oid
modify_user(EState *estate, ResultRelInfo *rinfo)
{
	RangeTblEntry *rte = exec_rt_fetch(rinfo->ri_RangeTableIndex, estate);

	return OidIsValid(rte->checkAsUser) ? rte->checkAsUser : GetUserId();
}

void
esBeginForeignModify(ModifyTableState *mtstate, ResultRelInfo *rinfo, List *fdw_private,
					 int subplan_index, int eflags)
{
	EsModifyState *state;
	EState	   *estate = mtstate->ps.state;
	List	   *changed;
	ListCell   *cell;

	if (eflags & EXEC_FLAG_EXPLAIN_ONLY)
		return;
	state = palloc0(sizeof(EsModifyState));
	begin_modify(state, estate, rinfo, mtstate->operation, modify_user(estate, rinfo));
	changed = list_nth(fdw_private, EsModifyPrivateTargetAttrs);
	if (mtstate->operation == CMD_INSERT)
	{
		Plan	   *subplan = outerPlanState(mtstate)->plan;

		state->one_row = IsA(subplan, Result) && outerPlan(subplan) == NULL;
	}
	foreach(cell, changed)
		state->changed = bms_add_member(state->changed, lfirst_int(cell));
	if (mtstate->operation == CMD_UPDATE || mtstate->operation == CMD_DELETE)
	{
		Plan	   *subplan = outerPlanState(mtstate)->plan;

		state->rowid_junk = ExecFindJunkAttributeInTlist(subplan->targetlist, "es_rowid");
		if (!AttributeNumberIsValid(state->rowid_junk))
			elog(ERROR, "es_fdw: could not find the row id junk column");
		state->oldrow_junk = ExecFindJunkAttributeInTlist(subplan->targetlist, "es_oldrow");
	}
}

void
esBeginForeignInsert(ModifyTableState *mtstate, ResultRelInfo *rinfo)
{
	EsModifyState *state = palloc0(sizeof(EsModifyState));
	EState	   *estate = mtstate->ps.state;

	begin_modify(state, estate, rinfo, CMD_INSERT, modify_user(estate, rinfo));
}

static TupleTableSlot *
insert_row(EsModifyState *state, TupleTableSlot *slot)
{
	MemoryContext old = MemoryContextSwitchTo(state->row_cxt);
	StringInfoData doc;
	char	   *id = key_text(state, slot, state->rowid_attnum);

	if (id == NULL)
	{
		Form_pg_attribute attr;

		id = new_document_id();
		if (state->rowid_attnum != 0)
		{
			Oid			infunc;
			Oid			ioparam;

			attr = TupleDescAttr(RelationGetDescr(state->rel), state->rowid_attnum - 1);
			if (TypeCategory(attr->atttypid) != TYPCATEGORY_STRING)
				ereport(ERROR,
						(errcode(ERRCODE_NOT_NULL_VIOLATION),
						 errmsg("row id column \"%s\" of foreign table \"%s\" is NULL",
								NameStr(attr->attname), RelationGetRelationName(state->rel)),
						 errhint("Give the row an id; es_fdw makes ids only for text row id columns.")));
			getTypeInputInfo(attr->atttypid, &infunc, &ioparam);
			MemoryContextSwitchTo(old);
			slot_getallattrs(slot);
			slot->tts_values[state->rowid_attnum - 1] = OidInputFunctionCall(infunc, id, ioparam, attr->atttypmod);
			slot->tts_isnull[state->rowid_attnum - 1] = false;
			MemoryContextSwitchTo(state->row_cxt);
		}
	}
	initStringInfo(&doc);
	append_document(&doc, state, slot, NULL);
	MemoryContextSwitchTo(old);
	add_action(state, state->opts->op_create ? 'c' : 'i', id, key_text(state, slot, state->routing_attnum), &doc,
			   -1, -1);
	MemoryContextReset(state->row_cxt);
	return slot;
}

TupleTableSlot *
esExecForeignInsert(EState *estate, ResultRelInfo *rinfo, TupleTableSlot *slot, TupleTableSlot *planSlot)
{
	return insert_row((EsModifyState *) rinfo->ri_FdwState, slot);
}

TupleTableSlot **
esExecForeignBatchInsert(EState *estate, ResultRelInfo *rinfo, TupleTableSlot **slots,
						 TupleTableSlot **planSlots, int *numSlots)
{
	int			i;

	for (i = 0; i < *numSlots; i++)
		insert_row((EsModifyState *) rinfo->ri_FdwState, slots[i]);
	return slots;
}

/*
 * Rows per ExecForeignBatchInsert call: the table's batch_size, unless
 * RETURNING or triggers need rows one by one, or the statement inserts one
 * row (a row trigger's INSERT … VALUES: batching would only cost PostgreSQL
 * two slots per statement).
 */
int
esGetForeignModifyBatchSize(ResultRelInfo *rinfo)
{
	EsModifyState *state = rinfo->ri_FdwState;

	if (state == NULL || state->one_row || rinfo->ri_projectReturning != NULL ||
		(rinfo->ri_TrigDesc && (rinfo->ri_TrigDesc->trig_insert_before_row ||
								rinfo->ri_TrigDesc->trig_insert_after_row)))
		return 1;
	return Min(state->opts->batch_size, ACTIONS_PER_CALL);
}

/* The row id of the row being updated or deleted. */
static char *
row_id(EsModifyState *state, TupleTableSlot *planSlot)
{
	bool		isnull;
	Datum		value = ExecGetJunkAttribute(planSlot, state->rowid_junk, &isnull);

	if (isnull)
		ereport(ERROR,
				(errcode(ERRCODE_NULL_VALUE_NOT_ALLOWED),
				 errmsg("a row of foreign table \"%s\" to change has no row id", RelationGetRelationName(state->rel))));
	return OutputFunctionCall(&state->out_funcs[state->rowid_attnum - 1], value);
}

TupleTableSlot *
esExecForeignUpdate(EState *estate, ResultRelInfo *rinfo, TupleTableSlot *slot, TupleTableSlot *planSlot)
{
	EsModifyState *state = rinfo->ri_FdwState;
	MemoryContext old = MemoryContextSwitchTo(state->row_cxt);
	StringInfoData doc;
	char	   *id = row_id(state, planSlot);
	int64		seq_no;
	int64		primary_term;

	initStringInfo(&doc);
	if (state->opts->update_full)
		append_document(&doc, state, slot, NULL);
	else
		append_document(&doc, state, slot, state->changed ? state->changed : bms_make_singleton(0));
	MemoryContextSwitchTo(old);
	row_version(state, slot, &seq_no, &primary_term);
	add_action(state, state->opts->update_full ? 'i' : 'u', id, key_text(state, slot, state->routing_attnum), &doc,
			   seq_no, primary_term);
	MemoryContextReset(state->row_cxt);
	return slot;
}

TupleTableSlot *
esExecForeignDelete(EState *estate, ResultRelInfo *rinfo, TupleTableSlot *slot, TupleTableSlot *planSlot)
{
	EsModifyState *state = rinfo->ri_FdwState;
	MemoryContext old = MemoryContextSwitchTo(state->row_cxt);
	char	   *id = row_id(state, planSlot);
	char	   *routing = NULL;
	bool		isnull;
	int64		seq_no;
	int64		primary_term;

	MemoryContextSwitchTo(old);
	if (AttributeNumberIsValid(state->oldrow_junk))
	{
		Datum		row = ExecGetJunkAttribute(planSlot, state->oldrow_junk, &isnull);

		if (!isnull)
		{
			HeapTupleHeader header = DatumGetHeapTupleHeader(row);
			HeapTupleData tuple;

			tuple.t_len = HeapTupleHeaderGetDatumLength(header);
			ItemPointerSetInvalid(&tuple.t_self);
			tuple.t_tableOid = RelationGetRelid(state->rel);
			tuple.t_data = header;
			MemoryContextSwitchTo(slot->tts_mcxt);
			ExecForceStoreHeapTuple(heap_copytuple(&tuple), slot, true);
			MemoryContextSwitchTo(old);
		}
	}
	MemoryContextSwitchTo(state->row_cxt);
	if (state->routing_attnum != 0 && !TTS_EMPTY(slot))
		routing = key_text(state, slot, state->routing_attnum);
	row_version(state, slot, &seq_no, &primary_term);
	MemoryContextSwitchTo(old);
	add_action(state, 'd', id, routing, NULL, seq_no, primary_term);
	MemoryContextReset(state->row_cxt);
	return slot;
}

void
esEndForeignModify(EState *estate, ResultRelInfo *rinfo)
{
	EsModifyState *state = rinfo->ri_FdwState;

	if (state == NULL || state->writer == 0)
		return;
	if (state->opts->write_immediate)
		send_actions(state, true);
	if (!state->cached_writer)
		es_bridge_end_writer(state->writer);
	state->writer = 0;
}

void
esEndForeignInsert(EState *estate, ResultRelInfo *rinfo)
{
	esEndForeignModify(estate, rinfo);
}

/*
 * Every foreign table takes INSERT, UPDATE and DELETE (as postgres_fdw's do);
 * UPDATE and DELETE of one without a row id column fail at plan time.
 * PostgreSQL asks this at every statement's start -- a row trigger's
 * one-row INSERTs included -- so it reads no catalog.
 */
int
esIsForeignRelUpdatable(Relation rel)
{
	return (1 << CMD_INSERT) | (1 << CMD_UPDATE) | (1 << CMD_DELETE);
}

/*
 * TRUNCATE: every document of the index deleted (the index is kept), only
 * for tables marked truncatable; at COMMIT like other writes, or at once in
 * write_mode 'immediate'.
 */
void
esExecForeignTruncate(List *rels, DropBehavior behavior, bool restart_seqs)
{
	ListCell   *cell;

	foreach(cell, rels)
	{
		Relation	rel = lfirst(cell);
		EsModifyState state = {0};

		state.rel = rel;
		state.opts = es_get_table_options(RelationGetRelid(rel), GetUserId());
		if (!state.opts->truncatable)
			ereport(ERROR,
					(errcode(ERRCODE_OBJECT_NOT_IN_PREREQUISITE_STATE),
					 errmsg("foreign table \"%s\" is not truncatable", RelationGetRelationName(rel)),
					 errdetail("TRUNCATE would delete every document of index \"%s\".", state.opts->index),
					 errhint("ALTER FOREIGN TABLE %s OPTIONS (ADD truncatable 'true') to allow it.",
							 quote_identifier(RelationGetRelationName(rel)))));
	}
	foreach(cell, rels)
	{
		Relation	rel = lfirst(cell);
		EsModifyState state = {0};

		state.rel = rel;
		resolve_target(&state, GetUserId(), false);
		es_flush_held_writes();
		es_bridge_truncate(state.writer, GetCurrentTransactionNestLevel());
		if (!state.opts->write_immediate)
			xact_has_writes = true;
	}
}
