/* smeta.c - the core meta of a session (SPEC §2), read on demand. */
/* SPDX-License-Identifier: GPL-3.0-or-later */

#include <arpa/inet.h>
#include <netinet/in.h>
#include <string.h>

#include "session/session.h"

static const char *const tcpflag_names[8] = {
	"fin", "syn", "rst", "psh", "ack", "urg", "ece", "cwr"
};

/* The internal ranges of SPEC §2. */
static const struct netrange internal_ranges[] = {
	{ 4, 8, { 10 } },
	{ 4, 12, { 172, 16 } },
	{ 4, 16, { 192, 168 } },
	{ 4, 10, { 100, 64 } },
	{ 4, 8, { 127 } },
	{ 4, 16, { 169, 254 } },
	{ 6, 7, { 0xfc } },
	{ 6, 10, { 0xfe, 0x80 } },
	{ 6, 128, { [15] = 1 } },
};

/*
 * Whether an address lies inside a range.  The whole bytes are compared in
 * a loop, not with memcmp: prefixes are a byte or two, and rules ask for
 * the direction of every session against every range.
 */
bool
netrange_has(const struct netrange *r, uint8_t af, const uint8_t *a)
{
	unsigned int	 i, full = r->plen / 8, rest = r->plen % 8;

	if (r->af != af)
		return (false);
	for (i = 0; i < full; i++) {
		if (r->addr[i] != a[i])
			return (false);
	}
	if (rest == 0)
		return (true);
	return (((r->addr[full] ^ a[full]) & (0xff00 >> rest)) == 0);
}

/* Parse an address with an optional /N prefix length. */
bool
netrange_parse(const char *s, size_t n, struct netrange *r)
{
	char		 tmp[64];
	const char	*slash;
	uint64_t	 plen;
	unsigned int	 max;

	if (n == 0 || n >= sizeof tmp)
		return (false);
	memcpy(tmp, s, n);
	tmp[n] = '\0';
	memset(r, 0, sizeof *r);
	if ((slash = strchr(tmp, '/')) != NULL)
		tmp[slash - tmp] = '\0';
	if (inet_pton(AF_INET, tmp, r->addr) == 1)
		r->af = 4;
	else if (inet_pton(AF_INET6, tmp, r->addr) == 1)
		r->af = 6;
	else
		return (false);
	max = r->af == 4 ? 32 : 128;
	plen = max;
	if (slash != NULL && (!parse_u64(slash + 1, strlen(slash + 1), &plen) ||
	    plen > max))
		return (false);
	r->plen = (uint8_t)plen;
	return (true);
}

/* Whether an address is internal. */
bool
session_internal(const struct session_ctx *c, uint8_t af, const uint8_t *a)
{
	size_t	 i;

	for (i = 0; i < nitems(internal_ranges); i++) {
		if (netrange_has(&internal_ranges[i], af, a))
			return (true);
	}
	for (i = 0; c != NULL && i < c->nhome; i++) {
		if (netrange_has(&c->home[i], af, a))
			return (true);
	}
	return (false);
}

/* Store a uint value if there is room; returns 1. */
static size_t
put_u(struct mval *out, size_t max, uint64_t u)
{
	if (max > 0) {
		out->type = MT_UINT;
		out->u = u;
	}
	return (1);
}

/* Store an address value of the session's family. */
static size_t
put_ip(struct mval *out, size_t max, uint8_t af, const uint8_t *a)
{
	if (max > 0) {
		out->type = af == 4 ? MT_IPV4 : MT_IPV6;
		memcpy(out->ip, a, af == 4 ? 4 : 16);
	}
	return (1);
}

/* Store a text value. */
static size_t
put_text(struct mval *out, size_t max, const char *s)
{
	if (max > 0) {
		out->type = MT_TEXT;
		out->text.p = s;
		out->text.n = (uint32_t)strlen(s);
	}
	return (1);
}

/* Store a MAC value. */
static size_t
put_mac(struct mval *out, size_t max, const uint8_t *m)
{
	if (max > 0) {
		out->type = MT_MAC;
		memcpy(out->mac, m, 6);
	}
	return (1);
}

/* The Ethernet address of the initiator's side: src (which 1) or dst (0). */
static size_t
session_eth(const struct session *s, bool src, struct mval *out, size_t max)
{
	int	 ini = s->initiator;

	if (s->has_eth[ini])		/* frame from the initiator */
		return (put_mac(out, max, s->eth[ini] + (src ? 6 : 0)));
	if (s->has_eth[!ini])		/* responder's frame, turned round */
		return (put_mac(out, max, s->eth[!ini] + (src ? 0 : 6)));
	return (0);
}

/* The payload of one side, absent when that side sent nothing. */
static size_t
session_payload(const struct session *s, int side, struct mval *out,
    size_t max)
{
	if (!(s->seen & (1 << side)))
		return (0);
	return (put_u(out, max, s->payload[side]));
}

/* The values of a multi-valued 16-bit set, mapped by fn. */
static size_t
session_set(const struct u16set *set, int shift, uint16_t mask,
    struct mval *out, size_t max)
{
	size_t		 n = 0, j;
	uint16_t	 i, v;

	for (i = 0; i < set->n; i++) {
		v = (u16set_get(set, i) >> shift) & mask;
		for (j = 0; j < n && j < max; j++) {
			if (out[j].u == v)
				break;
		}
		if (j < n && j < max)
			continue;
		n += put_u(n < max ? out + n : NULL, n < max ? 1 : 0, v);
	}
	return (n);
}

/* The tcpflags names. */
static size_t
session_tcpflags(const struct session *s, struct mval *out, size_t max)
{
	size_t	 n = 0;
	int	 i;

	for (i = 0; i < 8; i++) {
		if (s->tcp_flags & (1 << i))
			n += put_text(n < max ? out + n : NULL, n < max,
			    tcpflag_names[i]);
	}
	return (n);
}

/* The direction of a session, or NULL. */
static const char *
session_direction(const struct session *s, const struct session_ctx *c)
{
	int	 ini = s->initiator;
	bool	 a = session_internal(c, s->af, s->addr[ini]);
	bool	 b = session_internal(c, s->af, s->addr[!ini]);

	if (a && b)
		return ("lateral");
	if (a)
		return ("outbound");
	if (b)
		return ("inbound");
	return (NULL);
}

/* The did values: names of the inputs the packets came from. */
static size_t
session_did(const struct session *s, const struct session_ctx *c,
    struct mval *out, size_t max)
{
	size_t		 n = 0;
	uint16_t	 i;

	for (i = 0; c != NULL && c->inputs != NULL && i < s->inputs.n; i++)
		n += put_text(n < max ? out + n : NULL, n < max,
		    c->inputs[u16set_get(&s->inputs, i)]);
	return (n);
}

/*
 * packets.missing: the packets that cannot be read again, asked of the
 * capture at each read (the spool deletes files as time passes); none
 * when the run keeps every packet.
 */
static size_t
session_missing(const struct session *s, const struct session_ctx *c,
    struct mval *out, size_t max)
{
	uint64_t	 n;

	if (c == NULL || c->missing == NULL ||
	    (n = c->missing(s, c->missing_arg)) == 0)
		return (0);
	return (put_u(out, max, n));
}

/* Time, ratio and other derived values. */
static size_t
session_derived(const struct session *s, int key, struct mval *out,
    size_t max)
{
	uint64_t	 total = s->payload[0] + s->payload[1];

	switch (key) {
	case K_TIME:
		if (max > 0) {
			out->type = MT_TIME;
			out->prec = s->prec == 9 ? 9 : 6;
			out->u = s->t_first;
		}
		return (1);
	case K_LIFETIME:
		return (put_u(out, max, (s->t_last - s->t_first) / 1000000000));
	case K_PAYLOAD_RATIO_REQ:
		if (total == 0)
			return (0);
		return (put_u(out, max, 100 * s->payload[s->initiator] / total));
	case K_STREAMS:
		return (put_u(out, max, (s->seen & 1) + (s->seen >> 1 & 1)));
	}
	return (0);
}

/* Address and port keys, read through the initiator. */
static size_t
session_endpoint(const struct session *s, int key, struct mval *out,
    size_t max)
{
	int	 ini = s->initiator;

	switch (key) {
	case K_IP_SRC: case K_IP_DST:
		if (s->af != 4)
			return (0);
		return (put_ip(out, max, 4, s->addr[key == K_IP_SRC ? ini : !ini]));
	case K_IPV6_SRC: case K_IPV6_DST:
		if (s->af != 6)
			return (0);
		return (put_ip(out, max, 6,
		    s->addr[key == K_IPV6_SRC ? ini : !ini]));
	case K_TCP_SRCPORT: case K_TCP_DSTPORT:
		if (s->proto != IPPROTO_TCP)
			return (0);
		return (put_u(out, max, s->port[key == K_TCP_SRCPORT ? ini : !ini]));
	case K_UDP_SRCPORT: case K_UDP_DSTPORT:
		if (s->proto != IPPROTO_UDP)
			return (0);
		return (put_u(out, max, s->port[key == K_UDP_SRCPORT ? ini : !ini]));
	}
	return (0);
}

/* The values of one core key of a closed session. */
size_t
session_values(const struct session *s, const struct session_ctx *c,
    int key, struct mval *out, size_t max)
{
	const char	*dir;

	if (key >= K_NCORE)	/* first, before the core keys' frame */
		return (session_meta_get(s, key, out, max));
	switch (key) {
	case K_SESSIONID:	return (put_u(out, max, s->id));
	case K_SIZE:		return (put_u(out, max, s->size));
	case K_PAYLOAD:		return (put_u(out, max, s->payload[0] + s->payload[1]));
	case K_REQPAYLOAD:	return (session_payload(s, s->initiator, out, max));
	case K_RESPAYLOAD:	return (session_payload(s, !s->initiator, out, max));
	case K_PACKETS:		return (put_u(out, max, s->packets));
	case K_MEDIUM:		return (put_u(out, max, s->medium));
	case K_ETH_SRC:		return (session_eth(s, true, out, max));
	case K_ETH_DST:		return (session_eth(s, false, out, max));
	case K_ETH_TYPE:
		return (s->eth_type != 0 ? put_u(out, max, s->eth_type) : 0);
	case K_VLAN_ID:		return (session_set(&s->vlan, 0, 0xffff, out, max));
	case K_IP_PROTO:	return (put_u(out, max, s->proto));
	case K_TCP_FLAGS:
		return (s->proto == IPPROTO_TCP ?
		    put_u(out, max, s->tcp_flags) : 0);
	case K_TCPFLAGS:
		return (s->proto == IPPROTO_TCP ?
		    session_tcpflags(s, out, max) : 0);
	case K_ICMP_TYPE:	return (session_set(&s->icmp, 8, 0xff, out, max));
	case K_ICMP_CODE:	return (session_set(&s->icmp, 0, 0xff, out, max));
	case K_SERVICE:		return (put_u(out, max, s->service));
	case K_DIRECTION:
		dir = session_direction(s, c);
		return (dir != NULL ? put_text(out, max, dir) : 0);
	case K_SESSION_SPLIT:
		return (s->first_id != 0 ? put_u(out, max, s->split) : 0);
	case K_SESSION_FIRST:
		return (s->first_id != 0 ? put_u(out, max, s->first_id) : 0);
	case K_SESSION_CLOSE:
		return (s->closed_by == SCR_MAX_OPEN ?
		    put_text(out, max, "max_open") : 0);
	case K_DID:		return (session_did(s, c, out, max));
	case K_PACKETS_MISSING:
		return (session_missing(s, c, out, max));
	}
	if (key == K_IP_SRC || key == K_IP_DST || key == K_IPV6_SRC ||
	    key == K_IPV6_DST || (key >= K_TCP_SRCPORT && key <= K_UDP_DSTPORT))
		return (session_endpoint(s, key, out, max));
	return (session_derived(s, key, out, max));
}

/* Meta reader callback: item is a session pointer. */
static size_t
session_reader_values(const struct meta_reader *r, uint64_t item, int key,
    struct mval *out, size_t max)
{
	const struct session	*s = (const struct session *)(uintptr_t)item;

	if (s == NULL || key < 0)
		return (0);
	return (session_values(s, r->ctx, key, out, max));
}

/* A meta reader over single sessions. */
void
session_reader_init(struct meta_reader *r, const struct session_ctx *ctx)
{
	r->values = session_reader_values;
	r->ctx = (void *)(uintptr_t)ctx;
}
