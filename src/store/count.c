/* count.c - counting the values of a key over a set of sessions. */
/* SPDX-License-Identifier: GPL-3.0-or-later */

#include <stdlib.h>
#include <string.h>

#include "store/store.h"

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
static int
count_cmp(const void *a, const void *b, void *arg)
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
	const struct meta_reader *r = store_reader(st);
	const struct session	*s = store_get(st, id);
	struct mval		 small[16], *v = small;
	struct vcount		*c;
	size_t			 n, i, j;

	n = r->values(r, id, key, v, nitems(small));
	if (n > nitems(small)) {
		v = xreallocarray(NULL, n, sizeof *v);
		n = r->values(r, id, key, v, n);
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

	for (id = 1; id < end; id++) {
		if (store_get(st, id) == NULL || (keep != NULL && !keep(id, arg)))
			continue;
		count_session(&t, st, id, key);
	}
	free(t.slot);
	if (t.n > 0)
		qsort_r(t.v, t.n, sizeof *t.v, count_cmp, &order);
	*out = t.v;
	return (t.n);
}
