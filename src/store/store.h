/*
 * store.h - the closed sessions, indexed by sessionid, and the meta reader
 * over them.
 *
 * Contract:
 * - The engine's thread is the only writer: store_add() takes ownership of
 *   a closed session and publishes it (release); readers on other threads
 *   see a session once store_get() returns it (acquire).  Slots never move,
 *   so a reader needs no lock.
 * - Sessions are kept until store_free().
 * - The meta reader's item is a sessionid; an id whose session is not
 *   closed (or never existed) has no values.
 */
#ifndef HUNTCON_STORE_H
#define HUNTCON_STORE_H

#include <stdint.h>

#include "meta/meta.h"
#include "session/session.h"

struct store;

struct store	*store_new(void);
void		 store_free(struct store *);
/* Take a closed session. */
void		 store_add(struct store *, struct session *);
/* A closed session by id, or NULL. */
struct session	*store_get(const struct store *, uint64_t id);
/* The highest id stored plus one: ids run from 1 to this minus one. */
uint64_t	 store_end(const struct store *);
/* Closed sessions stored. */
uint64_t	 store_count(const struct store *);
/* Where the did names and home networks come from. */
void		 store_set_ctx(struct store *, const struct session_ctx *);
/* The meta reader over this store (item = sessionid). */
const struct meta_reader *store_reader(const struct store *);

/* The values of one key among a set of sessions. */
struct vcount {
	struct mval	 v;
	uint64_t	 sessions;
	uint64_t	 size;
	uint64_t	 packets;
};

enum vsort { VSORT_COUNT, VSORT_VALUE, VSORT_SIZE, VSORT_PACKETS };

/*
 * Count the values of key over the sessions for which keep(id) is true
 * (every session when keep is NULL), sorted as asked (largest first, ties
 * by value; VSORT_VALUE ascending).  The caller frees *out.
 */
size_t		 store_count_values(const struct store *, int key,
		    bool (*keep)(uint64_t, void *), void *,
		    enum vsort, struct vcount **out);

#endif
