/* stream.c - the bounded first bytes of a TCP direction, placed by seq. */
/* SPDX-License-Identifier: GPL-3.0-or-later */

#include <stdlib.h>
#include <string.h>

#include "parse/parse-int.h"

#define STREAM_MIN	512	/* first allocation; grows 4x */
/*
 * A max up to this is allocated at once (a hello cut to its record, an
 * SSH banner); a longer one grows from the first segment.  At 4096 every
 * HTTP direction took 4 KiB for headers of a few hundred bytes: a tenth
 * of the peak memory, written cold.
 */
#define STREAM_WHOLE	1024

/*
 * Buffers come in power-of-two sizes from 512 to 64 KiB and go back to a
 * stack per size when a session closes: every TCP session being parsed
 * takes one or two and grows them, and malloc, realloc and free of these
 * sizes were a twentieth of ingest.  The stacks hold pointers (taking a
 * buffer touches none of its bytes) and keep at most 8 MiB a size: at 1
 * MiB, the 4 KiB buffers of a capture's busiest seconds went back to
 * malloc and were taken from it again.  Like the rest of the state the
 * parsers keep per session, this belongs to the engine's thread.
 */
#define STREAM_CLASSES	8		/* 512 << 0 .. 512 << 7 */
#define STREAM_KEEP	(8u << 20)	/* bytes kept per size */

static uint8_t	**stream_pool[STREAM_CLASSES];
static uint32_t	  stream_pooled[STREAM_CLASSES];	/* buffers */

/* The size class of an allocation (n a power of two >= 512), or -1. */
static int
stream_class(uint32_t n)
{
	int	c = 0;

	while (c < STREAM_CLASSES && ((uint32_t)STREAM_MIN << c) < n)
		c++;
	return (c < STREAM_CLASSES && ((uint32_t)STREAM_MIN << c) == n ? c : -1);
}

/* A buffer of n bytes (a power of two), from the pool when it has one. */
uint8_t *
parse_buf_get(uint32_t n)
{
	int	c = stream_class(n);

	if (c == -1 || stream_pooled[c] == 0)
		return (xmalloc(n));
	return (stream_pool[c][--stream_pooled[c]]);
}

/* Give a buffer of n bytes back. */
void
parse_buf_put(uint8_t *p, uint32_t n)
{
	int	c;

	if (p == NULL)
		return;
	c = stream_class(n);
	if (c == -1 || (stream_pooled[c] + 1) * n > STREAM_KEEP) {
		free(p);
		return;
	}
	if (stream_pool[c] == NULL)
		stream_pool[c] = xreallocarray(NULL, STREAM_KEEP / n,
		    sizeof *stream_pool[c]);
	stream_pool[c][stream_pooled[c]++] = p;
}

/* Whether byte i of the stream was received. */
static inline bool
stream_has(const struct parse_stream *st, uint32_t i)
{
	return ((st->map[i >> 3] >> (i & 7)) & 1);
}

/* Mark bytes [a, b) as received. */
static void
stream_mark(struct parse_stream *st, uint32_t a, uint32_t b)
{
	for (; a < b && (a & 7) != 0; a++)
		st->map[a >> 3] |= 1 << (a & 7);
	if (b - a >= 8) {
		memset(st->map + (a >> 3), 0xff, (b - a) >> 3);
		a += (b - a) & ~7U;
	}
	for (; a < b; a++)
		st->map[a >> 3] |= 1 << (a & 7);
}

/*
 * Make room for need bytes (need <= max).  A direction that keeps at most
 * STREAM_WHOLE bytes gets all of it at once.
 */
static void
stream_grow(struct parse_stream *st, uint32_t need)
{
	uint32_t	n = st->alloc == 0 ? STREAM_MIN : st->alloc;
	uint32_t	old = (st->alloc + 7) / 8;
	uint8_t		*buf;

	if (need <= st->alloc)
		return;
	if (st->alloc == 0 && st->max <= STREAM_WHOLE)
		need = st->max;
	while (n < need)
		n *= 4;
	while (n / 2 >= st->max && n / 2 >= need && n > STREAM_MIN)
		n /= 2;		/* the smallest power of two holding max */
	buf = parse_buf_get(n);
	if (st->alloc > 0)
		memcpy(buf, st->buf, st->alloc);
	parse_buf_put(st->buf, st->alloc);
	st->buf = buf;
	if (st->map != NULL) {
		st->map = xrealloc(st->map, (n + 7) / 8);
		memset(st->map + old, 0, (n + 7) / 8 - old);
	}
	st->alloc = n;
}

/* Start the map of received bytes: until now everything was in order. */
static void
stream_map(struct parse_stream *st)
{
	st->map = xcalloc(1, (st->alloc + 7) / 8);
	stream_mark(st, 0, st->contig);
}

/* Highest received offset + 1 (0 when nothing was received). */
static uint32_t
stream_end(const struct parse_stream *st)
{
	uint32_t	i;

	if (st->map == NULL)
		return (st->contig);
	for (i = st->alloc; i > st->contig; i--) {
		if (stream_has(st, i - 1))
			return (i);
	}
	return (st->contig);
}

/* Move everything received by shift bytes so an earlier segment fits. */
static void
stream_shift(struct parse_stream *st, uint32_t shift, uint32_t end)
{
	uint8_t		*old;
	uint32_t	 i, n;

	if (st->map == NULL)
		stream_map(st);
	n = (st->alloc + 7) / 8;
	stream_grow(st, end + shift);
	old = xmalloc(n);
	memcpy(old, st->map, n);
	memmove(st->buf + shift, st->buf, end);
	memset(st->map, 0, (st->alloc + 7) / 8);
	for (i = 0; i < end; i++) {
		if ((old[i >> 3] >> (i & 7)) & 1)
			stream_mark(st, i + shift, i + shift + 1);
	}
	free(old);
	st->base -= shift;
	st->contig = 0;
}

/* Place a segment's bytes at seq (relative to the first segment seen). */
void
parse_stream_add(struct parse_stream *st, uint32_t seq, const uint8_t *p,
    uint32_t n)
{
	int32_t		 off;
	uint32_t	 o, end, shift;

	if (n == 0)
		return;
	if (!st->started) {
		st->started = true;
		st->base = seq;
	}
	off = (int32_t)(seq - st->base);
	if (off < 0) {
		shift = (uint32_t)-(int64_t)off;
		end = stream_end(st);
		if (shift < st->max && end <= st->max - shift)
			stream_shift(st, shift, end);
		else if (n <= shift)
			return;
		else {
			p += shift;
			n -= shift;
		}
		off = 0;
	}
	o = (uint32_t)off;
	if (o >= st->max)
		return;
	if (n > st->max - o)
		n = st->max - o;
	stream_grow(st, o + n);
	memcpy(st->buf + o, p, n);
	if (st->map == NULL) {
		if (o <= st->contig) {	/* in order: the usual case */
			if (o + n > st->contig)
				st->contig = o + n;
			return;
		}
		stream_map(st);
	}
	stream_mark(st, o, o + n);
	if (o <= st->contig && o + n > st->contig)
		st->contig = o + n;
	while (st->contig < st->alloc && stream_has(st, st->contig))
		st->contig++;
}
