/*
 * decode.c - one captured frame in, one struct decoded (or a reason) out:
 * link layers, VLAN/MPLS/PPPoE, IPv4/IPv6, tunnels and transport headers.
 *
 * Every function takes the bytes it may read as (p, cap) and never reads
 * past them; IP layers also pass the length their headers declare (plen),
 * which is what payload lengths are computed from.  Tunnels are followed
 * only when their header is complete and says it carries something decoded
 * here; once followed, the inner packet's failure is the packet's.
 */

#include <stdlib.h>
#include <string.h>

#include "decode/decode.h"
#include "decode/defrag.h"
#include "decode/dstate.h"
#include "util/util.h"

#define DECODE_MAXTUNNEL	8	/* deeper tunnels stay opaque */
#define DECODE_MAXNEST		64	/* deeper 802.1ah frames too (tshark
					   reads 50 in a known capture) */
#define DECODE_FRAG_MAXCFG	(1u << 20)	/* no datagram is larger */

#define ETH_IPV4	0x0800
#define ETH_IPV6	0x86dd
#define ETH_VLAN	0x8100
#define ETH_QINQ	0x88a8
#define ETH_QINQ_OLD	0x9100
#define ETH_MPLS	0x8847
#define ETH_MPLS_MC	0x8848
#define ETH_PPPOE	0x8864
#define ETH_TEB		0x6558
#define ETH_PPP		0x880b
#define ETH_VNTAG	0x8926
#define ETH_ETAG	0x893f
#define ETH_PBB		0x88e7
#define ETH_ERSPAN2	0x88be
#define ETH_ERSPAN3	0x22eb
#define ETH_WCCP	0x883e

#define PPP_IPV4	0x0021
#define PPP_IPV6	0x0057

#define PORT_VXLAN	4789
#define PORT_GTPU	2152

const char *const decode_reason_names[DR_COUNT] = {
	[DR_NONE] = "assigned",
	[DR_LINKTYPE] = "unsupported link type",
	[DR_LINK_TRUNC] = "truncated link header",
	[DR_NOT_IP] = "not ip",
	[DR_IP_TRUNC] = "truncated ip header",
	[DR_IP_BAD] = "bad ip header",
	[DR_L4_TRUNC] = "truncated transport header",
	[DR_FRAG_INCOMPLETE] = "incomplete ip fragment",
	[DR_ENCRYPTED] = "encrypted frame",
};

struct decoder {
	struct decode_config cfg;
	struct defrag	*df;		/* NULL until the first fragment */
	uint8_t		 lowpan[DECODE_LOWPAN_MAX];	/* rebuilt IPv6 */
};

static enum decode_result decode_ip6_chain(struct dstate *, uint8_t,
		    const uint8_t *, uint32_t, uint32_t);

/* Create a decoder; zero config fields take their defaults. */
struct decoder *
decoder_new(const struct decode_config *cfg)
{
	struct decoder	*dec;

	dec = xcalloc(1, sizeof *dec);
	if (cfg != NULL)
		dec->cfg = *cfg;
	if (dec->cfg.frag_timeout_ns == 0)
		dec->cfg.frag_timeout_ns = DECODE_FRAG_TIMEOUT;
	if (dec->cfg.frag_max == 0)
		dec->cfg.frag_max = DECODE_FRAG_MAX;
	if (dec->cfg.frag_max > DECODE_FRAG_MAXCFG)
		dec->cfg.frag_max = DECODE_FRAG_MAXCFG;
	return (dec);
}

/* Free a decoder and every fragment it holds, reporting nothing. */
void
decoder_free(struct decoder *dec)
{
	if (dec == NULL)
		return;
	defrag_free(dec->df);
	free(dec);
}

/* Whether a DLT link type is one the decoder reads. */
bool
decode_dlt_supported(int dlt)
{
	switch (dlt) {
	case 0: case 1: case 7: case 9: case 10: case 12: case 14:
	case 50: case 101: case 104: case 105: case 107: case 108:
	case 113: case 127: case 129: case 192: case 195: case 215:
	case 226: case 228: case 229: case 230: case 239: case 242:
	case 258: case 276:
		return (true);
	}
	return (false);
}

/* Reset the fields a decode sets, leaving addresses to be overwritten. */
static inline void
decode_reset(struct decoded *d)
{
	d->medium = 0;
	d->has_eth = false;
	d->eth_type = 0;
	d->nvlan = 0;
	d->af = 0;
	d->proto = 0;
	d->tunnels = 0;
	d->sport = d->dport = 0;
	d->tcp_flags = 0;
	d->has_icmp = false;
	d->icmp_type = d->icmp_code = 0;
	d->payload_len = d->payload_caplen = 0;
	d->payload = NULL;
	d->tcp_seq = 0;
	d->nfrags = 0;
	d->frags = NULL;
}

/* Enter a tunnel: forget the outer transport, count the encapsulation. */
static inline void
decode_tunnel(struct decoded *d)
{
	d->tunnels++;
	d->sport = d->dport = 0;
	d->payload_len = d->payload_caplen = 0;
	d->payload = NULL;
}

/* A session without ports: the payload is the whole IP payload. */
static enum decode_result
decode_other(struct dstate *s, const uint8_t *p, uint32_t plen, uint32_t cap)
{
	s->d->payload_len = plen;
	s->d->payload = p;
	s->d->payload_caplen = cap;
	return (DECODE_OK);
}

/* TCP: ports, sequence, flags; the payload starts at the data offset. */
static enum decode_result
decode_tcp(struct dstate *s, const uint8_t *p, uint32_t plen, uint32_t cap)
{
	struct decoded	*d = s->d;
	uint32_t	 doff = 20;

	if (cap < 4 || plen < 20)
		return (decode_fail(s, DR_L4_TRUNC));
	d->sport = decode_rd16(p);
	d->dport = decode_rd16(p + 2);
	if (cap >= 8)
		d->tcp_seq = decode_rd32(p + 4);
	if (cap >= 13) {
		/* A data offset below 5 or past the segment is a cut header. */
		doff = (uint32_t)(p[12] >> 4) * 4;
		if (doff < 20 || doff > plen)
			return (decode_fail(s, DR_L4_TRUNC));
	}
	if (cap >= 14)
		d->tcp_flags = p[13];
	d->payload_len = plen - doff;
	if (cap >= doff) {
		d->payload = p + doff;
		d->payload_caplen = cap - doff;
	}
	return (DECODE_OK);
}

/* VXLAN (RFC 7348) with the I flag: follow the inner Ethernet frame. */
static bool
decode_vxlan(struct dstate *s, const uint8_t *p, uint32_t cap,
    enum decode_result *r)
{
	if (cap < 8 || (p[0] & 0x08) == 0)
		return (false);
	decode_tunnel(s->d);
	*r = decode_ether(s, p + 8, cap - 8, false);
	return (true);
}

/* Length of a GTPv1-U G-PDU header carrying IP, or 0 when it is not one. */
static uint32_t
decode_gtp_len(const uint8_t *p, uint32_t cap)
{
	uint32_t	 hl = 8, elen;
	uint8_t		 next;

	if (cap < 8 || (p[0] & 0xf0) != 0x30 || p[1] != 255)
		return (0);
	if (p[0] & 0x07) {
		if (cap < 12)
			return (0);
		hl = 12;
		next = (p[0] & 0x04) ? p[11] : 0;
		while (next != 0) {
			if (cap <= hl || (elen = (uint32_t)p[hl] * 4) == 0 ||
			    cap < hl + elen)
				return (0);
			next = p[hl + elen - 1];
			hl += elen;
		}
	}
	if (cap <= hl || ((p[hl] >> 4) != 4 && (p[hl] >> 4) != 6))
		return (0);
	return (hl);
}

/* GTP-U G-PDU: follow the inner IP packet. */
static bool
decode_gtp(struct dstate *s, const uint8_t *p, uint32_t cap,
    enum decode_result *r)
{
	uint32_t	 hl;

	if ((hl = decode_gtp_len(p, cap)) == 0)
		return (false);
	decode_tunnel(s->d);
	if ((p[hl] >> 4) == 4)
		*r = decode_ipv4(s, p + hl, cap - hl);
	else
		*r = decode_ipv6(s, p + hl, cap - hl);
	return (true);
}

/* UDP: ports and payload, then VXLAN or GTP-U inside when recognised. */
static enum decode_result
decode_udp(struct dstate *s, const uint8_t *p, uint32_t plen, uint32_t cap)
{
	struct decoded	*d = s->d;
	enum decode_result r;
	uint32_t	 ulen = 0;

	if (cap < 4 || plen < 8)
		return (decode_fail(s, DR_L4_TRUNC));
	d->sport = decode_rd16(p);
	d->dport = decode_rd16(p + 2);
	if (cap >= 6)
		ulen = decode_rd16(p + 4);
	d->payload_len = (ulen >= 8 && ulen <= plen) ? ulen - 8 : plen - 8;
	if (cap < 8)
		return (DECODE_OK);
	d->payload = p + 8;
	d->payload_caplen = cap - 8 < d->payload_len ? cap - 8 : d->payload_len;
	/* A bogus length (below 8: BIG TCP's 0) says nothing of a tunnel. */
	if (d->tunnels >= DECODE_MAXTUNNEL || ulen < 8)
		return (DECODE_OK);
	if (d->dport == PORT_VXLAN &&
	    decode_vxlan(s, d->payload, d->payload_caplen, &r))
		return (r);
	if ((d->dport == PORT_GTPU || d->sport == PORT_GTPU) &&
	    decode_gtp(s, d->payload, d->payload_caplen, &r))
		return (r);
	return (DECODE_OK);
}

/*
 * ICMP and ICMPv6 are sessions as soon as their IP header decodes (only
 * TCP and UDP need ports): type and code when two bytes are captured, the
 * payload after the 8-byte header, 0 bytes when the message is shorter.
 */
static enum decode_result
decode_icmp(struct dstate *s, const uint8_t *p, uint32_t plen, uint32_t cap)
{
	struct decoded	*d = s->d;

	if (cap >= 2) {
		d->has_icmp = true;
		d->icmp_type = p[0];
		d->icmp_code = p[1];
	}
	d->payload_len = plen > 8 ? plen - 8 : 0;
	if (cap >= 8) {
		d->payload = p + 8;
		d->payload_caplen = cap - 8;
	}
	return (DECODE_OK);
}

/* PPP inside GRE (PPTP): follow IPv4 or IPv6; false for anything else. */
static bool
decode_gre_ppp(struct dstate *s, const uint8_t *p, uint32_t cap,
    enum decode_result *r)
{
	uint16_t	 proto;

	if (!decode_ppp_header(&p, &cap, &proto))
		return (false);
	if (proto != PPP_IPV4 && proto != PPP_IPV6)
		return (false);
	decode_tunnel(s->d);
	if (proto == PPP_IPV4)
		*r = decode_ipv4(s, p, cap);
	else
		*r = decode_ipv6(s, p, cap);
	return (true);
}

/*
 * ERSPAN in GRE: type I (0x88be without a sequence number) has no header,
 * type II (0x88be, version 1) 8 bytes, type III (0x22eb, version 2) 12
 * bytes and 8 more when the O bit says a platform subheader follows; the
 * mirrored Ethernet frame comes next (type III: other frame types, which
 * tshark leaves as data, are not IP).
 */
static bool
decode_erspan(struct dstate *s, uint16_t proto, bool seq, const uint8_t *p,
    uint32_t cap, enum decode_result *r)
{
	uint32_t	 hl = 0;

	if (proto == ETH_ERSPAN2 && seq) {
		if (cap < 8 || (p[0] >> 4) != 1)
			return (false);
		hl = 8;
	} else if (proto == ETH_ERSPAN3) {
		if (cap < 12 || (p[0] >> 4) != 2)
			return (false);
		hl = (p[11] & 1) ? 20 : 12;
		if (cap < hl)
			return (false);
		if (((p[10] >> 2) & 0x1f) != 0) {	/* not Ethernet */
			decode_tunnel(s->d);
			*r = decode_fail(s, DR_NOT_IP);
			return (true);
		}
	}
	decode_tunnel(s->d);
	*r = decode_ether(s, p + hl, cap - hl, false);
	return (true);
}

/*
 * WCCP redirection in GRE (0x883e): WCCPv2's 4-byte redirect header when
 * the payload does not start as IPv4 does (as tshark tells them), then IP.
 */
static bool
decode_gre_wccp(struct dstate *s, const uint8_t *p, uint32_t cap,
    enum decode_result *r)
{
	if (cap >= 4 && (p[0] >> 4) != 4) {
		p += 4;
		cap -= 4;
	}
	if (cap == 0 || ((p[0] >> 4) != 4 && (p[0] >> 4) != 6))
		return (false);
	decode_tunnel(s->d);
	*r = decode_ipv4(s, p, cap);
	return (true);
}

/* GRE versions 0 and 1: follow IP, MPLS, Ethernet, PPP, ERSPAN, WCCP. */
static bool
decode_gre(struct dstate *s, const uint8_t *p, uint32_t cap,
    enum decode_result *r)
{
	uint16_t	 flags, proto;
	uint32_t	 hl = 4;

	if (cap < 4)
		return (false);
	flags = decode_rd16(p);
	proto = decode_rd16(p + 2);
	if ((flags & 0x0006) != 0 || (flags & 0x4000) != 0)
		return (false);		/* version 2+, or source routing */
	hl += (flags & 0x8000) ? 4 : 0;	/* checksum */
	hl += (flags & 0x2000) ? 4 : 0;	/* key */
	hl += (flags & 0x1000) ? 4 : 0;	/* sequence */
	hl += (flags & 0x0001) && (flags & 0x0080) ? 4 : 0;	/* v1 ack */
	if (cap < hl)
		return (false);
	p += hl;
	cap -= hl;
	switch (proto) {
	case ETH_IPV4: case ETH_IPV6: case ETH_MPLS: case ETH_MPLS_MC:
		decode_tunnel(s->d);
		*r = decode_ethertype(s, proto, p, cap, false);
		return (true);
	case ETH_TEB:
		decode_tunnel(s->d);
		*r = decode_ether(s, p, cap, false);
		return (true);
	case ETH_PPP:
		return (decode_gre_ppp(s, p, cap, r));
	case ETH_WCCP:
		return (decode_gre_wccp(s, p, cap, r));
	case ETH_ERSPAN2: case ETH_ERSPAN3:
		return (decode_erspan(s, proto, (flags & 0x1000) != 0, p, cap,
		    r));
	}
	return (false);
}

/* The upper protocol of an IP packet: transport header or tunnel. */
static enum decode_result
decode_ipproto(struct dstate *s, uint8_t proto, const uint8_t *p,
    uint32_t plen, uint32_t cap)
{
	enum decode_result r;
	bool		 deeper = s->d->tunnels < DECODE_MAXTUNNEL;

	s->d->proto = proto;
	switch (proto) {
	case 6:
		return (decode_tcp(s, p, plen, cap));
	case 17:
		return (decode_udp(s, p, plen, cap));
	case 1: case 58:
		return (decode_icmp(s, p, plen, cap));
	case 47:
		if (deeper && decode_gre(s, p, cap, &r))
			return (r);
		break;
	case 4:
		if (!deeper)
			break;
		decode_tunnel(s->d);
		return (decode_ipv4(s, p, cap));
	case 41:
		if (!deeper)
			break;
		decode_tunnel(s->d);
		return (decode_ipv6(s, p, cap));
	}
	return (decode_other(s, p, plen, cap));
}

/* Hand a fragment to reassembly; decode the datagram if it completes. */
static enum decode_result
decode_defrag(struct dstate *s, const struct defrag_key *k,
    const struct defrag_frag *f)
{
	struct decoder	*dec = s->dec;
	struct defrag_done done;

	/* A fragment inside a reassembled datagram is not reassembled again. */
	if (s->in_dgram)
		return (decode_fail(s, DR_FRAG_INCOMPLETE));
	if (dec->df == NULL)
		dec->df = defrag_new(&dec->cfg);
	if (!defrag_add(dec->df, k, f, s->ref, s->d, &done))
		return (DECODE_HELD);
	*s->d = *done.first;
	s->d->frags = done.refs;
	s->d->nfrags = done.nrefs;
	s->in_dgram = true;
	if (k->af == 6)
		return (decode_ip6_chain(s, k->proto, done.data, done.len,
		    done.caplen));
	return (decode_ipproto(s, k->proto, done.data, done.len, done.caplen));
}

/*
 * The shortest an IPv4 option with fixed fields can be (RFC 791, 1108,
 * 2113): record route and source routes 3, timestamp, stream id and router
 * alert 4, security 3; 2 for the others.
 */
static inline uint32_t
decode_ip4_optmin(uint8_t type)
{
	switch (type) {
	case 7: case 130: case 131: case 137:
		return (3);
	case 68: case 136: case 148:
		return (4);
	}
	return (2);
}

/*
 * Walk the n bytes of IPv4 options: false when one is shorter than its
 * fixed fields (tshark's dissector then reads past it and calls the packet
 * malformed; Suricata calls the option invalid).  A length past the end
 * ends the walk, as tshark reads on.
 */
static bool
decode_ip4_opts(const uint8_t *p, uint32_t n)
{
	uint32_t	 i = 0, l;

	while (i < n && p[i] != 0) {
		if (p[i] == 1) {
			i++;
			continue;
		}
		if (n - i < 2 || (l = p[i + 1]) > n - i)
			break;
		if (l < decode_ip4_optmin(p[i]))
			return (false);
		i += l;
	}
	return (true);
}

/*
 * Walk an IPv6 hop-by-hop or destination options header of n bytes:
 * false when an option's length runs past it (tshark: malformed); *jumbo,
 * when not NULL, gets a Jumbo Payload option's length.
 */
static bool
decode_ip6_opts(const uint8_t *p, uint32_t n, uint32_t *jumbo)
{
	uint32_t	 i = 2, l;

	while (i < n) {
		if (p[i] == 0) {
			i++;
			continue;
		}
		if (n - i < 2)
			break;		/* no length to run past the end */
		l = 2u + p[i + 1];
		if (l > n - i)
			return (false);
		if (jumbo != NULL && p[i] == 0xc2 && l == 6)
			*jumbo = decode_rd32(p + i + 2);
		i += l;
	}
	return (true);
}

/* IPv4 (RFC 791): check the header, then fragments or the upper protocol. */
enum decode_result
decode_ipv4(struct dstate *s, const uint8_t *p, uint32_t cap)
{
	struct decoded	*d = s->d;
	struct defrag_key k;
	struct defrag_frag f;
	uint32_t	 hl, tot, end;

	if (cap == 0)
		return (decode_fail(s, DR_IP_TRUNC));
	if ((p[0] >> 4) != 4 || (hl = (uint32_t)(p[0] & 0x0f) * 4) < 20) {
		/* Version 6 where IPv4 was announced: IPv6, as tshark reads. */
		if ((p[0] >> 4) == 6)
			return (decode_ipv6(s, p, cap));
		return (decode_fail(s, DR_IP_BAD));
	}
	if (cap < hl)
		return (decode_fail(s, DR_IP_TRUNC));
	if (hl > 20 && !decode_ip4_opts(p + 20, hl - 20))
		return (decode_fail(s, DR_IP_BAD));
	/* Total length 0: segmentation offload; the frame holds the datagram. */
	if ((tot = decode_rd16(p + 2)) == 0)
		tot = cap;
	if (tot < hl)
		return (decode_fail(s, DR_IP_BAD));
	end = tot < cap ? tot : cap;
	d->af = 4;
	d->proto = p[9];
	memcpy(d->src, p + 12, 4);
	memset(d->src + 4, 0, 12);
	memcpy(d->dst, p + 16, 4);
	memset(d->dst + 4, 0, 12);
	if ((decode_rd16(p + 6) & 0x3fff) == 0)
		return (decode_ipproto(s, p[9], p + hl, tot - hl, end - hl));

	k.id = decode_rd16(p + 4);
	k.af = 4;
	k.proto = p[9];
	memcpy(k.src, d->src, 16);
	memcpy(k.dst, d->dst, 16);
	f.data = p + hl;
	f.off = (uint32_t)(decode_rd16(p + 6) & 0x1fff) * 8;
	f.len = tot - hl;
	f.caplen = end - hl;
	f.more = (p[6] & 0x20) != 0;
	return (decode_defrag(s, &k, &f));
}

/* An IPv6 fragment header that really fragments: hand it to reassembly. */
static enum decode_result
decode_frag6(struct dstate *s, const uint8_t *p, uint32_t plen, uint32_t cap)
{
	struct defrag_key k;
	struct defrag_frag f;

	k.id = decode_rd32(p + 4);
	k.af = 6;
	k.proto = p[0];
	memcpy(k.src, s->d->src, 16);
	memcpy(k.dst, s->d->dst, 16);
	f.data = p + 8;
	f.off = decode_rd16(p + 2) & 0xfff8;
	f.len = plen - 8;
	f.caplen = cap - 8;
	f.more = (p[3] & 1) != 0;
	return (decode_defrag(s, &k, &f));
}

/* Walk IPv6 extension headers to the upper protocol (ESP, 59 included). */
static enum decode_result
decode_ip6_chain(struct dstate *s, uint8_t nh, const uint8_t *p,
    uint32_t plen, uint32_t cap)
{
	uint32_t	 hl;

	for (;;) {
		switch (nh) {
		case 0: case 43: case 60: case 51:
			if (plen < 2)
				return (decode_fail(s, DR_IP_BAD));
			if (cap < 2)
				return (decode_fail(s, DR_IP_TRUNC));
			if (nh == 51)
				hl = ((uint32_t)p[1] + 2) * 4;
			else
				hl = ((uint32_t)p[1] + 1) * 8;
			if ((nh == 0 || nh == 60) && plen >= hl && cap >= hl &&
			    !decode_ip6_opts(p, hl, NULL))
				return (decode_fail(s, DR_IP_BAD));
			break;
		case 44:
			hl = 8;
			if (plen >= 8 && cap >= 8 &&
			    ((decode_rd16(p + 2) & 0xfff9) != 0))
				return (decode_frag6(s, p, plen, cap));
			break;		/* atomic fragment: no reassembly */
		default:
			return (decode_ipproto(s, nh, p, plen, cap));
		}
		if (plen < hl)
			return (decode_fail(s, DR_IP_BAD));
		if (cap < hl)
			return (decode_fail(s, DR_IP_TRUNC));
		nh = p[0];
		p += hl;
		plen -= hl;
		cap -= hl;
	}
}

/* IPv6 (RFC 8200): fixed header, then the extension header chain. */
enum decode_result
decode_ipv6(struct dstate *s, const uint8_t *p, uint32_t cap)
{
	struct decoded	*d = s->d;
	uint32_t	 plen;

	if (cap == 0)
		return (decode_fail(s, DR_IP_TRUNC));
	if ((p[0] >> 4) != 6)
		return (decode_fail(s, DR_IP_BAD));
	if (cap < 40)
		return (decode_fail(s, DR_IP_TRUNC));
	plen = decode_rd16(p + 4);
	/* RFC 2675: length 0 and a Jumbo Payload option in hop-by-hop. */
	if (plen == 0 && p[6] == 0 && cap >= 48 &&
	    cap - 40 >= ((uint32_t)p[41] + 1) * 8)
		(void)decode_ip6_opts(p + 40, ((uint32_t)p[41] + 1) * 8,
		    &plen);
	d->af = 6;
	d->proto = p[6];
	memcpy(d->src, p + 8, 16);
	memcpy(d->dst, p + 24, 16);
	cap -= 40;
	return (decode_ip6_chain(s, p[6], p + 40, plen, cap < plen ? cap : plen));
}

/* MPLS: pop labels to the bottom of the stack, then IP by version. */
static enum decode_result
decode_mpls(struct dstate *s, const uint8_t *p, uint32_t cap)
{
	bool	 bottom;

	do {
		if (cap < 4)
			return (decode_fail(s, DR_LINK_TRUNC));
		bottom = (p[2] & 1) != 0;
		p += 4;
		cap -= 4;
	} while (!bottom);
	if (cap == 0)
		return (decode_fail(s, DR_IP_TRUNC));
	switch (p[0] >> 4) {
	case 4:
		return (decode_ipv4(s, p, cap));
	case 6:
		return (decode_ipv6(s, p, cap));
	}
	return (decode_fail(s, DR_NOT_IP));
}

/*
 * PPPoE session stage: IPv4 or IPv6 inside PPP.  The PPP protocol field may
 * be compressed to one byte (RFC 1661 PFC: an odd first byte).
 */
static enum decode_result
decode_pppoe(struct dstate *s, const uint8_t *p, uint32_t cap)
{
	uint32_t	 hl = 8;
	uint16_t	 proto;

	if (cap < 7)
		return (decode_fail(s, DR_LINK_TRUNC));
	if (p[6] & 1) {
		proto = p[6];
		hl = 7;
	} else if (cap < 8)
		return (decode_fail(s, DR_LINK_TRUNC));
	else
		proto = decode_rd16(p + 6);
	switch (proto) {
	case PPP_IPV4:
		return (decode_ipv4(s, p + hl, cap - hl));
	case PPP_IPV6:
		return (decode_ipv6(s, p + hl, cap - hl));
	}
	return (decode_fail(s, DR_NOT_IP));
}

/*
 * Length of a tag whose type field says it comes next, up to and including
 * the following type field: 802.1Q/QinQ 4, VN-Tag 6, 802.1BR E-Tag 8; 0
 * for anything else.
 */
static inline uint32_t
decode_tag_len(uint16_t type)
{
	switch (type) {
	case ETH_VLAN: case ETH_QINQ: case ETH_QINQ_OLD:
		return (4);
	case ETH_VNTAG:
		return (6);
	case ETH_ETAG:
		return (8);
	}
	return (0);
}

/* What an ethertype carries, after any tags (VLAN ids kept for the outer). */
enum decode_result
decode_ethertype(struct dstate *s, uint16_t type, const uint8_t *p,
    uint32_t cap, bool outer)
{
	struct decoded	*d = s->d;
	uint32_t	 tl;

	while ((tl = decode_tag_len(type)) != 0) {
		if (cap < tl)
			return (decode_fail(s, DR_LINK_TRUNC));
		if (tl == 4 && outer && d->nvlan < DECODE_MAXVLAN)
			d->vlan[d->nvlan++] = decode_rd16(p) & 0x0fff;
		type = decode_rd16(p + tl - 2);
		p += tl;
		cap -= tl;
	}
	switch (type) {
	case ETH_IPV4:
		return (decode_ipv4(s, p, cap));
	case ETH_IPV6:
		return (decode_ipv6(s, p, cap));
	case ETH_MPLS: case ETH_MPLS_MC:
		return (decode_mpls(s, p, cap));
	case ETH_PPPOE:
		return (decode_pppoe(s, p, cap));
	case ETH_PBB:
		/* 802.1ah: a 4-byte I-TAG, then the customer's frame. */
		if (s->nested >= DECODE_MAXNEST)
			break;		/* deeper frames stay opaque */
		if (cap < 4)
			return (decode_fail(s, DR_LINK_TRUNC));
		s->nested++;
		return (decode_ether(s, p + 4, cap - 4, false));
	}
	return (decode_fail(s, DR_NOT_IP));
}

/* Ethernet II; the outer frame's addresses and type go in the result. */
enum decode_result
decode_ether(struct dstate *s, const uint8_t *p, uint32_t cap, bool outer)
{
	struct decoded	*d = s->d;
	uint16_t	 type;

	if (cap < 14)
		return (decode_fail(s, DR_LINK_TRUNC));
	type = decode_rd16(p + 12);
	if (outer) {
		d->has_eth = true;
		memcpy(d->eth_dst, p, 6);
		memcpy(d->eth_src, p + 6, 6);
		d->eth_type = type;
	}
	return (decode_ethertype(s, type, p + 14, cap - 14, outer));
}

/* Linux cooked capture v1 (16 bytes) or v2 (20 bytes): protocol is first. */
static enum decode_result
decode_sll(struct dstate *s, const uint8_t *p, uint32_t cap, bool v2)
{
	uint32_t	 hl = v2 ? 20 : 16;

	if (cap < hl)
		return (decode_fail(s, DR_LINK_TRUNC));
	s->d->eth_type = decode_rd16(v2 ? p : p + 14);
	return (decode_ethertype(s, s->d->eth_type, p + hl, cap - hl, true));
}

/* BSD loopback: a 4-byte address family, host order (NULL) or network. */
static enum decode_result
decode_null(struct dstate *s, const uint8_t *p, uint32_t cap, bool net)
{
	uint32_t	 af;

	if (cap < 4)
		return (decode_fail(s, DR_LINK_TRUNC));
	af = decode_rd32(p);
	if (!net) {
		af = (uint32_t)p[3] << 24 | (uint32_t)p[2] << 16 |
		    (uint32_t)p[1] << 8 | p[0];
		if (af > 0xffff)	/* written by a big-endian host */
			af = decode_rd32(p);
	}
	switch (af) {
	case 2:
		return (decode_ipv4(s, p + 4, cap - 4));
	case 24: case 28: case 30:
		return (decode_ipv6(s, p + 4, cap - 4));
	}
	return (decode_fail(s, DR_NOT_IP));
}

/* Raw IP: the version nibble says which, unless the link type does. */
static enum decode_result
decode_raw(struct dstate *s, const uint8_t *p, uint32_t cap, int version)
{
	if (version == 0)
		version = (p[0] >> 4) == 6 ? 6 : 4;
	if (version == 6)
		return (decode_ipv6(s, p, cap));
	return (decode_ipv4(s, p, cap));
}

/* The link types with a header of their own (not Ethernet, cooked, raw). */
static enum decode_result
decode_link_other(struct dstate *s, int dlt, const uint8_t *p, uint32_t cap)
{
	switch (dlt) {
	case 239:
		return (decode_nflog(s, p, cap));
	case 105:
		s->d->medium = 1;
		return (decode_wlan(s, p, cap));
	case 127:
		s->d->medium = 1;
		return (decode_radiotap(s, p, cap));
	case 192:
		s->d->medium = 1;
		return (decode_ppi(s, p, cap));
	case 7: case 129:
		return (decode_arcnet(s, p, cap, dlt == 129));
	case 9: case 50:
		return (decode_ppp(s, p, cap));
	case 104:
		return (decode_chdlc(s, p, cap));
	case 107:
		return (decode_frelay(s, p, cap));
	case 10:
		return (decode_fddi(s, p, cap));
	case 242:
		return (decode_ipoib(s, p, cap));
	case 226:
		return (decode_ipnet(s, p, cap));
	case 258:
		return (decode_pktap(s, p, cap));
	case 195: case 215: case 230:
		return (decode_wpan(s, p, cap, dlt));
	}
	return (decode_fail(s, DR_LINKTYPE));
}

/* Dispatch on the link type. */
static enum decode_result
decode_link(struct dstate *s, int dlt, const uint8_t *p, uint32_t cap)
{
	struct decoded	*d = s->d;

	if (!decode_dlt_supported(dlt))
		return (decode_fail(s, DR_LINKTYPE));
	if (cap == 0)
		return (decode_fail(s, DR_LINK_TRUNC));
	d->medium = (dlt == 1 || dlt == 113 || dlt == 276) ? 1 : 13;
	switch (dlt) {
	case 1:
		return (decode_ether(s, p, cap, true));
	case 113:
		return (decode_sll(s, p, cap, false));
	case 276:
		return (decode_sll(s, p, cap, true));
	case 0:
		return (decode_null(s, p, cap, false));
	case 108:
		return (decode_null(s, p, cap, true));
	case 228:
		return (decode_raw(s, p, cap, 4));
	case 229:
		return (decode_raw(s, p, cap, 6));
	case 12: case 14: case 101:
		return (decode_raw(s, p, cap, 0));
	}
	return (decode_link_other(s, dlt, p, cap));
}

/* Decode one frame; see decode.h for the contract. */
enum decode_result
decode_packet(struct decoder *dec, int dlt, const uint8_t *data,
    uint32_t caplen, const struct pkt_ref *ref, struct decoded *d,
    enum decode_reason *reason)
{
	struct dstate	 s;
	enum decode_result r;

	if (dec->df != NULL)
		defrag_release(dec->df);
	decode_reset(d);
	s.dec = dec;
	s.ref = ref;
	s.d = d;
	s.reason = DR_NONE;
	s.in_dgram = false;
	s.nested = 0;
	s.lowpan = dec->lowpan;
	r = decode_link(&s, dlt, data, caplen);
	*reason = r == DECODE_UNASSIGNED ? s.reason : DR_NONE;
	return (r);
}

/* Report held fragments whose first one is older than the timeout. */
void
decoder_expire(struct decoder *dec, uint64_t now,
    void (*cb)(const struct pkt_ref *, void *), void *arg)
{
	if (dec->df != NULL)
		defrag_expire(dec->df, now, cb, arg);
}

/* Report every held fragment: the end of input. */
void
decoder_flush(struct decoder *dec,
    void (*cb)(const struct pkt_ref *, void *), void *arg)
{
	if (dec->df != NULL)
		defrag_flush(dec->df, cb, arg);
}
