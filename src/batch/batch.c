/* batch.c - --values, --sessions, --stats and --keys output. */
/* SPDX-License-Identifier: GPL-3.0-or-later */

#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "batch/batch.h"

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

/* The chosen sessions (ascending ids) as TSV or JSON lines. */
bool
batch_lines(FILE *out, const struct store *st, const struct batch_fields *f,
    enum batch_format fmt, bool header, const uint32_t *ids, size_t n)
{
	const struct meta_reader *r = store_reader(st);
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
		id = ids[k];
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

/* Compare two sessionids for qsort. */
static int
batch_id_cmp(const void *a, const void *b)
{
	uint32_t	 x = *(const uint32_t *)a, y = *(const uint32_t *)b;

	return (x < y ? -1 : x > y);
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
	struct batch_sel	 first = { NULL, 0 }, out = { NULL, 0 };
	struct session		 buf;
	const struct session	*s;
	uint64_t		 id, end = store_end(st);
	size_t			 i;

	first.ids = xreallocarray(NULL, sel->n + 1, sizeof *first.ids);
	for (i = 0; i < sel->n; i++) {
		s = store_get(st, sel->ids[i], &buf);
		if (s != NULL && s->first_id != 0)
			first.ids[first.n++] = (uint32_t)s->first_id;
	}
	qsort(first.ids, first.n, sizeof *first.ids, batch_id_cmp);
	out.ids = xreallocarray(NULL, end + 1, sizeof *out.ids);
	for (id = 1; first.n > 0 && id < end; id++) {
		if ((s = store_get(st, id, &buf)) == NULL)
			continue;
		if (batch_sel_keep(id, sel) || (s->first_id != 0 &&
		    batch_sel_keep(s->first_id, &first)))
			out.ids[out.n++] = (uint32_t)id;
	}
	free(first.ids);
	if (first.n == 0) {
		free(out.ids);
		return;
	}
	free(sel->ids);
	*sel = out;
}

/* Free a selection. */
void
batch_sel_free(struct batch_sel *sel)
{
	free(sel->ids);
	sel->ids = NULL;
	sel->n = 0;
}

/* Packet accounting: read = assigned + the sum of the reasons. */
bool
batch_stats(FILE *out, const struct engine_stats *s, const struct store *st)
{
	struct buf	 b;
	int		 i, err = 0;

	buf_init(&b);
	buf_printf(&b, "read\t%llu\n", (unsigned long long)s->read);
	buf_printf(&b, "assigned\t%llu\n", (unsigned long long)s->assigned);
	for (i = 1; i < DR_COUNT; i++)
		buf_printf(&b, "%s\t%llu\n", decode_reason_names[i],
		    (unsigned long long)s->reason[i]);
	buf_printf(&b, "sessions\t%llu\n", (unsigned long long)store_count(st));
	buf_printf(&b, "closed at max_open\t%llu\n",
	    (unsigned long long)s->max_open);
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
