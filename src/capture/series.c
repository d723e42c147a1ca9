/* series.c - a source's series of files in the spool, and reading it back. */
/* SPDX-License-Identifier: GPL-3.0-or-later */

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <pcap/pcap.h>

#include "capture/capture-int.h"
#include "util/util.h"

/* One file of the series. */
struct series_file {
	size_t		 id;		/* the spool's */
	size_t		 first;		/* its first record's index in ords */
};

/*
 * The records of one input as captured, in files of the spool, and each
 * record's ordinal (8 bytes a packet), so that they can be found again.
 */
struct series {
	struct capture		*c;
	struct spool		*spool;
	pcap_t			*p;		/* link type, snaplen, precision */
	char			*name;		/* for messages, escaped */
	size_t			 input;
	pcap_dumper_t		*dump;		/* NULL: spooling stopped */
	uint64_t		*ords;
	size_t			 nords, cap;
	struct posidx		*pos;		/* where each record starts */
	struct series_file	*files;
	size_t			 nfiles;
	uint64_t		 fbytes;	/* in the file being written */
};

/* Say that spooling stopped, and why. */
static void
series_stopped(struct series *se, const char *why)
{
	char	*m;

	xasprintf(&m, "%s: spooling stopped: %s", se->name, why);
	capture_report(se->c, CAPTURE_WARNING, m);
	free(m);
}

/* Start the next file of the series; false when it cannot be. */
static bool
series_next(struct series *se)
{
	struct series_file	*f;

	if (se->dump != NULL) {
		pcap_dump_close(se->dump);
		spool_file_done(se->spool, se->files[se->nfiles - 1].id);
	}
	se->files = xreallocarray(se->files, se->nfiles + 1,
	    sizeof *se->files);
	f = &se->files[se->nfiles++];
	f->id = spool_file_new(se->spool, se->input, (unsigned int)se->nfiles);
	f->first = se->nords;
	se->fbytes = 24;
	if ((se->dump = pcap_dump_open(se->p, spool_path(se->spool,
	    f->id))) == NULL) {
		series_stopped(se, pcap_geterr(se->p));
		spool_file_done(se->spool, f->id);
		return (false);
	}
	spool_grow(se->spool, f->id, 24);
	return (true);
}

/*
 * Start an input's series (on the reader's thread at its first turn: after
 * -Z, so the files are the user's).  p gives the link type.
 */
struct series *
series_new(struct capture *c, struct spool *sp, pcap_t *p, size_t input,
    const char *name)
{
	struct series	*se = xcalloc(1, sizeof *se);
	struct buf	 b;

	buf_init(&b);
	esc_text(&b, name, strlen(name));
	se->name = buf_take(&b);
	se->c = c;
	se->spool = sp;
	se->p = p;
	se->input = input;
	se->pos = posidx_new();
	series_next(se);
	return (se);
}

/*
 * Write a record, starting the next file when this one is full; a failed
 * write stops spooling, not capture.
 */
void
series_put(struct series *se, const struct pcap_pkthdr *h,
    const u_char *data, uint64_t ordinal)
{
	uint64_t	 n = 16 + h->caplen;

	if (se->dump == NULL || (se->fbytes + n > spool_rotate(se->spool) &&
	    se->fbytes > 24 && !series_next(se))) {
		spool_lost(se->spool);
		return;
	}
	pcap_dump((u_char *)se->dump, h, data);
	if (ferror(pcap_dump_file(se->dump))) {
		series_stopped(se, strerror(errno));
		pcap_dump_close(se->dump);
		spool_file_done(se->spool, se->files[se->nfiles - 1].id);
		se->dump = NULL;
		spool_lost(se->spool);
		return;
	}
	posidx_add(se->pos, se->fbytes);
	se->fbytes += n;
	spool_grow(se->spool, se->files[se->nfiles - 1].id, n);
	if (se->nords == se->cap) {
		se->cap = se->cap == 0 ? 4096 : se->cap * 2;
		se->ords = xreallocarray(se->ords, se->cap, sizeof *se->ords);
	}
	se->ords[se->nords++] = ordinal;
}

/* Where a reading of a series is: its file, its record, the record. */
struct series_cursor {
	struct series		*se;
	size_t			 file;		/* the file open */
	size_t			 k;		/* the record it reads next */
	uint64_t		 from;		/* the next ordinal to ask for */
	pcap_t			*p;
	struct capture_packet	 cp;		/* the record, when ready */
	bool			 ready;
};

/* The index of the series' first record at or after ordinal o. */
static size_t
series_find(const struct series *se, size_t lo, uint64_t o)
{
	size_t	 hi = se->nords, mid;

	while (lo < hi) {
		mid = lo + (hi - lo) / 2;
		if (se->ords[mid] < o)
			lo = mid + 1;
		else
			hi = mid;
	}
	return (lo);
}

/* The file that holds record k. */
static size_t
series_file_of(const struct series *se, size_t k)
{
	size_t	 lo = 0, hi = se->nfiles, mid;

	while (hi - lo > 1) {
		mid = lo + (hi - lo) / 2;
		if (se->files[mid].first <= k)
			lo = mid;
		else
			hi = mid;
	}
	return (lo);
}

/*
 * Put the cursor on record k: open its file when another is open, seek
 * when k is not the next record.  False when its file left the spool.
 */
static bool
series_cursor_seek(struct series_cursor *cu, size_t k)
{
	struct series	*se = cu->se;
	size_t		 file = series_file_of(se, k);
	char		 errbuf[PCAP_ERRBUF_SIZE];
	uint64_t	 off;
	unsigned int	 skip;

	if (cu->p != NULL && cu->file != file) {
		pcap_close(cu->p);
		cu->p = NULL;
	}
	if (cu->p == NULL) {
		if (spool_gone(se->spool, se->files[file].id) || (cu->p =
		    pcap_open_offline_with_tstamp_precision(spool_path(
		    se->spool, se->files[file].id),
		    PCAP_TSTAMP_PRECISION_NANO, errbuf)) == NULL)
			return (false);
		cu->file = file;
		cu->k = se->files[file].first;
	}
	if (cu->k != k && (!posidx_get(se->pos, k, &off, &skip) ||
	    fseeko(pcap_file(cu->p), (off_t)off, SEEK_SET) != 0))
		return (false);
	cu->k = k;
	return (true);
}

/*
 * Move the cursor to the next selected record of its series; false at the
 * end.  A record whose file left the spool is passed over (export counts
 * what it could not read).
 */
static bool
series_cursor_next(struct series_cursor *cu, capture_select_fn sel,
    void *sarg)
{
	struct series		*se = cu->se;
	struct pcap_pkthdr	*h;
	const u_char		*data;
	uint64_t		 o;
	size_t			 k = 0;

	for (cu->ready = false; !cu->ready; cu->from = o + 1) {
		if ((o = sel(cu->from, sarg)) == UINT64_MAX ||
		    (k = series_find(se, k, o)) >= se->nords)
			return (false);
		if (se->ords[k] != o) {		/* another series' record */
			o = se->ords[k] - 1;
			continue;
		}
		if (!series_cursor_seek(cu, k) ||
		    pcap_next_ex(cu->p, &h, &data) != 1)
			continue;
		cu->k = k + 1;
		cu->cp.ordinal = o;
		cu->cp.ts = (uint64_t)h->ts.tv_sec * 1000000000ULL +
		    (uint64_t)h->ts.tv_usec;
		cu->cp.caplen = h->caplen;
		cu->cp.wirelen = h->len;
		cu->cp.data = data;
		cu->ready = true;
	}
	return (true);
}

/*
 * Read the selected records of several series again, in capture order:
 * the interfaces' records interleave, so each step takes the cursor whose
 * record has the lowest ordinal.
 */
void
series_reread(struct series **se, size_t n, capture_select_fn sel,
    void *sarg, capture_packet_fn fn, void *arg)
{
	struct series_cursor	*cu = xcalloc(n, sizeof *cu);
	size_t			 i, best;
	bool			 go = true;

	for (i = 0; i < n; i++) {
		cu[i].se = se[i];
		cu[i].cp.input = (uint16_t)se[i]->input;
		cu[i].cp.dlt = capture_input_get(se[i]->c, se[i]->input)->dlt;
		cu[i].cp.prec = capture_input_get(se[i]->c, se[i]->input)->prec;
		if (se[i]->dump == NULL || pcap_dump_flush(se[i]->dump) == 0)
			series_cursor_next(&cu[i], sel, sarg);
	}
	while (go) {
		for (best = n, i = 0; i < n; i++) {
			if (cu[i].ready && (best == n ||
			    cu[i].cp.ordinal < cu[best].cp.ordinal))
				best = i;
		}
		if (best == n)
			break;
		go = fn(&cu[best].cp, arg);
		series_cursor_next(&cu[best], sel, sarg);
	}
	for (i = 0; i < n; i++) {
		if (cu[i].p != NULL)
			pcap_close(cu[i].p);
	}
	free(cu);
}

/*
 * Where ordinal o is in the series: its spool file, where it starts there
 * and its frame number in that file.  False when the series does not
 * have it (another input's, or not spooled).
 */
bool
series_locate(const struct series *se, uint64_t o, struct capture_ref *ref)
{
	size_t		 k = series_find(se, 0, o), f;
	unsigned int	 skip;

	if (k >= se->nords || se->ords[k] != o)
		return (false);
	f = series_file_of(se, k);
	memset(ref, 0, sizeof *ref);
	ref->input = se->input;
	ref->path = spool_path(se->spool, se->files[f].id);
	ref->frame = k - se->files[f].first + 1;
	ref->gone = spool_gone(se->spool, se->files[f].id);
	return (posidx_get(se->pos, k, &ref->offset, &skip));
}

/* Close the file being written (the spool removes its files). */
void
series_free(struct series *se)
{
	if (se == NULL)
		return;
	if (se->dump != NULL)
		pcap_dump_close(se->dump);
	free(se->files);
	free(se->ords);
	posidx_free(se->pos);
	free(se->name);
	free(se);
}
