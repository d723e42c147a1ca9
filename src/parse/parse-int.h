/*
 * parse-int.h - what the protocol parsers share: per-session state, the
 * bounded per-direction stream buffers, key and setting tables and the meta
 * writers.  Only src/parse/ includes it.
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

/* Protocols found by content (index into the parser table). */
enum parse_proto {
	PP_NONE = 0,
	PP_DNS,			/* UDP datagrams or TCP with length framing */
	PP_HTTP,
	PP_TLS,
	PP_SSH,
	PP_SMTP,
	PP_FTP,
	PP_BANNER,		/* '220' banner: SMTP or FTP, not known yet */
	PP_MDNS,		/* DNS format on UDP 5353 */
	PP_LLMNR,		/* DNS format on UDP 5355 */
	PP_NBNS,		/* NetBIOS name service, UDP 137 */
	PP_QUIC,		/* a client Initial on UDP */
	PP_COUNT
};

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
 * payloads go there one by one, parse_pipe_bytes()).
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
	struct parse_pipe	*pipe;		/* its parsers' thread or NULL */
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
	PJ_DNS,			/* a DNS datagram */
	PJ_ICMP,		/* an ICMP echo request or reply */
	PJ_EARLY,		/* a TCP session's state, complete early */
	PJ_CLOSE		/* a closed session */
};
void	 parse_pipe_ship(struct parse_pipe *, enum parse_job_kind,
	    struct session *, struct parse_state *);
/*
 * Hand bytes (a copy) to the parsers' thread: a DNS datagram for its
 * dns_state (flag: known to be DNS), or an ICMP echo's identifier,
 * sequence and payload for its icmp_state (wirelen: the payload's length
 * on the wire; flag: a reply).
 */
void	 parse_pipe_bytes(struct parse_pipe *, enum parse_job_kind,
	    struct session *, void *state, const uint8_t *, uint32_t,
	    uint32_t wirelen, bool flag);
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
extern const struct parse_key dns_keys[];
extern const size_t dns_state_size;
bool	 dns_is_message(const uint8_t *, size_t);
bool	 nbns_is_message(const uint8_t *, size_t);
void	 dns_datagram(struct parse_ctx *, struct session *, struct dns_state *,
	    const uint8_t *, size_t, bool checked);
void	 dns_start(struct parse_ctx *, struct parse_state *, enum parse_proto);
void	 dns_drop(struct parse_ctx *, void *);
void	 dns_parse(struct parse_ctx *, struct session *, struct dns_state *,
	    const uint8_t *, size_t);
enum parse_sniff dns_sniff_tcp(const uint8_t *, size_t);
void	 dns_close(struct parse_ctx *, struct session *, struct parse_state *);

/* http.c */
extern const struct parse_key http_keys[];
enum parse_sniff http_sniff(const uint8_t *, size_t);
void	 http_close(struct parse_ctx *, struct session *, struct parse_state *);

/* tls.c */
extern const struct parse_key tls_keys[];
enum parse_sniff tls_sniff(const uint8_t *, size_t);
/* Keep no more of a direction than its first TLS record. */
void	 tls_limit(struct parse_stream *);
/* The same from its first segment (p, n), before it is stored. */
void	 tls_limit_first(struct parse_stream *, const uint8_t *, size_t);
void	 tls_close(struct parse_ctx *, struct session *, struct parse_state *);
/* Write a QUIC session's version name and its ClientHello's meta. */
void	 tls_quic_hello(struct parse_ctx *, struct session *, const char *,
	    const uint8_t *, size_t);

/* quic.c */
bool	 quic_is_initial(const uint8_t *, size_t);
struct quic_state *quic_start(const uint8_t *, size_t, int side);
/* Read a datagram; true once the session told all it will. */
bool	 quic_datagram(struct quic_state *, const uint8_t *, size_t,
	    int side);
/* Read the frames of a decrypted Initial payload. */
void	 quic_frames(struct quic_state *, const uint8_t *, size_t);
void	 quic_close(struct parse_ctx *, struct session *, struct parse_state *);
void	 quic_drop(void *);

/* ssh.c */
#define SSH_BANNER_MAX	255	/* RFC 4253: the line is at most 255 bytes */
extern const struct parse_key ssh_keys[];
enum parse_sniff ssh_sniff(const uint8_t *, size_t);
void	 ssh_close(struct parse_ctx *, struct session *, struct parse_state *);

/* mail.c: SMTP and FTP (service only). */
enum parse_sniff banner_sniff(const uint8_t *, size_t);
/* Which of SMTP, FTP (or PP_BANNER: either) the first bytes say. */
enum parse_proto banner_kind(const uint8_t *, size_t);

/* icmp.c */
extern const struct parse_key icmp_keys[];
extern const size_t icmp_state_size;
void	 icmp_packet(struct parse_ctx *, struct session *,
	    struct parse_state *, const struct decoded *);
void	 icmp_echo(struct parse_ctx *, struct icmp_state *, const uint8_t *,
	    size_t, uint32_t, bool reply);
void	 icmp_close(struct parse_ctx *, struct session *, struct parse_state *);
void	 icmp_drop(struct parse_ctx *, void *);

#endif
