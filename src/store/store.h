/*
 * store.h - the closed sessions, indexed by sessionid, and the meta reader
 * over them.
 *
 * Contract:
 * - The engine's thread is the only writer: store_add() takes a closed
 *   session, keeps it as a compact record (record_pack) and frees
 *   it; the record is published (release) and readers on other threads see
 *   it once store_get() unpacks it (acquire).  Records never move, so a
 *   reader needs no lock.
 * - Sessions are kept until store_free(), or until retention drops them
 *   (retain.c, store_retain_set()): then the id has no record, and the
 *   memory is freed a second after (at once after store_solo()), so a
 *   reader on another thread must not hold a view longer than that.
 * - The meta reader's item is a sessionid; an id whose session is not
 *   closed (or never existed) has no values.
 * - An index (index.c) is built as sessions are added: per key (all but
 *   the per-session measures sessionid, time, lifetime, size, payload,
 *   requestpayload, responsepayload, payload.ratio.req, packets,
 *   session.first) a dictionary of values and a list of sessionids per
 *   value.  A key is indexed when it is first read, over every session
 *   added since (rule- and parser-written keys included); meta changed
 *   later (rules re-applied, store_set_ctx() with other home networks)
 *   needs store_reindex().
 * - Index readers (store_select, store_count_ids, store_count_top and
 *   store_count_values without keep) bring the index up to date and so
 *   mutate it: call them on the engine's thread or once ingest is over or
 *   paused, one thread at a time.
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
/* The same with its record already packed from s as it is, in a block
   given to store_adopt() (kept where it is), or NULL to pack it. */
void		 store_add_packed(struct store *, struct session *,
		    const uint8_t *);
/* Take a block (malloc) of records packed elsewhere, to free with the
   store. */
void		 store_adopt(struct store *, uint8_t *);
/* Whether sessions added are kept (not after store_discard()). */
bool		 store_keeps(const struct store *);
/*
 * Count the sessions added from now on but free them at once (a run that
 * only wants --stats); store_count() goes on counting, nothing is kept.
 */
void		 store_discard(struct store *);
/* Whether a session is stored. */
bool		 store_has(const struct store *, uint64_t id);
/*
 * A closed session by id, unpacked into buf (a read-only view, valid until
 * the session is updated), or NULL.
 */
const struct session *store_get(const struct store *, uint64_t id,
		    struct session *buf);
/*
 * Store a view whose extra meta changed (rules re-applied): call
 * session_meta_own() on it first, session_meta_free() after.  Not while
 * another thread reads the store.
 */
void		 store_update(struct store *, uint64_t id,
		    const struct session *);
/* The highest id stored plus one: ids run from 1 to this minus one. */
uint64_t	 store_end(const struct store *);
/* Closed sessions taken (those dropped since included). */
uint64_t	 store_count(const struct store *);
/* Where the did names and home networks come from. */
void		 store_set_ctx(struct store *, const struct session_ctx *);
/* That context (owned by the store; stable for the store's life). */
const struct session_ctx *store_ctx(const struct store *);
/* The meta reader over this store (item = sessionid). */
const struct meta_reader *store_reader(const struct store *);
/*
 * Retention (retain.c): keep the sessions whose last packet is at most age
 * ns older than the clock (0: any age), at most max of them (0: no cap),
 * the newest by closing order.  store_retain() drops the others, on the
 * writer's thread; between exact passes it runs only now and then.
 */
void		 store_retain_set(struct store *, uint64_t age, uint64_t max);
void		 store_retain(struct store *, uint64_t now, bool exact);
/* No reader runs on another thread: free dropped memory at once. */
void		 store_solo(struct store *);
/* Sessions dropped by retention; kept now; the window set. */
uint64_t	 store_dropped(const struct store *);
uint64_t	 store_kept(const struct store *);
void		 store_window(const struct store *, uint64_t *age,
		    uint64_t *max);
/* Drop the index and build it again (after meta changed). */
void		 store_reindex(struct store *);

/*
 * Index these keys over at most limit more sessions, one pass for all of
 * them (as their first readers would, one key at a time), and gather the
 * sizes once they are done; true then.  An index reader.
 */
bool		 store_warm(const struct store *, const int *, size_t,
		    size_t limit);

struct query;
/*
 * The sessionids matching a query (NULL or empty: every session), in
 * ascending order, into *ids (caller frees; never NULL).  Returns how many.
 */
size_t		 store_select(const struct store *, const struct query *,
		    uint32_t **ids);

/*
 * How far a long store_select_progress is, and a way to stop it.  done
 * counts the values tested one by one and the sessions verified with the
 * query; total is what is known to come (it is set at the start and set
 * again once the sessions to verify are known).  poll, when not NULL, is
 * called on the selecting thread after every few tests (a regex test is
 * bounded by its match limit); setting cancel there stops the selection,
 * which then returns no ids.  poll must not call index readers.
 */
struct store_progress {
	uint64_t	 done, total;
	bool		 cancel;
	void		(*poll)(struct store_progress *, void *);
	void		*arg;
};
/* store_select, watched through prog (may be NULL). */
size_t		 store_select_progress(const struct store *,
		    const struct query *, uint32_t **ids,
		    struct store_progress *);

/* The values of one key among a set of sessions. */
struct vcount {
	struct mval	 v;
	uint64_t	 sessions;
	uint64_t	 size;
	uint64_t	 packets;
};

enum vsort { VSORT_COUNT, VSORT_VALUE, VSORT_SIZE, VSORT_PACKETS };
/*
 * The order of counts (a qsort_r comparator, arg an enum vsort *): the
 * measure, largest first, then the value.
 */
int		 vcount_cmp(const void *, const void *, void *);

/*
 * Count the values of key over the sessions for which keep(id) is true
 * (every session when keep is NULL), sorted as asked (largest first, ties
 * by value; VSORT_VALUE ascending).  The caller frees *out.
 */
size_t		 store_count_values(const struct store *, int key,
		    bool (*keep)(uint64_t, void *), void *,
		    enum vsort, struct vcount **out);
/*
 * Count the values of key over the sessions ids[0..n-1] (ascending, as
 * store_select gives them; ids NULL: every session), sorted as
 * store_count_values sorts.  Text values of indexed keys show the spelling
 * of the lowest sessionid in the store and point into the index: they live
 * until the next store_reindex() or store_free().  The caller frees *out.
 */
size_t		 store_count_ids(const struct store *, int key,
		    const uint32_t *ids, size_t n, enum vsort,
		    struct vcount **out);
/* The same, keeping only the first top values (the Navigate pane). */
size_t		 store_count_top(const struct store *, int key,
		    const uint32_t *ids, size_t n, enum vsort, size_t top,
		    struct vcount **out);
/*
 * The same over a set given also as a bitmap by sessionid (bits, nbits
 * bits; NULL or too short: made from ids), and the number of distinct
 * values among the sessions in *total (NULL: not wanted).  The console
 * keeps both forms of its path's set.
 */
size_t		 store_count_set(const struct store *, int key,
		    const uint32_t *ids, size_t n, const uint64_t *bits,
		    uint64_t nbits, enum vsort, size_t top,
		    struct vcount **out, size_t *total);

/*
 * Sessions over time: how many sessions start in each bucket.  Bucket i
 * holds the starts in [first + i * bucket, first + (i + 1) * bucket);
 * every bucket from the earliest start to the latest is there, empty or
 * not (n is 0 when there are no sessions).
 */
#define STORE_HIST_MAX	1000000
struct store_hist {
	uint64_t	 first;		/* ns, a multiple of bucket */
	uint64_t	 bucket;	/* ns */
	size_t		 n;
	uint64_t	*count;		/* caller frees */
	uint64_t	 max;		/* the largest count */
};
/*
 * Count the sessions ids[0..n-1] (NULL: every session) by start time in
 * buckets of bucket ns (0: the smallest of 1 s, 2 s, 5 s ... 1 year giving
 * at most max buckets); false with *cause past STORE_HIST_MAX buckets.
 * An index reader.
 */
bool		 store_histogram(const struct store *, const uint32_t *ids,
		    size_t n, uint64_t bucket, size_t max, struct store_hist *,
		    char **cause);
/* The bucket store_histogram picks for starts from lo to hi. */
uint64_t	 store_hist_bucket(uint64_t lo, uint64_t hi, size_t max);
/*
 * The empty buckets store_histogram fills, for starts from lo to hi (any:
 * there are some; else one empty bucket), for another store that counts
 * them; false with *cause past STORE_HIST_MAX.
 */
bool		 store_hist_span(struct store_hist *, bool any, uint64_t lo,
		    uint64_t hi, uint64_t bucket, size_t max, char **cause);

#endif
