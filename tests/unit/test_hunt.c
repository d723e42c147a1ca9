/*
 * test_hunt.c - one hunt over a capture file: read on this thread and on
 * a worker the store and the figures come out the same; the gate of a
 * file does not wait; rules re-applied a slice at a time reach every
 * session once the index is rebuilt.
 */
/* SPDX-License-Identifier: GPL-3.0-or-later */

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <cmocka.h>

#include "capture/capture.h"
#include "engine/engine.h"
#include "engine/hunt.h"
#include "query/query.h"
#include "rules/rules.h"
#include "store/store.h"
#include "unit/tmpdir.h"

#define NPKT	600
#define NFLOWS	30

static char	 dir[] = "/tmp/huntcon-hunt-XXXXXX";

/* Put a 32-bit value in the host's order (the pcap header's). */
static void
put32(FILE *fp, uint32_t v)
{
	assert_int_equal(fwrite(&v, 4, 1, fp), 1);
}

/* Write record i: Ethernet, IPv4, UDP on flow i % NFLOWS. */
static void
put_record(FILE *fp, unsigned i)
{
	unsigned char	 f[14 + 20 + 8 + 16];
	unsigned	 port = 10000 + i % NFLOWS;

	memset(f, 0, sizeof f);
	memcpy(f, "\x00\x11\x22\x33\x44\x55\x00\x66\x77\x88\x99\xaa\x08\x00",
	    14);
	f[14] = 0x45;
	f[17] = sizeof f - 14;
	f[22] = 64;
	f[23] = 17;
	memcpy(f + 26, "\x0a\x00\x00\x01\xc0\x00\x02\x01", 8);
	f[34] = (unsigned char)(port >> 8);
	f[35] = (unsigned char)port;
	f[36] = 0x13;
	f[37] = 0x88;
	f[39] = sizeof f - 34;
	put32(fp, 1700000000 + i / 1000);
	put32(fp, (i % 1000) * 1000);
	put32(fp, sizeof f);
	put32(fp, sizeof f);
	assert_int_equal(fwrite(f, 1, sizeof f, fp), sizeof f);
}

/* Write the test capture to path. */
static void
write_capture(const char *path)
{
	FILE		*fp = fopen(path, "wb");
	unsigned	 i;

	assert_non_null(fp);
	put32(fp, 0xa1b2c3d4);
	put32(fp, 0x00040002);
	put32(fp, 0);
	put32(fp, 0);
	put32(fp, 65535);
	put32(fp, 1);
	for (i = 0; i < NPKT; i++)
		put_record(fp, i);
	assert_int_equal(fclose(fp), 0);
}

/* A hunt over the test capture (written once). */
static struct hunt *
make_hunt(const struct engine_config *cfg, int flags)
{
	static char	 path[256];
	struct capture	*c;

	if (path[0] == '\0') {
		snprintf(path, sizeof path, "%s/in.pcap", dir);
		write_capture(path);
	}
	c = capture_new(NULL, NULL);
	capture_add(c, path);
	return (hunt_new(c, cfg, flags));
}

/* Wait (5 s at most) until a worker has read everything. */
static void
wait_loaded(struct hunt *h)
{
	struct timespec	 ms5 = { 0, 5000000 };
	int		 i;

	for (i = 0; i < 1000 && !hunt_loaded(h); i++)
		nanosleep(&ms5, NULL);
	assert_true(hunt_loaded(h));
}

/* Read on this thread and on a worker: the same figures. */
static void
test_run_and_start(void **state)
{
	struct engine_config	 cfg;
	struct hunt		*a, *b;
	struct hunt_status	 sa, sb;

	(void)state;
	engine_config_init(&cfg);
	a = make_hunt(&cfg, HUNT_SOLO);
	b = make_hunt(&cfg, 0);
	assert_false(hunt_loaded(a));
	assert_null(hunt_engine(a));
	hunt_run(a);
	hunt_start(b);
	hunt_gate_enter(b);		/* a file: no wait, nothing held */
	assert_false(hunt_gate_held(b));
	hunt_gate_leave(b);
	wait_loaded(b);
	hunt_status(a, &sa);
	hunt_status(b, &sb);
	assert_true(sa.loaded && sb.loaded);
	assert_false(sa.live || sa.wall || sb.live);
	assert_int_equal(sa.ninputs, 1);
	assert_int_equal(sa.packets, NPKT);
	assert_int_equal(sb.packets, NPKT);
	assert_int_equal(sa.closed, NFLOWS);
	assert_int_equal(sb.closed, NFLOWS);
	assert_int_equal(sa.errors, 0);
	assert_int_equal(sa.bytes_done, sa.bytes_total);
	assert_non_null(strstr(hunt_input_name(a, 0), "in.pcap"));
	assert_true(hunt_indexable(b) && !hunt_capturing(b));
	assert_false(hunt_end(b));	/* not live */
	hunt_free(a, true);
	hunt_free(b, true);
	engine_config_free(&cfg);
}

/* Sessions whose ioc is 'u'. */
static size_t
count_u(struct store *st)
{
	struct query	*q = query_compile("ioc = 'u'", 9, 0, NULL);
	uint32_t	*ids;
	size_t		 n;

	assert_non_null(q);
	n = store_select(st, q, &ids);
	free(ids);
	query_free(q);
	return (n);
}

/* Rules re-applied a slice at a time reach every session. */
static void
test_reapply(void **state)
{
	static const char text[] = "name=u rule=\"ip.proto = 17\" alert=ioc\n";
	struct engine_config	 cfg;
	struct ruleset		*rs;
	struct hunt		*h;
	int			 steps = 0, pct, last = -1;

	(void)state;
	engine_config_init(&cfg);
	h = make_hunt(&cfg, 0);
	hunt_start(h);
	wait_loaded(h);
	assert_int_equal(count_u(hunt_store(h)), 0);
	rs = rules_load_buffer("test.nwr", text, sizeof text - 1);
	assert_int_equal(hunt_reapply_progress(h), -1);
	hunt_reapply_start(h, rs);
	while (!hunt_reapply_step(h, 7)) {
		pct = hunt_reapply_progress(h);
		assert_true(pct >= last && pct < 100);
		last = pct;
		steps++;
	}
	assert_int_equal(steps, NFLOWS / 7);
	assert_int_equal(hunt_reapply_progress(h), -1);
	store_reindex(hunt_store(h));
	assert_int_equal(count_u(hunt_store(h)), NFLOWS);
	hunt_free(h, true);
	rules_free(rs);
	engine_config_free(&cfg);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_run_and_start),
		cmocka_unit_test(test_reapply),
	};

	return (run_in_tmpdir(dir, tests));
}
