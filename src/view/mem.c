/*
 * mem.c - the in-memory store behind the view: counts from its index, and
 * pages from the selection of the last query asked, kept until another
 * query is asked or more sessions are stored; one session and its
 * packets (session.c), read again through the capture once it is given.
 */
/* SPDX-License-Identifier: GPL-3.0-or-later */

#include <stdlib.h>
#include <string.h>

#include "session/session.h"
#include "util/util.h"
#include "view/view-int.h"
#include "view/view.h"

struct mem {
	const struct store	*st;
	struct capture		*cap;		/* NULL: packets not read */
	/* The last selection: its query, order and the store's size then. */
	bool			 have;
	const struct query	*q;
	enum view_order		 order;
	uint64_t		 end;
	uint32_t		*ids;
	uint64_t		*time;		/* by time: each one's start */
	size_t			 n;
};

/* A selection's poll: stop it when the request is cancelled or late. */
static void
mem_poll(struct store_progress *p, void *arg)
{
	if (view_req_stop(arg))
		p->cancel = true;
}

/* The sessions of the request, selected; false when it was stopped. */
static bool
mem_select(struct view_req *r, const struct store *st, uint32_t **ids,
    size_t *n, char **cause)
{
	struct store_progress	 p = { 0, 0, false, mem_poll, r };

	*n = store_select_progress(st, r->q, ids, &p);
	if (!p.cancel && !view_req_stop(r))
		return (true);
	free(*ids);
	*ids = NULL;
	xasprintf(cause, atomic_load(&r->cancel) ? "query cancelled" :
	    "query gave up at its deadline");
	return (false);
}

/* The values of key over the request's sessions. */
static bool
mem_counts(void *impl, struct view_req *r, int key, enum vsort sort,
    size_t top, struct view_counts *c, char **cause)
{
	struct mem	*m = impl;
	uint32_t	*ids = NULL;
	size_t		 n = 0;

	if (r->q != NULL && !mem_select(r, m->st, &ids, &n, cause))
		return (false);
	c->n = store_count_set(m->st, key, r->q != NULL ? ids : NULL, n,
	    NULL, 0, sort, top, &c->v, &c->total);
	c->complete = true;
	c->own = NULL;
	free(ids);
	return (true);
}

/* The request's sessions over time. */
static bool
mem_histogram(void *impl, struct view_req *r, uint64_t bucket, size_t max,
    struct store_hist *h, char **cause)
{
	struct mem	*m = impl;
	uint32_t	*ids = NULL;
	size_t		 n = 0;
	bool		 ok;

	if (r->q != NULL && !mem_select(r, m->st, &ids, &n, cause))
		return (false);
	ok = store_histogram(m->st, ids, n, bucket, max, h, cause);
	free(ids);
	return (ok);
}

/* How many sessions the request selects. */
static bool
mem_size(void *impl, struct view_req *r, uint64_t *n, char **cause)
{
	struct mem	*m = impl;
	uint32_t	*ids = NULL;
	size_t		 k;

	if (!mem_select(r, m->st, &ids, &k, cause))
		return (false);
	free(ids);
	*n = k;
	return (true);
}

/* Order of two positions of the selection by (start, id). */
static int
mem_time_cmp(const void *a, const void *b, void *arg)
{
	const struct mem	*m = arg;
	size_t			 i = *(const size_t *)a, j = *(const size_t *)b;

	if (m->time[i] != m->time[j])
		return (m->time[i] < m->time[j] ? -1 : 1);
	return (m->ids[i] < m->ids[j] ? -1 : m->ids[i] > m->ids[j]);
}

/* Put the selection in (start, id) order. */
static void
mem_by_time(struct mem *m)
{
	struct session	 buf;
	size_t		*pos = xreallocarray(NULL, m->n + 1, sizeof *pos);
	uint32_t	*ids = xreallocarray(NULL, m->n + 1, sizeof *ids);
	uint64_t	*t = xreallocarray(NULL, m->n + 1, sizeof *t);
	size_t		 i;

	m->time = xreallocarray(NULL, m->n + 1, sizeof *m->time);
	for (i = 0; i < m->n; i++) {
		pos[i] = i;
		m->time[i] = store_get(m->st, m->ids[i], &buf)->t_first;
	}
	qsort_r(pos, m->n, sizeof *pos, mem_time_cmp, m);
	for (i = 0; i < m->n; i++) {
		ids[i] = m->ids[pos[i]];
		t[i] = m->time[pos[i]];
	}
	free(m->ids);
	free(m->time);
	free(pos);
	m->ids = ids;
	m->time = t;
}

/* Select again unless the last selection answers the request. */
static bool
mem_refresh(struct mem *m, struct view_req *r, enum view_order order,
    char **cause)
{
	if (m->have && m->q == r->q && m->order == order &&
	    m->end == store_end(m->st))
		return (true);
	free(m->ids);
	free(m->time);
	m->ids = NULL;
	m->time = NULL;
	m->have = false;
	if (!mem_select(r, m->st, &m->ids, &m->n, cause))
		return (false);
	if (order == VIEW_BY_TIME)
		mem_by_time(m);
	m->have = true;
	m->q = r->q;
	m->order = order;
	m->end = store_end(m->st);
	return (true);
}

/* Whether position i of the selection comes after the cursor. */
static bool
mem_after(const struct mem *m, size_t i, const struct view_cursor *at)
{
	if (m->order == VIEW_BY_TIME && m->time[i] != at->time)
		return (m->time[i] > at->time);
	return (m->ids[i] > at->id);
}

/* Up to limit sessions after the cursor. */
static bool
mem_page(void *impl, struct view_req *r, enum view_order order,
    const struct view_cursor *at, size_t limit, struct view_page *p,
    char **cause)
{
	struct mem	*m = impl;
	size_t		 lo = 0, hi, mid;

	if (!mem_refresh(m, r, order, cause))
		return (false);
	hi = m->n;
	while (at->set && lo < hi) {	/* the first position after it */
		mid = lo + (hi - lo) / 2;
		if (mem_after(m, mid, at))
			hi = mid;
		else
			lo = mid + 1;
	}
	p->r = store_reader(m->st);
	p->items = m->ids + lo;
	p->refs = NULL;
	p->n = m->n - lo < limit ? m->n - lo : limit;
	p->more = lo + p->n < m->n;
	memset(&p->next, 0, sizeof p->next);
	if (p->n > 0) {
		p->next.set = true;
		p->next.id = m->ids[lo + p->n - 1];
		if (order == VIEW_BY_TIME)
			p->next.time = m->time[lo + p->n - 1];
	}
	p->own = NULL;
	return (true);
}

/* One session (session.c). */
static bool
mem_session(void *impl, const struct view_ref *ref, struct view_session *vs,
    char **cause)
{
	struct mem	*m = impl;

	return (memsession_open(m->st, m->cap, ref, vs, cause));
}

/* Packets of a session (session.c). */
static bool
mem_packets(void *impl, struct view_session *vs, size_t from, size_t n,
    int flags, view_packet_fn fn, void *arg, char **cause)
{
	struct mem	*m = impl;

	(void)cause;
	return (memsession_packets(m->st, m->cap, vs, from, n, flags, fn,
	    arg));
}

/* A session's own: its ordinals. */
static void
mem_session_free(void *impl, struct view_session *vs)
{
	(void)impl;
	free(vs->own);
}

static void
mem_release(void *impl, void *own)
{
	(void)impl;
	(void)own;
}

static void
mem_free(void *impl)
{
	struct mem	*m = impl;

	free(m->ids);
	free(m->time);
	free(m);
}

static const struct store_ops mem_ops = {
	.name = "memory",
	.counts = mem_counts,
	.size = mem_size,
	.page = mem_page,
	.session = mem_session,
	.packets = mem_packets,
	.session_free = mem_session_free,
	.histogram = mem_histogram,
	.release = mem_release,
	.free = mem_free,
};

/* A view over the in-memory store (it stays the caller's). */
void
view_mem(struct view *v, const struct store *st)
{
	struct mem	*m = xcalloc(1, sizeof *m);

	m->st = st;
	v->ops = &mem_ops;
	v->impl = m;
}

/* Have the in-memory view read packets again through c. */
void
view_mem_packets(struct view *v, struct capture *c)
{
	struct mem	*m = v->impl;

	if (v->ops == &mem_ops)
		m->cap = c;
}
