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
					   PAIR_POOLED or PAIR_LOWER */
	uint8_t		 prec;
	uint32_t	 val;
};

/* A number's val is a pool id (8 bytes). */
#define PAIR_POOLED	0x8
/*
 * A text's bytes have no ASCII capital, so it folds to itself: two such
 * texts are equal folded only when their ids are.  Known for MF_STATIC text
 * (rule names, through the cache below); other text goes without it.
 */
#define PAIR_LOWER	0x8

struct meta_extra {
	uint32_t	 n, cap;
	struct meta_pair v[];
};

/* The value a pair holds. */
static inline void
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
 * most sessions, and those bytes never change while they are in use.  The
 * address is hashed whole: names are allocated a few words apart, and
 * their low bits alone left most entries unused.
 */
#define STATIC_CACHE	256
static struct {
	const char	*p;
	uint32_t	 n, id;
	uint8_t		 lower;		/* PAIR_LOWER or 0 */
} static_cache[STATIC_CACHE];

/* PAIR_LOWER when text has no ASCII capital, else 0. */
static uint8_t
pair_lower(const char *p, uint32_t n)
{
	uint32_t	 i;

	for (i = 0; i < n; i++) {
		if (p[i] >= 'A' && p[i] <= 'Z')
			return (0);
	}
	return (PAIR_LOWER);
}

/*
 * The pool id of text, through the cache when the text is static; *lower
 * is PAIR_LOWER when the text is known to have no ASCII capital.
 */
static inline uint32_t
pair_text(const char *p, uint32_t n, uint8_t flags, uint8_t *lower)
{
	size_t		 h;

	*lower = 0;
	if (!(flags & MF_STATIC))
		return (meta_pool_put(p, n));
	h = (size_t)(((uint64_t)(uintptr_t)p * 0x9e3779b97f4a7c15ULL) >> 56);
	if (static_cache[h].p != p || static_cache[h].n != n) {
		static_cache[h].id = meta_pool_put(p, n);
		static_cache[h].lower = pair_lower(p, n);
		static_cache[h].p = p;
		static_cache[h].n = n;
	}
	*lower = static_cache[h].lower;
	return (static_cache[h].id);
}

/* Encode a value as a pair (key and flags left to the caller). */
static inline void
pair_make(struct meta_pair *p, const struct mval *v, uint8_t flags)
{
	uint8_t	 lower;

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
		p->val = pair_text(v->text.p, v->text.n, flags, &lower);
		p->flags = lower;
		break;
	case MT_IPV4:
		memcpy(&p->val, v->ip, 4);
		break;
	default:
		p->val = meta_pool_put(v->ip, v->type == MT_MAC ? 6 : 16);
	}
}

/*
 * Whether a pair already holds the value np encodes (v): equal ids, or
 * text equal with ASCII case folded, which needs the bytes only when
 * either text may hold a capital.
 */
static inline bool
pair_same(const struct meta_pair *p, const struct meta_pair *np,
    const struct mval *v)
{
	const char	*t;
	uint32_t	 tn;

	if (p->type != MT_TEXT)
		return (p->val == np->val &&
		    (p->flags & PAIR_POOLED) == (np->flags & PAIR_POOLED));
	if (p->val == np->val)
		return (true);
	if (p->flags & np->flags & PAIR_LOWER)
		return (false);
	t = meta_pool_get(p->val, &tn);
	return (fold_eq(t, tn, v->text.p, v->text.n));
}

/* The bits of a pair's first word that hold its key and type. */
static const struct meta_pair pair_keytype = {
	.key = UINT16_MAX, .type = 0xf
};

/* The first word of a pair: key, type, flags and prec. */
static inline uint32_t
pair_head(const struct meta_pair *p)
{
	uint32_t	 h;

	memcpy(&h, p, sizeof h);
	return (h);
}

/* Store a made pair at the end of a session's extra meta. */
static inline void
pair_push(struct session *s, struct meta_pair np, uint8_t flags)
{
	struct meta_extra	*x = s->extra;

	if (x == NULL) {
		/* Room for 8: parsers and rules write about as many to most
		 * sessions, and session_meta_shrink() trims it at close. */
		x = s->extra = xmalloc(sizeof *x + 8 * sizeof x->v[0]);
		x->n = 0;
		x->cap = 8;
	} else if (x->n == x->cap) {
		x->cap *= 2;
		x = s->extra = xrealloc(x, sizeof *x + x->cap * sizeof x->v[0]);
	}
	np.flags |= flags & (MF_PARSER | MF_RULE | MF_TRANSIENT);
	x->v[x->n++] = np;
}

/*
 * Add a value to a key unless it is there already.  The search compares
 * the key and type of each pair as one masked word: rules add several
 * values to sessions that hold a dozen, and this loop was most of it.
 */
bool
session_meta_add(struct session *s, int key, const struct mval *v,
    uint8_t flags)
{
	const struct meta_extra	*x = s->extra;
	struct meta_pair	 np;
	const struct meta_pair	*p, *end;
	uint32_t		 want, mask;

	pair_make(&np, v, flags);
	np.key = (uint16_t)key;
	if (x != NULL) {
		mask = pair_head(&pair_keytype);
		want = pair_head(&np) & mask;
		for (p = x->v, end = p + x->n; p < end; p++) {
			if ((pair_head(p) & mask) == want &&
			    pair_same(p, &np, v))
				return (false);
		}
	}
	pair_push(s, np, flags);
	return (true);
}

/* Add a value the caller knows the key does not hold, without a search. */
void
session_meta_append(struct session *s, int key, const struct mval *v,
    uint8_t flags)
{
	struct meta_pair	 np;

	pair_make(&np, v, flags);
	np.key = (uint16_t)key;
	pair_push(s, np, flags);
}

/* Values of a key from the extra meta. */
size_t
session_meta_get(const struct session *s, int key, struct mval *out,
    size_t max)
{
	const struct meta_extra	*x = s->extra;
	const struct meta_pair	*p, *end;
	size_t			 n = 0;

	if (x == NULL)
		return (0);
	for (p = x->v, end = p + x->n; p < end; p++) {
		if (p->key != key)
			continue;
		if (n < max)
			pair_value(p, &out[n]);
		n++;
	}
	return (n);
}

/* Mark the keys below 64 * nwords that have extra values. */
void
session_meta_keys(const struct session *s, uint64_t *bits, size_t nwords)
{
	const struct meta_extra	*x = s->extra;
	uint32_t		 i;
	unsigned		 key;

	memset(bits, 0, nwords * sizeof *bits);
	if (x == NULL)
		return;
	for (i = 0; i < x->n; i++) {
		key = x->v[i].key;
		if (key / 64 < nwords)
			bits[key / 64] |= (uint64_t)1 << (key % 64);
	}
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
 * Spare room worth a realloc: malloc does not split off a tail smaller
 * than its least chunk (32 bytes in glibc), so a shorter one costs a call
 * and gives nothing back.
 */
#define SHRINK_MIN	32

/*
 * Give back the spare room of a closed session's extra meta: values grow
 * by doubling while parsers and rules write, and most sessions are done
 * with them at close.
 */
void
session_meta_shrink(struct session *s)
{
	struct meta_extra	*x = s->extra;

	if (x == NULL || (x->cap - x->n) * sizeof x->v[0] < SHRINK_MIN)
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
