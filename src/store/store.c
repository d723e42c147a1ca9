/* store.c - closed sessions by sessionid, and the meta reader over them. */
/* SPDX-License-Identifier: GPL-3.0-or-later */

#include <stdatomic.h>
#include <stdlib.h>
#include <string.h>

#include "store/store-int.h"

#define STORE_CHUNK_BITS	16
#define STORE_CHUNK		(1u << STORE_CHUNK_BITS)
#define STORE_NCHUNK		(1u << 16)

struct store {
	_Atomic(struct session *)	*chunk[STORE_NCHUNK];
	_Atomic uint64_t		 end;	/* highest id + 1 */
	_Atomic uint64_t		 count;
	struct session_ctx		 ctx;
	struct meta_reader		 reader;
	struct index			*index;
	bool				 discard;	/* count, keep nothing */
};

static size_t	store_values(const struct meta_reader *, uint64_t, int,
		    struct mval *, size_t);

/* Make an empty store. */
struct store *
store_new(void)
{
	struct store	*st;

	st = xcalloc(1, sizeof *st);
	st->end = 1;
	st->reader.values = store_values;
	st->reader.ctx = st;
	st->index = index_new(&st->ctx);
	return (st);
}

/* Free a store and every session in it. */
void
store_free(struct store *st)
{
	uint64_t	 id;
	size_t		 i;

	if (st == NULL)
		return;
	for (id = 1; id < st->end; id++)
		session_free(store_get(st, id));
	for (i = 0; i < STORE_NCHUNK; i++)
		free(st->chunk[i]);
	index_free(st->index);
	free(st);
}

/* Take and publish a closed session. */
void
store_add(struct store *st, struct session *s)
{
	uint64_t	 i = s->id - 1, c = i >> STORE_CHUNK_BITS;

	if (c >= STORE_NCHUNK)
		fatal("more than %llu sessions",
		    (unsigned long long)STORE_NCHUNK * STORE_CHUNK);
	if (st->discard) {
		atomic_fetch_add_explicit(&st->count, 1, memory_order_relaxed);
		session_free(s);
		return;
	}
	if (st->chunk[c] == NULL)
		st->chunk[c] = xcalloc(STORE_CHUNK, sizeof *st->chunk[c]);
	index_add(st->index, s);
	atomic_store_explicit(&st->chunk[c][i & (STORE_CHUNK - 1)], s,
	    memory_order_release);
	atomic_fetch_add_explicit(&st->count, 1, memory_order_relaxed);
	if (s->id + 1 > st->end)
		atomic_store_explicit(&st->end, s->id + 1, memory_order_release);
}

/* Count the sessions added from now on, but keep none of them. */
void
store_discard(struct store *st)
{
	st->discard = true;
}

/* A closed session by id, or NULL. */
struct session *
store_get(const struct store *st, uint64_t id)
{
	uint64_t			 i = id - 1, c = i >> STORE_CHUNK_BITS;
	_Atomic(struct session *)	*chunk;

	if (id == 0 || c >= STORE_NCHUNK || (chunk = st->chunk[c]) == NULL)
		return (NULL);
	return (atomic_load_explicit(&chunk[i & (STORE_CHUNK - 1)],
	    memory_order_acquire));
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
	if (store_count(st) > 0)
		store_reindex(st);
}

/* Drop the index and build it again from every stored session. */
void
store_reindex(struct store *st)
{
	const struct session	*s;
	uint64_t		 id, end = store_end(st);

	index_free(st->index);
	st->index = index_new(&st->ctx);
	for (id = 1; id < end; id++) {
		if ((s = store_get(st, id)) != NULL)
			index_add(st->index, s);
	}
}

/* The index, brought up to date (private to the store's files). */
struct index *
store_index(const struct store *st)
{
	index_sync(st->index);
	return (st->index);
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

/* Meta reader: the values of a key for a sessionid. */
static size_t
store_values(const struct meta_reader *r, uint64_t id, int key,
    struct mval *out, size_t max)
{
	const struct store	*st = r->ctx;
	const struct session	*s = store_get(st, id);

	if (s == NULL)
		return (0);
	if (key < 0)
		return (0);
	return (session_values(s, &st->ctx, key, out, max));
}
