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
#include "unit/udpcap.h"

#define NPKT	600
#define NFLOWS	30

static char	 dir[] = "/tmp/huntcon-hunt-XXXXXX";

/* Write the test capture to path: NPKT records of 58 bytes, payload 0. */
static void
write_capture(const char *path)
{
	FILE		*fp = fopen(path, "wb");
	unsigned	 i;

	assert_non_null(fp);
	udpcap_header(fp, 65535);
	for (i = 0; i < NPKT; i++)
		udpcap_record(fp, i, NFLOWS, 14 + 20 + 8 + 16, 0);
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
