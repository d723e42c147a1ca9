/* fetch.c - a sensor's packets by reference: PATH@OFFSET,... to a pcap. */
/* SPDX-License-Identifier: GPL-3.0-or-later */

#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "fleet/fleet.h"

/*
 * The store keeps, for each packet, its file and where its record starts
 * (capture_locate).  A fetch reads those records back as they are and
 * writes them after the file's own header, so the bytes are the capture's
 * bytes.  Classic pcap only (either byte order, µs or ns): a pcapng
 * file's blocks name their interface, which a record alone cannot carry.
 */

#define FETCH_HDR	24		/* pcap file header */
#define FETCH_REC	16		/* pcap record header */
#define FETCH_MAXCAP	(256 * 1024)	/* largest record accepted */

/* One reference argument: a file and the offsets of its records. */
struct fetch_ref {
	char		*path;
	uint64_t	*off;
	size_t		 n;
};

/* Parse "PATH@OFF[,OFF...]" (the last '@' ends the path). */
static bool
fetch_parse(struct fetch_ref *r, const char *s, char **cause)
{
	const char	*at = strrchr(s, '@'), *p;
	char		*end;

	memset(r, 0, sizeof *r);
	if (at == NULL || at == s || at[1] == '\0')
		goto bad;
	for (p = at + 1; *p != '\0'; p = end + (*end == ',')) {
		r->off = xreallocarray(r->off, r->n + 1, sizeof *r->off);
		errno = 0;
		r->off[r->n++] = strtoull(p, &end, 10);
		if (end == p || errno != 0 || (*end != ',' && *end != '\0') ||
		    (*end == ',' && end[1] == '\0'))
			goto bad;
	}
	r->path = xstrndup(s, (size_t)(at - s));
	return (true);
bad:
	free(r->off);
	xasprintf(cause, "--fetch: '%s' is not PATH@OFFSET[,OFFSET...]",
	    esc_str(s));
	return (false);
}

/* A 32-bit field of a header in the file's byte order. */
static uint32_t
fetch_u32(const unsigned char *p, bool swap)
{
	if (swap)
		return ((uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 |
		    (uint32_t)p[2] << 8 | p[3]);
	return ((uint32_t)p[3] << 24 | (uint32_t)p[2] << 16 |
	    (uint32_t)p[1] << 8 | p[0]);
}

/* Read a file's header; false unless it is classic pcap. */
static bool
fetch_header(FILE *f, const char *path, unsigned char *hdr, bool *swap,
    char **cause)
{
	uint32_t	 magic;

	if (fread(hdr, 1, FETCH_HDR, f) != FETCH_HDR) {
		xasprintf(cause, "--fetch: %s: no pcap header", esc_str(path));
		return (false);
	}
	magic = fetch_u32(hdr, false);
	*swap = magic == 0xd4c3b2a1 || magic == 0x4d3cb2a1;
	if (!*swap && magic != 0xa1b2c3d4 && magic != 0xa1b23c4d) {
		xasprintf(cause, "--fetch: %s: not a pcap file (pcapng is not "
		    "read by reference yet)", esc_str(path));
		return (false);
	}
	return (true);
}

/* Copy the record at off to out (NULL: only check it is there). */
static bool
fetch_record(FILE *f, FILE *out, const char *path, uint64_t off, bool swap,
    unsigned char *buf, char **cause)
{
	uint32_t	 caplen;

	if (off < FETCH_HDR || fseeko(f, (off_t)off, SEEK_SET) != 0 ||
	    fread(buf, 1, FETCH_REC, f) != FETCH_REC ||
	    (caplen = fetch_u32(buf + 8, swap)) > FETCH_MAXCAP ||
	    fread(buf + FETCH_REC, 1, caplen, f) != caplen) {
		xasprintf(cause, "--fetch: %s: no record at offset %llu (the "
		    "file changed or left the spool)", esc_str(path),
		    (unsigned long long)off);
		return (false);
	}
	if (out != NULL &&
	    fwrite(buf, 1, FETCH_REC + caplen, out) != FETCH_REC + caplen) {
		xasprintf(cause, "--fetch: output: %s", strerror(errno));
		return (false);
	}
	return (true);
}

/* Copy one reference's records; the first file's header goes first. */
static bool
fetch_one(FILE *out, const struct fetch_ref *r, unsigned char *first,
    bool *started, unsigned char *buf, char **cause)
{
	unsigned char	 hdr[FETCH_HDR];
	FILE		*f;
	bool		 swap, ok = true;
	size_t		 i;

	if ((f = fopen(r->path, "rb")) == NULL) {
		xasprintf(cause, "--fetch: %s: %s", esc_str(r->path),
		    strerror(errno));
		return (false);
	}
	if (!fetch_header(f, r->path, hdr, &swap, cause))
		ok = false;
	else if (!*started) {
		memcpy(first, hdr, FETCH_HDR);
		*started = true;
		if (!(ok = out == NULL ||
		    fwrite(hdr, 1, FETCH_HDR, out) == FETCH_HDR))
			xasprintf(cause, "--fetch: output: %s", strerror(errno));
	} else if (memcmp(first, hdr, 4) != 0 ||
	    memcmp(first + 20, hdr + 20, 4) != 0) {
		xasprintf(cause, "--fetch: %s: another format or link type "
		    "than the first file: fetch it apart", esc_str(r->path));
		ok = false;
	}
	for (i = 0; ok && i < r->n; i++)
		ok = fetch_record(f, out, r->path, r->off[i], swap, buf, cause);
	fclose(f);
	return (ok);
}

/* Every reference's records to out, or (out NULL) checked. */
static bool
fetch_all(FILE *out, char **refs, size_t nrefs, unsigned char *buf,
    char **cause)
{
	struct fetch_ref	 r;
	unsigned char		 first[FETCH_HDR];
	bool			 started = false, ok = true;
	size_t			 i;

	for (i = 0; ok && i < nrefs; i++) {
		if (!(ok = fetch_parse(&r, refs[i], cause)))
			break;
		ok = fetch_one(out, &r, first, &started, buf, cause);
		free(r.path);
		free(r.off);
	}
	return (ok);
}

/*
 * Write the records the references name as one pcap on out, once every
 * one of them was found: nothing is written for a reference that fails.
 */
bool
fleet_fetch(FILE *out, char **refs, size_t nrefs, char **cause)
{
	unsigned char	*buf = xmalloc(FETCH_REC + FETCH_MAXCAP);
	bool		 ok;

	*cause = NULL;
	ok = fetch_all(NULL, refs, nrefs, buf, cause) &&
	    fetch_all(out, refs, nrefs, buf, cause);
	free(buf);
	return (ok);
}

/*
 * --fetch -: the references one a line on in (as the export over the
 * store sends them to a sensor, with no quoting for a shell to undo).
 */
bool
fleet_fetch_lines(FILE *out, FILE *in, char **cause)
{
	char	**refs = NULL, *line = NULL;
	size_t	  n = 0, cap = 0, i;
	ssize_t	  len;
	bool	  ok;

	while ((len = getline(&line, &cap, in)) > 0) {
		if (line[len - 1] == '\n')
			line[--len] = '\0';
		if (len == 0)
			continue;
		refs = xreallocarray(refs, n + 1, sizeof *refs);
		refs[n++] = xstrdup(line);
	}
	free(line);
	if (ferror(in)) {
		xasprintf(cause, "--fetch -: standard input: %s",
		    strerror(errno));
		ok = false;
	} else
		ok = fleet_fetch(out, refs, n, cause);
	for (i = 0; i < n; i++)
		free(refs[i]);
	free(refs);
	return (ok);
}
