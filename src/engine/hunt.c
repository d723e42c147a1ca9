/* hunt.c - the capture, the engine and the store of one hunt: reading on
 * this thread or a worker's, the gate of a live capture, its figures, and
 * re-applying rules to what is stored. */
/* SPDX-License-Identifier: GPL-3.0-or-later */

#include <pthread.h>
#include <stdatomic.h>
#include <stdlib.h>
#include <string.h>

#include "engine/engine.h"
#include "engine/hunt.h"
#include "export/export.h"
#include "rules/rules.h"

struct hunt {
	struct capture		*cap;
	struct store		*st;
	struct engine		*eng;		/* made when reading starts */
	const struct engine_config *cfg;
	const char		**names;	/* the inputs, for did */
	bool			 live, wall;
	pthread_t		 worker;
	bool			 started, joined;
	atomic_bool		 loaded;
	atomic_bool		 stop;		/* quit while reading */
	atomic_bool		 end;		/* C-c: end a live capture */
	hunt_tick_fn		 tick;		/* the caller's, or NULL */
	void			*targ;
	/* Messages from the reading threads, the latest kept. */
	hunt_msg_fn		 msgfn;
	void			*msgarg;
	pthread_mutex_t		 mlock;
	char			*msg;		/* NULL when none waits */
	bool			 warning;
	atomic_uint		 nmsgs;		/* how many came in all */
	/*
	 * The gate: the other thread asks (gwant), the worker stops at its
	 * next tick with the engine quiet (gpaused) and waits until asked no
	 * more.
	 */
	pthread_mutex_t		 glock;
	pthread_cond_t		 gcond;
	atomic_bool		 gwant;
	bool			 gpaused;	/* under glock */
	uint64_t		 grel;		/* times left (under glock) */
	uint64_t		 gturn;		/* pauses the worker ended */
	uint64_t		 gleft;		/* gturn when last left */
	int			 gdepth;
	bool			 gheld;		/* the engine waits for us */
	/* Live figures, taken while the gate is held. */
	uint64_t		 nopen, nread, pps;
	uint64_t		 tpps, npps;	/* the last rate's start */
	struct capture_figures	 fig;
	/* Re-applying rules: the next sessionid, the reader rules use. */
	const struct ruleset	*rs;
	bool			 applying;
	uint64_t		 next;
	struct meta_reader	 reader;
};

static bool	hunt_tick(uint64_t, void *);

/* A hunt over the capture: the store made, the engine not yet. */
struct hunt *
hunt_new(struct capture *c, const struct engine_config *cfg, int flags)
{
	struct hunt	*h = xcalloc(1, sizeof *h);

	h->cap = c;
	h->cfg = cfg;
	h->st = store_new();
	if (flags & HUNT_SOLO)
		store_solo(h->st);
	if (flags & HUNT_DISCARD)
		store_discard(h->st);
	h->names = export_store_ctx(h->st, c, cfg->home, cfg->nhome);
	session_reader_init(&h->reader, store_ctx(h->st));
	h->live = capture_live(c);
	h->wall = capture_wall_clock(c);
	pthread_mutex_init(&h->mlock, NULL);
	pthread_mutex_init(&h->glock, NULL);
	pthread_cond_init(&h->gcond, NULL);
	h->gleft = UINT64_MAX;		/* no pause to have gone past yet */
	if (h->live)
		capture_set_tick(c, hunt_tick, h);
	return (h);
}

/* Free what the hunt holds. */
void
hunt_free(struct hunt *h, bool store)
{
	if (h == NULL)
		return;
	hunt_stop(h);
	engine_free(h->eng);
	if (store)
		store_free(h->st);
	capture_free(h->cap);
	free(h->names);
	free(h->msg);
	pthread_mutex_destroy(&h->mlock);
	pthread_mutex_destroy(&h->glock);
	pthread_cond_destroy(&h->gcond);
	free(h);
}

/* Keep an input's message for hunt_news and pass it on (any thread). */
static void
hunt_msg(enum capture_level lvl, const char *msg, void *arg)
{
	struct hunt	*h = arg;

	if (h->msgfn != NULL)
		h->msgfn(lvl == CAPTURE_WARNING, msg, h->msgarg);
	pthread_mutex_lock(&h->mlock);
	free(h->msg);
	h->msg = xstrdup(msg);
	h->warning = lvl == CAPTURE_WARNING;
	h->nmsgs++;
	pthread_mutex_unlock(&h->mlock);
}

/* Send the inputs' messages to fn (those held back come now). */
void
hunt_set_msg(struct hunt *h, hunt_msg_fn fn, void *arg)
{
	h->msgfn = fn;
	h->msgarg = arg;
	capture_set_msg(h->cap, hunt_msg, h);
}

/* The latest message since the last call (caller frees), or NULL. */
char *
hunt_news(struct hunt *h, bool *warning, unsigned int *n)
{
	char	*msg;

	pthread_mutex_lock(&h->mlock);
	msg = h->msg;
	*warning = h->warning;
	*n = atomic_load(&h->nmsgs);
	h->msg = NULL;
	pthread_mutex_unlock(&h->mlock);
	return (msg);
}

/* The caller's tick of a live capture. */
void
hunt_set_tick(struct hunt *h, hunt_tick_fn fn, void *arg)
{
	h->tick = fn;
	h->targ = arg;
}

/* Feed one packet to the engine (the reading thread). */
static bool
hunt_packet(const struct capture_packet *p, void *arg)
{
	struct hunt	*h = arg;

	engine_packet(h->eng, p);
	return (!atomic_load_explicit(&h->stop, memory_order_relaxed));
}

/*
 * At a tick (reading thread): when the other thread asks for the gate,
 * quiet the engine and wait until it is done with the index.
 */
static void
hunt_gate_serve(struct hunt *h)
{
	uint64_t	 rel;

	if (!atomic_load(&h->gwant))
		return;
	engine_quiesce(h->eng);
	pthread_mutex_lock(&h->glock);
	h->gpaused = true;
	rel = h->grel;
	pthread_cond_broadcast(&h->gcond);
	while (atomic_load(&h->gwant) && h->grel == rel)
		pthread_cond_wait(&h->gcond, &h->glock);
	h->gpaused = false;
	h->gturn++;
	pthread_cond_broadcast(&h->gcond);
	pthread_mutex_unlock(&h->glock);
}

/*
 * The tick of a live capture or a stream (reading thread): an
 * interface's clock follows the wall clock while the wire is quiet;
 * false once ended, stopped, or the caller's tick says so.
 */
static bool
hunt_tick(uint64_t now, void *arg)
{
	struct hunt	*h = arg;
	bool		 go = true;

	if (h->wall)
		engine_tick(h->eng, now);
	if (h->tick != NULL)
		go = h->tick(now, h->targ);
	hunt_gate_serve(h);
	return (go && !atomic_load(&h->end) && !atomic_load(&h->stop));
}

/* Read every input into the store on this thread. */
void
hunt_run(struct hunt *h)
{
	if (h->eng == NULL)
		h->eng = engine_new(h->cfg, h->st);
	capture_run(h->cap, hunt_packet, h);
	engine_finish(h->eng);
	atomic_store(&h->loaded, true);
	pthread_mutex_lock(&h->glock);
	pthread_cond_broadcast(&h->gcond);
	pthread_mutex_unlock(&h->glock);
}

/* The worker thread. */
static void *
hunt_worker(void *arg)
{
	hunt_run(arg);
	return (NULL);
}

/* Make the engine and read on a worker thread. */
void
hunt_start(struct hunt *h)
{
	h->eng = engine_new(h->cfg, h->st);
	if (pthread_create(&h->worker, NULL, hunt_worker, h) != 0)
		fatal("cannot start the reading thread");
	h->started = true;
}

/* Stop reading and wait for the worker. */
void
hunt_stop(struct hunt *h)
{
	atomic_store(&h->stop, true);
	if (h->started && !h->joined) {
		pthread_join(h->worker, NULL);
		h->joined = true;
	}
}

/* End a live capture or stream (C-c); true when this call ended it. */
bool
hunt_end(struct hunt *h)
{
	return (h->live && !atomic_load(&h->loaded) &&
	    !atomic_exchange(&h->end, true));
}

/* Whether every input is read. */
bool
hunt_loaded(const struct hunt *h)
{
	return (atomic_load(&h->loaded));
}

/* Whether the capture goes on (live, not ended). */
bool
hunt_capturing(const struct hunt *h)
{
	return (h->live && !atomic_load(&h->loaded));
}

/* Whether the index may be read now: loaded, or the gate is held. */
bool
hunt_indexable(const struct hunt *h)
{
	return (atomic_load(&h->loaded) || h->gheld);
}

/* Whether the engine waits for us now. */
bool
hunt_gate_held(const struct hunt *h)
{
	return (h->gheld);
}

/*
 * Take the gate (nested calls count): during a live capture, wait until
 * the worker stands at a tick with the engine quiet (a block of packets
 * at most, or at once when the wire is idle), having gone on since the
 * gate was last left, so that the engine is never starved.
 */
void
hunt_gate_enter(struct hunt *h)
{
	if (h->gdepth++ > 0 || !hunt_capturing(h))
		return;
	pthread_mutex_lock(&h->glock);
	atomic_store(&h->gwant, true);
	capture_nudge(h->cap);
	while (!(h->gpaused && h->gturn != h->gleft) &&
	    !atomic_load(&h->loaded))
		pthread_cond_wait(&h->gcond, &h->glock);
	h->gheld = h->gpaused;
	pthread_mutex_unlock(&h->glock);
}

/* Let the worker go on. */
void
hunt_gate_leave(struct hunt *h)
{
	if (--h->gdepth > 0 || !atomic_load(&h->gwant))
		return;
	pthread_mutex_lock(&h->glock);
	atomic_store(&h->gwant, false);
	h->gheld = false;
	h->grel++;
	h->gleft = h->gturn;
	pthread_cond_broadcast(&h->gcond);
	pthread_mutex_unlock(&h->glock);
}

/*
 * While the gate is held: sessions open, packets read and their rate
 * (over a second at least), drops and the spool.
 */
void
hunt_sample(struct hunt *h, uint64_t now)
{
	if (!h->gheld)
		return;
	h->nopen = engine_open(h->eng);
	h->nread = engine_stats(h->eng)->read;
	capture_figures(h->cap, &h->fig);
	if (h->tpps == 0) {
		h->tpps = now;
		h->npps = h->nread;
	} else if (now - h->tpps >= 1000) {
		h->pps = (h->nread - h->npps) * 1000 / (now - h->tpps);
		h->tpps = now;
		h->npps = h->nread;
	}
}

/* What the hunt has done so far. */
void
hunt_status(const struct hunt *h, struct hunt_status *s)
{
	struct buf	 b;

	memset(s, 0, sizeof *s);
	s->ninputs = capture_ninputs(h->cap);
	s->live = h->live;
	s->wall = h->wall;
	s->loaded = atomic_load(&h->loaded);
	s->figures = h->tpps != 0;
	s->bytes_done = capture_done_bytes(h->cap);
	s->bytes_total = capture_total_bytes(h->cap);
	s->packets = s->loaded && h->eng != NULL ?
	    engine_stats(h->eng)->read : h->nread;
	s->pps = h->pps;
	s->drops = h->fig.dropped + h->fig.ifdropped;
	s->spool_used = h->fig.spool_used;
	s->spool_cap = h->fig.spool_cap;
	s->closed = store_count(h->st);
	s->open = h->nopen;
	buf_init(&b);
	if (h->eng != NULL && engine_kept(h->eng, &b)) {
		s->retained = true;
		snprintf(s->kept, sizeof s->kept, "%s", b.s);
	}
	buf_free(&b);
	s->errors = capture_errors(h->cap);
	s->messages = atomic_load(&h->nmsgs);
	s->spool_kept = capture_spool_kept(h->cap);
}

/* Input i's name. */
const char *
hunt_input_name(const struct hunt *h, size_t i)
{
	return (capture_input(h->cap, i)->path);
}

/* Begin re-applying rules to the stored sessions. */
void
hunt_reapply_start(struct hunt *h, const struct ruleset *rs)
{
	if (hunt_capturing(h))	/* sessions closing from now on */
		engine_set_rules(h->eng, rs);
	h->rs = rs;
	h->applying = true;
	h->next = 1;
}

/* Re-apply to the next n sessions; true once the last one is done. */
bool
hunt_reapply_step(struct hunt *h, uint64_t n)
{
	struct session	 s;
	uint64_t	 end = store_end(h->st), stop;

	if (!h->applying)
		return (true);
	for (stop = h->next + n; h->next < end && h->next < stop;
	    h->next++) {
		if (store_get(h->st, h->next, &s) == NULL)
			continue;
		session_meta_own(&s);
		rules_reapply(h->rs, &s, &h->reader);
		store_update(h->st, h->next, &s);
		session_meta_free(&s);
	}
	if (h->next < end)
		return (false);
	h->applying = false;
	return (true);
}

/* How far re-applying is, in percent; -1 when not. */
int
hunt_reapply_progress(const struct hunt *h)
{
	uint64_t	 end = store_end(h->st);

	if (!h->applying)
		return (-1);
	return (end > 1 ? (int)((h->next - 1) * 100 / (end - 1)) : 100);
}

/* The capture (rereads: main thread, or any once loaded). */
struct capture *
hunt_capture(const struct hunt *h)
{
	return (h->cap);
}

/* The store the engine fills. */
struct store *
hunt_store(const struct hunt *h)
{
	return (h->st);
}

/* The engine, NULL before reading starts. */
struct engine *
hunt_engine(const struct hunt *h)
{
	return (h->eng);
}
