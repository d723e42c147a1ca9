/* format.c - print the canonical plan of a query and walk its terms. */
/* SPDX-License-Identifier: GPL-3.0-or-later */

#include <string.h>

#include "query/query-int.h"

#define NSEC	1000000000ULL

static const char *const format_ops[] = {
	[QOP_EQ] = "=", [QOP_NE] = "!=", [QOP_LT] = "<", [QOP_LE] = "<=",
	[QOP_GT] = ">", [QOP_GE] = ">=", [QOP_BEGINS] = "begins",
	[QOP_ENDS] = "ends", [QOP_CONTAINS] = "contains",
	[QOP_REGEX] = "regex", [QOP_LENGTH] = "length",
	[QOP_EXISTS] = "exists", [QOP_NOTEXISTS] = "!exists",
	[QOP_UCOUNT] = "ucount",
};

/* Name of an operator as printed. */
const char *
query_op_name(enum query_op op)
{
	if ((size_t)op >= nitems(format_ops))
		return ("?");
	return (format_ops[op]);
}

/*
 * Append the byte at p: printable ASCII and valid UTF-8 but the hidden
 * characters (SPEC §6) as they are, anything else as \xNN; returns the
 * bytes used.
 */
static size_t
format_byte(struct buf *b, const unsigned char *p, size_t n)
{
	size_t	 u;

	if (p[0] >= 0x20 && p[0] < 0x7f) {
		buf_addc(b, (char)p[0]);
		return (1);
	}
	if ((u = utf8_len(p, n)) != 0 && !utf8_hidden(p, u)) {
		buf_add(b, p, u);
		return (u);
	}
	buf_printf(b, "\\x%02x", p[0]);
	return (1);
}

/* Append text single-quoted so that it reads back the same. */
static void
format_text(struct buf *b, const struct mval *v, bool regex)
{
	const unsigned char	*p = (const unsigned char *)v->text.p;
	size_t			 n = v->text.n, i = 0;

	buf_addc(b, '\'');
	while (i < n) {
		if (p[i] == '\'') {
			buf_adds(b, "\\'");
			i++;
		} else if (p[i] == '\\' && !regex) {
			buf_adds(b, "\\\\");
			i++;
		} else if (p[i] == '\\' && i + 1 < n) {
			buf_addc(b, '\\');
			if (p[i + 1] >= 0x20 && p[i + 1] < 0x7f)
				buf_addc(b, (char)p[i + 1]);
			else
				buf_printf(b, "x%02x", p[i + 1]);
			i += 2;
		} else if (p[i] == '\\') {
			buf_adds(b, "\\\\");
			i++;
		} else
			i += format_byte(b, p + i, n - i);
	}
	buf_addc(b, '\'');
}

/* Prefix length when [lo, hi] is exactly a CIDR block, else -1. */
static int
format_cidr(const struct mval *lo, const struct mval *hi, size_t bytes)
{
	size_t	 bit, nbits = bytes * 8, k;
	int	 l, h;

	for (k = 0; k < nbits; k++) {
		l = lo->ip[k / 8] >> (7 - k % 8) & 1;
		h = hi->ip[k / 8] >> (7 - k % 8) & 1;
		if (l != h)
			break;
	}
	for (bit = k; bit < nbits; bit++) {
		if ((lo->ip[bit / 8] >> (7 - bit % 8) & 1) != 0 ||
		    (hi->ip[bit / 8] >> (7 - bit % 8) & 1) != 1)
			return (-1);
	}
	return ((int)k);
}

/* Whether an address is all zero (l) or all ones (u) bytes of c. */
static bool
format_all(const struct mval *v, size_t bytes, uint8_t c)
{
	size_t	 i;

	for (i = 0; i < bytes; i++) {
		if (v->ip[i] != c)
			return (false);
	}
	return (true);
}

/* Append an address element: single, a/n, or lo-hi with l and u. */
static void
format_ip(struct buf *b, const struct query_elem *e)
{
	size_t	 bytes = e->lo.type == MT_IPV4 ? 4 : 16;
	int	 prefix;

	if (memcmp(e->lo.ip, e->hi.ip, bytes) == 0) {
		mval_format(b, &e->lo);
		return;
	}
	if ((prefix = format_cidr(&e->lo, &e->hi, bytes)) != -1) {
		mval_format(b, &e->lo);
		buf_printf(b, "/%d", prefix);
		return;
	}
	if (format_all(&e->lo, bytes, 0))
		buf_addc(b, 'l');
	else
		mval_format(b, &e->lo);
	buf_addc(b, '-');
	if (format_all(&e->hi, bytes, 0xff))
		buf_addc(b, 'u');
	else
		mval_format(b, &e->hi);
}

/* Append a uint element: single or lo-hi with l and u. */
static void
format_uint(struct buf *b, const struct query_elem *e)
{
	if (e->lo.u == e->hi.u) {
		buf_printf(b, "%llu", (unsigned long long)e->lo.u);
		return;
	}
	if (e->lo.u == 0)
		buf_addc(b, 'l');
	else
		buf_printf(b, "%llu", (unsigned long long)e->lo.u);
	buf_addc(b, '-');
	if (e->hi.u == UINT64_MAX)
		buf_addc(b, 'u');
	else
		buf_printf(b, "%llu", (unsigned long long)e->hi.u);
}

/* The unit of a time literal starting at ns: the coarsest of 1 s, 0.1 s
 * ... 1 ns that ns is a whole number of. */
static uint64_t
format_unit(uint64_t ns)
{
	uint64_t	 u;

	for (u = NSEC; u > 1 && ns % u != 0; u /= 10)
		;
	return (u);
}

/* Whether [lo, hi] is the interval of one literal; its unit in *unit. */
static bool
format_one_time(const struct query_elem *e, uint64_t *unit)
{
	if (e->hi.u == UINT64_MAX && e->lo.u == UINT64_MAX / NSEC * NSEC) {
		*unit = NSEC;
		return (true);
	}
	*unit = format_unit(e->lo.u);
	while (*unit > 1 && e->hi.u - e->lo.u < *unit - 1)
		*unit /= 10;
	return (e->hi.u - e->lo.u == *unit - 1);
}

/* Append a time interval: one literal, or a range (l and u bare). */
static void
format_time(struct buf *b, const struct query_elem *e)
{
	uint64_t	 unit;

	if (format_one_time(e, &unit)) {
		literal_time_format(b, e->lo.u, unit);
		return;
	}
	if (e->lo.u == 0)
		buf_addc(b, 'l');
	else
		literal_time_format(b, e->lo.u, format_unit(e->lo.u));
	buf_addc(b, '-');
	if (e->hi.u == UINT64_MAX)
		buf_addc(b, 'u');
	else {
		unit = format_unit(e->hi.u + 1);
		literal_time_format(b, e->hi.u + 1 - unit, unit);
	}
}

/* Append one element of a condition's list. */
static void
format_elem(struct buf *b, const struct query_cond *c,
    const struct query_elem *e)
{
	switch (c->type) {
	case MT_UINT:
		format_uint(b, e);
		break;
	case MT_IPV4:
	case MT_IPV6:
		format_ip(b, e);
		break;
	case MT_MAC:
		mval_format(b, &e->lo);
		break;
	case MT_TIME:
		format_time(b, e);
		break;
	case MT_TEXT:
		format_text(b, &e->lo, c->op == QOP_REGEX);
		break;
	}
}

/* Append a condition. */
static void
format_cond(struct buf *b, const struct query_cond *c)
{
	size_t	 i;

	buf_printf(b, "%s %s", c->name, query_op_name(c->op));
	for (i = 0; i < c->nelems; i++) {
		buf_adds(b, i == 0 ? " " : ", ");
		format_elem(b, c, &c->elems[i]);
	}
}

/* Append a node: conditions bare, groups in parentheses, !(...). */
static void
format_node(struct buf *b, const struct query_node *n)
{
	const struct query_node	*kid;
	size_t			 i;

	switch (n->kind) {
	case QUERY_COND:
		format_cond(b, &n->cond);
		return;
	case QUERY_NOT:
		kid = n->kids[0];
		buf_addc(b, '!');
		if (kid->kind == QUERY_COND || kid->kind == QUERY_NOT) {
			buf_addc(b, '(');
			format_node(b, kid);
			buf_addc(b, ')');
		} else
			format_node(b, kid);
		return;
	default:
		break;
	}
	buf_addc(b, '(');
	for (i = 0; i < n->nkids; i++) {
		if (i != 0)
			buf_adds(b, n->kind == QUERY_AND ? " && " : " || ");
		format_node(b, n->kids[i]);
	}
	buf_addc(b, ')');
}

/* Append the canonical plan of a query. */
void
query_format(struct buf *b, const struct query *q)
{
	buf_add(b, "", 0);
	if (q->root != NULL)
		format_node(b, q->root);
}

/* Walk the conditions under a node, tracking negation. */
static void
format_walk(const struct query_node *n, bool neg,
    void (*fn)(const struct query_cond *, bool, void *), void *arg)
{
	size_t	 i;

	if (n->kind == QUERY_COND) {
		fn(&n->cond, neg, arg);
		return;
	}
	for (i = 0; i < n->nkids; i++)
		format_walk(n->kids[i], neg ^ (n->kind == QUERY_NOT), fn, arg);
}

/* Call fn for every condition in text order with its negation. */
void
query_walk(const struct query *q,
    void (*fn)(const struct query_cond *, bool, void *), void *arg)
{
	if (q->root != NULL)
		format_walk(q->root, false, fn, arg);
}

/* What a walk over the patterns' give-ups does. */
enum format_gaveup_do { GAVEUP_RESET, GAVEUP_SUM, GAVEUP_DESCRIBE };

struct format_gaveup {
	enum format_gaveup_do	 what;
	uint64_t		 total;
	char			**msgs;
	size_t			 n;
};

/* Append the warning for a pattern that gave up on values. */
static char *
format_gaveup_msg(const struct query_elem *e)
{
	struct buf	 b;

	buf_init(&b);
	buf_adds(&b, "regex ");
	grammar_quote(&b, e->lo.text.p, e->lo.text.n);
	buf_printf(&b, " gave up on %llu value%s at the match limit (counted "
	    "as no match)", (unsigned long long)e->re->gaveup,
	    e->re->gaveup == 1 ? "" : "s");
	return (buf_take(&b));
}

/* Reset, add up or describe the give-ups of one condition's patterns. */
static void
format_gaveup_cond(const struct query_cond *c, bool neg, void *arg)
{
	struct format_gaveup	*g = arg;
	struct query_regex	*re;
	size_t			 i;

	(void)neg;
	for (i = 0; i < c->nelems; i++) {
		if ((re = c->elems[i].re) == NULL)
			continue;
		if (g->what == GAVEUP_RESET)
			re->gaveup = 0;
		g->total += re->gaveup;
		if (g->what != GAVEUP_DESCRIBE || re->gaveup == 0)
			continue;
		g->msgs = xreallocarray(g->msgs, g->n + 1, sizeof *g->msgs);
		g->msgs[g->n++] = format_gaveup_msg(&c->elems[i]);
	}
}

/* Values the query's patterns gave up on since the last reset. */
uint64_t
query_gaveup(const struct query *q)
{
	struct format_gaveup	 g = { GAVEUP_SUM, 0, NULL, 0 };

	query_walk(q, format_gaveup_cond, &g);
	return (g.total);
}

/* Start counting the give-ups of a run of the query from zero. */
void
query_gaveup_reset(const struct query *q)
{
	struct format_gaveup	 g = { GAVEUP_RESET, 0, NULL, 0 };

	query_walk(q, format_gaveup_cond, &g);
}

/* One warning per pattern that gave up on values; returns how many. */
size_t
query_gaveup_messages(const struct query *q, char ***msgs)
{
	struct format_gaveup	 g = { GAVEUP_DESCRIBE, 0, NULL, 0 };

	query_walk(q, format_gaveup_cond, &g);
	*msgs = g.msgs;
	return (g.n);
}
