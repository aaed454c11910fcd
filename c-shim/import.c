/*-------------------------------------------------------------------------
 *
 * import.c
 *		IMPORT FOREIGN SCHEMA: Java reads the remote schema's mappings and
 *		answers with neutral table descriptions (docs/import-schema.md); here
 *		they become CREATE FOREIGN TABLE statements, every identifier and
 *		literal quoted by PostgreSQL's own functions.
 *
 *-------------------------------------------------------------------------
 */
#include "es_fdw.h"

#include "commands/defrem.h"
#include "foreign/foreign.h"
#include "parser/parse_type.h"
#include "mb/pg_wchar.h"
#include "miscadmin.h"
#include "utils/builtins.h"
#include "utils/json.h"
#include "utils/jsonb.h"

/* A string member of a JSON object, or NULL (absent or JSON null). */
static char *
json_text(JsonbContainer *object, const char *key)
{
	JsonbValue	value;

	if (getKeyJsonValueFromContainer(object, key, strlen(key), &value) == NULL || value.type != jbvString)
		return NULL;
	return pnstrdup(value.val.string.val, value.val.string.len);
}

/* An array member of a JSON object, or NULL. */
static JsonbContainer *
json_array(JsonbContainer *object, const char *key)
{
	JsonbValue	value;

	if (getKeyJsonValueFromContainer(object, key, strlen(key), &value) == NULL || value.type != jbvBinary ||
		!JsonContainerIsArray(value.val.binary.data))
		return NULL;
	return value.val.binary.data;
}

/* Element i of a JSON array, when it is an object or a string. */
static JsonbValue *
json_element(JsonbContainer *array, int i)
{
	return getIthJsonbValueFromContainer(array, i);
}

static void
malformed(void)
{
	ereport(ERROR,
			(errcode(ERRCODE_FDW_REPLY_HANDLE),
			 errmsg("es_fdw: malformed IMPORT FOREIGN SCHEMA answer from the Java module")));
}

/* The request for Java: connection, remote schema, LIMIT TO / EXCEPT list, the statement's options. */
static char *
import_request(ImportForeignSchemaStmt *stmt, EsTableOptions *opts)
{
	StringInfoData buf;
	ListCell   *cell;
	bool		first = true;

	initStringInfo(&buf);
	appendStringInfoChar(&buf, '{');
	es_append_connection(&buf, opts);
	appendStringInfoString(&buf, ",\"remote_schema\":");
	es_append_json_string(&buf, stmt->remote_schema);
	appendStringInfo(&buf, ",\"list_type\":\"%s\",\"table_list\":[",
					 stmt->list_type == FDW_IMPORT_SCHEMA_LIMIT_TO ? "limit_to"
					 : stmt->list_type == FDW_IMPORT_SCHEMA_EXCEPT ? "except" : "all");
	foreach(cell, stmt->table_list)
	{
		RangeVar   *rv = lfirst_node(RangeVar, cell);

		if (!first)
			appendStringInfoChar(&buf, ',');
		es_append_json_string(&buf, rv->relname);
		first = false;
	}
	appendStringInfoString(&buf, "],\"options\":{");
	first = true;
	foreach(cell, stmt->options)
	{
		DefElem    *def = lfirst_node(DefElem, cell);
		char	   *value = defGetString(def);

		if (!first)
			appendStringInfoChar(&buf, ',');
		escape_json(&buf, def->defname);
		appendStringInfoChar(&buf, ':');
		es_append_json_string(&buf, value);
		first = false;
	}
	appendStringInfoString(&buf, "}}");
	return buf.data;
}

/* CREATE FOREIGN TABLE of one described table; its warnings reported. */
static char *
create_statement(JsonbContainer *table, const char *server)
{
	char	   *name = json_text(table, "name");
	char	   *index = json_text(table, "index");
	JsonbContainer *columns = json_array(table, "columns");
	JsonbContainer *warnings = json_array(table, "warnings");
	StringInfoData buf;
	int			i;

	if (name == NULL || index == NULL || columns == NULL)
		malformed();
	initStringInfo(&buf);
	appendStringInfo(&buf, "CREATE FOREIGN TABLE %s (", quote_identifier(name));
	for (i = 0; i < (int) JsonContainerSize(columns); i++)
	{
		JsonbValue *column = json_element(columns, i);
		char	   *colname;
		char	   *type;
		char	   *field;

		if (column == NULL || column->type != jbvBinary)
			malformed();
		colname = json_text(column->val.binary.data, "name");
		type = json_text(column->val.binary.data, "type");
		field = json_text(column->val.binary.data, "field");
		if (colname == NULL || type == NULL)
			malformed();
		/* the type is an SQL type name from a fixed list; parse it to be sure it is one */
		(void) typenameTypeId(NULL, typeStringToTypeName(type));
		appendStringInfo(&buf, "%s%s %s", i > 0 ? ", " : "", quote_identifier(colname), type);
		if (field != NULL)
			appendStringInfo(&buf, " OPTIONS (field %s)", quote_literal_cstr(field));
	}
	appendStringInfo(&buf, ") SERVER %s OPTIONS (index %s)", quote_identifier(server), quote_literal_cstr(index));
	for (i = 0; warnings != NULL && i < (int) JsonContainerSize(warnings); i++)
	{
		JsonbValue *warning = json_element(warnings, i);

		if (warning != NULL && warning->type == jbvString)
			ereport(WARNING,
					(errmsg("foreign table \"%s\": %s", name,
							pnstrdup(warning->val.string.val, warning->val.string.len))));
	}
	return buf.data;
}

List *
esImportForeignSchema(ImportForeignSchemaStmt *stmt, Oid serverOid)
{
	ForeignServer *server = GetForeignServer(serverOid);
	EsTableOptions *opts = es_get_server_options(server->servername, stmt->remote_schema, GetUserId());
	char	   *request = import_request(stmt, opts);
	char	   *answer = es_bridge_import_schema(request);
	Jsonb	   *jb;
	JsonbContainer *tables;
	List	   *commands = NIL;
	int			i;

	memset(request, 0, strlen(request));	/* it held credentials */
	jb = DatumGetJsonbP(DirectFunctionCall1(jsonb_in, CStringGetDatum(answer)));
	if (!JB_ROOT_IS_OBJECT(jb) || (tables = json_array(&jb->root, "tables")) == NULL)
		malformed();
	for (i = 0; i < (int) JsonContainerSize(tables); i++)
	{
		JsonbValue *table = json_element(tables, i);

		if (table == NULL || table->type != jbvBinary)
			malformed();
		commands = lappend(commands, create_statement(table->val.binary.data, server->servername));
	}
	return commands;
}
