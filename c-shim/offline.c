/*-------------------------------------------------------------------------
 *
 * offline.c
 *		Offline answers without the JVM: when a backend that has not started
 *		its JVM yet meets a server whose circuit breaker is open, the answer
 *		(an empty result, or the cached one) and the plan's mapping come from
 *		the files the Java module keeps under the data directory
 *		(docs/boundary.md, "Offline"), so a new connection answers in a few
 *		milliseconds instead of paying a JVM start for a server that is down.
 *
 * Everything here only reads files other backends write atomically; a file
 * that is missing, short, or fails its checks means "no answer here", and
 * the normal path (through Java) runs instead.  Nothing here raises.
 *
 *-------------------------------------------------------------------------
 */
#include "es_fdw.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include "common/cryptohash.h"
#include "common/sha2.h"
#include "mb/pg_wchar.h"
#include "miscadmin.h"
#include "utils/builtins.h"
#include "utils/timestamp.h"

#define CACHE_MAGIC "ESFDWRC1"
#define MAX_STATE_FILE (256L * 1024 * 1024)

/* Milliseconds since the Unix epoch, as Java's System.currentTimeMillis(). */
static int64
now_millis(void)
{
	return GetCurrentTimestamp() / 1000 +
		((int64) (POSTGRES_EPOCH_JDATE - UNIX_EPOCH_JDATE) * SECS_PER_DAY * 1000);
}

/* SHA-256 of text as 64 hex digits (Java's StateDirectory.fileName), or NULL. */
static char *
sha256_hex(const char *text)
{
	uint8		digest[PG_SHA256_DIGEST_LENGTH];
	pg_cryptohash_ctx *ctx = pg_cryptohash_create(PG_SHA256);
	char	   *hex;
	int			i;

	if (ctx == NULL || pg_cryptohash_init(ctx) < 0 ||
		pg_cryptohash_update(ctx, (const uint8 *) text, strlen(text)) < 0 ||
		pg_cryptohash_final(ctx, digest, sizeof(digest)) < 0)
	{
		pg_cryptohash_free(ctx);
		return NULL;
	}
	pg_cryptohash_free(ctx);
	hex = palloc(PG_SHA256_DIGEST_LENGTH * 2 + 1);
	for (i = 0; i < PG_SHA256_DIGEST_LENGTH; i++)
		sprintf(hex + 2 * i, "%02x", digest[i]);
	return hex;
}

/* A whole state file, or NULL (missing, unreadable, too large). */
static char *
read_state_file(const char *dir, const char *key, int *len)
{
	char	   *name = sha256_hex(key);
	char	   *path;
	struct stat st;
	char	   *data;
	int			fd;
	ssize_t		got = 0;

	if (name == NULL)
		return NULL;
	path = psprintf("%s/es_fdw/%s/%s", DataDir, dir, name);
	fd = open(path, O_RDONLY | PG_BINARY, 0);
	if (fd < 0)
		return NULL;
	if (fstat(fd, &st) < 0 || st.st_size <= 0 || st.st_size > MAX_STATE_FILE)
	{
		close(fd);
		return NULL;
	}
	data = palloc(st.st_size + 1);
	while (got < st.st_size)
	{
		ssize_t		n = read(fd, data + got, st.st_size - got);

		if (n <= 0)
			break;
		got += n;
	}
	close(fd);
	if (got != st.st_size)
		return NULL;
	data[got] = '\0';
	*len = (int) got;
	return data;
}

/*
 * The server's URL as the Java module names it (ConnectionOptions.displayUrl):
 * each host without surrounding spaces or trailing slashes, comma-joined.
 */
char *
es_display_url(const char *url)
{
	StringInfoData buf;
	char	   *copy = pstrdup(url);
	char	   *one;
	char	   *save = NULL;

	initStringInfo(&buf);
	for (one = strtok_r(copy, ",", &save); one != NULL; one = strtok_r(NULL, ",", &save))
	{
		int			len;

		while (*one == ' ')
			one++;
		len = strlen(one);
		while (len > 0 && (one[len - 1] == ' ' || one[len - 1] == '/'))
			len--;
		if (buf.len > 0)
			appendStringInfoChar(&buf, ',');
		appendBinaryStringInfo(&buf, one, len);
	}
	return buf.data;
}

/* The offline_mode in effect: the session's es_fdw.offline_mode, else the table's or server's option. */
const char *
es_effective_offline_mode(EsTableOptions *opts)
{
	return es_offline_mode_guc && es_offline_mode_guc[0] ? es_offline_mode_guc : opts->offline_mode;
}

/* The last error of the server's open circuit breaker, or NULL when it is closed (or unknown). */
char *
es_breaker_open(const char *url)
{
	int			len;
	char	   *data = read_state_file("breaker", es_display_url(url), &len);
	char	   *line2;
	char	   *line3;
	long long	open_until;

	if (data == NULL || sscanf(data, "%lld", &open_until) != 1 || open_until <= now_millis())
		return NULL;
	line2 = strchr(data, '\n');
	line3 = line2 ? strchr(line2 + 1, '\n') : NULL;
	return line3 ? pstrdup(line3 + 1) : pstrdup("the server is unreachable");
}

/* The mapping the Java module kept for the server and index (StoredMappings), or NULL. */
Jsonb *
es_stored_mapping(const char *url, const char *index)
{
	int			len;
	char	   *key = psprintf("%s\n%s", es_display_url(url), index);
	char	   *data = read_state_file("mapping", key, &len);
	MemoryContext cxt = CurrentMemoryContext;
	Jsonb	   *mapping = NULL;

	if (data == NULL)
		return NULL;
	data = pg_any_to_server(data, len, PG_UTF8);
	PG_TRY();
	{
		mapping = DatumGetJsonbP(DirectFunctionCall1(jsonb_in, CStringGetDatum(data)));
	}
	PG_CATCH();
	{
		MemoryContextSwitchTo(cxt);
		FlushErrorState();
		mapping = NULL;
	}
	PG_END_TRY();
	return mapping;
}

/* CRC-32 (IEEE, as java.util.zip.CRC32). */
static uint32
crc32_ieee(const uint8 *data, size_t len)
{
	uint32		crc = 0xFFFFFFFF;
	size_t		i;
	int			bit;

	for (i = 0; i < len; i++)
	{
		crc ^= data[i];
		for (bit = 0; bit < 8; bit++)
			crc = (crc >> 1) ^ (0xEDB88320 & (-(int32) (crc & 1)));
	}
	return ~crc;
}

static bool
take(const char *data, int len, int *pos, void *out, int n)
{
	if (n < 0 || len - *pos < n)
		return false;
	memcpy(out, data + *pos, n);
	*pos += n;
	return true;
}

static bool
take_int32(const char *data, int len, int *pos, int32 *value)
{
	uint32		n;

	if (!take(data, len, pos, &n, 4))
		return false;
	*value = (int32) pg_ntoh32(n);
	return true;
}

static bool
take_int64(const char *data, int len, int *pos, int64 *value)
{
	uint64		n;

	if (!take(data, len, pos, &n, 8))
		return false;
	*value = (int64) pg_ntoh64(n);
	return true;
}

/*
 * The cached result of key if there is a whole, fresh one (ResultCache's
 * format): its batches as EsOfflineBatch, its write time and rows.
 */
static bool
read_cached_result(const char *key, int64 ttl_ms, List **batches, int64 *written, int64 *rows)
{
	int			len;
	char	   *data = read_state_file("cache", key, &len);
	int			pos = 0;
	int32		key_len;
	int32		count;
	int64		crc;
	int			i;

	*batches = NIL;
	if (data == NULL || len < 8 + 8 || memcmp(data, CACHE_MAGIC, 8) != 0)
		return false;
	pos = len - 8;
	if (!take_int64(data, len, &pos, &crc) || (uint32) crc != crc32_ieee((const uint8 *) data, len - 8))
		return false;
	len -= 8;
	pos = 8;
	if (!take_int32(data, len, &pos, &key_len) || key_len != (int32) strlen(key) ||
		len - pos < key_len || memcmp(data + pos, key, key_len) != 0)
		return false;
	pos += key_len;
	if (!take_int64(data, len, &pos, written) || !take_int64(data, len, &pos, rows) ||
		!take_int32(data, len, &pos, &count) || count < 0)
		return false;
	if (now_millis() - *written > ttl_ms)
		return false;
	for (i = 0; i < count; i++)
	{
		EsOfflineBatch *batch = palloc(sizeof(EsOfflineBatch));

		if (!take_int32(data, len, &pos, &batch->len) || batch->len < 0 || len - pos < batch->len)
			return false;
		batch->data = data + pos;
		pos += batch->len;
		*batches = lappend(*batches, batch);
	}
	return pos == len;
}

/*
 * An offline answer without the JVM, when it has not started and the
 * server's breaker is open: the batches to return (cached, or an empty
 * result: a count of 0 for count_only), reporting the WARNING the Java path
 * would.  False when this backend must take the normal path.
 */
bool
es_offline_answer(EsTableOptions *opts, const char *mode, const char *cache_key, bool count_only,
				  List **batches)
{
	char	   *why;
	int64		written;
	int64		rows;

	*batches = NIL;
	if (es_bridge_running() || strcmp(mode, "error") == 0 || (why = es_breaker_open(opts->url)) == NULL)
		return false;
	if (strcmp(mode, "cache") == 0 && cache_key != NULL &&
		read_cached_result(cache_key, opts->cache_ttl_ms, batches, &written, &rows))
	{
		ereport(WARNING,
				(errcode(ERRCODE_FDW_UNABLE_TO_ESTABLISH_CONNECTION),
				 errmsg_internal("%s; offline_mode 'cache': returning the result cached at %s (" INT64_FORMAT " rows)",
								 why, timestamptz_to_str((written - ((int64) (POSTGRES_EPOCH_JDATE - UNIX_EPOCH_JDATE) *
																	  SECS_PER_DAY * 1000)) * 1000), rows)));
		return true;
	}
	*batches = NIL;
	ereport(WARNING,
			(errcode(ERRCODE_FDW_UNABLE_TO_ESTABLISH_CONNECTION),
			 errmsg_internal(strcmp(mode, "cache") == 0
							 ? "%s; offline_mode 'cache': no cached result of this query, returning no rows"
							 : "%s; offline_mode 'empty': returning no rows", why)));
	if (count_only)
	{
		/* one row: document id "", count "0" (row_decode.c's batch format) */
		EsOfflineBatch *batch = palloc(sizeof(EsOfflineBatch));
		StringInfoData buf;
		uint32		n;

		initStringInfo(&buf);
		n = pg_hton32(1);
		appendBinaryStringInfo(&buf, (char *) &n, 4);
		n = pg_hton32(0);
		appendBinaryStringInfo(&buf, (char *) &n, 4);
		n = pg_hton32(1);
		appendBinaryStringInfo(&buf, (char *) &n, 4);
		appendStringInfoChar(&buf, '0');
		batch->data = buf.data;
		batch->len = buf.len;
		*batches = list_make1(batch);
	}
	return true;
}
