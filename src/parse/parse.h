/*
 * parse.h - protocol parsers: the service found by content and the meta of
 * SPEC §2 (DNS, HTTP, TLS, SSH, SMTP, FTP, ICMP indicators).
 *
 * Contract:
 * - parse_packet() sees every packet of a session (a completed fragmented
 *   datagram once) in arrival order, with the sender's canonical side
 *   (0 or 1; the initiator is not known yet).  It must cost next to nothing
 *   for sessions no parser recognises.  Per-session state hangs off
 *   s->parse and is the parsers' own.
 * - parse_close() runs once when the session closes, after its initiator is
 *   decided and before rules run: parsers write their meta with
 *   session_meta_add(s, key, v, MF_PARSER) and set s->service, then free
 *   their state.  parse_free() frees what is left (a session dropped
 *   without closing).
 * - Each engine has its own parser context (parse_ctx_new()): the
 *   thresholds its parsers read (settings of SPEC §9, rows of the engine's
 *   settings table kept in a struct parse_settings), its pools and its
 *   caches.  Every call below works on one context; sessions stay with the
 *   context that saw their first packet.
 * - Everything runs on the engine's thread, or, with a parse_pipe, what
 *   must be done as packets arrive (sniffing, stream bytes, DNS datagrams
 *   and ICMP echoes queued) runs there and everything that writes meta
 *   runs on the pipe's own thread (see parse_pipe_new()).
 */
#ifndef HUNTCON_PARSE_H
#define HUNTCON_PARSE_H

#include <stdbool.h>
#include <stdint.h>

#include "decode/decode.h"
#include "session/session.h"
#include "util/settings.h"

struct parse_ctx;

/* A context with a copy of the thresholds; freeing it (not its sessions'
   state: close or free those first). */
struct parse_ctx *parse_ctx_new(const struct parse_settings *);
void	 parse_ctx_free(struct parse_ctx *);
/* Look at a packet (its meta written on the context's parsers' thread
   when it has one). */
void	 parse_packet(struct parse_ctx *, struct session *,
	    const struct decoded *, int side, uint64_t ts);
void	 parse_close(struct parse_ctx *, struct session *);
void	 parse_free(struct parse_ctx *, struct session *);
/* Bytes of a session's parse state, for session_table_on_packet(): a TCP
   session's, or another's (no streams). */
size_t	 parse_state_size(bool tcp);

/*
 * The parsers' thread of a context (one at most), running with that
 * context: once it is started, parse_packet() hands it what writes meta.
 * Sessions handed over with parse_pipe_close() get their meta written
 * there and come back through done(s, arg), in the order they were
 * handed over, on the caller's thread: from
 * parse_packet(), parse_pipe_close() (when it must wait for room),
 * parse_pipe_poll() and parse_pipe_drain().  Between them the pipe's
 * thread writes only the meta, s->service and the state the parsers own;
 * the caller keeps to the rest of the session.
 */
struct parse_pipe;

/*
 * How the receiver packs a session's record (the store's format, which
 * this module does not know): the most bytes it takes, packing it, and
 * pooling what packing will on the thread that writes the value pool.
 */
struct parse_packer {
	size_t		 (*bound)(const struct session *);
	size_t		 (*pack)(const struct session *, uint8_t *);
	void		 (*prepare)(struct session *);
};

/*
 * With pack, the pipe's thread also packs each session's record with the
 * packer into blocks it allocates: block(b, arg) hands each new block
 * over, before the first done() whose record is in it, and the receiver
 * frees it; done() gets the record, or NULL when it was too large or pack
 * is off.  Without keep (the receiver keeps no session), the pipe's thread
 * does not pool their MACs for packing either.
 */
struct parse_pipe *parse_pipe_new(struct parse_ctx *,
	    const struct parse_packer *, bool pack, bool keep,
	    void (*done)(struct session *,
	    const uint8_t *rec, void *),
	    void (*block)(uint8_t *, void *), void *arg);
void	 parse_pipe_close(struct parse_pipe *, struct session *);
/* Give back the sessions the pipe's thread has finished. */
void	 parse_pipe_poll(struct parse_pipe *);
/* Wake the pipe's thread for what waits, then poll (a timer's call). */
void	 parse_pipe_flush(struct parse_pipe *);
/* Wait for every session handed over and give them back. */
void	 parse_pipe_drain(struct parse_pipe *);
/* Drain, stop the thread and free the pipe. */
void	 parse_pipe_free(struct parse_pipe *);

#endif
