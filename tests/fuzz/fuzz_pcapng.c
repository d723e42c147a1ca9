/*
 * fuzz_pcapng.c - libFuzzer target for the pcapng block reader.
 *
 * The input is a pcapng file.  A first pass reads it to the end, building
 * the interface table and noting every record's block offset, link type
 * and lengths; a second reader borrows the table, as read-back does, and
 * resumes at each noted offset (at most 64 of them): it must find the same
 * record there, or the target aborts.
 */

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "capture/pcapng.h"

int	LLVMFuzzerTestOneInput(const uint8_t *, size_t);

#define FUZZ_SEEKS	64

/* A record noted by the first pass. */
struct fuzz_rec {
	uint64_t	 off, ts;
	uint32_t	 caplen, wirelen;
	int		 dlt;
	uint8_t		 first;		/* its first byte, 0 when empty */
};

/* Resume at each noted record and compare. */
static void
fuzz_resume(const uint8_t *data, size_t size, struct pcapng_table *t,
    const struct fuzz_rec *n, size_t nn)
{
	struct pcapng		*r;
	struct pcapng_rec	 rec;
	FILE			*f;
	size_t			 i;

	if ((f = fmemopen((void *)(uintptr_t)data, size, "rb")) == NULL)
		return;
	r = pcapng_open(f, t);
	for (i = 0; i < nn; i++) {
		if (!pcapng_seek(r, n[i].off) ||
		    pcapng_next(r, &rec) != PCAPNG_REC || rec.off != n[i].off ||
		    rec.ts != n[i].ts || rec.caplen != n[i].caplen ||
		    rec.wirelen != n[i].wirelen || rec.dlt != n[i].dlt ||
		    (rec.caplen > 0 && rec.data[0] != n[i].first))
			abort();
	}
	pcapng_close(r);
	fclose(f);
}

/* Read the input once, then resume at its records. */
int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct fuzz_rec		 n[FUZZ_SEEKS];
	struct pcapng		*r;
	struct pcapng_rec	 rec;
	struct pcapng_table	*t;
	FILE			*f;
	size_t			 nn = 0;
	uint64_t		 sum = 0;

	if (size == 0 ||
	    (f = fmemopen((void *)(uintptr_t)data, size, "rb")) == NULL)
		return (0);
	r = pcapng_open(f, NULL);
	while (pcapng_next(r, &rec) == PCAPNG_REC) {
		if (rec.caplen > 0)	/* every byte must be readable */
			sum += rec.data[0] + rec.data[rec.caplen - 1];
		if (nn < FUZZ_SEEKS) {
			n[nn].off = rec.off;
			n[nn].ts = rec.ts;
			n[nn].caplen = rec.caplen;
			n[nn].wirelen = rec.wirelen;
			n[nn].dlt = rec.dlt;
			n[nn++].first = rec.caplen > 0 ? rec.data[0] : 0;
		}
	}
	(void)pcapng_error(r);
	(void)pcapng_good(r);
	t = pcapng_table_take(r);
	pcapng_close(r);
	fclose(f);
	fuzz_resume(data, size, t, n, nn);
	pcapng_table_free(t);
	return (sum == UINT64_MAX);
}
