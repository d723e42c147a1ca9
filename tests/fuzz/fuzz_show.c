/*
 * fuzz_show.c - libFuzzer target for parse_show(), the decoded view of one
 * packet (DNS, HTTP head, TLS hello).
 *
 * An input's first byte picks the transport (TCP or UDP) and the port
 * (53, 5353, 5355, 80 or 443), the rest is the payload; a payload_len
 * larger than what was captured is tried on odd first bytes.  Beyond
 * memory errors the target checks what the contract says: every line ends
 * in LF, the count is the number of lines, and no line holds a control
 * byte (all is escaped).
 */

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "parse/show.h"

int	LLVMFuzzerTestOneInput(const uint8_t *, size_t);

/* Check the lines: LF-ended, counted, no other control byte. */
static void
fuzz_lines(const struct buf *b, size_t n)
{
	size_t	 i, lf = 0;

	if (b->len > 0 && b->s[b->len - 1] != '\n')
		abort();
	for (i = 0; i < b->len; i++) {
		if (b->s[i] == '\n')
			lf++;
		else if ((unsigned char)b->s[i] < 0x20 || b->s[i] == 0x7f)
			abort();
	}
	if (lf != n)
		abort();
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static const uint16_t	 ports[] = { 53, 5353, 5355, 80, 443 };
	struct decoded		 d;
	struct buf		 b;
	size_t			 n;

	if (size < 1)
		return (0);
	memset(&d, 0, sizeof d);
	d.af = 4;
	d.proto = data[0] & 0x80 ? 17 : 6;
	d.sport = 40000;
	d.dport = ports[(data[0] >> 1 & 0x3f) % 5];
	d.payload = data + 1;
	d.payload_caplen = (uint32_t)(size - 1);
	d.payload_len = d.payload_caplen + (data[0] & 1 ? 100 : 0);
	buf_init(&b);
	n = parse_show(&b, &d);
	fuzz_lines(&b, n);
	buf_free(&b);
	return (0);
}
