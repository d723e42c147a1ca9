/* read.c - the store behind a view: counts, pages of sessions, refs. */
/* SPDX-License-Identifier: GPL-3.0-or-later */

#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "fleet/fleet-int.h"
#include "view/view.h"

/* Bytes of the arena's chunks (text of the values read). */
#define READ_CHUNK	(1024 * 1024)

/* One value read back, and the key it belongs to. */
struct read_val {
	int		 key;
	struct mval	 v;
};

/* A key number of the mk arrays and the key it names here. */
struct read_key {
	uint32_t	 id;
	int		 key;
};

/* Sessions read back: values in order, each session a run of them. */
struct read_set {
	struct read_val	*vals;
	size_t		 nvals, capvals;
	size_t		*first;		/* per session: index of its first
					   value; one more at the end */
	size_t		 n, cap;
	char		**chunks;	/* the arena; text never moves */
	size_t		 nchunks, used;
	struct read_key	*keys;		/* key numbers, sorted */
	size_t		 nkeys;
	struct view_ref	*refs;		/* a page's: each session's */
	struct meta_reader r;
};

/* Room for n bytes of text that stays where it is. */
static char *
read_alloc(struct read_set *rs, size_t n)
{
	size_t	 size = n > READ_CHUNK ? n : READ_CHUNK;

	if (rs->nchunks == 0 || rs->used + n > READ_CHUNK || n > READ_CHUNK) {
		rs->chunks = xreallocarray(rs->chunks, rs->nchunks + 1,
		    sizeof *rs->chunks);
		rs->chunks[rs->nchunks++] = xmalloc(size);
		rs->used = 0;
	}
	rs->used += n;
	return (rs->chunks[rs->nchunks - 1] + rs->used - n);
}

/* Decode hex (two digits a byte) of n digits into the arena. */
static char *
read_hex(struct read_set *rs, const char *p, size_t n, size_t *len)
{
	char	*out = read_alloc(rs, n / 2 + 1);

	fleet_unhex(out, p, n);
	*len = n / 2;
	return (out);
}

/* The reader's values(): the item is the index of a session read. */
static size_t
read_values(const struct meta_reader *r, uint64_t item, int key,
    struct mval *out, size_t max)
{
	const struct read_set	*rs = r->ctx;
	size_t			 i, n = 0;

	if (item >= rs->n)
		return (0);
	for (i = rs->first[item]; i < rs->first[item + 1]; i++) {
		if (rs->vals[i].key != key)
			continue;
		if (n < max)
			out[n] = rs->vals[i].v;
		n++;
	}
	return (n);
}

/* Free what was read. */
static void
read_free(struct read_set *rs)
{
	size_t	 i;

	for (i = 0; i < rs->nchunks; i++)
		free(rs->chunks[i]);
	free(rs->chunks);
	free(rs->vals);
	free(rs->first);
	free(rs->keys);
	free(rs->refs);
	memset(rs, 0, sizeof *rs);
}

/*
 * Build a value from its columns: t (type + 16 * precision), number,
 * bytes (hex).
 */
static void
read_mval(struct read_set *rs, struct mval *v, unsigned long t, uint64_t n,
    const char *hex, size_t hexlen)
{
	size_t	 len;
	char	*p;

	memset(v, 0, sizeof *v);
	v->type = (uint8_t)(t % 16);
	v->prec = (uint8_t)(t / 16);
	p = read_hex(rs, hex, hexlen, &len);
	switch (v->type) {
	case MT_UINT:
	case MT_TIME:
		v->u = n;
		break;
	case MT_IPV4:
		v->ip[0] = (uint8_t)(n >> 24);
		v->ip[1] = (uint8_t)(n >> 16);
		v->ip[2] = (uint8_t)(n >> 8);
		v->ip[3] = (uint8_t)n;
		break;
	case MT_IPV6:
		memcpy(v->ip, p, len < 16 ? len : 16);
		break;
	case MT_MAC:
		memcpy(v->mac, p, len < 6 ? len : 6);
		break;
	default:
		v->text.p = p;
		v->text.n = (uint32_t)len;
		break;
	}
}

/* Decode n hex digits into out: n / 2 bytes and a NUL. */
void
fleet_unhex(char *out, const char *p, size_t n)
{
	static const char	 digits[] = "0123456789ABCDEF";
	const char		*a, *b;
	size_t			 i;

	for (i = 0; i + 1 < n; i += 2) {
		a = strchr(digits, p[i]);
		b = strchr(digits, p[i + 1]);
		out[i / 2] = (char)((a != NULL && *a != '\0' ? a - digits : 0)
		    << 4 | (b != NULL && *b != '\0' ? b - digits : 0));
	}
	out[n / 2] = '\0';
}

/* The same into a string the caller frees. */
char *
fleet_unhex_str(const char *p, size_t n)
{
	char	*s = xmalloc(n / 2 + 1);

	fleet_unhex(s, p, n);
	return (s);
}

/* The next element of a TSV array ("['AB','']" or "[1,2]"); false at ']'. */
bool
fleet_elem(const char **p, const char **s, size_t *n)
{
	const char	*q = *p;

	if (*q == '[' || *q == ',')
		q++;
	if (*q == ']' || *q == '\0')
		return (false);
	if (*q == '\'') {
		*s = ++q;
		while (*q != '\'' && *q != '\0')
			q++;
		*n = (size_t)(q - *s);
		if (*q == '\'')
			q++;
	} else {
		*s = q;
		while (*q != ',' && *q != ']' && *q != '\0')
			q++;
		*n = (size_t)(q - *s);
	}
	*p = q;
	return (true);
}

/* qsort and bsearch comparison of key numbers. */
static int
read_key_cmp(const void *a, const void *b)
{
	const struct read_key	*x = a, *y = b;

	return (x->id < y->id ? -1 : x->id > y->id);
}

/* Add a key number; the map is sorted once all are in. */
static void
read_key_add(struct read_set *rs, uint32_t id, int key)
{
	rs->keys = xreallocarray(rs->keys, rs->nkeys + 1, sizeof *rs->keys);
	rs->keys[rs->nkeys].id = id;
	rs->keys[rs->nkeys++].key = key;
}

/* The key a number names, -1 when none. */
static int
read_key(const struct read_set *rs, uint32_t id)
{
	struct read_key	 k = { id, -1 }, *found;

	found = bsearch(&k, rs->keys, rs->nkeys, sizeof *rs->keys,
	    read_key_cmp);
	return (found != NULL ? found->key : -1);
}

/*
 * The key numbers: those of the registry, then the names the sensors
 * shipped that this process does not know (a rule's alert key), made
 * here with their type.
 */
static bool
read_keys(struct read_set *rs, const struct fleet_url *u, const char *table,
    char **cause)
{
	char	*sql, *out, *p, *line, *col[3];
	size_t	 len;
	int	 i, key;

	for (i = 0; i < meta_nkeys(); i++)
		read_key_add(rs, fleet_key_id(meta_key(i)->name), i);
	xasprintf(&sql, "SELECT DISTINCT id, type, hex(name) FROM %s.%s "
	    "FORMAT TabSeparated", u->db, strcmp(table, "sessions_all") == 0 ?
	    "huntcon_keys_all" : "huntcon_keys");
	if (!fleet_http(u, sql, NULL, 0, &out, cause)) {
		free(sql);
		return (false);
	}
	free(sql);
	qsort(rs->keys, rs->nkeys, sizeof *rs->keys, read_key_cmp);
	for (p = out; (line = strsep(&p, "\n")) != NULL; ) {
		for (i = 0; i < 3; i++)
			col[i] = strsep(&line, "\t");
		if (col[2] == NULL || read_key(rs, (uint32_t)strtoul(col[0],
		    NULL, 10)) != -1)
			continue;
		line = read_hex(rs, col[2], strlen(col[2]), &len);
		if ((key = meta_find(line, len)) == -1)
			key = meta_intern(line, len, strtoul(col[1], NULL, 10));
		read_key_add(rs, (uint32_t)strtoul(col[0], NULL, 10), key);
		qsort(rs->keys, rs->nkeys, sizeof *rs->keys, read_key_cmp);
	}
	free(out);
	return (true);
}

/* Add one value to the last session. */
static void
read_push(struct read_set *rs, int key, const struct mval *v)
{
	if (rs->nvals == rs->capvals) {
		rs->capvals = rs->capvals ? rs->capvals * 2 : 1024;
		rs->vals = xreallocarray(rs->vals, rs->capvals,
		    sizeof *rs->vals);
	}
	rs->vals[rs->nvals].key = key;
	rs->vals[rs->nvals++].v = *v;
}

/* One row "mk<TAB>mt<TAB>mn<TAB>ms" (arrays) as one session. */
static void
read_row(struct read_set *rs, char *line)
{
	char		*col[4];
	const char	*pk, *pt, *pn, *ps, *sk, *st, *sn, *ss;
	size_t		 i, nk, nt, nn, ns;
	struct mval	 v;

	for (i = 0; i < 4; i++)
		col[i] = strsep(&line, "\t");
	if (col[3] == NULL)
		return;
	if (rs->n + 1 >= rs->cap) {
		rs->cap = rs->cap ? rs->cap * 2 : 1024;
		rs->first = xreallocarray(rs->first, rs->cap,
		    sizeof *rs->first);
	}
	rs->first[rs->n++] = rs->nvals;
	pk = col[0], pt = col[1], pn = col[2], ps = col[3];
	while (fleet_elem(&pk, &sk, &nk) && fleet_elem(&pt, &st, &nt) &&
	    fleet_elem(&pn, &sn, &nn) && fleet_elem(&ps, &ss, &ns)) {
		read_mval(rs, &v, strtoul(st, NULL, 10),
		    strtoull(sn, NULL, 10), ss, ns);
		read_push(rs, read_key(rs, (uint32_t)strtoul(sk, NULL, 10)),
		    &v);
	}
	rs->first[rs->n] = rs->nvals;
}

/* The table to read: sessions_all when the database has it; its schema
 * must be this huntcon's. */
static bool
read_table(const struct fleet_url *u, const char **table, char **cause)
{
	bool	 all;

	if (!fleet_schema_check(u, cause) ||
	    !fleet_table_exists(u, "sessions_all", &all, cause))
		return (false);
	*table = all ? "sessions_all" : "sessions";
	return (true);
}

/* The view's table, asked of the store once (a drill step asks a count
 * of each open key: one round trip each is enough). */
static bool
read_view_table(struct fleet_view *fv, const char **table, char **cause)
{
	if (fv->table == NULL && !read_table(fv->u, &fv->table, cause))
		return (false);
	*table = fv->table;
	return (true);
}

/*
 * The statement's WHERE (the query's SQL), or false with *cause; a
 * throwIf answer later means a regex met a value that is not ASCII.
 */
static bool
read_where(struct buf *b, const struct query *q, char **cause)
{
	char	*why = NULL;

	if (fleet_sql_where(b, q, &why))
		return (true);
	xasprintf(cause, "query: %s", why);
	free(why);
	return (false);
}

/* Run a query; a throwIf failure becomes what it means. */
static bool
read_run(const struct fleet_url *u, const char *sql, char **out,
    char **cause)
{
	if (fleet_http(u, sql, NULL, 0, out, cause))
		return (true);
	if (strstr(*cause, FLEET_THROWIF) != NULL) {
		free(*cause);
		xasprintf(cause, "query: a regex met a value that is not "
		    "ASCII, which the store's RE2 reads as UTF-8: it cannot "
		    "answer exactly (narrow the query, or read the capture)");
	}
	return (false);
}

/* Append the condition "after the cursor" in (time, sensor, sessionid,
 * run) order. */
static void
read_after(struct buf *b, const struct view_cursor *at)
{
	buf_printf(b, " AND (time > %llu OR (time = %llu AND (sensor > ",
	    (unsigned long long)at->time, (unsigned long long)at->time);
	fleet_sql_string(b, at->sensor, strlen(at->sensor), false);
	buf_adds(b, " OR (sensor = ");
	fleet_sql_string(b, at->sensor, strlen(at->sensor), false);
	buf_printf(b, " AND (sessionid > %llu OR (sessionid = %llu AND "
	    "run > ", (unsigned long long)at->id, (unsigned long long)at->id);
	fleet_sql_string(b, at->run, strlen(at->run), false);
	buf_adds(b, "))))))");
}

/* A row's last columns "time<TAB>hex(sensor)<TAB>hex(run)<TAB>sessionid"
 * as the cursor after it (sensor and run in hex, so no escape of
 * TabSeparated is in the way). */
static void
read_cursor(struct view_cursor *c, char *tail)
{
	char	*col[4];
	int	 i;

	for (i = 0; i < 4; i++)
		col[i] = strsep(&tail, "\t");
	view_cursor_free(c);
	if (col[3] == NULL)
		return;
	c->set = true;
	c->time = strtoull(col[0], NULL, 10);
	c->sensor = fleet_unhex_str(col[1], strlen(col[1]));
	c->run = fleet_unhex_str(col[2], strlen(col[2]));
	c->id = strtoull(col[3], NULL, 10);
}

/* The page statement: the query's sessions after the cursor, one more
 * than limit of them. */
static bool
read_page_sql(struct buf *b, const struct fleet_url *u, const char *table,
    const struct query *q, const struct view_cursor *at, size_t limit,
    char **cause)
{
	buf_printf(b, "SELECT mk, mt, mn, arrayMap(x -> hex(x), ms), "
	    "time, hex(sensor), hex(run), sessionid FROM %s.%s WHERE (",
	    u->db, table);
	if (!read_where(b, q, cause))
		return (false);
	buf_addc(b, ')');
	if (at->set)
		read_after(b, at);
	buf_printf(b, " ORDER BY time, sensor, sessionid, run LIMIT %zu "
	    "FORMAT TabSeparated", limit + 1);
	return (true);
}

/* The last session read is the one at c: keep its sensor, run and id. */
static void
read_ref(struct read_set *rs, const struct view_cursor *c)
{
	struct view_ref	*ref;
	const char	*sensor = c->set ? c->sensor : "";
	const char	*run = c->set ? c->run : "";
	size_t		 ls = strlen(sensor), lr = strlen(run);
	char		*s = read_alloc(rs, ls + lr + 2);

	rs->refs = xreallocarray(rs->refs, rs->n, sizeof *rs->refs);
	ref = &rs->refs[rs->n - 1];
	memcpy(s, sensor, ls + 1);
	memcpy(s + ls + 1, run, lr + 1);
	ref->id = c->set ? c->id : 0;
	ref->sensor = s;
	ref->run = s + ls + 1;
}

/*
 * Read up to limit sessions a query selects after the cursor, in (time,
 * sensor, sessionid, run) order; *next after the last, *more when others
 * follow (one more row is asked for to know).
 */
static bool
read_sessions(struct read_set *rs, const struct fleet_url *u,
    const char *table, const struct query *q, const struct view_cursor *at,
    size_t limit,
    struct view_page *p, char **cause)
{
	struct buf	 b;
	char		*out, *line, *rest, *tail;
	size_t		 n;
	int		 i;
	bool		 ok;

	if (!read_keys(rs, u, table, cause))
		return (false);
	buf_init(&b);
	ok = read_page_sql(&b, u, table, q, at, limit, cause) &&
	    read_run(u, b.s, &out, cause);
	buf_free(&b);
	if (!ok)
		return (false);
	p->more = false;
	for (rest = out; (line = strsep(&rest, "\n")) != NULL; ) {
		if (*line == '\0')
			continue;
		if (rs->n == limit) {
			p->more = true;
			break;
		}
		for (tail = line, i = 0; i < 4 && tail != NULL; i++)
			tail = strchr(tail + (i > 0), '\t');
		if (tail == NULL)
			continue;
		*tail++ = '\0';
		n = rs->n;
		read_row(rs, line);
		read_cursor(&p->next, tail);
		if (rs->n > n)
			read_ref(rs, &p->next);
	}
	free(out);
	return (true);
}

/* A count's sums, named for ORDER BY. */
#define READ_SUMS "count() AS vc, sum(size) AS vz, sum(packets) AS vp"

/*
 * Whether the store sorts and cuts a key's counts: a number key with a
 * column of its own, its top values sorted by a sum.  ip.src under a
 * drill has 100,000s of values, and the console shows a screenful.
 */
static bool
read_cut(int key, enum vsort sort, size_t top)
{
	uint8_t	 type = meta_key(key)->type;

	return (top != 0 && sort != VSORT_VALUE && (type == MT_UINT ||
	    type == MT_IPV4) && (fleet_fixed(key) || fleet_own(key)));
}

/*
 * The end of a counting statement over a key's own column.  Counts the
 * store cuts are sorted as vcount_cmp sorts them (ties by value), and the
 * answer in JSONCompact says how many there were before the cut
 * (rows_before_limit_at_least, exact after a full ORDER BY).
 */
static void
read_group(struct buf *b, int key, enum vsort sort, size_t top)
{
	buf_adds(b, ") GROUP BY vf");
	if (!read_cut(key, sort, top)) {
		buf_adds(b, " FORMAT TabSeparated");
		return;
	}
	buf_printf(b, " ORDER BY %s DESC, vf LIMIT %zu FORMAT JSONCompact",
	    sort == VSORT_COUNT ? "vc" : sort == VSORT_SIZE ? "vz" : "vp",
	    top);
}

/*
 * The rows of a JSONCompact answer as TSV lines, its count before LIMIT
 * in *total: an answer of read_group's, whose fields are numbers and
 * hex, with no comma, quote or bracket inside.
 */
static char *
read_json_rows(const char *out, size_t *total)
{
	const char	*p = strstr(out, "\"data\":"), *t;
	struct buf	 b;
	size_t		 rows = 0;

	buf_init(&b);
	if (p != NULL && (p = strchr(p, '[')) != NULL)
		p++;
	while (p != NULL && (p = strpbrk(p, "[]")) != NULL && *p == '[') {
		for (p++; *p != ']' && *p != '\0'; p++) {
			if (*p == ',')
				buf_addc(&b, '\t');
			else if (*p != '"' && *p != ' ')
				buf_addc(&b, *p);
		}
		buf_addc(&b, '\n');
		rows++;
		if (*p == ']')
			p++;
	}
	t = strstr(out, "\"rows_before_limit_at_least\":");
	*total = t != NULL ? strtoull(t + 29, NULL, 10) : rows;
	if (*total < rows)
		*total = rows;
	return (buf_take(&b));
}

/*
 * The counting statement for a key with a column of its own (not time,
 * whose precision is in the arrays).  A single-valued key's column f_KEY
 * holds one value a session at most, so a plain GROUP BY over it; an
 * array column a_KEY is joined as rows, the first of each distinct value
 * only (text folded), as read_values_sql does from the arrays but reading
 * that one column.  PREWHERE reads first whether the key has a value.
 */
static bool
read_column_sql(struct buf *b, const struct fleet_url *u, const char *table,
    int key, const struct query *q, enum vsort sort, size_t top,
    char **cause)
{
	struct buf	 c;
	uint8_t		 type = meta_key(key)->type;
	bool		 own = fleet_own(key), text = type == MT_TEXT, ok;
	const char	*v;

	buf_init(&c);
	if (own)
		fleet_own_column(&c, key);
	else
		fleet_fixed_column(&c, key);
	v = own ? "v" : c.s;
	if (type == MT_UINT || type == MT_IPV4)
		buf_printf(b, "SELECT %u, %s, '', ", type, v);
	else
		buf_printf(b, "SELECT %u, 0, hex(argMin(%s, time)), ", type, v);
	buf_printf(b, READ_SUMS ", %s%s%s AS vf FROM %s.%s", text ? "lower(" :
	    "", v, text ? ")" : "", u->db, table);
	if (own)
		buf_printf(b, " ARRAY JOIN %s AS v, arrayEnumerateUniq(%s%s%s) "
		    "AS vu PREWHERE notEmpty(%s) WHERE vu = 1 AND (", c.s,
		    text ? "arrayMap(x -> lower(x), " : "", c.s, text ? ")" :
		    "", c.s);
	else
		buf_printf(b, " PREWHERE bitAnd(fp, %llu) != 0 WHERE (",
		    (unsigned long long)((uint64_t)1 << key));
	buf_free(&c);
	if ((ok = read_where(b, q, cause)))
		read_group(b, key, sort, top);
	return (ok);
}

/*
 * The counting statement.  The key's values of each session are joined
 * as rows, the first of each distinct value only (arrayEnumerateUniq, text
 * folded), so a session counts once per value as count.c counts it; the
 * GROUP BY straight over the table lets each shard count its own part.
 */
static bool
read_values_sql(struct buf *b, const struct fleet_url *u, const char *table,
    int key, const struct query *q, enum vsort sort, size_t top,
    char **cause)
{
	char		*f[3];
	uint32_t	 id = fleet_key_id(meta_key(key)->name);
	uint8_t		 type = meta_key(key)->type;
	int		 i;

	if ((fleet_fixed(key) && type != MT_TIME) || fleet_own(key))
		return (read_column_sql(b, u, table, key, q, sort, top, cause));
	for (i = 0; i < 3; i++) {
		xasprintf(&f[i], "arrayFilter((x, k) -> k = %u, %s, mk)", id,
		    i == 0 ? "mt" : i == 1 ? "mn" : "ms");
	}
	if (type == MT_UINT || type == MT_TIME || type == MT_IPV4) {
		free(f[2]);	/* no bytes: ms is not read at all */
		xasprintf(&f[2], "arrayMap(x -> '', %s)", f[0]);
	}
	buf_printf(b, "SELECT any(vt), vn, hex(argMin(vs, time)), count(), "
	    "sum(size), sum(packets), modulo(vt, 16) AS ty, "
	    "if(ty = 4, lower(vs), vs) AS vf FROM %s.%s ARRAY JOIN "
	    "%s AS vt, %s AS vn, %s AS vs, arrayEnumerateUniq("
	    "arrayMap(t -> modulo(t, 16), %s), %s, arrayMap((t, s) -> "
	    "if(modulo(t, 16) = 4, lower(s), s), %s, %s)) AS vu "
	    "WHERE has(mk, %u) AND vu = 1 AND (", u->db, table, f[0], f[1],
	    f[2], f[0], f[1], f[0], f[2], id);
	for (i = 0; i < 3; i++)
		free(f[i]);
	if (!read_where(b, q, cause))
		return (false);
	buf_adds(b, ") GROUP BY ty, vn, vf FORMAT TabSeparated");
	return (true);
}

/* Parse the counting answer's lines into counts. */
static size_t
read_counts(struct read_set *rs, char *out, struct vcount **vp)
{
	struct vcount	*v = NULL;
	size_t		 n = 0, cap = 0;
	char		*p, *line, *col[6];
	int		 i;

	for (p = out; (line = strsep(&p, "\n")) != NULL; ) {
		for (i = 0; i < 6; i++)
			col[i] = strsep(&line, "\t");
		if (col[5] == NULL)
			continue;	/* ty and vf follow, unused */
		if (n == cap) {
			cap = cap ? cap * 2 : 64;
			v = xreallocarray(v, cap, sizeof *v);
		}
		read_mval(rs, &v[n].v, strtoul(col[0], NULL, 10),
		    strtoull(col[1], NULL, 10), col[2], strlen(col[2]));
		v[n].sessions = strtoull(col[3], NULL, 10);
		v[n].size = strtoull(col[4], NULL, 10);
		v[n++].packets = strtoull(col[5], NULL, 10);
	}
	*vp = v;
	return (n);
}

/* The values of key over the request's sessions, counted by the store. */
static bool
read_counts_of(void *impl, struct view_req *r, int key, enum vsort sort,
    size_t top, struct view_counts *c, char **cause)
{
	const struct fleet_url	*u = ((struct fleet_view *)impl)->u;
	struct read_set		*rs;
	const char		*table;
	struct buf		 b;
	char			*out, *tsv;
	bool			 ok, cut = read_cut(key, sort, top);

	if (!read_view_table(impl, &table, cause))
		return (false);
	rs = xcalloc(1, sizeof *rs);
	buf_init(&b);
	ok = read_values_sql(&b, u, table, key, r->q, sort, top, cause) &&
	    read_run(u, b.s, &out, cause);
	buf_free(&b);
	if (!ok) {
		free(rs);
		return (false);
	}
	if (cut) {
		tsv = read_json_rows(out, &c->total);
		free(out);
		out = tsv;
	}
	c->n = read_counts(rs, out, &c->v);
	if (!cut)
		c->total = c->n;
	free(out);
	if (c->n > 1)
		qsort_r(c->v, c->n, sizeof *c->v, vcount_cmp, &sort);
	if (top != 0 && c->n > top)
		c->n = top;
	c->complete = true;
	c->own = rs;
	return (true);
}

/* How many sessions the request selects, counted by the store. */
static bool
read_size_of(void *impl, struct view_req *r, uint64_t *n, char **cause)
{
	const struct fleet_url	*u = ((struct fleet_view *)impl)->u;
	const char		*table;
	struct buf		 b;
	char			*out = NULL;
	bool			 ok;

	if (!read_view_table(impl, &table, cause))
		return (false);
	buf_init(&b);
	buf_printf(&b, "SELECT count() FROM %s.%s WHERE (", u->db, table);
	ok = read_where(&b, r->q, cause);
	buf_adds(&b, ") FORMAT TabSeparated");
	ok = ok && read_run(u, b.s, &out, cause);
	buf_free(&b);
	if (ok)
		*n = strtoull(out, NULL, 10);
	free(out);
	return (ok);
}

/*
 * The request's sessions over time, as store_histogram counts them: their
 * span first, then a count per bucket (each shard counting its part).
 */
static bool
read_histogram_of(void *impl, struct view_req *r, uint64_t bucket,
    size_t max, struct store_hist *h, char **cause)
{
	const struct fleet_url	*u = ((struct fleet_view *)impl)->u;
	const char		*table;
	struct buf		 b;
	char			*out = NULL, *p, *line;
	uint64_t		 n, lo, hi, i, c;
	bool			 ok;

	memset(h, 0, sizeof *h);
	if (!read_view_table(impl, &table, cause))
		return (false);
	buf_init(&b);
	buf_printf(&b, "SELECT count(), min(time), max(time) FROM %s.%s "
	    "WHERE (", u->db, table);
	ok = read_where(&b, r->q, cause);
	buf_adds(&b, ") FORMAT TabSeparated");
	if (!ok || !read_run(u, b.s, &out, cause)) {
		buf_free(&b);
		return (false);
	}
	n = strtoull(out, &p, 10);
	lo = strtoull(p, &p, 10);
	hi = strtoull(p, NULL, 10);
	free(out);
	ok = store_hist_span(h, n > 0, lo, hi, bucket, max, cause);
	if (!ok || n == 0) {
		buf_free(&b);
		return (ok);
	}
	buf_reset(&b);
	buf_printf(&b, "SELECT intDiv(time - %llu, %llu) AS b, count() FROM "
	    "%s.%s WHERE time >= %llu AND time <= %llu AND (",
	    (unsigned long long)h->first, (unsigned long long)h->bucket,
	    u->db, table, (unsigned long long)lo, (unsigned long long)hi);
	ok = read_where(&b, r->q, cause);
	buf_adds(&b, ") GROUP BY b FORMAT TabSeparated");
	ok = ok && read_run(u, b.s, &out, cause);
	buf_free(&b);
	if (!ok) {
		free(h->count);
		h->count = NULL;
		return (false);
	}
	for (p = out; (line = strsep(&p, "\n")) != NULL; ) {
		if (*line == '\0')
			continue;
		i = strtoull(line, &line, 10);
		c = strtoull(line, NULL, 10);
		if (i < h->n) {
			h->count[i] = c;
			h->max = c > h->max ? c : h->max;
		}
	}
	free(out);
	return (true);
}

/* Up to limit sessions after the cursor, in (time, sensor, ...) order
 * whatever the order asked: sessionids are each sensor's own. */
static bool
read_page_of(void *impl, struct view_req *r, enum view_order order,
    const struct view_cursor *at, size_t limit, struct view_page *p,
    char **cause)
{
	const struct fleet_url	*u = ((struct fleet_view *)impl)->u;
	struct read_set		*rs;
	const char		*table;

	(void)order;
	if (!read_view_table(impl, &table, cause))
		return (false);
	rs = xcalloc(1, sizeof *rs);
	if (!read_sessions(rs, u, table, r->q, at, limit, p, cause)) {
		view_cursor_free(&p->next);
		read_free(rs);
		free(rs);
		return (false);
	}
	rs->r.values = read_values;
	rs->r.ctx = rs;
	p->r = &rs->r;
	p->items = NULL;
	p->refs = rs->refs;
	p->n = rs->n;
	p->own = rs;
	return (true);
}

/* Free what an answer read. */
static void
read_view_release(void *impl, void *own)
{
	(void)impl;
	read_free(own);
	free(own);
}

/* Free the view's side. */
static void
read_view_free(void *impl)
{
	free(impl);
}

/* The ops below serve their request: its deadline and cancel stop a
 * statement under way. */
static bool
read_view_counts(void *impl, struct view_req *r, int key, enum vsort sort,
    size_t top, struct view_counts *c, char **cause)
{
	bool	 ok;

	fleet_http_serve(r);
	ok = read_counts_of(impl, r, key, sort, top, c, cause);
	fleet_http_serve(NULL);
	return (ok);
}

static bool
read_view_size(void *impl, struct view_req *r, uint64_t *n, char **cause)
{
	bool	 ok;

	fleet_http_serve(r);
	ok = read_size_of(impl, r, n, cause);
	fleet_http_serve(NULL);
	return (ok);
}

static bool
read_view_page(void *impl, struct view_req *r, enum view_order order,
    const struct view_cursor *at, size_t limit, struct view_page *p,
    char **cause)
{
	bool	 ok;

	fleet_http_serve(r);
	ok = read_page_of(impl, r, order, at, limit, p, cause);
	fleet_http_serve(NULL);
	return (ok);
}

/* The packets of the request's sessions, fetched from their sensors as
 * -w over the store does. */
static bool
read_view_export(void *impl, struct view_req *r, const char *path,
    bool force, uint64_t *packets, char **cause)
{
	struct fleet_view	*fv = impl;
	bool			 ok;

	if (fv->cfg == NULL) {
		*cause = xstrdup("export over a store: this view reads no "
		    "packets");
		return (false);
	}
	fleet_http_serve(r);
	ok = fleet_export(fv->u, r->q, fv->cfg, path, force, packets, cause);
	fleet_http_serve(NULL);
	return (ok);
}

static bool
read_view_histogram(void *impl, struct view_req *r, uint64_t bucket,
    size_t max, struct store_hist *h, char **cause)
{
	bool	 ok;

	fleet_http_serve(r);
	ok = read_histogram_of(impl, r, bucket, max, h, cause);
	fleet_http_serve(NULL);
	return (ok);
}

static const struct store_ops read_view_ops = {
	.name = "fleet",
	.counts = read_view_counts,
	.size = read_view_size,
	.page = read_view_page,
	.session = fleet_view_session,
	.packets = fleet_view_packets,
	.session_free = fleet_view_session_free,
	.export = read_view_export,
	.histogram = read_view_histogram,
	.release = read_view_release,
	.free = read_view_free,
};

/* A view over the store at u (the caller keeps u while the view is used). */
void
view_fleet(struct view *v, const struct fleet_url *u)
{
	struct fleet_view	*fv = xcalloc(1, sizeof *fv);

	fv->u = u;
	v->ops = &read_view_ops;
	v->impl = fv;
}

/* Have a view over the store read packets from the sensors cfg names. */
void
view_fleet_packets(struct view *v, const struct engine_config *cfg)
{
	struct fleet_view	*fv = v->impl;

	if (v->ops == &read_view_ops)
		fv->cfg = cfg;
}

/* The first row where selects, its meta as item 0 and cols in *tail. */
bool
fleet_read_row(const struct fleet_url *u, const char *cols,
    const char *where, const struct meta_reader **r, void **own,
    char **tail, char **cause)
{
	struct read_set	*rs = xcalloc(1, sizeof *rs);
	const char	*table;
	char		*sql, *out = NULL, *line, *t;
	int		 i;
	bool		 ok;

	*r = NULL;
	*own = rs;
	*tail = NULL;
	if (!read_table(u, &table, cause) || !read_keys(rs, u, table, cause))
		return (false);
	xasprintf(&sql, "SELECT mk, mt, mn, arrayMap(x -> hex(x), ms), %s "
	    "FROM %s.%s WHERE %s LIMIT 1 FORMAT TabSeparated", cols, u->db,
	    table, where);
	ok = read_run(u, sql, &out, cause);
	free(sql);
	line = out;
	for (t = line, i = 0; ok && i < 4 && t != NULL; i++)
		t = strchr(t + (i > 0), '\t');
	if (ok && t != NULL) {
		*t++ = '\0';
		t[strcspn(t, "\n")] = '\0';
		*tail = xstrdup(t);
		read_row(rs, line);
		rs->r.values = read_values;
		rs->r.ctx = rs;
		*r = &rs->r;
	}
	free(out);
	return (ok);
}

/* Free a row read. */
void
fleet_read_free(void *own)
{
	read_free(own);
	free(own);
}

/* The table read: sessions_all when the database has it. */
bool
fleet_read_table(const struct fleet_url *u, const char **table,
    char **cause)
{
	return (read_table(u, table, cause));
}

/* One session's references: "SENSOR", then "<TAB>PATH@OFF,..." per run
 * of packets in one file. */
static void
read_ref_line(struct buf *b, struct read_set *rs, char *line)
{
	const char	*pp, *po, *sp, *so;
	char		*col[3], *path, *last = NULL;
	size_t		 i, np, no, len, lastlen = 0;

	for (i = 0; i < 3; i++)
		col[i] = strsep(&line, "\t");
	if (col[2] == NULL)
		return;
	path = read_hex(rs, col[0], strlen(col[0]), &len);
	esc_text(b, path, len);
	pp = col[1], po = col[2];
	while (fleet_elem(&pp, &sp, &np) && fleet_elem(&po, &so, &no)) {
		path = read_hex(rs, sp, np, &len);
		if (last == NULL || len != lastlen ||
		    memcmp(path, last, len) != 0) {
			buf_addc(b, '\t');
			esc_text(b, path, len);
			buf_addc(b, '@');
		} else
			buf_addc(b, ',');
		buf_add(b, so, no);
		last = path;
		lastlen = len;
	}
	buf_addc(b, '\n');
}

/*
 * The references of the sessions q selects, as TSV lines of hex(sensor),
 * hex(paths) and offsets, in the order of --sessions.
 */
bool
fleet_refs_rows(const struct fleet_url *u, const struct query *q,
    char **out, char **cause)
{
	struct buf	 b;
	const char	*table;
	bool		 ok;

	*out = NULL;
	*cause = NULL;
	if (!read_table(u, &table, cause))
		return (false);
	buf_init(&b);
	buf_printf(&b, "SELECT hex(sensor), arrayMap(x -> hex(x), ppath), "
	    "poff FROM %s.%s WHERE ", u->db, table);
	ok = read_where(&b, q, cause);
	buf_adds(&b, " ORDER BY time, sensor, sessionid, run "
	    "FORMAT TabSeparated");
	ok = ok && read_run(u, b.s, out, cause);
	buf_free(&b);
	return (ok);
}

/* --refs over the store. */
bool
fleet_refs(FILE *f, const struct fleet_url *u, const struct query *q,
    char **cause)
{
	struct read_set	 rs;
	struct buf	 b;
	char		*out, *p, *line;
	bool		 ok;

	memset(&rs, 0, sizeof rs);
	if (!fleet_refs_rows(u, q, &out, cause))
		return (false);
	buf_init(&b);
	for (p = out; (line = strsep(&p, "\n")) != NULL; ) {
		if (*line != '\0')
			read_ref_line(&b, &rs, line);
	}
	free(out);
	errno = 0;
	ok = b.len == 0 || fwrite(b.s, 1, b.len, f) == b.len;
	buf_free(&b);
	read_free(&rs);
	return (ok);
}
