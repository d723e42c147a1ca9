/*
 * select.c - the selection of an in-memory store that grows: the sessions
 * a query matches, kept as a seen and a match bitmap while sessions are
 * being stored (each look checks only the ids not seen yet), and as the
 * ascending ids of the store's index once the index may be read; and the
 * questions a client asks of it (counts, histogram, the list in an order).
 */
/* SPDX-License-Identifier: GPL-3.0-or-later */

#include <stdlib.h>
#include <string.h>

#include "util/util.h"
#include "view/view.h"

/* Sessions checked between two polls of a scan. */
#define SEL_POLL_EVERY	32

/* An empty selection of st for q (taken). */
void
view_sel_init(struct view_sel *s, const struct store *st, struct query *q)
{
	memset(s, 0, sizeof *s);
	s->st = st;
	s->q = q;
}

/* Free what a selection holds and empty it (its store stays). */
void
view_sel_free(struct view_sel *s)
{
	const struct store	*st = s->st;

	query_free(s->q);
	free(s->seen);
	free(s->match);
	free(s->ids);
	view_sel_init(s, st, NULL);
}

/* Whether the source is still storing sessions (a capture not ended). */
static bool
sel_capturing(const struct view_src *src)
{
	return (src->live && !src->loaded);
}

/* Whether the source's progress poll asks to stop. */
static bool
sel_poll(const struct view_src *src, uint64_t done, uint64_t total)
{
	return (src->poll != NULL && src->poll(src->arg, done, total));
}

/* Grow the bitmaps to cover every session published. */
static void
sel_grow(struct view_sel *s)
{
	uint64_t	 end = store_end(s->st), ncap;

	if (end <= s->cap)
		return;
	ncap = (end + 65536) & ~(uint64_t)63;
	s->seen = xrealloc(s->seen, ncap / 8);
	s->match = xrealloc(s->match, ncap / 8);
	memset((char *)s->seen + s->cap / 8, 0, (ncap - s->cap) / 8);
	memset((char *)s->match + s->cap / 8, 0, (ncap - s->cap) / 8);
	s->cap = ncap;
}

/* Check the sessions published since the last look; false when cancelled
 * (what was checked stays checked). */
static bool
sel_scan(struct view_sel *s, const struct view_src *src, bool *changed)
{
	const struct meta_reader *r = store_reader(s->st);
	uint64_t		 id, end, w, n = 0;

	sel_grow(s);
	end = store_end(s->st);
	for (id = 1; id < end; id++) {
		w = s->seen[id / 64];
		if (w == UINT64_MAX) {
			id |= 63;
			continue;
		}
		if ((w >> (id % 64) & 1) || !store_has(s->st, id))
			continue;
		if (++n % SEL_POLL_EVERY == 0 && sel_poll(src, id, end))
			return (false);
		s->seen[id / 64] |= (uint64_t)1 << (id % 64);
		*changed = true;
		if (query_match(s->q, r, id)) {
			s->match[id / 64] |= (uint64_t)1 << (id % 64);
			s->nmatch++;
		}
	}
	return (true);
}

/* Once every session is checked: the match set as ascending ids, so that
 * counts come from the index. */
static void
sel_ids(struct view_sel *s)
{
	uint64_t	 i, w;

	free(s->ids);
	s->ids = xreallocarray(NULL, s->nmatch + 1, sizeof *s->ids);
	s->nids = 0;
	for (i = 0; i < s->cap / 64; i++) {
		for (w = s->match[i]; w != 0 && s->nids < s->nmatch;
		    w &= w - 1)
			s->ids[s->nids++] = (uint32_t)(i * 64 +
			    (uint64_t)__builtin_ctzll(w));
	}
	s->indexed = true;
}

/* The store's progress of a selection, passed to the source's poll. */
static void
sel_select_poll(struct store_progress *p, void *arg)
{
	if (sel_poll(arg, p->done, p->total))
		p->cancel = true;
}

/*
 * Take the match set from the store's index in one go (the index may be
 * read: ingest is over or paused); false when cancelled.
 */
static bool
sel_select(struct view_sel *s, const struct view_src *src)
{
	struct store_progress	 prog = { 0, 0, false, sel_select_poll,
				    (void *)src };
	uint64_t		 id;
	size_t			 i;

	sel_grow(s);
	free(s->ids);		/* a set selected before, if any */
	s->nids = store_select_progress(s->st, s->q, &s->ids, &prog);
	if (prog.cancel) {
		free(s->ids);
		s->ids = NULL;
		s->nids = 0;
		return (false);
	}
	memset(s->match, 0, s->cap / 8);
	/* Live, only the ids stored are seen: the others may come later. */
	for (id = 0; id + 64 <= s->cap && !sel_capturing(src); id += 64)
		s->seen[id / 64] = UINT64_MAX;
	for (id = 1; id < store_end(s->st) && sel_capturing(src); id++) {
		if (store_has(s->st, id))
			s->seen[id / 64] |= (uint64_t)1 << (id % 64);
	}
	for (i = 0; i < s->nids; i++)
		s->match[s->ids[i] / 64] |= (uint64_t)1 << (s->ids[i] % 64);
	s->nmatch = s->nids;
	s->indexed = true;
	s->dropped = store_dropped(s->st);
	return (true);
}

/* Indexed and live: the sessions stored since, checked one by one. */
static bool
sel_catch_up(struct view_sel *s, const struct view_src *src, bool *changed)
{
	bool	 grew = false;

	if (s->stored == store_count(s->st))
		return (true);
	s->stored = store_count(s->st);
	if (!sel_scan(s, src, &grew))
		return (false);
	if (grew)
		sel_ids(s);
	*changed = grew;
	return (true);
}

/*
 * Bring a selection up to date: a new one (fresh) from the index when it
 * may be read, else by checking the sessions not seen yet (and once every
 * session is stored, the last of them, then the ids); after retention
 * dropped sessions, from the index again.  *changed when its set changed;
 * false when the poll cancelled it.
 */
bool
view_sel_fill(struct view_sel *s, const struct view_src *src, bool fresh,
    bool *changed)
{
	bool	 loaded = src->loaded;
	bool	 idx = loaded || src->held;

	if (s->indexed && s->dropped != store_dropped(s->st)) {
		s->dropped = store_dropped(s->st);
		s->stored = store_count(s->st);
		*changed = true;
		return (sel_select(s, src));
	}
	if (s->indexed)
		return (sel_catch_up(s, src, changed));
	/* Live, a selection made before ingest paused goes to the index. */
	if (idx && (fresh || sel_capturing(src))) {
		*changed = true;
		s->stored = store_count(s->st);
		return (sel_select(s, src));
	}
	s->stored = store_count(s->st);
	if (!sel_scan(s, src, changed))
		return (false);
	if (loaded) {
		sel_ids(s);
		*changed = true;
	}
	return (true);
}

/* Whether an indexed selection has seen every session stored and every
 * drop (nothing for view_sel_fill to do). */
bool
view_sel_current(const struct view_sel *s)
{
	return (s->indexed && s->stored == store_count(s->st) &&
	    s->dropped == store_dropped(s->st));
}

/* Whether a sessionid is in the selection. */
bool
view_sel_has(const struct view_sel *s, uint64_t id)
{
	return (id < s->cap && (s->match[id / 64] >> (id % 64) & 1));
}

/* The keep function over the match set. */
static bool
sel_keep(uint64_t id, void *arg)
{
	return (view_sel_has(arg, id));
}

/*
 * The values of key over the selection, the first top (0: all) sorted as
 * asked, into *out (caller frees), and how many distinct in *total.
 * Indexed, the index counts them (only the first top are kept); else
 * every session is read and every value kept, and *top is set to 0.
 */
size_t
view_sel_count(const struct view_sel *s, int key, enum vsort sort,
    size_t *top, struct vcount **out, size_t *total)
{
	size_t	 n;

	if (s->indexed)
		return (store_count_set(s->st, key, s->ids, s->nids, s->match,
		    s->cap, sort, *top, out, total));
	n = store_count_values(s->st, key, sel_keep, (void *)s, sort, out);
	*total = n;
	*top = 0;
	return (n);
}

/* The values of key over every session stored (not only the selection). */
size_t
view_sel_count_all(const struct view_sel *s, int key, enum vsort sort,
    struct vcount **out)
{
	return (store_count_values(s->st, key, NULL, NULL, sort, out));
}

/* The selection's sessions over time, in at most max buckets; false
 * (*cause NULL) until the selection is indexed. */
bool
view_sel_histogram(const struct view_sel *s, size_t max,
    struct store_hist *h, char **cause)
{
	*cause = NULL;
	if (!s->indexed)
		return (false);
	return (store_histogram(s->st, s->ids, s->nids, 0, max, h, cause));
}

/* Index these keys over at most limit more sessions (the first drill
 * then finds them indexed); true once they are all done. */
bool
view_sel_warm(const struct view_sel *s, const int *keys, size_t n,
    size_t limit)
{
	return (store_warm(s->st, keys, n, limit));
}

/* The sort measure of a session. */
static uint64_t
sel_measure(const struct session *ss, enum view_col col)
{
	switch (col) {
	case VIEW_COL_SIZE: return (ss->size);
	case VIEW_COL_PACKETS: return (ss->packets);
	case VIEW_COL_SERVICE: return (ss->service);
	case VIEW_COL_PROTO: return (ss->proto);
	default: return (ss->t_first);
	}
}

/* A session to sort: the column's measure and its id. */
struct sel_key {
	uint64_t	 m, id;
};

/* How a list is ordered. */
struct sel_order {
	enum view_col	 col;
	bool		 rev;
};

/* Compare by the column (largest first but time), then id. */
static int
sel_cmp(const void *a, const void *b, void *arg)
{
	const struct sel_key	*x = a, *y = b;
	const struct sel_order	*o = arg;
	int			 r;

	if (x->m != y->m) {
		r = x->m > y->m ? -1 : 1;
		if (o->col == VIEW_COL_TIME)
			r = -r;
	} else
		r = x->id < y->id ? -1 : x->id > y->id;
	return (o->rev ? -r : r);
}

/*
 * The selection's sessionids ordered by a column (time oldest first, the
 * others largest first; ties by id), the other way round when rev, into
 * *ids (caller frees; never NULL).  Returns how many.
 */
size_t
view_sel_list(const struct view_sel *s, enum view_col col, bool rev,
    uint64_t **ids)
{
	struct sel_order	 o = { col, rev };
	struct sel_key		*k;
	struct session		 buf;
	const struct session	*ss;
	uint64_t		 id;
	size_t			 i, n = 0;

	/* Each session is unpacked once, not at every comparison. */
	k = xreallocarray(NULL, s->nmatch + 1, sizeof *k);
	for (id = 1; id < s->cap && n < s->nmatch; id++) {
		if (view_sel_has(s, id) &&
		    (ss = store_get(s->st, id, &buf)) != NULL) {
			k[n].m = sel_measure(ss, col);
			k[n++].id = id;
		}
	}
	qsort_r(k, n, sizeof *k, sel_cmp, &o);
	*ids = xreallocarray(NULL, n + 1, sizeof **ids);
	for (i = 0; i < n; i++)
		(*ids)[i] = k[i].id;
	free(k);
	return (n);
}

/* A stored session by id, unpacked into buf, or NULL (as store_get). */
const struct session *
view_sel_get(const struct view_sel *s, uint64_t id, struct session *buf)
{
	return (store_get(s->st, id, buf));
}

/* The meta reader over the stored sessions (item = sessionid). */
const struct meta_reader *
view_sel_reader(const struct view_sel *s)
{
	return (store_reader(s->st));
}

/* Where the stored sessions' did names and home networks come from. */
const struct session_ctx *
view_sel_ctx(const struct view_sel *s)
{
	return (store_ctx(s->st));
}

/* Whether an item read through r (a session not stored yet) matches. */
bool
view_sel_match(const struct view_sel *s, const struct meta_reader *r,
    uint64_t item)
{
	return (query_match(s->q, r, item));
}

/* The sessions stored in all (those retention dropped included). */
uint64_t
view_sel_stored(const struct view_sel *s)
{
	return (store_count(s->st));
}
