/*-------------------------------------------------------------------------
 *
 * sync.c
 *		Table sync (docs/sync.md): es_sync_table() captures a table's changes
 *		in an outbox table in the writing transaction (no network I/O), and
 *		deliveries send them to Elasticsearch with _bulk, from the background
 *		worker (sync_worker.c) or es_sync_flush().
 *
 * The outbox holds only the primary keys of changed rows.  A delivery takes
 * a batch of them, reads each row's current state in the same snapshot and
 * sends an index (row present) or a delete (row absent), all with one
 * external version from a sequence.  Deliveries of a table are serialized
 * by an advisory lock, and the version is taken (and made durable) after
 * the snapshot, so a later delivery always carries both a newer state and a
 * higher version: Elasticsearch keeps the newest whatever the order
 * requests arrive in, a replay after a crash is refused as a version
 * conflict (done), and a delete can never be undone by an older index,
 * whether or not Elasticsearch still remembers the tombstone.  A batch's
 * outbox rows are taken in the transaction that commits only after
 * Elasticsearch acknowledged their documents; a row committed late is
 * simply in a later batch (no high-water mark).
 *
 *-------------------------------------------------------------------------
 */
#include "es_fdw.h"

#include <sys/stat.h>

#include "access/genam.h"
#include "access/relation.h"
#include "access/table.h"
#include "catalog/pg_extension.h"
#include "access/stratnum.h"
#include "access/xact.h"
#include "access/xlog.h"
#include "catalog/pg_type.h"
#include "common/file_perm.h"
#include "portability/instr_time.h"
#include "catalog/dependency.h"
#include "catalog/indexing.h"
#include "catalog/pg_namespace.h"
#include "catalog/pg_proc.h"
#include "catalog/namespace.h"
#include "catalog/pg_class.h"
#include "catalog/pg_foreign_data_wrapper.h"
#include "catalog/pg_index.h"
#include "commands/extension.h"
#include "executor/spi.h"
#include "executor/tuptable.h"
#include "foreign/foreign.h"
#include "miscadmin.h"
#include "storage/bufmgr.h"
#include "storage/fd.h"
#include "storage/lmgr.h"
#include "utils/acl.h"
#include "utils/array.h"
#include "utils/builtins.h"
#include "utils/datum.h"
#include "utils/fmgroids.h"
#include "utils/jsonb.h"
#include "utils/lsyscache.h"
#include "utils/memutils.h"
#include "utils/rel.h"
#include "utils/syscache.h"

PG_FUNCTION_INFO_V1(es_sync_table);
PG_FUNCTION_INFO_V1(es_sync_table_index);
PG_FUNCTION_INFO_V1(es_unsync_table);
PG_FUNCTION_INFO_V1(es_sync_flush);
PG_FUNCTION_INFO_V1(es_sync_redrive);

/* First key of the advisory locks that serialize a table's deliveries ("esfs"). */
#define SYNC_LOCK_KEY 0x65736673

/* How often es_sync_flush tries a batch Elasticsearch answered "later" for. */
#define FLUSH_ATTEMPTS 5

/* ----- the registry ----- */

/* The schema es_fdw is installed in, or InvalidOid (PostgreSQL 15 does not export its own lookup). */
static Oid
ext_namespace(void)
{
	Relation	rel;
	SysScanDesc scan;
	ScanKeyData key;
	HeapTuple	tuple;
	Oid			result = InvalidOid;

	ScanKeyInit(&key, Anum_pg_extension_extname, BTEqualStrategyNumber, F_NAMEEQ, CStringGetDatum("es_fdw"));
	rel = table_open(ExtensionRelationId, AccessShareLock);
	scan = systable_beginscan(rel, ExtensionNameIndexId, true, NULL, 1, &key);
	tuple = systable_getnext(scan);
	if (HeapTupleIsValid(tuple))
		result = ((Form_pg_extension) GETSTRUCT(tuple))->extnamespace;
	systable_endscan(scan);
	table_close(rel, AccessShareLock);
	return result;
}

/* The extension's schema, quoted, or NULL. */
static char *
ext_schema(void)
{
	Oid			nsp = ext_namespace();

	return OidIsValid(nsp) ? pstrdup(quote_identifier(get_namespace_name(nsp))) : NULL;
}

/* Run a query through SPI that must succeed with the expected result code. */
static void
run(const char *sql, int expected, int nargs, Oid *types, Datum *values, const char *nulls)
{
	int			rc;

	if (nargs == 0)
		rc = SPI_execute(sql, false, 0);
	else
		rc = SPI_execute_with_args(sql, nargs, types, values, nulls, false, 0);
	if (rc != expected)
		elog(ERROR, "es_fdw sync: query failed (%s): %s", SPI_result_code_string(rc), sql);
}

/* The registry's entries (all, or source's), in the caller's memory. */
List *
es_sync_entries(Oid source)
{
	char	   *schema = ext_schema();
	List	   *entries = NIL;
	MemoryContext outer = CurrentMemoryContext;
	uint64		i;
	Oid			types[1] = {OIDOID};
	Datum		values[1] = {ObjectIdGetDatum(source)};

	if (schema == NULL)
		return NIL;
	SPI_connect();
	run(psprintf("SELECT source, target, server, index, document, key_columns, outbox, owner, batch_size,"
				 " backfill_finished IS NULL, backfill_after"
				 " FROM %s.es_sync_tables %s ORDER BY source", schema,
				 OidIsValid(source) ? "WHERE source = $1" : ""),
		SPI_OK_SELECT, OidIsValid(source) ? 1 : 0, types, values, NULL);
	for (i = 0; i < SPI_processed; i++)
	{
		HeapTuple	tuple = SPI_tuptable->vals[i];
		TupleDesc	desc = SPI_tuptable->tupdesc;
		MemoryContext old = MemoryContextSwitchTo(outer);
		EsSyncTable *entry = palloc0(sizeof(EsSyncTable));
		bool		isnull;
		Datum		keys;
		Datum	   *elems;
		int			n;
		int			k;

		entry->cxt = outer;

		entry->source = DatumGetObjectId(SPI_getbinval(tuple, desc, 1, &isnull));
		entry->target = DatumGetObjectId(SPI_getbinval(tuple, desc, 2, &isnull));
		if (isnull)
			entry->target = InvalidOid;
		entry->server = SPI_getvalue(tuple, desc, 3);
		entry->index = SPI_getvalue(tuple, desc, 4);
		entry->document = SPI_getvalue(tuple, desc, 5);
		keys = SPI_getbinval(tuple, desc, 6, &isnull);
		deconstruct_array(DatumGetArrayTypeP(keys), NAMEOID, NAMEDATALEN, false, TYPALIGN_CHAR, &elems, NULL, &n);
		entry->nkeys = n;
		entry->keys = palloc(sizeof(char *) * n);
		for (k = 0; k < n; k++)
			entry->keys[k] = pstrdup(NameStr(*DatumGetName(elems[k])));
		entry->outbox = DatumGetObjectId(SPI_getbinval(tuple, desc, 7, &isnull));
		entry->owner = DatumGetObjectId(SPI_getbinval(tuple, desc, 8, &isnull));
		entry->batch_size = DatumGetInt32(SPI_getbinval(tuple, desc, 9, &isnull));
		entry->backfilling = DatumGetBool(SPI_getbinval(tuple, desc, 10, &isnull));
		entry->backfill_after = SPI_getbinval(tuple, desc, 11, &isnull);
		entry->backfill_after = isnull ? (Datum) 0 : datumCopy(entry->backfill_after, false, -1);
		entries = lappend(entries, entry);
		MemoryContextSwitchTo(old);
	}
	SPI_finish();
	return entries;
}

/* Remember error as the entry's last error (own SPI connection; the caller's transaction). */
void
es_sync_record_error(Oid source, const char *error)
{
	char	   *schema = ext_schema();
	Oid			types[2] = {OIDOID, TEXTOID};
	Datum		values[2] = {ObjectIdGetDatum(source), CStringGetTextDatum(error)};

	if (schema == NULL)
		return;
	SPI_connect();
	run(psprintf("UPDATE %s.es_sync_tables SET last_error = $2, last_error_at = clock_timestamp()"
				 " WHERE source = $1", schema), SPI_OK_UPDATE, 2, types, values, NULL);
	SPI_finish();
}

/* ----- the SQL of a delivery ----- */

static char *
qualified_name(Oid relid)
{
	char	   *name = get_rel_name(relid);

	if (name == NULL)
		ereport(ERROR,
				(errcode(ERRCODE_UNDEFINED_TABLE),
				 errmsg("relation %u of a table sync no longer exists", relid)));
	return quote_qualified_identifier(get_namespace_name(get_rel_namespace(relid)), name);
}

/* The key columns as "a.k1, a.k2", or with a suffix per column. */
static char *
key_list(EsSyncTable *entry, const char *alias, const char *suffix)
{
	StringInfoData buf;
	int			k;

	initStringInfo(&buf);
	for (k = 0; k < entry->nkeys; k++)
		appendStringInfo(&buf, "%s%s%s%s%s", k > 0 ? ", " : "", alias ? alias : "", alias ? "." : "",
						 quote_identifier(entry->keys[k]), suffix ? suffix : "");
	return buf.data;
}

/*
 * The document _id of a key: the text of a single-column key; the texts of
 * a composite key joined by '|', each with '\' and '|' escaped by '\'.
 */
static char *
id_expression(EsSyncTable *entry, const char *alias)
{
	StringInfoData buf;
	int			k;

	if (entry->nkeys == 1)
		return psprintf("%s.%s::text", alias, quote_identifier(entry->keys[0]));
	initStringInfo(&buf);
	appendStringInfoString(&buf, "concat_ws('|'");
	for (k = 0; k < entry->nkeys; k++)
		appendStringInfo(&buf, ", replace(replace(%s.%s::text, '\\', '\\\\'), '|', '\\|')", alias,
						 quote_identifier(entry->keys[k]));
	appendStringInfoChar(&buf, ')');
	return buf.data;
}

/*
 * The document columns of the source row src: the foreign table's
 * attributes in order (a source column of the same name, cast to the
 * column's type, or NULL), or one jsonb (the document expression, or the
 * whole row).
 */
static char *
document_columns(EsSyncTable *entry, Relation target, bool aliased)
{
	StringInfoData buf;
	TupleDesc	desc;
	int			i;

	if (entry->document != NULL)
		return psprintf("(%s)::jsonb%s", entry->document, aliased ? " AS es_c0" : "");
	if (target == NULL)
		return aliased ? "to_jsonb(src) AS es_c0" : "to_jsonb(src)";
	initStringInfo(&buf);
	desc = RelationGetDescr(target);
	for (i = 0; i < desc->natts; i++)
	{
		Form_pg_attribute attr = TupleDescAttr(desc, i);
		char	   *type = format_type_with_typemod(attr->atttypid, attr->atttypmod);

		if (i > 0)
			appendStringInfoString(&buf, ", ");
		if (attr->attisdropped)
			appendStringInfoString(&buf, "NULL::int4");
		else if (get_attnum(entry->source, NameStr(attr->attname)) != InvalidAttrNumber)
			appendStringInfo(&buf, "src.%s::%s", quote_identifier(NameStr(attr->attname)), type);
		else
			appendStringInfo(&buf, "NULL::%s", type);
		if (aliased)
			appendStringInfo(&buf, " AS es_c%d", i);
	}
	return buf.data;
}

/* How many columns document_columns makes. */
static int
document_column_count(EsSyncTable *entry, Relation target)
{
	return entry->document == NULL && target != NULL ? RelationGetDescr(target)->natts : 1;
}

/*
 * Columns of both queries: 1 when the change was captured (the earliest of
 * the key's outbox rows; NULL in a backfill), 2 the _id, 3 whether the row
 * exists, then the document columns, then the key's texts.
 *
 * The batch's outbox rows are taken (deleted) by the same statement that
 * reads the rows' state, in one snapshot; if the delivery fails, the
 * transaction rolls the deletion back, and items Elasticsearch asks to
 * send again are put back (requeue).
 */
static char *
outbox_query(EsSyncTable *entry, Relation target)
{
	StringInfoData buf;
	int			k;
	int			ndoc = document_column_count(entry, target);
	char	   *outbox = qualified_name(entry->outbox);
	char	   *keys = key_list(entry, NULL, NULL);

	initStringInfo(&buf);
	appendStringInfo(&buf, "WITH taken AS (DELETE FROM %s WHERE ctid = ANY(ARRAY(SELECT ctid FROM %s LIMIT %d))"
					 " RETURNING %s, es_captured_at)"
					 " SELECT b.es_captured, %s, d.es_present IS NOT NULL",
					 outbox, outbox, entry->batch_size, keys, id_expression(entry, "b"));
	for (k = 0; k < ndoc; k++)
		appendStringInfo(&buf, ", d.es_c%d", k);
	/* each key looked up on its own (a batch is a few keys of a possibly large table) */
	appendStringInfo(&buf, ", %s FROM (SELECT %s, min(es_captured_at) AS es_captured FROM taken GROUP BY %s) b"
					 " LEFT JOIN LATERAL (SELECT true AS es_present, %s FROM %s src WHERE ",
					 key_list(entry, "b", "::text"), keys, keys,
					 document_columns(entry, target, true), qualified_name(entry->source));
	for (k = 0; k < entry->nkeys; k++)
		appendStringInfo(&buf, "%ssrc.%s = b.%s", k > 0 ? " AND " : "", quote_identifier(entry->keys[k]),
						 quote_identifier(entry->keys[k]));
	appendStringInfoString(&buf, ") d ON true");
	return buf.data;
}

/* The key's columns cast from the texts of a text[] parameter: "$1[1]::int, $1[2]::text". */
static char *
key_casts(EsSyncTable *entry, const char *array)
{
	StringInfoData buf;
	int			k;

	initStringInfo(&buf);
	for (k = 0; k < entry->nkeys; k++)
		appendStringInfo(&buf, "%s%s[%d]::%s", k > 0 ? ", " : "", array, k + 1,
						 format_type_be(get_atttype(entry->source, get_attnum(entry->source, entry->keys[k]))));
	return buf.data;
}

/* A backfill page: the rows after the key $1 (text[]; NULL: from the start), in key order. */
static char *
backfill_query(EsSyncTable *entry, Relation target, bool from_start)
{
	StringInfoData buf;

	initStringInfo(&buf);
	appendStringInfo(&buf, "SELECT NULL::timestamptz, %s, true, %s, %s FROM %s src",
					 id_expression(entry, "src"), document_columns(entry, target, false), key_list(entry, "src", "::text"),
					 qualified_name(entry->source));
	if (!from_start)
		appendStringInfo(&buf, " WHERE (%s) > (%s)", key_list(entry, "src", NULL), key_casts(entry, "$1"));
	appendStringInfo(&buf, " ORDER BY %s LIMIT %d", key_list(entry, "src", NULL), entry->batch_size);
	return buf.data;
}

/* ----- a delivery ----- */

/* One row of a batch: a changed key (or a backfilled row) and its action. */
typedef struct SentRow
{
	Datum		captured;		/* timestamptz: when its change was captured (not in a backfill) */
	char	   *id;
	Datum		key;			/* text[] */
	int			doc_offset;		/* where its document is in the actions, -1: a delete */
	int			doc_len;
	bool		keep;			/* to be sent again: back to the outbox */
} SentRow;

/* A batch being delivered; all of it in SPI's memory, gone at SPI_finish. */
typedef struct Batch
{
	EsSyncTable *entry;
	const char *schema;
	Relation	target;			/* the foreign table, or NULL */
	EsDocTarget *doc_target;	/* its document columns, when they make the document */
	EsTableOptions *opts;
	TupleTableSlot *slot;
	bool		backfill;		/* a backfill page, not outbox changes */
	uint64		nrows;
	SentRow    *rows;
	StringInfoData actions;
	double		send_ms;
	int64		done;
	int			dead;
	bool		retry;
	char	   *error;
} Batch;

static Datum
text_array(char **texts, int n)
{
	Datum	   *elems = palloc(sizeof(Datum) * n);
	int			i;

	for (i = 0; i < n; i++)
		elems[i] = CStringGetTextDatum(texts[i]);
	return PointerGetDatum(construct_array(elems, n, TEXTOID, -1, false, TYPALIGN_INT));
}

/* The target's options (and document columns), with the user mapping of the user who synced the table. */
static void
open_target(Batch *b)
{
	EsSyncTable *entry = b->entry;

	if (!OidIsValid(entry->target))
	{
		b->opts = es_get_server_options(entry->server, entry->index, entry->owner);
		return;
	}
	b->target = table_open(entry->target, AccessShareLock);
	if (entry->document != NULL)
	{
		b->opts = es_get_table_options(entry->target, entry->owner);
		return;
	}
	b->doc_target = es_doc_target(b->target, entry->owner);
	b->opts = es_doc_target_options(b->doc_target);
	b->slot = MakeSingleTupleTableSlot(RelationGetDescr(b->target), &TTSOpsVirtual);
}

static void
close_target(Batch *b)
{
	if (b->slot)
		ExecDropSingleTupleTableSlot(b->slot);
	if (b->target)
		table_close(b->target, AccessShareLock);
}

/* Read the outbox batch, or else a backfill page: SPI_tuptable holds it. */
static void
read_batch(Batch *b)
{
	EsSyncTable *entry = b->entry;
	Oid			types[1] = {TEXTARRAYOID};
	Datum		values[1] = {entry->backfill_after};

	run(outbox_query(entry, b->target), SPI_OK_SELECT, 0, NULL, NULL, NULL);
	if (SPI_processed > 0 || !entry->backfilling)
		return;
	SPI_freetuptable(SPI_tuptable);
	b->backfill = true;
	run(backfill_query(entry, b->target, entry->backfill_after == (Datum) 0), SPI_OK_SELECT,
		entry->backfill_after == (Datum) 0 ? 0 : 1, types, values, NULL);
}

/* The actions of the rows read: an index of each existing row's document, a delete of each missing one. */
static void
encode_rows(Batch *b, int64 version)
{
	EsSyncTable *entry = b->entry;
	TupleDesc	desc = SPI_tuptable->tupdesc;
	int			ndoc = b->doc_target ? RelationGetDescr(b->target)->natts : 1;
	int			first_doc = 4;
	uint32		count = pg_hton32((uint32) b->nrows);
	uint64		i;

	initStringInfo(&b->actions);
	appendBinaryStringInfo(&b->actions, (char *) &count, 4);
	b->rows = palloc0(sizeof(SentRow) * Max(b->nrows, 1));
	for (i = 0; i < b->nrows; i++)
	{
		HeapTuple	tuple = SPI_tuptable->vals[i];
		SentRow    *row = &b->rows[i];
		bool		isnull;
		bool		present = DatumGetBool(SPI_getbinval(tuple, desc, 3, &isnull));
		char	  **keys = palloc(sizeof(char *) * entry->nkeys);
		char	   *routing = NULL;
		StringInfoData doc;
		int			k;

		row->captured = SPI_getbinval(tuple, desc, 1, &isnull);
		row->id = SPI_getvalue(tuple, desc, 2);
		for (k = 0; k < entry->nkeys; k++)
			keys[k] = SPI_getvalue(tuple, desc, first_doc + ndoc + k);
		row->key = text_array(keys, entry->nkeys);
		initStringInfo(&doc);
		if (present && b->doc_target)
		{
			int			a;

			ExecClearTuple(b->slot);
			for (a = 0; a < ndoc; a++)
				b->slot->tts_values[a] = SPI_getbinval(tuple, desc, first_doc + a, &b->slot->tts_isnull[a]);
			ExecStoreVirtualTuple(b->slot);
			es_doc_encode(b->doc_target, &doc, b->slot);
			routing = es_doc_routing(b->doc_target, b->slot);
		}
		else if (present)
		{
			Datum		value = SPI_getbinval(tuple, desc, first_doc, &isnull);

			/* a NULL document expression: the row is not to be in the index */
			if (isnull)
				present = false;
			else
			{
				Jsonb	   *jb = DatumGetJsonbP(value);

				appendStringInfoString(&doc, JsonbToCString(NULL, &jb->root, VARSIZE(jb)));
			}
		}
		es_append_sync_action(&b->actions, row->id, routing, present ? doc.data : NULL, doc.len, version);
		/* the document is followed by two int64 */
		row->doc_offset = present ? b->actions.len - 16 - doc.len : -1;
		row->doc_len = doc.len;
	}
	SPI_freetuptable(SPI_tuptable);
}

/* Send the actions; the items not done, as JSON (Delivery.java). */
static char *
send_actions(Batch *b)
{
	char	   *description = es_writer_description(b->opts);
	instr_time	start;
	instr_time	elapsed;
	int64		writer;
	char	   *volatile outcome = NULL;

	INSTR_TIME_SET_CURRENT(start);
	writer = es_bridge_open_writer(description);
	memset(description, 0, strlen(description));	/* it held credentials */
	PG_TRY();
	{
		outcome = es_bridge_deliver(writer, b->actions.data, b->actions.len);
	}
	PG_CATCH();
	{
		/* no transaction callback forgets a sync writer: do it here */
		es_bridge_quietly(true, writer, 0, 0);
		PG_RE_THROW();
	}
	PG_END_TRY();
	es_bridge_end_writer(writer);
	INSTR_TIME_SET_CURRENT(elapsed);
	INSTR_TIME_SUBTRACT(elapsed, start);
	b->send_ms = INSTR_TIME_GET_MILLISEC(elapsed);
	return outcome;
}

/* A document Elasticsearch refused for itself, with the reason and the document: the last one per id. */
static void
add_dead_letter(Batch *b, SentRow *row, Datum status, const char *reason)
{
	Oid			types[6] = {OIDOID, TEXTOID, TEXTARRAYOID, TEXTOID, INT4OID, TEXTOID};
	Datum		values[6];
	char		nulls[6] = {' ', ' ', ' ', ' ', ' ', ' '};

	values[0] = ObjectIdGetDatum(b->entry->source);
	values[1] = CStringGetTextDatum(row->id);
	values[2] = row->key;
	if (row->doc_offset >= 0)
		values[3] = PointerGetDatum(cstring_to_text_with_len(b->actions.data + row->doc_offset, row->doc_len));
	else
		nulls[3] = 'n';
	values[4] = status;
	values[5] = CStringGetTextDatum(reason);
	run(psprintf("INSERT INTO %s.es_sync_dead_letters (source, doc_id, key, document, status, error)"
				 " VALUES ($1, $2, $3, $4, $5, $6) ON CONFLICT (source, doc_id) DO UPDATE"
				 " SET key = excluded.key, document = excluded.document, status = excluded.status,"
				 " error = excluded.error, failed_at = now()", b->schema),
		SPI_OK_INSERT, 6, types, values, nulls);
}

/* Each item not done: a retried one is kept, a dead one goes to the dead letters. */
static void
account_items(Batch *b, const char *outcome)
{
	Oid			types[1] = {JSONBOID};
	Datum		values[1] = {DirectFunctionCall1(jsonb_in, CStringGetDatum(outcome))};
	SPITupleTable *items;
	uint64		nitems;
	uint64		i;

	run("SELECT (e->>'i')::int, e->>'outcome', (e->>'status')::int, e->>'error'"
		" FROM jsonb_array_elements($1) e", SPI_OK_SELECT, 1, types, values, NULL);
	items = SPI_tuptable;
	nitems = SPI_processed;
	b->done = b->nrows;
	for (i = 0; i < nitems; i++)
	{
		HeapTuple	item = items->vals[i];
		bool		isnull;
		int			pos = DatumGetInt32(SPI_getbinval(item, items->tupdesc, 1, &isnull));
		char	   *kind = SPI_getvalue(item, items->tupdesc, 2);
		char	   *reason = SPI_getvalue(item, items->tupdesc, 4);

		if (pos < 0 || pos >= (int) b->nrows)
			elog(ERROR, "es_fdw sync: delivery answered for item %d of %d", pos, (int) b->nrows);
		b->done--;
		if (strcmp(kind, "retry") == 0)
		{
			b->rows[pos].keep = true;
			b->retry = true;
			if (b->error == NULL)
				b->error = psprintf("document \"%s\": %s", b->rows[pos].id, reason);
		}
		else
		{
			add_dead_letter(b, &b->rows[pos], SPI_getbinval(item, items->tupdesc, 3, &isnull), reason);
			b->dead++;
		}
	}
}

/* Put the changes Elasticsearch asked to send again back into the outbox, with their capture time. */
static void
requeue(Batch *b)
{
	EsSyncTable *entry = b->entry;
	char	   *sql = NULL;
	uint64		i;

	for (i = 0; i < b->nrows; i++)
	{
		Oid			types[2] = {TEXTARRAYOID, TIMESTAMPTZOID};
		Datum		values[2] = {b->rows[i].key, b->rows[i].captured};

		if (!b->rows[i].keep)
			continue;
		if (sql == NULL)
			sql = psprintf("INSERT INTO %s (%s, es_captured_at) VALUES (%s, $2)", qualified_name(entry->outbox),
						   key_list(entry, NULL, NULL), key_casts(entry, "$1"));
		run(sql, SPI_OK_INSERT, 2, types, values, NULL);
	}
}

/*
 * The entry's figures: documents delivered, the rate, the backfill's
 * position (advanced only when no item is to be sent again), the error.
 */
static void
update_figures(Batch *b)
{
	EsSyncTable *entry = b->entry;
	Oid			types[7] = {OIDOID, INT8OID, FLOAT8OID, TEXTARRAYOID, INT8OID, BOOLOID, TEXTOID};
	Datum		values[7];
	char		nulls[7] = {' ', ' ', ' ', ' ', ' ', ' ', ' '};
	bool		advance = b->backfill && !b->retry;
	bool		finished = advance && b->nrows < (uint64) entry->batch_size;
	Datum		last_key = b->nrows > 0 ? b->rows[b->nrows - 1].key : (Datum) 0;

	values[0] = ObjectIdGetDatum(entry->source);
	values[1] = Int64GetDatum(b->done);
	values[2] = Float8GetDatum(b->send_ms);
	values[3] = last_key;
	nulls[3] = last_key == (Datum) 0 ? 'n' : ' ';
	values[4] = Int64GetDatum(advance ? (int64) b->nrows : 0);
	values[5] = BoolGetDatum(finished);
	values[6] = b->retry ? CStringGetTextDatum(b->error) : (Datum) 0;
	nulls[6] = b->retry ? ' ' : 'n';
	run(psprintf("UPDATE %s.es_sync_tables SET delivered = delivered + $2,"
				 " last_delivery = CASE WHEN $2 > 0 THEN clock_timestamp() ELSE last_delivery END,"
				 " rate_docs = CASE WHEN rate_since IS NULL OR clock_timestamp() - rate_since > interval '10 s'"
				 "   THEN $2 ELSE rate_docs + $2 END,"
				 " rate_since = CASE WHEN rate_since IS NULL OR clock_timestamp() - rate_since > interval '10 s'"
				 "   THEN clock_timestamp() - $3 * interval '1 ms' ELSE rate_since END,"
				 " backfill_after = CASE WHEN $5 > 0 THEN $4 ELSE backfill_after END,"
				 " backfill_done = backfill_done + $5,"
				 " backfill_finished = CASE WHEN $6 THEN clock_timestamp() ELSE backfill_finished END,"
				 " last_error = coalesce($7, last_error),"
				 " last_error_at = CASE WHEN $7 IS NOT NULL THEN clock_timestamp() ELSE last_error_at END"
				 " WHERE source = $1", b->schema), SPI_OK_UPDATE, 7, types, values, nulls);
	if (advance)
	{
		/* the entry outlives this transaction in the worker */
		MemoryContext old = MemoryContextSwitchTo(entry->cxt);

		if (last_key != (Datum) 0)
			entry->backfill_after = datumCopy(last_key, false, -1);
		entry->backfilling = !finished;
		MemoryContextSwitchTo(old);
	}
}

/*
 * A version for a batch: taken after its snapshot, and durable before
 * anything is sent, so that no version is ever handed out twice, even
 * after a crash.  nextval WAL-logs a sequence ahead of the values it hands
 * out; the record that covers this value (ours, or another process's not
 * yet flushed) is the one whose LSN the sequence's page carries.
 */
static int64
durable_version(Oid namespace)
{
	Oid			seq = get_relname_relid("es_sync_version", namespace);
	int64		version = DatumGetInt64(DirectFunctionCall1(nextval_oid, ObjectIdGetDatum(seq)));
	Relation	rel = relation_open(seq, AccessShareLock);
	Buffer		buf = ReadBuffer(rel, 0);
	XLogRecPtr	lsn;

	LockBuffer(buf, BUFFER_LOCK_SHARE);
	lsn = PageGetLSN(BufferGetPage(buf));
	UnlockReleaseBuffer(buf);
	relation_close(rel, AccessShareLock);
	if (!XLogRecPtrIsInvalid(lsn))
		XLogFlush(lsn);
	return version;
}

/*
 * One batch of a table's changes -- or, when its outbox is empty and its
 * backfill is not finished, one backfill page -- sent and accounted for,
 * in the current transaction.  Returns the documents done; *found: the
 * batch was not empty; *retry: some items must be sent again (the batch's
 * outbox rows stay, or the backfill does not advance), *error their reason
 * (in the caller's memory).
 */
int64
es_sync_deliver(EsSyncTable *entry, bool *found, bool *retry, char **error)
{
	MemoryContext caller = CurrentMemoryContext;
	Batch		b;
	Oid			namespace = ext_namespace();

	*found = *retry = false;
	*error = NULL;
	memset(&b, 0, sizeof(b));
	b.entry = entry;
	if (!OidIsValid(namespace) || !SearchSysCacheExists1(RELOID, ObjectIdGetDatum(entry->source)))
		return 0;
	b.schema = quote_identifier(get_namespace_name(namespace));
	DirectFunctionCall2(pg_advisory_xact_lock_int4, Int32GetDatum(SYNC_LOCK_KEY),
						Int32GetDatum((int32) entry->source));
	/* locking processes invalidations: an unsync or a DROP that committed meanwhile is seen now */
	LockRelationOid(entry->source, AccessShareLock);
	LockRelationOid(entry->outbox, RowExclusiveLock);
	if (!SearchSysCacheExists1(RELOID, ObjectIdGetDatum(entry->source)) ||
		!SearchSysCacheExists1(RELOID, ObjectIdGetDatum(entry->outbox)))
		return 0;

	SPI_connect();
	open_target(&b);
	read_batch(&b);
	b.nrows = SPI_processed;
	if (b.nrows > 0)
	{
		encode_rows(&b, durable_version(namespace));
		account_items(&b, send_actions(&b));
		if (!b.backfill)
			requeue(&b);
	}
	if (b.nrows > 0 || b.backfill)
		update_figures(&b);
	*found = b.nrows > 0;
	*retry = b.retry;
	if (b.error)
		*error = MemoryContextStrdup(caller, b.error);
	close_target(&b);
	SPI_finish();
	return b.done;
}

/* ----- the worker's marker files ----- */

/* $PGDATA/es_fdw/sync: one empty file per database with synced tables, named by its OID. */
char *
es_sync_marker_dir(void)
{
	return psprintf("%s/es_fdw/sync", DataDir);
}

/* es_sync_table() ran in this transaction: mark the database when it commits. */
static bool marker_at_commit = false;

/*
 * Write the database's marker (at COMMIT, when the worker can see the new
 * entry; a worker that found none and removed the marker meanwhile looks
 * again after removing it, so one of the two wins).  Never raises.
 */
bool
es_sync_write_marker(void)
{
	char	   *dir = es_sync_marker_dir();
	char	   *path = psprintf("%s/%u", dir, MyDatabaseId);
	int			fd;

	if (pg_mkdir_p(dir, pg_dir_create_mode) != 0 && errno != EEXIST)
	{
		ereport(WARNING, (errcode_for_file_access(), errmsg("could not create directory \"%s\": %m", dir)));
		return false;
	}
	fd = open(path, O_WRONLY | O_CREAT | PG_BINARY, pg_file_create_mode);
	if (fd < 0)
	{
		ereport(WARNING, (errcode_for_file_access(), errmsg("could not create file \"%s\": %m", path),
						  errhint("The sync worker of this database will not start after a restart.")));
		return false;
	}
	close(fd);
	return true;
}

static void
sync_xact_callback(XactEvent event, void *arg)
{
	if (event == XACT_EVENT_COMMIT && marker_at_commit)
		(void) es_sync_write_marker();
	if (event == XACT_EVENT_COMMIT || event == XACT_EVENT_ABORT)
		marker_at_commit = false;
}

void
es_sync_register_callbacks(void)
{
	RegisterXactCallback(sync_xact_callback, NULL);
}

/* The database has no synced table left: its worker need not start again. */
void
es_sync_remove_marker(void)
{
	char	   *path = psprintf("%s/%u", es_sync_marker_dir(), MyDatabaseId);

	if (unlink(path) != 0 && errno != ENOENT)
		ereport(WARNING, (errcode_for_file_access(), errmsg("could not remove file \"%s\": %m", path)));
}

/* ----- SQL functions ----- */

static void
check_not_synced(const char *schema, Oid source)
{
	Oid			types[1] = {OIDOID};
	Datum		values[1] = {ObjectIdGetDatum(source)};

	run(psprintf("SELECT 1 FROM %s.es_sync_tables WHERE source = $1", schema), SPI_OK_SELECT, 1, types, values, NULL);
	if (SPI_processed > 0)
		ereport(ERROR,
				(errcode(ERRCODE_DUPLICATE_OBJECT),
				 errmsg("table \"%s\" is already synced to Elasticsearch", get_rel_name(source)),
				 errhint("Call es_unsync_table('%s') first to sync it elsewhere.", qualified_name(source))));
}

/* The primary key's column names, in key order; a table without one is refused. */
static List *
primary_key(Relation rel)
{
	Oid			index = RelationGetPrimaryKeyIndex(rel);
	HeapTuple	tuple;
	Form_pg_index form;
	List	   *names = NIL;
	int			i;

	if (!OidIsValid(index))
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_TABLE_DEFINITION),
				 errmsg("table \"%s\" has no primary key, so it cannot be synced to Elasticsearch",
						RelationGetRelationName(rel)),
				 errdetail("Table sync uses the primary key as the document _id and to page through the backfill."),
				 errhint("Add a primary key (it may span several columns).")));
	tuple = SearchSysCache1(INDEXRELID, ObjectIdGetDatum(index));
	if (!HeapTupleIsValid(tuple))
		elog(ERROR, "cache lookup failed for index %u", index);
	form = (Form_pg_index) GETSTRUCT(tuple);
	for (i = 0; i < form->indnkeyatts; i++)
		names = lappend(names, pstrdup(NameStr(TupleDescAttr(RelationGetDescr(rel), form->indkey.values[i] - 1)->attname)));
	ReleaseSysCache(tuple);
	return names;
}

/* The target must be a foreign table of es_fdw whose document columns the source has. */
static void
check_target(Relation source, Oid target, const char *document)
{
	Relation	rel;
	ForeignTable *table;
	ForeignDataWrapper *fdw;
	EsTableOptions *opts;
	TupleDesc	desc;
	int			i;

	if (get_rel_relkind(target) != RELKIND_FOREIGN_TABLE)
		ereport(ERROR,
				(errcode(ERRCODE_WRONG_OBJECT_TYPE),
				 errmsg("\"%s\" is not a foreign table", get_rel_name(target)),
				 errhint("The target is a foreign table of es_fdw, or give a server and an index.")));
	table = GetForeignTable(target);
	fdw = GetForeignDataWrapper(GetForeignServer(table->serverid)->fdwid);
	if (!OidIsValid(fdw->fdwhandler) || strcmp(get_func_name(fdw->fdwhandler), "es_fdw_handler") != 0)
		ereport(ERROR,
				(errcode(ERRCODE_WRONG_OBJECT_TYPE),
				 errmsg("foreign table \"%s\" is not an es_fdw table", get_rel_name(target))));
	if (document != NULL)
		return;
	rel = table_open(target, AccessShareLock);
	opts = es_get_table_options(target, GetUserId());
	desc = RelationGetDescr(rel);
	for (i = 0; i < desc->natts; i++)
	{
		Form_pg_attribute attr = TupleDescAttr(desc, i);
		char	   *field;

		if (attr->attisdropped || get_attnum(RelationGetRelid(source), NameStr(attr->attname)) != InvalidAttrNumber)
			continue;
		field = es_column_field_path(rel, attr, opts);
		if (field[0] != '_')
			ereport(ERROR,
					(errcode(ERRCODE_UNDEFINED_COLUMN),
					 errmsg("column \"%s\" of foreign table \"%s\" has no column of the same name in table \"%s\"",
							NameStr(attr->attname), RelationGetRelationName(rel), RelationGetRelationName(source)),
					 errdetail("Table sync fills the foreign table's columns from the source's columns of the same names."),
					 errhint("Give a document expression, or drop the column from the foreign table.")));
	}
	table_close(rel, AccessShareLock);
}

/*
 * The capture's objects are not members of the extension (pg_dump keeps
 * them, with the registry), but depend on it: DROP EXTENSION names them,
 * and with CASCADE drops them, triggers included.
 */
static void
depend_on_extension(Oid classid, Oid objid)
{
	ObjectAddress object = {classid, objid, 0};
	ObjectAddress extension = {ExtensionRelationId, get_extension_oid("es_fdw", false), 0};

	recordDependencyOn(&object, &extension, DEPENDENCY_NORMAL);
}

/*
 * Capture: an outbox table of the keys, and statement triggers with
 * transition tables that fill it (a TRUNCATE records every key first).
 */
static char *
create_capture(EsSyncTable *entry)
{
	char	   *source = qualified_name(entry->source);
	char	   *outbox = psprintf("es_fdw_sync.%s", quote_identifier(psprintf("outbox_%u", entry->source)));
	char	   *function = psprintf("es_fdw_sync.%s", quote_identifier(psprintf("capture_%u", entry->source)));
	char	   *keys = key_list(entry, NULL, NULL);
	StringInfoData columns;
	int			k;

	initStringInfo(&columns);
	for (k = 0; k < entry->nkeys; k++)
	{
		AttrNumber	attnum = get_attnum(entry->source, entry->keys[k]);
		Oid			type;
		int32		typmod;
		Oid			collation;

		get_atttypetypmodcoll(entry->source, attnum, &type, &typmod, &collation);
		appendStringInfo(&columns, "%s %s NOT NULL, ", quote_identifier(entry->keys[k]),
						 format_type_with_typemod(type, typmod));
	}
	if (!OidIsValid(get_namespace_oid("es_fdw_sync", true)))
	{
		run("CREATE SCHEMA es_fdw_sync", SPI_OK_UTILITY, 0, NULL, NULL, NULL);
		run("GRANT USAGE ON SCHEMA es_fdw_sync TO PUBLIC", SPI_OK_UTILITY, 0, NULL, NULL, NULL);
		depend_on_extension(NamespaceRelationId, get_namespace_oid("es_fdw_sync", false));
	}
	run(psprintf("CREATE TABLE %s (%ses_captured_at timestamptz NOT NULL DEFAULT now())", outbox, columns.data),
		SPI_OK_UTILITY, 0, NULL, NULL, NULL);
	/* anyone who writes the table writes its outbox; a key there only makes a delivery read the row */
	run(psprintf("GRANT INSERT ON %s TO PUBLIC", outbox), SPI_OK_UTILITY, 0, NULL, NULL, NULL);
	run(psprintf("CREATE FUNCTION %s() RETURNS trigger LANGUAGE plpgsql AS $es_sync$\n"
				 "BEGIN\n"
				 "  IF TG_OP = 'INSERT' THEN\n"
				 "    INSERT INTO %s (%s) SELECT %s FROM es_new;\n"
				 "  ELSIF TG_OP = 'UPDATE' THEN\n"
				 "    INSERT INTO %s (%s) SELECT %s FROM es_new UNION SELECT %s FROM es_old;\n"
				 "  ELSIF TG_OP = 'DELETE' THEN\n"
				 "    INSERT INTO %s (%s) SELECT %s FROM es_old;\n"
				 "  ELSE\n"
				 "    EXECUTE format(%s, TG_TABLE_SCHEMA, TG_TABLE_NAME);\n"
				 "  END IF;\n"
				 "  RETURN NULL;\n"
				 "END\n$es_sync$",
				 function, outbox, keys, keys, outbox, keys, keys, keys, outbox, keys, keys,
				 quote_literal_cstr(psprintf("INSERT INTO %s (%s) SELECT %s FROM %%I.%%I", outbox, keys, keys))),
		SPI_OK_UTILITY, 0, NULL, NULL, NULL);
	depend_on_extension(RelationRelationId, DatumGetObjectId(DirectFunctionCall1(regclassin, CStringGetDatum(outbox))));
	depend_on_extension(ProcedureRelationId,
						DatumGetObjectId(DirectFunctionCall1(regprocedurein, CStringGetDatum(psprintf("%s()", function)))));
	run(psprintf("CREATE TRIGGER es_sync_insert AFTER INSERT ON %s REFERENCING NEW TABLE AS es_new"
				 " FOR EACH STATEMENT EXECUTE FUNCTION %s()", source, function), SPI_OK_UTILITY, 0, NULL, NULL, NULL);
	run(psprintf("CREATE TRIGGER es_sync_update AFTER UPDATE ON %s REFERENCING OLD TABLE AS es_old NEW TABLE AS es_new"
				 " FOR EACH STATEMENT EXECUTE FUNCTION %s()", source, function), SPI_OK_UTILITY, 0, NULL, NULL, NULL);
	run(psprintf("CREATE TRIGGER es_sync_delete AFTER DELETE ON %s REFERENCING OLD TABLE AS es_old"
				 " FOR EACH STATEMENT EXECUTE FUNCTION %s()", source, function), SPI_OK_UTILITY, 0, NULL, NULL, NULL);
	run(psprintf("CREATE TRIGGER es_sync_truncate BEFORE TRUNCATE ON %s FOR EACH STATEMENT EXECUTE FUNCTION %s()",
				 source, function), SPI_OK_UTILITY, 0, NULL, NULL, NULL);
	return outbox;
}

static Datum
sync_table(Oid source, Oid target, const char *server, const char *index, const char *document, int batch_size)
{
	char	   *schema = ext_schema();
	Relation	rel;
	List	   *keys;
	EsSyncTable entry;
	ListCell   *cell;
	char	   *outbox;
	int64		total;
	char		relkind = get_rel_relkind(source);

	if (schema == NULL)
		elog(ERROR, "es_fdw is not installed in this database");
	if (relkind != RELKIND_RELATION && relkind != RELKIND_PARTITIONED_TABLE)
		ereport(ERROR,
				(errcode(ERRCODE_WRONG_OBJECT_TYPE),
				 errmsg("\"%s\" is not a table", get_rel_name(source))));
	if (!pg_class_ownercheck(source, GetUserId()))
		aclcheck_error(ACLCHECK_NOT_OWNER, OBJECT_TABLE, get_rel_name(source));
	if (batch_size < 1 || batch_size > 100000)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("batch_size must be between 1 and 100000, not %d", batch_size)));
	rel = table_open(source, ShareRowExclusiveLock);
	keys = primary_key(rel);
	if (OidIsValid(target))
		check_target(rel, target, document);
	else
		(void) es_get_server_options(server, index, GetUserId());	/* the server exists, its options parse */
	table_close(rel, NoLock);

	memset(&entry, 0, sizeof(entry));
	entry.source = source;
	entry.target = target;
	entry.server = (char *) server;
	entry.index = (char *) index;
	entry.document = (char *) document;
	entry.nkeys = list_length(keys);
	entry.keys = palloc(sizeof(char *) * entry.nkeys);
	entry.batch_size = batch_size;
	entry.cxt = CurrentMemoryContext;
	foreach(cell, keys)
		entry.keys[foreach_current_index(cell)] = lfirst(cell);

	SPI_connect();
	check_not_synced(schema, source);
	outbox = create_capture(&entry);
	entry.outbox = DatumGetObjectId(DirectFunctionCall1(regclassin, CStringGetDatum(outbox)));
	entry.owner = GetUserId();

	/* the delivery's queries must plan: a bad document expression or cast fails here */
	{
		Relation	trel = OidIsValid(target) ? table_open(target, AccessShareLock) : NULL;
		Oid			types[1] = {TEXTARRAYOID};
		MemoryContext cxt = CurrentMemoryContext;

		PG_TRY();
		{
			if (SPI_prepare(outbox_query(&entry, trel), 0, NULL) == NULL ||
				SPI_prepare(backfill_query(&entry, trel, false), 1, types) == NULL)
				elog(ERROR, "es_fdw sync: could not prepare the delivery queries");
		}
		PG_CATCH();
		{
			ErrorData  *edata;

			MemoryContextSwitchTo(cxt);
			edata = CopyErrorData();
			FlushErrorState();
			ereport(ERROR,
					(errcode(edata->sqlerrcode),
					 errmsg("cannot sync table \"%s\": %s", get_rel_name(source), edata->message),
					 document ? errhint("The document expression refers to the table's row as src.") : 0));
		}
		PG_END_TRY();
		if (trel)
			table_close(trel, AccessShareLock);
	}

	run(psprintf("SELECT count(*) FROM %s", qualified_name(source)), SPI_OK_SELECT, 0, NULL, NULL, NULL);
	{
		bool		isnull;

		total = DatumGetInt64(SPI_getbinval(SPI_tuptable->vals[0], SPI_tuptable->tupdesc, 1, &isnull));
	}
	{
		Oid			types[10] = {OIDOID, OIDOID, TEXTOID, TEXTOID, TEXTOID, NAMEARRAYOID, OIDOID, OIDOID, INT4OID, INT8OID};
		Datum		values[10];
		char		nulls[10] = {' ', ' ', ' ', ' ', ' ', ' ', ' ', ' ', ' ', ' '};
		Datum	   *names = palloc(sizeof(Datum) * entry.nkeys);
		int			k;

		for (k = 0; k < entry.nkeys; k++)
			names[k] = DirectFunctionCall1(namein, CStringGetDatum(entry.keys[k]));
		values[0] = ObjectIdGetDatum(source);
		values[1] = ObjectIdGetDatum(target);
		nulls[1] = OidIsValid(target) ? ' ' : 'n';
		values[2] = server ? CStringGetTextDatum(server) : (Datum) 0;
		nulls[2] = server ? ' ' : 'n';
		values[3] = index ? CStringGetTextDatum(index) : (Datum) 0;
		nulls[3] = index ? ' ' : 'n';
		values[4] = document ? CStringGetTextDatum(document) : (Datum) 0;
		nulls[4] = document ? ' ' : 'n';
		values[5] = PointerGetDatum(construct_array(names, entry.nkeys, NAMEOID, NAMEDATALEN, false, TYPALIGN_CHAR));
		values[6] = ObjectIdGetDatum(entry.outbox);
		values[7] = ObjectIdGetDatum(entry.owner);
		values[8] = Int32GetDatum(batch_size);
		values[9] = Int64GetDatum(total);
		/* an empty table has nothing to backfill: later rows are captured */
		run(psprintf("INSERT INTO %s.es_sync_tables (source, target, server, index, document, key_columns, outbox,"
					 " owner, batch_size, backfill_total, backfill_started, backfill_finished)"
					 " VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, clock_timestamp(),"
					 " CASE WHEN $10 = 0 THEN clock_timestamp() END)", schema),
			SPI_OK_INSERT, 10, types, values, nulls);
	}
	SPI_finish();
	marker_at_commit = true;
	if (!es_sync_preloaded)
		ereport(NOTICE,
				(errmsg("es_fdw is not in shared_preload_libraries: no background worker delivers the changes of \"%s\"",
						get_rel_name(source)),
				 errhint("Add es_fdw to shared_preload_libraries and restart, or call es_sync_flush() (e.g. from cron).")));
	PG_RETURN_INT64(total);
}

Datum
es_sync_table(PG_FUNCTION_ARGS)
{
	if (PG_ARGISNULL(0) || PG_ARGISNULL(1) || PG_ARGISNULL(3))
		ereport(ERROR, (errcode(ERRCODE_NULL_VALUE_NOT_ALLOWED), errmsg("es_sync_table needs a source table and a target")));
	return sync_table(PG_GETARG_OID(0), PG_GETARG_OID(1), NULL, NULL,
					  PG_ARGISNULL(2) ? NULL : text_to_cstring(PG_GETARG_TEXT_PP(2)), PG_GETARG_INT32(3));
}

Datum
es_sync_table_index(PG_FUNCTION_ARGS)
{
	if (PG_ARGISNULL(0) || PG_ARGISNULL(1) || PG_ARGISNULL(2) || PG_ARGISNULL(4))
		ereport(ERROR, (errcode(ERRCODE_NULL_VALUE_NOT_ALLOWED), errmsg("es_sync_table needs a source table, a server and an index")));
	return sync_table(PG_GETARG_OID(0), InvalidOid, NameStr(*PG_GETARG_NAME(1)), text_to_cstring(PG_GETARG_TEXT_PP(2)),
					  PG_ARGISNULL(3) ? NULL : text_to_cstring(PG_GETARG_TEXT_PP(3)), PG_GETARG_INT32(4));
}

/* Drop a synced table's capture and registry entry; the changes pending are discarded (their count). */
int64
es_sync_drop(Oid source, Oid outbox)
{
	char	   *schema = ext_schema();
	Oid			types[1] = {OIDOID};
	Datum		values[1] = {ObjectIdGetDatum(source)};
	int64		pending = 0;
	bool		isnull;

	SPI_connect();
	if (SearchSysCacheExists1(RELOID, ObjectIdGetDatum(outbox)))
	{
		run(psprintf("SELECT count(*) FROM %s", qualified_name(outbox)), SPI_OK_SELECT, 0, NULL, NULL, NULL);
		pending = DatumGetInt64(SPI_getbinval(SPI_tuptable->vals[0], SPI_tuptable->tupdesc, 1, &isnull));
	}
	if (SearchSysCacheExists1(RELOID, ObjectIdGetDatum(source)))
	{
		char	   *name = qualified_name(source);

		run(psprintf("DROP TRIGGER IF EXISTS es_sync_insert ON %s", name), SPI_OK_UTILITY, 0, NULL, NULL, NULL);
		run(psprintf("DROP TRIGGER IF EXISTS es_sync_update ON %s", name), SPI_OK_UTILITY, 0, NULL, NULL, NULL);
		run(psprintf("DROP TRIGGER IF EXISTS es_sync_delete ON %s", name), SPI_OK_UTILITY, 0, NULL, NULL, NULL);
		run(psprintf("DROP TRIGGER IF EXISTS es_sync_truncate ON %s", name), SPI_OK_UTILITY, 0, NULL, NULL, NULL);
	}
	run(psprintf("DROP FUNCTION IF EXISTS es_fdw_sync.%s()", quote_identifier(psprintf("capture_%u", source))),
		SPI_OK_UTILITY, 0, NULL, NULL, NULL);
	run(psprintf("DROP TABLE IF EXISTS es_fdw_sync.%s", quote_identifier(psprintf("outbox_%u", source))),
		SPI_OK_UTILITY, 0, NULL, NULL, NULL);
	run(psprintf("DELETE FROM %s.es_sync_dead_letters WHERE source = $1", schema), SPI_OK_DELETE, 1, types, values, NULL);
	run(psprintf("DELETE FROM %s.es_sync_tables WHERE source = $1", schema), SPI_OK_DELETE, 1, types, values, NULL);
	SPI_finish();
	return pending;
}

Datum
es_unsync_table(PG_FUNCTION_ARGS)
{
	Oid			source = PG_GETARG_OID(0);
	List	   *entries = es_sync_entries(source);
	EsSyncTable *entry;
	int64		pending;

	if (entries == NIL)
		ereport(ERROR,
				(errcode(ERRCODE_UNDEFINED_OBJECT),
				 errmsg("table \"%s\" is not synced to Elasticsearch", get_rel_name(source))));
	if (!pg_class_ownercheck(source, GetUserId()))
		aclcheck_error(ACLCHECK_NOT_OWNER, OBJECT_TABLE, get_rel_name(source));
	entry = linitial(entries);
	/* wait for a delivery in progress */
	DirectFunctionCall2(pg_advisory_xact_lock_int4, Int32GetDatum(SYNC_LOCK_KEY), Int32GetDatum((int32) source));
	pending = es_sync_drop(source, entry->outbox);
	if (pending > 0)
		ereport(NOTICE,
				(errmsg_plural("%lld change of \"%s\" not yet delivered to Elasticsearch was discarded",
							   "%lld changes of \"%s\" not yet delivered to Elasticsearch were discarded",
							   pending, (long long) pending, get_rel_name(source))));
	PG_RETURN_INT64(pending);
}

/*
 * Deliver everything pending (all synced tables, or one) now, in this
 * transaction; the documents done.  Refused in a transaction that has
 * written: its uncommitted changes would be sent, and a rollback could not
 * take them back.
 */
Datum
es_sync_flush(PG_FUNCTION_ARGS)
{
	Oid			source = PG_ARGISNULL(0) ? InvalidOid : PG_GETARG_OID(0);
	List	   *entries;
	ListCell   *cell;
	int64		total = 0;

	if (TransactionIdIsValid(GetTopTransactionIdIfAny()))
		ereport(ERROR,
				(errcode(ERRCODE_ACTIVE_SQL_TRANSACTION),
				 errmsg("es_sync_flush() cannot run in a transaction that has written"),
				 errdetail("It would send the transaction's own changes before they commit."),
				 errhint("Call it in its own transaction.")));
	entries = es_sync_entries(source);
	if (OidIsValid(source) && entries == NIL)
		ereport(ERROR,
				(errcode(ERRCODE_UNDEFINED_OBJECT),
				 errmsg("table \"%s\" is not synced to Elasticsearch", get_rel_name(source))));
	foreach(cell, entries)
	{
		EsSyncTable *entry = lfirst(cell);
		int			attempts = 0;

		for (;;)
		{
			bool		found;
			bool		retry;
			char	   *error;

			CHECK_FOR_INTERRUPTS();
			total += es_sync_deliver(entry, &found, &retry, &error);
			if (retry)
			{
				if (++attempts >= FLUSH_ATTEMPTS)
					ereport(ERROR,
							(errcode(ERRCODE_FDW_ERROR),
							 errmsg("changes of \"%s\" could not be delivered to Elasticsearch: %s",
									get_rel_name(entry->source), error),
							 errhint("They stay queued; the background worker keeps retrying (see es_sync_status).")));
				pg_usleep(100000L * attempts);
				continue;
			}
			if (!found)
				break;
		}
	}
	PG_RETURN_INT64(total);
}

/* Queue the dead letters' documents (all, or one table's) again, after the cause was fixed; how many. */
Datum
es_sync_redrive(PG_FUNCTION_ARGS)
{
	Oid			source = PG_ARGISNULL(0) ? InvalidOid : PG_GETARG_OID(0);
	List	   *entries = es_sync_entries(source);
	char	   *schema = ext_schema();
	ListCell   *cell;
	int64		total = 0;

	SPI_connect();
	foreach(cell, entries)
	{
		EsSyncTable *entry = lfirst(cell);
		Oid			types[1] = {OIDOID};
		Datum		values[1] = {ObjectIdGetDatum(entry->source)};

		if (!pg_class_ownercheck(entry->source, GetUserId()))
			aclcheck_error(ACLCHECK_NOT_OWNER, OBJECT_TABLE, get_rel_name(entry->source));
		run(psprintf("WITH d AS (DELETE FROM %s.es_sync_dead_letters WHERE source = $1 RETURNING key)"
					 " INSERT INTO %s (%s) SELECT %s FROM d", schema, qualified_name(entry->outbox),
					 key_list(entry, NULL, NULL), key_casts(entry, "d.key")), SPI_OK_INSERT, 1, types, values, NULL);
		total += SPI_processed;
	}
	SPI_finish();
	PG_RETURN_INT64(total);
}
