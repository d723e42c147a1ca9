/*
 * test_engines.c - two engines in one process keep their own parser
 * settings: the same DNS query and pings give each engine the indicators
 * of its own thresholds, whether the engines run one after the other or
 * interleaved, with the parsers' thread and without.
 */
/* SPDX-License-Identifier: GPL-3.0-or-later */

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "engine/engine.h"
#include "store/store.h"

#define T0	1700000000000000000ULL	/* ns */
#define MS	1000000ULL

/* A query name of 33 characters, labels of 10: long only past 20. */
#define QNAME	"\012abcdefghij\012klmnopqrst\007example\003com"

/* One engine with its store and the settings it was made with. */
struct run {
	struct engine_config	 cfg;
	struct session_ctx	 ctx;
	struct store		*st;
	struct engine		*e;
};

/* Feed an Ethernet frame of IPv4 protocol proto with payload l4 (n). */
static void
feed(struct run *r, uint64_t ts, uint8_t proto, const uint8_t *l4, size_t n)
{
	uint8_t			 f[14 + 20 + 256];
	struct capture_packet	 p;

	assert_true(n <= 256);
	memset(f, 0, 14 + 20);
	f[12] = 0x08;
	f[14] = 0x45;
	f[16] = (uint8_t)((20 + n) >> 8);
	f[17] = (uint8_t)(20 + n);
	f[22] = 64;
	f[23] = proto;
	memcpy(f + 26, "\x0a\x00\x00\x01\x0a\x00\x00\x02", 8);
	memcpy(f + 34, l4, n);
	memset(&p, 0, sizeof p);
	p.ts = ts;
	p.caplen = p.wirelen = (uint32_t)(14 + 20 + n);
	p.data = f;
	p.dlt = 1;
	p.prec = 6;
	engine_packet(r->e, &p);
}

/* Feed a DNS query for QNAME from port 49152 to 53. */
static void
feed_dns(struct run *r, uint64_t ts)
{
	uint8_t	u[8 + 12 + sizeof QNAME + 4];
	size_t	n = sizeof u;

	memset(u, 0, sizeof u);
	u[0] = 0xc0;
	u[3] = 53;
	u[4] = (uint8_t)(n >> 8);
	u[5] = (uint8_t)n;
	memcpy(u + 8, "\x12\x34\x01\x00\x00\x01", 6);
	memcpy(u + 20, QNAME, sizeof QNAME);	/* with the root's 0 */
	u[20 + sizeof QNAME + 1] = 1;		/* type A */
	u[20 + sizeof QNAME + 3] = 1;		/* class IN */
	feed(r, ts, 17, u, n);
}

/* Feed an echo request with sequence seq and n bytes of payload. */
static void
feed_ping(struct run *r, uint64_t ts, uint8_t seq, size_t n)
{
	uint8_t	i[8 + 128];
	size_t	k;

	memset(i, 0, 8);
	i[0] = 8;
	i[5] = 1;
	i[7] = seq;
	for (k = 0; k < n; k++)
		i[8 + k] = (uint8_t)(0x10 + k);
	feed(r, ts, 1, i, 8 + n);
}

/* Make an engine with its own store and settings (NULL-terminated). */
static void
run_start(struct run *r, const char *const *set)
{
	static const char	*names[] = { "eth0", NULL };
	char			*cause = NULL;

	memset(r, 0, sizeof *r);
	r->ctx.inputs = names;
	r->st = store_new();
	store_set_ctx(r->st, &r->ctx);
	engine_config_init(&r->cfg);
	for (; *set != NULL; set++) {
		if (!engine_config_set(&r->cfg, *set, &cause))
			fail_msg("%s", cause);
	}
	r->e = engine_new(&r->cfg, r->st);
}

/* Feed one of the four packets of a run (step 0 to 3). */
static void
run_step(struct run *r, int step)
{
	uint64_t	ts = T0 + (uint64_t)step * MS;

	if (step == 0)
		feed_dns(r, ts);
	else
		feed_ping(r, ts, (uint8_t)step, step == 3 ? 100 : 56);
}

/* Whether session id of a run has value text of analysis.service or
   analysis.session. */
static bool
run_has(struct run *r, uint64_t id, const char *key, const char *text)
{
	struct session	 buf;
	const struct session *s;
	struct mval	 v[32];
	size_t		 n, i;

	s = store_get(r->st, id, &buf);
	assert_non_null(s);
	n = session_meta_get(s, meta_find(key, strlen(key)), v, 32);
	for (i = 0; i < n && i < 32; i++) {
		if (v[i].type == MT_TEXT && v[i].text.n == strlen(text) &&
		    memcmp(v[i].text.p, text, v[i].text.n) == 0)
			return (true);
	}
	return (false);
}

/*
 * Finish a run and check it: the DNS session (1) says 'dns long query'
 * when long_query, the ICMP session (2) 'icmp payload size varies' when
 * sizes.
 */
static void
run_check(struct run *r, bool long_query, bool sizes)
{
	engine_finish(r->e);
	assert_int_equal(store_count(r->st), 2);
	assert_int_equal(run_has(r, 1, "analysis.service", "dns long query"),
	    long_query);
	assert_int_equal(run_has(r, 2, "analysis.session",
	    "icmp payload size varies"), sizes);
	engine_free(r->e);
	engine_config_free(&r->cfg);
	store_free(r->st);
}

/* Settings of engine A (strict about names, blind to sizes) and B. */
static const char *const set_a[][4] = {
	{ "dns.long_query=20", "icmp.size_variants=0", "parse.thread=0",
	  NULL },
	{ "dns.long_query=20", "icmp.size_variants=0", "parse.thread=1",
	  NULL },
};
static const char *const set_b[][4] = {
	{ "dns.long_query=64", "icmp.size_variants=2", "parse.thread=0",
	  NULL },
	{ "dns.long_query=64", "icmp.size_variants=2", "parse.thread=1",
	  NULL },
};

/* Both engines made first, then A run to its end, then B. */
static void
test_one_after_other(void **state)
{
	struct run	a, b;
	int		t, i;

	(void)state;
	for (t = 0; t < 2; t++) {
		run_start(&a, set_a[t]);
		run_start(&b, set_b[t]);
		for (i = 0; i < 4; i++)
			run_step(&a, i);
		run_check(&a, true, false);
		for (i = 0; i < 4; i++)
			run_step(&b, i);
		run_check(&b, false, true);
	}
}

/* Both engines fed packet by packet in turn, B's thread against A's
   without, and finished in the order they were made. */
static void
test_interleaved(void **state)
{
	struct run	a, b;
	int		t, i;

	(void)state;
	for (t = 0; t < 4; t++) {
		run_start(&a, set_a[t & 1]);
		run_start(&b, set_b[t >> 1]);
		for (i = 0; i < 4; i++) {
			run_step(&a, i);
			run_step(&b, i);
		}
		run_check(&a, true, false);
		run_check(&b, false, true);
	}
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_one_after_other),
		cmocka_unit_test(test_interleaved),
	};

	return (cmocka_run_group_tests(tests, NULL, NULL));
}
