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

/* Whether text contains a needle, ASCII case folded. */
static bool
eval_contains(const char *h, size_t hn, const char *nd, size_t nn)
{
	unsigned char	 first;
	size_t		 i;

	if (nn == 0)
		return (true);
	first = fold((unsigned char)nd[0]);
	for (i = 0; i + nn <= hn; i++) {
		if (fold((unsigned char)h[i]) == first &&
		    fold_eq(h + i, nn, nd, nn))
			return (true);
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
		return (pcre2_match(e->re->code, (PCRE2_SPTR)(n ? p : ""), n,
		    0, 0, re->md, re->mctx) >= 0);
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

/* Whether the values a session has for a condition's key satisfy it. */
static bool
eval_values(const struct query_cond *c, struct mval *v, size_t n,
    const struct eval_re *re)
{
	struct mval	 count;
	size_t		 i;

	switch (c->op) {
	case QOP_EXISTS:
		return (n != 0);
	case QOP_NOTEXISTS:
		return (n == 0);
	case QOP_UCOUNT:
		memset(&count, 0, sizeof count);
		count.type = MT_UINT;
		count.u = eval_distinct(v, n);
		return (eval_in(c, &count));
	default:
		break;
	}
	for (i = 0; i < n; i++) {
		if (eval_one(c, &v[i], re))
			return (c->op != QOP_NE);
	}
	return (c->op == QOP_NE);
}

/* Read a condition's key for the item and test it. */
static bool
eval_cond(const struct query *q, const struct query_cond *c,
    const struct meta_reader *r, uint64_t item)
{
	struct mval	 stack[QUERY_STACK_VALUES], *v = stack;
	struct eval_re	 re = { q->md, q->mctx };
	size_t		 n = 0, again;
	bool		 ok;

	if (c->key >= 0)
		n = r->values(r, item, c->key, stack, nitems(stack));
	if (n <= nitems(stack))
		return (eval_values(c, stack, n, &re));
	v = xreallocarray(NULL, n, sizeof *v);
	again = r->values(r, item, c->key, v, n);
	ok = eval_values(c, v, again < n ? again : n, &re);
	free(v);
	return (ok);
}

/* Evaluate a node of the tree. */
static bool
eval_node(const struct query *q, const struct query_node *n,
    const struct meta_reader *r, uint64_t item)
{
	size_t	 i;

	switch (n->kind) {
	case QUERY_AND:
		for (i = 0; i < n->nkids; i++) {
			if (!eval_node(q, n->kids[i], r, item))
				return (false);
		}
		return (true);
	case QUERY_OR:
		for (i = 0; i < n->nkids; i++) {
			if (eval_node(q, n->kids[i], r, item))
				return (true);
		}
		return (false);
	case QUERY_NOT:
		return (!eval_node(q, n->kids[0], r, item));
	case QUERY_COND:
		break;
	}
	return (eval_cond(q, &n->cond, r, item));
}

/* Whether an item satisfies a query. */
bool
query_match(const struct query *q, const struct meta_reader *r,
    uint64_t item)
{
	if (q->root == NULL)
		return (true);
	return (eval_node(q, q->root, r, item));
}

/* Whether one value satisfies a condition, in the positive sense. */
bool
query_cond_test(const struct query_cond *c, const struct mval *v)
{
	struct eval_re	 re = { NULL, NULL };
	bool		 ok;

	if (c->op != QOP_REGEX)
		return (eval_one(c, v, &re));
	if ((re.md = pcre2_match_data_create(1, NULL)) == NULL)
		fatal("out of memory creating PCRE2 match data");
	ok = eval_one(c, v, &re);
	pcre2_match_data_free(re.md);
	return (ok);
}
