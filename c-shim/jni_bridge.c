/*-------------------------------------------------------------------------
 *
 * jni_bridge.c
 *		The one module that calls into Java.  Every call goes through
 *		call_begin()/call_end(): signals blocked and a local frame pushed
 *		before, and after it any Java exception is described, cleared, the
 *		frame popped and the signal mask restored -- and only then, with no
 *		Java frame left on the stack, turned into an ereport.
 *
 * Also home of the native Java polls for PostgreSQL's interrupt state
 * (org.esfdw.bridge.PgInterrupts.pending), registered with RegisterNatives.
 *
 *-------------------------------------------------------------------------
 */
#include "es_fdw.h"

#include "mb/pg_wchar.h"
#include "miscadmin.h"
#include "utils/builtins.h"
#include "utils/jsonb.h"
#include "utils/memutils.h"

#include "org_esfdw_bridge_PgInterrupts.h"

#define BRIDGE_CLASS		"org/esfdw/bridge/Bridge"
#define INTERRUPTS_CLASS	"org/esfdw/bridge/PgInterrupts"
#define INTERRUPTED_CLASS	"org/esfdw/bridge/InterruptedByPostgres"
#define LOCAL_FRAME_SIZE	16

typedef enum BridgeMethod
{
	BM_OPEN_SCAN,
	BM_NEXT_BATCH,
	BM_RESCAN,
	BM_END_SCAN,
	BM_EXPLAIN,
	BM_DESCRIBE_ERROR,
	BM_VERSION,
	BM_FIELD_TYPES,
	BM_AGGREGATE,
	BM_OPEN_WRITER,
	BM_WRITE,
	BM_TRUNCATE,
	BM_END_WRITER,
	BM_ABORT_WRITER,
	BM_TRANSACTION_EVENT,
	BM_IMPORT_SCHEMA,
	BM_TAKE_WARNINGS,
	BM_STATUS,
	BM_CLEAR_CACHE,
	BM_DELIVER,
	BM_COUNT
} BridgeMethod;

/* Static methods of org.esfdw.bridge.Bridge, by BridgeMethod. */
static const struct
{
	const char *name;
	const char *signature;
}			bridge_methods[BM_COUNT] = {
	[BM_OPEN_SCAN] = {"openScan", "([B)J"},
	[BM_NEXT_BATCH] = {"nextBatch", "(J)[B"},
	[BM_RESCAN] = {"rescan", "(J)V"},
	[BM_END_SCAN] = {"endScan", "(J)V"},
	[BM_EXPLAIN] = {"explain", "([B)[B"},
	[BM_DESCRIBE_ERROR] = {"describeError", "(Ljava/lang/Throwable;)[B"},
	[BM_VERSION] = {"version", "()[B"},
	[BM_FIELD_TYPES] = {"fieldTypes", "([B)[B"},
	[BM_AGGREGATE] = {"aggregate", "([B)[B"},
	[BM_OPEN_WRITER] = {"openWriter", "([B)J"},
	[BM_WRITE] = {"write", "(J[BZ)V"},
	[BM_TRUNCATE] = {"truncate", "(JI)V"},
	[BM_END_WRITER] = {"endWriter", "(J)V"},
	[BM_ABORT_WRITER] = {"abortWriter", "(J)V"},
	[BM_TRANSACTION_EVENT] = {"transactionEvent", "(II)V"},
	[BM_IMPORT_SCHEMA] = {"importSchema", "([B)[B"},
	[BM_TAKE_WARNINGS] = {"takeWarnings", "()[B"},
	[BM_STATUS] = {"status", "([B)[B"},
	[BM_CLEAR_CACHE] = {"clearCache", "(I)J"},
	[BM_DELIVER] = {"deliver", "(J[B)[B"},
};

/* What a call into Java left behind, reported once Java is off the stack. */
typedef struct JavaError
{
	bool		raised;			/* an exception was pending */
	bool		interrupted;	/* it was InterruptedByPostgres */
	char	   *description;	/* describeError's JSON, or NULL */
	char	   *fallback;		/* plain text when describing failed */
} JavaError;

typedef struct BridgeCall
{
	JNIEnv	   *env;
	sigset_t	saved_mask;
	JavaError	error;
} BridgeCall;

static bool bridge_ready = false;
static jclass bridge_class = NULL;
static jclass interrupted_class = NULL;
static jmethodID method_ids[BM_COUNT];

/* The signal mask of the running call, restored briefly while Java polls. */
static const sigset_t *poll_mask = NULL;

/*
 * Called from Java every few milliseconds while it waits.  Unblocking the
 * signals for a moment lets pending ones run PostgreSQL's handlers here, on
 * the main thread, which only set flags.
 */
JNIEXPORT jboolean JNICALL
Java_org_esfdw_bridge_PgInterrupts_pending(JNIEnv *env, jclass cls)
{
	if (poll_mask != NULL)
	{
		sigset_t	blocked;

		pthread_sigmask(SIG_SETMASK, poll_mask, &blocked);
		pthread_sigmask(SIG_SETMASK, &blocked, NULL);
	}
	return (InterruptPending && (QueryCancelPending || ProcDiePending)) ? JNI_TRUE : JNI_FALSE;
}

/* toString() of a throwable, for when Bridge.describeError is not usable. */
static char *
throwable_text(JNIEnv *env, jthrowable exc)
{
	jclass		cls = (*env)->FindClass(env, "java/lang/Object");
	jmethodID	to_string;
	jstring		text;
	const char *chars;
	char	   *copy;

	if (cls == NULL)
		return NULL;
	to_string = (*env)->GetMethodID(env, cls, "toString", "()Ljava/lang/String;");
	text = to_string ? (*env)->CallObjectMethod(env, exc, to_string) : NULL;
	if ((*env)->ExceptionCheck(env) || text == NULL)
	{
		(*env)->ExceptionClear(env);
		return NULL;
	}
	chars = (*env)->GetStringUTFChars(env, text, NULL);
	copy = chars ? strdup(chars) : NULL;
	if (chars)
		(*env)->ReleaseStringUTFChars(env, text, chars);
	return copy;
}

/* A Java byte[] as a NUL-terminated palloc'd copy; NULL when out of memory. */
static char *
copy_java_bytes(JNIEnv *env, jbyteArray array, int *len)
{
	jsize		n = (*env)->GetArrayLength(env, array);
	char	   *copy = palloc_extended((Size) n + 1, MCXT_ALLOC_HUGE | MCXT_ALLOC_NO_OOM);

	if (copy == NULL)
		return NULL;
	(*env)->GetByteArrayRegion(env, array, 0, n, (jbyte *) copy);
	copy[n] = '\0';
	if (len)
		*len = (int) n;
	return copy;
}

static jbyteArray
java_bytes_n(JNIEnv *env, const char *data, int len)
{
	jsize		n = (jsize) len;
	jbyteArray	array = (*env)->NewByteArray(env, n);

	if (array != NULL)
		(*env)->SetByteArrayRegion(env, array, 0, n, (const jbyte *) data);
	return array;
}

static jbyteArray
java_bytes(JNIEnv *env, const char *data)
{
	jsize		n = (jsize) strlen(data);
	jbyteArray	array = (*env)->NewByteArray(env, n);

	if (array != NULL)
		(*env)->SetByteArrayRegion(env, array, 0, n, (const jbyte *) data);
	return array;
}

/* Record a pending exception (if any) in call->error and clear it. */
static void
collect_exception(BridgeCall *call)
{
	JNIEnv	   *env = call->env;
	jthrowable	exc = (*env)->ExceptionOccurred(env);
	jbyteArray	description;

	if (exc == NULL)
		return;
	(*env)->ExceptionClear(env);
	call->error.raised = true;
	if (interrupted_class && (*env)->IsInstanceOf(env, exc, interrupted_class))
	{
		call->error.interrupted = true;
		return;
	}
	if (bridge_ready)
	{
		description = (*env)->CallStaticObjectMethod(env, bridge_class,
													 method_ids[BM_DESCRIBE_ERROR], exc);
		if (!(*env)->ExceptionCheck(env) && description != NULL)
		{
			call->error.description = copy_java_bytes(env, description, NULL);
			return;
		}
		(*env)->ExceptionClear(env);
	}
	call->error.fallback = throwable_text(env, exc);
}

static void
call_begin(BridgeCall *call, JNIEnv *env)
{
	memset(call, 0, sizeof(*call));
	call->env = env;
	es_jvm_block_signals(&call->saved_mask);
	poll_mask = &call->saved_mask;
	if ((*env)->PushLocalFrame(env, LOCAL_FRAME_SIZE) < 0)
		collect_exception(call);
}

/* A text field of the error JSON, converted to the server encoding, or NULL. */
static char *
error_field(Jsonb *jb, const char *key)
{
	JsonbValue	value;

	if (getKeyJsonValueFromContainer(&jb->root, key, strlen(key), &value) == NULL ||
		value.type != jbvString || value.val.string.len == 0)
		return NULL;
	return pg_any_to_server(pnstrdup(value.val.string.val, value.val.string.len),
							value.val.string.len, PG_UTF8);
}

static void
report_described_error(const char *description)
{
	Jsonb	   *jb = DatumGetJsonbP(DirectFunctionCall1(jsonb_in, CStringGetDatum(description)));
	char	   *sqlstate = error_field(jb, "sqlstate");
	char	   *message = error_field(jb, "message");
	char	   *detail = error_field(jb, "detail");
	char	   *hint = error_field(jb, "hint");
	char	   *stack = error_field(jb, "stack");
	int			code = ERRCODE_FDW_ERROR;

	if (sqlstate != NULL && strlen(sqlstate) == 5)
		code = MAKE_SQLSTATE(sqlstate[0], sqlstate[1], sqlstate[2], sqlstate[3], sqlstate[4]);
	if (stack != NULL)
		ereport(DEBUG1, (errmsg_internal("es_fdw Java stack trace: %s", stack)));
	ereport(ERROR,
			(errcode(code),
			 errmsg_internal("%s", message ? message : "es_fdw: Java error without a message"),
			 detail ? errdetail_internal("%s", detail) : 0,
			 hint ? errhint("%s", hint) : 0));
}

/* Turn a collected Java exception into a PostgreSQL error. */
static void
report_java_error(JavaError *error)
{
	if (error->interrupted)
	{
		CHECK_FOR_INTERRUPTS();
		ereport(ERROR,
				(errcode(ERRCODE_QUERY_CANCELED),
				 errmsg("es_fdw request interrupted")));
	}
	if (error->description != NULL)
		report_described_error(error->description);
	ereport(ERROR,
			(errcode(ERRCODE_FDW_ERROR),
			 errmsg("es_fdw: Java error: %s",
					error->fallback ? error->fallback : "(no description)")));
}

/*
 * Finish a call: collect any exception, pop the local frame (keeping no
 * reference), restore signals, then report.  Nothing here longjmps before
 * Java's state is clean.
 */
static void
call_end(BridgeCall *call)
{
	collect_exception(call);
	(*call->env)->PopLocalFrame(call->env, NULL);
	poll_mask = NULL;
	es_jvm_restore_signals(&call->saved_mask);
	if (call->error.raised)
	{
		char	   *fallback = call->error.fallback;

		if (fallback != NULL)
		{
			call->error.fallback = pstrdup(fallback);
			free(fallback);
		}
		report_java_error(&call->error);
	}
}

static jclass
global_class(BridgeCall *call, const char *name)
{
	JNIEnv	   *env = call->env;
	jclass		local = (*env)->FindClass(env, name);

	return local ? (*env)->NewGlobalRef(env, local) : NULL;
}

static void
lookup_bridge(BridgeCall *call)
{
	JNIEnv	   *env = call->env;
	JNINativeMethod natives[] = {
		{"pending", "()Z", (void *) Java_org_esfdw_bridge_PgInterrupts_pending}
	};
	jclass		interrupts;
	int			i;

	if ((bridge_class = global_class(call, BRIDGE_CLASS)) == NULL ||
		(interrupted_class = global_class(call, INTERRUPTED_CLASS)) == NULL ||
		(interrupts = (*env)->FindClass(env, INTERRUPTS_CLASS)) == NULL ||
		(*env)->RegisterNatives(env, interrupts, natives, lengthof(natives)) != 0)
		return;
	for (i = 0; i < BM_COUNT; i++)
	{
		method_ids[i] = (*env)->GetStaticMethodID(env, bridge_class, bridge_methods[i].name,
												  bridge_methods[i].signature);
		if (method_ids[i] == NULL)
			return;
	}
	bridge_ready = true;
}

/* The JNIEnv with Bridge's class and methods looked up (once per backend). */
static JNIEnv *
bridge_env(void)
{
	JNIEnv	   *env = es_jvm_env();
	BridgeCall	call;

	if (bridge_ready)
		return env;
	call_begin(&call, env);
	if (!call.error.raised)
		lookup_bridge(&call);
	call_end(&call);
	if (!bridge_ready)
		ereport(ERROR,
				(errcode(ERRCODE_SYSTEM_ERROR),
				 errmsg("es_fdw could not find its Java entry points in its module"),
				 errhint("Reinstall es_fdw with \"make install\".")));
	return env;
}

/* Copy a byte[] result, or note an out-of-memory to report after cleanup. */
static char *
take_bytes(BridgeCall *call, jbyteArray result, int *len, bool *oom)
{
	char	   *copy;

	if (call->error.raised || (*call->env)->ExceptionCheck(call->env) || result == NULL)
		return NULL;
	copy = copy_java_bytes(call->env, result, len);
	*oom = (copy == NULL);
	return copy;
}

static void
check_oom(bool oom)
{
	if (oom)
		ereport(ERROR,
				(errcode(ERRCODE_OUT_OF_MEMORY),
				 errmsg("out of memory copying a result from es_fdw's Java module")));
}

/* Call a ([B)[B or ()[B or (J)[B method; the result as palloc'd bytes. */
static char *
call_bytes_method(BridgeMethod method, const char *arg, const int64 *handle, int *len)
{
	JNIEnv	   *env = bridge_env();
	BridgeCall	call;
	jbyteArray	result = NULL;
	char	   *copy = NULL;
	bool		oom = false;

	call_begin(&call, env);
	if (!call.error.raised)
	{
		if (arg != NULL)
		{
			jbyteArray	java_arg = java_bytes(env, arg);

			if (java_arg != NULL)
				result = (*env)->CallStaticObjectMethod(env, bridge_class, method_ids[method], java_arg);
		}
		else if (handle != NULL)
			result = (*env)->CallStaticObjectMethod(env, bridge_class, method_ids[method], (jlong) *handle);
		else
			result = (*env)->CallStaticObjectMethod(env, bridge_class, method_ids[method]);
		copy = take_bytes(&call, result, len, &oom);
	}
	call_end(&call);
	check_oom(oom);
	if (copy == NULL)
		elog(ERROR, "es_fdw: %s returned no result", bridge_methods[method].name);
	return copy;
}

static void
call_void_method(BridgeMethod method, int64 handle)
{
	JNIEnv	   *env = bridge_env();
	BridgeCall	call;

	call_begin(&call, env);
	if (!call.error.raised)
		(*env)->CallStaticVoidMethod(env, bridge_class, method_ids[method], (jlong) handle);
	call_end(&call);
}

/* Call a ([B)J method (openScan, openWriter): the handle it returns. */
static int64
call_open_method(BridgeMethod method, const char *description)
{
	JNIEnv	   *env = bridge_env();
	BridgeCall	call;
	jlong		handle = 0;

	call_begin(&call, env);
	if (!call.error.raised)
	{
		jbyteArray	arg = java_bytes(env, description);

		if (arg != NULL)
			handle = (*env)->CallStaticLongMethod(env, bridge_class, method_ids[method], arg);
	}
	call_end(&call);
	return (int64) handle;
}

int64
es_bridge_open_scan(const char *description)
{
	return call_open_method(BM_OPEN_SCAN, description);
}

char *
es_bridge_next_batch(int64 handle, int *len)
{
	return call_bytes_method(BM_NEXT_BATCH, NULL, &handle, len);
}

void
es_bridge_rescan(int64 handle)
{
	call_void_method(BM_RESCAN, handle);
}

void
es_bridge_end_scan(int64 handle)
{
	call_void_method(BM_END_SCAN, handle);
}

/*
 * End a scan during error cleanup: must not raise, so a Java failure is only
 * logged.  Does nothing when the JVM or bridge never came up.
 */
void
es_bridge_end_scan_quietly(int64 handle)
{
	BridgeCall	call;

	if (!bridge_ready)
		return;
	call_begin(&call, es_jvm_env());
	if (!call.error.raised)
		(*call.env)->CallStaticVoidMethod(call.env, bridge_class, method_ids[BM_END_SCAN], (jlong) handle);
	collect_exception(&call);
	(*call.env)->PopLocalFrame(call.env, NULL);
	poll_mask = NULL;
	es_jvm_restore_signals(&call.saved_mask);
	if (call.error.raised)
		elog(LOG, "es_fdw: could not release an Elasticsearch scan context during cleanup");
	if (call.error.fallback)
		free(call.error.fallback);
}

char *
es_bridge_explain(const char *description)
{
	char	   *text = call_bytes_method(BM_EXPLAIN, description, NULL, NULL);

	return pg_any_to_server(text, strlen(text), PG_UTF8);
}

/* The index mapping as flat JSON {"field path": "type"} (UTF-8). */
char *
es_bridge_field_types(const char *description)
{
	return call_bytes_method(BM_FIELD_TYPES, description, NULL, NULL);
}

/* The aggregations object of a size-0 search (UTF-8 JSON, converted to the server encoding). */
char *
es_bridge_aggregate(const char *description)
{
	char	   *json = call_bytes_method(BM_AGGREGATE, description, NULL, NULL);

	return pg_any_to_server(json, strlen(json), PG_UTF8);
}

/* IMPORT FOREIGN SCHEMA's table descriptions (JSON, converted to the server encoding). */
char *
es_bridge_import_schema(const char *request)
{
	char	   *json = call_bytes_method(BM_IMPORT_SCHEMA, request, NULL, NULL);

	return pg_any_to_server(json, strlen(json), PG_UTF8);
}

char *
es_bridge_version(void)
{
	return call_bytes_method(BM_VERSION, NULL, NULL, NULL);
}

/* ----- writes ----- */

int64
es_bridge_open_writer(const char *description)
{
	return call_open_method(BM_OPEN_WRITER, description);
}

/* Hand len bytes of encoded actions to a writer; statement_end lets an immediate writer send them. */
void
es_bridge_write(int64 handle, const char *data, int len, bool statement_end)
{
	JNIEnv	   *env = bridge_env();
	BridgeCall	call;

	call_begin(&call, env);
	if (!call.error.raised)
	{
		jbyteArray	arg = java_bytes_n(env, data, len);

		if (arg != NULL)
			(*env)->CallStaticVoidMethod(env, bridge_class, method_ids[BM_WRITE], (jlong) handle, arg,
										 statement_end ? JNI_TRUE : JNI_FALSE);
	}
	call_end(&call);
}

/* Table sync: send a batch of versioned actions now; the items not done, as JSON (Delivery.java). */
char *
es_bridge_deliver(int64 handle, const char *data, int len)
{
	JNIEnv	   *env = bridge_env();
	BridgeCall	call;
	jbyteArray	result = NULL;
	char	   *copy = NULL;
	bool		oom = false;
	int			result_len = 0;

	call_begin(&call, env);
	if (!call.error.raised)
	{
		jbyteArray	arg = java_bytes_n(env, data, len);

		if (arg != NULL)
			result = (*env)->CallStaticObjectMethod(env, bridge_class, method_ids[BM_DELIVER], (jlong) handle, arg);
		copy = take_bytes(&call, result, &result_len, &oom);
	}
	call_end(&call);
	check_oom(oom);
	if (copy == NULL)
		elog(ERROR, "es_fdw: deliver returned no result");
	return pg_any_to_server(copy, result_len, PG_UTF8);
}

void
es_bridge_truncate(int64 handle, int nest_level)
{
	JNIEnv	   *env = bridge_env();
	BridgeCall	call;

	call_begin(&call, env);
	if (!call.error.raised)
		(*env)->CallStaticVoidMethod(env, bridge_class, method_ids[BM_TRUNCATE], (jlong) handle,
									 (jint) nest_level);
	call_end(&call);
}

void
es_bridge_end_writer(int64 handle)
{
	call_void_method(BM_END_WRITER, handle);
}

/* A transaction event for the pending writes (see Bridge.transactionEvent); may raise. */
void
es_bridge_transaction_event(int event, int nest_level)
{
	JNIEnv	   *env = bridge_env();
	BridgeCall	call;

	call_begin(&call, env);
	if (!call.error.raised)
		(*env)->CallStaticVoidMethod(env, bridge_class, method_ids[BM_TRANSACTION_EVENT], (jint) event,
									 (jint) nest_level);
	call_end(&call);
}

/*
 * For abort paths, which must not raise: forget a writer (handle != 0) or
 * send a transaction event; a Java failure is only logged.  Does nothing when
 * the bridge never came up.
 */
void
es_bridge_quietly(bool abort_writer, int64 handle, int event, int nest_level)
{
	BridgeCall	call;

	if (!bridge_ready)
		return;
	call_begin(&call, es_jvm_env());
	if (!call.error.raised)
	{
		if (abort_writer)
			(*call.env)->CallStaticVoidMethod(call.env, bridge_class, method_ids[BM_ABORT_WRITER], (jlong) handle);
		else
			(*call.env)->CallStaticVoidMethod(call.env, bridge_class, method_ids[BM_TRANSACTION_EVENT],
											  (jint) event, (jint) nest_level);
	}
	collect_exception(&call);
	(*call.env)->PopLocalFrame(call.env, NULL);
	poll_mask = NULL;
	es_jvm_restore_signals(&call.saved_mask);
	if (call.error.raised)
		elog(LOG, "es_fdw: the Java module failed while a transaction or statement was being rolled back");
	if (call.error.fallback)
		free(call.error.fallback);
}

/* Is the bridge up, i.e. has this backend used es_fdw's Java module? */
bool
es_bridge_running(void)
{
	return bridge_ready;
}

/* Report the WARNINGs Java queued (offline answers), one per line of its text. */
void
es_bridge_report_warnings(void)
{
	char	   *text = call_bytes_method(BM_TAKE_WARNINGS, NULL, NULL, NULL);
	char	   *line;
	char	   *next;

	if (text[0] == '\0')
		return;
	text = pg_any_to_server(text, strlen(text), PG_UTF8);
	for (line = text; line != NULL; line = next)
	{
		next = strchr(line, '\n');
		if (next != NULL)
			*next++ = '\0';
		ereport(WARNING, (errcode(ERRCODE_FDW_UNABLE_TO_ESTABLISH_CONNECTION), errmsg_internal("%s", line)));
	}
}

/* es_status()'s JSON of one server (server encoding). */
char *
es_bridge_status(const char *target)
{
	char	   *json = call_bytes_method(BM_STATUS, target, NULL, NULL);

	return pg_any_to_server(json, strlen(json), PG_UTF8);
}

/* Empty the result cache (what 0) or close every circuit breaker (what 1); how many. */
int64
es_bridge_clear_cache(int what)
{
	JNIEnv	   *env = bridge_env();
	BridgeCall	call;
	jlong		removed = 0;

	call_begin(&call, env);
	if (!call.error.raised)
		removed = (*env)->CallStaticLongMethod(env, bridge_class, method_ids[BM_CLEAR_CACHE], (jint) what);
	call_end(&call);
	return (int64) removed;
}
