/* count.c - counting the values of a key over a set of sessions. */
/* SPDX-License-Identifier: GPL-3.0-or-later */

#include <stdlib.h>
#include <string.h>

#include "store/store-int.h"

/* An open-addressing table of value counts. */
struct vtable {
	struct vcount	*v;
	uint32_t	*slot;		/* index + 1 into v; 0 empty */
	size_t		 n, cap;	/* cap is the slot count, power of 2 */
};

/* Find or add a value's count. */
static struct vcount *
vtable_get(struct vtable *t, const struct mval *v)
{
	size_t		 i, mask;
	uint32_t	*old;
	size_t		 oldcap;

	if (2 * (t->n + 1) > t->cap) {
		old = t->slot;
		oldcap = t->cap;
		t->cap = t->cap == 0 ? 64 : t->cap * 2;
		t->slot = xcalloc(t->cap, sizeof *t->slot);
		t->v = xreallocarray(t->v, t->cap / 2, sizeof *t->v);
		for (i = 0; i < oldcap; i++) {
			if (old[i] == 0)
				continue;
			size_t j = mval_hash(&t->v[old[i] - 1].v) & (t->cap - 1);
			while (t->slot[j] != 0)
				j = (j + 1) & (t->cap - 1);
			t->slot[j] = old[i];
		}
		free(old);
	}
	mask = t->cap - 1;
	for (i = mval_hash(v) & mask; t->slot[i] != 0; i = (i + 1) & mask) {
		if (mval_eq(&t->v[t->slot[i] - 1].v, v))
			return (&t->v[t->slot[i] - 1]);
	}
	t->slot[i] = (uint32_t)++t->n;
	memset(&t->v[t->n - 1], 0, sizeof t->v[0]);
	t->v[t->n - 1].v = *v;
	return (&t->v[t->n - 1]);
}

/* Order counts: by the chosen measure (largest first), then by value. */
int
vcount_cmp(const void *a, const void *b, void *arg)
{
	const struct vcount	*x = a, *y = b;
	enum vsort		 count_order = *(enum vsort *)arg;
	uint64_t		 p = 0, q = 0;

	switch (count_order) {
	case VSORT_COUNT:	p = x->sessions; q = y->sessions; break;
	case VSORT_SIZE:	p = x->size; q = y->size; break;
	case VSORT_PACKETS:	p = x->packets; q = y->packets; break;
	case VSORT_VALUE:	break;
	}
	if (p != q)
		return (p > q ? -1 : 1);
	return (mval_cmp(&x->v, &y->v));
}

/* Count one session's values of key (each distinct value once). */
static void
count_session(struct vtable *t, const struct store *st, uint64_t id, int key)
{
	const struct session_ctx *ctx = store_ctx(st);
	struct session		 buf;
	const struct session	*s = store_get(st, id, &buf);
	struct mval		 small[16], *v = small;
	struct vcount		*c;
	size_t			 n, i, j;

	/* The session is unpacked once for its values and its sizes. */
	if (s == NULL || key < 0)
		return;
	n = session_values(s, ctx, key, v, nitems(small));
	if (n > nitems(small)) {
		v = xreallocarray(NULL, n, sizeof *v);
		n = session_values(s, ctx, key, v, n);
	}
	for (i = 0; i < n; i++) {
		for (j = 0; j < i && !mval_eq(&v[j], &v[i]); j++)
			;
		if (j < i)
			continue;
		c = vtable_get(t, &v[i]);
		c->sessions++;
		c->size += s->size;
		c->packets += s->packets;
	}
	if (v != small)
		free(v);
}

/* Count the values of key over the kept sessions, sorted. */
size_t
store_count_values(const struct store *st, int key,
    bool (*keep)(uint64_t, void *), void *arg, enum vsort order,
    struct vcount **out)
{
	struct vtable	 t = { NULL, NULL, 0, 0 };
	uint64_t	 id, end = store_end(st);

	if (keep == NULL && index_indexed(key))
		return (store_count_ids(st, key, NULL, 0, order, out));
	for (id = 1; id < end; id++) {
		if (!store_has(st, id) || (keep != NULL && !keep(id, arg)))
			continue;
		count_session(&t, st, id, key);
	}
	free(t.slot);
	if (t.n > 0)
		qsort_r(t.v, t.n, sizeof *t.v, vcount_cmp, &order);
	*out = t.v;
	return (t.n);
}

/* Restore the heap below i: the root is the worst value kept. */
static void
count_sift(struct vcount *h, size_t n, size_t i, enum vsort *order)
{
	struct vcount	 tmp;
	size_t		 c;

	while ((c = 2 * i + 1) < n) {
		if (c + 1 < n && vcount_cmp(&h[c + 1], &h[c], order) > 0)
			c++;
		if (vcount_cmp(&h[c], &h[i], order) <= 0)
			return;
		tmp = h[i];
		h[i] = h[c];
		h[c] = tmp;
		i = c;
	}
}

/* Where counts go: every one, or the first top kept as a heap. */
struct count_sink {
	struct vcount	*v;
	size_t		 n, cap;
	size_t		 top;		/* 0: keep every count */
	enum vsort	 order;
	size_t		 total;		/* counts offered */
};

/* Take one count into a sink. */
static void
count_keep(struct count_sink *k, const struct vcount *c)
{
	size_t	 i;

	k->total++;
	if (k->top == 0 || k->n < k->top) {
		if (k->n == k->cap) {
			k->cap = k->cap == 0 ? 64 : k->cap * 2;
			k->v = xreallocarray(k->v, k->cap, sizeof *k->v);
		}
		k->v[k->n++] = *c;
		/* Full: make v[0..top) a heap whose root sorts last. */
		for (i = k->top / 2; k->n == k->top && i-- > 0;)
			count_sift(k->v, k->top, i, &k->order);
		return;
	}
	if (vcount_cmp(c, &k->v[0], &k->order) >= 0)
		return;
	k->v[0] = *c;
	count_sift(k->v, k->top, 0, &k->order);
}

/* Every value of an indexed key, from the dictionary's sums. */
static void
count_all(const struct index_key *k, struct count_sink *sink)
{
	struct vcount	 c;
	uint32_t	 vid;

	for (vid = 0; k != NULL && vid < k->nval; vid++) {
		if (k->iv[vid].post.n == 0)
			continue;
		c.v = k->val[vid];
		c.sessions = k->iv[vid].post.n;
		c.size = k->iv[vid].size;
		c.packets = k->iv[vid].packets;
		count_keep(sink, &c);
	}
}

/* A bitmap of the ids (those the index can hold). */
static uint64_t *
count_bits(const struct index *x, const uint32_t *ids, size_t nids)
{
	uint64_t	*b = xcalloc(x->nwords ? x->nwords : 1, sizeof *b);
	size_t		 i;

	for (i = 0; i < nids; i++) {
		if (ids[i] / 64 < x->nwords)
			bits_set(b, ids[i]);
	}
	return (b);
}

/* Count one value's sessions in b, and their size and packets if asked. */
static void
count_post(const struct index *x, const struct index_post *p,
    const uint64_t *b, bool sums, struct vcount *c)
{
	const uint32_t		*a = index_post_raw(p);
	const struct index_sp	*sp;
	uint64_t		 n = 0, size = 0, packets = 0;
	uint32_t		 i;

	if (!sums) {
		/* Branch-free: selections match unpredictably. */
		for (i = 0; i < p->n; i++)
			n += (b[a[i] >> 6] >> (a[i] & 63)) & 1;
	} else {
		sp = index_sizes(x);
		for (i = 0; i < p->n; i++) {
			if (!bits_has(b, a[i]))
				continue;
			n++;
			size += sp[a[i]].size;
			packets += sp[a[i]].packets;
		}
	}
	c->sessions = n;
	c->size = size;
	c->packets = packets;
}

/* The values of an indexed key among the ids in b, walking its lists. */
static void
count_posts(const struct index *x, const struct index_key *k,
    const uint64_t *b, bool sums, struct count_sink *sink)
{
	struct vcount	 c;
	uint32_t	 vid;

	for (vid = 0; vid < k->nval; vid++) {
		/* Lists of rare values are small and scattered: fetch ahead. */
		if (vid + 8 < k->nval)
			__builtin_prefetch(index_post_raw(&k->iv[vid + 8].post));
		count_post(x, &k->iv[vid].post, b, sums, &c);
		if (c.sessions == 0)
			continue;
		c.v = k->val[vid];
		count_keep(sink, &c);
	}
}

/* Fill in the size and packets of counts made without them. */
static void
count_sums(const struct index *x, const struct index_key *k,
    const uint64_t *b, struct vcount *v, size_t n)
{
	uint32_t	 vid;
	size_t		 i;

	for (i = 0; i < n; i++) {
		if ((vid = index_lookup(k, &v[i].v)) != UINT32_MAX)
			count_post(x, &k->iv[vid].post, b, true, &v[i]);
	}
}

/* The values of key among ids, reading each session (few ids). */
static void
count_scan(const struct store *st, const struct index_key *k, int key,
    const uint32_t *ids, size_t nids, struct count_sink *sink)
{
	struct vtable	 t = { NULL, NULL, 0, 0 };
	uint32_t	 vid;
	size_t		 i;

	for (i = 0; i < nids; i++) {
		if (store_has(st, ids != NULL ? ids[i] : i + 1))
			count_session(&t, st, ids != NULL ? ids[i] : i + 1, key);
	}
	free(t.slot);
	for (i = 0; i < t.n; i++) {
		/* Show the index's spelling, as the other paths do. */
		if (k != NULL &&
		    (vid = index_lookup(k, &t.v[i].v)) != UINT32_MAX)
			t.v[i].v = k->val[vid];
		count_keep(sink, &t.v[i]);
	}
	free(t.v);
}

/* Per value id + 1: sessions, size and packets counted by count_column. */
struct count_cell {
	uint64_t	 n, size, packets;
};

/* Add one session to its value's cell. */
static inline void
count_cell_add(struct count_cell *c, const uint32_t *col,
    const struct index_sp *sp, uint32_t id)
{
	struct count_cell	*e = &c[col[id]];

	e->n++;
	e->size += sp[id].size;
	e->packets += sp[id].packets;
}

/*
 * The values of a single-valued key among ids by its column: one read per
 * session selected, or, when more than half are, per session left out
 * (each value's totals less those).
 */
static void
count_column(const struct index *x, const struct index_key *k,
    const uint32_t *col, const uint32_t *ids, size_t n, const uint64_t *bits,
    struct count_sink *sink)
{
	const struct index_sp	*sp = index_sizes(x);
	struct count_cell	*c = xcalloc((size_t)k->nval + 1, sizeof *c);
	const uint64_t		*b = bits;
	uint64_t		*made = NULL, w;
	bool			 out = n > x->nsess / 2;
	struct vcount		 v;
	uint32_t		 vid;
	size_t			 i;

	if (out && b == NULL)
		b = made = count_bits(x, ids, n);
	for (i = 0; !out && i < n; i++)
		count_cell_add(c, col, sp, ids[i]);
	for (i = 0; out && i < x->nwords; i++) {
		for (w = x->present[i] & ~b[i]; w != 0; w &= w - 1)
			count_cell_add(c, col, sp, (uint32_t)(i * 64 +
			    (size_t)__builtin_ctzll(w)));
	}
	for (vid = 0; vid < k->nval; vid++) {
		v.sessions = out ? k->iv[vid].post.n - c[vid + 1].n :
		    c[vid + 1].n;
		if (v.sessions == 0)
			continue;
		v.size = out ? k->iv[vid].size - c[vid + 1].size :
		    c[vid + 1].size;
		v.packets = out ? k->iv[vid].packets - c[vid + 1].packets :
		    c[vid + 1].packets;
		v.v = k->val[vid];
		count_keep(sink, &v);
	}
	free(made);
	free(c);
}

/*
 * The values of key among ids (NULL: all; bits, when not NULL, the same
 * set as a bitmap of at least the index's words) into a sink.  When sums
 * is false and the posting lists were walked, returns the bitmap used (in
 * *made when this function allocated it) and size and packets are left
 * for count_sums; else NULL.
 */
static const uint64_t *
count_ids(const struct store *st, int key, const uint32_t *ids, size_t n,
    const uint64_t *bits, bool sums, struct count_sink *sink,
    uint64_t **made)
{
	const struct index	*x = store_index(st);
	struct index_key	*k = index_key_get(x, key);
	const uint64_t		*b = bits;
	const uint32_t		*col;

	*made = NULL;
	if (index_indexed(key) && (ids == NULL || n == x->nsess)) {
		count_all(k, sink);
		return (NULL);
	}
	if (index_indexed(key) && k == NULL)
		return (NULL);
	if (k != NULL && ids != NULL &&
	    (col = index_column(x, k, key)) != NULL) {
		count_column(x, k, col, ids, n, bits, sink);
		return (NULL);
	}
	if (k != NULL && n * 16 >= k->npost) {
		if (b == NULL)
			b = *made = count_bits(x, ids, n);
		count_posts(x, k, b, sums, sink);
		if (!sums)
			return (b);
		free(*made);
		*made = NULL;
		return (NULL);
	}
	if (ids == NULL) {
		/* An unindexed key over every session: ids 1 to end - 1. */
		count_scan(st, NULL, key, NULL, store_end(st) - 1, sink);
		return (NULL);
	}
	count_scan(st, k, key, ids, n, sink);
	return (NULL);
}

/* Count the values of key over ids, sorted. */
size_t
store_count_ids(const struct store *st, int key, const uint32_t *ids,
    size_t n, enum vsort order, struct vcount **out)
{
	return (store_count_top(st, key, ids, n, order, 0, out));
}

/* Count the values of key over ids and keep the first top (0: all). */
size_t
store_count_top(const struct store *st, int key, const uint32_t *ids,
    size_t n, enum vsort order, size_t top, struct vcount **out)
{
	return (store_count_set(st, key, ids, n, NULL, 0, order, top, out,
	    NULL));
}

/*
 * The same over a set also given as a bitmap by sessionid (nbits bits;
 * used when it covers the index), with the number of distinct values in
 * *total.
 */
size_t
store_count_set(const struct store *st, int key, const uint32_t *ids,
    size_t n, const uint64_t *bits, uint64_t nbits, enum vsort order,
    size_t top, struct vcount **out, size_t *total)
{
	struct count_sink	 sink = { NULL, 0, 0, top, order, 0 };
	const struct index	*x = store_index(st);
	const uint64_t		*b;
	uint64_t		*made;
	bool			 sums;

	sums = top == 0 || order == VSORT_SIZE || order == VSORT_PACKETS;
	if (bits != NULL && nbits / 64 < x->nwords)
		bits = NULL;
	b = count_ids(st, key, ids, n, bits, sums, &sink, &made);
	if (b != NULL)
		count_sums(x, index_key_get(x, key), b, sink.v, sink.n);
	free(made);
	if (sink.n > 1)
		qsort_r(sink.v, sink.n, sizeof *sink.v, vcount_cmp, &order);
	if (sink.v == NULL)
		sink.v = xmalloc(sizeof *sink.v);
	*out = sink.v;
	if (total != NULL)
		*total = sink.total;
	return (sink.n);
}
