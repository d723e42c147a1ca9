/* test_session.c - the session table: keys, initiator, end, idle, split. */
/* SPDX-License-Identifier: GPL-3.0-or-later */

#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "session/session.h"
#include "store/record.h"

#define SEC	1000000000ULL

/* Closed sessions collected by the test's close callback. */
struct closed {
	struct session	*s[64];
	size_t		 n;
};

static void
collect(struct session *s, void *arg)
{
	struct closed	*c = arg;

	assert_true(c->n < 64);
	c->s[c->n++] = s;
}

static void
closed_free(struct closed *c)
{
	for (size_t i = 0; i < c->n; i++)
		session_free(c->s[i]);
	c->n = 0;
}

static struct session_config cfg = {
	60 * SEC, 2 * SEC, 32 * 1024 * 1024, 60 * SEC, 0
};

static uint64_t ordinal;

/* Feed a decoded packet of len bytes at ts. */
static void
feed_decoded(struct session_table *t, const struct decoded *d, uint64_t ts,
    uint32_t len)
{
	struct pkt_ref	r;

	r.ordinal = ordinal++;
	r.ts = ts;
	r.wirelen = len;
	r.input = 0;
	session_table_clock(t, ts);
	session_table_packet(t, d, &r, 6);
}

/* Feed a packet from a to b with the given proto, ports, flags. */
static void
feed(struct session_table *t, uint8_t a, uint8_t b, uint8_t proto,
    uint16_t sp, uint16_t dp, uint8_t flags, uint64_t ts, uint32_t len,
    uint32_t payload)
{
	struct decoded	d;

	memset(&d, 0, sizeof d);
	d.af = 4;
	d.proto = proto;
	d.src[0] = 10; d.src[3] = a;
	d.dst[0] = 10; d.dst[3] = b;
	d.sport = sp;
	d.dport = dp;
	d.tcp_flags = flags;
	d.payload_len = payload;
	d.medium = 1;
	if (proto == 1) {
		d.has_icmp = true;
		d.icmp_type = flags;
	}
	feed_decoded(t, &d, ts, len);
}

/* The uint value of a core key. */
static uint64_t
val(const struct session *s, int key)
{
	struct mval	v;

	assert_int_equal(session_values(s, NULL, key, &v, 1), 1);
	return (v.u);
}

/* The last address byte of the initiator. */
static uint8_t
ini(const struct session *s)
{
	struct mval	v;

	assert_int_equal(session_values(s, NULL, K_IP_SRC, &v, 1), 1);
	return (v.ip[3]);
}

/* Feed a UDP packet between two addresses of family af (4 or 16 bytes). */
static void
feed_addr(struct session_table *t, uint8_t af, const uint8_t *src,
    const uint8_t *dst, uint16_t sp, uint16_t dp, uint64_t ts)
{
	struct decoded	d;

	memset(&d, 0, sizeof d);
	d.af = af;
	d.proto = 17;
	memcpy(d.src, src, af == 4 ? 4 : 16);
	memcpy(d.dst, dst, af == 4 ? 4 : 16);
	d.sport = sp;
	d.dport = dp;
	d.medium = 1;
	feed_decoded(t, &d, ts, 80);
}

/*
 * Side 0 is the lower address in network byte order, whichever byte tells
 * them apart, and both directions meet in one session.
 */
static void
test_canonical_sides(void **state)
{
	static const uint8_t	 v4[][4] = {
		{ 10, 0, 0, 200 }, { 10, 1, 0, 1 },	/* second byte */
		{ 10, 0, 1, 9 }, { 10, 0, 2, 1 },	/* third byte */
	};
	uint8_t			 v6[4][16];
	struct closed		 c = { .n = 0 };
	struct session_table	*t = session_table_new(&cfg, collect, &c);
	size_t			 i;

	(void)state;
	memset(v6, 0, sizeof v6);
	v6[0][0] = v6[1][0] = v6[2][0] = v6[3][0] = 0x20;
	v6[0][5] = 0x01; v6[0][15] = 0xff;	/* sixth byte */
	v6[1][5] = 0x02; v6[1][15] = 0x01;
	v6[2][14] = 0x01; v6[2][15] = 0x02;	/* the last two */
	v6[3][14] = 0x02; v6[3][15] = 0x01;
	for (i = 0; i < 2; i++) {
		/* The higher address sends first, then the lower answers. */
		feed_addr(t, 4, v4[2 * i + 1], v4[2 * i], 5000, 53,
		    (1 + i) * SEC);
		feed_addr(t, 4, v4[2 * i], v4[2 * i + 1], 53, 5000,
		    (1 + i) * SEC);
		feed_addr(t, 6, v6[2 * i + 1], v6[2 * i], 5000, 53,
		    (1 + i) * SEC);
		feed_addr(t, 6, v6[2 * i], v6[2 * i + 1], 53, 5000,
		    (1 + i) * SEC);
	}
	session_table_flush(t);
	assert_int_equal(c.n, 4);
	for (i = 0; i < c.n; i++) {
		const struct session	*s = c.s[i];

		/* memcmp() orders bytes as network order does. */
		assert_int_equal(s->packets, 2);
		assert_true(memcmp(s->addr[0], s->addr[1],
		    s->af == 4 ? 4 : 16) < 0);
		assert_int_equal(s->port[0], 53);
		assert_int_equal(s->port[1], 5000);
	}
	closed_free(&c);
	session_table_free(t);
}

static void
test_initiator_syn(void **state)
{
	struct closed		 c = { .n = 0 };
	struct session_table	*t = session_table_new(&cfg, collect, &c);

	(void)state;
	/* The responder speaks first, then the SYN comes: rule 1 wins. */
	feed(t, 2, 1, 6, 80, 40000, 0x10, 1 * SEC, 60, 0);
	feed(t, 1, 2, 6, 40000, 80, 0x02, 2 * SEC, 60, 0);
	session_table_flush(t);
	assert_int_equal(c.n, 1);
	assert_int_equal(ini(c.s[0]), 1);
	assert_int_equal(val(c.s[0], K_TCP_SRCPORT), 40000);
	assert_int_equal(val(c.s[0], K_TCP_DSTPORT), 80);
	closed_free(&c);
	session_table_free(t);
}

static void
test_initiator_synack(void **state)
{
	struct closed		 c = { .n = 0 };
	struct session_table	*t = session_table_new(&cfg, collect, &c);

	(void)state;
	/* Only a SYN-ACK from 2: its receiver, 1, initiated. */
	feed(t, 2, 1, 6, 5000, 6000, 0x12, 1 * SEC, 60, 0);
	session_table_flush(t);
	assert_int_equal(ini(c.s[0]), 1);
	closed_free(&c);
	session_table_free(t);
}

static void
test_initiator_port(void **state)
{
	struct closed		 c = { .n = 0 };
	struct session_table	*t = session_table_new(&cfg, collect, &c);

	(void)state;
	/* UDP: the server port 53 side sends first; the other side wins. */
	feed(t, 2, 1, 17, 53, 33000, 0, 1 * SEC, 80, 20);
	/* UDP, both ports high: the first sender. */
	feed(t, 4, 3, 17, 40000, 50000, 0, 2 * SEC, 80, 20);
	session_table_flush(t);
	assert_int_equal(c.n, 2);
	assert_int_equal(ini(c.s[0]), 1);
	assert_int_equal(val(c.s[0], K_UDP_DSTPORT), 53);
	assert_int_equal(ini(c.s[1]), 4);
	closed_free(&c);
	session_table_free(t);
}

static void
test_initiator_icmp(void **state)
{
	struct closed		 c = { .n = 0 };
	struct session_table	*t = session_table_new(&cfg, collect, &c);

	(void)state;
	/* An echo reply from 2 first, then the request from 1. */
	feed(t, 2, 1, 1, 0, 0, 0, 1 * SEC, 98, 56);
	feed(t, 1, 2, 1, 0, 0, 8, 2 * SEC, 98, 56);
	session_table_flush(t);
	assert_int_equal(c.n, 1);
	assert_int_equal(ini(c.s[0]), 1);
	assert_int_equal(val(c.s[0], K_PACKETS), 2);
	assert_int_equal(val(c.s[0], K_STREAMS), 2);
	assert_int_equal(val(c.s[0], K_PAYLOAD), 112);
	closed_free(&c);
	session_table_free(t);
}

static void
test_tcp_end(void **state)
{
	struct closed		 c = { .n = 0 };
	struct session_table	*t = session_table_new(&cfg, collect, &c);

	(void)state;
	feed(t, 1, 2, 6, 40000, 80, 0x02, 10 * SEC, 60, 0);
	feed(t, 2, 1, 6, 80, 40000, 0x12, 10 * SEC, 60, 0);
	feed(t, 1, 2, 6, 40000, 80, 0x11, 11 * SEC, 60, 0);
	feed(t, 2, 1, 6, 80, 40000, 0x11, 11 * SEC, 60, 0);
	/* Within 2 s: joins. */
	feed(t, 1, 2, 6, 40000, 80, 0x10, 12 * SEC, 60, 0);
	assert_int_equal(c.n, 0);
	/* A SYN in the linger time starts a new session at once. */
	feed(t, 1, 2, 6, 40000, 80, 0x02, 12 * SEC + SEC / 2, 60, 0);
	assert_int_equal(c.n, 1);
	assert_int_equal(val(c.s[0], K_PACKETS), 5);
	assert_int_equal(val(c.s[0], K_TCP_FLAGS), 0x13);
	/* Reset: closes 2 s after. */
	feed(t, 2, 1, 6, 80, 40000, 0x04, 13 * SEC, 60, 0);
	feed(t, 7, 8, 17, 1000, 2000, 0, 15 * SEC, 60, 0);
	assert_int_equal(c.n, 1);
	feed(t, 7, 8, 17, 1000, 2000, 0, 15 * SEC + 1, 60, 0);
	assert_int_equal(c.n, 2);
	assert_int_equal(val(c.s[1], K_SESSIONID), 2);
	assert_int_equal(val(c.s[1], K_PACKETS), 2);
	session_table_flush(t);
	closed_free(&c);
	session_table_free(t);
}

static void
test_idle(void **state)
{
	struct closed		 c = { .n = 0 };
	struct session_table	*t = session_table_new(&cfg, collect, &c);

	(void)state;
	feed(t, 1, 2, 17, 1000, 2000, 0, 100 * SEC, 60, 0);
	feed(t, 3, 4, 17, 1000, 2000, 0, 160 * SEC, 60, 0);
	assert_int_equal(c.n, 0);	/* exactly 60 s: not passed yet */
	feed(t, 1, 2, 17, 1000, 2000, 0, 160 * SEC + 1, 60, 0);
	assert_int_equal(c.n, 1);	/* passed: the new packet is new */
	assert_int_equal(val(c.s[0], K_PACKETS), 1);
	/* An older packet joins without moving the clock. */
	feed(t, 3, 4, 17, 1000, 2000, 0, 150 * SEC, 60, 0);
	session_table_flush(t);
	assert_int_equal(c.n, 3);
	assert_int_equal(val(c.s[1], K_SESSIONID) + val(c.s[2],
	    K_SESSIONID), 5);
	closed_free(&c);
	session_table_free(t);
}

/* Whether a closed session carries session.close 'max_open'. */
static bool
capped(const struct session *s)
{
	struct mval	v;

	if (session_values(s, NULL, K_SESSION_CLOSE, &v, 1) != 1)
		return (false);
	return (v.type == MT_TEXT && v.text.n == 8 &&
	    memcmp(v.text.p, "max_open", 8) == 0);
}

/*
 * At session.max_open the session idle longest closes before another
 * opens: by its last packet, not by when it was filed on the idle list
 * (A was filed first but saw a packet since), and a lingering session
 * counts by its last packet too.
 */
static void
test_max_open(void **state)
{
	struct session_config	 capcfg = cfg;
	struct closed		 c = { .n = 0 };
	struct session_table	*t;

	(void)state;
	capcfg.max_open = 3;
	t = session_table_new(&capcfg, collect, &c);
	feed(t, 1, 2, 17, 1000, 2000, 0, 100 * SEC, 60, 0);	/* A, 1 */
	feed(t, 3, 4, 17, 1000, 2000, 0, 101 * SEC, 60, 0);	/* B, 2 */
	feed(t, 5, 6, 17, 1000, 2000, 0, 102 * SEC, 60, 0);	/* C, 3 */
	feed(t, 2, 1, 17, 2000, 1000, 0, 103 * SEC, 60, 0);	/* A again */
	assert_int_equal(c.n, 0);
	feed(t, 7, 8, 17, 1000, 2000, 0, 104 * SEC, 60, 0);	/* D, 4 */
	assert_int_equal(c.n, 1);
	assert_int_equal(val(c.s[0], K_SESSIONID), 2);
	assert_int_equal(c.s[0]->closed_by, SCR_MAX_OPEN);
	assert_true(capped(c.s[0]));
	assert_int_equal(session_table_open(t), 3);
	/* A TCP session that lingers (FIN both ways) with the oldest last
	   packet goes before C. */
	feed(t, 5, 6, 17, 1000, 2000, 0, 105 * SEC, 60, 0);	/* C again */
	feed(t, 2, 1, 17, 2000, 1000, 0, 106 * SEC, 60, 0);	/* A again */
	feed(t, 7, 8, 17, 1000, 2000, 0, 107 * SEC, 60, 0);	/* D again */
	feed(t, 9, 10, 6, 1000, 80, 0x11, 108 * SEC, 60, 0);	/* E, 5 */
	assert_int_equal(c.n, 2);
	assert_int_equal(val(c.s[1], K_SESSIONID), 3);	/* C: 105 s */
	feed(t, 10, 9, 6, 80, 1000, 0x11, 108 * SEC + 1, 60, 0);
	feed(t, 2, 1, 17, 2000, 1000, 0, 109 * SEC, 60, 0);	/* A again */
	feed(t, 7, 8, 17, 1000, 2000, 0, 109 * SEC + 1, 60, 0);
	feed(t, 11, 12, 17, 1000, 2000, 0, 109 * SEC + 2, 60, 0); /* F, 6 */
	assert_int_equal(c.n, 3);
	assert_int_equal(val(c.s[2], K_SESSIONID), 5);	/* E lingered */
	assert_true(capped(c.s[2]));
	assert_int_equal(session_table_capped(t), 3);
	session_table_flush(t);
	assert_int_equal(c.n, 6);
	for (size_t i = 3; i < 6; i++) {
		assert_int_equal(c.s[i]->closed_by, SCR_END);
		assert_false(capped(c.s[i]));
	}
	closed_free(&c);
	session_table_free(t);
}

/*
 * A session is filed at its deadline once and filed again when the clock
 * reaches that, never before its true deadline.  When more sessions were
 * filed since than the refiling looks back over, it goes at the tail and
 * a late packet of its key must still find it timed out.
 */
static void
test_idle_refile(void **state)
{
	struct session_config	 nosplit = cfg;
	struct closed		 c = { .n = 0 };
	struct session_table	*t;
	uint64_t		 ts;
	size_t			 i, a = 0, an = 0;

	(void)state;
	nosplit.split_ns = 1000 * SEC;
	t = session_table_new(&nosplit, collect, &c);
	/* A: 10.0.0.1 -> .2, a packet every 50 s: never idle for 60 s. */
	for (ts = 100; ts <= 300; ts += 50)
		feed(t, 1, 2, 17, 1000, 2000, 0, ts * SEC, 60, 0);
	/* Twenty others right after, so A (filed at 310 s) is refiled
	 * behind them at 311 s; its true deadline is 360 s. */
	for (i = 0; i < 20; i++)
		feed(t, (uint8_t)(10 + i), 200, 17, 1000, 2000, 0,
		    301 * SEC + i * SEC / 10, 60, 0);
	feed(t, 9, 9, 17, 1, 1, 0, 311 * SEC, 60, 0);
	assert_int_equal(c.n, 0);
	/* Past 360 s, before the others' deadlines: A is still filed, but
	 * its key opens a new session. */
	feed(t, 1, 2, 17, 1000, 2000, 0, 361 * SEC, 60, 0);
	session_table_flush(t);
	assert_int_equal(c.n, 23);
	/* Ids go by first packet: A is 1, the others 2-22, A again 23. */
	for (i = 0; i < c.n; i++) {
		if (val(c.s[i], K_SESSIONID) == 1)
			a = val(c.s[i], K_PACKETS);
		if (val(c.s[i], K_SESSIONID) == 23)
			an = val(c.s[i], K_PACKETS);
	}
	assert_int_equal(a, 5);
	assert_int_equal(an, 1);
	closed_free(&c);
	session_table_free(t);
}

static void
test_split(void **state)
{
	struct closed		 c = { .n = 0 };
	struct session_config	 small = cfg;
	struct session_table	*t;
	struct mval		 v;
	int			 i;

	(void)state;
	small.split_bytes = 1000;
	t = session_table_new(&small, collect, &c);
	/* 10 packets of 300 bytes: fragments of 3, 3, 3, 1 packets. */
	for (i = 0; i < 10; i++)
		feed(t, i % 2 ? 2 : 1, i % 2 ? 1 : 2, 17, i % 2 ? 53 : 3000,
		    i % 2 ? 3000 : 53, 0, (uint64_t)(i + 1) * SEC, 300, 100);
	/* By time: 70 s after the start of a fragment. */
	feed(t, 5, 6, 17, 7000, 8000, 0, 20 * SEC, 100, 10);
	feed(t, 5, 6, 17, 7000, 8000, 0, 50 * SEC, 100, 10);
	feed(t, 5, 6, 17, 7000, 8000, 0, 81 * SEC, 100, 10);
	session_table_flush(t);
	assert_int_equal(c.n, 6);
	for (i = 0; i < 4; i++) {
		assert_int_equal(val(c.s[i], K_SESSION_SPLIT), i);
		assert_int_equal(val(c.s[i], K_SESSION_FIRST), 1);
		assert_int_equal(ini(c.s[i]), 1);	/* port 3000 side */
		assert_int_equal(val(c.s[i], K_PACKETS), i < 3 ? 3 : 1);
	}
	assert_int_equal(val(c.s[4], K_SESSION_SPLIT) +
	    val(c.s[5], K_SESSION_SPLIT), 1);
	/* Never split: no session.split. */
	closed_free(&c);
	feed(t, 9, 8, 17, 7000, 8000, 0, 200 * SEC, 100, 10);
	session_table_flush(t);
	assert_int_equal(session_values(c.s[0], NULL, K_SESSION_SPLIT, &v, 1), 0);
	closed_free(&c);
	session_table_free(t);
}

static void
test_split_keeps_others(void **state)
{
	struct closed		 c = { .n = 0 };
	struct session_table	*t = session_table_new(&cfg, collect, &c);
	uint64_t		 ids = 0;
	int			 i;

	(void)state;
	/* A long flow that splits while another session is open. */
	feed(t, 1, 2, 1, 0, 0, 8, 0, 100, 50);
	feed(t, 3, 4, 1, 0, 0, 8, 30 * SEC, 100, 50);
	for (i = 1; i <= 14; i++)
		feed(t, 1, 2, 1, 0, 0, 8, (uint64_t)i * 5 * SEC, 100, 50);
	feed(t, 3, 4, 1, 0, 0, 8, 70 * SEC, 100, 50);
	session_table_flush(t);
	assert_int_equal(c.n, 3);
	for (i = 0; i < 3; i++)
		ids += val(c.s[i], K_SESSIONID);
	assert_int_equal(ids, 1 + 2 + 3);
	closed_free(&c);
	session_table_free(t);
}

static void
test_payload_meta(void **state)
{
	struct closed		 c = { .n = 0 };
	struct session_table	*t = session_table_new(&cfg, collect, &c);
	struct mval		 v[8];

	(void)state;
	feed(t, 1, 2, 6, 40000, 80, 0x02, 1 * SEC, 60, 0);
	feed(t, 1, 2, 6, 40000, 80, 0x18, 2 * SEC, 160, 100);
	feed(t, 1, 2, 6, 40000, 80, 0x18, 3 * SEC + 5, 360, 300);
	session_table_flush(t);
	assert_int_equal(val(c.s[0], K_REQPAYLOAD), 400);
	/* The responder sent nothing: no responsepayload. */
	assert_int_equal(session_values(c.s[0], NULL, K_RESPAYLOAD, v, 8), 0);
	assert_int_equal(val(c.s[0], K_PAYLOAD_RATIO_REQ), 100);
	assert_int_equal(val(c.s[0], K_STREAMS), 1);
	assert_int_equal(val(c.s[0], K_LIFETIME), 2);
	assert_int_equal(val(c.s[0], K_SIZE), 580);
	assert_int_equal(session_values(c.s[0], NULL, K_TCPFLAGS, v, 8), 3);
	assert_memory_equal(v[0].text.p, "syn", 3);
	assert_memory_equal(v[1].text.p, "psh", 3);
	assert_memory_equal(v[2].text.p, "ack", 3);
	assert_int_equal(session_values(c.s[0], NULL, K_DIRECTION, v, 8), 1);
	assert_memory_equal(v[0].text.p, "lateral", 7);
	closed_free(&c);
	session_table_free(t);
}

static void
test_pktidx(void **state)
{
	struct pktidx	x;
	uint64_t	ords[] = { 5, 6, 1000000, 7, 7, 1ULL << 40, 0 }, o = 0;
	uint64_t	last = 0;
	uint32_t	pos = 0;
	size_t		i;

	(void)state;
	memset(&x, 0, sizeof x);
	for (i = 0; i < nitems(ords); i++)
		pktidx_add(&x, &last, ords[i]);
	for (i = 0; pktidx_next(&x, &pos, &o); i++)
		assert_int_equal(o, ords[i]);
	assert_int_equal(i, nitems(ords));
	assert_int_not_equal(x.cap, 0);		/* past the inline bytes */
	pktidx_free(&x);
	/* Three close ordinals stay in place of the pointer. */
	last = 0;
	for (i = 0; i < 3; i++)
		pktidx_add(&x, &last, 70000 + 3 * i);
	assert_int_equal(x.cap, 0);
	assert_int_equal(x.len, 5);
	for (pos = 0, i = 0; pktidx_next(&x, &pos, &o); i++)
		assert_int_equal(o, 70000 + 3 * i);
	assert_int_equal(i, 3);
	pktidx_free(&x);
}

/* Add one extra value. */
static void
pack_add(struct session *s, int key, const struct mval *v, uint8_t flags)
{
	assert_true(session_meta_add(s, key, v, flags));
}

/* A packed session unpacks to the same fields, packets and meta. */
static void
test_pack_roundtrip(void **state)
{
	struct session	*s = xcalloc(1, sizeof *s), u, o;
	struct mval	 v, got[4];
	uint64_t	 last = 0, ord, ords[] = { 3, 9, 4000000000ULL, 10 };
	uint32_t	 pos = 0;
	uint8_t		*rec;
	size_t		 n, i;
	int		 kh = meta_intern("alias.host", 10, MT_TEXT);
	int		 ka = meta_intern("alias.ipv6", 10, MT_IPV6);
	int		 kt = meta_intern("pack.when", 9, MT_TIME);
	int		 kn = meta_intern("pack.big", 8, MT_UINT);

	(void)state;
	s->id = 70000;
	s->first_id = 69990;
	s->split = 3;
	s->af = 6;
	s->proto = 58;
	s->port[0] = 0;
	s->port[1] = 65535;
	memset(s->addr[0], 0xfe, 16);
	memset(s->addr[1], 0x20, 16);
	s->t_first = 1700000000123456789ULL;
	s->t_last = s->t_first + 90000000000ULL;
	s->size = 5000000000ULL;
	s->payload[0] = 12;
	s->payload[1] = 1ULL << 40;
	s->packets = 300;
	s->prec = 9;
	s->medium = 1;
	s->seen = 3;
	s->tcp_flags = 0x1b;
	s->initiator = 1;
	s->has_eth[1] = true;
	s->eth_type = 0x86dd;
	memcpy(s->eth[1], "\x00\x11\x22\x33\x44\x55\x66\x77\x88\x99"
	    "\xaa\xbb", 12);
	s->service = 443;
	for (i = 0; i < 6; i++)
		u16set_add(&s->vlan, (uint16_t)(100 + i));
	u16set_add(&s->icmp, 128 << 8);
	u16set_add(&s->inputs, 2);
	for (i = 0; i < nitems(ords); i++)
		pktidx_add(&s->pkts, &last, ords[i]);
	v.type = MT_TEXT;
	v.prec = 0;
	v.text.p = "Example.ORG";
	v.text.n = 11;
	pack_add(s, kh, &v, MF_PARSER);
	v.text.p = "b";
	v.text.n = 1;
	pack_add(s, kh, &v, MF_RULE);
	v.type = MT_IPV6;
	memset(v.ip, 0xab, 16);
	pack_add(s, ka, &v, MF_PARSER);
	v.type = MT_TIME;
	v.prec = 6;
	v.u = s->t_first;
	pack_add(s, kt, &v, MF_PARSER);
	v.type = MT_UINT;
	v.prec = 0;
	v.u = 1ULL << 35;
	pack_add(s, kn, &v, MF_TRANSIENT);

	rec = xmalloc(record_bound(s));
	n = record_pack(s, rec);
	assert_true(n <= record_bound(s));
	record_unpack(rec, 70000, &u);
	assert_int_equal(u.id, 70000);
	assert_int_equal(u.first_id, 69990);
	assert_int_equal(u.split, 3);
	assert_int_equal(u.af, 6);
	assert_int_equal(u.proto, 58);
	assert_int_equal(u.port[1], 65535);
	assert_memory_equal(u.addr, s->addr, sizeof u.addr);
	assert_int_equal(u.t_first, s->t_first);
	assert_int_equal(u.t_last, s->t_last);
	assert_int_equal(u.size, 5000000000ULL);
	assert_int_equal(u.payload[0], 12);
	assert_int_equal(u.payload[1], 1ULL << 40);
	assert_int_equal(u.packets, 300);
	assert_int_equal(u.prec, 9);
	assert_int_equal(u.seen, 3);
	assert_int_equal(u.tcp_flags, 0x1b);
	assert_int_equal(u.initiator, 1);
	assert_false(u.has_eth[0]);
	assert_true(u.has_eth[1]);
	assert_memory_equal(u.eth, s->eth, sizeof u.eth);
	assert_int_equal(u.eth_type, 0x86dd);
	assert_int_equal(u.service, 443);
	assert_int_equal(u.vlan.n, 6);
	assert_int_equal(u16set_get(&u.vlan, 5), 105);
	assert_int_equal(u.icmp.n, 1);
	assert_int_equal(u16set_get(&u.icmp, 0), 128 << 8);
	assert_int_equal(u.inputs.n, 1);
	assert_int_equal(u16set_get(&u.inputs, 0), 2);
	for (i = 0; pktidx_next(&u.pkts, &pos, &ord); i++)
		assert_int_equal(ord, ords[i]);
	assert_int_equal(i, nitems(ords));
	assert_int_equal(session_meta_count(&u), 5);
	assert_int_equal(session_meta_get(&u, kh, got, 4), 2);
	assert_memory_equal(got[0].text.p, "Example.ORG", 12);
	assert_memory_equal(got[1].text.p, "b", 2);
	assert_int_equal(session_meta_get(&u, ka, got, 4), 1);
	assert_int_equal(got[0].type, MT_IPV6);
	assert_int_equal(got[0].ip[0], 0xab);
	assert_int_equal(got[0].ip[15], 0xab);
	assert_int_equal(session_meta_get(&u, kt, got, 4), 1);
	assert_int_equal(got[0].u, s->t_first);
	assert_int_equal(got[0].prec, 6);
	assert_int_equal(session_meta_get(&u, kn, got, 4), 1);
	assert_int_equal(got[0].u, 1ULL << 35);
	assert_true(session_meta_equal(&u, s));

	/* A view's meta, given its own copy, changes apart from the record. */
	record_unpack(rec, 70000, &o);
	session_meta_own(&u);
	session_meta_drop(&u, MF_RULE | MF_TRANSIENT);
	assert_int_equal(session_meta_count(&u), 3);
	assert_false(session_meta_equal(&u, &o));
	assert_int_equal(session_meta_get(&o, kh, got, 4), 2);
	session_meta_free(&u);

	/* The usual session: IPv4, input 0, no extra meta. */
	memset(&u, 0, sizeof u);
	u.af = 4;
	u.proto = 17;
	u.initiator = -1;
	u16set_add(&u.inputs, 0);
	free(rec);
	rec = xmalloc(record_bound(&u));
	n = record_pack(&u, rec);
	record_unpack(rec, 1, &o);
	assert_int_equal(o.af, 4);
	assert_int_equal(o.initiator, -1);
	assert_int_equal(o.inputs.n, 1);
	assert_int_equal(u16set_get(&o.inputs, 0), 0);
	assert_int_equal(session_meta_count(&o), 0);
	assert_int_equal(n, 8 + 8 + 9 + 8 + 1);
	u16set_free(&u.inputs);
	free(rec);
	session_free(s);
}

/* The value pool keeps each byte string once; pooled adds fold case. */
static void
test_value_pool(void **state)
{
	struct session	*s = xcalloc(1, sizeof *s);
	struct mval	 got[4];
	char		*big;
	const char	*p;
	uint32_t	 a, b, c, n, ids[4];
	int		 k = meta_intern("pool.test", 9, MT_TEXT);
	size_t		 i;

	(void)state;
	a = meta_pool_put("Example.com", 11);
	b = meta_pool_put("example.com", 11);
	assert_int_not_equal(a, b);		/* bytes, not folded */
	for (i = 0; i < 3000; i++) {		/* past the front cache */
		char	 t[16];

		snprintf(t, sizeof t, "h%zu", i);
		meta_pool_put(t, (uint32_t)strlen(t));
	}
	assert_int_equal(meta_pool_put("Example.com", 11), a);
	p = meta_pool_get(a, &n);
	assert_int_equal(n, 11);
	assert_string_equal(p, "Example.com");	/* NUL-terminated */
	big = xmalloc(3 << 20);
	memset(big, 'x', 3 << 20);
	c = meta_pool_put(big, 3 << 20);
	assert_int_equal(meta_pool_put(big, 3 << 20), c);
	p = meta_pool_get(c, &n);
	assert_int_equal(n, 3 << 20);
	assert_memory_equal(p, big, 3 << 20);
	assert_int_equal(meta_pool_put("", 0), meta_pool_put("", 0));
	free(big);

	assert_true(session_meta_add_pooled(s, k, a, MF_PARSER));
	assert_false(session_meta_add_pooled(s, k, b, MF_PARSER));
	assert_true(session_meta_add_pooled(s, k, meta_pool_put("h7", 2),
	    MF_PARSER));
	assert_int_equal(session_meta_get(s, k, got, 4), 2);
	assert_memory_equal(got[0].text.p, "Example.com", 11);
	assert_int_equal(session_meta_text_ids(s, k, ids, 4), 2);
	assert_int_equal(ids[0], a);
	session_free(s);
}

/* What the packet function of test_unwatched saw. */
struct watch {
	unsigned	 calls[2];	/* per side */
	size_t		 room[2];	/* bytes of room: TCP, other */
};

/* Count a side's packets; after two, want no more from that side.  Fill
   the whole room, so a sanitizer sees a room too small. */
static void
watch_packet(struct session *s, const struct decoded *d, int side,
    uint64_t ts, void *arg)
{
	struct watch	*w = arg;

	(void)d;
	(void)ts;
	assert_non_null(session_private(s));
	memset(session_private(s), 0xa5, w->room[s->proto != 6]);
	assert_int_equal(s->xinline, session_meta_inline(s->proto));
	if (++w->calls[side] == 2)
		s->unwatched |= (uint8_t)(1 << side);
}

/* The close callback of test_unwatched (whose argument is the packet
   function's). */
static void
watch_closed(struct session *s, void *arg)
{
	(void)arg;
	session_free(s);
}

/* A side the packet function is done with no longer reaches it; the
   other side still does, and each protocol gets its own room. */
static void
test_unwatched(void **state)
{
	struct watch		 w = { { 0, 0 }, { 200, 40 } };
	struct session_table	*t = session_table_new(&cfg, watch_closed, &w);
	int			 i;

	(void)state;
	session_table_on_packet(t, watch_packet, w.room[0], w.room[1]);
	for (i = 0; i < 5; i++) {
		feed(t, 1, 2, 6, 40000, 80, 0x18, SEC + (uint64_t)i, 100, 50);
		feed(t, 2, 1, 6, 80, 40000, 0x18, SEC + (uint64_t)i, 100, 50);
	}
	assert_int_equal(w.calls[0], 2);
	assert_int_equal(w.calls[1], 2);
	w.calls[0] = w.calls[1] = 0;
	feed(t, 1, 2, 17, 5353, 53, 0, 2 * SEC, 80, 40);
	feed(t, 1, 2, 17, 5353, 53, 0, 2 * SEC, 80, 40);
	feed(t, 1, 2, 17, 5353, 53, 0, 2 * SEC, 80, 40);
	feed(t, 2, 1, 17, 53, 5353, 0, 2 * SEC, 80, 40);
	assert_int_equal(w.calls[0] + w.calls[1], 3);
	session_table_free(t);
	assert_int_equal(session_meta_inline(6), 16);
	assert_true(session_meta_inline(17) < session_meta_inline(6));
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_canonical_sides),
		cmocka_unit_test(test_initiator_syn),
		cmocka_unit_test(test_initiator_synack),
		cmocka_unit_test(test_initiator_port),
		cmocka_unit_test(test_initiator_icmp),
		cmocka_unit_test(test_tcp_end),
		cmocka_unit_test(test_idle),
		cmocka_unit_test(test_idle_refile),
		cmocka_unit_test(test_split),
		cmocka_unit_test(test_split_keeps_others),
		cmocka_unit_test(test_payload_meta),
		cmocka_unit_test(test_pktidx),
		cmocka_unit_test(test_pack_roundtrip),
		cmocka_unit_test(test_value_pool),
		cmocka_unit_test(test_unwatched),
		cmocka_unit_test(test_max_open),
	};

	return (cmocka_run_group_tests(tests, NULL, NULL));
}
