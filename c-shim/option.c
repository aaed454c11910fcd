/*-------------------------------------------------------------------------
 *
 * option.c
 *		The option table of es_fdw, its validator, and the resolution of a
 *		foreign table's options across server, table and user mapping.
 *
 * Validation never starts the JVM: every check here is plain C, so a bad
 * CREATE/ALTER fails at once with a message naming the option.
 *
 *-------------------------------------------------------------------------
 */
#include "es_fdw.h"

#include <math.h>

#include "access/reloptions.h"
#include "catalog/pg_foreign_data_wrapper.h"
#include "catalog/pg_foreign_server.h"
#include "catalog/pg_foreign_table.h"
#include "catalog/pg_user_mapping.h"
#include "catalog/pg_attribute.h"
#include "commands/defrem.h"
#include "foreign/foreign.h"
#include "lib/stringinfo.h"
#include "miscadmin.h"
#include "utils/builtins.h"
#include "utils/lsyscache.h"
#include "utils/syscache.h"

#define DEFAULT_URL				"http://localhost:9200"
#define DEFAULT_FETCH_SIZE		1000
#define MAX_FETCH_SIZE			10000	/* index.max_result_window */
#define DEFAULT_TIMEOUT_MS		10000	/* pg_es_fdw's default: 10 s */
#define DEFAULT_KEEP_ALIVE_MS	60000
#define DEFAULT_STARTUP_COST	25.0	/* an HTTP round trip, in planner cost units */
#define DEFAULT_TUPLE_COST		0.01	/* per row, beyond cpu_tuple_cost */
#define DEFAULT_BATCH_SIZE		10000	/* actions per _bulk request (each costs a translog fsync) */
#define MAX_BATCH_SIZE			100000
#define DEFAULT_BULK_MB			10		/* bytes per _bulk request, in MB */
#define MAX_BULK_MB				1024

#define WRITE_MODES		"transaction, immediate"
#define OP_TYPES		"index, create"
#define UPDATE_MODES	"partial, full"
#define NULL_MODES		"null, omit"
#define OFFLINE_MODES	"error, empty, cache"
#define DEFAULT_CACHE_TTL_MS	(86400 * (int64) 1000)	/* a day */
#define DEFAULT_CACHE_MAX_ROWS	10000
#define DEFAULT_CACHE_MAX_MB	64

typedef enum EsOptionKind
{
	OPT_STRING,					/* any non-empty text */
	OPT_URL,					/* http:// or https:// URL */
	OPT_PORT,					/* 1..65535 */
	OPT_SCHEME,					/* http or https */
	OPT_FETCH_SIZE,				/* 1..MAX_FETCH_SIZE */
	OPT_DURATION,				/* number of seconds, or with a unit */
	OPT_BOOL,					/* true/false/on/off/... */
	OPT_COST,					/* a non-negative number */
	OPT_REFRESH,				/* true, false or wait_for */
	OPT_CHOICE,					/* one of the words in choices */
	OPT_BATCH_SIZE,				/* 1..MAX_BATCH_SIZE */
	OPT_MEGABYTES,				/* 1..MAX_BULK_MB */
	OPT_FINGERPRINT				/* 64 hex digits, colons allowed */
} EsOptionKind;

typedef struct EsOption
{
	const char *name;
	Oid			context;		/* catalog the option belongs to */
	EsOptionKind kind;
	const char *choices;		/* OPT_CHOICE: its values, comma-separated */
} EsOption;

/*
 * Every option es_fdw accepts.  The table-level names mirror those of
 * Multicorn's pg_es_fdw so its users can keep their CREATE FOREIGN TABLE.
 */
static const EsOption es_options[] = {
	{"url", ForeignServerRelationId, OPT_URL},
	{"host", ForeignServerRelationId, OPT_STRING},
	{"port", ForeignServerRelationId, OPT_PORT},
	{"scheme", ForeignServerRelationId, OPT_SCHEME},
	{"timeout", ForeignServerRelationId, OPT_DURATION},
	{"connect_timeout", ForeignServerRelationId, OPT_DURATION},
	{"fetch_size", ForeignServerRelationId, OPT_FETCH_SIZE},
	{"scroll_duration", ForeignServerRelationId, OPT_DURATION},
	{"allow_partial_results", ForeignServerRelationId, OPT_BOOL},
	{"fdw_startup_cost", ForeignServerRelationId, OPT_COST},
	{"fdw_tuple_cost", ForeignServerRelationId, OPT_COST},
	{"write_mode", ForeignServerRelationId, OPT_CHOICE, WRITE_MODES},
	{"batch_size", ForeignServerRelationId, OPT_BATCH_SIZE},
	{"bulk_max_mb", ForeignServerRelationId, OPT_MEGABYTES},
	{"refresh", ForeignServerRelationId, OPT_REFRESH},
	{"truncatable", ForeignServerRelationId, OPT_BOOL},
	{"offline_mode", ForeignServerRelationId, OPT_CHOICE, OFFLINE_MODES},
	{"cache_ttl", ForeignServerRelationId, OPT_DURATION},
	{"cache_max_rows", ForeignServerRelationId, OPT_BATCH_SIZE},
	{"cache_max_mb", ForeignServerRelationId, OPT_MEGABYTES},
	{"ca_file", ForeignServerRelationId, OPT_STRING},
	{"ca_fingerprint", ForeignServerRelationId, OPT_FINGERPRINT},
	{"tls_verify", ForeignServerRelationId, OPT_BOOL},
	{"client_cert", ForeignServerRelationId, OPT_STRING},
	{"client_key", ForeignServerRelationId, OPT_STRING},

	{"index", ForeignTableRelationId, OPT_STRING},
	{"type", ForeignTableRelationId, OPT_STRING},
	{"host", ForeignTableRelationId, OPT_STRING},
	{"port", ForeignTableRelationId, OPT_PORT},
	{"scheme", ForeignTableRelationId, OPT_SCHEME},
	{"timeout", ForeignTableRelationId, OPT_DURATION},
	{"connect_timeout", ForeignTableRelationId, OPT_DURATION},
	{"fetch_size", ForeignTableRelationId, OPT_FETCH_SIZE},
	{"scroll_size", ForeignTableRelationId, OPT_FETCH_SIZE},
	{"scroll_duration", ForeignTableRelationId, OPT_DURATION},
	{"rowid_column", ForeignTableRelationId, OPT_STRING},
	{"query_column", ForeignTableRelationId, OPT_STRING},
	{"query_dsl", ForeignTableRelationId, OPT_BOOL},
	{"score_column", ForeignTableRelationId, OPT_STRING},
	{"sort_column", ForeignTableRelationId, OPT_STRING},
	{"default_sort", ForeignTableRelationId, OPT_STRING},
	{"refresh", ForeignTableRelationId, OPT_REFRESH},
	{"complete_returning", ForeignTableRelationId, OPT_BOOL},
	{"allow_partial_results", ForeignTableRelationId, OPT_BOOL},
	{"fdw_startup_cost", ForeignTableRelationId, OPT_COST},
	{"fdw_tuple_cost", ForeignTableRelationId, OPT_COST},
	{"username", ForeignTableRelationId, OPT_STRING},
	{"password", ForeignTableRelationId, OPT_STRING},
	{"write_mode", ForeignTableRelationId, OPT_CHOICE, WRITE_MODES},
	{"op_type", ForeignTableRelationId, OPT_CHOICE, OP_TYPES},
	{"update_mode", ForeignTableRelationId, OPT_CHOICE, UPDATE_MODES},
	{"write_nulls", ForeignTableRelationId, OPT_CHOICE, NULL_MODES},
	{"routing", ForeignTableRelationId, OPT_STRING},
	{"pipeline", ForeignTableRelationId, OPT_STRING},
	{"batch_size", ForeignTableRelationId, OPT_BATCH_SIZE},
	{"bulk_max_mb", ForeignTableRelationId, OPT_MEGABYTES},
	{"auto_create", ForeignTableRelationId, OPT_BOOL},
	{"truncatable", ForeignTableRelationId, OPT_BOOL},
	{"offline_mode", ForeignTableRelationId, OPT_CHOICE, OFFLINE_MODES},
	{"cache", ForeignTableRelationId, OPT_BOOL},
	{"cache_ttl", ForeignTableRelationId, OPT_DURATION},
	{"cache_max_rows", ForeignTableRelationId, OPT_BATCH_SIZE},

	{"username", UserMappingRelationId, OPT_STRING},
	{"password", UserMappingRelationId, OPT_STRING},
	{"api_key", UserMappingRelationId, OPT_STRING},
	{"bearer_token", UserMappingRelationId, OPT_STRING},
	{"client_cert", UserMappingRelationId, OPT_STRING},
	{"client_key", UserMappingRelationId, OPT_STRING},
	{"password_required", UserMappingRelationId, OPT_BOOL},

	{"field", AttributeRelationId, OPT_STRING},
	{NULL, InvalidOid, OPT_STRING}
};

PG_FUNCTION_INFO_V1(es_fdw_validator);

static const EsOption *
find_option(const char *name, Oid context)
{
	const EsOption *opt;

	for (opt = es_options; opt->name; opt++)
	{
		if (opt->context == context && strcmp(opt->name, name) == 0)
			return opt;
	}
	return NULL;
}

static char *
valid_option_names(Oid context)
{
	StringInfoData buf;
	const EsOption *opt;

	initStringInfo(&buf);
	for (opt = es_options; opt->name; opt++)
	{
		if (opt->context != context)
			continue;
		appendStringInfo(&buf, "%s%s", buf.len > 0 ? ", " : "", opt->name);
	}
	return buf.data;
}

/*
 * A duration: a bare number means seconds (as in pg_es_fdw's "timeout"),
 * otherwise a number followed by ms, s, m/min, h or d.
 */
bool
es_parse_duration_ms(const char *value, int64 *result)
{
	static const struct
	{
		const char *unit;
		double		ms;
	}			units[] = {
		{"", 1000}, {"ms", 1}, {"s", 1000}, {"m", 60000}, {"min", 60000},
		{"h", 3600000}, {"d", 86400000}, {NULL, 0}
	};
	char	   *end;
	double		number;
	int			i;

	errno = 0;
	number = strtod(value, &end);
	if (end == value || errno != 0 || number < 0 || isnan(number))
		return false;
	while (*end == ' ')
		end++;
	for (i = 0; units[i].unit; i++)
	{
		if (strcmp(end, units[i].unit) == 0)
		{
			double		ms = number * units[i].ms;

			if (ms < 1 || ms > (double) PG_INT32_MAX * 1000)
				return false;
			*result = (int64) ms;
			return true;
		}
	}
	return false;
}

/* A planner cost: a non-negative finite number. */
static bool
parse_cost(const char *value, double *result)
{
	char	   *end;
	double		number;

	errno = 0;
	number = strtod(value, &end);
	if (end == value || *end != '\0' || errno != 0 || number < 0 || isnan(number) || isinf(number))
		return false;
	if (result)
		*result = number;
	return true;
}

/* A URL, or several comma-separated (the hosts of one cluster, tried in order). */
static void
check_url(const char *name, const char *value)
{
	char	   *copy = pstrdup(value);
	char	   *one;
	char	   *save = NULL;

	for (one = strtok_r(copy, ",", &save); one != NULL; one = strtok_r(NULL, ",", &save))
	{
		while (*one == ' ')
			one++;
		if (strncmp(one, "http://", 7) != 0 && strncmp(one, "https://", 8) != 0)
			ereport(ERROR,
					(errcode(ERRCODE_FDW_INVALID_OPTION_NAME),
					 errmsg("invalid value for option \"%s\": \"%s\"", name, value),
					 errhint("Give a URL such as http://localhost:9200, or several separated by commas.")));
	}
	if (strchr(value, '@') != NULL)
		ereport(ERROR,
				(errcode(ERRCODE_FDW_INVALID_OPTION_NAME),
				 errmsg("option \"%s\" must not contain credentials", name),
				 errhint("Put username and password in a user mapping.")));
}

static void
check_int_range(const char *name, const char *value, int min, int max)
{
	char	   *end;
	long		number;

	errno = 0;
	number = strtol(value, &end, 10);
	if (end == value || *end != '\0' || errno != 0 ||
		number < min || number > max)
		ereport(ERROR,
				(errcode(ERRCODE_FDW_INVALID_OPTION_NAME),
				 errmsg("invalid value for option \"%s\": \"%s\"", name, value),
				 errhint("Give an integer from %d to %d.", min, max)));
}

/* Is value one of the comma-separated words of choices? */
static bool
choice_allowed(const char *choices, const char *value)
{
	const char *p = choices;
	size_t		len = strlen(value);

	while ((p = strstr(p, value)) != NULL)
	{
		if ((p == choices || p[-1] == ' ') && (p[len] == '\0' || p[len] == ','))
			return true;
		p += len;
	}
	return false;
}

static void
check_option_value(const EsOption *opt, DefElem *def)
{
	const char *value = defGetString(def);
	bool		flag;
	int64		ms;

	if (value[0] == '\0')
		ereport(ERROR,
				(errcode(ERRCODE_FDW_INVALID_OPTION_NAME),
				 errmsg("option \"%s\" must not be empty", opt->name)));

	switch (opt->kind)
	{
		case OPT_STRING:
			break;
		case OPT_URL:
			check_url(opt->name, value);
			break;
		case OPT_PORT:
			check_int_range(opt->name, value, 1, 65535);
			break;
		case OPT_FETCH_SIZE:
			check_int_range(opt->name, value, 1, MAX_FETCH_SIZE);
			break;
		case OPT_SCHEME:
			if (strcmp(value, "http") != 0 && strcmp(value, "https") != 0)
				ereport(ERROR,
						(errcode(ERRCODE_FDW_INVALID_OPTION_NAME),
						 errmsg("invalid value for option \"%s\": \"%s\"", opt->name, value),
						 errhint("Valid values are: http, https.")));
			break;
		case OPT_DURATION:
			if (!es_parse_duration_ms(value, &ms))
				ereport(ERROR,
						(errcode(ERRCODE_FDW_INVALID_OPTION_NAME),
						 errmsg("invalid value for option \"%s\": \"%s\"", opt->name, value),
						 errhint("Give a number of seconds, or a number with a unit: ms, s, min, h, d.")));
			break;
		case OPT_COST:
			if (!parse_cost(value, NULL))
				ereport(ERROR,
						(errcode(ERRCODE_FDW_INVALID_OPTION_NAME),
						 errmsg("invalid value for option \"%s\": \"%s\"", opt->name, value),
						 errhint("Give a non-negative number.")));
			break;
		case OPT_BOOL:
			if (!parse_bool(value, &flag))
				ereport(ERROR,
						(errcode(ERRCODE_FDW_INVALID_OPTION_NAME),
						 errmsg("option \"%s\" requires a Boolean value", opt->name)));
			break;
		case OPT_CHOICE:
			if (!choice_allowed(opt->choices, value))
				ereport(ERROR,
						(errcode(ERRCODE_FDW_INVALID_OPTION_NAME),
						 errmsg("invalid value for option \"%s\": \"%s\"", opt->name, value),
						 errhint("Valid values are: %s.", opt->choices)));
			break;
		case OPT_BATCH_SIZE:
			check_int_range(opt->name, value, 1, MAX_BATCH_SIZE);
			break;
		case OPT_MEGABYTES:
			check_int_range(opt->name, value, 1, MAX_BULK_MB);
			break;
		case OPT_FINGERPRINT:
			{
				int			digits = 0;
				const char *p;

				for (p = value; *p; p++)
				{
					if (isxdigit((unsigned char) *p))
						digits++;
					else if (*p != ':')
						break;
				}
				if (*p != '\0' || digits != 64)
					ereport(ERROR,
							(errcode(ERRCODE_FDW_INVALID_OPTION_NAME),
							 errmsg("invalid value for option \"%s\": \"%s\"", opt->name, value),
							 errhint("Give the CA certificate's SHA-256 fingerprint: 64 hexadecimal digits, colons allowed.")));
			}
			break;
		case OPT_REFRESH:
			if (strcmp(value, "wait_for") != 0 && !parse_bool(value, &flag))
				ereport(ERROR,
						(errcode(ERRCODE_FDW_INVALID_OPTION_NAME),
						 errmsg("invalid value for option \"%s\": \"%s\"", opt->name, value),
						 errhint("Valid values are: true, false, wait_for.")));
			break;
	}
}

/*
 * Validator for CREATE/ALTER of the wrapper, servers, user mappings, foreign
 * tables and their columns.
 */
Datum
es_fdw_validator(PG_FUNCTION_ARGS)
{
	List	   *options = untransformRelOptions(PG_GETARG_DATUM(0));
	Oid			context = PG_GETARG_OID(1);
	ListCell   *cell;

	foreach(cell, options)
	{
		DefElem    *def = lfirst_node(DefElem, cell);
		const EsOption *opt = find_option(def->defname, context);

		if (opt == NULL)
		{
			char	   *valid = valid_option_names(context);

			ereport(ERROR,
					(errcode(ERRCODE_FDW_INVALID_OPTION_NAME),
					 errmsg("invalid option \"%s\"", def->defname),
					 valid[0] != '\0'
					 ? errhint("Valid options in this context are: %s.", valid)
					 : errhint("There are no valid options in this context.")));
		}
		check_option_value(opt, def);

		if (context == ForeignServerRelationId && strcmp(opt->name, "tls_verify") == 0)
		{
			bool		verify;

			(void) parse_bool(defGetString(def), &verify);
			if (!verify && !superuser())
				ereport(ERROR,
						(errcode(ERRCODE_INSUFFICIENT_PRIVILEGE),
						 errmsg("only superusers may turn off tls_verify")));
			if (!verify)
				ereport(WARNING,
						(errmsg("tls_verify is off: es_fdw will trust any certificate for any host name on this server"),
						 errhint("Give the server's CA with ca_file or ca_fingerprint instead.")));
		}
		if (context == UserMappingRelationId && strcmp(opt->name, "password_required") == 0)
		{
			bool		required;

			(void) parse_bool(defGetString(def), &required);
			if (!required && !superuser())
				ereport(ERROR,
						(errcode(ERRCODE_INSUFFICIENT_PRIVILEGE),
						 errmsg("password_required=false is superuser-only"),
						 errhint("User mappings with the password_required option set to false may only be created or modified by the superuser.")));
		}
		if (context == ForeignTableRelationId && strcmp(opt->name, "type") == 0)
			ereport(NOTICE,
					(errmsg("option \"type\" is ignored: Elasticsearch 7 and later have no mapping types"),
					 errhint("es_fdw reads the index named by option \"index\"; the option can be dropped.")));
		if (context == ForeignTableRelationId &&
			(strcmp(opt->name, "username") == 0 || strcmp(opt->name, "password") == 0))
			ereport(WARNING,
					(errmsg("option \"%s\" of a foreign table is readable by every role", opt->name),
					 errhint("Move credentials into a user mapping: CREATE USER MAPPING ... OPTIONS (username '...', password '...').")));
	}
	PG_RETURN_VOID();
}

/* The value of option "name" in list "options", or NULL. */
static const char *
option_value(List *options, const char *name)
{
	ListCell   *cell;

	foreach(cell, options)
	{
		DefElem    *def = lfirst_node(DefElem, cell);

		if (strcmp(def->defname, name) == 0)
			return defGetString(def);
	}
	return NULL;
}

/* The table's value if set, else the server's, else NULL. */
static const char *
table_or_server(List *table_opts, List *server_opts, const char *name)
{
	const char *value = option_value(table_opts, name);

	return value ? value : option_value(server_opts, name);
}

/*
 * The base URL: the server's "url" (default http://localhost:9200), whose
 * scheme, host and port are replaced by "scheme", "host" and "port" options
 * (table level first, then server level).
 */
static char *
resolve_url(List *table_opts, List *server_opts)
{
	const char *url = option_value(server_opts, "url");
	const char *scheme = table_or_server(table_opts, server_opts, "scheme");
	const char *host = table_or_server(table_opts, server_opts, "host");
	const char *port = table_or_server(table_opts, server_opts, "port");
	const char *authority;
	const char *path;
	char	   *url_host;
	char	   *colon;

	if (url == NULL)
		url = DEFAULT_URL;
	if (strchr(url, ',') != NULL)
		return pstrdup(url);	/* several hosts: scheme/host/port overrides are for one */
	authority = strstr(url, "://") + 3;
	path = strchr(authority, '/');
	if (path == NULL)
		path = "";
	url_host = pnstrdup(authority, strlen(authority) - strlen(path));
	colon = strrchr(url_host, ':');
	if (colon != NULL && strchr(colon, ']') == NULL)
	{
		*colon = '\0';
		if (port == NULL)
			port = colon + 1;
	}
	if (scheme == NULL)
		scheme = strncmp(url, "https://", 8) == 0 ? "https" : "http";
	if (host == NULL)
		host = url_host;
	if (port == NULL)
		port = strcmp(scheme, "https") == 0 ? "443" : "9200";
	return psprintf("%s://%s:%s%s", scheme, host, port, path);
}

static int64
duration_option(List *table_opts, List *server_opts, const char *name,
				int64 default_ms)
{
	const char *value = table_or_server(table_opts, server_opts, name);
	int64		ms;

	if (value == NULL || !es_parse_duration_ms(value, &ms))
		return default_ms;
	return ms;
}

/* Which user mapping credentials come from, for authentication errors: no secret. */
static char *
mapping_description(Oid userid, ForeignServer *server)
{
	if (SearchSysCacheExists2(USERMAPPINGUSERSERVER, ObjectIdGetDatum(userid), ObjectIdGetDatum(server->serverid)))
		return psprintf("user mapping for role \"%s\" on server \"%s\"", GetUserNameFromId(userid, false),
						server->servername);
	if (SearchSysCacheExists2(USERMAPPINGUSERSERVER, ObjectIdGetDatum(InvalidOid), ObjectIdGetDatum(server->serverid)))
		return psprintf("PUBLIC user mapping on server \"%s\", used by role \"%s\"", server->servername,
						GetUserNameFromId(userid, false));
	return psprintf("no user mapping for role \"%s\" on server \"%s\"", GetUserNameFromId(userid, false),
					server->servername);
}

/* Options of the user mapping for userid (or PUBLIC) on a server; NIL if none. */
static List *
user_mapping_options(Oid userid, Oid serverid)
{
	if (!SearchSysCacheExists2(USERMAPPINGUSERSERVER, ObjectIdGetDatum(userid),
							   ObjectIdGetDatum(serverid)) &&
		!SearchSysCacheExists2(USERMAPPINGUSERSERVER, ObjectIdGetDatum(InvalidOid),
							   ObjectIdGetDatum(serverid)))
		return NIL;
	return GetUserMapping(userid, serverid)->options;
}

static EsTableOptions *resolve_options(List *table_opts, ForeignServer *server, Oid userid,
									   const char *index);

/*
 * As postgres_fdw: a non-superuser must authenticate with credentials of
 * their own (a user mapping with username/password, api_key, bearer_token
 * or a client certificate), unless a superuser set password_required
 * 'false' on that mapping; otherwise the server's trust in PostgreSQL's
 * host would lend them access.
 */
static void
check_credentials_required(EsTableOptions *opts, List *user_opts, ForeignServer *server, Oid userid)
{
	const char *required = option_value(user_opts, "password_required");
	bool		flag;

	if (superuser_arg(userid) || opts->username != NULL || opts->api_key != NULL ||
		opts->bearer_token != NULL || option_value(user_opts, "client_cert") != NULL ||
		(required != NULL && parse_bool(required, &flag) && !flag))
		return;
	ereport(ERROR,
			(errcode(ERRCODE_S_R_E_PROHIBITED_SQL_STATEMENT_ATTEMPTED),
			 errmsg("role \"%s\" has no Elasticsearch credentials for server \"%s\"",
					GetUserNameFromId(userid, false), server->servername),
			 errdetail("Non-superusers must authenticate to Elasticsearch with credentials of their own."),
			 errhint("CREATE USER MAPPING FOR %s SERVER %s OPTIONS (username '…', password '…') (or api_key, or bearer_token); "
					 "a superuser may set password_required 'false' on a mapping for a server without security.",
					 quote_identifier(GetUserNameFromId(userid, false)), quote_identifier(server->servername))));
}

/* Is a Boolean option (table first, then server) set to true? */
static bool
bool_option(List *table_opts, List *server_opts, const char *name)
{
	const char *value = table_or_server(table_opts, server_opts, name);
	bool		flag;

	return value != NULL && parse_bool(value, &flag) && flag;
}

static void
resolve_write_options(EsTableOptions *opts, List *table_opts, List *server_opts)
{
	const char *value;

	value = table_or_server(table_opts, server_opts, "write_mode");
	opts->write_immediate = value != NULL && strcmp(value, "immediate") == 0;
	value = option_value(table_opts, "op_type");
	opts->op_create = value != NULL && strcmp(value, "create") == 0;
	value = option_value(table_opts, "update_mode");
	opts->update_full = value != NULL && strcmp(value, "full") == 0;
	value = option_value(table_opts, "write_nulls");
	opts->omit_nulls = value != NULL && strcmp(value, "omit") == 0;
	opts->auto_create = bool_option(table_opts, NIL, "auto_create");
	opts->truncatable = bool_option(table_opts, server_opts, "truncatable");
	value = table_or_server(table_opts, server_opts, "refresh");
	if (value == NULL || strcmp(value, "wait_for") == 0)
		opts->refresh = value ? "wait_for" : "false";
	else
	{
		bool		flag;

		opts->refresh = parse_bool(value, &flag) && flag ? "true" : "false";
	}
	opts->routing = option_value(table_opts, "routing");
	opts->pipeline = option_value(table_opts, "pipeline");
	value = table_or_server(table_opts, server_opts, "offline_mode");
	opts->offline_mode = value ? value : "error";
	opts->cache = bool_option(table_opts, NIL, "cache");
	opts->cache_ttl_ms = duration_option(table_opts, server_opts, "cache_ttl", DEFAULT_CACHE_TTL_MS);
	value = table_or_server(table_opts, server_opts, "cache_max_rows");
	opts->cache_max_rows = value ? atoi(value) : DEFAULT_CACHE_MAX_ROWS;
	value = option_value(server_opts, "cache_max_mb");
	opts->cache_max_bytes = (int64) (value ? atoi(value) : DEFAULT_CACHE_MAX_MB) * 1024 * 1024;
	value = table_or_server(table_opts, server_opts, "batch_size");
	opts->batch_size = value ? atoi(value) : DEFAULT_BATCH_SIZE;
	value = table_or_server(table_opts, server_opts, "bulk_max_mb");
	opts->max_bulk_bytes = (int64) (value ? atoi(value) : DEFAULT_BULK_MB) * 1024 * 1024;
}

/*
 * Resolve the options of a foreign table for the given user: table options
 * win over server options; credentials come from the user mapping, or for
 * pg_es_fdw compatibility from the table.
 */
EsTableOptions *
es_get_table_options(Oid foreigntableid, Oid userid)
{
	ForeignTable *table = GetForeignTable(foreigntableid);
	const char *index = option_value(table->options, "index");

	return resolve_options(table->options, GetForeignServer(table->serverid), userid,
						   index ? index : get_rel_name(foreigntableid));
}

/* Options for reading "index" through a server, with no foreign table (es_search() and friends). */
EsTableOptions *
es_get_server_options(const char *server_name, const char *index, Oid userid)
{
	return resolve_options(NIL, GetForeignServerByName(server_name, false), userid, index);
}

static EsTableOptions *
resolve_options(List *table_opts, ForeignServer *server, Oid userid, const char *index)
{
	List	   *user_opts = user_mapping_options(userid, server->serverid);
	EsTableOptions *opts = palloc0(sizeof(EsTableOptions));
	const char *value;
	bool		flag;

	opts->url = resolve_url(table_opts, server->options);
	opts->index = pstrdup(index);
	value = option_value(table_opts, "rowid_column");
	opts->rowid_column = pstrdup(value ? value : "id");
	opts->query_column = (char *) option_value(table_opts, "query_column");
	opts->score_column = (char *) option_value(table_opts, "score_column");
	opts->sort_column = (char *) option_value(table_opts, "sort_column");
	opts->default_sort = (char *) option_value(table_opts, "default_sort");
	value = option_value(table_opts, "query_dsl");
	opts->query_dsl = value != NULL && parse_bool(value, &flag) && flag;

	value = table_or_server(table_opts, server->options, "fetch_size");
	if (value == NULL)
		value = option_value(table_opts, "scroll_size");
	opts->fetch_size = value ? atoi(value) : DEFAULT_FETCH_SIZE;

	opts->timeout_ms = duration_option(table_opts, server->options,
									   "timeout", DEFAULT_TIMEOUT_MS);
	opts->connect_timeout_ms = duration_option(table_opts, server->options, "connect_timeout", 0);
	opts->keep_alive_ms = duration_option(table_opts, server->options,
										  "scroll_duration", DEFAULT_KEEP_ALIVE_MS);

	value = table_or_server(table_opts, server->options, "fdw_startup_cost");
	if (value == NULL || !parse_cost(value, &opts->startup_cost))
		opts->startup_cost = DEFAULT_STARTUP_COST;
	value = table_or_server(table_opts, server->options, "fdw_tuple_cost");
	if (value == NULL || !parse_cost(value, &opts->tuple_cost))
		opts->tuple_cost = DEFAULT_TUPLE_COST;

	value = table_or_server(table_opts, server->options, "allow_partial_results");
	opts->allow_partial_results = value != NULL && parse_bool(value, &flag) && flag;

	resolve_write_options(opts, table_opts, server->options);

	value = option_value(user_opts, "username");
	opts->username = (char *) (value ? value : option_value(table_opts, "username"));
	value = option_value(user_opts, "password");
	opts->password = (char *) (value ? value : option_value(table_opts, "password"));
	opts->api_key = (char *) option_value(user_opts, "api_key");
	opts->bearer_token = (char *) option_value(user_opts, "bearer_token");
	value = option_value(user_opts, "client_cert");
	opts->client_cert = (char *) (value ? value : option_value(server->options, "client_cert"));
	value = option_value(user_opts, "client_key");
	opts->client_key = (char *) (value ? value : option_value(server->options, "client_key"));
	opts->ca_file = (char *) option_value(server->options, "ca_file");
	opts->ca_fingerprint = (char *) option_value(server->options, "ca_fingerprint");
	value = option_value(server->options, "tls_verify");
	opts->tls_verify = value == NULL || !parse_bool(value, &flag) || flag;
	check_credentials_required(opts, user_opts, server, userid);
	opts->mapping = mapping_description(userid, server);
	return opts;
}

/* The column option "field" of an attribute, or NULL. */
char *
es_column_field(Oid relid, AttrNumber attnum)
{
	List	   *options = GetForeignColumnOptions(relid, attnum);
	const char *value = option_value(options, "field");

	return value ? pstrdup(value) : NULL;
}
