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
 * parsers keep per session, this belongs to the engine's thread; the
 * stacks are the context's (pc->bufs, pc->nbufs).
 */
#define STREAM_CLASSES	PARSE_BUF_CLASSES
#define STREAM_KEEP	(8u << 20)	/* bytes kept per size */

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
parse_buf_get(struct parse_ctx *pc, uint32_t n)
{
	int	c = stream_class(n);

	if (c == -1 || pc->nbufs[c] == 0)
		return (xmalloc(n));
	return (pc->bufs[c][--pc->nbufs[c]]);
}

/* Give a buffer of n bytes back. */
void
parse_buf_put(struct parse_ctx *pc, uint8_t *p, uint32_t n)
{
	int	c;

	if (p == NULL)
		return;
	c = stream_class(n);
	if (c == -1 || (pc->nbufs[c] + 1) * n > STREAM_KEEP) {
		free(p);
		return;
	}
	if (pc->bufs[c] == NULL)
		pc->bufs[c] = xreallocarray(NULL, STREAM_KEEP / n,
		    sizeof *pc->bufs[c]);
	pc->bufs[c][pc->nbufs[c]++] = p;
}

/* Free the buffers a context keeps. */
void
parse_bufs_free(struct parse_ctx *pc)
{
	int	c;

	for (c = 0; c < STREAM_CLASSES; c++) {
		while (pc->nbufs[c] > 0)
			free(pc->bufs[c][--pc->nbufs[c]]);
		free(pc->bufs[c]);
		pc->bufs[c] = NULL;
	}
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
stream_grow(struct parse_ctx *pc, struct parse_stream *st, uint32_t need)
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
	buf = parse_buf_get(pc, n);
	if (st->alloc > 0)
		memcpy(buf, st->buf, st->alloc);
	parse_buf_put(pc, st->buf, st->alloc);
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

/*
 * Move everything received up by shift bytes: the base moves down to an
 * earlier segment.  What no longer fits below max is dropped.
 */
static void
stream_shift(struct parse_ctx *pc, struct parse_stream *st, uint32_t shift)
{
	uint8_t		*old;
	uint32_t	 i, n, end = stream_end(st);

	st->base -= shift;
	if (st->alloc == 0)
		return;
	if (end > st->max - shift)
		end = st->max - shift;
	if (st->map == NULL)
		stream_map(st);
	n = (st->alloc + 7) / 8;
	stream_grow(pc, st, end + shift);
	old = xmalloc(n);
	memcpy(old, st->map, n);
	memmove(st->buf + shift, st->buf, end);
	memset(st->map, 0, (st->alloc + 7) / 8);
	for (i = 0; i < end; i++) {
		if ((old[i >> 3] >> (i & 7)) & 1)
			stream_mark(st, i + shift, i + shift + 1);
	}
	free(old);
	st->contig = 0;
}

/*
 * Store the bytes of [o, o + n) not received yet (the first copy of a
 * byte wins) and extend the contiguous prefix.
 */
static void
stream_place(struct parse_ctx *pc, struct parse_stream *st, uint32_t o,
    const uint8_t *p, uint32_t n)
{
	uint32_t	i, j, lim;

	stream_grow(pc, st, o + n);
	if (st->map == NULL)
		stream_map(st);
	for (i = o; i < o + n; i = j) {
		for (j = i; j < o + n && stream_has(st, j); j++)
			;
		for (i = j; j < o + n && !stream_has(st, j); j++)
			;
		if (j > i) {
			memcpy(st->buf + i, p + (i - o), j - i);
			stream_mark(st, i, j);
		}
	}
	lim = st->alloc < st->max ? st->alloc : st->max;
	while (st->contig < lim && stream_has(st, st->contig))
		st->contig++;
}

/*
 * Fix offset 0 of a direction at the sequence number after its first
 * SYN's, unless bytes were placed already (then the lowest one seen stays).
 */
void
parse_stream_anchor(struct parse_stream *st, uint32_t isn)
{
	if (st->started || st->anchored)
		return;
	st->base = isn + 1;
	st->anchored = true;
}

/*
 * Place a segment's bytes at seq, relative to the base: the handshake's
 * ISN + 1, or else the lowest sequence number seen so far (moved down
 * when a segment before it comes, as far as max allows).  Offsets are
 * serial numbers (RFC 1982), so sequence numbers may wrap.
 */
void
parse_stream_add(struct parse_ctx *pc, struct parse_stream *st, uint32_t seq,
    const uint8_t *p, uint32_t n)
{
	int32_t		 off;
	uint32_t	 o, skip;

	if (n == 0)
		return;
	if (!st->started) {
		st->started = true;
		if (!st->anchored)
			st->base = seq;
	}
	off = (int32_t)(seq - st->base);
	if (off < 0) {
		skip = (uint32_t)-(int64_t)off;
		if (!st->anchored && skip < st->max)
			stream_shift(pc, st, skip);
		else if (n <= skip)
			return;
		else {
			p += skip;
			n -= skip;
		}
		off = 0;
	}
	o = (uint32_t)off;
	if (o >= st->max)
		return;
	if (n > st->max - o)
		n = st->max - o;
	if (st->map == NULL && o <= st->contig) {	/* in order: usual */
		if (o + n <= st->contig)
			return;		/* a retransmission */
		stream_grow(pc, st, o + n);
		memcpy(st->buf + st->contig, p + (st->contig - o),
		    o + n - st->contig);
		st->contig = o + n;
		return;
	}
	stream_place(pc, st, o, p, n);
}

/* Whether both directions hold all the bytes their protocol reads. */
bool
parse_streams_full(const struct parse_state *ps)
{
	return (ps->st[0].contig >= ps->st[0].max &&
	    ps->st[1].contig >= ps->st[1].max);
}
