/*
 * pcapfloor.c - the libpcap floor: read every record of a capture and do
 * nothing else, so benchmarks can say how far above a bare read loop
 * huntcon's ingest is.  Usage: pcapfloor FILE
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
	unsigned long long	 n = 0, bytes = 0;
	pcap_t			*p;

	if (argc != 2) {
		fprintf(stderr, "usage: pcapfloor FILE\n");
		return (2);
	}
	if ((p = pcap_open_offline(argv[1], errbuf)) == NULL) {
		fprintf(stderr, "pcapfloor: %s\n", errbuf);
		return (1);
	}
	while (pcap_next_ex(p, &h, &data) == 1) {
		n++;
		bytes += h->caplen;
		(void)data;
	}
	printf("%llu packets, %llu bytes\n", n, bytes);
	pcap_close(p);
	return (0);
}
