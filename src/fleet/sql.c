/* sql.c - a compiled where-clause as a ClickHouse condition. */
/* SPDX-License-Identifier: GPL-3.0-or-later */

#include <stdlib.h>
#include <string.h>

#include "fleet/fleet-int.h"

/*
 * A condition on key K tests the values of K in the parallel arrays: each
 * value is (k key number, t type + 16 * precision, n number, s bytes);
 * only the arrays a type needs are read (n for uint, time and IPv4, s for
 * the rest: reading ms is most of a query's cost).  "= and
 * != test membership": = is arrayExists of a value in the list, != its
 * negation (true when K has no value), as eval.c answers.
 */
#define SQL_EXISTS_N	"arrayExists((k, t, n) -> k = "
#define SQL_ARRAYS_N	", mk, mt, mn)"
#define SQL_EXISTS_S	"arrayExists((k, t, s) -> k = "
#define SQL_ARRAYS_S	", mk, mt, ms)"
/* A text value folded as fold() does (ASCII only), other bytes as they are. */
#define SQL_FOLDED	"if(modulo(t, 16) = 4, lower(s), s)"

/* A SQL string literal of bytes, optionally ASCII-folded. */
void
fleet_sql_string(struct buf *b, const void *v, size_t n, bool folded)
{
	const unsigned char	*p = v;
	unsigned char		 c;
	size_t			 i;

	buf_addc(b, '\'');
	for (i = 0; i < n; i++) {
		c = folded ? fold(p[i]) : p[i];
		if (c == '\'' || c == '\\')
			buf_printf(b, "\\%c", c);
		else if (c < 0x20 || c >= 0x7f)
			buf_printf(b, "\\x%02x", c);
		else
			buf_addc(b, (char)c);
	}
	buf_addc(b, '\'');
}

/* A value's number as the arrays keep it (uint, time, IPv4). */
static uint64_t
sql_number(const struct mval *v)
{
	if (v->type == MT_IPV4)
		return ((uint64_t)v->ip[0] << 24 | (uint64_t)v->ip[1] << 16 |
		    (uint64_t)v->ip[2] << 8 | v->ip[3]);
	return (v->u);
}

/* A value as the SQL it compares with: number, folded text or bytes. */
static void
sql_value(struct buf *b, const struct mval *v)
{
	switch (v->type) {
	case MT_TEXT:
		fleet_sql_string(b, v->text.p, v->text.n, true);
		break;
	case MT_IPV6:
		fleet_sql_string(b, v->ip, 16, false);
		break;
	case MT_MAC:
		fleet_sql_string(b, v->mac, 6, false);
		break;
	default:
		buf_printf(b, "%llu", (unsigned long long)sql_number(v));
		break;
	}
}

/* Whether values of this type compare as numbers (n), else bytes (s). */
static bool
sql_numeric(uint8_t type)
{
	return (type == MT_UINT || type == MT_TIME || type == MT_IPV4);
}

/* One comparison of a value (in col) with a bound: "COLUMN OP VALUE". */
static void
sql_compare(struct buf *b, uint8_t type, const char *col, const char *op,
    const struct mval *v)
{
	if (type == MT_TEXT)
		buf_printf(b, "lower(%s) %s ", col, op);
	else
		buf_printf(b, "%s %s ", col, op);
	sql_value(b, v);
}

/* Membership of a value in a condition's list (= and != alike). */
static void
sql_list(struct buf *b, const struct query_cond *c, const char *col)
{
	const struct query_elem	*e;
	size_t			 i;

	buf_adds(b, "(");
	for (i = 0; i < c->nelems; i++) {
		e = &c->elems[i];
		buf_adds(b, i > 0 ? " OR (" : "(");
		if (c->type == MT_TEXT)
			sql_compare(b, c->type, col, "=", &e->lo);
		else {
			sql_compare(b, c->type, col, ">=", &e->lo);
			buf_adds(b, " AND ");
			sql_compare(b, c->type, col, "<=", &e->hi);
		}
		buf_adds(b, ")");
	}
	buf_adds(b, ")");
}

/* A text operator against one element: begins, ends, contains, length. */
static void
sql_text_elem(struct buf *b, enum query_op op, const struct query_elem *e,
    const char *s)
{
	size_t	 n = e->lo.text.n;

	switch (op) {
	case QOP_BEGINS:
		buf_printf(b, "(length(%s) >= %zu AND substring(lower(%s), 1, "
		    "%zu) = ", s, n, s, n);
		break;
	case QOP_ENDS:
		buf_printf(b, "(length(%s) >= %zu AND substring(lower(%s), "
		    "length(%s) - %zu + 1, %zu) = ", s, n, s, s, n, n);
		break;
	case QOP_CONTAINS:
		if (n == 0) {
			buf_adds(b, "1");
			return;
		}
		buf_printf(b, "(position(lower(%s), ", s);
		sql_value(b, &e->lo);
		buf_adds(b, ") > 0)");
		return;
	default:
		buf_printf(b, "(length(%s) >= %llu AND length(%s) <= %llu)", s,
		    (unsigned long long)e->lo.u, s,
		    (unsigned long long)e->hi.u);
		return;
	}
	sql_value(b, &e->lo);
	buf_adds(b, ")");
}

/* Some element of a text operator's list holds. */
static void
sql_text(struct buf *b, const struct query_cond *c, const char *s)
{
	size_t	 i;

	buf_adds(b, "(");
	for (i = 0; i < c->nelems; i++) {
		if (i > 0)
			buf_adds(b, " OR ");
		sql_text_elem(b, c->op, &c->elems[i], s);
	}
	buf_adds(b, ")");
}

/* The number of distinct values of a key is in the list (ucount). */
static void
sql_ucount(struct buf *b, const struct query_cond *c, const char *name)
{
	struct buf	 e;
	size_t		 i;

	buf_init(&e);
	buf_adds(&e, "arrayReduce('uniqExact', arrayFilter((x, k) -> k = ");
	buf_printf(&e, "%u", fleet_key_id(name));
	buf_adds(&e, ", arrayMap((t, n, s) -> concat(toString(modulo(t, 16)), "
	    "':', toString(n), ':', " SQL_FOLDED "), mt, mn, ms), mk))");
	buf_adds(b, "(");
	for (i = 0; i < c->nelems; i++) {
		buf_printf(b, "%s(%s >= %llu AND %s <= %llu)", i > 0 ? " OR " :
		    "", e.s, (unsigned long long)c->elems[i].lo.u, e.s,
		    (unsigned long long)c->elems[i].hi.u);
	}
	buf_adds(b, ")");
	buf_free(&e);
}

/*
 * A regex list: some text value matches some pattern.  A value that is
 * not ASCII stops the query (throwIf): RE2 would read it as UTF-8.
 */
static bool
sql_regex(struct buf *b, const struct query_cond *c, const char *name,
    char **cause)
{
	struct buf	 re;
	const char	*why;
	size_t		 i, at;

	buf_adds(b, "(throwIf(" SQL_EXISTS_S);
	buf_printf(b, "%u", fleet_key_id(name));
	buf_adds(b, " AND modulo(t, 16) = 4 AND NOT match(hex(s), "
	    "'^(?:[0-7][0-9A-F])*$')" SQL_ARRAYS_S ") = 0 AND " SQL_EXISTS_S);
	buf_printf(b, "%u", fleet_key_id(name));
	buf_adds(b, " AND modulo(t, 16) = 4 AND (");
	buf_init(&re);
	for (i = 0; i < c->nelems; i++) {
		buf_reset(&re);
		if (!fleet_regex_re2(&re, c->elems[i].lo.text.p,
		    c->elems[i].lo.text.n, &at, &why)) {
			xasprintf(cause, "column %u: regex over the store: %s "
			    "(at byte %zu of the pattern)", c->elems[i].col,
			    why, at + 1);
			buf_free(&re);
			return (false);
		}
		if (i > 0)
			buf_adds(b, " OR ");
		buf_adds(b, "match(s, ");
		fleet_sql_string(b, re.s, re.len, false);
		buf_adds(b, ")");
	}
	buf_free(&re);
	buf_adds(b, ")" SQL_ARRAYS_S ")");
	return (true);
}

/*
 * What one value (in col) must satisfy for an operator (= and != alike),
 * after guard (its type, or that the key has a value).
 */
static void
sql_test(struct buf *b, const struct query_cond *c, const char *col,
    const char *guard)
{
	buf_adds(b, guard);
	switch (c->op) {
	case QOP_EQ:
	case QOP_NE:
		sql_list(b, c, col);
		break;
	case QOP_LT:
	case QOP_GE:
		sql_compare(b, c->type, col, c->op == QOP_LT ? "<" : ">=",
		    &c->elems->lo);
		break;
	case QOP_LE:
	case QOP_GT:
		sql_compare(b, c->type, col, c->op == QOP_LE ? "<=" : ">",
		    &c->elems->hi);
		break;
	default:
		sql_text(b, c, col);
		break;
	}
}

/*
 * A condition on a single-valued core key, over its own column f_KEY and
 * the bit in fp saying it has a value; false for the rest.
 */
static bool
sql_fixed(struct buf *b, const struct query_cond *c)
{
	struct buf	 col;
	char		*guard;
	uint64_t	 bit;

	if (!fleet_fixed(c->key) || c->type != meta_key(c->key)->type ||
	    c->op > QOP_LENGTH || c->op == QOP_REGEX ||
	    (c->op > QOP_GE && c->type != MT_TEXT))
		return (false);
	bit = (uint64_t)1 << c->key;
	buf_init(&col);
	fleet_fixed_column(&col, c->key);
	xasprintf(&guard, "bitAnd(fp, %llu) != 0 AND ",
	    (unsigned long long)bit);
	buf_adds(b, c->op == QOP_NE ? "NOT (" : "(");
	sql_test(b, c, col.s, guard);
	buf_adds(b, ")");
	free(guard);
	buf_free(&col);
	return (true);
}

/*
 * A condition on a key with an array column of its own, a_KEY: some value
 * passes (NOT: none does, for !=); false for the rest, as for sql_fixed.
 */
static bool
sql_own(struct buf *b, const struct query_cond *c)
{
	struct buf	 col;

	if (!fleet_own(c->key) || c->type != meta_key(c->key)->type ||
	    c->op > QOP_LENGTH || c->op == QOP_REGEX ||
	    (c->op > QOP_GE && c->type != MT_TEXT))
		return (false);
	buf_init(&col);
	fleet_own_column(&col, c->key);
	buf_adds(b, c->op == QOP_NE ? "NOT arrayExists(x -> " :
	    "arrayExists(x -> ");
	sql_test(b, c, "x", "");
	buf_printf(b, ", %s)", col.s);
	buf_free(&col);
	return (true);
}

/* Whether a key has a value: in its own column, or in the arrays. */
static void
sql_exists(struct buf *b, const struct query_cond *c, const char *name)
{
	struct buf	 col;

	if (c->op == QOP_NOTEXISTS)
		buf_adds(b, "NOT ");
	if (c->key >= 0 && fleet_own(c->key)) {
		buf_init(&col);
		fleet_own_column(&col, c->key);
		buf_printf(b, "notEmpty(%s)", col.s);
		buf_free(&col);
	} else
		buf_printf(b, "has(mk, %u)", fleet_key_id(name));
}

/* One condition. */
static bool
sql_cond(struct buf *b, const struct query_cond *c, char **cause)
{
	const char	*name = c->name;
	char		*guard;
	bool		 num;

	if (c->key >= 0)
		name = meta_key(c->key)->name;
	switch (c->op) {
	case QOP_EXISTS:
	case QOP_NOTEXISTS:
		sql_exists(b, c, name);
		return (true);
	case QOP_UCOUNT:
		sql_ucount(b, c, name);
		return (true);
	case QOP_REGEX:
		return (sql_regex(b, c, name, cause));
	default:
		break;
	}
	if (sql_fixed(b, c) || sql_own(b, c))
		return (true);
	num = c->op <= QOP_GE && sql_numeric(c->type);
	if (c->op == QOP_NE)
		buf_adds(b, "NOT ");
	buf_adds(b, num ? SQL_EXISTS_N : SQL_EXISTS_S);
	buf_printf(b, "%u AND ", fleet_key_id(name));
	xasprintf(&guard, "modulo(t, 16) = %u AND ", c->op <= QOP_GE ?
	    c->type : MT_TEXT);
	sql_test(b, c, num ? "n" : "s", guard);
	free(guard);
	buf_adds(b, num ? SQL_ARRAYS_N : SQL_ARRAYS_S);
	return (true);
}

/* A node of the tree, fully parenthesised. */
static bool
sql_node(struct buf *b, const struct query_node *n, char **cause)
{
	size_t	 i;

	switch (n->kind) {
	case QUERY_COND:
		return (sql_cond(b, &n->cond, cause));
	case QUERY_NOT:
		buf_adds(b, "NOT (");
		if (!sql_node(b, n->kids[0], cause))
			return (false);
		buf_adds(b, ")");
		return (true);
	default:
		break;
	}
	buf_adds(b, "(");
	for (i = 0; i < n->nkids; i++) {
		if (i > 0)
			buf_adds(b, n->kind == QUERY_AND ? " AND " : " OR ");
		if (!sql_node(b, n->kids[i], cause))
			return (false);
	}
	buf_adds(b, ")");
	return (true);
}

/* The condition for a query; "1" for none. */
bool
fleet_sql_where(struct buf *b, const struct query *q, char **cause)
{
	const struct query_node	*root = q != NULL ? query_root(q) : NULL;

	if (root == NULL) {
		buf_adds(b, "1");
		return (true);
	}
	return (sql_node(b, root, cause));
}
