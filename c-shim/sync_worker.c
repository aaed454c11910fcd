/*-------------------------------------------------------------------------
 *
 * sync_worker.c
 *		The background workers of table sync (docs/sync.md).
 *
 * With es_fdw in shared_preload_libraries, a launcher (no database) starts
 * one delivery worker per database that has synced tables: es_sync_table()
 * leaves a marker file named by the database's OID in $PGDATA/es_fdw/sync,
 * so after a restart the launcher knows where to start workers without
 * any setting.  A worker loops over its database's synced tables, one
 * batch per transaction, backing off (with jitter, up to 15 s) while
 * Elasticsearch fails, and never gives up.  It hosts the JVM, so it
 * handles SIGTERM as a backend does (die, and the JVM polls for it): a
 * fast shutdown ends it within a request's polling interval.
 *
 *-------------------------------------------------------------------------
 */
#include "es_fdw.h"

#include <dirent.h>
#include <sys/stat.h>

#include "access/xact.h"
#include "commands/extension.h"
#include "catalog/catalog.h"
#include "common/pg_prng.h"
#include "miscadmin.h"
#include "pgstat.h"
#include "postmaster/bgworker.h"
#include "postmaster/interrupt.h"
#include "storage/ipc.h"
#include "storage/latch.h"
#include "storage/proc.h"
#include "tcop/tcopprot.h"
#include "utils/builtins.h"
#include "utils/guc.h"
#include "utils/lsyscache.h"
#include "utils/memutils.h"
#include "utils/snapmgr.h"
#include "utils/syscache.h"
#include "utils/timestamp.h"

PGDLLEXPORT void es_sync_launcher_main(Datum arg);
PGDLLEXPORT void es_sync_worker_main(Datum arg);

/* es_fdw was loaded by shared_preload_libraries (so a launcher runs). */
bool		es_sync_preloaded = false;

/* es_fdw.sync_naptime: how long an idle worker waits before looking for changes again. */
static int	sync_naptime_ms = 200;

#define MAX_BACKOFF_MS		15000
#define FIRST_BACKOFF_MS	250
#define LAUNCHER_NAPTIME_MS 1000
#define MAX_DATABASES		64

void
es_sync_init(void)
{
	BackgroundWorker worker;

	es_sync_register_callbacks();
	DefineCustomIntVariable("es_fdw.sync_naptime",
							"How long an idle table-sync worker waits before it looks for changes again.",
							NULL, &sync_naptime_ms, 200, 10, 60000, PGC_SIGHUP, GUC_UNIT_MS, NULL, NULL, NULL);
	if (!process_shared_preload_libraries_in_progress)
		return;
	es_sync_preloaded = true;
	memset(&worker, 0, sizeof(worker));
	worker.bgw_flags = BGWORKER_SHMEM_ACCESS;
	worker.bgw_start_time = BgWorkerStart_RecoveryFinished;
	worker.bgw_restart_time = 5;
	snprintf(worker.bgw_library_name, BGW_MAXLEN, "es_fdw");
	snprintf(worker.bgw_function_name, BGW_MAXLEN, "es_sync_launcher_main");
	snprintf(worker.bgw_name, BGW_MAXLEN, "es_fdw sync launcher");
	snprintf(worker.bgw_type, BGW_MAXLEN, "es_fdw sync launcher");
	RegisterBackgroundWorker(&worker);
}

/* ----- launcher ----- */

typedef struct DatabaseWorker
{
	Oid			dboid;			/* InvalidOid: a free slot */
	BackgroundWorkerHandle *handle;
	TimestampTz next_start;		/* not before */
	TimestampTz started;
	int			quick_exits;	/* exits soon after a start, in a row */
	bool		marked;			/* its marker was seen in this look */
} DatabaseWorker;

static DatabaseWorker workers[MAX_DATABASES];

/* The slot of a database, or a free one, or NULL when all are taken. */
static DatabaseWorker *
slot_of(Oid dboid)
{
	DatabaseWorker *free_slot = NULL;
	int			i;

	for (i = 0; i < MAX_DATABASES; i++)
	{
		if (workers[i].dboid == dboid)
			return &workers[i];
		if (workers[i].dboid == InvalidOid && free_slot == NULL)
			free_slot = &workers[i];
	}
	if (free_slot != NULL)
	{
		memset(free_slot, 0, sizeof(*free_slot));
		free_slot->dboid = dboid;
	}
	return free_slot;
}

/* Whether a slot's worker has stopped (or never started); its handle is released. */
static bool
worker_stopped(DatabaseWorker *w)
{
	pid_t		pid;

	if (w->handle == NULL)
		return true;
	if (GetBackgroundWorkerPid(w->handle, &pid) != BGWH_STOPPED)
		return false;
	pfree(w->handle);
	w->handle = NULL;
	return true;
}

static void
start_worker(DatabaseWorker *w)
{
	BackgroundWorker worker;

	memset(&worker, 0, sizeof(worker));
	worker.bgw_flags = BGWORKER_SHMEM_ACCESS | BGWORKER_BACKEND_DATABASE_CONNECTION;
	worker.bgw_start_time = BgWorkerStart_RecoveryFinished;
	worker.bgw_restart_time = BGW_NEVER_RESTART;
	snprintf(worker.bgw_library_name, BGW_MAXLEN, "es_fdw");
	snprintf(worker.bgw_function_name, BGW_MAXLEN, "es_sync_worker_main");
	snprintf(worker.bgw_name, BGW_MAXLEN, "es_fdw sync worker for database %u", w->dboid);
	snprintf(worker.bgw_type, BGW_MAXLEN, "es_fdw sync worker");
	worker.bgw_main_arg = ObjectIdGetDatum(w->dboid);
	worker.bgw_notify_pid = MyProcPid;
	w->started = GetCurrentTimestamp();
	if (!RegisterDynamicBackgroundWorker(&worker, &w->handle))
	{
		w->handle = NULL;
		w->next_start = TimestampTzPlusMilliseconds(w->started, 10000);
		ereport(LOG,
				(errmsg("es_fdw sync: could not start a worker for database %u", w->dboid),
				 errhint("Raise max_worker_processes.")));
	}
}

/*
 * Whether a database exists, as far as the launcher (connected to none)
 * can tell: its directory in the default tablespace or another one.
 */
static bool
database_exists(Oid dboid)
{
	struct stat st;
	DIR		   *d;
	struct dirent *de;
	bool		found = false;

	if (stat(psprintf("%s/base/%u", DataDir, dboid), &st) == 0)
		return true;
	d = AllocateDir("pg_tblspc");
	while (!found && d != NULL && (de = ReadDirExtended(d, "pg_tblspc", LOG)) != NULL)
		if (de->d_name[0] != '.' &&
			stat(psprintf("%s/pg_tblspc/%s/%s/%u", DataDir, de->d_name, TABLESPACE_VERSION_DIRECTORY, dboid), &st) == 0)
			found = true;
	if (d != NULL)
		FreeDir(d);
	return found;
}

/* Start a worker for each marked database that has none running (with a growing delay after quick exits). */
static void
launch_workers(void)
{
	char	   *dir = es_sync_marker_dir();
	DIR		   *d = AllocateDir(dir);
	struct dirent *de;
	TimestampTz now = GetCurrentTimestamp();
	int			i;

	if (d == NULL)
		return;
	for (i = 0; i < MAX_DATABASES; i++)
		workers[i].marked = false;
	while ((de = ReadDirExtended(d, dir, LOG)) != NULL)
	{
		char	   *end;
		unsigned long value = strtoul(de->d_name, &end, 10);
		DatabaseWorker *w;

		if (de->d_name[0] == '.' || *end != '\0' || value == 0)
			continue;
		if (!database_exists((Oid) value))
		{
			/* the database was dropped */
			(void) unlink(psprintf("%s/%s", dir, de->d_name));
			continue;
		}
		w = slot_of((Oid) value);
		if (w == NULL)
		{
			ereport(LOG,
					(errmsg("es_fdw sync: more than %d databases have synced tables; database %lu waits for a free slot",
							MAX_DATABASES, value)));
			continue;
		}
		w->marked = true;
		if (w->handle != NULL)
		{
			if (!worker_stopped(w))
				continue;
			/* a worker that exits at once (a dropped database, a broken install) is retried less often */
			w->quick_exits = TimestampDifferenceExceeds(w->started, now, 10000) ? 0 : w->quick_exits + 1;
			w->next_start = TimestampTzPlusMilliseconds(now, Min(60000, 1000 * (1 << Min(w->quick_exits, 6))));
		}
		if (now >= w->next_start)
			start_worker(w);
	}
	FreeDir(d);
	/* databases no longer marked (nothing synced, or dropped) free their slot once their worker is gone */
	for (i = 0; i < MAX_DATABASES; i++)
		if (workers[i].dboid != InvalidOid && !workers[i].marked && worker_stopped(&workers[i]))
			workers[i].dboid = InvalidOid;
}

void
es_sync_launcher_main(Datum arg)
{
	pqsignal(SIGTERM, die);
	pqsignal(SIGHUP, SignalHandlerForConfigReload);
	BackgroundWorkerUnblockSignals();
	for (;;)
	{
		CHECK_FOR_INTERRUPTS();
		if (ConfigReloadPending)
		{
			ConfigReloadPending = false;
			ProcessConfigFile(PGC_SIGHUP);
		}
		launch_workers();
		(void) WaitLatch(MyLatch, WL_LATCH_SET | WL_TIMEOUT | WL_EXIT_ON_PM_DEATH, LAUNCHER_NAPTIME_MS,
						 PG_WAIT_EXTENSION);
		ResetLatch(MyLatch);
	}
}

/* ----- delivery worker ----- */

static void
nap(long ms)
{
	(void) WaitLatch(MyLatch, WL_LATCH_SET | WL_TIMEOUT | WL_EXIT_ON_PM_DEATH, ms, PG_WAIT_EXTENSION);
	ResetLatch(MyLatch);
	CHECK_FOR_INTERRUPTS();
}

/* The synced tables, read in a transaction of their own; false: es_fdw is not installed here. */
static bool
read_entries(List **entries, MemoryContext cxt)
{
	bool		installed;

	SetCurrentStatementStartTimestamp();
	StartTransactionCommand();
	PushActiveSnapshot(GetTransactionSnapshot());
	installed = OidIsValid(get_extension_oid("es_fdw", true));
	if (installed)
	{
		MemoryContext old = MemoryContextSwitchTo(cxt);

		*entries = es_sync_entries(InvalidOid);
		MemoryContextSwitchTo(old);
	}
	PopActiveSnapshot();
	CommitTransactionCommand();
	return installed;
}

/*
 * One batch of one table in a transaction of its own.  Returns whether it
 * found work; *failure: why it failed, or NULL.
 */
static bool
deliver_one(EsSyncTable *entry, char **failure, MemoryContext cxt)
{
	volatile bool found = false;
	bool		retry = false;
	char	   *error = NULL;

	*failure = NULL;
	SetCurrentStatementStartTimestamp();
	StartTransactionCommand();
	PushActiveSnapshot(GetTransactionSnapshot());
	PG_TRY();
	{
		bool		f;

		if (!SearchSysCacheExists1(RELOID, ObjectIdGetDatum(entry->source)))
		{
			/* the table was dropped: so is its sync */
			ereport(LOG, (errmsg("es_fdw sync: synced table %u was dropped; its sync ends", entry->source)));
			es_sync_drop(entry->source, entry->outbox);
			f = false;
		}
		else
			es_sync_deliver(entry, &f, &retry, &error);
		found = f;
		if (retry)
			*failure = MemoryContextStrdup(cxt, psprintf("table \"%s\": %s", get_rel_name(entry->source), error));
		PopActiveSnapshot();
		CommitTransactionCommand();
	}
	PG_CATCH();
	{
		MemoryContext old = MemoryContextSwitchTo(cxt);
		ErrorData  *edata = CopyErrorData();

		MemoryContextSwitchTo(old);
		FlushErrorState();
		AbortCurrentTransaction();
		if (ProcDiePending)
			CHECK_FOR_INTERRUPTS();
		*failure = edata->message ? edata->message : "unknown error";
		/* remember it where es_sync_status shows it */
		SetCurrentStatementStartTimestamp();
		StartTransactionCommand();
		PushActiveSnapshot(GetTransactionSnapshot());
		es_sync_record_error(entry->source, *failure);
		*failure = MemoryContextStrdup(cxt, psprintf("table \"%s\": %s",
													 get_rel_name(entry->source) ? get_rel_name(entry->source) : "?",
													 *failure));
		PopActiveSnapshot();
		CommitTransactionCommand();
		found = true;
	}
	PG_END_TRY();
	return found;
}

/* A synced table's retry state in this worker: each table backs off on its own. */
typedef struct TableBackoff
{
	Oid			source;
	long		backoff_ms;		/* 0: not failing */
	TimestampTz next_attempt;
	char	   *last_logged;	/* the failure last logged, or NULL */
} TableBackoff;

static List *backoffs = NIL;	/* in TopMemoryContext */

static TableBackoff *
backoff_of(Oid source)
{
	ListCell   *cell;
	TableBackoff *b;
	MemoryContext old;

	foreach(cell, backoffs)
		if (((TableBackoff *) lfirst(cell))->source == source)
			return lfirst(cell);
	old = MemoryContextSwitchTo(TopMemoryContext);
	b = palloc0(sizeof(TableBackoff));
	b->source = source;
	backoffs = lappend(backoffs, b);
	MemoryContextSwitchTo(old);
	return b;
}

/* A failed delivery: wait longer (with jitter, at most 15 s) before the table's next one; log a new failure once. */
static void
back_off(TableBackoff *b, const char *failure)
{
	long		wait;

	b->backoff_ms = b->backoff_ms == 0 ? FIRST_BACKOFF_MS : Min(MAX_BACKOFF_MS, b->backoff_ms * 2);
	wait = b->backoff_ms / 2 + (long) (pg_prng_double(&pg_global_prng_state) * b->backoff_ms / 2);
	b->next_attempt = TimestampTzPlusMilliseconds(GetCurrentTimestamp(), wait);
	if (b->last_logged == NULL || strcmp(b->last_logged, failure) != 0)
	{
		ereport(LOG,
				(errmsg("es_fdw sync: delivery failed, retrying (at most every %d s): %s",
						MAX_BACKOFF_MS / 1000, failure)));
		if (b->last_logged)
			pfree(b->last_logged);
		b->last_logged = MemoryContextStrdup(TopMemoryContext, failure);
	}
}

static void
recovered(TableBackoff *b, Oid source)
{
	if (b->backoff_ms == 0)
		return;
	ereport(LOG, (errmsg("es_fdw sync: deliveries of table %u succeed again", source)));
	b->backoff_ms = 0;
	if (b->last_logged)
		pfree(b->last_logged);
	b->last_logged = NULL;
}

void
es_sync_worker_main(Datum arg)
{
	Oid			dboid = DatumGetObjectId(arg);
	MemoryContext round_cxt;

	/* like a backend: die() only sets flags, which the JVM's requests poll */
	pqsignal(SIGTERM, die);
	pqsignal(SIGHUP, SignalHandlerForConfigReload);
	BackgroundWorkerUnblockSignals();
	BackgroundWorkerInitializeConnectionByOid(dboid, InvalidOid, 0);
	pgstat_report_appname("es_fdw sync");
	round_cxt = AllocSetContextCreate(TopMemoryContext, "es_fdw sync round", ALLOCSET_DEFAULT_SIZES);

	for (;;)
	{
		List	   *entries = NIL;
		ListCell   *cell;
		bool		worked = false;
		long		wait_ms = sync_naptime_ms;
		TimestampTz now;

		CHECK_FOR_INTERRUPTS();
		if (ConfigReloadPending)
		{
			ConfigReloadPending = false;
			ProcessConfigFile(PGC_SIGHUP);
		}
		MemoryContextReset(round_cxt);
		if (!read_entries(&entries, round_cxt))
		{
			/* es_fdw was dropped from this database: no restart */
			es_sync_remove_marker();
			ereport(LOG, (errmsg("es_fdw sync: es_fdw is not installed in database %u; its worker exits", dboid)));
			proc_exit(0);
		}
		if (entries == NIL)
		{
			/*
			 * Nothing synced here any more: no restart, and the database can
			 * be dropped.  An es_sync_table() that committed before the
			 * marker went is seen by the second look; one that commits after
			 * writes the marker again.
			 */
			es_sync_remove_marker();
			if (read_entries(&entries, round_cxt) && entries == NIL)
			{
				ereport(LOG, (errmsg("es_fdw sync: no synced tables in database %u; its worker exits", dboid)));
				proc_exit(0);
			}
			(void) es_sync_write_marker();
			continue;
		}
		now = GetCurrentTimestamp();
		foreach(cell, entries)
		{
			EsSyncTable *entry = lfirst(cell);
			TableBackoff *b = backoff_of(entry->source);
			char	   *why = NULL;

			if (b->backoff_ms != 0 && now < b->next_attempt)
			{
				/* failing: not before its time, but the other tables go on */
				long		secs;
				int			usecs;

				TimestampDifference(now, b->next_attempt, &secs, &usecs);
				wait_ms = Min(wait_ms, secs * 1000 + usecs / 1000 + 1);
				continue;
			}
			/* a few batches of each table in turn */
			for (int i = 0; i < 8; i++)
			{
				bool		found = deliver_one(entry, &why, round_cxt);

				if (why != NULL || !found)
					break;
				worked = true;
			}
			if (why != NULL)
			{
				back_off(b, why);
				wait_ms = Min(wait_ms, b->backoff_ms / 2);
			}
			else
				recovered(b, entry->source);
		}
		if (!worked)
			nap(Max(wait_ms, 1));
	}
}
