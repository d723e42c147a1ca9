/*
 * link.c - the link types beyond Ethernet, Linux cooked, raw IP and
 * loopback: Linux NFLOG, IEEE 802.11 (plain, radiotap, PPI), ARCNET, PPP,
 * Cisco HDLC, Frame Relay, FDDI, IP over InfiniBand, Solaris ipnet and
 * Apple PKTAP.  Each finds the IP packet (or the ethertype)
 * its frame carries and hands it to decode.c; the dispatch on the link
 * type runs only for the link type the input declares.
 */

#include <stdbool.h>
#include <string.h>

#include "decode/decode.h"
#include "decode/dstate.h"

#define ETH_IPV4	0x0800
#define ETH_IPV6	0x86dd
#define ETH_MPLS	0x8847

#define NFULA_PAYLOAD	9
#define NLA_TYPE_MASK	0x3fff

#define WLAN_DATA	2		/* frame control type */
#define WLAN_TODS	0x01
#define WLAN_FROMDS	0x02
#define WLAN_PROTECTED	0x40
#define WLAN_ORDER	0x80		/* with QoS data: HT control follows */

/* Read a little-endian 16-bit value. */
static inline uint16_t
link_rd16le(const uint8_t *p)
{
	return ((uint16_t)(p[1] << 8 | p[0]));
}

/* Read a 16-bit value in this host's byte order (NFLOG's TLV fields). */
static inline uint16_t
link_rd16host(const uint8_t *p)
{
	uint16_t	 v;

	memcpy(&v, p, sizeof v);
	return (v);
}

/*
 * Linux NFLOG (DLT 239): a 4-byte header (address family, version,
 * resource id) and TLVs whose length and type are in the capturing host's
 * byte order (libpcap swaps them to the reader's).  The NFULA_PAYLOAD TLV
 * holds the IP packet; the family says IPv4 (2) or IPv6 (10).
 */
enum decode_result
decode_nflog(struct dstate *s, const uint8_t *p, uint32_t cap)
{
	uint32_t	 off = 4, len, vcap;
	uint8_t		 af;

	if (cap < 4)
		return (decode_fail(s, DR_LINK_TRUNC));
	af = p[0];
	while (cap - off >= 4) {
		len = link_rd16host(p + off);
		if (len < 4)
			return (decode_fail(s, DR_LINK_TRUNC));
		if ((link_rd16host(p + off + 2) & NLA_TYPE_MASK) ==
		    NFULA_PAYLOAD) {
			vcap = cap - off - 4 < len - 4 ? cap - off - 4 : len - 4;
			if (af == 2)
				return (decode_ipv4(s, p + off + 4, vcap));
			if (af == 10)
				return (decode_ipv6(s, p + off + 4, vcap));
			return (decode_fail(s, DR_NOT_IP));
		}
		len = (len + 3) & ~3u;
		if (len > cap - off)
			break;
		off += len;
	}
	return (decode_fail(s, DR_NOT_IP));
}

/*
 * LLC/SNAP with an ethertype (OUI 0, or 0000f8 for bridge tunnels), as
 * 802.11 and FDDI carry IP; the ethertype is the frame's eth.type.
 */
static enum decode_result
link_snap(struct dstate *s, const uint8_t *p, uint32_t cap)
{
	if (cap < 8)
		return (decode_fail(s, cap >= 3 && p[0] == 0xaa ?
		    DR_LINK_TRUNC : DR_NOT_IP));
	if (p[0] != 0xaa || p[1] != 0xaa || p[2] != 0x03 || p[3] != 0 ||
	    p[4] != 0 || (p[5] != 0 && p[5] != 0xf8))
		return (decode_fail(s, DR_NOT_IP));
	s->d->eth_type = decode_rd16(p + 6);
	return (decode_ethertype(s, s->d->eth_type, p + 8, cap - 8, true));
}

/* Length of an 802.11 data frame's MAC header, or 0 when it carries none. */
static uint32_t
link_wlan_hlen(const uint8_t *p, uint32_t cap)
{
	uint32_t	 hl;
	uint8_t		 subtype = p[0] >> 4;

	hl = (p[1] & (WLAN_TODS | WLAN_FROMDS)) ==
	    (WLAN_TODS | WLAN_FROMDS) ? 30 : 24;
	if (subtype & 0x08) {		/* QoS data: QoS control */
		hl += 2;
		if (p[1] & WLAN_ORDER)	/* +HTC */
			hl += 4;
		if (cap >= hl && (p[hl - (p[1] & WLAN_ORDER ? 6 : 2)] & 0x80))
			return (0);	/* A-MSDU: several packets */
	}
	return (hl);
}

/* The source and destination addresses (SA, DA) by the DS bits. */
static void
link_wlan_addrs(struct decoded *d, const uint8_t *p)
{
	/* Offsets of DA and SA for ToDS/FromDS 00, 10, 01 and 11. */
	static const uint8_t da[4] = { 4, 16, 4, 16 };
	static const uint8_t sa[4] = { 10, 10, 16, 24 };
	unsigned	 ds = p[1] & (WLAN_TODS | WLAN_FROMDS);

	d->has_eth = true;
	memcpy(d->eth_dst, p + da[ds], 6);
	memcpy(d->eth_src, p + sa[ds], 6);
}

/*
 * An 802.11 frame: data frames (plain and QoS, +HTC) whose body is LLC/SNAP
 * with an ethertype, after padding to 4 bytes when radiotap says so.
 * Protected frames cannot be read; management, control, null and A-MSDU
 * frames carry no single IP packet.
 */
static enum decode_result
link_wlan(struct dstate *s, const uint8_t *p, uint32_t cap, bool pad)
{
	uint32_t	 hl;

	if (cap < 24)
		return (decode_fail(s, DR_LINK_TRUNC));
	if ((p[0] & 0x03) != 0 || ((p[0] >> 2) & 0x03) != WLAN_DATA ||
	    (p[0] & 0x40))		/* version, type, null subtypes */
		return (decode_fail(s, DR_NOT_IP));
	if ((hl = link_wlan_hlen(p, cap)) == 0)
		return (decode_fail(s, DR_NOT_IP));
	if (pad)
		hl = (hl + 3) & ~3u;
	if (cap < hl)
		return (decode_fail(s, DR_LINK_TRUNC));
	link_wlan_addrs(s->d, p);
	if (p[1] & WLAN_PROTECTED)
		return (decode_fail(s, DR_ENCRYPTED));
	return (link_snap(s, p + hl, cap - hl));
}

/* IEEE 802.11 (DLT 105). */
enum decode_result
decode_wlan(struct dstate *s, const uint8_t *p, uint32_t cap)
{
	return (link_wlan(s, p, cap, false));
}

/*
 * Whether a radiotap header of length hl says the 802.11 header is padded
 * (the Flags field, bit 1 of the first present word, has 0x20); it comes
 * after the present words and TSFT (8 bytes, aligned to 8) when present.
 */
static bool
link_radiotap_pad(const uint8_t *p, uint32_t hl)
{
	uint32_t	 off = 4, present;

	present = (uint32_t)link_rd16le(p + 4) | (uint32_t)link_rd16le(p + 6) << 16;
	while (off + 4 <= hl && (p[off + 3] & 0x80))	/* extended bitmap */
		off += 4;
	off += 4;
	if ((present & 0x02) == 0)
		return (false);
	if (present & 0x01)
		off = ((off + 7) & ~7u) + 8;
	return (off < hl && (p[off] & 0x20));
}

/* Radiotap (DLT 127): skip the header by its little-endian length. */
enum decode_result
decode_radiotap(struct dstate *s, const uint8_t *p, uint32_t cap)
{
	uint32_t	 hl;

	if (cap < 8)
		return (decode_fail(s, DR_LINK_TRUNC));
	hl = link_rd16le(p + 2);
	if (p[0] != 0 || hl < 8)
		return (decode_fail(s, DR_NOT_IP));
	if (cap < hl)
		return (decode_fail(s, DR_LINK_TRUNC));
	return (link_wlan(s, p + hl, cap - hl, link_radiotap_pad(p, hl)));
}

/* PPI (DLT 192): skip the header; 802.11 or Ethernet follows. */
enum decode_result
decode_ppi(struct dstate *s, const uint8_t *p, uint32_t cap)
{
	uint32_t	 hl, dlt;

	if (cap < 8)
		return (decode_fail(s, DR_LINK_TRUNC));
	hl = link_rd16le(p + 2);
	dlt = (uint32_t)link_rd16le(p + 4) | (uint32_t)link_rd16le(p + 6) << 16;
	if (p[0] != 0 || hl < 8)
		return (decode_fail(s, DR_NOT_IP));
	if (cap < hl)
		return (decode_fail(s, DR_LINK_TRUNC));
	if (dlt == 105)
		return (decode_wlan(s, p + hl, cap - hl));
	if (dlt == 1) {
		s->d->medium = 1;
		return (decode_ether(s, p + hl, cap - hl, true));
	}
	return (decode_fail(s, DR_NOT_IP));
}

/*
 * ARCNET: source and destination (1 byte each), on Linux (DLT 129) a 2-byte
 * offset, then the protocol id.  RFC 1051 ids (240 IP) have nothing more;
 * RFC 1201 ids (212 IP, 196 IPv6) a split flag and a 2-byte sequence, with
 * 4 more bytes in an exception frame (flag 0xff).
 */
enum decode_result
decode_arcnet(struct dstate *s, const uint8_t *p, uint32_t cap, bool linux)
{
	uint32_t	 hl = linux ? 5 : 3;
	uint8_t		 id;

	if (cap < hl)
		return (decode_fail(s, DR_LINK_TRUNC));
	id = p[hl - 1];
	if (id == 240)
		return (decode_ipv4(s, p + hl, cap - hl));
	if (id != 212 && id != 196)
		return (decode_fail(s, DR_NOT_IP));
	if (cap < hl + 1)
		return (decode_fail(s, DR_LINK_TRUNC));
	hl += p[hl] == 0xff ? 7 : 3;
	if (cap < hl)
		return (decode_fail(s, DR_LINK_TRUNC));
	if (id == 212)
		return (decode_ipv4(s, p + hl, cap - hl));
	return (decode_ipv6(s, p + hl, cap - hl));
}

/*
 * PPP (DLT 9, and 50 with HDLC framing): IPv4, IPv6 or MPLS inside; a
 * frame that starts with a Cisco HDLC address is Cisco HDLC.
 */
enum decode_result
decode_ppp(struct dstate *s, const uint8_t *p, uint32_t cap)
{
	uint16_t	 proto;

	if (cap >= 1 && (p[0] == 0x0f || p[0] == 0x8f))	/* Cisco HDLC */
		return (decode_chdlc(s, p, cap));
	if (!decode_ppp_header(&p, &cap, &proto))
		return (decode_fail(s, DR_LINK_TRUNC));
	switch (proto) {
	case 0x0021:
		return (decode_ipv4(s, p, cap));
	case 0x0057:
		return (decode_ipv6(s, p, cap));
	case 0x0281:
		return (decode_ethertype(s, ETH_MPLS, p, cap, false));
	}
	return (decode_fail(s, DR_NOT_IP));
}

/* Cisco HDLC (DLT 104): address, control, then an ethertype. */
enum decode_result
decode_chdlc(struct dstate *s, const uint8_t *p, uint32_t cap)
{
	if (cap < 4)
		return (decode_fail(s, DR_LINK_TRUNC));
	s->d->eth_type = decode_rd16(p + 2);
	return (decode_ethertype(s, s->d->eth_type, p + 4, cap - 4, true));
}

/*
 * Frame Relay (DLT 107): a Q.922 address (ends at the EA bit), then either
 * RFC 2427 (control 0x03, NLPID 0xcc IPv4, 0x8e IPv6, 0x80 SNAP) or Cisco's
 * encapsulation (an ethertype).
 */
enum decode_result
decode_frelay(struct dstate *s, const uint8_t *p, uint32_t cap)
{
	uint32_t	 hl = 0;

	do {
		if (hl >= 4 || cap <= hl)
			return (decode_fail(s, DR_LINK_TRUNC));
	} while ((p[hl++] & 1) == 0);
	if (cap < hl + 2)
		return (decode_fail(s, DR_LINK_TRUNC));
	if (p[hl] != 0x03)
		return (decode_ethertype(s, decode_rd16(p + hl), p + hl + 2,
		    cap - hl - 2, false));
	hl += p[hl + 1] == 0x00 ? 2 : 1;	/* optional pad */
	if (cap <= hl)
		return (decode_fail(s, DR_LINK_TRUNC));
	switch (p[hl]) {
	case 0xcc:
		return (decode_ipv4(s, p + hl + 1, cap - hl - 1));
	case 0x8e:
		return (decode_ipv6(s, p + hl + 1, cap - hl - 1));
	case 0x80:
		if (cap < hl + 6)
			return (decode_fail(s, DR_LINK_TRUNC));
		if (p[hl + 1] == 0 && p[hl + 2] == 0 && p[hl + 3] == 0)
			return (decode_ethertype(s, decode_rd16(p + hl + 4),
			    p + hl + 6, cap - hl - 6, false));
	}
	return (decode_fail(s, DR_NOT_IP));
}

/* FDDI (DLT 10): frame control and two addresses, then LLC/SNAP. */
enum decode_result
decode_fddi(struct dstate *s, const uint8_t *p, uint32_t cap)
{
	if (cap < 13)
		return (decode_fail(s, DR_LINK_TRUNC));
	return (link_snap(s, p + 13, cap - 13));
}

/* IP over InfiniBand (DLT 242): 20-byte addresses twice, the ethertype. */
enum decode_result
decode_ipoib(struct dstate *s, const uint8_t *p, uint32_t cap)
{
	if (cap < 44)
		return (decode_fail(s, DR_LINK_TRUNC));
	s->d->eth_type = decode_rd16(p + 40);
	return (decode_ethertype(s, s->d->eth_type, p + 44, cap - 44, true));
}

/* Solaris ipnet (DLT 226): a 24-byte header; family 2 IPv4, 26 IPv6. */
enum decode_result
decode_ipnet(struct dstate *s, const uint8_t *p, uint32_t cap)
{
	if (cap < 24)
		return (decode_fail(s, DR_LINK_TRUNC));
	if (p[1] == 2)
		return (decode_ipv4(s, p + 24, cap - 24));
	if (p[1] == 26)
		return (decode_ipv6(s, p + 24, cap - 24));
	return (decode_fail(s, DR_NOT_IP));
}

/*
 * Apple PKTAP (DLT 258): a little-endian header length, then the link type
 * of the frame after the header; Ethernet is the one seen in practice.
 */
enum decode_result
decode_pktap(struct dstate *s, const uint8_t *p, uint32_t cap)
{
	uint32_t	 hl, dlt;

	if (cap < 8)
		return (decode_fail(s, DR_LINK_TRUNC));
	hl = (uint32_t)link_rd16le(p) | (uint32_t)link_rd16le(p + 2) << 16;
	dlt = (uint32_t)link_rd16le(p + 4) | (uint32_t)link_rd16le(p + 6) << 16;
	if (hl < 8)
		return (decode_fail(s, DR_NOT_IP));
	if (cap < hl)
		return (decode_fail(s, DR_LINK_TRUNC));
	if (dlt != 1)
		return (decode_fail(s, DR_NOT_IP));
	s->d->medium = 1;
	return (decode_ether(s, p + hl, cap - hl, true));
}
