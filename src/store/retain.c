/* retain.c - the store keeps sessions within a window (store.retain,
 * store.max_sessions) and frees the memory of those it drops. */
/* SPDX-License-Identifier: GPL-3.0-or-later */

#include <stdlib.h>
#include <string.h>

#include "store/store-int.h"

/* How long dropped memory waits for readers on other threads (ns). */
#define RETAIN_GRACE_NS		1000000000ULL
/* A pass between exact ones: every this part of the window, at least. */
#define RETAIN_STEPS		64
#define RETAIN_STEP_MIN_NS	1000000000ULL
/* Sessions past the cap before a pass between exact ones, at least. */
#define RETAIN_SLACK_MIN	256

/* Keep sessions whose last packet is within age ns, at most max. */
void
store_retain_set(struct store *st, uint64_t age, uint64_t max)
{
	struct store_retain	*rt = &st->ret;

	rt->age = age;
	rt->max = max;
	if ((age != 0 || max != 0) && rt->clive == NULL) {
		rt->clive = xcalloc(STORE_NCHUNK, sizeof *rt->clive);
		rt->bfirst = st->nblock;
		rt->afirst = st->nadopted;
		rt->cfirst = (store_end(st) - 1 + STORE_CHUNK - 1) >>
		    STORE_CHUNK_BITS;
	}
}

/* No reader runs beside the writer: free dropped memory at once. */
void
store_solo(struct store *st)
{
	st->ret.solo = true;
}

/* Whether the store drops sessions. */
static bool
retain_on(const struct store *st)
{
	return (st->ret.age != 0 || st->ret.max != 0);
}

/* Grow a live count array to cover index i. */
static void
retain_grow(uint32_t **a, size_t *n, size_t i)
{
	size_t	 m;

	if (i < *n)
		return;
	m = *n == 0 ? 64 : *n * 2;
	if (m <= i)
		m = i + 1;
	*a = xreallocarray(*a, m, sizeof **a);
	memset(*a + *n, 0, (m - *n) * sizeof **a);
	*n = m;
}

/* The live count of a block (own or adopted). */
static uint32_t *
retain_live(struct store *st, uint32_t blk)
{
	struct store_retain	*rt = &st->ret;
	size_t			 i = blk & ~RETAIN_ADOPTED;

	if (blk & RETAIN_ADOPTED) {
		retain_grow(&rt->alive, &rt->nalive, i);
		return (&rt->alive[i]);
	}
	retain_grow(&rt->blive, &rt->nblive, i);
	return (&rt->blive[i]);
}

/* Put memory aside until no reader can hold it (at once when solo). */
static void
retain_limbo(struct store *st, void *p)
{
	struct store_retain	*rt = &st->ret;

	if (p == NULL)
		return;
	if (rt->solo) {
		free(p);
		return;
	}
	if (rt->nlimbo == rt->caplimbo) {
		rt->caplimbo = rt->caplimbo == 0 ? 64 : rt->caplimbo * 2;
		rt->limbo = xreallocarray(rt->limbo, rt->caplimbo,
		    sizeof *rt->limbo);
	}
	rt->limbo[rt->nlimbo].p = p;
	rt->limbo[rt->nlimbo++].at = clock_ns(CLOCK_MONOTONIC);
}

/* Free what waited in limbo long enough (all of it when all). */
static void
retain_reap(struct store *st, bool all)
{
	struct store_retain	*rt = &st->ret;
	uint64_t		 now = all ? UINT64_MAX :
				    clock_ns(CLOCK_MONOTONIC);
	size_t			 i, j;

	for (i = j = 0; i < rt->nlimbo; i++) {
		if (all || rt->limbo[i].at + RETAIN_GRACE_NS <= now)
			free(rt->limbo[i].p);
		else
			rt->limbo[j++] = rt->limbo[i];
	}
	rt->nlimbo = j;
}

/* Free a block no record lives in, unless it is still being filled. */
static void
retain_block_done(struct store *st, uint32_t blk)
{
	size_t	 i = blk & ~RETAIN_ADOPTED;

	if (blk == RETAIN_NOBLK || *retain_live(st, blk) != 0)
		return;
	if (blk & RETAIN_ADOPTED) {
		if (i >= st->ret.afirst && i + 1 < st->nadopted &&
		    st->adopted[i] != NULL) {
			retain_limbo(st, st->adopted[i]);
			st->adopted[i] = NULL;
		}
	} else if (i >= st->ret.bfirst && i + 1 < st->nblock &&
	    st->block[i] != NULL) {
		retain_limbo(st, st->block[i]);
		st->block[i] = NULL;
	}
}

/* A block begun: the one before it is complete and may be free. */
void
retain_block(struct store *st, uint32_t blk)
{
	if (!retain_on(st) || (blk & ~RETAIN_ADOPTED) == 0)
		return;
	retain_block_done(st, blk - 1);
}

/* Note a session stored: id, its last packet (ns), its record's block. */
void
retain_note(struct store *st, uint64_t id, uint64_t t, uint32_t blk)
{
	struct store_retain	*rt = &st->ret;
	struct retain_ent	*q;
	size_t			 i;

	if (!retain_on(st))
		return;
	if (rt->qn == rt->qcap) {
		q = xreallocarray(NULL, rt->qcap == 0 ? 1024 : rt->qcap * 2,
		    sizeof *q);
		for (i = 0; i < rt->qn; i++)
			q[i] = rt->q[(rt->qhead + i) % rt->qcap];
		free(rt->q);
		rt->q = q;
		rt->qcap = rt->qcap == 0 ? 1024 : rt->qcap * 2;
		rt->qhead = 0;
	}
	rt->q[(rt->qhead + rt->qn++) % rt->qcap] = (struct retain_ent){
		id, t, blk };
	if (blk != RETAIN_NOBLK)
		(*retain_live(st, blk))++;
	rt->clive[(id - 1) >> STORE_CHUNK_BITS]++;
}

/* Drop one session: its slot, its record, and what only it held. */
static void
retain_drop(struct store *st, const struct retain_ent *e)
{
	struct store_retain	*rt = &st->ret;
	uint64_t		 c = (e->id - 1) >> STORE_CHUNK_BITS;
	uint8_t			*r = store_record(st, e->id);

	if (r == NULL)
		return;
	store_publish(st, e->id, NULL);
	if (r[0] & STORE_HEAP)
		retain_limbo(st, r);
	if (e->blk != RETAIN_NOBLK) {
		(*retain_live(st, e->blk))--;
		retain_block_done(st, e->blk);
	}
	if (--rt->clive[c] == 0 && c >= rt->cfirst &&
	    c < ((store_end(st) - 1) >> STORE_CHUNK_BITS)) {
		retain_limbo(st, (void *)st->chunk[c]);
		st->chunk[c] = NULL;
	}
}

/* Whether a kept session is older than the window at clock now. */
static bool
retain_old(const struct store_retain *rt, const struct retain_ent *e,
    uint64_t now)
{
	return (rt->age != 0 && e->t < now && now - e->t > rt->age);
}

/* Whether the oldest kept session goes now. */
static bool
retain_due(const struct store_retain *rt, uint64_t now)
{
	if (rt->qn == 0)
		return (false);
	if (rt->max != 0 && rt->qn > rt->max)
		return (true);
	return (retain_old(rt, &rt->q[rt->qhead], now));
}

/* Add an id to the list of those dropped. */
static void
retain_list(uint64_t **ids, size_t *n, uint64_t id)
{
	if (*n % 4096 == 0)
		*ids = xreallocarray(*ids, *n + 4096, sizeof **ids);
	(*ids)[(*n)++] = id;
}

/*
 * Drop the old sessions behind a younger one (sessions close in their
 * own time: a flush at the end of input, idle timeouts against a TCP
 * close), keeping the others in their order.
 */
static void
retain_sweep(struct store *st, uint64_t now, uint64_t **ids, size_t *n)
{
	struct store_retain	*rt = &st->ret;
	struct retain_ent	*e;
	size_t			 i, j;

	for (i = j = 0; i < rt->qn; i++) {
		e = &rt->q[(rt->qhead + i) % rt->qcap];
		if (retain_old(rt, e, now)) {
			retain_list(ids, n, e->id);
			retain_drop(st, e);
		} else
			rt->q[(rt->qhead + j++) % rt->qcap] = *e;
	}
	rt->qn = j;
}

/* Whether a pass is due (always when exact). */
static bool
retain_pass_due(const struct store_retain *rt, uint64_t now, bool exact)
{
	uint64_t	 step = rt->age / RETAIN_STEPS, slack = rt->max / 64;

	if (exact)
		return (true);
	if (step < RETAIN_STEP_MIN_NS)
		step = RETAIN_STEP_MIN_NS;
	if (slack < RETAIN_SLACK_MIN)
		slack = RETAIN_SLACK_MIN;
	if (rt->max != 0 && rt->qn > rt->max + slack)
		return (true);
	return (rt->age != 0 && now >= rt->lastpass + step);
}

/* Build the index again over the kept sessions, in closing order. */
static void
retain_reindex(struct store *st)
{
	struct store_retain	*rt = &st->ret;
	size_t			 i;

	index_free(st->index);
	st->index = index_new(st, &st->ctx);
	for (i = 0; i < rt->qn; i++)
		index_add(st->index, rt->q[(rt->qhead + i) % rt->qcap].id);
}

/*
 * Drop the sessions outside the window at clock now (ns): the oldest past
 * store.max_sessions, in the order they closed, and those whose last
 * packet is older than store.retain.  Between exact passes (exact false)
 * a pass runs only every 1/64 of the window or 1/64 past the cap and
 * drops the oldest only while they are old, so that ingest pays little;
 * an exact pass also drops the old ones behind a younger one.
 */
void
store_retain(struct store *st, uint64_t now, bool exact)
{
	struct store_retain	*rt = &st->ret;
	uint64_t		*ids = NULL;
	size_t			 n = 0;

	if (!retain_on(st) || !retain_pass_due(rt, now, exact))
		return;
	rt->lastpass = now;
	while (retain_due(rt, now)) {
		retain_list(&ids, &n, rt->q[rt->qhead].id);
		retain_drop(st, &rt->q[rt->qhead]);
		rt->qhead = (rt->qhead + 1) % rt->qcap;
		rt->qn--;
	}
	if (exact && rt->age != 0)
		retain_sweep(st, now, &ids, &n);
	if (n > 0) {
		if (!index_drop(st->index, ids, n))
			retain_reindex(st);
		atomic_fetch_add_explicit(&rt->dropped, n,
		    memory_order_relaxed);
		store_changed(st);
	}
	free(ids);
	retain_reap(st, false);
}

/* Sessions dropped by retention. */
uint64_t
store_dropped(const struct store *st)
{
	return (atomic_load_explicit(&st->ret.dropped, memory_order_relaxed));
}

/* Sessions kept now. */
uint64_t
store_kept(const struct store *st)
{
	if (st->discard)
		return (0);
	return (store_count(st) - store_dropped(st));
}

/* The window: its age (ns) and cap (sessions), 0 for none. */
void
store_window(const struct store *st, uint64_t *age, uint64_t *max)
{
	*age = st->ret.age;
	*max = st->ret.max;
}

/* Free what retention holds (the store's own memory is freed by it). */
void
retain_free(struct store *st)
{
	struct store_retain	*rt = &st->ret;

	retain_reap(st, true);
	free(rt->limbo);
	free(rt->q);
	free(rt->blive);
	free(rt->alive);
	free(rt->clive);
}
