/* row.c - a session as one JSONEachRow line of the session table. */
/* SPDX-License-Identifier: GPL-3.0-or-later */

#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <xxhash.h>

#include "capture/capture.h"
#include "fleet/fleet-int.h"

/* The parallel arrays of one session, built key by key. */
struct row_arrays {
	struct buf	 mk, mt, mn, ms;
	size_t		 n;
	struct buf	 fixed;		/* ,"f_KEY":VALUE, "a_KEY":[...] */
	uint64_t	 fp;		/* their keys' bits */
};

/*
 * A JSON string of raw bytes: quote and backslash escaped, control bytes
 * as \u00NN, every other byte as it is (ClickHouse keeps bytes, UTF-8 or
 * not, where \u escapes above 0x7f would become UTF-8).
 */
void
fleet_json_string(struct buf *b, const void *v, size_t n)
{
	const unsigned char	*p = v;
	size_t			 i, from = 0;

	buf_addc(b, '"');
	for (i = 0; i < n; i++) {
		if (p[i] != '"' && p[i] != '\\' && p[i] >= 0x20)
			continue;
		buf_add(b, p + from, i - from);
		from = i + 1;
		if (p[i] == '"' || p[i] == '\\') {
			buf_addc(b, '\\');
			buf_addc(b, (char)p[i]);
		} else
			buf_printf(b, "\\u%04x", p[i]);
	}
	buf_add(b, p + from, n - from);
	buf_addc(b, '"');
}

/* Append a number in decimal (printf was half of the shipping's time). */
static void
row_u64(struct buf *b, uint64_t v)
{
	char	 tmp[20];
	size_t	 n = sizeof tmp;

	do {
		tmp[--n] = (char)('0' + v % 10);
		v /= 10;
	} while (v != 0);
	buf_add(b, tmp + n, sizeof tmp - n);
}

/* A key's number in mk. */
uint32_t
fleet_key_id(const char *name)
{
	return ((uint32_t)XXH3_64bits(name, strlen(name)));
}

/*
 * What a row needs of each key of the registry, made once: its number in
 * mk, and the JSON member that opens its own column ("," "f_KEY" ":" or
 * "," "a_KEY" ":[") or NULL.  A key created at run time is after them.
 */
static struct row_key {
	uint32_t	 id;
	char		*member;
} *row_keys;
static int		 row_nkeys;
static pthread_once_t	 row_once = PTHREAD_ONCE_INIT;

static void
row_keys_make(void)
{
	struct buf	 b;
	int		 key;

	row_nkeys = meta_nkeys();
	row_keys = xcalloc((size_t)row_nkeys, sizeof *row_keys);
	buf_init(&b);
	for (key = 0; key < row_nkeys; key++) {
		row_keys[key].id = fleet_key_id(meta_key(key)->name);
		if (!fleet_fixed(key) && !fleet_own(key))
			continue;
		buf_reset(&b);
		buf_adds(&b, ",\"");
		if (fleet_fixed(key))
			fleet_fixed_column(&b, key);
		else
			fleet_own_column(&b, key);
		buf_adds(&b, fleet_fixed(key) ? "\":" : "\":[");
		row_keys[key].member = buf_take(&b);
	}
	buf_free(&b);
}

/* Add one value of a key (its number) to the arrays. */
static void
row_value(struct row_arrays *a, uint32_t key, const struct mval *v)
{
	uint64_t	 n = 0;

	if (a->n++ > 0) {
		buf_addc(&a->mk, ',');
		buf_addc(&a->mt, ',');
		buf_addc(&a->mn, ',');
		buf_addc(&a->ms, ',');
	}
	row_u64(&a->mk, key);
	row_u64(&a->mt, (uint64_t)v->type + 16u * v->prec);
	switch (v->type) {
	case MT_UINT:
	case MT_TIME:
		n = v->u;
		fleet_json_string(&a->ms, "", 0);
		break;
	case MT_IPV4:
		n = (uint64_t)v->ip[0] << 24 | (uint64_t)v->ip[1] << 16 |
		    (uint64_t)v->ip[2] << 8 | v->ip[3];
		fleet_json_string(&a->ms, "", 0);
		break;
	case MT_IPV6:
		fleet_json_string(&a->ms, v->ip, 16);
		break;
	case MT_MAC:
		fleet_json_string(&a->ms, v->mac, 6);
		break;
	default:
		fleet_json_string(&a->ms, v->text.p, v->text.n);
		break;
	}
	row_u64(&a->mn, n);
}

/* A value as a key's own column has it: a number, or a string of bytes. */
static void
row_plain(struct buf *b, const struct mval *v)
{
	switch (v->type) {
	case MT_UINT:
	case MT_TIME:
		row_u64(b, v->u);
		break;
	case MT_IPV4:
		row_u64(b, (uint64_t)v->ip[0] << 24 | (uint64_t)v->ip[1] << 16 |
		    (uint64_t)v->ip[2] << 8 | v->ip[3]);
		break;
	case MT_IPV6:
		fleet_json_string(b, v->ip, 16);
		break;
	case MT_MAC:
		fleet_json_string(b, v->mac, 6);
		break;
	default:
		fleet_json_string(b, v->text.p, v->text.n);
		break;
	}
}

/* A single-valued core key's value in its own column. */
static void
row_fixed(struct row_arrays *a, int key, const struct mval *v)
{
	a->fp |= (uint64_t)1 << key;
	buf_adds(&a->fixed, row_keys[key].member);
	row_plain(&a->fixed, v);
}

/* The first value of a number key, 0 when none. */
static uint64_t
row_number(const struct meta_reader *r, uint64_t id, int key)
{
	struct mval	 v;

	if (r->values(r, id, key, &v, 1) == 0)
		return (0);
	return (v.u);
}

/* A key's values in its own array column. */
static void
row_own(struct row_arrays *a, int key, const struct mval *v, size_t n)
{
	size_t	 i;

	buf_adds(&a->fixed, row_keys[key].member);
	for (i = 0; i < n; i++) {
		if (i > 0)
			buf_addc(&a->fixed, ',');
		row_plain(&a->fixed, &v[i]);
	}
	buf_addc(&a->fixed, ']');
}

/* Every value of every key of a session, into the arrays. */
static void
row_meta(struct row_arrays *a, const struct meta_reader *r, uint64_t id)
{
	struct mval	 small[16], *v = small;
	size_t		 cap = nitems(small), n, i;
	int		 key, nkeys = meta_nkeys();
	uint32_t	 kid;

	pthread_once(&row_once, row_keys_make);
	for (key = 0; key < nkeys; key++) {
		n = r->values(r, id, key, v, cap);
		if (n > cap) {
			if (v != small)
				free(v);
			cap = n;
			v = xreallocarray(NULL, cap, sizeof *v);
			n = r->values(r, id, key, v, cap);
		}
		if (n == 0)
			continue;
		kid = key < row_nkeys ? row_keys[key].id :
		    fleet_key_id(meta_key(key)->name);
		for (i = 0; i < n; i++)
			row_value(a, kid, &v[i]);
		if (key >= row_nkeys || row_keys[key].member == NULL)
			continue;
		if (fleet_fixed(key)) {
			if (n == 1)
				row_fixed(a, key, &v[0]);
		} else
			row_own(a, key, v, n);
	}
	if (v != small)
		free(v);
}

/*
 * A file's absolute path, so that a reference reads the same from any
 * directory; the last one is remembered (the inputs' paths live as long
 * as the capture, and the reader's thread is the only caller).
 */
static const char *
row_path(const char *path)
{
	static const char	*last;
	static char		*abs;

	if (path != last) {
		free(abs);
		if ((abs = realpath(path, NULL)) == NULL)
			abs = xstrdup(path);
		last = path;
	}
	return (abs);
}

/*
 * The session's packet references: for each packet still kept, the file
 * that holds it (an input or a spool file) and where its record starts.
 */
static void
row_refs(struct buf *b, const struct store *st, const struct capture *c,
    uint64_t id)
{
	struct session		 buf;
	const struct session	*s = store_get(st, id, &buf);
	struct capture_ref	 ref;
	static struct buf	 off;	/* the reader's thread's, reused */
	uint64_t		 ord;
	uint32_t		 pos;
	size_t			 n = 0;

	buf_reset(&off);
	buf_adds(b, ",\"ppath\":[");
	for (pos = 0; s != NULL && c != NULL &&
	    pktidx_next(&s->pkts, &pos, &ord);) {
		if (!capture_locate(c, ord, &ref) || ref.gone)
			continue;
		if (n++ > 0) {
			buf_addc(b, ',');
			buf_addc(&off, ',');
		}
		fleet_json_string(b, row_path(ref.path), strlen(row_path(ref.path)));
		row_u64(&off, ref.offset);
	}
	buf_adds(b, "],\"poff\":[");
	buf_add(b, off.s, off.len);
	buf_addc(b, ']');
}

/* Append ,"NAME":[ITEMS] for one of the arrays. */
static void
row_array(struct buf *b, const char *name, const struct buf *items)
{
	buf_adds(b, ",\"");
	buf_adds(b, name);
	buf_adds(b, "\":[");
	buf_add(b, items->s, items->len);
	buf_addc(b, ']');
}

/* Append a session's row. */
void
fleet_row(struct buf *b, const struct store *st, const struct capture *c,
    uint64_t id, const char *sensor, const char *run)
{
	const struct meta_reader *r = store_reader(st);
	static struct row_arrays a;	/* the reader's thread's, reused */
	uint64_t		 t = row_number(r, id, K_TIME);
	time_t			 secs = (time_t)(t / 1000000000u);
	struct tm		 tm;

	a.n = 0;
	a.fp = 0;
	buf_reset(&a.fixed);
	buf_reset(&a.mk);
	buf_reset(&a.mt);
	buf_reset(&a.mn);
	buf_reset(&a.ms);
	row_meta(&a, r, id);
	gmtime_r(&secs, &tm);
	buf_adds(b, "{\"sensor\":");
	fleet_json_string(b, sensor, strlen(sensor));
	buf_adds(b, ",\"run\":");
	fleet_json_string(b, run, strlen(run));
	buf_printf(b, ",\"sessionid\":%llu,\"time\":%llu,\"day\":"
	    "\"%04d-%02d-%02d\",\"size\":%llu,\"packets\":%llu",
	    (unsigned long long)id, (unsigned long long)t, tm.tm_year + 1900,
	    tm.tm_mon + 1, tm.tm_mday,
	    (unsigned long long)row_number(r, id, K_SIZE),
	    (unsigned long long)row_number(r, id, K_PACKETS));
	row_array(b, "mk", &a.mk);
	row_array(b, "mt", &a.mt);
	row_array(b, "mn", &a.mn);
	row_array(b, "ms", &a.ms);
	row_refs(b, st, c, id);
	buf_add(b, a.fixed.s, a.fixed.len);
	buf_adds(b, ",\"fp\":");
	row_u64(b, a.fp);
	buf_printf(b, ",\"schema\":%d}\n", FLEET_SCHEMA);
}
