/*
 * pcapng.h - a pcapng block reader whose interfaces may differ in link
 * type, snap length and timestamp resolution (libpcap 1.10 refuses those).
 *
 * Contract:
 * - pcapng_open() reads from a stream positioned at the file's first byte.
 *   Without a table it builds one (every section's byte order and
 *   interfaces) as it reads; pcapng_table_take() then hands it over.  With a
 *   table (made by a first pass over the same file, which must outlive the
 *   reader) it only borrows it, so that pcapng_seek() can resume at any
 *   block's offset without reading what comes before.
 * - pcapng_next() yields one record at a time: its link type (a DLT, as
 *   libpcap gives it), time in ns, lengths, data (valid until the next
 *   call) and the byte offset of its block.  Other blocks are skipped.
 * - At PCAPNG_TRUNC (the file ends inside a block) pcapng_good() is the
 *   end of the last whole block; at PCAPNG_BAD pcapng_error() says why.
 */
#ifndef HUNTCON_PCAPNG_H
#define HUNTCON_PCAPNG_H

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>

/* Records are cut to this many bytes, as the reader's ring takes them. */
#define PCAPNG_MAX_CAPLEN	262144

enum pcapng_result {
	PCAPNG_REC,		/* a record */
	PCAPNG_END,		/* the file ended after a whole block */
	PCAPNG_TRUNC,		/* the file ended inside a block */
	PCAPNG_BAD		/* not pcapng, or a broken block */
};

/* One packet record. */
struct pcapng_rec {
	uint64_t	 off;		/* its block's byte offset */
	uint64_t	 ts;		/* ns since the epoch */
	uint32_t	 caplen;
	uint32_t	 wirelen;
	int		 dlt;
	uint32_t	 iface;		/* in its section */
	const uint8_t	*data;
};

struct pcapng;
struct pcapng_table;

struct pcapng	*pcapng_open(FILE *, const struct pcapng_table *);
enum pcapng_result pcapng_next(struct pcapng *, struct pcapng_rec *);
/* Resume at a block's offset (a borrowed table's file); false on error. */
bool		 pcapng_seek(struct pcapng *, uint64_t);
/* The end of the last whole block read. */
uint64_t	 pcapng_good(const struct pcapng *);
/* Why the last pcapng_next() said PCAPNG_BAD. */
const char	*pcapng_error(const struct pcapng *);
/* The first interface's link type, or -1 before one was read. */
int		 pcapng_first_dlt(const struct pcapng *);
/* Take the table a reader built (NULL when it borrowed one). */
struct pcapng_table *pcapng_table_take(struct pcapng *);
void		 pcapng_table_free(struct pcapng_table *);
void		 pcapng_close(struct pcapng *);

#endif
