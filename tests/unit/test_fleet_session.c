/*
 * test_fleet_session.c - one session over the store (view/session.h): its
 * meta, its fragments and its packets fetched from its sensor, or why
 * not: no setting names the sensor's place, the sensor cannot be reached,
 * its file lost the records.  It needs a server holding shipped sessions:
 * tests/sh/test_fleet_session.sh starts one and sets HUNTCON_TEST_STORE
 * (URL), _SENSOR, _RUN, _ID (a split session), _OUT (where the packets
 * and fragments go, for the script to compare with a local read) and
 * _CUT (the shipped capture, cut short by the last test); without them
 * every test passes untested.
 */
/* SPDX-License-Identifier: GPL-3.0-or-later */

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>

#include "batch/batch.h"
#include "fleet/fleet.h"
#include "view/session.h"

static const char	*env_store, *env_sensor, *env_run, *env_out, *env_cut;
static uint64_t		 env_id;

/* What the packets given said. */
struct given {
	FILE		*out;		/* NULL: not written */
	uint64_t	 t_first;
	size_t		 n, read;
	enum view_pkt_state last;
	char		*why;
	size_t		 next;		/* the k expected */
};

/* Whether the environment names a store and session. */
static bool
have_store(void)
{
	env_store = getenv("HUNTCON_TEST_STORE");
	env_sensor = getenv("HUNTCON_TEST_SENSOR");
	env_run = getenv("HUNTCON_TEST_RUN");
	env_out = getenv("HUNTCON_TEST_OUT");
	env_cut = getenv("HUNTCON_TEST_CUT");
	if (getenv("HUNTCON_TEST_ID") != NULL)
		env_id = strtoull(getenv("HUNTCON_TEST_ID"), NULL, 10);
	return (env_store != NULL && env_sensor != NULL && env_run != NULL &&
	    env_id != 0);
}

/* Keep one packet: a line "time<TAB>offset<TAB>direction<TAB>length". */
static bool
give(const struct view_packet *p, void *arg)
{
	struct given	*g = arg;
	struct buf	 b;

	assert_int_equal(p->k, g->next);
	g->next++;
	g->n++;
	g->last = p->state;
	if (p->state != VIEW_PKT_READ) {
		free(g->why);
		g->why = xstrdup(p->why);
		return (true);
	}
	g->read++;
	assert_non_null(p->frame);
	assert_non_null(strchr(p->frame, '@'));
	if (g->out == NULL)
		return (true);
	buf_init(&b);
	batch_pkt_time(&b, p->ts, g->t_first, p->prec, "\t");
	buf_printf(&b, "\t%s\t%u\n", p->side == 0 ? "request" : p->side ==
	    1 ? "response" : "-", p->wirelen);
	fputs(b.s, g->out);
	buf_free(&b);
	return (true);
}

/* Open the session over the store with cfg; its packets into g. */
static void
ask(const struct engine_config *cfg, struct given *g)
{
	struct fleet_url	 u;
	struct view		 v;
	struct view_session	 vs;
	struct view_ref		 ref = { env_id, env_sensor, env_run };
	struct mval		 id;
	char			*cause = NULL;

	assert_true(fleet_url_parse(&u, env_store, &cause));
	view_fleet(&v, &u);
	view_fleet_packets(&v, cfg);
	if (!view_session_open(&v, &ref, &vs, &cause))
		fail_msg("%s", cause);
	assert_int_equal(vs.r->values(vs.r, vs.id, K_SESSIONID, &id, 1), 1);
	assert_int_equal(id.u, env_id);
	assert_true(vs.packets);
	assert_true(vs.npkts > 0);
	assert_true(vs.nfrag > 1);
	g->t_first = vs.t_first;
	assert_true(view_session_packets(&v, &vs, 0, vs.npkts, VIEW_PKT_SHOW,
	    give, g, &cause));
	assert_int_equal(g->n, vs.npkts);
	view_session_free(&v, &vs);
	view_free(&v);
	fleet_url_free(&u);
}

/* Settings naming one place, where, for the session's sensor. */
static void
one_sensor(struct engine_config *cfg, struct sensor_place *sp,
    const char *where)
{
	memset(cfg, 0, sizeof *cfg);
	sp->name = (char *)env_sensor;
	sp->where = (char *)where;
	cfg->sensors = sp;
	cfg->nsensors = 1;
}

/* The packets, fetched here, as a local read gives them; the fragments. */
static void
test_local(void **state)
{
	struct sensor_place	 sp;
	struct engine_config	 cfg;
	struct given		 g;

	(void)state;
	if (!have_store())
		return;
	one_sensor(&cfg, &sp, "local:");
	memset(&g, 0, sizeof g);
	assert_non_null(g.out = fopen(env_out, "w"));
	ask(&cfg, &g);
	assert_int_equal(g.read, g.n);
	fclose(g.out);
}

/* The session's fragments, as lines "id split size packets self". */
static void
test_fragments(void **state)
{
	struct fleet_url	 u;
	struct view		 v;
	struct view_session	 vs;
	struct view_ref		 ref;
	char			*cause = NULL, *path;
	FILE			*f;
	size_t			 i, self = 0;

	(void)state;
	if (!have_store())
		return;
	ref = (struct view_ref){ env_id, env_sensor, env_run };
	assert_true(fleet_url_parse(&u, env_store, &cause));
	view_fleet(&v, &u);
	assert_true(view_session_open(&v, &ref, &vs, &cause));
	assert_false(vs.packets);	/* no settings given */
	xasprintf(&path, "%s.frag", env_out);
	assert_non_null(f = fopen(path, "w"));
	for (i = 0; i < vs.nfrag; i++) {
		fprintf(f, "%llu\t%u\t%llu\t%llu\n",
		    (unsigned long long)vs.frag[i].id, vs.frag[i].split,
		    (unsigned long long)vs.frag[i].size,
		    (unsigned long long)vs.frag[i].packets);
		self += vs.frag[i].self;
	}
	assert_int_equal(self, 1);
	fclose(f);
	free(path);
	view_session_free(&v, &vs);
	ref.id = 999999;
	assert_false(view_session_open(&v, &ref, &vs, &cause));
	assert_non_null(strstr(cause, "no session 999999"));
	free(cause);
	view_free(&v);
	fleet_url_free(&u);
}

/* No setting names the sensor's place: each packet says so. */
static void
test_no_place(void **state)
{
	struct engine_config	 cfg;
	struct given		 g;

	(void)state;
	if (!have_store())
		return;
	memset(&cfg, 0, sizeof cfg);
	memset(&g, 0, sizeof g);
	ask(&cfg, &g);
	assert_int_equal(g.read, 0);
	assert_int_equal(g.last, VIEW_PKT_UNREACHABLE);
	assert_non_null(strstr(g.why, "no fleet.sensor."));
	free(g.why);
}

/* A sensor that cannot be reached (its ssh command fails): named. */
static void
test_unreachable(void **state)
{
	struct sensor_place	 sp;
	struct engine_config	 cfg;
	struct given		 g;

	(void)state;
	if (!have_store())
		return;
	one_sensor(&cfg, &sp, "ssh:nohost.invalid");
	cfg.ssh_command = (char *)"false";
	memset(&g, 0, sizeof g);
	ask(&cfg, &g);
	assert_int_equal(g.read, 0);
	assert_int_equal(g.last, VIEW_PKT_UNREACHABLE);
	assert_non_null(strstr(g.why, "could not be reached"));
	assert_non_null(strstr(g.why, "ssh:nohost.invalid"));
	free(g.why);
}

/* The sensor's file lost its records (cut short): they left it. */
static void
test_gone(void **state)
{
	struct sensor_place	 sp = { NULL, (char *)"local:" };
	struct engine_config	 cfg;
	struct given		 g;

	(void)state;
	if (!have_store() || env_cut == NULL)
		return;
	assert_int_equal(truncate(env_cut, 24), 0);
	memset(&cfg, 0, sizeof cfg);
	sp.name = (char *)env_sensor;
	cfg.sensors = &sp;
	cfg.nsensors = 1;
	memset(&g, 0, sizeof g);
	ask(&cfg, &g);
	assert_int_equal(g.read, 0);
	assert_int_equal(g.last, VIEW_PKT_GONE);
	assert_non_null(strstr(g.why, "no longer on sensor"));
	assert_non_null(strstr(g.why, "no record at offset"));
	free(g.why);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_local),
		cmocka_unit_test(test_fragments),
		cmocka_unit_test(test_no_place),
		cmocka_unit_test(test_unreachable),
		cmocka_unit_test(test_gone),
	};

	return (cmocka_run_group_tests(tests, NULL, NULL));
}
