/*
 * store-int.h - declarations shared by the files of the store only
 * (store.c, retain.c, index.c, select.c, count.c, hist.c).  Nothing
 * outside src/store includes this file.
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

#include <stdatomic.h>

#include "store/record.h"
#include "store/store.h"

/* A kept session in closing order: its id, last packet, record's block. */
struct retain_ent {
	uint64_t	 id;
	uint64_t	 t;		/* ns */
	uint32_t	 blk;		/* see RETAIN_ADOPTED, RETAIN_NOBLK */
};
#define RETAIN_ADOPTED	0x80000000u	/* blk: an adopted block's index */
#define RETAIN_NOBLK	UINT32_MAX	/* blk: a record of its own */

/* Memory freed once readers on other threads can no longer hold it. */
struct retain_limbo {
	void		*p;
	uint64_t	 at;		/* monotonic ns */
};

/*
 * Retention (retain.c): the kept sessions in closing order (a ring), the
 * records still live in each block and each chunk of slots, and what was
 * dropped.  Empty unless store_retain_set() asked for a window.
 */
struct store_retain {
	uint64_t		 age;		/* ns, 0: no age limit */
	uint64_t		 max;		/* sessions, 0: no cap */
	struct retain_ent	*q;
	size_t			 qcap, qhead, qn;
	uint32_t		*blive, *alive;	/* by block, adopted block */
	size_t			 nblive, nalive;
	uint32_t		*clive;		/* by chunk of slots */
	uint64_t		 lastpass;	/* clock of the last pass */
	/* What was there when retention began, never freed by it: records
	   taken before are not counted. */
	size_t			 bfirst, afirst;	/* blocks, adopted */
	uint64_t		 cfirst;	/* chunks below */
	_Atomic uint64_t	 dropped;
	bool			 solo;		/* no reader but the writer */
	struct retain_limbo	*limbo;
	size_t			 nlimbo, caplimbo;
};

#define STORE_CHUNK_BITS	16
#define STORE_CHUNK		(1u << STORE_CHUNK_BITS)
#define STORE_NCHUNK		(1u << 16)

/*
 * Records are cut from blocks of STORE_BLOCK bytes, 2-byte aligned, with
 * no header of their own; a record that may take over STORE_BIG bytes, or
 * one written again when rules are re-applied, is a malloc of its own,
 * which STORE_HEAP in its first byte says.
 */
#define STORE_BLOCK		((size_t)1 << 20)
#define STORE_BIG		((size_t)64 << 10)
#define STORE_HEAP		RECORD_FREE_BIT

struct store {
	_Atomic(uint8_t *)		*chunk[STORE_NCHUNK];	/* by id */
	_Atomic uint64_t		 end;	/* highest id + 1 */
	_Atomic uint64_t		 count;
	_Atomic uint64_t		 gen;	/* records last changed */
	struct session_ctx		 ctx;
	struct meta_reader		 reader;
	struct index			*index;
	bool				 discard;	/* count, keep none */
	uint8_t				**block;
	size_t				 nblock;
	size_t				 used;	/* in the last block */
	uint8_t				**adopted;	/* store_adopt() */
	size_t				 nadopted;
	struct store_retain		 ret;
};


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
	/* A single-valued key's value id + 1 by sessionid (0: none), made
	   by index_column() and good while npost is colpost. */
	uint32_t		*col;
	size_t			 coln;
	uint64_t		 colpost;
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
	uint64_t		*start;		/* index_starts() */
	size_t			 startn;	/* its length */
	size_t			 startdone;	/* added, in start */
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
/* A single-valued key's value ids by sessionid (see struct index_key),
 * brought up to date; NULL for a key with several values a session. */
const uint32_t	*index_column(const struct index *, struct index_key *,
		    int);
/* A value's id in a key's dictionary, or UINT32_MAX. */
uint32_t	 index_lookup(const struct index_key *, const struct mval *);
/* The ids of a posting list in whatever order they are. */
const uint32_t	*index_post_raw(const struct index_post *);

struct index	*store_index(const struct store *);
/* A record's slot, or NULL; set one (release). */
uint8_t		*store_record(const struct store *, uint64_t id);
void		 store_publish(struct store *, uint64_t id, uint8_t *);
/* Mark that records changed. */
void		 store_changed(struct store *);
/* Retention: note a session stored, a block begun; free what was. */
void		 retain_note(struct store *, uint64_t id, uint64_t t,
		    uint32_t blk);
void		 retain_block(struct store *, uint32_t blk);
void		 retain_free(struct store *);
/*
 * Drop sessions from an index that has built nothing yet (no key read, no
 * sizes or starts gathered); false, untouched, when it has.
 */
bool		 index_drop(struct index *, const uint64_t *ids, size_t n);

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
