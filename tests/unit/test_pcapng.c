/*
 * test_pcapng.c - the pcapng block reader: interfaces of one file with
 * their own link types, snap lengths and timestamp units (if_tsresol in
 * powers of 10 and 2, if_tsoffset), both byte orders in two sections, the
 * enhanced, simple and obsolete packet blocks, resuming at a block's
 * offset with the table of a first pass, and where a cut file stops.
 */
/* SPDX-License-Identifier: GPL-3.0-or-later */

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "capture/pcapng.h"

/* A file being built, and where each block starts. */
struct ng {
	unsigned char	 b[4096];
	size_t		 len;
	size_t		 at;		/* the open block */
	int		 be;		/* this section is big-endian */
};

/* Append a 16- or 32-bit field in the section's order. */
static void
put(struct ng *n, uint32_t v, int bytes)
{
	int	 i;

	for (i = 0; i < bytes; i++)
		n->b[n->len++] = (unsigned char)(n->be ?
		    v >> (8 * (bytes - 1 - i)) : v >> (8 * i));
}

/* Open a block of a type. */
static void
open_block(struct ng *n, uint32_t type)
{
	n->at = n->len;
	put(n, type, 4);
	put(n, 0, 4);
}

/* Close the open block: pad, both lengths. */
static void
close_block(struct ng *n)
{
	uint32_t	 total;
	size_t		 end;

	while (n->len % 4 != 0)
		n->b[n->len++] = 0;
	total = (uint32_t)(n->len - n->at + 4);
	end = n->len;
	n->len = n->at + 4;
	put(n, total, 4);
	n->len = end;
	put(n, total, 4);
}

/* A section header in the given order. */
static void
shb(struct ng *n, int be)
{
	n->be = be;
	open_block(n, 0x0a0d0d0a);
	put(n, 0x1a2b3c4d, 4);
	put(n, 1, 2);
	put(n, 0, 2);
	put(n, 0xffffffff, 4);
	put(n, 0xffffffff, 4);
	close_block(n);
}

/* An interface: link type, snap length, if_tsresol and if_tsoffset. */
static void
idb(struct ng *n, uint16_t lt, uint32_t snap, int resol, int64_t offset)
{
	open_block(n, 1);
	put(n, lt, 2);
	put(n, 0, 2);
	put(n, snap, 4);
	if (resol >= 0) {
		put(n, 9, 2);
		put(n, 1, 2);
		put(n, (uint32_t)resol, 1);
		put(n, 0, 1);
		put(n, 0, 2);
	}
	if (offset != 0) {
		put(n, 14, 2);
		put(n, 8, 2);
		put(n, (uint32_t)((uint64_t)offset >> (n->be ? 32 : 0)), 4);
		put(n, (uint32_t)((uint64_t)offset >> (n->be ? 0 : 32)), 4);
	}
	put(n, 0, 4);
	close_block(n);
}

/* An enhanced (6) or obsolete (2) packet block of len bytes of fill. */
static size_t
epb(struct ng *n, uint32_t type, uint32_t ifid, uint64_t ts, uint32_t len,
    uint32_t wire, unsigned char fill)
{
	size_t	 at = n->len;

	open_block(n, type);
	put(n, ifid, type == 6 ? 4 : 2);
	if (type != 6)
		put(n, 0, 2);
	put(n, (uint32_t)(ts >> 32), 4);
	put(n, (uint32_t)ts, 4);
	put(n, len, 4);
	put(n, wire, 4);
	memset(n->b + n->len, fill, len);
	n->len += len;
	close_block(n);
	return (at);
}

/* A simple packet block. */
static size_t
spb(struct ng *n, uint32_t len, uint32_t wire, unsigned char fill)
{
	size_t	 at = n->len;

	open_block(n, 3);
	put(n, wire, 4);
	memset(n->b + n->len, fill, len);
	n->len += len;
	close_block(n);
	return (at);
}

/* The test file, offsets of its packet blocks in off[]. */
static void
build(struct ng *n, size_t *off)
{
	memset(n, 0, sizeof *n);
	shb(n, 0);
	idb(n, 1, 0, 9, 0);			/* Ethernet, ns */
	idb(n, 101, 128, 0x80 | 20, 100);	/* raw IP, 2^-20 s, +100 s */
	off[0] = epb(n, 6, 0, 1500000000123456789ULL, 60, 60, 0xa0);
	off[1] = epb(n, 6, 1, 3ULL << 20 | 1ULL << 19, 40, 1400, 0xa1);
	off[2] = spb(n, 200, 300, 0xa2);	/* interface 0: no snap length */
	off[3] = epb(n, 2, 1, 1ULL << 20, 20, 20, 0xa3);
	shb(n, 1);
	idb(n, 113, 96, -1, 0);			/* Linux cooked, us */
	off[4] = epb(n, 6, 0, 1700000000000001ULL, 44, 44, 0xa4);
}

/* What each record of the test file must be. */
static const struct {
	int		 dlt;
	uint64_t	 ts;
	uint32_t	 caplen, wirelen;
	unsigned char	 fill;
} want[5] = {
	{ 1, 1500000000123456789ULL, 60, 60, 0xa0 },
	{ 12, 103500000000ULL, 40, 1400, 0xa1 },
	{ 1, 0, 200, 300, 0xa2 },
	{ 12, 101000000000ULL, 20, 20, 0xa3 },
	{ 113, 1700000000000001000ULL, 44, 44, 0xa4 }
};

/* Check record i. */
static void
check_rec(const struct pcapng_rec *rec, size_t i, size_t off)
{
	assert_int_equal(rec->off, off);
	assert_int_equal(rec->dlt, want[i].dlt);
	assert_int_equal(rec->ts, want[i].ts);
	assert_int_equal(rec->caplen, want[i].caplen);
	assert_int_equal(rec->wirelen, want[i].wirelen);
	assert_int_equal(rec->data[0], want[i].fill);
	assert_int_equal(rec->data[rec->caplen - 1], want[i].fill);
}

/* Read through: every record as its interface says; then resume. */
static void
test_read_and_resume(void **state)
{
	struct ng		 n;
	struct pcapng_rec	 rec;
	struct pcapng		*r;
	struct pcapng_table	*t;
	size_t			 off[5], i;
	FILE			*f;

	(void)state;
	build(&n, off);
	assert_non_null(f = fmemopen(n.b, n.len, "rb"));
	r = pcapng_open(f, NULL);
	for (i = 0; i < 5; i++) {
		assert_int_equal(pcapng_next(r, &rec), PCAPNG_REC);
		check_rec(&rec, i, off[i]);
	}
	assert_int_equal(pcapng_next(r, &rec), PCAPNG_END);
	assert_int_equal(pcapng_good(r), n.len);
	assert_int_equal(pcapng_first_dlt(r), 1);
	t = pcapng_table_take(r);
	pcapng_close(r);
	/* A second reader borrows the table and starts anywhere. */
	r = pcapng_open(f, t);
	for (i = 5; i-- > 0;) {
		assert_true(pcapng_seek(r, off[i]));
		assert_int_equal(pcapng_next(r, &rec), PCAPNG_REC);
		check_rec(&rec, i, off[i]);
	}
	pcapng_close(r);
	pcapng_table_free(t);
	fclose(f);
}

/* A file cut inside a block: the records before, then where it stops. */
static void
test_cut(void **state)
{
	struct ng		 n;
	struct pcapng_rec	 rec;
	struct pcapng		*r;
	size_t			 off[5], i;
	FILE			*f;

	(void)state;
	build(&n, off);
	assert_non_null(f = fmemopen(n.b, off[3] + 10, "rb"));
	r = pcapng_open(f, NULL);
	for (i = 0; i < 3; i++)
		assert_int_equal(pcapng_next(r, &rec), PCAPNG_REC);
	assert_int_equal(pcapng_next(r, &rec), PCAPNG_TRUNC);
	assert_int_equal(pcapng_good(r), off[3]);
	pcapng_close(r);
	fclose(f);
}

/* A block whose two lengths differ, a packet on no interface. */
static void
test_bad(void **state)
{
	struct ng		 n;
	struct pcapng_rec	 rec;
	struct pcapng		*r;
	size_t			 off[5];
	FILE			*f;

	(void)state;
	build(&n, off);
	n.b[off[1] + 4] ^= 4;		/* the first length of block 2 */
	assert_non_null(f = fmemopen(n.b, n.len, "rb"));
	r = pcapng_open(f, NULL);
	assert_int_equal(pcapng_next(r, &rec), PCAPNG_REC);
	assert_int_equal(pcapng_next(r, &rec), PCAPNG_BAD);
	assert_non_null(strstr(pcapng_error(r), "lengths differ"));
	pcapng_close(r);
	fclose(f);
	build(&n, off);
	n.b[off[1] + 8] = 7;		/* interface 7 */
	assert_non_null(f = fmemopen(n.b, n.len, "rb"));
	r = pcapng_open(f, NULL);
	assert_int_equal(pcapng_next(r, &rec), PCAPNG_REC);
	assert_int_equal(pcapng_next(r, &rec), PCAPNG_BAD);
	assert_non_null(strstr(pcapng_error(r), "interface 7"));
	pcapng_close(r);
	fclose(f);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_read_and_resume),
		cmocka_unit_test(test_cut),
		cmocka_unit_test(test_bad),
	};

	return (cmocka_run_group_tests(tests, NULL, NULL));
}
