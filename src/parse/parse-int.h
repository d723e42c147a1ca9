/*
 * parse-int.h - what the protocol parsers share: per-session state, the
 * bounded per-direction stream buffers, the parser context, the protocols'
 * rows (struct parse_ops) and the meta writers.  Only src/parse/ includes
 * it.  Three tiers: write.c, stream.c, md5.c and host.c at the bottom;
 * one file per protocol in the middle, each defining its rows; parse.c
 * (dispatch) and pipe.c (the parsers' thread) on top.
 */
#ifndef HUNTCON_PARSE_INT_H
#define HUNTCON_PARSE_INT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include "parse/parse.h"

/* What the first bytes of a direction say. */
enum parse_sniff {
	PS_NO,			/* not this protocol */
	PS_MORE,		/* could be: need more bytes */
	PS_YES			/* this protocol */
};

/*
 * The protocols, one row each: PP_NAME in enum parse_proto, and the
 * struct parse_ops name_ops its file defines.  A TCP direction's sniffers
 * are tried in this order.
 */
#define PARSE_PROTOCOLS(X)						\
	X(HTTP, http)							\
	X(TLS, tls)							\
	X(SSH, ssh)							\
	X(BANNER, banner)	/* '220' banner: SMTP or FTP, not known yet */ \
	X(DNS, dns)		/* UDP datagrams or TCP with length framing */ \
	X(SMTP, smtp)							\
	X(FTP, ftp)							\
	X(MDNS, mdns)		/* DNS format on UDP 5353 */		\
	X(LLMNR, llmnr)		/* DNS format on UDP 5355 */		\
	X(NBNS, nbns)		/* NetBIOS name service, UDP 137 */	\
	X(QUIC, quic)		/* a client Initial on UDP */		\
	X(ICMP, icmp)		/* ICMP and ICMPv6 echoes */

/* Protocols found by content (index into parse_ops[]). */
#define PARSE_ENUM(u, l)	PP_##u,
enum parse_proto {
	PP_NONE = 0,
	PARSE_PROTOCOLS(PARSE_ENUM)
	PP_COUNT
};
#undef PARSE_ENUM

/*
 * The first bytes of one TCP direction, placed by sequence number relative
 * to the handshake (the SYN's sequence number + 1) or, when it was not
 * seen, to the lowest sequence number seen so far, so segments split
 * anywhere, retransmitted, overlapping, reordered or missing are handled
 * (the first copy of a byte wins).  At most max bytes are kept; contig is
 * the length received without a gap from offset 0, all a parser reads.
 */
struct parse_stream {
	uint8_t		*buf;
	uint8_t		*map;		/* bit per byte received; NULL while in order */
	uint32_t	 alloc;		/* bytes allocated in buf */
	uint32_t	 max;		/* bytes to keep at most */
	uint32_t	 contig;
	uint32_t	 base;		/* sequence number of offset 0 */
	bool		 started;	/* bytes were placed */
	bool		 anchored;	/* base is from the SYN: it stays */
	uint8_t		 sniff;		/* enum parse_proto found, or PP_NONE */
	bool		 decided;	/* sniffing of this direction is over */
	bool		 limited;	/* max is its protocol's: tls_limit() */
};

struct dns_state;
struct icmp_state;
struct quic_state;

/*
 * Per-session parser state (s->parse).  With a parsers' thread, the
 * engine's thread fills it while the session is open (streams) and the
 * parsers' thread writes the meta from it afterwards; the DNS and ICMP
 * states are the parsers' thread's from the start (datagrams and echo
 * payloads go there one by one, through their protocol's bytes hook).
 */
struct parse_state {
	uint8_t			 proto;		/* enum parse_proto */
	bool			 embedded;	/* in the session's room */
	bool			 streams;	/* a TCP session's: st follows */
	uint32_t		 svc;		/* analysis.service bits (PI_*) */
	uint32_t		 ses;		/* analysis.session bits (PI_*) */
	struct dns_state	*dns;
	union {
		struct icmp_state *icmp;	/* ICMP, ICMPv6 */
		struct quic_state *quic;	/* UDP, proto PP_QUIC */
	};
	/* TCP only, per canonical side: the room of another session ends
	   before it (parse_state_size()). */
	struct parse_stream	 st[2];
};

/*
 * What a protocol's packet hook asks of the dispatcher: nothing more, to
 * hand bytes (a copy when there is a parsers' thread) to its bytes hook
 * on the thread that writes meta, or to finish the session now.
 */
enum parse_next {
	PN_NOTHING,
	PN_BYTES,
	PN_DONE
};

/*
 * How a UDP session's first datagram picks a protocol, in passes: a
 * protocol that owns its port (its service) decides alone there; then
 * those found by content on any port; then by content on their port; then
 * the one found by content on any other port.
 */
enum parse_udp {
	PU_NO,			/* not a UDP protocol */
	PU_OWNS,		/* on its port: this or nothing */
	PU_CONTENT,		/* by content, on any port */
	PU_PORT,		/* by content, on its port */
	PU_ANY			/* by content, on its port or any other */
};

/* The bytes a packet hook hands over, and for which state. */
struct parse_bytes {
	void		*state;
	const uint8_t	*p;
	uint32_t	 n;
	uint32_t	 wirelen;	/* on the wire (ICMP payload) */
	bool		 flag;		/* the protocol's own */
};

/* A key a parser writes, resolved once by name. */
struct parse_key {
	const char	*name;
	int		*id;
};

/* Indicator bits (index into parse_indicators). */
enum parse_ind {
	PI_DNS_LONG_QUERY,
	PI_DNS_LONG_LABEL,
	PI_DNS_LARGE_ANSWER,
	PI_DNS_BASE32,
	PI_DNS_BASE64,
	PI_DNS_TXT36,
	PI_DNS_TXT64,
	PI_DNS_ENTROPY,
	PI_DNS_OBSCURE,
	PI_DNS_LOW_TTL,
	PI_DNS_CONSONANTS,
	PI_DNS_IPNAME,
	PI_DNS_NONASCII,
	PI_DNS_MANY,
	PI_DNS_PORT53,
	PI_HTTP_NO_UA,
	PI_HTTP_NO_REFERER,
	PI_HTTP_DIRECT_IP,
	PI_ICMP_NO_REQUEST,
	PI_ICMP_DIFFERS,
	PI_ICMP_NONSTD,
	PI_ICMP_SIZES,
	PI_ICMP_MAGIC,
	PI_ICMP_TEXT,
	PI_ICMP_PATTERN,
	PI_COUNT
};

extern const char *const parse_indicators[PI_COUNT];

/* Key ids every parser may use (write.c; resolved by parse_ctx_new()). */
extern const struct parse_key parse_keys[];
extern int	pk_host, pk_service_ind, pk_session_ind;

/* Whether p starts with tok: PS_MORE when p is a shorter prefix of it. */
static inline enum parse_sniff
parse_token(const uint8_t *p, size_t n, const char *tok)
{
	size_t	l = strlen(tok);

	if (n == 0)
		return (PS_MORE);
	if (n >= l)
		return (memcmp(p, tok, l) == 0 ? PS_YES : PS_NO);
	return (memcmp(p, tok, n) == 0 ? PS_MORE : PS_NO);
}

/*
 * A free list of parser state blocks of one size: state comes and goes
 * with every session, and malloc and free of it were a tenth of the
 * parsers' time.  Engine thread only; at most PARSE_BLOCKS_KEEP are kept,
 * as many as the DNS sessions of a busy minute: they time out in bursts,
 * and with 16,384 kept a fifth of the blocks went back to malloc and
 * were taken from it again.
 */
struct parse_blocks {
	void		**stack;	/* pointers: taking one reads none */
	uint32_t	  n;
	uint32_t	  size;
};
#define PARSE_BLOCKS_KEEP	65536

/* Buffer sizes pooled for streams: 512 << 0 .. 512 << 7 (stream.c). */
#define PARSE_BUF_CLASSES	8
/* Pool ids of constant strings kept by address (parse_add_const()). */
#define PARSE_CONSTS		512

struct md5_memo;
struct host_cache;

/*
 * One engine's parser context: the thresholds its parsers read, the pools
 * of per-session state and stream buffers (the engine's thread's), and
 * the caches of the thread that writes the meta (the parsers' thread when
 * there is one, else the engine's).  Nothing of it is shared between
 * engines; the key ids (parse_keys_init()), the value pool and the key
 * registry are the process's and only grow.
 */
struct parse_ctx {
	struct parse_settings	 conf;
	struct parse_pipe	*pipe;	/* its parsers' thread, or NULL */
	/* The engine's thread. */
	struct parse_blocks	 states;	/* struct parse_state */
	struct parse_blocks	 dns_states;
	struct parse_blocks	 icmp_states;
	uint8_t			**bufs[PARSE_BUF_CLASSES];
	uint32_t		 nbufs[PARSE_BUF_CLASSES];
	/* The meta writer's thread. */
	struct {
		const char	*str;
		uint32_t	 id;
	} consts[PARSE_CONSTS];
	struct md5_memo		*md5;		/* md5.c */
	struct host_cache	*host;		/* host.c */
};

/*
 * A protocol's row (parse_ops[], by enum parse_proto): what the dispatcher
 * (parse.c) and the parsers' thread (pipe.c) know of it.  A protocol file
 * knows neither: it is called through these hooks only (NULL: none) and
 * writes with write.c.  The hooks on the engine's thread are sniff,
 * first, early, is and packet; bytes and close run on the thread that
 * writes meta (the parsers' thread when there is one).
 */
struct parse_ops {
	uint16_t	 service;	/* well-known port written to service */
	uint32_t	 max;		/* bytes kept per TCP direction */
	/* TCP: whether a direction's first bytes are this protocol; starts:
	   the bytes it can start with (NULL: any), so other traffic skips
	   the sniffer; which: the member of a family the bytes name. */
	enum parse_sniff (*sniff)(const uint8_t *, size_t);
	const char	*starts;
	enum parse_proto (*which)(const uint8_t *, size_t);
	enum parse_proto family;	/* the family it is a member of */
	/* TCP: a direction's first segment, before it is stored. */
	void		 (*first)(struct parse_stream *, const uint8_t *,
			    size_t);
	/* TCP: whether the session told all it will (finish it early). */
	bool		 (*early)(struct parse_state *);
	/* UDP: how a first datagram picks it, and whether it is this. */
	enum parse_udp	 udp;
	bool		 (*is)(const uint8_t *, size_t);
	/* UDP, ICMP: a packet with payload; b: what to hand over. */
	enum parse_next	 (*packet)(struct parse_ctx *, struct session *,
			    struct parse_state *, const struct decoded *,
			    int side, struct parse_bytes *b);
	/* The bytes a packet handed over. */
	void		 (*bytes)(struct parse_ctx *, struct session *,
			    const struct parse_bytes *);
	/* Write the session's meta when it closes (or finishes early). */
	void		 (*close)(struct parse_ctx *, struct session *,
			    struct parse_state *);
	const struct parse_key *keys;	/* the keys it writes, or NULL */
};

/* parse.c: the rows, PP_NONE's first. */
extern const struct parse_ops *const parse_ops[PP_COUNT];
#define PARSE_DECLARE(u, l)	extern const struct parse_ops l##_ops;
PARSE_PROTOCOLS(PARSE_DECLARE)
#undef PARSE_DECLARE

/* Bytes of a TCP direction its first bytes are sniffed from. */
#define PARSE_SNIFF_MAX	512

/* write.c */
/* A zeroed block from the list (size bytes), and back to it. */
void	*parse_block_get(struct parse_blocks *);
void	 parse_block_put(struct parse_blocks *, void *);
void	 parse_blocks_free(struct parse_blocks *);
void	 parse_add_text(struct session *, int, const void *, size_t);
void	 parse_add_str(struct session *, int, const char *);
/* Add a string that lives for the whole run (its pool id is kept). */
void	 parse_add_const(struct parse_ctx *, struct session *, int,
	    const char *);
void	 parse_add_ip(struct session *, int, const uint8_t *, int af);
/* Add a host name (trailing dot dropped); true when it was new. */
bool	 parse_add_host(struct session *, const void *, size_t);

/* What the engine's thread hands the parsers' thread (pipe.c). */
enum parse_job_kind {
	PJ_BYTES,		/* bytes for a protocol's bytes hook */
	PJ_EARLY,		/* a session's state, complete early */
	PJ_CLOSE		/* a closed session */
};
void	 parse_pipe_ship(struct parse_pipe *, enum parse_job_kind,
	    struct session *, struct parse_state *);
/* Hand bytes (a copy) to protocol proto's bytes hook on the parsers'
   thread. */
void	 parse_pipe_bytes(struct parse_pipe *, enum parse_proto,
	    struct session *, const struct parse_bytes *);
/*
 * What a parse state holds that goes back to the pools of the engine's
 * thread: gathered where the state was last used, given back without
 * reading the state again.
 */
struct parse_garbage {
	uint8_t		*buf[2];
	uint32_t	 alloc[2];
	uint8_t		*map[2];
	void		*dns, *icmp, *quic, *ps;
};

/* parse.c: the meta of a state; freeing it. */
void	 parse_meta(struct parse_ctx *, struct session *, struct parse_state *);
void	 parse_release(struct parse_ctx *, struct parse_state *);
void	 parse_collect(struct parse_state *, struct parse_garbage *);
void	 parse_drop(struct parse_ctx *, const struct parse_garbage *);

/* stream.c */
void	 parse_stream_anchor(struct parse_stream *, uint32_t isn);
/* Whether both directions hold all their protocol reads. */
bool	 parse_streams_full(const struct parse_state *);
void	 parse_stream_add(struct parse_ctx *, struct parse_stream *,
	    uint32_t seq, const uint8_t *, uint32_t);
/* Byte buffers of power-of-two sizes, pooled (engine thread only). */
uint8_t	*parse_buf_get(struct parse_ctx *, uint32_t);
void	 parse_buf_put(struct parse_ctx *, uint8_t *, uint32_t);
void	 parse_bufs_free(struct parse_ctx *);

/* host.c: sld, tld and root.host of every alias.host value. */
extern const struct parse_key host_keys[];
void	 host_derive(struct parse_ctx *, struct session *);
struct host_cache *host_cache_new(void);
void	 host_cache_free(struct host_cache *);

/* md5.c: hex digest (33 bytes with the NUL). */
void	 md5_hex(const void *, size_t, char *);
/*
 * The pool id of the hex MD5 of the string make() writes (at most size
 * bytes, its length returned) from key, the canonical bytes of a
 * fingerprint; memoised by key when memo is set.
 */
uint32_t md5_fingerprint(struct parse_ctx *, const uint8_t *key, size_t n,
	    bool memo, size_t (*make)(const uint8_t *, size_t, char *,
	    size_t));
struct md5_memo *md5_memo_new(void);
void	 md5_memo_free(struct md5_memo *);

/* dns.c */
extern const size_t dns_state_size;
void	 dns_drop(struct parse_ctx *, void *);

/* tls.c: a bounded reader over bytes of a hello (the parser's and its
 * decoded view's), and GREASE values (RFC 8701). */
struct rd {
	const uint8_t	*p;
	size_t		 n, off;
	bool		 bad;
};
uint32_t rd_num(struct rd *, size_t);
struct rd rd_sub(struct rd *, size_t);
bool	 tls_grease(uint32_t);
/* tls.c: the IANA name of a common cipher suite (NULL: not known). */
const char *tls_suite_name(uint32_t);
/* tls.c: a QUIC session's version name and its ClientHello's meta. */
void	 tls_quic_hello(struct parse_ctx *, struct session *, const char *,
	    const uint8_t *, size_t);

/* quic.c */
struct quic_state *quic_start(const uint8_t *, size_t, int side);
/* Read a datagram; true once the session told all it will. */
bool	 quic_datagram(struct quic_state *, const uint8_t *, size_t,
	    int side);
/* Read the frames of a decrypted Initial payload. */
void	 quic_frames(struct quic_state *, const uint8_t *, size_t);
void	 quic_close(struct parse_ctx *, struct session *, struct parse_state *);
void	 quic_drop(void *);

/* icmp.c */
extern const size_t icmp_state_size;
void	 icmp_drop(struct parse_ctx *, void *);

#endif
