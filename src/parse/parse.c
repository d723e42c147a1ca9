/*
 * parse.c - the top of the parsers: the protocols' table, the parser
 * context, and dispatch of packets to the protocols' hooks (TCP streams
 * and sniffing, UDP and ICMP packets, early finishing and close).  It and
 * pipe.c, the parsers' thread, are the only files that know the table;
 * the protocol files below know only write.c, stream.c, md5.c and the
 * context.
 */
/* SPDX-License-Identifier: GPL-3.0-or-later */

#include <pthread.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>

#include "parse/parse-int.h"

/*
 * Sessions no parser recognises, or whose meta is written already, point
 * here: the per-packet cost for them is the one comparison at the top of
 * parse_packet().
 */
static struct parse_state parse_done;
/* The same, on port 53: 'anomalous or non-dns session on dns port'. */
static struct parse_state parse_gave53;

static void	parse_early(struct parse_ctx *, struct session *,
		    struct parse_state *);
static void	parse_ship(struct parse_ctx *, struct session *,
		    struct parse_state *);

/* Whether a parse state is a session's own (not a mark). */
static inline bool
parse_own(const struct parse_state *ps)
{
	return (ps != NULL && ps != &parse_done && ps != &parse_gave53);
}

/*
 * Bytes a TCP direction keeps while its protocol is unknown: segments past
 * a hole at its start, which arrived first, are kept as far as the largest
 * max of a protocol it may turn out to be (DNS's aside).
 */
#define PARSE_HOLD_MAX	8192
#define PARSE_TH_SYN	0x02
/*
 * A direction's first data more than this past its SYN's (or before it)
 * is not of that handshake (a stray SYN-ACK, a port reused): its bytes are
 * placed from the lowest sequence number seen instead.
 */
#define PARSE_ANCHOR_REACH	(1U << 20)

/* A session whose protocol is not known yet. */
static const struct parse_ops none_ops = {
	.max = PARSE_HOLD_MAX
};

/* The protocols' rows, by enum parse_proto (PARSE_PROTOCOLS). */
#define PARSE_ROW(u, l)	[PP_##u] = &l##_ops,
const struct parse_ops *const parse_ops[PP_COUNT] = {
	[PP_NONE] = &none_ops,
	PARSE_PROTOCOLS(PARSE_ROW)
};
#undef PARSE_ROW

/* The key tables of the parsers that are not a protocol's row. */
static const struct parse_key *const parse_key_tables[] = {
	parse_keys, host_keys
};
static pthread_once_t parse_keys_once = PTHREAD_ONCE_INIT;

/*
 * Resolve every parser's key names to ids.  The ids are the registry's,
 * which only grows, so they are the same for every context: resolved
 * once for the process, before the first context's first packet.
 */
static void
parse_keys_init(void)
{
	const struct parse_key	*k;
	size_t			 i;

	for (i = 0; i < nitems(parse_key_tables) + PP_COUNT; i++) {
		k = i < nitems(parse_key_tables) ? parse_key_tables[i] :
		    parse_ops[i - nitems(parse_key_tables)]->keys;
		for (; k != NULL && k->name != NULL; k++)
			*k->id = meta_find(k->name, strlen(k->name));
	}
}

/* A parser context with a copy of the thresholds. */
struct parse_ctx *
parse_ctx_new(const struct parse_settings *conf)
{
	struct parse_ctx	*pc;

	pthread_once(&parse_keys_once, parse_keys_init);
	pc = xcalloc(1, sizeof *pc);
	pc->conf = *conf;
	pc->states.size = sizeof(struct parse_state);
	pc->dns_states.size = (uint32_t)dns_state_size;
	pc->icmp_states.size = (uint32_t)icmp_state_size;
	pc->md5 = md5_memo_new();
	pc->host = host_cache_new();
	return (pc);
}

/* Free a parser context, its pools and its caches. */
void
parse_ctx_free(struct parse_ctx *pc)
{
	if (pc == NULL)
		return;
	parse_blocks_free(&pc->states);
	parse_blocks_free(&pc->dns_states);
	parse_blocks_free(&pc->icmp_states);
	parse_bufs_free(pc);
	md5_memo_free(pc->md5);
	host_cache_free(pc->host);
	free(pc);
}

/* Whether a session uses port 53 on either side. */
static bool
parse_port53(const struct session *s)
{
	return ((s->proto == 6 || s->proto == 17) &&
	    (s->port[0] == 53 || s->port[1] == 53));
}

/*
 * Free the state and mark the session as recognised by no parser (on port
 * 53, its indicator is written when it closes).
 */
static void
parse_giveup(struct parse_ctx *pc, struct session *s)
{
	parse_free(pc, s);
	s->parse = parse_port53(s) ? &parse_gave53 : &parse_done;
	s->unwatched = SESSION_UNWATCHED;
}

/* Let the protocol a direction revealed decide the session's protocol. */
static void
parse_adopt(struct parse_state *ps, enum parse_proto p)
{
	int	i;

	if (p == PP_NONE || !(ps->proto == PP_NONE ||
	    parse_ops[p]->family == ps->proto))
		return;
	ps->proto = p;
	for (i = 0; i < 2; i++)
		ps->st[i].max = parse_ops[ps->proto]->max;
}

/* The sniffers' verdict on first bytes: PS_YES sets *proto. */
static enum parse_sniff
parse_sniff_bytes(const uint8_t *p, size_t n, enum parse_proto *proto)
{
	enum parse_sniff	 r, best = PS_NO;
	const struct parse_ops	*o;
	int			 i;

	*proto = PP_NONE;
	for (i = PP_NONE + 1; i < PP_COUNT; i++) {
		o = parse_ops[i];
		if (o->sniff == NULL || (n > 0 && o->starts != NULL &&
		    strchr(o->starts, p[0]) == NULL))
			continue;	/* (a NUL p[0] just tries the sniffer) */
		if ((r = o->sniff(p, n)) == PS_YES) {
			*proto = o->which != NULL ? o->which(p, n) :
			    (enum parse_proto)i;
			return (PS_YES);
		}
		if (r > best)
			best = r;
	}
	return (best);
}

/* Try the sniffers on the first bytes of one TCP direction. */
static void
parse_sniff_dir(struct parse_state *ps, int side, bool final)
{
	struct parse_stream	*st = &ps->st[side];
	enum parse_sniff	 r;
	enum parse_proto	 p;

	if (st->contig == 0 && !final)
		return;
	r = parse_sniff_bytes(st->buf, st->contig, &p);
	if (r == PS_MORE && !final && st->contig < PARSE_SNIFF_MAX)
		return;
	st->decided = true;
	st->sniff = p;
	parse_adopt(ps, p);
}

/*
 * Decide a direction from its first segment in place (at seq): opaque
 * sessions never get a buffer, and a recognised one gets its protocol's
 * buffer size before the segment is stored.  Only a segment known to start
 * the direction (at the handshake's ISN + 1) is opaque for good; without
 * the handshake, an earlier segment may still come, so it is kept.
 */
static enum parse_sniff
parse_sniff_first(struct parse_state *ps, struct parse_stream *st,
    const struct decoded *d, uint32_t seq)
{
	enum parse_sniff	r;
	enum parse_proto	p;

	if (st->started || st->decided)
		return (PS_MORE);
	if (st->anchored && seq - st->base >= PARSE_ANCHOR_REACH)
		st->anchored = false;
	if (st->anchored && seq != st->base)
		return (PS_MORE);
	r = parse_sniff_bytes(d->payload, d->payload_caplen, &p);
	if (r == PS_NO) {
		st->decided = true;
		st->sniff = PP_NONE;
		if (!st->anchored)
			return (PS_MORE);
		st->started = true;
	} else if (r == PS_YES) {
		st->decided = true;
		st->sniff = p;
		parse_adopt(ps, p);
	}
	return (r);
}

/* Place a TCP segment and sniff its direction while undecided. */
static void
parse_tcp(struct parse_ctx *pc, struct session *s, struct parse_state *ps,
    const struct decoded *d, int side)
{
	struct parse_stream	*st = &ps->st[side];
	uint32_t		 seq = d->tcp_seq;

	if (d->tcp_flags & PARSE_TH_SYN) {
		parse_stream_anchor(st, seq);
		seq++;		/* a SYN's data (Fast Open) follows it */
		if (d->payload_caplen == 0)
			return;
	}
	if (st->decided && st->contig >= st->max) {
		/*
		 * This direction told all it will.  Once its protocol is
		 * known for good (not none, nor a banner yet to say which),
		 * its max never grows again: the session table need not call
		 * for its packets at all (an HTTP response's body).
		 */
		if (ps->proto != PP_NONE && parse_ops[ps->proto]->which == NULL)
			s->unwatched |= (uint8_t)(1 << side);
		return;
	}
	if (st->decided && ps->proto == PP_NONE) {
		/*
		 * Opaque from its first byte, it stays so.  Without the
		 * handshake, only a segment before the first one seen may
		 * change that: the bytes after it are kept meanwhile (as
		 * far as max, PARSE_HOLD_MAX).
		 */
		if (st->anchored)
			return;
		if ((int32_t)(seq - st->base) < 0)
			st->decided = false;
	}
	if (parse_sniff_first(ps, st, d, seq) != PS_NO) {
		if (parse_ops[ps->proto]->first != NULL &&
		    (!st->anchored || seq == st->base))
			parse_ops[ps->proto]->first(st, d->payload,
			    d->payload_caplen);
		parse_stream_add(pc, st, seq, d->payload, d->payload_caplen);
		if (!st->decided)
			parse_sniff_dir(ps, side, false);
		if (ps->proto != PP_NONE) {
			parse_early(pc, s, ps);
			return;
		}
	}
	if (ps->proto == PP_NONE && ps->st[0].decided && ps->st[1].decided)
		parse_giveup(pc, s);
}

/* Whether a UDP session uses port on either side. */
static inline bool
parse_udp_port(const struct session *s, uint16_t port)
{
	return (s->port[0] == port || s->port[1] == port);
}

/* Whether a protocol may pick a UDP session in a pass (enum parse_udp). */
static bool
parse_udp_may(const struct session *s, const struct parse_ops *o,
    enum parse_udp pass)
{
	switch (pass) {
	case PU_OWNS:
		return (o->udp == PU_OWNS && parse_udp_port(s, o->service));
	case PU_PORT:
		return ((o->udp == PU_PORT || o->udp == PU_ANY) &&
		    parse_udp_port(s, o->service));
	default:
		return (o->udp == pass);
	}
}

/*
 * Which protocol a session's first datagram is, by its content and port
 * (the passes of enum parse_udp): today NBNS owns 137, a QUIC client
 * Initial is one anywhere else, and the DNS-format protocols go by port
 * (DNS 53, mDNS 5353, LLMNR 5355; DNS on any other); or PP_NONE.
 */
static enum parse_proto
parse_udp_kind(const struct session *s, const struct decoded *d)
{
	static const enum parse_udp	 passes[] = {
		PU_OWNS, PU_CONTENT, PU_PORT, PU_ANY
	};
	const struct parse_ops		*o;
	size_t				 k;
	int				 i;

	for (k = 0; k < nitems(passes); k++) {
		for (i = PP_NONE + 1; i < PP_COUNT; i++) {
			o = parse_ops[i];
			if (!parse_udp_may(s, o, passes[k]))
				continue;
			if (o->is(d->payload, d->payload_caplen))
				return ((enum parse_proto)i);
			if (passes[k] == PU_OWNS)
				return (PP_NONE);
		}
	}
	return (PP_NONE);
}

/*
 * Let a UDP or ICMP session's protocol look at a packet: the bytes it hands
 * over go to its bytes hook on the parsers' thread, or here, and a session
 * that told all it will is finished.
 */
static void
parse_datagram(struct parse_ctx *pc, struct session *s,
    struct parse_state *ps, const struct decoded *d, int side)
{
	const struct parse_ops	*o = parse_ops[ps->proto];
	struct parse_bytes	 b;

	switch (o->packet(pc, s, ps, d, side, &b)) {
	case PN_NOTHING:
		break;
	case PN_BYTES:
		if (pc->pipe == NULL)
			o->bytes(pc, s, &b);
		else
			parse_pipe_bytes(pc->pipe, ps->proto, s, &b);
		break;
	case PN_DONE:
		parse_ship(pc, s, ps);
		break;
	}
}

/*
 * Look at a UDP datagram: QUIC Initials, DNS and the name services in its
 * format are the UDP protocols parsed.  The first one decides; the others
 * are checked where their meta is written.
 */
static void
parse_udp(struct parse_ctx *pc, struct session *s, struct parse_state *ps,
    const struct decoded *d, int side)
{
	if (ps->proto == PP_NONE &&
	    (ps->proto = parse_udp_kind(s, d)) == PP_NONE) {
		parse_giveup(pc, s);
		return;
	}
	parse_datagram(pc, s, ps, d, side);
}

/* Make the state of a session when its first interesting packet comes. */
static struct parse_state *
parse_start(struct parse_ctx *pc, struct session *s, const struct decoded *d)
{
	struct parse_state	*ps;
	int			 i;

	if (s->proto == 1 || s->proto == 58) {
		if (!d->has_icmp)
			return (NULL);
	} else if (s->proto == 6 || s->proto == 17) {
		if (d->payload_caplen == 0 && !(d->tcp_flags & PARSE_TH_SYN))
			return (NULL);
	} else {
		s->parse = &parse_done;
		s->unwatched = SESSION_UNWATCHED;
		return (NULL);
	}
	if ((ps = session_private(s)) != NULL) {
		memset(ps, 0, parse_state_size(s->proto == 6));
		ps->embedded = true;	/* freed with s */
	} else
		ps = parse_block_get(&pc->states);
	ps->streams = s->proto == 6;
	for (i = 0; ps->streams && i < 2; i++)
		ps->st[i].max = none_ops.max;
	if (s->proto == 1 || s->proto == 58)
		ps->proto = PP_ICMP;
	s->parse = ps;
	return (ps);
}

/*
 * Bytes of a session's parse state.  Only TCP has streams: a UDP or ICMP
 * session's room ends before them.  Those sessions stay open until they
 * are idle for a minute, most of a capture's open sessions, and the room
 * they did not use was a sixth of the memory they took.
 */
size_t
parse_state_size(bool tcp)
{
	return (tcp ? sizeof(struct parse_state) :
	    offsetof(struct parse_state, st));
}

/* The work of parse_packet(), kept out of line. */
static void __attribute__((noinline))
parse_work(struct parse_ctx *pc, struct session *s, const struct decoded *d,
    int side)
{
	struct parse_state	*ps = s->parse;

	if (ps == &parse_done || ps == &parse_gave53)
		return;		/* not reached: these are unwatched */
	if (ps == NULL && (ps = parse_start(pc, s, d)) == NULL)
		return;
	switch (s->proto) {
	case 6:
		parse_tcp(pc, s, ps, d, side);
		break;
	case 17:
		if (d->payload_caplen > 0)
			parse_udp(pc, s, ps, d, side);
		break;
	default:
		parse_datagram(pc, s, ps, d, side);
		break;
	}
}

/*
 * Look at one packet of a session (its meta written on the context's
 * parsers' thread, when it has one, or here).  A TCP or UDP packet without
 * payload (ACKs: half the packets of a capture) has nothing for them and
 * returns at once, but for a SYN, whose sequence number places its
 * direction's bytes (a UDP packet's flags are 0).
 */
void
parse_packet(struct parse_ctx *pc, struct session *s, const struct decoded *d,
    int side, uint64_t ts)
{
	(void)ts;
	if (d->payload_caplen == 0 && (s->proto == 6 || s->proto == 17) &&
	    !(d->tcp_flags & PARSE_TH_SYN))
		return;
	parse_work(pc, s, d, side);
}

/* Write the indicator bits of a state as analysis values. */
static void
parse_write_indicators(struct parse_ctx *pc, struct session *s,
    const struct parse_state *ps)
{
	int	i;

	for (i = 0; i < PI_COUNT; i++) {
		if (ps->svc & (1U << i))
			parse_add_const(pc, s, pk_service_ind,
			    parse_indicators[i]);
		if (ps->ses & (1U << i))
			parse_add_const(pc, s, pk_session_ind,
			    parse_indicators[i]);
	}
}

/* Sniff what is left of a closing TCP session's undecided directions. */
static void
parse_sniff_rest(struct parse_state *ps)
{
	int	i;

	for (i = 0; i < 2; i++) {
		if (!ps->st[i].decided && ps->st[i].started)
			parse_sniff_dir(ps, i, true);
	}
}

/*
 * Write a session's parser meta from its state (which stays: the thread
 * that made it frees it, parse_release()).
 */
void
parse_meta(struct parse_ctx *pc, struct session *s, struct parse_state *ps)
{
	if (ps == &parse_gave53) {
		parse_add_const(pc, s, pk_service_ind,
		    parse_indicators[PI_DNS_PORT53]);
		return;
	}
	if (!parse_own(ps))
		return;
	if (s->proto == 6 && !ps->st[0].started && !ps->st[1].started)
		return;		/* a handshake alone: as if never seen */
	if (s->proto == 6)
		parse_sniff_rest(ps);
	if (parse_ops[ps->proto]->close != NULL)
		parse_ops[ps->proto]->close(pc, s, ps);
	s->service = parse_ops[ps->proto]->service;
	if (parse_port53(s) && ps->proto != PP_DNS)
		ps->svc |= 1U << PI_DNS_PORT53;
	parse_write_indicators(pc, s, ps);
	host_derive(pc, s);
}

/* Gather what a parse state holds (nothing for a mark). */
void
parse_collect(struct parse_state *ps, struct parse_garbage *g)
{
	int	i;

	memset(g, 0, sizeof *g);
	if (!parse_own(ps))
		return;
	for (i = 0; ps->streams && i < 2; i++) {
		g->buf[i] = ps->st[i].buf;
		g->alloc[i] = ps->st[i].alloc;
		g->map[i] = ps->st[i].map;
	}
	g->dns = ps->dns;
	if (ps->proto == PP_QUIC)
		g->quic = ps->quic;
	else
		g->icmp = ps->icmp;
	g->ps = ps->embedded ? NULL : ps;
}

/* Give back what parse_collect() gathered. */
void
parse_drop(struct parse_ctx *pc, const struct parse_garbage *g)
{
	int	i;

	for (i = 0; i < 2; i++) {
		parse_buf_put(pc, g->buf[i], g->alloc[i]);
		if (g->map[i] != NULL)	/* a call saved for most sessions */
			free(g->map[i]);
	}
	dns_drop(pc, g->dns);
	icmp_drop(pc, g->icmp);
	quic_drop(g->quic);
	parse_block_put(&pc->states, g->ps);
}

/* Free a parse state (a mark is left alone). */
void
parse_release(struct parse_ctx *pc, struct parse_state *ps)
{
	struct parse_garbage	g;

	parse_collect(ps, &g);
	parse_drop(pc, &g);
}

/*
 * Finish a TCP session early when its protocol says it told all it will
 * (both directions hold all the bytes it looks at, and the meta does not
 * depend on the initiator), so the rest of its packets cost one
 * comparison.
 */
static void
parse_early(struct parse_ctx *pc, struct session *s, struct parse_state *ps)
{
	if (parse_ops[ps->proto]->early != NULL &&
	    parse_ops[ps->proto]->early(ps))
		parse_ship(pc, s, ps);
}

/*
 * Finish a session whose protocol told all it will: its meta is written
 * now (or on the parsers' thread), and the rest of its packets cost one
 * comparison.
 */
static void
parse_ship(struct parse_ctx *pc, struct session *s, struct parse_state *ps)
{
	s->parse = &parse_done;
	s->unwatched = SESSION_UNWATCHED;
	if (pc->pipe != NULL)
		parse_pipe_ship(pc->pipe, PJ_EARLY, s, ps);
	else {
		parse_meta(pc, s, ps);
		parse_release(pc, ps);
	}
}

/* Write the parsers' meta when a session closes. */
void
parse_close(struct parse_ctx *pc, struct session *s)
{
	parse_meta(pc, s, s->parse);
	parse_free(pc, s);
}

/* Free the parsers' state of a session. */
void
parse_free(struct parse_ctx *pc, struct session *s)
{
	struct parse_state	*ps = s->parse;

	s->parse = NULL;
	parse_release(pc, ps);
}
