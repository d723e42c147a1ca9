/*
 * show.c - what one packet's payload says, as lines for people: a DNS
 * message's questions and records, an HTTP request's or response's head,
 * (showtls.c) a TLS hello's fields.  The Session view's decoded view and
 * --packets --decoded print these lines; each is escaped here.
 */
/* SPDX-License-Identifier: GPL-3.0-or-later */

#include <arpa/inet.h>
#include <stdio.h>
#include <string.h>

#include "parse/parse-int.h"
#include "parse/show.h"

#define SHOW_MAXRR	64	/* records shown of a section */
#define SHOW_MAXHDR	100	/* header lines shown of a head */
#define SHOW_JUMPS	32	/* compression pointers followed in a name */

/* Record types by their usual names. */
static const struct {
	uint16_t	 type;
	const char	*name;
} show_types[] = {
	{ 1, "A" }, { 2, "NS" }, { 5, "CNAME" }, { 6, "SOA" },
	{ 10, "NULL" }, { 12, "PTR" }, { 13, "HINFO" }, { 15, "MX" },
	{ 16, "TXT" }, { 28, "AAAA" }, { 33, "SRV" }, { 35, "NAPTR" },
	{ 39, "DNAME" }, { 41, "OPT" }, { 43, "DS" }, { 46, "RRSIG" },
	{ 47, "NSEC" }, { 48, "DNSKEY" }, { 64, "SVCB" }, { 65, "HTTPS" },
	{ 99, "SPF" }, { 252, "AXFR" }, { 255, "ANY" }, { 257, "CAA" },
};

static const char *const show_rcodes[] = {
	"NOERROR", "FORMERR", "SERVFAIL", "NXDOMAIN", "NOTIMP", "REFUSED",
	"YXDOMAIN", "YXRRSET", "NXRRSET", "NOTAUTH", "NOTZONE"
};

static const char *const show_methods[] = {
	"GET ", "POST ", "HEAD ", "PUT ", "DELETE ", "OPTIONS ", "CONNECT ",
	"PATCH ", "TRACE ", "PROPFIND ", "M-SEARCH ", "NOTIFY "
};

/* End a line: LF, and one more counted. */
void
show_end(struct show *sh)
{
	buf_addc(sh->out, '\n');
	sh->lines++;
}

/* A whole line of fixed text (no input in it). */
void
show_line(struct show *sh, const char *s)
{
	buf_adds(sh->out, s);
	show_end(sh);
}

/* A big-endian number of n bytes at p. */
uint32_t
show_num(const uint8_t *p, size_t n)
{
	uint32_t	 v = 0;

	while (n-- > 0)
		v = v << 8 | *p++;
	return (v);
}

/* A record type's name, or TYPEn. */
static void
show_type(struct buf *b, uint16_t t)
{
	size_t	 i;

	for (i = 0; i < nitems(show_types); i++) {
		if (show_types[i].type == t) {
			buf_adds(b, show_types[i].name);
			return;
		}
	}
	buf_printf(b, "TYPE%u", t);
}

/* A class's name (mDNS's top bit masked), or CLASSn. */
static void
show_class(struct buf *b, uint16_t c)
{
	c &= 0x7fff;
	if (c == 1)
		buf_adds(b, "IN");
	else if (c == 3)
		buf_adds(b, "CH");
	else if (c == 255)
		buf_adds(b, "ANY");
	else
		buf_printf(b, "CLASS%u", c);
}

/*
 * The name at *off of message m (n bytes), escaped, labels joined by dots
 * ("<Root>" for the root); *off moves past it.  False when malformed.
 */
static bool
show_name(struct buf *b, const uint8_t *m, size_t n, size_t *off)
{
	size_t	 o = *off, end = 0, labels = 0;
	int	 jumps = 0;

	for (;;) {
		if (o >= n)
			return (false);
		if ((m[o] & 0xc0) == 0xc0) {
			if (o + 1 >= n || ++jumps > SHOW_JUMPS)
				return (false);
			if (end == 0)
				end = o + 2;
			o = (size_t)(m[o] & 0x3f) << 8 | m[o + 1];
			continue;
		}
		if ((m[o] & 0xc0) != 0 || o + 1 + m[o] > n)
			return (false);
		if (m[o] == 0)
			break;
		if (labels++ > 0)
			buf_addc(b, '.');
		esc_text(b, m + o + 1, m[o]);
		o += 1 + (size_t)m[o];
	}
	if (labels == 0)
		buf_adds(b, "<Root>");
	*off = end != 0 ? end : o + 1;
	return (true);
}

/* The character strings of a TXT record, each quoted and escaped. */
static void
show_txt(struct buf *b, const uint8_t *p, size_t n)
{
	size_t	 i = 0, l;

	while (i < n) {
		l = p[i++];
		if (l > n - i)
			l = n - i;
		buf_adds(b, i > 1 ? " \"" : "\"");
		esc_text(b, p + i, l);
		buf_addc(b, '"');
		i += l;
	}
}

/* A record's data as its type says, else its length. */
static void
show_rdata(struct buf *b, const uint8_t *m, size_t off, uint16_t type,
    uint16_t len)
{
	char	 ip[INET6_ADDRSTRLEN];
	size_t	 o = off;

	if ((type == 1 && len == 4) || (type == 28 && len == 16)) {
		inet_ntop(len == 4 ? AF_INET : AF_INET6, m + off, ip,
		    sizeof ip);
		buf_adds(b, ip);
	} else if (type == 2 || type == 5 || type == 12 || type == 39) {
		if (!show_name(b, m, off + len, &o))
			buf_adds(b, "(bad name)");
	} else if (type == 15 && len > 2) {
		buf_printf(b, "%u ", show_num(m + off, 2));
		o += 2;
		if (!show_name(b, m, off + len, &o))
			buf_adds(b, "(bad name)");
	} else if (type == 16)
		show_txt(b, m + off, len);
	else if (type == 33 && len > 6) {
		buf_printf(b, "%u %u %u ", show_num(m + off, 2),
		    show_num(m + off + 2, 2), show_num(m + off + 4, 2));
		o += 6;
		if (!show_name(b, m, off + len, &o))
			buf_adds(b, "(bad name)");
	} else
		buf_printf(b, "(%u bytes)", len);
}

/* One resource record at *off; false when malformed or cut. */
static bool
show_rr(struct show *sh, const char *what, const uint8_t *m, size_t n,
    size_t *off)
{
	struct buf	*b = sh->out;
	uint16_t	 type, len;

	buf_printf(b, "  %s: ", what);
	if (!show_name(b, m, n, off) || *off + 10 > n) {
		buf_adds(b, "(cut or malformed)");
		show_end(sh);
		return (false);
	}
	type = (uint16_t)show_num(m + *off, 2);
	len = (uint16_t)show_num(m + *off + 8, 2);
	if (type == 41) {
		buf_printf(b, " OPT (EDNS) udp payload %u",
		    show_num(m + *off + 2, 2));
	} else {
		buf_addc(b, ' ');
		show_type(b, type);
		buf_addc(b, ' ');
		if (len <= n - *off - 10)
			show_rdata(b, m, *off + 10, type, len);
		buf_printf(b, " ttl %u", show_num(m + *off + 4, 4));
	}
	*off += 10;
	if (len > n - *off) {
		buf_adds(b, " (cut)");
		show_end(sh);
		return (false);
	}
	*off += len;
	show_end(sh);
	return (true);
}

/* The questions at *off; false when malformed or cut. */
static bool
show_questions(struct show *sh, const uint8_t *m, size_t n, size_t *off,
    unsigned qd)
{
	struct buf	*b = sh->out;

	for (; qd > 0; qd--) {
		buf_adds(b, "  question: ");
		if (!show_name(b, m, n, off) || *off + 4 > n) {
			buf_adds(b, "(cut or malformed)");
			show_end(sh);
			return (false);
		}
		buf_addc(b, ' ');
		show_type(b, (uint16_t)show_num(m + *off, 2));
		buf_addc(b, ' ');
		show_class(b, (uint16_t)show_num(m + *off + 2, 2));
		show_end(sh);
		*off += 4;
	}
	return (true);
}

/* A DNS message of n bytes: its header, questions and records. */
static void
show_dns_msg(struct show *sh, const uint8_t *m, size_t n)
{
	static const char *const sect[] = { "answer", "authority",
	    "additional" };
	unsigned	 cnt[4], i, k, rc;
	size_t		 off = 12;

	for (i = 0; i < 4; i++)
		cnt[i] = show_num(m + 4 + 2 * i, 2);
	rc = m[3] & 0x0f;
	buf_printf(sh->out, "dns %s id 0x%04x", m[2] & 0x80 ? "response" :
	    "query", show_num(m, 2));
	if (m[2] & 0x80)
		buf_printf(sh->out, " %s", rc < nitems(show_rcodes) ?
		    show_rcodes[rc] : "RCODE");
	if (m[2] & 0x80 && rc >= nitems(show_rcodes))
		buf_printf(sh->out, "%u", rc);
	buf_printf(sh->out, ", %u question%s, %u answer%s, %u authority, "
	    "%u additional", cnt[0], cnt[0] == 1 ? "" : "s", cnt[1],
	    cnt[1] == 1 ? "" : "s", cnt[2], cnt[3]);
	show_end(sh);
	if (!show_questions(sh, m, n, &off, cnt[0] < SHOW_MAXRR ? cnt[0] :
	    SHOW_MAXRR))
		return;
	for (i = 0; i < 3; i++) {
		for (k = 0; k < cnt[i + 1] && k < SHOW_MAXRR; k++) {
			if (!show_rr(sh, sect[i], m, n, &off))
				return;
		}
	}
}

/* Whether a port carries DNS messages (DNS, mDNS, LLMNR). */
static bool
show_dns_port(uint16_t p)
{
	return (p == 53 || p == 5353 || p == 5355);
}

/* Whether a message's header can be DNS: a known opcode, and its counts
 * fit in len bytes (5 a question, 11 a record at least). */
static bool
show_dns_sane(const uint8_t *m, size_t len)
{
	uint32_t	 rr = show_num(m + 6, 2) + show_num(m + 8, 2) +
			    show_num(m + 10, 2);

	return ((m[2] >> 3 & 0x0f) <= 6 && 12 + 5 * (size_t)show_num(m + 4,
	    2) + 11 * (size_t)rr <= len);
}

/* A DNS datagram, or a DNS message on TCP after its length; false when
 * the packet is not DNS. */
static bool
show_dns(struct show *sh, const struct decoded *d)
{
	const uint8_t	*p = d->payload;
	size_t		 n = d->payload_caplen;

	if (!show_dns_port(d->sport) && !show_dns_port(d->dport))
		return (false);
	if (d->proto == 6) {
		if (n < 14 || !show_dns_sane(p + 2, show_num(p, 2)))
			return (false);
		p += 2;
		n -= 2;
	} else if (d->proto != 17 || n < 12 || !show_dns_sane(p,
	    d->payload_len))
		return (false);
	show_dns_msg(sh, p, n);
	return (true);
}

/* Where the line at p (n bytes) ends, and the next starts (*next). */
static size_t
show_eol(const uint8_t *p, size_t n, size_t *next)
{
	const uint8_t	*lf = memchr(p, '\n', n);
	size_t		 l;

	if (lf == NULL) {
		*next = n;
		return (n);
	}
	l = (size_t)(lf - p);
	*next = l + 1;
	return (l > 0 && p[l - 1] == '\r' ? l - 1 : l);
}

/* Whether a payload starts an HTTP request or response head. */
static bool
show_http_starts(const uint8_t *p, size_t n)
{
	size_t	 i, l;

	if (n >= 8 && memcmp(p, "HTTP/1.", 7) == 0)
		return (true);
	for (i = 0; i < nitems(show_methods); i++) {
		l = strlen(show_methods[i]);
		if (n > l && memcmp(p, show_methods[i], l) == 0)
			return (true);
	}
	return (false);
}

/* An HTTP head: its first line, then a line a header, to the blank line
 * (or the packet's end, said); on TCP, or UDP for SSDP. */
static bool
show_http(struct show *sh, const struct decoded *d)
{
	const uint8_t	*p = d->payload;
	size_t		 n = d->payload_caplen, at, l, next, k;

	if ((d->proto != 6 && d->proto != 17) || !show_http_starts(p, n))
		return (false);
	l = show_eol(p, n, &next);
	buf_adds(sh->out, p[0] == 'H' ? "http response: " : "http request: ");
	esc_text(sh->out, p, l);
	show_end(sh);
	for (at = next, k = 0; at < n && k < SHOW_MAXHDR; at += next, k++) {
		if ((l = show_eol(p + at, n - at, &next)) == 0)
			return (true);
		buf_adds(sh->out, "  ");
		esc_text(sh->out, p + at, l);
		show_end(sh);
	}
	if (at < n)
		show_line(sh, "  (more header lines)");
	else if (d->payload_caplen < d->payload_len)
		show_line(sh, "  (the rest was not captured)");
	else
		show_line(sh, "  (the head goes on in the next packet)");
	return (true);
}

/* What a packet's payload says, as lines (parse/show.h). */
size_t
parse_show(struct buf *out, const struct decoded *d)
{
	struct show	 sh = { out, 0 };

	if (d->payload == NULL || d->payload_caplen == 0)
		return (0);
	if (!show_dns(&sh, d) && !show_http(&sh, d))
		show_tls(&sh, d);
	return (sh.lines);
}
