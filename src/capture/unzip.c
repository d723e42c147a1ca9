/* unzip.c - gzip, zstd and lz4 captures decompressed once into a cache. */
/* SPDX-License-Identifier: GPL-3.0-or-later */

#include <sys/stat.h>

#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <lz4frame.h>
#include <zlib.h>
#include <zstd.h>

#include "capture/unzip.h"
#include "util/util.h"

#define UNZIP_CHUNK	(256U << 10)

/* One decompression: where its bytes come from and go. */
struct unzip_job {
	FILE		*in;
	uint64_t	 read;		/* compressed bytes read so far */
	unsigned char	*ibuf, *obuf;
	/* Take n decompressed bytes; false stops (a peek is full). */
	bool		 (*sink)(struct unzip_job *, const unsigned char *,
			     size_t);
	int		 fd;		/* the cache */
	int		 werr;		/* errno of a failed write */
	unsigned char	*peek;
	size_t		 peek_len, peek_cap;
	_Atomic uint64_t *done;		/* progress, in compressed bytes */
	uint64_t	 base;
	struct unzip_end end;
	bool		 stopped;	/* the sink said stop */
};

/* What compression a file's first bytes show. */
enum unzip_kind
unzip_kind(const unsigned char *b, size_t n)
{
	if (n >= 2 && b[0] == 0x1f && b[1] == 0x8b)
		return (UNZIP_GZIP);
	if (n >= 4 && memcmp(b, "\x28\xb5\x2f\xfd", 4) == 0)
		return (UNZIP_ZSTD);
	if (n >= 4 && memcmp(b, "\x04\x22\x4d\x18", 4) == 0)
		return (UNZIP_LZ4);
	return (UNZIP_NONE);
}

/* The compression's name in messages. */
const char *
unzip_name(enum unzip_kind k)
{
	switch (k) {
	case UNZIP_GZIP: return ("gzip");
	case UNZIP_ZSTD: return ("zstd");
	case UNZIP_LZ4: return ("lz4");
	case UNZIP_NONE: break;
	}
	return ("");
}

/* Read the next compressed chunk; its length (0 at the end). */
static size_t
unzip_fill(struct unzip_job *j)
{
	size_t	 n;

	n = fread(j->ibuf, 1, UNZIP_CHUNK, j->in);
	j->read += n;
	if (j->done != NULL)
		atomic_store_explicit(j->done, j->base + j->read,
		    memory_order_relaxed);
	return (n);
}

/* Pass decompressed bytes on; false when the sink stopped. */
static bool
unzip_put(struct unzip_job *j, size_t n)
{
	if (n == 0 || j->sink(j, j->obuf, n))
		return (true);
	j->stopped = true;
	return (false);
}

/* The stream stopped before its end at compressed byte at. */
static void
unzip_stop(struct unzip_job *j, uint64_t at, bool corrupt)
{
	j->end.cut = at;
	j->end.corrupt = corrupt;
}

/* Start the next gzip member, or stop at trailing bytes that are not one. */
static bool
unzip_gzip_next(struct unzip_job *j, z_stream *z)
{
	if (z->avail_in == 0 && (z->avail_in = (uInt)unzip_fill(j)) != 0)
		z->next_in = j->ibuf;
	if (z->avail_in == 0 || z->next_in[0] != 0x1f ||
	    (z->avail_in > 1 && z->next_in[1] != 0x8b))
		return (false);
	inflateReset(z);
	return (true);
}

/* gzip (zlib), members one after the other. */
static void
unzip_gzip(struct unzip_job *j)
{
	z_stream	 z;
	int		 rc = Z_OK;
	bool		 whole = false, full = false;

	memset(&z, 0, sizeof z);
	if (inflateInit2(&z, 15 + 16) != Z_OK)
		fatal("zlib: cannot start inflating");
	for (;;) {
		if (z.avail_in == 0 && !full) {
			if ((z.avail_in = (uInt)unzip_fill(j)) == 0)
				break;
			z.next_in = j->ibuf;
		}
		z.next_out = j->obuf;
		z.avail_out = UNZIP_CHUNK;
		rc = inflate(&z, Z_NO_FLUSH);
		whole = rc == Z_STREAM_END;
		full = z.avail_out == 0;
		if (!unzip_put(j, UNZIP_CHUNK - z.avail_out))
			break;
		if (rc == Z_STREAM_END && !unzip_gzip_next(j, &z))
			break;
		if (rc != Z_OK && rc != Z_STREAM_END && rc != Z_BUF_ERROR) {
			unzip_stop(j, j->read - z.avail_in, true);
			break;
		}
	}
	if (!whole && !j->stopped && j->end.cut == 0)
		unzip_stop(j, j->read, false);
	inflateEnd(&z);
}

/* zstd frames. */
static void
unzip_zstd(struct unzip_job *j)
{
	ZSTD_DCtx	*d;
	ZSTD_inBuffer	 ib = { j->ibuf, 0, 0 };
	ZSTD_outBuffer	 ob;
	size_t		 last = 0;
	bool		 full = false;

	if ((d = ZSTD_createDCtx()) == NULL)
		fatal("zstd: cannot start decompressing");
	for (;;) {
		if (ib.pos == ib.size && !full) {
			if ((ib.size = unzip_fill(j)) == 0)
				break;
			ib.pos = 0;
		}
		ob.dst = j->obuf;
		ob.size = UNZIP_CHUNK;
		ob.pos = 0;
		last = ZSTD_decompressStream(d, &ob, &ib);
		if (ZSTD_isError(last)) {
			unzip_stop(j, j->read - (ib.size - ib.pos), true);
			break;
		}
		full = ob.pos == ob.size;
		if (!unzip_put(j, ob.pos))
			break;
	}
	if (last != 0 && !j->stopped && j->end.cut == 0)
		unzip_stop(j, j->read, false);
	ZSTD_freeDCtx(d);
}

/* lz4 frames. */
static void
unzip_lz4(struct unzip_job *j)
{
	LZ4F_dctx	*d;
	size_t		 n, at = 0, ilen, olen = 0, hint = 1;

	if (LZ4F_isError(LZ4F_createDecompressionContext(&d, LZ4F_VERSION)))
		fatal("lz4: cannot start decompressing");
	while ((n = unzip_fill(j)) != 0) {
		for (at = 0; at < n || olen == UNZIP_CHUNK;) {
			ilen = n - at;
			olen = UNZIP_CHUNK;
			hint = LZ4F_decompress(d, j->obuf, &olen, j->ibuf + at,
			    &ilen, NULL);
			if (LZ4F_isError(hint)) {
				unzip_stop(j, j->read - n + at, true);
				goto out;
			}
			at += ilen;
			if (!unzip_put(j, olen))
				goto out;
			if (ilen == 0 && olen == 0)
				break;
		}
	}
	if (hint != 0 && j->end.cut == 0)
		unzip_stop(j, j->read, false);
out:
	LZ4F_freeDecompressionContext(d);
}

/* Run a job over the file at path; false with errno when it cannot open. */
static bool
unzip_run(struct unzip_job *j, const char *path, enum unzip_kind k)
{
	if ((j->in = fopen(path, "rb")) == NULL)
		return (false);
	j->ibuf = xmalloc(UNZIP_CHUNK);
	j->obuf = xmalloc(UNZIP_CHUNK);
	if (k == UNZIP_GZIP)
		unzip_gzip(j);
	else if (k == UNZIP_ZSTD)
		unzip_zstd(j);
	else if (k == UNZIP_LZ4)
		unzip_lz4(j);
	fclose(j->in);
	free(j->ibuf);
	free(j->obuf);
	return (true);
}

/* A peek's sink: keep bytes until the buffer is full. */
static bool
unzip_peek_put(struct unzip_job *j, const unsigned char *p, size_t n)
{
	if (n > j->peek_cap - j->peek_len)
		n = j->peek_cap - j->peek_len;
	memcpy(j->peek + j->peek_len, p, n);
	j->peek_len += n;
	return (j->peek_len < j->peek_cap);
}

/* Decompress the first bytes of a file. */
size_t
unzip_peek(const char *path, enum unzip_kind k, unsigned char *buf,
    size_t n)
{
	struct unzip_job	 j;

	memset(&j, 0, sizeof j);
	j.sink = unzip_peek_put;
	j.peek = buf;
	j.peek_cap = n;
	if (n == 0 || !unzip_run(&j, path, k))
		return (0);
	return (j.peek_len);
}

/* The cache's sink: write every byte; stop at the first failed write. */
static bool
unzip_cache_put(struct unzip_job *j, const unsigned char *p, size_t n)
{
	ssize_t	 w;

	while (n > 0) {
		if ((w = write(j->fd, p, n)) < 0 && errno == EINTR)
			continue;
		if (w <= 0) {
			j->werr = w < 0 ? errno : ENOSPC;
			return (false);
		}
		p += w;
		n -= (size_t)w;
		j->end.size += (uint64_t)w;
	}
	return (true);
}

/* Make the cache file, unlinked at once; -1 with *cause. */
static int
unzip_tmp(char **cause)
{
	const char	*dir = getenv("TMPDIR");
	char		*tmpl;
	int		 fd;

	if (dir == NULL || *dir == '\0')
		dir = "/tmp";
	xasprintf(&tmpl, "%s/huntcon-unzip.XXXXXX", dir);
	if ((fd = mkostemp(tmpl, O_CLOEXEC)) == -1)
		xasprintf(cause, "cannot make a file in %s to decompress "
		    "into: %s", esc_str(dir), strerror(errno));
	else
		unlink(tmpl);
	free(tmpl);
	return (fd);
}

/* Decompress a whole file into a cache file. */
int
unzip_cache(const char *path, enum unzip_kind k, struct unzip_end *end,
    _Atomic uint64_t *done, uint64_t base, char **cause)
{
	struct unzip_job	 j;

	memset(&j, 0, sizeof j);
	if ((j.fd = unzip_tmp(cause)) == -1)
		return (-1);
	j.sink = unzip_cache_put;
	j.done = done;
	j.base = base;
	if (!unzip_run(&j, path, k)) {
		xasprintf(cause, "%s", strerror(errno));
		close(j.fd);
		return (-1);
	}
	if (j.werr != 0) {
		xasprintf(cause, "cannot decompress into %s: %s",
		    getenv("TMPDIR") != NULL && *getenv("TMPDIR") != '\0' ?
		    esc_str(getenv("TMPDIR")) : "/tmp", strerror(j.werr));
		close(j.fd);
		return (-1);
	}
	*end = j.end;
	return (j.fd);
}

/* A cache stream's own position. */
struct unzip_cookie {
	int	 fd;
	off_t	 off;
};

/* Read the cache at the stream's position. */
static ssize_t
unzip_cookie_read(void *arg, char *buf, size_t n)
{
	struct unzip_cookie	*k = arg;
	ssize_t			 got;

	while ((got = pread(k->fd, buf, n, k->off)) < 0 && errno == EINTR)
		;
	if (got > 0)
		k->off += got;
	return (got);
}

/* Move the stream's position. */
static int
unzip_cookie_seek(void *arg, off64_t *pos, int whence)
{
	struct unzip_cookie	*k = arg;
	struct stat		 st;
	off_t			 to = *pos;

	if (whence == SEEK_CUR)
		to += k->off;
	else if (whence == SEEK_END) {
		if (fstat(k->fd, &st) != 0)
			return (-1);
		to += st.st_size;
	}
	if (to < 0) {
		errno = EINVAL;
		return (-1);
	}
	k->off = to;
	*pos = to;
	return (0);
}

/* Forget the stream's position (the cache stays open). */
static int
unzip_cookie_close(void *arg)
{
	free(arg);
	return (0);
}

/* A stream of its own on the cache. */
FILE *
unzip_fopen(int fd)
{
	struct unzip_cookie	*k;
	cookie_io_functions_t	 io = {
		.read = unzip_cookie_read,
		.seek = unzip_cookie_seek,
		.close = unzip_cookie_close
	};
	FILE			*f;

	k = xcalloc(1, sizeof *k);
	k->fd = fd;
	if ((f = fopencookie(k, "rb", io)) == NULL)
		free(k);
	return (f);
}
