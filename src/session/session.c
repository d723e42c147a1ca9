/* session.c - the session table: keys, clock, linger, idle, split. */
/* SPDX-License-Identifier: GPL-3.0-or-later */

#include <netinet/in.h>
#include <stdlib.h>
#include <string.h>

#define XXH_INLINE_ALL
#include <xxhash.h>

#include "session/session.h"

#define SESSION_UNLISTED	2	/* s->listed: on no deadline list */

#define TH_FIN	0x01
#define TH_SYN	0x02
#define TH_RST	0x04
#define TH_ACK	0x10

/* The canonical key of a packet: side 0 has the lower (address, port). */
struct skey {
	uint8_t		 af;
	uint8_t		 proto;
	uint16_t	 port[2];
	uint8_t		 addr[2][16];
};

struct session_table {
	struct session_config	 cfg;
	session_close_fn	 close_fn;
	session_packet_fn	 packet_fn;	/* shares close_arg */
	void			*close_arg;
	size_t			 private_size[2]; /* packet_fn's room in a TCP
						    session, in another */

	struct session		**bucket;
	uint64_t		 nbucket;	/* power of two */
	uint64_t		 nopen;
	uint64_t		 capped;	/* closed at cfg.max_open */
	uint64_t		 ids;
	uint64_t		 clock;

	/*
	 * Open sessions by deadline, earliest first: one list for idle
	 * deadlines, one for lingering ones.  Each timeout is a constant, so
	 * new deadlines nearly always go at the tail.  On the idle list a
	 * session's deadline is where it is filed, not moved on every packet
	 * (that would touch two other sessions' memory each time): when the
	 * clock reaches it, a session that saw packets since is filed again
	 * at t_last + idle.  It is never filed before its true deadline, so
	 * it closes on the same clock step as it would if moved every time,
	 * except when filing it in place would mean a long walk: then it goes
	 * at the tail, and a packet for it after the clock stepped past its
	 * true deadline finds it timed out at lookup.
	 */
	struct session		*head[2], *tail[2];
	struct session		*finger[2];	/* the last one listed */
};

/* Make a table that hands closed sessions to fn. */
struct session_table *
session_table_new(const struct session_config *cfg, session_close_fn fn,
    void *arg)
{
	struct session_table	*t;

	t = xcalloc(1, sizeof *t);
	t->cfg = *cfg;
	t->close_fn = fn;
	t->close_arg = arg;
	t->nbucket = 1024;
	t->bucket = xcalloc(t->nbucket, sizeof *t->bucket);
	return (t);
}

/* Have fn see every packet as it joins its session, with room of its own
   in each open session. */
void
session_table_on_packet(struct session_table *t, session_packet_fn fn,
    size_t private_tcp, size_t private_other)
{
	t->packet_fn = fn;
	t->private_size[0] = (private_tcp + 15) & ~(size_t)15;
	t->private_size[1] = (private_other + 15) & ~(size_t)15;
}

/* The room of the packet function's own in an open session, or NULL. */
void *
session_private(struct session *s)
{
	return (s->priv ? (char *)(s + 1) +
	    session_meta_inline_size(s->xinline) : NULL);
}

/* Free a table and the sessions still open in it. */
void
session_table_free(struct session_table *t)
{
	struct session	*s, *next;

	if (t == NULL)
		return;
	for (int l = 0; l < 2; l++) {
		for (s = t->head[l]; s != NULL; s = next) {
			next = s->tnext;
			session_free(s);
		}
	}
	free(t->bucket);
	free(t);
}

/*
 * memcmp() of two addresses of n bytes (4 or 16, network order), in line.
 * Called in libc for every packet, it took 5% of the engine thread's
 * samples on the standard capture alone and 9-11% with the parsers'
 * thread beside it; in line, about 1% of all samples.
 */
static inline int
session_addr_cmp(const uint8_t *a, const uint8_t *b, size_t n)
{
	uint32_t	 x, y;
	size_t		 i;

	for (i = 0; i < n; i += 4) {
		x = (uint32_t)a[i] << 24 | (uint32_t)a[i + 1] << 16 |
		    (uint32_t)a[i + 2] << 8 | a[i + 3];
		y = (uint32_t)b[i] << 24 | (uint32_t)b[i + 1] << 16 |
		    (uint32_t)b[i + 2] << 8 | b[i + 3];
		if (x != y)
			return (x < y ? -1 : 1);
	}
	return (0);
}

/* Fill the canonical key of a decoded packet; returns the sender's side. */
static int
session_key(const struct decoded *d, struct skey *k)
{
	size_t	 alen = d->af == 4 ? 4 : 16;
	int	 c, side;

	memset(k, 0, sizeof *k);
	k->af = d->af;
	k->proto = d->proto;
	c = session_addr_cmp(d->src, d->dst, alen);
	if (c == 0)
		c = d->sport < d->dport ? -1 : d->sport > d->dport;
	side = c > 0;
	memcpy(k->addr[side], d->src, alen);
	memcpy(k->addr[!side], d->dst, alen);
	k->port[side] = d->sport;
	k->port[!side] = d->dport;
	return (side);
}

/* Whether a session has a key. */
static bool
session_has_key(const struct session *s, const struct skey *k)
{
	return (s->af == k->af && s->proto == k->proto &&
	    s->port[0] == k->port[0] && s->port[1] == k->port[1] &&
	    memcmp(s->addr, k->addr, sizeof s->addr) == 0);
}

/* Bucket index of a key. */
static uint64_t
session_bucket(const struct session_table *t, const struct skey *k)
{
	return (XXH3_64bits(k, sizeof *k) & (t->nbucket - 1));
}

/* Find the open session of a key. */
static struct session *
session_find(struct session_table *t, const struct skey *k, uint64_t h)
{
	struct session	*s;

	for (s = t->bucket[h]; s != NULL; s = s->hnext) {
		if (session_has_key(s, k))
			return (s);
	}
	return (NULL);
}

/* Double the bucket array. */
static void
session_table_grow(struct session_table *t)
{
	struct session	**old = t->bucket, *s, *next;
	uint64_t	  i, n = t->nbucket;
	struct skey	  k;

	t->nbucket *= 2;
	t->bucket = xcalloc(t->nbucket, sizeof *t->bucket);
	for (i = 0; i < n; i++) {
		for (s = old[i]; s != NULL; s = next) {
			next = s->hnext;
			k.af = s->af;
			k.proto = s->proto;
			memcpy(k.port, s->port, sizeof k.port);
			memcpy(k.addr, s->addr, sizeof k.addr);
			uint64_t h = session_bucket(t, &k);
			s->hnext = t->bucket[h];
			t->bucket[h] = s;
		}
	}
	free(old);
}

/* Take a session off the deadline list. */
static void
session_unlist(struct session_table *t, struct session *s)
{
	int	 l = s->listed;

	if (l == SESSION_UNLISTED)
		return;
	s->listed = SESSION_UNLISTED;
	if (t->finger[l] == s)
		t->finger[l] = s->tprev;
	if (s->tprev != NULL)
		s->tprev->tnext = s->tnext;
	else
		t->head[l] = s->tnext;
	if (s->tnext != NULL)
		s->tnext->tprev = s->tprev;
	else
		t->tail[l] = s->tprev;
	s->tprev = s->tnext = NULL;
}

/* Put a session on its deadline list after another (NULL: at the head). */
static void
session_insert(struct session_table *t, struct session *s,
    struct session *after)
{
	int	 l = s->closing;

	s->listed = (uint8_t)l;
	s->tprev = after;
	s->tnext = after != NULL ? after->tnext : t->head[l];
	if (s->tnext != NULL)
		s->tnext->tprev = s;
	else
		t->tail[l] = s;
	if (after != NULL)
		after->tnext = s;
	else
		t->head[l] = s;
}

/*
 * Put a session on the deadline list in order: usually at the tail, else
 * a few steps after the one listed last when it belongs there.  When
 * packets go back in time (a second file older than the first) each new
 * session belongs before the first file's last ones: walking back from
 * the tail over them every time made `-r X -r X` of 20,000 sessions take
 * 5.8 s, not 0.8 s.
 */
static void
session_list(struct session_table *t, struct session *s)
{
	struct session	*after = t->tail[s->closing];
	struct session	*f = t->finger[s->closing];
	int		 i;

	for (i = 0; f != NULL && f->deadline <= s->deadline && i < 16; i++) {
		if (f->tnext == NULL || f->tnext->deadline > s->deadline) {
			after = f;
			break;
		}
		f = f->tnext;
	}
	while (after != NULL && after->deadline > s->deadline)
		after = after->tprev;
	session_insert(t, s, after);
	t->finger[s->closing] = s;
}

/* The open session with the earliest deadline, or NULL. */
static struct session *
session_earliest(const struct session_table *t)
{
	struct session	*a = t->head[0], *b = t->head[1];

	if (a == NULL || (b != NULL && b->deadline < a->deadline))
		return (b);
	return (a);
}

/* Remove a session from the hash chain of its key. */
static void
session_unhash(struct session_table *t, struct session *s)
{
	struct session	**sp;
	struct skey	  k;

	k.af = s->af;
	k.proto = s->proto;
	memcpy(k.port, s->port, sizeof k.port);
	memcpy(k.addr, s->addr, sizeof k.addr);
	for (sp = &t->bucket[session_bucket(t, &k)]; *sp != s;
	    sp = &(*sp)->hnext)
		;
	*sp = s->hnext;
	s->hnext = NULL;
}

/* Decide the initiator by the first rule of SPEC §1 that applies (of an
 * open session: as its packets so far say). */
int
session_initiator(const struct session *s)
{
	bool	 ports = s->proto == IPPROTO_TCP || s->proto == IPPROTO_UDP;

	if (s->syn_side >= 0)
		return (s->syn_side);
	if (s->synack_side >= 0)
		return (s->synack_side);
	if (ports && (s->port[0] < 1024) != (s->port[1] < 1024))
		return (s->port[0] < 1024 ? 1 : 0);
	if ((s->proto == IPPROTO_ICMP || s->proto == IPPROTO_ICMPV6) &&
	    s->echo_side >= 0)
		return (s->echo_side);
	return (s->first_side);
}

/* Close a session for a reason and hand it on. */
static void
session_close(struct session_table *t, struct session *s,
    enum session_close_reason why)
{
	s->closed_by = (uint8_t)why;
	session_unhash(t, s);
	session_unlist(t, s);
	t->nopen--;
	if (s->initiator < 0)
		s->initiator = (int8_t)session_initiator(s);
	t->close_fn(s, t->close_arg);
}

/* Sessions of the idle list the cap compares by their last packet. */
#define SESSION_CAP_WINDOW	8

/*
 * File the idle list's head again at its true deadline (t_last + idle) if
 * that place is among the last few on the list: it saw packets lately.
 * Returns false, leaving it at the head, otherwise.
 */
static bool
session_refile_recent(struct session_table *t, struct session *s)
{
	uint64_t	 d = s->t_last + t->cfg.idle_ns;
	struct session	*after = t->tail[0];
	int		 i;

	for (i = 0; i < 16 && after != NULL && after != s &&
	    after->deadline > d; i++)
		after = after->tprev;
	if (after == NULL || after == s || after->deadline > d)
		return (false);
	session_unlist(t, s);
	s->deadline = d;
	session_insert(t, s, after);
	return (true);
}

/*
 * The open session to close at the cap, the one idle longest or close to
 * it: heads of the idle list that saw packets lately are filed again at
 * their true deadline first; then of the head and the sessions after it,
 * SESSION_CAP_WINDOW in all, the one with the oldest last packet, or the
 * linger list's head when its last packet is older still.
 */
static struct session *
session_idlest(struct session_table *t)
{
	struct session	*a, *n, *b = t->head[1];
	int		 i;

	while ((a = t->head[0]) != NULL &&
	    a->t_last + t->cfg.idle_ns > a->deadline &&
	    session_refile_recent(t, a))
		;
	for (n = a, i = 0; n != NULL && i < SESSION_CAP_WINDOW;
	    n = n->tnext, i++) {
		if (n->t_last < a->t_last)
			a = n;
	}
	if (a == NULL || (b != NULL && b->t_last < a->t_last))
		return (b);
	return (a);
}

/* Close the sessions idle longest until one more fits under the cap. */
static void
session_cap(struct session_table *t)
{
	struct session	*s;

	while (t->nopen >= t->cfg.max_open &&
	    (s = session_idlest(t)) != NULL) {
		t->capped++;
		session_close(t, s, SCR_MAX_OPEN);
	}
}

/* Open a new session for a key. */
static struct session *
session_open(struct session_table *t, const struct skey *k, uint64_t h)
{
	struct session	*s;
	size_t		 priv;
	uint8_t		 n;

	if (t->cfg.max_open != 0 && t->nopen >= t->cfg.max_open)
		session_cap(t);
	if (t->nopen >= t->nbucket) {
		session_table_grow(t);
		h = session_bucket(t, k);
	}
	if (t->packet_fn != NULL) {
		/*
		 * Room for the parsers' state and first values, not zeroed:
		 * each part is set up when first used.  Zeroing it for every
		 * session wrote four cold cache lines a session and cost the
		 * engine's thread 7% of a capture's ingest.
		 */
		n = session_meta_inline(k->proto);
		priv = t->private_size[k->proto != IPPROTO_TCP];
		s = xmalloc(sizeof *s + session_meta_inline_size(n) + priv);
		memset(s, 0, sizeof *s);
		s->xinline = n;
		s->priv = priv > 0;
	} else
		s = xcalloc(1, sizeof *s);
	s->id = ++t->ids;
	s->af = k->af;
	s->proto = k->proto;
	memcpy(s->port, k->port, sizeof s->port);
	memcpy(s->addr, k->addr, sizeof s->addr);
	s->initiator = s->syn_side = s->synack_side = s->echo_side = -1;
	s->first_side = -1;
	s->listed = SESSION_UNLISTED;
	s->hnext = t->bucket[h];
	t->bucket[h] = s;
	t->nopen++;
	return (s);
}

/* Whether p must start a new fragment of s (SPEC §1 split). */
static bool
session_must_split(const struct session_table *t, const struct session *s,
    uint64_t ts, uint32_t len)
{
	return (s->size + len > t->cfg.split_bytes ||
	    (ts > s->t_first && ts - s->t_first > t->cfg.split_ns));
}

/* Close s as a split fragment and open its successor. */
static struct session *
session_split(struct session_table *t, struct session *s,
    const struct skey *k)
{
	struct session	*n;
	uint64_t	 first = s->first_id != 0 ? s->first_id : s->id;
	uint32_t	 idx = s->split;
	int8_t		 ini;

	if (s->initiator < 0)
		s->initiator = (int8_t)session_initiator(s);
	ini = s->initiator;
	s->first_id = first;
	session_close(t, s, SCR_SPLIT);	/* the close callback's now */
	n = session_open(t, k, session_bucket(t, k));
	n->first_id = first;
	n->split = idx + 1;
	n->initiator = ini;
	return (n);
}

/* Note the TCP facts of a packet from side. */
static void
session_tcp(struct session_table *t, struct session *s, uint8_t flags,
    int side, uint64_t ts)
{
	s->tcp_flags |= flags;
	if ((flags & (TH_SYN | TH_ACK)) == TH_SYN && s->syn_side < 0)
		s->syn_side = (int8_t)side;
	if ((flags & (TH_SYN | TH_ACK)) == (TH_SYN | TH_ACK) &&
	    s->synack_side < 0)
		s->synack_side = (int8_t)!side;
	if (flags & TH_FIN)
		s->fin |= 1 << side;
	if (!s->closing && (s->fin == 3 || (flags & TH_RST))) {
		s->closing = true;
		s->deadline = ts + t->cfg.linger_ns;
	}
}

/* Account one packet (or fragment) to a session. */
static void
session_account(struct session_table *t, struct session *s,
    const struct decoded *d, const struct pkt_ref *r, int side, bool first)
{
	size_t	 i;

	if (s->packets++ == 0) {
		s->first_side = (int8_t)side;
		s->t_first = s->t_last = r->ts;
		s->medium = d->medium;
		s->eth_type = d->eth_type;
	}
	if (r->ts > s->t_last)
		s->t_last = r->ts;
	s->size += r->wirelen;
	if (d->has_eth && !s->has_eth[side]) {
		s->has_eth[side] = true;
		memcpy(s->eth[side], d->eth_dst, 6);
		memcpy(s->eth[side] + 6, d->eth_src, 6);
	}
	for (i = 0; i < d->nvlan; i++)
		u16set_add(&s->vlan, d->vlan[i]);
	u16set_add(&s->inputs, r->input);
	pktidx_add(&s->pkts, &s->pkt_last, r->ordinal);
	s->seen |= 1 << side;
	if (!first)
		return;
	if (t->packet_fn != NULL && !(s->unwatched >> side & 1))
		t->packet_fn(s, d, side, r->ts, t->close_arg);
	s->payload[side] += d->payload_len;
	if (d->proto == IPPROTO_TCP)
		session_tcp(t, s, d->tcp_flags, side, r->ts);
	if (d->has_icmp) {
		u16set_add(&s->icmp, (uint16_t)(d->icmp_type << 8 | d->icmp_code));
		if (s->echo_side < 0 && ((d->af == 4 && d->icmp_type == 8) ||
		    (d->af == 6 && d->icmp_type == 128)))
			s->echo_side = (int8_t)side;
	}
}

/* Feed one packet or fragment of a datagram to its session. */
static void
session_one(struct session_table *t, const struct decoded *d,
    const struct skey *k, int side, const struct pkt_ref *r, uint8_t prec,
    bool first)
{
	uint64_t	 h = session_bucket(t, k);
	struct session	*s = session_find(t, k, h);

	if (s != NULL && ((s->closing && d->proto == IPPROTO_TCP && first &&
	    (d->tcp_flags & (TH_SYN | TH_ACK)) == TH_SYN) ||
	    (!s->closing && s->t_last + t->cfg.idle_ns < t->clock &&
	    t->clock > s->clock_seen))) {
		session_close(t, s, s->closing ? SCR_LINGER : SCR_IDLE);
		s = NULL;
	}
	if (s != NULL && session_must_split(t, s, r->ts, r->wirelen))
		s = session_split(t, s, k);
	if (s == NULL) {
		s = session_open(t, k, session_bucket(t, k));
		s->prec = prec;
	}
	if (s->prec == 0)
		s->prec = prec;
	session_account(t, s, d, r, side, first);
	s->clock_seen = t->clock;
	/* Filed again only when it is new or starts to linger. */
	if (s->listed != (uint8_t)s->closing) {
		session_unlist(t, s);
		if (!s->closing)
			s->deadline = s->t_last + t->cfg.idle_ns;
		session_list(t, s);
	}
}

/*
 * The clock reached an idle session's filed deadline but it saw packets
 * since: file it again at its true deadline, looking back a few places
 * from the tail; past that it goes at the tail (closed a little late,
 * never early).
 */
static void
session_refile(struct session_table *t, struct session *s)
{
	struct session	*after;
	int		 i;

	session_unlist(t, s);
	s->deadline = s->t_last + t->cfg.idle_ns;
	after = t->tail[0];
	for (i = 0; i < 16 && after != NULL && after->deadline > s->deadline;
	    i++)
		after = after->tprev;
	if (after != NULL && after->deadline > s->deadline)
		s->deadline = t->tail[0]->deadline;
	session_list(t, s);
}

/* Feed a decoded packet or completed datagram. */
void
session_table_packet(struct session_table *t, const struct decoded *d,
    const struct pkt_ref *r, uint8_t prec)
{
	struct skey	 k;
	int		 side = session_key(d, &k);
	size_t		 i;

	if (d->nfrags == 0) {
		session_one(t, d, &k, side, r, prec, true);
		return;
	}
	for (i = 0; i < d->nfrags; i++)
		session_one(t, d, &k, side, &d->frags[i], prec, i == 0);
}

/* Advance the clock and close the sessions whose deadline it passed. */
void
session_table_clock(struct session_table *t, uint64_t ts)
{
	struct session	*s;

	if (ts <= t->clock)
		return;
	t->clock = ts;
	while ((s = session_earliest(t)) != NULL && s->deadline < t->clock) {
		if (!s->closing && s->t_last + t->cfg.idle_ns >= t->clock)
			session_refile(t, s);
		else
			session_close(t, s, s->closing ? SCR_LINGER :
			    SCR_IDLE);
	}
}

/* Close every open session, earliest deadline first. */
void
session_table_flush(struct session_table *t)
{
	struct session	*s;

	while ((s = session_earliest(t)) != NULL)
		session_close(t, s, SCR_END);
}

/* The capture clock. */
uint64_t
session_table_now(const struct session_table *t)
{
	return (t->clock);
}

/* How many sessions are open. */
uint64_t
session_table_open(const struct session_table *t)
{
	return (t->nopen);
}

/* Call fn on open sessions, earliest deadline first, at most max. */
void
session_table_walk(const struct session_table *t, session_close_fn fn,
    void *arg, size_t max)
{
	struct session	*s;
	size_t		 n = 0;
	int		 l;

	for (l = 0; l < 2; l++) {
		for (s = t->head[l]; s != NULL && n < max; s = s->tnext, n++)
			fn(s, arg);
	}
}

/* How many sessions closed early at the cap. */
uint64_t
session_table_capped(const struct session_table *t)
{
	return (t->capped);
}

/* How many session ids were given. */
uint64_t
session_table_ids(const struct session_table *t)
{
	return (t->ids);
}

/* Free a session. */
void
session_free(struct session *s)
{
	if (s == NULL)
		return;
	u16set_free(&s->vlan);
	u16set_free(&s->icmp);
	u16set_free(&s->inputs);
	pktidx_free(&s->pkts);
	/*
	 * Only what the meta holds on the heap: the parsers' thread wrote its
	 * fields last, and clearing them took that cache line back from the
	 * other CPU for nothing, once a session.
	 */
	session_meta_release(s);
	free(s);
}
