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
/* Sessions of a store's list read at a time (a page, by time). */
#define SEL_PAGE	1000

/* An empty selection of st for q (taken). */
void
view_sel_init(struct view_sel *s, const struct store *st, struct query *q)
{
	memset(s, 0, sizeof *s);
	s->st = st;
	s->q = q;
}

/* An empty selection for q (taken) that asks what s asks: the same
 * store, remote store (and its size, once known) and wait. */
void
view_sel_again(struct view_sel *n, const struct view_sel *s,
    struct query *q)
{
	view_sel_init(n, s->st, q);
	n->remote = s->remote;
	n->all = s->all;
	n->timeout = s->timeout;
	n->wait = s->wait;
	n->warg = s->warg;
}

/* Free what a selection holds and empty it (what it asks stays). */
void
view_sel_free(struct view_sel *s)
{
	struct view_sel	 old = *s;
	size_t		 i;

	query_free(s->q);
	free(s->seen);
	free(s->match);
	free(s->ids);
	for (i = 0; i < s->npages; i++)
		view_page_free(s->remote, &s->pages[i]);
	free(s->pages);
	free(s->failed);
	view_sel_again(s, &old, NULL);
}

/* How long a store's answer may take (ns, 0: no limit), and what is
 * polled while it works (true cancels). */
void
view_sel_wait(struct view_sel *s, uint64_t timeout, bool (*wait)(void *),
    void *arg)
{
	s->timeout = timeout;
	s->wait = wait;
	s->warg = arg;
}

/* Ask the store behind v instead of scanning (an empty selection). */
void
view_sel_remote(struct view_sel *s, struct view *v)
{
	s->remote = v;
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

/* Keep why a store's answer failed (taken), for the client to say. */
static void
sel_fail(struct view_sel *s, char *cause)
{
	free(s->failed);
	s->failed = cause != NULL ? cause : xstrdup("the store failed");
}

/* A request of the selection's query (q: NULL for every session), with
 * the client's deadline and poll (view_sel_wait). */
static void
sel_req(struct view_sel *s, struct view_req *r, const struct query *q)
{
	view_req_init(r, q);
	if (s->timeout != 0)
		r->deadline = clock_ns(CLOCK_MONOTONIC) + s->timeout;
	r->poll = s->wait;
	r->arg = s->warg;
}

/* Over a store: a new path's size (and once, the store's). */
static bool
sel_remote_fill(struct view_sel *s, bool fresh, bool *changed)
{
	struct view_req	 r;
	char		*cause = NULL;

	if (!fresh && s->indexed)
		return (true);
	s->indexed = true;
	*changed = true;
	sel_req(s, &r, NULL);
	if (s->all == 0 && !s->remote->ops->size(s->remote->impl, &r,
	    &s->all, &cause))
		sel_fail(s, cause);
	cause = NULL;
	sel_req(s, &r, s->q);
	if (s->failed == NULL && !s->remote->ops->size(s->remote->impl, &r,
	    &s->nmatch, &cause))
		sel_fail(s, cause);
	/* Cancelled (not late): the client keeps the path it had. */
	return (!atomic_load(&r.cancel));
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

	if (s->remote != NULL)
		return (sel_remote_fill(s, fresh, changed));
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
	if (s->remote != NULL)
		return (s->indexed);
	return (s->indexed && s->stored == store_count(s->st) &&
	    s->dropped == store_dropped(s->st));
}

/* Whether a sessionid is in the selection. */
bool
view_sel_has(const struct view_sel *s, uint64_t id)
{
	if (s->remote != NULL)
		return (id < s->nlisted);
	return (id < s->cap && (s->match[id / 64] >> (id % 64) & 1));
}

/* Counts copied into one block (values' text after the array), so that
 * free() frees them and the store's answer may go. */
static size_t
sel_copy(const struct vcount *v, size_t n, struct vcount **out)
{
	size_t	 i, text = 0;
	char	*p;

	for (i = 0; i < n; i++)
		text += v[i].v.type == MT_TEXT ? v[i].v.text.n : 0;
	*out = xmalloc(n * sizeof **out + text + 1);
	p = (char *)(*out + n);
	for (i = 0; i < n; i++) {
		(*out)[i] = v[i];
		if (v[i].v.type != MT_TEXT)
			continue;
		if (v[i].v.text.n > 0)
			memcpy(p, v[i].v.text.p, v[i].v.text.n);
		(*out)[i].v.text.p = p;
		p += v[i].v.text.n;
	}
	return (n);
}

/* Over a store: the values of key over q's sessions, as the store
 * counts them; partial or failed noted. */
static size_t
sel_remote_count(struct view_sel *s, const struct query *q, int key,
    enum vsort sort, size_t top, struct vcount **out, size_t *total)
{
	struct view_req		 r;
	struct view_counts	 c;
	char			*cause = NULL;
	size_t			 n;

	memset(&c, 0, sizeof c);
	*out = NULL;
	*total = 0;
	/* Once the store failed the path (or was cancelled), the other
	 * keys are not asked: a new path or c asks again.  A path the
	 * store found empty has no values to count either. */
	if (s->failed != NULL || (q == s->q && s->indexed && s->nmatch == 0))
		return (0);
	sel_req(s, &r, q);
	if (!s->remote->ops->counts(s->remote->impl, &r, key, sort, top, &c,
	    &cause)) {
		sel_fail(s, cause);
		return (0);
	}
	if (!c.complete)
		s->partial = true;
	n = sel_copy(c.v, c.n, out);
	*total = c.total;
	view_counts_free(s->remote, &c);
	return (n);
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
view_sel_count(struct view_sel *s, int key, enum vsort sort,
    size_t *top, struct vcount **out, size_t *total)
{
	size_t	 n;

	if (s->remote != NULL)
		return (sel_remote_count(s, s->q, key, sort, *top, out,
		    total));
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
view_sel_count_all(struct view_sel *s, int key, enum vsort sort,
    struct vcount **out)
{
	size_t	 total;

	if (s->remote != NULL)
		return (sel_remote_count(s, NULL, key, sort, 500, out,
		    &total));
	return (store_count_values(s->st, key, NULL, NULL, sort, out));
}

/* The selection's sessions over time, in at most max buckets; false
 * (*cause NULL) until the selection is indexed. */
bool
view_sel_histogram(struct view_sel *s, size_t max,
    struct store_hist *h, char **cause)
{
	struct view_req	 r;

	*cause = NULL;
	if (s->remote != NULL) {	/* a failure is the path's, said */
		if (s->failed != NULL)
			return (false);
		sel_req(s, &r, s->q);
		if (s->remote->ops->histogram(s->remote->impl, &r, 0, max, h,
		    cause))
			return (true);
		sel_fail(s, *cause);
		*cause = NULL;
		return (false);
	}
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
	if (s->remote != NULL)
		return (true);
	return (store_warm(s->st, keys, n, limit));
}

/* The first value of a number key of a session (0: none). */
static uint64_t
sel_uint(const struct meta_reader *r, uint64_t item, int key)
{
	struct mval	 v;

	if (r->values(r, item, key, &v, 1) == 0)
		return (0);
	return (v.type == MT_UINT || v.type == MT_TIME ? v.u : 0);
}

/* The pages' reader by position (none before a page is read). */
static size_t
sel_page_values(const struct meta_reader *r, uint64_t item, int key,
    struct mval *out, size_t max)
{
	const struct view_sel	*s = r->ctx;
	const struct view_page	*p;
	size_t			 i;

	for (i = 0; s != NULL && i < s->npages; i++) {
		p = &s->pages[i];
		if (item >= p->n) {
			item -= p->n;
			continue;
		}
		if (p->items != NULL)
			item = p->items[item];
		return (p->r->values(p->r, item, key, out, max));
	}
	return (0);
}

/* Over a store: read the page after the cursor at onto the others;
 * false when the store failed (noted). */
static bool
sel_remote_read(struct view_sel *s, const struct view_cursor *at)
{
	struct view_req		 r;
	struct view_page	 p;
	char			*cause = NULL;

	memset(&p, 0, sizeof p);
	sel_req(s, &r, s->q);
	if (s->failed != NULL)
		return (false);
	if (!s->remote->ops->page(s->remote->impl, &r, VIEW_BY_TIME, at,
	    s->pagesize != 0 ? s->pagesize : SEL_PAGE, &p, &cause)) {
		sel_fail(s, cause);
		return (false);
	}
	s->pages = xreallocarray(s->pages, s->npages + 1, sizeof *s->pages);
	s->pages[s->npages++] = p;
	s->nlisted += p.n;
	s->pr.values = sel_page_values;
	s->pr.ctx = s;
	return (true);
}

/* Over a store: ask for the path's first sessions by time, once. */
static void
sel_remote_page(struct view_sel *s)
{
	struct view_cursor	 at;

	if (s->paged)
		return;
	s->paged = true;
	memset(&at, 0, sizeof at);
	(void)sel_remote_read(s, &at);
}

/* Over a store: read the next page after those listed; true if any. */
bool
view_sel_more(struct view_sel *s)
{
	const struct view_page	*last;
	size_t			 n = s->nlisted;

	if (s->remote == NULL || s->npages == 0)
		return (false);
	last = &s->pages[s->npages - 1];
	if (!last->more || !sel_remote_read(s, &last->next))
		return (false);
	return (s->nlisted > n);
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
view_sel_list(struct view_sel *s, enum view_col col, bool rev,
    uint64_t **ids)
{
	struct sel_order	 o = { col, rev };
	struct sel_key		*k;
	struct session		 buf;
	const struct session	*ss;
	uint64_t		 id, end = s->cap, want = s->nmatch;
	size_t			 i, n = 0;

	if (s->remote != NULL) {	/* a page's positions, from 0 */
		sel_remote_page(s);
		end = want = s->nlisted;
	}
	/* Each session is unpacked once, not at every comparison. */
	k = xreallocarray(NULL, want + 1, sizeof *k);
	for (id = s->remote != NULL ? 0 : 1; id < end && n < want; id++) {
		if (view_sel_has(s, id) &&
		    (ss = view_sel_get(s, id, &buf)) != NULL) {
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

/* A stored session by id, unpacked into buf, or NULL (as store_get);
 * over a store, the measures of the page's session at position id. */
const struct session *
view_sel_get(const struct view_sel *s, uint64_t id, struct session *buf)
{
	const struct meta_reader *r = view_sel_reader(s);

	if (s->remote == NULL)
		return (store_get(s->st, id, buf));
	if (!view_sel_has(s, id))
		return (NULL);
	memset(buf, 0, sizeof *buf);
	buf->id = sel_uint(r, id, K_SESSIONID);
	buf->t_first = sel_uint(r, id, K_TIME);
	buf->size = sel_uint(r, id, K_SIZE);
	buf->packets = sel_uint(r, id, K_PACKETS);
	buf->proto = (uint8_t)sel_uint(r, id, K_IP_PROTO);
	buf->service = (uint16_t)sel_uint(r, id, K_SERVICE);
	return (buf);
}

/* The meta reader over the stored sessions (item = sessionid; over a
 * store, a position in the page). */
const struct meta_reader *
view_sel_reader(const struct view_sel *s)
{
	static const struct meta_reader none = { sel_page_values, NULL };

	if (s->remote == NULL)
		return (store_reader(s->st));
	return (s->npages > 0 ? &s->pr : &none);
}

/*
 * Where a listed session is stored, for the Session pane: its sessionid
 * in memory; over a store, the page's sensor, run and sessionid of
 * position id (valid while the selection is).  False when not listed.
 */
bool
view_sel_ref(const struct view_sel *s, uint64_t id, struct view_ref *ref)
{
	const struct view_page	*p;
	size_t			 i;

	memset(ref, 0, sizeof *ref);
	ref->id = id;
	if (s->remote == NULL)
		return (view_sel_has(s, id));
	for (i = 0; i < s->npages; i++) {
		p = &s->pages[i];
		if (id >= p->n) {
			id -= p->n;
			continue;
		}
		if (p->refs != NULL)
			*ref = p->refs[id];
		else
			ref->id = p->items != NULL ? p->items[id] : id;
		return (true);
	}
	return (false);
}

/* A session's number as it shows: its sessionid (over a store, the
 * sensor's; id there is a position in the page). */
uint64_t
view_sel_number(const struct view_sel *s, uint64_t id)
{
	if (s->remote == NULL)
		return (id);
	return (sel_uint(view_sel_reader(s), id, K_SESSIONID));
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
	if (s->remote != NULL)
		return (s->all);
	return (store_count(s->st));
}
