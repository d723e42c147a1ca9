/* store.c - closed sessions by sessionid, and the meta reader over them. */
/* SPDX-License-Identifier: GPL-3.0-or-later */

#include <stdatomic.h>
#include <stdlib.h>
#include <string.h>

#include "store/record.h"
#include "store/store-int.h"

/* Generations of every store: a value seen once is never seen again. */
static _Atomic uint64_t	 store_gens;

static size_t	store_values(const struct meta_reader *, uint64_t, int,
		    struct mval *, size_t);

/* Mark that records changed (the reader's cache goes stale). */
void
store_changed(struct store *st)
{
	atomic_store_explicit(&st->gen,
	    atomic_fetch_add_explicit(&store_gens, 1, memory_order_relaxed) + 1,
	    memory_order_relaxed);
}

/* Make an empty store. */
struct store *
store_new(void)
{
	struct store	*st;

	st = xcalloc(1, sizeof *st);
	st->end = 1;
	st->reader.values = store_values;
	st->reader.ctx = st;
	st->index = index_new(st, &st->ctx);
	store_changed(st);
	return (st);
}

/* The record of a session, or NULL. */
uint8_t *
store_record(const struct store *st, uint64_t id)
{
	uint64_t			 i = id - 1, c = i >> STORE_CHUNK_BITS;
	_Atomic(uint8_t *)		*chunk;

	if (id == 0 || c >= STORE_NCHUNK || (chunk = st->chunk[c]) == NULL)
		return (NULL);
	return (atomic_load_explicit(&chunk[i & (STORE_CHUNK - 1)],
	    memory_order_acquire));
}

/* Free a store and every session in it. */
void
store_free(struct store *st)
{
	uint8_t		*r;
	uint64_t	 id;
	size_t		 i;

	if (st == NULL)
		return;
	for (id = 1; id < st->end; id++) {
		if ((r = store_record(st, id)) != NULL && (r[0] & STORE_HEAP))
			free(r);
	}
	for (i = 0; i < STORE_NCHUNK; i++)
		free(st->chunk[i]);
	for (i = 0; i < st->nblock; i++)
		free(st->block[i]);
	free(st->block);
	for (i = 0; i < st->nadopted; i++)
		free(st->adopted[i]);
	free(st->adopted);
	retain_free(st);
	index_free(st->index);
	store_changed(st);
	free(st);
}

/* Set the record of id (release: readers see it whole). */
void
store_publish(struct store *st, uint64_t id, uint8_t *r)
{
	uint64_t	 i = id - 1, c = i >> STORE_CHUNK_BITS;

	if (st->chunk[c] == NULL)
		st->chunk[c] = xcalloc(STORE_CHUNK, sizeof *st->chunk[c]);
	atomic_store_explicit(&st->chunk[c][i & (STORE_CHUNK - 1)], r,
	    memory_order_release);
}

/*
 * Room for a record of at most n bytes at the end of the last block (a new
 * block when it does not fit), or NULL when it goes on the heap.
 */
static uint8_t *
store_room(struct store *st, size_t n)
{
	if (n > STORE_BIG)
		return (NULL);
	if (st->nblock == 0 || STORE_BLOCK - st->used < n) {
		st->block = xreallocarray(st->block, st->nblock + 1,
		    sizeof *st->block);
		st->block[st->nblock++] = xmalloc(STORE_BLOCK);
		st->used = 0;
		retain_block(st, (uint32_t)(st->nblock - 1));
	}
	return (st->block[st->nblock - 1] + st->used);
}

/* Take n bytes of the room given last. */
static void
store_took(struct store *st, size_t n)
{
	st->used += (n + 1) & ~(size_t)1;	/* sets want 2-byte alignment */
}

/*
 * Pack s into a new record: in place at the end of the last block, or on
 * the heap when large or asked.
 */
static uint8_t *
store_pack(struct store *st, const struct session *s, bool heap)
{
	size_t		 bound = record_bound(s), n;
	uint8_t		*r;

	if (heap || (r = store_room(st, bound)) == NULL) {
		r = xmalloc(bound);
		n = record_pack(s, r);
		r = xrealloc(r, n);
		r[0] |= STORE_HEAP;
		return (r);
	}
	store_took(st, record_pack(s, r));
	return (r);
}

/* Take a closed session: pack it, publish it, free it. */
void
store_add(struct store *st, struct session *s)
{
	store_add_packed(st, s, NULL);
}

/*
 * The same with its record already packed (record_pack() of s as it
 * is now) in a block the store adopted, kept where it is; NULL packs it
 * here.
 */
void
store_add_packed(struct store *st, struct session *s, const uint8_t *rec)
{
	uint64_t	 id = s->id, c = (id - 1) >> STORE_CHUNK_BITS;
	uint8_t		*r = (uint8_t *)(uintptr_t)rec;
	uint32_t	 blk;

	if (c >= STORE_NCHUNK)
		fatal("more than %llu sessions",
		    (unsigned long long)STORE_NCHUNK * STORE_CHUNK);
	if (!st->discard) {
		index_add(st->index, id);
		if (r != NULL)
			blk = (uint32_t)(st->nadopted - 1) | RETAIN_ADOPTED;
		else if ((r = store_pack(st, s, false))[0] & STORE_HEAP)
			blk = RETAIN_NOBLK;
		else
			blk = (uint32_t)(st->nblock - 1);
		store_publish(st, id, r);
		retain_note(st, id, s->t_last, blk);
	}
	atomic_fetch_add_explicit(&st->count, 1, memory_order_relaxed);
	if (id + 1 > st->end)
		atomic_store_explicit(&st->end, id + 1, memory_order_release);
	session_free(s);
}

/* Take a block of records packed elsewhere; freed with the store. */
void
store_adopt(struct store *st, uint8_t *b)
{
	st->adopted = xreallocarray(st->adopted, st->nadopted + 1,
	    sizeof *st->adopted);
	st->adopted[st->nadopted++] = b;
	retain_block(st, (uint32_t)(st->nadopted - 1) | RETAIN_ADOPTED);
}

/* Whether sessions added are kept. */
bool
store_keeps(const struct store *st)
{
	return (!st->discard);
}

/* Count the sessions added from now on, but keep none of them. */
void
store_discard(struct store *st)
{
	st->discard = true;
}

/* Whether a session is stored. */
bool
store_has(const struct store *st, uint64_t id)
{
	return (store_record(st, id) != NULL);
}

/* A closed session by id, unpacked into buf; or NULL. */
const struct session *
store_get(const struct store *st, uint64_t id, struct session *buf)
{
	const uint8_t	*r = store_record(st, id);

	if (r == NULL)
		return (NULL);
	record_unpack(r, id, buf);
	return (buf);
}

/*
 * Store s (a view from store_get whose meta changed) as session id.  A
 * session whose extra meta is what its record holds keeps its record.
 * Readers must not hold a view of id across this call.
 */
void
store_update(struct store *st, uint64_t id, const struct session *s)
{
	struct session	 old;
	uint8_t		*r = store_record(st, id);

	if (r == NULL)
		return;
	record_unpack(r, id, &old);
	if (session_meta_equal(&old, s))
		return;
	store_publish(st, id, store_pack(st, s, true));
	if (r[0] & STORE_HEAP)
		free(r);
	store_changed(st);
}

/* The highest id stored plus one. */
uint64_t
store_end(const struct store *st)
{
	return (atomic_load_explicit(&st->end, memory_order_acquire));
}

/* Closed sessions stored. */
uint64_t
store_count(const struct store *st)
{
	return (atomic_load_explicit(&st->count, memory_order_relaxed));
}

/* Set where did names and home networks come from. */
void
store_set_ctx(struct store *st, const struct session_ctx *ctx)
{
	st->ctx = *ctx;
	store_changed(st);
	if (store_count(st) > 0)
		store_reindex(st);
}

/* Drop the index and build it again from every stored session. */
void
store_reindex(struct store *st)
{
	uint64_t	 id, end = store_end(st);

	index_free(st->index);
	st->index = index_new(st, &st->ctx);
	for (id = 1; id < end; id++) {
		if (store_has(st, id))
			index_add(st->index, id);
	}
}

/* The index, brought up to date (private to the store's files). */
struct index *
store_index(const struct store *st)
{
	index_sync(st->index);
	return (st->index);
}

/* Index these keys over the next limit sessions (an index reader). */
bool
store_warm(const struct store *st, const int *keys, size_t n, size_t limit)
{
	return (index_warm(store_index(st), keys, n, limit));
}

/* The context did names and home networks come from. */
const struct session_ctx *
store_ctx(const struct store *st)
{
	return (&st->ctx);
}

/* The meta reader over this store. */
const struct meta_reader *
store_reader(const struct store *st)
{
	return (&st->reader);
}

/*
 * Meta reader: the values of a key for a sessionid.  The last session
 * unpacked is kept per thread, since readers ask for one session's keys
 * one after another.
 */
static size_t
store_values(const struct meta_reader *r, uint64_t id, int key,
    struct mval *out, size_t max)
{
	static _Thread_local struct {
		uint64_t	 gen, id;
		struct session	 s;
	}			 last;
	const struct store	*st = r->ctx;
	uint64_t		 gen = atomic_load_explicit(&st->gen,
				    memory_order_relaxed);

	if (key < 0)
		return (0);
	if (last.gen != gen || last.id != id) {
		if (store_get(st, id, &last.s) == NULL)
			return (0);
		last.gen = gen;
		last.id = id;
	}
	return (session_values(&last.s, &st->ctx, key, out, max));
}
