/*
 * fuzz_quic.c - libFuzzer target for the QUIC Initial parser.
 *
 * The first input byte chooses what the rest is.  Even: the datagrams of
 * one UDP session to port 443 (each a control byte, its sender side in bit
 * 0, and a 16-bit length, then that many bytes), so the long-header
 * parsing, coalesced packets and the key derivation are reached (a random
 * payload seldom authenticates).  Odd: the decrypted frames of Initials
 * (same framing), read into one QUIC state whose CRYPTO stream then goes
 * through the ClientHello parser, as if authenticated.
 */

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "engine/engine.h"
#include "parse/parse-int.h"
#include "defaults.h"

int	LLVMFuzzerTestOneInput(const uint8_t *, size_t);

/* A QUIC v1 client Initial's first bytes, for the frames mode's state. */
static const uint8_t fuzz_initial[] = {
	0xc3, 0x00, 0x00, 0x00, 0x01, 0x08, 1, 2, 3, 4, 5, 6, 7, 8, 0x00
};

/* Feed one datagram of the session. */
static void
fuzz_datagram(struct session *s, int side, const uint8_t *p, size_t n)
{
	struct decoded	d;

	memset(&d, 0, sizeof d);
	d.af = 4;
	d.proto = 17;
	d.sport = s->port[side];
	d.dport = s->port[!side];
	d.payload = p;
	d.payload_caplen = (uint32_t)n;
	d.payload_len = (uint32_t)n;
	parse_packet(fuzz_pc, s, &d, side, 0);
}

/* Read the input's frame lists into a QUIC state and write its meta. */
static void
fuzz_frames(struct session *s, const uint8_t *data, size_t size)
{
	struct parse_state	ps;
	size_t			off = 0, n;

	fuzz_datagram(s, 0, fuzz_initial, sizeof fuzz_initial);	/* keys */
	memset(&ps, 0, sizeof ps);
	ps.proto = PP_QUIC;
	ps.quic = quic_start(fuzz_initial, sizeof fuzz_initial, 0);
	while (off + 3 <= size) {
		n = (size_t)data[off + 1] << 8 | data[off + 2];
		off += 3;
		if (n > size - off)
			n = size - off;
		quic_frames(ps.quic, data + off, n);
		off += n;
	}
	quic_close(fuzz_pc, s, &ps);
	quic_drop(ps.quic);
	parse_free(fuzz_pc, s);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct session	*s;
	size_t		 off = 1, n;

	if (size < 1)
		return (0);
	s = xcalloc(1, sizeof *s);
	s->af = 4;
	s->proto = 17;
	s->port[0] = 51000;
	s->port[1] = 443;
	s->initiator = 0;
	if (data[0] & 1)
		fuzz_frames(s, data + 1, size - 1);
	else {
		while (off + 3 <= size) {
			n = (size_t)data[off + 1] << 8 | data[off + 2];
			fuzz_datagram(s, data[off] & 1, data + off + 3,
			    n < size - off - 3 ? n : size - off - 3);
			off += 3 + (n < size - off - 3 ? n : size - off - 3);
		}
		parse_close(fuzz_pc, s);
	}
	session_free(s);
	return (0);
}
