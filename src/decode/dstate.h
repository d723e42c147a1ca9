/*
 * dstate.h - what the decoder's files share: the state of one decode and
 * the entry points one layer uses to hand the rest of a frame to another.
 * Private to decode/.
 */
#ifndef HUNTCON_DSTATE_H
#define HUNTCON_DSTATE_H

#include <stdbool.h>
#include <stdint.h>

#include "decode/decode.h"

/* The state of one decode_packet() call. */
struct dstate {
	struct decoder	*dec;
	const struct pkt_ref *ref;
	struct decoded	*d;
	enum decode_reason reason;
	bool		 in_dgram;	/* decoding a reassembled datagram */
	uint8_t		 nested;	/* 802.1ah frames inside frames */
	uint8_t		*lowpan;	/* DECODE_LOWPAN_MAX bytes, the decoder's */
};

/* An IPv6 packet rebuilt from 6LoWPAN: its header, UDP's, the frame. */
#define DECODE_LOWPAN_MAX	(40 + 8 + 2048)

/* Read a big-endian 16-bit value. */
static inline uint16_t
decode_rd16(const uint8_t *p)
{
	return ((uint16_t)(p[0] << 8 | p[1]));
}

/*
 * Step over a PPP header: the optional address and control bytes (ff 03)
 * and the protocol field, one byte when compressed; false when cut.
 */
static inline bool
decode_ppp_header(const uint8_t **p, uint32_t *cap, uint16_t *proto)
{
	const uint8_t	*q = *p;
	uint32_t	 n = *cap;

	if (n >= 2 && q[0] == 0xff && q[1] == 0x03) {
		q += 2;
		n -= 2;
	}
	if (n >= 1 && (q[0] & 1)) {		/* compressed protocol field */
		*proto = q[0];
		q++;
		n--;
	} else if (n >= 2) {
		*proto = decode_rd16(q);
		q += 2;
		n -= 2;
	} else
		return (false);
	*p = q;
	*cap = n;
	return (true);
}

/* Read a big-endian 32-bit value. */
static inline uint32_t
decode_rd32(const uint8_t *p)
{
	return ((uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 |
	    (uint32_t)p[2] << 8 | p[3]);
}

/* Give up on a packet with a reason. */
static inline enum decode_result
decode_fail(struct dstate *s, enum decode_reason why)
{
	s->reason = why;
	return (DECODE_UNASSIGNED);
}

/* decode.c: Ethernet, what an ethertype carries, IPv4 and IPv6. */
enum decode_result decode_ether(struct dstate *, const uint8_t *, uint32_t,
		    bool);
enum decode_result decode_ethertype(struct dstate *, uint16_t,
		    const uint8_t *, uint32_t, bool);
enum decode_result decode_ipv4(struct dstate *, const uint8_t *, uint32_t);
enum decode_result decode_ipv6(struct dstate *, const uint8_t *, uint32_t);

/* link.c: the link types other than Ethernet, cooked, raw and loopback. */
enum decode_result decode_nflog(struct dstate *, const uint8_t *, uint32_t);
enum decode_result decode_wlan(struct dstate *, const uint8_t *, uint32_t);
enum decode_result decode_radiotap(struct dstate *, const uint8_t *,
		    uint32_t);
enum decode_result decode_ppi(struct dstate *, const uint8_t *, uint32_t);
enum decode_result decode_arcnet(struct dstate *, const uint8_t *, uint32_t,
		    bool);
enum decode_result decode_ppp(struct dstate *, const uint8_t *, uint32_t);
enum decode_result decode_chdlc(struct dstate *, const uint8_t *, uint32_t);
enum decode_result decode_frelay(struct dstate *, const uint8_t *, uint32_t);
enum decode_result decode_fddi(struct dstate *, const uint8_t *, uint32_t);
enum decode_result decode_ipoib(struct dstate *, const uint8_t *, uint32_t);
enum decode_result decode_ipnet(struct dstate *, const uint8_t *, uint32_t);
enum decode_result decode_pktap(struct dstate *, const uint8_t *, uint32_t);
enum decode_result decode_wpan(struct dstate *, const uint8_t *, uint32_t,
		    int);

#endif
