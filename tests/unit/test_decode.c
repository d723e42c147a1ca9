/*
 * test_decode.c - the packet decoder: every link type, encapsulation and
 * tunnel, malformed frames with their exact reason, and IP reassembly.
 * Frames are built here, header by header, with lengths patched on close.
 */

#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <arpa/inet.h>

#include <cmocka.h>

#include "decode/decode.h"
#include "util/util.h"

#define SEC	1000000000ULL

/* A frame under construction; open headers get their length on close. */
struct fb {
	uint8_t	 b[8192];
	size_t	 n;
	size_t	 open[8];
	int	 kind[8];
	int	 nopen;
};

enum { FB_IP4, FB_IP6, FB_UDP, FB_TLV };

static const uint8_t mac_dst[6] = { 0x02, 0, 0, 0, 0, 0x01 };
static const uint8_t mac_src[6] = { 0x02, 0, 0, 0, 0, 0x02 };

/* Append bytes. */
static void
fb_put(struct fb *f, const void *p, size_t n)
{
	assert_true(f->n + n <= sizeof f->b);
	memcpy(f->b + f->n, p, n);
	f->n += n;
}

/* Append one byte. */
static void
fb_u8(struct fb *f, uint8_t v)
{
	fb_put(f, &v, 1);
}

/* Append a big-endian 16-bit value. */
static void
fb_u16(struct fb *f, uint16_t v)
{
	fb_u8(f, v >> 8);
	fb_u8(f, v & 0xff);
}

/* Append a big-endian 32-bit value. */
static void
fb_u32(struct fb *f, uint32_t v)
{
	fb_u16(f, v >> 16);
	fb_u16(f, v & 0xffff);
}

/* Append n zero bytes. */
static void
fb_zero(struct fb *f, size_t n)
{
	while (n-- > 0)
		fb_u8(f, 0);
}

/* The byte at position i of every test payload. */
static uint8_t
pat(size_t i)
{
	return ('a' + i % 26);
}

/* Append n bytes of the test payload pattern. */
static void
fb_payload(struct fb *f, size_t n)
{
	size_t	 i;

	for (i = 0; i < n; i++)
		fb_u8(f, pat(i));
}

/* Append an address given as text. */
static void
fb_addr(struct fb *f, int af, const char *s)
{
	uint8_t	 a[16];

	assert_int_equal(inet_pton(af == 4 ? AF_INET : AF_INET6, s, a), 1);
	fb_put(f, a, af == 4 ? 4 : 16);
}

/* Write a 16-bit value in this host's byte order (NFLOG TLV fields). */
static void
fb_host16(uint8_t *p, size_t v)
{
	uint16_t	 h = (uint16_t)v;

	memcpy(p, &h, 2);
}

/* Remember an open header whose length is patched by fb_close. */
static void
fb_push(struct fb *f, int kind)
{
	assert_true(f->nopen < 8);
	f->open[f->nopen] = f->n;
	f->kind[f->nopen++] = kind;
}

/* Close the innermost open header, writing its length. */
static void
fb_close(struct fb *f)
{
	size_t	 off, len;
	uint8_t	*p;

	assert_true(f->nopen > 0);
	off = f->open[--f->nopen];
	p = f->b + off;
	len = f->n - off;
	switch (f->kind[f->nopen]) {
	case FB_IP4:
		p[2] = len >> 8; p[3] = len & 0xff;
		break;
	case FB_IP6:
		len -= 40;
		p[4] = len >> 8; p[5] = len & 0xff;
		break;
	case FB_UDP:
		p[4] = len >> 8; p[5] = len & 0xff;
		break;
	case FB_TLV:
		fb_host16(p, len);
		break;
	}
}

/* Close every open header. */
static void
fb_done(struct fb *f)
{
	while (f->nopen > 0)
		fb_close(f);
}

/* Ethernet header with the test addresses. */
static void
fb_eth(struct fb *f, uint16_t type)
{
	fb_put(f, mac_dst, 6);
	fb_put(f, mac_src, 6);
	fb_u16(f, type);
}

/* A VLAN tag's TCI and the next type. */
static void
fb_vlan(struct fb *f, uint16_t id, uint16_t type)
{
	fb_u16(f, 0x2000 | id);
	fb_u16(f, type);
}

/* An IPv4 header with fragment field frag (flags and offset). */
static void
fb_ip4f(struct fb *f, const char *src, const char *dst, uint8_t proto,
    uint16_t id, uint16_t frag)
{
	fb_push(f, FB_IP4);
	fb_u8(f, 0x45);
	fb_u8(f, 0);
	fb_u16(f, 0);
	fb_u16(f, id);
	fb_u16(f, frag);
	fb_u8(f, 64);
	fb_u8(f, proto);
	fb_u16(f, 0);
	fb_addr(f, 4, src);
	fb_addr(f, 4, dst);
}

/* An unfragmented IPv4 header. */
static void
fb_ip4(struct fb *f, const char *src, const char *dst, uint8_t proto)
{
	fb_ip4f(f, src, dst, proto, 1, 0x4000);
}

/* An IPv6 fixed header. */
static void
fb_ip6(struct fb *f, const char *src, const char *dst, uint8_t nh)
{
	fb_push(f, FB_IP6);
	fb_u32(f, 0x60000000);
	fb_u16(f, 0);
	fb_u8(f, nh);
	fb_u8(f, 64);
	fb_addr(f, 6, src);
	fb_addr(f, 6, dst);
}

/* A UDP header. */
static void
fb_udp(struct fb *f, uint16_t sport, uint16_t dport)
{
	fb_push(f, FB_UDP);
	fb_u16(f, sport);
	fb_u16(f, dport);
	fb_u32(f, 0);
}

/* A 20-byte TCP header. */
static void
fb_tcp(struct fb *f, uint16_t sport, uint16_t dport, uint8_t flags,
    uint32_t seq)
{
	fb_u16(f, sport);
	fb_u16(f, dport);
	fb_u32(f, seq);
	fb_u32(f, 0);
	fb_u8(f, 0x50);
	fb_u8(f, flags);
	fb_u16(f, 65535);
	fb_u32(f, 0);
}

/* An 8-byte ICMP or ICMPv6 header. */
static void
fb_icmp(struct fb *f, uint8_t type, uint8_t code)
{
	fb_u8(f, type);
	fb_u8(f, code);
	fb_u16(f, 0);
	fb_u32(f, 0x00010001);
}

/* IPv4 UDP 10.0.0.1:1000 -> 10.0.0.2:53 with a payload of n bytes. */
static void
fb_ip4udp(struct fb *f, size_t n)
{
	fb_ip4(f, "10.0.0.1", "10.0.0.2", 17);
	fb_udp(f, 1000, 53);
	fb_payload(f, n);
	fb_close(f);
	fb_close(f);
}

/* Outer IPv4 192.0.2.1 -> 192.0.2.2 of the given protocol (left open). */
static void
fb_outer4(struct fb *f, uint8_t proto)
{
	fb_eth(f, 0x0800);
	fb_ip4(f, "192.0.2.1", "192.0.2.2", proto);
}

/*
 * An NFLOG header of family af and a packet-header TLV (hook 3, 0x0800);
 * with pay, the payload TLV left open (its length is written on close).
 */
static void
fb_nflog(struct fb *f, uint8_t af, bool pay)
{
	uint8_t	 tlv[4];

	fb_u8(f, af);
	fb_u8(f, 0);
	fb_u16(f, 0);
	fb_host16(tlv, 8);
	fb_host16(tlv + 2, 1);
	fb_put(f, tlv, 4);
	fb_u16(f, 0x0800);
	fb_u8(f, 3);
	fb_u8(f, 0);
	if (!pay)
		return;
	fb_push(f, FB_TLV);
	fb_host16(tlv, 0);
	fb_host16(tlv + 2, 9);
	fb_put(f, tlv, 4);
}

/*
 * An 802.11 MAC header of frame control fc0 fc1 (flags): the test
 * addresses as DA and SA where the DS bits put them, 0b:.. for the BSSID
 * and the transmitter; no QoS or HT control (tokens add them).
 */
static void
fb_wlan(struct fb *f, uint8_t fc0, uint8_t fc1)
{
	static const uint8_t bss[6] = { 0x0b, 0, 0, 0, 0, 0x0b };
	const uint8_t	*a[4];

	switch (fc1 & 3) {
	case 0:
		a[0] = mac_dst; a[1] = mac_src; a[2] = bss; a[3] = NULL;
		break;
	case 1:
		a[0] = bss; a[1] = mac_src; a[2] = mac_dst; a[3] = NULL;
		break;
	case 2:
		a[0] = mac_dst; a[1] = bss; a[2] = mac_src; a[3] = NULL;
		break;
	default:
		a[0] = bss; a[1] = bss; a[2] = mac_dst; a[3] = mac_src;
		break;
	}
	fb_u8(f, fc0);
	fb_u8(f, fc1);
	fb_u16(f, 0);
	fb_put(f, a[0], 6);
	fb_put(f, a[1], 6);
	fb_put(f, a[2], 6);
	fb_u16(f, 0x1230);
	if (a[3] != NULL)
		fb_put(f, a[3], 6);
}

/* Append bytes given in hex. */
static void
fb_hex(struct fb *f, const char *s)
{
	unsigned int	 v;

	assert_int_equal(strlen(s) % 2, 0);
	for (; *s != '\0'; s += 2) {
		assert_int_equal(sscanf(s, "%2x", &v), 1);
		fb_u8(f, v);
	}
}

/* Append an IP header from "SRC>DST/PROTO". */
static void
fb_spec_ip(struct fb *f, int af, const char *arg)
{
	char		 src[64], dst[64];
	unsigned int	 proto;

	assert_int_equal(sscanf(arg, "%63[^>]>%63[^/]/%u", src, dst, &proto),
	    3);
	if (af == 4)
		fb_ip4(f, src, dst, proto);
	else
		fb_ip6(f, src, dst, proto);
}

/* Append the frame part one token of a frame description stands for. */
static void
fb_token(struct fb *f, const char *t)
{
	const char	*arg = strchr(t, ':') != NULL ? strchr(t, ':') + 1 : "";
	unsigned int	 a, b, c, d;
	size_t		 n;

	if (strcmp(t, ")") == 0)
		fb_close(f);
	else if (sscanf(t, "eth:%x", &a) == 1)
		fb_eth(f, a);
	else if (sscanf(t, "vlan:%u:%x", &a, &b) == 2)
		fb_vlan(f, a, b);
	else if (sscanf(t, "sll:%x", &a) == 1) {
		fb_hex(f, "000000010006");
		fb_put(f, mac_src, 6);
		fb_hex(f, "0000");
		fb_u16(f, a);
	} else if (sscanf(t, "sll2:%x", &a) == 1) {
		fb_u16(f, a);
		fb_hex(f, "00000000000200010406");
		fb_put(f, mac_src, 6);
		fb_hex(f, "0000");
	} else if (sscanf(t, "nfhdr:%u", &a) == 1)
		fb_nflog(f, a, false);
	else if (sscanf(t, "nflog:%u", &a) == 1)
		fb_nflog(f, a, true);
	else if (sscanf(t, "wlan:%x:%x", &a, &b) == 2)
		fb_wlan(f, a, b);
	else if (sscanf(t, "snap:%x", &a) == 1) {
		fb_hex(f, "aaaa03000000");
		fb_u16(f, a);
	} else if (strncmp(t, "ip4:", 4) == 0)
		fb_spec_ip(f, 4, arg);
	else if (strncmp(t, "ip6:", 4) == 0)
		fb_spec_ip(f, 6, arg);
	else if (sscanf(t, "udp:%u>%u", &a, &b) == 2)
		fb_udp(f, a, b);
	else if (sscanf(t, "tcp:%u>%u/%x/%u", &a, &b, &c, &d) == 4)
		fb_tcp(f, a, b, c, d);
	else if (sscanf(t, "icmp:%u/%u", &a, &b) == 2)
		fb_icmp(f, a, b);
	else if (sscanf(t, "pay:%zu", &n) == 1)
		fb_payload(f, n);
	else if (sscanf(t, "z:%zu", &n) == 1)
		fb_zero(f, n);
	else if (strncmp(t, "x:", 2) == 0)
		fb_hex(f, arg);
	else if (sscanf(t, "@%zu=%x", &n, &a) == 2) {
		fb_done(f);		/* patches apply to the finished frame */
		f->b[n] = a;
	} else if (sscanf(t, "trim:%zu", &n) == 1) {
		fb_done(f);
		f->n = n;
	} else
		fail_msg("bad frame token '%s'", t);
}

/*
 * Build a frame from its description: space-separated tokens, headers
 * nested in the order given, ")" closing the innermost open one (IPv4,
 * IPv6 and UDP lengths are written on close; the end closes the rest).
 */
static void
fb_spec(struct fb *f, const char *spec)
{
	char	 buf[4096], *t, *last;

	assert_true(strlen(spec) < sizeof buf);
	strcpy(buf, spec);
	for (t = strtok_r(buf, " ", &last); t != NULL;
	    t = strtok_r(NULL, " ", &last))
		fb_token(f, t);
	fb_done(f);
}

/* --- the table --------------------------------------------------------- */

struct dcase {
	const char	*name;
	int		 dlt;
	const char	*frame;		/* see fb_spec */
	size_t		 cut;		/* bytes not captured at the end */
	enum decode_result res;
	enum decode_reason why;
	uint8_t		 medium;
	uint16_t	 eth_type;
	bool		 eth;
	uint8_t		 nvlan;
	uint16_t	 vlan[DECODE_MAXVLAN];
	uint8_t		 af, proto;
	const char	*src, *dst;
	uint8_t		 tunnels;
	uint16_t	 sport, dport;
	uint8_t		 flags;
	uint32_t	 seq;
	bool		 icmp;
	uint8_t		 type, code;
	uint32_t	 plen, pcap;
	bool		 opaque;	/* payload is not the test pattern */
	bool		 rebuilt;	/* payload is in the decoder (6LoWPAN) */
};

/* Frame description pieces. */
#define A4	"10.0.0.1>10.0.0.2"
#define A6	"2001:db8::1>2001:db8::2"
#define T4	"ip4:" A4 "/6 tcp:1234>80/12/1000 "
#define U4	"ip4:" A4 "/17 udp:1000>53 "
#define T6	"ip6:" A6 "/6 tcp:40000>443/18/7 "
#define U6	"ip6:" A6 "/17 udp:5353>53 "
#define OUT4(p)	"eth:0800 ip4:192.0.2.1>192.0.2.2/" #p " "
#define PPPOE	"x:110000010000 "	/* version, code, session, length */
#define VXLAN	"udp:51000>4789 x:0800000000123400 "
#define PBB	"eth:88e7 x:00000100 "
/* 802.15.4 data frame, PAN 0xabcd, short addresses 0x0002 -> 0x0001. */
#define WPAN	"x:4188 x:01 x:cdab x:0100 x:0200 "
#define PBB4	PBB PBB PBB PBB
#define PBB64	PBB4 PBB4 PBB4 PBB4 PBB4 PBB4 PBB4 PBB4 \
		PBB4 PBB4 PBB4 PBB4 PBB4 PBB4 PBB4 PBB4

/* Expected values. */
#define V4	.af = 4, .src = "10.0.0.1", .dst = "10.0.0.2"
#define V6	.af = 6, .src = "2001:db8::1", .dst = "2001:db8::2"
#define VOUT	.af = 4, .src = "192.0.2.1", .dst = "192.0.2.2"
#define ETH(t)	.medium = 1, .eth = true, .eth_type = (t)
#define ETH4	ETH(0x0800)
#define ETH6	ETH(0x86dd)
/* Payload length n from the headers, c bytes of it captured. */
#define TCP4(n, c) V4, .proto = 6, .sport = 1234, .dport = 80, .flags = 0x12, \
		.seq = 1000, .plen = (n), .pcap = (c)
#define TCP6(n, c) V6, .proto = 6, .sport = 40000, .dport = 443, \
		.flags = 0x18, .seq = 7, .plen = (n), .pcap = (c)
#define UDP4(n, c) V4, .proto = 17, .sport = 1000, .dport = 53, \
		.plen = (n), .pcap = (c)
#define UDP6(n, c) V6, .proto = 17, .sport = 5353, .dport = 53, \
		.plen = (n), .pcap = (c)
#define BAD(r)	.res = DECODE_UNASSIGNED, .why = (r)

static const struct dcase cases[] = {
	/* Ethernet and what it carries. */
	{ "ethernet ipv4 tcp", 1, "eth:0800 " T4 "pay:5", 0, ETH4,
	  TCP4(5, 5) },
	{ "ethernet ipv6 udp", 1, "eth:86dd " U6 "pay:10", 0, ETH6,
	  UDP6(10, 10) },
	{ "ethernet padding", 1, "eth:0800 " U4 "pay:2 ) ) z:16", 0, ETH4,
	  UDP4(2, 2) },
	{ "pppoe compressed protocol", 1, "eth:8864 x:11000001002d x:21 " U4
	  "pay:4", 0, ETH(0x8864), UDP4(4, 4) },
	{ "snap length cut", 1, "eth:0800 " T4 "pay:5", 3, ETH4, TCP4(5, 2) },
	{ "offload: total length 0", 1, "eth:0800 " T4 "pay:30 @16=00 @17=00",
	  0, ETH4, TCP4(30, 30) },
	{ "cut in tcp header", 1, "eth:86dd " T6 "pay:3", 13, ETH6, V6,
	  .proto = 6, .sport = 40000, .dport = 443, .seq = 7, .plen = 3 },
	{ "vlan", 1, "eth:8100 vlan:100:0800 " U4 "pay:4", 0, ETH(0x8100),
	  .nvlan = 1, .vlan = { 100 }, UDP4(4, 4) },
	{ "qinq", 1, "eth:88a8 vlan:200:8100 vlan:100:86dd " U6 "pay:4", 0,
	  ETH(0x88a8), .nvlan = 2, .vlan = { 200, 100 }, UDP6(4, 4) },
	{ "five tags", 1, "eth:9100 vlan:1:9100 vlan:2:8100 vlan:3:8100 "
	  "vlan:4:8100 vlan:4095:0800 " T4, 0, ETH(0x9100), .nvlan = 4,
	  .vlan = { 1, 2, 3, 4 }, TCP4(0, 0) },
	{ "mpls ipv4", 1, "eth:8847 x:00010040 x:00011140 "
	  "ip4:10.1.1.1>10.2.2.2/1 icmp:8/0 pay:56", 0, ETH(0x8847), .af = 4,
	  .src = "10.1.1.1", .dst = "10.2.2.2", .proto = 1, .icmp = true,
	  .type = 8, .plen = 56, .pcap = 56 },
	{ "mpls ipv6", 1, "eth:8848 x:00012140 " T6 "pay:1", 0, ETH(0x8848),
	  TCP6(1, 1) },
	{ "pppoe ipv4", 1, "eth:8864 " PPPOE "x:0021 " T4 "pay:7", 0,
	  ETH(0x8864), TCP4(7, 7) },
	{ "pppoe ipv6", 1, "eth:8864 " PPPOE "x:0057 " U6, 0, ETH(0x8864),
	  UDP6(0, 0) },

	/* The other link types. */
	{ "linux cooked", 113, "sll:0800 " U4 "pay:3", 0, .medium = 1,
	  .eth_type = 0x0800, UDP4(3, 3) },
	{ "linux cooked vlan", 113, "sll:8100 vlan:42:86dd " T6, 0,
	  .medium = 1, .eth_type = 0x8100, .nvlan = 1, .vlan = { 42 },
	  TCP6(0, 0) },
	{ "linux cooked v2", 276, "sll2:86dd " T6 "pay:9", 0, .medium = 1,
	  .eth_type = 0x86dd, TCP6(9, 9) },
	{ "raw 12 ipv4", 12, T4 "pay:5", 0, .medium = 13, TCP4(5, 5) },
	{ "raw 12 ipv6", 12, U6 "pay:10", 0, .medium = 13, UDP6(10, 10) },
	{ "raw 14 ipv4", 14, T4 "pay:5", 0, .medium = 13, TCP4(5, 5) },
	{ "raw 101 ipv6", 101, U6 "pay:10", 0, .medium = 13, UDP6(10, 10) },
	{ "ipv4 228", 228, T4 "pay:5", 0, .medium = 13, TCP4(5, 5) },
	{ "ipv6 229", 229, U6 "pay:10", 0, .medium = 13, UDP6(10, 10) },
	{ "null le inet", 0, "x:02000000 " T4 "pay:5", 0, .medium = 13,
	  TCP4(5, 5) },
	{ "null be inet", 0, "x:00000002 " T4 "pay:5", 0, .medium = 13,
	  TCP4(5, 5) },
	{ "null inet6 24", 0, "x:18000000 " U6 "pay:10", 0, .medium = 13,
	  UDP6(10, 10) },
	{ "null inet6 28", 0, "x:0000001c " U6 "pay:10", 0, .medium = 13,
	  UDP6(10, 10) },
	{ "null inet6 30", 0, "x:1e000000 " U6 "pay:10", 0, .medium = 13,
	  UDP6(10, 10) },
	{ "loop inet", 108, "x:00000002 " T4 "pay:5", 0, .medium = 13,
	  TCP4(5, 5) },
	{ "loop inet6", 108, "x:0000001e " U6 "pay:10", 0, .medium = 13,
	  UDP6(10, 10) },

	/* NFLOG, 802.11, ARCNET, PPP, Cisco HDLC, Frame Relay. */
	{ "nflog ipv4", 239, "nflog:2 " U4 "pay:5", 0, .medium = 13,
	  UDP4(5, 5) },
	{ "nflog ipv6", 239, "nflog:10 " T6 "pay:3", 0, .medium = 13,
	  TCP6(3, 3) },
	{ "nflog payload cut", 239, "nflog:2 " T4 "pay:30", 10, .medium = 13,
	  TCP4(30, 20) },
	{ "wlan to ds", 105, "wlan:08:01 snap:0800 " U4 "pay:4", 0, ETH4,
	  UDP4(4, 4) },
	{ "wlan from ds", 105, "wlan:08:02 snap:86dd " T6 "pay:4", 0, ETH6,
	  TCP6(4, 4) },
	{ "wlan ad hoc", 105, "wlan:08:00 snap:0800 " T4, 0, ETH4,
	  TCP4(0, 0) },
	{ "wlan wds", 105, "wlan:08:03 snap:0800 " U4 "pay:1", 0, ETH4,
	  UDP4(1, 1) },
	{ "wlan qos", 105, "wlan:88:01 x:0600 snap:0800 " U4 "pay:6", 0,
	  ETH4, UDP4(6, 6) },
	{ "wlan qos htc", 105, "wlan:88:82 x:0000 x:0300a0c0 snap:86dd " U6
	  "pay:7", 0, ETH6, UDP6(7, 7) },
	{ "wlan qos wds htc", 105, "wlan:88:83 x:0000 x:00000000 "
	  "snap:8100 vlan:5:0800 " T4 "pay:2", 0, ETH(0x8100), .nvlan = 1,
	  .vlan = { 5 }, TCP4(2, 2) },
	{ "wlan bridge tunnel oui", 105, "wlan:08:01 x:aaaa030000f8 x:0800 "
	  U4, 0, ETH4, UDP4(0, 0) },
	{ "wlan order without qos", 105, "wlan:08:81 snap:0800 " U4 "pay:2",
	  0, ETH4, UDP4(2, 2) },
	{ "radiotap qos htc", 127, "x:0000 x:0c00 x:00000000 x:00000000 "
	  "wlan:88:82 x:0000 x:00000000 snap:0800 " T4 "pay:9", 0, ETH4,
	  TCP4(9, 9) },
	{ "radiotap data pad", 127, "x:0000 x:0900 x:02000000 x:20 "
	  "wlan:88:01 x:0000 x:0000 snap:0800 " U4 "pay:2", 0, ETH4,
	  UDP4(2, 2) },
	{ "radiotap tsft data pad", 127, "x:0000 x:1a00 x:03000080 "
	  "x:00000000 z:4 z:8 x:2000 wlan:88:02 x:0000 x:0000 snap:0800 " U4,
	  0, ETH4, UDP4(0, 0) },
	{ "radiotap no data pad", 127, "x:0000 x:1a00 x:03000080 "
	  "x:00000000 z:4 z:8 x:1000 wlan:88:02 x:0000 snap:0800 " U4, 0,
	  ETH4, UDP4(0, 0) },
	{ "ppi wlan", 192, "x:00000800 x:69000000 wlan:08:02 snap:0800 " U4
	  "pay:2", 0, ETH4, UDP4(2, 2) },
	{ "ppi ethernet", 192, "x:00000800 x:01000000 eth:0800 " U4 "pay:2",
	  0, ETH4, UDP4(2, 2) },
	{ "arcnet linux rfc 1051", 129, "x:0a0b0000f0 " U4 "pay:3", 0,
	  .medium = 13, UDP4(3, 3) },
	{ "arcnet linux rfc 1201", 129, "x:0a0b0000d4 x:000165 " T4 "pay:3",
	  0, .medium = 13, TCP4(3, 3) },
	{ "arcnet rfc 1201 exception", 7, "x:0a0bd4 x:ffffffd4000165 " T4,
	  0, .medium = 13, TCP4(0, 0) },
	{ "arcnet bsd ipv6", 7, "x:0a0bc4 x:000001 " U6 "pay:1", 0,
	  .medium = 13, UDP6(1, 1) },
	{ "ppp ipv4", 9, "x:ff030021 " T4 "pay:2", 0, .medium = 13,
	  TCP4(2, 2) },
	{ "ppp compressed ipv6", 9, "x:57 " U6 "pay:2", 0, .medium = 13,
	  UDP6(2, 2) },
	{ "ppp mpls", 9, "x:ff030281 x:00012140 " U4, 0, .medium = 13,
	  UDP4(0, 0) },
	{ "ppp hdlc cisco", 50, "x:0f000800 " T4, 0, .medium = 13,
	  .eth_type = 0x0800, TCP4(0, 0) },
	{ "cisco hdlc", 104, "x:8f0086dd " U6 "pay:8", 0, .medium = 13,
	  .eth_type = 0x86dd, UDP6(8, 8) },
	{ "frame relay cisco", 107, "x:48e186dd " U6 "pay:3", 0,
	  .medium = 13, UDP6(3, 3) },
	{ "frame relay nlpid", 107, "x:485103cc " T4 "pay:3", 0,
	  .medium = 13, TCP4(3, 3) },
	{ "frame relay pad snap", 107, "x:48510300800000000800 " U4, 0,
	  .medium = 13, UDP4(0, 0) },
	{ "fddi snap", 10, "x:50 x:0200000000010200000000ff snap:0800 " U4
	  "pay:2", 0, .medium = 13, .eth_type = 0x0800, UDP4(2, 2) },
	{ "ip over infiniband", 242, "z:40 x:86dd0000 " T6 "pay:1", 0,
	  .medium = 13, .eth_type = 0x86dd, TCP6(1, 1) },
	{ "solaris ipnet ipv4", 226, "x:0102 z:22 " U4 "pay:1", 0,
	  .medium = 13, UDP4(1, 1) },
	{ "solaris ipnet ipv6", 226, "x:011a z:22 " U6, 0, .medium = 13,
	  UDP6(0, 0) },
	{ "pktap ethernet", 258, "x:0c000000 x:01000000 z:4 eth:0800 " T4
	  "pay:4", 0, ETH4, TCP4(4, 4) },
	{ "6lowpan uncompressed", 230, WPAN "x:41 " U6 "pay:3", 0,
	  .medium = 13, UDP6(3, 3) },
	{ "6lowpan with fcs", 195, WPAN "x:41 " U6 "pay:3 ) ) x:abcd", 0,
	  .medium = 13, UDP6(3, 3) },
	{ "6lowpan iphc inline udp", 230, WPAN "x:7e00 "
	  "x:20010db8000000000000000000000001 "
	  "x:20010db8000000000000000000000002 x:f014e900351234 pay:5", 0,
	  .medium = 13, UDP6(5, 5), .rebuilt = true },
	{ "6lowpan iphc from mac", 215, "z:6 " WPAN "x:7a33 x:3a "
	  "icmp:128/0 pay:4 x:0000", 0, .medium = 13, .af = 6,
	  .src = "fe80::ff:fe00:2", .dst = "fe80::ff:fe00:1", .proto = 58,
	  .icmp = true, .type = 128, .plen = 4, .pcap = 4, .rebuilt = true },
	{ "6lowpan iphc extended mac", 230, "x:41cc01cdab "
	  "x:0807060504030201 x:1817161514131211 x:7f33 x:f312beef pay:2", 0,
	  .medium = 13, .af = 6, .src = "fe80::1312:1314:1516:1718",
	  .dst = "fe80::302:304:506:708", .proto = 17, .sport = 0xf0b1,
	  .dport = 0xf0b2, .plen = 2, .pcap = 2, .rebuilt = true },
	{ "6lowpan iphc multicast", 230, WPAN "x:7f3b x:01 x:f4f0b11634 "
	  "pay:6", 0, .medium = 13, .af = 6, .src = "fe80::ff:fe00:2",
	  .dst = "ff02::1", .proto = 17, .sport = 0xf0b1, .dport = 5684,
	  .plen = 6, .pcap = 6, .rebuilt = true },
	{ "vn-tag", 1, "eth:8926 x:80010002 x:0800 " T4 "pay:1", 0,
	  ETH(0x8926), TCP4(1, 1) },
	{ "vlan vn-tag vlan", 1, "eth:8100 vlan:10:8926 x:00000000 x:8100 "
	  "vlan:20:86dd " U6, 0, ETH(0x8100), .nvlan = 2, .vlan = { 10, 20 },
	  UDP6(0, 0) },
	{ "802.1ah 64 deep", 1, PBB64 "eth:0800 " U4 "pay:1", 0,
	  ETH(0x88e7), UDP4(1, 1) },
	{ "802.1ah", 1, "eth:8100 vlan:3:88e7 x:00000100 eth:8100 "
	  "vlan:9:0800 " U4 "pay:3", 0, ETH(0x8100), .nvlan = 1,
	  .vlan = { 3 }, UDP4(3, 3) },
	{ "e-tag", 1, "eth:893f x:000000000000 x:0800 " U4 "pay:2", 0,
	  ETH(0x893f), UDP4(2, 2) },

	/* Tunnels. */
	{ "gre ipv4", 1, OUT4(47) "x:00000800 " U4 "pay:12", 0, ETH4,
	  .tunnels = 1, UDP4(12, 12) },
	{ "gre csum key seq", 1, OUT4(47) "x:b00086dd x:00000000 x:deadbeef "
	  "x:00000001 " T6 "pay:4", 0, ETH4, .tunnels = 1, TCP6(4, 4) },
	{ "gre ethernet", 1, OUT4(47) "x:20006558 x:00000007 eth:8100 "
	  "vlan:300:0800 " U4 "pay:6", 0, ETH4, .tunnels = 1, UDP4(6, 6) },
	{ "gre ppp", 1, OUT4(47) "x:3081880b x:00200001 x:00000005 "
	  "x:00000004 x:ff030021 " T4 "pay:8", 0, ETH4, .tunnels = 1,
	  TCP4(8, 8) },
	{ "gre ppp compressed", 1, OUT4(47) "x:2001880b x:00200001 x:57 "
	  U6 "pay:2", 0, ETH4, .tunnels = 1, UDP6(2, 2) },
	{ "gre ppp mppe", 1, OUT4(47) "x:2001880b x:00200001 x:00fd pay:10",
	  0, ETH4, VOUT, .proto = 47, .plen = 20, .pcap = 20,
	  .opaque = true },
	{ "gre erspan i", 1, OUT4(47) "x:000088be eth:0800 " U4 "pay:3", 0,
	  ETH4, .tunnels = 1, UDP4(3, 3) },
	{ "gre erspan i not ip", 1, OUT4(47) "x:000088be pay:20", 0,
	  BAD(DR_NOT_IP) },
	{ "gre erspan ii", 1, OUT4(47) "x:100088be x:00000007 "
	  "x:1064000100000005 eth:8100 vlan:7:0800 " T4 "pay:2", 0, ETH4,
	  .tunnels = 1, TCP4(2, 2) },
	{ "gre erspan ii bad version", 1, OUT4(47) "x:100088be x:00000007 "
	  "x:2064000100000005 eth:0800 " T4, 0, ETH4, VOUT, .proto = 47,
	  .plen = 70, .pcap = 70, .opaque = true },
	{ "gre erspan iii", 1, OUT4(47) "x:100022eb x:00000001 "
	  "x:20640001 x:12345678 x:00000000 eth:86dd " U6 "pay:4", 0, ETH4,
	  .tunnels = 1, UDP6(4, 4) },
	{ "gre erspan iii subheader", 1, OUT4(47) "x:000022eb "
	  "x:20640001 x:12345678 x:00000001 x:0123456789abcdef eth:0800 "
	  U4 "pay:1", 0, ETH4, .tunnels = 1, UDP4(1, 1) },

	{ "gre erspan iii cut", 1, OUT4(47) "x:000022eb x:20640001 "
	  "x:12345678 x:00000001 x:01234567", 0, ETH4, VOUT, .proto = 47,
	  .plen = 20, .pcap = 20, .opaque = true },
	{ "ip in ip", 1, OUT4(4) T4 "pay:5", 0, ETH4, .tunnels = 1,
	  TCP4(5, 5) },
	{ "6in4", 1, OUT4(41) U6 "pay:10", 0, ETH4, .tunnels = 1,
	  UDP6(10, 10) },
	{ "4in6", 1, "eth:86dd ip6:2001:db8::a>2001:db8::b/4 " U4 "pay:2", 0,
	  ETH6, .tunnels = 1, UDP4(2, 2) },
	{ "6in6", 1, "eth:86dd ip6:2001:db8::a>2001:db8::b/41 " T6 "pay:3",
	  0, ETH6, .tunnels = 1, TCP6(3, 3) },
	{ "vxlan", 1, OUT4(17) VXLAN "eth:0800 " T4 "pay:4", 0, ETH4,
	  .tunnels = 1, TCP4(4, 4) },
	{ "vxlan without i", 1, OUT4(17) "udp:51000>4789 pay:30", 0, ETH4,
	  VOUT, .proto = 17, .sport = 51000, .dport = 4789, .plen = 30,
	  .pcap = 30 },
	{ "gtp-u", 1, OUT4(17) "udp:2152>2152 x:30ff0000 x:11223344 " U4
	  "pay:5", 0, ETH4, .tunnels = 1, UDP4(5, 5) },
	{ "gtp-u extensions", 1, OUT4(17) "udp:2152>2152 x:36ff0000 "
	  "x:11223344 x:00090085 x:01000100 " T6 "pay:6", 0, ETH4,
	  .tunnels = 1, TCP6(6, 6) },
	{ "gtp echo", 1, OUT4(17) "udp:40000>2152 x:320100040000000000000000",
	  0, ETH4, VOUT, .proto = 17, .sport = 40000, .dport = 2152,
	  .plen = 12, .pcap = 12, .opaque = true },
	{ "vxlan gre ip", 1, OUT4(17) VXLAN "eth:0800 "
	  "ip4:172.16.0.1>172.16.0.2/47 x:00000800 "
	  "ip4:10.9.9.1>10.9.9.2/1 icmp:0/0 pay:32", 0, ETH4, .tunnels = 2,
	  .af = 4, .src = "10.9.9.1", .dst = "10.9.9.2", .proto = 1,
	  .icmp = true, .plen = 32, .pcap = 32 },

	/* IPv6 extension headers, ICMP, other protocols, odd lengths. */
	{ "ipv6 ext headers", 1, "eth:86dd ip6:fe80::1>ff02::1/0 "
	  "x:2b00 z:6 x:3c02 z:22 x:2c01 z:14 x:0600000000000063 "
	  "tcp:22>50000/11/3 pay:4", 0, ETH6, .af = 6, .src = "fe80::1",
	  .dst = "ff02::1", .proto = 6, .sport = 22, .dport = 50000,
	  .flags = 0x11, .seq = 3, .plen = 4, .pcap = 4 },
	{ "ipv6 ah", 1, "eth:86dd ip6:" A6 "/51 x:1104 z:22 udp:500>500 "
	  "pay:8", 0, ETH6, V6, .proto = 17, .sport = 500, .dport = 500,
	  .plen = 8, .pcap = 8 },
	{ "ipv6 esp", 1, "eth:86dd ip6:" A6 "/60 x:3200 z:6 pay:40", 0, ETH6,
	  V6, .proto = 50, .plen = 40, .pcap = 40 },
	{ "ipv6 no next", 1, "eth:86dd ip6:" A6 "/59", 0, ETH6, V6,
	  .proto = 59 },
	{ "icmpv6 echo", 1, "eth:86dd ip6:" A6 "/58 icmp:128/0 pay:20", 0,
	  ETH6, V6, .proto = 58, .icmp = true, .type = 128, .plen = 20,
	  .pcap = 20 },
	{ "icmp unreachable", 1, "eth:0800 ip4:" A4 "/1 icmp:3/3 pay:28", 0,
	  ETH4, V4, .proto = 1, .icmp = true, .type = 3, .code = 3,
	  .plen = 28, .pcap = 28 },
	{ "icmp cut", 1, "eth:0800 ip4:" A4 "/1 icmp:3/3 pay:28", 20, ETH4,
	  V4, .proto = 1, .icmp = true, .type = 3, .code = 3, .plen = 28,
	  .pcap = 8 },
	{ "icmp short", 1, "eth:0800 ip4:" A4 "/1 x:0800abcd", 0, ETH4, V4,
	  .proto = 1, .icmp = true, .type = 8 },
	{ "other protocol", 1, "eth:0800 ip4:" A4 "/132 pay:40", 0, ETH4, V4,
	  .proto = 132, .plen = 40, .pcap = 40 },
	{ "udp length too big", 1, "eth:0800 ip4:" A4 "/17 "
	  "x:03e8003503e70000 pay:12", 0, ETH4, UDP4(12, 12) },
	{ "udp cut after ports", 1, "eth:0800 " U4 "pay:2 ) ) z:16", 20,
	  ETH4, UDP4(2, 0) },
	{ "tcp options flags", 1, "eth:0800 ip4:" A4 "/6 x:00010002 "
	  "x:fffffffe x:00000000 x:80ff z:18 pay:11", 0, ETH4, V4,
	  .proto = 6, .sport = 1, .dport = 2, .flags = 0xff,
	  .seq = 0xfffffffe, .plen = 11, .pcap = 11 },
	{ "ipv4 options", 1, "eth:0800 ip4:" A4 "/17 x:01010100 udp:1>2 "
	  "pay:3 @14=46", 0, ETH4, V4, .proto = 17, .sport = 1, .dport = 2,
	  .plen = 3, .pcap = 3 },

	/* Not IP. */
	{ "arp", 1, "eth:0806 z:28", 0, BAD(DR_NOT_IP) },
	{ "802.3 llc", 1, "eth:002e z:46", 0, BAD(DR_NOT_IP) },
	{ "mpls ethernet pw", 1, "eth:8847 x:00012140 x:00000000 eth:0800",
	  0, BAD(DR_NOT_IP) },
	{ "pppoe lcp", 1, "eth:8864 x:110000010008 x:c021 z:6", 0,
	  BAD(DR_NOT_IP) },
	{ "null af 7", 0, "x:07000000 " T4, 0, BAD(DR_NOT_IP) },
	{ "loop host order", 108, "x:02000000 " T4, 0, BAD(DR_NOT_IP) },
	{ "vxlan arp", 1, OUT4(17) VXLAN "eth:0806 z:28", 0,
	  BAD(DR_NOT_IP) },

	{ "nflog without payload", 239, "nfhdr:2", 0, BAD(DR_NOT_IP) },
	{ "nflog family 7", 239, "nflog:7 " T4, 0, BAD(DR_NOT_IP) },
	{ "wlan protected", 105, "wlan:88:41 x:0000 pay:40", 0,
	  BAD(DR_ENCRYPTED) },
	{ "wlan null", 105, "wlan:48:01", 0, BAD(DR_NOT_IP) },
	{ "wlan beacon", 105, "wlan:80:00 pay:40", 0, BAD(DR_NOT_IP) },
	{ "wlan a-msdu", 105, "wlan:88:01 x:8000 snap:0800 " U4, 0,
	  BAD(DR_NOT_IP) },
	{ "wlan eapol", 105, "wlan:08:01 snap:888e z:20", 0,
	  BAD(DR_NOT_IP) },
	{ "wlan not snap", 105, "wlan:08:01 x:424203 z:20", 0,
	  BAD(DR_NOT_IP) },
	{ "arcnet arp", 129, "x:0a0b0000d5 x:000165 z:20", 0,
	  BAD(DR_NOT_IP) },
	{ "ppp lcp", 9, "x:ff03c021 z:8", 0, BAD(DR_NOT_IP) },
	{ "cisco slarp", 104, "x:8f008035 z:20", 0, BAD(DR_NOT_IP) },
	{ "pktap raw inside", 258, "x:08000000 x:0c000000 " T4, 0,
	  BAD(DR_NOT_IP) },
	{ "802.1ah 65 deep", 1, PBB64 "eth:88e7 x:00000100 eth:0800 " U4, 0,
	  BAD(DR_NOT_IP) },
	{ "6lowpan secured", 230, "x:49880101cdab01000200 x:41 " U6, 0,
	  BAD(DR_ENCRYPTED) },
	{ "6lowpan fragment", 230, WPAN "x:c0500001 x:7a33", 0,
	  BAD(DR_NOT_IP) },
	{ "802.15.4 beacon", 230, "x:00800100 z:10", 0, BAD(DR_NOT_IP) },
	{ "6lowpan iphc cut", 230, WPAN "x:7e00 x:20010db8", 0,
	  BAD(DR_LINK_TRUNC) },
	{ "fddi llc", 10, "x:50 z:12 x:424203 z:20", 0, BAD(DR_NOT_IP) },

	{ "gre erspan iii frame type 7", 1, OUT4(47) "x:000022eb x:20640001 "
	  "x:12345678 x:00001c00 " T4, 0, BAD(DR_NOT_IP) },

	/* Malformed. */
	{ "zero length", 1, "", 0, BAD(DR_LINK_TRUNC) },
	{ "zero length raw", 101, "", 0, BAD(DR_LINK_TRUNC) },
	{ "unsupported dlt 147", 147, "eth:0800 " T4, 0, BAD(DR_LINKTYPE) },
	{ "unsupported dlt 6", 6, "eth:0800 " T4, 0, BAD(DR_LINKTYPE) },
	{ "nflog tlv length 0", 239, "nflog:2 " T4 "@4=00 @5=00", 0,
	  BAD(DR_LINK_TRUNC) },
	{ "wlan cut", 105, "wlan:08:01 trim:20", 0, BAD(DR_LINK_TRUNC) },
	{ "wlan qos htc cut", 105, "wlan:88:83 x:0000 x:0000", 0,
	  BAD(DR_LINK_TRUNC) },
	{ "wlan snap cut", 105, "wlan:08:01 x:aaaa0300", 0,
	  BAD(DR_LINK_TRUNC) },
	{ "radiotap past capture", 127, "x:0000 x:4000 x:00000000 "
	  "wlan:08:01 snap:0800", 0, BAD(DR_LINK_TRUNC) },
	{ "arcnet cut", 129, "x:0a0b0000d4", 0, BAD(DR_LINK_TRUNC) },
	{ "frame relay cut", 107, "x:4851", 0, BAD(DR_LINK_TRUNC) },
	{ "vn-tag cut", 1, "eth:8926 x:8001", 0, BAD(DR_LINK_TRUNC) },
	{ "truncated ethernet", 1, "z:10", 0, BAD(DR_LINK_TRUNC) },
	{ "vlan cut", 1, "eth:8100 x:0005", 0, BAD(DR_LINK_TRUNC) },
	{ "mpls cut", 1, "eth:8847 x:00012040 x:0000", 0,
	  BAD(DR_LINK_TRUNC) },
	{ "pppoe cut", 1, "eth:8864 x:00000000", 0, BAD(DR_LINK_TRUNC) },
	{ "cooked cut", 113, "z:15", 0, BAD(DR_LINK_TRUNC) },
	{ "null cut", 0, "x:0002", 0, BAD(DR_LINK_TRUNC) },
	{ "bad ihl", 1, "eth:0800 " T4 "pay:20 @14=44", 0, BAD(DR_IP_BAD) },
	{ "version 7", 1, "eth:0800 " T4 "pay:20 @14=75", 0, BAD(DR_IP_BAD) },
	{ "total length < ihl", 1, "eth:0800 " T4 "pay:20 @16=00 @17=13", 0,
	  BAD(DR_IP_BAD) },
	/* IP's corners, read as tshark reads them. */
	{ "ipv4 options", 1, "eth:0800 ip4:" A4 "/17 x:94040000 "
	  "udp:1000>53 pay:10 @14=46", 0, ETH4, UDP4(10, 10) },
	{ "ipv4 option below its minimum", 1, "eth:0800 ip4:" A4 "/17 "
	  "x:8202f13500000000 udp:1000>53 pay:10 @14=47", 0, ETH4,
	  BAD(DR_IP_BAD) },
	{ "ipv4 option past header", 1, "eth:0800 ip4:" A4 "/17 x:6b250000 "
	  "udp:1000>53 pay:10 @14=46", 0, ETH4, UDP4(10, 10) },
	{ "ipv6 dstopt past header", 1, "eth:86dd ip6:" A6 "/60 x:1100ca28 "
	  "z:4 udp:5353>53 pay:10", 0, ETH6, BAD(DR_IP_BAD) },
	{ "ipv6 jumbogram", 1, "eth:86dd ip6:" A6 "/0 x:1100c204 x:0000001a "
	  "udp:5353>53 pay:10 @18=0 @19=0", 0, ETH6, UDP6(10, 10) },
	{ "wccp", 1, OUT4(47) "x:0000883e x:00000010 " T4 "pay:5", 0, ETH4,
	  .tunnels = 1, TCP4(5, 5) },
	{ "wccp without redirect header", 1, OUT4(47) "x:0000883e " T4
	  "pay:5", 0, ETH4, .tunnels = 1, TCP4(5, 5) },
	{ "vxlan udp length 0", 1, OUT4(17) VXLAN "eth:0800 " T4 "pay:4 "
	  "@38=0 @39=0", 0, ETH4, VOUT, .proto = 17, .sport = 51000,
	  .dport = 4789, .plen = 66, .pcap = 66, .opaque = true },
	/* tshark reads version 6 where IPv4 is announced (not the reverse). */
	{ "ipv6 in 228", 228, U6 "pay:10", 0, .medium = 13, UDP6(10, 10) },
	{ "ipv6 in 0800", 1, "eth:0800 " U6 "pay:10", 0, ETH(0x0800),
	  UDP6(10, 10) },
	{ "ipv4 in 229", 229, T4, 0, BAD(DR_IP_BAD) },
	{ "ipv4 in ipv6 type", 1, "eth:86dd " T4, 0, BAD(DR_IP_BAD) },
	{ "ipv6 ext past payload", 1, "eth:86dd ip6:" A6 "/60 x:0604 z:14", 0,
	  BAD(DR_IP_BAD) },
	{ "ihl past capture", 1, "eth:0800 " T4 "@14=4f", 0,
	  BAD(DR_IP_TRUNC) },
	{ "truncated ipv4", 1, "eth:0800 x:45000054 z:8", 0,
	  BAD(DR_IP_TRUNC) },
	{ "raw one byte", 12, "x:45", 0, BAD(DR_IP_TRUNC) },
	{ "truncated ipv6", 1, "eth:86dd x:60000000 z:20", 0,
	  BAD(DR_IP_TRUNC) },
	{ "ipv6 ext cut", 1, "eth:86dd ip6:fe80::1>ff02::1/0 x:2b00 z:6 "
	  "x:3c02 z:22 " T4 "trim:72", 0, BAD(DR_IP_TRUNC) },
	{ "gre inner cut", 1, OUT4(47) "x:00000800 x:45000054 z:6", 0,
	  BAD(DR_IP_TRUNC) },
	{ "tcp cut before ports", 1, "eth:0800 ip4:" A4 "/6 x:04d2", 0,
	  BAD(DR_L4_TRUNC) },
	{ "tcp shorter than 20", 1, "eth:0800 ip4:" A4 "/6 x:04d20050 z:8",
	  0, BAD(DR_L4_TRUNC) },
	{ "tcp data offset 3", 1, "eth:0800 " T4 "pay:8 @46=30", 0,
	  BAD(DR_L4_TRUNC) },
	{ "tcp data offset past", 1, "eth:0800 " T4 "pay:8 @46=f0", 0,
	  BAD(DR_L4_TRUNC) },
	{ "udp cut", 1, "eth:0800 ip4:" A4 "/17 x:03e800", 0,
	  BAD(DR_L4_TRUNC) },
	{ "udp shorter than 8", 1, "eth:0800 ip4:" A4 "/17 x:03e800350006",
	  0, BAD(DR_L4_TRUNC) },
};

/* Compare a field of case c with what it should be. */
#define CHECK(got, want) do {						\
	if ((uintmax_t)(got) != (uintmax_t)(want))			\
		fail_msg("%s: %s is %ju, want %ju", c->name, #got,	\
		    (uintmax_t)(got), (uintmax_t)(want));		\
} while (0)

/* Compare an address with its text form. */
static void
check_addr(const char *name, int af, const uint8_t *got, const char *want)
{
	uint8_t	 a[16];

	memset(a, 0, sizeof a);
	assert_int_equal(inet_pton(af == 4 ? AF_INET : AF_INET6, want, a), 1);
	if (memcmp(got, a, 16) != 0)
		fail_msg("%s: address is not %s", name, want);
}

/* Check the decoded transport and payload of one case. */
static void
check_transport(const struct dcase *c, const struct decoded *d,
    const struct fb *f, uint32_t caplen)
{
	uint32_t	 i;

	CHECK(d->sport, c->sport);
	CHECK(d->dport, c->dport);
	CHECK(d->tcp_flags, c->flags);
	CHECK(d->tcp_seq, c->seq);
	CHECK(d->has_icmp, c->icmp);
	CHECK(d->icmp_type, c->type);
	CHECK(d->icmp_code, c->code);
	CHECK(d->payload_len, c->plen);
	CHECK(d->payload_caplen, c->pcap);
	CHECK(d->nfrags, 0);
	if (c->pcap == 0)
		return;
	if (!c->rebuilt) {
		CHECK(d->payload >= f->b, 1);
		CHECK(d->payload + d->payload_caplen <= f->b + caplen, 1);
	}
	for (i = 0; !c->opaque && i < d->payload_caplen; i++)
		CHECK(d->payload[i], pat(i));
}

/* Run one table case. */
static void
run_case(struct decoder *dec, const struct dcase *c)
{
	struct fb		 f;
	struct decoded		 d;
	struct pkt_ref		 ref = { 0, 0, 0, 0 };
	enum decode_reason	 why = DR_COUNT;
	enum decode_result	 r;
	uint32_t		 caplen;
	uint8_t			 i;

	memset(&f, 0, sizeof f);
	memset(&d, 0xa5, sizeof d);	/* no field may be left stale */
	fb_spec(&f, c->frame);
	caplen = f.n - c->cut;
	ref.wirelen = f.n;
	r = decode_packet(dec, c->dlt, f.b, caplen, &ref, &d, &why);
	if (r != c->res || why != c->why)
		fail_msg("%s: result %d reason %s", c->name, r,
		    decode_reason_names[why]);
	if (r != DECODE_OK)
		return;
	CHECK(d.medium, c->medium);
	CHECK(d.eth_type, c->eth_type);
	CHECK(d.has_eth, c->eth);
	if (c->eth) {
		CHECK(memcmp(d.eth_dst, mac_dst, 6), 0);
		CHECK(memcmp(d.eth_src, mac_src, 6), 0);
	}
	CHECK(d.nvlan, c->nvlan);
	for (i = 0; i < c->nvlan; i++)
		CHECK(d.vlan[i], c->vlan[i]);
	CHECK(d.af, c->af);
	CHECK(d.proto, c->proto);
	check_addr(c->name, c->af, d.src, c->src);
	check_addr(c->name, c->af, d.dst, c->dst);
	CHECK(d.tunnels, c->tunnels);
	check_transport(c, &d, &f, caplen);
}

/* Every table case, on one decoder. */
static void
test_table(void **state)
{
	struct decoder	*dec;
	size_t		 i;

	(void)state;
	dec = decoder_new(NULL);
	for (i = 0; i < nitems(cases); i++)
		run_case(dec, &cases[i]);
	decoder_free(dec);
}

/* The reason names are the ones --stats prints. */
static void
test_reason_names(void **state)
{
	static const char *const want[DR_COUNT] = {
		"assigned", "unsupported link type", "truncated link header",
		"not ip", "truncated ip header", "bad ip header",
		"truncated transport header", "incomplete ip fragment",
		"encrypted frame",
	};
	int	 i;

	(void)state;
	for (i = 0; i < DR_COUNT; i++)
		assert_string_equal(decode_reason_names[i], want[i]);
}

/* The supported link types, and a few that are not. */
static void
test_dlt_supported(void **state)
{
	static const int yes[] = { 0, 1, 7, 9, 10, 12, 14, 50, 101, 104,
	    105, 107, 108, 113, 127, 129, 192, 195, 215, 226, 228, 229, 230,
	    239, 242, 258, 276 };
	static const int no[] = { -1, 2, 6, 147, 220, 283, 1000 };
	size_t	 i;

	(void)state;
	for (i = 0; i < nitems(yes); i++)
		assert_true(decode_dlt_supported(yes[i]));
	for (i = 0; i < nitems(no); i++)
		assert_false(decode_dlt_supported(no[i]));
}

/* --- fragments -------------------------------------------------------- */

/* Fragments reported through the expire callback. */
struct expired {
	struct pkt_ref	 refs[8192];
	size_t		 n;
};

/* Collect one reported fragment. */
static void
collect(const struct pkt_ref *r, void *arg)
{
	struct expired	*e = arg;

	assert_true(e->n < nitems(e->refs));
	e->refs[e->n++] = *r;
}

/* A UDP datagram 10.0.0.1:1000 -> 10.0.0.2:53 of n payload bytes. */
static size_t
make_udp(uint8_t *b, size_t n)
{
	size_t	 i;

	b[0] = 1000 >> 8; b[1] = 1000 & 0xff;
	b[2] = 0; b[3] = 53;
	b[4] = (n + 8) >> 8; b[5] = (n + 8) & 0xff;
	b[6] = b[7] = 0;
	for (i = 0; i < n; i++)
		b[8 + i] = pat(i);
	return (n + 8);
}

/* A decoder, with the frames it is fed. */
struct ftest {
	struct decoder	*dec;
	struct decoded	 d;
	enum decode_reason why;
	uint64_t	 ordinal;
	uint8_t		 dgram[70000];	/* the datagram being cut up */
	struct expired	 e;
};

/* Feed one frame at time ts (seconds). */
static enum decode_result
feed(struct ftest *t, int dlt, const struct fb *f, size_t caplen, uint64_t ts)
{
	struct pkt_ref	 ref;

	ref.ordinal = t->ordinal++;
	ref.ts = ts * SEC;
	ref.wirelen = f->n;
	ref.input = 0;
	return (decode_packet(t->dec, dlt, f->b, caplen, &ref, &t->d, &t->why));
}

/* Feed an Ethernet IPv4 fragment [off, off + len) of t->dgram. */
static enum decode_result
feed4(struct ftest *t, uint16_t vlan, uint16_t id, size_t off, size_t len,
    bool more, size_t cut, uint64_t ts)
{
	struct fb	 f;

	memset(&f, 0, sizeof f);
	fb_eth(&f, 0x8100);
	fb_vlan(&f, vlan, 0x0800);
	fb_ip4f(&f, "10.0.0.1", "10.0.0.2", 17, id,
	    (more ? 0x2000 : 0) | off / 8);
	fb_put(&f, t->dgram + off, len);
	fb_done(&f);
	return (feed(t, 1, &f, f.n - cut, ts));
}

/* Start a fragment test with a UDP datagram of n payload bytes. */
static struct ftest *
ftest_new(const struct decode_config *cfg, size_t n)
{
	struct ftest	*t;

	t = test_calloc(1, sizeof *t);
	t->dec = decoder_new(cfg);
	make_udp(t->dgram, n);
	return (t);
}

/* End a fragment test. */
static void
ftest_free(struct ftest *t)
{
	decoder_free(t->dec);
	test_free(t);
}

/* Check a completed UDP datagram of n payload bytes with fragment order. */
static void
check_dgram(struct ftest *t, size_t n, size_t ncap, const uint64_t *order,
    size_t nfrags)
{
	size_t	 i;

	assert_int_equal(t->why, DR_NONE);
	assert_int_equal(t->d.af, 4);
	assert_int_equal(t->d.proto, 17);
	check_addr("dgram", 4, t->d.src, "10.0.0.1");
	assert_int_equal(t->d.sport, 1000);
	assert_int_equal(t->d.dport, 53);
	assert_int_equal(t->d.payload_len, n);
	assert_int_equal(t->d.payload_caplen, ncap);
	for (i = 0; i < ncap; i++)
		assert_int_equal(t->d.payload[i], pat(i));
	assert_int_equal(t->d.nfrags, nfrags);
	for (i = 0; i < nfrags; i++)
		assert_int_equal(t->d.frags[i].ordinal, order[i]);
}

/* Three fragments in order; the link layer is the first one's. */
static void
test_frag_inorder(void **state)
{
	static const uint64_t order[] = { 0, 1, 2 };
	struct ftest	*t = ftest_new(NULL, 3000);

	(void)state;
	assert_int_equal(feed4(t, 10, 7, 0, 1480, true, 0, 1), DECODE_HELD);
	assert_int_equal(t->why, DR_NONE);
	assert_int_equal(feed4(t, 20, 7, 1480, 1480, true, 0, 1), DECODE_HELD);
	assert_int_equal(feed4(t, 20, 7, 2960, 48, false, 0, 2), DECODE_OK);
	check_dgram(t, 3000, 3000, order, 3);
	assert_int_equal(t->d.frags[2].ts, 2 * SEC);
	assert_int_equal(t->d.nvlan, 1);
	assert_int_equal(t->d.vlan[0], 10);
	assert_int_equal(t->d.eth_type, 0x8100);
	assert_int_equal(t->d.medium, 1);
	decoder_flush(t->dec, collect, &t->e);
	assert_int_equal(t->e.n, 0);
	ftest_free(t);
}

/* Last fragment first, then the others; other traffic in between. */
static void
test_frag_outoforder(void **state)
{
	static const uint64_t order[] = { 0, 2, 3 };
	struct ftest	*t = ftest_new(NULL, 3000);
	struct fb	 f;

	(void)state;
	assert_int_equal(feed4(t, 30, 9, 2960, 48, false, 0, 1), DECODE_HELD);
	memset(&f, 0, sizeof f);
	fb_spec(&f, "eth:0800 " T4 "pay:3");
	assert_int_equal(feed(t, 1, &f, f.n, 1), DECODE_OK);
	assert_int_equal(t->d.nfrags, 0);
	assert_int_equal(feed4(t, 10, 9, 0, 1480, true, 0, 1), DECODE_HELD);
	assert_int_equal(feed4(t, 20, 9, 1480, 1480, true, 0, 1), DECODE_OK);
	check_dgram(t, 3000, 3000, order, 3);
	assert_int_equal(t->d.vlan[0], 30);
	ftest_free(t);
}

/* A duplicate fragment is held and listed with the datagram. */
static void
test_frag_duplicate(void **state)
{
	static const uint64_t order[] = { 0, 1, 2 };
	struct ftest	*t = ftest_new(NULL, 2000);

	(void)state;
	assert_int_equal(feed4(t, 1, 5, 0, 1480, true, 0, 1), DECODE_HELD);
	assert_int_equal(feed4(t, 1, 5, 0, 1480, true, 0, 1), DECODE_HELD);
	assert_int_equal(feed4(t, 1, 5, 1480, 528, false, 0, 1), DECODE_OK);
	check_dgram(t, 2000, 2000, order, 3);
	/* A late copy starts a datagram of its own that never completes. */
	assert_int_equal(feed4(t, 1, 5, 0, 1480, true, 0, 1), DECODE_HELD);
	decoder_flush(t->dec, collect, &t->e);
	assert_int_equal(t->e.n, 1);
	assert_int_equal(t->e.refs[0].ordinal, 3);
	ftest_free(t);
}

/* Overlapping fragments: the bytes that arrived first win. */
static void
test_frag_overlap(void **state)
{
	static const uint64_t order[] = { 0, 1, 2 };
	struct ftest	*t = ftest_new(NULL, 2000);
	uint8_t		 keep[2008];
	size_t		 i;

	(void)state;
	memcpy(keep, t->dgram, sizeof keep);
	assert_int_equal(feed4(t, 1, 6, 0, 1000, true, 0, 1), DECODE_HELD);
	memset(t->dgram + 800, 'X', 1000);	/* rewritten before sending */
	assert_int_equal(feed4(t, 1, 6, 800, 1000, true, 0, 1), DECODE_HELD);
	memset(t->dgram + 1600, 'Y', 408);
	assert_int_equal(feed4(t, 1, 6, 1600, 408, false, 0, 1), DECODE_OK);
	assert_int_equal(t->d.payload_len, 2000);
	assert_int_equal(t->d.payload_caplen, 2000);
	assert_int_equal(t->d.nfrags, 3);
	for (i = 0; i < 3; i++)
		assert_int_equal(t->d.frags[i].ordinal, order[i]);
	for (i = 0; i < 2000; i++) {
		uint8_t	 want = i + 8 < 1000 ? keep[i + 8] :
		    i + 8 < 1800 ? 'X' : 'Y';
		assert_int_equal(t->d.payload[i], want);
	}
	ftest_free(t);
}

/* Fragments whose datagram never completes expire after the timeout. */
static void
test_frag_timeout(void **state)
{
	struct ftest	*t = ftest_new(NULL, 3000);

	(void)state;
	assert_int_equal(feed4(t, 1, 1, 0, 1480, true, 0, 100), DECODE_HELD);
	assert_int_equal(feed4(t, 1, 2, 0, 1480, true, 0, 110), DECODE_HELD);
	assert_int_equal(feed4(t, 1, 1, 1480, 1480, true, 0, 120),
	    DECODE_HELD);
	decoder_expire(t->dec, 130 * SEC, collect, &t->e);
	assert_int_equal(t->e.n, 0);
	decoder_expire(t->dec, 130 * SEC + 1, collect, &t->e);
	assert_int_equal(t->e.n, 2);		/* both of datagram 1 */
	assert_int_equal(t->e.refs[0].ordinal, 0);
	assert_int_equal(t->e.refs[1].ordinal, 2);
	/* Its last fragment now starts a new datagram. */
	assert_int_equal(feed4(t, 1, 1, 2960, 48, false, 0, 131),
	    DECODE_HELD);
	decoder_expire(t->dec, 141 * SEC, collect, &t->e);
	assert_int_equal(t->e.n, 3);
	assert_int_equal(t->e.refs[2].ordinal, 1);
	decoder_flush(t->dec, collect, &t->e);
	assert_int_equal(t->e.n, 4);
	assert_int_equal(t->e.refs[3].ordinal, 3);
	ftest_free(t);
}

/* A datagram past the cap is dropped and reported at the next expire. */
static void
test_frag_overcap(void **state)
{
	struct decode_config cfg = { 0, 4000 };
	struct ftest	*t = ftest_new(&cfg, 5000);

	(void)state;
	assert_int_equal(feed4(t, 1, 3, 0, 1480, true, 0, 1), DECODE_HELD);
	assert_int_equal(feed4(t, 1, 3, 1480, 1480, true, 0, 1), DECODE_HELD);
	assert_int_equal(feed4(t, 1, 3, 2960, 1480, true, 0, 1), DECODE_HELD);
	decoder_expire(t->dec, 1 * SEC, collect, &t->e);
	assert_int_equal(t->e.n, 3);
	assert_int_equal(t->e.refs[2].ordinal, 2);
	decoder_flush(t->dec, collect, &t->e);
	assert_int_equal(t->e.n, 3);
	ftest_free(t);

	/* The default cap: offset 64000 plus 2000 bytes is too much. */
	t = ftest_new(NULL, 66000);
	assert_int_equal(feed4(t, 1, 4, 64000, 2000, false, 0, 1),
	    DECODE_HELD);
	decoder_expire(t->dec, 0, collect, &t->e);
	assert_int_equal(t->e.n, 1);
	ftest_free(t);
}

/* The end of input reports every held fragment, oldest datagram first. */
static void
test_frag_flush(void **state)
{
	struct ftest	*t = ftest_new(NULL, 3000);

	(void)state;
	assert_int_equal(feed4(t, 1, 1, 0, 1480, true, 0, 1), DECODE_HELD);
	assert_int_equal(feed4(t, 1, 2, 1480, 1480, true, 0, 2), DECODE_HELD);
	assert_int_equal(feed4(t, 1, 1, 2960, 48, false, 0, 3), DECODE_HELD);
	decoder_flush(t->dec, collect, &t->e);
	assert_int_equal(t->e.n, 3);
	assert_int_equal(t->e.refs[0].ordinal, 0);
	assert_int_equal(t->e.refs[1].ordinal, 2);
	assert_int_equal(t->e.refs[2].ordinal, 1);
	decoder_flush(t->dec, collect, &t->e);
	decoder_expire(t->dec, 1000 * SEC, collect, &t->e);
	assert_int_equal(t->e.n, 3);
	ftest_free(t);
}

/* A fragment cut by the snap length still completes its datagram. */
static void
test_frag_snaplen(void **state)
{
	static const uint64_t order[] = { 0, 1 };
	struct ftest	*t = ftest_new(NULL, 2000);

	(void)state;
	assert_int_equal(feed4(t, 1, 8, 0, 1480, true, 1000, 1), DECODE_HELD);
	assert_int_equal(feed4(t, 1, 8, 1480, 528, false, 0, 1), DECODE_OK);
	/* 480 bytes captured of the first; whole 8-byte blocks: 480. */
	check_dgram(t, 2000, 480 - 8, order, 2);
	ftest_free(t);
}

/* A completed datagram whose transport does not decode: all unassigned. */
static void
test_frag_bad_transport(void **state)
{
	struct ftest	*t = ftest_new(NULL, 0);
	struct fb	 f;

	(void)state;
	memset(&f, 0, sizeof f);
	fb_eth(&f, 0x0800);
	fb_ip4f(&f, "10.0.0.1", "10.0.0.2", 6, 77, 0x2000);
	fb_payload(&f, 8);
	fb_done(&f);
	assert_int_equal(feed(t, 1, &f, f.n, 1), DECODE_HELD);
	memset(&f, 0, sizeof f);
	fb_eth(&f, 0x0800);
	fb_ip4f(&f, "10.0.0.1", "10.0.0.2", 6, 77, 1);
	fb_payload(&f, 8);
	fb_done(&f);
	assert_int_equal(feed(t, 1, &f, f.n, 1), DECODE_UNASSIGNED);
	assert_int_equal(t->why, DR_L4_TRUNC);	/* 16-byte TCP segment */
	assert_int_equal(t->d.nfrags, 2);
	ftest_free(t);
}

/* Feed an IPv6 fragment [off, off + len) with extension headers around. */
static enum decode_result
feed6(struct ftest *t, size_t off, size_t len, bool more, uint64_t ts)
{
	struct fb	 f;

	memset(&f, 0, sizeof f);
	fb_eth(&f, 0x86dd);
	fb_ip6(&f, "2001:db8::1", "2001:db8::2", 0);
	fb_u8(&f, 44);			/* hop-by-hop before */
	fb_u8(&f, 0);
	fb_zero(&f, 6);
	fb_u8(&f, 60);			/* fragment: destination options next */
	fb_u8(&f, 0);
	fb_u16(&f, off | more);
	fb_u32(&f, 0xabcdef01);
	fb_put(&f, t->dgram + off, len);
	fb_done(&f);
	return (feed(t, 1, &f, f.n, ts));
}

/* IPv6 fragments, with an extension header inside the datagram. */
static void
test_frag_ipv6(void **state)
{
	static const uint64_t order[] = { 0, 1, 2 };
	struct ftest	*t = ftest_new(NULL, 0);
	size_t		 i;

	(void)state;
	t->dgram[0] = 17;		/* destination options, 8 bytes */
	t->dgram[1] = 0;
	make_udp(t->dgram + 8, 2500);
	assert_int_equal(feed6(t, 1232, 1232, true, 5), DECODE_HELD);
	assert_int_equal(feed6(t, 0, 1232, true, 5), DECODE_HELD);
	assert_int_equal(feed6(t, 2464, 2516 - 2464, false, 6), DECODE_OK);
	assert_int_equal(t->why, DR_NONE);
	assert_int_equal(t->d.af, 6);
	assert_int_equal(t->d.proto, 17);
	check_addr("ipv6", 6, t->d.dst, "2001:db8::2");
	assert_int_equal(t->d.sport, 1000);
	assert_int_equal(t->d.dport, 53);
	assert_int_equal(t->d.payload_len, 2500);
	assert_int_equal(t->d.payload_caplen, 2500);
	assert_int_equal(t->d.nfrags, 3);
	for (i = 0; i < 3; i++)
		assert_int_equal(t->d.frags[i].ordinal, order[i] + 0);
	for (i = 0; i < 2500; i++)
		assert_int_equal(t->d.payload[i], pat(i));
	ftest_free(t);
}

/* Fragments inside a GRE tunnel are reassembled on the inner header. */
static void
test_frag_in_tunnel(void **state)
{
	struct ftest	*t = ftest_new(NULL, 1500);
	struct fb	 f;
	size_t		 i, off[2] = { 0, 1480 }, len[2] = { 1480, 28 };

	(void)state;
	for (i = 0; i < 2; i++) {
		memset(&f, 0, sizeof f);
		fb_outer4(&f, 47);
		fb_u16(&f, 0);
		fb_u16(&f, 0x0800);
		fb_ip4f(&f, "10.0.0.1", "10.0.0.2", 17, 55,
		    (i == 0 ? 0x2000 : 0) | off[i] / 8);
		fb_put(&f, t->dgram + off[i], len[i]);
		fb_done(&f);
		assert_int_equal(feed(t, 1, &f, f.n, 1),
		    i == 0 ? DECODE_HELD : DECODE_OK);
	}
	assert_int_equal(t->d.tunnels, 1);
	assert_int_equal(t->d.nfrags, 2);
	check_dgram(t, 1500, 1500, (const uint64_t[]){ 0, 1 }, 2);
	ftest_free(t);
}

/* An outer datagram carrying a tunnel: reassembled, then followed. */
static void
test_frag_outer_tunnel(void **state)
{
	struct ftest	*t = ftest_new(NULL, 0);
	struct fb	 in, f;
	size_t		 i, off[2] = { 0, 1480 };

	(void)state;
	memset(&in, 0, sizeof in);
	fb_u16(&in, 0);
	fb_u16(&in, 0x0800);
	fb_ip4udp(&in, 2000);
	for (i = 0; i < 2; i++) {
		memset(&f, 0, sizeof f);
		fb_eth(&f, 0x0800);
		fb_ip4f(&f, "192.0.2.1", "192.0.2.2", 47, 66,
		    (i == 0 ? 0x2000 : 0) | off[i] / 8);
		fb_put(&f, in.b + off[i], i == 0 ? 1480 : in.n - 1480);
		fb_done(&f);
		assert_int_equal(feed(t, 1, &f, f.n, 1),
		    i == 0 ? DECODE_HELD : DECODE_OK);
	}
	assert_int_equal(t->d.tunnels, 1);
	check_dgram(t, 2000, 2000, (const uint64_t[]){ 0, 1 }, 2);
	ftest_free(t);
}

/* Hostile input cannot hold more than a bounded number of datagrams. */
static void
test_frag_bound(void **state)
{
	struct ftest	*t = ftest_new(NULL, 100);
	uint16_t	 id;

	(void)state;
	for (id = 0; id < 5000; id++)
		assert_int_equal(feed4(t, 1, id, 0, 96, true, 0, 1),
		    DECODE_HELD);
	decoder_expire(t->dec, 1 * SEC, collect, &t->e);
	assert_int_equal(t->e.n, 5000 - 4096);	/* the oldest, evicted */
	assert_int_equal(t->e.refs[0].ordinal, 0);
	decoder_flush(t->dec, collect, &t->e);
	assert_int_equal(t->e.n, 5000);
	assert_int_equal(t->e.refs[4999].ordinal, 4999);
	ftest_free(t);
}

/* Without fragments expire and flush report nothing. */
static void
test_frag_none(void **state)
{
	struct ftest	*t = ftest_new(NULL, 0);

	(void)state;
	decoder_expire(t->dec, UINT64_MAX, collect, &t->e);
	decoder_flush(t->dec, collect, &t->e);
	assert_int_equal(t->e.n, 0);
	ftest_free(t);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_table),
		cmocka_unit_test(test_reason_names),
		cmocka_unit_test(test_dlt_supported),
		cmocka_unit_test(test_frag_inorder),
		cmocka_unit_test(test_frag_outoforder),
		cmocka_unit_test(test_frag_duplicate),
		cmocka_unit_test(test_frag_overlap),
		cmocka_unit_test(test_frag_timeout),
		cmocka_unit_test(test_frag_overcap),
		cmocka_unit_test(test_frag_flush),
		cmocka_unit_test(test_frag_snaplen),
		cmocka_unit_test(test_frag_bad_transport),
		cmocka_unit_test(test_frag_ipv6),
		cmocka_unit_test(test_frag_in_tunnel),
		cmocka_unit_test(test_frag_outer_tunnel),
		cmocka_unit_test(test_frag_bound),
		cmocka_unit_test(test_frag_none),
	};

	return (cmocka_run_group_tests(tests, NULL, NULL));
}
