/* text.c - escaping, ASCII case folding, varints and number parsing. */
/* SPDX-License-Identifier: GPL-3.0-or-later */

#include <string.h>

#define XXH_STATIC_LINKING_ONLY
#include <xxhash.h>

#include "util/util.h"

/* Length of a valid UTF-8 sequence of two or more bytes at p, or 0. */
size_t
utf8_len(const unsigned char *p, size_t n)
{
	size_t		 len, i;
	unsigned int	 cp;

	if (p[0] < 0xc2 || p[0] > 0xf4)
		return (0);
	len = p[0] < 0xe0 ? 2 : p[0] < 0xf0 ? 3 : 4;
	if (len > n)
		return (0);
	cp = p[0] & (0x7f >> len);
	for (i = 1; i < len; i++) {
		if ((p[i] & 0xc0) != 0x80)
			return (0);
		cp = (cp << 6) | (p[i] & 0x3f);
	}
	if ((len == 3 && cp < 0x800) || (len == 4 && cp < 0x10000) ||
	    cp > 0x10ffff || (cp >= 0xd800 && cp <= 0xdfff))
		return (0);
	return (len);
}

/* Append bytes escaped as SPEC §6 says. */
void
esc_text(struct buf *b, const void *v, size_t n)
{
	static const char hex[] = "0123456789abcdef";
	const unsigned char *p = v;
	size_t		 i, run, u;

	buf_reserve(b, n);
	for (i = 0; i < n; i = run) {
		for (run = i; run < n && p[run] >= 0x20 && p[run] < 0x7f &&
		    p[run] != '\\'; run++)
			;
		if (run != i) {
			buf_add(b, p + i, run - i);
			continue;
		}
		if (p[i] >= 0x80 && (u = utf8_len(p + i, n - i)) != 0) {
			buf_add(b, p + i, u);
			run = i + u;
			continue;
		}
		run = i + 1;
		switch (p[i]) {
		case '\\': buf_add(b, "\\\\", 2); break;
		case '\t': buf_add(b, "\\t", 2); break;
		case '\n': buf_add(b, "\\n", 2); break;
		case '\r': buf_add(b, "\\r", 2); break;
		default:
			buf_add(b, "\\x", 2);
			buf_addc(b, hex[p[i] >> 4]);
			buf_addc(b, hex[p[i] & 15]);
		}
	}
}

/* Append a JSON string literal of text that esc_text already made safe. */
void
esc_json(struct buf *b, const char *s, size_t n)
{
	size_t	 i;

	buf_addc(b, '"');
	for (i = 0; i < n; i++) {
		if (s[i] == '"' || s[i] == '\\')
			buf_addc(b, '\\');
		buf_addc(b, s[i]);
	}
	buf_addc(b, '"');
}

/* Compare two byte strings with ASCII case folded. */
int
fold_cmp(const void *a, size_t an, const void *b, size_t bn)
{
	const unsigned char *p = a, *q = b;
	size_t		 i, n = an < bn ? an : bn;

	for (i = 0; i < n; i++) {
		if (fold(p[i]) != fold(q[i]))
			return (fold(p[i]) < fold(q[i]) ? -1 : 1);
	}
	return (an < bn ? -1 : an > bn);
}

/* Whether two byte strings are equal with ASCII case folded. */
bool
fold_eq(const void *a, size_t an, const void *b, size_t bn)
{
	return (an == bn && fold_cmp(a, an, b, bn) == 0);
}

/* Hash a byte string with ASCII case folded. */
uint64_t
fold_hash(const void *v, size_t n)
{
	const unsigned char *p = v;
	unsigned char	 tmp[256];
	XXH3_state_t	 st;
	size_t		 i, k;

	if (n <= sizeof tmp) {
		for (i = 0; i < n; i++)
			tmp[i] = fold(p[i]);
		return (XXH3_64bits(tmp, n));
	}
	XXH3_64bits_reset(&st);
	for (i = 0; i < n; i += k) {
		k = n - i < sizeof tmp ? n - i : sizeof tmp;
		for (size_t j = 0; j < k; j++)
			tmp[j] = fold(p[i + j]);
		XXH3_64bits_update(&st, tmp, k);
	}
	return (XXH3_64bits_digest(&st));
}

/* Decode an unsigned LEB128 varint; returns bytes read or 0 at the end. */
size_t
varint_get(const uint8_t *p, const uint8_t *end, uint64_t *v)
{
	uint64_t	 r = 0;
	size_t		 n = 0;
	unsigned int	 shift = 0;

	while (p + n < end && shift < 64) {
		r |= (uint64_t)(p[n] & 0x7f) << shift;
		if ((p[n++] & 0x80) == 0) {
			*v = r;
			return (n);
		}
		shift += 7;
	}
	return (0);
}

/* Parse a whole decimal uint64. */
bool
parse_u64(const char *s, size_t n, uint64_t *out)
{
	uint64_t	 v = 0;
	size_t		 i;

	if (n == 0)
		return (false);
	for (i = 0; i < n; i++) {
		if (s[i] < '0' || s[i] > '9')
			return (false);
		if (v > (UINT64_MAX - (uint64_t)(s[i] - '0')) / 10)
			return (false);
		v = v * 10 + (uint64_t)(s[i] - '0');
	}
	*out = v;
	return (true);
}
