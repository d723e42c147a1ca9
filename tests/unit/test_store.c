/*
 * test_store.c - the meta store's index: store_select against a brute-force
 * query_match scan for a table of queries, counts against count.c's scan,
 * sessions added out of id order, rule-written keys, store_reindex.
 */
/* SPDX-License-Identifier: GPL-3.0-or-later */

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "query/query.h"
#include "session/session.h"
#include "store/store.h"

#define NSESS	60		/* ids 1..NSESS; MISSING is never added */
#define MISSING	20

static const char *const hosts[] = {
	"www.Example.com", "example.COM", "mail.example.com", "evil.net",
	"xyzzy.org", "a.b", "EVIL.net", NULL
};
static const char *const indicators[] = {
	"ratio high transmitted", "single sided tcp", NULL
};

static const char *const queries[] = {
	"ip.proto = 6",
	"ip.proto != 6",
	"ip.proto = 6,17",
	"tcp.dstport = 1-100, 440-u",
	"tcp.srcport < 2000",
	"tcp.srcport >= 40000",
	"tcp.srcport <= 1500 || udp.dstport > 50",
	"ip.src = 10.0.0.0/8",
	"ip.dst = 224.0.0.0 - 239.255.255.255",
	"ip.dst != 10.0.0.0/8, 192.168.0.0/16",
	"eth.src = 02:00:00:00:00:03",
	"alias.host exists",
	"alias.host !exists",
	"alias.host = 'EXAMPLE.com'",
	"alias.host != 'example.com', 'evil.net'",
	"alias.host contains 'EXA'",
	"alias.host begins 'www'",
	"alias.host ends '.COM'",
	"alias.host regex '^mail'",
	"alias.host regex '(?-i)Example'",
	"alias.host regex '(?-i)^EVIL'",
	"alias.host regex 'x.z'",
	"alias.host length 3-8",
	"alias.host ucount 2",
	"not(ip.proto = 6)",
	"!(service = 80 && ip.proto = 6)",
	"ip.proto = 1 || service = 53",
	"ip.proto = 6 && size > 1000",
	"size > 1000 || ip.proto = 1",
	"not(size > 1000)",
	"not(size > 1000 && ip.proto = 6)",
	"sessionid = 3-9, 30",
	"nosuch.key = 5",
	"nosuch.key != 5",
	"nosuch.key exists",
	"nosuch.key !exists",
	"analysis.session = 'rule hit'",
	"analysis.session exists && ip.proto = 17",
	"direction = 'outbound'",
	"direction != 'lateral'",
	"direction !exists",
	"tcpflags = 'syn' && tcpflags != 'fin'",
	"ip.proto = 6 && service = 80 && direction = 'outbound'",
	"(ip.proto = 6 || ip.proto = 17) && !(alias.host exists)",
	"time = '2024-jan-01 00:00:00' - '2024-jan-01 00:00:05'",
	"streams = 2 && medium = 1",
};

static const char *const count_keys[] = {
	"ip.proto", "ip.src", "ip.dst", "alias.host", "analysis.session",
	"tcpflags", "direction", "service", "size", "time", "tcp.srcport",
	"nosuch.key"
};

static uint32_t	 seed;

/* A small deterministic generator. */
static uint32_t
next(void)
{
	seed = seed * 1103515245u + 12345u;
	return (seed >> 16);
}

/* Add a text value of a key. */
static void
add_text(struct session *s, const char *key, const char *text, uint8_t f)
{
	struct mval	 v;

	memset(&v, 0, sizeof v);
	v.type = MT_TEXT;
	v.text.p = text;
	v.text.n = (uint32_t)strlen(text);
	session_meta_add(s, meta_intern(key, strlen(key), MT_TEXT), &v, f);
}

/* One hand-made session. */
static struct session *
make_session(uint64_t id)
{
	struct session	*s = xcalloc(1, sizeof *s);
	uint32_t	 r = next();

	s->id = id;
	s->af = 4;
	s->proto = r % 3 == 0 ? 6 : r % 3 == 1 ? 17 : 1;
	s->port[0] = (uint16_t)(1024 + next() % 50000);
	s->port[1] = s->proto == 6 ? (next() % 2 ? 80 : 443) : 53;
	s->service = (uint16_t)(next() % 4 == 0 ? 0 : s->port[1]);
	s->addr[0][0] = next() % 3 == 0 ? 8 : 10;
	s->addr[0][3] = (uint8_t)(next() % 5);
	s->addr[1][0] = next() % 4 == 0 ? 10 : next() % 2 ? 230 : 93;
	s->addr[1][3] = (uint8_t)(next() % 7);
	s->initiator = 0;
	s->seen = next() % 5 == 0 ? 1 : 3;
	s->medium = 1;
	s->prec = 6;
	s->has_eth[0] = true;
	s->eth[0][6] = 2;
	s->eth[0][11] = (uint8_t)(next() % 6);
	s->tcp_flags = s->proto == 6 ? (uint8_t)(next() % 32) : 0;
	s->t_first = (1704067200ULL + id / 4) * 1000000000ULL;
	s->t_last = s->t_first + 1000;
	s->size = 60 + next() % 3000;
	s->packets = 1 + s->size / 500;
	if (next() % 3 != 0)
		add_text(s, "alias.host", hosts[next() % 7], MF_PARSER);
	if (next() % 4 == 0)
		add_text(s, "alias.host", hosts[next() % 7], MF_PARSER);
	if (next() % 3 == 0)
		add_text(s, "analysis.session", indicators[next() % 2],
		    MF_PARSER);
	if (next() % 5 == 0)
		add_text(s, "analysis.session", "rule hit", MF_RULE);
	return (s);
}

/* A store of NSESS - 1 sessions added in a shuffled order. */
static struct store *
make_store(void)
{
	static const struct session_ctx	 ctx = { NULL, NULL, 0, NULL, NULL };
	struct store	*st = store_new();
	uint64_t	 order[NSESS], t;
	size_t		 i, j, n = 0;

	store_set_ctx(st, &ctx);
	seed = 42;
	for (i = 1; i <= NSESS; i++) {
		if (i != MISSING)
			order[n++] = i;
	}
	for (i = n - 1; i > 0; i--) {
		j = next() % (i + 1);
		t = order[i];
		order[i] = order[j];
		order[j] = t;
	}
	for (i = 0; i < n; i++)
		store_add(st, make_session(order[i]));
	return (st);
}

/* Compile a query that must compile. */
static struct query *
compile(const char *text)
{
	struct query_error	 err;
	struct query		*q;

	q = query_compile(text, strlen(text), 0, &err);
	if (q == NULL)
		fail_msg("%s: column %zu: %s", text, err.col, err.msg);
	query_error_clear(&err);
	return (q);
}

/* The brute-force answer: every stored id that query_match accepts. */
static size_t
brute(const struct store *st, const struct query *q, uint32_t *ids)
{
	uint64_t	 id;
	size_t		 n = 0;

	for (id = 1; id < store_end(st); id++) {
		if (store_has(st, id) &&
		    query_match(q, store_reader(st), id))
			ids[n++] = (uint32_t)id;
	}
	return (n);
}

/* store_select agrees with query_match for every query of the table. */
static void
test_select_table(void **state)
{
	struct store	*st = make_store();
	struct query	*q;
	uint32_t	 want[NSESS], *got;
	size_t		 i, nw, ng;

	(void)state;
	for (i = 0; i < nitems(queries); i++) {
		q = compile(queries[i]);
		nw = brute(st, q, want);
		ng = store_select(st, q, &got);
		if (ng != nw || memcmp(got, want, nw * sizeof *got) != 0)
			fail_msg("%s: %zu ids, want %zu", queries[i], ng, nw);
		free(got);
		query_free(q);
	}
	ng = store_select(st, NULL, &got);
	assert_int_equal(ng, NSESS - 1);
	assert_int_equal(got[MISSING - 2], MISSING - 1);
	assert_int_equal(got[MISSING - 1], MISSING + 1);
	free(got);
	store_free(st);
}

/* The keep function of the brute-force count: an id list membership. */
static bool
keep_in(uint64_t id, void *arg)
{
	const uint32_t	*ids = arg;
	size_t		 i;

	for (i = 1; i <= ids[0]; i++) {
		if (ids[i] == id)
			return (true);
	}
	return (false);
}

/*
 * Two count results are equal: same values (case folded), counts and sums.
 * (The index shows the store's first spelling, the scan the selection's.)
 */
static void
same_counts(const char *what, const struct vcount *a, size_t na,
    const struct vcount *b, size_t nb)
{
	size_t	 i;

	if (na != nb)
		fail_msg("%s: %zu values, want %zu", what, na, nb);
	for (i = 0; i < na; i++) {
		if (!mval_eq(&a[i].v, &b[i].v) || mval_cmp(&a[i].v,
		    &b[i].v) != 0 || a[i].sessions != b[i].sessions ||
		    a[i].size != b[i].size || a[i].packets != b[i].packets)
			fail_msg("%s: value %zu differs", what, i);
	}
}

/* Count every key under every query both ways, and the top 3. */
static void
check_counts(const struct store *st, const struct query *q, const char *text)
{
	struct vcount	*a, *b, *t;
	uint32_t	*ids, keep[NSESS + 1];
	uint64_t	 bits[NSESS / 64 + 2];
	size_t		 n, i, j, na, nb, nt, total;
	int		 key;
	char		 what[200];

	n = store_select(st, q, &ids);
	keep[0] = (uint32_t)n;
	memcpy(keep + 1, ids, n * sizeof *ids);
	for (i = 0; i < nitems(count_keys); i++) {
		key = meta_find(count_keys[i], strlen(count_keys[i]));
		snprintf(what, sizeof what, "%s / %s", text, count_keys[i]);
		na = store_count_ids(st, key, q != NULL ? ids : NULL, n,
		    VSORT_COUNT, &a);
		nb = store_count_values(st, key, q != NULL ? keep_in : NULL,
		    keep, VSORT_COUNT, &b);
		same_counts(what, a, na, b, nb);
		nt = store_count_top(st, key, q != NULL ? ids : NULL, n,
		    VSORT_SIZE, 3, &t);
		free(a);
		na = store_count_ids(st, key, q != NULL ? ids : NULL, n,
		    VSORT_SIZE, &a);
		same_counts(what, t, nt, a, na < 3 ? na : 3);
		free(t);
		/* Over the same set as a bitmap: the first 3, and how many. */
		memset(bits, 0, sizeof bits);
		for (j = 0; j < n; j++)
			bits[ids[j] / 64] |= 1ULL << (ids[j] % 64);
		nt = store_count_set(st, key, q != NULL ? ids : NULL, n,
		    q != NULL ? bits : NULL, NSESS + 64, VSORT_SIZE, 3, &t,
		    &total);
		same_counts(what, t, nt, a, na < 3 ? na : 3);
		if (total != na)
			fail_msg("%s: %zu distinct values, want %zu", what,
			    total, na);
		free(a);
		free(b);
		free(t);
	}
	free(ids);
}

/* Counts over selections agree with count.c's scan. */
static void
test_counts(void **state)
{
	struct store	*st = make_store();
	struct query	*q;
	size_t		 i;

	(void)state;
	check_counts(st, NULL, "all");
	for (i = 0; i < nitems(queries); i++) {
		q = compile(queries[i]);
		check_counts(st, q, queries[i]);
		query_free(q);
	}
	store_free(st);
}

/* The histogram counts each session once, in the bucket of its start. */
static void
check_histogram(const struct store *st, const struct query *q,
    uint64_t bucket)
{
	struct store_hist	 h;
	struct session		 buf;
	const struct session	*s;
	uint32_t		*ids;
	uint64_t		 want[NSESS], id, sum = 0;
	char			*cause = NULL;
	size_t			 n, i;

	n = store_select(st, q, &ids);
	assert_true(store_histogram(st, q != NULL ? ids : NULL, n, bucket, 10,
	    &h, &cause));
	assert_true(h.n > 0 && h.n <= NSESS);
	if (bucket == 0)
		assert_true(h.n <= 10);
	assert_int_equal(h.first % h.bucket, 0);
	memset(want, 0, sizeof want);
	for (i = 0; i < n; i++) {
		s = store_get(st, ids[i], &buf);
		id = (s->t_first - h.first) / h.bucket;
		assert_true(id < h.n);
		want[id]++;
	}
	for (i = 0; i < h.n; i++) {
		assert_int_equal(h.count[i], want[i]);
		sum += h.count[i];
	}
	assert_int_equal(sum, n);
	assert_true(h.count[0] > 0 && h.count[h.n - 1] > 0);
	free(h.count);
	free(ids);
}

/* Sessions over time: fixed and chosen buckets, all sessions and a query;
 * too many buckets is refused. */
static void
test_histogram(void **state)
{
	struct store		*st = make_store();
	struct query		*q = compile("ip.proto = 6");
	struct store_hist	 h;
	char			*cause = NULL;

	(void)state;
	check_histogram(st, NULL, 1000000000ULL);
	check_histogram(st, NULL, 7000000000ULL);
	check_histogram(st, q, 60000000000ULL);
	check_histogram(st, NULL, 0);
	check_histogram(st, q, 0);
	assert_int_equal(store_hist_bucket(0, 59999999999ULL, 60),
	    1000000000ULL);
	assert_int_equal(store_hist_bucket(0, 60000000000ULL, 60),
	    2000000000ULL);
	assert_false(store_histogram(st, NULL, 0, 1000, 0, &h, &cause));
	assert_string_equal(cause, "more than 1000000 buckets");
	free(cause);
	query_free(q);
	store_free(st);
}

/*
 * Keys warmed a slice at a time (one index pass for several keys) count
 * as keys indexed by their first reader do; a warmed store reports done.
 */
static void
test_warm(void **state)
{
	struct store	*st = make_store(), *cold = make_store();
	struct vcount	*a, *b;
	struct query	*q = compile("ip.proto = 6 && direction = 'outbound'");
	uint32_t	*ids;
	int		 keys[nitems(count_keys) + 1];
	size_t		 i, n, na, nb, turns = 0;

	(void)state;
	for (i = 0; i < nitems(count_keys); i++)
		keys[i] = meta_find(count_keys[i], strlen(count_keys[i]));
	keys[i] = keys[0];		/* a key twice */
	while (!store_warm(st, keys, nitems(keys), 7))
		turns++;
	assert_int_equal(turns, (store_count(st) + 6) / 7 - 1);
	assert_true(store_warm(st, keys, nitems(keys), 7));
	n = store_select(st, q, &ids);
	assert_true(n > 0);
	for (i = 0; i < nitems(count_keys); i++) {
		na = store_count_ids(st, keys[i], ids, n, VSORT_SIZE, &a);
		nb = store_count_ids(cold, keys[i], ids, n, VSORT_SIZE, &b);
		same_counts(count_keys[i], a, na, b, nb);
		free(a);
		free(b);
	}
	free(ids);
	check_counts(st, q, "warmed");
	query_free(q);
	store_free(st);
	store_free(cold);
}

/* The lowest sessionid's spelling wins, whatever the closing order. */
static void
test_spelling(void **state)
{
	static const struct session_ctx	 ctx = { NULL, NULL, 0, NULL, NULL };
	struct store	*st = store_new();
	struct session	*s;
	struct vcount	*v;
	uint64_t	 id;
	size_t		 n;

	(void)state;
	store_set_ctx(st, &ctx);
	for (id = 3; id >= 1; id--) {
		s = make_session(id);
		session_meta_drop(s, MF_PARSER | MF_RULE);
		add_text(s, "alias.host", id == 2 ? "Host.Example" :
		    "HOST.example", MF_PARSER);
		store_add(st, s);
	}
	n = store_count_ids(st, meta_find("alias.host", 10), NULL, 0,
	    VSORT_COUNT, &v);
	assert_int_equal(n, 1);
	assert_int_equal(v[0].sessions, 3);
	assert_memory_equal(v[0].v.text.p, "HOST.example", 12);
	free(v);
	store_free(st);
}

/* Meta changed after store_add is seen once the store is reindexed. */
static void
test_reindex(void **state)
{
	struct store	*st = make_store();
	struct query	*q = compile("ioc = 'late rule'");
	struct session	 s;
	uint32_t	*ids;
	uint64_t	 id;
	size_t		 n;

	(void)state;
	n = store_select(st, q, &ids);	/* reading indexes what is queued */
	free(ids);
	for (id = 5; id <= 50; id += 9) {
		assert_non_null(store_get(st, id, &s));
		session_meta_own(&s);
		add_text(&s, "ioc", "late rule", MF_RULE);
		store_update(st, id, &s);
		session_meta_free(&s);
	}
	n = store_select(st, q, &ids);
	assert_int_equal(n, 0);		/* the index has not seen it yet */
	free(ids);
	store_reindex(st);
	n = store_select(st, q, &ids);
	assert_int_equal(n, 6);
	assert_int_equal(ids[0], 5);
	assert_int_equal(ids[5], 50);
	free(ids);
	for (id = 1; id <= NSESS; id++) {
		if (store_get(st, id, &s) == NULL)
			continue;
		session_meta_drop(&s, MF_RULE);
		store_update(st, id, &s);
		session_meta_free(&s);
	}
	store_reindex(st);
	n = store_select(st, q, &ids);
	assert_int_equal(n, 0);
	free(ids);
	check_counts(st, NULL, "after reindex");
	query_free(q);
	store_free(st);
}

/* Selections and counts agree with query_match over what is kept. */
static void
check_kept(struct store *st, const char *what)
{
	struct query	*q;
	uint32_t	 want[NSESS], *got;
	size_t		 i, nw, ng;

	for (i = 0; i < nitems(queries); i++) {
		q = compile(queries[i]);
		nw = brute(st, q, want);
		ng = store_select(st, q, &got);
		if (ng != nw || memcmp(got, want, nw * sizeof *got) != 0)
			fail_msg("%s: %s: %zu ids, want %zu", what, queries[i],
			    ng, nw);
		free(got);
		check_counts(st, q, queries[i]);
		query_free(q);
	}
}

/*
 * Retention drops the oldest sessions by closing order, from an index
 * that built nothing yet and from one that did; the ids kept are exactly
 * the newest, and the index answers as a scan of them.
 */
static void
test_retain(void **state)
{
	static const struct session_ctx	 ctx = { NULL, NULL, 0, NULL, NULL };
	struct store	*st = store_new();
	uint64_t	 first = 1704067200ULL * 1000000000ULL, id;
	uint32_t	*ids;
	size_t		 n;

	(void)state;
	store_set_ctx(st, &ctx);
	store_solo(st);
	store_retain_set(st, 0, 40);
	seed = 7;
	for (id = 1; id <= 30; id++)
		store_add(st, make_session(id));
	store_retain(st, first, true);
	assert_int_equal(store_dropped(st), 0);
	for (id = 31; id <= 50; id++)
		store_add(st, make_session(id));
	store_retain(st, first, true);	/* the index has built nothing */
	assert_int_equal(store_dropped(st), 10);
	assert_int_equal(store_kept(st), 40);
	n = store_select(st, NULL, &ids);
	assert_int_equal(n, 40);
	assert_int_equal(ids[0], 11);
	free(ids);
	check_kept(st, "dropped before any read");
	for (id = 51; id <= NSESS; id++)
		store_add(st, make_session(id));
	store_retain(st, first, true);	/* the index is built again */
	assert_int_equal(store_dropped(st), 20);
	for (id = 1; id <= 20; id++)
		assert_false(store_has(st, id));
	assert_true(store_has(st, 21));
	check_kept(st, "dropped after reads");
	/* By age: t_first is id / 4 s after first, t_last 1 us later. */
	store_retain_set(st, 5000000000ULL, 0);
	store_retain(st, first + (NSESS / 4) * 1000000000ULL, true);
	n = store_select(st, NULL, &ids);
	assert_int_equal(n, NSESS - 40 + 1);
	assert_int_equal(ids[0], 40);
	free(ids);
	check_kept(st, "by age");
	store_free(st);
}

/*
 * Retention set on a store that already holds sessions drops only those
 * taken since, and never frees the memory the earlier ones live in.
 */
static void
test_retain_late(void **state)
{
	struct store	*st = make_store();	/* 59 sessions, shuffled */
	struct session	 buf;
	uint64_t	 id;
	size_t		 n;

	(void)state;
	store_solo(st);
	store_retain_set(st, 0, 10);
	for (id = NSESS + 1; id <= NSESS + 30000; id++)
		store_add(st, make_session(id));
	store_retain(st, 0, true);
	assert_int_equal(store_dropped(st), 29990);
	for (id = 1, n = 0; id < store_end(st); id++)
		n += store_get(st, id, &buf) != NULL;
	assert_int_equal(n, NSESS - 1 + 10);
	assert_non_null(store_get(st, 1, &buf));
	assert_int_equal(buf.id, 1);
	store_free(st);
}

/* An empty store answers everything with nothing. */
static void
test_empty(void **state)
{
	struct store	*st = store_new();
	struct query	*q = compile("ip.proto != 6");
	struct vcount	*v;
	uint32_t	*ids;

	(void)state;
	assert_int_equal(store_select(st, q, &ids), 0);
	free(ids);
	assert_int_equal(store_select(st, NULL, &ids), 0);
	free(ids);
	assert_int_equal(store_count_ids(st, K_IP_PROTO, NULL, 0,
	    VSORT_COUNT, &v), 0);
	free(v);
	assert_int_equal(store_count_ids(st, K_SIZE, NULL, 0,
	    VSORT_COUNT, &v), 0);
	free(v);
	query_free(q);
	store_free(st);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_select_table),
		cmocka_unit_test(test_counts),
		cmocka_unit_test(test_warm),
		cmocka_unit_test(test_histogram),
		cmocka_unit_test(test_spelling),
		cmocka_unit_test(test_reindex),
		cmocka_unit_test(test_empty),
		cmocka_unit_test(test_retain),
		cmocka_unit_test(test_retain_late),
	};

	return (cmocka_run_group_tests(tests, NULL, NULL));
}
