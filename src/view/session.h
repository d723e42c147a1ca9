/*
 * session.h - one session of a view, as the Session pane shows it: its
 * meta, the fragments of its split conversation, and its packets read
 * again wherever they are kept, each with what it says (its side, its
 * payload, parse_show()'s lines).  The pane formats what this gives; it
 * reads no capture and decodes nothing itself.
 *
 * Contract:
 * - view_session_open() fills a struct view_session for a struct
 *   view_ref; view_session_free() frees it (before the view).  False with
 *   *cause (caller frees) when the store does not have the session or
 *   cannot answer.
 * - Packets are numbered 0 to npkts - 1 in capture order.
 *   view_session_packets() passes packets [from, from + n) to fn once
 *   each, in that order, until fn returns false: those read again with
 *   their bytes, and those that cannot be (state not VIEW_PKT_READ) with
 *   why.  What a struct view_packet points to is valid only during fn.
 * - The in-memory store reads packets again through the capture given
 *   with view_mem_packets(); until it is given one its sessions have
 *   packets false (the pane says they show once the capture is read).
 *   Give it only while the capture may be read again on this thread: a
 *   file once loaded, a live capture at once (its spool's series lock is
 *   taken inside each reread and locate, so the caller holds no lock).
 * - One thread uses a view_session at a time.
 */
/* SPDX-License-Identifier: GPL-3.0-or-later */
#ifndef HUNTCON_VIEW_SESSION_H
#define HUNTCON_VIEW_SESSION_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "util/util.h"
#include "view/view.h"

struct capture;
struct decoder;

/* One fragment of a split conversation (split 0: its first). */
struct view_fragment {
	uint64_t	 id;
	unsigned int	 split;
	uint64_t	 size;
	uint64_t	 packets;
	bool		 self;		/* the session opened */
};

/* One session: its meta read through r with id, and its packets. */
struct view_session {
	uint64_t		  id;
	const struct meta_reader *r;
	uint64_t		  t_first;	/* its start, ns */
	struct view_fragment	 *frag;		/* NULL when not split */
	size_t			  nfrag;
	bool			  packets;	/* whether they can be read */
	size_t			  npkts;
	size_t			  ngone;	/* no longer kept (live) */
	void			 *own;
};

/* Whether a packet was read again, and if not why. */
enum view_pkt_state {
	VIEW_PKT_READ,
	VIEW_PKT_NEVER,		/* never kept */
	VIEW_PKT_GONE,		/* its spool file was deleted */
	VIEW_PKT_CHANGED,	/* its file changed */
	VIEW_PKT_UNREACHABLE,	/* where it is kept did not answer */
};

/*
 * One packet of a session.  Read (state VIEW_PKT_READ): its frame number
 * in its file ("N", or "FILE:N" with several files), time and lengths,
 * the captured bytes, and when it decoded (decoded true) which side sent
 * it (0 initiator, 1 responder; -1 when it did not decode), its payload
 * and, asked with VIEW_PKT_SHOW, parse_show()'s lines (escaped, each
 * ended by LF; nshow 0: nothing known).  Else why says why, a phrase.
 */
struct view_packet {
	size_t			 k;
	enum view_pkt_state	 state;
	const char		*why;
	const char		*frame;
	uint64_t		 ts;		/* ns since the epoch */
	uint8_t			 prec;		/* 6 or 9 digits */
	uint32_t		 wirelen, caplen;
	const uint8_t		*data;
	bool			 decoded;
	int			 side;
	const uint8_t		*payload;
	uint32_t		 payload_len, payload_caplen;
	const char		*show;
	size_t			 nshow;
};

#define VIEW_PKT_SHOW	0x1

/* Called for each packet asked for; false to stop. */
typedef bool (*view_packet_fn)(const struct view_packet *, void *);

/*
 * For stores' implementations: what a packet read again says, filled in
 * a struct view_packet that has its data, caplen, wirelen and ts.  The
 * side is found from the initiator's address (af 4 or 6) and port.
 */
struct view_pktdec {
	struct decoder	*dec;
	struct buf	 show;
	int		 flags;
	uint8_t		 af;
	uint8_t		 addr[16];
	uint16_t	 port;
};
void	 view_pktdec_init(struct view_pktdec *, int flags, uint8_t af,
	    const uint8_t *addr, uint16_t port);
void	 view_pktdec(struct view_pktdec *, int dlt, uint64_t ordinal,
	    uint16_t input, struct view_packet *);
void	 view_pktdec_free(struct view_pktdec *);

/* Have the in-memory view read packets again through c. */
void	 view_mem_packets(struct view *, struct capture *c);
/* One session's meta, fragments and packet count. */
bool	 view_session_open(struct view *, const struct view_ref *,
	    struct view_session *, char **cause);
/* Packets [from, from + n) of a session, to fn in order. */
bool	 view_session_packets(struct view *, struct view_session *,
	    size_t from, size_t n, int flags, view_packet_fn, void *,
	    char **cause);
void	 view_session_free(struct view *, struct view_session *);

#endif
