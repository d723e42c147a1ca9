/*
 * defrag.c - IPv4 and IPv6 fragment reassembly.
 *
 * A datagram's payload is tracked in 8-byte blocks (fragment offsets are
 * multiples of 8) with two bitmaps: blocks received and blocks fully
 * captured.  As Linux does, a fragment that is not the last has its length
 * rounded down to a multiple of 8.  The first bytes received for a block win;
 * later overlapping bytes are ignored, and so is a second "last" fragment.
 * The datagram completes when the last fragment is in and every block below
 * its end has arrived; its captured length is the prefix of fully captured
 * blocks (a fragment cut by the snap length still completes the datagram).
 *
 * Memory is bounded: at most DEFRAG_INFLIGHT datagrams, DEFRAG_MAXFRAGS
 * fragments each and DEFRAG_MAXBYTES of buffers in all; past a bound the
 * oldest datagram (or the one that passed it) is dropped and its fragments
 * reported as incomplete at the next expire.
 */

#include <stdlib.h>
#include <string.h>

#include "decode/defrag.h"
#include "util/util.h"

#define DEFRAG_INFLIGHT	4096		/* datagrams held; also hash buckets */
#define DEFRAG_MAXFRAGS	1024		/* fragments held for one datagram */
#define DEFRAG_MAXBYTES	(64u << 20)	/* buffer bytes for all datagrams */
#define DEFRAG_CHUNK	2048		/* buffer growth granularity */

/* One datagram being reassembled (or dropped, waiting to be reported). */
struct dgram {
	struct dgram	*hnext;		/* hash chain */
	struct dgram	*prev, *next;	/* age list, oldest first; dead list */
	struct defrag_key key;
	uint32_t	 hash;
	uint64_t	 t0;		/* capture clock at the first fragment */
	struct decoded	 first;		/* decoded state of the first fragment */

	struct pkt_ref	*refs;		/* arrival order */
	size_t		 nrefs, refcap;

	uint8_t		*data;
	uint64_t	*have;		/* blocks received */
	uint64_t	*full;		/* blocks whose bytes were all captured */
	uint32_t	 cap;		/* bytes of data, a multiple of 512 */
	uint32_t	 nhave;		/* blocks received (below total if last) */
	uint32_t	 total;		/* payload length, once last is true */
	bool		 last;
};

struct defrag {
	struct decode_config cfg;
	struct dgram	*table[DEFRAG_INFLIGHT];
	struct dgram	*old, *young;	/* age list */
	struct dgram	*dead, *deadtail;	/* dropped, to report */
	struct dgram	*done;		/* completed, valid until release */
	size_t		 n;		/* datagrams in the table */
	size_t		 bytes;		/* buffer bytes held */
	uint64_t	 clock;		/* largest timestamp seen */
};

/* Create an empty reassembly table. */
struct defrag *
defrag_new(const struct decode_config *cfg)
{
	struct defrag	*df;

	df = xcalloc(1, sizeof *df);
	df->cfg = *cfg;
	return (df);
}

/* Free a datagram's buffers, keeping its fragment list. */
static void
defrag_strip(struct defrag *df, struct dgram *dg)
{
	df->bytes -= dg->cap + 2 * (size_t)(dg->cap / 512) * sizeof *dg->have;
	free(dg->data);
	free(dg->have);
	free(dg->full);
	dg->data = NULL;
	dg->have = dg->full = NULL;
	dg->cap = 0;
}

/* Free a datagram completely. */
static void
defrag_destroy(struct defrag *df, struct dgram *dg)
{
	defrag_strip(df, dg);
	free(dg->refs);
	free(dg);
}

/* Free the table and everything it holds, reporting nothing. */
void
defrag_free(struct defrag *df)
{
	struct dgram	*dg, *next;

	if (df == NULL)
		return;
	defrag_release(df);
	for (dg = df->old; dg != NULL; dg = next) {
		next = dg->next;
		defrag_destroy(df, dg);
	}
	for (dg = df->dead; dg != NULL; dg = next) {
		next = dg->next;
		defrag_destroy(df, dg);
	}
	free(df);
}

/* Forget the datagram completed by the previous packet. */
void
defrag_release(struct defrag *df)
{
	if (df->done != NULL) {
		defrag_destroy(df, df->done);
		df->done = NULL;
	}
}

/* Hash a datagram key. */
static uint32_t
defrag_hash(const struct defrag_key *k)
{
	uint32_t	 h, w;
	size_t		 i;

	h = k->id * 0x9e3779b1u ^ ((uint32_t)k->af << 8 | k->proto);
	for (i = 0; i < 16; i += 4) {
		memcpy(&w, k->src + i, 4);
		h = (h ^ w) * 0x85ebca6bu;
		h ^= h >> 15;
		memcpy(&w, k->dst + i, 4);
		h = (h ^ w) * 0xc2b2ae35u;
		h ^= h >> 13;
	}
	return (h);
}

/* Whether two keys name the same datagram. */
static bool
defrag_same(const struct defrag_key *a, const struct defrag_key *b)
{
	return (a->id == b->id && a->af == b->af && a->proto == b->proto &&
	    memcmp(a->src, b->src, 16) == 0 &&
	    memcmp(a->dst, b->dst, 16) == 0);
}

/* Take a datagram out of the hash table and the age list. */
static void
defrag_unlink(struct defrag *df, struct dgram *dg)
{
	struct dgram	**pp;

	pp = &df->table[dg->hash % DEFRAG_INFLIGHT];
	while (*pp != dg)
		pp = &(*pp)->hnext;
	*pp = dg->hnext;
	if (dg->prev != NULL)
		dg->prev->next = dg->next;
	else
		df->old = dg->next;
	if (dg->next != NULL)
		dg->next->prev = dg->prev;
	else
		df->young = dg->prev;
	dg->prev = dg->next = dg->hnext = NULL;
	df->n--;
}

/* Drop a datagram: its fragments wait on the dead list for the next expire. */
static void
defrag_kill(struct defrag *df, struct dgram *dg)
{
	defrag_unlink(df, dg);
	defrag_strip(df, dg);
	if (df->deadtail != NULL)
		df->deadtail->next = dg;
	else
		df->dead = dg;
	df->deadtail = dg;
}

/* Find a datagram, or start one with the decoded state of its first part. */
static struct dgram *
defrag_get(struct defrag *df, const struct defrag_key *k,
    const struct decoded *d)
{
	struct dgram	*dg;
	uint32_t	 h = defrag_hash(k);

	for (dg = df->table[h % DEFRAG_INFLIGHT]; dg != NULL; dg = dg->hnext) {
		if (dg->hash == h && defrag_same(&dg->key, k))
			return (dg);
	}
	if (df->n >= DEFRAG_INFLIGHT)
		defrag_kill(df, df->old);
	dg = xcalloc(1, sizeof *dg);
	dg->key = *k;
	dg->hash = h;
	dg->t0 = df->clock;
	dg->first = *d;
	dg->hnext = df->table[h % DEFRAG_INFLIGHT];
	df->table[h % DEFRAG_INFLIGHT] = dg;
	dg->prev = df->young;
	if (df->young != NULL)
		df->young->next = dg;
	else
		df->old = dg;
	df->young = dg;
	df->n++;
	return (dg);
}

/* Grow a datagram's buffers to hold end bytes, within the memory bound. */
static void
defrag_grow(struct defrag *df, struct dgram *dg, uint32_t end)
{
	struct dgram	*o, *next;
	size_t		 ow, nw;
	uint64_t	 ncap;

	if (end <= dg->cap)
		return;
	ncap = (uint64_t)dg->cap * 2;
	if (ncap > df->cfg.frag_max)
		ncap = df->cfg.frag_max;
	if (ncap < end)
		ncap = end;
	ncap = (ncap + DEFRAG_CHUNK - 1) / DEFRAG_CHUNK * DEFRAG_CHUNK;
	ow = dg->cap / 512;
	nw = ncap / 512;
	dg->data = xrealloc(dg->data, ncap);
	dg->have = xreallocarray(dg->have, nw, sizeof *dg->have);
	dg->full = xreallocarray(dg->full, nw, sizeof *dg->full);
	memset(dg->have + ow, 0, (nw - ow) * sizeof *dg->have);
	memset(dg->full + ow, 0, (nw - ow) * sizeof *dg->full);
	df->bytes += (ncap - dg->cap) + 2 * (nw - ow) * sizeof *dg->have;
	dg->cap = ncap;

	for (o = df->old; o != NULL && df->bytes > DEFRAG_MAXBYTES; o = next) {
		next = o->next;
		if (o != dg)
			defrag_kill(df, o);
	}
}

/* Whether bit b of a bitmap is set. */
static inline bool
defrag_bit(const uint64_t *map, uint32_t b)
{
	return ((map[b / 64] >> (b % 64)) & 1);
}

/* Set bit b of a bitmap. */
static inline void
defrag_set(uint64_t *map, uint32_t b)
{
	map[b / 64] |= (uint64_t)1 << (b % 64);
}

/* Copy the blocks of [f->off, end) not yet received; the first data wins. */
static void
defrag_fill(struct defrag *df, struct dgram *dg, const struct defrag_frag *f,
    uint32_t end)
{
	uint32_t	 b, lo, hi, capend = f->off + f->caplen;

	if (end <= f->off)
		return;
	defrag_grow(df, dg, end);
	for (b = f->off / 8; b * 8 < end; b++) {
		if (defrag_bit(dg->have, b))
			continue;
		defrag_set(dg->have, b);
		dg->nhave++;
		lo = b * 8;
		hi = lo + 8 < end ? lo + 8 : end;
		if (lo < capend) {
			memcpy(dg->data + lo, f->data + (lo - f->off),
			    (hi < capend ? hi : capend) - lo);
		}
		if (hi <= capend)
			defrag_set(dg->full, b);
	}
}

/* Note the end of the datagram and count the blocks received below it. */
static void
defrag_last(struct dgram *dg, uint32_t total)
{
	uint32_t	 b, nb = (total + 7) / 8;

	dg->last = true;
	dg->total = total;
	dg->nhave = 0;
	for (b = 0; b < nb && b * 8 < dg->cap; b++) {
		if (defrag_bit(dg->have, b))
			dg->nhave++;
	}
}

/* Move a finished datagram to the done slot and describe it. */
static void
defrag_complete(struct defrag *df, struct dgram *dg, struct defrag_done *done)
{
	uint32_t	 b, nb = (dg->total + 7) / 8;

	defrag_unlink(df, dg);
	df->done = dg;
	for (b = 0; b < nb && defrag_bit(dg->full, b); b++)
		continue;
	done->first = &dg->first;
	done->data = dg->data;
	done->len = dg->total;
	done->caplen = b * 8 < dg->total ? b * 8 : dg->total;
	done->refs = dg->refs;
	done->nrefs = dg->nrefs;
}

/* Add a fragment; true when it completes its datagram (then done is set). */
bool
defrag_add(struct defrag *df, const struct defrag_key *k,
    const struct defrag_frag *f, const struct pkt_ref *ref,
    const struct decoded *d, struct defrag_done *done)
{
	struct dgram	*dg;
	uint32_t	 len, end;

	if (ref->ts > df->clock)
		df->clock = ref->ts;
	dg = defrag_get(df, k, d);
	if (dg->nrefs == dg->refcap) {
		dg->refcap = dg->refcap == 0 ? 4 : dg->refcap * 2;
		dg->refs = xreallocarray(dg->refs, dg->refcap, sizeof *dg->refs);
	}
	dg->refs[dg->nrefs++] = *ref;

	len = f->more ? f->len & ~7u : f->len;
	end = f->off + len;
	if (end > df->cfg.frag_max || dg->nrefs > DEFRAG_MAXFRAGS) {
		defrag_kill(df, dg);
		return (false);
	}
	if (!f->more && !dg->last)
		defrag_last(dg, end);
	if (dg->last && end > dg->total)
		end = dg->total;
	defrag_fill(df, dg, f, end);
	if (!dg->last || dg->nhave != (dg->total + 7) / 8)
		return (false);
	defrag_complete(df, dg, done);
	return (true);
}

/* Report every fragment of a datagram and free it. */
static void
defrag_report(struct defrag *df, struct dgram *dg,
    void (*cb)(const struct pkt_ref *, void *), void *arg)
{
	size_t	 i;

	for (i = 0; i < dg->nrefs; i++)
		cb(&dg->refs[i], arg);
	defrag_destroy(df, dg);
}

/* Report the dropped datagrams. */
static void
defrag_report_dead(struct defrag *df,
    void (*cb)(const struct pkt_ref *, void *), void *arg)
{
	struct dgram	*dg;

	while ((dg = df->dead) != NULL) {
		df->dead = dg->next;
		if (df->dead == NULL)
			df->deadtail = NULL;
		defrag_report(df, dg, cb, arg);
	}
}

/* Report dropped datagrams and those whose first fragment is too old. */
void
defrag_expire(struct defrag *df, uint64_t now,
    void (*cb)(const struct pkt_ref *, void *), void *arg)
{
	struct dgram	*dg;

	defrag_report_dead(df, cb, arg);
	while ((dg = df->old) != NULL && now > dg->t0 &&
	    now - dg->t0 > df->cfg.frag_timeout_ns) {
		defrag_unlink(df, dg);
		defrag_report(df, dg, cb, arg);
	}
}

/* Report every held fragment, oldest datagram first. */
void
defrag_flush(struct defrag *df,
    void (*cb)(const struct pkt_ref *, void *), void *arg)
{
	struct dgram	*dg;

	defrag_report_dead(df, cb, arg);
	while ((dg = df->old) != NULL) {
		defrag_unlink(df, dg);
		defrag_report(df, dg, cb, arg);
	}
}
