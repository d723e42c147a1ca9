/* tls.c - TLS hellos: SNI, version, cipher suites, JA3 and JA3S. */
/* SPDX-License-Identifier: GPL-3.0-or-later */

#include <stdlib.h>
#include <string.h>

#include "parse/parse-int.h"

static int	tk_version, tk_crypto, tk_ja3, tk_ja3s, tk_alpn;

static const struct parse_key tls_keys[] = {
	{ "version", &tk_version },
	{ "crypto", &tk_crypto },
	{ "ja3", &tk_ja3 },
	{ "ja3s", &tk_ja3s },
	{ "alpn", &tk_alpn },
	{ NULL, NULL }
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

/* A fingerprint string being written (bounded: longer ones are cut). */
struct tls_str {
	char	*s;
	size_t	 size, len;
};

/*
 * The canonical words of a hello's fingerprint: its version, then lists
 * (a count and the values) of suites, extension types, groups and point
 * formats (JA3), or of the selected suite and extension types (JA3S). A
 * hello too long for them writes a string longer than the 4,096 bytes
 * kept of it anyway (each value takes two bytes or more there).
 */
#define TLS_KEYW	4200
struct tls_key {
	uint16_t	 w[TLS_KEYW];
	size_t		 n;
	bool		 cut;
};

/* What the hellos said. */
struct tls_hello {
	uint16_t	 version;	/* selected, or best offered */
	bool		 server;	/* a ServerHello was seen */
	bool		 alpn;		/* write the ALPN protocols offered */
};

/* Read n bytes as a big-endian number (0 and bad when short). */
uint32_t
rd_num(struct rd *r, size_t n)
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

/* Take a sub-reader of n bytes (cut to what is there) and skip them; the
 * reader is bad when they were cut. */
struct rd
rd_sub(struct rd *r, size_t n)
{
	struct rd	s = { r->p + r->off, 0, 0, r->bad };

	if (r->bad)
		return (s);
	s.n = n < r->n - r->off ? n : r->n - r->off;
	r->bad = s.n < n;
	r->off += s.n;
	return (s);
}

/* Whether a value is a GREASE value (RFC 8701). */
bool
tls_grease(uint32_t v)
{
	return ((v & 0x0f0f) == 0x0a0a && (v >> 8) == (v & 0xff));
}

/* Whether a direction starts with a TLS handshake record. */
static enum parse_sniff
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

/*
 * Keep no more of a direction than its first record (the hello), read from
 * the direction's first n bytes at p; once known, the limit is not worked
 * out again for every later segment.
 */
static void
tls_limit_from(struct parse_stream *st, const uint8_t *p, size_t n)
{
	uint32_t	want;

	if (st->limited || n < 5)
		return;
	st->limited = true;
	if (p[0] != 0x16)
		return;
	want = 5 + (uint32_t)(p[3] << 8 | p[4]);
	if (want < st->max)
		st->max = want > st->contig ? want : st->contig;
}

/* The same from the bytes the direction holds. */
static void
tls_limit(struct parse_stream *st)
{
	tls_limit_from(st, st->buf, st->contig);
}

/*
 * The same from a direction's first segment, before it is stored: a
 * server's first segment holds its hello and much more.  Read from the
 * packet, whose bytes are in the cache: tls_limit() reading the copy took
 * a cache miss a direction.
 */
static void
tls_limit_first(struct parse_stream *st, const uint8_t *p, size_t n)
{
	if (!st->started)
		tls_limit_from(st, p, n);
}

/* The IANA name of a common cipher suite, or NULL. */
const char *
tls_suite_name(uint32_t id)
{
	size_t	i;

	for (i = 0; i < nitems(tls_suites); i++) {
		if (tls_suites[i].id == id)
			return (tls_suites[i].name);
	}
	return (NULL);
}

/* Write a cipher suite's name to crypto when it is known. */
static void
tls_suite(struct parse_ctx *pc, struct session *s, uint32_t id)
{
	const char	*name = tls_suite_name(id);

	if (name != NULL)
		parse_add_const(pc, s, tk_crypto, name);
}

/* Append bytes to a fingerprint string, as many as fit. */
static void
tls_add(struct tls_str *b, const void *p, size_t n)
{
	if (n > b->size - b->len)
		n = b->size - b->len;
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

/* Add a word to a fingerprint's key. */
static void
tls_key_add(struct tls_key *k, uint32_t v)
{
	if (k->n < TLS_KEYW)
		k->w[k->n++] = (uint16_t)v;
	else
		k->cut = true;
}

/* Start a list in a key: the place of its count. */
static size_t
tls_key_open(struct tls_key *k)
{
	size_t	at = k->n;

	tls_key_add(k, 0);
	return (at);
}

/* End the list started at: its count is what was added since. */
static void
tls_key_close(struct tls_key *k, size_t at)
{
	if (at < TLS_KEYW)
		k->w[at] = (uint16_t)(k->n - at - 1);
}

/* Add a list of u16 (or u8) values, GREASE left out, as a key's list. */
static void
tls_key_list(struct parse_ctx *pc, struct tls_key *k, struct rd r,
    size_t w, struct session *s)
{
	size_t		at = tls_key_open(k);
	uint32_t	v;

	while (r.off + w <= r.n) {
		v = rd_num(&r, w);
		if (w == 2 && tls_grease(v))
			continue;
		tls_key_add(k, v);
		if (s != NULL)
			tls_suite(pc, s, v);
	}
	tls_key_close(k, at);
}

/*
 * Write a fingerprint string from its key: the version, then each list
 * after a comma, its values dash separated.
 */
static size_t
tls_key_string(const uint8_t *key, size_t n, char *out, size_t size)
{
	struct tls_str	 b = { out, size, 0 };
	uint16_t	 w[TLS_KEYW];
	size_t		 nw = n / 2, i = 1, c, j;

	memcpy(w, key, nw * 2);
	if (nw == 0)
		return (0);
	tls_dec(&b, 0, w[0]);
	while (i < nw) {
		c = w[i++];
		tls_add(&b, ",", 1);
		for (j = 0; j < c && i < nw; j++)
			tls_dec(&b, j > 0 ? '-' : 0, w[i++]);
	}
	return (b.len);
}

/* Write a fingerprint's digest to key id. */
static void
tls_fingerprint(struct parse_ctx *pc, struct session *s, int id,
    const struct tls_key *k)
{
	uint32_t	pool;

	if (id <= 0)
		return;
	pool = md5_fingerprint(pc, (const uint8_t *)k->w, k->n * 2, !k->cut,
	    tls_key_string);
	session_meta_add_pooled(s, id, pool, MF_PARSER);
}

/* Read the server_name extension into alias.host. */
static void
tls_sni(struct session *s, struct rd r)
{
	struct rd	list, name;
	uint32_t	type;

	list = rd_sub(&r, rd_num(&r, 2));
	while (!list.bad && list.off + 3 <= list.n) {
		type = rd_num(&list, 1);
		name = rd_sub(&list, rd_num(&list, 2));
		if (type == 0 && !name.bad)
			parse_add_host(s, name.p, name.n);
	}
}

/* Write the protocols of an ALPN extension to alpn. */
static void
tls_alpn(struct session *s, struct rd r)
{
	struct rd	list, name;

	list = rd_sub(&r, rd_num(&r, 2));
	while (!list.bad && list.off < list.n) {
		name = rd_sub(&list, rd_num(&list, 1));
		if (!name.bad && name.n > 0)
			parse_add_text(s, tk_alpn, name.p, name.n);
	}
}

/* The best version in a supported_versions list. */
static uint16_t
tls_best_version(struct rd r, uint16_t v)
{
	struct rd	list = rd_sub(&r, rd_num(&r, 1));
	uint32_t	x;

	while (list.off + 2 <= list.n) {
		x = rd_num(&list, 2);
		if (!tls_grease(x) && x > v && x <= 0x0304)
			v = (uint16_t)x;
	}
	return (v);
}

/* Parse a ClientHello body: SNI, offered suites, version and JA3. */
static void
tls_client_hello(struct parse_ctx *pc, struct session *s, struct rd r,
    struct tls_hello *h)
{
	struct rd	 ciphers, ext, e, groups, points;
	struct tls_key	 k;
	uint32_t	 ver, type;
	size_t		 at;

	memset(&groups, 0, sizeof groups);
	points = groups;
	ver = rd_num(&r, 2);
	rd_sub(&r, 32);
	rd_sub(&r, rd_num(&r, 1));
	ciphers = rd_sub(&r, rd_num(&r, 2));
	rd_sub(&r, rd_num(&r, 1));
	ext = rd_sub(&r, rd_num(&r, 2));
	if (ciphers.bad)
		return;
	k.n = 0;
	k.cut = false;
	tls_key_add(&k, ver);
	tls_key_list(pc, &k, ciphers, 2, pc->conf.tls_offered ? s : NULL);
	if (!h->server)
		h->version = (uint16_t)ver;
	at = tls_key_open(&k);
	while (!ext.bad && ext.off + 4 <= ext.n) {
		type = rd_num(&ext, 2);
		e = rd_sub(&ext, rd_num(&ext, 2));
		if (!tls_grease(type))
			tls_key_add(&k, type);
		if (type == 0)
			tls_sni(s, e);
		else if (type == 10)
			groups = rd_sub(&e, rd_num(&e, 2));
		else if (type == 11)
			points = rd_sub(&e, rd_num(&e, 1));
		else if (type == 43 && !h->server)
			h->version = tls_best_version(e, h->version);
		else if (type == 16 && h->alpn)
			tls_alpn(s, e);
	}
	tls_key_close(&k, at);
	tls_key_list(pc, &k, groups, 2, NULL);
	tls_key_list(pc, &k, points, 1, NULL);
	tls_fingerprint(pc, s, tk_ja3, &k);
}

/* Parse a ServerHello body: selected suite, version and JA3S. */
static void
tls_server_hello(struct parse_ctx *pc, struct session *s, struct rd r,
    struct tls_hello *h)
{
	struct rd	 ext, e;
	struct tls_key	 k;
	uint32_t	 ver, suite, type;
	size_t		 at;

	ver = rd_num(&r, 2);
	rd_sub(&r, 32);
	rd_sub(&r, rd_num(&r, 1));
	suite = rd_num(&r, 2);
	rd_num(&r, 1);
	if (r.bad)
		return;
	h->server = true;
	h->version = (uint16_t)ver;
	tls_suite(pc, s, suite);
	k.n = 0;
	k.cut = false;
	tls_key_add(&k, ver);
	tls_key_add(&k, 1);
	tls_key_add(&k, suite);
	at = tls_key_open(&k);
	ext = rd_sub(&r, rd_num(&r, 2));
	while (!ext.bad && ext.off + 4 <= ext.n) {
		type = rd_num(&ext, 2);
		e = rd_sub(&ext, rd_num(&ext, 2));
		tls_key_add(&k, type);
		if (type == 43 && e.n == 2)
			h->version = (uint16_t)rd_num(&e, 2);
	}
	tls_key_close(&k, at);
	tls_fingerprint(pc, s, tk_ja3s, &k);
}

/* Parse the first handshake message of a buffered direction. */
static void
tls_side(struct parse_ctx *pc, struct session *s,
    const struct parse_stream *st, struct tls_hello *h, int want)
{
	struct rd	r = { st->buf, st->contig, 0, false }, rec, msg;
	uint32_t	type;

	if (tls_sniff(st->buf, st->contig) != PS_YES)
		return;
	rd_num(&r, 3);
	rec = rd_sub(&r, rd_num(&r, 2));
	type = rd_num(&rec, 1);
	msg = rd_sub(&rec, rd_num(&rec, 3));
	msg.bad = false;
	if ((int)type != want)
		return;
	if (type == 1)
		tls_client_hello(pc, s, msg, h);
	else
		tls_server_hello(pc, s, msg, h);
}

/* Write the TLS meta of a closing session. */
static void
tls_close(struct parse_ctx *pc, struct session *s, struct parse_state *ps)
{
	static const char *const names[] = {
		"ssl 3.0", "tls 1.0", "tls 1.1", "tls 1.2", "tls 1.3"
	};
	struct tls_hello	 h = { 0, false, false };
	int			 i;

	for (i = 0; i < 2; i++)
		tls_side(pc, s, &ps->st[i], &h, 2);
	for (i = 0; i < 2; i++)
		tls_side(pc, s, &ps->st[i], &h, 1);
	if (h.version >= 0x0300 && h.version <= 0x0304)
		parse_add_const(pc, s, tk_version, names[h.version - 0x0300]);
}

/*
 * Write the meta of a QUIC session: its version's name, and what the
 * ClientHello its Initials carried says (p: the first n bytes of the
 * client's CRYPTO stream): SNI, ALPN and JA3.
 */
void
tls_quic_hello(struct parse_ctx *pc, struct session *s, const char *version,
    const uint8_t *p, size_t n)
{
	struct rd		 r = { p, n, 0, false }, msg;
	struct tls_hello	 h = { 0, false, true };

	parse_add_const(pc, s, tk_version, version);
	if (rd_num(&r, 1) != 1)
		return;
	msg = rd_sub(&r, rd_num(&r, 3));
	msg.bad = false;
	tls_client_hello(pc, s, msg, &h);
}

/* Whether both directions hold their first record (kept to it). */
static bool
tls_early(struct parse_state *ps)
{
	tls_limit(&ps->st[0]);
	tls_limit(&ps->st[1]);
	return (parse_streams_full(ps));
}

const struct parse_ops tls_ops = {
	.service = 443, .max = 8192,
	.sniff = tls_sniff, .starts = "\x16", .first = tls_limit_first,
	.early = tls_early, .close = tls_close, .keys = tls_keys
};
