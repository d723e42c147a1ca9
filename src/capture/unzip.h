/*
 * unzip.h - compressed captures (gzip, zstd, lz4 frames), recognised by
 * their first bytes and decompressed once into a cache file.
 *
 * Contract:
 * - unzip_kind() says what compression a file's first bytes show;
 *   unzip_peek() decompresses only the first bytes (to see the capture's
 *   own magic number).
 * - unzip_cache() decompresses a whole file into a temporary file under
 *   $TMPDIR (or /tmp), unlinked as soon as it is made so that nothing is
 *   left behind, and returns its descriptor (the caller closes it).  A
 *   stream cut short or corrupt is not an error: what came before is kept
 *   and *cut says at which compressed byte it stopped (0 when whole).
 *   Messages never name the cache, only the reason.
 * - unzip_fopen() opens a stream of its own on the cache (its own offset,
 *   by pread), so that readers on several threads never share a position.
 */
#ifndef HUNTCON_UNZIP_H
#define HUNTCON_UNZIP_H

#include <stdatomic.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

enum unzip_kind { UNZIP_NONE, UNZIP_GZIP, UNZIP_ZSTD, UNZIP_LZ4 };

/* How a compressed file ended. */
struct unzip_end {
	uint64_t	 cut;		/* compressed byte where it stopped, 0 */
	bool		 corrupt;	/* bad data there, not just the end */
	uint64_t	 size;		/* bytes decompressed */
};

enum unzip_kind	 unzip_kind(const unsigned char *, size_t);
const char	*unzip_name(enum unzip_kind);
/* Decompress up to n first bytes into buf; how many came. */
size_t		 unzip_peek(const char *, enum unzip_kind, unsigned char *,
		    size_t);
/* Decompress into a cache file; its fd, or -1 with *cause (caller frees). */
int		 unzip_cache(const char *, enum unzip_kind, struct unzip_end *,
		    _Atomic uint64_t *, uint64_t, char **);
/* A stream on the cache from its first byte (fclose closes only it). */
FILE		*unzip_fopen(int);

#endif
