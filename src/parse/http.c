/* http.c - HTTP/1.x requests and responses in the first buffered bytes. */
/* SPDX-License-Identifier: GPL-3.0-or-later */

#include <arpa/inet.h>
#include <string.h>
#include <strings.h>

#include "parse/parse-int.h"

static int	hk_action, hk_dir, hk_file, hk_ext, hk_query, hk_client;
static int	hk_server, hk_code, hk_content, hk_referer, hk_ip, hk_ip6;

static const struct parse_key http_keys[] = {
	{ "action", &hk_action },
	{ "directory", &hk_dir },
	{ "filename", &hk_file },
	{ "extension", &hk_ext },
	{ "query", &hk_query },
	{ "client", &hk_client },
	{ "server", &hk_server },
	{ "result.code", &hk_code },
	{ "content", &hk_content },
	{ "referer", &hk_referer },
	{ "alias.ip", &hk_ip },
	{ "alias.ipv6", &hk_ip6 },
	{ NULL, NULL }
};

static const char *const http_methods[] = {
	"GET ", "POST ", "HEAD ", "PUT ", "DELETE ", "OPTIONS ", "CONNECT ",
	"PATCH ", "TRACE ", "PROPFIND ",
};

/* A line of the buffer: [p, p + n) without the CR LF. */
struct http_line {
	const uint8_t	*p;
	size_t		 n;
};

/* What the headers of one request said. */
struct http_req {
	bool	 host, ua, referer, ip;
	size_t	 body;			/* Content-Length */
	bool	 length;		/* a Content-Length was given */
	bool	 chunked;
};

/* Whether a direction starts with a request or a response. */
static enum parse_sniff
http_sniff(const uint8_t *p, size_t n)
{
	enum parse_sniff	r, best = parse_token(p, n, "HTTP/1.");
	size_t			i;

	for (i = 0; i < nitems(http_methods) && best != PS_YES; i++) {
		r = parse_token(p, n, http_methods[i]);
		if (r > best)
			best = r;
	}
	return (best);
}

/* Take the next line from [*off, n); false at the end of the bytes. */
static bool
http_next_line(const uint8_t *b, size_t n, size_t *off, struct http_line *l)
{
	const uint8_t	*nl;

	if (*off >= n)
		return (false);
	l->p = b + *off;
	if ((nl = memchr(l->p, '\n', n - *off)) == NULL) {
		l->n = n - *off;
		*off = n;
	} else {
		l->n = (size_t)(nl - l->p);
		*off += l->n + 1;
	}
	if (l->n > 0 && l->p[l->n - 1] == '\r')
		l->n--;
	return (true);
}

/* Whether text is an IPv4 or IPv6 address literal. */
static bool
http_is_ip(const uint8_t *p, size_t n)
{
	size_t	i, dots = 0;

	if (memchr(p, ':', n) != NULL)
		return (true);
	for (i = 0; i < n; i++) {
		if (p[i] == '.')
			dots++;
		else if (p[i] < '0' || p[i] > '9')
			return (false);
	}
	return (dots == 3);
}

/*
 * Write an address literal to alias.ip or alias.ipv6; false when the text
 * is not one.
 */
static bool
http_host_ip(struct session *s, const uint8_t *p, size_t n)
{
	char	 text[INET6_ADDRSTRLEN];
	uint8_t	 a[16];

	if (n >= sizeof text)
		return (false);
	memcpy(text, p, n);
	text[n] = '\0';
	if (inet_pton(AF_INET, text, a) == 1)
		parse_add_ip(s, hk_ip, a, 4);
	else if (inet_pton(AF_INET6, text, a) == 1)
		parse_add_ip(s, hk_ip6, a, 6);
	else
		return (false);
	return (true);
}

/*
 * Write a Host value without port (or brackets) to alias.host, or to
 * alias.ip or alias.ipv6 when it is an address.
 */
static void
http_host(struct session *s, struct http_req *r, const uint8_t *p, size_t n)
{
	const uint8_t	*c;

	if (n > 0 && p[0] == '[') {
		if ((c = memchr(p, ']', n)) == NULL)
			return;
		p++;
		n = (size_t)(c - p);
	} else if ((c = memchr(p, ':', n)) != NULL &&
	    memchr(c + 1, ':', n - (size_t)(c - p) - 1) == NULL)
		n = (size_t)(c - p);
	if (n == 0)
		return;
	r->host = true;
	if (http_is_ip(p, n)) {
		r->ip = true;
		if (http_host_ip(s, p, n))
			return;
	}
	parse_add_host(s, p, n);
}

/* Write the path parts of a request URI. */
static void
http_uri(struct session *s, struct http_req *r, const uint8_t *p, size_t n)
{
	const uint8_t	*q, *slash, *dot, *a;

	if (n > 7 && (strncasecmp((const char *)p, "http://", 7) == 0 ||
	    (n > 8 && strncasecmp((const char *)p, "https://", 8) == 0))) {
		a = (const uint8_t *)memchr(p, '/', n) + 2;
		slash = memchr(a, '/', n - (size_t)(a - p));
		http_host(s, r, a, slash != NULL ? (size_t)(slash - a) :
		    n - (size_t)(a - p));
		if (slash == NULL)
			return;
		n -= (size_t)(slash - p);
		p = slash;
	}
	if ((q = memchr(p, '?', n)) != NULL) {
		if (q + 1 < p + n)
			parse_add_text(s, hk_query, q + 1, n - (size_t)(q - p) - 1);
		n = (size_t)(q - p);
	}
	if (n == 0 || p[0] != '/')
		return;
	for (slash = p + n - 1; *slash != '/'; slash--)
		;
	parse_add_text(s, hk_dir, p, (size_t)(slash - p) + 1);
	if (slash + 1 == p + n)
		return;
	parse_add_text(s, hk_file, slash + 1, n - (size_t)(slash - p) - 1);
	for (dot = p + n - 1; dot > slash && *dot != '.'; dot--)
		;
	if (dot > slash + 1 && dot + 1 < p + n)
		parse_add_text(s, hk_ext, dot + 1, n - (size_t)(dot - p) - 1);
}

/* Parse a request line; false when it is not one. */
static bool
http_request_line(struct session *s, struct http_req *r,
    const struct http_line *l)
{
	const uint8_t	*sp, *sp2;
	size_t		 i;

	for (i = 0; i < nitems(http_methods); i++) {
		if (parse_token(l->p, l->n, http_methods[i]) == PS_YES)
			break;
	}
	if (i == nitems(http_methods))
		return (false);
	sp = memchr(l->p, ' ', l->n);
	parse_add_text(s, hk_action, l->p, (size_t)(sp - l->p));
	sp++;
	sp2 = memchr(sp, ' ', l->n - (size_t)(sp - l->p));
	if (sp2 == NULL)
		sp2 = l->p + l->n;
	if (i == 6)		/* CONNECT host:port */
		http_host(s, r, sp, (size_t)(sp2 - sp));
	else
		http_uri(s, r, sp, (size_t)(sp2 - sp));
	return (true);
}

/* Parse a status line; false when it is not one. */
static bool
http_status_line(struct session *s, const struct http_line *l)
{
	if (parse_token(l->p, l->n, "HTTP/1.") != PS_YES)
		return (false);
	if (l->n >= 12 && l->p[8] == ' ')
		parse_add_text(s, hk_code, l->p + 9, 3);
	return (true);
}

/* Trim blanks from both ends of a value. */
static void
http_trim(const uint8_t **p, size_t *n)
{
	while (*n > 0 && (**p == ' ' || **p == '\t')) {
		(*p)++;
		(*n)--;
	}
	while (*n > 0 && ((*p)[*n - 1] == ' ' || (*p)[*n - 1] == '\t'))
		(*n)--;
}

/* The headers looked at; their names' lengths differ. */
enum http_hdr {
	HH_NONE, HH_HOST, HH_UA, HH_REFERER, HH_SERVER, HH_CTYPE, HH_CLEN,
	HH_TE
};

static const struct {
	const char	*name;
	enum http_hdr	 h;
} http_hdrs[18] = {
	[4] = { "host", HH_HOST },
	[6] = { "server", HH_SERVER },
	[7] = { "referer", HH_REFERER },
	[10] = { "user-agent", HH_UA },
	[12] = { "content-type", HH_CTYPE },
	[14] = { "content-length", HH_CLEN },
	[17] = { "transfer-encoding", HH_TE },
};

/* Which header a line is (by its name, up to the colon); *v, *vn its
   value. */
static enum http_hdr
http_header_name(const struct http_line *l, const uint8_t **v, size_t *vn)
{
	const uint8_t	*colon;
	size_t		 k;

	if ((colon = memchr(l->p, ':', l->n < 18 ? l->n : 18)) == NULL)
		return (HH_NONE);
	k = (size_t)(colon - l->p);
	if (http_hdrs[k].name == NULL ||
	    strncasecmp((const char *)l->p, http_hdrs[k].name, k) != 0)
		return (HH_NONE);
	*v = colon + 1;
	*vn = l->n - k - 1;
	http_trim(v, vn);
	return (http_hdrs[k].h);
}

/* Parse one header line of a request or response. */
static void
http_header(struct session *s, struct http_req *r, const struct http_line *l)
{
	const uint8_t	*v, *semi;
	size_t		 n;
	uint64_t	 len;

	switch (http_header_name(l, &v, &n)) {
	case HH_HOST:
		http_host(s, r, v, n);
		break;
	case HH_UA:
		r->ua = true;
		parse_add_text(s, hk_client, v, n);
		break;
	case HH_REFERER:
		r->referer = true;
		parse_add_text(s, hk_referer, v, n);
		break;
	case HH_SERVER:
		parse_add_text(s, hk_server, v, n);
		break;
	case HH_CTYPE:
		if ((semi = memchr(v, ';', n)) != NULL)
			n = (size_t)(semi - v);
		http_trim(&v, &n);
		parse_add_text(s, hk_content, v, n);
		break;
	case HH_CLEN:
		if (parse_u64((const char *)v, n, &len) && len < SIZE_MAX) {
			r->body = (size_t)len;
			r->length = true;
		}
		break;
	case HH_TE:
		r->chunked = n >= 7 && strncasecmp((const char *)v,
		    "chunked", 7) == 0;
		break;
	case HH_NONE:
		break;
	}
}

/* Parse the messages of one buffered direction. */
static void
http_side(struct session *s, struct parse_state *ps, const uint8_t *b,
    size_t n)
{
	struct http_line	 l;
	struct http_req		 r;
	size_t			 off = 0;
	bool			 req;

	while (http_next_line(b, n, &off, &l)) {
		if (l.n == 0)
			continue;
		memset(&r, 0, sizeof r);
		if ((req = http_request_line(s, &r, &l)) == false &&
		    !http_status_line(s, &l))
			return;
		while (http_next_line(b, n, &off, &l) && l.n > 0)
			http_header(s, &r, &l);
		if (req) {
			ps->svc |= (!r.ua ? 1U << PI_HTTP_NO_UA : 0) |
			    (!r.referer ? 1U << PI_HTTP_NO_REFERER : 0) |
			    (!r.host || r.ip ? 1U << PI_HTTP_DIRECT_IP : 0);
		}
		/* A response body without a length runs to the end. */
		if (r.chunked || (!req && !r.length) || r.body > n - off)
			return;
		off += r.body;
	}
}

/* Write the HTTP meta of a closing session. */
static void
http_close(struct parse_ctx *pc, struct session *s, struct parse_state *ps)
{
	int	i;

	(void)pc;	/* every protocol's close() takes its context */
	for (i = 0; i < 2; i++) {
		if (ps->st[i].contig > 0)
			http_side(s, ps, ps->st[i].buf, ps->st[i].contig);
	}
}

/* Whether both directions hold all the headers read. */
static bool
http_early(struct parse_state *ps)
{
	return (parse_streams_full(ps));
}

const struct parse_ops http_ops = {
	.service = 80, .max = 4096,
	.sniff = http_sniff, .starts = "GPHDOCT",
	.early = http_early, .close = http_close, .keys = http_keys
};
