/* sets.c - small value sets and the compact per-session packet index. */
/* SPDX-License-Identifier: GPL-3.0-or-later */

#include <stdlib.h>
#include <string.h>

#include "session/session.h"

/* Add a value to a set unless it is there already. */
void
u16set_add(struct u16set *set, uint16_t v)
{
	uint16_t	*p = set->cap == 0 ? set->v.in : set->v.heap;
	uint16_t	 i, *np;

	for (i = 0; i < set->n; i++) {
		if (p[i] == v)
			return;
	}
	if (set->n == UINT16_MAX)
		return;
	if (set->cap == 0 && set->n == nitems(set->v.in)) {
		np = xreallocarray(NULL, 8, sizeof *np);
		memcpy(np, set->v.in, sizeof set->v.in);
		set->v.heap = np;
		set->cap = 8;
	} else if (set->cap != 0 && set->n == set->cap) {
		set->cap = set->cap > UINT16_MAX / 2 ? UINT16_MAX : set->cap * 2;
		set->v.heap = xreallocarray(set->v.heap, set->cap, sizeof *np);
	}
	p = set->cap == 0 ? set->v.in : set->v.heap;
	p[set->n++] = v;
}

/* The i-th value of a set in first-seen order. */
uint16_t
u16set_get(const struct u16set *set, uint16_t i)
{
	return (set->cap == 0 ? set->v.in[i] : set->v.heap[i]);
}

/* Free a set's heap storage. */
void
u16set_free(struct u16set *set)
{
	if (set->cap != 0)
		free(set->v.heap);
	memset(set, 0, sizeof *set);
}

/*
 * Add a packet ordinal.  Ordinals are stored as zigzag varint deltas from
 * the previous one: packets of one session are close together in the input,
 * so most take one or two bytes.
 */
void
pktidx_add(struct pktidx *x, uint64_t *last, uint64_t ord)
{
	int64_t		 delta = (int64_t)(ord - *last);
	uint64_t	 zz = ((uint64_t)delta << 1) ^ (uint64_t)(delta >> 63);
	uint8_t		 v[10], *heap;
	size_t		 n = varint_put(v, zz);

	*last = ord;
	if (x->cap == 0 && x->len + n <= PKTIDX_INLINE) {
		memcpy(x->in + x->len, v, n);
		x->len += (uint32_t)n;
		return;
	}
	if (x->cap == 0) {
		heap = xmalloc(32);
		memcpy(heap, x->in, x->len);
		x->buf = heap;
		x->cap = 32;
	} else if (x->cap - x->len < n) {
		x->cap *= 2;
		x->buf = xrealloc(x->buf, x->cap);
	}
	memcpy(x->buf + x->len, v, n);
	x->len += (uint32_t)n;
}

/* Free an open session's packet index. */
void
pktidx_free(struct pktidx *x)
{
	if (x->cap != 0)
		free(x->buf);
	memset(x, 0, sizeof *x);
}

/* Step through the ordinals: *pos starts at 0; false at the end. */
bool
pktidx_next(const struct pktidx *x, uint32_t *pos, uint64_t *ord)
{
	static const uint64_t	 none = 0;
	uint64_t		 zz, prev;
	size_t			 n;

	const uint8_t		*b = pktidx_bytes(x);

	if (*pos >= x->len)
		return (false);
	prev = *pos == 0 ? none : *ord;
	n = varint_get(b + *pos, b + x->len, &zz);
	if (n == 0)
		return (false);
	*pos += (uint32_t)n;
	*ord = prev + (uint64_t)((int64_t)(zz >> 1) ^ -(int64_t)(zz & 1));
	return (true);
}
