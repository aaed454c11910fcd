/*-------------------------------------------------------------------------
 *
 * jvm.c
 *		Finding, loading and booting the Java virtual machine inside a
 *		backend, the way PL/Java does: lazily on first use (never in the
 *		postmaster), libjvm dlopen()ed from a GUC-given or discovered path,
 *		with the options that keep a backend safe always applied.
 *
 * Facts this file is built on (measured, see docs/jvm-hosting.md):
 *	- -Xrs, or the JVM takes SIGINT/SIGTERM/SIGHUP/SIGQUIT from PostgreSQL;
 *	- -Xss at least the process stack limit, or HotSpot's guard pages on the
 *	  main thread turn "stack depth limit exceeded" into a SIGSEGV;
 *	- PostgreSQL's async signals blocked around JNI_CreateJavaVM and every
 *	  call into Java, so JVM threads inherit a mask that keeps PostgreSQL's
 *	  handlers on the main thread;
 *	- JNI_CreateJavaVM works at most once per process: a failure is final
 *	  for the session;
 *	- no DestroyJavaVM at exit.
 *
 *-------------------------------------------------------------------------
 */
#include "es_fdw.h"

#include <dlfcn.h>
#include <pthread.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <unistd.h>

#include "miscadmin.h"
#include "tcop/tcopprot.h"
#include "utils/guc.h"
#include "utils/memutils.h"
#include "utils/varlena.h"

#define JAR_NAME		"es_fdw.jar"
#define CDS_ARCHIVE_NAME "es_fdw.jsa"	/* made by make install, optional */
#define MIN_STACK_BYTES	(8L * 1024 * 1024)
#define MAX_JVM_OPTIONS	64

typedef jint (JNICALL * CreateJavaVM_fn) (JavaVM **, void **, void *);

typedef enum JvmState
{
	JVM_NOT_STARTED,			/* nothing done yet, or dlopen failed */
	JVM_RUNNING,
	JVM_FAILED					/* JNI_CreateJavaVM failed: final */
} JvmState;

static char *libjvm_path_guc = NULL;
static char *jvm_options_guc = NULL;

static JvmState jvm_state = JVM_NOT_STARTED;
static JavaVM *jvm = NULL;
static JNIEnv *jvm_env = NULL;
static char *loaded_libjvm = NULL;
static pthread_t main_thread;

/*
 * Options a user may not set: they would end the backend from inside the
 * JVM, undo -Xrs, or fight the options es_fdw manages itself.
 */
static const char *const forbidden_option_prefixes[] = {
	"-Xshare:on", "-XX:+ExitOnOutOfMemoryError", "-XX:+CrashOnOutOfMemoryError",
	"-XX:OnError", "-XX:OnOutOfMemoryError", "-XX:-ReduceSignalUsage",
	"-Xss", "-XX:ThreadStackSize", "-Djava.class.path", "-cp", "-classpath",
	"-agentlib", "-agentpath", "-javaagent", "-XX:ArchiveClassesAtExit", "-XX:SharedArchiveFile", NULL
};

/*
 * Options applied before the user's (which may override them).  -Xms32m:
 * with a smaller initial heap a large scan spends much of its time in full
 * collections while the heap grows (a 200k-document scan: 4.5 s at -Xms8m,
 * about 3 s at -Xms32m, for ~3 MB more RSS on a small query).
 */
static const char *const default_options[] = {
	"-Xms32m", "-Xmx128m", "-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1",
	"-XX:ReservedCodeCacheSize=32m", "-XX:MaxMetaspaceSize=128m",
	"-Xshare:auto", "-XX:-UsePerfData", "-XX:+DisableAttachMechanism",
	"-Dfile.encoding=UTF-8", NULL
};

/* Signals PostgreSQL handles asynchronously: never delivered to JVM threads. */
static const int blocked_signals[] = {
	SIGINT, SIGTERM, SIGQUIT, SIGHUP, SIGALRM, SIGUSR1, SIGUSR2, SIGURG, 0
};

void
es_jvm_block_signals(sigset_t *saved)
{
	sigset_t	block;
	int			i;

	sigemptyset(&block);
	for (i = 0; blocked_signals[i] != 0; i++)
		sigaddset(&block, blocked_signals[i]);
	pthread_sigmask(SIG_BLOCK, &block, saved);
}

void
es_jvm_restore_signals(const sigset_t *saved)
{
	pthread_sigmask(SIG_SETMASK, saved, NULL);
}

static const char *
forbidden_option(const char *option)
{
	int			i;

	for (i = 0; forbidden_option_prefixes[i]; i++)
	{
		if (strncmp(option, forbidden_option_prefixes[i],
					strlen(forbidden_option_prefixes[i])) == 0)
			return forbidden_option_prefixes[i];
	}
	return NULL;
}

/* Split es_fdw.jvm_options on white space; false (with a reason) if invalid. */
static bool
split_jvm_options(const char *value, List **options, const char **bad)
{
	char	   *copy = pstrdup(value ? value : "");
	char	   *token;
	char	   *save;

	*options = NIL;
	for (token = strtok_r(copy, " \t\n", &save); token; token = strtok_r(NULL, " \t\n", &save))
	{
		if (token[0] != '-' || forbidden_option(token) != NULL)
		{
			*bad = token;
			return false;
		}
		*options = lappend(*options, token);
	}
	if (list_length(*options) > MAX_JVM_OPTIONS / 2)
	{
		*bad = "(too many options)";
		return false;
	}
	return true;
}

static bool
check_jvm_options(char **newval, void **extra, GucSource source)
{
	List	   *options;
	const char *bad = NULL;

	if (jvm_state != JVM_NOT_STARTED &&
		strcmp(*newval ? *newval : "", jvm_options_guc ? jvm_options_guc : "") != 0)
	{
		GUC_check_errdetail("The Java virtual machine of this session is already running.");
		GUC_check_errhint("Set es_fdw.jvm_options before the first use of es_fdw in a session.");
		return false;
	}
	if (!split_jvm_options(*newval, &options, &bad))
	{
		GUC_check_errdetail("Option \"%s\" is not allowed.", bad);
		GUC_check_errhint("Give JVM options starting with -X, -XX: or -D; es_fdw manages "
						  "-Xss, -Xrs and the class path itself.");
		return false;
	}
	return true;
}

static bool
check_libjvm_path(char **newval, void **extra, GucSource source)
{
	if (jvm_state != JVM_NOT_STARTED &&
		strcmp(*newval ? *newval : "", libjvm_path_guc ? libjvm_path_guc : "") != 0)
	{
		GUC_check_errdetail("The Java virtual machine of this session is already running.");
		return false;
	}
	return true;
}

void
es_jvm_define_gucs(void)
{
	DefineCustomStringVariable("es_fdw.libjvm_path",
							   "Path of libjvm.so used by es_fdw.",
							   "Empty: found from JAVA_HOME, the java on PATH, "
							   "or the JDK es_fdw was built with.",
							   &libjvm_path_guc, "", PGC_SUSET, 0,
							   check_libjvm_path, NULL, NULL);
	DefineCustomStringVariable("es_fdw.jvm_options",
							   "Extra options for the Java virtual machine of es_fdw.",
							   "Applied when a session first uses es_fdw; "
							   "frozen once the JVM runs.",
							   &jvm_options_guc, "", PGC_SUSET, 0,
							   check_jvm_options, NULL, NULL);
}

static bool
file_exists(const char *path)
{
	struct stat st;

	return stat(path, &st) == 0 && S_ISREG(st.st_mode);
}

/* <java_home>/lib/server/libjvm.so if it exists, else NULL. */
static char *
libjvm_under(const char *java_home)
{
	char	   *path;

	if (java_home == NULL || java_home[0] == '\0')
		return NULL;
	path = psprintf("%s/lib/server/libjvm.so", java_home);
	return file_exists(path) ? path : NULL;
}

/* The JDK of the `java` on PATH: realpath of it, two directories up. */
static char *
java_home_from_path(void)
{
	const char *path_env = getenv("PATH");
	char	   *dirs;
	char	   *dir;
	char	   *save;

	if (path_env == NULL)
		return NULL;
	dirs = pstrdup(path_env);
	for (dir = strtok_r(dirs, ":", &save); dir; dir = strtok_r(NULL, ":", &save))
	{
		char	   *candidate = psprintf("%s/java", dir);
		char	   *resolved = file_exists(candidate) ? realpath(candidate, NULL) : NULL;

		if (resolved != NULL)
		{
			char	   *java_home = pstrdup(resolved);

			free(resolved);
			get_parent_directory(java_home);	/* .../bin */
			get_parent_directory(java_home);	/* the JDK */
			return java_home;
		}
	}
	return NULL;
}

static char *
find_libjvm(void)
{
	char	   *path;

	if (libjvm_path_guc != NULL && libjvm_path_guc[0] != '\0')
	{
		if (!file_exists(libjvm_path_guc))
			ereport(ERROR,
					(errcode(ERRCODE_UNDEFINED_FILE),
					 errmsg("es_fdw.libjvm_path \"%s\" does not exist", libjvm_path_guc),
					 errhint("Set es_fdw.libjvm_path to the libjvm.so of a Java 17 or later JDK.")));
		return pstrdup(libjvm_path_guc);
	}
	if ((path = libjvm_under(getenv("JAVA_HOME"))) != NULL)
		return path;
	if ((path = libjvm_under(java_home_from_path())) != NULL)
		return path;
#ifdef ES_FDW_BUILD_LIBJVM
	if (file_exists(ES_FDW_BUILD_LIBJVM))
		return pstrdup(ES_FDW_BUILD_LIBJVM);
#endif
	ereport(ERROR,
			(errcode(ERRCODE_UNDEFINED_FILE),
			 errmsg("es_fdw could not find a Java virtual machine (libjvm.so)"),
			 errdetail("Looked in $JAVA_HOME, at the java on PATH and at the JDK es_fdw was built with."),
			 errhint("Set es_fdw.libjvm_path to the libjvm.so of a Java 17 or later JDK, "
					 "e.g. in postgresql.conf.")));
	return NULL;				/* not reached */
}

static char *
jar_path(void)
{
	char		share[MAXPGPATH];
	char	   *path;

	get_share_path(my_exec_path, share);
	path = psprintf("%s/extension/%s", share, JAR_NAME);
	if (!file_exists(path))
		ereport(ERROR,
				(errcode(ERRCODE_UNDEFINED_FILE),
				 errmsg("es_fdw's Java module \"%s\" is missing", path),
				 errhint("Reinstall es_fdw with \"make install\".")));
	return path;
}

/*
 * -XX:SharedArchiveFile for the class-data-sharing archive make install
 * made, or NULL when there is none.  A JVM other than the one that made it
 * ignores it (-Xshare:auto), and so does one that finds the jar changed.
 */
static char *
cds_archive_option(void)
{
	char		share[MAXPGPATH];
	char	   *path;

	get_share_path(my_exec_path, share);
	path = psprintf("%s/extension/%s", share, CDS_ARCHIVE_NAME);
	return file_exists(path) ? psprintf("-XX:SharedArchiveFile=%s", path) : NULL;
}

/*
 * -Xss for the JVM: at least the process stack limit (so HotSpot's guard
 * pages sit beyond anything max_stack_depth allows) and at least 8 MB.
 */
static char *
stack_size_option(void)
{
	struct rlimit rl;
	long		bytes = MIN_STACK_BYTES;
	long		pg_depth = (long) max_stack_depth * 1024L * 2;

	if (getrlimit(RLIMIT_STACK, &rl) == 0 && rl.rlim_cur != RLIM_INFINITY &&
		(long) rl.rlim_cur > bytes)
		bytes = (long) rl.rlim_cur;
	if (pg_depth > bytes)
		bytes = pg_depth;
	return psprintf("-Xss%ldk", (bytes + 1023) / 1024);
}

/*
 * The JVM calls this when it wants to end the process.  During start-up on
 * the main thread, end the backend the PostgreSQL way (FATAL, no cluster
 * restart); elsewhere there is nothing safe to do but let the JVM go on.
 */
static void JNICALL
jvm_exit_hook(jint code)
{
	if (pthread_equal(pthread_self(), main_thread))
		ereport(FATAL,
				(errcode(ERRCODE_SYSTEM_ERROR),
				 errmsg("the Java virtual machine of es_fdw exited with code %d", (int) code),
				 errhint("See the server log for what the JVM printed; check es_fdw.jvm_options.")));
}

static int
collect_options(JavaVMOption *options, List *user_options)
{
	int			n = 0;
	int			i;
	ListCell   *cell;

	for (i = 0; default_options[i]; i++)
		options[n++].optionString = (char *) default_options[i];
	foreach(cell, user_options)
		options[n++].optionString = lfirst(cell);
	options[n++].optionString = psprintf("-Djava.class.path=%s", jar_path());
	if ((options[n].optionString = cds_archive_option()) != NULL)
		n++;
	options[n++].optionString = stack_size_option();
	/* circuit breakers and the result cache, shared by the cluster's backends (offline mode) */
	options[n++].optionString = psprintf("-Desfdw.state.dir=%s/es_fdw", DataDir);
	options[n++].optionString = "-Xrs";
	options[n].optionString = "exit";
	options[n++].extraInfo = (void *) jvm_exit_hook;
	return n;
}

static CreateJavaVM_fn
load_libjvm(const char *path)
{
	void	   *handle = dlopen(path, RTLD_NOW | RTLD_LOCAL);
	CreateJavaVM_fn create;

	if (handle == NULL)
		ereport(ERROR,
				(errcode(ERRCODE_UNDEFINED_FILE),
				 errmsg("could not load the Java virtual machine \"%s\": %s", path, dlerror()),
				 errhint("Set es_fdw.libjvm_path to the libjvm.so of a Java 17 or later JDK.")));
	create = (CreateJavaVM_fn) dlsym(handle, "JNI_CreateJavaVM");
	if (create == NULL)
		ereport(ERROR,
				(errcode(ERRCODE_UNDEFINED_FUNCTION),
				 errmsg("\"%s\" has no JNI_CreateJavaVM: not a libjvm", path),
				 errhint("Set es_fdw.libjvm_path to the libjvm.so of a Java 17 or later JDK.")));
	return create;
}

static void
start_jvm(void)
{
	MemoryContext old = MemoryContextSwitchTo(TopMemoryContext);
	char	   *libjvm = find_libjvm();
	CreateJavaVM_fn create = load_libjvm(libjvm);
	JavaVMOption options[MAX_JVM_OPTIONS];
	JavaVMInitArgs args;
	List	   *user_options;
	const char *bad;
	sigset_t	saved;
	jint		rc;

	if (!split_jvm_options(jvm_options_guc, &user_options, &bad))
		elog(ERROR, "invalid es_fdw.jvm_options");	/* the GUC check refused it */
	memset(options, 0, sizeof(options));
	args.version = JNI_VERSION_10;
	args.options = options;
	args.nOptions = collect_options(options, user_options);
	args.ignoreUnrecognized = JNI_FALSE;
	main_thread = pthread_self();

	es_jvm_block_signals(&saved);
	rc = create(&jvm, (void **) &jvm_env, &args);
	es_jvm_restore_signals(&saved);
	MemoryContextSwitchTo(old);

	if (rc != JNI_OK)
	{
		jvm_state = JVM_FAILED;
		ereport(ERROR,
				(errcode(ERRCODE_SYSTEM_ERROR),
				 errmsg("could not start the Java virtual machine \"%s\" (JNI error %d)", libjvm, (int) rc),
				 errdetail("The JVM printed its reason to the server log."),
				 errhint("Check es_fdw.jvm_options, then start a new session.")));
	}
	loaded_libjvm = libjvm;
	jvm_state = JVM_RUNNING;
}

/* The JNIEnv of this backend's JVM, booting the JVM on first use. */
JNIEnv *
es_jvm_env(void)
{
	if (jvm_state == JVM_RUNNING)
		return jvm_env;
	if (jvm_state == JVM_FAILED)
		ereport(ERROR,
				(errcode(ERRCODE_SYSTEM_ERROR),
				 errmsg("the Java virtual machine of es_fdw failed to start earlier in this session"),
				 errhint("Fix es_fdw.jvm_options or es_fdw.libjvm_path and start a new session.")));
	if (!IsUnderPostmaster)
		ereport(ERROR,
				(errcode(ERRCODE_FEATURE_NOT_SUPPORTED),
				 errmsg("es_fdw does not start a Java virtual machine outside a backend")));
	start_jvm();
	return jvm_env;
}

/* The libjvm this backend loaded, or NULL before the JVM runs. */
const char *
es_jvm_libjvm_path(void)
{
	return loaded_libjvm;
}
