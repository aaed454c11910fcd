/*-------------------------------------------------------------------------
 *
 * es_fdw.h
 *		Shared declarations of the es_fdw C shim.
 *
 * The shim is split by concern: es_fdw.c (handler and scan callbacks),
 * option.c (option table, validator, resolved options), scan_desc.c (the
 * neutral JSON description of a scan handed to Java), jvm.c (finding,
 * loading and booting the JVM), jni_bridge.c (the one module that calls
 * into Java), row_decode.c (row batches from Java into tuples).
 *
 *-------------------------------------------------------------------------
 */
#ifndef ES_FDW_H
#define ES_FDW_H

#include "postgres.h"

#include <jni.h>
#include <signal.h>

#include "access/attnum.h"
#include "catalog/pg_attribute.h"
#include "nodes/pathnodes.h"
#include "lib/stringinfo.h"
#include "foreign/fdwapi.h"
#include "funcapi.h"
#include "nodes/pg_list.h"
#include "utils/jsonb.h"
#include "utils/relcache.h"

#define ES_FDW_VERSION "0.1.0"

/* ----- sync.c, sync_worker.c ----- */

/* A synced table (a row of es_sync_tables). */
typedef struct EsSyncTable
{
	Oid			source;
	Oid			target;			/* a foreign table, or InvalidOid */
	char	   *server;			/* or a server and an index */
	char	   *index;
	char	   *document;		/* a jsonb expression over src, or NULL */
	int			nkeys;
	char	  **keys;			/* primary key column names */
	Oid			outbox;
	Oid			owner;
	int			batch_size;
	bool		backfilling;
	Datum		backfill_after; /* text[] key of the last row backfilled, or 0 */
	MemoryContext cxt;			/* where the entry lives */
} EsSyncTable;

extern bool es_sync_preloaded;
extern List *es_sync_entries(Oid source);
extern int64 es_sync_deliver(EsSyncTable *entry, bool *found, bool *retry, char **error);
extern void es_sync_record_error(Oid source, const char *error);
extern int64 es_sync_drop(Oid source, Oid outbox);
extern char *es_sync_marker_dir(void);
extern void es_sync_remove_marker(void);
extern bool es_sync_write_marker(void);
extern void es_sync_register_callbacks(void);
extern void es_sync_init(void);

/* ----- option.c ----- */

/* Options of one foreign table, resolved across server, table, user mapping. */
typedef struct EsTableOptions
{
	char	   *url;			/* base URL, host/port/scheme overrides applied */
	char	   *index;			/* index, alias or pattern */
	char	   *rowid_column;	/* column mapped to _id when it has no field */
	char	   *query_column;	/* pseudo-column of full-text queries, or NULL */
	bool		query_dsl;		/* its values are Query DSL JSON, not query strings */
	char	   *score_column;	/* column mapped to _score when it has no field */
	char	   *sort_column;	/* pseudo-column: WHERE sort = 'field:dir,…' sorts */
	char	   *default_sort;	/* pg_es_fdw's "field:dir,…", or NULL */
	int			fetch_size;		/* hits per page */
	int64		timeout_ms;		/* per-request timeout */
	int64		connect_timeout_ms; /* to set up a connection; 0: timeout_ms */
	int64		keep_alive_ms;	/* PIT / scroll keep-alive */
	bool		allow_partial_results;	/* accept pages with failed shards */
	double		startup_cost;	/* option fdw_startup_cost */
	double		tuple_cost;		/* option fdw_tuple_cost */
	char	   *username;		/* NULL when none */
	char	   *password;		/* NULL when none */
	char	   *api_key;		/* user mapping: Authorization: ApiKey, or NULL */
	char	   *bearer_token;	/* user mapping: Authorization: Bearer, or NULL */
	char	   *client_cert;	/* PEM paths for mutual TLS, or NULL */
	char	   *client_key;
	char	   *ca_file;		/* server: extra trusted CAs (PEM), or NULL */
	char	   *ca_fingerprint; /* server: SHA-256 of the CA to pin, or NULL */
	bool		tls_verify;		/* server: verify certificates and host names */
	char	   *mapping;		/* which user mapping the credentials came from (no secret) */
	/* writes */
	bool		write_immediate;	/* write_mode 'immediate': no waiting for COMMIT */
	bool		op_create;		/* op_type 'create': INSERT refuses existing ids */
	bool		update_full;	/* update_mode 'full': UPDATE reindexes the whole row */
	bool		omit_nulls;		/* write_nulls 'omit': NULL columns are left out */
	bool		auto_create;	/* a write may create a missing index */
	bool		truncatable;	/* TRUNCATE is allowed */
	const char *refresh;		/* "false", "true" or "wait_for" */
	const char *routing;		/* fixed routing, or NULL */
	const char *pipeline;		/* ingest pipeline, or NULL */
	int			batch_size;		/* actions per _bulk request */
	int64		max_bulk_bytes; /* bytes per _bulk request */
	/* offline */
	const char *offline_mode;	/* "error", "empty" or "cache" (es_fdw.offline_mode overrides) */
	bool		cache;			/* keep this table's results for offline answers */
	int64		cache_ttl_ms;
	int			cache_max_rows;
	int64		cache_max_bytes;
} EsTableOptions;

extern char *es_offline_mode_guc;	/* es_fdw.offline_mode: "" or a mode */

extern EsTableOptions *es_get_table_options(Oid foreigntableid, Oid userid);
extern EsTableOptions *es_get_server_options(const char *server_name, const char *index, Oid userid);
extern char *es_column_field(Oid relid, AttrNumber attnum);
extern bool es_parse_duration_ms(const char *value, int64 *result);

/* ----- modify.c ----- */

extern void es_modify_init(void);
extern void es_flush_held_writes(void);
typedef struct EsDocTarget EsDocTarget;
extern char *es_writer_description(EsTableOptions *opts);
extern EsDocTarget *es_doc_target(Relation rel, Oid userid);
extern EsTableOptions *es_doc_target_options(EsDocTarget *target);
extern void es_doc_encode(EsDocTarget *target, StringInfo buf, TupleTableSlot *slot);
extern char *es_doc_routing(EsDocTarget *target, TupleTableSlot *slot);
extern void es_append_sync_action(StringInfo out, const char *id, const char *routing, const char *doc, int doclen,
								  int64 version);
extern void esAddForeignUpdateTargets(PlannerInfo *root, Index rtindex, RangeTblEntry *target_rte,
									  Relation target_relation);
extern List *esPlanForeignModify(PlannerInfo *root, ModifyTable *plan, Index resultRelation, int subplan_index);
extern void esBeginForeignModify(ModifyTableState *mtstate, ResultRelInfo *rinfo, List *fdw_private,
								 int subplan_index, int eflags);
extern TupleTableSlot *esExecForeignInsert(EState *estate, ResultRelInfo *rinfo, TupleTableSlot *slot,
										   TupleTableSlot *planSlot);
extern TupleTableSlot **esExecForeignBatchInsert(EState *estate, ResultRelInfo *rinfo, TupleTableSlot **slots,
												 TupleTableSlot **planSlots, int *numSlots);
extern int	esGetForeignModifyBatchSize(ResultRelInfo *rinfo);
extern TupleTableSlot *esExecForeignUpdate(EState *estate, ResultRelInfo *rinfo, TupleTableSlot *slot,
										   TupleTableSlot *planSlot);
extern TupleTableSlot *esExecForeignDelete(EState *estate, ResultRelInfo *rinfo, TupleTableSlot *slot,
										   TupleTableSlot *planSlot);
extern void esEndForeignModify(EState *estate, ResultRelInfo *rinfo);
extern void esBeginForeignInsert(ModifyTableState *mtstate, ResultRelInfo *rinfo);
extern void esEndForeignInsert(EState *estate, ResultRelInfo *rinfo);
extern int	esIsForeignRelUpdatable(Relation rel);
extern void esExecForeignTruncate(List *rels, DropBehavior behavior, bool restart_seqs);

/* ----- deparse.c ----- */

/* Planner state of a foreign table (RelOptInfo.fdw_private). */
typedef struct EsRelInfo
{
	EsTableOptions *opts;
	Jsonb	   *mapping;		/* {"field path": "mapping type"}; NULL if unknown */
	List	   *remote_conds;	/* RestrictInfos Elasticsearch evaluates */
	List	   *local_conds;	/* RestrictInfos PostgreSQL evaluates */
} EsRelInfo;

/* Values of the parameters of pushed clauses, at execution. */
typedef struct EsParamValues
{
	List	   *param_exprs;	/* Param nodes (the plan's fdw_exprs) */
	List	   *param_states;	/* their ExprStates */
	struct ExprContext *econtext;
	List	   *outer_vars;		/* Vars of other relations in pushed join clauses */
	int			outer_offset;	/* where their values start in param_states */
} EsParamValues;

extern void es_classify_conditions(RelOptInfo *baserel, Relation rel, EsRelInfo *info);
extern bool es_sortable_column(Relation rel, EsRelInfo *info, AttrNumber attnum, Oid collation);
extern bool es_groupable_column(Relation rel, EsRelInfo *info, AttrNumber attnum, Oid collation);
extern void es_append_query(StringInfo buf, List *remote_conds, Relation rel, Index relid,
							EsTableOptions *opts, EsParamValues *params);
extern List *es_pushed_params(List *remote_conds);
extern char *es_sort_column_value(List *remote_conds, Relation rel, Index relid,
								  EsTableOptions *opts, EsParamValues *params);
extern bool es_shippable_join_clause(Expr *clause, Relation rel, Index relid, EsRelInfo *info);
extern List *es_outer_vars(List *remote_conds, Index relid);

/* ----- analyze.c ----- */

extern bool es_analyze_foreign_table(Relation relation, AcquireSampleRowsFunc *func,
									 BlockNumber *totalpages);

/* ----- aggregate.c ----- */

extern char *es_aggregate_description(PlannerInfo *root, RelOptInfo *baserel, EsRelInfo *info,
									  List *outputs);
extern char *es_aggregate_columns(List *scan_tlist);
extern bool *es_aggregate_ratio_outputs(List *scan_tlist);
extern Datum es_integer_avg(const char *text);

/* ----- scan_desc.c ----- */

/* What a scan asks of Elasticsearch beyond its columns. */
typedef struct EsScanRequest
{
	List	   *remote_conds;	/* pushed clauses */
	Index		relid;			/* range table index their Vars use */
	EsParamValues *params;		/* NULL in EXPLAIN */
	List	   *sort;			/* EsSortKey list */
	int64		limit;			/* 0: none */
	bool		count_only;
	bool		planning;		/* planner, ANALYZE, es_search(): errors, never an offline answer */
	char	   *cache_key;		/* out: the result cache's key of this request, or NULL */
	char	   *raw_query;		/* es_search()'s Query DSL (JSON text), or NULL */
	char	   *aggs;			/* es_aggregate()'s aggregations (JSON text), or NULL */
	List	   *highlight;		/* field names (char *) to highlight */
	const char *columns_json;	/* the columns, when not the relation's (es_search(), aggregates) */
	const char *aggregate_json; /* GROUP BY and aggregates (docs/boundary.md), or NULL */
} EsScanRequest;

typedef struct EsSortKey
{
	AttrNumber	attnum;
	bool		descending;
	bool		nulls_first;
} EsSortKey;

extern void es_append_json_string(StringInfo buf, const char *value);
extern void es_append_connection(StringInfo buf, EsTableOptions *opts);
extern char *es_scan_description(Relation rel, EsTableOptions *opts,
								 List *retrieved_attrs, EsScanRequest *request);
extern void es_check_column_types(Relation rel, List *retrieved_attrs);
extern const char *es_neutral_type(Oid typid, bool *is_array);
extern const char *es_column_neutral_type(Form_pg_attribute attr, bool *is_array);
extern char *es_column_field_path(Relation rel, Form_pg_attribute attr, EsTableOptions *opts);

/* ----- jvm.c ----- */

extern void es_jvm_define_gucs(void);
extern JNIEnv *es_jvm_env(void);
extern void es_jvm_block_signals(sigset_t *saved);
extern void es_jvm_restore_signals(const sigset_t *saved);
extern const char *es_jvm_libjvm_path(void);

/* ----- jni_bridge.c ----- */

extern int64 es_bridge_open_scan(const char *description);
extern char *es_bridge_next_batch(int64 handle, int *len);
extern void es_bridge_rescan(int64 handle);
extern void es_bridge_end_scan(int64 handle);
extern char *es_bridge_explain(const char *description);
extern char *es_bridge_version(void);
extern int64 es_bridge_open_writer(const char *description);
extern void es_bridge_write(int64 handle, const char *data, int len, bool statement_end);
extern void es_bridge_truncate(int64 handle, int nest_level);
extern void es_bridge_end_writer(int64 handle);
extern void es_bridge_transaction_event(int event, int nest_level);
extern void es_bridge_quietly(bool abort_writer, int64 handle, int event, int nest_level);
extern bool es_bridge_running(void);
extern void es_bridge_report_warnings(void);
extern char *es_bridge_status(const char *target);
extern int64 es_bridge_clear_cache(int what);
extern char *es_bridge_import_schema(const char *request);
extern char *es_bridge_deliver(int64 handle, const char *data, int len);

/* ----- offline.c ----- */

/* One row batch of an offline answer. */
typedef struct EsOfflineBatch
{
	char	   *data;
	int			len;
} EsOfflineBatch;

extern char *es_display_url(const char *url);
extern char *es_breaker_open(const char *url);
extern Jsonb *es_stored_mapping(const char *url, const char *index);
extern bool es_offline_answer(EsTableOptions *opts, const char *mode, const char *cache_key, bool count_only,
							  List **batches);
extern const char *es_effective_offline_mode(EsTableOptions *opts);

/* ----- import.c ----- */

extern List *esImportForeignSchema(ImportForeignSchemaStmt *stmt, Oid serverOid);
extern char *es_bridge_field_types(const char *description);
extern char *es_bridge_aggregate(const char *description);
extern void es_bridge_end_scan_quietly(int64 handle);

/* ----- row_decode.c ----- */

typedef struct EsRowBatch
{
	char	   *data;			/* the batch as Java encoded it */
	int			len;
	int			pos;			/* read position */
	int			rows_left;		/* rows not yet decoded */
} EsRowBatch;

extern void es_batch_start(EsRowBatch *batch, char *data, int len);
extern bool es_batch_fetch(EsRowBatch *batch, int64 handle, MemoryContext cxt);
extern int64 es_batch_next_count(EsRowBatch *batch);
extern bool es_batch_next_texts(EsRowBatch *batch, int n, char **texts);
extern bool es_batch_next_tuple(EsRowBatch *batch, AttInMetadata *attinmeta, const bool *ratios, int natts,
								Datum *values, bool *nulls);
extern bool es_batch_next_row(EsRowBatch *batch, Relation rel,
							  List *retrieved_attrs,
							  AttInMetadata *attinmeta,
							  Datum *values, bool *nulls);

#endif							/* ES_FDW_H */
