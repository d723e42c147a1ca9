/*
 * session.h - cut decoded packets into sessions (SPEC §1) and describe each
 * with its core meta (SPEC §2).
 *
 * Contract:
 * - One session table belongs to one thread, the engine's (single writer).
 *   Packets are fed in capture order with session_table_packet(); the table
 *   keeps the capture clock (largest timestamp seen) and closes sessions on
 *   linger, idle timeout, split and end of input, and, to open one more
 *   at cfg.max_open, the one idle longest (session_table_capped() counts
 *   those).
 * - Every closed session is handed to the close callback exactly once, in
 *   closing order, with its initiator and s->closed_by decided.  From then
 *   on the table no longer touches it: the callback's receiver (the store)
 *   owns it and frees it with session_free().
 * - Session ids are given when a session opens, in order of first packet.
 */
#ifndef HUNTCON_SESSION_H
#define HUNTCON_SESSION_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "decode/decode.h"
#include "meta/meta.h"

/* Limits of SPEC §1 and §9. */
struct session_config {
	uint64_t	 idle_ns;	/* session.idle_timeout, 60 s */
	uint64_t	 linger_ns;	/* session.tcp_linger, 2 s */
	uint64_t	 split_bytes;	/* session.split_bytes, 32 MiB */
	uint64_t	 split_ns;	/* session.split_time, 60 s */
	uint64_t	 max_open;	/* session.max_open; 0: no cap */
};

/* Why a session closed (s->closed_by). */
enum session_close_reason {
	SCR_OPEN = 0,		/* not closed (or not known: a view) */
	SCR_IDLE,		/* idle timeout */
	SCR_LINGER,		/* after FIN both ways or RST, or a new SYN */
	SCR_SPLIT,		/* split before the next fragment */
	SCR_END,		/* end of input */
	SCR_MAX_OPEN		/* early, to keep under session.max_open */
};

/* A small set of 16-bit values kept in first-seen order. */
struct u16set {
	uint16_t	 n;
	uint16_t	 cap;		/* 0: inline storage in v.in */
	union {
		uint16_t	 in[4];
		uint16_t	*heap;
	} v;
};

/*
 * Where a session's packets are: ordinals of the input stream, as varint
 * deltas.  The first PKTIDX_INLINE bytes of an open session's are kept in
 * place of the pointer (cap 0): most sessions have a packet or three.
 */
#define PKTIDX_INLINE	8
struct pktidx {
	union {
		uint8_t	*buf;		/* cap != 0: on the heap, or a view's */
		uint8_t	 in[PKTIDX_INLINE];	/* cap == 0 */
	};
	uint32_t	 len;
	uint32_t	 cap;
};
/* The bytes of a packet index. */
static inline const uint8_t *
pktidx_bytes(const struct pktidx *x)
{
	return (x->cap == 0 ? x->in : x->buf);
}

/* Rule- and parser-written meta: (key, value) pairs in first-seen order. */
struct meta_extra;
/* Per-session parser state (src/parse). */
struct parse_state;

/* Who wrote an extra value (for removal when rules are re-applied). */
#define MF_PARSER	0x1
#define MF_RULE		0x2
#define MF_TRANSIENT	0x4
/* For pooled text: it has no ASCII capital (folds to itself). */
#define MF_LOWER	0x10

/*
 * One session.  Sides are canonical: side 0 has the lower (address, port).
 * The initiator is a side; src/dst meta are read through it.
 *
 * The fields come in three groups, so that the engine's thread and the
 * parsers' thread write into few common cache lines while the session is
 * open: what every packet writes; what is written once and then only read
 * (more than a cache line of it, between the other two); what the parsers
 * write, next to the room for values that follows the session while they
 * run.  A session is malloc'd (16-byte aligned), so a line may still
 * straddle two groups where they meet.  Fields marked "open" are used only
 * while the session is open; the store packs the others (store/record.c).
 */
struct session {
	/* Written as packets arrive. */
	uint64_t	 t_last;	/* capture time, ns */
	uint64_t	 size;
	uint64_t	 payload[2];		/* per side */
	uint64_t	 packets;
	struct pktidx	 pkts;
	uint8_t		 seen;		/* bit per side that sent packets */
	uint8_t		 tcp_flags;
	int8_t		 syn_side;	/* open: sender of first SYN without ACK */
	int8_t		 synack_side;	/* open: receiver of first SYN-ACK */
	int8_t		 echo_side;	/* open: sender of first echo request */
	int8_t		 first_side;	/* open: sender of the first packet */
	uint8_t		 fin;		/* open: bit per side that sent FIN */
	bool		 closing;	/* open: FIN both ways or RST: lingering */
	struct u16set	 vlan;
	struct u16set	 icmp;		/* type << 8 | code */
	struct u16set	 inputs;	/* did: input indexes */
	uint64_t	 deadline;	/* open: closes when the clock passes */
	uint64_t	 clock_seen;	/* open: the clock at its last packet */
	uint64_t	 pkt_last;	/* open: last ordinal in pkts */
	struct parse_state *parse;	/* open */
	struct session	*hnext;		/* open: table chain */
	struct session	*tprev, *tnext;	/* open: deadline list */
	uint8_t		 listed;	/* open: which deadline list it is on */
	uint8_t		 unwatched;	/* open: bit per side whose packets
					   the packet function wants no more */

	/* Written once (the narrow fields first: no padding between the
	   groups). */
	uint16_t	 port[2];
	uint16_t	 eth_type;
	uint64_t	 id;		/* sessionid */
	uint64_t	 first_id;	/* session.first; 0 when never split */
	uint64_t	 t_first;
	uint32_t	 split;		/* session.split when first_id != 0 */
	uint8_t		 af;		/* 4 or 6 */
	uint8_t		 proto;
	uint8_t		 prec;		/* 6 or 9: time precision */
	uint8_t		 medium;
	int8_t		 initiator;	/* side; -1 until decided */
	bool		 has_eth[2];
	uint8_t		 xinline;	/* open: room for this many values of
					   extra meta follows */
	bool		 priv;		/* open: and room for the packet
					   function */
	uint8_t		 closed_by;	/* enum session_close_reason; a view
					   knows only SCR_MAX_OPEN */
	uint8_t		 addr[2][16];
	uint8_t		 eth[2][12];	/* per side: first frame's dst, src */

	/* Written by the parsers (and rules). */
	uint16_t	 service;	/* 0 unknown */
	uint32_t	 eth_pool;	/* pool id + 1 of eth; 0: not pooled */
	uint32_t	 xpn;		/* values in xpacked */
	struct meta_extra *extra;
	const uint8_t	*xpacked;	/* a view's extra meta, packed */
	uint64_t	 xkeys;		/* bit key % 64: the extra meta may
					   have values of key */
};

struct session_table;

/* Called for each closed session; the receiver owns it afterwards. */
typedef void (*session_close_fn)(struct session *, void *);
/* Called for each packet once it joined s (sender's side given). */
typedef void (*session_packet_fn)(struct session *, const struct decoded *,
    int side, uint64_t ts, void *);

struct session_table *session_table_new(const struct session_config *,
		    session_close_fn, void *);
void		 session_table_free(struct session_table *);
/*
 * Have fn see every packet as it joins its session (the parsers), each
 * open session carrying bytes for it (session_private(), not
 * zeroed) until it is freed.  fn sets bit side of s->unwatched to see no
 * more of a session's packets from that side (SESSION_UNWATCHED: none).
 */
#define SESSION_UNWATCHED	3
void		 session_table_on_packet(struct session_table *,
		    session_packet_fn, size_t private_tcp, size_t private_other);
void		*session_private(struct session *);
/*
 * Feed one decoded packet (or completed datagram: d->frags lists its
 * fragments, which all join the session).
 */
void		 session_table_packet(struct session_table *,
		    const struct decoded *, const struct pkt_ref *, uint8_t prec);
/* Advance the clock to ts, closing what it passes. */
void		 session_table_clock(struct session_table *, uint64_t ts);
/* Close every open session (end of input). */
void		 session_table_flush(struct session_table *);
/* The capture clock: largest timestamp seen. */
uint64_t	 session_table_now(const struct session_table *);
/* Sessions open now, and ids given so far. */
uint64_t	 session_table_open(const struct session_table *);
/* The initiator's side by SPEC §1 (of an open one: as it stands). */
int		 session_initiator(const struct session *);
/* Call fn on at most max open sessions (the table's thread, or paused). */
void		 session_table_walk(const struct session_table *,
		    session_close_fn, void *, size_t max);
uint64_t	 session_table_ids(const struct session_table *);
/* Sessions closed early to keep under cfg.max_open (SCR_MAX_OPEN). */
uint64_t	 session_table_capped(const struct session_table *);

void		 session_free(struct session *);

/* Small sets. */
void		 u16set_add(struct u16set *, uint16_t);
uint16_t	 u16set_get(const struct u16set *, uint16_t);
void		 u16set_free(struct u16set *);

/* Packet index. */
/* Add an ordinal; *last is the last one added (0 before the first). */
void		 pktidx_add(struct pktidx *, uint64_t *last, uint64_t ordinal);
void		 pktidx_free(struct pktidx *);
/* Iterate: *pos starts at 0; returns false at the end. */
bool		 pktidx_next(const struct pktidx *, uint32_t *pos,
		    uint64_t *ordinal);

/*
 * The core meta of a closed session (SPEC §2), for the meta reader.  Inputs
 * names the did values by input index.  Returns the number of values.
 */
struct netrange {
	uint8_t		 af;		/* 4 or 6 */
	uint8_t		 plen;		/* prefix length */
	uint8_t		 addr[16];
};
struct session_ctx {
	const char *const	*inputs;	/* did by input index */
	const struct netrange	*home;		/* extra home networks */
	size_t			 nhome;
	/* packets.missing: how many cannot be read again; NULL: none. */
	uint64_t		(*missing)(const struct session *, void *);
	void			*missing_arg;
};
/* Whether an address is internal (SPEC §2 ranges or a home network). */
bool		 session_internal(const struct session_ctx *, uint8_t af,
		    const uint8_t *);
/* Parse "A.B.C.D/N" or an IPv6 prefix; false when it is not one. */
bool		 netrange_parse(const char *, size_t, struct netrange *);
/* Whether an address is inside a range. */
bool		 netrange_has(const struct netrange *, uint8_t af,
		    const uint8_t *);
size_t		 session_values(const struct session *,
		    const struct session_ctx *, int key, struct mval *, size_t);

/*
 * A meta reader over single sessions: the item is a struct session pointer
 * cast to uint64_t.  Rules read a closing session through it before the
 * session reaches the store.  The reader keeps ctx; it must outlive it.
 */
void		 session_reader_init(struct meta_reader *,
		    const struct session_ctx *);

/*
 * Extra meta (any key, written by parsers and rules).  Values form a set per
 * key (text case folded) in first-seen order; text is copied.  add returns
 * false when the value was there already.
 */
bool		 session_meta_add(struct session *, int key, const struct mval *,
		    uint8_t flags);
/*
 * Add a text value held in the value pool, by its id, that the caller
 * knows the key does not hold (equal folded), without searching the
 * session's values: rules writing to a key that had no value when they
 * started know what they wrote.
 */
void		 session_meta_append_pooled(struct session *, int key,
		    uint32_t, uint8_t flags);
/* Add a text value held in the value pool, by its id. */
bool		 session_meta_add_pooled(struct session *, int key, uint32_t,
		    uint8_t flags);
/* The pool ids of a key's text values (same contract as below). */
size_t		 session_meta_text_ids(const struct session *, int key,
		    uint32_t *, size_t);
/* Values of a key from the extra meta (same contract as session_values). */
size_t		 session_meta_get(const struct session *, int key,
		    struct mval *, size_t);
/*
 * Whether the extra meta may hold values of key: false means it holds
 * none (a bit per key % 64, kept as values are added).
 */
static inline bool
session_meta_maybe(const struct session *s, int key)
{
	return ((s->xkeys >> ((unsigned)key % 64)) & 1);
}
/* Remove every extra value whose flags intersect these. */
void		 session_meta_drop(struct session *, uint8_t flags);
void		 session_meta_free(struct session *);
/* The same for a session about to be freed: its fields are left as are. */
void		 session_meta_release(struct session *);
/* Extra values held. */
uint32_t	 session_meta_count(const struct session *);
/*
 * For store/record.c: write the extra meta packed at p (at most bound
 * bytes), or make s view the packed meta at p (returns the end of it).
 */
size_t		 session_meta_pack_bound(const struct session *);
size_t		 session_meta_pack(const struct session *, uint8_t *);
const uint8_t	*session_meta_view(struct session *, const uint8_t *);
/* Extra values an open session of an IP protocol has room for after it,
   and the bytes of room for n values. */
uint8_t		 session_meta_inline(uint8_t proto);
size_t		 session_meta_inline_size(uint8_t n);
/* Give a view its own copy of the extra meta, to change it. */
void		 session_meta_own(struct session *);
/* Whether two sessions hold the same extra values in the same order. */
bool		 session_meta_equal(const struct session *,
		    const struct session *);

#endif
