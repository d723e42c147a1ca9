/* test_parse.c - protocol parsers: service by content, meta, indicators. */
/* SPDX-License-Identifier: GPL-3.0-or-later */

#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>
#include <libpsl.h>

#include "engine/engine.h"
#include "parse/parse-int.h"

/* The settings the parsers read: the defaults, and what configure() sets. */
static struct engine_config cfg;
/* The parsers' context the tests feed. */
static struct parse_ctx *pc;

/* Apply NAME=VALUE to the settings and hand them to the parsers. */
static void
configure(const char *arg)
{
	char	*cause = NULL;

	if (!engine_config_set(&cfg, arg, &cause))
		fail_msg("%s", cause);
	pc->conf = cfg.parse;
}

/* Start every test group from the settings' defaults. */
static int
setup(void **state)
{
	(void)state;
	engine_config_init(&cfg);
	pc = parse_ctx_new(&cfg.parse);
	return (0);
}

/* Free the settings and the context. */
static int
teardown(void **state)
{
	(void)state;
	parse_ctx_free(pc);
	engine_config_free(&cfg);
	return (0);
}

/* A new open session between 10.0.0.1 (side 0) and 10.0.0.2 (side 1). */

static struct session *
mk(uint8_t proto, uint16_t p0, uint16_t p1)
{
	struct session	*s = xcalloc(1, sizeof *s);

	s->af = 4;
	s->proto = proto;
	s->port[0] = p0;
	s->port[1] = p1;
	s->addr[0][0] = s->addr[1][0] = 10;
	s->addr[0][3] = 1;
	s->addr[1][3] = 2;
	s->initiator = -1;
	return (s);
}

/* Feed one TCP or UDP payload from a side. */
static void
feed(struct session *s, int side, const void *p, size_t n, uint32_t seq)
{
	struct decoded	d;

	memset(&d, 0, sizeof d);
	d.af = 4;
	d.proto = s->proto;
	d.sport = s->port[side];
	d.dport = s->port[!side];
	d.payload = p;
	d.payload_len = d.payload_caplen = (uint32_t)n;
	d.tcp_seq = seq;
	d.tcp_flags = s->proto == 6 ? 0x18 : 0;
	parse_packet(pc, s, &d, side, 0);
}

/* Feed an ICMP echo (request when type 8) with id, seq and data. */
static void
echo(struct session *s, int side, uint8_t type, uint16_t seq,
    const uint8_t *data, size_t n)
{
	static uint8_t	buf[2048];
	struct decoded	d;

	memset(buf, 0, 8);
	buf[0] = type;
	buf[4] = 0x12;
	buf[5] = 0x34;
	buf[6] = (uint8_t)(seq >> 8);
	buf[7] = (uint8_t)seq;
	memcpy(buf + 8, data, n);
	memset(&d, 0, sizeof d);
	d.af = 4;
	d.proto = 1;
	d.has_icmp = true;
	d.icmp_type = type;
	d.payload = buf + 8;
	d.payload_len = d.payload_caplen = (uint32_t)n;
	parse_packet(pc, s, &d, side, 0);
}

/* Close a session with side 0 as the initiator. */
static void
finish(struct session *s)
{
	s->initiator = 0;
	parse_close(pc, s);
	assert_null(s->parse);
}

/* Number of values of a key. */
static size_t
count(const struct session *s, const char *key)
{
	return (session_meta_get(s, meta_find(key, strlen(key)), NULL, 0));
}

/* Whether a key has a text value (exact bytes). */
static bool
has(const struct session *s, const char *key, const char *text)
{
	struct mval	v[256];
	size_t		n, i;

	n = session_meta_get(s, meta_find(key, strlen(key)), v, 256);
	for (i = 0; i < n && i < 256; i++) {
		if (v[i].type == MT_TEXT && v[i].text.n == strlen(text) &&
		    memcmp(v[i].text.p, text, v[i].text.n) == 0)
			return (true);
	}
	return (false);
}

/* Append a DNS name in labels. */
static size_t
labels(uint8_t *o, const char *name)
{
	size_t	n = 0;
	const char *dot;

	while (*name != '\0') {
		dot = strchr(name, '.');
		o[n] = (uint8_t)(dot != NULL ? (size_t)(dot - name) : strlen(name));
		memcpy(o + n + 1, name, o[n]);
		n += 1 + o[n];
		name = dot != NULL ? dot + 1 : name + strlen(name);
	}
	o[n++] = 0;
	return (n);
}

/* A DNS header with flags and counts. */
static size_t
dns_hdr(uint8_t *m, uint16_t flags, int qd, int an)
{
	memset(m, 0, 12);
	m[0] = 0xab;
	m[1] = 0xcd;
	m[2] = (uint8_t)(flags >> 8);
	m[3] = (uint8_t)flags;
	m[5] = (uint8_t)qd;
	m[7] = (uint8_t)an;
	return (12);
}

/* Append a question. */
static size_t
dns_q(uint8_t *m, size_t n, const char *name, uint16_t type)
{
	n += labels(m + n, name);
	m[n++] = (uint8_t)(type >> 8);
	m[n++] = (uint8_t)type;
	m[n++] = 0;
	m[n++] = 1;
	return (n);
}

/* Append a record header owned by a pointer, with TTL and rdlength. */
static size_t
dns_rr(uint8_t *m, size_t n, uint16_t ptr, uint16_t type, uint32_t ttl,
    uint16_t rdlen)
{
	m[n++] = (uint8_t)(0xc0 | ptr >> 8);
	m[n++] = (uint8_t)ptr;
	m[n++] = (uint8_t)(type >> 8);
	m[n++] = (uint8_t)type;
	m[n++] = 0;
	m[n++] = 1;
	m[n++] = (uint8_t)(ttl >> 24);
	m[n++] = (uint8_t)(ttl >> 16);
	m[n++] = (uint8_t)(ttl >> 8);
	m[n++] = (uint8_t)ttl;
	m[n++] = (uint8_t)(rdlen >> 8);
	m[n++] = (uint8_t)rdlen;
	return (n);
}

/* A query, then a response: CNAME (compressed) and A. */
static void
test_dns_compression(void **state)
{
	struct session	*s = mk(17, 53, 40000);
	uint8_t		 q[512], r[512];
	size_t		 nq, nr, cn;
	struct mval	 v;

	(void)state;
	nq = dns_q(q, dns_hdr(q, 0x0100, 1, 0), "www.Example.com", 1);
	nr = dns_q(r, dns_hdr(r, 0x8180, 1, 2), "www.Example.com", 1);
	nr = dns_rr(r, nr, 12, 5, 3600, 6);
	cn = nr;
	memcpy(r + nr, "\3cdn\xc0\x10", 6);
	nr += 6;
	nr = dns_rr(r, nr, (uint16_t)cn, 1, 300, 4);
	memcpy(r + nr, "\x5d\xb8\xd8\x22", 4);
	nr += 4;
	feed(s, 1, q, nq, 0);
	feed(s, 0, r, nr, 0);
	finish(s);
	assert_int_equal(s->service, 53);
	assert_true(has(s, "alias.host", "www.Example.com"));
	assert_true(has(s, "alias.host", "cdn.Example.com"));
	assert_int_equal(count(s, "alias.host"), 2);
	assert_true(has(s, "dns.querytype", "a record"));
	assert_true(has(s, "dns.responsetype", "cname record"));
	assert_true(has(s, "dns.responsetype", "a record"));
	assert_int_equal(session_meta_get(s, meta_find("alias.ip", 8), &v, 1), 1);
	assert_memory_equal(v.ip, "\x5d\xb8\xd8\x22", 4);
	assert_int_equal(count(s, "analysis.service"), 0);
	assert_true(has(s, "sld", "Example"));
	assert_true(has(s, "tld", "com"));
	assert_true(has(s, "root.host", "Example.com"));
	session_free(s);
}

/*
 * tld and root.host against libpsl itself, on names where the public
 * suffix list has wildcards, exceptions, private suffixes and suffixes
 * under ordinary domains; the same suffixes asked twice come from the
 * cache.
 */
static void
test_host_psl(void **state)
{
	static const char *const names[] = { "x.blogspot.co.uk",
	    "foo.s3.amazonaws.com", "www.ck", "a.b.kawasaki.jp",
	    "city.kawasaki.jp", "user.github.io", "github.io",
	    "a.b.c.d.example.com", "www.example.co.uk", "x.y.z.pvt.k12.ma.us",
	    "shop.example.co.uk", "foo.s3.amazonaws.com", "www.ck" };
	const psl_ctx_t	*psl = psl_builtin();
	struct session	*s;
	uint8_t		 q[512];
	size_t		 i, nq;
	const char	*reg, *suf;

	(void)state;
	assert_non_null(psl);
	for (i = 0; i < nitems(names); i++) {
		s = mk(17, 53, 40000);
		nq = dns_q(q, dns_hdr(q, 0x0100, 1, 0), names[i], 1);
		feed(s, 1, q, nq, 0);
		finish(s);
		reg = psl_registrable_domain(psl, names[i]);
		suf = psl_unregistrable_domain(psl, names[i]);
		if (reg != NULL)
			assert_true(has(s, "root.host", reg));
		else
			assert_int_equal(count(s, "root.host"), 0);
		if (suf != NULL)
			assert_true(has(s, "tld", suf));
		else
			assert_int_equal(count(s, "tld"), 0);
		session_free(s);
	}
}

/* A name whose pointer points at itself, and one running past the end. */
static void
test_dns_malformed(void **state)
{
	struct session	*s;
	uint8_t		 m[64];
	size_t		 n;

	(void)state;
	s = mk(17, 53, 40000);
	n = dns_hdr(m, 0x0100, 1, 0);
	m[n++] = 0xc0;
	m[n++] = 12;
	memset(m + n, 0, 4);
	feed(s, 1, m, n + 4, 0);
	finish(s);
	assert_int_equal(s->service, 0);
	assert_true(has(s, "analysis.service",
	    "anomalous or non-dns session on dns port"));
	session_free(s);

	s = mk(17, 5353, 40000);
	n = dns_hdr(m, 0x0100, 1, 0);
	m[n++] = 63;
	memcpy(m + n, "abc", 3);
	feed(s, 1, m, n + 3, 0);
	finish(s);
	assert_int_equal(s->service, 0);
	assert_int_equal(count(s, "analysis.service"), 0);
	session_free(s);
}

/* An error response and an answer cut short: still DNS, error named. */
static void
test_dns_error(void **state)
{
	struct session	*s = mk(17, 53, 40000);
	uint8_t		 r[128];
	size_t		 n;

	(void)state;
	n = dns_q(r, dns_hdr(r, 0x8183, 1, 1), "nope.example", 28);
	n = dns_rr(r, n, 12, 1, 60, 200);
	feed(s, 0, r, n, 0);
	finish(s);
	assert_int_equal(s->service, 53);
	assert_true(has(s, "error", "nxdomain"));
	assert_true(has(s, "dns.querytype", "aaaa record"));
	assert_int_equal(count(s, "dns.responsetype"), 0);
	session_free(s);
}

/* Tunnel-like queries and TXT answers raise the DNS indicators. */
static void
test_dns_tunnel(void **state)
{
	static const char	*txt = "QmFzZTY0IGVuY29kZWQgdHVubmVsIHBheWxvYWQg"
	    "c28gdGhlIGFuc3dlciBsb29rcyByYW5kb20gZW5vdWdoIQ9876";
	struct session		*s = mk(17, 53, 40000);
	uint8_t			 r[512];
	char			 name[200];
	size_t			 n, l = strlen(txt);
	int			 i;

	(void)state;
	for (i = 0; i < 60; i++) {
		snprintf(name, sizeof name,
		    "%02dxkmqzvbnts3rpl6wyh2dfc7gj4k5.t.example-tunnel.com",
		    i);
		n = dns_q(r, dns_hdr(r, 0x8180, 1, 1), name, 16);
		n = dns_rr(r, n, 12, 16, 0, (uint16_t)(l + 1));
		r[n++] = (uint8_t)l;
		memcpy(r + n, txt, l);
		feed(s, 0, r, n + l, 0);
	}
	finish(s);
	assert_int_equal(count(s, "alias.host"), 60);
	assert_true(has(s, "dns.resptext", txt));
	assert_true(has(s, "analysis.service", "dns base32 label"));
	assert_true(has(s, "analysis.service", "dns base64 txt record"));
	assert_true(has(s, "analysis.service", "dns low ttl"));
	assert_true(has(s, "analysis.service", "dns many distinct names"));
	assert_true(has(s, "analysis.service", "hostname consecutive consonants"));
	assert_false(has(s, "analysis.service", "dns long query"));
	session_free(s);
}

/* DNS over TCP with length framing, split at every offset. */
static void
test_dns_tcp(void **state)
{
	uint8_t		 m[128];
	size_t		 n, k;
	struct session	*s;

	(void)state;
	n = dns_q(m + 2, dns_hdr(m + 2, 0x0100, 1, 0), "a.example.net", 16);
	m[0] = 0;
	m[1] = (uint8_t)n;
	n += 2;
	for (k = 1; k < n; k++) {
		s = mk(6, 1234, 53);
		feed(s, 0, m, k, 100);
		feed(s, 0, m + k, n - k, 100 + (uint32_t)k);
		finish(s);
		assert_int_equal(s->service, 53);
		assert_true(has(s, "alias.host", "a.example.net"));
		assert_true(has(s, "dns.querytype", "txt record"));
		session_free(s);
	}
}

/* Non-DNS traffic on port 53, UDP and TCP. */
static void
test_dns_port53(void **state)
{
	struct session	*s;

	(void)state;
	s = mk(6, 40000, 53);
	feed(s, 0, "hello there\n", 12, 1);
	feed(s, 1, "go away\n", 8, 1);
	finish(s);
	assert_int_equal(s->service, 0);
	assert_true(has(s, "analysis.service",
	    "anomalous or non-dns session on dns port"));
	session_free(s);
	s = mk(17, 53, 40000);
	feed(s, 1, "\x01\x02\x03\x04\x05\x06\x07\x08\x09\x0a\x0b\x0c\x0d", 13, 0);
	finish(s);
	assert_int_equal(s->service, 0);
	assert_true(has(s, "analysis.service",
	    "anomalous or non-dns session on dns port"));
	session_free(s);
}

static const char http_req[] =
    "GET /a/b/file.php?x=1 HTTP/1.1\r\nHost: www.example.co.uk:8080\r\n"
    "User-Agent: test/1.0\r\nAccept: */*\r\n\r\n";
static const char http_resp[] =
    "HTTP/1.1 200 OK\r\nServer: nginx\r\n"
    "Content-Type: text/html; charset=utf-8\r\nContent-Length: 4\r\n\r\nbody";

/* Check the meta of the request and response above. */
static void
http_check(const struct session *s)
{
	assert_int_equal(s->service, 80);
	assert_true(has(s, "action", "GET"));
	assert_true(has(s, "directory", "/a/b/"));
	assert_true(has(s, "filename", "file.php"));
	assert_true(has(s, "extension", "php"));
	assert_true(has(s, "query", "x=1"));
	assert_true(has(s, "client", "test/1.0"));
	assert_true(has(s, "alias.host", "www.example.co.uk"));
	assert_true(has(s, "result.code", "200"));
	assert_true(has(s, "server", "nginx"));
	assert_true(has(s, "content", "text/html"));
	assert_true(has(s, "root.host", "example.co.uk"));
	assert_true(has(s, "tld", "co.uk"));
	assert_true(has(s, "sld", "example"));
	assert_true(has(s, "analysis.service", "http no referer"));
	assert_false(has(s, "analysis.service", "http no user-agent"));
	assert_false(has(s, "analysis.service", "direct to ip http request"));
}

/*
 * A request split at every offset in three segments sent out of order
 * (first, third, second, second again), and a response whose sequence
 * numbers wrap.
 */
static void
test_http_split(void **state)
{
	size_t		 n = sizeof http_req - 1, k, j;
	struct session	*s;

	(void)state;
	for (k = 1; k < n - 1; k++) {
		j = k + (n - k) / 2;
		s = mk(6, 40000, 80);
		feed(s, 0, http_req, k, 5000);
		feed(s, 0, http_req + j, n - j, 5000 + (uint32_t)j);
		feed(s, 0, http_req + k, j - k, 5000 + (uint32_t)k);
		feed(s, 0, http_req + k, j - k, 5000 + (uint32_t)k);
		feed(s, 1, http_resp, 20, 0xfffffff0);
		feed(s, 1, http_resp + 20, sizeof http_resp - 21, 0xfffffff0 + 20);
		finish(s);
		http_check(s);
		session_free(s);
	}
}

/* A missing segment: only the bytes before the gap are parsed. */
static void
test_http_gap(void **state)
{
	struct session	*s = mk(6, 40000, 80);

	(void)state;
	feed(s, 0, http_req, 10, 1);
	feed(s, 0, http_req + 20, sizeof http_req - 21, 21);
	finish(s);
	assert_int_equal(s->service, 80);
	assert_true(has(s, "action", "GET"));
	assert_true(has(s, "filename", "f"));
	assert_int_equal(count(s, "alias.host"), 0);
	session_free(s);
}

/* No CRLF at all, and a header far bigger than the buffer. */
static void
test_http_odd(void **state)
{
	struct session	*s;
	char		*big;
	size_t		 n;

	(void)state;
	s = mk(6, 40000, 8080);
	feed(s, 0, "GET /x HTTP/1.0", 15, 1);
	finish(s);
	assert_int_equal(s->service, 80);
	assert_true(has(s, "filename", "x"));
	assert_true(has(s, "analysis.service", "direct to ip http request"));
	assert_true(has(s, "analysis.service", "http no user-agent"));
	session_free(s);

	big = xmalloc(100000);
	n = (size_t)snprintf(big, 100, "POST /up HTTP/1.1\r\nHost: 10.1.2.3\r\n"
	    "X-Big: ");
	memset(big + n, 'A', 90000);
	memcpy(big + n + 90000, "\r\nUser-Agent: late\r\n\r\n", 22);
	n += 90022;
	s = mk(6, 40000, 80);
	feed(s, 0, big, 1400, 7);
	feed(s, 0, big + 1400, n - 1400, 1407);
	finish(s);
	assert_true(has(s, "action", "POST"));
	assert_false(has(s, "alias.host", "10.1.2.3"));	/* an address */
	assert_int_equal(count(s, "alias.ip"), 1);
	assert_true(has(s, "analysis.service", "direct to ip http request"));
	assert_false(has(s, "client", "late"));
	assert_int_equal(count(s, "sld"), 0);
	session_free(s);
	free(big);
}

/* Append a big-endian number of w bytes. */
static size_t
put(uint8_t *p, size_t n, uint32_t v, int w)
{
	while (w-- > 0)
		p[n++] = (uint8_t)(v >> (8 * w));
	return (n);
}

/* A ClientHello with SNI split in the middle of the name. */
static void
test_tls_client_hello(void **state)
{
	static const char	 sni[] = "secure.example.org";
	uint8_t			 b[512];
	size_t			 n = 0, hs, ext, k;
	struct session		*s;

	(void)state;
	n = put(b, n, 0x160301, 3);
	n = put(b, n, 0, 2);		/* record length, set below */
	hs = n;
	n = put(b, n, 0x01000000, 4);	/* ClientHello, length below */
	n = put(b, n, 0x0303, 2);
	memset(b + n, 0x11, 32);
	n += 32;
	n = put(b, n, 0, 1);
	n = put(b, n, 6, 2);
	n = put(b, n, 0x0a0a, 2);	/* GREASE */
	n = put(b, n, 0x1301, 2);
	n = put(b, n, 0xc02f, 2);
	n = put(b, n, 0x0100, 2);	/* one compression method: null */
	ext = n;
	n = put(b, n, 0, 2);
	n = put(b, n, 0, 2);
	n = put(b, n, sizeof sni - 1 + 5, 2);
	n = put(b, n, sizeof sni - 1 + 3, 2);
	n = put(b, n, 0, 1);
	n = put(b, n, sizeof sni - 1, 2);
	memcpy(b + n, sni, sizeof sni - 1);
	k = n + 6;
	n += sizeof sni - 1;
	n = put(b, n, 10, 2);
	n = put(b, n, 6, 2);
	n = put(b, n, 4, 2);
	n = put(b, n, 29, 2);
	n = put(b, n, 23, 2);
	n = put(b, n, 11, 2);
	n = put(b, n, 2, 2);
	n = put(b, n, 0x0100, 2);
	n = put(b, n, 43, 2);
	n = put(b, n, 5, 2);
	n = put(b, n, 4, 1);
	n = put(b, n, 0x0304, 2);
	n = put(b, n, 0x0303, 2);
	put(b, ext, (uint32_t)(n - ext - 2), 2);
	put(b, hs + 1, (uint32_t)(n - hs - 4), 3);
	put(b, 3, (uint32_t)(n - 5), 2);

	/* Offered suites are written only with tls.offered_ciphers=1. */
	s = mk(6, 40000, 443);
	feed(s, 0, b, k, 1);
	feed(s, 0, b + k, n - k, 1 + (uint32_t)k);
	finish(s);
	assert_false(has(s, "crypto", "TLS_AES_128_GCM_SHA256"));
	session_free(s);
	configure("tls.offered_ciphers=1");
	s = mk(6, 40000, 443);
	feed(s, 0, b, k, 1);
	feed(s, 0, b + k, n - k, 1 + (uint32_t)k);
	finish(s);
	configure("tls.offered_ciphers=0");
	assert_int_equal(s->service, 443);
	assert_true(has(s, "alias.host", "secure.example.org"));
	assert_true(has(s, "version", "tls 1.3"));
	assert_true(has(s, "crypto", "TLS_AES_128_GCM_SHA256"));
	assert_true(has(s, "crypto", "TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256"));
	assert_true(has(s, "ja3", "cefebb3c24208325c13a9ad9b14b83c9"));
	assert_true(has(s, "root.host", "example.org"));
	session_free(s);
}

/* SSH banners; SMTP and FTP greetings. */
static void
test_banners(void **state)
{
	struct session	*s;

	(void)state;
	s = mk(6, 22, 50000);
	feed(s, 0, "SSH-2.0-dropbear_2022.83\r\n", 26, 9);
	feed(s, 1, "SSH-2.0-Open", 12, 3);
	feed(s, 1, "SSH_9.6\r\n\0\0\0\x14", 13, 15);
	s->initiator = 1;
	parse_close(pc, s);
	assert_int_equal(s->service, 22);
	assert_true(has(s, "client", "SSH-2.0-OpenSSH_9.6"));
	assert_true(has(s, "server", "SSH-2.0-dropbear_2022.83"));
	assert_true(has(s, "version", "2.0"));
	session_free(s);

	s = mk(6, 25, 50000);
	feed(s, 0, "220 mx.example.com ESMTP ready\r\n", 32, 1);
	finish(s);
	assert_int_equal(s->service, 25);
	session_free(s);

	s = mk(6, 2121, 50000);
	feed(s, 0, "220 Welcome\r\n", 13, 1);
	feed(s, 1, "USER anonymous\r\n", 16, 1);
	finish(s);
	assert_int_equal(s->service, 21);
	session_free(s);

	s = mk(6, 445, 50000);
	feed(s, 1, "\0\0\0\x45\xffSMB", 8, 1);
	feed(s, 0, "\0\0\0\x45\xffSMB", 8, 1);
	assert_true(s->parse != NULL);
	feed(s, 0, "GET / HTTP/1.1\r\n", 16, 9);
	finish(s);
	assert_int_equal(s->service, 0);
	assert_int_equal(count(s, "action"), 0);
	session_free(s);
}

/* A Linux ping payload: timestamp, then 0x10 .. 0x37. */
static void
linux_fill(uint8_t *p)
{
	int	i;

	for (i = 0; i < 16; i++)
		p[i] = (uint8_t)(i * 37 + 5);
	for (i = 16; i < 56; i++)
		p[i] = (uint8_t)i;
}

/* Ordinary Linux and Windows pings stay clean. */
static void
test_icmp_ping(void **state)
{
	static const char	 win[] = "abcdefghijklmnopqrstuvwabcdefghi";
	struct session		*s;
	uint8_t			 p[56];
	uint16_t		 i;

	(void)state;
	s = mk(1, 0, 0);
	for (i = 1; i <= 4; i++) {
		linux_fill(p);
		p[0] = (uint8_t)i;
		echo(s, 0, 8, i, p, 56);
		echo(s, 1, 0, i, p, 56);
	}
	finish(s);
	assert_int_equal(count(s, "analysis.session"), 0);
	session_free(s);
	s = mk(1, 0, 0);
	for (i = 1; i <= 4; i++) {
		echo(s, 0, 8, i, (const uint8_t *)win, 32);
		echo(s, 1, 0, i, (const uint8_t *)win, 32);
	}
	finish(s);
	assert_int_equal(count(s, "analysis.session"), 0);
	session_free(s);
}

/* Odd payloads, differing replies, sizes, magic, text, lone replies. */
static void
test_icmp_tunnel(void **state)
{
	struct session	*s;
	uint8_t		 p[300], r[300];
	uint16_t	 i;

	(void)state;
	s = mk(1, 0, 0);
	for (i = 0; i < 300; i++) {
		p[i] = (uint8_t)(i * 7919 >> 3);
		r[i] = (uint8_t)(i * 104729 >> 5);
	}
	memcpy(p, "\xd5\x20\x08\x80", 4);
	memcpy(r + 40, "SSH-2.0-x", 9);
	for (i = 1; i <= 3; i++) {
		echo(s, 0, 8, i, p, 100 * i);
		echo(s, 1, 0, i, r, 100 * i);
	}
	finish(s);
	assert_true(has(s, "analysis.session", "icmp non-standard payload"));
	assert_true(has(s, "analysis.session", "icmp reply payload differs"));
	assert_true(has(s, "analysis.session", "icmp payload size varies"));
	assert_true(has(s, "analysis.session", "icmp tunnel magic"));
	assert_true(has(s, "analysis.session", "icmp carries protocol text"));
	assert_false(has(s, "analysis.session", "icmp reply without request"));
	session_free(s);

	s = mk(1, 0, 0);
	linux_fill(p);
	echo(s, 1, 0, 7, p, 56);
	finish(s);
	assert_true(has(s, "analysis.session", "icmp reply without request"));
	assert_int_equal(count(s, "analysis.session"), 1);
	session_free(s);
}

/* An inner IPv4 header (icmptunnel) counts as tunnel magic. */
static void
test_icmp_inner_ip(void **state)
{
	static const uint8_t ip[20] = {
		0x45, 0, 0, 60, 0x1c, 0x46, 0x40, 0, 0x40, 6, 0, 0,
		10, 0, 0, 1, 10, 0, 0, 2
	};
	struct session	*s = mk(1, 0, 0);
	uint8_t		 p[60];
	uint32_t	 sum = 0;
	int		 i;

	(void)state;
	memset(p, 0, sizeof p);
	memcpy(p, ip, 20);
	for (i = 0; i < 20; i += 2)
		sum += (uint32_t)(p[i] << 8 | p[i + 1]);
	while (sum >> 16)
		sum = (sum & 0xffff) + (sum >> 16);
	p[10] = (uint8_t)(~sum >> 8);
	p[11] = (uint8_t)~sum;
	echo(s, 0, 8, 1, p, 60);
	finish(s);
	assert_true(has(s, "analysis.session", "icmp tunnel magic"));
	session_free(s);
}

/* MD5 test vectors and the settings interface. */
static void
test_md5_settings(void **state)
{
	char			 h[33], *cause = NULL;
	const struct setting	*t;
	bool			 found = false;

	(void)state;
	md5_hex("", 0, h);
	assert_string_equal(h, "d41d8cd98f00b204e9800998ecf8427e");
	md5_hex("abc", 3, h);
	assert_string_equal(h, "900150983cd24fb0d6963f7d28e17f72");
	md5_hex("12345678901234567890123456789012345678901234567890123456789012"
	    "345678901234567890", 80, h);
	assert_string_equal(h, "57edf4a22be3c955ac49da2e2107b67a");
	configure("dns.entropy=3.75");
	assert_int_equal(pc->conf.dns_entropy, 375);
	configure("dns.entropy=4.00");
	assert_int_equal(pc->conf.dns_entropy, 400);
	assert_false(engine_config_set(&cfg, "dns.long_query=x", &cause));
	free(cause);
	for (t = engine_settings(); t->name != NULL; t++)
		found |= strcmp(t->name, "icmp.size_variants") == 0;
	assert_true(found);
}

/* A ServerHello selecting TLS 1.3: version, selected suite, JA3S; the
   session is finished as soon as both hellos are in. */
static void
test_tls_server_hello(void **state)
{
	static const uint8_t	 ch[] = {
		0x16, 0x03, 0x01, 0x00, 0x2d, 0x01, 0x00, 0x00, 0x29, 0x03,
		0x03, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16,
		17, 18, 19, 20, 21, 22, 23, 24, 25, 26, 27, 28, 29, 30, 31, 32,
		0x00, 0x00, 0x02, 0x13, 0x01, 0x01, 0x00
	};
	uint8_t			 b[128];
	size_t			 n = 0, hs;
	struct session		*s;

	(void)state;
	n = put(b, n, 0x160303, 3);
	n = put(b, n, 0, 2);
	hs = n;
	n = put(b, n, 0x02000000, 4);
	n = put(b, n, 0x0303, 2);
	memset(b + n, 0x22, 32);
	n += 32;
	n = put(b, n, 0, 1);
	n = put(b, n, 0x1301, 2);
	n = put(b, n, 0, 1);
	n = put(b, n, 12, 2);
	n = put(b, n, 43, 2);
	n = put(b, n, 2, 2);
	n = put(b, n, 0x0304, 2);
	n = put(b, n, 51, 2);
	n = put(b, n, 0, 2);
	n = put(b, n, 0, 2);	/* padding: not an extension (cut) */
	n -= 2;
	put(b, hs + 1, (uint32_t)(n - hs - 4), 3);
	put(b, 3, (uint32_t)(n - 5), 2);
	s = mk(6, 443, 40000);
	feed(s, 1, ch, sizeof ch, 77);
	feed(s, 0, b, n, 9);
	assert_true(s->parse != NULL);
	assert_int_equal(s->service, 443);	/* written early */
	feed(s, 0, "\x17\x03\x03\x00\x01x", 6, 9 + (uint32_t)n);
	finish(s);
	assert_true(has(s, "version", "tls 1.3"));
	assert_true(has(s, "crypto", "TLS_AES_128_GCM_SHA256"));
	assert_true(has(s, "ja3s", "f4febc55ea12b31ae17cfb7e614afda8"));
	assert_int_equal(count(s, "ja3"), 1);
	session_free(s);
}

/* Pipelined requests and responses, one with an empty body. */
static void
test_http_pipeline(void **state)
{
	static const char	 rq[] = "GET /a.css HTTP/1.1\r\nHost: x.example\r\n"
	    "Referer: http://x.example/\r\nUser-Agent: u\r\n\r\n"
	    "POST /api/v1/ HTTP/1.1\r\nHost: y.example\r\nUser-Agent: u\r\n"
	    "Content-Length: 3\r\n\r\nabcHEAD /z.tar.gz HTTP/1.1\r\n"
	    "Host: z.example\r\nReferer: r\r\nUser-Agent: u\r\n\r\n";
	static const char	 rs[] = "HTTP/1.1 304 Not Modified\r\n"
	    "Content-Length: 0\r\n\r\nHTTP/1.1 201 Created\r\n"
	    "Content-Type: application/json\r\nContent-Length: 2\r\n\r\n{}"
	    "HTTP/1.1 404 Not Found\r\n\r\n";
	struct session		*s = mk(6, 40000, 80);

	(void)state;
	feed(s, 0, rq, sizeof rq - 1, 1);
	feed(s, 1, rs, sizeof rs - 1, 1);
	finish(s);
	assert_true(has(s, "action", "GET"));
	assert_true(has(s, "action", "POST"));
	assert_true(has(s, "action", "HEAD"));
	assert_true(has(s, "directory", "/api/v1/"));
	assert_true(has(s, "filename", "z.tar.gz"));
	assert_true(has(s, "extension", "gz"));
	assert_true(has(s, "extension", "css"));
	assert_int_equal(count(s, "alias.host"), 3);
	assert_true(has(s, "result.code", "304"));
	assert_true(has(s, "result.code", "201"));
	assert_true(has(s, "result.code", "404"));
	assert_true(has(s, "content", "application/json"));
	assert_true(has(s, "referer", "http://x.example/"));
	assert_true(has(s, "analysis.service", "http no referer"));
	session_free(s);
}

/* UTF-8 names are not 'dns non-ascii name'; raw binary labels are. */
static void
test_dns_nonascii(void **state)
{
	struct session	*s;
	uint8_t		 m[128];
	size_t		 n;

	(void)state;
	s = mk(17, 5355, 40000);
	n = dns_q(m, dns_hdr(m, 0x0000, 1, 0), "caf\xc3\xa9.example", 1);
	feed(s, 1, m, n, 0);
	finish(s);
	assert_int_equal(s->service, 5355);	/* LLMNR */
	assert_int_equal(count(s, "analysis.service"), 0);
	session_free(s);
	s = mk(17, 53, 40000);
	n = dns_q(m, dns_hdr(m, 0x0000, 1, 0), "a\xfe\xbc\x81.example", 10);
	feed(s, 1, m, n, 0);
	finish(s);
	assert_true(has(s, "analysis.service", "dns non-ascii name"));
	assert_true(has(s, "analysis.service", "dns obscure record type"));
	assert_true(has(s, "dns.querytype", "null record"));
	session_free(s);
}

/* Every indicator a parser writes is listed in the registry. */
static void
test_registry_values(void **state)
{
	const struct meta_key	*k[2];
	size_t			 i, j, m;
	bool			 found;

	(void)state;
	k[0] = meta_key(meta_find("analysis.session", 16));
	k[1] = meta_key(meta_find("analysis.service", 16));
	for (i = 0; i < PI_COUNT; i++) {
		found = false;
		for (m = 0; m < 2; m++) {
			for (j = 0; k[m]->values != NULL &&
			    k[m]->values[j] != NULL; j++)
				found |= strcmp(k[m]->values[j],
				    parse_indicators[i]) == 0;
		}
		assert_true(found);
	}
}

/* A first segment longer than the sniffing buffer is kept whole. */
static void
test_http_long_first(void **state)
{
	char		 b[2000];
	size_t		 n, first;
	struct session	*s = mk(6, 40000, 80);

	(void)state;
	n = (size_t)snprintf(b, 40, "GET /t?d=");
	memset(b + n, 'Q', 1300);
	n += 1300;
	n += (size_t)snprintf(b + n, 200, " HTTP/1.1\r\nUser-Agent: Mozil");
	feed(s, 0, b, n, 1);
	first = n;
	n = (size_t)snprintf(b, 200, "la/5.0\r\nHost: va.example.com\r\n\r\n");
	feed(s, 0, b, n, 1 + (uint32_t)first);
	finish(s);
	assert_true(has(s, "client", "Mozilla/5.0"));
	assert_true(has(s, "alias.host", "va.example.com"));
	session_free(s);
}

/* Feed a TCP SYN (a SYN-ACK from side 1) with initial sequence isn. */
static void
syn(struct session *s, int side, uint32_t isn)
{
	struct decoded	d;

	memset(&d, 0, sizeof d);
	d.af = 4;
	d.proto = 6;
	d.sport = s->port[side];
	d.dport = s->port[!side];
	d.tcp_seq = isn;
	d.tcp_flags = side == 0 ? 0x02 : 0x12;
	parse_packet(pc, s, &d, side, 0);
}

/* Segments of the stream test: offset and length in stream_text. */
static const char	stream_text[] =
    "The quick brown fox jumps over the lazy dog, then naps in the sun!!";
static const struct {
	uint32_t	 off, n;
} stream_segs[] = {
	{ 0, 10 }, { 8, 22 }, { 30, 15 }, { 40, 27 }, { 8, 22 }
};
#define STREAM_NSEG	5
#define STREAM_MAX	64

/* Place the segments in the order perm (from isn + 1), check the bytes. */
static void
stream_check(const int *perm, uint32_t isn, bool anchor)
{
	struct parse_stream	st;
	int			i, k;

	memset(&st, 0, sizeof st);
	st.max = STREAM_MAX;
	if (anchor)
		parse_stream_anchor(&st, isn);
	for (i = 0; i < STREAM_NSEG; i++) {
		k = perm[i];
		parse_stream_add(pc, &st, isn + 1 + stream_segs[k].off,
		    (const uint8_t *)stream_text + stream_segs[k].off,
		    stream_segs[k].n);
	}
	assert_int_equal(st.base, isn + 1);
	assert_int_equal(st.contig, STREAM_MAX);
	assert_memory_equal(st.buf, stream_text, STREAM_MAX);
	parse_buf_put(pc, st.buf, st.alloc);
	free(st.map);
}

/*
 * Segments that overlap, repeat and run past the bound, in every order,
 * from the handshake or not, with and without the sequence numbers
 * wrapping, give the same first bytes.
 */
static void
test_stream_orders(void **state)
{
	static const uint32_t	isns[] = { 1000, 0xffffffe0 };
	int			perm[STREAM_NSEG], c[STREAM_NSEG] = { 0 };
	int			i, t, runs = 0;
	size_t			j, a;

	(void)state;
	for (i = 0; i < STREAM_NSEG; i++)
		perm[i] = i;
	for (i = 0;;) {		/* Heap's algorithm: every permutation */
		for (j = 0; j < nitems(isns); j++) {
			for (a = 0; a < 2; a++)
				stream_check(perm, isns[j], a == 1);
		}
		runs++;
		while (i < STREAM_NSEG && c[i] >= i) {
			c[i] = 0;
			i++;
		}
		if (i == STREAM_NSEG)
			break;
		t = perm[i % 2 == 0 ? 0 : c[i]];
		perm[i % 2 == 0 ? 0 : c[i]] = perm[i];
		perm[i] = t;
		c[i]++;
		i = 0;
	}
	assert_int_equal(runs, 120);
}

/*
 * A segment below the base: without the handshake the base moves down to
 * it; with it, the bytes before the SYN's sequence number + 1 are not the
 * stream's.  Where copies overlap, the first one wins.
 */
static void
test_stream_below(void **state)
{
	struct parse_stream	st;

	(void)state;
	memset(&st, 0, sizeof st);
	st.max = 64;
	parse_stream_add(pc, &st, 1010, (const uint8_t *)"world", 5);
	assert_int_equal(st.contig, 5);
	parse_stream_add(pc, &st, 1000, (const uint8_t *)"hello ", 6);
	assert_int_equal(st.base, 1000);
	assert_int_equal(st.contig, 6);
	parse_stream_add(pc, &st, 1004, (const uint8_t *)"XXXXXXXX", 8);
	assert_int_equal(st.contig, 15);
	assert_memory_equal(st.buf, "hello XXXXworld", 15);
	parse_buf_put(pc, st.buf, st.alloc);
	free(st.map);

	memset(&st, 0, sizeof st);
	st.max = 64;
	parse_stream_anchor(&st, 999);
	parse_stream_add(pc, &st, 996, (const uint8_t *)"....GET /", 9);
	parse_stream_add(pc, &st, 1000, (const uint8_t *)"Gxx /x", 6);
	assert_int_equal(st.base, 1000);
	assert_int_equal(st.contig, 6);
	assert_memory_equal(st.buf, "GET /x", 6);
	parse_buf_put(pc, st.buf, st.alloc);
	free(st.map);
}

/*
 * Send a request of n bytes in 8 to 40-byte pieces in a shuffled order,
 * then again in the reverse of that order.
 */
static void
http_shuffled(struct session *s, const char *req, uint32_t n, uint32_t isn,
    uint32_t seed)
{
	uint32_t	cut[160], order[160], k = 0, i, j, t;

	for (i = 0; i < n; i += 8 + seed % 33, k++) {
		cut[k] = i;
		seed = seed * 1103515245 + 12345;
	}
	cut[k] = n;
	for (i = 0; i < k; i++)
		order[i] = i;
	for (i = k - 1; i > 0; i--) {
		seed = seed * 1103515245 + 12345;
		j = (seed >> 16) % (i + 1);
		t = order[i];
		order[i] = order[j];
		order[j] = t;
	}
	for (t = 0; t < 2; t++) {
		for (i = 0; i < k; i++) {
			j = order[t == 0 ? i : k - 1 - i];
			feed(s, 0, req + cut[j], cut[j + 1] - cut[j],
			    isn + 1 + cut[j]);
		}
	}
}

/*
 * HTTP headers of 800 bytes in small segments in shuffled orders,
 * retransmitted, from the handshake on or picked up without it, give the
 * meta of in order.
 */
static void
test_http_shuffled(void **state)
{
	char		 req[1024];
	struct session	*s;
	uint32_t	 seed, n;
	int		 withsyn;

	(void)state;
	n = (uint32_t)snprintf(req, sizeof req, "GET /a/b/file.php?x=1 "
	    "HTTP/1.1\r\nAccept: */*\r\nCookie: %0600d\r\nHost: "
	    "www.example.co.uk:8080\r\nUser-Agent: test/1.0\r\n\r\n", 7);
	for (seed = 1; seed <= 40; seed++) {
		for (withsyn = 0; withsyn < 2; withsyn++) {
			s = mk(6, 40000, 80);
			if (withsyn) {
				syn(s, 0, 0xfffffffa);
				syn(s, 1, 7000);
			}
			http_shuffled(s, req, n, 0xfffffffa, seed);
			feed(s, 1, http_resp, sizeof http_resp - 1, 7001);
			finish(s);
			http_check(s);
			session_free(s);
		}
	}
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_dns_compression),
		cmocka_unit_test(test_host_psl),
		cmocka_unit_test(test_dns_malformed),
		cmocka_unit_test(test_dns_error),
		cmocka_unit_test(test_dns_tunnel),
		cmocka_unit_test(test_dns_tcp),
		cmocka_unit_test(test_dns_port53),
		cmocka_unit_test(test_http_split),
		cmocka_unit_test(test_http_gap),
		cmocka_unit_test(test_http_odd),
		cmocka_unit_test(test_tls_client_hello),
		cmocka_unit_test(test_banners),
		cmocka_unit_test(test_icmp_ping),
		cmocka_unit_test(test_icmp_tunnel),
		cmocka_unit_test(test_icmp_inner_ip),
		cmocka_unit_test(test_md5_settings),
		cmocka_unit_test(test_tls_server_hello),
		cmocka_unit_test(test_http_pipeline),
		cmocka_unit_test(test_dns_nonascii),
		cmocka_unit_test(test_registry_values),
		cmocka_unit_test(test_http_long_first),
		cmocka_unit_test(test_stream_orders),
		cmocka_unit_test(test_stream_below),
		cmocka_unit_test(test_http_shuffled),
	};

	return (cmocka_run_group_tests(tests, setup, teardown));
}
