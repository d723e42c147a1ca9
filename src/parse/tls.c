/* tls.c - TLS hellos: SNI, version, cipher suites, JA3 and JA3S. */
/* SPDX-License-Identifier: GPL-3.0-or-later */

#include <stdlib.h>
#include <string.h>

#include "parse/parse-int.h"

static int	tk_version, tk_crypto, tk_ja3, tk_ja3s;

static const struct parse_key tls_keys[] = {
	{ "version", &tk_version },
	{ "crypto", &tk_crypto },
	{ "ja3", &tk_ja3 },
	{ "ja3s", &tk_ja3s },
	{ NULL, NULL }
};

/*
 * Whether the suites a client offers go to crypto beside the selected one
 * (about 12 values per session: the largest share of TLS meta).
 */
static uint32_t tls_offered = 0;

const struct parse_setting tls_settings[] = {
	{ "tls.offered_ciphers", "0 or 1", "0",
	  "also write the cipher suites a client offers to crypto, not only "
	  "the selected one (costs memory: about a dozen values a session)",
	  &tls_offered, 1 },
	{ NULL, NULL, NULL, NULL, NULL, 0 }
};

/* IANA names of the common cipher suites. */
static const struct {
	uint16_t	 id;
	const char	*name;
} tls_suites[] = {
	{ 0x0004, "TLS_RSA_WITH_RC4_128_MD5" },
	{ 0x0005, "TLS_RSA_WITH_RC4_128_SHA" },
	{ 0x000a, "TLS_RSA_WITH_3DES_EDE_CBC_SHA" },
	{ 0x002f, "TLS_RSA_WITH_AES_128_CBC_SHA" },
	{ 0x0033, "TLS_DHE_RSA_WITH_AES_128_CBC_SHA" },
	{ 0x0035, "TLS_RSA_WITH_AES_256_CBC_SHA" },
	{ 0x0039, "TLS_DHE_RSA_WITH_AES_256_CBC_SHA" },
	{ 0x003c, "TLS_RSA_WITH_AES_128_CBC_SHA256" },
	{ 0x003d, "TLS_RSA_WITH_AES_256_CBC_SHA256" },
	{ 0x0067, "TLS_DHE_RSA_WITH_AES_128_CBC_SHA256" },
	{ 0x006b, "TLS_DHE_RSA_WITH_AES_256_CBC_SHA256" },
	{ 0x009c, "TLS_RSA_WITH_AES_128_GCM_SHA256" },
	{ 0x009d, "TLS_RSA_WITH_AES_256_GCM_SHA384" },
	{ 0x009e, "TLS_DHE_RSA_WITH_AES_128_GCM_SHA256" },
	{ 0x009f, "TLS_DHE_RSA_WITH_AES_256_GCM_SHA384" },
	{ 0x00ff, "TLS_EMPTY_RENEGOTIATION_INFO_SCSV" },
	{ 0x1301, "TLS_AES_128_GCM_SHA256" },
	{ 0x1302, "TLS_AES_256_GCM_SHA384" },
	{ 0x1303, "TLS_CHACHA20_POLY1305_SHA256" },
	{ 0x1304, "TLS_AES_128_CCM_SHA256" },
	{ 0x5600, "TLS_FALLBACK_SCSV" },
	{ 0xc009, "TLS_ECDHE_ECDSA_WITH_AES_128_CBC_SHA" },
	{ 0xc00a, "TLS_ECDHE_ECDSA_WITH_AES_256_CBC_SHA" },
	{ 0xc011, "TLS_ECDHE_RSA_WITH_RC4_128_SHA" },
	{ 0xc012, "TLS_ECDHE_RSA_WITH_3DES_EDE_CBC_SHA" },
	{ 0xc013, "TLS_ECDHE_RSA_WITH_AES_128_CBC_SHA" },
	{ 0xc014, "TLS_ECDHE_RSA_WITH_AES_256_CBC_SHA" },
	{ 0xc023, "TLS_ECDHE_ECDSA_WITH_AES_128_CBC_SHA256" },
	{ 0xc024, "TLS_ECDHE_ECDSA_WITH_AES_256_CBC_SHA384" },
	{ 0xc027, "TLS_ECDHE_RSA_WITH_AES_128_CBC_SHA256" },
	{ 0xc028, "TLS_ECDHE_RSA_WITH_AES_256_CBC_SHA384" },
	{ 0xc02b, "TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256" },
	{ 0xc02c, "TLS_ECDHE_ECDSA_WITH_AES_256_GCM_SHA384" },
	{ 0xc02f, "TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256" },
	{ 0xc030, "TLS_ECDHE_RSA_WITH_AES_256_GCM_SHA384" },
	{ 0xcca8, "TLS_ECDHE_RSA_WITH_CHACHA20_POLY1305_SHA256" },
	{ 0xcca9, "TLS_ECDHE_ECDSA_WITH_CHACHA20_POLY1305_SHA256" },
	{ 0xccaa, "TLS_DHE_RSA_WITH_CHACHA20_POLY1305_SHA256" },
};

/* A bounded reader over a hello message. */
struct tls_rd {
	const uint8_t	*p;
	size_t		 n, off;
	bool		 bad;
};

/* A JA3 string being built (bounded: longer hellos are cut). */
struct tls_str {
	char	 s[4096];
	size_t	 len;
};

/* What the hellos said. */
struct tls_hello {
	uint16_t	 version;	/* selected, or best offered */
	bool		 server;	/* a ServerHello was seen */
};

/* Read n bytes as a big-endian number (0 and bad when short). */
static uint32_t
tls_num(struct tls_rd *r, size_t n)
{
	uint32_t	v = 0;

	if (r->bad || n > r->n - r->off) {
		r->bad = true;
		return (0);
	}
	while (n-- > 0)
		v = v << 8 | r->p[r->off++];
	return (v);
}

/* Take a sub-reader of n bytes (cut to what is there) and skip them. */
static struct tls_rd
tls_sub(struct tls_rd *r, size_t n)
{
	struct tls_rd	s = { r->p + r->off, 0, 0, r->bad };

	if (r->bad)
		return (s);
	s.n = n < r->n - r->off ? n : r->n - r->off;
	r->bad = s.n < n;
	r->off += s.n;
	return (s);
}

/* Whether a value is a GREASE value (RFC 8701). */
static bool
tls_grease(uint32_t v)
{
	return ((v & 0x0f0f) == 0x0a0a && (v >> 8) == (v & 0xff));
}

/* Whether a direction starts with a TLS handshake record. */
enum parse_sniff
tls_sniff(const uint8_t *p, size_t n)
{
	static const uint8_t	 want[] = { 0x16, 0x03 };
	size_t			 i;

	for (i = 0; i < n && i < 6; i++) {
		if ((i < 2 && p[i] != want[i]) || (i == 2 && p[i] > 4) ||
		    (i == 5 && p[i] != 1 && p[i] != 2))
			return (PS_NO);
	}
	return (n >= 6 ? PS_YES : PS_MORE);
}

/* Keep no more of a direction than its first record (the hello). */
void
tls_limit(struct parse_stream *st)
{
	uint32_t	want;

	if (st->contig < 5 || st->buf[0] != 0x16)
		return;
	want = 5 + (uint32_t)(st->buf[3] << 8 | st->buf[4]);
	if (want < st->max)
		st->max = want > st->contig ? want : st->contig;
}

/* Write a cipher suite's name to crypto when it is known. */
static void
tls_suite(struct session *s, uint32_t id)
{
	size_t	i;

	for (i = 0; i < nitems(tls_suites); i++) {
		if (tls_suites[i].id == id) {
			parse_add_str(s, tk_crypto, tls_suites[i].name);
			return;
		}
	}
}

/* Append bytes to a JA3 string, as many as fit. */
static void
tls_add(struct tls_str *b, const void *p, size_t n)
{
	if (n > sizeof b->s - b->len)
		n = sizeof b->s - b->len;
	memcpy(b->s + b->len, p, n);
	b->len += n;
}

/* Append a separator (when not 0) and a number in decimal. */
static void
tls_dec(struct tls_str *b, char sep, uint32_t v)
{
	char	tmp[12];
	size_t	i = sizeof tmp;

	do
		tmp[--i] = (char)('0' + v % 10);
	while ((v /= 10) != 0);
	if (sep != 0)
		tmp[--i] = sep;
	tls_add(b, tmp + i, sizeof tmp - i);
}

/* Append a list of u16 (or u8) values, GREASE left out, dash separated. */
static void
tls_list(struct tls_str *b, struct tls_rd r, size_t w, struct session *s)
{
	uint32_t	v;
	bool		first = true;

	while (r.off + w <= r.n) {
		v = tls_num(&r, w);
		if (w == 2 && tls_grease(v))
			continue;
		tls_dec(b, first ? 0 : '-', v);
		first = false;
		if (s != NULL)
			tls_suite(s, v);
	}
}

/* Read the server_name extension into alias.host. */
static void
tls_sni(struct session *s, struct tls_rd r)
{
	struct tls_rd	list, name;
	uint32_t	type;

	list = tls_sub(&r, tls_num(&r, 2));
	while (!list.bad && list.off + 3 <= list.n) {
		type = tls_num(&list, 1);
		name = tls_sub(&list, tls_num(&list, 2));
		if (type == 0 && !name.bad)
			parse_add_host(s, name.p, name.n);
	}
}

/* The best version in a supported_versions list. */
static uint16_t
tls_best_version(struct tls_rd r, uint16_t v)
{
	struct tls_rd	list = tls_sub(&r, tls_num(&r, 1));
	uint32_t	x;

	while (list.off + 2 <= list.n) {
		x = tls_num(&list, 2);
		if (!tls_grease(x) && x > v && x <= 0x0304)
			v = (uint16_t)x;
	}
	return (v);
}

/* Parse a ClientHello body: SNI, offered suites, version and JA3. */
static void
tls_client_hello(struct session *s, struct tls_rd r, struct tls_hello *h)
{
	struct tls_rd	 ciphers, ext, e, groups, points;
	struct tls_str	 b, ex;
	uint32_t	 ver, type;
	char		 md5[33];

	memset(&groups, 0, sizeof groups);
	points = groups;
	ver = tls_num(&r, 2);
	tls_sub(&r, 32);
	tls_sub(&r, tls_num(&r, 1));
	ciphers = tls_sub(&r, tls_num(&r, 2));
	tls_sub(&r, tls_num(&r, 1));
	ext = tls_sub(&r, tls_num(&r, 2));
	if (ciphers.bad)
		return;
	b.len = ex.len = 0;
	tls_dec(&b, 0, ver);
	tls_add(&b, ",", 1);
	tls_list(&b, ciphers, 2, tls_offered ? s : NULL);
	if (!h->server)
		h->version = (uint16_t)ver;
	while (!ext.bad && ext.off + 4 <= ext.n) {
		type = tls_num(&ext, 2);
		e = tls_sub(&ext, tls_num(&ext, 2));
		if (!tls_grease(type))
			tls_dec(&ex, ex.len > 0 ? '-' : 0, type);
		if (type == 0)
			tls_sni(s, e);
		else if (type == 10)
			groups = tls_sub(&e, tls_num(&e, 2));
		else if (type == 11)
			points = tls_sub(&e, tls_num(&e, 1));
		else if (type == 43 && !h->server)
			h->version = tls_best_version(e, h->version);
	}
	tls_add(&b, ",", 1);
	tls_add(&b, ex.s, ex.len);
	tls_add(&b, ",", 1);
	tls_list(&b, groups, 2, NULL);
	tls_add(&b, ",", 1);
	tls_list(&b, points, 1, NULL);
	md5_hex(b.s, b.len, md5);
	parse_add_str(s, tk_ja3, md5);
}

/* Parse a ServerHello body: selected suite, version and JA3S. */
static void
tls_server_hello(struct session *s, struct tls_rd r, struct tls_hello *h)
{
	struct tls_rd	 ext, e;
	struct tls_str	 b;
	uint32_t	 ver, suite, type;
	char		 md5[33];
	bool		 first = true;

	ver = tls_num(&r, 2);
	tls_sub(&r, 32);
	tls_sub(&r, tls_num(&r, 1));
	suite = tls_num(&r, 2);
	tls_num(&r, 1);
	if (r.bad)
		return;
	h->server = true;
	h->version = (uint16_t)ver;
	tls_suite(s, suite);
	b.len = 0;
	tls_dec(&b, 0, ver);
	tls_dec(&b, ',', suite);
	tls_add(&b, ",", 1);
	ext = tls_sub(&r, tls_num(&r, 2));
	while (!ext.bad && ext.off + 4 <= ext.n) {
		type = tls_num(&ext, 2);
		e = tls_sub(&ext, tls_num(&ext, 2));
		tls_dec(&b, first ? 0 : '-', type);
		first = false;
		if (type == 43 && e.n == 2)
			h->version = (uint16_t)tls_num(&e, 2);
	}
	md5_hex(b.s, b.len, md5);
	parse_add_str(s, tk_ja3s, md5);
}

/* Parse the first handshake message of a buffered direction. */
static void
tls_side(struct session *s, const struct parse_stream *st,
    struct tls_hello *h, int want)
{
	struct tls_rd	r = { st->buf, st->contig, 0, false }, rec, msg;
	uint32_t	type;

	if (tls_sniff(st->buf, st->contig) != PS_YES)
		return;
	tls_num(&r, 3);
	rec = tls_sub(&r, tls_num(&r, 2));
	type = tls_num(&rec, 1);
	msg = tls_sub(&rec, tls_num(&rec, 3));
	msg.bad = false;
	if ((int)type != want)
		return;
	if (type == 1)
		tls_client_hello(s, msg, h);
	else
		tls_server_hello(s, msg, h);
}

/* Write the TLS meta of a closing session. */
void
tls_close(struct session *s, struct parse_state *ps)
{
	static const char *const names[] = {
		"ssl 3.0", "tls 1.0", "tls 1.1", "tls 1.2", "tls 1.3"
	};
	struct tls_hello	 h = { 0, false };
	int			 i;

	parse_keys_resolve(tls_keys);
	for (i = 0; i < 2; i++)
		tls_side(s, &ps->st[i], &h, 2);
	for (i = 0; i < 2; i++)
		tls_side(s, &ps->st[i], &h, 1);
	if (h.version >= 0x0300 && h.version <= 0x0304)
		parse_add_str(s, tk_version, names[h.version - 0x0300]);
}
