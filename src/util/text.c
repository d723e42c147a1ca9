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

/*
 * Whether the valid UTF-8 character at p (u bytes) is one SPEC §6 writes as
 * bytes: a C1 control, a bidi embedding, override or isolate, or an
 * invisible format character.
 */
bool
utf8_hidden(const unsigned char *p, size_t u)
{
	if (u == 2)
		return (p[0] == 0xc2 && p[1] < 0xa0);
	if (u != 3)
		return (false);
	if (p[0] == 0xef)
		return (p[1] == 0xbb && p[2] == 0xbf);
	if (p[0] != 0xe2)
		return (false);
	if (p[1] == 0x80)
		return ((p[2] >= 0x8b && p[2] <= 0x8f) ||
		    (p[2] >= 0xaa && p[2] <= 0xae));
	if (p[1] == 0x81)
		return ((p[2] >= 0xa0 && p[2] <= 0xa4) ||
		    (p[2] >= 0xa6 && p[2] <= 0xa9));
	return (false);
}

/*
 * Append the character or byte at p escaped, '\' doubled unless keep is
 * set; returns the bytes used.
 */
static size_t
esc_one(struct buf *b, const unsigned char *p, size_t n, bool keep)
{
	static const char hex[] = "0123456789abcdef";
	size_t		 u, i;

	if (p[0] >= 0x20 && p[0] < 0x7f && (p[0] != '\\' || keep)) {
		buf_addc(b, (char)p[0]);
		return (1);
	}
	u = p[0] >= 0x80 ? utf8_len(p, n) : 0;
	if (u != 0 && !utf8_hidden(p, u)) {
		buf_add(b, p, u);
		return (u);
	}
	switch (p[0]) {
	case '\\': buf_add(b, "\\\\", 2); return (1);
	case '\t': buf_add(b, "\\t", 2); return (1);
	case '\n': buf_add(b, "\\n", 2); return (1);
	case '\r': buf_add(b, "\\r", 2); return (1);
	}
	for (i = 0; i < (u != 0 ? u : 1); i++) {
		buf_add(b, "\\x", 2);
		buf_addc(b, hex[p[i] >> 4]);
		buf_addc(b, hex[p[i] & 15]);
	}
	return (u != 0 ? u : 1);
}

/* Bytes that stand for themselves: printable ASCII but '\\'. */
#define ESC_P(c)	((c) >= 0x20 && (c) < 0x7f && (c) != '\\')
#define ESC_P4(c)	ESC_P(c), ESC_P((c) + 1), ESC_P((c) + 2), ESC_P((c) + 3)
#define ESC_P16(c)	ESC_P4(c), ESC_P4((c) + 4), ESC_P4((c) + 8), \
			ESC_P4((c) + 12)
#define ESC_P64(c)	ESC_P16(c), ESC_P16((c) + 16), ESC_P16((c) + 32), \
			ESC_P16((c) + 48)
static const bool esc_plain[256] = {
	ESC_P64(0), ESC_P64(64), ESC_P64(128), ESC_P64(192)
};

/*
 * Append bytes escaped as SPEC §6 says.  Runs of what stays as it is
 * (printable ASCII but '\\', and UTF-8 characters that are not hidden) are
 * copied whole: a plain value is one scan and one copy.
 */
void
esc_text(struct buf *b, const void *v, size_t n)
{
	const unsigned char *p = v;
	size_t		 i = 0, run, u;

	buf_reserve(b, n);
	while (i < n) {
		for (run = i;;) {
			while (run < n && esc_plain[p[run]])
				run++;
			if (run == n || p[run] < 0x80 ||
			    (u = utf8_len(p + run, n - run)) == 0 ||
			    utf8_hidden(p + run, u))
				break;
			run += u;
		}
		if (run != i) {
			buf_add(b, p + i, run - i);
			i = run;
		}
		if (i < n)
			i += esc_one(b, p + i, n - i, false);
	}
}

/* Append bytes escaped as esc_text does, but with '\\' left alone. */
void
esc_guard(struct buf *b, const void *v, size_t n)
{
	const unsigned char *p = v;
	size_t		 i;

	buf_reserve(b, n);
	for (i = 0; i < n; )
		i += esc_one(b, p + i, n - i, true);
}

/* Append bytes escaped for a message, cut after ESC_MSG_MAX bytes. */
void
esc_msg(struct buf *b, const void *v, size_t n)
{
	const unsigned char *p = v;
	size_t		 i, start = b->len, at;

	for (i = 0; i < n; ) {
		at = b->len;
		i += esc_one(b, p + i, n - i, false);
		if (b->len - start > ESC_MSG_MAX) {
			b->len = at;
			b->s[at] = '\0';
			buf_adds(b, "...");
			return;
		}
	}
}

/*
 * Bytes escaped for a message (esc_msg), in the oldest of ESC_SLOTS
 * buffers of the calling thread: valid until ESC_SLOTS more calls, enough
 * for the pieces of one message.  The buffers are arrays, not heap, so a
 * thread that ends leaves nothing behind.
 */
const char *
esc_strn(const void *v, size_t n)
{
	static _Thread_local char	 slot[ESC_SLOTS][ESC_MSG_MAX + 4];
	static _Thread_local unsigned	 next;
	char				*s = slot[next++ % ESC_SLOTS];
	struct buf			 b;

	buf_init(&b);
	esc_msg(&b, v, n);
	memcpy(s, b.s != NULL ? b.s : "", b.len + 1);
	buf_free(&b);
	return (s);
}

/* A C string escaped for a message, as esc_strn. */
const char *
esc_str(const char *s)
{
	return (esc_strn(s, strlen(s)));
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
