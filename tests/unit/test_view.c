/*
 * test_view.c - the in-memory store behind the view: pages after a cursor
 * in sessionid and in time order give every session of the query once,
 * in order, whatever the page size; counts keep the first values and say
 * how many there are; a cancelled request is refused, not cut short;
 * one session gives its meta, and its packets only once the view knows
 * the capture.  The console's selection (view_sel) scanning while
 * sessions come, from the index once loaded, and asking a store: the
 * same sessions, counts and order each way.
 */
/* SPDX-License-Identifier: GPL-3.0-or-later */

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "engine/engine.h"
#include "session/session.h"
#include "view/session.h"
#include "view/view.h"

#define T0	1700000000000000000ULL	/* ns */
#define MS	1000000ULL
#define N	23			/* sessions */

static struct engine_config	 cfg;
static struct session_ctx	 ctx;
static struct store		*st;
static struct engine		*e;

/* Feed one UDP datagram from port sport to port dport. */
static void
feed_udp(uint64_t ts, uint16_t sport, uint16_t dport)
{
	uint8_t			 f[14 + 20 + 8 + 4];
	struct capture_packet	 p;

	memset(f, 0, sizeof f);
	f[12] = 0x08;
	f[14] = 0x45;
	f[17] = 20 + 8 + 4;
	f[22] = 64;
	f[23] = 17;
	memcpy(f + 26, "\x0a\x00\x00\x01\x0a\x00\x00\x02", 8);
	f[34] = (uint8_t)(sport >> 8);
	f[35] = (uint8_t)sport;
	f[36] = (uint8_t)(dport >> 8);
	f[37] = (uint8_t)dport;
	f[39] = 8 + 4;
	memset(&p, 0, sizeof p);
	p.ts = ts;
	p.caplen = p.wirelen = sizeof f;
	p.data = f;
	p.dlt = 1;
	p.prec = 6;
	engine_packet(e, &p);
}

/*
 * N sessions whose start times are a shuffle of their order of arrival
 * (session i starts at (7 i mod N) ms), to ports 1000 + i % 3.
 */
static int
setup(void **state)
{
	static const char	*names[] = { "eth0", NULL };
	uint16_t		 i;

	(void)state;
	ctx.inputs = names;
	st = store_new();
	store_set_ctx(st, &ctx);
	engine_config_init(&cfg);
	e = engine_new(&cfg, st);
	for (i = 0; i < N; i++)
		feed_udp(T0 + (uint64_t)((7 * i) % N) * MS,
		    (uint16_t)(40000 + i), (uint16_t)(1000 + i % 3));
	engine_finish(e);
	return (store_count(st) == N ? 0 : -1);
}

static int
teardown(void **state)
{
	(void)state;
	engine_free(e);
	engine_config_free(&cfg);
	store_free(st);
	return (0);
}

/* A session's start. */
static uint64_t
start_of(uint32_t id)
{
	struct session	 buf;

	return (store_get(st, id, &buf)->t_first);
}

/* Compile a query (it must compile). */
static struct query *
compile(const char *text)
{
	struct query_error	 err;
	struct query		*q;

	q = query_compile(text, strlen(text), 0, &err);
	query_error_clear(&err);
	assert_non_null(q);
	return (q);
}

/* Read every page of q in order by pages of limit; the ids into out. */
static size_t
all_pages(struct view *v, const char *q, enum view_order order,
    size_t limit, uint32_t *out)
{
	struct view_req		 r;
	struct view_page	 p;
	struct view_cursor	 at;
	struct query		*cq = NULL;
	char			*cause = NULL;
	size_t			 n = 0, pages = 0, i;
	bool			 more = true;

	if (q != NULL)
		cq = compile(q);
	view_req_init(&r, cq);
	memset(&at, 0, sizeof at);
	while (more) {
		memset(&p, 0, sizeof p);
		assert_true(v->ops->page(v->impl, &r, order, &at, limit, &p,
		    &cause));
		assert_true(p.n <= limit);
		for (i = 0; i < p.n; i++)
			out[n++] = p.items[i];
		more = p.more;
		assert_true(!more || p.n == limit);
		view_cursor_free(&at);
		at = p.next;
		memset(&p.next, 0, sizeof p.next);
		view_page_free(v, &p);
		assert_true(++pages <= N + 1);
	}
	view_cursor_free(&at);
	query_free(cq);
	return (n);
}

/* Pages by sessionid: 1..N once, ascending, at every page size. */
static void
test_pages_by_id(void **state)
{
	struct view	 v;
	uint32_t	 got[N + 1];
	size_t		 limit, n, i;

	(void)state;
	view_mem(&v, st);
	for (limit = 1; limit <= N + 1; limit++) {
		n = all_pages(&v, NULL, VIEW_BY_ID, limit, got);
		assert_int_equal(n, N);
		for (i = 0; i < n; i++)
			assert_int_equal(got[i], i + 1);
	}
	view_free(&v);
}

/* Pages by time: every session once, by (start, id), at every size. */
static void
test_pages_by_time(void **state)
{
	struct view	 v;
	uint32_t	 got[N + 1];
	uint8_t		 seen[N + 1];
	size_t		 limit, n, i;

	(void)state;
	view_mem(&v, st);
	for (limit = 1; limit <= N + 1; limit += 3) {
		n = all_pages(&v, NULL, VIEW_BY_TIME, limit, got);
		assert_int_equal(n, N);
		memset(seen, 0, sizeof seen);
		for (i = 0; i < n; i++) {
			assert_true(got[i] >= 1 && got[i] <= N);
			assert_int_equal(seen[got[i]]++, 0);
			if (i > 0)
				assert_true(start_of(got[i - 1]) <
				    start_of(got[i]));
		}
	}
	assert_int_equal(start_of(got[0]), T0);
	assert_int_equal(start_of(got[N - 1]), T0 + (N - 1) * MS);
	view_free(&v);
}

/* A query's pages hold its sessions only: a third of them here. */
static void
test_pages_query(void **state)
{
	struct view	 v;
	uint32_t	 got[N + 1];
	size_t		 n;

	(void)state;
	view_mem(&v, st);
	n = all_pages(&v, "udp.dstport = 1001", VIEW_BY_TIME, 2, got);
	assert_int_equal(n, (N + 1) / 3);	/* i % 3 == 1 */
	n = all_pages(&v, "udp.dstport = 7", VIEW_BY_ID, 2, got);
	assert_int_equal(n, 0);
	view_free(&v);
}

/* Counts: the first values, the number of distinct ones, complete. */
static void
test_counts(void **state)
{
	struct view		 v;
	struct view_req		 r;
	struct view_counts	 c;
	char			*cause = NULL;
	int			 key = meta_find("udp.dstport", 11);

	(void)state;
	view_mem(&v, st);
	view_req_init(&r, NULL);
	memset(&c, 0, sizeof c);
	assert_true(v.ops->counts(v.impl, &r, key, VSORT_COUNT, 2, &c,
	    &cause));
	assert_int_equal(c.n, 2);
	assert_int_equal(c.total, 3);
	assert_true(c.complete);
	assert_int_equal(c.v[0].sessions, 8);	/* 1000 and 1001: 8 each */
	assert_int_equal(c.v[0].v.u, 1000);
	assert_int_equal(c.v[1].v.u, 1001);
	view_counts_free(&v, &c);
	view_free(&v);
}

/* A cancelled request is refused with a reason, not answered in part. */
static void
test_cancel(void **state)
{
	struct view		 v;
	struct view_req		 r;
	struct view_page	 p;
	struct view_cursor	 at;
	struct query		*q;
	char			*cause = NULL;

	(void)state;
	q = compile("udp.dstport = 1000");
	view_mem(&v, st);
	view_req_init(&r, q);
	atomic_store(&r.cancel, true);
	memset(&at, 0, sizeof at);
	memset(&p, 0, sizeof p);
	assert_false(v.ops->page(v.impl, &r, VIEW_BY_ID, &at, 5, &p, &cause));
	assert_string_equal(cause, "query cancelled");
	free(cause);
	view_free(&v);
	query_free(q);
}

/* One session: its meta through the reader; without a capture given,
 * no packets (and none asked for); an id not stored is refused. */
static void
test_session(void **state)
{
	struct view		 v;
	struct view_session	 vs;
	struct view_ref		 ref = { 4, NULL, NULL };
	struct mval		 m;
	char			*cause = NULL;

	(void)state;
	view_mem(&v, st);
	assert_true(view_session_open(&v, &ref, &vs, &cause));
	assert_int_equal(vs.r->values(vs.r, vs.id, K_SESSIONID, &m, 1), 1);
	assert_int_equal(m.u, 4);
	assert_int_equal(vs.r->values(vs.r, vs.id, K_UDP_SRCPORT, &m, 1), 1);
	assert_int_equal(m.u, 40003);
	assert_int_equal(vs.t_first, start_of(4));
	assert_null(vs.frag);
	assert_false(vs.packets);
	assert_int_equal(vs.npkts, 0);
	assert_true(view_session_packets(&v, &vs, 0, 10, 0, NULL, NULL,
	    &cause));
	view_session_free(&v, &vs);
	ref.id = N + 1;
	assert_false(view_session_open(&v, &ref, &vs, &cause));
	assert_string_equal(cause, "session 24 is not stored");
	free(cause);
	view_free(&v);
}

/* The sessions a query selects: a third of them, and all. */
static void
test_size(void **state)
{
	struct view	 v;
	struct view_req	 r;
	struct query	*q = compile("udp.dstport = 1000");
	char		*cause = NULL;
	uint64_t	 n = 0;

	(void)state;
	view_mem(&v, st);
	view_req_init(&r, q);
	assert_true(v.ops->size(v.impl, &r, &n, &cause));
	assert_int_equal(n, 8);
	view_req_init(&r, NULL);
	assert_true(v.ops->size(v.impl, &r, &n, &cause));
	assert_int_equal(n, N);
	view_free(&v);
	query_free(q);
}

/* Fill a selection of q, as loaded or still loading; *changed said. */
static bool
sel_fill(struct view_sel *s, bool loaded, bool fresh)
{
	struct view_src	 src = { loaded, false, false, NULL, NULL };
	bool		 changed = false;

	assert_true(view_sel_fill(s, &src, fresh, &changed));
	return (changed);
}

/* What a selection of udp.dstport = 1000 answers, however it was made. */
static void
sel_check(struct view_sel *s)
{
	struct vcount	*c;
	struct session	 buf;
	uint64_t	*ids;
	size_t		 n, i, top = 5, total;
	int		 key = meta_find("udp.dstport", 11);

	assert_int_equal(s->nmatch, 8);
	n = view_sel_count(s, key, VSORT_COUNT, &top, &c, &total);
	assert_int_equal(n, 1);
	assert_int_equal(total, 1);
	assert_int_equal(c[0].v.u, 1000);
	assert_int_equal(c[0].sessions, 8);
	free(c);
	n = view_sel_list(s, VIEW_COL_TIME, false, &ids);
	assert_int_equal(n, 8);
	for (i = 1; i < n; i++)
		assert_true(view_sel_get(s, ids[i - 1], &buf)->t_first <
		    view_sel_get(s, ids[i], &buf)->t_first);
	for (i = 0; i < n; i++)
		assert_int_equal(view_sel_number(s, ids[i]) % 3, 1);
	free(ids);
}

/* Loading: a scan (counts read every session); loaded: the ids. */
static void
test_sel_scan(void **state)
{
	struct view_sel	 s;
	size_t		 top = 5, total;
	struct vcount	*c;

	(void)state;
	view_sel_init(&s, st, compile("udp.dstport = 1000"));
	assert_true(sel_fill(&s, false, true));
	assert_false(s.indexed);
	assert_true(view_sel_has(&s, 1));
	assert_false(view_sel_has(&s, 2));
	(void)view_sel_count(&s, meta_find("udp.dstport", 11), VSORT_COUNT,
	    &top, &c, &total);
	assert_int_equal(top, 0);		/* every value kept */
	free(c);
	sel_check(&s);
	assert_false(sel_fill(&s, false, false));	/* nothing new */
	assert_true(sel_fill(&s, true, false));		/* the ids now */
	assert_true(s.indexed);
	assert_int_equal(s.nids, 8);
	assert_true(view_sel_current(&s));
	sel_check(&s);
	view_sel_free(&s);
}

/* Loaded, a new selection comes from the index at once. */
static void
test_sel_index(void **state)
{
	struct view_sel		 s;
	struct store_hist	 h;
	char			*cause = NULL;

	(void)state;
	view_sel_init(&s, st, compile("udp.dstport = 1000"));
	assert_true(sel_fill(&s, true, true));
	assert_true(s.indexed);
	assert_int_equal(s.nids, 8);
	sel_check(&s);
	assert_true(view_sel_histogram(&s, 10, &h, &cause));
	free(h.count);
	assert_int_equal(view_sel_stored(&s), N);
	view_sel_free(&s);
}

/* Over a store (here the in-memory one behind a view): asked, the same
 * answers, the histogram's buckets included. */
static void
test_sel_remote(void **state)
{
	struct view		 v;
	struct view_sel		 s, l;
	struct store_hist	 h, lh;
	char			*cause = NULL;
	size_t			 i;

	(void)state;
	view_mem(&v, st);
	view_sel_init(&s, st, compile("udp.dstport = 1000"));
	view_sel_remote(&s, &v);
	assert_true(sel_fill(&s, true, true));
	assert_int_equal(view_sel_stored(&s), N);
	sel_check(&s);
	assert_null(s.failed);
	view_sel_init(&l, st, compile("udp.dstport = 1000"));
	assert_true(sel_fill(&l, true, true));
	assert_true(view_sel_histogram(&s, 10, &h, &cause));
	assert_true(view_sel_histogram(&l, 10, &lh, &cause));
	assert_null(cause);
	assert_true(h.n > 0);
	assert_int_equal(h.n, lh.n);
	assert_int_equal(h.first, lh.first);
	assert_int_equal(h.bucket, lh.bucket);
	assert_int_equal(h.max, lh.max);
	for (i = 0; i < h.n; i++)
		assert_int_equal(h.count[i], lh.count[i]);
	free(h.count);
	free(lh.count);
	view_sel_free(&l);
	view_sel_free(&s);
	view_free(&v);
}

/* Over a store, the list grows a page at a time, in time order. */
static void
test_sel_more(void **state)
{
	struct view	 v;
	struct view_sel	 s;
	struct session	 buf;
	uint64_t	*ids;
	size_t		 n, i;

	(void)state;
	view_mem(&v, st);
	view_sel_init(&s, st, compile("udp.dstport = 1000"));
	view_sel_remote(&s, &v);
	s.pagesize = 3;
	assert_true(sel_fill(&s, true, true));
	n = view_sel_list(&s, VIEW_COL_TIME, false, &ids);
	free(ids);
	assert_int_equal(n, 3);
	assert_true(view_sel_more(&s));
	assert_true(view_sel_more(&s));
	assert_false(view_sel_more(&s));	/* all 8 listed */
	n = view_sel_list(&s, VIEW_COL_TIME, false, &ids);
	assert_int_equal(n, 8);
	for (i = 0; i < n; i++)
		assert_int_equal(ids[i], i);	/* the store's order */
	for (i = 1; i < n; i++)
		assert_true(view_sel_get(&s, i - 1, &buf)->t_first <
		    view_sel_get(&s, i, &buf)->t_first);
	free(ids);
	view_sel_free(&s);
	view_free(&v);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_pages_by_id),
		cmocka_unit_test(test_pages_by_time),
		cmocka_unit_test(test_pages_query),
		cmocka_unit_test(test_counts),
		cmocka_unit_test(test_cancel),
		cmocka_unit_test(test_session),
		cmocka_unit_test(test_size),
		cmocka_unit_test(test_sel_scan),
		cmocka_unit_test(test_sel_index),
		cmocka_unit_test(test_sel_remote),
		cmocka_unit_test(test_sel_more),
	};

	return (cmocka_run_group_tests(tests, setup, teardown));
}
