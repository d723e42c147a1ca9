/*
 * udpcap.h - a classic pcap of Ethernet, IPv4 and UDP records, for the
 * unit tests that read one: record i is on flow i % nflows (10.0.0.1, port
 * 10000 + flow, to 192.0.2.1 port 5000), a thousand records a second from
 * 1700000000.  Included after cmocka.h.
 */
/* SPDX-License-Identifier: GPL-3.0-or-later */
#ifndef HUNTCON_TEST_UDPCAP_H
#define HUNTCON_TEST_UDPCAP_H

#include <stdint.h>
#include <stdio.h>
#include <string.h>

/* Put a 32-bit value in the host's order (the pcap header's). */
static inline void
udpcap_put32(FILE *fp, uint32_t v)
{
	assert_int_equal(fwrite(&v, 4, 1, fp), 1);
}

/* The file header, saying snaplen. */
static inline void
udpcap_header(FILE *fp, uint32_t snaplen)
{
	udpcap_put32(fp, 0xa1b2c3d4);
	udpcap_put32(fp, 0x00040002);
	udpcap_put32(fp, 0);
	udpcap_put32(fp, 0);
	udpcap_put32(fp, snaplen);
	udpcap_put32(fp, 1);
}

/* Record i of len bytes on the wire (42 to 1514), its payload all fill. */
static inline void
udpcap_record(FILE *fp, unsigned i, unsigned nflows, size_t len, int fill)
{
	unsigned char	 f[1514];
	unsigned	 port = 10000 + i % nflows;

	assert_true(len >= 42 && len <= sizeof f);
	memset(f, 0, sizeof f);
	memcpy(f, "\x00\x11\x22\x33\x44\x55\x00\x66\x77\x88\x99\xaa\x08\x00",
	    14);
	f[14] = 0x45;
	f[16] = (unsigned char)((len - 14) >> 8);
	f[17] = (unsigned char)(len - 14);
	f[22] = 64;
	f[23] = 17;
	memcpy(f + 26, "\x0a\x00\x00\x01\xc0\x00\x02\x01", 8);
	f[34] = (unsigned char)(port >> 8);
	f[35] = (unsigned char)port;
	f[36] = 0x13;
	f[37] = 0x88;
	f[38] = (unsigned char)((len - 34) >> 8);
	f[39] = (unsigned char)(len - 34);
	memset(f + 42, fill, len - 42);
	udpcap_put32(fp, 1700000000 + i / 1000);
	udpcap_put32(fp, (i % 1000) * 1000);
	udpcap_put32(fp, (uint32_t)len);
	udpcap_put32(fp, (uint32_t)len);
	assert_int_equal(fwrite(f, 1, len, fp), len);
}

#endif
