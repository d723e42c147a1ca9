/* dns.c - DNS over UDP and TCP: names, types, answers and tunnel signs. */
/* SPDX-License-Identifier: GPL-3.0-or-later */

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "parse/parse-int.h"

#define DNS_MAXJUMPS	32	/* compression pointers followed per name */
#define DNS_MAXLABELS	128
#define DNS_MAXNAMES	20000	/* alias.host values a session gets at most */
#define DNS_TXTMAX	4096	/* bytes of one TXT record checked */

/*
 * Thresholds (SPEC §9).  Defaults are chosen so that ordinary lookups stay
 * clean: www.example.com, DKIM selectors ("selector1._domainkey.example.com",
 * 32 characters), CDN names (labels up to ~25 characters), SPF and DKIM TXT
 * answers (2048-bit key: ~410 bytes, 4096-bit: ~800, split in 255-byte
 * strings, checked joined so the "v=DKIM1; k=rsa; p=" prefix keeps them out
 * of the base64 class) and ACME challenge TXT (43 characters).  Tunnels
 * (iodine, dnscat2, dns2tcp, the generated capture) send 100-250 character
 * names of 40-63 character encoded labels and TXT/NULL answers of 100+
 * encoded bytes with TTL 0.  Resolver caches count TTLs down, so 1-2 s
 * answers are common in benign traffic (10% of the corpus sessions): only
 * 0 is low by default.  Consonant runs: "espncdn" has six, "msftncsi"
 * seven.  The thresholds are in the context (pc->conf),
    their defaults in the settings
 * table (src/engine/config.c).
 */

/*
 * Per-session DNS state of the meta writer (the parsers' thread when there
 * is one).
 */
struct dns_state {
	uint32_t	 svc;		/* analysis.service bits (PI_*) */
	uint32_t	 good;		/* messages that are DNS */
	uint32_t	 bad;		/* others, after the first */
	uint32_t	 names;		/* distinct query names */
	uint32_t	 hosts;		/* alias.host values added */
	uint8_t		 kind;		/* enum parse_proto: DNS, mDNS, LLMNR, NBNS */
	/*
	 * The last query name written and checked, when short: a response
	 * repeats its query's question, and its answers name it again (by a
	 * pointer).  A name not remembered is written and checked again, to
	 * the same effect.
	 */
	bool		 asked;
	uint8_t		 qn;
	char		 q[62];
};

/* Bytes of a block of the context's dns_states. */
const size_t dns_state_size = sizeof(struct dns_state);

static int	dk_qtype, dk_rtype, dk_txt, dk_ip, dk_ip6, dk_error;

static const struct parse_key dns_keys[] = {
	{ "dns.querytype", &dk_qtype },
	{ "dns.responsetype", &dk_rtype },
	{ "dns.resptext", &dk_txt },
	{ "alias.ip", &dk_ip },
	{ "alias.ipv6", &dk_ip6 },
	{ "error", &dk_error },
	{ NULL, NULL }
};

/*
 * Record types as NetWitness names them.  Obscure ('dns obscure record
 * type'): NULL, KEY, RP, WKS, private-use and unassigned types, which
 * tunnels (iodine: NULL, PRIVATE) use and ordinary clients do not.
 */
static const struct {
	uint16_t	 type;
	bool		 ordinary;
	const char	*name;
} dns_types[] = {
	{ 1, true, "a record" }, { 2, true, "ns record" },
	{ 5, true, "cname record" }, { 6, true, "soa record" },
	{ 10, false, "null record" }, { 11, false, "wks record" },
	{ 12, true, "ptr record" }, { 13, true, "hinfo record" },
	{ 15, true, "mx record" }, { 16, true, "txt record" },
	{ 17, false, "rp record" }, { 25, false, "key record" },
	{ 28, true, "aaaa record" }, { 29, true, "loc record" },
	{ 33, true, "srv record" }, { 35, true, "naptr record" },
	{ 39, true, "dname record" }, { 41, true, "opt record" },
	{ 43, true, "ds record" }, { 44, true, "sshfp record" },
	{ 46, true, "rrsig record" }, { 47, true, "nsec record" },
	{ 48, true, "dnskey record" }, { 50, true, "nsec3 record" },
	{ 51, true, "nsec3param record" }, { 52, true, "tlsa record" },
	{ 59, true, "cds record" }, { 60, true, "cdnskey record" },
	{ 61, true, "openpgpkey record" }, { 64, true, NULL },
	{ 65, true, NULL }, { 99, true, "spf record" },
	{ 249, true, "tkey record" }, { 250, true, "tsig record" },
	{ 251, true, "ixfr record" }, { 252, true, "axfr record" },
	{ 255, true, "any record" }, { 256, true, "uri record" },
	{ 257, true, "caa record" },
};

static const char *const dns_rcodes[] = {
	NULL, "formerr", "servfail", "nxdomain", "notimp", "refused",
	"yxdomain", "yxrrset", "nxrrset", "notauth", "notzone"
};

/* A decoded name: dotted text and where each label is. */
struct dns_name {
	char		 s[256];
	uint16_t	 n;
	uint8_t		 nl;
	uint8_t		 lo[DNS_MAXLABELS], ll[DNS_MAXLABELS];
};

/*
 * Decode the name at *off of message m (n bytes), following compression
 * pointers (at most DNS_MAXJUMPS, each inside the message); *off moves past
 * the name where it starts.  False when malformed or cut short.
 */
static bool
dns_name(const uint8_t *m, size_t n, size_t *off, struct dns_name *dn)
{
	size_t	 o = *off, end = 0;
	int	 jumps = 0;
	uint8_t	 l;

	dn->n = dn->nl = 0;
	for (;;) {
		if (o >= n)
			return (false);
		l = m[o];
		if ((l & 0xc0) == 0xc0) {
			if (o + 1 >= n || ++jumps > DNS_MAXJUMPS)
				return (false);
			if (end == 0)
				end = o + 2;
			o = (size_t)(l & 0x3f) << 8 | m[o + 1];
			continue;
		}
		if ((l & 0xc0) != 0)
			return (false);
		if (l == 0)
			break;
		if (o + 1 + l > n || dn->n + l + 1 > 255 ||
		    dn->nl == DNS_MAXLABELS)
			return (false);
		if (dn->nl > 0)
			dn->s[dn->n++] = '.';
		dn->lo[dn->nl] = (uint8_t)dn->n;
		dn->ll[dn->nl++] = l;
		memcpy(dn->s + dn->n, m + o + 1, l);
		dn->n += l;
		o += 1 + l;
	}
	*off = end != 0 ? end : o + 1;
	return (true);
}

/*
 * Whether the name at off of message m (n bytes) runs off the end of the
 * bytes without a malformed label first: the message was cut there.
 */
static bool
dns_name_cut(const uint8_t *m, size_t n, size_t off)
{
	for (;;) {
		if (off >= n)
			return (true);
		if ((m[off] & 0xc0) == 0xc0)
			return (off + 1 >= n);
		if ((m[off] & 0xc0) != 0 || m[off] == 0)
			return (false);
		off += 1 + (size_t)m[off];
	}
}

/*
 * Write a record type to key by its NetWitness name (a constant, whose pool
 * id is kept), or as "type N record"; whether the type is an ordinary one.
 */
static bool
dns_add_type(struct parse_ctx *pc, struct session *s, int key, uint16_t t)
{
	char	tmp[32];
	size_t	i;

	for (i = 0; i < nitems(dns_types); i++) {
		if (dns_types[i].type != t)
			continue;
		if (dns_types[i].name != NULL) {
			parse_add_const(pc, s, key, dns_types[i].name);
			return (dns_types[i].ordinary);
		}
		break;
	}
	snprintf(tmp, sizeof tmp, "type %u record", t);
	parse_add_str(s, key, tmp);
	return (i < nitems(dns_types) && dns_types[i].ordinary);
}

/* Shannon entropy of bytes, in bits per byte times 100. */
static uint32_t
dns_entropy100(const uint8_t *p, size_t n)
{
	uint16_t	 c[256];
	double		 h = 0, f;
	size_t		 i;

	memset(c, 0, sizeof c);
	for (i = 0; i < n; i++)
		c[p[i]]++;
	for (i = 0; i < 256; i++) {
		if (c[i] == 0)
			continue;
		f = (double)c[i] / (double)n;
		h -= f * log2(f);
	}
	return ((uint32_t)(h * 100 + 0.5));
}

/* Counts of character classes in a label or text. */
struct dns_class {
	size_t	 lower, upper, digit, b64sym, pad, other;
	bool	 padmid;		/* '=' before the end */
};

/* Count the character classes of bytes. */
static void
dns_classify(const uint8_t *p, size_t n, struct dns_class *c)
{
	size_t	i, first = n;

	memset(c, 0, sizeof *c);
	for (i = 0; i < n; i++) {
		if (p[i] >= 'a' && p[i] <= 'z')
			c->lower++;
		else if (p[i] >= 'A' && p[i] <= 'Z')
			c->upper++;
		else if (p[i] >= '0' && p[i] <= '9')
			c->digit++;
		else if (p[i] == '+' || p[i] == '/' || p[i] == '-' ||
		    p[i] == '_')
			c->b64sym++;
		else if (p[i] == '=') {
			if (c->pad++ == 0)
				first = i;
		} else
			c->other++;
	}
	c->padmid = c->pad > 0 && first + c->pad != n;
}

/* Whether a byte is an ASCII consonant (y counts as a vowel). */
static inline bool
dns_consonant(uint8_t c)
{
	static const uint32_t	vowels = 1 << 0 | 1 << 4 | 1 << 8 | 1 << 14 |
				    1 << 20 | 1 << 24;
	unsigned		i = (unsigned)((c | 0x20) - 'a');

	return (i < 26 && ((vowels >> i) & 1) == 0);
}

/* Check one label of a query name for encoded or random-looking text. */
static void
dns_check_label(struct parse_ctx *pc, struct dns_state *ds, const uint8_t *p,
    size_t n)
{
	struct dns_class	 c;
	size_t			 i, run = 0;

	if (n > pc->conf.dns_long_label)
		ds->svc |= 1U << PI_DNS_LONG_LABEL;
	if (n < 4 || strncasecmp((const char *)p, "xn--", 4) != 0) {
		for (i = 0; i < n; i++) {
			if (dns_consonant(p[i]))
				run++;
			else
				run = 0;
			if (run >= pc->conf.dns_consonants &&
			    pc->conf.dns_consonants > 0)
				ds->svc |= 1U << PI_DNS_CONSONANTS;
		}
	}
	if (n < pc->conf.dns_encoded_label)
		return;
	if (dns_entropy100(p, n) >= pc->conf.dns_entropy)
		ds->svc |= 1U << PI_DNS_ENTROPY;
	dns_classify(p, n, &c);
	if (c.other != 0 || c.pad != 0)
		return;
	if (c.b64sym == 0 && (c.lower == 0 || c.upper == 0) &&
	    c.digit >= 2 && c.lower + c.upper >= 2)
		ds->svc |= 1U << PI_DNS_BASE32;
	else if (c.upper >= 2 && c.lower >= 2 && c.digit + c.b64sym >= 1)
		ds->svc |= 1U << PI_DNS_BASE64;
}

/* Whether a name's first four labels are numbers 0-255 (not .arpa). */
static bool
dns_ipname(const struct dns_name *dn)
{
	int	 i, j, v;

	if (dn->nl < 4 || (dn->n >= 5 &&
	    strncasecmp(dn->s + dn->n - 5, ".arpa", 5) == 0))
		return (false);
	for (i = 0; i < 4; i++) {
		if (dn->ll[i] == 0 || dn->ll[i] > 3)
			return (false);
		for (v = 0, j = 0; j < dn->ll[i]; j++) {
			if (dn->s[dn->lo[i] + j] < '0' ||
			    dn->s[dn->lo[i] + j] > '9')
				return (false);
			v = v * 10 + dn->s[dn->lo[i] + j] - '0';
		}
		if (v > 255)
			return (false);
	}
	return (true);
}

/*
 * Whether a name is printable text: ASCII without control bytes, or valid
 * UTF-8 (raw internationalised names in mDNS and LLMNR).  Raw binary
 * labels (iodine's base128, for one) are not.
 */
static bool
dns_clean_text(const char *s, size_t n)
{
	const uint8_t	*p = (const uint8_t *)s;
	size_t		 i, u;

	for (i = 0; i < n; i++) {
		if (p[i] < 0x20 || p[i] == 0x7f)
			return (false);
		if (p[i] < 0x80)
			continue;
		if ((u = utf8_len(p + i, n - i)) == 0)
			return (false);
		i += u - 1;
	}
	return (true);
}

/* Check a query name for the tunnelling indicators. */
static void
dns_check_name(struct parse_ctx *pc, struct dns_state *ds,
    const struct dns_name *dn)
{
	size_t	 i;

	if (!dns_clean_text(dn->s, dn->n))
		ds->svc |= 1U << PI_DNS_NONASCII;
	/* Reverse names are long (ip6.arpa: 72 characters) by design. */
	if (dn->n >= 5 && strncasecmp(dn->s + dn->n - 5, ".arpa", 5) == 0)
		return;
	if (dn->n > pc->conf.dns_long_query)
		ds->svc |= 1U << PI_DNS_LONG_QUERY;
	if (dns_ipname(dn))
		ds->svc |= 1U << PI_DNS_IPNAME;
	for (i = 0; i < dn->nl; i++)
		dns_check_label(pc, ds, (const uint8_t *)dn->s + dn->lo[i],
		    dn->ll[i]);
}

/* The value of a decimal label 0-255 without leading zeros, or -1. */
static int
dns_octet(const char *p, size_t n)
{
	int	v = 0;
	size_t	i;

	if (n == 0 || n > 3 || (n > 1 && p[0] == '0'))
		return (-1);
	for (i = 0; i < n; i++) {
		if (p[i] < '0' || p[i] > '9')
			return (-1);
		v = v * 10 + p[i] - '0';
	}
	return (v <= 255 ? v : -1);
}

/* The value of a one-digit hexadecimal label, or -1. */
static int
dns_nibble(const struct dns_name *dn, int i)
{
	char	c = dn->s[dn->lo[i]];

	if (dn->ll[i] != 1)
		return (-1);
	if (c >= '0' && c <= '9')
		return (c - '0');
	c = (char)(c | 0x20);
	return (c >= 'a' && c <= 'f' ? c - 'a' + 10 : -1);
}

/*
 * Write the address a reverse name asks about (d.c.b.a.in-addr.arpa, or
 * the 32 nibbles of an ip6.arpa name) to alias.ip or alias.ipv6; names of
 * zones (fewer labels) have none.
 */
static void
dns_reverse(struct session *s, const struct dns_name *dn)
{
	uint8_t	 a[16];
	int	 i, v, w;

	if (dn->nl == 6 && dn->n > 13 && strncasecmp(dn->s + dn->n - 13,
	    ".in-addr.arpa", 13) == 0) {
		for (i = 0; i < 4; i++) {
			if ((v = dns_octet(dn->s + dn->lo[i], dn->ll[i])) < 0)
				return;
			a[3 - i] = (uint8_t)v;
		}
		parse_add_ip(s, dk_ip, a, 4);
	} else if (dn->nl == 34 && dn->n > 9 && strncasecmp(dn->s + dn->n - 9,
	    ".ip6.arpa", 9) == 0) {
		for (i = 0; i < 32; i += 2) {
			if ((v = dns_nibble(dn, i)) < 0 ||
			    (w = dns_nibble(dn, i + 1)) < 0)
				return;
			a[15 - i / 2] = (uint8_t)(w << 4 | v);
		}
		parse_add_ip(s, dk_ip6, a, 6);
	}
}

/*
 * Add a name to alias.host, up to DNS_MAXNAMES per session, and the
 * address of a reverse name the first time.
 */
static bool
dns_host(struct session *s, struct dns_state *ds,
    const struct dns_name *dn)
{
	if (ds->hosts >= DNS_MAXNAMES || !parse_add_host(s, dn->s, dn->n))
		return (false);
	ds->hosts++;
	if (dn->n > 5 && (dn->s[dn->n - 1] | 0x20) == 'a')
		dns_reverse(s, dn);
	return (true);
}

/* Whether dn is the query name written and checked last. */
static bool
dns_asked(const struct dns_state *ds, const struct dns_name *dn)
{
	return (ds->asked && ds->qn == dn->n &&
	    memcmp(ds->q, dn->s, dn->n) == 0);
}

/* Whether a question class is one DNS uses (IN, CH, HS, NONE, ANY; the
   top bit is mDNS's unicast-response flag). */
static bool
dns_class_ok(uint16_t c)
{
	c &= 0x7fff;
	return (c == 1 || c == 3 || c == 4 || c == 254 || c == 255);
}

/*
 * Parse the question section; the offset after it, or 0 when malformed.
 * A message cut by the snap length inside it (a name or type running off
 * the end) gives n when at least one question came whole before the cut.
 */
static size_t
dns_questions(struct parse_ctx *pc, struct session *s, struct dns_state *ds,
    const uint8_t *m, size_t n, unsigned qd)
{
	struct dns_name	 dn;
	size_t		 off = 12, start;
	uint16_t	 t;
	bool		 whole = false;

	for (; qd > 0; qd--, whole = true) {
		start = off;
		if (!dns_name(m, n, &off, &dn))
			return (whole && dns_name_cut(m, n, start) ? n : 0);
		if (off + 4 > n)
			return (whole ? n : 0);
		t = (uint16_t)(m[off] << 8 | m[off + 1]);
		if (t == 0 || !dns_class_ok((uint16_t)(m[off + 2] << 8 |
		    m[off + 3])))
			return (0);
		off += 4;
		if (s == NULL)
			continue;
		if (!dns_add_type(pc, s, dk_qtype, t))
			ds->svc |= 1U << PI_DNS_OBSCURE;
		if (dns_asked(ds, &dn))
			continue;	/* written and checked already */
		if (dns_host(s, ds, &dn))
			ds->names++;
		dns_check_name(pc, ds, &dn);
		if (dn.n < sizeof ds->q) {
			ds->asked = true;
			ds->qn = (uint8_t)dn.n;
			memcpy(ds->q, dn.s, dn.n);
		}
	}
	return (off);
}

/* Write the strings of a TXT record and check the record's text. */
static void
dns_txt_record(struct parse_ctx *pc, struct session *s, struct dns_state *ds,
    const uint8_t *p, size_t n)
{
	uint8_t			 all[DNS_TXTMAX];
	struct dns_class	 c;
	size_t			 i = 0, l, len = 0;

	while (i < n) {
		l = p[i++];
		if (l > n - i)
			l = n - i;
		if (l > 0)
			parse_add_text(s, dk_txt, p + i, l);
		if (len + l <= sizeof all) {
			memcpy(all + len, p + i, l);
			len += l;
		}
		i += l;
	}
	if (len < pc->conf.dns_txt_encoded)
		return;
	dns_classify(all, len, &c);
	if (c.other != 0 || c.padmid || c.pad > 2)
		return;
	if (c.b64sym == 0 && c.pad == 0 && (c.lower == 0 || c.upper == 0) &&
	    c.digit > 0 && c.lower + c.upper > 0)
		ds->svc |= 1U << PI_DNS_TXT36;
	else if (c.upper > 0 && c.lower > 0 && c.digit > 0)
		ds->svc |= 1U << PI_DNS_TXT64;
}

/* Write what one answer record's data says. */
static void
dns_rdata(struct parse_ctx *pc, struct session *s, struct dns_state *ds,
    const uint8_t *m, size_t n, size_t off, uint16_t type, uint16_t rdlen)
{
	struct dns_name	 dn;
	size_t		 o = off;

	if (type == 1 && rdlen == 4)
		parse_add_ip(s, dk_ip, m + off, 4);
	else if (type == 28 && rdlen == 16)
		parse_add_ip(s, dk_ip6, m + off, 6);
	else if (type == 5 && dns_name(m, n, &o, &dn))
		dns_host(s, ds, &dn);
	else if (type == 16)
		dns_txt_record(pc, s, ds, m + off, rdlen);
}

/* Parse the answer section from off; false when it is malformed. */
static bool
dns_answers(struct parse_ctx *pc, struct session *s, struct dns_state *ds,
    const uint8_t *m, size_t n, size_t off, unsigned an)
{
	struct dns_name	 dn;
	uint16_t	 type, rdlen;
	uint32_t	 ttl;

	for (; an > 0; an--) {
		if (!dns_name(m, n, &off, &dn) || off + 10 > n)
			return (false);
		type = (uint16_t)(m[off] << 8 | m[off + 1]);
		ttl = (uint32_t)m[off + 4] << 24 | (uint32_t)m[off + 5] << 16 |
		    (uint32_t)m[off + 6] << 8 | m[off + 7];
		rdlen = (uint16_t)(m[off + 8] << 8 | m[off + 9]);
		off += 10;
		if (rdlen > n - off)
			return (false);
		if (type == 41)
			continue;
		if (!dns_asked(ds, &dn))
			dns_host(s, ds, &dn);
		(void)dns_add_type(pc, s, dk_rtype, type);
		if (ttl <= pc->conf.dns_low_ttl)
			ds->svc |= 1U << PI_DNS_LOW_TTL;
		dns_rdata(pc, s, ds, m, n, off, type, rdlen);
		off += rdlen;
	}
	return (true);
}

/* Whether a response without questions starts with a sane answer. */
static bool
dns_first_answer(const uint8_t *m, size_t n)
{
	struct dns_name	 dn;
	size_t		 off = 12;
	unsigned	 an = (unsigned)m[6] << 8 | m[7];

	if (an == 0 || !dns_name(m, n, &off, &dn) || off + 10 > n)
		return (false);
	return ((m[off] != 0 || m[off + 1] != 0) &&
	    dns_class_ok((uint16_t)(m[off + 2] << 8 | m[off + 3])) &&
	    (size_t)(m[off + 8] << 8 | m[off + 9]) <= n - off - 10);
}

/*
 * Whether a message's header and question section look like DNS: PS_MORE
 * when n bytes are not enough to tell (the message may go on).
 */
static enum parse_sniff
dns_check(const uint8_t *m, size_t n, bool complete)
{
	unsigned	 opcode, qd, rcode;
	bool		 qr;

	if (n < 12)
		return (complete ? PS_NO : PS_MORE);
	qr = m[2] & 0x80;
	opcode = (m[2] >> 3) & 15;
	rcode = m[3] & 15;
	qd = (unsigned)m[4] << 8 | m[5];
	if (opcode == 3 || opcode > 5 || qd > 128)
		return (PS_NO);
	if (qd == 0 && qr && rcode == 0)	/* mDNS announcements */
		return (dns_first_answer(m, n) ? PS_YES : PS_NO);
	if (qd == 0 && !qr)
		return (PS_NO);
	if (dns_questions(NULL, NULL, NULL, m, n, qd) != 0)
		return (PS_YES);
	return (complete ? PS_NO : PS_MORE);
}

/* Whether a message's header and questions are DNS. */
static bool
dns_is_message(const uint8_t *m, size_t n)
{
	return (dns_check(m, n, true) == PS_YES);
}

/* Write the meta of a message dns_is_message() accepted. */
static void
dns_parse(struct parse_ctx *pc, struct session *s, struct dns_state *ds,
    const uint8_t *m, size_t n)
{
	unsigned	 qd, an, rcode;
	size_t		 off;

	qd = (unsigned)m[4] << 8 | m[5];
	an = (unsigned)m[6] << 8 | m[7];
	if ((off = dns_questions(pc, s, ds, m, n, qd)) == 0)
		return;
	if ((m[2] & 0x80) == 0)
		return;
	rcode = m[3] & 15;
	if (rcode != 0 && rcode < nitems(dns_rcodes))
		parse_add_const(pc, s, dk_error, dns_rcodes[rcode]);
	if (n > pc->conf.dns_large_answer)
		ds->svc |= 1U << PI_DNS_LARGE_ANSWER;
	dns_answers(pc, s, ds, m, n, off, an);
}

/*
 * Whether a message is NetBIOS name service (RFC 1002): a DNS-like header
 * with an NBNS opcode and a first name of 32 characters A-P (the encoded
 * 16-byte name).
 */
static bool
nbns_is_message(const uint8_t *m, size_t n)
{
	unsigned	 opcode, qd, an, i;

	if (n < 12 + 34)
		return (false);
	opcode = (m[2] >> 3) & 15;
	qd = (unsigned)m[4] << 8 | m[5];
	an = (unsigned)m[6] << 8 | m[7];
	if ((opcode != 0 && (opcode < 5 || opcode > 8)) || qd + an == 0 ||
	    qd > 1 || an > 1 || m[12] != 32)
		return (false);
	for (i = 13; i < 45; i++) {
		if (m[i] < 'A' || m[i] > 'P')
			return (false);
	}
	return (true);
}

/*
 * Write an encoded NetBIOS name (first label: 32 characters, two per
 * byte) as its 15-character name without the trailing blanks and the
 * suffix byte (tshark's "WORKGROUP<1d>" is "WORKGROUP"), control bytes
 * as tshark shows them ("<01><02>__MSBROWSE__<02>"), then any scope
 * labels after a dot.
 */
static void
nbns_host(struct session *s, struct dns_state *ds,
    const struct dns_name *dn)
{
	struct dns_name	 out;
	const uint8_t	*e = (const uint8_t *)dn->s;
	int		 i;
	uint8_t		 c;

	if (dn->nl == 0 || dn->ll[0] != 32)
		return;
	for (i = 0; i < 32; i++) {
		if (e[i] < 'A' || e[i] > 'P')
			return;
	}
	for (i = 0, out.n = 0; i < 15; i++) {
		c = (uint8_t)((e[2 * i] - 'A') << 4 | (e[2 * i + 1] - 'A'));
		if (c >= 0x20 && c < 0x7f)
			out.s[out.n++] = (char)c;
		else
			out.n += (uint16_t)snprintf(out.s + out.n, 5, "<%02x>", c);
	}
	while (out.n > 0 && out.s[out.n - 1] == ' ')
		out.n--;
	if (dn->n > 32 && out.n > 0) {
		memcpy(out.s + out.n, dn->s + 32, dn->n - 32);
		out.n = (uint16_t)(out.n + dn->n - 32);
	}
	out.nl = 0;
	if (out.n > 0)
		dns_host(s, ds, &out);
}

/*
 * Write the names of an NBNS message: its questions, then the owner names
 * of its records (answers, and the additional record of a registration).
 */
static void
nbns_parse(struct session *s, struct dns_state *ds,
    const uint8_t *m,
    size_t n)
{
	struct dns_name	 dn;
	size_t		 off = 12;
	unsigned	 qd, rr, i;

	qd = (unsigned)m[4] << 8 | m[5];
	rr = ((unsigned)m[6] << 8 | m[7]) + ((unsigned)m[10] << 8 | m[11]);
	for (i = 0; i < qd + rr && i < 4; i++) {
		if (!dns_name(m, n, &off, &dn) || off + 4 > n)
			return;
		nbns_host(s, ds, &dn);
		off += 4;
		if (i < qd)
			continue;
		if (off + 6 > n || (size_t)(m[off + 4] << 8 | m[off + 5]) >
		    n - off - 6)
			return;
		off += 6 + (size_t)(m[off + 4] << 8 | m[off + 5]);
	}
}

/*
 * Count a message of a DNS session (from the first DNS one on) and write
 * its meta when it is DNS (checked: known to be).  NBNS messages go to
 * their own parser.
 */
static void
dns_datagram(struct parse_ctx *pc, struct session *s, struct dns_state *ds,
    const uint8_t *m, size_t n, bool checked)
{
	if (ds->kind == PP_NBNS) {
		if (checked || nbns_is_message(m, n))
			nbns_parse(s, ds, m, n);
		return;
	}
	if (checked || dns_is_message(m, n)) {
		ds->good++;
		dns_parse(pc, s, ds, m, n);
	} else if (ds->good > 0)
		ds->bad++;
}

/*
 * The DNS state of a session, made when it is first found to be DNS or
 * one of the link-local name services that share its format (kind).
 */
static void
dns_start(struct parse_ctx *pc, struct parse_state *ps, enum parse_proto kind)
{
	if (ps->dns == NULL) {
		ps->dns = parse_block_get(&pc->dns_states);
		ps->dns->kind = (uint8_t)kind;
	}
}

/* Whether a TCP direction starts with a length-framed DNS message. */
static enum parse_sniff
dns_sniff_tcp(const uint8_t *p, size_t n)
{
	size_t	 len;

	if (n < 2)
		return (PS_MORE);
	len = (size_t)p[0] << 8 | p[1];
	if (len < 12)
		return (PS_NO);
	if (n - 2 >= len)
		return (dns_check(p + 2, len, true));
	return (dns_check(p + 2, n - 2, false));
}

/*
 * Parse every length-framed message of a buffered TCP direction; the last
 * one may be cut (by the snap length, a gap or the buffer's end).
 */
static void
dns_stream(struct parse_ctx *pc, struct session *s, struct dns_state *ds,
    const struct parse_stream *st)
{
	size_t	 off = 0, len;

	while (st->contig >= 2 && off <= st->contig - 2) {
		len = (size_t)st->buf[off] << 8 | st->buf[off + 1];
		if (len > st->contig - off - 2)
			len = st->contig - off - 2;
		if (len >= 12)
			dns_datagram(pc, s, ds, st->buf + off + 2, len, false);
		off += 2 + len;
	}
}

/*
 * Finish a DNS session: TCP messages, then the session-wide signs.  A TCP
 * session is parsed here only, so its state can live on the stack.
 */
static void
dns_close(struct parse_ctx *pc, struct session *s, struct parse_state *ps)
{
	struct dns_state	 local, *ds = ps->dns;

	if (ds == NULL) {
		memset(&local, 0, sizeof local);
		ds = &local;
	}
	if (s->proto == 6) {
		dns_stream(pc, s, ds, &ps->st[0]);
		dns_stream(pc, s, ds, &ps->st[1]);
	}
	/*
	 * mDNS, LLMNR and NBNS names are not judged as unicast DNS: service
	 * instance names are long, spaced labels, and goodbyes have TTL 0.
	 */
	if (ps->proto != PP_DNS)
		return;
	ps->svc |= ds->svc;
	if (pc->conf.dns_many_names > 0 &&
	    ds->names >= pc->conf.dns_many_names)
		ps->svc |= 1U << PI_DNS_MANY;
	if ((s->port[0] == 53 || s->port[1] == 53) && ds->bad > ds->good)
		ps->svc |= 1U << PI_DNS_PORT53;
}

/* Give a DNS state back (NULL is ignored). */
void
dns_drop(struct parse_ctx *pc, void *ds)
{
	parse_block_put(&pc->dns_states, ds);
}

/*
 * A datagram of a session in DNS format (DNS, mDNS, LLMNR, NBNS): its
 * state is made with the first one, which is known to be a message.
 */
static enum parse_next
dns_packet(struct parse_ctx *pc, struct session *s, struct parse_state *ps,
    const struct decoded *d, int side, struct parse_bytes *b)
{
	(void)s;
	(void)side;
	b->flag = ps->dns == NULL;
	dns_start(pc, ps, ps->proto);
	b->state = ps->dns;
	b->p = d->payload;
	b->n = (uint32_t)d->payload_caplen;
	b->wirelen = 0;
	return (PN_BYTES);
}

/* Read a datagram dns_packet() handed over. */
static void
dns_bytes(struct parse_ctx *pc, struct session *s,
    const struct parse_bytes *b)
{
	dns_datagram(pc, s, b->state, b->p, b->n, b->flag);
}

const struct parse_ops dns_ops = {
	.service = 53, .max = 65536, .sniff = dns_sniff_tcp,
	.udp = PU_ANY, .is = dns_is_message, .packet = dns_packet, .bytes = dns_bytes, .close = dns_close,
	.keys = dns_keys
};
const struct parse_ops mdns_ops = {
	.service = 5353, .udp = PU_PORT, .is = dns_is_message,
	.packet = dns_packet, .bytes = dns_bytes, .close = dns_close
};
const struct parse_ops llmnr_ops = {
	.service = 5355, .udp = PU_PORT, .is = dns_is_message,
	.packet = dns_packet, .bytes = dns_bytes, .close = dns_close
};
const struct parse_ops nbns_ops = {
	.service = 137, .udp = PU_OWNS, .is = nbns_is_message,
	.packet = dns_packet, .bytes = dns_bytes, .close = dns_close
};
