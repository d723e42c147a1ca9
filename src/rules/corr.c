/* corr.c - correlation rules (SPEC §10): judge groups of sessions. */
/* SPDX-License-Identifier: GPL-3.0-or-later */

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "rules/rules-int.h"
#include "store/store.h"

/* Values of one group key read per session; more are left out. */
#define CORR_VALUES	16
/* Groups a session may join (every combination of its key values). */
#define CORR_COMBOS	64
/* Bytes of one group key value kept (longer text is cut). */
#define CORR_VBYTES	400
/* Open groups of a live judgement; the oldest is judged early and
   evicted. */
#define CORR_GROUPS	65536
/* Sessions one group's window keeps to mark; more still count. */
#define CORR_MEMBERS	65536
/* Distinct values one group's window keeps per distinct(); more are not
   told apart. */
#define CORR_DISTINCT	65536

/* Number of correlation rules that will be evaluated. */
size_t
rules_ncorr(const struct ruleset *rs)
{
	return (rs->ncorr);
}

/* One selected session. */
struct corr_sess {
	uint64_t	 id;
	uint64_t	 t;		/* start, nanoseconds */
	uint64_t	 size, payload;
};

/* A set of value hashes (open addressing; 0 is never stored). */
struct corr_set {
	uint64_t	*v;
	size_t		 n, max;	/* max: slots, a power of two or 0 */
};

/* One group's open window. */
struct corr_group {
	uint8_t		*key;
	size_t		 keylen;
	uint64_t	 hash;
	size_t		 chain;		/* next in its bucket, or SIZE_MAX */
	uint64_t	 start, last;	/* first and last session start */
	uint64_t	 n, size, payload;
	uint64_t	 nint;		/* intervals between starts */
	double		 mean, m2;	/* of the intervals (Welford) */
	uint64_t	*ids;		/* members to mark */
	size_t		 nids, idmax;
	struct corr_set	*sets;		/* per distinct() term */
};

/* A session and one of its group keys (bytes in the run's arena). */
struct corr_pair {
	uint64_t		 hash;
	size_t			 key;
	uint32_t		 keylen;
	const struct corr_sess	*sess;
};

/* One rule's pass over the sessions. */
struct corr_run {
	const struct rule	*r;
	const struct corr_spec	*cs;
	const struct meta_reader *mr;
	struct corr_group	*g;	/* slots */
	size_t			 ng, cap;
	size_t			*freel;	/* free slots */
	size_t			 nfree;
	size_t			*ring;	/* open slots in the order opened */
	size_t			 head, count;
	size_t			*bucket;
	size_t			 mask;
	uint64_t		*mark;	/* sessions whose group passed */
	size_t			 nmark, markmax;
	uint64_t		 evicted, dropped;
	uint64_t		*dh[CORR_DTERMS];	/* this session's
							   distinct hashes */
	size_t			 ndh[CORR_DTERMS], dhmax[CORR_DTERMS];
	struct mval		*vals;			/* read buffer */
	size_t			 nvals;
	struct corr_pair	*pairs;	/* a file run's (session, group) */
	size_t			 npairs, pairmax;
	struct buf		 arena;	/* their group keys */
	struct corr_report	*rep;	/* passed groups kept, or NULL */
	size_t			 ruleidx;
	bool			 reverse;	/* newest first: each group's
						   window ends at its newest
						   session (live) */
};

/* FNV-1a over bytes, never 0. */
static uint64_t
corr_hash(const uint8_t *p, size_t n)
{
	uint64_t	 h = 0xcbf29ce484222325ULL;
	size_t		 i;

	for (i = 0; i < n; i++)
		h = (h ^ p[i]) * 0x100000001b3ULL;
	return (h == 0 ? 1 : h);
}

/* A value as bytes (text folded) into out (CORR_VBYTES); the length. */
static size_t
corr_bytes(const struct mval *v, uint8_t *out)
{
	size_t	 i, n;

	out[0] = v->type;
	switch (v->type) {
	case MT_TEXT:
		n = v->text.n < CORR_VBYTES - 1 ? v->text.n : CORR_VBYTES - 1;
		for (i = 0; i < n; i++)
			out[1 + i] = (uint8_t)fold((unsigned char)v->text.p[i]);
		return (1 + n);
	case MT_IPV4:
		memcpy(out + 1, v->ip, 4);
		return (5);
	case MT_IPV6:
		memcpy(out + 1, v->ip, 16);
		return (17);
	case MT_MAC:
		memcpy(out + 1, v->mac, 6);
		return (7);
	default:
		memcpy(out + 1, &v->u, 8);
		return (9);
	}
}

/* Add a hash to a set; false when it was there. */
static bool
corr_set_add(struct corr_set *s, uint64_t h)
{
	size_t		 i, j;
	uint64_t	*old;

	if (s->n >= CORR_DISTINCT)
		return (false);
	if (2 * (s->n + 1) > s->max) {
		old = s->v;
		j = s->max;
		s->max = s->max == 0 ? 16 : 2 * s->max;
		s->v = xcalloc(s->max, sizeof *s->v);
		s->n = 0;
		for (i = 0; i < j; i++) {
			if (old[i] != 0)
				corr_set_add(s, old[i]);
		}
		free(old);
	}
	for (i = h & (s->max - 1); s->v[i] != 0; i = (i + 1) & (s->max - 1)) {
		if (s->v[i] == h)
			return (false);
	}
	s->v[i] = h;
	s->n++;
	return (true);
}

/* The open group of a key, or SIZE_MAX. */
static size_t
corr_find(const struct corr_run *cr, const uint8_t *key, size_t n,
    uint64_t h)
{
	size_t	 i;

	for (i = cr->bucket[h & cr->mask]; i != SIZE_MAX; i = cr->g[i].chain) {
		if (cr->g[i].hash == h && cr->g[i].keylen == n &&
		    memcmp(cr->g[i].key, key, n) == 0)
			return (i);
	}
	return (SIZE_MAX);
}

/* A group's value of an aggregate; NAN when it has none (interval needs
 * one interval, cv two and some time). */
static double
corr_agg_value(const struct corr_run *cr, const struct corr_group *g,
    enum corr_agg agg, size_t dslot)
{
	double	 w = (double)cr->cs->window / 1e9;

	switch (agg) {
	case CA_SESSIONS:	return ((double)g->n);
	case CA_DISTINCT:	return ((double)g->sets[dslot].n);
	case CA_SUMSIZE:	return ((double)g->size);
	case CA_SUMPAYLOAD:	return ((double)g->payload);
	case CA_RATE:		return ((double)g->n * 60.0 / w);
	case CA_INTERVAL:
		return (g->nint < 1 ? NAN : g->mean);
	default:
		if (g->nint < 2 || g->mean <= 0)
			return (NAN);
		return (sqrt(g->m2 / (double)g->nint) / g->mean);
	}
}

/* Whether one term holds for a group. */
static bool
corr_term_holds(const struct corr_run *cr, const struct corr_group *g,
    const struct corr_term *ct)
{
	double	 x = corr_agg_value(cr, g, ct->agg, ct->dslot);

	if (isnan(x))
		return (false);
	switch (ct->op) {
	case CO_GE:	return (x >= ct->num);
	case CO_LE:	return (x <= ct->num);
	case CO_GT:	return (x > ct->num);
	case CO_LT:	return (x < ct->num);
	case CO_EQ:	return (x == ct->num);
	default:	return (x != ct->num);
	}
}

/* Keep a passed group's figures and members in the run's report. */
static void
corr_report(struct corr_run *cr, const struct corr_group *g)
{
	struct corr_figures	 f;
	const struct corr_term	*ct;
	struct buf		 b;
	size_t			 k;

	memset(&f, 0, sizeof f);
	f.rule = cr->ruleidx;
	f.group = report_group_text(cr->cs, g->key, g->keylen);
	buf_init(&b);
	for (k = 0; k < cr->cs->nterms; k++) {
		ct = &cr->cs->terms[k];
		if (ct->agg == CA_DISTINCT)
			buf_printf(&b, "%s%s=%zu", b.len > 0 ? "," : "",
			    meta_key(ct->key)->name, g->sets[ct->dslot].n);
	}
	f.distinct = buf_take(&b);
	f.first = cr->reverse ? g->last : g->start;
	f.last = cr->reverse ? g->start : g->last;
	f.sessions = g->n;
	f.size = g->size;
	f.payload = g->payload;
	f.rate = corr_agg_value(cr, g, CA_RATE, 0);
	f.interval = corr_agg_value(cr, g, CA_INTERVAL, 0);
	f.cv = corr_agg_value(cr, g, CA_CV, 0);
	report_add(cr->rep, &f, g->ids, g->nids);
}

/* Judge a group's window: its members are marked when every term
 * holds. */
static void
corr_judge_group(struct corr_run *cr, const struct corr_group *g)
{
	bool	 pass = true;
	size_t	 k;

	for (k = 0; k < cr->cs->nterms && pass; k++)
		pass = corr_term_holds(cr, g, &cr->cs->terms[k]);
	if (!pass || g->nids == 0)
		return;
	if (cr->nmark + g->nids > cr->markmax) {
		cr->markmax = 2 * (cr->nmark + g->nids);
		cr->mark = xreallocarray(cr->mark, cr->markmax,
		    sizeof *cr->mark);
	}
	memcpy(cr->mark + cr->nmark, g->ids, g->nids * sizeof *g->ids);
	cr->nmark += g->nids;
	if (cr->rep != NULL)
		corr_report(cr, g);
}

/* Empty a group for its next window, from t (its sets and members keep
 * their room unless it grew large). */
static void
corr_restart(struct corr_run *cr, struct corr_group *g, uint64_t t)
{
	size_t	 k;

	for (k = 0; k < cr->cs->ndistinct; k++) {
		if (g->sets[k].max > 1024) {
			free(g->sets[k].v);
			g->sets[k].v = NULL;
			g->sets[k].max = 0;
		} else if (g->sets[k].v != NULL)
			memset(g->sets[k].v, 0, g->sets[k].max *
			    sizeof *g->sets[k].v);
		g->sets[k].n = 0;
	}
	g->nids = 0;
	g->n = g->size = g->payload = g->nint = 0;
	g->mean = g->m2 = 0;
	g->start = g->last = t;
}

/* Judge and close the oldest open group (the ring's head). */
static void
corr_close(struct corr_run *cr)
{
	size_t			 gi = cr->ring[cr->head], *pp, k;
	struct corr_group	*g = &cr->g[gi];

	corr_judge_group(cr, g);
	for (pp = &cr->bucket[g->hash & cr->mask]; *pp != gi;
	    pp = &cr->g[*pp].chain)
		;
	*pp = g->chain;
	for (k = 0; k < cr->cs->ndistinct; k++)
		free(g->sets[k].v);
	free(g->sets);
	free(g->ids);
	free(g->key);
	cr->freel[cr->nfree++] = gi;
	cr->head = (cr->head + 1) % cr->cap;
	cr->count--;
}

/* Open a group for a key, evicting the oldest when at the cap. */
static size_t
corr_open(struct corr_run *cr, const uint8_t *key, size_t n, uint64_t h,
    uint64_t t)
{
	struct corr_group	*g;
	size_t			 gi;

	if (cr->count == cr->cap) {
		corr_close(cr);
		cr->evicted++;
	}
	if (cr->nfree > 0)
		gi = cr->freel[--cr->nfree];
	else {
		cr->g = xreallocarray(cr->g, cr->ng + 1, sizeof *cr->g);
		gi = cr->ng++;
	}
	g = &cr->g[gi];
	memset(g, 0, sizeof *g);
	g->key = xmalloc(n);
	memcpy(g->key, key, n);
	g->keylen = n;
	g->hash = h;
	g->start = g->last = t;
	g->sets = xcalloc(cr->cs->ndistinct + 1, sizeof *g->sets);
	g->chain = cr->bucket[h & cr->mask];
	cr->bucket[h & cr->mask] = gi;
	cr->ring[(cr->head + cr->count++) % cr->cap] = gi;
	return (gi);
}

/* Add a session to a group's window. */
static void
corr_join(struct corr_run *cr, struct corr_group *g,
    const struct corr_sess *s)
{
	double	 d, delta;
	size_t	 k, j;

	if (g->n > 0) {
		d = (double)(cr->reverse ? g->last - s->t : s->t - g->last) /
		    1e9;
		g->nint++;
		delta = d - g->mean;
		g->mean += delta / (double)g->nint;
		g->m2 += delta * (d - g->mean);
	}
	g->last = s->t;
	g->n++;
	g->size += s->size;
	g->payload += s->payload;
	if (g->nids == CORR_MEMBERS)
		cr->dropped++;
	else {
		if (g->nids == g->idmax) {
			g->idmax = g->idmax == 0 ? 8 : 2 * g->idmax;
			g->ids = xreallocarray(g->ids, g->idmax,
			    sizeof *g->ids);
		}
		g->ids[g->nids++] = s->id;
	}
	for (k = 0; k < cr->cs->ndistinct; k++) {
		for (j = 0; j < cr->ndh[k]; j++)
			corr_set_add(&g->sets[k], cr->dh[k][j]);
	}
}

/* The values of one group key of a session, as bytes; how many (an
 * absent key counts as one empty value). */
static size_t
corr_key_values(const struct corr_run *cr, uint64_t id, int key,
    uint8_t (*out)[CORR_VBYTES], size_t *len)
{
	struct mval	 v[CORR_VALUES];
	size_t		 n, i;

	n = cr->mr->values(cr->mr, id, key, v, CORR_VALUES);
	if (n > CORR_VALUES)
		n = CORR_VALUES;
	for (i = 0; i < n; i++)
		len[i] = corr_bytes(&v[i], out[i]);
	if (n == 0)
		len[n++] = 0;
	return (n);
}

/* Read every value of a key of a session (up to CORR_DISTINCT) into the
 * run's buffer; how many. */
static size_t
corr_read_all(struct corr_run *cr, uint64_t id, int key)
{
	size_t	 n;

	n = cr->mr->values(cr->mr, id, key, cr->vals, cr->nvals);
	if (n > cr->nvals) {
		cr->nvals = n < CORR_DISTINCT ? n : CORR_DISTINCT;
		cr->vals = xreallocarray(cr->vals, cr->nvals,
		    sizeof *cr->vals);
		n = cr->mr->values(cr->mr, id, key, cr->vals, cr->nvals);
	}
	return (n < cr->nvals ? n : cr->nvals);
}

/* Read the values of a session that its distinct() terms count. */
static void
corr_distinct_values(struct corr_run *cr, uint64_t id)
{
	const struct corr_term	*ct;
	size_t			 n, i, k, d;
	uint64_t		 h;

	for (k = 0; k < cr->cs->nterms; k++) {
		ct = &cr->cs->terms[k];
		if (ct->agg != CA_DISTINCT)
			continue;
		d = ct->dslot;
		n = corr_read_all(cr, id, ct->key);
		if (n > cr->dhmax[d]) {
			cr->dhmax[d] = n;
			cr->dh[d] = xreallocarray(cr->dh[d], n,
			    sizeof *cr->dh[d]);
		}
		for (i = 0; i < n; i++) {
			h = mval_hash(&cr->vals[i]);
			cr->dh[d][i] = h == 0 ? 1 : h;
		}
		cr->ndh[d] = n;
	}
}

/* Add a session to the group of one combination of its key values. */
static void
corr_add_combo(struct corr_run *cr, const struct corr_sess *s,
    const uint8_t *key, size_t n)
{
	uint64_t	 h = corr_hash(key, n);
	size_t		 gi = corr_find(cr, key, n, h);

	if (gi == SIZE_MAX)
		gi = corr_open(cr, key, n, h, s->t);
	corr_join(cr, &cr->g[gi], s);
}

/* Whether a group's window ended before a session (sessions come in time
 * order, or newest first when reverse). */
static bool
corr_ended(const struct corr_run *cr, const struct corr_group *g,
    const struct corr_sess *s)
{
	if (cr->reverse)
		return (s->t + cr->cs->window <= g->start);
	return (g->start + cr->cs->window <= s->t);
}

/* What to do with each group key a session has. */
typedef void (*corr_combo_fn)(struct corr_run *, const struct corr_sess *,
    const uint8_t *, size_t);

/* Call fn with each group key of a session: one per combination of its
 * values of the group keys. */
static void
corr_combos(struct corr_run *cr, const struct corr_sess *s, corr_combo_fn fn)
{
	static uint8_t	 vb[CORR_KEYS][CORR_VALUES][CORR_VBYTES];
	uint8_t		 key[CORR_KEYS * (CORR_VBYTES + 2)];
	size_t		 vl[CORR_KEYS][CORR_VALUES], nv[CORR_KEYS];
	size_t		 at[CORR_KEYS], k, n, combos;

	for (k = 0; k < cr->cs->nkeys; k++) {
		nv[k] = corr_key_values(cr, s->id, cr->cs->keys[k], vb[k],
		    vl[k]);
		at[k] = 0;
	}
	for (combos = 0; combos < CORR_COMBOS; combos++) {
		for (n = 0, k = 0; k < cr->cs->nkeys; k++) {
			key[n++] = (uint8_t)(vl[k][at[k]] >> 8);
			key[n++] = (uint8_t)vl[k][at[k]];
			memcpy(key + n, vb[k][at[k]], vl[k][at[k]]);
			n += vl[k][at[k]];
		}
		fn(cr, s, key, n);
		for (k = 0; k < cr->cs->nkeys && ++at[k] == nv[k]; k++)
			at[k] = 0;
		if (k == cr->cs->nkeys)
			break;
	}
}

/* Add a session to each group it belongs to, closing the windows that
 * have ended (a live judgement: groups open side by side). */
static void
corr_session(struct corr_run *cr, const struct corr_sess *s)
{
	while (cr->count > 0 && corr_ended(cr, &cr->g[cr->ring[cr->head]], s))
		corr_close(cr);
	corr_distinct_values(cr, s->id);
	corr_combos(cr, s, corr_add_combo);
}

/* Keep a (session, group key) pair of a file run. */
static void
corr_pair_add(struct corr_run *cr, const struct corr_sess *s,
    const uint8_t *key, size_t n)
{
	struct corr_pair	*p;

	if (cr->npairs == cr->pairmax) {
		cr->pairmax = cr->pairmax == 0 ? 256 : 2 * cr->pairmax;
		cr->pairs = xreallocarray(cr->pairs, cr->pairmax,
		    sizeof *cr->pairs);
	}
	p = &cr->pairs[cr->npairs++];
	p->hash = corr_hash(key, n);
	p->key = cr->arena.len;
	p->keylen = (uint32_t)n;
	p->sess = s;
	buf_add(&cr->arena, key, n);
}

/* Compare pairs by group key (its hash first), then by start. */
static int
corr_paircmp(const void *a, const void *b, void *arg)
{
	const struct corr_pair	*x = a, *y = b;
	const struct buf	*arena = arg;
	int			 c;

	if (x->hash != y->hash)
		return (x->hash < y->hash ? -1 : 1);
	if (x->keylen != y->keylen)
		return (x->keylen < y->keylen ? -1 : 1);
	if ((c = memcmp(arena->s + x->key, arena->s + y->key,
	    x->keylen)) != 0)
		return (c);
	return (x->sess < y->sess ? -1 : x->sess > y->sess);
}

/* Whether two pairs are of one group. */
static bool
corr_pair_same(const struct corr_run *cr, const struct corr_pair *x,
    const struct corr_pair *y)
{
	return (x->hash == y->hash && x->keylen == y->keylen &&
	    memcmp(cr->arena.s + x->key, cr->arena.s + y->key,
	    x->keylen) == 0);
}

/*
 * A file run: the sessions (in time order) as (session, group key) pairs
 * sorted by group, then walked one group at a time through its tumbling
 * windows, so groups never need to be open side by side (no cap).
 */
static void
corr_walk(struct corr_run *cr, const struct corr_sess *ss, size_t n)
{
	struct corr_group	 g;
	const struct corr_pair	*p;
	size_t			 i, k;

	for (i = 0; i < n; i++)
		corr_combos(cr, &ss[i], corr_pair_add);
	if (cr->npairs > 1)
		qsort_r(cr->pairs, cr->npairs, sizeof *cr->pairs, corr_paircmp,
		    &cr->arena);
	memset(&g, 0, sizeof g);
	g.sets = xcalloc(cr->cs->ndistinct + 1, sizeof *g.sets);
	for (i = 0; i < cr->npairs; i++) {
		p = &cr->pairs[i];
		if (i == 0 || !corr_pair_same(cr, p, p - 1) ||
		    corr_ended(cr, &g, p->sess)) {
			if (i > 0)
				corr_judge_group(cr, &g);
			g.key = (uint8_t *)cr->arena.s + p->key;
			g.keylen = p->keylen;
			corr_restart(cr, &g, p->sess->t);
		}
		corr_distinct_values(cr, p->sess->id);
		corr_join(cr, &g, p->sess);
	}
	if (cr->npairs > 0)
		corr_judge_group(cr, &g);
	for (k = 0; k < cr->cs->ndistinct; k++)
		free(g.sets[k].v);
	free(g.sets);
	free(g.ids);
}

/* Compare selected sessions by start, then sessionid. */
static int
corr_sesscmp(const void *a, const void *b)
{
	const struct corr_sess	*x = a, *y = b;

	if (x->t != y->t)
		return (x->t < y->t ? -1 : 1);
	return (x->id < y->id ? -1 : x->id > y->id);
}

/* Compare selected sessions newest first. */
static int
corr_sesscmp_rev(const void *a, const void *b)
{
	return (corr_sesscmp(b, a));
}

/* One core value of a session as a number (a time: nanoseconds). */
static uint64_t
corr_num(const struct meta_reader *mr, uint64_t id, int key)
{
	struct mval	 v;

	if (mr->values(mr, id, key, &v, 1) == 0)
		return (0);
	return (v.u);
}

/* Add a selected session to a list. */
static void
corr_keep(const struct meta_reader *mr, uint64_t id, struct corr_sess **v,
    size_t *n, size_t *max)
{
	if (*n == *max) {
		*max = *max == 0 ? 256 : 2 * *max;
		*v = xreallocarray(*v, *max, sizeof **v);
	}
	(*v)[*n].id = id;
	(*v)[*n].t = corr_num(mr, id, K_TIME);
	(*v)[*n].size = corr_num(mr, id, K_SIZE);
	(*v)[*n].payload = corr_num(mr, id, K_PAYLOAD);
	(*n)++;
}

/*
 * The stored sessions a rule's condition selects, in time order: every
 * one (through the index, as a query on the store would), or of the
 * candidates those that started at since or later (matched one by one:
 * on a live capture the index is not read), newest first.
 */
static size_t
corr_select(const struct store *st, const struct rule *r,
    const struct meta_reader *mr, const struct corr_cand *cand,
    size_t ncand, uint64_t since, struct corr_sess **out)
{
	struct corr_sess	*v = NULL;
	uint32_t		*ids;
	size_t			 n = 0, max = 0, k, m;

	if (cand == NULL) {
		m = store_select(st, r->q, &ids);
		for (k = 0; k < m; k++)
			corr_keep(mr, ids[k], &v, &n, &max);
		free(ids);
	} else {
		for (k = 0; k < ncand; k++) {
			if (cand[k].t >= since && store_has(st, cand[k].id) &&
			    query_match(r->q, mr, cand[k].id))
				corr_keep(mr, cand[k].id, &v, &n, &max);
		}
	}
	if (n > 1)
		qsort(v, n, sizeof *v, cand != NULL ? corr_sesscmp_rev :
		    corr_sesscmp);
	*out = v;
	return (n);
}

/* Compare sessionids for qsort. */
static int
corr_idcmp(const void *a, const void *b)
{
	uint64_t	 x = *(const uint64_t *)a, y = *(const uint64_t *)b;

	return (x < y ? -1 : x > y);
}

/* Give each marked session the rule's name, as rule re-apply writes;
 * returns how many gained it. */
static uint64_t
corr_mark(struct store *st, const struct rule *r, uint64_t *ids, size_t n)
{
	struct session	 s;
	uint64_t	 gained = 0;
	uint8_t		 lower = MF_LOWER;
	size_t		 i;

	for (i = 0; i < r->namelen; i++) {
		if (r->name[i] >= 'A' && r->name[i] <= 'Z')
			lower = 0;
	}
	if (n > 1)
		qsort(ids, n, sizeof *ids, corr_idcmp);
	for (i = 0; i < n; i++) {
		if ((i > 0 && ids[i] == ids[i - 1]) ||
		    store_get(st, ids[i], &s) == NULL)
			continue;
		session_meta_own(&s);
		if (session_meta_add(&s, r->alert, &r->value, MF_RULE | lower)) {
			gained++;
			store_update(st, ids[i], &s);
		}
		session_meta_free(&s);
	}
	return (gained);
}

/* The cap on open groups: $HUNTCON_CORR_GROUPS or the default.  The
 * variable is for tests: a file's groups are then judged side by side
 * under it, as a live judgement judges them. */
static size_t
corr_cap(void)
{
	const char	*e = getenv("HUNTCON_CORR_GROUPS");
	uint64_t	 v;

	if (e != NULL && parse_u64(e, strlen(e), &v) && v > 0 &&
	    v <= CORR_GROUPS)
		return ((size_t)v);
	return (CORR_GROUPS);
}

/* Say what the caps cut from one rule's run. */
static void
corr_warn(const struct corr_run *cr, FILE *warn)
{
	if (warn != NULL && cr->evicted > 0)
		fprintf(warn, "huntcon: correlation rule '%s': %llu groups "
		    "judged early and evicted (at most %zu open)\n",
		    esc_str(cr->r->name), (unsigned long long)cr->evicted,
		    cr->cap);
	if (warn != NULL && cr->dropped > 0)
		fprintf(warn, "huntcon: correlation rule '%s': %llu sessions "
		    "counted but not marked (at most %d per window)\n",
		    esc_str(cr->r->name), (unsigned long long)cr->dropped,
		    CORR_MEMBERS);
}

/* Run one correlation rule over the stored sessions (or the candidates
 * that started at since or later, when cand is not NULL). */
uint64_t
corr_judge(const struct ruleset *rs, size_t ri, struct store *st,
    const struct corr_cand *cand, size_t ncand, uint64_t since, FILE *warn,
    struct corr_report *rep)
{
	const struct rule	*r = &rs->rules[ri];
	struct corr_run		 cr;
	struct corr_sess	*ss;
	size_t			 n, i, nb;
	uint64_t		 gained;

	memset(&cr, 0, sizeof cr);
	cr.rep = rep;
	cr.ruleidx = ri;
	cr.reverse = cand != NULL;
	cr.r = r;
	cr.cs = r->corr;
	cr.mr = store_reader(st);
	cr.cap = corr_cap();
	for (nb = 16; nb < 2 * cr.cap; nb *= 2)
		;
	cr.mask = nb - 1;
	cr.bucket = xreallocarray(NULL, nb, sizeof *cr.bucket);
	memset(cr.bucket, 0xff, nb * sizeof *cr.bucket);
	cr.ring = xreallocarray(NULL, cr.cap, sizeof *cr.ring);
	cr.freel = xreallocarray(NULL, cr.cap + 1, sizeof *cr.freel);
	buf_init(&cr.arena);
	n = corr_select(st, r, cr.mr, cand, ncand, since, &ss);
	if (cand == NULL && getenv("HUNTCON_CORR_GROUPS") == NULL)
		corr_walk(&cr, ss, n);
	else {
		for (i = 0; i < n; i++)
			corr_session(&cr, &ss[i]);
	}
	while (cr.count > 0)
		corr_close(&cr);
	gained = corr_mark(st, r, cr.mark, cr.nmark);
	corr_warn(&cr, warn);
	for (i = 0; i < CORR_DTERMS; i++)
		free(cr.dh[i]);
	free(cr.vals);
	free(cr.pairs);
	buf_free(&cr.arena);
	free(ss);
	free(cr.g);
	free(cr.freel);
	free(cr.ring);
	free(cr.bucket);
	free(cr.mark);
	return (gained);
}

/* Keys written since the index was built, as a query_walk argument. */
struct corr_stale {
	const int	*keys;
	size_t		 n;
	bool		 hit;		/* a condition reads one */
};

/* query_walk callback: whether a condition reads a stale key. */
static void
corr_stale_read(const struct query_cond *c, bool neg, void *arg)
{
	struct corr_stale	*cs = arg;
	size_t			 i;

	(void)neg;
	for (i = 0; i < cs->n; i++) {
		if (c->key == cs->keys[i])
			cs->hit = true;
	}
}

/*
 * Run the correlation rules, in order, over every stored session, and
 * keep the groups that passed in *rep when rep is not NULL.  A rule
 * selects through the index, rebuilt first when it reads a key an
 * earlier rule wrote (keys nobody wrote index the same), and at the end
 * when any was written.
 */
uint64_t
rules_correlate_report(const struct ruleset *rs, struct store *st,
    FILE *warn, struct corr_report **rep)
{
	struct corr_report	*r = rep != NULL ? report_new() : NULL;
	struct corr_stale	 sk;
	int			*keys = xcalloc(rs->ncorr + 1, sizeof *keys);
	uint64_t		 gained = 0, g;
	size_t			 k;

	memset(&sk, 0, sizeof sk);
	sk.keys = keys;
	for (k = 0; k < rs->ncorr; k++) {
		sk.hit = false;
		query_walk(rs->rules[rs->corr[k]].q, corr_stale_read, &sk);
		if (sk.hit) {
			store_reindex(st);
			sk.n = 0;
		}
		g = corr_judge(rs, rs->corr[k], st, NULL, 0, 0, warn, r);
		if (g > 0)
			keys[sk.n++] = rs->rules[rs->corr[k]].alert;
		gained += g;
	}
	if (sk.n > 0)
		store_reindex(st);
	free(keys);
	if (rep != NULL) {
		report_finish(r);
		*rep = r;
	}
	return (gained);
}

/* Run the correlation rules, in order, over every stored session. */
uint64_t
rules_correlate(const struct ruleset *rs, struct store *st, FILE *warn)
{
	return (rules_correlate_report(rs, st, warn, NULL));
}
