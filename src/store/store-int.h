/*
 * store-int.h - declarations shared by the files of the store only
 * (store.c, index.c, select.c, count.c).  Nothing outside src/store
 * includes this file.
 *
 * The index keeps, per indexed key, a value dictionary (value -> value id,
 * text folded for lookup, first-seen spelling in sessionid order kept) and
 * per value id a posting list of sessionids in closing order (selections
 * and counts go through bitmaps, so the order never matters).  It also keeps a bitmap
 * of the ids present and each session's size and packets by id, so that
 * counts and selections need not touch the sessions.
 */
#ifndef HUNTCON_STORE_INT_H
#define HUNTCON_STORE_INT_H

#include "store/store.h"

/* Sessionids with one value of a key; at most two are kept inline. */
struct index_post {
	uint32_t	 n;
	uint32_t	 cap;		/* 0: inline in v.in */
	union {
		uint32_t	 in[2];
		uint32_t	*heap;
	} v;
};

/* What the index keeps per value besides the value itself. */
struct index_val {
	struct index_post	 post;
	uint64_t		 size;	/* summed session size */
	uint64_t		 packets;
	uint32_t		 minid;	/* lowest sessionid */
};

/* One indexed key: its dictionary and posting lists, by value id. */
struct index_key {
	struct mval		*val;	/* text in the index's arena */
	struct index_val	*iv;
	uint32_t		*slot;	/* hash: value id + 1, 0 empty */
	uint32_t		 nval, capval;
	uint32_t		 nslot;	/* power of two, or 0 */
	uint32_t		 last;	/* value id + 1 added last, or 0 */
	uint32_t		 seen;	/* sessionid counted in nsess last */
	uint64_t		 nsess;	/* sessions with the key */
	uint64_t		 npost;	/* posting entries in all */
	size_t			 done;	/* sessions of x->added indexed here */
};

/* A session's size and packets, by id. */
struct index_sp {
	uint64_t	 size;
	uint64_t	 packets;
};

/*
 * The whole index.  Keys are indexed lazily: store_add only records the
 * session (and its size and packets by id); the first reader of a key
 * indexes every session added since that key was last read.  Ingest pays
 * nothing for keys nobody asks about.
 */
struct index {
	const struct store	*st;
	const struct session_ctx *ctx;
	uint32_t		*added;		/* sessionids, in adding order */
	size_t			 nadded, capadded;
	struct index_key	*key;	/* by key id; unindexed keys empty */
	int			 nkeys;
	uint64_t		*present;	/* bitmap by sessionid */
	struct index_sp		*sp;		/* by sessionid: index_sizes() */
	size_t			 spn;		/* its length */
	size_t			 spdone;	/* of added, in sp */
	uint64_t		*start;		/* by sessionid: index_starts() */
	size_t			 startn;	/* its length */
	size_t			 startdone;	/* of added, in start */
	size_t			 nwords;	/* of present */
	uint64_t		 nsess;
	char			**chunk;	/* text arena */
	size_t			 nchunk;
	size_t			 used;		/* in the last chunk */
	size_t			 chunkcap;	/* of the last chunk */
};

struct index	*index_new(const struct store *, const struct session_ctx *);
void		 index_free(struct index *);
/* Queue a session; its keys are indexed when first read. */
void		 index_add(struct index *, uint64_t id);
/* Bring these keys up to date, a slice of sessions at a time. */
bool		 index_warm(const struct index *, const int *, size_t, size_t);
/* Size and packets by sessionid, brought up to date. */
const struct index_sp *index_sizes(const struct index *);
/* Start times (ns) by sessionid, brought up to date. */
const uint64_t	*index_starts(const struct index *);
/* Make sure the key table covers every registered key. */
void		 index_sync(struct index *);
bool		 index_indexed(int);
/*
 * The indexed key, brought up to date with every session added, or NULL
 * for a key that is not indexed.  Reading mutates the index: see store.h.
 */
struct index_key *index_key_get(const struct index *, int);
/* A value's id in a key's dictionary, or UINT32_MAX. */
uint32_t	 index_lookup(const struct index_key *, const struct mval *);
/* The ids of a posting list in whatever order they are. */
const uint32_t	*index_post_raw(const struct index_post *);

struct index	*store_index(const struct store *);

/* Bitmap helpers. */
static inline void
bits_set(uint64_t *b, uint32_t id)
{
	b[id >> 6] |= 1ULL << (id & 63);
}

static inline bool
bits_has(const uint64_t *b, uint32_t id)
{
	return ((b[id >> 6] >> (id & 63)) & 1);
}

#endif
