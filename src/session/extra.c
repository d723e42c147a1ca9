/* extra.c - meta written by parsers and rules, kept per session. */
/* SPDX-License-Identifier: GPL-3.0-or-later */

#include <netinet/in.h>
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
 * texts are equal folded only when their ids are.  Known when the writer
 * says so (MF_LOWER: rule names); other text goes without it.
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

/* Encode a value as a pair (key and flags left to the caller). */
static inline void
pair_make(struct meta_pair *p, const struct mval *v)
{
	p->type = v->type & 0xf;
	p->flags = 0;
	p->prec = v->type == MT_TIME ? v->prec : 0;
	switch (v->type) {
	case MT_UINT: case MT_TIME:
		if (v->u > UINT32_MAX) {
			p->val = meta_pool_put(&v->u, sizeof v->u);
			p->flags = PAIR_POOLED;
		} else
			p->val = (uint32_t)v->u;
		break;
	case MT_TEXT:
		p->val = meta_pool_put(v->text.p, v->text.n);
		break;
	case MT_IPV4:
		memcpy(&p->val, v->ip, 4);
		break;
	default:
		p->val = meta_pool_put(v->ip, v->type == MT_MAC ? 6 : 16);
	}
}

/*
 * Whether a pair already holds the value np encodes (text t, tn, or NULL
 * to read np's text from the pool): equal ids, or text equal with ASCII
 * case folded, which needs the bytes only when either text may hold a
 * capital.
 */
static inline bool
pair_same(const struct meta_pair *p, const struct meta_pair *np,
    const char *t, uint32_t tn)
{
	const char	*ht;
	uint32_t	 hn;

	if (p->type != MT_TEXT)
		return (p->val == np->val &&
		    (p->flags & PAIR_POOLED) == (np->flags & PAIR_POOLED));
	if (p->val == np->val)
		return (true);
	if (p->flags & np->flags & PAIR_LOWER)
		return (false);
	if (t == NULL)		/* a pooled value: its bytes are in the pool */
		t = meta_pool_get(np->val, &tn);
	ht = meta_pool_get(p->val, &hn);
	return (fold_eq(ht, hn, t, tn));
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

/*
 * An open session has room for its first values right after it (most end
 * with 4 to 16), so writing them allocates nothing: the parsers' thread
 * writes them and the engine's thread frees the session, and memory
 * allocated on one thread and freed on another is slow to come by.
 */
#define XINLINE_TCP	16
/* A DNS session ends with 5 to 9, an ICMP one with 1 or 2. */
#define XINLINE_OTHER	10

/* The values session_open() makes room for after a session. */
uint8_t
session_meta_inline(uint8_t proto)
{
	return (proto == IPPROTO_TCP ? XINLINE_TCP : XINLINE_OTHER);
}

/* Bytes of room after a session for n values. */
size_t
session_meta_inline_size(uint8_t n)
{
	return (sizeof(struct meta_extra) + n * sizeof(struct meta_pair));
}

/* The room after a session for its first values, or NULL. */
static inline struct meta_extra *
pair_inline(struct session *s)
{
	return (s->xinline > 0 ? (struct meta_extra *)(void *)(s + 1) : NULL);
}

/* Store a made pair (key set) at the end of a session's extra meta. */
static inline void
pair_push(struct session *s, struct meta_pair np, uint8_t flags)
{
	struct meta_extra	*x, *nx;

	session_meta_own(s);
	if ((x = s->extra) == NULL) {
		if ((x = pair_inline(s)) != NULL)
			x->cap = s->xinline;
		else {
			x = xmalloc(sizeof *x + 12 * sizeof x->v[0]);
			x->cap = 12;
		}
		x->n = 0;
		s->extra = x;
	} else if (x->n == x->cap) {
		if (x == pair_inline(s)) {
			nx = xmalloc(sizeof *x + 2 * x->cap * sizeof x->v[0]);
			memcpy(nx, x, sizeof *x + x->n * sizeof x->v[0]);
			x = nx;
		} else
			x = xrealloc(x, sizeof *x + 2 * x->cap *
			    sizeof x->v[0]);
		x->cap *= 2;
		s->extra = x;
	}
	np.flags |= flags & (MF_PARSER | MF_RULE | MF_TRANSIENT);
	x->v[x->n++] = np;
	s->xkeys |= (uint64_t)1 << (np.key % 64);
}

/*
 * Add the pair np (key set) unless the key has it (text: t, tn).  The
 * search compares the key and type of each pair as one masked word: rules
 * add several values to sessions that hold a dozen, and this loop was most
 * of it.  There is no search when xkeys says the key has no value yet, as
 * for most values a parser writes.
 */
static bool
meta_put(struct session *s, struct meta_pair np, const char *t, uint32_t tn,
    uint8_t flags)
{
	const struct meta_extra	*x;
	const struct meta_pair	*p, *end;
	uint32_t		 want, mask;

	session_meta_own(s);
	if ((x = s->extra) != NULL &&
	    (s->xkeys & (uint64_t)1 << (np.key % 64)) != 0) {
		mask = pair_head(&pair_keytype);
		want = pair_head(&np) & mask;
		for (p = x->v, end = p + x->n; p < end; p++) {
			if ((pair_head(p) & mask) == want &&
			    pair_same(p, &np, t, tn))
				return (false);
		}
	}
	pair_push(s, np, flags);
	return (true);
}

/* Add a value to a key unless it is there already. */
bool
session_meta_add(struct session *s, int key, const struct mval *v,
    uint8_t flags)
{
	struct meta_pair	 np;

	pair_make(&np, v);
	np.key = (uint16_t)key;
	return (meta_put(s, np, v->type == MT_TEXT ? v->text.p : NULL,
	    v->type == MT_TEXT ? v->text.n : 0, flags));
}

/* The pair of a pooled text value. */
static inline struct meta_pair
pair_pooled(int key, uint32_t id, uint8_t flags)
{
	struct meta_pair	 np;

	memset(&np, 0, sizeof np);
	np.key = (uint16_t)key;
	np.type = MT_TEXT;
	np.flags = (flags & MF_LOWER) ? PAIR_LOWER : 0;
	np.val = id;
	return (np);
}

/* Add pooled text the caller knows the key does not hold, unsearched. */
void
session_meta_append_pooled(struct session *s, int key, uint32_t id,
    uint8_t flags)
{
	pair_push(s, pair_pooled(key, id, flags), flags);
}

/* Add a text value by its pool id unless it is there already. */
bool
session_meta_add_pooled(struct session *s, int key, uint32_t id,
    uint8_t flags)
{
	/* The value's bytes are read only when a pair of the key differs. */
	return (meta_put(s, pair_pooled(key, id, flags), NULL, 0, flags));
}

/*
 * A walk over a session's pairs, held in an array (an open session, or a
 * view given its own copy) or packed in a stored record (a view): there
 * each pair is a varint key, a byte of type (low 4 bits) and flags, the
 * precision for a time, and a varint val.
 */
struct pair_walk {
	const struct meta_pair	*v;
	const uint8_t		*p;
	uint32_t		 i, n;
};

static void
walk_init(struct pair_walk *w, const struct session *s)
{
	w->i = 0;
	w->v = NULL;
	w->p = s->xpacked;
	if (s->xpacked != NULL)
		w->n = s->xpn;
	else if (s->extra != NULL) {
		w->v = s->extra->v;
		w->n = s->extra->n;
	} else
		w->n = 0;
}


static inline bool
walk_next(struct pair_walk *w, struct meta_pair *out)
{
	uint8_t		 b;

	if (w->i >= w->n)
		return (false);
	if (w->v != NULL) {
		*out = w->v[w->i++];
		return (true);
	}
	w->i++;
	out->key = (uint16_t)varint_read(&w->p);
	b = *w->p++;
	out->type = b & 0xf;
	out->flags = b >> 4;
	out->prec = out->type == MT_TIME ? *w->p++ : 0;
	out->val = (uint32_t)varint_read(&w->p);
	return (true);
}

/* Values of a key from the extra meta. */
size_t
session_meta_get(const struct session *s, int key, struct mval *out,
    size_t max)
{
	const struct meta_pair	*a, *end;
	struct pair_walk	 w;
	struct meta_pair	 p;
	size_t			 n = 0;

	if (s->xpacked == NULL) {
		/* An open session's array: walked in place. */
		if (s->extra == NULL)
			return (0);
		for (a = s->extra->v, end = a + s->extra->n; a < end; a++) {
			if (a->key != key)
				continue;
			if (n < max)
				pair_value(a, &out[n]);
			n++;
		}
		return (n);
	}
	walk_init(&w, s);
	while (walk_next(&w, &p)) {
		if (p.key != key)
			continue;
		if (n < max)
			pair_value(&p, &out[n]);
		n++;
	}
	return (n);
}

/* Pool ids of a key's text values (same contract as session_meta_get). */
size_t
session_meta_text_ids(const struct session *s, int key, uint32_t *out,
    size_t max)
{
	struct pair_walk	 w;
	struct meta_pair	 p;
	size_t			 n = 0;

	walk_init(&w, s);
	while (walk_next(&w, &p)) {
		if (p.key != key || p.type != MT_TEXT)
			continue;
		if (n < max)
			out[n] = p.val;
		n++;
	}
	return (n);
}

/* Remove the values written with any of these flags. */
void
session_meta_drop(struct session *s, uint8_t flags)
{
	struct meta_extra	*x;
	uint32_t		 i, j = 0;

	session_meta_own(s);
	s->xkeys = 0;
	if ((x = s->extra) == NULL)
		return;
	for (i = 0; i < x->n; i++) {
		if (!(x->v[i].flags & flags)) {
			x->v[j++] = x->v[i];
			s->xkeys |= (uint64_t)1 << (x->v[i].key % 64);
		}
	}
	x->n = j;
}

/* Number of extra values. */
uint32_t
session_meta_count(const struct session *s)
{
	return (s->xpacked != NULL ? s->xpn : s->extra == NULL ? 0 :
	    s->extra->n);
}


/* Most bytes session_meta_pack writes. */
size_t
session_meta_pack_bound(const struct session *s)
{
	/* n, then per value key 3, type 1, precision 1, val 5. */
	return (5 + (size_t)session_meta_count(s) * 10);
}

/* Write the extra meta packed at p; returns the bytes. */
size_t
session_meta_pack(const struct session *s, uint8_t *p)
{
	struct pair_walk	 w;
	struct meta_pair	 mp;
	size_t			 n;

	walk_init(&w, s);
	n = varint_put(p, w.n);
	while (walk_next(&w, &mp)) {
		n += varint_put(p + n, mp.key);
		p[n++] = (uint8_t)(mp.type | mp.flags << 4);
		if (mp.type == MT_TIME)
			p[n++] = mp.prec;
		n += varint_put(p + n, mp.val);
	}
	return (n);
}

/* Read the extra meta of a view from its packed form (not owned). */
const uint8_t *
session_meta_view(struct session *s, const uint8_t *p)
{
	s->extra = NULL;
	s->xpn = (uint32_t)varint_read(&p);
	s->xpacked = p;
	s->xkeys = UINT64_MAX;	/* not known: any key may be there */
	return (p);
}

/* Give a view its own copy of the extra meta, to change it. */
void
session_meta_own(struct session *s)
{
	struct pair_walk	 w;
	struct meta_extra	*x;

	if (s->xpacked == NULL)
		return;
	walk_init(&w, s);
	x = xmalloc(sizeof *x + (w.n > 0 ? w.n : 1) * sizeof x->v[0]);
	x->n = 0;
	x->cap = w.n > 0 ? w.n : 1;
	s->xkeys = 0;
	while (walk_next(&w, &x->v[x->n])) {
		s->xkeys |= (uint64_t)1 << (x->v[x->n].key % 64);
		x->n++;
	}
	s->extra = x;
	s->xpacked = NULL;
	s->xpn = 0;
}

/* Whether two sessions hold the same extra values in the same order. */
bool
session_meta_equal(const struct session *a, const struct session *b)
{
	struct pair_walk	 wa, wb;
	struct meta_pair	 pa, pb;

	walk_init(&wa, a);
	walk_init(&wb, b);
	if (wa.n != wb.n)
		return (false);
	while (walk_next(&wa, &pa) && walk_next(&wb, &pb)) {
		if (pa.key != pb.key || pa.type != pb.type ||
		    pa.flags != pb.flags || pa.prec != pb.prec ||
		    pa.val != pb.val)
			return (false);
	}
	return (true);
}

/* Free what the extra meta holds on the heap. */
void
session_meta_release(struct session *s)
{
	if (s->extra != pair_inline(s))
		free(s->extra);
}

/* Free the extra meta (a view's packed meta is not its own). */
void
session_meta_free(struct session *s)
{
	session_meta_release(s);
	s->extra = NULL;
	s->xpacked = NULL;
	s->xpn = 0;
	s->xkeys = 0;
}
