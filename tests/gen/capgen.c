/*
 * capgen - deterministic test captures for huntcon.
 *
 * Copyright (C) 2024 The huntcon authors.
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * This program is free software: you can redistribute it and/or modify it
 * under the terms of the GNU General Public License as published by the Free
 * Software Foundation, either version 3 of the License, or (at your option)
 * any later version.  It is distributed WITHOUT ANY WARRANTY; see the GNU
 * General Public License for details.
 *
 * Usage:
 *	capgen SCENARIO OUT	write the capture SCENARIO to the file OUT
 *	capgen -l		list the scenarios, one line each
 *
 * Exit status: 0 written, 1 cannot write, 2 usage error.  Every scenario:
 *	for s in $(build/capgen -l | cut -d' ' -f1); do
 *		build/capgen "$s" "build/cap/$s.pcap"; done
 *
 * The Makefile builds it as build/capgen from this one file (libc only, no
 * libpcap): every byte is written by hand, so a scenario gives the same file
 * on every run and machine, and so files libpcap cannot write (pcapng with
 * two link types, a file cut inside a record) are possible.
 *
 * Conventions every scenario follows:
 * - the clock starts at 2024-01-15 10:00:00 UTC and the PRNG (splitmix64)
 *   starts from the same seed in every scenario;
 * - files are little-endian; pcap and pcapng timestamps are in microseconds
 *   except ns_basic; the generator's clock has nanoseconds (sub-microsecond
 *   jitter on every step, except split_time), so only the ns file shows them;
 * - records are queued and written sorted by time (stable), so conversations
 *   are generated one after the other and still interleave; timestamps never
 *   decrease within a file;
 * - IPv4 header, TCP, UDP, ICMP and ICMPv6 checksums are correct (the outer
 *   UDP checksum of VXLAN is 0, as RFC 7348 recommends);
 * - side 0 of a flow is the client (the expected initiator), side 1 the
 *   server; the Ethernet address of an internal host is 02:00 followed by
 *   the last four bytes of its address, an external host is seen behind the
 *   router 00:00:5e:00:01:01;
 * - the "standard set" (lt_*, enc_*, malformed, pcapng_mixed) is the same
 *   six conversations everywhere (std_v4, std_v6; some files hold only the
 *   IPv4 or the IPv6 half), so tests can compare;
 *   tunnels run between 172.16.1.1 (client side) and 172.16.2.1;
 * - IPv6 over BSD loopback uses AF 30 in lt_null (little-endian) and AF 24
 *   in lt_loop (big-endian); libpcap reports lt_raw14 as DLT 14, which is
 *   DLT_RAW only on OpenBSD.
 *
 * Expectations the tests rely on are written above each scenario function;
 * `capgen -l` gives the short form.  The layers, top to bottom: byte
 * buffers and the capture writer; frame builders that prepend one header
 * each (payload first, link header last); flows, which hold a conversation's
 * addresses, ports and TCP sequence numbers and send through the capture's
 * tunnel and link layer; payload builders (ping, DNS, HTTP, TLS); scenarios
 * and the table that names them.
 */

#include <sys/types.h>
#include <sys/socket.h>
#include <arpa/inet.h>

#include <errno.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define nitems(a)	(sizeof(a) / sizeof((a)[0]))

#define US		1000ULL
#define MS		1000000ULL
#define SEC		1000000000ULL
#define BASE_NS		(1705312800ULL * SEC)	/* 2024-01-15 10:00:00 UTC */
#define SEED		0x6875e7c09e11ULL
#define SNAPLEN		262144
#define PKT_HEAD	512
#define PKT_MAX		(PKT_HEAD + 70000)
#define MSS		1460

#define TH_FIN		0x01
#define TH_SYN		0x02
#define TH_RST		0x04
#define TH_PSH		0x08
#define TH_ACK		0x10

#define ET_IP4		0x0800
#define ET_ARP		0x0806
#define ET_TEB		0x6558
#define ET_VLAN		0x8100
#define ET_IP6		0x86dd
#define ET_MPLS		0x8847
#define ET_PPPOE	0x8864
#define ET_QINQ		0x88a8

enum fmt { FMT_US, FMT_NS, FMT_PCAPNG };

enum lt {
	LT_NULL = 0, LT_EN10MB = 1, LT_RAW12 = 12, LT_RAW14 = 14,
	LT_RAW = 101, LT_LOOP = 108, LT_SLL = 113, LT_IPV4 = 228,
	LT_IPV6 = 229, LT_SLL2 = 276, LT_WLAN = 105, LT_FRELAY = 107,
	LT_RADIOTAP = 127, LT_NFLOG = 239, LT_WPAN = 230
};

enum enc {
	ENC_NONE, ENC_VLAN, ENC_QINQ, ENC_MPLS, ENC_PPPOE, ENC_GRE,
	ENC_GRE_ETH, ENC_IPIP, ENC_6IN4, ENC_VXLAN, ENC_GTPU, ENC_VNTAG,
	ENC_ERSPAN2, ENC_ERSPAN3
};

#define FAM_V4		1
#define FAM_V6		2

struct addr {
	int		 v6;
	uint8_t		 b[16];		/* IPv4 in the first four bytes */
};

struct bytes {
	uint8_t		*p;
	size_t		 len;
	size_t		 size;
};

/* One queued record: its bytes live in cap.data at off. */
struct rec {
	uint64_t	 ts;		/* nanoseconds since the epoch */
	size_t		 seq;
	size_t		 off;
	uint32_t	 caplen;
	uint32_t	 len;
	int		 iface;
};

/* The capture being generated and the state the scenarios change. */
struct cap {
	int		 fmt;
	uint32_t	 lt[2];		/* link type per interface */
	uint32_t	 ifsnap[2];	/* pcapng snap length, 0: SNAPLEN */
	int		 nif;
	int		 iface;		/* interface of the next records */
	int		 enc;		/* encapsulation of the next packets */
	int		 fam;		/* FAM_V4 | FAM_V6 for std scenarios */
	int		 jitter;	/* sub-microsecond noise on the clock */
	uint32_t	 snap;		/* caplen limit, 0 for none */
	uint64_t	 now;
	uint64_t	 rng;
	uint16_t	 ipid;
	struct addr	 tun[2];	/* tunnel endpoints, client side first */
	struct bytes	 data;
	struct rec	*recs;
	size_t		 nrecs;
	size_t		 arecs;
};

/* A packet built back to front: data is b[off .. off + len). */
struct pkt {
	uint8_t		 b[PKT_MAX];
	size_t		 off;
	size_t		 len;
};

/* One conversation: side 0 is the client, side 1 the server. */
struct flow {
	struct addr	 ip[2];
	uint16_t	 port[2];
	uint8_t		 mac[2][6];
	uint8_t		 proto;
	uint8_t		 ttl;		/* 0: by side (64 inside, 52 outside) */
	int		 ext6;		/* IPv6 hop-by-hop + destination opts */
	uint32_t	 seq[2];	/* next TCP sequence number per side */
	uint16_t	 icmpid;
	uint16_t	 icmpseq;
	uint64_t	 rtt;
};

struct dns {
	uint8_t		 b[4096];
	size_t		 len;
};

struct scenario {
	const char	*name;
	const char	*desc;
	void		(*fn)(struct cap *);
	int		 fmt;
	uint32_t	 lt0;
	uint32_t	 lt1;		/* second interface (pcapng), 0 none */
	int		 enc;
	int		 fam;
	size_t		 trim;		/* bytes cut from the end of the file */
};

static struct pkt	pk;		/* the packet being built */
static struct pkt	pk2;		/* scratch for fragments */

static const uint8_t	mac_router[6] = { 0x00, 0x00, 0x5e, 0x00, 0x01, 0x01 };
static const uint8_t	mac_bcast[6] = { 0xff, 0xff, 0xff, 0xff, 0xff, 0xff };

static const char	ua_firefox[] = "Mozilla/5.0 (X11; Linux x86_64; rv:121.0) "
			    "Gecko/20100101 Firefox/121.0";
static const char	ua_curl[] = "curl/7.88.1";

/* Print "capgen: MESSAGE" and exit with status 1. */
static void __attribute__((format(printf, 1, 2), noreturn))
die(const char *fmt, ...)
{
	va_list	ap;

	va_start(ap, fmt);
	fputs("capgen: ", stderr);
	vfprintf(stderr, fmt, ap);
	fputc('\n', stderr);
	va_end(ap);
	exit(1);
}

/* Resize p to n bytes or die. */
static void *
xrealloc(void *p, size_t n)
{
	if ((p = realloc(p, n)) == NULL)
		die("out of memory (%zu bytes)", n);
	return p;
}

/* Store a 16-bit value in network byte order. */
static void
put16(uint8_t *p, uint32_t v)
{
	p[0] = v >> 8;
	p[1] = v;
}

/* Store a 32-bit value in network byte order. */
static void
put32(uint8_t *p, uint32_t v)
{
	put16(p, v >> 16);
	put16(p + 2, v);
}

/* Store a 32-bit value in little-endian byte order. */
static void
put32le(uint8_t *p, uint32_t v)
{
	p[0] = v;
	p[1] = v >> 8;
	p[2] = v >> 16;
	p[3] = v >> 24;
}

/* Next value of the splitmix64 generator. */
static uint64_t
rng_next(struct cap *c)
{
	uint64_t	z;

	z = (c->rng += 0x9e3779b97f4a7c15ULL);
	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
	z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
	return z ^ (z >> 31);
}

/* A random number in [lo, hi]. */
static uint32_t
rng_range(struct cap *c, uint32_t lo, uint32_t hi)
{
	return lo + rng_next(c) % ((uint64_t)hi - lo + 1);
}

/* Fill n bytes with random data. */
static void
rng_fill(struct cap *c, uint8_t *p, size_t n)
{
	size_t	i;

	for (i = 0; i < n; i++)
		p[i] = rng_next(c) >> 56;
}

/* Fill n bytes with random characters from the alphabet set. */
static void
rng_text(struct cap *c, char *p, size_t n, const char *set)
{
	size_t	i, k = strlen(set);

	for (i = 0; i < n; i++)
		p[i] = set[rng_next(c) % k];
	p[n] = '\0';
}

/* Parse an IPv4 or IPv6 address literal. */
static struct addr
addr_of(const char *s)
{
	struct addr	a;

	memset(&a, 0, sizeof a);
	if (inet_pton(AF_INET, s, a.b) == 1)
		return a;
	if (inet_pton(AF_INET6, s, a.b) != 1)
		die("bad address: %s", s);
	a.v6 = 1;
	return a;
}

/* Whether an address is in the private, CGN, link-local or ULA ranges. */
static int
addr_internal(const struct addr *a)
{
	const uint8_t	*b = a->b;

	if (a->v6)
		return (b[0] & 0xfe) == 0xfc || (b[0] == 0xfe &&
		    (b[1] & 0xc0) == 0x80);
	return b[0] == 10 || (b[0] == 172 && (b[1] & 0xf0) == 16) ||
	    (b[0] == 192 && b[1] == 168) || (b[0] == 100 &&
	    (b[1] & 0xc0) == 64) || b[0] == 127 || (b[0] == 169 && b[1] == 254);
}

/* The Ethernet address a frame to or from this host carries. */
static void
addr_mac(const struct addr *a, uint8_t *mac)
{
	const uint8_t	*low = a->b + (a->v6 ? 12 : 0);

	if (!a->v6 && (a->b[0] & 0xf0) == 224) {
		memcpy(mac, "\x01\x00\x5e", 3);
		mac[3] = a->b[1] & 0x7f;
		memcpy(mac + 4, a->b + 2, 2);
	} else if (a->v6 && a->b[0] == 0xff) {
		memcpy(mac, "\x33\x33", 2);
		memcpy(mac + 2, low, 4);
	} else if (addr_internal(a)) {
		memcpy(mac, "\x02\x00", 2);
		memcpy(mac + 2, low, 4);
	} else
		memcpy(mac, mac_router, 6);
}

/* Append n bytes of room to a buffer and return them. */
static uint8_t *
bytes_grow(struct bytes *b, size_t n)
{
	uint8_t	*at;

	if (b->len + n > b->size) {
		while (b->len + n > b->size)
			b->size = b->size != 0 ? b->size * 2 : 4096;
		b->p = xrealloc(b->p, b->size);
	}
	at = b->p + b->len;
	b->len += n;
	return at;
}

/* Append n bytes. */
static void
bytes_add(struct bytes *b, const void *p, size_t n)
{
	if (n != 0)
		memcpy(bytes_grow(b, n), p, n);
}

/* Append a C string without its NUL. */
static void
bytes_str(struct bytes *b, const char *s)
{
	bytes_add(b, s, strlen(s));
}

/* Append one byte. */
static void
bytes_u8(struct bytes *b, uint32_t v)
{
	*bytes_grow(b, 1) = v;
}

/* Append a 16-bit network-order value. */
static void
bytes_be16(struct bytes *b, uint32_t v)
{
	put16(bytes_grow(b, 2), v);
}

/* Append a 24-bit network-order value. */
static void
bytes_be24(struct bytes *b, uint32_t v)
{
	bytes_u8(b, v >> 16);
	bytes_be16(b, v);
}

/* Append a 16-bit little-endian value. */
static void
bytes_le16(struct bytes *b, uint32_t v)
{
	bytes_u8(b, v);
	bytes_u8(b, v >> 8);
}

/* Append a 32-bit little-endian value. */
static void
bytes_le32(struct bytes *b, uint32_t v)
{
	put32le(bytes_grow(b, 4), v);
}

/* Write at off the 16-bit length of everything after that field. */
static void
bytes_len16(struct bytes *b, size_t off)
{
	put16(b->p + off, b->len - off - 2);
}

/* Write at off the 24-bit length of everything after that field. */
static void
bytes_len24(struct bytes *b, size_t off)
{
	size_t	n = b->len - off - 3;

	b->p[off] = n >> 16;
	put16(b->p + off + 1, n);
}

/* Set the clock to off nanoseconds after the base time. */
static void
at(struct cap *c, uint64_t off)
{
	c->now = BASE_NS + off;
	if (c->jitter)
		c->now += rng_next(c) % US;
}

/* Move the clock on by d nanoseconds. */
static void
adv(struct cap *c, uint64_t d)
{
	c->now += d;
	if (c->jitter)
		c->now += rng_next(c) % US;
}

/* Queue a record of len bytes on the wire of which caplen were kept. */
static void
cap_add(struct cap *c, const uint8_t *data, uint32_t caplen, uint32_t len)
{
	struct rec	*r;

	if (c->nrecs == c->arecs) {
		c->arecs = c->arecs != 0 ? c->arecs * 2 : 1024;
		c->recs = xrealloc(c->recs, c->arecs * sizeof *c->recs);
	}
	r = &c->recs[c->nrecs];
	r->ts = c->now;
	r->seq = c->nrecs;
	r->off = c->data.len;
	r->caplen = caplen;
	r->len = len;
	r->iface = c->iface;
	c->nrecs++;
	bytes_add(&c->data, data, caplen);
}

/* Queue a whole frame, cut to the current snap length. */
static void
cap_frame(struct cap *c, const uint8_t *data, size_t len)
{
	uint32_t	caplen = len;

	if (c->snap != 0 && caplen > c->snap)
		caplen = c->snap;
	cap_add(c, data, caplen, len);
}

/* Order records by time, then in the order they were queued. */
static int
rec_cmp(const void *a, const void *b)
{
	const struct rec	*x = a, *y = b;

	if (x->ts != y->ts)
		return x->ts < y->ts ? -1 : 1;
	return x->seq < y->seq ? -1 : x->seq > y->seq;
}

/* Serialise the records as a classic pcap file (µs or ns). */
static void
out_pcap(const struct cap *c, struct bytes *o)
{
	const struct rec	*r;
	size_t			 i;
	int			 ns = c->fmt == FMT_NS;

	bytes_le32(o, ns ? 0xa1b23c4d : 0xa1b2c3d4);
	bytes_le16(o, 2);
	bytes_le16(o, 4);
	bytes_le32(o, 0);
	bytes_le32(o, 0);
	bytes_le32(o, SNAPLEN);
	bytes_le32(o, c->lt[0]);
	for (i = 0; i < c->nrecs; i++) {
		r = &c->recs[i];
		bytes_le32(o, r->ts / SEC);
		bytes_le32(o, ns ? r->ts % SEC : r->ts % SEC / US);
		bytes_le32(o, r->caplen);
		bytes_le32(o, r->len);
		bytes_add(o, c->data.p + r->off, r->caplen);
	}
}

/* Start a pcapng block and return its offset for png_end. */
static size_t
png_begin(struct bytes *o, uint32_t type)
{
	size_t	at_ = o->len;

	bytes_le32(o, type);
	bytes_le32(o, 0);
	return at_;
}

/* Pad the block to 32 bits and write both of its length fields. */
static void
png_end(struct bytes *o, size_t off)
{
	uint32_t	total;

	while ((o->len - off) % 4 != 0)
		bytes_u8(o, 0);
	total = o->len - off + 4;
	put32le(o->p + off + 4, total);
	bytes_le32(o, total);
}

/* Append a text option and the end-of-options marker. */
static void
png_opt(struct bytes *o, uint32_t code, const char *s)
{
	bytes_le16(o, code);
	bytes_le16(o, strlen(s));
	bytes_str(o, s);
	while (o->len % 4 != 0)
		bytes_u8(o, 0);
	bytes_le32(o, 0);
}

/* Serialise the records as pcapng: SHB, one IDB per interface, EPBs. */
static void
out_pcapng(const struct cap *c, struct bytes *o)
{
	const struct rec	*r;
	size_t			 i, off;
	uint64_t		 us;

	off = png_begin(o, 0x0a0d0d0a);
	bytes_le32(o, 0x1a2b3c4d);
	bytes_le16(o, 1);
	bytes_le16(o, 0);
	bytes_le32(o, 0xffffffff);
	bytes_le32(o, 0xffffffff);
	png_opt(o, 4, "huntcon capgen");
	png_end(o, off);
	for (i = 0; i < (size_t)c->nif; i++) {
		off = png_begin(o, 1);
		bytes_le16(o, c->lt[i]);
		bytes_le16(o, 0);
		bytes_le32(o, c->ifsnap[i] != 0 ? c->ifsnap[i] : SNAPLEN);
		png_opt(o, 2, i == 0 ? "eth0" : "tun0");
		png_end(o, off);
	}
	for (i = 0; i < c->nrecs; i++) {
		r = &c->recs[i];
		us = r->ts / US;
		off = png_begin(o, 6);
		bytes_le32(o, r->iface);
		bytes_le32(o, us >> 32);
		bytes_le32(o, us);
		bytes_le32(o, r->caplen);
		bytes_le32(o, r->len);
		bytes_add(o, c->data.p + r->off, r->caplen);
		png_end(o, off);
	}
}

/* Sort the records, serialise them and write all but trim bytes to path. */
static void
cap_write(struct cap *c, const char *path, size_t trim)
{
	struct bytes	 o = { NULL, 0, 0 };
	FILE		*f;

	qsort(c->recs, c->nrecs, sizeof *c->recs, rec_cmp);
	if (c->fmt == FMT_PCAPNG)
		out_pcapng(c, &o);
	else
		out_pcap(c, &o);
	if (trim > o.len)
		trim = o.len;
	if ((f = fopen(path, "wb")) == NULL)
		die("%s: cannot open: %s", path, strerror(errno));
	if (fwrite(o.p, 1, o.len - trim, f) != o.len - trim || fclose(f) != 0)
		die("%s: cannot write", path);
	free(o.p);
}

/* Start a packet holding len bytes of payload (zeros when data is NULL). */
static void
pkt_init(struct pkt *p, const void *data, size_t len)
{
	if (len > PKT_MAX - PKT_HEAD)
		die("packet too large (%zu bytes)", len);
	p->off = PKT_HEAD;
	p->len = len;
	if (data != NULL)
		memcpy(p->b + p->off, data, len);
	else
		memset(p->b + p->off, 0, len);
}

/* Make room for n header bytes in front of the packet and return them. */
static uint8_t *
pkt_push(struct pkt *p, size_t n)
{
	if (n > p->off)
		die("no headroom for %zu bytes", n);
	p->off -= n;
	p->len += n;
	memset(p->b + p->off, 0, n);
	return p->b + p->off;
}

/* The packet's first byte. */
static uint8_t *
pkt_data(struct pkt *p)
{
	return p->b + p->off;
}

/* Add bytes to a ones'-complement sum as 16-bit big-endian words. */
static uint64_t
ck_add(uint64_t sum, const uint8_t *p, size_t len)
{
	size_t	i;

	for (i = 0; i + 1 < len; i += 2)
		sum += (uint32_t)p[i] << 8 | p[i + 1];
	if (len & 1)
		sum += (uint32_t)p[len - 1] << 8;
	return sum;
}

/* Fold a sum into the 16-bit Internet checksum. */
static uint16_t
ck_fold(uint64_t sum)
{
	while (sum >> 16)
		sum = (sum & 0xffff) + (sum >> 16);
	return ~sum & 0xffff;
}

/* The sum of the IPv4 or IPv6 pseudo-header. */
static uint64_t
ck_pseudo(const struct addr *s, const struct addr *d, uint8_t proto,
    uint32_t len)
{
	size_t		n = s->v6 ? 16 : 4;
	uint64_t	sum;

	sum = ck_add(0, s->b, n);
	sum = ck_add(sum, d->b, n);
	return sum + proto + (len >> 16) + (len & 0xffff);
}

/* Prepend an Ethernet II header. */
static void
eth_push(struct pkt *p, const uint8_t *dst, const uint8_t *src, uint16_t type)
{
	uint8_t	*h = pkt_push(p, 14);

	memcpy(h, dst, 6);
	memcpy(h + 6, src, 6);
	put16(h + 12, type);
}

/* Prepend an 802.1Q tag body (TCI and the inner type); the caller's outer
 * type is then 0x8100 or 0x88a8. */
static void
vlan_push(struct pkt *p, uint16_t tci, uint16_t type)
{
	uint8_t	*h = pkt_push(p, 4);

	put16(h, tci);
	put16(h + 2, type);
}

/* Prepend an MPLS label stack entry. */
static void
mpls_push(struct pkt *p, uint32_t label, int bos)
{
	put32(pkt_push(p, 4), label << 12 | (bos ? 1 << 8 : 0) | 64);
}

/* Prepend PPPoE session and PPP protocol headers. */
static void
pppoe_push(struct pkt *p, uint16_t sid, uint16_t ppp)
{
	uint8_t	*h;

	put16(pkt_push(p, 2), ppp);
	h = pkt_push(p, 6);
	h[0] = 0x11;
	h[1] = 0;
	put16(h + 2, sid);
	put16(h + 4, p->len - 6);
}

/* Prepend a Linux cooked v1 header. */
static void
sll_push(struct pkt *p, uint16_t pkttype, const uint8_t *mac, uint16_t type)
{
	uint8_t	*h = pkt_push(p, 16);

	put16(h, pkttype);
	put16(h + 2, 1);
	put16(h + 4, 6);
	memcpy(h + 6, mac, 6);
	put16(h + 14, type);
}

/* Prepend a Linux cooked v2 header. */
static void
sll2_push(struct pkt *p, uint8_t pkttype, const uint8_t *mac, uint16_t type)
{
	uint8_t	*h = pkt_push(p, 20);

	put16(h, type);
	put32(h + 4, 2);
	put16(h + 8, 1);
	h[10] = pkttype;
	h[11] = 6;
	memcpy(h + 12, mac, 6);
}

/* Prepend a BSD loopback address family, host (little) or network order. */
static void
af_push(struct pkt *p, uint32_t af, int big)
{
	uint8_t	*h = pkt_push(p, 4);

	if (big)
		put32(h, af);
	else
		put32le(h, af);
}

/* Prepend an IPv4 header without options, with its checksum. */
static void
ip4_push(struct pkt *p, const struct addr *s, const struct addr *d,
    uint8_t proto, uint16_t id, uint16_t frag, uint8_t ttl)
{
	uint8_t	*h = pkt_push(p, 20);

	h[0] = 0x45;
	put16(h + 2, p->len);
	put16(h + 4, id);
	put16(h + 6, frag);
	h[8] = ttl;
	h[9] = proto;
	memcpy(h + 12, s->b, 4);
	memcpy(h + 16, d->b, 4);
	put16(h + 10, ck_fold(ck_add(0, h, 20)));
}

/* Prepend an IPv6 header. */
static void
ip6_push(struct pkt *p, const struct addr *s, const struct addr *d,
    uint8_t nxt, uint8_t hlim)
{
	uint8_t	*h = pkt_push(p, 40);

	h[0] = 0x60;
	put16(h + 4, p->len - 40);
	h[6] = nxt;
	h[7] = hlim;
	memcpy(h + 8, s->b, 16);
	memcpy(h + 24, d->b, 16);
}

/* Prepend an 8-byte hop-by-hop or destination options header (PadN). */
static void
ip6_opt_push(struct pkt *p, uint8_t nxt)
{
	uint8_t	*h = pkt_push(p, 8);

	h[0] = nxt;
	h[2] = 1;
	h[3] = 4;
}

/* Prepend an IPv6 fragment header. */
static void
ip6_frag_push(struct pkt *p, uint8_t nxt, size_t off, int more, uint32_t id)
{
	uint8_t	*h = pkt_push(p, 8);

	h[0] = nxt;
	put16(h + 2, off | (more ? 1 : 0));
	put32(h + 4, id);
}

/* TCP header fields for tcp_push. */
struct seg {
	uint16_t	 sport;
	uint16_t	 dport;
	uint32_t	 seq;
	uint32_t	 ack;
	uint8_t		 flags;
};

/* Prepend a TCP header (an MSS option on SYNs) with its checksum. */
static void
tcp_push(struct pkt *p, const struct addr *s, const struct addr *d,
    const struct seg *g)
{
	size_t	 hl = (g->flags & TH_SYN) ? 24 : 20;
	uint8_t	*h = pkt_push(p, hl);

	put16(h, g->sport);
	put16(h + 2, g->dport);
	put32(h + 4, g->seq);
	put32(h + 8, g->ack);
	h[12] = hl / 4 << 4;
	h[13] = g->flags;
	put16(h + 14, 64240);
	if (hl == 24) {
		h[20] = 2;
		h[21] = 4;
		put16(h + 22, MSS);
	}
	put16(h + 16, ck_fold(ck_add(ck_pseudo(s, d, 6, p->len), h, p->len)));
}

/* Prepend a UDP header, with its checksum unless nock. */
static void
udp_push(struct pkt *p, const struct addr *s, const struct addr *d,
    uint16_t sport, uint16_t dport, int nock)
{
	uint8_t		*h = pkt_push(p, 8);
	uint16_t	 ck;

	put16(h, sport);
	put16(h + 2, dport);
	put16(h + 4, p->len);
	if (nock)
		return;
	ck = ck_fold(ck_add(ck_pseudo(s, d, 17, p->len), h, p->len));
	put16(h + 6, ck == 0 ? 0xffff : ck);
}

/* Prepend an ICMP or ICMPv6 echo header (pseudo-header sum for v6). */
static void
icmp_push(struct pkt *p, const struct addr *s, const struct addr *d,
    uint8_t type, uint16_t id, uint16_t seq)
{
	uint8_t		*h = pkt_push(p, 8);
	uint64_t	 sum = 0;

	h[0] = type;
	put16(h + 4, id);
	put16(h + 6, seq);
	if (s->v6)
		sum = ck_pseudo(s, d, 58, p->len);
	put16(h + 2, ck_fold(ck_add(sum, h, p->len)));
}

/* Prepend a GRE header without options. */
static void
gre_push(struct pkt *p, uint16_t type)
{
	put16(pkt_push(p, 4) + 2, type);
}

/* Prepend a VXLAN header. */
static void
vxlan_push(struct pkt *p, uint32_t vni)
{
	uint8_t	*h = pkt_push(p, 8);

	h[0] = 0x08;
	put32(h + 4, vni << 8);
}

/* Prepend a GTPv1-U G-PDU header. */
static void
gtpu_push(struct pkt *p, uint32_t teid)
{
	uint8_t	*h = pkt_push(p, 8);

	h[0] = 0x30;
	h[1] = 0xff;
	put16(h + 2, p->len - 8);
	put32(h + 4, teid);
}

/* Prepend a VN-Tag (ethertype 0x8926 follows it): 4 bytes, then type. */
static void
vntag_push(struct pkt *p, uint16_t type)
{
	uint8_t	*h = pkt_push(p, 6);

	put32(h, 0x80010002);
	put16(h + 4, type);
}

/* Prepend a GRE header with a sequence number. */
static void
gre_seq_push(struct pkt *p, uint16_t type, uint32_t seq)
{
	uint8_t	*h = pkt_push(p, 8);

	put16(h, 0x1000);
	put16(h + 2, type);
	put32(h + 4, seq);
}

/* Prepend an ERSPAN type II header (session 100, index 5). */
static void
erspan2_push(struct pkt *p)
{
	uint8_t	*h = pkt_push(p, 8);

	put32(h, 0x10000000 | 100);
	put32(h + 4, 5);
}

/* Prepend an ERSPAN type III header (session 100, frame type 0), with the
 * 8-byte platform subheader (O bit) when sub. */
static void
erspan3_push(struct pkt *p, int sub, uint32_t ts)
{
	uint8_t	*h;

	if (sub)
		put32(pkt_push(p, 8) + 4, 0x12345678);
	h = pkt_push(p, 12);
	put32(h, 0x20000000 | 100);
	put32(h + 4, ts);
	put32(h + 8, sub ? 1 : 0);
}

/* Prepend an NFLOG header and TLVs (packet header, input interface 3,
 * payload) around the IP packet in p; TLV fields in host order. */
static void
nflog_push(struct pkt *p, int v6)
{
	uint16_t	 tlv[2];
	uint8_t		*h;

	tlv[0] = (uint16_t)(p->len + 4);	/* the last TLV: no padding */
	tlv[1] = 9;
	memcpy(pkt_push(p, 4), tlv, 4);
	h = pkt_push(p, 8);
	tlv[0] = 8;
	tlv[1] = 4;				/* NFULA_IFINDEX_INDEV */
	memcpy(h, tlv, 4);
	put32(h + 4, 3);
	h = pkt_push(p, 8);
	tlv[1] = 1;				/* NFULA_PACKET_HDR */
	memcpy(h, tlv, 4);
	put16(h + 4, v6 ? ET_IP6 : ET_IP4);
	h[6] = 1;
	h[7] = 0;
	h = pkt_push(p, 4);
	h[0] = v6 ? 10 : 2;
	h[1] = 0;
	put16(h + 2, 0);
}

/* Prepend an 802.11 data header with LLC/SNAP: the client (dir 0) sends
 * to the AP (ToDS), the AP to the client (FromDS); QoS data with qos,
 * and an HT control field (order bit) with htc. */
static void
wlan_push(struct pkt *p, const struct flow *f, int dir, int qos, int htc,
    uint16_t type)
{
	static const uint8_t bssid[6] = { 0x02, 0x11, 0x22, 0x33, 0x44, 0x55 };
	uint8_t	*h;
	size_t	 hl = 24 + (qos ? 2 : 0) + (qos && htc ? 4 : 0);

	h = pkt_push(p, 8);
	memcpy(h, "\xaa\xaa\x03\0\0\0", 6);
	put16(h + 6, type);
	h = pkt_push(p, hl);
	memset(h, 0, hl);
	h[0] = qos ? 0x88 : 0x08;
	h[1] = (dir ? 0x02 : 0x01) | (qos && htc ? 0x80 : 0);
	put16(h + 2, 44);
	memcpy(h + 4, dir ? f->mac[0] : bssid, 6);
	memcpy(h + 10, dir ? bssid : f->mac[0], 6);
	memcpy(h + 16, f->mac[1], 6);
	put16(h + 22, 0x0100);
	if (qos)
		h[24] = 0x05;			/* TID 5 */
	if (qos && htc)
		put32(h + 26, 0x0300a0c0);
}

/* Prepend a radiotap header (flags and rate, 10 bytes). */
static void
radiotap_push(struct pkt *p)
{
	uint8_t	*h = pkt_push(p, 10);

	h[0] = 0;
	h[1] = 0;
	h[2] = 10;				/* length, little-endian */
	h[3] = 0;
	put32le(h + 4, 0x00000006);		/* flags, rate */
	h[8] = 0;
	h[9] = 0x6c;				/* 54 Mb/s */
}

/* Prepend a Frame Relay header: IPv4 by RFC 2427 (NLPID 0xcc), IPv6 in
 * Cisco's encapsulation (ethertype). */
static void
frelay_push(struct pkt *p, int v6)
{
	uint8_t	*h;

	if (v6)
		put16(pkt_push(p, 2), ET_IP6);
	else {
		h = pkt_push(p, 2);
		h[0] = 0x03;
		h[1] = 0xcc;
	}
	h = pkt_push(p, 2);
	h[0] = 0x48;
	h[1] = 0xe1;
}

/* The 802.15.4 extended address (EUI-64) of a 6-byte MAC, as an IID
 * would hold it (big-endian, before the U/L flip). */
static void
wpan_eui64(const uint8_t *mac, uint8_t *eui)
{
	memcpy(eui, mac, 3);
	eui[3] = 0xff;
	eui[4] = 0xfe;
	memcpy(eui + 5, mac + 3, 3);
}

/* The IPHC source/destination mode of an IPv6 unicast address: 3 when
 * it is fe80:: with the MAC's interface id, 1 for another fe80::/64 one,
 * 0 (inline) otherwise. */
static int
lowpan_mode(const uint8_t *a, const uint8_t *mac)
{
	static const uint8_t ll[8] = { 0xfe, 0x80 };
	uint8_t	eui[8];

	if (memcmp(a, ll, 8) != 0)
		return 0;
	wpan_eui64(mac, eui);
	eui[0] ^= 0x02;
	return memcmp(a + 8, eui, 8) == 0 ? 3 : 1;
}

/* Compress the IPv6 packet in p with IPHC (RFC 6282: traffic class and
 * flow label elided, UDP by NHC with the checksum inline, ff02::XX as
 * one byte) and prepend an 802.15.4 data frame header (PAN 0xabcd, the
 * sender's EUI-64 as source, the receiver's or 0xffff as destination). */
static void
lowpan_push(struct pkt *p, const struct flow *f, int dir)
{
	uint8_t	ip[48], iphc[64], *h, eui[8];
	size_t	n = 2, hl = 40;
	int	sam, dam, mc, udp, i;

	memcpy(ip, pkt_data(p), 48);
	mc = ip[24] == 0xff && ip[25] == 0x02 && memcmp(ip + 26,
	    "\0\0\0\0\0\0\0\0\0\0\0\0\0", 13) == 0;
	udp = ip[6] == 17;
	sam = lowpan_mode(ip + 8, f->mac[dir]);
	dam = mc ? 3 : lowpan_mode(ip + 24, f->mac[!dir]);
	iphc[0] = 0x60 | 0x18 | (udp ? 0x04 : 0) |
	    (ip[7] == 64 ? 2 : ip[7] == 255 ? 3 : ip[7] == 1 ? 1 : 0);
	iphc[1] = (uint8_t)(sam << 4 | (mc ? 0x08 : 0) | dam);
	if (!udp)
		iphc[n++] = ip[6];
	if ((iphc[0] & 3) == 0)
		iphc[n++] = ip[7];
	memcpy(iphc + n, ip + 8 + (sam == 1 ? 8 : 0), sam == 0 ? 16 :
	    sam == 1 ? 8 : 0);
	n += sam == 0 ? 16 : sam == 1 ? 8 : 0;
	if (mc)
		iphc[n++] = ip[39];
	else {
		memcpy(iphc + n, ip + 24 + (dam == 1 ? 8 : 0), dam == 0 ? 16 :
		    dam == 1 ? 8 : 0);
		n += dam == 0 ? 16 : dam == 1 ? 8 : 0;
	}
	if (udp) {
		hl = 48;
		if ((ip[40] << 8 | ip[41]) >> 4 == 0xf0b &&
		    (ip[42] << 8 | ip[43]) >> 4 == 0xf0b) {
			iphc[n++] = 0xf3;
			iphc[n++] = (uint8_t)((ip[41] & 0x0f) << 4 |
			    (ip[43] & 0x0f));
		} else {
			iphc[n++] = 0xf0;
			memcpy(iphc + n, ip + 40, 4);
			n += 4;
		}
		memcpy(iphc + n, ip + 46, 2);	/* checksum */
		n += 2;
	}
	p->off += hl;
	p->len -= hl;
	memcpy(pkt_push(p, n), iphc, n);
	h = pkt_push(p, mc ? 7 + 8 : 13 + 8);
	h[0] = 0x41;				/* data, PAN id compression */
	h[1] = (uint8_t)(0xc0 | (mc ? 0x08 : 0x0c));
	h[2] = (uint8_t)(f->icmpseq + dir);
	h[3] = 0xcd;
	h[4] = 0xab;
	if (mc) {
		h[5] = h[6] = 0xff;
		h += 7;
	} else {
		wpan_eui64(f->mac[!dir], eui);
		for (i = 0; i < 8; i++)
			h[5 + i] = eui[7 - i];
		h += 13;
	}
	wpan_eui64(f->mac[dir], eui);
	for (i = 0; i < 8; i++)
		h[i] = eui[7 - i];
}

/* Set up a flow from client a:pa to server b:pb. */
static void
flow_new(struct cap *c, struct flow *f, int proto, const char *a, int pa,
    const char *b, int pb)
{
	memset(f, 0, sizeof *f);
	f->ip[0] = addr_of(a);
	f->ip[1] = addr_of(b);
	if (f->ip[0].v6 != f->ip[1].v6)
		die("flow %s - %s mixes families", a, b);
	f->port[0] = pa;
	f->port[1] = pb;
	addr_mac(&f->ip[0], f->mac[0]);
	addr_mac(&f->ip[1], f->mac[1]);
	f->proto = proto;
	f->seq[0] = rng_next(c);
	f->seq[1] = rng_next(c);
	f->icmpid = rng_range(c, 1000, 60000);
	f->icmpseq = 1;
	if (addr_internal(&f->ip[0]) && addr_internal(&f->ip[1]))
		f->rtt = 1 * MS;
	else
		f->rtt = 24 * MS;
}

/* Wrap the IP packet in the capture's tunnel, if any; return the
 * ethertype of what is now in p. */
static uint16_t
tun_wrap(struct cap *c, const struct flow *f, int dir, struct pkt *p,
    uint16_t type)
{
	const struct addr	*s = &c->tun[dir], *d = &c->tun[!dir];
	uint8_t			 proto;

	switch (c->enc) {
	case ENC_GRE_ETH:
		eth_push(p, f->mac[!dir], f->mac[dir], type);
		type = ET_TEB;
		/* FALLTHROUGH */
	case ENC_GRE:
		gre_push(p, type);
		proto = 47;
		break;
	case ENC_IPIP:
	case ENC_6IN4:
		proto = type == ET_IP6 ? 41 : 4;
		break;
	case ENC_VXLAN:
		eth_push(p, f->mac[!dir], f->mac[dir], type);
		vxlan_push(p, 4242);
		udp_push(p, s, d, 49152 + ((f->port[0] ^ f->port[1]) & 0x3fff),
		    4789, 1);
		proto = 17;
		break;
	case ENC_GTPU:
		gtpu_push(p, dir ? 0x2000 : 0x1000);
		udp_push(p, s, d, 2152, 2152, 0);
		proto = 17;
		break;
	case ENC_ERSPAN2:
		eth_push(p, f->mac[!dir], f->mac[dir], type);
		erspan2_push(p);
		gre_seq_push(p, 0x88be, c->ipid);
		proto = 47;
		break;
	case ENC_ERSPAN3:
		eth_push(p, f->mac[!dir], f->mac[dir], type);
		erspan3_push(p, dir, (uint32_t)(c->now / US));
		gre_seq_push(p, 0x22eb, c->ipid);
		proto = 47;
		break;
	default:
		return type;
	}
	ip4_push(p, s, d, proto, c->ipid++, 0, 64);
	return ET_IP4;
}

/* Prepend the Ethernet header and any VLAN, MPLS or PPPoE layers. */
static void
eth_wrap(struct cap *c, const struct flow *f, int dir, struct pkt *p,
    uint16_t type)
{
	switch (c->enc) {
	case ENC_VLAN:
		vlan_push(p, 100, type);
		type = ET_VLAN;
		break;
	case ENC_QINQ:
		vlan_push(p, 200, type);
		vlan_push(p, 300, ET_VLAN);
		type = ET_QINQ;
		break;
	case ENC_MPLS:
		mpls_push(p, 1001, 1);
		mpls_push(p, 2002, 0);
		type = ET_MPLS;
		break;
	case ENC_PPPOE:
		pppoe_push(p, 0x1234, type == ET_IP6 ? 0x0057 : 0x0021);
		type = ET_PPPOE;
		break;
	case ENC_VNTAG:
		vntag_push(p, type);
		type = 0x8926;
		break;
	}
	eth_push(p, f->mac[!dir], f->mac[dir], type);
}

/* Prepend the link-layer header of the current interface. */
static void
link_wrap(struct cap *c, const struct flow *f, int dir, struct pkt *p,
    uint16_t type)
{
	int	v6 = type == ET_IP6;

	switch (c->lt[c->iface]) {
	case LT_EN10MB:
		eth_wrap(c, f, dir, p, type);
		break;
	case LT_SLL:
		sll_push(p, dir ? 0 : 4, f->mac[dir], type);
		break;
	case LT_SLL2:
		sll2_push(p, dir ? 0 : 4, f->mac[dir], type);
		break;
	case LT_NULL:
		af_push(p, v6 ? 30 : 2, 0);
		break;
	case LT_LOOP:
		af_push(p, v6 ? 24 : 2, 1);
		break;
	case LT_NFLOG:
		nflog_push(p, v6);
		break;
	case LT_WLAN:
		wlan_push(p, f, dir, 0, 0, type);
		break;
	case LT_RADIOTAP:
		wlan_push(p, f, dir, 1, dir, type);
		radiotap_push(p);
		break;
	case LT_FRELAY:
		frelay_push(p, v6);
		break;
	case LT_WPAN:
		lowpan_push(p, f, dir);
		break;
	}
}

/* Tunnel, frame and queue the IP packet in p, sent from side dir of f. */
static void
emit(struct cap *c, const struct flow *f, int dir, struct pkt *p,
    uint16_t type)
{
	type = tun_wrap(c, f, dir, p, type);
	link_wrap(c, f, dir, p, type);
	cap_frame(c, pkt_data(p), p->len);
}

/* The TTL or hop limit side dir of f sends with. */
static uint8_t
flow_ttl(const struct flow *f, int dir)
{
	if (f->ttl != 0)
		return f->ttl;
	return addr_internal(&f->ip[dir]) ? 64 : 52;
}

/* Prepend the IP header to the transport bytes in p and emit them. */
static void
flow_ip(struct cap *c, struct flow *f, int dir, struct pkt *p)
{
	const struct addr	*s = &f->ip[dir], *d = &f->ip[!dir];
	uint8_t			 nxt = f->proto;

	if (!s->v6) {
		ip4_push(p, s, d, nxt, c->ipid++, nxt == 6 ? 0x4000 : 0,
		    flow_ttl(f, dir));
		emit(c, f, dir, p, ET_IP4);
		return;
	}
	if (f->ext6) {
		ip6_opt_push(p, nxt);
		ip6_opt_push(p, 60);
		nxt = 0;
	}
	ip6_push(p, s, d, nxt, flow_ttl(f, dir));
	emit(c, f, dir, p, ET_IP6);
}

/* Send the transport bytes in p from dir as fragments of chunk bytes;
 * order lists the fragment numbers to send and ends with -1. */
static void
flow_frags(struct cap *c, struct flow *f, int dir, struct pkt *p,
    size_t chunk, const int *order)
{
	const struct addr	*s = &f->ip[dir], *d = &f->ip[!dir];
	size_t			 len = p->len, off, n;
	uint32_t		 id = f->ip[0].v6 ? rng_next(c) : c->ipid++;
	int			 i, more;

	for (i = 0; order[i] >= 0; i++) {
		off = order[i] * chunk;
		n = len - off < chunk ? len - off : chunk;
		more = off + n < len;
		pkt_init(&pk2, pkt_data(p) + off, n);
		if (s->v6) {
			ip6_frag_push(&pk2, f->proto, off, more, id);
			ip6_push(&pk2, s, d, 44, flow_ttl(f, dir));
			emit(c, f, dir, &pk2, ET_IP6);
		} else {
			ip4_push(&pk2, s, d, f->proto, id,
			    (more ? 0x2000 : 0) | off / 8, flow_ttl(f, dir));
			emit(c, f, dir, &pk2, ET_IP4);
		}
		if (order[i + 1] >= 0)
			adv(c, 20 * US);
	}
}

/* Build one TCP segment from side dir of f into p, acknowledging all the
 * peer has sent, and advance dir's sequence number. */
static void
tcp_build(struct flow *f, int dir, struct pkt *p, uint8_t flags,
    const void *data, size_t len)
{
	struct seg	g;

	pkt_init(p, data, len);
	g.sport = f->port[dir];
	g.dport = f->port[!dir];
	g.seq = f->seq[dir];
	g.ack = (flags & TH_ACK) ? f->seq[!dir] : 0;
	g.flags = flags;
	tcp_push(p, &f->ip[dir], &f->ip[!dir], &g);
	f->seq[dir] += len + ((flags & (TH_SYN | TH_FIN)) ? 1 : 0);
}

/* Send one TCP segment from side dir of f. */
static void
tcp_seg(struct cap *c, struct flow *f, int dir, uint8_t flags,
    const void *data, size_t len)
{
	tcp_build(f, dir, &pk, flags, data, len);
	flow_ip(c, f, dir, &pk);
}

/* The three-way handshake, the client sending the SYN. */
static void
tcp_open(struct cap *c, struct flow *f)
{
	tcp_seg(c, f, 0, TH_SYN, NULL, 0);
	adv(c, f->rtt / 2);
	tcp_seg(c, f, 1, TH_SYN | TH_ACK, NULL, 0);
	adv(c, f->rtt / 2);
	tcp_seg(c, f, 0, TH_ACK, NULL, 0);
}

/* Send len bytes from dir in MSS-sized segments; the peer acknowledges
 * every second segment and the last. */
static void
tcp_send(struct cap *c, struct flow *f, int dir, const void *data,
    size_t len)
{
	const uint8_t	*d = data;
	size_t		 off, n, i;

	for (off = 0, i = 1; off < len; off += n, i++) {
		n = len - off < MSS ? len - off : MSS;
		adv(c, off == 0 ? 200 * US : 30 * US);
		tcp_seg(c, f, dir, TH_ACK | (off + n == len ? TH_PSH : 0),
		    d + off, n);
		if (i % 2 == 0 || off + n == len) {
			adv(c, f->rtt / 2);
			tcp_seg(c, f, !dir, TH_ACK, NULL, 0);
		}
	}
}

/* FIN from dir, FIN from the peer, and the last ACK. */
static void
tcp_close(struct cap *c, struct flow *f, int dir)
{
	adv(c, 5 * MS);
	tcp_seg(c, f, dir, TH_FIN | TH_ACK, NULL, 0);
	adv(c, f->rtt / 2);
	tcp_seg(c, f, !dir, TH_FIN | TH_ACK, NULL, 0);
	adv(c, f->rtt / 2);
	tcp_seg(c, f, dir, TH_ACK, NULL, 0);
}

/* A whole TCP conversation: handshake, request, response, client close. */
static void
tcp_exchange(struct cap *c, struct flow *f, const struct bytes *req,
    const struct bytes *resp)
{
	tcp_open(c, f);
	tcp_send(c, f, 0, req->p, req->len);
	adv(c, 2 * MS);
	tcp_send(c, f, 1, resp->p, resp->len);
	tcp_close(c, f, 0);
}

/* Send one UDP datagram from side dir of f. */
static void
udp_send(struct cap *c, struct flow *f, int dir, const void *data,
    size_t len)
{
	pkt_init(&pk, data, len);
	udp_push(&pk, &f->ip[dir], &f->ip[!dir], f->port[dir], f->port[!dir],
	    0);
	flow_ip(c, f, dir, &pk);
}

/* Build an echo request or reply of f (ICMP or ICMPv6 by family) into p. */
static void
icmp_build(struct flow *f, int dir, struct pkt *p, int reply,
    const void *data, size_t len)
{
	uint8_t	type;

	if (f->ip[0].v6)
		type = reply ? 129 : 128;
	else
		type = reply ? 0 : 8;
	pkt_init(p, data, len);
	icmp_push(p, &f->ip[dir], &f->ip[!dir], type, f->icmpid, f->icmpseq);
}

/* Send an echo request or reply from side dir of f. */
static void
icmp_send(struct cap *c, struct flow *f, int dir, int reply,
    const void *data, size_t len)
{
	icmp_build(f, dir, &pk, reply, data, len);
	flow_ip(c, f, dir, &pk);
}

/* The 56-byte payload of Linux ping: a timeval, then 0x10 ... 0x37. */
static void
ping_payload(const struct cap *c, uint8_t *p)
{
	uint64_t	sec = c->now / SEC, usec = c->now % SEC / US;
	int		i;

	for (i = 0; i < 8; i++) {
		p[i] = sec >> (8 * i);
		p[8 + i] = usec >> (8 * i);
	}
	for (i = 16; i < 56; i++)
		p[i] = i;
}

/* n echo request/reply pairs of Linux ping, gap apart. */
static void
ping(struct cap *c, struct flow *f, int n, uint64_t gap)
{
	uint8_t	pl[56];
	int	i;

	for (i = 0; i < n; i++) {
		if (i != 0)
			adv(c, gap);
		ping_payload(c, pl);
		icmp_send(c, f, 0, 0, pl, sizeof pl);
		adv(c, f->rtt);
		icmp_send(c, f, 1, 1, pl, sizeof pl);
		f->icmpseq++;
	}
}

/* n echo pairs of Windows ping (32 bytes "abcdefghijklmnopqrstuvwabcdefghi"). */
static void
ping_windows(struct cap *c, struct flow *f, int n, uint64_t gap)
{
	static const char	pl[] = "abcdefghijklmnopqrstuvwabcdefghi";
	int			i;

	for (i = 0; i < n; i++) {
		if (i != 0)
			adv(c, gap);
		icmp_send(c, f, 0, 0, pl, 32);
		adv(c, f->rtt);
		icmp_send(c, f, 1, 1, pl, 32);
		f->icmpseq++;
	}
}

/* Encode a dotted name as DNS labels (a label may hold any byte but '.'
 * and NUL); return the encoded length. */
static size_t
dns_labels(uint8_t *out, const char *name)
{
	const char	*s = name, *dot;
	size_t		 n = 0, l;

	while (*s != '\0') {
		dot = strchr(s, '.');
		l = dot != NULL ? (size_t)(dot - s) : strlen(s);
		if (l == 0 || l > 63)
			die("bad DNS label in %s", name);
		out[n++] = l;
		memcpy(out + n, s, l);
		n += l;
		s += l + (dot != NULL);
	}
	out[n++] = 0;
	return n;
}

/* Start a DNS message with one question. */
static void
dns_query(struct dns *d, uint16_t id, const char *name, uint16_t qtype)
{
	memset(d->b, 0, 12);
	put16(d->b, id);
	put16(d->b + 2, 0x0100);
	put16(d->b + 4, 1);
	d->len = 12 + dns_labels(d->b + 12, name);
	put16(d->b + d->len, qtype);
	put16(d->b + d->len + 2, 1);
	d->len += 4;
}

/* Start the response to q with the given rcode and no answers yet. */
static void
dns_reply(struct dns *r, const struct dns *q, int rcode)
{
	memcpy(r->b, q->b, q->len);
	r->len = q->len;
	put16(r->b + 2, 0x8180 | rcode);
}

/* Append an answer owned by the name at offset own (compressed) and
 * return the offset of its RDATA. */
static size_t
dns_rr(struct dns *d, size_t own, uint16_t type, uint32_t ttl,
    const void *rd, size_t rdlen)
{
	uint8_t	*p = d->b + d->len;

	if (d->len + 12 + rdlen > sizeof d->b)
		die("DNS message too long");
	put16(p, 0xc000 | own);
	put16(p + 2, type);
	put16(p + 4, 1);
	put32(p + 6, ttl);
	put16(p + 10, rdlen);
	memcpy(p + 12, rd, rdlen);
	d->len += 12 + rdlen;
	put16(d->b + 6, (d->b[6] << 8 | d->b[7]) + 1);
	return d->len - rdlen;
}

/* TXT RDATA for s: character-strings of at most 255 bytes. */
static size_t
dns_txt(uint8_t *out, const char *s, size_t len)
{
	size_t	n = 0, k;

	do {
		k = len < 255 ? len : 255;
		out[n++] = k;
		memcpy(out + n, s, k);
		n += k;
		s += k;
		len -= k;
	} while (len != 0);
	return n;
}

/* Query from the client side of f, answer from the server side. */
static void
dns_exchange(struct cap *c, struct flow *f, const struct dns *q,
    const struct dns *r)
{
	udp_send(c, f, 0, q->b, q->len);
	adv(c, f->rtt);
	udp_send(c, f, 1, r->b, r->len);
}

/* Look name up (A or AAAA by the family of ip) and answer with ip. */
static void
dns_lookup(struct cap *c, struct flow *f, const char *name, const char *ip,
    uint32_t ttl)
{
	struct dns	q, r;
	struct addr	a = addr_of(ip);

	dns_query(&q, rng_next(c), name, a.v6 ? 28 : 1);
	dns_reply(&r, &q, 0);
	dns_rr(&r, 12, a.v6 ? 28 : 1, ttl, a.b, a.v6 ? 16 : 4);
	dns_exchange(c, f, &q, &r);
}

/* Look name up and answer with a CNAME to alias, then alias's address. */
static void
dns_lookup_cname(struct cap *c, struct flow *f, const char *name,
    const char *alias, const char *ip)
{
	struct dns	q, r;
	struct addr	a = addr_of(ip);
	uint8_t		rd[256];
	size_t		own;

	dns_query(&q, rng_next(c), name, 1);
	dns_reply(&r, &q, 0);
	own = dns_rr(&r, 12, 5, 3600, rd, dns_labels(rd, alias));
	dns_rr(&r, own, 1, 60, a.b, 4);
	dns_exchange(c, f, &q, &r);
}

/* Look name up with type qtype and answer with one TXT record. */
static void
dns_lookup_txt(struct cap *c, struct flow *f, const char *name,
    const char *txt, size_t len)
{
	struct dns	q, r;
	uint8_t		rd[2048];

	dns_query(&q, rng_next(c), name, 16);
	dns_reply(&r, &q, 0);
	dns_rr(&r, 12, 16, 3600, rd, dns_txt(rd, txt, len));
	dns_exchange(c, f, &q, &r);
}

/* An HTTP/1.1 request; ua may be NULL for none. */
static void
http_req(struct bytes *b, const char *method, const char *host,
    const char *path, const char *ua)
{
	b->len = 0;
	bytes_str(b, method);
	bytes_str(b, " ");
	bytes_str(b, path);
	bytes_str(b, " HTTP/1.1\r\nHost: ");
	bytes_str(b, host);
	if (ua != NULL) {
		bytes_str(b, "\r\nUser-Agent: ");
		bytes_str(b, ua);
	}
	bytes_str(b, "\r\nAccept: */*\r\n\r\n");
}

/* An HTTP/1.1 response with a body of n bytes of HTML-ish text. */
static void
http_resp(struct bytes *b, const char *status, const char *server,
    const char *type, size_t n)
{
	static const char	line[] = "<p>This domain is for use in "
				    "illustrative examples in documents.</p>\n";
	char			hdr[512];
	size_t			i;

	snprintf(hdr, sizeof hdr, "HTTP/1.1 %s\r\nServer: %s\r\n"
	    "Content-Type: %s\r\nContent-Length: %zu\r\n\r\n", status, server,
	    type, n);
	b->len = 0;
	bytes_str(b, hdr);
	for (i = 0; i < n; i++)
		bytes_u8(b, line[i % (sizeof line - 1)]);
}

/* Append a TLS extension. */
static void
tls_ext(struct bytes *b, uint16_t type, const void *data, size_t len)
{
	bytes_be16(b, type);
	bytes_be16(b, len);
	bytes_add(b, data, len);
}

/* Append the server_name extension. */
static void
tls_ext_sni(struct bytes *b, const char *sni)
{
	size_t	n = strlen(sni);

	bytes_be16(b, 0);
	bytes_be16(b, n + 5);
	bytes_be16(b, n + 3);
	bytes_u8(b, 0);
	bytes_be16(b, n);
	bytes_str(b, sni);
}

/* Append the ClientHello extensions after server_name (Firefox-like). */
static void
tls_ext_client(struct cap *c, struct bytes *b)
{
	static const uint8_t	groups[] = { 0, 6, 0, 0x1d, 0, 0x17, 0, 0x18 };
	static const uint8_t	points[] = { 1, 0 };
	static const uint8_t	sigs[] = { 0, 16, 4, 3, 8, 4, 4, 1, 5, 3, 8, 5,
				    5, 1, 8, 6, 6, 1 };
	static const uint8_t	alpn[] = { 0, 12, 2, 'h', '2', 8, 'h', 't',
				    't', 'p', '/', '1', '.', '1' };
	static const uint8_t	vers[] = { 4, 3, 4, 3, 3 };
	static const uint8_t	psk[] = { 1, 1 };
	uint8_t			ks[40] = { 0, 36, 0, 0x1d, 0, 32 };

	tls_ext(b, 23, NULL, 0);
	tls_ext(b, 0xff01, "", 1);
	tls_ext(b, 10, groups, sizeof groups);
	tls_ext(b, 11, points, sizeof points);
	tls_ext(b, 16, alpn, sizeof alpn);
	tls_ext(b, 13, sigs, sizeof sigs);
	rng_fill(c, ks + 6, 32);
	tls_ext(b, 51, ks, 38);
	tls_ext(b, 43, vers, sizeof vers);
	tls_ext(b, 45, psk, sizeof psk);
}

/* A TLS ClientHello record carrying sni. */
static void
tls_client_hello(struct cap *c, struct bytes *b, const char *sni)
{
	static const uint16_t	suites[] = { 0x1301, 0x1303, 0x1302, 0xc02b,
				    0xc02f, 0xcca9, 0xcca8, 0xc02c, 0xc030,
				    0xc00a, 0xc009, 0xc013, 0xc014, 0x009c,
				    0x009d, 0x002f, 0x0035 };
	uint8_t			rnd[32];
	size_t			rec, hs, ext, i;

	b->len = 0;
	bytes_u8(b, 0x16);
	bytes_be16(b, 0x0301);
	rec = b->len;
	bytes_be16(b, 0);
	bytes_u8(b, 1);
	hs = b->len;
	bytes_be24(b, 0);
	bytes_be16(b, 0x0303);
	rng_fill(c, rnd, 32);
	bytes_add(b, rnd, 32);
	bytes_u8(b, 32);
	rng_fill(c, rnd, 32);
	bytes_add(b, rnd, 32);
	bytes_be16(b, 2 * nitems(suites));
	for (i = 0; i < nitems(suites); i++)
		bytes_be16(b, suites[i]);
	bytes_be16(b, 0x0100);
	ext = b->len;
	bytes_be16(b, 0);
	tls_ext_sni(b, sni);
	tls_ext_client(c, b);
	bytes_len16(b, ext);
	bytes_len24(b, hs);
	bytes_len16(b, rec);
}

/* A TLS 1.2 ServerHello (ECDHE-RSA-AES128-GCM) and ServerHelloDone. */
static void
tls_server_hello(struct cap *c, struct bytes *b)
{
	uint8_t	rnd[32];
	size_t	rec, hs, ext;

	b->len = 0;
	bytes_u8(b, 0x16);
	bytes_be16(b, 0x0303);
	rec = b->len;
	bytes_be16(b, 0);
	bytes_u8(b, 2);
	hs = b->len;
	bytes_be24(b, 0);
	bytes_be16(b, 0x0303);
	rng_fill(c, rnd, 32);
	bytes_add(b, rnd, 32);
	bytes_u8(b, 32);
	rng_fill(c, rnd, 32);
	bytes_add(b, rnd, 32);
	bytes_be16(b, 0xc02f);
	bytes_u8(b, 0);
	ext = b->len;
	bytes_be16(b, 0);
	tls_ext(b, 0xff01, "", 1);
	tls_ext(b, 11, "\x01\x00", 2);
	tls_ext(b, 23, NULL, 0);
	bytes_len16(b, ext);
	bytes_len24(b, hs);
	bytes_len16(b, rec);
	bytes_add(b, "\x16\x03\x03\x00\x04\x0e\x00\x00\x00", 9);
}

/* Append a TLS record of type with n random (encrypted-looking) bytes. */
static void
tls_record(struct cap *c, struct bytes *b, uint8_t type, size_t n)
{
	bytes_u8(b, type);
	bytes_be16(b, 0x0303);
	bytes_be16(b, n);
	rng_fill(c, bytes_grow(b, n), n);
}

/* A TLS 1.2 session on an open flow: hellos, key exchange, then app data
 * of about req and resp bytes. */
static void
tls_session(struct cap *c, struct flow *f, const char *sni, size_t req,
    size_t resp)
{
	struct bytes	b = { NULL, 0, 0 };

	tls_client_hello(c, &b, sni);
	tcp_send(c, f, 0, b.p, b.len);
	tls_server_hello(c, &b);
	tcp_send(c, f, 1, b.p, b.len);
	b.len = 0;
	bytes_add(&b, "\x16\x03\x03\x00\x25\x10\x00\x00\x21\x20", 10);
	rng_fill(c, bytes_grow(&b, 32), 32);
	bytes_add(&b, "\x14\x03\x03\x00\x01\x01", 6);
	tls_record(c, &b, 0x16, 40);
	tcp_send(c, f, 0, b.p, b.len);
	b.len = 0;
	bytes_add(&b, "\x14\x03\x03\x00\x01\x01", 6);
	tls_record(c, &b, 0x16, 40);
	tcp_send(c, f, 1, b.p, b.len);
	b.len = 0;
	tls_record(c, &b, 0x17, req);
	tcp_send(c, f, 0, b.p, b.len);
	b.len = 0;
	while (b.len < resp)
		tls_record(c, &b, 0x17, resp - b.len < 4000 ? resp - b.len :
		    4000);
	tcp_send(c, f, 1, b.p, b.len);
	free(b.p);
}

/* basic: HTTP over TCP 10.0.0.5:50000 -> 93.184.216.34:80, handshake,
 * data both ways, FIN/FIN (outbound). */
static void
basic_http(struct cap *c, uint64_t t)
{
	struct flow	f;
	struct bytes	req = { NULL, 0, 0 }, resp = { NULL, 0, 0 };

	flow_new(c, &f, 6, "10.0.0.5", 50000, "93.184.216.34", 80);
	at(c, t);
	http_req(&req, "GET", "www.example.com", "/index.html", ua_firefox);
	http_resp(&resp, "200 OK", "ECS (nyb/1D2E)", "text/html", 2400);
	tcp_exchange(c, &f, &req, &resp);
	free(req.p);
	free(resp.p);
}

/* basic: SSH on port 2222 seen from the SYN-ACK on (both ports >= 1024, so
 * only the SYN-ACK rule decides): the initiator is the SYN-ACK's receiver
 * 198.51.100.20:40000, not the first sender (inbound to 10.0.0.80:2222). */
static void
basic_synack(struct cap *c, uint64_t t)
{
	static const char	cli[] = "SSH-2.0-PuTTY_Release_0.78\r\n";
	static const char	srv[] = "SSH-2.0-OpenSSH_9.2p1 Debian-2\r\n";
	struct flow		f;

	flow_new(c, &f, 6, "198.51.100.20", 40000, "10.0.0.80", 2222);
	at(c, t);
	f.seq[0]++;
	tcp_seg(c, &f, 1, TH_SYN | TH_ACK, NULL, 0);
	adv(c, f.rtt / 2);
	tcp_seg(c, &f, 0, TH_ACK, NULL, 0);
	tcp_send(c, &f, 1, srv, sizeof srv - 1);
	tcp_send(c, &f, 0, cli, sizeof cli - 1);
	tcp_close(c, &f, 0);
}

/* basic: TCP picked up mid-stream, no SYN; 93.184.216.34:443 sends first
 * but the initiator is 10.0.0.5:51000 (the port >= 1024, outbound). */
static void
basic_nosyn(struct cap *c, uint64_t t)
{
	struct flow	f;
	struct bytes	b = { NULL, 0, 0 };

	flow_new(c, &f, 6, "10.0.0.5", 51000, "93.184.216.34", 443);
	at(c, t);
	tls_record(c, &b, 0x17, 700);
	tcp_send(c, &f, 1, b.p, b.len);
	b.len = 0;
	tls_record(c, &b, 0x17, 120);
	tcp_send(c, &f, 0, b.p, b.len);
	b.len = 0;
	tls_record(c, &b, 0x17, 2000);
	tcp_send(c, &f, 1, b.p, b.len);
	free(b.p);
}

/* basic: DNS 10.0.0.5:53000 -> 8.8.8.8:53, an A and an AAAA lookup. */
static void
basic_dns(struct cap *c, uint64_t t)
{
	struct flow	f;

	flow_new(c, &f, 17, "10.0.0.5", 53000, "8.8.8.8", 53);
	at(c, t);
	dns_lookup(c, &f, "www.example.com", "93.184.216.34", 3600);
	adv(c, 3 * MS);
	dns_lookup(c, &f, "www.example.com", "2606:2800:220:1:248:1893:25c8:1946",
	    3600);
}

/* basic: UDP with both ports >= 1024; 10.0.0.6:5004 sends first, so it is
 * the initiator (lateral to 10.0.0.5:40001). */
static void
basic_udphigh(struct cap *c, uint64_t t)
{
	struct flow	f;
	uint8_t		pl[172];
	int		i;

	flow_new(c, &f, 17, "10.0.0.6", 5004, "10.0.0.5", 40001);
	at(c, t);
	for (i = 0; i < 6; i++) {
		rng_fill(c, pl, sizeof pl);
		pl[0] = 0x80;
		pl[1] = 0x00;
		udp_send(c, &f, i % 2, pl, sizeof pl);
		adv(c, 20 * MS);
	}
}

/* basic: ping 10.0.0.5 -> 1.1.1.1, 4 pairs, Linux pattern. */
static void
basic_ping(struct cap *c, uint64_t t)
{
	struct flow	f;

	flow_new(c, &f, 1, "10.0.0.5", 0, "1.1.1.1", 0);
	at(c, t);
	ping(c, &f, 4, SEC);
}

/* basic: an echo reply 203.0.113.50 -> 10.0.0.9 first, a request from
 * 10.0.0.9 two seconds later (initiator 10.0.0.9, outbound). */
static void
basic_replyfirst(struct cap *c, uint64_t t)
{
	struct flow	f;
	uint8_t		pl[56];

	flow_new(c, &f, 1, "10.0.0.9", 0, "203.0.113.50", 0);
	at(c, t);
	ping_payload(c, pl);
	icmp_send(c, &f, 1, 1, pl, sizeof pl);
	f.icmpseq++;
	adv(c, 2 * SEC);
	ping(c, &f, 1, 0);
}

/* An OSPFv2 hello from router id src, with its checksum. */
static void
ospf_hello(struct pkt *p, const struct addr *src)
{
	uint8_t	*h;

	pkt_init(p, NULL, 44);
	h = pkt_data(p);
	h[0] = 2;
	h[1] = 1;
	put16(h + 2, 44);
	memcpy(h + 4, src->b, 4);
	put32(h + 24, 0xffffff00);
	put16(h + 28, 10);
	h[30] = 0x02;
	h[31] = 1;
	put32(h + 32, 40);
	memcpy(h + 36, src->b, 4);
	put16(h + 12, ck_fold(ck_add(0, h, 44)));
}

/* basic: OSPF (IP protocol 89, no ports) hellos 10.0.0.1 -> 224.0.0.5. */
static void
basic_ospf(struct cap *c, uint64_t t)
{
	struct flow	f;
	int		i;

	flow_new(c, &f, 89, "10.0.0.1", 0, "224.0.0.5", 0);
	f.ttl = 1;
	at(c, t);
	for (i = 0; i < 3; i++) {
		if (i != 0)
			adv(c, 10 * SEC);
		ospf_hello(&pk, &f.ip[0]);
		flow_ip(c, &f, 0, &pk);
	}
}

/* Queue an ARP request (reply when reply) on Ethernet, tagged when vlan. */
static void
arp_frame(struct cap *c, int reply, const char *sip, const char *tip,
    uint16_t vlan)
{
	struct addr	s = addr_of(sip), d = addr_of(tip);
	uint8_t		smac[6], dmac[6], *h;

	addr_mac(&s, smac);
	addr_mac(&d, dmac);
	pkt_init(&pk, NULL, 28);
	h = pkt_data(&pk);
	memcpy(h, "\x00\x01\x08\x00\x06\x04\x00", 7);
	h[7] = reply ? 2 : 1;
	memcpy(h + 8, smac, 6);
	memcpy(h + 14, s.b, 4);
	if (reply)
		memcpy(h + 18, dmac, 6);
	memcpy(h + 24, d.b, 4);
	if (vlan != 0)
		vlan_push(&pk, vlan, ET_ARP);
	eth_push(&pk, reply ? dmac : mac_bcast, smac, vlan ? ET_VLAN : ET_ARP);
	cap_frame(c, pkt_data(&pk), pk.len);
}

/* basic: ARP who-has and reply, untagged and in VLAN 10 (not IP). */
static void
basic_arp(struct cap *c, uint64_t t)
{
	at(c, t);
	arp_frame(c, 0, "10.0.0.5", "10.0.0.1", 0);
	adv(c, 300 * US);
	arp_frame(c, 1, "10.0.0.1", "10.0.0.5", 0);
	adv(c, 500 * MS);
	arp_frame(c, 0, "10.0.10.5", "10.0.10.1", 10);
	adv(c, 300 * US);
	arp_frame(c, 1, "10.0.10.1", "10.0.10.5", 10);
}

/* basic: IPv6 HTTP fd00::5:50010 -> 2001:db8::80:80, DNS AAAA
 * fd00::5:53001 -> fd00::53:53 and ping6 fd00::5 -> 2001:db8::1. */
static void
basic_v6(struct cap *c, uint64_t t)
{
	struct flow	f;
	struct bytes	req = { NULL, 0, 0 }, resp = { NULL, 0, 0 };

	flow_new(c, &f, 6, "fd00::5", 50010, "2001:db8::80", 80);
	at(c, t);
	http_req(&req, "GET", "v6.example.com", "/", ua_curl);
	http_resp(&resp, "200 OK", "nginx/1.24.0", "text/html", 600);
	tcp_exchange(c, &f, &req, &resp);
	flow_new(c, &f, 17, "fd00::5", 53001, "fd00::53", 53);
	at(c, t + 300 * MS);
	dns_lookup(c, &f, "v6.example.com", "2001:db8::80", 300);
	flow_new(c, &f, 58, "fd00::5", 0, "2001:db8::1", 0);
	at(c, t + 600 * MS);
	ping(c, &f, 2, SEC);
	free(req.p);
	free(resp.p);
}

/* basic: IPv6 UDP fd00::7:5000 -> fd00::8:6000 with hop-by-hop and
 * destination options headers before UDP, both ways. */
static void
basic_ext6(struct cap *c, uint64_t t)
{
	struct flow	f;
	int		i;

	flow_new(c, &f, 17, "fd00::7", 5000, "fd00::8", 6000);
	f.ext6 = 1;
	at(c, t);
	for (i = 0; i < 4; i++) {
		udp_send(c, &f, i % 2, "extension headers before UDP", 28);
		adv(c, 10 * MS);
	}
}

/* basic: TCP 10.0.0.5:50002 -> 10.0.0.9:8080 closed by an RST from the
 * server after the request (lateral). */
static void
basic_rst(struct cap *c, uint64_t t)
{
	struct flow	f;
	struct bytes	req = { NULL, 0, 0 };

	flow_new(c, &f, 6, "10.0.0.5", 50002, "10.0.0.9", 8080);
	at(c, t);
	tcp_open(c, &f);
	http_req(&req, "POST", "10.0.0.9:8080", "/api/login", ua_curl);
	tcp_send(c, &f, 0, req.p, req.len);
	adv(c, 2 * MS);
	tcp_seg(c, &f, 1, TH_RST | TH_ACK, NULL, 0);
	free(req.p);
}

/* basic: TCP 10.0.0.5:50003 -> 93.184.216.34:80 with FIN from both sides,
 * one more ACK 1 s after the second FIN (joins the session), then 1.5 s
 * after that FIN (inside the 2 s close window) a SYN on the same 5-tuple,
 * which starts a second session (handshake, request, response, close). */
static void
basic_reopen(struct cap *c, uint64_t t)
{
	struct flow	f;
	struct bytes	req = { NULL, 0, 0 }, resp = { NULL, 0, 0 };

	flow_new(c, &f, 6, "10.0.0.5", 50003, "93.184.216.34", 80);
	at(c, t);
	http_req(&req, "GET", "www.example.com", "/a.css", ua_firefox);
	http_resp(&resp, "200 OK", "ECS (nyb/1D2E)", "text/css", 300);
	tcp_open(c, &f);
	tcp_send(c, &f, 0, req.p, req.len);
	tcp_send(c, &f, 1, resp.p, resp.len);
	adv(c, 5 * MS);
	tcp_seg(c, &f, 0, TH_FIN | TH_ACK, NULL, 0);
	adv(c, f.rtt / 2);
	tcp_seg(c, &f, 1, TH_FIN | TH_ACK, NULL, 0);
	adv(c, SEC);
	tcp_seg(c, &f, 0, TH_ACK, NULL, 0);
	adv(c, SEC / 2);
	f.seq[0] = rng_next(c);
	f.seq[1] = rng_next(c);
	tcp_exchange(c, &f, &req, &resp);
	free(req.p);
	free(resp.p);
}

/* One NTP client exchange over f. */
static void
ntp_exchange(struct cap *c, struct flow *f)
{
	uint8_t	ntp[48];

	memset(ntp, 0, sizeof ntp);
	ntp[0] = 0x23;
	rng_fill(c, ntp + 40, 8);
	udp_send(c, f, 0, ntp, sizeof ntp);
	adv(c, f->rtt);
	ntp[0] = 0x24;
	ntp[1] = 2;
	rng_fill(c, ntp + 4, 36);
	udp_send(c, f, 1, ntp, sizeof ntp);
}

/* basic: NTP 10.0.0.5:40123 -> 192.0.2.123:123, an exchange, 70 s of
 * silence (idle timeout), another exchange: two sessions.  Its last
 * packet is the last record of the file. */
static void
basic_idle(struct cap *c, uint64_t t)
{
	struct flow	f;

	flow_new(c, &f, 17, "10.0.0.5", 40123, "192.0.2.123", 123);
	at(c, t);
	ntp_exchange(c, &f);
	at(c, t + 70 * SEC);
	ntp_exchange(c, &f);
}

/* basic: syslog between two external hosts, 198.51.100.7:33000 ->
 * 192.0.2.44:514 (no direction). */
static void
basic_extext(struct cap *c, uint64_t t)
{
	static const char	msg[] = "<86>Jan 15 10:00:26 gw sshd[811]: "
				    "Accepted publickey for ops";
	struct flow		f;

	flow_new(c, &f, 17, "198.51.100.7", 33000, "192.0.2.44", 514);
	at(c, t);
	udp_send(c, &f, 0, msg, sizeof msg - 1);
	adv(c, SEC);
	udp_send(c, &f, 0, msg, sizeof msg - 1);
}

/* Every basic conversation; the NTP flow's second exchange ends the file. */
static void
sc_basic(struct cap *c)
{
	basic_http(c, 0);
	basic_synack(c, 2 * SEC);
	basic_nosyn(c, 4 * SEC);
	basic_dns(c, 5 * SEC);
	basic_udphigh(c, 6 * SEC);
	basic_ping(c, 7 * SEC);
	basic_replyfirst(c, 12 * SEC);
	basic_ospf(c, 13 * SEC);
	basic_arp(c, 14 * SEC);
	basic_v6(c, 16 * SEC);
	basic_ext6(c, 18 * SEC);
	basic_rst(c, 20 * SEC);
	basic_reopen(c, 21 * SEC);
	basic_idle(c, 25 * SEC);
	basic_extext(c, 26 * SEC);
}

/* The IPv4 half of the standard set: HTTP 10.0.0.5:50100 ->
 * 93.184.216.34:80, DNS 10.0.0.5:53100 -> 8.8.8.8:53, ping to 1.1.1.1. */
static void
std_v4(struct cap *c)
{
	struct flow	f;
	struct bytes	req = { NULL, 0, 0 }, resp = { NULL, 0, 0 };

	flow_new(c, &f, 6, "10.0.0.5", 50100, "93.184.216.34", 80);
	at(c, 0);
	http_req(&req, "GET", "www.example.com", "/", ua_firefox);
	http_resp(&resp, "200 OK", "ECS (nyb/1D2E)", "text/html", 3000);
	tcp_exchange(c, &f, &req, &resp);
	flow_new(c, &f, 17, "10.0.0.5", 53100, "8.8.8.8", 53);
	at(c, 2 * SEC);
	dns_lookup(c, &f, "www.example.org", "93.184.216.34", 600);
	flow_new(c, &f, 1, "10.0.0.5", 0, "1.1.1.1", 0);
	at(c, 3 * SEC);
	ping(c, &f, 3, SEC);
	free(req.p);
	free(resp.p);
}

/* The IPv6 half: TLS fd00::5:50101 -> 2001:db8::80:443, DNS
 * fd00::5:53101 -> 2001:4860:4860::8888:53, ping6 to 2001:db8::1. */
static void
std_v6(struct cap *c)
{
	struct flow	f;

	flow_new(c, &f, 6, "fd00::5", 50101, "2001:db8::80", 443);
	at(c, 1 * SEC);
	tcp_open(c, &f);
	tls_session(c, &f, "v6.example.com", 400, 2500);
	tcp_close(c, &f, 0);
	flow_new(c, &f, 17, "fd00::5", 53101, "2001:4860:4860::8888", 53);
	at(c, 2500 * MS);
	dns_lookup(c, &f, "v6.example.com", "2001:db8::80", 600);
	flow_new(c, &f, 58, "fd00::5", 0, "2001:db8::1", 0);
	at(c, 4 * SEC);
	ping(c, &f, 3, SEC);
}

/* lt_* and enc_*: the standard set, in the families the table asks for. */
static void
sc_std(struct cap *c)
{
	if (c->fam & FAM_V4)
		std_v4(c);
	if (c->fam & FAM_V6)
		std_v6(c);
}

/* enc_gre: the IPv4 set in GRE (0x0800), the IPv6 set in GRE carrying
 * Ethernet (0x6558); outer 172.16.1.1 <-> 172.16.2.1. */
static void
sc_gre(struct cap *c)
{
	c->enc = ENC_GRE;
	std_v4(c);
	c->enc = ENC_GRE_ETH;
	std_v6(c);
}

/* An OSPFv3 hello (RFC 5340 A.3.2) from router id rid, with its
 * checksum over the IPv6 pseudo-header from s to d. */
static void
ospf6_hello(struct pkt *p, uint32_t rid, const struct addr *s,
    const struct addr *d)
{
	uint8_t	*h;

	pkt_init(p, NULL, 36);
	h = pkt_data(p);
	h[0] = 3;
	h[1] = 1;
	put16(h + 2, 36);
	put32(h + 4, rid);
	put32(h + 16, 5);			/* interface id */
	h[20] = 1;				/* priority */
	put32(h + 20, 0x01000013);		/* priority 1, options */
	put16(h + 24, 10);
	put16(h + 26, 40);
	put16(h + 12, ck_fold(ck_add(ck_pseudo(s, d, 89, 36), h, 36)));
}

/* lt_frelay: the standard set over Frame Relay (IPv4 by RFC 2427, IPv6
 * in Cisco's encapsulation) and OSPFv3 hellos from fe80::1 and fe80::2
 * to ff02::5 (IP protocol 89, hop limit 1), 3 each, 10 s apart. */
static void
sc_ospf6(struct cap *c)
{
	struct flow	f[2];
	int		i, r;

	std_v4(c);
	std_v6(c);
	flow_new(c, &f[0], 89, "fe80::1", 0, "ff02::5", 0);
	flow_new(c, &f[1], 89, "fe80::2", 0, "ff02::5", 0);
	for (i = 0; i < 3; i++) {
		for (r = 0; r < 2; r++) {
			f[r].ttl = 1;
			at(c, 6 * SEC + (uint64_t)i * 10 * SEC +
			    (uint64_t)r * 100 * MS);
			ospf6_hello(&pk, 0x0a000001 + (uint32_t)r, &f[r].ip[0],
			    &f[r].ip[1]);
			flow_ip(c, &f[r], 0, &pk);
		}
	}
}

/* lt_wlan: the standard set, then two protected (CCMP) data frames from
 * a station to the AP, which cannot be read. */
static void
sc_wlan(struct cap *c)
{
	uint8_t	fr[24 + 8 + 48];
	int	i;

	sc_std(c);
	for (i = 0; i < 2; i++) {
		memset(fr, 0, sizeof fr);
		fr[0] = 0x08;
		fr[1] = 0x41;			/* ToDS, protected */
		memcpy(fr + 4, "\x02\x11\x22\x33\x44\x55", 6);
		memcpy(fr + 10, "\x02\x00\x00\x00\x0e\x01", 6);
		memcpy(fr + 16, mac_router, 6);
		fr[24] = (uint8_t)(i + 1);	/* packet number, key id 0 */
		fr[27] = 0x20;			/* extended IV */
		rng_fill(c, fr + 32, sizeof fr - 32);
		at(c, 8 * SEC + (uint64_t)i * SEC);
		cap_frame(c, fr, sizeof fr);
	}
}

/* Give both sides of f the link-local address of their MAC's EUI-64. */
static void
lowpan_ll(struct flow *f)
{
	int	i;

	for (i = 0; i < 2; i++) {
		memset(f->ip[i].b, 0, 16);
		f->ip[i].b[0] = 0xfe;
		f->ip[i].b[1] = 0x80;
		wpan_eui64(f->mac[i], f->ip[i].b + 8);
		f->ip[i].b[8] ^= 0x02;
	}
}

/* lt_lowpan: 6LoWPAN IPHC on 802.15.4 (230): UDP between MAC-derived
 * link-local addresses with ports 0xf0b1/0xf0b2 (all compressed), UDP
 * 5683 between inline global addresses, ICMPv6 echo between fe80::1 and
 * fe80::2 (64-bit ids inline), UDP 5683 to ff02::1 (one byte). */
static void
sc_lowpan(struct cap *c)
{
	struct flow	f;
	char		msg[40];
	int		i;

	flow_new(c, &f, 17, "fd00::10", 0xf0b1, "fd00::20", 0xf0b2);
	lowpan_ll(&f);
	for (i = 0; i < 3; i++) {
		at(c, (uint64_t)i * SEC);
		snprintf(msg, sizeof msg, "GET /sensor/%d", i);
		udp_send(c, &f, 0, msg, strlen(msg));
		adv(c, 20 * MS);
		udp_send(c, &f, 1, "21.5 C", 6);
	}
	flow_new(c, &f, 17, "2001:db8::1", 5683, "2001:db8::2", 5683);
	at(c, 4 * SEC);
	udp_send(c, &f, 0, "coap request", 12);
	adv(c, 30 * MS);
	udp_send(c, &f, 1, "coap response!", 14);
	flow_new(c, &f, 58, "fe80::1", 0, "fe80::2", 0);
	at(c, 5 * SEC);
	ping(c, &f, 2, SEC);
	flow_new(c, &f, 17, "fd00::10", 5683, "ff02::1", 5683);
	lowpan_ll(&f);
	memcpy(f.ip[1].b, "\xff\x02\0\0\0\0\0\0\0\0\0\0\0\0\0\x01", 16);
	f.ttl = 255;
	for (i = 0; i < 2; i++) {
		at(c, 8 * SEC + (uint64_t)i * SEC);
		udp_send(c, &f, 0, "announce", 8);
	}
}

/* Frame the IP packet in p sent from side dir of f (Ethernet, type). */
static void
edge_frame(struct cap *c, const struct flow *f, int dir, struct pkt *p,
    uint16_t type)
{
	eth_push(p, f->mac[!dir], f->mac[dir], type);
	cap_frame(c, pkt_data(p), p->len);
	adv(c, 10 * MS);
}

/* Prepend an IPv4 header with the n bytes of options opt. */
static void
ip4opt_push(struct pkt *p, const struct flow *f, int dir, const uint8_t *opt,
    size_t n)
{
	uint8_t	*h = pkt_push(p, 20 + n);

	h[0] = 0x45 + n / 4;
	put16(h + 2, p->len);
	h[8] = 64;
	h[9] = f->proto;
	memcpy(h + 12, f->ip[dir].b, 4);
	memcpy(h + 16, f->ip[!dir].b, 4);
	memcpy(h + 20, opt, n);
	put16(h + 10, ck_fold(ck_add(0, h, 20 + n)));
}

/* A TCP segment from side dir of f with len bytes into p (no IP). */
static void
edge_tcp(struct flow *f, int dir, struct pkt *p, size_t len)
{
	static uint8_t	data[66000];

	memset(data, 'j', sizeof data);
	tcp_build(f, dir, p, TH_ACK | TH_PSH, data, len);
}

/* A jumbogram (RFC 2675: payload length 0, Jumbo Payload option) with a
 * 66,000-byte TCP segment, cut to 200 bytes, and its ACK. */
static void
edge_jumbo(struct cap *c)
{
	struct flow	 f;
	uint8_t		*h;

	flow_new(c, &f, 6, "2001:db8:e::1", 40001, "2001:db8:e::2", 80);
	edge_tcp(&f, 0, &pk, 66000);
	h = pkt_push(&pk, 8);
	memset(h, 0, 8);
	h[0] = 6;
	h[2] = 0xc2;
	h[3] = 4;
	put32(h + 4, pk.len);
	ip6_push(&pk, &f.ip[0], &f.ip[1], 0, 64);
	put16(pkt_data(&pk) + 4, 0);
	eth_push(&pk, f.mac[1], f.mac[0], ET_IP6);
	cap_add(c, pkt_data(&pk), 200, pk.len);
	adv(c, 10 * MS);
	tcp_build(&f, 1, &pk, TH_ACK, NULL, 0);
	ip6_push(&pk, &f.ip[1], &f.ip[0], 6, 64);
	edge_frame(c, &f, 1, &pk, ET_IP6);
}

/* BIG TCP in VXLAN: inner and outer IPv4 total length 0, UDP length 0. */
static void
edge_bigtcp(struct cap *c)
{
	struct flow	 f;
	struct addr	 o[2];

	flow_new(c, &f, 6, "10.9.2.1", 36875, "10.9.2.2", 36449);
	o[0] = addr_of("172.16.9.1");
	o[1] = addr_of("172.16.9.2");
	edge_tcp(&f, 0, &pk, 300);
	ip4_push(&pk, &f.ip[0], &f.ip[1], 6, 1, 0x4000, 64);
	put16(pkt_data(&pk) + 2, 0);
	eth_push(&pk, f.mac[1], f.mac[0], ET_IP4);
	vxlan_push(&pk, 7);
	udp_push(&pk, &o[0], &o[1], 47044, 4789, 1);
	put16(pkt_data(&pk) + 4, 0);
	ip4_push(&pk, &o[0], &o[1], 17, 2, 0, 64);
	put16(pkt_data(&pk) + 2, 0);
	edge_frame(c, &f, 0, &pk, ET_IP4);
}

/* IPv4 options: a router alert (read), one running past the header (read
 * as tshark does), a security option without its fields (a bad header),
 * none. */
static void
edge_ip4opt(struct cap *c)
{
	static const uint8_t	ra[4] = { 0x94, 0x04, 0, 0 };
	static const uint8_t	past[4] = { 0x6b, 0x25, 0, 0 };
	static const uint8_t	bad[8] = { 0x82, 0x02, 0xf1, 0x35 };
	struct flow		f;

	flow_new(c, &f, 17, "10.9.3.1", 5001, "10.9.3.2", 5002);
	pkt_init(&pk, "options", 7);
	udp_push(&pk, &f.ip[0], &f.ip[1], 5001, 5002, 0);
	ip4opt_push(&pk, &f, 0, ra, sizeof ra);
	edge_frame(c, &f, 0, &pk, ET_IP4);
	pkt_init(&pk, "past the end", 12);
	udp_push(&pk, &f.ip[0], &f.ip[1], 5001, 5002, 0);
	ip4opt_push(&pk, &f, 0, past, sizeof past);
	edge_frame(c, &f, 0, &pk, ET_IP4);
	pkt_init(&pk, "too short", 9);
	udp_push(&pk, &f.ip[0], &f.ip[1], 5001, 5002, 0);
	ip4opt_push(&pk, &f, 0, bad, sizeof bad);
	edge_frame(c, &f, 0, &pk, ET_IP4);
	udp_send(c, &f, 1, "none", 4);
}

/* IPv6 behind ethertype 0x0800 (tshark reads the version). */
static void
edge_v6in4type(struct cap *c)
{
	struct flow	f;

	flow_new(c, &f, 17, "2001:db8:e::11", 5003, "2001:db8:e::12", 5004);
	pkt_init(&pk, "version 6", 9);
	udp_push(&pk, &f.ip[0], &f.ip[1], 5003, 5004, 0);
	ip6_push(&pk, &f.ip[0], &f.ip[1], 17, 64);
	edge_frame(c, &f, 0, &pk, ET_IP4);
}

/* WCCP redirection in GRE 0x883e: with the WCCPv2 redirect header from
 * the client, without from the server. */
static void
edge_wccp(struct cap *c)
{
	struct flow	 f;
	struct addr	 o[2];
	int		 dir;

	flow_new(c, &f, 6, "10.9.5.1", 1291, "10.9.5.2", 445);
	o[0] = addr_of("172.16.5.1");
	o[1] = addr_of("172.16.5.2");
	for (dir = 0; dir < 2; dir++) {
		edge_tcp(&f, dir, &pk, 100);
		ip4_push(&pk, &f.ip[dir], &f.ip[!dir], 6, 3, 0x4000, 64);
		if (dir == 0)
			put32(pkt_push(&pk, 4), 0x00000010);
		gre_push(&pk, 0x883e);
		ip4_push(&pk, &o[dir], &o[!dir], 47, 4, 0, 64);
		edge_frame(c, &f, dir, &pk, ET_IP4);
	}
}

/* IPv6 destination options: PadN (read), then an option running past
 * the header (a bad header). */
static void
edge_dstopts(struct cap *c)
{
	struct flow	 f;
	uint8_t		*h;

	flow_new(c, &f, 17, "2001:db8:e::21", 5005, "2001:db8:e::22", 5006);
	pkt_init(&pk, "padn", 4);
	udp_push(&pk, &f.ip[0], &f.ip[1], 5005, 5006, 0);
	ip6_opt_push(&pk, 17);
	ip6_push(&pk, &f.ip[0], &f.ip[1], 60, 64);
	edge_frame(c, &f, 0, &pk, ET_IP6);
	pkt_init(&pk, "past", 4);
	udp_push(&pk, &f.ip[0], &f.ip[1], 5005, 5006, 0);
	h = pkt_push(&pk, 8);
	memset(h, 0, 8);
	h[0] = 17;
	h[2] = 0xca;
	h[3] = 40;
	ip6_push(&pk, &f.ip[0], &f.ip[1], 60, 64);
	edge_frame(c, &f, 0, &pk, ET_IP6);
}

/* IPv6 atomic fragments (RFC 6946: offset 0, no more) both ways. */
static void
edge_atomic(struct cap *c)
{
	struct flow	f;
	int		dir;

	flow_new(c, &f, 17, "2001:db8:e::31", 5007, "2001:db8:e::32", 5008);
	for (dir = 0; dir < 2; dir++) {
		pkt_init(&pk, "atomic", 6);
		udp_push(&pk, &f.ip[dir], &f.ip[!dir], f.port[dir],
		    f.port[!dir], 0);
		ip6_frag_push(&pk, 17, 0, 0, 0x1234 + dir);
		ip6_push(&pk, &f.ip[dir], &f.ip[!dir], 44, 64);
		edge_frame(c, &f, dir, &pk, ET_IP6);
	}
}

/* A GTP-U G-PDU whose outer IPv4 datagram comes in two fragments. */
static void
edge_gtpfrag(struct cap *c)
{
	struct flow	 f;
	struct addr	 o[2];
	size_t		 len, off, n;

	flow_new(c, &f, 6, "10.9.8.1", 40000, "10.9.8.2", 80);
	o[0] = addr_of("172.16.8.1");
	o[1] = addr_of("172.16.8.2");
	edge_tcp(&f, 0, &pk, 1200);
	ip4_push(&pk, &f.ip[0], &f.ip[1], 6, 5, 0x4000, 64);
	gtpu_push(&pk, 0x1000);
	udp_push(&pk, &o[0], &o[1], 2152, 2152, 0);
	len = pk.len;
	for (off = 0; off < len; off += 800) {
		n = len - off < 800 ? len - off : 800;
		pkt_init(&pk2, pkt_data(&pk) + off, n);
		ip4_push(&pk2, &o[0], &o[1], 17, 6,
		    (off + n < len ? 0x2000 : 0) | off / 8, 64);
		edge_frame(c, &f, 0, &pk2, ET_IP4);
	}
}

/* ip_edges: corners of IP tshark reads its own way, one flow each. */
static void
sc_ip_edges(struct cap *c)
{
	edge_jumbo(c);
	edge_bigtcp(c);
	edge_ip4opt(c);
	edge_v6in4type(c);
	edge_wccp(c);
	edge_dstopts(c);
	edge_atomic(c);
	edge_gtpfrag(c);
}

/* pcapng_mixed: the IPv4 set on interface 0 (Ethernet), the IPv6 set on
 * interface 1 (raw IP, link type 101). */
static void
sc_mixed(struct cap *c)
{
	c->iface = 0;
	std_v4(c);
	c->iface = 1;
	std_v6(c);
}

/* pcapng_sll: two interfaces as Wireshark writes them, different link
 * types and snap lengths: the IPv4 set on interface 0 (Ethernet, 262144),
 * the IPv6 set on interface 1 (Linux cooked, 113) with snap length 96 and
 * its records cut to it (24 records each; libpcap 1.10 refuses the file). */
static void
sc_ng_sll(struct cap *c)
{
	c->ifsnap[1] = 96;
	c->iface = 0;
	std_v4(c);
	c->iface = 1;
	c->snap = 96;
	std_v6(c);
	c->snap = 0;
}

/* split_time: no jitter.  UDP 10.0.0.5:40600 -> 10.0.0.6:9000, one packet
 * every 10 s from t=0 to t=230 (24): with "split when ts - start > 60 s"
 * the fragments hold 7, 7, 7 and 3 packets (starts 0, 70, 140, 210).
 * TCP 10.0.0.5:50600 -> 10.0.0.6:9001: handshake at 0 s, a data segment
 * every 10 s from 10 to 220, FIN/FIN/ACK at 230 s: 9, 7, 7, 5 packets. */
static void
sc_split_time(struct cap *c)
{
	struct flow	u, t;
	char		msg[32];
	int		i;

	c->jitter = 0;
	flow_new(c, &u, 17, "10.0.0.5", 40600, "10.0.0.6", 9000);
	flow_new(c, &t, 6, "10.0.0.5", 50600, "10.0.0.6", 9001);
	for (i = 0; i <= 23; i++) {
		at(c, i * 10 * SEC);
		snprintf(msg, sizeof msg, "tick %02d", i);
		udp_send(c, &u, i % 2, msg, strlen(msg));
	}
	at(c, 0);
	t.rtt = 2 * MS;
	tcp_open(c, &t);
	for (i = 1; i <= 22; i++) {
		at(c, i * 10 * SEC);
		snprintf(msg, sizeof msg, "beat %02d\n", i);
		tcp_seg(c, &t, i % 2, TH_PSH | TH_ACK, msg, strlen(msg));
	}
	at(c, 230 * SEC);
	tcp_close(c, &t, 0);
}

/* split_size: TCP 10.0.0.5:50500 <- 10.0.0.200:8000, a GET answered by
 * 70000 full-size segments (1514 bytes on the wire, 96 captured) with an
 * ACK every 8th: about 101.5 MiB in 0.9 s, so 4 fragments at 32 MiB. */
static void
sc_split_size(struct cap *c)
{
	static uint8_t	data[MSS];
	struct flow	f;
	struct bytes	req = { NULL, 0, 0 };
	int		i;

	flow_new(c, &f, 6, "10.0.0.5", 50500, "10.0.0.200", 8000);
	at(c, 0);
	http_req(&req, "GET", "10.0.0.200:8000", "/backup.tar", ua_curl);
	tcp_open(c, &f);
	tcp_send(c, &f, 0, req.p, req.len);
	for (i = 0; i < MSS; i++)
		data[i] = "0123456789abcdef"[i % 16];
	c->snap = 96;
	for (i = 1; i <= 70000; i++) {
		adv(c, 12 * US);
		put32(data, i);
		tcp_seg(c, &f, 1, TH_ACK, data, MSS);
		if (i % 8 == 0)
			tcp_seg(c, &f, 0, TH_ACK, NULL, 0);
	}
	c->snap = 0;
	tcp_close(c, &f, 1);
	free(req.p);
}

/* frags: UDP 10.0.0.5:40500 -> 10.0.0.6:7000, a 3000-byte datagram in
 * fragments sent 0, 2, 1, then a small reply; a 4000-byte ping 10.0.0.5 ->
 * 192.0.2.50 fragmented both ways; UDP fd00::5:40501 -> fd00::6:7001 in
 * three IPv6 fragments; UDP 10.0.0.5:40502 -> 10.0.0.7:7002 whose last
 * fragment (2 of 3) never arrives. */
static void
sc_frags(struct cap *c)
{
	static const int	swap[] = { 0, 2, 1, -1 }, all[] = { 0, 1, 2, -1 };
	static const int	cut[] = { 0, 1, -1 };
	static uint8_t		buf[4000];
	struct flow		f;

	rng_fill(c, buf, sizeof buf);
	flow_new(c, &f, 17, "10.0.0.5", 40500, "10.0.0.6", 7000);
	at(c, 0);
	pkt_init(&pk, buf, 2992);
	udp_push(&pk, &f.ip[0], &f.ip[1], 40500, 7000, 0);
	flow_frags(c, &f, 0, &pk, 1480, swap);
	adv(c, f.rtt);
	udp_send(c, &f, 1, "ok", 2);
	flow_new(c, &f, 1, "10.0.0.5", 0, "192.0.2.50", 0);
	at(c, SEC);
	icmp_build(&f, 0, &pk, 0, buf, 4000);
	flow_frags(c, &f, 0, &pk, 1480, all);
	adv(c, f.rtt);
	icmp_build(&f, 1, &pk, 1, buf, 4000);
	flow_frags(c, &f, 1, &pk, 1480, all);
	flow_new(c, &f, 17, "fd00::5", 40501, "fd00::6", 7001);
	at(c, 2 * SEC);
	pkt_init(&pk, buf, 2992);
	udp_push(&pk, &f.ip[0], &f.ip[1], 40501, 7001, 0);
	flow_frags(c, &f, 0, &pk, 1448, all);
	flow_new(c, &f, 17, "10.0.0.5", 40502, "10.0.0.7", 7002);
	at(c, 3 * SEC);
	pkt_init(&pk, buf, 3492);
	udp_push(&pk, &f.ip[0], &f.ip[1], 40502, 7002, 0);
	flow_frags(c, &f, 0, &pk, 1480, cut);
}

/* Build Ethernet/IPv4/UDP a:5000 -> b:6000 carrying data into pk. */
static void
raw_udp4(const char *a, const char *b, const void *data, size_t len)
{
	struct addr	s = addr_of(a), d = addr_of(b);
	uint8_t		smac[6], dmac[6];

	addr_mac(&s, smac);
	addr_mac(&d, dmac);
	pkt_init(&pk, data, len);
	udp_push(&pk, &s, &d, 5000, 6000, 0);
	ip4_push(&pk, &s, &d, 17, 0x1111, 0, 64);
	eth_push(&pk, dmac, smac, ET_IP4);
}

/* Recompute the IPv4 header checksum of the frame in pk. */
static void
raw_ip4_cksum(void)
{
	uint8_t	*h = pkt_data(&pk) + 14;

	put16(h + 10, 0);
	put16(h + 10, ck_fold(ck_add(0, h, (h[0] & 0x0f) * 4)));
}

/* malformed: frames whose IPv4 header does not decode. */
static void
mal_ip4(struct cap *c)
{
	uint8_t	*h;

	raw_udp4("10.9.9.1", "10.9.9.2", "IHL of 3", 8);
	h = pkt_data(&pk) + 14;
	h[0] = 0x43;
	cap_frame(c, pkt_data(&pk), pk.len);
	adv(c, 100 * MS);
	raw_udp4("10.9.9.3", "10.9.9.4", "version 7", 9);
	h = pkt_data(&pk) + 14;
	h[0] = 0x75;
	cap_frame(c, pkt_data(&pk), pk.len);
	adv(c, 100 * MS);
	raw_udp4("10.9.9.5", "10.9.9.6", "total length 16", 15);
	h = pkt_data(&pk) + 14;
	put16(h + 2, 16);
	raw_ip4_cksum();
	cap_frame(c, pkt_data(&pk), pk.len);
}

/* malformed: a TCP SYN cut by caplen after 2 bytes of TCP header, and a
 * UDP header that the IPv4 total length cuts to 2 bytes (padded frame). */
static void
mal_l4(struct cap *c)
{
	struct flow	f;
	uint8_t		frame[60];

	flow_new(c, &f, 6, "10.9.9.7", 41000, "10.9.9.8", 80);
	tcp_build(&f, 0, &pk, TH_SYN, NULL, 0);
	ip4_push(&pk, &f.ip[0], &f.ip[1], 6, 0x2222, 0x4000, 64);
	eth_push(&pk, f.mac[1], f.mac[0], ET_IP4);
	cap_add(c, pkt_data(&pk), 14 + 20 + 2, pk.len);
	adv(c, 100 * MS);
	raw_udp4("10.9.9.9", "10.9.9.10", NULL, 0);
	put16(pkt_data(&pk) + 14 + 2, 22);
	raw_ip4_cksum();
	memset(frame, 0, sizeof frame);
	memcpy(frame, pkt_data(&pk), 14 + 22);
	cap_frame(c, frame, sizeof frame);
}

/* malformed: frames that are not IP or not even Ethernet. */
static void
mal_link(struct cap *c)
{
	static const uint8_t	bpdu[] = { 0x42, 0x42, 0x03, 0, 0, 0, 0, 0,
				    0x80, 0, 0x02, 0, 0x0a, 0x09, 0x09, 0x0d,
				    0, 0, 0, 0, 0x80, 0, 0x02, 0, 0x0a, 0x09,
				    0x09, 0x0d, 0x80, 0x01, 0, 0, 0x14, 0,
				    0x02, 0, 0x0f, 0 };
	static const uint8_t	stp[6] = { 0x01, 0x80, 0xc2, 0, 0, 0 };
	uint8_t			frame[60];

	raw_udp4("10.9.9.11", "10.9.9.12", "cut short", 9);
	cap_frame(c, pkt_data(&pk), 10);
	adv(c, 100 * MS);
	cap_add(c, NULL, 0, 0);
	adv(c, 100 * MS);
	memset(frame, 0, sizeof frame);
	memcpy(frame, stp, 6);
	memcpy(frame + 6, "\x02\x00\x0a\x09\x09\x0d", 6);
	put16(frame + 12, sizeof bpdu);
	memcpy(frame + 14, bpdu, sizeof bpdu);
	cap_frame(c, frame, sizeof frame);
	adv(c, 100 * MS);
	memcpy(frame, mac_bcast, 6);
	put16(frame + 12, 0x88b5);
	memcpy(frame + 14, "local experimental ethertype", 28);
	cap_frame(c, frame, sizeof frame);
}

/* malformed: an IPv6 header cut to 30 of its 40 bytes. */
static void
mal_ip6(struct cap *c)
{
	struct flow	f;

	flow_new(c, &f, 17, "fd00::99", 5000, "fd00::98", 6000);
	pkt_init(&pk, "short", 5);
	udp_push(&pk, &f.ip[0], &f.ip[1], 5000, 6000, 0);
	ip6_push(&pk, &f.ip[0], &f.ip[1], 17, 64);
	eth_push(&pk, f.mac[1], f.mac[0], ET_IP6);
	cap_add(c, pkt_data(&pk), 14 + 30, pk.len);
}

/* malformed: HTTP 10.0.0.5:50200 -> 93.184.216.34:80 whose response
 * segments were captured with a 100-byte snap length (still a session). */
static void
mal_snap(struct cap *c)
{
	struct flow	f;
	struct bytes	req = { NULL, 0, 0 }, resp = { NULL, 0, 0 };

	flow_new(c, &f, 6, "10.0.0.5", 50200, "93.184.216.34", 80);
	http_req(&req, "GET", "www.example.com", "/big", ua_curl);
	http_resp(&resp, "200 OK", "ECS (nyb/1D2E)", "text/html", 4000);
	tcp_open(c, &f);
	tcp_send(c, &f, 0, req.p, req.len);
	c->snap = 100;
	tcp_send(c, &f, 1, resp.p, resp.len);
	c->snap = 0;
	tcp_close(c, &f, 0);
	free(req.p);
	free(resp.p);
}

/* malformed: the standard IPv4 set (0-6 s), then from 10 s a 10-byte
 * frame, a zero-length record, an STP BPDU (LLC), ethertype 0x88b5, IPv4
 * with IHL 3, version 7 and total length 16, a TCP header cut to 2 bytes
 * by caplen, a UDP header cut to 2 bytes by the IPv4 length, an IPv6
 * header cut to 30 bytes, and an HTTP session captured with snap 100. */
static void
sc_malformed(struct cap *c)
{
	std_v4(c);
	at(c, 10 * SEC);
	mal_link(c);
	adv(c, 100 * MS);
	mal_ip4(c);
	adv(c, 100 * MS);
	mal_l4(c);
	adv(c, 100 * MS);
	mal_ip6(c);
	at(c, 12 * SEC);
	mal_snap(c);
}

/* A ptunnel-style payload of n bytes (magic 0xd5200880, a 28-byte header,
 * then random data that every 16th packet starts with protocol text). */
static void
tun_payload(struct cap *c, uint8_t *p, size_t n, uint32_t seq, int reply)
{
	static const char	*texts[] = {
		"SSH-2.0-OpenSSH_8.9p1 Ubuntu-3ubuntu0.6\r\n",
		("GET /upload.php HTTP/1.1\r\nHost: 192.168.50.10\r\n"
		    "User-Agent: python-requests/2.31.0\r\n\r\n"),
		"220 mail.corp.example ESMTP Postfix\r\n"
	};
	const char		*t;

	rng_fill(c, p, n);
	put32(p, 0xd5200880);
	put32(p + 4, 0xc0a8320a);
	put32(p + 8, 22);
	put32(p + 12, reply ? 2 : 1);
	put32(p + 16, seq);
	put32(p + 20, n - 28);
	put16(p + 24, seq);
	put16(p + 26, 0x5e11);
	if (seq % 16 == 0) {
		t = texts[seq / 16 % nitems(texts)];
		memcpy(p + 28, t, strlen(t));
	}
}

/* The ICMP tunnel 10.1.1.10 <-> 203.0.113.7 from t: 700 echo pairs of
 * 200-1400 random bytes each way in the first 58 s (about 1.2 MB), then
 * 60 slower pairs from t+60.5 s to t+130.2 s: split in fragments of 1400
 * (1,169,171 bytes), 102 and 18 packets; and Linux pings 10.1.1.10 ->
 * 8.8.4.4 (4 pairs) at t+30 s. */
static void
gen_icmp_tunnel(struct cap *c, uint64_t t)
{
	static uint8_t	q[1400], r[1400];
	struct flow	f;
	size_t		nq, nr;
	uint32_t	i;

	flow_new(c, &f, 1, "10.1.1.10", 0, "203.0.113.7", 0);
	f.rtt = 30 * MS;
	at(c, t);
	for (i = 0; i < 760; i++) {
		if (i == 700)
			at(c, t + 60500 * MS);
		nq = rng_range(c, 200, 1400);
		nr = rng_range(c, 200, 1400);
		tun_payload(c, q, nq, i, 0);
		tun_payload(c, r, nr, i, 1);
		icmp_send(c, &f, 0, 0, q, nq);
		adv(c, f.rtt);
		icmp_send(c, &f, 1, 1, r, nr);
		f.icmpseq++;
		adv(c, i < 700 ? 52 * MS : 1150 * MS);
	}
	flow_new(c, &f, 1, "10.1.1.10", 0, "8.8.4.4", 0);
	at(c, t + 30 * SEC);
	ping(c, &f, 4, SEC);
}

/* One tunnel query: three random base32 labels under t.example-tunnel.com,
 * TXT (base64 answer) when i is even, NULL (binary answer) when odd. */
static void
dns_tunnel_query(struct cap *c, struct flow *f, int i)
{
	static const char	b32[] = "abcdefghijklmnopqrstuvwxyz234567";
	static const char	b64[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmn"
				    "opqrstuvwxyz0123456789+/";
	struct dns		q, r;
	char			name[256], txt[256];
	uint8_t			rd[300];
	size_t			n;

	rng_text(c, name, 63, b32);
	name[63] = '.';
	rng_text(c, name + 64, 63, b32);
	name[127] = '.';
	n = rng_range(c, 10, 40);
	rng_text(c, name + 128, n, b32);
	strcpy(name + 128 + n, ".t.example-tunnel.com");
	dns_query(&q, rng_next(c), name, i % 2 ? 10 : 16);
	dns_reply(&r, &q, 0);
	n = rng_range(c, 100, 220);
	if (i % 2 == 0) {
		rng_text(c, txt, n, b64);
		dns_rr(&r, 12, 16, 0, rd, dns_txt(rd, txt, n));
	} else {
		rng_fill(c, rd, n);
		dns_rr(&r, 12, 10, 0, rd, n);
	}
	dns_exchange(c, f, &q, &r);
}

/* Ordinary lookups beside the tunnel: A www.example.com three times, the
 * SPF TXT of example.com and a long DKIM TXT (2048-bit key). */
static void
dns_ordinary(struct cap *c, uint64_t t)
{
	static const char	b64[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmn"
				    "opqrstuvwxyz0123456789+/";
	static const char	spf[] = "v=spf1 ip4:192.0.2.0/24 "
				    "include:_spf.example.com ~all";
	char			dkim[512];
	struct flow		f;
	int			i;

	for (i = 0; i < 3; i++) {
		flow_new(c, &f, 17, "10.1.1.20", 50001 + i, "10.1.1.53", 53);
		at(c, t + (10 + 30 * i) * SEC);
		dns_lookup(c, &f, "www.example.com", "93.184.216.34", 3600);
	}
	flow_new(c, &f, 17, "10.1.1.20", 50010, "10.1.1.53", 53);
	at(c, t + 20 * SEC);
	dns_lookup_txt(c, &f, "example.com", spf, sizeof spf - 1);
	strcpy(dkim, "v=DKIM1; k=rsa; p=MIIBIjANBgkqhkiG9w0BAQEFAAOCAQ8AMIIBCgKCAQEA");
	rng_text(c, dkim + strlen(dkim), 330, b64);
	strcat(dkim, "IDAQAB");
	flow_new(c, &f, 17, "10.1.1.20", 50011, "10.1.1.53", 53);
	at(c, t + 21 * SEC);
	dns_lookup_txt(c, &f, "selector1._domainkey.example.com", dkim,
	    strlen(dkim));
}

/* A plain-text (not DNS) TCP session 10.1.1.20:45000 -> 10.1.1.53:53. */
static void
dns_port_text(struct cap *c, uint64_t t)
{
	static const char	*lines[] = {
		"HELLO relay v2\r\n", "OK ready\r\n",
		"CONNECT 10.99.0.4:3389\r\n", "OK connected\r\n",
		"SEND 512 bytes of clipboard text follow\r\n", "OK\r\n"
	};
	struct flow		f;
	size_t			i;

	flow_new(c, &f, 6, "10.1.1.20", 45000, "10.1.1.53", 53);
	at(c, t);
	tcp_open(c, &f);
	for (i = 0; i < nitems(lines); i++)
		tcp_send(c, &f, i % 2, lines[i], strlen(lines[i]));
	tcp_close(c, &f, 0);
}

/* The DNS tunnel from t: 300 queries 10.1.1.20:41000 -> 10.1.1.53:53 one
 * every 412 ms (124 s, so split in three: queries 0-145, 146-291, 292-299),
 * plus dns_ordinary and dns_port_text at t+45 s. */
static void
gen_dns_tunnel(struct cap *c, uint64_t t)
{
	struct flow	f;
	int		i;

	flow_new(c, &f, 17, "10.1.1.20", 41000, "10.1.1.53", 53);
	f.rtt = 2 * MS;
	at(c, t);
	for (i = 0; i < 300; i++) {
		dns_tunnel_query(c, &f, i);
		adv(c, 410 * MS);
	}
	dns_ordinary(c, t);
	dns_port_text(c, t + 45 * SEC);
}

/* corr_dns: a DNS tunnel through the resolver 10.3.0.53, one query per
 * session as a resolver makes it: 10.3.0.20 asks A for 30 random hex
 * characters under t.exfil-example.org, 120 queries 2 s apart, each from
 * a new source port (a weak sign each: a base32-looking label only).
 * Beside it, the benign twin: 10.3.0.21-24 look up 300 ordinary names
 * under cdn-example.net (img<N>.static., 0.8 s apart) and 10 hashed ones
 * (32 hex characters), and the SPF and a DKIM TXT of example.com, each
 * from a new port. */
static void
sc_corr_dns(struct cap *c)
{
	static const char	hex[] = "0123456789abcdef";
	static const char	dkim[] = "v=DKIM1; k=rsa; p=MIIBIjANBgkqhkiG9w0B"
				    "AQEFAAOCAQ8AMIIBCgKCAQEAx2b9Kq7Zr1YwT0uVf3nH8sLm"
				    "QpXc4eRjD6aGtUoBiN5yWkE2hS+vFzC1lMdPqA7nIDAQAB";
	char			name[128], label[40];
	struct flow		f;
	int			i, port = 20000;

	for (i = 0; i < 120; i++) {
		flow_new(c, &f, 17, "10.3.0.20", port++, "10.3.0.53", 53);
		at(c, (uint64_t)i * 2 * SEC);
		rng_text(c, label, 30, hex);
		snprintf(name, sizeof name, "%s.t.exfil-example.org", label);
		dns_lookup(c, &f, name, "192.0.2.1", 0);
	}
	for (i = 0; i < 310; i++) {
		snprintf(name, sizeof name, "10.3.0.%d", 21 + i % 4);
		flow_new(c, &f, 17, name, port++, "10.3.0.53", 53);
		at(c, (uint64_t)i * 800 * MS + 100 * MS);
		if (i % 31 == 30) {
			rng_text(c, label, 32, hex);
			snprintf(name, sizeof name, "%s.cdn-example.net", label);
		} else
			snprintf(name, sizeof name, "img%d.static.cdn-example.net",
			    i);
		dns_lookup(c, &f, name, "198.51.100.80", 300);
	}
	flow_new(c, &f, 17, "10.3.0.21", port++, "10.3.0.53", 53);
	at(c, 30 * SEC);
	dns_lookup_txt(c, &f, "example.com", "v=spf1 ip4:192.0.2.0/24 ~all",
	    28);
	flow_new(c, &f, 17, "10.3.0.22", port++, "10.3.0.53", 53);
	at(c, 31 * SEC);
	dns_lookup_txt(c, &f, "selector1._domainkey.example.com", dkim,
	    sizeof dkim - 1);
}

/* One echo pair of its own (a new ping, so a new ident) from f's client,
 * with payload p of n bytes echoed back. */
static void
corr_ping1(struct cap *c, struct flow *f, const uint8_t *p, size_t n)
{
	f->icmpid = rng_range(c, 1000, 60000);
	f->icmpseq = 1;
	icmp_send(c, f, 0, 0, p, n);
	adv(c, f->rtt);
	icmp_send(c, f, 1, 1, p, n);
}

/* corr_icmp: exfiltration spread over ICMP, 10.4.0.30 sends one echo
 * request each (answered) to 198.51.100.1-40, 3 s apart: 40 one-packet
 * sessions whose 56-byte payload is a timeval then 40 bytes of data that
 * change every packet.  Its benign twins: monitoring, 10.4.0.5 pings
 * 10.4.1.1-20 once each every 30 s for 5 min (Linux ping payload), and
 * 10.4.0.31 sends three such data pings to one host, 198.51.100.99. */
static void
sc_corr_icmp(struct cap *c)
{
	uint8_t		pl[56];
	char		dst[32];
	struct flow	f;
	int		i;

	for (i = 0; i < 40; i++) {
		snprintf(dst, sizeof dst, "198.51.100.%d", 1 + i);
		flow_new(c, &f, 1, "10.4.0.30", 0, dst, 0);
		at(c, (uint64_t)i * 3 * SEC);
		ping_payload(c, pl);
		rng_fill(c, pl + 16, 40);
		corr_ping1(c, &f, pl, sizeof pl);
	}
	flow_new(c, &f, 1, "10.4.0.31", 0, "198.51.100.99", 0);
	for (i = 0; i < 3; i++) {
		at(c, (uint64_t)i * 5 * SEC);
		ping_payload(c, pl);
		rng_fill(c, pl + 16, 40);
		corr_ping1(c, &f, pl, sizeof pl);
	}
	for (i = 0; i < 200; i++) {
		snprintf(dst, sizeof dst, "10.4.1.%d", 1 + i % 20);
		flow_new(c, &f, 1, "10.4.0.5", 0, dst, 0);
		at(c, (uint64_t)(i / 20) * 30 * SEC + (uint64_t)(i % 20) * 50 *
		    MS);
		ping_payload(c, pl);
		corr_ping1(c, &f, pl, sizeof pl);
	}
}

/* The payload of Linux ping -s n -p PAT: the pattern from offset 0, the
 * timeval over its first 16 bytes. */
static void
pingp_payload(const struct cap *c, uint8_t *p, size_t n, const uint8_t *pat,
    size_t per)
{
	uint8_t	ts[56];
	size_t	i;

	for (i = 0; i < n; i++)
		p[i] = pat[i % per];
	ping_payload(c, ts);
	memcpy(p, ts, 16);
}

/* One ping -c 1 -p PAT (a new process: a new ident, so a session of its
 * own) from f's client at t. */
static void
pingp_once(struct cap *c, struct flow *f, uint64_t t, const uint8_t *pat,
    size_t per)
{
	uint8_t	pl[56];

	at(c, t);
	pingp_payload(c, pl, sizeof pl, pat, per);
	corr_ping1(c, f, pl, sizeof pl);
}

/* corr_pingp: ping -p exfiltration, the next 16 bytes of a text as the
 * pattern of each ping -c 1 -p: 10.4.0.50 low and slow, 20 pings to
 * 198.51.100.7 75 s apart (past the idle timeout: one echo per session),
 * and 10.4.0.55 in a hurry, 20 pings to 198.51.100.8 1 s apart (one
 * session).  Their benign twins: 10.4.0.51's monitoring runs ping -c 1 -p
 * aa55 to 10.4.1.1 every 10 s for 5 min (one pattern); 10.4.0.52 tries -p
 * ff, -p 55aa and -p 0f0f0f0f on 10.4.1.2 by hand; 10.4.0.53 sends five
 * 1,400-byte Linux pings to 10.4.1.3 (the fill cycles through every byte
 * value); 10.4.0.54 pings 10.4.1.4 with fping's zeros and a router's
 * 0xabcd fill.  And a ptunnel-ng session (magic 0xdeadc0de) 10.4.0.60 <->
 * 203.0.113.9. */
static void
sc_corr_pingp(struct cap *c)
{
	static const char	text[] = "Q3 board minutes: acquisition of "
				    "Northwind closes 14 March, price 41.20 a "
				    "share; tell nobody. Wire instructions to "
				    "follow under separate cover, account "
				    "8841-2290-1147, reference NW-ALPHA. "
				    "Attendees: the chair, the CFO, counsel and "
				    "two advisers from the bank, who asked for "
				    "the data room to stay open until the end "
				    "of April. Next meeting: 2 April, 09:30, "
				    "room 4.12; the agenda goes out a week "
				    "before. Delete after reading.";
	static const uint8_t	tries[][4] = { { 0xff }, { 0x55, 0xaa },
				    { 0x0f, 0x0f, 0x0f, 0x0f } };
	static const uint8_t	cisco[2] = { 0xab, 0xcd }, zero[1] = { 0 };
	const uint8_t		*chunk = (const uint8_t *)text;
	uint8_t			pl[1400], hdr[28];
	struct flow		f;
	size_t			j;
	int			i;

	for (i = 0; i < 20; i++) {
		flow_new(c, &f, 1, "10.4.0.50", 0, "198.51.100.7", 0);
		pingp_once(c, &f, (uint64_t)i * 75 * SEC, chunk + 16 * i, 16);
		flow_new(c, &f, 1, "10.4.0.55", 0, "198.51.100.8", 0);
		pingp_once(c, &f, (uint64_t)i * SEC + 200 * MS,
		    chunk + 16 * (i + 6) % (sizeof text - 17), 16);
	}
	for (i = 0; i < 30; i++) {
		flow_new(c, &f, 1, "10.4.0.51", 0, "10.4.1.1", 0);
		pingp_once(c, &f, (uint64_t)i * 10 * SEC + 300 * MS,
		    (const uint8_t *)"\xaa\x55", 2);
	}
	for (i = 0; i < 3; i++) {
		flow_new(c, &f, 1, "10.4.0.52", 0, "10.4.1.2", 0);
		pingp_once(c, &f, (uint64_t)i * 20 * SEC + 700 * MS, tries[i],
		    i == 0 ? 1 : i == 1 ? 2 : 4);
	}
	flow_new(c, &f, 1, "10.4.0.53", 0, "10.4.1.3", 0);
	for (i = 0; i < 5; i++) {
		at(c, (uint64_t)i * SEC + 900 * MS);
		ping_payload(c, pl);
		for (j = 16; j < sizeof pl; j++)
			pl[j] = (uint8_t)j;
		icmp_send(c, &f, 0, 0, pl, sizeof pl);
		adv(c, f.rtt);
		icmp_send(c, &f, 1, 1, pl, sizeof pl);
		f.icmpseq++;
	}
	flow_new(c, &f, 1, "10.4.0.54", 0, "10.4.1.4", 0);
	pingp_once(c, &f, 10 * SEC, zero, 1);
	flow_new(c, &f, 1, "10.4.0.54", 0, "10.4.1.4", 0);
	at(c, 11 * SEC);
	pingp_payload(c, pl, 72, cisco, 2);
	memset(pl, 0, 8);
	corr_ping1(c, &f, pl, 72);
	flow_new(c, &f, 1, "10.4.0.60", 0, "203.0.113.9", 0);
	for (i = 0; i < 10; i++) {
		at(c, 20 * SEC + (uint64_t)i * 500 * MS);
		memset(hdr, 0, sizeof hdr);
		put32(hdr, 0xdeadc0de);
		put32(hdr + 4, 0xc0a80a05);
		put32(hdr + 8, 22);
		put32(hdr + 12, i == 0 ? 0 : 1);
		put16(hdr + 26, (uint32_t)i);
		icmp_send(c, &f, 0, 0, hdr, sizeof hdr);
		adv(c, f.rtt);
		hdr[15] = 2;
		icmp_send(c, &f, 1, 1, hdr, sizeof hdr);
		f.icmpseq++;
	}
}

/* corr_mdns: mDNS service discovery, the benign twin of a DNS tunnel's
 * encoded names: 40 hosts 10.6.0.1-40 (one-shot queries from a new port
 * each, 3 s apart) browse _googlecast._tcp.local, and 10.6.0.100 answers
 * from 5353 with instances named Chromecast-<32 hex>._googlecast._tcp.local
 * and long spaced instance names under _airplay._tcp.local. */
static void
sc_corr_mdns(struct cap *c)
{
	static const char	hex[] = "0123456789abcdef";
	char			src[32], inst[160], label[40];
	struct flow		f;
	struct dns		q, r;
	uint8_t			rd[256];
	size_t			rl;
	int			i;

	for (i = 0; i < 40; i++) {
		snprintf(src, sizeof src, "10.6.0.%d", 1 + i);
		flow_new(c, &f, 17, src, 40000 + i, "224.0.0.251", 5353);
		at(c, (uint64_t)i * 3 * SEC);
		dns_query(&q, (uint16_t)(0x100 + i), i % 2 ?
		    "_googlecast._tcp.local" : "_airplay._tcp.local", 12);
		put16(q.b + 2, 0);
		udp_send(c, &f, 0, q.b, q.len);
		flow_new(c, &f, 17, "10.6.0.100", 5353, "224.0.0.251", 5353);
		adv(c, 20 * MS);
		rng_text(c, label, 32, hex);
		if (i % 2)
			snprintf(inst, sizeof inst, "Chromecast-Ultra-%s."
			    "_googlecast._tcp.local", label);
		else
			snprintf(inst, sizeof inst, "Room %d Apple TV (4th "
			    "floor) %s._airplay._tcp.local",
			    i, label);
		dns_reply(&r, &q, 0);
		put16(r.b + 2, 0x8400);
		rl = dns_labels(rd, inst);
		dns_rr(&r, 12, 12, 120, rd, rl);
		udp_send(c, &f, 0, r.b, r.len);
	}
}

/* One short HTTPS-like exchange from client a to b:443 at t. */
static void
corr_connect(struct cap *c, const char *a, int port, const char *b,
    uint64_t t)
{
	struct bytes	req = { 0 }, resp = { 0 };
	struct flow	f;
	uint8_t		d[300];

	flow_new(c, &f, 6, a, port, b, 443);
	at(c, t);
	rng_fill(c, d, sizeof d);
	bytes_add(&req, d, 180);
	bytes_add(&resp, d, 300);
	tcp_exchange(c, &f, &req, &resp);
	free(req.p);
	free(resp.p);
}

/* corr_beacon: a beacon, 10.5.0.40 -> 203.0.113.80:443, a short TCP
 * exchange every 60 s +- 6 s, 20 times (a new source port each); its
 * benign twins: 10.5.0.42 -> 203.0.113.81:443 20 times at irregular gaps
 * (5 to 300 s), and NTP 10.5.0.41:123 -> 192.0.2.123:123 every 64 s, 20
 * times (a session each: the gap passes the idle timeout). */
static void
sc_corr_beacon(struct cap *c)
{
	struct flow	f;
	uint64_t	t = 0, u = 0;
	int		i;

	for (i = 0; i < 20; i++) {
		corr_connect(c, "10.5.0.40", 40000 + i, "203.0.113.80", t);
		t += 54 * SEC + rng_range(c, 0, 12000) * MS;
		corr_connect(c, "10.5.0.42", 41000 + i, "203.0.113.81", u);
		u += rng_range(c, 5, 300) * SEC;
	}
	flow_new(c, &f, 17, "10.5.0.41", 123, "192.0.2.123", 123);
	for (i = 0; i < 20; i++) {
		at(c, (uint64_t)i * 64 * SEC);
		ntp_exchange(c, &f);
	}
}

/* One DNS lookup of its own every step ns from 0 (i from first on, n in
 * all), exactly on time: 10.7.(i/200%200).(i%200+1):(20000+i%40000) ->
 * 10.7.0.53:53 asking h(i%50).example.com; one more at the last time plus
 * step/2, so that the clock ends between two steps. */
static unsigned long	flows_n;

static void
retain_run(struct cap *c, unsigned long first, unsigned long n, uint64_t step)
{
	char		src[32], name[64];
	struct flow	f;
	unsigned long	i;

	c->jitter = 0;
	for (i = first; i <= n; i++) {
		snprintf(src, sizeof src, "10.7.%lu.%lu", i / 200 % 200,
		    i % 200 + 1);
		flow_new(c, &f, 17, src, 20000 + (int)(i % 40000), "10.7.0.53",
		    53);
		at(c, i < n ? i * step : (n - 1) * step + step / 2);
		snprintf(name, sizeof name, "h%lu.example.com", i % 50);
		dns_lookup(c, &f, name, "192.0.2.7", 60);
	}
}

/* retain: a lookup every 10 s for two hours (720) and one at 7195 s. */
static void
sc_retain(struct cap *c)
{
	retain_run(c, 0, 720, 10 * SEC);
}

/* retain_tail: retain cut to its last 30 minutes (from 5395 s on). */
static void
sc_retain_tail(struct cap *c)
{
	retain_run(c, 540, 720, 10 * SEC);
}

/* retain_long: -n lookups (default 1,000,000) one every 10 ms, for the
 * memory of a replay far longer than a retention window. */
static void
sc_retain_long(struct cap *c)
{
	retain_run(c, 0, flows_n != 0 ? flows_n : 1000000, 10 * MS);
}

/* tcp_lines: one TCP session, 10.9.0.1:40000 -> 10.9.0.2:7777, whose
 * client sends 1,100 segments "x0000", "x0001", ..., a line ending (LF)
 * every third, so that lines span segments and the Session pane's
 * windows of 512 packets. */
static void
sc_tcp_lines(struct cap *c)
{
	struct flow	f;
	char		d[8];
	int		i, n;

	flow_new(c, &f, 6, "10.9.0.1", 40000, "10.9.0.2", 7777);
	tcp_open(c, &f);
	for (i = 0; i < 1100; i++) {
		n = snprintf(d, sizeof d, "x%04d%s", i, i % 3 == 2 ? "\n" : "");
		adv(c, 1 * MS);
		tcp_seg(c, &f, 0, TH_ACK | TH_PSH, d, (size_t)n);
	}
	tcp_close(c, &f, 0);
}

/* icmp_tunnel: gen_icmp_tunnel from 0 s. */
static void
sc_icmp_tunnel(struct cap *c)
{
	gen_icmp_tunnel(c, 0);
}

/* dns_tunnel: gen_dns_tunnel from 0 s. */
static void
sc_dns_tunnel(struct cap *c)
{
	gen_dns_tunnel(c, 0);
}

/* escapes: DNS names with ESC sequences, TAB/LF/CR, backslash, 0x7f,
 * invalid and valid UTF-8 (10.2.0.5:53300 -> 10.2.0.53:53), and a TXT
 * answer full of them. */
static void
esc_dns(struct cap *c, uint64_t t)
{
	static const char	*names[] = {
		"\x1b[2J.esc.example",
		"\x1b]0;title\x07.esc.example",
		"tab\there.esc.example",
		"nl\nline.cr\rret.esc.example",
		"back\\slash.esc.example",
		"del\x7f.esc.example",
		"bad\xff\xfe.esc.example",
		"over\xc0\xaf.esc.example",
		"caf\xc3\xa9.esc.example",
		"\x01\x02\x03.esc.example"
	};
	static const char	txt[] = "\x1b[2J\x1b]0;pwned\x07 tab\t nl\n "
				    "del\x7f bad\xff\xfe caf\xc3\xa9 end";
	struct flow		f;
	size_t			i;

	flow_new(c, &f, 17, "10.2.0.5", 53300, "10.2.0.53", 53);
	f.rtt = MS;
	at(c, t);
	for (i = 0; i < nitems(names); i++) {
		dns_lookup(c, &f, names[i], "192.0.2.66", 300);
		adv(c, 50 * MS);
	}
	dns_lookup_txt(c, &f, "txt.esc.example", txt, sizeof txt - 1);
}

/* escapes: HTTP 10.2.0.5:50300 -> 203.0.113.10:80 with ESC in the path,
 * Host, User-Agent and Server; TLS 10.2.0.5:50301 -> 203.0.113.11:443
 * with ESC in the SNI; plain TCP 10.2.0.5:50302 -> 10.2.0.9:7777 with
 * control bytes, 0x7f and invalid UTF-8. */
static void
esc_tcp(struct cap *c, uint64_t t)
{
	static const char	line[] = "NICK \x1b[2J\x01\x02\x03\x7f\x80"
				    "\xc0\xaf\t\\ caf\xc3\xa9\r\n";
	struct flow		f;
	struct bytes		req = { NULL, 0, 0 }, resp = { NULL, 0, 0 };

	flow_new(c, &f, 6, "10.2.0.5", 50300, "203.0.113.10", 80);
	at(c, t);
	http_req(&req, "GET", "esc\x1b[31m.example", "/\x1b[2J?q=\x7f",
	    "Mozilla/5.0 \x1b]0;title\x07 \xff\xfe caf\xc3\xa9 \xc3\x28");
	http_resp(&resp, "200 OK", "evil\x1b[5m/1.0", "text/plain", 200);
	tcp_exchange(c, &f, &req, &resp);
	flow_new(c, &f, 6, "10.2.0.5", 50301, "203.0.113.11", 443);
	at(c, t + SEC);
	tcp_open(c, &f);
	tls_session(c, &f, "esc\x1b[31mred.example", 300, 900);
	tcp_close(c, &f, 0);
	flow_new(c, &f, 6, "10.2.0.5", 50302, "10.2.0.9", 7777);
	at(c, t + 2 * SEC);
	tcp_open(c, &f);
	tcp_send(c, &f, 0, line, sizeof line - 1);
	tcp_send(c, &f, 1, line, sizeof line - 1);
	tcp_close(c, &f, 0);
	free(req.p);
	free(resp.p);
}

/* escapes: esc_dns at 0 s, esc_tcp at 2 s. */
static void
sc_escapes(struct cap *c)
{
	esc_dns(c, 0);
	esc_tcp(c, 2 * SEC);
}

/* hidden: names that pose as others, each SPEC §6 hidden code point in
 * DNS (10.2.1.5:53301 -> 10.2.1.53:53) and in an HTTP Host and User-Agent
 * (10.2.1.5:50310 -> 203.0.113.20:80), with raw ESC, CR and bad UTF-8. */
static void
sc_hidden(struct cap *c)
{
	static const char	*names[] = {
		"inv\xe2\x80\xaegpj.exe.hid.example",	/* RLO */
		"c1\xc2\x85nel\xc2\x9b.hid.example",	/* NEL, CSI */
		"iso\xe2\x81\xa6late\xe2\x81\xa9.hid.example", /* LRI, PDI */
		"zw\xe2\x80\x8bsp\xe2\x80\x8f.hid.example",	/* ZWSP, RLM */
		"bom\xef\xbb\xbf.hid.example",		/* BOM */
		"lre\xe2\x80\xaa.wj\xe2\x81\xa0.hid.example", /* LRE, WJ */
		"esc\x1b[0m.cr\r.bad\xff.hid.example",
		"caf\xc3\xa9\xc2\xa0ok.hid.example"	/* stays as it is */
	};
	struct flow		 f;
	struct bytes		 req = { NULL, 0, 0 }, resp = { NULL, 0, 0 };
	size_t			 i;

	flow_new(c, &f, 17, "10.2.1.5", 53301, "10.2.1.53", 53);
	f.rtt = MS;
	at(c, 0);
	for (i = 0; i < nitems(names); i++) {
		dns_lookup(c, &f, names[i], "192.0.2.67", 300);
		adv(c, 50 * MS);
	}
	flow_new(c, &f, 6, "10.2.1.5", 50310, "203.0.113.20", 80);
	at(c, SEC);
	http_req(&req, "GET", "www\xe2\x80\xae" "fdp.hid.example", "/",
	    "Mozilla/5.0 \xc2\x9b" "31m \xe2\x81\xa6x\xe2\x81\xa9");
	http_resp(&resp, "200 OK", "srv\xe2\x80\x8b/1.0", "text/plain", 100);
	tcp_exchange(c, &f, &req, &resp);
	free(req.p);
	free(resp.p);
}

/* demo: fetch from host over an open flow: TLS with SNI on port 443,
 * else an HTTP GET of a random path. */
static void
demo_fetch(struct cap *c, struct flow *f, const char *host)
{
	static const char	*paths[] = { "/", "/index.html", "/img/logo.png",
				    "/js/app.js?v=3", "/downloads/tool.zip" };
	struct bytes		 req = { NULL, 0, 0 }, resp = { NULL, 0, 0 };
	size_t			 up;

	if (f->port[1] == 443) {
		up = rng_range(c, 300, 1200);
		tls_session(c, f, host, up, rng_range(c, 1000, 8000));
		return;
	}
	http_req(&req, "GET", host, paths[rng_next(c) % nitems(paths)],
	    ua_firefox);
	http_resp(&resp, "200 OK", "Apache/2.4.57 (Debian)", "text/html",
	    rng_range(c, 500, 6000));
	tcp_send(c, f, 0, req.p, req.len);
	tcp_send(c, f, 1, resp.p, resp.len);
	free(req.p);
	free(resp.p);
}

/* demo: one visit by client i: a DNS lookup of a site at 10.0.0.53, then
 * HTTPS or HTTP to it, at a random time in 0-290 s. */
static void
demo_visit(struct cap *c, int i)
{
	static const struct site {
		const char	*host;
		const char	*ip;
		int		 port;
		const char	*cname;
	} sites[] = {
		{ "www.example.com", "93.184.216.34", 443, NULL },
		{ "news.example.org", "203.0.113.80", 443, NULL },
		{ "cdn.example.net", "198.51.100.10", 443,
		    "cdn.example.net.edgekey.example" },
		{ "api.example.com", "203.0.113.81", 443, NULL },
		{ "login.example.com", "203.0.113.82", 443, NULL },
		{ "static.example.org", "198.51.100.11", 80, NULL },
		{ "updates.example.com", "198.51.100.12", 80, NULL },
		{ "www.example.net", "192.0.2.80", 443, NULL }
	};
	const struct site	*s = &sites[rng_next(c) % nitems(sites)];
	uint64_t		 t = rng_range(c, 0, 290000) * MS;
	char			 cli[32];
	struct flow		 f;

	snprintf(cli, sizeof cli, "10.0.0.%u", rng_range(c, 10, 40));
	flow_new(c, &f, 17, cli, 20000 + 2 * i, "10.0.0.53", 53);
	at(c, t);
	if (s->cname != NULL)
		dns_lookup_cname(c, &f, s->host, s->cname, s->ip);
	else
		dns_lookup(c, &f, s->host, s->ip, 300);
	flow_new(c, &f, 6, cli, 20001 + 2 * i, s->ip, s->port);
	adv(c, 10 * MS);
	tcp_open(c, &f);
	demo_fetch(c, &f, s->host);
	tcp_close(c, &f, 0);
}

/* demo: an HTTP download straight to an IP address, without User-Agent. */
static void
demo_direct(struct cap *c, uint64_t t)
{
	struct flow	f;
	struct bytes	req = { NULL, 0, 0 }, resp = { NULL, 0, 0 };

	flow_new(c, &f, 6, "10.0.0.23", 33001, "198.51.100.77", 80);
	at(c, t);
	http_req(&req, "GET", "198.51.100.77", "/payload.bin", NULL);
	http_resp(&resp, "200 OK", "SimpleHTTP/0.6 Python/3.11.2",
	    "application/octet-stream", 6000);
	tcp_exchange(c, &f, &req, &resp);
	free(req.p);
	free(resp.p);
}

/* demo: an SSH session 10.0.0.12:52000 -> 10.0.0.22:22. */
static void
demo_ssh(struct cap *c, uint64_t t)
{
	static const char	cli[] = "SSH-2.0-OpenSSH_9.2p1 Debian-2+deb12u2\r\n";
	static const char	srv[] = "SSH-2.0-OpenSSH_9.2p1 Debian-2+deb12u2\r\n";
	static uint8_t		buf[3000];
	struct flow		f;
	int			i;

	flow_new(c, &f, 6, "10.0.0.12", 52000, "10.0.0.22", 22);
	at(c, t);
	tcp_open(c, &f);
	tcp_send(c, &f, 1, srv, sizeof srv - 1);
	tcp_send(c, &f, 0, cli, sizeof cli - 1);
	for (i = 0; i < 12; i++) {
		rng_fill(c, buf, sizeof buf);
		adv(c, 700 * MS);
		tcp_send(c, &f, i % 2, buf, rng_range(c, 36, 3000));
	}
	tcp_close(c, &f, 0);
}

/* demo: NTP, an NXDOMAIN lookup, Linux and Windows pings. */
static void
demo_misc(struct cap *c)
{
	struct flow	f;
	struct dns	q, r;
	int		i;

	for (i = 0; i < 4; i++) {
		flow_new(c, &f, 17, "10.0.0.2", 123, "10.0.0.1", 123);
		at(c, (10 + 70 * i) * SEC);
		ntp_exchange(c, &f);
	}
	flow_new(c, &f, 17, "10.0.0.14", 33500, "10.0.0.53", 53);
	at(c, 5 * SEC);
	dns_query(&q, rng_next(c), "wpad.corp.example", 1);
	dns_reply(&r, &q, 3);
	dns_exchange(c, &f, &q, &r);
	flow_new(c, &f, 1, "10.0.0.15", 0, "8.8.8.8", 0);
	at(c, 30 * SEC);
	ping(c, &f, 4, SEC);
	flow_new(c, &f, 1, "10.0.0.31", 0, "10.0.0.1", 0);
	at(c, 200 * SEC);
	ping_windows(c, &f, 4, SEC);
}

/* demo: about 100 ordinary sessions over 5 minutes (45 visits, direct
 * download, SSH, NTP, NXDOMAIN, pings) with the ICMP tunnel from 60 s and
 * the DNS tunnel from 150 s. */
static void
sc_demo(struct cap *c)
{
	int	i;

	for (i = 0; i < 45; i++)
		demo_visit(c, i);
	demo_direct(c, 100 * SEC);
	demo_ssh(c, 40 * SEC);
	demo_misc(c);
	gen_icmp_tunnel(c, 60 * SEC);
	gen_dns_tunnel(c, 150 * SEC);
}

/* Sessions of the bench scenario (-n). */
static unsigned long	bench_sessions = 200000;

/* bench: one web fetch (with its DNS lookup half the time) or a ping. */
static void
bench_one(struct cap *c, unsigned long i)
{
	static const char *const hosts[] = { "www.example.com",
	    "news.example.org", "cdn.example.net", "api.example.com" };
	const char	*host = hosts[rng_next(c) % nitems(hosts)];
	struct bytes	 req = { NULL, 0, 0 }, resp = { NULL, 0, 0 };
	struct flow	 f;
	char		 cli[32], srv[32];

	snprintf(cli, sizeof cli, "10.%lu.%lu.%lu", (i >> 16) & 255,
	    (i >> 8) & 255, (i & 255) | 1);
	snprintf(srv, sizeof srv, "203.0.%u.%u", rng_range(c, 0, 255),
	    rng_range(c, 1, 254));
	at(c, (uint64_t)i * 5 * MS);
	if (rng_next(c) % 50 == 0) {
		flow_new(c, &f, 1, cli, 0, srv, 0);
		ping(c, &f, 2, SEC);
		return;
	}
	if (rng_next(c) % 2 == 0) {
		flow_new(c, &f, 17, cli, 1024 + (int)(i % 60000), "10.255.0.53",
		    53);
		dns_lookup(c, &f, host, srv, 300);
	}
	flow_new(c, &f, 6, cli, 1024 + (int)((i + 7) % 60000), srv, 80);
	http_req(&req, "GET", host, "/index.html", "bench/1.0");
	http_resp(&resp, "200 OK", "nginx", "text/html",
	    rng_range(c, 200, 9000));
	tcp_exchange(c, &f, &req, &resp);
	free(req.p);
	free(resp.p);
}

/* bench: -n sessions of web, DNS and ping traffic, 5 ms apart. */
static void
sc_bench(struct cap *c)
{
	unsigned long	 i;

	for (i = 0; i < bench_sessions; i++)
		bench_one(c, i);
}

/* tcp_shuffle: send bytes [a, b) of data from the client at their own
 * sequence number (base + a), leaving its next sequence number alone. */
static void
shuf_piece(struct cap *c, struct flow *f, uint32_t base, const uint8_t *data,
    size_t a, size_t b)
{
	uint32_t	next = f->seq[0];

	f->seq[0] = base + a;
	adv(c, 40 * US);
	tcp_seg(c, f, 0, TH_ACK | TH_PSH, data + a, b - a);
	f->seq[0] = next;
}

/* tcp_shuffle: the request in 8 to 40-byte pieces, in order or shuffled
 * (never the first piece first), a quarter of them stretched 12 bytes over
 * the next, a fifth sent again; the server acknowledges the whole. */
static void
shuf_send(struct cap *c, struct flow *f, const struct bytes *req,
    int shuffle)
{
	size_t		cut[256], order[256], k = 0, i, j, t, end;
	uint32_t	base = f->seq[0];

	for (i = 0; i < req->len && k < nitems(cut) - 1;
	    i += rng_range(c, 8, 40))
		cut[k++] = i;
	cut[k] = req->len;
	for (i = 0; i < k; i++)
		order[i] = i;
	for (i = k - 1; shuffle && i > 0; i--) {
		j = rng_next(c) % (i + 1);
		t = order[i];
		order[i] = order[j];
		order[j] = t;
	}
	if (shuffle && order[0] == 0) {
		order[0] = order[k - 1];
		order[k - 1] = 0;
	}
	for (i = 0; i < k; i++) {
		j = order[i];
		end = cut[j + 1];
		if (shuffle && j + 2 <= k && rng_next(c) % 4 == 0)
			end = cut[j + 2] < end + 12 ? cut[j + 2] : end + 12;
		shuf_piece(c, f, base, req->p, cut[j], end);
		if (shuffle && rng_next(c) % 5 == 0)
			shuf_piece(c, f, base, req->p, cut[j], cut[j + 1]);
	}
	f->seq[0] = base + req->len;
	adv(c, f->rtt / 2);
	tcp_seg(c, f, 1, TH_ACK, NULL, 0);
}

/* tcp_shuffle: the four requests (a 500-byte cookie before Host). */
static const struct {
	const char	*method, *host, *path, *ua;
} shuf_reqs[] = {
	{ "GET", "shop.example.com", "/shop/cart/view.php?item=42",
	    ua_firefox },
	{ "POST", "api.example.org", "/v2/items/", ua_curl },
	{ "GET", "cdn.example.net", "/static/js/app.js", "Wget/1.21.3" },
	{ "GET", "mail.example.com", "/owa/auth/logon.aspx?replace=1",
	    "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 "
	    "(KHTML, like Gecko) Chrome/120.0.0.0 Safari/537.36" }
};

/* tcp_shuffle: one request i from 10.0.0.7 port 41000 + 10 i + v to
 * 198.51.100.80:80; v bit 0: shuffled, bit 1: no handshake (mid-stream).
 * Request 1's client sequence numbers wrap inside its headers. */
static void
shuf_session(struct cap *c, int i, int v)
{
	struct flow	f;
	struct bytes	req = { NULL, 0, 0 }, resp = { NULL, 0, 0 };
	char		cookie[501];

	flow_new(c, &f, 6, "10.0.0.7", 41000 + 10 * i + v, "198.51.100.80",
	    80);
	if (i == 1)
		f.seq[0] = 0xfffffe80;
	at(c, (uint64_t)(4 * i + v) * SEC);
	rng_text(c, cookie, sizeof cookie - 1,
	    "abcdefghijklmnopqrstuvwxyz0123456789");
	bytes_str(&req, shuf_reqs[i].method);
	bytes_str(&req, " ");
	bytes_str(&req, shuf_reqs[i].path);
	bytes_str(&req, " HTTP/1.1\r\nAccept: */*\r\nCookie: sid=");
	bytes_str(&req, cookie);
	bytes_str(&req, "\r\nHost: ");
	bytes_str(&req, shuf_reqs[i].host);
	bytes_str(&req, "\r\nUser-Agent: ");
	bytes_str(&req, shuf_reqs[i].ua);
	bytes_str(&req, "\r\nContent-Length: 0\r\n\r\n");
	http_resp(&resp, "200 OK", "nginx", "text/html", 300);
	if (!(v & 2))
		tcp_open(c, &f);
	shuf_send(c, &f, &req, v & 1);
	adv(c, 2 * MS);
	tcp_send(c, &f, 1, resp.p, resp.len);
	tcp_close(c, &f, 0);
	free(req.p);
	free(resp.p);
}

/* tcp_shuffle: every request in order and shuffled, with and without the
 * handshake: 16 sessions, one a second. */
static void
sc_tcp_shuffle(struct cap *c)
{
	size_t	i;
	int	v;

	for (i = 0; i < nitems(shuf_reqs); i++) {
		for (v = 0; v < 4; v++)
			shuf_session(c, (int)i, v);
	}
}

/* Flows of the flows-* scenarios (-n; 0: each scenario's default). */
static unsigned long	flows_n;

/* flows: the client of flow i, one address each (10.0.0.1 on). */
static void
flows_client(char *b, size_t n, unsigned long i)
{
	i++;
	snprintf(b, n, "10.%lu.%lu.%lu", (i >> 16) & 255, (i >> 8) & 255,
	    i & 255);
}

/* flows-udp: -n N (default 1,000,000) UDP flows of one or two small
 * datagrams, N per 50 s, so all are open at once (idle timeout 60 s). */
static void
sc_flows_udp(struct cap *c)
{
	static const uint8_t	 data[4] = { 0x00, 0x01, 0x02, 0x03 };
	unsigned long		 i, n = flows_n != 0 ? flows_n : 1000000;
	struct flow		 f;
	char			 cli[32];

	c->jitter = 0;
	for (i = 0; i < n; i++) {
		flows_client(cli, sizeof cli, i);
		at(c, (uint64_t)i * 50 * SEC / n);
		flow_new(c, &f, 17, cli, 40000, "198.51.100.7", 7001);
		udp_send(c, &f, 0, data, sizeof data);
		if (i % 2 == 0) {
			adv(c, MS);
			udp_send(c, &f, 1, data, sizeof data);
		}
	}
}

/* flows-tcp and flows-http: -n N TCP flows, N per 50 s, none closed
 * before the end: the handshake, and with http a request (Host and
 * User-Agent) and the headers of a response whose body never comes. */
static void
flows_tcp(struct cap *c, unsigned long n, int http)
{
	static const char *const hosts[] = { "www.example.com",
	    "news.example.org", "cdn.example.net", "api.example.com" };
	static const char	 resp[] = "HTTP/1.1 200 OK\r\nServer: nginx\r\n"
				    "Content-Type: text/html\r\n"
				    "Content-Length: 4096\r\n\r\n";
	struct bytes		 req = { NULL, 0, 0 };
	unsigned long		 i;
	struct flow		 f;
	char			 cli[32];

	c->jitter = 0;
	for (i = 0; i < n; i++) {
		flows_client(cli, sizeof cli, i);
		at(c, (uint64_t)i * 50 * SEC / n);
		flow_new(c, &f, 6, cli, 40000, "203.0.113.80", 80);
		tcp_open(c, &f);
		if (!http)
			continue;
		http_req(&req, "GET", hosts[i % nitems(hosts)], "/index.html",
		    "bench/1.0");
		adv(c, 200 * US);
		tcp_seg(c, &f, 0, TH_ACK | TH_PSH, req.p, req.len);
		adv(c, f.rtt);
		tcp_seg(c, &f, 1, TH_ACK | TH_PSH, resp, sizeof resp - 1);
	}
	free(req.p);
}

/* flows-tcp: -n N (default 1,000,000) open TCP handshakes. */
static void
sc_flows_tcp(struct cap *c)
{
	flows_tcp(c, flows_n != 0 ? flows_n : 1000000, 0);
}

/* flows-http: -n N (default 500,000) open HTTP fetches. */
static void
sc_flows_http(struct cap *c)
{
	flows_tcp(c, flows_n != 0 ? flows_n : 500000, 1);
}

/*
 * regex_names: 100,000 DNS queries, one session each, for names that
 * begin with 24 'a' and differ after them
 * (aaaaaaaaaaaaaaaaaaaaaaaab000000.example ...): each makes
 * '^(a|a?)+$' backtrack until a match limit stops it.
 */
static void
sc_regex_names(struct cap *c)
{
	struct dns	 q;
	struct flow	 f;
	char		 name[64], cli[32];
	unsigned long	 i;

	for (i = 0; i < 100000; i++) {
		snprintf(cli, sizeof cli, "10.%lu.%lu.%lu", (i >> 14) & 255,
		    (i >> 6) & 255, (i & 63) + 1);
		snprintf(name, sizeof name, "%.24sb%06lu.example",
		    "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa", i);
		at(c, (uint64_t)i * MS);
		flow_new(c, &f, 17, cli, 1024 + (int)(i % 50000), "10.255.0.53",
		    53);
		dns_query(&q, (uint16_t)i, name, 1);
		udp_send(c, &f, 0, q.b, q.len);
	}
}

/* dns_snap: DNS responses cut by the snap length or malformed after the
 * question (10.3.0.5 -> 10.3.0.53): UDP 40001 "snap.example.com" A with
 * three answers, captured to the middle of the second; UDP 40002 the
 * response alone, two questions cut inside the second; UDP 40003
 * "bad.example.com" whose second answer has a bad label; TCP 40004
 * "tcp.example.com" TXT whose response is captured to 120 bytes; TCP 40005
 * the same for "tcp2.example.com" without the query (not captured). */
static void
sc_dns_snap(struct cap *c)
{
	struct flow	f;
	struct dns	q, r;
	uint8_t		rd[1024];
	size_t		n;

	flow_new(c, &f, 17, "10.3.0.5", 40001, "10.3.0.53", 53);
	dns_query(&q, 0x5101, "snap.example.com", 1);
	dns_reply(&r, &q, 0);
	dns_rr(&r, 12, 1, 300, "\xc0\x00\x02\x01", 4);
	dns_rr(&r, 12, 1, 300, "\xc0\x00\x02\x02", 4);
	dns_rr(&r, 12, 1, 300, "\xc0\x00\x02\x03", 4);
	udp_send(c, &f, 0, q.b, q.len);
	adv(c, f.rtt);
	c->snap = 14 + 20 + 8 + q.len + 16 + 8;
	udp_send(c, &f, 1, r.b, r.len);
	c->snap = 0;

	at(c, 1 * SEC);
	flow_new(c, &f, 17, "10.3.0.5", 40002, "10.3.0.53", 53);
	dns_query(&q, 0x5102, "one.example.com", 1);
	n = dns_labels(q.b + q.len, "two.example.com");
	put16(q.b + q.len + n, 1);
	put16(q.b + q.len + n + 2, 1);
	put16(q.b + 4, 2);
	q.len += n + 4;
	dns_reply(&r, &q, 0);
	dns_rr(&r, 12, 1, 300, "\xc0\x00\x02\x04", 4);
	c->snap = 14 + 20 + 8 + 12 + 17 + 4 + 6;
	udp_send(c, &f, 1, r.b, r.len);
	c->snap = 0;

	at(c, 2 * SEC);
	flow_new(c, &f, 17, "10.3.0.5", 40003, "10.3.0.53", 53);
	dns_query(&q, 0x5103, "bad.example.com", 1);
	dns_reply(&r, &q, 0);
	dns_rr(&r, 12, 1, 300, "\xc0\x00\x02\x05", 4);
	n = r.len;
	dns_rr(&r, 12, 1, 300, "\xc0\x00\x02\x06", 4);
	r.b[n] = 0x80;		/* a label type that does not exist */
	dns_exchange(c, &f, &q, &r);

	at(c, 3 * SEC);
	flow_new(c, &f, 6, "10.3.0.5", 40004, "10.3.0.53", 53);
	dns_query(&q, 0x5104, "tcp.example.com", 16);
	dns_reply(&r, &q, 0);
	memset(rd, 'x', 600);
	dns_rr(&r, 12, 16, 300, rd, dns_txt(rd, (const char *)rd, 600));
	tcp_open(c, &f);
	memmove(q.b + 2, q.b, q.len);
	put16(q.b, q.len);
	tcp_send(c, &f, 0, q.b, q.len + 2);
	memmove(r.b + 2, r.b, r.len);
	put16(r.b, r.len);
	c->snap = 120;
	tcp_send(c, &f, 1, r.b, r.len + 2);
	c->snap = 0;
	tcp_close(c, &f, 0);

	at(c, 4 * SEC);
	flow_new(c, &f, 6, "10.3.0.5", 40005, "10.3.0.53", 53);
	dns_query(&q, 0x5105, "tcp2.example.com", 16);
	dns_reply(&r, &q, 0);
	dns_rr(&r, 12, 16, 300, rd, dns_txt(rd, (const char *)rd, 600));
	tcp_open(c, &f);
	memmove(r.b + 2, r.b, r.len);
	put16(r.b, r.len);
	c->snap = 120;
	tcp_send(c, &f, 1, r.b, r.len + 2);
	c->snap = 0;
	tcp_close(c, &f, 0);
}

/* Send a PTR query for name and its answer target over f. */
static void
dns_ptr(struct cap *c, struct flow *f, const char *name, const char *target)
{
	struct dns	q, r;
	uint8_t		rd[256];

	dns_query(&q, rng_next(c), name, 12);
	dns_reply(&r, &q, target == NULL ? 3 : 0);
	if (target != NULL)
		dns_rr(&r, 12, 12, 3600, rd, dns_labels(rd, target));
	dns_exchange(c, f, &q, &r);
}

/* dns_reverse: PTR lookups from 10.3.1.5 to 10.3.1.53 (one session per
 * port): 40101 34.216.184.93.in-addr.arpa, 40102 the ip6.arpa name of
 * 2001:db8::1, 40103 216.184.93.in-addr.arpa (a zone, no address), 40104
 * 999.1.168.192.in-addr.arpa (not an address, NXDOMAIN). */
static void
sc_dns_reverse(struct cap *c)
{
	struct flow	f;

	flow_new(c, &f, 17, "10.3.1.5", 40101, "10.3.1.53", 53);
	dns_ptr(c, &f, "34.216.184.93.in-addr.arpa", "www.example.com");
	at(c, 1 * SEC);
	flow_new(c, &f, 17, "10.3.1.5", 40102, "10.3.1.53", 53);
	dns_ptr(c, &f, "1.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.8.b.d."
	    "0.1.0.0.2.ip6.arpa", "host6.example.com");
	at(c, 2 * SEC);
	flow_new(c, &f, 17, "10.3.1.5", 40103, "10.3.1.53", 53);
	dns_ptr(c, &f, "216.184.93.in-addr.arpa", NULL);
	at(c, 3 * SEC);
	flow_new(c, &f, 17, "10.3.1.5", 40104, "10.3.1.53", 53);
	dns_ptr(c, &f, "999.1.168.192.in-addr.arpa", NULL);
}

/* http_iphost: HTTP requests whose Host is an address literal: 10.3.2.5
 * -> 10.1.2.3:80 "10.1.2.3", -> 10.1.2.3:8080 "10.1.2.3:8080",
 * 2001:db8::5 -> 2001:db8::1:80 "[2001:db8::1]:80", and one to
 * www.example.com (10.3.2.5 -> 93.184.216.34:80). */
static void
sc_http_iphost(struct cap *c)
{
	static const struct {
		const char	*cli, *srv, *host;
		int		 port;
	} reqs[] = {
		{ "10.3.2.5", "10.1.2.3", "10.1.2.3", 80 },
		{ "10.3.2.5", "10.1.2.3", "10.1.2.3:8080", 8080 },
		{ "2001:db8::5", "2001:db8::1", "[2001:db8::1]:80", 80 },
		{ "10.3.2.5", "93.184.216.34", "www.example.com", 80 },
	};
	struct flow	f;
	struct bytes	req = { NULL, 0, 0 }, resp = { NULL, 0, 0 };
	size_t		i;

	http_resp(&resp, "200 OK", "nginx", "text/html", 100);
	for (i = 0; i < nitems(reqs); i++) {
		at(c, i * SEC);
		flow_new(c, &f, 6, reqs[i].cli, 50300 + i, reqs[i].srv,
		    reqs[i].port);
		http_req(&req, "GET", reqs[i].host, "/", ua_curl);
		tcp_exchange(c, &f, &req, &resp);
	}
	free(req.p);
	free(resp.p);
}

/* An NBNS name (first-level encoding of name padded to 15 with spaces,
 * then the suffix byte) as a 34-byte label sequence; its length. */
static size_t
nbns_name(uint8_t *out, const char *name, uint8_t suffix)
{
	char	raw[16];
	size_t	i;

	memset(raw, ' ', 15);
	memcpy(raw, name, strlen(name));
	raw[15] = (char)suffix;
	out[0] = 32;
	for (i = 0; i < 16; i++) {
		out[1 + 2 * i] = 'A' + ((uint8_t)raw[i] >> 4);
		out[2 + 2 * i] = 'A' + ((uint8_t)raw[i] & 15);
	}
	out[33] = 0;
	return 34;
}

/* An NBNS name query (NB) for name<suffix> with flags. */
static void
nbns_query(struct dns *d, uint16_t id, uint16_t flags, const char *name,
    uint8_t suffix)
{
	memset(d->b, 0, 12);
	put16(d->b, id);
	put16(d->b + 2, flags);
	put16(d->b + 4, 1);
	d->len = 12 + nbns_name(d->b + 12, name, suffix);
	put16(d->b + d->len, 0x20);
	put16(d->b + d->len + 2, 1);
	d->len += 4;
}

/* local_names: link-local name services from 10.4.0.7.  mDNS (5353 ->
 * 224.0.0.251:5353): a PTR query for _googlecast._tcp.local and, from
 * 10.4.0.9, an announcement of a long instance name, its TTL 0 goodbye
 * and an A record for speaker-livingroom.local.  LLMNR: a query for
 * fileserver (52000 -> 224.0.0.252:5355) and its answer from 10.4.0.20.
 * NBNS (137): broadcast queries for WORKGROUP<1d> and
 * <01><02>__MSBROWSE__<02><01> (-> 10.4.0.255) and a query for
 * FILESERVER<20> answered by 10.4.0.20. */
static void
sc_local_names(struct cap *c)
{
	static const char	inst[] = "Living Room Speaker with a rather long "
				    "instance name 0123._googlecast._tcp.local";
	struct flow		f;
	struct dns		q, r;
	uint8_t			rd[256];

	flow_new(c, &f, 17, "10.4.0.7", 5353, "224.0.0.251", 5353);
	dns_query(&q, 0, "_googlecast._tcp.local", 12);
	put16(q.b + 2, 0);
	put16(q.b + q.len - 2, 0x8001);		/* QU bit */
	q.len += dns_labels(q.b + q.len, inst);
	put16(q.b + q.len, 33);
	put16(q.b + q.len + 2, 1);
	q.len += 4;
	put16(q.b + 4, 2);
	udp_send(c, &f, 0, q.b, q.len);

	at(c, 1 * SEC);
	flow_new(c, &f, 17, "10.4.0.9", 5353, "224.0.0.251", 5353);
	r.len = 12;
	memset(r.b, 0, 12);
	put16(r.b + 2, 0x8400);
	r.len += dns_labels(r.b + r.len, "_googlecast._tcp.local");
	put16(r.b + r.len, 12);
	put16(r.b + r.len + 2, 1);
	put32(r.b + r.len + 4, 120);
	put16(r.b + r.len + 8, dns_labels(rd, inst));
	memcpy(r.b + r.len + 10, rd, dns_labels(rd, inst));
	r.len += 10 + dns_labels(rd, inst);
	put16(r.b + 6, 1);
	udp_send(c, &f, 0, r.b, r.len);
	adv(c, 100 * MS);
	put32(r.b + r.len - dns_labels(rd, inst) - 6, 0);	/* goodbye */
	udp_send(c, &f, 0, r.b, r.len);
	adv(c, 100 * MS);
	r.len = 12;
	put16(r.b + 6, 1);
	r.len += dns_labels(r.b + r.len, "speaker-livingroom.local");
	put16(r.b + r.len, 1);
	put16(r.b + r.len + 2, 0x8001);		/* cache flush */
	put32(r.b + r.len + 4, 120);
	put16(r.b + r.len + 8, 4);
	memcpy(r.b + r.len + 10, "\x0a\x04\x00\x09", 4);
	r.len += 14;
	udp_send(c, &f, 0, r.b, r.len);

	at(c, 2 * SEC);
	flow_new(c, &f, 17, "10.4.0.7", 52000, "224.0.0.252", 5355);
	dns_query(&q, 0x7a01, "fileserver", 1);
	put16(q.b + 2, 0);
	udp_send(c, &f, 0, q.b, q.len);
	flow_new(c, &f, 17, "10.4.0.7", 52000, "10.4.0.20", 5355);
	dns_reply(&r, &q, 0);
	put16(r.b + 2, 0x8000);
	dns_rr(&r, 12, 1, 30, "\x0a\x04\x00\x14", 4);
	adv(c, 2 * MS);
	udp_send(c, &f, 1, r.b, r.len);

	at(c, 3 * SEC);
	flow_new(c, &f, 17, "10.4.0.7", 137, "10.4.0.255", 137);
	nbns_query(&q, 0x8101, 0x0110, "WORKGROUP", 0x1d);
	udp_send(c, &f, 0, q.b, q.len);
	adv(c, 100 * MS);
	nbns_query(&q, 0x8103, 0x0110, "\x01\x02__MSBROWSE__\x02", 0x01);
	udp_send(c, &f, 0, q.b, q.len);
	at(c, 4 * SEC);
	flow_new(c, &f, 17, "10.4.0.7", 137, "10.4.0.20", 137);
	nbns_query(&q, 0x8102, 0x0100, "FILESERVER", 0x20);
	udp_send(c, &f, 0, q.b, q.len);
	memcpy(r.b, q.b, q.len);
	put16(r.b + 2, 0x8500);
	put16(r.b + 4, 0);
	put16(r.b + 6, 1);
	r.len = q.len;
	put32(r.b + r.len - 4 + 0, 0x00200001);
	put32(r.b + r.len, 300000);
	put16(r.b + r.len + 4, 6);
	memcpy(r.b + r.len + 6, "\x00\x00\x0a\x04\x00\x14", 6);
	r.len += 12;
	adv(c, 2 * MS);
	udp_send(c, &f, 1, r.b, r.len);
}

/* Decode n bytes of hexadecimal text into out. */
static void
hex_bytes(const char *hex, uint8_t *out, size_t n)
{
	size_t		i;
	unsigned	b;

	for (i = 0; i < n; i++) {
		if (sscanf(hex + 2 * i, "%2x", &b) != 1)
			die("bad hex in a QUIC test vector");
		out[i] = (uint8_t)b;
	}
}

/* quic_initial: the client Initials of RFC 9001 Appendix A.2 (QUIC v1)
 * and RFC 9369 Appendix A.2 (QUIC v2), SNI example.com, 1,200 bytes, to
 * 93.184.216.34:443: v1 from 10.5.0.7:51000 with a short-header datagram
 * back, v2 from port 51002; before them, the v1 one from port 51001
 * captured to 200 bytes of UDP payload. */
static void
sc_quic_initial(struct cap *c)
{
	static const char	v1[] =
	    "c000000001088394c8f03e5157080000449e7b9aec34d1b1c98dd7689fb8ec11"
	    "d242b123dc9bd8bab936b47d92ec356c0bab7df5976d27cd449f63300099f399"
	    "1c260ec4c60d17b31f8429157bb35a1282a643a8d2262cad67500cadb8e7378c"
	    "8eb7539ec4d4905fed1bee1fc8aafba17c750e2c7ace01e6005f80fcb7df6212"
	    "30c83711b39343fa028cea7f7fb5ff89eac2308249a02252155e2347b63d58c5"
	    "457afd84d05dfffdb20392844ae812154682e9cf012f9021a6f0be17ddd0c208"
	    "4dce25ff9b06cde535d0f920a2db1bf362c23e596d11a4f5a6cf3948838a3aec"
	    "4e15daf8500a6ef69ec4e3feb6b1d98e610ac8b7ec3faf6ad760b7bad1db4ba3"
	    "485e8a94dc250ae3fdb41ed15fb6a8e5eba0fc3dd60bc8e30c5c4287e53805db"
	    "059ae0648db2f64264ed5e39be2e20d82df566da8dd5998ccabdae053060ae6c"
	    "7b4378e846d29f37ed7b4ea9ec5d82e7961b7f25a9323851f681d582363aa5f8"
	    "9937f5a67258bf63ad6f1a0b1d96dbd4faddfcefc5266ba6611722395c906556"
	    "be52afe3f565636ad1b17d508b73d8743eeb524be22b3dcbc2c7468d54119c74"
	    "68449a13d8e3b95811a198f3491de3e7fe942b330407abf82a4ed7c1b311663a"
	    "c69890f4157015853d91e923037c227a33cdd5ec281ca3f79c44546b9d90ca00"
	    "f064c99e3dd97911d39fe9c5d0b23a229a234cb36186c4819e8b9c5927726632"
	    "291d6a418211cc2962e20fe47feb3edf330f2c603a9d48c0fcb5699dbfe58964"
	    "25c5bac4aee82e57a85aaf4e2513e4f05796b07ba2ee47d80506f8d2c25e50fd"
	    "14de71e6c418559302f939b0e1abd576f279c4b2e0feb85c1f28ff18f58891ff"
	    "ef132eef2fa09346aee33c28eb130ff28f5b766953334113211996d20011a198"
	    "e3fc433f9f2541010ae17c1bf202580f6047472fb36857fe843b19f5984009dd"
	    "c324044e847a4f4a0ab34f719595de37252d6235365e9b84392b061085349d73"
	    "203a4a13e96f5432ec0fd4a1ee65accdd5e3904df54c1da510b0ff20dcc0c77f"
	    "cb2c0e0eb605cb0504db87632cf3d8b4dae6e705769d1de354270123cb11450e"
	    "fc60ac47683d7b8d0f811365565fd98c4c8eb936bcab8d069fc33bd801b03ade"
	    "a2e1fbc5aa463d08ca19896d2bf59a071b851e6c239052172f296bfb5e724047"
	    "90a2181014f3b94a4e97d117b438130368cc39dbb2d198065ae3986547926cd2"
	    "162f40a29f0c3c8745c0f50fba3852e566d44575c29d39a03f0cda721984b6f4"
	    "40591f355e12d439ff150aab7613499dbd49adabc8676eef023b15b65bfc5ca0"
	    "6948109f23f350db82123535eb8a7433bdabcb909271a6ecbcb58b936a88cd4e"
	    "8f2e6ff5800175f113253d8fa9ca8885c2f552e657dc603f252e1a8e308f76f0"
	    "be79e2fb8f5d5fbbe2e30ecadd220723c8c0aea8078cdfcb3868263ff8f09400"
	    "54da48781893a7e49ad5aff4af300cd804a6b6279ab3ff3afb64491c85194aab"
	    "760d58a606654f9f4400e8b38591356fbf6425aca26dc85244259ff2b19c41b9"
	    "f96f3ca9ec1dde434da7d2d392b905ddf3d1f9af93d1af5950bd493f5aa731b4"
	    "056df31bd267b6b90a079831aaf579be0a39013137aac6d404f518cfd4684064"
	    "7e78bfe706ca4cf5e9c5453e9f7cfd2b8b4c8d169a44e55c88d4a9a7f9474241"
	    "e221af44860018ab0856972e194cd934";
	static const char	v2[] =
	    "d76b3343cf088394c8f03e5157080000449ea0c95e82ffe67b6abcdb4298b485"
	    "dd04de806071bf03dceebfa162e75d6c96058bdbfb127cdfcbf903388e99ad04"
	    "9f9a3dd4425ae4d0992cfff18ecf0fdb5a842d09747052f17ac2053d21f57c5d"
	    "250f2c4f0e0202b70785b7946e992e58a59ac52dea6774d4f03b55545243cf1a"
	    "12834e3f249a78d395e0d18f4d766004f1a2674802a747eaa901c3f10cda5500"
	    "cb9122faa9f1df66c392079a1b40f0de1c6054196a11cbea40afb6ef5253cd68"
	    "18f6625efce3b6def6ba7e4b37a40f7732e093daa7d52190935b8da58976ff33"
	    "12ae50b187c1433c0f028edcc4c2838b6a9bfc226ca4b4530e7a4ccee1bfa2a3"
	    "d396ae5a3fb512384b2fdd851f784a65e03f2c4fbe11a53c7777c023462239dd"
	    "6f7521a3f6c7d5dd3ec9b3f233773d4b46d23cc375eb198c63301c21801f6520"
	    "bcfb7966fc49b393f0061d974a2706df8c4a9449f11d7f3d2dcbb90c6b877045"
	    "636e7c0c0fe4eb0f697545460c806910d2c355f1d253bc9d2452aaa549e27a1f"
	    "ac7cf4ed77f322e8fa894b6a83810a34b361901751a6f5eb65a0326e07de7c12"
	    "16ccce2d0193f958bb3850a833f7ae432b65bc5a53975c155aa4bcb4f7b2c4e5"
	    "4df16efaf6ddea94e2c50b4cd1dfe06017e0e9d02900cffe1935e0491d77ffb4"
	    "fdf85290fdd893d577b1131a610ef6a5c32b2ee0293617a37cbb08b847741c3b"
	    "8017c25ca9052ca1079d8b78aebd47876d330a30f6a8c6d61dd1ab5589329de7"
	    "14d19d61370f8149748c72f132f0fc99f34d766c6938597040d8f9e2bb522ff9"
	    "9c63a344d6a2ae8aa8e51b7b90a4a806105fcbca31506c446151adfeceb51b91"
	    "abfe43960977c87471cf9ad4074d30e10d6a7f03c63bd5d4317f68ff325ba3bd"
	    "80bf4dc8b52a0ba031758022eb025cdd770b44d6d6cf0670f4e990b22347a7db"
	    "848265e3e5eb72dfe8299ad7481a408322cac55786e52f633b2fb6b614eaed18"
	    "d703dd84045a274ae8bfa73379661388d6991fe39b0d93debb41700b41f90a15"
	    "c4d526250235ddcd6776fc77bc97e7a417ebcb31600d01e57f32162a8560cacc"
	    "7e27a096d37a1a86952ec71bd89a3e9a30a2a26162984d7740f81193e8238e61"
	    "f6b5b984d4d3dfa033c1bb7e4f0037febf406d91c0dccf32acf423cfa1e70710"
	    "10d3f270121b493ce85054ef58bada42310138fe081adb04e2bd901f2f13458b"
	    "3d6758158197107c14ebb193230cd1157380aa79cae1374a7c1e5bbcb80ee23e"
	    "06ebfde206bfb0fcbc0edc4ebec309661bdd908d532eb0c6adc38b7ca7331dce"
	    "8dfce39ab71e7c32d318d136b6100671a1ae6a6600e3899f31f0eed19e3417d1"
	    "34b90c9058f8632c798d4490da4987307cba922d61c39805d072b589bd52fdf1"
	    "e86215c2d54e6670e07383a27bbffb5addf47d66aa85a0c6f9f32e59d85a44dd"
	    "5d3b22dc2be80919b490437ae4f36a0ae55edf1d0b5cb4e9a3ecabee93dfc6e3"
	    "8d209d0fa6536d27a5d6fbb17641cde27525d61093f1b28072d111b2b4ae5f89"
	    "d5974ee12e5cf7d5da4d6a31123041f33e61407e76cffcdcfd7e19ba58cf4b53"
	    "6f4c4938ae79324dc402894b44faf8afbab35282ab659d13c93f70412e85cb19"
	    "9a37ddec600545473cfb5a05e08d0b209973b2172b4d21fb69745a262ccde96b"
	    "a18b2faa745b6fe189cf772a9f84cbfc";
	static uint8_t		pkt[sizeof v1 / 2];
	struct flow		f;

	hex_bytes(v1, pkt, sizeof pkt);
	flow_new(c, &f, 17, "10.5.0.7", 51001, "93.184.216.34", 443);
	c->snap = 14 + 20 + 8 + 200;
	udp_send(c, &f, 0, pkt, sizeof pkt);
	c->snap = 0;
	adv(c, 10 * MS);
	flow_new(c, &f, 17, "10.5.0.7", 51000, "93.184.216.34", 443);
	udp_send(c, &f, 0, pkt, sizeof pkt);
	adv(c, f.rtt);
	memset(pkt, 0x5a, 60);
	pkt[0] = 0x41;
	udp_send(c, &f, 1, pkt, 60);
	adv(c, 10 * MS);
	hex_bytes(v2, pkt, sizeof pkt);
	flow_new(c, &f, 17, "10.5.0.7", 51002, "93.184.216.34", 443);
	udp_send(c, &f, 0, pkt, sizeof pkt);
}

static const struct scenario scenarios[] = {
	{ "bench", "-n N (default 200000) web fetches with DNS and pings, "
	    "for make bench", sc_bench, FMT_US, LT_EN10MB, 0, ENC_NONE, 0, 0 },
	{ "basic", "Ethernet pcap: TCP/UDP/ICMP/IPv6/ARP/OSPF, initiator, "
	    "RST, reopen, idle cases", sc_basic, FMT_US, LT_EN10MB, 0,
	    ENC_NONE, 0, 0 },
	{ "pcapng_basic", "basic as pcapng (SHB, one IDB, EPBs, us)",
	    sc_basic, FMT_PCAPNG, LT_EN10MB, 0, ENC_NONE, 0, 0 },
	{ "ns_basic", "basic as nanosecond pcap (0xa1b23c4d)", sc_basic,
	    FMT_NS, LT_EN10MB, 0, ENC_NONE, 0, 0 },
	{ "truncated", "basic without the last 20 bytes (cut inside the "
	    "last record)", sc_basic, FMT_US, LT_EN10MB, 0, ENC_NONE, 0, 20 },
	{ "split_time", "UDP and TCP with a packet every 10 s for 230 s: 4 "
	    "fragments each at 60 s", sc_split_time, FMT_US, LT_EN10MB, 0,
	    ENC_NONE, 0, 0 },
	{ "split_size", "one 101.5 MiB TCP session, caplen 96: 4 fragments "
	    "at 32 MiB", sc_split_size, FMT_US, LT_EN10MB, 0, ENC_NONE, 0, 0 },
	{ "lt_en10mb", "standard set, Ethernet (1)", sc_std, FMT_US,
	    LT_EN10MB, 0, ENC_NONE, FAM_V4 | FAM_V6, 0 },
	{ "lt_sll", "standard set, Linux cooked v1 (113)", sc_std, FMT_US,
	    LT_SLL, 0, ENC_NONE, FAM_V4 | FAM_V6, 0 },
	{ "lt_sll2", "standard set, Linux cooked v2 (276)", sc_std, FMT_US,
	    LT_SLL2, 0, ENC_NONE, FAM_V4 | FAM_V6, 0 },
	{ "lt_raw", "standard set, raw IP (101)", sc_std, FMT_US, LT_RAW, 0,
	    ENC_NONE, FAM_V4 | FAM_V6, 0 },
	{ "lt_raw12", "standard set, raw IP (12)", sc_std, FMT_US, LT_RAW12,
	    0, ENC_NONE, FAM_V4 | FAM_V6, 0 },
	{ "lt_raw14", "standard set, raw IP (14)", sc_std, FMT_US, LT_RAW14,
	    0, ENC_NONE, FAM_V4 | FAM_V6, 0 },
	{ "lt_ipv4", "IPv4 standard set, raw IPv4 (228)", sc_std, FMT_US,
	    LT_IPV4, 0, ENC_NONE, FAM_V4, 0 },
	{ "lt_ipv6", "IPv6 standard set, raw IPv6 (229)", sc_std, FMT_US,
	    LT_IPV6, 0, ENC_NONE, FAM_V6, 0 },
	{ "lt_null", "standard set, BSD NULL (0), little-endian AF 2/30",
	    sc_std, FMT_US, LT_NULL, 0, ENC_NONE, FAM_V4 | FAM_V6, 0 },
	{ "lt_loop", "standard set, OpenBSD LOOP (108), big-endian AF 2/24",
	    sc_std, FMT_US, LT_LOOP, 0, ENC_NONE, FAM_V4 | FAM_V6, 0 },
	{ "enc_vlan", "standard set in 802.1Q VLAN 100", sc_std, FMT_US,
	    LT_EN10MB, 0, ENC_VLAN, FAM_V4 | FAM_V6, 0 },
	{ "enc_qinq", "standard set in QinQ (0x88a8 300, 0x8100 200)", sc_std,
	    FMT_US, LT_EN10MB, 0, ENC_QINQ, FAM_V4 | FAM_V6, 0 },
	{ "enc_mpls", "standard set under MPLS labels 2002, 1001", sc_std,
	    FMT_US, LT_EN10MB, 0, ENC_MPLS, FAM_V4 | FAM_V6, 0 },
	{ "enc_pppoe", "standard set in PPPoE session 0x1234 (PPP 0x21/0x57)",
	    sc_std, FMT_US, LT_EN10MB, 0, ENC_PPPOE, FAM_V4 | FAM_V6, 0 },
	{ "enc_gre", "IPv4 set in GRE 0x0800, IPv6 set in GRE 0x6558 "
	    "(Ethernet)", sc_gre, FMT_US, LT_EN10MB, 0, ENC_NONE, 0, 0 },
	{ "enc_ipip", "IPv4 standard set in IPv4 (protocol 4)", sc_std,
	    FMT_US, LT_EN10MB, 0, ENC_IPIP, FAM_V4, 0 },
	{ "enc_6in4", "IPv6 standard set in IPv4 (protocol 41)", sc_std,
	    FMT_US, LT_EN10MB, 0, ENC_6IN4, FAM_V6, 0 },
	{ "enc_vxlan", "standard set in VXLAN (UDP 4789, VNI 4242, inner "
	    "Ethernet)", sc_std, FMT_US, LT_EN10MB, 0, ENC_VXLAN,
	    FAM_V4 | FAM_V6, 0 },
	{ "enc_gtpu", "standard set in GTP-U G-PDUs (UDP 2152)", sc_std,
	    FMT_US, LT_EN10MB, 0, ENC_GTPU, FAM_V4 | FAM_V6, 0 },
	{ "frags", "IPv4/IPv6 fragments: out of order, ICMP both ways, "
	    "incomplete", sc_frags, FMT_US, LT_EN10MB, 0, ENC_NONE, 0, 0 },
	{ "malformed", "standard IPv4 set plus short, non-IP and broken "
	    "headers, snap-cut session", sc_malformed, FMT_US, LT_EN10MB, 0,
	    ENC_NONE, 0, 0 },
	{ "pcapng_mixed", "pcapng, IPv4 set on Ethernet IDB, IPv6 set on raw "
	    "IDB (101)", sc_mixed, FMT_PCAPNG, LT_EN10MB, LT_RAW, ENC_NONE, 0,
	    0 },
	{ "pcapng_sll", "pcapng, IPv4 set on Ethernet IDB, IPv6 set on Linux "
	    "cooked IDB (113) with snap length 96", sc_ng_sll, FMT_PCAPNG,
	    LT_EN10MB, LT_SLL, ENC_NONE, 0, 0 },
	{ "icmp_tunnel", "ICMP tunnel 10.1.1.10 <-> 203.0.113.7 (131 s, 1.3 "
	    "MB) and ordinary pings", sc_icmp_tunnel, FMT_US, LT_EN10MB, 0,
	    ENC_NONE, 0, 0 },
	{ "dns_tunnel", "DNS tunnel TXT/NULL under t.example-tunnel.com, "
	    "ordinary DNS, text on TCP/53", sc_dns_tunnel, FMT_US, LT_EN10MB, 0,
	    ENC_NONE, 0, 0 },
	{ "escapes", "ESC sequences, control bytes, 0x7f, bad UTF-8 in DNS, "
	    "HTTP, SNI, TCP", sc_escapes, FMT_US, LT_EN10MB, 0, ENC_NONE, 0,
	    0 },
	{ "demo", "5 minutes of mixed traffic with the ICMP and DNS tunnels",
	    sc_demo, FMT_US, LT_EN10MB, 0, ENC_NONE, 0, 0 },
	{ "tcp_shuffle", "HTTP requests in small TCP segments: in order, "
	    "shuffled with repeats and overlaps, with and without the SYN",
	    sc_tcp_shuffle, FMT_US, LT_EN10MB, 0, ENC_NONE, 0, 0 },
	{ "hidden", "C1, bidi and invisible format characters, ESC, CR and "
	    "bad UTF-8 in DNS names and HTTP headers", sc_hidden, FMT_US,
	    LT_EN10MB, 0, ENC_NONE, 0, 0 },
	{ "flows-udp", "-n N (default 1000000) UDP flows of 1-2 datagrams, "
	    "all open at once", sc_flows_udp, FMT_US, LT_EN10MB, 0, ENC_NONE,
	    0, 0 },
	{ "flows-tcp", "-n N (default 1000000) TCP handshakes, all open at "
	    "once", sc_flows_tcp, FMT_US, LT_EN10MB, 0, ENC_NONE, 0, 0 },
	{ "flows-http", "-n N (default 500000) HTTP fetches cut after the "
	    "response headers, all open at once", sc_flows_http, FMT_US,
	    LT_EN10MB, 0, ENC_NONE, 0, 0 },
	{ "regex_names", "100,000 DNS queries for names on which "
	    "'^(a|a?)+$' backtracks catastrophically", sc_regex_names, FMT_US,
	    LT_EN10MB, 0, ENC_NONE, 0, 0 },
	{ "dns_snap", "DNS responses cut by the snap length (UDP, TCP) or "
	    "malformed after the question", sc_dns_snap, FMT_US, LT_EN10MB, 0,
	    ENC_NONE, 0, 0 },
	{ "dns_reverse", "PTR lookups: in-addr.arpa, ip6.arpa, a zone, a "
	    "non-address", sc_dns_reverse, FMT_US, LT_EN10MB, 0, ENC_NONE, 0,
	    0 },
	{ "http_iphost", "HTTP requests with Host 10.1.2.3, 10.1.2.3:8080, "
	    "[2001:db8::1]:80, www.example.com", sc_http_iphost, FMT_US,
	    LT_EN10MB, 0, ENC_NONE, 0, 0 },
	{ "local_names", "mDNS, LLMNR and NetBIOS name service queries and "
	    "answers", sc_local_names, FMT_US, LT_EN10MB, 0, ENC_NONE, 0, 0 },
	{ "quic_initial", "the QUIC v1 and v2 client Initials of RFC 9001 and "
	    "9369 A.2 (SNI example.com) to UDP 443", sc_quic_initial, FMT_US, LT_EN10MB, 0,
	    ENC_NONE, 0, 0 },
	{ "corr_dns", "DNS tunnel through a resolver, one query per session, "
	    "beside a busy CDN domain and SPF/DKIM lookups", sc_corr_dns,
	    FMT_US, LT_EN10MB, 0, ENC_NONE, 0, 0 },
	{ "corr_icmp", "data pings to 40 hosts, one packet per session, "
	    "beside monitoring pings", sc_corr_icmp, FMT_US, LT_EN10MB, 0, ENC_NONE,
	    0, 0 },
	{ "corr_pingp", "ping -p exfiltration one echo per session, beside "
	    "fixed-pattern monitoring, big pings and ptunnel-ng",
	    sc_corr_pingp, FMT_US, LT_EN10MB, 0, ENC_NONE, 0, 0 },
	{ "corr_mdns", "mDNS service discovery with long, hex-looking "
	    "instance names", sc_corr_mdns, FMT_US, LT_EN10MB, 0, ENC_NONE,
	    0, 0 },
	{ "corr_beacon", "a jittered beacon beside irregular HTTPS and "
	    "periodic NTP", sc_corr_beacon, FMT_US, LT_EN10MB, 0, ENC_NONE, 0,
	    0 },
	{ "retain", "a DNS lookup every 10 s for two hours, each its own "
	    "session", sc_retain, FMT_US, LT_EN10MB, 0, ENC_NONE, 0, 0 },
	{ "retain_tail", "retain cut to its last 30 minutes", sc_retain_tail,
	    FMT_US, LT_EN10MB, 0, ENC_NONE, 0, 0 },
	{ "retain_long", "a DNS lookup every 10 ms (-n of them, default "
	    "1,000,000)", sc_retain_long, FMT_US, LT_EN10MB, 0, ENC_NONE, 0,
	    0 },
	{ "tcp_lines", "one TCP session of 1,100 short segments whose lines "
	    "span segments", sc_tcp_lines, FMT_US, LT_EN10MB, 0, ENC_NONE, 0,
	    0 },
	{ "lt_nflog", "standard set, Linux NFLOG (239), family 2/10, "
	    "payload TLV", sc_std, FMT_US, LT_NFLOG, 0, ENC_NONE,
	    FAM_V4 | FAM_V6, 0 },
	{ "lt_wlan", "standard set, IEEE 802.11 (105) data frames with "
	    "LLC/SNAP, ToDS/FromDS, 2 protected", sc_wlan, FMT_US, LT_WLAN, 0,
	    ENC_NONE,
	    FAM_V4 | FAM_V6, 0 },
	{ "lt_radiotap", "standard set, radiotap (127) 802.11 QoS data, "
	    "+HTC from the AP", sc_std, FMT_US, LT_RADIOTAP, 0, ENC_NONE,
	    FAM_V4 | FAM_V6, 0 },
	{ "lt_frelay", "standard set over Frame Relay (107) and OSPFv3 "
	    "hellos to ff02::5", sc_ospf6, FMT_US, LT_FRELAY, 0, ENC_NONE, 0,
	    0 },
	{ "lt_lowpan", "6LoWPAN IPHC on IEEE 802.15.4 (230): UDP with NHC, "
	    "ICMPv6, ff02::1", sc_lowpan, FMT_US, LT_WPAN, 0, ENC_NONE, 0,
	    0 },
	{ "enc_vntag", "standard set behind a VN-Tag (0x8926)", sc_std,
	    FMT_US, LT_EN10MB, 0, ENC_VNTAG, FAM_V4 | FAM_V6, 0 },
	{ "enc_erspan2", "standard set mirrored in ERSPAN type II (GRE "
	    "0x88be)", sc_std, FMT_US, LT_EN10MB, 0, ENC_ERSPAN2,
	    FAM_V4 | FAM_V6, 0 },
	{ "enc_erspan3", "standard set mirrored in ERSPAN type III (GRE "
	    "0x22eb), subheader from the server", sc_std, FMT_US, LT_EN10MB,
	    0, ENC_ERSPAN3, FAM_V4 | FAM_V6, 0 },
	{ "ip_edges", "jumbogram, BIG TCP in VXLAN, odd IPv4 and IPv6 "
	    "options, IPv6 in 0x0800, WCCP, atomic and GTP-U fragments",
	    sc_ip_edges, FMT_US, LT_EN10MB, 0, ENC_NONE, 0, 0 }
};

/* Set up an empty capture for scenario s. */
static void
cap_init(struct cap *c, const struct scenario *s)
{
	memset(c, 0, sizeof *c);
	c->fmt = s->fmt;
	c->lt[0] = s->lt0;
	c->lt[1] = s->lt1;
	c->nif = s->lt1 != 0 ? 2 : 1;
	c->enc = s->enc;
	c->fam = s->fam;
	c->jitter = 1;
	c->rng = SEED;
	c->ipid = 0x3a00;
	c->tun[0] = addr_of("172.16.1.1");
	c->tun[1] = addr_of("172.16.2.1");
	c->now = BASE_NS;
}

/* Print the usage line and exit with status 2. */
static void __attribute__((noreturn))
usage(void)
{
	fputs("usage: capgen [-n SESSIONS] SCENARIO OUT | capgen -l\n", stderr);
	exit(2);
}

int
main(int argc, char **argv)
{
	const struct scenario	*s;
	struct cap		 c;
	size_t			 i;

	if (argc == 2 && strcmp(argv[1], "-l") == 0) {
		for (i = 0; i < nitems(scenarios); i++)
			printf("%-13s %s\n", scenarios[i].name,
			    scenarios[i].desc);
		return 0;
	}
	if (argc == 5 && strcmp(argv[1], "-n") == 0) {
		bench_sessions = flows_n = strtoul(argv[2], NULL, 10);
		argv += 2;
		argc -= 2;
	}
	if (argc != 3)
		usage();
	for (i = 0; i < nitems(scenarios); i++) {
		if (strcmp(scenarios[i].name, argv[1]) == 0)
			break;
	}
	if (i == nitems(scenarios)) {
		fprintf(stderr, "capgen: unknown scenario: %s\n", argv[1]);
		usage();
	}
	s = &scenarios[i];
	cap_init(&c, s);
	s->fn(&c);
	cap_write(&c, argv[2], s->trim);
	free(c.data.p);
	free(c.recs);
	return 0;
}
