/*
 * defrag.h - IPv4 and IPv6 fragment reassembly, private to src/decode/.
 *
 * Contract:
 * - decode.c hands every fragment to defrag_add() with the decoded state of
 *   its packet so far (link layer and the IP header that was fragmented).
 *   defrag_add() copies the fragment's bytes and keeps its pkt_ref; it
 *   returns true when the fragment completes its datagram.
 * - The completed datagram (done) stays valid until defrag_release(), which
 *   decode_packet() calls at the start of the next packet.
 * - Datagrams dropped on the way (over the size cap, too many fragments,
 *   evicted to bound memory) are reported at the next defrag_expire(), one
 *   callback per held fragment, arrival order.
 * - Overlapping data: the first bytes received win.
 */
#ifndef HUNTCON_DEFRAG_H
#define HUNTCON_DEFRAG_H

#include "decode/decode.h"

/* What identifies one datagram. */
struct defrag_key {
	uint32_t	 id;		/* IPv4 16-bit or IPv6 32-bit id */
	uint8_t		 af;		/* 4 or 6 */
	uint8_t		 proto;		/* IPv4 protocol, IPv6 next header */
	uint8_t		 src[16], dst[16];	/* as in struct decoded */
};

/* One fragment's data. */
struct defrag_frag {
	const uint8_t	*data;
	uint32_t	 off;		/* byte offset in the datagram payload */
	uint32_t	 len;		/* length from the IP header */
	uint32_t	 caplen;	/* bytes of it captured, <= len */
	bool		 more;		/* more fragments follow */
};

/* A completed datagram. */
struct defrag_done {
	const struct decoded *first;	/* state of the first-arriving one */
	const uint8_t	*data;
	uint32_t	 len;		/* payload length from the headers */
	uint32_t	 caplen;	/* bytes of it captured, from the start */
	const struct pkt_ref *refs;	/* arrival order */
	size_t		 nrefs;
};

struct defrag;

struct defrag	*defrag_new(const struct decode_config *);
void		 defrag_free(struct defrag *);
bool		 defrag_add(struct defrag *, const struct defrag_key *,
		    const struct defrag_frag *, const struct pkt_ref *,
		    const struct decoded *, struct defrag_done *);
void		 defrag_release(struct defrag *);
void		 defrag_expire(struct defrag *, uint64_t,
		    void (*)(const struct pkt_ref *, void *), void *);
void		 defrag_flush(struct defrag *,
		    void (*)(const struct pkt_ref *, void *), void *);

#endif
