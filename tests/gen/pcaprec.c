/*
 * pcaprec.c - print every record of a capture as one line, "SEC.NSEC
 * CAPLEN LEN HEX", so tests can compare exports with their inputs byte for
 * byte.  Usage: pcaprec FILE
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include <stdio.h>

#include <pcap/pcap.h>

int
main(int argc, char **argv)
{
	char			 errbuf[PCAP_ERRBUF_SIZE];
	struct pcap_pkthdr	*h;
	const u_char		*data;
	pcap_t			*p;
	bpf_u_int32		 i;

	if (argc != 2) {
		fprintf(stderr, "usage: pcaprec FILE\n");
		return (2);
	}
	p = pcap_open_offline_with_tstamp_precision(argv[1],
	    PCAP_TSTAMP_PRECISION_NANO, errbuf);
	if (p == NULL) {
		fprintf(stderr, "pcaprec: %s\n", errbuf);
		return (1);
	}
	while (pcap_next_ex(p, &h, &data) == 1) {
		printf("%lld.%09ld %u %u ", (long long)h->ts.tv_sec,
		    (long)h->ts.tv_usec, h->caplen, h->len);
		for (i = 0; i < h->caplen; i++)
			printf("%02x", data[i]);
		putchar('\n');
	}
	pcap_close(p);
	return (0);
}
