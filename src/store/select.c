/* select.c - which sessions match a query, planned over the index. */
/* SPDX-License-Identifier: GPL-3.0-or-later */

#include <stdlib.h>
#include <string.h>

#include "query/query.h"
#include "store/store-int.h"

/* One selection: the index, the query, and who watches its progress. */
struct select_run {
	const struct index	*x;
	const struct query	*q;
	struct store_progress	*prog;		/* NULL: nobody */
};

/* Tests between two calls of the progress's poll function. */
#define SELECT_POLL_EVERY	32

/*
 * A partial answer: bits is the set of matching sessions when exact, else a
 * superset of them that query_match must verify.  bits NULL (never exact)
 * stands for every session.
 */
struct select_set {
	uint64_t	*bits;
	bool		 exact;
};

/* An empty bitmap the size of the index's. */
static uint64_t *
select_bits(const struct index *x)
{
	return (xcalloc(x->nwords ? x->nwords : 1, sizeof (uint64_t)));
}

/* Count one test done; poll now and then.  True when cancelled. */
static inline bool
select_tick(struct select_run *run)
{
	struct store_progress	*p = run->prog;

	if (p == NULL)
		return (false);
	if (++p->done % SELECT_POLL_EVERY == 0 && p->poll != NULL)
		p->poll(p, p->arg);
	return (p->cancel);
}

/* Whether the selection was cancelled. */
static inline bool
select_cancelled(const struct select_run *run)
{
	return (run->prog != NULL && run->prog->cancel);
}

/* Turn a set into its complement among the sessions present. */
static void
select_complement(const struct index *x, uint64_t *b)
{
	size_t	 i;

	for (i = 0; i < x->nwords; i++)
		b[i] = x->present[i] & ~b[i];
}

/* Add a value's sessions to a bitmap. */
static void
select_post(uint64_t *b, const struct index_post *p)
{
	const uint32_t	*a = index_post_raw(p);
	uint32_t	 i;

	for (i = 0; i < p->n; i++)
		bits_set(b, a[i]);
}

/* Whether a regex element may tell spellings apart (no exact answer). */
static bool
select_case_sensitive(const struct query_cond *c)
{
	size_t	 i;

	if (c->op != QOP_REGEX)
		return (false);
	for (i = 0; i < c->nelems; i++) {
		if (memmem(c->elems[i].lo.text.p, c->elems[i].lo.text.n, "(?",
		    2) != NULL)
			return (true);
	}
	return (false);
}

/* Whether every element of an = or != list is a single value. */
static bool
select_points(const struct query_cond *c)
{
	size_t	 i;

	if (c->op != QOP_EQ && c->op != QOP_NE)
		return (false);
	for (i = 0; i < c->nelems; i++) {
		if (c->elems[i].lo.type != MT_TEXT &&
		    mval_cmp(&c->elems[i].lo, &c->elems[i].hi) != 0)
			return (false);
	}
	return (true);
}

/* Whether the values of a condition's key are tested one by one. */
static bool
select_each(const struct query_cond *c)
{
	return (c->op != QOP_EXISTS && c->op != QOP_NOTEXISTS &&
	    !select_points(c));
}

/* The sessions having some value of k that satisfies c (positive sense). */
static void
select_values(struct select_run *run, struct index_key *k,
    const struct query_cond *c, uint64_t *b)
{
	uint32_t	 vid;
	size_t		 i;

	if (k == NULL)
		return;
	if (select_points(c)) {
		for (i = 0; i < c->nelems; i++) {
			if ((vid = index_lookup(k, &c->elems[i].lo)) !=
			    UINT32_MAX)
				select_post(b, &k->iv[vid].post);
		}
		return;
	}
	for (vid = 0; vid < k->nval; vid++) {
		if (!select_each(c) ||
		    query_value_test(run->q, c, &k->val[vid]))
			select_post(b, &k->iv[vid].post);
		if (select_each(c) && select_tick(run))
			return;
	}
}

/* Whether the index answers a condition exactly. */
static bool
select_exact(const struct query_cond *c)
{
	if (c->op == QOP_UCOUNT || select_case_sensitive(c))
		return (false);
	return (c->key < 0 || index_indexed(c->key));
}

/* Answer one condition from the index when it can be, exactly. */
static void
select_cond(struct select_run *run, const struct query_cond *c,
    struct select_set *r)
{
	r->bits = NULL;
	r->exact = false;
	if (!select_exact(c))
		return;
	r->bits = select_bits(run->x);
	r->exact = true;
	select_values(run, index_key_get(run->x, c->key), c, r->bits);
	if (c->op == QOP_NE || c->op == QOP_NOTEXISTS)
		select_complement(run->x, r->bits);
}

/*
 * The values the index tests one by one under a node (its keys indexed on
 * the way, as the selection would); *exact is cleared when sessions will
 * be verified with the query.
 */
static uint64_t
select_work(const struct index *x, const struct query_node *n, bool *exact)
{
	const struct index_key	*k;
	uint64_t		 sum = 0;
	size_t			 i;

	if (n->kind != QUERY_COND) {
		for (i = 0; i < n->nkids; i++)
			sum += select_work(x, n->kids[i], exact);
		return (sum);
	}
	if (!select_exact(&n->cond)) {
		*exact = false;
		return (0);
	}
	if (!select_each(&n->cond) ||
	    (k = index_key_get(x, n->cond.key)) == NULL)
		return (0);
	return (k->nval);
}

static void	select_node(struct select_run *, const struct query_node *,
		    struct select_set *);

/* AND: intersect what the kids narrow; exact when every kid is. */
static void
select_and(struct select_run *run, const struct query_node *n,
    struct select_set *r)
{
	const struct index	*x = run->x;
	struct select_set	 k;
	size_t			 i, w;

	r->bits = NULL;
	r->exact = true;
	for (i = 0; i < n->nkids; i++) {
		select_node(run, n->kids[i], &k);
		if (!k.exact)
			r->exact = false;
		if (k.bits == NULL)
			continue;
		if (r->bits == NULL) {
			r->bits = k.bits;
			continue;
		}
		for (w = 0; w < x->nwords; w++)
			r->bits[w] &= k.bits[w];
		free(k.bits);
	}
}

/* OR: unite the kids; every session when one kid cannot narrow. */
static void
select_or(struct select_run *run, const struct query_node *n,
    struct select_set *r)
{
	const struct index	*x = run->x;
	struct select_set	 k;
	size_t			 i, w;

	r->bits = select_bits(x);
	r->exact = true;
	for (i = 0; i < n->nkids; i++) {
		select_node(run, n->kids[i], &k);
		if (k.bits == NULL) {
			free(r->bits);
			r->bits = NULL;
			r->exact = false;
			return;
		}
		if (!k.exact)
			r->exact = false;
		for (w = 0; w < x->nwords; w++)
			r->bits[w] |= k.bits[w];
		free(k.bits);
	}
}

/* Plan one node of the tree. */
static void
select_node(struct select_run *run, const struct query_node *n,
    struct select_set *r)
{
	switch (n->kind) {
	case QUERY_AND:
		select_and(run, n, r);
		return;
	case QUERY_OR:
		select_or(run, n, r);
		return;
	case QUERY_NOT:
		select_node(run, n->kids[0], r);
		if (r->exact)
			select_complement(run->x, r->bits);
		else {
			free(r->bits);
			r->bits = NULL;
		}
		return;
	case QUERY_COND:
		select_cond(run, &n->cond, r);
		return;
	}
}

/* The ids of a bitmap, verified with the query unless exact. */
static size_t
select_collect(const struct store *st, struct select_run *run,
    const uint64_t *b, const struct query *q, uint32_t **ids)
{
	const struct meta_reader *r = store_reader(st);
	const struct index	*x = run->x;
	uint64_t		 w;
	uint32_t		 id;
	size_t			 i, n = 0, cap = 0;

	for (i = 0; i < x->nwords; i++)
		cap += (size_t)__builtin_popcountll(b[i]);
	*ids = xreallocarray(NULL, cap ? cap : 1, sizeof **ids);
	if (q != NULL && run->prog != NULL)
		run->prog->total = run->prog->done + cap;
	for (i = 0; i < x->nwords; i++) {
		for (w = b[i]; w != 0; w &= w - 1) {
			id = (uint32_t)(i * 64 + (size_t)__builtin_ctzll(w));
			if (q == NULL || query_match(q, r, id))
				(*ids)[n++] = id;
			if (q != NULL && select_tick(run))
				return (0);
		}
	}
	return (n);
}

/* The sessionids matching a query, ascending. */
size_t
store_select(const struct store *st, const struct query *q, uint32_t **ids)
{
	return (store_select_progress(st, q, ids, NULL));
}

/* The same, telling prog how far it is; none when cancelled. */
size_t
store_select_progress(const struct store *st, const struct query *q,
    uint32_t **ids, struct store_progress *prog)
{
	struct select_run	 run = { store_index(st), q, prog };
	const struct query_node	*root = q != NULL ? query_root(q) : NULL;
	struct select_set	 r;
	size_t			 n;
	bool			 exact = true;

	if (prog != NULL) {
		prog->done = 0;
		prog->total = root != NULL ? select_work(run.x, root, &exact) : 0;
		if (!exact)
			prog->total += run.x->nsess;
	}
	if (root == NULL)
		return (select_collect(st, &run, run.x->present, NULL, ids));
	select_node(&run, root, &r);
	if (select_cancelled(&run)) {
		free(r.bits);
		*ids = xmalloc(sizeof **ids);
		return (0);
	}
	if (r.bits == NULL)
		return (select_collect(st, &run, run.x->present, q, ids));
	n = select_collect(st, &run, r.bits, r.exact ? NULL : q, ids);
	free(r.bits);
	return (n);
}
