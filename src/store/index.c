/* index.c - per-key value dictionaries and posting lists of sessionids. */
/* SPDX-License-Identifier: GPL-3.0-or-later */

#include <stdlib.h>
#include <string.h>

#include "store/store-int.h"

#define INDEX_CHUNK	65536		/* text arena chunk */
#define INDEX_IDSTEP	65536		/* per-id arrays grow by at least */

/*
 * Per-session measures answered by scanning, never indexed (and
 * packets.missing, which grows as the spool deletes files).
 */
static const int index_skip[] = {
	K_SESSIONID, K_TIME, K_LIFETIME, K_SIZE, K_PAYLOAD, K_REQPAYLOAD,
	K_RESPAYLOAD, K_PAYLOAD_RATIO_REQ, K_PACKETS, K_SESSION_FIRST,
	K_PACKETS_MISSING
};

/* Whether a key is indexed. */
bool
index_indexed(int key)
{
	size_t	 i;

	if (key < 0)
		return (false);
	if (key >= K_NCORE)
		return (true);
	for (i = 0; i < nitems(index_skip); i++) {
		if (index_skip[i] == key)
			return (false);
	}
	return (true);
}

/* mval_eq, quicker for the fixed-size types. */
static inline bool
index_eq(const struct mval *a, const struct mval *b)
{
	uint32_t	 x, y;

	if (a->type != b->type)
		return (false);
	switch (a->type) {
	case MT_UINT:
	case MT_TIME:
		return (a->u == b->u);
	case MT_IPV4:
		memcpy(&x, a->ip, 4);
		memcpy(&y, b->ip, 4);
		return (x == y);
	case MT_TEXT:
		return (fold_eq(a->text.p, a->text.n, b->text.p, b->text.n));
	case MT_MAC:
		return (memcmp(a->mac, b->mac, 6) == 0);
	}
	return (memcmp(a->ip, b->ip, 16) == 0);
}

/* Make an empty index over a store's sessions, meta read with ctx. */
struct index *
index_new(const struct store *st, const struct session_ctx *ctx)
{
	struct index	*x;

	x = xcalloc(1, sizeof *x);
	x->st = st;
	x->ctx = ctx;
	return (x);
}

/* Free one key's dictionary and lists. */
static void
index_key_free(struct index_key *k)
{
	uint32_t	 i;

	for (i = 0; i < k->nval; i++) {
		if (k->iv[i].post.cap != 0)
			free(k->iv[i].post.v.heap);
	}
	free(k->val);
	free(k->iv);
	free(k->slot);
	free(k->col);
}

/* Free an index. */
void
index_free(struct index *x)
{
	size_t	 i;
	int	 key;

	if (x == NULL)
		return;
	for (key = 0; key < x->nkeys; key++)
		index_key_free(&x->key[key]);
	for (i = 0; i < x->nchunk; i++)
		free(x->chunk[i]);
	free(x->chunk);
	free(x->key);
	free(x->present);
	free(x->sp);
	free(x->start);
	free(x->added);
	free(x);
}

/* Copy text into the arena, which never moves. */
static const char *
index_copy(struct index *x, const char *p, size_t n)
{
	char	*s;

	if (x->nchunk == 0 || x->chunkcap - x->used < n) {
		x->chunkcap = n > INDEX_CHUNK ? n : INDEX_CHUNK;
		x->chunk = xreallocarray(x->chunk, x->nchunk + 1,
		    sizeof *x->chunk);
		x->chunk[x->nchunk++] = xmalloc(x->chunkcap);
		x->used = 0;
	}
	s = x->chunk[x->nchunk - 1] + x->used;
	memcpy(s, p, n);
	x->used += n;
	return (s);
}

static bool	index_advance(struct index *, const int *, size_t, size_t);

/* The entry of a key, up to date, or NULL. */
struct index_key *
index_key_get(const struct index *cx, int key)
{
	struct index	*x = (struct index *)(uintptr_t)cx;

	if (key < 0 || !index_indexed(key))
		return (NULL);
	index_sync(x);
	if (key >= x->nkeys)
		return (NULL);
	(void)index_advance(x, &key, 1, SIZE_MAX);
	return (&x->key[key]);
}

/*
 * A single-valued key's value id + 1 by sessionid, made from its posting
 * lists when first asked for and again when they grew: counts over a
 * selection then cost one read per session selected instead of one per
 * session with the key.
 */
const uint32_t *
index_column(const struct index *x, struct index_key *k, int key)
{
	const uint32_t	*a;
	uint32_t	 vid, i;

	if (meta_key(key)->flags & MK_MULTI)
		return (NULL);
	if (k->col != NULL && k->colpost == k->npost &&
	    k->coln >= x->nwords * 64)
		return (k->col);
	free(k->col);
	k->coln = x->nwords * 64;
	k->col = xcalloc(k->coln ? k->coln : 1, sizeof *k->col);
	for (vid = 0; vid < k->nval; vid++) {
		a = index_post_raw(&k->iv[vid].post);
		for (i = 0; i < k->iv[vid].post.n; i++)
			k->col[a[i]] = vid + 1;
	}
	k->colpost = k->npost;
	return (k->col);
}

/* A value's id, or UINT32_MAX. */
uint32_t
index_lookup(const struct index_key *k, const struct mval *v)
{
	uint32_t	 i, mask = k->nslot - 1;

	if (k->nslot == 0)
		return (UINT32_MAX);
	for (i = mval_hash(v) & mask; k->slot[i] != 0; i = (i + 1) & mask) {
		if (index_eq(&k->val[k->slot[i] - 1], v))
			return (k->slot[i] - 1);
	}
	return (UINT32_MAX);
}

/* Double a key's hash table and place every value again. */
static void
index_rehash(struct index_key *k)
{
	uint32_t	 i, j, mask;

	free(k->slot);
	k->nslot = k->nslot == 0 ? 16 : k->nslot * 2;
	k->slot = xcalloc(k->nslot, sizeof *k->slot);
	mask = k->nslot - 1;
	for (i = 0; i < k->nval; i++) {
		for (j = mval_hash(&k->val[i]) & mask; k->slot[j] != 0;
		    j = (j + 1) & mask)
			;
		k->slot[j] = i + 1;
	}
}

/* Grow a key's per-value arrays for one more value. */
static void
index_grow_values(struct index_key *k)
{
	if (k->nval < k->capval)
		return;
	k->capval = k->capval == 0 ? 4 : k->capval < 65536 ? k->capval * 2 :
	    k->capval + k->capval / 4;
	k->val = xreallocarray(k->val, k->capval, sizeof *k->val);
	k->iv = xreallocarray(k->iv, k->capval, sizeof *k->iv);
}

/* Add a new value (text copied) to a key; returns its id. */
static uint32_t
index_value_new(struct index *x, struct index_key *k, const struct mval *v,
    uint32_t id)
{
	uint32_t	 vid = k->nval, i, mask;

	if (2 * (k->nval + 1) > k->nslot)
		index_rehash(k);
	index_grow_values(k);
	k->val[vid] = *v;
	if (v->type == MT_TEXT && v->text.n > 0)
		k->val[vid].text.p = index_copy(x, v->text.p, v->text.n);
	memset(&k->iv[vid], 0, sizeof k->iv[vid]);
	k->iv[vid].minid = id;
	k->nval++;
	mask = k->nslot - 1;
	for (i = mval_hash(v) & mask; k->slot[i] != 0; i = (i + 1) & mask)
		;
	k->slot[i] = vid + 1;
	return (vid);
}

/* Find or add a value; a lower sessionid's text spelling wins. */
static uint32_t
index_value(struct index *x, struct index_key *k, const struct mval *v,
    uint32_t id)
{
	struct mval	*have;
	uint32_t	 vid;

	if (k->last != 0 && index_eq(&k->val[k->last - 1], v))
		vid = k->last - 1;
	else if ((vid = index_lookup(k, v)) == UINT32_MAX)
		vid = index_value_new(x, k, v, id);
	k->last = vid + 1;
	if (id < k->iv[vid].minid) {
		k->iv[vid].minid = id;
		have = &k->val[vid];
		/* Folded text has the same length: overwrite the spelling. */
		if (have->type == MT_TEXT && have->text.n == v->text.n &&
		    have->text.n > 0)
			memcpy((char *)(uintptr_t)have->text.p, v->text.p,
			    v->text.n);
	}
	return (vid);
}

/* Append a sessionid to a posting list. */
static void
index_post_add(struct index_post *p, uint32_t id)
{
	uint32_t	*a, cap;

	if (p->cap == 0 && p->n < nitems(p->v.in)) {
		p->v.in[p->n++] = id;
		return;
	}
	if (p->cap == 0) {
		a = xreallocarray(NULL, 4, sizeof *a);
		memcpy(a, p->v.in, sizeof p->v.in);
		p->v.heap = a;
		p->cap = 4;
	} else if (p->n == p->cap) {
		cap = p->cap < 4096 ? p->cap * 2 : p->cap + p->cap / 4;
		if (cap > 0x7fffffff)
			fatal("posting list too long");
		p->v.heap = xreallocarray(p->v.heap, cap, sizeof *p->v.heap);
		p->cap = cap;
	}
	p->v.heap[p->n++] = id;
}

/* The ids of a posting list in whatever order they are. */
const uint32_t *
index_post_raw(const struct index_post *p)
{
	return (p->cap == 0 ? p->v.in : p->v.heap);
}

/* Make room for sessionid id in the per-id arrays and key table. */
static void
index_grow(struct index *x, uint32_t id, int nkeys)
{
	size_t	 old = x->nwords, words;

	if (nkeys > x->nkeys) {
		x->key = xreallocarray(x->key, nkeys, sizeof *x->key);
		memset(x->key + x->nkeys, 0,
		    (nkeys - x->nkeys) * sizeof *x->key);
		x->nkeys = nkeys;
	}
	if ((size_t)id / 64 < old)
		return;
	words = old + (old / 4 > INDEX_IDSTEP / 64 ? old / 4 : INDEX_IDSTEP / 64);
	if (words <= (size_t)id / 64)
		words = (size_t)id / 64 + INDEX_IDSTEP / 64;
	x->present = xreallocarray(x->present, words, sizeof *x->present);
	memset(x->present + old, 0, (words - old) * sizeof *x->present);
	x->nwords = words;
}

/* Index one value of a session (the session's values are distinct). */
static void
index_add_value(struct index *x, struct index_key *k, const struct mval *v,
    const struct session *s, uint32_t id)
{
	struct index_val	*iv;
	uint32_t		 vid;

	if (k->seen != id) {
		k->seen = id;
		k->nsess++;
	}
	vid = index_value(x, k, v, id);		/* may move k->iv */
	iv = &k->iv[vid];
	index_post_add(&iv->post, id);
	iv->size += s->size;
	iv->packets += s->packets;
	k->npost++;
}

/* Index one core key of a session. */
static void
index_add_key(struct index *x, int key, const struct session *s,
    const struct session_ctx *ctx, uint32_t id)
{
	struct mval	 small[16], *v = small;
	size_t		 n, i, j;

	n = session_values(s, ctx, key, v, nitems(small));
	if (n == 0)
		return;
	if (n > nitems(small)) {
		v = xreallocarray(NULL, n, sizeof *v);
		n = session_values(s, ctx, key, v, n);
	}
	for (i = 0; i < n; i++) {
		for (j = 0; j < i && !index_eq(&v[j], &v[i]); j++)
			;
		if (j == i)
			index_add_value(x, &x->key[key], &v[i], s, id);
	}
	if (v != small)
		free(v);
}

/* Index the extra (rule- and parser-written) values of one key. */
static void
index_add_extra(struct index *x, int key, const struct session *s)
{
	struct mval	 small[16], *v = small;
	size_t		 n, i;

	/* session_meta_add keeps each key's values distinct. */
	n = session_meta_get(s, key, v, nitems(small));
	if (n > nitems(small)) {
		v = xreallocarray(NULL, n, sizeof *v);
		n = session_meta_get(s, key, v, n);
	}
	for (i = 0; i < n; i++)
		index_add_value(x, &x->key[key], &v[i], s, (uint32_t)s->id);
	if (v != small)
		free(v);
}

/* Index one key of one session. */
static void
index_add_session(struct index *x, int key, const struct session *s,
    uint32_t id)
{
	if (key < K_NCORE)
		index_add_key(x, key, s, x->ctx, id);
	else
		index_add_extra(x, key, s);
}

/*
 * Bring keys (those indexed; duplicates allowed) up to date over at most
 * limit more sessions, in one pass, each session unpacked once rather than
 * once a key.  True when they are all up to date.
 */
static bool
index_advance(struct index *x, const int *keys, size_t nkeys, size_t limit)
{
	struct index_key	*k;
	struct session		 s;
	size_t			 i, j, from = x->nadded, to;
	uint32_t		 id;
	bool			 have;

	for (j = 0; j < nkeys; j++) {
		if (keys[j] >= 0 && keys[j] < x->nkeys &&
		    index_indexed(keys[j]) && x->key[keys[j]].done < from)
			from = x->key[keys[j]].done;
	}
	to = x->nadded - from > limit ? from + limit : x->nadded;
	for (i = from; i < to; i++) {
		id = x->added[i];
		have = store_get(x->st, id, &s) != NULL;
		for (j = 0; j < nkeys; j++) {
			if (keys[j] < 0 || keys[j] >= x->nkeys ||
			    !index_indexed(keys[j]))
				continue;
			k = &x->key[keys[j]];
			if (k->done != i)
				continue;
			if (have)
				index_add_session(x, keys[j], &s, id);
			k->done++;
		}
	}
	return (to == x->nadded);
}

/*
 * Bring several keys up to date over at most limit more sessions; gather
 * sizes once they are.  True then.
 */
bool
index_warm(const struct index *cx, const int *keys, size_t nkeys,
    size_t limit)
{
	struct index	*x = (struct index *)(uintptr_t)cx;

	index_sync(x);
	if (!index_advance(x, keys, nkeys, limit))
		return (false);
	(void)index_sizes(x);
	return (true);
}

/* Make the key table cover every registered key. */
void
index_sync(struct index *x)
{
	int	 nkeys = meta_nkeys();

	if (nkeys > x->nkeys)
		index_grow(x, 0, nkeys);
}

/*
 * Every added session's size and packets by id, for counts that sum them
 * over a selection; built when first asked for, since a run that only
 * lists or counts whole keys never needs them.
 */
const struct index_sp *
index_sizes(const struct index *cx)
{
	struct index	*x = (struct index *)(uintptr_t)cx;
	struct session	 s;
	uint32_t	 id;

	if (x->spn < x->nwords * 64) {
		x->sp = xreallocarray(x->sp, x->nwords * 64, sizeof *x->sp);
		memset(x->sp + x->spn, 0,
		    (x->nwords * 64 - x->spn) * sizeof *x->sp);
		x->spn = x->nwords * 64;
	}
	for (; x->spdone < x->nadded; x->spdone++) {
		id = x->added[x->spdone];
		if (store_get(x->st, id, &s) != NULL) {
			x->sp[id].size = s.size;
			x->sp[id].packets = s.packets;
		}
	}
	return (x->sp);
}

/*
 * Every added session's start time by id, for the sessions-over-time
 * histogram; built when first asked for, like the sizes.
 */
const uint64_t *
index_starts(const struct index *cx)
{
	struct index	*x = (struct index *)(uintptr_t)cx;
	struct session	 s;
	uint32_t	 id;

	if (x->startn < x->nwords * 64) {
		x->start = xreallocarray(x->start, x->nwords * 64,
		    sizeof *x->start);
		memset(x->start + x->startn, 0,
		    (x->nwords * 64 - x->startn) * sizeof *x->start);
		x->startn = x->nwords * 64;
	}
	for (; x->startdone < x->nadded; x->startdone++) {
		id = x->added[x->startdone];
		if (store_get(x->st, id, &s) != NULL)
			x->start[id] = s.t_first;
	}
	return (x->start);
}

/* Record a closed session; its values are indexed when first read. */
void
index_add(struct index *x, uint64_t id64)
{
	uint32_t	 id;

	if (id64 > UINT32_MAX)
		fatal("more than %u sessions", UINT32_MAX);
	id = (uint32_t)id64;
	if (x->nadded == x->capadded) {
		x->capadded = x->capadded == 0 ? 4096 : x->capadded * 2;
		x->added = xreallocarray(x->added, x->capadded,
		    sizeof *x->added);
	}
	x->added[x->nadded++] = id;
	index_grow(x, id, x->nkeys);
	bits_set(x->present, id);
	x->nsess++;
}

/*
 * Drop sessions from an index that has built nothing yet: their bits go,
 * and the list of sessions to index keeps the others in their order.
 * False, untouched, when a key was read or sizes or starts gathered (the
 * caller builds a new index then).
 */
bool
index_drop(struct index *x, const uint64_t *ids, size_t n)
{
	size_t	 i, j;
	int	 key;

	if (x->spdone > 0 || x->startdone > 0)
		return (false);
	for (key = 0; key < x->nkeys; key++) {
		if (x->key[key].done > 0)
			return (false);
	}
	for (i = 0; i < n; i++) {
		if (ids[i] / 64 < x->nwords &&
		    bits_has(x->present, (uint32_t)ids[i])) {
			x->present[ids[i] >> 6] &= ~(1ULL << (ids[i] & 63));
			x->nsess--;
		}
	}
	for (i = j = 0; i < x->nadded; i++) {
		if (bits_has(x->present, x->added[i]))
			x->added[j++] = x->added[i];
	}
	x->nadded = j;
	return (true);
}
