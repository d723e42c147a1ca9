/* batch.c - --values, --sessions, --stats and --keys output. */
/* SPDX-License-Identifier: GPL-3.0-or-later */

#include <errno.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "batch/batch.h"
#include "export/export.h"

static const char *const batch_default_fields[] = {
	"sessionid", "time", "ip.src", "ip.dst", "ipv6.src", "ipv6.dst",
	"ip.proto", "tcp.srcport", "tcp.dstport", "udp.srcport",
	"udp.dstport", "service", "size", "packets"
};

/* Add one field to a list. */
static void
batch_fields_add(struct batch_fields *f, int key, const char *name,
    size_t n)
{
	f->key = xreallocarray(f->key, f->n + 1, sizeof *f->key);
	f->name = xreallocarray(f->name, f->n + 1, sizeof *f->name);
	f->key[f->n] = key;
	f->name[f->n++] = xstrndup(name, n);
}

/* The default fields of SPEC §6. */
void
batch_fields_default(struct batch_fields *f)
{
	size_t	 i;
	const char *s;

	memset(f, 0, sizeof *f);
	for (i = 0; i < nitems(batch_default_fields); i++) {
		s = batch_default_fields[i];
		batch_fields_add(f, meta_find(s, strlen(s)), s, strlen(s));
	}
}

/* Parse "K,K,..." or "all". */
bool
batch_fields_parse(struct batch_fields *f, const char *s, char **cause)
{
	const char	*p = s, *comma;
	size_t		 n;
	int		 key, i;

	memset(f, 0, sizeof *f);
	if (strcmp(s, "all") == 0) {
		for (i = 0; i < meta_nkeys(); i++)
			batch_fields_add(f, i, meta_key(i)->name,
			    strlen(meta_key(i)->name));
		return (true);
	}
	for (;;) {
		comma = strchr(p, ',');
		n = comma != NULL ? (size_t)(comma - p) : strlen(p);
		if ((key = meta_find(p, n)) == -1) {
			xasprintf(cause, "--fields: unknown meta key '%s' "
			    "(huntcon --keys lists them)", esc_strn(p, n));
			batch_fields_free(f);
			return (false);
		}
		batch_fields_add(f, key, p, n);
		if (comma == NULL)
			return (true);
		p = comma + 1;
	}
}

/* Free a field list. */
void
batch_fields_free(struct batch_fields *f)
{
	size_t	 i;

	for (i = 0; i < f->n; i++)
		free(f->name[i]);
	free(f->name);
	free(f->key);
	memset(f, 0, sizeof *f);
}

/* Write a buffer's bytes; the first failure's errno is kept in *err. */
static void
batch_put(FILE *out, const struct buf *b, int *err)
{
	errno = 0;
	if (*err == 0 && b->len > 0 && fwrite(b->s, 1, b->len, out) != b->len)
		*err = errno != 0 ? errno : EIO;
}

/* End a writer: errno is the reason when a write failed. */
static bool
batch_done(int err)
{
	errno = err;
	return (err == 0);
}

/* Print counts as lines "COUNT<TAB>VALUE" and free them. */
static bool
batch_print_counts(FILE *out, struct vcount *v, size_t n, enum vsort sort)
{
	struct buf	 b;
	size_t		 i;
	uint64_t	 c;
	int		 err = 0;

	buf_init(&b);
	for (i = 0; i < n && err == 0; i++) {
		c = sort == VSORT_SIZE ? v[i].size : sort == VSORT_PACKETS ?
		    v[i].packets : v[i].sessions;
		buf_reset(&b);
		buf_printf(&b, "%llu\t", (unsigned long long)c);
		mval_format(&b, &v[i].v);
		buf_addc(&b, '\n');
		batch_put(out, &b, &err);
	}
	free(v);
	buf_free(&b);
	return (batch_done(err));
}

/* Lines "COUNT<TAB>VALUE" for the values of a key among a query's sessions. */
bool
batch_values(FILE *out, const struct store *st, int key, enum vsort sort,
    const struct query *q)
{
	struct vcount	*v;
	uint32_t	*ids;
	size_t		 n;

	if (q == NULL) {
		n = store_count_ids(st, key, NULL, 0, sort, &v);
		return (batch_print_counts(out, v, n, sort));
	}
	n = store_select(st, q, &ids);
	n = store_count_ids(st, key, ids, n, sort, &v);
	free(ids);
	return (batch_print_counts(out, v, n, sort));
}

/* Append a bucket's start: ISO 8601, with milliseconds when the bucket
 * is not whole seconds. */
static void
batch_bucket_start(struct buf *b, uint64_t ns, uint64_t bucket)
{
	time_t		 t = (time_t)(ns / 1000000000ULL);
	struct tm	 tm;

	gmtime_r(&t, &tm);
	buf_printf(b, "%04d-%02d-%02dT%02d:%02d:%02d", tm.tm_year + 1900,
	    tm.tm_mon + 1, tm.tm_mday, tm.tm_hour, tm.tm_min, tm.tm_sec);
	if (bucket % 1000000000ULL != 0)
		buf_printf(b, ".%03llu", (unsigned long long)(ns %
		    1000000000ULL / 1000000));
	buf_addc(b, 'Z');
}

/* Lines "COUNT<TAB>START" for the sessions of a query over time. */
bool
batch_histogram(FILE *out, const struct store *st, uint64_t bucket,
    const struct query *q, char **cause)
{
	struct store_hist	 h;
	uint32_t		*ids = NULL;
	size_t			 n = 0;
	bool			 ok;

	*cause = NULL;
	if (q != NULL)
		n = store_select(st, q, &ids);
	ok = store_histogram(st, ids, n, bucket, 0, &h, cause);
	free(ids);
	if (!ok)
		return (false);
	ok = batch_hist_lines(out, &h);
	free(h.count);
	return (ok);
}

/* The lines of buckets counted; see batch.h. */
bool
batch_hist_lines(FILE *out, const struct store_hist *h)
{
	struct buf	 b;
	size_t		 i;
	int		 err = 0;

	buf_init(&b);
	for (i = 0; i < h->n && err == 0; i++) {
		buf_reset(&b);
		buf_printf(&b, "%llu\t", (unsigned long long)h->count[i]);
		batch_bucket_start(&b, h->first + i * h->bucket, h->bucket);
		buf_addc(&b, '\n');
		batch_put(out, &b, &err);
	}
	buf_free(&b);
	return (batch_done(err));
}

/* Values of one key for one session, fetched into *v (grown as needed). */
static size_t
batch_get(const struct meta_reader *r, uint64_t id, int key,
    struct mval **v, size_t *cap)
{
	size_t	 n;

	n = r->values(r, id, key, *v, *cap);
	if (n > *cap) {
		*cap = n;
		*v = xreallocarray(*v, *cap, sizeof **v);
		n = r->values(r, id, key, *v, *cap);
	}
	return (n);
}

/* One TSV line. */
static void
batch_tsv_line(struct buf *b, const struct meta_reader *r, uint64_t id,
    const struct batch_fields *f, struct mval **v, size_t *cap)
{
	size_t	 i, j, n;

	for (i = 0; i < f->n; i++) {
		if (i > 0)
			buf_addc(b, '\t');
		n = batch_get(r, id, f->key[i], v, cap);
		for (j = 0; j < n; j++) {
			if (j > 0)
				buf_addc(b, ',');
			mval_format(b, &(*v)[j]);
		}
	}
	buf_addc(b, '\n');
}

/* One JSON value. */
static void
batch_json_value(struct buf *b, struct buf *tmp, const struct mval *v)
{
	if (v->type == MT_UINT) {
		mval_format(b, v);
		return;
	}
	buf_reset(tmp);
	mval_format(tmp, v);
	esc_json(b, tmp->s, tmp->len);
}

/* One JSON object line. */
static void
batch_json_line(struct buf *b, struct buf *tmp, const struct meta_reader *r,
    uint64_t id, const struct batch_fields *f, struct mval **v, size_t *cap)
{
	size_t	 i, j, n, members = 0;
	bool	 multi;

	buf_addc(b, '{');
	for (i = 0; i < f->n; i++) {
		if ((n = batch_get(r, id, f->key[i], v, cap)) == 0)
			continue;
		multi = (meta_key(f->key[i])->flags & MK_MULTI) != 0;
		if (members++ > 0)
			buf_addc(b, ',');
		buf_reset(tmp);
		esc_text(tmp, f->name[i], strlen(f->name[i]));
		esc_json(b, tmp->s, tmp->len);
		buf_addc(b, ':');
		if (multi)
			buf_addc(b, '[');
		for (j = 0; j < n; j++) {
			if (j > 0)
				buf_addc(b, ',');
			batch_json_value(b, tmp, &(*v)[j]);
		}
		if (multi)
			buf_addc(b, ']');
	}
	buf_adds(b, "}\n");
}

/* Items as TSV or JSON lines: ids[0..n-1], or 0..n-1 when ids is NULL. */
static bool
batch_items(FILE *out, const struct meta_reader *r,
    const struct batch_fields *f, enum batch_format fmt, bool header,
    const uint32_t *ids, size_t n)
{
	struct buf	 b, tmp;
	struct mval	*v;
	size_t		 cap = 16, i, k;
	uint64_t	 id;
	int		 err = 0;

	buf_init(&b);
	buf_init(&tmp);
	v = xreallocarray(NULL, cap, sizeof *v);
	if (header && fmt == BATCH_TSV) {
		for (i = 0; i < f->n; i++)
			buf_printf(&b, "%s%s", i > 0 ? "\t" : "", f->name[i]);
		buf_addc(&b, '\n');
		batch_put(out, &b, &err);
	}
	for (k = 0; k < n && err == 0; k++) {
		id = ids != NULL ? ids[k] : k;
		buf_reset(&b);
		if (fmt == BATCH_TSV)
			batch_tsv_line(&b, r, id, f, &v, &cap);
		else
			batch_json_line(&b, &tmp, r, id, f, &v, &cap);
		batch_put(out, &b, &err);
	}
	free(v);
	buf_free(&b);
	buf_free(&tmp);
	return (batch_done(err));
}

/* The chosen sessions (ascending ids) as TSV or JSON lines. */
bool
batch_lines(FILE *out, const struct store *st, const struct batch_fields *f,
    enum batch_format fmt, bool header, const uint32_t *ids, size_t n)
{
	return (batch_items(out, store_reader(st), f, fmt, header, ids, n));
}

/* Items ids[0..n-1] (NULL: 0..n-1) of any reader as lines. */
bool
batch_reader_lines(FILE *out, const struct meta_reader *r,
    const struct batch_fields *f, enum batch_format fmt, bool header,
    const uint32_t *ids, size_t n)
{
	return (batch_items(out, r, f, fmt, header, ids, n));
}

/* Counts made elsewhere (the fleet's store), sorted: print and free them. */
bool
batch_counts(FILE *out, struct vcount *v, size_t n, enum vsort sort)
{
	return (batch_print_counts(out, v, n, sort));
}

/* The sessions a query selects, in ascending sessionid. */
bool
batch_sessions(FILE *out, const struct store *st,
    const struct batch_fields *f, enum batch_format fmt, bool header,
    const struct query *q)
{
	struct batch_sel	 sel;
	bool			 ok;

	batch_sel_init(&sel, st, q);
	ok = batch_lines(out, st, f, fmt, header, sel.ids, sel.n);
	batch_sel_free(&sel);
	return (ok);
}

/* Append a figure as TSV or JSON: NAN is "-" or null. */
static void
batch_figure(struct buf *b, double x, const char *fmt, bool json)
{
	if (isnan(x))
		buf_adds(b, json ? "null" : "-");
	else
		buf_printf(b, fmt, x);
}

/* Append a time (nanoseconds), quoted for JSON. */
static void
batch_time(struct buf *b, uint64_t t, bool json)
{
	struct mval	 v;

	memset(&v, 0, sizeof v);
	v.type = MT_TIME;
	v.u = t;
	if (json)
		buf_addc(b, '"');
	mval_format(b, &v);
	if (json)
		buf_addc(b, '"');
}

/* One --groups line: a session and a group that flagged it. */
static void
batch_group_line(struct buf *b, struct buf *tmp, uint64_t id,
    const char *rule, const struct corr_figures *g, bool json)
{
	buf_reset(tmp);
	esc_text(tmp, rule, strlen(rule));
	if (!json) {
		buf_printf(b, "%llu\t%s\t%s\t", (unsigned long long)id, tmp->s,
		    g->group);
		batch_time(b, g->first, false);
		buf_addc(b, '\t');
		batch_time(b, g->last, false);
		buf_printf(b, "\t%llu\t%s\t%llu\t%llu\t",
		    (unsigned long long)g->sessions,
		    g->distinct[0] != '\0' ? g->distinct : "-",
		    (unsigned long long)g->size, (unsigned long long)g->payload);
	} else {
		buf_printf(b, "{\"sessionid\":%llu,\"rule\":",
		    (unsigned long long)id);
		esc_json(b, tmp->s, tmp->len);
		buf_adds(b, ",\"group\":");
		esc_json(b, g->group, strlen(g->group));
		buf_adds(b, ",\"first\":");
		batch_time(b, g->first, true);
		buf_adds(b, ",\"last\":");
		batch_time(b, g->last, true);
		buf_printf(b, ",\"sessions\":%llu,\"distinct\":",
		    (unsigned long long)g->sessions);
		if (g->distinct[0] == '\0')
			buf_adds(b, "null");
		else
			esc_json(b, g->distinct, strlen(g->distinct));
		buf_printf(b, ",\"size\":%llu,\"payload\":%llu,\"rate\":",
		    (unsigned long long)g->size, (unsigned long long)g->payload);
	}
	batch_figure(b, g->rate, "%.2f", json);
	buf_adds(b, json ? ",\"interval\":" : "\t");
	batch_figure(b, g->interval, "%.3f", json);
	buf_adds(b, json ? ",\"cv\":" : "\t");
	batch_figure(b, g->cv, "%.4f", json);
	buf_adds(b, json ? "}\n" : "\n");
}

/* --groups: for each chosen session a correlation rule flagged, each
 * group that flagged it, with the group's figures. */
bool
batch_groups(FILE *out, const struct store *st, const struct ruleset *rs,
    const struct corr_report *rep, enum batch_format fmt, bool header,
    const struct query *q)
{
	const struct corr_figures *g[64];
	struct batch_sel	 sel;
	struct buf		 b, tmp;
	size_t			 i, k, n;
	int			 err = 0;

	buf_init(&b);
	buf_init(&tmp);
	if (header && fmt == BATCH_TSV) {
		buf_adds(&b, "sessionid\trule\tgroup\tfirst\tlast\tsessions\t"
		    "distinct\tsize\tpayload\trate\tinterval\tcv\n");
		batch_put(out, &b, &err);
	}
	batch_sel_init(&sel, st, q);
	for (i = 0; i < sel.n && err == 0; i++) {
		n = rules_report_groups(rep, sel.ids[i], g, nitems(g));
		for (k = 0; k < n && k < nitems(g) && err == 0; k++) {
			buf_reset(&b);
			batch_group_line(&b, &tmp, sel.ids[i],
			    rules_name(rs, g[k]->rule), g[k], fmt == BATCH_JSON);
			batch_put(out, &b, &err);
		}
	}
	batch_sel_free(&sel);
	buf_free(&b);
	buf_free(&tmp);
	return (batch_done(err));
}

/* Select the sessions of a query through the store's index. */
void
batch_sel_init(struct batch_sel *sel, const struct store *st,
    const struct query *q)
{
	sel->n = store_select(st, q, &sel->ids);
}

/* Whether a sessionid is in a selection (binary search). */
bool
batch_sel_keep(uint64_t id, void *arg)
{
	const struct batch_sel	*sel = arg;
	size_t			 lo = 0, hi = sel->n, mid;

	while (lo < hi) {
		mid = lo + (hi - lo) / 2;
		if (sel->ids[mid] < id)
			lo = mid + 1;
		else
			hi = mid;
	}
	return (lo < sel->n && sel->ids[lo] == id);
}

/* Add the other fragments of the chosen sessions' split conversations:
 * every session whose session.first is one of theirs. */
void
batch_sel_fragments(struct batch_sel *sel, const struct store *st)
{
	uint32_t	*all;
	size_t		 n;

	(void)export_fragments(st, sel->ids, sel->n, &all, &n);
	if (all == NULL)
		return;
	free(sel->ids);
	sel->ids = all;
	sel->n = n;
}

/* Free a selection. */
void
batch_sel_free(struct batch_sel *sel)
{
	free(sel->ids);
	sel->ids = NULL;
	sel->n = 0;
}

/*
 * Packet accounting: read = assigned + the sum of the reasons; then the
 * sessions, what retention kept and dropped.
 */
bool
batch_stats(FILE *out, const struct engine *e, const struct store *st)
{
	const struct engine_stats	*s = engine_stats(e);
	struct buf			 b;
	int				 i, err = 0;

	buf_init(&b);
	buf_printf(&b, "read\t%llu\n", (unsigned long long)s->read);
	buf_printf(&b, "assigned\t%llu\n", (unsigned long long)s->assigned);
	for (i = 1; i < DR_COUNT; i++)
		buf_printf(&b, "%s\t%llu\n", decode_reason_names[i],
		    (unsigned long long)s->reason[i]);
	buf_printf(&b, "sessions\t%llu\n", (unsigned long long)store_count(st));
	buf_printf(&b, "closed at max_open\t%llu\n",
	    (unsigned long long)s->max_open);
	buf_printf(&b, "dropped by retention\t%llu\n",
	    (unsigned long long)store_dropped(st));
	buf_adds(&b, "kept\t");
	engine_kept(e, &b);
	buf_adds(&b, "\n");
	batch_put(out, &b, &err);
	buf_free(&b);
	return (batch_done(err));
}

/* The key registry: "KEY<TAB>TYPE<TAB>single|multi<TAB>DESCRIPTION". */
bool
batch_keys(FILE *out)
{
	const struct meta_key		*k;
	const struct setting		*s;
	struct buf			 b;
	int				 i, err = 0;
	size_t				 j;

	buf_init(&b);
	for (i = 0; (k = meta_key(i)) != NULL; i++) {
		buf_printf(&b, "%s\t%s\t%s\t%s\n", k->name,
		    meta_type_name(k->type),
		    (k->flags & MK_MULTI) ? "multi" : "single", k->desc);
		for (j = 0; k->values != NULL && k->values[j] != NULL; j++)
			buf_printf(&b, "\tvalue\t'%s'\n", k->values[j]);
	}
	for (s = engine_settings(); s->name != NULL; s++)
		buf_printf(&b, "setting\t%s\t%s\t%s (%s)\n", s->name,
		    *s->def != '\0' ? s->def : "-", s->help, s->unit);
	batch_put(out, &b, &err);
	buf_free(&b);
	return (batch_done(err));
}
