/*
 * pipe.c - the parsers' thread: writing meta off the engine's thread.
 *
 * The engine's thread reads packets, keeps sessions and collects what the
 * parsers need as packets arrive; everything that writes meta (hellos,
 * requests, DNS messages, indicators, host names and their suffixes) is
 * done here, on a thread of its own, while the engine reads on.  The two
 * share one ring of jobs: the engine fills it at `tail`, this thread runs
 * jobs up to `done`, and the engine retires them from `head` (frees the
 * state, applies the rules and stores a closed session), so sessions
 * reach the store in the order they closed.  The bytes a protocol hands
 * over (DNS datagrams, ICMP echo payloads) are copied into a ring of bytes
 * beside it, given to its bytes hook here and freed as their jobs retire.
 * Closed sessions are packed here into blocks the store takes over
 * (pipe_pack()).
 */
/* SPDX-License-Identifier: GPL-3.0-or-later */

#include <pthread.h>
#include <stdalign.h>
#include <stdatomic.h>
#include <stdlib.h>
#include <string.h>

#include "parse/parse-int.h"

#define PIPE_SLOTS	4096		/* jobs in the ring */
#define PIPE_WAKE	1024		/* jobs waiting before a wake-up */
#define PIPE_SAY	32		/* jobs run between reports */
#define PIPE_BYTES	(1u << 20)	/* bytes of datagrams waiting */
#define PIPE_BLOCK	((size_t)1 << 20) /* bytes of a block of records */
#define PIPE_REC_MAX	(64u << 10)	/* a larger record is packed later */
#define PIPE_AHEAD	2		/* jobs ahead whose memory is asked for */

/*
 * A job is two cache lines: what the engine's thread asks, with what the
 * parsers' thread answers about a record, then what it leaves to free.
 * Each field is set by the thread that fills it, for the kinds that use
 * it; a slot is not cleared (nor its lines written) in between.
 */
struct parse_job {
	struct session		*s;
	struct parse_state	*ps;	/* PJ_EARLY, PJ_CLOSE */
	void			*st;	/* PJ_BYTES: the protocol's state */
	size_t			 end;	/* PJ_BYTES: byte position after */
	uint32_t		 len;	/* their bytes */
	uint32_t		 wirelen; /* PJ_BYTES: as struct parse_bytes */
	uint8_t			 kind;	/* enum parse_job_kind */
	uint8_t			 proto;	/* PJ_BYTES: whose bytes hook */
	bool			 flag;	/* PJ_BYTES: as struct parse_bytes */
	const uint8_t		*rec;	/* PJ_CLOSE: its record, or NULL */
	uint8_t			*blk;	/* PJ_CLOSE: a new block of records to
					   hand over first, or NULL */
	alignas(64) struct parse_garbage g; /* PJ_EARLY, PJ_CLOSE: to free */
};

struct parse_pipe {
	alignas(64) struct parse_job job[PIPE_SLOTS];
	void			(*done_fn)(struct session *, const uint8_t *,
				    void *);
	void			(*block_fn)(uint8_t *, void *);
	void			*arg;
	struct parse_ctx	*ctx;		/* the engine's,
	    for every job */
	const struct parse_packer *packer;
	bool			 pack;
	bool			 keep;		/* sessions are kept: pool MACs */
	uint8_t			*blk;		/* parsers: packing here */
	size_t			 bused;		/* its bytes used */
	uint8_t			*bytes;		/* PIPE_BYTES */
	size_t			 bhead, btail;	/* engine: bytes retired, used */
	size_t			 head;		/* engine: next to retire */
	alignas(64) atomic_size_t tail;		/* engine: next to fill */
	alignas(64) atomic_size_t done;		/* parsers: jobs run */
	alignas(64) atomic_bool	 psleep;	/* parsers' thread waits */
	atomic_bool		 esleep;	/* engine's thread waits */
	atomic_bool		 stop;
	pthread_mutex_t		 lock;
	pthread_cond_t		 pcond, econd;
	pthread_t		 thread;
};

/*
 * Pack a closed session's record here, at the end of this thread's block:
 * the block goes to the store, which keeps the record where it is.  The
 * engine's thread copied each record into the store (a tenth of its work
 * beyond the engine's own) and took the faults of the store's new pages.
 */
static void
pipe_pack(struct parse_pipe *pp, struct parse_job *j)
{
	size_t	bound = pp->packer->bound(j->s), n;

	j->rec = NULL;
	j->blk = NULL;
	if (!pp->pack || bound > PIPE_REC_MAX)
		return;
	if (pp->blk == NULL || PIPE_BLOCK - pp->bused < bound) {
		pp->blk = j->blk = xmalloc(PIPE_BLOCK);
		pp->bused = 0;
	}
	j->rec = pp->blk + pp->bused;
	n = pp->packer->pack(j->s, pp->blk + pp->bused);
	pp->bused += (n + 7) & ~(size_t)7;
}

/*
 * Ask for the cache lines of n bytes at p.  Each thread asks for what the
 * other wrote last, a few jobs ahead: on a machine whose two CPUs are far
 * apart each of those lines takes a third of a microsecond to come over.
 */
static void
pipe_prefetch(const void *p, size_t n)
{
	size_t	i;

	for (i = 0; i < n; i += 64)
		__builtin_prefetch((const char *)p + i);
}

/*
 * Ask for a job's session, its room (as large as a TCP session's, the
 * largest) and its state ahead of running it.
 */
static void
pipe_prefetch_run(const struct parse_job *a)
{
	pipe_prefetch(a->s, sizeof *a->s +
	    session_meta_inline_size(session_meta_inline(6)));
	if (a->kind == PJ_EARLY || a->kind == PJ_CLOSE)
		pipe_prefetch(a->ps, 128);
	else
		pipe_prefetch(a->st, 64);
}

/* Run one job on the parsers' thread. */
static void
pipe_run(struct parse_pipe *pp, struct parse_job *j)
{
	struct parse_bytes	b;

	switch (j->kind) {
	case PJ_BYTES:
		b.state = j->st;
		b.p = pp->bytes + (j->end - j->len) % PIPE_BYTES;
		b.n = j->len;
		b.wirelen = j->wirelen;
		b.flag = j->flag;
		parse_ops[j->proto]->bytes(pp->ctx, j->s, &b);
		break;
	case PJ_EARLY:
		parse_meta(pp->ctx, j->s, j->ps);
		parse_collect(j->ps, &j->g);
		break;
	case PJ_CLOSE:
		parse_meta(pp->ctx, j->s, j->ps);
		parse_collect(j->ps, &j->g);
		/* A MAC pair pooled for every session the store drops
		   grew the pool by 47 bytes a flow under --stats. */
		if (pp->keep)
			pp->packer->prepare(j->s);
		pipe_pack(pp, j);
		break;
	}
}

/* Wake a thread that waits (flag set) on cond. */
static void
pipe_wake(struct parse_pipe *pp, atomic_bool *flag, pthread_cond_t *cond)
{
	if (!atomic_load(flag))
		return;
	pthread_mutex_lock(&pp->lock);
	pthread_cond_signal(cond);
	pthread_mutex_unlock(&pp->lock);
}

/* The parsers' thread: run jobs as they come, sleep when there are none. */
static void *
pipe_main(void *arg)
{
	struct parse_pipe	*pp = arg;
	size_t			 d = 0, t;

	cpu_helper_start();

	for (;;) {
		t = atomic_load_explicit(&pp->tail, memory_order_acquire);
		if (d == t) {
			pthread_mutex_lock(&pp->lock);
			atomic_store(&pp->psleep, true);
			while (atomic_load(&pp->tail) == d &&
			    !atomic_load(&pp->stop))
				pthread_cond_wait(&pp->pcond, &pp->lock);
			atomic_store(&pp->psleep, false);
			pthread_mutex_unlock(&pp->lock);
			if (atomic_load(&pp->tail) == d)
				break;		/* stopped with nothing left */
			continue;
		}
		/* Said done every few jobs: the engine's thread reads it. */
		for (; d != t; d++) {
			if (t - d > PIPE_AHEAD)
				pipe_prefetch_run(&pp->job[(d + PIPE_AHEAD) %
				    PIPE_SLOTS]);
			pipe_run(pp, &pp->job[d % PIPE_SLOTS]);
			if ((d + 1) % PIPE_SAY == 0 || d + 1 == t) {
				atomic_store(&pp->done, d + 1);
				pipe_wake(pp, &pp->esleep, &pp->econd);
			}
		}
	}
	return (NULL);
}

/* Start the parsers' thread of a context (which hands it work from now on). */
struct parse_pipe *
parse_pipe_new(struct parse_ctx *pc, const struct parse_packer *packer,
    bool pack, bool keep,
    void (*done_fn)(struct session *, const uint8_t *, void *),
    void (*block_fn)(uint8_t *, void *), void *arg)
{
	struct parse_pipe	*pp;

	pp = xcalloc_lines(sizeof *pp);
	pp->done_fn = done_fn;
	pp->block_fn = block_fn;
	pp->arg = arg;
	pp->ctx = pc;
	pp->packer = packer;
	pp->pack = pack;
	pp->keep = keep;
	pp->bytes = xmalloc(PIPE_BYTES);
	atomic_init(&pp->tail, 0);
	atomic_init(&pp->done, 0);
	atomic_init(&pp->psleep, false);
	atomic_init(&pp->esleep, false);
	atomic_init(&pp->stop, false);
	pthread_mutex_init(&pp->lock, NULL);
	pthread_cond_init(&pp->pcond, NULL);
	pthread_cond_init(&pp->econd, NULL);
	if (pthread_create(&pp->thread, NULL, pipe_main, pp) != 0)
		fatal("cannot start the parsers' thread");
	pc->pipe = pp;
	return (pp);
}

/* Retire one finished job on the engine's thread. */
static void
pipe_retire(struct parse_pipe *pp, struct parse_job *j)
{
	switch (j->kind) {
	case PJ_BYTES:
		pp->bhead = j->end;
		break;
	case PJ_EARLY:
		parse_drop(pp->ctx, &j->g);
		break;
	case PJ_CLOSE:
		parse_drop(pp->ctx, &j->g);
		if (j->blk != NULL)
			pp->block_fn(j->blk, pp->arg);
		pp->done_fn(j->s, j->rec, pp->arg);
		break;
	}
}

/* Retire every job the parsers' thread has run. */
void
parse_pipe_poll(struct parse_pipe *pp)
{
	size_t			 d = atomic_load_explicit(&pp->done,
				    memory_order_acquire);
	const struct parse_job	*a;

	while (pp->head != d) {
		/* The session of a job ahead, while this one is retired. */
		if (d - pp->head > PIPE_AHEAD) {
			a = &pp->job[(pp->head + PIPE_AHEAD) % PIPE_SLOTS];
			pipe_prefetch(a->s, sizeof *a->s + 64);
		}
		pipe_retire(pp, &pp->job[pp->head++ % PIPE_SLOTS]);
	}
}

/* Wait until the parsers' thread has run the job at head. */
static void
pipe_wait(struct parse_pipe *pp)
{
	size_t	t = atomic_load_explicit(&pp->tail, memory_order_relaxed);

	pipe_wake(pp, &pp->psleep, &pp->pcond);
	pthread_mutex_lock(&pp->lock);
	atomic_store(&pp->esleep, true);
	while (atomic_load(&pp->done) == pp->head && pp->head != t)
		pthread_cond_wait(&pp->econd, &pp->lock);
	atomic_store(&pp->esleep, false);
	pthread_mutex_unlock(&pp->lock);
	parse_pipe_poll(pp);
}

/* A free job slot, waiting for one when the ring is full. */
static struct parse_job *
pipe_slot(struct parse_pipe *pp)
{
	size_t	t = atomic_load_explicit(&pp->tail, memory_order_relaxed);

	while (t - pp->head == PIPE_SLOTS) {
		parse_pipe_poll(pp);
		if (t - pp->head == PIPE_SLOTS)
			pipe_wait(pp);
	}
	return (&pp->job[t % PIPE_SLOTS]);
}

/* Let the parsers' thread have the job in the slot at tail. */
static void
pipe_publish(struct parse_pipe *pp)
{
	size_t	t = atomic_load_explicit(&pp->tail, memory_order_relaxed);

	/*
	 * Release, not a full barrier: a parsers' thread going to sleep as
	 * this is stored may miss it and be woken by a later job (it is
	 * woken only when PIPE_WAKE wait) or by pipe_wait(), under the lock.
	 */
	atomic_store_explicit(&pp->tail, t + 1, memory_order_release);
	if (atomic_load_explicit(&pp->psleep, memory_order_relaxed) && t + 1 -
	    atomic_load_explicit(&pp->done, memory_order_relaxed) >= PIPE_WAKE)
		pipe_wake(pp, &pp->psleep, &pp->pcond);
}

/* Hand a session's state to the parsers' thread. */
void
parse_pipe_ship(struct parse_pipe *pp, enum parse_job_kind kind,
    struct session *s, struct parse_state *ps)
{
	struct parse_job	*j = pipe_slot(pp);

	j->kind = (uint8_t)kind;
	j->s = s;
	j->ps = ps;
	pipe_publish(pp);
}

/* Hand a protocol's bytes (copied) to the parsers' thread. */
void
parse_pipe_bytes(struct parse_pipe *pp, enum parse_proto proto,
    struct session *s, const struct parse_bytes *b)
{
	struct parse_job	*j = pipe_slot(pp);
	size_t			 at = pp->btail;
	uint32_t		 n = b->n;

	if (at % PIPE_BYTES + n > PIPE_BYTES)
		at += PIPE_BYTES - at % PIPE_BYTES;	/* never wrap inside */
	while (at + n - pp->bhead > PIPE_BYTES) {
		parse_pipe_poll(pp);
		if (pp->head == atomic_load(&pp->tail))
			pp->bhead = pp->btail;	/* no datagram waits */
		else if (at + n - pp->bhead > PIPE_BYTES)
			pipe_wait(pp);
	}
	memcpy(pp->bytes + at % PIPE_BYTES, b->p, n);
	pp->btail = at + n;
	j->kind = PJ_BYTES;
	j->proto = (uint8_t)proto;
	j->s = s;
	j->st = b->state;
	j->end = at + n;
	j->len = n;
	j->wirelen = b->wirelen;
	j->flag = b->flag;
	pipe_publish(pp);
}

/* Hand over a closed session: its meta is written on the parsers' thread,
   then it comes back through done(). */
void
parse_pipe_close(struct parse_pipe *pp, struct session *s)
{
	struct parse_state	*ps = s->parse;

	s->parse = NULL;
	parse_pipe_ship(pp, PJ_CLOSE, s, ps);
	parse_pipe_poll(pp);
}

/*
 * A timer's call (live capture): wake the parsers' thread for the jobs that
 * wait, fewer than would wake it, and retire what it has run.
 */
void
parse_pipe_flush(struct parse_pipe *pp)
{
	if (atomic_load(&pp->tail) != atomic_load(&pp->done))
		pipe_wake(pp, &pp->psleep, &pp->pcond);
	parse_pipe_poll(pp);
}

/* Wait for every job handed over and retire it. */
void
parse_pipe_drain(struct parse_pipe *pp)
{
	while (pp->head != atomic_load(&pp->tail)) {
		parse_pipe_poll(pp);
		if (pp->head != atomic_load(&pp->tail))
			pipe_wait(pp);
	}
}

/* Drain, stop the parsers' thread and free the pipe. */
void
parse_pipe_free(struct parse_pipe *pp)
{
	if (pp == NULL)
		return;
	parse_pipe_drain(pp);
	pthread_mutex_lock(&pp->lock);
	atomic_store(&pp->stop, true);
	pthread_cond_signal(&pp->pcond);
	pthread_mutex_unlock(&pp->lock);
	pthread_join(pp->thread, NULL);
	pp->ctx->pipe = NULL;
	pthread_mutex_destroy(&pp->lock);
	pthread_cond_destroy(&pp->pcond);
	pthread_cond_destroy(&pp->econd);
	free(pp->bytes);
	free(pp);
}
