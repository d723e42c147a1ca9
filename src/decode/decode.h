/*
 * decode.h - turn one captured frame into the facts the session layer needs:
 * link-layer details, the innermost followed IP header, the transport ports
 * and flags, and where the application payload is.
 *
 * Contract:
 * - decode_packet() never reads outside [data, data + caplen).  Malformed
 *   frames are data: they come back as DECODE_UNASSIGNED with a reason.
 * - IP fragments are held by the decoder until their datagram is complete
 *   (DECODE_HELD); the packet that completes it returns DECODE_OK with
 *   d->nfrags > 0 listing every fragment of the datagram, the completing one
 *   included, in arrival order.  The reassembled bytes live in the decoder
 *   and stay valid until the next decode_packet() or decoder_free().
 * - Whenever d->nfrags > 0 the result applies to every listed fragment: a
 *   completed datagram whose transport header does not decode comes back
 *   DECODE_UNASSIGNED with nfrags > 0, and each of its fragments counts
 *   under *reason.  With nfrags 0 the result is the current packet's alone.
 * - Held fragments that time out (capture time), that would pass the size
 *   cap, that are dropped to bound memory, or that are still held at the
 *   end come back through the expire callback, one call per fragment, with
 *   reason DR_FRAG_INCOMPLETE.
 * - One decoder belongs to one thread (the engine's).
 */
#ifndef HUNTCON_DECODE_H
#define HUNTCON_DECODE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* Why a packet was not assigned to a session: exactly one per packet. */
enum decode_reason {
	DR_NONE = 0,		/* assigned */
	DR_LINKTYPE,		/* link type not supported */
	DR_LINK_TRUNC,		/* link or encapsulation header cut short */
	DR_NOT_IP,		/* ARP, LLC, other ethertype or PPP protocol */
	DR_IP_TRUNC,		/* IP header cut short */
	DR_IP_BAD,		/* bad version, IHL or total length */
	DR_L4_TRUNC,		/* TCP/UDP header cut short: ports do not decode */
	DR_FRAG_INCOMPLETE,	/* fragment whose datagram never completed */
	DR_ENCRYPTED,		/* encrypted link frame (protected 802.11) */
	DR_COUNT
};

/* Short names of the reasons, for --stats ("not ip" ...). */
extern const char *const decode_reason_names[DR_COUNT];

/* Identifies one read packet for fragment bookkeeping. */
struct pkt_ref {
	uint64_t	 ordinal;	/* 0-based index in the whole input */
	uint64_t	 ts;		/* capture time, ns */
	uint32_t	 wirelen;	/* original length */
	uint16_t	 input;		/* index of the input it came from */
};

#define DECODE_MAXVLAN	4

/* What one frame (or completed datagram) says. */
struct decoded {
	/* Link layer (of the frame; for a datagram, of its first fragment). */
	uint8_t		 medium;	/* 1 Ethernet/cooked/802.11, 13 other */
	bool		 has_eth;	/* eth_src and eth_dst are valid */
	uint8_t		 eth_src[6], eth_dst[6];
	/* The outer frame's type field: 0x8100 for a tagged frame, the
	 * protocol for Linux cooked, 0 for raw IP and loopback. */
	uint16_t	 eth_type;
	uint8_t		 nvlan;		/* outer frame's tags, extra ones lost */
	uint16_t	 vlan[DECODE_MAXVLAN];	/* outermost first */

	/* Innermost followed IP header. */
	uint8_t		 af;		/* 4 or 6 */
	uint8_t		 proto;		/* upper protocol (after v6 ext hdrs) */
	uint8_t		 src[16], dst[16];	/* IPv4: first 4 bytes, rest 0 */
	uint8_t		 tunnels;	/* encapsulations followed to get here */

	/* Transport. */
	uint16_t	 sport, dport;	/* TCP/UDP, host order; else 0 */
	uint8_t		 tcp_flags;	/* TCP only */
	bool		 has_icmp;	/* ICMP or ICMPv6 with type and code */
	uint8_t		 icmp_type, icmp_code;

	/*
	 * Application payload: len from the headers' lengths (TCP/UDP
	 * payload; data after the 8-byte ICMP header; the IP payload for
	 * other protocols), and the bytes actually captured of it.
	 */
	uint32_t	 payload_len;
	const uint8_t	*payload;
	uint32_t	 payload_caplen;
	uint32_t	 tcp_seq;	/* TCP only */

	/* Completed fragmented datagram: its fragments (else nfrags 0). */
	size_t		 nfrags;
	const struct pkt_ref *frags;
};

enum decode_result {
	DECODE_OK,		/* *d describes a packet for a session */
	DECODE_HELD,		/* a fragment, held until its datagram completes */
	DECODE_UNASSIGNED,	/* not for any session: see d->reason */
};

/* Limits the decoder applies (SPEC §1, configurable); 0 means default. */
struct decode_config {
	uint64_t	 frag_timeout_ns;	/* default 30 s */
	uint32_t	 frag_max;		/* IP payload, default 65536 bytes */
};

#define DECODE_FRAG_TIMEOUT	(30ULL * 1000000000ULL)
#define DECODE_FRAG_MAX		65536

struct decoder;

/* A new decoder; a NULL config means the defaults. */
struct decoder	*decoder_new(const struct decode_config *);
void		 decoder_free(struct decoder *);

/*
 * Decode a frame of the given DLT link type.  On DECODE_UNASSIGNED *reason
 * says why.  The packet's own identity is given in ref.
 */
enum decode_result decode_packet(struct decoder *, int dlt,
		    const uint8_t *data, uint32_t caplen,
		    const struct pkt_ref *ref, struct decoded *d,
		    enum decode_reason *reason);

/* Report (and forget) held fragments older than now - timeout. */
void		 decoder_expire(struct decoder *, uint64_t now,
		    void (*)(const struct pkt_ref *, void *), void *);
/* Report (and forget) every held fragment: the end of input. */
void		 decoder_flush(struct decoder *,
		    void (*)(const struct pkt_ref *, void *), void *);

/* Whether a DLT link type is one the decoder reads. */
bool		 decode_dlt_supported(int dlt);

#endif
