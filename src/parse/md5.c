/* md5.c - a compact MD5 (RFC 1321) for the JA3 and JA3S fingerprints. */
/* SPDX-License-Identifier: GPL-3.0-or-later */

#include <stdlib.h>
#include <string.h>

#include <xxhash.h>

#include "parse/parse-int.h"

/* Per-round shift amounts. */
static const uint8_t md5_r[64] = {
	7, 12, 17, 22, 7, 12, 17, 22, 7, 12, 17, 22, 7, 12, 17, 22,
	5, 9, 14, 20, 5, 9, 14, 20, 5, 9, 14, 20, 5, 9, 14, 20,
	4, 11, 16, 23, 4, 11, 16, 23, 4, 11, 16, 23, 4, 11, 16, 23,
	6, 10, 15, 21, 6, 10, 15, 21, 6, 10, 15, 21, 6, 10, 15, 21
};

/* floor(abs(sin(i + 1)) * 2^32). */
static const uint32_t md5_k[64] = {
	0xd76aa478, 0xe8c7b756, 0x242070db, 0xc1bdceee, 0xf57c0faf, 0x4787c62a,
	0xa8304613, 0xfd469501, 0x698098d8, 0x8b44f7af, 0xffff5bb1, 0x895cd7be,
	0x6b901122, 0xfd987193, 0xa679438e, 0x49b40821, 0xf61e2562, 0xc040b340,
	0x265e5a51, 0xe9b6c7aa, 0xd62f105d, 0x02441453, 0xd8a1e681, 0xe7d3fbc8,
	0x21e1cde6, 0xc33707d6, 0xf4d50d87, 0x455a14ed, 0xa9e3e905, 0xfcefa3f8,
	0x676f02d9, 0x8d2a4c8a, 0xfffa3942, 0x8771f681, 0x6d9d6122, 0xfde5380c,
	0xa4beea44, 0x4bdecfa9, 0xf6bb4b60, 0xbebfbc70, 0x289b7ec6, 0xeaa127fa,
	0xd4ef3085, 0x04881d05, 0xd9d4d039, 0xe6db99e5, 0x1fa27cf8, 0xc4ac5665,
	0xf4292244, 0x432aff97, 0xab9423a7, 0xfc93a039, 0x655b59c3, 0x8f0ccc92,
	0xffeff47d, 0x85845dd1, 0x6fa87e4f, 0xfe2ce6e0, 0xa3014314, 0x4e0811a1,
	0xf7537e82, 0xbd3af235, 0x2ad7d2bb, 0xeb86d391
};

/* Run the compression function on one 64-byte block. */
static void
md5_block(uint32_t h[4], const uint8_t *b)
{
	uint32_t	w[16], a = h[0], bb = h[1], c = h[2], d = h[3], f, t;
	int		i, g;

	for (i = 0; i < 16; i++)
		w[i] = (uint32_t)b[4 * i] | (uint32_t)b[4 * i + 1] << 8 |
		    (uint32_t)b[4 * i + 2] << 16 | (uint32_t)b[4 * i + 3] << 24;
	for (i = 0; i < 64; i++) {
		if (i < 16) {
			f = (bb & c) | (~bb & d);
			g = i;
		} else if (i < 32) {
			f = (d & bb) | (~d & c);
			g = (5 * i + 1) % 16;
		} else if (i < 48) {
			f = bb ^ c ^ d;
			g = (3 * i + 5) % 16;
		} else {
			f = c ^ (bb | ~d);
			g = (7 * i) % 16;
		}
		t = d;
		d = c;
		c = bb;
		f += a + md5_k[i] + w[g];
		bb += (f << md5_r[i]) | (f >> (32 - md5_r[i]));
		a = t;
	}
	h[0] += a;
	h[1] += bb;
	h[2] += c;
	h[3] += d;
}

/*
 * The same few client and server hellos come back in session after
 * session, so a fingerprint's digest is kept by the canonical bytes it is
 * made from (the hello's numbers, GREASE left out) in a small
 * direct-mapped cache: a hit costs one hash of those bytes, with no
 * decimal string to write, no MD5 and no look into the value pool.
 * Each context has its own, used by the thread that writes its meta only.
 */
#define MD5_MEMO	1024
struct md5_slot {
	uint8_t		*key;		/* NULL: empty */
	size_t		 n;
	uint64_t	 hash;
	uint32_t	 id;		/* pool id of the hex digest */
};
struct md5_memo {
	struct md5_slot	 slot[MD5_MEMO];
};

/* An empty memo. */
struct md5_memo *
md5_memo_new(void)
{
	return (xcalloc(1, sizeof(struct md5_memo)));
}

/* Free a memo and the keys it holds. */
void
md5_memo_free(struct md5_memo *mm)
{
	size_t	i;

	if (mm == NULL)
		return;
	for (i = 0; i < MD5_MEMO; i++)
		free(mm->slot[i].key);
	free(mm);
}

/* The pool id of the hex MD5 of the string make writes from key. */
uint32_t
md5_fingerprint(struct parse_ctx *pc, const uint8_t *key, size_t n, bool memo,
    size_t (*make)(const uint8_t *, size_t, char *, size_t))
{
	char		 str[4096], hex[33];
	uint64_t	 hash = 0;
	struct md5_slot	*m = NULL;

	if (memo) {
		hash = XXH3_64bits(key, n);
		m = &pc->md5->slot[hash % MD5_MEMO];
		if (m->key != NULL && m->hash == hash && m->n == n &&
		    memcmp(m->key, key, n) == 0)
			return (m->id);
	}
	md5_hex(str, make(key, n, str, sizeof str), hex);
	if (m == NULL)
		return (meta_pool_put(hex, 32));
	free(m->key);
	m->key = xmalloc(n > 0 ? n : 1);
	memcpy(m->key, key, n);
	m->n = n;
	m->hash = hash;
	m->id = meta_pool_put(hex, 32);
	return (m->id);
}

/* Write the MD5 of p as 32 lower-case hex digits and a NUL into out. */
void
md5_hex(const void *p, size_t n, char *out)
{
	static const char hex[] = "0123456789abcdef";
	uint32_t	 h[4] = { 0x67452301, 0xefcdab89, 0x98badcfe, 0x10325476 };
	const uint8_t	*b = p;
	uint8_t		 last[128];
	uint64_t	 bits = (uint64_t)n * 8;
	size_t		 i, rest, tail;

	for (i = 0; i + 64 <= n; i += 64)
		md5_block(h, b + i);
	rest = n - i;
	memset(last, 0, sizeof last);
	memcpy(last, b + i, rest);
	last[rest] = 0x80;
	tail = rest + 1 + 8 <= 64 ? 64 : 128;
	for (i = 0; i < 8; i++)
		last[tail - 8 + i] = (uint8_t)(bits >> (8 * i));
	md5_block(h, last);
	if (tail == 128)
		md5_block(h, last + 64);
	for (i = 0; i < 16; i++) {
		out[2 * i] = hex[(h[i / 4] >> (8 * (i % 4) + 4)) & 15];
		out[2 * i + 1] = hex[(h[i / 4] >> (8 * (i % 4))) & 15];
	}
	out[32] = '\0';
}
