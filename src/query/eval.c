/* eval.c - answer a compiled query for one session. */
/* SPDX-License-Identifier: GPL-3.0-or-later */

#include <stdlib.h>
#include <string.h>

#include "query/query-int.h"

/* Lists longer than this are searched in a sorted, merged copy. */
#define EVAL_LINEAR_MAX	8

/* Where the regex of an evaluation gets its match data and limits. */
struct eval_re {
	pcre2_match_data	*md;
	pcre2_match_context	*mctx;
};

/* Whether a value lies in an element's interval (text: equal, folded). */
static bool
eval_in_elem(const struct query_elem *e, const struct mval *v)
{
	if (v->type == MT_TEXT)
		return (fold_eq(v->text.p, v->text.n, e->lo.text.p,
		    e->lo.text.n));
	return (mval_cmp(v, &e->lo) >= 0 && mval_cmp(v, &e->hi) <= 0);
}

/* Whether a value is in a condition's list (of its own type). */
bool
eval_in(const struct query_cond *c, const struct mval *v)
{
	size_t	 i, lo, hi, mid;

	if (v->type != c->type)
		return (false);
	if (c->sorted == NULL) {
		for (i = 0; i < c->nelems; i++) {
			if (eval_in_elem(&c->elems[i], v))
				return (true);
		}
		return (false);
	}
	/* The last element whose low end is not above v, if any. */
	lo = 0;
	hi = c->nsorted;
	while (lo < hi) {
		mid = lo + (hi - lo) / 2;
		if (mval_cmp(&c->sorted[mid].lo, v) <= 0)
			lo = mid + 1;
		else
			hi = mid;
	}
	return (lo != 0 && eval_in_elem(&c->sorted[lo - 1], v));
}

/* qsort comparison of elements by their low end. */
static int
eval_elem_cmp(const void *a, const void *b)
{
	const struct query_elem	*x = a, *y = b;

	return (mval_cmp(&x->lo, &y->lo));
}

/* Build the sorted, merged copy of a long = or != list. */
void
eval_prepare(struct query_cond *c)
{
	struct query_elem	*s;
	size_t			 i, n = 0;

	if ((c->op != QOP_EQ && c->op != QOP_NE) ||
	    c->nelems <= EVAL_LINEAR_MAX)
		return;
	s = xreallocarray(NULL, c->nelems, sizeof *s);
	memcpy(s, c->elems, c->nelems * sizeof *s);
	qsort(s, c->nelems, sizeof *s, eval_elem_cmp);
	for (i = 1; i < c->nelems; i++) {
		if (mval_cmp(&s[i].lo, &s[n].hi) <= 0) {
			if (mval_cmp(&s[i].hi, &s[n].hi) > 0)
				s[n].hi = s[i].hi;
		} else
			s[++n] = s[i];
	}
	c->sorted = s;
	c->nsorted = n + 1;
}

/*
 * Whether text contains a needle, ASCII case folded.  The scan looks for
 * bytes equal to the needle's first with bit 5 set: every byte that folds
 * to it is one (and the few others fold_eq turns down).
 */
static bool
eval_contains(const char *h, size_t hn, const char *nd, size_t nn)
{
	unsigned char	 first;
	size_t		 i;

	if (nn == 0)
		return (true);
	if (nn > hn)
		return (false);
	first = fold((unsigned char)nd[0]) | 0x20;
	for (i = 0; i <= hn - nn; i++) {
		if (((unsigned char)h[i] | 0x20) == first &&
		    fold_eq(h + i, nn, nd, nn))
			return (true);
	}
	return (false);
}

/*
 * Whether a pattern matches len bytes at p, within the match limit of a
 * value that long.  Giving up at a limit is no match, counted in the
 * pattern so that the query can say so.
 */
static bool
eval_match(struct query_regex *rx, const char *p, size_t len,
    const struct eval_re *re)
{
	uint64_t	 limit;
	int		 rc;

	limit = REGEX_MATCH_BASE + (uint64_t)REGEX_MATCH_PER_BYTE * len;
	pcre2_set_match_limit(re->mctx, (uint32_t)(limit < REGEX_MATCH_MAX ?
	    limit : REGEX_MATCH_MAX));
	rc = pcre2_match(rx->code, (PCRE2_SPTR)(len ? p : ""), len, 0, 0,
	    re->md, re->mctx);
	if (rc >= 0)
		return (true);
	switch (rc) {
	case PCRE2_ERROR_MATCHLIMIT:
	case PCRE2_ERROR_DEPTHLIMIT:
	case PCRE2_ERROR_HEAPLIMIT:
	case PCRE2_ERROR_JIT_STACKLIMIT:
		rx->gaveup++;
		break;
	}
	return (false);
}

/* Whether a text value satisfies a text operator against one element. */
static bool
eval_text(enum query_op op, const struct query_elem *e, const struct mval *v,
    const struct eval_re *re)
{
	const char	*p = v->text.p, *s = e->lo.text.p;
	size_t		 n = v->text.n, sn = e->lo.text.n;

	switch (op) {
	case QOP_BEGINS:
		return (n >= sn && fold_eq(p, sn, s, sn));
	case QOP_ENDS:
		return (n >= sn && fold_eq(p + n - sn, sn, s, sn));
	case QOP_CONTAINS:
		return (eval_contains(p, n, s, sn));
	case QOP_REGEX:
		return (eval_match(e->re, p, n, re));
	case QOP_LENGTH:
		return (n >= e->lo.u && n <= e->hi.u);
	default:
		return (false);
	}
}

/* Whether one value satisfies a condition (= and != alike: membership). */
static bool
eval_one(const struct query_cond *c, const struct mval *v,
    const struct eval_re *re)
{
	size_t	 i;

	switch (c->op) {
	case QOP_EQ:
	case QOP_NE:
		return (eval_in(c, v));
	case QOP_LT:
		return (v->type == c->type && mval_cmp(v, &c->elems->lo) < 0);
	case QOP_LE:
		return (v->type == c->type && mval_cmp(v, &c->elems->hi) <= 0);
	case QOP_GT:
		return (v->type == c->type && mval_cmp(v, &c->elems->hi) > 0);
	case QOP_GE:
		return (v->type == c->type && mval_cmp(v, &c->elems->lo) >= 0);
	case QOP_EXISTS:
	case QOP_NOTEXISTS:
	case QOP_UCOUNT:
		return (true);
	default:
		break;
	}
	if (v->type != MT_TEXT)
		return (false);
	for (i = 0; i < c->nelems; i++) {
		if (eval_text(c->op, &c->elems[i], v, re))
			return (true);
	}
	return (false);
}

/* qsort comparison of values. */
static int
eval_val_cmp(const void *a, const void *b)
{
	return (mval_cmp(a, b));
}

/* Number of distinct values (text case folded); reorders v. */
static uint64_t
eval_distinct(struct mval *v, size_t n)
{
	size_t		 i, j;
	uint64_t	 count = 0;

	if (n > EVAL_LINEAR_MAX) {
		qsort(v, n, sizeof *v, eval_val_cmp);
		for (i = 0; i < n; i++)
			count += i == 0 || !mval_eq(&v[i - 1], &v[i]);
		return (count);
	}
	for (i = 0; i < n; i++) {
		for (j = 0; j < i && !mval_eq(&v[j], &v[i]); j++)
			;
		count += j == i;
	}
	return (count);
}

/*
 * Whether the number of distinct values is in the list.  Counting sorts,
 * so it works on a copy: the values may be a cache's, read again later.
 */
static bool
eval_ucount(const struct query_cond *c, const struct mval *v, size_t n)
{
	struct mval	 stack[QUERY_STACK_VALUES], *w = stack, count;
	bool		 ok;

	if (n > nitems(stack))
		w = xreallocarray(NULL, n, sizeof *w);
	if (n > 0)
		memcpy(w, v, n * sizeof *w);
	memset(&count, 0, sizeof count);
	count.type = MT_UINT;
	count.u = eval_distinct(w, n);
	ok = eval_in(c, &count);
	if (w != stack)
		free(w);
	return (ok);
}

/* An IPv4 value as a number, so that ranges compare without memcmp. */
static inline uint32_t
eval_ip4(const struct mval *v)
{
	return ((uint32_t)v->ip[0] << 24 | (uint32_t)v->ip[1] << 16 |
	    (uint32_t)v->ip[2] << 8 | v->ip[3]);
}

/* Whether some uint or time value is in a condition's short list. */
static inline bool
eval_uint(const struct query_cond *c, const struct mval *v, size_t n)
{
	const struct query_elem	*e, *end = c->elems + c->nelems;
	const struct mval	*w, *vend = v + n;

	for (w = v; w < vend; w++) {
		if (w->type != c->type)
			continue;
		for (e = c->elems; e < end; e++) {
			if (w->u >= e->lo.u && w->u <= e->hi.u)
				return (true);
		}
	}
	return (false);
}

/* Whether some uint or time value is in a step's one-element list. */
static inline bool
eval_uint1(const struct eval_step *st, const struct mval *v, size_t n)
{
	const struct mval	*w, *vend = v + n;

	for (w = v; w < vend; w++) {
		if (w->type == st->type && w->u >= st->lo && w->u <= st->hi)
			return (true);
	}
	return (false);
}

/* Whether some IPv4 value is in a step's one-element list. */
static inline bool
eval_ipv41(const struct eval_step *st, const struct mval *v, size_t n)
{
	const struct mval	*w, *vend = v + n;
	uint32_t		 a;

	for (w = v; w < vend; w++) {
		if (w->type != MT_IPV4)
			continue;
		a = eval_ip4(w);
		if (a >= st->lo && a <= st->hi)
			return (true);
	}
	return (false);
}

/* Whether some IPv4 value is in a condition's short list. */
static inline bool
eval_ipv4(const struct query_cond *c, const struct mval *v, size_t n)
{
	const struct query_elem	*e, *end = c->elems + c->nelems;
	const struct mval	*w, *vend = v + n;
	uint32_t		 a;

	for (w = v; w < vend; w++) {
		if (w->type != MT_IPV4)
			continue;
		a = eval_ip4(w);
		for (e = c->elems; e < end; e++) {
			if (a >= eval_ip4(&e->lo) && a <= eval_ip4(&e->hi))
				return (true);
		}
	}
	return (false);
}

/*
 * Whether two texts of one length are equal with ASCII case folded.  The
 * last bytes are compared first: values of one key often share a prefix
 * ('bench port 22', 'bench port 23'), and hunting keys hold several such
 * names per session.  Out of line, so that the loop calling it keeps its
 * registers.
 */
static __attribute__((noinline)) bool
eval_text_same(const struct mval *a, const struct mval *b)
{
	size_t	 n = a->text.n;

	if (n == 0)
		return (true);
	if (fold((unsigned char)a->text.p[n - 1]) !=
	    fold((unsigned char)b->text.p[n - 1]))
		return (false);
	return (fold_eq(a->text.p, n, b->text.p, n));
}

/*
 * Whether some text value equals a step's one element (folded).  Hunting
 * keys hold many names per session and rules test them one name at a
 * time, so the loop compares only lengths (in lo) and last bytes until
 * one fits.
 */
static inline bool
eval_text1(const struct eval_step *st, const struct mval *v, size_t n)
{
	const struct mval	*w, *vend = v + n;

	for (w = v; w < vend; w++) {
		if (w->text.n == st->lo && w->type == MT_TEXT &&
		    (st->lo == 0 || fold((unsigned char)w->text.p[st->lo - 1])
		    == st->last) && eval_text_same(w, &st->c->elems->lo))
			return (true);
	}
	return (false);
}

/* Whether some text value is in a condition's short list (folded). */
static inline bool
eval_texts(const struct query_cond *c, const struct mval *v, size_t n)
{
	const struct query_elem	*e, *end = c->elems + c->nelems;
	const struct mval	*w, *vend = v + n;

	for (w = v; w < vend; w++) {
		if (w->type != MT_TEXT)
			continue;
		for (e = c->elems; e < end; e++) {
			if (w->text.n == e->lo.text.n &&
			    eval_text_same(w, &e->lo))
				return (true);
		}
	}
	return (false);
}

/*
 * Whether some text value begins (or ends) with some element, folded.  The
 * byte next to the edge is compared first, in the loop, since most values
 * differ there; eval_text_same would cost a call per value.
 */
static inline bool
eval_edges(const struct query_cond *c, const struct mval *v, size_t n,
    bool ends)
{
	const struct query_elem	*e, *end = c->elems + c->nelems;
	const struct mval	*w, *vend = v + n;
	const char		*p, *t;
	size_t			 sn;

	for (w = v; w < vend; w++) {
		if (w->type != MT_TEXT)
			continue;
		for (e = c->elems; e < end; e++) {
			sn = e->lo.text.n;
			if (w->text.n < sn)
				continue;
			if (sn == 0)
				return (true);
			p = ends ? w->text.p + w->text.n - 1 : w->text.p;
			t = ends ? e->lo.text.p + sn - 1 : e->lo.text.p;
			if (fold((unsigned char)*p) != fold((unsigned char)*t))
				continue;
			p = ends ? w->text.p + w->text.n - sn : w->text.p;
			if (fold_eq(p, sn, e->lo.text.p, sn))
				return (true);
		}
	}
	return (false);
}

/* Whether some text value contains some element, folded. */
static inline bool
eval_contains_any(const struct query_cond *c, const struct mval *v, size_t n)
{
	const struct query_elem	*e, *end = c->elems + c->nelems;
	const struct mval	*w, *vend = v + n;

	for (w = v; w < vend; w++) {
		if (w->type != MT_TEXT)
			continue;
		for (e = c->elems; e < end; e++) {
			if (eval_contains(w->text.p, w->text.n, e->lo.text.p,
			    e->lo.text.n))
				return (true);
		}
	}
	return (false);
}

/* Whether some text value matches some pattern. */
static inline bool
eval_regex(const struct query *q, const struct query_cond *c,
    const struct mval *v, size_t n)
{
	const struct query_elem	*e, *end = c->elems + c->nelems;
	const struct mval	*w, *vend = v + n;
	struct eval_re		 re = { q->md, q->mctx };

	for (w = v; w < vend; w++) {
		if (w->type != MT_TEXT)
			continue;
		for (e = c->elems; e < end; e++) {
			if (eval_match(e->re, w->text.p, w->text.n, &re))
				return (true);
		}
	}
	return (false);
}

/* Whether some text value's length is in the list. */
static inline bool
eval_length(const struct query_cond *c, const struct mval *v, size_t n)
{
	const struct query_elem	*e, *end = c->elems + c->nelems;
	const struct mval	*w, *vend = v + n;

	for (w = v; w < vend; w++) {
		if (w->type != MT_TEXT)
			continue;
		for (e = c->elems; e < end; e++) {
			if (w->text.n >= e->lo.u && w->text.n <= e->hi.u)
				return (true);
		}
	}
	return (false);
}

/* Whether the values an item has for a condition's key satisfy it. */
static bool
eval_values(const struct query *q, const struct query_cond *c,
    const struct mval *v, size_t n)
{
	struct eval_re	 re = { q->md, q->mctx };
	size_t		 i;

	switch (c->op) {
	case QOP_EXISTS:
		return (n != 0);
	case QOP_NOTEXISTS:
		return (n == 0);
	case QOP_UCOUNT:
		return (eval_ucount(c, v, n));
	default:
		break;
	}
	for (i = 0; i < n; i++) {
		if (eval_one(c, &v[i], &re))
			return (c->op != QOP_NE);
	}
	return (c->op == QOP_NE);
}

/*
 * Whether the values satisfy a step's condition.  The common forms (short
 * = and != lists, one bound, begins, ends, length) are tested in loops of
 * their own, eval_one written out for each: rules ask tens of times per
 * session, and the generic comparison was most of their cost.  The rest
 * go the general way.
 */
static inline __attribute__((always_inline)) bool
eval_test(const struct query *q, const struct eval_step *st,
    const struct mval *v, size_t n)
{
	switch (st->kind) {
	case EVAL_EXISTS:
		return (n != 0);
	case EVAL_NOTEXISTS:
		return (n == 0);
	case EVAL_UINT1:
		return (eval_uint1(st, v, n) != st->ne);
	case EVAL_UINT:
		return (eval_uint(st->c, v, n) != st->ne);
	case EVAL_IPV41:
		return (eval_ipv41(st, v, n) != st->ne);
	case EVAL_IPV4:
		return (eval_ipv4(st->c, v, n) != st->ne);
	case EVAL_TEXT1:
		return (eval_text1(st, v, n) != st->ne);
	case EVAL_TEXT:
		return (eval_texts(st->c, v, n) != st->ne);
	case EVAL_BEGINS:
		return (eval_edges(st->c, v, n, false));
	case EVAL_ENDS:
		return (eval_edges(st->c, v, n, true));
	case EVAL_LENGTH:
		return (eval_length(st->c, v, n));
	case EVAL_CONTAINS:
		return (eval_contains_any(st->c, v, n));
	case EVAL_REGEX:
		return (eval_regex(q, st->c, v, n));
	case EVAL_ANY:
		return (eval_values(q, st->c, v, n));
	}
	__builtin_unreachable();
}

/*
 * Read a step's key for the item and test it.  Kept out of line: its
 * buffer would make every run pay for a large stack frame.
 */
static __attribute__((noinline)) bool
eval_read(const struct query *q, const struct eval_step *st,
    const struct meta_reader *r, uint64_t item)
{
	struct mval	 stack[QUERY_STACK_VALUES], *v = stack;
	size_t		 n = 0, again;
	bool		 ok;

	if (st->key >= 0)
		n = r->values(r, item, st->key, stack, nitems(stack));
	if (n <= nitems(stack))
		return (eval_test(q, st, stack, n));
	v = xreallocarray(NULL, n, sizeof *v);
	again = r->values(r, item, st->key, v, n);
	ok = eval_test(q, st, v, again < n ? again : n);
	free(v);
	return (ok);
}

/* Read a key into the cache. */
static void
eval_fill(struct query_cache *qc, int key)
{
	size_t	 got, room = QUERY_CACHE_VALUES - qc->used;

	got = qc->r->values(qc->r, qc->item, key, qc->vals + qc->used, room);
	if (got > room) {
		qc->keys[key].at = QUERY_CACHE_UNFIT;
		qc->keys[key].n = UINT16_MAX;
		return;
	}
	qc->keys[key].n = (uint16_t)got;
	qc->keys[key].at = (uint16_t)(qc->used + 1);
	qc->used = (uint16_t)(qc->used + got);
}

/*
 * How a step tests a condition.  One uint or time bound (<, <=, >, >=) is
 * the interval of values that satisfy it, so it is tested as = on that
 * interval, an empty one (lo > hi) when no value can.
 */
static uint8_t
eval_kind(const struct query_cond *c, uint64_t *lo, uint64_t *hi)
{
	bool	 num = c->type == MT_UINT || c->type == MT_TIME;

	*lo = 0;
	*hi = UINT64_MAX;
	switch (c->op) {
	case QOP_EXISTS:
		return (EVAL_EXISTS);
	case QOP_NOTEXISTS:
		return (EVAL_NOTEXISTS);
	case QOP_BEGINS:
		return (EVAL_BEGINS);
	case QOP_ENDS:
		return (EVAL_ENDS);
	case QOP_LENGTH:
		return (EVAL_LENGTH);
	case QOP_CONTAINS:
		return (EVAL_CONTAINS);
	case QOP_REGEX:
		return (EVAL_REGEX);
	case QOP_LT:
		*hi = c->elems->lo.u - 1;
		if (num && c->elems->lo.u == 0) {
			*lo = 1;
			*hi = 0;
		}
		return (num ? EVAL_UINT1 : EVAL_ANY);
	case QOP_LE:
		*hi = c->elems->hi.u;
		return (num ? EVAL_UINT1 : EVAL_ANY);
	case QOP_GT:
		*lo = c->elems->hi.u + 1;
		if (num && c->elems->hi.u == UINT64_MAX) {
			*lo = 1;
			*hi = 0;
		}
		return (num ? EVAL_UINT1 : EVAL_ANY);
	case QOP_GE:
		*lo = c->elems->lo.u;
		return (num ? EVAL_UINT1 : EVAL_ANY);
	case QOP_EQ:
	case QOP_NE:
		if (c->sorted != NULL)
			return (EVAL_ANY);
		break;
	default:
		return (EVAL_ANY);
	}
	switch (c->type) {
	case MT_UINT:
	case MT_TIME:
		if (c->nelems != 1)
			return (EVAL_UINT);
		*lo = c->elems->lo.u;
		*hi = c->elems->hi.u;
		return (EVAL_UINT1);
	case MT_IPV4:
		if (c->nelems != 1)
			return (EVAL_IPV4);
		*lo = eval_ip4(&c->elems->lo);
		*hi = eval_ip4(&c->elems->hi);
		return (EVAL_IPV41);
	case MT_TEXT:
		if (c->nelems != 1)
			return (EVAL_TEXT);
		*lo = c->elems->lo.text.n;
		return (EVAL_TEXT1);
	}
	return (EVAL_ANY);
}

/*
 * Lay out a node as steps that jump to yes or no; returns its first step.
 * Kids are laid out last to first, so each knows the step after it.
 */
static uint32_t
eval_layout(struct query *q, const struct query_node *n, uint32_t yes,
    uint32_t no, uint32_t *used)
{
	struct eval_step	*st;
	size_t			 i;

	switch (n->kind) {
	case QUERY_AND:
		for (i = n->nkids; i-- > 0;)
			yes = eval_layout(q, n->kids[i], yes, no, used);
		return (yes);
	case QUERY_OR:
		for (i = n->nkids; i-- > 0;)
			no = eval_layout(q, n->kids[i], yes, no, used);
		return (no);
	case QUERY_NOT:
		return (eval_layout(q, n->kids[0], no, yes, used));
	case QUERY_COND:
		break;
	}
	st = &q->steps[*used];
	st->c = &n->cond;
	st->next[0] = no;
	st->next[1] = yes;
	st->key = n->cond.key;
	st->kind = eval_kind(&n->cond, &st->lo, &st->hi);
	st->ne = n->cond.op == QOP_NE;
	st->type = n->cond.type;
	st->slot = st->key >= 0 && st->key < QUERY_CACHE_KEYS ?
	    (uint16_t)st->key : QUERY_CACHE_KEYS;
	st->empty = eval_values(q, &n->cond, NULL, 0);
	st->last = 0;
	if (st->kind == EVAL_TEXT1 && st->lo > 0)
		st->last = fold((unsigned char)
		    n->cond.elems->lo.text.p[st->lo - 1]);
	return ((*used)++);
}

/* Number of conditions under a node. */
static size_t
eval_count(const struct query_node *n)
{
	size_t	 i, count = 0;

	if (n->kind == QUERY_COND)
		return (1);
	for (i = 0; i < n->nkids; i++)
		count += eval_count(n->kids[i]);
	return (count);
}

/*
 * Turn the tree into steps: each condition once, with the step to take
 * when it is false and when it is true.  Running them tests the same
 * conditions in the same order as walking the tree with && and ||
 * stopping early, without the recursion.
 */
void
eval_plan(struct query *q)
{
	uint32_t	 used = 0;
	size_t		 n;

	q->first = EVAL_YES;	/* an empty query matches everything */
	if (q->root == NULL)
		return;
	if ((n = eval_count(q->root)) >= EVAL_NO)
		fatal("query too large");
	q->steps = xreallocarray(NULL, n, sizeof *q->steps);
	q->first = eval_layout(q, q->root, EVAL_YES, EVAL_NO, &used);
}

/* Whether an item satisfies a query. */
bool
query_match(const struct query *q, const struct meta_reader *r,
    uint64_t item)
{
	const struct eval_step	*st;
	uint32_t		 i = q->first;

	if (q->root == NULL)
		return (true);
	while (i < EVAL_NO) {
		st = &q->steps[i];
		i = st->next[eval_read(q, st, r, item)];
	}
	return (i == EVAL_YES);
}

/* Start remembering the values of one item. */
void
query_cache_init(struct query_cache *qc, const struct meta_reader *r,
    uint64_t item)
{
	qc->r = r;
	qc->item = item;
	qc->used = 0;
	memset(qc->keys, 0, sizeof qc->keys);
	qc->keys[QUERY_CACHE_KEYS].at = QUERY_CACHE_UNFIT;
	qc->keys[QUERY_CACHE_KEYS].n = UINT16_MAX;
}

/* Read a key again next time: the item's values of it changed. */
void
query_cache_forget(struct query_cache *qc, int key)
{
	if (key >= 0 && key < QUERY_CACHE_KEYS)
		qc->keys[key].at = 0;
}

/* Take it that the item has no value of a key. */
void
query_cache_none(struct query_cache *qc, int key)
{
	if (key < 0 || key >= QUERY_CACHE_KEYS)
		return;
	qc->keys[key].at = (uint16_t)(qc->used + 1);
	qc->keys[key].n = 0;
}

/*
 * Whether the cache's item satisfies a query: query_match's loop, taking
 * values from the cache, with the test inline since this loop is where
 * rules spend their time.  One number or one IPv4 address against one
 * interval (ports, sizes, protocols, networks: most steps of a pack) is
 * tested before the switch, whose indirect jump mispredicted often
 * enough to cost a tenth of the rules' time.
 */
static inline __attribute__((always_inline)) bool
eval_cached(const struct query *q, struct query_cache *qc)
{
	const struct eval_step	*st;
	const struct mval	*v;
	uint32_t		 i = q->first;
	uint16_t		 at, n;
	bool			 ok;

	while (i < EVAL_NO) {
		st = &q->steps[i];
		if (qc->keys[st->slot].at == 0)
			eval_fill(qc, st->key);
		at = qc->keys[st->slot].at;
		n = qc->keys[st->slot].n;
		v = qc->vals + at - 1;
		if (n == 0)
			ok = st->empty;
		else if (at == QUERY_CACHE_UNFIT)
			ok = eval_read(q, st, qc->r, qc->item);
		else if (n == 1 && st->kind == EVAL_UINT1)
			ok = (v->type == st->type && v->u >= st->lo &&
			    v->u <= st->hi) != st->ne;
		else if (n == 1 && st->kind == EVAL_IPV41)
			ok = (v->type == MT_IPV4 && eval_ip4(v) >= st->lo &&
			    eval_ip4(v) <= st->hi) != st->ne;
		else
			ok = eval_test(q, st, v, n);
		i = st->next[ok];
	}
	return (i == EVAL_YES);
}

/* Whether the cache's item satisfies a query. */
bool
query_match_cached(const struct query *q, struct query_cache *qc)
{
	return (eval_cached(q, qc));
}

/*
 * The index of the first query the cache's item satisfies, n when none
 * does.  One call for many queries: most fail at their first step, and
 * the call was then as dear as the test.
 */
size_t
query_match_first(const struct query *const *qv, size_t n,
    struct query_cache *qc)
{
	size_t	 k;

	for (k = 0; k < n; k++) {
		if (eval_cached(qv[k], qc))
			break;
	}
	return (k);
}

/* Whether one value satisfies a condition, in the positive sense. */
bool
query_cond_test(const struct query_cond *c, const struct mval *v)
{
	struct eval_re	 re = { NULL, NULL };
	bool		 ok;

	if (c->op != QOP_REGEX)
		return (eval_one(c, v, &re));
	re.md = pcre2_match_data_create(1, NULL);
	re.mctx = pcre2_match_context_create(NULL);
	if (re.md == NULL || re.mctx == NULL)
		fatal("out of memory creating PCRE2 match data");
	literal_limits(re.mctx);
	ok = eval_one(c, v, &re);
	pcre2_match_data_free(re.md);
	pcre2_match_context_free(re.mctx);
	return (ok);
}

/* Whether one value satisfies a condition of q, with q's limits. */
bool
query_value_test(const struct query *q, const struct query_cond *c,
    const struct mval *v)
{
	struct eval_re	 re = { q->md, q->mctx };

	if (c->op == QOP_REGEX && q->md == NULL)
		return (query_cond_test(c, v));
	return (eval_one(c, v, &re));
}
