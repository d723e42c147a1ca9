/* posidx.c - where each record of a file starts, a few bytes a record. */
/* SPDX-License-Identifier: GPL-3.0-or-later */

#include <stdlib.h>
#include <string.h>

#include "capture/capture-int.h"
#include "util/util.h"

/*
 * Records come in chunks of POSIDX_CHUNK: a chunk's first offset is kept
 * whole, the others as varint steps from the record before (a record's
 * length and any blocks between: 1 or 2 bytes for most packets).  Finding
 * a record decodes at most POSIDX_CHUNK - 1 steps.
 */
#define POSIDX_CHUNK	64

struct posidx_chunk {
	uint64_t	 first;		/* offset of its first record */
	size_t		 at;		/* its steps' start in steps */
	bool		 inexact;	/* its steps may be wrong: walk */
};

struct posidx {
	struct posidx_chunk	*chunk;
	size_t			 nchunks, chunkcap;
	uint8_t			*steps;
	size_t			 len, cap;
	uint64_t		 n;		/* records */
	uint64_t		 last;		/* the last record's offset */
};

/* Make an empty index. */
struct posidx *
posidx_new(void)
{
	return (xcalloc(1, sizeof (struct posidx)));
}

/* Free an index. */
void
posidx_free(struct posidx *ix)
{
	if (ix == NULL)
		return;
	free(ix->chunk);
	free(ix->steps);
	free(ix);
}

/* Append the offset of the next record (offsets only grow). */
void
posidx_add(struct posidx *ix, uint64_t off)
{
	struct posidx_chunk	*ch;

	if (ix->n % POSIDX_CHUNK == 0) {
		if (ix->nchunks == ix->chunkcap) {
			ix->chunkcap = ix->chunkcap == 0 ? 64 : ix->chunkcap * 2;
			ix->chunk = xreallocarray(ix->chunk, ix->chunkcap,
			    sizeof *ix->chunk);
		}
		ch = &ix->chunk[ix->nchunks++];
		ch->first = off;
		ch->at = ix->len;
		ch->inexact = false;
	} else {
		if (ix->cap - ix->len < 10) {
			ix->cap = ix->cap == 0 ? 4096 : ix->cap * 2;
			ix->steps = xrealloc(ix->steps, ix->cap);
		}
		ix->len += varint_put(ix->steps + ix->len, off - ix->last);
	}
	ix->last = off;
	ix->n++;
}

/* Records in the index. */
uint64_t
posidx_count(const struct posidx *ix)
{
	return (ix == NULL ? 0 : ix->n);
}

/*
 * Say that the steps of the records from record k on may be wrong (the
 * reader counted them and found later that it was off): their chunks are
 * walked from their start.
 */
void
posidx_inexact(struct posidx *ix, uint64_t k)
{
	size_t	 i;

	for (i = (size_t)(k / POSIDX_CHUNK); i < ix->nchunks; i++)
		ix->chunk[i].inexact = true;
}

/*
 * Where to find record k: the offset to seek to and how many records to
 * read and pass over from there (0 but in an inexact chunk).  False when
 * there is no such record.
 */
bool
posidx_get(const struct posidx *ix, uint64_t k, uint64_t *off,
    unsigned int *skip)
{
	const struct posidx_chunk	*ch;
	const uint8_t			*p, *end;
	uint64_t			 step, i;

	if (ix == NULL || k >= ix->n)
		return (false);
	ch = &ix->chunk[k / POSIDX_CHUNK];
	*off = ch->first;
	*skip = 0;
	if (ch->inexact) {
		*skip = (unsigned int)(k % POSIDX_CHUNK);
		return (true);
	}
	p = ix->steps + ch->at;
	end = ix->steps + ix->len;
	for (i = 0; i < k % POSIDX_CHUNK; i++) {
		p += varint_get(p, end, &step);
		*off += step;
	}
	return (true);
}

/* Bytes the index holds (for the memory figures). */
size_t
posidx_size(const struct posidx *ix)
{
	return (ix == NULL ? 0 : sizeof *ix + ix->chunkcap *
	    sizeof *ix->chunk + ix->cap);
}
