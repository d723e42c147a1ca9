/*
 * hunt.h - one hunt: the inputs, the engine that reads them and the store
 * it fills, wired the same way for batch output and for the console.
 *
 * Contract:
 * - hunt_new() takes the capture (its inputs added) and makes the store;
 *   the engine is made when reading starts, from the settings as they
 *   are then (a corr_live set after hunt_new() counts).  The hunt owns
 *   the capture, the store and the engine; the settings stay the caller's
 *   and must outlive it.
 * - hunt_run() reads every input on the calling thread; hunt_start() on
 *   a worker thread.  Either way the engine is the store's only writer.
 *   With a worker, another thread reads the index and the open sessions
 *   and changes the rules only once loaded, or during a live capture
 *   between hunt_gate_enter() and hunt_gate_leave() (the engine quiet).
 *   Every function but the two that run and the message function is for
 *   that one other thread.
 * - Messages about the inputs go to the function of hunt_set_msg() (on
 *   any thread); the latest waits for hunt_news().
 */
/* SPDX-License-Identifier: GPL-3.0-or-later */
#ifndef HUNTCON_HUNT_H
#define HUNTCON_HUNT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct capture;
struct engine;
struct engine_config;
struct ruleset;
struct store;

#define HUNT_SOLO	0x1	/* no reader beside the engine (batch) */
#define HUNT_DISCARD	0x2	/* count the sessions, keep none */

/* A message about an input (warning or error), on any thread. */
typedef void (*hunt_msg_fn)(bool warning, const char *, void *);
/* Live capture's tick, with the wall time (ns); false to stop reading. */
typedef bool (*hunt_tick_fn)(uint64_t, void *);

/*
 * What the hunt has done, for a status line.  The live figures (open,
 * and packets and pps while capturing) are those of the last
 * hunt_sample(); figures says one was taken.
 */
struct hunt_status {
	size_t		 ninputs;
	bool		 live;		/* an interface or a stream */
	bool		 wall;		/* interfaces: packets on the wall
					   clock */
	bool		 loaded;	/* every input read, or live ended */
	bool		 figures;
	uint64_t	 bytes_done, bytes_total;	/* inputs' bytes */
	uint64_t	 packets;	/* read by the engine */
	uint64_t	 pps;		/* packets a second */
	uint64_t	 drops;		/* kernel's and interfaces' */
	uint64_t	 spool_used, spool_cap;	/* bytes; cap 0: none */
	uint64_t	 closed;	/* sessions stored */
	uint64_t	 open;		/* sessions open */
	bool		 retained;	/* retention is on */
	char		 kept[96];	/* what the store keeps (engine_kept) */
	unsigned int	 errors;	/* input errors */
	unsigned int	 messages;	/* messages about the inputs */
	const char	*spool_kept;	/* the spool kept at exit, or NULL */
};

struct hunt;

struct hunt	*hunt_new(struct capture *, const struct engine_config *,
		    int flags);
/* Free it all (the worker stopped first); store false leaves the store. */
void		 hunt_free(struct hunt *, bool store);
/* Send the inputs' messages (held until now) to fn. */
void		 hunt_set_msg(struct hunt *, hunt_msg_fn, void *);
/* Also call fn at each tick of a live capture (after the engine's). */
void		 hunt_set_tick(struct hunt *, hunt_tick_fn, void *);
/* Read every input into the store on this thread. */
void		 hunt_run(struct hunt *);
/* Read on a worker thread. */
void		 hunt_start(struct hunt *);
/* Stop reading (quit) and wait for the worker. */
void		 hunt_stop(struct hunt *);
/* Live: end the capture or the stream (C-c); true when this ended it. */
bool		 hunt_end(struct hunt *);

/* Whether every input is read (live: the capture ended). */
bool		 hunt_loaded(const struct hunt *);
/* Whether the capture goes on (live, not ended). */
bool		 hunt_capturing(const struct hunt *);
/* Whether the index may be read now: loaded, or the gate is held. */
bool		 hunt_indexable(const struct hunt *);
/* Take the gate (nested calls count): the engine waits until left. */
void		 hunt_gate_enter(struct hunt *);
void		 hunt_gate_leave(struct hunt *);
/* Whether the engine waits for us now. */
bool		 hunt_gate_held(const struct hunt *);

/* While the gate is held: take the live figures (now in ms). */
void		 hunt_sample(struct hunt *, uint64_t now);
void		 hunt_status(const struct hunt *, struct hunt_status *);
/* Input i's name (a file, an interface, "-"). */
const char	*hunt_input_name(const struct hunt *, size_t);
/* The latest message since the last call (caller frees), or NULL; how
 * many came in all. */
char		*hunt_news(struct hunt *, bool *warning, unsigned int *);

/*
 * Re-apply rules to the stored sessions, a slice at a time (loaded or
 * the gate held; live, sessions closing from now on get them too).  A
 * step returns true once the last session is done; the index is then
 * stale until store_reindex().
 */
void		 hunt_reapply_start(struct hunt *, const struct ruleset *);
bool		 hunt_reapply_step(struct hunt *, uint64_t n);
/* How far, in percent; -1 when not re-applying. */
int		 hunt_reapply_progress(const struct hunt *);

struct capture	*hunt_capture(const struct hunt *);
struct store	*hunt_store(const struct hunt *);
/* NULL before reading starts. */
struct engine	*hunt_engine(const struct hunt *);

#endif
