/*
 * test_engine.c - the clock of live capture: with no further packet,
 * engine_tick() with the wall time closes an idle session and it reaches
 * the store within a bounded wait, with the parsers' thread and without.
 */
/* SPDX-License-Identifier: GPL-3.0-or-later */

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include <time.h>

#include <cmocka.h>

#include "engine/engine.h"
#include "store/store.h"

#define T0	1700000000000000000ULL	/* ns */
#define SEC	1000000000ULL

/* Feed one UDP datagram of an exchange (reply: the other way). */
static void
feed_udp(struct engine *e, uint64_t ts, int reply)
{
	unsigned char		 f[14 + 20 + 8 + 20];
	struct capture_packet	 p;
	int			 a = reply ? 30 : 26, b = reply ? 26 : 30;

	memset(f, 0, sizeof f);
	f[12] = 0x08;
	f[14] = 0x45;
	f[17] = 20 + 8 + 20;
	f[22] = 64;
	f[23] = 17;
	memcpy(f + a, "\x0a\xe7\x01\x02", 4);
	memcpy(f + b, "\x0a\xe7\x01\x01", 4);
	f[reply ? 36 : 34] = 0xc0;		/* port 49152 */
	f[reply ? 34 : 36] = 0x13;		/* port 5000 */
	f[reply ? 35 : 37] = 0x88;
	f[39] = 8 + 20;
	memset(&p, 0, sizeof p);
	p.ts = ts;
	p.caplen = p.wirelen = sizeof f;
	p.data = f;
	p.dlt = 1;
	p.prec = 6;
	engine_packet(e, &p);
}

/*
 * An exchange, then ticks only: the session is in the store before
 * engine_finish(), within 200 ticks 5 ms apart (a second).
 */
static void
run_idle(const char *thread)
{
	struct store		*st = store_new();
	struct engine_config	 cfg;
	struct session_ctx	 ctx = { NULL, NULL, 0, NULL, NULL };
	const char		*names[] = { "veth0", NULL };
	struct engine		*e;
	struct timespec		 ms5 = { 0, 5000000 };
	char			*cause = NULL;
	int			 i;

	ctx.inputs = names;
	store_set_ctx(st, &ctx);
	engine_config_init(&cfg);
	assert_true(engine_config_set(&cfg, "session.idle_timeout=2", &cause));
	assert_true(engine_config_set(&cfg, thread, &cause));
	e = engine_new(&cfg, st);
	feed_udp(e, T0, 0);
	feed_udp(e, T0 + SEC / 100, 1);
	engine_tick(e, T0 + SEC);
	assert_int_equal(store_count(st), 0);	/* not idle yet */
	for (i = 0; i < 200 && store_count(st) == 0; i++) {
		engine_tick(e, T0 + 3 * SEC + (uint64_t)i * SEC / 200);
		nanosleep(&ms5, NULL);
	}
	assert_int_equal(store_count(st), 1);
	assert_int_equal(engine_stats(e)->read, 2);
	engine_finish(e);
	assert_int_equal(store_count(st), 1);
	engine_free(e);
	engine_config_free(&cfg);
	store_free(st);
}

/* With the parsers' thread (woken by the tick, not by 1,024 jobs). */
static void
test_idle_closes_with_thread(void **state)
{
	(void)state;
	run_idle("parse.thread=1");
}

/* Without it. */
static void
test_idle_closes_without_thread(void **state)
{
	(void)state;
	run_idle("parse.thread=0");
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_idle_closes_with_thread),
		cmocka_unit_test(test_idle_closes_without_thread),
	};

	return (cmocka_run_group_tests(tests, NULL, NULL));
}
