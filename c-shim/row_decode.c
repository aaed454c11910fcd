/*-------------------------------------------------------------------------
 *
 * row_decode.c
 *		Row batches from Java (docs/boundary.md) into tuple values: each
 *		value is UTF-8 text in its column type's input syntax, fed to the
 *		type's input function under an error context naming the column and
 *		the document.
 *
 * A batch is checked as it is read: a malformed batch is an error, never a
 * read past its end.
 *
 *-------------------------------------------------------------------------
 */
#include "es_fdw.h"

#include "funcapi.h"
#include "mb/pg_wchar.h"
#include "utils/memutils.h"
#include "utils/rel.h"

/* What the error context callback names while a value is converted. */
typedef struct DecodeContext
{
	Relation	rel;
	AttrNumber	attnum;
	const char *document_id;
} DecodeContext;

static void
decode_error_callback(void *arg)
{
	DecodeContext *ctx = (DecodeContext *) arg;
	Form_pg_attribute attr = TupleDescAttr(RelationGetDescr(ctx->rel), ctx->attnum - 1);

	errcontext("column \"%s\" of foreign table \"%s\", Elasticsearch document _id \"%s\"",
			   NameStr(attr->attname), RelationGetRelationName(ctx->rel),
			   ctx->document_id ? ctx->document_id : "?");
}

static void
malformed(void)
{
	ereport(ERROR,
			(errcode(ERRCODE_FDW_REPLY_HANDLE),
			 errmsg("es_fdw: malformed row batch from the Java module")));
}

static int32
read_int32(EsRowBatch *batch)
{
	uint32		value;

	if (batch->len - batch->pos < 4)
		malformed();
	memcpy(&value, batch->data + batch->pos, 4);
	batch->pos += 4;
	return (int32) pg_ntoh32(value);
}

/* The next length-prefixed text, converted to the server encoding; NULL for SQL NULL. */
static char *
read_text(EsRowBatch *batch)
{
	int32		len = read_int32(batch);
	char	   *text;

	if (len == -1)
		return NULL;
	if (len < 0 || batch->len - batch->pos < len)
		malformed();
	text = pnstrdup(batch->data + batch->pos, len);
	batch->pos += len;
	return pg_any_to_server(text, len, PG_UTF8);
}

/*
 * Fetch the next batch of a Java scan into batch, its bytes in cxt (reset
 * first, so only one batch is ever held); false when the scan has no more rows.
 */
bool
es_batch_fetch(EsRowBatch *batch, int64 handle, MemoryContext cxt)
{
	MemoryContext old;
	char	   *data;
	int			len;

	MemoryContextReset(cxt);
	old = MemoryContextSwitchTo(cxt);
	data = es_bridge_next_batch(handle, &len);
	MemoryContextSwitchTo(old);
	es_batch_start(batch, data, len);
	return batch->rows_left > 0;
}

void
es_batch_start(EsRowBatch *batch, char *data, int len)
{
	batch->data = data;
	batch->len = len;
	batch->pos = 0;
	batch->rows_left = 0;
	batch->rows_left = read_int32(batch);
	if (batch->rows_left < 0)
		malformed();
}

/*
 * Decode the next row into values/nulls (indexed by attnum - 1; columns not
 * retrieved stay NULL).  False when the batch has no more rows.
 */
bool
es_batch_next_row(EsRowBatch *batch, Relation rel, List *retrieved_attrs,
				  AttInMetadata *attinmeta, Datum *values, bool *nulls)
{
	DecodeContext ctx;
	ErrorContextCallback callback;
	ListCell   *cell;

	if (batch->rows_left <= 0)
		return false;
	batch->rows_left--;
	memset(nulls, true, sizeof(bool) * RelationGetDescr(rel)->natts);

	ctx.rel = rel;
	ctx.document_id = read_text(batch);
	callback.callback = decode_error_callback;
	callback.arg = &ctx;
	callback.previous = error_context_stack;
	error_context_stack = &callback;

	foreach(cell, retrieved_attrs)
	{
		AttrNumber	attnum = lfirst_int(cell);
		char	   *text;

		ctx.attnum = attnum;
		text = read_text(batch);
		values[attnum - 1] = InputFunctionCall(&attinmeta->attinfuncs[attnum - 1], text,
											   attinmeta->attioparams[attnum - 1],
											   attinmeta->atttypmods[attnum - 1]);
		nulls[attnum - 1] = (text == NULL);
	}
	error_context_stack = callback.previous;
	return true;
}

/* The one row of a count_only scan: its single value, the count. */
int64
es_batch_next_count(EsRowBatch *batch)
{
	char	   *text;
	char	   *end;
	int64		count;

	if (batch->rows_left != 1)
		malformed();
	batch->rows_left = 0;
	(void) read_text(batch);	/* document id: none */
	text = read_text(batch);
	if (text == NULL)
		malformed();
	errno = 0;
	count = strtoi64(text, &end, 10);
	if (errno != 0 || *end != '\0' || count < 0)
		malformed();
	return count;
}

/* The next row's n values as C strings (NULL for SQL NULL); false when the batch has no more rows. */
bool
es_batch_next_texts(EsRowBatch *batch, int n, char **texts)
{
	int			i;

	if (batch->rows_left <= 0)
		return false;
	batch->rows_left--;
	(void) read_text(batch);	/* the document id is a column here */
	for (i = 0; i < n; i++)
		texts[i] = read_text(batch);
	return true;
}

/*
 * The next row into values/nulls of a tuple of natts columns (an
 * aggregation's); ratios flags the integer averages, sent as "sum/count".
 */
bool
es_batch_next_tuple(EsRowBatch *batch, AttInMetadata *attinmeta, const bool *ratios, int natts,
					Datum *values, bool *nulls)
{
	int			i;

	if (batch->rows_left <= 0)
		return false;
	batch->rows_left--;
	(void) read_text(batch);	/* document id: none */
	for (i = 0; i < natts; i++)
	{
		char	   *text = read_text(batch);

		if (ratios[i] && text != NULL)
			values[i] = es_integer_avg(text);
		else
			values[i] = InputFunctionCall(&attinmeta->attinfuncs[i], text, attinmeta->attioparams[i],
										  attinmeta->atttypmods[i]);
		nulls[i] = (text == NULL);
	}
	return true;
}
