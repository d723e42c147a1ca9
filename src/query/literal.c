/* literal.c - type the literals of a condition by its key. */
/* SPDX-License-Identifier: GPL-3.0-or-later */

#include <arpa/inet.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "query/query-int.h"

#define NSEC		1000000000ULL
#define MAX_SECS	(UINT64_MAX / NSEC)

static const char *const literal_months[] = {
	"january", "february", "march", "april", "may", "june", "july",
	"august", "september", "october", "november", "december"
};

/* Whether a token is the bare word l or u (case folded). */
static int
literal_bound(const struct grammar *p, const struct lex_token *tok)
{
	if (lex_is(&p->lx, tok, "l"))
		return ('l');
	if (lex_is(&p->lx, tok, "u"))
		return ('u');
	return (0);
}

/* Fail naming the literal, what it should have been, and a hint. */
static bool
literal_bad(struct grammar *p, const struct query_cond *c,
    const struct lex_token *tok, const char *hint)
{
	struct buf	 b;
	const char	*quoted = "";

	buf_init(&b);
	grammar_token_text(p, tok, &b);
	if (tok->kind == LEX_STRING && c->type != MT_TEXT &&
	    c->type != MT_TIME)
		quoted = ", not quoted";
	if (c->op == QOP_LENGTH)
		grammar_fail(p, tok->off, "%s is not a valid length (%s%s)",
		    b.s, hint, quoted);
	else if (c->op == QOP_UCOUNT)
		grammar_fail(p, tok->off, "%s is not a valid count (%s%s)",
		    b.s, hint, quoted);
	else
		grammar_fail(p, tok->off, "%s is not a valid value for %s "
		    "(%s%s)", b.s, c->name, hint, quoted);
	buf_free(&b);
	return (false);
}

/* Fail on a bare word where text is expected, naming the whole word. */
static bool
literal_unquoted(struct grammar *p, const struct query_cond *c,
    const struct lex_token *tok)
{
	struct lex_token	 t = *tok;
	unsigned char		 ch;

	while (t.off + t.len < p->len) {
		ch = (unsigned char)p->s[t.off + t.len];
		if (ch <= ' ' || strchr(",()&|'\"!=<>", ch) != NULL)
			break;
		t.len++;
	}
	return (literal_bad(p, c, &t, "quote text values"));
}

/* Make the query's shared match data and limits, once. */
static void
literal_match_setup(struct query *q)
{
	if (q->md != NULL)
		return;
	q->md = pcre2_match_data_create(1, NULL);
	q->mctx = pcre2_match_context_create(NULL);
	if (q->md == NULL || q->mctx == NULL)
		fatal("out of memory creating PCRE2 match data");
	literal_limits(q->mctx);
}

/* Set the depth and heap limits (the match limit is set per value). */
void
literal_limits(pcre2_match_context *mctx)
{
	pcre2_set_depth_limit(mctx, REGEX_DEPTH_LIMIT);
	pcre2_set_heap_limit(mctx, REGEX_HEAP_LIMIT);
}

/* Compile the pattern in e (caseless; (?-i) turns that off), on bytes. */
static bool
literal_regex(struct grammar *p, const struct lex_token *tok,
    struct query_elem *e)
{
	PCRE2_UCHAR	 msg[256];
	PCRE2_SIZE	 off;
	pcre2_code	*code;
	int		 ec;

	code = pcre2_compile((PCRE2_SPTR)e->lo.text.p, e->lo.text.n,
	    PCRE2_CASELESS | PCRE2_NEVER_UTF | PCRE2_NEVER_UCP, &ec, &off,
	    NULL);
	if (code == NULL) {
		if (pcre2_get_error_message(ec, msg, sizeof msg) < 0)
			strcpy((char *)msg, "cannot compile");
		grammar_fail(p, tok->off, "bad regex: %s (at offset %zu of the "
		    "pattern)", (char *)msg, (size_t)off);
		return (false);
	}
	pcre2_jit_compile(code, PCRE2_JIT_COMPLETE);
	e->re = xcalloc(1, sizeof *e->re);
	e->re->code = code;
	literal_match_setup(p->q);
	return (true);
}

/* A quoted text (or regex) literal. */
static bool
literal_text(struct grammar *p, const struct query_cond *c,
    const struct lex_token *tok, struct query_elem *e)
{
	size_t	 n;
	char	*s;

	if (tok->kind != LEX_STRING)
		return (literal_unquoted(p, c, tok));
	n = tok->len - 2;
	if (n > UINT32_MAX) {
		grammar_fail(p, tok->off, "text value too long");
		return (false);
	}
	s = xmalloc(n + 1);
	n = lex_unquote(p->s + tok->off + 1, n, c->op == QOP_REGEX, s);
	s[n] = '\0';
	e->lo.type = MT_TEXT;
	e->lo.text.p = s;
	e->lo.text.n = (uint32_t)n;
	e->hi = e->lo;
	if (c->op == QOP_REGEX && !literal_regex(p, tok, e)) {
		free(s);
		return (false);
	}
	return (true);
}

/* A uint literal: decimal, l or u. */
static bool
literal_uint(struct grammar *p, const struct query_cond *c,
    const struct lex_token *tok, struct query_elem *e)
{
	uint64_t	 v;
	int		 b;

	if (tok->kind != LEX_WORD)
		return (literal_bad(p, c, tok, "uint"));
	if ((b = literal_bound(p, tok)) != 0)
		v = b == 'l' ? 0 : UINT64_MAX;
	else if (!parse_u64(p->s + tok->off, tok->len, &v))
		return (literal_bad(p, c, tok, "uint"));
	e->lo.type = e->hi.type = MT_UINT;
	e->lo.u = e->hi.u = v;
	return (true);
}

/* Split an optional /n off an address; false when n is not 0..max. */
static bool
literal_prefix(const char *s, size_t *n, int max, int *prefix)
{
	const char	*slash = memchr(s, '/', *n);
	uint64_t	 v;

	*prefix = -1;
	if (slash == NULL)
		return (true);
	if (!parse_u64(slash + 1, *n - (size_t)(slash + 1 - s), &v) ||
	    v > (uint64_t)max)
		return (false);
	*prefix = (int)v;
	*n = (size_t)(slash - s);
	return (true);
}

/* Parse a dotted-quad IPv4 address with an optional /n. */
static bool
literal_ipv4_parse(const char *s, size_t n, uint8_t *ip, int *prefix)
{
	size_t		 i = 0, start;
	int		 part;
	uint64_t	 v;

	if (!literal_prefix(s, &n, 32, prefix))
		return (false);
	for (part = 0; part < 4; part++) {
		if (part != 0 && (i >= n || s[i++] != '.'))
			return (false);
		for (start = i; i < n && s[i] >= '0' && s[i] <= '9'; i++)
			;
		if (i - start == 0 || i - start > 3 ||
		    !parse_u64(s + start, i - start, &v) || v > 255)
			return (false);
		ip[part] = (uint8_t)v;
	}
	return (i == n);
}

/* Parse an IPv6 address with an optional /n. */
static bool
literal_ipv6_parse(const char *s, size_t n, uint8_t *ip, int *prefix)
{
	char	 tmp[INET6_ADDRSTRLEN + 1];

	if (!literal_prefix(s, &n, 128, prefix) || n >= sizeof tmp ||
	    memchr(s, ':', n) == NULL)
		return (false);
	memcpy(tmp, s, n);
	tmp[n] = '\0';
	return (inet_pton(AF_INET6, tmp, ip) == 1);
}

/* Parse a MAC address xx:xx:xx:xx:xx:xx. */
static bool
literal_mac_parse(const char *s, size_t n, uint8_t *mac)
{
	static const char	 hex[] = "0123456789abcdef";
	const char		*h, *l;
	int			 i;

	if (n != 17)
		return (false);
	for (i = 0; i < 6; i++) {
		if (i != 0 && s[i * 3 - 1] != ':')
			return (false);
		h = memchr(hex, fold((unsigned char)s[i * 3]), 16);
		l = memchr(hex, fold((unsigned char)s[i * 3 + 1]), 16);
		if (h == NULL || l == NULL)
			return (false);
		mac[i] = (uint8_t)((h - hex) << 4 | (l - hex));
	}
	return (true);
}

/* Clear (lo) or set (hi) the bits of an address past prefix bits. */
static void
literal_mask(uint8_t *ip, size_t bytes, int prefix, bool set)
{
	size_t	 i;
	int	 keep;

	for (i = 0; i < bytes; i++) {
		keep = prefix - (int)i * 8;
		if (keep >= 8)
			continue;
		if (keep <= 0)
			ip[i] = set ? 0xff : 0;
		else if (set)
			ip[i] |= (uint8_t)(0xff >> keep);
		else
			ip[i] &= (uint8_t)(0xff << (8 - keep));
	}
}

/* Warn when a CIDR block was written with host bits set. */
static void
literal_hostbits(struct grammar *p, const struct lex_token *tok,
    const struct query_elem *e, int prefix)
{
	struct buf	 b, net;

	buf_init(&b);
	buf_init(&net);
	grammar_token_text(p, tok, &b);
	mval_format(&net, &e->lo);
	grammar_warn(p, tok->off, "host bits set in %s; it means %s/%d", b.s,
	    net.s, prefix);
	buf_free(&net);
	buf_free(&b);
}

/* An IPv4 or IPv6 literal: address, CIDR block, l or u. */
static bool
literal_ip(struct grammar *p, const struct query_cond *c,
    const struct lex_token *tok, struct query_elem *e)
{
	size_t		 bytes = c->type == MT_IPV4 ? 4 : 16;
	const char	*s = p->s + tok->off;
	int		 b, prefix = -1;
	bool		 ok;
	struct mval	 orig;

	memset(&e->lo, 0, sizeof e->lo);
	e->lo.type = c->type;
	if (tok->kind != LEX_WORD)
		return (literal_bad(p, c, tok, meta_type_name(c->type)));
	if ((b = literal_bound(p, tok)) != 0) {
		memset(e->lo.ip, b == 'l' ? 0 : 0xff, bytes);
		e->hi = e->lo;
		return (true);
	}
	if (bytes == 4)
		ok = literal_ipv4_parse(s, tok->len, e->lo.ip, &prefix);
	else
		ok = literal_ipv6_parse(s, tok->len, e->lo.ip, &prefix);
	if (!ok)
		return (literal_bad(p, c, tok, meta_type_name(c->type)));
	e->hi = orig = e->lo;
	if (prefix == -1)
		return (true);
	literal_mask(e->lo.ip, bytes, prefix, false);
	literal_mask(e->hi.ip, bytes, prefix, true);
	if (memcmp(orig.ip, e->lo.ip, bytes) != 0)
		literal_hostbits(p, tok, e, prefix);
	return (true);
}

/* A MAC literal: xx:xx:xx:xx:xx:xx, l or u. */
static bool
literal_mac(struct grammar *p, const struct query_cond *c,
    const struct lex_token *tok, struct query_elem *e)
{
	int	 b;

	memset(&e->lo, 0, sizeof e->lo);
	e->lo.type = MT_MAC;
	if (tok->kind != LEX_WORD)
		return (literal_bad(p, c, tok, "mac"));
	if ((b = literal_bound(p, tok)) != 0)
		memset(e->lo.mac, b == 'l' ? 0 : 0xff, 6);
	else if (!literal_mac_parse(p->s + tok->off, tok->len, e->lo.mac))
		return (literal_bad(p, c, tok, "mac"));
	e->hi = e->lo;
	return (true);
}

/* Read 1 to max decimal digits at *i; false when there are none. */
static bool
literal_digits(const char *s, size_t n, size_t *i, size_t max, int *out)
{
	size_t	 start = *i;

	*out = 0;
	while (*i < n && *i - start < max && s[*i] >= '0' && s[*i] <= '9')
		*out = *out * 10 + (s[(*i)++] - '0');
	return (*i != start);
}

/* Read a month name (three letters or in full) or number at *i. */
static bool
literal_month(const char *s, size_t n, size_t *i, int *month)
{
	size_t	 len, m;

	if (literal_digits(s, n, i, 2, month))
		return (*month >= 1 && *month <= 12);
	for (len = 0; *i + len < n && fold((unsigned char)s[*i + len]) >= 'a' &&
	    fold((unsigned char)s[*i + len]) <= 'z'; len++)
		;
	for (m = 0; m < nitems(literal_months); m++) {
		if (fold_eq(s + *i, len, literal_months[m], 3) ||
		    fold_eq(s + *i, len, literal_months[m],
		    strlen(literal_months[m]))) {
			*month = (int)m + 1;
			*i += len;
			return (true);
		}
	}
	return (false);
}

/* Days from 1970-01-01 to a civil date (proleptic Gregorian). */
static int64_t
literal_days(int64_t y, int m, int d)
{
	int64_t	 era, yoe, doy, doe;

	y -= m <= 2;
	era = y / 400;
	yoe = y - era * 400;
	doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
	doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
	return (era * 146097 + doe - 719468);
}

/*
 * Read an optional fraction of a second (1 to 9 digits after '.') and an
 * optional 'Z' at *i: the nanoseconds and the unit of the last digit.
 */
static bool
literal_fraction(const char *s, size_t n, size_t *i, uint64_t *ns,
    uint64_t *unit)
{
	*ns = 0;
	*unit = NSEC;
	if (*i < n && s[*i] == '.') {
		if (++*i >= n || s[*i] < '0' || s[*i] > '9')
			return (false);
		for (; *i < n && s[*i] >= '0' && s[*i] <= '9'; (*i)++) {
			if (*unit == 1)
				return (false);
			*unit /= 10;
			*ns += (uint64_t)(s[*i] - '0') * *unit;
		}
	}
	if (*i < n && (s[*i] == 'Z' || s[*i] == 'z'))
		(*i)++;
	return (*i == n);
}

/*
 * Parse 'YYYY-mon-DD HH:MM:SS' or ISO 8601 'YYYY-MM-DDTHH:MM:SS[.f]Z'
 * (UTC) into nanoseconds since the epoch and the unit of its last digit.
 */
static bool
literal_time_parse(const char *s, size_t n, uint64_t *ns, uint64_t *unit)
{
	static const int mdays[] = { 31, 29, 31, 30, 31, 30, 31, 31, 30, 31,
	    30, 31 };
	size_t		 i = 0;
	int		 y, mo, d, h, mi, sec;
	uint64_t	 secs, frac;

	if (!literal_digits(s, n, &i, 4, &y) || i != 4 || i >= n ||
	    s[i++] != '-' || !literal_month(s, n, &i, &mo) || i >= n ||
	    s[i++] != '-' || !literal_digits(s, n, &i, 2, &d) || i >= n ||
	    (s[i] != ' ' && s[i] != 'T' && s[i] != 't'))
		return (false);
	while (++i < n && s[i] == ' ')
		;
	if (!literal_digits(s, n, &i, 2, &h) || i >= n || s[i++] != ':' ||
	    !literal_digits(s, n, &i, 2, &mi) || i >= n || s[i++] != ':' ||
	    !literal_digits(s, n, &i, 2, &sec) ||
	    !literal_fraction(s, n, &i, &frac, unit))
		return (false);
	if (y < 1970 || d < 1 || d > mdays[mo - 1] || h > 23 || mi > 59 ||
	    sec > 59)
		return (false);
	if (mo == 2 && d == 29 && (y % 4 != 0 || (y % 100 == 0 &&
	    y % 400 != 0)))
		return (false);
	secs = (uint64_t)literal_days(y, mo, d) * 86400 +
	    (uint64_t)(h * 3600 + mi * 60 + sec);
	if (secs > MAX_SECS || frac > UINT64_MAX - secs * NSEC)
		return (false);
	*ns = secs * NSEC + frac;
	return (true);
}

/*
 * A time literal: quoted date and time, epoch seconds, l or u.  It stands
 * for the interval of its last digit: a whole second, or [T, T + 0.1 s)
 * for one digit of fraction, and so on.
 */
static bool
literal_time(struct grammar *p, const struct query_cond *c,
    const struct lex_token *tok, struct query_elem *e)
{
	static const char	 hint[] = "time: 'YYYY-mon-DD HH:MM:SS' or "
	    "'YYYY-MM-DDTHH:MM:SS.fffZ' UTC, or epoch seconds";
	char			 tmp[64];
	uint64_t		 secs, ns, unit = NSEC;
	size_t			 n;
	int			 b;

	if (tok->kind == LEX_STRING) {
		if (tok->len - 2 >= sizeof tmp)
			return (literal_bad(p, c, tok, hint));
		n = lex_unquote(p->s + tok->off + 1, tok->len - 2, false, tmp);
		if (!literal_time_parse(tmp, n, &ns, &unit))
			return (literal_bad(p, c, tok, hint));
	} else if ((b = literal_bound(p, tok)) != 0)
		ns = b == 'l' ? 0 : MAX_SECS * NSEC;
	else if (!parse_u64(p->s + tok->off, tok->len, &secs) ||
	    secs > MAX_SECS)
		return (literal_bad(p, c, tok, hint));
	else
		ns = secs * NSEC;
	e->lo.type = e->hi.type = MT_TIME;
	e->lo.prec = e->hi.prec = 9;
	e->lo.u = ns;
	e->hi.u = ns / NSEC == MAX_SECS && unit == NSEC ? UINT64_MAX :
	    ns > UINT64_MAX - (unit - 1) ? UINT64_MAX : ns + unit - 1;
	return (true);
}

/* The type a literal's own syntax gives it (for keys not in the registry). */
bool
literal_type_of(struct grammar *p, const struct lex_token *tok, uint8_t *type)
{
	const char	*s = p->s + tok->off;
	uint8_t		 ip[16];
	uint64_t	 v;
	int		 prefix;

	if (tok->kind == LEX_STRING)
		*type = MT_TEXT;
	else if (tok->kind != LEX_WORD)
		return (false);
	else if (literal_bound(p, tok) || parse_u64(s, tok->len, &v))
		*type = MT_UINT;
	else if (literal_ipv4_parse(s, tok->len, ip, &prefix))
		*type = MT_IPV4;
	else if (literal_mac_parse(s, tok->len, ip))
		*type = MT_MAC;
	else if (literal_ipv6_parse(s, tok->len, ip, &prefix))
		*type = MT_IPV6;
	else
		return (false);
	return (true);
}

/*
 * Type one literal for a condition into e as the interval it stands for;
 * on failure report it and leave nothing allocated.
 */
bool
literal_value(struct grammar *p, const struct query_cond *c,
    const struct lex_token *tok, struct query_elem *e)
{
	memset(e, 0, sizeof *e);
	e->col = (uint32_t)tok->off + 1;
	switch (c->type) {
	case MT_UINT:
		return (literal_uint(p, c, tok, e));
	case MT_IPV4:
	case MT_IPV6:
		return (literal_ip(p, c, tok, e));
	case MT_MAC:
		return (literal_mac(p, c, tok, e));
	case MT_TIME:
		return (literal_time(p, c, tok, e));
	}
	return (literal_text(p, c, tok, e));
}

/* Free what an element owns (text, compiled pattern). */
void
literal_free(struct query_elem *e, uint8_t type)
{
	if (type == MT_TEXT)
		free((void *)e->lo.text.p);
	if (e->re != NULL) {
		pcre2_code_free(e->re->code);
		free(e->re);
	}
}

/*
 * Append a time as 'YYYY-mon-DD HH:MM:SS' with quotes, and the fraction of
 * a second to the digit of unit when unit is below a second.
 */
void
literal_time_format(struct buf *b, uint64_t ns, uint64_t unit)
{
	time_t		 secs = (time_t)(ns / NSEC);
	struct tm	 tm;
	uint64_t	 u;

	gmtime_r(&secs, &tm);
	buf_printf(b, "'%04d-%.3s-%02d %02d:%02d:%02d", tm.tm_year + 1900,
	    literal_months[tm.tm_mon], tm.tm_mday, tm.tm_hour, tm.tm_min,
	    tm.tm_sec);
	if (unit < NSEC) {
		buf_addc(b, '.');
		for (u = NSEC / 10; u >= unit && u > 0; u /= 10)
			buf_addc(b, (char)('0' + ns % NSEC / u % 10));
	}
	buf_addc(b, '\'');
}
