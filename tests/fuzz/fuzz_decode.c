/*
 * fuzz_decode.c - libFuzzer target for the packet decoder and reassembly.
 *
 * An input is a sequence of packets, each a control byte, a 16-bit length
 * and that many bytes (cut short at the end of the input).  The control
 * byte picks the link type (sometimes an unsupported one; values 14 and 15
 * let the packet's first byte pick among the rarer ones), advances the
 * capture clock and sometimes runs decoder_expire.  One decoder serves the
 * whole input and is flushed and freed at the end, so several fragments of
 * one datagram can meet.  Beyond memory errors the target checks the
 * accounting the engine relies on: every packet fed comes back exactly once
 * (assigned, unassigned, or through the expire callback).
 */

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "decode/decode.h"

int	LLVMFuzzerTestOneInput(const uint8_t *, size_t);

static const int fuzz_dlts[] = {
	1, 1, 1, 1, 113, 276, 12, 14, 101, 228, 229, 0, 108, 147
};

/* Control values 14 and 15: the packet's first byte picks one of these. */
static const int fuzz_more[] = {
	239, 105, 127, 192, 7, 129, 9, 50, 104, 107, 10, 226, 242, 258,
	195, 215, 230
};

/* Count a fragment reported by expire or flush. */
static void
fuzz_expired(const struct pkt_ref *r, void *arg)
{
	uint64_t	*n = arg;

	if (r->wirelen == 0)
		abort();
	(*n)++;
}

/* Check one result and count the packets it accounts for. */
static uint64_t
fuzz_check(enum decode_result r, enum decode_reason why,
    const struct decoded *d)
{
	volatile uint8_t sink = 0;
	uint32_t	 i;

	if (why >= DR_COUNT || (r == DECODE_UNASSIGNED) != (why != DR_NONE))
		abort();
	if (r == DECODE_HELD)
		return (0);
	if (r == DECODE_OK) {
		if (d->payload_caplen > d->payload_len ||
		    (d->payload_caplen > 0 && d->payload == NULL) ||
		    (d->af != 4 && d->af != 6))
			abort();
		for (i = 0; i < d->payload_caplen; i++)
			sink ^= d->payload[i];
	}
	for (i = 0; i < d->nfrags; i++)
		sink ^= (uint8_t)d->frags[i].ordinal;
	(void)sink;
	return (d->nfrags > 0 ? d->nfrags : 1);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct decode_config cfg = { 2000000000ULL, 65536 };
	struct decoder	*dec;
	struct decoded	 d;
	struct pkt_ref	 ref = { 0, 0, 0, 0 };
	enum decode_reason why;
	enum decode_result r;
	uint64_t	 done = 0, expired = 0;
	uint8_t		*pkt;
	size_t		 len;
	uint8_t		 ctl;

	if (size > 0 && (data[0] & 1))
		cfg.frag_max = 3000;		/* reach the cap more often */
	dec = decoder_new(&cfg);
	while (size >= 3) {
		ctl = data[0];
		len = (size_t)data[1] << 8 | data[2];
		data += 3;
		size -= 3;
		if (len > size)
			len = size;
		/* A copy of exactly len bytes, so ASan sees any overread. */
		pkt = malloc(len > 0 ? len : 1);
		memcpy(pkt, data, len);
		ref.wirelen = (uint32_t)len + (ctl & 0x40 ? 100 : 0) + 1;
		ref.ts += (uint64_t)(ctl >> 4 & 3) * 1000000000ULL;
		if ((ctl & 0x0f) >= 14 && len > 0)
			r = decode_packet(dec, fuzz_more[pkt[0] %
			    (sizeof fuzz_more / sizeof fuzz_more[0])], pkt + 1,
			    (uint32_t)len - 1, &ref, &d, &why);
		else
			r = decode_packet(dec, fuzz_dlts[(ctl & 0x0f) % 14],
			    pkt, (uint32_t)len, &ref, &d, &why);
		done += fuzz_check(r, why, &d);
		free(pkt);
		if (ctl & 0x80)
			decoder_expire(dec, ref.ts, fuzz_expired, &expired);
		ref.ordinal++;
		data += len;
		size -= len;
	}
	decoder_flush(dec, fuzz_expired, &expired);
	decoder_free(dec);
	if (done + expired != ref.ordinal)
		abort();
	return (0);
}
