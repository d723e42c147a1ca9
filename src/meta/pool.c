/*
 * pool.c - the bytes of meta values, kept once per distinct byte string.
 *
 * Parsers and rules write the same few thousand host names, user agents,
 * cipher names and rule names into hundreds of thousands of sessions; a
 * session keeps a 32-bit id into this pool instead of its own copy.
 * Entries live in chunks that never move or shrink, for the life of the
 * process, so a value's text pointer stays valid for every reader.
 */
/* SPDX-License-Identifier: GPL-3.0-or-later */

#include <stdlib.h>
#include <string.h>

#include <xxhash.h>

#include "meta/meta.h"
#include "util/util.h"

/*
 * An id is the entry's offset / 4 within its chunk, below the chunk's
 * number: 2^18 words (1 MiB) a chunk, 2^14 chunks.  An entry is its length
 * (uint32), the bytes and a NUL, padded to 4.  An entry longer than a
 * chunk gets a chunk of its own.
 */
#define POOL_WBITS	18
#define POOL_CHUNK	((size_t)4 << POOL_WBITS)
#define POOL_NCHUNK	(1u << 14)

static char	*pool_chunk[POOL_NCHUNK];
static uint32_t	 pool_nchunk;		/* chunks in use */
static size_t	 pool_used;		/* bytes used in the last chunk */
static size_t	 pool_room;		/* its size */

/*
 * The last id seen per hash bucket, small enough to stay in the cache: most
 * values written are a few hot strings (cipher names, user agents, common
 * host names), found here without touching the big table.
 */
#define POOL_FRONT	8192
static struct {
	uint64_t	 hash;
	uint32_t	 id;		/* + 1; 0 is empty */
} pool_front[POOL_FRONT];

/* Dedupe table: hash tag << 32 | (id + 1); 0 is empty. */
static uint64_t	*pool_slot;
static size_t	 pool_mask;		/* slots - 1 */
static size_t	 pool_n;		/* entries */

/* The entry of an id. */
static inline const char *
pool_entry(uint32_t id)
{
	return (pool_chunk[id >> POOL_WBITS] +
	    ((size_t)(id & ((1u << POOL_WBITS) - 1)) << 2));
}

/* The bytes of an id (NUL-terminated) and their length. */
const char *
meta_pool_get(uint32_t id, uint32_t *n)
{
	const char	*e = pool_entry(id);

	memcpy(n, e, sizeof *n);
	return (e + sizeof *n);
}

/* Copy bytes into a new entry; returns its id. */
static uint32_t
pool_store(const void *p, uint32_t n)
{
	size_t		 need = (sizeof n + (size_t)n + 1 + 3) & ~(size_t)3;
	char		*e;
	uint32_t	 id;

	if (pool_nchunk == 0 || pool_room - pool_used < need) {
		if (pool_nchunk == POOL_NCHUNK)
			fatal("too many distinct meta values");
		pool_room = need > POOL_CHUNK ? need : POOL_CHUNK;
		pool_chunk[pool_nchunk++] = xmalloc(pool_room);
		pool_used = 0;
	}
	id = (pool_nchunk - 1) << POOL_WBITS | (uint32_t)(pool_used >> 2);
	e = pool_chunk[pool_nchunk - 1] + pool_used;
	memcpy(e, &n, sizeof n);
	if (n > 0)
		memcpy(e + sizeof n, p, n);
	e[sizeof n + n] = '\0';
	pool_used += need;
	if (pool_room > POOL_CHUNK)
		pool_used = pool_room;	/* a chunk of its own: full */
	return (id);
}

/* Double the dedupe table. */
static void
pool_grow(void)
{
	uint64_t	*old = pool_slot;
	size_t		 i, j, oldn = old == NULL ? 0 : pool_mask + 1;
	const char	*e;
	uint32_t	 n;

	pool_mask = oldn == 0 ? 1023 : 2 * oldn - 1;
	pool_slot = xcalloc(pool_mask + 1, sizeof *pool_slot);
	for (i = 0; i < oldn; i++) {
		if (old[i] == 0)
			continue;
		e = meta_pool_get((uint32_t)old[i] - 1, &n);
		j = XXH3_64bits(e, n) & pool_mask;
		while (pool_slot[j] != 0)
			j = (j + 1) & pool_mask;
		pool_slot[j] = old[i];
	}
	free(old);
}

/* The id of these bytes, adding them when new. */
uint32_t
meta_pool_put(const void *p, uint32_t n)
{
	uint64_t	 h, tag;
	uint32_t	 id, have;
	const char	*e;
	size_t		 i, f;

	h = XXH3_64bits(p, n);
	f = (h >> 32) % POOL_FRONT;
	if (pool_front[f].hash == h && pool_front[f].id != 0) {
		e = meta_pool_get(pool_front[f].id - 1, &have);
		if (have == n && memcmp(e, p, n) == 0)
			return (pool_front[f].id - 1);
	}
	if (2 * (pool_n + 1) > pool_mask + 1 || pool_slot == NULL)
		pool_grow();
	tag = h & 0xffffffff00000000ULL;
	for (i = h & pool_mask; pool_slot[i] != 0; i = (i + 1) & pool_mask) {
		if ((pool_slot[i] & 0xffffffff00000000ULL) != tag)
			continue;
		id = (uint32_t)pool_slot[i] - 1;
		e = meta_pool_get(id, &have);
		if (have == n && memcmp(e, p, n) == 0)
			goto found;
	}
	id = pool_store(p, n);
	pool_slot[i] = tag | ((uint64_t)id + 1);
	pool_n++;
found:
	pool_front[f].hash = h;
	pool_front[f].id = id + 1;
	return (id);
}
