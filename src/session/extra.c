/* extra.c - meta written by parsers and rules, kept per session. */
/* SPDX-License-Identifier: GPL-3.0-or-later */

#include <stdlib.h>
#include <string.h>

#include "session/session.h"

/*
 * One value in 8 bytes: numbers of 32 bits and IPv4 addresses inline; text,
 * IPv6 addresses, MACs and wider numbers as an id of the value pool, where
 * each distinct byte string is kept once for every session.
 */
struct meta_pair {
	uint16_t	 key;
	uint8_t		 type : 4;
	uint8_t		 flags : 4;	/* MF_PARSER, MF_RULE, MF_TRANSIENT,
					   PAIR_POOLED */
	uint8_t		 prec;
	uint32_t	 val;
};

/* A number's val is a pool id (8 bytes). */
#define PAIR_POOLED	0x8

struct meta_extra {
	uint32_t	 n, cap;
	struct meta_pair v[];
};

/* The value a pair holds. */
static void
pair_value(const struct meta_pair *p, struct mval *v)
{
	const char	*b;
	uint32_t	 n;

	v->type = p->type;
	v->prec = p->prec;
	switch (p->type) {
	case MT_UINT: case MT_TIME:
		if (p->flags & PAIR_POOLED)
			memcpy(&v->u, meta_pool_get(p->val, &n), sizeof v->u);
		else
			v->u = p->val;
		break;
	case MT_TEXT:
		v->text.p = meta_pool_get(p->val, &v->text.n);
		break;
	case MT_IPV4:
		memset(v->ip, 0, sizeof v->ip);
		memcpy(v->ip, &p->val, 4);
		break;
	default:
		memset(v->ip, 0, sizeof v->ip);
		b = meta_pool_get(p->val, &n);
		memcpy(v->ip, b, n);
	}
}

/*
 * Pool ids of MF_STATIC text by address: rules write their names into
 * most sessions, and those bytes never change while they are in use.
 */
#define STATIC_CACHE	64
static struct {
	const char	*p;
	uint32_t	 n, id;
} static_cache[STATIC_CACHE];

/* The pool id of text, through the cache when the text is static. */
static uint32_t
pair_text(const char *p, uint32_t n, uint8_t flags)
{
	size_t		 h;

	if (!(flags & MF_STATIC))
		return (meta_pool_put(p, n));
	h = ((uintptr_t)p >> 3) % STATIC_CACHE;
	if (static_cache[h].p != p || static_cache[h].n != n) {
		static_cache[h].id = meta_pool_put(p, n);
		static_cache[h].p = p;
		static_cache[h].n = n;
	}
	return (static_cache[h].id);
}

/* Encode a value as a pair (key and flags left to the caller). */
static void
pair_make(struct meta_pair *p, const struct mval *v, uint8_t flags)
{
	p->type = v->type & 0xf;
	p->flags = 0;
	p->prec = v->prec;
	switch (v->type) {
	case MT_UINT: case MT_TIME:
		if (v->u > UINT32_MAX) {
			p->val = meta_pool_put(&v->u, sizeof v->u);
			p->flags = PAIR_POOLED;
		} else
			p->val = (uint32_t)v->u;
		break;
	case MT_TEXT:
		p->val = pair_text(v->text.p, v->text.n, flags);
		break;
	case MT_IPV4:
		memcpy(&p->val, v->ip, 4);
		break;
	default:
		p->val = meta_pool_put(v->ip, v->type == MT_MAC ? 6 : 16);
	}
}

/* Add a value to a key unless it is there already. */
bool
session_meta_add(struct session *s, int key, const struct mval *v,
    uint8_t flags)
{
	struct meta_extra	*x = s->extra;
	struct meta_pair	 np, *p;
	const char		*t;
	uint32_t		 i, tn;

	pair_make(&np, v, flags);
	if (x != NULL) {
		for (i = 0; i < x->n; i++) {
			p = &x->v[i];
			if (p->key != key || p->type != np.type)
				continue;
			if (p->val == np.val &&
			    (p->flags & PAIR_POOLED) == np.flags)
				return (false);
			if (p->type == MT_TEXT) {
				/* Text is a set with ASCII case folded. */
				t = meta_pool_get(p->val, &tn);
				if (fold_eq(t, tn, v->text.p, v->text.n))
					return (false);
			}
		}
	}
	if (x == NULL) {
		x = s->extra = xmalloc(sizeof *x + 4 * sizeof x->v[0]);
		x->n = 0;
		x->cap = 4;
	} else if (x->n == x->cap) {
		x->cap *= 2;
		x = s->extra = xrealloc(x, sizeof *x + x->cap * sizeof x->v[0]);
	}
	np.key = (uint16_t)key;
	np.flags |= flags & (MF_PARSER | MF_RULE | MF_TRANSIENT);
	x->v[x->n++] = np;
	return (true);
}

/* Values of a key from the extra meta. */
size_t
session_meta_get(const struct session *s, int key, struct mval *out,
    size_t max)
{
	const struct meta_extra	*x = s->extra;
	size_t			 n = 0;
	uint32_t		 i;

	if (x == NULL)
		return (0);
	for (i = 0; i < x->n; i++) {
		if (x->v[i].key != key)
			continue;
		if (n < max)
			pair_value(&x->v[i], &out[n]);
		n++;
	}
	return (n);
}

/* The i-th extra value and its key. */
bool
session_meta_at(const struct session *s, uint32_t i, int *key,
    struct mval *v)
{
	const struct meta_extra	*x = s->extra;

	if (x == NULL || i >= x->n)
		return (false);
	*key = x->v[i].key;
	pair_value(&x->v[i], v);
	return (true);
}

/* Remove the values written with any of these flags. */
void
session_meta_drop(struct session *s, uint8_t flags)
{
	struct meta_extra	*x = s->extra;
	uint32_t		 i, j = 0;

	if (x == NULL)
		return;
	for (i = 0; i < x->n; i++) {
		if (!(x->v[i].flags & flags))
			x->v[j++] = x->v[i];
	}
	x->n = j;
}

/*
 * Give back the spare room of a closed session's extra meta: values grow
 * by doubling while parsers and rules write, and most sessions are done
 * with them at close.
 */
void
session_meta_shrink(struct session *s)
{
	struct meta_extra	*x = s->extra;

	if (x == NULL || x->n == x->cap)
		return;
	x->cap = x->n > 0 ? x->n : 1;
	s->extra = xrealloc(x, sizeof *x + x->cap * sizeof x->v[0]);
}

/* Free the extra meta. */
void
session_meta_free(struct session *s)
{
	free(s->extra);
	s->extra = NULL;
}
