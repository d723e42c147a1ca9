/*
 * lowpan.c - IEEE 802.15.4 data frames carrying 6LoWPAN (RFC 4944, 6282):
 * uncompressed IPv6, or IPHC with UDP next-header compression, rebuilt
 * into a full IPv6 packet in the decoder's buffer and decoded from there.
 * Mesh and fragmentation headers, extension-header compression and
 * secured frames are not read.
 */

#include <stdbool.h>
#include <string.h>

#include "decode/decode.h"
#include "decode/dstate.h"

/* One 802.15.4 MAC address: mode 2 short, 3 extended, as sent (LE). */
struct lowpan_mac {
	int		 mode;
	const uint8_t	*a;
};

/* What the MAC header says, and what follows it. */
struct lowpan_frame {
	struct lowpan_mac src, dst;
	const uint8_t	*p;		/* after the MAC header */
	uint32_t	 cap;
};

/* Length of an address of a mode (0 none, 2 short, 3 extended). */
static uint32_t
lowpan_alen(int mode)
{
	return (mode == 3 ? 8 : mode == 2 ? 2 : 0);
}

/*
 * Parse an 802.15.4-2003/2006 data frame's MAC header (little-endian
 * frame control, sequence number, PAN ids and addresses).
 */
static enum decode_reason
lowpan_mac(const uint8_t *p, uint32_t cap, struct lowpan_frame *f)
{
	uint16_t	 fcf;
	uint32_t	 hl = 3;

	if (cap < 3)
		return (DR_LINK_TRUNC);
	fcf = (uint16_t)(p[1] << 8 | p[0]);
	if ((fcf & 0x07) != 1 || ((fcf >> 12) & 3) > 1)
		return (DR_NOT_IP);	/* not data, or a 2015 frame */
	if (fcf & 0x08)
		return (DR_ENCRYPTED);
	f->dst.mode = (fcf >> 10) & 3;
	f->src.mode = (fcf >> 14) & 3;
	if (f->dst.mode == 1 || f->src.mode == 1)
		return (DR_NOT_IP);
	if (f->dst.mode != 0)
		hl += 2;
	f->dst.a = p + hl;
	hl += lowpan_alen(f->dst.mode);
	if (f->src.mode != 0 && !(fcf & 0x40))
		hl += 2;
	f->src.a = p + hl;
	hl += lowpan_alen(f->src.mode);
	if (cap < hl)
		return (DR_LINK_TRUNC);
	f->p = p + hl;
	f->cap = cap - hl;
	return (DR_NONE);
}

/* The interface id of a MAC address (RFC 6282 3.2.2), into a[8..15]. */
static void
lowpan_iid(uint8_t *a, const struct lowpan_mac *m)
{
	int	 i;

	if (m->mode == 3) {
		for (i = 0; i < 8; i++)
			a[8 + i] = m->a[7 - i];
		a[8] ^= 0x02;
	} else if (m->mode == 2) {
		a[11] = 0xff;
		a[12] = 0xfe;
		a[14] = m->a[1];
		a[15] = m->a[0];
	}
}

/*
 * A unicast address by its context flag and mode: inline bytes (16, 8 or
 * 2) after the link-local or (context, unknown here) zero prefix, or the
 * MAC address's interface id.  Returns the bytes used, or -1.
 */
static int
lowpan_addr(uint8_t *a, bool ctx, int mode, const uint8_t *p, uint32_t cap,
    const struct lowpan_mac *m)
{
	static const int len[4] = { 16, 8, 2, 0 };

	memset(a, 0, 16);
	if (ctx && mode == 0)
		return (0);		/* the unspecified address */
	if ((uint32_t)len[mode] > cap)
		return (-1);
	if (!ctx) {
		a[0] = 0xfe;
		a[1] = 0x80;
	}
	switch (mode) {
	case 0:
		memcpy(a, p, 16);
		break;
	case 1:
		memcpy(a + 8, p, 8);
		break;
	case 2:
		a[11] = 0xff;
		a[12] = 0xfe;
		memcpy(a + 14, p, 2);
		break;
	default:
		lowpan_iid(a, m);
		break;
	}
	return (len[mode]);
}

/* A multicast destination (M set, DAC clear) by its mode; bytes used. */
static int
lowpan_mcast(uint8_t *a, int mode, const uint8_t *p, uint32_t cap)
{
	static const int len[4] = { 16, 6, 4, 1 };

	if ((uint32_t)len[mode] > cap)
		return (-1);
	memset(a, 0, 16);
	a[0] = 0xff;
	switch (mode) {
	case 0:
		memcpy(a, p, 16);
		break;
	case 1:
		a[1] = p[0];
		memcpy(a + 11, p + 1, 5);
		break;
	case 2:
		a[1] = p[0];
		memcpy(a + 13, p + 1, 3);
		break;
	default:
		a[1] = 0x02;
		a[15] = p[0];
		break;
	}
	return (len[mode]);
}

/*
 * The ports of UDP next-header compression (RFC 6282 4.3.3) by its P bits:
 * inline, or 0xf0XX, or 0xf0bX; into u, returns the bytes used or -1.
 */
static int
lowpan_udp_ports(uint8_t *u, const uint8_t *p, uint32_t cap)
{
	static const uint8_t len[4] = { 4, 3, 3, 1 };
	uint8_t		 mode = p[0] & 3;

	if (cap < 1u + len[mode])
		return (-1);
	p++;
	if (mode == 0)
		memcpy(u, p, 4);
	else if (mode == 1) {
		memcpy(u, p, 2);
		u[2] = 0xf0;
		u[3] = p[2];
	} else if (mode == 2) {
		u[0] = 0xf0;
		u[1] = p[0];
		memcpy(u + 2, p + 1, 2);
	} else {
		u[0] = u[2] = 0xf0;
		u[1] = 0xb0 | p[0] >> 4;
		u[3] = 0xb0 | (p[0] & 0x0f);
	}
	return (1 + len[mode]);
}

/* A compressed UDP header rebuilt at u (length filled later); the bytes
 * used, or -1. */
static int
lowpan_udp(uint8_t *u, const uint8_t *p, uint32_t cap)
{
	int	 n;

	memset(u, 0, 8);
	if ((n = lowpan_udp_ports(u, p, cap)) < 0)
		return (-1);
	if ((p[0] & 0x04) == 0) {		/* checksum inline */
		if (cap < (uint32_t)n + 2)
			return (-1);
		memcpy(u + 6, p + n, 2);
		n += 2;
	}
	return (n);
}

/* Bytes of traffic class and flow label by IPHC's TF field. */
static const uint8_t lowpan_tf[4] = { 4, 3, 1, 0 };

/* Hop limits of IPHC's HLIM field (0: inline). */
static const uint8_t lowpan_hlim[4] = { 0, 1, 64, 255 };

/*
 * IPHC's base (RFC 6282 3.1): the IPv6 header at h without its payload
 * length, and with the inline next header (0 when compressed); returns the
 * bytes used, or -1 when the frame is cut.
 */
static int
lowpan_iphc_base(uint8_t *h, const struct lowpan_frame *f)
{
	const uint8_t	*p = f->p;
	uint32_t	 cap = f->cap, n = 2;
	int		 used;

	n += (p[1] & 0x80) ? 1 : 0;			/* context ids */
	n += lowpan_tf[(p[0] >> 3) & 3];
	n += (p[0] & 0x04) ? 0 : 1;			/* next header */
	n += (p[0] & 3) ? 0 : 1;			/* hop limit */
	if (cap < n)
		return (-1);
	memset(h, 0, 40);
	h[0] = 0x60;
	h[7] = (p[0] & 3) ? lowpan_hlim[p[0] & 3] : p[n - 1];
	if (!(p[0] & 0x04))
		h[6] = p[n - ((p[0] & 3) == 0 ? 2 : 1)];
	used = lowpan_addr(h + 8, p[1] & 0x40, (p[1] >> 4) & 3, p + n,
	    cap - n, &f->src);
	if (used < 0)
		return (-1);
	n += (uint32_t)used;
	if (p[1] & 0x08)
		used = (p[1] & 0x04) ? -1 : lowpan_mcast(h + 24, p[1] & 3,
		    p + n, cap - n);
	else
		used = lowpan_addr(h + 24, p[1] & 0x04, p[1] & 3, p + n,
		    cap - n, &f->dst);
	return (used < 0 ? -1 : (int)n + used);
}

/*
 * IPHC: rebuild the IPv6 header (and a compressed UDP header) in the
 * decoder's buffer, append the rest of the frame and decode it as IPv6.
 */
static enum decode_result
lowpan_iphc(struct dstate *s, const struct lowpan_frame *f)
{
	const uint8_t	*p = f->p;
	uint8_t		*h = s->lowpan;
	uint32_t	 cap = f->cap, n, hl = 40, plen;
	int		 used;

	if (cap < 3 || (used = lowpan_iphc_base(h, f)) < 0)
		return (decode_fail(s, DR_LINK_TRUNC));
	n = (uint32_t)used;
	if (p[0] & 0x04) {				/* compressed next header */
		if (cap <= n || (p[n] & 0xf8) != 0xf0)
			return (decode_fail(s, DR_NOT_IP));
		if ((used = lowpan_udp(h + 40, p + n, cap - n)) < 0)
			return (decode_fail(s, DR_LINK_TRUNC));
		n += (uint32_t)used;
		h[6] = 17;
		hl = 48;
	}
	if (cap - n > DECODE_LOWPAN_MAX - hl)
		return (decode_fail(s, DR_LINK_TRUNC));
	memcpy(h + hl, p + n, cap - n);
	plen = hl - 40 + cap - n;
	h[4] = (uint8_t)(plen >> 8);
	h[5] = (uint8_t)plen;
	if (hl == 48) {
		h[44] = (uint8_t)(plen >> 8);
		h[45] = (uint8_t)plen;
	}
	return (decode_ipv6(s, h, hl + cap - n));
}

/*
 * IEEE 802.15.4 (DLT 195 with FCS, 215 with a PHY header and FCS, 230
 * without FCS): a data frame's 6LoWPAN payload, uncompressed IPv6 (0x41)
 * or IPHC (011xxxxx).
 */
enum decode_result
decode_wpan(struct dstate *s, const uint8_t *p, uint32_t cap, int dlt)
{
	struct lowpan_frame f;
	enum decode_reason why;

	if (dlt == 215) {			/* preamble, SFD, length */
		if (cap < 6)
			return (decode_fail(s, DR_LINK_TRUNC));
		p += 6;
		cap -= 6;
	}
	if (dlt != 230 && cap >= 2)
		cap -= 2;			/* the FCS */
	if ((why = lowpan_mac(p, cap, &f)) != DR_NONE)
		return (decode_fail(s, why));
	if (f.cap == 0)
		return (decode_fail(s, DR_NOT_IP));
	if (f.p[0] == 0x41)
		return (decode_ipv6(s, f.p + 1, f.cap - 1));
	if ((f.p[0] & 0xe0) == 0x60)
		return (lowpan_iphc(s, &f));
	return (decode_fail(s, DR_NOT_IP));
}
