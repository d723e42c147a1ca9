/* extra.c - meta written by parsers and rules, kept per session. */
/* SPDX-License-Identifier: GPL-3.0-or-later */

#include <stdlib.h>
#include <string.h>

#include "session/session.h"

/*
 * One value in 16 bytes: numbers inline; text, addresses and MACs in the
 * arena at off (len bytes), or for MF_STATIC text at the caller's sp.
 */
struct meta_pair {
	uint16_t	 key;
	uint8_t		 type;
	uint8_t		 flags;
	uint32_t	 len : 24;
	uint32_t	 prec : 8;
	union {
		uint64_t	 u;
		uint32_t	 off;
		const char	*sp;	/* MF_STATIC text */
	};
};

/* Whether a pair's bytes live in the arena. */
static inline bool
pair_in_arena(const struct meta_pair *p)
{
	return (p->type != MT_UINT && p->type != MT_TIME &&
	    !(p->type == MT_TEXT && (p->flags & MF_STATIC)));
}

/* Bytes of an address or MAC value. */
static uint32_t
pair_bytes(uint8_t type)
{
	return (type == MT_IPV4 ? 4 : type == MT_MAC ? 6 : 16);
}

struct meta_extra {
	struct meta_pair *v;
	uint32_t	 n, cap;
	char		*arena;
	uint32_t	 alen, acap;
};

/* The value a pair holds. */
static void
pair_value(const struct meta_extra *x, const struct meta_pair *p,
    struct mval *v)
{
	v->type = p->type;
	v->prec = p->prec;
	switch (p->type) {
	case MT_UINT: case MT_TIME:
		v->u = p->u;
		break;
	case MT_TEXT:
		/* An empty text may come before the arena exists. */
		v->text.p = (p->flags & MF_STATIC) ? p->sp : p->len == 0 ? "" :
		    x->arena + p->off;
		v->text.n = p->len;
		break;
	default:
		memset(v->ip, 0, sizeof v->ip);
		memcpy(v->ip, x->arena + p->off, p->len);
	}
}

/* Copy text into the arena; returns its offset. */
static uint32_t
extra_copy(struct meta_extra *x, const char *p, uint32_t n)
{
	uint32_t	 off = x->alen;

	if (n == 0)
		return (off);
	if (x->acap - x->alen < n) {
		while (x->acap - x->alen < n)
			x->acap = x->acap == 0 ? 64 : x->acap * 2;
		x->arena = xrealloc(x->arena, x->acap);
	}
	memcpy(x->arena + off, p, n);
	x->alen += n;
	return (off);
}

/* Add a value to a key unless it is there already. */
bool
session_meta_add(struct session *s, int key, const struct mval *v,
    uint8_t flags)
{
	struct meta_extra	*x = s->extra;
	struct meta_pair	*p;
	struct mval		 have;
	uint32_t		 i;

	if (x == NULL)
		x = s->extra = xcalloc(1, sizeof *x);
	for (i = 0; i < x->n; i++) {
		if (x->v[i].key != key)
			continue;
		pair_value(x, &x->v[i], &have);
		if (mval_eq(&have, v))
			return (false);
	}
	if (x->n == x->cap) {
		x->cap = x->cap == 0 ? 4 : x->cap * 2;
		x->v = xreallocarray(x->v, x->cap, sizeof *x->v);
	}
	p = &x->v[x->n++];
	memset(p, 0, sizeof *p);
	p->key = (uint16_t)key;
	p->type = v->type;
	p->flags = flags;
	p->prec = v->prec;
	if (v->type == MT_UINT || v->type == MT_TIME)
		p->u = v->u;
	else if (v->type == MT_TEXT) {
		p->len = v->text.n < 0xffffff ? v->text.n : 0xffffff;
		if (flags & MF_STATIC)
			p->sp = v->text.p;
		else
			p->off = extra_copy(x, v->text.p, p->len);
	} else {
		p->len = pair_bytes(v->type);
		p->off = extra_copy(x, (const char *)v->ip, p->len);
	}
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
			pair_value(x, &x->v[i], &out[n]);
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
	pair_value(x, &x->v[i], v);
	return (true);
}

/*
 * Remove the values written with any of these flags, and compact the text
 * so that re-applying rules again and again does not grow the session.
 */
void
session_meta_drop(struct session *s, uint8_t flags)
{
	struct meta_extra	*x = s->extra;
	char			*old;
	uint32_t		 i, j = 0;

	if (x == NULL)
		return;
	for (i = 0; i < x->n; i++) {
		if (!(x->v[i].flags & flags))
			x->v[j++] = x->v[i];
	}
	x->n = j;
	old = x->arena;
	x->arena = NULL;
	x->alen = x->acap = 0;
	for (i = 0; i < x->n; i++) {
		if (pair_in_arena(&x->v[i]))
			x->v[i].off = extra_copy(x, old + x->v[i].off,
			    x->v[i].len);
	}
	free(old);
}

/*
 * Give back the spare room of a closed session's extra meta: values and
 * text grow by doubling while parsers and rules write, and most sessions
 * are done with them at close (a third of the memory of an HTTP-heavy
 * capture was spare room).
 */
void
session_meta_shrink(struct session *s)
{
	struct meta_extra	*x = s->extra;

	if (x == NULL)
		return;
	if (x->n < x->cap) {
		x->cap = x->n > 0 ? x->n : 1;
		x->v = xreallocarray(x->v, x->cap, sizeof *x->v);
	}
	if (x->alen < x->acap && x->alen > 0) {
		x->acap = x->alen;
		x->arena = xrealloc(x->arena, x->acap);
	}
}

/* Free the extra meta. */
void
session_meta_free(struct session *s)
{
	if (s->extra == NULL)
		return;
	free(s->extra->v);
	free(s->extra->arena);
	free(s->extra);
	s->extra = NULL;
}
