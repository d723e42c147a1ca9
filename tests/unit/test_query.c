/*
 * test_query.c - the where-clause language: expressions that compile (with
 * their printed plan), expressions that fail (column and message), and
 * expressions evaluated over a small set of fake sessions.
 */
/* SPDX-License-Identifier: GPL-3.0-or-later */

#include <arpa/inet.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "meta/meta.h"
#include "query/query.h"
#include "util/util.h"

#define T0	1704067200ULL		/* 2024-01-01 00:00:00 UTC */
#define DAY	86400ULL
#define NS	1000000000ULL

/* A fake session: only the keys the tests use; NULL or -1 is absent. */
struct fake {
	const char	*src, *dst;		/* ip.src, ip.dst */
	const char	*src6, *dst6;		/* ipv6.src, ipv6.dst */
	int		 proto;			/* ip.proto */
	int		 dport;			/* tcp.dstport */
	uint64_t	 size;
	uint64_t	 time;			/* ns */
	const char	*mac;			/* eth.src */
	long long	 reqpayload;		/* requestpayload */
	const char	*dir, *client;		/* directory, client */
	const char	*hosts[4];		/* alias.host */
	const char	*analysis[4];		/* analysis.session */
	const char	*flags[4];		/* tcpflags */
	const char	*custom;		/* custom.alert (dynamic key) */
	int		 manyhosts;		/* h0.example ... alias.host */
};

static const struct fake fakes[] = {
	/* 1: a large ICMP session. */
	{ "10.0.0.1", "8.8.8.8", NULL, NULL, 1, -1, 2000000, T0 * NS,
	  "00:11:22:33:44:55", 1000000, NULL, NULL, { NULL },
	  { "icmp large session", "session size greater than 1mb" },
	  { NULL }, NULL, 0 },
	/* 2: a small ICMP session in the same second. */
	{ "10.0.0.2", "8.8.4.4", NULL, NULL, 1, -1, 500, T0 * NS + NS / 2,
	  "00:11:22:33:44:66", -1, NULL, NULL, { NULL }, { NULL }, { NULL },
	  NULL, 0 },
	/* 3: DNS. */
	{ "192.168.1.10", "10.0.0.53", NULL, NULL, 17, -1, 300,
	  (T0 + 1) * NS, NULL, -1, NULL, NULL,
	  { "www.Example.com", "mail.example.com" }, { "dns long label" },
	  { NULL }, NULL, 0 },
	/* 4: HTTP. */
	{ "172.16.5.5", "93.184.216.34", NULL, NULL, 6, 80, 1024000,
	  (T0 + DAY + 43200) * NS, NULL, 0, "\\c$\\",
	  "Mozilla/5.0 (O'Brien)", { "example.com" }, { NULL },
	  { "syn", "ack" }, NULL, 0 },
	/* 5: TLS to a multicast address (for the range test). */
	{ "10.1.2.3", "224.0.0.251", NULL, NULL, 6, 443, 1024001,
	  (T0 + DAY + 43201) * NS, NULL, -1, "c:\\dir", "A\"B",
	  { "Evil.COM" }, { NULL }, { "syn", "ack", "fin" }, "hit", 0 },
	/* 6: RDP. */
	{ "100.64.0.1", "239.255.255.255", NULL, NULL, 6, 3389, 10,
	  (T0 + 2 * DAY) * NS, NULL, -1, NULL, "ssh-2.0",
	  { "a.b.c.d.e.f.g.example.com" }, { NULL }, { NULL }, NULL, 0 },
	/* 7: ICMPv6, the day before. */
	{ NULL, NULL, "2001:db8::1", "fe80::1", 58, -1, 0,
	  (T0 - DAY) * NS, NULL, -1, NULL, NULL, { NULL }, { NULL },
	  { NULL }, NULL, 0 },
	/* 8: two spellings of one host name, a split session. */
	{ "11.0.0.1", "10.255.255.255", NULL, NULL, 6, 3390, 1024000,
	  (T0 + 3 * DAY) * NS, NULL, -1, NULL, NULL,
	  { "AbC.example.com", "abc.EXAMPLE.com" }, { "session split" },
	  { NULL }, NULL, 0 },
	/* 9: more alias.host values than fit on query_match's stack. */
	{ "10.0.0.9", "10.0.0.10", NULL, NULL, 17, -1, 64,
	  (T0 + 4 * DAY) * NS, NULL, -1, NULL, NULL, { NULL }, { NULL },
	  { NULL }, NULL, 100 },
	/* 10: the extremes. */
	{ "10.0.0.10", "1.1.1.1", NULL, NULL, 6, 65535, UINT64_MAX, 0,
	  NULL, -1, "A", NULL, { "b\xc3\xbc" "cher.de" }, { NULL }, { NULL },
	  NULL, 0 },
};
#define NFAKES	((int)nitems(fakes))

static int	 custom_key = -1;
static char	 manyhosts[100][24];

/* Append a value to a fake reader's list. */
static void
fake_add(struct mval *v, size_t *n, const struct mval *m)
{
	if (*n < 128)
		v[*n] = *m;
	(*n)++;
}

/* Append a text value. */
static void
fake_text(struct mval *v, size_t *n, const char *s)
{
	struct mval	 m;

	if (s == NULL)
		return;
	memset(&m, 0, sizeof m);
	m.type = MT_TEXT;
	m.text.p = s;
	m.text.n = (uint32_t)strlen(s);
	fake_add(v, n, &m);
}

/* Append a uint (or time) value. */
static void
fake_uint(struct mval *v, size_t *n, uint8_t type, uint64_t u)
{
	struct mval	 m;

	memset(&m, 0, sizeof m);
	m.type = type;
	m.prec = 9;
	m.u = u;
	fake_add(v, n, &m);
}

/* Append an address value parsed from text. */
static void
fake_addr(struct mval *v, size_t *n, uint8_t type, const char *s)
{
	struct mval	 m;
	unsigned int	 b[6];
	int		 i;

	if (s == NULL)
		return;
	memset(&m, 0, sizeof m);
	m.type = type;
	if (type == MT_MAC) {
		sscanf(s, "%x:%x:%x:%x:%x:%x", &b[0], &b[1], &b[2], &b[3],
		    &b[4], &b[5]);
		for (i = 0; i < 6; i++)
			m.mac[i] = (uint8_t)b[i];
	} else
		inet_pton(type == MT_IPV4 ? AF_INET : AF_INET6, s, m.ip);
	fake_add(v, n, &m);
}

/* Append every string of a NULL-ended list. */
static void
fake_list(struct mval *v, size_t *n, const char *const *list)
{
	int	 i;

	for (i = 0; i < 4 && list[i] != NULL; i++)
		fake_text(v, n, list[i]);
}

/* Append the values of one key of a fake session. */
static void
fake_key(const struct fake *f, uint64_t item, int key, struct mval *v,
    size_t *n)
{
	int	 i;

	switch (key) {
	case K_SESSIONID: fake_uint(v, n, MT_UINT, item); break;
	case K_IP_SRC: fake_addr(v, n, MT_IPV4, f->src); break;
	case K_IP_DST: fake_addr(v, n, MT_IPV4, f->dst); break;
	case K_IPV6_SRC: fake_addr(v, n, MT_IPV6, f->src6); break;
	case K_IPV6_DST: fake_addr(v, n, MT_IPV6, f->dst6); break;
	case K_ETH_SRC: fake_addr(v, n, MT_MAC, f->mac); break;
	case K_SIZE: fake_uint(v, n, MT_UINT, f->size); break;
	case K_TIME: fake_uint(v, n, MT_TIME, f->time); break;
	case K_TCPFLAGS: fake_list(v, n, f->flags); break;
	case K_IP_PROTO:
		if (f->proto != -1)
			fake_uint(v, n, MT_UINT, (uint64_t)f->proto);
		break;
	case K_TCP_DSTPORT:
		if (f->dport != -1)
			fake_uint(v, n, MT_UINT, (uint64_t)f->dport);
		break;
	case K_REQPAYLOAD:
		if (f->reqpayload != -1)
			fake_uint(v, n, MT_UINT, (uint64_t)f->reqpayload);
		break;
	default:
		if (key == meta_find("directory", 9))
			fake_text(v, n, f->dir);
		else if (key == meta_find("client", 6))
			fake_text(v, n, f->client);
		else if (key == meta_find("analysis.session", 16))
			fake_list(v, n, f->analysis);
		else if (key == custom_key)
			fake_text(v, n, f->custom);
		else if (key == meta_find("alias.host", 10)) {
			fake_list(v, n, f->hosts);
			for (i = 0; i < f->manyhosts; i++)
				fake_text(v, n, manyhosts[i]);
		}
	}
}

/* The fake meta_reader: items are 1-based indexes into fakes[]. */
static size_t
fake_values(const struct meta_reader *r, uint64_t item, int key,
    struct mval *out, size_t max)
{
	struct mval	 v[128];
	size_t		 n = 0;

	(void)r;
	assert_true(item >= 1 && item <= (uint64_t)NFAKES);
	fake_key(&fakes[item - 1], item, key, v, &n);
	memcpy(out, v, (n < max ? n : max) * sizeof *out);
	return (n);
}

static const struct meta_reader fake_reader = { fake_values, NULL };

/* Set up the dynamic key and the many host names once. */
static int
setup(void **state)
{
	int	 i;

	(void)state;
	custom_key = meta_intern("custom.alert", 12, MT_TEXT);
	for (i = 0; i < 100; i++)
		snprintf(manyhosts[i], sizeof manyhosts[i], "h%d.example", i);
	return (0);
}

/* Compile or fail the test, printing the message. */
static struct query *
compile(const char *text, int flags)
{
	struct query_error	 err;
	struct query		*q;

	q = query_compile(text, strlen(text), flags, &err);
	if (q == NULL)
		fail_msg("%s: column %zu: %s", text, err.col, err.msg);
	query_error_clear(&err);
	return (q);
}

/* The plan of a query as a new string. */
static char *
plan(const struct query *q)
{
	struct buf	 b;

	buf_init(&b);
	query_format(&b, q);
	return (buf_take(&b));
}

/* The ids of the fake sessions a query matches, as "1,2,3". */
static char *
matches(const char *text)
{
	struct query	*q = compile(text, 0);
	struct buf	 b;
	int		 i;

	buf_init(&b);
	buf_add(&b, "", 0);
	for (i = 1; i <= NFAKES; i++) {
		if (query_match(q, &fake_reader, (uint64_t)i))
			buf_printf(&b, "%s%d", b.len ? "," : "", i);
	}
	query_free(q);
	return (buf_take(&b));
}

/* How many fake sessions a query matches. */
static int
count(const char *text)
{
	struct query	*q = compile(text, 0);
	int		 i, n = 0;

	for (i = 1; i <= NFAKES; i++)
		n += query_match(q, &fake_reader, (uint64_t)i);
	query_free(q);
	return (n);
}

/* (a) Expressions that compile, with their plan. */
static const struct {
	const char	*text;
	const char	*plan;
} good[] = {
	{ "ip.proto = 1 && size = 1024000-u",
	  "(ip.proto = 1 && size = 1024000-u)" },
	{ "IP.PROTO=1", "ip.proto = 1" },
	{ "size=1024000 -u", "size = 1024000-u" },
	{ "size = 1024000 - U", "size = 1024000-u" },
	{ "tcp.dstport = 1-3388, 3390-u", "tcp.dstport = 1-3388, 3390-u" },
	{ "tcp.dstport=1 -3388 ,3390- u", "tcp.dstport = 1-3388, 3390-u" },
	{ "size = 0-5", "size = l-5" },
	{ "size = L - 5", "size = l-5" },
	{ "size = 5-5", "size = 5" },
	{ "size = l", "size = 0" },
	{ "size = u", "size = 18446744073709551615" },
	{ "size = 18446744073709551615", "size = 18446744073709551615" },
	{ "size < 100", "size < 100" },
	{ "size<=100", "size <= 100" },
	{ "size >1", "size > 1" },
	{ "size>=1", "size >= 1" },
	{ "ip.dst = 224.0.0.0 - 239.255.255.255", "ip.dst = 224.0.0.0/4" },
	{ "ip.dst = 224.0.0.1 - 239.255.255.255",
	  "ip.dst = 224.0.0.1-239.255.255.255" },
	{ "ip.src = 10.0.0.0/8", "ip.src = 10.0.0.0/8" },
	{ "ip.src = 10.0.0.1/32", "ip.src = 10.0.0.1" },
	{ "ip.src = 10.1.2.3/8", "ip.src = 10.0.0.0/8" },
	{ "ip.src = l-10.0.0.255", "ip.src = l-10.0.0.255" },
	{ "ip.src = 10.0.0.7-u", "ip.src = 10.0.0.7-u" },
	{ "ip.src = l-u", "ip.src = 0.0.0.0/0" },
	{ "ip.src = 0.0.0.0/0", "ip.src = 0.0.0.0/0" },
	{ "ip.src = 10.0.0.0/8 - 11.0.0.0/8", "ip.src = 10.0.0.0/7" },
	{ "ip.src = 10.0.0.1,10.0.0.2", "ip.src = 10.0.0.1, 10.0.0.2" },
	{ "ip.src = 010.000.000.001", "ip.src = 10.0.0.1" },
	{ "ipv6.src = 2001:DB8::1/32", "ipv6.src = 2001:db8::/32" },
	{ "ipv6.src = ::1", "ipv6.src = ::1" },
	{ "ipv6.src = fe80::/10", "ipv6.src = fe80::/10" },
	{ "ipv6.src = ::ffff:1.2.3.4", "ipv6.src = ::ffff:1.2.3.4" },
	{ "ipv6.src = 2001:db8::1 - 2001:db8::ff",
	  "ipv6.src = 2001:db8::1-2001:db8::ff" },
	{ "eth.src = 00:11:22:AA:bb:CC", "eth.src = 00:11:22:aa:bb:cc" },
	{ "alias.host = \"Evil.com\"", "alias.host = 'Evil.com'" },
	{ "alias.host = ''", "alias.host = ''" },
	{ "client = 'a\\'b'", "client = 'a\\'b'" },
	{ "client = \"a'b\"", "client = 'a\\'b'" },
	{ "client = \"a\\\"b\"", "client = 'a\"b'" },
	{ "directory = 'c:\\\\dir'", "directory = 'c:\\\\dir'" },
	{ "directory = 'c:\\dir'", "directory = 'c:\\\\dir'" },
	{ "directory = '\\\\c$\\\\'", "directory = '\\\\c$\\\\'" },
	{ "alias.host = '\\x41\\x0a'", "alias.host = 'A\\x0a'" },
	{ "alias.host = '\\xZZ'", "alias.host = '\\\\xZZ'" },
	{ "alias.host = 'b\xc3\xbc" "cher.de'",
	  "alias.host = 'b\xc3\xbc" "cher.de'" },
	{ "alias.host = 'a\xff'", "alias.host = 'a\\xff'" },
	{ "alias.host regex '(?-i)^Evil\\.'",
	  "alias.host regex '(?-i)^Evil\\.'" },
	{ "alias.host regex 'a\\'b'", "alias.host regex 'a\\'b'" },
	{ "alias.host regex '\\x41\\\\'", "alias.host regex '\\x41\\\\'" },
	{ "alias.host regex '([\\\\\\\\.].*){6,}'",
	  "alias.host regex '([\\\\\\\\.].*){6,}'" },
	{ "service = 80,443,53 && alias.host regex '[^a-zA-Z0-9.\\\\\\-_]'",
	  "(service = 80, 443, 53 && "
	  "alias.host regex '[^a-zA-Z0-9.\\\\\\-_]')" },
	{ "alias.host regex '([^\\\\\\\\.]){30,}.'",
	  "alias.host regex '([^\\\\\\\\.]){30,}.'" },
	{ "time = '2024-JAN-01 00:00:00'", "time = '2024-jan-01 00:00:00'" },
	{ "time = \"2024-january-01 00:00:00\"",
	  "time = '2024-jan-01 00:00:00'" },
	{ "time = '2024-01-01T00:00:00'", "time = '2024-jan-01 00:00:00'" },
	{ "time = 1704067200", "time = '2024-jan-01 00:00:00'" },
	{ "time = '2024-jan-01 00:00:00' - '2024-jan-02 00:00:00'",
	  "time = '2024-jan-01 00:00:00'-'2024-jan-02 00:00:00'" },
	{ "time = l - '2024-jan-01 00:00:00'",
	  "time = l-'2024-jan-01 00:00:00'" },
	{ "time = '2024-jan-01 00:00:00'-u",
	  "time = '2024-jan-01 00:00:00'-u" },
	{ "time = u", "time = '2554-jul-21 23:34:33'" },
	{ "time < u", "time < '2554-jul-21 23:34:33'" },
	{ "time = '2554-jul-21 23:34:33'", "time = '2554-jul-21 23:34:33'" },
	{ "time = '2554-jul-21 23:34:32'-u", "time = '2554-jul-21 23:34:32'-u" },
	{ "time = l", "time = '1970-jan-01 00:00:00'" },
	{ "time = '2024-feb-29 23:59:59'", "time = '2024-feb-29 23:59:59'" },
	{ "time < 1704067200", "time < '2024-jan-01 00:00:00'" },
	{ "time = '2024-01-15T10:03:00Z'", "time = '2024-jan-15 10:03:00'" },
	{ "time = '2024-01-15T10:03:00.25Z'",
	  "time = '2024-jan-15 10:03:00.25'" },
	{ "time = '2024-01-15t10:03:00.120z'",
	  "time = '2024-jan-15 10:03:00.120'" },
	{ "time = '2024-01-15T10:03:00.000001Z'",
	  "time = '2024-jan-15 10:03:00.000001'" },
	{ "time = '2024-01-15T10:03:00.123456789Z'",
	  "time = '2024-jan-15 10:03:00.123456789'" },
	{ "time = '2024-01-15T10:03:00.5Z' - '2024-01-15T10:03:01.000Z'",
	  "time = '2024-jan-15 10:03:00.5'-'2024-jan-15 10:03:01.000'" },
	{ "time = '2024-01-15T10:03:00Z' - '2024-01-15T10:04:00Z'",
	  "time = '2024-jan-15 10:03:00'-'2024-jan-15 10:04:00'" },
	{ "alias.host EXISTS", "alias.host exists" },
	{ "alias.host !EXISTS", "alias.host !exists" },
	{ "alias.host !exists&&ip.src exists",
	  "(alias.host !exists && ip.src exists)" },
	{ "alias.host Contains 'x'", "alias.host contains 'x'" },
	{ "alias.host BEGINS 'x','y'", "alias.host begins 'x', 'y'" },
	{ "alias.host ends 'x'", "alias.host ends 'x'" },
	{ "alias.host length 0-10", "alias.host length l-10" },
	{ "alias.host length 3, 5-7", "alias.host length 3, 5-7" },
	{ "alias.host UCOUNT 2-u", "alias.host ucount 2-u" },
	{ "ip.src ucount 2", "ip.src ucount 2" },
	{ "payload.req > 5", "requestpayload > 5" },
	{ "PAYLOAD.RES = 1", "responsepayload = 1" },
	{ "tcp.flags.desc = 'syn'", "tcpflags = 'syn'" },
	{ "!(ip.proto = 1)", "!(ip.proto = 1)" },
	{ "! (ip.proto = 1)", "!(ip.proto = 1)" },
	{ "not(ip.proto = 1)", "!(ip.proto = 1)" },
	{ "NOT ( ip.proto=1 )", "!(ip.proto = 1)" },
	{ "!(!(ip.proto = 1))", "!(!(ip.proto = 1))" },
	{ "!(ip.proto = 1 || ip.proto = 2)",
	  "!(ip.proto = 1 || ip.proto = 2)" },
	{ "ip.proto=1&&tcp.dstport=2", "(ip.proto = 1 && tcp.dstport = 2)" },
	{ "ip.proto=1||tcp.dstport=2", "(ip.proto = 1 || tcp.dstport = 2)" },
	{ "ip.proto=1||ip.proto=17&&size<100",
	  "(ip.proto = 1 || (ip.proto = 17 && size < 100))" },
	{ "ip.proto=1&&ip.proto=17||size<100",
	  "((ip.proto = 1 && ip.proto = 17) || size < 100)" },
	{ "(ip.proto=1||ip.proto=17)&&size<400",
	  "((ip.proto = 1 || ip.proto = 17) && size < 400)" },
	{ "ip.proto = 1 && (size = 1 && size = 2)",
	  "(ip.proto = 1 && size = 1 && size = 2)" },
	{ "!(ip.proto = 1) && !(ip.proto = 2)",
	  "(!(ip.proto = 1) && !(ip.proto = 2))" },
	{ "((ip.proto = 1))", "ip.proto = 1" },
	{ "filetype != 'png','jpg'", "filetype != 'png', 'jpg'" },
	{ "FileType = 'png'", "filetype = 'png'" },
	{ "foo = 10.0.0.0/8", "foo = 10.0.0.0/8" },
	{ "foo = 5", "foo = 5" },
	{ "foo = l-5", "foo = l-5" },
	{ "foo = 00:11:22:33:44:55", "foo = 00:11:22:33:44:55" },
	{ "foo = ::1", "foo = ::1" },
	{ "password exists && username begins 'admin','root'",
	  "(password exists && username begins 'admin', 'root')" },
	{ "direction='outbound'", "direction = 'outbound'" },
	{ "user.agent contains 'linux' && "
	  "not(user.agent contains 'android','cros')",
	  "(user.agent contains 'linux' && "
	  "!(user.agent contains 'android', 'cros'))" },
	{ "service = 3389 && (username begins 'admin','svc' || "
	  "username contains 'adm' || username ends '$')",
	  "(service = 3389 && (username begins 'admin', 'svc' || "
	  "username contains 'adm' || username ends '$'))" },
	{ "custom.alert = 'hit'", "custom.alert = 'hit'" },
	{ "\tip.proto\n=\r1 ", "ip.proto = 1" },
};

/* Every good expression compiles, prints its plan, and the plan is fixed. */
static void
test_compile(void **state)
{
	struct query	*q, *q2;
	char		*p, *p2;
	size_t		 i;

	(void)state;
	for (i = 0; i < nitems(good); i++) {
		q = compile(good[i].text, 0);
		p = plan(q);
		if (strcmp(p, good[i].plan) != 0)
			fail_msg("%s: plan %s, expected %s", good[i].text, p,
			    good[i].plan);
		q2 = compile(p, 0);
		p2 = plan(q2);
		if (strcmp(p, p2) != 0)
			fail_msg("%s: plan %s reads back as %s", good[i].text,
			    p, p2);
		free(p2);
		free(p);
		query_free(q2);
		query_free(q);
	}
}

/* (b) Expressions that fail: column and message substring. */
static const struct {
	const char	*text;
	size_t		 col;
	const char	*msg;
} bad[] = {
	{ "ip.src exsts", 8,
	  "'exsts' is not an operator (did you mean 'exists'?)" },
	{ "alias.host contain 'x'", 12, "(did you mean 'contains'?)" },
	{ "alias.host regx 'x'", 12, "(did you mean 'regex'?)" },
	{ "ip.proto equals 1", 10, "'equals' is not an operator" },
	{ "alias.host = 'abc", 14, "unterminated quote" },
	{ "alias.host = \"abc'", 14, "unterminated quote" },
	{ "alias.host = 'abc\\'", 14, "unterminated quote" },
	{ "ip.src = abc", 10, "'abc' is not a valid value for ip.src (ipv4)" },
	{ "alias.host = google.com", 14,
	  "'google.com' is not a valid value for alias.host "
	  "(quote text values)" },
	{ "alias.host = my-host.com", 14,
	  "'my-host.com' is not a valid value for alias.host "
	  "(quote text values)" },
	{ "filetype = png", 12,
	  "'png' is not a valid value for filetype (quote text values)" },
	{ "alias.host = l", 14, "(quote text values)" },
	{ "size = ", 8, "expected a value after '=', found the end of the "
	  "query" },
	{ "size = 1,", 10, "expected a value after ','" },
	{ "size = 1, && ip.proto = 1", 11, "expected a value after ','" },
	{ "size = 1 -", 11, "expected a value after '-'" },
	{ "size != )", 9, "expected a value after '!='" },
	{ "(ip.proto = 1", 1, "unbalanced parenthesis" },
	{ "((ip.proto = 1)", 1, "unbalanced parenthesis" },
	{ "ip.proto = 1)", 13, "unbalanced parenthesis" },
	{ "!ip.proto = 1", 1, "'!' must be followed by '(' (or use !exists)" },
	{ "ip.src ! exists", 8, "'!' must be followed by '('" },
	{ "ip.src !contains 'x'", 8, "'!' must be followed by '('" },
	{ "ip.src !", 8, "'!' must be followed by '('" },
	{ "size = 10-5", 8, "range low '10' is above high '5'" },
	{ "size = u-l", 8, "range low 'u' is above high 'l'" },
	{ "ip.src = 10.0.0.5 - 10.0.0.1", 10, "range low '10.0.0.5'" },
	{ "time = '2024-jan-02 00:00:00' - '2024-jan-01 00:00:00'", 8,
	  "range low '2024-jan-02 00:00:00' is above high" },
	{ "", 1, "empty query" },
	{ "   ", 1, "empty query" },
	{ "ip.proto = 1 and size = 2", 14, "'and' is not an operator "
	  "(use '&&')" },
	{ "ip.proto = 1 OR size = 2", 14, "'OR' is not an operator "
	  "(use '||')" },
	{ "ip.proto = 1 & size = 2", 14, "'&' is not an operator (use '&&')" },
	{ "ip.proto = 1 | size = 2", 14, "'|' is not an operator (use '||')" },
	{ "ip.proto == 1", 10, "'==' is not an operator (use '=')" },
	{ "ip.proto = 1 size = 2", 14, "unexpected 'size'" },
	{ "tcp.dstport = 80 443", 18, "unexpected '443'" },
	{ "alias.host = 'a' 'b'", 18, "unexpected 'b'" },
	{ "ip.proto = 1 @", 14, "unexpected '@'" },
	{ "alias.host regex '('", 18, "bad regex: missing closing "
	  "parenthesis" },
	{ "alias.host regex 'ok', 'a[b'", 24, "bad regex: missing "
	  "terminating ] for character class" },
	{ "size < 1, 2", 9, "'<' takes one value" },
	{ "size >= 1-2", 10, "'>=' takes one value, not a range" },
	{ "alias.host = 'a'-'b'", 17, "ranges apply to uint, IP and time "
	  "values, not text" },
	{ "eth.src = 00:11:22:33:44:55 - 00:11:22:33:44:66", 29,
	  "ranges apply to uint, IP and time values, not mac" },
	{ "ip.src contains '10'", 8, "'contains' applies to text keys, and "
	  "ip.src is ipv4" },
	{ "size length 5", 6, "'length' applies to text keys" },
	{ "size = '5'", 8, "'5' is not a valid value for size "
	  "(uint, not quoted)" },
	{ "size = -5", 8, "expected a value after '=', found '-'" },
	{ "size = 18446744073709551616", 8, "is not a valid value for size "
	  "(uint)" },
	{ "size = 1.5", 8, "'1.5' is not a valid value for size (uint)" },
	{ "ip.src = 10.0.0.0/33", 10, "(ipv4)" },
	{ "ip.src = 10.0.0.256", 10, "(ipv4)" },
	{ "ip.src = 10.0.0", 10, "(ipv4)" },
	{ "ip.src = ::1", 10, "(ipv4)" },
	{ "ipv6.src = 10.0.0.1", 12, "(ipv6)" },
	{ "ipv6.src = 2001:db8::1/129", 12, "(ipv6)" },
	{ "eth.src = 00:11:22:33:44", 11, "(mac)" },
	{ "eth.src = 00:11:22:33:44:5g", 11, "(mac)" },
	{ "time = '2024-foo-01 00:00:00'", 8, "(time: 'YYYY-mon-DD HH:MM:SS'" },
	{ "time = '2023-feb-29 00:00:00'", 8, "not a valid value for time" },
	{ "time = '2024-jan-01 24:00:00'", 8, "not a valid value for time" },
	{ "time = '2024-jan-01'", 8, "not a valid value for time" },
	{ "time = 18446744074", 8, "not a valid value for time" },
	{ "time = 2024-jan-01", 13, "'jan' is not a valid value for time" },
	{ "time = '2024-01-15T10:03:00.Z'", 8, "not a valid value for time" },
	{ "time = '2024-01-15T10:03:00.1234567890Z'", 8,
	  "not a valid value for time" },
	{ "time = '2024-01-15T10:03:00ZZ'", 8, "not a valid value for time" },
	{ "time = '2024-01-15T10:03:60Z'", 8, "not a valid value for time" },
	{ "time = '2024-01-15T10:03:00+01:00'", 8,
	  "'YYYY-MM-DDTHH:MM:SS.fffZ'" },
	{ "ip.src", 7, "expected an operator after 'ip.src', found the end "
	  "of the query" },
	{ "ip.src && size = 1", 8, "expected an operator after 'ip.src'" },
	{ "= 5", 1, "expected a condition, found '='" },
	{ "ip.proto = 1 &&", 16, "expected a condition, found the end of "
	  "the query" },
	{ "ip.proto = 1 && (size = 2 || )", 30, "expected a condition, "
	  "found ')'" },
	{ "()", 2, "expected a condition, found ')'" },
	{ "'abc' = 1", 1, "expected a condition, found 'abc'" },
	{ "10.0.0.1 = 5", 1, "'10.0.0.1' is not a key name" },
	{ "alias.host length 'x'", 19, "'x' is not a valid length "
	  "(uint, not quoted)" },
	{ "alias.host ucount x", 19, "'x' is not a valid count (uint)" },
	{ "foo = 5, 'x'", 10, "is not a valid value for foo (uint, not "
	  "quoted)" },
	{ "foo = 5, 10.0.0.1", 10, "is not a valid value for foo (uint)" },
	{ "not ip.proto = 1", 5, "'ip.proto' is not an operator" },
	{ "ip.proto = 1 && !exists", 17, "expected a condition, found "
	  "'!exists'" },
};

/* Every bad expression fails at its column with its message. */
static void
test_errors(void **state)
{
	struct query_error	 err;
	struct query		*q;
	size_t			 i;

	(void)state;
	for (i = 0; i < nitems(bad); i++) {
		q = query_compile(bad[i].text, strlen(bad[i].text), 0, &err);
		if (q != NULL)
			fail_msg("%s: compiled", bad[i].text);
		if (err.col != bad[i].col ||
		    strstr(err.msg, bad[i].msg) == NULL)
			fail_msg("%s: column %zu: %s; expected column %zu: %s",
			    bad[i].text, err.col, err.msg, bad[i].col,
			    bad[i].msg);
		query_error_clear(&err);
	}
}

/* Deep nesting fails cleanly; QUERY_MAX_DEPTH levels still compile. */
static void
test_depth(void **state)
{
	struct query_error	 err;
	struct query		*q;
	struct buf		 b;
	int			 i;

	(void)state;
	buf_init(&b);
	for (i = 0; i < QUERY_MAX_DEPTH; i++)
		buf_adds(&b, i % 2 ? "(" : "!(");
	buf_adds(&b, "size = 1");
	for (i = 0; i < QUERY_MAX_DEPTH; i++)
		buf_addc(&b, ')');
	q = query_compile(b.s, b.len, 0, &err);
	assert_non_null(q);
	assert_true(query_match(q, &fake_reader, 1) ||
	    !query_match(q, &fake_reader, 1));
	query_free(q);
	query_error_clear(&err);
	buf_reset(&b);
	for (i = 0; i < 100000; i++)
		buf_addc(&b, '(');
	q = query_compile(b.s, b.len, 0, &err);
	assert_null(q);
	assert_int_equal(err.col, QUERY_MAX_DEPTH + 1);
	assert_non_null(strstr(err.msg, "nesting deeper"));
	query_error_clear(&err);
	buf_free(&b);
}

/* The empty query: an error by default, everything with QUERY_EMPTY_OK. */
static void
test_empty(void **state)
{
	struct query	*q;
	char		*p;
	int		 i;

	(void)state;
	q = compile(" \t", QUERY_EMPTY_OK);
	assert_null(query_root(q));
	p = plan(q);
	assert_string_equal(p, "");
	free(p);
	for (i = 1; i <= NFAKES; i++)
		assert_true(query_match(q, &fake_reader, (uint64_t)i));
	query_free(q);
	q = query_compile(NULL, 0, QUERY_EMPTY_OK, NULL);
	assert_non_null(q);
	query_free(q);
	assert_null(query_compile(NULL, 0, 0, NULL));
	/* Flags change nothing for a non-empty query. */
	assert_null(query_compile("size =", 6, QUERY_EMPTY_OK, NULL));
}

/* Unknown keys and host bits are warnings with columns. */
static void
test_warnings(void **state)
{
	struct query_error	 err;
	struct query		*q;
	const char		*t;

	(void)state;
	t = "ip.proto = 1 && ip.scr = 10.0.0.1";
	q = query_compile(t, strlen(t), 0, &err);
	assert_non_null(q);
	assert_null(err.msg);
	assert_int_equal(err.nwarnings, 1);
	assert_int_equal(err.warnings[0].col, 17);
	assert_string_equal(err.warnings[0].msg,
	    "unknown key 'ip.scr' (did you mean 'ip.src'?)");
	query_free(q);
	query_error_clear(&err);

	t = "FileType != 'png' || ip.src = 10.1.2.3/8";
	q = query_compile(t, strlen(t), 0, &err);
	assert_non_null(q);
	assert_int_equal(err.nwarnings, 2);
	assert_int_equal(err.warnings[0].col, 1);
	assert_string_equal(err.warnings[0].msg, "unknown key 'filetype'");
	assert_int_equal(err.warnings[1].col, 31);
	assert_string_equal(err.warnings[1].msg,
	    "host bits set in '10.1.2.3/8'; it means 10.0.0.0/8");
	query_free(q);
	query_error_clear(&err);

	/* One warning per unknown key, at its first use. */
	t = "nokey = 1 || NoKey = 2 || nokey2 = 3";
	q = query_compile(t, strlen(t), 0, &err);
	assert_non_null(q);
	assert_int_equal(err.nwarnings, 2);
	assert_int_equal(err.warnings[0].col, 1);
	assert_int_equal(err.warnings[1].col, 27);
	query_free(q);
	query_error_clear(&err);

	/* Warnings are kept when the query fails later. */
	t = "nokey = 1 && size = x";
	assert_null(query_compile(t, strlen(t), 0, &err));
	assert_int_equal(err.nwarnings, 1);
	assert_int_equal(err.col, 21);
	query_error_clear(&err);
}

/* (c) Expressions over the fake sessions and the ids they match. */
static const struct {
	const char	*text;
	const char	*ids;
} evals[] = {
	{ "ip.proto = 1", "1,2" },
	{ "ip.proto = 1 && size >= 1048576", "1" },
	{ "ip.proto = 1 && analysis.session = 'icmp large session'", "1" },
	{ "analysis.session = 'ICMP Large Session'", "1" },
	{ "analysis.session = 'icmp large'", "" },
	{ "size = 1024000-u", "1,4,5,8,10" },
	{ "size=1024000 -u", "1,4,5,8,10" },
	{ "size = l-64", "6,7,9" },
	{ "size = u", "10" },
	{ "size = l", "7" },
	{ "size > u", "" },
	{ "size < 64", "6,7" },
	{ "size <= 64", "6,7,9" },
	{ "size < l", "" },
	{ "size <= l", "7" },
	{ "size > l", "1,2,3,4,5,6,8,9,10" },
	{ "size >= u", "10" },
	{ "size < u", "1,2,3,4,5,6,7,8,9" },
	{ "size > 1024000", "1,5,10" },
	{ "tcp.dstport = 1-3388, 3390-u", "4,5,8,10" },
	{ "tcp.dstport = 1,2,3,4,5,6,7,8,9,80,443,3390", "4,5,8" },
	{ "tcp.dstport != 80", "1,2,3,5,6,7,8,9,10" },
	{ "tcp.dstport != 1,2,3,4,5,6,7,8,9,80,443,3390", "1,2,3,6,7,9,10" },
	{ "ip.dst = 224.0.0.0 - 239.255.255.255", "5,6" },
	{ "ip.src = 10.0.0.0/8", "1,2,5,9,10" },
	{ "ip.src = 10.0.0.0/24", "1,2,9,10" },
	{ "ip.src = 10.0.0.1 - 10.0.0.9", "1,2,9" },
	{ "ip.src != 10.0.0.0/8", "3,4,6,7,8" },
	{ "ip.src = 1.1.1.1, 2.2.2.2, 3.3.3.3, 4.4.4.4, 5.5.5.5, 6.6.6.6, "
	  "7.7.7.7, 8.8.8.8, 10.0.0.0/24, 10.0.0.0/30, 11.0.0.1",
	  "1,2,8,9,10" },
	{ "ip.dst < 10.0.0.0/8", "1,2,10" },
	{ "ip.dst > 10.0.0.0/8", "4,5,6" },
	{ "ip.dst <= 10.0.0.0/8", "1,2,3,8,9,10" },
	{ "ip.dst >= 10.0.0.0/8", "3,4,5,6,8,9" },
	{ "ipv6.src = 2001:db8::/32", "7" },
	{ "ipv6.dst = fe80::/10", "7" },
	{ "ipv6.src exists", "7" },
	{ "eth.src = 00:11:22:33:44:55", "1" },
	{ "eth.src = 00:11:22:33:44:55, 00:11:22:33:44:66", "1,2" },
	{ "eth.src = 00:11:22:33:44:AA", "" },
	{ "filetype != 'png','jpg'", "1,2,3,4,5,6,7,8,9,10" },
	{ "filetype = 'png'", "" },
	{ "filetype exists", "" },
	{ "filetype !exists", "1,2,3,4,5,6,7,8,9,10" },
	{ "alias.host exists", "3,4,5,6,8,9,10" },
	{ "alias.host EXISTS", "3,4,5,6,8,9,10" },
	{ "alias.host !exists", "1,2,7" },
	{ "alias.host !EXISTS", "1,2,7" },
	{ "alias.host Contains 'example'", "3,4,6,8,9" },
	{ "alias.host contains 'EXAMPLE.COM'", "3,4,6,8" },
	{ "alias.host contains ''", "3,4,5,6,8,9,10" },
	{ "alias.host ends '.com'", "3,4,5,6,8" },
	{ "alias.host ends 'COM'", "3,4,5,6,8" },
	{ "alias.host ends ''", "3,4,5,6,8,9,10" },
	{ "alias.host begins ''", "3,4,5,6,8,9,10" },
	{ "alias.host begins 'EXAMPLE.COM'", "4" },
	{ "alias.host begins 'example.comx'", "" },
	{ "alias.host length 0", "" },
	{ "alias.host begins 'www.','evil'", "3,5" },
	{ "alias.host regex '^evil\\.'", "5" },
	{ "alias.host regex 'zzz', '^evil\\.'", "5" },
	{ "alias.host contains 'zzz', 'EXAMPLE'", "3,4,6,8,9" },
	{ "!(alias.host contains 'example')", "1,2,5,7,10" },
	{ "alias.host contains '.COM'", "3,4,5,6,8" },
	{ "alias.host contains 'L.c'", "5" },
	{ "alias.host contains 'R.DE'", "10" },
	{ "alias.host contains '@', 'b.example.comx'", "" },
	{ "alias.host regex '(?-i)^evil'", "" },
	{ "alias.host regex '(?-i)^Evil'", "5" },
	{ "alias.host regex 'h99\\.'", "9" },
	{ "alias.host regex '([\\\\\\\\.].*){6,}'", "6" },
	{ "alias.host regex '\\x{fc}'", "" },
	{ "alias.host regex '\\xc3\\xbc'", "10" },
	{ "alias.host length 15", "3,8" },
	{ "alias.host length 10", "9,10" },
	{ "alias.host length 20-u", "6" },
	{ "alias.host ucount 1", "4,5,6,8,10" },
	{ "alias.host ucount 2", "3" },
	{ "alias.host ucount 2-u", "3,9" },
	{ "alias.host ucount 100", "9" },
	{ "alias.host ucount 0", "1,2,7" },
	{ "tcpflags ucount 3", "5" },
	{ "alias.host = 'h99.example'", "9" },
	{ "alias.host = 'H0.EXAMPLE'", "9" },
	{ "alias.host = 'h0.exampla'", "" },
	{ "alias.host = ''", "" },
	{ "alias.host = 'H0.EXAMPLE', 'example.com'", "4,9" },
	{ "alias.host = 'a','b','c','d','e','f','g','h','EVIL.com',"
	  "'example.com'", "4,5" },
	{ "alias.host != 'example.com'", "1,2,3,5,6,7,8,9,10" },
	{ "alias.host = 'b\xc3\xbc" "cher.DE'", "10" },
	{ "alias.host = 'B\xc3\x9c" "CHER.de'", "" },
	{ "time = '2024-jan-01 00:00:00'", "1,2" },
	{ "time = 1704067200", "1,2" },
	{ "time = '2024-JAN-01 00:00:00' - '2024-Jan-01 00:00:01'", "1,2,3" },
	{ "time < '2024-jan-01 00:00:00'", "7,10" },
	{ "time <= '2024-jan-01 00:00:00'", "1,2,7,10" },
	{ "time > '2024-jan-01 00:00:00'", "3,4,5,6,8,9" },
	{ "time >= '2024-jan-01 00:00:00'", "1,2,3,4,5,6,8,9" },
	{ "time = l-'2023-dec-31 23:59:59'", "7,10" },
	{ "time = '2024-jan-02 12:00:00'-u", "4,5,6,8,9" },
	{ "time = 0", "10" },
	{ "time = '2024-01-01T00:00:00Z'", "1,2" },
	{ "time = '2024-01-01T00:00:00.000000Z'", "1" },
	{ "time = '2024-01-01T00:00:00.5Z'", "2" },
	{ "time = '2024-01-01T00:00:00.500000000Z'", "2" },
	{ "time = '2024-01-01T00:00:00.000001Z'", "" },
	{ "time < '2024-01-01T00:00:00.5Z'", "1,7,10" },
	{ "time <= '2024-01-01T00:00:00.5Z'", "1,2,7,10" },
	{ "time > '2024-01-01T00:00:00.4Z'", "2,3,4,5,6,8,9" },
	{ "time = '2024-01-01T00:00:00.1Z' - '2024-01-01T00:00:01Z'", "2,3" },
	{ "time = '2024-01-01T00:00:00.000Z' - '2024-01-01T00:00:00.499Z'",
	  "1" },
	{ "directory = '\\\\c$\\\\'", "4" },
	{ "directory = 'c:\\\\dir'", "5" },
	{ "directory = 'c:\\dir'", "5" },
	{ "directory = '\\x41'", "10" },
	{ "directory = 'a'", "10" },
	{ "directory begins '\\\\'", "4" },
	{ "client = 'Mozilla/5.0 (O\\'Brien)'", "4" },
	{ "client contains \"O'Brien\"", "4" },
	{ "client = \"A\\\"B\"", "5" },
	{ "client = 'A\"B'", "5" },
	{ "client regex 'o\\'b'", "4" },
	{ "tcp.flags.desc = 'fin'", "5" },
	{ "tcpflags = 'SYN'", "4,5" },
	{ "payload.req = 0", "4" },
	{ "payload.req exists", "1,4" },
	{ "!(ip.proto = 1)", "3,4,5,6,7,8,9,10" },
	{ "not(ip.proto = 1)", "3,4,5,6,7,8,9,10" },
	{ "NOT (ip.proto=1)", "3,4,5,6,7,8,9,10" },
	{ "!(!(ip.proto = 1))", "1,2" },
	{ "ip.proto=6&&tcp.dstport=80", "4" },
	{ "ip.proto=1||ip.proto=17&&size<100", "1,2,9" },
	{ "(ip.proto=1||ip.proto=17)&&size<400", "3,9" },
	{ "ip.src exists && !(ip.src = 10.0.0.0/8)", "3,4,6,8" },
	{ "custom.alert = 'HIT'", "5" },
	{ "custom.alert !exists", "1,2,3,4,6,7,8,9,10" },
	{ "sessionid = 3-5, 9", "3,4,5,9" },
};

/* Every expression matches exactly its fake sessions. */
static void
test_eval(void **state)
{
	char	*got;
	size_t	 i;

	(void)state;
	for (i = 0; i < nitems(evals); i++) {
		got = matches(evals[i].text);
		if (strcmp(got, evals[i].ids) != 0)
			fail_msg("%s: matched {%s}, expected {%s}",
			    evals[i].text, got, evals[i].ids);
		free(got);
	}
}

/* A || B counts A + B - (A && B), and !(A) counts total - A. */
static void
test_consistency(void **state)
{
	char	 buf[1024];
	size_t	 i, j;
	int	 a, b, both, either, not;

	(void)state;
	for (i = 0; i < nitems(evals); i++) {
		a = count(evals[i].text);
		snprintf(buf, sizeof buf, "!(%s)", evals[i].text);
		not = count(buf);
		if (not != NFAKES - a)
			fail_msg("%s: %d, negated %d", evals[i].text, a, not);
		for (j = i + 1; j < nitems(evals); j += 7) {
			b = count(evals[j].text);
			snprintf(buf, sizeof buf, "(%s) || (%s)",
			    evals[i].text, evals[j].text);
			either = count(buf);
			snprintf(buf, sizeof buf, "(%s)&&(%s)", evals[i].text,
			    evals[j].text);
			both = count(buf);
			if (either != a + b - both)
				fail_msg("%s | %s: %d != %d + %d - %d",
				    evals[i].text, evals[j].text, either, a, b,
				    both);
		}
	}
}

/* One term seen by the walker. */
struct walked {
	char	 s[256];
	size_t	 len;
};

/* Record a term as "key op n neg;". */
static void
walk_fn(const struct query_cond *c, bool neg, void *arg)
{
	struct walked	*w = arg;

	w->len += (size_t)snprintf(w->s + w->len, sizeof w->s - w->len,
	    "%s %s %zu %d;", c->name, query_op_name(c->op), c->nelems, neg);
}

/* The walker visits every term in order with its negation. */
static void
test_walk(void **state)
{
	struct query	*q;
	struct walked	 w;
	const char	*t = "ip.proto = 1 && !(analysis.session = 'a','b' || "
	    "ioc exists) && not(!(boc != 'x'))";

	(void)state;
	q = compile(t, 0);
	memset(&w, 0, sizeof w);
	query_walk(q, walk_fn, &w);
	assert_string_equal(w.s, "ip.proto = 1 0;analysis.session = 2 1;"
	    "ioc exists 0 1;boc != 1 0;");
	query_free(q);
}

/* query_cond_test answers for one value in the positive sense. */
static void
test_cond_test(void **state)
{
	static const struct {
		const char	*cond;
		const char	*value;
		bool		 ok;
	} t[] = {
		{ "analysis.session = 'Session Size Greater Than 1mb'",
		  "session size greater than 1mb", true },
		{ "analysis.session != 'a', 'b'", "B", true },
		{ "analysis.session != 'a', 'b'", "c", false },
		{ "analysis.session begins 'icmp'", "icmp large session", true },
		{ "analysis.session ends 'x'", "icmp large session", false },
		{ "analysis.session regex 'large\\s'", "ICMP LARGE SESSION",
		  true },
		{ "analysis.session regex '(?-i)large'", "ICMP LARGE", false },
		{ "analysis.session exists", "anything", true },
		{ "analysis.session !exists", "anything", true },
		{ "analysis.session length 1-3", "abc", true },
		{ "analysis.session length 1-3", "abcd", false },
	};
	struct query		*q;
	const struct query_node	*n;
	struct mval		 v;
	size_t			 i;

	(void)state;
	for (i = 0; i < nitems(t); i++) {
		q = compile(t[i].cond, 0);
		n = query_root(q);
		assert_int_equal(n->kind, QUERY_COND);
		memset(&v, 0, sizeof v);
		v.type = MT_TEXT;
		v.text.p = t[i].value;
		v.text.n = (uint32_t)strlen(t[i].value);
		if (query_cond_test(&n->cond, &v) != t[i].ok)
			fail_msg("%s with '%s'", t[i].cond, t[i].value);
		query_free(q);
	}
}

/* Reads made through the counting readers. */
static unsigned	 reads;

/* The fake reader, counting its reads. */
static size_t
counting_values(const struct meta_reader *r, uint64_t item, int key,
    struct mval *out, size_t max)
{
	reads++;
	return (fake_values(r, item, key, out, max));
}

/* A session with 300 vlan.id values (0 to 299), and nothing else. */
static size_t
many_values(const struct meta_reader *r, uint64_t item, int key,
    struct mval *out, size_t max)
{
	size_t	 i;

	(void)r;
	(void)item;
	reads++;
	if (key != K_VLAN_ID)
		return (0);
	for (i = 0; i < 300 && i < max; i++) {
		memset(&out[i], 0, sizeof out[i]);
		out[i].u = i;
	}
	return (300);
}

/*
 * query_match_cached answers as query_match does, for every expression on
 * every session, with the cache shared by all of them as rules share it,
 * and reads each key once until it is forgotten.
 */
static void
test_cached(void **state)
{
	static const struct meta_reader counting = { counting_values, NULL };
	static const struct meta_reader many = { many_values, NULL };
	struct query		*q[nitems(evals)], *one;
	struct query_cache	 qc;
	size_t			 j;
	int			 i, pass;
	bool			 want;

	(void)state;
	for (j = 0; j < nitems(evals); j++)
		q[j] = compile(evals[j].text, 0);
	for (i = 1; i <= NFAKES; i++) {
		query_cache_init(&qc, &fake_reader, (uint64_t)i);
		for (pass = 0; pass < 2; pass++) {
			for (j = 0; j < nitems(evals); j++) {
				want = query_match(q[j], &fake_reader,
				    (uint64_t)i);
				if (query_match_cached(q[j], &qc) != want)
					fail_msg("%s on %d, pass %d",
					    evals[j].text, i, pass);
			}
		}
	}
	for (j = 0; j < nitems(evals); j++)
		query_free(q[j]);

	one = compile("ip.proto = 6 || alias.host = 'x' || ip.proto = 17", 0);
	reads = 0;
	query_cache_init(&qc, &counting, 3);
	assert_true(query_match_cached(one, &qc));
	assert_true(query_match_cached(one, &qc));
	assert_int_equal(reads, 2);
	query_cache_forget(&qc, K_IP_PROTO);
	assert_true(query_match_cached(one, &qc));
	assert_int_equal(reads, 3);
	query_free(one);

	/* A key said to have no value is not read until forgotten. */
	one = compile("alias.host exists", 0);
	reads = 0;
	query_cache_init(&qc, &counting, 3);
	query_cache_none(&qc, meta_find("alias.host", 10));
	assert_false(query_match_cached(one, &qc));
	assert_int_equal(reads, 0);
	query_cache_forget(&qc, meta_find("alias.host", 10));
	assert_true(query_match_cached(one, &qc));
	assert_int_equal(reads, 1);
	query_free(one);

	/* The empty query matches without a read. */
	one = compile("", QUERY_EMPTY_OK);
	assert_true(query_match_cached(one, &qc));
	assert_int_equal(query_match_first((const struct query *const *)&one,
	    1, &qc), 0);
	assert_int_equal(reads, 1);
	query_free(one);

	/* More values than the cache holds: read each time, still right. */
	one = compile("vlan.id = 299 && vlan.id ucount 300 && vlan.id != 300",
	    0);
	reads = 0;
	query_cache_init(&qc, &many, 1);
	assert_true(query_match_cached(one, &qc));
	assert_true(query_match_cached(one, &qc));
	assert_true(reads >= 6);
	assert_true(query_match(one, &many, 1));
	query_free(one);
}

/* The tree holds resolved keys and element intervals for the store. */
static void
test_tree(void **state)
{
	struct query		*q;
	const struct query_node	*n;
	const struct query_cond	*c;

	(void)state;
	q = compile("payload.req = 5-u, 3 || time = '2024-jan-01 00:00:00' "
	    "|| ip.src = 10.0.0.0/8", 0);
	n = query_root(q);
	assert_int_equal(n->kind, QUERY_OR);
	assert_int_equal(n->nkids, 3);
	c = &n->kids[0]->cond;
	assert_int_equal(c->key, K_REQPAYLOAD);
	assert_int_equal(c->op, QOP_EQ);
	assert_int_equal(c->nelems, 2);
	assert_true(c->elems[0].lo.u == 5 && c->elems[0].hi.u == UINT64_MAX);
	assert_true(c->elems[1].lo.u == 3 && c->elems[1].hi.u == 3);
	assert_int_equal(c->elems[1].col, 20);
	c = &n->kids[1]->cond;
	assert_int_equal(c->key, K_TIME);
	assert_true(c->elems[0].lo.u == T0 * NS);
	assert_true(c->elems[0].hi.u == T0 * NS + NS - 1);
	c = &n->kids[2]->cond;
	assert_int_equal(c->col, 58);
	assert_int_equal(c->elems[0].lo.ip[0], 10);
	assert_int_equal(c->elems[0].lo.ip[3], 0);
	assert_int_equal(c->elems[0].hi.ip[1], 255);
	assert_int_equal(c->elems[0].hi.ip[3], 255);
	query_free(q);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_compile),
		cmocka_unit_test(test_errors),
		cmocka_unit_test(test_depth),
		cmocka_unit_test(test_empty),
		cmocka_unit_test(test_warnings),
		cmocka_unit_test(test_eval),
		cmocka_unit_test(test_consistency),
		cmocka_unit_test(test_walk),
		cmocka_unit_test(test_cond_test),
		cmocka_unit_test(test_tree),
		cmocka_unit_test(test_cached),
	};

	return (cmocka_run_group_tests(tests, setup, NULL));
}
