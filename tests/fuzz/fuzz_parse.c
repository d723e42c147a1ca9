/*
 * fuzz_parse.c - libFuzzer target for the protocol parsers.
 *
 * An input is a header (protocol, ports) and a sequence of packets, each a
 * control byte (sender side, ICMP type, sequence jump), a 16-bit length and
 * that many bytes (cut short at the end of the input).  The packets are the
 * payloads of one session of the chosen protocol: TCP segments are placed
 * with sequence numbers the input moves back and forth, so reordering,
 * overlap and gaps are reached.  The session is closed (or, sometimes,
 * dropped with parse_free) and freed; the sanitizers catch the rest.
 */

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "engine/engine.h"
#include "parse/parse.h"
#include "defaults.h"

int	LLVMFuzzerTestOneInput(const uint8_t *, size_t);

static const uint16_t fuzz_ports[] = {
	53, 80, 443, 22, 25, 21, 137, 5353, 8080, 40000
};
static const uint8_t fuzz_protos[] = { 6, 17, 1, 58, 47 };
static const uint8_t fuzz_icmp[] = { 8, 0, 128, 129, 3, 11 };

/* Feed one packet of the session. */
static void
fuzz_packet(struct session *s, uint8_t ctl, uint32_t *seq,
    const uint8_t *p, size_t n)
{
	struct decoded	d;
	int		side = ctl & 1;

	memset(&d, 0, sizeof d);
	d.af = 4;
	d.proto = s->proto;
	d.sport = s->port[side];
	d.dport = s->port[!side];
	if (s->proto == 1 || s->proto == 58) {
		/* The decoder leaves the 8-byte header before the payload. */
		if (n < 8)
			return;
		d.has_icmp = true;
		d.icmp_type = fuzz_icmp[(ctl >> 1) % sizeof fuzz_icmp];
		p += 8;
		n -= 8;
	}
	d.payload = p;
	d.payload_caplen = (uint32_t)n;
	d.payload_len = (uint32_t)n + ((ctl & 0x80) ? 100 : 0);
	seq[side] += (uint32_t)(int8_t)(ctl & 0x7e) * 7;
	d.tcp_seq = seq[side];
	parse_packet(fuzz_pc, s, &d, side, 0);
	seq[side] += (uint32_t)n;
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct session	*s;
	uint32_t	 seq[2] = { 1000, 0xfffffe00 };
	size_t		 off = 3, n;
	uint8_t		 ctl;

	if (size < 3)
		return (0);
	s = xcalloc(1, sizeof *s);
	s->af = 4;
	s->proto = fuzz_protos[data[0] % sizeof fuzz_protos];
	s->port[0] = fuzz_ports[data[1] % nitems(fuzz_ports)];
	s->port[1] = fuzz_ports[data[2] % nitems(fuzz_ports)];
	s->initiator = -1;
	while (off + 3 <= size) {
		ctl = data[off];
		n = (size_t)data[off + 1] << 8 | data[off + 2];
		off += 3;
		if (n > size - off)
			n = size - off;
		fuzz_packet(s, ctl, seq, data + off, n);
		off += n;
	}
	if (data[0] & 0x80)
		parse_free(fuzz_pc, s);
	else {
		s->initiator = (int8_t)(data[1] & 1);
		parse_close(fuzz_pc, s);
	}
	session_free(s);
	return (0);
}
